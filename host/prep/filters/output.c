/* The list of derived images a filter yields, its skip warnings, and a new
 * image on an input's grid (SimpleITK's CopyInformation). */
#include "prep/filters/filters.h"
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void radx_filter_output_init(radx_filter_output *out)
{
    memset(out, 0, sizeof *out);
}

void radx_filter_output_free(radx_filter_output *out)
{
    if (!out) return;
    for (size_t i = 0; i < out->count; i++)
        radx_image_free(out->images[i].image);
    free(out->images);
    radx_filter_output_init(out);
}

radx_status radx_filter_new_image(const radx_image *like, radx_image **out)
{
    radx_status status = radx_image_alloc(like->size, out);
    if (status != RADX_OK) return status;
    radx_image *image = *out;
    image->ndim = like->ndim;
    memcpy(image->spacing, like->spacing, sizeof image->spacing);
    memcpy(image->origin, like->origin, sizeof image->origin);
    memcpy(image->direction, like->direction, sizeof image->direction);
    image->pixel_type = RADX_PIXEL_FLOAT64;
    return RADX_OK;
}

radx_status radx_filter_output_add(radx_filter_output *out, const char *name, radx_image *image)
{
    if (out->count == out->capacity) {
        size_t capacity = out->capacity ? 2 * out->capacity : 8;
        radx_filtered_image *grown = realloc(out->images, capacity * sizeof *grown);
        if (!grown) {
            radx_image_free(image);
            return radx_fail(RADX_ERR_NOMEM, "out of memory for the list of filtered images");
        }
        out->images = grown;
        out->capacity = capacity;
    }
    radx_filtered_image *entry = &out->images[out->count++];
    snprintf(entry->name, sizeof entry->name, "%s", name);
    entry->image = image;
    return RADX_OK;
}

void radx_filter_output_warn(radx_filter_output *out, const char *fmt, ...)
{
    size_t used = strlen(out->warnings);
    if (used + 1 >= sizeof out->warnings) return;
    if (used > 0) {
        out->warnings[used++] = '\n';
        out->warnings[used] = '\0';
    }
    va_list args;
    va_start(args, fmt);
    vsnprintf(out->warnings + used, sizeof out->warnings - used, fmt, args);
    va_end(args);
}
