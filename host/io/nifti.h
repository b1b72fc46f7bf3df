/* NIfTI-1 / NIfTI-2 reader (single-file .nii and .nii.gz). */
#ifndef RADX_IO_NIFTI_H
#define RADX_IO_NIFTI_H

#include "radx/image.h"

/* Read a scalar NIfTI image as ITK's NiftiImageIO interprets it (voxel
 * values with scl_slope/scl_inter applied, LPS origin and direction chosen
 * from the qform/sform as ITK 5.4 does). The spacing is the file's pixdim
 * and may be negative: radx_image_read() applies ITK's ImageFileReader rule
 * (positive spacing, flipped direction column) and the final checks. */
radx_status radx_read_nifti(const char *path, radx_image **out);

#endif
