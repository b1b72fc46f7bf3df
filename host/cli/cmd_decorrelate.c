/* radx decorrelate: Pearson-correlation clustering of the features, one
 * representative kept per cluster; optional z-scores from the training rows. */
#include "cli/commands.h"
#include "cli/options.h"
#include "core/error.h"
#include "radx/radx.h"
#include "stats/decorrelate.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct decorrelate_options {
    const char *in, *out, *clusters, *ignore, *train_col, *train_value;
    const char *label_col, *positive, *icc_file, *icc_col;
    double threshold;
    int zscore;
} decorrelate_options;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: radx decorrelate --in TABLE.csv --out kept.csv [--clusters clusters.csv] [options]\n\n"
            "Clusters the features at |Pearson r| > threshold and keeps one per cluster.\n"
            "  --threshold T          default 0.8\n"
            "  --icc ICC.csv          rank features by ICC first (columns feature and --icc-col,\n"
            "                         default icc_a1, as radx icc writes them)\n"
            "  --label-col Y          then by univariable AUC, max(AUC, 1 - AUC), for outcome Y\n"
            "  --positive V           the label value of the positive class (default 1)\n"
            "  --train-col C --train-value V  statistics from the rows where C == V only\n"
            "  --zscore               write the kept features as z-scores (mean and SD, n - 1,\n"
            "                         of the training rows, applied to every row)\n"
            "  --ignore A,B           columns that are not features\n"
            "Rule: features are ranked by ICC, then AUC (when given; larger first), then column\n"
            "order; the best unclustered feature becomes a representative and takes every\n"
            "unclustered feature with |r| > T to it; repeat. Kept features are pairwise |r| <= T.\n"
            "kept.csv: the input with only the kept feature columns. clusters.csv: feature,\n"
            "cluster, representative, kept_feature, r_with_kept[, icc][, auc].\n");
}

static int parse_options(int argc, char **argv, decorrelate_options *o)
{
    static const struct option long_options[] = {
        {"in", required_argument, 0, 'i'},          {"out", required_argument, 0, 'o'},
        {"clusters", required_argument, 0, 'c'},    {"ignore", required_argument, 0, 'g'},
        {"threshold", required_argument, 0, 't'},   {"train-col", required_argument, 0, 'T'},
        {"train-value", required_argument, 0, 'V'}, {"label-col", required_argument, 0, 'y'},
        {"positive", required_argument, 0, 'P'},    {"icc", required_argument, 0, 'I'},
        {"icc-col", required_argument, 0, 'C'},     {"zscore", no_argument, 0, 'z'},
        {"help", no_argument, 0, 'h'},              {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->threshold = 0.8;
    o->positive = "1";
    o->icc_col = "icc_a1";
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "i:o:c:g:t:T:V:y:P:I:C:zh", long_options, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'i': o->in = optarg; break;
        case 'o': o->out = optarg; break;
        case 'c': o->clusters = optarg; break;
        case 'g': o->ignore = optarg; break;
        case 'T': o->train_col = optarg; break;
        case 'V': o->train_value = optarg; break;
        case 'y': o->label_col = optarg; break;
        case 'P': o->positive = optarg; break;
        case 'I': o->icc_file = optarg; break;
        case 'C': o->icc_col = optarg; break;
        case 'z': o->zscore = 1; break;
        case 't':
            o->threshold = strtod(optarg, &end);
            if (end == optarg || *end || !(o->threshold >= 0 && o->threshold <= 1)) {
                fprintf(stderr, "radx decorrelate: --threshold '%s' is not in [0, 1]\n", optarg);
                return 2;
            }
            break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc || !o->in || (!o->out && !o->clusters)) {
        fprintf(stderr, "radx decorrelate: --in and --out or --clusters are required\n");
        usage(stderr);
        return 2;
    }
    if (!o->train_col != !o->train_value) {
        fprintf(stderr, "radx decorrelate: --train-col and --train-value go together\n");
        return 2;
    }
    return 0;
}

/* ------------------------------------------------------------ priorities */

/* ICC per feature from a table with columns feature and icc_col; NaN for a
 * feature it does not list. */
static radx_status read_icc(const decorrelate_options *o, const radx_csv *csv, const radx_feature_matrix *fm,
                            double *icc)
{
    radx_csv *t = NULL;
    radx_status st = radx_csv_read(o->icc_file, &t);
    if (st != RADX_OK) return st;
    int fc = radx_csv_column(t, "feature"), vc = radx_csv_column(t, o->icc_col);
    if (fc < 0 || vc < 0) {
        radx_csv_free(t);
        return radx_fail(RADX_ERR_FORMAT, "%s: needs columns 'feature' and '%s'", o->icc_file, o->icc_col);
    }
    for (int j = 0; j < fm->nfeatures; j++) {
        icc[j] = NAN;
        for (int r = 0; r < t->nrows; r++)
            if (strcmp(t->cells[r][fc], csv->header[fm->columns[j]]) == 0 && radx_csv_number(t->cells[r][vc], &icc[j]) != 0)
                icc[j] = NAN;
    }
    radx_csv_free(t);
    return RADX_OK;
}

static radx_status label_auc(const decorrelate_options *o, const radx_csv *csv, const radx_feature_matrix *fm,
                             const unsigned char *train, double *auc)
{
    int c = radx_csv_column(csv, o->label_col);
    if (c < 0) return radx_fail(RADX_ERR_PARAM, "%s: no label column '%s'", csv->path, o->label_col);
    double *y = malloc((size_t)(csv->nrows ? csv->nrows : 1) * sizeof *y);
    if (!y) return radx_fail(RADX_ERR_NOMEM, "out of memory");
    for (int r = 0; r < csv->nrows; r++) {
        if (radx_cell_missing(csv->cells[r][c])) {
            free(y);
            return radx_fail(RADX_ERR_FORMAT, "%s: row %d (line %d), column '%s': missing label", csv->path, r + 1,
                             csv->line[r], o->label_col);
        }
        y[r] = cli_same_value(csv->cells[r][c], o->positive);
    }
    for (int j = 0; j < fm->nfeatures; j++) {
        double a = radx_univariable_auc(fm->x + j, fm->nrows, fm->nfeatures, y, train);
        auc[j] = isnan(a) ? a : fmax(a, 1 - a);
    }
    free(y);
    return RADX_OK;
}

/* ------------------------------------------------------------ outputs */

static radx_status write_kept(const char *path, const radx_csv *csv, const radx_feature_matrix *fm,
                              const int *representative, const double *z)
{
    FILE *f = fopen(path, "w");
    if (!f) return radx_fail(RADX_ERR_IO, "%s: cannot write", path);
    int *feature_of = malloc((size_t)csv->ncols * sizeof *feature_of);
    if (!feature_of) {
        fclose(f);
        return radx_fail(RADX_ERR_NOMEM, "out of memory");
    }
    for (int c = 0; c < csv->ncols; c++) feature_of[c] = -1;
    for (int j = 0; j < fm->nfeatures; j++) feature_of[fm->columns[j]] = j;
    for (int r = -1; r < csv->nrows; r++) {
        int first = 1;
        for (int c = 0; c < csv->ncols; c++) {
            int j = feature_of[c];
            if (j >= 0 && !representative[j]) continue;
            if (!first) fputc(',', f);
            first = 0;
            if (r < 0) radx_csv_write_field(f, csv->header[c]);
            else if (j >= 0 && z) radx_csv_write_number(f, z[(size_t)r * fm->nfeatures + j]);
            else radx_csv_write_field(f, csv->cells[r][c]);
        }
        fputc('\n', f);
    }
    free(feature_of);
    int failed = ferror(f);
    if (fclose(f) != 0 || failed) return radx_fail(RADX_ERR_IO, "%s: write failed", path);
    return RADX_OK;
}

static radx_status write_clusters(const char *path, const radx_csv *csv, const radx_feature_matrix *fm,
                                  const int *cluster, const int *representative, const double *r_rep,
                                  const double *icc, const double *auc)
{
    FILE *f = fopen(path, "w");
    if (!f) return radx_fail(RADX_ERR_IO, "%s: cannot write", path);
    fprintf(f, "feature,cluster,representative,kept_feature,r_with_kept%s%s\n", icc ? ",icc" : "", auc ? ",auc" : "");
    for (int j = 0; j < fm->nfeatures; j++) {
        int rep = j;
        for (int k = 0; k < fm->nfeatures; k++)
            if (representative[k] && cluster[k] == cluster[j]) rep = k;
        radx_csv_write_field(f, csv->header[fm->columns[j]]);
        fprintf(f, ",%d,%d,", cluster[j], representative[j]);
        radx_csv_write_field(f, csv->header[fm->columns[rep]]);
        fputc(',', f);
        radx_csv_write_number(f, r_rep[j]);
        if (icc) { fputc(',', f); radx_csv_write_number(f, icc[j]); }
        if (auc) { fputc(',', f); radx_csv_write_number(f, auc[j]); }
        fputc('\n', f);
    }
    int failed = ferror(f);
    if (fclose(f) != 0 || failed) return radx_fail(RADX_ERR_IO, "%s: write failed", path);
    return RADX_OK;
}

/* ------------------------------------------------------------ run */

/* A feature constant on the training rows has no correlation: name it. */
static radx_status check_constant(const radx_csv *csv, const radx_feature_matrix *fm, const unsigned char *train)
{
    for (int j = 0; j < fm->nfeatures; j++) {
        int64_t first = -1, varies = 0;
        for (int64_t i = 0; i < fm->nrows && !varies; i++) {
            if (train && !train[i]) continue;
            if (first < 0) first = i;
            else varies = fm->x[i * fm->nfeatures + j] != fm->x[first * fm->nfeatures + j];
        }
        if (!varies)
            return radx_fail(RADX_ERR_NUMERIC, "%s: feature '%s' is constant%s (its correlation is undefined): "
                             "remove it or list it in --ignore", csv->path, csv->header[fm->columns[j]],
                             train ? " on the training rows" : "");
    }
    return RADX_OK;
}

static radx_status run(const void *options, const radx_csv *csv)
{
    const decorrelate_options *o = options;
    radx_feature_matrix fm = {0};
    const char *exclude[] = {o->label_col, o->train_col};
    const char *ex[2];
    int nex = 0;
    for (int k = 0; k < 2; k++)
        if (exclude[k]) ex[nex++] = exclude[k];
    radx_status st = radx_feature_matrix_select(csv, ex, nex, o->ignore, &fm);
    if (st != RADX_OK) return st;
    int p = fm.nfeatures;
    size_t n = (size_t)(fm.nrows > 0 ? fm.nrows : 1);
    unsigned char *train = NULL;
    int *cluster = malloc((size_t)p * sizeof *cluster), *rep = malloc((size_t)p * sizeof *rep);
    double *r_rep = malloc((size_t)p * sizeof *r_rep), *icc = NULL, *auc = NULL, *z = NULL;
    double *mean = malloc((size_t)p * sizeof *mean), *sd = malloc((size_t)p * sizeof *sd);
    if (!cluster || !rep || !r_rep || !mean || !sd) st = radx_fail(RADX_ERR_NOMEM, "out of memory");
    if (st == RADX_OK && o->train_col) {
        int c = radx_csv_column(csv, o->train_col);
        train = calloc(n, 1);
        if (c < 0) st = radx_fail(RADX_ERR_PARAM, "%s: no column '%s'", csv->path, o->train_col);
        else if (!train) st = radx_fail(RADX_ERR_NOMEM, "out of memory");
        for (int r = 0; st == RADX_OK && r < csv->nrows; r++) train[r] = cli_same_value(csv->cells[r][c], o->train_value);
    }
    if (st == RADX_OK) st = check_constant(csv, &fm, train);
    const double *priorities[2];
    int npriorities = 0;
    if (st == RADX_OK && o->icc_file) {
        icc = malloc((size_t)p * sizeof *icc);
        st = icc ? read_icc(o, csv, &fm, icc) : radx_fail(RADX_ERR_NOMEM, "out of memory");
        priorities[npriorities++] = icc;
    }
    if (st == RADX_OK && o->label_col) {
        auc = malloc((size_t)p * sizeof *auc);
        st = auc ? label_auc(o, csv, &fm, train, auc) : radx_fail(RADX_ERR_NOMEM, "out of memory");
        priorities[npriorities++] = auc;
    }
    if (st == RADX_OK)
        st = radx_decorrelate(fm.x, fm.nrows, p, train, o->threshold, priorities, npriorities, cluster, rep, r_rep);
    if (st == RADX_OK && o->zscore) {
        z = malloc(n * (size_t)p * sizeof *z);
        if (!z) st = radx_fail(RADX_ERR_NOMEM, "out of memory");
        else {
            memcpy(z, fm.x, (size_t)fm.nrows * (size_t)p * sizeof *z);
            st = radx_zscore(z, fm.nrows, p, train, mean, sd);
            if (st != RADX_OK) radx_fail_context(st, "%s", csv->path);
        }
    }
    if (st == RADX_OK && o->out) st = write_kept(o->out, csv, &fm, rep, z);
    if (st == RADX_OK && o->clusters) st = write_clusters(o->clusters, csv, &fm, cluster, rep, r_rep, icc, auc);
    free(train); free(cluster); free(rep); free(r_rep); free(icc); free(auc); free(z); free(mean); free(sd);
    radx_feature_matrix_free(&fm);
    return st;
}

int radx_cmd_decorrelate(int argc, char **argv)
{
    decorrelate_options o;
    int rc = parse_options(argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;
    return cli_run_on_table("decorrelate", o.in, run, &o);
}
