/* OpenCL platforms and devices: what radx_cl_devices() reports and the
 * `auto` rule of radx_cl_best_device(). */
#include "cl/runtime.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* Bytes one bounding-box voxel takes on the device during a batch: its
 * grey level (ushort) kept for the whole batch, plus the largest per-voxel
 * scratch of a launch (GLSZM parent + zone size, 2 x uint; NGTDM term,
 * double). Matrices are budgeted per launch (radx_cl_output_budget). */
enum { BYTES_PER_VOXEL = 2 + 8 + 8 };

int radx_cl_disabled(void)
{
    const char *v = getenv("RADX_CL_DISABLE");
    return v && v[0] && strcmp(v, "0") != 0;
}

int radx_cl_assume_no_fp64(void)
{
    const char *v = getenv("RADX_CL_ASSUME_NO_FP64");
    return v && v[0] && strcmp(v, "0") != 0;
}

static void platform_string(cl_platform_id p, cl_platform_info what, char *out, size_t size)
{
    out[0] = '\0';
    if (clGetPlatformInfo(p, what, size, out, NULL) != CL_SUCCESS) out[0] = '\0';
    out[size - 1] = '\0';
}

static void device_string(cl_device_id d, cl_device_info what, char *out, size_t size)
{
    out[0] = '\0';
    if (clGetDeviceInfo(d, what, size, out, NULL) != CL_SUCCESS) out[0] = '\0';
    out[size - 1] = '\0';
}

static uint64_t device_ulong(cl_device_id d, cl_device_info what)
{
    cl_ulong v = 0;
    clGetDeviceInfo(d, what, sizeof v, &v, NULL);
    return v;
}

static unsigned device_uint(cl_device_id d, cl_device_info what)
{
    cl_uint v = 0;
    clGetDeviceInfo(d, what, sizeof v, &v, NULL);
    return v;
}

/* OpenCL version "OpenCL M.m ..." as 10 * M + m (0 if unreadable). */
static int opencl_version(const char *text)
{
    int major = 0, minor = 0;
    if (sscanf(text, "OpenCL %d.%d", &major, &minor) != 2) return 0;
    return 10 * major + minor;
}

/* Double precision: cl_khr_fp64 in the extension list, or a non-zero
 * CL_DEVICE_DOUBLE_FP_CONFIG (OpenCL 1.2 reports fp64 there). */
static int device_fp64(cl_device_id d)
{
    cl_device_fp_config config = 0;
    if (clGetDeviceInfo(d, CL_DEVICE_DOUBLE_FP_CONFIG, sizeof config, &config, NULL) == CL_SUCCESS &&
        config != 0)
        return 1;
    size_t size = 0;
    if (clGetDeviceInfo(d, CL_DEVICE_EXTENSIONS, 0, NULL, &size) != CL_SUCCESS || size == 0) return 0;
    char *ext = malloc(size + 1);
    if (!ext) return 0;
    int found = clGetDeviceInfo(d, CL_DEVICE_EXTENSIONS, size, ext, NULL) == CL_SUCCESS &&
                (ext[size] = '\0', strstr(ext, "cl_khr_fp64") != NULL);
    free(ext);
    return found;
}

static radx_cl_device_type device_type(cl_device_id d)
{
    cl_device_type t = 0;
    clGetDeviceInfo(d, CL_DEVICE_TYPE, sizeof t, &t, NULL);
    if (t & CL_DEVICE_TYPE_GPU) return RADX_CL_DEVICE_GPU;
    if (t & CL_DEVICE_TYPE_ACCELERATOR) return RADX_CL_DEVICE_ACCELERATOR;
    if (t & CL_DEVICE_TYPE_CPU) return RADX_CL_DEVICE_CPU;
    return RADX_CL_DEVICE_OTHER;
}

uint64_t radx_cl_memory_limit(void)
{
    const char *v = getenv("RADX_CL_MEMORY_LIMIT");
    if (!v || !v[0]) return 0;
    char *end = NULL;
    unsigned long long bytes = strtoull(v, &end, 10);
    return end && *end == '\0' ? (uint64_t)bytes : 0;
}

/* Batch plan: a quarter of global memory (or RADX_CL_MEMORY_LIMIT), per-voxel cost BYTES_PER_VOXEL,
 * and no launch above 2^30 work-items (32-bit work indices with room). */
static void plan_batch(radx_cl_device_info *info)
{
    info->batch_bytes = info->global_memory / 4;
    uint64_t limit = radx_cl_memory_limit();
    if (limit && limit < info->batch_bytes) info->batch_bytes = limit;
    uint64_t voxels = info->batch_bytes / BYTES_PER_VOXEL;
    if (voxels < 1) voxels = 1;
    uint64_t by_alloc = info->max_allocation / 8; /* the largest per-voxel buffer: 8 bytes */
    if (voxels > by_alloc) voxels = by_alloc;
    if (voxels > (1u << 30)) voxels = 1u << 30;
    info->batch_voxels = (int64_t)voxels;
}

void radx_cl_describe_device(cl_platform_id platform, cl_device_id device, int p, int d,
                             radx_cl_device_info *info)
{
    memset(info, 0, sizeof *info);
    info->platform_index = p;
    info->device_index = d;
    platform_string(platform, CL_PLATFORM_NAME, info->platform_name, sizeof info->platform_name);
    platform_string(platform, CL_PLATFORM_VERSION, info->platform_version, sizeof info->platform_version);
    device_string(device, CL_DEVICE_NAME, info->name, sizeof info->name);
    device_string(device, CL_DEVICE_VENDOR, info->vendor, sizeof info->vendor);
    device_string(device, CL_DEVICE_VERSION, info->version, sizeof info->version);
    device_string(device, CL_DRIVER_VERSION, info->driver_version, sizeof info->driver_version);
    info->type = device_type(device);
    info->global_memory = device_ulong(device, CL_DEVICE_GLOBAL_MEM_SIZE);
    info->max_allocation = device_ulong(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
    info->compute_units = (int)device_uint(device, CL_DEVICE_MAX_COMPUTE_UNITS);
    info->clock_mhz = (int)device_uint(device, CL_DEVICE_MAX_CLOCK_FREQUENCY);
    info->fp64 = device_fp64(device) && !radx_cl_assume_no_fp64();
    cl_bool available = CL_FALSE, compiler = CL_FALSE;
    clGetDeviceInfo(device, CL_DEVICE_AVAILABLE, sizeof available, &available, NULL);
    clGetDeviceInfo(device, CL_DEVICE_COMPILER_AVAILABLE, sizeof compiler, &compiler, NULL);
    /* fp64 is not required: the integer matrix kernels need none, and without
     * it the double-precision work stays on the host (radx_cl_needs_fp64) */
    info->usable = available && compiler && opencl_version(info->version) >= 12;
    plan_batch(info);
}

radx_status radx_cl_platforms(cl_platform_id **platforms, cl_uint *count)
{
    *platforms = NULL;
    *count = 0;
    if (radx_cl_disabled()) return RADX_OK;
    cl_uint n = 0;
    cl_int err = clGetPlatformIDs(0, NULL, &n);
    if (err == -1001 /* CL_PLATFORM_NOT_FOUND_KHR */ || n == 0) return RADX_OK;
    if (err != CL_SUCCESS) return radx_cl_fail(err, "clGetPlatformIDs");
    *platforms = malloc(n * sizeof **platforms);
    if (!*platforms) return radx_fail(RADX_ERR_NOMEM, "out of memory listing OpenCL platforms");
    err = clGetPlatformIDs(n, *platforms, NULL);
    if (err != CL_SUCCESS) {
        free(*platforms);
        *platforms = NULL;
        return radx_cl_fail(err, "clGetPlatformIDs");
    }
    *count = n;
    return RADX_OK;
}

radx_status radx_cl_platform_devices(cl_platform_id platform, cl_device_id **devices, cl_uint *count)
{
    *devices = NULL;
    *count = 0;
    cl_uint n = 0;
    cl_int err = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, NULL, &n);
    if (err == CL_DEVICE_NOT_FOUND || n == 0) return RADX_OK;
    if (err != CL_SUCCESS) return radx_cl_fail(err, "clGetDeviceIDs");
    *devices = malloc(n * sizeof **devices);
    if (!*devices) return radx_fail(RADX_ERR_NOMEM, "out of memory listing OpenCL devices");
    err = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, n, *devices, NULL);
    if (err != CL_SUCCESS) {
        free(*devices);
        *devices = NULL;
        return radx_cl_fail(err, "clGetDeviceIDs");
    }
    *count = n;
    return RADX_OK;
}

radx_status radx_cl_devices(radx_cl_device_info **out, int *count)
{
    *out = NULL;
    *count = 0;
    cl_platform_id *platforms;
    cl_uint nplatforms;
    radx_status st = radx_cl_platforms(&platforms, &nplatforms);
    if (st != RADX_OK) return st;
    radx_cl_device_info *list = NULL;
    int n = 0;
    for (cl_uint p = 0; p < nplatforms && st == RADX_OK; p++) {
        cl_device_id *devices;
        cl_uint ndevices;
        st = radx_cl_platform_devices(platforms[p], &devices, &ndevices);
        if (st != RADX_OK || ndevices == 0) continue;
        radx_cl_device_info *bigger = realloc(list, (size_t)(n + (int)ndevices) * sizeof *list);
        if (!bigger) st = radx_fail(RADX_ERR_NOMEM, "out of memory listing OpenCL devices");
        else list = bigger;
        for (cl_uint d = 0; d < ndevices && st == RADX_OK; d++)
            radx_cl_describe_device(platforms[p], devices[d], (int)p, (int)d, &list[n++]);
        free(devices);
    }
    free(platforms);
    if (st != RADX_OK) {
        free(list);
        return st;
    }
    *out = list;
    *count = n;
    return RADX_OK;
}

const char *radx_cl_device_type_name(radx_cl_device_type type)
{
    switch (type) {
    case RADX_CL_DEVICE_GPU: return "GPU";
    case RADX_CL_DEVICE_CPU: return "CPU";
    case RADX_CL_DEVICE_ACCELERATOR: return "accelerator";
    default: return "other";
    }
}

/* Preference of a device type for `auto`: GPU > accelerator > CPU > other. */
static int type_rank(radx_cl_device_type type)
{
    switch (type) {
    case RADX_CL_DEVICE_GPU: return 3;
    case RADX_CL_DEVICE_ACCELERATOR: return 2;
    case RADX_CL_DEVICE_CPU: return 1;
    default: return 0;
    }
}

/* 1 if a is preferred to b (see radx_cl_best_device); the list order breaks
 * ties, so equal devices keep the lowest index. */
static int better(const radx_cl_device_info *a, const radx_cl_device_info *b)
{
    if (type_rank(a->type) != type_rank(b->type)) return type_rank(a->type) > type_rank(b->type);
    uint64_t pa = (uint64_t)a->compute_units * (uint64_t)a->clock_mhz;
    uint64_t pb = (uint64_t)b->compute_units * (uint64_t)b->clock_mhz;
    if (pa != pb) return pa > pb;
    return a->global_memory > b->global_memory;
}

int radx_cl_best_device(const radx_cl_device_info *devices, int count)
{
    int best = -1;
    for (int i = 0; i < count; i++)
        if (devices[i].usable && (best < 0 || better(&devices[i], &devices[best]))) best = i;
    return best;
}
