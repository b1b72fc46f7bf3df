/* Normalisation and decorrelation: Pearson r against R's cor() (the shared
 * wdbc_agreement.csv), the univariable AUC priority against wilcox.test's
 * W / (n1 n0) (wdbc_baseline_tests.csv), training-row z-scores against R's
 * group means and SDs, and the clustering rule's guarantees. */
#include "testutil.h"
#include "radx/radx.h"
#include "test_stats_ref.h"
#include "stats/decorrelate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIR "tests/data/stats2/"

typedef struct wdbc {
    radx_csv *csv;
    radx_feature_matrix fm;
    double *y;
} wdbc;

static void wdbc_load(wdbc *d)
{
    d->csv = ref_read(DIR "wdbc_raw.csv");
    const char *exclude[] = {"malignant"};
    assert_int_equal(radx_feature_matrix_select(d->csv, exclude, 1, "case,target_sklearn", &d->fm), RADX_OK);
    assert_int_equal(d->fm.nfeatures, 30);
    d->y = malloc((size_t)d->csv->nrows * sizeof *d->y);
    for (int r = 0; r < d->csv->nrows; r++) d->y[r] = ref_number(d->csv, r, "malignant");
}

static void wdbc_free(wdbc *d)
{
    radx_feature_matrix_free(&d->fm);
    radx_csv_free(d->csv);
    free(d->y);
}

static int feature_index(const wdbc *d, const char *name)
{
    for (int j = 0; j < d->fm.nfeatures; j++)
        if (strcmp(d->csv->header[d->fm.columns[j]], name) == 0) return j;
    fail_msg("no feature %s", name);
    return -1;
}

/* Pearson r of two features as radx_decorrelate reports it (threshold 0: the
 * second joins the first's cluster and r_to_rep is their r). */
static double pearson_via_decorrelate(const wdbc *d, int a, int b)
{
    int64_t n = d->fm.nrows;
    double *x = malloc((size_t)n * 2 * sizeof *x);
    for (int64_t i = 0; i < n; i++) {
        x[i * 2] = d->fm.x[i * 30 + a];
        x[i * 2 + 1] = d->fm.x[i * 30 + b];
    }
    int cluster[2], rep[2];
    double r[2];
    assert_int_equal(radx_decorrelate(x, n, 2, NULL, 0, NULL, 0, cluster, rep, r), RADX_OK);
    free(x);
    return r[1];
}

static void test_pearson_against_r(void **state)
{
    (void)state;
    wdbc d;
    wdbc_load(&d);
    radx_csv *ref = ref_read(DIR "wdbc_agreement.csv");
    int checked = 0;
    for (int row = 0; row < ref->nrows; row++) {
        const char *sx = ref->cells[row][radx_csv_column(ref, "source_x")];
        const char *sy = ref->cells[row][radx_csv_column(ref, "source_y")];
        if (strcmp(sx, "wdbc_raw") || strcmp(sy, "wdbc_raw")) continue;
        int a = feature_index(&d, ref->cells[row][radx_csv_column(ref, "x")]);
        int b = feature_index(&d, ref->cells[row][radx_csv_column(ref, "y")]);
        assert_close("pearson r", pearson_via_decorrelate(&d, a, b), ref_number(ref, row, "pearson_r"), 1e-13, 0);
        checked++;
    }
    assert_int_equal(checked, 7); /* mean vs worst (4), different scale, negative, identical */
    radx_csv_free(ref);
    wdbc_free(&d);
}

static void test_univariable_auc_against_wilcoxon(void **state)
{
    (void)state;
    wdbc d;
    wdbc_load(&d);
    radx_csv *ref = ref_read(DIR "wdbc_baseline_tests.csv");
    for (int row = 0; row < ref->nrows; row++) {
        int j = feature_index(&d, ref->cells[row][0]);
        double auc = radx_univariable_auc(d.fm.x + j, d.fm.nrows, 30, d.y, NULL);
        assert_close(ref->cells[row][0], auc, ref_number(ref, row, "wilcox_auc"), 1e-14, 0);
    }
    radx_csv_free(ref);
    wdbc_free(&d);
}

/* z-scores from the malignant rows only (the training rows): the training
 * mean and SD are R's group mean and sd(); every row, benign ones included,
 * is standardised with them. */
static void test_zscore_with_training_rows(void **state)
{
    (void)state;
    wdbc d;
    wdbc_load(&d);
    int64_t n = d.fm.nrows;
    unsigned char *train = malloc((size_t)n);
    for (int64_t i = 0; i < n; i++) train[i] = d.y[i] == 1;
    double *z = malloc((size_t)n * 30 * sizeof *z), mean[30], sd[30];
    memcpy(z, d.fm.x, (size_t)n * 30 * sizeof *z);
    assert_int_equal(radx_zscore(z, n, 30, train, mean, sd), RADX_OK);
    radx_csv *ref = ref_read(DIR "wdbc_baseline_tests.csv");
    for (int row = 0; row < ref->nrows; row++) {
        int j = feature_index(&d, ref->cells[row][0]);
        double m = ref_number(ref, row, "mean_malignant"), s = ref_number(ref, row, "sd_malignant");
        assert_close("training mean", mean[j], m, 1e-14, 0);
        assert_close("training sd", sd[j], s, 1e-13, 0);
        for (int64_t i = 0; i < n; i += 37)
            assert_close("z", z[i * 30 + j], (d.fm.x[i * 30 + j] - m) / s, 1e-12, 1e-14);
    }
    radx_csv_free(ref);
    free(z);
    free(train);
    wdbc_free(&d);
}

/* The rule's guarantees at 0.8 on wdbc: kept features pairwise |r| <= 0.8,
 * every dropped feature |r| > 0.8 with its representative; with no priority
 * the first column wins (mean_radius keeps perimeter and area, r 0.998 and
 * 0.987); with the AUC priority the first representative is the feature of
 * highest AUC according to R's wilcox.test. */
static void test_clustering_rule(void **state)
{
    (void)state;
    wdbc d;
    wdbc_load(&d);
    int64_t n = d.fm.nrows;
    int cluster[30], rep[30];
    double rr[30], auc[30];
    assert_int_equal(radx_decorrelate(d.fm.x, n, 30, NULL, 0.8, NULL, 0, cluster, rep, rr), RADX_OK);
    int radius = feature_index(&d, "mean_radius"), perimeter = feature_index(&d, "mean_perimeter");
    assert_int_equal(rep[radius], 1);
    assert_int_equal(cluster[perimeter], cluster[radius]);
    assert_int_equal(rep[perimeter], 0);
    for (int a = 0; a < 30; a++) {
        if (!rep[a]) assert_true(fabs(rr[a]) > 0.8);
        for (int b = a + 1; b < 30; b++) {
            double r = pearson_via_decorrelate(&d, a, b);
            if (rep[a] && rep[b]) assert_true(fabs(r) <= 0.8);
            if (rep[a] && cluster[b] == cluster[a]) assert_close("r to representative", rr[b], r, 1e-12, 0);
        }
    }
    radx_csv *ref = ref_read(DIR "wdbc_baseline_tests.csv");
    double best = -1;
    int best_j = -1;
    for (int row = 0; row < ref->nrows; row++) {
        int j = feature_index(&d, ref->cells[row][0]);
        double a = ref_number(ref, row, "wilcox_auc");
        auc[j] = fmax(a, 1 - a);
        if (auc[j] > best) { best = auc[j]; best_j = j; }
    }
    radx_csv_free(ref);
    const double *prio[] = {auc};
    assert_int_equal(radx_decorrelate(d.fm.x, n, 30, NULL, 0.8, prio, 1, cluster, rep, rr), RADX_OK);
    assert_int_equal(cluster[best_j], 1);
    assert_int_equal(rep[best_j], 1);
    assert_string_equal(d.csv->header[d.fm.columns[best_j]], "worst_perimeter");
    for (int j = 0; j < 30; j++) /* a representative outranks every member of its cluster */
        for (int k = 0; k < 30; k++)
            if (rep[j] && cluster[k] == cluster[j]) assert_true(auc[j] >= auc[k]);
    wdbc_free(&d);
}

static void test_constant_feature_is_an_error(void **state)
{
    (void)state;
    double x[] = {1, 5, 2, 5, 3, 5, 4, 5};
    int cluster[2], rep[2];
    double r[2], mean[2], sd[2];
    assert_int_equal(radx_decorrelate(x, 4, 2, NULL, 0.8, NULL, 0, cluster, rep, r), RADX_ERR_NUMERIC);
    assert_contains(radx_last_error(), "feature 2 is constant");
    assert_int_equal(radx_zscore(x, 4, 2, NULL, mean, sd), RADX_ERR_NUMERIC);
}

/* ------------------------------------------------------------ command line */

static int run_cli(const char *args, const char *stderr_file)
{
    const char *bin = getenv("RADX_BIN");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s 2>%s", bin, args, stderr_file ? stderr_file : "/dev/null");
    return system(cmd);
}

static void test_cli_decorrelate(void **state)
{
    (void)state;
    if (!getenv("RADX_BIN")) skip();
    char *kept = radx_test_temp_file(".csv", ""), *clusters = radx_test_temp_file(".csv", "");
    char args[2048];
    snprintf(args, sizeof args, "decorrelate --in " DIR "wdbc_raw.csv --ignore case,target_sklearn --label-col malignant "
             "--threshold 0.8 --out %s --clusters %s", kept, clusters);
    assert_int_equal(run_cli(args, NULL), 0);
    radx_csv *k = ref_read(kept), *c = ref_read(clusters);
    assert_int_equal(c->nrows, 30);
    int nkept = 0;
    for (int r = 0; r < 30; r++) nkept += (int)ref_number(c, r, "representative");
    assert_int_equal(k->ncols, nkept + 3); /* case, target_sklearn, malignant carried through */
    assert_int_equal(k->nrows, 569);
    assert_string_equal(k->header[0], "case");
    assert_true(radx_csv_column(k, "worst_perimeter") >= 0);
    assert_true(radx_csv_column(k, "mean_radius") < 0);
    radx_csv_free(k);
    radx_csv_free(c);
    remove(kept); remove(clusters);
    free(kept); free(clusters);
}

static void test_cli_errors_name_the_culprit(void **state)
{
    (void)state;
    if (!getenv("RADX_BIN")) skip();
    char *in = radx_test_temp_file(".csv", "id,a,b,c\n1,1.5,2,7\n2,2.5,3,7\n3,NA,1,7\n");
    char *err = radx_test_temp_file(".txt", ""), *out = radx_test_temp_file(".csv", "");
    char args[2048];
    snprintf(args, sizeof args, "decorrelate --in %s --ignore id --out %s", in, out);
    assert_int_not_equal(run_cli(args, err), 0);
    char *msg = radx_test_read_file(err, NULL);
    assert_contains(msg, "row 3 (line 4), column 'a': missing value");
    free(msg);
    snprintf(args, sizeof args, "decorrelate --in %s --ignore id,a --out %s", in, out);
    assert_int_not_equal(run_cli(args, err), 0);
    msg = radx_test_read_file(err, NULL);
    assert_contains(msg, "feature 'c' is constant");
    free(msg);
    remove(in); remove(err); remove(out);
    free(in); free(err); free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pearson_against_r),
        cmocka_unit_test(test_univariable_auc_against_wilcoxon),
        cmocka_unit_test(test_zscore_with_training_rows),
        cmocka_unit_test(test_clustering_rule),
        cmocka_unit_test(test_constant_feature_is_an_error),
        cmocka_unit_test(test_cli_decorrelate),
        cmocka_unit_test(test_cli_errors_name_the_culprit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
