/* Test ROIs built in memory and the IBSI digital phantom as a radx_roi. */
#ifndef RADX_TEST_PHANTOM_H
#define RADX_TEST_PHANTOM_H

#include "testutil.h"
#include "radx/features.h"

/* A radx_roi built from grey levels per voxel (0 = outside the ROI). */
typedef struct test_roi {
    radx_roi roi;
    uint8_t *mask;
    double *values;
    int *levels;
    int *level_values;
    int *level_rank;
} test_roi;

void test_roi_make(test_roi *t, const int size[3], const int *levels, double spacing);
void test_roi_free(test_roi *t);

/* One IBSI phantom text file: "# nx ny nz sx sy sz" then the integers. */
int *read_phantom_file(const char *path, int size[3], double *spacing);

/* The IBSI digital phantom cropped to its mask's bounding box; the grey
 * levels are the phantom's integer values (no discretisation needed). */
void load_phantom(test_roi *t);

/* IBSI values are exact to 3 significant digits: half a unit of the third
 * digit (tests/data/ibsi/README.md). */
double ibsi_allowed(double reference);

/* Index of a feature in a class table, or -1. */
int table_index(const radx_feature_class *cls, const char *name);

/* A float64 little-endian 2-D .npy (PyRadiomics' baseline matrices) in C
 * order; the caller frees it. */
double *read_npy(const char *path, int shape[2]);

/* PyRadiomics baseline value of `feature` (first column) in `column`. */
double baseline_value(const char *csv_path, const char *feature, const char *column);

#endif
