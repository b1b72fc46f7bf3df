/* radx harmonize: ComBat across batches (sva::ComBat), fit on a table or
 * applied from a saved model. */
#include "cli/commands.h"
#include "cli/options.h"
#include "core/error.h"
#include "radx/radx.h"
#include "stats/combat.h"
#include "stats/decorrelate.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_COVARIATES = 64 };

typedef struct harmonize_options {
    const char *in, *out, *batch_col, *ignore, *ref_batch, *save_model, *apply_model;
    const char *covariates[MAX_COVARIATES];
    int ncovariates;
    radx_combat_options combat;
} harmonize_options;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: radx harmonize --in TABLE.csv --batch-col B --out H.csv [options]\n"
            "       radx harmonize --in TABLE.csv --apply-model M.csv --out H.csv [--batch-col B]\n\n"
            "ComBat harmonisation as R's sva::ComBat (Johnson et al. 2007): parametric empirical\n"
            "Bayes with sva's iteration and stopping rule unless told otherwise.\n"
            "  --covariate COL[:factor]  protected covariate (repeatable); numeric columns enter as\n"
            "                         they are, others (or :factor) as treatment dummies against\n"
            "                         their first sorted level, as R's model.matrix does\n"
            "  --nonparametric        nonparametric priors (sva par.prior = FALSE)\n"
            "  --mean-only            adjust the mean only (sva mean.only = TRUE)\n"
            "  --ref-batch V          leave batch V unchanged and map the others onto it\n"
            "  --converge             iterate the parametric estimates to their fixed point\n"
            "                         (sva stops at a relative change of 1e-4)\n"
            "  --ignore A,B           columns that are not features\n"
            "  --save-model M.csv     store the fitted estimates\n"
            "  --apply-model M.csv    harmonise with a stored model instead of fitting\n"
            "Feature columns: every numeric column except the batch and covariate columns, the\n"
            "--ignore list and diagnostics_*. Other columns are copied through; rows stay in order.\n"
            "Batches sort numerically when all are numbers, else by byte order.\n");
}

static int parse_options(int argc, char **argv, harmonize_options *o)
{
    static const struct option long_options[] = {
        {"in", required_argument, 0, 'i'},        {"out", required_argument, 0, 'o'},
        {"batch-col", required_argument, 0, 'b'}, {"covariate", required_argument, 0, 'c'},
        {"ignore", required_argument, 0, 'g'},    {"ref-batch", required_argument, 0, 'r'},
        {"save-model", required_argument, 0, 's'}, {"apply-model", required_argument, 0, 'a'},
        {"nonparametric", no_argument, 0, 'n'},   {"mean-only", no_argument, 0, 'm'},
        {"converge", no_argument, 0, 'C'},        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->combat.ref_batch = -1;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "i:o:b:c:g:r:s:a:nmCh", long_options, NULL)) != -1) {
        switch (c) {
        case 'i': o->in = optarg; break;
        case 'o': o->out = optarg; break;
        case 'b': o->batch_col = optarg; break;
        case 'g': o->ignore = optarg; break;
        case 'r': o->ref_batch = optarg; break;
        case 's': o->save_model = optarg; break;
        case 'a': o->apply_model = optarg; break;
        case 'n': o->combat.nonparametric = 1; break;
        case 'm': o->combat.mean_only = 1; break;
        case 'C': o->combat.converge = 1; break;
        case 'c':
            if (o->ncovariates == MAX_COVARIATES) {
                fprintf(stderr, "radx harmonize: more than %d covariates\n", MAX_COVARIATES);
                return 2;
            }
            o->covariates[o->ncovariates++] = optarg;
            break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc || !o->in || !o->out || (!o->batch_col && !o->apply_model)) {
        fprintf(stderr, "radx harmonize: --in, --out and --batch-col (or --apply-model) are required\n");
        usage(stderr);
        return 2;
    }
    if (o->apply_model && (o->ncovariates || o->ref_batch || o->save_model || o->combat.nonparametric ||
                           o->combat.mean_only || o->combat.converge)) {
        fprintf(stderr, "radx harmonize: --apply-model takes the model's settings; drop the fit options\n");
        return 2;
    }
    return 0;
}

/* ------------------------------------------------------------ covariates */

/* Design columns of the covariates: names (COL, or COL=LEVEL for a dummy)
 * and values (n x k). Categorical: treatment dummies for levels 2..L. */
typedef struct covariate_design {
    int k;
    char **names;
    double *values;
    char *columns[MAX_COVARIATES]; /* source column names, for exclusion */
    int ncolumns;
} covariate_design;

static void design_free(covariate_design *d)
{
    for (int c = 0; c < d->k; c++) free(d->names[c]);
    for (int c = 0; c < d->ncolumns; c++) free(d->columns[c]);
    free(d->names);
    free(d->values);
    memset(d, 0, sizeof *d);
}

static int design_add(covariate_design *d, const radx_csv *csv, const char *name, const double *v)
{
    char **names = realloc(d->names, (size_t)(d->k + 1) * sizeof *names);
    if (!names) return -1;
    d->names = names;
    double *values = malloc((size_t)csv->nrows * (size_t)(d->k + 1) * sizeof *values);
    if (!values) return -1;
    for (int r = 0; r < csv->nrows; r++) {
        for (int c = 0; c < d->k; c++) values[r * (d->k + 1) + c] = d->values[r * d->k + c];
        values[r * (d->k + 1) + d->k] = v[r];
    }
    free(d->values);
    d->values = values;
    d->names[d->k++] = strdup(name);
    return 0;
}

static radx_status add_covariate(covariate_design *d, const radx_csv *csv, const char *spec)
{
    char column[512];
    snprintf(column, sizeof column, "%s", spec);
    char *suffix = strrchr(column, ':');
    int force_factor = suffix && strcmp(suffix, ":factor") == 0;
    if (force_factor) *suffix = '\0';
    int col = radx_csv_column(csv, column);
    if (col < 0) return radx_fail(RADX_ERR_PARAM, "%s: --covariate: no column '%s'", csv->path, column);
    d->columns[d->ncolumns++] = strdup(column);
    double *v = malloc((size_t)(csv->nrows ? csv->nrows : 1) * sizeof *v);
    int *index = malloc((size_t)(csv->nrows ? csv->nrows : 1) * sizeof *index);
    if (!v || !index) {
        free(v); free(index);
        return radx_fail(RADX_ERR_NOMEM, "out of memory");
    }
    radx_status st = RADX_OK;
    int numeric = !force_factor;
    for (int r = 0; r < csv->nrows && numeric; r++)
        if (radx_csv_number(csv->cells[r][col], &v[r]) != 0) numeric = 0;
    if (numeric) {
        if (design_add(d, csv, column, v)) st = radx_fail(RADX_ERR_NOMEM, "out of memory");
    } else {
        const char **levels = NULL;
        int nlevels = 0;
        st = radx_column_levels(csv, col, &levels, &nlevels, index);
        for (int l = 1; st == RADX_OK && l < nlevels; l++) {
            char name[1024];
            snprintf(name, sizeof name, "%s=%s", column, levels[l]);
            for (int r = 0; r < csv->nrows; r++) v[r] = index[r] == l;
            if (design_add(d, csv, name, v)) st = radx_fail(RADX_ERR_NOMEM, "out of memory");
        }
        free(levels);
    }
    free(v);
    free(index);
    return st;
}

/* Rebuild the design columns a saved model names: COL (numeric) or
 * COL=LEVEL (dummy). */
static radx_status design_from_names(covariate_design *d, const radx_csv *csv, char **names, int k)
{
    double *v = malloc((size_t)(csv->nrows ? csv->nrows : 1) * sizeof *v);
    if (!v) return radx_fail(RADX_ERR_NOMEM, "out of memory");
    radx_status st = RADX_OK;
    for (int c = 0; c < k && st == RADX_OK; c++) {
        char column[512];
        snprintf(column, sizeof column, "%s", names[c]);
        char *eq = strchr(column, '=');
        const char *level = NULL;
        if (eq && radx_csv_column(csv, column) < 0) {
            *eq = '\0';
            level = eq + 1;
        }
        int col = radx_csv_column(csv, column);
        if (col < 0) {
            st = radx_fail(RADX_ERR_PARAM, "%s: the model's covariate column '%s' is missing", csv->path, column);
            break;
        }
        for (int r = 0; r < csv->nrows && st == RADX_OK; r++) {
            const char *cell = csv->cells[r][col];
            if (level) v[r] = strcmp(cell, level) == 0;
            else if (radx_csv_number(cell, &v[r]) != 0)
                st = radx_fail(RADX_ERR_FORMAT, "%s: row %d (line %d), column '%s': '%s' is not a number",
                               csv->path, r + 1, csv->line[r], column, cell);
        }
        if (st == RADX_OK && design_add(d, csv, names[c], v)) st = radx_fail(RADX_ERR_NOMEM, "out of memory");
        int seen = 0;
        for (int s = 0; s < d->ncolumns; s++) seen |= strcmp(d->columns[s], column) == 0;
        if (!seen && d->ncolumns < MAX_COVARIATES) d->columns[d->ncolumns++] = strdup(column);
    }
    free(v);
    return st;
}

/* ------------------------------------------------------------ output */

static radx_status write_table(const char *path, const radx_csv *csv, const radx_feature_matrix *fm,
                               const double *values)
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
    for (int c = 0; c < csv->ncols; c++) {
        if (c) fputc(',', f);
        radx_csv_write_field(f, csv->header[c]);
    }
    fputc('\n', f);
    for (int r = 0; r < csv->nrows; r++) {
        for (int c = 0; c < csv->ncols; c++) {
            if (c) fputc(',', f);
            if (feature_of[c] >= 0) radx_csv_write_number(f, values[(size_t)r * fm->nfeatures + feature_of[c]]);
            else radx_csv_write_field(f, csv->cells[r][c]);
        }
        fputc('\n', f);
    }
    free(feature_of);
    int failed = ferror(f);
    if (fclose(f) != 0 || failed) return radx_fail(RADX_ERR_IO, "%s: write failed", path);
    return RADX_OK;
}

/* ------------------------------------------------------------ fit / apply */

static radx_status fit_and_apply(const harmonize_options *o, const radx_csv *csv)
{
    covariate_design design = {0};
    radx_feature_matrix fm = {0};
    radx_combat_model *model = NULL;
    const char **levels = NULL;
    int nlevels = 0;
    int *batch = malloc((size_t)(csv->nrows ? csv->nrows : 1) * sizeof *batch);
    double *out = NULL;
    radx_status st = batch ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "out of memory");
    int bcol = radx_csv_column(csv, o->batch_col);
    if (st == RADX_OK && bcol < 0) st = radx_fail(RADX_ERR_PARAM, "%s: no batch column '%s'", csv->path, o->batch_col);
    if (st == RADX_OK) st = radx_column_levels(csv, bcol, &levels, &nlevels, batch);
    for (int c = 0; c < o->ncovariates && st == RADX_OK; c++) st = add_covariate(&design, csv, o->covariates[c]);
    radx_combat_options opt = o->combat;
    if (st == RADX_OK && o->ref_batch) {
        for (int l = 0; l < nlevels; l++)
            if (cli_same_value(levels[l], o->ref_batch)) opt.ref_batch = l;
        if (opt.ref_batch < 0)
            st = radx_fail(RADX_ERR_PARAM, "--ref-batch '%s' is not a value of column '%s'", o->ref_batch, o->batch_col);
    }
    if (st == RADX_OK) {
        const char *exclude[MAX_COVARIATES + 1] = {o->batch_col};
        for (int c = 0; c < design.ncolumns; c++) exclude[c + 1] = design.columns[c];
        st = radx_feature_matrix_select(csv, exclude, design.ncolumns + 1, o->ignore, &fm);
    }
    if (st == RADX_OK) st = radx_combat_fit(fm.x, fm.nrows, fm.nfeatures, batch, nlevels, design.values, design.k, &opt, &model);
    if (st == RADX_OK && !(out = malloc((size_t)fm.nrows * (size_t)fm.nfeatures * sizeof *out)))
        st = radx_fail(RADX_ERR_NOMEM, "out of memory");
    if (st == RADX_OK) st = radx_combat_apply(model, fm.x, fm.nrows, batch, design.values, out);
    if (st == RADX_OK) st = write_table(o->out, csv, &fm, out);
    if (st == RADX_OK && o->save_model) {
        char **features = malloc((size_t)fm.nfeatures * sizeof *features);
        if (!features) st = radx_fail(RADX_ERR_NOMEM, "out of memory");
        for (int j = 0; st == RADX_OK && j < fm.nfeatures; j++) features[j] = csv->header[fm.columns[j]];
        radx_combat_names names = {features, (char **)levels, design.names, (char *)o->batch_col};
        if (st == RADX_OK) st = radx_combat_save(model, &names, o->save_model);
        free(features);
    }
    if (st == RADX_OK && model->mean_only_forced)
        fprintf(stderr, "radx harmonize: a batch has one case: mean-only adjustment, as sva::ComBat does\n");
    if (st == RADX_OK) {
        int passed = 0;
        for (int j = 0; j < fm.nfeatures; j++) passed += !model->adjusted[j];
        if (passed)
            fprintf(stderr, "radx harmonize: %d feature(s) constant inside a batch, left unadjusted as sva::ComBat does:", passed);
        for (int j = 0; j < fm.nfeatures; j++)
            if (!model->adjusted[j]) fprintf(stderr, " %s", csv->header[fm.columns[j]]);
        if (passed) fputc('\n', stderr);
    }
    free(out);
    free(batch);
    free(levels);
    radx_combat_free(model);
    radx_feature_matrix_free(&fm);
    design_free(&design);
    return st;
}

static radx_status apply_saved(const harmonize_options *o, const radx_csv *csv)
{
    radx_combat_model *model = NULL;
    radx_combat_names names = {0};
    covariate_design design = {0};
    radx_feature_matrix fm = {0};
    double *out = NULL;
    int *batch = malloc((size_t)(csv->nrows ? csv->nrows : 1) * sizeof *batch);
    radx_status st = batch ? radx_combat_load(o->apply_model, &model, &names)
                           : radx_fail(RADX_ERR_NOMEM, "out of memory");
    const char *batch_col = o->batch_col ? o->batch_col : (st == RADX_OK ? names.batch_column : NULL);
    int bcol = batch_col ? radx_csv_column(csv, batch_col) : -1;
    if (st == RADX_OK && bcol < 0) st = radx_fail(RADX_ERR_PARAM, "%s: no batch column '%s'", csv->path, batch_col ? batch_col : "");
    for (int r = 0; st == RADX_OK && r < csv->nrows; r++) {
        batch[r] = -1;
        for (int b = 0; b < model->nbatches; b++)
            if (cli_same_value(csv->cells[r][bcol], names.batches[b])) batch[r] = b;
        if (batch[r] < 0)
            st = radx_fail(RADX_ERR_PARAM, "%s: row %d (line %d): batch '%s' is not in the model", csv->path, r + 1,
                           csv->line[r], csv->cells[r][bcol]);
    }
    if (st == RADX_OK) st = design_from_names(&design, csv, names.covariates, model->ncovariates);
    if (st == RADX_OK) st = radx_feature_matrix_named(csv, (const char *const *)names.features, model->nfeatures, &fm);
    if (st == RADX_OK && !(out = malloc((size_t)fm.nrows * (size_t)fm.nfeatures * sizeof *out)))
        st = radx_fail(RADX_ERR_NOMEM, "out of memory");
    if (st == RADX_OK) st = radx_combat_apply(model, fm.x, fm.nrows, batch, design.values, out);
    if (st == RADX_OK) st = write_table(o->out, csv, &fm, out);
    free(out);
    free(batch);
    radx_feature_matrix_free(&fm);
    design_free(&design);
    if (model) radx_combat_names_free(&names, model);
    radx_combat_free(model);
    return st;
}

/* Harmonise with a stored model, or fit one and apply it. */
static radx_status run(const void *options, const radx_csv *csv)
{
    const harmonize_options *o = options;
    return o->apply_model ? apply_saved(o, csv) : fit_and_apply(o, csv);
}

int radx_cmd_harmonize(int argc, char **argv)
{
    harmonize_options o;
    int rc = parse_options(argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;
    return cli_run_on_table("harmonize", o.in, run, &o);
}
