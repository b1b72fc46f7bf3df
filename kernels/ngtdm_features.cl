/* NGTDM features reduced on the device from the rows of kernels/ngtdm.cl
 * (n_i counts and s_i sums, still in device memory), as host/features/ngtdm.c
 * radx_ngtdm_matrix_features computes them (PyRadiomics 3.1 ngtdm.py), each
 * sum in the same order, double precision (cl_khr_fp64), no fused
 * multiply-add. Only the 5 features go back to the host.
 *
 * Notation of ngtdm.py: the rows with n_i > 0 (ngtdm.py deletes the
 * others), N_gp of them; N_vp = sum n_i; p_i = n_i / N_vp; s_i the summed
 * absolute differences; i the grey-level value.
 *
 * One work-item per job (ROI). Output per job: RADX_NGTDM_NFEATURES (5)
 * doubles in enum order (host/features/ngtdm.h) and a 6th, 1 when no row
 * counts a voxel (the CPU's RADX_ERR_NUMERIC), else 0. */
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#pragma OPENCL FP_CONTRACT OFF

#define NGTDM_NF 5

/* enum radx_ngtdm_feature (host/features/ngtdm.h) */
enum { BUSYNESS = 0, COARSENESS, COMPLEXITY, CONTRAST, STRENGTH };

__kernel void radx_ngtdm_features(__global const radx_cl_roi_desc *rois,
                                  __global const radx_cl_job *jobs, int njobs,
                                  __global const ulong *counts, __global const double *sums,
                                  __global const int *level_values, __global const int *level_starts,
                                  __global double *out)
{
    int j = get_global_id(0);
    if (j >= njobs) return;
    const radx_cl_job job = jobs[j];
    int nlevels = rois[job.roi].nlevels;
    __global const ulong *n = counts + job.output_offset;
    __global const double *s = sums + job.output_offset;
    __global const int *lv = level_values + level_starts[j];
    __global double *f = out + (size_t)j * (NGTDM_NF + 1);
    long nvp_count = 0;
    int ngp = 0;
    for (int i = 0; i < nlevels; i++) {
        nvp_count += (long)n[i];
        ngp += n[i] != 0;
    }
    if (ngp == 0) {
        for (int k = 0; k < NGTDM_NF; k++) f[k] = NAN;
        f[NGTDM_NF] = 1.0;
        return;
    }
    double nvp = (double)nvp_count;
    /* one double loop over the present rows; each accumulator sums in the
     * order of its own loop in ngtdm.c */
    double coarse = 0.0;                              /* sum p_i s_i */
    double pairs = 0.0, ssum = 0.0;                   /* contrast */
    double busy_num = 0.0, busy_den = 0.0;            /* busyness */
    double complexity = 0.0;                          /* complexity */
    double strength_num = 0.0;                        /* strength (its ssum = contrast's) */
    for (int i = 0; i < nlevels; i++) {
        if (n[i] == 0) continue;
        double pi = (double)n[i] / nvp, si = s[i], ii = (double)lv[i];
        coarse += pi * si;
        ssum += si;
        busy_num += pi * si;
        for (int k = 0; k < nlevels; k++) {
            if (n[k] == 0) continue;
            double pk = (double)n[k] / nvp, sk = s[k], ik = (double)lv[k];
            double d = ii - ik;
            pairs += pi * pk * (d * d);
            busy_den += fabs(ii * pi - ik * pk);
            double num = pi * si + pk * sk;
            complexity += fabs(ii - ik) * num / (pi + pk);
            strength_num += (pi + pk) * (d * d);
        }
    }
    /* Busyness (NQ30): sum p_i s_i / sum_ij |i p_i - j p_j|; 0 when the denominator is 0 */
    f[BUSYNESS] = busy_den != 0.0 ? busy_num / busy_den : 0.0;
    /* Coarseness (QCDE): 1 / sum p_i s_i; 1e6 when that sum is 0 */
    f[COARSENESS] = coarse != 0.0 ? 1.0 / coarse : 1e6;
    /* Complexity (HDEZ): sum_ij |i-j| (p_i s_i + p_j s_j) / (p_i + p_j) / N_vp */
    f[COMPLEXITY] = complexity / nvp;
    /* Contrast (65HE): [sum_ij p_i p_j (i-j)^2 / (N_gp (N_gp - 1))] sum_i s_i / N_vp;
     * 0 when N_gp (N_gp - 1) = 0 */
    double div = (double)ngp * (double)(ngp - 1);
    f[CONTRAST] = div == 0.0 ? 0.0 : pairs * ssum / nvp / div;
    /* Strength (1X9X): sum_ij (p_i + p_j)(i-j)^2 / sum_i s_i; 0 when sum s_i = 0 */
    f[STRENGTH] = ssum != 0.0 ? strength_num / ssum : 0.0;
    f[NGTDM_NF] = 0.0;
}
