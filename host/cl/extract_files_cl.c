/* radx_cl_extract_files: image/mask pairs through preparation and the CPU
 * classes (in parallel, a group at a time) and the texture classes on the
 * device (radx_cl_extract_batch for the original images,
 * radx_cl_extract_batch_derived per image type for the derived ones, kept
 * as discretised ROIs by radx_case_prepare_keep), with the CPU path's
 * results, errors and warnings. */
#include "radx/cl.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl/runtime.h"
#include "core/error.h"
#include "core/overlap.h"
#include "extract/case.h"
#include "prep/roi.h"

/* Cases prepared at once: enough to keep every thread and the device busy,
 * few enough to bound the memory of prepared ROIs. */
static int group_size(void)
{
    int n = 16 * omp_get_max_threads();
    return n < 64 ? 64 : n;
}

/* Read, prepare and compute the CPU classes of one case (radx_extract_files
 * up to the texture classes, which need `roi` and the kept derived images:
 * their firstorder is computed, their texture classes are the device's). */
static radx_status prepare_case(radx_cl_context *ctx, const radx_params *params, radx_cl_file_case *c,
                                radx_roi_data *roi, radx_kept_images *kept)
{
    radx_params case_params = *params;
    case_params.label = c->label;
    memcpy(case_params.image_spacing, c->spacing, sizeof case_params.image_spacing);
    radx_image *image = NULL, *mask = NULL;
    memset(roi, 0, sizeof *roi);
    radx_kept_images_init(kept, RADX_KEEP_HOST_CLASSES);
    case_params.image_frame = c->frame;
    radx_status st = radx_case_read(c->image, c->mask, &case_params, &image, &mask, c->result);
    if (st == RADX_OK)
        st = radx_case_prepare_keep(image, mask, &case_params, ctx, roi, c->result, kept);
    radx_image_free(image);
    radx_image_free(mask);
    for (int k = 0; st == RADX_OK && k < radx_feature_class_count(); k++)
        if (!radx_cl_computes_class(k) && radx_case_class_wanted(k, &case_params, &roi->roi, c->result))
            st = radx_case_compute_class(k, &roi->roi, &case_params, c->result);
    return st;
}

/* The texture classes of the kept derived images of a group: one
 * radx_cl_extract_batch_derived per image type and batch; a failing image
 * fails its case as the CPU path would (before the original's classes). */
static radx_status derived_classes(radx_cl_context *ctx, const radx_params *params,
                                   radx_cl_file_case *cases, radx_kept_images *kept, int n)
{
    radx_kept_case *k = calloc(n > 0 ? (size_t)n : 1, sizeof *k);
    if (!k) return radx_fail(RADX_ERR_NOMEM, "out of memory for a batch");
    for (int i = 0; i < n; i++)
        k[i] = (radx_kept_case){&kept[i], cases[i].result, &cases[i].status, cases[i].message,
                                sizeof cases[i].message};
    radx_status st = radx_kept_images_device(ctx, params, k, n, ctx->info.batch_voxels);
    free(k);
    return st;
}

/* The texture classes of the prepared cases of a group, in device batches
 * of at most the device's batch voxels. */
static radx_status device_classes(radx_cl_context *ctx, const radx_params *params,
                                  radx_cl_file_case *cases, const radx_roi_data *rois,
                                  radx_kept_images *kept, int n)
{
    radx_status derived = derived_classes(ctx, params, cases, kept, n);
    if (derived != RADX_OK) return derived;
    radx_cl_case *batch = calloc(n > 0 ? (size_t)n : 1, sizeof *batch);
    if (!batch) return radx_fail(RADX_ERR_NOMEM, "out of memory for a batch");
    int *owner = calloc(n > 0 ? (size_t)n : 1, sizeof *owner);
    radx_status st = owner ? RADX_OK : radx_fail(RADX_ERR_NOMEM, "out of memory for a batch");
    int count = 0;
    int64_t voxels = 0, limit = ctx->info.batch_voxels;
    for (int i = 0; st == RADX_OK && i <= n; i++) {
        int64_t v = i < n ? (int64_t)rois[i].roi.size[0] * rois[i].roi.size[1] * rois[i].roi.size[2] : 0;
        if (count > 0 && (i == n || voxels + v > limit)) {
            st = radx_cl_extract_batch(ctx, params, batch, count);
            for (int b = 0; st == RADX_OK && b < count; b++) {
                radx_cl_file_case *c = &cases[owner[b]];
                c->status = batch[b].status;
                if (c->status != RADX_OK) snprintf(c->message, sizeof c->message, "%s", batch[b].message);
            }
            count = 0;
            voxels = 0;
        }
        if (i == n || cases[i].status != RADX_OK) continue;
        batch[count].roi = &rois[i].roi;
        batch[count].result = cases[i].result;
        owner[count++] = i;
        voxels += v;
    }
    free(owner);
    free(batch);
    return st;
}

/* Read and prepare the n cases from `cases` into `rois` and `kept`, in
 * parallel. */
static void prepare_group(radx_cl_context *ctx, const radx_params *params, radx_cl_file_case *cases,
                          radx_roi_data *rois, radx_kept_images *kept, int n)
{
#pragma omp parallel for schedule(dynamic, 1)
    for (int i = 0; i < n; i++) {
        radx_cl_file_case *c = &cases[i];
        c->message[0] = '\0';
        c->status = prepare_case(ctx, params, c, &rois[i], &kept[i]);
        if (c->status != RADX_OK) snprintf(c->message, sizeof c->message, "%s", radx_last_error());
    }
}

/* One group's device work, for a background thread. */
typedef struct device_job {
    radx_cl_context *ctx;
    const radx_params *params;
    radx_cl_file_case *cases;
    const radx_roi_data *rois;
    radx_kept_images *kept;
    int n;
} device_job;

static radx_status device_work(void *arg)
{
    device_job *job = arg;
    return device_classes(job->ctx, job->params, job->cases, job->rois, job->kept, job->n);
}

static void free_rois(radx_roi_data *rois, radx_kept_images *kept, int n)
{
    for (int i = 0; i < n; i++) {
        radx_roi_data_free(&rois[i]);
        radx_kept_images_free(&kept[i]);
    }
}

/* Double buffering: while the device (and the host reductions of
 * radx_cl_extract_batch) work on group g from one buffer, the host threads
 * read and prepare group g + 1 into the other. */
radx_status radx_cl_extract_files(radx_cl_context *ctx, const radx_params *params,
                                  radx_cl_file_case *cases, int ncases,
                                  void (*progress)(void *arg, int done), void *progress_arg)
{
    int group = group_size();
    radx_roi_data *rois[2];
    radx_kept_images *kept[2];
    rois[0] = calloc((size_t)group, sizeof *rois[0]);
    rois[1] = calloc((size_t)group, sizeof *rois[1]);
    kept[0] = calloc((size_t)group, sizeof *kept[0]);
    kept[1] = calloc((size_t)group, sizeof *kept[1]);
    if (!rois[0] || !rois[1] || !kept[0] || !kept[1]) {
        free(rois[0]);
        free(rois[1]);
        free(kept[0]);
        free(kept[1]);
        return radx_fail(RADX_ERR_NOMEM, "out of memory for %d cases", group);
    }
    radx_status st = RADX_OK;
    int n = ncases < group ? ncases : group;
    prepare_group(ctx, params, cases, rois[0], kept[0], n);
    for (int first = 0, cur = 0; st == RADX_OK && first < ncases; first += group, cur ^= 1) {
        n = ncases - first < group ? ncases - first : group;
        int next_first = first + group;
        int next_n = ncases - next_first < group ? ncases - next_first : group;
        device_job job = {ctx, params, cases + first, rois[cur], kept[cur], n};
        radx_overlap device;
        radx_overlap_start(&device, device_work, &job);
        if (next_n > 0) prepare_group(ctx, params, cases + next_first, rois[cur ^ 1], kept[cur ^ 1], next_n);
        st = radx_overlap_wait(&device);
        free_rois(rois[cur], kept[cur], n);
        if (st == RADX_OK && progress) progress(progress_arg, first + n);
        if (st != RADX_OK && next_n > 0) free_rois(rois[cur ^ 1], kept[cur ^ 1], next_n);
    }
    free(rois[0]);
    free(rois[1]);
    free(kept[0]);
    free(kept[1]);
    return st;
}
