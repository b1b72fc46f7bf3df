/* GLDM features reduced on the device from the dependence matrices of
 * kernels/gldm.cl (still in device memory), as host/features/gldm.c
 * radx_gldm_matrix_features computes them (PyRadiomics 3.1 gldm.py), in the
 * same order of operations, double precision (cl_khr_fp64), no fused
 * multiply-add. Only the 14 features go back to the host.
 *
 * Notation of gldm.py: P(i,j) voxel counts of grey-level value i and
 * dependence size j (dependent neighbours + 1), N_z = sum P, p_g(i) =
 * sum_j P(i,j), p_d(j) = sum_i P(i,j), p(i,j) = P(i,j) / N_z, eps =
 * numpy.spacing(1) inside log2.
 *
 * The device matrix has nangles + 1 columns; the CPU trims the columns past
 * the largest dependence found (gldm.py deletes empty columns). An empty
 * column adds +0 to every sum below (0 / x, 0 * x, and it is skipped in the
 * joint sums), so the untrimmed matrix gives the same values.
 *
 * One work-item per job (ROI). Output per job: RADX_GLDM_NFEATURES (14)
 * doubles in enum order (host/features/gldm.h). */
/* After kernels/features_common.cl (host/cl/runtime.c build_program). */
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#pragma OPENCL FP_CONTRACT OFF

#define GLDM_NF 14

/* enum radx_gldm_feature (host/features/gldm.h) */
enum { DE = 0, DN, DNN, DV, GLN, GLV, HGLE, LDE, LDHGLE, LDLGLE, LGLE, SDE, SDHGLE, SDLGLE };

/* gldm.c gldm_totals: N_z (1 when 0, as gldm.py). */
double gldm_nz(__global const uint *m, int nlevels, int width)
{
    long nz = 0;
    for (int k = 0; k < nlevels * width; k++) nz += m[k];
    return nz == 0 ? 1.0 : (double)nz;
}

/* gldm.c grey_marginal_features. */
void gldm_grey_marginal_features(__global const uint *m, int nlevels, int width, __global const int *lv,
                                 double nz, __global double *out)
{
    radx_marginal_sums g = radx_marginal(m, nlevels, width, lv, 1, nz);
    out[GLN] = g.squares / nz;            /* GLN, FP8K */
    out[GLV] = g.variance;                /* GLV (1PFV): sum_i p_g(i)/N_z (i - mu)^2 */
    out[LGLE] = g.inverse_square / nz;    /* LGLE, TL9H: P / i^2 */
    out[HGLE] = g.square / nz;            /* HGLE, OAE7: P i^2 */
}

/* gldm.c dependence_marginal_features; j = column + 1. */
void gldm_dependence_marginal_features(__global const uint *m, int nlevels, int width, double nz,
                                       __global double *out)
{
    radx_marginal_sums d = radx_marginal(m, nlevels, width, 0, 0, nz);
    out[SDE] = d.inverse_square / nz;     /* SDE, SODN: P / j^2 */
    out[LDE] = d.square / nz;             /* LDE, IMOQ: P j^2 */
    out[DN] = d.squares / nz;             /* DN, Z87G */
    out[DNN] = d.squares / (nz * nz);     /* DNN, OKJI */
    out[DV] = d.variance;                 /* DV (DNX2): sum_j p_d(j)/N_z (j - mu)^2 */
}

/* gldm.c joint_features: nonzero cells in row-major order. */
void gldm_joint_features(__global const uint *m, int nlevels, int width, __global const int *lv,
                         double nz, __global double *out)
{
    radx_joint_sums s = radx_joint(m, nlevels, width, lv, nz, 1);
    out[DE] = s.entropy;                  /* DE (FCBV): -sum p log2(p + eps) */
    out[SDLGLE] = s.low_low / nz;         /* EQ3F: P / (i^2 j^2) */
    out[SDHGLE] = s.high_low / nz;        /* JA6D: P i^2 / j^2 */
    out[LDLGLE] = s.low_high / nz;        /* NBZI: P j^2 / i^2 */
    out[LDHGLE] = s.high_high / nz;       /* 9QMG: P j^2 i^2 */
}

__kernel void radx_gldm_features(__global const radx_cl_roi_desc *rois,
                                 __global const radx_cl_job *jobs, int njobs,
                                 __global const uint *counts,
                                 __global const int *level_values, __global const int *level_starts,
                                 __global double *out)
{
    int j = get_global_id(0);
    if (j >= njobs) return;
    const radx_cl_job job = jobs[j];
    int nlevels = rois[job.roi].nlevels, width = job.width;
    __global const uint *m = counts + job.output_offset;
    __global const int *lv = level_values + level_starts[j];
    __global double *f = out + (size_t)j * GLDM_NF;
    double nz = gldm_nz(m, nlevels, width);
    gldm_grey_marginal_features(m, nlevels, width, lv, nz, f);
    gldm_dependence_marginal_features(m, nlevels, width, nz, f);
    gldm_joint_features(m, nlevels, width, lv, nz, f);
}
