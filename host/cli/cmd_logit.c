/* radx logit: unpenalised logistic regression (R's glm(family = binomial)
 * iterated to convergence) with odds ratios and Wald CIs, categorical
 * predictors against a reference level, whole-variable tests and an
 * optional univariable screen before the multivariable model. */
#include "cli/commands.h"
#include "cli/options.h"
#include "core/error.h"
#include "radx/stats.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_LIST = 256 };

typedef struct logit_options {
    const char *in, *out, *label_col, *positive, *vars, *ignore, *fit_out, *terms_out, *univariable_out;
    const char *scores_out, *from_lasso;
    int top_k, rank_standardized;
    const char *factors[MAX_LIST], *refs[MAX_LIST];
    int nfactors, nrefs, has_screen;
    double conf, screen;
} logit_options;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: radx logit --in TABLE.csv --label-col Y --out table.csv [--vars a,b,c] [options]\n\n"
            "Logistic regression (R's glm(family = binomial), Newton-Raphson iterated to convergence;\n"
            "standard errors from the Hessian at the estimate), Wald z tests and CIs.\n"
            "  --in F                 CSV table or radx HDF5 feature table (.h5)\n"
            "  --label-col Y          outcome column (two values)\n"
            "  --positive V           the outcome's positive class (default 1)\n"
            "  --vars a,b,c           predictors (default: every feature column and the columns\n"
            "                         named by --factor and --ref)\n"
            "  --ignore A,B           columns that are not features (with the default predictors)\n"
            "  --factor COL           treat COL as categorical (repeatable; columns with text are\n"
            "                         categorical anyway)\n"
            "  --ref COL=LEVEL        reference level of a categorical predictor (repeatable;\n"
            "                         default: its first level, sorted numerically or by bytes)\n"
            "  --out F                term, estimate, se, z, p, or, or_lo, or_hi, variable, level,\n"
            "                         reference_level (intercept first; dummies named as R names them,\n"
            "                         variable + level)\n"
            "  --conf L               confidence level of the intervals (default 0.95)\n"
            "  --fit-out F            n, deviance, null_deviance, aic, loglik, df_residual, df_null,\n"
            "                         iterations\n"
            "  --terms-out F          per predictor: df, deviance_full, deviance_without, lr_statistic,\n"
            "                         lr_p (likelihood-ratio test, drop1), wald_chisq, wald_p\n"
            "  --screen P             fit each predictor alone first and keep those with p < P in the\n"
            "                         multivariable model (p: the Wald p of a one-term predictor, the\n"
            "                         likelihood-ratio p of a categorical one with several dummies)\n"
            "  --univariable-out F    the univariable models: variable, term, estimate, se, z, p, or,\n"
            "                         or_lo, or_hi, variable_p, selected\n"
            "  --scores F             per row: the input's columns other than the predictors, then\n"
            "                         linear_predictor and probability of the multivariable model\n"
            "                         (a signature score for radx roc)\n"
            "  --from-lasso SEL.csv   signature: the predictors are the top-k features of radx lasso's\n"
            "                         --selected file (feature, coef_min, ...), ranked by |coef_min|\n"
            "                         (coefficients on the original scale, as coef() gives them;\n"
            "                         ties in file order); instead of --vars\n"
            "  --rank-standardized    rank by |coef_min| x SD of the feature in this table instead\n"
            "                         (divisor n, as glmnet standardises): unit-free\n"
            "  --top-k K              how many (default 7; fewer when fewer are nonzero)\n"
            "Perfect separation and singular designs stop with an error naming the variable.\n");
}

static int push(const char **list, int *n, const char *value, const char *option)
{
    if (*n == MAX_LIST) {
        fprintf(stderr, "radx logit: more than %d %s options\n", MAX_LIST, option);
        return 2;
    }
    list[(*n)++] = value;
    return 0;
}

static int parse_options(int argc, char **argv, logit_options *o)
{
    static const struct option long_options[] = {
        {"in", required_argument, 0, 'i'},        {"out", required_argument, 0, 'o'},
        {"label-col", required_argument, 0, 'y'}, {"positive", required_argument, 0, 'p'},
        {"vars", required_argument, 0, 'v'},      {"ignore", required_argument, 0, 'g'},
        {"factor", required_argument, 0, 'f'},    {"ref", required_argument, 0, 'r'},
        {"conf", required_argument, 0, 'l'},      {"fit-out", required_argument, 0, 'F'},
        {"terms-out", required_argument, 0, 'T'}, {"screen", required_argument, 0, 's'},
        {"univariable-out", required_argument, 0, 'U'}, {"scores", required_argument, 0, 'S'},
        {"from-lasso", required_argument, 0, 'L'}, {"top-k", required_argument, 0, 'k'},
        {"rank-standardized", no_argument, 0, 'R'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->conf = 0.95;
    o->top_k = 7;
    optind = 1;
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "i:o:y:p:v:g:f:r:l:F:T:s:U:S:L:k:Rh", long_options, NULL)) != -1) {
        switch (c) {
        case 'i': o->in = optarg; break;
        case 'o': o->out = optarg; break;
        case 'y': o->label_col = optarg; break;
        case 'p': o->positive = optarg; break;
        case 'v': o->vars = optarg; break;
        case 'g': o->ignore = optarg; break;
        case 'F': o->fit_out = optarg; break;
        case 'S': o->scores_out = optarg; break;
        case 'L': o->from_lasso = optarg; break;
        case 'R': o->rank_standardized = 1; break;
        case 'k':
            o->top_k = (int)strtol(optarg, &end, 10);
            if (*end || end == optarg || o->top_k < 1) {
                fprintf(stderr, "radx logit: --top-k: '%s' is not a positive integer\n", optarg);
                return 2;
            }
            break;
        case 'T': o->terms_out = optarg; break;
        case 'U': o->univariable_out = optarg; break;
        case 'f': if (push(o->factors, &o->nfactors, optarg, "--factor")) return 2; break;
        case 'r':
            if (!strchr(optarg, '=')) {
                fprintf(stderr, "radx logit: --ref: '%s' is not COL=LEVEL\n", optarg);
                return 2;
            }
            if (push(o->refs, &o->nrefs, optarg, "--ref")) return 2;
            break;
        case 'l':
            o->conf = strtod(optarg, &end);
            if (*end || !(o->conf > 0 && o->conf < 1)) {
                fprintf(stderr, "radx logit: --conf: '%s' is not a level in (0, 1)\n", optarg);
                return 2;
            }
            break;
        case 's':
            o->screen = strtod(optarg, &end);
            if (*end || !(o->screen > 0 && o->screen <= 1)) {
                fprintf(stderr, "radx logit: --screen: '%s' is not a p-value threshold in (0, 1]\n", optarg);
                return 2;
            }
            o->has_screen = 1;
            break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc || !o->in || !o->out || !o->label_col) {
        fprintf(stderr, "radx logit: --in, --out and --label-col are required\n");
        usage(stderr);
        return 2;
    }
    if (o->from_lasso && o->vars) {
        fprintf(stderr, "radx logit: --from-lasso and --vars exclude each other\n");
        return 2;
    }
    if (o->univariable_out && !o->has_screen) {
        fprintf(stderr, "radx logit: --univariable-out goes with --screen\n");
        return 2;
    }
    return 0;
}

/* ---------------------------------------------------------------- variables */

typedef struct logit_model {
    radx_csv *csv;
    int *y;
    radx_design_variable *variables;
    int nvariables;
    radx_design *design;
} logit_model;

static void model_free(logit_model *m)
{
    radx_stats_design_free(m->design);
    free(m->variables);
    free(m->y);
    radx_csv_free(m->csv);
}

/* Without --vars: the columns named by --factor / --ref join the feature
 * columns (a text column is never a feature column by itself); all in
 * table order. */
static radx_status add_named_columns(const radx_csv *csv, const logit_options *o, int **columns, int *ncolumns)
{
    unsigned char *chosen = calloc((size_t)csv->ncols, 1);
    int *all = malloc((size_t)csv->ncols * sizeof *all);
    if (!chosen || !all) {
        free(chosen), free(all);
        return radx_fail(RADX_ERR_NOMEM, "out of memory");
    }
    for (int k = 0; k < *ncolumns; k++) chosen[(*columns)[k]] = 1;
    for (int r = 0; r < o->nrefs + o->nfactors; r++) {
        const char *spec = r < o->nrefs ? o->refs[r] : o->factors[r - o->nrefs];
        size_t len = r < o->nrefs ? (size_t)(strchr(spec, '=') - spec) : strlen(spec);
        for (int c = 0; c < csv->ncols; c++)
            if (strlen(csv->header[c]) == len && strncmp(csv->header[c], spec, len) == 0) chosen[c] = 1;
    }
    int count = 0;
    for (int c = 0; c < csv->ncols; c++)
        if (chosen[c]) all[count++] = c;
    free(chosen);
    free(*columns);
    *columns = all;
    *ncolumns = count;
    return RADX_OK;
}

/* ---------------------------------------------------------------- signature */

typedef struct ranked_feature {
    int column, order;
    double size;
} ranked_feature;

static int compare_ranked(const void *a, const void *b)
{
    const ranked_feature *x = a, *y = b;
    if (x->size != y->size) return x->size > y->size ? -1 : 1;
    return x->order - y->order;
}

/* Population SD (divisor n) of a column; a missing value is an error. */
static radx_status column_sd(const radx_csv *csv, int column, double *sd)
{
    double *v = malloc((size_t)(csv->nrows ? csv->nrows : 1) * sizeof *v), mean = 0, ss = 0;
    if (!v) return radx_fail(RADX_ERR_NOMEM, "out of memory");
    radx_status st = radx_stats_table_matrix(csv, &column, 1, v);
    for (int r = 0; st == RADX_OK && r < csv->nrows; r++) mean += v[r] / csv->nrows;
    for (int r = 0; st == RADX_OK && r < csv->nrows; r++) ss += (v[r] - mean) * (v[r] - mean);
    *sd = sqrt(ss / csv->nrows);
    free(v);
    return st;
}

/* The top-k features of a LASSO selection file by |coef_min| (or, when
 * standardized, |coef_min| x SD). */
static radx_status lasso_top_k(const radx_csv *csv, const char *path, int k, int standardized,
                               int **columns, int *ncolumns)
{
    radx_csv *sel = NULL;
    radx_status st = radx_csv_read(path, &sel);
    if (st != RADX_OK) return st;
    int fc = radx_csv_column(sel, "feature"), cc = radx_csv_column(sel, "coef_min");
    ranked_feature *rank = malloc((size_t)(sel->nrows ? sel->nrows : 1) * sizeof *rank);
    int count = 0;
    if (fc < 0 || cc < 0) st = radx_fail(RADX_ERR_FORMAT, "%s: needs the columns feature and coef_min", path);
    else if (!rank) st = radx_fail(RADX_ERR_NOMEM, "out of memory");
    for (int r = 0; st == RADX_OK && r < sel->nrows; r++) {
        const char *name = sel->cells[r][fc];
        double coef, sd = 0;
        if (!strcmp(name, "intercept") || !strcmp(name, "(Intercept)")) continue;
        if (radx_csv_number(sel->cells[r][cc], &coef) != 0) {
            st = radx_fail(RADX_ERR_FORMAT, "%s: line %d: coef_min '%s' is not a number", path, sel->line[r], sel->cells[r][cc]);
            break;
        }
        if (coef == 0) continue;
        int column = radx_csv_column(csv, name);
        if (column < 0) st = radx_fail(RADX_ERR_PARAM, "%s: feature '%s' is not a column of %s", path, name, csv->path);
        else if (standardized) st = column_sd(csv, column, &sd);
        else sd = 1.0;
        if (st == RADX_OK) rank[count++] = (ranked_feature){column, r, fabs(coef) * sd};
    }
    if (st == RADX_OK && count == 0) st = radx_fail(RADX_ERR_PARAM, "%s: no nonzero coefficient", path);
    if (st == RADX_OK) {
        qsort(rank, (size_t)count, sizeof *rank, compare_ranked);
        if (count > k) count = k;
        *columns = malloc((size_t)count * sizeof **columns);
        if (!*columns) st = radx_fail(RADX_ERR_NOMEM, "out of memory");
        for (int i = 0; st == RADX_OK && i < count; i++) (*columns)[i] = rank[i].column;
        *ncolumns = count;
    }
    free(rank);
    radx_csv_free(sel);
    return st;
}

/* The predictors: --vars, or every feature column; --factor and --ref. */
static int choose_variables(const logit_options *o, logit_model *m)
{
    int *columns = NULL, ncolumns = 0;
    radx_status st;
    if (o->vars) {
        st = radx_stats_table_named(m->csv, o->vars, &columns, &ncolumns);
    } else if (o->from_lasso) {
        st = lasso_top_k(m->csv, o->from_lasso, o->top_k, o->rank_standardized, &columns, &ncolumns);
    } else {
        const char *exclude[] = {o->label_col};
        st = radx_stats_table_features(m->csv, exclude, 1, o->ignore, &columns, &ncolumns);
        if (st == RADX_OK) st = add_named_columns(m->csv, o, &columns, &ncolumns);
    }
    if (st != RADX_OK) {
        fprintf(stderr, "radx logit: %s\n", radx_last_error());
        return 1;
    }
    m->variables = calloc((size_t)(ncolumns ? ncolumns : 1), sizeof *m->variables);
    if (!m->variables) {
        free(columns);
        fprintf(stderr, "radx logit: out of memory\n");
        return 1;
    }
    m->nvariables = ncolumns;
    for (int v = 0; v < ncolumns; v++) {
        const char *name = m->csv->header[columns[v]];
        if (strcmp(name, o->label_col) == 0) {
            fprintf(stderr, "radx logit: the outcome '%s' cannot be a predictor\n", name);
            free(columns);
            return 1;
        }
        m->variables[v].column = name;
        m->variables[v].categorical = -1;
        for (int f = 0; f < o->nfactors; f++)
            if (strcmp(o->factors[f], name) == 0) m->variables[v].categorical = 1;
        for (int r = 0; r < o->nrefs; r++) {
            const char *eq = strchr(o->refs[r], '=');
            if ((size_t)(eq - o->refs[r]) == strlen(name) && strncmp(o->refs[r], name, strlen(name)) == 0) {
                m->variables[v].reference = eq + 1;
                m->variables[v].categorical = 1;
            }
        }
    }
    free(columns);
    for (int r = 0; r < o->nrefs + o->nfactors; r++) { /* every --factor / --ref names a predictor */
        const char *spec = r < o->nrefs ? o->refs[r] : o->factors[r - o->nrefs];
        size_t len = r < o->nrefs ? (size_t)(strchr(spec, '=') - spec) : strlen(spec);
        int found = 0;
        for (int v = 0; v < m->nvariables; v++)
            found |= strlen(m->variables[v].column) == len && strncmp(spec, m->variables[v].column, len) == 0;
        if (!found) {
            fprintf(stderr, "radx logit: %s '%.*s' is not one of the predictors\n", r < o->nrefs ? "--ref" : "--factor",
                    (int)len, spec);
            return 1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- sub-models */

/* The design restricted to the intercept and the variables with keep[v]. */
typedef struct sub_model {
    int nterms;
    int *term;             /* [nterms] index into the full design */
    const char **names;
    double *x;
} sub_model;

static void sub_free(sub_model *s)
{
    free(s->term);
    free(s->names);
    free(s->x);
}

static int sub_make(const radx_design *d, const int *keep, sub_model *s)
{
    memset(s, 0, sizeof *s);
    s->term = malloc((size_t)d->nterms * sizeof *s->term);
    s->names = malloc((size_t)d->nterms * sizeof *s->names);
    if (!s->term || !s->names) return -1;
    for (int j = 0; j < d->nterms; j++)
        if (d->variable_of[j] < 0 || keep[d->variable_of[j]]) {
            s->names[s->nterms] = d->term[j];
            s->term[s->nterms++] = j;
        }
    s->x = malloc((size_t)(d->n ? d->n : 1) * (size_t)s->nterms * sizeof *s->x);
    if (!s->x) return -1;
    for (int64_t i = 0; i < d->n; i++)
        for (int k = 0; k < s->nterms; k++) s->x[i * s->nterms + k] = d->x[i * d->nterms + s->term[k]];
    return 0;
}

/* Fit the sub-model; on failure print the error (with `context`). */
static radx_logit_result *fit_sub(const logit_model *m, const int *keep, const char *context, double conf,
                                  sub_model *s)
{
    if (sub_make(m->design, keep, s)) {
        fprintf(stderr, "radx logit: out of memory\n");
        return NULL;
    }
    radx_logit_result *fit = NULL;
    if (radx_stats_logit_fit(s->x, m->design->n, s->nterms, m->y, s->names, conf, &fit) != RADX_OK) {
        fprintf(stderr, "radx logit: %s%s\n", context, radx_last_error());
        return NULL;
    }
    return fit;
}

/* ---------------------------------------------------------------- output */

static void write_numbers(FILE *f, const double *v, int n)
{
    for (int i = 0; i < n; i++) {
        fputc(',', f);
        radx_csv_write_number(f, v[i]);
    }
}

/* One coefficient row: estimate, se, z, p, or, or_lo, or_hi. */
static void write_coefficient(FILE *f, const radx_logit_result *fit, int k)
{
    const double v[] = {fit->estimate[k], fit->std_error[k], fit->z[k], fit->p_value[k], exp(fit->estimate[k]),
                        exp(fit->ci_lo[k]), exp(fit->ci_hi[k])};
    write_numbers(f, v, 7);
}

static void write_table(FILE *f, const logit_model *m, const sub_model *s, const radx_logit_result *fit)
{
    const radx_design *d = m->design;
    fputs("term,estimate,se,z,p,or,or_lo,or_hi,variable,level,reference_level\n", f);
    for (int k = 0; k < s->nterms; k++) {
        int j = s->term[k], v = d->variable_of[j];
        radx_csv_write_field(f, d->term[j]);
        write_coefficient(f, fit, k);
        fputc(',', f);
        radx_csv_write_field(f, v < 0 ? "(Intercept)" : m->variables[v].column);
        fputc(',', f);
        if (d->level[j]) radx_csv_write_field(f, d->level[j]);
        fputc(',', f);
        if (v >= 0 && d->reference[v]) radx_csv_write_field(f, d->reference[v]);
        fputc('\n', f);
    }
}

static void write_fit(FILE *f, const radx_logit_result *fit)
{
    fputs("n,deviance,null_deviance,aic,loglik,df_residual,df_null,iterations\n", f);
    fprintf(f, "%lld", (long long)fit->n);
    const double v[] = {fit->deviance, fit->null_deviance, fit->aic, fit->loglik, (double)fit->df_residual,
                        (double)fit->df_null, fit->iterations};
    write_numbers(f, v, 7);
    fputc('\n', f);
}

/* Whole-variable tests of the multivariable model: likelihood ratio against
 * the model without the variable (drop1(test = "LRT")) and Wald b'V^-1 b. */
static int write_terms(FILE *f, const logit_model *m, const int *keep, const sub_model *s,
                       const radx_logit_result *fit, const logit_options *o)
{
    fputs("variable,df,deviance_full,deviance_without,lr_statistic,lr_p,wald_chisq,wald_p\n", f);
    int *without = malloc((size_t)m->nvariables * sizeof *without), *terms = malloc((size_t)s->nterms * sizeof *terms);
    if (!without || !terms) {
        free(without), free(terms);
        fprintf(stderr, "radx logit: out of memory\n");
        return 1;
    }
    int rc = 0;
    for (int v = 0; v < m->nvariables && !rc; v++) {
        if (!keep[v]) continue;
        int k = 0;
        for (int t = 0; t < s->nterms; t++)
            if (m->design->variable_of[s->term[t]] == v) terms[k++] = t;
        double wald, wald_p;
        if (radx_stats_logit_wald(fit, terms, k, &wald, &wald_p) != RADX_OK) {
            fprintf(stderr, "radx logit: %s: %s\n", m->variables[v].column, radx_last_error());
            rc = 1;
            break;
        }
        memcpy(without, keep, (size_t)m->nvariables * sizeof *without);
        without[v] = 0;
        sub_model reduced;
        char context[512];
        snprintf(context, sizeof context, "the model without '%s': ", m->variables[v].column);
        radx_logit_result *r = fit_sub(m, without, context, o->conf, &reduced);
        if (r) {
            double lr, lr_p;
            radx_stats_logit_lr_test(fit, r, &lr, &lr_p);
            radx_csv_write_field(f, m->variables[v].column);
            const double row[] = {k, fit->deviance, r->deviance, lr, lr_p, wald, wald_p};
            write_numbers(f, row, 7);
            fputc('\n', f);
        } else {
            rc = 1;
        }
        radx_stats_logit_free(r);
        sub_free(&reduced);
    }
    free(without);
    free(terms);
    return rc;
}

/* ---------------------------------------------------------------- screen */

/* Fit each variable alone; keep[v] = its p < threshold. The variable's p is
 * the Wald p of a one-term variable, else the likelihood-ratio p against the
 * intercept-only model. */
static int screen(const logit_model *m, const logit_options *o, int *keep, FILE *f)
{
    int *alone = calloc((size_t)m->nvariables, sizeof *alone);
    if (!alone) {
        fprintf(stderr, "radx logit: out of memory\n");
        return 1;
    }
    if (f) fputs("variable,term,estimate,se,z,p,or,or_lo,or_hi,variable_p,selected\n", f);
    int rc = 0;
    for (int v = 0; v < m->nvariables && !rc; v++) {
        alone[v] = 1;
        sub_model s;
        char context[512];
        snprintf(context, sizeof context, "univariable model of '%s': ", m->variables[v].column);
        radx_logit_result *fit = fit_sub(m, alone, context, o->conf, &s);
        alone[v] = 0;
        if (!fit) {
            rc = 1;
        } else {
            double p = fit->p_value[1], lr;
            if (s.nterms > 2) { /* several dummies: LR test against the null model */
                radx_logit_result null_model = *fit;
                null_model.deviance = fit->null_deviance;
                null_model.nterms = 1;
                radx_stats_logit_lr_test(fit, &null_model, &lr, &p);
            }
            keep[v] = p < o->screen;
            for (int k = 1; f && k < s.nterms; k++) {
                radx_csv_write_field(f, m->variables[v].column);
                fputc(',', f);
                radx_csv_write_field(f, m->design->term[s.term[k]]);
                write_coefficient(f, fit, k);
                fputc(',', f);
                radx_csv_write_number(f, p);
                fprintf(f, ",%d\n", keep[v]);
            }
        }
        radx_stats_logit_free(fit);
        sub_free(&s);
    }
    free(alone);
    return rc;
}

/* ---------------------------------------------------------------- main */

static int load_model(const logit_options *o, logit_model *m)
{
    memset(m, 0, sizeof *m);
    if (radx_csv_read(o->in, &m->csv) != RADX_OK) {
        fprintf(stderr, "radx logit: %s\n", radx_last_error());
        return 1;
    }
    int label = radx_csv_column(m->csv, o->label_col);
    if (label < 0) {
        fprintf(stderr, "radx logit: %s: no column '%s'\n", o->in, o->label_col);
        return 1;
    }
    m->y = malloc((size_t)(m->csv->nrows ? m->csv->nrows : 1) * sizeof *m->y);
    if (!m->y) {
        fprintf(stderr, "radx logit: out of memory\n");
        return 1;
    }
    if (radx_stats_table_labels(m->csv, label, o->positive, m->y, NULL) != RADX_OK) {
        fprintf(stderr, "radx logit: %s\n", radx_last_error());
        return 1;
    }
    if (choose_variables(o, m)) return 1;
    if (radx_stats_design_build(m->csv, m->variables, m->nvariables, &m->design) != RADX_OK) {
        fprintf(stderr, "radx logit: %s\n", radx_last_error());
        return 1;
    }
    return 0;
}

/* The multivariable model of the kept variables and its outputs. */
/* Per row: the input's columns other than the predictors, unchanged, then
 * the linear predictor x'beta and the fitted probability. */
static void write_scores(FILE *f, const logit_model *m, const sub_model *s, const radx_logit_result *fit)
{
    const radx_csv *csv = m->csv;
    unsigned char *predictor = calloc((size_t)csv->ncols, 1);
    if (!predictor) return;
    for (int v = 0; v < m->nvariables; v++) predictor[radx_csv_column(csv, m->variables[v].column)] = 1;
    for (int c = 0; c < csv->ncols; c++)
        if (!predictor[c]) radx_csv_write_field(f, csv->header[c]), fputc(',', f);
    fputs("linear_predictor,probability\n", f);
    for (int r = 0; r < csv->nrows; r++) {
        for (int c = 0; c < csv->ncols; c++)
            if (!predictor[c]) radx_csv_write_field(f, csv->cells[r][c]), fputc(',', f);
        double eta = 0;
        for (int k = 0; k < s->nterms; k++) eta += s->x[(int64_t)r * s->nterms + k] * fit->estimate[k];
        radx_csv_write_number(f, eta);
        fputc(',', f);
        radx_csv_write_number(f, eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta)));
        fputc('\n', f);
    }
    free(predictor);
}

static int fit_and_write(const logit_model *m, const int *keep, const logit_options *o, FILE *out, FILE *fit_out,
                         FILE *terms_out)
{
    sub_model s;
    radx_logit_result *fit = fit_sub(m, keep, "", o->conf, &s);
    int rc = fit ? 0 : 1;
    if (fit) {
        write_table(out, m, &s, fit);
        if (fit_out) write_fit(fit_out, fit);
        if (terms_out) rc = write_terms(terms_out, m, keep, &s, fit, o);
    }
    if (fit && o->scores_out) {
        FILE *f = fopen(o->scores_out, "w");
        if (!f) {
            fprintf(stderr, "radx logit: cannot write %s\n", o->scores_out);
            rc = 1;
        } else {
            write_scores(f, m, &s, fit);
            if (ferror(f) | fclose(f)) {
                fprintf(stderr, "radx logit: %s: write failed\n", o->scores_out);
                rc = 1;
            }
        }
    }
    radx_stats_logit_free(fit);
    sub_free(&s);
    return rc;
}

int radx_cmd_logit(int argc, char **argv)
{
    logit_options o;
    int rc = parse_options(argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;
    logit_model m;
    int *keep = NULL;
    FILE *out = NULL, *fit_out = NULL, *terms_out = NULL, *uni_out = NULL;
    rc = load_model(&o, &m);
    if (!rc) {
        keep = malloc((size_t)(m.nvariables ? m.nvariables : 1) * sizeof *keep);
        if (!keep) {
            fprintf(stderr, "radx logit: out of memory\n");
            rc = 1;
        }
    }
    for (int v = 0; !rc && v < m.nvariables; v++) keep[v] = 1;
    if (!rc) uni_out = cli_open_output("logit", o.univariable_out, &rc);
    if (!rc && o.has_screen) rc = screen(&m, &o, keep, uni_out);
    if (!rc) out = cli_open_output("logit", o.out, &rc);
    if (!rc) fit_out = cli_open_output("logit", o.fit_out, &rc);
    if (!rc) terms_out = cli_open_output("logit", o.terms_out, &rc);
    if (!rc) rc = fit_and_write(&m, keep, &o, out, fit_out, terms_out);
    if (cli_close_output("logit", out, o.out) | cli_close_output("logit", fit_out, o.fit_out) |
        cli_close_output("logit", terms_out, o.terms_out) | cli_close_output("logit", uni_out, o.univariable_out))
        rc = 1;
    free(keep);
    model_free(&m);
    return rc;
}
