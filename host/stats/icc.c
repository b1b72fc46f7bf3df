/* Intraclass correlation ICC(A,1) and ICC(C,1) with their F-based confidence
 * intervals: McGraw & Wong (1996), Psychol. Methods 1(1):30-46, Table 4
 * (estimators) and Table 7 (intervals), which psych::ICC(lmer = FALSE)
 * reports as ICC2 and ICC3. */
#include "radx/stats.h"
#include "core/error.h"
#include "stats/dist.h"

#include <math.h>
#include <stdlib.h>

/* Two-way ANOVA without replication: mean squares of rows (subjects),
 * columns (raters) and residual. */
static radx_status anova_mean_squares(const double *x, int64_t n, int k, radx_icc_result *out)
{
    double *row_mean = calloc((size_t)n, sizeof *row_mean);
    double *col_mean = calloc((size_t)k, sizeof *col_mean);
    if (!row_mean || !col_mean) {
        free(row_mean), free(col_mean);
        return radx_fail(RADX_ERR_NOMEM, "icc: out of memory");
    }
    double grand = 0;
    for (int64_t i = 0; i < n; i++)
        for (int j = 0; j < k; j++) {
            row_mean[i] += x[i * k + j];
            col_mean[j] += x[i * k + j];
            grand += x[i * k + j];
        }
    for (int64_t i = 0; i < n; i++) row_mean[i] /= k;
    for (int j = 0; j < k; j++) col_mean[j] /= (double)n;
    grand /= (double)n * k;
    double ss_rows = 0, ss_cols = 0, ss_error = 0;
    for (int64_t i = 0; i < n; i++) ss_rows += (row_mean[i] - grand) * (row_mean[i] - grand);
    for (int j = 0; j < k; j++) ss_cols += (col_mean[j] - grand) * (col_mean[j] - grand);
    for (int64_t i = 0; i < n; i++)
        for (int j = 0; j < k; j++) {
            double e = x[i * k + j] - row_mean[i] - col_mean[j] + grand;
            ss_error += e * e;
        }
    out->ms_rows = k * ss_rows / (double)(n - 1);
    out->ms_cols = (double)n * ss_cols / (k - 1);
    out->ms_error = ss_error / ((double)(n - 1) * (k - 1));
    free(row_mean);
    free(col_mean);
    return RADX_OK;
}

/* ICC(C,1) = (MSR - MSE) / (MSR + (k - 1) MSE) and its interval from
 * F = MSR/MSE: F_L = F / F_{1-a/2}(n-1, (n-1)(k-1)), F_U = F F_{1-a/2}((n-1)(k-1), n-1),
 * bounds (F_L - 1)/(F_L + k - 1), (F_U - 1)/(F_U + k - 1) (McGraw & Wong, Table 7, case 3). */
static void consistency(radx_icc_result *r, double alpha)
{
    int k = r->n_raters;
    r->icc_c1 = (r->ms_rows - r->ms_error) / (r->ms_rows + (k - 1) * r->ms_error);
    double fl = r->f_value / radx_dist_f_upper_quantile(alpha / 2, r->df1, r->df2);
    double fu = r->f_value * radx_dist_f_upper_quantile(alpha / 2, r->df2, r->df1);
    r->icc_c1_lo = (fl - 1) / (fl + k - 1);
    r->icc_c1_hi = (fu - 1) / (fu + k - 1);
    if (isinf(r->f_value)) r->icc_c1_lo = r->icc_c1_hi = 1.0; /* MSE = 0: perfect consistency */
}

/* ICC(A,1) = (MSR - MSE) / (MSR + (k - 1) MSE + k (MSC - MSE) / n) and its
 * interval with Satterthwaite's df
 *   v = (a MSC + b MSE)^2 / ((a MSC)^2/(k - 1) + (b MSE)^2/((n - 1)(k - 1))),
 *   a = k ICC / (n (1 - ICC)), b = 1 + k ICC (n - 1) / (n (1 - ICC)),
 * bounds n (MSR - F* MSE) / (F* (k MSC + (kn - k - n) MSE) + n MSR) with
 * F* = F_{1-a/2}(n - 1, v), and n (F** MSR - MSE) / (k MSC + (kn - k - n) MSE + n F** MSR)
 * with F** = F_{1-a/2}(v, n - 1) (McGraw & Wong, Table 7, case 2A/3A). */
static void absolute_agreement(radx_icc_result *r, double alpha)
{
    double n = (double)r->n_subjects, k = r->n_raters;
    double msr = r->ms_rows, msc = r->ms_cols, mse = r->ms_error;
    double icc = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n);
    r->icc_a1 = icc;
    double a = k * icc / (n * (1 - icc));
    double b = 1 + k * icc * (n - 1) / (n * (1 - icc));
    double v = (a * msc + b * mse) * (a * msc + b * mse) /
               ((a * msc) * (a * msc) / (k - 1) + (b * mse) * (b * mse) / ((n - 1) * (k - 1)));
    r->a1_df = v;
    double fs = radx_dist_f_upper_quantile(alpha / 2, n - 1, v);
    double fss = radx_dist_f_upper_quantile(alpha / 2, v, n - 1);
    double spread = k * msc + (k * n - k - n) * mse;
    r->icc_a1_lo = n * (msr - fs * mse) / (fs * spread + n * msr);
    r->icc_a1_hi = n * (fss * msr - mse) / (spread + n * fss * msr);
    if (icc == 1.0) r->icc_a1_lo = r->icc_a1_hi = 1.0; /* MSC = MSE = 0: perfect agreement */
}

radx_status radx_stats_icc_compute(const double *x, int64_t n, int k, double conf, radx_icc_result *out)
{
    if (n < 2 || k < 2)
        return radx_fail(RADX_ERR_PARAM, "icc: need at least 2 subjects and 2 raters (got %lld x %d)",
                         (long long)n, k);
    if (!(conf > 0 && conf < 1))
        return radx_fail(RADX_ERR_PARAM, "icc: confidence level %g is not in (0, 1)", conf);
    for (int64_t i = 0; i < n * k; i++)
        if (!isfinite(x[i]))
            return radx_fail(RADX_ERR_PARAM, "icc: subject %lld, rater %d: value is not finite",
                             (long long)(i / k) + 1, (int)(i % k) + 1);
    out->n_subjects = n;
    out->n_raters = k;
    radx_status st = anova_mean_squares(x, n, k, out);
    if (st != RADX_OK) return st;
    out->df1 = (double)(n - 1);
    out->df2 = (double)(n - 1) * (k - 1);
    out->f_value = out->ms_rows / out->ms_error;
    out->p_value = radx_dist_f_upper(out->f_value, out->df1, out->df2);
    double alpha = 1 - conf;
    consistency(out, alpha);
    absolute_agreement(out, alpha);
    return RADX_OK;
}
