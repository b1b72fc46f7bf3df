/* Baseline-table tests against R 4.2.2 (stats): t.test (Welch and Student),
 * wilcox.test(exact = FALSE, correct = TRUE) on the 30 wdbc features,
 * malignant vs benign; chisq.test (with and without Yates) and fisher.test
 * on the categorical variables of tests/data/stats/ (README there), with the
 * Fisher odds ratios against the roots solved to machine precision. */
#include "testutil.h"
#include "radx/radx.h"
#include "radx/stats.h"
#include "test_stats_ref.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAW "tests/data/stats/wdbc_raw.csv"
#define BASELINE_REF "tests/data/stats/wdbc_baseline_tests.csv"
#define CATEGORICAL "tests/data/stats/wdbc_categorical_variables.csv"
#define TABLES_REF "tests/data/stats/wdbc_contingency_tables.csv"
#define CAT_TESTS_REF "tests/data/stats/wdbc_categorical_tests.csv"

#define TOL 1e-9

/* The malignant (x) and benign (y) values of one feature. */
static void split_groups(const radx_csv *raw, const char *feature, double *x, int64_t *nx, double *y, int64_t *ny)
{
    *nx = *ny = 0;
    for (int r = 0; r < raw->nrows; r++) {
        double v = ref_value(raw, r, feature);
        if (ref_value(raw, r, "malignant") == 1) x[(*nx)++] = v;
        else y[(*ny)++] = v;
    }
}

typedef struct max_dev {
    double value;
    char what[96];
} max_dev;

static void compare(max_dev *m, const char *what, double got, double expected, double rel)
{
    assert_close(what, got, expected, rel, 0);
    double d = ref_deviation(got, expected, 1e-300);
    if (d > m->value) {
        m->value = d;
        snprintf(m->what, sizeof m->what, "%s", what);
    }
}

static void test_t_tests_and_wilcoxon(void **state)
{
    (void)state;
    radx_csv *raw = ref_read(RAW), *ref = ref_read(BASELINE_REF);
    double *x = malloc((size_t)raw->nrows * sizeof *x), *y = malloc((size_t)raw->nrows * sizeof *y);
    max_dev stat = {0, ""}, pval = {0, ""};
    for (int row = 0; row < ref->nrows; row++) {
        const char *f = ref->cells[row][ref_col(ref, "feature")];
        int64_t nx, ny;
        split_groups(raw, f, x, &nx, y, &ny);
        radx_ttest_result w, s;
        assert_int_equal(radx_stats_ttest(x, nx, y, ny, 0, 0.95, &w), RADX_OK);
        assert_int_equal(radx_stats_ttest(x, nx, y, ny, 1, 0.95, &s), RADX_OK);
        assert_int_equal(w.n_x, (int64_t)ref_value(ref, row, "n_malignant"));
        compare(&stat, "mean_malignant", w.mean_x, ref_value(ref, row, "mean_malignant"), TOL);
        compare(&stat, "sd_benign", w.sd_y, ref_value(ref, row, "sd_benign"), TOL);
        compare(&stat, "welch_t", w.t, ref_value(ref, row, "welch_t"), TOL);
        compare(&stat, "welch_df", w.df, ref_value(ref, row, "welch_df"), TOL);
        compare(&stat, "welch_stderr", w.std_error, ref_value(ref, row, "welch_stderr"), TOL);
        compare(&stat, "welch_ci_lower", w.ci_lo, ref_value(ref, row, "welch_ci_lower"), TOL);
        compare(&stat, "welch_ci_upper", w.ci_hi, ref_value(ref, row, "welch_ci_upper"), TOL);
        compare(&pval, "welch_p", w.p_value, ref_value(ref, row, "welch_p"), TOL);
        compare(&stat, "student_t", s.t, ref_value(ref, row, "student_t"), TOL);
        compare(&stat, "student_df", s.df, ref_value(ref, row, "student_df"), 0);
        compare(&stat, "student_stderr", s.std_error, ref_value(ref, row, "student_stderr"), TOL);
        compare(&stat, "student_ci_lower", s.ci_lo, ref_value(ref, row, "student_ci_lower"), TOL);
        compare(&stat, "student_ci_upper", s.ci_hi, ref_value(ref, row, "student_ci_upper"), TOL);
        compare(&pval, "student_p", s.p_value, ref_value(ref, row, "student_p"), TOL);

        radx_ranksum_result r;
        assert_int_equal(radx_stats_ranksum(x, nx, y, ny, 1, &r), RADX_OK);
        assert_true(r.w == ref_value(ref, row, "wilcox_W"));
        assert_true(r.tie_term == ref_value(ref, row, "wilcox_tie_term"));
        assert_int_equal(r.n_tie_groups, (int64_t)ref_value(ref, row, "wilcox_n_tie_groups"));
        assert_int_equal(r.n_tied_values, (int64_t)ref_value(ref, row, "wilcox_n_tied_values"));
        compare(&stat, "wilcox_auc", r.auc, ref_value(ref, row, "wilcox_auc"), 1e-15);
        compare(&stat, "wilcox_z", r.z, ref_value(ref, row, "wilcox_z"), TOL);
        compare(&stat, "wilcox_sigma", r.sigma, ref_value(ref, row, "wilcox_sigma"), TOL);
        compare(&pval, "wilcox_p", r.p_value, ref_value(ref, row, "wilcox_p"), TOL);
    }
    printf("t/wilcoxon vs R: statistics max rel %.3g (%s), p-values max rel %.3g (%s)\n", stat.value, stat.what,
           pval.value, pval.what);
    free(x), free(y);
    radx_csv_free(raw), radx_csv_free(ref);
}

/* The contingency table of a variable (levels ascending) by malignant (0, 1),
 * over all cases or the first 50. */
static int build_table(const radx_csv *v, const char *variable, int first_50, int64_t *table)
{
    int levels[8], nlevels = 0;
    int n = first_50 ? 50 : v->nrows;
    for (int r = 0; r < n; r++) { /* distinct levels, ascending (insertion) */
        int level = (int)ref_value(v, r, variable), at = 0;
        while (at < nlevels && levels[at] < level) at++;
        if (at < nlevels && levels[at] == level) continue;
        assert_true(nlevels < 8);
        memmove(&levels[at + 1], &levels[at], (size_t)(nlevels - at) * sizeof *levels);
        levels[at] = level;
        nlevels++;
    }
    memset(table, 0, 16 * sizeof *table);
    for (int r = 0; r < n; r++) {
        int level = (int)ref_value(v, r, variable), at = 0;
        while (levels[at] != level) at++;
        table[2 * at + (int)ref_value(v, r, "malignant")]++;
    }
    return nlevels;
}

static void test_chisq_and_fisher(void **state)
{
    (void)state;
    radx_csv *v = ref_read(CATEGORICAL), *tabs = ref_read(TABLES_REF), *ref = ref_read(CAT_TESTS_REF);
    max_dev stat = {0, ""}, odds = {0, ""};
    for (int row = 0; row < ref->nrows; row++) {
        const char *variable = ref->cells[row][ref_col(ref, "variable")];
        const char *subset = ref->cells[row][ref_col(ref, "subset")];
        int64_t table[16];
        int rows = build_table(v, variable, strcmp(subset, "all") != 0, table);
        assert_int_equal(rows, (int)ref_value(ref, row, "table_rows"));
        /* the counts R tabulated */
        int level = 0;
        for (int t = 0; t < tabs->nrows; t++) {
            if (strcmp(tabs->cells[t][ref_col(tabs, "variable")], variable) ||
                strcmp(tabs->cells[t][ref_col(tabs, "subset")], subset))
                continue;
            assert_true(table[2 * level] == (int64_t)ref_value(tabs, t, "n_benign"));
            assert_true(table[2 * level + 1] == (int64_t)ref_value(tabs, t, "n_malignant"));
            level++;
        }
        assert_int_equal(level, rows);

        radx_chisq_result c, u;
        assert_int_equal(radx_stats_chisq(table, rows, 2, 1, &c), RADX_OK);
        assert_int_equal(radx_stats_chisq(table, rows, 2, 0, &u), RADX_OK);
        compare(&stat, "chisq_statistic", c.statistic, ref_value(ref, row, "chisq_statistic"), TOL);
        compare(&stat, "chisq_df", c.df, ref_value(ref, row, "chisq_df"), 0);
        compare(&stat, "chisq_p", c.p_value, ref_value(ref, row, "chisq_p"), TOL);
        assert_true(c.yates == ref_value(ref, row, "chisq_yates"));
        compare(&stat, "min_expected", c.min_expected, ref_value(ref, row, "min_expected"), 1e-14);
        compare(&stat, "chisq_uncorrected_statistic", u.statistic, ref_value(ref, row, "chisq_uncorrected_statistic"), TOL);
        compare(&stat, "chisq_uncorrected_p", u.p_value, ref_value(ref, row, "chisq_uncorrected_p"), TOL);

        radx_fisher_result f;
        assert_int_equal(radx_stats_fisher(table, rows, 2, 0.95, &f), RADX_OK);
        compare(&stat, "fisher_p vs FEXACT/R", f.p_value, ref_value(ref, row, "fisher_p"), TOL);
        compare(&stat, "fisher_p vs enumeration", f.p_value, ref_value(ref, row, "hand_fisher_p"), TOL);
        assert_int_equal(f.ntables, (int64_t)ref_value(ref, row, "hand_fisher_n_tables"));
        if (rows == 2) {
            compare(&odds, "odds ratio", f.odds_ratio, ref_value(ref, row, "tight_or"), TOL);
            compare(&odds, "odds ratio lower", f.or_lo, ref_value(ref, row, "tight_or_ci_lower"), TOL);
            compare(&odds, "odds ratio upper", f.or_hi, ref_value(ref, row, "tight_or_ci_upper"), TOL);
            compare(&odds, "sample odds ratio", f.sample_or, ref_value(ref, row, "sample_or"), 1e-15);
            /* R's own estimate is uniroot's (tol 1.2e-4 on t): within that */
            assert_close("R fisher_or", f.odds_ratio, ref_value(ref, row, "fisher_or"), 1e-4, 0);
        } else {
            assert_true(isnan(f.odds_ratio));
        }
    }
    printf("chisq/fisher vs R: max rel %.3g (%s); odds ratios vs converged roots %.3g (%s)\n", stat.value,
           stat.what, odds.value, odds.what);
    radx_csv_free(v), radx_csv_free(tabs), radx_csv_free(ref);
}

static void test_edge_cases(void **state)
{
    (void)state;
    double a[3] = {1, 1, 1}, b[3] = {1, 1, 1}, c[1] = {2};
    radx_ttest_result t;
    assert_int_equal(radx_stats_ttest(a, 3, b, 3, 0, 0.95, &t), RADX_ERR_NUMERIC);
    assert_contains(radx_last_error(), "constant");
    assert_int_equal(radx_stats_ttest(a, 3, c, 1, 0, 0.95, &t), RADX_ERR_PARAM);
    int64_t empty_row[4] = {0, 0, 3, 4}, big[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    radx_chisq_result x;
    assert_int_equal(radx_stats_chisq(empty_row, 2, 2, 1, &x), RADX_ERR_PARAM);
    assert_contains(radx_last_error(), "row 1 of the table is empty");
    radx_fisher_result f;
    assert_int_equal(radx_stats_fisher(big, 3, 3, 0.95, &f), RADX_ERR_UNSUPPORTED);
    /* a 2 x 3 table is the transpose of a 3 x 2 one: same p */
    int64_t t32[6] = {3, 1, 2, 5, 0, 4}, t23[6] = {3, 2, 0, 1, 5, 4};
    radx_fisher_result f1, f2;
    assert_int_equal(radx_stats_fisher(t32, 3, 2, 0.95, &f1), RADX_OK);
    assert_int_equal(radx_stats_fisher(t23, 2, 3, 0.95, &f2), RADX_OK);
    assert_close("transposed Fisher p", f1.p_value, f2.p_value, 1e-14, 0);
}


/* `radx baseline`: the numeric table of wdbc and the categorical tables,
 * against the same R results. */
static void test_baseline_cli(void **state)
{
    (void)state;
    char *out = radx_test_temp_file(".csv", ""), *cat = radx_test_temp_file(".csv", "");
    char args[2048], *log;
    snprintf(args, sizeof args, "baseline --in " RAW " --label-col malignant --ignore case,target_sklearn --out %s", out);
    int rc = ref_run_radx(args, &log);
    if (rc != 0) fail_msg("radx baseline failed (%d): %s", rc, log);
    free(log);
    radx_csv *o = ref_read(out), *ref = ref_read(BASELINE_REF);
    assert_int_equal(o->nrows, ref->nrows);
    for (int row = 0; row < o->nrows; row++) {
        assert_string_equal(o->cells[row][ref_col(o, "variable")], ref->cells[row][ref_col(ref, "feature")]);
        assert_close("welch_t", ref_value(o, row, "welch_t"), ref_value(ref, row, "welch_t"), TOL, 0);
        assert_close("welch_p", ref_value(o, row, "welch_p"), ref_value(ref, row, "welch_p"), TOL, 0);
        assert_close("diff_lo", ref_value(o, row, "diff_lo"), ref_value(ref, row, "welch_ci_lower"), TOL, 0);
        assert_true(ref_value(o, row, "wilcox_w") == ref_value(ref, row, "wilcox_W"));
        assert_close("wilcox_p", ref_value(o, row, "wilcox_p"), ref_value(ref, row, "wilcox_p"), TOL, 0);
        assert_close("sd_neg", ref_value(o, row, "sd_neg"), ref_value(ref, row, "sd_benign"), TOL, 0);
    }
    radx_csv_free(o), radx_csv_free(ref);
    snprintf(args, sizeof args,
             "baseline --in " CATEGORICAL " --label-col malignant --factor radius_tertile --factor texture_high "
             "--factor centre --factor radius_gt_20 --categorical-out %s",
             cat);
    rc = ref_run_radx(args, &log);
    if (rc != 0) fail_msg("radx baseline failed (%d): %s", rc, log);
    free(log);
    radx_csv *c = ref_read(cat), *cref = ref_read(CAT_TESTS_REF), *tabs = ref_read(TABLES_REF);
    int checked = 0;
    for (int row = 0; row < c->nrows; row++) {
        const char *variable = c->cells[row][ref_col(c, "variable")];
        int r = -1, t = -1;
        for (int k = 0; k < cref->nrows; k++)
            if (!strcmp(cref->cells[k][ref_col(cref, "variable")], variable) && !strcmp(cref->cells[k][ref_col(cref, "subset")], "all"))
                r = k;
        for (int k = 0; k < tabs->nrows; k++)
            if (!strcmp(tabs->cells[k][ref_col(tabs, "variable")], variable) && !strcmp(tabs->cells[k][ref_col(tabs, "subset")], "all") &&
                !strcmp(tabs->cells[k][ref_col(tabs, "level")], c->cells[row][ref_col(c, "level")]))
                t = k;
        assert_true(r >= 0 && t >= 0);
        assert_true(ref_value(c, row, "n_neg") == ref_value(tabs, t, "n_benign"));
        assert_true(ref_value(c, row, "n_pos") == ref_value(tabs, t, "n_malignant"));
        assert_close("chisq", ref_value(c, row, "chisq"), ref_value(cref, r, "chisq_statistic"), TOL, 0);
        assert_close("chisq_p", ref_value(c, row, "chisq_p"), ref_value(cref, r, "chisq_p"), TOL, 0);
        assert_close("fisher_p", ref_value(c, row, "fisher_p"), ref_value(cref, r, "hand_fisher_p"), TOL, 0);
        assert_close("fisher_or", ref_value(c, row, "fisher_or"), ref_value(cref, r, "tight_or"), TOL, 0);
        assert_close("fisher_or_lo", ref_value(c, row, "fisher_or_lo"), ref_value(cref, r, "tight_or_ci_lower"), TOL, 0);
        checked++;
    }
    assert_int_equal(checked, 3 + 2 + 3 + 2);
    radx_csv_free(c), radx_csv_free(cref), radx_csv_free(tabs);
    remove(out), remove(cat);
    free(out), free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t_tests_and_wilcoxon),
        cmocka_unit_test(test_chisq_and_fisher),
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_baseline_cli),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
