/* Normalisation and decorrelation of a feature table (issue 3, item 2), and
 * the feature-column selection the ComBat / LASSO / decorrelation commands
 * share.
 *
 * Feature columns (issue 3): every numeric column of the table except those
 * named by the command's options, those in --ignore, and any diagnostics_*
 * column. A column is numeric when each of its cells is a number or a
 * missing marker ("", "NA", "NaN", "nan") and at least one is a number.
 * A missing value in a feature column is an error naming row and column. */
#ifndef RADX_STATS_DECORRELATE_H
#define RADX_STATS_DECORRELATE_H

#include <stdint.h>

#include "radx/status.h"
#include "radx/table.h"

/* ------------------------------------------------------------ feature matrix
 * (kept here until the shared host/stats/feature_table.c API exists) */

typedef struct radx_feature_matrix {
    const radx_csv *csv;   /* the table it was taken from (not owned) */
    int nfeatures;
    int *columns;          /* [nfeatures] column index in csv of each feature */
    int64_t nrows;
    double *x;             /* nrows x nfeatures, row-major */
} radx_feature_matrix;

/* Select the feature columns of `csv`, leaving out the columns in `exclude`
 * (names given by options; each must exist) and the comma-separated names in
 * `ignore` (may be NULL; each must exist). */
radx_status radx_feature_matrix_select(const radx_csv *csv, const char *const *exclude, int nexclude,
                                       const char *ignore, radx_feature_matrix *out);

/* The matrix of the named columns, in the order given (all must be numeric
 * without missing values). */
radx_status radx_feature_matrix_named(const radx_csv *csv, const char *const *names, int n,
                                      radx_feature_matrix *out);
void radx_feature_matrix_free(radx_feature_matrix *m);

/* 1 if the cell is a missing marker ("", NA, NaN, nan, after blanks). */
int radx_cell_missing(const char *cell);

/* Sorted distinct values of a column: numerically when every cell is a
 * number, else by byte order (strcmp). levels[] point into csv (not owned);
 * index[row] = level of that row. An empty/missing cell is an error. */
radx_status radx_column_levels(const radx_csv *csv, int column, const char ***levels, int *nlevels,
                               int *index);

/* ------------------------------------------------------------ z-score */

/* Mean and SD (divisor n - 1) of each feature over the rows with
 * train[row] != 0 (all rows when train is NULL); then z = (x - mean) / sd
 * for every row. A feature with SD 0 on the training rows is an error. */
radx_status radx_zscore(double *x, int64_t n, int p, const unsigned char *train, double *mean,
                        double *sd);

/* ------------------------------------------------------------ univariable AUC */

/* AUC of one feature for a 0/1 outcome (a higher value means positive):
 * Mann-Whitney U of the positives over n1 n0, ties 1/2 (mid-ranks), over the
 * rows with train[row] != 0 (all when NULL). x has stride `stride`. NaN when
 * a class is absent. Used as a representative priority: max(AUC, 1 - AUC). */
double radx_univariable_auc(const double *x, int64_t n, int stride, const double *y, const unsigned char *train);

/* ------------------------------------------------------------ decorrelation */

/* Correlation clustering at |r| > threshold, Pearson r over the rows with
 * train[row] != 0 (all rows when train is NULL). Greedy and deterministic:
 *   1. rank the features by the priority arrays, lexicographically (larger
 *      is better: e.g. ICC first, then univariable AUC; NaN ranks last),
 *      remaining ties by column order (the first column wins);
 *   2. the best-ranked feature not yet clustered becomes a representative;
 *      every unclustered feature with |r| > threshold to it joins its cluster;
 *   3. repeat until every feature is clustered.
 * So every kept pair has |r| <= threshold, and every dropped feature has
 * |r| > threshold with its cluster's representative. With no priorities the
 * rule is "first column wins".
 * cluster[j] = 1-based cluster number in order of creation; representative[j]
 * = 1 for the kept features; r_to_rep[j] = r of feature j with its
 * representative (1 for the representative). A feature with zero variance on
 * the training rows is an error (its r is undefined). */
radx_status radx_decorrelate(const double *x, int64_t n, int p, const unsigned char *train,
                             double threshold, const double *const *priorities, int npriorities,
                             int *cluster, int *representative, double *r_to_rep);

#endif
