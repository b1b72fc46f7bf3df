#include "io/manifest.h"
#include "core/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *radx_manifest_resolve(const char *manifest_path, const char *path)
{
    const char *slash = strrchr(manifest_path, '/');
    if (path[0] == '/' || !slash) return strdup(path);
    int folder_length = (int)(slash - manifest_path);
    size_t length = (size_t)folder_length + strlen(path) + 2;
    char *joined = malloc(length);
    if (joined) snprintf(joined, length, "%.*s/%s", folder_length, manifest_path, path);
    return joined;
}

void radx_manifest_free(radx_manifest *manifest)
{
    if (!manifest) return;
    if (manifest->csv && manifest->image_paths && manifest->mask_paths)
        for (int r = 0; r < manifest->csv->nrows; r++) {
            free(manifest->image_paths[r]);
            free(manifest->mask_paths[r]);
        }
    free(manifest->image_paths);
    free(manifest->mask_paths);
    radx_csv_free(manifest->csv);
    free(manifest);
}

radx_status radx_manifest_read(const char *path, radx_manifest **out)
{
    *out = NULL;
    radx_manifest *m = calloc(1, sizeof *m);
    if (!m) return radx_fail(RADX_ERR_NOMEM, "out of memory");
    radx_status status = radx_csv_read(path, &m->csv);
    if (status != RADX_OK) {
        free(m);
        return status;
    }
    m->image_col = radx_csv_column(m->csv, "Image");
    m->mask_col = radx_csv_column(m->csv, "Mask");
    m->label_col = radx_csv_column(m->csv, "Label");
    m->spacing_col = radx_csv_column(m->csv, "Spacing");
    m->frame_col = radx_csv_column(m->csv, "Frame");
    if (m->image_col < 0 || m->mask_col < 0) {
        radx_manifest_free(m);
        return radx_fail(RADX_ERR_FORMAT, "%s: the manifest needs columns 'Image' and 'Mask'", path);
    }
    int n = m->csv->nrows;
    m->image_paths = calloc((size_t)n + 1, sizeof *m->image_paths);
    m->mask_paths = calloc((size_t)n + 1, sizeof *m->mask_paths);
    if (!m->image_paths || !m->mask_paths) {
        radx_manifest_free(m);
        return radx_fail(RADX_ERR_NOMEM, "out of memory");
    }
    for (int r = 0; r < n; r++) {
        m->image_paths[r] = radx_manifest_resolve(path, m->csv->cells[r][m->image_col]);
        m->mask_paths[r] = radx_manifest_resolve(path, m->csv->cells[r][m->mask_col]);
        if (!m->image_paths[r] || !m->mask_paths[r]) {
            radx_manifest_free(m);
            return radx_fail(RADX_ERR_NOMEM, "out of memory");
        }
    }
    *out = m;
    return RADX_OK;
}

radx_status radx_manifest_label(const radx_manifest *manifest, int row, int fallback, int *label)
{
    *label = fallback;
    if (manifest->label_col < 0) return RADX_OK;
    const char *cell = manifest->csv->cells[row][manifest->label_col];
    if (cell[0] == '\0') return RADX_OK;
    double value;
    if (radx_csv_number(cell, &value) != 0 || value != floor(value) || fabs(value) > 1e9)
        return radx_fail(RADX_ERR_PARAM, "%s:%d: Label '%s' is not an integer",
                         manifest->csv->path, manifest->csv->line[row], cell);
    *label = (int)value;
    return RADX_OK;
}

radx_status radx_manifest_spacing(const radx_manifest *manifest, int row, double spacing[3])
{
    spacing[0] = spacing[1] = spacing[2] = 0.0;
    if (manifest->spacing_col < 0) return RADX_OK;
    const char *cell = manifest->csv->cells[row][manifest->spacing_col];
    const char *p = cell;
    int count = 0;
    while (*p == ' ') p++;
    if (*p == '\0') return RADX_OK;
    while (*p && count < 3) {
        char *end;
        double value = strtod(p, &end);
        if (end == p || !(value > 0) || !isfinite(value)) break;
        spacing[count++] = value;
        p = end;
        while (*p == ' ') p++;
        if (*p == 'x' || *p == 'X' || *p == ';') p++;
        while (*p == ' ') p++;
    }
    if (*p != '\0' || count < 2)
        return radx_fail(RADX_ERR_PARAM, "%s:%d: Spacing '%s' is not 2 or 3 positive numbers in mm "
                         "(e.g. 0.08x0.08)", manifest->csv->path, manifest->csv->line[row], cell);
    return RADX_OK;
}

radx_status radx_manifest_frame(const radx_manifest *manifest, int row, int *frame)
{
    *frame = 0;
    if (manifest->frame_col < 0) return RADX_OK;
    const char *cell = manifest->csv->cells[row][manifest->frame_col];
    if (cell[0] == '\0') return RADX_OK;
    double value;
    if (radx_csv_number(cell, &value) != 0 || value != floor(value) || value < 1 || value > 1e9)
        return radx_fail(RADX_ERR_PARAM, "%s:%d: Frame '%s' is not a frame number (1, 2, ...)",
                         manifest->csv->path, manifest->csv->line[row], cell);
    *frame = (int)value;
    return RADX_OK;
}
