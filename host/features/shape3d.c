/* 3D shape features exactly as PyRadiomics 3.1 radiomics/shape.py and
 * src/cshape.c (calculate_coefficients) compute them.
 *
 * The mask is padded with one voxel of background on every side (shape.py
 * pads the cropped mask with sitk.ConstantPad) and meshed by marching cubes
 * with iso-level 0.5: every vertex lies halfway along a cube edge whose two
 * corners differ. Coordinates are (index in the padded array + offset) *
 * spacing in numpy's axis order (z, y, x), as cshape.c forms them; the sums
 * run over the cubes in the same order (z, then y, then x fastest), so the
 * rounding is the same as PyRadiomics'.
 *
 * Notation: V the mesh volume, A the mesh surface area, N_v the voxels in
 * the ROI, lambda_major >= lambda_minor >= lambda_least the eigenvalues of
 * the covariance of the voxel centres (host/features/shape_pca.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "features/classes.h"
#include "features/mc_table.h"
#include "features/shape_pca.h"

/* numpy.pi */
#define SHAPE_PI 3.141592653589793

enum {
    F_ELONGATION,
    F_FLATNESS,
    F_LEAST_AXIS,
    F_MAJOR_AXIS,
    F_MAX2D_COLUMN,
    F_MAX2D_ROW,
    F_MAX2D_SLICE,
    F_MAX3D,
    F_MESH_VOLUME,
    F_MINOR_AXIS,
    F_SPHERICITY,
    F_SURFACE_AREA,
    F_SURFACE_VOLUME_RATIO,
    F_VOXEL_VOLUME,
    SHAPE_NFEATURES
};

static const char NOTE_PCA[] =
    "PyRadiomics normalises the covariance by N (IBSI values match N - 1, used with ibsi)";
static const char NOTE_MESH[] =
    "PyRadiomics' own marching cubes (IBSI recommends but does not fix the mesh)";

static const radx_feature_def shape_features[SHAPE_NFEATURES] = {
    {"Elongation", "Q3CK", "sqrt(lambda_minor / lambda_major)"},
    {"Flatness", "N17B", "sqrt(lambda_least / lambda_major)"},
    {"LeastAxisLength", "7J51", NOTE_PCA},
    {"MajorAxisLength", "TDIC", NOTE_PCA},
    {"Maximum2DDiameterColumn", "", "not an IBSI feature: largest vertex distance within a coronal (y) plane"},
    {"Maximum2DDiameterRow", "", "not an IBSI feature: largest vertex distance within a sagittal (x) plane"},
    {"Maximum2DDiameterSlice", "", "not an IBSI feature: largest vertex distance within an axial (z) plane"},
    {"Maximum3DDiameter", "L0JK", "largest distance between mesh vertices"},
    {"MeshVolume", "RNU0", NOTE_MESH},
    {"MinorAxisLength", "P9VJ", NOTE_PCA},
    {"Sphericity", "QCFX", NOTE_MESH},
    {"SurfaceArea", "C0JK", NOTE_MESH},
    {"SurfaceVolumeRatio", "2PR5", NOTE_MESH},
    {"VoxelVolume", "YEKZ", "N_v times the voxel volume"},
};

/* ------------------------------------------------------------ the mask */

/* The ROI mask in numpy order with one background voxel on every side:
 * psize = (Z + 2, Y + 2, X + 2), index (z * psize[1] + y) * psize[2] + x. */
typedef struct padded_mask {
    int psize[3];
    uint8_t *inside;
} padded_mask;

static radx_status padded_mask_make(const radx_roi *roi, padded_mask *pm)
{
    pm->psize[0] = roi->size[2] + 2;
    pm->psize[1] = roi->size[1] + 2;
    pm->psize[2] = roi->size[0] + 2;
    size_t n = (size_t)pm->psize[0] * (size_t)pm->psize[1] * (size_t)pm->psize[2];
    pm->inside = calloc(n, 1);
    if (!pm->inside) return radx_fail(RADX_ERR_NOMEM, "shape: cannot allocate the padded mask");
    size_t src = 0;
    for (int z = 0; z < roi->size[2]; z++)
        for (int y = 0; y < roi->size[1]; y++)
            for (int x = 0; x < roi->size[0]; x++, src++)
                pm->inside[((size_t)(z + 1) * pm->psize[1] + (size_t)(y + 1)) * pm->psize[2] +
                           (size_t)(x + 1)] = roi->mask[src] != 0;
    return RADX_OK;
}

static int padded_at(const padded_mask *pm, int z, int y, int x)
{
    return pm->inside[((size_t)z * pm->psize[1] + (size_t)y) * pm->psize[2] + (size_t)x];
}

/* -------------------------------------------------- the mesh vertices */

/* Vertices kept for the diameters, one per cube edge that crosses the
 * surface: coordinates (z, y, x in mm) and a Morton key of the vertex's
 * half-voxel grid position, to sort them into compact blocks. */
typedef struct vertex_list {
    size_t n, capacity;
    double *coord[3];
    uint64_t *key;
} vertex_list;

/* The low 21 bits of v spread to every third bit. */
static uint64_t spread_bits(uint64_t v)
{
    v &= 0x1FFFFFu;
    v = (v | v << 32) & 0x1F00000000FFFFull;
    v = (v | v << 16) & 0x1F0000FF0000FFull;
    v = (v | v << 8) & 0x100F00F00F00F00Full;
    v = (v | v << 4) & 0x10C30C30C30C30C3ull;
    v = (v | v << 2) & 0x1249249249249249ull;
    return v;
}

static radx_status vertex_list_push(vertex_list *v, const double p[3], const int half_index[3])
{
    if (v->n == v->capacity) {
        size_t capacity = v->capacity ? 2 * v->capacity : 1024;
        for (int d = 0; d < 3; d++) {
            double *grown = realloc(v->coord[d], capacity * sizeof *grown);
            if (!grown) return radx_fail(RADX_ERR_NOMEM, "shape: cannot store %zu mesh vertices", capacity);
            v->coord[d] = grown;
        }
        uint64_t *keys = realloc(v->key, capacity * sizeof *keys);
        if (!keys) return radx_fail(RADX_ERR_NOMEM, "shape: cannot store %zu mesh vertices", capacity);
        v->key = keys;
        v->capacity = capacity;
    }
    for (int d = 0; d < 3; d++) v->coord[d][v->n] = p[d];
    v->key[v->n] = spread_bits((uint64_t)half_index[0]) << 2 | spread_bits((uint64_t)half_index[1]) << 1 |
                   spread_bits((uint64_t)half_index[2]);
    v->n++;
    return RADX_OK;
}

static void vertex_list_free(vertex_list *v)
{
    for (int d = 0; d < 3; d++) free(v->coord[d]);
    free(v->key);
}

/* Position in mm of the midpoint of `edge` of the cube at (iz, iy, ix):
 * cshape.c computes (index + offset) * spacing per axis. half_index (may
 * be NULL) receives 2 (index + offset), an integer. */
static void edge_point(int edge, const int cube[3], const double spacing[3], double p[3],
                       int half_index[3])
{
    const int *c0 = mc_corner_offset[mc_edge_corners[edge][0]];
    const int *c1 = mc_corner_offset[mc_edge_corners[edge][1]];
    for (int d = 0; d < 3; d++) {
        p[d] = ((double)cube[d] + 0.5 * (double)(c0[d] + c1[d])) * spacing[d];
        if (half_index) half_index[d] = 2 * cube[d] + c0[d] + c1[d];
    }
}

/* cshape.c stores, per cube, the vertices on the three edges that meet at
 * corner 7 (edges 6, 7 and 11): over all cubes this is every crossing edge
 * of the grid exactly once. After the complement (corner 7 outside), edge
 * 6 / 7 / 11 crosses the surface iff corner 6 / 4 / 3 is inside. */
static radx_status keep_corner7_vertices(unsigned cube_index, const int cube[3],
                                         const double spacing[3], vertex_list *v)
{
    static const int corner[3] = {6, 4, 3}, edge[3] = {6, 7, 11};
    for (int k = 0; k < 3; k++) {
        if (!(cube_index & (1u << corner[k]))) continue;
        double p[3];
        int half_index[3];
        edge_point(edge[k], cube, spacing, p, half_index);
        radx_status s = vertex_list_push(v, p, half_index);
        if (s != RADX_OK) return s;
    }
    return RADX_OK;
}

/* ------------------------------------------------ volume and surface */

typedef struct mesh_sums {
    double volume6;   /* 6 V: sum of signed a . (b x c) */
    double area;      /* A */
} mesh_sums;

/* One triangle a, b, c (PyRadiomics getMeshVolumeFeatureValue and
 * getSurfaceAreaFeatureValue; IBSI RNU0, C0JK):
 *   6 V_i = a . (b x c) (signed tetrahedron with the origin; `sign` -1
 *           for a complemented cube index),
 *   A_i   = |(a - c) x (b - c)| / 2,
 * with cshape.c's order of operations. */
static void add_triangle(double a[3], double b[3], const double c[3], int sign, mesh_sums *m)
{
    double cross[3];
    cross[0] = (a[1] * b[2]) - (b[1] * a[2]);
    cross[1] = (a[2] * b[0]) - (b[2] * a[0]);
    cross[2] = (a[0] * b[1]) - (b[0] * a[1]);
    m->volume6 += sign * (cross[0] * c[0] + cross[1] * c[1] + cross[2] * c[2]);

    for (int d = 0; d < 3; d++) {
        a[d] -= c[d];
        b[d] -= c[d];
    }
    cross[0] = (a[1] * b[2]) - (b[1] * a[2]);
    cross[1] = (a[2] * b[0]) - (b[2] * a[0]);
    cross[2] = (a[0] * b[1]) - (b[0] * a[1]);
    double norm2 = cross[0] * cross[0] + cross[1] * cross[1] + cross[2] * cross[2];
    m->area += 0.5 * sqrt(norm2);
}

static unsigned cube_index_at(const padded_mask *pm, const int cube[3])
{
    unsigned index = 0;
    for (int k = 0; k < 8; k++) {
        const int *o = mc_corner_offset[k];
        if (padded_at(pm, cube[0] + o[0], cube[1] + o[1], cube[2] + o[2])) index |= 1u << k;
    }
    return index;
}

/* Marching cubes over the padded mask (cshape.c calculate_coefficients). */
static radx_status march_cubes(const padded_mask *pm, const double spacing[3], mesh_sums *m,
                               vertex_list *v)
{
    m->volume6 = 0.0;
    m->area = 0.0;
    int cube[3];
    for (cube[0] = 0; cube[0] < pm->psize[0] - 1; cube[0]++)
        for (cube[1] = 0; cube[1] < pm->psize[1] - 1; cube[1]++)
            for (cube[2] = 0; cube[2] < pm->psize[2] - 1; cube[2]++) {
                unsigned index = cube_index_at(pm, cube);
                int sign = 1;
                if (index & 0x80u) { /* complement: the table holds bit 7 clear */
                    index ^= 0xFFu;
                    sign = -1;
                }
                radx_status s = keep_corner7_vertices(index, cube, spacing, v);
                if (s != RADX_OK) return s;
                const mc_case *c = &mc_cases[index];
                for (int t = 0; t < c->ntriangles; t++) {
                    double a[3], b[3], p[3];
                    edge_point(c->edges[t][0], cube, spacing, a, NULL);
                    edge_point(c->edges[t][1], cube, spacing, b, NULL);
                    edge_point(c->edges[t][2], cube, spacing, p, NULL);
                    add_triangle(a, b, p, sign, m);
                }
            }
    return RADX_OK;
}

/* ---------------------------------------------------------- diameters */

/* cshape.c calculate_meshDiameter: the largest squared distance
 * (dz^2 + dy^2) + dx^2 over all vertex pairs, overall and over the pairs
 * that share their z (Slice), y (Column) or x (Row) coordinate exactly;
 * returned as square roots: d[0] Slice, d[1] Column, d[2] Row, d[3] 3D.
 *
 * PyRadiomics compares all V^2 / 2 pairs. The maxima do not depend on the
 * pair order, so here the vertices are sorted along a Morton curve and cut
 * into blocks of DIAMETER_BLOCK with their bounding boxes; a pair of blocks
 * is skipped when no pair in it can raise a maximum. The bound is the same
 * formula on the largest coordinate gaps between the boxes, and rounding is
 * monotone, so it bounds every pair's computed distance: the maxima are
 * PyRadiomics' bit for bit. */
#define DIAMETER_BLOCK 32

typedef struct vertex_box {
    double lo[3], hi[3];
    size_t start, end;
} vertex_box;

typedef struct sorted_vertices {
    size_t n;
    double *coord[3];
    size_t nboxes;
    vertex_box *box;
} sorted_vertices;

typedef struct key_index {
    uint64_t key;
    size_t index;
} key_index;

static int compare_key(const void *pa, const void *pb)
{
    const key_index *a = pa, *b = pb;
    return (a->key > b->key) - (a->key < b->key);
}

static void sorted_vertices_free(sorted_vertices *s)
{
    for (int d = 0; d < 3; d++) free(s->coord[d]);
    free(s->box);
}

static radx_status sort_vertices(const vertex_list *v, sorted_vertices *s)
{
    memset(s, 0, sizeof *s);
    s->n = v->n;
    s->nboxes = (v->n + DIAMETER_BLOCK - 1) / DIAMETER_BLOCK;
    key_index *order = malloc((v->n ? v->n : 1) * sizeof *order);
    s->box = malloc((s->nboxes ? s->nboxes : 1) * sizeof *s->box);
    for (int d = 0; d < 3; d++) s->coord[d] = malloc((v->n ? v->n : 1) * sizeof *s->coord[d]);
    if (!order || !s->box || !s->coord[0] || !s->coord[1] || !s->coord[2]) {
        free(order);
        sorted_vertices_free(s);
        return radx_fail(RADX_ERR_NOMEM, "shape: cannot sort %zu mesh vertices", v->n);
    }
    for (size_t i = 0; i < v->n; i++) order[i] = (key_index){v->key[i], i};
    qsort(order, v->n, sizeof *order, compare_key);
    for (size_t i = 0; i < v->n; i++)
        for (int d = 0; d < 3; d++) s->coord[d][i] = v->coord[d][order[i].index];
    free(order);
    for (size_t b = 0; b < s->nboxes; b++) {
        vertex_box *box = &s->box[b];
        box->start = b * DIAMETER_BLOCK;
        box->end = box->start + DIAMETER_BLOCK < v->n ? box->start + DIAMETER_BLOCK : v->n;
        for (int d = 0; d < 3; d++) {
            box->lo[d] = box->hi[d] = s->coord[d][box->start];
            for (size_t i = box->start + 1; i < box->end; i++) {
                box->lo[d] = fmin(box->lo[d], s->coord[d][i]);
                box->hi[d] = fmax(box->hi[d], s->coord[d][i]);
            }
        }
    }
    return RADX_OK;
}

/* 1 when a pair of blocks may hold a pair that raises one of the maxima. */
static int boxes_may_raise(const vertex_box *a, const vertex_box *b, const double best[4])
{
    double gap[3];
    int overlap[3];
    for (int d = 0; d < 3; d++) {
        gap[d] = fmax(a->hi[d] - b->lo[d], b->hi[d] - a->lo[d]);
        overlap[d] = a->lo[d] <= b->hi[d] && b->lo[d] <= a->hi[d];
    }
    double bound = gap[0] * gap[0] + gap[1] * gap[1] + gap[2] * gap[2];
    return bound > best[3] || (overlap[0] && bound > best[0]) || (overlap[1] && bound > best[1]) ||
           (overlap[2] && bound > best[2]);
}

/* All pairs (i, j), i in block a, j in block b (j < i when a == b). */
static void block_pairs(const sorted_vertices *s, const vertex_box *a, const vertex_box *b,
                        double best[4])
{
    const double *z = s->coord[0], *y = s->coord[1], *x = s->coord[2];
    double b0 = best[0], b1 = best[1], b2 = best[2], b3 = best[3];
    for (size_t i = a->start; i < a->end; i++) {
        double zi = z[i], yi = y[i], xi = x[i];
        size_t end = a == b ? i : b->end;
        for (size_t j = b->start; j < end; j++) {
            double dz = zi - z[j], dy = yi - y[j], dx = xi - x[j];
            double dist = dz * dz + dy * dy + dx * dx;
            b0 = (zi == z[j] && dist > b0) ? dist : b0;
            b1 = (yi == y[j] && dist > b1) ? dist : b1;
            b2 = (xi == x[j] && dist > b2) ? dist : b2;
            b3 = dist > b3 ? dist : b3;
        }
    }
    best[0] = b0;
    best[1] = b1;
    best[2] = b2;
    best[3] = b3;
}

static radx_status mesh_diameters(const vertex_list *v, double d[4])
{
    sorted_vertices s;
    radx_status status = sort_vertices(v, &s);
    if (status != RADX_OK) return status;
    double best[4] = {0.0, 0.0, 0.0, 0.0};
    /* far blocks first: the first and last blocks of the curve are apart */
    for (size_t a = 0; a < s.nboxes; a++)
        for (size_t b = s.nboxes; b-- > a;)
            if (boxes_may_raise(&s.box[a], &s.box[b], best)) block_pairs(&s, &s.box[a], &s.box[b], best);
    for (int k = 0; k < 4; k++) d[k] = sqrt(best[k]);
    sorted_vertices_free(&s);
    return RADX_OK;
}

/* ---------------------------------------------------------------- PCA */

static void voxel_eigenvalues(const padded_mask *pm, const double spacing[3], int ibsi,
                              double eig[3])
{
    shape_pca pca;
    shape_pca_init(&pca, 3, ibsi);
    for (int pass = 0; pass < 2; pass++)
        for (int z = 0; z < pm->psize[0]; z++)
            for (int y = 0; y < pm->psize[1]; y++)
                for (int x = 0; x < pm->psize[2]; x++) {
                    if (!padded_at(pm, z, y, x)) continue;
                    /* numpy: int coordinates (of the padded array) * spacing */
                    double phys[3] = {(double)z * spacing[0], (double)y * spacing[1],
                                      (double)x * spacing[2]};
                    if (pass == 0)
                        shape_pca_add_mean(&pca, phys);
                    else
                        shape_pca_add_cov(&pca, phys);
                }
    shape_pca_eigenvalues(&pca, eig);
}

/* ----------------------------------------------------------- features */

static void shape_values(const mesh_sums *m, const double diam[4], const double eig[3],
                         int64_t nvoxels, const double spacing[3], double *out)
{
    double volume = m->volume6 / 6.0, area = m->area;
    out[F_MESH_VOLUME] = volume;
    out[F_SURFACE_AREA] = area;
    /* VoxelVolume (YEKZ): N_v * (z * x * y), shape.py's order of products */
    out[F_VOXEL_VOLUME] = (double)nvoxels * (spacing[0] * spacing[2] * spacing[1]);
    /* SurfaceVolumeRatio (2PR5): A / V */
    out[F_SURFACE_VOLUME_RATIO] = area / volume;
    /* Sphericity (QCFX): (36 pi V^2)^(1/3) / A */
    out[F_SPHERICITY] = pow(36.0 * SHAPE_PI * (volume * volume), 1.0 / 3.0) / area;
    out[F_MAX2D_SLICE] = diam[0];
    out[F_MAX2D_COLUMN] = diam[1];
    out[F_MAX2D_ROW] = diam[2];
    out[F_MAX3D] = diam[3];
    /* axis lengths 4 sqrt(lambda) (TDIC, P9VJ, 7J51); Elongation (Q3CK)
     * sqrt(lambda_minor / lambda_major); Flatness (N17B)
     * sqrt(lambda_least / lambda_major) */
    out[F_MAJOR_AXIS] = shape_pca_axis_length(eig[2]);
    out[F_MINOR_AXIS] = shape_pca_axis_length(eig[1]);
    out[F_LEAST_AXIS] = shape_pca_axis_length(eig[0]);
    out[F_ELONGATION] = shape_pca_axis_ratio(eig[1], eig[2]);
    out[F_FLATNESS] = shape_pca_axis_ratio(eig[0], eig[2]);
}

static radx_status shape_compute(const radx_roi *roi, const radx_feature_opts *opts, double *out)
{
    int64_t nvoxels = 0;
    size_t n = (size_t)roi->size[0] * (size_t)roi->size[1] * (size_t)roi->size[2];
    for (size_t i = 0; i < n; i++) nvoxels += roi->mask[i] != 0;
    if (nvoxels == 0) return radx_fail(RADX_ERR_ROI, "shape: the ROI is empty");

    /* numpy axis order (z, y, x), as shape.py's GetSpacing()[::-1] */
    const double spacing[3] = {roi->spacing[2], roi->spacing[1], roi->spacing[0]};
    padded_mask pm;
    radx_status s = padded_mask_make(roi, &pm);
    if (s != RADX_OK) return s;

    mesh_sums sums;
    vertex_list vertices = {0, 0, {NULL, NULL, NULL}, NULL};
    s = march_cubes(&pm, spacing, &sums, &vertices);
    if (s == RADX_OK) {
        double diam[4], eig[3];
        s = mesh_diameters(&vertices, diam);
        if (s == RADX_OK) {
            voxel_eigenvalues(&pm, spacing, opts ? opts->ibsi : 0, eig);
            shape_values(&sums, diam, eig, nvoxels, spacing, out);
        }
    }
    vertex_list_free(&vertices);
    free(pm.inside);
    return s;
}

const radx_feature_class radx_class_shape = {
    "shape",
    SHAPE_NFEATURES,
    shape_features,
    shape_compute,
};
