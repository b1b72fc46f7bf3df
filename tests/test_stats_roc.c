/* ROC curve, AUC with DeLong CI, Youden point, metrics at a threshold, the
 * paired DeLong test and the stratified bootstrap, against pROC 1.18
 * (R 4.2.2) on the five wdbc scores of tests/data/stats/wdbc_scores.csv
 * (README there): no ties, ties, heavy ties and an AUC below 0.5 with the
 * direction forced to "<". Also `radx roc` on the same table. */
#include "testutil.h"
#include "radx/radx.h"
#include "radx/stats.h"
#include "test_stats_ref.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCORES "tests/data/stats/wdbc_scores.csv"
#define ROC_REF "tests/data/stats/wdbc_roc.csv"
#define CURVES_REF "tests/data/stats/wdbc_roc_curves.csv"
#define PAIRED_REF "tests/data/stats/wdbc_delong_paired.csv"

/* The bound for DeLong. */
#define DELONG_TOL 1e-9

typedef struct score_table {
    radx_csv *csv;
    int64_t n;
    int *label;
} score_table;

static score_table load_scores(void)
{
    score_table t = {ref_read(SCORES), 0, NULL};
    t.n = t.csv->nrows;
    t.label = malloc((size_t)t.n * sizeof *t.label);
    for (int64_t i = 0; i < t.n; i++) t.label[i] = (int)ref_value(t.csv, (int)i, "malignant");
    return t;
}

static double *score_column(const score_table *t, const char *name)
{
    double *s = malloc((size_t)t->n * sizeof *s);
    for (int64_t i = 0; i < t->n; i++) s[i] = ref_value(t->csv, (int)i, name);
    return s;
}

static void free_scores(score_table *t)
{
    radx_csv_free(t->csv);
    free(t->label);
}

static void test_delong_auc_and_ci(void **state)
{
    (void)state;
    score_table t = load_scores();
    radx_csv *ref = ref_read(ROC_REF);
    double max_auc = 0, max_var = 0, max_ci = 0;
    for (int row = 0; row < ref->nrows; row++) {
        const char *name = ref->cells[row][ref_col(ref, "score")];
        double *s = score_column(&t, name);
        radx_roc_auc r;
        assert_int_equal(radx_stats_roc_delong(s, t.label, t.n, 0.95, &r), RADX_OK);
        assert_int_equal(r.n_pos, (int64_t)ref_value(ref, row, "n_cases"));
        assert_int_equal(r.n_neg, (int64_t)ref_value(ref, row, "n_controls"));
        double auc = ref_value(ref, row, "auc"), var = ref_value(ref, row, "var_delong");
        double lo = ref_value(ref, row, "ci_lower"), hi = ref_value(ref, row, "ci_upper");
        assert_close(name, r.auc, auc, 0, DELONG_TOL);
        assert_close(name, r.var, var, DELONG_TOL, 0);
        assert_close(name, r.lo, lo, 0, DELONG_TOL);
        assert_close(name, r.hi, hi, 0, DELONG_TOL);
        max_auc = fmax(max_auc, fabs(r.auc - auc));
        max_var = fmax(max_var, ref_deviation(r.var, var, 1e-300));
        max_ci = fmax(max_ci, fmax(fabs(r.lo - lo), fabs(r.hi - hi)));
        free(s);
    }
    printf("delong vs pROC: max |auc diff| %.3g, var rel %.3g, |CI diff| %.3g\n", max_auc, max_var, max_ci);
    radx_csv_free(ref);
    free_scores(&t);
}

/* Every point of pROC's curve: thresholds and both rates bit for bit. */
static void test_roc_curve_matches_proc(void **state)
{
    (void)state;
    score_table t = load_scores();
    radx_csv *ref = ref_read(ROC_REF), *curves = ref_read(CURVES_REF);
    int score_col = ref_col(curves, "score");
    for (int row = 0; row < ref->nrows; row++) {
        const char *name = ref->cells[row][ref_col(ref, "score")];
        double *s = score_column(&t, name);
        radx_roc_curve *c = NULL;
        assert_int_equal(radx_stats_roc_curve(s, t.label, t.n, &c), RADX_OK);
        int64_t k = 0;
        for (int r = 0; r < curves->nrows; r++) {
            if (strcmp(curves->cells[r][score_col], name) != 0) continue;
            assert_true(k < c->npoints);
            assert_true(ref_value(curves, r, "threshold") == c->threshold[k]);
            assert_true(ref_value(curves, r, "sensitivity") == c->sensitivity[k]);
            assert_true(ref_value(curves, r, "specificity") == c->specificity[k]);
            k++;
        }
        assert_int_equal(k, c->npoints);
        radx_stats_roc_curve_free(c);
        free(s);
    }
    radx_csv_free(curves);
    radx_csv_free(ref);
    free_scores(&t);
}

static void test_youden_and_metrics(void **state)
{
    (void)state;
    score_table t = load_scores();
    radx_csv *ref = ref_read(ROC_REF);
    for (int row = 0; row < ref->nrows; row++) {
        const char *name = ref->cells[row][ref_col(ref, "score")];
        double *s = score_column(&t, name);
        radx_roc_curve *c = NULL;
        assert_int_equal(radx_stats_roc_curve(s, t.label, t.n, &c), RADX_OK);
        int64_t at, ties;
        radx_stats_roc_youden(c, &at, &ties);
        assert_int_equal(ties, (int64_t)ref_value(ref, row, "n_youden_ties"));
        assert_true(c->threshold[at] == ref_value(ref, row, "youden_threshold"));
        double se = ref_value(ref, row, "sensitivity"), sp = ref_value(ref, row, "specificity");
        assert_true(c->sensitivity[at] == se && c->specificity[at] == sp);
        assert_close("youden J", c->sensitivity[at] + c->specificity[at] - 1, ref_value(ref, row, "youden_j"), 1e-15, 0);
        /* the threshold separates the observed scores pROC names */
        assert_true(ref_value(ref, row, "youden_threshold_max_negative_score") < c->threshold[at]);
        assert_true(ref_value(ref, row, "youden_threshold_min_positive_score") > c->threshold[at]);

        radx_roc_metrics m;
        assert_int_equal(radx_stats_roc_metrics(s, t.label, t.n, c->threshold[at], &m), RADX_OK);
        assert_true(m.sensitivity == se && m.specificity == sp);
        /* PPV, NPV, accuracy and F1 from pROC's rates and the class sizes */
        double npos = ref_value(ref, row, "n_cases"), nneg = ref_value(ref, row, "n_controls");
        double tp = se * npos, fn = npos - tp, tn = sp * nneg, fp = nneg - tn;
        assert_close("ppv", m.ppv, tp / (tp + fp), 1e-12, 0);
        assert_close("npv", m.npv, tn / (tn + fn), 1e-12, 0);
        assert_close("accuracy", m.accuracy, (tp + tn) / (npos + nneg), 1e-12, 0);
        assert_close("f1", m.f1, 2 * tp / (2 * tp + fp + fn), 1e-12, 0);
        radx_stats_roc_curve_free(c);
        free(s);
    }
    radx_csv_free(ref);
    free_scores(&t);
}

static void test_delong_paired_matches_roc_test(void **state)
{
    (void)state;
    score_table t = load_scores();
    radx_csv *ref = ref_read(PAIRED_REF);
    double max_z = 0, max_p = 0;
    for (int row = 0; row < ref->nrows; row++) {
        const char *n1 = ref->cells[row][ref_col(ref, "score1")], *n2 = ref->cells[row][ref_col(ref, "score2")];
        double *s1 = score_column(&t, n1), *s2 = score_column(&t, n2);
        radx_roc_paired r;
        assert_int_equal(radx_stats_roc_delong_paired(s1, s2, t.label, t.n, 0.95, &r), RADX_OK);
        assert_close("auc1", r.auc1, ref_value(ref, row, "auc1"), 0, DELONG_TOL);
        assert_close("auc2", r.auc2, ref_value(ref, row, "auc2"), 0, DELONG_TOL);
        assert_close("difference", r.difference, ref_value(ref, row, "auc_difference"), 0, DELONG_TOL);
        assert_close("z", r.z, ref_value(ref, row, "z"), DELONG_TOL, 0);
        assert_close("p", r.p_value, ref_value(ref, row, "p_value"), DELONG_TOL, 0);
        assert_close("diff lo", r.diff_lo, ref_value(ref, row, "diff_ci_lower"), 0, DELONG_TOL);
        assert_close("diff hi", r.diff_hi, ref_value(ref, row, "diff_ci_upper"), 0, DELONG_TOL);
        assert_close("var1", r.var1, ref_value(ref, row, "var_delong1"), DELONG_TOL, 0);
        assert_close("var2", r.var2, ref_value(ref, row, "var_delong2"), DELONG_TOL, 0);
        assert_close("cov12", r.cov12, ref_value(ref, row, "hand_cov12"), DELONG_TOL, 0);
        assert_close("sd", r.sd_difference, ref_value(ref, row, "hand_sd_difference"), DELONG_TOL, 0);
        max_z = fmax(max_z, ref_deviation(r.z, ref_value(ref, row, "z"), 1e-300));
        max_p = fmax(max_p, ref_deviation(r.p_value, ref_value(ref, row, "p_value"), 1e-300));
        free(s1), free(s2);
    }
    printf("paired delong vs roc.test: z rel %.3g, p rel %.3g\n", max_z, max_p);
    radx_csv_free(ref);
    free_scores(&t);
}

/* The bootstrap has no R counterpart bit for bit (its random numbers are
 * radx's): it must not depend on the thread count or repeat, and its
 * interval must agree with pROC's DeLong interval to sampling accuracy. */
static void test_bootstrap_ci(void **state)
{
    (void)state;
    score_table t = load_scores();
    radx_csv *ref = ref_read(ROC_REF);
    for (int row = 0; row < ref->nrows; row++) {
        const char *name = ref->cells[row][ref_col(ref, "score")];
        double *s = score_column(&t, name);
        double lo1, hi1, lo2, hi2, lo3, hi3;
        omp_set_num_threads(1);
        assert_int_equal(radx_stats_roc_bootstrap(s, t.label, t.n, 2000, 42, 0.95, &lo1, &hi1), RADX_OK);
        omp_set_num_threads(3);
        assert_int_equal(radx_stats_roc_bootstrap(s, t.label, t.n, 2000, 42, 0.95, &lo2, &hi2), RADX_OK);
        assert_true(lo1 == lo2 && hi1 == hi2);
        assert_int_equal(radx_stats_roc_bootstrap(s, t.label, t.n, 2000, 43, 0.95, &lo3, &hi3), RADX_OK);
        assert_true(lo3 != lo1 || hi3 != hi1);
        double auc = ref_value(ref, row, "auc");
        double dlo = ref_value(ref, row, "ci_lower"), dhi = ref_value(ref, row, "ci_upper");
        assert_true(lo1 < auc && auc < hi1);
        /* 2000 resamples: width within 15%, bounds within a quarter width */
        assert_close("bootstrap CI width", hi1 - lo1, dhi - dlo, 0.15, 0);
        assert_close("bootstrap lower", lo1, dlo, 0, 0.25 * (dhi - dlo));
        assert_close("bootstrap upper", hi1, dhi, 0, 0.25 * (dhi - dlo));
        free(s);
    }
    radx_csv_free(ref);
    free_scores(&t);
}

static void test_roc_edge_cases(void **state)
{
    (void)state;
    double s[4] = {0.1, 0.2, 0.3, 0.4};
    int one_class[4] = {1, 1, 1, 1}, labels[4] = {0, 1, 0, 1};
    radx_roc_auc r;
    assert_int_equal(radx_stats_roc_delong(s, one_class, 4, 0.95, &r), RADX_ERR_PARAM);
    assert_contains(radx_last_error(), "both classes");
    double lo, hi;
    assert_int_equal(radx_stats_roc_bootstrap(s, one_class, 4, 100, 1, 0.95, &lo, &hi), RADX_ERR_PARAM);
    double bad[4] = {0.1, NAN, 0.3, 0.4};
    assert_int_equal(radx_stats_roc_delong(bad, labels, 4, 0.95, &r), RADX_ERR_PARAM);
    assert_contains(radx_last_error(), "score 2");
    /* a constant score: AUC 1/2, one distinct value, thresholds -Inf, Inf */
    double flat[4] = {2, 2, 2, 2};
    radx_roc_curve *c = NULL;
    assert_int_equal(radx_stats_roc_curve(flat, labels, 4, &c), RADX_OK);
    assert_int_equal(c->npoints, 2);
    radx_stats_roc_curve_free(c);
    assert_int_equal(radx_stats_roc_delong(flat, labels, 4, 0.95, &r), RADX_OK);
    assert_true(r.auc == 0.5);
    radx_roc_metrics m;
    assert_int_equal(radx_stats_roc_metrics(s, labels, 4, 1.0, &m), RADX_OK);
    assert_true(m.tp == 0 && m.fp == 0 && isnan(m.ppv) && m.npv == 0.5);
}

/* `radx roc` on two scores: the summary row of each against pROC, the curve
 * file against pROC's curve, and the paired test. */
static void test_roc_cli(void **state)
{
    (void)state;
    char *out = radx_test_temp_file(".csv", ""), *curve = radx_test_temp_file(".csv", "");
    char *test = radx_test_temp_file(".csv", "");
    char args[2048], *log;
    snprintf(args, sizeof args,
             "roc --in " SCORES " --score-col score_worst_concave_points,score_mean_texture --label-col "
             "malignant --out %s --curve %s --delong-test %s --bootstrap 500 --seed 7",
             out, curve, test);
    int rc = ref_run_radx(args, &log);
    if (rc != 0) fail_msg("radx roc failed (%d): %s", rc, log);
    free(log);
    radx_csv *o = ref_read(out), *ref = ref_read(ROC_REF), *c = ref_read(curve), *cref = ref_read(CURVES_REF);
    assert_int_equal(o->nrows, 2);
    for (int row = 0; row < o->nrows; row++) {
        int r = ref_find(ref, "score", o->cells[row][ref_col(o, "score")]);
        assert_true(r >= 0);
        assert_close("auc", ref_value(o, row, "auc"), ref_value(ref, r, "auc"), 0, DELONG_TOL);
        assert_close("lo", ref_value(o, row, "delong_lo"), ref_value(ref, r, "ci_lower"), 0, DELONG_TOL);
        assert_close("hi", ref_value(o, row, "delong_hi"), ref_value(ref, r, "ci_upper"), 0, DELONG_TOL);
        assert_true(ref_value(o, row, "threshold") == ref_value(ref, r, "youden_threshold"));
        assert_true(ref_value(o, row, "sensitivity") == ref_value(ref, r, "sensitivity"));
        assert_true(ref_value(o, row, "specificity") == ref_value(ref, r, "specificity"));
        assert_true(ref_value(o, row, "n_pos") == ref_value(ref, r, "n_cases"));
        assert_true(ref_value(o, row, "boot_lo") < ref_value(o, row, "auc"));
    }
    int matched = 0;
    for (int row = 0; row < c->nrows; row++) {
        const char *name = c->cells[row][ref_col(c, "score")];
        int r = ref_find(cref, "score", name);
        assert_true(r >= 0);
        int offset = row - ref_find(c, "score", name);
        assert_true(ref_value(c, row, "threshold") == ref_value(cref, r + offset, "threshold"));
        assert_true(ref_value(c, row, "sensitivity") == ref_value(cref, r + offset, "sensitivity"));
        assert_true(ref_value(c, row, "specificity") == ref_value(cref, r + offset, "specificity"));
        matched++;
    }
    assert_int_equal(matched, 493 + 480);
    radx_csv *tr = ref_read(test), *pref = ref_read(PAIRED_REF);
    int p = ref_find(pref, "score1", "score_worst_concave_points");
    assert_int_equal(tr->nrows, 1);
    assert_close("z", ref_value(tr, 0, "z"), ref_value(pref, p, "z"), DELONG_TOL, 0);
    assert_close("p", ref_value(tr, 0, "p_value"), ref_value(pref, p, "p_value"), DELONG_TOL, 0);
    radx_csv_free(o), radx_csv_free(ref), radx_csv_free(c), radx_csv_free(cref);
    radx_csv_free(tr), radx_csv_free(pref);
    remove(out), remove(curve), remove(test);
    free(out), free(curve), free(test);
}

/* A threshold learnt elsewhere, a missing score and a one-class table. */
static void test_roc_cli_threshold_and_errors(void **state)
{
    (void)state;
    char *in = radx_test_temp_file(".csv", "id,y,s\na,yes,0.1\nb,no,0.4\nc,yes,0.35\nd,yes,0.8\n");
    char *missing = radx_test_temp_file(".csv", "id,y,s\na,1,0.1\nb,0,NA\nc,1,0.35\n");
    char *out = radx_test_temp_file(".csv", "");
    char args[2048], *log;
    snprintf(args, sizeof args, "roc --in %s --score-col s --label-col y --positive yes --threshold 0.3 --out %s", in, out);
    int rc = ref_run_radx(args, &log);
    if (rc != 0) fail_msg("radx roc failed (%d): %s", rc, log);
    free(log);
    radx_csv *o = ref_read(out);
    assert_true(ref_value(o, 0, "threshold") == 0.3);
    assert_true(ref_value(o, 0, "sensitivity") == 2.0 / 3.0);  /* 0.35, 0.8 called of 0.1, 0.35, 0.8 */
    assert_true(ref_value(o, 0, "specificity") == 0.0);       /* 0.4 called positive */
    assert_true(ref_value(o, 0, "auc") == 1.0 / 3.0);       /* only 0.8 > 0.4 */
    radx_csv_free(o);
    snprintf(args, sizeof args, "roc --in %s --score-col s --label-col y --out %s", missing, out);
    ref_expect_failure(args, "radx roc: ", "row 2 (line 3), column 's': missing value");
    snprintf(args, sizeof args, "roc --in %s --score-col s --label-col y --positive maybe --out %s", in, out);
    ref_expect_failure(args, "third label value", NULL);
    remove(in), remove(missing), remove(out);
    free(in), free(missing), free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_delong_auc_and_ci),
        cmocka_unit_test(test_roc_curve_matches_proc),
        cmocka_unit_test(test_youden_and_metrics),
        cmocka_unit_test(test_delong_paired_matches_roc_test),
        cmocka_unit_test(test_bootstrap_ci),
        cmocka_unit_test(test_roc_edge_cases),
        cmocka_unit_test(test_roc_cli),
        cmocka_unit_test(test_roc_cli_threshold_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
