/* Grey Level Co-occurrence Matrix (GLCM) features, as PyRadiomics 3.1
 * (radiomics/glcm.py, src/cmatrices.c calculate_glcm) computes them.
 *
 * Pipeline (the class's compute() runs it; an OpenCL path may replace the
 * matrix builder and reuse the rest):
 *   1. radx_glcm_build(): integer co-occurrence counts of ONE angle over the
 *      grey levels present in the ROI (rows/columns = roi->level_values).
 *   2. Average mode (weightingNorm unset): radx_glcm_matrix_features() on
 *      each angle's matrix, then radx_glcm_combine() over the angles.
 *      Weighted modes: radx_glcm_accumulate() every angle into one double
 *      matrix with its weight, radx_glcm_matrix_features() once, then
 *      radx_glcm_combine() with that single value set.
 * Memory: O(nlevels^2) for the matrices plus one value set per angle. */
#ifndef RADX_FEATURES_GLCM_H
#define RADX_FEATURES_GLCM_H

#include <stdint.h>

#include "radx/features.h"
#include "features/angles.h"

/* Feature indices: PyRadiomics' alphabetical order (its getXFeatureValue
 * method names sorted), deprecated features left out. */
enum radx_glcm_feature {
    RADX_GLCM_AUTOCORRELATION = 0,
    RADX_GLCM_CLUSTER_PROMINENCE,
    RADX_GLCM_CLUSTER_SHADE,
    RADX_GLCM_CLUSTER_TENDENCY,
    RADX_GLCM_CONTRAST,
    RADX_GLCM_CORRELATION,
    RADX_GLCM_DIFFERENCE_AVERAGE,
    RADX_GLCM_DIFFERENCE_ENTROPY,
    RADX_GLCM_DIFFERENCE_VARIANCE,
    RADX_GLCM_ID,
    RADX_GLCM_IDM,
    RADX_GLCM_IDMN,
    RADX_GLCM_IDN,
    RADX_GLCM_IMC1,
    RADX_GLCM_IMC2,
    RADX_GLCM_INVERSE_VARIANCE,
    RADX_GLCM_JOINT_AVERAGE,
    RADX_GLCM_JOINT_ENERGY,
    RADX_GLCM_JOINT_ENTROPY,
    RADX_GLCM_MCC,
    RADX_GLCM_MAXIMUM_PROBABILITY,
    RADX_GLCM_SUM_AVERAGE,
    RADX_GLCM_SUM_ENTROPY,
    RADX_GLCM_SUM_SQUARES,
    RADX_GLCM_NFEATURES
};

extern const radx_feature_class radx_class_glcm;

/* Co-occurrence counts of one angle. counts[i * nlevels + j] is the number of
 * ROI voxel pairs (centre, centre + offset) whose levels are level_values[i]
 * (centre) and level_values[j] (neighbour); with `symmetric` the transposed
 * counts are added (PyRadiomics symmetricalGLCM: P + P^T). */
typedef struct radx_glcm_matrix {
    int nlevels;
    int64_t *counts;             /* [nlevels * nlevels] */
} radx_glcm_matrix;

radx_status radx_glcm_matrix_alloc(int nlevels, radx_glcm_matrix *matrix);
void radx_glcm_matrix_free(radx_glcm_matrix *matrix);

/* Fill `matrix` (allocated for roi->nlevels) with the counts of one angle. */
radx_status radx_glcm_build(const radx_roi *roi, const radx_angle *angle,
                            int symmetric, radx_glcm_matrix *matrix);

/* weighted[k] += weight * counts[k] for all nlevels^2 cells (PyRadiomics
 * _calculateMatrix: sum over angles of P * weights). */
void radx_glcm_accumulate(const radx_glcm_matrix *matrix, double weight,
                          double *weighted);

/* The features of one (weighted) count matrix, before angle combination. */
typedef struct radx_glcm_values {
    double feature[RADX_GLCM_NFEATURES]; /* NaN where PyRadiomics gives NaN
                                            for this matrix; MCC left NaN
                                            (see the fields below) */
    int empty;                   /* the matrix has no pairs (sum 0) */
    int eigen_failed;            /* eigenvalues of Q did not converge */
    int eigen_complex;           /* Q has an eigenvalue with imaginary part != 0 */
    double mcc_eigen_re;         /* second-largest eigenvalue of Q in numpy's */
    double mcc_eigen_im;         /* complex sort order (real, then imaginary) */
} radx_glcm_values;

/* Scratch memory for radx_glcm_matrix_features (opaque). */
typedef struct radx_glcm_workspace radx_glcm_workspace;

radx_status radx_glcm_workspace_alloc(int nlevels, int ng, radx_glcm_workspace **workspace);
void radx_glcm_workspace_free(radx_glcm_workspace *workspace);

/* Features of the matrix P (nlevels x nlevels, counts or weighted counts,
 * not normalised). level_values: the grey-level value of each row/column
 * (used as i and j); ng: PyRadiomics Ng, the highest grey level in the ROI
 * (used by Idn, Idmn and the ranges of p_{x+y}, p_{x-y}). */
radx_status radx_glcm_matrix_features(const double *P, int nlevels,
                                      const int *level_values, int ng,
                                      radx_glcm_workspace *workspace,
                                      radx_glcm_values *values);

/* Combine the value sets of the angles (or the single weighted one) into the
 * class output, as PyRadiomics does: with more than one set, empty ones are
 * dropped (glcm.py "Delete empty angles"); then each feature is the nanmean
 * over the sets; MCC follows numpy's eigvals/sqrt semantics and is 1 when
 * fewer than 2 grey levels are present. out: [RADX_GLCM_NFEATURES]. */
void radx_glcm_combine(const radx_glcm_values *values, int nvalues, int nlevels,
                       double *out);

#endif
