/* radx roc: AUC with DeLong and bootstrap CIs, Youden threshold and the
 * metrics at a threshold per score column (pROC conventions), the ROC
 * curve, and DeLong tests between the scores. */
#include "cli/commands.h"
#include "cli/options.h"
#include "radx/stats.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct roc_options {
    const char *in, *out, *score_cols, *label_col, *positive, *ignore, *curve, *delong_test;
    int64_t nboot;
    uint64_t seed;
    double conf, threshold;
    int has_threshold;
} roc_options;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: radx roc --in TABLE.csv --label-col Y --out roc.csv [--score-col S[,S2...]] [options]\n\n"
            "ROC analysis of scores for a binary outcome, as R's pROC computes it (a higher score\n"
            "means positive; positive call when score >= threshold; thresholds are the midpoints\n"
            "between distinct scores).\n"
            "  --in F                 CSV table or radx HDF5 feature table (.h5)\n"
            "  --label-col Y          outcome column (two values)\n"
            "  --positive V           the positive class (default 1)\n"
            "  --score-col S,...      score columns (default: every feature column)\n"
            "  --ignore A,B           columns that are not features (with the default scores)\n"
            "  --out F                one row per score: score, n_pos, n_neg, auc, delong_lo,\n"
            "                         delong_hi, boot_lo, boot_hi, threshold, sensitivity,\n"
            "                         specificity, ppv, npv, accuracy, f1, var_delong, youden_ties\n"
            "  --threshold T          metrics at T (a threshold learnt on another set) instead of\n"
            "                         the Youden-optimal threshold of this set\n"
            "  --bootstrap N          stratified bootstrap resamples for boot_lo/hi (default 2000;\n"
            "                         0: none)\n"
            "  --seed N               bootstrap seed (default 1); same CI for any thread count\n"
            "  --conf L               confidence level (default 0.95)\n"
            "  --curve F              the ROC curves: score, threshold, sensitivity, specificity\n"
            "  --delong-test F        paired DeLong test for every pair of scores: score1, score2,\n"
            "                         auc1, auc2, difference, z, p_value, diff_lo, diff_hi, var1,\n"
            "                         var2, cov12\n"
            "A missing score or label is an error naming row and column.\n");
}

static int parse_number(const char *option, const char *text, double *value)
{
    char *end;
    *value = strtod(text, &end);
    if (*end || end == text || !isfinite(*value)) {
        fprintf(stderr, "radx roc: %s: '%s' is not a number\n", option, text);
        return 2;
    }
    return 0;
}

static int parse_options(int argc, char **argv, roc_options *o)
{
    static const struct option long_options[] = {
        {"in", required_argument, 0, 'i'},          {"out", required_argument, 0, 'o'},
        {"score-col", required_argument, 0, 's'},   {"label-col", required_argument, 0, 'y'},
        {"positive", required_argument, 0, 'p'},    {"ignore", required_argument, 0, 'g'},
        {"curve", required_argument, 0, 'c'},       {"delong-test", required_argument, 0, 'd'},
        {"bootstrap", required_argument, 0, 'b'},   {"seed", required_argument, 0, 'S'},
        {"conf", required_argument, 0, 'l'},        {"threshold", required_argument, 0, 't'},
        {"help", no_argument, 0, 'h'},              {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->nboot = 2000;
    o->seed = 1;
    o->conf = 0.95;
    optind = 1;
    int c;
    double v;
    char *end;
    while ((c = getopt_long(argc, argv, "i:o:s:y:p:g:c:d:b:S:l:t:h", long_options, NULL)) != -1) {
        switch (c) {
        case 'i': o->in = optarg; break;
        case 'o': o->out = optarg; break;
        case 's': o->score_cols = optarg; break;
        case 'y': o->label_col = optarg; break;
        case 'p': o->positive = optarg; break;
        case 'g': o->ignore = optarg; break;
        case 'c': o->curve = optarg; break;
        case 'd': o->delong_test = optarg; break;
        case 'b':
            o->nboot = strtoll(optarg, &end, 10);
            if (*end || end == optarg || o->nboot < 0 || o->nboot == 1) {
                fprintf(stderr, "radx roc: --bootstrap: '%s' is not 0 or a count >= 2\n", optarg);
                return 2;
            }
            break;
        case 'S':
            o->seed = strtoull(optarg, &end, 10);
            if (*end || end == optarg) {
                fprintf(stderr, "radx roc: --seed: '%s' is not a non-negative integer\n", optarg);
                return 2;
            }
            break;
        case 'l':
            if (parse_number("--conf", optarg, &o->conf)) return 2;
            if (!(o->conf > 0 && o->conf < 1)) {
                fprintf(stderr, "radx roc: --conf: %s is not in (0, 1)\n", optarg);
                return 2;
            }
            break;
        case 't':
            if (parse_number("--threshold", optarg, &v)) return 2;
            o->threshold = v;
            o->has_threshold = 1;
            break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc || !o->in || !o->out || !o->label_col) {
        fprintf(stderr, "radx roc: --in, --out and --label-col are required\n");
        usage(stderr);
        return 2;
    }
    return 0;
}

/* The table in memory: labels and the score matrix (rows x nscores). */
typedef struct roc_data {
    radx_csv *csv;
    int *label;
    int *scores, nscores;
    double *x;
} roc_data;

static void data_free(roc_data *d)
{
    radx_csv_free(d->csv);
    free(d->label);
    free(d->scores);
    free(d->x);
}

static int load_data(const roc_options *o, roc_data *d)
{
    memset(d, 0, sizeof *d);
    if (radx_csv_read(o->in, &d->csv) != RADX_OK) goto fail;
    const radx_csv *csv = d->csv;
    int label_col = radx_csv_column(csv, o->label_col);
    if (label_col < 0) {
        fprintf(stderr, "radx roc: %s: no column '%s'\n", o->in, o->label_col);
        return 1;
    }
    radx_status st;
    if (o->score_cols) {
        st = radx_stats_table_named(csv, o->score_cols, &d->scores, &d->nscores);
    } else {
        const char *exclude[] = {o->label_col};
        st = radx_stats_table_features(csv, exclude, 1, o->ignore, &d->scores, &d->nscores);
    }
    if (st != RADX_OK) goto fail;
    if (d->nscores == 0) {
        fprintf(stderr, "radx roc: no score columns\n");
        return 1;
    }
    d->label = malloc((size_t)(csv->nrows ? csv->nrows : 1) * sizeof *d->label);
    d->x = malloc((size_t)(csv->nrows ? csv->nrows : 1) * (size_t)d->nscores * sizeof *d->x);
    if (!d->label || !d->x) {
        fprintf(stderr, "radx roc: out of memory\n");
        return 1;
    }
    if (radx_stats_table_labels(csv, label_col, o->positive, d->label, NULL) != RADX_OK) goto fail;
    if (radx_stats_table_matrix(csv, d->scores, d->nscores, d->x) != RADX_OK) goto fail;
    return 0;
fail:
    fprintf(stderr, "radx roc: %s\n", radx_last_error());
    return 1;
}

/* Column j of the score matrix as a contiguous array. */
static void score_column(const roc_data *d, int j, double *s)
{
    for (int r = 0; r < d->csv->nrows; r++) s[r] = d->x[(int64_t)r * d->nscores + j];
}

static void write_numbers(FILE *f, const double *v, int n)
{
    for (int i = 0; i < n; i++) {
        fputc(',', f);
        radx_csv_write_number(f, v[i]);
    }
    fputc('\n', f);
}

/* The summary row (and curve rows) of one score; 0 on success. */
static int analyse_score(const roc_data *d, int j, const double *s, const roc_options *o, FILE *out, FILE *curve_out)
{
    const char *name = d->csv->header[d->scores[j]];
    int64_t n = d->csv->nrows;
    radx_roc_auc a;
    radx_roc_curve *curve = NULL;
    radx_roc_metrics m;
    double boot_lo = NAN, boot_hi = NAN;
    if (radx_stats_roc_delong(s, d->label, n, o->conf, &a) != RADX_OK ||
        radx_stats_roc_curve(s, d->label, n, &curve) != RADX_OK ||
        (o->nboot > 0 && radx_stats_roc_bootstrap(s, d->label, n, o->nboot, o->seed, o->conf, &boot_lo, &boot_hi) != RADX_OK)) {
        fprintf(stderr, "radx roc: score '%s': %s\n", name, radx_last_error());
        radx_stats_roc_curve_free(curve);
        return 1;
    }
    int64_t best = 0, ties = 0;
    radx_stats_roc_youden(curve, &best, &ties);
    double threshold = o->has_threshold ? o->threshold : curve->threshold[best];
    if (radx_stats_roc_metrics(s, d->label, n, threshold, &m) != RADX_OK) {
        fprintf(stderr, "radx roc: score '%s': %s\n", name, radx_last_error());
        radx_stats_roc_curve_free(curve);
        return 1;
    }
    radx_csv_write_field(out, name);
    const double row[] = {(double)a.n_pos, (double)a.n_neg, a.auc, a.lo, a.hi, boot_lo, boot_hi, m.threshold,
                          m.sensitivity, m.specificity, m.ppv, m.npv, m.accuracy, m.f1, a.var, (double)ties};
    write_numbers(out, row, (int)(sizeof row / sizeof row[0]));
    for (int64_t k = 0; curve_out && k < curve->npoints; k++) {
        radx_csv_write_field(curve_out, name);
        const double point[] = {curve->threshold[k], curve->sensitivity[k], curve->specificity[k]};
        write_numbers(curve_out, point, 3);
    }
    radx_stats_roc_curve_free(curve);
    return 0;
}

/* Paired DeLong tests for every pair of scores i < j. */
static int write_tests(const roc_data *d, const roc_options *o, FILE *f)
{
    int64_t n = d->csv->nrows;
    double *s1 = malloc((size_t)n * sizeof *s1), *s2 = malloc((size_t)n * sizeof *s2);
    if (!s1 || !s2) {
        free(s1), free(s2);
        fprintf(stderr, "radx roc: out of memory\n");
        return 1;
    }
    fputs("score1,score2,auc1,auc2,difference,z,p_value,diff_lo,diff_hi,var1,var2,cov12\n", f);
    int rc = 0;
    for (int i = 0; i < d->nscores && !rc; i++)
        for (int j = i + 1; j < d->nscores && !rc; j++) {
            score_column(d, i, s1);
            score_column(d, j, s2);
            radx_roc_paired t;
            if (radx_stats_roc_delong_paired(s1, s2, d->label, n, o->conf, &t) != RADX_OK) {
                fprintf(stderr, "radx roc: %s\n", radx_last_error());
                rc = 1;
                break;
            }
            radx_csv_write_field(f, d->csv->header[d->scores[i]]);
            fputc(',', f);
            radx_csv_write_field(f, d->csv->header[d->scores[j]]);
            const double row[] = {t.auc1, t.auc2, t.difference, t.z, t.p_value, t.diff_lo, t.diff_hi,
                                  t.var1, t.var2, t.cov12};
            write_numbers(f, row, (int)(sizeof row / sizeof row[0]));
        }
    free(s1);
    free(s2);
    return rc;
}

int radx_cmd_roc(int argc, char **argv)
{
    roc_options o;
    int rc = parse_options(argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;
    roc_data d;
    if (load_data(&o, &d)) {
        data_free(&d);
        return 1;
    }
    if (o.delong_test && d.nscores < 2) {
        fprintf(stderr, "radx roc: --delong-test needs two score columns or more\n");
        data_free(&d);
        return 2;
    }
    FILE *out = cli_open_output("roc", o.out, &rc), *curve = cli_open_output("roc", o.curve, &rc);
    FILE *tests = cli_open_output("roc", o.delong_test, &rc);
    double *s = malloc((size_t)(d.csv->nrows ? d.csv->nrows : 1) * sizeof *s);
    if (!s && !rc) {
        fprintf(stderr, "radx roc: out of memory\n");
        rc = 1;
    }
    if (!rc) {
        fputs("score,n_pos,n_neg,auc,delong_lo,delong_hi,boot_lo,boot_hi,threshold,sensitivity,specificity,"
              "ppv,npv,accuracy,f1,var_delong,youden_ties\n", out);
        if (curve) fputs("score,threshold,sensitivity,specificity\n", curve);
        for (int j = 0; j < d.nscores && !rc; j++) {
            score_column(&d, j, s);
            rc = analyse_score(&d, j, s, &o, out, curve);
        }
        if (!rc && tests) rc = write_tests(&d, &o, tests);
    }
    if (cli_close_output("roc", out, o.out) | cli_close_output("roc", curve, o.curve) |
        cli_close_output("roc", tests, o.delong_test))
        rc = 1;
    free(s);
    data_free(&d);
    return rc;
}
