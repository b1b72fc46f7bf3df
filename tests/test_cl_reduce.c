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

enum { NSYNTHETIC = 330, NSETTINGS = 3 };

typedef struct fixture {
    radx_cl_context *ctx;            /* NULL: no usable OpenCL device; reduces on the device */
    int platform, device;
    cl_test_roi rois[NSYNTHETIC];
    int n;
} fixture;

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
            radx_cl_context_set_reduce(f->ctx, RADX_CL_REDUCE_DEVICE);
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

typedef struct agreement {
    long values, bit_equal, nan_values, failed_cases;
    double worst_relative;
} agreement;

/* The CPU path: every wanted texture class in registry order, stopping at
 * the first failure (as radx_extract_images). */
static radx_status cpu_textures(const radx_roi *roi, const radx_params *params, radx_case_result *r)
{
    for (int c = 0; c < radx_feature_class_count(); c++) {
        if (!radx_cl_computes_class(c) || !radx_case_class_wanted(c, params, roi, r)) continue;
        radx_status st = radx_case_compute_class(c, roi, params, r);
        if (st != RADX_OK) return st;
    }
    return RADX_OK;
}

/* Every texture value of dev against cpu: within 1e-9 relative (1e-300
 * absolute around 0), NaN exactly where the CPU has NaN. */
static void compare_textures(const radx_case_result *cpu, const radx_case_result *dev, const char *what,
                             agreement *g)
{
    for (int c = 0; c < radx_feature_class_count(); c++) {
        if (!radx_cl_computes_class(c)) continue;
        assert_int_equal(cpu->class_done[c], dev->class_done[c]);
        const radx_feature_class *cls = radx_feature_class_at(c);
        for (int k = 0; cpu->class_done[c] && k < cls->nfeatures; k++) {
            int slot = radx_feature_slot(c, k);
            double x = cpu->values[slot], y = dev->values[slot];
            char name[160];
            snprintf(name, sizeof name, "%s %s_%s", what, cls->name, cls->features[k].name);
            assert_close(name, y, x, 1e-9, 1e-300);
            g->values++;
            g->nan_values += isnan(x);
            if (memcmp(&x, &y, sizeof x) == 0 || (isnan(x) && isnan(y))) g->bit_equal++;
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

static void free_results(radx_case_result *r, int n)
{
    for (int i = 0; i < n; i++) radx_case_result_free(&r[i]);
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
        for (int i = 0; i < f->n; i++) cpu_status[i] = cpu_textures(&f->rois[i].roi, &params, &cpu[i]);
        cl_textures(f->ctx, f, &params, f->n, dev, dev_status);
        agreement g = {0, 0, 0, 0, 0.0};
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
        printf("device reduction, synthetic settings %d: %d ROIs (%ld failing alike), %ld values "
               "(%ld NaN), %ld bit-equal, worst relative difference %.3g\n",
               s, f->n, g.failed_cases, g.values, g.nan_values, g.bit_equal, g.worst_relative);
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
    printf("device reduction, batches of 1, 7 and %d: identical values for %d ROIs\n", NSYNTHETIC, f->n);
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
    agreement g = {0, 0, 0, 0, 0.0};
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
    printf("device reduction, IBSI phantom vs CPU: %ld values, %ld bit-equal, worst relative %.3g\n",
           g.values, g.bit_equal, g.worst_relative);
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
            printf("MISMATCH %s %s: device reduction %.6g, IBSI %s\n", row[c_name], row[c_agg], got,
                   row[c_val]);
            mismatched++;
        }
    }
    printf("IBSI phantom, device reduction: %d texture reference values checked, %d mismatched\n",
           checked, mismatched);
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
    agreement g = {0, 0, 0, 0, 0.0};
    for (int c = 0; c < 3; c++) compare_case(f->ctx, cases[c][0], cases[c][1], &params, cases[c][0], &g, NULL);
    printf("device reduction, example images vs CPU: %ld values, %ld bit-equal, worst relative %.3g\n",
           g.values, g.bit_equal, g.worst_relative);
    assert_true(g.values > 3 * 60);
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
    assert_int_equal(radx_cl_context_create(f->platform, f->device, &ctx), RADX_OK);
    radx_cl_context_set_reduce(ctx, RADX_CL_REDUCE_DEVICE);
    return ctx;
}

/* A 2D synthetic ROI with >= 8 grey levels whose box fits a budget of
 * 16 n^2 + 8 bytes (its 4 GLCMs of n^2 uint counts), or -1. */
static int glcm_fallback_roi(const fixture *f)
{
    for (int i = 0; i < f->n; i++) {
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
    need_device(f);
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
    radx_case_result *c = calloc((size_t)f->n, sizeof *c), *d = calloc((size_t)f->n, sizeof *d);
    radx_status *cs = calloc((size_t)f->n, sizeof *cs), *ds = calloc((size_t)f->n, sizeof *ds);
    radx_params params;
    synthetic_params(0, &params);
    init_results(c, f->n, f);
    init_results(d, f->n, f);
    for (int k = 0; k < f->n; k++) cs[k] = cpu_textures(&f->rois[k].roi, &params, &c[k]);
    cl_textures(ctx, f, &params, f->n, d, ds);
    unsetenv("RADX_CL_MEMORY_LIMIT");
    agreement g = {0, 0, 0, 0, 0.0};
    for (int k = 0; k < f->n; k++) {
        assert_int_equal(ds[k], cs[k]);
        char what[48];
        snprintf(what, sizeof what, "64 KiB ROI %d", k);
        if (cs[k] == RADX_OK) compare_textures(&c[k], &d[k], what, &g);
    }
    printf("device reduction under a 64 KiB budget: %ld values, worst relative %.3g\n", g.values,
           g.worst_relative);
    assert_true(g.values > 300L * 60);
    free_results(c, f->n);
    free_results(d, f->n);
    free(c), free(d), free(cs), free(ds);
    radx_cl_context_free(ctx);
}

/* ------------------------------------------------------------ the switch */

static void test_reduce_from_environment(void **state)
{
    fixture *f = *state;
    need_device(f);
    static const struct { const char *value; radx_cl_reduce reduce; } cases[] = {
        {"host", RADX_CL_REDUCE_HOST}, {"device", RADX_CL_REDUCE_DEVICE},
        {"", RADX_CL_REDUCE_AUTO}, {"gpu", RADX_CL_REDUCE_AUTO},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        setenv("RADX_CL_REDUCE", cases[i].value, 1);
        radx_cl_context *ctx;
        assert_int_equal(radx_cl_context_create(f->platform, f->device, &ctx), RADX_OK);
        assert_int_equal(ctx->reduce, cases[i].reduce);
        radx_cl_context_free(ctx);
    }
    unsetenv("RADX_CL_REDUCE");
    radx_cl_context *ctx;
    assert_int_equal(radx_cl_context_create(f->platform, f->device, &ctx), RADX_OK);
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
    "wavelet.cl", "glcm_features.cl", "glrlm_features.cl", "gldm_features.cl", "ngtdm_features.cl",
    "glszm_features.cl"};
enum { NKERNEL_FILES = sizeof kernel_files / sizeof *kernel_files, FIRST_FEATURES_FILE = 9 };

/* Copy kernels/ into a temporary folder with `broken` (a *_features.cl
 * file), or every *_features.cl file when NULL, replaced by one that does
 * not compile. */
static char *broken_reduction_dir(const char *broken)
{
    char *dir = strdup("/tmp/radx_cl_reduce_XXXXXX");
    assert_non_null(mkdtemp(dir));
    for (int i = 0; i < NKERNEL_FILES; i++) {
        char src[256], dst[512];
        snprintf(src, sizeof src, "kernels/%s", kernel_files[i]);
        snprintf(dst, sizeof dst, "%s/%s", dir, kernel_files[i]);
        size_t length;
        char *text = radx_test_read_file(src, &length);
        if (!text) fail_msg("cannot read %s", src);
        FILE *out = fopen(dst, "w");
        assert_non_null(out);
        int breaks = broken ? strcmp(kernel_files[i], broken) == 0 : i >= FIRST_FEATURES_FILE;
        if (breaks)
            fputs("__kernel void radx_broken(__global int *x) { x[0] = radx_not_here(); }\n", out);
        else
            fwrite(text, 1, length, out);
        fclose(out);
        free(text);
    }
    return dir;
}

static void remove_kernel_dir(char *dir)
{
    for (int i = 0; i < NKERNEL_FILES; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, kernel_files[i]);
        remove(path);
    }
    rmdir(dir);
    free(dir);
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
    assert_int_equal(radx_cl_context_create(f->platform, f->device, &ctx), RADX_OK);
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
    need_device(f);
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
        cmocka_unit_test(test_ibsi_phantom),
        cmocka_unit_test(test_example_images),
        cmocka_unit_test(test_synthetic_rois_equal_cpu),
        cmocka_unit_test(test_batch_size_independence),
        cmocka_unit_test(test_small_budgets),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
