/* Test ROIs built in memory and the IBSI digital phantom as a radx_roi,
 * shared by the texture-class tests. */
#include "phantom.h"
#include "radx/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>



void test_roi_free(test_roi *t)
{
    free(t->mask);
    free(t->values);
    free(t->levels);
    free(t->level_values);
    free(t->level_rank);
}

void test_roi_make(test_roi *t, const int size[3], const int *levels, double spacing)
{
    const double spacing3[3] = {spacing, spacing, spacing};
    test_roi_make_values(t, size, NULL, levels, spacing3);
}

void test_roi_make_values(test_roi *t, const int size[3], const double *values, const int *levels,
                          const double spacing[3])
{
    size_t n = (size_t)size[0] * (size_t)size[1] * (size_t)size[2];
    memset(t, 0, sizeof *t);
    t->mask = calloc(n, 1);
    t->values = calloc(n, sizeof *t->values);
    t->levels = calloc(n, sizeof *t->levels);
    assert_non_null(t->mask);
    assert_non_null(t->values);
    assert_non_null(t->levels);
    int ng = 0;
    for (size_t i = 0; i < n; i++) {
        t->levels[i] = levels[i];
        t->mask[i] = levels[i] > 0;
        t->values[i] = values ? values[i] : levels[i];
        if (levels[i] > 0) t->roi.nvoxels++;
        if (levels[i] > ng) ng = levels[i];
    }
    t->level_rank = malloc((size_t)(ng + 1) * sizeof *t->level_rank);
    t->level_values = malloc((size_t)(ng + 1) * sizeof *t->level_values);
    assert_non_null(t->level_rank);
    assert_non_null(t->level_values);
    for (int g = 0; g <= ng; g++) t->level_rank[g] = -1;
    for (size_t i = 0; i < n; i++)
        if (levels[i] > 0) t->level_rank[levels[i]] = 0;
    int nlevels = 0;
    for (int g = 1; g <= ng; g++)
        if (t->level_rank[g] == 0) {
            t->level_rank[g] = nlevels;
            t->level_values[nlevels++] = g;
        }
    for (int a = 0; a < 3; a++) {
        t->roi.size[a] = size[a];
        t->roi.spacing[a] = spacing[a];
    }
    t->roi.mask = t->mask;
    t->roi.values = t->values;
    t->roi.levels = t->levels;
    t->roi.ng = ng;
    t->roi.nlevels = nlevels;
    t->roi.level_values = t->level_values;
    t->roi.level_rank = t->level_rank;
}

/* One IBSI phantom text file: "# nx ny nz sx sy sz" then the integers. */
int *read_phantom_file(const char *path, int size[3], double *spacing)
{
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    double sp[3];
    if (fscanf(f, "# %d %d %d %lf %lf %lf", &size[0], &size[1], &size[2], &sp[0], &sp[1], &sp[2]) != 6)
        fail_msg("%s: bad header", path);
    *spacing = sp[0];
    size_t n = (size_t)size[0] * size[1] * size[2];
    int *v = malloc(n * sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < n; i++)
        if (fscanf(f, "%d", &v[i]) != 1) fail_msg("%s: value %zu missing", path, i);
    fclose(f);
    return v;
}

/* The IBSI digital phantom cropped to its mask's bounding box; the grey
 * levels are the phantom's integer values (no discretisation needed). */
void load_phantom(test_roi *t)
{
    int size[3], msize[3];
    double spacing, mspacing;
    int *image = read_phantom_file("tests/data/ibsi/digital_phantom_image.txt", size, &spacing);
    int *mask = read_phantom_file("tests/data/ibsi/digital_phantom_mask.txt", msize, &mspacing);
    assert_memory_equal(size, msize, sizeof size);
    int lo[3] = {size[0], size[1], size[2]}, hi[3] = {-1, -1, -1};
    for (int z = 0; z < size[2]; z++)
        for (int y = 0; y < size[1]; y++)
            for (int x = 0; x < size[0]; x++) {
                if (!mask[x + size[0] * (y + size[1] * z)]) continue;
                int p[3] = {x, y, z};
                for (int a = 0; a < 3; a++) {
                    if (p[a] < lo[a]) lo[a] = p[a];
                    if (p[a] > hi[a]) hi[a] = p[a];
                }
            }
    int box[3] = {hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1};
    int *levels = malloc((size_t)box[0] * box[1] * box[2] * sizeof *levels);
    assert_non_null(levels);
    for (int z = 0; z < box[2]; z++)
        for (int y = 0; y < box[1]; y++)
            for (int x = 0; x < box[0]; x++) {
                int src = (x + lo[0]) + size[0] * ((y + lo[1]) + size[1] * (z + lo[2]));
                levels[x + box[0] * (y + box[1] * z)] = mask[src] ? image[src] : 0;
            }
    test_roi_make(t, box, levels, spacing);
    free(levels);
    free(image);
    free(mask);
    /* The phantom as tests/data/ibsi/README.md describes it. */
    assert_int_equal(t->roi.nvoxels, 74);
    assert_int_equal(t->roi.ng, 6);
    assert_int_equal(t->roi.nlevels, 4);
    int expected_levels[4] = {1, 3, 4, 6};
    assert_memory_equal(t->roi.level_values, expected_levels, sizeof expected_levels);
    assert_close("spacing", t->roi.spacing[0], 2.0, 0, 0);
}

double ibsi_allowed(double reference)
{
    if (reference == 0.0) return 5e-4;
    return 0.5 * pow(10.0, floor(log10(fabs(reference))) - 2);
}

int table_index(const radx_feature_class *cls, const char *name)
{
    for (int f = 0; f < cls->nfeatures; f++)
        if (strcmp(cls->features[f].name, name) == 0) return f;
    return -1;
}

double *read_npy(const char *path, int shape[2])
{
    size_t len;
    char *raw = radx_test_read_file(path, &len);
    if (!raw) fail_msg("cannot read %s", path);
    assert_true(len > 10 && memcmp(raw, "\x93NUMPY", 6) == 0);
    size_t hlen = (unsigned char)raw[8] | ((size_t)(unsigned char)raw[9] << 8);
    char *header = malloc(hlen + 1);
    assert_non_null(header);
    memcpy(header, raw + 10, hlen);
    header[hlen] = '\0';
    assert_non_null(strstr(header, "'<f8'"));
    int fortran = strstr(header, "'fortran_order': True") != NULL;
    char *sh = strstr(header, "'shape': (");
    assert_non_null(sh);
    assert_int_equal(sscanf(sh, "'shape': (%d, %d)", &shape[0], &shape[1]), 2);
    size_t n = (size_t)shape[0] * shape[1];
    assert_true(10 + hlen + n * 8 <= len);
    const double *data = (const double *)(raw + 10 + hlen);
    double *c = malloc(n * sizeof *c);
    assert_non_null(c);
    for (int i = 0; i < shape[0]; i++)
        for (int j = 0; j < shape[1]; j++) {
            double v;
            size_t src = fortran ? (size_t)i + (size_t)shape[0] * j : (size_t)i * shape[1] + j;
            memcpy(&v, data + src, sizeof v);
            c[(size_t)i * shape[1] + j] = v;
        }
    free(header);
    free(raw);
    return c;
}

double baseline_value(const char *csv_path, const char *feature, const char *column)
{
    radx_csv *csv;
    if (radx_csv_read(csv_path, &csv) != RADX_OK) fail_msg("%s", radx_last_error());
    int col = radx_csv_column(csv, column);
    assert_true(col > 0);
    double value = NAN;
    for (int r = 0; r < csv->nrows; r++)
        if (strcmp(csv->cells[r][0], feature) == 0)
            assert_int_equal(radx_csv_number(csv->cells[r][col], &value), 0);
    radx_csv_free(csv);
    if (isnan(value)) fail_msg("%s: no %s", csv_path, feature);
    return value;
}

/* ------------------------------------------------ class comparisons */

void phantom_opts(int force2d, radx_feature_opts *opts)
{
    radx_feature_opts_default(opts);
    if (!force2d) return;
    opts->force2d = 1;
    opts->force2d_axis = 2;
}

void phantom_class_features(const radx_feature_class *cls, const radx_feature_opts *opts, double *out)
{
    test_roi t;
    load_phantom(&t);
    if (cls->compute(&t.roi, opts, out) != RADX_OK) fail_msg("%s", radx_last_error());
    test_roi_free(&t);
}

/* Column `name` of the IBSI CSV; fails when absent. */
static int ibsi_column(const radx_csv *csv, const char *name)
{
    int c = radx_csv_column(csv, name);
    if (c < 0) fail_msg("tests/data/ibsi/reference_values.csv: no column %s", name);
    return c;
}

/* The value compared for one IBSI row: the class's own feature (whose IBSI
 * code must be the row's), else the caller's fallback. */
static double ibsi_row_value(const radx_feature_class *cls, const char *name, const char *code,
                             const double *got, ibsi_fallback fallback, const void *ctx)
{
    int f = table_index(cls, name);
    if (f >= 0) {
        assert_string_equal(cls->features[f].ibsi_code, code);
        return got[f];
    }
    if (!fallback) {
        char upper[32];
        size_t k = 0;
        for (; cls->name[k] && k + 1 < sizeof upper; k++)
            upper[k] = (char)((cls->name[k] >= 'a' && cls->name[k] <= 'z') ? cls->name[k] - 32 : cls->name[k]);
        upper[k] = '\0';
        fail_msg("IBSI row %s_%s has no radx %s feature", cls->name, name, upper);
    }
    return fallback(name, ctx);
}

int ibsi_compare_rows(const radx_feature_class *cls, const char *family, const char *aggregation,
                      const double *got, ibsi_fallback fallback, const void *ctx)
{
    radx_csv *csv;
    if (radx_csv_read("tests/data/ibsi/reference_values.csv", &csv) != RADX_OK)
        fail_msg("%s", radx_last_error());
    int c_family = ibsi_column(csv, "family"), c_code = ibsi_column(csv, "ibsi_code");
    int c_agg = ibsi_column(csv, "aggregation"), c_value = ibsi_column(csv, "value");
    int c_py = ibsi_column(csv, "pyradiomics_name");
    size_t prefix = strlen(cls->name);
    int compared = 0;
    for (int r = 0; r < csv->nrows; r++) {
        char **row = csv->cells[r];
        if (strcmp(row[c_family], family) || strcmp(row[c_agg], aggregation) ||
            strncmp(row[c_py], cls->name, prefix) || row[c_py][prefix] != '_')
            continue;
        const char *name = row[c_py] + prefix + 1;
        double value = ibsi_row_value(cls, name, row[c_code], got, fallback, ctx);
        double reference;
        assert_int_equal(radx_csv_number(row[c_value], &reference), 0);
        char what[160];
        snprintf(what, sizeof what, "IBSI %s %s (%s)", aggregation, name, row[c_code]);
        assert_close(what, value, reference, 0.0, ibsi_allowed(reference));
        compared++;
    }
    radx_csv_free(csv);
    return compared;
}

double *baseline_matrix(const char *case_name, const char *kind, int shape[2], int **levels)
{
    char path[256];
    int nshape[2];
    snprintf(path, sizeof path, "tests/data/pyradiomics-baseline/%s_%s.npy", case_name, kind);
    double *P = read_npy(path, shape);
    snprintf(path, sizeof path, "tests/data/pyradiomics-baseline/%s_ngtdm.npy", case_name);
    double *N = read_npy(path, nshape);
    assert_int_equal(shape[0], nshape[0]);
    *levels = malloc((size_t)nshape[0] * sizeof **levels);
    assert_non_null(*levels);
    for (int i = 0; i < nshape[0]; i++) (*levels)[i] = (int)N[i * 3 + 2];
    free(N);
    return P;
}

void baseline_compare(const radx_feature_class *cls, const char *case_name,
                      const char *const *names, int nnames, const double *out)
{
    char csv_path[128];
    snprintf(csv_path, sizeof csv_path, "tests/data/pyradiomics-baseline/baseline_%s.csv", cls->name);
    for (int k = 0; k < nnames; k++) {
        const char *name = names ? names[k] : cls->features[k].name;
        char feature[128], what[160];
        snprintf(feature, sizeof feature, "original_%s_%s", cls->name, name);
        double expected = baseline_value(csv_path, feature, case_name);
        snprintf(what, sizeof what, "%s %s", case_name, feature);
        assert_close(what, out[table_index(cls, name)], expected, 1e-12, 0.0);
    }
}

int phantom_compare_ibsi(const radx_feature_class *cls, const char *family, const char *aggregation)
{
    radx_feature_opts opts;
    phantom_opts(strncmp(aggregation, "2.5D", 4) == 0, &opts);
    double out[64];
    assert_true(cls->nfeatures <= 64);
    phantom_class_features(cls, &opts, out);
    return ibsi_compare_rows(cls, family, aggregation, out, NULL, NULL);
}

void small_roi_features(const radx_feature_class *cls, const int size[3], const int *image, double *out)
{
    test_roi t;
    test_roi_make(&t, size, image, 1.0);
    radx_feature_opts opts;
    radx_feature_opts_default(&opts);
    if (cls->compute(&t.roi, &opts, out) != RADX_OK) fail_msg("%s", radx_last_error());
    test_roi_free(&t);
}

void check_sorted_table(const radx_feature_class *cls, const char *name, int nfeatures)
{
    assert_string_equal(cls->name, name);
    assert_int_equal(cls->nfeatures, nfeatures);
    for (int f = 1; f < cls->nfeatures; f++)
        assert_true(strcmp(cls->features[f - 1].name, cls->features[f].name) < 0);
    for (int f = 0; f < cls->nfeatures; f++) assert_int_equal(strlen(cls->features[f].ibsi_code), 4);
}
