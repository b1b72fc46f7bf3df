/* radx — image preprocessing exactly as PyRadiomics 3.1 does it between
 * reading the image/mask and the feature classes:
 *
 *   featureextractor.loadImage  getMask (label) -> normalizeImage (whole
 *                               image) -> resampleImage, or preCrop
 *                               (checkMask + cropToTumorMask)
 *   featureextractor.execute    checkMask (geometry check, correctMask,
 *                               bounding box, minimumROIDimensions,
 *                               minimumROISize)
 *   base._applyBinning          binImage / getBinEdges (radx_discretize)
 *
 * SimpleITK/ITK arithmetic is reproduced operation by operation (ITK 5.4,
 * as in SimpleITK 2.4/2.5 wheels): index <-> physical point conversions,
 * ResampleImageFilter's scan-line interpolation of continuous indices, the
 * B-spline, linear and nearest-neighbour interpolators, and the cast of the
 * resampled image back to the input pixel type. Geometry is ITK's (LPS,
 * radx_image), x fastest; a 2D image is a single-slice volume and behaves
 * as PyRadiomics does on that volume. */
#ifndef RADX_PREP_H
#define RADX_PREP_H

#include <stddef.h>
#include <stdint.h>

#include "radx/image.h"
#include "radx/params.h"
#include "radx/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* radx_pixel_type (include/radx/image.h) matters in one place: PyRadiomics
 * resamples the image with ResampleImageFilter.SetOutputPixelType(
 * image.GetPixelID()), so an int16 image resampled without normalisation
 * comes back as int16, every interpolated value clamped to the type's range
 * and truncated toward zero. Normalisation always yields float64
 * (sitk.Normalize's RealType). */

/* What radx_prep_case hands to the feature stage, and what it did. */
typedef struct radx_prep_result {
    radx_image *image;           /* preprocessed intensities (double) */
    radx_image *mask;            /* 1 where the mask equals `label`, else 0; same grid */
    int bbox[6];                 /* ROI bounding box x0,x1,y0,y1,z0,z1 (inclusive),
                                    index space of `image` (checkMask's boundingBox) */
    int64_t nvoxels;             /* voxels of the label */

    /* diagnostics, in the order the steps ran */
    int input_size[3];
    double input_spacing[3];
    int normalized;              /* normalize: true */
    double norm_mean, norm_sigma;/* image statistics used by normalizeImage */
    int resampled;               /* resampledPixelSpacing given: image/mask regridded */
    int resample_image_kept;     /* resampling reduced to the mask (spacing unchanged) */
    int precropped;              /* preCrop applied */
    int mask_corrected;          /* correctMask resampled the mask onto the image grid */
    int size[3];                 /* final grid size */
    double spacing[3];           /* final spacing (what the feature classes see) */
} radx_prep_result;

/* The whole preprocessing of one case for the Original image type, in
 * PyRadiomics' order (see the top of this file), with the image's pixel type
 * as its reader recorded it (image->pixel_type); radx_prep_case_typed
 * overrides it. On failure `out` holds nothing to free. */
radx_status radx_prep_case(const radx_image *image, const radx_image *mask,
                           const radx_params *params, radx_prep_result *out);

radx_status radx_prep_case_typed(const radx_image *image, radx_pixel_type image_type,
                                 const radx_image *mask, const radx_params *params,
                                 radx_prep_result *out);

void radx_prep_result_free(radx_prep_result *result);

/* ---- the individual steps (each is PyRadiomics' function of that name) ---- */

/* getMask: the mask cast to uint32 (sitk.Cast: truncation toward zero),
 * compared with `label`. Fails if the mask is empty or lacks the label,
 * listing the labels found. `out` is a new 0/1 image on the mask's grid. */
radx_status radx_mask_select_label(const radx_image *mask, int label, radx_image **out);

/* Bounding box (x0,x1,y0,y1,z0,z1 inclusive) and voxel count of the
 * non-zero voxels of a 0/1 mask (LabelShapeStatistics/LabelStatistics
 * GetBoundingBox, GetCount). Returns 0 (bbox untouched) if there are none. */
int radx_mask_bbox(const radx_image *mask01, int bbox[6], int64_t *count);

/* _checkROI: the label must be present in the mask and the corners of its
 * bounding box (voxel edges, +-0.5) must map into the image (tolerance
 * 1e-3 voxel). Gives the box as lower corner and size per axis. */
radx_status radx_check_roi(const radx_image *image, const radx_image *mask01, int label,
                           int64_t lower[3], int64_t size[3]);

/* normalizeImage: (x - mean) / sigma over the whole image (sitk.Normalize:
 * sample standard deviation, ITK's compensated sums), clamped to
 * +-removeOutliers if set, then times normalizeScale. In place.
 * mean/sigma may be NULL. */
radx_status radx_normalize(radx_image *image, const radx_params *params,
                           double *mean, double *sigma);

/* resampleImage: image and 0/1 mask onto the grid PyRadiomics derives from
 * the mask's bounding box, spacing and padDistance. When the new spacing
 * equals the image spacing (numpy.allclose), only the mask is resampled onto
 * the image grid and both are cropped to the ROI plus padDistance
 * (*image_kept = 1). */
radx_status radx_resample_case(const radx_image *image, radx_pixel_type image_type,
                               const radx_image *mask01, const radx_params *params,
                               radx_image **out_image, radx_image **out_mask,
                               int *image_kept);

/* checkMask: image/mask geometry compared with geometryTolerance (origin and
 * spacing: tolerance * image spacing[0], direction: tolerance; sizes must be
 * equal); on mismatch with correctMask the ROI is checked to lie inside the
 * image and the mask is resampled onto the image grid by nearest neighbour
 * (*corrected set, caller frees), otherwise an error. Then the bounding box
 * of the label, minimumROIDimensions and minimumROISize. */
radx_status radx_check_mask(const radx_image *image, const radx_image *mask01,
                            const radx_params *params, int bbox[6], int64_t *nvoxels,
                            radx_image **corrected);

/* cropToTumorMask: the sub-volume bbox (x0,x1,y0,y1,z0,z1 inclusive)
 * widened by `pad` voxels on each side, clipped to the image; the origin
 * moves to the first kept voxel (SimpleITK's Crop). */
radx_status radx_crop(const radx_image *image, const int bbox[6], int pad, radx_image **out);

/* binImage/getBinEdges on the n voxels with mask[i] != 0: levels[i] =
 * numpy.digitize(values[i], edges) (1..ng), 0 outside the mask. Fixed bin
 * width (binWidth) unless binCount is set. *ng: highest level in the ROI.
 * More than RADX_MAX_GRAY_LEVELS bins is RADX_ERR_LIMIT. */
radx_status radx_discretize(const double *values, const uint8_t *mask, size_t n,
                            const radx_params *params, int *levels, int *ng);

/* The bin edges getBinEdges returns for the ROI values (for tests and
 * diagnostics); *edges is malloc'd, *nedges its length. */
radx_status radx_bin_edges(const double *values, const uint8_t *mask, size_t n,
                           const radx_params *params, double **edges, size_t *nedges);

/* ---- ITK building blocks shared by the steps (resample.c) ---- */

typedef enum radx_interp_kind {
    RADX_RESAMPLE_BSPLINE3 = RADX_INTERP_BSPLINE,
    RADX_RESAMPLE_LINEAR = RADX_INTERP_LINEAR,
    RADX_RESAMPLE_NEAREST = RADX_INTERP_NEAREST
} radx_interp_kind;

/* itk::ImageBase: index -> physical point matrix (direction * diag(spacing))
 * and its inverse. */
void radx_itk_index_to_point_matrix(const radx_image *image, double m[9]);
radx_status radx_itk_point_to_index_matrix(const radx_image *image, double inv[9]);

/* TransformIndexToPhysicalPoint (integer index), TransformContinuousIndex-
 * ToPhysicalPoint and TransformPhysicalPointToContinuousIndex, with ITK's
 * order of operations. */
void radx_itk_index_to_point(const radx_image *image, const double m[9],
                             const int64_t index[3], double point[3]);
void radx_itk_cindex_to_point(const radx_image *image, const double m[9],
                              const double cindex[3], double point[3]);
void radx_itk_point_to_cindex(const radx_image *image, const double inv[9],
                              const double point[3], double cindex[3]);

/* ResampleImageFilter (identity transform, default value 0) of `input` onto
 * the grid of `grid` (size, origin, spacing, direction; its data are
 * ignored), output cast to `out_type`. `*out` is a new image on that grid. */
radx_status radx_resample_onto(const radx_image *input, const radx_image *grid,
                               radx_interp_kind interp, radx_pixel_type out_type,
                               radx_image **out);

#ifdef __cplusplus
}
#endif
#endif
