/* Elastic-net penalised logistic regression paths as R's glmnet 4.1-6
 * computes them for family = "binomial", standardize = TRUE, intercept = TRUE:
 * Friedman, Hastie & Tibshirani (2010), "Regularization paths for
 * generalized linear models via coordinate descent", J. Stat. Softw. 33(1),
 * with glmnet's lambda sequence, 1/n-variance standardisation, unpenalised
 * intercept, sequential strong rules, warm starts, active-set iterations and
 * probability clipping (glmnet.control()$pmin = 1e-9).
 *
 * Objective at each lambda (standardised coefficients b_j = beta_j s_j):
 *   -(1/n) loglik(b0, b) + lambda (alpha sum |b_j| + (1 - alpha)/2 sum b_j^2)
 * with s_j the population SD (divisor n) of feature j. */
#ifndef RADX_STATS_GLMNET_H
#define RADX_STATS_GLMNET_H

#include <stdint.h>

#include "radx/status.h"

typedef struct radx_glmnet_options {
    double alpha;             /* 1 = lasso (default), 0 < alpha <= 1; 0 = ridge */
    int nlambda;              /* 100 */
    double lambda_min_ratio;  /* <= 0: 0.01 when n < p, else 1e-4 (glmnet's default) */
    const double *lambda;     /* a user sequence (run to its end), or NULL */
    int nlambda_user;
    /* Convergence. thresh <= 0 (default): converge — coordinate descent, then
     * Newton steps on the active set, until the KKT conditions hold to
     * kkt_tol * lambda (default 1e-10; the bar is 1e-7).
     * thresh > 0: glmnet's own rule and nothing more (R's default is 1e-7:
     * max_j xv_j (change in b_j)^2 < thresh * null deviance). */
    double thresh;
    double kkt_tol;
    int64_t maxit;            /* coordinate-descent passes (glmnet's maxit, 1e5) */
    int early_stop;           /* stop a default-lambda path as glmnet does (fdev 1e-5,
                                 devmax 0.999, after 5 steps); 1 by default */
} radx_glmnet_options;

/* Fill with glmnet's defaults and radx's converging solver. */
void radx_glmnet_default_options(radx_glmnet_options *options);

typedef struct radx_glmnet_path {
    int nfeatures;
    int nlambda;              /* steps computed (a default path may stop early) */
    double *lambda;           /* [nlambda] */
    double *a0;               /* [nlambda] intercept, original scale */
    double *beta;             /* [nlambda][nfeatures] coefficients, original scale */
    int *df;                  /* [nlambda] nonzero coefficients */
    double *dev_ratio;        /* [nlambda] 1 - deviance / null deviance (glmnet's dev.ratio) */
    double *kkt;              /* [nlambda] max KKT violation / lambda at the solution */
    double nulldev;           /* null deviance, 2 n x binary entropy of the mean */
    int64_t npasses;          /* coordinate-descent passes (glmnet's npasses) */
    int64_t newton_steps;     /* active-set Newton steps of the converging solver */
} radx_glmnet_path;

/* Fit the path. x: n x p row-major; y: 0/1. Constant features stay at 0.
 * Errors: a class with fewer than two cases (glmnet refuses it too), a
 * non-finite value (named by row and column), alpha out of range. */
radx_status radx_glmnet_binomial(const double *x, int64_t n, int p, const double *y,
                                 const radx_glmnet_options *options, radx_glmnet_path **path);

/* Linear predictor a0 + x beta of rows x (n x p) at step `step`. */
void radx_glmnet_link(const radx_glmnet_path *path, int step, const double *x, int64_t n, double *eta);

void radx_glmnet_path_free(radx_glmnet_path *path);

#endif
