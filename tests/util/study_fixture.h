/* Shared setup of the radx study tests (test_study.c, test_study_run.c):
 * the radx binary to run, a temporary folder with a radx synth cohort in
 * it, and its removal.
 *
 * Header-only (static inline): tests/CMakeLists.txt compiles a fixed list
 * of tests/util sources into radx_testutil. Needs _POSIX_C_SOURCE 200809L
 * (mkdtemp, readlink) before the first include. */
#ifndef RADX_TEST_STUDY_FIXTURE_H
#define RADX_TEST_STUDY_FIXTURE_H

#include "radx/synth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* RADX_BIN (set by ctest), else the radx next to this test's build folder,
 * else build/radx. */
static inline const char *study_radx_bin(void)
{
    static char path[512];
    const char *bin = getenv("RADX_BIN");
    if (bin) return bin;
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 16);
    if (n > 0) {
        path[n] = '\0';
        char *slash = strrchr(path, '/');
        if (slash) *slash = '\0';             /* .../build/tests */
        slash = strrchr(path, '/');
        if (slash) {
            strcpy(slash, "/radx");           /* .../build/radx */
            if (access(path, X_OK) == 0) return path;
        }
    }
    return "build/radx";
}

/* A new folder /tmp/<prefix>XXXXXX into dir[size]; nonzero on failure. */
static inline int study_temp_dir(char *dir, size_t size, const char *prefix)
{
    snprintf(dir, size, "/tmp/%sXXXXXX", prefix);
    return mkdtemp(dir) ? 0 : -1;
}

/* radx synth's cohort (seed 1, the given scale; tables only, or with the
 * images and masks) written into `folder`; nonzero on failure. */
static inline int study_synth_cohort(const char *folder, double scale, int tables_only)
{
    radx_synth_options options = {.seed = 1, .scale = scale, .tables_only = tables_only};
    return radx_synth_write(folder, &options, NULL) == RADX_OK ? 0 : -1;
}

/* rm -rf the folder; nonzero on failure. */
static inline int study_remove_dir(const char *dir)
{
    char command[600];
    snprintf(command, sizeof command, "rm -rf %s", dir);
    return system(command) == 0 ? 0 : -1;
}

#endif
