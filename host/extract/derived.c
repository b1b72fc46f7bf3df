/* The derived image types of one case (PyRadiomics' featureextractor.execute
 * image generators): every enabled type other than Original, in file order,
 * applied to the preprocessed image (after loadImage, before cropping); each
 * derived image then cropped to the ROI without padding, discretised and
 * featured with its own type's settings (args.update(customKwargs)).
 * radx_case_derive_keep keeps the discretised images instead, with none or
 * only the host classes computed, for the OpenCL path and the tile store
 * (host/extract/derived_kept.c computes the rest). */
#include "radx/extract.h"
#include "core/error.h"
#include "extract/case.h"
#include "prep/filters/filters.h"
#include "prep/roi.h"
#include "cl/filters_cl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* With a device, LoG and wavelet run there (host/cl/filters_cl.c: the same
 * images bit for bit); a device failure falls back to the CPU filter. */
static radx_status run_log(const radx_image *image, const radx_params *p, radx_cl_context *ctx,
                           radx_filter_output *out)
{
    radx_log_settings s;
    memset(&s, 0, sizeof s);
    s.nsigma = p->nsigma < RADX_LOG_MAX_SIGMAS ? p->nsigma : RADX_LOG_MAX_SIGMAS;
    for (int i = 0; i < s.nsigma; i++) {
        s.sigma[i] = p->sigma[i];
        s.sigma_is_integer[i] = p->sigma_is_integer[i];
    }
    /* getLoGImage with no sigma yields nothing (its warning, not an error) */
    if (s.nsigma == 0) {
        radx_filter_output_warn(out, "LoG is enabled, but no sigma is defined (setting 'sigma'): "
                                "no LoG image");
        return RADX_OK;
    }
    if (ctx) {
        radx_status st = radx_cl_filter_log(ctx, image, &s, out);
        if (st != RADX_ERR_DEVICE) return st;
    }
    return radx_filter_log(image, &s, out);
}

static radx_status run_wavelet(const radx_image *image, const radx_params *p, radx_cl_context *ctx,
                               radx_filter_output *out)
{
    radx_wavelet_settings s;
    radx_wavelet_settings_default(&s);
    snprintf(s.wavelet, sizeof s.wavelet, "%s", p->wavelet);
    s.start_level = p->wavelet_start_level;
    s.level = p->wavelet_level;
    s.force2d = p->force2d;
    s.force2d_dimension = p->force2d_dimension;
    if (ctx) {
        radx_status st = radx_cl_filter_wavelet(ctx, image, &s, out);
        if (st != RADX_ERR_DEVICE) return st;
    }
    return radx_filter_wavelet(image, &s, out);
}

static radx_lbp_method lbp_method(radx_lbp2d_method m)
{
    switch (m) {
    case RADX_LBP2D_DEFAULT: return RADX_LBP_DEFAULT;
    case RADX_LBP2D_ROR: return RADX_LBP_ROR;
    case RADX_LBP2D_UNIFORM: return RADX_LBP_UNIFORM;
    case RADX_LBP2D_NRI_UNIFORM: return RADX_LBP_NRI_UNIFORM;
    case RADX_LBP2D_VAR: return RADX_LBP_VAR;
    }
    return RADX_LBP_UNIFORM;
}

static radx_status run_lbp2d(const radx_image *image, const radx_params *p,
                             radx_filter_output *out)
{
    radx_lbp2d_settings s;
    radx_lbp2d_settings_default(&s);
    s.radius = p->lbp2d_radius;
    s.samples = p->lbp2d_samples;
    s.method = lbp_method(p->lbp2d_method);
    s.force2d_dimension = p->force2d_dimension;
    return radx_filter_lbp2d(image, &s, out);
}

static radx_status run_lbp3d(const radx_prep_result *prep, const radx_params *p,
                             radx_filter_output *out)
{
    radx_lbp3d_settings s;
    radx_lbp3d_settings_default(&s);
    s.levels = p->lbp3d_levels;
    s.icosphere_radius = p->lbp3d_icosphere_radius;
    s.icosphere_subdivision = p->lbp3d_icosphere_subdivision;
    s.label = 1; /* prep->mask holds 1 where the case's label was */
    return radx_filter_lbp3d(prep->image, prep->mask, &s, out);
}

/* get<Type>Image for one image type, with that type's settings. */
static radx_status run_filter(radx_image_kind kind, const radx_prep_result *prep,
                              const radx_params *p, radx_cl_context *ctx, radx_filter_output *out)
{
    const radx_image *image = prep->image;
    switch (kind) {
    case RADX_IMAGE_LOG: return run_log(image, p, ctx, out);
    case RADX_IMAGE_WAVELET: return run_wavelet(image, p, ctx, out);
    case RADX_IMAGE_SQUARE: return radx_filter_square(image, out);
    case RADX_IMAGE_SQUAREROOT: return radx_filter_squareroot(image, out);
    case RADX_IMAGE_LOGARITHM: return radx_filter_logarithm(image, out);
    case RADX_IMAGE_EXPONENTIAL: return radx_filter_exponential(image, out);
    case RADX_IMAGE_GRADIENT: {
        radx_gradient_settings g = {p->gradient_use_spacing};
        return radx_filter_gradient(image, &g, out);
    }
    case RADX_IMAGE_LBP2D: return run_lbp2d(image, p, out);
    case RADX_IMAGE_LBP3D: return run_lbp3d(prep, p, out);
    case RADX_IMAGE_ORIGINAL:
    case RADX_IMAGE_KIND_COUNT: break;
    }
    return RADX_OK;
}

radx_status radx_case_derived_add(radx_case_result *result, const char *name, int *index)
{
    radx_case_result *grown = realloc(result->derived,
                                      (size_t)(result->nderived + 1) * sizeof *grown);
    if (!grown) return radx_fail(RADX_ERR_NOMEM, "out of memory for derived images");
    result->derived = grown;
    radx_case_result *d = &grown[result->nderived];
    radx_status status = radx_case_result_init(d);
    if (status != RADX_OK) return status;
    snprintf(d->image_name, sizeof d->image_name, "%s", name);
    d->image_is_2d = result->image_is_2d;
    *index = result->nderived++;
    return RADX_OK;
}

/* ROI voxels of `image` that are not finite (NaN, inf). */
static int64_t non_finite_in_roi(const radx_image *image, const radx_prep_result *prep)
{
    const int *b = prep->bbox;
    int64_t count = 0;
    for (int z = b[4]; z <= b[5]; z++)
        for (int y = b[2]; y <= b[3]; y++)
            for (int x = b[0]; x <= b[1]; x++) {
                size_t i = (size_t)x + (size_t)image->size[0] * ((size_t)y + (size_t)image->size[1] * z);
                if (prep->mask->data[i] != 0 && !isfinite(image->data[i])) count++;
            }
    return count;
}

/* Whether class `c` of a derived image is computed now: every wanted class
 * on the CPU path (kept == NULL); with kept images, none or only those a
 * device does not compute (kept->classes). */
static int class_now(int c, const radx_params *p, const radx_kept_images *kept)
{
    if (!radx_case_derived_class_wanted(c, p)) return 0;
    if (!kept) return 1;
    return kept->classes == RADX_KEEP_HOST_CLASSES && !radx_cl_computes_class(c);
}

/* One derived image: crop, discretise, the enabled non-shape classes due
 * now (class_now); kept in `kept` when not NULL. An image with non-finite
 * values in the ROI (LBP3D kurtosis of constant neighbourhoods is NaN) has
 * no defined features: skipped with a warning, the case goes on
 * (PyRadiomics bins NaN as an extra grey level with binWidth and fails the
 * case with binCount; docs/PARAMETERS.md). */
static radx_status feature_image(const radx_filtered_image *img, const radx_prep_result *prep,
                                 const radx_params *p, int type_index, radx_case_result *result,
                                 radx_kept_images *kept)
{
    int64_t bad = non_finite_in_roi(img->image, prep);
    if (bad > 0) {
        char text[200];
        snprintf(text, sizeof text, "image %s skipped: %lld ROI voxels are not finite (NaN)", img->name,
                 (long long)bad);
        radx_case_add_warning(result, text);
        return RADX_OK;
    }
    int index = -1;
    radx_status status = radx_case_derived_add(result, img->name, &index);
    if (status != RADX_OK) return status;
    radx_case_result *d = &result->derived[index];
    radx_roi_data roi;
    status = radx_case_roi(img->image, prep, p, &roi, d);
    if (status != RADX_OK) return radx_fail_context(status, "image %s", img->name);
    for (int c = 0; status == RADX_OK && c < radx_feature_class_count(); c++)
        if (class_now(c, p, kept)) status = radx_case_compute_class_as(c, &roi.roi, p, d);
    if (!kept) {
        radx_roi_data_free(&roi);
    } else {
        /* its warnings before it; the type's filter warnings follow later */
        char *before = strdup(result->warnings);
        radx_status added = before ? radx_kept_images_add(kept, &roi, type_index, index, before)
                                   : radx_fail(RADX_ERR_NOMEM, "out of memory");
        if (added != RADX_OK) {
            free(before);
            radx_roi_data_free(&roi);
            return added;
        }
        if (status != RADX_OK) kept->ndevice = kept->count - 1;
    }
    return status == RADX_OK ? RADX_OK : radx_fail_context(status, "image %s", img->name);
}

/* Each warning line of a filter becomes one warning of the case. */
static void copy_warnings(const char *lines, radx_case_result *result)
{
    char line[256];
    while (*lines) {
        size_t n = strcspn(lines, "\n");
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), lines);
        if (n > 0) radx_case_add_warning(result, line);
        lines += n + (lines[n] == '\n');
    }
}

/* The kept images [first, kept->count) of one image type hold the case's
 * warnings from before each of them; the CPU path, when one of their
 * classes fails, stops the type's images there and adds the type's filter
 * warnings: that is each image's failure_warnings. */
static radx_status finish_failure_warnings(radx_kept_images *kept, int first, const char *lines)
{
    radx_case_result scratch;
    for (int i = first; i < kept->count; i++) {
        radx_kept_image *k = &kept->images[i];
        memset(&scratch, 0, sizeof scratch);
        snprintf(scratch.warnings, sizeof scratch.warnings, "%s", k->failure_warnings);
        copy_warnings(lines, &scratch);
        char *full = strdup(scratch.warnings);
        if (!full) return radx_fail(RADX_ERR_NOMEM, "out of memory");
        free(k->failure_warnings);
        k->failure_warnings = full;
    }
    return RADX_OK;
}

static radx_status derive_type(int index, const radx_prep_result *prep, const radx_params *params,
                               radx_cl_context *ctx, radx_case_result *result, radx_kept_images *kept)
{
    radx_params p;
    radx_params_for_image_type(params, index, &p);
    radx_filter_output out;
    radx_filter_output_init(&out);
    radx_image_kind kind = params->image_types[index].kind;
    int first_kept = kept ? kept->count : 0;
    radx_status status = run_filter(kind, prep, &p, ctx, &out);
    if (status != RADX_OK)
        status = radx_fail_context(status, "imageType %s", radx_image_kind_name(kind));
    for (size_t i = 0; status == RADX_OK && i < out.count; i++)
        status = feature_image(&out.images[i], prep, &p, index, result, kept);
    copy_warnings(out.warnings, result);
    if (kept) {
        radx_status st = finish_failure_warnings(kept, first_kept, out.warnings);
        if (status == RADX_OK) status = st;
    }
    radx_filter_output_free(&out);
    return status;
}

static radx_status derive_all(const radx_prep_result *prep, const radx_params *params,
                              radx_cl_context *ctx, radx_case_result *result, radx_kept_images *kept)
{
    radx_status status = RADX_OK;
    if (kept) kept->ndevice = kept->count; /* lowered when a host class fails */
    for (int t = 0; status == RADX_OK && t < params->nimage_types; t++)
        if (params->image_types[t].kind != RADX_IMAGE_ORIGINAL)
            status = derive_type(t, prep, params, ctx, result, kept);
    return status;
}

radx_status radx_case_derive(const radx_prep_result *prep, const radx_params *params,
                             struct radx_cl_context *ctx, radx_case_result *result)
{
    return derive_all(prep, params, ctx, result, NULL);
}

radx_status radx_case_derive_keep(const radx_prep_result *prep, const radx_params *params,
                                  struct radx_cl_context *ctx, radx_case_result *result,
                                  radx_kept_images *kept)
{
    return derive_all(prep, params, ctx, result, kept);
}

radx_status radx_case_prepare_keep(const radx_image *image, const radx_image *mask,
                                   const radx_params *params, struct radx_cl_context *ctx,
                                   radx_roi_data *roi, radx_case_result *result,
                                   radx_kept_images *kept)
{
    radx_prep_result prep;
    memset(roi, 0, sizeof *roi);
    radx_status status = radx_prep_case(image, mask, params, &prep);
    if (status != RADX_OK) return status;
    /* as radx_case_from_prep: the original ROI, then the derived images */
    result->image_is_2d = image->ndim == 2 || image->size[2] == 1;
    radx_params original;
    radx_params_for_original(params, &original);
    status = radx_case_roi(prep.image, &prep, &original, roi, result);
    if (status == RADX_OK) status = radx_case_derive_keep(&prep, params, ctx, result, kept);
    if (status != RADX_OK) radx_roi_data_free(roi);
    radx_prep_result_free(&prep);
    return status;
}
