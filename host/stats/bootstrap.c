/* Stratified bootstrap percentile CI of the AUC (the resampling of
 * pROC::ci.auc(method = "bootstrap", stratified = TRUE); radx draws its own
 * random numbers, one seeded stream per resample, so the CI is the same for
 * any number of OpenMP threads). */
#include "radx/stats.h"
#include "core/error.h"
#include "stats/roc_common.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

/* SplitMix64 (Steele, Lea & Flood 2014): decorrelates the stream seeds of
 * consecutive resamples. */
static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/* R's quantile(type = 7) of sorted x[0..n): x[h] interpolated, h = (n - 1) p. */
static double quantile_type7(const double *x, int64_t n, double p)
{
    double h = (double)(n - 1) * p;
    int64_t lo = (int64_t)floor(h);
    if (lo >= n - 1) return x[n - 1];
    return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

/* AUC of one stratified resample drawn with the stream of resample b. */
static int resample_auc(const roc_split *s, uint64_t seed, int64_t b, double *pos, double *neg, double *auc)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng) return -1;
    /* the seed is hashed before the index is added, so that seeds s and s + 1
     * do not share resamples; mt19937 keeps 32 bits of its seed, and 0 would
     * mean GSL's default seed */
    unsigned long stream = (unsigned long)(splitmix64(splitmix64(seed) + (uint64_t)b) & 0xffffffffu);
    gsl_rng_set(rng, stream ? stream : 1);
    for (int64_t i = 0; i < s->n_pos; i++) pos[i] = s->pos[gsl_rng_uniform_int(rng, (unsigned long)s->n_pos)];
    for (int64_t i = 0; i < s->n_neg; i++) neg[i] = s->neg[gsl_rng_uniform_int(rng, (unsigned long)s->n_neg)];
    gsl_rng_free(rng);
    qsort(pos, (size_t)s->n_pos, sizeof *pos, roc_compare_doubles);
    qsort(neg, (size_t)s->n_neg, sizeof *neg, roc_compare_doubles);
    *auc = roc_auc_sorted(pos, s->n_pos, neg, s->n_neg);
    return 0;
}

radx_status radx_stats_roc_bootstrap(const double *score, const int *label, int64_t n, int64_t nboot,
                                     uint64_t seed, double conf, double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (nboot < 2) return radx_fail(RADX_ERR_PARAM, "bootstrap: %lld resamples; need at least 2", (long long)nboot);
    if (!(conf > 0 && conf < 1)) return radx_fail(RADX_ERR_PARAM, "bootstrap: confidence level %g is not in (0, 1)", conf);
    roc_split s;
    radx_status st = roc_split_scores("bootstrap", score, label, n, &s);
    if (st != RADX_OK) return st;
    if (s.n_pos > (int64_t)0xffffffffu || s.n_neg > (int64_t)0xffffffffu) {
        roc_split_free(&s);
        return radx_fail(RADX_ERR_LIMIT, "bootstrap: more than 2^32 cases in a class");
    }
    double *aucs = malloc((size_t)nboot * sizeof *aucs);
    if (!aucs) {
        roc_split_free(&s);
        return radx_fail(RADX_ERR_NOMEM, "bootstrap: out of memory");
    }
    int failed = 0;
#pragma omp parallel reduction(| : failed)
    {
        double *pos = malloc((size_t)s.n_pos * sizeof *pos), *neg = malloc((size_t)s.n_neg * sizeof *neg);
        if (!pos || !neg) failed = 1;
#pragma omp for schedule(static)
        for (int64_t b = 0; b < nboot; b++)
            if (!failed && resample_auc(&s, seed, b, pos, neg, &aucs[b])) failed = 1;
        free(pos);
        free(neg);
    }
    roc_split_free(&s);
    if (failed) {
        free(aucs);
        return radx_fail(RADX_ERR_NOMEM, "bootstrap: out of memory");
    }
    qsort(aucs, (size_t)nboot, sizeof *aucs, roc_compare_doubles);
    *lo = quantile_type7(aucs, nboot, (1 - conf) / 2);
    *hi = quantile_type7(aucs, nboot, 1 - (1 - conf) / 2);
    free(aucs);
    return RADX_OK;
}
