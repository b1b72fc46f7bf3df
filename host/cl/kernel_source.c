/* Kernel sources from the embedded table or from RADX_KERNEL_DIR. */
#include "cl/kernel_source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static radx_status read_file(const char *path, char **text)
{
    FILE *f = fopen(path, "rb");
    if (!f) return radx_fail(RADX_ERR_IO, "%s: cannot open kernel source: %s", path, strerror(errno));
    size_t capacity = 1 << 14, length = 0;
    char *buffer = malloc(capacity);
    while (buffer) {
        length += fread(buffer + length, 1, capacity - length - 1, f);
        if (length + 1 < capacity) break;
        char *bigger = realloc(buffer, capacity * 2);
        if (!bigger) free(buffer);
        buffer = bigger;
        capacity *= 2;
    }
    int failed = ferror(f);
    fclose(f);
    if (!buffer) return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", path);
    if (failed) {
        free(buffer);
        return radx_fail(RADX_ERR_IO, "%s: read error", path);
    }
    buffer[length] = '\0';
    *text = buffer;
    return RADX_OK;
}

radx_status radx_cl_kernel_source(const char *name, char **text, char *origin, size_t origin_size)
{
    *text = NULL;
    const char *dir = getenv("RADX_KERNEL_DIR");
    if (dir && dir[0]) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        snprintf(origin, origin_size, "%s", path);
        return read_file(path, text);
    }
    for (const radx_cl_embedded_file *f = radx_cl_embedded_files; f->name; f++) {
        if (strcmp(f->name, name) != 0) continue;
        *text = malloc(f->length + 1);
        if (!*text) return radx_fail(RADX_ERR_NOMEM, "out of memory for kernel %s", name);
        memcpy(*text, f->text, f->length + 1);
        snprintf(origin, origin_size, "embedded %s", name);
        return RADX_OK;
    }
    return radx_fail(RADX_ERR_INTERNAL, "kernel source %s was not embedded at build time", name);
}
