/* ICC(A,1) and ICC(C,1) with their confidence intervals against
 * psych::ICC(x, alpha = 0.05, lmer = FALSE) (R 4.2.2, psych 2.2.9) on the
 * 40 simulated two-reader features of tests/data/stats/icc_pairs.csv, the
 * `radx icc` command on the same table, and the edge cases (constant
 * feature, missing value, unbalanced table). */
#include "testutil.h"
#include "radx/radx.h"
#include "radx/stats.h"
#include "test_stats_ref.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ICC_INPUT "tests/data/stats/icc_pairs.csv"
#define ICC_REFERENCE "tests/data/stats/icc_pairs_icc.csv"

/* The bound for ICCs and their intervals. */
#define ICC_TOL 1e-9

/* The n x 2 matrix (reader 1, reader 2) of one feature of icc_pairs.csv,
 * whose rows are lesion 1 reader 1, lesion 1 reader 2, lesion 2 reader 1, ... */
static int64_t pair_matrix(const radx_csv *in, const char *feature, double *m)
{
    int lesion = ref_col(in, "lesion"), reader = ref_col(in, "reader");
    int64_t n = in->nrows / 2;
    for (int r = 0; r < in->nrows; r++) {
        int64_t i = atoi(in->cells[r][lesion]) - 1;
        int j = atoi(in->cells[r][reader]) - 1;
        assert_true(i >= 0 && i < n && (j == 0 || j == 1));
        m[i * 2 + j] = ref_value(in, r, feature);
    }
    return n;
}

static const char *const ICC_COLUMNS[] = {"icc_a1", "icc_a1_lower", "icc_a1_upper",
                                          "icc_c1", "icc_c1_lower", "icc_c1_upper"};

static void result_values(const radx_icc_result *r, double v[6])
{
    v[0] = r->icc_a1, v[1] = r->icc_a1_lo, v[2] = r->icc_a1_hi;
    v[3] = r->icc_c1, v[4] = r->icc_c1_lo, v[5] = r->icc_c1_hi;
}

static void test_icc_matches_psych(void **state)
{
    (void)state;
    radx_csv *in = ref_read(ICC_INPUT), *ref = ref_read(ICC_REFERENCE);
    double *m = malloc((size_t)in->nrows * sizeof *m);
    double max_icc = 0, max_ms = 0, max_p = 0;
    for (int row = 0; row < ref->nrows; row++) {
        const char *feature = ref->cells[row][ref_col(ref, "feature")];
        int64_t n = pair_matrix(in, feature, m);
        radx_icc_result r;
        assert_int_equal(radx_stats_icc_compute(m, n, 2, 0.95, &r), RADX_OK);
        assert_int_equal(r.n_subjects, (int64_t)ref_value(ref, row, "n_subjects"));
        double got[6];
        result_values(&r, got);
        for (int c = 0; c < 6; c++) {
            char what[128];
            snprintf(what, sizeof what, "%s %s", feature, ICC_COLUMNS[c]);
            double expected = ref_value(ref, row, ICC_COLUMNS[c]);
            assert_close(what, got[c], expected, 0, ICC_TOL);
            double d = fabs(got[c] - expected);
            if (d > max_icc) max_icc = d;
        }
        const char *ms_columns[] = {"ms_rows", "ms_cols", "ms_error", "f_value", "df1", "df2"};
        const double ms_got[] = {r.ms_rows, r.ms_cols, r.ms_error, r.f_value, r.df1, r.df2};
        for (int c = 0; c < 6; c++) {
            double expected = ref_value(ref, row, ms_columns[c]);
            assert_close(ms_columns[c], ms_got[c], expected, 1e-9, 0);
            double d = ref_deviation(ms_got[c], expected, 1e-300);
            if (d > max_ms) max_ms = d;
        }
        double expected_p = ref_value(ref, row, "p_value");
        assert_close("p_value", r.p_value, expected_p, 1e-9, 0);
        if (ref_deviation(r.p_value, expected_p, 1e-300) > max_p) max_p = ref_deviation(r.p_value, expected_p, 1e-300);
        assert_close("Satterthwaite df", r.a1_df, ref_value(ref, row, "hand_icc_a1_satterthwaite_df"), 1e-9, 0);
    }
    printf("icc vs psych: max |ICC/CI diff| %.3g, mean squares/F rel %.3g, p rel %.3g\n", max_icc,
           max_ms, max_p);
    free(m);
    radx_csv_free(in);
    radx_csv_free(ref);
}

/* The reference covers both ICC(A,1) < ICC(C,1) (reader bias) and negative
 * ICCs (f40, noise): check the data set does exercise them. */
static void test_icc_reference_covers_bias_and_noise(void **state)
{
    (void)state;
    radx_csv *ref = ref_read(ICC_REFERENCE);
    int biased = 0, negative = 0;
    for (int row = 0; row < ref->nrows; row++) {
        if (ref_value(ref, row, "icc_a1") < ref_value(ref, row, "icc_c1") - 1e-3) biased++;
        if (ref_value(ref, row, "icc_a1") < 0) negative++;
    }
    assert_true(biased > 5);
    assert_true(negative >= 1);
    radx_csv_free(ref);
}

static void test_icc_constant_feature_is_nan(void **state)
{
    (void)state;
    double m[10];
    for (int i = 0; i < 10; i++) m[i] = 3.5;
    radx_icc_result r;
    assert_int_equal(radx_stats_icc_compute(m, 5, 2, 0.95, &r), RADX_OK);
    assert_true(isnan(r.icc_a1) && isnan(r.icc_c1) && isnan(r.icc_a1_lo) && isnan(r.icc_c1_hi));
}

static void test_icc_rejects_bad_input(void **state)
{
    (void)state;
    double m[6] = {1, 2, 3, NAN, 5, 6};
    radx_icc_result r;
    assert_int_equal(radx_stats_icc_compute(m, 3, 2, 0.95, &r), RADX_ERR_PARAM);
    assert_contains(radx_last_error(), "subject 2, rater 2");
    assert_int_equal(radx_stats_icc_compute(m, 1, 2, 0.95, &r), RADX_ERR_PARAM);
    assert_int_equal(radx_stats_icc_compute(m, 3, 1, 0.95, &r), RADX_ERR_PARAM);
}

/* `radx icc` on the long table: every column of the output against psych,
 * and the keep list against the reference ICC(A,1) >= 0.75. */
static void test_icc_cli_matches_psych(void **state)
{
    (void)state;
    char *out_path = radx_test_temp_file(".csv", ""), *keep_path = radx_test_temp_file(".txt", "");
    char args[2048], *log;
    snprintf(args, sizeof args,
             "icc --in " ICC_INPUT " --case-col lesion --reader-col reader --out %s --min-icc 0.75 "
             "--keep-out %s",
             out_path, keep_path);
    int rc = ref_run_radx(args, &log);
    if (rc != 0) fail_msg("radx icc failed (%d): %s", rc, log);
    free(log);
    radx_csv *out = ref_read(out_path), *ref = ref_read(ICC_REFERENCE);
    assert_int_equal(out->nrows, ref->nrows);
    const char *out_columns[] = {"icc_a1", "icc_a1_lo", "icc_a1_hi", "icc_c1", "icc_c1_lo", "icc_c1_hi"};
    char *kept = radx_test_read_file(keep_path, NULL);
    assert_non_null(kept);
    int expected_kept = 0;
    for (int row = 0; row < ref->nrows; row++) {
        const char *feature = ref->cells[row][ref_col(ref, "feature")];
        assert_string_equal(out->cells[row][ref_col(out, "feature")], feature);
        for (int c = 0; c < 6; c++)
            assert_close(out_columns[c], ref_value(out, row, out_columns[c]),
                         ref_value(ref, row, ICC_COLUMNS[c]), 0, ICC_TOL);
        char line[64];
        snprintf(line, sizeof line, "%s\n", feature);
        int is_kept = strstr(kept, line) != NULL;
        assert_int_equal(is_kept, ref_value(ref, row, "icc_a1") >= 0.75);
        expected_kept += is_kept;
    }
    assert_true(expected_kept > 0 && expected_kept < ref->nrows);
    free(kept);
    radx_csv_free(out);
    radx_csv_free(ref);
    remove(out_path), remove(keep_path);
    free(out_path), free(keep_path);
}

static void test_icc_cli_errors(void **state)
{
    (void)state;
    char *missing = radx_test_temp_file(".csv", "case,reader,a,b\n1,1,0.5,1\n1,2,0.6,2\n2,1,NA,3\n2,2,0.9,4\n");
    char *unbalanced = radx_test_temp_file(".csv", "case,reader,a\n1,1,0.5\n1,2,0.6\n2,1,0.7\n");
    char *constant = radx_test_temp_file(".csv", "case,reader,a,b\n1,1,2,1\n1,2,2,2\n2,1,2,3\n2,2,2,5\n3,1,2,6\n3,2,2,6\n");
    char *out_path = radx_test_temp_file(".csv", "");
    char args[2048], *log;
    snprintf(args, sizeof args, "icc --in %s --case-col case --reader-col reader --out %s", missing, out_path);
    ref_expect_failure(args, "radx icc: ", "row 3 (line 4), column 'a': missing value");
    snprintf(args, sizeof args, "icc --in %s --case-col case --reader-col reader --out %s", unbalanced, out_path);
    ref_expect_failure(args, "case '2' has no row for reader '2'", NULL);
    snprintf(args, sizeof args, "icc --in %s --case-col case --reader-col reader --out %s", constant, out_path);
    assert_int_equal(ref_run_radx(args, &log), 0);
    free(log);
    radx_csv *out = ref_read(out_path);
    assert_true(isnan(ref_value(out, 0, "icc_a1")));
    assert_false(isnan(ref_value(out, 1, "icc_a1")));
    radx_csv_free(out);
    assert_int_equal(ref_run_radx("icc --help", &log), 0);
    assert_contains(log, "--reader-col");
    free(log);
    remove(missing), remove(unbalanced), remove(constant), remove(out_path);
    free(missing), free(unbalanced), free(constant), free(out_path);
}


/* Feature-column selection shared by the statistics commands (issue 3):
 * numeric columns only, minus named, ignored and diagnostics_* columns;
 * missing values reported with row and column; binary labels. */
static void test_feature_table_rules(void **state)
{
    (void)state;
    char *path = radx_test_temp_file(".csv", "id,diagnostics_voxels,a,b,c,y,grade\n"
                                             "p1,10,1.5,2,x,1.0,low\n"
                                             "p2,11,2.5,NA,y,0,high\n"
                                             "p3,12,3.5,4,z,1,mid\n");
    radx_csv *csv = ref_read(path);
    int *columns = NULL, n = 0;
    const char *exclude[] = {"y"};
    assert_int_equal(radx_stats_table_features(csv, exclude, 1, "a", &columns, &n), RADX_OK);
    assert_int_equal(n, 1);
    assert_string_equal(csv->header[columns[0]], "b");
    double x[3];
    assert_int_equal(radx_stats_table_matrix(csv, columns, n, x), RADX_ERR_FORMAT);
    assert_contains(radx_last_error(), "row 2 (line 3), column 'b': missing value 'NA'");
    free(columns);
    assert_int_equal(radx_stats_table_features(csv, exclude, 1, "a,nope", &columns, &n), RADX_ERR_PARAM);
    assert_contains(radx_last_error(), "--ignore: no column 'nope'");
    assert_int_equal(radx_stats_table_named(csv, "c,a", &columns, &n), RADX_OK);
    assert_int_equal(n, 2);
    assert_string_equal(csv->header[columns[0]], "c");
    assert_int_equal(radx_stats_table_matrix(csv, columns, n, x), RADX_ERR_FORMAT);
    assert_contains(radx_last_error(), "column 'c': non-numeric value 'x'");
    free(columns);
    int y[3];
    int64_t npos;
    assert_int_equal(radx_stats_table_labels(csv, radx_csv_column(csv, "y"), NULL, y, &npos), RADX_OK);
    assert_true(y[0] == 1 && y[1] == 0 && y[2] == 1 && npos == 2);
    assert_int_equal(radx_stats_table_labels(csv, radx_csv_column(csv, "grade"), "high", y, &npos), RADX_ERR_FORMAT);
    assert_contains(radx_last_error(), "row 3 (line 4), column 'grade': third label value 'mid'");
    const char **levels;
    int nlevels, index[3];
    assert_int_equal(radx_stats_table_levels(csv, radx_csv_column(csv, "grade"), &levels, &nlevels, index), RADX_OK);
    assert_int_equal(nlevels, 3);
    assert_string_equal(levels[0], "high");
    assert_true(index[0] == 1 && index[1] == 0 && index[2] == 2);
    free(levels);
    radx_csv_free(csv);
    remove(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_icc_matches_psych),
        cmocka_unit_test(test_icc_reference_covers_bias_and_noise),
        cmocka_unit_test(test_icc_constant_feature_is_nan),
        cmocka_unit_test(test_icc_rejects_bad_input),
        cmocka_unit_test(test_icc_cli_matches_psych),
        cmocka_unit_test(test_icc_cli_errors),
        cmocka_unit_test(test_feature_table_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
