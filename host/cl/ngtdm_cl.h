/* NGTDM on the device: n_i and s_i of every ROI of a batch
 * (kernels/ngtdm.cl), equal to radx_ngtdm_build's (s_i bit for bit: summed
 * in the CPU's voxel order), and the class features with
 * host/features/ngtdm.c or reduced on the device (kernels/ngtdm_features.cl). */
#ifndef RADX_CL_NGTDM_H
#define RADX_CL_NGTDM_H

#include "cl/batch.h"
#include "features/ngtdm.h"

/* on_device 0: radx_cl_ngtdm_compute runs the CPU class. */
typedef struct radx_cl_ngtdm_set {
    int on_device;
    radx_ngtdm_matrix matrix;
    int reduced;                     /* 1: `features` from kernels/ngtdm_features.cl, no matrix */
    int no_voxel;                    /* reduced, and no row counts a voxel (RADX_ERR_NUMERIC) */
    double features[RADX_NGTDM_NFEATURES];
} radx_cl_ngtdm_set;

/* The sets of every ROI of a batch, reduced on the host. */
radx_status radx_cl_ngtdm_build(radx_cl_context *ctx, const radx_cl_batch *batch,
                                const radx_feature_opts *const *opts, radx_cl_ngtdm_set *sets);

/* As radx_cl_ngtdm_build; `reduce` 1: the features are reduced on the
 * device (sets get features instead of rows). */
radx_status radx_cl_ngtdm_build_reduced(radx_cl_context *ctx, const radx_cl_batch *batch,
                                        const radx_feature_opts *const *opts,
                                        radx_cl_ngtdm_set *sets, int reduce);

void radx_cl_ngtdm_set_free(radx_cl_ngtdm_set *set);

radx_status radx_cl_ngtdm_compute(const radx_roi *roi, const radx_feature_opts *opts,
                                  const radx_cl_ngtdm_set *set, double *out);

#endif
