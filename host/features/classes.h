/* The feature classes defined in host/features/, one file each. */
#ifndef RADX_FEATURES_CLASSES_H
#define RADX_FEATURES_CLASSES_H

#include "radx/features.h"

extern const radx_feature_class radx_class_shape;       /* shape3d.c */
extern const radx_feature_class radx_class_shape2D;     /* shape2d.c */
extern const radx_feature_class radx_class_firstorder;  /* firstorder.c */
extern const radx_feature_class radx_class_glcm;        /* glcm.c */
extern const radx_feature_class radx_class_gldm;        /* gldm.c */
extern const radx_feature_class radx_class_glrlm;       /* glrlm.c */
extern const radx_feature_class radx_class_glszm;       /* glszm.c */
extern const radx_feature_class radx_class_ngtdm;       /* ngtdm.c */

#endif
