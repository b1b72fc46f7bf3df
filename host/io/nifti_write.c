/* Writing NIfTI-1 files (.nii or .nii.gz) with zlib: the header is filled
 * from nifti1.h's struct so that every write error is ours to report. */
#include "radx/image.h"
#include "core/error.h"

#include <errno.h>
#include <math.h>
#include <nifti1.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>


static int ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* NIfTI stores RAS; radx keeps ITK's LPS: negate the first two rows of the
 * affine (x and y) to convert (ITK NiftiImageIO does the inverse). */
static void fill_affine(const radx_image *image, nifti_1_header *h)
{
    float *rows[3] = {h->srow_x, h->srow_y, h->srow_z};
    for (int r = 0; r < 3; r++) {
        double sign = r < 2 ? -1.0 : 1.0;
        for (int c = 0; c < 3; c++)
            rows[r][c] = (float)(sign * image->direction[r * 3 + c] * image->spacing[c]);
        rows[r][3] = (float)(sign * image->origin[r]);
    }
    h->sform_code = NIFTI_XFORM_SCANNER_ANAT;
    h->qform_code = 0;
}

static void fill_header(const radx_image *image, int as_uint8, nifti_1_header *h)
{
    memset(h, 0, sizeof *h);
    h->sizeof_hdr = 348;
    h->dim[0] = (short)(image->size[2] == 1 && image->ndim == 2 ? 2 : 3);
    for (int d = 0; d < 3; d++) {
        h->dim[d + 1] = (short)image->size[d];
        h->pixdim[d + 1] = (float)image->spacing[d];
    }
    for (int d = 4; d < 8; d++) h->dim[d] = 1;
    h->pixdim[0] = 1.0f;
    h->datatype = as_uint8 ? DT_UINT8 : DT_FLOAT64;
    h->bitpix = as_uint8 ? 8 : 64;
    h->vox_offset = 352.0f;
    h->scl_slope = 1.0f;
    h->xyzt_units = NIFTI_UNITS_MM;
    memcpy(h->magic, "n+1", 4);
    fill_affine(image, h);
}

radx_status radx_image_write_nifti(const char *path, const radx_image *image, int as_uint8)
{
    for (int d = 0; d < 3; d++)
        if (image->size[d] > 32767)
            return radx_fail(RADX_ERR_UNSUPPORTED, "%s: size %d exceeds NIfTI-1's 32767", path, image->size[d]);
    nifti_1_header header;
    fill_header(image, as_uint8, &header);
    gzFile f = gzopen(path, ends_with(path, ".gz") ? "wb6" : "wbT");
    if (!f) return radx_fail(RADX_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
    char extension[4] = {0, 0, 0, 0};
    int ok = gzwrite(f, &header, sizeof header) == (int)sizeof header &&
             gzwrite(f, extension, 4) == 4;
    size_t n = radx_image_voxels(image);
    if (as_uint8) {
        uint8_t *bytes = malloc(n);
        if (!bytes) ok = 0;
        for (size_t i = 0; ok && i < n; i++) {
            double v = image->data[i];
            bytes[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : lround(v));
        }
        ok = ok && gzwrite(f, bytes, (unsigned)n) == (int)n;
        free(bytes);
    } else {
        const char *p = (const char *)image->data;
        size_t left = n * sizeof(double);
        while (ok && left > 0) {
            unsigned chunk = left > (1u << 30) ? (1u << 30) : (unsigned)left;
            ok = gzwrite(f, p, chunk) == (int)chunk;
            p += chunk;
            left -= chunk;
        }
    }
    if (gzclose(f) != Z_OK) ok = 0;
    if (!ok) return radx_fail(RADX_ERR_IO, "%s: write failed", path);
    return RADX_OK;
}
