/* radx lasso: the binomial LASSO / elastic-net path (R's glmnet) and its
 * K-fold cross-validation (cv.glmnet). */
#include "cli/commands.h"
#include "cli/options.h"
#include "core/error.h"
#include "radx/radx.h"
#include "stats/cv.h"
#include "stats/decorrelate.h"
#include "stats/glmnet.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct lasso_options {
    const char *in, *label_col, *positive, *ignore, *path_out, *foldid_col;
    const char *cv_out, *summary_out, *selected_out;
    int folds;
    unsigned long seed;
    radx_cv_measure measure;
    radx_glmnet_options glmnet;
} lasso_options;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: radx lasso --in TABLE.csv --label-col Y [--path path.csv] [options]\n"
            "       radx lasso ... [--folds 10 [--seed S] | --foldid-col COL] [--measure deviance|auc|class]\n"
            "                      [--cv cv.csv] [--cv-summary summary.csv] [--selected selected.csv]\n\n"
            "LASSO-logistic path as R's glmnet(family = \"binomial\", standardize = TRUE) and its\n"
            "cross-validation as cv.glmnet with the full-data lambdas.\n"
            "  --positive V           the label value of the positive class (default 1)\n"
            "  --alpha A              elastic-net mixing, 1 = lasso (default), 0 = ridge\n"
            "  --nlambda N            path length (default 100)\n"
            "  --lambda-min-ratio R   smallest / largest lambda (default 0.01 if n < p, else 1e-4)\n"
            "  --thresh T             glmnet's own convergence rule only (R's default is 1e-7);\n"
            "                         without it radx converges until the KKT conditions hold\n"
            "                         to 1e-10 x lambda at every step\n"
            "  --folds K              K folds drawn as R's set.seed(S); sample(rep(1:K, length.out = n))\n"
            "  --seed S               seed for --folds (default 1)\n"
            "  --foldid-col COL       fold ids 1..K from a column instead\n"
            "  --ignore A,B           columns that are not features\n"
            "path.csv: lambda, df, dev_ratio, intercept, one coefficient per feature (original scale).\n"
            "cv.csv: lambda, cvm, cvsd, cvup, cvlo, nzero. summary: measure, lambda_min, lambda_1se,\n"
            "index_min, index_1se (1-based path steps). selected: feature, coef_min, coef_1se for the\n"
            "intercept and every feature nonzero at lambda_min or lambda_1se.\n");
}

static int parse_number(const char *opt, const char *text, double *value)
{
    char *end = NULL;
    *value = strtod(text, &end);
    if (end == text || *end) {
        fprintf(stderr, "radx lasso: %s '%s' is not a number\n", opt, text);
        return -1;
    }
    return 0;
}

static int parse_options(int argc, char **argv, lasso_options *o)
{
    static const struct option long_options[] = {
        {"in", required_argument, 0, 'i'},          {"label-col", required_argument, 0, 'y'},
        {"positive", required_argument, 0, 'P'},    {"ignore", required_argument, 0, 'g'},
        {"path", required_argument, 0, 'p'},        {"alpha", required_argument, 0, 'a'},
        {"nlambda", required_argument, 0, 'n'},     {"lambda-min-ratio", required_argument, 0, 'r'},
        {"thresh", required_argument, 0, 't'},      {"folds", required_argument, 0, 'k'},
        {"seed", required_argument, 0, 's'},        {"foldid-col", required_argument, 0, 'f'},
        {"measure", required_argument, 0, 'm'},     {"cv", required_argument, 0, 'c'},
        {"cv-summary", required_argument, 0, 'S'},  {"selected", required_argument, 0, 'L'},
        {"help", no_argument, 0, 'h'},              {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    radx_glmnet_default_options(&o->glmnet);
    o->positive = "1";
    o->seed = 1;
    o->measure = RADX_CV_DEVIANCE;
    optind = 1;
    int c;
    double v;
    while ((c = getopt_long(argc, argv, "i:y:P:g:p:a:n:r:t:k:s:f:m:c:S:L:h", long_options, NULL)) != -1) {
        switch (c) {
        case 'i': o->in = optarg; break;
        case 'y': o->label_col = optarg; break;
        case 'P': o->positive = optarg; break;
        case 'g': o->ignore = optarg; break;
        case 'p': o->path_out = optarg; break;
        case 'f': o->foldid_col = optarg; break;
        case 'c': o->cv_out = optarg; break;
        case 'S': o->summary_out = optarg; break;
        case 'L': o->selected_out = optarg; break;
        case 'a': if (parse_number("--alpha", optarg, &o->glmnet.alpha)) return 2; break;
        case 'r': if (parse_number("--lambda-min-ratio", optarg, &o->glmnet.lambda_min_ratio)) return 2; break;
        case 't': if (parse_number("--thresh", optarg, &o->glmnet.thresh)) return 2; break;
        case 'n':
            if (parse_number("--nlambda", optarg, &v) || v < 3 || v != (int)v) {
                fprintf(stderr, "radx lasso: --nlambda must be an integer >= 3\n");
                return 2;
            }
            o->glmnet.nlambda = (int)v;
            break;
        case 'k':
            if (parse_number("--folds", optarg, &v) || v < 3 || v != (int)v) {
                fprintf(stderr, "radx lasso: --folds must be an integer >= 3\n");
                return 2;
            }
            o->folds = (int)v;
            break;
        case 's':
            if (parse_number("--seed", optarg, &v) || v != (double)(long long)v) {
                fprintf(stderr, "radx lasso: --seed must be an integer\n");
                return 2;
            }
            o->seed = (unsigned long)(long long)v; /* R's set.seed takes an int; wraps as R's Int32 */
            break;
        case 'm': {
            int m = radx_cv_measure_parse(optarg);
            if (m < 0) {
                fprintf(stderr, "radx lasso: --measure must be deviance, auc or class\n");
                return 2;
            }
            o->measure = (radx_cv_measure)m;
            break;
        }
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc || !o->in || !o->label_col) {
        fprintf(stderr, "radx lasso: --in and --label-col are required\n");
        usage(stderr);
        return 2;
    }
    if (!o->path_out && !o->cv_out && !o->summary_out && !o->selected_out) {
        fprintf(stderr, "radx lasso: nothing to write: give --path, --cv, --cv-summary or --selected\n");
        return 2;
    }
    if (o->folds && o->foldid_col) {
        fprintf(stderr, "radx lasso: give --folds or --foldid-col, not both\n");
        return 2;
    }
    return 0;
}

/* ------------------------------------------------------------ inputs */

/* y = 1 where the label equals --positive; exactly two distinct labels. */
static radx_status read_labels(const radx_csv *csv, const char *column, const char *positive, double *y)
{
    int c = radx_csv_column(csv, column);
    if (c < 0) return radx_fail(RADX_ERR_PARAM, "%s: no label column '%s'", csv->path, column);
    const char *other = NULL;
    int npos = 0;
    for (int r = 0; r < csv->nrows; r++) {
        const char *cell = csv->cells[r][c];
        if (radx_cell_missing(cell))
            return radx_fail(RADX_ERR_FORMAT, "%s: row %d (line %d), column '%s': missing label", csv->path, r + 1,
                             csv->line[r], column);
        y[r] = cli_same_value(cell, positive);
        npos += (int)y[r];
        if (!y[r]) {
            if (!other) other = cell;
            else if (!cli_same_value(other, cell))
                return radx_fail(RADX_ERR_FORMAT, "%s: label column '%s' has more than two values ('%s', '%s', '%s')",
                                 csv->path, column, positive, other, cell);
        }
    }
    if (npos == 0)
        return radx_fail(RADX_ERR_PARAM, "%s: no row has label '%s' in column '%s' (see --positive)", csv->path,
                         positive, column);
    return RADX_OK;
}

static radx_status read_foldids(const radx_csv *csv, const char *column, int *foldid)
{
    int c = radx_csv_column(csv, column);
    if (c < 0) return radx_fail(RADX_ERR_PARAM, "%s: no fold column '%s'", csv->path, column);
    for (int r = 0; r < csv->nrows; r++) {
        double v;
        if (radx_csv_number(csv->cells[r][c], &v) != 0 || v != (int)v || v < 1)
            return radx_fail(RADX_ERR_FORMAT, "%s: row %d (line %d), column '%s': '%s' is not a fold id 1..K",
                             csv->path, r + 1, csv->line[r], column, csv->cells[r][c]);
        foldid[r] = (int)v;
    }
    return RADX_OK;
}

/* ------------------------------------------------------------ outputs */

static FILE *open_out(const char *path, radx_status *st)
{
    FILE *f = fopen(path, "w");
    if (!f) *st = radx_fail(RADX_ERR_IO, "%s: cannot write", path);
    return f;
}

static radx_status close_out(FILE *f, const char *path)
{
    int failed = ferror(f);
    if (fclose(f) != 0 || failed) return radx_fail(RADX_ERR_IO, "%s: write failed", path);
    return RADX_OK;
}

static radx_status write_path(const char *path, const radx_glmnet_path *fit, const radx_feature_matrix *fm)
{
    radx_status st = RADX_OK;
    FILE *f = open_out(path, &st);
    if (!f) return st;
    fputs("lambda,df,dev_ratio,intercept", f);
    for (int j = 0; j < fm->nfeatures; j++) {
        fputc(',', f);
        radx_csv_write_field(f, fm->csv->header[fm->columns[j]]);
    }
    fputc('\n', f);
    for (int s = 0; s < fit->nlambda; s++) {
        radx_csv_write_number(f, fit->lambda[s]);
        fprintf(f, ",%d,", fit->df[s]);
        radx_csv_write_number(f, fit->dev_ratio[s]);
        fputc(',', f);
        radx_csv_write_number(f, fit->a0[s]);
        for (int j = 0; j < fm->nfeatures; j++) {
            fputc(',', f);
            radx_csv_write_number(f, fit->beta[(size_t)s * fm->nfeatures + j]);
        }
        fputc('\n', f);
    }
    return close_out(f, path);
}

static radx_status write_cv(const char *path, const radx_cv_result *cv)
{
    radx_status st = RADX_OK;
    FILE *f = open_out(path, &st);
    if (!f) return st;
    fputs("lambda,cvm,cvsd,cvup,cvlo,nzero\n", f);
    for (int s = 0; s < cv->nlambda; s++) {
        const double v[] = {cv->lambda[s], cv->cvm[s], cv->cvsd[s], cv->cvup[s], cv->cvlo[s]};
        for (int k = 0; k < 5; k++) {
            radx_csv_write_number(f, v[k]);
            fputc(',', f);
        }
        fprintf(f, "%d\n", cv->nzero[s]);
    }
    return close_out(f, path);
}

static radx_status write_summary(const char *path, const radx_cv_result *cv)
{
    radx_status st = RADX_OK;
    FILE *f = open_out(path, &st);
    if (!f) return st;
    fprintf(f, "measure,lambda_min,lambda_1se,index_min,index_1se\n%s,", radx_cv_measure_name(cv->measure));
    radx_csv_write_number(f, cv->lambda_min);
    fputc(',', f);
    radx_csv_write_number(f, cv->lambda_1se);
    fprintf(f, ",%d,%d\n", cv->index_min + 1, cv->index_1se + 1);
    return close_out(f, path);
}

static radx_status write_selected(const char *path, const radx_cv_result *cv, const radx_feature_matrix *fm)
{
    radx_status st = RADX_OK;
    FILE *f = open_out(path, &st);
    if (!f) return st;
    int p = fm->nfeatures, smin = cv->path_step[cv->index_min], s1se = cv->path_step[cv->index_1se];
    const double *bmin = cv->fit->beta + (size_t)smin * p, *b1se = cv->fit->beta + (size_t)s1se * p;
    fputs("feature,coef_min,coef_1se\nintercept,", f);
    radx_csv_write_number(f, cv->fit->a0[smin]);
    fputc(',', f);
    radx_csv_write_number(f, cv->fit->a0[s1se]);
    fputc('\n', f);
    for (int j = 0; j < p; j++) {
        if (bmin[j] == 0 && b1se[j] == 0) continue;
        radx_csv_write_field(f, fm->csv->header[fm->columns[j]]);
        fputc(',', f);
        radx_csv_write_number(f, bmin[j]);
        fputc(',', f);
        radx_csv_write_number(f, b1se[j]);
        fputc('\n', f);
    }
    return close_out(f, path);
}

/* ------------------------------------------------------------ run */

static radx_status run(const void *options, const radx_csv *csv)
{
    const lasso_options *o = options;
    radx_feature_matrix fm = {0};
    radx_glmnet_path *fit = NULL;
    radx_cv_result *cv = NULL;
    int want_cv = o->cv_out || o->summary_out || o->selected_out;
    size_t n = (size_t)(csv->nrows > 0 ? csv->nrows : 1);
    double *y = malloc(n * sizeof *y);
    int *foldid = malloc(n * sizeof *foldid);
    radx_status st = y && foldid ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "out of memory");
    if (st == RADX_OK) st = read_labels(csv, o->label_col, o->positive, y);
    if (st == RADX_OK) {
        const char *exclude[] = {o->label_col, o->foldid_col};
        st = radx_feature_matrix_select(csv, exclude, o->foldid_col ? 2 : 1, o->ignore, &fm);
    }
    if (st == RADX_OK && want_cv) {
        if (o->foldid_col) st = read_foldids(csv, o->foldid_col, foldid);
        else radx_r_sample_folds(csv->nrows, o->folds ? o->folds : 10, (uint32_t)o->seed, foldid);
    }
    if (st == RADX_OK && want_cv) {
        st = radx_cv_glmnet(fm.x, fm.nrows, fm.nfeatures, y, foldid, &o->glmnet, o->measure, &cv);
        if (st == RADX_OK && cv->measure != o->measure)
            fprintf(stderr, "radx lasso: fewer than 10 cases per fold: measure 'auc' replaced by 'deviance' "
                            "(as cv.glmnet does)\n");
    } else if (st == RADX_OK) {
        st = radx_glmnet_binomial(fm.x, fm.nrows, fm.nfeatures, y, &o->glmnet, &fit);
    }
    const radx_glmnet_path *path = cv ? cv->fit : fit;
    if (st == RADX_OK && o->path_out) st = write_path(o->path_out, path, &fm);
    if (st == RADX_OK && o->cv_out) st = write_cv(o->cv_out, cv);
    if (st == RADX_OK && o->summary_out) st = write_summary(o->summary_out, cv);
    if (st == RADX_OK && o->selected_out) st = write_selected(o->selected_out, cv, &fm);
    radx_cv_result_free(cv);
    radx_glmnet_path_free(fit);
    radx_feature_matrix_free(&fm);
    free(y);
    free(foldid);
    return st;
}

int radx_cmd_lasso(int argc, char **argv)
{
    lasso_options o;
    int rc = parse_options(argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;
    return cli_run_on_table("lasso", o.in, run, &o);
}
