/* Fuzzing the text readers: PyRadiomics parameter files, sweep files and
 * their grids, manifests and CSV tables. Mutated seeds (truncations, byte
 * flips, YAML/CSV punctuation, deletions, duplications) must give RADX_OK
 * or an error with a message naming the file, never a crash (run it under
 * valgrind or a sanitizer to see memory errors too). RADX_FUZZ_SCALE scales
 * the number of mutations (default 1). */
#include "fuzz_mutate.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/manifest.h"
#include "radx/radx.h"

static fuzz_rng rng = {0x9e3779b97f4a7c15ull};

/* YAML / CSV punctuation and number characters that mislead the parsers. */
static const unsigned char SPECIAL[] = ":[]{}-,\n\t \"'&*!#|>%0.e\\";

static long accepted, rejected;

static void write_file(const char *path, const void *bytes, size_t size)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(bytes, 1, size, f);
    fclose(f);
}

/* Every reader on one file: each returns OK or an error with a message. */
static void check(radx_status st)
{
    if (st == RADX_OK) {
        accepted++;
        return;
    }
    rejected++;
    assert_true(strlen(radx_last_error()) > 0);
}

static void read_params(const char *path)
{
    radx_params p;
    char warnings[4096] = "";
    check(radx_params_load(path, &p, warnings, sizeof warnings));
}

static void read_sweep(const char *path)
{
    radx_sweep_grid grid;
    radx_sweep_grid_init(&grid);
    radx_status st = radx_sweep_grid_load(&grid, path);
    if (st == RADX_OK) {
        radx_params base;
        radx_params_default(&base);
        radx_sweep_point *points = NULL;
        int n = 0;
        st = radx_sweep_points(&grid, &base, &points, &n);
        free(points);
    }
    radx_sweep_grid_free(&grid);
    check(st);
}

static void read_manifest(const char *path)
{
    radx_manifest *m = NULL;
    radx_status st = radx_manifest_read(path, &m);
    for (int r = 0; st == RADX_OK && r < m->csv->nrows; r++) {
        int label;
        double spacing[3];
        st = radx_manifest_label(m, r, 1, &label);
        if (st == RADX_OK) st = radx_manifest_spacing(m, r, spacing);
    }
    radx_manifest_free(m);
    check(st);
}

typedef void (*reader_fn)(const char *path);

/* The reader on a temporary file holding the bytes. */
typedef struct text_case {
    const char *path;
    reader_fn reader;
} text_case;

static void try_text(void *context, const unsigned char *bytes, size_t size)
{
    const text_case *c = context;
    write_file(c->path, bytes, size);
    c->reader(c->path);
}

static void fuzz(const char *seed, const char *suffix, reader_fn reader, int count)
{
    fuzz_buffer original = fuzz_read_seed(seed);
    char path[128];
    snprintf(path, sizeof path, "/tmp/radx_text_fuzz%s", suffix);
    text_case c = {path, reader};
    for (size_t n = 0; n <= original.size; n += original.size / 40 + 1) /* truncations, and the seed itself */
        try_text(&c, original.bytes, n);
    fuzz_random_mutations(&rng, &original, count, fuzz_scale_from_env(), (fuzz_specials){SPECIAL, sizeof SPECIAL - 1},
                          try_text, &c);
    free(original.bytes);
    remove(path);
}

static void test_params_files(void **state)
{
    (void)state;
    static const char *const seeds[] = {"tests/data/params/all_settings.yaml", "tests/data/params/exampleCT.yaml",
                                        "cohorts/params/her2-us-2d.yaml", "tests/reference/params/filters_b.yaml"};
    for (size_t k = 0; k < 4; k++) fuzz(seeds[k], ".yaml", read_params, 600);
}

static void test_sweep_files(void **state)
{
    (void)state;
    write_file("/tmp/radx_text_fuzz_seed.yaml",
               "sweep:\n  binWidth: [5, 10, 25]\n  resampledPixelSpacing: [[1, 1, 0], [2, 2, 0]]\n"
               "  interpolator: [sitkBSpline, sitkLinear]\n",
               strlen("sweep:\n  binWidth: [5, 10, 25]\n  resampledPixelSpacing: [[1, 1, 0], [2, 2, 0]]\n"
                      "  interpolator: [sitkBSpline, sitkLinear]\n"));
    fuzz("/tmp/radx_text_fuzz_seed.yaml", "_sweep.yaml", read_sweep, 1500);
    remove("/tmp/radx_text_fuzz_seed.yaml");
}

static void test_manifests(void **state)
{
    (void)state;
    static const char text[] = "Case,Image,Mask,Label,Spacing,Note\n"
                               "a,img.nii.gz,mask.nii.gz,1,0.08x0.08,\"quoted, with comma\"\n"
                               "b,/abs/img.nrrd,m.nrrd,,0.5 0.5 2,x\n";
    write_file("/tmp/radx_text_fuzz_seed.csv", text, strlen(text));
    fuzz("/tmp/radx_text_fuzz_seed.csv", ".csv", read_manifest, 1500);
    remove("/tmp/radx_text_fuzz_seed.csv");
}

static void test_summary(void **state)
{
    (void)state;
    printf("text fuzz: %ld accepted, %ld rejected with a message\n", accepted, rejected);
    assert_true(accepted > 0 && rejected > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_params_files),
        cmocka_unit_test(test_sweep_files),
        cmocka_unit_test(test_manifests),
        cmocka_unit_test(test_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
