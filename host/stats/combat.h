/* ComBat batch harmonisation as R's sva::ComBat (sva 3.46.0) computes it:
 * the location/scale model of Johnson, Li & Rabinovic (2007), "Adjusting
 * batch effects in microarray expression data using empirical Bayes
 * methods", Biostatistics 8(1):118-127, with parametric (default) or
 * nonparametric empirical-Bayes shrinkage, the mean-only variant, a
 * reference batch and protected covariates.
 *
 * Matrices are row-major, cases x features (x[i * nfeatures + j]); sva wants
 * the transpose, which changes nothing in the arithmetic. */
#ifndef RADX_STATS_COMBAT_H
#define RADX_STATS_COMBAT_H

#include <stdint.h>
#include <stdio.h>

#include "radx/status.h"

typedef struct radx_combat_options {
    int nonparametric; /* 0: parametric priors (sva par.prior = TRUE); 1: int.eprior */
    int mean_only;     /* sva mean.only: adjust the location only (delta* = 1) */
    int ref_batch;     /* 0-based batch left unchanged (sva ref.batch), or -1 */
    int converge;      /* 0: sva's it.sol stopping rule; 1: iterate to the fixed point */
} radx_combat_options;

/* Everything a fit estimates; enough to harmonise new rows of known batches. */
typedef struct radx_combat_model {
    int nfeatures, nbatches, ncovariates;
    int ref_batch, mean_only, nonparametric, converge;
    int mean_only_forced;  /* 1 when a batch of one case forced mean_only (as sva) */
    int *adjusted;         /* [nfeatures]: 0 = constant within a batch, passed through */
    int64_t *batch_n;      /* [nbatches] training cases per batch */
    double *grand_mean;    /* [nfeatures] */
    double *var_pooled;    /* [nfeatures], divisor n (sva) */
    double *beta_batch;    /* [nbatches][nfeatures]: B.hat rows of the batch columns */
    double *beta_cov;      /* [ncovariates][nfeatures]: B.hat rows of the covariates */
    double *gamma_hat, *delta_hat;   /* [nbatches][nfeatures], standardised scale */
    double *gamma_star, *delta_star; /* [nbatches][nfeatures], the applied estimates */
    double *gamma_bar, *t2, *a_prior, *b_prior; /* [nbatches] priors */
    int *iterations;       /* [nbatches] it.sol iterations (0 when not iterated) */
} radx_combat_model;

/* Fit ComBat. x: n x p data; batch[i] in 0..nbatches-1 (every batch must
 * occur); cov: n x ncov covariate design columns (already coded: numeric
 * values or 0/1 dummies; no intercept), or NULL when ncov = 0.
 * Features that are constant inside any batch of two or more cases are left
 * out of the fit and passed through unchanged, as sva does (adjusted[j] = 0).
 * A batch of one case switches to mean_only, as sva does. */
radx_status radx_combat_fit(const double *x, int64_t n, int p, const int *batch, int nbatches,
                            const double *cov, int ncov, const radx_combat_options *options,
                            radx_combat_model **model);

/* Harmonise rows with a fitted model (the training rows give sva's output):
 * x* = sqrt(var_pooled) (z - gamma*_b) / sqrt(delta*_b) + stand_mean,
 * z = (x - stand_mean) / sqrt(var_pooled), stand_mean = grand_mean + cov B_cov.
 * Rows of the reference batch are copied unchanged. out may equal x. */
radx_status radx_combat_apply(const radx_combat_model *model, const double *x, int64_t n,
                              const int *batch, const double *cov, double *out);

void radx_combat_free(radx_combat_model *model);

/* Write / read a fitted model as a CSV table (header `parameter,index,<features>`;
 * 17 significant digits, so a read gives back the same doubles). The caller
 * supplies names for the features, batches and covariate columns, and gets
 * them back on reading (arrays owned by the returned names struct). */
typedef struct radx_combat_names {
    char **features;   /* [nfeatures] */
    char **batches;    /* [nbatches] */
    char **covariates; /* [ncovariates] design-column names, e.g. "malignant" or "site=B" */
    char *batch_column;
} radx_combat_names;

radx_status radx_combat_save(const radx_combat_model *model, const radx_combat_names *names,
                             const char *path);
radx_status radx_combat_load(const char *path, radx_combat_model **model,
                             radx_combat_names *names);
void radx_combat_names_free(radx_combat_names *names, const radx_combat_model *model);

#endif
