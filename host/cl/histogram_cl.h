/* First-order grey-level histogram on the device (kernels/histogram.cl):
 * the number of ROI voxels of each level 1..ng, for every ROI of a batch. */
#ifndef RADX_CL_HISTOGRAM_H
#define RADX_CL_HISTOGRAM_H

#include <stdint.h>

#include "cl/batch.h"

/* on_device 0: the ROI was not packed (see radx_cl_batch_create). */
typedef struct radx_cl_histogram_set {
    int on_device;
    int ng;
    int64_t *counts;                 /* [ng]: counts[g - 1] voxels of level g */
} radx_cl_histogram_set;

radx_status radx_cl_histogram_build(radx_cl_context *ctx, const radx_cl_batch *batch,
                                    radx_cl_histogram_set *sets);

void radx_cl_histogram_set_free(radx_cl_histogram_set *set);

#endif
