/* GLCM: the IBSI digital phantom against IBSI's reference values for the four
 * aggregations PyRadiomics can produce, PyRadiomics' own flat-region baseline,
 * and properties that follow from PyRadiomics' definitions (symmetric matrix,
 * absent grey levels, angles without pairs). */
#include "testutil.h"
#include "radx/radx.h"
#include "features/glcm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IBSI_CSV "tests/data/ibsi/reference_values.csv"
#define BASELINE_CSV "tests/data/pyradiomics-baseline/baseline_glcm.csv"

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

/* 25 IBSI GLCM rows per aggregation have a PyRadiomics name (sum variance
 * and dissimilarity map to ClusterTendency and DifferenceAverage). */
static void test_ibsi_3d_avg(void **state) { (void)state; assert_int_equal(compare_ibsi(&radx_class_glcm, "glcm", "3D_avg"), 25); }
static void test_ibsi_3d_mrg(void **state) { (void)state; assert_int_equal(compare_ibsi(&radx_class_glcm, "glcm", "3D_mrg"), 25); }
static void test_ibsi_25d_avg(void **state) { (void)state; assert_int_equal(compare_ibsi(&radx_class_glcm, "glcm", "2.5D_avg"), 25); }
static void test_ibsi_25d_mrg(void **state) { (void)state; assert_int_equal(compare_ibsi(&radx_class_glcm, "glcm", "2.5D_mrg"), 25); }

/* The feature table: 24 names in PyRadiomics order; every IBSI code in the
 * table is one the IBSI CSV gives for that PyRadiomics name. */
static void test_feature_table(void **state)
{
    (void)state;
    static const char *const names[] = {
        "Autocorrelation", "ClusterProminence", "ClusterShade", "ClusterTendency", "Contrast",
        "Correlation", "DifferenceAverage", "DifferenceEntropy", "DifferenceVariance", "Id", "Idm",
        "Idmn", "Idn", "Imc1", "Imc2", "InverseVariance", "JointAverage", "JointEnergy",
        "JointEntropy", "MCC", "MaximumProbability", "SumAverage", "SumEntropy", "SumSquares"};
    const radx_feature_class *cls = &radx_class_glcm;
    assert_string_equal(cls->name, "glcm");
    assert_int_equal(cls->nfeatures, 24);
    for (int f = 0; f < 24; f++) assert_string_equal(cls->features[f].name, names[f]);

    radx_csv *csv = NULL;
    assert_int_equal(radx_csv_read(IBSI_CSV, &csv), RADX_OK);
    int c_name = radx_csv_column(csv, "pyradiomics_name"), c_code = radx_csv_column(csv, "ibsi_code");
    for (int f = 0; f < cls->nfeatures; f++) {
        const char *code = cls->features[f].ibsi_code;
        if (!code[0]) continue;
        char full[96];
        snprintf(full, sizeof full, "glcm_%s", cls->features[f].name);
        int found = 0;
        for (int r = 0; r < csv->nrows; r++)
            if (!strcmp(csv->cells[r][c_name], full) && !strcmp(csv->cells[r][c_code], code)) found = 1;
        if (!found) fail_msg("%s: IBSI code %s not listed for it in %s", full, code, IBSI_CSV);
    }
    radx_csv_free(csv);
}

/* ------------------------------------------------------- degenerate ROIs */

static const radx_feature_opts *opts_mode(int force2d, radx_weighting weighting)
{
    static radx_feature_opts opts;
    pyradiomics_default_opts(&opts);
    opts.force2d = force2d;
    opts.weighting = weighting;
    return &opts;
}

/* One grey level: PyRadiomics' own baseline (brain1_flatRegion column of its
 * regression CSV) gives Correlation 1, MCC 1, Imc1 0, Imc2 0, entropies
 * -3.2e-16 (eps in log2); these do not depend on the ROI's shape. */
static void test_flat_region_matches_pyradiomics_baseline(void **state)
{
    (void)state;
    int size[3] = {4, 3, 3};
    double spacing[3] = {1, 1, 2};
    uint8_t mask[36];
    int levels[36];
    for (int k = 0; k < 36; k++) {
        mask[k] = k != 5 && k != 30;   /* some holes */
        levels[k] = 1;
    }
    test_roi t;
    test_roi_make(&t, size, spacing, mask, levels);

    radx_csv *csv = NULL;
    assert_int_equal(radx_csv_read(BASELINE_CSV, &csv), RADX_OK);
    int c_name = radx_csv_column(csv, "featureName"), c_flat = radx_csv_column(csv, "brain1_flatRegion");
    assert_true(c_name >= 0 && c_flat >= 0);

    /* 3D averaged, force2D averaged, 3D merged. */
    for (int m = 0; m < 3; m++) {
        double out[RADX_GLCM_NFEATURES];
        const radx_feature_opts *opts =
            opts_mode(m == 1, m == 2 ? RADX_WEIGHTING_NONE : RADX_WEIGHTING_AVERAGE);
        assert_int_equal(radx_class_glcm.compute(&t.roi, opts, out), RADX_OK);
        int checked = 0;
        for (int r = 0; r < csv->nrows; r++) {
            const char *name = csv->cells[r][c_name];
            if (strncmp(name, "original_glcm_", 14)) continue;
            int f = feature_index(&radx_class_glcm, name + 14);
            assert_true(f >= 0);
            double expected;
            assert_int_equal(radx_csv_number(csv->cells[r][c_flat], &expected), 0);
            assert_close(name, out[f], expected, 1e-12, 1e-30);
            checked++;
        }
        assert_int_equal(checked, 24);
    }
    radx_csv_free(csv);
    test_roi_free(&t);
}

/* A 1-voxel-thick X pattern (corners level 1, centre level 2): horizontal and
 * vertical angles have no pairs and are dropped; both diagonals give the
 * symmetric p = [[0, .5], [.5, 0]]. Values from glcm.py's formulas with
 * i, j in {1, 2}, Ng = 2. */
static void test_vanishing_angles(void **state)
{
    (void)state;
    int size[3] = {3, 3, 1};
    double spacing[3] = {1, 1, 1};
    uint8_t mask[9] = {1, 0, 1, 0, 1, 0, 1, 0, 1};
    int levels[9] = {1, 0, 1, 0, 2, 0, 1, 0, 1};
    test_roi t;
    test_roi_make(&t, size, spacing, mask, levels);
    for (int w = 0; w < 2; w++) {
        double out[RADX_GLCM_NFEATURES];
        const radx_feature_opts *opts = opts_mode(0, w ? RADX_WEIGHTING_NONE : RADX_WEIGHTING_AVERAGE);
        assert_int_equal(radx_class_glcm.compute(&t.roi, opts, out), RADX_OK);
        assert_close("Contrast", out[RADX_GLCM_CONTRAST], 1.0, 1e-12, 0);
        assert_close("JointAverage", out[RADX_GLCM_JOINT_AVERAGE], 1.5, 1e-12, 0);
        assert_close("SumAverage", out[RADX_GLCM_SUM_AVERAGE], 3.0, 1e-12, 0);
        assert_close("JointEnergy", out[RADX_GLCM_JOINT_ENERGY], 0.5, 1e-12, 0);
        assert_close("MaximumProbability", out[RADX_GLCM_MAXIMUM_PROBABILITY], 0.5, 1e-12, 0);
        assert_close("JointEntropy", out[RADX_GLCM_JOINT_ENTROPY], 1.0, 1e-12, 0);
        assert_close("Correlation", out[RADX_GLCM_CORRELATION], -1.0, 1e-12, 0);
        assert_close("ClusterTendency", out[RADX_GLCM_CLUSTER_TENDENCY], 0.0, 0, 1e-15);
        assert_close("DifferenceAverage", out[RADX_GLCM_DIFFERENCE_AVERAGE], 1.0, 1e-12, 0);
        assert_close("Id", out[RADX_GLCM_ID], 1.0 / 2.0, 1e-12, 0);
        assert_close("Idn", out[RADX_GLCM_IDN], 1.0 / 1.5, 1e-12, 0);        /* p_{x-y}(1) = 1, 1 + 1/Ng */
        assert_close("Idmn", out[RADX_GLCM_IDMN], 1.0 / 1.25, 1e-12, 0);     /* 1 + 1/Ng^2 */
        assert_close("InverseVariance", out[RADX_GLCM_INVERSE_VARIANCE], 1.0, 1e-12, 0);
        /* p_x = p_y = (.5, .5): HX = HXY = 1, HXY1 = HXY2 = 2. */
        assert_close("Imc1", out[RADX_GLCM_IMC1], -1.0, 1e-12, 0);
        assert_close("Imc2", out[RADX_GLCM_IMC2], sqrt(1 - exp(-2.0)), 1e-12, 0);
        /* Q = identity: eigenvalues 1, 1, MCC = 1. */
        assert_close("MCC", out[RADX_GLCM_MCC], 1.0, 1e-12, 0);
    }
    test_roi_free(&t);
}

/* A lone angle without any pair: glcm.py keeps it (only one angle), its sum
 * becomes NaN and every feature, MCC included (eigvals raises), is NaN. */
static void test_single_empty_angle_is_nan(void **state)
{
    (void)state;
    int size[3] = {3, 1, 1};
    double spacing[3] = {1, 1, 1};
    uint8_t mask[3] = {1, 0, 1};
    int levels[3] = {1, 0, 2};
    test_roi t;
    test_roi_make(&t, size, spacing, mask, levels);
    double out[RADX_GLCM_NFEATURES];
    assert_int_equal(radx_class_glcm.compute(&t.roi, opts_mode(0, RADX_WEIGHTING_AVERAGE), out), RADX_OK);
    for (int f = 0; f < RADX_GLCM_NFEATURES; f++)
        if (!isnan(out[f])) fail_msg("%s = %g, expected NaN", radx_class_glcm.features[f].name, out[f]);
    test_roi_free(&t);
}

/* Several angles, none with a pair (4 corners of a 3 x 3 slice): glcm.py
 * deletes every angle, nanmean of nothing is NaN; MCC checks the number of
 * grey levels first: 1 for one level ("flat region"), else NaN. */
static void test_all_angles_empty(void **state)
{
    (void)state;
    int size[3] = {3, 3, 1};
    double spacing[3] = {1, 1, 1};
    uint8_t mask[9] = {1, 0, 1, 0, 0, 0, 1, 0, 1};
    for (int two = 0; two < 2; two++) {
        int levels[9] = {1, 0, 1, 0, 0, 0, 1 + two, 0, 1};
        test_roi t;
        test_roi_make(&t, size, spacing, mask, levels);
        double out[RADX_GLCM_NFEATURES];
        assert_int_equal(radx_class_glcm.compute(&t.roi, opts_mode(0, RADX_WEIGHTING_AVERAGE), out), RADX_OK);
        for (int f = 0; f < RADX_GLCM_NFEATURES; f++) {
            if (f == RADX_GLCM_MCC && !two) assert_close("MCC", out[f], 1.0, 0, 0);
            else if (!isnan(out[f])) fail_msg("%s = %g, expected NaN", radx_class_glcm.features[f].name, out[f]);
        }
        test_roi_free(&t);
    }
}

/* ------------------------------------------------------ matrix properties */

/* glcm.py: the symmetric GLCM is P + P^T; P(-d) is P(d)^T, so the symmetric
 * matrix of d equals the sum of the directed matrices of d and -d. */
static void test_symmetric_is_sum_of_directions(void **state)
{
    (void)state;
    test_roi t;
    load_phantom(&t);
    int n = t.roi.nlevels;
    radx_glcm_matrix sym, fwd, bwd;
    assert_int_equal(radx_glcm_matrix_alloc(n, &sym), RADX_OK);
    assert_int_equal(radx_glcm_matrix_alloc(n, &fwd), RADX_OK);
    assert_int_equal(radx_glcm_matrix_alloc(n, &bwd), RADX_OK);
    radx_angle angles[RADX_MAX_ANGLES];
    int one = 1;
    int na = radx_angles_generate(t.roi.size, &one, 1, -1, 0, angles);
    assert_int_equal(na, 13);
    int64_t total = 0;
    for (int a = 0; a < na; a++) {
        radx_angle back = angles[a];
        for (int d = 0; d < 3; d++) back.offset[d] = -back.offset[d];
        assert_int_equal(radx_glcm_build(&t.roi, &angles[a], 1, &sym), RADX_OK);
        assert_int_equal(radx_glcm_build(&t.roi, &angles[a], 0, &fwd), RADX_OK);
        assert_int_equal(radx_glcm_build(&t.roi, &back, 0, &bwd), RADX_OK);
        for (int k = 0; k < n * n; k++) {
            assert_int_equal(sym.counts[k], fwd.counts[k] + bwd.counts[k]);
            total += fwd.counts[k];
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                assert_int_equal(fwd.counts[i * n + j], bwd.counts[j * n + i]);
    }
    assert_true(total > 0);
    radx_glcm_matrix_free(&sym);
    radx_glcm_matrix_free(&fwd);
    radx_glcm_matrix_free(&bwd);
    test_roi_free(&t);
}

/* Absent grey levels get no row (glcm.py deletes them) and features weight
 * by the level VALUES. (1) Relabelling the phantom's levels {1,3,4,6} as
 * {1,2,3,4} leaves the features that depend on p(i,j) alone unchanged.
 * (2) Levels {1,2} relabelled v = 2u - 1 as {1,3} (2 absent, Ng 3): the
 * value-weighted features scale as glcm.py's formulas say. */
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
    assert_int_equal(r.roi.ng, 4);
    static const int invariant[] = {RADX_GLCM_JOINT_ENERGY, RADX_GLCM_JOINT_ENTROPY,
                                    RADX_GLCM_MAXIMUM_PROBABILITY, RADX_GLCM_IMC1,
                                    RADX_GLCM_IMC2, RADX_GLCM_MCC};
    for (int m = 0; m < 2; m++) {
        const radx_feature_opts *opts = opts_mode(0, m ? RADX_WEIGHTING_NONE : RADX_WEIGHTING_AVERAGE);
        double a[RADX_GLCM_NFEATURES], b[RADX_GLCM_NFEATURES];
        assert_int_equal(radx_class_glcm.compute(&t.roi, opts, a), RADX_OK);
        assert_int_equal(radx_class_glcm.compute(&r.roi, opts, b), RADX_OK);
        for (size_t i = 0; i < sizeof invariant / sizeof *invariant; i++)
            assert_close(radx_class_glcm.features[invariant[i]].name, b[invariant[i]], a[invariant[i]], 1e-10, 1e-14);
        /* The phantom's contrast uses value differences, so it must change. */
        assert_true(fabs(a[RADX_GLCM_CONTRAST] - b[RADX_GLCM_CONTRAST]) > 0.1);
    }
    test_roi_free(&r);
    free(relabelled);

    /* Two levels {1,2} vs {1,3} (level 2 absent, Ng 3): v = 2u - 1. */
    int size[3] = {4, 3, 2};
    double spacing[3] = {1, 1, 1};
    uint8_t mask[24];
    int u[24], v[24];
    for (int k = 0; k < 24; k++) {
        mask[k] = k != 7;
        u[k] = 1 + ((k * 7 + k / 5) % 3 == 0);
        v[k] = 2 * u[k] - 1;
    }
    test_roi tu, tv;
    test_roi_make(&tu, size, spacing, mask, u);
    test_roi_make(&tv, size, spacing, mask, v);
    assert_int_equal(tv.roi.nlevels, 2);
    assert_int_equal(tv.roi.ng, 3);
    double a[RADX_GLCM_NFEATURES], b[RADX_GLCM_NFEATURES];
    assert_int_equal(radx_class_glcm.compute(&tu.roi, opts_mode(0, RADX_WEIGHTING_AVERAGE), a), RADX_OK);
    assert_int_equal(radx_class_glcm.compute(&tv.roi, opts_mode(0, RADX_WEIGHTING_AVERAGE), b), RADX_OK);
    assert_close("Contrast x4", b[RADX_GLCM_CONTRAST], 4 * a[RADX_GLCM_CONTRAST], 1e-12, 0);
    assert_close("DifferenceAverage x2", b[RADX_GLCM_DIFFERENCE_AVERAGE], 2 * a[RADX_GLCM_DIFFERENCE_AVERAGE], 1e-12, 0);
    assert_close("DifferenceVariance x4", b[RADX_GLCM_DIFFERENCE_VARIANCE], 4 * a[RADX_GLCM_DIFFERENCE_VARIANCE], 1e-12, 0);
    assert_close("SumSquares x4", b[RADX_GLCM_SUM_SQUARES], 4 * a[RADX_GLCM_SUM_SQUARES], 1e-12, 0);
    assert_close("ClusterTendency x4", b[RADX_GLCM_CLUSTER_TENDENCY], 4 * a[RADX_GLCM_CLUSTER_TENDENCY], 1e-12, 0);
    assert_close("ClusterShade x8", b[RADX_GLCM_CLUSTER_SHADE], 8 * a[RADX_GLCM_CLUSTER_SHADE], 1e-12, 1e-12);
    assert_close("ClusterProminence x16", b[RADX_GLCM_CLUSTER_PROMINENCE], 16 * a[RADX_GLCM_CLUSTER_PROMINENCE], 1e-12, 0);
    assert_close("JointAverage 2u-1", b[RADX_GLCM_JOINT_AVERAGE], 2 * a[RADX_GLCM_JOINT_AVERAGE] - 1, 1e-12, 0);
    assert_close("SumAverage 2s-2", b[RADX_GLCM_SUM_AVERAGE], 2 * a[RADX_GLCM_SUM_AVERAGE] - 2, 1e-12, 0);
    assert_close("Correlation", b[RADX_GLCM_CORRELATION], a[RADX_GLCM_CORRELATION], 1e-12, 0);
    assert_close("JointEntropy", b[RADX_GLCM_JOINT_ENTROPY], a[RADX_GLCM_JOINT_ENTROPY], 1e-12, 0);
    assert_close("MCC", b[RADX_GLCM_MCC], a[RADX_GLCM_MCC], 1e-10, 0);
    test_roi_free(&tu);
    test_roi_free(&tv);
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
        cmocka_unit_test(test_vanishing_angles),
        cmocka_unit_test(test_single_empty_angle_is_nan),
        cmocka_unit_test(test_all_angles_empty),
        cmocka_unit_test(test_symmetric_is_sum_of_directions),
        cmocka_unit_test(test_absent_levels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
