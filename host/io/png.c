/* PNG reader (libpng).
 *
 * Samples are decoded with the transformations ITK 5.4's PNGImageIO asks
 * libpng for (Modules/IO/PNG/src/itkPNGImageIO.cxx): palette -> RGB, 1/2/4-bit
 * grey -> 8-bit, tRNS -> alpha, sBIT -> shift to the significant bits. A
 * grey (or grey + alpha) image keeps its grey sample. Colour images, which
 * ITK reads as RGB(A) vectors, become one scalar, the ITU-R BT.601 luma
 *     Y = 0.299 R + 0.587 G + 0.114 B
 * (Recommendation ITU-R BT.601, luminance signal E'_Y), evaluated left to
 * right in double precision on the stored 8- or 16-bit samples; alpha is
 * ignored. The spacing is 1, or the pixel size of an sCAL chunk, as ITK
 * reports it; origin 0, identity direction.
 *
 * libpng reports errors by longjmp: all state lives in a png_reader owned by
 * the caller of the function that calls setjmp, so nothing is lost or
 * leaked when libpng jumps back; libpng's messages become ours and its
 * warnings are dropped (the library prints nothing). */
#define _POSIX_C_SOURCE 200809L
#include "io/png.h"
#include "core/error.h"

#include <ctype.h>
#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Largest image radx reads: 2^31 pixels. */
#define MAX_VOXELS ((uint64_t)1 << 31)
/* deflate expands by at most 1032:1 (zlib technical details), so n bytes
 * of PNG cannot hold more than 1032 n bytes of scanlines. */
#define DEFLATE_MAX_RATIO 1032

typedef struct png_reader {
    const char *path;
    FILE *file;
    unsigned long long file_bytes;
    png_structp png;
    png_infop info;
    png_bytep pixels;  /* decoded scanlines */
    png_bytepp rows;
    radx_image *image;
    char message[256]; /* libpng's error */
} png_reader;

static void on_png_error(png_structp png, png_const_charp message)
{
    png_reader *r = png_get_error_ptr(png);
    snprintf(r->message, sizeof r->message, "%s", message ? message : "unknown libpng error");
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp message)
{
    (void)png;
    (void)message;
}

/* The transformations ITK's PNGImageIO::Read sets (16-bit samples are kept
 * big-endian here and assembled below instead of png_set_swap). */
static void set_transformations(png_reader *r)
{
    int color_type = png_get_color_type(r->png, r->info);
    int bit_depth = png_get_bit_depth(r->png, r->info);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(r->png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(r->png);
    if (png_get_valid(r->png, r->info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(r->png);
    if (png_get_valid(r->png, r->info, PNG_INFO_sBIT)) {
        png_color_8p bits = NULL;
        if (png_get_sBIT(r->png, r->info, &bits) && bits) png_set_shift(r->png, bits);
    }
    png_set_interlace_handling(r->png);
    png_read_update_info(r->png, r->info);
}

/* Size limits, before anything is allocated. */
static radx_status check_size(png_reader *r, png_uint_32 width, png_uint_32 height)
{
    uint64_t pixels = (uint64_t)width * height;
    if (width == 0 || height == 0)
        return radx_fail(RADX_ERR_FORMAT, "%s: invalid PNG size %ux%u", r->path, (unsigned)width, (unsigned)height);
    if (pixels > MAX_VOXELS)
        return radx_fail(RADX_ERR_LIMIT, "%s: %ux%u pixels exceed radx's limit of 2^31", r->path,
                         (unsigned)width, (unsigned)height);
    uint64_t scanlines = (uint64_t)height * png_get_rowbytes(r->png, r->info);
    if (scanlines / DEFLATE_MAX_RATIO > r->file_bytes)
        return radx_fail(RADX_ERR_FORMAT,
                         "%s: truncated: expected %llu bytes of image data, more than %llu bytes can hold",
                         r->path, (unsigned long long)scanlines, r->file_bytes);
    return RADX_OK;
}

static double sample(const png_byte *p, int bit_depth)
{
    return bit_depth == 16 ? (double)(((unsigned)p[0] << 8) | p[1]) : (double)p[0];
}

/* Scanlines to voxel values: the grey sample, or BT.601 luma of R, G, B. */
static void convert_pixels(png_reader *r, int channels, int bit_depth)
{
    radx_image *image = r->image;
    int width = image->size[0], height = image->size[1];
    size_t step = (size_t)channels * (bit_depth == 16 ? 2 : 1);
    size_t sample_bytes = bit_depth == 16 ? 2 : 1;
    for (int y = 0; y < height; y++) {
        const png_byte *p = r->rows[y];
        double *out = image->data + (size_t)y * (size_t)width;
        for (int x = 0; x < width; x++, p += step) {
            if (channels <= 2) {
                out[x] = sample(p, bit_depth);
            } else {
                double red = sample(p, bit_depth), green = sample(p + sample_bytes, bit_depth),
                       blue = sample(p + 2 * sample_bytes, bit_depth);
                out[x] = 0.299 * red + 0.587 * green + 0.114 * blue;
            }
        }
    }
}

static radx_status allocate_rows(png_reader *r, png_uint_32 height)
{
    size_t rowbytes = png_get_rowbytes(r->png, r->info);
    r->pixels = malloc(rowbytes * height);
    r->rows = malloc(sizeof *r->rows * height);
    if (!r->pixels || !r->rows) return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", r->path);
    for (png_uint_32 y = 0; y < height; y++) r->rows[y] = r->pixels + (size_t)y * rowbytes;
    return RADX_OK;
}

/* ITK: spacing from sCAL when present (whatever its unit), else 1. */
static void set_spacing(png_reader *r)
{
#if defined(PNG_sCAL_SUPPORTED) && defined(PNG_FLOATING_POINT_SUPPORTED)
    int unit = 0;
    double width = 1.0, height = 1.0;
    if (png_get_sCAL(r->png, r->info, &unit, &width, &height) == PNG_INFO_sCAL) {
        r->image->spacing[0] = width;
        r->image->spacing[1] = height;
    }
#endif
}

/* Everything that may longjmp. Returns with r->image set, or a status. */
static radx_status decode(png_reader *r)
{
    if (setjmp(png_jmpbuf(r->png)))
        return radx_fail(RADX_ERR_FORMAT, "%s: corrupt PNG: %s", r->path, r->message);
    png_init_io(r->png, r->file);
    png_set_sig_bytes(r->png, 8);
    png_read_info(r->png, r->info);
    png_uint_32 width = png_get_image_width(r->png, r->info);
    png_uint_32 height = png_get_image_height(r->png, r->info);
    radx_status status = check_size(r, width, height);
    if (status != RADX_OK) return status;
    set_transformations(r);
    int channels = png_get_channels(r->png, r->info);
    int bit_depth = png_get_bit_depth(r->png, r->info);
    if (channels < 1 || channels > 4 || (bit_depth != 8 && bit_depth != 16))
        return radx_fail(RADX_ERR_UNSUPPORTED, "%s: unsupported PNG layout (%d channels of %d bits)", r->path,
                         channels, bit_depth);
    status = allocate_rows(r, height);
    if (status != RADX_OK) return status;
    png_read_image(r->png, r->rows);
    png_read_end(r->png, NULL);
    int size[3] = {(int)width, (int)height, 1};
    status = radx_image_alloc(size, &r->image);
    if (status != RADX_OK) return radx_fail_context(status, "%s", r->path);
    r->image->ndim = 2;
    r->image->pixel_type = channels > 2 ? RADX_PIXEL_FLOAT64
                                        : bit_depth == 16 ? RADX_PIXEL_UINT16 : RADX_PIXEL_UINT8;
    set_spacing(r);
    convert_pixels(r, channels, bit_depth);
    return RADX_OK;
}

static uint32_t big_endian_32(const png_byte *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Walk the chunks up to IEND: every declared length must fit in the file.
 * libpng allocates an ancillary chunk's declared length (up to 2 GiB)
 * before it finds that the file is shorter; this refuses such a file first.
 * Leaves the file just after the signature. */
static radx_status check_chunks(png_reader *r)
{
    unsigned long long at = 8;
    png_byte header[8];
    while (at + 8 <= r->file_bytes) {
        if (fseeko(r->file, (off_t)at, SEEK_SET) != 0 || fread(header, 1, 8, r->file) != 8) break;
        uint32_t length = big_endian_32(header);
        char type[5] = {(char)header[4], (char)header[5], (char)header[6], (char)header[7], '\0'};
        for (int i = 0; i < 4; i++)
            if (!isalpha((unsigned char)type[i])) type[i] = '?';
        if (length > PNG_UINT_31_MAX || at + 12 + length > r->file_bytes)
            return radx_fail(RADX_ERR_FORMAT, "%s: truncated: PNG chunk %s of %u bytes at offset %llu "
                             "does not fit in the file (%llu bytes)", r->path, type, (unsigned)length, at,
                             r->file_bytes);
        at += 12 + (unsigned long long)length;
        if (memcmp(header + 4, "IEND", 4) == 0) break;
    }
    if (fseeko(r->file, 8, SEEK_SET) != 0)
        return radx_fail(RADX_ERR_IO, "%s: cannot seek: %s", r->path, strerror(errno));
    return RADX_OK;
}

static radx_status open_png(png_reader *r)
{
    r->file = fopen(r->path, "rb");
    if (!r->file) return radx_fail(RADX_ERR_IO, "%s: cannot open: %s", r->path, strerror(errno));
    struct stat st;
    if (fstat(fileno(r->file), &st) != 0)
        return radx_fail(RADX_ERR_IO, "%s: cannot stat: %s", r->path, strerror(errno));
    r->file_bytes = (unsigned long long)st.st_size;
    png_byte signature[8];
    if (fread(signature, 1, 8, r->file) != 8 || png_sig_cmp(signature, 0, 8) != 0)
        return radx_fail(RADX_ERR_FORMAT, "%s: not a PNG file", r->path);
    radx_status status = check_chunks(r);
    if (status != RADX_OK) return status;
    r->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, r, on_png_error, on_png_warning);
    if (r->png) r->info = png_create_info_struct(r->png);
    if (!r->png || !r->info) return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", r->path);
    return RADX_OK;
}

radx_status radx_read_png(const char *path, radx_image **out)
{
    *out = NULL;
    png_reader r;
    memset(&r, 0, sizeof r);
    r.path = path;
    radx_status status = open_png(&r);
    if (status == RADX_OK) status = decode(&r);
    if (r.png) png_destroy_read_struct(&r.png, r.info ? &r.info : NULL, NULL);
    if (r.file) fclose(r.file);
    free(r.rows);
    free(r.pixels);
    if (status != RADX_OK) {
        radx_image_free(r.image);
        return status;
    }
    *out = r.image;
    return RADX_OK;
}
