/* The sweep report's figures (radx_plot_heatmap, include/radx/plot.h):
 * heat maps of features x settings, coloured by Lin's CCC with the
 * baseline setting, and with several readers by the inter-reader ICC(A,1)
 * per setting. */
#include "sweep/output.h"
#include "core/error.h"
#include "radx/plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int column_of(const radx_columns *cols, const char *name)
{
    for (int c = 0; c < cols->count; c++)
        if (strcmp(cols->names[c], name) == 0) return c;
    return -1;
}

/* CCC of feature `name` between setting p and the baseline, over cases
 * with both values finite. */
static double ccc_with_baseline(const radx_sweep_table *tables, int p, int baseline, int ncases,
                                const char *name, double *x, double *y)
{
    int cp = column_of(&tables[p].columns, name), cb = column_of(&tables[baseline].columns, name);
    if (cp < 0 || cb < 0) return NAN;
    int n = 0;
    for (int i = 0; i < ncases; i++) {
        double a = tables[baseline].values[(size_t)i * tables[baseline].columns.count + cb];
        double b = tables[p].values[(size_t)i * tables[p].columns.count + cp];
        if (!isfinite(a) || !isfinite(b)) continue;
        x[n] = a;
        y[n++] = b;
    }
    return radx_sweep_ccc(x, y, n);
}

/* Pixel height of a heat map with one row per feature: 14 px a row leaves
 * room for the feature names at text_scale 0.5 (radx_plot_heatmap names
 * up to 120 rows; more get numbered ticks and the default height). */
static int figure_height(int nfeatures)
{
    if (nfeatures > 120) return 1000;
    int height = 200 + 14 * nfeatures;
    return height < 800 ? 800 : height;
}

/* value[s * nfeatures + f] (setting s, feature f) as a heat map with one
 * row per feature (the baseline table's order, named) and one column per
 * setting; the colour scale spans 0 (values below drawn as 0) to 1, NaN
 * cells grey. */
static radx_status heat_map(const char *path, const char *title, const char *legend,
                            const radx_sweep_point *points, int npoints, int nfeatures,
                            const char *const *feature_names, const double *value)
{
    double *cells = malloc(((size_t)npoints * nfeatures + 1) * sizeof *cells);
    const char **setting_names = malloc(((size_t)npoints + 1) * sizeof *setting_names);
    radx_status st = RADX_OK;
    if (!cells || !setting_names) st = radx_fail(RADX_ERR_NOMEM, "out of memory");
    for (int s = 0; st == RADX_OK && s < npoints; s++) {
        setting_names[s] = points[s].name;
        for (int f = 0; f < nfeatures; f++) cells[(size_t)f * npoints + s] = value[(size_t)s * nfeatures + f];
    }
    if (st == RADX_OK) {
        radx_plot_figure figure;
        radx_plot_figure_init(&figure, path, title, NULL, "feature (baseline column order)");
        figure.width = 1000;
        figure.height = figure_height(nfeatures);
        figure.text_scale = 0.5;
        st = radx_plot_heatmap(&figure, cells, nfeatures, npoints, feature_names, setting_names, 0.0, 1.0, legend);
    }
    free(cells);
    free(setting_names);
    return st;
}

radx_status radx_sweep_write_report(const char *dir, const radx_sweep_point *points, int npoints,
                                    const radx_sweep_table *tables, int ncases,
                                    const radx_sweep_stability_table *stability,
                                    const radx_sweep_reader_table *readers)
{
    radx_status st = RADX_OK;
    char path[4096], title[512];
    int nf = stability->nfeatures;
    if (npoints >= 2 && nf > 0) {
        double *ccc = malloc(((size_t)npoints * nf + 1) * sizeof *ccc);
        double *x = malloc(2 * ((size_t)ncases + 1) * sizeof *x);
        if (!ccc || !x) st = radx_fail(RADX_ERR_NOMEM, "out of memory");
        for (int s = 0; st == RADX_OK && s < npoints; s++)
            for (int f = 0; f < nf; f++)
                ccc[(size_t)s * nf + f] = ccc_with_baseline(tables, s, stability->baseline, ncases, stability->names[f],
                                              x, x + ncases + 1);
        snprintf(path, sizeof path, "%s/stability_ccc.png", dir);
        snprintf(title, sizeof title, "Agreement with the baseline setting %s (%d cases)",
                 points[stability->baseline].name, ncases);
        if (st == RADX_OK)
            st = heat_map(path, title, "Lin CCC", points, npoints, nf, (const char *const *)stability->names, ccc);
        free(x);
        free(ccc);
    }
    if (st == RADX_OK && readers->icc_a1 && readers->nfeatures > 0) {
        snprintf(path, sizeof path, "%s/reader_icc.png", dir);
        st = heat_map(path, "Inter-reader agreement per setting", "ICC(A,1)", points, npoints, readers->nfeatures,
                      (const char *const *)readers->names, readers->icc_a1);
    }
    return st;
}
