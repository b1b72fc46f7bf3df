/* radx_cl_extract_batch: the texture classes of many prepared cases, their
 * matrices built on the device in one batch, their features computed either
 * on the host with the CPU feature functions, in the CPU path's order (so
 * values are the CPU path's, bit for bit), or, when the context reduces on
 * the device (radx_cl_reduce_on_device), on the device
 * (kernels/<family>_features.cl), the host then only averaging over angles
 * as the CPU class does (within 1e-9 relative of the CPU path).
 *
 * IBSI per-slice aggregations (2D_avg, 2D_smrg) put every slice of a case in
 * the batch as its own ROI (radx_roi_slice, as host/extract/case.c) and
 * average the slice features as case.c does. */
#include "radx/cl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl/batch.h"
#include "cl/glcm_cl.h"
#include "cl/gldm_cl.h"
#include "cl/glrlm_cl.h"
#include "cl/glszm_cl.h"
#include "cl/ngtdm_cl.h"
#include "core/error.h"
#include "extract/case.h"
#include "prep/roi.h"

/* ------------------------------------------------------------ families */

/* One texture family seen generically: its sets are built for a whole
 * batch (with `reduce` 1: reduced to per-angle features on the device,
 * kernels/<family>_features.cl), then each ROI's features are computed from
 * its set (on the host: only the mean over angles). */
typedef struct family {
    const char *class_name;
    size_t set_size;
    radx_status (*build)(radx_cl_context *, const radx_cl_batch *, const radx_feature_opts *const *,
                         void *sets, int reduce);
    void (*set_free)(void *set);
    radx_status (*compute)(const radx_roi *, const radx_feature_opts *, const void *set, double *);
} family;

#define FAMILY(fam)                                                                               \
    static radx_status fam##_build(radx_cl_context *ctx, const radx_cl_batch *b,                  \
                                   const radx_feature_opts *const *o, void *sets, int reduce)     \
    {                                                                                             \
        return radx_cl_##fam##_build_reduced(ctx, b, o, sets, reduce);                            \
    }                                                                                             \
    static void fam##_free(void *set) { radx_cl_##fam##_set_free(set); }                          \
    static radx_status fam##_compute(const radx_roi *r, const radx_feature_opts *o,               \
                                     const void *set, double *out)                                \
    {                                                                                             \
        return radx_cl_##fam##_compute(r, o, set, out);                                           \
    }
FAMILY(glcm)
FAMILY(gldm)
FAMILY(glrlm)
FAMILY(glszm)
FAMILY(ngtdm)
#undef FAMILY

static const family families[] = {
    {"glcm", sizeof(radx_cl_glcm_set), glcm_build, glcm_free, glcm_compute},
    {"gldm", sizeof(radx_cl_gldm_set), gldm_build, gldm_free, gldm_compute},
    {"glrlm", sizeof(radx_cl_glrlm_set), glrlm_build, glrlm_free, glrlm_compute},
    {"glszm", sizeof(radx_cl_glszm_set), glszm_build, glszm_free, glszm_compute},
    {"ngtdm", sizeof(radx_cl_ngtdm_set), ngtdm_build, ngtdm_free, ngtdm_compute},
};
enum { NFAMILIES = sizeof families / sizeof families[0] };

static const family *family_of_class(int class_index)
{
    const radx_feature_class *cls = radx_feature_class_at(class_index);
    if (!cls) return NULL;
    for (int f = 0; f < NFAMILIES; f++)
        if (strcmp(cls->name, families[f].class_name) == 0) return &families[f];
    return NULL;
}

int radx_cl_computes_class(int class_index) { return family_of_class(class_index) != NULL; }

/* --------------------------------------------------------------- units */

/* The ROIs that go to the device: one per case, or one per slice that holds
 * ROI voxels under per-slice aggregation. */
typedef struct units {
    int n, capacity;
    const radx_roi **rois;
    const radx_feature_opts **opts;
    radx_roi_data *slices;           /* [n]: owned slice data (zeroed for whole ROIs) */
    radx_feature_opts *case_opts;    /* [ncases] */
    int *first, *count, *per_slice;  /* [ncases] */
} units;

static void units_free(units *u)
{
    for (int i = 0; i < u->n; i++) radx_roi_data_free(&u->slices[i]);
    free(u->rois);
    free(u->opts);
    free(u->slices);
    free(u->case_opts);
    free(u->first);
    free(u->count);
    free(u->per_slice);
    memset(u, 0, sizeof *u);
}

static radx_status units_push(units *u, const radx_roi *roi, const radx_feature_opts *opts,
                              const radx_roi_data *slice)
{
    if (u->n == u->capacity) {
        int bigger = u->capacity ? 2 * u->capacity : 64;
        const radx_roi **r = realloc(u->rois, (size_t)bigger * sizeof *r);
        if (r) u->rois = r;
        const radx_feature_opts **o = realloc(u->opts, (size_t)bigger * sizeof *o);
        if (o) u->opts = o;
        radx_roi_data *s = realloc(u->slices, (size_t)bigger * sizeof *s);
        if (s) u->slices = s;
        if (!r || !o || !s) return radx_fail(RADX_ERR_NOMEM, "out of memory for a batch");
        u->capacity = bigger;
    }
    if (slice) u->slices[u->n] = *slice;
    else memset(&u->slices[u->n], 0, sizeof u->slices[u->n]);
    u->rois[u->n] = roi;
    u->opts[u->n] = opts;
    u->n++;
    return RADX_OK;
}

/* Units of every case. Slice ROIs point into u->slices, which may move while
 * growing, so they are resolved once all units exist. */
static radx_status units_make(units *u, const radx_params *params, const radx_cl_case *cases,
                              int ncases)
{
    memset(u, 0, sizeof *u);
    size_t n = ncases > 0 ? (size_t)ncases : 1;
    u->case_opts = malloc(n * sizeof *u->case_opts);
    u->first = calloc(n, sizeof *u->first);
    u->count = calloc(n, sizeof *u->count);
    u->per_slice = calloc(n, sizeof *u->per_slice);
    if (!u->case_opts || !u->first || !u->count || !u->per_slice)
        return radx_fail(RADX_ERR_NOMEM, "out of memory for a batch");
    radx_status st = RADX_OK;
    for (int c = 0; c < ncases && st == RADX_OK; c++) {
        const radx_roi *roi = cases[c].roi;
        radx_params_feature_opts(params, cases[c].result->image_is_2d, &u->case_opts[c],
                                 &u->per_slice[c]);
        u->first[c] = u->n;
        if (!u->per_slice[c]) {
            st = units_push(u, roi, &u->case_opts[c], NULL);
        } else {
            for (int z = 0; z < roi->size[2] && st == RADX_OK; z++) {
                radx_roi_data slice;
                if (radx_roi_slice(roi, z, &slice) != RADX_OK) continue; /* as case.c */
                st = units_push(u, NULL, &u->case_opts[c], &slice);
                if (st != RADX_OK) radx_roi_data_free(&slice);
            }
        }
        u->count[c] = u->n - u->first[c];
    }
    for (int i = 0; i < u->n; i++)
        if (!u->rois[i]) u->rois[i] = &u->slices[i].roi;
    radx_clear_error();
    return st;
}

/* ------------------------------------------------------------- classes */

/* The class values of case c from its units' sets: one ROI, or the mean
 * over its slices in slice order (host/extract/case.c compute_class). */
static radx_status case_features(const family *fam, const radx_feature_class *cls, const units *u,
                                 int c, const char *sets, double *out)
{
    const radx_feature_opts *opts = &u->case_opts[c];
    if (!u->per_slice[c])
        return fam->compute(u->rois[u->first[c]], opts, sets + (size_t)u->first[c] * fam->set_size, out);
    double *slice_values = malloc((size_t)cls->nfeatures * sizeof *slice_values);
    if (!slice_values) return radx_fail(RADX_ERR_NOMEM, "out of memory");
    for (int f = 0; f < cls->nfeatures; f++) out[f] = 0.0;
    radx_status st = RADX_OK;
    for (int s = 0; s < u->count[c] && st == RADX_OK; s++) {
        int i = u->first[c] + s;
        st = fam->compute(u->rois[i], opts, sets + (size_t)i * fam->set_size, slice_values);
        for (int f = 0; st == RADX_OK && f < cls->nfeatures; f++) out[f] += slice_values[f];
    }
    free(slice_values);
    if (st == RADX_OK)
        for (int f = 0; f < cls->nfeatures; f++) out[f] /= u->count[c];
    return st;
}

/* Build one family's sets for every unit (reduced to features on the device
 * when the context asks for it, radx_cl_reduce_on_device; ROIs the device
 * does not take keep the CPU class), then the features of every case that
 * wants the class and has not failed yet. */
static radx_status run_class(radx_cl_context *ctx, const radx_params *params, int derived,
                             int class_index, const radx_cl_batch *batch, const units *u,
                             radx_cl_case *cases, int ncases)
{
    const family *fam = family_of_class(class_index);
    const radx_feature_class *cls = radx_feature_class_at(class_index);
    char *sets = calloc(u->n > 0 ? (size_t)u->n : 1, fam->set_size);
    if (!sets) return radx_fail(RADX_ERR_NOMEM, "out of memory for %s matrices", cls->name);
    int reduce = radx_cl_reduce_on_device(ctx);
    radx_status st = fam->build(ctx, batch, u->opts, sets, reduce);
    if (st == RADX_OK) {
#pragma omp parallel for schedule(dynamic, 1)
        for (int c = 0; c < ncases; c++) {
            radx_cl_case *k = &cases[c];
            int wanted = derived ? radx_case_derived_class_wanted(class_index, params)
                                 : radx_case_class_wanted(class_index, params, k->roi, k->result);
            if (k->status != RADX_OK || !wanted) continue;
            double *out = k->result->values + radx_feature_slot(class_index, 0);
            radx_status cs = case_features(fam, cls, u, c, sets, out);
            if (cs != RADX_OK) {
                k->status = radx_fail_context(cs, "class %s", cls->name);
                snprintf(k->message, sizeof k->message, "%s", radx_last_error());
            } else {
                k->result->class_done[class_index] = 1;
            }
        }
    }
    for (int i = 0; i < u->n; i++) fam->set_free(sets + (size_t)i * fam->set_size);
    free(sets);
    return st;
}

/* Every texture class of the cases with the settings of one image type
 * (`params` already that type's, radx_params_for_image_type); `derived`: the
 * cases are derived images (radx_case_derived_class_wanted). */
static radx_status extract_batch(radx_cl_context *ctx, const radx_params *params, int derived,
                                 radx_cl_case *cases, int ncases)
{
    for (int c = 0; c < ncases; c++) {
        cases[c].status = RADX_OK;
        cases[c].message[0] = '\0';
    }
    units u;
    radx_cl_batch batch;
    memset(&batch, 0, sizeof batch);
    radx_status st = units_make(&u, params, cases, ncases);
    if (st == RADX_OK) st = radx_cl_batch_create(ctx, u.rois, u.n, &batch);
    for (int c = 0; st == RADX_OK && c < radx_feature_class_count(); c++)
        if (radx_cl_computes_class(c) && params->class_enabled[c])
            st = run_class(ctx, params, derived, c, &batch, &u, cases, ncases);
    radx_cl_batch_free(&batch);
    units_free(&u);
    return st;
}

radx_status radx_cl_extract_batch(radx_cl_context *ctx, const radx_params *file_params,
                                  radx_cl_case *cases, int ncases)
{
    /* the ROIs are original images: the Original image type's settings */
    radx_params original;
    radx_params_for_original(file_params, &original);
    return extract_batch(ctx, &original, 0, cases, ncases);
}

radx_status radx_cl_extract_batch_derived(radx_cl_context *ctx, const radx_params *type_params,
                                          radx_cl_case *cases, int ncases)
{
    return extract_batch(ctx, type_params, 1, cases, ncases);
}
