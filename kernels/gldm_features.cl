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
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#pragma OPENCL FP_CONTRACT OFF

#define GLDM_NF 14
#define GLDM_EPS 2.220446049250313080847e-16 /* DBL_EPSILON, numpy.spacing(1) */

/* enum radx_gldm_feature (host/features/gldm.h) */
enum { DE = 0, DN, DNN, DV, GLN, GLV, HGLE, LDE, LDHGLE, LDLGLE, LGLE, SDE, SDHGLE, SDLGLE };

/* gldm.c gldm_totals: N_z (1 when 0, as gldm.py). */
double gldm_nz(__global const uint *m, int nlevels, int width)
{
    long nz = 0;
    for (int k = 0; k < nlevels * width; k++) nz += m[k];
    return nz == 0 ? 1.0 : (double)nz;
}

/* p_d(c): sum over rows in order, in double (gldm_totals). */
double gldm_pd(__global const uint *m, int nlevels, int width, int c)
{
    double pd = 0.0;
    for (int i = 0; i < nlevels; i++) pd += (double)m[i * width + c];
    return pd;
}

/* p_g(i): the row's integer sum (gldm_totals). */
double gldm_pg(__global const uint *m, int width, int i)
{
    long rowsum = 0;
    for (int c = 0; c < width; c++) rowsum += m[i * width + c];
    return (double)rowsum;
}

/* gldm.c grey_marginal_features. */
void gldm_grey_marginal_features(__global const uint *m, int nlevels, int width, __global const int *lv,
                                 double nz, __global double *out)
{
    double gln = 0.0, lgle = 0.0, hgle = 0.0, mu = 0.0, var = 0.0;
    for (int i = 0; i < nlevels; i++) {
        double iv = (double)lv[i], pg = gldm_pg(m, width, i);
        gln += pg * pg;
        lgle += pg / (iv * iv);
        hgle += pg * (iv * iv);
        mu += pg / nz * iv;
    }
    for (int i = 0; i < nlevels; i++) {
        double dv = (double)lv[i] - mu;
        var += gldm_pg(m, width, i) / nz * (dv * dv);
    }
    out[GLN] = gln / nz;                  /* GLN, FP8K */
    out[GLV] = var;                       /* GLV (1PFV): sum_i p_g(i)/N_z (i - mu)^2 */
    out[LGLE] = lgle / nz;                /* LGLE, TL9H: P / i^2 */
    out[HGLE] = hgle / nz;                /* HGLE, OAE7: P i^2 */
}

/* gldm.c dependence_marginal_features; j = column + 1. */
void gldm_dependence_marginal_features(__global const uint *m, int nlevels, int width, double nz,
                                       __global double *out)
{
    double sde = 0.0, lde = 0.0, dn = 0.0, mu = 0.0, var = 0.0;
    for (int c = 0; c < width; c++) {
        double j = (double)(c + 1), pd = gldm_pd(m, nlevels, width, c);
        sde += pd / (j * j);
        lde += pd * (j * j);
        dn += pd * pd;
        mu += pd / nz * j;
    }
    for (int c = 0; c < width; c++) {
        double dj = (double)(c + 1) - mu;
        var += gldm_pd(m, nlevels, width, c) / nz * (dj * dj);
    }
    out[SDE] = sde / nz;                  /* SDE, SODN: P / j^2 */
    out[LDE] = lde / nz;                  /* LDE, IMOQ: P j^2 */
    out[DN] = dn / nz;                    /* DN, Z87G */
    out[DNN] = dn / (nz * nz);            /* DNN, OKJI */
    out[DV] = var;                        /* DV (DNX2): sum_j p_d(j)/N_z (j - mu)^2 */
}

/* gldm.c joint_features: nonzero cells in row-major order. */
void gldm_joint_features(__global const uint *m, int nlevels, int width, __global const int *lv,
                         double nz, __global double *out)
{
    double entropy = 0.0, sdlgle = 0.0, sdhgle = 0.0, ldlgle = 0.0, ldhgle = 0.0;
    for (int i = 0; i < nlevels; i++) {
        double i2 = (double)lv[i] * (double)lv[i];
        for (int c = 0; c < width; c++) {
            uint count = m[i * width + c];
            if (count == 0) continue;
            double P = (double)count, j2 = (double)(c + 1) * (double)(c + 1);
            double p = P / nz;
            entropy -= p * log2(p + GLDM_EPS);
            sdlgle += P / (i2 * j2);
            sdhgle += P * i2 / j2;
            ldlgle += P * j2 / i2;
            ldhgle += P * (j2 * i2);
        }
    }
    out[DE] = entropy;                    /* DE (FCBV): -sum p log2(p + eps) */
    out[SDLGLE] = sdlgle / nz;            /* EQ3F: P / (i^2 j^2) */
    out[SDHGLE] = sdhgle / nz;            /* JA6D: P i^2 / j^2 */
    out[LDLGLE] = ldlgle / nz;            /* NBZI: P j^2 / i^2 */
    out[LDHGLE] = ldhgle / nz;            /* 9QMG: P j^2 i^2 */
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
