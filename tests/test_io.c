/* Image readers (radx_image_read: host/io/{image_read,nifti,nrrd,png}.c).
 *
 * References, none written by radx:
 *  - tests/data/io/sitk_reference.txt: what SimpleITK 2.5.7 (ITK 5.4)
 *    reports for every test file (tests/data/io/sitk_reference.py): size,
 *    spacing, origin, direction, pixel type, sum/min/max and probe voxels;
 *  - the PyRadiomics example NRRDs' headers and tests/data/examples/README.md
 *    (sizes, spacings, intensity ranges, label voxel counts);
 *  - the IBSI digital phantom's text files (tests/data/ibsi/);
 *  - the formulas tests/data/io/make_io_files.py writes its files from
 *    (NIfTI-2 and grey+alpha PNG, which SimpleITK 2.5.7 cannot read). */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include "radx/image.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IO_DIR "tests/data/io/"
#define EXAMPLES "tests/data/examples/"

static char *reference_text;

static int setup_reference(void **state)
{
    (void)state;
    reference_text = radx_test_read_file(IO_DIR "sitk_reference.txt", NULL);
    return reference_text ? 0 : -1;
}

static int teardown_reference(void **state)
{
    (void)state;
    free(reference_text);
    return 0;
}

static radx_image *read_ok(const char *path)
{
    radx_image *image = NULL;
    radx_status status = radx_image_read(path, &image);
    if (status != RADX_OK) fail_msg("%s: %s: %s", path, radx_status_name(status), radx_last_error());
    assert_non_null(image);
    return image;
}

static double voxel(const radx_image *image, int i, int j, int k)
{
    return image->data[(size_t)i + (size_t)image->size[0] * ((size_t)j + (size_t)image->size[1] * (size_t)k)];
}

/* ---------------------------------------------------------------------- */
/* SimpleITK reference records                                            */
/* ---------------------------------------------------------------------- */

static const char *PIXEL_NAMES[] = {"float64", "float32", "int8",  "uint8",  "int16",
                                    "uint16",  "int32",   "uint32", "int64", "uint64"};

typedef struct sitk_record {
    char path[256];
    char verdict[16]; /* ok, error, unsupported */
    char pixel[16];
    int ndim, size[3];
    double spacing[3], origin[3], direction[9], sum, min, max;
    int probes;
    int probe_index[16][3];
    double probe_value[16];
} sitk_record;

static int parse_record(const char *line, sitk_record *r)
{
    memset(r, 0, sizeof *r);
    int used = 0;
    if (sscanf(line, "%255s %15s%n", r->path, r->verdict, &used) != 2) return 0;
    if (strcmp(r->verdict, "ok") != 0) return 1;
    const char *p = line + used;
    if (sscanf(p, "%15s %d %d %d %d%n", r->pixel, &r->ndim, &r->size[0], &r->size[1], &r->size[2], &used) != 5)
        return 0;
    p += used;
    double *fields[] = {&r->spacing[0], &r->spacing[1], &r->spacing[2], &r->origin[0], &r->origin[1],
                        &r->origin[2]};
    char *end = NULL;
    for (int i = 0; i < 6; i++, p = end) *fields[i] = strtod(p, &end);
    for (int i = 0; i < 9; i++, p = end) r->direction[i] = strtod(p, &end);
    r->sum = strtod(p, &end), p = end;
    r->min = strtod(p, &end), p = end;
    r->max = strtod(p, &end), p = end;
    r->probes = (int)strtol(p, &end, 10), p = end;
    if (r->probes < 0 || r->probes > 16) return 0;
    for (int q = 0; q < r->probes; q++) {
        for (int d = 0; d < 3; d++, p = end) r->probe_index[q][d] = (int)strtol(p, &end, 10);
        r->probe_value[q] = strtod(p, &end), p = end;
    }
    return 1;
}

static void summarize(const radx_image *image, double *sum, double *min, double *max)
{
    size_t n = radx_image_voxels(image);
    *sum = 0.0, *min = INFINITY, *max = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double v = image->data[i];
        *sum += v;
        if (v < *min) *min = v;
        if (v > *max) *max = v;
    }
}

/* radx's image against SimpleITK's record: geometry and voxel values (probes,
 * min, max) bit for bit, the sum to rounding. */
static void assert_matches_record(const radx_image *image, const sitk_record *r)
{
    char what[320];
    assert_string_equal(PIXEL_NAMES[image->pixel_type], r->pixel);
    assert_int_equal(image->ndim, r->ndim);
    for (int d = 0; d < 3; d++) {
        assert_int_equal(image->size[d], r->size[d]);
        snprintf(what, sizeof what, "%s spacing[%d]", r->path, d);
        assert_close(what, image->spacing[d], r->spacing[d], 0, 0);
        snprintf(what, sizeof what, "%s origin[%d]", r->path, d);
        assert_close(what, image->origin[d], r->origin[d], 0, 0);
    }
    for (int i = 0; i < 9; i++) {
        snprintf(what, sizeof what, "%s direction[%d]", r->path, i);
        assert_close(what, image->direction[i], r->direction[i], 0, 0);
    }
    double sum, min, max;
    summarize(image, &sum, &min, &max);
    /* summation order differs from numpy's pairwise sum: allow its rounding */
    double rounding = 4 * DBL_EPSILON * (double)radx_image_voxels(image) * fmax(fabs(r->min), fabs(r->max));
    snprintf(what, sizeof what, "%s sum", r->path);
    assert_close(what, sum, r->sum, 0, rounding);
    snprintf(what, sizeof what, "%s min", r->path);
    assert_close(what, min, r->min, 0, 0);
    snprintf(what, sizeof what, "%s max", r->path);
    assert_close(what, max, r->max, 0, 0);
    for (int q = 0; q < r->probes; q++) {
        const int *ijk = r->probe_index[q];
        snprintf(what, sizeof what, "%s voxel (%d,%d,%d)", r->path, ijk[0], ijk[1], ijk[2]);
        assert_close(what, voxel(image, ijk[0], ijk[1], ijk[2]), r->probe_value[q], 0, 0);
    }
}

static int is_error_file(const char *path)
{
    const char *base = strrchr(path, '/');
    return strncmp(base ? base + 1 : path, "err_", 4) == 0;
}

/* Every file SimpleITK reads: radx reads the same image. Every err_* file,
 * and every file SimpleITK refuses: radx refuses it too, naming the file
 * (except NIfTI-2 and grey+alpha PNGs, which radx reads and SimpleITK 2.5.7
 * cannot: checked against their definitions below). */
static void test_all_files_match_simpleitk(void **state)
{
    (void)state;
    int compared = 0, refused = 0;
    for (const char *line = reference_text; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char text[8192];
        if (len >= sizeof text) len = sizeof text - 1; /* lines are far shorter */
        memcpy(text, line, len);
        text[len] = '\0';
        line = end ? end + 1 : NULL;
        sitk_record r;
        if (text[0] == '#' || text[0] == '\0') continue;
        if (!parse_record(text, &r)) fail_msg("bad reference line: %.80s", text);
        int must_fail = is_error_file(r.path);
        if (!must_fail && strcmp(r.verdict, "ok") != 0) continue; /* n2_*, grey+alpha PNG */
        radx_image *image = NULL;
        radx_status status = radx_image_read(r.path, &image);
        if (must_fail) {
            if (status == RADX_OK) fail_msg("%s: read, expected an error", r.path);
            assert_contains(radx_last_error(), r.path);
            refused++;
            continue;
        }
        if (status != RADX_OK) fail_msg("%s: %s", r.path, radx_last_error());
        assert_matches_record(image, &r);
        radx_image_free(image);
        compared++;
    }
    assert_true(compared >= 60);
    assert_true(refused >= 18);
}

/* ---------------------------------------------------------------------- */
/* PyRadiomics example NRRDs: their headers and examples/README.md         */
/* ---------------------------------------------------------------------- */

static long long count_value(const radx_image *image, double value)
{
    long long n = 0;
    for (size_t i = 0; i < radx_image_voxels(image); i++) n += image->data[i] == value;
    return n;
}

static void assert_geometry(const radx_image *image, const int size[3], const double spacing[3],
                            const double origin[3], const double direction_diagonal[3])
{
    for (int d = 0; d < 3; d++) {
        assert_int_equal(image->size[d], size[d]);
        assert_close("spacing", image->spacing[d], spacing[d], 1e-15, 0);
        assert_close("origin", image->origin[d], origin[d], 1e-15, 0);
        for (int e = 0; e < 3; e++)
            assert_close("direction", image->direction[d * 3 + e], d == e ? direction_diagonal[d] : 0.0, 0, 0);
    }
    assert_int_equal(image->ndim, 3);
}

/* brain1: 256x256x25, 0.78125 x 0.78125 x 6.5 (y direction negative), MR
 * intensities 0..3057; label: 4,137 voxels of 1. */
static void test_brain1(void **state)
{
    (void)state;
    static const int size[3] = {256, 256, 25};
    /* the header's values: "space directions: (0.78124999999999989,0,0)
     * (0,-0.78124999999999989,0) (0,0,6.4999999999999982)", "space origin:
     * (-99.609374999999986,99.609374999999986,-77.999999999999957)" */
    static const double spacing[3] = {0.78124999999999989, 0.78124999999999989, 6.4999999999999982};
    static const double origin[3] = {-99.609374999999986, 99.609374999999986, -77.999999999999957};
    static const double diagonal[3] = {1, -1, 1};
    radx_image *image = read_ok(EXAMPLES "brain1_image.nrrd");
    assert_geometry(image, size, spacing, origin, diagonal);
    assert_int_equal(image->pixel_type, RADX_PIXEL_INT16);
    double sum, min, max;
    summarize(image, &sum, &min, &max);
    assert_close("brain1 min", min, 0, 0, 0);
    assert_close("brain1 max", max, 3057, 0, 0);
    radx_image_free(image);
    radx_image *label = read_ok(EXAMPLES "brain1_label.nrrd");
    assert_geometry(label, size, spacing, origin, diagonal);
    assert_int_equal(label->pixel_type, RADX_PIXEL_INT32);
    assert_int_equal(count_value(label, 1), 4137);
    assert_int_equal(count_value(label, 0), 1634263);
    radx_image_free(label);
}

/* breast1: 45x120x21, 0.664062 x 0.664062 x 2.1, intensities 6..248,
 * label: 143 voxels of 1. */
static void test_breast1(void **state)
{
    (void)state;
    static const int size[3] = {45, 120, 21};
    static const double spacing[3] = {0.66406200000000004, 0.66406200000000004, 2.1000000000000001};
    static const double origin[3] = {-116.54304, -48.14465400000001, 9.4500000000000295};
    static const double diagonal[3] = {1, 1, 1};
    radx_image *image = read_ok(EXAMPLES "breast1_image.nrrd");
    assert_geometry(image, size, spacing, origin, diagonal);
    double sum, min, max;
    summarize(image, &sum, &min, &max);
    assert_close("breast1 min", min, 6, 0, 0);
    assert_close("breast1 max", max, 248, 0, 0);
    radx_image_free(image);
    radx_image *label = read_ok(EXAMPLES "breast1_label.nrrd");
    assert_geometry(label, size, spacing, origin, diagonal);
    assert_int_equal(label->pixel_type, RADX_PIXEL_INT16);
    assert_int_equal(count_value(label, 1), 143);
    assert_int_equal(count_value(label, 0), 113257);
    radx_image_free(label);
}

/* prostate phantom: 82x67x13, 0.5 x 0.5 x 3, x and y directions negative,
 * intensities 0..2017 (unsigned short); labels 0:58,999 1:168 7:170
 * 8:2,997 9:9,088. */
static void test_prostate(void **state)
{
    (void)state;
    static const int size[3] = {82, 67, 13};
    static const double spacing[3] = {0.5, 0.5, 3};
    static const double origin[3] = {15.683382511138916, 76.535760879516602, -52.776130676269538};
    static const double diagonal[3] = {-1, -1, 1};
    radx_image *image = read_ok(EXAMPLES "prostate_phantom_subvolume.nrrd");
    assert_geometry(image, size, spacing, origin, diagonal);
    assert_int_equal(image->pixel_type, RADX_PIXEL_UINT16);
    double sum, min, max;
    summarize(image, &sum, &min, &max);
    assert_close("prostate min", min, 0, 0, 0);
    assert_close("prostate max", max, 2017, 0, 0);
    radx_image_free(image);
    radx_image *label = read_ok(EXAMPLES "prostate_phantom_subvolume-label.nrrd");
    assert_geometry(label, size, spacing, origin, diagonal);
    static const struct { double value; long long count; } counts[] = {
        {0, 58999}, {1, 168}, {7, 170}, {8, 2997}, {9, 9088}};
    for (int i = 0; i < 5; i++) assert_int_equal(count_value(label, counts[i].value), counts[i].count);
    radx_image_free(label);
}

/* ---------------------------------------------------------------------- */
/* IBSI digital phantom (NIfTI-1 .nii.gz)                                 */
/* ---------------------------------------------------------------------- */

/* The phantom text file: "# nx ny nz sx sy sz", then integers x fastest. */
static void assert_matches_phantom_text(const radx_image *image, const char *text_path)
{
    FILE *f = fopen(text_path, "r");
    assert_non_null(f);
    int size[3];
    double spacing[3];
    assert_int_equal(fscanf(f, "# %d %d %d %lf %lf %lf", &size[0], &size[1], &size[2], &spacing[0],
                            &spacing[1], &spacing[2]), 6);
    for (int d = 0; d < 3; d++) {
        assert_int_equal(image->size[d], size[d]);
        assert_close("phantom spacing", image->spacing[d], spacing[d], 0, 0);
    }
    for (size_t i = 0; i < radx_image_voxels(image); i++) {
        int v;
        assert_int_equal(fscanf(f, "%d", &v), 1);
        if (image->data[i] != v) fail_msg("%s voxel %zu: got %g, expected %d", text_path, i, image->data[i], v);
    }
    fclose(f);
}

/* Affine diag(-2, -2, 2) in RAS: identity direction in LPS, origin 0. */
static void test_ibsi_phantom(void **state)
{
    (void)state;
    static const char *files[2][2] = {
        {"tests/data/ibsi/nifti/phantom.nii.gz", "tests/data/ibsi/digital_phantom_image.txt"},
        {"tests/data/ibsi/nifti/mask.nii.gz", "tests/data/ibsi/digital_phantom_mask.txt"}};
    static const int size[3] = {5, 4, 4};
    static const double spacing[3] = {2, 2, 2}, origin[3] = {0, 0, 0}, diagonal[3] = {1, 1, 1};
    for (int f = 0; f < 2; f++) {
        radx_image *image = read_ok(files[f][0]);
        assert_geometry(image, size, spacing, origin, diagonal);
        assert_int_equal(image->pixel_type, RADX_PIXEL_INT16);
        assert_matches_phantom_text(image, files[f][1]);
        radx_image_free(image);
    }
}

/* ---------------------------------------------------------------------- */
/* The generator's own definitions                                        */
/* ---------------------------------------------------------------------- */

/* make_io_files.py pattern(): extremes of the type first, then a ramp. */
static double pattern_value(int v, int n, double lo, double hi, int is_float, int is_float32, int is_signed)
{
    if (is_float) {
        double x = (v - n / 3.0) * 0.1 + 1e-3 * v * v;
        return is_float32 ? (double)(float)x : x;
    }
    if (v == 0) return lo;
    if (v == 1) return hi;
    return (double)((v * 37) % 101 - (is_signed ? 50 : 0));
}

/* Every NIfTI-1 datatype (4x3x2, sform diag(1.25, 1.5, 2), offset
 * (-3, 4, 5.5) in RAS) and every NRRD type. */
static void test_every_datatype(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        radx_pixel_type pixel;
        double lo, hi;
        int is_float, is_float32, is_signed;
    } types[] = {
        {"uint8", RADX_PIXEL_UINT8, 0, 255, 0, 0, 0},
        {"int8", RADX_PIXEL_INT8, -128, 127, 0, 0, 1},
        {"int16", RADX_PIXEL_INT16, -32768, 32767, 0, 0, 1},
        {"uint16", RADX_PIXEL_UINT16, 0, 65535, 0, 0, 0},
        {"int32", RADX_PIXEL_INT32, -2147483648.0, 2147483647.0, 0, 0, 1},
        {"uint32", RADX_PIXEL_UINT32, 0, 4294967295.0, 0, 0, 0},
        {"int64", RADX_PIXEL_INT64, -9223372036854775808.0, 9223372036854775807.0, 0, 0, 1},
        {"uint64", RADX_PIXEL_UINT64, 0, 18446744073709551615.0, 0, 0, 0},
        {"float32", RADX_PIXEL_FLOAT32, 0, 0, 1, 1, 1},
        {"float64", RADX_PIXEL_FLOAT64, 0, 0, 1, 0, 1},
    };
    static const int size[3] = {4, 3, 2};
    static const double spacing[3] = {1.25, 1.5, 2}, origin[3] = {3, -4, 5.5}, diagonal[3] = {-1, -1, 1};
    char path[256];
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        snprintf(path, sizeof path, IO_DIR "n1_%s.nii", types[t].name);
        radx_image *image = read_ok(path);
        assert_geometry(image, size, spacing, origin, diagonal);
        assert_int_equal(image->pixel_type, types[t].pixel);
        for (int v = 0; v < 24; v++)
            assert_close(path, image->data[v],
                         pattern_value(v, 24, types[t].lo, types[t].hi, types[t].is_float, types[t].is_float32,
                                       types[t].is_signed), 0, 0);
        radx_image_free(image);
        if (strcmp(types[t].name, "int8") && strcmp(types[t].name, "int64") && strcmp(types[t].name, "uint64") &&
            strcmp(types[t].name, "float64"))
            continue;
        snprintf(path, sizeof path, IO_DIR "r_%s.nrrd", types[t].name);
        image = read_ok(path);
        assert_int_equal(image->pixel_type, types[t].pixel);
        for (int v = 0; v < 60; v++)
            assert_close(path, image->data[v],
                         pattern_value(v, 60, types[t].lo, types[t].hi, types[t].is_float, types[t].is_float32,
                                       types[t].is_signed), 0, 0);
        radx_image_free(image);
    }
}

/* NIfTI-2 (SimpleITK 2.5.7 has no NIfTI-2 reader): the same voxels and, to
 * float precision, the same geometry as the NIfTI-1 file with the same
 * header values; big-endian gzip float64 against the generator's ramp. */
static void test_nifti2(void **state)
{
    (void)state;
    radx_image *one = read_ok(IO_DIR "n1_qform_sform.nii");
    const char *files[2] = {IO_DIR "n2_int16.nii", IO_DIR "n2_float64_be.nii.gz"};
    for (int f = 0; f < 2; f++) {
        radx_image *two = read_ok(files[f]);
        assert_int_equal(two->ndim, 3);
        for (int d = 0; d < 3; d++) {
            assert_int_equal(two->size[d], one->size[d]);
            assert_close("NIfTI-2 spacing", two->spacing[d], one->spacing[d], 1e-6, 1e-6);
            assert_close("NIfTI-2 origin", two->origin[d], one->origin[d], 1e-6, 1e-6);
        }
        for (int i = 0; i < 9; i++) assert_close("NIfTI-2 direction", two->direction[i], one->direction[i], 0, 1e-6);
        for (int v = 0; v < 60; v++) {
            double want = f == 0 ? one->data[v] : pattern_value(v, 60, 0, 0, 1, 0, 1);
            assert_close(files[f], two->data[v], want, 0, 0);
        }
        assert_int_equal(two->pixel_type, f == 0 ? RADX_PIXEL_INT16 : RADX_PIXEL_FLOAT64);
        radx_image_free(two);
    }
    radx_image_free(one);
}

/* make_io_files.py pixel(): the 8-bit sample of channel c at (x, y). */
static int png_pixel(int x, int y, int c)
{
    return (x * 37 + y * 91 + c * 53 + x * y * 7) % 256;
}

static double bt601(double r, double g, double b)
{
    return 0.299 * r + 0.587 * g + 0.114 * b;
}

/* PNG: grey samples as stored (also Adam7-interlaced), colour as BT.601
 * luma (alpha ignored), palette entries through the palette; grey + alpha
 * and grey + tRNS keep the grey sample (SimpleITK 2.5.7 cannot read
 * two-component images). */
static void test_png_values(void **state)
{
    (void)state;
    const char *names[] = {"p_grey8.png",       "p_grey16.png",    "p_rgb8.png",  "p_rgba8.png",      "p_palette8.png",
                           "p_grey_alpha8.png", "p_grey_trns.png", "p_grey1.png", "p_grey8_adam7.png"};
    for (int f = 0; f < 9; f++) {
        char path[256];
        snprintf(path, sizeof path, IO_DIR "%s", names[f]);
        radx_image *image = read_ok(path);
        assert_int_equal(image->size[0], 7);
        assert_int_equal(image->size[1], 5);
        assert_int_equal(image->size[2], 1);
        assert_int_equal(image->ndim, 2);
        for (int d = 0; d < 3; d++) assert_close("png spacing", image->spacing[d], 1.0, 0, 0);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 7; x++) {
                double want = 0.0;
                int index = (x + 3 * y) % 16;
                switch (f) {
                case 0: case 5: case 8: want = png_pixel(x, y, 0); break;
                case 1: want = png_pixel(x, y, 0) * 257 + x * 3; break;
                case 2: case 3: want = bt601(png_pixel(x, y, 0), png_pixel(x, y, 1), png_pixel(x, y, 2)); break;
                case 4:
                    want = bt601(png_pixel(index, 2 * index, 0), png_pixel(index, 2 * index, 1),
                                 png_pixel(index, 2 * index, 2));
                    break;
                case 6: want = png_pixel(x, y, 2); break;
                case 7: want = (x + y) % 2 ? 255 : 0; break;
                }
                assert_close(path, voxel(image, x, y, 0), want, 1e-15, 0);
            }
        radx_image_free(image);
    }
    /* RGB (200, 100, 50): 0.299*200 + 0.587*100 + 0.114*50 = 124.2 */
    assert_close("BT.601", bt601(200, 100, 50), 124.2, 1e-15, 0);
}

/* ---------------------------------------------------------------------- */
/* Failures: status and message                                           */
/* ---------------------------------------------------------------------- */

static void assert_read_fails(const char *path, radx_status expected, const char *needle)
{
    radx_image *image = (radx_image *)&image; /* must be reset to NULL */
    radx_status status = radx_image_read(path, &image);
    if (status != expected)
        fail_msg("%s: got %s (%s), expected %s", path, radx_status_name(status), radx_last_error(),
                 radx_status_name(expected));
    assert_null(image);
    assert_contains(radx_last_error(), path);
    assert_contains(radx_last_error(), needle);
}

static void test_error_files(void **state)
{
    (void)state;
    static const struct { const char *file; radx_status status; const char *needle; } cases[] = {
        {"err_n1_4d.nii", RADX_ERR_UNSUPPORTED, "4-D images are not supported (dim[4] = 2)"},
        {"err_n1_vector.nii", RADX_ERR_UNSUPPORTED, "vector images are not supported (3 components)"},
        {"err_n1_rgb24.nii", RADX_ERR_UNSUPPORTED, "vector images are not supported (3 components"},
        {"err_n1_complex64.nii", RADX_ERR_UNSUPPORTED, "complex images are not supported"},
        {"err_n1_analyze.nii", RADX_ERR_FORMAT, "not a NIfTI file"},
        {"err_n1_truncated.nii", RADX_ERR_FORMAT, "truncated: expected 120 bytes of voxel data"},
        {"err_n1_truncated.nii.gz", RADX_ERR_FORMAT, "truncated: expected 120 bytes of voxel data, found 113"},
        {"err_n1_sform_shear_noqform.nii", RADX_ERR_FORMAT, "not orthonormal"},
        {"err_r_block.nrrd", RADX_ERR_UNSUPPORTED, "unsupported NRRD type 'block'"},
        {"err_r_rgb.nrrd", RADX_ERR_UNSUPPORTED, "vector images are not supported (3 components"},
        {"err_r_4d.nrrd", RADX_ERR_UNSUPPORTED, "4-D images are not supported"},
        {"err_r_2d_in_3d_space.nrrd", RADX_ERR_UNSUPPORTED, "2 domain axes in a 3-D space"},
        {"err_r_bzip2.nrrd", RADX_ERR_UNSUPPORTED, "unsupported NRRD encoding 'bzip2'"},
        {"err_r_truncated.nrrd", RADX_ERR_FORMAT, "truncated: expected 120 bytes of voxel data"},
        {"err_r_truncated_gz.nrrd", RADX_ERR_FORMAT, "truncated: expected 120 bytes of voxel data, the gzip data hold 114"},
        {"err_r_missing_data.nhdr", RADX_ERR_IO, "cannot open data file"},
        {"err_p_truncated.png", RADX_ERR_FORMAT, "truncated: PNG chunk IDAT of 51 bytes"},
        {"err_p_badcrc.png", RADX_ERR_FORMAT, "CRC error"},
    };
    char path[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(path, sizeof path, IO_DIR "%s", cases[i].file);
        assert_read_fails(path, cases[i].status, cases[i].needle);
    }
    assert_read_fails(IO_DIR "make_io_files.py", RADX_ERR_UNSUPPORTED, "unknown image file extension");
    assert_read_fails(IO_DIR "no_such_file.nii", RADX_ERR_IO, "cannot open");
    assert_read_fails(IO_DIR "n1_int16.png", RADX_ERR_IO, "cannot open");
}

/* Write bytes to dir/name; returns the path (static buffer). */
static const char *write_temp(const char *dir, const char *name, const void *bytes, size_t n)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
    return path;
}

static void copy_file(const char *from, const char *dir, const char *name)
{
    size_t n = 0;
    char *bytes = radx_test_read_file(from, &n);
    assert_non_null(bytes);
    write_temp(dir, name, bytes, n);
    free(bytes);
}

/* Extensions in any case; the wrong reader for the content; a directory;
 * NRRD data files teem must not open (stdin, templates, devices). */
static void test_names_and_content(void **state)
{
    (void)state;
    char dir[] = "/tmp/radx_test_io_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[600];
    const char *names[] = {"A.NII", "B.Nii.Gz", "C.NRRD", "D.PNG"};
    const char *sources[] = {IO_DIR "n1_int16.nii", IO_DIR "n1_qform_only.nii.gz", IO_DIR "r_lps_raw.nrrd",
                             IO_DIR "p_grey8.png"};
    for (int i = 0; i < 4; i++) {
        copy_file(sources[i], dir, names[i]);
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        radx_image *a = read_ok(path), *b = read_ok(sources[i]);
        assert_memory_equal(a->data, b->data, radx_image_voxels(b) * sizeof(double));
        radx_image_free(a);
        radx_image_free(b);
    }
    copy_file(IO_DIR "p_grey8.png", dir, "png_content.nii");
    snprintf(path, sizeof path, "%s/png_content.nii", dir);
    assert_read_fails(path, RADX_ERR_FORMAT, "not a NIfTI file");
    copy_file(IO_DIR "n1_int16.nii", dir, "nifti_content.nrrd");
    snprintf(path, sizeof path, "%s/nifti_content.nrrd", dir);
    assert_read_fails(path, RADX_ERR_FORMAT, "not a NRRD file");
    copy_file(IO_DIR "r_lps_raw.nrrd", dir, "nrrd_content.png");
    snprintf(path, sizeof path, "%s/nrrd_content.png", dir);
    assert_read_fails(path, RADX_ERR_FORMAT, "not a PNG file");
    snprintf(path, sizeof path, "%s/folder.nii", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_read_fails(path, RADX_ERR_IO, "is a directory");
    rmdir(path);
    static const struct { const char *line; radx_status status; const char *needle; } detached[] = {
        {"data file: -", RADX_ERR_UNSUPPORTED, "data file \"-\" is not supported"},
        {"data file: /dev/zero", RADX_ERR_UNSUPPORTED, "is not a regular file"},
        {"data file: x%s%d.raw 1 2 1", RADX_ERR_UNSUPPORTED, "template"},
        {"data file: x%d%n.raw 1 2 1", RADX_ERR_UNSUPPORTED, "template"},
        {"data file: x%999d.raw 1 2 1", RADX_ERR_UNSUPPORTED, "template"},
        {"DATAFILE: LIST\n-", RADX_ERR_UNSUPPORTED, "data file \"-\" is not supported"},
    };
    for (size_t i = 0; i < sizeof detached / sizeof detached[0]; i++) {
        char header[512];
        int n = snprintf(header, sizeof header,
                         "NRRD0004\ntype: short\ndimension: 3\nsizes: 5 4 3\nencoding: raw\n%s\n",
                         detached[i].line);
        const char *p = write_temp(dir, "detached.nhdr", header, (size_t)n);
        snprintf(path, sizeof path, "%s", p);
        assert_read_fails(path, detached[i].status, detached[i].needle);
    }
    /* a template that is safe is followed: the data file is missing */
    const char tmpl[] = "NRRD0004\ntype: short\ndimension: 3\nsizes: 5 4 3\nencoding: raw\n"
                        "data file: part%03d.raw 1 3 1 2\n";
    snprintf(path, sizeof path, "%s", write_temp(dir, "template.nhdr", tmpl, sizeof tmpl - 1));
    assert_read_fails(path, RADX_ERR_IO, "part001.raw");
    const char *leftovers[] = {"A.NII", "B.Nii.Gz", "C.NRRD", "D.PNG", "png_content.nii", "nifti_content.nrrd",
                               "nrrd_content.png", "detached.nhdr", "template.nhdr"};
    for (int i = 0; i < 9; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, leftovers[i]);
        unlink(path);
    }
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_files_match_simpleitk),
        cmocka_unit_test(test_brain1),
        cmocka_unit_test(test_breast1),
        cmocka_unit_test(test_prostate),
        cmocka_unit_test(test_ibsi_phantom),
        cmocka_unit_test(test_every_datatype),
        cmocka_unit_test(test_nifti2),
        cmocka_unit_test(test_png_values),
        cmocka_unit_test(test_error_files),
        cmocka_unit_test(test_names_and_content),
    };
    return cmocka_run_group_tests(tests, setup_reference, teardown_reference);
}
