/* GLRLM counts, as host/features/glrlm.c radx_glrlm_build (PyRadiomics
 * cmatrices.c calculate_glrlm): every ROI voxel lies on exactly one maximal
 * run per angle. A voxel starts a run when the voxel one step back along the
 * offset is outside the box or the ROI or has another grey level; the
 * work-item of that voxel follows the run forward and adds one to
 * P_angle(rank(level), length - 1).
 *
 * PyRadiomics drops an angle along which no line through the box holds two
 * or more ROI voxels (calculate_glrlm "multiElement"; radx_glrlm_build
 * zeroes that angle's matrix). Here multi[reserved[1] + angle] is set to 1
 * when a run is longer than one voxel, or when, walking on from the end of a
 * one-voxel run, another ROI voxel lies further along the line (each gap is
 * walked by the run before it only, so the walks cost O(box) per angle); the
 * host zeroes the angles whose flag stays 0.
 *
 * One work-item per bounding-box voxel. Output of a job: nangles matrices of
 * nlevels x width (width = max(size), PyRadiomics' Nr) uint counts. */
__kernel void radx_glrlm_counts(__global const ushort *levels,
                                __global const int *ranks,
                                __global const radx_cl_roi_desc *rois,
                                __global const radx_cl_job *jobs, int njobs, int total,
                                __global const int4 *angles,
                                __global uint *counts, volatile __global uint *multi)
{
    int w = get_global_id(0);
    if (w >= total) return;
    const radx_cl_job job = jobs[radx_find_job(jobs, njobs, w)];
    const radx_cl_roi_desc r = rois[job.roi];
    int k = w - job.work_start;
    int level = levels[r.voxel_offset + k];
    if (level == 0) return;
    int4 p = radx_voxel_coords(r, k);
    int row = ranks[r.rank_offset + level];
    size_t cells = (size_t)r.nlevels * job.width;
    for (int a = 0; a < job.nangles; a++) {
        int4 step = angles[job.angle_offset + a];
        if (radx_level_at(levels, r, p - step) == level) continue; /* not the first voxel */
        int length = 1;
        while (radx_level_at(levels, r, p + length * step) == level) length++;
        atomic_inc(&counts[job.output_offset + a * cells + (size_t)row * job.width + (length - 1)]);
        volatile __global uint *flag = &multi[job.reserved[1] + a];
        if (*flag) continue; /* already known; a stale 0 only costs a walk */
        int more = length > 1;
        for (int k = length; !more && radx_box_index(r, p + k * step) >= 0; k++)
            more = radx_level_at(levels, r, p + k * step) != 0;
        if (more) atomic_or(flag, 1u);
    }
}
