/* A batch: many ROIs of mixed sizes packed into one device buffer of grey
 * levels, with an offset table (kernels/common.h radx_cl_roi_desc) and the
 * ROIs' rank tables. Uploaded once and shared by every family's launches. */
#ifndef RADX_CL_BATCH_H
#define RADX_CL_BATCH_H

#include <stdint.h>

#include "cl/runtime.h"
#include "radx/features.h"
#include "../../kernels/common.h"

typedef struct radx_cl_batch {
    int nrois;
    const radx_roi *const *rois;     /* borrowed */
    radx_cl_roi_desc *desc;          /* [nrois] host copy of the offset table */
    uint8_t *packed;                 /* [nrois] 1 if the ROI is on the device */
    int64_t nvoxels;                 /* bounding-box voxels packed */
    cl_mem levels;                   /* ushort per packed voxel */
    cl_mem ranks;                    /* int, ng + 1 per packed ROI */
    cl_mem desc_buffer;              /* radx_cl_roi_desc per ROI */
} radx_cl_batch;

/* Bounding-box voxels of a ROI (0 for a degenerate size). */
int64_t radx_cl_box_voxels(const radx_roi *roi);

/* Pack and upload. A ROI is left out (packed[i] = 0, and the CPU path then
 * computes it, reproducing its result or error) when its grey levels are
 * not consistent (a mask voxel with a level outside 1..ng or absent from
 * level_rank, nvoxels not the mask's count), when ng exceeds
 * RADX_MAX_GRAY_LEVELS, or when its box exceeds the device's batch size. */
radx_status radx_cl_batch_create(radx_cl_context *ctx, const radx_roi *const *rois, int nrois,
                                 radx_cl_batch *batch);

void radx_cl_batch_free(radx_cl_batch *batch);

#endif
