/* Preprocessing (host/prep) against PyRadiomics 3.1 / SimpleITK itself:
 * tests/data/prep/ holds small synthetic cases and what PyRadiomics'
 * imageoperations (normalizeImage, resampleImage, checkMask, binImage) and
 * RadiomicsFeatureExtractor.loadImage + checkMask returned for them
 * (written by tests/reference/prep_reference.py; README.md there). */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include "testutil.h"

#include "prep/prep.h"
#include "radx/params.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REF_DIR "tests/data/prep/"

/* ---------------------------------------------------------------------- */
/* reference.txt                                                          */
/* ---------------------------------------------------------------------- */

static char *reference_text;

static int setup_reference(void **state)
{
    (void)state;
    reference_text = radx_test_read_file(REF_DIR "reference.txt", NULL);
    return reference_text ? 0 : -1;
}

static int teardown_reference(void **state)
{
    (void)state;
    free(reference_text);
    return 0;
}

/* The record line "<kind> <name> ..." (a copy, caller frees), or NULL. */
static char *find_record(const char *kind, const char *name)
{
    char key[256];
    snprintf(key, sizeof key, "%s %s ", kind, name);
    const char *line = reference_text;
    while (line && *line) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len >= strlen(key) && strncmp(line, key, strlen(key)) == 0) {
            char *copy = malloc(len + 1);
            memcpy(copy, line, len);
            copy[len] = '\0';
            return copy;
        }
        line = end ? end + 1 : NULL;
    }
    return NULL;
}

static radx_pixel_type pixel_type_named(const char *name)
{
    static const struct { const char *name; radx_pixel_type type; } types[] = {
        {"float64", RADX_PIXEL_FLOAT64}, {"float32", RADX_PIXEL_FLOAT32},
        {"int16", RADX_PIXEL_INT16},     {"uint8", RADX_PIXEL_UINT8},
        {"uint32", RADX_PIXEL_UINT32},   {"mask01", RADX_PIXEL_FLOAT64}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(types[i].name, name) == 0) return types[i].type;
    fail_msg("unknown pixel type %s", name);
    return RADX_PIXEL_FLOAT64;
}

static void *read_raw(const char *file, size_t bytes)
{
    char path[512];
    snprintf(path, sizeof path, REF_DIR "%s", file);
    size_t length = 0;
    char *data = radx_test_read_file(path, &length);
    if (!data) fail_msg("cannot read %s", path);
    if (length != bytes) fail_msg("%s has %zu bytes, expected %zu", path, length, bytes);
    return data;
}

/* An image record: geometry, values (float64 file) or 0/1 (mask01, uint8 file). */
static radx_image *ref_image(const char *name, radx_pixel_type *type)
{
    char *line = find_record("image", name);
    if (!line) fail_msg("reference image %s missing", name);
    char *save = NULL;
    strtok_r(line, " ", &save);
    strtok_r(NULL, " ", &save);
    char *tname = strtok_r(NULL, " ", &save);
    int is_mask = strcmp(tname, "mask01") == 0;
    if (type) *type = pixel_type_named(tname);
    int size[3];
    for (int d = 0; d < 3; d++) size[d] = atoi(strtok_r(NULL, " ", &save));
    radx_image *image = NULL;
    assert_int_equal(radx_image_alloc(size, &image), RADX_OK);
    for (int d = 0; d < 3; d++) image->spacing[d] = strtod(strtok_r(NULL, " ", &save), NULL);
    for (int d = 0; d < 3; d++) image->origin[d] = strtod(strtok_r(NULL, " ", &save), NULL);
    for (int k = 0; k < 9; k++) image->direction[k] = strtod(strtok_r(NULL, " ", &save), NULL);
    const char *file = strtok_r(NULL, " ", &save);
    size_t n = radx_image_voxels(image);
    if (is_mask) {
        unsigned char *raw = read_raw(file, n);
        for (size_t i = 0; i < n; i++) image->data[i] = raw[i];
        free(raw);
    } else {
        double *raw = read_raw(file, n * sizeof(double));
        memcpy(image->data, raw, n * sizeof(double));
        free(raw);
    }
    free(line);
    return image;
}

static void ref_bbox(const char *name, int bbox[6])
{
    char *line = find_record("bbox", name);
    if (!line) fail_msg("reference bbox %s missing", name);
    char kind[16], rec[128];
    if (sscanf(line, "%15s %127s %d %d %d %d %d %d", kind, rec, &bbox[0], &bbox[1], &bbox[2],
               &bbox[3], &bbox[4], &bbox[5]) != 8)
        fail_msg("bad bbox record %s", line);
    free(line);
}

static int ref_is_error(const char *name)
{
    char *line = find_record("error", name);
    free(line);
    return line != NULL;
}

/* ---------------------------------------------------------------------- */
/* comparisons                                                            */
/* ---------------------------------------------------------------------- */

static void assert_same_grid(const char *what, const radx_image *got, const radx_image *want)
{
    char msg[256];
    for (int d = 0; d < 3; d++) {
        if (got->size[d] != want->size[d])
            fail_msg("%s: size %dx%dx%d, PyRadiomics %dx%dx%d", what, got->size[0], got->size[1],
                     got->size[2], want->size[0], want->size[1], want->size[2]);
        snprintf(msg, sizeof msg, "%s spacing[%d]", what, d);
        assert_close(msg, got->spacing[d], want->spacing[d], 0, 0);
        snprintf(msg, sizeof msg, "%s origin[%d]", what, d);
        assert_close(msg, got->origin[d], want->origin[d], 0, 0);
    }
    for (int k = 0; k < 9; k++) {
        snprintf(msg, sizeof msg, "%s direction[%d]", what, k);
        assert_close(msg, got->direction[k], want->direction[k], 0, 0);
    }
}

/* Values within rel (relative to the largest magnitude of the reference). */
static void assert_same_values(const char *what, const radx_image *got, const radx_image *want,
                               double rel)
{
    size_t n = radx_image_voxels(want);
    double scale = 0;
    for (size_t i = 0; i < n; i++) scale = fmax(scale, fabs(want->data[i]));
    for (size_t i = 0; i < n; i++)
        if (!radx_test_close(got->data[i], want->data[i], rel, rel * scale)) {
            size_t x = i % (size_t)want->size[0];
            size_t y = i / (size_t)want->size[0] % (size_t)want->size[1];
            size_t z = i / ((size_t)want->size[0] * (size_t)want->size[1]);
            fail_msg("%s: voxel (%zu,%zu,%zu) = %.17g, PyRadiomics %.17g", what, x, y, z,
                     got->data[i], want->data[i]);
        }
}

static void assert_same_bbox(const char *what, const int got[6], const int want[6])
{
    for (int k = 0; k < 6; k++)
        if (got[k] != want[k])
            fail_msg("%s: bbox %d %d %d %d %d %d, PyRadiomics %d %d %d %d %d %d", what, got[0],
                     got[1], got[2], got[3], got[4], got[5], want[0], want[1], want[2], want[3],
                     want[4], want[5]);
}

/* PyRadiomics' defaults for the settings preprocessing reads
 * (featureextractor._getDefaultSettings, binWidth 25 from base.py); filled
 * here so that this test does not depend on the feature registry. */
static radx_params default_params(void)
{
    radx_params p;
    memset(&p, 0, sizeof p);
    p.bin_width = 25;
    p.interpolator = RADX_INTERP_BSPLINE;
    p.pad_distance = 5;
    p.normalize_scale = 1;
    p.minimum_roi_dimensions = 2;
    p.label = 1;
    return p;
}

static radx_image *select_label(const radx_image *labels, int label)
{
    radx_image *mask = NULL;
    if (radx_mask_select_label(labels, label, &mask) != RADX_OK)
        fail_msg("select label %d: %s", label, radx_last_error());
    return mask;
}

/* ---------------------------------------------------------------------- */
/* normalizeImage                                                         */
/* ---------------------------------------------------------------------- */

static void check_normalize(const char *input, const char *expected, double scale,
                            double outliers)
{
    radx_image *image = ref_image(input, NULL), *want = ref_image(expected, NULL);
    radx_params p = default_params();
    p.normalize = 1;
    p.normalize_scale = scale;
    p.remove_outliers = outliers;
    assert_int_equal(radx_normalize(image, &p, NULL, NULL), RADX_OK);
    /* ITK merges per-thread compensated sums in no fixed order: last bits */
    assert_same_values(expected, image, want, 1e-13);
    radx_image_free(image);
    radx_image_free(want);
}

static void test_normalize_int16(void **state)
{
    (void)state;
    check_normalize("A.input", "A.norm", 1, 0);
}

static void test_normalize_scale_outliers(void **state)
{
    (void)state;
    check_normalize("B.input", "B.norm_s100_o2", 100, 2.0);
}

/* ---------------------------------------------------------------------- */
/* resampleImage                                                          */
/* ---------------------------------------------------------------------- */

static void check_resample(const char *case_name, const char *tag, double sx, double sy,
                           double sz, radx_interpolator interp, int label, int pad)
{
    char name[128], what[160];
    radx_pixel_type type;
    snprintf(name, sizeof name, "%s.input", case_name);
    radx_image *image = ref_image(name, &type);
    snprintf(name, sizeof name, "%s.labels", case_name);
    radx_image *labels = ref_image(name, NULL);
    radx_image *mask = select_label(labels, label);
    radx_params p = default_params();
    p.resample = 1;
    p.resampled_spacing[0] = sx;
    p.resampled_spacing[1] = sy;
    p.resampled_spacing[2] = sz;
    p.interpolator = interp;
    p.pad_distance = pad;
    p.label = label;
    radx_image *out_image = NULL, *out_mask = NULL;
    int kept = 0;
    if (radx_resample_case(image, type, mask, &p, &out_image, &out_mask, &kept) != RADX_OK)
        fail_msg("%s: %s", tag, radx_last_error());

    snprintf(name, sizeof name, "%s.image", tag);
    radx_image *want_image = ref_image(name, NULL);
    snprintf(name, sizeof name, "%s.mask", tag);
    radx_image *want_mask = ref_image(name, NULL);
    snprintf(what, sizeof what, "%s image", tag);
    assert_same_grid(what, out_image, want_image);
    /* float64 output: B-spline sums agree to rounding; integer output is
     * truncated after interpolation and must agree exactly */
    assert_same_values(what, out_image, want_image, type == RADX_PIXEL_FLOAT64 ? 1e-9 : 0);
    snprintf(what, sizeof what, "%s mask", tag);
    assert_same_grid(what, out_mask, want_mask);
    assert_same_values(what, out_mask, want_mask, 0);

    radx_image_free(image);
    radx_image_free(labels);
    radx_image_free(mask);
    radx_image_free(out_image);
    radx_image_free(out_mask);
    radx_image_free(want_image);
    radx_image_free(want_mask);
}

static void test_resample_int16_oblique(void **state)
{
    (void)state;
    check_resample("A", "A.rs111_bspline", 1, 1, 1, RADX_INTERP_BSPLINE, 1, 5);
    check_resample("A", "A.rs111_linear", 1, 1, 1, RADX_INTERP_LINEAR, 1, 5);
    check_resample("A", "A.rs111_nearest", 1, 1, 1, RADX_INTERP_NEAREST, 1, 5);
    check_resample("A", "A.rs0505_bspline_label7", 0.5, 0.5, 0, RADX_INTERP_BSPLINE, 7, 2);
}

static void test_resample_float64_flipped(void **state)
{
    (void)state;
    check_resample("B", "B.rs110_bspline", 1, 1, 0, RADX_INTERP_BSPLINE, 1, 5);
    check_resample("B", "B.rs110_linear", 1, 1, 0, RADX_INTERP_LINEAR, 1, 5);
    check_resample("B", "B.rs110_nearest", 1, 1, 0, RADX_INTERP_NEAREST, 1, 5);
}

static void test_resample_same_spacing_crops(void **state)
{
    (void)state;
    check_resample("B", "B.rs_same_bspline", 0.5, 0.5, 1.25, RADX_INTERP_BSPLINE, 1, 3);
}

static void test_resample_uint8_single_slice(void **state)
{
    (void)state;
    check_resample("C", "C.rs045_bspline", 0.45, 0.45, 0, RADX_INTERP_BSPLINE, 1, 5);
    check_resample("C", "C.rs045_linear", 0.45, 0.45, 0, RADX_INTERP_LINEAR, 1, 5);
    check_resample("C", "C.rs045_nearest", 0.45, 0.45, 0, RADX_INTERP_NEAREST, 1, 5);
}

/* float32 output is rounded to float after interpolation; a 3-voxel axis is
 * the narrowest on which ITK's single mirror reflection stays in range. */
static void test_resample_float32_thin_axis(void **state)
{
    (void)state;
    check_resample("F", "F.rs05_bspline", 0.5, 0.5, 0.5, RADX_INTERP_BSPLINE, 1, 1);
    check_resample("F", "F.rs05_linear", 0.5, 0.5, 0.5, RADX_INTERP_LINEAR, 1, 1);
}

/* ---------------------------------------------------------------------- */
/* checkMask                                                              */
/* ---------------------------------------------------------------------- */

/* checkMask as PyRadiomics ran it for `tag`: same bbox (and corrected
 * mask), or an error of the given status whose message contains `words`. */
static void check_mask_case(const char *tag, const char *image_name, const char *labels_name,
                            const radx_params *p, radx_status error_status, const char *words)
{
    radx_image *image = ref_image(image_name, NULL);
    radx_image *labels = ref_image(labels_name, NULL);
    radx_image *mask = select_label(labels, p->label);
    int bbox[6];
    int64_t n = 0;
    radx_image *corrected = NULL;
    radx_status status = radx_check_mask(image, mask, p, bbox, &n, &corrected);
    if (ref_is_error(tag)) {
        if (status == RADX_OK) fail_msg("%s: PyRadiomics raised an error, radx passed", tag);
        assert_int_equal(status, error_status);
        assert_contains(radx_last_error(), words);
    } else {
        if (status != RADX_OK) fail_msg("%s: %s", tag, radx_last_error());
        int want[6];
        ref_bbox(tag, want);
        assert_same_bbox(tag, bbox, want);
        char name[128];
        snprintf(name, sizeof name, "%s.corrected", tag);
        char *line = find_record("image", name);
        if (line) {
            radx_image *want_mask = ref_image(name, NULL);
            assert_non_null(corrected);
            assert_same_grid(name, corrected, want_mask);
            assert_same_values(name, corrected, want_mask, 0);
            radx_image_free(want_mask);
        } else {
            assert_null(corrected);
        }
        free(line);
    }
    radx_image_free(corrected);
    radx_image_free(mask);
    radx_image_free(labels);
    radx_image_free(image);
}

static void test_check_mask_correct(void **state)
{
    (void)state;
    radx_params p = default_params();
    p.correct_mask = 1;
    check_mask_case("D.check_correct", "B.input", "D.labels", &p, RADX_OK, "");
    p.correct_mask = 0;
    check_mask_case("D.check_nocorrect", "B.input", "D.labels", &p, RADX_ERR_GEOMETRY,
                    "set correctMask: true");
}

static void test_check_mask_tolerance(void **state)
{
    (void)state;
    radx_params p = default_params();
    check_mask_case("E.check_tol_default", "B.input", "E.labels", &p, RADX_ERR_GEOMETRY,
                    "image origin x 100 vs mask 100.0001");
}

static void test_check_mask_roi_size(void **state)
{
    (void)state;
    radx_params p = default_params();
    p.minimum_roi_dimensions = 3;
    check_mask_case("C.check_mindims3", "C.input", "C.labels", &p, RADX_ERR_ROI,
                    "ROI (label 1) has 2 dimension(s), minimumROIDimensions is 3");
    p = default_params();
    p.label = 7;
    p.minimum_roi_size = 18;
    check_mask_case("A.check_minsize18", "A.input", "A.labels", &p, RADX_ERR_ROI,
                    "ROI (label 7) has 18 voxels, minimumROISize is 18");
    p.minimum_roi_size = 17;
    check_mask_case("A.check_minsize17", "A.input", "A.labels", &p, RADX_OK, "");
}

/* ---------------------------------------------------------------------- */
/* binImage / getBinEdges                                                 */
/* ---------------------------------------------------------------------- */

static void check_bins(const char *tag, const char *image_name, const char *labels_name,
                       double bin_width, int bin_count)
{
    radx_image *image = ref_image(image_name, NULL);
    radx_image *labels = ref_image(labels_name, NULL);
    size_t n = radx_image_voxels(image);
    uint8_t *mask = malloc(n);
    for (size_t i = 0; i < n; i++) mask[i] = labels->data[i] == 1;
    radx_params p = default_params();
    p.bin_width = bin_width;
    p.bin_count = bin_count;

    double *edges = NULL;
    size_t nedges = 0;
    assert_int_equal(radx_bin_edges(image->data, mask, n, &p, &edges, &nedges), RADX_OK);
    char *line = find_record("edges", tag);
    if (!line) fail_msg("reference edges %s missing", tag);
    char *save = NULL;
    strtok_r(line, " ", &save);
    strtok_r(NULL, " ", &save);
    size_t want_n = (size_t)atol(strtok_r(NULL, " ", &save));
    if (nedges != want_n) fail_msg("%s: %zu bin edges, PyRadiomics %zu", tag, nedges, want_n);
    for (size_t k = 0; k < nedges; k++) {
        char what[128];
        snprintf(what, sizeof what, "%s edge %zu", tag, k);
        assert_close(what, edges[k], strtod(strtok_r(NULL, " ", &save), NULL), 0, 0);
    }
    free(line);
    free(edges);

    int *levels = malloc(n * sizeof *levels), ng = 0;
    assert_int_equal(radx_discretize(image->data, mask, n, &p, levels, &ng), RADX_OK);
    line = find_record("levels", tag);
    if (!line) fail_msg("reference levels %s missing", tag);
    char kind[16], rec[128], file[256];
    int want_ng;
    if (sscanf(line, "%15s %127s %d %255s", kind, rec, &want_ng, file) != 4)
        fail_msg("bad levels record %s", line);
    assert_int_equal(ng, want_ng);
    int32_t *want = read_raw(file, n * sizeof(int32_t));
    for (size_t i = 0; i < n; i++)
        if (levels[i] != want[i])
            fail_msg("%s: voxel %zu (value %.17g) level %d, PyRadiomics %d", tag, i,
                     image->data[i], levels[i], want[i]);
    free(want);
    free(line);
    free(levels);
    free(mask);
    radx_image_free(image);
    radx_image_free(labels);
}

static void test_bin_width(void **state)
{
    (void)state;
    check_bins("A.bw25", "A.input", "A.labels", 25, 0);
    check_bins("B.bw037", "B.input", "B.labels", 0.37, 0);
    check_bins("C.bw25", "C.input", "C.labels", 25, 0);
    check_bins("B.norm_bw01", "B.norm", "B.labels", 0.1, 0);
}

static void test_bin_count(void **state)
{
    (void)state;
    check_bins("A.bc16", "A.input", "A.labels", 25, 16);
    check_bins("B.bc7", "B.input", "B.labels", 25, 7);
}

static void test_bin_limit(void **state)
{
    (void)state;
    const double values[3] = {0.0, 50.0, 100.0};
    const uint8_t mask[3] = {1, 1, 1};
    int levels[3], ng = 0;
    radx_params p = default_params();
    p.bin_width = 0.01; /* 10001 bins */
    assert_int_equal(radx_discretize(values, mask, 3, &p, levels, &ng), RADX_ERR_LIMIT);
    assert_contains(radx_last_error(), "binWidth 0.01 gives 10001 bins");
    assert_contains(radx_last_error(), "RADX_MAX_GRAY_LEVELS (4096)");
    p.bin_count = 5000;
    assert_int_equal(radx_discretize(values, mask, 3, &p, levels, &ng), RADX_ERR_LIMIT);
    assert_contains(radx_last_error(), "binCount 5000");
}

/* ---------------------------------------------------------------------- */
/* the whole preprocessing (loadImage + checkMask)                        */
/* ---------------------------------------------------------------------- */

static void check_pipeline(const char *tag, const char *case_name, const char *labels_name,
                           const radx_params *p, double rel)
{
    char name[128];
    radx_pixel_type type;
    snprintf(name, sizeof name, "%s.input", case_name);
    radx_image *image = ref_image(name, &type);
    radx_image *labels = ref_image(labels_name, NULL);
    radx_prep_result out;
    if (radx_prep_case_typed(image, type, labels, p, &out) != RADX_OK)
        fail_msg("%s: %s", tag, radx_last_error());
    int want_bbox[6];
    ref_bbox(tag, want_bbox);
    assert_same_bbox(tag, out.bbox, want_bbox);
    snprintf(name, sizeof name, "%s.image", tag);
    radx_image *want_image = ref_image(name, NULL);
    assert_same_grid(name, out.image, want_image);
    assert_same_values(name, out.image, want_image, rel);
    snprintf(name, sizeof name, "%s.mask", tag);
    radx_image *want_mask = ref_image(name, NULL);
    assert_same_grid(name, out.mask, want_mask);
    assert_same_values(name, out.mask, want_mask, 0);
    int64_t count = 0;
    for (size_t i = 0; i < radx_image_voxels(want_mask); i++) count += want_mask->data[i] != 0;
    assert_int_equal(out.nvoxels, count);
    radx_image_free(want_image);
    radx_image_free(want_mask);
    radx_prep_result_free(&out);
    radx_image_free(image);
    radx_image_free(labels);
}

static void test_pipeline_normalize_resample(void **state)
{
    (void)state;
    radx_params p = default_params();
    p.resample = 1;
    p.resampled_spacing[0] = p.resampled_spacing[1] = p.resampled_spacing[2] = 1.0;
    p.normalize = 1;
    p.normalize_scale = 100;
    check_pipeline("A.pipe_resample", "A", "A.labels", &p, 1e-9);
}

static void test_pipeline_resample_int16_linear(void **state)
{
    (void)state;
    radx_params p = default_params();
    p.resample = 1;
    p.resampled_spacing[0] = p.resampled_spacing[1] = 0.6;
    p.resampled_spacing[2] = 1.5;
    p.interpolator = RADX_INTERP_LINEAR;
    check_pipeline("A.pipe_resample_int", "A", "A.labels", &p, 0);
}

static void test_pipeline_precrop(void **state)
{
    (void)state;
    radx_params p = default_params();
    p.pre_crop = 1;
    p.pad_distance = 2;
    check_pipeline("B.pipe_precrop", "B", "B.labels", &p, 0);
}

static void test_pipeline_correct_mask(void **state)
{
    (void)state;
    radx_params p = default_params();
    p.correct_mask = 1;
    check_pipeline("D.pipe_correct_only", "B", "D.labels", &p, 0);
    p.resample = 1;
    p.resampled_spacing[0] = p.resampled_spacing[1] = 0.75;
    check_pipeline("D.pipe_correct", "B", "D.labels", &p, 1e-9);
}

static void test_pipeline_single_slice(void **state)
{
    (void)state;
    radx_params p = default_params();
    p.resample = 1;
    p.resampled_spacing[0] = p.resampled_spacing[1] = 0.25;
    p.normalize = 1;
    p.remove_outliers = 1.5;
    check_pipeline("C.pipe_2d", "C", "C.labels", &p, 1e-9);
}

/* ---------------------------------------------------------------------- */
/* getMask errors (PyRadiomics raises ValueError for both)                */
/* ---------------------------------------------------------------------- */

static void test_label_errors(void **state)
{
    (void)state;
    const int size[3] = {4, 3, 2};
    radx_image *labels = NULL, *mask = NULL;
    assert_int_equal(radx_image_alloc(size, &labels), RADX_OK);
    assert_int_equal(radx_mask_select_label(labels, 1, &mask), RADX_ERR_ROI);
    assert_contains(radx_last_error(), "mask is empty");
    labels->data[3] = 7;
    labels->data[5] = 1.0;
    labels->data[9] = 7;
    assert_int_equal(radx_mask_select_label(labels, 2, &mask), RADX_ERR_ROI);
    assert_contains(radx_last_error(), "mask label 2 not present (labels found: 1, 7)");
    assert_null(mask);
    assert_int_equal(radx_mask_select_label(labels, 7, &mask), RADX_OK);
    assert_true(mask->data[3] == 1 && mask->data[9] == 1 && mask->data[5] == 0);
    radx_image_free(mask);
    radx_image_free(labels);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize_int16),
        cmocka_unit_test(test_normalize_scale_outliers),
        cmocka_unit_test(test_resample_int16_oblique),
        cmocka_unit_test(test_resample_float64_flipped),
        cmocka_unit_test(test_resample_same_spacing_crops),
        cmocka_unit_test(test_resample_uint8_single_slice),
        cmocka_unit_test(test_resample_float32_thin_axis),
        cmocka_unit_test(test_check_mask_correct),
        cmocka_unit_test(test_check_mask_tolerance),
        cmocka_unit_test(test_check_mask_roi_size),
        cmocka_unit_test(test_bin_width),
        cmocka_unit_test(test_bin_count),
        cmocka_unit_test(test_bin_limit),
        cmocka_unit_test(test_pipeline_normalize_resample),
        cmocka_unit_test(test_pipeline_resample_int16_linear),
        cmocka_unit_test(test_pipeline_precrop),
        cmocka_unit_test(test_pipeline_correct_mask),
        cmocka_unit_test(test_pipeline_single_slice),
        cmocka_unit_test(test_label_errors),
    };
    return cmocka_run_group_tests_name("prep", tests, setup_reference, teardown_reference);
}
