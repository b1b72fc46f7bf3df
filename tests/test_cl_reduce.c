/* Texture features reduced on the OpenCL device (kernels/<family>_features.cl,
 * radx_cl_context_set_reduce(RADX_CL_REDUCE_DEVICE)) against the CPU path
 * (radx_case_compute_class, the reference):
 *  - IBSI digital phantom, all six IBSI aggregations: same statuses, every
 *    texture feature within 1e-9 relative of the CPU path, and the device
 *    values against the IBSI consensus values (3 significant digits);
 *  - PyRadiomics' example images with PyRadiomics' defaults: within 1e-9;
 *  - 330 seeded synthetic ROIs (test_cl_rois.h: 1-voxel and one-grey-level
 *    ROIs included) under three settings (defaults; weighted, asymmetric,
 *    two distances, gldm_a 1; IBSI 2D per-slice): same statuses, within 1e-9
 *    (NaN where the CPU gives NaN);
 *  - batch-size independence: batches of 1, 7 and all give identical bits;
 *  - small device budgets (RADX_CL_MEMORY_LIMIT): reductions split into
 *    chunks, and a GLCM whose reduction scratch exceeds the budget read back
 *    for the host reduction; values still within 1e-9 of the CPU path;
 *  - the switch: RADX_CL_REDUCE read at context creation, and device mode
 *    really runs each family's reduction kernel (a broken
 *    <family>_features.cl fails the batch with RADX_ERR_DEVICE naming it;
 *    host mode does not build them).
 * Skips when no OpenCL device is usable. */
#include "testutil.h"
#include "reference.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cl/batch.h"
#include "cl/glcm_cl.h"
#include "cl/runtime.h"
#include "extract/case.h"
#include "radx/cl.h"
#include "radx/radx.h"
#include "test_cl_rois.h"
#include "cl_fixture.h"

typedef cl_synthetic_fixture fixture;

static int setup(void **state)
{
    /* device reductions sum in another order: within 1e-9 relative, 1e-300
     * absolute around 0 */
    cl_fixture_synthetic_setup(state, RADX_CL_REDUCE_DEVICE, 1e-300, "device reduction, ");
    return 0;
}

/* ------------------------------------------------------- small budgets */

/* A context whose planning and output budgets are `limit` bytes; the
 * variable stays set (the output budget is read at every launch) until
 * unsetenv. */
static radx_cl_context *limited_context(const fixture *f, long limit)
{
    char text[32];
    snprintf(text, sizeof text, "%ld", limit);
    setenv("RADX_CL_MEMORY_LIMIT", text, 1);
    radx_cl_context *ctx;
    assert_int_equal(radx_cl_context_create(f->base.platform, f->base.device, &ctx), RADX_OK);
    radx_cl_context_set_reduce(ctx, RADX_CL_REDUCE_DEVICE);
    return ctx;
}

/* A 2D synthetic ROI with >= 8 grey levels whose box fits a budget of
 * 16 n^2 + 8 bytes (its 4 GLCMs of n^2 uint counts), or -1. */
static int glcm_fallback_roi(const fixture *f)
{
    for (int i = 0; i < f->base.n; i++) {
        const radx_roi *r = &f->rois[i].roi;
        long n = r->nlevels, box = (long)r->size[0] * r->size[1];
        if (r->size[2] == 1 && n >= 8 && r->size[0] > 1 && r->size[1] > 1 && box * 18 <= 16 * n * n)
            return i;
    }
    return -1;
}

static void test_small_budgets(void **state)
{
    fixture *f = *state;
    cl_fixture_need_device(f->base.ctx);
    /* the GLCM fallback: counts fit the budget, the reduction's scratch
     * (2 n^2 + 5 n + 3 Ng + 1 doubles) does not */
    int i = glcm_fallback_roi(f);
    assert_true(i >= 0);
    const radx_roi *roi = &f->rois[i].roi;
    long n = roi->nlevels;
    radx_cl_context *ctx = limited_context(f, 16 * n * n + 8);
    radx_feature_opts opts;
    radx_feature_opts_default(&opts);
    const radx_feature_opts *op = &opts;
    radx_cl_batch batch;
    assert_int_equal(radx_cl_batch_create(ctx, &roi, 1, &batch), RADX_OK);
    assert_int_equal(batch.packed[0], 1);
    radx_cl_glcm_set set;
    if (radx_cl_glcm_build_reduced(ctx, &batch, &op, &set, 1) != RADX_OK) fail_msg("%s", radx_last_error());
    assert_int_equal(set.on_device, 1);
    assert_non_null(set.matrices);   /* read back: the host reduces this one */
    assert_null(set.values);
    double dev[RADX_GLCM_NFEATURES], cpu[RADX_GLCM_NFEATURES];
    assert_int_equal(radx_cl_glcm_compute(roi, &opts, &set, dev), RADX_OK);
    assert_int_equal(radx_class_glcm.compute(roi, &opts, cpu), RADX_OK);
    for (int k = 0; k < RADX_GLCM_NFEATURES; k++) assert_close("GLCM fallback", dev[k], cpu[k], 1e-9, 1e-300);
    radx_cl_glcm_set_free(&set);
    radx_cl_batch_free(&batch);
    radx_cl_context_free(ctx);
    printf("GLCM reduction scratch over budget (ROI %d, %ld levels): matrices read back, equal to the CPU\n",
           i, n);
    /* every ROI and family under 64 KiB: chunked reductions, CPU fallbacks */
    ctx = limited_context(f, 65536);
    radx_case_result *c = calloc((size_t)f->base.n, sizeof *c), *d = calloc((size_t)f->base.n, sizeof *d);
    radx_status *cs = calloc((size_t)f->base.n, sizeof *cs), *ds = calloc((size_t)f->base.n, sizeof *ds);
    radx_params params;
    cl_fixture_synthetic_params(0, &params);
    cl_fixture_init_results(c, f->base.n, f->base.rois);
    cl_fixture_init_results(d, f->base.n, f->base.rois);
    for (int k = 0; k < f->base.n; k++) cs[k] = cl_fixture_cpu_textures(&f->rois[k].roi, &params, &c[k]);
    cl_fixture_cl_textures(ctx, f->base.rois, f->base.n, &params, f->base.n, d, ds);
    unsetenv("RADX_CL_MEMORY_LIMIT");
    cl_agreement g = {0, 0, 0, 0, 0.0};
    for (int k = 0; k < f->base.n; k++) {
        assert_int_equal(ds[k], cs[k]);
        char what[48];
        snprintf(what, sizeof what, "64 KiB ROI %d", k);
        if (cs[k] == RADX_OK) cl_fixture_compare_textures(&c[k], &d[k], what, f->base.abs_tol, &g);
    }
    printf("device reduction under a 64 KiB budget: %ld values, worst relative %.3g\n", g.values,
           g.worst_relative);
    assert_true(g.values > 300L * 60);
    cl_fixture_free_results(c, f->base.n);
    cl_fixture_free_results(d, f->base.n);
    free(c), free(d), free(cs), free(ds);
    radx_cl_context_free(ctx);
}

/* ------------------------------------------------------------ the switch */

static void test_reduce_from_environment(void **state)
{
    fixture *f = *state;
    cl_fixture_need_device(f->base.ctx);
    static const struct { const char *value; radx_cl_reduce reduce; } cases[] = {
        {"host", RADX_CL_REDUCE_HOST}, {"device", RADX_CL_REDUCE_DEVICE},
        {"", RADX_CL_REDUCE_AUTO}, {"auto", RADX_CL_REDUCE_AUTO},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        setenv("RADX_CL_REDUCE", cases[i].value, 1);
        radx_cl_context *ctx;
        assert_int_equal(radx_cl_context_create(f->base.platform, f->base.device, &ctx), RADX_OK);
        assert_int_equal(ctx->reduce, cases[i].reduce);
        radx_cl_context_free(ctx);
    }
    /* a misspelt value is an error naming it, not a silent default */
    setenv("RADX_CL_REDUCE", "gpu", 1);
    radx_cl_context *bad = NULL;
    assert_int_equal(radx_cl_context_create(f->base.platform, f->base.device, &bad), RADX_ERR_PARAM);
    assert_null(bad);
    assert_contains(radx_last_error(), "RADX_CL_REDUCE: 'gpu'");
    unsetenv("RADX_CL_REDUCE");
    radx_cl_context *ctx;
    assert_int_equal(radx_cl_context_create(f->base.platform, f->base.device, &ctx), RADX_OK);
    assert_int_equal(ctx->reduce, RADX_CL_REDUCE_AUTO);
    /* AUTO: the host on CPU devices (measured), the device on GPUs/accelerators */
    assert_int_equal(radx_cl_reduce_on_device(ctx), ctx->info.type == RADX_CL_DEVICE_GPU ||
                                                        ctx->info.type == RADX_CL_DEVICE_ACCELERATOR);
    radx_cl_context_set_reduce(ctx, RADX_CL_REDUCE_DEVICE);
    assert_true(radx_cl_reduce_on_device(ctx));
    radx_cl_context_set_reduce(ctx, RADX_CL_REDUCE_HOST);
    assert_false(radx_cl_reduce_on_device(ctx));
    radx_cl_context_free(ctx);
}

static const char *const kernel_files[] = {
    "common.h", "histogram.cl", "glcm.cl", "glrlm.cl", "glszm.cl", "gldm.cl", "ngtdm.cl", "log.cl",
    "wavelet.cl", "features_common.cl", "glcm_features.cl", "glrlm_features.cl", "gldm_features.cl",
    "ngtdm_features.cl", "glszm_features.cl"};
enum { NKERNEL_FILES = sizeof kernel_files / sizeof *kernel_files, FIRST_FEATURES_FILE = 10 };

/* Copy kernels/ into a temporary folder with `broken` (a *_features.cl
 * file), or every *_features.cl file when NULL, replaced by one that does
 * not compile. */
static char *broken_reduction_dir(const char *broken)
{
    unsigned char breaks[NKERNEL_FILES];
    for (int i = 0; i < NKERNEL_FILES; i++)
        breaks[i] = broken ? strcmp(kernel_files[i], broken) == 0 : i >= FIRST_FEATURES_FILE;
    return cl_fixture_kernel_dir(kernel_files, NKERNEL_FILES, breaks,
                                 "__kernel void radx_broken(__global int *x) { x[0] = radx_not_here(); }\n");
}

static void remove_kernel_dir(char *dir)
{
    cl_fixture_remove_kernel_dir(dir, kernel_files, NKERNEL_FILES);
}

/* One synthetic ROI through a fresh context with the given reduction and
 * RADX_KERNEL_DIR=dir; returns the batch's status. */
static radx_status run_with_kernels(const fixture *f, const char *dir, radx_cl_reduce reduce)
{
    setenv("RADX_KERNEL_DIR", dir, 1);
    radx_params params;
    radx_params_default(&params);
    radx_case_result result;
    radx_cl_context *ctx;
    assert_int_equal(radx_cl_context_create(f->base.platform, f->base.device, &ctx), RADX_OK);
    radx_cl_context_set_reduce(ctx, reduce);
    assert_int_equal(radx_case_result_init(&result), RADX_OK);
    radx_cl_case c = {.roi = &f->rois[40].roi, .result = &result};
    radx_status st = radx_cl_extract_batch(ctx, &params, &c, 1);
    radx_case_result_free(&result);
    radx_cl_context_free(ctx);
    unsetenv("RADX_KERNEL_DIR");
    return st;
}

/* Device mode runs every family's kernels/<family>_features.cl (a broken
 * one fails the batch with RADX_ERR_DEVICE naming it); host mode never
 * builds them. */
static void test_device_mode_uses_the_reduction_kernels(void **state)
{
    fixture *f = *state;
    cl_fixture_need_device(f->base.ctx);
    char *dir = broken_reduction_dir(NULL);
    assert_int_equal(run_with_kernels(f, dir, RADX_CL_REDUCE_HOST), RADX_OK);
    remove_kernel_dir(dir);
    for (int i = FIRST_FEATURES_FILE; i < NKERNEL_FILES; i++) {
        dir = broken_reduction_dir(kernel_files[i]);
        assert_int_equal(run_with_kernels(f, dir, RADX_CL_REDUCE_DEVICE), RADX_ERR_DEVICE);
        assert_contains(radx_last_error(), kernel_files[i]);
        assert_contains(radx_last_error(), "radx_not_here");
        remove_kernel_dir(dir);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reduce_from_environment),
        cmocka_unit_test(test_device_mode_uses_the_reduction_kernels),
        CL_FIXTURE_SHARED_TESTS,
        cmocka_unit_test(test_small_budgets),
    };
    return cmocka_run_group_tests(tests, setup, cl_fixture_synthetic_teardown);
}
