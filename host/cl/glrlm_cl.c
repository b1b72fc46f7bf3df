/* GLRLM dispatch: launches of kernels/glrlm.cl over a batch, then either
 * the matrices back into radx_glrlm_matrix and features with
 * host/features/glrlm.c, or per-angle features reduced on the device
 * (kernels/glrlm_features.cl) and only those read back. */
#include "cl/glrlm_cl.h"

#include <stdlib.h>
#include <string.h>

#include "cl/launch.h"
#include "core/error.h"

typedef struct glrlm_state {
    radx_cl_context *ctx;
    const radx_cl_batch *batch;
    const radx_feature_opts *const *opts;
    radx_cl_glrlm_set *sets;
    int reduce;                      /* features on the device */
} glrlm_state;

/* PyRadiomics' Nr columns: np.max(imageArray.shape) of the cropped ROI. */
static int longest_run(const radx_roi *roi)
{
    int m = 0;
    for (int a = 0; a < 3; a++)
        if (roi->size[a] > m) m = roi->size[a];
    return m;
}

void radx_cl_glrlm_set_free(radx_cl_glrlm_set *set)
{
    if (set->matrices)
        for (int a = 0; a < set->nangles; a++) radx_glrlm_matrix_free(&set->matrices[a]);
    free(set->matrices);
    free(set->values);
    free(set->angles);
    memset(set, 0, sizeof *set);
}

/* Angles (distance 1, as cmatrices.c calculate_glrlm) of a ROI that passes
 * the checks of host/features/glrlm.c glrlm_compute. */
static radx_status plan_roi(const radx_roi *roi, const radx_feature_opts *opts,
                            radx_cl_glrlm_set *set, int64_t *cells)
{
    *cells = 0;
    if (roi->nlevels < 1 || roi->nvoxels < 1) return RADX_OK;
    set->angles = malloc(RADX_MAX_ANGLES * sizeof *set->angles);
    if (!set->angles) return radx_fail(RADX_ERR_NOMEM, "GLRLM: cannot allocate angles");
    const int distance_one[1] = {1};
    set->nangles = radx_cl_angles(roi, distance_one, 1, opts->force2d, opts->force2d_axis, 0,
                                  set->angles);
    if (set->nangles <= 0) {
        radx_cl_glrlm_set_free(set);
        return RADX_OK;
    }
    *cells = (int64_t)set->nangles * roi->nlevels * longest_run(roi);
    return RADX_OK;
}

static radx_status add_roi(void *state, radx_cl_launch *launch, int roi)
{
    glrlm_state *s = state;
    const radx_roi *r = s->batch->rois[roi];
    const radx_cl_glrlm_set *set = &s->sets[roi];
    int width = longest_run(r);
    int weighted = s->opts[roi]->weighting != RADX_WEIGHTING_AVERAGE; /* kernels/glrlm_features.cl */
    return radx_cl_launch_add(launch, s->batch, roi, set->angles, set->nangles, width,
                              (int64_t)set->nangles * r->nlevels * width, weighted);
}

/* One job's matrices; an angle whose flag stayed 0 (no line with two ROI
 * voxels) is zeroed, as radx_glrlm_build does. */
static radx_status take_counts(radx_cl_glrlm_set *set, int nlevels, int maxrun, const cl_uint *counts,
                               const cl_uint *multi)
{
    set->matrices = calloc((size_t)set->nangles, sizeof *set->matrices);
    if (!set->matrices) return radx_fail(RADX_ERR_NOMEM, "GLRLM: cannot allocate matrices");
    size_t cells = (size_t)nlevels * (size_t)maxrun;
    for (int a = 0; a < set->nangles; a++) {
        radx_status st = radx_glrlm_matrix_alloc(nlevels, maxrun, &set->matrices[a]);
        if (st != RADX_OK) return st;
        for (size_t k = 0; k < cells; k++) set->matrices[a].counts[k] = multi[a] ? counts[a * cells + k] : 0;
    }
    set->on_device = 1;
    return RADX_OK;
}

/* The angle weights of every item (radx_glrlm_angle_weight; 1 without
 * weightingNorm), indexed as the multi flags. */
static double *item_weights(const glrlm_state *s, const radx_cl_launch *launch, int nitems)
{
    double *w = malloc((size_t)(nitems > 0 ? nitems : 1) * sizeof *w);
    for (int j = 0; w && j < launch->njobs; j++) {
        const radx_cl_job *job = &launch->jobs[j];
        const radx_cl_glrlm_set *set = &s->sets[job->roi];
        const radx_feature_opts *o = s->opts[job->roi];
        for (int a = 0; a < job->nangles; a++)
            w[job->reserved[1] + a] =
                job->reserved[0] ? radx_glrlm_angle_weight(&set->angles[a], s->batch->rois[job->roi]->spacing,
                                                           o->weighting) : 1.0;
    }
    return w;
}

/* One job's per-angle features (16 values and the empty flag per item). */
static radx_status take_values(radx_cl_glrlm_set *set, const radx_cl_job *job, const double *f)
{
    set->nvalues = job->reserved[0] ? 1 : job->nangles;
    set->values = malloc((size_t)set->nvalues * sizeof *set->values);
    if (!set->values) return radx_fail(RADX_ERR_NOMEM, "GLRLM: cannot allocate features");
    for (int a = 0; a < set->nvalues; a++) {
        const double *item = f + (size_t)a * (RADX_GLRLM_NFEATURES + 1);
        memcpy(set->values[a].feature, item, RADX_GLRLM_NFEATURES * sizeof *item);
        set->values[a].empty = item[RADX_GLRLM_NFEATURES] != 0.0;
    }
    set->on_device = 1;
    return RADX_OK;
}

/* kernels/glrlm_features.cl over the launch's counts, still on the device. */
static radx_status reduce_launch(glrlm_state *s, radx_cl_launch *launch, cl_mem counts, cl_mem multi,
                                 int nitems)
{
    cl_mem weights = NULL, values = NULL, starts = NULL, out = NULL;
    cl_kernel kernel = NULL;
    double *host = NULL, *w = item_weights(s, launch, nitems);
    size_t nout = (size_t)nitems * (RADX_GLRLM_NFEATURES + 1);
    radx_status st = w ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "GLRLM: out of memory");
    if (st == RADX_OK) st = radx_cl_buffer(s->ctx, (size_t)nitems * sizeof *w, w, &weights);
    if (st == RADX_OK) st = radx_cl_launch_level_values(s->ctx, launch, s->batch, &values, &starts);
    if (st == RADX_OK) st = radx_cl_buffer(s->ctx, nout * sizeof(double), NULL, &out);
    if (st == RADX_OK)
        st = radx_cl_kernel(s->ctx, RADX_CL_PROGRAM_GLRLM_FEATURES, "radx_glrlm_features", &kernel);
    if (st == RADX_OK)
        st = radx_cl_set_args(kernel, "radx_glrlm_features", 10, sizeof(cl_mem), &s->batch->desc_buffer,
                              sizeof(cl_mem), &launch->jobs_buffer, sizeof(int), &launch->njobs,
                              sizeof(int), &nitems, sizeof(cl_mem), &counts, sizeof(cl_mem), &multi,
                              sizeof(cl_mem), &weights, sizeof(cl_mem), &values, sizeof(cl_mem), &starts,
                              sizeof(cl_mem), &out);
    if (st == RADX_OK) st = radx_cl_enqueue(s->ctx, kernel, "radx_glrlm_features", (size_t)nitems);
    if (st == RADX_OK) st = radx_cl_read_features(s->ctx, out, nout, &host);
    for (int j = 0; st == RADX_OK && j < launch->njobs; j++) {
        const radx_cl_job *job = &launch->jobs[j];
        st = take_values(&s->sets[job->roi], job, host + (size_t)job->reserved[1] * (RADX_GLRLM_NFEATURES + 1));
    }
    if (kernel) clReleaseKernel(kernel);
    radx_cl_release(weights);
    radx_cl_release(values);
    radx_cl_release(starts);
    radx_cl_release(out);
    free(host);
    free(w);
    return st;
}

static radx_status run_launch(void *state, radx_cl_launch *launch)
{
    glrlm_state *s = state;
    const radx_cl_batch *b = s->batch;
    cl_mem counts = NULL, multi = NULL;
    cl_kernel kernel = NULL;
    int nflags = 0; /* one multiElement flag per job and angle */
    for (int j = 0; j < launch->njobs; j++) {
        launch->jobs[j].reserved[1] = nflags;
        nflags += launch->jobs[j].nangles;
    }
    cl_uint *host = malloc((size_t)(launch->cells > 0 && !s->reduce ? launch->cells : 1) * sizeof *host);
    cl_uint *flags = malloc((size_t)(nflags > 0 ? nflags : 1) * sizeof *flags);
    size_t bytes = (size_t)launch->cells * sizeof *host, flag_bytes = (size_t)nflags * sizeof *flags;
    int total = (int)launch->work;
    radx_status st = host && flags ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "GLRLM: out of memory");
    if (st == RADX_OK) st = radx_cl_launch_upload(s->ctx, launch);
    if (st == RADX_OK) st = radx_cl_buffer(s->ctx, bytes, NULL, &counts);
    if (st == RADX_OK) st = radx_cl_zero(s->ctx, counts, bytes);
    if (st == RADX_OK) st = radx_cl_buffer(s->ctx, flag_bytes, NULL, &multi);
    if (st == RADX_OK) st = radx_cl_zero(s->ctx, multi, flag_bytes);
    if (st == RADX_OK) st = radx_cl_kernel(s->ctx, RADX_CL_PROGRAM_GLRLM, "radx_glrlm_counts", &kernel);
    if (st == RADX_OK)
        st = radx_cl_set_args(kernel, "radx_glrlm_counts", 9, sizeof(cl_mem), &b->levels,
                              sizeof(cl_mem), &b->ranks, sizeof(cl_mem), &b->desc_buffer, sizeof(cl_mem),
                              &launch->jobs_buffer, sizeof(int), &launch->njobs, sizeof(int), &total,
                              sizeof(cl_mem), &launch->angles_buffer, sizeof(cl_mem), &counts,
                              sizeof(cl_mem), &multi);
    if (st == RADX_OK) st = radx_cl_enqueue(s->ctx, kernel, "radx_glrlm_counts", (size_t)total);
    if (st == RADX_OK && s->reduce) st = reduce_launch(s, launch, counts, multi, nflags);
    if (st == RADX_OK && !s->reduce) st = radx_cl_read(s->ctx, counts, bytes, host);
    if (st == RADX_OK && !s->reduce) st = radx_cl_read(s->ctx, multi, flag_bytes, flags);
    for (int j = 0; st == RADX_OK && !s->reduce && j < launch->njobs; j++) {
        const radx_cl_job *job = &launch->jobs[j];
        st = take_counts(&s->sets[job->roi], b->rois[job->roi]->nlevels, job->width,
                         host + job->output_offset, flags + job->reserved[1]);
    }
    if (kernel) clReleaseKernel(kernel);
    radx_cl_release(counts);
    radx_cl_release(multi);
    free(host);
    free(flags);
    return st;
}

radx_status radx_cl_glrlm_build_reduced(radx_cl_context *ctx, const radx_cl_batch *batch,
                                        const radx_feature_opts *const *opts,
                                        radx_cl_glrlm_set *sets, int reduce)
{
    int n = batch->nrois;
    memset(sets, 0, (size_t)n * sizeof *sets);
    uint8_t *candidate = calloc(n > 0 ? (size_t)n : 1, 1);
    int64_t *cells = calloc(n > 0 ? (size_t)n : 1, sizeof *cells);
    int64_t budget = (int64_t)(radx_cl_output_budget(ctx) / sizeof(cl_uint));
    radx_status st = candidate && cells ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "GLRLM: out of memory");
    for (int i = 0; st == RADX_OK && i < n; i++) {
        if (!batch->packed[i]) continue;
        st = plan_roi(batch->rois[i], opts[i], &sets[i], &cells[i]);
        candidate[i] = st == RADX_OK && sets[i].nangles > 0 && cells[i] <= budget;
    }
    glrlm_state state = {ctx, batch, opts, sets, reduce};
    static const radx_cl_family_ops ops = {add_roi, run_launch};
    if (st == RADX_OK) st = radx_cl_launch_groups(ctx, batch, candidate, cells, budget, &ops, &state);
    free(candidate);
    free(cells);
    return st;
}

/* ------------------------------------------------------------ features */

/* host/features/glrlm.c glrlm_compute on the given matrices. */
radx_status radx_cl_glrlm_compute(const radx_roi *roi, const radx_feature_opts *opts,
                                  const radx_cl_glrlm_set *set, double *out)
{
    if (!set->on_device) return radx_class_glrlm.compute(roi, opts, out);
    if (set->values) {
        radx_glrlm_combine(set->values, set->nvalues, out); /* glrlm.py: nanmean over angles */
        return RADX_OK;
    }
    int maxrun = longest_run(roi);
    int weighted_mode = opts->weighting != RADX_WEIGHTING_AVERAGE;
    size_t cells = (size_t)roi->nlevels * (size_t)maxrun;
    double *P = calloc(cells, sizeof *P);
    radx_glrlm_values *values = malloc((size_t)set->nangles * sizeof *values);
    radx_status st = P && values ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "GLRLM: cannot allocate matrices");
    for (int a = 0; st == RADX_OK && a < set->nangles; a++) {
        if (weighted_mode) {
            /* glrlm.py: sum over angles of P * weight, features once */
            radx_glrlm_accumulate(&set->matrices[a],
                                  radx_glrlm_angle_weight(&set->angles[a], roi->spacing,
                                                          opts->weighting), P);
        } else {
            for (size_t k = 0; k < cells; k++) P[k] = (double)set->matrices[a].counts[k];
            st = radx_glrlm_matrix_features(P, roi->nlevels, maxrun, roi->level_values, &values[a]);
        }
    }
    if (st == RADX_OK && weighted_mode)
        st = radx_glrlm_matrix_features(P, roi->nlevels, maxrun, roi->level_values, &values[0]);
    if (st == RADX_OK) radx_glrlm_combine(values, weighted_mode ? 1 : set->nangles, out);
    free(values);
    free(P);
    return st;
}

radx_status radx_cl_glrlm_build(radx_cl_context *ctx, const radx_cl_batch *batch,
                                const radx_feature_opts *const *opts, radx_cl_glrlm_set *sets)
{
    return radx_cl_glrlm_build_reduced(ctx, batch, opts, sets, 0);
}
