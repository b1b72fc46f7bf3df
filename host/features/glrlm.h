/* Grey Level Run Length Matrix (GLRLM) features, as PyRadiomics 3.1
 * (radiomics/glrlm.py, src/cmatrices.c calculate_glrlm) computes them.
 *
 * Pipeline (the class's compute() runs it; an OpenCL path may replace the
 * matrix builder and reuse the rest):
 *   1. radx_glrlm_build(): integer run counts of ONE angle (distance-1
 *      offsets only, whatever the GLCM distances) over the grey levels
 *      present in the ROI and run lengths 1..maxrun.
 *   2. Average mode (weightingNorm unset): radx_glrlm_matrix_features() per
 *      angle, then radx_glrlm_combine(). Weighted modes: each angle's counts
 *      times radx_glrlm_angle_weight() summed into one double matrix
 *      (radx_glrlm_accumulate), features once, radx_glrlm_combine() on it.
 * Memory: O(nlevels * maxrun) plus one value set per angle. */
#ifndef RADX_FEATURES_GLRLM_H
#define RADX_FEATURES_GLRLM_H

#include <stdint.h>

#include "radx/features.h"
#include "features/angles.h"

/* Feature indices in PyRadiomics' alphabetical order. */
enum radx_glrlm_feature {
    RADX_GLRLM_GRAY_LEVEL_NON_UNIFORMITY = 0,
    RADX_GLRLM_GRAY_LEVEL_NON_UNIFORMITY_NORMALIZED,
    RADX_GLRLM_GRAY_LEVEL_VARIANCE,
    RADX_GLRLM_HIGH_GRAY_LEVEL_RUN_EMPHASIS,
    RADX_GLRLM_LONG_RUN_EMPHASIS,
    RADX_GLRLM_LONG_RUN_HIGH_GRAY_LEVEL_EMPHASIS,
    RADX_GLRLM_LONG_RUN_LOW_GRAY_LEVEL_EMPHASIS,
    RADX_GLRLM_LOW_GRAY_LEVEL_RUN_EMPHASIS,
    RADX_GLRLM_RUN_ENTROPY,
    RADX_GLRLM_RUN_LENGTH_NON_UNIFORMITY,
    RADX_GLRLM_RUN_LENGTH_NON_UNIFORMITY_NORMALIZED,
    RADX_GLRLM_RUN_PERCENTAGE,
    RADX_GLRLM_RUN_VARIANCE,
    RADX_GLRLM_SHORT_RUN_EMPHASIS,
    RADX_GLRLM_SHORT_RUN_HIGH_GRAY_LEVEL_EMPHASIS,
    RADX_GLRLM_SHORT_RUN_LOW_GRAY_LEVEL_EMPHASIS,
    RADX_GLRLM_NFEATURES
};

extern const radx_feature_class radx_class_glrlm;

/* Run counts of one angle: counts[i * maxrun + (r - 1)] is the number of
 * maximal runs of ROI voxels with level level_values[i] and length r along
 * the angle's offset (a run ends at the bounding box, at a voxel outside the
 * ROI or at a different level). maxrun = max(roi->size), PyRadiomics' Nr
 * column count (np.max(imageArray.shape)). */
typedef struct radx_glrlm_matrix {
    int nlevels;
    int maxrun;
    int64_t *counts;             /* [nlevels * maxrun] */
} radx_glrlm_matrix;

radx_status radx_glrlm_matrix_alloc(int nlevels, int maxrun, radx_glrlm_matrix *matrix);
void radx_glrlm_matrix_free(radx_glrlm_matrix *matrix);

/* Fill `matrix` (allocated for roi->nlevels and max(roi->size)) with the
 * runs along one angle. */
radx_status radx_glrlm_build(const radx_roi *roi, const radx_angle *angle,
                             radx_glrlm_matrix *matrix);

/* weighted[k] += weight * counts[k] for all nlevels * maxrun cells. */
void radx_glrlm_accumulate(const radx_glrlm_matrix *matrix, double weight, double *weighted);

/* PyRadiomics glrlm.py angle weight: the norm of the spacing-scaled offset
 * itself (infinity: max, euclidean: sqrt of sum of squares, manhattan: sum),
 * 1 for no_weighting / unset. Unlike GLCM there is no exp(-d^2). */
double radx_glrlm_angle_weight(const radx_angle *angle, const double spacing[3],
                               radx_weighting weighting);

/* The features of one (weighted) run matrix, before angle combination. */
typedef struct radx_glrlm_values {
    double feature[RADX_GLRLM_NFEATURES];
    int empty;                   /* no runs (Nr = 0): all features NaN */
} radx_glrlm_values;

/* Features of P (nlevels x maxrun, counts or weighted counts, column c is
 * run length c + 1); level_values: grey-level value of each row. */
radx_status radx_glrlm_matrix_features(const double *P, int nlevels, int maxrun,
                                       const int *level_values, radx_glrlm_values *values);

/* PyRadiomics combination: with more than one set, empty ones are dropped;
 * each feature is the nanmean over the rest. out: [RADX_GLRLM_NFEATURES]. */
void radx_glrlm_combine(const radx_glrlm_values *values, int nvalues, double *out);

#endif
