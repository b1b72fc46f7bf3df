/* GLCM: the IBSI digital phantom against IBSI's reference values for the four
 * aggregations PyRadiomics can produce, PyRadiomics' own flat-region baseline,
 * and properties that follow from PyRadiomics' definitions (symmetric matrix,
 * absent grey levels, angles without pairs). */
#include "testutil.h"
#include "texture_phantom.h"
#include "radx/radx.h"
#include "features/glcm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* 25 IBSI GLCM rows per aggregation have a PyRadiomics name (sum variance
 * and dissimilarity map to ClusterTendency and DifferenceAverage). */
static void test_ibsi_3d_avg(void **state) { (void)state; assert_int_equal(tex_compare_ibsi(&radx_class_glcm, "glcm", "3D_avg"), 25); }
static void test_ibsi_3d_mrg(void **state) { (void)state; assert_int_equal(tex_compare_ibsi(&radx_class_glcm, "glcm", "3D_mrg"), 25); }
static void test_ibsi_25d_avg(void **state) { (void)state; assert_int_equal(tex_compare_ibsi(&radx_class_glcm, "glcm", "2.5D_avg"), 25); }
static void test_ibsi_25d_mrg(void **state) { (void)state; assert_int_equal(tex_compare_ibsi(&radx_class_glcm, "glcm", "2.5D_mrg"), 25); }

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
    assert_string_equal(radx_class_glcm.name, "glcm");
    tex_check_table(&radx_class_glcm, names, 24);
}

/* ------------------------------------------------------- degenerate ROIs */

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
    tex_roi t;
    tex_roi_make(&t, size, spacing, mask, levels);

    /* 3D averaged, force2D averaged, 3D merged. */
    for (int m = 0; m < 3; m++) {
        double out[RADX_GLCM_NFEATURES];
        tex_compare_flat_mode(&radx_class_glcm, &t, m, NULL, RADX_GLCM_NFEATURES, out);
    }
    tex_roi_free(&t);
}

/* A 1-voxel-thick X pattern (corners level 1, centre level 2): horizontal and
 * vertical angles have no pairs and are dropped; both diagonals give the
 * symmetric p = [[0, .5], [.5, 0]]. Values from glcm.py's formulas with
 * i, j in {1, 2}, Ng = 2. */
static void test_vanishing_angles(void **state)
{
    (void)state;
    tex_roi t;
    tex_make_x_pattern(&t);
    for (int w = 0; w < 2; w++) {
        double out[RADX_GLCM_NFEATURES];
        const radx_feature_opts *opts = tex_opts_mode(0, w ? RADX_WEIGHTING_NONE : RADX_WEIGHTING_AVERAGE);
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
    tex_roi_free(&t);
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
    tex_roi t;
    tex_roi_make(&t, size, spacing, mask, levels);
    double out[RADX_GLCM_NFEATURES];
    assert_int_equal(radx_class_glcm.compute(&t.roi, tex_opts_mode(0, RADX_WEIGHTING_AVERAGE), out), RADX_OK);
    for (int f = 0; f < RADX_GLCM_NFEATURES; f++)
        if (!isnan(out[f])) fail_msg("%s = %g, expected NaN", radx_class_glcm.features[f].name, out[f]);
    tex_roi_free(&t);
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
        tex_roi t;
        tex_roi_make(&t, size, spacing, mask, levels);
        double out[RADX_GLCM_NFEATURES];
        assert_int_equal(radx_class_glcm.compute(&t.roi, tex_opts_mode(0, RADX_WEIGHTING_AVERAGE), out), RADX_OK);
        for (int f = 0; f < RADX_GLCM_NFEATURES; f++) {
            if (f == RADX_GLCM_MCC && !two) assert_close("MCC", out[f], 1.0, 0, 0);
            else if (!isnan(out[f])) fail_msg("%s = %g, expected NaN", radx_class_glcm.features[f].name, out[f]);
        }
        tex_roi_free(&t);
    }
}

/* ------------------------------------------------------ matrix properties */

/* glcm.py: the symmetric GLCM is P + P^T; P(-d) is P(d)^T, so the symmetric
 * matrix of d equals the sum of the directed matrices of d and -d. */
static void test_symmetric_is_sum_of_directions(void **state)
{
    (void)state;
    tex_roi t;
    tex_load_phantom(&t);
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
    tex_roi_free(&t);
}

/* Absent grey levels get no row (glcm.py deletes them) and features weight
 * by the level VALUES. (1) Relabelling the phantom's levels {1,3,4,6} as
 * {1,2,3,4} leaves the features that depend on p(i,j) alone unchanged.
 * (2) Levels {1,2} relabelled v = 2u - 1 as {1,3} (2 absent, Ng 3): the
 * value-weighted features scale as glcm.py's formulas say. */
static void test_absent_levels(void **state)
{
    (void)state;
    tex_roi t, r;
    tex_load_phantom(&t);
    tex_rank_relabelled(&t, &r);
    assert_int_equal(r.roi.ng, 4);
    static const int invariant[] = {RADX_GLCM_JOINT_ENERGY, RADX_GLCM_JOINT_ENTROPY,
                                    RADX_GLCM_MAXIMUM_PROBABILITY, RADX_GLCM_IMC1,
                                    RADX_GLCM_IMC2, RADX_GLCM_MCC};
    for (int m = 0; m < 2; m++) {
        const radx_feature_opts *opts = tex_opts_mode(0, m ? RADX_WEIGHTING_NONE : RADX_WEIGHTING_AVERAGE);
        double a[RADX_GLCM_NFEATURES], b[RADX_GLCM_NFEATURES];
        assert_int_equal(radx_class_glcm.compute(&t.roi, opts, a), RADX_OK);
        assert_int_equal(radx_class_glcm.compute(&r.roi, opts, b), RADX_OK);
        for (size_t i = 0; i < sizeof invariant / sizeof *invariant; i++)
            assert_close(radx_class_glcm.features[invariant[i]].name, b[invariant[i]], a[invariant[i]], 1e-10, 1e-14);
        /* The phantom's contrast uses value differences, so it must change. */
        assert_true(fabs(a[RADX_GLCM_CONTRAST] - b[RADX_GLCM_CONTRAST]) > 0.1);
    }
    tex_roi_free(&r);

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
    tex_roi tu, tv;
    tex_roi_make(&tu, size, spacing, mask, u);
    tex_roi_make(&tv, size, spacing, mask, v);
    assert_int_equal(tv.roi.nlevels, 2);
    assert_int_equal(tv.roi.ng, 3);
    double a[RADX_GLCM_NFEATURES], b[RADX_GLCM_NFEATURES];
    assert_int_equal(radx_class_glcm.compute(&tu.roi, tex_opts_mode(0, RADX_WEIGHTING_AVERAGE), a), RADX_OK);
    assert_int_equal(radx_class_glcm.compute(&tv.roi, tex_opts_mode(0, RADX_WEIGHTING_AVERAGE), b), RADX_OK);
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
    tex_roi_free(&tu);
    tex_roi_free(&tv);
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
        cmocka_unit_test(test_vanishing_angles),
        cmocka_unit_test(test_single_empty_angle_is_nan),
        cmocka_unit_test(test_all_angles_empty),
        cmocka_unit_test(test_symmetric_is_sum_of_directions),
        cmocka_unit_test(test_absent_levels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
