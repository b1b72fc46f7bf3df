/* radx — extraction parameters: PyRadiomics parameter files and defaults. */
#ifndef RADX_PARAMS_H
#define RADX_PARAMS_H

#include <stddef.h>
#include <stdint.h>
#include "radx/status.h"
#include "radx/features.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RADX_MAX_CLASSES 8
#define RADX_MAX_CLASS_FEATURES 32

typedef enum radx_interpolator {
    RADX_INTERP_BSPLINE = 0,     /* sitkBSpline (PyRadiomics default) */
    RADX_INTERP_LINEAR,          /* sitkLinear */
    RADX_INTERP_NEAREST          /* sitkNearestNeighbor */
} radx_interpolator;

/* IBSI texture aggregation (shared/ibsi README): how matrices of slices and
 * angles are combined. DEFAULT is PyRadiomics' behaviour for the other
 * settings (force2D, weightingNorm). */
typedef enum radx_aggregation {
    RADX_AGG_DEFAULT = 0,
    RADX_AGG_2D_AVG,             /* per slice and angle, averaged */
    RADX_AGG_2D_SMRG,            /* per slice, angles merged, slices averaged */
    RADX_AGG_25D_AVG,            /* = force2D */
    RADX_AGG_25D_MRG,            /* = force2D + no_weighting */
    RADX_AGG_3D_AVG,             /* = 3D default */
    RADX_AGG_3D_MRG              /* = 3D + no_weighting */
} radx_aggregation;

typedef struct radx_params {
    char source[512];            /* parameter file path, or "<defaults>" */

    /* setting: preprocessing */
    double bin_width;            /* default 25 */
    int bin_count;               /* 0: unset (use bin_width) */
    int resample;                /* resampledPixelSpacing given */
    double resampled_spacing[3]; /* x, y, z; 0 keeps the original spacing */
    radx_interpolator interpolator;
    int pad_distance;            /* default 5 */
    int normalize;
    double normalize_scale;      /* default 1 */
    double remove_outliers;      /* 0: unset */
    double voxel_array_shift;    /* default 0 */
    int minimum_roi_dimensions;  /* default 2 */
    int64_t minimum_roi_size;    /* 0: unset */
    int pre_crop;
    int correct_mask;
    double geometry_tolerance;   /* 0: unset (SimpleITK's default 1e-6) */
    int label;                   /* default 1 */
    double image_spacing[3];     /* radx: spacing (mm) given by the manifest's Spacing
                                    column for image and mask, replacing the files'
                                    (PNG has none); 0 keeps the file's */

    /* setting: features */
    int force2d;
    int force2d_dimension;       /* PyRadiomics numbering: 0 z, 1 y, 2 x */
    int ndistances;
    int distances[RADX_MAX_DISTANCES];
    int symmetrical_glcm;
    radx_weighting weighting;
    double gldm_a;
    int ibsi;                    /* radx: IBSI definitions where they differ */
    radx_aggregation aggregation;/* radx: IBSI aggregation, overrides force2D/weightingNorm */

    /* imageType: only Original is implemented in this version */
    int image_original;

    /* featureClass: indices follow radx_feature_class_at() */
    uint8_t class_enabled[RADX_MAX_CLASSES];
    uint8_t feature_enabled[RADX_MAX_CLASSES][RADX_MAX_CLASS_FEATURES];
} radx_params;

/* PyRadiomics 3.1 defaults, every class and feature enabled. */
void radx_params_default(radx_params *params);

/* Read a PyRadiomics parameter file (YAML). Unknown keys, wrong types and
 * impossible values fail with a message naming the file, key and line;
 * `voxelSetting:` is ignored with a warning appended to `warnings` (may be
 * NULL; capacity warnings_size). On failure *params and warnings are left
 * untouched. */
radx_status radx_params_load(const char *path, radx_params *params,
                             char *warnings, size_t warnings_size);

/* Feature options for the texture classes resolved from params (force2D,
 * aggregation, distances, ...). per_slice is set for 2D_AVG / 2D_SMRG,
 * which compute features slice by slice and average them. */
void radx_params_feature_opts(const radx_params *params, int image_is_2d,
                              radx_feature_opts *opts, int *per_slice);

#ifdef __cplusplus
}
#endif
#endif
