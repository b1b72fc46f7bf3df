/* PyRadiomics imageoperations.cropToTumorMask: the bounding box widened by
 * padDistance on every side, clipped to the image, cut out with
 * sitk.CropImageFilter. SimpleITK moves a non-zero start index into the
 * origin (ImageFilter::FixNonZeroIndex: TransformIndexToPhysicalPoint of the
 * first kept voxel). */
#include "prep/prep.h"
#include "core/error.h"

#include <string.h>

radx_status radx_crop(const radx_image *image, const int bbox[6], int pad, radx_image **out)
{
    *out = NULL;
    int64_t start[3];
    int size[3];
    for (int d = 0; d < 3; d++) {
        if (bbox[2 * d] < 0 || bbox[2 * d + 1] >= image->size[d] || bbox[2 * d] > bbox[2 * d + 1])
            return radx_fail(RADX_ERR_INTERNAL, "crop: bounding box [%d, %d] on axis %d "
                             "outside the image (size %d)", bbox[2 * d], bbox[2 * d + 1], d,
                             image->size[d]);
        /* lower and upper crop sizes, each at least 0 */
        int lower = bbox[2 * d] - pad;
        int upper = image->size[d] - bbox[2 * d + 1] - pad - 1;
        if (lower < 0) lower = 0;
        if (upper < 0) upper = 0;
        start[d] = lower;
        size[d] = image->size[d] - (lower + upper);
    }
    radx_status status = radx_image_alloc(size, out);
    if (status != RADX_OK) return status;
    radx_image *result = *out;
    memcpy(result->spacing, image->spacing, sizeof result->spacing);
    memcpy(result->direction, image->direction, sizeof result->direction);
    result->ndim = image->ndim;
    double m[9];
    radx_itk_index_to_point_matrix(image, m);
    if (start[0] || start[1] || start[2])
        radx_itk_index_to_point(image, m, start, result->origin);
    else
        memcpy(result->origin, image->origin, sizeof result->origin);

    for (int z = 0; z < size[2]; z++)
        for (int y = 0; y < size[1]; y++) {
            const double *src = image->data + start[0] +
                (size_t)image->size[0] * ((size_t)(start[1] + y) +
                                          (size_t)image->size[1] * (size_t)(start[2] + z));
            double *dst = result->data + (size_t)size[0] * ((size_t)y + (size_t)size[1] * z);
            memcpy(dst, src, (size_t)size[0] * sizeof *dst);
        }
    return RADX_OK;
}
