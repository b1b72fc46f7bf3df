/* Binomial elastic-net path as glmnet 4.1-6 computes it (see glmnet.h).
 *
 * The iteration mirrors glmnet's Fortran routine lognet2n (and lstandard1 for
 * the standardisation): the same quadratic approximation (Newton weights
 * v = w q (1 - q), working residual r = w (y - q)), the same coordinate update,
 * full sweeps over the strong set alternating with sweeps over the active
 * set, the same convergence tests (max_j xv_j d_j^2 < thresh * dev0), the same
 * KKT check of the variables outside the strong set, and the same lambda
 * sequence. With thresh > 0 that is all radx does, so `--thresh 1e-7` follows
 * R's default fit. By default radx then polishes each solution with Newton
 * steps on the active set (signs fixed) until the KKT conditions hold to
 * kkt_tol * lambda, which the coordinate descent alone reaches only after
 * hundreds of thousands of passes on correlated features. */
#include "stats/glmnet.h"
#include "core/error.h"

#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* glmnet.control() defaults */
#define GLMNET_FDEV 1e-5
#define GLMNET_DEVMAX 0.999
#define GLMNET_EPS 1e-6
#define GLMNET_BIG 9.9e35
#define GLMNET_MNLAM 5
#define GLMNET_PMIN 1e-9
/* The converging solver: coordinate descent to this thresh before Newton. */
#define CONVERGE_CD_THRESH 1e-5
#define CONVERGE_ROUNDS 40
#define NEWTON_MAX_STEPS 50

void radx_glmnet_default_options(radx_glmnet_options *o)
{
    memset(o, 0, sizeof *o);
    o->alpha = 1;
    o->nlambda = 100;
    o->lambda_min_ratio = 0;
    o->thresh = 0;
    o->kkt_tol = 1e-10;
    o->maxit = 100000;
    o->early_stop = 1;
}

void radx_glmnet_path_free(radx_glmnet_path *p)
{
    if (!p) return;
    free(p->lambda);
    free(p->a0);
    free(p->beta);
    free(p->df);
    free(p->dev_ratio);
    free(p->kkt);
    free(p);
}

void radx_glmnet_link(const radx_glmnet_path *path, int step, const double *x, int64_t n, double *eta)
{
    int p = path->nfeatures;
    const double *beta = path->beta + (size_t)step * p;
    for (int64_t i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < p; j++)
            if (beta[j] != 0) s += x[i * p + j] * beta[j];
        eta[i] = path->a0[step] + s;
    }
}

/* ------------------------------------------------------------ state */

typedef struct lognet {
    int64_t n;
    int p;
    double *z;        /* standardised x, column-major: z[j * n + i] */
    double *xm, *xs;  /* mean and population SD of each column */
    const double *y;
    double *w;        /* observation weights, 1/n each (glmnet normalises to sum 1) */
    int *ju;          /* 1 when the column varies (glmnet's chkvars) */
    double alpha;
    double b0, bs0;
    double *b, *bs;   /* standardised coefficients and their values at the outer start */
    double *xv;       /* sum_i v_i z_ij^2 */
    double *ga;       /* |r . z_j|, kept as glmnet keeps it (strong rule, KKT) */
    double *q, *v, *r;
    double xmz;       /* sum v */
    int *ixx;         /* strong set */
    int *mm;          /* 1-based position in the active set, 0 when never active */
    int *m;           /* active set in order of entry */
    int nin;
    int64_t nlp, maxit;
    int64_t newton_steps;
    double fmax, fmin, vmin;
    double dev0, dev1;
} lognet;

static void lognet_free(lognet *s)
{
    free(s->z); free(s->xm); free(s->xs); free(s->w); free(s->ju);
    free(s->b); free(s->bs); free(s->xv); free(s->ga);
    free(s->q); free(s->v); free(s->r);
    free(s->ixx); free(s->mm); free(s->m);
}

static double dot(const double *a, const double *b, int64_t n)
{
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

/* lstandard1 with intr = 1, isd = 1: xm = sum w x, x -= xm,
 * xs = sqrt(sum w x^2), x /= xs; chkvars: a column equal to its first
 * value everywhere is left out (ju = 0). */
static void standardise(lognet *s, const double *x)
{
    int64_t n = s->n;
    for (int j = 0; j < s->p; j++) {
        double *zj = s->z + (size_t)j * n;
        s->ju[j] = 0;
        for (int64_t i = 0; i < n; i++) {
            zj[i] = x[i * s->p + j];
            if (zj[i] != zj[0]) s->ju[j] = 1;
        }
        if (!s->ju[j]) {
            s->xm[j] = zj[0];
            s->xs[j] = 1;
            continue;
        }
        s->xm[j] = dot(s->w, zj, n);
        for (int64_t i = 0; i < n; i++) zj[i] -= s->xm[j];
        double ss = 0;
        for (int64_t i = 0; i < n; i++) ss += s->w[i] * (zj[i] * zj[i]);
        s->xs[j] = sqrt(ss);
        for (int64_t i = 0; i < n; i++) zj[i] /= s->xs[j];
    }
}

static radx_status lognet_init(lognet *s, const double *x, int64_t n, int p, const double *y, double alpha)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    s->p = p;
    s->y = y;
    s->alpha = alpha;
    size_t np = (size_t)n * (size_t)p, pp = (size_t)(p > 0 ? p : 1), nn = (size_t)n;
    s->z = malloc((np ? np : 1) * sizeof *s->z);
    s->xm = calloc(pp, sizeof *s->xm);
    s->xs = calloc(pp, sizeof *s->xs);
    s->w = malloc(nn * sizeof *s->w);
    s->ju = calloc(pp, sizeof *s->ju);
    s->b = calloc(pp, sizeof *s->b);
    s->bs = calloc(pp, sizeof *s->bs);
    s->xv = calloc(pp, sizeof *s->xv);
    s->ga = calloc(pp, sizeof *s->ga);
    s->q = malloc(nn * sizeof *s->q);
    s->v = malloc(nn * sizeof *s->v);
    s->r = malloc(nn * sizeof *s->r);
    s->ixx = calloc(pp, sizeof *s->ixx);
    s->mm = calloc(pp, sizeof *s->mm);
    s->m = calloc(pp, sizeof *s->m);
    if (!s->z || !s->xm || !s->xs || !s->w || !s->ju || !s->b || !s->bs || !s->xv || !s->ga || !s->q ||
        !s->v || !s->r || !s->ixx || !s->mm || !s->m) {
        lognet_free(s);
        return radx_fail(RADX_ERR_NOMEM, "glmnet: out of memory");
    }
    for (int64_t i = 0; i < n; i++) s->w[i] = 1.0 / (double)n;
    standardise(s, x);
    /* fmax = log(1/pmin - 1): beyond it a probability is exactly 0 or 1 */
    s->fmax = log(1.0 / GLMNET_PMIN - 1.0);
    s->fmin = -s->fmax;
    s->vmin = (1.0 + GLMNET_PMIN) * GLMNET_PMIN * (1.0 - GLMNET_PMIN);
    return RADX_OK;
}

/* Null model: b0 = logit(mean y), q = mean y; dev1 = -(b0 q0 + log(1 - q0)),
 * dev0 = dev1 (0/1 responses contribute no saturated term). */
static radx_status lognet_null(lognet *s)
{
    double q0 = dot(s->w, s->y, s->n);
    if (!(q0 > GLMNET_PMIN) || !(q0 < 1.0 - GLMNET_PMIN))
        return radx_fail(RADX_ERR_NUMERIC, "glmnet: the outcome has a single class");
    double bz = log(q0 / (1.0 - q0));
    double vi = q0 * (1.0 - q0);
    s->b0 = bz;
    for (int64_t i = 0; i < s->n; i++) {
        s->v[i] = vi * s->w[i];
        s->r[i] = s->w[i] * (s->y[i] - q0);
        s->q[i] = q0;
    }
    s->xmz = vi;
    s->dev1 = -(bz * q0 + log(1.0 - q0));
    s->dev0 = s->dev1;
    for (int64_t i = 0; i < s->n; i++) {
        if (s->y[i] > 0) s->dev0 += s->w[i] * s->y[i] * log(s->y[i]);
        if (s->y[i] < 1) s->dev0 += s->w[i] * (1.0 - s->y[i]) * log(1.0 - s->y[i]);
    }
    for (int j = 0; j < s->p; j++)
        if (s->ju[j]) s->ga[j] = fabs(dot(s->r, s->z + (size_t)j * s->n, s->n));
    return RADX_OK;
}

/* ------------------------------------------------------------ coordinate descent */

/* One coordinate update (lognet2n): u = r.z_k + xv_k b_k, soft-threshold at
 * lambda alpha, divide by xv_k + lambda (1 - alpha); r -= d v z_k. Returns
 * xv_k d^2. */
static double update_coordinate(lognet *s, int k, double al1, double al2, int may_enter)
{
    int64_t n = s->n;
    const double *zk = s->z + (size_t)k * n;
    double bk = s->b[k];
    double gk = dot(s->r, zk, n);
    double u = gk + s->xv[k] * bk;
    double au = fabs(u) - al1;
    s->b[k] = au > 0 ? copysign(au, u) / (s->xv[k] + al2) : 0.0;
    double d = s->b[k] - bk;
    if (fabs(d) <= 0) return 0;
    for (int64_t i = 0; i < n; i++) s->r[i] -= d * s->v[i] * zk[i];
    if (may_enter && s->mm[k] == 0) {
        s->m[s->nin++] = k;
        s->mm[k] = s->nin;
    }
    return s->xv[k] * d * d;
}

/* Intercept update d = sum(r) / xmz; returns xmz d^2. */
static double update_intercept(lognet *s)
{
    double sr = 0;
    for (int64_t i = 0; i < s->n; i++) sr += s->r[i];
    double d = sr / s->xmz;
    if (d == 0) return 0;
    s->b0 += d;
    for (int64_t i = 0; i < s->n; i++) s->r[i] -= d * s->v[i];
    return s->xmz * d * d;
}

/* eta = b0 + z_active b_active; q clipped to 0/1 beyond fmax; v, xmz, r. */
static void recompute_probabilities(lognet *s)
{
    int64_t n = s->n;
    for (int64_t i = 0; i < n; i++) {
        double fi = s->b0, e = 0;
        for (int l = 0; l < s->nin; l++) {
            int k = s->m[l];
            e += s->b[k] * s->z[(size_t)k * n + i];
        }
        fi += e;
        if (fi < s->fmin) s->q[i] = 0;
        else if (fi > s->fmax) s->q[i] = 1;
        else s->q[i] = 1.0 / (1.0 + exp(-fi));
    }
    double xmz = 0;
    for (int64_t i = 0; i < n; i++) {
        s->v[i] = s->w[i] * s->q[i] * (1.0 - s->q[i]);
        xmz += s->v[i];
    }
    s->xmz = xmz;
    for (int64_t i = 0; i < n; i++) s->r[i] = s->w[i] * (s->y[i] - s->q[i]);
}

typedef enum cd_result { CD_OK, CD_MAXIT, CD_SATURATED } cd_result;

/* lognet2n's loops at one lambda, from the current (warm) solution. */
static cd_result coordinate_descent(lognet *s, double al1, double al2, double shr)
{
    int p = s->p;
    for (;;) {
        s->bs0 = s->b0;
        for (int l = 0; l < s->nin; l++) s->bs[s->m[l]] = s->b[s->m[l]];
        for (int j = 0; j < p; j++)
            if (s->ixx[j]) {
                const double *zj = s->z + (size_t)j * s->n;
                double acc = 0;
                for (int64_t i = 0; i < s->n; i++) acc += s->v[i] * (zj[i] * zj[i]);
                s->xv[j] = acc;
            }
        for (;;) { /* full sweeps over the strong set, each followed by active-set sweeps */
            s->nlp++;
            double dlx = 0;
            for (int k = 0; k < p; k++)
                if (s->ixx[k]) dlx = fmax(dlx, update_coordinate(s, k, al1, al2, 1));
            dlx = fmax(dlx, update_intercept(s));
            if (dlx < shr) break;
            if (s->nlp > s->maxit) return CD_MAXIT;
            for (;;) {
                s->nlp++;
                dlx = 0;
                for (int l = 0; l < s->nin; l++) dlx = fmax(dlx, update_coordinate(s, s->m[l], al1, al2, 0));
                dlx = fmax(dlx, update_intercept(s));
                if (dlx < shr) break;
                if (s->nlp > s->maxit) return CD_MAXIT;
            }
        }
        recompute_probabilities(s);
        if (s->xmz <= s->vmin) return CD_SATURATED;
        if (s->xmz * (s->b0 - s->bs0) * (s->b0 - s->bs0) >= shr) continue;
        int ix = 0;
        for (int l = 0; l < s->nin && !ix; l++) {
            int k = s->m[l];
            if (s->xv[k] * (s->b[k] - s->bs[k]) * (s->b[k] - s->bs[k]) >= shr) ix = 1;
        }
        if (ix) continue;
        for (int k = 0; k < p; k++) { /* KKT outside the strong set */
            if (s->ixx[k] || !s->ju[k]) continue;
            s->ga[k] = fabs(dot(s->r, s->z + (size_t)k * s->n, s->n));
            if (s->ga[k] > al1) {
                s->ixx[k] = 1;
                ix = 1;
            }
        }
        if (!ix) return CD_OK;
    }
}

/* ------------------------------------------------------------ KKT and Newton */

/* Max KKT violation of the current solution: |sum r| for the intercept,
 * |r.z_j - al1 sign(b_j) - al2 b_j| for b_j != 0, max(0, |r.z_j| - al1)
 * otherwise (the same measure as the reference's kkt_violation()). */
static double kkt_violation(const lognet *s, double al1, double al2, int *worst_inactive)
{
    double worst = 0, sr = 0, worst_out = 0;
    if (worst_inactive) *worst_inactive = -1;
    for (int64_t i = 0; i < s->n; i++) sr += s->r[i];
    worst = fabs(sr);
    for (int j = 0; j < s->p; j++) {
        if (!s->ju[j]) continue;
        double g = dot(s->r, s->z + (size_t)j * s->n, s->n);
        double viol;
        if (s->b[j] != 0) {
            viol = fabs(g - al1 * copysign(1.0, s->b[j]) - al2 * s->b[j]);
        } else {
            viol = fmax(0, fabs(g) - al1);
            if (viol > worst_out) {
                worst_out = viol;
                if (worst_inactive) *worst_inactive = j;
            }
        }
        worst = fmax(worst, viol);
    }
    return worst;
}

/* One Newton step on (b0, b_A), A = nonzero coefficients, signs fixed:
 * gradient g0 = -sum r, g_j = -r.z_j + al1 sign(b_j) + al2 b_j; Hessian of
 * the quadratic approximation [sum v, v.z_j; v.z_j, z_j' V z_k + al2 I].
 * A coordinate that would cross zero stops the step there and is set to 0.
 * Returns 0 on success, -1 when the system is singular. */
static int newton_step(lognet *s, double al1, double al2)
{
    int64_t n = s->n;
    int *act = malloc((size_t)(s->nin > 0 ? s->nin : 1) * sizeof *act), k = 0;
    if (!act) return -1;
    for (int l = 0; l < s->nin; l++)
        if (s->b[s->m[l]] != 0) act[k++] = s->m[l];
    size_t dim = (size_t)k + 1;
    gsl_matrix *h = gsl_matrix_alloc(dim, dim);
    gsl_vector *g = gsl_vector_alloc(dim), *step = gsl_vector_alloc(dim);
    if (!h || !g || !step) {
        gsl_matrix_free(h); gsl_vector_free(g); gsl_vector_free(step);
        free(act);
        return -1;
    }
    double sr = 0, sv = 0;
    for (int64_t i = 0; i < n; i++) { sr += s->r[i]; sv += s->v[i]; }
    gsl_vector_set(g, 0, -sr);
    gsl_matrix_set(h, 0, 0, sv);
    for (int a = 0; a < k; a++) {
        const double *za = s->z + (size_t)act[a] * n;
        double ba = s->b[act[a]];
        gsl_vector_set(g, (size_t)a + 1, -dot(s->r, za, n) + al1 * copysign(1.0, ba) + al2 * ba);
        double hv = 0;
        for (int64_t i = 0; i < n; i++) hv += s->v[i] * za[i];
        gsl_matrix_set(h, 0, (size_t)a + 1, hv);
        gsl_matrix_set(h, (size_t)a + 1, 0, hv);
        for (int c = a; c < k; c++) {
            const double *zc = s->z + (size_t)act[c] * n;
            double acc = 0;
            for (int64_t i = 0; i < n; i++) acc += s->v[i] * za[i] * zc[i];
            if (c == a) acc += al2;
            gsl_matrix_set(h, (size_t)a + 1, (size_t)c + 1, acc);
            gsl_matrix_set(h, (size_t)c + 1, (size_t)a + 1, acc);
        }
    }
    int rc = gsl_linalg_cholesky_decomp1(h) == GSL_SUCCESS && gsl_linalg_cholesky_solve(h, g, step) == GSL_SUCCESS
                 ? 0 : -1;
    if (rc == 0) {
        double t = 1;
        int hit = -1;
        for (int a = 0; a < k; a++) {
            double ba = s->b[act[a]], da = -gsl_vector_get(step, (size_t)a + 1);
            if (ba + da != 0 && (ba + da > 0) != (ba > 0) && -ba / da < t) {
                t = -ba / da;
                hit = a;
            }
        }
        s->b0 += -t * gsl_vector_get(step, 0);
        for (int a = 0; a < k; a++) s->b[act[a]] += -t * gsl_vector_get(step, (size_t)a + 1);
        if (hit >= 0) s->b[act[hit]] = 0;
        recompute_probabilities(s);
        s->newton_steps++;
    }
    gsl_matrix_free(h);
    gsl_vector_free(g);
    gsl_vector_free(step);
    free(act);
    return rc;
}

/* The converging solver at one lambda: coordinate descent, Newton steps on
 * the active set until the KKT conditions hold to tol * lambda; a variable
 * outside that violates them joins the strong set and coordinate descent
 * runs again at a tenfold tighter threshold. */
static cd_result converge_lambda(lognet *s, double al, double al1, double al2, double tol)
{
    double shr = CONVERGE_CD_THRESH * s->dev0;
    for (int round = 0; round < CONVERGE_ROUNDS; round++) {
        cd_result res = coordinate_descent(s, al1, al2, shr);
        if (res == CD_MAXIT && round > 0) return CD_OK; /* keep the best reached; kkt[] reports it */
        if (res != CD_OK) return res;
        double best = kkt_violation(s, al1, al2, NULL);
        for (int it = 0; it < NEWTON_MAX_STEPS && best > tol * al; it++) {
            double b0 = s->b0;
            double *saved = malloc((size_t)s->p * sizeof *saved);
            if (!saved) return CD_MAXIT;
            memcpy(saved, s->b, (size_t)s->p * sizeof *saved);
            if (newton_step(s, al1, al2) != 0) { free(saved); break; }
            double now = kkt_violation(s, al1, al2, NULL);
            if (!(now < best)) { /* no progress: undo, leave it to coordinate descent */
                s->b0 = b0;
                memcpy(s->b, saved, (size_t)s->p * sizeof *saved);
                recompute_probabilities(s);
                free(saved);
                break;
            }
            free(saved);
            best = now;
        }
        int out;
        kkt_violation(s, al1, al2, &out);
        if (best <= tol * al) return CD_OK;
        if (out >= 0) s->ixx[out] = 1;
        shr *= 0.1;
    }
    return CD_OK;
}

/* ------------------------------------------------------------ the path */

static radx_status check_data(const double *x, int64_t n, int p, const double *y, const radx_glmnet_options *o)
{
    if (!(o->alpha >= 0 && o->alpha <= 1)) return radx_fail(RADX_ERR_PARAM, "glmnet: alpha %g is not in [0, 1]", o->alpha);
    if (n < 2 || p < 1) return radx_fail(RADX_ERR_PARAM, "glmnet: needs at least two rows and one feature");
    int64_t ones = 0;
    for (int64_t i = 0; i < n; i++) {
        if (y[i] != 0 && y[i] != 1)
            return radx_fail(RADX_ERR_PARAM, "glmnet: row %lld: outcome %g is not 0 or 1", (long long)i + 1, y[i]);
        ones += y[i] == 1;
        for (int j = 0; j < p; j++)
            if (!isfinite(x[i * p + j]))
                return radx_fail(RADX_ERR_PARAM, "glmnet: row %lld, feature %d: missing or non-finite value",
                                 (long long)i + 1, j + 1);
    }
    /* glmnet's lognet(): "one multinomial or binomial class has 1 or 0 observations; not allowed" */
    if (ones <= 1 || n - ones <= 1)
        return radx_fail(RADX_ERR_NUMERIC, "glmnet: one class has %lld observation(s) (%lld of %lld are 1); not allowed",
                         (long long)(ones <= 1 ? ones : n - ones), (long long)ones, (long long)n);
    if (o->lambda)
        for (int k = 0; k < o->nlambda_user; k++)
            if (!(o->lambda[k] >= 0) || (k > 0 && o->lambda[k] > o->lambda[k - 1]))
                return radx_fail(RADX_ERR_PARAM, "glmnet: the lambda sequence must be non-negative and decreasing");
    return RADX_OK;
}

static radx_glmnet_path *path_alloc(int p, int nlam)
{
    radx_glmnet_path *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->nfeatures = p;
    r->lambda = calloc((size_t)nlam, sizeof *r->lambda);
    r->a0 = calloc((size_t)nlam, sizeof *r->a0);
    r->beta = calloc((size_t)nlam * (size_t)p, sizeof *r->beta);
    r->df = calloc((size_t)nlam, sizeof *r->df);
    r->dev_ratio = calloc((size_t)nlam, sizeof *r->dev_ratio);
    r->kkt = calloc((size_t)nlam, sizeof *r->kkt);
    if (!r->lambda || !r->a0 || !r->beta || !r->df || !r->dev_ratio || !r->kkt) {
        radx_glmnet_path_free(r);
        return NULL;
    }
    return r;
}

/* dev2: deviance/2n of the fit with q clamped to [pmin, 1 - pmin]. */
static double deviance(const lognet *s)
{
    double d = 0;
    for (int64_t i = 0; i < s->n; i++) {
        double pi = fmin(fmax(GLMNET_PMIN, s->q[i]), 1.0 - GLMNET_PMIN);
        d -= s->w[i] * (s->y[i] * log(pi) + (1.0 - s->y[i]) * log(1.0 - pi));
    }
    return d;
}

/* Store step `ilm`: back to the original scale (beta = b / xs, a0 = b0 -
 * sum beta xm over the active set in order of entry). */
static void store_step(const lognet *s, radx_glmnet_path *r, int ilm, double al, double al1, double al2)
{
    double *beta = r->beta + (size_t)ilm * s->p, shift = 0;
    int df = 0;
    for (int l = 0; l < s->nin; l++) {
        int k = s->m[l];
        beta[k] = s->b[k] / s->xs[k];
        shift += beta[k] * s->xm[k];
        df += s->b[k] != 0;
    }
    r->a0[ilm] = s->b0 - shift;
    r->lambda[ilm] = al;
    r->df[ilm] = df;
    r->dev_ratio[ilm] = (s->dev1 - deviance(s)) / s->dev0;
    r->kkt[ilm] = kkt_violation(s, al1, al2, NULL) / al;
}

radx_status radx_glmnet_binomial(const double *x, int64_t n, int p, const double *y,
                                 const radx_glmnet_options *options, radx_glmnet_path **path)
{
    *path = NULL;
    radx_glmnet_options defaults;
    radx_glmnet_default_options(&defaults);
    const radx_glmnet_options *o = options ? options : &defaults;
    radx_status st = check_data(x, n, p, y, o);
    if (st != RADX_OK) return st;
    int user = o->lambda != NULL;
    int nlam = user ? o->nlambda_user : o->nlambda;
    if (nlam < 1 || (!user && nlam < 3)) return radx_fail(RADX_ERR_PARAM, "glmnet: nlambda must be at least 3");
    double ratio = o->lambda_min_ratio > 0 ? o->lambda_min_ratio : (n < p ? 1e-2 : 1e-4);
    if (!user && !(ratio < 1)) return radx_fail(RADX_ERR_PARAM, "glmnet: lambda.min.ratio must be below 1");

    lognet s;
    st = lognet_init(&s, x, n, p, y, o->alpha);
    if (st != RADX_OK) return st;
    s.maxit = o->maxit > 0 ? o->maxit : 100000;
    radx_glmnet_path *r = path_alloc(p, nlam);
    if (!r) {
        lognet_free(&s);
        return radx_fail(RADX_ERR_NOMEM, "glmnet: out of memory");
    }
    st = lognet_null(&s);
    double bta = o->alpha, omb = 1.0 - bta;
    /* alf = max(eps, lambda.min.ratio)^(1/(nlam - 1)): the geometric ratio */
    double alf = user ? 1.0 : pow(fmax(GLMNET_EPS, ratio), 1.0 / (nlam - 1));
    double al = 0, shr = o->thresh * s.dev0;
    int converge = !(o->thresh > 0);
    /* the sequence from the null model's gradient, for the alpha < 1e-3 case */
    double null_max = 0;
    for (int j = 0; j < p; j++)
        if (s.ju[j]) null_max = fmax(null_max, s.ga[j]);
    double second = alf * null_max / fmax(bta, 1e-3);
    double first_lambda = exp(2 * log(second) - log(second * alf));
    int mnl = nlam < GLMNET_MNLAM ? nlam : GLMNET_MNLAM, lmu = 0;
    for (int ilm = 0; st == RADX_OK && ilm < nlam; ilm++) {
        double al0 = al;
        if (user) {
            al = o->lambda[ilm];
        } else if (ilm >= 2) {
            al = al * alf;
        } else if (ilm == 0) {
            /* glmnet fits the first step at "infinity" (the null model) and
             * relabels it with the extrapolated lambda below; that is the
             * solution there unless alpha < 1e-3, where the converging solver
             * fits the first step at its real lambda instead */
            al = converge && bta < 1e-3 ? first_lambda : GLMNET_BIG;
        } else {
            /* lambda_max = max_j |r.z_j| / max(alpha, 1e-3) at the null model */
            al0 = converge && bta < 1e-3 ? null_max : 0;
            for (int j = 0; j < p && !(converge && bta < 1e-3); j++)
                if (s.ju[j]) al0 = fmax(al0, s.ga[j]);
            al = alf * al0 / fmax(bta, 1e-3);
        }
        double al2 = al * omb, al1 = al * bta;
        double tlam = bta * (2.0 * al - al0); /* sequential strong rule */
        for (int k = 0; k < p; k++)
            if (!s.ixx[k] && s.ju[k] && s.ga[k] > tlam) s.ixx[k] = 1;
        cd_result res = !converge ? coordinate_descent(&s, al1, al2, shr)
                                  : converge_lambda(&s, al, al1, al2, o->kkt_tol > 0 ? o->kkt_tol : 1e-10);
        if (res == CD_MAXIT) {
            st = radx_fail(RADX_ERR_NUMERIC, "glmnet: no convergence at lambda step %d within %lld passes", ilm + 1,
                           (long long)s.maxit);
            break;
        }
        store_step(&s, r, ilm, al, al1 > 0 ? al1 : 0, al2);
        if (al1 <= 0 && al2 <= 0) r->kkt[ilm] = 0;
        lmu = ilm + 1;
        if (res == CD_SATURATED) break;
        if (user || !o->early_stop || ilm + 1 < mnl) continue;
        if (r->dev_ratio[ilm] > GLMNET_DEVMAX) break;
        if (r->dev_ratio[ilm] - r->dev_ratio[ilm - 1] < GLMNET_FDEV) break;
    }
    if (st == RADX_OK && !user && lmu > 2) {
        /* glmnet's R code (fix.lam): lambda[1] = exp(2 log lambda[2] - log lambda[3]) */
        double first = exp(2 * log(r->lambda[1]) - log(r->lambda[2]));
        r->kkt[0] *= r->lambda[0] / first;
        r->lambda[0] = first;
    }
    r->nlambda = lmu;
    r->nulldev = 2.0 * (double)n * s.dev0;
    r->npasses = s.nlp;
    r->newton_steps = s.newton_steps;
    lognet_free(&s);
    if (st != RADX_OK) {
        radx_glmnet_path_free(r);
        return st;
    }
    *path = r;
    return RADX_OK;
}
