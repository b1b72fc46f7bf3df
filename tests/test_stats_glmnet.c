/* Binomial LASSO / elastic-net paths against R's glmnet 4.1-6: the shared
 * wdbc reference (default path, and the same lambdas converged with
 * thresh = 1e-24) and the variants of tests/data/stats2 (alpha = 0.5; n < p
 * with a constant feature), all made by glmnet itself. */
#include "testutil.h"
#include "radx/radx.h"
#include "test_stats_ref.h"
#include "stats/decorrelate.h"
#include "stats/glmnet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIR "tests/data/stats2/"

/* ------------------------------------------------------------ helpers */

typedef struct dataset {
    radx_csv *csv;
    radx_feature_matrix fm;
    double *y;
} dataset;

static double number(const radx_csv *csv, int row, int col)
{
    double v;
    if (col < 0 || radx_csv_number(csv->cells[row][col], &v) != 0) fail_msg("%s: bad cell", csv->path);
    return v;
}

static void dataset_load(dataset *d, const char *path, const char *ignore)
{
    d->csv = ref_read(path);
    const char *exclude[] = {"malignant"};
    assert_int_equal(radx_feature_matrix_select(d->csv, exclude, 1, ignore, &d->fm), RADX_OK);
    d->y = malloc((size_t)d->csv->nrows * sizeof *d->y);
    int c = radx_csv_column(d->csv, "malignant");
    for (int r = 0; r < d->csv->nrows; r++) d->y[r] = number(d->csv, r, c);
}

static void dataset_free(dataset *d)
{
    radx_feature_matrix_free(&d->fm);
    radx_csv_free(d->csv);
    free(d->y);
}

static radx_glmnet_path *fit(const dataset *d, double alpha, double thresh)
{
    radx_glmnet_options o;
    radx_glmnet_default_options(&o);
    o.alpha = alpha;
    o.thresh = thresh;
    radx_glmnet_path *p = NULL;
    if (radx_glmnet_binomial(d->fm.x, d->fm.nrows, d->fm.nfeatures, d->y, &o, &p) != RADX_OK)
        fail_msg("%s", radx_last_error());
    return p;
}

/* The reference path's coefficient of feature j (-1: intercept) at a step;
 * reference columns are found by the feature's name. */
static double ref_coef(const radx_csv *ref, int step, const dataset *d, int j)
{
    const char *name = j < 0 ? "intercept" : d->csv->header[d->fm.columns[j]];
    return number(ref, step, radx_csv_column(ref, name));
}

typedef struct path_diff {
    double lambda, coef, dev_ratio;
    int df_mismatch, active_mismatch;
} path_diff;

/* Coefficient deviation of a step, relative to the largest |coefficient|
 * (intercept included) of the reference at that step. */
static path_diff compare_path(const radx_glmnet_path *p, const radx_csv *ref, const dataset *d)
{
    path_diff w = {0};
    int P = d->fm.nfeatures;
    assert_int_equal(p->nlambda, ref->nrows);
    for (int s = 0; s < ref->nrows; s++) {
        double lam = number(ref, s, radx_csv_column(ref, "lambda"));
        w.lambda = fmax(w.lambda, fabs(p->lambda[s] - lam) / lam);
        double big = fabs(ref_coef(ref, s, d, -1));
        for (int j = 0; j < P; j++) big = fmax(big, fabs(ref_coef(ref, s, d, j)));
        double e = fabs(p->a0[s] - ref_coef(ref, s, d, -1));
        int active = 0;
        for (int j = 0; j < P; j++) {
            double r = ref_coef(ref, s, d, j), g = p->beta[(size_t)s * P + j];
            e = fmax(e, fabs(g - r));
            active |= (r != 0) != (g != 0);
        }
        w.coef = fmax(w.coef, e / big);
        w.active_mismatch += active;
        w.df_mismatch += p->df[s] != (int)number(ref, s, radx_csv_column(ref, "df"));
        w.dev_ratio = fmax(w.dev_ratio, fabs(p->dev_ratio[s] - number(ref, s, radx_csv_column(ref, "dev_ratio"))));
    }
    return w;
}

/* KKT conditions written out from the objective, as the reference's
 * kkt_violation() does: g_j = X_j'(y - p) / (n s_j) with s_j the population
 * SD, p = 0/1 beyond |eta| > log((1 - 1e-9)/1e-9); |g_j - lambda alpha
 * sign(beta_j) - lambda (1 - alpha) beta_j s_j| for active j, (|g_j| -
 * lambda alpha)+ otherwise, and |mean(y - p)|; the max over j / lambda. */
static double independent_kkt(const radx_glmnet_path *p, int s, const dataset *d, double alpha)
{
    int64_t n = d->fm.nrows;
    int P = d->fm.nfeatures;
    double fmaxv = log((1 - 1e-9) / 1e-9), lam = p->lambda[s], worst = 0, resid_sum = 0;
    double *res = malloc((size_t)n * sizeof *res);
    for (int64_t i = 0; i < n; i++) {
        double eta = p->a0[s];
        for (int j = 0; j < P; j++) eta += d->fm.x[i * P + j] * p->beta[(size_t)s * P + j];
        double pr = eta < -fmaxv ? 0 : eta > fmaxv ? 1 : 1 / (1 + exp(-eta));
        res[i] = d->y[i] - pr;
        resid_sum += res[i];
    }
    worst = fabs(resid_sum / n);
    for (int j = 0; j < P; j++) {
        double m = 0, ss = 0, g = 0;
        for (int64_t i = 0; i < n; i++) m += d->fm.x[i * P + j];
        m /= n;
        for (int64_t i = 0; i < n; i++) ss += (d->fm.x[i * P + j] - m) * (d->fm.x[i * P + j] - m);
        double sd = sqrt(ss / n);
        if (sd == 0) continue; /* constant: excluded, as glmnet does */
        for (int64_t i = 0; i < n; i++) g += d->fm.x[i * P + j] * res[i];
        g /= n * sd;
        double b = p->beta[(size_t)s * P + j];
        double v = b != 0 ? fabs(g - lam * alpha * copysign(1, b) - lam * (1 - alpha) * b * sd)
                          : fmax(0, fabs(g) - lam * alpha);
        worst = fmax(worst, v);
    }
    free(res);
    return worst / lam;
}

/* ------------------------------------------------------------ wdbc, lasso */

static void test_lambda_sequence_and_null_deviance(void **state)
{
    (void)state;
    dataset d;
    dataset_load(&d, DIR "wdbc_raw.csv", "case,target_sklearn");
    radx_glmnet_path *p = fit(&d, 1, 0);
    radx_csv *ref = ref_read(DIR "wdbc_glmnet_path.csv");
    int lc = radx_csv_column(ref, "lambda");
    assert_int_equal(p->nlambda, 100);
    for (int s = 0; s < 100; s++) assert_close("lambda", p->lambda[s], number(ref, s, lc), 1e-9, 0);
    radx_csv *info = ref_read(DIR "wdbc_glmnet_fit_info.csv");
    assert_close("nulldev", p->nulldev, number(info, 0, radx_csv_column(info, "nulldev")), 1e-12, 0);
    radx_csv_free(info);
    radx_csv_free(ref);
    radx_glmnet_path_free(p);
    dataset_free(&d);
}

/* The converging solver against glmnet(thresh = 1e-24): coefficients within
 * 1e-6 of the step's largest coefficient, same df, and the KKT conditions
 * recomputed here from the original-scale coefficients hold to 1e-7 lambda. */
static void check_converged(const char *input, const char *ignore, const char *tight, double alpha)
{
    dataset d;
    dataset_load(&d, input, ignore);
    radx_glmnet_path *p = fit(&d, alpha, 0);
    radx_csv *ref = ref_read(tight);
    path_diff w = compare_path(p, ref, &d);
    double kkt = 0, own = 0;
    for (int s = 0; s < p->nlambda; s++) {
        kkt = fmax(kkt, independent_kkt(p, s, &d, alpha));
        own = fmax(own, p->kkt[s]);
    }
    printf("  %s: lambda %.2g, coef %.2g (of the largest), dev_ratio %.2g, KKT %.2g (own %.2g), "
           "df mismatches %d\n", tight, w.lambda, w.coef, w.dev_ratio, kkt, own, w.df_mismatch);
    assert_true(w.lambda <= 1e-9);
    assert_true(w.coef <= 1e-6);
    assert_true(w.dev_ratio <= 1e-9);
    assert_int_equal(w.df_mismatch, 0);
    assert_true(kkt <= 1e-7);
    radx_csv_free(ref);
    radx_glmnet_path_free(p);
    dataset_free(&d);
}

/* --thresh 1e-7 runs glmnet's own iteration: the default path step for
 * step (and the same number of coordinate-descent passes). */
static void check_glmnet_default(const char *input, const char *ignore, const char *path, double alpha,
                                 int64_t npasses)
{
    dataset d;
    dataset_load(&d, input, ignore);
    radx_glmnet_path *p = fit(&d, alpha, 1e-7);
    radx_csv *ref = ref_read(path);
    path_diff w = compare_path(p, ref, &d);
    printf("  %s with --thresh 1e-7: coef %.2g, dev_ratio %.2g, passes %lld\n", path, w.coef, w.dev_ratio,
           (long long)p->npasses);
    assert_true(w.coef <= 1e-9);
    assert_true(w.dev_ratio <= 1e-12);
    assert_int_equal(w.active_mismatch, 0);
    if (npasses) assert_int_equal(p->npasses, npasses);
    radx_csv_free(ref);
    radx_glmnet_path_free(p);
    dataset_free(&d);
}

static void test_converged_path_matches_tight(void **state)
{
    (void)state;
    check_converged(DIR "wdbc_raw.csv", "case,target_sklearn", DIR "wdbc_glmnet_path_tight.csv", 1);
}

static void test_thresh_follows_default_path(void **state)
{
    (void)state;
    radx_csv *info = ref_read(DIR "wdbc_glmnet_fit_info.csv");
    int64_t passes = (int64_t)number(info, 0, radx_csv_column(info, "npasses"));
    radx_csv_free(info);
    check_glmnet_default(DIR "wdbc_raw.csv", "case,target_sklearn", DIR "wdbc_glmnet_path.csv", 1, passes);
}

/* R's default path is accurate only to its thresh: the converged path is
 * within the documented distance of it, and has the same active set wherever
 * R's default and tight paths agree. */
static void test_default_path_within_documented_accuracy(void **state)
{
    (void)state;
    dataset d;
    dataset_load(&d, DIR "wdbc_raw.csv", "case,target_sklearn");
    radx_glmnet_path *p = fit(&d, 1, 0);
    radx_csv *def = ref_read(DIR "wdbc_glmnet_path.csv"), *tight = ref_read(DIR "wdbc_glmnet_path_tight.csv");
    path_diff w = compare_path(p, def, &d);
    int P = d.fm.nfeatures, agree_steps = 0;
    for (int s = 0; s < def->nrows; s++) {
        int agree = 1;
        for (int j = 0; j < P; j++) agree &= (ref_coef(def, s, &d, j) != 0) == (ref_coef(tight, s, &d, j) != 0);
        if (!agree) continue;
        agree_steps++;
        for (int j = 0; j < P; j++)
            assert_int_equal(p->beta[(size_t)s * P + j] != 0, ref_coef(def, s, &d, j) != 0);
    }
    printf("  vs R's default path: coef %.3g of the largest; same active set at all %d steps where R's "
           "default and tight agree\n", w.coef, agree_steps);
    assert_int_equal(agree_steps, 88); /* 12 of 100 differ (reference README) */
    assert_true(w.coef < 0.15);
    radx_csv_free(def);
    radx_csv_free(tight);
    radx_glmnet_path_free(p);
    dataset_free(&d);
}

/* ------------------------------------------------------------ variants */

static void test_elastic_net_alpha_half(void **state)
{
    (void)state;
    check_converged(DIR "wdbc_raw.csv", "case,target_sklearn", DIR "glmnet_variants_alpha05_path_tight.csv", 0.5);
    check_glmnet_default(DIR "wdbc_raw.csv", "case,target_sklearn", DIR "glmnet_variants_alpha05_path.csv", 0.5, 0);
}

/* Ridge: lambda_max = max_j |x_j'(y - ybar)| / (n s_j) / 1e-3; glmnet's
 * default first step is the null model (fitted at "infinity"), the converged
 * path solves it at its lambda like the tight reference. */
static void test_ridge_alpha_zero(void **state)
{
    (void)state;
    check_converged(DIR "wdbc_raw.csv", "case,target_sklearn", DIR "glmnet_variants_alpha0_path_tight.csv", 0);
    check_glmnet_default(DIR "wdbc_raw.csv", "case,target_sklearn", DIR "glmnet_variants_alpha0_path.csv", 0, 0);
}

/* 24 cases, 31 features (one constant): lambda.min.ratio 0.01; the constant
 * feature never enters. */
static void test_n_less_than_p_with_constant_feature(void **state)
{
    (void)state;
    check_converged(DIR "glmnet_variants_small_input.csv", "case", DIR "glmnet_variants_small_path_tight.csv", 1);
    check_glmnet_default(DIR "glmnet_variants_small_input.csv", "case", DIR "glmnet_variants_small_path.csv", 1, 0);
    dataset d;
    dataset_load(&d, DIR "glmnet_variants_small_input.csv", "case");
    assert_int_equal(d.fm.nfeatures, 31);
    radx_glmnet_path *p = fit(&d, 1, 0);
    assert_close("lambda ratio", p->lambda[p->nlambda - 1] / p->lambda[1],
                 pow(0.01, 98.0 / 99.0), 1e-12, 0); /* alf^98 with alf = 0.01^(1/99) */
    for (int s = 0; s < p->nlambda; s++) assert_true(p->beta[(size_t)s * 31 + 30] == 0);
    radx_glmnet_path_free(p);
    dataset_free(&d);
}

/* ------------------------------------------------------------ errors */

static void test_single_class_is_an_error(void **state)
{
    (void)state;
    double x[] = {1, 2, 3, 4, 5, 6}, y[] = {0, 0, 0, 0, 0, 1};
    radx_glmnet_path *p = NULL;
    assert_int_equal(radx_glmnet_binomial(x, 6, 1, y, NULL, &p), RADX_ERR_NUMERIC);
    assert_contains(radx_last_error(), "one class has 1 observation");
    assert_null(p);
    radx_glmnet_options o;
    radx_glmnet_default_options(&o);
    o.alpha = 1.5;
    double y2[] = {0, 1, 0, 1, 0, 1};
    assert_int_equal(radx_glmnet_binomial(x, 6, 1, y2, &o, &p), RADX_ERR_PARAM);
}

/* ------------------------------------------------------------ command line */

static void test_cli_lasso_path(void **state)
{
    (void)state;
    const char *bin = getenv("RADX_BIN");
    if (!bin) skip();
    char *out = radx_test_temp_file(".csv", "");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s lasso --in " DIR "wdbc_raw.csv --label-col malignant --ignore case,target_sklearn "
             "--path %s", bin, out);
    assert_int_equal(system(cmd), 0);
    radx_csv *got = ref_read(out), *ref = ref_read(DIR "wdbc_glmnet_path_tight.csv");
    assert_int_equal(got->nrows, 100);
    assert_string_equal(got->header[0], "lambda");
    assert_string_equal(got->header[3], "intercept");
    assert_int_equal(got->ncols, 34);
    for (int s = 0; s < 100; s++) {
        double big = 0;
        for (int c = 4; c < ref->ncols; c++) big = fmax(big, fabs(number(ref, s, c)));
        big = fmax(big, fabs(number(ref, s, 4)));
        for (int c = 3; c < got->ncols; c++) {
            const char *name = got->header[c];
            assert_close(name, number(got, s, c), number(ref, s, radx_csv_column(ref, name)), 0, 1e-6 * big);
        }
    }
    radx_csv_free(got);
    radx_csv_free(ref);
    remove(out);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lambda_sequence_and_null_deviance),
        cmocka_unit_test(test_converged_path_matches_tight),
        cmocka_unit_test(test_thresh_follows_default_path),
        cmocka_unit_test(test_default_path_within_documented_accuracy),
        cmocka_unit_test(test_elastic_net_alpha_half),
        cmocka_unit_test(test_ridge_alpha_zero),
        cmocka_unit_test(test_n_less_than_p_with_constant_feature),
        cmocka_unit_test(test_single_class_is_an_error),
        cmocka_unit_test(test_cli_lasso_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
