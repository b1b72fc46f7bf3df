/* The device feature reduction of one launch (see reduce.h). */
#include "cl/reduce.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/error.h"

/* Argument i of the kernel, failing with the kernel's name and the index. */
static radx_status set_arg(cl_kernel kernel, const char *name, int i, size_t size, const void *value)
{
    cl_int err = clSetKernelArg(kernel, (cl_uint)i, size, value);
    if (err == CL_SUCCESS) return RADX_OK;
    char what[160];
    snprintf(what, sizeof what, "clSetKernelArg(%s, %d)", name, i);
    return radx_cl_fail(err, what);
}

/* The arguments: descriptors, jobs, njobs, the matrices, level values,
 * their starts, the output. */
static radx_status set_args(cl_kernel kernel, const char *name, const radx_cl_batch *batch,
                            radx_cl_launch *launch, const cl_mem *matrices, int nmatrices, cl_mem values,
                            cl_mem starts, cl_mem out)
{
    int i = 0;
    radx_status st = set_arg(kernel, name, i++, sizeof(cl_mem), &batch->desc_buffer);
    if (st == RADX_OK) st = set_arg(kernel, name, i++, sizeof(cl_mem), &launch->jobs_buffer);
    if (st == RADX_OK) st = set_arg(kernel, name, i++, sizeof(int), &launch->njobs);
    for (int m = 0; st == RADX_OK && m < nmatrices; m++)
        st = set_arg(kernel, name, i++, sizeof(cl_mem), &matrices[m]);
    if (st == RADX_OK) st = set_arg(kernel, name, i++, sizeof(cl_mem), &values);
    if (st == RADX_OK) st = set_arg(kernel, name, i++, sizeof(cl_mem), &starts);
    if (st == RADX_OK) st = set_arg(kernel, name, i++, sizeof(cl_mem), &out);
    return st;
}

radx_status radx_cl_reduce_jobs(radx_cl_context *ctx, const radx_cl_batch *batch, radx_cl_launch *launch,
                                const radx_cl_reduction *r, const cl_mem *matrices, int nmatrices,
                                double **out)
{
    cl_mem values = NULL, starts = NULL, buffer = NULL;
    cl_kernel kernel = NULL;
    size_t nout = (size_t)launch->njobs * (size_t)r->stride;
    *out = NULL;
    radx_status st = radx_cl_launch_level_values(ctx, launch, batch, &values, &starts);
    if (st == RADX_OK) st = radx_cl_buffer(ctx, nout * sizeof(double), NULL, &buffer);
    if (st == RADX_OK) st = radx_cl_kernel(ctx, r->program, r->kernel, &kernel);
    if (st == RADX_OK) st = set_args(kernel, r->kernel, batch, launch, matrices, nmatrices, values, starts, buffer);
    if (st == RADX_OK) st = radx_cl_enqueue(ctx, kernel, r->kernel, (size_t)launch->njobs);
    if (st == RADX_OK) st = radx_cl_read_features(ctx, buffer, nout, out);
    if (kernel) clReleaseKernel(kernel);
    radx_cl_release(values);
    radx_cl_release(starts);
    radx_cl_release(buffer);
    return st;
}
