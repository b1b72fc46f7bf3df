/* radx_cl_extract_batch (host/cl/extract_cl.c) against the CPU path
 * (radx_case_compute_class, the reference), and the device choice:
 *  - IBSI digital phantom, all six IBSI aggregations: every texture feature
 *    within 1e-9 relative of the CPU path, and the OpenCL values against the
 *    IBSI consensus values (tests/data/ibsi/reference_values.csv, 3 digits);
 *  - PyRadiomics' example images (brain1, breast1, prostate phantom) with
 *    PyRadiomics' default settings: every texture feature within 1e-9;
 *  - 330 seeded synthetic ROIs of mixed sizes (test_cl_rois.h) under three
 *    settings (defaults; weighted, asymmetric, two distances, gldm_a 1; IBSI
 *    2D per-slice aggregation): same statuses, features within 1e-9;
 *  - batch-size independence: batches of 1, 7 and all give identical bits;
 *  - fallback: no device (RADX_CL_DISABLE=1) and a kernel that fails to
 *    build (RADX_KERNEL_DIR with a broken glszm.cl): auto falls back to the
 *    CPU with one warning naming the cause (OpenCL error name, build log),
 *    opencl fails with RADX_ERR_DEVICE.
 * Device tests skip when no OpenCL device is usable. */
#include "testutil.h"
#include "reference.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "extract/case.h"
#include "radx/cl.h"
#include "radx/radx.h"
#include "test_cl_rois.h"
#include "cl_fixture.h"

typedef cl_synthetic_fixture fixture;

static int setup(void **state)
{
    /* host reduction (main pins it): within 1e-9 relative, no absolute slack */
    cl_fixture_synthetic_setup(state, RADX_CL_REDUCE_AUTO, 0.0, "");
    return 0;
}

/* Whole cases from files: radx_cl_extract_files against radx_extract_files,
 * every slot (shape, firstorder and texture) bit for bit, and the same
 * status and message for broken cases. */
static void test_extract_files_equals_cpu(void **state)
{
    fixture *f = *state;
    cl_fixture_need_device(f->base.ctx);
    static const char *const pairs[][2] = {
        {"tests/data/examples/brain1_image.nrrd", "tests/data/examples/brain1_label.nrrd"},
        {"tests/data/examples/breast1_image.nrrd", "tests/data/examples/breast1_label.nrrd"},
        {"tests/data/examples/prostate_phantom_subvolume.nrrd",
         "tests/data/examples/prostate_phantom_subvolume-label.nrrd"},
        {"tests/data/ibsi/nifti/phantom.nii.gz", "tests/data/ibsi/nifti/mask.nii.gz"},
        {"tests/data/examples/nope.nrrd", "tests/data/examples/breast1_label.nrrd"},
        {"tests/data/ibsi/README.md", "tests/data/examples/breast1_label.nrrd"},
        {"tests/data/examples/brain1_image.nrrd", "tests/data/examples/breast1_label.nrrd"},
        {"tests/data/examples/breast1_image.nrrd", "tests/data/examples/breast1_label.nrrd"},
    };
    static const int labels[] = {1, 1, 1, 1, 1, 1, 1, 3};
    enum { N = sizeof labels / sizeof *labels };
    static const char *const yaml[2] = {"setting:\n  binWidth: 10\n",
                                        "setting:\n  binCount: 16\n  textureAggregation: 2D_avg\n"};
    int nslots = radx_feature_slot_count(), ok = 0, failed = 0;
    long values = 0;
    for (int y = 0; y < 2; y++) {
        radx_params params;
        cl_fixture_load_params(yaml[y], &params);
        radx_case_result cpu[N], dev[N];
        radx_status cpu_status[N];
        char cpu_message[N][1024];
        radx_cl_file_case cases[N];
        memset(cases, 0, sizeof cases);
        for (int i = 0; i < N; i++) {
            radx_params p = params;
            p.label = labels[i];
            assert_int_equal(radx_case_result_init(&cpu[i]), RADX_OK);
            assert_int_equal(radx_case_result_init(&dev[i]), RADX_OK);
            cpu_status[i] = radx_extract_files(pairs[i][0], pairs[i][1], &p, &cpu[i]);
            snprintf(cpu_message[i], sizeof cpu_message[i], "%s", cpu_status[i] ? radx_last_error() : "");
            cases[i] = (radx_cl_file_case){.image = pairs[i][0], .mask = pairs[i][1], .label = labels[i], .result = &dev[i]};
        }
        if (radx_cl_extract_files(f->base.ctx, &params, cases, N, NULL, NULL) != RADX_OK)
            fail_msg("device: %s", radx_last_error());
        for (int i = 0; i < N; i++) {
            assert_int_equal(cases[i].status, cpu_status[i]);
            assert_string_equal(cases[i].message, cpu_message[i]);
            if (cpu_status[i] != RADX_OK) {
                failed++;
                continue;
            }
            ok++;
            assert_memory_equal(dev[i].class_done, cpu[i].class_done, sizeof cpu[i].class_done);
            assert_int_equal(dev[i].roi_voxels, cpu[i].roi_voxels);
            for (int k = 0; k < nslots; k++) {
                double a = cpu[i].values[k], b = dev[i].values[k];
                if (memcmp(&a, &b, sizeof a) != 0 && !(isnan(a) && isnan(b)))
                    fail_msg("%s slot %d: OpenCL %.17g, CPU %.17g", pairs[i][0], k, b, a);
                values += !isnan(a);
            }
        }
        for (int i = 0; i < N; i++) {
            radx_case_result_free(&cpu[i]);
            radx_case_result_free(&dev[i]);
        }
    }
    printf("whole cases from files: %d ok with %ld values identical, %d failing alike\n", ok, values, failed);
    assert_int_equal(ok, 8);
    assert_int_equal(failed, 8);
}

/* ------------------------------------------------------------ fallback */

static void test_parse_device(void **state)
{
    (void)state;
    radx_device_request r;
    assert_int_equal(radx_device_parse("auto", &r), RADX_OK);
    assert_int_equal(r.kind, RADX_DEVICE_AUTO);
    assert_int_equal(radx_device_parse("cpu", &r), RADX_OK);
    assert_int_equal(r.kind, RADX_DEVICE_CPU);
    assert_int_equal(radx_device_parse("opencl", &r), RADX_OK);
    assert_int_equal(r.platform_index, -1);
    assert_int_equal(radx_device_parse("opencl:1:2", &r), RADX_OK);
    assert_int_equal(r.kind, RADX_DEVICE_OPENCL);
    assert_int_equal(r.platform_index, 1);
    assert_int_equal(r.device_index, 2);
    assert_int_equal(radx_device_parse("gpu", &r), RADX_ERR_PARAM);
    assert_contains(radx_last_error(), "opencl:P:D");
    assert_int_equal(radx_device_parse("opencl:1", &r), RADX_ERR_PARAM);
    assert_int_equal(radx_device_parse("opencl:0:0x", &r), RADX_ERR_PARAM);
}

static void test_fallback_without_device(void **state)
{
    (void)state;
    setenv("RADX_CL_DISABLE", "1", 1);
    radx_cl_device_info *devices;
    int count = -1;
    assert_int_equal(radx_cl_devices(&devices, &count), RADX_OK);
    assert_int_equal(count, 0);
    free(devices);
    radx_device_request r;
    radx_device_choice choice;
    assert_int_equal(radx_device_parse("auto", &r), RADX_OK);
    assert_int_equal(radx_device_choose(&r, &choice), RADX_OK);
    assert_null(choice.context);
    assert_string_equal(choice.description, "CPU");
    assert_contains(choice.warning, "using the CPU path");
    assert_contains(choice.warning, "no OpenCL device found (RADX_CL_DISABLE is set)");
    assert_int_equal(radx_device_parse("opencl", &r), RADX_OK);
    assert_int_equal(radx_device_choose(&r, &choice), RADX_ERR_DEVICE);
    assert_contains(radx_last_error(), "no OpenCL device found");
    assert_null(choice.context);
    assert_int_equal(radx_device_parse("cpu", &r), RADX_OK);
    assert_int_equal(radx_device_choose(&r, &choice), RADX_OK);
    assert_null(choice.context);
    assert_string_equal(choice.warning, "");
    unsetenv("RADX_CL_DISABLE");
}

/* The kernels of the host-reduction path; a folder with glszm.cl broken. */
static const char *const kernel_files[] = {"common.h", "histogram.cl", "glcm.cl", "glrlm.cl",
                                           "glszm.cl", "gldm.cl", "ngtdm.cl"};
enum { NKERNEL_FILES = sizeof kernel_files / sizeof *kernel_files };

static char *broken_kernel_dir(void)
{
    unsigned char broken[NKERNEL_FILES] = {0};
    for (int i = 0; i < NKERNEL_FILES; i++) broken[i] = strcmp(kernel_files[i], "glszm.cl") == 0;
    return cl_fixture_kernel_dir(kernel_files, NKERNEL_FILES, broken,
                                 "__kernel void radx_glszm_init(__global int *x) { x[0] = radx_no_such_function(); }\n");
}

static void remove_dir(char *dir)
{
    cl_fixture_remove_kernel_dir(dir, kernel_files, NKERNEL_FILES);
}

static void test_fallback_when_a_kernel_fails_to_build(void **state)
{
    fixture *f = *state;
    cl_fixture_need_device(f->base.ctx);
    char *dir = broken_kernel_dir();
    setenv("RADX_KERNEL_DIR", dir, 1);
    radx_device_request r;
    radx_device_choice choice;
    assert_int_equal(radx_device_parse("auto", &r), RADX_OK);
    assert_int_equal(radx_device_choose(&r, &choice), RADX_OK);
    assert_null(choice.context);
    assert_contains(choice.warning, "using the CPU path");
    assert_contains(choice.warning, "glszm.cl");
    assert_contains(choice.warning, "CL_BUILD_PROGRAM_FAILURE");
    assert_contains(choice.warning, "radx_no_such_function"); /* from the build log */
    printf("auto fallback warning: %.200s...\n", choice.warning);
    char explicit_device[32];
    snprintf(explicit_device, sizeof explicit_device, "opencl:%d:%d", f->base.platform, f->base.device);
    assert_int_equal(radx_device_parse(explicit_device, &r), RADX_OK);
    assert_int_equal(radx_device_choose(&r, &choice), RADX_ERR_DEVICE);
    assert_contains(radx_last_error(), "failed to build");
    assert_contains(radx_last_error(), "build log");
    /* a folder without the kernels */
    setenv("RADX_KERNEL_DIR", "/nonexistent/radx-kernels", 1);
    assert_int_equal(radx_device_parse("auto", &r), RADX_OK);
    assert_int_equal(radx_device_choose(&r, &choice), RADX_OK);
    assert_null(choice.context);
    assert_contains(choice.warning, "cannot open kernel source");
    /* the project's own kernels from the folder build and are used */
    setenv("RADX_KERNEL_DIR", "kernels", 1);
    assert_int_equal(radx_device_choose(&r, &choice), RADX_OK);
    assert_non_null(choice.context);
    assert_string_equal(choice.warning, "");
    assert_contains(choice.description, "OpenCL");
    radx_device_choice_release(&choice);
    unsetenv("RADX_KERNEL_DIR");
    remove_dir(dir);
}

int main(void)
{
    radx_test_pin_host_reduction();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_device),
        cmocka_unit_test(test_fallback_without_device),
        cmocka_unit_test(test_fallback_when_a_kernel_fails_to_build),
        cmocka_unit_test(test_extract_files_equals_cpu),
        CL_FIXTURE_SHARED_TESTS,
    };
    return cmocka_run_group_tests(tests, setup, cl_fixture_synthetic_teardown);
}
