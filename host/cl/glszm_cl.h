/* GLSZM on the device: the zone matrix of every ROI of a batch
 * (kernels/glszm.cl: parallel union-find, zone sizes, matrix), identical to
 * radx_glszm_build's, and the class features with host/features/glszm.c or
 * reduced on the device (kernels/glszm_features.cl). */
#ifndef RADX_CL_GLSZM_H
#define RADX_CL_GLSZM_H

#include "cl/batch.h"
#include "features/glszm.h"

/* on_device 0: radx_cl_glszm_compute runs the CPU class. */
typedef struct radx_cl_glszm_set {
    int on_device;
    radx_glszm_matrix matrix;        /* nlevels x largest zone, as the CPU's */
    int reduced;                     /* 1: `features` from kernels/glszm_features.cl, no matrix */
    double features[RADX_GLSZM_NFEATURES];
} radx_cl_glszm_set;

/* The sets of every ROI of a batch, reduced on the host. */
radx_status radx_cl_glszm_build(radx_cl_context *ctx, const radx_cl_batch *batch,
                                const radx_feature_opts *const *opts, radx_cl_glszm_set *sets);

/* As radx_cl_glszm_build; `reduce` 1: the features are reduced on the
 * device (sets get features instead of matrices). */
radx_status radx_cl_glszm_build_reduced(radx_cl_context *ctx, const radx_cl_batch *batch,
                                        const radx_feature_opts *const *opts,
                                        radx_cl_glszm_set *sets, int reduce);

void radx_cl_glszm_set_free(radx_cl_glszm_set *set);

radx_status radx_cl_glszm_compute(const radx_roi *roi, const radx_feature_opts *opts,
                                  const radx_cl_glszm_set *set, double *out);

#endif
