/* Distribution helpers on GSL (see dist.h). */
#include "stats/dist.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>

double radx_dist_f_upper_quantile(double p, double nu1, double nu2)
{
    /* If X ~ F(nu1, nu2) then B = nu1 X / (nu1 X + nu2) ~ Beta(nu1/2, nu2/2)
     * and 1 - B ~ Beta(nu2/2, nu1/2), so X = (nu2/nu1) B / (1 - B). Both B
     * and 1 - B are taken from their own quantile functions, so neither is
     * formed by cancellation when the quantile is large. GSL's inversion
     * does not end on NaN arguments: those give NaN here. */
    if (!(p > 0 && p < 1 && nu1 > 0 && nu2 > 0) || isinf(nu1) || isinf(nu2)) return NAN;
    double b = gsl_cdf_beta_Qinv(p, nu1 / 2, nu2 / 2);
    double one_minus_b = gsl_cdf_beta_Pinv(p, nu2 / 2, nu1 / 2);
    return (nu2 / nu1) * b / one_minus_b;
}

double radx_dist_f_upper(double x, double nu1, double nu2)
{
    if (isnan(x)) return NAN;
    if (isinf(x)) return x > 0 ? 0.0 : 1.0;
    return gsl_cdf_fdist_Q(x, nu1, nu2);
}

double radx_dist_normal_quantile(double p) { return gsl_cdf_ugaussian_Pinv(p); }

double radx_dist_normal_two_sided(double z)
{
    /* P(Z > |z|) = erfc(|z| / sqrt 2) / 2: no cancellation in the tail. */
    return erfc(fabs(z) / sqrt(2.0));
}

double radx_dist_t_two_sided(double t, double df)
{
    /* 2 P(T > |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2), the regularised
     * incomplete beta function (Abramowitz & Stegun 26.5.27 / 26.7.1), which
     * keeps its relative accuracy far in the tail */
    if (isnan(t) || !(df > 0)) return NAN;
    if (isinf(t)) return 0.0;
    return gsl_sf_beta_inc(df / 2, 0.5, df / (df + t * t));
}

double radx_dist_t_upper_quantile(double p, double df) { return gsl_cdf_tdist_Qinv(p, df); }

double radx_dist_chisq_upper(double x, double df) { return gsl_cdf_chisq_Q(x, df); }
