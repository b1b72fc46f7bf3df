/* PyRadiomics-style batch manifests: a CSV with Image and Mask columns
 * (paths absolute or relative to the manifest's folder), optional Label,
 * Spacing (for images whose files carry no spacing, e.g. PNG) and Frame
 * (the frame of a multi-frame DICOM image, from 1);
 * every other column is carried through to the output. */
#ifndef RADX_IO_MANIFEST_H
#define RADX_IO_MANIFEST_H

#include "radx/table.h"

typedef struct radx_manifest {
    radx_csv *csv;
    int image_col, mask_col, label_col;   /* label_col -1 when absent */
    int spacing_col;                      /* "Spacing", -1 when absent */
    int frame_col;                        /* "Frame", -1 when absent */
    char **image_paths, **mask_paths;     /* resolved, [csv->nrows] */
} radx_manifest;

radx_status radx_manifest_read(const char *path, radx_manifest **out);

/* A path written in the manifest `manifest_path`: absolute paths as they
 * are, relative ones joined to the manifest's folder (unchanged when the
 * manifest path has no folder). Returns a malloc'd string (NULL when out of
 * memory). */
char *radx_manifest_resolve(const char *manifest_path, const char *path);
void radx_manifest_free(radx_manifest *manifest);

/* The label of row r: the Label cell if present and non-empty, else
 * `fallback`. Fails with the row's line when the cell is not an integer. */
radx_status radx_manifest_label(const radx_manifest *manifest, int row, int fallback, int *label);

/* The Spacing cell of row r ("0.08x0.08", "0.08 0.08 1" or "0.08;0.08":
 * x, y[, z] in mm) into spacing[3]; zeros when the column or the cell is
 * empty. Fails with the row's line for anything else. */
radx_status radx_manifest_spacing(const radx_manifest *manifest, int row, double spacing[3]);

/* The Frame cell of row r (a multi-frame DICOM image's frame, from 1) into
 * *frame; 0 (the first frame) when the column or the cell is empty. Fails
 * with the row's line for anything but a positive integer. */
radx_status radx_manifest_frame(const radx_manifest *manifest, int row, int *frame);

#endif
