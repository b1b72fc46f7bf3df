/* Small HDF5 helpers for radx's stores: whole datasets of numbers or
 * strings, string attributes, and 1D datasets that grow as data is appended
 * (chunked, shuffled, deflate-compressed). Every failure becomes a radx
 * status naming the file and the object; HDF5's own error printing is turned
 * off (radx_h5_quiet), as the library never prints. */
#ifndef RADX_TILES_H5_H
#define RADX_TILES_H5_H

#include <hdf5.h>
#include <stddef.h>

#include "radx/status.h"

/* Turn off HDF5's automatic error stack printing (process-wide). */
void radx_h5_quiet(void);

/* RADX_ERR_IO "<file>: HDF5: cannot <what> '<name>'". */
radx_status radx_h5_fail(const char *file, const char *what, const char *name);

/* A dataset of `rank` dims holding `data` (memory type `mem_type`, stored as
 * `file_type`); compressed in chunks when `compress`. */
radx_status radx_h5_write(hid_t loc, const char *file, const char *name, hid_t file_type,
                          hid_t mem_type, int rank, const hsize_t *dims, const void *data, int compress);

/* A 1D (cols == 0) or rows x cols dataset of variable-length UTF-8 strings. */
radx_status radx_h5_write_strings(hid_t loc, const char *file, const char *name,
                                  const char *const *strings, hsize_t rows, hsize_t cols);

/* A string attribute on `obj`. */
radx_status radx_h5_attr_string(hid_t obj, const char *file, const char *name, const char *value);

/* Read a whole dataset as mem_type: its dims (rank must be `rank`) and a
 * malloc'd buffer (at least 1 element). */
radx_status radx_h5_read(hid_t loc, const char *file, const char *name, hid_t mem_type, int rank,
                         hsize_t *dims, void **data);

/* Read a string dataset (1D or 2D, flattened row-major): malloc'd strings,
 * each malloc'd; free with radx_h5_strings_free. */
radx_status radx_h5_read_strings(hid_t loc, const char *file, const char *name, char ***strings,
                                 hsize_t *count);
void radx_h5_strings_free(char **strings, hsize_t count);

/* A string attribute (malloc'd). */
radx_status radx_h5_read_attr_string(hid_t obj, const char *file, const char *name, char **value);

/* A growing 1D dataset. Appended data is buffered in memory and written a
 * whole chunk at a time (a chunk written piecemeal would be recompressed at
 * every append once it outgrows HDF5's chunk cache). */
typedef struct radx_h5_appender {
    char name[64];
    hid_t dataset;
    hid_t mem_type;
    hsize_t length;              /* elements appended (written + pending) */
    hsize_t written;             /* elements in the file */
    hsize_t chunk;               /* elements per chunk */
    size_t element_size;         /* bytes of mem_type */
    unsigned char *pending;      /* [chunk] elements not written yet */
} radx_h5_appender;

radx_status radx_h5_appender_create(hid_t loc, const char *file, const char *name, hid_t file_type,
                                    hid_t mem_type, hsize_t chunk, radx_h5_appender *out);
radx_status radx_h5_append(radx_h5_appender *a, const char *file, const void *data, hsize_t n);
/* Write what is pending (before closing a finished dataset). */
radx_status radx_h5_appender_flush(radx_h5_appender *a, const char *file);
/* Close; pending data not flushed is dropped. */
void radx_h5_appender_close(radx_h5_appender *a);

/* Read elements [first, first + n) of a 1D dataset into `data`. */
radx_status radx_h5_read_range(hid_t dataset, const char *file, const char *name, hid_t mem_type,
                               hsize_t first, hsize_t n, void *data);

#endif
