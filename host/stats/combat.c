/* ComBat as sva::ComBat 3.46.0 computes it (see combat.h). Every step below
 * names the line of sva's R code it reproduces; the order of floating-point
 * operations follows R's so that the output agrees to rounding. */
#include "stats/combat.h"
#include "core/error.h"
#include "radx/table.h"

#include <errno.h>

#include <float.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* sva::it.sol's default tolerance `conv = .0001`. */
#define COMBAT_CONV 1e-4
/* --converge: iterate until the relative change is at rounding level. */
#define COMBAT_FIXED_POINT_TOL (8 * DBL_EPSILON)
#define COMBAT_MAX_ITERATIONS 100000
/* R's qr() (LINPACK dqrdc2) treats a column as dependent below this. */
#define COMBAT_QR_TOL 1e-7
/* R's pi. */
#define COMBAT_PI 3.141592653589793238462643383279502884

/* ------------------------------------------------------------ allocation */

void radx_combat_free(radx_combat_model *m)
{
    if (!m) return;
    free(m->adjusted);
    free(m->batch_n);
    free(m->grand_mean);
    free(m->var_pooled);
    free(m->beta_batch);
    free(m->beta_cov);
    free(m->gamma_hat);
    free(m->delta_hat);
    free(m->gamma_star);
    free(m->delta_star);
    free(m->gamma_bar);
    free(m->t2);
    free(m->a_prior);
    free(m->b_prior);
    free(m->iterations);
    free(m);
}

static double *nan_array(size_t count)
{
    double *a = malloc((count ? count : 1) * sizeof *a);
    if (a)
        for (size_t i = 0; i < count; i++) a[i] = NAN;
    return a;
}

static radx_combat_model *model_alloc(int p, int nb, int ncov)
{
    radx_combat_model *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->nfeatures = p;
    m->nbatches = nb;
    m->ncovariates = ncov;
    m->ref_batch = -1;
    size_t bp = (size_t)nb * (size_t)p;
    m->adjusted = calloc((size_t)p, sizeof *m->adjusted);
    m->batch_n = calloc((size_t)nb, sizeof *m->batch_n);
    m->iterations = calloc((size_t)nb, sizeof *m->iterations);
    m->grand_mean = nan_array((size_t)p);
    m->var_pooled = nan_array((size_t)p);
    m->beta_batch = nan_array(bp);
    m->beta_cov = nan_array((size_t)ncov * (size_t)p);
    m->gamma_hat = nan_array(bp);
    m->delta_hat = nan_array(bp);
    m->gamma_star = nan_array(bp);
    m->delta_star = nan_array(bp);
    m->gamma_bar = nan_array((size_t)nb);
    m->t2 = nan_array((size_t)nb);
    m->a_prior = nan_array((size_t)nb);
    m->b_prior = nan_array((size_t)nb);
    if (!m->adjusted || !m->batch_n || !m->iterations || !m->grand_mean || !m->var_pooled ||
        !m->beta_batch || !m->beta_cov || !m->gamma_hat || !m->delta_hat || !m->gamma_star ||
        !m->delta_star || !m->gamma_bar || !m->t2 || !m->a_prior || !m->b_prior) {
        radx_combat_free(m);
        return NULL;
    }
    return m;
}

/* ------------------------------------------------------------ R's moments */

/* R's mean(): long-double sum / n, then the mean of the residuals added
 * (summary.c, real_mean). */
static double r_mean(const double *x, int64_t n, int64_t stride)
{
    long double s = 0;
    for (int64_t i = 0; i < n; i++) s += x[i * stride];
    s /= n;
    long double t = 0;
    for (int64_t i = 0; i < n; i++) t += x[i * stride] - s;
    return (double)(s + t / n);
}

/* R's var() of a vector: two passes around mean(), divisor n - 1. */
static double r_var(const double *x, int64_t n, int64_t stride)
{
    double m = r_mean(x, n, stride);
    long double s = 0;
    for (int64_t i = 0; i < n; i++) {
        double d = x[i * stride] - m;
        s += d * d;
    }
    return (double)(s / (n - 1));
}

/* genefilter::rowVars as sva calls it: rowSums((x - rowMeans(x))^2)/(n - 1),
 * R's rowSums/rowMeans accumulating in long double. */
static double genefilter_var(const double *x, int64_t n, int64_t stride)
{
    long double s = 0;
    for (int64_t i = 0; i < n; i++) s += x[i * stride];
    double mean = (double)(s / n);
    long double ss = 0;
    for (int64_t i = 0; i < n; i++) {
        double d = x[i * stride] - mean;
        ss += d * d;
    }
    return (double)ss / (double)(n - 1);
}

/* ------------------------------------------------------------ linear algebra */

/* Rank check of the design as sva does with qr(design)$rank: Gram-Schmidt in
 * column order; a column whose residual norm falls below 1e-7 of its norm is
 * dependent (LINPACK dqrdc2's rule). */
static int design_full_rank(const double *d, int64_t n, int k)
{
    double *q = malloc((size_t)n * (size_t)k * sizeof *q);
    if (!q) return -1;
    int full = 1;
    for (int c = 0; c < k && full; c++) {
        double norm0 = 0;
        for (int64_t i = 0; i < n; i++) {
            q[i * k + c] = d[i * k + c];
            norm0 += d[i * k + c] * d[i * k + c];
        }
        for (int a = 0; a < c; a++) {
            double dot = 0;
            for (int64_t i = 0; i < n; i++) dot += q[i * k + a] * q[i * k + c];
            for (int64_t i = 0; i < n; i++) q[i * k + c] -= dot * q[i * k + a];
        }
        double norm = 0;
        for (int64_t i = 0; i < n; i++) norm += q[i * k + c] * q[i * k + c];
        if (!(sqrt(norm) > COMBAT_QR_TOL * sqrt(norm0)) || norm0 == 0) {
            full = 0;
            break;
        }
        norm = sqrt(norm);
        for (int64_t i = 0; i < n; i++) q[i * k + c] /= norm;
    }
    free(q);
    return full;
}

/* solve(crossprod(D), tcrossprod(t(D), Y)) for the rows `use` of D (n x k)
 * and Y (n x ny, only the columns with cols_used[j]): coefficients (k x ny).
 * R: normal equations solved by LAPACK dgesv (LU with partial pivoting). */
static radx_status least_squares(const double *d, int64_t n, int k, const double *y, int ny,
                                 const int *cols_used, double *coef)
{
    gsl_matrix *dtd = gsl_matrix_alloc((size_t)k, (size_t)k);
    gsl_permutation *perm = gsl_permutation_alloc((size_t)k);
    gsl_vector *rhs = gsl_vector_alloc((size_t)k), *sol = gsl_vector_alloc((size_t)k);
    radx_status status = RADX_OK;
    if (!dtd || !perm || !rhs || !sol) {
        status = radx_fail(RADX_ERR_NOMEM, "ComBat: out of memory");
        goto done;
    }
    for (int a = 0; a < k; a++)
        for (int b = 0; b < k; b++) {
            double s = 0;
            for (int64_t i = 0; i < n; i++) s += d[i * k + a] * d[i * k + b];
            gsl_matrix_set(dtd, (size_t)a, (size_t)b, s);
        }
    int signum;
    if (gsl_linalg_LU_decomp(dtd, perm, &signum) != GSL_SUCCESS) {
        status = radx_fail(RADX_ERR_NUMERIC, "ComBat: singular design");
        goto done;
    }
    for (int j = 0; j < ny; j++) {
        if (!cols_used[j]) continue;
        for (int a = 0; a < k; a++) {
            double s = 0;
            for (int64_t i = 0; i < n; i++) s += d[i * k + a] * y[i * ny + j];
            gsl_vector_set(rhs, (size_t)a, s);
        }
        if (gsl_linalg_LU_solve(dtd, perm, rhs, sol) != GSL_SUCCESS) {
            status = radx_fail(RADX_ERR_NUMERIC, "ComBat: singular design");
            goto done;
        }
        for (int a = 0; a < k; a++) coef[(size_t)a * (size_t)ny + (size_t)j] = gsl_vector_get(sol, (size_t)a);
    }
done:
    gsl_matrix_free(dtd);
    gsl_permutation_free(perm);
    gsl_vector_free(rhs);
    gsl_vector_free(sol);
    return status;
}

/* ------------------------------------------------------------ fit steps */

typedef struct combat_work {
    int64_t n;
    int p, nb, ncov, k;         /* k = nb + ncov design columns */
    const double *x;
    const int *batch;
    double *design;             /* n x k: batch indicators (ref column all ones), covariates */
    double *coef;               /* k x p: B.hat */
    double *stand;              /* n x p: stand.mean */
    double *sdata;              /* n x p: s.data */
    int64_t **members;          /* [nb] case indices per batch, input order */
} combat_work;

static void work_free(combat_work *w)
{
    free(w->design);
    free(w->coef);
    free(w->stand);
    free(w->sdata);
    if (w->members)
        for (int b = 0; b < w->nb; b++) free(w->members[b]);
    free(w->members);
}

/* zero.rows in sva: features with var(x) == 0 inside a batch of > 1 cases. */
static void mark_adjusted_features(const combat_work *w, radx_combat_model *m)
{
    for (int j = 0; j < w->p; j++) {
        m->adjusted[j] = 1;
        for (int b = 0; b < w->nb && m->adjusted[j]; b++) {
            if (m->batch_n[b] < 2) continue;
            double first = w->x[w->members[b][0] * w->p + j];
            int all_equal = 1;
            for (int64_t t = 1; t < m->batch_n[b] && all_equal; t++)
                if (w->x[w->members[b][t] * w->p + j] != first) all_equal = 0;
            if (all_equal) m->adjusted[j] = 0;
        }
    }
}

/* batchmod <- model.matrix(~ -1 + batch); batchmod[, ref] <- 1;
 * design <- cbind(batchmod, mod) less all-ones covariate columns. */
static radx_status build_design(combat_work *w, const double *cov, int ref)
{
    w->design = calloc((size_t)w->n * (size_t)w->k, sizeof *w->design);
    if (!w->design) return radx_fail(RADX_ERR_NOMEM, "ComBat: out of memory");
    for (int64_t i = 0; i < w->n; i++) {
        double *row = w->design + i * w->k;
        row[w->batch[i]] = 1;
        if (ref >= 0) row[ref] = 1;
        for (int c = 0; c < w->ncov; c++) row[w->nb + c] = cov[i * w->ncov + c];
    }
    int full = design_full_rank(w->design, w->n, w->k);
    if (full < 0) return radx_fail(RADX_ERR_NOMEM, "ComBat: out of memory");
    if (!full) {
        int cov_full = w->ncov == 0 ? 1 : design_full_rank(cov, w->n, w->ncov);
        return radx_fail(RADX_ERR_NUMERIC, "ComBat: %s",
                         cov_full ? "a covariate is confounded with batch (or constant): remove it"
                                  : "the covariates are confounded with each other: remove one");
    }
    return RADX_OK;
}

/* B.hat, grand.mean, var.pooled, stand.mean and s.data (sva lines
 * "Standardize Data across genes"). */
static radx_status standardise(combat_work *w, radx_combat_model *m, int ref)
{
    int64_t n = w->n;
    int p = w->p, k = w->k, nb = w->nb;
    w->coef = nan_array((size_t)k * (size_t)p);
    w->stand = malloc((size_t)n * (size_t)p * sizeof *w->stand);
    w->sdata = malloc((size_t)n * (size_t)p * sizeof *w->sdata);
    if (!w->coef || !w->stand || !w->sdata) return radx_fail(RADX_ERR_NOMEM, "ComBat: out of memory");
    radx_status st = least_squares(w->design, n, k, w->x, p, m->adjusted, w->coef);
    if (st != RADX_OK) return st;
    for (int j = 0; j < p; j++) {
        if (!m->adjusted[j]) continue;
        for (int b = 0; b < nb; b++) m->beta_batch[(size_t)b * p + j] = w->coef[(size_t)b * p + j];
        for (int c = 0; c < w->ncov; c++)
            m->beta_cov[(size_t)c * p + j] = w->coef[(size_t)(nb + c) * p + j];
        /* grand.mean <- crossprod(n.batches/n.array, B.hat[1:n.batch, ]) or B.hat[ref, ] */
        if (ref >= 0) {
            m->grand_mean[j] = w->coef[(size_t)ref * p + j];
        } else {
            double s = 0;
            for (int b = 0; b < nb; b++) s += ((double)m->batch_n[b] / (double)n) * w->coef[(size_t)b * p + j];
            m->grand_mean[j] = s;
        }
        /* var.pooled <- ((dat - t(design %*% B.hat))^2) %*% rep(1/n, n), over the
         * reference batch alone when there is one */
        int64_t count = ref >= 0 ? m->batch_n[ref] : n;
        double weight = 1.0 / (double)count, s = 0;
        for (int64_t t = 0; t < count; t++) {
            int64_t i = ref >= 0 ? w->members[ref][t] : t;
            double fit = 0;
            for (int c = 0; c < k; c++) fit += w->design[i * k + c] * w->coef[(size_t)c * p + j];
            double r = w->x[i * p + j] - fit;
            s += r * r * weight;
        }
        m->var_pooled[j] = s;
    }
    /* stand.mean <- grand.mean + t(tmp %*% B.hat), tmp = design with the batch
     * columns zeroed; s.data <- (dat - stand.mean) / sqrt(var.pooled) */
    for (int64_t i = 0; i < n; i++)
        for (int j = 0; j < p; j++) {
            if (!m->adjusted[j]) continue;
            double s = 0;
            for (int c = 0; c < w->ncov; c++) s += w->design[i * k + nb + c] * m->beta_cov[(size_t)c * p + j];
            w->stand[i * p + j] = m->grand_mean[j] + s;
            w->sdata[i * p + j] = (w->x[i * p + j] - w->stand[i * p + j]) / sqrt(m->var_pooled[j]);
        }
    return RADX_OK;
}

/* gamma.hat (batch-design regression of s.data), delta.hat (rowVars per
 * batch, or 1 for mean.only), and the priors gamma.bar, t2, a.prior, b.prior
 * across the adjusted features. */
static radx_status batch_effects_and_priors(combat_work *w, radx_combat_model *m)
{
    int64_t n = w->n;
    int p = w->p, nb = w->nb, k = w->k;
    double *bd = malloc((size_t)n * (size_t)nb * sizeof *bd);
    double *g = malloc((size_t)nb * (size_t)p * sizeof *g);
    double *vals = malloc((size_t)p * sizeof *vals);
    if (!bd || !g || !vals) {
        free(bd); free(g); free(vals);
        return radx_fail(RADX_ERR_NOMEM, "ComBat: out of memory");
    }
    for (int64_t i = 0; i < n; i++)
        for (int b = 0; b < nb; b++) bd[i * nb + b] = w->design[i * k + b];
    radx_status st = least_squares(bd, n, nb, w->sdata, p, m->adjusted, g);
    free(bd);
    for (int b = 0; st == RADX_OK && b < nb; b++) {
        int used = 0;
        for (int j = 0; j < p; j++) {
            if (!m->adjusted[j]) continue;
            m->gamma_hat[(size_t)b * p + j] = g[(size_t)b * p + j];
            if (m->mean_only) {
                m->delta_hat[(size_t)b * p + j] = 1;
            } else {
                double *tmp = malloc((size_t)m->batch_n[b] * sizeof *tmp);
                if (!tmp) { st = radx_fail(RADX_ERR_NOMEM, "ComBat: out of memory"); break; }
                for (int64_t t = 0; t < m->batch_n[b]; t++) tmp[t] = w->sdata[w->members[b][t] * p + j];
                m->delta_hat[(size_t)b * p + j] = genefilter_var(tmp, m->batch_n[b], 1);
                free(tmp);
            }
            used++;
        }
        if (st != RADX_OK) break;
        /* gamma.bar <- rowMeans(gamma.hat); t2 <- rowVars(gamma.hat) */
        int c = 0;
        for (int j = 0; j < p; j++)
            if (m->adjusted[j]) vals[c++] = m->gamma_hat[(size_t)b * p + j];
        long double s = 0;
        for (int t = 0; t < used; t++) s += vals[t];
        m->gamma_bar[b] = (double)(s / used);
        m->t2[b] = genefilter_var(vals, used, 1);
        /* aprior / bprior: method-of-moments inverse-gamma hyperparameters
         * from mean() and var() of delta.hat (Johnson et al. 2007, sec. 3.1) */
        c = 0;
        for (int j = 0; j < p; j++)
            if (m->adjusted[j]) vals[c++] = m->delta_hat[(size_t)b * p + j];
        double mean = r_mean(vals, used, 1), s2 = r_var(vals, used, 1);
        m->a_prior[b] = (2 * s2 + mean * mean) / s2;
        m->b_prior[b] = (mean * s2 + mean * mean * mean) / s2;
    }
    free(g);
    free(vals);
    return st;
}

/* postmean(g.hat, g.bar, n, d.star, t2) = (t2 n g.hat + d.star g.bar) / (t2 n + d.star) */
static double postmean(double g_hat, double g_bar, double n, double d_star, double t2)
{
    return (t2 * n * g_hat + d_star * g_bar) / (t2 * n + d_star);
}

/* postvar(sum2, n, a, b) = (sum2 / 2 + b) / (n / 2 + a - 1) */
static double postvar(double sum2, double n, double a, double b)
{
    return (0.5 * sum2 + b) / (n / 2 + a - 1);
}

/* sva::it.sol for one batch: alternate the posterior mean and variance from
 * gamma.hat/delta.hat until max(|new - old| / old) <= 1e-4 over both vectors,
 * with the SIGNED old value as denominator (sva's rule), or, with --converge,
 * until |new - old| / |old| is at rounding level. */
static radx_status iterate_solution(const combat_work *w, radx_combat_model *m, int b)
{
    int p = w->p;
    int64_t nb_cases = m->batch_n[b];
    double n = (double)nb_cases;
    const double *g_hat = m->gamma_hat + (size_t)b * p, *d_hat = m->delta_hat + (size_t)b * p;
    double *g_old = malloc((size_t)p * sizeof *g_old), *d_old = malloc((size_t)p * sizeof *d_old);
    double *g_new = m->gamma_star + (size_t)b * p, *d_new = m->delta_star + (size_t)b * p;
    if (!g_old || !d_old) {
        free(g_old); free(d_old);
        return radx_fail(RADX_ERR_NOMEM, "ComBat: out of memory");
    }
    memcpy(g_old, g_hat, (size_t)p * sizeof *g_old);
    memcpy(d_old, d_hat, (size_t)p * sizeof *d_old);
    double tol = m->converge ? COMBAT_FIXED_POINT_TOL : COMBAT_CONV;
    double change = 1;
    int count = 0;
    while (change > tol && count < COMBAT_MAX_ITERATIONS) {
        change = -INFINITY;
        for (int j = 0; j < p; j++) {
            if (!m->adjusted[j]) continue;
            g_new[j] = postmean(g_hat[j], m->gamma_bar[b], n, d_old[j], m->t2[b]);
            long double sum2 = 0;
            for (int64_t t = 0; t < nb_cases; t++) {
                double r = w->sdata[w->members[b][t] * p + j] - g_new[j];
                sum2 += r * r;
            }
            d_new[j] = postvar((double)sum2, n, m->a_prior[b], m->b_prior[b]);
            double cg, cd;
            if (m->converge) {
                cg = g_new[j] == g_old[j] ? 0 : fabs(g_new[j] - g_old[j]) / fabs(g_old[j]);
                cd = d_new[j] == d_old[j] ? 0 : fabs(d_new[j] - d_old[j]) / fabs(d_old[j]);
            } else {
                cg = fabs(g_new[j] - g_old[j]) / g_old[j];
                cd = fabs(d_new[j] - d_old[j]) / d_old[j];
            }
            if (cg > change) change = cg;
            if (cd > change) change = cd;
        }
        memcpy(g_old, g_new, (size_t)p * sizeof *g_old);
        memcpy(d_old, d_new, (size_t)p * sizeof *d_old);
        count++;
    }
    m->iterations[b] = count;
    free(g_old);
    free(d_old);
    return RADX_OK;
}

/* sva::int.eprior: for each feature, the posterior means of gamma and delta
 * under the empirical distribution of the OTHER features' (gamma.hat,
 * delta.hat), weighted by the normal likelihood of this feature's batch data:
 * LH = (2 pi d)^(-n/2) exp(-sum2 / (2 d)). Where every LH underflows (R gives
 * NaN), the weights are formed in log space instead. */
static radx_status nonparametric_solution(const combat_work *w, radx_combat_model *m, int b)
{
    int p = w->p;
    int64_t nbc = m->batch_n[b];
    const double *g_hat = m->gamma_hat + (size_t)b * p, *d_hat = m->delta_hat + (size_t)b * p;
    double *lh = malloc((size_t)p * sizeof *lh), *loglh = malloc((size_t)p * sizeof *loglh);
    if (!lh || !loglh) {
        free(lh); free(loglh);
        return radx_fail(RADX_ERR_NOMEM, "ComBat: out of memory");
    }
    for (int i = 0; i < p; i++) {
        if (!m->adjusted[i]) continue;
        long double sum_lh = 0, sum_glh = 0, sum_dlh = 0;
        double max_log = -INFINITY;
        for (int j = 0; j < p; j++) {
            if (j == i || !m->adjusted[j]) continue;
            double sum2 = 0;
            for (int64_t t = 0; t < nbc; t++) {
                double r = w->sdata[w->members[b][t] * p + i] - g_hat[j];
                sum2 += r * r;
            }
            double d = d_hat[j];
            lh[j] = 1 / pow(2 * COMBAT_PI * d, (double)nbc / 2) * exp(-sum2 / (2 * d));
            if (isnan(lh[j])) lh[j] = 0; /* LH[LH == "NaN"] = 0 */
            loglh[j] = -((double)nbc / 2) * log(2 * COMBAT_PI * d) - sum2 / (2 * d);
            if (loglh[j] > max_log) max_log = loglh[j];
            sum_lh += lh[j];
            sum_glh += g_hat[j] * lh[j];
            sum_dlh += d * lh[j];
        }
        if (!(sum_lh > 0) || !isfinite((double)sum_lh)) {
            sum_lh = sum_glh = sum_dlh = 0;
            for (int j = 0; j < p; j++) {
                if (j == i || !m->adjusted[j]) continue;
                double wgt = exp(loglh[j] - max_log);
                sum_lh += wgt;
                sum_glh += g_hat[j] * wgt;
                sum_dlh += d_hat[j] * wgt;
            }
        }
        m->gamma_star[(size_t)b * p + i] = (double)(sum_glh / sum_lh);
        m->delta_star[(size_t)b * p + i] = (double)(sum_dlh / sum_lh);
    }
    free(lh);
    free(loglh);
    return RADX_OK;
}

static radx_status empirical_bayes(const combat_work *w, radx_combat_model *m)
{
    int p = w->p;
    for (int b = 0; b < w->nb; b++) {
        radx_status st = RADX_OK;
        if (m->nonparametric) {
            st = nonparametric_solution(w, m, b);
        } else if (m->mean_only) {
            /* postmean(gamma.hat, gamma.bar, 1, 1, t2); delta.star = 1 */
            for (int j = 0; j < p; j++) {
                if (!m->adjusted[j]) continue;
                m->gamma_star[(size_t)b * p + j] = postmean(m->gamma_hat[(size_t)b * p + j], m->gamma_bar[b], 1, 1, m->t2[b]);
                m->delta_star[(size_t)b * p + j] = 1;
            }
        } else {
            st = iterate_solution(w, m, b);
        }
        if (st != RADX_OK) return st;
    }
    if (m->ref_batch >= 0)
        for (int j = 0; j < p; j++) {
            if (!m->adjusted[j]) continue;
            m->gamma_star[(size_t)m->ref_batch * p + j] = 0;
            m->delta_star[(size_t)m->ref_batch * p + j] = 1;
        }
    return RADX_OK;
}

/* ------------------------------------------------------------ public API */

static radx_status check_inputs(const double *x, int64_t n, int p, const int *batch, int nb,
                                const double *cov, int ncov, const radx_combat_options *o)
{
    if (nb < 2) return radx_fail(RADX_ERR_PARAM, "ComBat needs at least two batches (found %d)", nb);
    if (p < 2) return radx_fail(RADX_ERR_PARAM, "ComBat needs at least two features (found %d)", p);
    if (o->ref_batch >= nb) return radx_fail(RADX_ERR_PARAM, "ComBat: reference batch %d out of range", o->ref_batch);
    for (int64_t i = 0; i < n; i++) {
        if (batch[i] < 0 || batch[i] >= nb)
            return radx_fail(RADX_ERR_PARAM, "ComBat: row %lld: batch index %d out of range", (long long)i + 1, batch[i]);
        for (int j = 0; j < p; j++)
            if (!isfinite(x[i * p + j]))
                return radx_fail(RADX_ERR_PARAM, "ComBat: row %lld, feature %d: missing or non-finite value",
                                 (long long)i + 1, j + 1);
        for (int c = 0; c < ncov; c++)
            if (!isfinite(cov[i * ncov + c]))
                return radx_fail(RADX_ERR_PARAM, "ComBat: row %lld, covariate %d: missing or non-finite value",
                                 (long long)i + 1, c + 1);
    }
    return RADX_OK;
}

static radx_status collect_batches(combat_work *w, radx_combat_model *m)
{
    w->members = calloc((size_t)w->nb, sizeof *w->members);
    if (!w->members) return radx_fail(RADX_ERR_NOMEM, "ComBat: out of memory");
    for (int64_t i = 0; i < w->n; i++) m->batch_n[w->batch[i]]++;
    for (int b = 0; b < w->nb; b++) {
        if (m->batch_n[b] == 0) return radx_fail(RADX_ERR_PARAM, "ComBat: batch %d has no cases", b + 1);
        w->members[b] = malloc((size_t)m->batch_n[b] * sizeof **w->members);
        if (!w->members[b]) return radx_fail(RADX_ERR_NOMEM, "ComBat: out of memory");
    }
    int64_t *fill = calloc((size_t)w->nb, sizeof *fill);
    if (!fill) return radx_fail(RADX_ERR_NOMEM, "ComBat: out of memory");
    for (int64_t i = 0; i < w->n; i++) w->members[w->batch[i]][fill[w->batch[i]]++] = i;
    free(fill);
    return RADX_OK;
}

radx_status radx_combat_fit(const double *x, int64_t n, int p, const int *batch, int nbatches,
                            const double *cov, int ncov, const radx_combat_options *options,
                            radx_combat_model **model)
{
    *model = NULL;
    radx_combat_options defaults = {0, 0, -1, 0};
    const radx_combat_options *o = options ? options : &defaults;
    radx_status st = check_inputs(x, n, p, batch, nbatches, cov, ncov, o);
    if (st != RADX_OK) return st;
    radx_combat_model *m = model_alloc(p, nbatches, ncov);
    if (!m) return radx_fail(RADX_ERR_NOMEM, "ComBat: out of memory");
    m->ref_batch = o->ref_batch;
    m->mean_only = o->mean_only;
    m->nonparametric = o->nonparametric;
    m->converge = o->converge;
    combat_work w = {.n = n, .p = p, .nb = nbatches, .ncov = ncov, .k = nbatches + ncov,
                     .x = x, .batch = batch};
    st = collect_batches(&w, m);
    if (st == RADX_OK) {
        for (int b = 0; b < nbatches; b++)
            if (m->batch_n[b] == 1 && !m->mean_only) m->mean_only = m->mean_only_forced = 1;
        mark_adjusted_features(&w, m);
        int nadj = 0;
        for (int j = 0; j < p; j++) nadj += m->adjusted[j];
        if (nadj < 2)
            st = radx_fail(RADX_ERR_NUMERIC,
                           "ComBat: fewer than two features vary inside every batch (%d of %d)", nadj, p);
    }
    if (st == RADX_OK) st = build_design(&w, cov, o->ref_batch);
    if (st == RADX_OK) st = standardise(&w, m, o->ref_batch);
    if (st == RADX_OK) st = batch_effects_and_priors(&w, m);
    if (st == RADX_OK) st = empirical_bayes(&w, m);
    work_free(&w);
    if (st != RADX_OK) {
        radx_combat_free(m);
        return st;
    }
    *model = m;
    return RADX_OK;
}

radx_status radx_combat_apply(const radx_combat_model *m, const double *x, int64_t n,
                              const int *batch, const double *cov, double *out)
{
    int p = m->nfeatures, ncov = m->ncovariates;
    for (int64_t i = 0; i < n; i++) {
        int b = batch[i];
        if (b < 0 || b >= m->nbatches)
            return radx_fail(RADX_ERR_PARAM, "ComBat: row %lld: batch index %d out of range", (long long)i + 1, b);
        for (int j = 0; j < p; j++)
            if (!isfinite(x[i * p + j]))
                return radx_fail(RADX_ERR_PARAM, "ComBat: row %lld, feature %d: missing or non-finite value",
                                 (long long)i + 1, j + 1);
        for (int c = 0; c < ncov; c++)
            if (!isfinite(cov[i * ncov + c]))
                return radx_fail(RADX_ERR_PARAM, "ComBat: row %lld, covariate %d: missing or non-finite value",
                                 (long long)i + 1, c + 1);
    }
    for (int64_t i = 0; i < n; i++) {
        int b = batch[i];
        for (int j = 0; j < p; j++) {
            double v = x[i * p + j];
            if (!m->adjusted[j] || b == m->ref_batch) {
                out[i * p + j] = v;
                continue;
            }
            double s = 0;
            for (int c = 0; c < ncov; c++) s += cov[i * ncov + c] * m->beta_cov[(size_t)c * p + j];
            double stand = m->grand_mean[j] + s, sd = sqrt(m->var_pooled[j]);
            double z = (v - stand) / sd;
            /* bayesdata <- (s.data - batch.design %*% gamma.star) / sqrt(delta.star);
             * the design row of a non-reference batch also holds the reference
             * column, whose gamma.star is 0 */
            double adj = (z - m->gamma_star[(size_t)b * p + j]) / sqrt(m->delta_star[(size_t)b * p + j]);
            out[i * p + j] = adj * sd + stand;
        }
    }
    return RADX_OK;
}

/* ------------------------------------------------------------ model file */

/* One row: parameter, index, then one value per feature (empty for NaN). */
static void write_row(FILE *f, const char *parameter, const char *index, const double *v, int p,
                      int64_t stride)
{
    radx_csv_write_field(f, parameter);
    fputc(',', f);
    radx_csv_write_field(f, index ? index : "");
    for (int j = 0; j < p; j++) {
        fputc(',', f);
        if (v && !isnan(v[j * stride])) radx_csv_write_number(f, v[j * stride]);
    }
    fputc('\n', f);
}

/* A row whose only value sits in the index column (options, batch sizes). */
static void write_meta(FILE *f, const char *parameter, const char *value, int p)
{
    write_row(f, parameter, value, NULL, p, 1);
}

radx_status radx_combat_save(const radx_combat_model *m, const radx_combat_names *names,
                             const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) return radx_fail(RADX_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
    int p = m->nfeatures;
    fputs("parameter,index", f);
    for (int j = 0; j < p; j++) {
        fputc(',', f);
        radx_csv_write_field(f, names->features[j]);
    }
    fputc('\n', f);
    char text[64];
    write_meta(f, "format", "radx-combat-1", p);
    write_meta(f, "batch_column", names->batch_column ? names->batch_column : "", p);
    write_meta(f, "ref_batch", m->ref_batch >= 0 ? names->batches[m->ref_batch] : "", p);
    write_meta(f, "mean_only", m->mean_only ? "1" : "0", p);
    write_meta(f, "nonparametric", m->nonparametric ? "1" : "0", p);
    write_meta(f, "converge", m->converge ? "1" : "0", p);
    for (int b = 0; b < m->nbatches; b++) {
        snprintf(text, sizeof text, "%lld", (long long)m->batch_n[b]);
        write_row(f, "batch", names->batches[b], NULL, p, 1);
        write_meta(f, "batch_n", text, p);
    }
    double *adjusted = malloc((size_t)(p ? p : 1) * sizeof *adjusted);
    if (!adjusted) {
        fclose(f);
        return radx_fail(RADX_ERR_NOMEM, "ComBat: out of memory");
    }
    for (int j = 0; j < p; j++) adjusted[j] = m->adjusted[j];
    write_row(f, "adjusted", "", adjusted, p, 1);
    free(adjusted);
    write_row(f, "grand_mean", "", m->grand_mean, p, 1);
    write_row(f, "var_pooled", "", m->var_pooled, p, 1);
    for (int c = 0; c < m->ncovariates; c++)
        write_row(f, "beta_covariate", names->covariates[c], m->beta_cov + (size_t)c * p, p, 1);
    const struct { const char *name; const double *v; } tables[] = {
        {"gamma_star", m->gamma_star}, {"delta_star", m->delta_star}, {"gamma_hat", m->gamma_hat},
        {"delta_hat", m->delta_hat},   {"beta_batch", m->beta_batch}};
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (int b = 0; b < m->nbatches; b++)
            write_row(f, tables[t].name, names->batches[b], tables[t].v + (size_t)b * p, p, 1);
    int failed = ferror(f);
    if (fclose(f) != 0 || failed) return radx_fail(RADX_ERR_IO, "%s: write failed", path);
    return RADX_OK;
}

void radx_combat_names_free(radx_combat_names *names, const radx_combat_model *m)
{
    if (!names) return;
    if (names->features)
        for (int j = 0; j < m->nfeatures; j++) free(names->features[j]);
    if (names->batches)
        for (int b = 0; b < m->nbatches; b++) free(names->batches[b]);
    if (names->covariates)
        for (int c = 0; c < m->ncovariates; c++) free(names->covariates[c]);
    free(names->features);
    free(names->batches);
    free(names->covariates);
    free(names->batch_column);
    memset(names, 0, sizeof *names);
}

static int count_rows(const radx_csv *csv, const char *parameter)
{
    int count = 0;
    for (int r = 0; r < csv->nrows; r++) count += strcmp(csv->cells[r][0], parameter) == 0;
    return count;
}

/* Values of one model row into v[0..p-1] (empty cell = NaN). */
static radx_status read_values(const radx_csv *csv, int r, double *v)
{
    for (int j = 2; j < csv->ncols; j++) {
        const char *cell = csv->cells[r][j];
        if (cell[0] == '\0') { v[j - 2] = NAN; continue; }
        if (radx_csv_number(cell, &v[j - 2]) != 0)
            return radx_fail(RADX_ERR_FORMAT, "%s:%d: column '%s': '%s' is not a number", csv->path,
                             csv->line[r], csv->header[j], cell);
    }
    return RADX_OK;
}

static radx_status fill_model(const radx_csv *csv, radx_combat_model *m, radx_combat_names *names)
{
    int p = m->nfeatures, b_row = 0, c_row = 0;
    int seen[5] = {0};
    const char *tables[] = {"gamma_star", "delta_star", "gamma_hat", "delta_hat", "beta_batch"};
    double *dst[] = {m->gamma_star, m->delta_star, m->gamma_hat, m->delta_hat, m->beta_batch};
    double *tmp = malloc((size_t)p * sizeof *tmp);
    if (!tmp) return radx_fail(RADX_ERR_NOMEM, "ComBat: out of memory");
    radx_status st = RADX_OK;
    const char *ref_name = "";
    for (int r = 0; r < csv->nrows && st == RADX_OK; r++) {
        const char *key = csv->cells[r][0], *index = csv->cells[r][1];
        if (strcmp(key, "batch") == 0) {
            names->batches[b_row] = strdup(index);
        } else if (strcmp(key, "batch_n") == 0) {
            m->batch_n[b_row++] = strtoll(index, NULL, 10);
        } else if (strcmp(key, "batch_column") == 0) {
            names->batch_column = strdup(index);
        } else if (strcmp(key, "ref_batch") == 0) {
            ref_name = index;
        } else if (strcmp(key, "mean_only") == 0) {
            m->mean_only = atoi(index);
        } else if (strcmp(key, "nonparametric") == 0) {
            m->nonparametric = atoi(index);
        } else if (strcmp(key, "converge") == 0) {
            m->converge = atoi(index);
        } else if (strcmp(key, "adjusted") == 0) {
            st = read_values(csv, r, tmp);
            for (int j = 0; j < p && st == RADX_OK; j++) m->adjusted[j] = tmp[j] != 0;
        } else if (strcmp(key, "grand_mean") == 0) {
            st = read_values(csv, r, m->grand_mean);
        } else if (strcmp(key, "var_pooled") == 0) {
            st = read_values(csv, r, m->var_pooled);
        } else if (strcmp(key, "beta_covariate") == 0) {
            names->covariates[c_row] = strdup(index);
            st = read_values(csv, r, m->beta_cov + (size_t)c_row++ * p);
        } else {
            for (int t = 0; t < 5; t++)
                if (strcmp(key, tables[t]) == 0) {
                    if (seen[t] >= m->nbatches || strcmp(index, names->batches[seen[t]]) != 0) {
                        st = radx_fail(RADX_ERR_FORMAT, "%s:%d: %s row for unknown batch '%s'", csv->path,
                                       csv->line[r], key, index);
                        break;
                    }
                    st = read_values(csv, r, dst[t] + (size_t)seen[t]++ * p);
                }
        }
    }
    free(tmp);
    if (st != RADX_OK) return st;
    for (int b = 0; b < m->nbatches; b++)
        if (!names->batches[b]) return radx_fail(RADX_ERR_NOMEM, "ComBat: out of memory");
    if (seen[0] != m->nbatches || seen[1] != m->nbatches)
        return radx_fail(RADX_ERR_FORMAT, "%s: gamma_star/delta_star rows missing", csv->path);
    if (ref_name[0]) {
        for (int b = 0; b < m->nbatches; b++)
            if (strcmp(ref_name, names->batches[b]) == 0) m->ref_batch = b;
        if (m->ref_batch < 0) return radx_fail(RADX_ERR_FORMAT, "%s: unknown ref_batch '%s'", csv->path, ref_name);
    }
    return RADX_OK;
}

radx_status radx_combat_load(const char *path, radx_combat_model **model, radx_combat_names *names)
{
    *model = NULL;
    memset(names, 0, sizeof *names);
    radx_csv *csv = NULL;
    radx_status st = radx_csv_read(path, &csv);
    if (st != RADX_OK) return st;
    if (csv->ncols < 4 || strcmp(csv->header[0], "parameter") != 0 || csv->nrows < 1 ||
        strcmp(csv->cells[0][0], "format") != 0 || strcmp(csv->cells[0][1], "radx-combat-1") != 0) {
        radx_csv_free(csv);
        return radx_fail(RADX_ERR_FORMAT, "%s: not a radx ComBat model (radx harmonize --save-model)", path);
    }
    int p = csv->ncols - 2, nb = count_rows(csv, "batch"), ncov = count_rows(csv, "beta_covariate");
    radx_combat_model *m = model_alloc(p, nb, ncov);
    names->features = calloc((size_t)p, sizeof *names->features);
    names->batches = calloc((size_t)(nb ? nb : 1), sizeof *names->batches);
    names->covariates = calloc((size_t)(ncov ? ncov : 1), sizeof *names->covariates);
    if (!m || !names->features || !names->batches || !names->covariates) {
        st = radx_fail(RADX_ERR_NOMEM, "ComBat: out of memory");
    } else {
        for (int j = 0; j < p; j++) names->features[j] = strdup(csv->header[j + 2]);
        st = fill_model(csv, m, names);
    }
    radx_csv_free(csv);
    if (st != RADX_OK) {
        if (m) radx_combat_names_free(names, m);
        radx_combat_free(m);
        return st;
    }
    *model = m;
    return RADX_OK;
}
