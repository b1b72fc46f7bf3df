/* DeLong, DeLong & Clarke-Pearson (1988), "Comparing the areas under two or
 * more correlated ROC curves", Biometrics 44:837-845: the AUC's variance from
 * the placement values, its confidence interval and the paired test, as
 * pROC 1.18's ci.auc(method = "delong") and roc.test(method = "delong",
 * paired = TRUE) report them. */
#include "radx/stats.h"
#include "core/error.h"
#include "stats/dist.h"
#include "stats/roc_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Placement values (DeLong 1988, eq. for V10 and V01), psi = 1, 1/2, 0:
 * v10 for each positive (in input order) = the fraction of negatives below
 * it, ties 1/2; v01 for each negative = the fraction of positives above it. */
static void placements(const double *score, const int *label, int64_t n, const roc_split *s, double *v10,
                       double *v01)
{
    int64_t p = 0, q = 0;
    for (int64_t i = 0; i < n; i++) {
        double x = score[i];
        if (label[i]) {
            int64_t below = roc_count_below(s->neg, s->n_neg, x);
            int64_t ties = roc_count_at_most(s->neg, s->n_neg, x) - below;
            v10[p++] = ((double)below + 0.5 * (double)ties) / (double)s->n_neg;
        } else {
            int64_t at_most = roc_count_at_most(s->pos, s->n_pos, x);
            int64_t ties = at_most - roc_count_below(s->pos, s->n_pos, x);
            v01[q++] = ((double)(s->n_pos - at_most) + 0.5 * (double)ties) / (double)s->n_pos;
        }
    }
}

/* Sample covariance (divisor m - 1) of a and b, two-pass. */
static double covariance(const double *a, const double *b, int64_t m)
{
    if (m < 2) return NAN;
    double mean_a = 0, mean_b = 0, sum = 0;
    for (int64_t i = 0; i < m; i++) mean_a += a[i], mean_b += b[i];
    mean_a /= (double)m;
    mean_b /= (double)m;
    for (int64_t i = 0; i < m; i++) sum += (a[i] - mean_a) * (b[i] - mean_b);
    return sum / (double)(m - 1);
}

/* One score's split and placements. */
typedef struct delong_parts {
    roc_split split;
    double *v10, *v01;
    double auc;
} delong_parts;

static void parts_free(delong_parts *d)
{
    roc_split_free(&d->split);
    free(d->v10);
    free(d->v01);
}

static radx_status parts_make(const char *what, const double *score, const int *label, int64_t n,
                              delong_parts *d)
{
    memset(d, 0, sizeof *d);
    radx_status st = roc_split_scores(what, score, label, n, &d->split);
    if (st != RADX_OK) return st;
    d->v10 = malloc((size_t)d->split.n_pos * sizeof *d->v10);
    d->v01 = malloc((size_t)d->split.n_neg * sizeof *d->v01);
    if (!d->v10 || !d->v01) {
        parts_free(d);
        return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", what);
    }
    placements(score, label, n, &d->split, d->v10, d->v01);
    d->auc = roc_auc_sorted(d->split.pos, d->split.n_pos, d->split.neg, d->split.n_neg);
    return RADX_OK;
}

/* Clip a confidence bound of an AUC to [0, 1] (pROC does). */
static double clip01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

radx_status radx_stats_roc_delong(const double *score, const int *label, int64_t n, double conf,
                                  radx_roc_auc *out)
{
    memset(out, 0, sizeof *out);
    if (!(conf > 0 && conf < 1)) return radx_fail(RADX_ERR_PARAM, "delong: confidence level %g is not in (0, 1)", conf);
    delong_parts d;
    radx_status st = parts_make("delong", score, label, n, &d);
    if (st != RADX_OK) return st;
    out->n_pos = d.split.n_pos;
    out->n_neg = d.split.n_neg;
    out->auc = d.auc;
    /* S10/m + S01/n (DeLong 1988, section 2); NaN with a single case in a class */
    out->var = covariance(d.v10, d.v10, out->n_pos) / (double)out->n_pos +
               covariance(d.v01, d.v01, out->n_neg) / (double)out->n_neg;
    double z = radx_dist_normal_quantile(1 - (1 - conf) / 2);
    double sd = sqrt(out->var);
    out->lo = clip01(out->auc - z * sd);
    out->hi = clip01(out->auc + z * sd);
    parts_free(&d);
    return RADX_OK;
}

radx_status radx_stats_roc_delong_paired(const double *score1, const double *score2, const int *label,
                                         int64_t n, double conf, radx_roc_paired *out)
{
    memset(out, 0, sizeof *out);
    if (!(conf > 0 && conf < 1)) return radx_fail(RADX_ERR_PARAM, "delong: confidence level %g is not in (0, 1)", conf);
    delong_parts a, b;
    radx_status st = parts_make("delong (first score)", score1, label, n, &a);
    if (st != RADX_OK) return st;
    st = parts_make("delong (second score)", score2, label, n, &b);
    if (st != RADX_OK) {
        parts_free(&a);
        return st;
    }
    int64_t m = a.split.n_pos, k = a.split.n_neg;
    out->n_pos = m;
    out->n_neg = k;
    out->auc1 = a.auc;
    out->auc2 = b.auc;
    out->difference = a.auc - b.auc;
    /* S = S10/m + S01/n with S10, S01 the 2 x 2 covariance matrices of the
     * placements of both scores (DeLong 1988, section 3) */
    out->var1 = covariance(a.v10, a.v10, m) / (double)m + covariance(a.v01, a.v01, k) / (double)k;
    out->var2 = covariance(b.v10, b.v10, m) / (double)m + covariance(b.v01, b.v01, k) / (double)k;
    out->cov12 = covariance(a.v10, b.v10, m) / (double)m + covariance(a.v01, b.v01, k) / (double)k;
    out->sd_difference = sqrt(out->var1 + out->var2 - 2 * out->cov12);
    out->z = out->difference / out->sd_difference;
    out->p_value = radx_dist_normal_two_sided(out->z);
    double z = radx_dist_normal_quantile(1 - (1 - conf) / 2);
    out->diff_lo = out->difference - z * out->sd_difference;
    out->diff_hi = out->difference + z * out->sd_difference;
    parts_free(&a);
    parts_free(&b);
    return RADX_OK;
}
