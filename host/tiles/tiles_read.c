/* Tile store reader: the tables into memory at open, voxels of consecutive
 * tiles with one hyperslab per dataset. */
#include "tiles/tilestore.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "tiles/h5.h"

static radx_status read_column(hid_t group, const char *path, const char *name, hid_t type,
                               int rank, hsize_t rows, void **data)
{
    hsize_t dims[2] = {0, 0};
    radx_status st = radx_h5_read(group, path, name, type, rank, dims, data);
    if (st == RADX_OK && (dims[0] != rows || (rank == 2 && dims[1] != 3))) {
        free(*data);
        *data = NULL;
        st = radx_fail(RADX_ERR_FORMAT, "%s: dataset '%s' has %llu rows, expected %llu", path, name,
                       (unsigned long long)dims[0], (unsigned long long)rows);
    }
    return st;
}

/* A string column of n rows (1D). */
static radx_status read_string_column(hid_t group, const char *path, const char *name, hsize_t n,
                                      char ***strings)
{
    hsize_t count = 0;
    radx_status st = radx_h5_read_strings(group, path, name, strings, &count);
    if (st == RADX_OK && count != n) {
        radx_h5_strings_free(*strings, count);
        *strings = NULL;
        st = radx_fail(RADX_ERR_FORMAT, "%s: dataset '%s' has %llu rows, expected %llu", path, name,
                       (unsigned long long)count, (unsigned long long)n);
    }
    return st;
}

/* Whether `name` is a name PyRadiomics gives an image of this type
 * (host/prep/filters: "original", "log-sigma-1-0-mm-3D", "wavelet-LH",
 * "wavelet2-HL", "lbp-3D-m1", ...) made of the characters such names use,
 * so that a damaged store cannot put another name into the output columns. */
static int image_name_fits_kind(const char *name, radx_image_kind kind)
{
    static const char *const exact[RADX_IMAGE_KIND_COUNT] = {
        [RADX_IMAGE_ORIGINAL] = "original", [RADX_IMAGE_SQUARE] = "square",
        [RADX_IMAGE_SQUAREROOT] = "squareroot", [RADX_IMAGE_LOGARITHM] = "logarithm",
        [RADX_IMAGE_EXPONENTIAL] = "exponential", [RADX_IMAGE_GRADIENT] = "gradient",
        [RADX_IMAGE_LBP2D] = "lbp-2D"};
    static const char *const prefix[RADX_IMAGE_KIND_COUNT] = {
        [RADX_IMAGE_LOG] = "log-sigma-", [RADX_IMAGE_WAVELET] = "wavelet", [RADX_IMAGE_LBP3D] = "lbp-3D-"};
    if (exact[kind]) return strcmp(name, exact[kind]) == 0;
    if (strncmp(name, prefix[kind], strlen(prefix[kind])) != 0) return 0;
    for (const char *c = name; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '-') return 0;
    return 1;
}

/* Each tile's image: name, image type and failure warnings (version 2;
 * version 1 tiles are original images). */
static radx_status read_image_types(radx_tiles *t, hid_t group, hsize_t n)
{
    char **names = NULL, **kinds = NULL, **warnings = NULL;
    radx_status st = read_string_column(group, t->path, "image_type", n, &names);
    if (st == RADX_OK && t->format_version >= 2) st = read_string_column(group, t->path, "image_kind", n, &kinds);
    if (st == RADX_OK && t->format_version >= 2)
        st = read_string_column(group, t->path, "failure_warnings", n, &warnings);
    for (hsize_t i = 0; st == RADX_OK && i < n; i++) {
        radx_tile_info *ti = &t->tiles[i];
        snprintf(ti->image_type, sizeof ti->image_type, "%s", names[i]);
        int kind = kinds ? radx_image_kind_from_name(kinds[i]) : RADX_IMAGE_ORIGINAL;
        if (kind < 0 || (t->format_version < 2 && strcmp(names[i], "original") != 0))
            st = radx_fail(RADX_ERR_FORMAT, "%s: tile %llu has an unknown image type '%s'", t->path,
                           (unsigned long long)i, kinds ? kinds[i] : names[i]);
        else if (!image_name_fits_kind(names[i], (radx_image_kind)kind))
            st = radx_fail(RADX_ERR_FORMAT, "%s: tile %llu: '%.100s' is not the name of a %s image", t->path,
                           (unsigned long long)i, names[i], radx_image_kind_name((radx_image_kind)kind));
        else
            ti->kind = (radx_image_kind)kind;
        if (st == RADX_OK && warnings && warnings[i][0] && !(ti->failure_warnings = strdup(warnings[i])))
            st = radx_fail(RADX_ERR_NOMEM, "out of memory");
    }
    if (names) radx_h5_strings_free(names, n);
    if (kinds) radx_h5_strings_free(kinds, n);
    if (warnings) radx_h5_strings_free(warnings, n);
    return st;
}

/* /tiles into t->tiles. */
static radx_status read_tiles(radx_tiles *t, hid_t group)
{
    int64_t *offset = NULL, *voxels = NULL;
    int *cases = NULL, *levels = NULL, *bins = NULL, *size = NULL;
    double *width = NULL, *spacing = NULL;
    unsigned char *is2d = NULL;
    hsize_t dims[1];
    radx_status st = radx_h5_read(group, t->path, "offset", H5T_NATIVE_INT64, 1, dims, (void **)&offset);
    hsize_t n = st == RADX_OK ? dims[0] : 0;
    if (st == RADX_OK) st = read_column(group, t->path, "roi_voxels", H5T_NATIVE_INT64, 1, n, (void **)&voxels);
    if (st == RADX_OK) st = read_column(group, t->path, "case", H5T_NATIVE_INT, 1, n, (void **)&cases);
    if (st == RADX_OK) st = read_column(group, t->path, "gray_levels", H5T_NATIVE_INT, 1, n, (void **)&levels);
    if (st == RADX_OK) st = read_column(group, t->path, "bin_count", H5T_NATIVE_INT, 1, n, (void **)&bins);
    if (st == RADX_OK) st = read_column(group, t->path, "bin_width", H5T_NATIVE_DOUBLE, 1, n, (void **)&width);
    if (st == RADX_OK) st = read_column(group, t->path, "image_is_2d", H5T_NATIVE_UCHAR, 1, n, (void **)&is2d);
    if (st == RADX_OK) st = read_column(group, t->path, "size", H5T_NATIVE_INT, 2, n, (void **)&size);
    if (st == RADX_OK) st = read_column(group, t->path, "spacing", H5T_NATIVE_DOUBLE, 2, n, (void **)&spacing);
    if (st == RADX_OK && !(t->tiles = calloc(n > 0 ? (size_t)n : 1, sizeof *t->tiles)))
        st = radx_fail(RADX_ERR_NOMEM, "out of memory");
    for (hsize_t i = 0; st == RADX_OK && i < n; i++) {
        radx_tile_info *ti = &t->tiles[i];
        ti->offset = offset[i];
        ti->roi_voxels = voxels[i];
        ti->case_row = cases[i];
        ti->gray_levels = levels[i];
        ti->bin_count = bins[i];
        ti->bin_width = width[i];
        ti->image_is_2d = is2d[i];
        for (int a = 0; a < 3; a++) {
            ti->size[a] = size[3 * i + a];
            ti->spacing[a] = spacing[3 * i + a];
        }
    }
    /* spacing source (stores written before it existed lack it: left "") */
    char **sources = NULL;
    hsize_t nsources = 0;
    unsigned char *flagged = NULL;
    if (st == RADX_OK && H5Lexists(group, "spacing_source", H5P_DEFAULT) > 0) {
        st = radx_h5_read_strings(group, t->path, "spacing_source", &sources, &nsources);
        if (st == RADX_OK)
            st = read_column(group, t->path, "spacing_flagged", H5T_NATIVE_UCHAR, 1, n, (void **)&flagged);
        for (hsize_t i = 0; st == RADX_OK && i < n && i < nsources; i++) {
            snprintf(t->tiles[i].spacing_source, sizeof t->tiles[i].spacing_source, "%s", sources[i]);
            t->tiles[i].spacing_flagged = flagged[i];
        }
        if (sources) radx_h5_strings_free(sources, nsources);
        free(flagged);
    }
    if (st == RADX_OK) st = read_image_types(t, group, n);
    t->ntiles = (int)n;
    free(offset), free(voxels), free(cases), free(levels), free(bins), free(width), free(is2d);
    free(size), free(spacing);
    return st;
}

/* Each case's tile count and warnings (version 1: one tile, none). */
static radx_status read_case_images(radx_tiles *t, hid_t group, hsize_t n)
{
    if (t->format_version >= 2) {
        radx_status st = read_column(group, t->path, "ntiles", H5T_NATIVE_INT, 1, n, (void **)&t->case_ntiles);
        if (st == RADX_OK) st = read_string_column(group, t->path, "warnings", n, &t->warnings);
        return st;
    }
    t->case_ntiles = calloc(n > 0 ? (size_t)n : 1, sizeof *t->case_ntiles);
    t->warnings = calloc(n > 0 ? (size_t)n : 1, sizeof *t->warnings);
    if (!t->case_ntiles || !t->warnings) return radx_fail(RADX_ERR_NOMEM, "out of memory");
    for (hsize_t r = 0; r < n; r++) {
        t->case_ntiles[r] = t->case_tile[r] >= 0;
        if (!(t->warnings[r] = strdup(""))) return radx_fail(RADX_ERR_NOMEM, "out of memory");
    }
    return RADX_OK;
}

/* /manifest into t. */
static radx_status read_manifest(radx_tiles *t, hid_t group)
{
    hsize_t ncols = 0, ncells = 0, n = 0, count = 0, dims[1];
    radx_status st = radx_h5_read_strings(group, t->path, "header", &t->header, &ncols);
    if (st == RADX_OK) st = radx_h5_read_strings(group, t->path, "image", &t->image, &n);
    t->ncols = (int)ncols;
    t->ncases = (int)n;
    if (st == RADX_OK) st = radx_h5_read_strings(group, t->path, "cells", &t->cells, &ncells);
    if (st == RADX_OK && ncells != n * ncols)
        st = radx_fail(RADX_ERR_FORMAT, "%s: /manifest/cells is not %llu x %llu", t->path,
                       (unsigned long long)n, (unsigned long long)ncols);
    if (st == RADX_OK) st = radx_h5_read_strings(group, t->path, "mask", &t->mask, &count);
    if (st == RADX_OK && count != n) st = radx_fail(RADX_ERR_FORMAT, "%s: /manifest/mask rows", t->path);
    if (st == RADX_OK) st = radx_h5_read_strings(group, t->path, "message", &t->message, &count);
    if (st == RADX_OK && count != n) st = radx_fail(RADX_ERR_FORMAT, "%s: /manifest/message rows", t->path);
    if (st == RADX_OK) st = radx_h5_read(group, t->path, "label", H5T_NATIVE_INT, 1, dims, (void **)&t->label);
    if (st == RADX_OK) st = read_column(group, t->path, "status", H5T_NATIVE_INT, 1, n, (void **)&t->status);
    if (st == RADX_OK) st = read_column(group, t->path, "tile", H5T_NATIVE_INT64, 1, n, (void **)&t->case_tile);
    if (st == RADX_OK) st = read_case_images(t, group, n);
    for (hsize_t r = 0; st == RADX_OK && r < n; r++)
        if (t->case_tile[r] + (t->case_tile[r] >= 0 ? t->case_ntiles[r] : 0) > t->ntiles ||
            (t->case_tile[r] < 0 && t->status[r] == RADX_OK) ||
            (t->case_tile[r] >= 0 && (t->case_ntiles[r] < 1 ||
                                      t->tiles[t->case_tile[r]].kind != RADX_IMAGE_ORIGINAL)))
            st = radx_fail(RADX_ERR_FORMAT, "%s: case %llu points to tiles %lld (%d) of %d", t->path,
                           (unsigned long long)r, (long long)t->case_tile[r],
                           t->case_ntiles[r], t->ntiles);
    return st;
}

static radx_status read_attributes(radx_tiles *t)
{
    hid_t root = (hid_t)t->file;
    char *format = NULL, *version = NULL;
    radx_status st = radx_h5_read_attr_string(root, t->path, "format", &format);
    if (st == RADX_OK) st = radx_h5_read_attr_string(root, t->path, "format_version", &version);
    if (st == RADX_OK && strcmp(format, "radx-tiles") != 0)
        st = radx_fail(RADX_ERR_FORMAT, "%s: not a radx tile store (format '%s')", t->path, format);
    if (st == RADX_OK) {
        /* version 1: original images only, no warnings (read as such) */
        t->format_version = strcmp(version, "1") == 0 ? 1 : strcmp(version, "2") == 0 ? 2 : 0;
        if (!t->format_version)
            st = radx_fail(RADX_ERR_FORMAT, "%s: tile store format version '%s' is not supported by "
                           "this radx (it reads versions 1 and %s); pack the cohort again with "
                           "'radx pack'", t->path, version, RADX_TILES_FORMAT_VERSION);
    }
    if (st == RADX_OK) st = radx_h5_read_attr_string(root, t->path, "radx_version", &t->radx_version);
    if (st == RADX_OK) st = radx_h5_read_attr_string(root, t->path, "params_source", &t->params_source);
    if (st == RADX_OK) st = radx_h5_read_attr_string(root, t->path, "params", &t->params_text);
    free(format);
    free(version);
    return st;
}

radx_status radx_tiles_open(const char *path, radx_tiles **out)
{
    *out = NULL;
    radx_tiles *t = calloc(1, sizeof *t);
    if (!t) return radx_fail(RADX_ERR_NOMEM, "out of memory");
    snprintf(t->path, sizeof t->path, "%s", path);
    t->levels = t->values = -1;
    radx_h5_quiet();
    t->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (t->file < 0) {
        free(t);
        return radx_fail(RADX_ERR_IO, "%s: cannot open as an HDF5 file", path);
    }
    radx_status st = read_attributes(t);
    hid_t tiles = st == RADX_OK ? H5Gopen2((hid_t)t->file, "tiles", H5P_DEFAULT) : -1;
    hid_t manifest = st == RADX_OK ? H5Gopen2((hid_t)t->file, "manifest", H5P_DEFAULT) : -1;
    if (st == RADX_OK && (tiles < 0 || manifest < 0)) st = radx_h5_fail(path, "open group", "tiles/manifest");
    if (st == RADX_OK) st = read_tiles(t, tiles);
    if (st == RADX_OK) st = read_manifest(t, manifest);
    if (tiles >= 0) H5Gclose(tiles);
    if (manifest >= 0) H5Gclose(manifest);
    if (st == RADX_OK) {
        t->levels = H5Dopen2((hid_t)t->file, "voxels/level", H5P_DEFAULT);
        t->values = H5Dopen2((hid_t)t->file, "voxels/value", H5P_DEFAULT);
        if (t->levels < 0 || t->values < 0) st = radx_h5_fail(path, "open dataset", "voxels");
    }
    if (st != RADX_OK) {
        radx_tiles_close(t);
        return st;
    }
    *out = t;
    return RADX_OK;
}

void radx_tiles_close(radx_tiles *t)
{
    if (!t) return;
    if (t->levels >= 0) H5Dclose((hid_t)t->levels);
    if (t->values >= 0) H5Dclose((hid_t)t->values);
    if (t->file >= 0) H5Fclose((hid_t)t->file);
    radx_h5_strings_free(t->header, (hsize_t)t->ncols);
    radx_h5_strings_free(t->cells, (hsize_t)t->ncases * (hsize_t)t->ncols);
    radx_h5_strings_free(t->image, (hsize_t)t->ncases);
    radx_h5_strings_free(t->mask, (hsize_t)t->ncases);
    radx_h5_strings_free(t->message, (hsize_t)t->ncases);
    free(t->label);
    free(t->status);
    free(t->case_tile);
    free(t->case_ntiles);
    if (t->warnings) radx_h5_strings_free(t->warnings, (hsize_t)t->ncases);
    for (int i = 0; t->tiles && i < t->ntiles; i++) free(t->tiles[i].failure_warnings);
    free(t->tiles);
    free(t->params_source);
    free(t->params_text);
    free(t->radx_version);
    free(t);
}

radx_status radx_tiles_params(const radx_tiles *t, radx_params *params)
{
    radx_params_default(params);
    if (!t->params_text[0]) return RADX_OK;
    char path[] = "/tmp/radx_tiles_params_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) return radx_fail(RADX_ERR_IO, "%s: cannot write its settings to a temporary file", t->path);
    fputs(t->params_text, f);
    fclose(f);
    radx_status st = radx_params_load(path, params, NULL, 0);
    remove(path);
    if (st != RADX_OK) return radx_fail_context(st, "%s: stored settings (from %s)", t->path, t->params_source);
    snprintf(params->source, sizeof params->source, "%s", t->params_source);
    return RADX_OK;
}
