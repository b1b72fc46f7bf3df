/* Grey Level Size Zone Matrix (GLSZM) features, as PyRadiomics 3.1
 * (radiomics/glszm.py, src/cmatrices.c calculate_glszm) computes them.
 *
 * Pipeline (the class's compute() runs it; an OpenCL path may replace the
 * matrix builder and reuse the rest):
 *   1. radx_glszm_build(): zones = connected ROI voxels of equal grey level,
 *      neighbours being the offsets radx_angles_generate() gives at distance
 *      1, bidirectional (26-connectivity in 3D, 8 in plane under force2D,
 *      fewer where the bounding box is 1 voxel thick). Integer counts of
 *      zones per (grey level present, zone size).
 *   2. radx_glszm_matrix_features(): the 16 features of that matrix.
 * Memory: O(ROI bounding box) for the flood fill, nlevels x largest zone for
 * the matrix (PyRadiomics allocates the same dense matrix). */
#ifndef RADX_FEATURES_GLSZM_H
#define RADX_FEATURES_GLSZM_H

#include <stdint.h>

#include "radx/features.h"

/* Feature indices: PyRadiomics' alphabetical order (its get<Name>FeatureValue
 * methods sorted by name); GLSZM has no deprecated features. */
enum radx_glszm_feature {
    RADX_GLSZM_GRAY_LEVEL_NON_UNIFORMITY = 0,
    RADX_GLSZM_GRAY_LEVEL_NON_UNIFORMITY_NORMALIZED,
    RADX_GLSZM_GRAY_LEVEL_VARIANCE,
    RADX_GLSZM_HIGH_GRAY_LEVEL_ZONE_EMPHASIS,
    RADX_GLSZM_LARGE_AREA_EMPHASIS,
    RADX_GLSZM_LARGE_AREA_HIGH_GRAY_LEVEL_EMPHASIS,
    RADX_GLSZM_LARGE_AREA_LOW_GRAY_LEVEL_EMPHASIS,
    RADX_GLSZM_LOW_GRAY_LEVEL_ZONE_EMPHASIS,
    RADX_GLSZM_SIZE_ZONE_NON_UNIFORMITY,
    RADX_GLSZM_SIZE_ZONE_NON_UNIFORMITY_NORMALIZED,
    RADX_GLSZM_SMALL_AREA_EMPHASIS,
    RADX_GLSZM_SMALL_AREA_HIGH_GRAY_LEVEL_EMPHASIS,
    RADX_GLSZM_SMALL_AREA_LOW_GRAY_LEVEL_EMPHASIS,
    RADX_GLSZM_ZONE_ENTROPY,
    RADX_GLSZM_ZONE_PERCENTAGE,
    RADX_GLSZM_ZONE_VARIANCE,
    RADX_GLSZM_NFEATURES
};

extern const radx_feature_class radx_class_glszm;

/* Zone counts. counts[i * nsizes + (s - 1)] is the number of zones of grey
 * level level_values[i] (the ROI's i-th present level) made of s voxels.
 * nsizes is the size of the largest zone found; sizes no zone has are zero
 * columns (PyRadiomics deletes them; they change no feature). */
typedef struct radx_glszm_matrix {
    int nlevels;
    int64_t nsizes;
    int64_t *counts;             /* [nlevels * nsizes] */
} radx_glszm_matrix;

/* A zeroed nlevels x nsizes matrix; RADX_ERR_LIMIT if the cell count does not
 * fit in memory addressing, RADX_ERR_NOMEM if allocation fails. */
radx_status radx_glszm_matrix_alloc(int nlevels, int64_t nsizes, radx_glszm_matrix *matrix);
void radx_glszm_matrix_free(radx_glszm_matrix *matrix);

/* Find every zone of the ROI (iterative flood fill in voxel order, x
 * fastest) and allocate + fill `matrix` (free with radx_glszm_matrix_free).
 * Connectivity: distance 1, force2D from opts (opts->distances is NOT used:
 * PyRadiomics passes no distances to calculate_glszm). */
radx_status radx_glszm_build(const radx_roi *roi, const radx_feature_opts *opts,
                             radx_glszm_matrix *matrix);

/* The 16 features of a zone matrix, in enum order, into out[0..15].
 * level_values[i] is the grey-level value of row i (PyRadiomics ivector =
 * grayLevels). Zero rows and columns change nothing. */
radx_status radx_glszm_matrix_features(const radx_glszm_matrix *matrix, const int *level_values,
                                       double *out);

#endif
