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

/* PyRadiomics' texture defaults with force2D and weighting set (a static
 * copy: valid until the next call). */
const radx_feature_opts *tex_opts_mode(int force2d, radx_weighting weighting);

/* The class table has exactly `names` in that order, and every non-empty
 * IBSI code is one the IBSI CSV lists for that PyRadiomics name. */
void tex_check_table(const radx_feature_class *cls, const char *const *names, int nfeatures);

/* Computes `cls` on a one-grey-level ROI in flat-region mode `mode` (0 3D
 * averaged, 1 force2D averaged, 2 3D merged) into out[] and compares the
 * listed features (NULL: the first nnames of the table) with PyRadiomics'
 * brain1_flatRegion baseline (relative 1e-12). */
void tex_compare_flat_mode(const radx_feature_class *cls, const tex_roi *t, int mode,
                           const char *const *names, int nnames, double *out);

/* The ROI `t` with each grey level replaced by its rank + 1 (the phantom's
 * {1, 3, 4, 6} become {1, 2, 3, 4}); same mask and spacing. */
void tex_rank_relabelled(const tex_roi *t, tex_roi *ranked);

/* A 1-voxel-thick X in a 3x3x1 box, spacing 1: the four corners level 1,
 * the centre level 2. */
void tex_make_x_pattern(tex_roi *t);

#endif
