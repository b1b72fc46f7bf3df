/* Histogram dispatch: launches of kernels/histogram.cl over a batch. */
#include "cl/histogram_cl.h"

#include <stdlib.h>
#include <string.h>

#include "cl/launch.h"
#include "core/error.h"

typedef struct histogram_state {
    radx_cl_context *ctx;
    const radx_cl_batch *batch;
    radx_cl_histogram_set *sets;
} histogram_state;

void radx_cl_histogram_set_free(radx_cl_histogram_set *set)
{
    free(set->counts);
    memset(set, 0, sizeof *set);
}

static radx_status add_roi(void *state, radx_cl_launch *launch, int roi)
{
    histogram_state *s = state;
    int ng = s->batch->rois[roi]->ng;
    return radx_cl_launch_add(launch, s->batch, roi, NULL, 0, ng, ng, 0);
}

static radx_status run_launch(void *state, radx_cl_launch *launch)
{
    histogram_state *s = state;
    const radx_cl_batch *b = s->batch;
    cl_mem counts = NULL;
    cl_kernel kernel = NULL;
    cl_uint *host = malloc((size_t)(launch->cells > 0 ? launch->cells : 1) * sizeof *host);
    size_t bytes = (size_t)launch->cells * sizeof *host;
    int total = (int)launch->work;
    radx_status st = host ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "histogram: out of memory");
    if (st == RADX_OK) st = radx_cl_launch_upload(s->ctx, launch);
    if (st == RADX_OK) st = radx_cl_buffer(s->ctx, bytes, NULL, &counts);
    if (st == RADX_OK) st = radx_cl_zero(s->ctx, counts, bytes);
    if (st == RADX_OK)
        st = radx_cl_kernel(s->ctx, RADX_CL_PROGRAM_HISTOGRAM, "radx_histogram_counts", &kernel);
    if (st == RADX_OK)
        st = radx_cl_set_args(kernel, "radx_histogram_counts", 6, sizeof(cl_mem), &b->levels,
                              sizeof(cl_mem), &b->desc_buffer, sizeof(cl_mem), &launch->jobs_buffer,
                              sizeof(int), &launch->njobs, sizeof(int), &total, sizeof(cl_mem), &counts);
    if (st == RADX_OK) st = radx_cl_enqueue(s->ctx, kernel, "radx_histogram_counts", (size_t)total);
    if (st == RADX_OK) st = radx_cl_read(s->ctx, counts, bytes, host);
    for (int j = 0; st == RADX_OK && j < launch->njobs; j++) {
        const radx_cl_job *job = &launch->jobs[j];
        radx_cl_histogram_set *set = &s->sets[job->roi];
        set->ng = job->width;
        set->counts = malloc((size_t)set->ng * sizeof *set->counts);
        if (!set->counts) st = radx_fail(RADX_ERR_NOMEM, "histogram: out of memory");
        for (int g = 0; st == RADX_OK && g < set->ng; g++) set->counts[g] = host[job->output_offset + g];
        set->on_device = st == RADX_OK;
    }
    if (kernel) clReleaseKernel(kernel);
    radx_cl_release(counts);
    free(host);
    return st;
}

radx_status radx_cl_histogram_build(radx_cl_context *ctx, const radx_cl_batch *batch,
                                    radx_cl_histogram_set *sets)
{
    int n = batch->nrois;
    size_t count = n > 0 ? (size_t)n : 1;
    memset(sets, 0, (size_t)n * sizeof *sets);
    int64_t *cells = calloc(count, sizeof *cells);
    int64_t budget = (int64_t)(radx_cl_output_budget(ctx) / sizeof(cl_uint));
    if (!cells) return radx_fail(RADX_ERR_NOMEM, "histogram: out of memory");
    for (int i = 0; i < n; i++) cells[i] = batch->packed[i] ? batch->rois[i]->ng : 0;
    histogram_state state = {ctx, batch, sets};
    static const radx_cl_family_ops ops = {add_roi, run_launch};
    radx_status st = radx_cl_launch_groups(ctx, batch, batch->packed, cells, budget, &ops, &state);
    free(cells);
    return st;
}
