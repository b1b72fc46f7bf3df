/* First-order grey-level histogram: the number of ROI voxels of each level
 * 1..ng (PyRadiomics firstorder.py, np.bincount of the discretised ROI
 * voxels). One work-item per bounding-box voxel; output of a job: width = ng
 * uint counts, bin g - 1 for level g. Integer atomics only. */
__kernel void radx_histogram_counts(__global const ushort *levels,
                                    __global const radx_cl_roi_desc *rois,
                                    __global const radx_cl_job *jobs, int njobs, int total,
                                    __global uint *counts)
{
    int w = get_global_id(0);
    if (w >= total) return;
    const radx_cl_job job = jobs[radx_find_job(jobs, njobs, w)];
    const radx_cl_roi_desc r = rois[job.roi];
    int level = levels[r.voxel_offset + (w - job.work_start)];
    if (level != 0) atomic_inc(&counts[job.output_offset + level - 1]);
}
