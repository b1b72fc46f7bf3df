/* Shared fixture of the OpenCL-vs-CPU tests (test_cl_extract.c,
 * test_cl_reduce.c, test_cl_matrices.c): the device choice, the two texture
 * paths (radx_case_compute_class, the reference, and radx_cl_extract_batch),
 * their comparison with counts of bit-equal values and the worst relative
 * difference, and the comparisons on the IBSI digital phantom (against the
 * IBSI consensus values too) and on PyRadiomics' example images. */
#ifndef RADX_TEST_CL_FIXTURE_H
#define RADX_TEST_CL_FIXTURE_H

#include "extract/case.h"
#include "radx/cl.h"
#include "radx/radx.h"

/* The state of the synthetic-ROI tests (test_cl_extract.c,
 * test_cl_reduce.c): a test's fixture starts with it, followed by the ROIs'
 * storage (test_cl_rois.h) that `rois` points into. */
enum { CL_FIXTURE_MAX_ROIS = 512 };
typedef struct cl_fixture {
    radx_cl_context *ctx;            /* NULL: no usable OpenCL device */
    int platform, device;
    const radx_roi *rois[CL_FIXTURE_MAX_ROIS];
    int n;
    double abs_tol;                  /* absolute slack of the 1e-9 relative comparisons */
    const char *label;               /* prefixes the printed summaries */
} cl_fixture;

/* Open the best device (ctx NULL when none); reduce: the feature reduction
 * to pin (RADX_CL_REDUCE_AUTO leaves the context's choice). */
void cl_fixture_open(cl_fixture *f, radx_cl_reduce reduce, double abs_tol, const char *label);

/* cmocka tests on a cl_fixture state (skip without a device): the
 * synthetic ROIs by both paths, batch-size independence, the IBSI phantom
 * and the example images (the functions below). */
void cl_fixture_test_synthetic_rois(void **state);
void cl_fixture_test_batch_sizes(void **state);
void cl_fixture_test_ibsi_phantom(void **state);
void cl_fixture_test_example_images(void **state);

/* The four shared tests, for a cmocka test table. */
#define CL_FIXTURE_SHARED_TESTS                                \
    cmocka_unit_test(cl_fixture_test_ibsi_phantom),            \
        cmocka_unit_test(cl_fixture_test_example_images),      \
        cmocka_unit_test(cl_fixture_test_synthetic_rois),      \
        cmocka_unit_test(cl_fixture_test_batch_sizes)

#ifdef RADX_TEST_CL_ROIS_H
/* With test_cl_rois.h: the fixture of 330 seeded synthetic ROIs (seed
 * 77031) and its storage, as cmocka state. */
enum { CL_FIXTURE_NSYNTHETIC = 330 };
typedef struct cl_synthetic_fixture {
    cl_fixture base;                 /* first: the shared tests take it as their state */
    cl_test_roi rois[CL_FIXTURE_NSYNTHETIC];
} cl_synthetic_fixture;

static inline void cl_fixture_synthetic_setup(void **state, radx_cl_reduce reduce, double abs_tol,
                                              const char *label)
{
    cl_synthetic_fixture *f = calloc(1, sizeof *f);
    f->base.n = cl_make_rois(f->rois, CL_FIXTURE_NSYNTHETIC, 77031u);
    for (int i = 0; i < f->base.n; i++) f->base.rois[i] = &f->rois[i].roi;
    cl_fixture_open(&f->base, reduce, abs_tol, label);
    *state = f;
}

static inline int cl_fixture_synthetic_teardown(void **state)
{
    cl_synthetic_fixture *f = *state;
    for (int i = 0; i < f->base.n; i++) cl_test_roi_free(&f->rois[i]);
    radx_cl_context_free(f->base.ctx);
    free(f);
    return 0;
}
/* A new temporary kernel folder (RADX_KERNEL_DIR): kernels/<files[i]>
 * copied, those with broken[i] replaced by `replacement` (a kernel that does
 * not compile). Remove with cl_fixture_remove_kernel_dir. */
char *cl_fixture_kernel_dir(const char *const *files, int n, const unsigned char *broken, const char *replacement);
void cl_fixture_remove_kernel_dir(char *dir, const char *const *files, int n);

#endif

/* A context on radx_cl_best_device, or *ctx = NULL when no OpenCL device is
 * usable; prints the device's name when print_name. */
void cl_fixture_open_best_device(radx_cl_context **ctx, int *platform, int *device, int print_name);

/* Skip the test (with a line saying so) when ctx is NULL. */
void cl_fixture_need_device(const radx_cl_context *ctx);

/* What comparing two result sets found. */
typedef struct cl_agreement {
    long values, bit_equal, nan_values, failed_cases;
    double worst_relative;
} cl_agreement;

/* The CPU path on one prepared ROI: every wanted texture class in registry
 * order, stopping at the first failure (as radx_extract_images). */
radx_status cl_fixture_cpu_textures(const radx_roi *roi, const radx_params *params, radx_case_result *r);

/* Every texture value of dev against cpu: within 1e-9 relative (abs_tol
 * absolute), same classes done; NaN counts as bit-equal to NaN. */
void cl_fixture_compare_textures(const radx_case_result *cpu, const radx_case_result *dev, const char *what,
                                 double abs_tol, cl_agreement *g);

/* Initialise n results, image_is_2d from the ROI's depth. */
void cl_fixture_init_results(radx_case_result *r, int n, const radx_roi *const *rois);
void cl_fixture_free_results(radx_case_result *r, int n);

/* The OpenCL path on n ROIs in batches of `size`. */
void cl_fixture_cl_textures(radx_cl_context *ctx, const radx_roi *const *rois, int n, const radx_params *params,
                            int size, radx_case_result *results, radx_status *statuses);

/* Settings s (0..2) of the synthetic comparison: defaults; weighted,
 * asymmetric, two distances, gldm_a 1; IBSI 2D per-slice aggregation. */
enum { CL_FIXTURE_NSETTINGS = 3 };
void cl_fixture_synthetic_params(int s, radx_params *p);

/* Parameters from a YAML text (PyRadiomics' parameter file format). */
void cl_fixture_load_params(const char *yaml, radx_params *params);

/* Every synthetic ROI under every setting by both paths: same statuses,
 * values within 1e-9 relative (abs_tol absolute); `label` prefixes the
 * printed summary. */
void cl_fixture_synthetic_equal_cpu(radx_cl_context *ctx, const radx_roi *const *rois, int n, double abs_tol,
                                    const char *label);

/* Batches of 1, 7 and n give identical bits. */
void cl_fixture_batch_size_independence(radx_cl_context *ctx, const radx_roi *const *rois, int n,
                                        const char *label);

/* The IBSI digital phantom under the six IBSI aggregations by both paths,
 * and the OpenCL values against the IBSI consensus values (3 digits). */
void cl_fixture_ibsi_phantom(radx_cl_context *ctx, double abs_tol, const char *label);

/* PyRadiomics' example images (brain1, breast1, prostate phantom) with
 * PyRadiomics' defaults by both paths. */
void cl_fixture_example_images(radx_cl_context *ctx, double abs_tol, const char *label);

/* A new temporary kernel folder (RADX_KERNEL_DIR): kernels/<files[i]>
 * copied, those with broken[i] replaced by `replacement` (a kernel that does
 * not compile). Remove with cl_fixture_remove_kernel_dir. */
char *cl_fixture_kernel_dir(const char *const *files, int n, const unsigned char *broken, const char *replacement);
void cl_fixture_remove_kernel_dir(char *dir, const char *const *files, int n);

#endif
