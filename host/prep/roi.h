/* Assembly of the radx_roi that feature classes read: the preprocessed image
 * and mask cropped to the ROI's bounding box, discretised. */
#ifndef RADX_PREP_ROI_H
#define RADX_PREP_ROI_H

#include "radx/features.h"
#include "radx/image.h"
#include "radx/params.h"

/* Owns the arrays a radx_roi points to. */
typedef struct radx_roi_data {
    radx_roi roi;
    uint8_t *mask;
    double *values;
    int *levels;
    int *level_values;
    int *level_rank;
} radx_roi_data;

/* Crop `image`/`mask` (mask values 0/1) to bbox (x0,x1,y0,y1,z0,z1,
 * inclusive) and fill `levels` from discretised levels given for the
 * cropped box (levels may be NULL: then every ROI voxel gets level 1). */
radx_status radx_roi_from_box(const radx_image *image, const radx_image *mask,
                              const int bbox[6], radx_roi_data *out);

/* Set levels (cropped-box layout, 1..ng inside) and derive ng (the highest
 * level inside, at least ng_floor), the distinct levels and their ranks.
 * Takes ownership of `levels`. */
radx_status radx_roi_set_levels(radx_roi_data *data, int *levels, int ng_floor);

/* A copy of slice z (along axis 2) of `whole`, cropped to that slice's own
 * bounding box, keeping grey-level values and the whole ROI's Ng (IBSI N_g
 * is the number of levels of the discretisation, not of the slice). Returns RADX_ERR_ROI when the
 * slice holds no ROI voxel. */
radx_status radx_roi_slice(const radx_roi *whole, int z, radx_roi_data *out);

void radx_roi_data_free(radx_roi_data *data);

#endif
