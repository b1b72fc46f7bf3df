/* Feature-column selection, z-scores and correlation clustering (see
 * decorrelate.h). */
#include "stats/decorrelate.h"
#include "core/error.h"
#include "radx/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ feature matrix */

/* The same markers as the stats table reader (radx/stats.h). */
int radx_cell_missing(const char *cell)
{
    return radx_stats_cell_missing(cell);
}

void radx_feature_matrix_free(radx_feature_matrix *m)
{
    if (!m) return;
    free(m->columns);
    free(m->x);
    memset(m, 0, sizeof *m);
}

/* Fill m->x from the chosen columns; a missing or non-numeric cell is an
 * error naming the row (1-based data row and file line) and column. */
static radx_status fill_matrix(const radx_csv *csv, radx_feature_matrix *m)
{
    m->csv = csv;
    m->nrows = csv->nrows;
    m->x = malloc((size_t)(m->nrows ? m->nrows : 1) * (size_t)(m->nfeatures ? m->nfeatures : 1) * sizeof *m->x);
    if (!m->x) return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", csv->path);
    return radx_stats_table_matrix(csv, m->columns, m->nfeatures, m->x);
}

/* The columns radx_stats_table_features chooses (the rules of radx/stats.h
 * and decorrelate.h are the same), then their values. */
radx_status radx_feature_matrix_select(const radx_csv *csv, const char *const *exclude, int nexclude,
                                       const char *ignore, radx_feature_matrix *out)
{
    memset(out, 0, sizeof *out);
    radx_status st = radx_stats_table_features(csv, exclude, nexclude, ignore, &out->columns, &out->nfeatures);
    if (st == RADX_OK) st = fill_matrix(csv, out);
    if (st != RADX_OK) radx_feature_matrix_free(out);
    return st;
}

radx_status radx_feature_matrix_named(const radx_csv *csv, const char *const *names, int n,
                                      radx_feature_matrix *out)
{
    memset(out, 0, sizeof *out);
    out->columns = malloc((size_t)(n ? n : 1) * sizeof *out->columns);
    if (!out->columns) return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", csv->path);
    for (int j = 0; j < n; j++) {
        out->columns[j] = radx_csv_column(csv, names[j]);
        if (out->columns[j] < 0) {
            radx_feature_matrix_free(out);
            return radx_fail(RADX_ERR_PARAM, "%s: no column '%s'", csv->path, names[j]);
        }
    }
    out->nfeatures = n;
    radx_status st = fill_matrix(csv, out);
    if (st != RADX_OK) radx_feature_matrix_free(out);
    return st;
}

/* ------------------------------------------------------------ levels */

typedef struct level_sort {
    const char *text;
    double value;
    int numeric;
} level_sort;

static int compare_levels(const void *a, const void *b)
{
    const level_sort *x = a, *y = b;
    if (x->numeric && y->numeric) return (x->value > y->value) - (x->value < y->value);
    return strcmp(x->text, y->text);
}

radx_status radx_column_levels(const radx_csv *csv, int column, const char ***levels, int *nlevels,
                               int *index)
{
    *levels = NULL;
    *nlevels = 0;
    int n = csv->nrows, numeric = 1;
    level_sort *all = malloc((n > 0 ? (size_t)n : 1) * sizeof *all);
    if (!all) return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", csv->path);
    for (int r = 0; r < n; r++) {
        const char *cell = csv->cells[r][column];
        if (radx_cell_missing(cell)) {
            free(all);
            return radx_fail(RADX_ERR_FORMAT, "%s: row %d (line %d), column '%s': missing value", csv->path,
                             r + 1, csv->line[r], csv->header[column]);
        }
        all[r].text = cell;
        if (radx_csv_number(cell, &all[r].value) != 0) numeric = 0;
    }
    for (int r = 0; r < n; r++) all[r].numeric = numeric;
    qsort(all, (size_t)n, sizeof *all, compare_levels);
    const char **lv = malloc((n > 0 ? (size_t)n : 1) * sizeof *lv);
    if (!lv) {
        free(all);
        return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", csv->path);
    }
    int count = 0;
    for (int r = 0; r < n; r++)
        if (count == 0 || compare_levels(&all[r], &all[r - 1]) != 0) lv[count++] = all[r].text;
    for (int r = 0; r < n; r++) {
        level_sort key = {csv->cells[r][column], 0, numeric};
        if (numeric) radx_csv_number(key.text, &key.value);
        int lo = 0, hi = count - 1;
        while (lo < hi) { /* binary search over the sorted distinct levels */
            int mid = (lo + hi) / 2;
            level_sort probe = {lv[mid], 0, numeric};
            if (numeric) radx_csv_number(probe.text, &probe.value);
            if (compare_levels(&probe, &key) < 0) lo = mid + 1;
            else hi = mid;
        }
        index[r] = lo;
    }
    free(all);
    *levels = lv;
    *nlevels = count;
    return RADX_OK;
}

/* ------------------------------------------------------------ z-score */

radx_status radx_zscore(double *x, int64_t n, int p, const unsigned char *train, double *mean,
                        double *sd)
{
    int64_t ntrain = 0;
    for (int64_t i = 0; i < n; i++) ntrain += !train || train[i];
    if (ntrain < 2) return radx_fail(RADX_ERR_PARAM, "z-score needs at least two training rows");
    for (int j = 0; j < p; j++) {
        long double s = 0;
        for (int64_t i = 0; i < n; i++)
            if (!train || train[i]) s += x[i * p + j];
        double m = (double)(s / ntrain);
        long double ss = 0;
        for (int64_t i = 0; i < n; i++)
            if (!train || train[i]) ss += (x[i * p + j] - m) * (x[i * p + j] - m);
        double v = (double)(ss / (ntrain - 1));
        if (!(v > 0)) return radx_fail(RADX_ERR_NUMERIC, "z-score: feature %d is constant on the training rows", j + 1);
        mean[j] = m;
        sd[j] = sqrt(v);
        for (int64_t i = 0; i < n; i++) x[i * p + j] = (x[i * p + j] - m) / sd[j];
    }
    return RADX_OK;
}

/* ------------------------------------------------------------ univariable AUC */

typedef struct value_class {
    double x;
    double y;
} value_class;

static int compare_value(const void *a, const void *b)
{
    double x = ((const value_class *)a)->x, y = ((const value_class *)b)->x;
    return (x > y) - (x < y);
}

double radx_univariable_auc(const double *x, int64_t n, int stride, const double *y, const unsigned char *train)
{
    value_class *v = malloc((size_t)(n > 0 ? n : 1) * sizeof *v);
    if (!v) return NAN;
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++)
        if (!train || train[i]) v[m++] = (value_class){x[i * stride], y[i]};
    qsort(v, (size_t)m, sizeof *v, compare_value);
    /* sum of the mid-ranks of the positives (Mann-Whitney / Wilcoxon) */
    double rank_sum = 0, n1 = 0;
    for (int64_t i = 0; i < m;) {
        int64_t k = i;
        while (k < m && v[k].x == v[i].x) k++;
        double mid = (double)(i + 1 + k) / 2; /* ranks i+1..k */
        for (int64_t t = i; t < k; t++)
            if (v[t].y == 1) {
                rank_sum += mid;
                n1++;
            }
        i = k;
    }
    double n0 = (double)m - n1;
    free(v);
    if (n1 == 0 || n0 == 0) return NAN;
    return (rank_sum - n1 * (n1 + 1) / 2) / (n1 * n0);
}

/* ------------------------------------------------------------ decorrelation */

/* Pearson correlation matrix (p x p) over the training rows: centred
 * cross-products divided by the product of root sums of squares. */
static radx_status correlations(const double *x, int64_t n, int p, const unsigned char *train, double *r)
{
    double *c = malloc((size_t)n * (size_t)p * sizeof *c);
    double *norm = malloc((size_t)p * sizeof *norm);
    if (!c || !norm) {
        free(c); free(norm);
        return radx_fail(RADX_ERR_NOMEM, "decorrelate: out of memory");
    }
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++) {
        if (train && !train[i]) continue;
        memcpy(c + m * p, x + i * p, (size_t)p * sizeof *c);
        m++;
    }
    radx_status st = RADX_OK;
    for (int j = 0; j < p && st == RADX_OK; j++) {
        long double s = 0;
        for (int64_t i = 0; i < m; i++) s += c[i * p + j];
        double mean = (double)(s / m);
        long double ss = 0;
        for (int64_t i = 0; i < m; i++) {
            c[i * p + j] -= mean;
            ss += c[i * p + j] * c[i * p + j];
        }
        norm[j] = sqrt((double)ss);
        if (!(norm[j] > 0))
            st = radx_fail(RADX_ERR_NUMERIC, "decorrelate: feature %d is constant (correlation undefined)", j + 1);
    }
    for (int a = 0; a < p && st == RADX_OK; a++) {
        r[a * p + a] = 1;
        for (int b = a + 1; b < p; b++) {
            long double s = 0;
            for (int64_t i = 0; i < m; i++) s += c[i * p + a] * c[i * p + b];
            double v = (double)s / (norm[a] * norm[b]);
            r[a * p + b] = r[b * p + a] = fmax(-1.0, fmin(1.0, v));
        }
    }
    free(c);
    free(norm);
    return st;
}

/* -1 if feature x is preferred to y: larger priority first, lexicographically
 * over the priority arrays; NaN ranks last; then the first column. */
static int compare_rank(int x, int y, const double *const *priorities, int npriorities)
{
    for (int k = 0; k < npriorities; k++) {
        double px = priorities[k][x], py = priorities[k][y];
        int nx = isnan(px), ny = isnan(py);
        if (nx != ny) return nx - ny;
        if (!nx && px != py) return px > py ? -1 : 1;
    }
    return (x > y) - (x < y);
}

/* Features in order of preference (insertion sort: stable, no globals). */
static void rank_features(int *order, int p, const double *const *priorities, int npriorities)
{
    for (int j = 0; j < p; j++) order[j] = j;
    for (int i = 1; i < p; i++) {
        int v = order[i], k = i - 1;
        while (k >= 0 && compare_rank(order[k], v, priorities, npriorities) > 0) {
            order[k + 1] = order[k];
            k--;
        }
        order[k + 1] = v;
    }
}

radx_status radx_decorrelate(const double *x, int64_t n, int p, const unsigned char *train,
                             double threshold, const double *const *priorities, int npriorities,
                             int *cluster, int *representative, double *r_to_rep)
{
    if (!(threshold >= 0 && threshold <= 1))
        return radx_fail(RADX_ERR_PARAM, "decorrelate: threshold %g is not in [0, 1]", threshold);
    int64_t ntrain = 0;
    for (int64_t i = 0; i < n; i++) ntrain += !train || train[i];
    if (ntrain < 3) return radx_fail(RADX_ERR_PARAM, "decorrelate needs at least three rows");
    double *r = malloc((size_t)p * (size_t)p * sizeof *r);
    int *order = malloc((size_t)p * sizeof *order);
    if (!r || !order) {
        free(r); free(order);
        return radx_fail(RADX_ERR_NOMEM, "decorrelate: out of memory");
    }
    radx_status st = correlations(x, n, p, train, r);
    if (st == RADX_OK) {
        rank_features(order, p, priorities, npriorities);
        for (int j = 0; j < p; j++) {
            cluster[j] = 0;
            representative[j] = 0;
        }
        int clusters = 0;
        for (int k = 0; k < p; k++) {
            int rep = order[k];
            if (cluster[rep]) continue;
            cluster[rep] = ++clusters;
            representative[rep] = 1;
            r_to_rep[rep] = 1;
            for (int j = 0; j < p; j++)
                if (!cluster[j] && fabs(r[rep * p + j]) > threshold) {
                    cluster[j] = clusters;
                    r_to_rep[j] = r[rep * p + j];
                }
        }
    }
    free(r);
    free(order);
    return st;
}
