/* radx sweep: a cohort extracted at every setting of a grid in one pass,
 * with per-feature stability across the settings (docs/SWEEP.md). */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "cli/commands.h"
#include "cli/progress.h"
#include "io/manifest.h"
#include "sweep/output.h"
#include "radx/radx.h"
#include "radx/cl.h"
#include "radx/sweep.h"

#include <getopt.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sweep_options {
    const char *params_path, *cohort, *out, *csv_dir, *report, *sweep_file, *baseline, *device;
    double threshold;
    int jobs;
} sweep_options;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: radx sweep [--params P.yaml] --cohort M.csv --grid SETTING=V1,V2,... [--grid ...]\n"
            "                  [--sweep S.yaml] --out sweep.h5 [--csv-dir DIR] [--report DIR]\n"
            "                  [--baseline SETTING_NAME] [--threshold 0.75] [--jobs N]\n"
            "                  [--device cpu|auto|opencl[:P:D]]\n"
            "\n"
            "Extract the cohort at every setting of the grid (the product of the --grid axes and of\n"
            "the `sweep:` section of S.yaml) in one pass: each case is read once and preprocessed\n"
            "once per distinct resampling/normalisation setting. A value with ':' is a list:\n"
            "--grid resampledPixelSpacing=0.5:0.5:0,1:1:0. Settings are named KEY=VALUE joined\n"
            "by '_' (e.g. binWidth=5).\n"
            "\n"
            "Writes sweep.h5: /settings/<name>/ (a feature table, as radx extract --out .h5),\n"
            "/stability/ (per feature across settings: ICC(A,1), ICC(C,1), smallest Lin CCC and\n"
            "Spearman rho against the baseline, mean coefficient of variation, robust = ICC(A,1)\n"
            ">= threshold) and, when the manifest has Mask2, Mask3, ... columns, /readers/ (the\n"
            "inter-reader ICC per setting). --csv-dir writes one CSV per setting (<name>.csv);\n"
            "--report writes stability.csv, robust_features.csv, reader_icc.csv and PNG heat maps.\n"
            "The baseline is the first setting unless --baseline names another. With a device,\n"
            "the texture matrices of all settings that differ only in binning share its batches.\n");
}

static int parse_double(const char *text, double *value)
{
    char *end;
    *value = strtod(text, &end);
    return *end == '\0' && end != text;
}

static int parse_options(int argc, char **argv, sweep_options *o, radx_sweep_grid *grid)
{
    static const struct option long_options[] = {
        {"params", required_argument, 0, 'p'},   {"cohort", required_argument, 0, 'c'},
        {"grid", required_argument, 0, 'g'},     {"sweep", required_argument, 0, 's'},
        {"out", required_argument, 0, 'o'},      {"csv-dir", required_argument, 0, 'C'},
        {"report", required_argument, 0, 'r'},   {"baseline", required_argument, 0, 'b'},
        {"threshold", required_argument, 0, 't'}, {"jobs", required_argument, 0, 'j'},
        {"device", required_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->threshold = 0.75;
    o->device = "cpu";
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "p:c:g:s:o:C:r:b:t:j:d:h", long_options, NULL)) != -1) {
        switch (c) {
        case 'p': o->params_path = optarg; break;
        case 'c': o->cohort = optarg; break;
        case 's': o->sweep_file = optarg; break;
        case 'o': o->out = optarg; break;
        case 'C': o->csv_dir = optarg; break;
        case 'r': o->report = optarg; break;
        case 'b': o->baseline = optarg; break;
        case 'd': o->device = optarg; break;
        case 'g':
            if (radx_sweep_grid_add(grid, optarg) != RADX_OK) {
                fprintf(stderr, "radx sweep: %s\n", radx_last_error());
                return 2;
            }
            break;
        case 't':
            if (!parse_double(optarg, &o->threshold) || o->threshold < -1 || o->threshold > 1) {
                fprintf(stderr, "radx sweep: --threshold '%s' is not a number from -1 to 1\n", optarg);
                return 2;
            }
            break;
        case 'j':
            o->jobs = atoi(optarg);
            if (o->jobs < 1) {
                fprintf(stderr, "radx sweep: --jobs '%s' is not a positive integer\n", optarg);
                return 2;
            }
            break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "radx sweep: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (!o->cohort || !o->out) {
        fprintf(stderr, "radx sweep: --cohort and --out are required\n");
        usage(stderr);
        return 2;
    }
    radx_device_request request;
    if (radx_device_parse(o->device, &request) != RADX_OK) {
        fprintf(stderr, "radx sweep: %s\n", radx_last_error());
        return 2;
    }
    if (o->sweep_file && radx_sweep_grid_load(grid, o->sweep_file) != RADX_OK) {
        fprintf(stderr, "radx sweep: %s\n", radx_last_error());
        return 2;
    }
    return 0;
}

/* The reader masks of each row: Mask, then Mask2, Mask3, ... while present. */
static int reader_columns(const radx_manifest *m, int *columns, int max)
{
    int n = 0;
    columns[n++] = m->mask_col;
    for (int k = 2; n < max; k++) {
        char name[32];
        snprintf(name, sizeof name, "Mask%d", k);
        int c = radx_csv_column(m->csv, name);
        if (c < 0) break;
        columns[n++] = c;
    }
    return n;
}

typedef struct cohort {
    radx_manifest *manifest;
    radx_sweep_case *cases;
    char **paths;                /* [ncases * nreaders], reader masks 2.. resolved here */
    const char **masks;          /* [ncases * nreaders] */
    int ncases, nreaders;
} cohort;

static void cohort_free(cohort *c)
{
    for (int k = 0; c->paths && k < c->ncases * c->nreaders; k++) free(c->paths[k]);
    free(c->paths);
    free(c->masks);
    free(c->cases);
    radx_manifest_free(c->manifest);
}

static int cohort_load(const char *path, const radx_params *params, cohort *c)
{
    memset(c, 0, sizeof *c);
    if (radx_manifest_read(path, &c->manifest) != RADX_OK) return -1;
    radx_manifest *m = c->manifest;
    int columns[16];
    c->nreaders = reader_columns(m, columns, 16);
    c->ncases = m->csv->nrows;
    size_t cells = (size_t)c->ncases * c->nreaders + 1;
    c->cases = calloc((size_t)c->ncases + 1, sizeof *c->cases);
    c->paths = calloc(cells, sizeof *c->paths);
    c->masks = calloc(cells, sizeof *c->masks);
    if (!c->cases || !c->paths || !c->masks) return -1;
    for (int i = 0; i < c->ncases; i++) {
        radx_sweep_case *k = &c->cases[i];
        k->image = m->image_paths[i];
        k->nmasks = c->nreaders;
        k->masks = &c->masks[(size_t)i * c->nreaders];
        c->masks[(size_t)i * c->nreaders] = m->mask_paths[i];
        for (int r = 1; r < c->nreaders; r++) {
            const char *cell = m->csv->cells[i][columns[r]];
            if (!cell[0]) {
                fprintf(stderr, "radx sweep: %s: row %d: %s is empty (every row needs every reader's "
                        "mask)\n", path, i + 2, m->csv->header[columns[r]]);
                return -2;
            }
            c->paths[(size_t)i * c->nreaders + r] = radx_manifest_resolve(path, cell);
            c->masks[(size_t)i * c->nreaders + r] = c->paths[(size_t)i * c->nreaders + r];
        }
        if (radx_manifest_label(m, i, params->label, &k->label) != RADX_OK ||
            radx_manifest_spacing(m, i, k->spacing) != RADX_OK)
            return -1;
    }
    return 0;
}

static char *read_text(const char *path)
{
    if (!path) return strdup("");
    FILE *f = fopen(path, "rb");
    if (!f) return strdup("");
    char *text = calloc(1, 65537);
    if (text) text[fread(text, 1, 65536, f)] = '\0';
    fclose(f);
    return text;
}

static void on_progress(void *arg, int done)
{
    radx_progress *p = arg;
    radx_progress_add(p, done - p->done);
}

static int find_baseline(const sweep_options *o, const radx_sweep_point *points, int npoints)
{
    if (!o->baseline) return 0;
    for (int p = 0; p < npoints; p++)
        if (strcmp(points[p].name, o->baseline) == 0) return p;
    fprintf(stderr, "radx sweep: --baseline '%s' is not a setting of the grid (e.g. '%s')\n",
            o->baseline, points[0].name);
    return -1;
}

/* Everything after extraction: tables, stability, files. */
static int write_results(const sweep_options *o, const radx_sweep_grid *grid,
                         const radx_sweep_point *points, int npoints, const radx_sweep_cell *cells,
                         const cohort *c, int baseline)
{
    radx_sweep_table *tables = calloc((size_t)npoints, sizeof *tables);
    radx_sweep_stability_table stability;
    radx_sweep_reader_table readers;
    memset(&stability, 0, sizeof stability);
    memset(&readers, 0, sizeof readers);
    char *settings = read_text(o->params_path);
    radx_status st = tables ? RADX_OK : RADX_ERR_NOMEM;
    if (st == RADX_OK) st = radx_sweep_tables_build(points, npoints, cells, c->ncases, c->nreaders, tables);
    if (st == RADX_OK)
        st = radx_sweep_stability_build(tables, npoints, c->ncases, baseline, o->threshold, &stability);
    if (st == RADX_OK)
        st = radx_sweep_readers_build(points, npoints, cells, c->ncases, c->nreaders, &tables[baseline],
                                      &readers);
    if (st == RADX_OK)
        st = radx_sweep_write_h5(o->out, grid, points, npoints, tables, c->ncases, c->manifest->csv,
                                 &stability, &readers, settings);
    if (st == RADX_OK && o->csv_dir)
        st = radx_sweep_write_csv_dir(o->csv_dir, points, npoints, tables, c->ncases, c->manifest->csv);
    if (st == RADX_OK && o->report)
        st = radx_sweep_write_stability_csv(o->report, points, npoints, &stability, &readers);
    if (st == RADX_OK && o->report)
        st = radx_sweep_write_report(o->report, points, npoints, tables, c->ncases, &stability, &readers);
    int robust = 0;
    for (int f = 0; f < stability.nfeatures; f++) robust += stability.robust[f];
    if (st == RADX_OK)
        fprintf(stderr, "radx sweep: %d settings x %d cases x %d reader(s); %d of %d features robust "
                "(ICC(A,1) >= %g across settings); output: %s\n", npoints, c->ncases, c->nreaders,
                robust, stability.nfeatures, o->threshold, o->out);
    else
        fprintf(stderr, "radx sweep: %s\n", radx_last_error());
    radx_sweep_readers_free(&readers);
    radx_sweep_stability_free(&stability);
    if (tables) radx_sweep_tables_free(tables, npoints, c->ncases);
    free(tables);
    free(settings);
    return st == RADX_OK ? 0 : 1;
}

static int failed_cells(const radx_sweep_cell *cells, size_t count)
{
    int failed = 0;
    for (size_t k = 0; k < count; k++) failed += cells[k].status != RADX_OK;
    return failed;
}

/* On the chosen device, falling back to the CPU path (with a warning) when
 * there is none or it fails. */
static radx_status extract_all(const char *device, const radx_sweep_point *points, int npoints,
                               const cohort *c, radx_sweep_cell *cells, radx_progress *progress)
{
    radx_device_request request;
    radx_device_choice choice;
    memset(&choice, 0, sizeof choice);
    if (radx_device_parse(device, &request) != RADX_OK || radx_device_choose(&request, &choice) != RADX_OK) {
        fprintf(stderr, "radx sweep: %s; using the CPU path\n", radx_last_error());
        choice.context = NULL;
    } else if (choice.warning[0]) {
        fprintf(stderr, "radx sweep: warning: %s\n", choice.warning);
    }
    size_t count = (size_t)npoints * c->ncases * c->nreaders;
    if (choice.context) {
        radx_status st = radx_sweep_run_device(choice.context, points, npoints, c->cases, c->ncases,
                                               c->nreaders, cells, on_progress, progress);
        radx_device_choice_release(&choice);
        if (st == RADX_OK) return RADX_OK;
        fprintf(stderr, "radx sweep: warning: the OpenCL device failed (%s); rerunning on the CPU path\n",
                radx_last_error());
        radx_sweep_cells_free(cells, count);
        progress->done = 0;
    }
    return radx_sweep_run(points, npoints, c->cases, c->ncases, c->nreaders, cells, on_progress, progress);
}

static int run(const sweep_options *o, const radx_sweep_grid *grid, const radx_params *params)
{
    radx_sweep_point *points;
    int npoints;
    if (radx_sweep_points(grid, params, &points, &npoints) != RADX_OK) {
        fprintf(stderr, "radx sweep: %s\n", radx_last_error());
        return 2;
    }
    int baseline = find_baseline(o, points, npoints);
    cohort c;
    int loaded = baseline < 0 ? -2 : cohort_load(o->cohort, params, &c);
    if (loaded != 0) {
        if (loaded == -1) fprintf(stderr, "radx sweep: %s\n", radx_last_error());
        if (baseline >= 0) cohort_free(&c);
        free(points);
        return 2;
    }
    size_t count = (size_t)npoints * c.ncases * c.nreaders;
    radx_sweep_cell *cells = calloc(count + 1, sizeof *cells);
    radx_progress progress;
    radx_progress_start(&progress, "cases", c.ncases);
    radx_status st = cells ? extract_all(o->device, points, npoints, &c, cells, &progress) : RADX_ERR_NOMEM;
    radx_progress_finish(&progress);
    int rc = 1;
    if (st == RADX_OK) {
        int failed = failed_cells(cells, count);
        if (failed) fprintf(stderr, "radx sweep: %d of %zu case x setting x reader extractions failed "
                            "(their rows keep the message in diagnostics_status)\n", failed, count);
        rc = write_results(o, grid, points, npoints, cells, &c, baseline);
        radx_sweep_cells_free(cells, count);
    } else {
        fprintf(stderr, "radx sweep: %s\n", radx_last_error());
    }
    free(cells);
    cohort_free(&c);
    free(points);
    return rc;
}

int radx_cmd_sweep(int argc, char **argv)
{
    sweep_options o;
    radx_sweep_grid grid;
    radx_sweep_grid_init(&grid);
    int rc = parse_options(argc, argv, &o, &grid);
    if (rc != 0) {
        radx_sweep_grid_free(&grid);
        return rc < 0 ? 0 : rc;
    }
    radx_params params;
    radx_params_default(&params);
    char warnings[4096] = "";
    if (o.params_path && radx_params_load(o.params_path, &params, warnings, sizeof warnings) != RADX_OK) {
        fprintf(stderr, "radx sweep: %s\n", radx_last_error());
        radx_sweep_grid_free(&grid);
        return 2;
    }
    if (warnings[0]) fprintf(stderr, "radx sweep: warning: %s", warnings);
    if (o.jobs > 0) omp_set_num_threads(o.jobs);
    rc = run(&o, &grid, &params);
    radx_sweep_grid_free(&grid);
    return rc;
}
