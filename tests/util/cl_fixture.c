#include "cl_fixture.h"

#include "reference.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ device */

void cl_fixture_open_best_device(radx_cl_context **ctx, int *platform, int *device, int print_name)
{
    *ctx = NULL;
    radx_cl_device_info *devices;
    int count;
    if (radx_cl_devices(&devices, &count) != RADX_OK) return;
    int best = radx_cl_best_device(devices, count);
    if (best >= 0) {
        *platform = devices[best].platform_index;
        *device = devices[best].device_index;
        if (radx_cl_context_create(*platform, *device, ctx) != RADX_OK)
            fail_msg("context: %s", radx_last_error());
        if (print_name) printf("OpenCL device: %s (%s)\n", devices[best].name, devices[best].platform_name);
    }
    free(devices);
}

void cl_fixture_need_device(const radx_cl_context *ctx)
{
    if (!ctx) {
        printf("no usable OpenCL platform/device: skipped\n");
        skip();
    }
}

/* ------------------------------------------------------ the two paths */

radx_status cl_fixture_cpu_textures(const radx_roi *roi, const radx_params *params, radx_case_result *r)
{
    for (int c = 0; c < radx_feature_class_count(); c++) {
        if (!radx_cl_computes_class(c) || !radx_case_class_wanted(c, params, roi, r)) continue;
        radx_status st = radx_case_compute_class(c, roi, params, r);
        if (st != RADX_OK) return st;
    }
    return RADX_OK;
}

static void tally_value(double x, double y, cl_agreement *g)
{
    g->values++;
    g->nan_values += isnan(x);
    if (memcmp(&x, &y, sizeof x) == 0 || (isnan(x) && isnan(y))) g->bit_equal++;
    double rel = x != 0.0 && isfinite(x) ? fabs((y - x) / x) : 0.0;
    if (rel > g->worst_relative) g->worst_relative = rel;
}

void cl_fixture_compare_textures(const radx_case_result *cpu, const radx_case_result *dev, const char *what,
                                 double abs_tol, cl_agreement *g)
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
            assert_close(name, y, x, 1e-9, abs_tol);
            tally_value(x, y, g);
        }
    }
}

void cl_fixture_init_results(radx_case_result *r, int n, const radx_roi *const *rois)
{
    for (int i = 0; i < n; i++) {
        assert_int_equal(radx_case_result_init(&r[i]), RADX_OK);
        r[i].image_is_2d = rois[i]->size[2] == 1;
    }
}

void cl_fixture_free_results(radx_case_result *r, int n)
{
    for (int i = 0; i < n; i++) radx_case_result_free(&r[i]);
}

void cl_fixture_cl_textures(radx_cl_context *ctx, const radx_roi *const *rois, int n, const radx_params *params,
                            int size, radx_case_result *results, radx_status *statuses)
{
    radx_cl_case *cases = calloc((size_t)n, sizeof *cases);
    for (int i = 0; i < n; i++) {
        cases[i].roi = rois[i];
        cases[i].result = &results[i];
    }
    for (int first = 0; first < n; first += size) {
        int count = first + size <= n ? size : n - first;
        if (radx_cl_extract_batch(ctx, params, cases + first, count) != RADX_OK)
            fail_msg("device: %s", radx_last_error());
    }
    for (int i = 0; i < n; i++) statuses[i] = cases[i].status;
    free(cases);
}

void cl_fixture_synthetic_params(int s, radx_params *p)
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

void cl_fixture_load_params(const char *yaml, radx_params *params)
{
    char *path = radx_test_params_file(yaml);
    radx_params_default(params);
    if (radx_params_load(path, params, NULL, 0) != RADX_OK) fail_msg("params: %s", radx_last_error());
    remove(path);
    free(path);
}

/* ------------------------------------------------- synthetic ROIs */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* Statuses must agree; values of the successful ROIs are compared. */
static void compare_rois(const radx_case_result *cpu, const radx_case_result *dev, const radx_status *cpu_status,
                         const radx_status *dev_status, int n, int s, double abs_tol, cl_agreement *g)
{
    for (int i = 0; i < n; i++) {
        if (cpu_status[i] != dev_status[i])
            fail_msg("ROI %d: CPU %s, OpenCL %s", i, radx_status_name(cpu_status[i]),
                     radx_status_name(dev_status[i]));
        if (cpu_status[i] != RADX_OK) {
            g->failed_cases++;
            continue;
        }
        char what[48];
        snprintf(what, sizeof what, "settings %d ROI %d", s, i);
        cl_fixture_compare_textures(&cpu[i], &dev[i], what, abs_tol, g);
    }
}

void cl_fixture_synthetic_equal_cpu(radx_cl_context *ctx, const radx_roi *const *rois, int n, double abs_tol,
                                    const char *label)
{
    radx_case_result *cpu = calloc((size_t)n, sizeof *cpu), *dev = calloc((size_t)n, sizeof *dev);
    radx_status *cpu_status = calloc((size_t)n, sizeof *cpu_status);
    radx_status *dev_status = calloc((size_t)n, sizeof *dev_status);
    for (int s = 0; s < CL_FIXTURE_NSETTINGS; s++) {
        radx_params params;
        cl_fixture_synthetic_params(s, &params);
        cl_fixture_init_results(cpu, n, rois);
        cl_fixture_init_results(dev, n, rois);
        double t0 = now();
        for (int i = 0; i < n; i++) cpu_status[i] = cl_fixture_cpu_textures(rois[i], &params, &cpu[i]);
        double t1 = now();
        cl_fixture_cl_textures(ctx, rois, n, &params, n, dev, dev_status);
        double t2 = now();
        cl_agreement g = {0, 0, 0, 0, 0.0};
        compare_rois(cpu, dev, cpu_status, dev_status, n, s, abs_tol, &g);
        printf("%ssynthetic settings %d: %d ROIs (%ld failing alike), %ld values (%ld NaN), %ld bit-equal, "
               "worst relative difference %.3g; texture classes CPU %.2f s, OpenCL %.2f s\n",
               label, s, n, g.failed_cases, g.values, g.nan_values, g.bit_equal, g.worst_relative, t1 - t0,
               t2 - t1);
        assert_true(g.values > 300L * 60);
        cl_fixture_free_results(cpu, n);
        cl_fixture_free_results(dev, n);
    }
    free(cpu), free(dev), free(cpu_status), free(dev_status);
}

static void assert_same_bits(const radx_case_result *a, const radx_case_result *b, int size, int roi)
{
    assert_memory_equal(b->class_done, a->class_done, sizeof a->class_done);
    for (int k = 0; k < radx_feature_slot_count(); k++) {
        double x = a->values[k], y = b->values[k];
        if (memcmp(&x, &y, sizeof x) != 0 && !(isnan(x) && isnan(y)))
            fail_msg("batches of %d vs 1, ROI %d slot %d: %.17g vs %.17g", size, roi, k, y, x);
    }
}

void cl_fixture_batch_size_independence(radx_cl_context *ctx, const radx_roi *const *rois, int n,
                                        const char *label)
{
    radx_params params;
    cl_fixture_synthetic_params(1, &params);
    const int sizes[3] = {1, 7, n};
    radx_case_result *runs[3];
    radx_status *statuses[3];
    for (int r = 0; r < 3; r++) {
        runs[r] = calloc((size_t)n, sizeof *runs[r]);
        statuses[r] = calloc((size_t)n, sizeof *statuses[r]);
        cl_fixture_init_results(runs[r], n, rois);
        cl_fixture_cl_textures(ctx, rois, n, &params, sizes[r], runs[r], statuses[r]);
    }
    for (int r = 1; r < 3; r++)
        for (int i = 0; i < n; i++) {
            assert_int_equal(statuses[r][i], statuses[0][i]);
            assert_same_bits(&runs[0][i], &runs[r][i], sizes[r], i);
        }
    printf("%sbatches of 1, 7 and %d: identical values for %d ROIs\n", label, n, n);
    for (int r = 0; r < 3; r++) {
        cl_fixture_free_results(runs[r], n);
        free(runs[r]);
        free(statuses[r]);
    }
}

/* ------------------------------------------------ images from files */

/* One image/mask pair prepared once, texture classes by both paths; the
 * OpenCL result goes to dev_out when not NULL. */
static void compare_case(radx_cl_context *ctx, const char *image_path, const char *mask_path,
                         const radx_params *params, const char *what, double abs_tol, cl_agreement *g,
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
    if (cl_fixture_cpu_textures(&roi.roi, params, &cpu) != RADX_OK)
        fail_msg("%s: CPU: %s", what, radx_last_error());
    radx_cl_case c = {.roi = &roi.roi, .result = &dev};
    if (radx_cl_extract_batch(ctx, params, &c, 1) != RADX_OK) fail_msg("%s: %s", what, radx_last_error());
    if (c.status != RADX_OK) fail_msg("%s: OpenCL: %s", what, c.message);
    cl_fixture_compare_textures(&cpu, &dev, what, abs_tol, g);
    radx_case_result_free(&cpu);
    if (dev_out) *dev_out = dev;
    else radx_case_result_free(&dev);
    radx_roi_data_free(&roi);
    radx_image_free(image);
    radx_image_free(mask);
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

/* The OpenCL values dev[a] (one per aggregation) against IBSI's consensus
 * values (tests/data/ibsi/reference_values.csv). */
static void check_ibsi_references(const radx_case_result dev[6], const char *label)
{
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
    printf("%sIBSI phantom, OpenCL path: %d texture reference values checked, %d mismatched\n", label,
           checked, mismatched);
    radx_csv_free(csv);
    assert_true(checked > 150);
    assert_int_equal(mismatched, 0);
}

void cl_fixture_ibsi_phantom(radx_cl_context *ctx, double abs_tol, const char *label)
{
    cl_agreement g = {0, 0, 0, 0, 0.0};
    radx_case_result dev[6];
    for (int a = 0; a < 6; a++) {
        char yaml[256];
        snprintf(yaml, sizeof yaml, "setting:\n  binWidth: 1\n  voxelArrayShift: 0\n  ibsi: true\n"
                 "  textureAggregation: %s\n", aggregations[a]);
        radx_params params;
        cl_fixture_load_params(yaml, &params);
        compare_case(ctx, "tests/data/ibsi/nifti/phantom.nii.gz", "tests/data/ibsi/nifti/mask.nii.gz", &params,
                     aggregations[a], abs_tol, &g, &dev[a]);
    }
    printf("%sIBSI phantom vs CPU: %ld values, %ld bit-equal, worst relative %.3g\n", label, g.values,
           g.bit_equal, g.worst_relative);
    check_ibsi_references(dev, label);
    for (int a = 0; a < 6; a++) radx_case_result_free(&dev[a]);
}

void cl_fixture_example_images(radx_cl_context *ctx, double abs_tol, const char *label)
{
    static const char *const cases[3][2] = {
        {"tests/data/examples/brain1_image.nrrd", "tests/data/examples/brain1_label.nrrd"},
        {"tests/data/examples/breast1_image.nrrd", "tests/data/examples/breast1_label.nrrd"},
        {"tests/data/examples/prostate_phantom_subvolume.nrrd",
         "tests/data/examples/prostate_phantom_subvolume-label.nrrd"},
    };
    radx_params params;
    radx_params_default(&params);
    cl_agreement g = {0, 0, 0, 0, 0.0};
    for (int c = 0; c < 3; c++) compare_case(ctx, cases[c][0], cases[c][1], &params, cases[c][0], abs_tol, &g, NULL);
    printf("%sexample images vs CPU: %ld values, %ld bit-equal, worst relative %.3g\n", label, g.values,
           g.bit_equal, g.worst_relative);
    assert_true(g.values > 3 * 60);
}

/* --------------------------------------------- the synthetic fixture */

void cl_fixture_open(cl_fixture *f, radx_cl_reduce reduce, double abs_tol, const char *label)
{
    cl_fixture_open_best_device(&f->ctx, &f->platform, &f->device, 0);
    if (f->ctx && reduce != RADX_CL_REDUCE_AUTO) radx_cl_context_set_reduce(f->ctx, reduce);
    f->abs_tol = abs_tol;
    f->label = label;
}

static const cl_fixture *ready_fixture(void **state)
{
    const cl_fixture *f = *state;
    cl_fixture_need_device(f->ctx);
    return f;
}

void cl_fixture_test_synthetic_rois(void **state)
{
    const cl_fixture *f = ready_fixture(state);
    cl_fixture_synthetic_equal_cpu(f->ctx, f->rois, f->n, f->abs_tol, f->label);
}

void cl_fixture_test_batch_sizes(void **state)
{
    const cl_fixture *f = ready_fixture(state);
    cl_fixture_batch_size_independence(f->ctx, f->rois, f->n, f->label);
}

void cl_fixture_test_ibsi_phantom(void **state)
{
    const cl_fixture *f = ready_fixture(state);
    cl_fixture_ibsi_phantom(f->ctx, f->abs_tol, f->label);
}

void cl_fixture_test_example_images(void **state)
{
    const cl_fixture *f = ready_fixture(state);
    cl_fixture_example_images(f->ctx, f->abs_tol, f->label);
}

/* --------------------------------------------------- kernel folders */

static void copy_kernel(const char *name, const char *dir, const char *replacement)
{
    char src[256], dst[512];
    snprintf(src, sizeof src, "kernels/%s", name);
    snprintf(dst, sizeof dst, "%s/%s", dir, name);
    size_t length;
    char *text = radx_test_read_file(src, &length);
    if (!text) fail_msg("cannot read %s", src);
    FILE *out = fopen(dst, "w");
    assert_non_null(out);
    if (replacement) fputs(replacement, out);
    else fwrite(text, 1, length, out);
    fclose(out);
    free(text);
}

char *cl_fixture_kernel_dir(const char *const *files, int n, const unsigned char *broken, const char *replacement)
{
    char *dir = strdup("/tmp/radx_cl_kernels_XXXXXX");
    assert_non_null(mkdtemp(dir));
    for (int i = 0; i < n; i++) copy_kernel(files[i], dir, broken[i] ? replacement : NULL);
    return dir;
}

void cl_fixture_remove_kernel_dir(char *dir, const char *const *files, int n)
{
    for (int i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        remove(path);
    }
    rmdir(dir);
    free(dir);
}
