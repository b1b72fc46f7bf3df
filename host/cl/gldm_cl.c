/* GLDM dispatch: launches of kernels/gldm.cl over a batch, then either the
 * matrices back into radx_gldm_matrix and features with
 * host/features/gldm.c, or the features reduced on the device
 * (kernels/gldm_features.cl) and only those read back. */
#include "cl/gldm_cl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cl/launch.h"
#include "cl/reduce.h"
#include "core/error.h"

typedef struct gldm_state {
    radx_cl_context *ctx;
    const radx_cl_batch *batch;
    const radx_feature_opts *const *opts;
    radx_cl_gldm_set *sets;
    radx_angle **angles;             /* per ROI, NULL if not a candidate */
    int *nangles;
    int reduce;                      /* features on the device */
} gldm_state;

int radx_cl_gldm_threshold(double alpha)
{
    if (!(alpha >= 0.0)) return -1;
    /* grey levels lie in 1..RADX_MAX_GRAY_LEVELS: every difference is smaller */
    if (alpha >= RADX_MAX_GRAY_LEVELS) return RADX_MAX_GRAY_LEVELS;
    return (int)floor(alpha);
}

void radx_cl_gldm_set_free(radx_cl_gldm_set *set)
{
    radx_gldm_matrix_free(&set->matrix);
    set->on_device = 0;
}

static radx_status add_roi(void *state, radx_cl_launch *launch, int roi)
{
    gldm_state *s = state;
    int width = s->nangles[roi] + 1;
    return radx_cl_launch_add(launch, s->batch, roi, s->angles[roi], s->nangles[roi], width,
                              (int64_t)s->batch->rois[roi]->nlevels * width,
                              radx_cl_gldm_threshold(s->opts[roi]->gldm_a));
}

/* The job's counts, trimmed after the largest dependence found (as
 * host/features/gldm.c trim_columns). */
static radx_status take_counts(radx_cl_gldm_set *set, int nlevels, int width, const cl_uint *counts)
{
    int used = 1;
    for (int i = 0; i < nlevels; i++)
        for (int c = used; c < width; c++)
            if (counts[(size_t)i * width + c]) used = c + 1;
    radx_status st = radx_gldm_matrix_alloc(nlevels, used, &set->matrix);
    if (st != RADX_OK) return st;
    for (int i = 0; i < nlevels; i++)
        for (int c = 0; c < used; c++)
            set->matrix.counts[(size_t)i * used + c] = counts[(size_t)i * width + c];
    set->on_device = 1;
    return RADX_OK;
}

/* kernels/gldm_features.cl over the launch's counts, still on the device. */
static radx_status reduce_launch(gldm_state *s, radx_cl_launch *launch, cl_mem counts)
{
    static const radx_cl_reduction gldm = {RADX_CL_PROGRAM_GLDM_FEATURES, "radx_gldm_features",
                                           RADX_GLDM_NFEATURES};
    double *host;
    radx_status st = radx_cl_reduce_jobs(s->ctx, s->batch, launch, &gldm, &counts, 1, &host);
    for (int j = 0; st == RADX_OK && j < launch->njobs; j++) {
        radx_cl_gldm_set *set = &s->sets[launch->jobs[j].roi];
        memcpy(set->features, host + (size_t)j * RADX_GLDM_NFEATURES, sizeof set->features);
        set->reduced = 1;
        set->on_device = 1;
    }
    free(host);
    return st;
}

static radx_status run_launch(void *state, radx_cl_launch *launch)
{
    gldm_state *s = state;
    const radx_cl_batch *b = s->batch;
    cl_mem counts = NULL;
    cl_kernel kernel = NULL;
    cl_uint *host = malloc((size_t)(launch->cells > 0 && !s->reduce ? launch->cells : 1) * sizeof *host);
    size_t bytes = (size_t)launch->cells * sizeof *host;
    int total = (int)launch->work;
    radx_status st = host ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "GLDM: out of memory");
    if (st == RADX_OK) st = radx_cl_launch_upload(s->ctx, launch);
    if (st == RADX_OK) st = radx_cl_buffer(s->ctx, bytes, NULL, &counts);
    if (st == RADX_OK) st = radx_cl_zero(s->ctx, counts, bytes);
    if (st == RADX_OK) st = radx_cl_kernel(s->ctx, RADX_CL_PROGRAM_GLDM, "radx_gldm_counts", &kernel);
    if (st == RADX_OK)
        st = radx_cl_set_args(kernel, "radx_gldm_counts", 8, sizeof(cl_mem), &b->levels,
                              sizeof(cl_mem), &b->ranks, sizeof(cl_mem), &b->desc_buffer, sizeof(cl_mem),
                              &launch->jobs_buffer, sizeof(int), &launch->njobs, sizeof(int), &total,
                              sizeof(cl_mem), &launch->angles_buffer, sizeof(cl_mem), &counts);
    if (st == RADX_OK) st = radx_cl_enqueue(s->ctx, kernel, "radx_gldm_counts", (size_t)total);
    if (st == RADX_OK && s->reduce) st = reduce_launch(s, launch, counts);
    if (st == RADX_OK && !s->reduce) st = radx_cl_read(s->ctx, counts, bytes, host);
    for (int j = 0; st == RADX_OK && !s->reduce && j < launch->njobs; j++) {
        const radx_cl_job *job = &launch->jobs[j];
        st = take_counts(&s->sets[job->roi], b->rois[job->roi]->nlevels, job->width,
                         host + job->output_offset);
    }
    if (kernel) clReleaseKernel(kernel);
    radx_cl_release(counts);
    free(host);
    return st;
}

/* Offsets of a ROI that passes the checks of host/features/gldm.c
 * radx_gldm_build: every distance, both directions. */
static radx_status plan_roi(const radx_roi *roi, const radx_feature_opts *opts, radx_angle **angles,
                            int *nangles, int64_t *cells)
{
    *angles = NULL;
    *nangles = -1;
    *cells = 0;
    if (roi->nvoxels < 1 || roi->nlevels < 1) return RADX_OK;
    *angles = malloc(RADX_MAX_ANGLES * sizeof **angles);
    if (!*angles) return radx_fail(RADX_ERR_NOMEM, "GLDM: cannot allocate angles");
    *nangles = radx_cl_angles(roi, opts->distances, opts->ndistances, opts->force2d,
                              opts->force2d_axis, 1, *angles);
    *cells = (int64_t)roi->nlevels * (*nangles + 1);
    return RADX_OK;
}

radx_status radx_cl_gldm_build(radx_cl_context *ctx, const radx_cl_batch *batch,
                               const radx_feature_opts *const *opts, radx_cl_gldm_set *sets)
{
    return radx_cl_gldm_build_reduced(ctx, batch, opts, sets, 0);
}

radx_status radx_cl_gldm_build_reduced(radx_cl_context *ctx, const radx_cl_batch *batch,
                                       const radx_feature_opts *const *opts, radx_cl_gldm_set *sets,
                                       int reduce)
{
    int n = batch->nrois;
    size_t count = n > 0 ? (size_t)n : 1;
    memset(sets, 0, (size_t)n * sizeof *sets);
    gldm_state state = {ctx, batch, opts, sets, calloc(count, sizeof(radx_angle *)),
                        calloc(count, sizeof(int)), reduce};
    uint8_t *candidate = calloc(count, 1);
    int64_t *cells = calloc(count, sizeof *cells);
    int64_t budget = (int64_t)(radx_cl_output_budget(ctx) / sizeof(cl_uint));
    radx_status st = candidate && cells && state.angles && state.nangles
                         ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "GLDM: out of memory");
    for (int i = 0; st == RADX_OK && i < n; i++) {
        if (!batch->packed[i]) continue;
        st = plan_roi(batch->rois[i], opts[i], &state.angles[i], &state.nangles[i], &cells[i]);
        candidate[i] = st == RADX_OK && state.nangles[i] >= 0 && cells[i] <= budget;
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

radx_status radx_cl_gldm_compute(const radx_roi *roi, const radx_feature_opts *opts,
                                 const radx_cl_gldm_set *set, double *out)
{
    if (!set->on_device) return radx_class_gldm.compute(roi, opts, out);
    if (set->reduced) {
        memcpy(out, set->features, sizeof set->features);
        return RADX_OK;
    }
    return radx_gldm_matrix_features(&set->matrix, roi->level_values, out);
}
