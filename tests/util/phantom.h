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
/* The same with intensities of their own (values[i] for voxel i) and a
 * spacing per axis; values NULL means the grey levels themselves. */
void test_roi_make_values(test_roi *t, const int size[3], const double *values, const int *levels,
                          const double spacing[3]);
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

/* PyRadiomics' default settings, with force2D on the z axis when asked
 * (IBSI 2.5D = force2D with z out of plane). */
void phantom_opts(int force2d, radx_feature_opts *opts);

/* The features of `cls` on the IBSI phantom. */
void phantom_class_features(const radx_feature_class *cls, const radx_feature_opts *opts, double *out);

/* Value of an IBSI row whose PyRadiomics name (without the class prefix)
 * is not in the class table; it fails the test when it has none. */
typedef double (*ibsi_fallback)(const char *name, const void *ctx);

/* Compares got[] with every row of IBSI `family` for `aggregation` whose
 * PyRadiomics name is "<cls->name>_...", to IBSI's 3 digits; a name missing
 * from the table goes to `fallback` (NULL: the test fails). Returns the
 * number of rows compared. */
int ibsi_compare_rows(const radx_feature_class *cls, const char *family, const char *aggregation,
                      const double *got, ibsi_fallback fallback, const void *ctx);

/* PyRadiomics' stored matrix tests/data/pyradiomics-baseline/<case>_<kind>.npy
 * and, in *levels (caller frees), its grey-level values: the third column of
 * the same case's NGTDM matrix (same discretisation, same levels present). */
double *baseline_matrix(const char *case_name, const char *kind, int shape[2], int **levels);

/* out[] against PyRadiomics' baseline_<class>.csv column `case_name` for the
 * listed feature names (NULL: the first nnames of the class table), to a
 * relative 1e-12. */
void baseline_compare(const radx_feature_class *cls, const char *case_name,
                      const char *const *names, int nnames, const double *out);

/* The features of `cls` on the IBSI phantom for an IBSI aggregation ("3D"
 * or "2.5D_mrg") compared with IBSI's rows of `family`; returns the number
 * of rows compared. */
int phantom_compare_ibsi(const radx_feature_class *cls, const char *family, const char *aggregation);

/* The features of `cls`, PyRadiomics' default settings, on a small ROI of
 * grey levels (0 = outside), spacing 1. */
void small_roi_features(const radx_feature_class *cls, const int size[3], const int *image, double *out);

/* The class table: its name, nfeatures names in PyRadiomics' alphabetical
 * order, each with a 4-character IBSI code. */
void check_sorted_table(const radx_feature_class *cls, const char *name, int nfeatures);

#endif
