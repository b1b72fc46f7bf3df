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
        t->values[i] = levels[i];
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
        t->roi.spacing[a] = spacing;
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
