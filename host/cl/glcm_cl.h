/* GLCM on the device: the matrices of every angle of every ROI of a batch
 * (kernels/glcm.cl), identical to radx_glcm_build's, and the class features
 * from them as host/features/glcm.c computes them, or reduced on the device
 * (kernels/glcm_features.cl). */
#ifndef RADX_CL_GLCM_H
#define RADX_CL_GLCM_H

#include "cl/batch.h"
#include "features/glcm.h"

/* One ROI's GLCMs. on_device 0: not built here (the ROI fails a check of
 * the CPU class or exceeds the device budget); radx_cl_glcm_compute then
 * runs the CPU class, which gives the same values or the same error. */
typedef struct radx_cl_glcm_set {
    int on_device;
    int nangles;
    radx_angle *angles;              /* radx_angles_generate order */
    radx_glcm_matrix *matrices;      /* [nangles], host reduction */
    radx_glcm_values *values;        /* [nvalues], device reduction (NULL otherwise) */
    int nvalues;                     /* nangles, or 1 with weightingNorm */
} radx_cl_glcm_set;

/* sets[i] for every ROI of the batch, with opts[i] (distances, force2D,
 * symmetrical_glcm). Free each set with radx_cl_glcm_set_free. */
radx_status radx_cl_glcm_build(radx_cl_context *ctx, const radx_cl_batch *batch,
                               const radx_feature_opts *const *opts, radx_cl_glcm_set *sets);

/* As radx_cl_glcm_build; `reduce` 1: the per-angle features are reduced on
 * the device (kernels/glcm_features.cl; sets get values instead of
 * matrices, except a ROI whose scratch exceeds the device budget, whose
 * matrices are read back). */
radx_status radx_cl_glcm_build_reduced(radx_cl_context *ctx, const radx_cl_batch *batch,
                                       const radx_feature_opts *const *opts, radx_cl_glcm_set *sets,
                                       int reduce);

void radx_cl_glcm_set_free(radx_cl_glcm_set *set);

/* The class features of one ROI from its set (radx_class_glcm.compute's
 * steps: per-angle features and mean, or the weighted sum of angles). */
radx_status radx_cl_glcm_compute(const radx_roi *roi, const radx_feature_opts *opts,
                                 const radx_cl_glcm_set *set, double *out);

#endif
