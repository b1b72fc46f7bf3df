/* radx devices: the OpenCL platforms and devices radx sees, with memory,
 * double-precision support and the batch size radx would use; which one
 * `--device auto` takes. With --build, every kernel is built on every usable
 * device (reports build errors with their log). */
#include "cli/commands.h"
#include "radx/cl.h"
#include "radx/radx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: radx devices [--build]\n\n"
               "Lists OpenCL platforms and devices: type, memory, double precision (fp64,\n"
               "required), the batch radx plans (bounding-box voxels per batch) and the device\n"
               "'radx extract --device auto' uses. --build also compiles radx's kernels on each\n"
               "usable device. RADX_CL_DISABLE=1 hides every device.\n");
}

static double gib(uint64_t bytes) { return (double)bytes / (1024.0 * 1024.0 * 1024.0); }

static void print_device(const radx_cl_device_info *d, int is_best)
{
    printf("  device %d:%d  %s  [%s]%s%s\n", d->platform_index, d->device_index, d->name,
           radx_cl_device_type_name(d->type), d->usable ? "" : "  (not usable)",
           is_best ? "  <- auto" : "");
    printf("    vendor: %s; %s; driver %s\n", d->vendor, d->version, d->driver_version);
    printf("    memory: %.2f GiB global, %.2f GiB largest buffer; %d compute units at %d MHz\n",
           gib(d->global_memory), gib(d->max_allocation), d->compute_units, d->clock_mhz);
    printf("    fp64: %s; batch: %lld voxels (%.2f GiB)\n",
           d->fp64 ? "yes" : "no (NGTDM, the LoG/wavelet filters and the feature reduction run on the host)",
           (long long)d->batch_voxels, gib(d->batch_bytes));
}

static int build_on(const radx_cl_device_info *d)
{
    radx_cl_context *ctx = NULL;
    radx_status st = radx_cl_context_create(d->platform_index, d->device_index, &ctx);
    if (st == RADX_OK) st = radx_cl_context_build(ctx);
    radx_cl_context_free(ctx);
    if (st == RADX_OK) {
        printf("    kernels: built\n");
        return 0;
    }
    printf("    kernels: FAILED: %s\n", radx_last_error());
    return 1;
}

int radx_cmd_devices(int argc, char **argv)
{
    int build = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--build") == 0) {
            build = 1;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "radx devices: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    radx_cl_device_info *devices = NULL;
    int count = 0;
    if (radx_cl_devices(&devices, &count) != RADX_OK) {
        fprintf(stderr, "radx devices: %s\n", radx_last_error());
        return 1;
    }
    int best = radx_cl_best_device(devices, count), failures = 0;
    if (count == 0) printf("no OpenCL device found; radx uses the CPU path\n");
    for (int i = 0; i < count; i++) {
        if (i == 0 || devices[i].platform_index != devices[i - 1].platform_index)
            printf("platform %d: %s (%s)\n", devices[i].platform_index, devices[i].platform_name,
                   devices[i].platform_version);
        print_device(&devices[i], i == best);
        if (build && devices[i].usable) failures += build_on(&devices[i]);
    }
    if (count > 0 && best < 0) printf("no usable device: --device auto uses the CPU path\n");
    free(devices);
    return failures ? 1 : 0;
}
