/* The two halves of one case, for compute paths other than the CPU one
 * (host/cl/): preparation up to the discretised ROI, and the classes. */
#ifndef RADX_EXTRACT_CASE_H
#define RADX_EXTRACT_CASE_H

#include "radx/extract.h"
#include "prep/roi.h"

/* Read a case's image and mask; params->image_spacing (when set) replaces
 * the spacing of both, as a manifest's Spacing column asks (PNG files carry
 * no spacing). Messages name the file. */
radx_status radx_case_read(const char *image_path, const char *mask_path,
                           const radx_params *params, radx_image **image, radx_image **mask);

/* Preprocess and discretise: fills `roi` (free with radx_roi_data_free) and
 * the diagnostics of `result` (voxels, grey levels, box, spacing, 2D-ness). */
radx_status radx_case_prepare(const radx_image *image, const radx_image *mask,
                              const radx_params *params, radx_roi_data *roi,
                              radx_case_result *result);

/* Whether class `c` is computed for this case (enabled and applicable:
 * shape for 3D, shape2D for 2D or one-slice force2D ROIs). */
int radx_case_class_wanted(int c, const radx_params *params, const radx_roi *roi,
                           radx_case_result *result);

/* Compute class `c` on the CPU into result->values, setting class_done. */
radx_status radx_case_compute_class(int c, const radx_roi *roi, const radx_params *params,
                                    radx_case_result *result);

#endif
