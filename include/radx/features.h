/* radx — feature classes: the discretised ROI they read, their options and
 * the registry that fixes names, order and IBSI codes. */
#ifndef RADX_FEATURES_H
#define RADX_FEATURES_H

#include <stdint.h>
#include "radx/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Highest grey level (number of bins) a discretised ROI may have. Matrices
 * are built over the levels present (64-bit counts); this bounds a dense
 * GLCM at 4096^2 doubles (128 MiB) per working matrix. */
#define RADX_MAX_GRAY_LEVELS 4096

/* Most GLCM distances a parameter file may list. */
#define RADX_MAX_DISTANCES 8

/* The ROI as every feature class sees it: cropped to the mask's bounding
 * box (no padding, as PyRadiomics crops before its feature classes), x
 * fastest, index x + size[0] * (y + size[1] * z). */
typedef struct radx_roi {
    int size[3];                 /* bounding-box size x, y, z */
    double spacing[3];           /* mm */
    const uint8_t *mask;         /* 1 inside the ROI, 0 outside */
    const double *values;        /* intensities after normalise/resample/filter */
    const int *levels;           /* discretised grey level, 1..ng inside; 0 outside */
    int ng;                      /* highest grey level inside (PyRadiomics Ng) */
    int nlevels;                 /* number of distinct grey levels inside */
    const int *level_values;     /* the distinct levels, ascending [nlevels] */
    const int *level_rank;       /* [ng + 1]: index into level_values, -1 if absent */
    int64_t nvoxels;             /* voxels inside the ROI */
} radx_roi;

/* GLCM/GLRLM angle combination: PyRadiomics `weightingNorm`. */
typedef enum radx_weighting {
    RADX_WEIGHTING_AVERAGE = 0,  /* unset: features per angle, then mean */
    RADX_WEIGHTING_MANHATTAN,
    RADX_WEIGHTING_EUCLIDEAN,
    RADX_WEIGHTING_INFINITY,
    RADX_WEIGHTING_NONE          /* 'no_weighting': matrices summed, weight 1 */
} radx_weighting;

/* Options every feature class may read (PyRadiomics settings of the same
 * name, resolved from the parameter file). */
typedef struct radx_feature_opts {
    int force2d;                 /* in-plane angles and connectivity only */
    int force2d_axis;            /* the axis that is NOT in plane: 0 x, 1 y, 2 z
                                    (PyRadiomics force2Ddimension 0 -> z = 2) */
    int ndistances;
    int distances[RADX_MAX_DISTANCES];
    int symmetrical_glcm;        /* default 1 */
    radx_weighting weighting;
    double gldm_a;               /* GLDM dependence threshold alpha, default 0 */
    double voxel_array_shift;    /* first-order Energy/TotalEnergy/RMS shift */
    int ibsi;                    /* 1: IBSI definitions where they differ */
} radx_feature_opts;

/* PyRadiomics defaults (3D, distance 1, symmetric, averaged angles, ...). */
void radx_feature_opts_default(radx_feature_opts *opts);

/* One feature: its PyRadiomics name and its IBSI code ("" if IBSI has none). */
typedef struct radx_feature_def {
    const char *name;            /* e.g. "Contrast" */
    const char *ibsi_code;       /* e.g. "ACUI" */
    const char *note;            /* difference from IBSI, or "" */
} radx_feature_def;

/* A feature class: compute() writes every feature of the class, in the
 * order of `features`, into out[0..nfeatures-1]. */
typedef struct radx_feature_class {
    const char *name;            /* PyRadiomics class name: "glcm", "shape2D" */
    int nfeatures;
    const radx_feature_def *features;
    radx_status (*compute)(const radx_roi *roi, const radx_feature_opts *opts,
                           double *out);
} radx_feature_class;

/* The classes in output order: shape / shape2D first, then firstorder, glcm,
 * gldm, glrlm, glszm, ngtdm. */
int radx_feature_class_count(void);
const radx_feature_class *radx_feature_class_at(int index);
const radx_feature_class *radx_feature_class_find(const char *name);

/* Index of a feature in its class, or -1. */
int radx_feature_index(const radx_feature_class *cls, const char *feature_name);

#ifdef __cplusplus
}
#endif
#endif
