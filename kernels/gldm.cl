/* GLDM counts, as host/features/gldm.c radx_gldm_build (PyRadiomics
 * cmatrices.c calculate_gldm): for every ROI voxel, the number c of its
 * neighbours (the job's offsets: every distance, both directions) that lie
 * in the box and the ROI and whose grey level differs by at most alpha;
 * P(rank(level), c) += 1.
 *
 * The job's reserved[0] is alpha as an integer (host/cl/gldm_cl.c): for integer grey
 * levels |i - j| <= alpha holds exactly when |i - j| <= floor(alpha), and
 * never when alpha < 0 (threshold -1). One work-item per bounding-box voxel.
 * Output of a job: nlevels x width uint counts, width = nangles + 1. */
__kernel void radx_gldm_counts(__global const ushort *levels,
                               __global const int *ranks,
                               __global const radx_cl_roi_desc *rois,
                               __global const radx_cl_job *jobs, int njobs, int total,
                               __global const int4 *angles,
                               __global uint *counts)
{
    int w = get_global_id(0);
    if (w >= total) return;
    const radx_cl_job job = jobs[radx_find_job(jobs, njobs, w)];
    const radx_cl_roi_desc r = rois[job.roi];
    int k = w - job.work_start;
    int level = levels[r.voxel_offset + k];
    if (level == 0) return;
    int4 p = radx_voxel_coords(r, k);
    int threshold = job.reserved[0];
    int dependent = 0;
    for (int a = 0; a < job.nangles; a++) {
        int neighbour = radx_level_at(levels, r, p + angles[job.angle_offset + a]);
        if (neighbour != 0 && abs(level - neighbour) <= threshold) dependent++;
    }
    int row = ranks[r.rank_offset + level];
    atomic_inc(&counts[job.output_offset + row * job.width + dependent]);
}
