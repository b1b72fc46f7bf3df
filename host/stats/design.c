/* Design matrices for regression from a feature table: numeric variables
 * as they are, categorical ones as treatment contrasts against a reference
 * level (R's model.matrix with contr.treatment), intercept first. */
#include "radx/stats.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

void radx_stats_design_free(radx_design *d)
{
    if (!d) return;
    for (int j = 0; j < d->nterms; j++) {
        if (d->term) free(d->term[j]);
        if (d->level) free(d->level[j]);
    }
    for (int v = 0; v < d->nvariables; v++)
        if (d->reference) free(d->reference[v]);
    free(d->term);
    free(d->level);
    free(d->reference);
    free(d->variable_of);
    free(d->x);
    free(d);
}

/* 1 if every cell of the column is a number; a missing cell is an error. */
static radx_status column_kind(const radx_csv *csv, int column, int *numeric)
{
    *numeric = 1;
    for (int r = 0; r < csv->nrows; r++) {
        const char *cell = csv->cells[r][column];
        double v;
        if (radx_stats_cell_missing(cell))
            return radx_fail(RADX_ERR_FORMAT, "%s: row %d (line %d), column '%s': missing value '%s'", csv->path,
                             r + 1, csv->line[r], csv->header[column], cell);
        if (radx_csv_number(cell, &v) != 0) *numeric = 0;
    }
    return RADX_OK;
}

/* Append a term (its name is malloc'd here). */
static radx_status add_term(radx_design *d, const char *name, int variable, const char *level)
{
    int j = d->nterms;
    char **term = realloc(d->term, (size_t)(j + 1) * sizeof *term);
    if (term) d->term = term;
    char **lv = realloc(d->level, (size_t)(j + 1) * sizeof *lv);
    if (lv) d->level = lv;
    int *of = realloc(d->variable_of, (size_t)(j + 1) * sizeof *of);
    if (of) d->variable_of = of;
    if (!term || !lv || !of) return radx_fail(RADX_ERR_NOMEM, "design: out of memory");
    d->term[j] = strdup(name);
    d->level[j] = level ? strdup(level) : NULL;
    d->variable_of[j] = variable;
    d->nterms++;
    if (!d->term[j] || (level && !d->level[j])) return radx_fail(RADX_ERR_NOMEM, "design: out of memory");
    return RADX_OK;
}

/* The terms of one categorical variable: a dummy per non-reference level. */
static radx_status add_categorical(radx_design *d, const radx_csv *csv, int column, int v, const char *reference)
{
    const char **levels = NULL;
    int nlevels = 0;
    radx_status st = radx_stats_table_levels(csv, column, &levels, &nlevels, NULL);
    if (st != RADX_OK) return st;
    int ref = reference ? -1 : 0;
    for (int l = 0; reference && l < nlevels; l++)
        if (strcmp(levels[l], reference) == 0) ref = l;
    if (ref < 0) st = radx_fail(RADX_ERR_PARAM, "%s: column '%s' has no level '%s'", csv->path, csv->header[column], reference);
    else if (nlevels < 2)
        st = radx_fail(RADX_ERR_NUMERIC, "%s: column '%s' has a single level '%s': it cannot enter a model", csv->path,
                       csv->header[column], levels[0]);
    if (st == RADX_OK && !(d->reference[v] = strdup(levels[ref]))) st = radx_fail(RADX_ERR_NOMEM, "design: out of memory");
    for (int l = 0; st == RADX_OK && l < nlevels; l++) {
        if (l == ref) continue;
        size_t size = strlen(csv->header[column]) + strlen(levels[l]) + 1;
        char *name = malloc(size);
        if (!name) st = radx_fail(RADX_ERR_NOMEM, "design: out of memory");
        else {
            snprintf(name, size, "%s%s", csv->header[column], levels[l]); /* R: variable name + level */
            st = add_term(d, name, v, levels[l]);
            free(name);
        }
    }
    free(levels);
    return st;
}

/* Fill the design values, one column per term. */
static void fill_values(radx_design *d, const radx_csv *csv, const int *columns)
{
    for (int r = 0; r < csv->nrows; r++)
        for (int j = 0; j < d->nterms; j++) {
            double *cell = &d->x[(int64_t)r * d->nterms + j];
            int v = d->variable_of[j];
            if (v < 0) *cell = 1.0;
            else if (d->level[j]) *cell = strcmp(csv->cells[r][columns[v]], d->level[j]) == 0;
            else radx_csv_number(csv->cells[r][columns[v]], cell);
        }
}

/* Categorical levels are compared as text; numeric levels such as "1" and
 * "1.0" would be two levels, so numeric categorical columns must be written
 * consistently (radx writes them so). */
radx_status radx_stats_design_build(const radx_csv *csv, const radx_design_variable *variables, int nvariables,
                                    radx_design **out)
{
    *out = NULL;
    radx_design *d = calloc(1, sizeof *d);
    int *columns = malloc((size_t)(nvariables > 0 ? nvariables : 1) * sizeof *columns);
    if (d) d->reference = calloc((size_t)(nvariables > 0 ? nvariables : 1), sizeof *d->reference);
    if (!d || !columns || !d->reference) {
        free(columns);
        radx_stats_design_free(d);
        return radx_fail(RADX_ERR_NOMEM, "design: out of memory");
    }
    d->n = csv->nrows;
    d->nvariables = nvariables;
    radx_status st = add_term(d, "(Intercept)", -1, NULL);
    for (int v = 0; st == RADX_OK && v < nvariables; v++) {
        columns[v] = radx_csv_column(csv, variables[v].column);
        if (columns[v] < 0) {
            st = radx_fail(RADX_ERR_PARAM, "%s: no column '%s'", csv->path, variables[v].column);
            break;
        }
        int numeric;
        st = column_kind(csv, columns[v], &numeric);
        if (st != RADX_OK) break;
        int categorical = variables[v].categorical >= 0 ? variables[v].categorical : !numeric;
        if (!categorical && !numeric)
            st = radx_fail(RADX_ERR_FORMAT, "%s: column '%s' is not numeric: make it categorical", csv->path,
                           variables[v].column);
        else if (categorical) st = add_categorical(d, csv, columns[v], v, variables[v].reference);
        else if (variables[v].reference)
            st = radx_fail(RADX_ERR_PARAM, "%s: column '%s' is numeric: a reference level applies to categorical "
                                           "variables", csv->path, variables[v].column);
        else st = add_term(d, variables[v].column, v, NULL);
    }
    if (st == RADX_OK) {
        d->x = malloc((size_t)(d->n ? d->n : 1) * (size_t)d->nterms * sizeof *d->x);
        if (!d->x) st = radx_fail(RADX_ERR_NOMEM, "design: out of memory");
        else fill_values(d, csv, columns);
    }
    free(columns);
    if (st != RADX_OK) {
        radx_stats_design_free(d);
        return st;
    }
    *out = d;
    return RADX_OK;
}
