/* PyRadiomics imageoperations.getLBP2DImage: scikit-image's
 * skimage.feature.local_binary_pattern(plane, P=lbp2DSamples, R=lbp2DRadius,
 * method=lbp2DMethod) on a 2D image, or on every plane of a volume normal to
 * numpy axis force2Ddimension (0: z planes, rows y / columns x; 1: y planes,
 * rows z / columns x; 2: x planes, rows y / columns z), written back into
 * the volume's own array.
 *
 * skimage 0.25 (feature/_texture.pyx _local_binary_pattern): neighbour i of
 * P sits at (row + rp[i], col + cp[i]) with rp = round(-R sin(2 pi i / P), 5)
 * and cp = round(R cos(2 pi i / P), 5) (numpy.round: rint(v * 1e5) / 1e5),
 * sampled by bilinear interpolation with 0 outside the image; bit i is
 * (neighbour - centre >= 0). Methods:
 *   default      sum of bit_i 2^i
 *   ror          the smallest of its P cyclic right rotations
 *   uniform      number of set bits if the bits change at most twice along
 *                i = 0..P-1 (not counting the wrap from P-1 to 0), else P + 1
 *   nri_uniform  index of the uniform pattern (skimage's numbering), P(P-1)+2
 *                for the others
 *   var          population variance of the P neighbours (NaN when 0). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#endif

#include "prep/filters/filters.h"
#include "core/error.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LBP_MAX_SAMPLES 31 /* skimage's int32 weights 2^i */

static const double NUMPY_PI = 3.141592653589793; /* np.pi */

void radx_lbp2d_settings_default(radx_lbp2d_settings *settings)
{
    settings->radius = 1.0;
    settings->samples = 8;
    settings->method = RADX_LBP_UNIFORM;
    settings->force2d_dimension = 0;
}

radx_status radx_lbp_method_parse(const char *text, radx_lbp_method *method)
{
    static const char *const names[] = {"default", "ror", "uniform", "nri_uniform", "var"};
    char lower[16];
    size_t n = 0;
    for (; text[n] && n + 1 < sizeof lower; n++) lower[n] = (char)tolower((unsigned char)text[n]);
    lower[n] = '\0';
    for (int i = 0; i < 5; i++)
        if (!text[n] && strcmp(lower, names[i]) == 0) {
            *method = (radx_lbp_method)i;
            return RADX_OK;
        }
    return radx_fail(RADX_ERR_PARAM, "lbp2DMethod '%s' is not one of default, ror, uniform, "
                     "nri_uniform, var", text);
}

/* One plane, row-major (rows x cols), as skimage sees it. */
typedef struct plane {
    const double *data;
    long rows, cols;
} plane;

static double pixel_or_zero(const plane *p, long r, long c)
{
    if (r < 0 || r >= p->rows || c < 0 || c >= p->cols) return 0.0;
    return p->data[r * p->cols + c];
}

/* skimage _shared/interpolation.pxd bilinear_interpolation, mode 'C', cval 0 */
static double bilinear(const plane *p, double r, double c)
{
    const long minr = (long)floor(r), minc = (long)floor(c);
    const long maxr = (long)ceil(r), maxc = (long)ceil(c);
    const double dr = r - (double)minr, dc = c - (double)minc;
    const double top_left = pixel_or_zero(p, minr, minc);
    const double top_right = pixel_or_zero(p, minr, maxc);
    const double bottom_left = pixel_or_zero(p, maxr, minc);
    const double bottom_right = pixel_or_zero(p, maxr, maxc);
    const double top = (1 - dc) * top_left + dc * top_right;
    const double bottom = (1 - dc) * bottom_left + dc * bottom_right;
    return (1 - dr) * top + dr * bottom;
}

/* numpy.round(v, 5) */
static double round5(double v)
{
    return rint(v * 100000.0) / 100000.0;
}

static int rotate_right(int value, int length)
{
    return (value >> 1) | ((value & 1) << (length - 1));
}

/* The code of one pixel from its P sampled neighbours. */
static double lbp_code(const double *texture, double centre, int P, radx_lbp_method method)
{
    int bits[LBP_MAX_SAMPLES];
    for (int i = 0; i < P; i++) bits[i] = texture[i] - centre >= 0 ? 1 : 0;

    if (method == RADX_LBP_VAR) {
        double sum = 0.0, var = 0.0;
        for (int i = 0; i < P; i++) {
            sum += texture[i];
            var += texture[i] * texture[i];
        }
        var = (var - (sum * sum) / P) / P;
        return var != 0 ? var : NAN;
    }
    if (method == RADX_LBP_UNIFORM || method == RADX_LBP_NRI_UNIFORM) {
        int changes = 0;
        for (int i = 0; i < P - 1; i++) changes += bits[i] != bits[i + 1];
        if (method == RADX_LBP_UNIFORM) {
            if (changes > 2) return P + 1;
            int ones = 0;
            for (int i = 0; i < P; i++) ones += bits[i];
            return ones;
        }
        if (changes > 2) return P * (P - 1) + 2;
        int ones = 0, first_one = -1, first_zero = -1;
        for (int i = 0; i < P; i++) {
            if (bits[i]) {
                ones++;
                if (first_one == -1) first_one = i;
            } else if (first_zero == -1) {
                first_zero = i;
            }
        }
        if (ones == 0) return 0;
        if (ones == P) return P * (P - 1) + 1;
        const int rot_index = first_one == 0 ? ones - first_zero : P - first_one;
        return 1 + (ones - 1) * P + rot_index;
    }
    int value = 0;
    for (int i = 0; i < P; i++) value += bits[i] << i;
    if (method == RADX_LBP_ROR) {
        int chain = value, smallest = value;
        for (int i = 1; i < P; i++) {
            chain = rotate_right(chain, P);
            if (chain < smallest) smallest = chain;
        }
        value = smallest;
    }
    return value;
}

/* skimage _local_binary_pattern on one plane into out (row-major). */
static void lbp_plane(const plane *p, const double *rp, const double *cp,
                      const radx_lbp2d_settings *s, double *out)
{
    double texture[LBP_MAX_SAMPLES];
    for (long r = 0; r < p->rows; r++)
        for (long c = 0; c < p->cols; c++) {
            for (int i = 0; i < s->samples; i++)
                texture[i] = bilinear(p, (double)r + rp[i], (double)c + cp[i]);
            out[r * p->cols + c] = lbp_code(texture, p->data[r * p->cols + c], s->samples,
                                            s->method);
        }
}

/* numpy assignment of a float64 value into an array of `type` (the volume
 * path writes the codes back into the image array): float32 rounding, or C's
 * truncation toward zero for integer types (NaN -> 0), wrapped to the width. */
static double store_as(double v, radx_pixel_type type)
{
    switch (type) {
    case RADX_PIXEL_FLOAT64: return v;
    case RADX_PIXEL_FLOAT32: return (double)(float)v;
    default: break;
    }
    if (isnan(v)) return 0.0;
    const int64_t t = (int64_t)v;
    switch (type) {
    case RADX_PIXEL_INT8: return (double)(int8_t)t;
    case RADX_PIXEL_UINT8: return (double)(uint8_t)t;
    case RADX_PIXEL_INT16: return (double)(int16_t)t;
    case RADX_PIXEL_UINT16: return (double)(uint16_t)t;
    case RADX_PIXEL_INT32: return (double)(int32_t)t;
    case RADX_PIXEL_UINT32: return (double)(uint32_t)t;
    default: return (double)t;
    }
}

/* Plane geometry of the volume: the radx axes (0 x, 1 y, 2 z) of rows,
 * columns and slices after numpy's swapaxes(0, force2Ddimension). */
static radx_status plane_axes(const radx_image *image, int force2d_dimension, int axes[3])
{
    static const int by_dimension[3][3] = {{1, 0, 2}, {2, 0, 1}, {1, 2, 0}};
    if (image->ndim == 2) force2d_dimension = 0;
    if (force2d_dimension < 0 || force2d_dimension > 2)
        return radx_fail(RADX_ERR_PARAM, "LBP2D: force2Ddimension %d is not 0, 1 or 2",
                         force2d_dimension);
    memcpy(axes, by_dimension[force2d_dimension], sizeof by_dimension[0]);
    return RADX_OK;
}

radx_status radx_filter_lbp2d(const radx_image *image, const radx_lbp2d_settings *settings,
                              radx_filter_output *out)
{
    if (settings->samples < 1 || settings->samples > LBP_MAX_SAMPLES)
        return radx_fail(RADX_ERR_PARAM, "lbp2DSamples %d is not in 1..%d", settings->samples,
                         LBP_MAX_SAMPLES);
    int axes[3] = {1, 0, 2};
    radx_status status = plane_axes(image, settings->force2d_dimension, axes);
    if (status != RADX_OK) return status;

    double rp[LBP_MAX_SAMPLES], cp[LBP_MAX_SAMPLES];
    const double two_pi = 2 * NUMPY_PI;
    for (int i = 0; i < settings->samples; i++) {
        const double angle = two_pi * (double)i / (double)settings->samples;
        rp[i] = round5(-settings->radius * sin(angle));
        cp[i] = round5(settings->radius * cos(angle));
    }

    const long rows = image->size[axes[0]], cols = image->size[axes[1]];
    const int slices = image->size[axes[2]];
    const size_t stride[3] = {1, (size_t)image->size[0],
                              (size_t)image->size[0] * (size_t)image->size[1]};
    const size_t sr = stride[axes[0]], sc = stride[axes[1]], ss = stride[axes[2]];
    double *in = malloc(2 * (size_t)rows * (size_t)cols * sizeof *in);
    radx_image *result = NULL;
    if (!in) return radx_fail(RADX_ERR_NOMEM, "LBP2D: out of memory for a plane");
    status = radx_filter_new_image(image, &result);
    if (status != RADX_OK) {
        free(in);
        return status;
    }
    double *codes = in + (size_t)rows * (size_t)cols;
    const int write_back = image->ndim != 2;
    if (write_back) result->pixel_type = image->pixel_type;
    for (int s = 0; s < slices; s++) {
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < cols; c++)
                in[r * cols + c] = image->data[(size_t)s * ss + (size_t)r * sr + (size_t)c * sc];
        const plane p = {in, rows, cols};
        lbp_plane(&p, rp, cp, settings, codes);
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < cols; c++) {
                const double v = codes[r * cols + c];
                result->data[(size_t)s * ss + (size_t)r * sr + (size_t)c * sc] =
                    write_back ? store_as(v, image->pixel_type) : v;
            }
    }
    free(in);
    return radx_filter_output_add(out, "lbp-2D", result);
}
