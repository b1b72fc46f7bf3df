/* HDF5 helpers (see h5.h). */
#include "tiles/h5.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* Compression of every chunked dataset: byte shuffle then deflate level 4
 * (zlib), both in every HDF5 build and readable by h5py without plugins. */
enum { DEFLATE_LEVEL = 4 };

void radx_h5_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

radx_status radx_h5_fail(const char *file, const char *what, const char *name)
{
    return radx_fail(RADX_ERR_IO, "%s: HDF5: cannot %s '%s'", file, what, name);
}

static hid_t chunked_plist(int rank, const hsize_t *chunk)
{
    hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
    if (plist < 0) return plist;
    if (H5Pset_chunk(plist, rank, chunk) < 0 || H5Pset_shuffle(plist) < 0 ||
        H5Pset_deflate(plist, DEFLATE_LEVEL) < 0) {
        H5Pclose(plist);
        return -1;
    }
    return plist;
}

radx_status radx_h5_write(hid_t loc, const char *file, const char *name, hid_t file_type,
                          hid_t mem_type, int rank, const hsize_t *dims, const void *data, int compress)
{
    hsize_t chunk[2];
    int empty = 0;
    for (int r = 0; r < rank; r++) {
        chunk[r] = dims[r] > 0 ? (dims[r] < 65536 ? dims[r] : 65536) : 1;
        empty |= dims[r] == 0;
    }
    hid_t space = H5Screate_simple(rank, dims, NULL);
    hid_t plist = compress && !empty ? chunked_plist(rank, chunk) : H5Pcreate(H5P_DATASET_CREATE);
    hid_t dset = space >= 0 && plist >= 0
                     ? H5Dcreate2(loc, name, file_type, space, H5P_DEFAULT, plist, H5P_DEFAULT) : -1;
    herr_t err = dset >= 0 && !empty ? H5Dwrite(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) : 0;
    if (dset >= 0) H5Dclose(dset);
    if (plist >= 0) H5Pclose(plist);
    if (space >= 0) H5Sclose(space);
    return dset < 0 || err < 0 ? radx_h5_fail(file, "write dataset", name) : RADX_OK;
}

static hid_t string_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t >= 0 && (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0)) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

radx_status radx_h5_write_strings(hid_t loc, const char *file, const char *name,
                                  const char *const *strings, hsize_t rows, hsize_t cols)
{
    hid_t type = string_type();
    if (type < 0) return radx_h5_fail(file, "make a string type for", name);
    hsize_t dims[2] = {rows, cols};
    radx_status st = radx_h5_write(loc, file, name, type, type, cols ? 2 : 1, dims, strings, 0);
    H5Tclose(type);
    return st;
}

radx_status radx_h5_attr_string(hid_t obj, const char *file, const char *name, const char *value)
{
    hid_t type = string_type();
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t attr = type >= 0 && space >= 0 ? H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT) : -1;
    herr_t err = attr >= 0 ? H5Awrite(attr, type, &value) : -1;
    if (attr >= 0) H5Aclose(attr);
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    return err < 0 ? radx_h5_fail(file, "write attribute", name) : RADX_OK;
}

radx_status radx_h5_read(hid_t loc, const char *file, const char *name, hid_t mem_type, int rank,
                         hsize_t *dims, void **data)
{
    *data = NULL;
    hid_t dset = H5Dopen2(loc, name, H5P_DEFAULT);
    if (dset < 0) return radx_h5_fail(file, "open dataset", name);
    hid_t space = H5Dget_space(dset);
    int got = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    radx_status st = RADX_OK;
    if (got != rank) {
        st = radx_fail(RADX_ERR_FORMAT, "%s: dataset '%s' has %d dimensions, expected %d", file, name, got, rank);
    } else {
        H5Sget_simple_extent_dims(space, dims, NULL);
        size_t n = 1;
        for (int r = 0; r < rank; r++) n *= (size_t)dims[r];
        *data = malloc((n > 0 ? n : 1) * H5Tget_size(mem_type));
        if (!*data) st = radx_fail(RADX_ERR_NOMEM, "%s: out of memory reading '%s'", file, name);
        else if (n > 0 && H5Dread(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, *data) < 0)
            st = radx_h5_fail(file, "read dataset", name);
    }
    if (space >= 0) H5Sclose(space);
    H5Dclose(dset);
    if (st != RADX_OK) {
        free(*data);
        *data = NULL;
    }
    return st;
}

void radx_h5_strings_free(char **strings, hsize_t count)
{
    if (!strings) return;
    for (hsize_t i = 0; i < count; i++) free(strings[i]);
    free(strings);
}

/* Copies of HDF5-allocated strings, then HDF5's own buffers released. */
static radx_status own_strings(hid_t type, hid_t space, char **raw, hsize_t n, char ***out)
{
    char **copy = calloc(n > 0 ? (size_t)n : 1, sizeof *copy);
    radx_status st = copy ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "out of memory for strings");
    for (hsize_t i = 0; st == RADX_OK && i < n; i++) {
        copy[i] = strdup(raw[i] ? raw[i] : "");
        if (!copy[i]) st = radx_fail(RADX_ERR_NOMEM, "out of memory for strings");
    }
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, raw);
    if (st != RADX_OK) {
        radx_h5_strings_free(copy, n);
        return st;
    }
    *out = copy;
    return RADX_OK;
}

radx_status radx_h5_read_strings(hid_t loc, const char *file, const char *name, char ***strings,
                                 hsize_t *count)
{
    *strings = NULL;
    *count = 0;
    hid_t dset = H5Dopen2(loc, name, H5P_DEFAULT);
    if (dset < 0) return radx_h5_fail(file, "open dataset", name);
    hid_t space = H5Dget_space(dset), type = string_type();
    hsize_t n = space >= 0 ? (hsize_t)H5Sget_simple_extent_npoints(space) : 0;
    char **raw = calloc(n > 0 ? (size_t)n : 1, sizeof *raw);
    radx_status st = RADX_OK;
    if (space < 0 || type < 0 || !raw) st = radx_h5_fail(file, "read strings of", name);
    else if (n > 0 && H5Dread(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0)
        st = radx_h5_fail(file, "read dataset", name);
    else st = own_strings(type, space, raw, n, strings);
    if (st == RADX_OK) *count = n;
    free(raw);
    if (type >= 0) H5Tclose(type);
    if (space >= 0) H5Sclose(space);
    H5Dclose(dset);
    return st;
}

radx_status radx_h5_read_attr_string(hid_t obj, const char *file, const char *name, char **value)
{
    *value = NULL;
    hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
    if (attr < 0) return radx_h5_fail(file, "open attribute", name);
    hid_t type = string_type();
    char *raw = NULL;
    radx_status st = RADX_OK;
    if (type < 0 || H5Aread(attr, type, &raw) < 0) st = radx_h5_fail(file, "read attribute", name);
    else if (!(*value = strdup(raw ? raw : ""))) st = radx_fail(RADX_ERR_NOMEM, "out of memory");
    if (raw) {
        hid_t space = H5Screate(H5S_SCALAR);
        H5Dvlen_reclaim(type, space, H5P_DEFAULT, &raw);
        H5Sclose(space);
    }
    if (type >= 0) H5Tclose(type);
    H5Aclose(attr);
    return st;
}

radx_status radx_h5_appender_create(hid_t loc, const char *file, const char *name, hid_t file_type,
                                    hid_t mem_type, hsize_t chunk, radx_h5_appender *out)
{
    memset(out, 0, sizeof *out);
    out->dataset = -1;
    hsize_t zero = 0, unlimited = H5S_UNLIMITED;
    hid_t space = H5Screate_simple(1, &zero, &unlimited);
    hid_t plist = chunked_plist(1, &chunk);
    out->dataset = space >= 0 && plist >= 0
                       ? H5Dcreate2(loc, name, file_type, space, H5P_DEFAULT, plist, H5P_DEFAULT) : -1;
    out->mem_type = mem_type;
    out->chunk = chunk;
    out->element_size = H5Tget_size(mem_type);
    out->pending = malloc((size_t)chunk * (out->element_size ? out->element_size : 1));
    snprintf(out->name, sizeof out->name, "%s", name);
    if (plist >= 0) H5Pclose(plist);
    if (space >= 0) H5Sclose(space);
    if (out->dataset >= 0 && !out->pending) {
        radx_h5_appender_close(out);
        return radx_fail(RADX_ERR_NOMEM, "out of memory for dataset '%s'", name);
    }
    return out->dataset < 0 ? radx_h5_fail(file, "create dataset", name) : RADX_OK;
}

/* Write n elements at the end of the dataset. */
static radx_status write_tail(radx_h5_appender *a, const char *file, const void *data, hsize_t n)
{
    if (n == 0) return RADX_OK;
    hsize_t size = a->written + n;
    if (H5Dset_extent(a->dataset, &size) < 0) return radx_h5_fail(file, "extend", a->name);
    hid_t space = H5Dget_space(a->dataset);
    hid_t mem = H5Screate_simple(1, &n, NULL);
    herr_t err = space >= 0 && mem >= 0
                     ? H5Sselect_hyperslab(space, H5S_SELECT_SET, &a->written, NULL, &n, NULL) : -1;
    if (err >= 0) err = H5Dwrite(a->dataset, a->mem_type, mem, space, H5P_DEFAULT, data);
    if (mem >= 0) H5Sclose(mem);
    if (space >= 0) H5Sclose(space);
    if (err < 0) return radx_h5_fail(file, "append to", a->name);
    a->written = size;
    return RADX_OK;
}

radx_status radx_h5_append(radx_h5_appender *a, const char *file, const void *data, hsize_t n)
{
    const unsigned char *bytes = data;
    radx_status st = RADX_OK;
    while (n > 0 && st == RADX_OK) {
        hsize_t pending = a->length - a->written;
        hsize_t take = a->chunk - pending < n ? a->chunk - pending : n;
        memcpy(a->pending + pending * a->element_size, bytes, (size_t)take * a->element_size);
        a->length += take;
        bytes += take * a->element_size;
        n -= take;
        if (a->length - a->written == a->chunk) st = radx_h5_appender_flush(a, file);
    }
    return st;
}

radx_status radx_h5_appender_flush(radx_h5_appender *a, const char *file)
{
    return write_tail(a, file, a->pending, a->length - a->written);
}

void radx_h5_appender_close(radx_h5_appender *a)
{
    if (a->dataset >= 0) H5Dclose(a->dataset);
    a->dataset = -1;
    free(a->pending);
    a->pending = NULL;
}

radx_status radx_h5_read_range(hid_t dataset, const char *file, const char *name, hid_t mem_type,
                               hsize_t first, hsize_t n, void *data)
{
    if (n == 0) return RADX_OK;
    hid_t space = H5Dget_space(dataset);
    hid_t mem = H5Screate_simple(1, &n, NULL);
    herr_t err = space >= 0 && mem >= 0
                     ? H5Sselect_hyperslab(space, H5S_SELECT_SET, &first, NULL, &n, NULL) : -1;
    if (err >= 0) err = H5Dread(dataset, mem_type, mem, space, H5P_DEFAULT, data);
    if (mem >= 0) H5Sclose(mem);
    if (space >= 0) H5Sclose(space);
    return err < 0 ? radx_h5_fail(file, "read", name) : RADX_OK;
}
