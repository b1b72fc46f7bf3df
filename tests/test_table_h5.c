/* HDF5 feature table (host/io/table_h5.c): write a small table, read every
 * value, name, string cell and attribute back with the plain HDF5 C API
 * (independent of radx's own readers), and check the documented layout
 * (docs/FEATURE_TABLE_H5.md). The reference is the input itself: what goes
 * in must come out bit for bit. */
#include <hdf5.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/table_h5.h"
#include "radx/radx.h"
#include "testutil.h"

enum { NROWS = 3, NCARRIED = 4, NDIAG = 2, NFEAT = 4 };

static char *carried_header[NCARRIED] = {"PatientID", "note, \"quoted\"", "dose/Gy", "PatientID"};
static char *row0[NCARRIED] = {"case-1", "a,b", "60", "dup-a"};
static char *row1[NCARRIED] = {"Müller_Łódź_東京", "say \"hi\"\nnext line", "", "dup-b"};
static char *row2[NCARRIED] = {"", "", "70.5", ""};
static char **carried_cells[NROWS] = {row0, row1, row2};

static const char *const diag_header[NDIAG] = {"diagnostics_status", "diagnostics_warnings"};
static char *diag0[NDIAG] = {"ok", ""};
static char *diag1[NDIAG] = {"ok", "ROI has a single grey level"};
static char *diag2[NDIAG] = {"mask.nii.gz: label 1 absent", ""};
static char **diag_cells[NROWS] = {diag0, diag1, diag2};

static char *feature_names[NFEAT] = {"original_firstorder_Mean", "original_glcm_Contrast",
                                     "original_shape_VoxelVolume", "original_ngtdm_Busyness"};

static const char SETTINGS[] = "setting:\n  binWidth: 25\n  label: 1\nimageType:\n  Original: {}\n";

static double values[NROWS * NFEAT];

static void fill_values(void)
{
    const double row_values[2][NFEAT] = {{1.0 / 3.0, -2.5e-300, 1e300, 0.0},
                                         {-0.0, 4.9e-324, 123456789.123456789, 2.718281828459045}};
    memcpy(values, row_values, sizeof row_values);
    for (int j = 0; j < NFEAT; j++) values[2 * NFEAT + j] = NAN; /* failed case */
}

static char *temp_path(const char *name)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char *path = malloc(strlen(dir) + strlen(name) + 32);
    sprintf(path, "%s/radx_%ld_%s", dir, (long)getpid(), name);
    return path;
}

static hid_t utf8_string_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

/* Compare a 1D variable-length string dataset with `expected`. */
static void check_string_dataset(hid_t loc, const char *name, const char *const *expected, int n)
{
    hid_t dset = H5Dopen2(loc, name, H5P_DEFAULT);
    if (dset < 0) fail_msg("dataset '%s' missing", name);
    hid_t ftype = H5Dget_type(dset);
    assert_true(H5Tis_variable_str(ftype) > 0);
    assert_int_equal(H5Tget_cset(ftype), H5T_CSET_UTF8);
    H5Tclose(ftype);
    hid_t space = H5Dget_space(dset);
    assert_int_equal(H5Sget_simple_extent_ndims(space), 1);
    assert_int_equal(H5Sget_simple_extent_npoints(space), n);
    char **got = calloc((size_t)n + 1, sizeof *got);
    hid_t type = utf8_string_type();
    if (n > 0) assert_true(H5Dread(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, got) >= 0);
    for (int i = 0; i < n; i++)
        if (strcmp(got[i] ? got[i] : "", expected[i]) != 0)
            fail_msg("%s[%d]: got \"%s\", expected \"%s\"", name, i, got[i], expected[i]);
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, got);
    free(got);
    H5Tclose(type);
    H5Sclose(space);
    H5Dclose(dset);
}

/* A scalar string attribute's value (malloc'd). */
static char *read_string_attr(hid_t obj, const char *name)
{
    hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
    if (attr < 0) fail_msg("attribute '%s' missing", name);
    hid_t type = utf8_string_type();
    char *raw = NULL;
    assert_true(H5Aread(attr, type, &raw) >= 0);
    char *copy = strdup(raw ? raw : "");
    H5free_memory(raw);
    H5Tclose(type);
    H5Aclose(attr);
    return copy;
}

static void check_string_attr(hid_t obj, const char *name, const char *expected)
{
    char *got = read_string_attr(obj, name);
    if (strcmp(got, expected) != 0) fail_msg("@%s: got \"%s\", expected \"%s\"", name, got, expected);
    free(got);
}

static int64_t read_int64_attr(hid_t obj, const char *name)
{
    int64_t v = -1;
    hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
    if (attr < 0) fail_msg("attribute '%s' missing", name);
    assert_true(H5Aread(attr, H5T_NATIVE_INT64, &v) >= 0);
    H5Aclose(attr);
    return v;
}

/* /features: shape, float64 LE, chunked with shuffle + deflate, every value bit for bit. */
static void check_features(hid_t file)
{
    hid_t dset = H5Dopen2(file, "features", H5P_DEFAULT);
    assert_true(dset >= 0);
    hid_t type = H5Dget_type(dset);
    assert_true(H5Tequal(type, H5T_IEEE_F64LE) > 0);
    H5Tclose(type);
    hid_t space = H5Dget_space(dset);
    hsize_t dims[2];
    assert_int_equal(H5Sget_simple_extent_dims(space, dims, NULL), 2);
    assert_int_equal(dims[0], NROWS);
    assert_int_equal(dims[1], NFEAT);
    H5Sclose(space);
    hid_t plist = H5Dget_create_plist(dset);
    assert_int_equal(H5Pget_layout(plist), H5D_CHUNKED);
    unsigned flags;
    assert_true(H5Pget_filter_by_id2(plist, H5Z_FILTER_DEFLATE, &flags, NULL, NULL, 0, NULL, NULL) >= 0);
    assert_true(H5Pget_filter_by_id2(plist, H5Z_FILTER_SHUFFLE, &flags, NULL, NULL, 0, NULL, NULL) >= 0);
    H5Pclose(plist);
    double got[NROWS * NFEAT];
    assert_true(H5Dread(dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, got) >= 0);
    for (int i = 0; i < NROWS * NFEAT; i++) {
        if (isnan(values[i])) {
            if (!isnan(got[i])) fail_msg("features[%d]: got %.17g, expected NaN", i, got[i]);
        } else if (memcmp(&got[i], &values[i], sizeof got[i]) != 0) {
            fail_msg("features[%d]: got %.17g, expected %.17g (bitwise)", i, got[i], values[i]);
        }
    }
    H5Dclose(dset);
}

/* /columns: @order, one dataset per column with its cells and @name. */
static void check_columns(hid_t file)
{
    const char *links[NCARRIED + NDIAG] = {"PatientID", "note, \"quoted\"", "dose_Gy", "PatientID_3",
                                           "diagnostics_status", "diagnostics_warnings"};
    hid_t group = H5Gopen2(file, "columns", H5P_DEFAULT);
    assert_true(group >= 0);
    hid_t attr = H5Aopen(group, "order", H5P_DEFAULT);
    assert_true(attr >= 0);
    hid_t space = H5Aget_space(attr);
    assert_int_equal(H5Sget_simple_extent_npoints(space), NCARRIED + NDIAG);
    char *order[NCARRIED + NDIAG] = {0};
    hid_t type = utf8_string_type();
    assert_true(H5Aread(attr, type, order) >= 0);
    for (int c = 0; c < NCARRIED + NDIAG; c++) assert_string_equal(order[c], links[c]);
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, order);
    H5Tclose(type);
    H5Sclose(space);
    H5Aclose(attr);
    for (int c = 0; c < NCARRIED + NDIAG; c++) {
        int carried = c < NCARRIED, k = carried ? c : c - NCARRIED;
        const char *cells[NROWS];
        for (int r = 0; r < NROWS; r++) cells[r] = carried ? carried_cells[r][k] : diag_cells[r][k];
        check_string_dataset(group, links[c], cells, NROWS);
        hid_t dset = H5Dopen2(group, links[c], H5P_DEFAULT);
        check_string_attr(dset, "name", carried ? carried_header[k] : diag_header[k]);
        H5Dclose(dset);
    }
    H5Gclose(group);
}

static void writes_and_reads_back(void **state)
{
    (void)state;
    fill_values();
    char *path = temp_path("features.h5");
    radx_status st = radx_table_h5_write(path, NROWS, NCARRIED, carried_header, carried_cells, NDIAG,
                                         diag_header, diag_cells, NFEAT, feature_names, values, SETTINGS,
                                         NULL);
    if (st != RADX_OK) fail_msg("write: %s", radx_last_error());
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    check_features(file);
    check_string_dataset(file, "feature_names", (const char *const *)feature_names, NFEAT);
    check_columns(file);
    check_string_attr(file, "format", "radx-feature-table");
    check_string_attr(file, "format_version", "1");
    check_string_attr(file, "radx_version", radx_version());
    check_string_attr(file, "settings", SETTINGS);
    assert_int_equal(read_int64_attr(file, "nrows"), NROWS);
    assert_int_equal(read_int64_attr(file, "nfeatures"), NFEAT);
    H5Fclose(file);
    remove(path);
    free(path);
}

/* No cases at all (every case filtered out) still gives a valid, empty table. */
static void empty_table(void **state)
{
    (void)state;
    char *path = temp_path("empty.h5");
    assert_int_equal(radx_table_h5_write(path, 0, 0, NULL, NULL, NDIAG, diag_header, NULL, NFEAT,
                                         feature_names, NULL, NULL, "9.9.9"),
                     RADX_OK);
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    hid_t dset = H5Dopen2(file, "features", H5P_DEFAULT);
    hid_t space = H5Dget_space(dset);
    hsize_t dims[2];
    H5Sget_simple_extent_dims(space, dims, NULL);
    assert_int_equal(dims[0], 0);
    assert_int_equal(dims[1], NFEAT);
    H5Sclose(space);
    H5Dclose(dset);
    check_string_dataset(file, "feature_names", (const char *const *)feature_names, NFEAT);
    hid_t group = H5Gopen2(file, "columns", H5P_DEFAULT);
    check_string_dataset(group, "diagnostics_status", NULL, 0);
    H5Gclose(group);
    check_string_attr(file, "radx_version", "9.9.9");
    check_string_attr(file, "settings", "");
    H5Fclose(file);
    remove(path);
    free(path);
}

static void missing_folder_is_a_clear_error(void **state)
{
    (void)state;
    fill_values();
    const char *path = "/nonexistent-radx-folder/sub/features.h5";
    radx_status st = radx_table_h5_write(path, NROWS, NCARRIED, carried_header, carried_cells, NDIAG,
                                         diag_header, diag_cells, NFEAT, feature_names, values, SETTINGS,
                                         NULL);
    assert_int_equal(st, RADX_ERR_IO);
    assert_contains(radx_last_error(), path);
    assert_contains(radx_last_error(), "folder '/nonexistent-radx-folder/sub'");
    assert_contains(radx_last_error(), "No such file or directory");
}

static void unwritable_target_is_an_error(void **state)
{
    (void)state;
    /* The path names an existing folder: HDF5 cannot create a file there. */
    char *dir = temp_path("dir.h5");
    char *cmd = malloc(strlen(dir) + 16);
    sprintf(cmd, "mkdir -p '%s'", dir);
    assert_int_equal(system(cmd), 0);
    radx_status st = radx_table_h5_write(dir, 0, 0, NULL, NULL, 0, NULL, NULL, 0, NULL, NULL, "", "v");
    assert_int_equal(st, RADX_ERR_IO);
    assert_contains(radx_last_error(), dir);
    assert_contains(radx_last_error(), "cannot create");
    rmdir(dir);
    free(cmd);
    free(dir);
}

static void bad_arguments_are_refused(void **state)
{
    (void)state;
    char *path = temp_path("bad.h5");
    assert_int_equal(radx_table_h5_write(path, -1, 0, NULL, NULL, 0, NULL, NULL, 0, NULL, NULL, "", "v"),
                     RADX_ERR_PARAM);
    assert_int_equal(radx_table_h5_write(path, 2, 0, NULL, NULL, 0, NULL, NULL, 3, feature_names, NULL, "",
                                         "v"),
                     RADX_ERR_PARAM);
    assert_int_equal(access(path, F_OK), -1); /* nothing created */
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writes_and_reads_back),
        cmocka_unit_test(empty_table),
        cmocka_unit_test(missing_folder_is_a_clear_error),
        cmocka_unit_test(unwritable_target_is_an_error),
        cmocka_unit_test(bad_arguments_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
