/* GLRLM: the IBSI digital phantom against IBSI's reference values for the
 * four aggregations PyRadiomics can produce, PyRadiomics' flat-region
 * baseline, and properties that follow from PyRadiomics' definitions (runs
 * cover every voxel once, absent grey levels, angles of a thin ROI). The ROI
 * and IBSI helpers are the same as in test_glcm.c. */
#include "testutil.h"
#include "radx/radx.h"
#include "features/glrlm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IBSI_CSV "tests/data/ibsi/reference_values.csv"
#define BASELINE_CSV "tests/data/pyradiomics-baseline/baseline_glrlm.csv"

/* ------------------------------------------------------------ ROI helper */

/* A radx_roi with its own arrays; levels 1..ng inside, 0 outside. */
typedef struct test_roi {
    radx_roi roi;
    uint8_t *mask;
    int *levels;
    int level_values[RADX_MAX_GRAY_LEVELS];
    int *level_rank;
} test_roi;

/* Build from full arrays (x fastest) cropped to the mask's bounding box. */
static void test_roi_make(test_roi *t, const int size[3], const double spacing[3],
                          const uint8_t *mask, const int *levels)
{
    int lo[3] = {size[0], size[1], size[2]}, hi[3] = {-1, -1, -1};
    for (int z = 0; z < size[2]; z++)
        for (int y = 0; y < size[1]; y++)
            for (int x = 0; x < size[0]; x++) {
                if (!mask[x + size[0] * (y + size[1] * z)]) continue;
                int c[3] = {x, y, z};
                for (int a = 0; a < 3; a++) {
                    if (c[a] < lo[a]) lo[a] = c[a];
                    if (c[a] > hi[a]) hi[a] = c[a];
                }
            }
    assert_true(hi[0] >= 0);
    memset(t, 0, sizeof *t);
    for (int a = 0; a < 3; a++) {
        t->roi.size[a] = hi[a] - lo[a] + 1;
        t->roi.spacing[a] = spacing[a];
    }
    size_t n = (size_t)t->roi.size[0] * t->roi.size[1] * t->roi.size[2];
    t->mask = calloc(n, 1);
    t->levels = calloc(n, sizeof *t->levels);
    assert_non_null(t->mask);
    assert_non_null(t->levels);
    int ng = 0;
    for (int z = 0; z < t->roi.size[2]; z++)
        for (int y = 0; y < t->roi.size[1]; y++)
            for (int x = 0; x < t->roi.size[0]; x++) {
                size_t src = (size_t)(x + lo[0]) + size[0] * ((size_t)(y + lo[1]) + size[1] * (size_t)(z + lo[2]));
                size_t dst = (size_t)x + t->roi.size[0] * ((size_t)y + t->roi.size[1] * (size_t)z);
                if (!mask[src]) continue;
                t->mask[dst] = 1;
                t->levels[dst] = levels[src];
                t->roi.nvoxels++;
                if (levels[src] > ng) ng = levels[src];
            }
    t->level_rank = malloc((size_t)(ng + 1) * sizeof *t->level_rank);
    assert_non_null(t->level_rank);
    for (int l = 0; l <= ng; l++) t->level_rank[l] = -1;
    for (size_t k = 0; k < n; k++)
        if (t->mask[k]) t->level_rank[t->levels[k]] = 0;
    int nlevels = 0;
    for (int l = 1; l <= ng; l++)
        if (t->level_rank[l] == 0) {
            t->level_values[nlevels] = l;
            t->level_rank[l] = nlevels++;
        }
    t->roi.mask = t->mask;
    t->roi.levels = t->levels;
    t->roi.ng = ng;
    t->roi.nlevels = nlevels;
    t->roi.level_values = t->level_values;
    t->roi.level_rank = t->level_rank;
}

static void test_roi_free(test_roi *t)
{
    free(t->mask);
    free(t->levels);
    free(t->level_rank);
}

/* Read one IBSI phantom text file: "# nx ny nz sx sy sz" then integers. */
static int *read_phantom_file(const char *path, int size[3], double spacing[3])
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_int_equal(fscanf(f, "# %d %d %d %lf %lf %lf", &size[0], &size[1], &size[2],
                            &spacing[0], &spacing[1], &spacing[2]), 6);
    size_t n = (size_t)size[0] * size[1] * size[2];
    int *v = malloc(n * sizeof *v);
    assert_non_null(v);
    for (size_t k = 0; k < n; k++) assert_int_equal(fscanf(f, "%d", &v[k]), 1);
    fclose(f);
    return v;
}

/* The IBSI digital phantom: grey levels are the integer values (IBSI: no
 * discretisation), cropped to the mask's bounding box. */
static void load_phantom(test_roi *t)
{
    int size[3], msize[3];
    double spacing[3], mspacing[3];
    int *image = read_phantom_file("tests/data/ibsi/digital_phantom_image.txt", size, spacing);
    int *maskv = read_phantom_file("tests/data/ibsi/digital_phantom_mask.txt", msize, mspacing);
    assert_memory_equal(size, msize, sizeof size);
    size_t n = (size_t)size[0] * size[1] * size[2];
    uint8_t *mask = malloc(n);
    assert_non_null(mask);
    for (size_t k = 0; k < n; k++) mask[k] = maskv[k] != 0;
    test_roi_make(t, size, spacing, mask, image);
    free(mask);
    free(maskv);
    free(image);
    /* README: ROI levels 1, 3, 4, 6, Ng 6, 74 voxels. */
    assert_int_equal(t->roi.ng, 6);
    assert_int_equal(t->roi.nlevels, 4);
    assert_int_equal((int)t->roi.nvoxels, 74);
}

/* ------------------------------------------------------- IBSI comparison */

static int feature_index(const radx_feature_class *cls, const char *name)
{
    for (int f = 0; f < cls->nfeatures; f++)
        if (strcmp(cls->features[f].name, name) == 0) return f;
    return -1;
}

/* IBSI values carry 3 significant digits ("2.2" is 2.20): accept a result
 * within half a unit of the third significant digit. */
static int matches_ibsi(double got, double ibsi)
{
    if (ibsi == 0.0) return fabs(got) < 5e-4;
    double unit = pow(10.0, floor(log10(fabs(ibsi))) - 2.0);
    return fabs(got - ibsi) <= 0.5 * unit * (1.0 + 1e-9);
}

static void pyradiomics_default_opts(radx_feature_opts *opts);

/* IBSI aggregation -> PyRadiomics settings (tests/data/ibsi/README.md). */
static void opts_for(const char *aggregation, radx_feature_opts *opts)
{
    pyradiomics_default_opts(opts);
    opts->force2d = strncmp(aggregation, "2.5D", 4) == 0;
    opts->force2d_axis = 2;
    opts->weighting = strstr(aggregation, "_mrg") ? RADX_WEIGHTING_NONE : RADX_WEIGHTING_AVERAGE;
}

/* PyRadiomics' defaults for the texture classes: distances [1],
 * symmetricalGLCM true, weightingNorm unset, force2Ddimension 0 (radx axis z). */
static void pyradiomics_default_opts(radx_feature_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->force2d_axis = 2;
    opts->ndistances = 1;
    opts->distances[0] = 1;
    opts->symmetrical_glcm = 1;
    opts->weighting = RADX_WEIGHTING_AVERAGE;
}

/* Compare every `family` row of the IBSI CSV for `aggregation` that has a
 * PyRadiomics name; returns the number of rows compared. */
static int compare_ibsi(const radx_feature_class *cls, const char *family, const char *aggregation)
{
    test_roi t;
    load_phantom(&t);
    radx_feature_opts opts;
    opts_for(aggregation, &opts);
    double out[64];
    assert_true(cls->nfeatures <= 64);
    radx_status st = cls->compute(&t.roi, &opts, out);
    if (st != RADX_OK) fail_msg("%s %s: %s", family, aggregation, radx_last_error());

    radx_csv *csv = NULL;
    assert_int_equal(radx_csv_read(IBSI_CSV, &csv), RADX_OK);
    int c_family = radx_csv_column(csv, "family"), c_agg = radx_csv_column(csv, "aggregation");
    int c_value = radx_csv_column(csv, "value"), c_name = radx_csv_column(csv, "pyradiomics_name");
    int c_code = radx_csv_column(csv, "ibsi_code");
    assert_true(c_family >= 0 && c_agg >= 0 && c_value >= 0 && c_name >= 0 && c_code >= 0);
    size_t prefix = strlen(family) + 1;
    int compared = 0, failures = 0;
    for (int r = 0; r < csv->nrows; r++) {
        char **row = csv->cells[r];
        if (strcmp(row[c_family], family) || strcmp(row[c_agg], aggregation) || !row[c_name][0])
            continue;
        assert_true(strncmp(row[c_name], family, prefix - 1) == 0 && row[c_name][prefix - 1] == '_');
        int f = feature_index(cls, row[c_name] + prefix);
        if (f < 0) fail_msg("%s: no feature %s", cls->name, row[c_name]);
        double ibsi;
        assert_int_equal(radx_csv_number(row[c_value], &ibsi), 0);
        compared++;
        if (!matches_ibsi(out[f], ibsi)) {
            print_error("%s %s (%s): got %.6g, IBSI %s\n", aggregation, row[c_name], row[c_code],
                        out[f], row[c_value]);
            failures++;
        }
    }
    radx_csv_free(csv);
    test_roi_free(&t);
    if (failures) fail_msg("%d of %d %s %s values differ from IBSI", failures, compared, family, aggregation);
    return compared;
}

/* 16 IBSI GLRLM rows per aggregation, all with a PyRadiomics name. */
static void test_ibsi_3d_avg(void **state) { (void)state; assert_int_equal(compare_ibsi(&radx_class_glrlm, "glrlm", "3D_avg"), 16); }
static void test_ibsi_3d_mrg(void **state) { (void)state; assert_int_equal(compare_ibsi(&radx_class_glrlm, "glrlm", "3D_mrg"), 16); }
static void test_ibsi_25d_avg(void **state) { (void)state; assert_int_equal(compare_ibsi(&radx_class_glrlm, "glrlm", "2.5D_avg"), 16); }
static void test_ibsi_25d_mrg(void **state) { (void)state; assert_int_equal(compare_ibsi(&radx_class_glrlm, "glrlm", "2.5D_mrg"), 16); }

/* The feature table: 16 names in PyRadiomics order (glrlm.py method names
 * sorted), each with the IBSI code the IBSI CSV gives for it. */
static void test_feature_table(void **state)
{
    (void)state;
    static const char *const names[] = {
        "GrayLevelNonUniformity", "GrayLevelNonUniformityNormalized", "GrayLevelVariance",
        "HighGrayLevelRunEmphasis", "LongRunEmphasis", "LongRunHighGrayLevelEmphasis",
        "LongRunLowGrayLevelEmphasis", "LowGrayLevelRunEmphasis", "RunEntropy",
        "RunLengthNonUniformity", "RunLengthNonUniformityNormalized", "RunPercentage",
        "RunVariance", "ShortRunEmphasis", "ShortRunHighGrayLevelEmphasis",
        "ShortRunLowGrayLevelEmphasis"};
    const radx_feature_class *cls = &radx_class_glrlm;
    assert_string_equal(cls->name, "glrlm");
    assert_int_equal(cls->nfeatures, 16);
    for (int f = 0; f < 16; f++) assert_string_equal(cls->features[f].name, names[f]);

    radx_csv *csv = NULL;
    assert_int_equal(radx_csv_read(IBSI_CSV, &csv), RADX_OK);
    int c_name = radx_csv_column(csv, "pyradiomics_name"), c_code = radx_csv_column(csv, "ibsi_code");
    for (int f = 0; f < cls->nfeatures; f++) {
        char full[96];
        snprintf(full, sizeof full, "glrlm_%s", cls->features[f].name);
        int found = 0;
        for (int r = 0; r < csv->nrows; r++)
            if (!strcmp(csv->cells[r][c_name], full) &&
                !strcmp(csv->cells[r][c_code], cls->features[f].ibsi_code))
                found = 1;
        if (!found) fail_msg("%s: IBSI code %s not listed for it in %s", full,
                             cls->features[f].ibsi_code, IBSI_CSV);
    }
    radx_csv_free(csv);
}

static const radx_feature_opts *opts_mode(int force2d, radx_weighting weighting)
{
    static radx_feature_opts opts;
    pyradiomics_default_opts(&opts);
    opts.force2d = force2d;
    opts.weighting = weighting;
    return &opts;
}

/* One grey level (value 1): PyRadiomics' baseline (brain1_flatRegion) gives
 * GrayLevelVariance 0, Low/HighGrayLevelRunEmphasis 1, GLNN 1; these do not
 * depend on the ROI's shape (the run-length features do, and are not
 * compared here). With i = 1 the short/long-run grey-level emphases equal
 * the plain run emphases (baseline: SRLGLE = SRHGLE = SRE, LR* = LRE). */
static void test_flat_region_matches_pyradiomics_baseline(void **state)
{
    (void)state;
    int size[3] = {5, 4, 3};
    double spacing[3] = {1, 1, 2};
    uint8_t mask[60];
    int levels[60];
    for (int k = 0; k < 60; k++) {
        mask[k] = (k % 7) != 3;
        levels[k] = 1;
    }
    test_roi t;
    test_roi_make(&t, size, spacing, mask, levels);
    radx_csv *csv = NULL;
    assert_int_equal(radx_csv_read(BASELINE_CSV, &csv), RADX_OK);
    int c_name = radx_csv_column(csv, "featureName"), c_flat = radx_csv_column(csv, "brain1_flatRegion");
    assert_true(c_name >= 0 && c_flat >= 0);
    static const char *const shape_free[] = {"GrayLevelVariance", "LowGrayLevelRunEmphasis",
                                             "HighGrayLevelRunEmphasis",
                                             "GrayLevelNonUniformityNormalized"};
    for (int m = 0; m < 3; m++) {
        double out[RADX_GLRLM_NFEATURES];
        const radx_feature_opts *opts =
            opts_mode(m == 1, m == 2 ? RADX_WEIGHTING_NONE : RADX_WEIGHTING_AVERAGE);
        assert_int_equal(radx_class_glrlm.compute(&t.roi, opts, out), RADX_OK);
        for (int s = 0; s < 4; s++) {
            char full[96];
            snprintf(full, sizeof full, "original_glrlm_%s", shape_free[s]);
            int row = -1;
            for (int r = 0; r < csv->nrows; r++)
                if (!strcmp(csv->cells[r][c_name], full)) row = r;
            assert_true(row >= 0);
            double expected;
            assert_int_equal(radx_csv_number(csv->cells[row][c_flat], &expected), 0);
            assert_close(full, out[feature_index(&radx_class_glrlm, shape_free[s])], expected, 1e-12, 1e-30);
        }
        assert_close("SRLGLE = SRE", out[RADX_GLRLM_SHORT_RUN_LOW_GRAY_LEVEL_EMPHASIS], out[RADX_GLRLM_SHORT_RUN_EMPHASIS], 1e-14, 0);
        assert_close("SRHGLE = SRE", out[RADX_GLRLM_SHORT_RUN_HIGH_GRAY_LEVEL_EMPHASIS], out[RADX_GLRLM_SHORT_RUN_EMPHASIS], 1e-14, 0);
        assert_close("LRLGLE = LRE", out[RADX_GLRLM_LONG_RUN_LOW_GRAY_LEVEL_EMPHASIS], out[RADX_GLRLM_LONG_RUN_EMPHASIS], 1e-14, 0);
        assert_close("LRHGLE = LRE", out[RADX_GLRLM_LONG_RUN_HIGH_GRAY_LEVEL_EMPHASIS], out[RADX_GLRLM_LONG_RUN_EMPHASIS], 1e-14, 0);
    }
    radx_csv_free(csv);
    test_roi_free(&t);
}

/* Every ROI voxel lies on exactly one run per angle (cmatrices.c
 * calculate_glrlm follows each line of the angle through the bounding box):
 * sum_j j p_r(j) = N_v for each of the 13 phantom angles. */
static void test_runs_cover_every_voxel_once(void **state)
{
    (void)state;
    test_roi t;
    load_phantom(&t);
    int maxrun = 5;
    radx_glrlm_matrix m;
    assert_int_equal(radx_glrlm_matrix_alloc(t.roi.nlevels, maxrun, &m), RADX_OK);
    radx_angle angles[RADX_MAX_ANGLES];
    int one = 1;
    int na = radx_angles_generate(t.roi.size, &one, 1, -1, 0, angles);
    assert_int_equal(na, 13);
    for (int a = 0; a < na; a++) {
        assert_int_equal(radx_glrlm_build(&t.roi, &angles[a], &m), RADX_OK);
        int64_t voxels = 0;
        int64_t per_level[4] = {0, 0, 0, 0};
        for (int i = 0; i < m.nlevels; i++)
            for (int r = 0; r < maxrun; r++) {
                voxels += (r + 1) * m.counts[i * maxrun + r];
                per_level[i] += (r + 1) * m.counts[i * maxrun + r];
            }
        assert_int_equal(voxels, t.roi.nvoxels);
        /* Levels 1, 3, 4, 6 hold 50, 1, 16, 7 voxels in the phantom's ROI. */
        assert_int_equal(per_level[0], 50);
        assert_int_equal(per_level[1], 1);
        assert_int_equal(per_level[2], 16);
        assert_int_equal(per_level[3], 7);
    }
    radx_glrlm_matrix_free(&m);
    test_roi_free(&t);
}

/* A 1-voxel-thick X pattern (corners 1, centre 2): along every in-plane
 * angle each voxel is its own run, so 5 runs of length 1 (glrlm.py
 * formulas: SRE = LRE = RP = 1, RV = 0, GLN = (4^2 + 1^2) / 5). */
static void test_thin_roi(void **state)
{
    (void)state;
    int size[3] = {3, 3, 1};
    double spacing[3] = {1, 1, 1};
    uint8_t mask[9] = {1, 0, 1, 0, 1, 0, 1, 0, 1};
    int levels[9] = {1, 0, 1, 0, 2, 0, 1, 0, 1};
    test_roi t;
    test_roi_make(&t, size, spacing, mask, levels);
    for (int m = 0; m < 2; m++) {
        double out[RADX_GLRLM_NFEATURES];
        assert_int_equal(radx_class_glrlm.compute(&t.roi, opts_mode(0, m ? RADX_WEIGHTING_NONE : RADX_WEIGHTING_AVERAGE), out), RADX_OK);
        assert_close("SRE", out[RADX_GLRLM_SHORT_RUN_EMPHASIS], 1.0, 1e-14, 0);
        assert_close("LRE", out[RADX_GLRLM_LONG_RUN_EMPHASIS], 1.0, 1e-14, 0);
        assert_close("RP", out[RADX_GLRLM_RUN_PERCENTAGE], 1.0, 1e-14, 0);
        assert_close("RV", out[RADX_GLRLM_RUN_VARIANCE], 0.0, 0, 1e-15);
        /* Merged: the 4 angles' matrices are summed, so p_g = 4 (4, 1), N_r = 20. */
        double scale = m ? 4.0 : 1.0;
        assert_close("GLN", out[RADX_GLRLM_GRAY_LEVEL_NON_UNIFORMITY], scale * 17.0 / 5.0, 1e-14, 0);
        assert_close("GLNN", out[RADX_GLRLM_GRAY_LEVEL_NON_UNIFORMITY_NORMALIZED], 17.0 / 25.0, 1e-14, 0);
        assert_close("RLN", out[RADX_GLRLM_RUN_LENGTH_NON_UNIFORMITY], scale * 5.0, 1e-14, 0);
        assert_close("HGLRE", out[RADX_GLRLM_HIGH_GRAY_LEVEL_RUN_EMPHASIS], (4 * 1.0 + 1 * 4.0) / 5, 1e-14, 0);
        assert_close("LGLRE", out[RADX_GLRLM_LOW_GRAY_LEVEL_RUN_EMPHASIS], (4 * 1.0 + 1 * 0.25) / 5, 1e-14, 0);
        /* mean level 1.2: (4 * 0.04 + 0.64) / 5 */
        assert_close("GLV", out[RADX_GLRLM_GRAY_LEVEL_VARIANCE], 0.16, 1e-12, 0);
        assert_close("RE", out[RADX_GLRLM_RUN_ENTROPY], -(0.8 * log2(0.8) + 0.2 * log2(0.2)), 1e-12, 0);
    }
    test_roi_free(&t);
}

/* glrlm.py weightingNorm: angle weights are the spacing-scaled offset norm
 * itself. On the phantom (2 mm voxels) the infinity norm weights every
 * distance-1 angle by 2: the matrix doubles, so GLN and RLN (sum of squares
 * over N_r) double and every other feature is unchanged. Manhattan weights
 * differ per angle and change SRE. */
static void test_weighting(void **state)
{
    (void)state;
    radx_angle diag = {{1, -1, 1}, 1};
    double spacing[3] = {2, 3, 5};
    assert_close("infinity", radx_glrlm_angle_weight(&diag, spacing, RADX_WEIGHTING_INFINITY), 5.0, 1e-15, 0);
    assert_close("manhattan", radx_glrlm_angle_weight(&diag, spacing, RADX_WEIGHTING_MANHATTAN), 10.0, 1e-15, 0);
    assert_close("euclidean", radx_glrlm_angle_weight(&diag, spacing, RADX_WEIGHTING_EUCLIDEAN), sqrt(38.0), 1e-15, 0);
    assert_close("none", radx_glrlm_angle_weight(&diag, spacing, RADX_WEIGHTING_NONE), 1.0, 0, 0);

    test_roi t;
    load_phantom(&t);
    double none[RADX_GLRLM_NFEATURES], inf[RADX_GLRLM_NFEATURES], man[RADX_GLRLM_NFEATURES];
    assert_int_equal(radx_class_glrlm.compute(&t.roi, opts_mode(0, RADX_WEIGHTING_NONE), none), RADX_OK);
    assert_int_equal(radx_class_glrlm.compute(&t.roi, opts_mode(0, RADX_WEIGHTING_INFINITY), inf), RADX_OK);
    assert_int_equal(radx_class_glrlm.compute(&t.roi, opts_mode(0, RADX_WEIGHTING_MANHATTAN), man), RADX_OK);
    for (int f = 0; f < RADX_GLRLM_NFEATURES; f++) {
        int doubles = f == RADX_GLRLM_GRAY_LEVEL_NON_UNIFORMITY || f == RADX_GLRLM_RUN_LENGTH_NON_UNIFORMITY;
        assert_close(radx_class_glrlm.features[f].name, inf[f], (doubles ? 2.0 : 1.0) * none[f], 1e-12, 1e-15);
    }
    assert_true(fabs(man[RADX_GLRLM_SHORT_RUN_EMPHASIS] - none[RADX_GLRLM_SHORT_RUN_EMPHASIS]) > 1e-6);
    test_roi_free(&t);
}

/* Absent grey levels have no row; features weight by level VALUES. The
 * phantom relabelled {1,3,4,6} -> {1,2,3,4} keeps every feature that does
 * not use the level value; GrayLevelVariance changes. */
static void test_absent_levels(void **state)
{
    (void)state;
    test_roi t, r;
    load_phantom(&t);
    size_t nvox = (size_t)t.roi.size[0] * t.roi.size[1] * t.roi.size[2];
    int *relabelled = calloc(nvox, sizeof *relabelled);
    assert_non_null(relabelled);
    for (size_t k = 0; k < nvox; k++)
        if (t.mask[k]) relabelled[k] = t.level_rank[t.levels[k]] + 1;
    test_roi_make(&r, t.roi.size, t.roi.spacing, t.mask, relabelled);
    static const int invariant[] = {
        RADX_GLRLM_GRAY_LEVEL_NON_UNIFORMITY, RADX_GLRLM_GRAY_LEVEL_NON_UNIFORMITY_NORMALIZED,
        RADX_GLRLM_LONG_RUN_EMPHASIS, RADX_GLRLM_RUN_ENTROPY, RADX_GLRLM_RUN_LENGTH_NON_UNIFORMITY,
        RADX_GLRLM_RUN_LENGTH_NON_UNIFORMITY_NORMALIZED, RADX_GLRLM_RUN_PERCENTAGE,
        RADX_GLRLM_RUN_VARIANCE, RADX_GLRLM_SHORT_RUN_EMPHASIS};
    double a[RADX_GLRLM_NFEATURES], b[RADX_GLRLM_NFEATURES];
    assert_int_equal(radx_class_glrlm.compute(&t.roi, opts_mode(0, RADX_WEIGHTING_AVERAGE), a), RADX_OK);
    assert_int_equal(radx_class_glrlm.compute(&r.roi, opts_mode(0, RADX_WEIGHTING_AVERAGE), b), RADX_OK);
    for (size_t i = 0; i < sizeof invariant / sizeof *invariant; i++)
        assert_close(radx_class_glrlm.features[invariant[i]].name, b[invariant[i]], a[invariant[i]], 1e-12, 0);
    assert_true(fabs(a[RADX_GLRLM_GRAY_LEVEL_VARIANCE] - b[RADX_GLRLM_GRAY_LEVEL_VARIANCE]) > 0.1);
    free(relabelled);
    test_roi_free(&r);
    test_roi_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feature_table),
        cmocka_unit_test(test_ibsi_3d_avg),
        cmocka_unit_test(test_ibsi_3d_mrg),
        cmocka_unit_test(test_ibsi_25d_avg),
        cmocka_unit_test(test_ibsi_25d_mrg),
        cmocka_unit_test(test_flat_region_matches_pyradiomics_baseline),
        cmocka_unit_test(test_runs_cover_every_voxel_once),
        cmocka_unit_test(test_thin_roi),
        cmocka_unit_test(test_weighting),
        cmocka_unit_test(test_absent_levels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
