/* Robustness of the DICOM reader (radx_image_read, radx_image_read_frame)
 * against damaged files: seeded, deterministic mutations of the DICOM files
 * in tests/data/dicom/ (every codec radx decodes, palettes, ultrasound
 * regions, multi-frame, SEG):
 *   - truncation at many lengths,
 *   - random byte flips / overwrites / deletions / duplications,
 *   - the values of the attributes that drive decoding (Rows, Columns, Bits
 *     Allocated/Stored, High Bit, Samples per Pixel, Number of Frames, LUT
 *     descriptors, region bounds, ...) set to hostile values, and element
 *     length fields damaged.
 * Every read must either succeed with a consistent image or fail with a
 * non-empty message naming the file; nothing may be printed on stderr
 * (DCMTK's and OpenJPEG's messages are kept quiet). A separate program from
 * test_io_fuzz.c: the DICOM mutations know DICOM's element layout. Run under
 * valgrind with RADX_FUZZ_SCALE=0.05 for a reduced iteration count. */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_mutate.h"
#include "fuzz_read.h"
#include "testutil.h"

#include "radx/image.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DIR "tests/data/dicom/"

static const char *const SEEDS[] = {
    DIR "mono8.dcm",          DIR "mono8_implicit.dcm",   DIR "mono8_deflate.dcm", DIR "mono16_rle.dcm",
    DIR "mono8_jpeg_sv1.dcm", DIR "rgb_jpeg_baseline.dcm", DIR "mono8_jpegls.dcm", DIR "rgb_jpegls.dcm",
    DIR "mono8_j2k.dcm",      DIR "rgb_j2k_rct.dcm",      DIR "mf_j2k.dcm",        DIR "mf_rle.dcm",
    DIR "pal8_segmented.dcm", DIR "pal16.dcm",            DIR "ybr_full_422.dcm",  DIR "us_regions.dcm",
    DIR "seg_right.dcm",      DIR "s16.dcm",
};

/* (group, element) of the attributes that steer decoding. */
static const uint16_t TAGS[][2] = {
    {0x0028, 0x0010}, {0x0028, 0x0011}, {0x0028, 0x0100}, {0x0028, 0x0101}, {0x0028, 0x0102},
    {0x0028, 0x0103}, {0x0028, 0x0002}, {0x0028, 0x0006}, {0x0028, 0x0008}, {0x0028, 0x0004},
    {0x0028, 0x1101}, {0x0028, 0x1102}, {0x0028, 0x1103}, {0x0028, 0x1201}, {0x0028, 0x1221},
    {0x0028, 0x1223}, {0x0018, 0x6018}, {0x0018, 0x601c}, {0x0018, 0x602c}, {0x0018, 0x6024},
    {0x0028, 0x1053}, {0x0028, 0x0030}, {0x0062, 0x000b}, {0x0008, 0x0016}, {0x7fe0, 0x0010},
};

static const uint32_t VALUES[] = {0, 1, 2, 3, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 255, 256, 4096, 32767,
                                  32768, 65535, 65536, 0x7fffffffu, 0x80000000u, 0xffffffffu};

static char work_dir[64];
static double scale = 1.0;
static fuzz_rng rng = {0x5eed0d1c0feeull};
static fuzz_counts counts;
static fuzz_capture capture;

/* Write the bytes as the case file and read its first frame and frame 2. */
static void try_bytes(void *context, const unsigned char *bytes, size_t size)
{
    (void)context;
    char path[128];
    snprintf(path, sizeof path, "%s/case.dcm", work_dir);
    fuzz_write_file(path, bytes, size);
    for (int frame = 0; frame <= 2; frame += 2) fuzz_read_and_check(&capture, path, frame, &counts);
}

/* ---------------------------------------------------------------- mutations */

static void truncations(const fuzz_buffer *b)
{
    fuzz_truncations(b, 120, scale, try_bytes, NULL);
    fuzz_truncations_between(b, 124, 140, try_bytes, NULL); /* around "DICM" */
}

static void random_mutations(const fuzz_buffer *original, int count)
{
    fuzz_random_mutations(&rng, original, count, scale, (fuzz_specials){NULL, 0}, try_bytes, NULL);
}

/* Offsets of an explicit-VR little-endian element header (tag, VR, length). */
typedef struct element_at {
    size_t tag_at, value_at, length_at;
    int length_bytes; /* 2 or 4 */
    uint32_t length;
} element_at;

static int long_vr(const unsigned char *vr)
{
    static const char *const vrs[] = {"OB", "OW", "OF", "SQ", "UT", "UN", "OD", "OL", "UC", "UR", "OV"};
    for (size_t i = 0; i < sizeof vrs / sizeof vrs[0]; i++)
        if (memcmp(vr, vrs[i], 2) == 0) return 1;
    return 0;
}

/* Every occurrence of the tag followed by an upper-case VR. */
static size_t find_elements(const fuzz_buffer *b, uint16_t group, uint16_t element, element_at *out, size_t max)
{
    size_t n = 0;
    for (size_t at = 0; at + 12 <= b->size && n < max; at++) {
        const unsigned char *p = b->bytes + at;
        if (p[0] != (group & 0xff) || p[1] != group >> 8 || p[2] != (element & 0xff) || p[3] != element >> 8)
            continue;
        if (p[4] < 'A' || p[4] > 'Z' || p[5] < 'A' || p[5] > 'Z') continue;
        element_at e;
        e.tag_at = at;
        if (long_vr(p + 4)) {
            e.length_at = at + 8, e.length_bytes = 4, e.value_at = at + 12;
            e.length = (uint32_t)p[8] | (uint32_t)p[9] << 8 | (uint32_t)p[10] << 16 | (uint32_t)p[11] << 24;
        } else {
            e.length_at = at + 6, e.length_bytes = 2, e.value_at = at + 8;
            e.length = (uint32_t)p[6] | (uint32_t)p[7] << 8;
        }
        out[n++] = e;
    }
    return n;
}

static void put_le(unsigned char *at, uint32_t value, int bytes)
{
    for (int i = 0; i < bytes; i++) at[i] = (unsigned char)(value >> (8 * i));
}

/* Hostile values for each steering attribute, and damaged length fields. */
static void field_mutations(const fuzz_buffer *original)
{
    size_t counter = 0, every = scale < 1.0 ? (size_t)(1.0 / scale) : 1;
    for (size_t t = 0; t < sizeof TAGS / sizeof TAGS[0]; t++) {
        element_at found[4];
        size_t n = find_elements(original, TAGS[t][0], TAGS[t][1], found, 4);
        for (size_t k = 0; k < n; k++) {
            const element_at *e = &found[k];
            for (size_t v = 0; v < sizeof VALUES / sizeof VALUES[0]; v++) {
                if (counter++ % every) continue;
                fuzz_buffer b = fuzz_copy(original->bytes, original->size);
                if (e->length >= 2 && e->value_at + 2 <= b.size) {
                    int width = e->length >= 4 ? 4 : 2;
                    if (e->value_at + (size_t)width <= b.size) put_le(b.bytes + e->value_at, VALUES[v], width);
                }
                try_bytes(NULL, b.bytes, b.size);
                put_le(b.bytes + e->length_at, VALUES[v], e->length_bytes); /* and the length */
                try_bytes(NULL, b.bytes, b.size);
                free(b.bytes);
            }
            /* text values (IS, DS, CS): digits and names that mislead */
            static const char *const texts[] = {"0", "-1", "3", "99999999", "1e308", "nan",
                                                "RGB", "YBR_FULL_422", "PALETTE COLOR", "MONOCHROME1"};
            for (size_t s = 0; s < sizeof texts / sizeof texts[0]; s++) {
                if (counter++ % every) continue;
                size_t len = strlen(texts[s]);
                if (e->length < len || e->value_at + e->length > original->size) continue;
                fuzz_buffer b = fuzz_copy(original->bytes, original->size);
                memset(b.bytes + e->value_at, ' ', e->length);
                memcpy(b.bytes + e->value_at, texts[s], len);
                try_bytes(NULL, b.bytes, b.size);
                free(b.bytes);
            }
        }
    }
}

/* ---------------------------------------------------------------- driver */

static int setup(void **state)
{
    (void)state;
    scale = fuzz_scale_from_env();
    snprintf(work_dir, sizeof work_dir, "/tmp/radx_fuzz_dicom_XXXXXX");
    if (!mkdtemp(work_dir)) return -1;
    return fuzz_capture_open(&capture, work_dir) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    fuzz_capture_close(&capture);
    char path[160];
    snprintf(path, sizeof path, "%s/case.dcm", work_dir);
    unlink(path);
    rmdir(work_dir);
    return 0;
}

static void test_fuzz_dicom(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof SEEDS / sizeof SEEDS[0]; i++) {
        fuzz_buffer original = fuzz_read_seed(SEEDS[i]);
        truncations(&original);
        random_mutations(&original, 150);
        field_mutations(&original);
        free(original.bytes);
    }
}

static void test_summary(void **state)
{
    (void)state;
    printf("fuzz dicom: %ld reads, %ld images, %ld errors (scale %g)\n", counts.images + counts.errors,
           counts.images, counts.errors, scale);
    assert_true(counts.images > 0 && counts.errors > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fuzz_dicom),
        cmocka_unit_test(test_summary),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
