/* GLRLM features reduced on the device from the run matrices of
 * kernels/glrlm.cl (still in device memory), as host/features/glrlm.c
 * radx_glrlm_matrix_features computes them (PyRadiomics 3.1 glrlm.py), in
 * the same order of operations, double precision (cl_khr_fp64), no fused
 * multiply-add. Only the features go back to the host, which averages the
 * angles with radx_glrlm_combine (glrlm.py: empty angles deleted, nanmean).
 *
 * Notation of glrlm.py: P(i,j) run counts of grey-level value i and run
 * length j, N_r = sum P, p_g(i) = sum_j P(i,j), p_r(j) = sum_i P(i,j),
 * N_p = sum_j j p_r(j), eps = numpy.spacing(1) inside log2.
 *
 * One work-item per (job, angle) item: item t belongs to the last job whose
 * reserved[1] (its first item, host/cl/glrlm_cl.c) is <= t. A job whose
 * reserved[0] is 1 (weightingNorm set) is reduced once, by its first item,
 * from P = sum over angles of counts * weight (glrlm.py, angle weights
 * from the host: radx_glrlm_angle_weight); its other items do nothing.
 * An angle whose multi flag is 0 counts as all zero (calculate_glrlm
 * "multiElement", as radx_glrlm_build zeroes it).
 *
 * Output per item: RADX_GLRLM_NFEATURES (16) doubles in enum order
 * (host/features/glrlm.h) and the "empty" flag (N_r = 0) as a 17th. */
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#pragma OPENCL FP_CONTRACT OFF

#define GLRLM_NF 16
#define GLRLM_EPS 2.220446049250313080847e-16 /* DBL_EPSILON, numpy.spacing(1) */

/* enum radx_glrlm_feature (host/features/glrlm.h) */
enum {
    GLN = 0, GLNN, GLV, HGLRE, LRE, LRHGLE, LRLGLE, LGLRE, RE, RLN, RLNN, RP, RV, SRE, SRHGLE, SRLGLE
};

typedef struct glrlm_view {
    __global const uint *counts;     /* the job's first angle's matrix */
    __global const uint *multi;      /* the job's first angle's flag */
    __global const double *weights;  /* the job's first angle's weight */
    int first, nangles;              /* angles summed into P */
    int nlevels, width;
} glrlm_view;

/* P(i, r): the count (or the weighted sum over angles, in angle order, as
 * radx_glrlm_accumulate) of row i, run length r + 1. */
double glrlm_cell(const glrlm_view *v, int i, int r)
{
    size_t cells = (size_t)v->nlevels * v->width;
    double p = 0.0;
    for (int a = v->first; a < v->first + v->nangles; a++) {
        double c = v->multi[a] ? (double)v->counts[a * cells + (size_t)i * v->width + r] : 0.0;
        p += c * v->weights[a];           /* weight 1.0 without weightingNorm: exact */
    }
    return p;
}

/* N_r, summed as host/features/glrlm.c marginals: rows, each row's cells. */
double glrlm_runs(const glrlm_view *v)
{
    double nr = 0.0;
    for (int i = 0; i < v->nlevels; i++) {
        double pg = 0.0;
        for (int r = 0; r < v->width; r++) pg += glrlm_cell(v, i, r);
        nr += pg;
    }
    return nr;
}

/* p_r(r), summed over rows in order (marginals). */
double glrlm_pr(const glrlm_view *v, int r)
{
    double pr = 0.0;
    for (int i = 0; i < v->nlevels; i++) pr += glrlm_cell(v, i, r);
    return pr;
}

/* p_g(i), summed over run lengths in order (marginals). */
double glrlm_pg(const glrlm_view *v, int i)
{
    double pg = 0.0;
    for (int r = 0; r < v->width; r++) pg += glrlm_cell(v, i, r);
    return pg;
}

/* glrlm.c run_length_features: functions of p_r alone (j = run length). */
void glrlm_run_length_features(const glrlm_view *v, double nr, __global double *f)
{
    double sre = 0, lre = 0, rln = 0, np = 0, uj = 0;
    for (int r = 0; r < v->width; r++) {
        double j = r + 1, pr = glrlm_pr(v, r);
        sre += pr / (j * j);              /* ShortRunEmphasis (22OV) */
        lre += pr * (j * j);              /* LongRunEmphasis (W4KF) */
        rln += pr * pr;                   /* RunLengthNonUniformity (W92Y) */
        np += pr * j;                     /* N_p, number of voxels */
        uj += (pr / nr) * j;              /* mu_j of p_r / N_r */
    }
    double rv = 0;                        /* RunVariance (SXLW): sum p(j) (j - mu)^2 */
    for (int r = 0; r < v->width; r++) {
        double j = r + 1;
        rv += (glrlm_pr(v, r) / nr) * ((j - uj) * (j - uj));
    }
    f[SRE] = sre / nr;
    f[LRE] = lre / nr;
    f[RLN] = rln / nr;
    f[RLNN] = rln / (nr * nr);            /* IC23 */
    f[RP] = nr / np;                      /* 9ZK5: N_r / N_p */
    f[RV] = rv;
}

/* glrlm.c grey_level_features: functions of p_g alone (i = level value). */
void glrlm_grey_level_features(const glrlm_view *v, __global const int *lv, double nr,
                               __global double *f)
{
    double gln = 0, lglre = 0, hglre = 0, ui = 0;
    for (int g = 0; g < v->nlevels; g++) {
        double i = lv[g], pg = glrlm_pg(v, g);
        gln += pg * pg;                   /* GrayLevelNonUniformity (R5YN) */
        lglre += pg / (i * i);            /* LowGrayLevelRunEmphasis (V3SW) */
        hglre += pg * (i * i);            /* HighGrayLevelRunEmphasis (G3QZ) */
        ui += (pg / nr) * i;
    }
    double glv = 0;                       /* GrayLevelVariance (8CE5) */
    for (int g = 0; g < v->nlevels; g++) {
        double i = lv[g];
        glv += (glrlm_pg(v, g) / nr) * ((i - ui) * (i - ui));
    }
    f[GLN] = gln / nr;
    f[GLNN] = gln / (nr * nr);            /* OVBL */
    f[LGLRE] = lglre / nr;
    f[HGLRE] = hglre / nr;
    f[GLV] = glv;
}

/* RunEntropy takes log2(p + eps) of p = P / N_r: for integer counts below
 * this bound the logarithm is computed once per distinct count (glrlm.c
 * GLRLM_LOG_CACHE; the same operands give the same value). */
#define GLRLM_LOG_CACHE 64

/* glrlm.c joint_features: the nonzero cells in row-major order. */
void glrlm_joint_features(const glrlm_view *v, __global const int *lv, double nr, __global double *f)
{
    double srlgle = 0, srhgle = 0, lrlgle = 0, lrhgle = 0, entropy = 0;
    double log_cache[GLRLM_LOG_CACHE];
    uchar cached[GLRLM_LOG_CACHE];
    for (int k = 0; k < GLRLM_LOG_CACHE; k++) cached[k] = 0;
    for (int g = 0; g < v->nlevels; g++) {
        double i2 = (double)lv[g] * (double)lv[g];
        for (int r = 0; r < v->width; r++) {
            double c = glrlm_cell(v, g, r);
            if (c == 0.0) continue;
            double j2 = (double)(r + 1) * (double)(r + 1);
            double p = c / nr;
            srlgle += c / (i2 * j2);      /* ShortRunLowGrayLevelEmphasis (HTZT) */
            srhgle += c * i2 / j2;        /* ShortRunHighGrayLevelEmphasis (GD3A) */
            lrlgle += c * j2 / i2;        /* LongRunLowGrayLevelEmphasis (IVPO) */
            lrhgle += c * (j2 * i2);      /* LongRunHighGrayLevelEmphasis (3KUM) */
            double lg;                    /* log2(p + eps), the same for the same count */
            if (c >= 1.0 && c < GLRLM_LOG_CACHE && c == (double)(int)c) {
                const int k = (int)c;
                if (!cached[k]) {
                    log_cache[k] = log2(p + GLRLM_EPS);
                    cached[k] = 1;
                }
                lg = log_cache[k];
            } else {
                lg = log2(p + GLRLM_EPS);
            }
            entropy += p * lg;            /* RunEntropy (HJ9O) */
        }
    }
    f[SRLGLE] = srlgle / nr;
    f[SRHGLE] = srhgle / nr;
    f[LRLGLE] = lrlgle / nr;
    f[LRHGLE] = lrhgle / nr;
    f[RE] = -entropy;
}

/* The job of item t: the last job whose first item (reserved[1]) is <= t. */
int glrlm_find_item_job(__global const radx_cl_job *jobs, int njobs, int t)
{
    int lo = 0, hi = njobs - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) >> 1;
        if (jobs[mid].reserved[1] <= t) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}

__kernel void radx_glrlm_features(__global const radx_cl_roi_desc *rois,
                                  __global const radx_cl_job *jobs, int njobs, int nitems,
                                  __global const uint *counts, __global const uint *multi,
                                  __global const double *weights,
                                  __global const int *level_values, __global const int *level_starts,
                                  __global double *out)
{
    int t = get_global_id(0);
    if (t >= nitems) return;
    int j = glrlm_find_item_job(jobs, njobs, t);
    const radx_cl_job job = jobs[j];
    int a = t - job.reserved[1];
    int weighted = job.reserved[0];
    if (weighted && a > 0) return;
    glrlm_view v;
    v.counts = counts + job.output_offset;
    v.multi = multi + job.reserved[1];
    v.weights = weights + job.reserved[1];
    v.first = a;
    v.nangles = weighted ? job.nangles : 1;
    v.nlevels = rois[job.roi].nlevels;
    v.width = job.width;
    __global const int *lv = level_values + level_starts[j];
    __global double *f = out + (size_t)t * (GLRLM_NF + 1);
    double nr = glrlm_runs(&v);
    if (nr > 0.0) {
        glrlm_run_length_features(&v, nr, f);
        glrlm_grey_level_features(&v, lv, nr, f);
        glrlm_joint_features(&v, lv, nr, f);
        f[GLRLM_NF] = 0.0;
    } else {
        for (int k = 0; k < GLRLM_NF; k++) f[k] = NAN; /* glrlm.py: N_r = 0 -> NaN */
        f[GLRLM_NF] = 1.0;
    }
}
