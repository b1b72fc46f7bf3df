#include "features/angles.h"

#include <math.h>
#include <stdlib.h>

static int in_distance_list(int d, const int *distances, int n)
{
    for (int i = 0; i < n; i++)
        if (distances[i] == d) return 1;
    return 0;
}

/* PyRadiomics enumerates offsets in numpy order (z, y, x), the last axis
 * fastest, each running from +dmax down to -dmax; it keeps the first of each
 * opposite pair when not bidirectional. We follow the same enumeration so
 * that angle indices agree with PyRadiomics' matrices. */
int radx_angles_generate(const int size[3], const int *distances, int ndistances,
                         int force2d_axis, int bidirectional, radx_angle *angles)
{
    int dmax = 0;
    for (int i = 0; i < ndistances; i++) {
        if (distances[i] < 1 || distances[i] > RADX_MAX_DISTANCES) return -1;
        if (distances[i] > dmax) dmax = distances[i];
    }
    int count = 0;
    for (int dz = dmax; dz >= -dmax; dz--)
        for (int dy = dmax; dy >= -dmax; dy--)
            for (int dx = dmax; dx >= -dmax; dx--) {
                int off[3] = {dx, dy, dz};
                int norm = 0, valid = 1;
                for (int a = 0; a < 3 && valid; a++) {
                    if ((a == force2d_axis && off[a] != 0) || abs(off[a]) >= size[a])
                        valid = 0;
                    if (abs(off[a]) > norm) norm = abs(off[a]);
                }
                if (!valid || norm == 0 || !in_distance_list(norm, distances, ndistances))
                    continue;
                /* Not bidirectional: keep an offset only if its opposite has
                 * not been enumerated yet, i.e. the first in (z,y,x) order. */
                if (!bidirectional) {
                    int first_nonzero = dz != 0 ? dz : (dy != 0 ? dy : dx);
                    if (first_nonzero < 0) continue;
                }
                angles[count].offset[0] = dx;
                angles[count].offset[1] = dy;
                angles[count].offset[2] = dz;
                angles[count].distance = norm;
                count++;
            }
    return count;
}

double radx_angle_weight(const radx_angle *angle, const double spacing[3],
                         radx_weighting weighting)
{
    double d[3];
    for (int a = 0; a < 3; a++) d[a] = fabs(angle->offset[a] * spacing[a]);
    double norm;
    switch (weighting) {
    case RADX_WEIGHTING_MANHATTAN: norm = d[0] + d[1] + d[2]; break;
    /* glcm.py: exp(-sum((|a| * spacing)^2)), no square root taken */
    case RADX_WEIGHTING_EUCLIDEAN: return exp(-(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]));
    case RADX_WEIGHTING_INFINITY: norm = fmax(d[0], fmax(d[1], d[2])); break;
    default: return 1.0;
    }
    return exp(-norm * norm);
}
