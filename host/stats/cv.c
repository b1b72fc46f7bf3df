/* cv.glmnet for the binomial family with the full-data lambdas (see cv.h).
 * R sources followed: glmnet 4.1-6 cv.glmnet.raw, buildPredmat.default,
 * cv.lognet, cvcompute, cvstats, getOptcv.glmnet; R 4.2.2 RNG.c and
 * random.c for the fold draw. */
#include "stats/cv.h"
#include "core/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cv.lognet: prob_min = 1e-5 for the deviance */
#define CV_PROB_MIN 1e-5

int radx_cv_measure_parse(const char *name)
{
    if (strcmp(name, "deviance") == 0) return RADX_CV_DEVIANCE;
    if (strcmp(name, "auc") == 0) return RADX_CV_AUC;
    if (strcmp(name, "class") == 0) return RADX_CV_CLASS;
    return -1;
}

const char *radx_cv_measure_name(radx_cv_measure m)
{
    return m == RADX_CV_AUC ? "auc" : m == RADX_CV_CLASS ? "class" : "deviance";
}

void radx_cv_result_free(radx_cv_result *r)
{
    if (!r) return;
    free(r->lambda);
    free(r->cvm);
    free(r->cvsd);
    free(r->cvup);
    free(r->cvlo);
    free(r->nzero);
    free(r->path_step);
    radx_glmnet_path_free(r->fit);
    free(r);
}

/* ------------------------------------------------------------ R's fold draw */

/* R's Mersenne-Twister (RNG.c: MT_genrand, seeded by RNG_Init). */
typedef struct r_mt {
    uint32_t mt[624];
    int mti;
} r_mt;

static void r_set_seed(r_mt *g, uint32_t seed)
{
    for (int j = 0; j < 50; j++) seed = 69069u * seed + 1u; /* initial scrambling */
    seed = 69069u * seed + 1u;                             /* i_seed[0]: overwritten by mti */
    for (int j = 0; j < 624; j++) {
        seed = 69069u * seed + 1u;
        g->mt[j] = seed;
    }
    g->mti = 624; /* FixupSeeds: dummy[0] = 624 */
}

static double r_unif_rand(r_mt *g)
{
    static const uint32_t mag01[2] = {0x0u, 0x9908b0dfu};
    uint32_t y;
    if (g->mti >= 624) {
        int kk;
        for (kk = 0; kk < 624 - 397; kk++) {
            y = (g->mt[kk] & 0x80000000u) | (g->mt[kk + 1] & 0x7fffffffu);
            g->mt[kk] = g->mt[kk + 397] ^ (y >> 1) ^ mag01[y & 0x1u];
        }
        for (; kk < 623; kk++) {
            y = (g->mt[kk] & 0x80000000u) | (g->mt[kk + 1] & 0x7fffffffu);
            g->mt[kk] = g->mt[kk + (397 - 624)] ^ (y >> 1) ^ mag01[y & 0x1u];
        }
        y = (g->mt[623] & 0x80000000u) | (g->mt[0] & 0x7fffffffu);
        g->mt[623] = g->mt[396] ^ (y >> 1) ^ mag01[y & 0x1u];
        g->mti = 0;
    }
    y = g->mt[g->mti++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    double v = (double)y * 2.3283064365386963e-10;
    /* fixup(): keep the value inside (0, 1) */
    const double i2_32m1 = 2.328306437080797e-10;
    if (v <= 0.0) return 0.5 * i2_32m1;
    if (1.0 - v <= 0.0) return 1.0 - 0.5 * i2_32m1;
    return v;
}

/* rbits() and R_unif_index() with sample.kind = "Rejection". */
static double r_unif_index(r_mt *g, double dn)
{
    if (dn <= 0) return 0.0;
    int bits = (int)ceil(log2(dn));
    double dv;
    do {
        int64_t v = 0;
        for (int n = 0; n <= bits; n += 16) {
            int v1 = (int)floor(r_unif_rand(g) * 65536);
            v = 65536 * v + v1;
        }
        dv = (double)(v & (((int64_t)1 << bits) - 1));
    } while (dn <= dv);
    return dv;
}

void radx_r_sample_folds(int64_t n, int nfolds, uint32_t seed, int *foldid)
{
    r_mt g;
    r_set_seed(&g, seed);
    int *pool = malloc((size_t)(n > 0 ? n : 1) * sizeof *pool);
    if (!pool) {
        for (int64_t i = 0; i < n; i++) foldid[i] = (int)(i % nfolds) + 1;
        return;
    }
    /* sample.int(n): x = 0..n-1; each draw takes x[j] and moves the last in */
    for (int64_t i = 0; i < n; i++) pool[i] = (int)i;
    int64_t left = n;
    for (int64_t i = 0; i < n; i++) {
        int j = (int)r_unif_index(&g, (double)left);
        int pick = pool[j];
        pool[j] = pool[--left];
        foldid[i] = pick % nfolds + 1; /* rep(1:nfolds, length.out = n)[pick] */
    }
    free(pool);
}

/* ------------------------------------------------------------ measures */

/* AUC of one fold as survival::concordance gives it for cv.lognet: pairs
 * (case, control) with prob_case > prob_control count 1, ties 1/2; NaN when a
 * class is absent. */
typedef struct scored {
    double prob;
    double y;
} scored;

static int compare_scored(const void *a, const void *b)
{
    double x = ((const scored *)a)->prob, y = ((const scored *)b)->prob;
    return (x > y) - (x < y);
}

static double fold_auc(scored *s, int64_t m)
{
    qsort(s, (size_t)m, sizeof *s, compare_scored);
    double npos = 0, nneg = 0, concordant = 0;
    int64_t i = 0;
    while (i < m) {
        int64_t k = i;
        double pos = 0, neg = 0;
        while (k < m && s[k].prob == s[i].prob) {
            if (s[k].y == 1) pos++;
            else neg++;
            k++;
        }
        concordant += pos * nneg + 0.5 * pos * neg; /* controls below, and ties */
        npos += pos;
        nneg += neg;
        i = k;
    }
    if (npos == 0 || nneg == 0) return NAN;
    return concordant / (npos * nneg);
}

/* Per-observation loss (deviance or misclassification), cv.lognet. */
static double observation_loss(radx_cv_measure m, double prob, double y)
{
    if (m == RADX_CV_CLASS) return y == 0 ? (prob > 0.5) : (prob <= 0.5);
    double pc = fmin(fmax(prob, CV_PROB_MIN), 1.0 - CV_PROB_MIN);
    double lp = (1.0 - y) * log(1.0 - pc) + y * log(pc);
    return 2.0 * (0.0 - lp);
}

/* ------------------------------------------------------------ folds */

typedef struct fold_work {
    radx_status status;
    char message[512];
    int64_t ntest;
    int64_t *test;          /* held-out rows */
    double *eta;            /* [ntest][nlambda] held-out linear predictors */
} fold_work;

/* Fit fold f on the other folds with the full-data lambdas; predict held-out rows. */
static radx_status run_fold(const double *x, int64_t n, int p, const double *y, const int *foldid, int f,
                            const radx_glmnet_options *base, const radx_glmnet_path *full, fold_work *w)
{
    int64_t ntrain = n - w->ntest;
    double *xt = malloc((size_t)ntrain * (size_t)p * sizeof *xt), *yt = malloc((size_t)ntrain * sizeof *yt);
    if (!xt || !yt) {
        free(xt); free(yt);
        return radx_fail(RADX_ERR_NOMEM, "cv: out of memory");
    }
    int64_t t = 0;
    for (int64_t i = 0; i < n; i++) {
        if (foldid[i] == f) continue;
        memcpy(xt + t * p, x + i * p, (size_t)p * sizeof *xt);
        yt[t++] = y[i];
    }
    radx_glmnet_options o = *base;
    o.lambda = full->lambda;
    o.nlambda_user = full->nlambda;
    radx_glmnet_path *fit = NULL;
    radx_status st = radx_glmnet_binomial(xt, ntrain, p, yt, &o, &fit);
    free(xt);
    free(yt);
    if (st != RADX_OK) return radx_fail_context(st, "fold %d", f);
    int K = full->nlambda;
    for (int64_t a = 0; a < w->ntest; a++) {
        const double *row = x + w->test[a] * p;
        for (int s = 0; s < K; s++) {
            /* a fold path that ended early (saturated fit) keeps its last solution */
            int step = s < fit->nlambda ? s : fit->nlambda - 1;
            radx_glmnet_link(fit, step, row, 1, &w->eta[a * K + s]);
        }
    }
    radx_glmnet_path_free(fit);
    return RADX_OK;
}

static radx_status prepare_folds(const int *foldid, int64_t n, int *nfolds_out, fold_work **out)
{
    int K = 0;
    for (int64_t i = 0; i < n; i++) {
        if (foldid[i] < 1) return radx_fail(RADX_ERR_PARAM, "cv: row %lld: fold id %d is not >= 1", (long long)i + 1, foldid[i]);
        if (foldid[i] > K) K = foldid[i];
    }
    /* cv.glmnet: "nfolds must be bigger than 3" (it accepts 3) */
    if (K < 3) return radx_fail(RADX_ERR_PARAM, "cv: %d folds; at least 3 are needed", K);
    fold_work *w = calloc((size_t)K, sizeof *w);
    if (!w) return radx_fail(RADX_ERR_NOMEM, "cv: out of memory");
    for (int64_t i = 0; i < n; i++) w[foldid[i] - 1].ntest++;
    for (int f = 0; f < K; f++) {
        if (w[f].ntest == 0) {
            free(w);
            return radx_fail(RADX_ERR_PARAM, "cv: fold %d has no rows (fold ids must run 1..%d)", f + 1, K);
        }
        w[f].test = malloc((size_t)w[f].ntest * sizeof *w[f].test);
        w[f].ntest = 0;
        if (!w[f].test) {
            for (int g = 0; g <= f; g++) free(w[g].test);
            free(w);
            return radx_fail(RADX_ERR_NOMEM, "cv: out of memory");
        }
    }
    for (int64_t i = 0; i < n; i++) {
        fold_work *fw = &w[foldid[i] - 1];
        fw->test[fw->ntest++] = i;
    }
    *nfolds_out = K;
    *out = w;
    return RADX_OK;
}

/* ------------------------------------------------------------ summaries */

/* cvraw[f][s] -> cvm, cvsd by cvstats(): weighted.mean over folds (weights
 * = fold sizes, NaN folds dropped), cvsd = sqrt(weighted.mean((raw - cvm)^2)
 * / (K - 1)). */
static void summarise(const double *raw, const double *weight, int K, int nlam, double *cvm, double *cvsd)
{
    for (int s = 0; s < nlam; s++) {
        long double sw = 0, sx = 0;
        for (int f = 0; f < K; f++) {
            double v = raw[(size_t)f * nlam + s];
            if (isnan(v)) continue;
            sx += v * weight[f];
            sw += weight[f];
        }
        double m = sw > 0 ? (double)(sx / sw) : NAN;
        long double sd = 0;
        for (int f = 0; f < K; f++) {
            double v = raw[(size_t)f * nlam + s];
            if (isnan(v)) continue;
            sd += (v - m) * (v - m) * weight[f];
        }
        cvm[s] = m;
        cvsd[s] = sw > 0 ? sqrt((double)(sd / sw) / (K - 1)) : NAN;
    }
}

/* getOptcv.glmnet: lambda.min = largest lambda with minimal cvm (AUC
 * negated), lambda.1se = largest lambda with cvm <= cvm_min + cvsd_min. */
static void choose_lambdas(radx_cv_result *r)
{
    double sign = r->measure == RADX_CV_AUC ? -1 : 1, best = INFINITY;
    for (int s = 0; s < r->nlambda; s++) best = fmin(best, sign * r->cvm[s]);
    r->index_min = 0;
    for (int s = 0; s < r->nlambda; s++)
        if (sign * r->cvm[s] <= best) { r->index_min = s; break; }
    double semin = sign * r->cvm[r->index_min] + r->cvsd[r->index_min];
    r->index_1se = r->index_min;
    for (int s = 0; s < r->nlambda; s++)
        if (sign * r->cvm[s] <= semin) { r->index_1se = s; break; }
    r->lambda_min = r->lambda[r->index_min];
    r->lambda_1se = r->lambda[r->index_1se];
}

static radx_cv_result *result_alloc(int nlam)
{
    radx_cv_result *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    size_t k = (size_t)(nlam > 0 ? nlam : 1);
    r->lambda = malloc(k * sizeof *r->lambda);
    r->cvm = malloc(k * sizeof *r->cvm);
    r->cvsd = malloc(k * sizeof *r->cvsd);
    r->cvup = malloc(k * sizeof *r->cvup);
    r->cvlo = malloc(k * sizeof *r->cvlo);
    r->nzero = malloc(k * sizeof *r->nzero);
    r->path_step = malloc(k * sizeof *r->path_step);
    if (!r->lambda || !r->cvm || !r->cvsd || !r->cvup || !r->cvlo || !r->nzero || !r->path_step) {
        radx_cv_result_free(r);
        return NULL;
    }
    return r;
}

/* Per-fold raw values of the measure: grouped mean loss, or the fold AUC. */
static radx_status fold_measures(const fold_work *w, int K, int nlam, const double *y, radx_cv_measure m, double *raw)
{
    int64_t most = 0;
    for (int f = 0; f < K; f++) most = w[f].ntest > most ? w[f].ntest : most;
    scored *buf = malloc((size_t)most * sizeof *buf);
    if (!buf) return radx_fail(RADX_ERR_NOMEM, "cv: out of memory");
    for (int f = 0; f < K; f++)
        for (int s = 0; s < nlam; s++) {
            long double sum = 0;
            for (int64_t a = 0; a < w[f].ntest; a++) {
                double prob = 1.0 / (1.0 + exp(-w[f].eta[a * nlam + s]));
                double yi = y[w[f].test[a]];
                if (m == RADX_CV_AUC) buf[a] = (scored){prob, yi};
                else sum += observation_loss(m, prob, yi);
            }
            raw[(size_t)f * nlam + s] = m == RADX_CV_AUC ? fold_auc(buf, w[f].ntest) : (double)(sum / w[f].ntest);
        }
    free(buf);
    return RADX_OK;
}

radx_status radx_cv_glmnet(const double *x, int64_t n, int p, const double *y, const int *foldid,
                           const radx_glmnet_options *options, radx_cv_measure measure,
                           radx_cv_result **result)
{
    *result = NULL;
    int K = 0;
    fold_work *w = NULL;
    radx_status st = prepare_folds(foldid, n, &K, &w);
    if (st != RADX_OK) return st;
    radx_glmnet_options defaults;
    radx_glmnet_default_options(&defaults);
    const radx_glmnet_options *o = options ? options : &defaults;
    radx_glmnet_path *full = NULL;
    st = radx_glmnet_binomial(x, n, p, y, o, &full);
    int nlam = full ? full->nlambda : 0;
    for (int f = 0; st == RADX_OK && f < K; f++) {
        w[f].eta = malloc((size_t)w[f].ntest * (size_t)nlam * sizeof *w[f].eta);
        if (!w[f].eta) st = radx_fail(RADX_ERR_NOMEM, "cv: out of memory");
    }
    if (st == RADX_OK) {
#pragma omp parallel for schedule(dynamic, 1)
        for (int f = 0; f < K; f++) {
            w[f].status = run_fold(x, n, p, y, foldid, f + 1, o, full, &w[f]);
            if (w[f].status != RADX_OK) snprintf(w[f].message, sizeof w[f].message, "%s", radx_last_error());
        }
        for (int f = 0; f < K && st == RADX_OK; f++)
            if (w[f].status != RADX_OK) st = radx_fail(w[f].status, "cv: %s", w[f].message);
    }
    /* cv.lognet: "auc" needs >= 10 observations per fold on average, else deviance */
    if (measure == RADX_CV_AUC && (double)n / K < 10) measure = RADX_CV_DEVIANCE;
    double *raw = NULL, *weight = NULL;
    radx_cv_result *r = NULL;
    if (st == RADX_OK) {
        raw = malloc((size_t)K * (size_t)nlam * sizeof *raw);
        weight = malloc((size_t)K * sizeof *weight);
        r = result_alloc(nlam);
        if (!raw || !weight || !r) st = radx_fail(RADX_ERR_NOMEM, "cv: out of memory");
    }
    if (st == RADX_OK) st = fold_measures(w, K, nlam, y, measure, raw);
    if (st == RADX_OK) {
        for (int f = 0; f < K; f++) weight[f] = (double)w[f].ntest;
        r->measure = measure;
        r->nfolds = K;
        summarise(raw, weight, K, nlam, r->cvm, r->cvsd);
        /* cvstats drops the lambdas whose cvsd is NA */
        int kept = 0;
        for (int s = 0; s < nlam; s++) {
            if (isnan(r->cvsd[s])) continue;
            r->lambda[kept] = full->lambda[s];
            r->cvm[kept] = r->cvm[s];
            r->cvsd[kept] = r->cvsd[s];
            r->cvup[kept] = r->cvm[s] + r->cvsd[s];
            r->cvlo[kept] = r->cvm[s] - r->cvsd[s];
            r->nzero[kept] = full->df[s];
            r->path_step[kept] = s;
            kept++;
        }
        r->nlambda = kept;
        if (kept == 0) st = radx_fail(RADX_ERR_NUMERIC, "cv: the measure is undefined at every lambda");
    }
    if (st == RADX_OK) {
        choose_lambdas(r);
        r->fit = full;
        full = NULL;
    }
    for (int f = 0; f < K; f++) {
        free(w[f].test);
        free(w[f].eta);
    }
    free(w);
    free(raw);
    free(weight);
    radx_glmnet_path_free(full);
    if (st != RADX_OK) {
        radx_cv_result_free(r);
        return st;
    }
    *result = r;
    return RADX_OK;
}
