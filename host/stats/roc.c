/* ROC curve, Youden point and classification metrics with pROC 1.18's
 * conventions (roc(levels = c(0, 1), direction = "<"), coords()). */
#include "radx/stats.h"
#include "core/error.h"
#include "stats/roc_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int roc_compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void roc_split_free(roc_split *s)
{
    free(s->pos);
    free(s->neg);
    memset(s, 0, sizeof *s);
}

radx_status roc_split_scores(const char *what, const double *score, const int *label, int64_t n,
                             roc_split *out)
{
    memset(out, 0, sizeof *out);
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(score[i]))
            return radx_fail(RADX_ERR_PARAM, "%s: score %lld is not finite", what, (long long)i + 1);
        if (label[i] != 0 && label[i] != 1)
            return radx_fail(RADX_ERR_PARAM, "%s: label %lld is %d, not 0 or 1", what, (long long)i + 1,
                             label[i]);
        if (label[i]) out->n_pos++;
        else out->n_neg++;
    }
    if (out->n_pos == 0 || out->n_neg == 0)
        return radx_fail(RADX_ERR_PARAM, "%s: %lld positive and %lld negative cases: both classes are needed",
                         what, (long long)out->n_pos, (long long)out->n_neg);
    out->pos = malloc((size_t)out->n_pos * sizeof *out->pos);
    out->neg = malloc((size_t)out->n_neg * sizeof *out->neg);
    if (!out->pos || !out->neg) {
        roc_split_free(out);
        return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", what);
    }
    int64_t p = 0, q = 0;
    for (int64_t i = 0; i < n; i++) {
        if (label[i]) out->pos[p++] = score[i];
        else out->neg[q++] = score[i];
    }
    qsort(out->pos, (size_t)out->n_pos, sizeof *out->pos, roc_compare_doubles);
    qsort(out->neg, (size_t)out->n_neg, sizeof *out->neg, roc_compare_doubles);
    return RADX_OK;
}

int64_t roc_count_below(const double *sorted, int64_t n, double x)
{
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] < x) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

int64_t roc_count_at_most(const double *sorted, int64_t n, double x)
{
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] <= x) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

int64_t roc_twice_mann_whitney(const double *pos, int64_t n_pos, const double *neg, int64_t n_neg)
{
    /* One merge pass: for each positive, the negatives strictly below it
     * count 2 and those equal to it count 1. */
    int64_t total = 0, below = 0, at_most = 0;
    for (int64_t i = 0; i < n_pos; i++) {
        while (below < n_neg && neg[below] < pos[i]) below++;
        if (at_most < below) at_most = below;
        while (at_most < n_neg && neg[at_most] <= pos[i]) at_most++;
        total += below + at_most;
    }
    return total;
}

double roc_auc_sorted(const double *pos, int64_t n_pos, const double *neg, int64_t n_neg)
{
    return (double)roc_twice_mann_whitney(pos, n_pos, neg, n_neg) / 2.0 / ((double)n_pos * (double)n_neg);
}

void radx_stats_roc_curve_free(radx_roc_curve *curve)
{
    if (!curve) return;
    free(curve->threshold);
    free(curve->sensitivity);
    free(curve->specificity);
    free(curve);
}

/* The distinct scores of both classes, ascending; returns their count. */
static int64_t distinct_scores(const roc_split *s, double *u)
{
    int64_t i = 0, j = 0, m = 0;
    while (i < s->n_pos || j < s->n_neg) {
        double next;
        if (j >= s->n_neg || (i < s->n_pos && s->pos[i] <= s->neg[j])) next = s->pos[i++];
        else next = s->neg[j++];
        if (m == 0 || next != u[m - 1]) u[m++] = next;
    }
    return m;
}

/* pROC's thresholds (roc.utils.thresholds): -Inf, (u_k + u_{k+1}) / 2 for
 * consecutive distinct scores u, +Inf; the halves are added instead when
 * the sum would overflow. Returns the count, m + 1. */
static int64_t midpoint_thresholds(const double *u, int64_t m, double *threshold)
{
    threshold[0] = -INFINITY;
    for (int64_t k = 0; k + 1 < m; k++) {
        double mid = (u[k] + u[k + 1]) / 2;
        threshold[k + 1] = isinf(mid) ? u[k] / 2 + u[k + 1] / 2 : mid;
    }
    threshold[m] = INFINITY;
    return m + 1;
}

radx_status radx_stats_roc_curve(const double *score, const int *label, int64_t n, radx_roc_curve **out)
{
    *out = NULL;
    roc_split s;
    radx_status st = roc_split_scores("roc", score, label, n, &s);
    if (st != RADX_OK) return st;
    radx_roc_curve *c = calloc(1, sizeof *c);
    size_t cap = (size_t)n + 2;
    if (c) {
        c->threshold = malloc(cap * sizeof *c->threshold);
        c->sensitivity = malloc(cap * sizeof *c->sensitivity);
        c->specificity = malloc(cap * sizeof *c->specificity);
    }
    if (!c || !c->threshold || !c->sensitivity || !c->specificity) {
        radx_stats_roc_curve_free(c);
        roc_split_free(&s);
        return radx_fail(RADX_ERR_NOMEM, "roc: out of memory");
    }
    c->n_pos = s.n_pos;
    c->n_neg = s.n_neg;
    double *u = malloc(cap * sizeof *u);
    if (!u) {
        radx_stats_roc_curve_free(c);
        roc_split_free(&s);
        return radx_fail(RADX_ERR_NOMEM, "roc: out of memory");
    }
    c->npoints = midpoint_thresholds(u, distinct_scores(&s, u), c->threshold);
    free(u);
    for (int64_t k = 0; k < c->npoints; k++) {
        /* positive call: score >= threshold */
        int64_t tp = s.n_pos - roc_count_below(s.pos, s.n_pos, c->threshold[k]);
        int64_t tn = roc_count_below(s.neg, s.n_neg, c->threshold[k]);
        c->sensitivity[k] = (double)tp / (double)s.n_pos;
        c->specificity[k] = (double)tn / (double)s.n_neg;
    }
    roc_split_free(&s);
    *out = c;
    return RADX_OK;
}

void radx_stats_roc_youden(const radx_roc_curve *curve, int64_t *index, int64_t *nties)
{
    /* pROC coords(best.method = "youden", best.weights = c(1, 0.5)):
     * criterion se + r sp with r = (1 - 0.5) / (1 * 0.5) = 1, maximum taken
     * exactly (ties are points with the same double). */
    double best = -INFINITY;
    int64_t at = 0, ties = 0;
    for (int64_t k = 0; k < curve->npoints; k++) {
        double j = curve->sensitivity[k] + curve->specificity[k];
        if (j > best) {
            best = j;
            at = k;
            ties = 1;
        } else if (j == best) {
            ties++;
        }
    }
    *index = at;
    *nties = ties;
}

/* a / b, or NaN when b is 0. */
static double ratio(int64_t a, int64_t b) { return b ? (double)a / (double)b : NAN; }

radx_status radx_stats_roc_metrics(const double *score, const int *label, int64_t n, double threshold,
                                   radx_roc_metrics *out)
{
    memset(out, 0, sizeof *out);
    if (isnan(threshold)) return radx_fail(RADX_ERR_PARAM, "roc: the threshold is NaN");
    out->threshold = threshold;
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(score[i]))
            return radx_fail(RADX_ERR_PARAM, "roc: score %lld is not finite", (long long)i + 1);
        int called = score[i] >= threshold;
        if (label[i] == 1) called ? out->tp++ : out->fn++;
        else if (label[i] == 0) called ? out->fp++ : out->tn++;
        else return radx_fail(RADX_ERR_PARAM, "roc: label %lld is %d, not 0 or 1", (long long)i + 1, label[i]);
    }
    out->sensitivity = ratio(out->tp, out->tp + out->fn);
    out->specificity = ratio(out->tn, out->tn + out->fp);
    out->ppv = ratio(out->tp, out->tp + out->fp);
    out->npv = ratio(out->tn, out->tn + out->fn);
    out->accuracy = ratio(out->tp + out->tn, n);
    out->f1 = ratio(2 * out->tp, 2 * out->tp + out->fp + out->fn);
    return RADX_OK;
}
