/* Shared pieces of the statistics commands (see options.h). */
#include "cli/options.h"
#include "radx/radx.h"

#include <string.h>

int cli_same_value(const char *a, const char *b)
{
    double x, y;
    if (strcmp(a, b) == 0) return 1;
    return radx_csv_number(a, &x) == 0 && radx_csv_number(b, &y) == 0 && x == y;
}

int cli_run_on_table(const char *cmd, const char *path, cli_table_job job, const void *options)
{
    radx_csv *csv = NULL;
    radx_status st = radx_csv_read(path, &csv);
    if (st == RADX_OK) st = job(options, csv);
    radx_csv_free(csv);
    if (st != RADX_OK) {
        fprintf(stderr, "radx %s: %s\n", cmd, radx_last_error());
        return st == RADX_ERR_PARAM ? 2 : 1;
    }
    return 0;
}

FILE *cli_open_output(const char *cmd, const char *path, int *rc)
{
    if (!path) return NULL;
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "radx %s: cannot write %s\n", cmd, path);
        *rc = 1;
    }
    return f;
}

int cli_close_output(const char *cmd, FILE *f, const char *path)
{
    if (!f) return 0;
    if (ferror(f) | fclose(f)) {
        fprintf(stderr, "radx %s: %s: write failed\n", cmd, path);
        return 1;
    }
    return 0;
}
