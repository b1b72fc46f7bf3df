/* OpenCL runtime internals: the context, kernel programs built once per
 * context, buffers and launches. Public side: include/radx/cl.h. */
#ifndef RADX_CL_RUNTIME_H
#define RADX_CL_RUNTIME_H

#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <stddef.h>

#include "radx/cl.h"

/* One program per kernel source file (kernels/<name>.cl), each built with
 * kernels/common.h in front. */
typedef enum radx_cl_program_id {
    RADX_CL_PROGRAM_HISTOGRAM = 0,
    RADX_CL_PROGRAM_GLCM,
    RADX_CL_PROGRAM_GLRLM,
    RADX_CL_PROGRAM_GLSZM,
    RADX_CL_PROGRAM_GLDM,
    RADX_CL_PROGRAM_NGTDM,
    RADX_CL_PROGRAM_LOG,
    RADX_CL_PROGRAM_WAVELET,
    RADX_CL_PROGRAM_GLRLM_FEATURES,  /* device reductions (radx_cl_reduce) */
    RADX_CL_PROGRAM_GLDM_FEATURES,
    RADX_CL_PROGRAM_NGTDM_FEATURES,
    RADX_CL_PROGRAM_GLSZM_FEATURES,
    RADX_CL_PROGRAM_GLCM_FEATURES,
    RADX_CL_NPROGRAMS
} radx_cl_program_id;

struct radx_cl_context {
    cl_platform_id platform;
    cl_device_id device;
    cl_context context;
    cl_command_queue queue;
    radx_cl_device_info info;
    cl_program programs[RADX_CL_NPROGRAMS]; /* NULL until built */
    radx_cl_reduce reduce;           /* radx_cl_context_set_reduce / RADX_CL_REDUCE */
};

/* 1 when the features of a context are reduced on the device: DEVICE, or
 * AUTO on a GPU or accelerator (see radx_cl_context_set_reduce). */
int radx_cl_reduce_on_device(const radx_cl_context *ctx);

/* The reduction RADX_CL_REDUCE names ("host", "device", "auto" or unset:
 * AUTO); another value fails with RADX_ERR_PARAM naming it. */
radx_status radx_cl_reduce_from_env(radx_cl_reduce *reduce);

/* 1 when RADX_CL_DISABLE is set to anything but "" or "0". */
int radx_cl_disabled(void);

/* 1 when RADX_CL_ASSUME_NO_FP64 is set to anything but "" or "0": devices
 * report no double precision (testing the path of devices without it). */
int radx_cl_assume_no_fp64(void);

/* 1 for a program that needs double precision (cl_khr_fp64): NGTDM's sums,
 * the LoG and wavelet filters and every feature reduction. On a device
 * without it they are not built; their work runs on the host instead (the
 * NGTDM class on the CPU, the CPU filters, the host reduction), so results
 * stay those of the CPU path, bit for bit: no single-precision path. */
int radx_cl_needs_fp64(radx_cl_program_id id);

/* RADX_CL_MEMORY_LIMIT in bytes (0 when unset): caps the memory a batch
 * and a launch's output are planned with (testing and tuning). */
uint64_t radx_cl_memory_limit(void);

/* The platforms (none when RADX_CL_DISABLE is set or the ICD loader finds
 * none); free *platforms with free(). */
radx_status radx_cl_platforms(cl_platform_id **platforms, cl_uint *count);

/* The devices of one platform (none is not an error); free with free(). */
radx_status radx_cl_platform_devices(cl_platform_id platform, cl_device_id **devices,
                                     cl_uint *count);

/* Fill `info` for device d of platform p. */
void radx_cl_describe_device(cl_platform_id platform, cl_device_id device, int p, int d,
                             radx_cl_device_info *info);

/* "CL_OUT_OF_RESOURCES" etc., "CL_UNKNOWN_ERROR" for codes not listed. */
const char *radx_cl_error_name(cl_int error);

/* RADX_ERR_DEVICE with "OpenCL: <what>: <error name> (<code>)". */
radx_status radx_cl_fail(cl_int error, const char *what);

/* Source file of a program ("glcm.cl"). */
const char *radx_cl_program_file(radx_cl_program_id id);

/* The built program (built now if not yet). */
radx_status radx_cl_program(radx_cl_context *ctx, radx_cl_program_id id, cl_program *out);

/* A kernel of a program; release with clReleaseKernel. */
radx_status radx_cl_kernel(radx_cl_context *ctx, radx_cl_program_id id, const char *name,
                           cl_kernel *out);

/* Set kernel arguments: pairs of (size, pointer), `count` of them. */
radx_status radx_cl_set_args(cl_kernel kernel, const char *name, int count, ...);

/* Run `kernel` over `work` work-items (1D, rounded up to whole work-groups
 * of a fixed size; kernels ignore the extra items); returns at once (the
 * queue is in order). */
radx_status radx_cl_enqueue(radx_cl_context *ctx, cl_kernel kernel, const char *name, size_t work);

/* A device buffer of `bytes` (at least 1), initialised from `host` when not
 * NULL. */
radx_status radx_cl_buffer(radx_cl_context *ctx, size_t bytes, const void *host, cl_mem *out);

/* Fill a buffer with zero bytes. */
radx_status radx_cl_zero(radx_cl_context *ctx, cl_mem buffer, size_t bytes);

/* Blocking read of `bytes` from offset 0. */
radx_status radx_cl_read(radx_cl_context *ctx, cl_mem buffer, size_t bytes, void *host);

/* Release a buffer if not NULL. */
void radx_cl_release(cl_mem buffer);

/* Device memory one launch may use for its output: the smaller of the
 * largest allocation, a quarter of global memory and RADX_CL_MEMORY_LIMIT,
 * capped so that cell indices fit a 32-bit int. */
size_t radx_cl_output_budget(const radx_cl_context *ctx);

#endif
