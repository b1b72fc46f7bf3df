/* radx — feature extraction for one case (image + mask) on the CPU path. */
#ifndef RADX_EXTRACT_H
#define RADX_EXTRACT_H

#include <stdint.h>
#include "radx/status.h"
#include "radx/image.h"
#include "radx/params.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Slots for every feature of every class, in registry order: the values of
 * class c, feature f live at radx_feature_slot(c, f). */
int radx_feature_slot_count(void);
int radx_feature_slot(int class_index, int feature_index);

/* What extraction of one case produced. */
typedef struct radx_case_result {
    double *values;                        /* [radx_feature_slot_count()], NaN if not computed */
    uint8_t class_done[RADX_MAX_CLASSES];  /* 1 where the class was computed */
    int64_t roi_voxels;                    /* after preprocessing */
    int gray_levels;                       /* Ng after discretisation */
    int bbox_size[3];                      /* ROI bounding box, voxels */
    double spacing[3];                     /* after resampling */
    int image_is_2d;
    char warnings[512];                    /* '; '-separated, "" if none */
} radx_case_result;

radx_status radx_case_result_init(radx_case_result *result);
void radx_case_result_free(radx_case_result *result);

/* Extract every enabled feature from an image and its mask (label from
 * params->label). The inputs are not modified. */
radx_status radx_extract_images(const radx_image *image, const radx_image *mask,
                                const radx_params *params, radx_case_result *result);

/* Read the two files and extract; messages name the file at fault. */
radx_status radx_extract_files(const char *image_path, const char *mask_path,
                               const radx_params *params, radx_case_result *result);

/* Output columns: the enabled features of every class computed for at
 * least one of the results (shape for 3D cases, shape2D for 2D cases), in
 * registry order. Names as PyRadiomics writes them:
 * "original_<class>_<Feature>". Returns the number of columns written to
 * slots[] / names[] (capacity radx_feature_slot_count()), or -1 when out of
 * memory; each name is malloc'd and freed by the caller. */
int radx_columns_select(const radx_params *params, const radx_case_result *results,
                        int nresults, int *slots, char **names);

#ifdef __cplusplus
}
#endif
#endif
