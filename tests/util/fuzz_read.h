/* Reading mutated image files in the fuzz tests (test_io_fuzz.c,
 * test_fuzz_dicom.c): write the bytes, read them with stderr captured, and
 * check the outcome: a consistent image, or an error whose message is
 * non-empty and names the file; anything printed on stderr fails the test.
 *
 * Header-only (static inline): tests/CMakeLists.txt compiles a fixed list
 * of tests/util sources into radx_testutil. */
#ifndef RADX_TEST_FUZZ_READ_H
#define RADX_TEST_FUZZ_READ_H

#include "testutil.h"

#include "radx/image.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static inline void fuzz_write_file(const char *path, const unsigned char *bytes, size_t size)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (size) assert_int_equal(fwrite(bytes, 1, size, f), size);
    fclose(f);
}

/* ---------------------------------------------------------------- stderr capture */

/* stderr (fd 2) is sent to a file in the work folder during each read. */
typedef struct fuzz_capture {
    int saved_stderr, capture_fd;
    char path[160];
} fuzz_capture;

/* Open the capture file `dir`/stderr.txt; nonzero on failure. */
static inline int fuzz_capture_open(fuzz_capture *capture, const char *dir)
{
    snprintf(capture->path, sizeof capture->path, "%s/stderr.txt", dir);
    capture->capture_fd = open(capture->path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    capture->saved_stderr = dup(2);
    return capture->capture_fd < 0 || capture->saved_stderr < 0;
}

/* Restore stderr (a failure inside a read leaves it captured), show what
 * was captured, and remove the file. */
static inline void fuzz_capture_close(fuzz_capture *capture)
{
    fflush(stderr);
    dup2(capture->saved_stderr, 2);
    close(capture->capture_fd);
    close(capture->saved_stderr);
    size_t n = 0;
    char *captured = radx_test_read_file(capture->path, &n);
    if (captured && n) fprintf(stderr, "captured stderr:\n%s\n", captured);
    free(captured);
    unlink(capture->path);
}

/* radx_image_read_frame (frame 0: radx_image_read) with stderr captured:
 * anything the libraries print fails the test, naming the input. */
static inline radx_status fuzz_read_capturing_stderr(const fuzz_capture *capture, const char *path, int frame,
                                                     radx_image **image)
{
    off_t before = lseek(capture->capture_fd, 0, SEEK_END);
    fflush(stderr);
    dup2(capture->capture_fd, 2);
    radx_status status = radx_image_read_frame(path, frame, image);
    fflush(stderr);
    dup2(capture->saved_stderr, 2);
    off_t after = lseek(capture->capture_fd, 0, SEEK_END);
    if (after != before) {
        char text[512] = "";
        ssize_t n = pread(capture->capture_fd, text, sizeof text - 1, before);
        text[n > 0 ? n : 0] = '\0';
        fail_msg("%s: the readers printed on stderr: %s", path, text);
    }
    return status;
}

/* ---------------------------------------------------------------- outcome checks */

/* A read image must be usable: 2-D or 3-D, positive sizes and spacings,
 * finite geometry, a known pixel type, and every voxel readable (touched
 * here, so that uninitialised values show under valgrind). */
static inline void fuzz_check_image(const char *path, const radx_image *image)
{
    if (image->ndim != 2 && image->ndim != 3) fail_msg("%s: ndim %d", path, image->ndim);
    if (image->ndim == 2 && image->size[2] != 1) fail_msg("%s: 2D with %d slices", path, image->size[2]);
    size_t n = 1;
    for (int d = 0; d < 3; d++) {
        if (image->size[d] < 1) fail_msg("%s: size[%d] = %d", path, d, image->size[d]);
        n *= (size_t)image->size[d];
        if (!isfinite(image->spacing[d]) || image->spacing[d] <= 0)
            fail_msg("%s: spacing[%d] = %g", path, d, image->spacing[d]);
        if (!isfinite(image->origin[d])) fail_msg("%s: origin[%d] = %g", path, d, image->origin[d]);
    }
    for (int i = 0; i < 9; i++)
        if (!isfinite(image->direction[i])) fail_msg("%s: direction[%d] = %g", path, i, image->direction[i]);
    if (n > ((size_t)1 << 31)) fail_msg("%s: %zu voxels", path, n);
    if ((int)image->pixel_type < 0 || (int)image->pixel_type > RADX_PIXEL_UINT64)
        fail_msg("%s: pixel type %d", path, (int)image->pixel_type);
    if (image->frame < 1 || image->frame > image->frames)
        fail_msg("%s: frame %d of %d", path, image->frame, image->frames);
    assert_non_null(image->data);
    size_t nans = 0;
    for (size_t i = 0; i < n; i++)
        if (isnan(image->data[i])) nans++;
    assert_true(nans <= n);
}

/* Counts of the reads tried. */
typedef struct fuzz_counts {
    long images, errors;
} fuzz_counts;

/* Read `path` (frame as radx_image_read_frame) and check the outcome. */
static inline void fuzz_read_and_check(const fuzz_capture *capture, const char *path, int frame,
                                       fuzz_counts *counts)
{
    radx_image *image = NULL;
    radx_status status = fuzz_read_capturing_stderr(capture, path, frame, &image);
    if (status == RADX_OK) {
        assert_non_null(image);
        fuzz_check_image(path, image);
        radx_image_free(image);
        counts->images++;
        return;
    }
    assert_null(image);
    const char *message = radx_last_error();
    if (!message[0]) fail_msg("%s: %s with an empty message", path, radx_status_name(status));
    if (!strstr(message, path)) fail_msg("%s: message does not name the file: %s", path, message);
    counts->errors++;
}

#endif
