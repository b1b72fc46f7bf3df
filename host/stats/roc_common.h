/* Private pieces shared by roc.c, delong.c and bootstrap.c: the scores of
 * each class, sorted, and Mann-Whitney counts on them. */
#ifndef RADX_STATS_ROC_COMMON_H
#define RADX_STATS_ROC_COMMON_H

#include <stdint.h>

#include "radx/status.h"

typedef struct roc_split {
    int64_t n_pos, n_neg;
    double *pos, *neg;   /* the scores of each class, ascending */
} roc_split;

/* Check the inputs (finite scores, 0/1 labels, both classes present) and
 * split the scores by class. `what` names the caller in error messages. */
radx_status roc_split_scores(const char *what, const double *score, const int *label, int64_t n,
                             roc_split *out);
void roc_split_free(roc_split *s);

/* Number of elements of sorted[0..n) that are < x, and that are <= x. */
int64_t roc_count_below(const double *sorted, int64_t n, double x);
int64_t roc_count_at_most(const double *sorted, int64_t n, double x);

/* Twice the Mann-Whitney count of sorted classes:
 * 2 #{pos > neg} + #{pos == neg}, exact in a 64-bit integer. */
int64_t roc_twice_mann_whitney(const double *pos, int64_t n_pos, const double *neg, int64_t n_neg);

/* AUC = Mann-Whitney U / (n_pos n_neg), ties 1/2. */
double roc_auc_sorted(const double *pos, int64_t n_pos, const double *neg, int64_t n_neg);

/* qsort comparator for doubles, ascending. */
int roc_compare_doubles(const void *a, const void *b);

#endif
