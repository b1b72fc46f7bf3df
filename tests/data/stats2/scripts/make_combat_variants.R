# make_combat_variants.R -- sva::ComBat reference outputs for the variants that
# the shared reference set (wdbc_combat_nocov / _malignant) does not cover:
# nonparametric, mean.only, ref.batch, categorical + numeric covariates, a
# batch of one case, a feature constant inside one batch.
#
# Usage (from tests/data/stats2): Rscript scripts/make_combat_variants.R
# Needs Debian 12's r-base-core 4.2.2 and r-bioc-sva 3.46.0 (the versions of
# the shared reference set). Writes combat_variants_*.csv here. Every number
# is sva's; gamma.star / delta.star are read out of sva's own frame with
# trace(), as the shared reference_lib.R does.
suppressPackageStartupMessages(library(sva))
options(warn = 1)

write_csv17 <- function(df, path) {
  fmt <- function(v) if (is.numeric(v) && !is.integer(v)) sprintf("%.17g", v) else as.character(v)
  lines <- do.call(paste, c(lapply(df, fmt), sep = ","))
  writeLines(c(paste(names(df), collapse = ","), lines), path)
}

batched <- read.csv("wdbc_batched.csv", check.names = FALSE)
cats <- read.csv("wdbc_categorical_variables.csv", check.names = FALSE)
stopifnot(identical(batched$case, cats$case))
features <- c("mean_radius", "mean_texture", "mean_perimeter", "mean_area",
              "mean_smoothness", "mean_compactness", "mean_concavity",
              "mean_concave_points", "mean_symmetry", "mean_fractal_dimension")

# The input every variant reads (a numeric covariate `worst_symmetry` and the
# categorical `radius_tertile` = 1/2/3 from the shared categorical variables).
input <- data.frame(case = batched$case, centre = batched$centre,
                    malignant = batched$malignant,
                    radius_tertile = cats$radius_tertile,
                    worst_symmetry = batched$worst_symmetry,
                    batched[, features], check.names = FALSE)
write_csv17(input, "combat_variants_input.csv")

capture <- new.env()
run <- function(d, batch, mod, name, ...) {
  X <- t(as.matrix(d[, features]))
  suppressMessages(trace("ComBat", where = asNamespace("sva"), print = FALSE,
        exit = quote(assign("int", list(gamma.star = gamma.star, delta.star = delta.star,
                                         keep = if (exists("keep.rows")) keep.rows else NULL),
                             envir = capture))))
  out <- suppressMessages(sva::ComBat(dat = X, batch = batch, mod = mod, prior.plots = FALSE, ...))
  suppressMessages(untrace("ComBat", where = asNamespace("sva")))
  adj <- data.frame(case = d$case, centre = batch, t(out), check.names = FALSE)
  write_csv17(adj, paste0("combat_variants_", name, ".csv"))
  int <- get("int", envir = capture)
  lv <- levels(as.factor(batch))
  feats <- features[int$keep]
  gd <- do.call(rbind, lapply(seq_along(lv), function(b) data.frame(
    centre = lv[b], feature = feats, gamma_star = int$gamma.star[b, ],
    delta_star = int$delta.star[b, ])))
  write_csv17(gd, paste0("combat_variants_", name, "_gamma_delta.csv"))
}

mal <- model.matrix(~ malignant, data = input)
run(input, input$centre, NULL, "nonparametric", par.prior = FALSE)
run(input, input$centre, NULL, "nonparametric_meanonly", par.prior = FALSE, mean.only = TRUE)
run(input, input$centre, NULL, "meanonly", mean.only = TRUE)
run(input, input$centre, mal, "refbatch2", ref.batch = 2)
cov2 <- model.matrix(~ malignant + factor(radius_tertile) + worst_symmetry, data = input)
run(input, input$centre, cov2, "covariates")

# A batch of one case: the first 60 cases, case 0 alone in batch 4
# (sva then switches to mean.only by itself).
one <- input[1:60, ]
one$centre[1] <- 4
write_csv17(one, "combat_variants_onecase_input.csv")
run(one, one$centre, NULL, "onecase")

# A feature constant inside one batch: mean_symmetry = 0.2 for every centre-2
# case (sva leaves such a feature unadjusted and fits the others without it).
zv <- input
zv$mean_symmetry[zv$centre == 2] <- 0.2
write_csv17(zv, "combat_variants_zerovar_input.csv")
run(zv, zv$centre, NULL, "zerovar")
