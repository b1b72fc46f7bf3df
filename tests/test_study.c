/* radx study: the definition file and the checks that run before any long
 * work (include/radx/study.h). Every bad input must be an error naming the
 * file and line (for the study file) or the table, row and value (for the
 * cohort tables), with the expected values. The cohort is radx synth's, in
 * tables-only mode (no images: the checks read only the tables). The
 * shipped cohorts/her2-us/study.yaml must load and pass the checks. */
#define _POSIX_C_SOURCE 200809L

#include "study_fixture.h"
#include "testutil.h"
#include "radx/study.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char cohort_dir[128];
static char params[1024];

/* The minimal valid study over the synthetic tables; `extra` is appended
 * (more sections), `steps` replaces the steps' body. Line numbers: see the
 * tests. */
static char *study_text(const char *cohort_extra, const char *steps, const char *tasks, const char *extra)
{
    char *text = malloc(16384);
    snprintf(text, 16384,
             "name: test\n"                                             /* 1 */
             "cohort:\n"                                                /* 2 */
             "  manifest: %s/manifest.csv\n"                            /* 3 */
             "  clinical: %s/clinical.csv\n"                            /* 4 */
             "  classes: [zero, low1, low2, positive]\n"                /* 5 */
             "  training_centre: C1\n"                                  /* 6 */
             "  external_centre: C2\n"                                  /* 7 */
             "%s"
             "extraction:\n"
             "  params: %s\n"
             "steps:\n"
             "%s"
             "tasks:\n"
             "%s"
             "%s",
             cohort_dir, cohort_dir, cohort_extra ? cohort_extra : "", params,
             steps ? steps : "  lasso: {folds: 10}\n",
             tasks ? tasks : "  - id: lowpos_vs_zero\n    positive: [low1, low2, positive]\n    negative: [zero]\n",
             extra ? extra : "");
    return text;
}

/* Load a study from text; returns the status, the study in *out (or NULL). */
static radx_status load(const char *text, radx_study **out, char **path)
{
    *path = radx_test_temp_file(".yaml", text);
    assert_non_null(*path);
    return radx_study_load(*path, out);
}

static void expect_load_error(const char *text, const char *line_and_message, const char *also)
{
    radx_study *study = NULL;
    char *path = NULL;
    assert_int_not_equal(load(text, &study, &path), RADX_OK);
    assert_null(study);
    char expected[1200];
    snprintf(expected, sizeof expected, "%s:%s", path, line_and_message);
    assert_contains(radx_last_error(), expected);
    if (also) assert_contains(radx_last_error(), also);
    unlink(path);
    free(path);
}

/* Check the inputs of a study given by its text: status and message. */
static radx_status check_text(const char *text, radx_study_inputs **inputs)
{
    radx_study *study = NULL;
    char *path = NULL;
    radx_status st = load(text, &study, &path);
    if (st != RADX_OK) fail_msg("the study should load: %s", radx_last_error());
    radx_study_cohort cohort;
    assert_int_equal(radx_study_cohort_files(study, "/tmp", NULL, 0, &cohort), RADX_OK);
    *inputs = NULL;
    st = radx_study_check(study, &cohort, inputs);
    radx_study_free(study);
    unlink(path);
    free(path);
    return st;
}

/* The checks of the study given by its text pass, and their summary
 * contains `in_summary`. */
static void expect_checks_pass(const char *text, const char *in_summary)
{
    radx_study_inputs *inputs = NULL;
    assert_int_equal(check_text(text, &inputs), RADX_OK);
    char summary[512];
    radx_study_inputs_summary(inputs, summary, sizeof summary);
    assert_contains(summary, in_summary);
    radx_study_inputs_free(inputs);
}

/* ------------------------------------------------------------ study file */

static void test_valid_minimal_study(void **state)
{
    (void)state;
    char *text = study_text(NULL, NULL, NULL, NULL);
    /* radx synth --scale 0.3: round(0.3 x 292) = 88 and round(0.3 x 131) = 39 cases (docs/COHORT.md) */
    expect_checks_pass(text, "127 cases (training 88, external 39");
    free(text);
}

static void test_unknown_step_and_keys(void **state)
{
    (void)state;
    /* steps: starts at line 10; its first entry is line 11 */
    char *text = study_text(NULL, "  lasso: {}\n  combatt: {fit: training_then_apply}\n", NULL, NULL);
    expect_load_error(text, "12: steps: unknown step 'combatt'", "(expected reader_icc, zscore, decorrelate, combat, "
                                                                 "lasso, tree, roc)");
    free(text);
    text = study_text(NULL, "  lasso: {}\n  combat:\n    fitt: both_protect_label\n", NULL, NULL);
    expect_load_error(text, "13: step 'combat': unknown key 'fitt' (expected fit, nonparametric)", NULL);
    free(text);
    text = study_text(NULL, "  lasso: {}\n  combat: {fit: both}\n", NULL, NULL);
    expect_load_error(text, "12: step 'combat': 'fit' must be training_then_apply or both_protect_label, got 'both'",
                      NULL);
    free(text);
    text = study_text(NULL, "  lasso: {folds: 2}\n", NULL, NULL);
    expect_load_error(text, "11: step 'lasso': 'folds' must be in [3, 100], got 2", NULL);
    free(text);
    text = study_text(NULL, "  zscore: {}\n", NULL, NULL);
    expect_load_error(text, "11: steps: the 'lasso' step is required", NULL);
    free(text);
    /* an unknown top-level section (after the tasks: line 16) */
    text = study_text(NULL, NULL, NULL, "report:\n  title: x\n");
    expect_load_error(text, "16: study: unknown section 'report'", "(expected name, seed, min_class_cases, cohort");
    free(text);
    /* an unknown key of the cohort (line 8) */
    text = study_text("  centre_col: Centre\n", NULL, NULL, NULL);
    expect_load_error(text, "8: cohort: unknown key 'centre_col'", "centre_column");
    free(text);
}

static void test_bad_tasks(void **state)
{
    (void)state;
    /* tasks: line 12, first entry line 13 */
    char *text = study_text(NULL, NULL, "  - id: t\n    positive: [low1]\n    negative: [zero]\n    negativ: [x]\n",
                            NULL);
    expect_load_error(text, "16: tasks[1]: unknown key 'negativ'", NULL);
    free(text);
    text = study_text(NULL, NULL, "  - id: t\n    positive: [low3]\n    negative: [zero]\n", NULL);
    expect_load_error(text, "13: task 't': 'low3' is not one of the cohort's classes", NULL);
    free(text);
    text = study_text(NULL, NULL, "  - id: t\n    positive: [zero]\n    negative: [zero]\n", NULL);
    expect_load_error(text, "13: tasks 't': 'zero' is both positive and negative", NULL);
    free(text);
    text = study_text(NULL, NULL,
                      "  - id: t\n    positive: [low1]\n    negative: [zero]\n"
                      "  - id: t\n    positive: [low2]\n    negative: [zero]\n", NULL);
    expect_load_error(text, "16: tasks: id 't' is used twice", NULL);
    free(text);
    text = study_text(NULL, NULL, "  - id: a/b\n    positive: [low1]\n    negative: [zero]\n", NULL);
    expect_load_error(text, "13: tasks[1]: id 'a/b' may hold only", NULL);
    free(text);
}

static void test_yaml_syntax_error(void **state)
{
    (void)state;
    expect_load_error("cohort:\n  manifest: [a, b\nsteps: {}\n", "3: YAML error", NULL);
    expect_load_error("", "1: the study file is empty", NULL);
    radx_study *study = NULL;
    assert_int_equal(radx_study_load("no/such/study.yaml", &study), RADX_ERR_IO);
    assert_contains(radx_last_error(), "no/such/study.yaml: cannot open");
}

/* ------------------------------------------------------------ cohort checks */

/* A copy of the tables-only cohort with one manifest cell replaced. */
static void write_modified_manifest(const char *dir, const char *find, const char *replace)
{
    char path[512], command[1024];
    snprintf(command, sizeof command, "mkdir -p %s && cp %s/clinical.csv %s/ && cp %s/reader2.csv %s/", dir,
             cohort_dir, dir, cohort_dir, dir);
    assert_int_equal(system(command), 0);
    snprintf(path, sizeof path, "%s/manifest.csv", cohort_dir);
    char *text = radx_test_read_file(path, NULL);
    assert_non_null(text);
    char *at = strstr(text, find);
    assert_non_null(at);
    snprintf(path, sizeof path, "%s/manifest.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fwrite(text, 1, (size_t)(at - text), f);
    fputs(replace, f);
    fputs(at + strlen(find), f);
    fclose(f);
    free(text);
}

static radx_status check_cohort_dir(const char *text, const char *dir)
{
    radx_study *study = NULL;
    char *path = NULL;
    assert_int_equal(load(text, &study, &path), RADX_OK);
    radx_study_cohort cohort;
    assert_int_equal(radx_study_cohort_files(study, "/tmp", dir, 0, &cohort), RADX_OK);
    radx_study_inputs *inputs = NULL;
    radx_status st = radx_study_check(study, &cohort, &inputs);
    radx_study_inputs_free(inputs);
    radx_study_free(study);
    unlink(path);
    free(path);
    return st;
}

static void test_unexpected_class_value(void **state)
{
    (void)state;
    char dir[160];
    snprintf(dir, sizeof dir, "%s/bad_class", cohort_dir);
    /* case C1-0002 is on line 3 of the manifest (header, C1-0001, C1-0002) */
    write_modified_manifest(dir, "C1-0002,images/C1-0002.nii.gz,masks/C1-0002.nii.gz,C1,low,2+,low2",
                            "C1-0002,images/C1-0002.nii.gz,masks/C1-0002.nii.gz,C1,low,2+,HER2-low");
    char *text = study_text(NULL, NULL, NULL, NULL);
    assert_int_equal(check_cohort_dir(text, dir), RADX_ERR_FORMAT);
    assert_contains(radx_last_error(), "bad_class/manifest.csv:3: case 'C1-0002': column 'Class' has the unexpected "
                                       "value 'HER2-low' (expected zero, low1, low2, positive)");
    free(text);
}

static void test_absent_centre(void **state)
{
    (void)state;
    char *text = study_text(NULL, NULL, NULL, NULL);
    char *at = strstr(text, "external_centre: C2");
    memcpy(at, "external_centre: C3", 19);
    radx_study_inputs *inputs = NULL;
    assert_int_equal(check_text(text, &inputs), RADX_ERR_PARAM);
    assert_contains(radx_last_error(), "the external centre 'C3' is absent from column 'Centre' (found: C1, C2)");
    free(text);
}

static void test_too_few_cases(void **state)
{
    (void)state;
    /* scale 0.3: 19 HER2-zero cases at centre 1 (0.3 x 62 = 18.6, each class within one case of it,
     * docs/COHORT.md) */
    char *text = study_text(NULL, NULL, NULL, "min_class_cases: 20\n");
    radx_study_inputs *inputs = NULL;
    assert_int_equal(check_text(text, &inputs), RADX_ERR_PARAM);
    assert_contains(radx_last_error(), "task 'lowpos_vs_zero': the training centre C1 has 19 case(s) of the negative "
                                       "class (zero); at least 20 are needed (min_class_cases)");
    free(text);
    /* an optional task whose column is missing is skipped; a required one is an error */
    text = study_text(NULL, NULL, "  - id: t\n    column: Nope\n    positive: [a]\n    negative: [b]\n", NULL);
    assert_int_equal(check_text(text, &inputs), RADX_ERR_PARAM);
    assert_contains(radx_last_error(), "task 't': column 'Nope' is neither in");
    free(text);
    text = study_text(NULL, NULL,
                      "  - id: t\n    column: Nope\n    positive: [a]\n    negative: [b]\n    optional: true\n"
                      "  - id: sham\n    column: Sham\n    positive: [b]\n    negative: [a]\n", NULL);
    expect_checks_pass(text, "1 task(s)");
    free(text);
}

static void test_clinical_and_reader2_checks(void **state)
{
    (void)state;
    char *text = study_text(NULL, NULL, NULL,
                            "clinical:\n  variables: [Age, Weight]\n  models:\n"
                            "    - {id: m, column: HR, positive: [positive], negative: [negative]}\n");
    radx_study_inputs *inputs = NULL;
    assert_int_equal(check_text(text, &inputs), RADX_ERR_FORMAT);
    assert_contains(radx_last_error(), "clinical.csv: no column 'Weight' (clinical: variables)");
    free(text);
    /* the reader ICC step without a reader-2 table */
    text = study_text(NULL, "  reader_icc: {min_icc: 0.75}\n  lasso: {}\n", NULL, NULL);
    assert_int_equal(check_text(text, &inputs), RADX_ERR_PARAM);
    assert_contains(radx_last_error(), "the reader_icc step needs a reader-2 table");
    free(text);
    /* with it: the tables-only cohort has round(60 x 0.3) = 18 double-read lesions */
    char line[256];
    snprintf(line, sizeof line, "  reader2: %s/reader2.csv\n", cohort_dir);
    text = study_text(line, "  reader_icc: {min_icc: 0.75}\n  lasso: {}\n", NULL, NULL);
    expect_checks_pass(text, "18 read twice");
    free(text);
}

static void test_shipped_study(void **state)
{
    (void)state;
    radx_study *study = NULL;
    assert_int_equal(radx_study_load("cohorts/her2-us/study.yaml", &study), RADX_OK);
    assert_string_equal(radx_study_params_path(study), "cohorts/her2-us/../params/her2-us-2d.yaml");
    assert_string_equal(radx_study_device(study), "auto");
    radx_study_cohort cohort;
    /* synthetic: the cohort goes to OUT/cohort; --cohort replaces it */
    assert_int_equal(radx_study_cohort_files(study, "/tmp/out", NULL, 0.5, &cohort), RADX_OK);
    assert_string_equal(cohort.manifest, "/tmp/out/cohort/manifest.csv");
    assert_int_equal(cohort.synthetic, 1);
    assert_true(cohort.synth_scale == 0.5);
    assert_int_equal(radx_study_cohort_files(study, "/tmp/out", cohort_dir, 0, &cohort), RADX_OK);
    assert_int_equal(cohort.synthetic, 0);
    radx_study_inputs *inputs = NULL;
    assert_int_equal(radx_study_check(study, &cohort, &inputs), RADX_OK);
    char summary[512];
    radx_study_inputs_summary(inputs, summary, sizeof summary);
    assert_contains(summary, "18 read twice, 5 task(s)");
    radx_study_inputs_free(inputs);
    radx_study_free(study);
}

/* The command stops with exit status 2 before extracting anything. */
static void test_command_bad_input_stops_early(void **state)
{
    (void)state;
    const char *bin = study_radx_bin();
    char dir[160], out[200], command[2048], path[300];
    snprintf(out, sizeof out, "%s/out", cohort_dir);
    snprintf(path, sizeof path, "%s/stderr.txt", cohort_dir);
    snprintf(dir, sizeof dir, "%s", cohort_dir);
    int status;
    char *err;
    char study[300];
    snprintf(study, sizeof study, "%s/bad_study.yaml", cohort_dir);
    FILE *f = fopen(study, "w");
    assert_non_null(f);
    fprintf(f, "cohort:\n  manifest: %s/manifest.csv\n  clinical: %s/clinical.csv\n  classes: [zero]\n"
               "  training_centre: C1\n  external_centre: C2\nextraction:\n  params: %s\nsteps:\n  lassso: {}\n"
               "tasks: []\n", dir, dir, params);
    fclose(f);
    snprintf(command, sizeof command, "%s study %s --out %s 2>%s/stderr.txt", bin, study, out, cohort_dir);
    status = system(command);
    assert_int_equal(WEXITSTATUS(status), 2);
    err = radx_test_read_file(path, NULL);
    assert_contains(err, "bad_study.yaml:10: steps: unknown step 'lassso'");
    free(err);
    /* a study whose cohort holds a class value it does not expect */
    snprintf(dir, sizeof dir, "%s/bad_class_cli2", cohort_dir);
    write_modified_manifest(dir, ",C1,low,1+,low1,", ",C1,low,1+,HER2-low1,");
    snprintf(command, sizeof command, "%s study cohorts/her2-us/study.yaml --out %s --cohort %s 2>%s/stderr.txt",
             bin, out, dir, cohort_dir);
    status = system(command);
    assert_int_equal(WEXITSTATUS(status), 2);
    err = radx_test_read_file(path, NULL);
    assert_contains(err, "unexpected value 'HER2-low1' (expected zero, low1, low2, positive)");
    free(err);
    /* nothing was extracted */
    char cache[300];
    snprintf(cache, sizeof cache, "%s/cache/features.csv", out);
    assert_int_not_equal(access(cache, F_OK), 0);
}

static int setup(void **state)
{
    (void)state;
    if (study_temp_dir(cohort_dir, sizeof cohort_dir, "radx_study_") != 0) return -1;
    char cwd[512];
    if (!getcwd(cwd, sizeof cwd)) return -1;
    snprintf(params, sizeof params, "%s/cohorts/her2-us/params-original.yaml", cwd);
    return study_synth_cohort(cohort_dir, 0.3, 1);
}

static int teardown(void **state)
{
    (void)state;
    return study_remove_dir(cohort_dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_minimal_study),
        cmocka_unit_test(test_unknown_step_and_keys),
        cmocka_unit_test(test_bad_tasks),
        cmocka_unit_test(test_yaml_syntax_error),
        cmocka_unit_test(test_unexpected_class_value),
        cmocka_unit_test(test_absent_centre),
        cmocka_unit_test(test_too_few_cases),
        cmocka_unit_test(test_clinical_and_reader2_checks),
        cmocka_unit_test(test_shipped_study),
        cmocka_unit_test(test_command_bad_input_stops_early),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
