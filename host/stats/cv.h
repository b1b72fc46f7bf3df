/* K-fold cross-validation of the binomial elastic-net path as R's
 * cv.glmnet (glmnet 4.1-6) computes it when the folds are given the
 * full-data lambda sequence (cv.glmnet(..., lambda = fit$lambda, foldid)):
 * every fold is fitted on the other folds at the same lambdas, the held-out
 * linear predictors are turned into the measure per fold, and the fold values
 * are averaged weighted by fold size. Folds run in parallel (OpenMP); each
 * fold writes only its own slots, so the result does not depend on the
 * thread count. */
#ifndef RADX_STATS_CV_H
#define RADX_STATS_CV_H

#include <stdint.h>

#include "radx/status.h"
#include "stats/glmnet.h"

typedef enum radx_cv_measure {
    RADX_CV_DEVIANCE = 0, /* binomial deviance, probabilities clamped to [1e-5, 1 - 1e-5] */
    RADX_CV_AUC,          /* area under the ROC curve per fold (ties 1/2), larger is better */
    RADX_CV_CLASS         /* misclassification rate at probability 0.5 */
} radx_cv_measure;

/* "deviance", "auc", "class" -> measure; -1 if unknown. */
int radx_cv_measure_parse(const char *name);
const char *radx_cv_measure_name(radx_cv_measure measure);

typedef struct radx_cv_result {
    radx_cv_measure measure; /* the one used: "auc" falls back to "deviance" as in
                                cv.glmnet when folds average fewer than 10 cases */
    int nlambda;
    double *lambda, *cvm, *cvsd, *cvup, *cvlo; /* [nlambda] */
    int *nzero;                                /* [nlambda] nonzero coefficients of the full fit */
    int *path_step;                            /* [nlambda] step of `fit` (lambdas whose
                                                  measure is undefined in every fold are
                                                  dropped, as cv.glmnet drops them) */
    int index_min, index_1se;                  /* 0-based steps of lambda.min / lambda.1se */
    double lambda_min, lambda_1se;
    int nfolds;
    radx_glmnet_path *fit;                     /* the full-data path (owned) */
} radx_cv_result;

/* foldid[i] in 1..K (K = max foldid >= 3, every fold non-empty). The full
 * fit uses `options` (its lambda sequence, or options->lambda); every fold
 * then uses the full fit's lambdas. A training set with fewer than two cases
 * of a class is an error naming the fold (glmnet refuses it too). */
radx_status radx_cv_glmnet(const double *x, int64_t n, int p, const double *y, const int *foldid,
                           const radx_glmnet_options *options, radx_cv_measure measure,
                           radx_cv_result **result);
void radx_cv_result_free(radx_cv_result *result);

/* Fold ids exactly as R draws them for cv.glmnet:
 *   set.seed(seed); sample(rep(1:nfolds, length.out = n))
 * (Mersenne-Twister, sample.kind = "Rejection", R >= 3.6). */
void radx_r_sample_folds(int64_t n, int nfolds, uint32_t seed, int *foldid);

#endif
