/* NGTDM dispatch: launches of kernels/ngtdm.cl over a batch (per-voxel
 * terms, then per-ROI sums in voxel order), matrices back into
 * radx_ngtdm_matrix, features with host/features/ngtdm.c; or the features
 * reduced on the device (kernels/ngtdm_features.cl) and only those read
 * back. */
#include "cl/ngtdm_cl.h"

#include <stdlib.h>
#include <string.h>

#include "cl/launch.h"
#include "cl/reduce.h"
#include "core/error.h"

typedef struct ngtdm_state {
    radx_cl_context *ctx;
    const radx_cl_batch *batch;
    radx_cl_ngtdm_set *sets;
    radx_angle **angles;             /* per ROI, NULL if not a candidate */
    int *nangles;
    int reduce;                      /* features on the device */
} ngtdm_state;

void radx_cl_ngtdm_set_free(radx_cl_ngtdm_set *set)
{
    radx_ngtdm_matrix_free(&set->matrix);
    set->on_device = 0;
}

static radx_status add_roi(void *state, radx_cl_launch *launch, int roi)
{
    ngtdm_state *s = state;
    int n = s->batch->rois[roi]->nlevels;
    return radx_cl_launch_add(launch, s->batch, roi, s->angles[roi], s->nangles[roi], n, n, 0);
}

static radx_status take_rows(radx_cl_ngtdm_set *set, int nlevels, const cl_ulong *count,
                             const double *sum)
{
    radx_status st = radx_ngtdm_matrix_alloc(nlevels, &set->matrix);
    if (st != RADX_OK) return st;
    for (int i = 0; i < nlevels; i++) {
        set->matrix.count[i] = (int64_t)count[i];
        set->matrix.diff_sum[i] = sum[i];
    }
    set->on_device = 1;
    return RADX_OK;
}

/* Kernel 1 over every voxel, kernel 2 over the jobs. */
static radx_status enqueue(ngtdm_state *s, radx_cl_launch *launch, cl_mem terms, cl_mem counts,
                           cl_mem sums)
{
    const radx_cl_batch *b = s->batch;
    int total = (int)launch->work;
    cl_kernel terms_kernel = NULL, sums_kernel = NULL;
    radx_status st = radx_cl_kernel(s->ctx, RADX_CL_PROGRAM_NGTDM, "radx_ngtdm_terms", &terms_kernel);
    if (st == RADX_OK)
        st = radx_cl_set_args(terms_kernel, "radx_ngtdm_terms", 7, sizeof(cl_mem), &b->levels,
                              sizeof(cl_mem), &b->desc_buffer, sizeof(cl_mem), &launch->jobs_buffer,
                              sizeof(int), &launch->njobs, sizeof(int), &total, sizeof(cl_mem),
                              &launch->angles_buffer, sizeof(cl_mem), &terms);
    if (st == RADX_OK) st = radx_cl_enqueue(s->ctx, terms_kernel, "radx_ngtdm_terms", (size_t)total);
    if (st == RADX_OK) st = radx_cl_kernel(s->ctx, RADX_CL_PROGRAM_NGTDM, "radx_ngtdm_sums", &sums_kernel);
    if (st == RADX_OK)
        st = radx_cl_set_args(sums_kernel, "radx_ngtdm_sums", 8, sizeof(cl_mem), &b->levels,
                              sizeof(cl_mem), &b->ranks, sizeof(cl_mem), &b->desc_buffer, sizeof(cl_mem),
                              &launch->jobs_buffer, sizeof(int), &launch->njobs, sizeof(cl_mem),
                              &terms, sizeof(cl_mem), &counts, sizeof(cl_mem), &sums);
    if (st == RADX_OK)
        st = radx_cl_enqueue(s->ctx, sums_kernel, "radx_ngtdm_sums", (size_t)launch->njobs);
    if (terms_kernel) clReleaseKernel(terms_kernel);
    if (sums_kernel) clReleaseKernel(sums_kernel);
    return st;
}

/* kernels/ngtdm_features.cl over the launch's rows, still on the device. */
static radx_status reduce_launch(ngtdm_state *s, radx_cl_launch *launch, cl_mem counts, cl_mem sums)
{
    /* per job: the features, then the flag no_voxel (no row counts a voxel) */
    enum { STRIDE = RADX_NGTDM_NFEATURES + 1 };
    static const radx_cl_reduction ngtdm = {RADX_CL_PROGRAM_NGTDM_FEATURES, "radx_ngtdm_features", STRIDE};
    const cl_mem matrices[2] = {counts, sums};
    double *host;
    radx_status st = radx_cl_reduce_jobs(s->ctx, s->batch, launch, &ngtdm, matrices, 2, &host);
    for (int j = 0; st == RADX_OK && j < launch->njobs; j++) {
        radx_cl_ngtdm_set *set = &s->sets[launch->jobs[j].roi];
        memcpy(set->features, host + (size_t)j * STRIDE, sizeof set->features);
        set->no_voxel = host[(size_t)j * STRIDE + RADX_NGTDM_NFEATURES] != 0.0;
        set->reduced = 1;
        set->on_device = 1;
    }
    free(host);
    return st;
}

static radx_status run_launch(void *state, radx_cl_launch *launch)
{
    ngtdm_state *s = state;
    size_t cells = (size_t)(launch->cells > 0 ? launch->cells : 1);
    cl_mem terms = NULL, counts = NULL, sums = NULL;
    cl_ulong *host_counts = malloc(cells * sizeof *host_counts);
    double *host_sums = malloc(cells * sizeof *host_sums);
    radx_status st = host_counts && host_sums ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "NGTDM: out of memory");
    if (st == RADX_OK) st = radx_cl_launch_upload(s->ctx, launch);
    if (st == RADX_OK) st = radx_cl_buffer(s->ctx, (size_t)launch->work * sizeof(double), NULL, &terms);
    if (st == RADX_OK) st = radx_cl_buffer(s->ctx, cells * sizeof *host_counts, NULL, &counts);
    if (st == RADX_OK) st = radx_cl_buffer(s->ctx, cells * sizeof *host_sums, NULL, &sums);
    if (st == RADX_OK) st = enqueue(s, launch, terms, counts, sums);
    if (st == RADX_OK && s->reduce) st = reduce_launch(s, launch, counts, sums);
    if (st == RADX_OK && !s->reduce)
        st = radx_cl_read(s->ctx, counts, (size_t)launch->cells * sizeof *host_counts, host_counts);
    if (st == RADX_OK && !s->reduce)
        st = radx_cl_read(s->ctx, sums, (size_t)launch->cells * sizeof *host_sums, host_sums);
    for (int j = 0; st == RADX_OK && !s->reduce && j < launch->njobs; j++) {
        const radx_cl_job *job = &launch->jobs[j];
        st = take_rows(&s->sets[job->roi], job->width, host_counts + job->output_offset,
                       host_sums + job->output_offset);
    }
    radx_cl_release(terms);
    radx_cl_release(counts);
    radx_cl_release(sums);
    free(host_counts);
    free(host_sums);
    return st;
}

/* Offsets of a ROI that passes the checks of host/features/ngtdm.c
 * radx_ngtdm_build: every distance, both directions. */
static radx_status plan_roi(const radx_roi *roi, const radx_feature_opts *opts, radx_angle **angles,
                            int *nangles)
{
    *angles = NULL;
    *nangles = -1;
    if (roi->nvoxels < 1 || roi->nlevels < 1) return RADX_OK;
    *angles = malloc(RADX_MAX_ANGLES * sizeof **angles);
    if (!*angles) return radx_fail(RADX_ERR_NOMEM, "NGTDM: cannot allocate angles");
    *nangles = radx_cl_angles(roi, opts->distances, opts->ndistances, opts->force2d,
                              opts->force2d_axis, 1, *angles);
    return RADX_OK;
}

radx_status radx_cl_ngtdm_build(radx_cl_context *ctx, const radx_cl_batch *batch,
                                const radx_feature_opts *const *opts, radx_cl_ngtdm_set *sets)
{
    return radx_cl_ngtdm_build_reduced(ctx, batch, opts, sets, 0);
}

radx_status radx_cl_ngtdm_build_reduced(radx_cl_context *ctx, const radx_cl_batch *batch,
                                        const radx_feature_opts *const *opts,
                                        radx_cl_ngtdm_set *sets, int reduce)
{
    int n = batch->nrois;
    size_t count = n > 0 ? (size_t)n : 1;
    memset(sets, 0, (size_t)n * sizeof *sets);
    /* NGTDM's sums are doubles: without fp64 every ROI keeps on_device 0 and
     * radx_cl_ngtdm_compute runs the CPU class (radx_cl_needs_fp64) */
    if (!ctx->info.fp64) return RADX_OK;
    ngtdm_state state = {ctx, batch, sets, calloc(count, sizeof(radx_angle *)), calloc(count, sizeof(int)),
                         reduce};
    uint8_t *candidate = calloc(count, 1);
    int64_t *cells = calloc(count, sizeof *cells);
    int64_t budget = (int64_t)(radx_cl_output_budget(ctx) / sizeof(double));
    radx_status st = candidate && cells && state.angles && state.nangles
                         ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "NGTDM: out of memory");
    for (int i = 0; st == RADX_OK && i < n; i++) {
        if (!batch->packed[i]) continue;
        st = plan_roi(batch->rois[i], opts[i], &state.angles[i], &state.nangles[i]);
        cells[i] = batch->rois[i]->nlevels;
        candidate[i] = st == RADX_OK && state.nangles[i] >= 0;
    }
    static const radx_cl_family_ops ops = {add_roi, run_launch};
    if (st == RADX_OK) st = radx_cl_launch_groups(ctx, batch, candidate, cells, budget, &ops, &state);
    for (int i = 0; state.angles && i < n; i++) free(state.angles[i]);
    free(state.angles);
    free(state.nangles);
    free(candidate);
    free(cells);
    return st;
}

radx_status radx_cl_ngtdm_compute(const radx_roi *roi, const radx_feature_opts *opts,
                                  const radx_cl_ngtdm_set *set, double *out)
{
    if (!set->on_device) return radx_class_ngtdm.compute(roi, opts, out);
    if (set->reduced) {
        /* the message of host/features/ngtdm.c radx_ngtdm_matrix_features */
        if (set->no_voxel) return radx_fail(RADX_ERR_NUMERIC, "NGTDM: the matrix counts no voxel");
        memcpy(out, set->features, sizeof set->features);
        return RADX_OK;
    }
    return radx_ngtdm_matrix_features(&set->matrix, roi->level_values, out);
}
