/* Shape features (host/features/shape3d.c, shape2d.c) against references
 * nobody here wrote:
 *  - the IBSI digital phantom: every morphology row of
 *    tests/data/ibsi/reference_values.csv with a PyRadiomics name, within
 *    IBSI's tolerance (the deprecated Compactness1/2 and
 *    SphericalDisproportion from MeshVolume and SurfaceArea by shape.py's
 *    formulas); the axis lengths with ibsi = 1 (covariance / (N - 1)), and
 *    PyRadiomics' N-normalised ones as IBSI * sqrt((N - 1) / N);
 *  - exact geometry that follows from PyRadiomics' definitions: the
 *    marching-cubes polyhedron of a box of voxels (iso-level 0.5, vertices
 *    at edge midpoints), of a single voxel (an octahedron) and of a box with
 *    a one-voxel cavity; the marching-squares polygon of a pixel and of a
 *    rectangle (with and without a hole); the covariance of a box of
 *    voxel centres (discrete uniform: variance s^2 (n^2 - 1) / 12).
 * Each derivation is written next to its test. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/classes.h"
#include "radx/table.h"

#define IBSI_CSV "tests/data/ibsi/reference_values.csv"
#define PI 3.141592653589793

/* ------------------------------------------------------------ test ROIs */

typedef struct test_mask {
    radx_roi roi;
    uint8_t *mask;
} test_mask;

/* A ROI of the given size and spacing, every voxel inside. Shape reads only
 * roi->mask, roi->size and roi->spacing. */
static void mask_make(test_mask *t, const int size[3], const double spacing[3])
{
    size_t n = (size_t)size[0] * size[1] * size[2];
    memset(t, 0, sizeof *t);
    t->mask = malloc(n);
    assert_non_null(t->mask);
    memset(t->mask, 1, n);
    for (int a = 0; a < 3; a++) {
        t->roi.size[a] = size[a];
        t->roi.spacing[a] = spacing[a];
    }
    t->roi.mask = t->mask;
    t->roi.nvoxels = (int64_t)n;
}

static void mask_set(test_mask *t, int x, int y, int z, int inside)
{
    t->mask[x + t->roi.size[0] * (y + t->roi.size[1] * z)] = (uint8_t)inside;
    t->roi.nvoxels += inside ? 1 : -1;
}

static void mask_free(test_mask *t) { free(t->mask); }

static int index_of(const radx_feature_class *cls, const char *name)
{
    int f = radx_feature_index(cls, name);
    if (f < 0) fail_msg("no %s feature %s", cls->name, name);
    return f;
}

static void compute(const radx_feature_class *cls, const test_mask *t, const radx_feature_opts *opts,
                    double *out)
{
    if (cls->compute(&t->roi, opts, out) != RADX_OK) fail_msg("%s", radx_last_error());
}

#define S3(name) out[index_of(&radx_class_shape, name)]
#define S2(name) out[index_of(&radx_class_shape2D, name)]

/* --------------------------------------------------------- the tables */

static void check_sorted(const radx_feature_class *cls)
{
    for (int f = 1; f < cls->nfeatures; f++)
        assert_true(strcmp(cls->features[f - 1].name, cls->features[f].name) < 0);
}

/* shape 14 and shape2D 9 features (shared/notes/pyradiomics.md counts),
 * alphabetical, IBSI codes as the IBSI CSV maps them. */
static void test_feature_tables(void **state)
{
    (void)state;
    assert_string_equal(radx_class_shape.name, "shape");
    assert_string_equal(radx_class_shape2D.name, "shape2D");
    assert_int_equal(radx_class_shape.nfeatures, 14);
    assert_int_equal(radx_class_shape2D.nfeatures, 9);
    check_sorted(&radx_class_shape);
    check_sorted(&radx_class_shape2D);
    for (int f = 0; f < radx_class_shape2D.nfeatures; f++)
        assert_string_equal(radx_class_shape2D.features[f].ibsi_code, "");

    radx_csv *csv;
    if (radx_csv_read(IBSI_CSV, &csv) != RADX_OK) fail_msg("%s", radx_last_error());
    int c_code = radx_csv_column(csv, "ibsi_code"), c_py = radx_csv_column(csv, "pyradiomics_name");
    int mapped = 0;
    for (int r = 0; r < csv->nrows; r++) {
        const char *py = csv->cells[r][c_py];
        if (strncmp(py, "shape_", 6)) continue;
        int f = radx_feature_index(&radx_class_shape, py + 6);
        if (f < 0) continue; /* deprecated: Compactness1/2, SphericalDisproportion */
        assert_string_equal(radx_class_shape.features[f].ibsi_code, csv->cells[r][c_code]);
        mapped++;
    }
    radx_csv_free(csv);
    assert_int_equal(mapped, 11);
}

/* ------------------------------------------------------ IBSI phantom */

static void load_phantom_mask(test_mask *t)
{
    FILE *f = fopen("tests/data/ibsi/digital_phantom_mask.txt", "r");
    if (!f) fail_msg("cannot open the phantom mask");
    int size[3];
    double spacing[3];
    if (fscanf(f, "# %d %d %d %lf %lf %lf", &size[0], &size[1], &size[2], &spacing[0], &spacing[1],
               &spacing[2]) != 6)
        fail_msg("bad phantom header");
    mask_make(t, size, spacing);
    t->roi.nvoxels = 0;
    for (int i = 0; i < size[0] * size[1] * size[2]; i++) {
        int v;
        if (fscanf(f, "%d", &v) != 1) fail_msg("phantom mask value %d missing", i);
        t->mask[i] = (uint8_t)v;
        t->roi.nvoxels += v;
    }
    fclose(f);
    assert_int_equal(t->roi.nvoxels, 74);
}

/* The value of a deprecated PyRadiomics feature from V and A (shape.py). */
static double deprecated_feature(const char *name, double v, double a)
{
    if (strcmp(name, "Compactness1") == 0) return v / (pow(a, 1.5) * sqrt(PI));
    if (strcmp(name, "Compactness2") == 0) return 36.0 * PI * v * v / (a * a * a);
    if (strcmp(name, "SphericalDisproportion") == 0) return a / pow(36.0 * PI * v * v, 1.0 / 3.0);
    fail_msg("unknown deprecated feature %s", name);
    return NAN;
}

static int is_axis_length(const char *name)
{
    return strstr(name, "AxisLength") != NULL;
}

/* Every morphology row with a PyRadiomics name, within IBSI's tolerance.
 * axis_scale multiplies the IBSI axis lengths (1 with ibsi; sqrt((N-1)/N)
 * for PyRadiomics' N-normalised covariance). Returns how many rows. */
static int check_morphology(const double *out, double axis_scale)
{
    radx_csv *csv;
    if (radx_csv_read(IBSI_CSV, &csv) != RADX_OK) fail_msg("%s", radx_last_error());
    int c_family = radx_csv_column(csv, "family"), c_value = radx_csv_column(csv, "value");
    int c_tol = radx_csv_column(csv, "tolerance"), c_py = radx_csv_column(csv, "pyradiomics_name");
    int compared = 0;
    double volume = S3("MeshVolume"), area = S3("SurfaceArea");
    for (int r = 0; r < csv->nrows; r++) {
        char **row = csv->cells[r];
        if (strcmp(row[c_family], "morphology") || strncmp(row[c_py], "shape_", 6)) continue;
        const char *name = row[c_py] + 6;
        double reference, tolerance;
        assert_int_equal(radx_csv_number(row[c_value], &reference), 0);
        assert_int_equal(radx_csv_number(row[c_tol], &tolerance), 0);
        int f = radx_feature_index(&radx_class_shape, name);
        double got = f >= 0 ? out[f] : deprecated_feature(name, volume, area);
        if (is_axis_length(name)) {
            reference *= axis_scale;
            tolerance *= axis_scale;
        }
        char what[128];
        snprintf(what, sizeof what, "IBSI morphology %s", name);
        assert_close(what, got, reference, 0, tolerance);
        compared++;
    }
    radx_csv_free(csv);
    return compared;
}

static void test_ibsi_phantom(void **state)
{
    (void)state;
    test_mask t;
    load_phantom_mask(&t);
    radx_feature_opts opts;
    radx_feature_opts_default(&opts);
    double out[32], py[32];
    opts.ibsi = 1;
    compute(&radx_class_shape, &t, &opts, out);
    assert_int_equal(check_morphology(out, 1.0), 14);
    /* PyRadiomics: covariance / N, the IBSI lengths scaled by sqrt(73/74) */
    opts.ibsi = 0;
    compute(&radx_class_shape, &t, &opts, py);
    assert_int_equal(check_morphology(py, sqrt(73.0 / 74.0)), 14);
    for (int f = 0; f < radx_class_shape.nfeatures; f++) {
        const char *name = radx_class_shape.features[f].name;
        double expected = out[f] * (is_axis_length(name) ? sqrt(73.0 / 74.0) : 1.0);
        assert_close(name, py[f], expected, 1e-14, 0);
    }
    mask_free(&t);
}

/* ------------------------------------------------- 3D: exact geometry */

/* The marching-cubes surface (iso-level 0.5, vertices at edge midpoints)
 * of a box of a x b x c voxels with spacing (sx, sy, sz), in voxel-centre
 * coordinates: the box [-1/2, a - 1/2] x ... with its 12 edges chamfered and
 * 8 corners cut.
 *  - Cubes with 4 corners inside carry the flat faces: on the faces normal
 *    to z a rectangle (a-1) sx x (b-1) sy, and so on.
 *  - Cubes with the 2 corners of a box edge inside carry a chamfer plane
 *    through the 4 edge midpoints: along an x edge a strip of length
 *    (a-1) sx and width |(0, sy/2, sz/2)|; it removes from the box a prism
 *    of cross-section sy sz / 8.
 *  - The 8 corner cubes (1 corner inside) carry the triangle through
 *    (-sx/2,0,0), (0,-sy/2,0), (0,0,-sz/2): area |u x v| / 2 =
 *    sqrt(sy^2 sz^2 + sx^2 sz^2 + sx^2 sy^2) / 8; inside it lies the
 *    tetrahedron sx sy sz / 48 of the box's sx sy sz / 8 there.
 * Hence V = sx sy sz [a b c - (a + b + c - 3) / 2 - 5/6] and A as below.
 * Vertices are the midpoints of the edges leaving the box, e.g. (-1/2, y, z)
 * for y < b, z < c: the farthest pair lies on opposite faces,
 * D3^2 = max_k (n_k s_k)^2 + sum_{j != k} ((n_j - 1) s_j)^2, and within a
 * z-plane (Slice) max((a sx)^2 + ((b-1) sy)^2, ((a-1) sx)^2 + (b sy)^2). */
typedef struct box_geometry {
    double volume, area, d3, slice, column, row;
} box_geometry;

static double hypot_sq(double p, double q) { return p * p + q * q; }

static double plane_diameter(int n1, double s1, int n2, double s2)
{
    return sqrt(fmax(hypot_sq(n1 * s1, (n2 - 1) * s2), hypot_sq((n1 - 1) * s1, n2 * s2)));
}

static box_geometry box_surface(int a, int b, int c, double sx, double sy, double sz)
{
    box_geometry g;
    g.volume = sx * sy * sz * (a * b * c - (a + b + c - 3) / 2.0 - 5.0 / 6.0);
    double faces = 2.0 * ((a - 1) * (b - 1) * sx * sy + (a - 1) * (c - 1) * sx * sz +
                          (b - 1) * (c - 1) * sy * sz);
    double chamfers = 4.0 * ((a - 1) * sx * 0.5 * sqrt(sy * sy + sz * sz) +
                             (b - 1) * sy * 0.5 * sqrt(sx * sx + sz * sz) +
                             (c - 1) * sz * 0.5 * sqrt(sx * sx + sy * sy));
    double corners = sqrt(sy * sy * sz * sz + sx * sx * sz * sz + sx * sx * sy * sy);
    g.area = faces + chamfers + corners;
    double ex = (a - 1) * sx, ey = (b - 1) * sy, ez = (c - 1) * sz;
    double d3 = fmax(fmax(hypot_sq(a * sx, ey) + ez * ez, hypot_sq(ex, b * sy) + ez * ez),
                     hypot_sq(ex, ey) + (c * sz) * (c * sz));
    g.d3 = sqrt(d3);
    g.slice = plane_diameter(a, sx, b, sy);
    g.column = plane_diameter(a, sx, c, sz);
    g.row = plane_diameter(b, sy, c, sz);
    return g;
}

static void check_box_mesh(const double *out, const box_geometry *g)
{
    assert_close("MeshVolume", S3("MeshVolume"), g->volume, 1e-13, 0);
    assert_close("SurfaceArea", S3("SurfaceArea"), g->area, 1e-13, 0);
    assert_close("SurfaceVolumeRatio", S3("SurfaceVolumeRatio"), g->area / g->volume, 1e-13, 0);
    assert_close("Sphericity", S3("Sphericity"), cbrt(36.0 * PI * g->volume * g->volume) / g->area, 1e-13, 0);
    assert_close("Maximum3DDiameter", S3("Maximum3DDiameter"), g->d3, 1e-14, 0);
    assert_close("Maximum2DDiameterSlice", S3("Maximum2DDiameterSlice"), g->slice, 1e-14, 0);
    assert_close("Maximum2DDiameterColumn", S3("Maximum2DDiameterColumn"), g->column, 1e-14, 0);
    assert_close("Maximum2DDiameterRow", S3("Maximum2DDiameterRow"), g->row, 1e-14, 0);
}

/* A 3 x 4 x 5 box, anisotropic spacing: the mesh as derived above; the
 * voxel centres are uniform on each axis (variance s^2 (n^2 - 1) / 12,
 * covariance 0), so the axis lengths are 4 sqrt of those. */
static void test_box(void **state)
{
    (void)state;
    const int size[3] = {3, 4, 5};
    const double spacing[3] = {0.7, 1.1, 1.9};
    test_mask t;
    mask_make(&t, size, spacing);
    radx_feature_opts opts;
    radx_feature_opts_default(&opts);
    double out[32];
    compute(&radx_class_shape, &t, &opts, out);
    box_geometry g = box_surface(3, 4, 5, 0.7, 1.1, 1.9);
    check_box_mesh(out, &g);
    assert_close("VoxelVolume", S3("VoxelVolume"), 60 * 0.7 * 1.1 * 1.9, 1e-15, 0);
    double var[3];
    for (int a = 0; a < 3; a++)
        var[a] = spacing[a] * spacing[a] * (size[a] * size[a] - 1) / 12.0;
    /* sorted: x 0.7^2*8/12 = 0.327, y 1.21*15/12 = 1.5125, z 3.61*24/12 = 7.22 */
    assert_close("LeastAxisLength", S3("LeastAxisLength"), 4 * sqrt(var[0]), 1e-13, 0);
    assert_close("MinorAxisLength", S3("MinorAxisLength"), 4 * sqrt(var[1]), 1e-13, 0);
    assert_close("MajorAxisLength", S3("MajorAxisLength"), 4 * sqrt(var[2]), 1e-13, 0);
    assert_close("Elongation", S3("Elongation"), sqrt(var[1] / var[2]), 1e-13, 0);
    assert_close("Flatness", S3("Flatness"), sqrt(var[0] / var[2]), 1e-13, 0);
    /* ibsi: covariance / (N - 1) = 59 */
    opts.ibsi = 1;
    compute(&radx_class_shape, &t, &opts, out);
    assert_close("ibsi MajorAxisLength", S3("MajorAxisLength"), 4 * sqrt(var[2] * 60.0 / 59.0), 1e-13, 0);
    assert_close("ibsi Flatness", S3("Flatness"), sqrt(var[0] / var[2]), 1e-13, 0);
    mask_free(&t);
}

/* One voxel: the cubes around it each hold the one-corner triangle, which
 * together form the octahedron through the 6 face centres: V = sx sy sz / 6,
 * A = sqrt(sx^2 sy^2 + sx^2 sz^2 + sy^2 sz^2) (the box formulas at
 * a = b = c = 1); diameters between opposite face centres; every
 * eigenvalue 0, so the axis lengths are 0 and the ratios 0/0 = NaN. */
static void test_single_voxel(void **state)
{
    (void)state;
    const int size[3] = {1, 1, 1};
    const double spacing[3] = {0.5, 0.8, 2.5};
    test_mask t;
    mask_make(&t, size, spacing);
    double out[32];
    compute(&radx_class_shape, &t, NULL, out);
    box_geometry g = box_surface(1, 1, 1, 0.5, 0.8, 2.5);
    assert_close("octahedron volume", g.volume, 0.5 * 0.8 * 2.5 / 6.0, 1e-15, 0);
    check_box_mesh(out, &g);
    assert_close("Maximum3DDiameter", S3("Maximum3DDiameter"), 2.5, 1e-15, 0);
    assert_close("Maximum2DDiameterSlice", S3("Maximum2DDiameterSlice"), 0.8, 1e-15, 0);
    assert_close("MajorAxisLength", S3("MajorAxisLength"), 0.0, 0, 0);
    assert_true(isnan(S3("Elongation")));
    assert_true(isnan(S3("Flatness")));
    mask_free(&t);
}

/* A 3 x 3 x 3 box without its centre voxel: the cavity's cubes hold 7
 * corners inside, i.e. the complement of the one-corner case with the
 * opposite orientation, so the cavity's octahedron is subtracted from the
 * volume and added to the area (the signed volume of complemented cubes). */
static void test_cavity(void **state)
{
    (void)state;
    const int size[3] = {3, 3, 3};
    const double spacing[3] = {1.0, 1.5, 2.0};
    test_mask t;
    mask_make(&t, size, spacing);
    mask_set(&t, 1, 1, 1, 0);
    double out[32];
    compute(&radx_class_shape, &t, NULL, out);
    box_geometry g = box_surface(3, 3, 3, 1.0, 1.5, 2.0);
    box_geometry hole = box_surface(1, 1, 1, 1.0, 1.5, 2.0);
    assert_close("MeshVolume", S3("MeshVolume"), g.volume - hole.volume, 1e-13, 0);
    assert_close("SurfaceArea", S3("SurfaceArea"), g.area + hole.area, 1e-13, 0);
    assert_close("VoxelVolume", S3("VoxelVolume"), 26 * 3.0, 1e-15, 0);
    assert_close("Maximum3DDiameter", S3("Maximum3DDiameter"), g.d3, 1e-14, 0);
    mask_free(&t);
}

/* Two voxels that touch only at a corner: two octahedra, and the largest
 * vertex distance spans both. */
static void test_two_voxels(void **state)
{
    (void)state;
    const int size[3] = {2, 2, 2};
    const double spacing[3] = {1.0, 1.0, 1.0};
    test_mask t;
    mask_make(&t, size, spacing);
    memset(t.mask, 0, 8);
    t.roi.nvoxels = 0;
    mask_set(&t, 0, 0, 0, 1);
    mask_set(&t, 1, 1, 1, 1);
    double out[32];
    compute(&radx_class_shape, &t, NULL, out);
    assert_close("MeshVolume", S3("MeshVolume"), 2.0 / 6.0, 1e-14, 0);
    assert_close("SurfaceArea", S3("SurfaceArea"), 2.0 * sqrt(3.0), 1e-14, 0);
    /* face centres (-1/2, 0, 0) and (3/2, 1, 1): sqrt(4 + 1 + 1) */
    assert_close("Maximum3DDiameter", S3("Maximum3DDiameter"), sqrt(6.0), 1e-15, 0);
    /* eigenvalues of the centres (0,0,0), (1,1,1): 3/4 and 0, 0 */
    assert_close("MajorAxisLength", S3("MajorAxisLength"), 4 * sqrt(0.75), 1e-14, 0);
    assert_close("MinorAxisLength", S3("MinorAxisLength"), 0.0, 0, 1e-7);
    mask_free(&t);
}

static void test_empty_roi(void **state)
{
    (void)state;
    const int size[3] = {2, 2, 1};
    const double spacing[3] = {1, 1, 1};
    test_mask t;
    mask_make(&t, size, spacing);
    memset(t.mask, 0, 4);
    double out[32];
    assert_int_equal(radx_class_shape.compute(&t.roi, NULL, out), RADX_ERR_ROI);
    assert_int_equal(radx_class_shape2D.compute(&t.roi, NULL, out), RADX_ERR_ROI);
    mask_free(&t);
}

/* ----------------------------------------------- 2D: exact geometry */

/* Marching squares on a w x h rectangle of pixels (rows spacing sr, columns
 * sc), in pixel-centre coordinates. The contour joins the midpoints of the
 * edges leaving the rectangle: straight along each side between the
 * outermost centres, (w - 1) sc along top and bottom, (h - 1) sr left and
 * right, and across each corner square (one corner inside) the segment
 * from (-1/2, 0) to (0, -1/2), of length sqrt(sr^2 + sc^2) / 2:
 *   P = 2 (w - 1) sc + 2 (h - 1) sr + 2 sqrt(sr^2 + sc^2).
 * The enclosed area is the rectangle w sc x h sr less 4 corner triangles
 * (sr / 2)(sc / 2) / 2:  A = (w h - 1/2) sr sc.
 * The farthest vertices lie on opposite sides: D^2 = max((h sr)^2 +
 * ((w - 1) sc)^2, ((h - 1) sr)^2 + (w sc)^2). The pixel centres are uniform
 * per axis: eigenvalues s^2 (n^2 - 1) / 12. */
static void check_rectangle(const double *out, int w, int h, double sr, double sc)
{
    double perimeter = 2 * (w - 1) * sc + 2 * (h - 1) * sr + 2 * sqrt(sr * sr + sc * sc);
    double surface = (w * h - 0.5) * sr * sc;
    assert_close("Perimeter", S2("Perimeter"), perimeter, 1e-14, 0);
    assert_close("MeshSurface", S2("MeshSurface"), surface, 1e-14, 0);
    assert_close("PixelSurface", S2("PixelSurface"), w * h * sr * sc, 1e-15, 0);
    assert_close("PerimeterSurfaceRatio", S2("PerimeterSurfaceRatio"), perimeter / surface, 1e-14, 0);
    assert_close("Sphericity", S2("Sphericity"), 2 * sqrt(PI * surface) / perimeter, 1e-14, 0);
    assert_close("MaximumDiameter", S2("MaximumDiameter"), plane_diameter(h, sr, w, sc), 1e-14, 0);
    double vr = sr * sr * (h * h - 1) / 12.0, vc = sc * sc * (w * w - 1) / 12.0;
    double major = fmax(vr, vc), minor = fmin(vr, vc);
    assert_close("MajorAxisLength", S2("MajorAxisLength"), 4 * sqrt(major), 1e-13, 0);
    assert_close("MinorAxisLength", S2("MinorAxisLength"), 4 * sqrt(minor), 1e-13, 1e-12);
    if (major > 0) assert_close("Elongation", S2("Elongation"), sqrt(minor / major), 1e-13, 1e-12);
}

/* A single pixel: the diamond through its 4 edge midpoints,
 * P = 2 sqrt(sr^2 + sc^2), A = sr sc / 2, D = max(sr, sc). */
static void test_2d_single_pixel(void **state)
{
    (void)state;
    const int size[3] = {1, 1, 1};
    const double spacing[3] = {0.6, 1.7, 1.0}; /* x = columns, y = rows */
    test_mask t;
    mask_make(&t, size, spacing);
    double out[32];
    compute(&radx_class_shape2D, &t, NULL, out);
    assert_close("Perimeter", S2("Perimeter"), 2 * sqrt(0.6 * 0.6 + 1.7 * 1.7), 1e-15, 0);
    assert_close("MeshSurface", S2("MeshSurface"), 0.6 * 1.7 / 2, 1e-15, 0);
    assert_close("MaximumDiameter", S2("MaximumDiameter"), 1.7, 1e-15, 0);
    assert_close("MajorAxisLength", S2("MajorAxisLength"), 0.0, 0, 0);
    assert_true(isnan(S2("Elongation")));
    check_rectangle(out, 1, 1, 1.7, 0.6);
    mask_free(&t);
}

/* A 2D image (z size 1): rows along y, columns along x. */
static void test_2d_rectangle(void **state)
{
    (void)state;
    const int size[3] = {7, 3, 1};
    const double spacing[3] = {0.5, 1.25, 3.0};
    test_mask t;
    mask_make(&t, size, spacing);
    double out[32];
    compute(&radx_class_shape2D, &t, NULL, out);
    check_rectangle(out, 7, 3, 1.25, 0.5);
    mask_free(&t);
}

/* force2D with force2Ddimension 2 (radx axis 0 = x out of plane): the
 * plane is (z, y) in numpy order, rows along z, columns along y. */
static void test_2d_other_axis(void **state)
{
    (void)state;
    const int size[3] = {1, 4, 6};
    const double spacing[3] = {9.0, 0.75, 1.5};
    test_mask t;
    mask_make(&t, size, spacing);
    radx_feature_opts opts;
    radx_feature_opts_default(&opts);
    opts.force2d = 1;
    opts.force2d_axis = 0;
    double out[32];
    compute(&radx_class_shape2D, &t, &opts, out);
    check_rectangle(out, 4, 6, 1.5, 0.75);
    /* the default axis (z) has 6 slices here: PyRadiomics refuses */
    opts.force2d_axis = 2;
    assert_int_equal(radx_class_shape2D.compute(&t.roi, &opts, out), RADX_ERR_ROI);
    assert_contains(radx_last_error(), "single slice");
    mask_free(&t);
}

/* A 3 x 3 square without its centre: the hole's contour is the diamond of
 * a single pixel traversed the other way, so its area is subtracted and
 * its length added: A = (9 - 1/2) s^2 - s^2 / 2, P = outer + 2 sqrt(2) s. */
static void test_2d_hole(void **state)
{
    (void)state;
    const int size[3] = {3, 3, 1};
    const double spacing[3] = {1.5, 1.5, 1.0};
    test_mask t;
    mask_make(&t, size, spacing);
    mask_set(&t, 1, 1, 0, 0);
    double out[32];
    compute(&radx_class_shape2D, &t, NULL, out);
    double s = 1.5;
    assert_close("MeshSurface", S2("MeshSurface"), 8.5 * s * s - 0.5 * s * s, 1e-14, 0);
    assert_close("Perimeter", S2("Perimeter"), 4 * 2 * s + 2 * sqrt(2.0) * s + 2 * sqrt(2.0) * s, 1e-14, 0);
    assert_close("PixelSurface", S2("PixelSurface"), 8 * s * s, 1e-15, 0);
    mask_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feature_tables),
        cmocka_unit_test(test_ibsi_phantom),
        cmocka_unit_test(test_box),
        cmocka_unit_test(test_single_voxel),
        cmocka_unit_test(test_cavity),
        cmocka_unit_test(test_two_voxels),
        cmocka_unit_test(test_empty_roi),
        cmocka_unit_test(test_2d_single_pixel),
        cmocka_unit_test(test_2d_rectangle),
        cmocka_unit_test(test_2d_other_axis),
        cmocka_unit_test(test_2d_hole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
