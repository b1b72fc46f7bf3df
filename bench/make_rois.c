/* radx-make-rois: a seeded synthetic cohort of 2D (or 3D) ROIs written as
 * NIfTI image/mask pairs plus a manifest, for throughput runs and tests.
 *
 *   radx-make-rois --out DIR --count N [--min 5] [--max 60] [--depth 1] [--seed 1]
 *
 * Each image is the ROI's box plus a 4-voxel margin: smooth random blobs
 * (intensities roughly 0..1000) with Gaussian noise, spacing 1 mm; the mask
 * is a random ellipse (at least 3 voxels) inside the box. */
#include "radx/radx.h"

#include <getopt.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct options {
    const char *out;
    int count, min_side, max_side, depth;
    unsigned long seed;
} options;

static void fill_texture(radx_image *image, gsl_rng *rng)
{
    int blobs = 3 + (int)gsl_rng_uniform_int(rng, 6);
    double cx[9], cy[9], cz[9], amp[9], width[9];
    for (int b = 0; b < blobs; b++) {
        cx[b] = gsl_rng_uniform(rng) * image->size[0];
        cy[b] = gsl_rng_uniform(rng) * image->size[1];
        cz[b] = gsl_rng_uniform(rng) * image->size[2];
        amp[b] = 200.0 + 600.0 * gsl_rng_uniform(rng);
        width[b] = 2.0 + 0.3 * image->size[0] * gsl_rng_uniform(rng);
    }
    for (int z = 0; z < image->size[2]; z++)
        for (int y = 0; y < image->size[1]; y++)
            for (int x = 0; x < image->size[0]; x++) {
                double v = 100.0 + gsl_ran_gaussian(rng, 40.0);
                for (int b = 0; b < blobs; b++) {
                    double d2 = (x - cx[b]) * (x - cx[b]) + (y - cy[b]) * (y - cy[b]) + (z - cz[b]) * (z - cz[b]);
                    v += amp[b] * exp(-d2 / (2 * width[b] * width[b]));
                }
                image->data[x + image->size[0] * (y + (size_t)image->size[1] * z)] = round(v);
            }
}

static int fill_mask(radx_image *mask, int margin, gsl_rng *rng)
{
    double c[3], r[3];
    for (int d = 0; d < 3; d++) {
        int inner = mask->size[d] - 2 * (mask->size[d] > 1 ? margin : 0);
        c[d] = (mask->size[d] - 1) / 2.0;
        r[d] = inner > 1 ? (inner / 2.0) * (0.7 + 0.3 * gsl_rng_uniform(rng)) : 0.5;
    }
    int count = 0;
    for (int z = 0; z < mask->size[2]; z++)
        for (int y = 0; y < mask->size[1]; y++)
            for (int x = 0; x < mask->size[0]; x++) {
                double q = pow((x - c[0]) / r[0], 2) + pow((y - c[1]) / r[1], 2) + pow((z - c[2]) / r[2], 2);
                int inside = q <= 1.0;
                mask->data[x + mask->size[0] * (y + (size_t)mask->size[1] * z)] = inside;
                count += inside;
            }
    return count;
}

static int make_case(const options *o, int index, gsl_rng *rng, FILE *manifest)
{
    int margin = 4, size[3];
    for (int d = 0; d < 2; d++)
        size[d] = o->min_side + (int)gsl_rng_uniform_int(rng, (unsigned long)(o->max_side - o->min_side + 1)) + 2 * margin;
    size[2] = o->depth > 1 ? o->depth + 2 * margin : 1;
    radx_image *image, *mask;
    if (radx_image_alloc(size, &image) != RADX_OK || radx_image_alloc(size, &mask) != RADX_OK) return -1;
    fill_texture(image, rng);
    int voxels = fill_mask(mask, margin, rng);
    char image_name[64], mask_name[64], path[1024];
    snprintf(image_name, sizeof image_name, "roi%05d_image.nii.gz", index);
    snprintf(mask_name, sizeof mask_name, "roi%05d_mask.nii.gz", index);
    snprintf(path, sizeof path, "%s/%s", o->out, image_name);
    int rc = radx_image_write_nifti(path, image, 0) == RADX_OK ? 0 : -1;
    snprintf(path, sizeof path, "%s/%s", o->out, mask_name);
    if (rc == 0) rc = radx_image_write_nifti(path, mask, 1) == RADX_OK ? 0 : -1;
    if (rc == 0) fprintf(manifest, "roi%05d,%d,%s,%s\n", index, voxels, image_name, mask_name);
    else fprintf(stderr, "radx-make-rois: %s\n", radx_last_error());
    radx_image_free(image);
    radx_image_free(mask);
    return rc;
}

int main(int argc, char **argv)
{
    options o = {NULL, 0, 5, 60, 1, 1};
    static const struct option long_options[] = {
        {"out", required_argument, 0, 'o'}, {"count", required_argument, 0, 'n'},
        {"min", required_argument, 0, 'a'}, {"max", required_argument, 0, 'b'},
        {"depth", required_argument, 0, 'd'}, {"seed", required_argument, 0, 's'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "o:n:a:b:d:s:", long_options, NULL)) != -1) {
        switch (c) {
        case 'o': o.out = optarg; break;
        case 'n': o.count = atoi(optarg); break;
        case 'a': o.min_side = atoi(optarg); break;
        case 'b': o.max_side = atoi(optarg); break;
        case 'd': o.depth = atoi(optarg); break;
        case 's': o.seed = strtoul(optarg, NULL, 10); break;
        default: return 2;
        }
    }
    if (!o.out || o.count < 1 || o.min_side < 2 || o.max_side < o.min_side || o.depth < 1) {
        fprintf(stderr, "usage: radx-make-rois --out DIR --count N [--min 5] [--max 60] [--depth 1] [--seed 1]\n");
        return 2;
    }
    mkdir(o.out, 0755);
    char path[1024];
    snprintf(path, sizeof path, "%s/manifest.csv", o.out);
    FILE *manifest = fopen(path, "w");
    if (!manifest) {
        perror(path);
        return 1;
    }
    fprintf(manifest, "case_id,roi_voxels,Image,Mask\n");
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, o.seed);
    int rc = 0;
    for (int i = 0; i < o.count && rc == 0; i++) rc = make_case(&o, i, rng, manifest);
    gsl_rng_free(rng);
    fclose(manifest);
    if (rc == 0) printf("radx-make-rois: %d cases and %s written\n", o.count, path);
    return rc ? 1 : 0;
}
