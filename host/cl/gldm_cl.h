/* GLDM on the device: the dependence matrix of every ROI of a batch
 * (kernels/gldm.cl), identical to radx_gldm_build's, and the class features
 * from it with host/features/gldm.c. */
#ifndef RADX_CL_GLDM_H
#define RADX_CL_GLDM_H

#include "cl/batch.h"
#include "features/gldm.h"

/* on_device 0: radx_cl_gldm_compute runs the CPU class. */
typedef struct radx_cl_gldm_set {
    int on_device;
    radx_gldm_matrix matrix;         /* trimmed to the largest dependence + 1, as the CPU's */
    int reduced;                     /* 1: `features` from kernels/gldm_features.cl, no matrix */
    double features[RADX_GLDM_NFEATURES];
} radx_cl_gldm_set;

/* The sets of every ROI of a batch, reduced on the host. */
radx_status radx_cl_gldm_build(radx_cl_context *ctx, const radx_cl_batch *batch,
                               const radx_feature_opts *const *opts, radx_cl_gldm_set *sets);

/* As radx_cl_gldm_build; `reduce` 1: the features are reduced on the
 * device (sets get features instead of matrices). */
radx_status radx_cl_gldm_build_reduced(radx_cl_context *ctx, const radx_cl_batch *batch,
                                       const radx_feature_opts *const *opts, radx_cl_gldm_set *sets,
                                       int reduce);

void radx_cl_gldm_set_free(radx_cl_gldm_set *set);

radx_status radx_cl_gldm_compute(const radx_roi *roi, const radx_feature_opts *opts,
                                 const radx_cl_gldm_set *set, double *out);

/* gldm_a as the integer threshold of kernels/gldm.cl: for integer grey
 * levels, |i - j| <= alpha exactly when |i - j| <= floor(alpha); -1 (never)
 * when alpha < 0 or NaN. */
int radx_cl_gldm_threshold(double alpha);

#endif
