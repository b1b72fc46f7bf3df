/* The IBSI digital phantom as a radx_roi and the comparison of a texture
 * class against IBSI's reference values, shared by test_glcm and test_glrlm. */
#include "texture_phantom.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ ROI helper */

/* A radx_roi with its own arrays; levels 1..ng inside, 0 outside. */

/* Build from full arrays (x fastest) cropped to the mask's bounding box. */
void tex_roi_make(tex_roi *t, const int size[3], const double spacing[3],
                          const uint8_t *mask, const int *levels)
{
    int lo[3] = {size[0], size[1], size[2]}, hi[3] = {-1, -1, -1};
    for (int z = 0; z < size[2]; z++)
        for (int y = 0; y < size[1]; y++)
            for (int x = 0; x < size[0]; x++) {
                if (!mask[x + size[0] * (y + size[1] * z)]) continue;
                int c[3] = {x, y, z};
                for (int a = 0; a < 3; a++) {
                    if (c[a] < lo[a]) lo[a] = c[a];
                    if (c[a] > hi[a]) hi[a] = c[a];
                }
            }
    assert_true(hi[0] >= 0);
    memset(t, 0, sizeof *t);
    for (int a = 0; a < 3; a++) {
        t->roi.size[a] = hi[a] - lo[a] + 1;
        t->roi.spacing[a] = spacing[a];
    }
    size_t n = (size_t)t->roi.size[0] * t->roi.size[1] * t->roi.size[2];
    t->mask = calloc(n, 1);
    t->levels = calloc(n, sizeof *t->levels);
    assert_non_null(t->mask);
    assert_non_null(t->levels);
    int ng = 0;
    for (int z = 0; z < t->roi.size[2]; z++)
        for (int y = 0; y < t->roi.size[1]; y++)
            for (int x = 0; x < t->roi.size[0]; x++) {
                size_t src = (size_t)(x + lo[0]) + size[0] * ((size_t)(y + lo[1]) + size[1] * (size_t)(z + lo[2]));
                size_t dst = (size_t)x + t->roi.size[0] * ((size_t)y + t->roi.size[1] * (size_t)z);
                if (!mask[src]) continue;
                t->mask[dst] = 1;
                t->levels[dst] = levels[src];
                t->roi.nvoxels++;
                if (levels[src] > ng) ng = levels[src];
            }
    t->level_rank = malloc((size_t)(ng + 1) * sizeof *t->level_rank);
    assert_non_null(t->level_rank);
    for (int l = 0; l <= ng; l++) t->level_rank[l] = -1;
    for (size_t k = 0; k < n; k++)
        if (t->mask[k]) t->level_rank[t->levels[k]] = 0;
    int nlevels = 0;
    for (int l = 1; l <= ng; l++)
        if (t->level_rank[l] == 0) {
            t->level_values[nlevels] = l;
            t->level_rank[l] = nlevels++;
        }
    t->roi.mask = t->mask;
    t->roi.levels = t->levels;
    t->roi.ng = ng;
    t->roi.nlevels = nlevels;
    t->roi.level_values = t->level_values;
    t->roi.level_rank = t->level_rank;
}

void tex_roi_free(tex_roi *t)
{
    free(t->mask);
    free(t->levels);
    free(t->level_rank);
}

/* Read one IBSI phantom text file: "# nx ny nz sx sy sz" then integers. */
int *tex_read_phantom_file(const char *path, int size[3], double spacing[3])
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_int_equal(fscanf(f, "# %d %d %d %lf %lf %lf", &size[0], &size[1], &size[2],
                            &spacing[0], &spacing[1], &spacing[2]), 6);
    size_t n = (size_t)size[0] * size[1] * size[2];
    int *v = malloc(n * sizeof *v);
    assert_non_null(v);
    for (size_t k = 0; k < n; k++) assert_int_equal(fscanf(f, "%d", &v[k]), 1);
    fclose(f);
    return v;
}

/* The IBSI digital phantom: grey levels are the integer values (IBSI: no
 * discretisation), cropped to the mask's bounding box. */
void tex_load_phantom(tex_roi *t)
{
    int size[3], msize[3];
    double spacing[3], mspacing[3];
    int *image = tex_read_phantom_file("tests/data/ibsi/digital_phantom_image.txt", size, spacing);
    int *maskv = tex_read_phantom_file("tests/data/ibsi/digital_phantom_mask.txt", msize, mspacing);
    assert_memory_equal(size, msize, sizeof size);
    size_t n = (size_t)size[0] * size[1] * size[2];
    uint8_t *mask = malloc(n);
    assert_non_null(mask);
    for (size_t k = 0; k < n; k++) mask[k] = maskv[k] != 0;
    tex_roi_make(t, size, spacing, mask, image);
    free(mask);
    free(maskv);
    free(image);
    /* README: ROI levels 1, 3, 4, 6, Ng 6, 74 voxels. */
    assert_int_equal(t->roi.ng, 6);
    assert_int_equal(t->roi.nlevels, 4);
    assert_int_equal((int)t->roi.nvoxels, 74);
}

/* ------------------------------------------------------- IBSI comparison */

int tex_feature_index(const radx_feature_class *cls, const char *name)
{
    for (int f = 0; f < cls->nfeatures; f++)
        if (strcmp(cls->features[f].name, name) == 0) return f;
    return -1;
}

/* IBSI values carry 3 significant digits ("2.2" is 2.20): accept a result
 * within half a unit of the third significant digit. */
int tex_matches_ibsi(double got, double ibsi)
{
    if (ibsi == 0.0) return fabs(got) < 5e-4;
    double unit = pow(10.0, floor(log10(fabs(ibsi))) - 2.0);
    return fabs(got - ibsi) <= 0.5 * unit * (1.0 + 1e-9);
}


/* IBSI aggregation -> PyRadiomics settings (tests/data/ibsi/README.md). */
void tex_opts_for(const char *aggregation, radx_feature_opts *opts)
{
    tex_default_opts(opts);
    opts->force2d = strncmp(aggregation, "2.5D", 4) == 0;
    opts->force2d_axis = 2;
    opts->weighting = strstr(aggregation, "_mrg") ? RADX_WEIGHTING_NONE : RADX_WEIGHTING_AVERAGE;
}

/* PyRadiomics' defaults for the texture classes: distances [1],
 * symmetricalGLCM true, weightingNorm unset, force2Ddimension 0 (radx axis z). */
void tex_default_opts(radx_feature_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->force2d_axis = 2;
    opts->ndistances = 1;
    opts->distances[0] = 1;
    opts->symmetrical_glcm = 1;
    opts->weighting = RADX_WEIGHTING_AVERAGE;
}

/* Compare every `family` row of the IBSI CSV for `aggregation` that has a
 * PyRadiomics name; returns the number of rows compared. */
int tex_compare_ibsi(const radx_feature_class *cls, const char *family, const char *aggregation)
{
    tex_roi t;
    tex_load_phantom(&t);
    radx_feature_opts opts;
    tex_opts_for(aggregation, &opts);
    double out[64];
    assert_true(cls->nfeatures <= 64);
    radx_status st = cls->compute(&t.roi, &opts, out);
    if (st != RADX_OK) fail_msg("%s %s: %s", family, aggregation, radx_last_error());

    radx_csv *csv = NULL;
    assert_int_equal(radx_csv_read(IBSI_CSV, &csv), RADX_OK);
    int c_family = radx_csv_column(csv, "family"), c_agg = radx_csv_column(csv, "aggregation");
    int c_value = radx_csv_column(csv, "value"), c_name = radx_csv_column(csv, "pyradiomics_name");
    int c_code = radx_csv_column(csv, "ibsi_code");
    assert_true(c_family >= 0 && c_agg >= 0 && c_value >= 0 && c_name >= 0 && c_code >= 0);
    size_t prefix = strlen(family) + 1;
    int compared = 0, failures = 0;
    for (int r = 0; r < csv->nrows; r++) {
        char **row = csv->cells[r];
        if (strcmp(row[c_family], family) || strcmp(row[c_agg], aggregation) || !row[c_name][0])
            continue;
        assert_true(strncmp(row[c_name], family, prefix - 1) == 0 && row[c_name][prefix - 1] == '_');
        int f = tex_feature_index(cls, row[c_name] + prefix);
        if (f < 0) fail_msg("%s: no feature %s", cls->name, row[c_name]);
        double ibsi;
        assert_int_equal(radx_csv_number(row[c_value], &ibsi), 0);
        compared++;
        if (!tex_matches_ibsi(out[f], ibsi)) {
            print_error("%s %s (%s): got %.6g, IBSI %s\n", aggregation, row[c_name], row[c_code],
                        out[f], row[c_value]);
            failures++;
        }
    }
    radx_csv_free(csv);
    tex_roi_free(&t);
    if (failures) fail_msg("%d of %d %s %s values differ from IBSI", failures, compared, family, aggregation);
    return compared;
}


/* ------------------------------------------------- tables and baselines */

const radx_feature_opts *tex_opts_mode(int force2d, radx_weighting weighting)
{
    static radx_feature_opts opts;
    tex_default_opts(&opts);
    opts.force2d = force2d;
    opts.weighting = weighting;
    return &opts;
}

void tex_check_table(const radx_feature_class *cls, const char *const *names, int nfeatures)
{
    assert_int_equal(cls->nfeatures, nfeatures);
    for (int f = 0; f < nfeatures; f++) assert_string_equal(cls->features[f].name, names[f]);
    radx_csv *csv = NULL;
    assert_int_equal(radx_csv_read(IBSI_CSV, &csv), RADX_OK);
    int c_name = radx_csv_column(csv, "pyradiomics_name"), c_code = radx_csv_column(csv, "ibsi_code");
    for (int f = 0; f < cls->nfeatures; f++) {
        const char *code = cls->features[f].ibsi_code;
        if (!code[0]) continue;
        char full[96];
        snprintf(full, sizeof full, "%s_%s", cls->name, cls->features[f].name);
        int found = 0;
        for (int r = 0; r < csv->nrows; r++)
            if (!strcmp(csv->cells[r][c_name], full) && !strcmp(csv->cells[r][c_code], code)) found = 1;
        if (!found) fail_msg("%s: IBSI code %s not listed for it in %s", full, code, IBSI_CSV);
    }
    radx_csv_free(csv);
}

/* Flat-region modes: 0 3D averaged, 1 force2D averaged, 2 3D merged. */
void tex_compare_flat_mode(const radx_feature_class *cls, const tex_roi *t, int mode,
                           const char *const *names, int nnames, double *out)
{
    const radx_feature_opts *opts =
        tex_opts_mode(mode == 1, mode == 2 ? RADX_WEIGHTING_NONE : RADX_WEIGHTING_AVERAGE);
    assert_int_equal(cls->compute(&t->roi, opts, out), RADX_OK);
    char csv_path[128];
    snprintf(csv_path, sizeof csv_path, "tests/data/pyradiomics-baseline/baseline_%s.csv", cls->name);
    radx_csv *csv = NULL;
    assert_int_equal(radx_csv_read(csv_path, &csv), RADX_OK);
    int c_name = radx_csv_column(csv, "featureName"), c_flat = radx_csv_column(csv, "brain1_flatRegion");
    assert_true(c_name >= 0 && c_flat >= 0);
    for (int k = 0; k < nnames; k++) {
        const char *name = names ? names[k] : cls->features[k].name;
        char full[96];
        snprintf(full, sizeof full, "original_%s_%s", cls->name, name);
        int row = -1;
        for (int r = 0; r < csv->nrows; r++)
            if (!strcmp(csv->cells[r][c_name], full)) row = r;
        if (row < 0) fail_msg("%s: no %s", csv_path, full);
        double expected;
        assert_int_equal(radx_csv_number(csv->cells[row][c_flat], &expected), 0);
        assert_close(full, out[tex_feature_index(cls, name)], expected, 1e-12, 1e-30);
    }
    radx_csv_free(csv);
}

void tex_rank_relabelled(const tex_roi *t, tex_roi *ranked)
{
    size_t nvox = (size_t)t->roi.size[0] * t->roi.size[1] * t->roi.size[2];
    int *relabelled = calloc(nvox, sizeof *relabelled);
    assert_non_null(relabelled);
    for (size_t k = 0; k < nvox; k++)
        if (t->mask[k]) relabelled[k] = t->level_rank[t->levels[k]] + 1;
    tex_roi_make(ranked, t->roi.size, t->roi.spacing, t->mask, relabelled);
    free(relabelled);
}

void tex_make_x_pattern(tex_roi *t)
{
    int size[3] = {3, 3, 1};
    double spacing[3] = {1, 1, 1};
    uint8_t mask[9] = {1, 0, 1, 0, 1, 0, 1, 0, 1};
    int levels[9] = {1, 0, 1, 0, 2, 0, 1, 0, 1};
    tex_roi_make(t, size, spacing, mask, levels);
}
