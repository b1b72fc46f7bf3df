/* Tile store writer: layout in docs/TILESTORE.md. */
#include "tiles/tiles_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "radx/radx.h"

/* Voxels per chunk of the voxel datasets: 256 Ki (512 KiB of levels). */
enum { VOXEL_CHUNK = 1 << 18 };

static radx_status make_group(hid_t file, const char *path, const char *name, hid_t *group)
{
    *group = H5Gcreate2(file, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    return *group < 0 ? radx_h5_fail(path, "create group", name) : RADX_OK;
}

radx_status radx_tiles_writer_create(const char *path, radx_tiles_writer *w)
{
    memset(w, 0, sizeof *w);
    w->level.dataset = w->mask.dataset = w->value.dataset = -1;
    snprintf(w->path, sizeof w->path, "%s", path);
    radx_h5_quiet();
    w->file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (w->file < 0) return radx_fail(RADX_ERR_IO, "%s: cannot create the HDF5 file", path);
    hid_t voxels;
    radx_status st = make_group(w->file, path, "voxels", &voxels);
    if (st == RADX_OK)
        st = radx_h5_appender_create(voxels, path, "level", H5T_STD_U16LE, H5T_NATIVE_INT, VOXEL_CHUNK,
                                     &w->level);
    if (st == RADX_OK)
        st = radx_h5_appender_create(voxels, path, "mask", H5T_STD_U8LE, H5T_NATIVE_UINT8, VOXEL_CHUNK,
                                     &w->mask);
    if (st == RADX_OK)
        st = radx_h5_appender_create(voxels, path, "value", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                                     VOXEL_CHUNK, &w->value);
    if (voxels >= 0) H5Gclose(voxels);
    if (st != RADX_OK) radx_tiles_writer_abort(w);
    return st;
}

radx_status radx_tiles_writer_add(radx_tiles_writer *w, int case_row, const radx_roi *roi,
                                  const radx_case_result *diag, const char *image_type,
                                  radx_image_kind kind, const radx_params *type_params,
                                  const char *failure_warnings, int *index)
{
    if (w->ntiles == w->capacity) {
        int bigger = w->capacity ? 2 * w->capacity : 64;
        radx_tile_info *t = realloc(w->tiles, (size_t)bigger * sizeof *t);
        if (!t) return radx_fail(RADX_ERR_NOMEM, "out of memory for the tile table");
        w->tiles = t;
        w->capacity = bigger;
    }
    hsize_t n = (hsize_t)roi->size[0] * roi->size[1] * roi->size[2];
    radx_tile_info *t = &w->tiles[w->ntiles];
    memset(t, 0, sizeof *t);
    t->case_row = case_row;
    snprintf(t->image_type, sizeof t->image_type, "%s", image_type);
    t->kind = kind;
    if (failure_warnings && failure_warnings[0] && !(t->failure_warnings = strdup(failure_warnings)))
        return radx_fail(RADX_ERR_NOMEM, "out of memory for the tile table");
    t->offset = (int64_t)w->level.length;
    memcpy(t->size, roi->size, sizeof t->size);
    memcpy(t->spacing, roi->spacing, sizeof t->spacing);
    t->gray_levels = roi->ng;
    t->roi_voxels = roi->nvoxels;
    t->image_is_2d = diag->image_is_2d;
    snprintf(t->spacing_source, sizeof t->spacing_source, "%s", diag->spacing_source);
    t->spacing_flagged = diag->spacing_flagged;
    t->bin_count = type_params->bin_count;
    t->bin_width = type_params->bin_count > 0 ? 0.0 : type_params->bin_width;
    radx_status st = radx_h5_append(&w->level, w->path, roi->levels, n);
    if (st == RADX_OK) st = radx_h5_append(&w->mask, w->path, roi->mask, n);
    if (st == RADX_OK) st = radx_h5_append(&w->value, w->path, roi->values, n);
    if (st != RADX_OK) {
        free(t->failure_warnings);
        t->failure_warnings = NULL;
        return st;
    }
    *index = w->ntiles++;
    return RADX_OK;
}

static void free_tiles(radx_tiles_writer *w)
{
    for (int i = 0; w->tiles && i < w->ntiles; i++) free(w->tiles[i].failure_warnings);
    free(w->tiles);
    w->tiles = NULL;
    w->ntiles = w->capacity = 0;
}

/* /tiles: one row per tile. */
static radx_status write_tile_table(radx_tiles_writer *w, hid_t group)
{
    int n = w->ntiles;
    size_t rows = n > 0 ? (size_t)n : 1;
    int64_t *i64 = malloc(rows * 2 * sizeof *i64);
    int *i32 = malloc(rows * 3 * sizeof *i32);
    double *f64 = malloc(rows * 3 * sizeof *f64);
    uint8_t *u8 = malloc(rows);
    const char **types = malloc(rows * sizeof *types);
    if (!i64 || !i32 || !f64 || !u8 || !types) {
        free(i64), free(i32), free(f64), free(u8), free(types);
        return radx_fail(RADX_ERR_NOMEM, "out of memory for the tile table");
    }
    hsize_t d1[1] = {(hsize_t)n}, d2[2] = {(hsize_t)n, 3};
    const char *f = w->path;
    radx_status st = RADX_OK;
#define COLUMN(buffer, expr, name, ftype, mtype)                                          \
    if (st == RADX_OK) {                                                                  \
        for (int i = 0; i < n; i++) buffer[i] = (expr);                                   \
        st = radx_h5_write(group, f, name, ftype, mtype, 1, d1, buffer, 0);               \
    }
#define TRIPLE(buffer, field, name, ftype, mtype)                                         \
    if (st == RADX_OK) {                                                                  \
        for (int i = 0; i < n; i++)                                                       \
            for (int a = 0; a < 3; a++) buffer[3 * i + a] = w->tiles[i].field[a];         \
        st = radx_h5_write(group, f, name, ftype, mtype, 2, d2, buffer, 0);               \
    }
    COLUMN(i64, w->tiles[i].offset, "offset", H5T_STD_I64LE, H5T_NATIVE_INT64)
    COLUMN(i64, w->tiles[i].roi_voxels, "roi_voxels", H5T_STD_I64LE, H5T_NATIVE_INT64)
    COLUMN(i32, w->tiles[i].case_row, "case", H5T_STD_I32LE, H5T_NATIVE_INT)
    COLUMN(i32, w->tiles[i].gray_levels, "gray_levels", H5T_STD_I32LE, H5T_NATIVE_INT)
    COLUMN(i32, w->tiles[i].bin_count, "bin_count", H5T_STD_I32LE, H5T_NATIVE_INT)
    COLUMN(f64, w->tiles[i].bin_width, "bin_width", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE)
    COLUMN(u8, (uint8_t)w->tiles[i].image_is_2d, "image_is_2d", H5T_STD_U8LE, H5T_NATIVE_UINT8)
    TRIPLE(i32, size, "size", H5T_STD_I32LE, H5T_NATIVE_INT)
    TRIPLE(f64, spacing, "spacing", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE)
    COLUMN(u8, (uint8_t)w->tiles[i].spacing_flagged, "spacing_flagged", H5T_STD_U8LE, H5T_NATIVE_UINT8)
#undef COLUMN
#undef TRIPLE
    for (int i = 0; i < n; i++) types[i] = w->tiles[i].image_type;
    if (st == RADX_OK) st = radx_h5_write_strings(group, f, "image_type", types, (hsize_t)n, 0);
    for (int i = 0; i < n; i++) types[i] = radx_image_kind_name(w->tiles[i].kind);
    if (st == RADX_OK) st = radx_h5_write_strings(group, f, "image_kind", types, (hsize_t)n, 0);
    for (int i = 0; i < n; i++) types[i] = w->tiles[i].failure_warnings ? w->tiles[i].failure_warnings : "";
    if (st == RADX_OK) st = radx_h5_write_strings(group, f, "failure_warnings", types, (hsize_t)n, 0);
    for (int i = 0; i < n; i++) types[i] = w->tiles[i].spacing_source;
    if (st == RADX_OK) st = radx_h5_write_strings(group, f, "spacing_source", types, (hsize_t)n, 0);
    free(i64), free(i32), free(f64), free(u8), free(types);
    return st;
}

/* /manifest: one row per case. */
static radx_status write_manifest(radx_tiles_writer *w, hid_t group, const radx_tiles_cohort *c)
{
    const char *f = w->path;
    hsize_t n[1] = {(hsize_t)c->ncases};
    radx_status st = radx_h5_write_strings(group, f, "header", c->header, (hsize_t)c->ncols, 0);
    if (st == RADX_OK)
        st = radx_h5_write_strings(group, f, "cells", c->cells, (hsize_t)c->ncases, (hsize_t)c->ncols);
    if (st == RADX_OK) st = radx_h5_write_strings(group, f, "image", c->image, n[0], 0);
    if (st == RADX_OK) st = radx_h5_write_strings(group, f, "mask", c->mask, n[0], 0);
    if (st == RADX_OK) st = radx_h5_write_strings(group, f, "message", c->message, n[0], 0);
    if (st == RADX_OK) st = radx_h5_write_strings(group, f, "warnings", c->warnings, n[0], 0);
    if (st == RADX_OK)
        st = radx_h5_write(group, f, "ntiles", H5T_STD_I32LE, H5T_NATIVE_INT, 1, n, c->case_ntiles, 0);
    if (st == RADX_OK) st = radx_h5_write(group, f, "label", H5T_STD_I32LE, H5T_NATIVE_INT, 1, n, c->label, 0);
    if (st == RADX_OK) st = radx_h5_write(group, f, "status", H5T_STD_I32LE, H5T_NATIVE_INT, 1, n, c->status, 0);
    if (st == RADX_OK)
        st = radx_h5_write(group, f, "tile", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, n, c->case_tile, 0);
    return st;
}

static radx_status write_attributes(radx_tiles_writer *w, const radx_tiles_cohort *c)
{
    hid_t root = w->file;
    const char *f = w->path;
    radx_status st = radx_h5_attr_string(root, f, "format", "radx-tiles");
    if (st == RADX_OK) st = radx_h5_attr_string(root, f, "format_version", RADX_TILES_FORMAT_VERSION);
    if (st == RADX_OK) st = radx_h5_attr_string(root, f, "radx_version", radx_version());
    if (st == RADX_OK) st = radx_h5_attr_string(root, f, "params_source", c->params_source);
    if (st == RADX_OK) st = radx_h5_attr_string(root, f, "params", c->params_text);
    return st;
}

radx_status radx_tiles_writer_finish(radx_tiles_writer *w, const radx_tiles_cohort *cohort)
{
    hid_t tiles = -1, manifest = -1;
    radx_status st = radx_h5_appender_flush(&w->level, w->path);
    if (st == RADX_OK) st = radx_h5_appender_flush(&w->mask, w->path);
    if (st == RADX_OK) st = radx_h5_appender_flush(&w->value, w->path);
    if (st == RADX_OK) st = make_group(w->file, w->path, "tiles", &tiles);
    if (st == RADX_OK) st = write_tile_table(w, tiles);
    if (st == RADX_OK) st = make_group(w->file, w->path, "manifest", &manifest);
    if (st == RADX_OK) st = write_manifest(w, manifest, cohort);
    if (st == RADX_OK) st = write_attributes(w, cohort);
    if (tiles >= 0) H5Gclose(tiles);
    if (manifest >= 0) H5Gclose(manifest);
    if (st != RADX_OK) {
        radx_tiles_writer_abort(w);
        return st;
    }
    radx_h5_appender_close(&w->level);
    radx_h5_appender_close(&w->mask);
    radx_h5_appender_close(&w->value);
    herr_t err = H5Fclose(w->file);
    w->file = -1;
    free_tiles(w);
    return err < 0 ? radx_fail(RADX_ERR_IO, "%s: cannot close the HDF5 file", w->path) : RADX_OK;
}

void radx_tiles_writer_abort(radx_tiles_writer *w)
{
    radx_h5_appender_close(&w->level);
    radx_h5_appender_close(&w->mask);
    radx_h5_appender_close(&w->value);
    if (w->file >= 0) {
        H5Fclose(w->file);
        remove(w->path);
    }
    w->file = -1;
    free_tiles(w);
}
