/* PyRadiomics imageoperations.normalizeImage:
 *   image = sitk.Normalize(image)             (x - mean) / sigma, whole image
 *   if removeOutliers: clamp to [-n, n]       on the normalised values
 *   image *= normalizeScale
 * sitk.Normalize is itk::NormalizeImageFilter: StatisticsImageFilter (Kahan
 * compensated sums, sample variance with count - 1) and ShiftScaleImageFilter
 * with shift = -mean and scale = 1 / sigma, i.e. (x + shift) * scale. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#endif

#include "prep/prep.h"
#include "core/error.h"

#include <math.h>

/* itk::CompensatedSummation (Kahan). */
typedef struct kahan {
    double sum, compensation;
} kahan;

static void kahan_add(kahan *k, double element)
{
    const double compensated = element - k->compensation;
    const double temp = k->sum + compensated;
    k->compensation = (temp - k->sum) - compensated;
    k->sum = temp;
}

/* CompensatedSummation::operator+=(const CompensatedSummation &): adds the
 * other's compensation, then its sum, as two elements (ITK's merge of the
 * per-thread sums into the filter's total). */
static void kahan_merge(kahan *total, const kahan *part)
{
    kahan_add(total, part->compensation);
    kahan_add(total, part->sum);
}

/* StatisticsImageFilter mean and sigma. ITK sums per work unit and merges
 * the units under a mutex (order not fixed); radx uses one unit, which
 * agrees with ITK to the last bit or two of the mean. */
static void image_statistics(const radx_image *image, double *mean, double *sigma)
{
    kahan sum = {0, 0}, squares = {0, 0};
    const size_t n = radx_image_voxels(image);
    for (size_t i = 0; i < n; i++) {
        const double v = image->data[i];
        kahan_add(&sum, v);
        kahan_add(&squares, v * v);
    }
    kahan total_sum = {0, 0}, total_squares = {0, 0};
    kahan_merge(&total_sum, &sum);
    kahan_merge(&total_squares, &squares);
    const double count = (double)n;
    const double s = total_sum.sum, ss = total_squares.sum;
    *mean = s / count;
    const double variance = (ss - (s * s / count)) / (count - 1);
    *sigma = sqrt(variance);
}

radx_status radx_normalize(radx_image *image, const radx_params *params,
                           double *mean_out, double *sigma_out)
{
    double mean, sigma;
    image_statistics(image, &mean, &sigma);
    if (!(sigma > 0.0) || !isfinite(sigma))
        return radx_fail(RADX_ERR_NUMERIC, "normalize: the image has standard deviation %g "
                         "(a constant image cannot be normalised)", sigma);
    const double shift = -mean, scale = 1.0 / sigma;
    const double outliers = params->remove_outliers;
    const double factor = params->normalize_scale;
    const size_t n = radx_image_voxels(image);
    for (size_t i = 0; i < n; i++) {
        double v = (image->data[i] + shift) * scale;
        if (outliers > 0.0) {           /* removeOutliers: numpy masks > n, < -n */
            if (v > outliers) v = outliers;
            if (v < -outliers) v = -outliers;
        }
        image->data[i] = v * factor;
    }
    if (mean_out) *mean_out = mean;
    if (sigma_out) *sigma_out = sigma;
    return RADX_OK;
}
