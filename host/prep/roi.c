#include "prep/roi.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

void radx_roi_data_free(radx_roi_data *data)
{
    free(data->mask);
    free(data->values);
    free(data->levels);
    free(data->level_values);
    free(data->level_rank);
    memset(data, 0, sizeof *data);
}

static size_t box_index(const int size[3], int x, int y, int z)
{
    return (size_t)x + (size_t)size[0] * ((size_t)y + (size_t)size[1] * (size_t)z);
}

radx_status radx_roi_from_box(const radx_image *image, const radx_image *mask,
                              const int bbox[6], radx_roi_data *out)
{
    memset(out, 0, sizeof *out);
    radx_roi *roi = &out->roi;
    for (int a = 0; a < 3; a++) {
        roi->size[a] = bbox[2 * a + 1] - bbox[2 * a] + 1;
        roi->spacing[a] = image->spacing[a];
    }
    size_t n = (size_t)roi->size[0] * roi->size[1] * roi->size[2];
    out->mask = malloc(n);
    out->values = malloc(n * sizeof *out->values);
    if (!out->mask || !out->values) {
        radx_roi_data_free(out);
        return radx_fail(RADX_ERR_NOMEM, "out of memory for a ROI of %zu voxels", n);
    }
    for (int z = 0; z < roi->size[2]; z++)
        for (int y = 0; y < roi->size[1]; y++)
            for (int x = 0; x < roi->size[0]; x++) {
                size_t src = box_index(image->size, x + bbox[0], y + bbox[2], z + bbox[4]);
                size_t dst = box_index(roi->size, x, y, z);
                out->values[dst] = image->data[src];
                out->mask[dst] = mask->data[src] != 0.0;
                roi->nvoxels += out->mask[dst];
            }
    roi->mask = out->mask;
    roi->values = out->values;
    return RADX_OK;
}

radx_status radx_roi_set_levels(radx_roi_data *data, int *levels, int ng_floor)
{
    radx_roi *roi = &data->roi;
    size_t n = (size_t)roi->size[0] * roi->size[1] * roi->size[2];
    int ng = 0, ng_present;
    for (size_t i = 0; i < n; i++) {
        if (!data->mask[i]) levels[i] = 0;
        else if (levels[i] > ng) ng = levels[i];
    }
    ng_present = ng;
    if (ng_floor > ng) ng = ng_floor;
    if (ng_present < 1 || ng > RADX_MAX_GRAY_LEVELS) {
        free(levels);
        return radx_fail(RADX_ERR_LIMIT, "ROI has %d grey levels (limit %d)", ng, RADX_MAX_GRAY_LEVELS);
    }
    int *rank = malloc((size_t)(ng + 1) * sizeof *rank);
    int *present = malloc((size_t)ng * sizeof *present);
    if (!rank || !present) {
        free(rank);
        free(present);
        free(levels);
        return radx_fail(RADX_ERR_NOMEM, "out of memory for %d grey levels", ng);
    }
    for (int g = 0; g <= ng; g++) rank[g] = 0;
    for (size_t i = 0; i < n; i++)
        if (data->mask[i]) rank[levels[i]] = 1;
    int count = 0;
    for (int g = 1; g <= ng; g++) {
        if (rank[g]) {
            present[count] = g;
            rank[g] = count++;
        } else {
            rank[g] = -1;
        }
    }
    rank[0] = -1;
    free(data->levels);
    free(data->level_values);
    free(data->level_rank);
    data->levels = levels;
    data->level_values = present;
    data->level_rank = rank;
    roi->levels = levels;
    roi->ng = ng;
    roi->nlevels = count;
    roi->level_values = present;
    roi->level_rank = rank;
    return RADX_OK;
}

/* Bounding box of the ROI voxels of slice z, or -1 when it has none. */
static int slice_bbox(const radx_roi *whole, int z, int box[4])
{
    box[0] = box[2] = 1 << 30;
    box[1] = box[3] = -1;
    for (int y = 0; y < whole->size[1]; y++)
        for (int x = 0; x < whole->size[0]; x++)
            if (whole->mask[box_index(whole->size, x, y, z)]) {
                if (x < box[0]) box[0] = x;
                if (x > box[1]) box[1] = x;
                if (y < box[2]) box[2] = y;
                if (y > box[3]) box[3] = y;
            }
    return box[1] < 0 ? -1 : 0;
}

radx_status radx_roi_slice(const radx_roi *whole, int z, radx_roi_data *out)
{
    memset(out, 0, sizeof *out);
    int box[4];
    if (slice_bbox(whole, z, box) < 0) return radx_fail(RADX_ERR_ROI, "slice %d holds no ROI voxel", z);
    radx_roi *roi = &out->roi;
    roi->size[0] = box[1] - box[0] + 1;
    roi->size[1] = box[3] - box[2] + 1;
    roi->size[2] = 1;
    memcpy(roi->spacing, whole->spacing, sizeof roi->spacing);
    size_t n = (size_t)roi->size[0] * roi->size[1];
    out->mask = malloc(n);
    out->values = malloc(n * sizeof *out->values);
    int *levels = malloc(n * sizeof *levels);
    if (!out->mask || !out->values || !levels) {
        free(levels);
        radx_roi_data_free(out);
        return radx_fail(RADX_ERR_NOMEM, "out of memory for a slice ROI");
    }
    for (int y = 0; y < roi->size[1]; y++)
        for (int x = 0; x < roi->size[0]; x++) {
            size_t src = box_index(whole->size, x + box[0], y + box[2], z);
            size_t dst = (size_t)x + (size_t)roi->size[0] * y;
            out->mask[dst] = whole->mask[src];
            out->values[dst] = whole->values[src];
            levels[dst] = whole->levels[src];
            roi->nvoxels += out->mask[dst];
        }
    roi->mask = out->mask;
    roi->values = out->values;
    radx_status status = radx_roi_set_levels(out, levels, whole->ng);
    if (status != RADX_OK) radx_roi_data_free(out);
    return status;
}
