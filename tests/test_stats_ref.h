/* Helpers shared by the statistics tests: reading the R reference tables of
 * tests/data/stats/ and running the radx executable (RADX_BIN). */
#ifndef RADX_TEST_STATS_REF_H
#define RADX_TEST_STATS_REF_H

#include "radx/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* Read a CSV the test depends on, failing the test if it cannot. */
static inline radx_csv *ref_read(const char *path)
{
    radx_csv *csv = NULL;
    if (radx_csv_read(path, &csv) != RADX_OK) fail_msg("cannot read %s: %s", path, radx_last_error());
    return csv;
}

/* Column index by name, failing the test if it is absent. */
static inline int ref_col(const radx_csv *csv, const char *name)
{
    int c = radx_csv_column(csv, name);
    if (c < 0) fail_msg("%s: no column '%s'", csv->path, name);
    return c;
}

/* A reference cell as a double: R writes NA, NaN, Inf and -Inf as words. */
static inline double ref_value(const radx_csv *csv, int row, const char *column)
{
    const char *cell = csv->cells[row][ref_col(csv, column)];
    if (strcmp(cell, "NA") == 0 || strcmp(cell, "NaN") == 0 || strcmp(cell, "nan") == 0) return NAN;
    if (strcmp(cell, "Inf") == 0 || strcmp(cell, "inf") == 0) return INFINITY;
    if (strcmp(cell, "-Inf") == 0 || strcmp(cell, "-inf") == 0) return -INFINITY;
    char *end;
    double v = strtod(cell, &end);
    if (*end) fail_msg("%s: row %d, column '%s': '%s' is not a number", csv->path, row + 1, column, cell);
    return v;
}

/* A cell that must hold a number (radx_csv_number), failing the test if it
 * does not. */
static inline double ref_number(const radx_csv *csv, int row, const char *column)
{
    double v;
    if (radx_csv_number(csv->cells[row][ref_col(csv, column)], &v) != 0)
        fail_msg("%s: row %d, column '%s': not a number", csv->path, row + 1, column);
    return v;
}

/* First row whose `column` holds `text`, or -1. */
static inline int ref_find(const radx_csv *csv, const char *column, const char *text)
{
    int c = ref_col(csv, column);
    for (int r = 0; r < csv->nrows; r++)
        if (strcmp(csv->cells[r][c], text) == 0) return r;
    return -1;
}

/* |got - expected| / max(|expected|, floor): the deviation the tests report. */
static inline double ref_deviation(double got, double expected, double floor_)
{
    if (isnan(got) && isnan(expected)) return 0;
    if (got == expected) return 0;
    double scale = fabs(expected) > floor_ ? fabs(expected) : floor_;
    return fabs(got - expected) / scale;
}

/* The radx executable under test (set by tests/CMakeLists.txt). */
static inline const char *ref_radx_bin(void)
{
    const char *bin = getenv("RADX_BIN");
    if (!bin || !*bin) fail_msg("RADX_BIN is not set (run the tests through ctest)");
    return bin;
}

/* Run "radx <arguments>" with stderr captured into *output (malloc'd);
 * returns the exit status. */
static inline int ref_run_radx(const char *arguments, char **output)
{
    char command[8192];
    snprintf(command, sizeof command, "\"%s\" %s 2>&1", ref_radx_bin(), arguments);
    FILE *p = popen(command, "r");
    if (!p) fail_msg("cannot run %s", command);
    size_t length = 0, capacity = 4096;
    char *text = malloc(capacity);
    size_t got;
    while (text && (got = fread(text + length, 1, capacity - length - 1, p)) > 0) {
        length += got;
        if (length + 1 == capacity) text = realloc(text, capacity *= 2);
    }
    if (!text) fail_msg("out of memory");
    text[length] = '\0';
    int status = pclose(p);
    *output = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* "radx <arguments>" must fail (non-zero exit) with `message` in its output,
 * and with `also` as well unless it is NULL. */
static inline void ref_expect_failure(const char *arguments, const char *message, const char *also)
{
    char *log;
    assert_int_not_equal(ref_run_radx(arguments, &log), 0);
    assert_contains(log, message);
    if (also) assert_contains(log, also);
    free(log);
}

#endif
