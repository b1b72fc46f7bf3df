/* radx — the OpenCL compute path: devices, device choice and batched
 * extraction of the texture classes.
 *
 * The CPU path (radx/extract.h) is the reference. The OpenCL path builds the
 * integer texture matrices (GLCM, GLRLM, GLSZM, GLDM, NGTDM) and the grey-
 * level histogram of many ROIs at once on an OpenCL 1.2 device, identical to
 * the CPU builders, and computes the features from them on the host with the
 * CPU feature functions, so every feature equals the CPU path's (or, with
 * radx_cl_context_set_reduce DEVICE, reduces them to the features on the
 * device, within 1e-9 relative of the CPU path).
 *
 * Environment:
 *   RADX_CL_DISABLE=1     behave as if no OpenCL platform existed.
 *   RADX_KERNEL_DIR=DIR   read the kernel sources from DIR (common.h and
 *                         <family>.cl) instead of the copies embedded in the
 *                         library at build time (kernel development).
 *   RADX_CL_MEMORY_LIMIT=B cap, in bytes, the device memory a batch and a
 *                         launch's output are planned with (tuning, tests).
 *   RADX_CL_REDUCE=host|device|auto  where the texture features are reduced
 *                         from the matrices (radx_cl_context_set_reduce), read
 *                         at context creation (unset: auto; another value:
 *                         the context is not created, RADX_ERR_PARAM).
 *
 * Threads: a radx_cl_context is used by one thread at a time. */
#ifndef RADX_CL_H
#define RADX_CL_H

#include <stdint.h>
#include "radx/status.h"
#include "radx/features.h"
#include "radx/params.h"
#include "radx/extract.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ----------------------------------------------------------- devices */

typedef enum radx_cl_device_type {
    RADX_CL_DEVICE_OTHER = 0,
    RADX_CL_DEVICE_CPU,
    RADX_CL_DEVICE_ACCELERATOR,
    RADX_CL_DEVICE_GPU
} radx_cl_device_type;

/* One OpenCL device as radx sees it. */
typedef struct radx_cl_device_info {
    int platform_index;          /* P of --device opencl:P:D */
    int device_index;            /* D */
    char platform_name[128];
    char platform_version[128];
    char name[128];
    char vendor[128];
    char version[128];           /* device OpenCL version */
    char driver_version[128];
    radx_cl_device_type type;
    uint64_t global_memory;      /* bytes */
    uint64_t max_allocation;     /* bytes, largest single buffer */
    int compute_units;
    int clock_mhz;
    int fp64;                    /* double precision (cl_khr_fp64 or OpenCL >= 1.2 double config);
                                    without it NGTDM, LoG/wavelet and the feature reduction run on
                                    the host (RADX_CL_ASSUME_NO_FP64=1 simulates that) */
    int usable;                  /* available, has a compiler, OpenCL >= 1.2 */
    uint64_t batch_bytes;        /* device memory radx plans one batch with */
    int64_t batch_voxels;        /* bounding-box voxels radx puts in one batch */
} radx_cl_device_info;

/* Every device of every platform, in platform then device order (none, and
 * RADX_OK, when no OpenCL platform exists or RADX_CL_DISABLE is set).
 * Free *devices with free(). */
radx_status radx_cl_devices(radx_cl_device_info **devices, int *count);

/* "GPU", "CPU", "accelerator" or "other". */
const char *radx_cl_device_type_name(radx_cl_device_type type);

/* The device `auto` takes, or -1 when none is usable. Rule: among usable
 * devices, GPU before accelerator before CPU; then the most compute units x
 * clock; then the most global memory; then the lowest platform, device
 * index. */
int radx_cl_best_device(const radx_cl_device_info *devices, int count);

/* ----------------------------------------------------------- context */

typedef struct radx_cl_context radx_cl_context;

/* A context and command queue on device D of platform P. Kernel programs
 * are built on first use and kept for the life of the context. */
radx_status radx_cl_context_create(int platform_index, int device_index, radx_cl_context **out);

/* Build every kernel program now (RADX_ERR_DEVICE with the OpenCL error name
 * and the build log when one fails; RADX_ERR_IO when RADX_KERNEL_DIR lacks a
 * file). */
radx_status radx_cl_context_build(radx_cl_context *context);

const radx_cl_device_info *radx_cl_context_device(const radx_cl_context *context);

void radx_cl_context_free(radx_cl_context *context);

/* Where the texture features are reduced from the matrices the device built:
 * HOST reads the integer matrices back and computes the features with the
 * CPU feature functions (bit-identical to the CPU path); DEVICE reduces them
 * to per-angle features on the device in double precision
 * (kernels/<family>_features.cl, the CPU's order of operations: within
 * 1e-9 relative of the CPU path, most values bit-identical) and reads back
 * only those, the host averaging the angles. AUTO: HOST on CPU devices
 * (measured faster there by bench/run's two OpenCL rows), DEVICE on GPUs and
 * accelerators (unmeasured: chosen because only the features cross the
 * bus). ROIs the device does not take keep the CPU path either way. */
typedef enum { RADX_CL_REDUCE_AUTO, RADX_CL_REDUCE_HOST, RADX_CL_REDUCE_DEVICE } radx_cl_reduce;

/* Set the reduction of a context (default: RADX_CL_REDUCE from the
 * environment at creation, else AUTO). */
void radx_cl_context_set_reduce(radx_cl_context *context, radx_cl_reduce reduce);

/* ------------------------------------------------------ device choice */

typedef enum radx_device_kind {
    RADX_DEVICE_AUTO = 0,        /* best OpenCL device, else the CPU path with a warning */
    RADX_DEVICE_CPU,             /* the CPU path */
    RADX_DEVICE_OPENCL           /* an OpenCL device, or an error */
} radx_device_kind;

typedef struct radx_device_request {
    radx_device_kind kind;
    int platform_index;          /* -1: the best device (opencl without :P:D) */
    int device_index;
} radx_device_request;

/* Parse "auto", "cpu", "opencl" or "opencl:P:D" (RADX_ERR_PARAM otherwise). */
radx_status radx_device_parse(const char *text, radx_device_request *request);

/* The outcome: an OpenCL context with its programs built, or the CPU path. */
typedef struct radx_device_choice {
    radx_cl_context *context;    /* NULL: use the CPU path */
    char description[320];       /* "OpenCL 0:0 <device> (<platform>)" or "CPU" */
    char warning[1536];          /* why auto fell back to the CPU, "" otherwise */
} radx_device_choice;

/* Decide where to compute. auto falls back to the CPU (RADX_OK, with one
 * warning in choice->warning) when there is no usable device or when a
 * kernel fails to build; opencl[:P:D] fails
 * with RADX_ERR_DEVICE in those cases instead. cpu always succeeds. */
radx_status radx_device_choose(const radx_device_request *request, radx_device_choice *choice);

/* Free the context of a choice (if any). */
void radx_device_choice_release(radx_device_choice *choice);

/* ------------------------------------------------------- extraction */

/* Whether radx_cl_extract_batch computes class `c` (registry index): the
 * texture classes glcm, gldm, glrlm, glszm, ngtdm. shape, shape2D and
 * firstorder stay with radx_case_compute_class on the CPU. */
int radx_cl_computes_class(int class_index);

/* One prepared case of a batch. */
typedef struct radx_cl_case {
    const radx_roi *roi;         /* discretised ROI (radx_case_prepare) */
    radx_case_result *result;    /* from radx_case_prepare: image_is_2d is read,
                                    texture values and class_done are written */
    radx_status status;          /* out: this case's status */
    char message[1024];          /* out: its error message when status != RADX_OK */
} radx_cl_case;

/* Compute, for every case, every texture class that radx_case_class_wanted
 * selects, with the options of `params` (radx_params_feature_opts, IBSI
 * per-slice aggregation included), into the case's result: values equal to
 * those of radx_case_compute_class (within 1e-9 relative when the context
 * reduces on the device, radx_cl_context_set_reduce). A case that the CPU path would fail
 * fails with the same status (in cases[i].status); the function itself
 * returns RADX_ERR_DEVICE (and leaves the statuses unset) only when the
 * device fails. Results do not depend on how cases are grouped in batches. */
radx_status radx_cl_extract_batch(radx_cl_context *context, const radx_params *params,
                                  radx_cl_case *cases, int ncases);

/* As radx_cl_extract_batch for derived images (filtered image types): the
 * cases' ROIs are derived images discretised with `type_params`, which are
 * already that image type's settings (radx_params_for_image_type), and
 * every enabled texture class is computed (radx_case_derived_class_wanted)
 * into cases[i].result, the derived image's result. */
radx_status radx_cl_extract_batch_derived(radx_cl_context *ctx, const radx_params *type_params,
                                          radx_cl_case *cases, int ncases);

/* One image/mask pair for radx_cl_extract_files. */
typedef struct radx_cl_file_case {
    const char *image;
    const char *mask;
    int label;                   /* mask label of this case */
    double spacing[3];           /* params->image_spacing of this case (0: from the file) */
    int frame;                   /* params->image_frame of this case (0: the first) */
    radx_case_result *result;    /* initialised by the caller (radx_case_result_init) */
    radx_status status;          /* out */
    char message[1024];          /* out: the error message when status != RADX_OK */
} radx_cl_file_case;

/* radx_extract_files() for many cases, the texture classes on the device:
 * cases are read and prepared in parallel (OpenMP) a group at a time, shape
 * and firstorder computed on the CPU, then the group's texture classes by
 * radx_cl_extract_batch in batches that fit the device. Each case's result,
 * status and message equal those of radx_extract_files() with params->label
 * set to the case's label. Returns RADX_ERR_DEVICE only when the device
 * fails. `progress` (may be NULL) is called after each group with the
 * number of cases finished so far. */
radx_status radx_cl_extract_files(radx_cl_context *context, const radx_params *params,
                                  radx_cl_file_case *cases, int ncases,
                                  void (*progress)(void *arg, int done), void *progress_arg);

#ifdef __cplusplus
}
#endif
#endif
