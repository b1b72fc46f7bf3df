/* Grey Level Dependence Matrix (GLDM) features, as PyRadiomics 3.1
 * (radiomics/gldm.py, src/cmatrices.c calculate_gldm) computes them. IBSI
 * calls it the neighbouring grey level dependence matrix (NGLDM).
 *
 * Pipeline (the class's compute() runs it; an OpenCL path may replace the
 * matrix builder and reuse the rest):
 *   1. radx_gldm_build(): for every ROI voxel, the number of ROI neighbours
 *      (offsets of radx_angles_generate() for opts->distances, bidirectional,
 *      force2D from opts) whose grey level differs by at most
 *      opts->gldm_a; integer counts per (grey level present, dependence).
 *   2. radx_gldm_matrix_features(): the 14 features of that matrix.
 * Memory: nlevels x (largest dependence + 1) counts. */
#ifndef RADX_FEATURES_GLDM_H
#define RADX_FEATURES_GLDM_H

#include <stdint.h>

#include "radx/features.h"

/* Feature indices: PyRadiomics' alphabetical order; the deprecated
 * DependencePercentage and GrayLevelNonUniformityNormalized are left out. */
enum radx_gldm_feature {
    RADX_GLDM_DEPENDENCE_ENTROPY = 0,
    RADX_GLDM_DEPENDENCE_NON_UNIFORMITY,
    RADX_GLDM_DEPENDENCE_NON_UNIFORMITY_NORMALIZED,
    RADX_GLDM_DEPENDENCE_VARIANCE,
    RADX_GLDM_GRAY_LEVEL_NON_UNIFORMITY,
    RADX_GLDM_GRAY_LEVEL_VARIANCE,
    RADX_GLDM_HIGH_GRAY_LEVEL_EMPHASIS,
    RADX_GLDM_LARGE_DEPENDENCE_EMPHASIS,
    RADX_GLDM_LARGE_DEPENDENCE_HIGH_GRAY_LEVEL_EMPHASIS,
    RADX_GLDM_LARGE_DEPENDENCE_LOW_GRAY_LEVEL_EMPHASIS,
    RADX_GLDM_LOW_GRAY_LEVEL_EMPHASIS,
    RADX_GLDM_SMALL_DEPENDENCE_EMPHASIS,
    RADX_GLDM_SMALL_DEPENDENCE_HIGH_GRAY_LEVEL_EMPHASIS,
    RADX_GLDM_SMALL_DEPENDENCE_LOW_GRAY_LEVEL_EMPHASIS,
    RADX_GLDM_NFEATURES
};

extern const radx_feature_class radx_class_gldm;

/* Dependence counts. counts[i * ndependences + c] is the number of ROI
 * voxels of grey level level_values[i] with c dependent neighbours, i.e.
 * dependence size j = c + 1 (the centre voxel included, as PyRadiomics'
 * jvector and IBSI's dependence count). ndependences = the largest number of
 * dependent neighbours found + 1; empty columns change no feature. */
typedef struct radx_gldm_matrix {
    int nlevels;
    int ndependences;
    int64_t *counts;             /* [nlevels * ndependences] */
} radx_gldm_matrix;

/* A zeroed nlevels x ndependences matrix. */
radx_status radx_gldm_matrix_alloc(int nlevels, int ndependences, radx_gldm_matrix *matrix);
void radx_gldm_matrix_free(radx_gldm_matrix *matrix);

/* Allocate and fill `matrix` (free with radx_gldm_matrix_free). Reads
 * opts->distances, opts->force2d / force2d_axis and opts->gldm_a: a
 * neighbour is dependent when |i - j| <= gldm_a (PyRadiomics parses gldm_a
 * as an integer; for integer grey levels and gldm_a >= 0 that is the same). */
radx_status radx_gldm_build(const radx_roi *roi, const radx_feature_opts *opts,
                            radx_gldm_matrix *matrix);

/* The 14 features of a dependence matrix, in enum order, into out[0..13].
 * level_values[i] is the grey-level value of row i. */
radx_status radx_gldm_matrix_features(const radx_gldm_matrix *matrix, const int *level_values,
                                      double *out);

#endif
