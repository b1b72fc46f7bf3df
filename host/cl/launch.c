/* Job and offset tables of one kernel launch. */
#include "cl/launch.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

void radx_cl_launch_init(radx_cl_launch *l) { memset(l, 0, sizeof *l); }

void radx_cl_launch_reset(radx_cl_launch *l)
{
    radx_cl_release(l->jobs_buffer);
    radx_cl_release(l->angles_buffer);
    l->jobs_buffer = l->angles_buffer = NULL;
    l->njobs = l->nangles = 0;
    l->work = l->cells = 0;
}

void radx_cl_launch_free(radx_cl_launch *l)
{
    radx_cl_launch_reset(l);
    free(l->jobs);
    free(l->angles);
    memset(l, 0, sizeof *l);
}

int radx_cl_launch_fits(const radx_cl_launch *l, int64_t work, int64_t cells, int64_t work_budget,
                        int64_t cell_budget)
{
    return l->work + work <= work_budget && l->cells + cells <= cell_budget;
}

/* Start of an earlier identical offset list, or -1. Distinct lists are few
 * (they differ only where a box is thinner than the largest distance). */
static int find_list(const radx_cl_launch *l, const cl_int4 *list, int n)
{
    for (int j = 0; j < l->njobs; j++) {
        const radx_cl_job *job = &l->jobs[j];
        if (job->nangles == n &&
            memcmp(l->angles + job->angle_offset, list, (size_t)n * sizeof *list) == 0)
            return job->angle_offset;
    }
    return -1;
}

static radx_status grow(void **array, int *capacity, int needed, size_t element)
{
    if (needed <= *capacity) return RADX_OK;
    int bigger = *capacity ? *capacity : 16;
    while (bigger < needed) bigger *= 2;
    void *p = realloc(*array, (size_t)bigger * element);
    if (!p) return radx_fail(RADX_ERR_NOMEM, "out of memory for a launch table");
    *array = p;
    *capacity = bigger;
    return RADX_OK;
}

radx_status radx_cl_launch_add(radx_cl_launch *l, const radx_cl_batch *b, int roi,
                               const radx_angle *angles, int nangles, int width, int64_t cells,
                               int extra)
{
    radx_status st = grow((void **)&l->jobs, &l->jobs_capacity, l->njobs + 1, sizeof *l->jobs);
    if (st == RADX_OK)
        st = grow((void **)&l->angles, &l->angles_capacity, l->nangles + nangles, sizeof *l->angles);
    if (st != RADX_OK) return st;
    int start = 0;
    if (nangles > 0) {
        cl_int4 *list = l->angles + l->nangles;
        for (int a = 0; a < nangles; a++) {
            memset(&list[a], 0, sizeof list[a]);
            for (int c = 0; c < 3; c++) list[a].s[c] = angles[a].offset[c];
        }
        start = find_list(l, list, nangles);
    }
    if (start < 0) {
        start = l->nangles;
        l->nangles += nangles;
    }
    radx_cl_job *job = &l->jobs[l->njobs++];
    memset(job, 0, sizeof *job);
    job->roi = roi;
    job->work_start = (radx_i32)l->work;
    job->output_offset = (radx_i32)l->cells;
    job->angle_offset = start;
    job->nangles = nangles;
    job->width = width;
    job->reserved[0] = extra;
    l->work += radx_cl_box_voxels(b->rois[roi]);
    l->cells += cells;
    return RADX_OK;
}

radx_status radx_cl_launch_upload(radx_cl_context *ctx, radx_cl_launch *l)
{
    radx_cl_release(l->jobs_buffer);
    radx_cl_release(l->angles_buffer);
    l->jobs_buffer = l->angles_buffer = NULL;
    radx_status st = radx_cl_buffer(ctx, (size_t)l->njobs * sizeof *l->jobs, l->jobs, &l->jobs_buffer);
    if (st == RADX_OK)
        st = radx_cl_buffer(ctx, (size_t)l->nangles * sizeof *l->angles, l->nangles ? l->angles : NULL,
                            &l->angles_buffer);
    return st;
}

radx_status radx_cl_launch_level_values(radx_cl_context *ctx, const radx_cl_launch *l,
                                        const radx_cl_batch *b, cl_mem *values, cl_mem *starts)
{
    *values = *starts = NULL;
    size_t total = 0;
    for (int j = 0; j < l->njobs; j++) total += (size_t)b->rois[l->jobs[j].roi]->nlevels;
    cl_int *v = malloc((total ? total : 1) * sizeof *v);
    cl_int *s = malloc((size_t)(l->njobs ? l->njobs : 1) * sizeof *s);
    radx_status st = v && s ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "out of memory for level values");
    size_t at = 0;
    for (int j = 0; st == RADX_OK && j < l->njobs; j++) {
        const radx_roi *roi = b->rois[l->jobs[j].roi];
        s[j] = (cl_int)at;
        for (int i = 0; i < roi->nlevels; i++) v[at++] = roi->level_values[i];
    }
    if (st == RADX_OK) st = radx_cl_buffer(ctx, total * sizeof *v, v, values);
    if (st == RADX_OK) st = radx_cl_buffer(ctx, (size_t)l->njobs * sizeof *s, s, starts);
    free(v);
    free(s);
    return st;
}

radx_status radx_cl_read_features(radx_cl_context *ctx, cl_mem buffer, size_t count, double **out)
{
    *out = malloc((count ? count : 1) * sizeof **out);
    if (!*out) return radx_fail(RADX_ERR_NOMEM, "out of memory for %zu feature values", count);
    radx_status st = radx_cl_read(ctx, buffer, count * sizeof **out, *out);
    if (st != RADX_OK) {
        free(*out);
        *out = NULL;
    }
    return st;
}

int radx_cl_angles(const radx_roi *roi, const int *distances, int ndistances, int force2d,
                   int force2d_axis, int bidirectional, radx_angle *angles)
{
    return radx_angles_generate(roi->size, distances, ndistances, force2d ? force2d_axis : -1,
                                bidirectional, angles);
}

radx_status radx_cl_launch_groups(radx_cl_context *ctx, const radx_cl_batch *batch,
                                  const uint8_t *candidate, const int64_t *cells,
                                  int64_t cell_budget, const radx_cl_family_ops *ops, void *state)
{
    radx_cl_launch launch;
    radx_cl_launch_init(&launch);
    radx_status st = RADX_OK;
    int i = 0;
    while (st == RADX_OK && i < batch->nrois) {
        radx_cl_launch_reset(&launch);
        for (; st == RADX_OK && i < batch->nrois; i++) {
            if (!candidate[i]) continue;
            if (launch.njobs > 0 &&
                !radx_cl_launch_fits(&launch, radx_cl_box_voxels(batch->rois[i]), cells[i],
                                     ctx->info.batch_voxels, cell_budget))
                break;
            st = ops->add(state, &launch, i);
        }
        if (st == RADX_OK && launch.njobs > 0) st = ops->run(state, &launch);
    }
    radx_cl_launch_free(&launch);
    return st;
}
