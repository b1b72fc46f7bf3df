/* GLDM (host/features/gldm.c) against references nobody here wrote:
 *  - IBSI digital phantom NGLDM values, 3D and 2.5D (PyRadiomics force2D,
 *    z slices), tests/data/ibsi/reference_values.csv, to IBSI's 3 digits;
 *  - the worked 5x5 example of PyRadiomics' gldm.py docstring (alpha 0,
 *    distance 1, one slice);
 *  - PyRadiomics' own GLDM matrices (tests/data/pyradiomics-baseline/
 *    brain1_gldm.npy, breast1_gldm.npy) fed to the feature function and
 *    compared with its baseline feature values (relative 1e-12);
 *  - gldm_a, distances and degenerate ROIs, by gldm.py's definitions. */
#include "testutil.h"
#include "phantom.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/gldm.h"
#include "radx/table.h"

/* The two IBSI NGLDM features PyRadiomics deprecated, by gldm.py's own
 * (deprecated) definitions:
 *  - GrayLevelNonUniformityNormalized = sum_i p_g(i)^2 / N_z^2 (equal to
 *    firstorder Uniformity; IBSI 5SPA agrees for whole-ROI aggregations, 3D
 *    and 2.5D merged, which are the two tested here);
 *  - DependencePercentage = N_z / N_p, always 1 since every ROI voxel has a
 *    dependence zone (IBSI 6XV8 is 1 on the phantom as well). */
typedef struct phantom_gldm {
    const radx_gldm_matrix *m;
    int64_t nvoxels;
} phantom_gldm;

static double deprecated_feature(const char *name, const void *ctx)
{
    const radx_gldm_matrix *m = ((const phantom_gldm *)ctx)->m;
    int64_t nvoxels = ((const phantom_gldm *)ctx)->nvoxels;
    double nz = 0.0, sum_pg2 = 0.0;
    for (int i = 0; i < m->nlevels; i++) {
        double pg = 0.0;
        for (int c = 0; c < m->ndependences; c++) pg += (double)m->counts[i * m->ndependences + c];
        sum_pg2 += pg * pg;
        nz += pg;
    }
    if (strcmp(name, "GrayLevelNonUniformityNormalized") == 0) return sum_pg2 / (nz * nz);
    if (strcmp(name, "DependencePercentage") == 0) return nz / (double)nvoxels;
    fail_msg("IBSI row gldm_%s has no radx GLDM feature", name);
    return NAN;
}

static void check_phantom(const radx_feature_opts *opts, const char *aggregation)
{
    test_roi t;
    load_phantom(&t);
    double out[RADX_GLDM_NFEATURES];
    if (radx_class_gldm.compute(&t.roi, opts, out) != RADX_OK) fail_msg("%s", radx_last_error());
    radx_gldm_matrix m;
    assert_int_equal(radx_gldm_build(&t.roi, opts, &m), RADX_OK);
    /* 14 radx features + the 2 deprecated ones; IBSI's dependence count
     * energy (CAS9) has no PyRadiomics name. */
    phantom_gldm ctx = {&m, t.roi.nvoxels};
    assert_int_equal(ibsi_compare_rows(&radx_class_gldm, "ngldm", aggregation, out, deprecated_feature, &ctx), 16);
    radx_gldm_matrix_free(&m);
    test_roi_free(&t);
}

static void test_ibsi_phantom_3d(void **state)
{
    (void)state;
    radx_feature_opts opts;
    phantom_opts(0, &opts);
    check_phantom(&opts, "3D");
}

/* IBSI 2.5D (62GR) = PyRadiomics force2D with z out of plane. */
static void test_ibsi_phantom_25d(void **state)
{
    (void)state;
    radx_feature_opts opts;
    phantom_opts(1, &opts);
    check_phantom(&opts, "2.5D_mrg");
}

/* ---------------------------------------------------- small examples */

static radx_gldm_matrix build(const int size[3], const int *image, const radx_feature_opts *opts,
                              test_roi *t)
{
    test_roi_make(t, size, image, 1.0);
    radx_gldm_matrix m;
    if (radx_gldm_build(&t->roi, opts, &m) != RADX_OK) fail_msg("%s", radx_last_error());
    return m;
}

/* gldm.py class docstring: this 5x5 image (rows = y) and its GLDM for
 * alpha 0, delta 1 (rows grey level 1..5, columns dependence size 1..4). */
static void test_docstring_example(void **state)
{
    (void)state;
    const int image[25] = {5, 2, 5, 4, 4, 3, 3, 3, 1, 3, 2, 1, 1, 1, 3,
                           4, 2, 2, 2, 3, 3, 5, 3, 3, 2};
    const int64_t expected[5][4] = {{0, 1, 2, 1}, {1, 2, 3, 0}, {1, 4, 4, 0}, {1, 2, 0, 0},
                                    {3, 0, 0, 0}};
    int size[3] = {5, 5, 1};
    radx_feature_opts opts;
    radx_feature_opts_default(&opts);
    test_roi t;
    radx_gldm_matrix m = build(size, image, &opts, &t);
    assert_int_equal(m.nlevels, 5);
    assert_int_equal(m.ndependences, 4);
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 4; j++)
            if (m.counts[i * 4 + j] != expected[i][j])
                fail_msg("P(%d,%d) = %lld, docstring %lld", i + 1, j + 1,
                         (long long)m.counts[i * 4 + j], (long long)expected[i][j]);
    radx_gldm_matrix_free(&m);
    test_roi_free(&t);
}

/* gldm_a: a neighbour is dependent when |i - j| <= alpha (gldm.py). Line of
 * levels 1, 2, 4 with alpha 1: 1 depends on 2; 2 on 1 (not 4); 4 on none. */
static void test_alpha(void **state)
{
    (void)state;
    const int image[3] = {1, 2, 4};
    int size[3] = {3, 1, 1};
    radx_feature_opts opts;
    radx_feature_opts_default(&opts);
    opts.gldm_a = 1;
    test_roi t;
    radx_gldm_matrix m = build(size, image, &opts, &t);
    assert_int_equal(m.ndependences, 2);
    const int64_t expected[3][2] = {{0, 1}, {0, 1}, {1, 0}};
    assert_memory_equal(m.counts, expected, sizeof expected);
    radx_gldm_matrix_free(&m);
    test_roi_free(&t);
}

/* distances [2]: only the ring at Chebyshev distance 2 (cmatrices.c angles
 * keep offsets whose infinity norm is listed). Line of five equal levels:
 * neighbours at +-2 inside the ROI: 1, 1, 2, 1, 1. */
static void test_distance_ring(void **state)
{
    (void)state;
    const int image[5] = {3, 3, 3, 3, 3};
    int size[3] = {5, 1, 1};
    radx_feature_opts opts;
    radx_feature_opts_default(&opts);
    opts.distances[0] = 2;
    test_roi t;
    radx_gldm_matrix m = build(size, image, &opts, &t);
    assert_int_equal(m.ndependences, 3);
    const int64_t expected[3] = {0, 4, 1};
    assert_memory_equal(m.counts, expected, sizeof expected);
    radx_gldm_matrix_free(&m);
    test_roi_free(&t);
}

/* ------------------------------------------ PyRadiomics baseline matrices */

/* The stored matrix has PyRadiomics' empty dependence columns deleted, so
 * the sizes j are unknown: only the features that do not weight by j are
 * compared. The grey-level values i come from the NGTDM matrix of the same
 * case (its third column; same discretisation, same levels present). */
static void check_baseline_case(const char *name)
{
    int shape[2];
    int *levels;
    double *P = baseline_matrix(name, "gldm", shape, &levels);
    radx_gldm_matrix m;
    assert_int_equal(radx_gldm_matrix_alloc(shape[0], shape[1], &m), RADX_OK);
    for (int k = 0; k < shape[0] * shape[1]; k++) m.counts[k] = (int64_t)P[k];
    double out[RADX_GLDM_NFEATURES];
    assert_int_equal(radx_gldm_matrix_features(&m, levels, out), RADX_OK);
    static const char *const size_free[] = {
        "DependenceEntropy", "DependenceNonUniformity", "DependenceNonUniformityNormalized",
        "GrayLevelNonUniformity", "GrayLevelVariance", "HighGrayLevelEmphasis",
        "LowGrayLevelEmphasis"};
    baseline_compare(&radx_class_gldm, name, size_free, 7, out);
    radx_gldm_matrix_free(&m);
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

/* One grey level (5) in a 2x2 single slice: every voxel has 3 dependent
 * neighbours, P = [[0, 0, 0, 4]] (j = 4). Values of gldm.py's formulas; the
 * entropy as PyRadiomics gives it (about -3.2e-16, notes). */
static void test_one_grey_level(void **state)
{
    (void)state;
    const int image[4] = {5, 5, 5, 5};
    int size[3] = {2, 2, 1};
    double out[RADX_GLDM_NFEATURES];
    small_roi_features(&radx_class_gldm, size, image, out);
    assert_close("SDE", out[RADX_GLDM_SMALL_DEPENDENCE_EMPHASIS], 1.0 / 16.0, 1e-15, 0);
    assert_close("LDE", out[RADX_GLDM_LARGE_DEPENDENCE_EMPHASIS], 16.0, 1e-15, 0);
    assert_close("GLN", out[RADX_GLDM_GRAY_LEVEL_NON_UNIFORMITY], 4.0, 1e-15, 0);
    assert_close("DN", out[RADX_GLDM_DEPENDENCE_NON_UNIFORMITY], 4.0, 1e-15, 0);
    assert_close("DNN", out[RADX_GLDM_DEPENDENCE_NON_UNIFORMITY_NORMALIZED], 1.0, 1e-15, 0);
    assert_close("GLV", out[RADX_GLDM_GRAY_LEVEL_VARIANCE], 0.0, 0, 0);
    assert_close("DV", out[RADX_GLDM_DEPENDENCE_VARIANCE], 0.0, 0, 0);
    assert_close("HGLE", out[RADX_GLDM_HIGH_GRAY_LEVEL_EMPHASIS], 25.0, 1e-15, 0);
    assert_close("LDLGLE", out[RADX_GLDM_LARGE_DEPENDENCE_LOW_GRAY_LEVEL_EMPHASIS], 16.0 / 25.0, 1e-15, 0);
    assert_close("SDHGLE", out[RADX_GLDM_SMALL_DEPENDENCE_HIGH_GRAY_LEVEL_EMPHASIS], 25.0 / 16.0, 1e-15, 0);
    assert_close("DependenceEntropy", out[RADX_GLDM_DEPENDENCE_ENTROPY], -3.2e-16, 0.01, 0);
}

/* A single voxel: no neighbour offsets, dependence size 1. */
static void test_single_voxel(void **state)
{
    (void)state;
    const int image[1] = {2};
    int size[3] = {1, 1, 1};
    double out[RADX_GLDM_NFEATURES];
    small_roi_features(&radx_class_gldm, size, image, out);
    assert_close("SDE", out[RADX_GLDM_SMALL_DEPENDENCE_EMPHASIS], 1.0, 1e-15, 0);
    assert_close("LDE", out[RADX_GLDM_LARGE_DEPENDENCE_EMPHASIS], 1.0, 1e-15, 0);
    assert_close("LGLE", out[RADX_GLDM_LOW_GRAY_LEVEL_EMPHASIS], 0.25, 1e-15, 0);
    assert_close("DependenceEntropy", out[RADX_GLDM_DEPENDENCE_ENTROPY], -3.2e-16, 0.01, 0);
}

/* The table: 14 features (deprecated ones excluded), PyRadiomics'
 * alphabetical order, IBSI codes. */
static void test_feature_table(void **state)
{
    (void)state;
    check_sorted_table(&radx_class_gldm, "gldm", 14);
    assert_int_equal(table_index(&radx_class_gldm, "DependencePercentage"), -1);
    assert_int_equal(table_index(&radx_class_gldm, "GrayLevelNonUniformityNormalized"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feature_table),
        cmocka_unit_test(test_ibsi_phantom_3d),
        cmocka_unit_test(test_ibsi_phantom_25d),
        cmocka_unit_test(test_docstring_example),
        cmocka_unit_test(test_alpha),
        cmocka_unit_test(test_distance_ring),
        cmocka_unit_test(test_pyradiomics_baseline_matrices),
        cmocka_unit_test(test_one_grey_level),
        cmocka_unit_test(test_single_voxel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
