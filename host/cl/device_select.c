/* --device auto|cpu|opencl[:P:D]: parsing and the decision, with the one
 * warning `auto` gives when it falls back to the CPU path. */
#include "cl/runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

radx_status radx_device_parse(const char *text, radx_device_request *request)
{
    request->kind = RADX_DEVICE_AUTO;
    request->platform_index = request->device_index = -1;
    if (!text) return radx_fail(RADX_ERR_PARAM, "--device: missing value");
    if (strcmp(text, "auto") == 0) return RADX_OK;
    if (strcmp(text, "cpu") == 0) {
        request->kind = RADX_DEVICE_CPU;
        return RADX_OK;
    }
    if (strcmp(text, "opencl") == 0) {
        request->kind = RADX_DEVICE_OPENCL;
        return RADX_OK;
    }
    int p, d, used = 0;
    if (sscanf(text, "opencl:%d:%d%n", &p, &d, &used) == 2 && text[used] == '\0' && p >= 0 && d >= 0) {
        request->kind = RADX_DEVICE_OPENCL;
        request->platform_index = p;
        request->device_index = d;
        return RADX_OK;
    }
    return radx_fail(RADX_ERR_PARAM, "--device '%s': expected auto, cpu, opencl or opencl:P:D "
                     "(platform and device numbers as 'radx devices' lists them)", text);
}

static void describe(const radx_cl_device_info *info, char *out, size_t size)
{
    snprintf(out, size, "OpenCL %d:%d %.100s (%.100s)", info->platform_index, info->device_index,
             info->name, info->platform_name);
}

/* The device a request names, or RADX_ERR_DEVICE saying why there is none
 * that radx can use. */
static radx_status pick_device(const radx_device_request *request, radx_cl_device_info *chosen)
{
    radx_cl_device_info *devices;
    int count;
    radx_status st = radx_cl_devices(&devices, &count);
    if (st != RADX_OK) return st;
    int index = -1;
    if (request->platform_index < 0) {
        index = radx_cl_best_device(devices, count);
        if (index < 0 && count == 0)
            st = radx_fail(RADX_ERR_DEVICE, "no OpenCL device found%s",
                           radx_cl_disabled() ? " (RADX_CL_DISABLE is set)" : "");
        else if (index < 0)
            st = radx_fail(RADX_ERR_DEVICE, "none of the %d OpenCL devices is usable (radx needs an "
                           "available OpenCL 1.2 device with a compiler; see 'radx devices')", count);
    } else {
        for (int i = 0; i < count; i++)
            if (devices[i].platform_index == request->platform_index &&
                devices[i].device_index == request->device_index)
                index = i;
        if (index < 0)
            st = radx_fail(RADX_ERR_DEVICE, "no OpenCL device %d:%d (see 'radx devices')",
                           request->platform_index, request->device_index);
        else if (!devices[index].usable)
            st = radx_fail(RADX_ERR_DEVICE, "OpenCL device %d:%d (%s) is not usable: unavailable, "
                           "no compiler or below OpenCL 1.2", request->platform_index,
                           request->device_index, devices[index].name);
    }
    if (st == RADX_OK) *chosen = devices[index];
    free(devices);
    return st;
}

/* A context on the device with every program built. */
static radx_status open_device(const radx_cl_device_info *info, radx_cl_context **context)
{
    radx_status st = radx_cl_context_create(info->platform_index, info->device_index, context);
    if (st == RADX_OK) st = radx_cl_context_build(*context);
    if (st != RADX_OK) {
        radx_cl_context_free(*context);
        *context = NULL;
    }
    return st;
}

radx_status radx_device_choose(const radx_device_request *request, radx_device_choice *choice)
{
    memset(choice, 0, sizeof *choice);
    snprintf(choice->description, sizeof choice->description, "CPU");
    if (request->kind == RADX_DEVICE_CPU) return RADX_OK;
    radx_cl_device_info info;
    radx_status st = pick_device(request, &info);
    if (st == RADX_OK) st = open_device(&info, &choice->context);
    if (st == RADX_OK) {
        describe(&info, choice->description, sizeof choice->description);
        return RADX_OK;
    }
    if (request->kind == RADX_DEVICE_OPENCL) return st;
    /* auto: the CPU path, with the reason */
    snprintf(choice->warning, sizeof choice->warning,
             "--device auto: using the CPU path: %.1450s", radx_last_error());
    radx_clear_error();
    return RADX_OK;
}

void radx_device_choice_release(radx_device_choice *choice)
{
    radx_cl_context_free(choice->context);
    choice->context = NULL;
}
