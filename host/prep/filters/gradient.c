/* PyRadiomics imageoperations.getGradientImage:
 *   sitk.GradientMagnitudeImageFilter(UseImageSpacing = gradientUseSpacing)
 * i.e. ITK 5.4's itk::GradientMagnitudeImageFilter: per axis the central
 * difference of itk::DerivativeOperator (order 1: taps 0.5, 0, -0.5, each
 * times 1/spacing when spacing is used), applied by NeighborhoodInnerProduct
 * as 0 + t0 * x[i-1] + t1 * x[i] + t2 * x[i+1] in double, with
 * ZeroFluxNeumannBoundaryCondition (a neighbour outside the image is the edge
 * voxel); then sqrt(g_x^2 + g_y^2 [+ g_z^2]) cast to the float32 output
 * SimpleITK gives. Axes are those of the image's dimension (ndim). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#endif

#include "prep/filters/filters.h"
#include "core/error.h"

#include <math.h>

/* Derivative along one axis at (x,y,z), edge-clamped neighbours. */
static double derivative(const radx_image *image, const int p[3], int axis, const double taps[3])
{
    const size_t sx = (size_t)image->size[0], sy = (size_t)image->size[1];
    int q[3] = {p[0], p[1], p[2]};
    double sum = 0;
    for (int k = -1; k <= 1; k++) {
        q[axis] = p[axis] + k;
        if (q[axis] < 0) q[axis] = 0;
        if (q[axis] >= image->size[axis]) q[axis] = image->size[axis] - 1;
        sum += taps[k + 1] * image->data[(size_t)q[0] + sx * ((size_t)q[1] + sy * (size_t)q[2])];
    }
    return sum;
}

radx_status radx_filter_gradient(const radx_image *image, const radx_gradient_settings *settings,
                                 radx_filter_output *out)
{
    const int ndim = image->ndim == 2 ? 2 : 3;
    double taps[3][3];
    for (int d = 0; d < ndim; d++) {
        double scale = 1.0;
        if (settings->use_spacing) {
            if (image->spacing[d] == 0.0)
                return radx_fail(RADX_ERR_PARAM, "gradient: image spacing cannot be zero");
            scale = 1.0 / image->spacing[d];
        }
        /* DerivativeOperator::GenerateCoefficients (0.5, 0, -0.5), ScaleCoefficients */
        taps[d][0] = 0.5 * scale;
        taps[d][1] = 0.0 * scale;
        taps[d][2] = -0.5 * scale;
    }
    radx_image *result;
    radx_status status = radx_filter_new_image(image, &result);
    if (status != RADX_OK) return status;
    result->pixel_type = RADX_PIXEL_FLOAT32;
    size_t i = 0;
    for (int z = 0; z < image->size[2]; z++)
        for (int y = 0; y < image->size[1]; y++)
            for (int x = 0; x < image->size[0]; x++, i++) {
                const int p[3] = {x, y, z};
                double a = 0;
                for (int d = 0; d < ndim; d++) {
                    const double g = derivative(image, p, d, taps[d]);
                    a += g * g;
                }
                result->data[i] = (double)(float)sqrt(a);
            }
    return radx_filter_output_add(out, "gradient", result);
}
