/* GLCM counts, as host/features/glcm.c radx_glcm_build (PyRadiomics
 * cmatrices.c calculate_glcm): for every ROI voxel (centre) and every angle
 * whose neighbour centre + offset lies in the box and the ROI, add one to
 * P_angle(rank(centre), rank(neighbour)); with `symmetric` also to the
 * transposed cell, which gives P + P^T (glcm.py symmetricalGLCM);
 * `symmetric` is the job's reserved[0].
 *
 * One work-item per bounding-box voxel. Output of a job: nangles matrices of
 * nlevels x nlevels uint counts, angle after angle, from output_offset.
 * Integer atomics only: the counts do not depend on the order of updates. */
__kernel void radx_glcm_counts(__global const ushort *levels,
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
    int n = r.nlevels;
    int row = ranks[r.rank_offset + level];
    int symmetric = job.reserved[0];
    for (int a = 0; a < job.nangles; a++) {
        int neighbour = radx_level_at(levels, r, p + angles[job.angle_offset + a]);
        if (neighbour == 0) continue;
        int col = ranks[r.rank_offset + neighbour];
        __global uint *m = counts + job.output_offset + (size_t)a * n * n;
        atomic_inc(&m[row * n + col]);
        if (symmetric) atomic_inc(&m[col * n + row]);
    }
}
