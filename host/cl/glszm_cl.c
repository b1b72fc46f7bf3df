/* GLSZM dispatch: zone labelling and zone sizes over a launch of ROIs
 * (kernels/glszm.cl), then the matrices, filled in chunks that fit the
 * device's output budget once their widths (largest zones) are known; the
 * matrices are read back (features on the host) or reduced to the features
 * on the device (kernels/glszm_features.cl) and only those read back. */
#include "cl/glszm_cl.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cl/launch.h"
#include "cl/reduce.h"
#include "core/error.h"

typedef struct glszm_state {
    radx_cl_context *ctx;
    const radx_cl_batch *batch;
    radx_cl_glszm_set *sets;
    radx_angle **angles;             /* per ROI, NULL if not a candidate */
    int *nangles;
    int64_t cell_budget;
    int reduce;                      /* features on the device */
} glszm_state;

/* Device buffers of one launch. */
typedef struct zone_buffers {
    cl_mem parent, size, largest, counts;
} zone_buffers;

void radx_cl_glszm_set_free(radx_cl_glszm_set *set)
{
    radx_glszm_matrix_free(&set->matrix);
    set->on_device = 0;
}

static radx_status add_roi(void *state, radx_cl_launch *launch, int roi)
{
    glszm_state *s = state;
    return radx_cl_launch_add(launch, s->batch, roi, s->angles[roi], s->nangles[roi], 0, 0, 0);
}

/* A kernel of glszm.cl with its arguments, run over `work` items. */
static radx_status run_kernel(glszm_state *s, const char *name, size_t work, int nargs, ...)
{
    cl_kernel kernel;
    radx_status st = radx_cl_kernel(s->ctx, RADX_CL_PROGRAM_GLSZM, name, &kernel);
    if (st != RADX_OK) return st;
    va_list args;
    va_start(args, nargs);
    cl_int err = CL_SUCCESS;
    for (int i = 0; i < nargs && err == CL_SUCCESS; i++) {
        size_t size = va_arg(args, size_t);
        const void *value = va_arg(args, const void *);
        err = clSetKernelArg(kernel, (cl_uint)i, size, value);
    }
    va_end(args);
    st = err == CL_SUCCESS ? radx_cl_enqueue(s->ctx, kernel, name, work) : radx_cl_fail(err, name);
    clReleaseKernel(kernel);
    return st;
}

/* Steps 1-5 of kernels/glszm.cl: zones, their sizes, the largest per job. */
static radx_status label_zones(glszm_state *s, radx_cl_launch *l, zone_buffers *z)
{
    const radx_cl_batch *b = s->batch;
    int total = (int)l->work;
    size_t work = (size_t)l->work;
    radx_status st = radx_cl_buffer(s->ctx, work * sizeof(cl_uint), NULL, &z->parent);
    if (st == RADX_OK) st = radx_cl_buffer(s->ctx, work * sizeof(cl_uint), NULL, &z->size);
    if (st == RADX_OK) st = radx_cl_buffer(s->ctx, (size_t)l->njobs * sizeof(cl_uint), NULL, &z->largest);
    if (st == RADX_OK) st = radx_cl_zero(s->ctx, z->largest, (size_t)l->njobs * sizeof(cl_uint));
    size_t M = sizeof(cl_mem), I = sizeof(int);
    if (st == RADX_OK)
        st = run_kernel(s, "radx_glszm_init", work, 7, M, &b->levels, M, &b->desc_buffer, M, &l->jobs_buffer,
                        I, &l->njobs, I, &total, M, &z->parent, M, &z->size);
    if (st == RADX_OK)
        st = run_kernel(s, "radx_glszm_merge", work, 7, M, &b->levels, M, &b->desc_buffer, M, &l->jobs_buffer,
                        I, &l->njobs, I, &total, M, &l->angles_buffer, M, &z->parent);
    if (st == RADX_OK) st = run_kernel(s, "radx_glszm_flatten", work, 2, I, &total, M, &z->parent);
    if (st == RADX_OK)
        st = run_kernel(s, "radx_glszm_sizes", work, 3, I, &total, M, &z->parent, M, &z->size);
    if (st == RADX_OK)
        st = run_kernel(s, "radx_glszm_largest", work, 6, M, &l->jobs_buffer, I, &l->njobs, I, &total,
                        M, &z->parent, M, &z->size, M, &z->largest);
    return st;
}

/* kernels/glszm_features.cl over the chunk's matrices (jobs [first, end)),
 * still on the device. */
static radx_status reduce_chunk(glszm_state *s, radx_cl_launch *l, zone_buffers *z, int first, int end)
{
    static const radx_cl_reduction glszm = {RADX_CL_PROGRAM_GLSZM_FEATURES, "radx_glszm_features",
                                            RADX_GLSZM_NFEATURES};
    double *host;
    radx_status st = radx_cl_reduce_jobs(s->ctx, s->batch, l, &glszm, &z->counts, 1, &host);
    for (int j = first; st == RADX_OK && j < end; j++) {
        radx_cl_glszm_set *set = &s->sets[l->jobs[j].roi];
        memcpy(set->features, host + (size_t)j * RADX_GLSZM_NFEATURES, sizeof set->features);
        set->reduced = 1;
        set->on_device = 1;
    }
    free(host);
    return st;
}

/* Step 6 for jobs [first, end): set their widths and output offsets (-1
 * for the others), fill, read back into the sets. */
static radx_status fill_chunk(glszm_state *s, radx_cl_launch *l, zone_buffers *z,
                              const cl_uint *largest, int first, int end, int64_t cells)
{
    const radx_cl_batch *b = s->batch;
    int64_t offset = 0;
    for (int j = 0; j < l->njobs; j++) {
        radx_cl_job *job = &l->jobs[j];
        job->width = (radx_i32)largest[j];
        job->output_offset = -1;
        if (j >= first && j < end) {
            job->output_offset = (radx_i32)offset;
            offset += (int64_t)b->rois[job->roi]->nlevels * largest[j];
        }
    }
    cl_uint *host = malloc((size_t)(cells > 0 && !s->reduce ? cells : 1) * sizeof *host);
    if (!host) return radx_fail(RADX_ERR_NOMEM, "GLSZM: out of memory");
    radx_cl_release(z->counts);
    z->counts = NULL;
    size_t bytes = (size_t)cells * sizeof *host;
    int total = (int)l->work;
    size_t M = sizeof(cl_mem), I = sizeof(int);
    radx_status st = radx_cl_launch_upload(s->ctx, l);
    if (st == RADX_OK) st = radx_cl_buffer(s->ctx, bytes, NULL, &z->counts);
    if (st == RADX_OK) st = radx_cl_zero(s->ctx, z->counts, bytes);
    if (st == RADX_OK)
        st = run_kernel(s, "radx_glszm_fill", (size_t)l->work, 9, M, &b->levels, M, &b->ranks, M,
                        &b->desc_buffer, M, &l->jobs_buffer, I, &l->njobs, I, &total, M, &z->parent, M,
                        &z->size, M, &z->counts);
    if (st == RADX_OK && s->reduce) st = reduce_chunk(s, l, z, first, end);
    if (st == RADX_OK && !s->reduce) st = radx_cl_read(s->ctx, z->counts, bytes, host);
    for (int j = first; st == RADX_OK && !s->reduce && j < end; j++) {
        const radx_cl_job *job = &l->jobs[j];
        radx_cl_glszm_set *set = &s->sets[job->roi];
        int nlevels = b->rois[job->roi]->nlevels;
        st = radx_glszm_matrix_alloc(nlevels, job->width, &set->matrix);
        size_t n = (size_t)nlevels * (size_t)job->width;
        for (size_t k = 0; st == RADX_OK && k < n; k++) set->matrix.counts[k] = host[job->output_offset + k];
        set->on_device = st == RADX_OK;
    }
    free(host);
    return st;
}

/* Chunks of consecutive jobs whose matrices fit the output budget; a job
 * that does not fit alone is left to the CPU (on_device stays 0). */
static radx_status fill_matrices(glszm_state *s, radx_cl_launch *l, zone_buffers *z,
                                 const cl_uint *largest)
{
    radx_status st = RADX_OK;
    int first = 0;
    while (st == RADX_OK && first < l->njobs) {
        int end = first;
        int64_t cells = 0;
        while (end < l->njobs) {
            int64_t c = (int64_t)s->batch->rois[l->jobs[end].roi]->nlevels * largest[end];
            if (cells + c > s->cell_budget) break;
            cells += c;
            end++;
        }
        if (end == first) {
            first++; /* too large alone: CPU path */
            continue;
        }
        st = fill_chunk(s, l, z, largest, first, end, cells);
        first = end;
    }
    return st;
}

static radx_status run_launch(void *state, radx_cl_launch *launch)
{
    glszm_state *s = state;
    zone_buffers z = {NULL, NULL, NULL, NULL};
    cl_uint *largest = malloc((size_t)launch->njobs * sizeof *largest);
    radx_status st = largest ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "GLSZM: out of memory");
    if (st == RADX_OK) st = radx_cl_launch_upload(s->ctx, launch);
    if (st == RADX_OK) st = label_zones(s, launch, &z);
    if (st == RADX_OK)
        st = radx_cl_read(s->ctx, z.largest, (size_t)launch->njobs * sizeof *largest, largest);
    if (st == RADX_OK) st = fill_matrices(s, launch, &z, largest);
    radx_cl_release(z.parent);
    radx_cl_release(z.size);
    radx_cl_release(z.largest);
    radx_cl_release(z.counts);
    free(largest);
    return st;
}

/* Connectivity of a ROI that passes the checks of host/features/glszm.c:
 * distance 1 (cmatrices.c calculate_glszm), one offset of each opposite
 * pair (union is symmetric). */
static radx_status plan_roi(const radx_roi *roi, const radx_feature_opts *opts, radx_angle **angles,
                            int *nangles)
{
    *angles = NULL;
    *nangles = -1;
    if (roi->nvoxels < 1 || roi->nlevels < 1) return RADX_OK;
    *angles = malloc(RADX_MAX_ANGLES * sizeof **angles);
    if (!*angles) return radx_fail(RADX_ERR_NOMEM, "GLSZM: cannot allocate angles");
    const int distance_one[1] = {1};
    *nangles = radx_cl_angles(roi, distance_one, 1, opts && opts->force2d,
                              opts ? opts->force2d_axis : 2, 0, *angles);
    return RADX_OK;
}

radx_status radx_cl_glszm_build(radx_cl_context *ctx, const radx_cl_batch *batch,
                                const radx_feature_opts *const *opts, radx_cl_glszm_set *sets)
{
    return radx_cl_glszm_build_reduced(ctx, batch, opts, sets, 0);
}

radx_status radx_cl_glszm_build_reduced(radx_cl_context *ctx, const radx_cl_batch *batch,
                                        const radx_feature_opts *const *opts,
                                        radx_cl_glszm_set *sets, int reduce)
{
    int n = batch->nrois;
    size_t count = n > 0 ? (size_t)n : 1;
    memset(sets, 0, (size_t)n * sizeof *sets);
    glszm_state state = {ctx, batch, sets, calloc(count, sizeof(radx_angle *)),
                         calloc(count, sizeof(int)),
                         (int64_t)(radx_cl_output_budget(ctx) / sizeof(cl_uint)), reduce};
    uint8_t *candidate = calloc(count, 1);
    int64_t *cells = calloc(count, sizeof *cells); /* matrices are sized after labelling */
    radx_status st = candidate && cells && state.angles && state.nangles
                         ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "GLSZM: out of memory");
    for (int i = 0; st == RADX_OK && i < n; i++) {
        if (!batch->packed[i]) continue;
        st = plan_roi(batch->rois[i], opts[i], &state.angles[i], &state.nangles[i]);
        candidate[i] = st == RADX_OK && state.nangles[i] >= 0;
    }
    static const radx_cl_family_ops ops = {add_roi, run_launch};
    if (st == RADX_OK)
        st = radx_cl_launch_groups(ctx, batch, candidate, cells, state.cell_budget, &ops, &state);
    for (int i = 0; state.angles && i < n; i++) free(state.angles[i]);
    free(state.angles);
    free(state.nangles);
    free(candidate);
    free(cells);
    return st;
}

radx_status radx_cl_glszm_compute(const radx_roi *roi, const radx_feature_opts *opts,
                                  const radx_cl_glszm_set *set, double *out)
{
    if (!set->on_device) return radx_class_glszm.compute(roi, opts, out);
    if (set->reduced) {
        memcpy(out, set->features, sizeof set->features);
        return RADX_OK;
    }
    return radx_glszm_matrix_features(&set->matrix, roi->level_values, out);
}
