/* Synthetic discretised ROIs for the OpenCL tests (test_cl_matrices.c,
 * test_cl_extract.c), generated from a seeded RNG: mixed sizes from 1x1 and
 * 3-voxel ROIs to 512x512 (2D) and 64^3 (3D), masks full / random / sparse /
 * ellipsoidal, grey levels uniform / blocky (large zones) / one level, bin
 * counts 1..256, each ROI cropped to its bounding box (so it touches the
 * box border on every side) as radx_case_prepare gives it. */
#ifndef RADX_TEST_CL_ROIS_H
#define RADX_TEST_CL_ROIS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "radx/features.h"

typedef struct cl_test_roi {
    radx_roi roi;
    uint8_t *mask;
    double *values;
    int *levels;
    int *level_values;
    int *level_rank;
} cl_test_roi;

enum { MASK_FULL, MASK_RANDOM, MASK_SPARSE, MASK_ELLIPSOID };
enum { LEVELS_UNIFORM, LEVELS_BLOCKS, LEVELS_ONE };

/* splitmix64 (Steele, Lea, Flood 2014): small, seedable, same everywhere. */
static uint64_t cl_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform integer in [lo, hi]. */
static int cl_rng_int(uint64_t *state, int lo, int hi)
{
    return lo + (int)(cl_rng_next(state) % (uint64_t)(hi - lo + 1));
}

static void cl_test_roi_free(cl_test_roi *t)
{
    free(t->mask);
    free(t->values);
    free(t->levels);
    free(t->level_values);
    free(t->level_rank);
    memset(t, 0, sizeof *t);
}

static int cl_mask_voxel(int kind, const int size[3], int x, int y, int z, uint64_t *rng)
{
    switch (kind) {
    case MASK_RANDOM: return cl_rng_int(rng, 0, 99) < 70;
    case MASK_SPARSE: return cl_rng_int(rng, 0, 99) < 20;
    case MASK_ELLIPSOID: {
        double d = 0.0, p[3] = {x, y, z};
        for (int a = 0; a < 3; a++) {
            double half = size[a] / 2.0, c = (p[a] + 0.5 - half) / half;
            d += c * c;
        }
        return d <= 1.0;
    }
    default: return 1;
    }
}

/* Level of a voxel: uniform in 1..ng, constant over blocks of `block`
 * voxels per axis (a hashed block index), or ng everywhere. */
static int cl_level_voxel(int kind, int ng, int block, int x, int y, int z, uint64_t *rng)
{
    if (kind == LEVELS_ONE) return ng;
    if (kind == LEVELS_UNIFORM) return cl_rng_int(rng, 1, ng);
    uint64_t h = (uint64_t)(x / block) * 73856093u ^ (uint64_t)(y / block) * 19349663u ^
                 (uint64_t)(z / block) * 83492791u;
    uint64_t s = h ^ 0x5bd1e995u;
    return 1 + (int)(cl_rng_next(&s) % (uint64_t)ng);
}

/* Crop mask/levels (size `full`) to the mask's bounding box into t. */
static void cl_crop(cl_test_roi *t, const int full[3], const uint8_t *mask, const int *levels)
{
    int lo[3] = {full[0], full[1], full[2]}, hi[3] = {-1, -1, -1};
    for (int z = 0; z < full[2]; z++)
        for (int y = 0; y < full[1]; y++)
            for (int x = 0; x < full[0]; x++) {
                if (!mask[x + full[0] * (y + full[1] * z)]) continue;
                int p[3] = {x, y, z};
                for (int a = 0; a < 3; a++) {
                    if (p[a] < lo[a]) lo[a] = p[a];
                    if (p[a] > hi[a]) hi[a] = p[a];
                }
            }
    for (int a = 0; a < 3; a++) t->roi.size[a] = hi[a] - lo[a] + 1;
    size_t n = (size_t)t->roi.size[0] * t->roi.size[1] * t->roi.size[2];
    t->mask = calloc(n, 1);
    t->values = calloc(n, sizeof *t->values);
    t->levels = calloc(n, sizeof *t->levels);
    for (int z = 0; z < t->roi.size[2]; z++)
        for (int y = 0; y < t->roi.size[1]; y++)
            for (int x = 0; x < t->roi.size[0]; x++) {
                size_t src = (size_t)(x + lo[0]) + full[0] * ((size_t)(y + lo[1]) + full[1] * (size_t)(z + lo[2]));
                size_t dst = (size_t)x + t->roi.size[0] * ((size_t)y + t->roi.size[1] * (size_t)z);
                t->mask[dst] = mask[src];
                t->levels[dst] = mask[src] ? levels[src] : 0;
                t->values[dst] = t->levels[dst];
            }
}

/* ng, the distinct levels and their ranks, as radx_roi_set_levels. */
static void cl_finish_levels(cl_test_roi *t)
{
    size_t n = (size_t)t->roi.size[0] * t->roi.size[1] * t->roi.size[2];
    int ng = 0;
    t->roi.nvoxels = 0;
    for (size_t i = 0; i < n; i++)
        if (t->mask[i]) {
            t->roi.nvoxels++;
            if (t->levels[i] > ng) ng = t->levels[i];
        }
    t->level_rank = malloc((size_t)(ng + 1) * sizeof *t->level_rank);
    t->level_values = malloc((size_t)(ng + 1) * sizeof *t->level_values);
    for (int g = 0; g <= ng; g++) t->level_rank[g] = -1;
    for (size_t i = 0; i < n; i++)
        if (t->mask[i]) t->level_rank[t->levels[i]] = 0;
    int nlevels = 0;
    for (int g = 1; g <= ng; g++)
        if (t->level_rank[g] == 0) {
            t->level_rank[g] = nlevels;
            t->level_values[nlevels++] = g;
        }
    t->roi.mask = t->mask;
    t->roi.values = t->values;
    t->roi.levels = t->levels;
    t->roi.ng = ng;
    t->roi.nlevels = nlevels;
    t->roi.level_values = t->level_values;
    t->roi.level_rank = t->level_rank;
}

/* One ROI in a box of `size` (cropped afterwards; at least one voxel). */
static void cl_make_roi(cl_test_roi *t, const int size[3], int ng, int mask_kind, int level_kind,
                        const double spacing[3], uint64_t *rng)
{
    memset(t, 0, sizeof *t);
    size_t n = (size_t)size[0] * size[1] * size[2];
    uint8_t *mask = malloc(n);
    int *levels = malloc(n * sizeof *levels);
    int block = cl_rng_int(rng, 2, 9);
    for (int z = 0; z < size[2]; z++)
        for (int y = 0; y < size[1]; y++)
            for (int x = 0; x < size[0]; x++) {
                size_t i = (size_t)x + size[0] * ((size_t)y + size[1] * (size_t)z);
                mask[i] = (uint8_t)cl_mask_voxel(mask_kind, size, x, y, z, rng);
                levels[i] = cl_level_voxel(level_kind, ng, block, x, y, z, rng);
            }
    mask[(size_t)size[0] / 2 + size[0] * ((size_t)size[1] / 2 + size[1] * ((size_t)size[2] / 2))] = 1;
    cl_crop(t, size, mask, levels);
    free(mask);
    free(levels);
    memcpy(t->roi.spacing, spacing, sizeof t->roi.spacing);
    cl_finish_levels(t);
}

/* A ROI from explicit levels (0 = outside), not cropped. */
static void cl_make_explicit(cl_test_roi *t, const int size[3], const int *levels)
{
    memset(t, 0, sizeof *t);
    size_t n = (size_t)size[0] * size[1] * size[2];
    memcpy(t->roi.size, size, sizeof t->roi.size);
    t->mask = calloc(n, 1);
    t->values = calloc(n, sizeof *t->values);
    t->levels = calloc(n, sizeof *t->levels);
    for (size_t i = 0; i < n; i++) {
        t->mask[i] = levels[i] > 0;
        t->levels[i] = levels[i];
        t->values[i] = levels[i];
    }
    for (int a = 0; a < 3; a++) t->roi.spacing[a] = 1.0;
    cl_finish_levels(t);
}

/* The synthetic set: hand-made edge cases first, then random ROIs.
 * Returns how many were made (capacity `max`). */
static int cl_make_rois(cl_test_roi *rois, int max, uint64_t seed)
{
    static const int bins[] = {1, 2, 3, 4, 5, 8, 13, 16, 25, 32, 50, 64, 100, 128, 200, 255, 256};
    const int nbins = (int)(sizeof bins / sizeof bins[0]);
    uint64_t rng = seed;
    int n = 0;
    const double iso[3] = {1.0, 1.0, 1.0}, aniso[3] = {0.7, 0.8, 2.5};
    /* edge cases: one voxel, three voxels, one grey level, the two largest */
    static const int one[1] = {1}, seven[1] = {7}, line[3] = {2, 2, 5}, lshape[4] = {3, 3, 0, 3};
    static const int diag[8] = {1, 0, 0, 3, 0, 0, 0, 2};
    cl_make_explicit(&rois[n++], (const int[3]){1, 1, 1}, one);
    cl_make_explicit(&rois[n++], (const int[3]){1, 1, 1}, seven);
    cl_make_explicit(&rois[n++], (const int[3]){3, 1, 1}, line);
    cl_make_explicit(&rois[n++], (const int[3]){1, 3, 1}, line);
    cl_make_explicit(&rois[n++], (const int[3]){1, 1, 3}, line);
    cl_make_explicit(&rois[n++], (const int[3]){2, 2, 1}, lshape);
    cl_make_explicit(&rois[n++], (const int[3]){2, 2, 2}, diag);
    cl_make_roi(&rois[n++], (const int[3]){512, 512, 1}, 256, MASK_ELLIPSOID, LEVELS_BLOCKS, iso, &rng);
    cl_make_roi(&rois[n++], (const int[3]){64, 64, 64}, 32, MASK_ELLIPSOID, LEVELS_BLOCKS, aniso, &rng);
    cl_make_roi(&rois[n++], (const int[3]){64, 64, 64}, 4, MASK_FULL, LEVELS_UNIFORM, iso, &rng);
    cl_make_roi(&rois[n++], (const int[3]){40, 30, 1}, 1, MASK_RANDOM, LEVELS_ONE, iso, &rng);
    cl_make_roi(&rois[n++], (const int[3]){12, 9, 7}, 5, MASK_FULL, LEVELS_ONE, aniso, &rng);
    cl_make_roi(&rois[n++], (const int[3]){20, 20, 1}, 256, MASK_FULL, LEVELS_UNIFORM, iso, &rng);
    while (n < max) {
        int size[3];
        int kind = cl_rng_int(&rng, 0, 9);
        if (kind < 5) { /* 2D */
            int big = cl_rng_int(&rng, 0, 9) == 0;
            size[0] = cl_rng_int(&rng, 1, big ? 128 : 40);
            size[1] = cl_rng_int(&rng, 1, big ? 128 : 40);
            size[2] = 1;
        } else if (kind < 9) { /* 3D */
            for (int a = 0; a < 3; a++) size[a] = cl_rng_int(&rng, 1, 18);
        } else { /* thin 3D slab */
            size[0] = cl_rng_int(&rng, 4, 30);
            size[1] = cl_rng_int(&rng, 4, 30);
            size[2] = 2;
        }
        int ng = bins[cl_rng_int(&rng, 0, nbins - 1)];
        int mask_kind = cl_rng_int(&rng, 0, 3);
        int level_kind = cl_rng_int(&rng, 0, 9) == 0 ? LEVELS_ONE : cl_rng_int(&rng, 0, 1);
        cl_make_roi(&rois[n++], size, ng, mask_kind, level_kind, cl_rng_int(&rng, 0, 1) ? iso : aniso,
                    &rng);
    }
    return n;
}

#endif
