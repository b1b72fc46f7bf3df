/* radx pack: preprocess every case of a cohort once into an HDF5 tile store
 * (docs/TILESTORE.md) that `radx extract --tiles` reads. */
#include "cli/commands.h"
#include "cli/progress.h"
#include "radx/radx.h"
#include "tiles/tilestore.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: radx pack [--params P.yaml] --cohort MANIFEST.csv --out TILES.h5 [--allow-failures]\n\n"
               "Reads, preprocesses and discretises every case of the manifest once (in parallel) and\n"
               "writes its ROI tiles, cropped to the mask's bounding box (grey levels, mask, intensities):\n"
               "one for the original image and one per derived image of every imageType of the settings\n"
               "(LoG, Wavelet, Square, ..., each discretised with its own bin settings). Per-tile\n"
               "metadata, the manifest, each case's warnings and the settings go into the same HDF5\n"
               "file (format version 2, docs/TILESTORE.md), which `radx extract --tiles` reads.\n"
               "A case that fails is recorded with its message. Exit status: 0 when every case was\n"
               "packed (or --allow-failures), 1 when a case failed, 2 for a usage or input error.\n");
}

int radx_cmd_pack(int argc, char **argv)
{
    static const struct option options[] = {
        {"params", required_argument, 0, 'p'}, {"cohort", required_argument, 0, 'c'},
        {"out", required_argument, 0, 'o'},    {"allow-failures", no_argument, 0, 'a'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    const char *params = NULL, *cohort = NULL, *out = NULL;
    int allow_failures = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:c:o:ah", options, NULL)) != -1) {
        switch (c) {
        case 'p': params = optarg; break;
        case 'c': cohort = optarg; break;
        case 'o': out = optarg; break;
        case 'a': allow_failures = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc || !cohort || !out) {
        usage(stderr);
        return 2;
    }
    double start = radx_now();
    int failed = 0;
    if (radx_tiles_pack(cohort, params, out, &failed, NULL, NULL) != RADX_OK) {
        fprintf(stderr, "radx pack: %s\n", radx_last_error());
        return 2;
    }
    radx_tiles *tiles = NULL;
    if (radx_tiles_open(out, &tiles) != RADX_OK) {
        fprintf(stderr, "radx pack: %s\n", radx_last_error());
        return 2;
    }
    for (int r = 0; r < tiles->ncases; r++)
        if (tiles->status[r] != RADX_OK)
            fprintf(stderr, "radx pack: case %d (%s): %s\n", r + 1, tiles->image[r], tiles->message[r]);
    fprintf(stderr, "radx pack: %d cases, %d tiles, %d failed, %.2f s; output: %s\n", tiles->ncases,
            tiles->ntiles, failed, radx_now() - start, out);
    radx_tiles_close(tiles);
    return failed && !allow_failures ? 1 : 0;
}
