/* NRRD reader (.nrrd with attached data, .nhdr detached headers), via teem. */
#ifndef RADX_IO_NRRD_H
#define RADX_IO_NRRD_H

#include "radx/image.h"

/* Read a scalar 2D or 3D NRRD image as ITK's NrrdImageIO interprets it:
 * spacing and direction from "space directions" (or "spacings"), origin from
 * "space origin" (or "axis mins"), right-anterior-superior and
 * left-anterior-superior spaces turned into LPS. teem parses the header;
 * the data (raw, gzip, ascii or hex; attached, or detached in one or more
 * files) are read by radx. Calls into teem are serialised by a mutex
 * because teem's error stack (biff) is global. */
radx_status radx_read_nrrd(const char *path, radx_image **out);

#endif
