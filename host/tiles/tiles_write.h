/* Writing a tile store (used by radx_tiles_pack): voxel datasets that grow
 * tile by tile, then the tile table, the manifest and the settings. */
#ifndef RADX_TILES_WRITE_H
#define RADX_TILES_WRITE_H

#include "tiles/h5.h"
#include "tiles/tilestore.h"

typedef struct radx_tiles_writer {
    char path[1024];
    hid_t file;
    radx_h5_appender level, mask, value;
    radx_tile_info *tiles;
    int ntiles, capacity;
} radx_tiles_writer;

/* Create (or overwrite) the file and its growing voxel datasets. */
radx_status radx_tiles_writer_create(const char *path, radx_tiles_writer *w);

/* Append one image of a prepared case as a tile: `image_type` "original" or
 * the derived image's name, `kind` its image type, `type_params` that
 * type's settings (radx_params_for_original / radx_params_for_image_type:
 * its bin settings are recorded), `diag` the case's diagnostics,
 * `failure_warnings` (derived images, may be NULL) as radx_kept_image's.
 * *index receives its tile number. */
radx_status radx_tiles_writer_add(radx_tiles_writer *w, int case_row, const radx_roi *roi,
                                  const radx_case_result *diag, const char *image_type,
                                  radx_image_kind kind, const radx_params *type_params,
                                  const char *failure_warnings, int *index);

/* What the store records about the cohort. */
typedef struct radx_tiles_cohort {
    int ncases, ncols;
    const char *const *header;           /* [ncols] */
    const char *const *cells;            /* [ncases * ncols] */
    const char *const *image, *const *mask;
    const int *label, *status;
    const char *const *message;
    const int64_t *case_tile;
    const int *case_ntiles;
    const char *const *warnings;
    const char *params_source, *params_text;
} radx_tiles_cohort;

/* Write the tables and attributes and close the file. */
radx_status radx_tiles_writer_finish(radx_tiles_writer *w, const radx_tiles_cohort *cohort);

/* Close without finishing (after a failure); the partial file is removed. */
void radx_tiles_writer_abort(radx_tiles_writer *w);

#endif
