/* OpenCL matrix builders (host/cl/, kernels/) against the CPU builders of
 * host/features/ (the reference path, IBSI- and PyRadiomics-checked by
 * test_glcm.c ... test_ngtdm.c): for every ROI of a seeded synthetic set of
 * 330 ROIs (1x1 and 3-voxel ROIs up to 512x512 and 64^3, one-level ROIs,
 * bin counts 1..256) and the IBSI digital phantom, every GLCM (per angle and
 * distance, symmetric or not), GLRLM (per angle), GLSZM, GLDM (several
 * gldm_a) and NGTDM (n_i, and s_i bit for bit) equals the CPU's exactly, and
 * the grey-level histogram equals a direct count; the same in batches of 1,
 * 7 and all, and with a tiny memory budget (many launches, oversize ROIs
 * left to the CPU). Skips when no OpenCL device is usable. */
#include "testutil.h"
#include "cl_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl/batch.h"
#include "cl/glcm_cl.h"
#include "cl/gldm_cl.h"
#include "cl/glrlm_cl.h"
#include "cl/glszm_cl.h"
#include "cl/histogram_cl.h"
#include "cl/ngtdm_cl.h"
#include "radx/cl.h"
#include "test_cl_rois.h"

enum { NSYNTHETIC = 330 };

typedef struct fixture {
    radx_cl_context *ctx;            /* NULL: no usable OpenCL device */
    cl_test_roi rois[NSYNTHETIC + 1];
    int n;
    const radx_roi *ptrs[NSYNTHETIC + 1];
} fixture;

/* What one comparison saw. */
typedef struct tally {
    long rois_on_device, rois_on_cpu, matrices, cells;
    long empty_matrices;             /* all-zero (GLRLM: angles PyRadiomics drops) */
} tally;

/* ------------------------------------------------------------- fixture */

static void load_phantom(cl_test_roi *t)
{
    int size[3], msize[3];
    double sp[3];
    int *image = NULL, *mask = NULL;
    const char *files[2] = {"tests/data/ibsi/digital_phantom_image.txt",
                            "tests/data/ibsi/digital_phantom_mask.txt"};
    for (int f = 0; f < 2; f++) {
        FILE *in = fopen(files[f], "r");
        if (!in) fail_msg("cannot open %s", files[f]);
        int *s = f ? msize : size;
        if (fscanf(in, "# %d %d %d %lf %lf %lf", &s[0], &s[1], &s[2], &sp[0], &sp[1], &sp[2]) != 6)
            fail_msg("%s: bad header", files[f]);
        int *v = malloc((size_t)s[0] * s[1] * s[2] * sizeof *v);
        for (int i = 0; i < s[0] * s[1] * s[2]; i++)
            if (fscanf(in, "%d", &v[i]) != 1) fail_msg("%s: short", files[f]);
        fclose(in);
        if (f) mask = v;
        else image = v;
    }
    assert_memory_equal(size, msize, sizeof size);
    for (int i = 0; i < size[0] * size[1] * size[2]; i++)
        if (!mask[i]) image[i] = 0;
    cl_make_explicit(t, size, image);
    memcpy(t->roi.spacing, sp, sizeof sp);
    free(image);
    free(mask);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->n = cl_make_rois(f->rois, NSYNTHETIC, 20240611u);
    load_phantom(&f->rois[f->n++]);
    for (int i = 0; i < f->n; i++) f->ptrs[i] = &f->rois[i].roi;
    int platform, device;
    cl_fixture_open_best_device(&f->ctx, &platform, &device, 1);
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

/* Options of ROI i: variant 0 = PyRadiomics defaults (in plane for a
 * one-slice ROI, as radx does for 2D images); others mix distances,
 * asymmetric GLCM, force2D axes and gldm_a within one batch. */
static void roi_options(const radx_roi *roi, int variant, radx_feature_opts *o)
{
    radx_feature_opts_default(o);
    if (roi->size[2] == 1) {
        o->force2d = 1;
        o->force2d_axis = 2;
    }
    switch (variant % 4) {
    case 1:
        o->ndistances = 2, o->distances[0] = 1, o->distances[1] = 2;
        o->symmetrical_glcm = 0;
        o->gldm_a = 1.0;
        break;
    case 2:
        o->force2d = 1, o->force2d_axis = roi->size[2] == 1 ? 2 : 0;
        o->ndistances = 1, o->distances[0] = 2;
        o->gldm_a = 2.5;
        break;
    case 3:
        o->ndistances = 2, o->distances[0] = 3, o->distances[1] = 1;
        o->gldm_a = 0.5;
        break;
    default: break;
    }
}

/* --------------------------------------------------------- comparisons */

static void check_glcm(const radx_roi *roi, const radx_feature_opts *o, const radx_cl_glcm_set *set,
                       int budget_limited, tally *t)
{
    static radx_angle angles[RADX_MAX_ANGLES];
    int n = radx_angles_generate(roi->size, o->distances, o->ndistances,
                                 o->force2d ? o->force2d_axis : -1, 0, angles);
    if (!set->on_device) {
        if (!budget_limited) assert_true(n <= 0); /* only ROIs the CPU class rejects */
        t->rois_on_cpu++;
        return;
    }
    t->rois_on_device++;
    assert_int_equal(set->nangles, n);
    radx_glcm_matrix cpu;
    assert_int_equal(radx_glcm_matrix_alloc(roi->nlevels, &cpu), RADX_OK);
    for (int a = 0; a < n; a++) {
        assert_memory_equal(set->angles[a].offset, angles[a].offset, sizeof angles[a].offset);
        assert_int_equal(radx_glcm_build(roi, &angles[a], o->symmetrical_glcm, &cpu), RADX_OK);
        assert_int_equal(set->matrices[a].nlevels, roi->nlevels);
        size_t cells = (size_t)roi->nlevels * roi->nlevels;
        assert_memory_equal(set->matrices[a].counts, cpu.counts, cells * sizeof *cpu.counts);
        t->matrices++;
        t->cells += (long)cells;
    }
    radx_glcm_matrix_free(&cpu);
}

static void check_glrlm(const radx_roi *roi, const radx_feature_opts *o, const radx_cl_glrlm_set *set,
                       int budget_limited, tally *t)
{
    static radx_angle angles[RADX_MAX_ANGLES];
    const int one = 1;
    int n = radx_angles_generate(roi->size, &one, 1, o->force2d ? o->force2d_axis : -1, 0, angles);
    if (!set->on_device) {
        if (!budget_limited) assert_true(n <= 0);
        t->rois_on_cpu++;
        return;
    }
    t->rois_on_device++;
    assert_int_equal(set->nangles, n);
    int maxrun = roi->size[0];
    if (roi->size[1] > maxrun) maxrun = roi->size[1];
    if (roi->size[2] > maxrun) maxrun = roi->size[2];
    radx_glrlm_matrix cpu;
    assert_int_equal(radx_glrlm_matrix_alloc(roi->nlevels, maxrun, &cpu), RADX_OK);
    for (int a = 0; a < n; a++) {
        assert_int_equal(radx_glrlm_build(roi, &angles[a], &cpu), RADX_OK);
        assert_int_equal(set->matrices[a].maxrun, maxrun);
        size_t cells = (size_t)roi->nlevels * maxrun;
        assert_memory_equal(set->matrices[a].counts, cpu.counts, cells * sizeof *cpu.counts);
        t->matrices++;
        t->cells += (long)cells;
        int empty = 1;
        for (size_t k = 0; k < cells && empty; k++) empty = cpu.counts[k] == 0;
        t->empty_matrices += empty;
    }
    radx_glrlm_matrix_free(&cpu);
}

static void check_glszm(const radx_roi *roi, const radx_feature_opts *o, const radx_cl_glszm_set *set,
                        int budget_limited, tally *t)
{
    if (!set->on_device) {
        assert_true(budget_limited);
        t->rois_on_cpu++;
        return;
    }
    t->rois_on_device++;
    radx_glszm_matrix cpu;
    assert_int_equal(radx_glszm_build(roi, o, &cpu), RADX_OK);
    assert_int_equal(set->matrix.nlevels, cpu.nlevels);
    assert_int_equal(set->matrix.nsizes, cpu.nsizes);
    size_t cells = (size_t)cpu.nlevels * (size_t)cpu.nsizes;
    assert_memory_equal(set->matrix.counts, cpu.counts, cells * sizeof *cpu.counts);
    t->matrices++;
    t->cells += (long)cells;
    radx_glszm_matrix_free(&cpu);
}

static void check_gldm(const radx_roi *roi, const radx_feature_opts *o, const radx_cl_gldm_set *set,
                       int budget_limited, tally *t)
{
    if (!set->on_device) {
        assert_true(budget_limited);
        t->rois_on_cpu++;
        return;
    }
    t->rois_on_device++;
    radx_gldm_matrix cpu;
    assert_int_equal(radx_gldm_build(roi, o, &cpu), RADX_OK);
    assert_int_equal(set->matrix.nlevels, cpu.nlevels);
    assert_int_equal(set->matrix.ndependences, cpu.ndependences);
    size_t cells = (size_t)cpu.nlevels * (size_t)cpu.ndependences;
    assert_memory_equal(set->matrix.counts, cpu.counts, cells * sizeof *cpu.counts);
    t->matrices++;
    t->cells += (long)cells;
    radx_gldm_matrix_free(&cpu);
}

static void check_ngtdm(const radx_roi *roi, const radx_feature_opts *o, const radx_cl_ngtdm_set *set,
                        int budget_limited, tally *t)
{
    if (!set->on_device) {
        assert_true(budget_limited);
        t->rois_on_cpu++;
        return;
    }
    t->rois_on_device++;
    radx_ngtdm_matrix cpu;
    assert_int_equal(radx_ngtdm_build(roi, o, &cpu), RADX_OK);
    assert_int_equal(set->matrix.nlevels, cpu.nlevels);
    assert_memory_equal(set->matrix.count, cpu.count, (size_t)cpu.nlevels * sizeof *cpu.count);
    /* s_i: same terms summed in the same voxel order, so bit for bit */
    for (int i = 0; i < cpu.nlevels; i++)
        if (memcmp(&set->matrix.diff_sum[i], &cpu.diff_sum[i], sizeof(double)) != 0)
            fail_msg("NGTDM s_%d: device %.17g, CPU %.17g", i, set->matrix.diff_sum[i], cpu.diff_sum[i]);
    t->matrices++;
    t->cells += 2L * cpu.nlevels;
    radx_ngtdm_matrix_free(&cpu);
}

static void check_histogram(const radx_roi *roi, const radx_cl_histogram_set *set, int budget_limited,
                            tally *t)
{
    if (!set->on_device) {
        assert_true(budget_limited);
        t->rois_on_cpu++;
        return;
    }
    t->rois_on_device++;
    assert_int_equal(set->ng, roi->ng);
    int64_t *expected = calloc((size_t)roi->ng, sizeof *expected);
    size_t n = (size_t)roi->size[0] * roi->size[1] * roi->size[2];
    for (size_t k = 0; k < n; k++)
        if (roi->mask[k]) expected[roi->levels[k] - 1]++;
    assert_memory_equal(set->counts, expected, (size_t)roi->ng * sizeof *expected);
    free(expected);
    t->matrices++;
    t->cells += roi->ng;
}

/* ------------------------------------------------------------ one run */

#include <time.h>
static double device_seconds, cpu_seconds;
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* Build every family for ROIs [first, first + count) in one batch and
 * compare each ROI with the CPU. */
static void run_batch(radx_cl_context *ctx, const fixture *f, int first, int count, int variant0,
                      int budget_limited, tally tallies[6])
{
    radx_feature_opts *opts = malloc((size_t)count * sizeof *opts);
    const radx_feature_opts **op = malloc((size_t)count * sizeof *op);
    for (int i = 0; i < count; i++) {
        roi_options(f->ptrs[first + i], variant0 < 0 ? first + i : variant0, &opts[i]);
        op[i] = &opts[i];
    }
    double t0 = now();
    radx_cl_batch batch;
    if (radx_cl_batch_create(ctx, f->ptrs + first, count, &batch) != RADX_OK)
        fail_msg("batch: %s", radx_last_error());
    radx_cl_glcm_set *glcm = calloc((size_t)count, sizeof *glcm);
    radx_cl_glrlm_set *glrlm = calloc((size_t)count, sizeof *glrlm);
    radx_cl_glszm_set *glszm = calloc((size_t)count, sizeof *glszm);
    radx_cl_gldm_set *gldm = calloc((size_t)count, sizeof *gldm);
    radx_cl_ngtdm_set *ngtdm = calloc((size_t)count, sizeof *ngtdm);
    radx_cl_histogram_set *hist = calloc((size_t)count, sizeof *hist);
    if (radx_cl_glcm_build(ctx, &batch, op, glcm) != RADX_OK ||
        radx_cl_glrlm_build(ctx, &batch, op, glrlm) != RADX_OK ||
        radx_cl_glszm_build(ctx, &batch, op, glszm) != RADX_OK ||
        radx_cl_gldm_build(ctx, &batch, op, gldm) != RADX_OK ||
        radx_cl_ngtdm_build(ctx, &batch, op, ngtdm) != RADX_OK ||
        radx_cl_histogram_build(ctx, &batch, hist) != RADX_OK)
        fail_msg("device build: %s", radx_last_error());
    double t1 = now();
    for (int i = 0; i < count; i++) {
        const radx_roi *roi = f->ptrs[first + i];
        int limited = budget_limited || !batch.packed[i];
        if (!batch.packed[i]) assert_true(budget_limited);
        check_glcm(roi, &opts[i], &glcm[i], limited, &tallies[0]);
        check_glrlm(roi, &opts[i], &glrlm[i], limited, &tallies[1]);
        check_glszm(roi, &opts[i], &glszm[i], limited, &tallies[2]);
        check_gldm(roi, &opts[i], &gldm[i], limited, &tallies[3]);
        check_ngtdm(roi, &opts[i], &ngtdm[i], limited, &tallies[4]);
        check_histogram(roi, &hist[i], limited, &tallies[5]);
        radx_cl_glcm_set_free(&glcm[i]);
        radx_cl_glrlm_set_free(&glrlm[i]);
        radx_cl_glszm_set_free(&glszm[i]);
        radx_cl_gldm_set_free(&gldm[i]);
        radx_cl_ngtdm_set_free(&ngtdm[i]);
        radx_cl_histogram_set_free(&hist[i]);
    }
    device_seconds += t1 - t0;
    cpu_seconds += now() - t1;
    free(glcm), free(glrlm), free(glszm), free(gldm), free(ngtdm), free(hist);
    radx_cl_batch_free(&batch);
    free(opts);
    free(op);
}

static const char *const family_names[6] = {"GLCM", "GLRLM", "GLSZM", "GLDM", "NGTDM", "histogram"};

static void report(const char *what, const tally t[6])
{
    printf("%s: device %.2f s, CPU check %.2f s\n", what, device_seconds, cpu_seconds);
    device_seconds = cpu_seconds = 0;
    for (int k = 0; k < 6; k++)
        printf("%s %-9s: %ld ROIs on the device, %ld on the CPU; %ld matrices (%ld all zero), "
               "%ld cells equal\n", what, family_names[k], t[k].rois_on_device, t[k].rois_on_cpu,
               t[k].matrices, t[k].empty_matrices, t[k].cells);
}

/* Batches of `size` ROIs (size >= n: one batch). */
static void run_in_batches(radx_cl_context *ctx, const fixture *f, int size, int variant0,
                           int budget_limited, tally t[6])
{
    memset(t, 0, 6 * sizeof *t);
    for (int first = 0; first < f->n; first += size)
        run_batch(ctx, f, first, first + size <= f->n ? size : f->n - first, variant0, budget_limited, t);
}

/* -------------------------------------------------------------- tests */

static void test_default_options_one_batch(void **state)
{
    fixture *f = *state;
    cl_fixture_need_device(f->ctx);
    tally t[6];
    run_in_batches(f->ctx, f, f->n, 0, 0, t);
    report("defaults", t);
    for (int k = 2; k < 6; k++) assert_int_equal(t[k].rois_on_device, f->n);
    /* GLCM/GLRLM: only single-voxel boxes have no angle (the CPU class
     * rejects them) */
    assert_true(t[0].rois_on_cpu >= 2);
    assert_int_equal(t[1].rois_on_cpu, t[0].rois_on_cpu);
    assert_true(t[1].empty_matrices > 0); /* the multiElement rule was exercised */
}

static void test_mixed_options_one_batch(void **state)
{
    fixture *f = *state;
    cl_fixture_need_device(f->ctx);
    tally t[6];
    run_in_batches(f->ctx, f, f->n, -1, 0, t);
    report("mixed options", t);
    for (int k = 2; k < 6; k++) assert_int_equal(t[k].rois_on_device, f->n);
}

static void test_batches_of_1_and_7(void **state)
{
    fixture *f = *state;
    cl_fixture_need_device(f->ctx);
    static const int sizes[2] = {1, 7};
    for (int s = 0; s < 2; s++) {
        tally t[6];
        run_in_batches(f->ctx, f, sizes[s], -1, 0, t);
        char what[32];
        snprintf(what, sizeof what, "batches of %d", sizes[s]);
        report(what, t);
        for (int k = 2; k < 6; k++) assert_int_equal(t[k].rois_on_device, f->n);
    }
}

/* A 64 KiB plan: many launches, GLSZM matrices filled in chunks, ROIs
 * larger than the plan left to the CPU. */
static void test_small_memory_budget(void **state)
{
    fixture *f = *state;
    cl_fixture_need_device(f->ctx);
    setenv("RADX_CL_MEMORY_LIMIT", "65536", 1);
    radx_cl_context *ctx = NULL;
    const radx_cl_device_info *info = radx_cl_context_device(f->ctx);
    radx_status st = radx_cl_context_create(info->platform_index, info->device_index, &ctx);
    unsetenv("RADX_CL_MEMORY_LIMIT");
    if (st != RADX_OK) fail_msg("context: %s", radx_last_error());
    assert_true(radx_cl_context_device(ctx)->batch_voxels < 4000);
    tally t[6];
    run_in_batches(ctx, f, f->n, -1, 1, t);
    report("64 KiB budget", t);
    for (int k = 0; k < 6; k++) {
        assert_true(t[k].rois_on_device > f->n / 2);
        assert_true(t[k].rois_on_cpu > 0);
    }
    radx_cl_context_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_options_one_batch),
        cmocka_unit_test(test_mixed_options_one_batch),
        cmocka_unit_test(test_batches_of_1_and_7),
        cmocka_unit_test(test_small_memory_budget),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
