/* NGTDM, as host/features/ngtdm.c radx_ngtdm_build (PyRadiomics cmatrices.c
 * calculate_ngtdm): for every ROI voxel of grey level i, A = mean grey level
 * of its neighbours (the job's offsets: every distance, both directions)
 * that lie in the box and the ROI; n_i += 1 and s_i += |i - A| (0 when no
 * neighbour is in the ROI).
 *
 * Two steps keep s_i independent of scheduling and equal, bit for bit, to
 * the CPU's sum:
 *   radx_ngtdm_terms  one work-item per voxel: |i - A| from integer
 *                     neighbour sums (IEEE division and subtraction,
 *                     correctly rounded in OpenCL's double precision);
 *   radx_ngtdm_sums   one work-item per job: n_i and s_i summed over the
 *                     ROI's voxels in memory order (x fastest), the order of
 *                     the CPU loop. No atomics on doubles.
 * Output of a job: nlevels counts (ulong) and nlevels sums (double) from
 * output_offset. Needs cl_khr_fp64. */
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
/* No fused multiply-add: the terms must round as the CPU's (-ffp-contract=off). */
#pragma OPENCL FP_CONTRACT OFF

__kernel void radx_ngtdm_terms(__global const ushort *levels,
                               __global const radx_cl_roi_desc *rois,
                               __global const radx_cl_job *jobs, int njobs, int total,
                               __global const int4 *angles,
                               __global double *terms)
{
    int w = get_global_id(0);
    if (w >= total) return;
    const radx_cl_job job = jobs[radx_find_job(jobs, njobs, w)];
    const radx_cl_roi_desc r = rois[job.roi];
    int k = w - job.work_start;
    int level = levels[r.voxel_offset + k];
    if (level == 0) return;
    int4 p = radx_voxel_coords(r, k);
    long count = 0, sum = 0;
    for (int a = 0; a < job.nangles; a++) {
        int neighbour = radx_level_at(levels, r, p + angles[job.angle_offset + a]);
        if (neighbour != 0) {
            count++;
            sum += neighbour;
        }
    }
    terms[w] = count == 0 ? 0.0 : fabs((double)level - (double)sum / (double)count);
}

__kernel void radx_ngtdm_sums(__global const ushort *levels,
                              __global const int *ranks,
                              __global const radx_cl_roi_desc *rois,
                              __global const radx_cl_job *jobs, int njobs,
                              __global const double *terms,
                              __global ulong *counts, __global double *sums)
{
    int j = get_global_id(0);
    if (j >= njobs) return;
    const radx_cl_job job = jobs[j];
    const radx_cl_roi_desc r = rois[job.roi];
    int nvoxels = r.size_x * r.size_y * r.size_z;
    __global ulong *n = counts + job.output_offset;
    __global double *s = sums + job.output_offset;
    for (int i = 0; i < r.nlevels; i++) {
        n[i] = 0;
        s[i] = 0.0;
    }
    for (int k = 0; k < nvoxels; k++) {
        int level = levels[r.voxel_offset + k];
        if (level == 0) continue;
        int row = ranks[r.rank_offset + level];
        n[row] += 1;
        s[row] += terms[job.work_start + k];
    }
}
