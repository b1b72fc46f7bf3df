/* The marginal sums GLDM and GLSZM share. Both matrices count P(i,j) for
 * grey level value i (rows) and a size j = column + 1 (GLDM dependence size,
 * GLSZM zone size); their grey-level and size features are the same sums over
 * the marginals p_g(i) = sum_j P(i,j) and p_s(j) = sum_i P(i,j), divided by
 * N_z = sum P (PyRadiomics 3.1 gldm.py and glszm.py; IBSI NGLDM and GLSZM). */
#ifndef RADX_FEATURES_MARGINAL_SUMS_H
#define RADX_FEATURES_MARGINAL_SUMS_H

#include <stdint.h>

/* Row marginal p_g[i], column marginal p_s[j] of an nrows x ncols count
 * matrix (row-major); returns N_z, set to 1 when 0 as gldm.py and glszm.py
 * do. */
double radx_count_marginals(const int64_t *counts, int nrows, int64_t ncols, double *p_g, double *p_s);

/* Sums over one marginal p[k] at values v_k (values[k], or k + 1 when values
 * is NULL, i.e. the size j). */
typedef struct radx_marginal_sums {
    double squares;      /* sum p^2: the non-uniformity numerator */
    double low;          /* sum p / v^2: the low-value emphasis numerator */
    double high;         /* sum p v^2: the high-value emphasis numerator */
    double variance;     /* sum p/N_z (v - mu)^2, mu = sum p/N_z v */
} radx_marginal_sums;

void radx_marginal_sums_compute(const double *p, const int *values, int64_t n, double nz,
                                radx_marginal_sums *s);

#endif
