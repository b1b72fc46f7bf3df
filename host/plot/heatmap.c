/* Heat map of a matrix (e.g. features x settings) with a colour bar. */
#include "plot/plot_internal.h"
#include "core/error.h"

#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <string.h>

/* cmap1: white (low) through light blue to dark blue (high). */
static void set_colour_map(void)
{
    PLFLT pos[3] = {0.0, 0.5, 1.0};
    PLFLT r[3] = {1.0, 0.42, 0.03}, g[3] = {1.0, 0.68, 0.19}, b[3] = {1.0, 0.84, 0.42};
    plscmap1n(256);
    plscmap1l(1, 3, pos, r, g, b, NULL);
}

static size_t longest(const char *const *labels, int n)
{
    size_t m = 0;
    for (int i = 0; labels && i < n; i++)
        if (labels[i] && strlen(labels[i]) > m) m = strlen(labels[i]);
    return m;
}

static void draw_cells(const double *values, int rows, int cols, double lo, double hi)
{
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            double v = values[(size_t)r * cols + c];
            PLFLT x[4] = {c, c + 1, c + 1, c}, y[4] = {rows - r - 1, rows - r - 1, rows - r, rows - r};
            if (!isfinite(v)) {
                plcol0(PLOT_GREY);
            } else {
                double t = (v - lo) / (hi - lo);
                plcol1(t < 0 ? 0 : t > 1 ? 1 : t);
            }
            plfill(4, x, y);
        }
}

static void draw_labels(const char *const *row_labels, int rows, const char *const *col_labels, int cols)
{
    char text[512];
    plcol0(PLOT_INK);
    plbox(col_labels ? "bc" : "bcnt", col_labels ? 0 : 1.0, 0, row_labels ? "bc" : "bcntv", row_labels ? 0 : 1.0, 0);
    if (rows <= 120)
        for (int r = 0; row_labels && r < rows; r++)
            if (row_labels[r]) plmtex("lv", 0.5, (rows - r - 0.5) / rows, 1.0, plot_text(row_labels[r], text, sizeof text));
    if (cols <= 120)
        for (int c = 0; col_labels && c < cols; c++)
            if (col_labels[c]) plmtex("bv", 0.5, (c + 0.5) / cols, 1.0, plot_text(col_labels[c], text, sizeof text));
}

static void draw_colour_bar(double lo, double hi, const char *label)
{
    char text[256];
    PLINT label_opts[1] = {PL_COLORBAR_LABEL_TOP};
    const char *labels[1] = {plot_text(label ? label : "", text, sizeof text)};
    PLINT axis_sub[1] = {0};
    PLFLT axis_ticks[1] = {0.0};
    const char *axis_opts[1] = {"bcvtm"};
    PLINT n_values[1] = {2};
    PLFLT range[2] = {lo, hi};
    const PLFLT *values_array[1] = {range};
    PLFLT width, height;
    plcolorbar(&width, &height, PL_COLORBAR_GRADIENT, PL_POSITION_OUTSIDE | PL_POSITION_RIGHT, 0.03, 0.0, 0.04,
               0.6, 0, 1, 1, 0.0, 0.0, 0, 0.0, 1, label_opts, labels, 1, axis_opts, axis_ticks, axis_sub,
               n_values, values_array);
}

static radx_status draw(const radx_plot_figure *f, const double *values, int rows, int cols,
                        const char *const *row_labels, const char *const *col_labels, double lo, double hi,
                        const char *bar_label)
{
    if (plot_begin(f) != 0) return radx_fail(RADX_ERR_IO, "%s: PLplot could not open a stream", f->path);
    double left = row_labels && rows <= 120 ? plot_chars(longest(row_labels, rows)) + 1.5 : 5.0;
    double bottom = col_labels && cols <= 120 ? plot_chars(longest(col_labels, cols)) + 1.5 : 3.0;
    plot_viewport(f, left, bottom + (f->x_label ? 2.5 : 0.0), 0.8);
    plwind(0, cols, 0, rows);
    set_colour_map();
    draw_cells(values, rows, cols, lo, hi);
    draw_labels(row_labels, rows, col_labels, cols);
    char y_label[512], x_label[512];
    pllab("", row_labels && rows <= 120 ? "" : plot_text(f->y_label, y_label, sizeof y_label), "");
    plot_title(f);
    if (f->x_label) plmtex("b", bottom + 1.5, 0.5, 0.5, plot_text(f->x_label, x_label, sizeof x_label));
    draw_colour_bar(lo, hi, bar_label);
    return plot_end(f);
}

radx_status radx_plot_heatmap(const radx_plot_figure *figure, const double *values, int rows, int cols,
                              const char *const *row_labels, const char *const *col_labels, double v_min,
                              double v_max, const char *colour_bar_label)
{
    radx_status st = plot_check_figure(figure);
    if (st != RADX_OK) return st;
    if (rows <= 0 || cols <= 0 || !values)
        return radx_fail(RADX_ERR_PARAM, "%s: the heat map has no cells (%d x %d)", figure->path, rows, cols);
    plot_range data;
    plot_range_empty(&data);
    for (size_t k = 0; k < (size_t)rows * cols; k++) plot_range_add(&data, values[k]);
    /* a fixed colour range draws even an all-NaN matrix (all grey); a range
     * from the data needs a finite value */
    int fixed_range = isfinite(v_min) && isfinite(v_max);
    if (!fixed_range && !(data.lo <= data.hi))
        return radx_fail(RADX_ERR_PARAM, "%s: no finite value in the heat map", figure->path);
    double lo = isfinite(v_min) ? v_min : data.lo, hi = isfinite(v_max) ? v_max : data.hi;
    if (!(hi > lo)) {
        if (fixed_range)
            return radx_fail(RADX_ERR_PARAM, "%s: colour range is empty (%g .. %g)", figure->path, lo, hi);
        hi = lo + (fabs(lo) > 0 ? 0.1 * fabs(lo) : 1.0);
    }
    st = plot_check_writable(figure->path);
    if (st != RADX_OK) return st;
    plot_lock();
    st = draw(figure, values, rows, cols, row_labels, col_labels, lo, hi, colour_bar_label);
    plot_unlock();
    return st;
}
