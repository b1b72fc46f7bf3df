/* Extraction with image types: the founding study's feature count, the
 * naming and order of derived images, settings that yield no image (a
 * warning, not a failure), and the OpenCL path agreeing with the CPU path on
 * derived images. Values themselves are checked against PyRadiomics in
 * test_parity (filters_a, filters_b, filters_resample, her2-us-2d). */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radx/cl.h"
#include "radx/extract.h"
#include "radx/params.h"

#define IMAGE2D "tests/data/synthetic/syn2d_blob_float_image.nii.gz"
#define MASK2D "tests/data/synthetic/syn2d_blob_float_mask.nii.gz"

static void load_params(const char *path, radx_params *p)
{
    if (radx_params_load(path, p, NULL, 0) != RADX_OK) fail_msg("%s", radx_last_error());
}

static void load_text(const char *text, radx_params *p)
{
    char path[] = "/tmp/radx_filters_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    load_params(path, p);
    remove(path);
}

static int count_prefix(const radx_columns *cols, const char *prefix)
{
    int n = 0;
    for (int c = 0; c < cols->count; c++)
        if (strncmp(cols->names[c], prefix, strlen(prefix)) == 0) n++;
    return n;
}

/* cohorts/params/her2-us-2d.yaml on a 2D lesion: 9 shape2D + 16 x 93. */
static void test_founding_study_count(void **state)
{
    (void)state;
    radx_params p;
    load_params("cohorts/params/her2-us-2d.yaml", &p);
    radx_case_result r;
    assert_int_equal(radx_case_result_init(&r), RADX_OK);
    if (radx_extract_files(IMAGE2D, MASK2D, &p, &r) != RADX_OK) fail_msg("%s", radx_last_error());
    radx_columns cols;
    assert_int_equal(radx_columns_build(&p, &r, 1, &cols), RADX_OK);
    assert_int_equal(cols.count, 1497);
    assert_int_equal(cols.nimages, 16);
    assert_int_equal(count_prefix(&cols, "original_shape2D_"), 9);
    static const char *const images[] = {
        "original", "log-sigma-1-0-mm-3D", "log-sigma-2-0-mm-3D", "log-sigma-3-0-mm-3D",
        "log-sigma-4-0-mm-3D", "log-sigma-5-0-mm-3D", "wavelet-LH", "wavelet-HL", "wavelet-HH",
        "wavelet-LL", "square", "squareroot", "logarithm", "exponential", "gradient", "lbp-2D"};
    for (int i = 0; i < 16; i++) {
        assert_string_equal(cols.image_names[i], images[i]);
        char prefix[96];
        snprintf(prefix, sizeof prefix, "%s_firstorder_", images[i]);
        assert_int_equal(count_prefix(&cols, prefix), 18);
        snprintf(prefix, sizeof prefix, "%s_glcm_", images[i]);
        assert_int_equal(count_prefix(&cols, prefix), 24);
    }
    for (int c = 0; c < cols.count; c++)
        if (!isfinite(radx_columns_value(&cols, c, &r))) fail_msg("%s is not finite", cols.names[c]);
    radx_columns_free(&cols);
    radx_case_result_free(&r);
}

/* A sigma too large for the image gives no image and a warning naming it
 * (imageoperations.getLoGImage); the other sigma is still computed. */
static void test_skipped_setting_warns(void **state)
{
    (void)state;
    radx_params p;
    load_text("imageType:\n  Original: {}\n  LoG:\n    sigma: [1.0, 500.0]\n", &p);
    radx_case_result r;
    assert_int_equal(radx_case_result_init(&r), RADX_OK);
    if (radx_extract_files(IMAGE2D, MASK2D, &p, &r) != RADX_OK) fail_msg("%s", radx_last_error());
    assert_int_equal(r.nderived, 1);
    assert_string_equal(r.derived[0].image_name, "log-sigma-1-0-mm-3D");
    assert_contains(r.warnings, "500");
    assert_non_null(radx_case_result_image(&r, "log-sigma-1-0-mm-3D"));
    assert_null(radx_case_result_image(&r, "log-sigma-500-0-mm-3D"));
    radx_case_result_free(&r);
}

/* Without Original, shape stays (it belongs to the original image) and
 * the other classes run on the derived images only; the file's order of
 * image types is kept. */
static void test_without_original(void **state)
{
    (void)state;
    radx_params p;
    load_text("imageType:\n  Square: {}\n  Exponential: {}\n", &p);
    radx_case_result r;
    assert_int_equal(radx_case_result_init(&r), RADX_OK);
    if (radx_extract_files(IMAGE2D, MASK2D, &p, &r) != RADX_OK) fail_msg("%s", radx_last_error());
    radx_columns cols;
    assert_int_equal(radx_columns_build(&p, &r, 1, &cols), RADX_OK);
    assert_int_equal(cols.count, 9 + 2 * 93);
    assert_int_equal(count_prefix(&cols, "original_"), 9);
    assert_string_equal(cols.image_names[1], "square");
    assert_string_equal(cols.image_names[2], "exponential");
    radx_columns_free(&cols);
    radx_case_result_free(&r);
}

/* A context on the device `auto` takes, or NULL when there is none. */
static radx_cl_context *best_context(void)
{
    radx_cl_device_info *devices;
    int count;
    radx_cl_context *ctx = NULL;
    if (radx_cl_devices(&devices, &count) != RADX_OK) return NULL;
    int best = radx_cl_best_device(devices, count);
    if (best >= 0 &&
        radx_cl_context_create(devices[best].platform_index, devices[best].device_index, &ctx) != RADX_OK)
        fail_msg("context: %s", radx_last_error());
    free(devices);
    return ctx;
}

/* The OpenCL path computes the derived images on the host: every value of
 * every image equal to the CPU path's (bit for bit for derived images, within
 * 1e-9 for the original's texture built on the device). */
static void test_device_path_matches(void **state)
{
    (void)state;
    radx_cl_context *ctx = best_context();
    if (!ctx) {
        printf("no OpenCL device: device comparison skipped\n");
        skip();
    }
    radx_params p;
    load_params("cohorts/params/her2-us-2d.yaml", &p);
    radx_case_result cpu, dev;
    assert_int_equal(radx_case_result_init(&cpu), RADX_OK);
    assert_int_equal(radx_case_result_init(&dev), RADX_OK);
    assert_int_equal(radx_extract_files(IMAGE2D, MASK2D, &p, &cpu), RADX_OK);
    radx_cl_file_case c;
    memset(&c, 0, sizeof c);
    c.image = IMAGE2D;
    c.mask = MASK2D;
    c.label = 1;
    c.result = &dev;
    assert_int_equal(radx_cl_extract_files(ctx, &p, &c, 1, NULL, NULL), RADX_OK);
    if (c.status != RADX_OK) fail_msg("%s", c.message);
    radx_columns cols;
    assert_int_equal(radx_columns_build(&p, &cpu, 1, &cols), RADX_OK);
    for (int k = 0; k < cols.count; k++)
        assert_close(cols.names[k], radx_columns_value(&cols, k, &dev),
                     radx_columns_value(&cols, k, &cpu), 1e-9, 1e-12);
    radx_columns_free(&cols);
    radx_case_result_free(&cpu);
    radx_case_result_free(&dev);
    radx_cl_context_free(ctx);
}

int main(void)
{
    radx_test_pin_host_reduction();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_founding_study_count),
        cmocka_unit_test(test_skipped_setting_warns),
        cmocka_unit_test(test_without_original),
        cmocka_unit_test(test_device_path_matches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
