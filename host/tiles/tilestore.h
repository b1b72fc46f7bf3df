/* The HDF5 tile store (docs/TILESTORE.md): every case of a cohort
 * preprocessed once into its discretised ROI tile (cropped to the mask's
 * bounding box), tiles of mixed sizes concatenated in chunked, compressed
 * voxel datasets with an offset table and per-tile metadata, the manifest
 * and the settings alongside. `radx pack` writes it (radx_tiles_pack);
 * extraction reads tiles back as radx_roi (radx_tiles_extract) on the CPU
 * or the OpenCL path, with the results of extraction from the images. */
#ifndef RADX_TILES_TILESTORE_H
#define RADX_TILES_TILESTORE_H

#include <stdint.h>

#include "radx/cl.h"
#include "radx/extract.h"
#include "radx/params.h"
#include "prep/roi.h"

/* Layout version written to the root attribute format_version: "2" holds
 * every image type (one tile per case and image), per-case warnings and
 * tile counts; "1" (original images only) is still read. */
#define RADX_TILES_FORMAT_VERSION "2"

/* One tile: one image (original or derived) of one prepared case. */
typedef struct radx_tile_info {
    int case_row;                /* manifest row (0-based) */
    char image_type[RADX_IMAGE_NAME_MAX]; /* "original" or PyRadiomics' derived image name */
    radx_image_kind kind;        /* its image type (RADX_IMAGE_ORIGINAL for "original") */
    int64_t offset;              /* first voxel in /voxels/level and /voxels/value */
    int size[3];                 /* bounding box x, y, z */
    double spacing[3];           /* mm, after resampling */
    int gray_levels;             /* Ng: highest grey level inside */
    int64_t roi_voxels;
    int image_is_2d;
    double bin_width;            /* 0 when bin_count is used */
    int bin_count;               /* 0 when bin_width is used */
    char spacing_source[32];     /* the case's spacing source (docs/DICOM.md) */
    int spacing_flagged;
    char *failure_warnings;      /* derived tiles: the case's warnings when one of its
                                    classes fails (radx_kept_image); NULL for "" */
} radx_tile_info;

/* An open store (read side). */
typedef struct radx_tiles {
    char path[1024];
    int64_t file;                /* hid_t */
    int64_t levels, values;      /* hid_t of /voxels/level and /voxels/value */
    int ntiles;
    radx_tile_info *tiles;
    /* the manifest, one row per case */
    int ncases, ncols;
    char **header;               /* [ncols] carried column names */
    char **cells;                /* [ncases * ncols] */
    char **image, **mask;        /* [ncases] resolved paths */
    int *label;                  /* [ncases] */
    int *status;                 /* [ncases] radx_status of preparation */
    char **message;              /* [ncases] its message, "" when ok */
    int64_t *case_tile;          /* [ncases] its first (original) tile, -1 when preparation failed */
    int *case_ntiles;            /* [ncases] its tiles: case_tile .. case_tile + case_ntiles - 1 */
    char **warnings;             /* [ncases] its warnings after preparation */
    int format_version;          /* 1 or 2 */
    char *params_source;         /* parameter file path at pack time, or "<defaults>" */
    char *params_text;           /* its text ("" for defaults) */
    char *radx_version;
} radx_tiles;

/* Pack a manifest (radx_manifest_read) with `params_path` (NULL: defaults)
 * into a new store at `out_path`. Cases are prepared in parallel (OpenMP) a
 * group at a time and written in manifest order; a case whose preparation
 * fails is recorded with its status and message. *failed (may be NULL)
 * receives their number. `progress` (may be NULL) gets the cases done. */
radx_status radx_tiles_pack(const char *manifest_path, const char *params_path, const char *out_path,
                            int *failed, void (*progress)(void *arg, int done, int total),
                            void *progress_arg);

radx_status radx_tiles_open(const char *path, radx_tiles **out);
void radx_tiles_close(radx_tiles *tiles);

/* The settings the store was packed with. */
radx_status radx_tiles_params(const radx_tiles *tiles, radx_params *params);

/* Tiles [first, first + count) as ROIs (each freed with radx_roi_data_free),
 * read with one hyperslab per dataset. */
radx_status radx_tiles_read(radx_tiles *tiles, int first, int count, radx_roi_data *rois);

/* One case of an extraction from a store (tiles of one case in the order
 * the CPU path makes the images: original, then the derived images). */
typedef struct radx_tiles_case {
    radx_case_result *result;    /* initialised by the caller */
    radx_status status;
    char message[1024];
} radx_tiles_case;

/* Extract every case of the store (cases[ncases]) with `params` (normally
 * radx_tiles_params; its preprocessing settings are those baked into the
 * tiles): shape and firstorder on the CPU, texture classes on `context` or,
 * when NULL, on the CPU. Results, statuses and messages equal
 * radx_extract_files' on the packed images. */
radx_status radx_tiles_extract(radx_tiles *tiles, const radx_params *params,
                               radx_cl_context *context, radx_tiles_case *cases,
                               void (*progress)(void *arg, int done), void *progress_arg);

#endif
