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

enum { NSYNTHETIC = 330, NSETTINGS = 3 };

typedef struct fixture {
    radx_cl_context *ctx;            /* NULL: no usable OpenCL device */
    int platform, device;
    cl_test_roi rois[NSYNTHETIC];
    int n;
} fixture;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->n = cl_make_rois(f->rois, NSYNTHETIC, 77031u);
    radx_cl_device_info *devices;
    int count;
    if (radx_cl_devices(&devices, &count) == RADX_OK) {
        int best = radx_cl_best_device(devices, count);
        if (best >= 0) {
            f->platform = devices[best].platform_index;
            f->device = devices[best].device_index;
            if (radx_cl_context_create(f->platform, f->device, &f->ctx) != RADX_OK)
                fail_msg("context: %s", radx_last_error());
        }
        free(devices);
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < f->n; i++) cl_test_roi_free(&f->rois[i]);
    radx_cl_context_free(f->ctx);
    free(f);
    return 0;
}

static void need_device(const fixture *f)
{
    if (!f->ctx) {
        printf("no usable OpenCL platform/device: skipped\n");
        skip();
    }
}

/* ------------------------------------------------------ the two paths */

/* What comparing two result sets found. */
typedef struct agreement {
    long values, bit_equal, failed_cases;
    double worst_relative;
} agreement;

/* The CPU path on one prepared ROI: every wanted texture class in registry
 * order, stopping at the first failure (as radx_extract_images). */
static radx_status cpu_textures(const radx_roi *roi, const radx_params *params, radx_case_result *r)
{
    for (int c = 0; c < radx_feature_class_count(); c++) {
        if (!radx_cl_computes_class(c) || !radx_case_class_wanted(c, params, roi, r)) continue;
        radx_status st = radx_case_compute_class(c, roi, params, r);
        if (st != RADX_OK) return st;
    }
    return RADX_OK;
}

/* Every texture value of b against a (the CPU), within 1e-9 relative. */
static void compare_textures(const radx_case_result *a, const radx_case_result *b, const char *what,
                             agreement *g)
{
    for (int c = 0; c < radx_feature_class_count(); c++) {
        if (!radx_cl_computes_class(c)) continue;
        assert_int_equal(a->class_done[c], b->class_done[c]);
        const radx_feature_class *cls = radx_feature_class_at(c);
        for (int k = 0; a->class_done[c] && k < cls->nfeatures; k++) {
            int slot = radx_feature_slot(c, k);
            double x = a->values[slot], y = b->values[slot];
            char name[160];
            snprintf(name, sizeof name, "%s %s_%s", what, cls->name, cls->features[k].name);
            assert_close(name, y, x, 1e-9, 0.0);
            g->values++;
            if (memcmp(&x, &y, sizeof x) == 0) g->bit_equal++;
            double rel = x != 0.0 && isfinite(x) ? fabs((y - x) / x) : 0.0;
            if (rel > g->worst_relative) g->worst_relative = rel;
        }
    }
}

static void init_results(radx_case_result *r, int n, const fixture *f)
{
    for (int i = 0; i < n; i++) {
        assert_int_equal(radx_case_result_init(&r[i]), RADX_OK);
        r[i].image_is_2d = f->rois[i].roi.size[2] == 1;
    }
}

/* The OpenCL path on the synthetic ROIs in batches of `size`. */
static void cl_textures(radx_cl_context *ctx, const fixture *f, const radx_params *params, int size,
                        radx_case_result *results, radx_status *statuses)
{
    radx_cl_case *cases = calloc((size_t)f->n, sizeof *cases);
    for (int i = 0; i < f->n; i++) {
        cases[i].roi = &f->rois[i].roi;
        cases[i].result = &results[i];
    }
    for (int first = 0; first < f->n; first += size) {
        int count = first + size <= f->n ? size : f->n - first;
        if (radx_cl_extract_batch(ctx, params, cases + first, count) != RADX_OK)
            fail_msg("device: %s", radx_last_error());
    }
    for (int i = 0; i < f->n; i++) statuses[i] = cases[i].status;
    free(cases);
}

/* Settings s of the synthetic comparison. */
static void synthetic_params(int s, radx_params *p)
{
    radx_params_default(p);
    if (s == 1) {
        p->weighting = RADX_WEIGHTING_EUCLIDEAN;
        p->symmetrical_glcm = 0;
        p->ndistances = 2;
        p->distances[0] = 1;
        p->distances[1] = 2;
        p->gldm_a = 1.0;
    } else if (s == 2) {
        p->aggregation = RADX_AGG_2D_AVG;
    }
}

static void free_results(radx_case_result *r, int n)
{
    for (int i = 0; i < n; i++) radx_case_result_free(&r[i]);
}

/* ------------------------------------------------------------- tests */

static void test_synthetic_rois_equal_cpu(void **state)
{
    fixture *f = *state;
    need_device(f);
    radx_case_result *cpu = calloc((size_t)f->n, sizeof *cpu), *dev = calloc((size_t)f->n, sizeof *dev);
    radx_status *cpu_status = calloc((size_t)f->n, sizeof *cpu_status);
    radx_status *dev_status = calloc((size_t)f->n, sizeof *dev_status);
    for (int s = 0; s < NSETTINGS; s++) {
        radx_params params;
        synthetic_params(s, &params);
        init_results(cpu, f->n, f);
        init_results(dev, f->n, f);
        double t0 = now();
        for (int i = 0; i < f->n; i++) cpu_status[i] = cpu_textures(&f->rois[i].roi, &params, &cpu[i]);
        double t1 = now();
        cl_textures(f->ctx, f, &params, f->n, dev, dev_status);
        double t2 = now();
        agreement g = {0, 0, 0, 0.0};
        for (int i = 0; i < f->n; i++) {
            if (cpu_status[i] != dev_status[i])
                fail_msg("ROI %d: CPU %s, OpenCL %s", i, radx_status_name(cpu_status[i]),
                         radx_status_name(dev_status[i]));
            if (cpu_status[i] != RADX_OK) {
                g.failed_cases++;
                continue;
            }
            char what[48];
            snprintf(what, sizeof what, "settings %d ROI %d", s, i);
            compare_textures(&cpu[i], &dev[i], what, &g);
        }
        printf("synthetic settings %d: %d ROIs (%ld failing alike), %ld values, %ld bit-equal, "
               "worst relative difference %.3g; texture classes CPU %.2f s, OpenCL (PoCL) %.2f s\n",
               s, f->n, g.failed_cases, g.values, g.bit_equal, g.worst_relative, t1 - t0, t2 - t1);
        assert_true(g.values > 300L * 60);
        free_results(cpu, f->n);
        free_results(dev, f->n);
    }
    free(cpu), free(dev), free(cpu_status), free(dev_status);
}

static void test_batch_size_independence(void **state)
{
    fixture *f = *state;
    need_device(f);
    radx_params params;
    synthetic_params(1, &params);
    static const int sizes[3] = {1, 7, NSYNTHETIC};
    radx_case_result *runs[3];
    radx_status *statuses[3];
    int nslots = radx_feature_slot_count();
    for (int r = 0; r < 3; r++) {
        runs[r] = calloc((size_t)f->n, sizeof *runs[r]);
        statuses[r] = calloc((size_t)f->n, sizeof *statuses[r]);
        init_results(runs[r], f->n, f);
        cl_textures(f->ctx, f, &params, sizes[r], runs[r], statuses[r]);
    }
    for (int r = 1; r < 3; r++)
        for (int i = 0; i < f->n; i++) {
            assert_int_equal(statuses[r][i], statuses[0][i]);
            assert_memory_equal(runs[r][i].class_done, runs[0][i].class_done, sizeof runs[0][i].class_done);
            for (int k = 0; k < nslots; k++) {
                double a = runs[0][i].values[k], b = runs[r][i].values[k];
                if (memcmp(&a, &b, sizeof a) != 0 && !(isnan(a) && isnan(b)))
                    fail_msg("batches of %d vs 1, ROI %d slot %d: %.17g vs %.17g", sizes[r], i, k, b, a);
            }
        }
    printf("batches of 1, 7 and %d: identical values for %d ROIs\n", NSYNTHETIC, f->n);
    for (int r = 0; r < 3; r++) {
        free_results(runs[r], f->n);
        free(runs[r]);
        free(statuses[r]);
    }
}

/* One image/mask pair prepared once, texture classes by both paths. */
static void compare_case(radx_cl_context *ctx, const char *image_path, const char *mask_path,
                         const radx_params *params, const char *what, agreement *g,
                         radx_case_result *dev_out)
{
    radx_image *image = NULL, *mask = NULL;
    if (radx_image_read(image_path, &image) != RADX_OK || radx_image_read(mask_path, &mask) != RADX_OK)
        fail_msg("%s", radx_last_error());
    radx_case_result cpu, dev;
    assert_int_equal(radx_case_result_init(&dev), RADX_OK);
    radx_roi_data roi;
    if (radx_case_prepare(image, mask, params, &roi, &dev) != RADX_OK)
        fail_msg("%s: prepare: %s", what, radx_last_error());
    cpu = dev;
    assert_int_equal(radx_case_result_init(&cpu), RADX_OK);
    cpu.image_is_2d = dev.image_is_2d;
    if (cpu_textures(&roi.roi, params, &cpu) != RADX_OK) fail_msg("%s: CPU: %s", what, radx_last_error());
    radx_cl_case c = {.roi = &roi.roi, .result = &dev};
    if (radx_cl_extract_batch(ctx, params, &c, 1) != RADX_OK) fail_msg("%s: %s", what, radx_last_error());
    if (c.status != RADX_OK) fail_msg("%s: OpenCL: %s", what, c.message);
    compare_textures(&cpu, &dev, what, g);
    radx_case_result_free(&cpu);
    if (dev_out) *dev_out = dev;
    else radx_case_result_free(&dev);
    radx_roi_data_free(&roi);
    radx_image_free(image);
    radx_image_free(mask);
}

static void load_params(const char *yaml, radx_params *params)
{
    char *path = radx_test_params_file(yaml);
    radx_params_default(params);
    if (radx_params_load(path, params, NULL, 0) != RADX_OK) fail_msg("params: %s", radx_last_error());
    remove(path);
    free(path);
}

/* IBSI values are exact to 3 significant digits (test_ibsi.c). */
static double allowed_deviation(double reference)
{
    if (reference == 0.0) return 5e-4;
    return 0.5 * pow(10.0, floor(log10(fabs(reference))) - 2);
}

static const char *const aggregations[6] = {"3D_avg", "3D_mrg", "2D_avg", "2D_smrg", "2.5D_avg", "2.5D_mrg"};

/* The radx aggregation that reproduces an IBSI one (test_ibsi.c). */
static int aggregation_index(const char *ibsi)
{
    if (strcmp(ibsi, "3D") == 0) return 0;
    for (int a = 0; a < 6; a++)
        if (strcmp(ibsi, aggregations[a]) == 0) return a;
    return -1;
}

static int is_texture_feature(const char *pyradiomics_name)
{
    static const char *const prefixes[] = {"glcm_", "glrlm_", "glszm_", "gldm_", "ngtdm_"};
    for (int p = 0; p < 5; p++)
        if (strncmp(pyradiomics_name, prefixes[p], strlen(prefixes[p])) == 0) return 1;
    return 0;
}

static void test_ibsi_phantom(void **state)
{
    fixture *f = *state;
    need_device(f);
    agreement g = {0, 0, 0, 0.0};
    radx_case_result dev[6];
    for (int a = 0; a < 6; a++) {
        char yaml[256];
        snprintf(yaml, sizeof yaml, "setting:\n  binWidth: 1\n  voxelArrayShift: 0\n  ibsi: true\n"
                 "  textureAggregation: %s\n", aggregations[a]);
        radx_params params;
        load_params(yaml, &params);
        compare_case(f->ctx, "tests/data/ibsi/nifti/phantom.nii.gz", "tests/data/ibsi/nifti/mask.nii.gz",
                     &params, aggregations[a], &g, &dev[a]);
    }
    printf("IBSI phantom vs CPU: %ld values, %ld bit-equal, worst relative %.3g\n", g.values,
           g.bit_equal, g.worst_relative);
    /* the OpenCL values against IBSI's consensus values */
    radx_csv *csv;
    assert_int_equal(radx_csv_read("tests/data/ibsi/reference_values.csv", &csv), RADX_OK);
    int c_agg = radx_csv_column(csv, "aggregation"), c_val = radx_csv_column(csv, "value");
    int c_name = radx_csv_column(csv, "pyradiomics_name");
    int checked = 0, mismatched = 0;
    for (int r = 0; r < csv->nrows; r++) {
        char **row = csv->cells[r];
        int a = aggregation_index(row[c_agg]), slot = radx_test_feature_slot(row[c_name]);
        if (!is_texture_feature(row[c_name]) || a < 0 || slot < 0) continue;
        double reference;
        assert_int_equal(radx_csv_number(row[c_val], &reference), 0);
        double got = dev[a].values[slot];
        checked++;
        if (!(fabs(got - reference) <= allowed_deviation(reference))) {
            printf("MISMATCH %s %s: OpenCL %.6g, IBSI %s\n", row[c_name], row[c_agg], got, row[c_val]);
            mismatched++;
        }
    }
    printf("IBSI phantom, OpenCL path: %d texture reference values checked, %d mismatched\n", checked,
           mismatched);
    radx_csv_free(csv);
    for (int a = 0; a < 6; a++) radx_case_result_free(&dev[a]);
    assert_true(checked > 150);
    assert_int_equal(mismatched, 0);
}

static void test_example_images(void **state)
{
    fixture *f = *state;
    need_device(f);
    static const char *const cases[3][2] = {
        {"tests/data/examples/brain1_image.nrrd", "tests/data/examples/brain1_label.nrrd"},
        {"tests/data/examples/breast1_image.nrrd", "tests/data/examples/breast1_label.nrrd"},
        {"tests/data/examples/prostate_phantom_subvolume.nrrd",
         "tests/data/examples/prostate_phantom_subvolume-label.nrrd"},
    };
    radx_params params;
    radx_params_default(&params);
    agreement g = {0, 0, 0, 0.0};
    for (int c = 0; c < 3; c++) compare_case(f->ctx, cases[c][0], cases[c][1], &params, cases[c][0], &g, NULL);
    printf("example images vs CPU: %ld values, %ld bit-equal, worst relative %.3g\n", g.values,
           g.bit_equal, g.worst_relative);
    assert_true(g.values > 3 * 60);
}

/* Whole cases from files: radx_cl_extract_files against radx_extract_files,
 * every slot (shape, firstorder and texture) bit for bit, and the same
 * status and message for broken cases. */
static void test_extract_files_equals_cpu(void **state)
{
    fixture *f = *state;
    need_device(f);
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
        load_params(yaml[y], &params);
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
        if (radx_cl_extract_files(f->ctx, &params, cases, N, NULL, NULL) != RADX_OK)
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

/* A kernel folder: the project's kernels with glszm.cl broken. */
static char *broken_kernel_dir(void)
{
    static const char *const files[] = {"common.h", "histogram.cl", "glcm.cl", "glrlm.cl",
                                        "glszm.cl", "gldm.cl", "ngtdm.cl"};
    char *dir = strdup("/tmp/radx_cl_kernels_XXXXXX");
    assert_non_null(mkdtemp(dir));
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char src[256], dst[512];
        snprintf(src, sizeof src, "kernels/%s", files[i]);
        snprintf(dst, sizeof dst, "%s/%s", dir, files[i]);
        size_t length;
        char *text = radx_test_read_file(src, &length);
        if (!text) fail_msg("cannot read %s", src);
        FILE *out = fopen(dst, "w");
        assert_non_null(out);
        if (strcmp(files[i], "glszm.cl") == 0)
            fputs("__kernel void radx_glszm_init(__global int *x) { x[0] = radx_no_such_function(); }\n", out);
        else
            fwrite(text, 1, length, out);
        fclose(out);
        free(text);
    }
    return dir;
}

static void remove_dir(char *dir)
{
    static const char *const files[] = {"common.h", "histogram.cl", "glcm.cl", "glrlm.cl",
                                        "glszm.cl", "gldm.cl", "ngtdm.cl"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        remove(path);
    }
    rmdir(dir);
    free(dir);
}

static void test_fallback_when_a_kernel_fails_to_build(void **state)
{
    fixture *f = *state;
    need_device(f);
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
    snprintf(explicit_device, sizeof explicit_device, "opencl:%d:%d", f->platform, f->device);
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
    /* The OpenCL results here are compared bit for bit with the CPU path,
     * which holds with the host feature reduction (on a GPU, AUTO reduces on
     * the device: within 1e-9, tests/test_cl_reduce.c). */
    setenv("RADX_CL_REDUCE", "host", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_device),
        cmocka_unit_test(test_fallback_without_device),
        cmocka_unit_test(test_fallback_when_a_kernel_fails_to_build),
        cmocka_unit_test(test_ibsi_phantom),
        cmocka_unit_test(test_example_images),
        cmocka_unit_test(test_extract_files_equals_cpu),
        cmocka_unit_test(test_synthetic_rois_equal_cpu),
        cmocka_unit_test(test_batch_size_independence),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
