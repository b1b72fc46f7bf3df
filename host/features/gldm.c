/* GLDM features exactly as PyRadiomics 3.1 radiomics/gldm.py computes them.
 * Notation follows gldm.py's docstrings: P(i,j) voxel counts of grey level
 * value i and dependence size j (dependent neighbours + 1), N_z = sum P
 * (= ROI voxels, every voxel has a dependence zone), p_g(i) = sum_j P(i,j),
 * p_d(j) = sum_i P(i,j), p(i,j) = P(i,j) / N_z, eps = numpy.spacing(1)
 * inside log2. IBSI NGLDM names are given next to each feature.
 * The neighbourhood is the Chebyshev rings listed in `distances` (IBSI: every
 * voxel within the distance); both agree for the default [1]. */
#include "features/gldm.h"

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "features/padded.h"
#include "features/angles.h"
#include "features/marginal_sums.h"

#define GLDM_EPS DBL_EPSILON /* numpy.spacing(1) */

static const radx_feature_def gldm_features[RADX_GLDM_NFEATURES] = {
    {"DependenceEntropy", "FCBV", "IBSI dependence count entropy; PyRadiomics adds eps = 2.2e-16 "
                                  "inside log2"},
    {"DependenceNonUniformity", "Z87G", "IBSI dependence count non-uniformity"},
    {"DependenceNonUniformityNormalized", "OKJI", "IBSI normalised dependence count non-uniformity"},
    {"DependenceVariance", "DNX2", "IBSI dependence count variance"},
    {"GrayLevelNonUniformity", "FP8K", ""},
    {"GrayLevelVariance", "1PFV", ""},
    {"HighGrayLevelEmphasis", "OAE7", "IBSI high grey level count emphasis"},
    {"LargeDependenceEmphasis", "IMOQ", "IBSI high dependence emphasis"},
    {"LargeDependenceHighGrayLevelEmphasis", "9QMG", "IBSI high dependence high grey level emphasis"},
    {"LargeDependenceLowGrayLevelEmphasis", "NBZI", "IBSI high dependence low grey level emphasis"},
    {"LowGrayLevelEmphasis", "TL9H", "IBSI low grey level count emphasis"},
    {"SmallDependenceEmphasis", "SODN", "IBSI low dependence emphasis"},
    {"SmallDependenceHighGrayLevelEmphasis", "JA6D", "IBSI low dependence high grey level emphasis"},
    {"SmallDependenceLowGrayLevelEmphasis", "EQ3F", "IBSI low dependence low grey level emphasis"},
};

/* ---------------------------------------------------------------- matrix */

radx_status radx_gldm_matrix_alloc(int nlevels, int ndependences, radx_gldm_matrix *matrix)
{
    matrix->nlevels = 0;
    matrix->ndependences = 0;
    matrix->counts = NULL;
    if (nlevels < 1 || nlevels > RADX_MAX_GRAY_LEVELS || ndependences < 1)
        return radx_fail(RADX_ERR_LIMIT, "GLDM: %d grey levels x %d dependence sizes", nlevels,
                         ndependences);
    matrix->counts = calloc((size_t)nlevels * (size_t)ndependences, sizeof *matrix->counts);
    if (!matrix->counts)
        return radx_fail(RADX_ERR_NOMEM, "GLDM: cannot allocate a %d x %d matrix", nlevels,
                         ndependences);
    matrix->nlevels = nlevels;
    matrix->ndependences = ndependences;
    return RADX_OK;
}

void radx_gldm_matrix_free(radx_gldm_matrix *matrix)
{
    free(matrix->counts);
    matrix->counts = NULL;
    matrix->nlevels = 0;
    matrix->ndependences = 0;
}

/* Drop the columns past the largest dependence found (PyRadiomics deletes
 * every empty column; trailing ones are enough for the size bound). */
static void trim_columns(radx_gldm_matrix *m, int used)
{
    if (used >= m->ndependences) return;
    for (int i = 0; i < m->nlevels; i++)
        memmove(m->counts + (size_t)i * (size_t)used, m->counts + (size_t)i * (size_t)m->ndependences,
                (size_t)used * sizeof *m->counts);
    m->ndependences = used;
}

/* cmatrices.c calculate_gldm: for every ROI voxel, the number of neighbours
 * (the angles' offsets) that lie in the bounding box and the ROI and whose
 * level differs by at most alpha, counted in row (level) and column
 * (dependence). Neighbours are read from the padded levels (0 = not in the
 * ROI or outside the box). */
static radx_status fill_matrix(const radx_roi *roi, const radx_angle *angles, int nangles,
                               double alpha, radx_gldm_matrix *m)
{
    radx_padded_levels pl;
    radx_status st = radx_padded_levels_make(roi, radx_angles_border(angles, nangles), &pl);
    if (st != RADX_OK) return st;
    ptrdiff_t *steps = malloc((size_t)(nangles > 0 ? nangles : 1) * sizeof *steps);
    if (!steps) {
        radx_padded_levels_free(&pl);
        return radx_fail(RADX_ERR_NOMEM, "GLDM: cannot allocate %d offsets", nangles);
    }
    for (int a = 0; a < nangles; a++) steps[a] = radx_padded_step(&pl, angles[a].offset);
    int maxdep = 0;
    for (int z = 0; z < roi->size[2] && st == RADX_OK; z++)
        for (int y = 0; y < roi->size[1] && st == RADX_OK; y++) {
            const size_t start = (size_t)roi->size[0] * ((size_t)y + (size_t)roi->size[1] * (size_t)z);
            const int *row = radx_padded_row(&pl, y, z);
            for (int x = 0; x < roi->size[0]; x++) {
                size_t i = start + (size_t)x;
                if (!roi->mask[i]) continue;
                int level = roi->levels[i];
                if (level < 1 || level > roi->ng || roi->level_rank[level] < 0) {
                    st = radx_fail(RADX_ERR_INTERNAL, "GLDM: voxel %zu has grey level %d outside "
                                   "the ROI's levels", i, level);
                    break;
                }
                int dep = 0;
                for (int a = 0; a < nangles; a++) {
                    const int neighbour = row[x + steps[a]];
                    if (neighbour != 0 && fabs((double)(level - neighbour)) <= alpha) dep++;
                }
                m->counts[(size_t)roi->level_rank[level] * (size_t)m->ndependences + (size_t)dep]++;
                if (dep > maxdep) maxdep = dep;
            }
        }
    free(steps);
    radx_padded_levels_free(&pl);
    if (st == RADX_OK) trim_columns(m, maxdep + 1);
    return st;
}

radx_status radx_gldm_build(const radx_roi *roi, const radx_feature_opts *opts,
                            radx_gldm_matrix *matrix)
{
    matrix->counts = NULL;
    matrix->nlevels = 0;
    matrix->ndependences = 0;
    if (!roi || !opts || !roi->mask || !roi->levels || !roi->level_values || !roi->level_rank)
        return radx_fail(RADX_ERR_INTERNAL, "GLDM: incomplete ROI or options");
    if (roi->nvoxels < 1 || roi->nlevels < 1) return radx_fail(RADX_ERR_ROI, "GLDM: empty ROI");

    /* _cmatrices.c cmatrices_calculate_gldm: angles for `distances`,
     * bidirectional, out-of-plane axis excluded under force2D. */
    radx_angle *angles = malloc(RADX_MAX_ANGLES * sizeof *angles);
    if (!angles) return radx_fail(RADX_ERR_NOMEM, "GLDM: cannot allocate angles");
    int nangles = radx_angles_generate(roi->size, opts->distances, opts->ndistances,
                                       opts->force2d ? opts->force2d_axis : -1, 1, angles);
    radx_status st;
    if (nangles < 0)
        st = radx_fail(RADX_ERR_PARAM, "GLDM: distances must lie in 1..%d", RADX_MAX_DISTANCES);
    else
        st = radx_gldm_matrix_alloc(roi->nlevels, nangles + 1, matrix);
    if (st == RADX_OK) st = fill_matrix(roi, angles, nangles, opts->gldm_a, matrix);
    if (st != RADX_OK) radx_gldm_matrix_free(matrix);
    free(angles);
    return st;
}

/* -------------------------------------------------------------- features */

static void grey_marginal_features(const double *pg, const int *levels, int nlevels, double nz,
                                   double *out)
{
    radx_marginal_sums g;
    radx_marginal_sums_compute(pg, levels, nlevels, nz, &g);
    out[RADX_GLDM_GRAY_LEVEL_NON_UNIFORMITY] = g.squares / nz;  /* GLN, FP8K */
    /* GLV (1PFV): sum_i p_g(i)/N_z (i - mu)^2, mu = sum_i p_g(i)/N_z i. */
    out[RADX_GLDM_GRAY_LEVEL_VARIANCE] = g.variance;
    out[RADX_GLDM_LOW_GRAY_LEVEL_EMPHASIS] = g.low / nz;        /* LGLE, TL9H: P / i^2 */
    out[RADX_GLDM_HIGH_GRAY_LEVEL_EMPHASIS] = g.high / nz;      /* HGLE, OAE7: P i^2 */
}

/* j = column + 1: the dependent neighbours plus the centre voxel. */
static void dependence_marginal_features(const double *pd, int ndep, double nz, double *out)
{
    radx_marginal_sums d;
    radx_marginal_sums_compute(pd, NULL, ndep, nz, &d);
    out[RADX_GLDM_SMALL_DEPENDENCE_EMPHASIS] = d.low / nz;                       /* SDE, SODN: P / j^2 */
    out[RADX_GLDM_LARGE_DEPENDENCE_EMPHASIS] = d.high / nz;                      /* LDE, IMOQ: P j^2 */
    out[RADX_GLDM_DEPENDENCE_NON_UNIFORMITY] = d.squares / nz;                   /* DN, Z87G */
    out[RADX_GLDM_DEPENDENCE_NON_UNIFORMITY_NORMALIZED] = d.squares / (nz * nz); /* DNN, OKJI */
    /* DV (DNX2): sum_j p_d(j)/N_z (j - mu)^2, mu = sum_j p_d(j)/N_z j. */
    out[RADX_GLDM_DEPENDENCE_VARIANCE] = d.variance;
}

static void joint_features(const radx_gldm_matrix *m, const int *levels, double nz, double *out)
{
    double entropy = 0.0, sdlgle = 0.0, sdhgle = 0.0, ldlgle = 0.0, ldhgle = 0.0;
    for (int i = 0; i < m->nlevels; i++) {
        const int64_t *row = m->counts + (size_t)i * (size_t)m->ndependences;
        double i2 = (double)levels[i] * (double)levels[i];
        for (int c = 0; c < m->ndependences; c++) {
            if (row[c] == 0) continue;
            double P = (double)row[c], j2 = (double)(c + 1) * (double)(c + 1);
            double p = P / nz;
            entropy -= p * log2(p + GLDM_EPS);
            sdlgle += P / (i2 * j2);
            sdhgle += P * i2 / j2;
            ldlgle += P * j2 / i2;
            ldhgle += P * (j2 * i2);
        }
    }
    /* DE (FCBV): -sum p(i,j) log2(p(i,j) + eps), eps = numpy.spacing(1). */
    out[RADX_GLDM_DEPENDENCE_ENTROPY] = entropy;
    out[RADX_GLDM_SMALL_DEPENDENCE_LOW_GRAY_LEVEL_EMPHASIS] = sdlgle / nz;  /* EQ3F: P / (i^2 j^2) */
    out[RADX_GLDM_SMALL_DEPENDENCE_HIGH_GRAY_LEVEL_EMPHASIS] = sdhgle / nz; /* JA6D: P i^2 / j^2 */
    out[RADX_GLDM_LARGE_DEPENDENCE_LOW_GRAY_LEVEL_EMPHASIS] = ldlgle / nz;  /* NBZI: P j^2 / i^2 */
    out[RADX_GLDM_LARGE_DEPENDENCE_HIGH_GRAY_LEVEL_EMPHASIS] = ldhgle / nz; /* 9QMG: P j^2 i^2 */
}

radx_status radx_gldm_matrix_features(const radx_gldm_matrix *matrix, const int *level_values,
                                      double *out)
{
    if (!matrix || !matrix->counts || matrix->nlevels < 1 || matrix->ndependences < 1 ||
        !level_values)
        return radx_fail(RADX_ERR_INTERNAL, "GLDM: empty matrix");
    double *pg = malloc((size_t)matrix->nlevels * sizeof *pg);
    double *pd = malloc((size_t)matrix->ndependences * sizeof *pd);
    if (!pg || !pd) {
        free(pg);
        free(pd);
        return radx_fail(RADX_ERR_NOMEM, "GLDM: cannot allocate marginals");
    }
    /* N_z set to 1 when 0, as gldm.py does. */
    double nz = radx_count_marginals(matrix->counts, matrix->nlevels, matrix->ndependences, pg, pd);
    grey_marginal_features(pg, level_values, matrix->nlevels, nz, out);
    dependence_marginal_features(pd, matrix->ndependences, nz, out);
    joint_features(matrix, level_values, nz, out);
    free(pg);
    free(pd);
    return RADX_OK;
}

/* ----------------------------------------------------------------- class */

static radx_status gldm_compute(const radx_roi *roi, const radx_feature_opts *opts, double *out)
{
    radx_gldm_matrix matrix;
    radx_status st = radx_gldm_build(roi, opts, &matrix);
    if (st != RADX_OK) return st;
    st = radx_gldm_matrix_features(&matrix, roi->level_values, out);
    radx_gldm_matrix_free(&matrix);
    return st;
}

const radx_feature_class radx_class_gldm = {
    "gldm", RADX_GLDM_NFEATURES, gldm_features, gldm_compute,
};
