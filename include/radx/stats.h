/* radx — statistics on feature tables (issue 3): feature-table selection,
 * ICC, ROC / DeLong / bootstrap, baseline-table tests and logistic
 * regression, each computed as the R package named in its section does.
 *
 * Conventions: matrices are row-major doubles; counts are int64_t; binary
 * labels are ints, 1 = positive, 0 = negative. Every function returns a
 * radx_status and sets radx_last_error() on failure; nothing prints. */
#ifndef RADX_STATS_H
#define RADX_STATS_H

#include <stdint.h>

#include "radx/status.h"
#include "radx/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ================================================================ feature tables
 * Feature columns (issue 3): every numeric column of a table except those
 * named by the command's options (`exclude`), those in the comma-separated
 * `ignore` list, and any diagnostics_* column. A column is numeric when each
 * of its cells is a number or a missing marker (empty, NA, NaN) and at least
 * one is a number. A missing or non-numeric value where a number is needed
 * is an error naming the row (1-based data row and file line) and column. */

/* 1 if the cell is a missing marker ("", NA, NaN / nan, blanks around). */
int radx_stats_cell_missing(const char *cell);

/* The feature columns of `csv` (indices into csv->header, in table order).
 * Every name in `exclude` (NULL entries are skipped) and in `ignore` (may be
 * NULL) must be a column of the table. *columns is malloc'd. */
radx_status radx_stats_table_features(const radx_csv *csv, const char *const *exclude, int nexclude,
                                      const char *ignore, int **columns, int *ncolumns);

/* The columns named in the comma-separated `names` list, in that order
 * (each must exist). *columns is malloc'd. */
radx_status radx_stats_table_named(const radx_csv *csv, const char *names, int **columns,
                                   int *ncolumns);

/* The values of the given columns, all rows: x[row * ncolumns + j]. */
radx_status radx_stats_table_matrix(const radx_csv *csv, const int *columns, int ncolumns,
                                    double *x);

/* Binary labels from a column: 1 where the cell equals `positive` (as a
 * number when both are numbers, so "1.0" matches "1"; else as text), 0 for
 * the one other value. More than two distinct values, or a missing cell, is
 * an error naming the row. `positive` NULL means "1". The count of
 * positives is returned in *npositive (may be NULL). */
radx_status radx_stats_table_labels(const radx_csv *csv, int column, const char *positive,
                                    int *y, int64_t *npositive);

/* Distinct values of a column in sorted order (numerically when every cell is
 * a number, else by byte order); *levels point into csv and are malloc'd as
 * an array; index[row] = level of each row (may be NULL). A missing cell is
 * an error naming the row. */
radx_status radx_stats_table_levels(const radx_csv *csv, int column, const char ***levels,
                                    int *nlevels, int *index);

/* ================================================================ ICC
 * McGraw & Wong (1996), "Forming inferences about some intraclass
 * correlation coefficients", Psychol. Methods 1(1):30-46, from the two-way
 * ANOVA of n subjects x k raters, as psych::ICC(x, lmer = FALSE) reports them:
 * ICC(A,1) (absolute agreement, psych "ICC2") and ICC(C,1) (consistency,
 * psych "ICC3"), each with its F-based confidence interval (Satterthwaite
 * degrees of freedom for ICC(A,1)). */

typedef struct radx_icc_result {
    int64_t n_subjects;
    int n_raters;
    double ms_rows, ms_cols, ms_error;  /* mean squares: subjects, raters, residual */
    double icc_a1, icc_a1_lo, icc_a1_hi;
    double icc_c1, icc_c1_lo, icc_c1_hi;
    double f_value, df1, df2, p_value;  /* F = MSR / MSE on (n - 1, (n - 1)(k - 1)) df */
    double a1_df;                       /* Satterthwaite df of the ICC(A,1) interval */
} radx_icc_result;

/* x: n subjects x k raters, row-major (x[i * k + j]); n >= 2, k >= 2.
 * conf: confidence level (0.95). A feature without variation (all mean
 * squares 0) gives NaN ICCs and intervals, as R does; that is not an error. */
radx_status radx_stats_icc_compute(const double *x, int64_t n, int k, double conf,
                                   radx_icc_result *out);

/* ================================================================ ROC
 * As pROC 1.18 computes it with roc(response, predictor, levels = c(0, 1),
 * direction = "<"): a higher score means positive, a case is called positive
 * when score >= threshold, the thresholds are -Inf, the midpoints between
 * consecutive distinct scores and +Inf, and ties count 1/2 in the AUC.
 * score[i] must be finite; label[i] is 1 (positive) or 0 (negative); both
 * classes must be present. */

typedef struct radx_roc_curve {
    int64_t n_pos, n_neg;
    int64_t npoints;                         /* distinct scores + 1 */
    double *threshold, *sensitivity, *specificity;  /* [npoints], thresholds increasing */
} radx_roc_curve;

radx_status radx_stats_roc_curve(const double *score, const int *label, int64_t n,
                                 radx_roc_curve **out);
void radx_stats_roc_curve_free(radx_roc_curve *curve);

/* Youden-optimal point, as pROC::coords(x = "best", best.method = "youden"):
 * the maximum of sensitivity + specificity over the curve. *index is the
 * first (lowest-threshold) maximum; *nties the number of points sharing the
 * maximum exactly (pROC reports them all). */
void radx_stats_roc_youden(const radx_roc_curve *curve, int64_t *index, int64_t *nties);

/* Classification at a threshold (positive when score >= threshold). A ratio
 * whose denominator is 0 (e.g. PPV with no positive call) is NaN. */
typedef struct radx_roc_metrics {
    double threshold;
    int64_t tp, fp, tn, fn;
    double sensitivity, specificity, ppv, npv, accuracy, f1;
} radx_roc_metrics;

radx_status radx_stats_roc_metrics(const double *score, const int *label, int64_t n, double threshold,
                                   radx_roc_metrics *out);

/* AUC with its DeLong (1988) variance and confidence interval, as
 * pROC::ci.auc(method = "delong"): var = var(V10)/n_pos + var(V01)/n_neg
 * (placements, divisors n - 1), CI = auc -+ z_{(1+conf)/2} sqrt(var) clipped
 * to [0, 1]. */
typedef struct radx_roc_auc {
    int64_t n_pos, n_neg;
    double auc, var, lo, hi;
} radx_roc_auc;

radx_status radx_stats_roc_delong(const double *score, const int *label, int64_t n, double conf,
                                  radx_roc_auc *out);

/* DeLong test for two correlated AUCs on the same cases, as
 * pROC::roc.test(method = "delong", paired = TRUE): z = (A1 - A2) / sd with
 * sd^2 = V1 + V2 - 2 C12 from the placements' covariances, p = 2 P(Z > |z|),
 * and the difference's CI d -+ z_{(1+conf)/2} sd. */
typedef struct radx_roc_paired {
    int64_t n_pos, n_neg;
    double auc1, auc2, difference;
    double var1, var2, cov12, sd_difference;
    double z, p_value, diff_lo, diff_hi;
} radx_roc_paired;

radx_status radx_stats_roc_delong_paired(const double *score1, const double *score2, const int *label,
                                         int64_t n, double conf, radx_roc_paired *out);

/* Stratified bootstrap percentile CI of the AUC (pROC::ci.auc(method =
 * "bootstrap", stratified = TRUE) with radx's own random numbers):
 * resample b draws n_pos positives and n_neg negatives with replacement from
 * a gsl_rng mt19937 stream seeded with the low 32 bits of
 * splitmix64(splitmix64(seed) + b), so the result does not
 * depend on the number of OpenMP threads; the bounds are R's type-7
 * quantiles (1 - conf)/2 and (1 + conf)/2 of the resampled AUCs. */
radx_status radx_stats_roc_bootstrap(const double *score, const int *label, int64_t n,
                                     int64_t nboot, uint64_t seed, double conf, double *lo,
                                     double *hi);

/* ================================================================ baseline-table tests
 * Two-sample tests of x against y (R: t.test(x, y), wilcox.test(x, y)) and
 * tests of independence for a contingency table given row-major
 * (table[r * cols + c]; R: chisq.test, fisher.test). All two-sided. */

typedef struct radx_ttest_result {
    int64_t n_x, n_y;
    double mean_x, mean_y, sd_x, sd_y;   /* SDs with divisor n - 1 */
    double t, df, p_value, std_error;    /* std_error of mean_x - mean_y */
    double ci_lo, ci_hi;                 /* for mean_x - mean_y */
} radx_ttest_result;

/* Welch's t test (equal_var = 0; Welch-Satterthwaite df) or Student's
 * (equal_var = 1; pooled variance, df = n_x + n_y - 2), as t.test(var.equal).
 * p = 2 P(T_df > |t|) evaluated in the tail (regularised incomplete beta);
 * CI = (t -+ t_{df,(1+conf)/2}) std_error, as R forms it. */
radx_status radx_stats_ttest(const double *x, int64_t nx, const double *y, int64_t ny, int equal_var,
                             double conf, radx_ttest_result *out);

typedef struct radx_ranksum_result {
    double w;            /* Mann-Whitney U of x: #{x > y} + #{x = y}/2 (R's W) */
    double auc;          /* w / (n_x n_y) */
    double z, sigma;     /* normal approximation, continuity-corrected */
    double tie_term;     /* sum over tie groups of t^3 - t */
    int64_t n_tie_groups, n_tied_values;
    double p_value;
} radx_ranksum_result;

/* Wilcoxon rank-sum / Mann-Whitney test, wilcox.test(x, y, exact = FALSE,
 * correct): mid-ranks of exactly equal values, tie-corrected variance
 * sigma^2 = n_x n_y / 12 ((N + 1) - sum(t^3 - t) / (N (N - 1))),
 * z = (W - n_x n_y / 2 - 0.5 sign(W - n_x n_y / 2)) / sigma (the 0.5 only
 * when correct), p = 2 P(Z > |z|). Only the normal approximation is
 * implemented (R's exact = FALSE). */
radx_status radx_stats_ranksum(const double *x, int64_t nx, const double *y, int64_t ny, int correct,
                               radx_ranksum_result *out);

typedef struct radx_chisq_result {
    double statistic, df, p_value;
    double yates;          /* the amount subtracted from each |O - E| (0 without it) */
    double min_expected;   /* smallest expected count (R warns below 5) */
} radx_chisq_result;

/* Pearson's chi-squared test of independence, chisq.test(table, correct):
 * E = row total x column total / n; with correct and a 2 x 2 table, Yates'
 * correction capped as R does, min(0.5, min |O - E|). Rows or columns with a
 * zero total are an error (R gives NaN). */
radx_status radx_stats_chisq(const int64_t *table, int rows, int cols, int correct,
                             radx_chisq_result *out);

typedef struct radx_fisher_result {
    double p_value;
    int64_t ntables;          /* tables with the observed margins that were summed over */
    /* 2 x 2 only (NaN otherwise): the conditional maximum-likelihood odds
     * ratio of table[0] (R's estimate) and its CI, solved to machine
     * precision (R's uniroot stops at 1.2e-4); odds = (t00 t11) / (t01 t10)
     * for the sample odds ratio. */
    double odds_ratio, or_lo, or_hi, sample_or;
} radx_fisher_result;

/* Fisher's exact test, two-sided, for r x 2 and 2 x c tables: the sum of the
 * probabilities of all tables with the observed margins that are no more
 * likely than the observed one (relative tolerance 1e-7, as R). Larger
 * tables (r, c > 2) are RADX_ERR_UNSUPPORTED. */
radx_status radx_stats_fisher(const int64_t *table, int rows, int cols, double conf,
                              radx_fisher_result *out);

/* ================================================================ logistic regression
 * Unpenalised binomial GLM with the logit link, fitted by Newton-Raphson
 * (IRLS; weighted least squares by Householder QR, GSL) from R's starting
 * values and iterated to convergence, so that standard errors are those of
 * the Hessian at the final estimate: R's glm(family = binomial) refitted
 * from its own estimate (R's default stop reports SEs one step behind).
 * Wald tests and intervals as summary.glm and confint.default. */

typedef struct radx_logit_result {
    int64_t n;
    int nterms;                 /* columns of the design, intercept included */
    double *estimate, *std_error, *z, *p_value;   /* [nterms] */
    double *ci_lo, *ci_hi;      /* Wald CI of the coefficient, beta -+ z_{(1+conf)/2} SE */
    double *vcov;               /* [nterms * nterms] inverse Fisher information */
    double deviance, null_deviance, aic, loglik;
    int64_t df_residual, df_null;
    int iterations;
} radx_logit_result;

/* Fit y ~ x. x: n x nterms, row-major, its first column the intercept (all
 * ones) when the model has one; y[i] in {0, 1}. `names` (may be NULL) name
 * the columns in error messages.
 * Errors: a column that is (numerically) a linear combination of the
 * columns before it ("singular design", naming it; R would report NA for
 * it), more columns than cases, and perfect or quasi-complete separation
 * (the likelihood has no maximum: the coefficients grow without bound and
 * fitted probabilities reach 0 or 1), all RADX_ERR_NUMERIC. */
radx_status radx_stats_logit_fit(const double *x, int64_t n, int nterms, const int *y,
                                 const char *const *names, double conf, radx_logit_result **out);
void radx_stats_logit_free(radx_logit_result *fit);

/* Wald chi-square b' V^-1 b of the coefficients terms[0..k) (a whole
 * categorical variable) on k df, and its p-value. */
radx_status radx_stats_logit_wald(const radx_logit_result *fit, const int *terms, int k, double *chisq,
                                  double *p_value);

/* Likelihood-ratio test of a model against a reduced one nested in it:
 * statistic = deviance(reduced) - deviance(full) on nterms(full) -
 * nterms(reduced) df (drop1(test = "LRT") for one variable). */
void radx_stats_logit_lr_test(const radx_logit_result *full, const radx_logit_result *reduced,
                              double *statistic, double *p_value);

/* Design matrices from a table. A variable is a column; a numeric one
 * enters as it is, a categorical one (a column with a non-numeric cell, or
 * `categorical` = 1) as treatment dummies for its levels other than the
 * reference (default: the first level in sorted order; numerically when all
 * levels are numbers), named as R names them: column name + level
 * ("texture_binhigh"). The intercept is term 0, "(Intercept)". */
typedef struct radx_design_variable {
    const char *column;
    int categorical;            /* -1: decide from the column, 0: numeric, 1: categorical */
    const char *reference;      /* reference level, or NULL */
} radx_design_variable;

typedef struct radx_design {
    int64_t n;
    int nterms, nvariables;
    double *x;                  /* [n * nterms] */
    char **term;                /* [nterms] R-style names */
    int *variable_of;           /* [nterms] variable index, -1 for the intercept */
    char **level;               /* [nterms] level of a dummy, NULL otherwise */
    char **reference;           /* [nvariables] reference level, NULL for numeric */
} radx_design;

radx_status radx_stats_design_build(const radx_csv *csv, const radx_design_variable *variables, int nvariables,
                                    radx_design **out);
void radx_stats_design_free(radx_design *design);

/* ================================================================ CART
 * Binary classification tree with Gini impurity, grown depth first as
 * scikit-learn's DecisionTreeClassifier(criterion = "gini") grows it, with
 * its feature importances (mean decrease in impurity). Differences: radx
 * splits the doubles (sklearn casts X to float32 and treats values within
 * 1e-7 as equal), thresholds are the double midpoints (a + b) / 2 (rpart's;
 * sklearn's a/2 + b/2 of float32 values), and exact ties between features are
 * won by the first feature in column order (sklearn's by random_state). */

typedef struct radx_tree_options {
    int max_depth;            /* 0: no limit (sklearn max_depth = None) */
    int64_t min_samples_split;  /* 2 */
    int64_t min_samples_leaf;   /* 1 */
} radx_tree_options;

typedef struct radx_tree_node {
    int depth, parent, left, right;   /* -1 where there is none */
    int feature;                      /* -1 at a leaf */
    double threshold;                 /* go left when x <= threshold */
    double impurity;                  /* Gini: 1 - sum_k n_k^2 / n^2 */
    int64_t n, n_neg, n_pos;
    double importance_term;           /* n imp - n_L imp_L - n_R imp_R (0 at a leaf) */
} radx_tree_node;

typedef struct radx_tree {
    int nnodes, nfeatures;
    radx_tree_node *nodes;            /* node 0 is the root; ids depth first, left first */
    double *importance;               /* [nfeatures] normalised to sum 1 (all 0 for a stump) */
    double *importance_unnormalised;  /* [nfeatures] sum of terms / n */
} radx_tree;

void radx_stats_tree_options_default(radx_tree_options *options);

/* x: n x p row-major, y in {0, 1}. */
radx_status radx_stats_tree_fit(const double *x, int64_t n, int p, const int *y,
                                const radx_tree_options *options, radx_tree **out);
void radx_stats_tree_free(radx_tree *tree);

/* The leaf a row of p values falls into. */
int radx_stats_tree_leaf(const radx_tree *tree, const double *row);

#ifdef __cplusplus
}
#endif
#endif
