/* The two halves of one case, for compute paths other than the CPU one
 * (host/cl/): preparation up to the discretised ROI, and the classes. */
#ifndef RADX_EXTRACT_CASE_H
#define RADX_EXTRACT_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "radx/extract.h"
#include "prep/prep.h"
#include "prep/roi.h"

/* Read a case's image (frame params->image_frame of a multi-frame DICOM) and
 * mask; a mask drawn on a DICOM image takes its geometry
 * (radx_image_match_mask); params->image_spacing (when set) replaces the
 * spacing of both, as a manifest's Spacing column asks (PNG files carry no
 * spacing). With `result` (may be NULL), its spacing source and any note of
 * the mask rule (as a warning) are recorded. Messages name the file. */
radx_status radx_case_read(const char *image_path, const char *mask_path,
                           const radx_params *params, radx_image **image, radx_image **mask,
                           radx_case_result *result);

/* Preprocess (PyRadiomics' loadImage + checkMask), build the original
 * image's ROI discretised with the Original type's settings into `roi`
 * (free with radx_roi_data_free) with the diagnostics of `result` (voxels,
 * grey levels, box, spacing, 2D-ness), and compute every derived image type
 * entirely into result->derived (radx_case_derive). The original's classes
 * are left to the caller (radx_case_compute_class, or a device). */
radx_status radx_case_prepare(const radx_image *image, const radx_image *mask,
                              const radx_params *params, radx_roi_data *roi,
                              radx_case_result *result);

/* The same, with LoG and wavelet filtered on the OpenCL device `ctx` (NULL:
 * the CPU); host threads may share one context (host/cl/filters_cl.h). */
struct radx_cl_context;
radx_status radx_case_prepare_on(const radx_image *image, const radx_image *mask,
                                 const radx_params *params, struct radx_cl_context *ctx,
                                 radx_roi_data *roi, radx_case_result *result);

/* radx_case_prepare after preprocessing: the original ROI and the derived
 * images of an already preprocessed case (radx sweep shares one
 * preprocessing between settings that differ only after it). */
radx_status radx_case_from_prep(const radx_prep_result *prep, int image_is_2d,
                                const radx_params *params, struct radx_cl_context *ctx,
                                radx_roi_data *roi, radx_case_result *result);

/* Crop `values` (an image on the grid of prep->image) to the ROI's bounding
 * box and discretise it with `params` (cropToTumorMask without padding, then
 * _applyBinning): fills `roi` and the diagnostics of `result`. */
radx_status radx_case_roi(const radx_image *values, const radx_prep_result *prep,
                          const radx_params *params, radx_roi_data *roi, radx_case_result *result);

/* The enabled image types other than Original, in order: each filter applied
 * to prep->image (host/prep/filters; LoG and wavelet on the device `ctx`
 * when not NULL), each derived image cropped, discretised and featured with
 * its type's settings, appended to result->derived. Settings that yield no
 * image add a warning. */
radx_status radx_case_derive(const radx_prep_result *prep, const radx_params *params,
                             struct radx_cl_context *ctx, radx_case_result *result);

/* Whether class `c` is computed on the original image of this case (enabled
 * and applicable: shape for 3D, shape2D for 2D or one-slice force2D ROIs;
 * the other classes only when the Original image type is enabled). */
int radx_case_class_wanted(int c, const radx_params *params, const radx_roi *roi,
                           radx_case_result *result);

/* Whether class `c` is computed on derived images (enabled, not shape). */
int radx_case_derived_class_wanted(int c, const radx_params *params);

/* Compute class `c` of the original image on the CPU into result->values,
 * setting class_done; `params` are the file's (the Original type's
 * overrides are applied here). */
radx_status radx_case_compute_class(int c, const radx_roi *roi, const radx_params *params,
                                    radx_case_result *result);

/* The same with `params` already resolved for the image (no overrides
 * applied). */
radx_status radx_case_compute_class_as(int c, const radx_roi *roi, const radx_params *params,
                                       radx_case_result *result);

void radx_case_add_warning(radx_case_result *result, const char *text);

/* ------------------------------------------------ derived images kept
 * For compute paths other than the CPU one (the OpenCL path, the tile
 * store): the derived images of a case kept as discretised ROIs, their
 * classes computed later, with the CPU path's results, first failure and
 * warnings. */

/* One kept derived image. */
typedef struct radx_kept_image {
    radx_roi_data roi;           /* discretised with its image type's settings */
    int type_index;              /* index into params->image_types */
    int derived_index;           /* its result: result->derived[derived_index] */
    char *failure_warnings;      /* the case's warnings as the CPU path leaves them
                                    when one of this image's classes fails */
} radx_kept_image;

/* Which classes of a kept image are computed while it is made. */
typedef enum radx_keep_classes {
    RADX_KEEP_NO_CLASSES = 0,    /* none (radx pack) */
    RADX_KEEP_HOST_CLASSES       /* those a device does not compute (firstorder) */
} radx_keep_classes;

typedef struct radx_kept_images {
    radx_keep_classes classes;   /* in */
    int count, capacity;
    radx_kept_image *images;     /* [count], in the CPU path's order */
    int ndevice;                 /* images [0, ndevice) still need their device classes:
                                    count, or the index of an image whose host class failed */
} radx_kept_images;

void radx_kept_images_init(radx_kept_images *kept, radx_keep_classes classes);
void radx_kept_images_free(radx_kept_images *kept);

/* Append a derived result named `name` (diagnostics image_is_2d copied from
 * `result`) to result->derived; *index receives its position. */
radx_status radx_case_derived_add(radx_case_result *result, const char *name, int *index);

/* Append a kept image (takes `roi`, and `failure_warnings`, which may be
 * NULL for "", over). */
radx_status radx_kept_images_add(radx_kept_images *kept, radx_roi_data *roi, int type_index,
                                 int derived_index, char *failure_warnings);

/* radx_case_derive keeping every derived image in `kept` with only the
 * classes kept->classes asks for. A failure returns the CPU path's status
 * and message for it (the images before it are in `kept`, their remaining
 * classes may still fail earlier in the CPU path's order:
 * radx_kept_images_compute / radx_kept_images_device_failure). */
radx_status radx_case_derive_keep(const radx_prep_result *prep, const radx_params *params,
                                  struct radx_cl_context *ctx, radx_case_result *result,
                                  radx_kept_images *kept);

/* radx_case_prepare_on with the derived images kept (radx_case_derive_keep). */
radx_status radx_case_prepare_keep(const radx_image *image, const radx_image *mask,
                                   const radx_params *params, struct radx_cl_context *ctx,
                                   radx_roi_data *roi, radx_case_result *result,
                                   radx_kept_images *kept);

/* Compute on the CPU, image after image in order, the classes of the kept
 * images [0, ndevice): every derived class (host_only 0) or those a device
 * does not compute (host_only 1). The first failure is the case's, as the
 * CPU path reports it ("image <name>: class <c>: ..."), with its warnings
 * (failure_warnings); then ndevice becomes that image's index. */
radx_status radx_kept_images_compute(radx_kept_images *kept, const radx_params *params,
                                     int host_only, radx_case_result *result);

/* A kept image of the case failed on the device with `status` and
 * `message` (as radx_cl_extract_batch_derived reports it): make it the
 * case's failure as the CPU path reports it (message "image <name>:
 * <message>" into `out`, warnings restored). */
void radx_kept_image_failed(const radx_kept_images *kept, int i, const char *message,
                            radx_case_result *result, char *out, size_t out_size);

/* One case for radx_kept_images_device. */
typedef struct radx_kept_case {
    radx_kept_images *kept;
    radx_case_result *result;
    radx_status *status;         /* in/out: the case's status so far */
    char *message;               /* in/out: its message */
    size_t message_size;
} radx_kept_case;

/* The device classes of the kept images [0, ndevice) of every case: per
 * image type, in batches of at most `batch_voxels` bounding-box voxels
 * (radx_cl_extract_batch_derived with the type's settings of `params`).
 * A case whose image fails takes the first such failure in image order
 * (it comes before any failure the case had: kept images precede their
 * case's later failures in the CPU path). RADX_ERR_DEVICE only when the
 * device fails. */
radx_status radx_kept_images_device(struct radx_cl_context *ctx, const radx_params *params,
                                    radx_kept_case *cases, int ncases, int64_t batch_voxels);

#endif
