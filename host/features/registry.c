/* The one list of feature classes: output order, names and IBSI codes all
 * come from here and from each class's own feature table. */
#include "features/classes.h"

#include <string.h>

static const radx_feature_class *const classes[] = {
    &radx_class_shape,  &radx_class_shape2D, &radx_class_firstorder,
    &radx_class_glcm,   &radx_class_gldm,    &radx_class_glrlm,
    &radx_class_glszm,  &radx_class_ngtdm,
};

int radx_feature_class_count(void) { return (int)(sizeof classes / sizeof classes[0]); }

const radx_feature_class *radx_feature_class_at(int index)
{
    if (index < 0 || index >= radx_feature_class_count()) return NULL;
    return classes[index];
}

const radx_feature_class *radx_feature_class_find(const char *name)
{
    for (int i = 0; i < radx_feature_class_count(); i++)
        if (strcmp(classes[i]->name, name) == 0) return classes[i];
    return NULL;
}

int radx_feature_index(const radx_feature_class *cls, const char *feature_name)
{
    for (int i = 0; i < cls->nfeatures; i++)
        if (strcmp(cls->features[i].name, feature_name) == 0) return i;
    return -1;
}

void radx_feature_opts_default(radx_feature_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->force2d_axis = 2;
    opts->ndistances = 1;
    opts->distances[0] = 1;
    opts->symmetrical_glcm = 1;
    opts->weighting = RADX_WEIGHTING_AVERAGE;
}
