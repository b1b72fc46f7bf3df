/* HDF5 tile store (host/tiles/, docs/TILESTORE.md): pack a cohort, then
 * extract from the store, against radx_extract_files on the same images (the
 * CPU reference path, IBSI- and PyRadiomics-checked by test_ibsi.c and
 * test_parity.c):
 *  - a 76-row manifest (PyRadiomics' example images, the IBSI phantom, and
 *    broken rows: missing file, non-image file, absent label, mismatched
 *    geometry) packed and extracted on the CPU path: every slot of every row
 *    bit for bit, the same diagnostics, statuses and messages;
 *  - the same from the store on the OpenCL path (skipped without a device);
 *  - the stored manifest, settings and layout (datasets, types, offsets). */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "radx/cl.h"
#include "radx/radx.h"
#include "tiles/h5.h"
#include "tiles/tilestore.h"

static const char *const pairs[][2] = {
    {"tests/data/examples/brain1_image.nrrd", "tests/data/examples/brain1_label.nrrd"},
    {"tests/data/examples/breast1_image.nrrd", "tests/data/examples/breast1_label.nrrd"},
    {"tests/data/examples/prostate_phantom_subvolume.nrrd", "tests/data/examples/prostate_phantom_subvolume-label.nrrd"},
    {"tests/data/ibsi/nifti/phantom.nii.gz", "tests/data/ibsi/nifti/mask.nii.gz"},
    {"tests/data/examples/nope.nrrd", "tests/data/examples/breast1_label.nrrd"},
    {"tests/data/ibsi/README.md", "tests/data/examples/breast1_label.nrrd"},
    {"tests/data/examples/breast1_image.nrrd", "tests/data/examples/breast1_label.nrrd"},
    {"tests/data/examples/brain1_image.nrrd", "tests/data/examples/breast1_label.nrrd"},
};
static const int pair_labels[] = {1, 1, 8, 1, 1, 1, 3, 1};
enum { NPAIRS = sizeof pair_labels / sizeof *pair_labels, NROWS = 76 };

static const char PARAMS[] = "setting:\n  binWidth: 10\n  voxelArrayShift: 1000\n";

typedef struct fixture {
    char dir[64], manifest[128], params[128], store[128];
    radx_params loaded;
    radx_case_result reference[NPAIRS];  /* radx_extract_files per distinct row */
    radx_status reference_status[NPAIRS];
    char reference_message[NPAIRS][1024];
} fixture;

static int pair_of_row(int row) { return row % NPAIRS; }

/* Manifest rows cycle through the pairs; paths absolute (the manifest lives
 * in a temporary folder). */
static void write_inputs(fixture *f)
{
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(f->dir, sizeof f->dir, "/tmp/radx_tiles_XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->manifest, sizeof f->manifest, "%s/manifest.csv", f->dir);
    snprintf(f->params, sizeof f->params, "%s/params.yaml", f->dir);
    snprintf(f->store, sizeof f->store, "%s/tiles.h5", f->dir);
    FILE *m = fopen(f->manifest, "w");
    assert_non_null(m);
    fprintf(m, "case_id,note,Image,Mask,Label\n");
    for (int r = 0; r < NROWS; r++) {
        int p = pair_of_row(r);
        fprintf(m, "case%02d,\"row %d, pair %d\",%s/%s,%s/%s,%d\n", r, r, p, cwd, pairs[p][0], cwd,
                pairs[p][1], pair_labels[p]);
    }
    fclose(m);
    FILE *y = fopen(f->params, "w");
    assert_non_null(y);
    fputs(PARAMS, y);
    fclose(y);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    write_inputs(f);
    radx_params_default(&f->loaded);
    if (radx_params_load(f->params, &f->loaded, NULL, 0) != RADX_OK) fail_msg("%s", radx_last_error());
    char cwd[512], image[1024], mask[1024];
    assert_non_null(getcwd(cwd, sizeof cwd));
    for (int p = 0; p < NPAIRS; p++) {
        radx_params params = f->loaded;
        params.label = pair_labels[p];
        snprintf(image, sizeof image, "%s/%s", cwd, pairs[p][0]);
        snprintf(mask, sizeof mask, "%s/%s", cwd, pairs[p][1]);
        assert_int_equal(radx_case_result_init(&f->reference[p]), RADX_OK);
        f->reference_status[p] = radx_extract_files(image, mask, &params, &f->reference[p]);
        snprintf(f->reference_message[p], sizeof f->reference_message[p], "%s",
                 f->reference_status[p] != RADX_OK ? radx_last_error() : "");
    }
    int failed = -1;
    if (radx_tiles_pack(f->manifest, f->params, f->store, &failed, NULL, NULL) != RADX_OK)
        fail_msg("pack: %s", radx_last_error());
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    for (int p = 0; p < NPAIRS; p++) radx_case_result_free(&f->reference[p]);
    remove(f->manifest);
    remove(f->params);
    remove(f->store);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Every row of an extraction from the store against the reference (run on
 * the same absolute paths, so messages naming files agree). */
static void check_rows(const fixture *f, const radx_tiles *t, radx_tiles_case *cases, const char *what)
{
    int nslots = radx_feature_slot_count(), ok = 0, failed = 0;
    long values = 0;
    for (int r = 0; r < t->ncases; r++) {
        int p = pair_of_row(r);
        const radx_case_result *ref = &f->reference[p], *got = cases[r].result;
        if (cases[r].status != f->reference_status[p])
            fail_msg("%s row %d: %s (%s), reference %s (%s)", what, r, radx_status_name(cases[r].status),
                     cases[r].message, radx_status_name(f->reference_status[p]), f->reference_message[p]);
        assert_string_equal(cases[r].message, f->reference_message[p]);
        if (cases[r].status != RADX_OK) {
            failed++;
            continue;
        }
        ok++;
        assert_memory_equal(got->class_done, ref->class_done, sizeof ref->class_done);
        assert_int_equal(got->roi_voxels, ref->roi_voxels);
        assert_int_equal(got->gray_levels, ref->gray_levels);
        assert_int_equal(got->image_is_2d, ref->image_is_2d);
        assert_memory_equal(got->bbox_size, ref->bbox_size, sizeof ref->bbox_size);
        assert_memory_equal(got->spacing, ref->spacing, sizeof ref->spacing);
        for (int k = 0; k < nslots; k++) {
            double a = ref->values[k], b = got->values[k];
            if (memcmp(&a, &b, sizeof a) != 0 && !(isnan(a) && isnan(b)))
                fail_msg("%s row %d slot %d: store %.17g, images %.17g", what, r, k, b, a);
            values += !isnan(a);
        }
    }
    printf("%s: %d rows identical to extraction from the images (%ld values), %d failing alike\n", what,
           ok, values, failed);
    assert_true(ok >= 40);
    assert_true(failed >= 30);
}

static void extract_and_check(const fixture *f, radx_cl_context *ctx, const char *what)
{
    radx_tiles *t = NULL;
    if (radx_tiles_open(f->store, &t) != RADX_OK) fail_msg("%s", radx_last_error());
    radx_params params;
    if (radx_tiles_params(t, &params) != RADX_OK) fail_msg("%s", radx_last_error());
    radx_case_result *results = calloc((size_t)t->ncases, sizeof *results);
    radx_tiles_case *cases = calloc((size_t)t->ncases, sizeof *cases);
    for (int r = 0; r < t->ncases; r++) {
        assert_int_equal(radx_case_result_init(&results[r]), RADX_OK);
        cases[r].result = &results[r];
    }
    if (radx_tiles_extract(t, &params, ctx, cases, NULL, NULL) != RADX_OK)
        fail_msg("extract: %s", radx_last_error());
    check_rows(f, t, cases, what);
    for (int r = 0; r < t->ncases; r++) radx_case_result_free(&results[r]);
    free(results);
    free(cases);
    radx_tiles_close(t);
}

static void test_extract_from_store_cpu(void **state) { extract_and_check(*state, NULL, "store, CPU path"); }

static void test_extract_from_store_opencl(void **state)
{
    radx_cl_device_info *devices;
    int count;
    assert_int_equal(radx_cl_devices(&devices, &count), RADX_OK);
    int best = radx_cl_best_device(devices, count);
    if (best < 0) {
        free(devices);
        printf("no usable OpenCL device: skipped\n");
        skip();
    }
    radx_cl_context *ctx;
    if (radx_cl_context_create(devices[best].platform_index, devices[best].device_index, &ctx) != RADX_OK)
        fail_msg("%s", radx_last_error());
    free(devices);
    extract_and_check(*state, ctx, "store, OpenCL path");
    radx_cl_context_free(ctx);
}

static void test_store_contents(void **state)
{
    fixture *f = *state;
    radx_tiles *t = NULL;
    assert_int_equal(radx_tiles_open(f->store, &t), RADX_OK);
    assert_int_equal(t->ncases, NROWS);
    assert_int_equal(t->ncols, 5);
    assert_string_equal(t->header[0], "case_id");
    assert_string_equal(t->cells[3 * 5 + 1], "row 3, pair 3");
    assert_string_equal(t->params_text, PARAMS);
    assert_string_equal(t->params_source, f->params);
    radx_params params;
    assert_int_equal(radx_tiles_params(t, &params), RADX_OK);
    assert_true(params.bin_width == f->loaded.bin_width && params.voxel_array_shift == 1000.0);
    /* one tile per prepared row, laid end to end */
    int prepared = 0;
    int64_t next = 0;
    for (int r = 0; r < t->ncases; r++) {
        int p = pair_of_row(r);
        int ok = t->status[r] == RADX_OK;
        if (ok) prepared++;
        assert_int_equal(ok, t->case_tile[r] >= 0);
        if (!ok) continue;
        const radx_tile_info *ti = &t->tiles[t->case_tile[r]];
        assert_int_equal(ti->case_row, r);
        assert_int_equal(ti->offset, next);
        next += (int64_t)ti->size[0] * ti->size[1] * ti->size[2];
        assert_int_equal(ti->roi_voxels, f->reference[p].roi_voxels);
        assert_true(ti->bin_width == 10.0 && ti->bin_count == 0);
    }
    assert_int_equal(prepared, t->ntiles);
    /* documented layout: dataset types and compression */
    hid_t level = H5Dopen2((hid_t)t->file, "voxels/level", H5P_DEFAULT);
    hid_t type = H5Dget_type(level), plist = H5Dget_create_plist(level);
    assert_true(H5Tequal(type, H5T_STD_U16LE) > 0);
    assert_int_equal(H5Pget_layout(plist), H5D_CHUNKED);
    assert_true(H5Pget_nfilters(plist) == 2); /* shuffle + deflate */
    hsize_t dims;
    hid_t space = H5Dget_space(level);
    H5Sget_simple_extent_dims(space, &dims, NULL);
    assert_int_equal((int64_t)dims, next);
    H5Sclose(space), H5Pclose(plist), H5Tclose(type), H5Dclose(level);
    radx_tiles_close(t);
    /* not a store */
    radx_tiles *bad = NULL;
    assert_int_equal(radx_tiles_open(f->manifest, &bad), RADX_ERR_IO);
    assert_contains(radx_last_error(), "cannot open as an HDF5 file");
}

int main(void)
{
    radx_test_pin_host_reduction();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_contents),
        cmocka_unit_test(test_extract_from_store_cpu),
        cmocka_unit_test(test_extract_from_store_opencl),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
