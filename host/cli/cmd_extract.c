/* radx extract: one image/mask pair or a cohort manifest to a CSV table. */
#include "cli/commands.h"
#include "cli/progress.h"
#include "io/manifest.h"
#include "io/table_h5.h"
#include "tiles/tilestore.h"
#include "radx/cl.h"
#include "radx/radx.h"

#include <getopt.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct extract_options {
    const char *params_path, *image, *mask, *cohort, *tiles, *out, *device;
    int jobs, label, allow_failures, frame;
} extract_options;

/* One row of work: its inputs and what came out. */
typedef struct case_job {
    const char *image, *mask;
    int label;
    double spacing[3];   /* manifest Spacing, 0 = from the file */
    int frame;           /* manifest Frame / --frame: DICOM frame from 1, 0 = the first */
    radx_status status;
    char message[1024];
    radx_case_result result;
} case_job;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: radx extract [--params P.yaml] --image IMG --mask MSK [--label N] [--frame N]\n"
            "                    [--out FILE.csv]\n"
            "       radx extract [--params P.yaml] --cohort MANIFEST.csv --out FILE.csv|FILE.h5 [--jobs N]\n"
            "       radx extract --tiles TILES.h5 --out FILE.csv|FILE.h5   (a store made by radx pack)\n"
            "                    [--device cpu|auto|opencl[:P:D]] [--allow-failures]\n\n"
            "PyRadiomics parameter files (setting:, imageType:, featureClass:) are read; without\n"
            "--params, PyRadiomics' defaults apply. The manifest needs columns Image and Mask (paths\n"
            "relative to the manifest's folder or absolute), optionally Label, Spacing (mm,\n"
            "e.g. 0.08x0.08, for PNG images, which carry none) and Frame (of a multi-frame DICOM,\n"
            "from 1; --frame for one image); images may be NIfTI, NRRD, PNG or DICOM\n"
            "(docs/DICOM.md); all its columns are\n"
            "copied first to the output, then diagnostics_* columns, then the features.\n"
            "--device: cpu (default) is the plain-C path; opencl[:P:D] builds the texture matrices\n"
            "on an OpenCL device (radx devices lists them); auto takes the best device and falls\n"
            "back to the CPU path with one warning. On a CPU device both give the same numbers bit for\n"
            "bit; on a GPU the features are reduced on the device, within 1e-9 relative of the CPU\n"
            "path (RADX_CL_REDUCE=host: bit for bit, docs/ARCHITECTURE.md).\n"
            "An --out name ending in .h5 writes an HDF5 feature table (docs/FEATURE_TABLE_H5.md).\n"
            "Exit status: 0 when every case succeeded (or --allow-failures), 1 when a case failed,\n"
            "2 for a usage or parameter error.\n");
}

static int parse_options(int argc, char **argv, extract_options *o)
{
    static const struct option long_options[] = {
        {"params", required_argument, 0, 'p'}, {"image", required_argument, 0, 'i'},
        {"mask", required_argument, 0, 'm'},   {"cohort", required_argument, 0, 'c'},
        {"tiles", required_argument, 0, 't'},
        {"out", required_argument, 0, 'o'},    {"jobs", required_argument, 0, 'j'},
        {"device", required_argument, 0, 'd'}, {"label", required_argument, 0, 'l'},
        {"allow-failures", no_argument, 0, 'a'}, {"help", no_argument, 0, 'h'},
        {"frame", required_argument, 0, 'f'},
        {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->device = "cpu";
    o->label = -1;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "p:i:m:c:t:o:j:d:l:f:ah", long_options, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'p': o->params_path = optarg; break;
        case 'i': o->image = optarg; break;
        case 'm': o->mask = optarg; break;
        case 'c': o->cohort = optarg; break;
        case 't': o->tiles = optarg; break;
        case 'o': o->out = optarg; break;
        case 'd': o->device = optarg; break;
        case 'a': o->allow_failures = 1; break;
        case 'j':
            o->jobs = (int)strtol(optarg, &end, 10);
            if (*end || o->jobs < 1) {
                fprintf(stderr, "radx extract: --jobs '%s' is not a positive integer\n", optarg);
                return 2;
            }
            break;
        case 'f':
            o->frame = (int)strtol(optarg, &end, 10);
            if (*end || o->frame < 1) {
                fprintf(stderr, "radx extract: --frame '%s' is not a positive integer\n", optarg);
                return 2;
            }
            break;
        case 'l':
            o->label = (int)strtol(optarg, &end, 10);
            if (*end) {
                fprintf(stderr, "radx extract: --label '%s' is not an integer\n", optarg);
                return 2;
            }
            break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return 2;
        }
    }
    if (o->tiles && o->params_path) {
        fprintf(stderr, "radx extract: --tiles: the settings are those the store was packed with; "
                        "drop --params\n");
        return 2;
    }
    if (optind < argc) {
        fprintf(stderr, "radx extract: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    int single = o->image || o->mask;
    if (single + !!o->cohort + !!o->tiles != 1 || (single && !(o->image && o->mask))) {
        fprintf(stderr, "radx extract: give either --image and --mask, --cohort, or --tiles\n");
        usage(stderr);
        return 2;
    }
    radx_device_request request;
    if (radx_device_parse(o->device, &request) != RADX_OK) {
        fprintf(stderr, "radx extract: %s\n", radx_last_error());
        return 2;
    }
    return 0;
}

static void run_jobs(case_job *jobs, int n, const radx_params *params)
{
    radx_progress progress;
    radx_progress_start(&progress, "cases", n);
#pragma omp parallel for schedule(dynamic, 1)
    for (int i = 0; i < n; i++) {
        case_job *job = &jobs[i];
        radx_params case_params = *params;
        case_params.label = job->label;
        memcpy(case_params.image_spacing, job->spacing, sizeof case_params.image_spacing);
        case_params.image_frame = job->frame;
        job->status = radx_case_result_init(&job->result);
        if (job->status == RADX_OK)
            job->status = radx_extract_files(job->image, job->mask, &case_params, &job->result);
        if (job->status != RADX_OK)
            snprintf(job->message, sizeof job->message, "%s", radx_last_error());
#pragma omp critical(radx_progress)
        radx_progress_add(&progress, 1);
    }
    radx_progress_finish(&progress);
}

static void device_progress(void *arg, int done)
{
    radx_progress *progress = arg;
    radx_progress_add(progress, done - progress->done);
}

/* The texture classes on an OpenCL device; RADX_ERR_DEVICE when the device
 * failed (the caller then reruns the cases on the CPU path). */
static radx_status run_jobs_on_device(case_job *jobs, int n, const radx_params *params,
                                      radx_cl_context *context)
{
    radx_cl_file_case *cases = calloc((size_t)n + 1, sizeof *cases);
    if (!cases) return RADX_ERR_NOMEM;
    radx_status status = RADX_OK;
    for (int i = 0; i < n && status == RADX_OK; i++) {
        status = radx_case_result_init(&jobs[i].result);
        cases[i] = (radx_cl_file_case){.image = jobs[i].image, .mask = jobs[i].mask,
                                       .label = jobs[i].label,
                                       .spacing = {jobs[i].spacing[0], jobs[i].spacing[1], jobs[i].spacing[2]},
                                       .frame = jobs[i].frame, .result = &jobs[i].result,
                                       .status = RADX_OK};
    }
    radx_progress progress;
    radx_progress_start(&progress, "cases", n);
    if (status == RADX_OK)
        status = radx_cl_extract_files(context, params, cases, n, device_progress, &progress);
    radx_progress_finish(&progress);
    for (int i = 0; i < n; i++) {
        jobs[i].status = cases[i].status;
        snprintf(jobs[i].message, sizeof jobs[i].message, "%s", cases[i].message);
        if (status != RADX_OK) radx_case_result_free(&jobs[i].result);
    }
    free(cases);
    return status;
}

/* Run every job on the chosen device, falling back to the CPU path when the
 * device fails mid-run. */
static void run_all(case_job *jobs, int n, const radx_params *params, const char *device)
{
    radx_device_request request;
    radx_device_choice choice;
    memset(&choice, 0, sizeof choice);
    if (radx_device_parse(device, &request) != RADX_OK || radx_device_choose(&request, &choice) != RADX_OK) {
        fprintf(stderr, "radx extract: %s; using the CPU path\n", radx_last_error());
        choice.context = NULL;
    } else if (choice.warning[0]) {
        fprintf(stderr, "radx extract: warning: %s\n", choice.warning);
    }
    if (choice.context && run_jobs_on_device(jobs, n, params, choice.context) != RADX_OK) {
        fprintf(stderr, "radx extract: warning: the OpenCL device failed (%s); rerunning on the CPU path\n",
                radx_last_error());
        radx_device_choice_release(&choice);
    }
    if (!choice.context) run_jobs(jobs, n, params);
    radx_device_choice_release(&choice);
}

enum { NDIAG = 7 };

static const char *const diagnostic_columns[NDIAG] = {
    "diagnostics_status", "diagnostics_warnings", "diagnostics_roi_voxels",
    "diagnostics_gray_levels", "diagnostics_roi_size", "diagnostics_spacing",
    "diagnostics_spacing_source"};

/* What gets written, whatever the format: feature names, an nrows x ncols
 * matrix (NaN where not computed) and the diagnostics as text. */
typedef struct output_table {
    int nrows, ncols;
    char **names;
    double *values;
    char ***diag;   /* [nrows][NDIAG] */
} output_table;

static void table_free(output_table *t)
{
    for (int c = 0; c < t->ncols; c++) free(t->names[c]);
    for (int r = 0; t->diag && r < t->nrows; r++) {
        for (int d = 0; t->diag[r] && d < NDIAG; d++) free(t->diag[r][d]);
        free(t->diag[r]);
    }
    free(t->names);
    free(t->values);
    free(t->diag);
}

/* The diagnostics of one case as strings ("" where a failed case has none). */
static char **diagnostics_cells(const case_job *job)
{
    char **cells = calloc(NDIAG, sizeof *cells);
    if (!cells) return NULL;
    char text[NDIAG][160] = {{0}};
    const radx_case_result *r = &job->result;
    snprintf(text[0], sizeof text[0], "%s", job->status == RADX_OK ? "ok" : "");
    if (job->status == RADX_OK) {
        snprintf(text[2], sizeof text[2], "%lld", (long long)r->roi_voxels);
        snprintf(text[3], sizeof text[3], "%d", r->gray_levels);
        snprintf(text[4], sizeof text[4], "%dx%dx%d", r->bbox_size[0], r->bbox_size[1], r->bbox_size[2]);
        snprintf(text[5], sizeof text[5], "%.17gx%.17gx%.17g", r->spacing[0], r->spacing[1], r->spacing[2]);
        snprintf(text[6], sizeof text[6], "%s%s", r->spacing_source, r->spacing_flagged ? " (flagged)" : "");
    }
    for (int d = 0; d < NDIAG; d++) {
        const char *value = text[d];
        if (d == 0 && job->status != RADX_OK) value = job->message;
        if (d == 1) value = r->warnings;
        cells[d] = strdup(value);
    }
    return cells;
}

/* Column names move from `cols` to the table (which frees them). */
static int table_build(const case_job *jobs, int n, const radx_params *params, output_table *t)
{
    memset(t, 0, sizeof *t);
    t->nrows = n;
    radx_columns cols;
    radx_case_result *results = malloc(((size_t)n + 1) * sizeof *results);
    t->diag = calloc((size_t)n + 1, sizeof *t->diag);
    int ok = results && t->diag;
    for (int i = 0; ok && i < n; i++) results[i] = jobs[i].result;
    ok = ok && radx_columns_build(params, results, n, &cols) == RADX_OK;
    free(results);
    if (!ok) {
        table_free(t);
        return -1;
    }
    t->ncols = cols.count;
    t->names = cols.names;
    cols.names = NULL;
    cols.count = 0;
    t->values = malloc(((size_t)n * t->ncols + 1) * sizeof *t->values);
    ok = t->values != NULL;
    for (int i = 0; ok && i < n; i++) {
        int computed = jobs[i].status == RADX_OK && jobs[i].result.values;
        for (int c = 0; c < t->ncols; c++)
            t->values[(size_t)i * t->ncols + c] =
                computed ? radx_columns_value(&cols, c, &jobs[i].result) : NAN;
        t->diag[i] = diagnostics_cells(&jobs[i]);
        ok = t->diag[i] != NULL;
    }
    radx_columns_free(&cols);
    if (!ok) table_free(t);
    return ok ? 0 : -1;
}

/* carried: header names and per-row cells of the columns copied first. */
static void write_csv(FILE *f, const case_job *jobs, const output_table *t, int ncarried,
                      char **carried_header, char ***carried_cells)
{
    for (int c = 0; c < ncarried; c++) {
        radx_csv_write_field(f, carried_header[c]);
        fputc(',', f);
    }
    for (int d = 0; d < NDIAG; d++) fprintf(f, "%s%s", d ? "," : "", diagnostic_columns[d]);
    for (int c = 0; c < t->ncols; c++) fprintf(f, ",%s", t->names[c]);
    fputc('\n', f);
    for (int i = 0; i < t->nrows; i++) {
        for (int c = 0; c < ncarried; c++) {
            radx_csv_write_field(f, carried_cells[i][c]);
            fputc(',', f);
        }
        for (int d = 0; d < NDIAG; d++) {
            if (d) fputc(',', f);
            radx_csv_write_field(f, t->diag[i][d]);
        }
        for (int c = 0; c < t->ncols; c++) {
            fputc(',', f);
            if (jobs[i].status == RADX_OK) radx_csv_write_number(f, t->values[(size_t)i * t->ncols + c]);
        }
        fputc('\n', f);
    }
}

static int report(const case_job *jobs, int n, double seconds, const char *out, int allow_failures)
{
    int failed = 0;
    for (int i = 0; i < n; i++)
        if (jobs[i].status != RADX_OK) {
            fprintf(stderr, "radx extract: case %d (%s): %s\n", i + 1, jobs[i].image, jobs[i].message);
            failed++;
        }
    fprintf(stderr, "radx extract: %d/%d cases ok, %d failed, %.2f s (%.1f cases/s)%s%s\n", n - failed,
            n, failed, seconds, seconds > 0 ? n / seconds : 0.0, out ? "; output: " : "", out ? out : "");
    return failed && !allow_failures ? 1 : 0;
}

static int ends_with(const char *text, const char *suffix)
{
    size_t lt = strlen(text), ls = strlen(suffix);
    return lt >= ls && strcmp(text + lt - ls, suffix) == 0;
}

/* The parameter file's text, stored with an HDF5 table ("" for defaults). */
static char *settings_text(const char *params_path)
{
    if (!params_path) return strdup("");
    FILE *f = fopen(params_path, "rb");
    if (!f) return strdup("");
    char *text = calloc(1, 65537);
    if (text) text[fread(text, 1, 65536, f)] = '\0';
    fclose(f);
    return text;
}

static int write_output(const case_job *jobs, const output_table *t, const extract_options *o,
                        int ncarried, char **header, char ***cells)
{
    if (o->out && (ends_with(o->out, ".h5") || ends_with(o->out, ".hdf5"))) {
        char *settings = settings_text(o->params_path);
        radx_status status = radx_table_h5_write(o->out, t->nrows, ncarried, header, cells, NDIAG,
                                                 diagnostic_columns, t->diag, t->ncols, t->names,
                                                 t->values, settings, NULL);
        free(settings);
        if (status != RADX_OK) fprintf(stderr, "radx extract: %s\n", radx_last_error());
        return status == RADX_OK ? 0 : -1;
    }
    FILE *f = o->out ? fopen(o->out, "w") : stdout;
    if (!f) {
        perror(o->out);
        return -1;
    }
    write_csv(f, jobs, t, ncarried, header, cells);
    if ((o->out ? fclose(f) : fflush(f)) != 0) {
        fprintf(stderr, "radx extract: cannot write %s\n", o->out ? o->out : "stdout");
        return -1;
    }
    return 0;
}

static int finish(case_job *jobs, int n, const radx_params *params, const extract_options *o,
                  int ncarried, char **header, char ***cells, double start)
{
    output_table table;
    if (table_build(jobs, n, params, &table) != 0) {
        fprintf(stderr, "radx extract: out of memory for the output table\n");
        return 2;
    }
    int rc = write_output(jobs, &table, o, ncarried, header, cells);
    table_free(&table);
    if (rc != 0) return 2;
    return report(jobs, n, radx_now() - start, o->out, o->allow_failures);
}

static int run_single(const extract_options *o, const radx_params *params, double start)
{
    case_job job = {.image = o->image, .mask = o->mask,
                    .label = o->label >= 0 ? o->label : params->label, .frame = o->frame};
    run_all(&job, 1, params, o->device);
    char *header[] = {"Image", "Mask"};
    char *row[] = {(char *)o->image, (char *)o->mask};
    char **cells[] = {row};
    int rc = finish(&job, 1, params, o, 2, header, cells, start);
    radx_case_result_free(&job.result);
    return rc;
}

static int run_cohort(const extract_options *o, const radx_params *params, double start)
{
    radx_manifest *m;
    if (radx_manifest_read(o->cohort, &m) != RADX_OK) {
        fprintf(stderr, "radx extract: %s\n", radx_last_error());
        return 2;
    }
    int n = m->csv->nrows;
    case_job *jobs = calloc((size_t)n + 1, sizeof *jobs);
    if (!jobs) { radx_manifest_free(m); return 2; }
    for (int i = 0; i < n; i++) {
        jobs[i].image = m->image_paths[i];
        jobs[i].mask = m->mask_paths[i];
        if (radx_manifest_label(m, i, params->label, &jobs[i].label) != RADX_OK ||
            radx_manifest_spacing(m, i, jobs[i].spacing) != RADX_OK ||
            radx_manifest_frame(m, i, &jobs[i].frame) != RADX_OK) {
            fprintf(stderr, "radx extract: %s\n", radx_last_error());
            free(jobs);
            radx_manifest_free(m);
            return 2;
        }
    }
    run_all(jobs, n, params, o->device);
    int rc = finish(jobs, n, params, o, m->csv->ncols, m->csv->header, m->csv->cells, start);
    for (int i = 0; i < n; i++) radx_case_result_free(&jobs[i].result);
    free(jobs);
    radx_manifest_free(m);
    return rc;
}

/* Extract from a tile store (radx pack): the store's settings, manifest
 * columns and per-case preparation errors. */
static int run_tiles(const extract_options *o, double start)
{
    radx_tiles *store;
    radx_params params;
    if (radx_tiles_open(o->tiles, &store) != RADX_OK || radx_tiles_params(store, &params) != RADX_OK) {
        fprintf(stderr, "radx extract: %s\n", radx_last_error());
        return 2;
    }
    int n = store->ncases;
    case_job *jobs = calloc((size_t)n + 1, sizeof *jobs);
    radx_tiles_case *cases = calloc((size_t)n + 1, sizeof *cases);
    char ***rows = calloc((size_t)n + 1, sizeof *rows);
    int rc = jobs && cases && rows ? 0 : 2;
    for (int i = 0; rc == 0 && i < n; i++) {
        jobs[i].image = store->image[i];
        jobs[i].mask = store->mask[i];
        rows[i] = store->cells + (size_t)i * store->ncols;
        if (radx_case_result_init(&jobs[i].result) != RADX_OK) rc = 2;
        cases[i].result = &jobs[i].result;
    }
    radx_device_request request;
    radx_device_choice choice;
    memset(&choice, 0, sizeof choice);
    if (rc == 0 && (radx_device_parse(o->device, &request) != RADX_OK ||
                    radx_device_choose(&request, &choice) != RADX_OK)) {
        fprintf(stderr, "radx extract: %s; using the CPU path\n", radx_last_error());
        choice.context = NULL;
    } else if (choice.warning[0]) {
        fprintf(stderr, "radx extract: warning: %s\n", choice.warning);
    }
    radx_progress progress;
    radx_progress_start(&progress, "cases", n);
    if (rc == 0 && radx_tiles_extract(store, &params, choice.context, cases, device_progress, &progress) != RADX_OK) {
        fprintf(stderr, "radx extract: %s\n", radx_last_error());
        rc = 2;
    }
    radx_progress_finish(&progress);
    radx_device_choice_release(&choice);
    for (int i = 0; rc == 0 && i < n; i++) {
        jobs[i].status = cases[i].status;
        snprintf(jobs[i].message, sizeof jobs[i].message, "%s", cases[i].message);
    }
    if (rc == 0) rc = finish(jobs, n, &params, o, store->ncols, store->header, rows, start);
    for (int i = 0; jobs && i < n; i++) radx_case_result_free(&jobs[i].result);
    free(jobs);
    free(cases);
    free(rows);
    radx_tiles_close(store);
    return rc;
}

int radx_cmd_extract(int argc, char **argv)
{
    extract_options o;
    int rc = parse_options(argc, argv, &o);
    if (rc != 0) return rc < 0 ? 0 : rc;
    double start = radx_now();
    radx_params params;
    radx_params_default(&params);
    if (o.params_path) {
        char warnings[2048] = "";
        if (radx_params_load(o.params_path, &params, warnings, sizeof warnings) != RADX_OK) {
            fprintf(stderr, "radx extract: %s\n", radx_last_error());
            return 2;
        }
        if (warnings[0]) fprintf(stderr, "radx extract: warning: %s\n", warnings);
    }
    if (o.jobs > 0) omp_set_num_threads(o.jobs);
    if (o.tiles) return run_tiles(&o, start);
    return o.cohort ? run_cohort(&o, &params, start) : run_single(&o, &params, start);
}
