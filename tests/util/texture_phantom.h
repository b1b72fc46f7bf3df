/* The IBSI phantom and IBSI comparisons for the GLCM and GLRLM tests. */
#ifndef RADX_TEST_TEXTURE_PHANTOM_H
#define RADX_TEST_TEXTURE_PHANTOM_H

#include "testutil.h"
#include "radx/radx.h"

#define IBSI_CSV "tests/data/ibsi/reference_values.csv"

/* A radx_roi with its own arrays; levels 1..ng inside, 0 outside. */
typedef struct tex_roi {
    radx_roi roi;
    uint8_t *mask;
    int *levels;
    int level_values[RADX_MAX_GRAY_LEVELS];
    int *level_rank;
} tex_roi;

void tex_roi_make(tex_roi *t, const int size[3], const double spacing[3], const uint8_t *mask,
                  const int *levels);
void tex_roi_free(tex_roi *t);
int *tex_read_phantom_file(const char *path, int size[3], double spacing[3]);
void tex_load_phantom(tex_roi *t);
int tex_feature_index(const radx_feature_class *cls, const char *name);
int tex_matches_ibsi(double got, double ibsi);
void tex_default_opts(radx_feature_opts *opts);
void tex_opts_for(const char *aggregation, radx_feature_opts *opts);
int tex_compare_ibsi(const radx_feature_class *cls, const char *family, const char *aggregation);

#endif
