/* Baseline-table hypothesis tests as R's stats package computes them:
 * t.test (Welch, Student), wilcox.test (normal approximation with ties and
 * continuity correction), chisq.test and fisher.test. */
#include "radx/stats.h"
#include "core/error.h"
#include "stats/dist.h"
#include "stats/roc_common.h"

#include <float.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- t tests */

/* Mean and variance (divisor n - 1), two-pass. */
static void mean_and_variance(const double *x, int64_t n, double *mean, double *var)
{
    double m = 0, ss = 0;
    for (int64_t i = 0; i < n; i++) m += x[i];
    m /= (double)n;
    for (int64_t i = 0; i < n; i++) ss += (x[i] - m) * (x[i] - m);
    *mean = m;
    *var = n > 1 ? ss / (double)(n - 1) : NAN;
}

static radx_status check_sample(const char *what, const double *x, int64_t n, int64_t minimum)
{
    if (n < minimum) return radx_fail(RADX_ERR_PARAM, "%s: a group has %lld values; need %lld", what, (long long)n, (long long)minimum);
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return radx_fail(RADX_ERR_PARAM, "%s: value %lld is not finite", what, (long long)i + 1);
    return RADX_OK;
}

radx_status radx_stats_ttest(const double *x, int64_t nx, const double *y, int64_t ny, int equal_var,
                             double conf, radx_ttest_result *out)
{
    memset(out, 0, sizeof *out);
    radx_status st = check_sample("t test", x, nx, equal_var ? 1 : 2);
    if (st == RADX_OK) st = check_sample("t test", y, ny, equal_var ? 1 : 2);
    if (st != RADX_OK) return st;
    if (equal_var && nx + ny < 3) return radx_fail(RADX_ERR_PARAM, "t test: need 3 values or more");
    if (!(conf > 0 && conf < 1)) return radx_fail(RADX_ERR_PARAM, "t test: confidence level %g is not in (0, 1)", conf);
    double vx, vy;
    out->n_x = nx;
    out->n_y = ny;
    mean_and_variance(x, nx, &out->mean_x, &vx);
    mean_and_variance(y, ny, &out->mean_y, &vy);
    out->sd_x = sqrt(vx);
    out->sd_y = sqrt(vy);
    if (equal_var) { /* R: pooled v = ((nx - 1) vx + (ny - 1) vy) / df, stderr = sqrt(v (1/nx + 1/ny)) */
        out->df = (double)(nx + ny - 2);
        double v = 0;
        if (nx > 1) v += (double)(nx - 1) * vx;
        if (ny > 1) v += (double)(ny - 1) * vy;
        v /= out->df;
        out->std_error = sqrt(v * (1.0 / (double)nx + 1.0 / (double)ny));
    } else { /* Welch-Satterthwaite: df = se^4 / (se_x^4 / (nx - 1) + se_y^4 / (ny - 1)) */
        double sx = sqrt(vx / (double)nx), sy = sqrt(vy / (double)ny);
        out->std_error = sqrt(sx * sx + sy * sy);
        out->df = pow(out->std_error, 4) / (pow(sx, 4) / (double)(nx - 1) + pow(sy, 4) / (double)(ny - 1));
    }
    /* R refuses "essentially constant" data the same way */
    if (out->std_error < 10 * DBL_EPSILON * fmax(fabs(out->mean_x), fabs(out->mean_y)))
        return radx_fail(RADX_ERR_NUMERIC, "t test: the data are essentially constant");
    out->t = (out->mean_x - out->mean_y) / out->std_error;
    out->p_value = radx_dist_t_two_sided(out->t, out->df);
    double q = radx_dist_t_upper_quantile((1 - conf) / 2, out->df);
    out->ci_lo = (out->t - q) * out->std_error;
    out->ci_hi = (out->t + q) * out->std_error;
    return RADX_OK;
}

/* ---------------------------------------------------------------- rank sum */

/* Sum over groups of equal values of t^3 - t, with the group counts. */
static void tie_statistics(const double *sorted, int64_t n, radx_ranksum_result *out)
{
    for (int64_t i = 0; i < n;) {
        int64_t j = i + 1;
        while (j < n && sorted[j] == sorted[i]) j++;
        double t = (double)(j - i);
        if (j - i > 1) {
            out->tie_term += t * t * t - t;
            out->n_tie_groups++;
            out->n_tied_values += j - i;
        }
        i = j;
    }
}

radx_status radx_stats_ranksum(const double *x, int64_t nx, const double *y, int64_t ny, int correct,
                               radx_ranksum_result *out)
{
    memset(out, 0, sizeof *out);
    radx_status st = check_sample("rank-sum test", x, nx, 1);
    if (st == RADX_OK) st = check_sample("rank-sum test", y, ny, 1);
    if (st != RADX_OK) return st;
    double *sx = malloc((size_t)nx * sizeof *sx), *sy = malloc((size_t)ny * sizeof *sy);
    double *all = malloc((size_t)(nx + ny) * sizeof *all);
    if (!sx || !sy || !all) {
        free(sx), free(sy), free(all);
        return radx_fail(RADX_ERR_NOMEM, "rank-sum test: out of memory");
    }
    memcpy(sx, x, (size_t)nx * sizeof *sx);
    memcpy(sy, y, (size_t)ny * sizeof *sy);
    qsort(sx, (size_t)nx, sizeof *sx, roc_compare_doubles);
    qsort(sy, (size_t)ny, sizeof *sy, roc_compare_doubles);
    memcpy(all, sx, (size_t)nx * sizeof *all);
    memcpy(all + nx, sy, (size_t)ny * sizeof *all);
    qsort(all, (size_t)(nx + ny), sizeof *all, roc_compare_doubles);
    /* W = (sum of x's mid-ranks) - nx (nx + 1) / 2 = #{x > y} + #{x = y} / 2 */
    out->w = (double)roc_twice_mann_whitney(sx, nx, sy, ny) / 2.0;
    tie_statistics(all, nx + ny, out);
    double n = (double)(nx + ny), prod = (double)nx * (double)ny;
    out->auc = out->w / prod;
    out->sigma = sqrt(prod / 12 * ((n + 1) - out->tie_term / (n * (n - 1))));
    double d = out->w - prod / 2;
    double correction = correct ? (d > 0 ? 0.5 : d < 0 ? -0.5 : 0) : 0;
    out->z = (d - correction) / out->sigma;
    out->p_value = radx_dist_normal_two_sided(out->z);
    free(sx), free(sy), free(all);
    return RADX_OK;
}

/* ---------------------------------------------------------------- tables */

/* Row and column totals and the grand total; an empty row or column, or a
 * negative count, is an error. */
static radx_status table_margins(const char *what, const int64_t *table, int rows, int cols, int64_t *row_total,
                                 int64_t *col_total, int64_t *total)
{
    if (rows < 2 || cols < 2) return radx_fail(RADX_ERR_PARAM, "%s: the table is %d x %d; need 2 x 2 or larger", what, rows, cols);
    *total = 0;
    for (int c = 0; c < cols; c++) col_total[c] = 0;
    for (int r = 0; r < rows; r++) {
        row_total[r] = 0;
        for (int c = 0; c < cols; c++) {
            int64_t v = table[r * cols + c];
            if (v < 0) return radx_fail(RADX_ERR_PARAM, "%s: cell (%d, %d) is negative", what, r + 1, c + 1);
            row_total[r] += v;
            col_total[c] += v;
            *total += v;
        }
    }
    for (int r = 0; r < rows; r++)
        if (!row_total[r]) return radx_fail(RADX_ERR_PARAM, "%s: row %d of the table is empty", what, r + 1);
    for (int c = 0; c < cols; c++)
        if (!col_total[c]) return radx_fail(RADX_ERR_PARAM, "%s: column %d of the table is empty", what, c + 1);
    return RADX_OK;
}

enum { MAX_TABLE_SIDE = 64 };

radx_status radx_stats_chisq(const int64_t *table, int rows, int cols, int correct, radx_chisq_result *out)
{
    memset(out, 0, sizeof *out);
    if (rows > MAX_TABLE_SIDE || cols > MAX_TABLE_SIDE)
        return radx_fail(RADX_ERR_LIMIT, "chi-squared test: more than %d rows or columns", MAX_TABLE_SIDE);
    int64_t row_total[MAX_TABLE_SIDE], col_total[MAX_TABLE_SIDE], total;
    radx_status st = table_margins("chi-squared test", table, rows, cols, row_total, col_total, &total);
    if (st != RADX_OK) return st;
    double expected[MAX_TABLE_SIDE * MAX_TABLE_SIDE];
    out->min_expected = INFINITY;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            double e = (double)row_total[r] * (double)col_total[c] / (double)total;
            expected[r * cols + c] = e;
            out->min_expected = fmin(out->min_expected, e);
        }
    if (correct && rows == 2 && cols == 2) { /* R: YATES <- min(0.5, abs(x - E)) over the table */
        out->yates = 0.5;
        for (int i = 0; i < 4; i++) out->yates = fmin(out->yates, fabs((double)table[i] - expected[i]));
    }
    for (int i = 0; i < rows * cols; i++) {
        double d = fabs((double)table[i] - expected[i]) - out->yates;
        out->statistic += d * d / expected[i];
    }
    out->df = (double)(rows - 1) * (cols - 1);
    out->p_value = radx_dist_chisq_upper(out->statistic, out->df);
    return RADX_OK;
}

/* ------------------------------------------------ Fisher: r x 2 enumeration */

/* Every table with the observed margins, for r x 2: a_i = count in column 0
 * of row i, sum a_i = column-0 total; log P(table) = sum_i lchoose(n_i, a_i)
 * - lchoose(N, m) (multivariate hypergeometric; Vandermonde normalises). */
typedef struct fisher_walk {
    int rows;
    const int64_t *row_total;
    int64_t *capacity_after;  /* [rows] sum of the row totals after row i */
    double log_observed, log_norm, p;
    int64_t ntables, limit;
} fisher_walk;

static int walk_rows(fisher_walk *w, int row, int64_t left, double log_p)
{
    if (row == w->rows) {
        if (++w->ntables > w->limit) return -1;
        /* R: sum(d[d <= d_obs * (1 + 1e-7)]) */
        if (log_p - w->log_observed <= log1p(1e-7)) w->p += exp(log_p - w->log_norm);
        return 0;
    }
    int64_t lo = left - w->capacity_after[row] > 0 ? left - w->capacity_after[row] : 0;
    int64_t hi = left < w->row_total[row] ? left : w->row_total[row];
    for (int64_t a = lo; a <= hi; a++)
        if (walk_rows(w, row + 1, left - a, log_p + gsl_sf_lnchoose((unsigned)w->row_total[row], (unsigned)a)))
            return -1;
    return 0;
}

/* Two-sided p of an r x 2 table (column 0 counts in col0[i]). */
static radx_status fisher_r_by_2(const int64_t *col0, const int64_t *row_total, int rows, int64_t m,
                                 int64_t total, radx_fisher_result *out)
{
    int64_t capacity_after[MAX_TABLE_SIDE];
    int64_t after = 0;
    for (int r = rows - 1; r >= 0; r--) {
        capacity_after[r] = after;
        after += row_total[r];
    }
    fisher_walk w = {rows, row_total, capacity_after, 0, gsl_sf_lnchoose((unsigned)total, (unsigned)m), 0, 0,
                     (int64_t)100000000};
    for (int r = 0; r < rows; r++) w.log_observed += gsl_sf_lnchoose((unsigned)row_total[r], (unsigned)col0[r]);
    if (walk_rows(&w, 0, m, 0.0))
        return radx_fail(RADX_ERR_LIMIT, "Fisher's exact test: more than %lld tables with these margins",
                         (long long)w.limit);
    out->p_value = fmin(1.0, w.p);
    out->ntables = w.ntables;
    return RADX_OK;
}

/* ------------------------------------------------ Fisher: 2 x 2 odds ratio */

/* The noncentral hypergeometric distribution of t00 given the margins
 * (R fisher.test's dnhyper): P(s) proportional to dhyper(s; m, n, k) e^(theta s)
 * on lo..hi. */
typedef struct nc_hyper {
    int64_t lo, hi;
    double *log_dhyper;   /* [hi - lo + 1] */
    double *d;            /* scratch: the normalised probabilities */
} nc_hyper;

static void nc_density(const nc_hyper *h, double theta)
{
    int64_t count = h->hi - h->lo + 1;
    double top = -INFINITY;
    for (int64_t i = 0; i < count; i++) {
        h->d[i] = h->log_dhyper[i] + theta * (double)(h->lo + i);
        top = fmax(top, h->d[i]);
    }
    double sum = 0;
    for (int64_t i = 0; i < count; i++) sum += h->d[i] = exp(h->d[i] - top);
    for (int64_t i = 0; i < count; i++) h->d[i] /= sum;
}

static double nc_mean(const nc_hyper *h, double theta)
{
    nc_density(h, theta);
    double mean = 0;
    for (int64_t i = 0; i <= h->hi - h->lo; i++) mean += (double)(h->lo + i) * h->d[i];
    return mean;
}

/* P(X <= x) (upper = 0) or P(X >= x) (upper = 1) at log odds ratio theta. */
static double nc_tail(const nc_hyper *h, int64_t x, double theta, int upper)
{
    nc_density(h, theta);
    double p = 0;
    for (int64_t s = h->lo; s <= h->hi; s++)
        if (upper ? s >= x : s <= x) p += h->d[s - h->lo];
    return p;
}

typedef struct nc_equation {
    const nc_hyper *h;
    int64_t x;
    int kind;        /* 0: mean = x; 1: P(X <= x) = target; 2: P(X >= x) = target */
    double target;
} nc_equation;

/* Increasing in theta for every kind (P(X <= x) is decreasing: negated). */
static double nc_residual(const nc_equation *e, double theta)
{
    switch (e->kind) {
    case 0: return nc_mean(e->h, theta) - (double)e->x;
    case 1: return e->target - nc_tail(e->h, e->x, theta, 0);
    default: return nc_tail(e->h, e->x, theta, 1) - e->target;
    }
}

/* Root in theta of an increasing residual, by bracketing and bisection to
 * machine precision (R's uniroot stops at tol 1.2e-4; radx converges). */
static double solve_log_odds(const nc_equation *e)
{
    double a = -1, b = 1;
    while (nc_residual(e, a) > 0 && a > -1e4) a *= 2;
    while (nc_residual(e, b) < 0 && b < 1e4) b *= 2;
    for (int i = 0; i < 2000; i++) {
        double mid = a + (b - a) / 2;
        if (mid <= a || mid >= b) break;
        if (nc_residual(e, mid) < 0) a = mid;
        else b = mid;
    }
    return a + (b - a) / 2;
}

/* Conditional MLE of the odds ratio and its CI (R fisher.test, 2 x 2). */
static radx_status fisher_odds_ratio(const int64_t *t, double conf, radx_fisher_result *out)
{
    int64_t x = t[0], m = t[0] + t[2], n = t[1] + t[3], k = t[0] + t[1];
    nc_hyper h = {k - n > 0 ? k - n : 0, k < m ? k : m, NULL, NULL};
    int64_t count = h.hi - h.lo + 1;
    h.log_dhyper = malloc((size_t)count * sizeof *h.log_dhyper);
    h.d = malloc((size_t)count * sizeof *h.d);
    if (!h.log_dhyper || !h.d) {
        free(h.log_dhyper), free(h.d);
        return radx_fail(RADX_ERR_NOMEM, "Fisher's exact test: out of memory");
    }
    for (int64_t s = h.lo; s <= h.hi; s++) /* log dhyper(s; m, n, k) up to a constant */
        h.log_dhyper[s - h.lo] = gsl_sf_lnchoose((unsigned)m, (unsigned)s) + gsl_sf_lnchoose((unsigned)n, (unsigned)(k - s));
    double alpha = (1 - conf) / 2;
    nc_equation mle = {&h, x, 0, 0}, upper = {&h, x, 1, alpha}, lower = {&h, x, 2, alpha};
    out->odds_ratio = x == h.lo ? 0 : x == h.hi ? INFINITY : exp(solve_log_odds(&mle));
    out->or_hi = x == h.hi ? INFINITY : exp(solve_log_odds(&upper));
    out->or_lo = x == h.lo ? 0 : exp(solve_log_odds(&lower));
    double num = (double)t[0] * (double)t[3], den = (double)t[1] * (double)t[2];
    out->sample_or = den > 0 ? num / den : num > 0 ? INFINITY : NAN;
    free(h.log_dhyper);
    free(h.d);
    return RADX_OK;
}

radx_status radx_stats_fisher(const int64_t *table, int rows, int cols, double conf, radx_fisher_result *out)
{
    memset(out, 0, sizeof *out);
    out->odds_ratio = out->or_lo = out->or_hi = out->sample_or = NAN;
    if (!(conf > 0 && conf < 1)) return radx_fail(RADX_ERR_PARAM, "Fisher's exact test: confidence level %g is not in (0, 1)", conf);
    if (rows > 2 && cols > 2)
        return radx_fail(RADX_ERR_UNSUPPORTED, "Fisher's exact test: %d x %d tables are not supported (r x 2 or 2 x c only)", rows, cols);
    if (rows > MAX_TABLE_SIDE || cols > MAX_TABLE_SIDE)
        return radx_fail(RADX_ERR_LIMIT, "Fisher's exact test: more than %d rows or columns", MAX_TABLE_SIDE);
    int64_t row_total[MAX_TABLE_SIDE], col_total[MAX_TABLE_SIDE], total;
    radx_status st = table_margins("Fisher's exact test", table, rows, cols, row_total, col_total, &total);
    if (st != RADX_OK) return st;
    if (total > (int64_t)0x7fffffff) return radx_fail(RADX_ERR_LIMIT, "Fisher's exact test: more than 2^31 counts");
    int64_t col0[MAX_TABLE_SIDE];
    if (cols == 2) { /* r x 2: the column-0 counts vary */
        for (int r = 0; r < rows; r++) col0[r] = table[r * 2];
        st = fisher_r_by_2(col0, row_total, rows, col_total[0], total, out);
    } else { /* 2 x c: transposed */
        for (int c = 0; c < cols; c++) col0[c] = table[c];
        st = fisher_r_by_2(col0, col_total, cols, row_total[0], total, out);
    }
    if (st == RADX_OK && rows == 2 && cols == 2) st = fisher_odds_ratio(table, conf, out);
    return st;
}
