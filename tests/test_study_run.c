/* radx study end to end on a generated cohort (radx synth --seed 1
 * --scale 0.5: 146 + 66 cases, 30 read twice; original-image features,
 * cohorts/her2-us/params-original.yaml, to keep the test short), checked
 * against the effects docs/COHORT.md plants and against statistics computed
 * here from the extracted tables:
 *   - planted signal: the external (centre 2) AUC of the HER2-low+positive
 *     vs zero and low (2+) vs zero signatures is above chance (DeLong 95%
 *     lower bound > 0.5; COHORT.md: single features reach 0.8 at centre 2);
 *   - the Sham task (no signal): external AUC within 3 null SDs of 0.5, the
 *     null SD of a Mann-Whitney AUC being sqrt((n1 + n0 + 1) / (12 n1 n0));
 *   - ComBat: the centre effect, mean |d| (Cohen's d between the centres)
 *     over the candidates, computed here from the extracted values and from
 *     the harmonised model matrix, is real before (> 0.2; COHORT.md: 29 of
 *     102 features differ by centre) and shrinks below a quarter of it;
 *   - reader ICC: the features COHORT.md names as unreliable (ICC(A,1)
 *     0.46-0.62 on the default cohort) are removed, most others kept, and
 *     the reported ICC(A,1) equals McGraw & Wong's formula computed here
 *     from the two readers' extracted values;
 *   - a case whose mask cannot be read stays in the cohort flow as an
 *     extraction failure;
 *   - a re-run with a changed statistics setting (ComBat with the class
 *     protected) reuses the extraction cache. */
#define _POSIX_C_SOURCE 200809L

#include "study_fixture.h"
#include "testutil.h"
#include "radx/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64], cohort[128], out[128];
static const char *failed_case = "C1-0003";

static radx_csv *read_table(const char *folder, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    radx_csv *csv = NULL;
    if (radx_csv_read(path, &csv) != RADX_OK) fail_msg("%s", radx_last_error());
    return csv;
}

static const char *cell(const radx_csv *csv, int row, const char *column)
{
    int c = radx_csv_column(csv, column);
    if (c < 0) fail_msg("%s: no column %s", csv->path, column);
    return csv->cells[row][c];
}

static double number(const radx_csv *csv, int row, const char *column)
{
    double v = NAN;
    radx_csv_number(cell(csv, row, column), &v);
    return v;
}

static int find_row(const radx_csv *csv, const char *column, const char *value, const char *column2,
                    const char *value2)
{
    for (int r = 0; r < csv->nrows; r++)
        if (!strcmp(cell(csv, r, column), value) && (!column2 || !strcmp(cell(csv, r, column2), value2))) return r;
    fail_msg("%s: no row %s = %s", csv->path, column, value);
    return -1;
}

static int run_study(const char *study, const char *log)
{
    char command[4096];
    snprintf(command, sizeof command,
             "%s study %s --out %s --cohort %s --params cohorts/her2-us/params-original.yaml --device cpu >/dev/null 2>%s/%s",
             study_radx_bin(), study, out, cohort, dir, log);
    int status = system(command);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ------------------------------------------------------------ setup */

static int setup(void **state)
{
    (void)state;
    if (study_temp_dir(dir, sizeof dir, "radx_study_run_") != 0) return -1;
    snprintf(cohort, sizeof cohort, "%s/cohort", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    if (study_synth_cohort(cohort, 0.5, 0) != 0) return -1;
    /* one unreadable mask: its extraction fails */
    char path[256];
    snprintf(path, sizeof path, "%s/masks/%s.nii.gz", cohort, failed_case);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs("not a NIfTI file\n", f);
    fclose(f);
    return run_study("cohorts/her2-us/study.yaml", "run1.txt") == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    if (getenv("RADX_KEEP_STUDY")) {
        fprintf(stderr, "study kept in %s\n", dir);
        return 0;
    }
    return study_remove_dir(dir);
}

/* ------------------------------------------------------------ performance */

static void test_performance_table(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/tables/performance.csv", out);
    char *text = radx_test_read_file(path, NULL);
    assert_non_null(text);
    const char *header = "task,set,n,auc,auc_lo,auc_hi,threshold,sensitivity,specificity,ppv,npv,accuracy,f1\n";
    assert_true(!strncmp(text, header, strlen(header)));
    free(text);
    radx_csv *perf = read_table(out, "tables/performance.csv");
    assert_int_equal(perf->nrows, 10); /* 5 tasks x training, external */
    for (int r = 0; r < perf->nrows; r++) {
        assert_string_equal(cell(perf, r, "set"), r % 2 ? "external" : "training");
        double auc = number(perf, r, "auc");
        assert_true(number(perf, r, "auc_lo") <= auc && auc <= number(perf, r, "auc_hi"));
        assert_true(auc >= 0 && auc <= 1);
    }
    /* training n of the all-class task: every centre-1 case but the failed one */
    radx_csv *manifest = read_table(cohort, "manifest.csv");
    int centre1 = 0;
    for (int r = 0; r < manifest->nrows; r++) centre1 += !strcmp(cell(manifest, r, "Centre"), "C1");
    int row = find_row(perf, "task", "lowpos_vs_zero", "set", "training");
    assert_int_equal((int)number(perf, row, "n"), centre1 - 1);
    radx_csv_free(manifest);
    radx_csv_free(perf);
}

static void test_planted_signal_recovered(void **state)
{
    (void)state;
    radx_csv *perf = read_table(out, "tables/performance.csv");
    const char *planted[] = {"lowpos_vs_zero", "low2_vs_zero"};
    for (int k = 0; k < 2; k++) {
        int row = find_row(perf, "task", planted[k], "set", "external");
        double lo = number(perf, row, "auc_lo");
        if (!(lo > 0.5))
            fail_msg("%s: external AUC %.3f, DeLong 95%% CI from %.3f: not above chance", planted[k],
                     number(perf, row, "auc"), lo);
    }
    radx_csv_free(perf);
}

static void test_sham_at_chance(void **state)
{
    (void)state;
    radx_csv *auc = read_table(out, "tables/auc.csv");
    int row = find_row(auc, "task", "sham", "set", "external");
    double n1 = number(auc, row, "n_pos"), n0 = number(auc, row, "n_neg"), a = number(auc, row, "auc");
    /* null SD of the Mann-Whitney AUC (Hanley & McNeil 1982 at AUC = 0.5) */
    double sd0 = sqrt((n1 + n0 + 1) / (12 * n1 * n0));
    if (!(fabs(a - 0.5) < 3 * sd0))
        fail_msg("sham: external AUC %.3f is more than 3 null SDs (%.3f) from 0.5", a, sd0);
    radx_csv_free(auc);
}

/* ------------------------------------------------------------ ComBat */

/* Mean over the model matrix's features of |d| between the centres, with
 * values from `values` (a table with Case and the features) for the cases
 * of the model matrix. */
static double mean_abs_d(const radx_csv *model, const radx_csv *values, double *d_first)
{
    int first = radx_csv_column(model, "set") + 1, p = model->ncols - first;
    double total = 0;
    for (int j = 0; j < p; j++) {
        const char *name = model->header[first + j];
        double sum[2] = {0, 0}, ss[2] = {0, 0};
        int n[2] = {0, 0};
        double *x = malloc((size_t)model->nrows * sizeof *x);
        for (int pass = 0; pass < 2; pass++)
            for (int r = 0; r < model->nrows; r++) {
                int set = !strcmp(cell(model, r, "set"), "external");
                int vr = values == model ? r : find_row(values, "Case", cell(model, r, "Case"), NULL, NULL);
                double v = number(values, vr, name);
                if (pass == 0) {
                    x[r] = v;
                    sum[set] += v;
                    n[set]++;
                } else {
                    double dev = x[r] - sum[set] / n[set];
                    ss[set] += dev * dev;
                }
            }
        free(x);
        double d = (sum[1] / n[1] - sum[0] / n[0]) / sqrt((ss[0] + ss[1]) / (n[0] + n[1] - 2));
        if (j == 0) *d_first = d;
        total += fabs(d);
    }
    return total / p;
}

static void check_combat_shrinks(void)
{
    radx_csv *model = read_table(out, "tables/model_matrix.csv");
    radx_csv *raw = read_table(out, "cache/features.csv");
    radx_csv *features = read_table(out, "tables/features.csv");
    double d0_before, d0_after;
    /* z-scores are the same affine map at both centres: d is the same on the extracted values */
    double before = mean_abs_d(model, raw, &d0_before), after = mean_abs_d(model, model, &d0_after);
    if (!(before > 0.2)) fail_msg("no centre effect before ComBat: mean |d| %.3f", before);
    if (!(after < 0.25 * before)) fail_msg("ComBat: mean |d| %.3f before, %.3f after", before, after);
    /* the study's own per-feature numbers agree */
    int row = find_row(features, "feature", model->header[radx_csv_column(model, "set") + 1], NULL, NULL);
    assert_close("d_before", number(features, row, "centre_d_before"), d0_before, 1e-9, 1e-12);
    assert_close("d_after", number(features, row, "centre_d_after"), d0_after, 1e-9, 1e-12);
    radx_csv_free(model);
    radx_csv_free(raw);
    radx_csv_free(features);
}

static void test_combat_removes_centre_effect(void **state)
{
    (void)state;
    check_combat_shrinks();
}

/* ------------------------------------------------------------ reader ICC */

/* ICC(A,1), McGraw & Wong (1996) case 2A, for n subjects x 2 raters. */
static double icc_a1(const double *a, const double *b, int n)
{
    double grand = 0, col[2] = {0, 0};
    for (int i = 0; i < n; i++) grand += a[i] + b[i], col[0] += a[i], col[1] += b[i];
    grand /= 2.0 * n;
    double ssr = 0, ssc = 0, sst = 0;
    for (int i = 0; i < n; i++) {
        double row = (a[i] + b[i]) / 2;
        ssr += 2 * (row - grand) * (row - grand);
        sst += (a[i] - grand) * (a[i] - grand) + (b[i] - grand) * (b[i] - grand);
    }
    for (int k = 0; k < 2; k++) ssc += n * (col[k] / n - grand) * (col[k] / n - grand);
    double msr = ssr / (n - 1), msc = ssc, mse = (sst - ssr - ssc) / (n - 1);
    return (msr - mse) / (msr + mse + 2 * (msc - mse) / n);
}

static void test_icc_removes_unreliable_features(void **state)
{
    (void)state;
    radx_csv *features = read_table(out, "tables/features.csv");
    const char *planted[] = {"original_firstorder_Maximum", "original_glcm_ClusterShade", "original_firstorder_Range",
                             "original_glcm_ClusterProminence"};
    for (int k = 0; k < 4; k++) {
        int row = find_row(features, "feature", planted[k], NULL, NULL);
        if (strcmp(cell(features, row, "status"), "icc") != 0)
            fail_msg("%s: ICC(A,1) %s, status %s: the unreliable feature was kept", planted[k],
                     cell(features, row, "icc_a1"), cell(features, row, "status"));
    }
    int sphericity = find_row(features, "feature", "original_shape2D_Sphericity", NULL, NULL);
    assert_true(number(features, sphericity, "icc_a1") < 0.8); /* COHORT.md: 0.68 */
    int removed = 0;
    for (int r = 0; r < features->nrows; r++) removed += !strcmp(cell(features, r, "status"), "icc");
    assert_true(removed >= 4 && removed <= 20); /* the step is selective: of 102 features */

    /* the ICC of one feature from the two readers' extracted values */
    radx_csv *first = read_table(out, "cache/features.csv"), *second = read_table(out, "cache/features_reader2.csv");
    double a[128], b[128];
    int n = 0;
    for (int r = 0; r < second->nrows; r++) {
        const char *id = cell(second, r, "Case");
        if (!strcmp(id, failed_case)) continue;
        int r1 = find_row(first, "Case", id, NULL, NULL);
        a[n] = number(first, r1, "original_firstorder_Maximum");
        b[n++] = number(second, r, "original_firstorder_Maximum");
    }
    int row = find_row(features, "feature", "original_firstorder_Maximum", NULL, NULL);
    assert_int_equal(n, (int)number(features, row, "icc_pairs"));
    assert_true(n >= 29); /* round(60 x 0.5) = 30 read twice, less the failed case if it is one */
    assert_close("ICC(A,1) of firstorder_Maximum", number(features, row, "icc_a1"), icc_a1(a, b, n), 1e-9, 1e-12);
    radx_csv_free(first);
    radx_csv_free(second);
    radx_csv_free(features);
}

/* ------------------------------------------------------------ flow and outputs */

static void test_failed_extraction_in_flow(void **state)
{
    (void)state;
    radx_csv *excluded = read_table(out, "tables/excluded_cases.csv");
    assert_int_equal(excluded->nrows, 1);
    assert_string_equal(cell(excluded, 0, "case"), failed_case);
    assert_contains(cell(excluded, 0, "reason"), "extraction failed");
    radx_csv_free(excluded);
    char path[256];
    snprintf(path, sizeof path, "%s/report.md", out);
    char *report = radx_test_read_file(path, NULL);
    assert_non_null(report);
    assert_contains(report, "## Cohort flow");
    assert_contains(report, "| Excluded: extraction failed | 1 | 0 |");
    assert_contains(report, "C1-0003: extraction failed");
    assert_contains(report, "## Baseline characteristics");
    assert_contains(report, "## Clinical models");
    assert_contains(report, "(figures/roc_lowpos_vs_zero.png)");
    free(report);
    snprintf(path, sizeof path, "%s/report.html", out);
    char *html = radx_test_read_file(path, NULL);
    assert_non_null(html);
    assert_contains(html, "<img src=\"figures/combat_distributions.png\"");
    free(html);
}

static void test_figures_written(void **state)
{
    (void)state;
    const char *names[] = {"icc_histogram", "combat_distributions", "roc_lowpos_vs_zero", "roc_sham",
                           "lasso_path_low1_vs_zero", "lasso_cv_low2_vs_zero", "tree_low1_vs_low2"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char path[256];
        snprintf(path, sizeof path, "%s/figures/%s.png", out, names[k]);
        size_t length = 0;
        char *data = radx_test_read_file(path, &length);
        if (!data) fail_msg("%s was not written", path);
        assert_true(length > 1000);
        assert_memory_equal(data, "\x89PNG\r\n\x1a\n", 8);
        free(data);
    }
}

static void test_rerun_uses_cache(void **state)
{
    (void)state;
    char *text = radx_test_read_file("cohorts/her2-us/study.yaml", NULL);
    assert_non_null(text);
    char *at = strstr(text, "combat: {fit: training_then_apply}");
    assert_non_null(at);
    char study[256];
    snprintf(study, sizeof study, "%s/study-protect.yaml", dir);
    FILE *f = fopen(study, "w");
    assert_non_null(f);
    fwrite(text, 1, (size_t)(at - text), f);
    fputs("combat: {fit: both_protect_label}", f);
    fputs(at + strlen("combat: {fit: training_then_apply}"), f);
    fclose(f);
    free(text);
    assert_int_equal(run_study(study, "run2.txt"), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/run2.txt", dir);
    char *log = radx_test_read_file(path, NULL);
    assert_contains(log, "extraction: cached (stamp");
    assert_contains(log, "extraction (reader 2): cached (stamp");
    assert_contains(log, "] ComBat: centre effect");
    free(log);
    check_combat_shrinks();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_performance_table),
        cmocka_unit_test(test_planted_signal_recovered),
        cmocka_unit_test(test_sham_at_chance),
        cmocka_unit_test(test_combat_removes_centre_effect),
        cmocka_unit_test(test_icc_removes_unreliable_features),
        cmocka_unit_test(test_failed_extraction_in_flow),
        cmocka_unit_test(test_figures_written),
        cmocka_unit_test(test_rerun_uses_cache),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
