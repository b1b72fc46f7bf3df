/* 2D shape features exactly as PyRadiomics 3.1 radiomics/shape2D.py and
 * src/cshape.c (calculate_coefficients2D) compute them. IBSI defines no 2D
 * morphology features, so no feature here has an IBSI code.
 *
 * The ROI must be one voxel thick along the out-of-plane axis (force2D's
 * axis; z for a 2D image): shape2D.py squeezes that axis and raises
 * otherwise. The slice, in numpy order (rows = the higher radx axis, columns
 * = the lower one), is padded with one background pixel on every side and
 * contoured by marching squares with iso-level 0.5: every vertex lies
 * halfway along a square edge whose corners differ. Coordinates are (index
 * in the padded array + offset) * spacing, summed over the squares row by
 * row, as cshape.c does.
 *
 * Notation: A the mesh surface, P the perimeter, N_p the pixels in the ROI,
 * lambda_major >= lambda_minor the eigenvalues of the covariance of the
 * pixel centres (host/features/shape_pca.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/error.h"
#include "features/classes.h"
#include "features/shape_pca.h"

/* numpy.pi */
#define SHAPE2D_PI 3.141592653589793

enum {
    F_ELONGATION,
    F_MAJOR_AXIS,
    F_MAX_DIAMETER,
    F_MESH_SURFACE,
    F_MINOR_AXIS,
    F_PERIMETER,
    F_PERIMETER_SURFACE_RATIO,
    F_PIXEL_SURFACE,
    F_SPHERICITY,
    SHAPE2D_NFEATURES
};

static const char NOTE_2D[] = "IBSI defines no 2D shape features";

static const radx_feature_def shape2d_features[SHAPE2D_NFEATURES] = {
    {"Elongation", "", "sqrt(lambda_minor / lambda_major) of the pixel centres; IBSI defines no 2D shape features"},
    {"MajorAxisLength", "", "4 sqrt(lambda_major), covariance normalised by N; IBSI defines no 2D shape features"},
    {"MaximumDiameter", "", "largest distance between contour vertices; IBSI defines no 2D shape features"},
    {"MeshSurface", "", "area enclosed by the marching-squares contour; IBSI defines no 2D shape features"},
    {"MinorAxisLength", "", "4 sqrt(lambda_minor), covariance normalised by N; IBSI defines no 2D shape features"},
    {"Perimeter", "", "length of the marching-squares contour; IBSI defines no 2D shape features"},
    {"PerimeterSurfaceRatio", "", NOTE_2D},
    {"PixelSurface", "", "N_p times the pixel area; IBSI defines no 2D shape features"},
    {"Sphericity", "", "2 sqrt(pi A) / P; IBSI defines no 2D shape features"},
};

/* ------------------------------------------------ marching-squares data */

/* Square corners (row, column offsets) and the edge midpoints, numbered as
 * in cshape.c:
 *         e0
 *   c0 -------- c1
 *    |          |
 * e3 |          | e1
 *    |          |
 *   c3 -------- c2
 *         e2
 * Bit k of a square index is set when corner k is inside the ROI. */
static const int ms_corner_offset[4][2] = {{0, 0}, {0, 1}, {1, 1}, {1, 0}};
static const double ms_edge_point[4][2] = {{0.0, 0.5}, {0.5, 1.0}, {1.0, 0.5}, {0.5, 0.0}};

/* Contour segments (from edge, to edge) per square index, oriented as
 * cshape.c's lineTable2D (the sign of the enclosed area depends on it);
 * the saddles 5 and 10 keep diagonal pixels apart. */
typedef struct ms_case {
    int nlines;
    int edges[2][2];
} ms_case;

static const ms_case ms_cases[16] = {
    {0, {{0, 0}}},         {1, {{3, 0}}},         {1, {{0, 1}}}, {1, {{3, 1}}},
    {1, {{1, 2}}},         {2, {{1, 2}, {3, 0}}}, {1, {{0, 2}}}, {1, {{3, 2}}},
    {1, {{2, 3}}},         {1, {{2, 0}}},         {2, {{0, 1}, {2, 3}}}, {1, {{2, 1}}},
    {1, {{1, 3}}},         {1, {{1, 0}}},         {1, {{0, 3}}}, {0, {{0, 0}}},
};

/* ------------------------------------------------------------ the slice */

/* The ROI slice in numpy order, padded: prow x pcol, index r * pcol + c. */
typedef struct padded_slice {
    int prow, pcol;
    uint8_t *inside;
} padded_slice;

/* The in-plane axes of the ROI (radx axes): numpy drops force2Ddimension
 * and keeps the other two in numpy order, i.e. the higher radx axis as
 * rows. Fails when the ROI is thicker than one voxel out of plane. */
static radx_status plane_axes(const radx_roi *roi, const radx_feature_opts *opts, int *row_axis,
                              int *col_axis)
{
    int normal = (opts && opts->force2d) ? opts->force2d_axis : 2;
    if (normal < 0 || normal > 2)
        return radx_fail(RADX_ERR_PARAM, "shape2D: force2D axis %d is not 0, 1 or 2", normal);
    if (roi->size[normal] != 1)
        return radx_fail(RADX_ERR_ROI,
                         "shape2D: the ROI spans %d voxels along axis %d (the out-of-plane axis); "
                         "2D shape needs a single slice",
                         roi->size[normal], normal);
    *row_axis = normal == 2 ? 1 : 2;
    *col_axis = normal == 0 ? 1 : 0;
    return RADX_OK;
}

static radx_status padded_slice_make(const radx_roi *roi, int row_axis, int col_axis,
                                     padded_slice *ps)
{
    ps->prow = roi->size[row_axis] + 2;
    ps->pcol = roi->size[col_axis] + 2;
    ps->inside = calloc((size_t)ps->prow * (size_t)ps->pcol, 1);
    if (!ps->inside) return radx_fail(RADX_ERR_NOMEM, "shape2D: cannot allocate the padded slice");
    const size_t stride[3] = {1, (size_t)roi->size[0], (size_t)roi->size[0] * (size_t)roi->size[1]};
    for (int r = 0; r < roi->size[row_axis]; r++)
        for (int c = 0; c < roi->size[col_axis]; c++)
            ps->inside[(size_t)(r + 1) * ps->pcol + (size_t)(c + 1)] =
                roi->mask[(size_t)r * stride[row_axis] + (size_t)c * stride[col_axis]] != 0;
    return RADX_OK;
}

/* ------------------------------------------------------- the contour */

typedef struct contour {
    double surface2;      /* 2 A: sum of a x b over the segments */
    double perimeter;     /* P */
    size_t nvertices, capacity;
    double *vertex;       /* (row, col) pairs in mm, for the diameter */
} contour;

static radx_status contour_keep_vertex(contour *ct, const double p[2])
{
    if (ct->nvertices == ct->capacity) {
        size_t capacity = ct->capacity ? 2 * ct->capacity : 256;
        double *grown = realloc(ct->vertex, 2 * capacity * sizeof *grown);
        if (!grown) return radx_fail(RADX_ERR_NOMEM, "shape2D: cannot store %zu contour vertices", capacity);
        ct->vertex = grown;
        ct->capacity = capacity;
    }
    ct->vertex[2 * ct->nvertices] = p[0];
    ct->vertex[2 * ct->nvertices + 1] = p[1];
    ct->nvertices++;
    return RADX_OK;
}

static void square_edge_point(int edge, int row, int col, const double spacing[2], double p[2])
{
    p[0] = ((double)row + ms_edge_point[edge][0]) * spacing[0];
    p[1] = ((double)col + ms_edge_point[edge][1]) * spacing[1];
}

/* One segment a -> b (PyRadiomics getMeshSurfaceFeatureValue and
 * getPerimeterFeatureValue): the signed triangle with the origin,
 * 2 A_i = a x b = a_row b_col - b_row a_col, and the length |a - b|. */
static void add_segment(double a[2], const double b[2], contour *ct)
{
    ct->surface2 += (a[0] * b[1]) - (b[0] * a[1]);
    for (int d = 0; d < 2; d++) {
        a[d] -= b[d];
        a[d] = a[d] * a[d];
    }
    ct->perimeter += sqrt(a[0] + a[1]);
}

/* cshape.c keeps, per square, the vertices on the two edges that meet at
 * corner 3 (edges 3 and 2) after complementing an index with corner 3
 * inside: over all squares every crossing edge of the grid once. Edge 3 /
 * 2 then crosses iff corner 0 / 2 is inside. */
static radx_status keep_corner3_vertices(unsigned index, int row, int col, const double spacing[2],
                                         contour *ct)
{
    static const int corner[2] = {0, 2}, edge[2] = {3, 2};
    if (index > 7) index ^= 0xFu;
    for (int k = 0; k < 2; k++) {
        if (!(index & (1u << corner[k]))) continue;
        double p[2];
        square_edge_point(edge[k], row, col, spacing, p);
        radx_status s = contour_keep_vertex(ct, p);
        if (s != RADX_OK) return s;
    }
    return RADX_OK;
}

static unsigned square_index_at(const padded_slice *ps, int row, int col)
{
    unsigned index = 0;
    for (int k = 0; k < 4; k++) {
        int r = row + ms_corner_offset[k][0], c = col + ms_corner_offset[k][1];
        if (ps->inside[(size_t)r * ps->pcol + (size_t)c]) index |= 1u << k;
    }
    return index;
}

/* Marching squares over the padded slice (cshape.c calculate_coefficients2D). */
static radx_status march_squares(const padded_slice *ps, const double spacing[2], contour *ct)
{
    for (int row = 0; row < ps->prow - 1; row++)
        for (int col = 0; col < ps->pcol - 1; col++) {
            unsigned index = square_index_at(ps, row, col);
            if (index == 0 || index == 0xFu) continue;
            const ms_case *c = &ms_cases[index];
            for (int l = 0; l < c->nlines; l++) {
                double a[2], b[2];
                square_edge_point(c->edges[l][0], row, col, spacing, a);
                square_edge_point(c->edges[l][1], row, col, spacing, b);
                add_segment(a, b, ct);
            }
            radx_status s = keep_corner3_vertices(index, row, col, spacing, ct);
            if (s != RADX_OK) return s;
        }
    return RADX_OK;
}

/* cshape.c calculate_meshDiameter2D: the largest distance between two
 * contour vertices (the maximum does not depend on the pair order). */
static double contour_diameter(const contour *ct)
{
    double best = 0.0;
    for (size_t i = 1; i < ct->nvertices; i++) {
        double r = ct->vertex[2 * i], c = ct->vertex[2 * i + 1];
        for (size_t j = 0; j < i; j++) {
            double dr = r - ct->vertex[2 * j], dc = c - ct->vertex[2 * j + 1];
            double dist = dr * dr + dc * dc;
            best = dist > best ? dist : best;
        }
    }
    return sqrt(best);
}

/* ---------------------------------------------------------------- PCA */

/* Always N-normalised as PyRadiomics: IBSI has no 2D counterpart. */
static void pixel_eigenvalues(const padded_slice *ps, const double spacing[2], double eig[2])
{
    shape_pca pca;
    shape_pca_init(&pca, 2, 0);
    for (int pass = 0; pass < 2; pass++)
        for (int r = 0; r < ps->prow; r++)
            for (int c = 0; c < ps->pcol; c++) {
                if (!ps->inside[(size_t)r * ps->pcol + (size_t)c]) continue;
                /* numpy: int coordinates (of the padded array) * spacing */
                double phys[2] = {(double)r * spacing[0], (double)c * spacing[1]};
                if (pass == 0)
                    shape_pca_add_mean(&pca, phys);
                else
                    shape_pca_add_cov(&pca, phys);
            }
    shape_pca_eigenvalues(&pca, eig);
}

/* ----------------------------------------------------------- features */

static void shape2d_values(const contour *ct, const double eig[2], int64_t npixels,
                           const double spacing[2], double *out)
{
    double surface = ct->surface2 / 2.0, perimeter = ct->perimeter;
    out[F_MESH_SURFACE] = surface;
    out[F_PERIMETER] = perimeter;
    /* PixelSurface: N_p * (x * y), shape2D.py with (y, x) = spacing */
    out[F_PIXEL_SURFACE] = (double)npixels * (spacing[1] * spacing[0]);
    /* PerimeterSurfaceRatio: P / A */
    out[F_PERIMETER_SURFACE_RATIO] = perimeter / surface;
    /* Sphericity: 2 pi R / P with R = sqrt(A / pi), i.e. 2 sqrt(pi A) / P */
    out[F_SPHERICITY] = (2.0 * sqrt(SHAPE2D_PI * surface)) / perimeter;
    out[F_MAX_DIAMETER] = contour_diameter(ct);
    /* 4 sqrt(lambda); Elongation sqrt(lambda_minor / lambda_major) */
    out[F_MAJOR_AXIS] = shape_pca_axis_length(eig[1]);
    out[F_MINOR_AXIS] = shape_pca_axis_length(eig[0]);
    out[F_ELONGATION] = shape_pca_axis_ratio(eig[0], eig[1]);
}

static radx_status shape2d_compute(const radx_roi *roi, const radx_feature_opts *opts, double *out)
{
    int row_axis = 1, col_axis = 0;
    radx_status s = plane_axes(roi, opts, &row_axis, &col_axis);
    if (s != RADX_OK) return s;
    int64_t npixels = 0;
    size_t n = (size_t)roi->size[0] * (size_t)roi->size[1] * (size_t)roi->size[2];
    for (size_t i = 0; i < n; i++) npixels += roi->mask[i] != 0;
    if (npixels == 0) return radx_fail(RADX_ERR_ROI, "shape2D: the ROI is empty");

    const double spacing[2] = {roi->spacing[row_axis], roi->spacing[col_axis]};
    padded_slice ps;
    s = padded_slice_make(roi, row_axis, col_axis, &ps);
    if (s != RADX_OK) return s;
    contour ct = {0.0, 0.0, 0, 0, NULL};
    s = march_squares(&ps, spacing, &ct);
    if (s == RADX_OK) {
        double eig[2];
        pixel_eigenvalues(&ps, spacing, eig);
        shape2d_values(&ct, eig, npixels, spacing, out);
    }
    free(ct.vertex);
    free(ps.inside);
    return s;
}

const radx_feature_class radx_class_shape2D = {
    "shape2D",
    SHAPE2D_NFEATURES,
    shape2d_features,
    shape2d_compute,
};
