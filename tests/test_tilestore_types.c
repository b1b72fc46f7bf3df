/* Derived image types (LoG, wavelet, square, LBP2D, gradient, ...) in the
 * HDF5 tile store (host/tiles/, docs/TILESTORE.md, format version 2) and
 * through the OpenCL texture path (radx_cl_extract_files with
 * radx_cl_extract_batch_derived), against radx_extract_files on the same
 * images (the CPU reference path, IBSI- and PyRadiomics-checked by
 * test_ibsi.c, test_parity.c and test_extract_filters.c):
 *  - a 2D cohort (radx synth, the founding study's ultrasound shape) with
 *    LoG (2 sigmas), Wavelet, Square (its own binCount), LBP2D, LBP3D (a
 *    warning on 2D images: a case failing before it must not have it), and a 3D one
 *    (PyRadiomics' example images, the IBSI phantom) with LoG (one sigma too
 *    large: a warning) and Gradient; both with broken rows and a one-voxel
 *    ROI whose derived images' texture classes fail;
 *  - from the store on the CPU and on OpenCL, and --cohort on OpenCL: every
 *    value of every image bit for bit, statuses, messages and warnings;
 *  - `radx extract` CSVs byte for byte: --cohort cpu, --tiles cpu/opencl,
 *    --cohort opencl;
 *  - the v2 layout read with the HDF5 C API (per-tile image names and bin
 *    settings), a version-1 store still read, an unknown version refused.
 * RADX_TEST_KEEP_TMP=1 keeps the temporary folder (/tmp/radx_ttypes_*). */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "radx/cl.h"
#include "radx/radx.h"
#include "radx/synth.h"
#include "tiles/h5.h"
#include "tiles/tilestore.h"

static const char PARAMS_2D[] =
    "setting:\n  normalize: true\n  normalizeScale: 100\n  resampledPixelSpacing: [1, 1, 0]\n"
    "  interpolator: sitkBSpline\n  padDistance: 10\n  binWidth: 5\n  label: 1\n"
    "  minimumROIDimensions: 1\n"
    "imageType:\n  Original: {}\n  LoG:\n    sigma: [1.0, 2.0]\n  Wavelet: {}\n"
    "  Square:\n    binCount: 16\n  LBP2D:\n    distances: [8]\n  LBP3D: {}\n"
    "featureClass:\n  shape2D:\n  firstorder:\n  glcm:\n  glrlm:\n  glszm:\n  gldm:\n  ngtdm:\n";

static const char PARAMS_3D[] =
    "setting:\n  binWidth: 25\n  label: 1\n  minimumROIDimensions: 1\n"
    "imageType:\n  Original: {}\n  LoG:\n    sigma: [1.0, 40.0]\n    distances: [8]\n"
    "  Gradient:\n    binWidth: 10\n"
    "featureClass:\n  shape:\n  firstorder:\n  glcm:\n  glrlm:\n  glszm:\n  gldm:\n  ngtdm:\n";

/* The 3D settings with a Gradient bin width too small for its grey levels:
 * that derived image fails while it is made, after the LoG images, whose
 * texture classes may fail first (a failure found while packing). */
static const char PARAMS_3D_LATE[] =
    "setting:\n  binWidth: 25\n  label: 1\n  minimumROIDimensions: 1\n"
    "imageType:\n  Original: {}\n  LoG:\n    sigma: [1.0, 40.0]\n    distances: [8]\n"
    "  Gradient:\n    binWidth: 0.0001\n"
    "featureClass:\n  shape:\n  firstorder:\n  glcm:\n  glrlm:\n  glszm:\n  gldm:\n  ngtdm:\n";

static const char PARAMS_ORIGINAL[] = "setting:\n  binWidth: 25\n  label: 1\n";

enum { MAX_ROWS = 32 };

typedef struct cohort {
    char manifest[256], params[256], store[256];
    int nrows;
    char image[MAX_ROWS][512], mask[MAX_ROWS][512];
    int label[MAX_ROWS];
    radx_case_result reference[MAX_ROWS];
    radx_status reference_status[MAX_ROWS];
    char reference_message[MAX_ROWS][1024];
} cohort;

typedef struct fixture {
    char dir[64];
    cohort c2d, c3d, late, orig;
    radx_cl_context *ctx;        /* NULL without a usable device */
} fixture;

static void add_row(cohort *c, const char *image, const char *mask, int label)
{
    assert_true(c->nrows < MAX_ROWS && strlen(image) < sizeof c->image[0] && strlen(mask) < sizeof c->mask[0]);
    memmove(c->image[c->nrows], image, strlen(image) + 1);
    memmove(c->mask[c->nrows], mask, strlen(mask) + 1);
    c->label[c->nrows++] = label;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The manifest, the params file and the CPU reference of every row. */
static void finish_cohort(const fixture *fx, cohort *c, const char *name, const char *params_text)
{
    char dir[sizeof fx->dir];
    memcpy(dir, fx->dir, sizeof dir);
    snprintf(c->manifest, sizeof c->manifest, "%s/%s.csv", dir, name);
    snprintf(c->params, sizeof c->params, "%s/%s.yaml", dir, name);
    snprintf(c->store, sizeof c->store, "%s/%s.h5", dir, name);
    write_text(c->params, params_text);
    FILE *m = fopen(c->manifest, "w");
    assert_non_null(m);
    fprintf(m, "case_id,Image,Mask,Label\n");
    for (int r = 0; r < c->nrows; r++) fprintf(m, "row%02d,%s,%s,%d\n", r, c->image[r], c->mask[r], c->label[r]);
    fclose(m);
    radx_params loaded;
    radx_params_default(&loaded);
    if (radx_params_load(c->params, &loaded, NULL, 0) != RADX_OK) fail_msg("%s", radx_last_error());
    for (int r = 0; r < c->nrows; r++) {
        radx_params p = loaded;
        p.label = c->label[r];
        assert_int_equal(radx_case_result_init(&c->reference[r]), RADX_OK);
        c->reference_status[r] = radx_extract_files(c->image[r], c->mask[r], &p, &c->reference[r]);
        snprintf(c->reference_message[r], sizeof c->reference_message[r], "%s",
                 c->reference_status[r] != RADX_OK ? radx_last_error() : "");
    }
    int failed = -1;
    if (radx_tiles_pack(c->manifest, c->params, c->store, &failed, NULL, NULL) != RADX_OK)
        fail_msg("pack %s: %s", name, radx_last_error());
}

/* A mask on `mask_path`'s grid with the box of n[0] x n[1] x n[2] voxels
 * from (x, y, z) set to 1. */
static void box_mask(const char *mask_path, int x, int y, int z, const int n[3], const char *out)
{
    radx_image *mask = NULL;
    if (radx_image_read(mask_path, &mask) != RADX_OK) fail_msg("%s", radx_last_error());
    size_t total = (size_t)mask->size[0] * mask->size[1] * mask->size[2];
    for (size_t i = 0; i < total; i++) mask->data[i] = 0;
    for (int k = z; k < z + n[2] && k < mask->size[2]; k++)
        for (int j = y; j < y + n[1] && j < mask->size[1]; j++)
            for (int i = x; i < x + n[0] && i < mask->size[0]; i++)
                mask->data[(size_t)i + (size_t)mask->size[0] * ((size_t)j + (size_t)mask->size[1] * k)] = 1;
    if (radx_image_write_nifti(out, mask, 1) != RADX_OK) fail_msg("%s", radx_last_error());
    radx_image_free(mask);
}

static void make_2d(fixture *fx)
{
    char synth[128], image[512], mask[512], cwd[256];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(synth, sizeof synth, "%s/synth", fx->dir);
    radx_synth_options o = {.seed = 1, .scale = 0.03, .threads = 1};
    if (radx_synth_write(synth, &o, NULL) != RADX_OK) fail_msg("synth: %s", radx_last_error());
    cohort *c = &fx->c2d;
    for (int k = 1; k <= 8; k++) {
        snprintf(image, sizeof image, "%s/images/C1-%04d.nii.gz", synth, k);
        snprintf(mask, sizeof mask, "%s/masks/C1-%04d.nii.gz", synth, k);
        add_row(c, image, mask, 1);
    }
    /* one pixel (fails in preparation), then a box of about 6 x 5 pixels
     * after resampling to 1 mm (LBP2D's texture
     * classes fail: no angle of distance 8 fits) */
    char one[256], small[256];
    snprintf(one, sizeof one, "%s/one_pixel_2d.nii.gz", fx->dir);
    radx_image *m1 = NULL;
    snprintf(mask, sizeof mask, "%s/masks/C1-0001.nii.gz", synth);
    assert_int_equal(radx_image_read(mask, &m1), RADX_OK);
    size_t at = 0, n = (size_t)m1->size[0] * m1->size[1];
    while (at < n && m1->data[at] == 0) at++;
    assert_true(at < n);
    int x = (int)(at % (size_t)m1->size[0]), y = (int)(at / (size_t)m1->size[0]);
    radx_image_free(m1);
    box_mask(mask, x + 2, y + 2, 0, (const int[3]){1, 1, 1}, one);
    snprintf(small, sizeof small, "%s/small_box_2d.nii.gz", fx->dir);
    box_mask(mask, x, y, 0, (const int[3]){80, 66, 1}, small); /* 0.075 mm pixels */
    snprintf(image, sizeof image, "%s/images/C1-0001.nii.gz", synth);
    add_row(c, image, one, 1);
    add_row(c, image, small, 1);
    snprintf(image, sizeof image, "%s/images/C1-0099.nii.gz", synth);
    add_row(c, image, mask, 1); /* missing file */
    snprintf(image, sizeof image, "%s/images/C1-0002.nii.gz", synth);
    snprintf(mask, sizeof mask, "%s/masks/C1-0002.nii.gz", synth);
    add_row(c, image, mask, 7); /* absent label */
    finish_cohort(fx, c, "c2d", PARAMS_2D);
}

static void make_3d(fixture *fx)
{
    char cwd[256], image[512], mask[512], one[256];
    assert_non_null(getcwd(cwd, sizeof cwd));
    static const char *const pairs[][2] = {
        {"tests/data/examples/brain1_image.nrrd", "tests/data/examples/brain1_label.nrrd"},
        {"tests/data/examples/breast1_image.nrrd", "tests/data/examples/breast1_label.nrrd"},
        {"tests/data/examples/prostate_phantom_subvolume.nrrd", "tests/data/examples/prostate_phantom_subvolume-label.nrrd"},
        {"tests/data/ibsi/nifti/phantom.nii.gz", "tests/data/ibsi/nifti/mask.nii.gz"},
        {"tests/data/examples/nope.nrrd", "tests/data/examples/breast1_label.nrrd"},
    };
    static const int labels[] = {1, 1, 8, 1, 1};
    cohort *c = &fx->c3d;
    for (int p = 0; p < 5; p++) {
        snprintf(image, sizeof image, "%s/%s", cwd, pairs[p][0]);
        snprintf(mask, sizeof mask, "%s/%s", cwd, pairs[p][1]);
        add_row(c, image, mask, labels[p]);
    }
    /* one voxel inside brain1's ROI (fails in preparation), then a 4 x 4 x 2
     * box (the LoG images' texture classes fail: no angle of distance 8) */
    char small[256];
    snprintf(one, sizeof one, "%s/one_voxel_3d.nii.gz", fx->dir);
    snprintf(small, sizeof small, "%s/small_box_3d.nii.gz", fx->dir);
    snprintf(mask, sizeof mask, "%s/%s", cwd, pairs[0][1]);
    radx_image *m = NULL;
    assert_int_equal(radx_image_read(mask, &m), RADX_OK);
    size_t at = 0, n = (size_t)m->size[0] * m->size[1] * m->size[2];
    while (at < n && m->data[at] != 1) at++;
    assert_true(at < n);
    int sx = m->size[0], sy = m->size[1];
    radx_image_free(m);
    int x = (int)(at % sx), y = (int)(at / sx % sy), z = (int)(at / ((size_t)sx * sy));
    box_mask(mask, x, y, z, (const int[3]){1, 1, 1}, one);
    box_mask(mask, x, y, z, (const int[3]){4, 4, 2}, small);
    snprintf(image, sizeof image, "%s/%s", cwd, pairs[0][0]);
    add_row(c, image, one, 1);
    add_row(c, image, small, 1);
    finish_cohort(fx, c, "c3d", PARAMS_3D);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/radx_ttypes_XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    make_2d(fx);
    make_3d(fx);
    cohort *o = &fx->orig; /* the 3D rows with the Original image type only */
    for (int r = 0; r < fx->c3d.nrows; r++) add_row(o, fx->c3d.image[r], fx->c3d.mask[r], fx->c3d.label[r]);
    finish_cohort(fx, o, "orig", PARAMS_ORIGINAL);
    cohort *l = &fx->late; /* brain1, the IBSI phantom, the small box */
    const int late_rows[] = {0, 3, 6};
    for (int i = 0; i < 3; i++)
        add_row(l, fx->c3d.image[late_rows[i]], fx->c3d.mask[late_rows[i]], fx->c3d.label[late_rows[i]]);
    finish_cohort(fx, l, "late", PARAMS_3D_LATE);
    radx_cl_device_info *devices;
    int count;
    assert_int_equal(radx_cl_devices(&devices, &count), RADX_OK);
    int best = radx_cl_best_device(devices, count);
    if (best >= 0 && radx_cl_context_create(devices[best].platform_index, devices[best].device_index,
                                            &fx->ctx) != RADX_OK)
        fail_msg("%s", radx_last_error());
    free(devices);
    *state = fx;
    return 0;
}

static void cohort_free(cohort *c)
{
    for (int r = 0; r < c->nrows; r++) radx_case_result_free(&c->reference[r]);
}

static int teardown(void **state)
{
    fixture *fx = *state;
    cohort_free(&fx->c2d);
    cohort_free(&fx->c3d);
    cohort_free(&fx->orig);
    cohort_free(&fx->late);
    if (fx->ctx) radx_cl_context_free(fx->ctx);
    char command[256];
    snprintf(command, sizeof command, "rm -rf '%s'", fx->dir);
    if (!getenv("RADX_TEST_KEEP_TMP") && system(command) != 0) fprintf(stderr, "could not remove %s\n", fx->dir);
    free(fx);
    return 0;
}

/* One image's values bit for bit (NaN where not computed alike). */
static long same_values(const char *what, int row, const radx_case_result *ref, const radx_case_result *got)
{
    assert_string_equal(got->image_name, ref->image_name);
    assert_memory_equal(got->class_done, ref->class_done, sizeof ref->class_done);
    long values = 0;
    for (int k = 0; k < radx_feature_slot_count(); k++) {
        double a = ref->values[k], b = got->values[k];
        if (memcmp(&a, &b, sizeof a) != 0 && !(isnan(a) && isnan(b)))
            fail_msg("%s row %d %s slot %d: got %.17g, reference %.17g", what, row, ref->image_name, k, b, a);
        values += !isnan(a);
    }
    return values;
}

typedef struct tally {
    int ok, failed, derived_failures, warned;
    long values;
} tally;

/* One row against the CPU reference: status, message, warnings; when ok,
 * the diagnostics and every value of every image. */
static void check_row(const cohort *c, int r, radx_status status, const char *message,
                      const radx_case_result *got, const char *what, tally *t)
{
    const radx_case_result *ref = &c->reference[r];
    if (status != c->reference_status[r])
        fail_msg("%s row %d: %s (%s), reference %s (%s)", what, r, radx_status_name(status), message,
                 radx_status_name(c->reference_status[r]), c->reference_message[r]);
    assert_string_equal(message, c->reference_message[r]);
    assert_string_equal(got->warnings, ref->warnings);
    t->warned += ref->warnings[0] != '\0';
    if (status != RADX_OK) {
        t->failed++;
        t->derived_failures += strncmp(message, "image ", 6) == 0;
        return;
    }
    t->ok++;
    assert_int_equal(got->roi_voxels, ref->roi_voxels);
    assert_int_equal(got->gray_levels, ref->gray_levels);
    assert_memory_equal(got->bbox_size, ref->bbox_size, sizeof ref->bbox_size);
    assert_memory_equal(got->spacing, ref->spacing, sizeof ref->spacing);
    assert_int_equal(got->nderived, ref->nderived);
    t->values += same_values(what, r, ref, got);
    for (int d = 0; d < ref->nderived; d++) t->values += same_values(what, r, &ref->derived[d], &got->derived[d]);
}

static void report(const char *what, const tally *t, int min_ok, int min_derived_failures)
{
    printf("%s: %d rows identical (%ld values), %d failing alike (%d in a derived image), %d with "
           "warnings\n", what, t->ok, t->values, t->failed, t->derived_failures, t->warned);
    assert_true(t->ok >= min_ok);
    assert_true(t->derived_failures >= min_derived_failures);
}

static void extract_store(const cohort *c, radx_cl_context *ctx, const char *what, int min_ok,
                          int min_derived_failures)
{
    radx_tiles *t = NULL;
    if (radx_tiles_open(c->store, &t) != RADX_OK) fail_msg("%s", radx_last_error());
    radx_params params;
    if (radx_tiles_params(t, &params) != RADX_OK) fail_msg("%s", radx_last_error());
    assert_int_equal(t->ncases, c->nrows);
    radx_case_result *results = calloc((size_t)t->ncases, sizeof *results);
    radx_tiles_case *cases = calloc((size_t)t->ncases, sizeof *cases);
    for (int r = 0; r < t->ncases; r++) {
        assert_int_equal(radx_case_result_init(&results[r]), RADX_OK);
        cases[r].result = &results[r];
    }
    if (radx_tiles_extract(t, &params, ctx, cases, NULL, NULL) != RADX_OK)
        fail_msg("extract: %s", radx_last_error());
    tally tl = {0};
    for (int r = 0; r < t->ncases; r++) check_row(c, r, cases[r].status, cases[r].message, &results[r], what, &tl);
    report(what, &tl, min_ok, min_derived_failures);
    for (int r = 0; r < t->ncases; r++) radx_case_result_free(&results[r]);
    free(results);
    free(cases);
    radx_tiles_close(t);
}

static void extract_cohort_opencl(const cohort *c, radx_cl_context *ctx, const char *what, int min_ok,
                                  int min_derived_failures)
{
    radx_params params;
    radx_params_default(&params);
    if (radx_params_load(c->params, &params, NULL, 0) != RADX_OK) fail_msg("%s", radx_last_error());
    radx_case_result results[MAX_ROWS];
    radx_cl_file_case cases[MAX_ROWS];
    memset(cases, 0, sizeof cases);
    for (int r = 0; r < c->nrows; r++) {
        assert_int_equal(radx_case_result_init(&results[r]), RADX_OK);
        cases[r] = (radx_cl_file_case){.image = c->image[r], .mask = c->mask[r], .label = c->label[r],
                                       .result = &results[r]};
    }
    if (radx_cl_extract_files(ctx, &params, cases, c->nrows, NULL, NULL) != RADX_OK)
        fail_msg("%s: %s", what, radx_last_error());
    tally tl = {0};
    for (int r = 0; r < c->nrows; r++) check_row(c, r, cases[r].status, cases[r].message, &results[r], what, &tl);
    report(what, &tl, min_ok, min_derived_failures);
    for (int r = 0; r < c->nrows; r++) radx_case_result_free(&results[r]);
}

static void test_store_cpu(void **state)
{
    fixture *fx = *state;
    extract_store(&fx->c2d, NULL, "2D store, CPU", 8, 1);
    extract_store(&fx->c3d, NULL, "3D store, CPU", 3, 2);
    extract_store(&fx->late, NULL, "3D late failure, store, CPU", 0, 3);
}

static void test_store_opencl(void **state)
{
    fixture *fx = *state;
    if (!fx->ctx) {
        printf("no usable OpenCL device: skipped\n");
        skip();
    }
    extract_store(&fx->c2d, fx->ctx, "2D store, OpenCL", 8, 1);
    extract_store(&fx->c3d, fx->ctx, "3D store, OpenCL", 3, 2);
    extract_store(&fx->late, fx->ctx, "3D late failure, store, OpenCL", 0, 3);
}

static void test_cohort_opencl(void **state)
{
    fixture *fx = *state;
    if (!fx->ctx) {
        printf("no usable OpenCL device: skipped\n");
        skip();
    }
    extract_cohort_opencl(&fx->c2d, fx->ctx, "2D --cohort, OpenCL", 8, 1);
    extract_cohort_opencl(&fx->c3d, fx->ctx, "3D --cohort, OpenCL", 3, 2);
    extract_cohort_opencl(&fx->late, fx->ctx, "3D late failure, --cohort, OpenCL", 0, 3);
}

/* ------------------------------------------------------------- layout */

static char **read_strings(hid_t file, const char *name, hsize_t *n)
{
    char **s = NULL;
    if (radx_h5_read_strings(file, "store", name, &s, n) != RADX_OK) fail_msg("%s", radx_last_error());
    return s;
}

/* The v2 layout as a reader without radx sees it (HDF5 C API). */
static void test_layout_v2(void **state)
{
    fixture *fx = *state;
    const cohort *c = &fx->c2d;
    hid_t f = H5Fopen(c->store, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    char *version = NULL;
    assert_int_equal(radx_h5_read_attr_string(f, "store", "format_version", &version), RADX_OK);
    assert_string_equal(version, "2");
    free(version);
    hsize_t nt = 0, nk = 0, nw = 0, dims[2];
    char **names = read_strings(f, "tiles/image_type", &nt);
    char **kinds = read_strings(f, "tiles/image_kind", &nk);
    char **warnings = read_strings(f, "manifest/warnings", &nw);
    int *ntiles = NULL, *bin_count = NULL, *case_row = NULL;
    int64_t *tile = NULL;
    double *bin_width = NULL;
    assert_int_equal(radx_h5_read(f, "store", "manifest/ntiles", H5T_NATIVE_INT, 1, dims, (void **)&ntiles), RADX_OK);
    assert_int_equal(radx_h5_read(f, "store", "manifest/tile", H5T_NATIVE_INT64, 1, dims, (void **)&tile), RADX_OK);
    assert_int_equal(radx_h5_read(f, "store", "tiles/bin_count", H5T_NATIVE_INT, 1, dims, (void **)&bin_count), RADX_OK);
    assert_int_equal(radx_h5_read(f, "store", "tiles/bin_width", H5T_NATIVE_DOUBLE, 1, dims, (void **)&bin_width), RADX_OK);
    assert_int_equal(radx_h5_read(f, "store", "tiles/case", H5T_NATIVE_INT, 1, dims, (void **)&case_row), RADX_OK);
    assert_int_equal(nk, nt);
    assert_int_equal(nw, (hsize_t)c->nrows);
    /* every prepared row: its images as the CPU path named them, in order */
    int64_t total = 0;
    for (int r = 0; r < c->nrows; r++) {
        const radx_case_result *ref = &c->reference[r];
        /* the warnings after preparation: the case's, unless a class fails later */
        if (c->reference_status[r] == RADX_OK || tile[r] < 0) assert_string_equal(warnings[r], ref->warnings);
        if (tile[r] < 0) {
            assert_int_equal(ntiles[r], 0);
            continue;
        }
        if (c->reference_status[r] == RADX_OK) assert_int_equal(ntiles[r], 1 + ref->nderived);
        for (int j = 0; j < ntiles[r]; j++) {
            int64_t i = tile[r] + j;
            assert_int_equal(case_row[i], r);
            if (c->reference_status[r] == RADX_OK)
                assert_string_equal(names[i], j == 0 ? "original" : ref->derived[j - 1].image_name);
            /* per image type bin settings: binWidth 5, Square binCount 16 */
            if (strcmp(kinds[i], "Square") == 0)
                assert_true(bin_count[i] == 16 && bin_width[i] == 0.0);
            else
                assert_true(bin_count[i] == 0 && bin_width[i] == 5.0);
        }
        total += ntiles[r];
    }
    assert_int_equal(total, (int64_t)nt);
    /* the documented image names (PyRadiomics') are there */
    const char *expected[] = {"original", "log-sigma-1-0-mm-3D", "log-sigma-2-0-mm-3D", "wavelet-LH",
                              "wavelet-HL", "wavelet-HH", "wavelet-LL", "square", "lbp-2D"};
    for (size_t e = 0; e < sizeof expected / sizeof *expected; e++) {
        int found = 0;
        for (hsize_t i = 0; i < nt && !found; i++) found = strcmp(names[i], expected[e]) == 0;
        if (!found) fail_msg("no tile named %s", expected[e]);
    }
    radx_h5_strings_free(names, nt);
    radx_h5_strings_free(kinds, nk);
    radx_h5_strings_free(warnings, nw);
    free(ntiles), free(tile), free(bin_count), free(bin_width), free(case_row);
    H5Fclose(f);
}

/* Set format_version and, for "1", drop what version 2 added. */
static void rewrite_version(const char *path, const char *version)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(f >= 0);
    assert_true(H5Adelete(f, "format_version") >= 0);
    assert_int_equal(radx_h5_attr_string(f, path, "format_version", version), RADX_OK);
    if (strcmp(version, "1") == 0) {
        const char *added[] = {"manifest/ntiles", "manifest/warnings", "tiles/image_kind", "tiles/failure_warnings"};
        for (size_t i = 0; i < sizeof added / sizeof *added; i++) assert_true(H5Ldelete(f, added[i], H5P_DEFAULT) >= 0);
    }
    H5Fclose(f);
}

/* Give tile 1 (the first case's first derived image) another name. */
static void rename_second_tile(const char *path, const char *name)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(f >= 0);
    char **names = NULL;
    hsize_t n = 0;
    assert_int_equal(radx_h5_read_strings(f, path, "tiles/image_type", &names, &n), RADX_OK);
    assert_true(n >= 2);
    assert_true(strcmp(names[1], "original") != 0);
    free(names[1]);
    names[1] = strdup(name);
    assert_true(H5Ldelete(f, "tiles/image_type", H5P_DEFAULT) >= 0);
    assert_int_equal(radx_h5_write_strings(f, path, "tiles/image_type", (const char *const *)names, n, 0),
                     RADX_OK);
    radx_h5_strings_free(names, n);
    H5Fclose(f);
}

static void copy_file(const char *from, const char *to)
{
    size_t n = 0;
    char *data = radx_test_read_file(from, &n);
    assert_non_null(data);
    FILE *f = fopen(to, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
    free(data);
}

static void test_versions(void **state)
{
    fixture *fx = *state;
    cohort *o = &fx->orig;
    /* an Original-only store made version 1 reads as before (no warnings stored then) */
    rewrite_version(o->store, "1");
    radx_tiles *t = NULL;
    if (radx_tiles_open(o->store, &t) != RADX_OK) fail_msg("%s", radx_last_error());
    assert_int_equal(t->format_version, 1);
    radx_params params;
    assert_int_equal(radx_tiles_params(t, &params), RADX_OK);
    radx_case_result results[MAX_ROWS];
    radx_tiles_case cases[MAX_ROWS];
    for (int r = 0; r < t->ncases; r++) {
        assert_int_equal(radx_case_result_init(&results[r]), RADX_OK);
        cases[r].result = &results[r];
    }
    assert_int_equal(radx_tiles_extract(t, &params, NULL, cases, NULL, NULL), RADX_OK);
    tally tl = {0};
    for (int r = 0; r < t->ncases; r++) check_row(o, r, cases[r].status, cases[r].message, &results[r], "v1 store", &tl);
    report("version-1 store, CPU", &tl, 5, 0);
    for (int r = 0; r < t->ncases; r++) radx_case_result_free(&results[r]);
    radx_tiles_close(t);
    /* an unknown version: a clear message naming the file and the version */
    char other[300];
    snprintf(other, sizeof other, "%s/v9.h5", fx->dir);
    copy_file(fx->c3d.store, other);
    rewrite_version(other, "9");
    assert_int_equal(radx_tiles_open(other, &t), RADX_ERR_FORMAT);
    assert_contains(radx_last_error(), other);
    assert_contains(radx_last_error(), "version '9'");
    /* a derived tile whose image name does not fit its type (a damaged
     * store) is refused, naming the file, the tile and the name, instead of
     * becoming output column names */
    snprintf(other, sizeof other, "%s/badname.h5", fx->dir);
    copy_file(fx->c3d.store, other);
    rename_second_tile(other, "bogus,name");
    assert_int_equal(radx_tiles_open(other, &t), RADX_ERR_FORMAT);
    assert_contains(radx_last_error(), other);
    assert_contains(radx_last_error(), "tile 1: 'bogus,name' is not the name of a");
}

/* ---------------------------------------------------------------- CLI */

static const char *radx_bin(void)
{
    const char *bin = getenv("RADX_BIN");
    return bin ? bin : "build/radx";
}

static void run_cli(const char *args)
{
    char command[2048];
    snprintf(command, sizeof command, "%s %s 2>/dev/null >/dev/null", radx_bin(), args);
    int status = system(command);
    if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) fail_msg("%s: exit %d", command, WEXITSTATUS(status));
}

static void assert_same_file(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    char *x = radx_test_read_file(a, &na), *y = radx_test_read_file(b, &nb);
    assert_non_null(x);
    assert_non_null(y);
    if (na != nb || memcmp(x, y, na) != 0) fail_msg("%s and %s differ", a, b);
    free(x);
    free(y);
}

/* radx extract --tiles (CPU, OpenCL) and --cohort --device opencl give the
 * CSV of --cohort --device cpu, byte for byte. */
static void cli_same_tables(const fixture *fx, const cohort *c, const char *name)
{
    char args[1024], reference[300], out[300];
    snprintf(reference, sizeof reference, "%s/%s_cohort_cpu.csv", fx->dir, name);
    snprintf(args, sizeof args, "extract --params %s --cohort %s --device cpu --out %s", c->params,
             c->manifest, reference);
    run_cli(args);
    char store[300];
    snprintf(store, sizeof store, "%s/%s_cli.h5", fx->dir, name);
    snprintf(args, sizeof args, "pack --params %s --cohort %s --out %s", c->params, c->manifest, store);
    run_cli(args);
    const char *devices[] = {"cpu", "opencl"};
    for (int d = 0; d < (fx->ctx ? 2 : 1); d++) {
        snprintf(out, sizeof out, "%s/%s_tiles_%s.csv", fx->dir, name, devices[d]);
        snprintf(args, sizeof args, "extract --tiles %s --device %s --out %s", store, devices[d], out);
        run_cli(args);
        assert_same_file(out, reference);
    }
    if (fx->ctx) {
        snprintf(out, sizeof out, "%s/%s_cohort_opencl.csv", fx->dir, name);
        snprintf(args, sizeof args, "extract --params %s --cohort %s --device opencl --out %s", c->params,
                 c->manifest, out);
        run_cli(args);
        assert_same_file(out, reference);
    }
    char *text = radx_test_read_file(reference, NULL);
    assert_non_null(text);
    assert_contains(text, "_glcm_"); /* derived texture columns are there */
    free(text);
    printf("%s: radx extract CSVs identical (--cohort cpu, --tiles cpu%s)\n", name,
           fx->ctx ? ", --tiles opencl, --cohort opencl" : "");
}

static void test_cli_tables(void **state)
{
    fixture *fx = *state;
    if (access(radx_bin(), X_OK) != 0) {
        printf("%s not built: skipped\n", radx_bin());
        skip();
    }
    cli_same_tables(fx, &fx->c2d, "c2d");
    cli_same_tables(fx, &fx->c3d, "c3d");
}

int main(void)
{
    radx_test_pin_host_reduction();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_v2),
        cmocka_unit_test(test_store_cpu),
        cmocka_unit_test(test_store_opencl),
        cmocka_unit_test(test_cohort_opencl),
        cmocka_unit_test(test_cli_tables),
        cmocka_unit_test(test_versions),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
