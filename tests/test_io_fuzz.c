/* Robustness of radx_image_read against damaged files: seeded, deterministic
 * mutations of valid NIfTI-1/-2 (plain and gzip), NRRD (attached, detached,
 * raw/gzip/ascii) and PNG files from tests/data/io/:
 *   - truncation at many lengths,
 *   - random byte flips / overwrites / deletions,
 *   - header fields set to hostile values (NIfTI binary fields, NRRD field
 *     lines, PNG IHDR/chunk fields with the CRC recomputed so that libpng
 *     accepts the chunk and the damage reaches the decoder).
 * Every read must either succeed with a consistent image or fail with a
 * non-empty message naming the file; nothing may be printed on stderr (the
 * libraries are kept quiet). Run under valgrind with RADX_FUZZ_SCALE=0.05
 * for a reduced iteration count. */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_mutate.h"
#include "fuzz_read.h"
#include "testutil.h"

#include "radx/image.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define IO_DIR "tests/data/io/"

typedef enum seed_kind { NIFTI1, NIFTI1_GZ, NIFTI2, NRRD, NHDR, PNG } seed_kind;

typedef struct seed {
    const char *file;
    seed_kind kind;
    const char *suffix;
} seed;

static const seed SEEDS[] = {
    {IO_DIR "n1_qform_sform.nii", NIFTI1, ".nii"},
    {IO_DIR "n1_2d.nii", NIFTI1, ".nii"},
    {IO_DIR "n1_scl_int16.nii", NIFTI1, ".nii"},
    {IO_DIR "n1_bigendian.nii", NIFTI1, ".nii"},
    {IO_DIR "n1_qform_only.nii.gz", NIFTI1_GZ, ".nii.gz"},
    {"tests/data/ibsi/nifti/phantom.nii.gz", NIFTI1_GZ, ".nii.gz"},
    {IO_DIR "n2_int16.nii", NIFTI2, ".nii"},
    {IO_DIR "r_lps_raw.nrrd", NRRD, ".nrrd"},
    {IO_DIR "r_ras_gzip.nrrd", NRRD, ".nrrd"},
    {IO_DIR "r_ascii.nrrd", NRRD, ".nrrd"},
    {IO_DIR "r_2d.nrrd", NRRD, ".nrrd"},
    {IO_DIR "r_skips.nrrd", NRRD, ".nrrd"},
    {IO_DIR "r_gzip_tail.nrrd", NRRD, ".nrrd"},
    {IO_DIR "r_detached.nhdr", NHDR, ".nhdr"},
    {IO_DIR "r_list.nhdr", NHDR, ".nhdr"},
    {IO_DIR "r_template.nhdr", NHDR, ".nhdr"},
    {IO_DIR "p_grey8.png", PNG, ".png"},
    {IO_DIR "p_rgb16.png", PNG, ".png"},
    {IO_DIR "p_palette4.png", PNG, ".png"},
    {IO_DIR "p_grey16_sbit12.png", PNG, ".png"},
    {IO_DIR "p_scal.png", PNG, ".png"},
    {IO_DIR "p_grey8_adam7.png", PNG, ".png"},
};

/* ---------------------------------------------------------------- state */

static char work_dir[64];
static double scale = 1.0;        /* RADX_FUZZ_SCALE: fraction of the iterations */
static fuzz_rng rng = {0x9e3779b97f4a7c15ull};
static fuzz_counts counts;
static fuzz_capture capture;

/* The decompressed bytes of a gzip file. */
static fuzz_buffer gunzip_seed(const char *path)
{
    gzFile gz = gzopen(path, "rb");
    assert_non_null(gz);
    fuzz_buffer b = {malloc(1 << 20), 0};
    int n = gzread(gz, b.bytes, 1 << 20);
    assert_true(n > 0);
    b.size = (size_t)n;
    gzclose(gz);
    return b;
}

/* ---------------------------------------------------------------- one read */

static void write_gzip(const char *path, const unsigned char *bytes, size_t size)
{
    gzFile gz = gzopen(path, "wb1");
    assert_non_null(gz);
    if (size) assert_int_equal(gzwrite(gz, bytes, (unsigned)size), (int)size);
    gzclose(gz);
}

#ifdef RADX_FUZZ_LEAK_CHECK
/* Debugging aid (build with -fsanitize=address -DRADX_FUZZ_LEAK_CHECK):
 * keep a copy of every input after which LeakSanitizer finds new leaks. */
#include <sanitizer/lsan_interface.h>
static void keep_if_leaking(const char *path)
{
    static int kept;
    if (!__lsan_do_recoverable_leak_check()) return;
    char copy[160];
    snprintf(copy, sizeof copy, "/tmp/radx_leak_%03d_%s", kept++, strrchr(path, '/') + 1);
    size_t n = 0;
    char *bytes = radx_test_read_file(path, &n);
    if (bytes) fuzz_write_file(copy, (unsigned char *)bytes, n);
    free(bytes);
}
#else
static void keep_if_leaking(const char *path) { (void)path; }
#endif

static void try_read(const char *path)
{
    fuzz_read_and_check(&capture, path, 0, &counts);
    keep_if_leaking(path);
}

/* Read the bytes as a file of this seed's kind (gzip-compressed first for
 * NIFTI1_GZ when `compress`). */
static void try_bytes(const seed *s, const unsigned char *bytes, size_t size, int compress)
{
    char path[128];
    snprintf(path, sizeof path, "%s/case%s", work_dir, s->suffix);
    if (compress) write_gzip(path, bytes, size);
    else fuzz_write_file(path, bytes, size);
    try_read(path);
}

/* A seed and whether its bytes are gzip-compressed before reading. */
typedef struct seed_input {
    const seed *seed;
    int compress;
} seed_input;

static void try_seed_input(void *context, const unsigned char *bytes, size_t size)
{
    const seed_input *input = context;
    try_bytes(input->seed, bytes, size, input->compress);
}

/* ---------------------------------------------------------------- generic mutations */

static void truncations(const seed *s, const fuzz_buffer *b, int compress)
{
    seed_input input = {s, compress};
    fuzz_truncations(b, 160, scale, try_seed_input, &input);
    /* and every length around the end of the header */
    size_t header = s->kind == NIFTI2 ? 540 : s->kind == PNG ? 33 : 348;
    fuzz_truncations_between(b, header - 8, header + 8, try_seed_input, &input);
}

static void random_mutations(const seed *s, const fuzz_buffer *original, int compress, int count)
{
    static const unsigned char special[] = {0x00, 0xff, 0x7f, 0x80, '%', '-', '\n', ' ', ':'};
    seed_input input = {s, compress};
    fuzz_random_mutations(&rng, original, count, scale, (fuzz_specials){special, sizeof special}, try_seed_input,
                          &input);
}

/* ---------------------------------------------------------------- NIfTI fields */

typedef struct field {
    size_t offset;
    int bytes;     /* 1, 2, 4 or 8 */
    int is_float;
} field;

static const field NIFTI1_FIELDS[] = {
    {0, 4, 0},   {40, 2, 0},  {42, 2, 0},  {44, 2, 0},  {46, 2, 0},  {48, 2, 0},  {50, 2, 0},
    {52, 2, 0},  {54, 2, 0},  {68, 2, 0},  {70, 2, 0},  {72, 2, 0},  {76, 4, 1},  {80, 4, 1},
    {84, 4, 1},  {88, 4, 1},  {108, 4, 1}, {112, 4, 1}, {116, 4, 1}, {123, 1, 0}, {252, 2, 0},
    {254, 2, 0}, {256, 4, 1}, {260, 4, 1}, {264, 4, 1}, {268, 4, 1}, {280, 4, 1}, {284, 4, 1},
    {296, 4, 1}, {312, 4, 1}, {324, 4, 1}, {344, 4, 0},
};

static const field NIFTI2_FIELDS[] = {
    {0, 4, 0},    {4, 4, 0},    {12, 2, 0},   {14, 2, 0},   {16, 8, 0},   {24, 8, 0},   {32, 8, 0},
    {40, 8, 0},   {48, 8, 0},   {56, 8, 0},   {104, 8, 1},  {112, 8, 1},  {128, 8, 1},  {168, 8, 0},
    {176, 8, 1},  {184, 8, 1},  {344, 4, 0},  {348, 4, 0},  {352, 8, 1},  {376, 8, 1},  {400, 8, 1},
    {408, 8, 1},  {464, 8, 1},  {500, 4, 0},  {504, 4, 0},
};

static const long long INT_VALUES[] = {0, 1, -1, 2, 3, 4, 5, 7, 8, 16, 128, 255, 256, 1007, 1024,
                                       2304, 32767, -32768, 65535, 2147483647LL, -2147483647LL - 1,
                                       4294967295LL, 9223372036854775807LL, 1LL << 33};
static const double FLOAT_VALUES[] = {0.0, -1.0, 1.0, 1e-30, -1e-30, 1e30, -1e30, 3e38, 1e300, NAN, INFINITY,
                                      -INFINITY, 0.5, 2.0, 352.0, 351.0, 1e9};

/* Store v in the field, in the byte order the file uses. */
static void set_field(unsigned char *at, const field *f, long long iv, double fv, int swapped)
{
    unsigned char tmp[8];
    if (f->is_float && f->bytes == 4) {
        float v = (float)fv;
        memcpy(tmp, &v, 4);
    } else if (f->is_float) {
        memcpy(tmp, &fv, 8);
    } else if (f->bytes == 1) {
        tmp[0] = (unsigned char)iv;
    } else if (f->bytes == 2) {
        short v = (short)iv;
        memcpy(tmp, &v, 2);
    } else if (f->bytes == 4) {
        int v = (int)iv;
        memcpy(tmp, &v, 4);
    } else {
        memcpy(tmp, &iv, 8);
    }
    for (int i = 0; i < f->bytes; i++) at[i] = tmp[swapped ? f->bytes - 1 - i : i];
}

static void nifti_fields(const seed *s, const fuzz_buffer *raw, int compress)
{
    const field *fields = s->kind == NIFTI2 ? NIFTI2_FIELDS : NIFTI1_FIELDS;
    size_t count = s->kind == NIFTI2 ? sizeof NIFTI2_FIELDS / sizeof NIFTI2_FIELDS[0]
                                     : sizeof NIFTI1_FIELDS / sizeof NIFTI1_FIELDS[0];
    int swapped = raw->bytes[0] == 0; /* sizeof_hdr stored big-endian */
    size_t values = 0;
    for (size_t i = 0; i < count; i++) {
        size_t n = fields[i].is_float ? sizeof FLOAT_VALUES / sizeof FLOAT_VALUES[0]
                                      : sizeof INT_VALUES / sizeof INT_VALUES[0];
        for (size_t v = 0; v < n; v++) {
            if (scale < 1.0 && (values++ % (size_t)(1.0 / scale)) != 0) continue;
            fuzz_buffer b = fuzz_copy(raw->bytes, raw->size);
            set_field(b.bytes + fields[i].offset, &fields[i], INT_VALUES[v % (sizeof INT_VALUES / sizeof INT_VALUES[0])],
                      FLOAT_VALUES[v % (sizeof FLOAT_VALUES / sizeof FLOAT_VALUES[0])], swapped);
            try_bytes(s, b.bytes, b.size, compress);
            free(b.bytes);
        }
    }
}

/* ---------------------------------------------------------------- NRRD lines */

static const char *NRRD_VALUES[] = {
    "0", "-1", "1e400", "nan", "", "none", "4294967296 4294967296 4294967296", "2147483647 2147483647 1",
    "1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", "(nan,0,0) (0,1,0) (0,0,1)", "(0,0,0) (0,0,0) (0,0,0)",
    "(1,0) (0,1) (0,0)", "block", "bzip2", "hex", "ascii", "LIST", "-", "%d 1 2 1", "x%s%n 1 2 1",
    "right-anterior-superior", "3D-right-handed-time", "scanner-xyz", "99999999999999999999",
    "RGB-color domain domain", "list domain domain domain", "big", "5 4", "5 4 3 2",
};

static const char *NRRD_EXTRA_LINES[] = {
    "data file: -", "data file: /dev/zero", "data file: LIST", "line skip: 1000000", "byte skip: -1",
    "byte skip: 100000", "space dimension: 2", "kinds: RGB-color domain domain", "dimension: 4",
    "block size: 0", "encoding: hex", "space: scanner-xyz", "measurement frame: (1,0,0) (0,1,0) (0,0,1)",
    "spacings: 0 0 0", "axis mins: nan nan nan", "sizes: 5 4 3 1", "space origin: (nan,nan,nan)",
    "key:=value", "# comment", "type: double",
};

/* The header's lines (up to the blank line), and where the data start. */
static size_t split_lines(const fuzz_buffer *b, size_t starts[], size_t ends[], size_t max_lines, size_t *data_at)
{
    size_t n = 0, at = 0;
    *data_at = b->size;
    while (at < b->size && n < max_lines) {
        const unsigned char *nl = memchr(b->bytes + at, '\n', b->size - at);
        size_t end = nl ? (size_t)(nl - b->bytes) : b->size;
        if (end == at) {
            *data_at = at; /* the blank line and the data stay together */
            break;
        }
        starts[n] = at, ends[n] = end, n++;
        at = end + 1;
    }
    return n;
}

/* Header with line `skip` replaced by `replacement` (NULL: dropped), and
 * `extra` inserted after line `insert_after` (if not NULL). */
static void try_nrrd_variant(const seed *s, const fuzz_buffer *b, size_t n, const size_t *starts, const size_t *ends,
                             size_t data_at, size_t skip, const char *replacement, size_t insert_after,
                             const char *extra)
{
    size_t cap = b->size + 4096;
    unsigned char *out = malloc(cap);
    assert_non_null(out);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == skip) {
            if (replacement) len += (size_t)snprintf((char *)out + len, cap - len, "%s\n", replacement);
        } else {
            memcpy(out + len, b->bytes + starts[i], ends[i] - starts[i]);
            len += ends[i] - starts[i];
            out[len++] = '\n';
        }
        if (extra && i == insert_after) len += (size_t)snprintf((char *)out + len, cap - len, "%s\n", extra);
    }
    memcpy(out + len, b->bytes + data_at, b->size - data_at);
    len += b->size - data_at;
    try_bytes(s, out, len, 0);
    free(out);
}

static void nrrd_fields(const seed *s, const fuzz_buffer *b)
{
    size_t starts[64], ends[64], data_at;
    size_t n = split_lines(b, starts, ends, 64, &data_at);
    size_t values = sizeof NRRD_VALUES / sizeof NRRD_VALUES[0];
    size_t extras = sizeof NRRD_EXTRA_LINES / sizeof NRRD_EXTRA_LINES[0];
    size_t counter = 0;
    int every = scale < 1.0 ? (int)(1.0 / scale) : 1;
    for (size_t line = 0; line < n; line++) {
        char name[128];
        const unsigned char *colon = memchr(b->bytes + starts[line], ':', ends[line] - starts[line]);
        size_t name_len = colon ? (size_t)(colon - (b->bytes + starts[line])) : 0;
        if (name_len >= sizeof name - 4) name_len = 0;
        memcpy(name, b->bytes + starts[line], name_len);
        name[name_len] = '\0';
        for (size_t v = 0; v < values; v++) {
            if (counter++ % (size_t)every) continue;
            char replacement[256];
            snprintf(replacement, sizeof replacement, "%s: %s", name, NRRD_VALUES[v]);
            try_nrrd_variant(s, b, n, starts, ends, data_at, line, name_len ? replacement : NRRD_VALUES[v],
                             (size_t)-1, NULL);
        }
        try_nrrd_variant(s, b, n, starts, ends, data_at, line, NULL, (size_t)-1, NULL);
    }
    for (size_t e = 0; e < extras; e++) {
        if (counter++ % (size_t)every) continue;
        try_nrrd_variant(s, b, n, starts, ends, data_at, (size_t)-1, NULL, 0, NRRD_EXTRA_LINES[e]);
        try_nrrd_variant(s, b, n, starts, ends, data_at, (size_t)-1, NULL, n - 1, NRRD_EXTRA_LINES[e]);
    }
}

/* ---------------------------------------------------------------- PNG chunks */

static uint32_t get_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16), p[2] = (unsigned char)(v >> 8),
    p[3] = (unsigned char)v;
}

/* Recompute the CRC of the chunk whose length field is at `at`. */
static void fix_crc(fuzz_buffer *b, size_t at)
{
    uint32_t length = get_be32(b->bytes + at);
    if (at + 12 + (size_t)length > b->size) return;
    uLong crc = crc32(0L, b->bytes + at + 4, (uInt)(4 + length));
    put_be32(b->bytes + at + 8 + length, (uint32_t)crc);
}

/* Offsets of the chunks' length fields. */
static size_t find_chunks(const fuzz_buffer *b, size_t *offsets, size_t max)
{
    size_t n = 0;
    for (size_t at = 8; at + 12 <= b->size && n < max;) {
        offsets[n++] = at;
        at += 12 + (size_t)get_be32(b->bytes + at);
    }
    return n;
}

static void png_fields(const seed *s, const fuzz_buffer *png)
{
    size_t chunks[32];
    size_t n = find_chunks(png, chunks, 32);
    static const uint32_t sizes[] = {0, 1, 2, 65535, 65536, 1000000, 0x7fffffff, 0x80000000u, 0xffffffffu};
    static const unsigned char bytes[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 17, 0x7f, 0x80, 0xff};
    /* IHDR width / height (CRC fixed) */
    for (int f = 0; f < 2; f++)
        for (size_t v = 0; v < sizeof sizes / sizeof sizes[0]; v++) {
            fuzz_buffer b = fuzz_copy(png->bytes, png->size);
            put_be32(b.bytes + 16 + 4 * f, sizes[v]);
            fix_crc(&b, 8);
            try_bytes(s, b.bytes, b.size, 0);
            free(b.bytes);
        }
    /* IHDR depth, colour type, compression, filter, interlace; first bytes of other chunks */
    for (size_t c = 0; c < n; c++) {
        uint32_t length = get_be32(png->bytes + chunks[c]);
        size_t first = c == 0 ? 8 : 0, last = c == 0 ? 13 : (length < 4 ? length : 4);
        for (size_t at = first; at < last; at++)
            for (size_t v = 0; v < sizeof bytes; v++) {
                if (scale < 1.0 && fuzz_below(&rng, (size_t)(1.0 / scale)) != 0) continue;
                fuzz_buffer b = fuzz_copy(png->bytes, png->size);
                b.bytes[chunks[c] + 8 + at] = bytes[v];
                fix_crc(&b, chunks[c]);
                try_bytes(s, b.bytes, b.size, 0);
                free(b.bytes);
            }
        /* the chunk's length field */
        for (size_t v = 0; v < sizeof sizes / sizeof sizes[0]; v++) {
            fuzz_buffer b = fuzz_copy(png->bytes, png->size);
            put_be32(b.bytes + chunks[c], sizes[v]);
            try_bytes(s, b.bytes, b.size, 0);
            free(b.bytes);
        }
    }
    /* damage inside IDAT (compressed scanlines) with a valid CRC */
    for (size_t c = 0; c < n; c++) {
        if (memcmp(png->bytes + chunks[c] + 4, "IDAT", 4) != 0) continue;
        uint32_t length = get_be32(png->bytes + chunks[c]);
        for (int i = 0; i < fuzz_iterations(150, scale) && length > 0; i++) {
            fuzz_buffer b = fuzz_copy(png->bytes, png->size);
            b.bytes[chunks[c] + 8 + fuzz_below(&rng, length)] ^= (unsigned char)(1u << fuzz_below(&rng, 8));
            fix_crc(&b, chunks[c]);
            try_bytes(s, b.bytes, b.size, 0);
            free(b.bytes);
        }
    }
}

/* ---------------------------------------------------------------- driver */

static void fuzz_seed(const seed *s)
{
    fuzz_buffer original = fuzz_read_seed(s->file);
    truncations(s, &original, 0);
    random_mutations(s, &original, 0, 300);
    if (s->kind == NIFTI1_GZ) {
        fuzz_buffer raw = gunzip_seed(s->file);
        truncations(s, &raw, 1);
        random_mutations(s, &raw, 1, 200);
        nifti_fields(s, &raw, 1);
        free(raw.bytes);
    } else if (s->kind == NIFTI1 || s->kind == NIFTI2) {
        nifti_fields(s, &original, 0);
    } else if (s->kind == NRRD || s->kind == NHDR) {
        nrrd_fields(s, &original);
    } else {
        png_fields(s, &original);
    }
    free(original.bytes);
}

static void copy_into_work_dir(const char *from, const char *name)
{
    fuzz_buffer b = fuzz_read_seed(from);
    char path[128];
    snprintf(path, sizeof path, "%s/%s", work_dir, name);
    fuzz_write_file(path, b.bytes, b.size);
    free(b.bytes);
}

static int setup(void **state)
{
    (void)state;
    scale = fuzz_scale_from_env();
    snprintf(work_dir, sizeof work_dir, "/tmp/radx_fuzz_XXXXXX");
    if (!mkdtemp(work_dir)) return -1;
    /* the detached headers' data files, so that mutated .nhdr headers find them */
    copy_into_work_dir(IO_DIR "r_detached.raw", "r_detached.raw");
    copy_into_work_dir(IO_DIR "r_slice_0.raw", "r_slice_0.raw");
    copy_into_work_dir(IO_DIR "r_slice_1.raw", "r_slice_1.raw");
    copy_into_work_dir(IO_DIR "r_slice_2.raw", "r_slice_2.raw");
    return fuzz_capture_open(&capture, work_dir) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    fuzz_capture_close(&capture);
    const char *names[] = {"r_detached.raw", "r_slice_0.raw", "r_slice_1.raw", "r_slice_2.raw", "case.nii", "case.nii.gz", "case.nrrd", "case.nhdr",
                           "case.png"};
    char path[160];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", work_dir, names[i]);
        unlink(path);
    }
    rmdir(work_dir);
    return 0;
}

static void run_kind(seed_kind a, seed_kind b)
{
    for (size_t i = 0; i < sizeof SEEDS / sizeof SEEDS[0]; i++)
        if (SEEDS[i].kind == a || SEEDS[i].kind == b) fuzz_seed(&SEEDS[i]);
}

static void test_fuzz_nifti(void **state)
{
    (void)state;
    run_kind(NIFTI1, NIFTI2);
    run_kind(NIFTI1_GZ, NIFTI1_GZ);
}

static void test_fuzz_nrrd(void **state)
{
    (void)state;
    run_kind(NRRD, NHDR);
}

static void test_fuzz_png(void **state)
{
    (void)state;
    run_kind(PNG, PNG);
}

/* The counts of this run (each read already checked that nothing was printed). */
static void test_summary(void **state)
{
    (void)state;
    printf("fuzz: %ld reads, %ld images, %ld errors (scale %g)\n", counts.images + counts.errors, counts.images,
           counts.errors, scale);
    assert_true(counts.images > 0 && counts.errors > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fuzz_nifti),
        cmocka_unit_test(test_fuzz_nrrd),
        cmocka_unit_test(test_fuzz_png),
        cmocka_unit_test(test_summary),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
