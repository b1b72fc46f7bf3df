/* radx extract from the command line: batch manifests with broken cases,
 * carried columns, exit status, and parameter errors reported before work. */
#include "testutil.h"
#include "radx/radx.h"

#include <hdf5.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static const char *radx_bin(void)
{
    const char *bin = getenv("RADX_BIN");
    return bin ? bin : "build/radx";
}

/* Run a shell command, capturing stderr into *err (malloc'd); returns the exit status. */
static int run(const char *args, char **err)
{
    char command[4096];
    snprintf(command, sizeof command, "%s extract %s 2>/tmp/radx_cli_err.txt >/tmp/radx_cli_out.txt", radx_bin(), args);
    int status = system(command);
    if (err) *err = radx_test_read_file("/tmp/radx_cli_err.txt", NULL);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char *MANIFEST =
    "case_id,note,Image,Mask,Label\n"
    "good,\"carried, with comma\",../../../tests/data/examples/breast1_image.nrrd,../../../tests/data/examples/breast1_label.nrrd,1\n"
    "missing,x,../../../tests/data/examples/nope.nrrd,../../../tests/data/examples/breast1_label.nrrd,1\n"
    "nolabel,x,../../../tests/data/examples/breast1_image.nrrd,../../../tests/data/examples/breast1_label.nrrd,3\n"
    "badfile,x,../../../tests/data/ibsi/README.md,../../../tests/data/examples/breast1_label.nrrd,1\n"
    "mismatch,x,../../../tests/data/examples/brain1_image.nrrd,../../../tests/data/examples/breast1_label.nrrd,1\n"
    "good2,y,../../../tests/data/examples/prostate_phantom_subvolume.nrrd,../../../tests/data/examples/prostate_phantom_subvolume-label.nrrd,8\n";

static radx_csv *extract_manifest(const char *extra, int expected_exit, char **err)
{
    system("mkdir -p build-test-cli/a/b");
    FILE *f = fopen("build-test-cli/a/b/manifest.csv", "w");
    fputs(MANIFEST, f);
    fclose(f);
    char args[1024];
    snprintf(args, sizeof args, "--cohort build-test-cli/a/b/manifest.csv --out build-test-cli/out.csv %s", extra);
    assert_int_equal(run(args, err), expected_exit);
    radx_csv *csv;
    assert_int_equal(radx_csv_read("build-test-cli/out.csv", &csv), RADX_OK);
    return csv;
}

static void test_broken_cases_reported_batch_goes_on(void **state)
{
    (void)state;
    char *err;
    radx_csv *csv = extract_manifest("--jobs 2", 1, &err);
    assert_int_equal(csv->nrows, 6);
    assert_string_equal(csv->header[0], "case_id");
    assert_string_equal(csv->header[1], "note");
    assert_string_equal(csv->header[5], "diagnostics_status");
    assert_string_equal(csv->cells[0][1], "carried, with comma");
    int status = radx_csv_column(csv, "diagnostics_status");
    int contrast = radx_csv_column(csv, "original_glcm_Contrast");
    assert_true(contrast > status);
    assert_string_equal(csv->cells[0][status], "ok");
    assert_string_equal(csv->cells[5][status], "ok");
    assert_contains(csv->cells[1][status], "nope.nrrd");
    assert_contains(csv->cells[2][status], "label 3");
    assert_contains(csv->cells[3][status], "README.md");
    assert_contains(csv->cells[4][status], "geometry");
    double value;
    assert_int_equal(radx_csv_number(csv->cells[0][contrast], &value), 0);
    assert_true(value > 0);
    assert_string_equal(csv->cells[1][contrast], "");
    assert_contains(err, "4 failed");
    assert_contains(err, "nope.nrrd");
    free(err);
    radx_csv_free(csv);
}

static void test_allow_failures_and_thread_independence(void **state)
{
    (void)state;
    radx_csv *one = extract_manifest("--jobs 1 --allow-failures", 0, NULL);
    radx_csv *two = extract_manifest("--jobs 2 --allow-failures", 0, NULL);
    assert_int_equal(one->ncols, two->ncols);
    for (int r = 0; r < one->nrows; r++)
        for (int c = 0; c < one->ncols; c++) assert_string_equal(one->cells[r][c], two->cells[r][c]);
    radx_csv_free(one);
    radx_csv_free(two);
}

/* --device opencl builds the texture matrices on an OpenCL device (PoCL in
 * CI): the table must be byte-identical to the CPU path's. */
static void test_opencl_path_same_table(void **state)
{
    (void)state;
    radx_csv *cpu = extract_manifest("--device cpu --allow-failures", 0, NULL);
    char *err;
    system("mkdir -p build-test-cli/a/b");
    int rc = run("--cohort build-test-cli/a/b/manifest.csv --out build-test-cli/out.csv --device opencl --allow-failures", &err);
    if (rc != 0 && strstr(err, "no OpenCL device")) {
        free(err);
        radx_csv_free(cpu);
        skip();
    }
    assert_int_equal(rc, 0);
    free(err);
    radx_csv *cl;
    assert_int_equal(radx_csv_read("build-test-cli/out.csv", &cl), RADX_OK);
    assert_int_equal(cpu->ncols, cl->ncols);
    assert_int_equal(cpu->nrows, cl->nrows);
    for (int r = 0; r < cpu->nrows; r++)
        for (int c = 0; c < cpu->ncols; c++) assert_string_equal(cpu->cells[r][c], cl->cells[r][c]);
    radx_csv_free(cpu);
    radx_csv_free(cl);
}

/* The acceptance run: a 2,000-ROI synthetic cohort (2 to 60 px per
 * side, bench/make_rois.c) through `--device opencl` gives the table of
 * `--device cpu`, every cell identical (values are written with 17
 * significant digits). Batches are double-buffered on the device path. */
static void test_opencl_2000_roi_cohort(void **state)
{
    (void)state;
    const char *bin = radx_bin();
    char tool[1024];
    snprintf(tool, sizeof tool, "%.*sbench/radx-make-rois", (int)(strlen(bin) - strlen("radx")), bin);
    char command[4096];
    snprintf(command, sizeof command, "rm -rf build-test-cli/w2000 && %s --out build-test-cli/w2000 "
             "--count 2000 --min 2 --max 60 --seed 11 >/dev/null", tool);
    assert_int_equal(system(command), 0);
    assert_int_equal(run("--cohort build-test-cli/w2000/manifest.csv --out build-test-cli/w2000/cpu.csv "
                         "--device cpu --allow-failures", NULL), 0);
    char *err;
    int rc = run("--cohort build-test-cli/w2000/manifest.csv --out build-test-cli/w2000/cl.csv "
                 "--device opencl --allow-failures", &err);
    if (rc != 0 && strstr(err, "no OpenCL device")) {
        free(err);
        skip();
    }
    assert_int_equal(rc, 0);
    free(err);
    radx_csv *cpu, *cl;
    assert_int_equal(radx_csv_read("build-test-cli/w2000/cpu.csv", &cpu), RADX_OK);
    assert_int_equal(radx_csv_read("build-test-cli/w2000/cl.csv", &cl), RADX_OK);
    assert_int_equal(cpu->nrows, 2000);
    assert_int_equal(cpu->ncols, cl->ncols);
    assert_int_equal(cpu->nrows, cl->nrows);
    int ok_rows = 0, status = radx_csv_column(cpu, "diagnostics_status");
    for (int r = 0; r < cpu->nrows; r++) {
        ok_rows += strcmp(cpu->cells[r][status], "ok") == 0;
        for (int c = 0; c < cpu->ncols; c++)
            if (strcmp(cpu->cells[r][c], cl->cells[r][c]) != 0)
                fail_msg("row %d column %s: cpu %s, opencl %s", r, cpu->header[c], cpu->cells[r][c],
                         cl->cells[r][c]);
    }
    printf("2,000 ROIs: %d extracted, tables identical\n", ok_rows);
    assert_true(ok_rows > 1900);
    radx_csv_free(cpu);
    radx_csv_free(cl);
}

/* A manifest of DICOM ultrasound images with NIfTI/NRRD masks (issue 9):
 * each case takes the spacing of the ultrasound region holding its mask, and
 * the diagnostics say so (tests/data/dicom/README.md: region 1 is 0.1 mm,
 * region 2 0.2 x 0.25 mm). */
static void test_dicom_manifest(void **state)
{
    (void)state;
    assert_int_equal(system("mkdir -p build-test-cli/dicom"), 0);
    FILE *f = fopen("build-test-cli/dicom/manifest.csv", "w");
    fprintf(f, "Case,Image,Mask\n"
               "left,../../tests/data/dicom/us_regions.dcm,../../tests/data/dicom/us_mask_left.nii.gz\n"
               "right,../../tests/data/dicom/us_regions.dcm,../../tests/data/dicom/us_mask_right.nrrd\n"
               "cross,../../tests/data/dicom/us_regions.dcm,../../tests/data/dicom/us_mask_cross.nii\n");
    fclose(f);
    assert_int_equal(run("--cohort build-test-cli/dicom/manifest.csv --out build-test-cli/dicom/out.csv "
                         "--allow-failures", NULL), 0);
    radx_csv *csv;
    assert_int_equal(radx_csv_read("build-test-cli/dicom/out.csv", &csv), RADX_OK);
    int status = radx_csv_column(csv, "diagnostics_status"), source = radx_csv_column(csv, "diagnostics_spacing_source");
    int spacing = radx_csv_column(csv, "diagnostics_spacing");
    assert_true(source >= 0);
    assert_int_equal(csv->nrows, 3);
    for (int r = 0; r < 3; r++) assert_string_equal(csv->cells[r][status], "ok");
    assert_string_equal(csv->cells[0][source], "us_region_mask");
    assert_string_equal(csv->cells[1][source], "us_region_mask");
    assert_contains(csv->cells[0][spacing], "0.10000000000000001x0.10000000000000001");
    assert_contains(csv->cells[1][spacing], "0.20000000000000001x0.25");
    assert_contains(csv->cells[2][source], "flagged");
    radx_csv_free(csv);
}

/* A manifest's Spacing column gives PNG images (which carry none) their
 * pixel size: shape2D PixelSurface = pixels x spacing_x x spacing_y. */
static void test_manifest_spacing_for_png(void **state)
{
    (void)state;
    system("mkdir -p build-test-cli");
    FILE *f = fopen("build-test-cli/png.csv", "w");
    fputs("Image,Mask,Spacing\n"
          "../tests/data/synthetic/syn2d_png_ring_image.png,../tests/data/synthetic/syn2d_png_ring_mask.png,\n"
          "../tests/data/synthetic/syn2d_png_ring_image.png,../tests/data/synthetic/syn2d_png_ring_mask.png,0.5x0.25\n", f);
    fclose(f);
    assert_int_equal(run("--cohort build-test-cli/png.csv --out build-test-cli/png_out.csv", NULL), 0);
    radx_csv *csv;
    assert_int_equal(radx_csv_read("build-test-cli/png_out.csv", &csv), RADX_OK);
    int area = radx_csv_column(csv, "original_shape2D_PixelSurface");
    int voxels = radx_csv_column(csv, "diagnostics_roi_voxels");
    assert_true(area >= 0 && voxels >= 0);
    double a0, a1, n;
    assert_int_equal(radx_csv_number(csv->cells[0][area], &a0), 0);
    assert_int_equal(radx_csv_number(csv->cells[1][area], &a1), 0);
    assert_int_equal(radx_csv_number(csv->cells[0][voxels], &n), 0);
    assert_close("PixelSurface, spacing 1", a0, n, 1e-12, 0);
    assert_close("PixelSurface, spacing 0.5x0.25", a1, n * 0.125, 1e-12, 0);
    radx_csv_free(csv);
    f = fopen("build-test-cli/png.csv", "w");
    fputs("Image,Mask,Spacing\nx.png,y.png,0.5 by 0.5\n", f);
    fclose(f);
    char *err;
    assert_int_equal(run("--cohort build-test-cli/png.csv --out build-test-cli/png_out.csv", &err), 2);
    assert_contains(err, "png.csv:2: Spacing '0.5 by 0.5'");
    free(err);
}

/* Read a 1D variable-length string dataset /columns/<name> (n cells). */
static char **read_h5_strings(hid_t file, const char *name, int n)
{
    hid_t dset = H5Dopen2(file, name, H5P_DEFAULT);
    if (dset < 0) fail_msg("dataset %s missing", name);
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    char **cells = calloc((size_t)n, sizeof *cells);
    assert_true(H5Dread(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, cells) >= 0);
    H5Tclose(type);
    H5Dclose(dset);
    return cells;
}

/* --out FILE.h5: the same numbers, names, carried columns and statuses as
 * the CSV table of the same run. */
static void test_hdf5_output_matches_csv(void **state)
{
    (void)state;
    radx_csv *csv = extract_manifest("--allow-failures", 0, NULL);
    assert_int_equal(run("--cohort build-test-cli/a/b/manifest.csv --out build-test-cli/out.h5 --allow-failures", NULL), 0);
    hid_t file = H5Fopen("build-test-cli/out.h5", H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    int first = radx_csv_column(csv, "diagnostics_spacing_source") + 1;
    int nfeatures = csv->ncols - first;
    char **names = read_h5_strings(file, "feature_names", nfeatures);
    for (int c = 0; c < nfeatures; c++) assert_string_equal(names[c], csv->header[first + c]);
    double *values = malloc((size_t)csv->nrows * nfeatures * sizeof *values);
    hid_t dset = H5Dopen2(file, "features", H5P_DEFAULT);
    assert_true(H5Dread(dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) >= 0);
    H5Dclose(dset);
    for (int r = 0; r < csv->nrows; r++)
        for (int c = 0; c < nfeatures; c++) {
            double expected, got = values[(size_t)r * nfeatures + c];
            if (radx_csv_number(csv->cells[r][first + c], &expected) != 0) assert_true(isnan(got));
            else assert_true(got == expected);
        }
    char **status = read_h5_strings(file, "columns/diagnostics_status", csv->nrows);
    char **note = read_h5_strings(file, "columns/note", csv->nrows);
    int c_status = radx_csv_column(csv, "diagnostics_status");
    for (int r = 0; r < csv->nrows; r++) {
        assert_string_equal(status[r], csv->cells[r][c_status]);
        assert_string_equal(note[r], csv->cells[r][1]);
    }
    H5Fclose(file);
    /* radx_csv_read takes the HDF5 table as the statistics commands do:
     * every cell as the CSV has it (a computed NaN reads back empty). */
    radx_csv *h5;
    assert_int_equal(radx_csv_read("build-test-cli/out.h5", &h5), RADX_OK);
    assert_int_equal(h5->ncols, csv->ncols);
    assert_int_equal(h5->nrows, csv->nrows);
    for (int c = 0; c < csv->ncols; c++) assert_string_equal(h5->header[c], csv->header[c]);
    for (int r = 0; r < csv->nrows; r++)
        for (int c = 0; c < csv->ncols; c++)
            if (strcmp(csv->cells[r][c], "nan") != 0) assert_string_equal(h5->cells[r][c], csv->cells[r][c]);
    radx_csv_free(h5);
    free(values);
    free(names);
    free(status);
    free(note);
    radx_csv_free(csv);
}

/* radx pack then radx extract --tiles: the same table as --cohort, broken
 * cases included. */
static void test_pack_then_extract_tiles(void **state)
{
    (void)state;
    radx_csv *cohort = extract_manifest("--allow-failures", 0, NULL);
    char command[1024];
    snprintf(command, sizeof command,
             "%s pack --cohort build-test-cli/a/b/manifest.csv --out build-test-cli/tiles.h5 --allow-failures "
             "2>/dev/null", radx_bin());
    remove("build-test-cli/tiles.h5");
    assert_int_equal(WEXITSTATUS(system(command)), 0);
    assert_int_equal(run("--tiles build-test-cli/tiles.h5 --out build-test-cli/tiles_out.csv --allow-failures", NULL), 0);
    radx_csv *tiles;
    assert_int_equal(radx_csv_read("build-test-cli/tiles_out.csv", &tiles), RADX_OK);
    assert_int_equal(tiles->ncols, cohort->ncols);
    assert_int_equal(tiles->nrows, cohort->nrows);
    for (int r = 0; r < cohort->nrows; r++)
        for (int c = 0; c < cohort->ncols; c++) assert_string_equal(tiles->cells[r][c], cohort->cells[r][c]);
    radx_csv_free(tiles);
    radx_csv_free(cohort);
}

static void test_params_error_before_work(void **state)
{
    (void)state;
    char *params = radx_test_temp_file(".yaml", "setting:\n  binWidth: 25\n  binwidth: 3\n");
    char args[1024], *err;
    snprintf(args, sizeof args, "--params %s --cohort build-test-cli/a/b/manifest.csv --out build-test-cli/never.csv", params);
    remove("build-test-cli/never.csv");
    assert_int_equal(run(args, &err), 2);
    assert_contains(err, params);
    assert_contains(err, "binwidth");
    assert_contains(err, ":3");
    FILE *f = fopen("build-test-cli/never.csv", "r");
    assert_null(f);
    free(err);
    remove(params);
    free(params);
}

static void test_usage_errors(void **state)
{
    (void)state;
    char *err;
    assert_int_equal(run("--image x.nrrd", &err), 2);
    assert_contains(err, "--mask");
    free(err);
    assert_int_equal(run("--cohort no/such/manifest.csv --out /tmp/x.csv", &err), 2);
    assert_contains(err, "no/such/manifest.csv");
    free(err);
    assert_int_equal(run("--cohort tests/data/ibsi/reference_values.csv --out /tmp/x.csv", &err), 2);
    assert_contains(err, "Image");
    free(err);
}

static void test_single_case_to_stdout(void **state)
{
    (void)state;
    assert_int_equal(run("--image tests/data/ibsi/nifti/phantom.nii.gz --mask tests/data/ibsi/nifti/mask.nii.gz", NULL), 0);
    radx_csv *csv;
    assert_int_equal(radx_csv_read("/tmp/radx_cli_out.txt", &csv), RADX_OK);
    assert_int_equal(csv->nrows, 1);
    assert_string_equal(csv->header[0], "Image");
    assert_int_equal(radx_csv_column(csv, "original_shape_VoxelVolume") >= 0, 1);
    /* IBSI phantom: 74 voxels of 2x2x2 mm = 592 mm^3 (IBSI YEKZ). */
    double volume;
    assert_int_equal(radx_csv_number(csv->cells[0][radx_csv_column(csv, "original_shape_VoxelVolume")], &volume), 0);
    assert_close("VoxelVolume", volume, 592.0, 1e-12, 0);
    radx_csv_free(csv);
}

int main(void)
{
    radx_test_pin_host_reduction();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_broken_cases_reported_batch_goes_on),
        cmocka_unit_test(test_allow_failures_and_thread_independence),
        cmocka_unit_test(test_opencl_path_same_table),
        cmocka_unit_test(test_opencl_2000_roi_cohort),
        cmocka_unit_test(test_dicom_manifest),
        cmocka_unit_test(test_manifest_spacing_for_png),
        cmocka_unit_test(test_hdf5_output_matches_csv),
        cmocka_unit_test(test_pack_then_extract_tiles),
        cmocka_unit_test(test_params_error_before_work),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_single_case_to_stdout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
