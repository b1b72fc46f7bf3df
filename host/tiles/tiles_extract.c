/* Tiles back into ROIs, and extraction from a store: a group of tiles read
 * at once (HDF5 calls stay on the calling thread), shape and firstorder on
 * the CPU in parallel, texture classes on the device or the CPU. */
#include "tiles/tilestore.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/overlap.h"
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

/* The diagnostics radx_case_prepare gave an image, from its tile. */
static void restore_diagnostics(const radx_tile_info *ti, radx_case_result *r)
{
    r->image_is_2d = ti->image_is_2d;
    r->roi_voxels = ti->roi_voxels;
    r->gray_levels = ti->gray_levels;
    memcpy(r->bbox_size, ti->size, sizeof r->bbox_size);
    memcpy(r->spacing, ti->spacing, sizeof r->spacing);
}

/* Classes of the original image computed on the CPU for one case: all of
 * them without a device, else those radx_cl_extract_batch does not
 * compute. */
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

/* One group of cases (whole cases: all their tiles) and what the device
 * is to do with them. */
typedef struct group_buffer {
    radx_roi_data *rois;         /* [ntiles], the group's tiles */
    int ntiles, tile_capacity;
    int *rows;                   /* [ncases] manifest rows */
    int *first_tile;             /* [ncases] the case's original tile in rois */
    radx_kept_images *kept;      /* [ncases] the case's derived tiles */
    int ncases;
    radx_cl_case *batch;         /* original images for the device */
    int *owner;
    int nbatch;
} group_buffer;

/* The derived tiles [first + 1, first + ntiles) of a case as its kept
 * images, and its derived results (names and diagnostics from the tiles),
 * in the order the CPU path made them. */
static radx_status make_kept(const radx_tiles *t, const radx_params *params, int tile, int ntiles,
                             radx_roi_data *rois, radx_kept_images *kept, radx_case_result *r)
{
    radx_status st = RADX_OK;
    for (int j = 1; st == RADX_OK && j < ntiles; j++) {
        const radx_tile_info *ti = &t->tiles[tile + j];
        int type = radx_params_image_type_index(params, ti->kind);
        if (type < 0 || ti->kind == RADX_IMAGE_ORIGINAL)
            return radx_fail(RADX_ERR_FORMAT, "%s: tile %d is image '%s' of type %s, which the settings do "
                             "not enable", t->path, tile + j, ti->image_type, radx_image_kind_name(ti->kind));
        int index = -1;
        st = radx_case_derived_add(r, ti->image_type, &index);
        if (st != RADX_OK) break;
        restore_diagnostics(ti, &r->derived[index]);
        char *warnings = ti->failure_warnings ? strdup(ti->failure_warnings) : NULL;
        if (ti->failure_warnings && !warnings) return radx_fail(RADX_ERR_NOMEM, "out of memory");
        st = radx_kept_images_add(kept, &rois[j], type, index, warnings);
        if (st != RADX_OK) free(warnings);
    }
    return st;
}

/* One case on the host: its results rebuilt from the tiles, then the
 * classes in the CPU path's order (the derived images' classes, then the
 * original's), those of a device left out. */
static radx_status host_case(const radx_tiles *t, const radx_params *params, int with_device, int row,
                             radx_roi_data *rois, radx_kept_images *kept, radx_case_result *r,
                             radx_status *store_status)
{
    radx_params case_params = *params;
    case_params.label = t->label[row];
    const radx_tile_info *original = &t->tiles[t->case_tile[row]];
    restore_diagnostics(original, r);
    snprintf(r->spacing_source, sizeof r->spacing_source, "%s", original->spacing_source);
    r->spacing_flagged = original->spacing_flagged;
    radx_kept_images_init(kept, with_device ? RADX_KEEP_HOST_CLASSES : RADX_KEEP_NO_CLASSES);
    radx_status st = make_kept(t, &case_params, (int)t->case_tile[row], t->case_ntiles[row], rois, kept, r);
    if (st != RADX_OK) {
        *store_status = st; /* the store, not the case */
        return st;
    }
    st = radx_kept_images_compute(kept, &case_params, with_device, r);
    if (st == RADX_OK) st = cpu_classes(&rois[0].roi, &case_params, with_device, r);
    return st;
}

/* Host stage of cases [first, end) (manifest rows; those with tiles):
 * read their tiles, compute the classes the device does not, and list the
 * device's work. */
static radx_status host_stage(radx_tiles *t, const radx_params *params, radx_cl_context *ctx,
                              radx_tiles_case *cases, int first, int end, group_buffer *g)
{
    g->ntiles = g->ncases = g->nbatch = 0;
    int tile0 = -1, tile1 = -1;
    for (int r = first; r < end; r++) {
        if (t->case_tile[r] < 0) continue;
        if (tile0 < 0) tile0 = (int)t->case_tile[r];
        tile1 = (int)t->case_tile[r] + t->case_ntiles[r];
        g->rows[g->ncases] = r;
        g->first_tile[g->ncases++] = (int)t->case_tile[r] - tile0;
    }
    if (g->ncases == 0) return RADX_OK;
    if (tile1 - tile0 > g->tile_capacity) {
        radx_roi_data *grown = realloc(g->rois, (size_t)(tile1 - tile0) * sizeof *grown);
        if (!grown) return radx_fail(RADX_ERR_NOMEM, "out of memory for %d tiles", tile1 - tile0);
        g->rois = grown;
        g->tile_capacity = tile1 - tile0;
    }
    radx_status st = radx_tiles_read(t, tile0, tile1 - tile0, g->rois);
    if (st != RADX_OK) {
        g->ncases = 0;
        return st;
    }
    g->ntiles = tile1 - tile0;
    int failed_store = -1;
#pragma omp parallel for schedule(dynamic, 1)
    for (int i = 0; i < g->ncases; i++) {
        radx_tiles_case *c = &cases[g->rows[i]];
        radx_status store = RADX_OK;
        c->status = host_case(t, params, ctx != NULL, g->rows[i], g->rois + g->first_tile[i], &g->kept[i],
                              c->result, &store);
        if (c->status != RADX_OK) snprintf(c->message, sizeof c->message, "%s", radx_last_error());
        if (store != RADX_OK) {
#pragma omp critical(radx_tiles_store)
            failed_store = failed_store < 0 || g->rows[i] < failed_store ? g->rows[i] : failed_store;
        }
    }
    if (failed_store >= 0) return radx_fail(RADX_ERR_FORMAT, "%s", cases[failed_store].message);
    for (int i = 0; ctx && i < g->ncases; i++) {
        radx_tiles_case *c = &cases[g->rows[i]];
        if (c->status != RADX_OK) continue;
        g->batch[g->nbatch].roi = &g->rois[g->first_tile[i]].roi;
        g->batch[g->nbatch].result = c->result;
        g->owner[g->nbatch++] = g->rows[i];
    }
    return RADX_OK;
}

/* Device stage of a group (run on a background thread while the host stage
 * reads the next group): the derived images' texture classes (per image
 * type), then the original images', then the group is released. */
typedef struct device_job {
    radx_cl_context *ctx;
    const radx_params *params;
    radx_tiles_case *cases;
    group_buffer *g;
} device_job;

static radx_status device_derived(device_job *job)
{
    group_buffer *g = job->g;
    radx_kept_case *k = calloc((size_t)g->ncases + 1, sizeof *k);
    if (!k) return radx_fail(RADX_ERR_NOMEM, "out of memory");
    for (int i = 0; i < g->ncases; i++) {
        radx_tiles_case *c = &job->cases[g->rows[i]];
        k[i] = (radx_kept_case){&g->kept[i], c->result, &c->status, c->message, sizeof c->message};
    }
    radx_status st = radx_kept_images_device(job->ctx, job->params, k, g->ncases,
                                             radx_cl_context_device(job->ctx)->batch_voxels);
    free(k);
    return st;
}

static radx_status device_stage(void *arg)
{
    device_job *job = arg;
    group_buffer *g = job->g;
    radx_status st = device_derived(job);
    /* a case whose derived image failed on the device leaves the batch */
    int kept = 0;
    for (int b = 0; st == RADX_OK && b < g->nbatch; b++)
        if (job->cases[g->owner[b]].status == RADX_OK) {
            g->batch[kept] = g->batch[b];
            g->owner[kept++] = g->owner[b];
        }
    if (st == RADX_OK) g->nbatch = kept;
    if (st == RADX_OK && g->nbatch > 0) st = radx_cl_extract_batch(job->ctx, job->params, g->batch, g->nbatch);
    for (int b = 0; st == RADX_OK && b < g->nbatch; b++) {
        radx_tiles_case *c = &job->cases[g->owner[b]];
        c->status = g->batch[b].status;
        if (c->status != RADX_OK) snprintf(c->message, sizeof c->message, "%s", g->batch[b].message);
    }
    return st;
}

static void group_release(group_buffer *g)
{
    for (int i = 0; g->rois && i < g->ntiles; i++) radx_roi_data_free(&g->rois[i]);
    for (int i = 0; g->kept && i < g->ncases; i++) radx_kept_images_free(&g->kept[i]);
    g->ntiles = g->ncases = g->nbatch = 0;
}

static int group_alloc(group_buffer *g, int limit)
{
    memset(g, 0, sizeof *g);
    g->rows = calloc((size_t)limit, sizeof *g->rows);
    g->first_tile = calloc((size_t)limit, sizeof *g->first_tile);
    g->kept = calloc((size_t)limit, sizeof *g->kept);
    g->batch = calloc((size_t)limit, sizeof *g->batch);
    g->owner = calloc((size_t)limit, sizeof *g->owner);
    return g->rows && g->first_tile && g->kept && g->batch && g->owner;
}

static void group_free(group_buffer *g)
{
    group_release(g);
    free(g->rois);
    free(g->rows);
    free(g->first_tile);
    free(g->kept);
    free(g->batch);
    free(g->owner);
}

/* Cases of the next group: at most `limit` and, with a device, original
 * tiles of at most its batch voxels (at least one case; a case's derived
 * tiles have its original tile's box, so each image type's batch fits
 * too). */
static int group_end(const radx_tiles *t, int first, int limit, int64_t voxels)
{
    int end = first;
    int64_t sum = 0;
    while (end < t->ncases && end - first < limit) {
        int64_t v = 0;
        if (t->case_tile[end] >= 0) {
            const radx_tile_info *ti = &t->tiles[t->case_tile[end]];
            v = (int64_t)ti->size[0] * ti->size[1] * ti->size[2];
        }
        if (end > first && sum + v > voxels) break;
        sum += v;
        end++;
    }
    return end;
}

/* Double buffering: the device stage of group k runs on a background
 * thread while the host stage reads and prepares group k + 1. */
radx_status radx_tiles_extract(radx_tiles *t, const radx_params *params, radx_cl_context *ctx,
                               radx_tiles_case *cases, void (*progress)(void *arg, int done),
                               void *progress_arg)
{
    for (int r = 0; r < t->ncases; r++) {
        cases[r].status = (radx_status)t->status[r];
        snprintf(cases[r].message, sizeof cases[r].message, "%s", t->message[r]);
        snprintf(cases[r].result->warnings, sizeof cases[r].result->warnings, "%s", t->warnings[r]);
    }
    int limit = 16 * omp_get_max_threads();
    if (limit < 64) limit = 64;
    int64_t voxels = ctx ? radx_cl_context_device(ctx)->batch_voxels : INT64_MAX;
    group_buffer g[2];
    int ok = group_alloc(&g[0], limit) & group_alloc(&g[1], limit);
    radx_status st = ok ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "out of memory");
    int first = 0, end = 0, cur = 0;
    if (st == RADX_OK && t->ncases > 0) {
        end = group_end(t, first, limit, voxels);
        st = host_stage(t, params, ctx, cases, first, end, &g[cur]);
    }
    while (st == RADX_OK && first < t->ncases) {
        radx_overlap device;
        device_job job = {ctx, params, cases, &g[cur]};
        if (ctx) radx_overlap_start(&device, device_stage, &job);
        int next_end = end < t->ncases ? group_end(t, end, limit, voxels) : end;
        radx_status host = RADX_OK;
        if (next_end > end) host = host_stage(t, params, ctx, cases, end, next_end, &g[cur ^ 1]);
        if (ctx) st = radx_overlap_wait(&device);
        if (st == RADX_OK) st = host;
        group_release(&g[cur]);
        first = end;
        end = next_end;
        cur ^= 1;
        if (st == RADX_OK && progress) progress(progress_arg, first);
    }
    group_free(&g[0]);
    group_free(&g[1]);
    return st;
}
