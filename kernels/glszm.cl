/* GLSZM zones, as host/features/glszm.c radx_glszm_build (PyRadiomics
 * cmatrices.c calculate_glszm): a zone is a set of ROI voxels of one grey
 * level connected through the job's offsets (distance 1: 26-connectivity in
 * 3D, 8 in plane). The CPU grows zones by flood fill; here zones are found by
 * parallel union-find (Playne & Hawick, "A new algorithm for parallel
 * connected-component labelling on GPUs", IEEE TPDS 2018):
 *   1. radx_glszm_init     parent[w] = w for ROI voxels, NONE outside;
 *   2. radx_glszm_merge    union of every voxel with each neighbour of the
 *                          same level (half of the offsets suffice: the
 *                          relation is symmetric);
 *   3. radx_glszm_flatten  parent[w] = root of w;
 *   4. radx_glszm_sizes    size[root] += 1 for every voxel;
 *   5. radx_glszm_largest  largest[job] = max size over the job's roots;
 *   6. radx_glszm_fill     P(rank(level of root), size - 1) += 1 per root.
 * Every root is the smallest work index of its zone whatever the order of
 * the unions, and steps 4-6 use integer atomics only, so the matrix does not
 * depend on scheduling. Indices are work indices of the launch. */

#define RADX_NONE 0xffffffffu

/* Root of a: follow parents until a node is its own parent. Parents only
 * ever decrease and always point into the same zone, so a stale read only
 * makes the walk longer. */
uint radx_zone_root(volatile __global uint *parent, uint a)
{
    uint p = parent[a];
    while (p != a) {
        a = p;
        p = parent[a];
    }
    return a;
}

/* Join the zones of a and b: hang the larger root under the smaller with
 * atomic_min; if another work-item re-hung that root meanwhile, retry from
 * where it now points. */
void radx_zone_unite(volatile __global uint *parent, uint a, uint b)
{
    for (;;) {
        a = radx_zone_root(parent, a);
        b = radx_zone_root(parent, b);
        if (a == b) return;
        if (a < b) {
            uint t = a;
            a = b;
            b = t;
        }
        uint old = atomic_min(&parent[a], b);
        if (old == a) return;
        a = old;
    }
}

__kernel void radx_glszm_init(__global const ushort *levels,
                              __global const radx_cl_roi_desc *rois,
                              __global const radx_cl_job *jobs, int njobs, int total,
                              __global uint *parent, __global uint *size)
{
    int w = get_global_id(0);
    if (w >= total) return;
    const radx_cl_job job = jobs[radx_find_job(jobs, njobs, w)];
    const radx_cl_roi_desc r = rois[job.roi];
    parent[w] = levels[r.voxel_offset + (w - job.work_start)] ? (uint)w : RADX_NONE;
    size[w] = 0;
}

__kernel void radx_glszm_merge(__global const ushort *levels,
                               __global const radx_cl_roi_desc *rois,
                               __global const radx_cl_job *jobs, int njobs, int total,
                               __global const int4 *angles,
                               volatile __global uint *parent)
{
    int w = get_global_id(0);
    if (w >= total) return;
    const radx_cl_job job = jobs[radx_find_job(jobs, njobs, w)];
    const radx_cl_roi_desc r = rois[job.roi];
    int k = w - job.work_start;
    int level = levels[r.voxel_offset + k];
    if (level == 0) return;
    int4 p = radx_voxel_coords(r, k);
    for (int a = 0; a < job.nangles; a++) {
        int n = radx_box_index(r, p + angles[job.angle_offset + a]);
        if (n >= 0 && levels[r.voxel_offset + n] == level)
            radx_zone_unite(parent, (uint)w, (uint)(job.work_start + n));
    }
}

__kernel void radx_glszm_flatten(int total, volatile __global uint *parent)
{
    int w = get_global_id(0);
    if (w >= total || parent[w] == RADX_NONE) return;
    parent[w] = radx_zone_root(parent, (uint)w);
}

__kernel void radx_glszm_sizes(int total, __global const uint *parent, __global uint *size)
{
    int w = get_global_id(0);
    if (w >= total || parent[w] == RADX_NONE) return;
    atomic_inc(&size[parent[w]]);
}

__kernel void radx_glszm_largest(__global const radx_cl_job *jobs, int njobs, int total,
                                 __global const uint *parent, __global const uint *size,
                                 __global uint *largest)
{
    int w = get_global_id(0);
    if (w >= total || parent[w] != (uint)w) return;
    atomic_max(&largest[radx_find_job(jobs, njobs, w)], size[w]);
}

/* Jobs whose output_offset is negative are not filled in this launch (their
 * matrix goes into another one). */
__kernel void radx_glszm_fill(__global const ushort *levels,
                              __global const int *ranks,
                              __global const radx_cl_roi_desc *rois,
                              __global const radx_cl_job *jobs, int njobs, int total,
                              __global const uint *parent, __global const uint *size,
                              __global uint *counts)
{
    int w = get_global_id(0);
    if (w >= total || parent[w] != (uint)w) return;
    const radx_cl_job job = jobs[radx_find_job(jobs, njobs, w)];
    if (job.output_offset < 0) return;
    const radx_cl_roi_desc r = rois[job.roi];
    int level = levels[r.voxel_offset + (w - job.work_start)];
    int row = ranks[r.rank_offset + level];
    atomic_inc(&counts[job.output_offset + (size_t)row * job.width + (size[w] - 1)]);
}
