/* radx OpenCL kernels: the tables the host and every kernel share.
 *
 * This file is read twice: by the host compiler (host/cl/batch.h includes
 * it, so that both sides agree on the layout) and by the OpenCL compiler
 * (host/cl/runtime.c puts it in front of every kernel source). Every field is
 * a 32-bit int, so the structs have no padding on either side.
 *
 * Data of one batch (host/cl/batch.c):
 *   levels[]  ushort per bounding-box voxel of every ROI, concatenated: the
 *             discretised grey level 1..ng inside the ROI, 0 outside.
 *   ranks[]   per ROI, ng + 1 ints: the row of level g in the ROI's matrices
 *             (radx_roi.level_rank), -1 for absent levels.
 *   rois[]    one radx_cl_roi_desc per ROI.
 * One kernel launch works on a list of jobs (one per ROI taking part); its
 * work-items are the voxels of the jobs laid end to end: work-item w belongs
 * to the job j with jobs[j].work_start <= w < jobs[j + 1].work_start. */
#ifndef RADX_KERNELS_COMMON_H
#define RADX_KERNELS_COMMON_H

#ifdef __OPENCL_VERSION__
typedef int radx_i32;
#else
#include <stdint.h>
typedef int32_t radx_i32;
#endif

/* One ROI of the batch: where its voxels and rank table start, its
 * bounding-box size, its highest grey level (PyRadiomics Ng) and the number
 * of grey levels present (the rows of its matrices). */
typedef struct radx_cl_roi_desc {
    radx_i32 voxel_offset;
    radx_i32 size_x, size_y, size_z;
    radx_i32 rank_offset;
    radx_i32 ng;
    radx_i32 nlevels;
    radx_i32 reserved;
} radx_cl_roi_desc;

/* One ROI in one launch: its first work-item, where its output starts in the
 * launch's output buffer, its neighbour offsets in the launch's angle table
 * and the row width of its matrices (family-specific: nlevels for GLCM,
 * longest run for GLRLM, largest zone for GLSZM, dependence sizes for GLDM,
 * ng for the histogram). */
typedef struct radx_cl_job {
    radx_i32 roi;
    radx_i32 work_start;
    radx_i32 output_offset;
    radx_i32 angle_offset;
    radx_i32 nangles;
    radx_i32 width;
    radx_i32 reserved[2];
} radx_cl_job;

#ifdef __OPENCL_VERSION__

/* The job that work-item `w` belongs to: the last job whose work_start is
 * <= w (jobs are sorted by work_start). Binary search, O(log njobs). */
int radx_find_job(__global const radx_cl_job *jobs, int njobs, int w)
{
    int lo = 0, hi = njobs - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) >> 1;
        if (jobs[mid].work_start <= w) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}

/* Bounding-box coordinates of voxel k (x fastest, as radx_roi). */
int4 radx_voxel_coords(const radx_cl_roi_desc r, int k)
{
    int plane = r.size_x * r.size_y;
    return (int4)(k % r.size_x, (k % plane) / r.size_x, k / plane, 0);
}

/* Index of p inside the box, or -1 when p lies outside it. */
int radx_box_index(const radx_cl_roi_desc r, int4 p)
{
    if (p.x < 0 || p.y < 0 || p.z < 0 || p.x >= r.size_x || p.y >= r.size_y || p.z >= r.size_z)
        return -1;
    return p.x + r.size_x * (p.y + r.size_y * p.z);
}

/* Grey level at p (0 outside the box or the ROI). */
int radx_level_at(__global const ushort *levels, const radx_cl_roi_desc r, int4 p)
{
    int k = radx_box_index(r, p);
    return k < 0 ? 0 : (int)levels[r.voxel_offset + k];
}

#endif /* __OPENCL_VERSION__ */
#endif
