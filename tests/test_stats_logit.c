/* Logistic regression against R 4.2.2's glm(family = binomial) refitted
 * from its own estimate ("converged" rows: SEs from the Hessian at the
 * estimate; tests/data/stats/README.md): the 4-feature wdbc model, the
 * models with categorical predictors (reference levels, R's term names),
 * drop1 likelihood-ratio and Wald whole-term tests, covariance matrices;
 * `radx logit` with --ref/--factor/--terms-out/--screen; perfect and
 * quasi-complete separation, singular designs, n < p and missing values. */
#include "testutil.h"
#include "radx/radx.h"
#include "radx/stats.h"
#include "test_stats_ref.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAW "tests/data/stats/wdbc_raw.csv"
#define CATEGORICAL "tests/data/stats/wdbc_categorical_variables.csv"
#define GLM_REF "tests/data/stats/wdbc_glm.csv"
#define GLM_FIT_REF "tests/data/stats/wdbc_glm_fit_info.csv"
#define GLM_VCOV_REF "tests/data/stats/wdbc_glm_vcov_converged.csv"
#define CAT_REF "tests/data/stats/wdbc_glm_categorical.csv"
#define CAT_FIT_REF "tests/data/stats/wdbc_glm_categorical_fit_info.csv"
#define CAT_TERMS_REF "tests/data/stats/wdbc_glm_categorical_terms.csv"
#define CAT_VCOV_REF "tests/data/stats/wdbc_glm_categorical_vcov.csv"

/* The bound: glm against the converged rows within 1e-8. */
#define GLM_TOL 1e-8

static double max_dev_seen;

static void check(const char *what, double got, double expected, double rel)
{
    assert_close(what, got, expected, rel, 0);
    double d = ref_deviation(got, expected, 1e-300);
    if (d > max_dev_seen) max_dev_seen = d;
}

/* Compare the coefficient rows of one fit with the reference rows whose
 * `model` (if given) and `fit` columns match, in order. */
static void compare_coefficients(const radx_csv *ref, const char *model, const radx_logit_result *fit,
                                 const char *const *names)
{
    int k = 0;
    for (int row = 0; row < ref->nrows; row++) {
        if (strcmp(ref->cells[row][ref_col(ref, "fit")], "converged")) continue;
        if (model && strcmp(ref->cells[row][ref_col(ref, "model")], model)) continue;
        assert_true(k < fit->nterms);
        if (names) assert_string_equal(names[k], ref->cells[row][ref_col(ref, "term")]);
        check("estimate", fit->estimate[k], ref_value(ref, row, "estimate"), GLM_TOL);
        check("std_error", fit->std_error[k], ref_value(ref, row, "std_error"), GLM_TOL);
        check("se at estimate", fit->std_error[k], ref_value(ref, row, "se_hessian_at_estimate"), GLM_TOL);
        check("z", fit->z[k], ref_value(ref, row, "z_value"), GLM_TOL);
        check("p", fit->p_value[k], ref_value(ref, row, "p_value"), GLM_TOL);
        check("beta_ci_lower", fit->ci_lo[k], ref_value(ref, row, "beta_ci_lower"), GLM_TOL);
        check("beta_ci_upper", fit->ci_hi[k], ref_value(ref, row, "beta_ci_upper"), GLM_TOL);
        check("odds_ratio", exp(fit->estimate[k]), ref_value(ref, row, "odds_ratio"), GLM_TOL);
        check("or_ci_lower", exp(fit->ci_lo[k]), ref_value(ref, row, "or_ci_lower"), GLM_TOL);
        check("or_ci_upper", exp(fit->ci_hi[k]), ref_value(ref, row, "or_ci_upper"), GLM_TOL);
        k++;
    }
    assert_int_equal(k, fit->nterms);
}

static void compare_fit_info(const radx_csv *ref, const char *model, const radx_logit_result *fit)
{
    for (int row = 0; row < ref->nrows; row++) {
        if (strcmp(ref->cells[row][ref_col(ref, "fit")], "converged")) continue;
        if (model && strcmp(ref->cells[row][ref_col(ref, "model")], model)) continue;
        check("deviance", fit->deviance, ref_value(ref, row, "deviance"), GLM_TOL);
        check("null deviance", fit->null_deviance, ref_value(ref, row, "null_deviance"), GLM_TOL);
        check("aic", fit->aic, ref_value(ref, row, "aic"), GLM_TOL);
        check("loglik", fit->loglik, ref_value(ref, row, "loglik"), GLM_TOL);
        assert_int_equal(fit->df_residual, (int64_t)ref_value(ref, row, "df_residual"));
        assert_int_equal(fit->df_null, (int64_t)ref_value(ref, row, "df_null"));
        assert_int_equal(fit->n, (int64_t)ref_value(ref, row, "n"));
        return;
    }
    fail_msg("no converged fit info for %s", model ? model : "the model");
}

static void compare_vcov(const char *path, const radx_logit_result *fit)
{
    radx_csv *v = ref_read(path);
    assert_int_equal(v->nrows, fit->nterms);
    for (int a = 0; a < fit->nterms; a++)
        for (int b = 0; b < fit->nterms; b++) {
            double expected = ref_value(v, a, v->header[b + 1]);
            /* relative to the diagonal scale: off-diagonal terms can be near 0 */
            double scale = sqrt(ref_value(v, a, v->header[a + 1]) * ref_value(v, b, v->header[b + 1]));
            assert_close("vcov", fit->vcov[a * fit->nterms + b], expected, 0, GLM_TOL * scale);
        }
    radx_csv_free(v);
}

static int *outcome(const radx_csv *raw)
{
    int *y = malloc((size_t)raw->nrows * sizeof *y);
    for (int r = 0; r < raw->nrows; r++) y[r] = (int)ref_value(raw, r, "malignant");
    return y;
}

static void test_glm_four_features(void **state)
{
    (void)state;
    radx_csv *raw = ref_read(RAW), *ref = ref_read(GLM_REF), *info = ref_read(GLM_FIT_REF);
    const char *vars[] = {"mean_radius", "mean_texture", "mean_smoothness", "mean_concave_points"};
    int n = raw->nrows, p = 5;
    double *x = malloc((size_t)n * p * sizeof *x);
    for (int r = 0; r < n; r++) {
        x[r * p] = 1;
        for (int j = 0; j < 4; j++) x[r * p + j + 1] = ref_value(raw, r, vars[j]);
    }
    int *y = outcome(raw);
    radx_logit_result *fit = NULL;
    max_dev_seen = 0;
    assert_int_equal(radx_stats_logit_fit(x, n, p, y, NULL, 0.95, &fit), RADX_OK);
    compare_coefficients(ref, NULL, fit, NULL);
    compare_fit_info(info, NULL, fit);
    compare_vcov(GLM_VCOV_REF, fit);
    printf("glm (4 features) vs R converged: max rel %.3g\n", max_dev_seen);
    radx_stats_logit_free(fit);
    free(x), free(y);
    radx_csv_free(raw), radx_csv_free(ref), radx_csv_free(info);
}

/* wdbc_raw + the categorical variables, as R's data frame d: mean_radius,
 * texture_bin ("low"/"high") and centre_factor (1, 2, 3). Returns the path. */
static char *categorical_table(void)
{
    radx_csv *raw = ref_read(RAW), *cat = ref_read(CATEGORICAL);
    assert_int_equal(raw->nrows, cat->nrows);
    size_t size = 64 + (size_t)raw->nrows * 96;
    char *text = malloc(size), *p = text;
    p += sprintf(p, "case,malignant,mean_radius,texture_bin,centre_factor\n");
    for (int r = 0; r < raw->nrows; r++) {
        assert_string_equal(raw->cells[r][ref_col(raw, "case")], cat->cells[r][ref_col(cat, "case")]);
        p += sprintf(p, "%s,%s,%s,%s,%s\n", raw->cells[r][ref_col(raw, "case")],
                     raw->cells[r][ref_col(raw, "malignant")], raw->cells[r][ref_col(raw, "mean_radius")],
                     ref_value(cat, r, "texture_high") == 1 ? "high" : "low", cat->cells[r][ref_col(cat, "centre")]);
    }
    char *path = radx_test_temp_file(".csv", text);
    free(text);
    radx_csv_free(raw), radx_csv_free(cat);
    return path;
}

/* Fit one model of the categorical reference through the design builder. */
static radx_logit_result *fit_categorical(const radx_csv *csv, const int *y, const radx_design_variable *vars,
                                          int nvars, radx_design **design)
{
    assert_int_equal(radx_stats_design_build(csv, vars, nvars, design), RADX_OK);
    radx_logit_result *fit = NULL;
    radx_status st = radx_stats_logit_fit((*design)->x, (*design)->n, (*design)->nterms, y,
                                          (const char *const *)(*design)->term, 0.95, &fit);
    if (st != RADX_OK) fail_msg("%s", radx_last_error());
    return fit;
}

static void test_glm_categorical(void **state)
{
    (void)state;
    char *path = categorical_table();
    radx_csv *csv = ref_read(path), *ref = ref_read(CAT_REF), *info = ref_read(CAT_FIT_REF);
    int *y = outcome(csv);
    const radx_design_variable radius = {"mean_radius", -1, NULL}, texture = {"texture_bin", -1, "low"},
                               centre = {"centre_factor", 1, NULL};
    struct {
        const char *model;
        radx_design_variable vars[3];
        int n;
    } models[] = {{"multivariable", {radius, texture, centre}, 3},
                  {"univariable_mean_radius", {radius}, 1},
                  {"univariable_texture_bin", {texture}, 1},
                  {"univariable_centre_factor", {centre}, 1}};
    max_dev_seen = 0;
    for (size_t m = 0; m < sizeof models / sizeof models[0]; m++) {
        radx_design *d = NULL;
        radx_logit_result *fit = fit_categorical(csv, y, models[m].vars, models[m].n, &d);
        compare_coefficients(ref, models[m].model, fit, (const char *const *)d->term);
        compare_fit_info(info, models[m].model, fit);
        /* reference levels as R's contrasts */
        for (int j = 1; j < d->nterms; j++) {
            int row = ref_find(ref, "term", d->term[j]);
            const char *level = ref->cells[row][ref_col(ref, "level")];
            const char *reference = ref->cells[row][ref_col(ref, "reference_level")];
            if (d->level[j]) {
                assert_string_equal(d->level[j], level);
                assert_string_equal(d->reference[d->variable_of[j]], reference);
            } else {
                assert_string_equal(level, "NA");
            }
        }
        if (m == 0) compare_vcov(CAT_VCOV_REF, fit);
        radx_stats_logit_free(fit);
        radx_stats_design_free(d);
    }
    printf("glm (categorical, 4 models) vs R converged: max rel %.3g\n", max_dev_seen);
    free(y);
    radx_csv_free(csv), radx_csv_free(ref), radx_csv_free(info);
    remove(path);
    free(path);
}

/* Whole-variable tests (drop1 LRT and Wald chi-square) through the command,
 * with the coefficient table. */
static void test_logit_cli_terms(void **state)
{
    (void)state;
    char *path = categorical_table(), *out = radx_test_temp_file(".csv", ""), *terms = radx_test_temp_file(".csv", "");
    char *fit_out = radx_test_temp_file(".csv", "");
    char args[4096], *log;
    snprintf(args, sizeof args,
             "logit --in %s --label-col malignant --vars mean_radius,texture_bin,centre_factor --factor centre_factor "
             "--ref texture_bin=low --out %s --terms-out %s --fit-out %s",
             path, out, terms, fit_out);
    int rc = ref_run_radx(args, &log);
    if (rc != 0) fail_msg("radx logit failed (%d): %s", rc, log);
    free(log);
    radx_csv *o = ref_read(out), *ref = ref_read(CAT_REF), *t = ref_read(terms), *tref = ref_read(CAT_TERMS_REF);
    assert_int_equal(o->nrows, 5);
    for (int row = 0; row < o->nrows; row++) {
        const char *term = o->cells[row][ref_col(o, "term")];
        int r = -1;
        for (int k = 0; k < ref->nrows && r < 0; k++)
            if (!strcmp(ref->cells[k][ref_col(ref, "model")], "multivariable") &&
                !strcmp(ref->cells[k][ref_col(ref, "fit")], "converged") && !strcmp(ref->cells[k][ref_col(ref, "term")], term))
                r = k;
        assert_true(r >= 0);
        check("estimate", ref_value(o, row, "estimate"), ref_value(ref, r, "estimate"), GLM_TOL);
        check("se", ref_value(o, row, "se"), ref_value(ref, r, "std_error"), GLM_TOL);
        check("z", ref_value(o, row, "z"), ref_value(ref, r, "z_value"), GLM_TOL);
        check("p", ref_value(o, row, "p"), ref_value(ref, r, "p_value"), GLM_TOL);
        check("or", ref_value(o, row, "or"), ref_value(ref, r, "odds_ratio"), GLM_TOL);
        check("or_lo", ref_value(o, row, "or_lo"), ref_value(ref, r, "or_ci_lower"), GLM_TOL);
        check("or_hi", ref_value(o, row, "or_hi"), ref_value(ref, r, "or_ci_upper"), GLM_TOL);
    }
    assert_int_equal(t->nrows, tref->nrows);
    for (int row = 0; row < t->nrows; row++) {
        int r = ref_find(tref, "term", t->cells[row][ref_col(t, "variable")]);
        assert_true(r >= 0);
        assert_true(ref_value(t, row, "df") == ref_value(tref, r, "df"));
        check("deviance_without", ref_value(t, row, "deviance_without"), ref_value(tref, r, "deviance_without_term"), GLM_TOL);
        check("lr_statistic", ref_value(t, row, "lr_statistic"), ref_value(tref, r, "lr_statistic"), GLM_TOL);
        check("lr_p", ref_value(t, row, "lr_p"), ref_value(tref, r, "lr_p"), GLM_TOL);
        check("wald_chisq", ref_value(t, row, "wald_chisq"), ref_value(tref, r, "wald_chisq"), GLM_TOL);
        check("wald_p", ref_value(t, row, "wald_p"), ref_value(tref, r, "wald_p"), GLM_TOL);
    }
    radx_csv_free(o), radx_csv_free(ref), radx_csv_free(t), radx_csv_free(tref);
    remove(path), remove(out), remove(terms), remove(fit_out);
    free(path), free(out), free(terms), free(fit_out);
}

/* --screen 0.05: the univariable models against R's, centre_factor (LR p
 * 0.61 on 2 df) left out of the multivariable model. */
static void test_logit_cli_screen(void **state)
{
    (void)state;
    char *path = categorical_table(), *out = radx_test_temp_file(".csv", ""), *uni = radx_test_temp_file(".csv", "");
    char args[4096], *log;
    snprintf(args, sizeof args,
             "logit --in %s --label-col malignant --ignore case --factor centre_factor --ref texture_bin=low "
             "--screen 0.05 --univariable-out %s --out %s",
             path, uni, out);
    int rc = ref_run_radx(args, &log);
    if (rc != 0) fail_msg("radx logit failed (%d): %s", rc, log);
    free(log);
    radx_csv *u = ref_read(uni), *o = ref_read(out), *ref = ref_read(CAT_REF), *info = ref_read(CAT_FIT_REF);
    for (int row = 0; row < u->nrows; row++) {
        const char *variable = u->cells[row][ref_col(u, "variable")], *term = u->cells[row][ref_col(u, "term")];
        char model[128];
        snprintf(model, sizeof model, "univariable_%s", variable);
        int r = -1, f = -1;
        for (int k = 0; k < ref->nrows; k++)
            if (!strcmp(ref->cells[k][ref_col(ref, "model")], model) && !strcmp(ref->cells[k][ref_col(ref, "fit")], "converged") &&
                !strcmp(ref->cells[k][ref_col(ref, "term")], term))
                r = k;
        for (int k = 0; k < info->nrows; k++)
            if (!strcmp(info->cells[k][ref_col(info, "model")], model) && !strcmp(info->cells[k][ref_col(info, "fit")], "converged"))
                f = k;
        assert_true(r >= 0 && f >= 0);
        check("univariable estimate", ref_value(u, row, "estimate"), ref_value(ref, r, "estimate"), GLM_TOL);
        check("univariable se", ref_value(u, row, "se"), ref_value(ref, r, "std_error"), GLM_TOL);
        check("univariable p", ref_value(u, row, "p"), ref_value(ref, r, "p_value"), GLM_TOL);
        double expected_p = ref_value(ref, r, "p_value");
        if (!strcmp(variable, "centre_factor")) /* LR test on 2 df from R's deviances */
            expected_p = gsl_cdf_chisq_Q(ref_value(info, f, "null_deviance") - ref_value(info, f, "deviance"), 2);
        check("variable_p", ref_value(u, row, "variable_p"), expected_p, 1e-7);
        assert_true(ref_value(u, row, "selected") == (expected_p < 0.05));
    }
    assert_int_equal(o->nrows, 3); /* (Intercept), mean_radius, texture_binhigh */
    assert_int_equal(ref_find(o, "variable", "centre_factor"), -1);
    radx_csv_free(u), radx_csv_free(o), radx_csv_free(ref), radx_csv_free(info);
    remove(path), remove(out), remove(uni);
    free(path), free(out), free(uni);
}


/* --scores: the linear predictor of the 4-feature model for every case
 * (input columns carried through) against the score R's glm gave
 * (wdbc_scores.csv; R's default fit, whose coefficients agree with the
 * converged ones to 5e-12), then `radx roc` on it against pROC. */
static void test_logit_cli_scores(void **state)
{
    (void)state;
    char *out = radx_test_temp_file(".csv", ""), *scores = radx_test_temp_file(".csv", "");
    char *roc = radx_test_temp_file(".csv", "");
    char args[2048], *log;
    snprintf(args, sizeof args,
             "logit --in " RAW " --label-col malignant --vars mean_radius,mean_texture,mean_smoothness,"
             "mean_concave_points --out %s --scores %s",
             out, scores);
    int rc = ref_run_radx(args, &log);
    if (rc != 0) fail_msg("radx logit failed (%d): %s", rc, log);
    free(log);
    radx_csv *sc = ref_read(scores), *ref = ref_read("tests/data/stats/wdbc_scores.csv"), *raw = ref_read(RAW);
    assert_int_equal(sc->nrows, ref->nrows);
    assert_int_equal(sc->ncols, raw->ncols - 4 + 2);
    assert_int_equal(radx_csv_column(sc, "mean_radius"), -1);
    for (int r = 0; r < sc->nrows; r++) {
        assert_string_equal(sc->cells[r][ref_col(sc, "case")], ref->cells[r][ref_col(ref, "case")]);
        assert_string_equal(sc->cells[r][ref_col(sc, "mean_area")], raw->cells[r][ref_col(raw, "mean_area")]);
        double eta = ref_value(sc, r, "linear_predictor"), expected = ref_value(ref, r, "score_glm4_linear_predictor");
        assert_close("linear predictor", eta, expected, 1e-9, 1e-9);
        assert_close("probability", ref_value(sc, r, "probability"), 1 / (1 + exp(-expected)), 1e-9, 1e-12);
    }
    snprintf(args, sizeof args, "roc --in %s --label-col malignant --score-col linear_predictor --bootstrap 0 --out %s",
             scores, roc);
    rc = ref_run_radx(args, &log);
    if (rc != 0) fail_msg("radx roc failed (%d): %s", rc, log);
    free(log);
    radx_csv *o = ref_read(roc), *rref = ref_read("tests/data/stats/wdbc_roc.csv");
    int r = ref_find(rref, "score", "score_glm4_linear_predictor");
    assert_close("signature auc", ref_value(o, 0, "auc"), ref_value(rref, r, "auc"), 0, 1e-12);
    assert_close("signature delong_lo", ref_value(o, 0, "delong_lo"), ref_value(rref, r, "ci_lower"), 0, 1e-9);
    radx_csv_free(sc), radx_csv_free(ref), radx_csv_free(raw), radx_csv_free(o), radx_csv_free(rref);
    remove(out), remove(scores), remove(roc);
    free(out), free(scores), free(roc);
}


/* --from-lasso: the top-7 features of R's cv.glmnet selection at lambda.min
 * (wdbc_cv_coefficients.csv, fixed_lambda_tight, deviance), ranked by
 * |coefficient| x population SD; the fit equals the --vars fit of them. */
static void test_logit_cli_from_lasso(void **state)
{
    (void)state;
    radx_csv *coef = ref_read("tests/data/stats/wdbc_cv_coefficients.csv"), *raw = ref_read(RAW);
    char text[8192], *p = text;
    p += sprintf(p, "feature,coef_min,coef_1se\n");
    typedef struct { const char *name; double size; } ranked_feature;
    ranked_feature ranked[40];
    int count = 0;
    for (int r = 0; r < coef->nrows; r++) {
        if (strcmp(coef->cells[r][ref_col(coef, "variant")], "fixed_lambda_tight") ||
            strcmp(coef->cells[r][ref_col(coef, "type_measure")], "deviance") ||
            strcmp(coef->cells[r][ref_col(coef, "s")], "lambda.min"))
            continue;
        const char *term = coef->cells[r][ref_col(coef, "term")];
        p += sprintf(p, "%s,%s,0\n", term, coef->cells[r][ref_col(coef, "coefficient")]);
        if (!strcmp(term, "intercept")) continue;
        double mean = 0, ss = 0;
        for (int i = 0; i < raw->nrows; i++) mean += ref_value(raw, i, term) / raw->nrows;
        for (int i = 0; i < raw->nrows; i++) ss += pow(ref_value(raw, i, term) - mean, 2);
        ranked[count].name = coef->cells[r][ref_col(coef, "term")];
        ranked[count++].size = fabs(ref_value(coef, r, "coefficient")) * sqrt(ss / raw->nrows);
    }
    assert_true(count > 7);
    for (int i = 0; i < count; i++) /* selection sort, descending */
        for (int j = i + 1; j < count; j++)
            if (ranked[j].size > ranked[i].size) {
                ranked_feature t = ranked[i];
                ranked[i] = ranked[j], ranked[j] = t;
            }
    char *sel = radx_test_temp_file(".csv", text), *out = radx_test_temp_file(".csv", "");
    char *out2 = radx_test_temp_file(".csv", "");
    char args[4096], vars[2048] = "", *log;
    snprintf(args, sizeof args, "logit --in " RAW " --label-col malignant --from-lasso %s --rank-standardized --out %s", sel, out);
    int rc = ref_run_radx(args, &log);
    if (rc != 0) fail_msg("radx logit failed (%d): %s", rc, log);
    free(log);
    radx_csv *o = ref_read(out);
    assert_int_equal(o->nrows, 8);
    for (int k = 0; k < 7; k++) {
        assert_string_equal(o->cells[k + 1][ref_col(o, "term")], ranked[k].name);
        strcat(vars, k ? "," : ""), strcat(vars, ranked[k].name);
    }
    /* Default ranking: |coef_min| on the original scale (issue: "ranked by
     * |coefficient| at lambda_min"). */
    {
        ranked_feature raw_rank[40];
        int n = 0;
        for (int r = 0; r < coef->nrows; r++) {
            if (strcmp(coef->cells[r][ref_col(coef, "variant")], "fixed_lambda_tight") ||
                strcmp(coef->cells[r][ref_col(coef, "type_measure")], "deviance") ||
                strcmp(coef->cells[r][ref_col(coef, "s")], "lambda.min") ||
                !strcmp(coef->cells[r][ref_col(coef, "term")], "intercept"))
                continue;
            raw_rank[n].name = coef->cells[r][ref_col(coef, "term")];
            raw_rank[n++].size = fabs(ref_value(coef, r, "coefficient"));
        }
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (raw_rank[j].size > raw_rank[i].size) {
                    ranked_feature t = raw_rank[i];
                    raw_rank[i] = raw_rank[j], raw_rank[j] = t;
                }
        char *out3 = radx_test_temp_file(".csv", "");
        snprintf(args, sizeof args, "logit --in " RAW " --label-col malignant --from-lasso %s --out %s", sel, out3);
        rc = ref_run_radx(args, &log);
        if (rc != 0) fail_msg("radx logit failed (%d): %s", rc, log);
        free(log);
        radx_csv *o3 = ref_read(out3);
        for (int k = 0; k < 7; k++) assert_string_equal(o3->cells[k + 1][ref_col(o3, "term")], raw_rank[k].name);
        radx_csv_free(o3);
        remove(out3);
        free(out3);
    }
    snprintf(args, sizeof args, "logit --in " RAW " --label-col malignant --vars %s --out %s", vars, out2);
    rc = ref_run_radx(args, &log);
    if (rc != 0) fail_msg("radx logit failed (%d): %s", rc, log);
    free(log);
    radx_csv *o2 = ref_read(out2);
    for (int k = 0; k < 8; k++) assert_true(ref_value(o, k, "estimate") == ref_value(o2, k, "estimate"));
    radx_csv_free(coef), radx_csv_free(raw), radx_csv_free(o), radx_csv_free(o2);
    remove(sel), remove(out), remove(out2);
    free(sel), free(out), free(out2);
}

static void fit_expect_error(const double *x, int n, int p, const int *y, const char *const *names,
                             const char *message)
{
    radx_logit_result *fit = NULL;
    assert_int_equal(radx_stats_logit_fit(x, n, p, y, names, 0.95, &fit), RADX_ERR_NUMERIC);
    assert_null(fit);
    assert_contains(radx_last_error(), message);
}

static void test_logit_edge_cases(void **state)
{
    (void)state;
    const char *names[] = {"(Intercept)", "a", "b"};
    /* complete separation: y = 1 exactly when a > 4.5 */
    double x[10 * 3];
    int y[10];
    for (int i = 0; i < 10; i++) {
        x[i * 3] = 1, x[i * 3 + 1] = i, x[i * 3 + 2] = (i * 7) % 5;
        y[i] = i > 4;
    }
    fit_expect_error(x, 10, 3, y, names, "separation");
    fit_expect_error(x, 10, 3, y, names, "'a'");
    /* quasi-complete: a = 5 holds one of each class, below all 0, above all 1 */
    double xq[12 * 2];
    int yq[12];
    for (int i = 0; i < 12; i++) {
        xq[i * 2] = 1, xq[i * 2 + 1] = i < 11 ? i : 5;
        yq[i] = i > 5 || i == 11;
    }
    fit_expect_error(xq, 12, 2, yq, names, "separation");
    /* singular: b = 2 a, and a constant column */
    double xs[10 * 3];
    int ys[10] = {0, 1, 0, 0, 1, 1, 0, 1, 1, 0};
    for (int i = 0; i < 10; i++) xs[i * 3] = 1, xs[i * 3 + 1] = i, xs[i * 3 + 2] = 2.0 * i;
    fit_expect_error(xs, 10, 3, ys, names, "singular design: 'b'");
    double xc[10 * 2];
    for (int i = 0; i < 10; i++) xc[i * 2] = 1, xc[i * 2 + 1] = 3.25;
    fit_expect_error(xc, 10, 2, ys, names, "singular design: 'a'");
    /* n < p */
    fit_expect_error(xs, 2, 3, ys, names, "need more cases than terms");
    /* one class */
    int zeros[10] = {0};
    fit_expect_error(x, 10, 3, zeros, names, "both classes");
}

static void test_logit_cli_errors(void **state)
{
    (void)state;
    char *missing = radx_test_temp_file(".csv", "y,a,b\n0,1,2\n1,2,NA\n0,3,1\n1,4,5\n0,2,2\n1,6,1\n");
    char *separated = radx_test_temp_file(".csv", "y,a\n0,1\n0,2\n0,3\n1,4\n1,5\n1,6\n");
    char *out = radx_test_temp_file(".csv", "");
    char args[2048], *log;
    snprintf(args, sizeof args, "logit --in %s --label-col y --out %s", missing, out);
    ref_expect_failure(args, "radx logit: ", "row 2 (line 3), column 'b'");
    snprintf(args, sizeof args, "logit --in %s --label-col y --vars a --out %s", separated, out);
    ref_expect_failure(args, "separation", NULL);
    snprintf(args, sizeof args, "logit --in %s --label-col y --vars a --ref a=1 --out %s", separated, out);
    assert_int_not_equal(ref_run_radx(args, &log), 0); /* a as categorical with 6 levels: still separated */
    free(log);
    assert_int_equal(ref_run_radx("logit --help", &log), 0);
    assert_contains(log, "--screen");
    free(log);
    remove(missing), remove(separated), remove(out);
    free(missing), free(separated), free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_glm_four_features),
        cmocka_unit_test(test_glm_categorical),
        cmocka_unit_test(test_logit_cli_terms),
        cmocka_unit_test(test_logit_cli_screen),
        cmocka_unit_test(test_logit_cli_scores),
        cmocka_unit_test(test_logit_cli_from_lasso),
        cmocka_unit_test(test_logit_edge_cases),
        cmocka_unit_test(test_logit_cli_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
