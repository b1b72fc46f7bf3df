/* Neighbour offsets ("angles") for GLCM and GLRLM, generated as PyRadiomics'
 * cmatrices.c build_angles() does: every offset (dx,dy,dz) with components in
 * [-dmax, dmax], infinity norm in the distance list, not moving along the
 * out-of-plane axis under force2D, and no component reaching the ROI's
 * bounding-box size along its axis. With `bidirectional` 0 only one of each
 * pair (v, -v) is kept (13 angles in 3D at distance 1, 4 in plane). */
#ifndef RADX_FEATURES_ANGLES_H
#define RADX_FEATURES_ANGLES_H

#include "radx/features.h"

/* Worst case: 3D, largest distance 8 -> 17^3 - 1 offsets. */
#define RADX_MAX_ANGLES (17 * 17 * 17 - 1)

typedef struct radx_angle {
    int offset[3];   /* x, y, z */
    int distance;    /* infinity norm of offset */
} radx_angle;

/* Fill `angles` (capacity RADX_MAX_ANGLES) and return how many were made, or
 * -1 if a distance is < 1 or > RADX_MAX_DISTANCES. size: bounding box x,y,z;
 * force2d_axis: -1 for 3D, else the axis (0 x, 1 y, 2 z) that must not move. */
int radx_angles_generate(const int size[3], const int *distances, int ndistances,
                         int force2d_axis, int bidirectional, radx_angle *angles);

/* PyRadiomics weightingNorm factor for an offset: exp(-||d||^2) with the
 * given norm, spacing-scaled (glcm.py/_applyMatrixOptions); 1 for NONE and
 * AVERAGE. */
double radx_angle_weight(const radx_angle *angle, const double spacing[3],
                         radx_weighting weighting);

#endif
