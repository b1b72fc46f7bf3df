/* Pieces the statistics commands (decorrelate, lasso, harmonize, logit, tree,
 * icc, roc) share: running a job on one CSV feature table with the usual
 * error report and exit status, output files opened and closed with the
 * command's messages, and the comparison of two label cells. */
#ifndef RADX_CLI_OPTIONS_H
#define RADX_CLI_OPTIONS_H

#include <stdio.h>

#include "radx/status.h"
#include "radx/table.h"

/* 1 if two cells name the same value: the same text, or two numbers that are
 * equal ("1" and "1.0"). */
int cli_same_value(const char *a, const char *b);

/* A command's work on its input table; `options` is the command's own
 * options struct. */
typedef radx_status (*cli_table_job)(const void *options, const radx_csv *csv);

/* Reads the CSV table `path` and runs `job` on it. On failure prints
 * "radx <cmd>: <error>" on stderr and returns 2 for RADX_ERR_PARAM (a usage
 * error), else 1; returns 0 on success. */
int cli_run_on_table(const char *cmd, const char *path, cli_table_job job, const void *options);

/* fopen(path, "w"). NULL for a NULL path; NULL with *rc = 1 after
 * "radx <cmd>: cannot write <path>" when it cannot be opened. */
FILE *cli_open_output(const char *cmd, const char *path, int *rc);

/* Closes f (nothing for NULL); returns 1 after "radx <cmd>: <path>: write
 * failed" when a write or the close failed, else 0. */
int cli_close_output(const char *cmd, FILE *f, const char *path);

#endif
