/* radx_tiles_pack: a manifest's cases prepared once (in parallel, a group at
 * a time) and written in manifest order into a tile store: per case the
 * original image's tile, then one per derived image (every image type of
 * the settings), with the case's warnings and the CPU path's failure. */
#include "tiles/tilestore.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "extract/case.h"
#include "io/manifest.h"
#include "tiles/tiles_write.h"

/* Per-case outcome of the preparation, for /manifest. */
typedef struct pack_state {
    int n;
    int *label, *status, *ntiles;
    char **message, **warnings;
    int64_t *tile;
} pack_state;

static void state_free(pack_state *s)
{
    for (int i = 0; i < s->n; i++) {
        if (s->message) free(s->message[i]);
        if (s->warnings) free(s->warnings[i]);
    }
    free(s->message);
    free(s->warnings);
    free(s->ntiles);
    free(s->label);
    free(s->status);
    free(s->tile);
}

/* The parameter file as text, stored so that extraction uses the same
 * settings ("" for defaults). */
static radx_status params_text(const char *path, char **text)
{
    *text = NULL;
    if (!path) return (*text = strdup("")) ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "out of memory");
    FILE *f = fopen(path, "rb");
    if (!f) return radx_fail(RADX_ERR_IO, "%s: cannot open", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *text = malloc(n > 0 ? (size_t)n + 1 : 1);
    size_t got = *text && n > 0 ? fread(*text, 1, (size_t)n, f) : 0;
    fclose(f);
    if (!*text) return radx_fail(RADX_ERR_NOMEM, "out of memory");
    (*text)[got] = '\0';
    return RADX_OK;
}

/* A case that failed while its derived images were made: the CPU path
 * computes the classes of the images made before the failure first, and
 * one of them may fail before it (radx_kept_images_compute). */
static radx_status earliest_failure(radx_status failure, radx_kept_images *kept, const radx_params *params,
                                    radx_case_result *diag)
{
    if (kept->ndevice == 0) return failure;
    char message[1024], warnings[sizeof diag->warnings];
    snprintf(message, sizeof message, "%s", radx_last_error());
    memcpy(warnings, diag->warnings, sizeof warnings);
    radx_status earlier = radx_kept_images_compute(kept, params, 0, diag);
    if (earlier != RADX_OK) return earlier;
    memcpy(diag->warnings, warnings, sizeof warnings);
    return radx_fail(failure, "%s", message);
}

/* Read and prepare one case (as radx_extract_files up to the classes),
 * its derived images kept without their classes. */
static radx_status prepare(const radx_manifest *m, int row, const radx_params *params, int label,
                           radx_roi_data *roi, radx_kept_images *kept, radx_case_result *diag)
{
    radx_params case_params = *params;
    case_params.label = label;
    radx_image *image = NULL, *mask = NULL;
    memset(roi, 0, sizeof *roi);
    radx_kept_images_init(kept, RADX_KEEP_NO_CLASSES);
    radx_status st = radx_case_result_init(diag);
    if (st == RADX_OK) st = radx_manifest_spacing(m, row, case_params.image_spacing);
    if (st == RADX_OK) st = radx_manifest_frame(m, row, &case_params.image_frame);
    if (st == RADX_OK)
        st = radx_case_read(m->image_paths[row], m->mask_paths[row], &case_params, &image, &mask, diag);
    if (st == RADX_OK) st = radx_case_prepare_keep(image, mask, &case_params, NULL, roi, diag, kept);
    if (st != RADX_OK && diag->values) st = earliest_failure(st, kept, &case_params, diag);
    radx_image_free(image);
    radx_image_free(mask);
    return st;
}

/* The tiles of one prepared case: the original image, then the derived
 * images in the CPU path's order; *first receives the first tile. */
static radx_status write_case(radx_tiles_writer *w, int row, const radx_params *params,
                              const radx_roi_data *roi, const radx_kept_images *kept,
                              const radx_case_result *diag, int64_t *first)
{
    radx_params type_params;
    radx_params_for_original(params, &type_params);
    int index = -1;
    radx_status st = radx_tiles_writer_add(w, row, &roi->roi, diag, "original", RADX_IMAGE_ORIGINAL,
                                           &type_params, NULL, &index);
    *first = index;
    for (int i = 0; st == RADX_OK && i < kept->count; i++) {
        const radx_kept_image *k = &kept->images[i];
        radx_params_for_image_type(params, k->type_index, &type_params);
        st = radx_tiles_writer_add(w, row, &k->roi.roi, diag, diag->derived[k->derived_index].image_name,
                                   params->image_types[k->type_index].kind, &type_params,
                                   k->failure_warnings, &index);
    }
    return st;
}

/* One group: prepared in parallel, written in order. */
static radx_status pack_group(const radx_manifest *m, const radx_params *params, int first, int n,
                              radx_roi_data *rois, radx_kept_images *kept, radx_case_result *diags,
                              radx_tiles_writer *w, pack_state *s)
{
#pragma omp parallel for schedule(dynamic, 1)
    for (int i = 0; i < n; i++) {
        int row = first + i;
        s->status[row] = prepare(m, row, params, s->label[row], &rois[i], &kept[i], &diags[i]);
        s->message[row] = strdup(s->status[row] != RADX_OK ? radx_last_error() : "");
        s->warnings[row] = strdup(diags[i].warnings);
    }
    radx_status st = RADX_OK;
    for (int i = 0; i < n; i++) {
        int row = first + i;
        int64_t index = -1;
        if (!s->message[row] || !s->warnings[row]) st = radx_fail(RADX_ERR_NOMEM, "out of memory");
        if (st == RADX_OK && s->status[row] == RADX_OK)
            st = write_case(w, row, params, &rois[i], &kept[i], &diags[i], &index);
        s->tile[row] = index;
        s->ntiles[row] = index >= 0 ? 1 + kept[i].count : 0;
        radx_roi_data_free(&rois[i]);
        radx_kept_images_free(&kept[i]);
        radx_case_result_free(&diags[i]);
    }
    return st;
}

static radx_status finish(radx_tiles_writer *w, const radx_manifest *m, const pack_state *s,
                          const char *source, const char *text)
{
    const radx_csv *csv = m->csv;
    const char **cells = malloc((size_t)(csv->nrows * csv->ncols + 1) * sizeof *cells);
    if (!cells) {
        radx_tiles_writer_abort(w);
        return radx_fail(RADX_ERR_NOMEM, "out of memory");
    }
    for (int r = 0; r < csv->nrows; r++)
        for (int c = 0; c < csv->ncols; c++) cells[r * csv->ncols + c] = csv->cells[r][c];
    radx_tiles_cohort cohort = {
        csv->nrows, csv->ncols, (const char *const *)csv->header, cells,
        (const char *const *)m->image_paths, (const char *const *)m->mask_paths,
        s->label, s->status, (const char *const *)s->message, s->tile, s->ntiles,
        (const char *const *)s->warnings, source, text};
    radx_status st = radx_tiles_writer_finish(w, &cohort);
    free(cells);
    return st;
}

radx_status radx_tiles_pack(const char *manifest_path, const char *params_path, const char *out_path,
                            int *failed, void (*progress)(void *arg, int done, int total),
                            void *progress_arg)
{
    radx_params params;
    radx_params_default(&params);
    char warnings[512];
    radx_status st = params_path ? radx_params_load(params_path, &params, warnings, sizeof warnings) : RADX_OK;
    char *text = NULL;
    if (st == RADX_OK) st = params_text(params_path, &text);
    radx_manifest *m = NULL;
    if (st == RADX_OK) st = radx_manifest_read(manifest_path, &m);
    pack_state s = {0};
    int n = m ? m->csv->nrows : 0, group = 16 * omp_get_max_threads();
    if (st == RADX_OK) {
        s.n = n;
        s.label = calloc((size_t)n + 1, sizeof *s.label);
        s.status = calloc((size_t)n + 1, sizeof *s.status);
        s.message = calloc((size_t)n + 1, sizeof *s.message);
        s.tile = calloc((size_t)n + 1, sizeof *s.tile);
        s.ntiles = calloc((size_t)n + 1, sizeof *s.ntiles);
        s.warnings = calloc((size_t)n + 1, sizeof *s.warnings);
        if (!s.label || !s.status || !s.message || !s.tile || !s.ntiles || !s.warnings)
            st = radx_fail(RADX_ERR_NOMEM, "out of memory");
    }
    for (int r = 0; st == RADX_OK && r < n; r++) st = radx_manifest_label(m, r, params.label, &s.label[r]);
    radx_roi_data *rois = calloc((size_t)group, sizeof *rois);
    radx_case_result *diags = calloc((size_t)group, sizeof *diags);
    radx_kept_images *kept = calloc((size_t)group, sizeof *kept);
    if (st == RADX_OK && (!rois || !diags || !kept)) st = radx_fail(RADX_ERR_NOMEM, "out of memory");
    radx_tiles_writer w;
    if (st == RADX_OK) st = radx_tiles_writer_create(out_path, &w);
    for (int first = 0; st == RADX_OK && first < n; first += group) {
        int count = n - first < group ? n - first : group;
        st = pack_group(m, &params, first, count, rois, kept, diags, &w, &s);
        if (st != RADX_OK) radx_tiles_writer_abort(&w);
        else if (progress) progress(progress_arg, first + count, n);
    }
    if (st == RADX_OK) st = finish(&w, m, &s, params_path ? params_path : "<defaults>", text);
    if (st == RADX_OK && failed) {
        *failed = 0;
        for (int r = 0; r < n; r++) *failed += s.status[r] != RADX_OK;
    }
    free(rois);
    free(diags);
    free(kept);
    state_free(&s);
    radx_manifest_free(m);
    free(text);
    return st;
}
