/* OpenCL context, command queue and kernel programs (built once per
 * context, on first use, and kept), plus the buffer and launch helpers the
 * family dispatchers use. */
#include "cl/runtime.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl/kernel_source.h"
#include "core/error.h"

static const char *const program_files[RADX_CL_NPROGRAMS] = {
    [RADX_CL_PROGRAM_HISTOGRAM] = "histogram.cl", [RADX_CL_PROGRAM_GLCM] = "glcm.cl",
    [RADX_CL_PROGRAM_GLRLM] = "glrlm.cl",         [RADX_CL_PROGRAM_GLSZM] = "glszm.cl",
    [RADX_CL_PROGRAM_GLDM] = "gldm.cl",           [RADX_CL_PROGRAM_NGTDM] = "ngtdm.cl",
    [RADX_CL_PROGRAM_LOG] = "log.cl",             [RADX_CL_PROGRAM_WAVELET] = "wavelet.cl",
    [RADX_CL_PROGRAM_GLRLM_FEATURES] = "glrlm_features.cl",
    [RADX_CL_PROGRAM_GLDM_FEATURES] = "gldm_features.cl",
    [RADX_CL_PROGRAM_NGTDM_FEATURES] = "ngtdm_features.cl",
    [RADX_CL_PROGRAM_GLSZM_FEATURES] = "glszm_features.cl",
    [RADX_CL_PROGRAM_GLCM_FEATURES] = "glcm_features.cl",
};

/* The first program of the device reductions: built by
 * radx_cl_context_build only when the context reduces on the device. */
enum { FIRST_FEATURES_PROGRAM = RADX_CL_PROGRAM_GLRLM_FEATURES };

/* OpenCL C 1.2, IEEE arithmetic (no -cl-fast-relaxed-math, no -cl-mad-enable):
 * the NGTDM terms must round as the CPU's. */
static const char BUILD_OPTIONS[] = "-cl-std=CL1.2";

const char *radx_cl_program_file(radx_cl_program_id id) { return program_files[id]; }

/* ------------------------------------------------------------ context */

static radx_status find_device(int p, int d, cl_platform_id *platform, cl_device_id *device)
{
    cl_platform_id *platforms;
    cl_uint nplatforms;
    radx_status st = radx_cl_platforms(&platforms, &nplatforms);
    if (st != RADX_OK) return st;
    if (p < 0 || (cl_uint)p >= nplatforms) {
        free(platforms);
        return radx_fail(RADX_ERR_DEVICE, "OpenCL: no platform %d (%u found)", p, nplatforms);
    }
    *platform = platforms[p];
    free(platforms);
    cl_device_id *devices;
    cl_uint ndevices;
    st = radx_cl_platform_devices(*platform, &devices, &ndevices);
    if (st != RADX_OK) return st;
    if (d < 0 || (cl_uint)d >= ndevices) {
        free(devices);
        return radx_fail(RADX_ERR_DEVICE, "OpenCL: platform %d has no device %d (%u found)", p, d,
                         ndevices);
    }
    *device = devices[d];
    free(devices);
    return RADX_OK;
}

radx_status radx_cl_context_create(int p, int d, radx_cl_context **out)
{
    *out = NULL;
    radx_cl_context *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return radx_fail(RADX_ERR_NOMEM, "out of memory for an OpenCL context");
    radx_status st = radx_cl_reduce_from_env(&ctx->reduce);
    if (st == RADX_OK) st = find_device(p, d, &ctx->platform, &ctx->device);
    if (st != RADX_OK) {
        free(ctx);
        return st;
    }
    radx_cl_describe_device(ctx->platform, ctx->device, p, d, &ctx->info);
    cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)ctx->platform, 0};
    cl_int err;
    ctx->context = clCreateContext(props, 1, &ctx->device, NULL, NULL, &err);
    if (err != CL_SUCCESS) {
        free(ctx);
        return radx_cl_fail(err, "clCreateContext");
    }
    ctx->queue = clCreateCommandQueue(ctx->context, ctx->device, 0, &err);
    if (err != CL_SUCCESS) {
        clReleaseContext(ctx->context);
        free(ctx);
        return radx_cl_fail(err, "clCreateCommandQueue");
    }
    *out = ctx;
    return RADX_OK;
}

const radx_cl_device_info *radx_cl_context_device(const radx_cl_context *ctx) { return &ctx->info; }

radx_status radx_cl_reduce_from_env(radx_cl_reduce *reduce)
{
    const char *v = getenv("RADX_CL_REDUCE");
    *reduce = RADX_CL_REDUCE_AUTO;
    if (!v || !v[0] || strcmp(v, "auto") == 0) return RADX_OK;
    if (strcmp(v, "host") == 0) *reduce = RADX_CL_REDUCE_HOST;
    else if (strcmp(v, "device") == 0) *reduce = RADX_CL_REDUCE_DEVICE;
    else return radx_fail(RADX_ERR_PARAM, "RADX_CL_REDUCE: '%.100s' is not host, device or auto", v);
    return RADX_OK;
}

void radx_cl_context_set_reduce(radx_cl_context *ctx, radx_cl_reduce reduce) { ctx->reduce = reduce; }

/* AUTO: on CPU devices the host reduction, which is also bit-identical to
 * the CPU path and measured faster end to end on PoCL (bench/run's two
 * OpenCL rows; docs/ARCHITECTURE.md): the "device" is the same cores, and
 * the device reduction loads five more programs per process. On GPUs and
 * accelerators the device reduction, unmeasured (no GPU was available), by
 * reasoning: only a few dozen doubles per ROI and angle cross the bus
 * instead of the integer matrices, and the host's cores stay free for shape
 * and first-order features. */
int radx_cl_reduce_on_device(const radx_cl_context *ctx)
{
    if (!ctx->info.fp64) return 0; /* the reductions are double precision */
    if (ctx->reduce != RADX_CL_REDUCE_AUTO) return ctx->reduce == RADX_CL_REDUCE_DEVICE;
    return ctx->info.type == RADX_CL_DEVICE_GPU || ctx->info.type == RADX_CL_DEVICE_ACCELERATOR;
}

void radx_cl_context_free(radx_cl_context *ctx)
{
    if (!ctx) return;
    for (int i = 0; i < RADX_CL_NPROGRAMS; i++)
        if (ctx->programs[i]) clReleaseProgram(ctx->programs[i]);
    if (ctx->queue) clReleaseCommandQueue(ctx->queue);
    if (ctx->context) clReleaseContext(ctx->context);
    free(ctx);
}

/* ------------------------------------------------------------ programs */

/* RADX_ERR_DEVICE naming the file, its origin, the device, the OpenCL error
 * and as much of the build log as the message holds. */
static radx_status build_failure(radx_cl_context *ctx, cl_program program, cl_int err,
                                 const char *file, const char *origin)
{
    char log[1400] = "";
    size_t size = 0;
    if (clGetProgramBuildInfo(program, ctx->device, CL_PROGRAM_BUILD_LOG, 0, NULL, &size) ==
        CL_SUCCESS && size > 0) {
        char *full = malloc(size + 1);
        if (full && clGetProgramBuildInfo(program, ctx->device, CL_PROGRAM_BUILD_LOG, size, full,
                                          NULL) == CL_SUCCESS) {
            full[size] = '\0';
            snprintf(log, sizeof log, "%s", full);
        }
        free(full);
    }
    return radx_fail(RADX_ERR_DEVICE, "OpenCL: kernel %s (%s) failed to build on %s: %s (%d); "
                     "build log:\n%s", file, origin, ctx->info.name, radx_cl_error_name(err),
                     (int)err, log[0] ? log : "(empty)");
}

/* The feature reductions (kernels/<family>_features.cl) share the helpers of
 * kernels/features_common.cl, put before them. */
static int is_features_program(const char *file)
{
    size_t n = strlen(file), suffix = strlen("_features.cl");
    return n > suffix && strcmp(file + n - suffix, "_features.cl") == 0;
}

/* common.h (and features_common.cl for a feature reduction), then the
 * family's source with its own line numbers. */
static radx_status build_program(radx_cl_context *ctx, radx_cl_program_id id)
{
    const char *file = program_files[id];
    char *common = NULL, *features = NULL, *body = NULL;
    char common_origin[4200], origin[4200];
    radx_status st = radx_cl_kernel_source("common.h", &common, common_origin, sizeof common_origin);
    if (st == RADX_OK && is_features_program(file))
        st = radx_cl_kernel_source("features_common.cl", &features, common_origin, sizeof common_origin);
    if (st == RADX_OK) st = radx_cl_kernel_source(file, &body, origin, sizeof origin);
    if (st != RADX_OK) {
        free(common);
        free(features);
        return st;
    }
    const char *parts[] = {common, "\n", features ? features : "", "\n#line 1\n", body};
    cl_int err;
    cl_program program = clCreateProgramWithSource(ctx->context, 5, parts, NULL, &err);
    free(common);
    free(features);
    free(body);
    if (err != CL_SUCCESS) return radx_cl_fail(err, "clCreateProgramWithSource");
    err = clBuildProgram(program, 1, &ctx->device, BUILD_OPTIONS, NULL, NULL);
    if (err != CL_SUCCESS) {
        st = build_failure(ctx, program, err, file, origin);
        clReleaseProgram(program);
        return st;
    }
    ctx->programs[id] = program;
    return RADX_OK;
}

int radx_cl_needs_fp64(radx_cl_program_id id)
{
    return id == RADX_CL_PROGRAM_NGTDM || id == RADX_CL_PROGRAM_LOG || id == RADX_CL_PROGRAM_WAVELET ||
           (int)id >= (int)FIRST_FEATURES_PROGRAM;
}

radx_status radx_cl_program(radx_cl_context *ctx, radx_cl_program_id id, cl_program *out)
{
    if (radx_cl_needs_fp64(id) && !ctx->info.fp64)
        return radx_fail(RADX_ERR_DEVICE, "OpenCL device %s has no double precision (cl_khr_fp64), "
                         "which kernels/%s needs", ctx->info.name, program_files[id]);
    if (!ctx->programs[id]) {
        radx_status st = build_program(ctx, id);
        if (st != RADX_OK) return st;
    }
    *out = ctx->programs[id];
    return RADX_OK;
}

radx_status radx_cl_context_build(radx_cl_context *ctx)
{
    int last = radx_cl_reduce_on_device(ctx) ? RADX_CL_NPROGRAMS : FIRST_FEATURES_PROGRAM;
    for (int id = 0; id < last; id++) {
        if (radx_cl_needs_fp64((radx_cl_program_id)id) && !ctx->info.fp64) continue;
        cl_program program;
        radx_status st = radx_cl_program(ctx, (radx_cl_program_id)id, &program);
        if (st != RADX_OK) return st;
    }
    return RADX_OK;
}

radx_status radx_cl_kernel(radx_cl_context *ctx, radx_cl_program_id id, const char *name,
                           cl_kernel *out)
{
    cl_program program;
    radx_status st = radx_cl_program(ctx, id, &program);
    if (st != RADX_OK) return st;
    cl_int err;
    *out = clCreateKernel(program, name, &err);
    if (err != CL_SUCCESS) {
        char what[160];
        snprintf(what, sizeof what, "clCreateKernel(%s)", name);
        return radx_cl_fail(err, what);
    }
    return RADX_OK;
}

/* -------------------------------------------------------------- launches */

radx_status radx_cl_set_args(cl_kernel kernel, const char *name, int count, ...)
{
    va_list args;
    va_start(args, count);
    cl_int err = CL_SUCCESS;
    int i;
    for (i = 0; i < count && err == CL_SUCCESS; i++) {
        size_t size = va_arg(args, size_t);
        const void *value = va_arg(args, const void *);
        err = clSetKernelArg(kernel, (cl_uint)i, size, value);
    }
    va_end(args);
    if (err == CL_SUCCESS) return RADX_OK;
    char what[160];
    snprintf(what, sizeof what, "clSetKernelArg(%s, %d)", name, i - 1);
    return radx_cl_fail(err, what);
}

/* Work-group size of every launch. Fixed, so that implementations which
 * compile a kernel per work-group size (PoCL does, and caches each) compile
 * it once: with the size left to the implementation, every distinct global
 * size can cost a compilation. 64 is a multiple of NVIDIA's warp (32) and
 * AMD's wavefront (64). Kernels ignore the work-items past `total`. */
enum { LOCAL_SIZE = 64 };

static size_t local_size(radx_cl_context *ctx, cl_kernel kernel)
{
    size_t most = 0;
    if (clGetKernelWorkGroupInfo(kernel, ctx->device, CL_KERNEL_WORK_GROUP_SIZE, sizeof most, &most,
                                 NULL) != CL_SUCCESS || most == 0)
        return 1;
    size_t local = LOCAL_SIZE;
    while (local > most) local /= 2;
    return local;
}

radx_status radx_cl_enqueue(radx_cl_context *ctx, cl_kernel kernel, const char *name, size_t work)
{
    if (work == 0) return RADX_OK;
    size_t local = local_size(ctx, kernel);
    size_t global = (work + local - 1) / local * local;
    cl_int err = clEnqueueNDRangeKernel(ctx->queue, kernel, 1, NULL, &global, &local, 0, NULL, NULL);
    if (err == CL_SUCCESS) return RADX_OK;
    char what[160];
    snprintf(what, sizeof what, "clEnqueueNDRangeKernel(%s, %zu work-items)", name, work);
    return radx_cl_fail(err, what);
}

radx_status radx_cl_buffer(radx_cl_context *ctx, size_t bytes, const void *host, cl_mem *out)
{
    cl_int err;
    cl_mem_flags flags = CL_MEM_READ_WRITE | (host ? CL_MEM_COPY_HOST_PTR : 0);
    *out = clCreateBuffer(ctx->context, flags, bytes ? bytes : 1, host ? (void *)host : NULL, &err);
    if (err == CL_SUCCESS) return RADX_OK;
    *out = NULL;
    char what[96];
    snprintf(what, sizeof what, "clCreateBuffer(%zu bytes)", bytes);
    return radx_cl_fail(err, what);
}

radx_status radx_cl_zero(radx_cl_context *ctx, cl_mem buffer, size_t bytes)
{
    if (bytes == 0) return RADX_OK;
    const cl_uchar zero = 0;
    cl_int err = clEnqueueFillBuffer(ctx->queue, buffer, &zero, 1, 0, bytes, 0, NULL, NULL);
    return err == CL_SUCCESS ? RADX_OK : radx_cl_fail(err, "clEnqueueFillBuffer");
}

radx_status radx_cl_read(radx_cl_context *ctx, cl_mem buffer, size_t bytes, void *host)
{
    if (bytes == 0) return RADX_OK;
    cl_int err = clEnqueueReadBuffer(ctx->queue, buffer, CL_TRUE, 0, bytes, host, 0, NULL, NULL);
    return err == CL_SUCCESS ? RADX_OK : radx_cl_fail(err, "clEnqueueReadBuffer");
}

void radx_cl_release(cl_mem buffer)
{
    if (buffer) clReleaseMemObject(buffer);
}

size_t radx_cl_output_budget(const radx_cl_context *ctx)
{
    uint64_t budget = ctx->info.global_memory / 4;
    if (ctx->info.max_allocation < budget) budget = ctx->info.max_allocation;
    uint64_t limit = radx_cl_memory_limit();
    if (limit && limit < budget) budget = limit;
    uint64_t cap = (uint64_t)INT_MAX; /* 32-bit cell indices in the kernels, 1-byte cells at worst */
    if (budget > cap) budget = cap;
    return (size_t)budget;
}
