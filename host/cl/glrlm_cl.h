/* GLRLM on the device: the run matrices of every angle of every ROI of a
 * batch (kernels/glrlm.cl), identical to radx_glrlm_build's, and the class
 * features from them as host/features/glrlm.c computes them. */
#ifndef RADX_CL_GLRLM_H
#define RADX_CL_GLRLM_H

#include "cl/batch.h"
#include "features/glrlm.h"

/* One ROI's run matrices, or with a device reduction its per-angle
 * features (kernels/glrlm_features.cl); on_device 0: radx_cl_glrlm_compute
 * runs the CPU class (a ROI that fails its checks or exceeds the device
 * budget). */
typedef struct radx_cl_glrlm_set {
    int on_device;
    int nangles;
    radx_angle *angles;              /* distance 1, radx_angles_generate order */
    radx_glrlm_matrix *matrices;     /* [nangles], host reduction */
    radx_glrlm_values *values;       /* [nvalues], device reduction (NULL otherwise) */
    int nvalues;                     /* nangles, or 1 with weightingNorm */
} radx_cl_glrlm_set;

/* The sets of every ROI of a batch, reduced on the host (radx_cl_glrlm_compute
 * from the matrices). */
radx_status radx_cl_glrlm_build(radx_cl_context *ctx, const radx_cl_batch *batch,
                                const radx_feature_opts *const *opts, radx_cl_glrlm_set *sets);

/* As radx_cl_glrlm_build; `reduce` 1: reduce to features on the device
 * (sets get values instead of matrices). */
radx_status radx_cl_glrlm_build_reduced(radx_cl_context *ctx, const radx_cl_batch *batch,
                                        const radx_feature_opts *const *opts,
                                        radx_cl_glrlm_set *sets, int reduce);

void radx_cl_glrlm_set_free(radx_cl_glrlm_set *set);

radx_status radx_cl_glrlm_compute(const radx_roi *roi, const radx_feature_opts *opts,
                                  const radx_cl_glrlm_set *set, double *out);

#endif
