/* cv.glmnet with the full-data lambdas against R (glmnet 4.1-6): the shared
 * wdbc reference (stored fold ids; deviance and AUC; converged and default
 * thresh), type.measure = "class", a fold whose held-out cases are all of one
 * class (tests/data/stats2), R's own fold draw, coefficients at lambda.min and
 * lambda.1se, and thread-count independence. */
#include "testutil.h"
#include "radx/radx.h"
#include "test_stats_ref.h"
#include "stats/cv.h"
#include "stats/decorrelate.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIR "tests/data/stats2/"
#define CVM_REL 1e-6

/* ------------------------------------------------------------ helpers */

typedef struct dataset {
    radx_csv *csv;
    radx_feature_matrix fm;
    double *y;
    int *foldid;
} dataset;

/* wdbc_raw.csv with the stored fold ids of wdbc_foldid.csv, or an input
 * that carries its own foldid column. */
static void dataset_load(dataset *d, const char *path, const char *ignore, const char *foldfile)
{
    d->csv = ref_read(path);
    const char *exclude[] = {"malignant", "foldid"};
    int has_fold = radx_csv_column(d->csv, "foldid") >= 0;
    assert_int_equal(radx_feature_matrix_select(d->csv, exclude, has_fold ? 2 : 1, ignore, &d->fm), RADX_OK);
    int n = d->csv->nrows;
    d->y = malloc((size_t)n * sizeof *d->y);
    d->foldid = malloc((size_t)n * sizeof *d->foldid);
    radx_csv *folds = foldfile ? ref_read(foldfile) : NULL;
    for (int r = 0; r < n; r++) {
        d->y[r] = ref_number(d->csv, r, "malignant");
        if (folds) assert_true(ref_number(folds, r, "case") == ref_number(d->csv, r, "case"));
        d->foldid[r] = (int)ref_number(folds ? folds : d->csv, r, "foldid");
    }
    radx_csv_free(folds);
}

static void dataset_free(dataset *d)
{
    radx_feature_matrix_free(&d->fm);
    radx_csv_free(d->csv);
    free(d->y);
    free(d->foldid);
}

static radx_cv_result *run_cv(const dataset *d, radx_cv_measure m, double thresh)
{
    radx_glmnet_options o;
    radx_glmnet_default_options(&o);
    o.thresh = thresh;
    radx_cv_result *r = NULL;
    if (radx_cv_glmnet(d->fm.x, d->fm.nrows, d->fm.nfeatures, d->y, d->foldid, &o, m, &r) != RADX_OK)
        fail_msg("%s", radx_last_error());
    return r;
}

/* Compare a CV curve and its lambda.min / lambda.1se with R's rows of
 * (variant, type_measure) in a curves file and a summary file. */
static double compare_cv(const radx_cv_result *r, const char *curves, const char *summary, const char *variant,
                         const char *measure, double rel)
{
    radx_csv *c = ref_read(curves);
    int vc = radx_csv_column(c, "variant"), mc = radx_csv_column(c, "type_measure"), k = 0;
    double worst = 0;
    for (int row = 0; row < c->nrows; row++) {
        if (strcmp(c->cells[row][vc], variant) || strcmp(c->cells[row][mc], measure)) continue;
        assert_true(k < r->nlambda);
        assert_close("lambda", r->lambda[k], ref_number(c, row, "lambda"), 1e-9, 0);
        const char *cols[] = {"cvm", "cvsd", "cvup", "cvlo"};
        const double got[] = {r->cvm[k], r->cvsd[k], r->cvup[k], r->cvlo[k]};
        for (int q = 0; q < 4; q++) {
            double e = ref_number(c, row, cols[q]);
            assert_close(cols[q], got[q], e, rel, 1e-13); /* cvlo can be 0 (class) */
            if (e != 0) worst = fmax(worst, fabs(got[q] - e) / fabs(e));
        }
        assert_int_equal(r->nzero[k], (int)ref_number(c, row, "nzero"));
        k++;
    }
    assert_int_equal(k, r->nlambda);
    radx_csv_free(c);
    radx_csv *s = ref_read(summary);
    int found = 0;
    vc = radx_csv_column(s, "variant");
    mc = radx_csv_column(s, "type_measure");
    for (int row = 0; row < s->nrows; row++) {
        if (strcmp(s->cells[row][vc], variant) || strcmp(s->cells[row][mc], measure)) continue;
        found = 1;
        assert_int_equal(r->index_min + 1, (int)ref_number(s, row, "index_min"));
        assert_int_equal(r->index_1se + 1, (int)ref_number(s, row, "index_1se"));
        assert_close("lambda_min", r->lambda_min, ref_number(s, row, "lambda_min"), 1e-9, 0);
        assert_close("lambda_1se", r->lambda_1se, ref_number(s, row, "lambda_1se"), 1e-9, 0);
    }
    assert_true(found);
    radx_csv_free(s);
    printf("  %s %s: max rel. deviation of cvm/cvsd/cvup/cvlo %.3g; lambda.min step %d, lambda.1se step %d\n",
           variant, measure, worst, r->index_min + 1, r->index_1se + 1);
    return worst;
}

/* ------------------------------------------------------------ tests */

/* set.seed(20240601); sample(rep(1:10, length.out = 569)) */
static void test_r_fold_draw(void **state)
{
    (void)state;
    radx_csv *f = ref_read(DIR "wdbc_foldid.csv");
    int *fold = malloc((size_t)f->nrows * sizeof *fold);
    radx_r_sample_folds(f->nrows, 10, 20240601u, fold);
    for (int r = 0; r < f->nrows; r++) assert_int_equal(fold[r], (int)ref_number(f, r, "foldid"));
    free(fold);
    radx_csv_free(f);
}

static void test_deviance_and_auc_converged(void **state)
{
    (void)state;
    dataset d;
    dataset_load(&d, DIR "wdbc_raw.csv", "case,target_sklearn", DIR "wdbc_foldid.csv");
    radx_cv_result *r = run_cv(&d, RADX_CV_DEVIANCE, 0);
    compare_cv(r, DIR "wdbc_cv_curves.csv", DIR "wdbc_cv_summary.csv", "fixed_lambda_tight", "deviance", CVM_REL);
    assert_int_equal(r->index_min + 1, 58); /* 59 with R's default thresh (README) */
    radx_cv_result_free(r);
    r = run_cv(&d, RADX_CV_AUC, 0);
    compare_cv(r, DIR "wdbc_cv_curves.csv", DIR "wdbc_cv_summary.csv", "fixed_lambda_tight", "auc", CVM_REL);
    radx_cv_result_free(r);
    dataset_free(&d);
}

/* With glmnet's thresh = 1e-7 the folds follow R's default fits, and the
 * deviance minimum moves to step 59 as in R. */
static void test_default_thresh_follows_r(void **state)
{
    (void)state;
    dataset d;
    dataset_load(&d, DIR "wdbc_raw.csv", "case,target_sklearn", DIR "wdbc_foldid.csv");
    radx_cv_result *r = run_cv(&d, RADX_CV_DEVIANCE, 1e-7);
    compare_cv(r, DIR "wdbc_cv_curves.csv", DIR "wdbc_cv_summary.csv", "fixed_lambda", "deviance", 1e-9);
    radx_cv_result_free(r);
    dataset_free(&d);
}

static void test_misclassification(void **state)
{
    (void)state;
    dataset d;
    dataset_load(&d, DIR "wdbc_raw.csv", "case,target_sklearn", DIR "wdbc_foldid.csv");
    radx_cv_result *r = run_cv(&d, RADX_CV_CLASS, 0);
    compare_cv(r, DIR "cv_variants_curves.csv", DIR "cv_variants_summary.csv", "fixed_lambda_tight", "class", CVM_REL);
    radx_cv_result_free(r);
    dataset_free(&d);
}

/* Fold 1 holds 20 benign cases only: its AUC is undefined (left out of the
 * mean, as cv.glmnet's weighted.mean(na.rm = TRUE) does), deviance and class
 * are defined. */
static void test_fold_with_one_class(void **state)
{
    (void)state;
    dataset d;
    dataset_load(&d, DIR "cv_variants_onefold_input.csv", "case", NULL);
    const radx_cv_measure measures[] = {RADX_CV_DEVIANCE, RADX_CV_AUC, RADX_CV_CLASS};
    const char *names[] = {"deviance", "auc", "class"};
    for (int m = 0; m < 3; m++) {
        radx_cv_result *r = run_cv(&d, measures[m], 0);
        assert_int_equal(r->measure, measures[m]);
        compare_cv(r, DIR "cv_variants_curves.csv", DIR "cv_variants_summary.csv", "onefold_fixed_lambda_tight",
                   names[m], CVM_REL);
        radx_cv_result_free(r);
    }
    /* 10 folds of 6 cases: cv.glmnet replaces "auc" by "deviance" */
    for (int r = 0; r < d.csv->nrows; r++) d.foldid[r] = r % 10 + 1;
    radx_cv_result *r = run_cv(&d, RADX_CV_AUC, 0);
    assert_int_equal(r->measure, RADX_CV_DEVIANCE);
    radx_cv_result_free(r);
    dataset_free(&d);
}

/* coef(cv, s = "lambda.min" / "lambda.1se") of the converged CV. */
static void test_selected_coefficients(void **state)
{
    (void)state;
    dataset d;
    dataset_load(&d, DIR "wdbc_raw.csv", "case,target_sklearn", DIR "wdbc_foldid.csv");
    radx_cv_result *r = run_cv(&d, RADX_CV_DEVIANCE, 0);
    radx_csv *ref = ref_read(DIR "wdbc_cv_coefficients.csv");
    int P = d.fm.nfeatures, checked = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *s = pass ? "lambda.1se" : "lambda.min";
        int step = r->path_step[pass ? r->index_1se : r->index_min], nonzero = 0, rows = 0;
        const double *beta = r->fit->beta + (size_t)step * P;
        double big = fabs(r->fit->a0[step]);
        for (int j = 0; j < P; j++) {
            big = fmax(big, fabs(beta[j]));
            nonzero += beta[j] != 0;
        }
        for (int row = 0; row < ref->nrows; row++) {
            if (strcmp(ref->cells[row][0], "fixed_lambda_tight") || strcmp(ref->cells[row][1], "deviance") ||
                strcmp(ref->cells[row][2], s))
                continue;
            const char *term = ref->cells[row][radx_csv_column(ref, "term")];
            double e = ref_number(ref, row, "coefficient"), g = r->fit->a0[step];
            if (strcmp(term, "intercept") != 0) {
                int j = 0;
                while (j < P && strcmp(d.csv->header[d.fm.columns[j]], term)) j++;
                assert_true(j < P);
                g = beta[j];
            }
            assert_close(term, g, e, 0, 1e-6 * big);
            rows++;
            checked++;
        }
        assert_int_equal(rows, nonzero + 1); /* R lists the intercept and the nonzero terms */
    }
    assert_true(checked > 10);
    radx_csv_free(ref);
    radx_cv_result_free(r);
    dataset_free(&d);
}

/* Folds run in parallel; the result is the same bit for bit on 1 or 2 threads. */
static void test_thread_count_independent(void **state)
{
    (void)state;
    dataset d;
    dataset_load(&d, DIR "wdbc_raw.csv", "case,target_sklearn", DIR "wdbc_foldid.csv");
    omp_set_num_threads(1);
    radx_cv_result *a = run_cv(&d, RADX_CV_DEVIANCE, 0);
    omp_set_num_threads(2);
    radx_cv_result *b = run_cv(&d, RADX_CV_DEVIANCE, 0);
    assert_int_equal(a->nlambda, b->nlambda);
    assert_memory_equal(a->cvm, b->cvm, (size_t)a->nlambda * sizeof *a->cvm);
    assert_memory_equal(a->cvsd, b->cvsd, (size_t)a->nlambda * sizeof *a->cvsd);
    radx_cv_result_free(a);
    radx_cv_result_free(b);
    dataset_free(&d);
}

static void test_too_few_folds_is_an_error(void **state)
{
    (void)state;
    double x[] = {1, 2, 3, 4, 5, 6, 7, 8}, y[] = {0, 1, 0, 1, 0, 1, 0, 1};
    int fold[] = {1, 2, 1, 2, 1, 2, 1, 2};
    radx_cv_result *r = NULL;
    assert_int_equal(radx_cv_glmnet(x, 8, 1, y, fold, NULL, RADX_CV_DEVIANCE, &r), RADX_ERR_PARAM);
    assert_contains(radx_last_error(), "at least 3");
}

/* radx lasso --folds 10 --seed 20240601 draws R's folds and gives R's choice. */
static void test_cli_cross_validation(void **state)
{
    (void)state;
    const char *bin = getenv("RADX_BIN");
    if (!bin) skip();
    char *cv = radx_test_temp_file(".csv", ""), *sum = radx_test_temp_file(".csv", "");
    char *sel = radx_test_temp_file(".csv", "");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s lasso --in " DIR "wdbc_raw.csv --label-col malignant --ignore case,target_sklearn "
             "--folds 10 --seed 20240601 --measure auc --cv %s --cv-summary %s --selected %s", bin, cv, sum, sel);
    assert_int_equal(system(cmd), 0);
    radx_csv *s = ref_read(sum), *c = ref_read(cv), *l = ref_read(sel);
    assert_string_equal(s->cells[0][0], "auc");
    assert_int_equal((int)ref_number(s, 0, "index_min"), 59);
    assert_int_equal((int)ref_number(s, 0, "index_1se"), 32);
    assert_int_equal(c->nrows, 100);
    assert_string_equal(c->header[5], "nzero");
    assert_string_equal(l->cells[0][0], "intercept");
    radx_csv_free(s);
    radx_csv_free(c);
    radx_csv_free(l);
    remove(cv); remove(sum); remove(sel);
    free(cv); free(sum); free(sel);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_r_fold_draw),
        cmocka_unit_test(test_deviance_and_auc_converged),
        cmocka_unit_test(test_default_thresh_follows_r),
        cmocka_unit_test(test_misclassification),
        cmocka_unit_test(test_fold_with_one_class),
        cmocka_unit_test(test_selected_coefficients),
        cmocka_unit_test(test_thread_count_independent),
        cmocka_unit_test(test_too_few_folds_is_an_error),
        cmocka_unit_test(test_cli_cross_validation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
