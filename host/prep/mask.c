/* The mask steps of PyRadiomics 3.1 (imageoperations.py):
 *   getMask    cast to uint32, label present?
 *   checkMask  geometry check against the image (SimpleITK size check and
 *              ITK ImageToImageFilter::VerifyInputInformation with
 *              geometryTolerance), correctMask (_correctMask: _checkROI, then
 *              nearest-neighbour resampling onto the image grid), bounding
 *              box, minimumROIDimensions, minimumROISize
 *   _checkROI  label present, ROI corners inside the image (1e-3 voxel). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#endif

#include "prep/prep.h"
#include "core/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* sitk.Cast(mask, sitkUInt32) of a value read as double: truncation toward
 * zero; negative integers wrap modulo 2^32 as C++'s conversion from the
 * file's signed integer type does. */
static uint32_t mask_value_as_uint32(double v)
{
    if (!(v == v)) return 0;
    double t = trunc(v);
    if (t >= 0) return t >= 4294967295.0 ? UINT32_MAX : (uint32_t)t;
    if (t < -9.2e18) return 0;
    return (uint32_t)(int64_t)t;
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* "1, 7, 12" for the distinct non-zero labels (at most 20 listed). */
static void list_labels(const radx_image *mask, char *text, size_t capacity)
{
    enum { MAX_LISTED = 20 };
    uint32_t found[MAX_LISTED];
    int nfound = 0, more = 0;
    const size_t n = radx_image_voxels(mask);
    for (size_t i = 0; i < n; i++) {
        uint32_t v = mask_value_as_uint32(mask->data[i]);
        if (v == 0) continue;
        int seen = 0;
        for (int k = 0; k < nfound && !seen; k++) seen = found[k] == v;
        if (seen) continue;
        if (nfound < MAX_LISTED) found[nfound++] = v;
        else more = 1;
    }
    qsort(found, (size_t)nfound, sizeof found[0], compare_u32);
    size_t used = 0;
    text[0] = '\0';
    for (int k = 0; k < nfound && used < capacity; k++)
        used += (size_t)snprintf(text + used, capacity - used, "%s%u", k ? ", " : "", found[k]);
    if (more && used < capacity) snprintf(text + used, capacity - used, ", ...");
}

radx_status radx_mask_select_label(const radx_image *mask, int label, radx_image **out)
{
    *out = NULL;
    radx_status status = radx_image_alloc(mask->size, out);
    if (status != RADX_OK) return status;
    radx_image *result = *out;
    double *data = result->data;
    *result = *mask;
    result->data = data;
    const size_t n = radx_image_voxels(mask);
    size_t inside = 0, nonzero = 0;
    const double label_value = label;
    for (size_t i = 0; i < n; i++) {
        const double raw = mask->data[i];
        if (raw == 0.0) {                 /* fast paths: background and the label */
            data[i] = 0;
            continue;
        }
        int hit = raw == label_value;
        if (!hit) hit = label >= 0 && mask_value_as_uint32(raw) == (uint32_t)label;
        nonzero += mask_value_as_uint32(raw) != 0;
        data[i] = hit;
        inside += (size_t)hit;
    }
    if (nonzero == 0) {
        radx_image_free(result);
        *out = NULL;
        return radx_fail(RADX_ERR_ROI, "mask is empty: no voxel has a non-zero label "
                         "(nothing is segmented)");
    }
    if (inside == 0) {
        char labels[256];
        list_labels(mask, labels, sizeof labels);
        radx_image_free(result);
        *out = NULL;
        return radx_fail(RADX_ERR_ROI, "mask label %d not present (labels found: %s); "
                         "set label: to one of them", label, labels);
    }
    return RADX_OK;
}

int radx_mask_bbox(const radx_image *mask01, int bbox[6], int64_t *count)
{
    int lo[3] = {mask01->size[0], mask01->size[1], mask01->size[2]}, hi[3] = {-1, -1, -1};
    int64_t n = 0;
    const double *v = mask01->data;
    for (int z = 0; z < mask01->size[2]; z++)
        for (int y = 0; y < mask01->size[1]; y++)
            for (int x = 0; x < mask01->size[0]; x++, v++) {
                if (*v == 0.0) continue;
                const int p[3] = {x, y, z};
                for (int d = 0; d < 3; d++) {
                    if (p[d] < lo[d]) lo[d] = p[d];
                    if (p[d] > hi[d]) hi[d] = p[d];
                }
                n++;
            }
    if (count) *count = n;
    if (n == 0) return 0;
    for (int d = 0; d < 3; d++) {
        bbox[2 * d] = lo[d];
        bbox[2 * d + 1] = hi[d];
    }
    return 1;
}

radx_status radx_check_roi(const radx_image *image, const radx_image *mask01, int label,
                           int64_t lower[3], int64_t size[3])
{
    int bbox[6];
    if (!radx_mask_bbox(mask01, bbox, NULL))
        return radx_fail(RADX_ERR_ROI, "mask label %d not present", label);
    double m_mask[9], inv_image[9];
    radx_itk_index_to_point_matrix(mask01, m_mask);
    radx_status status = radx_itk_point_to_index_matrix(image, inv_image);
    if (status != RADX_OK) return status;
    /* corners of the ROI box (voxel edges) in image index space */
    double corner[2][3];
    for (int d = 0; d < 3; d++) {
        lower[d] = bbox[2 * d];
        size[d] = (int64_t)bbox[2 * d + 1] - bbox[2 * d] + 1;
    }
    for (int c = 0; c < 2; c++) {
        double cindex[3], point[3];
        for (int d = 0; d < 3; d++)
            cindex[d] = c == 0 ? (double)lower[d] - 0.5 : (double)(lower[d] + size[d]) - 0.5;
        radx_itk_cindex_to_point(mask01, m_mask, cindex, point);
        radx_itk_point_to_cindex(image, inv_image, point, corner[c]);
    }
    const double tolerance = 1e-3;
    for (int d = 0; d < 3; d++) {
        double lo = fmin(corner[0][d], corner[1][d]), hi = fmax(corner[0][d], corner[1][d]);
        if (lo < (-0.5 - tolerance) || hi > ((double)image->size[d] - 0.5 + tolerance))
            return radx_fail(RADX_ERR_GEOMETRY, "the ROI (label %d) extends outside the image: "
                             "along axis %d it spans image index %.4g to %.4g, the image has "
                             "%d voxels (-0.5 to %.1f)", label, d, lo, hi, image->size[d],
                             image->size[d] - 0.5);
    }
    return RADX_OK;
}

/* ITK IsCongruentImageGeometry plus SimpleITK's size check; on mismatch
 * writes what differs into `what`. */
static int same_geometry(const radx_image *image, const radx_image *mask, double tolerance,
                         char *what, size_t capacity)
{
    static const char axis[3] = {'x', 'y', 'z'};
    for (int d = 0; d < 3; d++)
        if (image->size[d] != mask->size[d]) {
            snprintf(what, capacity, "image size %dx%dx%d vs mask %dx%dx%d", image->size[0],
                     image->size[1], image->size[2], mask->size[0], mask->size[1], mask->size[2]);
            return 0;
        }
    const double coordinate_tol = fabs(tolerance * image->spacing[0]);
    for (int d = 0; d < 3; d++)
        if (fabs(image->origin[d] - mask->origin[d]) > coordinate_tol) {
            snprintf(what, capacity, "image origin %c %.9g vs mask %.9g differs by more than "
                     "geometryTolerance %g x image spacing x (%g mm)", axis[d], image->origin[d],
                     mask->origin[d], tolerance, coordinate_tol);
            return 0;
        }
    for (int d = 0; d < 3; d++)
        if (fabs(image->spacing[d] - mask->spacing[d]) > coordinate_tol) {
            snprintf(what, capacity, "image spacing %c %.9g vs mask %.9g differs by more than "
                     "geometryTolerance %g x image spacing x (%g mm)", axis[d], image->spacing[d],
                     mask->spacing[d], tolerance, coordinate_tol);
            return 0;
        }
    for (int k = 0; k < 9; k++)
        if (fabs(image->direction[k] - mask->direction[k]) > tolerance) {
            snprintf(what, capacity, "image direction[%d][%d] %.9g vs mask %.9g exceeds "
                     "geometryTolerance %g", k / 3, k % 3, image->direction[k], mask->direction[k],
                     tolerance);
            return 0;
        }
    return 1;
}

/* _correctMask: ROI check, then the mask resampled onto the image grid by
 * nearest neighbour (ResampleImageFilter with the image as reference). */
static radx_status correct_mask(const radx_image *image, const radx_image *mask01, int label,
                                radx_image **corrected)
{
    int64_t lower[3], size[3];
    radx_status status = radx_check_roi(image, mask01, label, lower, size);
    if (status != RADX_OK) return radx_fail_context(status, "correctMask");
    status = radx_resample_onto(mask01, image, RADX_RESAMPLE_NEAREST, RADX_PIXEL_FLOAT64, corrected);
    if (status != RADX_OK) return radx_fail_context(status, "correctMask");
    (*corrected)->ndim = mask01->ndim;
    return RADX_OK;
}

/* checkMask's ROI requirements on the bounding box and count. */
static radx_status check_roi_size(const int bbox[6], int64_t count, const radx_params *params)
{
    int ndims = 0;
    for (int d = 0; d < 3; d++) ndims += bbox[2 * d + 1] - bbox[2 * d] + 1 > 1;
    if (ndims == 0)
        return radx_fail(RADX_ERR_ROI, "ROI (label %d) is a single voxel; features cannot be "
                         "extracted from one voxel", params->label);
    if (ndims < params->minimum_roi_dimensions)
        return radx_fail(RADX_ERR_ROI, "ROI (label %d) has %d dimension(s), "
                         "minimumROIDimensions is %d", params->label, ndims,
                         params->minimum_roi_dimensions);
    /* PyRadiomics rejects roiSize <= minimumROISize */
    if (params->minimum_roi_size > 0 && count <= params->minimum_roi_size)
        return radx_fail(RADX_ERR_ROI, "ROI (label %d) has %lld voxels, minimumROISize is %lld "
                         "(PyRadiomics requires more than minimumROISize voxels)", params->label,
                         (long long)count, (long long)params->minimum_roi_size);
    return RADX_OK;
}

radx_status radx_check_mask(const radx_image *image, const radx_image *mask01,
                            const radx_params *params, int bbox[6], int64_t *nvoxels,
                            radx_image **corrected)
{
    *corrected = NULL;
    const double tolerance = params->geometry_tolerance > 0 ? params->geometry_tolerance : 1e-6;
    char what[256];
    const radx_image *mask = mask01;
    if (!same_geometry(image, mask01, tolerance, what, sizeof what)) {
        if (!params->correct_mask)
            return radx_fail(RADX_ERR_GEOMETRY, "geometry mismatch: %s (set correctMask: true "
                             "to resample the mask onto the image, or raise geometryTolerance)",
                             what);
        radx_status status = correct_mask(image, mask01, params->label, corrected);
        if (status != RADX_OK) return status;
        mask = *corrected;
    }
    int64_t count = 0;
    radx_status status = RADX_OK;
    if (!radx_mask_bbox(mask, bbox, &count))
        status = radx_fail(RADX_ERR_ROI, "mask label %d not present%s", params->label,
                           *corrected ? " after resampling the mask onto the image grid "
                           "(correctMask)" : "");
    if (status == RADX_OK) status = check_roi_size(bbox, count, params);
    if (status != RADX_OK) {
        radx_image_free(*corrected);
        *corrected = NULL;
        return status;
    }
    *nvoxels = count;
    return RADX_OK;
}
