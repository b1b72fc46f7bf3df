/* GLCM dispatch: launches of kernels/glcm.cl over a batch, matrices back
 * into radx_glcm_matrix, features with host/features/glcm.c. */
#include "cl/glcm_cl.h"

#include <stdlib.h>
#include <string.h>

#include "cl/launch.h"
#include "core/error.h"

typedef struct glcm_state {
    radx_cl_context *ctx;
    const radx_cl_batch *batch;
    const radx_feature_opts *const *opts;
    radx_cl_glcm_set *sets;
} glcm_state;

void radx_cl_glcm_set_free(radx_cl_glcm_set *set)
{
    if (set->matrices)
        for (int a = 0; a < set->nangles; a++) radx_glcm_matrix_free(&set->matrices[a]);
    free(set->matrices);
    free(set->angles);
    memset(set, 0, sizeof *set);
}

/* The angles of a ROI if the device builds its GLCMs: the ROI passes the
 * checks of host/features/glcm.c (check_roi, glcm_run_init). */
static radx_status plan_roi(const radx_roi *roi, const radx_feature_opts *opts,
                            radx_cl_glcm_set *set, int64_t *cells)
{
    *cells = 0;
    if (roi->nvoxels < 1 || roi->nlevels < 1 || roi->ng > RADX_MAX_GRAY_LEVELS ||
        opts->ndistances < 1)
        return RADX_OK;
    set->angles = malloc(RADX_MAX_ANGLES * sizeof *set->angles);
    if (!set->angles) return radx_fail(RADX_ERR_NOMEM, "GLCM: cannot allocate angles");
    set->nangles = radx_cl_angles(roi, opts->distances, opts->ndistances, opts->force2d,
                                  opts->force2d_axis, 0, set->angles);
    if (set->nangles <= 0) {
        radx_cl_glcm_set_free(set);
        return RADX_OK;
    }
    *cells = (int64_t)set->nangles * roi->nlevels * roi->nlevels;
    return RADX_OK;
}

static radx_status add_roi(void *state, radx_cl_launch *launch, int roi)
{
    glcm_state *s = state;
    const radx_cl_glcm_set *set = &s->sets[roi];
    int n = s->batch->rois[roi]->nlevels;
    return radx_cl_launch_add(launch, s->batch, roi, set->angles, set->nangles, n,
                              (int64_t)set->nangles * n * n, s->opts[roi]->symmetrical_glcm != 0);
}

/* Counts of one job into its set's matrices (uint on the device). */
static radx_status take_counts(radx_cl_glcm_set *set, int nlevels, const cl_uint *counts)
{
    set->matrices = calloc((size_t)set->nangles, sizeof *set->matrices);
    if (!set->matrices) return radx_fail(RADX_ERR_NOMEM, "GLCM: cannot allocate matrices");
    size_t cells = (size_t)nlevels * (size_t)nlevels;
    for (int a = 0; a < set->nangles; a++) {
        radx_status st = radx_glcm_matrix_alloc(nlevels, &set->matrices[a]);
        if (st != RADX_OK) return st;
        for (size_t k = 0; k < cells; k++) set->matrices[a].counts[k] = counts[a * cells + k];
    }
    set->on_device = 1;
    return RADX_OK;
}

static radx_status run_launch(void *state, radx_cl_launch *launch)
{
    glcm_state *s = state;
    const radx_cl_batch *b = s->batch;
    cl_mem counts = NULL;
    cl_kernel kernel = NULL;
    cl_uint *host = malloc((size_t)(launch->cells > 0 ? launch->cells : 1) * sizeof *host);
    size_t bytes = (size_t)launch->cells * sizeof *host;
    int total = (int)launch->work;
    radx_status st = host ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "GLCM: out of memory");
    if (st == RADX_OK) st = radx_cl_launch_upload(s->ctx, launch);
    if (st == RADX_OK) st = radx_cl_buffer(s->ctx, bytes, NULL, &counts);
    if (st == RADX_OK) st = radx_cl_zero(s->ctx, counts, bytes);
    if (st == RADX_OK) st = radx_cl_kernel(s->ctx, RADX_CL_PROGRAM_GLCM, "radx_glcm_counts", &kernel);
    if (st == RADX_OK)
        st = radx_cl_set_args(kernel, "radx_glcm_counts", 8, sizeof(cl_mem), &b->levels,
                              sizeof(cl_mem), &b->ranks, sizeof(cl_mem), &b->desc_buffer, sizeof(cl_mem),
                              &launch->jobs_buffer, sizeof(int), &launch->njobs, sizeof(int), &total,
                              sizeof(cl_mem), &launch->angles_buffer, sizeof(cl_mem), &counts);
    if (st == RADX_OK) st = radx_cl_enqueue(s->ctx, kernel, "radx_glcm_counts", (size_t)total);
    if (st == RADX_OK) st = radx_cl_read(s->ctx, counts, bytes, host);
    for (int j = 0; st == RADX_OK && j < launch->njobs; j++) {
        const radx_cl_job *job = &launch->jobs[j];
        st = take_counts(&s->sets[job->roi], b->rois[job->roi]->nlevels, host + job->output_offset);
    }
    if (kernel) clReleaseKernel(kernel);
    radx_cl_release(counts);
    free(host);
    return st;
}

radx_status radx_cl_glcm_build(radx_cl_context *ctx, const radx_cl_batch *batch,
                               const radx_feature_opts *const *opts, radx_cl_glcm_set *sets)
{
    int n = batch->nrois;
    memset(sets, 0, (size_t)n * sizeof *sets);
    uint8_t *candidate = calloc(n > 0 ? (size_t)n : 1, 1);
    int64_t *cells = calloc(n > 0 ? (size_t)n : 1, sizeof *cells);
    int64_t budget = (int64_t)(radx_cl_output_budget(ctx) / sizeof(cl_uint));
    radx_status st = candidate && cells ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "GLCM: out of memory");
    for (int i = 0; st == RADX_OK && i < n; i++) {
        if (!batch->packed[i]) continue;
        st = plan_roi(batch->rois[i], opts[i], &sets[i], &cells[i]);
        candidate[i] = st == RADX_OK && sets[i].nangles > 0 && cells[i] <= budget;
    }
    glcm_state state = {ctx, batch, opts, sets};
    static const radx_cl_family_ops ops = {add_roi, run_launch};
    if (st == RADX_OK) st = radx_cl_launch_groups(ctx, batch, candidate, cells, budget, &ops, &state);
    free(candidate);
    free(cells);
    return st;
}

/* ------------------------------------------------------------ features */

/* host/features/glcm.c glcm_average / glcm_weighted on the given matrices. */
radx_status radx_cl_glcm_compute(const radx_roi *roi, const radx_feature_opts *opts,
                                 const radx_cl_glcm_set *set, double *out)
{
    if (!set->on_device) return radx_class_glcm.compute(roi, opts, out);
    int n = roi->nlevels;
    size_t cells = (size_t)n * (size_t)n;
    radx_glcm_workspace *ws = NULL;
    radx_status st = radx_glcm_workspace_alloc(n, roi->ng, &ws);
    double *P = st == RADX_OK ? malloc(cells * sizeof *P) : NULL;
    radx_glcm_values *values = st == RADX_OK ? malloc((size_t)set->nangles * sizeof *values) : NULL;
    if (st == RADX_OK && (!P || !values)) st = radx_fail(RADX_ERR_NOMEM, "GLCM: cannot allocate matrices");
    if (st == RADX_OK && opts->weighting == RADX_WEIGHTING_AVERAGE) {
        /* weightingNorm unset: features per angle, then the mean over angles */
        for (int a = 0; st == RADX_OK && a < set->nangles; a++) {
            for (size_t k = 0; k < cells; k++) P[k] = (double)set->matrices[a].counts[k];
            st = radx_glcm_matrix_features(P, n, roi->level_values, roi->ng, ws, &values[a]);
        }
        if (st == RADX_OK) radx_glcm_combine(values, set->nangles, n, out);
    } else if (st == RADX_OK) {
        /* weightingNorm set: sum_a w_a P_a, then the features of that matrix */
        for (size_t k = 0; k < cells; k++) P[k] = 0.0;
        for (int a = 0; a < set->nangles; a++)
            radx_glcm_accumulate(&set->matrices[a],
                                 radx_angle_weight(&set->angles[a], roi->spacing, opts->weighting), P);
        st = radx_glcm_matrix_features(P, n, roi->level_values, roi->ng, ws, &values[0]);
        if (st == RADX_OK) radx_glcm_combine(values, 1, n, out);
    }
    free(values);
    free(P);
    radx_glcm_workspace_free(ws);
    return st;
}
