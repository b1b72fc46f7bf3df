/* PNG reader via libpng. */
#ifndef RADX_IO_PNG_H
#define RADX_IO_PNG_H

#include "radx/image.h"

/* Read a PNG as a 2D image (ndim 2, size[2] 1, origin 0, identity
 * direction). Grey and grey+alpha keep the grey sample (uint8/uint16);
 * RGB, RGBA and palette images become ITU-R BT.601 luminance (float64);
 * alpha is ignored. Samples are decoded as ITK's PNGImageIO does (1/2/4-bit
 * grey expanded to 8 bits, sBIT shift); the spacing is 1, or the sCAL
 * chunk's pixel size where the file has one, as ITK reports it. */
radx_status radx_read_png(const char *path, radx_image **out);

#endif
