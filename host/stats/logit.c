/* Logistic regression by Newton-Raphson / IRLS (McCullagh & Nelder 1989,
 * section 2.5; R's glm.fit for family = binomial), iterated to convergence,
 * with Wald inference as summary.glm and confint.default. */
#include "radx/stats.h"
#include "core/error.h"
#include "stats/dist.h"

#include <float.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_ITERATIONS = 100 };

/* A Newton step smaller than this (relative to the coefficient) ends the
 * iteration; the step after it is at rounding level (quadratic convergence). */
static const double STEP_TOLERANCE = 1e-10;

/* Residual column norm below this fraction of the column's norm: aliased. */
static const double ALIAS_TOLERANCE = 1e-10;

/* log(1 + e^t) without overflow or cancellation. */
static double softplus(double t) { return t > 0 ? t + log1p(exp(-t)) : log1p(exp(t)); }

/* Inverse logit and its derivative mu (1 - mu), both stable for any eta. */
static double inverse_logit(double eta)
{
    if (eta >= 0) return 1 / (1 + exp(-eta));
    double e = exp(eta);
    return e / (1 + e);
}

static double logit_weight(double eta)
{
    double e = exp(-fabs(eta));
    return e / ((1 + e) * (1 + e));
}

/* Binomial deviance of 0/1 outcomes: 2 sum -log L_i, with
 * -log mu = softplus(-eta) and -log(1 - mu) = softplus(eta). */
static double deviance_of(const double *eta, const int *y, int64_t n)
{
    double dev = 0;
    for (int64_t i = 0; i < n; i++) dev += y[i] ? softplus(-eta[i]) : softplus(eta[i]);
    return 2 * dev;
}

/* Intercept-only deviance: -2 sum [y log ybar + (1 - y) log(1 - ybar)]. */
static double null_deviance_of(const int *y, int64_t n)
{
    int64_t ones = 0;
    for (int64_t i = 0; i < n; i++) ones += y[i];
    double p = (double)ones / (double)n, dev = 0;
    if (ones > 0) dev -= 2 * (double)ones * log(p);
    if (ones < n) dev -= 2 * (double)(n - ones) * log1p(-p);
    return dev;
}

static const char *term_name(const char *const *names, int j, char *buffer, size_t size)
{
    if (names && names[j]) return names[j];
    snprintf(buffer, size, "column %d", j + 1);
    return buffer;
}

/* Modified Gram-Schmidt over the columns in order: a column whose residual
 * after projection on the earlier independent columns is below
 * ALIAS_TOLERANCE of its norm is aliased (R's glm gives it NA). */
static radx_status check_full_rank(const double *x, int64_t n, int p, const char *const *names)
{
    double *q = malloc((size_t)n * (size_t)p * sizeof *q);
    if (!q) return radx_fail(RADX_ERR_NOMEM, "logistic regression: out of memory");
    radx_status st = RADX_OK;
    for (int j = 0; j < p && st == RADX_OK; j++) {
        double *v = q + (size_t)j * (size_t)n, norm0 = 0, norm = 0;
        for (int64_t i = 0; i < n; i++) v[i] = x[i * p + j], norm0 += v[i] * v[i];
        for (int k = 0; k < j; k++) {
            const double *u = q + (size_t)k * (size_t)n;
            double dot = 0;
            for (int64_t i = 0; i < n; i++) dot += u[i] * v[i];
            for (int64_t i = 0; i < n; i++) v[i] -= dot * u[i];
        }
        for (int64_t i = 0; i < n; i++) norm += v[i] * v[i];
        if (!(sqrt(norm) > ALIAS_TOLERANCE * sqrt(norm0))) {
            char buffer[32];
            st = radx_fail(RADX_ERR_NUMERIC,
                           "logistic regression: singular design: '%s' is %s (R would report NA for it)",
                           term_name(names, j, buffer, sizeof buffer),
                           norm0 == 0 ? "all zero" : "a linear combination of the terms before it (constant, "
                                                     "duplicated or collinear, or an empty level)");
        }
        for (int64_t i = 0; i < n; i++) v[i] /= sqrt(norm);
    }
    free(q);
    return st;
}

/* Weighted least squares of one IRLS step: minimise
 * sum_i w_i (z_i - x_i' beta)^2 with z = eta + (y - mu) / w, by QR of
 * sqrt(W) X. Leaves the QR in `qr` (n x p) for the covariance. Returns
 * -1 when the weighted design is numerically rank deficient. */
static int irls_step(const double *x, int64_t n, int p, const int *y, const double *eta, gsl_matrix *qr,
                     gsl_vector *tau, gsl_vector *rhs, gsl_vector *beta, gsl_vector *residual)
{
    for (int64_t i = 0; i < n; i++) {
        double mu = inverse_logit(eta[i]), w = fmax(logit_weight(eta[i]), 1e-300), sw = sqrt(w);
        for (int j = 0; j < p; j++) gsl_matrix_set(qr, (size_t)i, (size_t)j, sw * x[i * p + j]);
        gsl_vector_set(rhs, (size_t)i, sw * eta[i] + ((double)y[i] - mu) / sw);
    }
    if (gsl_linalg_QR_decomp(qr, tau)) return -1;
    double top = 0;
    for (int j = 0; j < p; j++) top = fmax(top, fabs(gsl_matrix_get(qr, (size_t)j, (size_t)j)));
    for (int j = 0; j < p; j++)
        if (!(fabs(gsl_matrix_get(qr, (size_t)j, (size_t)j)) > 1e-13 * top)) return -1;
    if (gsl_linalg_QR_lssolve(qr, tau, rhs, beta, residual)) return -1;
    for (int j = 0; j < p; j++)
        if (!isfinite(gsl_vector_get(beta, (size_t)j))) return -1;
    return 0;
}

static void linear_predictor(const double *x, int64_t n, int p, const gsl_vector *beta, double *eta)
{
    for (int64_t i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < p; j++) s += x[i * p + j] * gsl_vector_get(beta, (size_t)j);
        eta[i] = s;
    }
}

/* The error for a likelihood without maximum, naming the term that moves
 * the linear predictor most (|beta_j| times the spread of column j). */
static radx_status separation_error(const double *x, int64_t n, int p, const gsl_vector *beta,
                                    const char *const *names)
{
    int worst = -1;
    double largest = -1;
    for (int j = 0; j < p; j++) {
        double lo = INFINITY, hi = -INFINITY;
        for (int64_t i = 0; i < n; i++) lo = fmin(lo, x[i * p + j]), hi = fmax(hi, x[i * p + j]);
        double effect = fabs(gsl_vector_get(beta, (size_t)j)) * (hi - lo);
        if (hi > lo && effect > largest) largest = effect, worst = j;
    }
    char buffer[32];
    return radx_fail(RADX_ERR_NUMERIC,
                     "logistic regression: perfect or quasi-complete separation: fitted probabilities reach 0 "
                     "or 1 and the coefficients grow without bound (no maximum-likelihood estimate; '%s' "
                     "separates the outcome)",
                     worst >= 0 ? term_name(names, worst, buffer, sizeof buffer) : "?");
}

typedef struct irls_work {
    gsl_matrix *qr;
    gsl_vector *tau, *rhs, *beta, *next, *residual;
    double *eta;
} irls_work;

static void work_free(irls_work *w)
{
    if (w->qr) gsl_matrix_free(w->qr);
    if (w->tau) gsl_vector_free(w->tau);
    if (w->rhs) gsl_vector_free(w->rhs);
    if (w->beta) gsl_vector_free(w->beta);
    if (w->next) gsl_vector_free(w->next);
    if (w->residual) gsl_vector_free(w->residual);
    free(w->eta);
}

static int work_alloc(irls_work *w, int64_t n, int p)
{
    memset(w, 0, sizeof *w);
    w->qr = gsl_matrix_alloc((size_t)n, (size_t)p);
    w->tau = gsl_vector_alloc((size_t)p);
    w->rhs = gsl_vector_alloc((size_t)n);
    w->beta = gsl_vector_alloc((size_t)p);
    w->next = gsl_vector_alloc((size_t)p);
    w->residual = gsl_vector_alloc((size_t)n);
    w->eta = malloc((size_t)n * sizeof *w->eta);
    return w->qr && w->tau && w->rhs && w->beta && w->next && w->residual && w->eta ? 0 : -1;
}

/* Deviance at the coefficients in w->next (eta left in w->eta). */
static double deviance_at(const double *x, int64_t n, int p, const int *y, irls_work *w)
{
    linear_predictor(x, n, p, w->next, w->eta);
    return deviance_of(w->eta, y, n);
}

/* Newton-Raphson from R's start (mu = (y + 1/2) / 2). A step that raises the
 * deviance is halved (R's glm.fit halves only on invalid values; the fixed
 * point is the same). Returns the number of iterations, or -1 when the
 * likelihood has no maximum. */
static int newton(const double *x, int64_t n, int p, const int *y, irls_work *w)
{
    for (int64_t i = 0; i < n; i++) w->eta[i] = y[i] ? log(3.0) : -log(3.0); /* logit((y + 0.5) / 2) */
    if (irls_step(x, n, p, y, w->eta, w->qr, w->tau, w->rhs, w->beta, w->residual)) return -1;
    gsl_vector_memcpy(w->next, w->beta);
    double dev = deviance_at(x, n, p, y, w);
    for (int iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
        /* complete separation: the deviance goes to 0 */
        if (!isfinite(dev) || dev < 1e-8) return -1;
        if (irls_step(x, n, p, y, w->eta, w->qr, w->tau, w->rhs, w->next, w->residual)) return -1;
        double next_dev = deviance_at(x, n, p, y, w);
        for (int halving = 0; !(next_dev <= dev * (1 + 1e-12)) && halving < 30; halving++) {
            for (int j = 0; j < p; j++)
                gsl_vector_set(w->next, (size_t)j, (gsl_vector_get(w->next, (size_t)j) + gsl_vector_get(w->beta, (size_t)j)) / 2);
            next_dev = deviance_at(x, n, p, y, w);
        }
        double step = 0;
        for (int j = 0; j < p; j++) {
            double b = gsl_vector_get(w->beta, (size_t)j), c = gsl_vector_get(w->next, (size_t)j);
            step = fmax(step, fabs(c - b) / fmax(fabs(c), 1.0));
        }
        gsl_vector_memcpy(w->beta, w->next);
        dev = next_dev;
        if (step < STEP_TOLERANCE) return iteration;
    }
    return -1; /* Newton converges quadratically when the maximum exists */
}

/* Covariance (X' W X)^-1 = R^-1 R^-T from the QR of sqrt(W) X at the estimate. */
static void covariance_from_qr(const gsl_matrix *qr, int p, double *vcov)
{
    double *rinv = calloc((size_t)p * (size_t)p, sizeof *rinv);
    if (!rinv) {
        for (int i = 0; i < p * p; i++) vcov[i] = NAN;
        return;
    }
    for (int j = p - 1; j >= 0; j--) { /* R^-1 by back substitution, column by column */
        rinv[j * p + j] = 1 / gsl_matrix_get(qr, (size_t)j, (size_t)j);
        for (int i = j - 1; i >= 0; i--) {
            double s = 0;
            for (int k = i + 1; k <= j; k++) s += gsl_matrix_get(qr, (size_t)i, (size_t)k) * rinv[k * p + j];
            rinv[i * p + j] = -s / gsl_matrix_get(qr, (size_t)i, (size_t)i);
        }
    }
    for (int a = 0; a < p; a++)
        for (int b = 0; b < p; b++) {
            double s = 0;
            for (int k = (a > b ? a : b); k < p; k++) s += rinv[a * p + k] * rinv[b * p + k];
            vcov[a * p + b] = s;
        }
    free(rinv);
}

void radx_stats_logit_free(radx_logit_result *fit)
{
    if (!fit) return;
    free(fit->estimate);
    free(fit->std_error);
    free(fit->z);
    free(fit->p_value);
    free(fit->ci_lo);
    free(fit->ci_hi);
    free(fit->vcov);
    free(fit);
}

static radx_logit_result *result_alloc(int64_t n, int p)
{
    radx_logit_result *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->n = n;
    r->nterms = p;
    double **arrays[] = {&r->estimate, &r->std_error, &r->z, &r->p_value, &r->ci_lo, &r->ci_hi};
    int ok = 1;
    for (size_t a = 0; a < sizeof arrays / sizeof arrays[0]; a++) {
        *arrays[a] = malloc((size_t)p * sizeof(double));
        ok = ok && *arrays[a];
    }
    r->vcov = malloc((size_t)p * (size_t)p * sizeof *r->vcov);
    if (!ok || !r->vcov) {
        radx_stats_logit_free(r);
        return NULL;
    }
    return r;
}

/* Estimates, Wald statistics and fit summaries at the converged beta. */
static radx_status summarise(const double *x, int64_t n, int p, const int *y, irls_work *w, double conf,
                             radx_logit_result *r)
{
    linear_predictor(x, n, p, w->beta, w->eta);
    if (irls_step(x, n, p, y, w->eta, w->qr, w->tau, w->rhs, w->next, w->residual))
        return radx_fail(RADX_ERR_NUMERIC, "logistic regression: the information matrix is singular at the estimate");
    covariance_from_qr(w->qr, p, r->vcov);
    double q = radx_dist_normal_quantile(1 - (1 - conf) / 2);
    for (int j = 0; j < p; j++) {
        double b = gsl_vector_get(w->beta, (size_t)j), se = sqrt(r->vcov[j * p + j]);
        r->estimate[j] = b;
        r->std_error[j] = se;
        r->z[j] = b / se;
        r->p_value[j] = radx_dist_normal_two_sided(r->z[j]);
        r->ci_lo[j] = b - q * se;   /* confint.default: beta + qnorm(a) se */
        r->ci_hi[j] = b + q * se;
    }
    r->deviance = deviance_of(w->eta, y, n);
    r->null_deviance = null_deviance_of(y, n);
    r->loglik = -r->deviance / 2;  /* 0/1 outcomes: the saturated log-likelihood is 0 */
    r->aic = r->deviance + 2 * p;
    r->df_residual = n - p;
    r->df_null = n - 1;
    return RADX_OK;
}

radx_status radx_stats_logit_fit(const double *x, int64_t n, int p, const int *y, const char *const *names,
                                 double conf, radx_logit_result **out)
{
    *out = NULL;
    if (p < 1) return radx_fail(RADX_ERR_PARAM, "logistic regression: no terms");
    if (!(conf > 0 && conf < 1)) return radx_fail(RADX_ERR_PARAM, "logistic regression: confidence level %g is not in (0, 1)", conf);
    if ((int64_t)p >= n)
        return radx_fail(RADX_ERR_NUMERIC, "logistic regression: %d terms for %lld cases: need more cases than terms",
                         p, (long long)n);
    int64_t ones = 0;
    for (int64_t i = 0; i < n; i++) {
        if (y[i] != 0 && y[i] != 1) return radx_fail(RADX_ERR_PARAM, "logistic regression: outcome %lld is %d, not 0 or 1", (long long)i + 1, y[i]);
        ones += y[i];
        for (int j = 0; j < p; j++)
            if (!isfinite(x[i * p + j])) {
                char buffer[32];
                return radx_fail(RADX_ERR_PARAM, "logistic regression: case %lld, '%s': value is not finite",
                                 (long long)i + 1, term_name(names, j, buffer, sizeof buffer));
            }
    }
    if (ones == 0 || ones == n)
        return radx_fail(RADX_ERR_NUMERIC, "logistic regression: all %lld outcomes are %d: both classes are needed",
                         (long long)n, ones ? 1 : 0);
    radx_status st = check_full_rank(x, n, p, names);
    if (st != RADX_OK) return st;
    irls_work w;
    radx_logit_result *r = result_alloc(n, p);
    if (!r || work_alloc(&w, n, p)) {
        if (r) work_free(&w);
        radx_stats_logit_free(r);
        return radx_fail(RADX_ERR_NOMEM, "logistic regression: out of memory");
    }
    r->iterations = newton(x, n, p, y, &w);
    if (r->iterations < 0) st = separation_error(x, n, p, w.beta, names);
    else st = summarise(x, n, p, y, &w, conf, r);
    work_free(&w);
    if (st != RADX_OK) {
        radx_stats_logit_free(r);
        return st;
    }
    *out = r;
    return RADX_OK;
}

radx_status radx_stats_logit_wald(const radx_logit_result *fit, const int *terms, int k, double *chisq,
                                  double *p_value)
{
    *chisq = *p_value = NAN;
    if (k < 1) return radx_fail(RADX_ERR_PARAM, "Wald test: no terms");
    gsl_matrix *v = gsl_matrix_alloc((size_t)k, (size_t)k);
    gsl_vector *b = gsl_vector_alloc((size_t)k), *solution = gsl_vector_alloc((size_t)k);
    radx_status st = RADX_OK;
    if (!v || !b || !solution) st = radx_fail(RADX_ERR_NOMEM, "Wald test: out of memory");
    for (int a = 0; st == RADX_OK && a < k; a++) {
        if (terms[a] < 0 || terms[a] >= fit->nterms) st = radx_fail(RADX_ERR_PARAM, "Wald test: no term %d", terms[a]);
        else gsl_vector_set(b, (size_t)a, fit->estimate[terms[a]]);
        for (int c = 0; st == RADX_OK && c < k; c++)
            gsl_matrix_set(v, (size_t)a, (size_t)c, fit->vcov[terms[a] * fit->nterms + terms[c]]);
    }
    /* b' V^-1 b by Cholesky of the sub-covariance */
    if (st == RADX_OK && (gsl_linalg_cholesky_decomp1(v) || gsl_linalg_cholesky_solve(v, b, solution)))
        st = radx_fail(RADX_ERR_NUMERIC, "Wald test: the covariance of the terms is singular");
    if (st == RADX_OK) {
        gsl_blas_ddot(b, solution, chisq);
        *p_value = radx_dist_chisq_upper(*chisq, k);
    }
    if (v) gsl_matrix_free(v);
    if (b) gsl_vector_free(b);
    if (solution) gsl_vector_free(solution);
    return st;
}

void radx_stats_logit_lr_test(const radx_logit_result *full, const radx_logit_result *reduced, double *statistic,
                              double *p_value)
{
    *statistic = reduced->deviance - full->deviance;
    int df = full->nterms - reduced->nterms;
    *p_value = df > 0 ? radx_dist_chisq_upper(fmax(*statistic, 0.0), df) : NAN;
}
