/* radx — CSV tables: cohort manifests and feature tables. */
#ifndef RADX_TABLE_H
#define RADX_TABLE_H

#include <stdio.h>
#include "radx/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A CSV file read as text: a header row and data rows of equal width
 * (RFC 4180: fields may be quoted with "", quotes doubled inside; CRLF or
 * LF line ends; a UTF-8 byte-order mark is skipped). */
typedef struct radx_csv {
    char path[512];
    int ncols;
    int nrows;
    char **header;       /* [ncols] */
    char ***cells;       /* cells[row][col], row 0 is the first data row */
    int *line;           /* [nrows]: 1-based line number of each row in the file */
} radx_csv;

/* Read a CSV file (or a radx HDF5 feature table, for a path ending in .h5
 * or .hdf5: the same columns, features as text). Errors name the file and
 * line (ragged rows, unterminated quotes, empty file, duplicate column
 * names). */
radx_status radx_csv_read(const char *path, radx_csv **out);
void radx_csv_free(radx_csv *csv);

/* Column index by exact header name, or -1. */
int radx_csv_column(const radx_csv *csv, const char *name);

/* Parse a cell as a finite double; 0 on success, -1 if empty or not a number. */
int radx_csv_number(const char *cell, double *value);

/* Write one field, quoted when it contains a comma, quote, CR or LF. */
void radx_csv_write_field(FILE *f, const char *text);

/* Write a double with 17 significant digits (round-trip exact); NaN as "nan". */
void radx_csv_write_number(FILE *f, double value);

#ifdef __cplusplus
}
#endif
#endif
