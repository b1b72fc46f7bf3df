/* Kernel sources: the copies of kernels/ embedded in the library at build
 * time (a C file CMake generates), or the files of RADX_KERNEL_DIR. */
#ifndef RADX_CL_KERNEL_SOURCE_H
#define RADX_CL_KERNEL_SOURCE_H

#include <stddef.h>

#include "radx/status.h"

/* One embedded file; the generated table ends with a NULL name. */
typedef struct radx_cl_embedded_file {
    const char *name;            /* "glcm.cl", "common.h" */
    const char *text;            /* NUL-terminated */
    size_t length;
} radx_cl_embedded_file;

extern const radx_cl_embedded_file radx_cl_embedded_files[];

/* The text of kernel file `name` (malloc'd, NUL-terminated; caller frees)
 * and where it came from ("embedded" or the path read). RADX_ERR_IO when
 * RADX_KERNEL_DIR is set and the file cannot be read there; RADX_ERR_INTERNAL
 * when no such file was embedded. */
radx_status radx_cl_kernel_source(const char *name, char **text, char *origin, size_t origin_size);

#endif
