/* OpenCL devices without double precision (issue 4: "the device must report
 * fp64, else a documented float path with its measured error"). radx has no
 * single-precision path: the integer matrix kernels (GLCM, GLRLM, GLSZM,
 * GLDM) need no fp64, and the double-precision work (NGTDM's sums, the LoG
 * and wavelet filters, every feature reduction) stays on the host, so the
 * results are the CPU path's bit for bit: a measured error of zero.
 * RADX_CL_ASSUME_NO_FP64=1 makes PoCL's device report no fp64:
 *  - the device stays usable and reports fp64 0;
 *  - a context reduces on the host even when asked for the device, and
 *    refuses to build the double-precision programs, naming the kernel;
 *  - `radx extract --device opencl` (device reduction requested) on the
 *    founding study's 2D setting (16 images: LoG, wavelet, ...) and on 3D
 *    example images with LoG and wavelet gives the CPU path's CSV, byte for
 *    byte.
 * Skips when no OpenCL device is usable. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"
#include "study_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl/runtime.h"
#include "radx/cl.h"

/* The best device under RADX_CL_ASSUME_NO_FP64, or skip. */
static radx_cl_device_info no_fp64_device(void)
{
    setenv("RADX_CL_ASSUME_NO_FP64", "1", 1);
    radx_cl_device_info *devices = NULL, chosen;
    int count = 0;
    if (radx_cl_devices(&devices, &count) != RADX_OK || count == 0) {
        free(devices);
        skip();
    }
    for (int i = 0; i < count; i++) assert_int_equal(devices[i].fp64, 0);
    int best = radx_cl_best_device(devices, count);
    if (best < 0) {
        free(devices);
        fail_msg("no device is usable without fp64, though fp64 is not required");
    }
    chosen = devices[best];
    free(devices);
    assert_int_equal(chosen.usable, 1);
    return chosen;
}

static void test_context_keeps_doubles_on_host(void **state)
{
    (void)state;
    radx_cl_device_info d = no_fp64_device();
    radx_cl_context *ctx = NULL;
    if (radx_cl_context_create(d.platform_index, d.device_index, &ctx) != RADX_OK)
        fail_msg("context: %s", radx_last_error());
    radx_cl_context_set_reduce(ctx, RADX_CL_REDUCE_DEVICE);
    assert_int_equal(radx_cl_reduce_on_device(ctx), 0);
    cl_program program;
    assert_int_equal(radx_cl_program(ctx, RADX_CL_PROGRAM_GLCM, &program), RADX_OK);
    static const radx_cl_program_id doubles[] = {RADX_CL_PROGRAM_NGTDM, RADX_CL_PROGRAM_LOG,
                                                 RADX_CL_PROGRAM_WAVELET, RADX_CL_PROGRAM_GLCM_FEATURES};
    for (size_t i = 0; i < sizeof doubles / sizeof doubles[0]; i++) {
        assert_int_equal(radx_cl_needs_fp64(doubles[i]), 1);
        assert_int_equal(radx_cl_program(ctx, doubles[i], &program), RADX_ERR_DEVICE);
        assert_contains(radx_last_error(), radx_cl_program_file(doubles[i]));
    }
    assert_int_equal(radx_cl_context_build(ctx), RADX_OK);
    radx_cl_context_free(ctx);
}

/* radx extract on the CPU and on the no-fp64 device (device reduction
 * asked for): the same CSV, byte for byte. */
static void same_table(const char *dir, const char *params, const char *manifest, int min_rows)
{
    char command[2048], cpu[600], cl[600];
    snprintf(cpu, sizeof cpu, "%s/cpu.csv", dir);
    snprintf(cl, sizeof cl, "%s/cl.csv", dir);
    snprintf(command, sizeof command, "%s extract --params %s --cohort %s --out %s --device cpu",
             study_radx_bin(), params, manifest, cpu);
    assert_int_equal(system(command), 0);
    snprintf(command, sizeof command, "RADX_CL_ASSUME_NO_FP64=1 RADX_CL_REDUCE=device %s extract "
             "--params %s --cohort %s --out %s --device opencl 2> %s/cl.log",
             study_radx_bin(), params, manifest, cl, dir);
    assert_int_equal(system(command), 0);
    char *a = radx_test_read_file(cpu, NULL), *b = radx_test_read_file(cl, NULL);
    assert_non_null(a);
    assert_non_null(b);
    int rows = 0;
    for (const char *p = a; *p; p++) rows += *p == '\n';
    assert_true(rows >= min_rows + 1);
    if (strcmp(a, b) != 0) fail_msg("%s: the no-fp64 OpenCL table differs from the CPU path's", manifest);
    /* computed on the device, not by radx extract's rerun on the CPU path */
    char log[600];
    snprintf(log, sizeof log, "%s/cl.log", dir);
    char *messages = radx_test_read_file(log, NULL);
    assert_non_null(messages);
    if (strstr(messages, "rerunning on the CPU path")) fail_msg("the device failed: %s", messages);
    free(messages);
    free(a);
    free(b);
}

static void test_cli_2d_study_setting(void **state)
{
    (void)state;
    no_fp64_device();
    char dir[256];
    assert_int_equal(study_temp_dir(dir, sizeof dir, "radx-nofp64-"), 0);
    assert_int_equal(study_synth_cohort(dir, 0.05, 0), 0);
    char manifest[512];
    snprintf(manifest, sizeof manifest, "%s/manifest.csv", dir);
    same_table(dir, "cohorts/params/her2-us-2d.yaml", manifest, 20);
    study_remove_dir(dir);
}

static void test_cli_3d_examples(void **state)
{
    (void)state;
    no_fp64_device();
    char dir[256], params[512], manifest[512];
    assert_int_equal(study_temp_dir(dir, sizeof dir, "radx-nofp64-"), 0);
    snprintf(params, sizeof params, "%s/params.yaml", dir);
    snprintf(manifest, sizeof manifest, "%s/manifest.csv", dir);
    FILE *f = fopen(params, "w");
    assert_non_null(f);
    fputs("setting:\n  binWidth: 25\nimageType:\n  Original: {}\n  LoG:\n    sigma: [2.0]\n"
          "  Wavelet: {}\n", f);
    fclose(f);
    f = fopen(manifest, "w");
    assert_non_null(f);
    char cwd[400];
    assert_non_null(getcwd(cwd, sizeof cwd));
    fprintf(f, "Image,Mask\n%s/tests/data/examples/breast1_image.nrrd,%s/tests/data/examples/breast1_label.nrrd\n"
            "%s/tests/data/examples/prostate_phantom_subvolume.nrrd,"
            "%s/tests/data/examples/prostate_phantom_subvolume-label.nrrd\n", cwd, cwd, cwd, cwd);
    fclose(f);
    same_table(dir, params, manifest, 2);
    study_remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_context_keeps_doubles_on_host),
        cmocka_unit_test(test_cli_2d_study_setting),
        cmocka_unit_test(test_cli_3d_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
