/* GLRLM: the IBSI digital phantom against IBSI's reference values for the
 * four aggregations PyRadiomics can produce, PyRadiomics' flat-region
 * baseline, and properties that follow from PyRadiomics' definitions (runs
 * cover every voxel once, absent grey levels, angles of a thin ROI). The ROI
 * and IBSI helpers are the same as in test_glcm.c. */
#include "testutil.h"
#include "texture_phantom.h"
#include "radx/radx.h"
#include "features/glrlm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* 16 IBSI GLRLM rows per aggregation, all with a PyRadiomics name. */
static void test_ibsi_3d_avg(void **state) { (void)state; assert_int_equal(tex_compare_ibsi(&radx_class_glrlm, "glrlm", "3D_avg"), 16); }
static void test_ibsi_3d_mrg(void **state) { (void)state; assert_int_equal(tex_compare_ibsi(&radx_class_glrlm, "glrlm", "3D_mrg"), 16); }
static void test_ibsi_25d_avg(void **state) { (void)state; assert_int_equal(tex_compare_ibsi(&radx_class_glrlm, "glrlm", "2.5D_avg"), 16); }
static void test_ibsi_25d_mrg(void **state) { (void)state; assert_int_equal(tex_compare_ibsi(&radx_class_glrlm, "glrlm", "2.5D_mrg"), 16); }

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
    assert_string_equal(radx_class_glrlm.name, "glrlm");
    tex_check_table(&radx_class_glrlm, names, 16);
    for (int f = 0; f < 16; f++) assert_int_equal(strlen(radx_class_glrlm.features[f].ibsi_code), 4);
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
    tex_roi t;
    tex_roi_make(&t, size, spacing, mask, levels);
    static const char *const shape_free[] = {"GrayLevelVariance", "LowGrayLevelRunEmphasis",
                                             "HighGrayLevelRunEmphasis",
                                             "GrayLevelNonUniformityNormalized"};
    for (int m = 0; m < 3; m++) {
        double out[RADX_GLRLM_NFEATURES];
        tex_compare_flat_mode(&radx_class_glrlm, &t, m, shape_free, 4, out);
        assert_close("SRLGLE = SRE", out[RADX_GLRLM_SHORT_RUN_LOW_GRAY_LEVEL_EMPHASIS], out[RADX_GLRLM_SHORT_RUN_EMPHASIS], 1e-14, 0);
        assert_close("SRHGLE = SRE", out[RADX_GLRLM_SHORT_RUN_HIGH_GRAY_LEVEL_EMPHASIS], out[RADX_GLRLM_SHORT_RUN_EMPHASIS], 1e-14, 0);
        assert_close("LRLGLE = LRE", out[RADX_GLRLM_LONG_RUN_LOW_GRAY_LEVEL_EMPHASIS], out[RADX_GLRLM_LONG_RUN_EMPHASIS], 1e-14, 0);
        assert_close("LRHGLE = LRE", out[RADX_GLRLM_LONG_RUN_HIGH_GRAY_LEVEL_EMPHASIS], out[RADX_GLRLM_LONG_RUN_EMPHASIS], 1e-14, 0);
    }
    tex_roi_free(&t);
}

/* Every ROI voxel lies on exactly one run per angle (cmatrices.c
 * calculate_glrlm follows each line of the angle through the bounding box):
 * sum_j j p_r(j) = N_v for each of the 13 phantom angles. */
static void test_runs_cover_every_voxel_once(void **state)
{
    (void)state;
    tex_roi t;
    tex_load_phantom(&t);
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
    tex_roi_free(&t);
}

/* A 1-voxel-thick X pattern (corners 1, centre 2): along every in-plane
 * angle each voxel is its own run, so 5 runs of length 1 (glrlm.py
 * formulas: SRE = LRE = RP = 1, RV = 0, GLN = (4^2 + 1^2) / 5). */
static void test_thin_roi(void **state)
{
    (void)state;
    tex_roi t;
    tex_make_x_pattern(&t);
    for (int m = 0; m < 2; m++) {
        double out[RADX_GLRLM_NFEATURES];
        assert_int_equal(radx_class_glrlm.compute(&t.roi, tex_opts_mode(0, m ? RADX_WEIGHTING_NONE : RADX_WEIGHTING_AVERAGE), out), RADX_OK);
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
    tex_roi_free(&t);
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

    tex_roi t;
    tex_load_phantom(&t);
    double none[RADX_GLRLM_NFEATURES], inf[RADX_GLRLM_NFEATURES], man[RADX_GLRLM_NFEATURES];
    assert_int_equal(radx_class_glrlm.compute(&t.roi, tex_opts_mode(0, RADX_WEIGHTING_NONE), none), RADX_OK);
    assert_int_equal(radx_class_glrlm.compute(&t.roi, tex_opts_mode(0, RADX_WEIGHTING_INFINITY), inf), RADX_OK);
    assert_int_equal(radx_class_glrlm.compute(&t.roi, tex_opts_mode(0, RADX_WEIGHTING_MANHATTAN), man), RADX_OK);
    for (int f = 0; f < RADX_GLRLM_NFEATURES; f++) {
        int doubles = f == RADX_GLRLM_GRAY_LEVEL_NON_UNIFORMITY || f == RADX_GLRLM_RUN_LENGTH_NON_UNIFORMITY;
        assert_close(radx_class_glrlm.features[f].name, inf[f], (doubles ? 2.0 : 1.0) * none[f], 1e-12, 1e-15);
    }
    assert_true(fabs(man[RADX_GLRLM_SHORT_RUN_EMPHASIS] - none[RADX_GLRLM_SHORT_RUN_EMPHASIS]) > 1e-6);
    tex_roi_free(&t);
}

/* Absent grey levels have no row; features weight by level VALUES. The
 * phantom relabelled {1,3,4,6} -> {1,2,3,4} keeps every feature that does
 * not use the level value; GrayLevelVariance changes. */
static void test_absent_levels(void **state)
{
    (void)state;
    tex_roi t, r;
    tex_load_phantom(&t);
    tex_rank_relabelled(&t, &r);
    static const int invariant[] = {
        RADX_GLRLM_GRAY_LEVEL_NON_UNIFORMITY, RADX_GLRLM_GRAY_LEVEL_NON_UNIFORMITY_NORMALIZED,
        RADX_GLRLM_LONG_RUN_EMPHASIS, RADX_GLRLM_RUN_ENTROPY, RADX_GLRLM_RUN_LENGTH_NON_UNIFORMITY,
        RADX_GLRLM_RUN_LENGTH_NON_UNIFORMITY_NORMALIZED, RADX_GLRLM_RUN_PERCENTAGE,
        RADX_GLRLM_RUN_VARIANCE, RADX_GLRLM_SHORT_RUN_EMPHASIS};
    double a[RADX_GLRLM_NFEATURES], b[RADX_GLRLM_NFEATURES];
    assert_int_equal(radx_class_glrlm.compute(&t.roi, tex_opts_mode(0, RADX_WEIGHTING_AVERAGE), a), RADX_OK);
    assert_int_equal(radx_class_glrlm.compute(&r.roi, tex_opts_mode(0, RADX_WEIGHTING_AVERAGE), b), RADX_OK);
    for (size_t i = 0; i < sizeof invariant / sizeof *invariant; i++)
        assert_close(radx_class_glrlm.features[invariant[i]].name, b[invariant[i]], a[invariant[i]], 1e-12, 0);
    assert_true(fabs(a[RADX_GLRLM_GRAY_LEVEL_VARIANCE] - b[RADX_GLRLM_GRAY_LEVEL_VARIANCE]) > 0.1);
    tex_roi_free(&r);
    tex_roi_free(&t);
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
