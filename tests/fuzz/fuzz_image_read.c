/* libFuzzer harness for radx_image_read (NIfTI, NRRD, PNG). Not part of the
 * CMake build: compile by hand with clang, from the project root:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
 *     -Iinclude -Ihost -I/usr/include/nifti tests/fuzz/fuzz_image_read.c \
 *     host/io/image_read.c host/io/nifti.c host/io/nrrd.c host/io/png.c \
 *     host/core/error.c host/core/image.c -lnifti2 -lniftiio -lznz -lteem -lpng \
 *     -lz -lgsl -lgslcblas -lm -lpthread -o /tmp/fuzz_image_read
 *   mkdir -p /tmp/fuzz_corpus
 *   cp tests/data/io/n[12]_* tests/data/io/r_* tests/data/io/p_* /tmp/fuzz_corpus/
 *   /tmp/fuzz_image_read -max_total_time=60 -max_len=4096 /tmp/fuzz_corpus
 *
 * The input is written to a file whose extension follows its first bytes
 * (PNG signature -> .png, "NRRD" -> .nrrd, gzip magic -> .nii.gz, else
 * .nii), so that the seed files reach their own reader. A successful read
 * must give a consistent image; a failed one a message naming the file. */
#define _POSIX_C_SOURCE 200809L
#include "radx/image.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *suffix_for(const uint8_t *data, size_t size)
{
    if (size >= 4 && memcmp(data, "\x89PNG", 4) == 0) return ".png";
    if (size >= 4 && memcmp(data, "NRRD", 4) == 0) return ".nrrd";
    if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) return ".nii.gz";
    return ".nii";
}

static void check(const radx_image *image)
{
    size_t n = radx_image_voxels(image);
    if (image->ndim < 2 || image->ndim > 3 || n == 0 || n > ((size_t)1 << 31)) abort();
    for (int d = 0; d < 3; d++)
        if (!(image->spacing[d] > 0) || !isfinite(image->spacing[d]) || !isfinite(image->origin[d])) abort();
    volatile double sum = 0;
    for (size_t i = 0; i < n; i++) sum += image->data[i];
    (void)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    const char *suffix = suffix_for(data, size);
    snprintf(path, sizeof path, "/tmp/radx_fuzz_%d%s", (int)getpid(), suffix);
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    if (size) fwrite(data, 1, size, f);
    fclose(f);
    radx_image *image = NULL;
    radx_status status = radx_image_read(path, &image);
    if (status == RADX_OK) {
        check(image);
        radx_image_free(image);
    } else if (image || !strstr(radx_last_error(), path)) {
        abort();
    }
    unlink(path);
    return 0;
}
