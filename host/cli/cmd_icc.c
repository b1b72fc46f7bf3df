/* radx icc: ICC(A,1) and ICC(C,1) per feature from a long-format table
 * (one row per case and reader), McGraw & Wong (1996) as psych::ICC. */
#include "cli/commands.h"
#include "cli/options.h"
#include "radx/stats.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct icc_options {
    const char *in, *out, *case_col, *reader_col, *ignore, *keep_out, *keep_by;
    double conf, min_icc;
    int has_min;
} icc_options;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: radx icc --in TABLE.csv --case-col C --reader-col R --out icc.csv [options]\n\n"
            "Intraclass correlation per feature (McGraw & Wong 1996, as R's psych::ICC with\n"
            "lmer = FALSE): ICC(A,1) absolute agreement (psych ICC2) and ICC(C,1) consistency\n"
            "(psych ICC3), with F-based confidence intervals (Satterthwaite df for ICC(A,1)).\n"
            "The table is long: one row per case and reader; every case needs exactly one row\n"
            "for every reader.\n"
            "  --in F                 CSV feature table or radx HDF5 feature table (.h5)\n"
            "  --case-col C           column naming the case (subject, lesion)\n"
            "  --reader-col R         column naming the reader (rater, segmentation, scan)\n"
            "  --out F                output CSV: feature, icc_a1, icc_a1_lo, icc_a1_hi, icc_c1,\n"
            "                         icc_c1_lo, icc_c1_hi, n_cases, n_readers, f_value, df1, df2,\n"
            "                         p_value, ms_cases, ms_readers, ms_error, icc_a1_df\n"
            "  --conf L               confidence level (default 0.95)\n"
            "  --ignore A,B           columns that are not features\n"
            "  --min-icc X            with --keep-out: keep the features whose statistic >= X\n"
            "  --keep-by S            that statistic: a1 (default), c1, a1_lo or c1_lo\n"
            "  --keep-out F           text file, one kept feature name per line\n"
            "Feature columns: every numeric column except the case and reader columns, the\n"
            "--ignore list and diagnostics_*. A missing value is an error naming row and column.\n"
            "A feature without any variation gets nan ICCs (and is never kept).\n");
}

static int parse_options(int argc, char **argv, icc_options *o)
{
    static const struct option long_options[] = {
        {"in", required_argument, 0, 'i'},       {"out", required_argument, 0, 'o'},
        {"case-col", required_argument, 0, 'c'}, {"reader-col", required_argument, 0, 'r'},
        {"ignore", required_argument, 0, 'g'},   {"conf", required_argument, 0, 'l'},
        {"min-icc", required_argument, 0, 'm'},  {"keep-by", required_argument, 0, 'b'},
        {"keep-out", required_argument, 0, 'k'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->conf = 0.95;
    o->keep_by = "a1";
    optind = 1;
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "i:o:c:r:g:l:m:b:k:h", long_options, NULL)) != -1) {
        switch (c) {
        case 'i': o->in = optarg; break;
        case 'o': o->out = optarg; break;
        case 'c': o->case_col = optarg; break;
        case 'r': o->reader_col = optarg; break;
        case 'g': o->ignore = optarg; break;
        case 'b': o->keep_by = optarg; break;
        case 'k': o->keep_out = optarg; break;
        case 'l':
            o->conf = strtod(optarg, &end);
            if (*end || !(o->conf > 0 && o->conf < 1)) {
                fprintf(stderr, "radx icc: --conf: '%s' is not a level in (0, 1)\n", optarg);
                return 2;
            }
            break;
        case 'm':
            o->min_icc = strtod(optarg, &end);
            if (*end || !isfinite(o->min_icc)) {
                fprintf(stderr, "radx icc: --min-icc: '%s' is not a number\n", optarg);
                return 2;
            }
            o->has_min = 1;
            break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc || !o->in || !o->out || !o->case_col || !o->reader_col) {
        fprintf(stderr, "radx icc: --in, --out, --case-col and --reader-col are required\n");
        usage(stderr);
        return 2;
    }
    if (o->has_min != (o->keep_out != NULL)) {
        fprintf(stderr, "radx icc: --min-icc and --keep-out go together\n");
        return 2;
    }
    if (strcmp(o->keep_by, "a1") && strcmp(o->keep_by, "c1") && strcmp(o->keep_by, "a1_lo") &&
        strcmp(o->keep_by, "c1_lo")) {
        fprintf(stderr, "radx icc: --keep-by: '%s' is not one of a1, c1, a1_lo, c1_lo\n", o->keep_by);
        return 2;
    }
    return 0;
}

/* The long table's layout: cases in order of first appearance, readers in
 * sorted order, and the row holding each (case, reader). */
typedef struct icc_layout {
    int ncases, nreaders;
    const char **readers;
    int *row_of;       /* [ncases * nreaders] */
    int *case_first;   /* [ncases] first row of each case, for its name */
} icc_layout;

static void layout_free(icc_layout *l)
{
    free(l->readers);
    free(l->row_of);
    free(l->case_first);
}

static int build_layout(const radx_csv *csv, int case_col, int reader_col, icc_layout *l)
{
    memset(l, 0, sizeof *l);
    int n = csv->nrows;
    int *reader_index = malloc((size_t)(n ? n : 1) * sizeof *reader_index);
    int *case_index = malloc((size_t)(n ? n : 1) * sizeof *case_index);
    l->case_first = malloc((size_t)(n ? n : 1) * sizeof *l->case_first);
    if (!reader_index || !case_index || !l->case_first) goto nomem;
    if (radx_stats_table_levels(csv, reader_col, &l->readers, &l->nreaders, reader_index) != RADX_OK) {
        fprintf(stderr, "radx icc: %s\n", radx_last_error());
        goto fail;
    }
    for (int r = 0; r < n; r++) { /* cases by first appearance (quadratic, tables are small) */
        const char *name = csv->cells[r][case_col];
        int c = 0;
        while (c < l->ncases && strcmp(csv->cells[l->case_first[c]][case_col], name) != 0) c++;
        if (c == l->ncases) l->case_first[l->ncases++] = r;
        case_index[r] = c;
    }
    l->row_of = malloc((size_t)(l->ncases ? l->ncases : 1) * (size_t)l->nreaders * sizeof *l->row_of);
    if (!l->row_of) goto nomem;
    for (int i = 0; i < l->ncases * l->nreaders; i++) l->row_of[i] = -1;
    for (int r = 0; r < n; r++) {
        int *slot = &l->row_of[case_index[r] * l->nreaders + reader_index[r]];
        if (*slot >= 0) {
            fprintf(stderr, "radx icc: %s: case '%s' has two rows for reader '%s' (lines %d and %d)\n",
                    csv->path, csv->cells[r][case_col], csv->cells[r][reader_col], csv->line[*slot],
                    csv->line[r]);
            goto fail;
        }
        *slot = r;
    }
    for (int c = 0; c < l->ncases; c++)
        for (int j = 0; j < l->nreaders; j++)
            if (l->row_of[c * l->nreaders + j] < 0) {
                fprintf(stderr, "radx icc: %s: case '%s' has no row for reader '%s'\n", csv->path,
                        csv->cells[l->case_first[c]][case_col], l->readers[j]);
                goto fail;
            }
    free(reader_index);
    free(case_index);
    return 0;
nomem:
    fprintf(stderr, "radx icc: out of memory\n");
fail:
    free(reader_index);
    free(case_index);
    layout_free(l);
    return 1;
}

static double keep_statistic(const radx_icc_result *r, const char *by)
{
    if (strcmp(by, "c1") == 0) return r->icc_c1;
    if (strcmp(by, "a1_lo") == 0) return r->icc_a1_lo;
    if (strcmp(by, "c1_lo") == 0) return r->icc_c1_lo;
    return r->icc_a1;
}

static void write_result(FILE *f, const char *feature, const radx_icc_result *r)
{
    const double values[] = {r->icc_a1, r->icc_a1_lo, r->icc_a1_hi, r->icc_c1, r->icc_c1_lo,
                             r->icc_c1_hi, (double)r->n_subjects, r->n_raters, r->f_value, r->df1,
                             r->df2, r->p_value, r->ms_rows, r->ms_cols, r->ms_error, r->a1_df};
    radx_csv_write_field(f, feature);
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        fputc(',', f);
        radx_csv_write_number(f, values[i]);
    }
    fputc('\n', f);
}

/* Compute and write the ICCs of every feature; 0 on success. */
static int run_features(const radx_csv *csv, const int *features, int nfeatures, const double *x,
                        const icc_layout *l, const icc_options *o, FILE *out, FILE *keep)
{
    double *m = malloc((size_t)l->ncases * (size_t)l->nreaders * sizeof *m);
    if (!m) {
        fprintf(stderr, "radx icc: out of memory\n");
        return 1;
    }
    fputs("feature,icc_a1,icc_a1_lo,icc_a1_hi,icc_c1,icc_c1_lo,icc_c1_hi,n_cases,n_readers,f_value,"
          "df1,df2,p_value,ms_cases,ms_readers,ms_error,icc_a1_df\n", out);
    for (int f = 0; f < nfeatures; f++) {
        for (int c = 0; c < l->ncases; c++)
            for (int j = 0; j < l->nreaders; j++)
                m[c * l->nreaders + j] = x[(int64_t)l->row_of[c * l->nreaders + j] * nfeatures + f];
        radx_icc_result r;
        if (radx_stats_icc_compute(m, l->ncases, l->nreaders, o->conf, &r) != RADX_OK) {
            fprintf(stderr, "radx icc: feature '%s': %s\n", csv->header[features[f]], radx_last_error());
            free(m);
            return 1;
        }
        write_result(out, csv->header[features[f]], &r);
        if (keep && keep_statistic(&r, o->keep_by) >= o->min_icc) fprintf(keep, "%s\n", csv->header[features[f]]);
    }
    free(m);
    return 0;
}

int radx_cmd_icc(int argc, char **argv)
{
    icc_options o;
    int rc = parse_options(argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;
    radx_csv *csv = NULL;
    if (radx_csv_read(o.in, &csv) != RADX_OK) {
        fprintf(stderr, "radx icc: %s\n", radx_last_error());
        return 1;
    }
    int case_col = radx_csv_column(csv, o.case_col), reader_col = radx_csv_column(csv, o.reader_col);
    if (case_col < 0 || reader_col < 0) {
        fprintf(stderr, "radx icc: %s: no column '%s'\n", o.in, case_col < 0 ? o.case_col : o.reader_col);
        radx_csv_free(csv);
        return 1;
    }
    const char *exclude[] = {o.case_col, o.reader_col};
    int *features = NULL, nfeatures = 0;
    double *x = NULL;
    icc_layout layout = {0};
    FILE *out = NULL, *keep = NULL;
    rc = 1;
    if (radx_stats_table_features(csv, exclude, 2, o.ignore, &features, &nfeatures) != RADX_OK) {
        fprintf(stderr, "radx icc: %s\n", radx_last_error());
        goto done;
    }
    x = malloc((size_t)(csv->nrows ? csv->nrows : 1) * (size_t)nfeatures * sizeof *x);
    if (!x) {
        fprintf(stderr, "radx icc: out of memory\n");
        goto done;
    }
    if (radx_stats_table_matrix(csv, features, nfeatures, x) != RADX_OK) {
        fprintf(stderr, "radx icc: %s\n", radx_last_error());
        goto done;
    }
    if (build_layout(csv, case_col, reader_col, &layout)) goto done;
    if (layout.nreaders < 2 || layout.ncases < 2) {
        fprintf(stderr, "radx icc: %s: need at least 2 cases and 2 readers (found %d and %d)\n", o.in,
                layout.ncases, layout.nreaders);
        goto done;
    }
    out = fopen(o.out, "w");
    if (o.keep_out) keep = fopen(o.keep_out, "w");
    if (!out || (o.keep_out && !keep)) {
        fprintf(stderr, "radx icc: cannot write %s\n", !out ? o.out : o.keep_out);
        goto done;
    }
    rc = run_features(csv, features, nfeatures, x, &layout, &o, out, keep);
done:
    if (cli_close_output("icc", out, o.out)) rc = 1;
    if (cli_close_output("icc", keep, o.keep_out)) rc = 1;
    layout_free(&layout);
    free(x);
    free(features);
    radx_csv_free(csv);
    return rc;
}
