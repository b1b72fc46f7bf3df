/* Tiles back into ROIs, and extraction from a store: a group of tiles read
 * at once (HDF5 calls stay on the calling thread), shape and firstorder on
 * the CPU in parallel, texture classes on the device or the CPU. */
#include "tiles/tilestore.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "extract/case.h"
#include "tiles/h5.h"

/* One tile from its voxels (level, mask, value), as radx_case_prepare made it. */
static radx_status make_roi(const radx_tile_info *ti, const int *levels, const uint8_t *mask,
                            const double *values, radx_roi_data *out)
{
    memset(out, 0, sizeof *out);
    size_t n = (size_t)ti->size[0] * ti->size[1] * ti->size[2];
    memcpy(out->roi.size, ti->size, sizeof out->roi.size);
    memcpy(out->roi.spacing, ti->spacing, sizeof out->roi.spacing);
    out->mask = malloc(n);
    out->values = malloc(n * sizeof *out->values);
    int *lv = malloc(n * sizeof *lv);
    if (!out->mask || !out->values || !lv) {
        free(lv);
        radx_roi_data_free(out);
        return radx_fail(RADX_ERR_NOMEM, "out of memory for a tile of %zu voxels", n);
    }
    memcpy(out->mask, mask, n);
    memcpy(out->values, values, n * sizeof *values);
    memcpy(lv, levels, n * sizeof *lv);
    for (size_t k = 0; k < n; k++) out->roi.nvoxels += out->mask[k];
    out->roi.mask = out->mask;
    out->roi.values = out->values;
    radx_status st = radx_roi_set_levels(out, lv, 0); /* as radx_case_prepare */
    if (st != RADX_OK) radx_roi_data_free(out);
    return st;
}

radx_status radx_tiles_read(radx_tiles *t, int first, int count, radx_roi_data *rois)
{
    memset(rois, 0, (size_t)count * sizeof *rois);
    if (count <= 0) return RADX_OK;
    const radx_tile_info *last = &t->tiles[first + count - 1];
    hsize_t start = (hsize_t)t->tiles[first].offset;
    hsize_t n = (hsize_t)last->offset + (hsize_t)last->size[0] * last->size[1] * last->size[2] - start;
    int *levels = malloc((n > 0 ? n : 1) * sizeof *levels);
    uint8_t *mask = malloc(n > 0 ? n : 1);
    double *values = malloc((n > 0 ? n : 1) * sizeof *values);
    hid_t mask_set = H5Dopen2((hid_t)t->file, "voxels/mask", H5P_DEFAULT);
    radx_status st = levels && mask && values ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "out of memory");
    if (st == RADX_OK && mask_set < 0) st = radx_h5_fail(t->path, "open dataset", "voxels/mask");
    if (st == RADX_OK)
        st = radx_h5_read_range((hid_t)t->levels, t->path, "voxels/level", H5T_NATIVE_INT, start, n, levels);
    if (st == RADX_OK)
        st = radx_h5_read_range(mask_set, t->path, "voxels/mask", H5T_NATIVE_UINT8, start, n, mask);
    if (st == RADX_OK)
        st = radx_h5_read_range((hid_t)t->values, t->path, "voxels/value", H5T_NATIVE_DOUBLE, start, n, values);
    for (int i = 0; st == RADX_OK && i < count; i++) {
        const radx_tile_info *ti = &t->tiles[first + i];
        size_t at = (size_t)((hsize_t)ti->offset - start);
        st = make_roi(ti, levels + at, mask + at, values + at, &rois[i]);
        if (st == RADX_OK && rois[i].roi.ng != ti->gray_levels)
            st = radx_fail(RADX_ERR_FORMAT, "%s: tile %d has grey levels up to %d, its table says %d",
                           t->path, first + i, rois[i].roi.ng, ti->gray_levels);
    }
    if (mask_set >= 0) H5Dclose(mask_set);
    free(levels);
    free(mask);
    free(values);
    if (st != RADX_OK)
        for (int i = 0; i < count; i++) radx_roi_data_free(&rois[i]);
    return st;
}

/* The diagnostics radx_case_prepare gave the case, from its tile. */
static void restore_diagnostics(const radx_tile_info *ti, radx_case_result *r)
{
    r->image_is_2d = ti->image_is_2d;
    r->roi_voxels = ti->roi_voxels;
    r->gray_levels = ti->gray_levels;
    memcpy(r->bbox_size, ti->size, sizeof r->bbox_size);
    memcpy(r->spacing, ti->spacing, sizeof r->spacing);
}

/* Classes computed on the CPU for one case: all of them without a device,
 * else those radx_cl_extract_batch does not compute. */
static radx_status cpu_classes(const radx_roi *roi, const radx_params *params, int with_device,
                               radx_case_result *r)
{
    for (int c = 0; c < radx_feature_class_count(); c++) {
        if (with_device && radx_cl_computes_class(c)) continue;
        if (!radx_case_class_wanted(c, params, roi, r)) continue;
        radx_status st = radx_case_compute_class(c, roi, params, r);
        if (st != RADX_OK) return st;
    }
    return RADX_OK;
}

/* Tiles [first, first + count): every case that owns one of them. */
static radx_status extract_group(radx_tiles *t, const radx_params *params, radx_cl_context *ctx,
                                 radx_tiles_case *cases, int first, int count, radx_roi_data *rois,
                                 radx_cl_case *batch, int *owner)
{
    radx_status st = radx_tiles_read(t, first, count, rois);
    if (st != RADX_OK) return st;
#pragma omp parallel for schedule(dynamic, 1)
    for (int i = 0; i < count; i++) {
        const radx_tile_info *ti = &t->tiles[first + i];
        radx_tiles_case *c = &cases[ti->case_row];
        radx_params case_params = *params;
        case_params.label = t->label[ti->case_row];
        restore_diagnostics(ti, c->result);
        c->status = cpu_classes(&rois[i].roi, &case_params, ctx != NULL, c->result);
        if (c->status != RADX_OK) snprintf(c->message, sizeof c->message, "%s", radx_last_error());
    }
    int nbatch = 0;
    for (int i = 0; ctx && i < count; i++) {
        radx_tiles_case *c = &cases[t->tiles[first + i].case_row];
        if (c->status != RADX_OK) continue;
        batch[nbatch].roi = &rois[i].roi;
        batch[nbatch].result = c->result;
        owner[nbatch++] = t->tiles[first + i].case_row;
    }
    if (nbatch > 0) st = radx_cl_extract_batch(ctx, params, batch, nbatch);
    for (int b = 0; st == RADX_OK && b < nbatch; b++) {
        radx_tiles_case *c = &cases[owner[b]];
        c->status = batch[b].status;
        if (c->status != RADX_OK) snprintf(c->message, sizeof c->message, "%s", batch[b].message);
    }
    for (int i = 0; i < count; i++) radx_roi_data_free(&rois[i]);
    return st;
}

/* Tiles of the next group: at most `limit` cases and, with a device, at
 * most its batch voxels (at least one tile). */
static int group_end(const radx_tiles *t, int first, int limit, int64_t voxels)
{
    int end = first;
    int64_t sum = 0;
    while (end < t->ntiles && end - first < limit) {
        const radx_tile_info *ti = &t->tiles[end];
        int64_t v = (int64_t)ti->size[0] * ti->size[1] * ti->size[2];
        if (end > first && sum + v > voxels) break;
        sum += v;
        end++;
    }
    return end;
}

radx_status radx_tiles_extract(radx_tiles *t, const radx_params *params, radx_cl_context *ctx,
                               radx_tiles_case *cases, void (*progress)(void *arg, int done),
                               void *progress_arg)
{
    for (int r = 0; r < t->ncases; r++) {
        cases[r].status = (radx_status)t->status[r];
        snprintf(cases[r].message, sizeof cases[r].message, "%s", t->message[r]);
    }
    int limit = 16 * omp_get_max_threads();
    if (limit < 64) limit = 64;
    int64_t voxels = ctx ? radx_cl_context_device(ctx)->batch_voxels : INT64_MAX;
    radx_roi_data *rois = calloc((size_t)limit, sizeof *rois);
    radx_cl_case *batch = calloc((size_t)limit, sizeof *batch);
    int *owner = calloc((size_t)limit, sizeof *owner);
    radx_status st = rois && batch && owner ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "out of memory");
    for (int first = 0; st == RADX_OK && first < t->ntiles;) {
        int end = group_end(t, first, limit, voxels);
        st = extract_group(t, params, ctx, cases, first, end - first, rois, batch, owner);
        first = end;
        if (st == RADX_OK && progress) progress(progress_arg, first);
    }
    free(rois);
    free(batch);
    free(owner);
    return st;
}
