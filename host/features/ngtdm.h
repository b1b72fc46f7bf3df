/* Neighbouring Grey Tone Difference Matrix (NGTDM) features, as PyRadiomics
 * 3.1 (radiomics/ngtdm.py, src/cmatrices.c calculate_ngtdm) computes them.
 *
 * Pipeline (the class's compute() runs it; an OpenCL path may replace the
 * matrix builder and reuse the rest):
 *   1. radx_ngtdm_build(): for every ROI voxel of grey level i, A = the mean
 *      grey level of its neighbours that lie in the ROI (offsets of
 *      radx_angles_generate() for opts->distances, bidirectional, force2D
 *      from opts; incomplete neighbourhoods accepted); n_i += 1 and
 *      s_i += |i - A| (0 when the voxel has no ROI neighbour: PyRadiomics
 *      still counts such a voxel in n_i).
 *   2. radx_ngtdm_matrix_features(): the 5 features.
 * Memory: 2 x nlevels. */
#ifndef RADX_FEATURES_NGTDM_H
#define RADX_FEATURES_NGTDM_H

#include <stdint.h>

#include "radx/features.h"

/* Feature indices: PyRadiomics' alphabetical order. */
enum radx_ngtdm_feature {
    RADX_NGTDM_BUSYNESS = 0,
    RADX_NGTDM_COARSENESS,
    RADX_NGTDM_COMPLEXITY,
    RADX_NGTDM_CONTRAST,
    RADX_NGTDM_STRENGTH,
    RADX_NGTDM_NFEATURES
};

extern const radx_feature_class radx_class_ngtdm;

/* One row per grey level present (level_values order). Rows with count 0
 * are ignored by the features (PyRadiomics deletes them). */
typedef struct radx_ngtdm_matrix {
    int nlevels;
    int64_t *count;              /* n_i: ROI voxels of level i */
    double *diff_sum;            /* s_i: sum of |i - A| over those voxels, in voxel order */
} radx_ngtdm_matrix;

/* A zeroed matrix of nlevels rows. */
radx_status radx_ngtdm_matrix_alloc(int nlevels, radx_ngtdm_matrix *matrix);
void radx_ngtdm_matrix_free(radx_ngtdm_matrix *matrix);

/* Allocate and fill `matrix` (free with radx_ngtdm_matrix_free). Reads
 * opts->distances and opts->force2d / force2d_axis. */
radx_status radx_ngtdm_build(const radx_roi *roi, const radx_feature_opts *opts,
                             radx_ngtdm_matrix *matrix);

/* The 5 features, in enum order, into out[0..4]. level_values[i] is the
 * grey-level value of row i (PyRadiomics' third NGTDM column). */
radx_status radx_ngtdm_matrix_features(const radx_ngtdm_matrix *matrix, const int *level_values,
                                       double *out);

#endif
