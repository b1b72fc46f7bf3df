/* Helpers shared by the device feature reductions (kernels/<family>_features.cl):
 * host/cl/runtime.c build_program puts this file between common.h and every
 * *_features.cl program, so the family files use it without an #include
 * (programs built without fp64 never see it). Double precision
 * (cl_khr_fp64), no fused multiply-add, the order of operations of
 * host/features/ (PyRadiomics 3.1). */
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#pragma OPENCL FP_CONTRACT OFF

/* DBL_EPSILON: numpy.spacing(1), the eps PyRadiomics adds inside log2. */
#define RADX_FEATURES_EPS 2.220446049250313080847e-16

/* Row i of a nlevels x width count matrix: its integer sum, as a double
 * (p_g(i) of host/features/gldm.c gldm_totals, glszm.c glszm_totals). */
double radx_row_sum(__global const uint *m, int width, int i)
{
    long rowsum = 0;
    for (int c = 0; c < width; c++) rowsum += m[(size_t)i * width + c];
    return (double)rowsum;
}

/* Column c: summed over the rows in order, in double (p_d(j) of gldm.c,
 * p_s(j) of glszm.c; j = c + 1). */
double radx_column_sum(__global const uint *m, int nlevels, int width, int c)
{
    double sum = 0.0;
    for (int i = 0; i < nlevels; i++) sum += (double)m[(size_t)i * width + c];
    return sum;
}

/* The sums of a marginal distribution p(k) (counts) over values v(k):
 * sum p^2, sum p / v^2, sum p v^2, and sum p/N_z (v - mu)^2 with
 * mu = sum p/N_z v. GLDM and GLSZM grey_marginal_features (p_g, v = grey
 * level value) and their dependence/size marginal features (p_d or p_s,
 * v = j); the features divide these by N_z (or N_z^2). */
typedef struct radx_marginal_sums {
    double squares, inverse_square, square, variance;
} radx_marginal_sums;

/* p(k) and v(k): rows (grey levels, values lv) or columns (j = k + 1). */
double radx_marginal_count(__global const uint *m, int nlevels, int width, int by_rows, int k)
{
    return by_rows ? radx_row_sum(m, width, k) : radx_column_sum(m, nlevels, width, k);
}

radx_marginal_sums radx_marginal(__global const uint *m, int nlevels, int width, __global const int *lv,
                                 int by_rows, double nz)
{
    radx_marginal_sums s = {0.0, 0.0, 0.0, 0.0};
    int n = by_rows ? nlevels : width;
    double mu = 0.0;
    for (int k = 0; k < n; k++) {
        double v = by_rows ? (double)lv[k] : (double)(k + 1);
        double p = radx_marginal_count(m, nlevels, width, by_rows, k);
        s.squares += p * p;
        s.inverse_square += p / (v * v);
        s.square += p * (v * v);
        mu += p / nz * v;
    }
    for (int k = 0; k < n; k++) {
        double dv = (by_rows ? (double)lv[k] : (double)(k + 1)) - mu;
        s.variance += radx_marginal_count(m, nlevels, width, by_rows, k) / nz * (dv * dv);
    }
    return s;
}

/* The sums over the nonzero cells P(i,j) of a count matrix, row-major
 * (gldm.c and glszm.c joint_features): the entropy -sum p log2(p + eps)
 * with p = P / N_z, and sum P / (i^2 j^2), sum P i^2 / j^2,
 * sum P j^2 / i^2, sum P i^2 j^2 (i the grey-level value, j = column + 1);
 * the features divide the last four by N_z. The last product is grouped as
 * its host code groups it: P * (j^2 i^2) in gldm.c, (P i^2) j^2 in
 * glszm.c (j2_times_i2). */
typedef struct radx_joint_sums {
    double entropy, low_low, high_low, low_high, high_high;
} radx_joint_sums;

radx_joint_sums radx_joint(__global const uint *m, int nlevels, int width, __global const int *lv, double nz,
                           int j2_times_i2)
{
    radx_joint_sums s = {0.0, 0.0, 0.0, 0.0, 0.0};
    for (int i = 0; i < nlevels; i++) {
        double i2 = (double)lv[i] * (double)lv[i];
        for (int c = 0; c < width; c++) {
            uint count = m[(size_t)i * width + c];
            if (count == 0) continue;
            double P = (double)count, j2 = (double)(c + 1) * (double)(c + 1);
            double p = P / nz;
            s.entropy -= p * log2(p + RADX_FEATURES_EPS);
            s.low_low += P / (i2 * j2);
            s.high_low += P * i2 / j2;
            s.low_high += P * j2 / i2;
            s.high_high += j2_times_i2 ? P * (j2 * i2) : P * i2 * j2;
        }
    }
    return s;
}
