/* NIfTI-1 and NIfTI-2 reader (.nii, .nii.gz).
 *
 * The header is read and checked here first (every field that the NIfTI C
 * library would otherwise trust blindly or complain about on stderr), then
 * converted to a nifti_image by the library (nifti2_io: qform quaternion,
 * sform rows, units, scaling), and finally interpreted as ITK 5.4's
 * NiftiImageIO does (Modules/IO/NIFTI/src/itkNiftiImageIO.cxx:
 * ReadImageInformation, SetImageIOOrientationFromNIfTI, Read), so that the
 * geometry and voxel values are those SimpleITK.ReadImage reports.
 * Voxel data are read here with zlib (plain or gzip, transparently), so
 * that a short file is reported with its byte counts. */
#define _POSIX_C_SOURCE 200809L
#include "io/nifti.h"
#include "core/error.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <nifti2_io.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

_Static_assert(sizeof(nifti_1_header) == 348, "NIfTI-1 header is 348 bytes");
_Static_assert(sizeof(nifti_2_header) == 540, "NIfTI-2 header is 540 bytes");

/* Largest image radx reads: 2^31 voxels (16 GiB of doubles). */
#define MAX_VOXELS ((int64_t)1 << 31)
/* zlib's deflate expands data by at most 1032:1 (zlib technical details,
 * "maximum compression factor"), so a gzip file of n bytes cannot hold more
 * than 1032 n bytes: a header asking for more is truncated, and is refused
 * before anything is allocated. */
#define DEFLATE_MAX_RATIO 1032
/* Voxels converted per read. */
#define CHUNK_VOXELS ((size_t)1 << 16)

typedef double mat4[4][4];

/* One scalar NIfTI datatype. */
typedef struct nifti_scalar_type {
    int code;
    int bytes;
    radx_pixel_type pixel;
    int is_integer;
} nifti_scalar_type;

static const nifti_scalar_type SCALAR_TYPES[] = {
    {NIFTI_TYPE_UINT8, 1, RADX_PIXEL_UINT8, 1},     {NIFTI_TYPE_INT8, 1, RADX_PIXEL_INT8, 1},
    {NIFTI_TYPE_INT16, 2, RADX_PIXEL_INT16, 1},     {NIFTI_TYPE_UINT16, 2, RADX_PIXEL_UINT16, 1},
    {NIFTI_TYPE_INT32, 4, RADX_PIXEL_INT32, 1},     {NIFTI_TYPE_UINT32, 4, RADX_PIXEL_UINT32, 1},
    {NIFTI_TYPE_INT64, 8, RADX_PIXEL_INT64, 1},     {NIFTI_TYPE_UINT64, 8, RADX_PIXEL_UINT64, 1},
    {NIFTI_TYPE_FLOAT32, 4, RADX_PIXEL_FLOAT32, 0}, {NIFTI_TYPE_FLOAT64, 8, RADX_PIXEL_FLOAT64, 0},
};

/* The header in native byte order, whichever version it was. */
typedef struct nifti_header {
    int version;             /* 1 or 2 */
    int swapped;             /* file is in the other byte order */
    nifti_1_header h1;
    nifti_2_header h2;
    int64_t dim[8];
    int datatype;
    int intent_code;
    int64_t vox_offset;      /* where the voxels start, as the library computes it */
} nifti_header;

/* What the reader needs to know about the voxels. */
typedef struct nifti_layout {
    int size[3];
    int ndim;
    const nifti_scalar_type *type;
} nifti_layout;

/* ITK's rescaling of voxel values (NiftiImageIO::MustRescale / Read). */
typedef struct nifti_rescale {
    int active;
    int via_float;  /* integers and float32: computed through float, as ITK does */
    double slope, inter;
} nifti_rescale;

static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;

/* The NIfTI library prints diagnostics to stderr at debug level >= 1. */
static void make_nifti_library_quiet(void) { nifti_set_debug_level(0); }

/* ---------------------------------------------------------------- header */

static radx_status read_header_bytes(const char *path, gzFile gz, unsigned char *buf, int *got)
{
    int n = gzread(gz, buf, (unsigned)sizeof(nifti_2_header));
    if (n < 0) {
        int code;
        const char *message = gzerror(gz, &code);
        return radx_fail(RADX_ERR_FORMAT, "%s: corrupt gzip data: %s", path, message);
    }
    *got = n;
    return RADX_OK;
}

static int32_t swapped_int32(int32_t v)
{
    uint32_t u = (uint32_t)v;
    u = (u >> 24) | ((u >> 8) & 0xff00u) | ((u << 8) & 0xff0000u) | (u << 24);
    return (int32_t)u;
}

/* Which NIfTI version the first bytes are, and whether they are swapped;
 * the magic string tells a NIfTI file from an Analyze 7.5 header. */
static radx_status identify_header(const char *path, const unsigned char *buf, int got,
                                   nifti_header *h)
{
    int32_t sizeof_hdr = 0;
    if (got >= 4) memcpy(&sizeof_hdr, buf, 4);
    if ((sizeof_hdr == 348 || swapped_int32(sizeof_hdr) == 348) && got >= 348) {
        h->version = 1;
        h->swapped = sizeof_hdr != 348;
        const unsigned char *magic = buf + 344;
        if (memcmp(magic, "ni1", 4) == 0)
            return radx_fail(RADX_ERR_UNSUPPORTED,
                             "%s: two-file NIfTI (.hdr/.img pair) is not supported", path);
        if (memcmp(magic, "n+1", 4) != 0)
            return radx_fail(RADX_ERR_FORMAT,
                             "%s: not a NIfTI file (no \"n+1\" magic: Analyze 7.5 is not supported)",
                             path);
        return RADX_OK;
    }
    if ((sizeof_hdr == 540 || swapped_int32(sizeof_hdr) == 540) && got >= 540) {
        h->version = 2;
        h->swapped = sizeof_hdr != 540;
        if (memcmp(buf + 4, "ni2", 4) == 0)
            return radx_fail(RADX_ERR_UNSUPPORTED,
                             "%s: two-file NIfTI-2 (.hdr/.img pair) is not supported", path);
        if (memcmp(buf + 4, "n+2", 4) != 0)
            return radx_fail(RADX_ERR_FORMAT, "%s: not a NIfTI file (no \"n+2\" magic)", path);
        return RADX_OK;
    }
    if (got < 348)
        return radx_fail(RADX_ERR_FORMAT, "%s: not a NIfTI file (%d bytes, a header has 348)", path, got);
    return radx_fail(RADX_ERR_FORMAT, "%s: not a NIfTI file (header size field is %d)", path,
                     (int)sizeof_hdr);
}

/* Swap to native order with the library and copy the fields checked here. */
static radx_status native_header(const char *path, const unsigned char *buf, nifti_header *h)
{
    if (h->version == 1) {
        memcpy(&h->h1, buf, sizeof h->h1);
        if (h->swapped) nifti_swap_as_nifti1(&h->h1);
        for (int i = 0; i < 8; i++) h->dim[i] = h->h1.dim[i];
        h->datatype = h->h1.datatype;
        h->intent_code = h->h1.intent_code;
        float offset = h->h1.vox_offset;
        /* the library converts with (int)vox_offset */
        if (!isfinite(offset) || offset < 0.0f || offset > (float)INT_MAX / 2)
            return radx_fail(RADX_ERR_FORMAT, "%s: invalid vox_offset %g", path, (double)offset);
        h->vox_offset = (int64_t)offset;
        if (h->vox_offset < 348) h->vox_offset = 348;
    } else {
        memcpy(&h->h2, buf, sizeof h->h2);
        if (h->swapped) nifti_swap_as_nifti2(&h->h2);
        for (int i = 0; i < 8; i++) h->dim[i] = h->h2.dim[i];
        h->datatype = h->h2.datatype;
        h->intent_code = h->h2.intent_code;
        if (h->h2.vox_offset < 0 || h->h2.vox_offset > ((int64_t)1 << 40))
            return radx_fail(RADX_ERR_FORMAT, "%s: invalid vox_offset %lld", path,
                             (long long)h->h2.vox_offset);
        h->vox_offset = h->h2.vox_offset < 540 ? 540 : h->h2.vox_offset;
    }
    return RADX_OK;
}

static radx_status check_datatype(const char *path, int code, const nifti_scalar_type **type)
{
    for (size_t i = 0; i < sizeof SCALAR_TYPES / sizeof SCALAR_TYPES[0]; i++)
        if (SCALAR_TYPES[i].code == code) {
            *type = &SCALAR_TYPES[i];
            return RADX_OK;
        }
    switch (code) {
    case NIFTI_TYPE_RGB24:
        return radx_fail(RADX_ERR_UNSUPPORTED, "%s: vector images are not supported (3 components, RGB24)", path);
    case NIFTI_TYPE_RGBA32:
        return radx_fail(RADX_ERR_UNSUPPORTED, "%s: vector images are not supported (4 components, RGBA32)", path);
    case NIFTI_TYPE_COMPLEX64:
    case NIFTI_TYPE_COMPLEX128:
    case NIFTI_TYPE_COMPLEX256:
        return radx_fail(RADX_ERR_UNSUPPORTED, "%s: complex images are not supported (datatype %d)", path, code);
    case NIFTI_TYPE_FLOAT128:
        return radx_fail(RADX_ERR_UNSUPPORTED, "%s: 128-bit float voxels are not supported", path);
    default:
        return radx_fail(RADX_ERR_FORMAT, "%s: unknown NIfTI datatype %d", path, code);
    }
}

static int is_vector_intent(int intent)
{
    return intent == NIFTI_INTENT_DISPVECT || intent == NIFTI_INTENT_VECTOR ||
           intent == NIFTI_INTENT_SYMMATRIX;
}

/* Sizes and dimensionality. ITK drops trailing dimensions of size 1 above
 * the third ("realdim"), and for vector intents counts the dimensions whose
 * size exceeds 1; anything that stays above 3-D, or has components, is
 * refused here rather than read as a stack of volumes. */
static radx_status check_dimensions(const char *path, const nifti_header *h, nifti_layout *layout)
{
    int64_t d0 = h->dim[0];
    if (d0 < 1 || d0 > 7)
        return radx_fail(RADX_ERR_FORMAT, "%s: invalid dim[0] = %lld (must be 1 to 7)", path, (long long)d0);
    int64_t extent[8];
    for (int i = 1; i <= 7; i++) {
        extent[i] = i <= d0 ? h->dim[i] : 1;
        if (extent[i] < 1)
            return radx_fail(RADX_ERR_FORMAT, "%s: invalid dim[%d] = %lld", path, i,
                             (long long)h->dim[i]);
    }
    int vector = is_vector_intent(h->intent_code);
    if (vector && extent[5] > 1)
        return radx_fail(RADX_ERR_UNSUPPORTED, "%s: vector images are not supported (%lld components)",
                         path, (long long)extent[5]);
    for (int i = 4; i <= 7; i++)
        if (extent[i] > 1)
            return radx_fail(RADX_ERR_UNSUPPORTED, "%s: %d-D images are not supported (dim[%d] = %lld)",
                             path, i, i, (long long)extent[i]);
    int ndim = vector ? (extent[3] > 1 ? 3 : extent[2] > 1 ? 2 : 1) : (d0 > 3 ? 3 : (int)d0);
    if (ndim == 1)
        return radx_fail(RADX_ERR_UNSUPPORTED, "%s: 1-D images are not supported", path);
    for (int i = 1; i <= 3; i++)
        if (extent[i] > MAX_VOXELS)
            return radx_fail(RADX_ERR_LIMIT, "%s: dim[%d] = %lld is too large", path, i,
                             (long long)extent[i]);
    int64_t voxels = extent[1] * extent[2];
    if (voxels <= MAX_VOXELS) voxels *= extent[3];
    if (voxels > MAX_VOXELS)
        return radx_fail(RADX_ERR_LIMIT, "%s: %lld x %lld x %lld voxels exceed radx's limit of 2^31",
                         path, (long long)extent[1], (long long)extent[2], (long long)extent[3]);
    for (int d = 0; d < 3; d++) layout->size[d] = (int)extent[d + 1];
    layout->ndim = ndim;
    return check_datatype(path, h->datatype, &layout->type);
}

static radx_status read_and_check_header(const char *path, gzFile gz, nifti_header *h,
                                         nifti_layout *layout)
{
    unsigned char buf[sizeof(nifti_2_header)];
    int got = 0;
    radx_status status = read_header_bytes(path, gz, buf, &got);
    if (status == RADX_OK) status = identify_header(path, buf, got, h);
    if (status == RADX_OK) status = native_header(path, buf, h);
    if (status == RADX_OK) status = check_dimensions(path, h, layout);
    return status;
}

/* ---------------------------------------------------------------- geometry */

/* The qform and sform matrices as ITK 5.4 sees them. ITK reads NIfTI-1 with
 * nifti1_io, whose mat44 is single precision: the sform rows are floats
 * already, and the qform is rebuilt with the float routine of the library
 * (nifti_quatern_to_mat44, the same code as nifti1_io's). */
static void load_matrices(const nifti_image *nim, int version, mat4 q, mat4 s)
{
    if (version == 1 && nim->qform_code > 0) {
        mat44 f = nifti_quatern_to_mat44((float)nim->quatern_b, (float)nim->quatern_c,
                                         (float)nim->quatern_d, (float)nim->qoffset_x,
                                         (float)nim->qoffset_y, (float)nim->qoffset_z,
                                         (float)nim->dx, (float)nim->dy, (float)nim->dz,
                                         (float)nim->qfac);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) q[i][j] = f.m[i][j];
    } else {
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                q[i][j] = version == 1 ? (double)(float)nim->qto_xyz.m[i][j] : nim->qto_xyz.m[i][j];
    }
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            s[i][j] = version == 1 ? (double)(float)nim->sto_xyz.m[i][j] : nim->sto_xyz.m[i][j];
}

/* ITK's qform_sform_are_similar: rotation/scale elements within 1e-5,
 * translation column and bottom row within 1e-7 (one-norm). */
static int elementwise_similar(mat4 q, mat4 s)
{
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            if (fabs(s[i][j] - q[i][j]) > 1e-5) return 0;
    double column = 0.0, row = 0.0;
    for (int i = 0; i < 4; i++) {
        column += fabs(s[i][3] - q[i][3]);
        row += fabs(s[3][i] - q[3][i]);
    }
    return column <= 1e-7 && row <= 1e-7;
}

static double det3(mat4 m)
{
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
           m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
           m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

static double column_norm(mat4 m, int j)
{
    return sqrt(m[0][j] * m[0][j] + m[1][j] * m[1][j] + m[2][j] * m[2][j]);
}

/* ITK's IsAffine: bottom row (0 0 0 1) within float epsilon and an
 * invertible matrix (ITK tests the condition number of the 4x4 matrix). */
static int is_invertible_affine(mat4 s)
{
    double bottom = fabs(s[3][3] - 1.0);
    for (int i = 0; i < 3; i++) bottom += fabs(s[3][i]);
    if (bottom > FLT_EPSILON) return 0;
    double scale = column_norm(s, 0) * column_norm(s, 1) * column_norm(s, 2);
    return scale > 0.0 && isfinite(scale) && fabs(det3(s)) > 1e-12 * scale;
}

/* ITK's sform_decomposable_without_skew: affine, and the columns, once
 * normalised, orthonormal (R R^T is the identity within 1e-4). */
static int sform_is_orthonormal(mat4 s)
{
    if (!is_invertible_affine(s)) return 0;
    double r[3][3];
    for (int j = 0; j < 3; j++) {
        double norm = column_norm(s, j);
        for (int i = 0; i < 3; i++) r[i][j] = s[i][j] / norm;
    }
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++) {
            double dot = r[i][0] * r[k][0] + r[i][1] * r[k][1] + r[i][2] * r[k][2];
            if (fabs(dot - (i == k ? 1.0 : 0.0)) > 1e-4) return 0;
        }
    return 1;
}

/* ITK's sform_and_qform_are_very_similar compares the two through their
 * SVDs (spacings within 1e-4, U_s U_q^-1 the identity within 1e-4, offsets
 * within 1e-4). Approximated here by the same tolerances on the column
 * lengths, on S Q^-1 (for two transforms with the same spacings this is
 * U_s U_q^-1) and on the offsets. */
static int sform_qform_very_similar(mat4 q, mat4 s)
{
    for (int j = 0; j < 3; j++) {
        if (fabs(column_norm(s, j) - column_norm(q, j)) > 1e-4) return 0;
        if (fabs(s[j][3] - q[j][3]) > 1e-4) return 0;
    }
    double dq = det3(q);
    if (dq == 0.0 || !isfinite(dq)) return 0;
    double inverse[3][3]; /* adjugate / determinant of q's 3x3 block */
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
            inverse[i][j] = (q[r0][c0] * q[r1][c1] - q[r0][c1] * q[r1][c0]) / dq;
        }
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double v = s[i][0] * inverse[0][j] + s[i][1] * inverse[1][j] + s[i][2] * inverse[2][j];
            if (fabs(v - (i == j ? 1.0 : 0.0)) > 1e-4) return 0;
        }
    return 1;
}

/* Which of the two transforms ITK uses (SetImageIOOrientationFromNIfTI,
 * with ITK_NIFTI_SFORM_PERMISSIVE off, ITK's default). */
static radx_status choose_transform(const char *path, const nifti_image *nim, mat4 q, mat4 s,
                                    double (**chosen)[4])
{
    int prefer_sform = elementwise_similar(q, s);
    if (!prefer_sform || nim->sform_code != NIFTI_XFORM_UNKNOWN) {
        if (sform_is_orthonormal(s)) {
            if (nim->qform_code == NIFTI_XFORM_UNKNOWN && nim->sform_code != NIFTI_XFORM_UNKNOWN)
                prefer_sform = 1;
            else if (nim->sform_code == NIFTI_XFORM_SCANNER_ANAT)
                prefer_sform = 1;
            else if (nim->qform_code != NIFTI_XFORM_UNKNOWN && nim->sform_code != NIFTI_XFORM_UNKNOWN)
                prefer_sform = sform_qform_very_similar(q, s);
        }
    }
    if (prefer_sform) {
        *chosen = s;
        return RADX_OK;
    }
    if (nim->qform_code != NIFTI_XFORM_UNKNOWN) {
        *chosen = q;
        return RADX_OK;
    }
    return radx_fail(RADX_ERR_FORMAT,
                     "%s: the sform is not orthonormal and there is no qform "
                     "(ITK only supports orthonormal direction cosines)", path);
}

/* ITK's Normalize(): divide by the Euclidean norm, leave a zero vector. */
static void normalize(double *v, int n)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++) sum += v[i] * v[i];
    if (sum == 0.0) return;
    sum = sqrt(sum);
    for (int i = 0; i < n; i++) v[i] = v[i] / sum;
}

/* Spacing, origin and direction of the image, as ITK computes them. NIfTI
 * is RAS: the first two rows of the transform change sign for LPS. */
static radx_status set_geometry(const char *path, const nifti_image *nim, int version,
                                radx_image *image)
{
    double scale = 1.0; /* spatial units to mm */
    if (nim->xyz_units == NIFTI_UNITS_METER) scale = 1e3;
    if (nim->xyz_units == NIFTI_UNITS_MICRON) scale = 1e-3;
    int nd = image->ndim;
    double pixdim[3] = {nim->dx, nim->dy, nim->dz};
    for (int d = 0; d < 3; d++) {
        image->spacing[d] = d < nd ? pixdim[d] * scale : 1.0;
        image->origin[d] = 0.0;
        for (int e = 0; e < 3; e++) image->direction[d * 3 + e] = d == e ? 1.0 : 0.0;
    }
    if (nim->qform_code == NIFTI_XFORM_UNKNOWN && nim->sform_code == NIFTI_XFORM_UNKNOWN)
        return RADX_OK; /* no transform: origin 0, identity direction */
    mat4 q, s;
    double(*m)[4] = NULL;
    load_matrices(nim, version, q, s);
    radx_status status = choose_transform(path, nim, q, s, &m);
    if (status != RADX_OK) return status;
    for (int d = 0; d < nd; d++) image->origin[d] = (d < 2 ? -m[d][3] : m[d][3]) * scale;
    for (int j = 0; j < nd; j++) {
        double axis[3];
        for (int i = 0; i < nd; i++) axis[i] = i < 2 ? -m[i][j] : m[i][j];
        normalize(axis, nd);
        for (int i = 0; i < nd; i++) image->direction[i * 3 + j] = axis[i];
    }
    return RADX_OK;
}

/* ---------------------------------------------------------------- voxels */

/* ITK (NiftiImageIO::MustRescale): rescale when the slope is not 0 and
 * (slope, intercept) is not (1, 0); a zero slope means 1. Integer voxels are
 * then reported as float32: cast to float, v * slope + intercept in double,
 * stored as float (CastCopy + RescaleFunction<float>); float64 voxels are
 * rescaled in double. */
static nifti_rescale rescale_of(const nifti_image *nim, const nifti_scalar_type *type)
{
    nifti_rescale r = {0, 0, 1.0, 0.0};
    double slope = nim->scl_slope, inter = nim->scl_inter;
    if (fabs(slope) < DBL_EPSILON) slope = 1.0;
    r.active = fabs(slope) > DBL_EPSILON && (fabs(slope - 1.0) > DBL_EPSILON || fabs(inter) > DBL_EPSILON);
    r.via_float = type->code != NIFTI_TYPE_FLOAT64;
    r.slope = slope;
    r.inter = inter;
    return r;
}

static double rescaled(const nifti_rescale *r, float as_float)
{
    double t = (double)as_float * r->slope;
    t += r->inter;
    return (double)(float)t;
}

#define CONVERT_VOXELS(ctype)                                                        \
    do {                                                                             \
        for (size_t i = 0; i < n; i++) {                                             \
            ctype raw;                                                               \
            memcpy(&raw, src + i * sizeof raw, sizeof raw);                          \
            dst[i] = r->active ? rescaled(r, (float)raw) : (double)raw;              \
        }                                                                            \
    } while (0)

static void convert_voxels(const unsigned char *src, size_t n, int code, const nifti_rescale *r,
                           double *dst)
{
    switch (code) {
    case NIFTI_TYPE_UINT8: CONVERT_VOXELS(uint8_t); break;
    case NIFTI_TYPE_INT8: CONVERT_VOXELS(int8_t); break;
    case NIFTI_TYPE_INT16: CONVERT_VOXELS(int16_t); break;
    case NIFTI_TYPE_UINT16: CONVERT_VOXELS(uint16_t); break;
    case NIFTI_TYPE_INT32: CONVERT_VOXELS(int32_t); break;
    case NIFTI_TYPE_UINT32: CONVERT_VOXELS(uint32_t); break;
    case NIFTI_TYPE_INT64: CONVERT_VOXELS(int64_t); break;
    case NIFTI_TYPE_UINT64: CONVERT_VOXELS(uint64_t); break;
    case NIFTI_TYPE_FLOAT32: CONVERT_VOXELS(float); break;
    case NIFTI_TYPE_FLOAT64:
        for (size_t i = 0; i < n; i++) {
            double raw;
            memcpy(&raw, src + i * sizeof raw, sizeof raw);
            if (r->active) {
                raw = raw * r->slope;
                raw += r->inter;
            }
            dst[i] = raw;
        }
        break;
    }
}

/* Refuse, before allocating, a header that asks for more voxel bytes than
 * the file can hold. */
static radx_status check_data_fits(const char *path, gzFile gz, const nifti_header *h,
                                   uint64_t data_bytes)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return radx_fail(RADX_ERR_IO, "%s: cannot stat: %s", path, strerror(errno));
    uint64_t file_bytes = (uint64_t)st.st_size;
    uint64_t needed = (uint64_t)h->vox_offset + data_bytes;
    if (gzdirect(gz)) {
        if (needed > file_bytes)
            return radx_fail(RADX_ERR_FORMAT,
                             "%s: truncated: expected %llu bytes of voxel data at offset %lld, "
                             "the file has %llu bytes",
                             path, (unsigned long long)data_bytes, (long long)h->vox_offset,
                             (unsigned long long)file_bytes);
    } else if (needed / DEFLATE_MAX_RATIO > file_bytes) {
        return radx_fail(RADX_ERR_FORMAT,
                         "%s: truncated: expected %llu bytes of voxel data, more than %llu "
                         "compressed bytes can hold",
                         path, (unsigned long long)data_bytes, (unsigned long long)file_bytes);
    }
    return RADX_OK;
}

static radx_status read_voxels(const char *path, gzFile gz, const nifti_header *h,
                               const nifti_layout *layout, const nifti_rescale *r, radx_image *image)
{
    size_t total = radx_image_voxels(image);
    size_t bytes = (size_t)layout->type->bytes;
    if (gzseek(gz, (z_off_t)h->vox_offset, SEEK_SET) < 0)
        return radx_fail(RADX_ERR_FORMAT, "%s: truncated: cannot reach the voxel data at offset %lld",
                         path, (long long)h->vox_offset);
    unsigned char *chunk = malloc(CHUNK_VOXELS * bytes);
    if (!chunk) return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", path);
    radx_status status = RADX_OK;
    for (size_t done = 0; done < total && status == RADX_OK;) {
        size_t n = total - done < CHUNK_VOXELS ? total - done : CHUNK_VOXELS;
        int got = gzread(gz, chunk, (unsigned)(n * bytes));
        if (got < 0 || (size_t)got < n * bytes) {
            int code = Z_OK;
            const char *why = gzerror(gz, &code);
            size_t have = done * bytes + (got > 0 ? (size_t)got : 0);
            status = radx_fail(RADX_ERR_FORMAT,
                               "%s: truncated: expected %zu bytes of voxel data, found %zu%s%s",
                               path, total * bytes, have, code != Z_OK ? ": " : "",
                               code != Z_OK ? why : "");
            break;
        }
        if (h->swapped && bytes > 1) nifti_swap_Nbytes((int64_t)n, (int)bytes, chunk);
        convert_voxels(chunk, n, layout->type->code, r, image->data + done);
        done += n;
    }
    free(chunk);
    return status;
}

/* ---------------------------------------------------------------- reader */

static radx_status read_opened(const char *path, gzFile gz, radx_image **out)
{
    nifti_header h;
    nifti_layout layout;
    memset(&h, 0, sizeof h);
    radx_status status = read_and_check_header(path, gz, &h, &layout);
    if (status != RADX_OK) return status;
    nifti_image *nim = h.version == 1 ? nifti_convert_n1hdr2nim(h.h1, NULL)
                                      : nifti_convert_n2hdr2nim(h.h2, NULL);
    if (!nim) return radx_fail(RADX_ERR_FORMAT, "%s: invalid NIfTI header", path);
    uint64_t data_bytes = (uint64_t)layout.size[0] * (uint64_t)layout.size[1] *
                          (uint64_t)layout.size[2] * (uint64_t)layout.type->bytes;
    status = check_data_fits(path, gz, &h, data_bytes);
    radx_image *image = NULL;
    if (status == RADX_OK) {
        status = radx_image_alloc(layout.size, &image);
        if (status != RADX_OK) radx_fail_context(status, "%s", path);
    }
    if (status == RADX_OK) {
        image->ndim = layout.ndim;
        image->pixel_type = layout.type->pixel;
        status = set_geometry(path, nim, h.version, image);
    }
    if (status == RADX_OK) {
        nifti_rescale r = rescale_of(nim, layout.type);
        if (r.active && r.via_float) image->pixel_type = RADX_PIXEL_FLOAT32;
        status = read_voxels(path, gz, &h, &layout, &r, image);
    }
    nifti_image_free(nim);
    if (status != RADX_OK) {
        radx_image_free(image);
        return status;
    }
    *out = image;
    return RADX_OK;
}

radx_status radx_read_nifti(const char *path, radx_image **out)
{
    *out = NULL;
    pthread_once(&quiet_once, make_nifti_library_quiet);
    errno = 0;
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return radx_fail(RADX_ERR_IO, "%s: cannot open: %s", path,
                         errno ? strerror(errno) : "out of memory");
    radx_status status = read_opened(path, gz, out);
    gzclose(gz);
    return status;
}
