/* CART (Gini) against scikit-learn 1.2.1's DecisionTreeClassifier(
 * criterion = "gini", max_depth = 4, random_state = 0) on seven wdbc
 * features (tests/data/stats/README.md): every node (split feature,
 * threshold, impurity, counts, importance term), the feature importances
 * (also rpart's primary-split importances), the leaf and probability of
 * every case; `radx tree` on the same table. */
#include "testutil.h"
#include "radx/radx.h"
#include "radx/stats.h"
#include "test_stats_ref.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAW "tests/data/stats/wdbc_raw.csv"
#define NODES_REF "tests/data/stats/wdbc_tree_sklearn_nodes.csv"
#define IMPORTANCE_REF "tests/data/stats/wdbc_tree_sklearn_importance.csv"
#define PREDICTIONS_REF "tests/data/stats/wdbc_tree_sklearn_predictions.csv"
#define RPART_REF "tests/data/stats/wdbc_tree_rpart_importance.csv"
#define FEATURES "mean_radius,mean_texture,mean_fractal_dimension,smoothness_error,fractal_dimension_error,worst_smoothness,worst_concavity"

static const char *const feature_names[] = {"mean_radius", "mean_texture", "mean_fractal_dimension",
                                            "smoothness_error", "fractal_dimension_error", "worst_smoothness",
                                            "worst_concavity"};
enum { P = 7 };

static radx_tree *fit_reference_tree(const radx_csv *raw, double **x_out)
{
    int n = raw->nrows;
    double *x = malloc((size_t)n * P * sizeof *x);
    int *y = malloc((size_t)n * sizeof *y);
    for (int r = 0; r < n; r++) {
        for (int j = 0; j < P; j++) x[r * P + j] = ref_value(raw, r, feature_names[j]);
        y[r] = (int)ref_value(raw, r, "malignant");
    }
    radx_tree_options o;
    radx_stats_tree_options_default(&o);
    o.max_depth = 4;
    radx_tree *t = NULL;
    assert_int_equal(radx_stats_tree_fit(x, n, P, y, &o, &t), RADX_OK);
    free(y);
    *x_out = x;
    return t;
}

static void test_tree_nodes_match_sklearn(void **state)
{
    (void)state;
    radx_csv *raw = ref_read(RAW), *ref = ref_read(NODES_REF);
    double *x;
    radx_tree *t = fit_reference_tree(raw, &x);
    assert_int_equal(t->nnodes, ref->nrows);
    for (int i = 0; i < t->nnodes; i++) {
        const radx_tree_node *d = &t->nodes[i];
        int leaf = strcmp(ref->cells[i][ref_col(ref, "is_leaf")], "TRUE") == 0;
        assert_int_equal((int)ref_value(ref, i, "node"), i);
        assert_int_equal(d->depth, (int)ref_value(ref, i, "depth"));
        assert_int_equal(d->parent, (int)ref_value(ref, i, "parent"));
        assert_int_equal(d->feature < 0, leaf);
        assert_int_equal(d->left, (int)ref_value(ref, i, "left"));
        assert_int_equal(d->right, (int)ref_value(ref, i, "right"));
        assert_int_equal(d->n, (int64_t)ref_value(ref, i, "n_node_samples"));
        assert_int_equal(d->n_neg, (int64_t)ref_value(ref, i, "value_benign"));
        assert_int_equal(d->n_pos, (int64_t)ref_value(ref, i, "value_malignant"));
        assert_close("impurity", d->impurity, ref_value(ref, i, "impurity"), 1e-15, 0);
        assert_close("importance term", d->importance_term, ref_value(ref, i, "importance_term"), 1e-12, 1e-13);
        if (!leaf) {
            assert_int_equal(d->feature, (int)ref_value(ref, i, "feature_index"));
            /* rpart's double midpoint exactly; sklearn's float32 midpoint to float precision */
            assert_true(d->threshold == ref_value(ref, i, "threshold_double_midpoint"));
            assert_close("threshold", d->threshold, ref_value(ref, i, "threshold"), 1e-7, 0);
        }
    }
    radx_stats_tree_free(t);
    free(x);
    radx_csv_free(raw), radx_csv_free(ref);
}

static void test_tree_importance_and_predictions(void **state)
{
    (void)state;
    radx_csv *raw = ref_read(RAW), *imp = ref_read(IMPORTANCE_REF), *pred = ref_read(PREDICTIONS_REF);
    radx_csv *rpart = ref_read(RPART_REF);
    double *x;
    radx_tree *t = fit_reference_tree(raw, &x);
    double max_dev = 0;
    for (int j = 0; j < P; j++) {
        assert_string_equal(imp->cells[j][ref_col(imp, "feature")], feature_names[j]);
        double expected = ref_value(imp, j, "importance");
        assert_close("importance", t->importance[j], expected, 1e-12, 1e-15);
        assert_close("unnormalised", t->importance_unnormalised[j], ref_value(imp, j, "importance_unnormalised"), 1e-12, 1e-15);
        int r = ref_find(rpart, "feature", feature_names[j]);
        assert_close("rpart primary", t->importance[j], ref_value(rpart, r, "rpart_primary_normalised"), 1e-12, 1e-15);
        max_dev = fmax(max_dev, fabs(t->importance[j] - expected));
    }
    printf("tree importance vs sklearn: max |diff| %.3g\n", max_dev);
    for (int r = 0; r < raw->nrows; r++) {
        int leaf = radx_stats_tree_leaf(t, x + (size_t)r * P);
        assert_int_equal(leaf, (int)ref_value(pred, r, "leaf"));
        const radx_tree_node *d = &t->nodes[leaf];
        assert_true((double)d->n_pos / (double)d->n == ref_value(pred, r, "proba_malignant"));
        assert_int_equal(d->n_pos > d->n_neg, (int)ref_value(pred, r, "predicted_malignant"));
    }
    radx_stats_tree_free(t);
    free(x);
    radx_csv_free(raw), radx_csv_free(imp), radx_csv_free(pred), radx_csv_free(rpart);
}

static void test_tree_edge_cases(void **state)
{
    (void)state;
    /* a constant feature never splits; a pure node is a leaf */
    double x[6 * 2] = {1, 0, 1, 1, 1, 2, 1, 3, 1, 4, 1, 5};
    int y[6] = {0, 0, 0, 1, 1, 1}, pure[6] = {1, 1, 1, 1, 1, 1};
    radx_tree *t = NULL;
    assert_int_equal(radx_stats_tree_fit(x, 6, 2, y, NULL, &t), RADX_OK);
    assert_int_equal(t->nnodes, 3);
    assert_int_equal(t->nodes[0].feature, 1);
    assert_true(t->nodes[0].threshold == 2.5);
    assert_true(t->importance[0] == 0 && t->importance[1] == 1);
    radx_stats_tree_free(t);
    assert_int_equal(radx_stats_tree_fit(x, 6, 2, pure, NULL, &t), RADX_OK);
    assert_int_equal(t->nnodes, 1);
    assert_true(t->importance[0] == 0 && t->importance[1] == 0);
    radx_stats_tree_free(t);
    double bad[2] = {1, NAN};
    int yy[2] = {0, 1};
    assert_int_equal(radx_stats_tree_fit(bad, 2, 1, yy, NULL, &t), RADX_ERR_PARAM);
}

static void test_tree_cli(void **state)
{
    (void)state;
    char *out = radx_test_temp_file(".csv", ""), *nodes = radx_test_temp_file(".csv", "");
    char *pred = radx_test_temp_file(".csv", "");
    char args[2048], *log;
    snprintf(args, sizeof args,
             "tree --in " RAW " --label-col malignant --vars " FEATURES " --max-depth 4 --out %s --nodes %s "
             "--predictions %s",
             out, nodes, pred);
    int rc = ref_run_radx(args, &log);
    if (rc != 0) fail_msg("radx tree failed (%d): %s", rc, log);
    free(log);
    radx_csv *o = ref_read(out), *imp = ref_read(IMPORTANCE_REF), *nd = ref_read(nodes), *nref = ref_read(NODES_REF);
    radx_csv *p = ref_read(pred), *pref = ref_read(PREDICTIONS_REF), *raw = ref_read(RAW);
    for (int j = 0; j < P; j++)
        assert_close("importance", ref_value(o, j, "importance"), ref_value(imp, j, "importance"), 1e-12, 1e-15);
    assert_int_equal(nd->nrows, nref->nrows);
    for (int i = 0; i < nd->nrows; i++) {
        assert_int_equal((int)ref_value(nd, i, "n"), (int)ref_value(nref, i, "n_node_samples"));
        if (ref_value(nd, i, "is_leaf") == 0) {
            assert_string_equal(nd->cells[i][ref_col(nd, "feature")], nref->cells[i][ref_col(nref, "feature")]);
            assert_true(ref_value(nd, i, "threshold") == ref_value(nref, i, "threshold_double_midpoint"));
        }
    }
    /* predictions: input columns carried through in order, then the tree's */
    assert_int_equal(p->nrows, raw->nrows);
    assert_int_equal(p->ncols, raw->ncols - P + 3);
    for (int r = 0; r < p->nrows; r++) {
        assert_string_equal(p->cells[r][ref_col(p, "case")], raw->cells[r][ref_col(raw, "case")]);
        assert_string_equal(p->cells[r][ref_col(p, "mean_area")], raw->cells[r][ref_col(raw, "mean_area")]);
        assert_int_equal((int)ref_value(p, r, "leaf"), (int)ref_value(pref, r, "leaf"));
        assert_true(ref_value(p, r, "proba_positive") == ref_value(pref, r, "proba_malignant"));
        assert_int_equal((int)ref_value(p, r, "predicted"), (int)ref_value(pref, r, "predicted_malignant"));
    }
    radx_csv_free(o), radx_csv_free(imp), radx_csv_free(nd), radx_csv_free(nref);
    radx_csv_free(p), radx_csv_free(pref), radx_csv_free(raw);
    remove(out), remove(nodes), remove(pred);
    free(out), free(nodes), free(pred);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_nodes_match_sklearn),
        cmocka_unit_test(test_tree_importance_and_predictions),
        cmocka_unit_test(test_tree_edge_cases),
        cmocka_unit_test(test_tree_cli),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
