/* radx sweep: a sweep equals separate extractions setting by setting,
 * exactly; stability measures agree with independent formulas and with the
 * statistics module; invalid grid values fail before any work; the CLI's
 * files (HDF5, one CSV per setting, stability tables, heat maps). */
#include "testutil.h"

#include <gsl/gsl_statistics_double.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "radx/radx.h"
#include "radx/cl.h"
#include "radx/stats.h"
#include "radx/sweep.h"

#define SYN "tests/data/synthetic/"

static const char *const images[] = {SYN "syn2d_blob_int16_image.nii.gz", SYN "syn2d_ring_float_image.nii.gz",
                                     SYN "syn3d_blob_int16_image.nii.gz", SYN "syn2d_stripes_image.nii.gz"};
static const char *const masks[] = {SYN "syn2d_blob_int16_mask.nii.gz", SYN "syn2d_ring_float_mask.nii.gz",
                                    SYN "syn3d_blob_int16_mask.nii.gz", SYN "syn2d_stripes_mask.nii.gz"};
enum { NCASES = 4 };

static void load_text(const char *text, radx_params *p)
{
    char path[] = "/tmp/radx_sweep_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    radx_params_default(p);
    if (radx_params_load(path, p, NULL, 0) != RADX_OK) fail_msg("%s", radx_last_error());
    remove(path);
}

static int same_double(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

/* Every value of every image of `got` equals `want`'s (NaN = NaN). */
static void assert_same_result(const radx_params *params, const radx_case_result *got,
                               const radx_case_result *want, const char *what)
{
    radx_columns a, b;
    assert_int_equal(radx_columns_build(params, got, 1, &a), RADX_OK);
    assert_int_equal(radx_columns_build(params, want, 1, &b), RADX_OK);
    assert_int_equal(a.count, b.count);
    for (int c = 0; c < a.count; c++) {
        assert_string_equal(a.names[c], b.names[c]);
        double x = radx_columns_value(&a, c, got), y = radx_columns_value(&b, c, want);
        if (!same_double(x, y)) fail_msg("%s: %s sweep %.17g, extract %.17g", what, a.names[c], x, y);
    }
    radx_columns_free(&a);
    radx_columns_free(&b);
}

/* Binning, resampling and an image type swept together; every cell equal to
 * radx_extract_files with that setting applied by hand. */
static void test_sweep_equals_separate_extractions(void **state)
{
    (void)state;
    radx_params base;
    load_text("setting:\n  normalize: true\n  normalizeScale: 100\n"
              "imageType:\n  Original: {}\n  LoG: {sigma: [1.0]}\n  Square: {}\n", &base);
    radx_sweep_grid grid;
    radx_sweep_grid_init(&grid);
    assert_int_equal(radx_sweep_grid_add(&grid, "binWidth=5,25"), RADX_OK);
    assert_int_equal(radx_sweep_grid_add(&grid, "resampledPixelSpacing=1:1:0,2:2:0"), RADX_OK);
    radx_sweep_point *points;
    int npoints;
    assert_int_equal(radx_sweep_points(&grid, &base, &points, &npoints), RADX_OK);
    assert_int_equal(npoints, 4);
    assert_string_equal(points[0].name, "binWidth=5_resampledPixelSpacing=1:1:0");
    assert_string_equal(points[3].name, "binWidth=25_resampledPixelSpacing=2:2:0");
    /* the two bin widths of one spacing share the preprocessing */
    assert_int_equal(points[2].prep_group, points[0].prep_group);
    assert_true(points[1].prep_group != points[0].prep_group);

    radx_sweep_case cases[NCASES];
    for (int i = 0; i < NCASES; i++) {
        memset(&cases[i], 0, sizeof cases[i]);
        cases[i].image = images[i];
        cases[i].nmasks = 1;
        cases[i].masks = &masks[i];
        cases[i].label = 1;
    }
    radx_sweep_cell *cells = calloc((size_t)npoints * NCASES, sizeof *cells);
    assert_int_equal(radx_sweep_run(points, npoints, cases, NCASES, 1, cells, NULL, NULL), RADX_OK);
    int compared = 0;
    for (int p = 0; p < npoints; p++)
        for (int i = 0; i < NCASES; i++) {
            radx_params params = base;
            assert_int_equal(radx_params_apply_setting(&params, "binWidth", p < 2 ? "5" : "25", "test"), RADX_OK);
            assert_int_equal(radx_params_apply_setting(&params, "resampledPixelSpacing",
                                                       p % 2 ? "[2, 2, 0]" : "[1, 1, 0]", "test"), RADX_OK);
            radx_case_result want;
            assert_int_equal(radx_case_result_init(&want), RADX_OK);
            radx_status st = radx_extract_files(images[i], masks[i], &params, &want);
            const radx_sweep_cell *cell = &cells[(size_t)p * NCASES + i];
            assert_int_equal(cell->status, st);
            if (st == RADX_OK) {
                assert_same_result(&params, &cell->result, &want, points[p].name);
                compared++;
            }
            radx_case_result_free(&want);
        }
    assert_true(compared >= 12);

    /* the device path: the same values, bit for bit where the OpenCL path
     * guarantees it (texture features within 1e-9 relative of the CPU) */
    radx_device_request request = {RADX_DEVICE_AUTO, -1, -1};
    radx_device_choice choice;
    memset(&choice, 0, sizeof choice);
    if (radx_device_choose(&request, &choice) == RADX_OK && choice.context) {
        radx_sweep_cell *dev = calloc((size_t)npoints * NCASES, sizeof *dev);
        assert_int_equal(radx_sweep_run_device(choice.context, points, npoints, cases, NCASES, 1, dev,
                                               NULL, NULL), RADX_OK);
        for (int k = 0; k < npoints * NCASES; k++) {
            assert_int_equal(dev[k].status, cells[k].status);
            if (cells[k].status != RADX_OK) continue;
            radx_columns cols;
            assert_int_equal(radx_columns_build(&points[k / NCASES].params, &cells[k].result, 1, &cols), RADX_OK);
            for (int c = 0; c < cols.count; c++)
                assert_close(cols.names[c], radx_columns_value(&cols, c, &dev[k].result),
                             radx_columns_value(&cols, c, &cells[k].result), 1e-9, 1e-12);
            radx_columns_free(&cols);
        }
        radx_sweep_cells_free(dev, (size_t)npoints * NCASES);
        free(dev);
        printf("device path (%s): same values\n", choice.description);
    }
    radx_device_choice_release(&choice);
    radx_sweep_cells_free(cells, (size_t)npoints * NCASES);
    free(cells);
    free(points);
    radx_sweep_grid_free(&grid);
}

/* ---------------------------------------------------------- stability */

/* Lin (1989) written as r * C_b: C_b = 2 / (v + 1/v + u^2), v = s_x / s_y,
 * u = (m_x - m_y) / sqrt(s_x s_y), moments with 1/n. */
static double ccc_by_bias_factor(const double *x, const double *y, int n)
{
    double mx = gsl_stats_mean(x, 1, n), my = gsl_stats_mean(y, 1, n);
    double sx = sqrt(gsl_stats_variance_m(x, 1, n, mx) * (n - 1) / n);
    double sy = sqrt(gsl_stats_variance_m(y, 1, n, my) * (n - 1) / n);
    double r = gsl_stats_correlation(x, 1, y, 1, n);
    double v = sx / sy, u = (mx - my) / sqrt(sx * sy);
    return r * 2.0 / (v + 1.0 / v + u * u);
}

/* Spearman by hand: mid-ranks, then Pearson. */
static void midranks(const double *x, int n, double *rank)
{
    for (int i = 0; i < n; i++) {
        int less = 0, equal = 0;
        for (int j = 0; j < n; j++) {
            less += x[j] < x[i];
            equal += x[j] == x[i];
        }
        rank[i] = less + (equal + 1) / 2.0;
    }
}

static void test_stability_measures(void **state)
{
    (void)state;
    enum { N = 12, K = 3 };
    double x[N * K];
    for (int i = 0; i < N; i++) {
        double truth = sin(1.7 * i) * 10 + i;
        x[i * K + 0] = truth;
        x[i * K + 1] = truth * 1.1 + 0.5 * cos(3.1 * i);
        x[i * K + 2] = (i % 4 == 0) ? truth : truth + 2.0; /* ties in ranks possible */
    }
    radx_sweep_stability s;
    assert_int_equal(radx_sweep_stability_compute(x, N, K, 0, &s), RADX_OK);
    radx_icc_result icc;
    assert_int_equal(radx_stats_icc_compute(x, N, K, 0.95, &icc), RADX_OK);
    assert_close("ICC(A,1)", s.icc_a1, icc.icc_a1, 1e-15, 0);
    assert_close("ICC(C,1)", s.icc_c1, icc.icc_c1, 1e-15, 0);
    double a[N], b[N], ra[N], rb[N];
    double ccc_min = INFINITY, rho_min = INFINITY;
    for (int j = 1; j < K; j++) {
        for (int i = 0; i < N; i++) {
            a[i] = x[i * K];
            b[i] = x[i * K + j];
        }
        double ccc = ccc_by_bias_factor(a, b, N);
        assert_close("CCC", radx_sweep_ccc(a, b, N), ccc, 1e-12, 0);
        midranks(a, N, ra);
        midranks(b, N, rb);
        double rho = gsl_stats_correlation(ra, 1, rb, 1, N);
        assert_close("Spearman", radx_sweep_spearman(a, b, N), rho, 1e-12, 0);
        ccc_min = fmin(ccc_min, ccc);
        rho_min = fmin(rho_min, rho);
    }
    assert_close("CCC min", s.ccc_min, ccc_min, 1e-12, 0);
    assert_close("Spearman min", s.spearman_min, rho_min, 1e-12, 0);
    double cv = 0;
    for (int i = 0; i < N; i++) {
        double m = gsl_stats_mean(x + i * K, 1, K);
        cv += gsl_stats_sd(x + i * K, 1, K) / fabs(m);
    }
    assert_close("CV", s.cv_mean, cv / N, 1e-12, 0);
    /* identical settings: perfect agreement */
    for (int i = 0; i < N; i++) x[i * K + 1] = x[i * K + 2] = x[i * K];
    assert_int_equal(radx_sweep_stability_compute(x, N, K, 0, &s), RADX_OK);
    assert_close("ICC identical", s.icc_a1, 1.0, 1e-12, 0);
    assert_close("CCC identical", s.ccc_min, 1.0, 1e-12, 0);
}

/* --------------------------------------------------------- bad grids */

static void test_invalid_grid_values(void **state)
{
    (void)state;
    static const struct {
        const char *spec, *expect;
    } bad[] = {
        {"binWidth=5,-5", "binWidth"},
        {"interpolator=sitkLinear,sitkFoo", "sitkFoo"},
        {"resampledPixelSpacing=0", "resampledPixelSpacing"},
        {"resampledPixelSpacing=1:1:0,-1:1:0", "resampledPixelSpacing"},
        {"binCount=0", "binCount"},
        {"noSuchSetting=1", "noSuchSetting"},
    };
    radx_params base;
    radx_params_default(&base);
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        radx_sweep_grid grid;
        radx_sweep_grid_init(&grid);
        assert_int_equal(radx_sweep_grid_add(&grid, bad[k].spec), RADX_OK);
        radx_sweep_point *points = NULL;
        int n = 0;
        radx_status st = radx_sweep_points(&grid, &base, &points, &n);
        if (st == RADX_OK) fail_msg("%s accepted", bad[k].spec);
        assert_contains(radx_last_error(), bad[k].expect);
        assert_null(points);
        radx_sweep_grid_free(&grid);
    }
    radx_sweep_grid grid;
    radx_sweep_grid_init(&grid);
    assert_int_equal(radx_sweep_grid_add(&grid, "binWidth=5"), RADX_OK);
    assert_int_not_equal(radx_sweep_grid_add(&grid, "binWidth=10"), RADX_OK);
    assert_contains(radx_last_error(), "swept twice");
    assert_int_not_equal(radx_sweep_grid_add(&grid, "binWidth"), RADX_OK);
    radx_sweep_grid_free(&grid);
}

/* ---------------------------------------------------------------- CLI */

static const char *radx_bin(void)
{
    const char *bin = getenv("RADX_BIN");
    return bin ? bin : "build/radx";
}

static int sh(const char *fmt, const char *a, const char *b)
{
    char command[4096];
    snprintf(command, sizeof command, fmt, a, b);
    int status = system(command);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void write_cohort(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "mkdir -p %s", dir);
    assert_int_equal(system(path), 0);
    snprintf(path, sizeof path, "%s/manifest.csv", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "Case,Image,Mask,Mask2\n");
    /* reader 2: the same lesions with another mask where one exists */
    static const char *const mask2[] = {SYN "syn2d_blob_int16_mask.nii.gz", SYN "syn2d_ring_float_mask.nii.gz",
                                        SYN "syn3d_blob_int16_mask.nii.gz", SYN "syn2d_stripes_mask.nii.gz"};
    char cwd[1024];
    assert_non_null(getcwd(cwd, sizeof cwd));
    for (int i = 0; i < NCASES; i++)
        fprintf(f, "c%d,%s/%s,%s/%s,%s/%s\n", i, cwd, images[i], cwd, masks[i], cwd, mask2[i]);
    fclose(f);
}

static void test_cli_files(void **state)
{
    (void)state;
    const char *dir = "build-test-sweep";
    write_cohort(dir);
    char args[2048];
    snprintf(args, sizeof args, "--cohort %s/manifest.csv --grid binWidth=10,25 --out %s/s.h5 "
             "--csv-dir %s/csv --report %s/report", dir, dir, dir, dir);
    assert_int_equal(sh("%s sweep %s 2>/dev/null", radx_bin(), args), 0);
    /* each CSV equals radx extract with that setting, cell for cell */
    static const char *const widths[] = {"10", "25"};
    for (int w = 0; w < 2; w++) {
        char params[512], out[512], csv[512];
        snprintf(params, sizeof params, "%s/p%s.yaml", dir, widths[w]);
        FILE *f = fopen(params, "w");
        fprintf(f, "setting:\n  binWidth: %s\n", widths[w]);
        fclose(f);
        snprintf(out, sizeof out, "%s/extract%s.csv", dir, widths[w]);
        snprintf(args, sizeof args, "--cohort %s/manifest.csv --params %s --out %s", dir, params, out);
        assert_int_equal(sh("%s extract %s 2>/dev/null", radx_bin(), args), 0);
        snprintf(csv, sizeof csv, "%s/csv/binWidth=%s.csv", dir, widths[w]);
        radx_csv *a, *b;
        assert_int_equal(radx_csv_read(csv, &a), RADX_OK);
        assert_int_equal(radx_csv_read(out, &b), RADX_OK);
        assert_int_equal(a->ncols, b->ncols);
        assert_int_equal(a->nrows, NCASES);
        for (int c = 0; c < a->ncols; c++) assert_string_equal(a->header[c], b->header[c]);
        for (int r = 0; r < a->nrows; r++)
            for (int c = 0; c < a->ncols; c++) assert_string_equal(a->cells[r][c], b->cells[r][c]);
        radx_csv_free(a);
        radx_csv_free(b);
    }
    /* the HDF5 file: groups per setting, stability, readers */
    char path[512];
    snprintf(path, sizeof path, "%s/s.h5", dir);
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    assert_true(H5Lexists(file, "settings/binWidth=10/features", H5P_DEFAULT) > 0);
    assert_true(H5Lexists(file, "settings/binWidth=25/feature_names", H5P_DEFAULT) > 0);
    assert_true(H5Lexists(file, "stability/icc_a1", H5P_DEFAULT) > 0);
    assert_true(H5Lexists(file, "readers/icc_a1", H5P_DEFAULT) > 0);
    hid_t set = H5Dopen2(file, "settings/binWidth=10/features", H5P_DEFAULT);
    hid_t space = H5Dget_space(set);
    hsize_t dims[2];
    H5Sget_simple_extent_dims(space, dims, NULL);
    assert_int_equal(dims[0], NCASES);
    assert_true(dims[1] > 90);
    H5Sclose(space);
    H5Dclose(set);
    H5Fclose(file);
    /* readers with identical masks agree perfectly; the report's files exist */
    snprintf(path, sizeof path, "%s/report/reader_icc.csv", dir);
    radx_csv *r;
    assert_int_equal(radx_csv_read(path, &r), RADX_OK);
    int icc = radx_csv_column(r, "icc_a1"), checked = 0;
    for (int k = 0; k < r->nrows; k++) {
        double v;
        if (radx_csv_number(r->cells[k][icc], &v) != 0) continue; /* NaN: constant feature */
        assert_close("reader ICC (same masks)", v, 1.0, 1e-9, 0);
        checked++;
    }
    assert_true(checked > 50);
    radx_csv_free(r);
    static const char *const files[] = {"stability.csv", "robust_features.csv", "stability_ccc.png",
                                        "reader_icc.png"};
    for (int k = 0; k < 4; k++) {
        snprintf(path, sizeof path, "%s/report/%s", dir, files[k]);
        FILE *f = fopen(path, "rb");
        if (!f) fail_msg("%s missing", path);
        unsigned char magic[4] = {0};
        size_t got = fread(magic, 1, 4, f);
        fclose(f);
        assert_true(got > 0);
        if (strstr(files[k], ".png")) assert_memory_equal(magic, "\x89PNG", 4);
    }
    /* bad grid: an error naming it, before work, exit status 2 */
    snprintf(args, sizeof args, "--cohort %s/manifest.csv --grid binWidth=-1 --out %s/bad.h5", dir, dir);
    assert_int_equal(sh("%s sweep %s 2>/dev/null", radx_bin(), args), 2);
    snprintf(path, sizeof path, "%s/bad.h5", dir);
    FILE *f = fopen(path, "rb");
    assert_null(f);
}

int main(void)
{
    radx_test_pin_host_reduction();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_equals_separate_extractions),
        cmocka_unit_test(test_stability_measures),
        cmocka_unit_test(test_invalid_grid_values),
        cmocka_unit_test(test_cli_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
