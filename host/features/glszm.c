/* GLSZM features exactly as PyRadiomics 3.1 radiomics/glszm.py computes them.
 * Notation follows glszm.py's docstrings: P(i,j) zone counts of grey level
 * value i and zone size j, N_z = sum P (number of zones), p_g(i) = sum_j
 * P(i,j), p_s(j) = sum_i P(i,j), N_p = sum_j j p_s(j) (ROI voxels),
 * p(i,j) = P(i,j) / N_z, eps = numpy.spacing(1) inside log2. */
#include "features/glszm.h"

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "features/marginal_sums.h"
#include "features/angles.h"
#include "features/padded.h"

#define GLSZM_EPS DBL_EPSILON /* numpy.spacing(1) */

static const radx_feature_def glszm_features[RADX_GLSZM_NFEATURES] = {
    {"GrayLevelNonUniformity", "JNSA", ""},
    {"GrayLevelNonUniformityNormalized", "Y1RO", ""},
    {"GrayLevelVariance", "BYLV", ""},
    {"HighGrayLevelZoneEmphasis", "5GN9", ""},
    {"LargeAreaEmphasis", "48P8", ""},
    {"LargeAreaHighGrayLevelEmphasis", "J17V", ""},
    {"LargeAreaLowGrayLevelEmphasis", "YH51", ""},
    {"LowGrayLevelZoneEmphasis", "XMSY", ""},
    {"SizeZoneNonUniformity", "4JP3", ""},
    {"SizeZoneNonUniformityNormalized", "VB3A", ""},
    {"SmallAreaEmphasis", "5QRC", "IBSI 'small zone emphasis'; ibsi-doc prints no code, 5QRC from "
                                  "DICOM CID 218 / mirp"},
    {"SmallAreaHighGrayLevelEmphasis", "HW1V", ""},
    {"SmallAreaLowGrayLevelEmphasis", "5RAI", ""},
    {"ZoneEntropy", "GU8N", "PyRadiomics adds eps = 2.2e-16 inside log2"},
    {"ZonePercentage", "P30P", ""},
    {"ZoneVariance", "3NSA", ""},
};

/* ---------------------------------------------------------------- matrix */

radx_status radx_glszm_matrix_alloc(int nlevels, int64_t nsizes, radx_glszm_matrix *matrix)
{
    matrix->nlevels = 0;
    matrix->nsizes = 0;
    matrix->counts = NULL;
    if (nlevels < 1 || nlevels > RADX_MAX_GRAY_LEVELS || nsizes < 1 ||
        (uint64_t)nsizes > SIZE_MAX / sizeof(int64_t) / (size_t)nlevels)
        return radx_fail(RADX_ERR_LIMIT, "GLSZM: %d grey levels x %lld zone sizes is too large",
                         nlevels, (long long)nsizes);
    matrix->counts = calloc((size_t)nlevels * (size_t)nsizes, sizeof *matrix->counts);
    if (!matrix->counts)
        return radx_fail(RADX_ERR_NOMEM, "GLSZM: cannot allocate a %d x %lld matrix", nlevels,
                         (long long)nsizes);
    matrix->nlevels = nlevels;
    matrix->nsizes = nsizes;
    return RADX_OK;
}

void radx_glszm_matrix_free(radx_glszm_matrix *matrix)
{
    free(matrix->counts);
    matrix->counts = NULL;
    matrix->nlevels = 0;
    matrix->nsizes = 0;
}

/* ------------------------------------------------------------ flood fill */

/* Scratch of the zone search: the padded levels, where a voxel's level is
 * set to 0 once it joins a zone (so a neighbour joins when its padded level
 * equals the zone's), the stack of voxels still to expand (padded indices;
 * a voxel is pushed at most once) and the zones found, in order of their
 * first voxel. */
typedef struct zone_search {
    const radx_roi *roi;
    radx_padded_levels pl;
    ptrdiff_t *steps;            /* [nangles] neighbour offsets in the padded array */
    int nangles;
    size_t *stack;
    int *zone_rank;              /* row (level rank) of each zone */
    int64_t *zone_size;          /* voxels of each zone */
    size_t nzones;
    size_t capacity;             /* ROI voxels: bound of stack and zone list */
    int64_t largest;
} zone_search;

static void zone_search_free(zone_search *zs)
{
    radx_padded_levels_free(&zs->pl);
    free(zs->steps);
    free(zs->stack);
    free(zs->zone_rank);
    free(zs->zone_size);
}

static radx_status zone_search_init(zone_search *zs, const radx_roi *roi, const radx_angle *angles,
                                    int nangles)
{
    memset(zs, 0, sizeof *zs);
    zs->roi = roi;
    zs->nangles = nangles;
    size_t nbox = (size_t)roi->size[0] * (size_t)roi->size[1] * (size_t)roi->size[2];
    /* Counted, not taken from roi->nvoxels: the stack and the zone list
     * must hold every ROI voxel (each is pushed once, seeds at most one zone). */
    size_t nroi = 0;
    for (size_t i = 0; i < nbox; i++) nroi += roi->mask[i] != 0;
    zs->capacity = nroi;
    size_t n = nroi > 0 ? nroi : 1;
    radx_status st = radx_padded_levels_make(roi, radx_angles_border(angles, nangles), &zs->pl);
    if (st != RADX_OK) return st;
    zs->steps = malloc((size_t)(nangles > 0 ? nangles : 1) * sizeof *zs->steps);
    zs->stack = malloc(n * sizeof *zs->stack);
    zs->zone_rank = malloc(n * sizeof *zs->zone_rank);
    zs->zone_size = malloc(n * sizeof *zs->zone_size);
    if (!zs->steps || !zs->stack || !zs->zone_rank || !zs->zone_size) {
        zone_search_free(zs);
        return radx_fail(RADX_ERR_NOMEM, "GLSZM: cannot allocate the zone search for %zu voxels",
                         nbox);
    }
    for (int a = 0; a < nangles; a++) zs->steps[a] = radx_padded_step(&zs->pl, angles[a].offset);
    return RADX_OK;
}

/* Grow the zone that starts at padded voxel `seed` (in the ROI, not yet in
 * a zone) of grey level `level`: depth-first with an explicit stack, as
 * cmatrices.c calculate_glszm; a neighbour joins when it lies in the
 * bounding box and the ROI, is not yet in a zone and has the same grey
 * level. Returns the zone's voxel count. */
static int64_t grow_zone(zone_search *zs, size_t seed, int level)
{
    int *pl = zs->pl.level;
    size_t top = 0;
    int64_t size = 0;
    zs->stack[top++] = seed;
    pl[seed] = 0;
    while (top > 0) {
        const size_t k = zs->stack[--top];
        size++;
        for (int a = 0; a < zs->nangles; a++) {
            const size_t j = (size_t)((ptrdiff_t)k + zs->steps[a]);
            if (pl[j] == level) {
                pl[j] = 0;
                zs->stack[top++] = j;
            }
        }
    }
    return size;
}

/* Every ROI voxel, in memory order, seeds a zone unless already in one. */
static radx_status find_zones(zone_search *zs)
{
    const radx_roi *roi = zs->roi;
    for (int z = 0; z < roi->size[2]; z++)
        for (int y = 0; y < roi->size[1]; y++) {
            const size_t start = (size_t)roi->size[0] * ((size_t)y + (size_t)roi->size[1] * (size_t)z);
            int *row = radx_padded_row(&zs->pl, y, z);
            for (int x = 0; x < roi->size[0]; x++) {
                const size_t i = start + (size_t)x;
                if (!roi->mask[i]) continue;
                int level = roi->levels[i];
                if (row[x] == 0 && level != 0) continue; /* already in a zone */
                if (level < 1 || level > roi->ng || roi->level_rank[level] < 0)
                    return radx_fail(RADX_ERR_INTERNAL, "GLSZM: voxel %zu has grey level %d outside "
                                     "the ROI's levels", i, level);
                if (zs->nzones >= zs->capacity)
                    return radx_fail(RADX_ERR_INTERNAL, "GLSZM: more zones than the %zu ROI voxels",
                                     zs->capacity);
                int64_t size = grow_zone(zs, (size_t)(row + x - zs->pl.level), level);
                zs->zone_rank[zs->nzones] = roi->level_rank[level];
                zs->zone_size[zs->nzones] = size;
                zs->nzones++;
                if (size > zs->largest) zs->largest = size;
            }
        }
    return RADX_OK;
}

static radx_status check_roi(const radx_roi *roi)
{
    if (!roi || !roi->mask || !roi->levels || !roi->level_values || !roi->level_rank)
        return radx_fail(RADX_ERR_INTERNAL, "GLSZM: incomplete ROI");
    if (roi->nvoxels < 1 || roi->nlevels < 1)
        return radx_fail(RADX_ERR_ROI, "GLSZM: empty ROI");
    for (int a = 0; a < 3; a++)
        if (roi->size[a] < 1) return radx_fail(RADX_ERR_INTERNAL, "GLSZM: bad ROI size");
    return RADX_OK;
}

radx_status radx_glszm_build(const radx_roi *roi, const radx_feature_opts *opts,
                             radx_glszm_matrix *matrix)
{
    matrix->counts = NULL;
    matrix->nlevels = 0;
    matrix->nsizes = 0;
    radx_status st = check_roi(roi);
    if (st != RADX_OK) return st;

    /* _cmatrices.c cmatrices_calculate_glszm: build_angles_arr(NULL, ...,
     * bidirectional 1), i.e. distance 1 only, whatever `distances` says. */
    radx_angle *angles = malloc(RADX_MAX_ANGLES * sizeof *angles);
    if (!angles) return radx_fail(RADX_ERR_NOMEM, "GLSZM: cannot allocate angles");
    const int distance_one = 1;
    int nangles = radx_angles_generate(roi->size, &distance_one, 1,
                                       opts && opts->force2d ? opts->force2d_axis : -1, 1, angles);

    zone_search zs;
    st = zone_search_init(&zs, roi, angles, nangles);
    if (st == RADX_OK) {
        st = find_zones(&zs);
        if (st == RADX_OK) st = radx_glszm_matrix_alloc(roi->nlevels, zs.largest, matrix);
        if (st == RADX_OK)
            for (size_t z = 0; z < zs.nzones; z++)
                matrix->counts[(size_t)zs.zone_rank[z] * (size_t)matrix->nsizes +
                               (size_t)(zs.zone_size[z] - 1)]++;
        zone_search_free(&zs);
    }
    free(angles);
    return st;
}

/* -------------------------------------------------------------- features */

/* Marginals and totals of P, as glszm.py _calculateCoefficients. */
typedef struct glszm_sums {
    double nz;                   /* N_z, set to 1 when 0 (glszm.py) */
    double np;                   /* N_p = sum_j j p_s(j), set to 1 when 0 */
} glszm_sums;

/* p_g, p_s, N_z and N_p = sum_j j p_s(j) (exact: integer counts), each set
 * to 1 when 0 as glszm.py does. */
static glszm_sums glszm_totals(const radx_glszm_matrix *m, double *pg, double *ps)
{
    glszm_sums s;
    s.nz = radx_count_marginals(m->counts, m->nlevels, m->nsizes, pg, ps);
    int64_t np = 0;
    for (int64_t j = 0; j < m->nsizes; j++) np += (int64_t)ps[j] * (j + 1);
    s.np = np == 0 ? 1.0 : (double)np;
    return s;
}

/* Features of p_g (grey-level marginal) only. */
static void grey_marginal_features(const double *pg, const int *levels, int nlevels, double nz,
                                   double *out)
{
    radx_marginal_sums g;
    radx_marginal_sums_compute(pg, levels, nlevels, nz, &g);
    out[RADX_GLSZM_GRAY_LEVEL_NON_UNIFORMITY] = g.squares / nz;                   /* GLN, JNSA */
    out[RADX_GLSZM_GRAY_LEVEL_NON_UNIFORMITY_NORMALIZED] = g.squares / (nz * nz); /* GLNN, Y1RO */
    /* GLV (BYLV): sum_i p_g(i)/N_z (i - mu)^2, mu = sum_i p_g(i)/N_z i. */
    out[RADX_GLSZM_GRAY_LEVEL_VARIANCE] = g.variance;
    out[RADX_GLSZM_LOW_GRAY_LEVEL_ZONE_EMPHASIS] = g.low / nz;                    /* XMSY: P / i^2 */
    out[RADX_GLSZM_HIGH_GRAY_LEVEL_ZONE_EMPHASIS] = g.high / nz;                  /* 5GN9: P i^2 */
}

/* Features of p_s (zone-size marginal) only; j = column + 1. */
static void size_marginal_features(const double *ps, int64_t nsizes, glszm_sums s, double *out)
{
    radx_marginal_sums z;
    radx_marginal_sums_compute(ps, NULL, nsizes, s.nz, &z);
    out[RADX_GLSZM_SMALL_AREA_EMPHASIS] = z.low / s.nz;                            /* SAE, 5QRC: P / j^2 */
    out[RADX_GLSZM_LARGE_AREA_EMPHASIS] = z.high / s.nz;                           /* LAE, 48P8: P j^2 */
    out[RADX_GLSZM_SIZE_ZONE_NON_UNIFORMITY] = z.squares / s.nz;                   /* SZN, 4JP3 */
    out[RADX_GLSZM_SIZE_ZONE_NON_UNIFORMITY_NORMALIZED] = z.squares / (s.nz * s.nz); /* SZNN, VB3A */
    /* ZV (3NSA): sum_j p_s(j)/N_z (j - mu)^2, mu = sum_j p_s(j)/N_z j. */
    out[RADX_GLSZM_ZONE_VARIANCE] = z.variance;
    /* ZP (P30P): N_z / N_p, N_p = voxels covered by the zones. */
    out[RADX_GLSZM_ZONE_PERCENTAGE] = s.nz / s.np;
}

/* Features of the joint matrix: ZoneEntropy and the four mixed emphases. */
static void joint_features(const radx_glszm_matrix *m, const int *levels, double nz, double *out)
{
    double entropy = 0.0, salgle = 0.0, sahgle = 0.0, lalgle = 0.0, lahgle = 0.0;
    for (int i = 0; i < m->nlevels; i++) {
        const int64_t *row = m->counts + (size_t)i * (size_t)m->nsizes;
        double i2 = (double)levels[i] * (double)levels[i];
        for (int64_t c = 0; c < m->nsizes; c++) {
            if (row[c] == 0) continue;
            double P = (double)row[c], j2 = (double)(c + 1) * (double)(c + 1);
            double p = P / nz;
            entropy -= p * log2(p + GLSZM_EPS);
            salgle += P / (i2 * j2);
            sahgle += P * i2 / j2;
            lalgle += P * j2 / i2;
            lahgle += P * i2 * j2;
        }
    }
    /* ZE (GU8N): -sum p(i,j) log2(p(i,j) + eps), eps = numpy.spacing(1). */
    out[RADX_GLSZM_ZONE_ENTROPY] = entropy;
    out[RADX_GLSZM_SMALL_AREA_LOW_GRAY_LEVEL_EMPHASIS] = salgle / nz;   /* 5RAI: P / (i^2 j^2) */
    out[RADX_GLSZM_SMALL_AREA_HIGH_GRAY_LEVEL_EMPHASIS] = sahgle / nz;  /* HW1V: P i^2 / j^2 */
    out[RADX_GLSZM_LARGE_AREA_LOW_GRAY_LEVEL_EMPHASIS] = lalgle / nz;   /* YH51: P j^2 / i^2 */
    out[RADX_GLSZM_LARGE_AREA_HIGH_GRAY_LEVEL_EMPHASIS] = lahgle / nz;  /* J17V: P i^2 j^2 */
}

radx_status radx_glszm_matrix_features(const radx_glszm_matrix *matrix, const int *level_values,
                                       double *out)
{
    if (!matrix || !matrix->counts || matrix->nlevels < 1 || matrix->nsizes < 1 || !level_values)
        return radx_fail(RADX_ERR_INTERNAL, "GLSZM: empty matrix");
    double *pg = malloc((size_t)matrix->nlevels * sizeof *pg);
    double *ps = malloc((size_t)matrix->nsizes * sizeof *ps);
    if (!pg || !ps) {
        free(pg);
        free(ps);
        return radx_fail(RADX_ERR_NOMEM, "GLSZM: cannot allocate marginals");
    }
    glszm_sums s = glszm_totals(matrix, pg, ps);
    grey_marginal_features(pg, level_values, matrix->nlevels, s.nz, out);
    size_marginal_features(ps, matrix->nsizes, s, out);
    joint_features(matrix, level_values, s.nz, out);
    free(pg);
    free(ps);
    return RADX_OK;
}

/* ----------------------------------------------------------------- class */

static radx_status glszm_compute(const radx_roi *roi, const radx_feature_opts *opts, double *out)
{
    radx_glszm_matrix matrix;
    radx_status st = radx_glszm_build(roi, opts, &matrix);
    if (st != RADX_OK) return st;
    st = radx_glszm_matrix_features(&matrix, roi->level_values, out);
    radx_glszm_matrix_free(&matrix);
    return st;
}

const radx_feature_class radx_class_glszm = {
    "glszm", RADX_GLSZM_NFEATURES, glszm_features, glszm_compute,
};
