/* Reading a radx HDF5 feature table (docs/FEATURE_TABLE_H5.md) into the
 * same in-memory table as a CSV file, so that every command that reads
 * feature tables (the statistics subcommands) takes either format. Feature
 * values become text with 17 significant digits (exact round trip); NaN
 * (a failed case) becomes an empty cell, as in the CSV output. */
#include "io/table_h5.h"
#include "core/error.h"
#include "tiles/h5.h"

#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A 1D string attribute (the /columns "order" list). */
static radx_status read_attr_strings(hid_t obj, const char *path, const char *name, char ***out,
                                     hsize_t *count)
{
    *out = NULL;
    *count = 0;
    hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
    if (attr < 0) return radx_fail(RADX_ERR_FORMAT, "%s: not a radx feature table (no '%s' list)", path, name);
    hid_t space = H5Aget_space(attr);
    hssize_t n = H5Sget_simple_extent_npoints(space);
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    char **raw = calloc(n > 0 ? (size_t)n : 1, sizeof *raw);
    char **strings = calloc(n > 0 ? (size_t)n : 1, sizeof *strings);
    radx_status st = RADX_OK;
    if (n < 0 || !raw || !strings || (n > 0 && H5Aread(attr, type, raw) < 0))
        st = radx_fail(RADX_ERR_FORMAT, "%s: cannot read the '%s' list", path, name);
    else
        for (hssize_t i = 0; st == RADX_OK && i < n; i++) {
            strings[i] = strdup(raw[i] ? raw[i] : "");
            if (!strings[i]) st = radx_fail(RADX_ERR_NOMEM, "%s: out of memory", path);
        }
    if (raw && n > 0) H5Dvlen_reclaim(type, space, H5P_DEFAULT, raw);
    free(raw);
    H5Tclose(type);
    H5Sclose(space);
    H5Aclose(attr);
    if (st != RADX_OK) {
        for (hssize_t i = 0; strings && i < n; i++) free(strings[i]);
        free(strings);
        return st;
    }
    *out = strings;
    *count = (hsize_t)n;
    return RADX_OK;
}

static char *number_text(double value)
{
    char text[40] = "";
    if (!isnan(value)) snprintf(text, sizeof text, "%.17g", value);
    return strdup(text);
}

static radx_status fill_table(hid_t file, const char *path, radx_csv *csv)
{
    char **order = NULL, **names = NULL;
    hsize_t ncolumns = 0, nfeatures = 0, dims[2] = {0, 0};
    double *values = NULL;
    hid_t group = H5Gopen2(file, "columns", H5P_DEFAULT);
    radx_status st = group < 0 ? radx_fail(RADX_ERR_FORMAT, "%s: not a radx feature table (no /columns)", path)
                               : read_attr_strings(group, path, "order", &order, &ncolumns);
    if (st == RADX_OK) st = radx_h5_read_strings(file, path, "feature_names", &names, &nfeatures);
    if (st == RADX_OK) st = radx_h5_read(file, path, "features", H5T_NATIVE_DOUBLE, 2, dims, (void **)&values);
    if (st == RADX_OK && dims[1] != nfeatures)
        st = radx_fail(RADX_ERR_FORMAT, "%s: /features has %llu columns, /feature_names %llu", path,
                       (unsigned long long)dims[1], (unsigned long long)nfeatures);
    csv->ncols = (int)(ncolumns + nfeatures);
    csv->nrows = (int)dims[0];
    if (st == RADX_OK) {
        csv->header = calloc((size_t)csv->ncols + 1, sizeof *csv->header);
        csv->cells = calloc((size_t)csv->nrows + 1, sizeof *csv->cells);
        csv->line = calloc((size_t)csv->nrows + 1, sizeof *csv->line);
        if (!csv->header || !csv->cells || !csv->line) st = radx_fail(RADX_ERR_NOMEM, "%s: out of memory", path);
    }
    for (int r = 0; st == RADX_OK && r < csv->nrows; r++) {
        csv->line[r] = r + 2; /* as if row r were line r + 2 of a CSV file */
        csv->cells[r] = calloc((size_t)csv->ncols + 1, sizeof **csv->cells);
        if (!csv->cells[r]) st = radx_fail(RADX_ERR_NOMEM, "%s: out of memory", path);
        for (hsize_t f = 0; st == RADX_OK && f < nfeatures; f++)
            csv->cells[r][ncolumns + f] = number_text(values[(size_t)r * nfeatures + f]);
    }
    for (hsize_t c = 0; st == RADX_OK && c < ncolumns; c++) {
        char **cells = NULL;
        hsize_t count = 0;
        hid_t dset = H5Dopen2(group, order[c], H5P_DEFAULT);
        char *header = NULL;
        st = dset < 0 ? radx_fail(RADX_ERR_FORMAT, "%s: column '%s' listed but missing", path, order[c])
                      : radx_h5_read_attr_string(dset, path, "name", &header);
        if (dset >= 0) H5Dclose(dset);
        if (st == RADX_OK) st = radx_h5_read_strings(group, path, order[c], &cells, &count);
        if (st == RADX_OK && count != (hsize_t)csv->nrows)
            st = radx_fail(RADX_ERR_FORMAT, "%s: column '%s' has %llu rows, /features %d", path, header,
                           (unsigned long long)count, csv->nrows);
        csv->header[c] = header;
        for (int r = 0; st == RADX_OK && r < csv->nrows; r++) {
            csv->cells[r][c] = cells[r];
            cells[r] = NULL;
        }
        radx_h5_strings_free(cells, count);
    }
    for (hsize_t f = 0; st == RADX_OK && f < nfeatures; f++) {
        csv->header[ncolumns + f] = names[f];
        names[f] = NULL;
    }
    for (int c = 0; st == RADX_OK && c < csv->ncols; c++)
        if (!csv->header[c]) st = radx_fail(RADX_ERR_NOMEM, "%s: out of memory", path);
    for (int r = 0; st == RADX_OK && r < csv->nrows; r++)
        for (int c = 0; c < csv->ncols; c++)
            if (!csv->cells[r][c]) st = radx_fail(RADX_ERR_NOMEM, "%s: out of memory", path);
    radx_h5_strings_free(names, nfeatures);
    for (hsize_t c = 0; c < ncolumns; c++) free(order[c]);
    free(order);
    free(values);
    if (group >= 0) H5Gclose(group);
    return st;
}

radx_status radx_table_h5_read(const char *path, radx_csv **out)
{
    *out = NULL;
    radx_h5_quiet();
    if (H5Fis_hdf5(path) <= 0)
        return radx_fail(RADX_ERR_IO, "%s: cannot open as an HDF5 file", path);
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) return radx_fail(RADX_ERR_IO, "%s: cannot open as an HDF5 file", path);
    radx_csv *csv = calloc(1, sizeof *csv);
    radx_status st = csv ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "%s: out of memory", path);
    if (st == RADX_OK) {
        snprintf(csv->path, sizeof csv->path, "%s", path);
        st = fill_table(file, path, csv);
    }
    H5Fclose(file);
    if (st != RADX_OK) {
        radx_csv_free(csv);
        return st;
    }
    *out = csv;
    return RADX_OK;
}
