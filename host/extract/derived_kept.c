/* Derived images kept as discretised ROIs (host/extract/case.h): their
 * classes computed after derivation, on the CPU or a device, with the CPU
 * path's first failure. The CPU path (host/extract/derived.c, case.c)
 * computes, for one case: the original ROI; then every derived image in
 * order, each with its classes in registry order (firstorder before the
 * texture classes); then the original image's classes. It stops at the
 * first failure, so a kept image's failure comes before any failure found
 * after the image was made. */
#include "extract/case.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "radx/cl.h"

void radx_kept_images_init(radx_kept_images *kept, radx_keep_classes classes)
{
    memset(kept, 0, sizeof *kept);
    kept->classes = classes;
}

void radx_kept_images_free(radx_kept_images *kept)
{
    for (int i = 0; i < kept->count; i++) {
        radx_roi_data_free(&kept->images[i].roi);
        free(kept->images[i].failure_warnings);
    }
    free(kept->images);
    radx_kept_images_init(kept, kept->classes);
}

radx_status radx_kept_images_add(radx_kept_images *kept, radx_roi_data *roi, int type_index,
                                 int derived_index, char *failure_warnings)
{
    if (kept->count == kept->capacity) {
        int bigger = kept->capacity ? 2 * kept->capacity : 16;
        radx_kept_image *grown = realloc(kept->images, (size_t)bigger * sizeof *grown);
        if (!grown) return radx_fail(RADX_ERR_NOMEM, "out of memory for derived images");
        kept->images = grown;
        kept->capacity = bigger;
    }
    radx_kept_image *k = &kept->images[kept->count++];
    k->roi = *roi;
    memset(roi, 0, sizeof *roi);
    k->type_index = type_index;
    k->derived_index = derived_index;
    k->failure_warnings = failure_warnings;
    kept->ndevice = kept->count;
    return RADX_OK;
}

static void restore_warnings(const radx_kept_image *k, radx_case_result *result)
{
    snprintf(result->warnings, sizeof result->warnings, "%s",
             k->failure_warnings ? k->failure_warnings : "");
}

radx_status radx_kept_images_compute(radx_kept_images *kept, const radx_params *params,
                                     int host_only, radx_case_result *result)
{
    for (int i = 0; i < kept->ndevice; i++) {
        radx_kept_image *k = &kept->images[i];
        radx_case_result *d = &result->derived[k->derived_index];
        radx_params p;
        radx_params_for_image_type(params, k->type_index, &p);
        for (int c = 0; c < radx_feature_class_count(); c++) {
            if (!radx_case_derived_class_wanted(c, &p) || (host_only && radx_cl_computes_class(c)))
                continue;
            radx_status st = radx_case_compute_class_as(c, &k->roi.roi, &p, d);
            if (st != RADX_OK) {
                kept->ndevice = i;
                restore_warnings(k, result);
                return radx_fail_context(st, "image %s", d->image_name);
            }
        }
    }
    return RADX_OK;
}

void radx_kept_image_failed(const radx_kept_images *kept, int i, const char *message,
                            radx_case_result *result, char *out, size_t out_size)
{
    const radx_kept_image *k = &kept->images[i];
    /* radx_fail_context's "<context>: <message>" (host/core/error.c) */
    snprintf(out, out_size, "image %.500s: %s", result->derived[k->derived_index].image_name, message);
    restore_warnings(k, result);
}

/* ------------------------------------------------------------ device */

/* The earliest failing kept image of each case, while batches come back. */
typedef struct first_failure {
    int image;                   /* INT_MAX: none */
    radx_status status;
    char message[1024];
} first_failure;

typedef struct type_batch {
    radx_cl_case *batch;
    int *owner_case, *owner_image;
    int count;
    int64_t voxels;
} type_batch;

/* Run the batch and note each case's earliest failing image. */
static radx_status flush(radx_cl_context *ctx, const radx_params *type_params, type_batch *b,
                         first_failure *failures)
{
    if (b->count == 0) return RADX_OK;
    radx_status st = radx_cl_extract_batch_derived(ctx, type_params, b->batch, b->count);
    for (int j = 0; st == RADX_OK && j < b->count; j++) {
        first_failure *f = &failures[b->owner_case[j]];
        if (b->batch[j].status == RADX_OK || b->owner_image[j] >= f->image) continue;
        f->image = b->owner_image[j];
        f->status = b->batch[j].status;
        snprintf(f->message, sizeof f->message, "%s", b->batch[j].message);
    }
    b->count = 0;
    b->voxels = 0;
    return st;
}

/* Every kept image of image type t, in batches of at most batch_voxels. */
static radx_status run_type(radx_cl_context *ctx, const radx_params *params, int t,
                            radx_kept_case *cases, int ncases, int64_t batch_voxels, type_batch *b,
                            first_failure *failures)
{
    radx_params type_params;
    radx_params_for_image_type(params, t, &type_params);
    radx_status st = RADX_OK;
    for (int c = 0; st == RADX_OK && c < ncases; c++) {
        radx_kept_images *kept = cases[c].kept;
        for (int i = 0; st == RADX_OK && i < kept->ndevice; i++) {
            radx_kept_image *k = &kept->images[i];
            if (k->type_index != t) continue;
            const int *s = k->roi.roi.size;
            int64_t v = (int64_t)s[0] * s[1] * s[2];
            if (b->count > 0 && b->voxels + v > batch_voxels) st = flush(ctx, &type_params, b, failures);
            if (st != RADX_OK) break;
            b->batch[b->count].roi = &k->roi.roi;
            b->batch[b->count].result = &cases[c].result->derived[k->derived_index];
            b->owner_case[b->count] = c;
            b->owner_image[b->count++] = i;
            b->voxels += v;
        }
    }
    if (st == RADX_OK) st = flush(ctx, &type_params, b, failures);
    return st;
}

static int total_images(const radx_kept_case *cases, int ncases)
{
    int n = 0;
    for (int c = 0; c < ncases; c++) n += cases[c].kept->ndevice;
    return n;
}

radx_status radx_kept_images_device(struct radx_cl_context *ctx, const radx_params *params,
                                    radx_kept_case *cases, int ncases, int64_t batch_voxels)
{
    size_t n = (size_t)total_images(cases, ncases) + 1;
    type_batch b = {calloc(n, sizeof *b.batch), calloc(n, sizeof(int)), calloc(n, sizeof(int)), 0, 0};
    first_failure *failures = calloc((size_t)ncases + 1, sizeof *failures);
    radx_status st = b.batch && b.owner_case && b.owner_image && failures
                         ? RADX_OK
                         : radx_fail(RADX_ERR_NOMEM, "out of memory for derived-image batches");
    for (int c = 0; st == RADX_OK && c < ncases; c++) failures[c].image = INT_MAX;
    for (int t = 0; st == RADX_OK && t < params->nimage_types; t++)
        if (params->image_types[t].kind != RADX_IMAGE_ORIGINAL)
            st = run_type(ctx, params, t, cases, ncases, batch_voxels, &b, failures);
    for (int c = 0; st == RADX_OK && c < ncases; c++) {
        if (failures[c].image == INT_MAX) continue;
        radx_kept_case *k = &cases[c];
        *k->status = failures[c].status;
        radx_kept_image_failed(k->kept, failures[c].image, failures[c].message, k->result, k->message,
                               k->message_size);
    }
    free(failures);
    free(b.batch);
    free(b.owner_case);
    free(b.owner_image);
    return st;
}
