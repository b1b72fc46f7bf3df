/* GLCM dispatch: launches of kernels/glcm.cl over a batch, then either the
 * matrices back into radx_glcm_matrix and features with
 * host/features/glcm.c, or per-angle features reduced on the device
 * (kernels/glcm_features.cl) and only those read back. */
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
    int reduce;                      /* features on the device */
} glcm_state;

void radx_cl_glcm_set_free(radx_cl_glcm_set *set)
{
    if (set->matrices)
        for (int a = 0; a < set->nangles; a++) radx_glcm_matrix_free(&set->matrices[a]);
    free(set->matrices);
    free(set->values);
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

/* ------------------------------------------------- device reduction */

/* One work-item of kernels/glcm_features.cl (its glcm_item). */
typedef struct glcm_item {
    cl_int job, first_angle, nangles, weight_start, scratch, iscratch, reserved[2];
} glcm_item;

/* Outputs per item: the features, "empty", the second eigenvalue of Q. */
enum { ITEM_OUT = RADX_GLCM_NFEATURES + 2 };

/* Scratch doubles of one item (kernels/glcm_features.cl): p and Q (n x n),
 * p_x, p_y (n), p_{x+y} (2 Ng + 1), p_{x-y} (Ng), eigen work (3 n). */
static int64_t item_scratch(const radx_roi *roi)
{
    int64_t n = roi->nlevels;
    return 2 * n * n + 5 * n + 3 * (int64_t)roi->ng + 1;
}

/* Items of every job (an angle each, or the whole job with weightingNorm)
 * and the weight of every (job, angle): exp(-||d||^2) (radx_angle_weight)
 * with weightingNorm, else 1. */
static radx_status make_items(const glcm_state *s, const radx_cl_launch *l, glcm_item **items, int *nitems,
                              double **weights)
{
    int total_angles = 0;
    for (int j = 0; j < l->njobs; j++) total_angles += l->jobs[j].nangles;
    *items = malloc((size_t)(total_angles ? total_angles : 1) * sizeof **items);
    *weights = malloc((size_t)(total_angles ? total_angles : 1) * sizeof **weights);
    if (!*items || !*weights) return radx_fail(RADX_ERR_NOMEM, "GLCM: out of memory");
    int n = 0, base = 0;
    for (int j = 0; j < l->njobs; j++) {
        const radx_cl_job *job = &l->jobs[j];
        const radx_feature_opts *o = s->opts[job->roi];
        const radx_cl_glcm_set *set = &s->sets[job->roi];
        int weighted = o->weighting != RADX_WEIGHTING_AVERAGE;
        for (int a = 0; a < job->nangles; a++)
            (*weights)[base + a] = weighted ? radx_angle_weight(&set->angles[a], s->batch->rois[job->roi]->spacing,
                                                                o->weighting) : 1.0;
        for (int a = 0; a < (weighted ? 1 : job->nangles); a++)
            (*items)[n++] = (glcm_item){j, a, weighted ? job->nangles : 1, base + a, 0, 0, {0, 0}};
        base += job->nangles;
    }
    *nitems = n;
    return RADX_OK;
}

/* Items [first, end) of the launch through the kernel, with scratch for
 * them alone; their outputs into out + first * ITEM_OUT. */
static radx_status reduce_chunk(glcm_state *s, radx_cl_launch *l, cl_mem counts, cl_mem weights,
                                cl_mem values, cl_mem starts, glcm_item *items, int first, int end,
                                double *out)
{
    int64_t doubles = 0, ints = 0;
    for (int t = first; t < end; t++) {
        const radx_roi *roi = s->batch->rois[l->jobs[items[t].job].roi];
        items[t].scratch = (cl_int)doubles;
        items[t].iscratch = (cl_int)ints;
        doubles += item_scratch(roi);
        ints += 2 * (int64_t)roi->nlevels; /* active ranks, a column's rows */
    }
    int count = end - first;
    cl_mem item_buffer = NULL, scratch = NULL, iscratch = NULL, result = NULL;
    cl_kernel kernel = NULL;
    radx_status st = radx_cl_buffer(s->ctx, (size_t)count * sizeof *items, items + first, &item_buffer);
    if (st == RADX_OK) st = radx_cl_buffer(s->ctx, (size_t)doubles * sizeof(double), NULL, &scratch);
    if (st == RADX_OK) st = radx_cl_buffer(s->ctx, (size_t)ints * sizeof(cl_int), NULL, &iscratch);
    if (st == RADX_OK) st = radx_cl_buffer(s->ctx, (size_t)count * ITEM_OUT * sizeof(double), NULL, &result);
    if (st == RADX_OK) st = radx_cl_kernel(s->ctx, RADX_CL_PROGRAM_GLCM_FEATURES, "radx_glcm_features", &kernel);
    if (st == RADX_OK)
        st = radx_cl_set_args(kernel, "radx_glcm_features", 11, sizeof(cl_mem), &s->batch->desc_buffer,
                              sizeof(cl_mem), &l->jobs_buffer, sizeof(cl_mem), &item_buffer, sizeof(int),
                              &count, sizeof(cl_mem), &counts, sizeof(cl_mem), &weights, sizeof(cl_mem),
                              &values, sizeof(cl_mem), &starts, sizeof(cl_mem), &scratch, sizeof(cl_mem),
                              &iscratch, sizeof(cl_mem), &result);
    if (st == RADX_OK) st = radx_cl_enqueue(s->ctx, kernel, "radx_glcm_features", (size_t)count);
    if (st == RADX_OK)
        st = radx_cl_read(s->ctx, result, (size_t)count * ITEM_OUT * sizeof(double), out + (size_t)first * ITEM_OUT);
    if (kernel) clReleaseKernel(kernel);
    radx_cl_release(item_buffer);
    radx_cl_release(scratch);
    radx_cl_release(iscratch);
    radx_cl_release(result);
    return st;
}

/* A job whose scratch exceeds the budget: its matrices are read back (host
 * reduction for this ROI). */
static radx_status take_counts(radx_cl_glcm_set *set, int nlevels, const cl_uint *counts);

static radx_status read_job_counts(glcm_state *s, const radx_cl_job *job, cl_mem counts)
{
    int n = s->batch->rois[job->roi]->nlevels;
    size_t cells = (size_t)job->nangles * (size_t)n * (size_t)n;
    cl_uint *host = malloc((cells ? cells : 1) * sizeof *host);
    if (!host) return radx_fail(RADX_ERR_NOMEM, "GLCM: out of memory");
    cl_int err = clEnqueueReadBuffer(s->ctx->queue, counts, CL_TRUE, (size_t)job->output_offset * sizeof *host,
                                     cells * sizeof *host, host, 0, NULL, NULL);
    radx_status st = err == CL_SUCCESS ? take_counts(&s->sets[job->roi], n, host)
                                       : radx_cl_fail(err, "clEnqueueReadBuffer");
    free(host);
    return st;
}

/* One job's per-item values from the kernel's output. */
static radx_status take_values(radx_cl_glcm_set *set, int nitems, const double *out)
{
    set->nvalues = nitems;
    set->values = malloc((size_t)nitems * sizeof *set->values);
    if (!set->values) return radx_fail(RADX_ERR_NOMEM, "GLCM: cannot allocate features");
    for (int k = 0; k < nitems; k++) {
        const double *f = out + (size_t)k * ITEM_OUT;
        radx_glcm_values *v = &set->values[k];
        memcpy(v->feature, f, sizeof v->feature);
        v->empty = f[RADX_GLCM_NFEATURES] != 0.0;
        v->eigen_failed = 0;
        v->eigen_complex = 0;
        v->mcc_eigen_re = f[RADX_GLCM_NFEATURES + 1];
        v->mcc_eigen_im = 0.0;
    }
    set->on_device = 1;
    return RADX_OK;
}

/* kernels/glcm_features.cl over the launch's counts, still on the device,
 * in chunks of items whose scratch fits the output budget. */
static radx_status reduce_launch(glcm_state *s, radx_cl_launch *l, cl_mem counts)
{
    glcm_item *items = NULL;
    double *weights = NULL, *out = NULL;
    int nitems = 0;
    cl_mem weight_buffer = NULL, values = NULL, starts = NULL;
    int64_t budget = (int64_t)(radx_cl_output_budget(s->ctx) / sizeof(double));
    radx_status st = make_items(s, l, &items, &nitems, &weights);
    if (st == RADX_OK) {
        out = malloc((size_t)(nitems ? nitems : 1) * ITEM_OUT * sizeof *out);
        if (!out) st = radx_fail(RADX_ERR_NOMEM, "GLCM: out of memory");
    }
    int nweights = 0;
    for (int j = 0; j < l->njobs; j++) nweights += l->jobs[j].nangles;
    if (st == RADX_OK) st = radx_cl_buffer(s->ctx, (size_t)nweights * sizeof *weights, weights, &weight_buffer);
    if (st == RADX_OK) st = radx_cl_launch_level_values(s->ctx, l, s->batch, &values, &starts);
    int first = 0;
    while (st == RADX_OK && first < nitems) {
        int end = first;
        int64_t used = 0;
        while (end < nitems) {
            int64_t need = item_scratch(s->batch->rois[l->jobs[items[end].job].roi]);
            if (used + need > budget) break;
            used += need;
            end++;
        }
        if (end == first) { /* too large alone: this job's matrices go to the host */
            int job = items[first].job;
            st = read_job_counts(s, &l->jobs[job], counts);
            while (first < nitems && items[first].job == job) first++;
            continue;
        }
        st = reduce_chunk(s, l, counts, weight_buffer, values, starts, items, first, end, out);
        first = end;
    }
    for (int t = 0; st == RADX_OK && t < nitems;) {
        int job = items[t].job, k = t;
        while (k < nitems && items[k].job == job) k++;
        radx_cl_glcm_set *set = &s->sets[l->jobs[job].roi];
        if (!set->matrices) st = take_values(set, k - t, out + (size_t)t * ITEM_OUT);
        t = k;
    }
    radx_cl_release(weight_buffer);
    radx_cl_release(values);
    radx_cl_release(starts);
    free(items);
    free(weights);
    free(out);
    return st;
}

static radx_status run_launch(void *state, radx_cl_launch *launch)
{
    glcm_state *s = state;
    const radx_cl_batch *b = s->batch;
    cl_mem counts = NULL;
    cl_kernel kernel = NULL;
    cl_uint *host = malloc((size_t)(launch->cells > 0 && !s->reduce ? launch->cells : 1) * sizeof *host);
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
    if (st == RADX_OK && s->reduce) st = reduce_launch(s, launch, counts);
    if (st == RADX_OK && !s->reduce) st = radx_cl_read(s->ctx, counts, bytes, host);
    for (int j = 0; st == RADX_OK && !s->reduce && j < launch->njobs; j++) {
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
    return radx_cl_glcm_build_reduced(ctx, batch, opts, sets, 0);
}

radx_status radx_cl_glcm_build_reduced(radx_cl_context *ctx, const radx_cl_batch *batch,
                                       const radx_feature_opts *const *opts, radx_cl_glcm_set *sets,
                                       int reduce)
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
    glcm_state state = {ctx, batch, opts, sets, reduce};
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
    if (set->values) {
        radx_glcm_combine(set->values, set->nvalues, roi->nlevels, out); /* glcm.py: nanmean, MCC */
        return RADX_OK;
    }
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
