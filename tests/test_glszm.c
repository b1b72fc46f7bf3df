/* GLSZM (host/features/glszm.c) against references nobody here wrote:
 *  - IBSI digital phantom, 3D and 2.5D (PyRadiomics force2D, z slices)
 *    values of tests/data/ibsi/reference_values.csv, to IBSI's 3 digits;
 *  - the worked 5x5 example of PyRadiomics' glszm.py docstring (a single
 *    slice, so 8-connected zones);
 *  - PyRadiomics' own GLSZM matrices (tests/data/pyradiomics-baseline/
 *    brain1_glszm.npy, breast1_glszm.npy) fed to the feature function and
 *    compared with its baseline feature values (relative 1e-12);
 *  - degenerate ROIs (one grey level, one voxel): values of PyRadiomics'
 *    formulas and the entropy PyRadiomics gives (shared/notes/pyradiomics.md). */
#include "testutil.h"
#include "phantom.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/glszm.h"
#include "radx/table.h"

static void test_ibsi_phantom_3d(void **state)
{
    (void)state;
    assert_int_equal(phantom_compare_ibsi(&radx_class_glszm, "glszm", "3D"), 16);
}

/* IBSI 2.5D (62GR) = PyRadiomics force2D with z out of plane: per-slice
 * 8-connected zones pooled in one matrix. */
static void test_ibsi_phantom_25d(void **state)
{
    (void)state;
    assert_int_equal(phantom_compare_ibsi(&radx_class_glszm, "glszm", "2.5D_mrg"), 16);
}

/* -------------------------------------------------- docstring example */

/* glszm.py class docstring: this 5x5 image (rows = y) and its GLSZM
 * (rows grey level 1..5, columns zone size 1..5). One slice: 8-connected. */
static void test_docstring_example_single_slice(void **state)
{
    (void)state;
    const int image[25] = {5, 2, 5, 4, 4, 3, 3, 3, 1, 3, 2, 1, 1, 1, 3,
                           4, 2, 2, 2, 3, 3, 5, 3, 3, 2};
    const int64_t expected[5][5] = {{0, 0, 0, 1, 0}, {1, 0, 0, 0, 1}, {1, 0, 1, 0, 1},
                                    {1, 1, 0, 0, 0}, {3, 0, 0, 0, 0}};
    int size[3] = {5, 5, 1};
    test_roi t;
    test_roi_make(&t, size, image, 1.0);
    radx_feature_opts opts;
    radx_feature_opts_default(&opts); /* 3D opts: size[2] == 1 drops the z offsets */
    radx_glszm_matrix m;
    assert_int_equal(radx_glszm_build(&t.roi, &opts, &m), RADX_OK);
    assert_int_equal(m.nlevels, 5);
    assert_int_equal(m.nsizes, 5);
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++) {
            if (m.counts[i * 5 + j] != expected[i][j])
                fail_msg("P(%d,%d) = %lld, docstring %lld", i + 1, j + 1,
                         (long long)m.counts[i * 5 + j], (long long)expected[i][j]);
        }
    /* Same result with force2D on the z axis. */
    opts.force2d = 1;
    radx_glszm_matrix m2;
    assert_int_equal(radx_glszm_build(&t.roi, &opts, &m2), RADX_OK);
    assert_int_equal(m2.nsizes, 5);
    assert_memory_equal(m.counts, m2.counts, 25 * sizeof *m.counts);
    radx_glszm_matrix_free(&m);
    radx_glszm_matrix_free(&m2);
    test_roi_free(&t);
}

/* Diagonal-only contact joins zones in plane (8-connectivity) but, with z
 * out of plane (force2D on a 3D box), not across slices. */
static void test_connectivity_rules(void **state)
{
    (void)state;
    /* 2 slices of 2x2: level 1 at (0,0,0) and (1,1,1) (3D-diagonal
     * neighbours), level 2 elsewhere. */
    const int image[8] = {1, 2, 2, 2, 2, 2, 2, 1};
    int size[3] = {2, 2, 2};
    test_roi t;
    test_roi_make(&t, size, image, 1.0);
    radx_feature_opts opts;
    radx_feature_opts_default(&opts);
    radx_glszm_matrix m;
    assert_int_equal(radx_glszm_build(&t.roi, &opts, &m), RADX_OK);
    /* 26-connectivity: one zone of 2 (level 1), one of 6 (level 2). */
    assert_int_equal(m.nsizes, 6);
    assert_int_equal(m.counts[0 * 6 + 1], 1);
    assert_int_equal(m.counts[1 * 6 + 5], 1);
    radx_glszm_matrix_free(&m);
    opts.force2d = 1;
    assert_int_equal(radx_glszm_build(&t.roi, &opts, &m), RADX_OK);
    /* In-plane only: two zones of 1 (level 1), two of 3 (level 2). */
    assert_int_equal(m.nsizes, 3);
    assert_int_equal(m.counts[0 * 3 + 0], 2);
    assert_int_equal(m.counts[1 * 3 + 2], 2);
    radx_glszm_matrix_free(&m);
    test_roi_free(&t);
}

/* ------------------------------------------ PyRadiomics baseline matrices */

/* The stored matrix has PyRadiomics' empty zone-size columns deleted, so
 * the sizes j are unknown: only the features that do not weight by j are
 * compared. The grey-level values i come from the NGTDM matrix of the same
 * case (its third column; same discretisation, same levels present). */
static void check_baseline_case(const char *name)
{
    int shape[2];
    int *levels;
    double *P = baseline_matrix(name, "glszm", shape, &levels);
    radx_glszm_matrix m;
    assert_int_equal(radx_glszm_matrix_alloc(shape[0], shape[1], &m), RADX_OK);
    for (int k = 0; k < shape[0] * shape[1]; k++) m.counts[k] = (int64_t)P[k];
    double out[RADX_GLSZM_NFEATURES];
    assert_int_equal(radx_glszm_matrix_features(&m, levels, out), RADX_OK);
    static const char *const size_free[] = {
        "GrayLevelNonUniformity", "GrayLevelNonUniformityNormalized", "GrayLevelVariance",
        "HighGrayLevelZoneEmphasis", "LowGrayLevelZoneEmphasis", "SizeZoneNonUniformity",
        "SizeZoneNonUniformityNormalized", "ZoneEntropy"};
    baseline_compare(&radx_class_glszm, name, size_free, 8, out);
    radx_glszm_matrix_free(&m);
    free(levels);
    free(P);
}

static void test_pyradiomics_baseline_matrices(void **state)
{
    (void)state;
    check_baseline_case("brain1");
    check_baseline_case("breast1");
}

/* ----------------------------------------------------- degenerate ROIs */

/* One grey level (3) filling a 3x3x3 box: a single zone of 27 voxels. */
static void test_one_grey_level(void **state)
{
    (void)state;
    int image[27];
    for (int i = 0; i < 27; i++) image[i] = 3;
    int size[3] = {3, 3, 3};
    test_roi t;
    test_roi_make(&t, size, image, 1.0);
    radx_feature_opts opts;
    radx_feature_opts_default(&opts);
    double out[RADX_GLSZM_NFEATURES];
    assert_int_equal(radx_class_glszm.compute(&t.roi, &opts, out), RADX_OK);
    /* glszm.py with P = [[1]] at i = 3, j = 27, N_z = 1, N_p = 27. */
    assert_close("SAE", out[RADX_GLSZM_SMALL_AREA_EMPHASIS], 1.0 / 729.0, 1e-15, 0);
    assert_close("LAE", out[RADX_GLSZM_LARGE_AREA_EMPHASIS], 729.0, 1e-15, 0);
    assert_close("GLN", out[RADX_GLSZM_GRAY_LEVEL_NON_UNIFORMITY], 1.0, 1e-15, 0);
    assert_close("GLNN", out[RADX_GLSZM_GRAY_LEVEL_NON_UNIFORMITY_NORMALIZED], 1.0, 1e-15, 0);
    assert_close("SZNN", out[RADX_GLSZM_SIZE_ZONE_NON_UNIFORMITY_NORMALIZED], 1.0, 1e-15, 0);
    assert_close("ZP", out[RADX_GLSZM_ZONE_PERCENTAGE], 1.0 / 27.0, 1e-15, 0);
    assert_close("GLV", out[RADX_GLSZM_GRAY_LEVEL_VARIANCE], 0.0, 0, 0);
    assert_close("ZV", out[RADX_GLSZM_ZONE_VARIANCE], 0.0, 0, 0);
    assert_close("LGLZE", out[RADX_GLSZM_LOW_GRAY_LEVEL_ZONE_EMPHASIS], 1.0 / 9.0, 1e-15, 0);
    assert_close("LAHGLE", out[RADX_GLSZM_LARGE_AREA_HIGH_GRAY_LEVEL_EMPHASIS], 9.0 * 729.0, 1e-15, 0);
    /* PyRadiomics gives about -3.2e-16 (its epsilon inside log2; notes). */
    assert_close("ZoneEntropy", out[RADX_GLSZM_ZONE_ENTROPY], -3.2e-16, 0.01, 0);
    test_roi_free(&t);
}

/* A single voxel: no neighbour offsets at all, one zone of size 1. */
static void test_single_voxel(void **state)
{
    (void)state;
    int image[1] = {2};
    int size[3] = {1, 1, 1};
    double out[RADX_GLSZM_NFEATURES];
    small_roi_features(&radx_class_glszm, size, image, out);
    assert_close("SAE", out[RADX_GLSZM_SMALL_AREA_EMPHASIS], 1.0, 1e-15, 0);
    assert_close("ZP", out[RADX_GLSZM_ZONE_PERCENTAGE], 1.0, 1e-15, 0);
    assert_close("HGLZE", out[RADX_GLSZM_HIGH_GRAY_LEVEL_ZONE_EMPHASIS], 4.0, 1e-15, 0);
    assert_close("SAHGLE", out[RADX_GLSZM_SMALL_AREA_HIGH_GRAY_LEVEL_EMPHASIS], 4.0, 1e-15, 0);
    assert_close("ZoneEntropy", out[RADX_GLSZM_ZONE_ENTROPY], -3.2e-16, 0.01, 0);
}

/* The table: 16 features, PyRadiomics' alphabetical order, IBSI codes. */
static void test_feature_table(void **state)
{
    (void)state;
    check_sorted_table(&radx_class_glszm, "glszm", 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feature_table),
        cmocka_unit_test(test_ibsi_phantom_3d),
        cmocka_unit_test(test_ibsi_phantom_25d),
        cmocka_unit_test(test_docstring_example_single_slice),
        cmocka_unit_test(test_connectivity_rules),
        cmocka_unit_test(test_pyradiomics_baseline_matrices),
        cmocka_unit_test(test_one_grey_level),
        cmocka_unit_test(test_single_voxel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
