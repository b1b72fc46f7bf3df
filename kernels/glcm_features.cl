/* GLCM features reduced on the device from the co-occurrence matrices of
 * kernels/glcm.cl (still in device memory), as host/features/glcm.c
 * radx_glcm_matrix_features computes them (PyRadiomics 3.1 glcm.py), every
 * sum over the nonzero cells in row-major order as there, double precision
 * (cl_khr_fp64), no fused multiply-add. The host only combines the angles
 * (radx_glcm_combine: empty angles deleted, nanmean, MCC's rules).
 *
 * Notation of glcm.py: P(i,j) the (weighted) counts, p(i,j) = P / sum P,
 * p_x, p_y the marginals, p_{x+y}(k), p_{x-y}(k) over the grey-level VALUES
 * i, j (level_values), mu_x = sum i p(i,j), mu_y = sum j p(i,j), eps =
 * numpy.spacing(1).
 *
 * One work-item per item (host/cl/glcm_cl.c): an angle of a job
 * (weightingNorm unset), or the whole job (weightingNorm set: P = sum over
 * its angles of counts * weight, radx_glcm_accumulate's order; weights
 * exp(-||d||^2) from the host, radx_angle_weight). Each item has scratch in
 * `scratch` (doubles: p [n*n], Q [n*n], p_x, p_y [n], p_{x+y} [2Ng+1],
 * p_{x-y} [Ng], eigen work [3n]) and `iscratch` (ints: active rank [n],
 * a column's rows [n]).
 *
 * Output per item: RADX_GLCM_NFEATURES (24) doubles in enum order
 * (host/features/glcm.h, MCC left NaN), then "empty" (sum P = 0) and the
 * second-largest eigenvalue of Q (NaN when Q has fewer than 2 rows). */
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#pragma OPENCL FP_CONTRACT OFF

#define GLCM_NF 24
#define GLCM_OUT (GLCM_NF + 2)
#define GLCM_EPS 2.220446049250313080847e-16 /* DBL_EPSILON, numpy.spacing(1) */
#define GLCM_NUMPY_E 2.718281828459045      /* numpy.e, glcm.py getImc2Feature */
#define GLCM_DBL_MIN 2.2250738585072014e-308

/* enum radx_glcm_feature (host/features/glcm.h) */
enum {
    AUTOCORR = 0, PROMINENCE, SHADE, TENDENCY, CONTRAST, CORRELATION, DIFF_AVERAGE, DIFF_ENTROPY,
    DIFF_VARIANCE, ID, IDM, IDMN, IDN, IMC1, IMC2, INV_VARIANCE, JOINT_AVERAGE, JOINT_ENERGY,
    JOINT_ENTROPY, MCC, MAX_PROBABILITY, SUM_AVERAGE, SUM_ENTROPY, SUM_SQUARES
};

/* One item: kernel argument `items`, 8 ints each. */
typedef struct glcm_item {
    int job, first_angle, nangles, weight_start, scratch, iscratch, reserved[2];
} glcm_item;

typedef struct glcm_work {
    int n, ng;
    __global const int *lv;
    __global double *p, *q, *px, *py, *psum, *pdiff, *eig;
    __global int *rank;
} glcm_work;

/* ------------------------------------------- pow as glibc (exact_pow.h) */

/* Device twin of host/features/exact_pow.h: pow(x, 3.0) and pow(x, 4.0)
 * exactly as glibc's pow where Dekker's exact products make the result
 * certain, OpenCL's pow otherwise (rare: near a midpoint). */
void glcm_two_product(double a, double b, double *p, double *e)
{
    const double split = 134217729.0; /* 2^27 + 1 */
    double ca = split * a, cb = split * b;
    double ah = ca - (ca - a), al = a - ah;
    double bh = cb - (cb - b), bl = b - bh;
    *p = a * b;
    *e = ((ah * bh - *p) + ah * bl + al * bh) + al * bl;
}

int glcm_pow_result_certain(double p, double r, double *q)
{
    const double s = p + r;
    const double rest = r - (s - p);
    ulong bits = as_ulong(s);
    int exponent = (int)((bits >> 52) & 0x7ff);
    if (exponent == 0 || exponent == 0x7ff) return 0;
    if ((bits & ((1ul << 52) - 1)) == 0) return 0;
    *q = s;
    double ulp = as_double((ulong)(exponent - 52) << 52);
    return fabs(rest) <= 0.47 * ulp;
}

int glcm_pow_operand_safe(double x)
{
    double a = fabs(x);
    return a > 0x1p-64 && a < 0x1p+64;
}

double glcm_pow3(double x)
{
    double h, l, p, e, q;
    if (glcm_pow_operand_safe(x)) {
        glcm_two_product(x, x, &h, &l);
        glcm_two_product(h, x, &p, &e);
        if (glcm_pow_result_certain(p, e + l * x, &q)) return q;
    }
    return pow(x, 3.0);
}

double glcm_pow4(double x)
{
    double h, l, p, e, q;
    if (glcm_pow_operand_safe(x)) {
        glcm_two_product(x, x, &h, &l);
        glcm_two_product(h, h, &p, &e);
        if (glcm_pow_result_certain(p, e + 2.0 * h * l, &q)) return q;
    }
    return pow(x, 4.0);
}

/* ----------------------------------------- eigenvalues (symm_eigen.c) */

/* Device twin of host/features/symm_eigen.c (GSL 2.7 gsl_eigen_symm's
 * order of operations): Householder tridiagonalisation, then implicit QR
 * with Wilkinson shifts. The host's blocked loops (4 rows, 2 rows) are
 * written there so that every sum gets its terms in the order of these
 * plain row-by-row loops; the QR sweeps of one matrix are the same whether
 * interleaved with others or not. */
double eig_scaled_norm(__global const double *x, int len)
{
    if (len == 1) return fabs(x[0]);
    double scale = 0.0, ssq = 1.0;
    for (int i = 0; i < len; i++) {
        if (x[i] == 0.0) continue;
        const double ax = fabs(x[i]);
        if (scale < ax) {
            ssq = 1.0 + ssq * (scale / ax) * (scale / ax);
            scale = ax;
        } else {
            ssq += (ax / scale) * (ax / scale);
        }
    }
    return scale * sqrt(ssq);
}

double eig_reflector(__global double *v, int m)
{
    if (m == 1) return 0.0;
    const double xnorm = eig_scaled_norm(v + 1, m - 1);
    if (xnorm == 0) return 0.0;
    const double alpha = v[0];
    const double beta = -(alpha >= 0.0 ? 1.0 : -1.0) * hypot(alpha, xnorm);
    const double tau = (beta - alpha) / beta;
    const double s = alpha - beta;
    if (fabs(s) > GLCM_DBL_MIN) {
        const double scale = 1.0 / s;
        for (int k = 1; k < m; k++) v[k] *= scale;
    } else {
        const double first = GLCM_EPS / s, second = 1.0 / GLCM_EPS;
        for (int k = 1; k < m; k++) v[k] *= first;
        for (int k = 1; k < m; k++) v[k] *= second;
    }
    v[0] = beta;
    return tau;
}

/* x = tau T u, T symmetric in the lower triangle (reference BLAS dsymv,
 * row-major, lower: rows from the last to the first). */
void eig_symmetric_times_vector(__global const double *t, int lda, int m, double tau,
                                __global const double *u, __global double *x)
{
    for (int k = 0; k < m; k++) x[k] = 0.0;
    for (int r = m - 1; r >= 0; r--) {
        __global const double *row = t + (size_t)r * lda;
        const double scaled = tau * u[r];
        double dot = 0.0;
        x[r] += scaled * row[r];
        for (int c = 0; c < r; c++) dot += u[c] * row[c];
        for (int c = 0; c < r; c++) x[c] += scaled * row[c];
        x[r] += tau * dot;
    }
}

/* T -= u w^T + w u^T on the lower triangle (reference BLAS dsyr2, alpha -1). */
void eig_symmetric_rank2_update(__global double *t, int lda, int m, __global const double *u,
                                __global const double *w)
{
    for (int r = 0; r < m; r++) {
        __global double *row = t + (size_t)r * lda;
        const double ur = -1.0 * u[r], wr = -1.0 * w[r];
        for (int c = 0; c <= r; c++) row[c] += ur * w[c] + wr * u[c];
    }
}

void eig_tridiagonalise(__global double *a, int n, __global double *u, __global double *x)
{
    for (int i = 0; i + 2 < n; i++) {
        const int m = n - i - 1;
        __global double *col = a + (size_t)(i + 1) * n + i;
        for (int k = 0; k < m; k++) u[k] = col[(size_t)k * n];
        const double tau = eig_reflector(u, m);
        col[0] = u[0];
        if (tau == 0.0) continue;
        u[0] = 1.0;
        __global double *trailing = a + (size_t)(i + 1) * n + (i + 1);
        eig_symmetric_times_vector(trailing, n, m, tau, u, x);
        double xu = 0.0;
        for (int k = 0; k < m; k++) xu += x[k] * u[k];
        const double alpha = -0.5 * tau * xu;
        if (alpha != 0.0)
            for (int k = 0; k < m; k++) x[k] += alpha * u[k];
        eig_symmetric_rank2_update(trailing, n, m, u, x);
    }
}

void eig_chop_small_elements(int n, __global const double *d, __global double *sd)
{
    for (int i = 0; i < n - 1; i++)
        sd[i] = fabs(sd[i]) < GLCM_EPS * (fabs(d[i]) + fabs(d[i + 1])) ? 0.0 : sd[i];
}

void eig_givens(double a, double b, double *c, double *s)
{
    if (b == 0) {
        *c = 1;
        *s = 0;
    } else if (fabs(b) > fabs(a)) {
        const double t = -a / b, s1 = 1.0 / sqrt(1 + t * t);
        *s = s1;
        *c = s1 * t;
    } else {
        const double t = -b / a, c1 = 1.0 / sqrt(1 + t * t);
        *c = c1;
        *s = c1 * t;
    }
}

double eig_wilkinson_shift(int n, __global const double *d, __global const double *sd)
{
    const double ta = d[n - 2], tb = d[n - 1], tab = sd[n - 2];
    const double dt = (ta - tb) / 2.0;
    if (dt > 0) return tb - tab * (tab / (dt + hypot(dt, tab)));
    if (dt == 0) return tb - fabs(tab);
    return tb + tab * (tab / ((-dt) + hypot(dt, tab)));
}

/* One implicit QR sweep on the unreduced block d[0..n-1], sd[0..n-2]
 * (GSL qrstep; symm_eigen.c sweep_start + sweep_rotate). */
void eig_qr_step(int n, __global double *d, __global double *sd)
{
    double mu = eig_wilkinson_shift(n, d, sd);
    if (GLCM_EPS * fabs(mu) > (fabs(d[0]) + fabs(sd[0]))) mu = 0;
    double x = d[0] - mu, z = sd[0];
    double ap = d[0], bp = sd[0], aq = d[1];
    if (n == 2) {
        double c, s;
        eig_givens(x, z, &c, &s);
        const double ap1 = c * (c * ap - s * bp) + s * (s * aq - c * bp);
        const double bp1 = c * (s * ap + c * bp) - s * (s * bp + c * aq);
        const double aq1 = s * (s * ap + c * bp) + c * (s * bp + c * aq);
        d[0] = ap1;
        sd[0] = bp1;
        d[1] = aq1;
        return;
    }
    double bk = 0, zk = 0, bq = sd[1];
    for (int k = 0; k < n - 1; k++) {
        double c, s;
        eig_givens(x, z, &c, &s);
        const double bk1 = c * bk - s * zk;
        const double ap1 = c * (c * ap - s * bp) + s * (s * aq - c * bp);
        const double bp1 = c * (s * ap + c * bp) - s * (s * bp + c * aq);
        const double zp1 = -s * bq;
        const double aq1 = s * (s * ap + c * bp) + c * (s * bp + c * aq);
        const double bq1 = c * bq;
        bk = bp1;
        zk = zp1;
        ap = aq1;
        bp = bq1;
        if (k < n - 2) aq = d[k + 2];
        if (k < n - 3) bq = sd[k + 2];
        d[k] = ap1;
        if (k > 0) sd[k - 1] = bk1;
        if (k < n - 2) sd[k + 1] = bq1;
        x = bp1;
        z = zp1;
    }
    d[n - 1] = ap;
    sd[n - 2] = bk;
}

/* The QR iteration (symm_eigen.c next_sweep / tridiagonal_eigenvalues for
 * one matrix): always the last unreduced block, chopping after each sweep. */
void eig_tridiagonal_eigenvalues(int n, __global double *d, __global double *sd)
{
    int b = n - 1, a = 0, swept = 0;
    eig_chop_small_elements(n, d, sd);
    for (;;) {
        if (swept) eig_chop_small_elements(b - a + 1, d + a, sd + a);
        swept = 0;
        while (b > 0) {
            if (sd[b - 1] == 0.0 || isnan(sd[b - 1])) {
                b--;
                continue;
            }
            a = b - 1;
            while (a > 0 && sd[a - 1] != 0.0) a--;
            int block = b - a + 1;
            eig_qr_step(block, d + a, sd + a);
            if (block > 2) {
                swept = 1;
                break;
            }
            eig_chop_small_elements(block, d + a, sd + a); /* 2 x 2: done at once */
        }
        if (!swept) return;
    }
}

/* ------------------------------------------------------ the features */

/* P of the item (weighted sum over its angles, radx_glcm_accumulate's
 * order) into w->p, returning sum P summed in row-major order (glcm.c
 * collect_cells; for integer counts the exact sum collect_count_cells
 * takes). */
double glcm_collect(glcm_work *w, __global const uint *counts, __global const double *weights,
                    int nangles)
{
    int n = w->n;
    size_t cells = (size_t)n * n;
    double total = 0.0;
    for (size_t k = 0; k < cells; k++) {
        double v = 0.0;
        for (int a = 0; a < nangles; a++) v += (double)counts[a * cells + k] * weights[a];
        w->p[k] = v;
        if (v != 0.0) total += v;
    }
    return total;
}

/* Entropies take log2(p + eps) of p = P / sum P: for integer counts below
 * this bound the logarithm is computed once per distinct count (glcm.c
 * cell_log2; the same operands give the same value). */
#define GLCM_LOG_CACHE 64

/* glcm.c normalise_and_marginals: p(i,j) = P / sum P in place (cells that
 * round to 0 dropped), p_x, p_y, p_{x+y}, p_{x-y}, mu_x, mu_y; and the
 * joint entropy's sum sum p log2(p + eps) (glcm.c joint_features' hxy),
 * over the same cells in the same order, while the counts are at hand. */
void glcm_normalise(glcm_work *w, double total, double *ux, double *uy, double *hxy)
{
    int n = w->n, ng = w->ng;
    for (int i = 0; i < n; i++) w->px[i] = w->py[i] = 0.0;
    for (int k = 0; k <= 2 * ng; k++) w->psum[k] = 0.0;
    for (int k = 0; k < ng; k++) w->pdiff[k] = 0.0;
    double log_cache[GLCM_LOG_CACHE];
    uchar cached[GLCM_LOG_CACHE];
    for (int c = 0; c < GLCM_LOG_CACHE; c++) cached[c] = 0;
    double mx = 0.0, my = 0.0, h = 0.0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            __global double *cell = w->p + (size_t)i * n + j;
            const double count = *cell;
            if (count == 0.0) continue;
            const double pij = count / total;
            *cell = pij;
            if (pij == 0.0) continue;
            w->px[i] += pij;
            w->py[j] += pij;
            w->psum[w->lv[i] + w->lv[j]] += pij;
            w->pdiff[abs(w->lv[i] - w->lv[j])] += pij;
            mx += (double)w->lv[i] * pij;
            my += (double)w->lv[j] * pij;
            double lg;
            if (count >= 1.0 && count < GLCM_LOG_CACHE && count == (double)(int)count) {
                const int c = (int)count;
                if (!cached[c]) {
                    log_cache[c] = log2(pij + GLCM_EPS);
                    cached[c] = 1;
                }
                lg = log_cache[c];
            } else {
                lg = log2(pij + GLCM_EPS);
            }
            h += pij * lg;
        }
    *ux = mx;
    *uy = my;
    *hxy = h;
}

/* glcm.c joint_features. */
void glcm_joint_features(glcm_work *w, double ux, double uy, double hxy, __global double *f)
{
    int n = w->n;
    double autocorr = 0, prominence = 0, shade = 0, tendency = 0, contrast = 0;
    double varx = 0, vary = 0, covar = 0, energy = 0, maxp = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            const double pij = w->p[(size_t)i * n + j];
            if (pij == 0.0) continue;
            const double vi = w->lv[i], vj = w->lv[j];
            const double dxi = vi - ux, dyj = vj - uy;
            const double v = ((double)(w->lv[i] + w->lv[j]) - ux) - uy; /* cluster_powers */
            const double d = fabs(vi - vj);
            autocorr += pij * (vi * vj);          /* Autocorrelation (QWB0) */
            prominence += pij * glcm_pow4(v);     /* ClusterProminence (AE86): t^4 */
            shade += pij * glcm_pow3(v);          /* ClusterShade (7NFM): t^3 */
            tendency += pij * (v * v);            /* ClusterTendency (DG8W): t^2 */
            contrast += pij * (d * d);            /* Contrast (ACUI) */
            varx += pij * (dxi * dxi);            /* (i - mu_x)^2 */
            vary += pij * (dyj * dyj);            /* (j - mu_y)^2 */
            covar += pij * dxi * dyj;
            energy += pij * pij;                  /* JointEnergy (8ZQL) */
            if (pij > maxp) maxp = pij;           /* MaximumProbability (GYBY) */
        }
    f[AUTOCORR] = autocorr;
    f[PROMINENCE] = prominence;
    f[SHADE] = shade;
    f[TENDENCY] = tendency;
    f[CONTRAST] = contrast;
    /* Correlation (NI2N): covariance / (sigma_x sigma_y + eps); 1 when flat */
    double sigma = sqrt(varx) * sqrt(vary);
    f[CORRELATION] = sigma == 0.0 ? 1.0 : covar / (sigma + GLCM_EPS);
    f[JOINT_AVERAGE] = ux;                        /* JointAverage (60VM) = mu_x */
    f[JOINT_ENERGY] = energy;
    f[JOINT_ENTROPY] = -hxy;                      /* HXY, JointEntropy (TU9B) */
    f[MAX_PROBABILITY] = maxp;
    f[SUM_SQUARES] = varx;                        /* SumSquares (UR99) */
}

/* glcm.c sum_difference_features. */
void glcm_sum_difference_features(glcm_work *w, __global double *f)
{
    int ng = w->ng;
    double sum_average = 0, sum_entropy = 0;
    for (int k = 2; k <= 2 * ng; k++) {
        double pk = w->psum[k];
        if (pk == 0.0) continue;
        sum_average += (double)k * pk;                    /* SumAverage (ZGXS) */
        sum_entropy += pk * log2(pk + GLCM_EPS);          /* SumEntropy (P6QZ) */
    }
    double da = 0, de = 0, id = 0, idm = 0, idmn = 0, idn = 0, inv_var = 0;
    const double ngd = ng, ng2 = (double)ng * (double)ng;
    for (int k = 0; k < ng; k++) {
        double pk = w->pdiff[k], kd = k;
        if (pk == 0.0) continue;
        da += kd * pk;                                    /* DifferenceAverage (TF7R) */
        de += pk * log2(pk + GLCM_EPS);                   /* DifferenceEntropy (NTRS) */
        id += pk / (1.0 + kd);                            /* Id (IB1Z) */
        idm += pk / (1.0 + kd * kd);                      /* Idm (WF0Z) */
        idmn += pk / (1.0 + (kd * kd) / ng2);             /* Idmn (1QCO): k^2 / Ng^2 */
        idn += pk / (1.0 + kd / ngd);                     /* Idn (NDRX): k / Ng */
        if (k >= 1) inv_var += pk / (kd * kd);            /* InverseVariance (E8JP) */
    }
    double dv = 0;
    for (int k = 0; k < ng; k++)                          /* DifferenceVariance (D3YU) */
        if (w->pdiff[k] != 0.0) dv += w->pdiff[k] * ((k - da) * (k - da));
    f[SUM_AVERAGE] = sum_average;
    f[SUM_ENTROPY] = -sum_entropy;
    f[DIFF_AVERAGE] = da;
    f[DIFF_ENTROPY] = -de;
    f[DIFF_VARIANCE] = dv;
    f[ID] = id;
    f[IDM] = idm;
    f[IDMN] = idmn;
    f[IDN] = idn;
    f[INV_VARIANCE] = inv_var;
}

/* glcm.c information_features (glcm.py getImc1/getImc2): HX, HY, HXY1 =
 * -sum p log2(p_x p_y + eps), HXY2 = -sum p_x p_y log2(p_x p_y + eps) over
 * the nonzero p_x, p_y. lg(i,j) = log2(p_x(i) p_y(j) + eps) goes to the Q
 * scratch (free until glcm_mcc_matrix); when p_x and p_y are the same bit
 * for bit (a symmetric GLCM), p_x(i) p_y(j) = p_x(j) p_y(i) and only the
 * upper triangle is evaluated, as glcm.c marginal_product_logs. */
void glcm_information_features(glcm_work *w, double hxy, __global double *f)
{
    int n = w->n;
    __global double *lg = w->q;
    int symmetric = 1;
    for (int i = 0; i < n; i++) symmetric &= as_ulong(w->px[i]) == as_ulong(w->py[i]);
    double hx = 0, hy = 0, hxy1 = 0, hxy2 = 0;
    for (int i = 0; i < n; i++)
        if (w->px[i] != 0.0) hx += w->px[i] * log2(w->px[i] + GLCM_EPS);
    if (symmetric) hy = hx;
    else
        for (int i = 0; i < n; i++)
            if (w->py[i] != 0.0) hy += w->py[i] * log2(w->py[i] + GLCM_EPS);
    for (int i = 0; i < n; i++) {                /* marginal_product_logs */
        if (w->px[i] == 0.0) continue;
        for (int j = 0; j < n; j++) {
            if (w->py[j] == 0.0) continue;
            const double pxy = w->px[i] * w->py[j];
            __global double *cell = lg + (size_t)i * n + j;
            if (!symmetric || j >= i) {
                *cell = log2(pxy + GLCM_EPS);
                if (symmetric) lg[(size_t)j * n + i] = *cell;
            }
            hxy2 += pxy * *cell;
        }
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            const double pij = w->p[(size_t)i * n + j];
            if (pij != 0.0) hxy1 += pij * lg[(size_t)i * n + j];
        }
    hx = -hx;
    hy = -hy;
    hxy1 = -hxy1;
    hxy2 = -hxy2;
    /* Imc1 (R8DG) = (HXY - HXY1) / max(HX, HY); 0 where the divisor is 0 */
    double div = fmax(hx, hy);
    f[IMC1] = div != 0.0 ? (hxy - hxy1) / div : 0.0;
    /* Imc2 (JN9H) = sqrt(1 - e^(-2 (HXY2 - HXY))), numpy's np.e ** x; 0 only
     * where HXY2 == HXY */
    f[IMC2] = hxy2 == hxy ? 0.0 : sqrt(1.0 - pow(GLCM_NUMPY_E, -2.0 * (hxy2 - hxy)));
}

/* glcm.c build_q + mcc_prepare: Q(a,b) = sum_k p(a,k) p(b,k) / (p_x(a)
 * p_y(k) + eps) over the active rows (p_x > 0), terms in ascending k, then
 * the similar symmetric M(a,b) = 0.5 (Q(a,b) sqrt(p_x(a)/p_x(b)) + Q(b,a)
 * sqrt(p_x(b)/p_x(a))). Returns the number of active rows. */
int glcm_mcc_matrix(glcm_work *w)
{
    int n = w->n, na = 0;
    for (int i = 0; i < n; i++) {
        w->rank[i] = w->px[i] > 0.0 ? na : -1;
        if (w->px[i] > 0.0) na++;
    }
    for (int k = 0; k < na * na; k++) w->q[k] = 0.0;
    __global int *column = w->rank + n;          /* rows of column k's nonzero cells */
    for (int k = 0; k < n; k++) {
        int len = 0;                             /* a nonzero cell's row has p_x > 0 */
        for (int i = 0; i < n; i++)
            if (w->p[(size_t)i * n + k] != 0.0) column[len++] = i;
        for (int s = 0; s < len; s++) {
            const int i = column[s];
            const double pik = w->p[(size_t)i * n + k];
            const double den = w->px[i] * w->py[k] + GLCM_EPS;
            __global double *qrow = w->q + (size_t)w->rank[i] * na;
            for (int t = 0; t < len; t++) {
                const int j = column[t];
                qrow[w->rank[j]] += (pik * w->p[(size_t)j * n + k]) / den;
            }
        }
    }
    for (int i = 0; i < n; i++) {
        const int a = w->rank[i];
        if (a < 0) continue;
        for (int j = i + 1; j < n; j++) {
            const int b = w->rank[j];
            if (b < 0) continue;
            __global double *qab = w->q + (size_t)a * na + b, *qba = w->q + (size_t)b * na + a;
            if (*qab == 0.0 && *qba == 0.0) continue;
            double ab = *qab * sqrt(w->px[i] / w->px[j]);
            double ba = *qba * sqrt(w->px[j] / w->px[i]);
            *qab = *qba = 0.5 * (ab + ba);
        }
    }
    return na;
}

/* numpy's order of (real) eigenvalues: keep the largest two of the n - na
 * zeros of the inactive rows, then the na eigenvalues (glcm.c mcc_solve). */
double glcm_second_eigenvalue(glcm_work *w, int na)
{
    __global double *d = w->eig, *sd = w->eig + 2 * (size_t)w->n;
    if (na == 1) {
        d[0] = w->q[0];
    } else {
        eig_tridiagonalise(w->q, na, w->eig, w->eig + w->n);
        for (int k = 0; k < na; k++) d[k] = w->q[(size_t)k * na + k];
        for (int k = 0; k + 1 < na; k++) sd[k] = w->q[(size_t)(k + 1) * na + k];
        eig_tridiagonal_eigenvalues(na, d, sd);
    }
    int count = 0;
    double top0 = 0.0, top1 = 0.0;
    for (int e = -(w->n - na); e < na; e++) {
        const double v = e < 0 ? 0.0 : d[e];
        if (count == 0 || top0 < v) {
            top1 = top0;
            top0 = v;
        } else if (count == 1 || top1 < v) {
            top1 = v;
        }
        count++;
    }
    return count >= 2 ? top1 : NAN;
}

__kernel void radx_glcm_features(__global const radx_cl_roi_desc *rois,
                                 __global const radx_cl_job *jobs,
                                 __global const glcm_item *items, int nitems,
                                 __global const uint *counts, __global const double *weights,
                                 __global const int *level_values, __global const int *level_starts,
                                 __global double *scratch, __global int *iscratch,
                                 __global double *out)
{
    int t = get_global_id(0);
    if (t >= nitems) return;
    const glcm_item item = items[t];
    const radx_cl_job job = jobs[item.job];
    const radx_cl_roi_desc r = rois[job.roi];
    glcm_work w;
    w.n = r.nlevels;
    w.ng = r.ng;
    w.lv = level_values + level_starts[item.job];
    size_t n = (size_t)w.n, cells = n * n;
    w.p = scratch + item.scratch;
    w.q = w.p + cells;
    w.px = w.q + cells;
    w.py = w.px + n;
    w.psum = w.py + n;
    w.pdiff = w.psum + 2 * (size_t)w.ng + 1;
    w.eig = w.pdiff + w.ng;
    w.rank = iscratch + item.iscratch;
    __global double *f = out + (size_t)t * GLCM_OUT;
    for (int k = 0; k < GLCM_NF; k++) f[k] = NAN;
    f[GLCM_NF] = 0.0;
    f[GLCM_NF + 1] = NAN;
    __global const uint *m = counts + job.output_offset + (size_t)item.first_angle * cells;
    double total = glcm_collect(&w, m, weights + item.weight_start, item.nangles);
    if (!(total > 0.0)) {
        f[GLCM_NF] = 1.0; /* glcm.py: a zero sum gives NaN everywhere */
        return;
    }
    double ux, uy, hxy;
    glcm_normalise(&w, total, &ux, &uy, &hxy);
    glcm_joint_features(&w, ux, uy, hxy, f);
    glcm_sum_difference_features(&w, f);
    glcm_information_features(&w, f[JOINT_ENTROPY], f);
    f[GLCM_NF + 1] = glcm_second_eigenvalue(&w, glcm_mcc_matrix(&w));
}
