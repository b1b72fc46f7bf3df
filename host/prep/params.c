/* radx — extraction parameters: PyRadiomics 3.1 defaults and the feature
 * options the texture classes read. Parameter files: host/io/params_yaml.c. */
#include <stddef.h> /* radx/params.h uses size_t */

#include "radx/params.h"

#include <stdio.h>
#include <string.h>

/* Every class of the registry and every feature of its table enabled, as
 * PyRadiomics does when a parameter file has no (or an empty) featureClass
 * section (featureextractor._applyParams). Classes or features beyond the
 * fixed capacities cannot be represented and stay disabled. */
static void enable_all_features(radx_params *params)
{
    int nclasses = radx_feature_class_count();
    for (int c = 0; c < nclasses && c < RADX_MAX_CLASSES; c++) {
        const radx_feature_class *cls = radx_feature_class_at(c);
        params->class_enabled[c] = 1;
        for (int f = 0; f < cls->nfeatures && f < RADX_MAX_CLASS_FEATURES; f++)
            params->feature_enabled[c][f] = 1;
    }
}

/* Defaults of PyRadiomics 3.1: featureextractor._getDefaultSettings() plus
 * the defaults the feature classes and imageoperations read with
 * kwargs.get(): binWidth 25 (base.py), symmetricalGLCM True (glcm.py),
 * weightingNorm None (glcm.py/glrlm.py), gldm_a 0 (gldm.py),
 * voxelArrayShift 0 (firstorder.py), correctMask False and
 * geometryTolerance None (imageoperations.checkMask). */
void radx_params_default(radx_params *params)
{
    memset(params, 0, sizeof *params);
    snprintf(params->source, sizeof params->source, "%s", "<defaults>");

    params->bin_width = 25.0;
    params->bin_count = 0;                   /* binCount None */
    params->resample = 0;                    /* resampledPixelSpacing None */
    params->interpolator = RADX_INTERP_BSPLINE;
    params->pad_distance = 5;
    params->normalize = 0;
    params->normalize_scale = 1.0;
    params->remove_outliers = 0.0;           /* removeOutliers None */
    params->voxel_array_shift = 0.0;
    params->minimum_roi_dimensions = 2;
    params->minimum_roi_size = 0;            /* minimumROISize None */
    params->pre_crop = 0;
    params->correct_mask = 0;
    params->geometry_tolerance = 0.0;        /* geometryTolerance None */
    params->label = 1;

    params->force2d = 0;
    params->force2d_dimension = 0;
    params->ndistances = 1;
    params->distances[0] = 1;
    params->symmetrical_glcm = 1;
    params->weighting = RADX_WEIGHTING_AVERAGE;
    params->gldm_a = 0.0;
    params->ibsi = 0;
    params->aggregation = RADX_AGG_DEFAULT;

    params->image_original = 1;              /* imageType {Original: {}} */
    enable_all_features(params);
}

/* IBSI aggregation (tests/data/ibsi/README.md, "Aggregation names"): which
 * PyRadiomics settings reproduce it. 2.5D is PyRadiomics' force2D on the
 * native slice plane; "merged" is weightingNorm no_weighting (matrices
 * summed with weight 1); "averaged" is weightingNorm None (features per
 * matrix, then mean); 2D computes features slice by slice and averages. */
static void apply_aggregation(radx_aggregation aggregation, radx_feature_opts *opts,
                              int *per_slice)
{
    switch (aggregation) {
    case RADX_AGG_DEFAULT:
        return;
    case RADX_AGG_2D_AVG:
        opts->force2d = 1;
        opts->force2d_axis = 2;
        opts->weighting = RADX_WEIGHTING_AVERAGE;
        *per_slice = 1;
        return;
    case RADX_AGG_2D_SMRG:
        opts->force2d = 1;
        opts->force2d_axis = 2;
        opts->weighting = RADX_WEIGHTING_NONE;
        *per_slice = 1;
        return;
    case RADX_AGG_25D_AVG:
        opts->force2d = 1;
        opts->force2d_axis = 2;
        opts->weighting = RADX_WEIGHTING_AVERAGE;
        return;
    case RADX_AGG_25D_MRG:
        opts->force2d = 1;
        opts->force2d_axis = 2;
        opts->weighting = RADX_WEIGHTING_NONE;
        return;
    case RADX_AGG_3D_AVG:
        opts->force2d = 0;
        opts->weighting = RADX_WEIGHTING_AVERAGE;
        return;
    case RADX_AGG_3D_MRG:
        opts->force2d = 0;
        opts->weighting = RADX_WEIGHTING_NONE;
        return;
    }
}

void radx_params_feature_opts(const radx_params *params, int image_is_2d,
                              radx_feature_opts *opts, int *per_slice)
{
    int slice_by_slice = 0;
    radx_feature_opts_default(opts);

    opts->force2d = params->force2d;
    /* PyRadiomics force2Ddimension counts in SimpleITK array order (z, y, x):
     * 0 -> z (axis 2), 1 -> y (axis 1), 2 -> x (axis 0). */
    opts->force2d_axis = 2 - params->force2d_dimension;
    opts->ndistances = params->ndistances;
    for (int d = 0; d < params->ndistances && d < RADX_MAX_DISTANCES; d++)
        opts->distances[d] = params->distances[d];
    opts->symmetrical_glcm = params->symmetrical_glcm;
    opts->weighting = params->weighting;
    opts->gldm_a = params->gldm_a;
    opts->voxel_array_shift = params->voxel_array_shift;
    opts->ibsi = params->ibsi;

    apply_aggregation(params->aggregation, opts, &slice_by_slice);

    /* A 2D image is textured in its own plane (shared/notes/pyradiomics.md,
     * trap 1): in-plane angles and connectivity, whatever force2D says. */
    if (image_is_2d) {
        opts->force2d = 1;
        opts->force2d_axis = 2;
    }
    if (per_slice) *per_slice = slice_by_slice;
}
