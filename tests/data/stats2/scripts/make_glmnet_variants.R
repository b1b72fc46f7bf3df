# make_glmnet_variants.R -- glmnet 4.1-6 / cv.glmnet reference outputs for the
# cases the shared reference set does not cover: n < p with a constant
# feature, the elastic net (alpha = 0.5), ridge (alpha = 0), type.measure =
# "class", and a cross-validation fold whose held-out cases are all of one
# class.
#
# Usage (from tests/data/stats2): Rscript scripts/make_glmnet_variants.R
# Needs Debian 12's r-base-core 4.2.2 and r-cran-glmnet 4.1-6 (the versions of
# the shared reference set). Every number is glmnet's.
suppressPackageStartupMessages(library(glmnet))
options(warn = 1)
RNGkind(kind = "Mersenne-Twister", normal.kind = "Inversion", sample.kind = "Rejection")

write_csv17 <- function(df, path) {
  fmt <- function(v) if (is.numeric(v) && !is.integer(v)) sprintf("%.17g", v) else as.character(v)
  lines <- do.call(paste, c(lapply(df, fmt), sep = ","))
  writeLines(c(paste(names(df), collapse = ","), lines), path)
}
path_table <- function(fit, feature_names) {
  b <- as.matrix(coef(fit))
  out <- data.frame(step = seq_along(fit$lambda), lambda = fit$lambda,
                    df = as.integer(fit$df), dev_ratio = fit$dev.ratio,
                    t(b), check.names = FALSE)
  names(out) <- c("step", "lambda", "df", "dev_ratio", "intercept", feature_names)
  out
}
paths <- function(X, y, name, ...) {
  fit <- glmnet(X, y, family = "binomial", standardize = TRUE, ...)
  tight <- glmnet(X, y, family = "binomial", standardize = TRUE, lambda = fit$lambda,
                  thresh = 1e-24, maxit = 1e7, ...)
  write_csv17(path_table(fit, colnames(X)), paste0("glmnet_variants_", name, "_path.csv"))
  write_csv17(path_table(tight, colnames(X)), paste0("glmnet_variants_", name, "_path_tight.csv"))
  fit
}
cv_tables <- function(X, y, foldid, lambda, measure, name) {
  cv <- cv.glmnet(X, y, family = "binomial", alpha = 1, standardize = TRUE,
                  lambda = lambda, foldid = foldid, type.measure = measure,
                  thresh = 1e-24, maxit = 1e7)
  curve <- data.frame(variant = name, type_measure = measure, step = seq_along(cv$lambda),
                      lambda = cv$lambda, cvm = cv$cvm, cvsd = cv$cvsd, cvup = cv$cvup,
                      cvlo = cv$cvlo, nzero = as.integer(cv$nzero))
  summ <- data.frame(variant = name, type_measure = measure, measure_name = names(cv$name),
                     lambda_min = cv$lambda.min, lambda_1se = cv$lambda.1se,
                     index_min = as.integer(cv$index["min", 1]),
                     index_1se = as.integer(cv$index["1se", 1]))
  list(curve = curve, summary = summ)
}

raw <- read.csv("wdbc_raw.csv", check.names = FALSE)
foldid <- read.csv("wdbc_foldid.csv", check.names = FALSE)$foldid
features <- setdiff(names(raw), c("case", "target_sklearn", "malignant"))
X <- as.matrix(raw[, features]); y <- raw$malignant

# 1. n < p: the first 24 cases (21 malignant, 3 benign) and a constant column;
#    lambda.min.ratio is then 0.01 and the default path stops early.
small <- data.frame(raw[1:24, c("case", "malignant")], X[1:24, ], constant_feature = 1,
                    check.names = FALSE)
write_csv17(small, "glmnet_variants_small_input.csv")
Xs <- as.matrix(small[, c(features, "constant_feature")])
paths(Xs, small$malignant, "small", alpha = 1)

# 2. elastic net, alpha = 0.5, all cases
fit_en <- paths(X, y, "alpha05", alpha = 0.5)

# 2b. ridge, alpha = 0 (lambda_max uses max(alpha, 1e-3); glmnet's first
#     default step is the null model, the tight fit solves it at lambda[1])
paths(X, y, "alpha0", alpha = 0)

# 3. cv.glmnet type.measure = "class" (and deviance, auc again) with the stored
#    fold ids and the full-data lambdas, converged (thresh = 1e-24)
fit <- glmnet(X, y, family = "binomial", alpha = 1, standardize = TRUE)
res <- lapply(c("class"), function(m) cv_tables(X, y, foldid, fit$lambda, m, "fixed_lambda_tight"))

# 4. a fold of one class: 60 cases (the first 40 benign and first 20 malignant
#    in case order), fold 1 = 20 benign cases, folds 2 and 3 = 10 + 10.
ben <- which(y == 0)[1:40]; mal <- which(y == 1)[1:20]
rows <- sort(c(ben, mal))
fid <- integer(length(rows))
fid[match(ben[1:20], rows)] <- 1L
fid[match(c(ben[21:30], mal[1:10]), rows)] <- 2L
fid[match(c(ben[31:40], mal[11:20]), rows)] <- 3L
onefold <- data.frame(case = raw$case[rows], malignant = y[rows], foldid = fid, X[rows, ],
                      check.names = FALSE)
write_csv17(onefold, "cv_variants_onefold_input.csv")
Xo <- X[rows, ]; yo <- y[rows]
fit_o <- glmnet(Xo, yo, family = "binomial", alpha = 1, standardize = TRUE)
res2 <- lapply(c("deviance", "auc", "class"), function(m)
  cv_tables(Xo, yo, fid, fit_o$lambda, m, "onefold_fixed_lambda_tight"))
all <- c(res, res2)
write_csv17(do.call(rbind, lapply(all, `[[`, "curve")), "cv_variants_curves.csv")
write_csv17(do.call(rbind, lapply(all, `[[`, "summary")), "cv_variants_summary.csv")
