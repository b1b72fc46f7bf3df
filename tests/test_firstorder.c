/* First-order features (host/features/firstorder.c) against references
 * nobody here wrote:
 *  - the IBSI digital phantom: every intensity_statistics and
 *    intensity_histogram row of tests/data/ibsi/reference_values.csv that
 *    has a PyRadiomics name, to IBSI's 3 digits, with ibsi = 1 and
 *    voxelArrayShift 0; without ibsi, Kurtosis = IBSI + 3 (PyRadiomics'
 *    documented difference) and the voxelArrayShift entering Energy,
 *    TotalEnergy and RootMeanSquared as firstorder.py defines them;
 *  - numpy's documented percentile example and its 'linear' definition;
 *  - a flat ROI: the values shared/notes/pyradiomics.md lists for
 *    PyRadiomics (Skewness, Kurtosis 0; Entropy about -3.2e-16). */
#include "testutil.h"
#include "phantom.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/classes.h"
#include "radx/table.h"

#define IBSI_CSV "tests/data/ibsi/reference_values.csv"

static void compute(const test_roi *t, const radx_feature_opts *opts, double *out)
{
    if (radx_class_firstorder.compute(&t->roi, opts, out) != RADX_OK) fail_msg("%s", radx_last_error());
}

static int index_of(const char *name)
{
    int f = radx_feature_index(&radx_class_firstorder, name);
    if (f < 0) fail_msg("no firstorder feature %s", name);
    return f;
}

/* --------------------------------------------------------- IBSI values */

typedef struct ibsi_row {
    char name[64];     /* PyRadiomics feature name without "firstorder_" */
    char code[8];
    double value;
} ibsi_row;

/* The first-order rows (intensity_statistics, intensity_histogram) of the
 * IBSI CSV that name a PyRadiomics feature; returns how many. */
static int read_ibsi_rows(ibsi_row *rows, int capacity)
{
    radx_csv *csv;
    if (radx_csv_read(IBSI_CSV, &csv) != RADX_OK) fail_msg("%s", radx_last_error());
    int c_family = radx_csv_column(csv, "family"), c_code = radx_csv_column(csv, "ibsi_code");
    int c_value = radx_csv_column(csv, "value"), c_py = radx_csv_column(csv, "pyradiomics_name");
    assert_true(c_family >= 0 && c_code >= 0 && c_value >= 0 && c_py >= 0);
    int n = 0;
    for (int r = 0; r < csv->nrows; r++) {
        char **row = csv->cells[r];
        if (strcmp(row[c_family], "intensity_statistics") && strcmp(row[c_family], "intensity_histogram"))
            continue;
        if (strncmp(row[c_py], "firstorder_", 11)) continue;
        assert_true(n < capacity);
        snprintf(rows[n].name, sizeof rows[n].name, "%s", row[c_py] + 11);
        snprintf(rows[n].code, sizeof rows[n].code, "%s", row[c_code]);
        assert_int_equal(radx_csv_number(row[c_value], &rows[n].value), 0);
        n++;
    }
    radx_csv_free(csv);
    return n;
}

/* The table: 18 features (StandardDeviation is deprecated), PyRadiomics'
 * alphabetical order, and the IBSI code of every IBSI row that maps to one. */
static void test_feature_table(void **state)
{
    (void)state;
    assert_string_equal(radx_class_firstorder.name, "firstorder");
    assert_int_equal(radx_class_firstorder.nfeatures, 18);
    for (int f = 1; f < radx_class_firstorder.nfeatures; f++)
        assert_true(strcmp(radx_class_firstorder.features[f - 1].name, radx_class_firstorder.features[f].name) < 0);
    assert_int_equal(radx_feature_index(&radx_class_firstorder, "StandardDeviation"), -1);
    ibsi_row rows[64];
    int n = read_ibsi_rows(rows, 64);
    assert_int_equal(n, 17); /* 15 statistics + Entropy + Uniformity */
    for (int r = 0; r < n; r++)
        assert_string_equal(radx_class_firstorder.features[index_of(rows[r].name)].ibsi_code, rows[r].code);
    /* TotalEnergy is the one feature without an IBSI counterpart */
    assert_string_equal(radx_class_firstorder.features[index_of("TotalEnergy")].ibsi_code, "");
}

/* IBSI definitions (ibsi = 1, voxelArrayShift 0): every mapped row. */
static void test_ibsi_phantom(void **state)
{
    (void)state;
    test_roi t;
    load_phantom(&t);
    radx_feature_opts opts;
    radx_feature_opts_default(&opts);
    opts.ibsi = 1;
    double out[32];
    compute(&t, &opts, out);
    ibsi_row rows[64];
    int n = read_ibsi_rows(rows, 64);
    for (int r = 0; r < n; r++) {
        char what[128];
        snprintf(what, sizeof what, "IBSI %.63s (%.7s)", rows[r].name, rows[r].code);
        assert_close(what, out[index_of(rows[r].name)], rows[r].value, 0, ibsi_allowed(rows[r].value));
    }
    test_roi_free(&t);
}

static double ibsi_value(const char *name)
{
    ibsi_row rows[64];
    int n = read_ibsi_rows(rows, 64);
    for (int r = 0; r < n; r++)
        if (strcmp(rows[r].name, name) == 0) return rows[r].value;
    fail_msg("no IBSI row for %s", name);
    return NAN;
}

/* PyRadiomics definitions: Kurtosis = IBSI excess kurtosis + 3, the rest as
 * IBSI when voxelArrayShift is 0. */
static void test_pyradiomics_phantom(void **state)
{
    (void)state;
    test_roi t;
    load_phantom(&t);
    radx_feature_opts opts;
    radx_feature_opts_default(&opts);
    double py[32], ibsi[32];
    compute(&t, &opts, py);
    opts.ibsi = 1;
    compute(&t, &opts, ibsi);
    double kurtosis = ibsi_value("Kurtosis");
    assert_close("Kurtosis = IBSI + 3", py[index_of("Kurtosis")], kurtosis + 3.0, 0, ibsi_allowed(kurtosis));
    assert_close("Kurtosis shift", py[index_of("Kurtosis")] - ibsi[index_of("Kurtosis")], 3.0, 1e-15, 0);
    /* Entropy: only eps = 2.2e-16 inside log2 differs */
    assert_close("Entropy", py[index_of("Entropy")], ibsi[index_of("Entropy")], 1e-14, 0);
    for (int f = 0; f < radx_class_firstorder.nfeatures; f++) {
        if (f == index_of("Kurtosis") || f == index_of("Entropy")) continue;
        assert_close(radx_class_firstorder.features[f].name, py[f], ibsi[f], 0, 0);
    }
    /* TotalEnergy: Energy times the voxel volume (2 mm)^3 */
    assert_close("TotalEnergy", py[index_of("TotalEnergy")], 8.0 * ibsi_value("Energy"), 0,
                 8.0 * ibsi_allowed(ibsi_value("Energy")));
    test_roi_free(&t);
}

/* voxelArrayShift c (firstorder.py): Energy = sum (X + c)^2
 * = E_0 + 2 c N mean + N c^2, TotalEnergy = V_voxel Energy, RMS =
 * sqrt(Energy / N); with ibsi the shift is not applied (IBSI N8CA, 5ZWQ). */
static void test_voxel_array_shift(void **state)
{
    (void)state;
    test_roi t;
    load_phantom(&t);
    radx_feature_opts opts;
    radx_feature_opts_default(&opts);
    double plain[32], shifted[32], ibsi[32];
    compute(&t, &opts, plain);
    const double c = 2000.0, n = 74.0;
    opts.voxel_array_shift = c;
    compute(&t, &opts, shifted);
    double energy = plain[index_of("Energy")] + 2.0 * c * n * plain[index_of("Mean")] + n * c * c;
    assert_close("Energy(c)", shifted[index_of("Energy")], energy, 1e-14, 0);
    /* against IBSI's E_0 and mean, to their precision */
    double ibsi_energy = ibsi_value("Energy") + 2.0 * c * n * ibsi_value("Mean") + n * c * c;
    assert_close("Energy(c) from IBSI", shifted[index_of("Energy")], ibsi_energy, 0,
                 ibsi_allowed(ibsi_value("Energy")) + 2.0 * c * n * ibsi_allowed(ibsi_value("Mean")));
    assert_close("TotalEnergy(c)", shifted[index_of("TotalEnergy")], 8.0 * energy, 1e-14, 0);
    assert_close("RMS(c)", shifted[index_of("RootMeanSquared")], sqrt(energy / n), 1e-14, 0);
    assert_close("Mean unshifted", shifted[index_of("Mean")], plain[index_of("Mean")], 0, 0);
    opts.ibsi = 1;
    compute(&t, &opts, ibsi);
    assert_close("ibsi Energy", ibsi[index_of("Energy")], plain[index_of("Energy")], 0, 0);
    assert_close("ibsi RMS", ibsi[index_of("RootMeanSquared")], plain[index_of("RootMeanSquared")], 0, 0);
    test_roi_free(&t);
}

/* ----------------------------------------------------- numpy percentiles */

/* numpy.percentile's documentation example: a = [[10, 7, 4], [3, 2, 1]],
 * np.percentile(a, 50) = 3.5; and its 'linear' definition (virtual index
 * (n - 1) q, linear interpolation between neighbours) on 1..10: P10 = 1.9,
 * P25 = 3.25, P75 = 7.75, P90 = 9.1, median 5.5. Values and levels differ
 * here, so the histogram features must follow the levels. */
static void test_numpy_percentiles(void **state)
{
    (void)state;
    const double spacing[3] = {1, 1, 1};
    const int size_a[3] = {3, 2, 1};
    const double a[6] = {10, 7, 4, 3, 2, 1};
    const int levels_a[6] = {1, 1, 1, 1, 1, 1};
    test_roi t;
    test_roi_make_values(&t, size_a, a, levels_a, spacing);
    double out[32];
    radx_feature_opts opts;
    radx_feature_opts_default(&opts);
    compute(&t, &opts, out);
    assert_close("median numpy example", out[index_of("Median")], 3.5, 0, 0);
    assert_close("one level: Uniformity", out[index_of("Uniformity")], 1.0, 0, 0);
    test_roi_free(&t);

    const int size_b[3] = {5, 2, 1};
    double b[10];
    int levels_b[10];
    for (int i = 0; i < 10; i++) {
        b[i] = 10 - i; /* order must not matter */
        levels_b[i] = i < 5 ? 1 : 2;
    }
    test_roi_make_values(&t, size_b, b, levels_b, spacing);
    compute(&t, &opts, out);
    assert_close("P10", out[index_of("10Percentile")], 1.9, 1e-15, 0);
    assert_close("P90", out[index_of("90Percentile")], 9.1, 1e-15, 0);
    assert_close("IQR", out[index_of("InterquartileRange")], 7.75 - 3.25, 1e-15, 0);
    assert_close("Median", out[index_of("Median")], 5.5, 0, 0);
    assert_close("Range", out[index_of("Range")], 9.0, 0, 0);
    /* rMAD: values 2..9 lie in [1.9, 9.1]: mean 5.5, mean |x - 5.5| = 2 */
    assert_close("RobustMAD", out[index_of("RobustMeanAbsoluteDeviation")], 2.0, 1e-15, 0);
    /* MAD of 1..10 around 5.5: 2.5; variance (N-normalised) 8.25 */
    assert_close("MAD", out[index_of("MeanAbsoluteDeviation")], 2.5, 1e-15, 0);
    assert_close("Variance", out[index_of("Variance")], 8.25, 1e-15, 0);
    /* two equally filled levels: entropy 1 bit, uniformity 1/2 */
    assert_close("Entropy", out[index_of("Entropy")], 1.0, 1e-15, 0);
    assert_close("Uniformity", out[index_of("Uniformity")], 0.5, 0, 0);
    /* symmetric distribution: skewness 0; kurtosis of 1..10:
     * m4 / m2^2 = 120.8625 / 8.25^2 */
    assert_close("Skewness", out[index_of("Skewness")], 0.0, 0, 1e-15);
    assert_close("Kurtosis", out[index_of("Kurtosis")], 120.8625 / (8.25 * 8.25), 1e-14, 0);
    test_roi_free(&t);
}

/* ---------------------------------------------------------- degenerate */

/* A flat ROI (shared/notes/pyradiomics.md, trap 5): Variance, Skewness,
 * Kurtosis 0 (also IBSI, README item 10), Entropy -log2(1 + eps) (about
 * -3.2e-16), Uniformity 1. */
static void test_flat_roi(void **state)
{
    (void)state;
    const int size[3] = {2, 2, 2};
    const double spacing[3] = {1, 1, 1};
    double values[8];
    int levels[8];
    for (int i = 0; i < 8; i++) {
        values[i] = 5.0;
        levels[i] = 1;
    }
    test_roi t;
    test_roi_make_values(&t, size, values, levels, spacing);
    radx_feature_opts opts;
    radx_feature_opts_default(&opts);
    double out[32];
    compute(&t, &opts, out);
    assert_close("Variance", out[index_of("Variance")], 0.0, 0, 0);
    assert_close("Skewness", out[index_of("Skewness")], 0.0, 0, 0);
    assert_close("Kurtosis", out[index_of("Kurtosis")], 0.0, 0, 0);
    assert_close("Entropy", out[index_of("Entropy")], -3.2e-16, 0, 0.1e-16);
    assert_close("Uniformity", out[index_of("Uniformity")], 1.0, 0, 0);
    assert_close("P90", out[index_of("90Percentile")], 5.0, 0, 0);
    assert_close("RobustMAD", out[index_of("RobustMeanAbsoluteDeviation")], 0.0, 0, 0);
    opts.ibsi = 1;
    compute(&t, &opts, out);
    assert_close("IBSI Kurtosis", out[index_of("Kurtosis")], 0.0, 0, 0);
    assert_close("IBSI Entropy", out[index_of("Entropy")], 0.0, 0, 0);
    test_roi_free(&t);
}

static void test_empty_roi(void **state)
{
    (void)state;
    const int size[3] = {2, 1, 1};
    const double spacing[3] = {1, 1, 1}, values[2] = {1, 2};
    const int levels[2] = {0, 0};
    test_roi t;
    test_roi_make_values(&t, size, values, levels, spacing);
    radx_feature_opts opts;
    radx_feature_opts_default(&opts);
    double out[32];
    assert_int_equal(radx_class_firstorder.compute(&t.roi, &opts, out), RADX_ERR_ROI);
    assert_contains(radx_last_error(), "empty");
    test_roi_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feature_table),
        cmocka_unit_test(test_ibsi_phantom),
        cmocka_unit_test(test_pyradiomics_phantom),
        cmocka_unit_test(test_voxel_array_shift),
        cmocka_unit_test(test_numpy_percentiles),
        cmocka_unit_test(test_flat_roi),
        cmocka_unit_test(test_empty_roi),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
