/* The device feature reduction of one launch, shared by the families whose
 * kernels/<family>_features.cl takes one work item per job (GLDM, GLSZM,
 * NGTDM): the kernel's output buffer, its launch and the read-back. */
#ifndef RADX_CL_REDUCE_H
#define RADX_CL_REDUCE_H

#include "cl/launch.h"
#include "cl/runtime.h"

/* What differs between the families: the program and kernel, and how many
 * doubles each job writes. */
typedef struct radx_cl_reduction {
    radx_cl_program_id program;
    const char *kernel;
    int stride;                      /* doubles per job in the output */
} radx_cl_reduction;

/* Run r->kernel over the launch's jobs, with the arguments (descriptors,
 * jobs, njobs, matrices[0..nmatrices-1], level values, their starts, out),
 * and read the njobs * r->stride doubles back into *out (malloc'd, caller
 * frees; job j's values at *out + j * r->stride). */
radx_status radx_cl_reduce_jobs(radx_cl_context *ctx, const radx_cl_batch *batch, radx_cl_launch *launch,
                                const radx_cl_reduction *r, const cl_mem *matrices, int nmatrices,
                                double **out);

#endif
