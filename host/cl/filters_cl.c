/* LoG and wavelet image types on the OpenCL device (kernels/log.cl,
 * kernels/wavelet.cl) behind the CPU filters' own checks, names and
 * warnings (radx_filter_log_with, radx_filter_wavelet_with). */
#include "cl/filters_cl.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl/runtime.h"
#include "core/error.h"

/* ------------------------------------------------------------ shared */

/* Guards the lazy build of the LoG and wavelet programs
 * (radx_cl_program writes ctx->programs[id]); nothing else is shared
 * between calls. */
static pthread_mutex_t program_lock = PTHREAD_MUTEX_INITIALIZER;

/* A kernel object of this call's own: clSetKernelArg on a kernel object
 * shared between threads would race (OpenCL 1.2, appendix A.2). */
static radx_status filter_kernel(radx_cl_context *ctx, radx_cl_program_id id, const char *name,
                                 cl_kernel *out)
{
    cl_program program;
    pthread_mutex_lock(&program_lock);
    radx_status st = radx_cl_program(ctx, id, &program);
    pthread_mutex_unlock(&program_lock);
    if (st != RADX_OK) return st;
    cl_int err;
    *out = clCreateKernel(program, name, &err);
    if (err == CL_SUCCESS) return RADX_OK;
    *out = NULL;
    char what[96];
    snprintf(what, sizeof what, "clCreateKernel(%s)", name);
    return radx_cl_fail(err, what);
}

/* The kernels index voxels with 32-bit ints; every buffer must fit the
 * device's largest allocation. */
static radx_status check_fits(const radx_cl_context *ctx, const char *filter, size_t voxels,
                              size_t bytes_per_voxel)
{
    if (voxels > (size_t)INT_MAX)
        return radx_fail(RADX_ERR_DEVICE, "OpenCL %s: %zu voxels exceed the kernels' 32-bit "
                         "indices", filter, voxels);
    if ((uint64_t)voxels * bytes_per_voxel > ctx->info.max_allocation)
        return radx_fail(RADX_ERR_DEVICE, "OpenCL %s: a %zu-voxel buffer exceeds the largest "
                         "allocation of %s (%llu bytes)", filter, voxels, ctx->info.name,
                         (unsigned long long)ctx->info.max_allocation);
    return RADX_OK;
}

/* Move the images and warnings of `from` to the end of `to`. */
static radx_status append_output(radx_filter_output *from, radx_filter_output *to)
{
    radx_status st = RADX_OK;
    for (size_t i = 0; i < from->count; i++) {
        radx_image *image = from->images[i].image;
        from->images[i].image = NULL;
        if (st == RADX_OK) st = radx_filter_output_add(to, from->images[i].name, image);
        else radx_image_free(image);
    }
    for (const char *line = from->warnings; *line;) {
        const char *end = strchr(line, '\n');
        const int length = end ? (int)(end - line) : (int)strlen(line);
        radx_filter_output_warn(to, "%.*s", length, line);
        line += length + (end ? 1 : 0);
    }
    return st;
}

/* Run a filter into a fresh output and append it to `out` only on success. */
static radx_status finish(radx_status st, radx_filter_output *tmp, radx_filter_output *out)
{
    if (st == RADX_OK) st = append_output(tmp, out);
    radx_filter_output_free(tmp);
    return st;
}

/* Stride (in voxels) of `axis` in an x-fastest volume. */
static int axis_stride(const int size[3], int axis)
{
    return axis == 0 ? 1 : axis == 1 ? size[0] : size[0] * size[1];
}

/* ---------------------------------------------------------------- LoG */

/* The device side of one radx_cl_filter_log call, made at the first sigma
 * that is not skipped. */
typedef struct log_device {
    radx_cl_context *ctx;
    int open;
    cl_kernel line, accumulate;
    cl_mem image;      /* the input, double */
    cl_mem pass[2];    /* float passes, ping-pong (a pass never writes its source) */
    cl_mem causal;     /* double, the causal recursion of the current pass */
    cl_mem cumulative; /* float sum over the axes */
    float *host;       /* cumulative, read back */
} log_device;

static void log_device_close(log_device *d)
{
    if (d->line) clReleaseKernel(d->line);
    if (d->accumulate) clReleaseKernel(d->accumulate);
    radx_cl_release(d->image);
    radx_cl_release(d->pass[0]);
    radx_cl_release(d->pass[1]);
    radx_cl_release(d->causal);
    radx_cl_release(d->cumulative);
    free(d->host);
}

static radx_status log_device_open(log_device *d, const radx_image *image)
{
    const size_t n = radx_image_voxels(image);
    radx_status st = check_fits(d->ctx, "LoG", n, sizeof(double));
    d->open = 1;
    if (st == RADX_OK) st = filter_kernel(d->ctx, RADX_CL_PROGRAM_LOG, "radx_log_line", &d->line);
    if (st == RADX_OK)
        st = filter_kernel(d->ctx, RADX_CL_PROGRAM_LOG, "radx_log_accumulate", &d->accumulate);
    if (st == RADX_OK) st = radx_cl_buffer(d->ctx, n * sizeof(double), image->data, &d->image);
    for (int k = 0; k < 2 && st == RADX_OK; k++)
        st = radx_cl_buffer(d->ctx, n * sizeof(float), NULL, &d->pass[k]);
    if (st == RADX_OK) st = radx_cl_buffer(d->ctx, n * sizeof(double), NULL, &d->causal);
    if (st == RADX_OK) st = radx_cl_buffer(d->ctx, n * sizeof(float), NULL, &d->cumulative);
    if (st == RADX_OK && !(d->host = malloc(n * sizeof *d->host)))
        st = radx_fail(RADX_ERR_NOMEM, "LoG: out of memory for a %zu-voxel image", n);
    return st;
}

/* One recursive pass along `axis` (log.c filter_along_axis): from the
 * double image (src_double) or a float pass (src_float) into dst, with the
 * coefficients at `offset` of `coeff`. */
static radx_status log_pass(log_device *d, const int size[3], int axis, cl_mem coeff, int offset,
                            cl_mem src_double, cl_mem src_float, cl_mem dst)
{
    const int n = size[axis], stride = axis_stride(size, axis);
    const int other_a = axis == 0 ? 1 : 0, other_b = axis == 2 ? 1 : 2;
    const int lines_a = size[other_a], lines_b = size[other_b];
    const int stride_a = axis_stride(size, other_a), stride_b = axis_stride(size, other_b);
    const int work = (lines_a + 7) / 8 * lines_b; /* eight lines side by side per work-item */
    radx_status st = radx_cl_set_args(
        d->line, "radx_log_line", 12, sizeof(cl_mem), &src_double, sizeof(cl_mem), &src_float,
        sizeof(cl_mem), &dst, sizeof(cl_mem), &d->causal, sizeof(cl_mem), &coeff, sizeof(int),
        &offset, sizeof(int), &n, sizeof(int), &stride, sizeof(int), &lines_a, sizeof(int),
        &stride_a, sizeof(int), &stride_b, sizeof(int), &lines_b);
    if (st == RADX_OK) st = radx_cl_enqueue(d->ctx, d->line, "radx_log_line", (size_t)work);
    return st;
}

static radx_status log_accumulate(log_device *d, cl_mem pass, double inv_spacing2, int total)
{
    radx_status st = radx_cl_set_args(d->accumulate, "radx_log_accumulate", 4, sizeof(cl_mem),
                                      &d->cumulative, sizeof(cl_mem), &pass, sizeof(double),
                                      &inv_spacing2, sizeof(int), &total);
    if (st == RADX_OK)
        st = radx_cl_enqueue(d->ctx, d->accumulate, "radx_log_accumulate", (size_t)total);
    return st;
}

/* The coefficients of every pass of one sigma, in the order the passes run
 * (log.c laplacian_of_gaussian): per axis d, 2nd order along d, then 0th
 * order along the other axes in increasing order. */
static int log_coefficients(const radx_image *image, int ndim, double sigma,
                            double coeff[9][RADX_DERICHE_NCOEFF])
{
    int k = 0;
    for (int dim = 0; dim < ndim; dim++) {
        radx_log_deriche_coefficients(1, sigma, image->spacing[dim], coeff[k++]);
        for (int axis = 0; axis < ndim; axis++)
            if (axis != dim) radx_log_deriche_coefficients(0, sigma, image->spacing[axis], coeff[k++]);
    }
    return k;
}

/* radx_log_compute_fn: log.c laplacian_of_gaussian on the device. */
static radx_status log_compute(void *user, const radx_image *image, int ndim, double sigma,
                               radx_image *result)
{
    log_device *d = user;
    radx_status st = d->open ? RADX_OK : log_device_open(d, image);
    if (st != RADX_OK) return st;
    const size_t nvox = radx_image_voxels(image);
    const int total = (int)nvox;
    double coeff[9][RADX_DERICHE_NCOEFF];
    const int npasses = log_coefficients(image, ndim, sigma, coeff);
    cl_mem coeff_buffer = NULL;
    st = radx_cl_buffer(d->ctx, (size_t)npasses * sizeof coeff[0], coeff, &coeff_buffer);
    if (st == RADX_OK) st = radx_cl_zero(d->ctx, d->cumulative, nvox * sizeof(float));
    int k = 0;
    for (int dim = 0; dim < ndim && st == RADX_OK; dim++) {
        int current = 0;
        st = log_pass(d, image->size, dim, coeff_buffer, RADX_DERICHE_NCOEFF * k++, d->image, NULL,
                      d->pass[current]);
        for (int axis = 0; axis < ndim && st == RADX_OK; axis++) {
            if (axis == dim) continue;
            st = log_pass(d, image->size, axis, coeff_buffer, RADX_DERICHE_NCOEFF * k++, NULL,
                          d->pass[current], d->pass[1 - current]);
            current = 1 - current;
        }
        const double spacing2 = image->spacing[dim] * image->spacing[dim];
        if (st == RADX_OK) st = log_accumulate(d, d->pass[current], 1.0 / spacing2, total);
    }
    if (st == RADX_OK) st = radx_cl_read(d->ctx, d->cumulative, nvox * sizeof(float), d->host);
    if (st == RADX_OK)
        for (size_t i = 0; i < nvox; i++) result->data[i] = (double)d->host[i];
    radx_cl_release(coeff_buffer);
    return st;
}

radx_status radx_cl_filter_log(radx_cl_context *ctx, const radx_image *image,
                               const radx_log_settings *settings, radx_filter_output *out)
{
    if (!ctx->info.fp64) /* the CPU filter instead (host/extract/derived.c) */
        return radx_fail(RADX_ERR_DEVICE, "LoG: the OpenCL device has no double precision");
    radx_filter_output tmp;
    radx_filter_output_init(&tmp);
    log_device d;
    memset(&d, 0, sizeof d);
    d.ctx = ctx;
    radx_status st = radx_filter_log_with(image, settings, log_compute, &d, &tmp);
    log_device_close(&d);
    return finish(st, &tmp, out);
}

/* ------------------------------------------------------------- wavelet */

/* The device side of one radx_cl_filter_wavelet call. */
typedef struct wavelet_device {
    radx_cl_context *ctx;
    cl_kernel along, across; /* axis x; axis y or z */
    cl_mem taps; /* dec_lo then dec_hi of the plan */
} wavelet_device;

static radx_status wavelet_device_open(wavelet_device *d, const radx_wavelet_plan *p)
{
    if (d->across) return RADX_OK;
    radx_status st = check_fits(d->ctx, "wavelet", p->n, sizeof(double));
    double taps[2 * RADX_WAVELET_MAX_TAPS];
    memcpy(taps, p->lo, (size_t)p->length * sizeof *taps);
    memcpy(taps + p->length, p->hi, (size_t)p->length * sizeof *taps);
    if (st == RADX_OK && !d->taps)
        st = radx_cl_buffer(d->ctx, 2 * (size_t)p->length * sizeof *taps, taps, &d->taps);
    if (st == RADX_OK && !d->along)
        st = filter_kernel(d->ctx, RADX_CL_PROGRAM_WAVELET, "radx_wavelet_along", &d->along);
    if (st == RADX_OK)
        st = filter_kernel(d->ctx, RADX_CL_PROGRAM_WAVELET, "radx_wavelet_across", &d->across);
    return st;
}

/* Every line along `axis` of src filtered with dec_lo into lo and dec_hi
 * into hi (either may be NULL; wavelet.c swt_axis). A work-item makes eight
 * outputs (kernels/wavelet.cl): eight along a line of x, or the same output
 * of eight lines side by side for y and z. */
static radx_status wavelet_axis(wavelet_device *d, const radx_wavelet_plan *p, int axis,
                                cl_mem src, cl_mem lo, cl_mem hi)
{
    const int len = p->size[axis], stride = axis_stride(p->size, axis);
    const int lines = (int)(p->n / (size_t)len);
    const int total = axis == 0 ? lines * ((len + 7) / 8)
                                : lines / stride * ((stride + 7) / 8) * len;
    const cl_kernel kernel = axis == 0 ? d->along : d->across;
    const char *name = axis == 0 ? "radx_wavelet_along" : "radx_wavelet_across";
    radx_status st = radx_cl_set_args(
        kernel, name, 9, sizeof(cl_mem), &src, sizeof(cl_mem), &lo, sizeof(cl_mem), &hi,
        sizeof(cl_mem), &d->taps, sizeof(int), &p->length, sizeof(int), &p->single,
        sizeof(int), &len, sizeof(int), &stride, sizeof(int), &total);
    if (st == RADX_OK) st = radx_cl_enqueue(d->ctx, kernel, name, (size_t)total);
    return st;
}

/* radx_wavelet_backend.approximation: dec_lo along every transform axis,
 * `times` times, in two device buffers. */
static radx_status wavelet_approximation(void *user, const radx_wavelet_plan *p, int times,
                                         double **data)
{
    wavelet_device *d = user;
    const size_t bytes = p->n * sizeof(double);
    cl_mem a = NULL, b = NULL;
    radx_status st = wavelet_device_open(d, p);
    if (st == RADX_OK) st = radx_cl_buffer(d->ctx, bytes, *data, &a);
    if (st == RADX_OK) st = radx_cl_buffer(d->ctx, bytes, NULL, &b);
    for (int l = 0; l < times && st == RADX_OK; l++)
        for (int k = 0; k < p->naxes && st == RADX_OK; k++) {
            st = wavelet_axis(d, p, p->axes[k], a, b, NULL);
            cl_mem t = a;
            a = b;
            b = t;
        }
    if (st == RADX_OK) st = radx_cl_read(d->ctx, a, bytes, *data);
    radx_cl_release(a);
    radx_cl_release(b);
    return st;
}

/* radx_wavelet_backend.level: wavelet.c cpu_level with device buffers; the
 * 'a' child of a sub-band replaces it by swapping buffers instead of a copy. */
static radx_status wavelet_level(void *user, const radx_wavelet_plan *p, const double *data,
                                 double **bands)
{
    wavelet_device *d = user;
    const size_t bytes = p->n * sizeof(double), nbands = (size_t)1 << p->naxes;
    cl_mem band[8] = {0}, low = NULL;
    radx_status st = wavelet_device_open(d, p);
    if (st == RADX_OK) st = radx_cl_buffer(d->ctx, bytes, data, &band[0]);
    for (size_t b = 1; b < nbands && st == RADX_OK; b++)
        st = radx_cl_buffer(d->ctx, bytes, NULL, &band[b]);
    if (st == RADX_OK) st = radx_cl_buffer(d->ctx, bytes, NULL, &low);
    for (int a = 0; a < p->naxes && st == RADX_OK; a++) {
        const size_t count = (size_t)1 << a, step = nbands >> a;
        for (size_t s = 0; s < count && st == RADX_OK; s++) {
            st = wavelet_axis(d, p, p->axes[a], band[s * step], low, band[s * step + step / 2]);
            cl_mem t = band[s * step];
            band[s * step] = low;
            low = t;
        }
    }
    for (size_t b = 0; b < nbands && st == RADX_OK; b++) {
        bands[b] = malloc(bytes);
        st = bands[b] ? radx_cl_read(d->ctx, band[b], bytes, bands[b])
                      : radx_fail(RADX_ERR_NOMEM, "wavelet: out of memory");
    }
    for (size_t b = 0; b < nbands; b++) radx_cl_release(band[b]);
    radx_cl_release(low);
    return st;
}

radx_status radx_cl_filter_wavelet(radx_cl_context *ctx, const radx_image *image,
                                   const radx_wavelet_settings *settings,
                                   radx_filter_output *out)
{
    if (!ctx->info.fp64) /* the CPU filter instead (host/extract/derived.c) */
        return radx_fail(RADX_ERR_DEVICE, "wavelet: the OpenCL device has no double precision");
    radx_filter_output tmp;
    radx_filter_output_init(&tmp);
    wavelet_device d = {ctx, NULL, NULL, NULL};
    const radx_wavelet_backend backend = {wavelet_approximation, wavelet_level, &d};
    radx_status st = radx_filter_wavelet_with(image, settings, &backend, &tmp);
    if (d.along) clReleaseKernel(d.along);
    if (d.across) clReleaseKernel(d.across);
    radx_cl_release(d.taps);
    return finish(st, &tmp, out);
}
