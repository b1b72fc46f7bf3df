/* GLSZM features reduced on the device from the zone matrices of
 * kernels/glszm.cl radx_glszm_fill (still in device memory), as
 * host/features/glszm.c radx_glszm_matrix_features computes them
 * (PyRadiomics 3.1 glszm.py), in the same order of operations, double
 * precision (cl_khr_fp64), no fused multiply-add. Only the 16 features go
 * back to the host.
 *
 * Notation of glszm.py: P(i,j) number of zones of grey-level value i and
 * size j, N_z = sum P (1 when 0), p_g(i) = sum_j P(i,j), p_s(j) =
 * sum_i P(i,j), N_p = sum_j j p_s(j) (1 when 0), p(i,j) = P(i,j) / N_z,
 * eps = numpy.spacing(1) inside log2.
 *
 * One work-item per job (ROI); jobs with a negative output_offset are not
 * in this chunk (host/cl/glszm_cl.c fill_chunk) and are skipped. Output per
 * job: RADX_GLSZM_NFEATURES (16) doubles in enum order (host/features/glszm.h). */
/* After kernels/features_common.cl (host/cl/runtime.c build_program). */
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#pragma OPENCL FP_CONTRACT OFF

#define GLSZM_NF 16

/* enum radx_glszm_feature (host/features/glszm.h) */
enum {
    GLN = 0, GLNN, GLV, HGLZE, LAE, LAHGLE, LALGLE, LGLZE, SZN, SZNN, SAE, SAHGLE, SALGLE, ZE, ZP, ZV
};

/* glszm.c grey_marginal_features. */
void glszm_grey_marginal_features(__global const uint *m, int nlevels, int width, __global const int *lv,
                                  double nz, __global double *out)
{
    radx_marginal_sums g = radx_marginal(m, nlevels, width, lv, 1, nz);
    out[GLN] = g.squares / nz;            /* GLN, JNSA */
    out[GLNN] = g.squares / (nz * nz);    /* GLNN, Y1RO */
    out[GLV] = g.variance;                /* GLV (BYLV): sum_i p_g(i)/N_z (i - mu)^2 */
    out[LGLZE] = g.inverse_square / nz;   /* XMSY: P / i^2 */
    out[HGLZE] = g.square / nz;           /* 5GN9: P i^2 */
}

/* glszm.c size_marginal_features; j = column + 1. */
void glszm_size_marginal_features(__global const uint *m, int nlevels, int width, double nz, double np,
                                  __global double *out)
{
    radx_marginal_sums z = radx_marginal(m, nlevels, width, 0, 0, nz);
    out[SAE] = z.inverse_square / nz;     /* SAE, 5QRC: P / j^2 */
    out[LAE] = z.square / nz;             /* LAE, 48P8: P j^2 */
    out[SZN] = z.squares / nz;            /* SZN, 4JP3 */
    out[SZNN] = z.squares / (nz * nz);    /* SZNN, VB3A */
    out[ZV] = z.variance;                 /* ZV (3NSA): sum_j p_s(j)/N_z (j - mu)^2 */
    out[ZP] = nz / np;                    /* ZP (P30P): N_z / N_p */
}

/* glszm.c joint_features: nonzero cells in row-major order. */
void glszm_joint_features(__global const uint *m, int nlevels, int width, __global const int *lv,
                          double nz, __global double *out)
{
    radx_joint_sums s = radx_joint(m, nlevels, width, lv, nz, 0);
    out[ZE] = s.entropy;                  /* ZE (GU8N): -sum p log2(p + eps) */
    out[SALGLE] = s.low_low / nz;         /* 5RAI: P / (i^2 j^2) */
    out[SAHGLE] = s.high_low / nz;        /* HW1V: P i^2 / j^2 */
    out[LALGLE] = s.low_high / nz;        /* YH51: P j^2 / i^2 */
    out[LAHGLE] = s.high_high / nz;       /* J17V: P i^2 j^2 */
}

__kernel void radx_glszm_features(__global const radx_cl_roi_desc *rois,
                                  __global const radx_cl_job *jobs, int njobs,
                                  __global const uint *counts,
                                  __global const int *level_values, __global const int *level_starts,
                                  __global double *out)
{
    int j = get_global_id(0);
    if (j >= njobs) return;
    const radx_cl_job job = jobs[j];
    if (job.output_offset < 0) return;
    int nlevels = rois[job.roi].nlevels, width = job.width;
    __global const uint *m = counts + job.output_offset;
    __global const int *lv = level_values + level_starts[j];
    __global double *f = out + (size_t)j * GLSZM_NF;
    long nz_count = 0, np_count = 0;      /* glszm_totals: integer N_z and N_p */
    for (int i = 0; i < nlevels; i++)
        for (int c = 0; c < width; c++) {
            long count = m[(size_t)i * width + c];
            nz_count += count;
            np_count += count * (c + 1);
        }
    double nz = nz_count == 0 ? 1.0 : (double)nz_count;
    double np = np_count == 0 ? 1.0 : (double)np_count;
    glszm_grey_marginal_features(m, nlevels, width, lv, nz, f);
    glszm_size_marginal_features(m, nlevels, width, nz, np, f);
    glszm_joint_features(m, nlevels, width, lv, nz, f);
}
