/* Principal component analysis of the ROI voxel centres, shared by
 * host/features/shape3d.c and shape2d.c (private).
 *
 * PyRadiomics shape.py / shape2D.py (_initSegmentBasedCalculation):
 *   P   = coordinates * spacing            (padded array indices, numpy axis order)
 *   P  -= mean(P, axis=0)                  (numpy: a sequential sum per column)
 *   P  /= sqrt(Np)
 *   C   = P^T P                            (N-normalised covariance)
 *   eigenvalues of C; values in (-1e-10, 0) set to 0; sorted ascending.
 * The axis lengths are 4 sqrt(lambda) (IBSI TDIC, P9VJ, 7J51; 2D: the same
 * definitions in the plane). IBSI's reference values correspond to the
 * unbiased covariance (division by N - 1): with `ibsi` the centred
 * coordinates are divided by sqrt(Np - 1) instead (Np >= 2).
 *
 * Usage: shape_pca_init, shape_pca_add_mean for every voxel, then
 * shape_pca_add_cov for every voxel (same order), then
 * shape_pca_eigenvalues. */
#ifndef RADX_FEATURES_SHAPE_PCA_H
#define RADX_FEATURES_SHAPE_PCA_H

#include <math.h>
#include <stdint.h>

typedef struct shape_pca {
    int dim;                  /* 2 or 3 */
    int ibsi;                 /* 1: divide by sqrt(N - 1) */
    int64_t n;                /* voxels added by shape_pca_add_mean */
    double sum[3];            /* sum of the physical coordinates, in order */
    double cov[3][3];         /* running sums of products (Neumaier) */
    double comp[3][3];        /* Neumaier compensation terms */
} shape_pca;

static inline void shape_pca_init(shape_pca *pca, int dim, int ibsi)
{
    pca->dim = dim;
    pca->ibsi = ibsi;
    pca->n = 0;
    for (int i = 0; i < 3; i++) {
        pca->sum[i] = 0.0;
        for (int j = 0; j < 3; j++) pca->cov[i][j] = pca->comp[i][j] = 0.0;
    }
}

/* First pass: numpy's np.mean(P, axis=0) adds rows one after another. */
static inline void shape_pca_add_mean(shape_pca *pca, const double *phys)
{
    for (int d = 0; d < pca->dim; d++) pca->sum[d] += phys[d];
    pca->n++;
}

/* Neumaier (improved Kahan) summation: numpy computes P^T P with BLAS,
 * whose summation order is not reproducible; a compensated sum is within
 * an ulp of the exact value, so the result differs from numpy's only by
 * numpy's own rounding. */
static inline void shape_pca_neumaier(double *sum, double *comp, double term)
{
    double t = *sum + term;
    if (fabs(*sum) >= fabs(term))
        *comp += (*sum - t) + term;
    else
        *comp += (term - t) + *sum;
    *sum = t;
}

/* Second pass: the centred, scaled coordinates and their products. */
static inline void shape_pca_add_cov(shape_pca *pca, const double *phys)
{
    double n = (double)pca->n;
    double scale = sqrt(pca->ibsi && pca->n > 1 ? n - 1.0 : n);
    double c[3];
    for (int d = 0; d < pca->dim; d++) c[d] = (phys[d] - pca->sum[d] / n) / scale;
    for (int i = 0; i < pca->dim; i++)
        for (int j = i; j < pca->dim; j++)
            shape_pca_neumaier(&pca->cov[i][j], &pca->comp[i][j], c[i] * c[j]);
}

/* Cyclic Jacobi rotations on a symmetric matrix until the off-diagonal
 * part vanishes (at most dim 3): accurate eigenvalues of any symmetric
 * matrix, including the zero eigenvalue of a flat ROI. */
static inline void shape_pca_jacobi(double a[3][3], int dim)
{
    for (int sweep = 0; sweep < 64; sweep++) {
        double off = 0.0;
        for (int p = 0; p < dim; p++)
            for (int q = p + 1; q < dim; q++) off += a[p][q] * a[p][q];
        if (off == 0.0) return;
        for (int p = 0; p < dim; p++)
            for (int q = p + 1; q < dim; q++) {
                if (a[p][q] == 0.0) continue;
                double theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                double t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1.0));
                if (!isfinite(theta)) t = 0.0; /* a[p][q] negligible against the diagonal */
                double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                double apq = a[p][q];
                a[p][p] -= t * apq;
                a[q][q] += t * apq;
                a[p][q] = a[q][p] = 0.0;
                for (int r = 0; r < dim; r++) {
                    if (r == p || r == q) continue;
                    double arp = a[r][p], arq = a[r][q];
                    a[r][p] = a[p][r] = c * arp - s * arq;
                    a[r][q] = a[q][r] = s * arp + c * arq;
                }
            }
    }
}

/* The eigenvalues in ascending order, with PyRadiomics' correction of
 * machine-precision negatives (-1e-10 < lambda < 0 -> 0). */
static inline void shape_pca_eigenvalues(const shape_pca *pca, double *eig)
{
    double a[3][3] = {{0}};
    for (int i = 0; i < pca->dim; i++)
        for (int j = i; j < pca->dim; j++)
            a[i][j] = a[j][i] = pca->cov[i][j] + pca->comp[i][j];
    shape_pca_jacobi(a, pca->dim);
    for (int i = 0; i < pca->dim; i++) {
        eig[i] = a[i][i];
        if (eig[i] < 0 && eig[i] > -1e-10) eig[i] = 0.0;
    }
    for (int i = 1; i < pca->dim; i++)
        for (int j = i; j > 0 && eig[j - 1] > eig[j]; j--) {
            double t = eig[j];
            eig[j] = eig[j - 1];
            eig[j - 1] = t;
        }
}

/* 4 sqrt(lambda), NaN for a negative eigenvalue (PyRadiomics returns NaN). */
static inline double shape_pca_axis_length(double lambda)
{
    return lambda < 0 ? NAN : sqrt(lambda) * 4.0;
}

/* sqrt(lambda_small / lambda_large) (PyRadiomics Elongation, Flatness):
 * NaN for a negative eigenvalue, and 0/0 = NaN for a single voxel. */
static inline double shape_pca_axis_ratio(double small, double large)
{
    if (small < 0 || large < 0) return NAN;
    return sqrt(small / large);
}

#endif
