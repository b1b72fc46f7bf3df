/* ComBat against R's sva::ComBat 3.46.0: the shared reference set (wdbc,
 * three centres, with and without the malignant covariate: harmonised matrix,
 * B.hat, grand mean, pooled variance, priors, it.sol iterations and
 * gamma/delta hat and star) and the variants in tests/data/stats2
 * (nonparametric, mean-only, reference batch, categorical + numeric
 * covariates, a batch of one case, a feature constant inside a batch), all
 * made by sva itself (tests/data/stats2/README.md). */
#include "testutil.h"
#include "radx/radx.h"
#include "test_stats_ref.h"
#include "stats/combat.h"
#include "stats/decorrelate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIR "tests/data/stats2/"
#define REL 1e-9

/* ------------------------------------------------------------ helpers */

/* A wdbc-style input: features (named), batch = centre - 1, covariates. */
typedef struct combat_input {
    radx_csv *csv;
    radx_feature_matrix fm;
    int *batch;
    int nbatches;
} combat_input;

static const char *const MEAN_FEATURES[] = {
    "mean_radius", "mean_texture", "mean_perimeter", "mean_area", "mean_smoothness",
    "mean_compactness", "mean_concavity", "mean_concave_points", "mean_symmetry", "mean_fractal_dimension"};

static void input_load(combat_input *in, const char *path, const char *const *features, int p)
{
    memset(in, 0, sizeof *in);
    in->csv = ref_read(path);
    if (features) {
        assert_int_equal(radx_feature_matrix_named(in->csv, features, p, &in->fm), RADX_OK);
    } else {
        const char *exclude[] = {"case", "centre", "malignant"};
        assert_int_equal(radx_feature_matrix_select(in->csv, exclude, 3, NULL, &in->fm), RADX_OK);
    }
    in->batch = malloc((size_t)in->csv->nrows * sizeof *in->batch);
    const char **levels = NULL;
    int bcol = radx_csv_column(in->csv, "centre");
    assert_int_equal(radx_column_levels(in->csv, bcol, &levels, &in->nbatches, in->batch), RADX_OK);
    free(levels);
}

static void input_free(combat_input *in)
{
    radx_feature_matrix_free(&in->fm);
    radx_csv_free(in->csv);
    free(in->batch);
}

/* Compare a harmonised matrix with sva's (same rows, columns by name). */
static double compare_matrix(const radx_csv *ref, const combat_input *in, const double *out)
{
    double worst = 0;
    assert_int_equal(ref->nrows, in->csv->nrows);
    for (int j = 0; j < in->fm.nfeatures; j++) {
        const char *name = in->csv->header[in->fm.columns[j]];
        for (int r = 0; r < ref->nrows; r++) {
            double expected = ref_number(ref, r, name), got = out[(size_t)r * in->fm.nfeatures + j];
            char what[256];
            snprintf(what, sizeof what, "row %d %s", r + 1, name);
            assert_close(what, got, expected, REL, 0);
            worst = fmax(worst, fabs(got - expected) / fmax(fabs(expected), 1e-300));
        }
    }
    return worst;
}

static int feature_index(const combat_input *in, const char *name)
{
    for (int j = 0; j < in->fm.nfeatures; j++)
        if (strcmp(in->csv->header[in->fm.columns[j]], name) == 0) return j;
    fail_msg("feature %s not found", name);
    return -1;
}

/* gamma/delta per (centre, feature) rows of a *_gamma_delta.csv file. */
static double compare_gamma_delta(const char *path, const combat_input *in, const radx_combat_model *m, int hats)
{
    radx_csv *ref = ref_read(path);
    int fcol = radx_csv_column(ref, "feature"), ccol = radx_csv_column(ref, "centre");
    double worst = 0;
    for (int r = 0; r < ref->nrows; r++) {
        int j = feature_index(in, ref->cells[r][fcol]);
        int b = atoi(ref->cells[r][ccol]) - 1;
        size_t at = (size_t)b * m->nfeatures + j;
        const char *cols[] = {"gamma_star", "delta_star", "gamma_hat", "delta_hat"};
        const double *got[] = {m->gamma_star, m->delta_star, m->gamma_hat, m->delta_hat};
        for (int k = 0; k < (hats ? 4 : 2); k++) {
            double expected = ref_number(ref, r, cols[k]);
            char what[256];
            snprintf(what, sizeof what, "%s centre %d %s", cols[k], b + 1, ref->cells[r][fcol]);
            assert_close(what, got[k][at], expected, REL, 0);
            worst = fmax(worst, fabs(got[k][at] - expected) / fabs(expected));
        }
    }
    radx_csv_free(ref);
    return worst;
}

/* ------------------------------------------------------------ shared reference */

static void check_shared_reference(const char *prefix, int with_malignant)
{
    combat_input in;
    input_load(&in, DIR "wdbc_batched.csv", NULL, 0);
    assert_int_equal(in.fm.nfeatures, 30);
    double *cov = NULL;
    if (with_malignant) {
        cov = malloc((size_t)in.csv->nrows * sizeof *cov);
        for (int r = 0; r < in.csv->nrows; r++) cov[r] = ref_number(in.csv, r, "malignant");
    }
    radx_combat_model *m = NULL;
    assert_int_equal(radx_combat_fit(in.fm.x, in.fm.nrows, 30, in.batch, in.nbatches, cov, with_malignant, NULL, &m),
                     RADX_OK);
    double *out = malloc((size_t)in.fm.nrows * 30 * sizeof *out);
    assert_int_equal(radx_combat_apply(m, in.fm.x, in.fm.nrows, in.batch, cov, out), RADX_OK);

    char path[256];
    snprintf(path, sizeof path, DIR "%s.csv", prefix);
    radx_csv *ref = ref_read(path);
    double w_out = compare_matrix(ref, &in, out);
    radx_csv_free(ref);

    snprintf(path, sizeof path, DIR "%s_gamma_delta.csv", prefix);
    double w_gd = compare_gamma_delta(path, &in, m, 1);

    /* per feature: grand mean, pooled variance (divisor n), B.hat */
    snprintf(path, sizeof path, DIR "%s_features.csv", prefix);
    ref = ref_read(path);
    double w_feat = 0;
    for (int r = 0; r < ref->nrows; r++) {
        int j = feature_index(&in, ref->cells[r][0]);
        double pairs[][2] = {{m->grand_mean[j], ref_number(ref, r, "grand_mean")},
                             {m->var_pooled[j], ref_number(ref, r, "var_pooled")},
                             {m->beta_batch[j], ref_number(ref, r, "bhat_centre1")},
                             {m->beta_batch[30 + j], ref_number(ref, r, "bhat_centre2")},
                             {m->beta_batch[60 + j], ref_number(ref, r, "bhat_centre3")},
                             {with_malignant ? m->beta_cov[j] : 0,
                              with_malignant ? ref_number(ref, r, "bhat_malignant") : 0}};
        for (int k = 0; k < 6; k++) {
            assert_close(ref->cells[r][0], pairs[k][0], pairs[k][1], REL, 0);
            if (pairs[k][1] != 0) w_feat = fmax(w_feat, fabs(pairs[k][0] - pairs[k][1]) / fabs(pairs[k][1]));
        }
    }
    radx_csv_free(ref);

    /* per centre: priors and sva's it.sol iteration count, exactly */
    snprintf(path, sizeof path, DIR "%s_batches.csv", prefix);
    ref = ref_read(path);
    for (int b = 0; b < ref->nrows; b++) {
        assert_int_equal(m->batch_n[b], (int64_t)ref_number(ref, b, "n"));
        assert_close("gamma_bar", m->gamma_bar[b], ref_number(ref, b, "gamma_bar"), REL, 0);
        assert_close("t2", m->t2[b], ref_number(ref, b, "t2"), REL, 0);
        assert_close("a_prior", m->a_prior[b], ref_number(ref, b, "a_prior"), REL, 0);
        assert_close("b_prior", m->b_prior[b], ref_number(ref, b, "b_prior"), REL, 0);
        assert_int_equal(m->iterations[b], (int)ref_number(ref, b, "it_sol_iterations"));
    }
    radx_csv_free(ref);
    printf("  %s: max rel. deviation: output %.3g, gamma/delta %.3g, B.hat/mean/var %.3g\n", prefix, w_out, w_gd,
           w_feat);
    free(out);
    free(cov);
    radx_combat_free(m);
    input_free(&in);
}

static void test_sva_no_covariate(void **state)
{
    (void)state;
    check_shared_reference("wdbc_combat_nocov", 0);
}

static void test_sva_malignant_covariate(void **state)
{
    (void)state;
    check_shared_reference("wdbc_combat_malignant", 1);
}

/* ------------------------------------------------------------ sva variants */

/* Covariate design of combat_variants_input.csv as R's model.matrix(~ malignant
 * + factor(radius_tertile) + worst_symmetry) codes it, intercept dropped. */
static double *variant_covariates(const radx_csv *csv)
{
    double *cov = malloc((size_t)csv->nrows * 4 * sizeof *cov);
    for (int r = 0; r < csv->nrows; r++) {
        double tertile = ref_number(csv, r, "radius_tertile");
        cov[r * 4 + 0] = ref_number(csv, r, "malignant");
        cov[r * 4 + 1] = tertile == 2;
        cov[r * 4 + 2] = tertile == 3;
        cov[r * 4 + 3] = ref_number(csv, r, "worst_symmetry");
    }
    return cov;
}

static radx_combat_model *check_variant(const char *input, const char *name, radx_combat_options opt, int ncov)
{
    combat_input in;
    input_load(&in, input, MEAN_FEATURES, 10);
    double *cov = NULL;
    if (ncov == 1) {
        cov = malloc((size_t)in.csv->nrows * sizeof *cov);
        for (int r = 0; r < in.csv->nrows; r++) cov[r] = ref_number(in.csv, r, "malignant");
    } else if (ncov == 4) {
        cov = variant_covariates(in.csv);
    }
    radx_combat_model *m = NULL;
    assert_int_equal(radx_combat_fit(in.fm.x, in.fm.nrows, 10, in.batch, in.nbatches, cov, ncov, &opt, &m), RADX_OK);
    double *out = malloc((size_t)in.fm.nrows * 10 * sizeof *out);
    assert_int_equal(radx_combat_apply(m, in.fm.x, in.fm.nrows, in.batch, cov, out), RADX_OK);
    char path[256];
    snprintf(path, sizeof path, DIR "combat_variants_%s.csv", name);
    radx_csv *ref = ref_read(path);
    double w_out = compare_matrix(ref, &in, out);
    radx_csv_free(ref);
    snprintf(path, sizeof path, DIR "combat_variants_%s_gamma_delta.csv", name);
    double w_gd = compare_gamma_delta(path, &in, m, 0);
    printf("  %s: max rel. deviation: output %.3g, gamma*/delta* %.3g\n", name, w_out, w_gd);
    free(out);
    free(cov);
    input_free(&in);
    return m;
}

static void test_sva_nonparametric(void **state)
{
    (void)state;
    radx_combat_options o = {.nonparametric = 1, .ref_batch = -1};
    radx_combat_free(check_variant(DIR "combat_variants_input.csv", "nonparametric", o, 0));
    o.mean_only = 1;
    radx_combat_free(check_variant(DIR "combat_variants_input.csv", "nonparametric_meanonly", o, 0));
}

static void test_sva_mean_only(void **state)
{
    (void)state;
    radx_combat_options o = {.mean_only = 1, .ref_batch = -1};
    radx_combat_model *m = check_variant(DIR "combat_variants_input.csv", "meanonly", o, 0);
    for (int j = 0; j < 10; j++) assert_true(m->delta_star[j] == 1);
    radx_combat_free(m);
}

static void test_sva_reference_batch(void **state)
{
    (void)state;
    radx_combat_options o = {.ref_batch = 1};
    radx_combat_model *m = check_variant(DIR "combat_variants_input.csv", "refbatch2", o, 1);
    for (int j = 0; j < 10; j++) {
        assert_true(m->gamma_star[10 + j] == 0);
        assert_true(m->delta_star[10 + j] == 1);
    }
    radx_combat_free(m);
}

static void test_sva_categorical_and_numeric_covariates(void **state)
{
    (void)state;
    radx_combat_options o = {.ref_batch = -1};
    radx_combat_free(check_variant(DIR "combat_variants_input.csv", "covariates", o, 4));
}

/* A batch of one case: sva switches to mean.only by itself. */
static void test_sva_batch_with_one_case(void **state)
{
    (void)state;
    radx_combat_options o = {.ref_batch = -1};
    radx_combat_model *m = check_variant(DIR "combat_variants_onecase_input.csv", "onecase", o, 0);
    assert_int_equal(m->mean_only_forced, 1);
    assert_int_equal(m->batch_n[3], 1);
    radx_combat_free(m);
}

/* mean_symmetry is constant in centre 2: sva fits without it and passes it
 * through unchanged. */
static void test_sva_feature_constant_in_a_batch(void **state)
{
    (void)state;
    radx_combat_options o = {.ref_batch = -1};
    radx_combat_model *m = check_variant(DIR "combat_variants_zerovar_input.csv", "zerovar", o, 0);
    for (int j = 0; j < 10; j++) assert_int_equal(m->adjusted[j], j != 8);
    radx_combat_free(m);
}

/* ------------------------------------------------------------ beyond sva */

/* --converge: gamma*, delta* solve the posterior equations of Johnson et al.
 * (postmean/postvar) to rounding, and differ from sva's 1e-4-stopped values
 * by no more than that tolerance allows. */
static void test_converge_reaches_fixed_point(void **state)
{
    (void)state;
    combat_input in;
    input_load(&in, DIR "wdbc_batched.csv", NULL, 0);
    int p = in.fm.nfeatures;
    radx_combat_options o = {.ref_batch = -1, .converge = 1};
    radx_combat_model *m = NULL;
    assert_int_equal(radx_combat_fit(in.fm.x, in.fm.nrows, p, in.batch, in.nbatches, NULL, 0, &o, &m), RADX_OK);
    double *out = malloc((size_t)in.fm.nrows * p * sizeof *out);
    assert_int_equal(radx_combat_apply(m, in.fm.x, in.fm.nrows, in.batch, NULL, out), RADX_OK);
    for (int b = 0; b < 3; b++) {
        double n = (double)m->batch_n[b];
        for (int j = 0; j < p; j++) {
            size_t at = (size_t)b * p + j;
            double g = m->gamma_star[at], d = m->delta_star[at];
            double g_eq = (m->t2[b] * n * m->gamma_hat[at] + d * m->gamma_bar[b]) / (m->t2[b] * n + d);
            assert_close("fixed point gamma", g, g_eq, 1e-13, 0);
            /* delta = (sum (z - gamma)^2 / 2 + b) / (n / 2 + a - 1), z = standardised data */
            double sum2 = 0, sd = sqrt(m->var_pooled[j]);
            for (int r = 0; r < in.csv->nrows; r++) {
                if (in.batch[r] != b) continue;
                double z = (in.fm.x[(size_t)r * p + j] - m->grand_mean[j]) / sd - g;
                sum2 += z * z;
            }
            assert_close("fixed point delta", d, (0.5 * sum2 + m->b_prior[b]) / (n / 2 + m->a_prior[b] - 1), 1e-12, 0);
        }
    }
    /* against sva's stopped iteration: within the 1e-4 stopping tolerance */
    radx_csv *ref = ref_read(DIR "wdbc_combat_nocov_gamma_delta.csv");
    for (int r = 0; r < ref->nrows; r++) {
        int j = feature_index(&in, ref->cells[r][1]), b = atoi(ref->cells[r][0]) - 1;
        assert_close("converged vs sva gamma*", m->gamma_star[(size_t)b * p + j], ref_number(ref, r, "gamma_star"), 5e-4, 1e-6);
        assert_close("converged vs sva delta*", m->delta_star[(size_t)b * p + j], ref_number(ref, r, "delta_star"), 5e-4, 0);
    }
    radx_csv_free(ref);
    free(out);
    radx_combat_free(m);
    input_free(&in);
}

/* Fit, save, load, then harmonise each case on its own as a "new" row from a
 * known centre: sva's output for that case, bit for bit the fitted values. */
static void test_saved_model_harmonises_new_rows(void **state)
{
    (void)state;
    combat_input in;
    input_load(&in, DIR "wdbc_batched.csv", NULL, 0);
    int p = in.fm.nfeatures;
    int64_t n = in.fm.nrows;
    double *cov = malloc((size_t)n * sizeof *cov);
    for (int r = 0; r < n; r++) cov[r] = ref_number(in.csv, r, "malignant");
    radx_combat_model *m = NULL;
    assert_int_equal(radx_combat_fit(in.fm.x, n, p, in.batch, 3, cov, 1, NULL, &m), RADX_OK);
    double *fitted = malloc((size_t)n * p * sizeof *fitted);
    assert_int_equal(radx_combat_apply(m, in.fm.x, n, in.batch, cov, fitted), RADX_OK);

    char **features = malloc((size_t)p * sizeof *features);
    for (int j = 0; j < p; j++) features[j] = in.csv->header[in.fm.columns[j]];
    char *batches[] = {"1", "2", "3"}, *covariates[] = {"malignant"};
    radx_combat_names names = {features, batches, covariates, "centre"};
    char *path = radx_test_temp_file(".csv", "");
    assert_int_equal(radx_combat_save(m, &names, path), RADX_OK);
    radx_combat_model *loaded = NULL;
    radx_combat_names back;
    assert_int_equal(radx_combat_load(path, &loaded, &back), RADX_OK);
    assert_string_equal(back.batch_column, "centre");
    assert_string_equal(back.covariates[0], "malignant");
    assert_string_equal(back.features[29], features[29]);

    radx_csv *ref = ref_read(DIR "wdbc_combat_malignant.csv");
    double *one = malloc((size_t)p * sizeof *one);
    for (int64_t r = n - 1; r >= 0; r -= 7) {
        assert_int_equal(radx_combat_apply(loaded, in.fm.x + r * p, 1, in.batch + r, cov + r, one), RADX_OK);
        for (int j = 0; j < p; j++) {
            assert_true(one[j] == fitted[r * p + j]);
            assert_close(features[j], one[j], ref_number(ref, (int)r, features[j]), REL, 0);
        }
    }
    radx_csv_free(ref);
    free(one);
    radx_combat_names_free(&back, loaded);
    radx_combat_free(loaded);
    remove(path);
    free(path);
    free(features);
    free(fitted);
    free(cov);
    radx_combat_free(m);
    input_free(&in);
}

/* ------------------------------------------------------------ errors */

static void test_missing_value_names_row_and_column(void **state)
{
    (void)state;
    char *path = radx_test_temp_file(".csv", "id,site,a,b\np1,A,1,2\np2,B,NA,3\np3,A,2,4\n");
    radx_csv *csv = ref_read(path);
    const char *exclude[] = {"site"};
    radx_feature_matrix fm;
    assert_int_equal(radx_feature_matrix_select(csv, exclude, 1, NULL, &fm), RADX_ERR_FORMAT);
    assert_contains(radx_last_error(), "row 2 (line 3), column 'a': missing value");
    radx_csv_free(csv);
    remove(path);
    free(path);
}

static void test_confounded_covariate_is_an_error(void **state)
{
    (void)state;
    double x[] = {1, 2, 2, 3, 3, 5, 4, 4, 5, 1, 6, 2};
    int batch[] = {0, 0, 0, 1, 1, 1};
    double cov[] = {0, 0, 0, 1, 1, 1}; /* = batch 2 indicator */
    radx_combat_model *m = NULL;
    assert_int_equal(radx_combat_fit(x, 6, 2, batch, 2, cov, 1, NULL, &m), RADX_ERR_NUMERIC);
    assert_contains(radx_last_error(), "confounded with batch");
    assert_null(m);
}

/* ------------------------------------------------------------ command line */

static int run_cli(const char *args)
{
    const char *bin = getenv("RADX_BIN");
    if (!bin) return -1;
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s 2>/dev/null", bin, args);
    return system(cmd);
}

static void test_cli_harmonize_and_apply_model(void **state)
{
    (void)state;
    if (!getenv("RADX_BIN")) skip();
    char *out = radx_test_temp_file(".csv", ""), *model = radx_test_temp_file(".csv", "");
    char *applied = radx_test_temp_file(".csv", "");
    char args[2048];
    snprintf(args, sizeof args,
             "harmonize --in " DIR "wdbc_batched.csv --batch-col centre --ignore case --covariate malignant "
             "--out %s --save-model %s", out, model);
    assert_int_equal(run_cli(args), 0);
    snprintf(args, sizeof args, "harmonize --in " DIR "wdbc_batched.csv --apply-model %s --out %s", model, applied);
    assert_int_equal(run_cli(args), 0);
    radx_csv *ref = ref_read(DIR "wdbc_combat_malignant.csv");
    const char *files[] = {out, applied};
    for (int f = 0; f < 2; f++) {
        radx_csv *got = ref_read(files[f]);
        assert_int_equal(got->ncols, 33); /* case, centre, malignant carried through */
        assert_string_equal(got->header[0], "case");
        for (int r = 0; r < ref->nrows; r += 13) {
            assert_string_equal(got->cells[r][0], ref->cells[r][0]);
            for (int c = 2; c < ref->ncols; c++)
                assert_close(ref->header[c], ref_number(got, r, ref->header[c]), ref_number(ref, r, ref->header[c]), REL, 0);
        }
        radx_csv_free(got);
    }
    radx_csv_free(ref);
    remove(out); remove(model); remove(applied);
    free(out); free(model); free(applied);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sva_no_covariate),
        cmocka_unit_test(test_sva_malignant_covariate),
        cmocka_unit_test(test_sva_nonparametric),
        cmocka_unit_test(test_sva_mean_only),
        cmocka_unit_test(test_sva_reference_batch),
        cmocka_unit_test(test_sva_categorical_and_numeric_covariates),
        cmocka_unit_test(test_sva_batch_with_one_case),
        cmocka_unit_test(test_sva_feature_constant_in_a_batch),
        cmocka_unit_test(test_converge_reaches_fixed_point),
        cmocka_unit_test(test_saved_model_harmonises_new_rows),
        cmocka_unit_test(test_missing_value_names_row_and_column),
        cmocka_unit_test(test_confounded_covariate_is_an_error),
        cmocka_unit_test(test_cli_harmonize_and_apply_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
