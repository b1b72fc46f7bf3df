/* radx baseline: a baseline table by outcome group — Welch t and Wilcoxon
 * rank-sum tests for numeric variables, chi-squared and Fisher's exact test
 * for categorical ones (R's t.test, wilcox.test, chisq.test, fisher.test). */
#include "cli/commands.h"
#include "radx/stats.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_FACTORS = 256 };

typedef struct baseline_options {
    const char *in, *out, *categorical_out, *label_col, *positive, *vars, *ignore;
    const char *factors[MAX_FACTORS];
    int nfactors;
    double conf;
} baseline_options;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: radx baseline --in TABLE.csv --label-col Y --out numeric.csv [options]\n\n"
            "Baseline table by outcome group (positive class first), two-sided tests as R computes them.\n"
            "  --in F                 CSV table or radx HDF5 feature table (.h5)\n"
            "  --label-col Y          outcome column (two values); --positive V (default 1)\n"
            "  --vars a,b,c           numeric variables (default: every feature column)\n"
            "  --ignore A,B           columns that are not features (with the default variables)\n"
            "  --factor COL           a categorical variable (repeatable); not in the numeric table\n"
            "  --out F                per numeric variable: variable, n_pos, n_neg, mean_pos, sd_pos,\n"
            "                         mean_neg, sd_neg, welch_t, welch_df, welch_p, diff_lo, diff_hi\n"
            "                         (Welch CI of mean_pos - mean_neg), wilcox_w, wilcox_p, auc\n"
            "  --categorical-out F    per categorical variable and level: variable, level, n_neg,\n"
            "                         n_pos, chisq, chisq_df, chisq_p (Yates for 2 x 2, as R),\n"
            "                         fisher_p, fisher_or, fisher_or_lo, fisher_or_hi (2 x 2 only:\n"
            "                         odds of the positive class in the second level over the first)\n"
            "  --conf L               confidence level (default 0.95)\n");
}

static int parse_options(int argc, char **argv, baseline_options *o)
{
    static const struct option long_options[] = {
        {"in", required_argument, 0, 'i'},        {"out", required_argument, 0, 'o'},
        {"categorical-out", required_argument, 0, 'C'}, {"label-col", required_argument, 0, 'y'},
        {"positive", required_argument, 0, 'p'},  {"vars", required_argument, 0, 'v'},
        {"ignore", required_argument, 0, 'g'},    {"factor", required_argument, 0, 'f'},
        {"conf", required_argument, 0, 'l'},      {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->conf = 0.95;
    optind = 1;
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "i:o:C:y:p:v:g:f:l:h", long_options, NULL)) != -1) {
        switch (c) {
        case 'i': o->in = optarg; break;
        case 'o': o->out = optarg; break;
        case 'C': o->categorical_out = optarg; break;
        case 'y': o->label_col = optarg; break;
        case 'p': o->positive = optarg; break;
        case 'v': o->vars = optarg; break;
        case 'g': o->ignore = optarg; break;
        case 'f':
            if (o->nfactors == MAX_FACTORS) {
                fprintf(stderr, "radx baseline: more than %d --factor options\n", MAX_FACTORS);
                return 2;
            }
            o->factors[o->nfactors++] = optarg;
            break;
        case 'l':
            o->conf = strtod(optarg, &end);
            if (*end || !(o->conf > 0 && o->conf < 1)) {
                fprintf(stderr, "radx baseline: --conf: '%s' is not a level in (0, 1)\n", optarg);
                return 2;
            }
            break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc || !o->in || !o->label_col || (!o->out && !o->categorical_out)) {
        fprintf(stderr, "radx baseline: --in, --label-col and --out (or --categorical-out) are required\n");
        usage(stderr);
        return 2;
    }
    if (o->nfactors && !o->categorical_out) {
        fprintf(stderr, "radx baseline: --factor needs --categorical-out\n");
        return 2;
    }
    return 0;
}

static void write_numbers(FILE *f, const double *v, int n)
{
    for (int i = 0; i < n; i++) {
        fputc(',', f);
        radx_csv_write_number(f, v[i]);
    }
    fputc('\n', f);
}

/* One numeric variable: positives (x) against negatives (y). */
static int numeric_row(FILE *f, const char *name, const double *column, const int *label, int64_t n, double conf,
                       double *x, double *y)
{
    int64_t nx = 0, ny = 0;
    for (int64_t i = 0; i < n; i++) {
        if (label[i]) x[nx++] = column[i];
        else y[ny++] = column[i];
    }
    radx_ttest_result t;
    radx_ranksum_result w;
    if (radx_stats_ttest(x, nx, y, ny, 0, conf, &t) != RADX_OK || radx_stats_ranksum(x, nx, y, ny, 1, &w) != RADX_OK) {
        fprintf(stderr, "radx baseline: variable '%s': %s\n", name, radx_last_error());
        return 1;
    }
    radx_csv_write_field(f, name);
    const double row[] = {(double)nx, (double)ny, t.mean_x, t.sd_x, t.mean_y, t.sd_y, t.t, t.df, t.p_value,
                          t.ci_lo, t.ci_hi, w.w, w.p_value, w.auc};
    write_numbers(f, row, (int)(sizeof row / sizeof row[0]));
    return 0;
}

static int numeric_table(const radx_csv *csv, const baseline_options *o, const int *label, FILE *f)
{
    int *columns = NULL, ncolumns = 0;
    radx_status st;
    if (o->vars) {
        st = radx_stats_table_named(csv, o->vars, &columns, &ncolumns);
    } else {
        const char *exclude[MAX_FACTORS + 1] = {o->label_col};
        for (int k = 0; k < o->nfactors; k++) exclude[k + 1] = o->factors[k];
        st = radx_stats_table_features(csv, exclude, o->nfactors + 1, o->ignore, &columns, &ncolumns);
    }
    size_t n = (size_t)(csv->nrows ? csv->nrows : 1);
    double *values = malloc(n * (size_t)(ncolumns ? ncolumns : 1) * sizeof *values);
    double *column = malloc(n * sizeof *column), *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    int rc = 1;
    if (st != RADX_OK) fprintf(stderr, "radx baseline: %s\n", radx_last_error());
    else if (!values || !column || !x || !y) fprintf(stderr, "radx baseline: out of memory\n");
    else if (radx_stats_table_matrix(csv, columns, ncolumns, values) != RADX_OK)
        fprintf(stderr, "radx baseline: %s\n", radx_last_error());
    else rc = 0;
    if (!rc) fputs("variable,n_pos,n_neg,mean_pos,sd_pos,mean_neg,sd_neg,welch_t,welch_df,welch_p,diff_lo,diff_hi,"
                   "wilcox_w,wilcox_p,auc\n", f);
    for (int j = 0; !rc && j < ncolumns; j++) {
        for (int r = 0; r < csv->nrows; r++) column[r] = values[(int64_t)r * ncolumns + j];
        rc = numeric_row(f, csv->header[columns[j]], column, label, csv->nrows, o->conf, x, y);
    }
    free(columns), free(values), free(column), free(x), free(y);
    return rc;
}

/* One categorical variable: the levels x (negative, positive) table and its tests. */
static int categorical_rows(const radx_csv *csv, const char *name, const int *label, double conf, FILE *f)
{
    int column = radx_csv_column(csv, name);
    if (column < 0) {
        fprintf(stderr, "radx baseline: %s: no column '%s'\n", csv->path, name);
        return 1;
    }
    const char **levels = NULL;
    int nlevels = 0;
    int *index = malloc((size_t)(csv->nrows ? csv->nrows : 1) * sizeof *index);
    if (!index || radx_stats_table_levels(csv, column, &levels, &nlevels, index) != RADX_OK) {
        fprintf(stderr, "radx baseline: %s\n", index ? radx_last_error() : "out of memory");
        free(index);
        return 1;
    }
    int64_t *table = calloc((size_t)nlevels * 2, sizeof *table);
    radx_chisq_result c;
    radx_fisher_result fisher;
    int rc = table ? 0 : 1;
    for (int r = 0; !rc && r < csv->nrows; r++) table[index[r] * 2 + label[r]]++;
    if (!rc && (radx_stats_chisq(table, nlevels, 2, 1, &c) != RADX_OK ||
                radx_stats_fisher(table, nlevels, 2, conf, &fisher) != RADX_OK)) {
        fprintf(stderr, "radx baseline: variable '%s': %s\n", name, radx_last_error());
        rc = 1;
    }
    for (int l = 0; !rc && l < nlevels; l++) {
        radx_csv_write_field(f, name);
        fputc(',', f);
        radx_csv_write_field(f, levels[l]);
        const double row[] = {(double)table[2 * l], (double)table[2 * l + 1], c.statistic, c.df, c.p_value,
                              fisher.p_value, fisher.odds_ratio, fisher.or_lo, fisher.or_hi};
        write_numbers(f, row, (int)(sizeof row / sizeof row[0]));
    }
    free(table), free(index), free(levels);
    return rc;
}

static int close_output(FILE *f, const char *path)
{
    if (!f) return 0;
    if (ferror(f) | fclose(f)) {
        fprintf(stderr, "radx baseline: %s: write failed\n", path);
        return 1;
    }
    return 0;
}

int radx_cmd_baseline(int argc, char **argv)
{
    baseline_options o;
    int rc = parse_options(argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;
    radx_csv *csv = NULL;
    int *label = NULL;
    FILE *out = NULL, *cat = NULL;
    if (radx_csv_read(o.in, &csv) != RADX_OK) {
        fprintf(stderr, "radx baseline: %s\n", radx_last_error());
        return 1;
    }
    int label_col = radx_csv_column(csv, o.label_col);
    label = malloc((size_t)(csv->nrows ? csv->nrows : 1) * sizeof *label);
    if (label_col < 0) {
        fprintf(stderr, "radx baseline: %s: no column '%s'\n", o.in, o.label_col);
        rc = 1;
    } else if (!label || radx_stats_table_labels(csv, label_col, o.positive, label, NULL) != RADX_OK) {
        fprintf(stderr, "radx baseline: %s\n", label ? radx_last_error() : "out of memory");
        rc = 1;
    }
    if (!rc && o.out && !(out = fopen(o.out, "w"))) {
        fprintf(stderr, "radx baseline: cannot write %s\n", o.out);
        rc = 1;
    }
    if (!rc && o.categorical_out && !(cat = fopen(o.categorical_out, "w"))) {
        fprintf(stderr, "radx baseline: cannot write %s\n", o.categorical_out);
        rc = 1;
    }
    if (!rc && out) rc = numeric_table(csv, &o, label, out);
    if (!rc && cat) fputs("variable,level,n_neg,n_pos,chisq,chisq_df,chisq_p,fisher_p,fisher_or,fisher_or_lo,"
                          "fisher_or_hi\n", cat);
    for (int k = 0; !rc && k < o.nfactors; k++) rc = categorical_rows(csv, o.factors[k], label, o.conf, cat);
    if (close_output(out, o.out) | close_output(cat, o.categorical_out)) rc = 1;
    free(label);
    radx_csv_free(csv);
    return rc;
}
