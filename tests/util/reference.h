/* Reading reference tables for tests: IBSI values and PyRadiomics values. */
#ifndef RADX_TEST_REFERENCE_H
#define RADX_TEST_REFERENCE_H

#include "radx/radx.h"

/* The slot of a feature named "<class>_<Feature>" (e.g. "glcm_Contrast"),
 * or -1 when radx has no such feature. */
int radx_test_feature_slot(const char *class_and_feature);

/* Write a parameter file with the given YAML text; returns a malloc'd path. */
char *radx_test_params_file(const char *yaml);

#endif
