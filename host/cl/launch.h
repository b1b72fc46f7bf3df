/* One kernel launch over some ROIs of a batch: the job table (one job per
 * ROI, kernels/common.h radx_cl_job) and the neighbour offsets the jobs
 * use, identical offset lists stored once. */
#ifndef RADX_CL_LAUNCH_H
#define RADX_CL_LAUNCH_H

#include <stdint.h>

#include "cl/batch.h"
#include "features/angles.h"

typedef struct radx_cl_launch {
    radx_cl_job *jobs;
    int njobs, jobs_capacity;
    cl_int4 *angles;                 /* offset lists, concatenated */
    int nangles, angles_capacity;
    int64_t work;                    /* work-items: the jobs' box voxels */
    int64_t cells;                   /* output cells of the jobs */
    cl_mem jobs_buffer, angles_buffer;
} radx_cl_launch;

void radx_cl_launch_init(radx_cl_launch *launch);

/* Forget the jobs (keep the memory) and release the device tables. */
void radx_cl_launch_reset(radx_cl_launch *launch);

void radx_cl_launch_free(radx_cl_launch *launch);

/* Whether a ROI with `work` voxels and `cells` output cells still fits in
 * this launch under the budgets. */
int radx_cl_launch_fits(const radx_cl_launch *launch, int64_t work, int64_t cells,
                        int64_t work_budget, int64_t cell_budget);

/* Append ROI `roi` of the batch: its work starts after the previous jobs'
 * and its output after their cells. `extra` goes to job.reserved[0]
 * (family-specific: symmetric GLCM flag, GLDM threshold). */
radx_status radx_cl_launch_add(radx_cl_launch *launch, const radx_cl_batch *batch, int roi,
                               const radx_angle *angles, int nangles, int width, int64_t cells,
                               int extra);

/* Copy the job and offset tables to the device (jobs_buffer, angles_buffer). */
radx_status radx_cl_launch_upload(radx_cl_context *ctx, radx_cl_launch *launch);

/* Device reductions (kernels/<family>_features.cl): the grey-level values
 * of the launch's jobs (radx_roi.level_values, the value of each matrix
 * row), concatenated into `values`, and the start of each job's in
 * `starts` [njobs]. Release both with radx_cl_release. */
radx_status radx_cl_launch_level_values(radx_cl_context *ctx, const radx_cl_launch *launch,
                                        const radx_cl_batch *batch, cl_mem *values, cl_mem *starts);

/* Device reductions: read `count` doubles of a features buffer. */
radx_status radx_cl_read_features(radx_cl_context *ctx, cl_mem buffer, size_t count, double **out);

/* How a family fills and runs its launches (radx_cl_launch_groups). */
typedef struct radx_cl_family_ops {
    /* Append ROI `roi` (a candidate) to the launch. */
    radx_status (*add)(void *state, radx_cl_launch *launch, int roi);
    /* Run the launch and hand its output to the ROIs' sets. */
    radx_status (*run)(void *state, radx_cl_launch *launch);
} radx_cl_family_ops;

/* Split the candidate ROIs of a batch (candidate[i] != 0), in batch order,
 * into launches of at most the device's batch voxels and `cell_budget`
 * output cells (cells[i] per ROI; a candidate must fit alone), and run
 * each. */
radx_status radx_cl_launch_groups(radx_cl_context *ctx, const radx_cl_batch *batch,
                                  const uint8_t *candidate, const int64_t *cells,
                                  int64_t cell_budget, const radx_cl_family_ops *ops, void *state);

/* Offsets `angles` (capacity RADX_MAX_ANGLES) of a ROI as the CPU builders
 * generate them (radx_angles_generate); returns their count, or < 0. */
int radx_cl_angles(const radx_roi *roi, const int *distances, int ndistances, int force2d,
                   int force2d_axis, int bidirectional, radx_angle *angles);

#endif
