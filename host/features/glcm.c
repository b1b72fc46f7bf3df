/* GLCM features exactly as PyRadiomics 3.1 radiomics/glcm.py computes them.
 * Notation follows glcm.py's class docstring: p(i,j) the normalised matrix,
 * i and j the grey-level VALUES of row and column, p_x / p_y the marginals,
 * p_{x+y}(k) for k = 2..2Ng, p_{x-y}(k) for k = 0..Ng-1 (Ng = highest grey
 * level in the ROI), eps = numpy.spacing(1) inside every log2. */
#include "features/glcm.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "core/error.h"

/* numpy.spacing(1): PyRadiomics' epsilon in log2(x + eps) and Correlation. */
#define GLCM_EPS DBL_EPSILON
/* numpy.e (the double nearest e), base of Imc2's np.e ** x. */
#define GLCM_NUMPY_E 2.718281828459045

static const char NOTE_NG[] =
    "PyRadiomics Ng is the highest grey level in the ROI; IBSI N_g is the number of "
    "discretised levels (equal when every level 1..Ng is present)";
static const char NOTE_ENTROPY[] = "PyRadiomics adds eps = 2.2e-16 inside log2 (about -3.2e-16 for a flat ROI)";
static const char NOTE_SYMMETRIC[] =
    "mu_x: equals IBSI only for a symmetric GLCM (PyRadiomics default symmetricalGLCM)";

static const radx_feature_def glcm_features[RADX_GLCM_NFEATURES] = {
    {"Autocorrelation", "QWB0", ""},
    {"ClusterProminence", "AE86", ""},
    {"ClusterShade", "7NFM", ""},
    {"ClusterTendency", "DG8W", "also IBSI sum variance (OEEB); PyRadiomics SumVariance is deprecated as identical"},
    {"Contrast", "ACUI", ""},
    {"Correlation", "NI2N", "PyRadiomics divides by sigma_x*sigma_y + eps and returns 1 per angle when sigma_x*sigma_y = 0"},
    {"DifferenceAverage", "TF7R", "also IBSI dissimilarity (8S9J); PyRadiomics Dissimilarity is deprecated as identical"},
    {"DifferenceEntropy", "NTRS", NOTE_ENTROPY},
    {"DifferenceVariance", "D3YU", ""},
    {"Id", "IB1Z", ""},
    {"Idm", "WF0Z", ""},
    {"Idmn", "1QCO", NOTE_NG},
    {"Idn", "NDRX", NOTE_NG},
    {"Imc1", "R8DG", "PyRadiomics returns 0 per angle when max(HX, HY) = 0; eps inside log2"},
    {"Imc2", "JN9H", "PyRadiomics returns 0 when HXY2 == HXY and NaN (ignored in the angle mean) when HXY > HXY2; eps inside log2"},
    {"InverseVariance", "E8JP", ""},
    {"JointAverage", "60VM", NOTE_SYMMETRIC},
    {"JointEnergy", "8ZQL", "IBSI angular second moment"},
    {"JointEntropy", "TU9B", NOTE_ENTROPY},
    {"MCC", "", "not an IBSI feature; PyRadiomics returns 1 when fewer than 2 grey levels are present"},
    {"MaximumProbability", "GYBY", "IBSI joint maximum"},
    {"SumAverage", "ZGXS", ""},
    {"SumEntropy", "P6QZ", NOTE_ENTROPY},
    {"SumSquares", "UR99", "IBSI joint variance; equals it only for a symmetric GLCM"},
};

/* ---------------------------------------------------------------- matrix */

radx_status radx_glcm_matrix_alloc(int nlevels, radx_glcm_matrix *matrix)
{
    matrix->nlevels = 0;
    matrix->counts = NULL;
    if (nlevels < 1 || nlevels > RADX_MAX_GRAY_LEVELS)
        return radx_fail(RADX_ERR_LIMIT, "GLCM: %d grey levels (allowed 1..%d)", nlevels,
                         RADX_MAX_GRAY_LEVELS);
    matrix->counts = calloc((size_t)nlevels * (size_t)nlevels, sizeof *matrix->counts);
    if (!matrix->counts)
        return radx_fail(RADX_ERR_NOMEM, "GLCM: cannot allocate a %d x %d matrix", nlevels, nlevels);
    matrix->nlevels = nlevels;
    return RADX_OK;
}

void radx_glcm_matrix_free(radx_glcm_matrix *matrix)
{
    free(matrix->counts);
    matrix->counts = NULL;
    matrix->nlevels = 0;
}

/* First and one-past-last index along an axis of length n such that
 * index + offset stays inside [0, n). */
static void axis_range(int n, int offset, int *first, int *end)
{
    *first = offset < 0 ? -offset : 0;
    *end = offset > 0 ? n - offset : n;
}

/* Rank (row index) of the level of voxel idx, or -1 if it is inconsistent. */
static int voxel_rank(const radx_roi *roi, size_t idx)
{
    int level = roi->levels[idx];
    if (level < 1 || level > roi->ng) return -1;
    return roi->level_rank[level];
}

/* Add the transpose: P + P^T (glcm.py _calculateMatrix, symmetricalGLCM). */
static void symmetrise(int64_t *counts, int n)
{
    for (int i = 0; i < n; i++) {
        counts[(size_t)i * n + i] *= 2;
        for (int j = i + 1; j < n; j++) {
            int64_t s = counts[(size_t)i * n + j] + counts[(size_t)j * n + i];
            counts[(size_t)i * n + j] = s;
            counts[(size_t)j * n + i] = s;
        }
    }
}

/* cmatrices.c calculate_glcm: for every ROI voxel whose neighbour at
 * `offset` is inside the bounding box and the ROI, count
 * P(level(centre), level(neighbour)). */
radx_status radx_glcm_build(const radx_roi *roi, const radx_angle *angle, int symmetric,
                            radx_glcm_matrix *matrix)
{
    const int n = roi->nlevels;
    if (matrix->nlevels != n || !matrix->counts)
        return radx_fail(RADX_ERR_INTERNAL, "GLCM: matrix allocated for %d levels, ROI has %d",
                         matrix->nlevels, n);
    memset(matrix->counts, 0, (size_t)n * (size_t)n * sizeof *matrix->counts);

    const int sx = roi->size[0], sy = roi->size[1], sz = roi->size[2];
    const int dx = angle->offset[0], dy = angle->offset[1], dz = angle->offset[2];
    const ptrdiff_t step = dx + (ptrdiff_t)sx * (dy + (ptrdiff_t)sy * dz);
    int x0, x1, y0, y1, z0, z1;
    axis_range(sx, dx, &x0, &x1);
    axis_range(sy, dy, &y0, &y1);
    axis_range(sz, dz, &z0, &z1);

    for (int z = z0; z < z1; z++)
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++) {
                size_t idx = (size_t)x + (size_t)sx * ((size_t)y + (size_t)sy * (size_t)z);
                size_t nidx = (size_t)((ptrdiff_t)idx + step);
                if (!roi->mask[idx] || !roi->mask[nidx]) continue;
                int ri = voxel_rank(roi, idx), rj = voxel_rank(roi, nidx);
                if (ri < 0 || rj < 0)
                    return radx_fail(RADX_ERR_INTERNAL,
                                     "GLCM: ROI voxel with a grey level outside 1..%d or not "
                                     "listed in level_values", roi->ng);
                matrix->counts[(size_t)ri * n + rj]++;
            }
    if (symmetric) symmetrise(matrix->counts, n);
    return RADX_OK;
}

void radx_glcm_accumulate(const radx_glcm_matrix *matrix, double weight, double *weighted)
{
    size_t cells = (size_t)matrix->nlevels * (size_t)matrix->nlevels;
    for (size_t k = 0; k < cells; k++) weighted[k] += (double)matrix->counts[k] * weight;
}

/* ------------------------------------------------------------- workspace */

struct radx_glcm_workspace {
    int nlevels, ng;
    double *p;         /* [n*n] normalised matrix */
    double *px, *py;   /* [n] marginals */
    double *psum;      /* [2*ng + 1] p_{x+y}(k), k = 0..2Ng (0, 1 unused) */
    double *pdiff;     /* [ng] p_{x-y}(k), k = 0..Ng-1 */
    int *active;       /* [n] rows with p_x(i) > 0 */
    int *nonzero;      /* [n*n] per row: columns with p(i,k) != 0 */
    int *nnonzero;     /* [n] */
    double *q;         /* [n*n] MCC matrix Q over the active rows */
};

void radx_glcm_workspace_free(radx_glcm_workspace *ws)
{
    if (!ws) return;
    free(ws->p);
    free(ws->px);
    free(ws->py);
    free(ws->psum);
    free(ws->pdiff);
    free(ws->active);
    free(ws->nonzero);
    free(ws->nnonzero);
    free(ws->q);
    free(ws);
}

radx_status radx_glcm_workspace_alloc(int nlevels, int ng, radx_glcm_workspace **out)
{
    *out = NULL;
    if (nlevels < 1 || nlevels > RADX_MAX_GRAY_LEVELS || ng < 1 || ng > RADX_MAX_GRAY_LEVELS)
        return radx_fail(RADX_ERR_LIMIT, "GLCM: %d levels, Ng %d (allowed 1..%d)", nlevels, ng,
                         RADX_MAX_GRAY_LEVELS);
    radx_glcm_workspace *ws = calloc(1, sizeof *ws);
    if (!ws) return radx_fail(RADX_ERR_NOMEM, "GLCM: cannot allocate workspace");
    size_t n = (size_t)nlevels;
    ws->nlevels = nlevels;
    ws->ng = ng;
    ws->p = malloc(n * n * sizeof *ws->p);
    ws->px = malloc(n * sizeof *ws->px);
    ws->py = malloc(n * sizeof *ws->py);
    ws->psum = malloc((2 * (size_t)ng + 1) * sizeof *ws->psum);
    ws->pdiff = malloc((size_t)ng * sizeof *ws->pdiff);
    ws->active = malloc(n * sizeof *ws->active);
    ws->nonzero = malloc(n * n * sizeof *ws->nonzero);
    ws->nnonzero = malloc(n * sizeof *ws->nnonzero);
    ws->q = malloc(n * n * sizeof *ws->q);
    if (!ws->p || !ws->px || !ws->py || !ws->psum || !ws->pdiff || !ws->active ||
        !ws->nonzero || !ws->nnonzero || !ws->q) {
        radx_glcm_workspace_free(ws);
        return radx_fail(RADX_ERR_NOMEM, "GLCM: cannot allocate workspace for %d levels", nlevels);
    }
    *out = ws;
    return RADX_OK;
}

/* ------------------------------------------------------ per-matrix values */

/* p(i,j) = P(i,j) / sum(P); p_x(i) = sum_j p(i,j); p_y(j) = sum_i p(i,j). */
static void normalise_and_marginals(const double *P, int n, double total, radx_glcm_workspace *ws)
{
    for (int i = 0; i < n; i++) ws->px[i] = ws->py[i] = 0.0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double pij = P[(size_t)i * n + j] / total;
            ws->p[(size_t)i * n + j] = pij;
            ws->px[i] += pij;
            ws->py[j] += pij;
        }
}

/* p_{x+y}(k) = sum over i+j = k and p_{x-y}(k) = sum over |i-j| = k, with i,
 * j the grey-level values (glcm.py _calculateCoefficients pxAddy, pxSuby). */
static void sum_and_difference(const double *p, int n, const int *lv, int ng,
                               double *psum, double *pdiff)
{
    for (int k = 0; k <= 2 * ng; k++) psum[k] = 0.0;
    for (int k = 0; k < ng; k++) pdiff[k] = 0.0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double pij = p[(size_t)i * n + j];
            psum[lv[i] + lv[j]] += pij;
            pdiff[abs(lv[i] - lv[j])] += pij;
        }
}

/* Features that weight p(i,j) by i and j directly. */
static void joint_features(const double *p, int n, const int *lv, double *f)
{
    double ux = 0.0, uy = 0.0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            ux += (double)lv[i] * p[(size_t)i * n + j];
            uy += (double)lv[j] * p[(size_t)i * n + j];
        }
    double autocorr = 0, prominence = 0, shade = 0, tendency = 0, contrast = 0;
    double varx = 0, vary = 0, covar = 0, energy = 0, maxp = 0, hxy = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double pij = p[(size_t)i * n + j];
            if (pij == 0.0) continue; /* every term below is pij * (finite): +-0 adds nothing */
            double vi = lv[i], vj = lv[j];
            double t = (vi + vj) - ux - uy;       /* i + j - mu_x - mu_y */
            double d = fabs(vi - vj);
            autocorr += pij * (vi * vj);          /* Autocorrelation (QWB0) */
            prominence += pij * pow(t, 4.0);      /* ClusterProminence (AE86) */
            shade += pij * pow(t, 3.0);           /* ClusterShade (7NFM) */
            tendency += pij * (t * t);            /* ClusterTendency (DG8W) */
            contrast += pij * (d * d);            /* Contrast (ACUI) */
            varx += pij * ((vi - ux) * (vi - ux));
            vary += pij * ((vj - uy) * (vj - uy));
            covar += pij * (vi - ux) * (vj - uy);
            energy += pij * pij;                  /* JointEnergy (8ZQL) */
            if (pij > maxp) maxp = pij;           /* MaximumProbability (GYBY) */
            hxy += pij * log2(pij + GLCM_EPS);
        }
    f[RADX_GLCM_AUTOCORRELATION] = autocorr;
    f[RADX_GLCM_CLUSTER_PROMINENCE] = prominence;
    f[RADX_GLCM_CLUSTER_SHADE] = shade;
    f[RADX_GLCM_CLUSTER_TENDENCY] = tendency;
    f[RADX_GLCM_CONTRAST] = contrast;
    /* Correlation (NI2N): (sum p(i,j)(i-mu_x)(j-mu_y)) / (sigma_x sigma_y + eps),
     * set to 1 when sigma_x sigma_y == 0 (flat region), glcm.py. */
    double sigma = sqrt(varx) * sqrt(vary);
    f[RADX_GLCM_CORRELATION] = sigma == 0.0 ? 1.0 : covar / (sigma + GLCM_EPS);
    f[RADX_GLCM_JOINT_AVERAGE] = ux;             /* JointAverage (60VM) = mu_x */
    f[RADX_GLCM_JOINT_ENERGY] = energy;
    f[RADX_GLCM_JOINT_ENTROPY] = -hxy;           /* HXY, JointEntropy (TU9B) */
    f[RADX_GLCM_MAXIMUM_PROBABILITY] = maxp;
    f[RADX_GLCM_SUM_SQUARES] = varx;             /* SumSquares (UR99) = sum (i-mu_x)^2 p */
}

/* Features of p_{x+y} and p_{x-y}; k runs over 2..2Ng and 0..Ng-1. */
static void sum_difference_features(const double *psum, const double *pdiff, int ng, double *f)
{
    double sum_average = 0, sum_entropy = 0;
    for (int k = 2; k <= 2 * ng; k++) {
        sum_average += (double)k * psum[k];                /* SumAverage (ZGXS) */
        sum_entropy += psum[k] * log2(psum[k] + GLCM_EPS); /* SumEntropy (P6QZ) */
    }
    double da = 0, de = 0, id = 0, idm = 0, idmn = 0, idn = 0, inv_var = 0;
    const double ngd = ng, ng2 = (double)ng * (double)ng;
    for (int k = 0; k < ng; k++) {
        double pk = pdiff[k], kd = k;
        da += kd * pk;                                     /* DifferenceAverage (TF7R) */
        de += pk * log2(pk + GLCM_EPS);                    /* DifferenceEntropy (NTRS) */
        id += pk / (1.0 + kd);                             /* Id (IB1Z) */
        idm += pk / (1.0 + kd * kd);                       /* Idm (WF0Z) */
        idmn += pk / (1.0 + (kd * kd) / ng2);              /* Idmn (1QCO): k^2 / Ng^2 */
        idn += pk / (1.0 + kd / ngd);                      /* Idn (NDRX): k / Ng */
        if (k >= 1) inv_var += pk / (kd * kd);             /* InverseVariance (E8JP), k >= 1 */
    }
    double dv = 0;
    for (int k = 0; k < ng; k++) dv += pdiff[k] * ((k - da) * (k - da)); /* DifferenceVariance (D3YU) */
    f[RADX_GLCM_SUM_AVERAGE] = sum_average;
    f[RADX_GLCM_SUM_ENTROPY] = -sum_entropy;
    f[RADX_GLCM_DIFFERENCE_AVERAGE] = da;
    f[RADX_GLCM_DIFFERENCE_ENTROPY] = -de;
    f[RADX_GLCM_DIFFERENCE_VARIANCE] = dv;
    f[RADX_GLCM_ID] = id;
    f[RADX_GLCM_IDM] = idm;
    f[RADX_GLCM_IDMN] = idmn;
    f[RADX_GLCM_IDN] = idn;
    f[RADX_GLCM_INVERSE_VARIANCE] = inv_var;
}

/* Informational measures of correlation, glcm.py getImc1/getImc2:
 * HX, HY marginal entropies, HXY1 = -sum p log2(px py + eps),
 * HXY2 = -sum px py log2(px py + eps). */
static void information_features(const double *p, const double *px, const double *py, int n,
                                 double hxy, double *f)
{
    double hx = 0, hy = 0, hxy1 = 0, hxy2 = 0;
    for (int i = 0; i < n; i++) {
        hx += px[i] * log2(px[i] + GLCM_EPS);
        hy += py[i] * log2(py[i] + GLCM_EPS);
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double pxy = px[i] * py[j];
            double lg = log2(pxy + GLCM_EPS);
            hxy1 += p[(size_t)i * n + j] * lg;
            hxy2 += pxy * lg;
        }
    hx = -hx;
    hy = -hy;
    hxy1 = -hxy1;
    hxy2 = -hxy2;
    /* Imc1 (R8DG) = (HXY - HXY1) / max(HX, HY); 0 where the divisor is 0. */
    double div = fmax(hx, hy);
    f[RADX_GLCM_IMC1] = div != 0.0 ? (hxy - hxy1) / div : 0.0;
    /* Imc2 (JN9H) = sqrt(1 - e^(-2 (HXY2 - HXY))); PyRadiomics sets 0 only
     * where HXY2 == HXY, a negative radicand gives NaN (numpy ** 0.5). It
     * evaluates e^x as np.e ** x, hence pow(e, .) rather than exp(). */
    f[RADX_GLCM_IMC2] = hxy2 == hxy ? 0.0 : sqrt(1.0 - pow(GLCM_NUMPY_E, -2.0 * (hxy2 - hxy)));
}

/* numpy sorts complex eigenvalues by real part, then imaginary part. */
static int eigen_less(double re_a, double im_a, double re_b, double im_b)
{
    return re_a < re_b || (re_a == re_b && im_a < im_b);
}

/* Keep the largest and second-largest of a stream of eigenvalues. */
typedef struct top_two {
    int count;
    double re[2], im[2];  /* [0] largest, [1] second */
} top_two;

static void top_two_add(top_two *t, double re, double im)
{
    if (t->count == 0 || eigen_less(t->re[0], t->im[0], re, im)) {
        t->re[1] = t->re[0];
        t->im[1] = t->im[0];
        t->re[0] = re;
        t->im[0] = im;
    } else if (t->count == 1 || eigen_less(t->re[1], t->im[1], re, im)) {
        t->re[1] = re;
        t->im[1] = im;
    }
    t->count++;
}

/* Q(i,j) = sum_k p(i,k) p(j,k) / (p_x(i) p_y(k) + eps) over the rows with
 * p_x(i) > 0 (glcm.py getMCCFeatureValue). Rows and columns of inactive
 * levels are exactly zero in PyRadiomics' full Q: they only add eigenvalues
 * 0, which mcc_eigenvalue() appends. Returns the number of active rows. */
static int build_q(const double *p, const double *px, const double *py, int n,
                   radx_glcm_workspace *ws)
{
    int na = 0;
    for (int i = 0; i < n; i++) {
        if (px[i] > 0.0) ws->active[na++] = i;
        int cnt = 0;
        for (int k = 0; k < n; k++)
            if (p[(size_t)i * n + k] != 0.0) ws->nonzero[(size_t)i * n + cnt++] = k;
        ws->nnonzero[i] = cnt;
    }
    for (int a = 0; a < na; a++) {
        int i = ws->active[a];
        const int *ks = ws->nonzero + (size_t)i * n;
        for (int b = 0; b < na; b++) {
            int j = ws->active[b];
            double q = 0.0;
            for (int t = 0; t < ws->nnonzero[i]; t++) {
                int k = ks[t];
                q += (p[(size_t)i * n + k] * p[(size_t)j * n + k]) / (px[i] * py[k] + GLCM_EPS);
            }
            ws->q[(size_t)a * na + b] = q;
        }
    }
    return na;
}

/* Second-largest eigenvalue of Q (PyRadiomics: numpy.linalg.eigvals of Q).
 * Q is similar to a symmetric matrix, so its eigenvalues are real and are
 * found with GSL's symmetric solver (about 4x faster than the general one
 * it replaced, same values to ~5e-15 on the PyRadiomics references).
 * eigen_complex therefore stays 0; radx_glcm_combine() keeps numpy's rules
 * for a second eigenvalue that rounds below zero. */
static radx_status mcc_eigenvalue(const double *p, const double *px, const double *py, int n,
                                  radx_glcm_workspace *ws, radx_glcm_values *v)
{
    int na = build_q(p, px, py, n, ws);
    top_two top = {0, {0, 0}, {0, 0}};
    for (int z = na; z < n; z++) top_two_add(&top, 0.0, 0.0);
    if (na > 0) {
        /* Q = D^-1 P E^-1 P^T (D = diag(p_x), E = diag(p_y)) is similar to the
         * symmetric M = D^1/2 Q D^-1/2, M(a,b) = Q(a,b) sqrt(p_x(a) / p_x(b)),
         * so its eigenvalues are real and a symmetric solver finds them. */
        for (int a = 0; a < na; a++)
            for (int b = a + 1; b < na; b++) {
                double ab = ws->q[(size_t)a * na + b] * sqrt(px[ws->active[a]] / px[ws->active[b]]);
                double ba = ws->q[(size_t)b * na + a] * sqrt(px[ws->active[b]] / px[ws->active[a]]);
                ws->q[(size_t)a * na + b] = ws->q[(size_t)b * na + a] = 0.5 * (ab + ba);
            }
        gsl_matrix_view qv = gsl_matrix_view_array(ws->q, (size_t)na, (size_t)na);
        gsl_vector *eval = gsl_vector_alloc((size_t)na);
        gsl_eigen_symm_workspace *ew = gsl_eigen_symm_alloc((size_t)na);
        if (!eval || !ew) {
            if (eval) gsl_vector_free(eval);
            if (ew) gsl_eigen_symm_free(ew);
            return radx_fail(RADX_ERR_NOMEM, "GLCM MCC: cannot allocate eigenvalue workspace");
        }
        if (gsl_eigen_symm(&qv.matrix, eval, ew) != GSL_SUCCESS) v->eigen_failed = 1;
        else
            for (int e = 0; e < na; e++) top_two_add(&top, gsl_vector_get(eval, (size_t)e), 0.0);
        gsl_eigen_symm_free(ew);
        gsl_vector_free(eval);
    }
    if (top.count >= 2) {
        v->mcc_eigen_re = top.re[1];
        v->mcc_eigen_im = top.im[1];
    }
    return RADX_OK;
}

static void values_reset(radx_glcm_values *v)
{
    for (int f = 0; f < RADX_GLCM_NFEATURES; f++) v->feature[f] = NAN;
    v->empty = 0;
    v->eigen_failed = 0;
    v->eigen_complex = 0;
    v->mcc_eigen_re = NAN;
    v->mcc_eigen_im = 0.0;
}

radx_status radx_glcm_matrix_features(const double *P, int nlevels, const int *level_values,
                                      int ng, radx_glcm_workspace *ws, radx_glcm_values *values)
{
    values_reset(values);
    if (!ws || nlevels != ws->nlevels || ng > ws->ng)
        return radx_fail(RADX_ERR_INTERNAL, "GLCM: workspace does not fit %d levels, Ng %d",
                         nlevels, ng);
    for (int i = 0; i < nlevels; i++)
        if (level_values[i] < 1 || level_values[i] > ng)
            return radx_fail(RADX_ERR_INTERNAL, "GLCM: grey level %d outside 1..%d",
                             level_values[i], ng);
    double total = 0.0;
    for (size_t k = 0; k < (size_t)nlevels * (size_t)nlevels; k++) total += P[k];
    if (!(total > 0.0)) {
        /* glcm.py: a zero sum becomes NaN, so every feature of this matrix is NaN. */
        values->empty = 1;
        return RADX_OK;
    }
    normalise_and_marginals(P, nlevels, total, ws);
    sum_and_difference(ws->p, nlevels, level_values, ng, ws->psum, ws->pdiff);
    joint_features(ws->p, nlevels, level_values, values->feature);
    sum_difference_features(ws->psum, ws->pdiff, ng, values->feature);
    information_features(ws->p, ws->px, ws->py, nlevels,
                         values->feature[RADX_GLCM_JOINT_ENTROPY], values->feature);
    return mcc_eigenvalue(ws->p, ws->px, ws->py, nlevels, ws, values);
}

/* ------------------------------------------------------- combine angles */

/* MCC = sqrt(second-largest eigenvalue of Q), averaged with nanmean.
 * numpy.linalg.eigvals returns a real array unless some eigenvalue of some
 * angle is complex: then sqrt is complex and .real is kept (0 for a negative
 * real eigenvalue); in a real array a negative eigenvalue gives NaN. A
 * non-converged eigenvalue computation raises, and PyRadiomics reports NaN. */
static double combine_mcc(const radx_glcm_values *values, int nvalues, int drop_empty, int nlevels)
{
    if (nlevels < 2) return 1.0;     /* glcm.py: "flat region", Q is 1 x 1 */
    int any_complex = 0;
    for (int a = 0; a < nvalues; a++) {
        if (drop_empty && values[a].empty) continue;
        if (values[a].eigen_failed) return NAN;
        any_complex |= values[a].eigen_complex;
    }
    double sum = 0.0;
    int count = 0;
    for (int a = 0; a < nvalues; a++) {
        if (drop_empty && values[a].empty) continue;
        double re = values[a].mcc_eigen_re, im = values[a].mcc_eigen_im, mcc;
        if (any_complex) {
            /* Principal square root, real part: sqrt((|z| + re) / 2). */
            mcc = sqrt((hypot(re, im) + re) / 2.0);
        } else {
            mcc = sqrt(re);           /* NaN for a negative eigenvalue */
        }
        if (!isnan(mcc)) {
            sum += mcc;
            count++;
        }
    }
    return count > 0 ? sum / count : NAN;
}

void radx_glcm_combine(const radx_glcm_values *values, int nvalues, int nlevels, double *out)
{
    for (int f = 0; f < RADX_GLCM_NFEATURES; f++) out[f] = NAN;
    if (nvalues < 1) return;
    if (nvalues == 1 && values[0].empty) return; /* one NaN matrix: all NaN, MCC raises */

    /* glcm.py: with more than one angle, angles whose matrix sums to 0 are
     * deleted; then np.nanmean over the rest (NaN if none is left). */
    int drop_empty = nvalues > 1;
    for (int f = 0; f < RADX_GLCM_NFEATURES; f++) {
        if (f == RADX_GLCM_MCC) continue;
        double sum = 0.0;
        int count = 0;
        for (int a = 0; a < nvalues; a++) {
            if (drop_empty && values[a].empty) continue;
            if (!isnan(values[a].feature[f])) {
                sum += values[a].feature[f];
                count++;
            }
        }
        out[f] = count > 0 ? sum / count : NAN;
    }
    out[RADX_GLCM_MCC] = combine_mcc(values, nvalues, drop_empty, nlevels);
}

/* ------------------------------------------------------------ the class */

static radx_status check_roi(const radx_roi *roi)
{
    if (!roi || !roi->mask || !roi->levels || !roi->level_values || !roi->level_rank)
        return radx_fail(RADX_ERR_INTERNAL, "GLCM: incomplete ROI");
    if (roi->nlevels < 1 || roi->nvoxels < 1)
        return radx_fail(RADX_ERR_ROI, "GLCM: empty ROI");
    if (roi->ng > RADX_MAX_GRAY_LEVELS)
        return radx_fail(RADX_ERR_LIMIT, "GLCM: %d grey levels exceed the limit of %d", roi->ng,
                         RADX_MAX_GRAY_LEVELS);
    return RADX_OK;
}

/* Everything one GLCM extraction owns. */
typedef struct glcm_run {
    radx_angle *angles;
    int nangles;
    radx_glcm_matrix matrix;
    double *weighted;             /* [n*n] double matrix fed to the features */
    radx_glcm_workspace *ws;
    radx_glcm_values *values;     /* one per angle (average) or one */
} glcm_run;

static void glcm_run_free(glcm_run *run)
{
    free(run->angles);
    radx_glcm_matrix_free(&run->matrix);
    free(run->weighted);
    radx_glcm_workspace_free(run->ws);
    free(run->values);
}

static radx_status glcm_run_init(const radx_roi *roi, const radx_feature_opts *opts, glcm_run *run)
{
    memset(run, 0, sizeof *run);
    run->angles = malloc(RADX_MAX_ANGLES * sizeof *run->angles);
    if (!run->angles) return radx_fail(RADX_ERR_NOMEM, "GLCM: cannot allocate angles");
    int axis = opts->force2d ? opts->force2d_axis : -1;
    run->nangles = radx_angles_generate(roi->size, opts->distances, opts->ndistances, axis, 0,
                                        run->angles);
    if (run->nangles < 0 || opts->ndistances < 1)
        return radx_fail(RADX_ERR_PARAM, "GLCM: distances must be 1..%d", RADX_MAX_DISTANCES);
    if (run->nangles == 0)
        return radx_fail(RADX_ERR_ROI, "GLCM: no angle fits the ROI bounding box %d x %d x %d",
                         roi->size[0], roi->size[1], roi->size[2]);
    radx_status st = radx_glcm_matrix_alloc(roi->nlevels, &run->matrix);
    if (st != RADX_OK) return st;
    st = radx_glcm_workspace_alloc(roi->nlevels, roi->ng, &run->ws);
    if (st != RADX_OK) return st;
    size_t n = (size_t)roi->nlevels;
    run->weighted = malloc(n * n * sizeof *run->weighted);
    run->values = malloc((size_t)run->nangles * sizeof *run->values);
    if (!run->weighted || !run->values)
        return radx_fail(RADX_ERR_NOMEM, "GLCM: cannot allocate matrices");
    return RADX_OK;
}

/* weightingNorm unset: features per angle, then the mean over angles. */
static radx_status glcm_average(const radx_roi *roi, const radx_feature_opts *opts, glcm_run *run,
                                double *out)
{
    size_t cells = (size_t)roi->nlevels * (size_t)roi->nlevels;
    for (int a = 0; a < run->nangles; a++) {
        radx_status st = radx_glcm_build(roi, &run->angles[a], opts->symmetrical_glcm, &run->matrix);
        if (st != RADX_OK) return st;
        for (size_t k = 0; k < cells; k++) run->weighted[k] = (double)run->matrix.counts[k];
        st = radx_glcm_matrix_features(run->weighted, roi->nlevels, roi->level_values, roi->ng,
                                       run->ws, &run->values[a]);
        if (st != RADX_OK) return st;
    }
    radx_glcm_combine(run->values, run->nangles, roi->nlevels, out);
    return RADX_OK;
}

/* weightingNorm set: sum_a w_a P_a, w_a = exp(-||d_a||^2) (1 for
 * no_weighting), then features of that one matrix (glcm.py). */
static radx_status glcm_weighted(const radx_roi *roi, const radx_feature_opts *opts, glcm_run *run,
                                 double *out)
{
    size_t cells = (size_t)roi->nlevels * (size_t)roi->nlevels;
    for (size_t k = 0; k < cells; k++) run->weighted[k] = 0.0;
    for (int a = 0; a < run->nangles; a++) {
        radx_status st = radx_glcm_build(roi, &run->angles[a], opts->symmetrical_glcm, &run->matrix);
        if (st != RADX_OK) return st;
        double w = radx_angle_weight(&run->angles[a], roi->spacing, opts->weighting);
        radx_glcm_accumulate(&run->matrix, w, run->weighted);
    }
    radx_status st = radx_glcm_matrix_features(run->weighted, roi->nlevels, roi->level_values,
                                               roi->ng, run->ws, &run->values[0]);
    if (st != RADX_OK) return st;
    radx_glcm_combine(run->values, 1, roi->nlevels, out);
    return RADX_OK;
}

static radx_status glcm_compute(const radx_roi *roi, const radx_feature_opts *opts, double *out)
{
    radx_status st = check_roi(roi);
    if (st != RADX_OK) return st;
    glcm_run run;
    st = glcm_run_init(roi, opts, &run);
    if (st == RADX_OK)
        st = opts->weighting == RADX_WEIGHTING_AVERAGE ? glcm_average(roi, opts, &run, out)
                                                       : glcm_weighted(roi, opts, &run, out);
    glcm_run_free(&run);
    return st;
}

const radx_feature_class radx_class_glcm = {
    "glcm", RADX_GLCM_NFEATURES, glcm_features, glcm_compute,
};
