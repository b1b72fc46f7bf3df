/* Feature-column selection and typed reading of CSV feature tables for the
 * statistics commands (rules in include/radx/stats.h). */
#include "radx/stats.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int radx_stats_cell_missing(const char *cell)
{
    while (*cell == ' ') cell++;
    size_t len = strlen(cell);
    while (len > 0 && cell[len - 1] == ' ') len--;
    if (len == 0) return 1;
    return (len == 2 && strncmp(cell, "NA", 2) == 0) || (len == 3 && strncasecmp(cell, "nan", 3) == 0);
}

/* 1 if every cell is a number or missing and one at least is a number. */
static int column_is_numeric(const radx_csv *csv, int c)
{
    int numbers = 0;
    for (int r = 0; r < csv->nrows; r++) {
        double v;
        if (radx_csv_number(csv->cells[r][c], &v) == 0) numbers++;
        else if (!radx_stats_cell_missing(csv->cells[r][c])) return 0;
    }
    return numbers > 0;
}

/* Calls visit(name, length) for each non-empty comma-separated name of `list`;
 * stops at the first non-zero return and returns it. */
static int for_each_name(const char *list, int (*visit)(const char *, size_t, void *), void *context)
{
    if (!list) return 0;
    for (const char *p = list;;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n > 0) {
            int result = visit(p, n, context);
            if (result) return result;
        }
        if (!end) return 0;
        p = end + 1;
    }
}

typedef struct name_search {
    const radx_csv *csv;
    const char *wanted;   /* for in_list */
    int *columns, count;  /* for named lists */
    char missing[256];
} name_search;

static int matches_wanted(const char *name, size_t n, void *context)
{
    const name_search *s = context;
    return strlen(s->wanted) == n && strncmp(s->wanted, name, n) == 0;
}

static int in_list(const char *list, const char *name)
{
    name_search s = {.wanted = name};
    return for_each_name(list, matches_wanted, &s);
}

/* Column index of a name given as (pointer, length), or -1. */
static int column_of(const radx_csv *csv, const char *name, size_t n)
{
    for (int c = 0; c < csv->ncols; c++)
        if (strlen(csv->header[c]) == n && strncmp(csv->header[c], name, n) == 0) return c;
    return -1;
}

static int collect_column(const char *name, size_t n, void *context)
{
    name_search *s = context;
    int c = column_of(s->csv, name, n);
    if (c < 0) {
        size_t keep = n < sizeof s->missing - 1 ? n : sizeof s->missing - 1;
        memcpy(s->missing, name, keep);
        s->missing[keep] = '\0';
        return 1;
    }
    if (s->columns) s->columns[s->count] = c;
    s->count++;
    return 0;
}

radx_status radx_stats_table_named(const radx_csv *csv, const char *names, int **columns, int *ncolumns)
{
    *columns = NULL;
    *ncolumns = 0;
    name_search s = {.csv = csv};
    if (for_each_name(names, collect_column, &s))
        return radx_fail(RADX_ERR_PARAM, "%s: no column '%s'", csv->path, s.missing);
    s.columns = malloc((size_t)(s.count ? s.count : 1) * sizeof *s.columns);
    if (!s.columns) return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", csv->path);
    s.count = 0;
    for_each_name(names, collect_column, &s);
    *columns = s.columns;
    *ncolumns = s.count;
    return RADX_OK;
}

radx_status radx_stats_table_features(const radx_csv *csv, const char *const *exclude, int nexclude,
                                      const char *ignore, int **columns, int *ncolumns)
{
    *columns = NULL;
    *ncolumns = 0;
    for (int e = 0; e < nexclude; e++)
        if (exclude[e] && radx_csv_column(csv, exclude[e]) < 0)
            return radx_fail(RADX_ERR_PARAM, "%s: no column '%s'", csv->path, exclude[e]);
    name_search check = {.csv = csv};
    if (for_each_name(ignore, collect_column, &check))
        return radx_fail(RADX_ERR_PARAM, "%s: --ignore: no column '%s'", csv->path, check.missing);
    int *chosen = malloc((size_t)(csv->ncols ? csv->ncols : 1) * sizeof *chosen);
    if (!chosen) return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", csv->path);
    int count = 0;
    for (int c = 0; c < csv->ncols; c++) {
        const char *name = csv->header[c];
        int skip = strncmp(name, "diagnostics_", 12) == 0 || in_list(ignore, name);
        for (int e = 0; e < nexclude && !skip; e++) skip = exclude[e] && strcmp(exclude[e], name) == 0;
        if (!skip && column_is_numeric(csv, c)) chosen[count++] = c;
    }
    if (count == 0) {
        free(chosen);
        return radx_fail(RADX_ERR_FORMAT, "%s: no numeric feature columns", csv->path);
    }
    *columns = chosen;
    *ncolumns = count;
    return RADX_OK;
}

/* The error for a cell that should hold a number. */
static radx_status bad_cell(const radx_csv *csv, int row, int column)
{
    const char *cell = csv->cells[row][column];
    return radx_fail(RADX_ERR_FORMAT, "%s: row %d (line %d), column '%s': %s value '%s'", csv->path,
                     row + 1, csv->line[row], csv->header[column],
                     radx_stats_cell_missing(cell) ? "missing" : "non-numeric", cell);
}

radx_status radx_stats_table_matrix(const radx_csv *csv, const int *columns, int ncolumns, double *x)
{
    for (int r = 0; r < csv->nrows; r++)
        for (int j = 0; j < ncolumns; j++)
            if (radx_csv_number(csv->cells[r][columns[j]], &x[(int64_t)r * ncolumns + j]) != 0)
                return bad_cell(csv, r, columns[j]);
    return RADX_OK;
}

/* 1 if two cells name the same value: numerically when both are numbers. */
static int same_value(const char *a, const char *b)
{
    double va, vb;
    if (radx_csv_number(a, &va) == 0 && radx_csv_number(b, &vb) == 0) return va == vb;
    return strcmp(a, b) == 0;
}

radx_status radx_stats_table_labels(const radx_csv *csv, int column, const char *positive, int *y,
                                    int64_t *npositive)
{
    if (!positive) positive = "1";
    const char *negative = NULL;
    int64_t count = 0;
    for (int r = 0; r < csv->nrows; r++) {
        const char *cell = csv->cells[r][column];
        if (radx_stats_cell_missing(cell))
            return radx_fail(RADX_ERR_FORMAT, "%s: row %d (line %d), column '%s': missing label",
                             csv->path, r + 1, csv->line[r], csv->header[column]);
        if (same_value(cell, positive)) {
            y[r] = 1;
            count++;
        } else if (!negative || same_value(cell, negative)) {
            negative = cell;
            y[r] = 0;
        } else {
            return radx_fail(RADX_ERR_FORMAT,
                             "%s: row %d (line %d), column '%s': third label value '%s' (the column "
                             "must hold two values, '%s' for the positive class and one other)",
                             csv->path, r + 1, csv->line[r], csv->header[column], cell, positive);
        }
    }
    if (npositive) *npositive = count;
    return RADX_OK;
}

typedef struct level_key {
    const char *text;
    double value;
    int numeric;
} level_key;

static int compare_levels(const void *a, const void *b)
{
    const level_key *x = a, *y = b;
    if (x->numeric && y->numeric) return (x->value > y->value) - (x->value < y->value);
    return strcmp(x->text, y->text);
}

/* Position of `key` among the sorted distinct levels (it is one of them). */
static int find_level(const level_key *distinct, int count, const level_key *key)
{
    int lo = 0, hi = count - 1;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (compare_levels(&distinct[mid], key) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

radx_status radx_stats_table_levels(const radx_csv *csv, int column, const char ***levels, int *nlevels,
                                    int *index)
{
    *levels = NULL;
    *nlevels = 0;
    int n = csv->nrows, numeric = 1;
    level_key *keys = malloc((size_t)(n > 0 ? n : 1) * sizeof *keys);
    level_key *distinct = malloc((size_t)(n > 0 ? n : 1) * sizeof *distinct);
    const char **names = malloc((size_t)(n > 0 ? n : 1) * sizeof *names);
    if (!keys || !distinct || !names) {
        free(keys), free(distinct), free(names);
        return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", csv->path);
    }
    for (int r = 0; r < n; r++) {
        const char *cell = csv->cells[r][column];
        if (radx_stats_cell_missing(cell)) {
            free(keys), free(distinct), free(names);
            return radx_fail(RADX_ERR_FORMAT, "%s: row %d (line %d), column '%s': missing value",
                             csv->path, r + 1, csv->line[r], csv->header[column]);
        }
        keys[r].text = cell;
        if (radx_csv_number(cell, &keys[r].value) != 0) numeric = 0;
    }
    for (int r = 0; r < n; r++) keys[r].numeric = numeric;
    memcpy(distinct, keys, (size_t)n * sizeof *keys);
    qsort(distinct, (size_t)n, sizeof *distinct, compare_levels);
    int count = 0;
    for (int r = 0; r < n; r++)
        if (count == 0 || compare_levels(&distinct[r], &distinct[count - 1]) != 0) distinct[count++] = distinct[r];
    for (int i = 0; i < count; i++) names[i] = distinct[i].text;
    if (index)
        for (int r = 0; r < n; r++) index[r] = find_level(distinct, count, &keys[r]);
    free(keys);
    free(distinct);
    *levels = names;
    *nlevels = count;
    return RADX_OK;
}
