/* Distribution functions the statistics module needs, on top of GSL, in the
 * forms R evaluates them (upper tails computed directly, never as 1 - cdf,
 * so that p-values far in the tail keep their relative accuracy). */
#ifndef RADX_STATS_DIST_H
#define RADX_STATS_DIST_H

/* Upper quantile of F(nu1, nu2): x with P(F > x) = p, R's
 * qf(p, nu1, nu2, lower.tail = FALSE); real degrees of freedom > 0 (also
 * below 1, where gsl_cdf_fdist_Qinv refuses). */
double radx_dist_f_upper_quantile(double p, double nu1, double nu2);

/* P(F > x) for F(nu1, nu2): R's pf(x, nu1, nu2, lower.tail = FALSE). */
double radx_dist_f_upper(double x, double nu1, double nu2);

/* Standard normal quantile, R's qnorm(p). */
double radx_dist_normal_quantile(double p);

/* Two-sided normal p-value 2 P(Z > |z|) = R's 2 * pnorm(-abs(z)). */
double radx_dist_normal_two_sided(double z);

/* Two-sided t p-value 2 P(T_df > |t|) = R's 2 * pt(-abs(t), df). */
double radx_dist_t_two_sided(double t, double df);

/* Upper t quantile: R's qt(p, df, lower.tail = FALSE). */
double radx_dist_t_upper_quantile(double p, double df);

/* P(X > x) for chi-squared(df): R's pchisq(x, df, lower.tail = FALSE). */
double radx_dist_chisq_upper(double x, double df);

#endif
