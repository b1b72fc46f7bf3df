/* Packing ROIs of mixed sizes into one buffer with an offset table. */
#include "cl/batch.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int64_t radx_cl_box_voxels(const radx_roi *roi)
{
    if (roi->size[0] < 1 || roi->size[1] < 1 || roi->size[2] < 1) return 0;
    return (int64_t)roi->size[0] * roi->size[1] * roi->size[2];
}

/* Whether every mask voxel has a level in 1..ng listed in level_rank, and
 * the mask count is nvoxels (the CPU builders' own checks would fail). */
static int roi_consistent(const radx_roi *roi)
{
    if (!roi->mask || !roi->levels || !roi->level_rank || !roi->level_values) return 0;
    if (roi->ng < 1 || roi->ng > RADX_MAX_GRAY_LEVELS || roi->nlevels < 1) return 0;
    int64_t n = radx_cl_box_voxels(roi), inside = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!roi->mask[i]) continue;
        int level = roi->levels[i];
        if (level < 1 || level > roi->ng || roi->level_rank[level] < 0 ||
            roi->level_rank[level] >= roi->nlevels)
            return 0;
        inside++;
    }
    return inside == roi->nvoxels && inside > 0;
}

/* Decide which ROIs go to the device and lay out their offsets. */
static void plan(const radx_cl_context *ctx, radx_cl_batch *b, int64_t *rank_entries)
{
    int64_t voxels = 0, ranks = 0;
    for (int i = 0; i < b->nrois; i++) {
        const radx_roi *roi = b->rois[i];
        int64_t n = radx_cl_box_voxels(roi);
        radx_cl_roi_desc *d = &b->desc[i];
        memset(d, 0, sizeof *d);
        b->packed[i] = n > 0 && n <= ctx->info.batch_voxels && voxels + n <= INT32_MAX &&
                       roi_consistent(roi);
        if (!b->packed[i]) continue;
        d->voxel_offset = (radx_i32)voxels;
        d->size_x = roi->size[0];
        d->size_y = roi->size[1];
        d->size_z = roi->size[2];
        d->rank_offset = (radx_i32)ranks;
        d->ng = roi->ng;
        d->nlevels = roi->nlevels;
        voxels += n;
        ranks += roi->ng + 1;
    }
    b->nvoxels = voxels;
    *rank_entries = ranks;
}

static void pack(const radx_cl_batch *b, uint16_t *levels, int32_t *ranks)
{
    for (int i = 0; i < b->nrois; i++) {
        if (!b->packed[i]) continue;
        const radx_roi *roi = b->rois[i];
        const radx_cl_roi_desc *d = &b->desc[i];
        int64_t n = radx_cl_box_voxels(roi);
        for (int64_t k = 0; k < n; k++)
            levels[d->voxel_offset + k] = roi->mask[k] ? (uint16_t)roi->levels[k] : 0;
        for (int g = 0; g <= roi->ng; g++) ranks[d->rank_offset + g] = roi->level_rank[g];
    }
}

radx_status radx_cl_batch_create(radx_cl_context *ctx, const radx_roi *const *rois, int nrois,
                                 radx_cl_batch *b)
{
    memset(b, 0, sizeof *b);
    b->nrois = nrois;
    b->rois = rois;
    b->desc = calloc(nrois > 0 ? (size_t)nrois : 1, sizeof *b->desc);
    b->packed = calloc(nrois > 0 ? (size_t)nrois : 1, 1);
    if (!b->desc || !b->packed) {
        radx_cl_batch_free(b);
        return radx_fail(RADX_ERR_NOMEM, "out of memory for a batch of %d ROIs", nrois);
    }
    int64_t nranks;
    plan(ctx, b, &nranks);
    uint16_t *levels = malloc((size_t)(b->nvoxels > 0 ? b->nvoxels : 1) * sizeof *levels);
    int32_t *ranks = malloc((size_t)(nranks > 0 ? nranks : 1) * sizeof *ranks);
    radx_status st = RADX_OK;
    if (!levels || !ranks)
        st = radx_fail(RADX_ERR_NOMEM, "out of memory packing %lld voxels", (long long)b->nvoxels);
    if (st == RADX_OK) {
        pack(b, levels, ranks);
        st = radx_cl_buffer(ctx, (size_t)b->nvoxels * sizeof *levels, levels, &b->levels);
    }
    if (st == RADX_OK) st = radx_cl_buffer(ctx, (size_t)nranks * sizeof *ranks, ranks, &b->ranks);
    if (st == RADX_OK)
        st = radx_cl_buffer(ctx, (size_t)(nrois > 0 ? nrois : 1) * sizeof *b->desc, b->desc, &b->desc_buffer);
    free(levels);
    free(ranks);
    if (st != RADX_OK) radx_cl_batch_free(b);
    return st;
}

void radx_cl_batch_free(radx_cl_batch *b)
{
    radx_cl_release(b->levels);
    radx_cl_release(b->ranks);
    radx_cl_release(b->desc_buffer);
    free(b->desc);
    free(b->packed);
    memset(b, 0, sizeof *b);
}
