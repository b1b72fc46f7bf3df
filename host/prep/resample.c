/* ITK's resampling, operation by operation, as SimpleITK 2.4/2.5 (ITK 5.4)
 * runs it for PyRadiomics' imageoperations.resampleImage and _correctMask:
 *
 *  - itk::ImageBase index <-> physical point conversions, including the
 *    inverse of direction*diag(spacing) that ITK computes by SVD
 *    (vnl_matrix_inverse -> vnl_svd -> LINPACK dsvdc), so that continuous
 *    indices agree to the last bit and nearest-neighbour ties and integer
 *    truncation fall the same way;
 *  - itk::ResampleImageFilter::LinearThreadedGenerateData (identity transform
 *    is "linear"): per scan line, continuous indices of the first and
 *    one-past-last voxel, interpolated along the line;
 *  - the interpolators sitkBSpline (BSplineInterpolateImageFunction, order 3,
 *    over BSplineDecompositionImageFilter coefficients, mirror boundaries),
 *    sitkLinear (LinearInterpolateImageFunction::EvaluateOptimized, 3D) and
 *    sitkNearestNeighbor (Math::RoundHalfIntegerUp);
 *  - CastPixelWithBoundsChecking to the output pixel type.
 *
 * The floating-point expressions keep ITK's operand order; contraction into
 * FMA would change results, so it is switched off for this file. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#endif
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#include "prep/prep.h"
#include "core/error.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Reference BLAS level 1 (netlib, as in vxl/v3p), unit stride, n <= 3 in   */
/* use: the unrolled parts of ddot/daxpy/dscal never run for n < 4.         */
/* ------------------------------------------------------------------------ */

static double f2c_d_sign(double a, double b)
{
    double x = a >= 0 ? a : -a;
    return b >= 0 ? x : -x;
}

static double blas_dnrm2(int n, const double *x)
{
    if (n < 1) return 0.0;
    if (n == 1) return fabs(x[0]);
    double scale = 0.0, ssq = 1.0;
    for (int i = 0; i < n; i++) {
        if (x[i] != 0.0) {
            double absxi = fabs(x[i]);
            if (scale < absxi) {
                double r = scale / absxi;
                ssq = ssq * (r * r) + 1.0;
                scale = absxi;
            } else {
                double r = absxi / scale;
                ssq += r * r;
            }
        }
    }
    return scale * sqrt(ssq);
}

static double blas_ddot(int n, const double *x, const double *y)
{
    double t = 0.0;
    int m = n % 5, i = 0;
    for (; i < m; i++) t += x[i] * y[i];
    for (; i < n; i += 5)
        t = t + x[i] * y[i] + x[i + 1] * y[i + 1] + x[i + 2] * y[i + 2] +
            x[i + 3] * y[i + 3] + x[i + 4] * y[i + 4];
    return t;
}

static void blas_daxpy(int n, double a, const double *x, double *y)
{
    if (n <= 0 || a == 0.0) return;
    for (int i = 0; i < n; i++) y[i] += a * x[i];
}

static void blas_dscal(int n, double a, double *x)
{
    for (int i = 0; i < n; i++) x[i] = a * x[i];
}

static void blas_drot(int n, double *x, double *y, double c, double s)
{
    for (int i = 0; i < n; i++) {
        double t = c * x[i] + s * y[i];
        y[i] = c * y[i] - s * x[i];
        x[i] = t;
    }
}

static void blas_dswap(int n, double *x, double *y)
{
    for (int i = 0; i < n; i++) {
        double t = x[i];
        x[i] = y[i];
        y[i] = t;
    }
}

static void blas_drotg(double *da, double *db, double *c, double *s)
{
    double roe = fabs(*da) > fabs(*db) ? *da : *db;
    double scale = fabs(*da) + fabs(*db), r, z;
    if (scale == 0.0) {
        *c = 1.0;
        *s = 0.0;
        r = 0.0;
        z = 0.0;
    } else {
        double a = *da / scale, b = *db / scale;
        r = scale * sqrt(a * a + b * b);
        r = f2c_d_sign(1.0, roe) * r;
        *c = *da / r;
        *s = *db / r;
        z = 1.0;
        if (fabs(*da) > fabs(*db)) z = *s;
        if (fabs(*db) >= fabs(*da) && *c != 0.0) z = 1.0 / *c;
    }
    *da = r;
    *db = z;
}

/* ------------------------------------------------------------------------ */
/* LINPACK dsvdc (vxl/v3p/netlib/linpack/dsvdc.c), job 21, for an n x p     */
/* column-major matrix with n, p <= 3: X = U diag(s) V^T.                   */
/* ------------------------------------------------------------------------ */

#define SVD_MAX 3
#define X_(i, j) x[((i) - 1) + ((j) - 1) * n]
#define U_(i, j) u[((i) - 1) + ((j) - 1) * n]
#define V_(i, j) v[((i) - 1) + ((j) - 1) * p]
#define S_(i) s[(i) - 1]
#define E_(i) e[(i) - 1]
#define W_(i) work[(i) - 1]

static int imin(int a, int b) { return a < b ? a : b; }
static int imax(int a, int b) { return a > b ? a : b; }

/* Householder reduction to bidiagonal form (dsvdc labels 10-160). */
static void svd_bidiagonalize(double *x, int n, int p, double *s, double *e,
                              double *u, double *v, double *work, int nct, int nrt)
{
    int lu = imax(nct, nrt);
    for (int l = 1; l <= lu; l++) {
        int lp1 = l + 1;
        if (l <= nct) {
            S_(l) = blas_dnrm2(n - l + 1, &X_(l, l));
            if (S_(l) != 0.0) {
                if (X_(l, l) != 0.0) S_(l) = f2c_d_sign(S_(l), X_(l, l));
                blas_dscal(n - l + 1, 1.0 / S_(l), &X_(l, l));
                X_(l, l) += 1.0;
            }
            S_(l) = -S_(l);
        }
        for (int j = lp1; j <= p; j++) {
            if (l <= nct && S_(l) != 0.0) {
                double t = -blas_ddot(n - l + 1, &X_(l, l), &X_(l, j)) / X_(l, l);
                blas_daxpy(n - l + 1, t, &X_(l, l), &X_(l, j));
            }
            E_(j) = X_(l, j);
        }
        if (l <= nct)
            for (int i = l; i <= n; i++) U_(i, l) = X_(i, l);
        if (l > nrt) continue;
        E_(l) = blas_dnrm2(p - l, &E_(lp1));
        if (E_(l) != 0.0) {
            if (E_(lp1) != 0.0) E_(l) = f2c_d_sign(E_(l), E_(lp1));
            blas_dscal(p - l, 1.0 / E_(l), &E_(lp1));
            E_(lp1) += 1.0;
        }
        E_(l) = -E_(l);
        if (lp1 <= n && E_(l) != 0.0) {
            for (int i = lp1; i <= n; i++) W_(i) = 0.0;
            for (int j = lp1; j <= p; j++) blas_daxpy(n - l, E_(j), &X_(lp1, j), &W_(lp1));
            for (int j = lp1; j <= p; j++)
                blas_daxpy(n - l, -E_(j) / E_(lp1), &W_(lp1), &X_(lp1, j));
        }
        for (int i = lp1; i <= p; i++) V_(i, l) = E_(i);
    }
}

/* Generate U and V from the Householder vectors (dsvdc labels 170-350). */
static void svd_generate_uv(double *x, int n, int p, double *s, double *e,
                            double *u, double *v, int nct, int nrt, int m)
{
    int ncu = imin(n, p), nctp1 = nct + 1, nrtp1 = nrt + 1;
    if (nct < p) S_(nctp1) = X_(nctp1, nctp1);
    if (n < m) S_(m) = 0.0;
    if (nrtp1 < m) E_(nrtp1) = X_(nrtp1, m);
    E_(m) = 0.0;
    for (int j = nctp1; j <= ncu; j++) {
        for (int i = 1; i <= n; i++) U_(i, j) = 0.0;
        U_(j, j) = 1.0;
    }
    for (int ll = 1; ll <= nct; ll++) {
        int l = nct - ll + 1;
        if (S_(l) != 0.0) {
            for (int j = l + 1; j <= ncu; j++) {
                double t = -blas_ddot(n - l + 1, &U_(l, l), &U_(l, j)) / U_(l, l);
                blas_daxpy(n - l + 1, t, &U_(l, l), &U_(l, j));
            }
            blas_dscal(n - l + 1, -1.0, &U_(l, l));
            U_(l, l) += 1.0;
            for (int i = 1; i <= l - 1; i++) U_(i, l) = 0.0;
        } else {
            for (int i = 1; i <= n; i++) U_(i, l) = 0.0;
            U_(l, l) = 1.0;
        }
    }
    for (int ll = 1; ll <= p; ll++) {
        int l = p - ll + 1, lp1 = l + 1;
        if (l <= nrt && E_(l) != 0.0)
            for (int j = lp1; j <= p; j++) {
                double t = -blas_ddot(p - l, &V_(lp1, l), &V_(lp1, j)) / V_(lp1, l);
                blas_daxpy(p - l, t, &V_(lp1, l), &V_(lp1, j));
            }
        for (int i = 1; i <= p; i++) V_(i, l) = 0.0;
        V_(l, l) = 1.0;
    }
}

/* One QR sweep with shift (dsvdc label 540). */
static void svd_qr_step(int n, int p, double *s, double *e, double *u, double *v,
                        int l, int m)
{
    double scale = fabs(S_(m));
    scale = fmax(scale, fabs(S_(m - 1)));
    scale = fmax(scale, fabs(E_(m - 1)));
    scale = fmax(scale, fabs(S_(l)));
    scale = fmax(scale, fabs(E_(l)));
    double sm = S_(m) / scale, smm1 = S_(m - 1) / scale, emm1 = E_(m - 1) / scale;
    double sl = S_(l) / scale, el = E_(l) / scale;
    double b = ((smm1 + sm) * (smm1 - sm) + emm1 * emm1) / 2.0;
    double c = (sm * emm1) * (sm * emm1);
    double shift = 0.0;
    if (!(b == 0.0 && c == 0.0)) {
        shift = sqrt(b * b + c);
        if (b < 0.0) shift = -shift;
        shift = c / (b + shift);
    }
    double f = (sl + sm) * (sl - sm) + shift, g = sl * el, cs, sn;
    for (int k = l; k <= m - 1; k++) {
        blas_drotg(&f, &g, &cs, &sn);
        if (k != l) E_(k - 1) = f;
        f = cs * S_(k) + sn * E_(k);
        E_(k) = cs * E_(k) - sn * S_(k);
        g = sn * S_(k + 1);
        S_(k + 1) = cs * S_(k + 1);
        blas_drot(p, &V_(1, k), &V_(1, k + 1), cs, sn);
        blas_drotg(&f, &g, &cs, &sn);
        S_(k) = f;
        f = cs * E_(k) + sn * S_(k + 1);
        S_(k + 1) = -sn * E_(k) + cs * S_(k + 1);
        g = sn * E_(k + 1);
        E_(k + 1) = cs * E_(k + 1);
        if (k < n) blas_drot(n, &U_(1, k), &U_(1, k + 1), cs, sn);
    }
    E_(m - 1) = f;
}

/* dsvdc with job 21 (U economy, V); returns info (0 on success). */
static int linpack_dsvdc(double *x, int n, int p, double *s, double *e, double *u,
                         double *v, double *work)
{
    int nct = imin(n - 1, p), nrt = imax(0, imin(p - 2, n));
    int m = imin(p, n + 1);
    svd_bidiagonalize(x, n, p, s, e, u, v, work, nct, nrt);
    svd_generate_uv(x, n, p, s, e, u, v, nct, nrt, m);

    int mm = m, iter = 0, l = 0, ls = 0, kase;
    while (m != 0) {
        if (iter >= 1000) return m;
        /* labels 370-400: find negligible e(l) */
        for (int ll = 1; ll <= m; ll++) {
            l = m - ll;
            if (l == 0) break;
            double test = fabs(S_(l)) + fabs(S_(l + 1));
            double ztest = test + fabs(E_(l));
            if (ztest == test) {
                E_(l) = 0.0;
                break;
            }
        }
        if (l == m - 1) {
            kase = 4;
        } else {
            /* labels 410-470: find negligible s(ls) */
            int lp1 = l + 1, mp1 = m + 1;
            for (int lls = lp1; lls <= mp1; lls++) {
                ls = m - lls + lp1;
                if (ls == l) break;
                double test = 0.0;
                if (ls != m) test += fabs(E_(ls));
                if (ls != l + 1) test += fabs(E_(ls - 1));
                double ztest = test + fabs(S_(ls));
                if (ztest == test) {
                    S_(ls) = 0.0;
                    break;
                }
            }
            if (ls == l) {
                kase = 3;
            } else if (ls == m) {
                kase = 1;
            } else {
                kase = 2;
                l = ls;
            }
        }
        l = l + 1;
        if (kase == 1) { /* label 490: deflate negligible s(m) */
            double f = E_(m - 1), cs, sn;
            E_(m - 1) = 0.0;
            for (int kk = l; kk <= m - 1; kk++) {
                int k = m - 1 - kk + l;
                double t1 = S_(k);
                blas_drotg(&t1, &f, &cs, &sn);
                S_(k) = t1;
                if (k != l) {
                    f = -sn * E_(k - 1);
                    E_(k - 1) = cs * E_(k - 1);
                }
                blas_drot(p, &V_(1, k), &V_(1, m), cs, sn);
            }
        } else if (kase == 2) { /* label 520: split at negligible s(l) */
            double f = E_(l - 1), cs, sn;
            E_(l - 1) = 0.0;
            for (int k = l; k <= m; k++) {
                double t1 = S_(k);
                blas_drotg(&t1, &f, &cs, &sn);
                S_(k) = t1;
                f = -sn * E_(k);
                E_(k) = cs * E_(k);
                blas_drot(n, &U_(1, k), &U_(1, l - 1), cs, sn);
            }
        } else if (kase == 3) {
            svd_qr_step(n, p, s, e, u, v, l, m);
            iter++;
        } else { /* label 570: convergence, make s(l) positive and order */
            if (S_(l) < 0.0) {
                S_(l) = -S_(l);
                blas_dscal(p, -1.0, &V_(1, l));
            }
            while (l != mm && S_(l) < S_(l + 1)) {
                double t = S_(l);
                S_(l) = S_(l + 1);
                S_(l + 1) = t;
                if (l < p) blas_dswap(p, &V_(1, l), &V_(1, l + 1));
                if (l < n) blas_dswap(n, &U_(1, l), &U_(1, l + 1));
                l++;
            }
            iter = 0;
            m--;
        }
    }
    return 0;
}

#undef X_
#undef U_
#undef V_
#undef S_
#undef E_
#undef W_

/* ------------------------------------------------------------------------ */
/* itk::ImageBase geometry                                                  */
/* ------------------------------------------------------------------------ */

/* ComputeIndexToPhysicalPointMatrices: m_Direction * diag(spacing); the
 * off-diagonal products are exact zeros, so each entry is D[i][j]*s[j]. */
void radx_itk_index_to_point_matrix(const radx_image *image, double m[9])
{
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) m[i * 3 + j] = image->direction[i * 3 + j] * image->spacing[j];
}

/* vnl_determinant for 3x3 (only its being zero matters here). */
static double det3(const double a[9])
{
    return a[0] * a[4] * a[8] - a[0] * a[7] * a[5] - a[3] * a[1] * a[8] +
           a[3] * a[7] * a[2] + a[6] * a[1] * a[5] - a[6] * a[4] * a[2];
}

/* m_PhysicalPointToIndex = Matrix::GetInverse(): vnl_matrix_inverse, i.e.
 * vnl_svd (dsvdc, zero tolerance 0) and pinverse() = (V * W^-1) * U^T with
 * vnl_matrix's plain triple loop. */
radx_status radx_itk_point_to_index_matrix(const radx_image *image, double inv[9])
{
    double m[9];
    radx_itk_index_to_point_matrix(image, m);
    if (det3(m) == 0.0)
        return radx_fail(RADX_ERR_GEOMETRY, "image direction/spacing matrix is singular "
                         "(spacing %g x %g x %g)", image->spacing[0], image->spacing[1],
                         image->spacing[2]);
    const int n = 3, p = 3;
    double x[9], s[SVD_MAX + 1] = {0}, e[SVD_MAX] = {0}, u[9] = {0}, v[9] = {0}, work[SVD_MAX] = {0};
    for (int i = 0; i < n; i++)           /* vnl_fortran_copy: column-major */
        for (int j = 0; j < p; j++) x[i + j * n] = m[i * 3 + j];
    if (linpack_dsvdc(x, n, p, s, e, u, v, work) != 0)
        return radx_fail(RADX_ERR_GEOMETRY, "SVD of the image geometry matrix did not converge");
    double winv[3];
    for (int k = 0; k < 3; k++) {
        double w = fabs(s[k]);
        winv[k] = w <= 0.0 ? 0.0 : 1.0 / w;
    }
    double vw[9];                         /* V * diag(W^-1): full product as vnl does */
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++) {
            double sum = 0.0;
            for (int j = 0; j < 3; j++) sum += v[i + j * p] * (j == k ? winv[k] : 0.0);
            vw[i * 3 + k] = sum;
        }
    for (int i = 0; i < 3; i++)           /* (V W^-1) * U^T */
        for (int k = 0; k < 3; k++) {
            double sum = 0.0;
            for (int j = 0; j < 3; j++) sum += vw[i * 3 + j] * u[k + j * n];
            inv[i * 3 + k] = sum;
        }
    return RADX_OK;
}

/* ImageBase::TransformIndexToPhysicalPoint: origin, then += M[i][j]*index[j]. */
void radx_itk_index_to_point(const radx_image *image, const double m[9],
                             const int64_t index[3], double point[3])
{
    for (int i = 0; i < 3; i++) {
        point[i] = image->origin[i];
        for (int j = 0; j < 3; j++) point[i] += m[i * 3 + j] * (double)index[j];
    }
}

/* ImageBase::TransformContinuousIndexToPhysicalPoint: sum, then + origin. */
void radx_itk_cindex_to_point(const radx_image *image, const double m[9],
                              const double cindex[3], double point[3])
{
    for (int r = 0; r < 3; r++) {
        double sum = 0.0;
        for (int c = 0; c < 3; c++) sum += m[r * 3 + c] * cindex[c];
        point[r] = sum + image->origin[r];
    }
}

/* ImageBase::TransformPhysicalPointToContinuousIndex. */
void radx_itk_point_to_cindex(const radx_image *image, const double inv[9],
                              const double point[3], double cindex[3])
{
    double d[3];
    for (int k = 0; k < 3; k++) d[k] = point[k] - image->origin[k];
    for (int r = 0; r < 3; r++) {
        double sum = 0.0;
        for (int c = 0; c < 3; c++) sum += inv[r * 3 + c] * d[c];
        cindex[r] = sum;
    }
}

/* ------------------------------------------------------------------------ */
/* itk::Math rounding on x86-64 (SSE2 cvtsd2si, round-half-even)            */
/* ------------------------------------------------------------------------ */

/* Math::RoundHalfIntegerUp<int64>: RoundHalfIntegerToEven(2x + 0.5) >> 1. */
static int64_t itk_round_half_up(double x)
{
    return (int64_t)llrint(2 * x + 0.5) >> 1;
}

/* Math::Floor<int64>: RoundHalfIntegerToEven(2x - 0.5) >> 1. */
static int64_t itk_floor(double x)
{
    return (int64_t)llrint(2 * x - 0.5) >> 1;
}

/* ------------------------------------------------------------------------ */
/* Interpolators                                                            */
/* ------------------------------------------------------------------------ */

/* The samples an interpolator reads: the whole input image, or for the
 * B-spline a block of coefficients (x0.., y0.., all z) of the full grid. */
typedef struct interp_input {
    const double *data;
    int64_t size[3];         /* full input grid */
    int64_t x0, y0;          /* block start (addressing) */
    int64_t nx, ny;          /* block extent in x and y (all of z) */
    int64_t valid_y0, valid_ny; /* rows holding finished values */
} interp_input;

static double pixel_at(const interp_input *in, int64_t x, int64_t y, int64_t z)
{
    return in->data[(x - in->x0) + in->nx * ((y - in->y0) + in->ny * z)];
}

/* NearestNeighborInterpolateImageFunction: Index::CopyWithRound. */
static double eval_nearest(const interp_input *in, const double ci[3])
{
    return pixel_at(in, itk_round_half_up(ci[0]), itk_round_half_up(ci[1]),
                    itk_round_half_up(ci[2]));
}

/* LinearInterpolateImageFunction::EvaluateOptimized(Dispatch<3>): the
 * branch structure decides which neighbours enter and in which order. */
static double eval_linear(const interp_input *in, const double ci[3])
{
    int64_t b[3];
    double d[3];
    for (int k = 0; k < 3; k++) {
        int64_t f = itk_floor(ci[k]);
        b[k] = f > 0 ? f : 0;
        d[k] = ci[k] - (double)b[k];
    }
    const int64_t e0 = in->size[0] - 1, e1 = in->size[1] - 1, e2 = in->size[2] - 1;
    const int64_t x = b[0], y = b[1], z = b[2];
    const double v000 = pixel_at(in, x, y, z);
    if (d[0] <= 0. && d[1] <= 0. && d[2] <= 0.) return v000;

    if (d[2] <= 0.) {
        if (d[1] <= 0.) { /* across x */
            if (x + 1 > e0) return v000;
            double v100 = pixel_at(in, x + 1, y, z);
            return v000 + (v100 - v000) * d[0];
        } else if (d[0] <= 0.) { /* across y */
            if (y + 1 > e1) return v000;
            double v010 = pixel_at(in, x, y + 1, z);
            return v000 + (v010 - v000) * d[1];
        } else { /* across xy */
            if (x + 1 > e0) {
                if (y + 1 > e1) return v000;
                double v010 = pixel_at(in, x, y + 1, z);
                return v000 + (v010 - v000) * d[1];
            }
            double v100 = pixel_at(in, x + 1, y, z);
            double vx00 = v000 + (v100 - v000) * d[0];
            if (y + 1 > e1) return vx00;
            double v110 = pixel_at(in, x + 1, y + 1, z);
            double v010 = pixel_at(in, x, y + 1, z);
            double vx10 = v010 + (v110 - v010) * d[0];
            return vx00 + (vx10 - vx00) * d[1];
        }
    }
    if (d[1] <= 0.) {
        if (d[0] <= 0.) { /* across z */
            if (z + 1 > e2) return v000;
            double v001 = pixel_at(in, x, y, z + 1);
            return v000 + (v001 - v000) * d[2];
        }
        /* across xz */
        if (x + 1 > e0) {
            if (z + 1 > e2) return v000;
            double v001 = pixel_at(in, x, y, z + 1);
            return v000 + (v001 - v000) * d[2];
        }
        double v100 = pixel_at(in, x + 1, y, z);
        double vx00 = v000 + (v100 - v000) * d[0];
        if (z + 1 > e2) return vx00;
        double v101 = pixel_at(in, x + 1, y, z + 1);
        double v001 = pixel_at(in, x, y, z + 1);
        double vx01 = v001 + (v101 - v001) * d[0];
        return vx00 + (vx01 - vx00) * d[2];
    }
    if (d[0] <= 0.) { /* across yz */
        if (y + 1 > e1) {
            if (z + 1 > e2) return v000;
            double v001 = pixel_at(in, x, y, z + 1);
            return v000 + (v001 - v000) * d[2];
        }
        double v010 = pixel_at(in, x, y + 1, z);
        double v0x0 = v000 + (v010 - v000) * d[1];
        if (z + 1 > e2) return v0x0;
        double v011 = pixel_at(in, x, y + 1, z + 1);
        double v001 = pixel_at(in, x, y, z + 1);
        double v0x1 = v001 + (v011 - v001) * d[1];
        return v0x0 + (v0x1 - v0x0) * d[2];
    }
    /* across xyz */
    if (x + 1 > e0) {
        if (y + 1 > e1) {
            if (z + 1 > e2) return v000;
            double v001 = pixel_at(in, x, y, z + 1);
            return v000 + (v001 - v000) * d[2];
        }
        double v010 = pixel_at(in, x, y + 1, z);
        double v0x0 = v000 + (v010 - v000) * d[1];
        if (z + 1 > e2) return v0x0;
        double v011 = pixel_at(in, x, y + 1, z + 1);
        double v001 = pixel_at(in, x, y, z + 1);
        double v0x1 = v001 + (v011 - v001) * d[1];
        return v0x0 + (v0x1 - v0x0) * d[2];
    }
    double v100 = pixel_at(in, x + 1, y, z);
    double vx00 = v000 + (v100 - v000) * d[0];
    if (y + 1 > e1) {
        if (z + 1 > e2) return vx00;
        double v101 = pixel_at(in, x + 1, y, z + 1);
        double v001 = pixel_at(in, x, y, z + 1);
        double vx01 = v001 + (v101 - v001) * d[0];
        return vx00 + (vx01 - vx00) * d[2];
    }
    double v110 = pixel_at(in, x + 1, y + 1, z);
    double v010 = pixel_at(in, x, y + 1, z);
    double vx10 = v010 + (v110 - v010) * d[0];
    double vxx0 = vx00 + (vx10 - vx00) * d[1];
    if (z + 1 > e2) return vxx0;
    double v011 = pixel_at(in, x, y + 1, z + 1);
    double v111 = pixel_at(in, x + 1, y + 1, z + 1);
    double v101 = pixel_at(in, x + 1, y, z + 1);
    double v001 = pixel_at(in, x, y, z + 1);
    double vx01 = v001 + (v101 - v001) * d[0];
    double vx11 = v011 + (v111 - v011) * d[0];
    double vxx1 = vx01 + (vx11 - vx01) * d[1];
    return vxx0 + (vxx1 - vxx0) * d[2];
}

/* BSplineInterpolateImageFunction (order 3): region of support from
 * floor((float)x) - 1 (ITK casts the index to float here), weights of
 * SetInterpolationWeights case 3, mirror boundaries, then the sum over the
 * 4^3 points with p = i + 4 j + 16 k and w = ((1 * wx) * wy) * wz. */
static double eval_bspline(const interp_input *in, const double ci[3])
{
    int64_t idx[3][4];
    double wt[3][4];
    for (int n = 0; n < 3; n++) {
        int64_t first = (int64_t)floorf((float)ci[n] + 0.0f) - 1;
        for (int k = 0; k < 4; k++) idx[n][k] = first + k;
        double w = ci[n] - (double)idx[n][1];
        wt[n][3] = (1.0 / 6.0) * w * w * w;
        wt[n][0] = (1.0 / 6.0) + 0.5 * w * (w - 1.0) - wt[n][3];
        wt[n][2] = w + wt[n][0] - 2.0 * wt[n][3];
        wt[n][1] = 1.0 - wt[n][0] - wt[n][2] - wt[n][3];
        /* ApplyMirrorBoundaryConditions (start index 0, end index size-1) */
        const int64_t end = in->size[n] - 1;
        for (int k = 0; k < 4; k++) {
            if (in->size[n] == 1) {
                idx[n][k] = 0;
                continue;
            }
            if (idx[n][k] < 0) idx[n][k] = -idx[n][k];
            if (idx[n][k] >= end) idx[n][k] = end - (idx[n][k] - end);
        }
    }
    const int64_t total = in->size[0] * in->size[1] * in->size[2];
    double sum = 0.0;
    for (int k = 0; k < 4; k++)
        for (int j = 0; j < 4; j++)
            for (int i = 0; i < 4; i++) {
                double w = 1.0;
                w *= wt[0][i];
                w *= wt[1][j];
                w *= wt[2][k];
                int64_t x = idx[0][i], y = idx[1][j], z = idx[2][k];
                if (x < 0 || y < 0 || z < 0) {
                    /* Only an axis of length 2 leaves an index at -1 after
                     * ITK's single reflection; ITK then reads the buffer
                     * element at the same linear offset, reproduced while
                     * that lies inside the buffer. Before its start ITK reads
                     * foreign memory (undefined); radx reflects again. */
                    int64_t off = x + in->size[0] * (y + in->size[1] * z);
                    if (off >= 0 && off < total) {
                        x = off % in->size[0];
                        y = off / in->size[0] % in->size[1];
                        z = off / (in->size[0] * in->size[1]);
                    } else {
                        x = llabs(x) % in->size[0];
                        y = llabs(y) % in->size[1];
                        z = llabs(z) % in->size[2];
                    }
                    if (x < in->x0 || x >= in->x0 + in->nx || y < in->valid_y0 ||
                        y >= in->valid_y0 + in->valid_ny)
                        continue; /* outside the computed block */
                }
                sum += w * pixel_at(in, x, y, z);
            }
    return sum;
}

/* ------------------------------------------------------------------------ */
/* BSplineDecompositionImageFilter (order 3, pole sqrt(3) - 2, tolerance    */
/* 1e-10): in place along x, then y, then z.                                */
/* ------------------------------------------------------------------------ */

/* The 1D prefilter applied to `ncols` lines at once: c[n * ncols + col] is
 * sample n of line col. Every line sees exactly the scalar sequence of
 * operations of BSplineDecompositionImageFilter::DataToCoefficients1D. */
static void bspline_initial_causal(double *c, int64_t len, int64_t ncols, double z, double *sum)
{
    const double tolerance = 1e-10;
    int64_t horizon = (int64_t)ceil(log(tolerance) / log(fabs(z)));
    double zn = z;
    if (horizon < len) {
        for (int64_t col = 0; col < ncols; col++) sum[col] = c[col];
        for (int64_t n = 1; n < horizon; n++) {
            for (int64_t col = 0; col < ncols; col++) sum[col] += zn * c[n * ncols + col];
            zn *= z;
        }
        for (int64_t col = 0; col < ncols; col++) c[col] = sum[col];
    } else {
        double iz = 1.0 / z;
        double z2n = pow(z, (double)(len - 1));
        for (int64_t col = 0; col < ncols; col++)
            sum[col] = c[col] + z2n * c[(len - 1) * ncols + col];
        z2n *= z2n * iz;
        for (int64_t n = 1; n <= len - 2; n++) {
            for (int64_t col = 0; col < ncols; col++) sum[col] += (zn + z2n) * c[n * ncols + col];
            zn *= z;
            z2n *= iz;
        }
        for (int64_t col = 0; col < ncols; col++) c[col] = sum[col] / (1.0 - zn * zn);
    }
}

static void bspline_prefilter_lines(double *c, int64_t len, int64_t ncols, double *sum)
{
    if (len == 1) return; /* DataToCoefficients1D: required by mirror boundaries */
    const double z = sqrt(3.0) - 2.0;
    double c0 = 1.0;
    c0 = c0 * (1.0 - z) * (1.0 - 1.0 / z);
    for (int64_t i = 0; i < len * ncols; i++) c[i] *= c0;
    bspline_initial_causal(c, len, ncols, z, sum);
    for (int64_t n = 1; n < len; n++)
        for (int64_t col = 0; col < ncols; col++)
            c[n * ncols + col] += z * c[(n - 1) * ncols + col];
    const double anti = z / (z * z - 1.0);
    for (int64_t col = 0; col < ncols; col++)
        c[(len - 1) * ncols + col] = anti * (z * c[(len - 2) * ncols + col] + c[(len - 1) * ncols + col]);
    for (int64_t n = len - 2; 0 <= n; n--)
        for (int64_t col = 0; col < ncols; col++)
            c[n * ncols + col] = z * (c[(n + 1) * ncols + col] - c[n * ncols + col]);
}

/* Coefficients of the block x in [x0, x0+nx), y in [y0, y0+ny), all z.
 * The filter runs along x, then y, then z over whole lines, as ITK's does
 * over the whole image: x lines for every (y, z) (kept where x is in the
 * block), y lines for the block's x and every z, z lines for the block. */
static radx_status bspline_coefficients(const radx_image *image, int64_t x0, int64_t nx,
                                        int64_t y0, int64_t ny, interp_input *out)
{
    const int64_t sx = image->size[0], sy = image->size[1], sz = image->size[2];
    int64_t maxlen = sx > sy ? sx : sy;
    if (sz > maxlen) maxlen = sz;
    double *coef = malloc((size_t)(nx * sy * sz) * sizeof *coef);
    double *buf = malloc((size_t)(maxlen * nx) * sizeof *buf);
    double *sum = malloc((size_t)(nx > 1 ? nx : 1) * sizeof *sum);
    if (!coef || !buf || !sum) {
        free(coef);
        free(buf);
        free(sum);
        return radx_fail(RADX_ERR_NOMEM, "out of memory for B-spline coefficients "
                         "(%lld x %d x %d)", (long long)nx, image->size[1], image->size[2]);
    }
    /* along x: whole lines, keep the block's part; coef is nx x sy x sz */
    for (int64_t z = 0; z < sz; z++)
        for (int64_t y = 0; y < sy; y++) {
            memcpy(buf, image->data + sx * (y + sy * z), (size_t)sx * sizeof *buf);
            bspline_prefilter_lines(buf, sx, 1, sum);
            memcpy(coef + nx * (y + sy * z), buf + x0, (size_t)nx * sizeof *buf);
        }
    /* along y: the block's columns, every z (lines side by side in x) */
    if (sy > 1)
        for (int64_t z = 0; z < sz; z++) {
            double *plane = coef + nx * sy * z;
            bspline_prefilter_lines(plane, sy, nx, sum);
        }
    /* along z: the block's rows y0..y0+ny-1 */
    if (sz > 1)
        for (int64_t y = y0; y < y0 + ny; y++) {
            for (int64_t z = 0; z < sz; z++)
                memcpy(buf + nx * z, coef + nx * (y + sy * z), (size_t)nx * sizeof *buf);
            bspline_prefilter_lines(buf, sz, nx, sum);
            for (int64_t z = 0; z < sz; z++)
                memcpy(coef + nx * (y + sy * z), buf + nx * z, (size_t)nx * sizeof *buf);
        }
    free(buf);
    free(sum);
    out->data = coef;
    out->size[0] = sx;
    out->size[1] = sy;
    out->size[2] = sz;
    out->x0 = x0;
    out->nx = nx;
    out->y0 = 0;
    out->ny = sy;
    out->valid_y0 = y0;
    out->valid_ny = ny;
    return RADX_OK;
}

/* ------------------------------------------------------------------------ */
/* Output cast: ResampleImageFilter::CastComponentWithBoundsChecking        */
/* ------------------------------------------------------------------------ */

static double clamp_trunc(double v, double lo, double hi)
{
    if (v <= lo) return lo;
    if (v >= hi) return hi;
    return trunc(v);
}

static double cast_to_pixel(double v, radx_pixel_type type)
{
    switch (type) {
    case RADX_PIXEL_FLOAT64: return v;
    case RADX_PIXEL_FLOAT32:
        if (v <= -FLT_MAX) return -FLT_MAX;
        if (v >= FLT_MAX) return FLT_MAX;
        return (double)(float)v;
    case RADX_PIXEL_INT8: return clamp_trunc(v, INT8_MIN, INT8_MAX);
    case RADX_PIXEL_UINT8: return clamp_trunc(v, 0, UINT8_MAX);
    case RADX_PIXEL_INT16: return clamp_trunc(v, INT16_MIN, INT16_MAX);
    case RADX_PIXEL_UINT16: return clamp_trunc(v, 0, UINT16_MAX);
    case RADX_PIXEL_INT32: return clamp_trunc(v, INT32_MIN, INT32_MAX);
    case RADX_PIXEL_UINT32: return clamp_trunc(v, 0, UINT32_MAX);
    case RADX_PIXEL_INT64: return clamp_trunc(v, (double)INT64_MIN, (double)INT64_MAX);
    case RADX_PIXEL_UINT64: return clamp_trunc(v, 0, (double)UINT64_MAX);
    }
    return v;
}

/* ------------------------------------------------------------------------ */
/* ResampleImageFilter::LinearThreadedGenerateData                          */
/* ------------------------------------------------------------------------ */

typedef double (*interp_fn)(const interp_input *, const double[3]);

/* Continuous input index of output index (x, y, z): output
 * TransformIndexToPhysicalPoint, identity transform, input
 * TransformPhysicalPointToContinuousIndex. */
static void output_to_input_cindex(const radx_image *grid, const double m_out[9],
                                   const radx_image *input, const double inv_in[9],
                                   int64_t x, int64_t y, int64_t z, double ci[3])
{
    const int64_t index[3] = {x, y, z};
    double point[3];
    radx_itk_index_to_point(grid, m_out, index, point);
    radx_itk_point_to_cindex(input, inv_in, point, ci);
}

/* The x and y range of B-spline coefficients the output grid can read:
 * continuous indices of every scan line's ends (the line is linear between
 * them), widened by the 4-point support and snapped to the image edge where
 * mirroring may reach it. */
static void bspline_block(const radx_image *input, const radx_image *grid, const double m_out[9],
                          const double inv_in[9], int64_t first[2], int64_t count[2])
{
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    for (int64_t z = 0; z < grid->size[2]; z++)
        for (int64_t y = 0; y < grid->size[1]; y++)
            for (int end = 0; end < 2; end++) {
                double ci[3];
                output_to_input_cindex(grid, m_out, input, inv_in, end ? grid->size[0] : 0, y, z,
                                       ci);
                for (int d = 0; d < 2; d++) {
                    lo[d] = fmin(lo[d], ci[d]);
                    hi[d] = fmax(hi[d], ci[d]);
                }
            }
    for (int d = 0; d < 2; d++) {
        const int64_t size = input->size[d];
        int64_t a = isfinite(lo[d]) && lo[d] > -1e15 ? (int64_t)floor(lo[d]) - 4 : 0;
        int64_t b = isfinite(hi[d]) && hi[d] < 1e15 ? (int64_t)floor(hi[d]) + 5 : size - 1;
        if (a <= 4) a = 0;
        if (b >= size - 5) b = size - 1;
        if (a > size - 1 || b < 0 || a > b) { /* the grid misses the image: any valid block */
            a = 0;
            b = 0;
        }
        first[d] = a;
        count[d] = b - a + 1;
    }
}

radx_status radx_resample_onto(const radx_image *input, const radx_image *grid,
                               radx_interp_kind interp, radx_pixel_type out_type,
                               radx_image **out)
{
    *out = NULL;
    double m_out[9], inv_in[9];
    radx_itk_index_to_point_matrix(grid, m_out);
    radx_status status = radx_itk_point_to_index_matrix(input, inv_in);
    if (status != RADX_OK) return status;
    status = radx_image_alloc(grid->size, out);
    if (status != RADX_OK) return status;
    radx_image *result = *out;
    memcpy(result->spacing, grid->spacing, sizeof result->spacing);
    memcpy(result->origin, grid->origin, sizeof result->origin);
    memcpy(result->direction, grid->direction, sizeof result->direction);
    result->ndim = input->ndim;

    interp_input in = {input->data, {input->size[0], input->size[1], input->size[2]}, 0, 0,
                       input->size[0], input->size[1], 0, input->size[1]};
    interp_fn eval = eval_nearest;
    if (interp == RADX_RESAMPLE_LINEAR) eval = eval_linear;
    if (interp == RADX_RESAMPLE_BSPLINE3) {
        int64_t first[2], count[2];
        bspline_block(input, grid, m_out, inv_in, first, count);
        status = bspline_coefficients(input, first[0], count[0], first[1], count[1], &in);
        if (status != RADX_OK) {
            radx_image_free(result);
            *out = NULL;
            return status;
        }
        eval = eval_bspline;
    }
    /* ImageFunction::SetInputImage: inside iff start-0.5 <= ci < end+0.5 */
    double lo[3], hi[3];
    for (int d = 0; d < 3; d++) {
        lo[d] = (double)(0 - 0.5);
        hi[d] = (double)((input->size[d] - 1) + 0.5);
    }
    const int64_t nx = grid->size[0], ny = grid->size[1], nz = grid->size[2];
    const double size0 = (double)nx;
    #pragma omp parallel for collapse(2) schedule(static)
    for (int64_t z = 0; z < nz; z++)
        for (int64_t y = 0; y < ny; y++) {
            double start[3], end[3], delta[3];
            output_to_input_cindex(grid, m_out, input, inv_in, 0, y, z, start);
            output_to_input_cindex(grid, m_out, input, inv_in, nx, y, z, end);
            for (int d = 0; d < 3; d++) delta[d] = end[d] - start[d];
            double *row = result->data + nx * (y + ny * z);
            for (int64_t x = 0; x < nx; x++) {
                const double alpha = (double)(x - 0) / size0;
                double ci[3];
                int inside = 1;
                for (int d = 0; d < 3; d++) {
                    ci[d] = start[d];
                    ci[d] += alpha * delta[d];
                    if (!(ci[d] >= lo[d] && ci[d] < hi[d])) inside = 0;
                }
                row[x] = inside ? cast_to_pixel(eval(&in, ci), out_type) : 0.0;
            }
        }
    if (interp == RADX_RESAMPLE_BSPLINE3) free((double *)in.data);
    return RADX_OK;
}

/* ------------------------------------------------------------------------ */
/* PyRadiomics imageoperations.resampleImage                                */
/* ------------------------------------------------------------------------ */

/* numpy.allclose(a, b): |a - b| <= 1e-8 + 1e-5 * |b| for every axis. */
static int spacing_allclose(const double a[3], const double b[3])
{
    for (int d = 0; d < 3; d++)
        if (!(fabs(a[d] - b[d]) <= 1e-8 + 1e-5 * fabs(b[d]))) return 0;
    return 1;
}

/* Spacing unchanged: the mask resampled onto the image grid (nearest
 * neighbour), both cropped to the ROI plus padDistance. */
static radx_status resample_mask_only(const radx_image *image, const radx_image *mask01,
                                      const radx_params *params, radx_image **out_image,
                                      radx_image **out_mask)
{
    radx_image *regridded = NULL;
    radx_status status = radx_resample_onto(mask01, image, RADX_RESAMPLE_NEAREST,
                                            RADX_PIXEL_FLOAT64, &regridded);
    if (status != RADX_OK) return status;
    regridded->ndim = mask01->ndim;
    int bbox[6];
    if (!radx_mask_bbox(regridded, bbox, NULL)) {
        radx_image_free(regridded);
        return radx_fail(RADX_ERR_ROI, "mask label %d not present after resampling the mask "
                         "onto the image grid", params->label);
    }
    status = radx_crop(image, bbox, params->pad_distance, out_image);
    if (status == RADX_OK) status = radx_crop(regridded, bbox, params->pad_distance, out_mask);
    radx_image_free(regridded);
    return status;
}

/* The output grid resampleImage builds from the mask: spacing (0 = keep the
 * mask's; axes where the ROI is one voxel thick keep the mask's), the ROI
 * box in the new index space widened by padDistance (floor/ceil, clipped to
 * the mask's extent), origin = mask continuous index
 * 0.5 * (new - old) / old + lower / ratio, direction of the mask. */
static radx_status resample_grid(const radx_image *mask01, const int64_t lower[3],
                                 const int64_t size[3], const double new_spacing[3],
                                 int pad, radx_image *grid)
{
    double cindex[3];
    memset(grid, 0, sizeof *grid);
    for (int d = 0; d < 3; d++) {
        const double ms = mask01->spacing[d], rs = new_spacing[d];
        const double ratio = ms / rs;
        double lo = floor(((double)lower[d] - 0.5) * ratio - pad);
        double hi = ceil(((double)(lower[d] + size[d]) - 0.5) * ratio + pad);
        const double max_hi = ceil((double)mask01->size[d] * ratio) - 1;
        if (lo < 0) lo = 0;
        if (hi > max_hi) hi = max_hi;
        const double n = hi - lo + 1;
        if (!(n >= 1) || n > 2147483647.0)
            return radx_fail(RADX_ERR_GEOMETRY, "resampledPixelSpacing %g on axis %d gives %g "
                             "voxels for the ROI", rs, d, n);
        grid->size[d] = (int)n;
        const double original_lower = lo / ratio;
        const double origin_index = 0.5 * (rs - ms) / ms;
        cindex[d] = origin_index + original_lower;
        grid->spacing[d] = rs;
    }
    double m[9];
    radx_itk_index_to_point_matrix(mask01, m);
    radx_itk_cindex_to_point(mask01, m, cindex, grid->origin);
    memcpy(grid->direction, mask01->direction, sizeof grid->direction);
    grid->ndim = mask01->ndim;
    return RADX_OK;
}

radx_status radx_resample_case(const radx_image *image, radx_pixel_type image_type,
                               const radx_image *mask01, const radx_params *params,
                               radx_image **out_image, radx_image **out_mask,
                               int *image_kept)
{
    *out_image = *out_mask = NULL;
    *image_kept = 0;
    double spacing[3];
    for (int d = 0; d < 3; d++) {
        if (params->resampled_spacing[d] < 0)
            return radx_fail(RADX_ERR_PARAM, "resampledPixelSpacing %g on axis %d is negative",
                             params->resampled_spacing[d], d);
        spacing[d] = params->resampled_spacing[d] == 0 ? mask01->spacing[d]
                                                       : params->resampled_spacing[d];
    }
    int64_t lower[3], size[3];
    radx_status status = radx_check_roi(image, mask01, params->label, lower, size);
    if (status != RADX_OK) return radx_fail_context(status, "resampling");
    for (int d = 0; d < 3; d++)
        if (size[d] == 1) spacing[d] = mask01->spacing[d];

    if (spacing_allclose(image->spacing, spacing)) {
        *image_kept = 1;
        return resample_mask_only(image, mask01, params, out_image, out_mask);
    }
    radx_image grid;
    status = resample_grid(mask01, lower, size, spacing, params->pad_distance, &grid);
    if (status != RADX_OK) return status;
    status = radx_resample_onto(image, &grid, (radx_interp_kind)params->interpolator,
                                image_type, out_image);
    if (status == RADX_OK)
        status = radx_resample_onto(mask01, &grid, RADX_RESAMPLE_NEAREST, RADX_PIXEL_FLOAT64,
                                    out_mask);
    if (status != RADX_OK) {
        radx_image_free(*out_image);
        radx_image_free(*out_mask);
        *out_image = *out_mask = NULL;
        return status;
    }
    (*out_image)->ndim = image->ndim;
    (*out_mask)->ndim = mask01->ndim;
    return RADX_OK;
}
