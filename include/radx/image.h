/* radx — the image model shared by readers, preprocessing and features. */
#ifndef RADX_IMAGE_H
#define RADX_IMAGE_H

#include <stddef.h>
#include "radx/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The pixel type an image had in its file (SimpleITK's PixelID): resampling
 * casts back to it, as PyRadiomics does. FLOAT64 also means unknown. */
typedef enum radx_pixel_type {
    RADX_PIXEL_FLOAT64 = 0,
    RADX_PIXEL_FLOAT32,
    RADX_PIXEL_INT8,
    RADX_PIXEL_UINT8,
    RADX_PIXEL_INT16,
    RADX_PIXEL_UINT16,
    RADX_PIXEL_INT32,
    RADX_PIXEL_UINT32,
    RADX_PIXEL_INT64,
    RADX_PIXEL_UINT64
} radx_pixel_type;

/* A scalar image on a regular grid, stored in double precision.
 * Geometry follows ITK's physical-space convention (LPS), so that origin and
 * direction compare directly with what SimpleITK reports for the same file:
 *   point(i,j,k) = origin + direction * diag(spacing) * (i,j,k)^T
 * A 2D image (PNG, 2D NIfTI/NRRD) is a single-slice volume: size[2] == 1,
 * ndim == 2. */
typedef struct radx_image {
    int size[3];          /* voxels along x, y, z */
    int ndim;             /* 2 or 3: dimensionality as stored in the file */
    double spacing[3];    /* mm */
    double origin[3];     /* mm, physical position of voxel (0,0,0) */
    double direction[9];  /* row-major 3x3; column j is the unit vector of axis j */
    radx_pixel_type pixel_type; /* as stored in the file; FLOAT64 = unknown */
    double *data;         /* data[x + size[0] * (y + size[1] * z)] */
} radx_image;

/* A new image of the given size: values 0, spacing 1, origin 0, identity
 * direction, ndim 3 (2 when size[2] == 1). */
radx_status radx_image_alloc(const int size[3], radx_image **out);

/* A deep copy. */
radx_status radx_image_clone(const radx_image *image, radx_image **out);

void radx_image_free(radx_image *image);

/* Number of voxels. */
size_t radx_image_voxels(const radx_image *image);

/* Read an image by file extension: .nii, .nii.gz (NIfTI-1/2), .nrrd, .nhdr
 * (NRRD), .png. Messages name the file. */
radx_status radx_image_read(const char *path, radx_image **out);

/* Write a NIfTI-1 file (.nii, or gzip-compressed .nii.gz) in float64, or
 * uint8 when as_uint8 (masks; values rounded and clamped to 0..255). */
radx_status radx_image_write_nifti(const char *path, const radx_image *image, int as_uint8);

#ifdef __cplusplus
}
#endif
#endif
