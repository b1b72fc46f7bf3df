/* Marginal sums of the GLDM / GLSZM count matrices (see marginal_sums.h).
 * The loops keep gldm.c's and glszm.c's former order of operations, so that
 * the features stay bit for bit what they were. */
#include "features/marginal_sums.h"

#include <stddef.h>

double radx_count_marginals(const int64_t *counts, int nrows, int64_t ncols, double *p_g, double *p_s)
{
    int64_t nz = 0;
    for (int64_t j = 0; j < ncols; j++) p_s[j] = 0.0;
    for (int i = 0; i < nrows; i++) {
        const int64_t *row = counts + (size_t)i * (size_t)ncols;
        int64_t rowsum = 0;
        for (int64_t j = 0; j < ncols; j++) {
            rowsum += row[j];
            p_s[j] += (double)row[j];
        }
        p_g[i] = (double)rowsum;
        nz += rowsum;
    }
    return nz == 0 ? 1.0 : (double)nz;
}

static double value_at(const int *values, int64_t k)
{
    return values ? (double)values[k] : (double)(k + 1);
}

void radx_marginal_sums_compute(const double *p, const int *values, int64_t n, double nz,
                                radx_marginal_sums *s)
{
    double squares = 0.0, low = 0.0, high = 0.0, mu = 0.0, var = 0.0;
    for (int64_t k = 0; k < n; k++) {
        double v = value_at(values, k);
        squares += p[k] * p[k];
        low += p[k] / (v * v);
        high += p[k] * (v * v);
        mu += p[k] / nz * v;
    }
    for (int64_t k = 0; k < n; k++) {
        double dv = value_at(values, k) - mu;
        var += p[k] / nz * (dv * dv);
    }
    s->squares = squares;
    s->low = low;
    s->high = high;
    s->variance = var;
}
