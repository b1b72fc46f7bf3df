/* NRRD reader (.nrrd, .nhdr): teem parses the header, radx reads the data.
 *
 *  1. Our scan of the header text: the magic, the header lines (up to the
 *     blank line that precedes attached data), where attached data start,
 *     and the detached data files the "data file" field names (a single
 *     file, a LIST, or a "name%03d.raw <first> <last> <step>" template).
 *     Only existing regular files are accepted: teem would read "-" as
 *     stdin and expand templates with sprintf.
 *  2. teem's NRRD format parser reads those header lines from a string
 *     (nrrdFormatNRRD->read with headerStringRead, the data file field left
 *     out), so teem opens no file; _nrrdCheck validates the result. The
 *     image is checked (type, axes, sizes, encoding, data size against the
 *     bytes the files can hold) and its geometry derived as ITK's
 *     NrrdImageIO does (Modules/IO/NRRD/src/itkNrrdImageIO.cxx,
 *     ReadImageInformation).
 *  3. The data are read here, with teem's semantics for "line skip", "byte
 *     skip" (negative: counted from the end), "endian" and the pieces of
 *     multiple data files, in raw, gzip (zlib), ascii or hex encoding.
 * Why not teem's own data reading (nrrdLoad): teem 1.12 leaks its gzip
 * stream, its mop and the detached data FILE on many error paths, and its
 * ascii reader scans tokens with an unbounded fscanf("%s") into a stack
 * buffer. teem's messages (biff, a global stack) are collected into ours
 * and freed; every call into teem holds one mutex. */
#define _POSIX_C_SOURCE 200809L
#include "io/nrrd.h"
#include "core/error.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <teem/biff.h>
#include <teem/nrrd.h>
#include <zlib.h>

/* Largest image radx reads: 2^31 voxels (16 GiB of doubles). */
#define MAX_VOXELS ((uint64_t)1 << 31)
/* deflate expands by at most 1032:1 (zlib technical details), so n bytes
 * of gzip data cannot hold more than 1032 n bytes. */
#define DEFLATE_MAX_RATIO 1032
/* A header (with any LIST of data files) longer than this is refused. */
#define MAX_HEADER_BYTES ((long long)8 << 20)
/* Data files a header may name (LIST or template). */
#define MAX_DATA_FILES 100000
/* An ascii value longer than this is not a number. */
#define MAX_TOKEN 255

static pthread_mutex_t teem_lock = PTHREAD_MUTEX_INITIALIZER;

/* ============================================================ header scan */

typedef struct nrrd_scan {
    char *header;               /* header lines for teem, without "data file" */
    size_t header_len, header_cap;
    long long data_offset;      /* attached data start here; -1: no blank line */
    char **files;               /* detached data files, resolved, in order */
    size_t file_count, file_cap;
    unsigned long long detached_bytes; /* their total size */
} nrrd_scan;

static void free_scan(nrrd_scan *scan)
{
    free(scan->header);
    for (size_t i = 0; i < scan->file_count; i++) free(scan->files[i]);
    free(scan->files);
}

/* A growing line buffer over a FILE. */
typedef struct line_reader {
    FILE *file;
    char *text;
    size_t cap;
    long long consumed; /* bytes read so far */
} line_reader;

/* Next line as teem's airOneLine splits them ('\n', '\r' or "\r\n"; the
 * text ends at a NUL byte, as teem's C strings do). Returns 1 for a
 * terminated line, 0 at end of file (text holds any unterminated rest),
 * -1 when the header limit is reached or memory runs out. */
static int next_line(line_reader *r)
{
    size_t len = 0;
    int c;
    for (;;) {
        c = getc(r->file);
        if (c == EOF) break;
        r->consumed++;
        if (c == '\n') break;
        if (c == '\r') {
            int d = getc(r->file);
            if (d == '\n') r->consumed++;
            else if (d != EOF) ungetc(d, r->file);
            break;
        }
        if (r->consumed > MAX_HEADER_BYTES) return -1;
        if (len + 2 > r->cap) {
            size_t cap = r->cap ? 2 * r->cap : 256;
            char *grown = realloc(r->text, cap);
            if (!grown) return -1;
            r->text = grown;
            r->cap = cap;
        }
        r->text[len++] = (char)c;
    }
    if (!r->text) {
        r->text = malloc(256);
        if (!r->text) return -1;
        r->cap = 256;
    }
    r->text[len] = '\0';
    return c == EOF ? 0 : 1;
}

static radx_status append_header_line(const char *path, nrrd_scan *scan, const char *line)
{
    size_t n = strlen(line);
    if (scan->header_len + n + 2 > scan->header_cap) {
        size_t cap = 2 * (scan->header_len + n + 2);
        char *grown = realloc(scan->header, cap);
        if (!grown) return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", path);
        scan->header = grown;
        scan->header_cap = cap;
    }
    memcpy(scan->header + scan->header_len, line, n);
    scan->header_len += n;
    scan->header[scan->header_len++] = '\n';
    scan->header[scan->header_len] = '\0';
    return RADX_OK;
}

/* Trim spaces and tabs at both ends, in place. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
    return s;
}

/* A field line's name, lower case without spaces, and its value; NULL for
 * comments and lines that are not "name: value". teem takes the text
 * before the first ": " as the name (case-insensitive, "data file" or
 * "datafile"); ignoring all spaces here means that no spelling teem might
 * accept slips past the checks below. */
static char *field_value(char *line, char name[32])
{
    name[0] = '\0';
    if (line[0] == '#') return NULL;
    char *colon = strstr(line, ": ");
    if (!colon) return NULL;
    size_t n = 0;
    for (const char *p = line; p < colon; p++) {
        if (*p == ' ' || *p == '\t') continue;
        if (n + 1 >= 32) return NULL;
        name[n++] = (char)tolower((unsigned char)*p);
    }
    name[n] = '\0';
    return colon + 2;
}

/* Add one detached data file: not "-" (stdin for teem), and, relative to the
 * header's directory as teem resolves it, an existing regular file. */
static radx_status add_data_file(const char *path, const char *dir, const char *name, nrrd_scan *scan)
{
    if (name[0] == '\0' || strcmp(name, "-") == 0)
        return radx_fail(RADX_ERR_UNSUPPORTED, "%s: data file \"%s\" is not supported", path, name);
    if (scan->file_count >= MAX_DATA_FILES)
        return radx_fail(RADX_ERR_LIMIT, "%s: more than %d data files", path, MAX_DATA_FILES);
    if (scan->file_count == scan->file_cap) {
        size_t cap = scan->file_cap ? 2 * scan->file_cap : 4;
        char **grown = realloc(scan->files, cap * sizeof *grown);
        if (!grown) return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", path);
        scan->files = grown;
        scan->file_cap = cap;
    }
    size_t length = strlen(dir) + strlen(name) + 2;
    char *full = malloc(length);
    if (!full) return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", path);
    if (name[0] == '/') snprintf(full, length, "%s", name);
    else snprintf(full, length, "%s/%s", dir, name);
    scan->files[scan->file_count++] = full;
    struct stat st;
    if (stat(full, &st) != 0)
        return radx_fail(RADX_ERR_IO, "%s: cannot open data file %s: %s", path, full, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return radx_fail(RADX_ERR_UNSUPPORTED, "%s: data file %s is not a regular file", path, full);
    scan->detached_bytes += (unsigned long long)st.st_size;
    return RADX_OK;
}

/* "name%0Nd.ext <first> <last> <step> [<dim>]": one %d (optional 0 flag,
 * width of at most 2 digits) and no other '%'. */
static radx_status add_template_files(const char *path, const char *dir, char *value, nrrd_scan *scan)
{
    char *numbers = value + strcspn(value, " \t");
    if (*numbers) *numbers++ = '\0';
    char *percent = strchr(value, '%');
    if (!percent)
        return radx_fail(RADX_ERR_UNSUPPORTED, "%s: data file template \"%s\" is not supported", path, value);
    char *after = percent + 1;
    int zero_pad = *after == '0';
    if (zero_pad) after++;
    int width = 0, digits = 0;
    while (isdigit((unsigned char)*after) && digits < 3) width = 10 * width + (*after++ - '0'), digits++;
    if (digits > 2 || *after != 'd' || strchr(after + 1, '%') || strchr(value, '%') != percent)
        return radx_fail(RADX_ERR_UNSUPPORTED, "%s: data file template \"%s\" is not supported", path, value);
    long range[3]; /* first, last, step: each within +-10^6 */
    const char *p = numbers;
    for (int k = 0; k < 3; k++) {
        char *end = NULL;
        errno = 0;
        range[k] = strtol(p, &end, 10);
        if (end == p || errno || range[k] < -1000000 || range[k] > 1000000)
            return radx_fail(RADX_ERR_FORMAT, "%s: invalid data file numbering \"%s\"", path, numbers);
        p = end;
    }
    long first = range[0], last = range[1], step = range[2];
    if (step == 0 || (last - first) / step < 0)
        return radx_fail(RADX_ERR_FORMAT, "%s: invalid data file numbering \"%s\"", path, numbers);
    if ((last - first) / step + 1 > MAX_DATA_FILES)
        return radx_fail(RADX_ERR_LIMIT, "%s: more than %d data files", path, MAX_DATA_FILES);
    size_t prefix = (size_t)(percent - value);
    const char *suffix = after + 1;
    radx_status status = RADX_OK;
    for (long i = first; status == RADX_OK && (step > 0 ? i <= last : i >= last); i += step) {
        char name[4096];
        int n = zero_pad ? snprintf(name, sizeof name, "%.*s%0*ld%s", (int)prefix, value, width, i, suffix)
                         : snprintf(name, sizeof name, "%.*s%*ld%s", (int)prefix, value, width, i, suffix);
        if (n < 0 || (size_t)n >= sizeof name)
            return radx_fail(RADX_ERR_FORMAT, "%s: data file name too long", path);
        status = add_data_file(path, dir, name, scan);
    }
    return status;
}

/* "data file: LIST": the rest of the header file, one name per line. */
static radx_status add_list_files(const char *path, const char *dir, line_reader *r, nrrd_scan *scan)
{
    for (;;) {
        int more = next_line(r);
        if (more < 0)
            return radx_fail(RADX_ERR_LIMIT, "%s: NRRD header longer than %lld bytes", path, MAX_HEADER_BYTES);
        char *name = trim(r->text);
        if (more == 0 && name[0] == '\0') return RADX_OK;
        radx_status status = add_data_file(path, dir, name, scan);
        if (status != RADX_OK || more == 0) return status;
    }
}

static radx_status add_data_files(const char *path, const char *dir, char *value, line_reader *r,
                                  nrrd_scan *scan)
{
    value = trim(value);
    if (strncmp(value, "SKIPLIST", 8) == 0)
        return radx_fail(RADX_ERR_UNSUPPORTED, "%s: \"data file: SKIPLIST\" is not supported", path);
    if (strncmp(value, "LIST", 4) == 0) return add_list_files(path, dir, r, scan);
    if (strchr(value, '%')) return add_template_files(path, dir, value, scan);
    return add_data_file(path, dir, value, scan);
}

/* The directory teem resolves header-relative data file names against. */
static char *header_directory(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    size_t n = (size_t)(slash - path);
    char *dir = malloc(n + 1);
    if (dir) {
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    return dir;
}

static radx_status scan_lines(const char *path, const char *dir, line_reader *r, nrrd_scan *scan)
{
    int more = next_line(r);
    if (more < 0 || strncmp(r->text, "NRRD000", 7) != 0)
        return radx_fail(RADX_ERR_FORMAT, "%s: not a NRRD file (no NRRD000x magic)", path);
    radx_status status = append_header_line(path, scan, r->text);
    int have_dimension = 0;
    while (status == RADX_OK) {
        more = next_line(r);
        if (more < 0)
            return radx_fail(RADX_ERR_LIMIT, "%s: NRRD header longer than %lld bytes", path, MAX_HEADER_BYTES);
        if (more == 1 && r->text[0] == '\0') {
            scan->data_offset = r->consumed;
            return RADX_OK;
        }
        char name[32];
        char *value = field_value(r->text, name);
        if (value && strcmp(name, "datafile") == 0) return add_data_files(path, dir, value, r, scan);
        have_dimension |= strcmp(name, "dimension") == 0;
        /* teem 1.12 leaks when these come before "dimension" (and refuses them) */
        if (!have_dimension && (!strcmp(name, "kinds") || !strcmp(name, "centers") || !strcmp(name, "centerings")))
            return radx_fail(RADX_ERR_FORMAT, "%s: NRRD field \"%s\" before \"dimension\"", path, name);
        if (r->text[0]) status = append_header_line(path, scan, r->text);
        if (more == 0) return status;
    }
    return status;
}

static radx_status scan_header(const char *path, nrrd_scan *scan)
{
    memset(scan, 0, sizeof *scan);
    scan->data_offset = -1;
    FILE *file = fopen(path, "rb");
    if (!file) return radx_fail(RADX_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    char *dir = header_directory(path);
    line_reader reader = {file, NULL, 0, 0};
    radx_status status = dir ? scan_lines(path, dir, &reader, scan)
                             : radx_fail(RADX_ERR_NOMEM, "%s: out of memory", path);
    if (status == RADX_OK && scan->file_count == 0 && scan->data_offset < 0)
        status = radx_fail(RADX_ERR_FORMAT, "%s: NRRD header without data (no blank line, no data file)", path);
    free(reader.text);
    free(dir);
    fclose(file);
    return status;
}

/* ============================================================ teem header */

/* teem's error stack as our message, its root cause (the last line) first;
 * the stack is emptied and freed. */
static radx_status teem_failure(const char *path, const char *what)
{
    char *err = biffGetDone(NRRD);
    char cause[512] = "unknown teem error";
    if (err) {
        size_t n = strlen(err);
        while (n > 0 && (err[n - 1] == '\n' || err[n - 1] == ' ')) err[--n] = '\0';
        const char *last = strrchr(err, '\n');
        snprintf(cause, sizeof cause, "%s", last ? last + 1 : err);
        free(err);
    }
    return radx_fail(RADX_ERR_FORMAT, "%s: %s: %s", path, what, cause);
}

/* The header through teem's NRRD format reader, from the scanned text. */
static radx_status parse_header(const char *path, const nrrd_scan *scan, Nrrd *nrrd, NrrdIoState *nio)
{
    static const int required[] = {nrrdField_type, nrrdField_dimension, nrrdField_sizes, nrrdField_encoding};
    nrrdIoStateSet(nio, nrrdIoStateSkipData, AIR_TRUE);
    nio->headerStringRead = scan->header;
    unsigned int length = 0;
    radx_status status = RADX_OK;
    if (_nrrdOneLine(&length, nio, NULL) != 0 || length == 0)
        status = teem_failure(path, "invalid NRRD header");
    else if (nrrdFormatNRRD->read(NULL, nrrd, nio) != 0)
        status = teem_failure(path, "invalid NRRD header");
    for (size_t i = 0; status == RADX_OK && i < sizeof required / sizeof required[0]; i++)
        if (!nio->seen[required[i]])
            status = radx_fail(RADX_ERR_FORMAT, "%s: NRRD header without the \"%s\" field", path,
                               airEnumStr(nrrdField, required[i]));
    if (status == RADX_OK && _nrrdCheck(nrrd, AIR_FALSE, AIR_TRUE) != 0)
        status = teem_failure(path, "invalid NRRD header");
    nio->headerStringRead = NULL;
    return status;
}

/* ============================================================ checks */

static radx_status pixel_type_of(const char *path, int type, radx_pixel_type *pixel)
{
    switch (type) {
    case nrrdTypeChar: *pixel = RADX_PIXEL_INT8; return RADX_OK;
    case nrrdTypeUChar: *pixel = RADX_PIXEL_UINT8; return RADX_OK;
    case nrrdTypeShort: *pixel = RADX_PIXEL_INT16; return RADX_OK;
    case nrrdTypeUShort: *pixel = RADX_PIXEL_UINT16; return RADX_OK;
    case nrrdTypeInt: *pixel = RADX_PIXEL_INT32; return RADX_OK;
    case nrrdTypeUInt: *pixel = RADX_PIXEL_UINT32; return RADX_OK;
    case nrrdTypeLLong: *pixel = RADX_PIXEL_INT64; return RADX_OK;
    case nrrdTypeULLong: *pixel = RADX_PIXEL_UINT64; return RADX_OK;
    case nrrdTypeFloat: *pixel = RADX_PIXEL_FLOAT32; return RADX_OK;
    case nrrdTypeDouble: *pixel = RADX_PIXEL_FLOAT64; return RADX_OK;
    default:
        return radx_fail(RADX_ERR_UNSUPPORTED, "%s: unsupported NRRD type '%s'", path,
                         airEnumStr(nrrdType, type));
    }
}

/* The axes that hold the image, in order; range (non-domain) axes are
 * allowed only with size 1 (ITK: a range axis gives the number of pixel
 * components, or an extra image dimension for "list" axes). */
static radx_status find_domain_axes(const char *path, const Nrrd *nrrd, unsigned int domain[NRRD_DIM_MAX],
                                    unsigned int *domain_count)
{
    unsigned int range[NRRD_DIM_MAX];
    *domain_count = nrrdDomainAxesGet(nrrd, domain);
    unsigned int range_count = nrrdRangeAxesGet(nrrd, range);
    for (unsigned int a = 0; a < range_count; a++)
        if (nrrd->axis[range[a]].size != 1)
            return radx_fail(RADX_ERR_UNSUPPORTED, "%s: vector images are not supported (%zu components, kind %s)",
                             path, nrrd->axis[range[a]].size, airEnumStr(nrrdKind, nrrd->axis[range[a]].kind));
    if (*domain_count < 2 || *domain_count > 3)
        return radx_fail(RADX_ERR_UNSUPPORTED, "%s: %u-D images are not supported", path, *domain_count);
    if (nrrd->spaceDim && nrrd->spaceDim != *domain_count)
        return radx_fail(RADX_ERR_UNSUPPORTED,
                         "%s: %u domain axes in a %u-D space are not supported (as in ITK)", path,
                         *domain_count, nrrd->spaceDim);
    uint64_t voxels = 1;
    for (unsigned int a = 0; a < nrrd->dim; a++) {
        size_t n = nrrd->axis[a].size;
        if (n < 1 || n > MAX_VOXELS || (voxels *= n) > MAX_VOXELS)
            return radx_fail(RADX_ERR_LIMIT, "%s: axis sizes exceed radx's limit of 2^31 voxels", path);
    }
    return RADX_OK;
}

/* What the data reader needs from the header. */
typedef struct nrrd_layout {
    const NrrdEncoding *encoding;
    int type, swap;
    unsigned int line_skip;
    long byte_skip;
    size_t element_size, elements, pieces, piece_bytes;
} nrrd_layout;

static radx_status describe_data(const char *path, const Nrrd *nrrd, const NrrdIoState *nio,
                                 const nrrd_scan *scan, nrrd_layout *layout)
{
    const NrrdEncoding *encoding = nio->encoding;
    if (encoding != nrrdEncodingRaw && encoding != nrrdEncodingGzip && encoding != nrrdEncodingAscii &&
        encoding != nrrdEncodingHex)
        return radx_fail(RADX_ERR_UNSUPPORTED, "%s: unsupported NRRD encoding '%s'", path,
                         encoding ? encoding->name : "?");
    if (nio->byteSkip < -((long)1 << 40) || nio->byteSkip > ((long)1 << 40))
        return radx_fail(RADX_ERR_FORMAT, "%s: invalid byte skip %ld", path, nio->byteSkip);
    if (nio->byteSkip < 0 && encoding != nrrdEncodingRaw && encoding != nrrdEncodingGzip)
        return radx_fail(RADX_ERR_FORMAT, "%s: negative byte skip needs raw or gzip encoding", path);
    layout->encoding = encoding;
    layout->type = nrrd->type;
    layout->element_size = nrrdElementSize(nrrd);
    layout->elements = nrrdElementNumber(nrrd);
    layout->pieces = scan->file_count ? scan->file_count : 1;
    if (layout->elements % layout->pieces != 0)
        return radx_fail(RADX_ERR_FORMAT, "%s: %zu data files do not split %zu voxels evenly", path,
                         layout->pieces, layout->elements);
    layout->piece_bytes = layout->elements / layout->pieces * layout->element_size;
    layout->line_skip = nio->lineSkip;
    layout->byte_skip = nio->byteSkip;
    layout->swap = encoding != nrrdEncodingAscii && layout->element_size > 1 && nio->endian != airMyEndian();
    return RADX_OK;
}

/* Refuse, before allocating, data the files cannot hold. */
static radx_status check_data_size(const char *path, const nrrd_layout *layout, const nrrd_scan *scan)
{
    unsigned long long available;
    if (scan->file_count) {
        available = scan->detached_bytes;
    } else {
        struct stat st;
        if (stat(path, &st) != 0) return radx_fail(RADX_ERR_IO, "%s: cannot stat: %s", path, strerror(errno));
        long long rest = (long long)st.st_size - scan->data_offset;
        available = rest > 0 ? (unsigned long long)rest : 0;
    }
    unsigned long long bytes = (unsigned long long)layout->elements * layout->element_size;
    unsigned long long capacity = available; /* bytes of data the files can hold */
    if (layout->encoding == nrrdEncodingGzip) capacity = available * DEFLATE_MAX_RATIO + 64;
    if (layout->encoding == nrrdEncodingHex) capacity = available / 2;
    if (layout->encoding == nrrdEncodingAscii) capacity = available * layout->element_size;
    if (bytes > capacity)
        return radx_fail(RADX_ERR_FORMAT,
                         "%s: truncated: expected %llu bytes of voxel data, the %s data hold at most %llu", path,
                         bytes, layout->encoding->name, capacity);
    return RADX_OK;
}

/* ============================================================ geometry */

/* ITK's NrrdImageIO: right-anterior-superior and left-anterior-superior
 * coordinates become LPS (RAS: x and y change sign; LAS: y, as ITK does
 * since "Fix AP axis flipping for case LeftAnteriorSuperior", which the
 * SimpleITK 2.5 reference includes); other spaces are taken as they are. */
static void to_lps(int space, double *v)
{
    if (space == nrrdSpaceRightAnteriorSuperior) {
        v[0] = -v[0];
        v[1] = -v[1];
    } else if (space == nrrdSpaceLeftAnteriorSuperior) {
        v[1] = -v[1];
    }
}

static radx_status axis_geometry(const char *path, const Nrrd *nrrd, unsigned int axis, int column,
                                 radx_image *image)
{
    double spacing = 1.0, direction[NRRD_SPACE_DIM_MAX];
    int status = nrrdSpacingCalculate(nrrd, axis, &spacing, direction);
    switch (status) {
    case nrrdSpacingStatusNone: /* ITK's defaults: spacing 1, identity column */
        return RADX_OK;
    case nrrdSpacingStatusScalarNoSpace: /* "spacings" */
        image->spacing[column] = spacing;
        return RADX_OK;
    case nrrdSpacingStatusDirection: /* "space directions": length and unit vector */
        if (!isfinite(spacing)) return RADX_OK;
        to_lps(nrrd->space, direction);
        image->spacing[column] = spacing;
        for (unsigned int i = 0; i < nrrd->spaceDim; i++) image->direction[i * 3 + column] = direction[i];
        return RADX_OK;
    default:
        return radx_fail(RADX_ERR_FORMAT, "%s: cannot interpret the spacing of axis %u (%s)", path, axis,
                         airEnumStr(nrrdSpacingStatus, status));
    }
}

/* Origin: "space origin" (in LPS), or without a space the axis mins with
 * cell centring, as ITK asks nrrdOriginCalculate for. */
static radx_status origin_geometry(const char *path, const Nrrd *nrrd, unsigned int *domain,
                                   unsigned int count, radx_image *image)
{
    if (nrrd->spaceDim) {
        if (!isfinite(nrrd->spaceOrigin[0])) return RADX_OK;
        double origin[NRRD_SPACE_DIM_MAX];
        for (unsigned int i = 0; i < nrrd->spaceDim; i++) origin[i] = nrrd->spaceOrigin[i];
        to_lps(nrrd->space, origin);
        for (unsigned int i = 0; i < nrrd->spaceDim; i++) image->origin[i] = origin[i];
        return RADX_OK;
    }
    double origin[NRRD_DIM_MAX];
    int status = nrrdOriginCalculate(nrrd, domain, count, nrrdCenterCell, origin);
    if (status == nrrdOriginStatusOkay) {
        for (unsigned int i = 0; i < count; i++) image->origin[i] = origin[i];
        return RADX_OK;
    }
    if (status == nrrdOriginStatusNoMin || status == nrrdOriginStatusNoMaxOrSpacing) return RADX_OK;
    return radx_fail(RADX_ERR_FORMAT, "%s: cannot interpret the origin (origin status %d)", path, status);
}

static radx_status set_geometry(const char *path, const Nrrd *nrrd, unsigned int *domain, unsigned int count,
                                radx_image *image)
{
    for (unsigned int c = 0; c < count; c++) {
        radx_status status = axis_geometry(path, nrrd, domain[c], (int)c, image);
        if (status != RADX_OK) return status;
    }
    return origin_geometry(path, nrrd, domain, count, image);
}

/* ============================================================ data */

/* teem's nrrdLineSkip: whole lines, as airOneLine ends them. */
static radx_status skip_lines(const char *path, FILE *f, unsigned int lines)
{
    for (unsigned int i = 0; i < lines; i++) {
        int c;
        while ((c = getc(f)) != EOF && c != '\n' && c != '\r') {}
        if (c == EOF) return radx_fail(RADX_ERR_FORMAT, "%s: truncated: end of file skipping line %u of %u", path,
                                       i + 1, lines);
        if (c == '\r') {
            int d = getc(f);
            if (d != '\n' && d != EOF) ungetc(d, f);
        }
    }
    return RADX_OK;
}

static radx_status short_data(const char *path, size_t expected, size_t found)
{
    return radx_fail(RADX_ERR_FORMAT, "%s: truncated: expected %zu bytes of voxel data, found %zu", path,
                     expected, found);
}

/* raw: "byte skip" forwards, or -1-N: the data end N bytes before the end. */
static radx_status read_raw(const char *path, FILE *f, const nrrd_layout *layout, unsigned char *out)
{
    size_t n = layout->piece_bytes;
    int seek = 0;
    if (layout->byte_skip >= 0) {
        seek = fseeko(f, (off_t)layout->byte_skip, SEEK_CUR);
    } else {
        off_t back = (off_t)n + (off_t)(-layout->byte_skip - 1);
        seek = fseeko(f, -back, SEEK_END);
    }
    if (seek != 0) return short_data(path, n, 0);
    size_t got = fread(out, 1, n, f);
    return got == n ? RADX_OK : short_data(path, n, got);
}

/* A gzip stream (one or more members) read from a FILE. */
typedef struct gzip_stream {
    FILE *file;
    z_stream z;
    unsigned char in[1 << 14];
    int ended;  /* no more data: end of the last member */
    int failed;
} gzip_stream;

/* Up to n decompressed bytes; returns how many (fewer at the end of the
 * stream). A member's end followed by another gzip header continues with it;
 * anything else after a member is ignored. */
static size_t gzip_read(gzip_stream *g, unsigned char *out, size_t n)
{
    g->z.next_out = out;
    g->z.avail_out = 0;
    size_t done = 0;
    while (done < n && !g->ended && !g->failed) {
        if (g->z.avail_in == 0) {
            g->z.next_in = g->in;
            g->z.avail_in = (uInt)fread(g->in, 1, sizeof g->in, g->file);
        }
        size_t chunk = n - done > UINT_MAX ? UINT_MAX : n - done;
        g->z.next_out = out + done;
        g->z.avail_out = (uInt)chunk;
        int rc = inflate(&g->z, Z_NO_FLUSH);
        done += chunk - g->z.avail_out;
        if (rc == Z_STREAM_END) {
            if (g->z.avail_in == 0) {
                g->z.next_in = g->in;
                g->z.avail_in = (uInt)fread(g->in, 1, sizeof g->in, g->file);
            }
            if (g->z.avail_in >= 2 && g->z.next_in[0] == 0x1f && g->z.next_in[1] == 0x8b)
                g->failed = inflateReset(&g->z) != Z_OK;
            else
                g->ended = 1;
        } else if (rc == Z_BUF_ERROR && g->z.avail_in == 0) {
            g->failed = 1; /* input ended inside a member */
        } else if (rc != Z_OK) {
            g->failed = 1;
        }
    }
    return done;
}

static radx_status gzip_failure(const char *path, gzip_stream *g, size_t expected, size_t found)
{
    if (g->failed && g->z.msg)
        return radx_fail(RADX_ERR_FORMAT, "%s: corrupt gzip data: %s", path, g->z.msg);
    return radx_fail(RADX_ERR_FORMAT, "%s: truncated: expected %zu bytes of voxel data, the gzip data hold %zu",
                     path, expected, found);
}

/* A negative byte skip with gzip (teem): decompress everything, keep the
 * piece that ends -1-N bytes before the end. */
static radx_status gzip_tail(const char *path, gzip_stream *g, const nrrd_layout *layout, unsigned char *out)
{
    size_t back = (size_t)(-layout->byte_skip - 1), want = layout->piece_bytes + back;
    size_t cap = want > 4096 ? want : 4096, len = 0;
    unsigned char *all = malloc(cap);
    if (!all) return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", path);
    for (;;) {
        len += gzip_read(g, all + len, cap - len);
        if (g->ended || g->failed || len < cap) break;
        unsigned char *grown = cap > ((size_t)1 << 40) ? NULL : realloc(all, 2 * cap);
        if (!grown) break;
        all = grown, cap *= 2;
    }
    radx_status status = RADX_OK;
    if (g->failed || !g->ended || len < want) status = gzip_failure(path, g, want, len);
    else memcpy(out, all + len - want, layout->piece_bytes);
    free(all);
    return status;
}

static radx_status read_gzip(const char *path, FILE *f, const nrrd_layout *layout, unsigned char *out)
{
    gzip_stream *g = calloc(1, sizeof *g);
    if (!g) return radx_fail(RADX_ERR_NOMEM, "%s: out of memory", path);
    g->file = f;
    if (inflateInit2(&g->z, 15 + 16) != Z_OK) { /* gzip wrapper only */
        free(g);
        return radx_fail(RADX_ERR_NOMEM, "%s: cannot start zlib", path);
    }
    radx_status status = RADX_OK;
    if (layout->byte_skip < 0) {
        status = gzip_tail(path, g, layout, out);
    } else {
        unsigned char skipped[4096];
        for (long left = layout->byte_skip; left > 0 && status == RADX_OK;) {
            size_t n = left > (long)sizeof skipped ? sizeof skipped : (size_t)left;
            if (gzip_read(g, skipped, n) != n) status = gzip_failure(path, g, (size_t)layout->byte_skip, 0);
            left -= (long)n;
        }
        if (status == RADX_OK) {
            size_t got = gzip_read(g, out, layout->piece_bytes);
            if (got != layout->piece_bytes) status = gzip_failure(path, g, layout->piece_bytes, got);
        }
    }
    inflateEnd(&g->z);
    free(g);
    return status;
}

/* One whitespace-separated token of at most MAX_TOKEN characters (teem's
 * fscanf("%s")); 0 at end of file, -1 for a longer token. */
static int next_token(FILE *f, char token[MAX_TOKEN + 1])
{
    int c;
    while ((c = getc(f)) != EOF && isspace(c)) {}
    size_t n = 0;
    for (; c != EOF && !isspace(c); c = getc(f)) {
        if (n == MAX_TOKEN) return -1;
        token[n++] = (char)c;
    }
    token[n] = '\0';
    return n > 0;
}

/* One ascii value stored as the nrrd type (teem: sscanf with the type's
 * format for int and wider, "%d" then a cast for char and short). */
static int parse_value(const char *text, int type, unsigned char *out)
{
    char *end = NULL;
    errno = 0;
    if (type == nrrdTypeFloat) {
        float v = strtof(text, &end);
        memcpy(out, &v, sizeof v);
        return end != text;
    }
    if (type == nrrdTypeDouble) {
        double v = strtod(text, &end);
        memcpy(out, &v, sizeof v);
        return end != text;
    }
    if (type == nrrdTypeULLong) { /* "%llu": a minus sign wraps around */
        unsigned long long v = strtoull(text, &end, 10);
        memcpy(out, &v, sizeof v);
        return end != text && !errno;
    }
    long long v = strtoll(text, &end, 10);
    if (end == text || errno) return 0;
    if (type == nrrdTypeLLong) {
        memcpy(out, &v, sizeof v);
        return 1;
    }
    if (type == nrrdTypeUInt) { /* "%u": a minus sign wraps around */
        if (v < -(long long)UINT_MAX || v > (long long)UINT_MAX) return 0;
        unsigned int u = (unsigned int)v;
        memcpy(out, &u, sizeof u);
        return 1;
    }
    if (v < INT_MIN || v > INT_MAX) return 0;
    switch (type) {
    case nrrdTypeChar: { signed char c = (signed char)v; memcpy(out, &c, 1); return 1; }
    case nrrdTypeUChar: { unsigned char c = (unsigned char)v; memcpy(out, &c, 1); return 1; }
    case nrrdTypeShort: { short s = (short)v; memcpy(out, &s, sizeof s); return 1; }
    case nrrdTypeUShort: { unsigned short s = (unsigned short)v; memcpy(out, &s, sizeof s); return 1; }
    case nrrdTypeInt: { int i = (int)v; memcpy(out, &i, sizeof i); return 1; }
    default: return 0;
    }
}

/* ascii: values separated by white space; commas are ignored as in teem. */
static radx_status read_ascii(const char *path, FILE *f, const nrrd_layout *layout, unsigned char *out)
{
    size_t count = layout->piece_bytes / layout->element_size;
    if (layout->byte_skip > 0 && fseeko(f, (off_t)layout->byte_skip, SEEK_CUR) != 0)
        return short_data(path, layout->piece_bytes, 0);
    char token[MAX_TOKEN + 1];
    for (size_t i = 0; i < count;) {
        int got = next_token(f, token);
        if (got == 0)
            return radx_fail(RADX_ERR_FORMAT, "%s: truncated: expected %zu ascii values, found %zu", path, count, i);
        if (got < 0) return radx_fail(RADX_ERR_FORMAT, "%s: ascii value %zu is too long", path, i + 1);
        if (strcmp(token, ",") == 0) continue;
        const char *text = token + strspn(token, ",");
        if (!parse_value(text, layout->type, out + i * layout->element_size))
            return radx_fail(RADX_ERR_FORMAT, "%s: cannot read ascii value %zu (\"%.40s\")", path, i + 1, text);
        i++;
    }
    return RADX_OK;
}

/* hex: two hexadecimal digits per byte, white space ignored (teem). */
static radx_status read_hex(const char *path, FILE *f, const nrrd_layout *layout, unsigned char *out)
{
    size_t nibbles = 2 * layout->piece_bytes;
    if (layout->byte_skip > 0 && fseeko(f, (off_t)layout->byte_skip, SEEK_CUR) != 0)
        return short_data(path, layout->piece_bytes, 0);
    memset(out, 0, layout->piece_bytes);
    for (size_t i = 0; i < nibbles;) {
        int c = getc(f);
        if (c == EOF) return short_data(path, layout->piece_bytes, i / 2);
        if (isspace(c)) continue;
        if (!isxdigit(c))
            return radx_fail(RADX_ERR_FORMAT, "%s: invalid character in hex data at byte %zu", path, i / 2);
        int value = isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
        out[i / 2] = (unsigned char)(out[i / 2] | value << (i % 2 ? 0 : 4));
        i++;
    }
    return RADX_OK;
}

/* One data file (or the attached data): line skip, then the encoding. */
static radx_status read_piece(const char *path, const char *file_path, long long offset, const nrrd_layout *layout,
                              unsigned char *out)
{
    FILE *f = fopen(file_path, "rb");
    if (!f) return radx_fail(RADX_ERR_IO, "%s: cannot open data file %s: %s", path, file_path, strerror(errno));
    radx_status status = RADX_OK;
    if (offset > 0 && fseeko(f, (off_t)offset, SEEK_SET) != 0) status = short_data(path, layout->piece_bytes, 0);
    if (status == RADX_OK) status = skip_lines(path, f, layout->line_skip);
    if (status == RADX_OK) {
        if (layout->encoding == nrrdEncodingRaw) status = read_raw(path, f, layout, out);
        else if (layout->encoding == nrrdEncodingGzip) status = read_gzip(path, f, layout, out);
        else if (layout->encoding == nrrdEncodingAscii) status = read_ascii(path, f, layout, out);
        else status = read_hex(path, f, layout, out);
    }
    fclose(f);
    return status;
}

static void swap_bytes(unsigned char *data, size_t elements, size_t size)
{
    for (size_t i = 0; i < elements; i++, data += size)
        for (size_t a = 0, b = size - 1; a < b; a++, b--) {
            unsigned char t = data[a];
            data[a] = data[b];
            data[b] = t;
        }
}

#define COPY_VOXELS(ctype)                                                           \
    do {                                                                             \
        for (size_t i = 0; i < n; i++) {                                             \
            ctype v;                                                                 \
            memcpy(&v, bytes + i * sizeof v, sizeof v);                              \
            out[i] = (double)v;                                                      \
        }                                                                            \
    } while (0)

static void convert_voxels(const unsigned char *bytes, int type, size_t n, double *out)
{
    switch (type) {
    case nrrdTypeChar: COPY_VOXELS(signed char); break;
    case nrrdTypeUChar: COPY_VOXELS(unsigned char); break;
    case nrrdTypeShort: COPY_VOXELS(short); break;
    case nrrdTypeUShort: COPY_VOXELS(unsigned short); break;
    case nrrdTypeInt: COPY_VOXELS(int); break;
    case nrrdTypeUInt: COPY_VOXELS(unsigned int); break;
    case nrrdTypeLLong: COPY_VOXELS(long long); break;
    case nrrdTypeULLong: COPY_VOXELS(unsigned long long); break;
    case nrrdTypeFloat: COPY_VOXELS(float); break;
    case nrrdTypeDouble: COPY_VOXELS(double); break;
    }
}

static radx_status read_data(const char *path, const nrrd_scan *scan, const nrrd_layout *layout,
                             radx_image *image)
{
    unsigned char *bytes = malloc(layout->elements * layout->element_size);
    if (!bytes) return radx_fail(RADX_ERR_NOMEM, "%s: out of memory for the voxel data", path);
    radx_status status = RADX_OK;
    for (size_t p = 0; p < layout->pieces && status == RADX_OK; p++) {
        const char *file = scan->file_count ? scan->files[p] : path;
        long long offset = scan->file_count ? 0 : scan->data_offset;
        status = read_piece(path, file, offset, layout, bytes + p * layout->piece_bytes);
    }
    if (status == RADX_OK) {
        if (layout->swap) swap_bytes(bytes, layout->elements, layout->element_size);
        convert_voxels(bytes, layout->type, layout->elements, image->data);
    }
    free(bytes);
    return status;
}

/* ============================================================ reader */

/* Checks and geometry from teem's parse (under the lock), as a new image. */
static radx_status image_from_header(const char *path, const nrrd_scan *scan, nrrd_layout *layout,
                                     radx_image **out)
{
    Nrrd *nrrd = nrrdNew();
    NrrdIoState *nio = nrrdIoStateNew();
    radx_pixel_type pixel = RADX_PIXEL_FLOAT64;
    unsigned int domain[NRRD_DIM_MAX], count = 0;
    radx_status status = RADX_OK;
    if (!nrrd || !nio) status = radx_fail(RADX_ERR_NOMEM, "%s: out of memory", path);
    if (status == RADX_OK) status = parse_header(path, scan, nrrd, nio);
    if (status == RADX_OK) status = pixel_type_of(path, nrrd->type, &pixel);
    if (status == RADX_OK) status = find_domain_axes(path, nrrd, domain, &count);
    if (status == RADX_OK) status = describe_data(path, nrrd, nio, scan, layout);
    if (status == RADX_OK) status = check_data_size(path, layout, scan);
    radx_image *image = NULL;
    if (status == RADX_OK) {
        int size[3] = {1, 1, 1};
        for (unsigned int c = 0; c < count; c++) size[c] = (int)nrrd->axis[domain[c]].size;
        status = radx_image_alloc(size, &image);
        if (status != RADX_OK) radx_fail_context(status, "%s", path);
    }
    if (status == RADX_OK) {
        image->ndim = (int)count;
        image->pixel_type = pixel;
        status = set_geometry(path, nrrd, domain, count, image);
    }
    nrrdNix(nrrd);
    nrrdIoStateNix(nio);
    if (status != RADX_OK) {
        radx_image_free(image);
        return status;
    }
    *out = image;
    return RADX_OK;
}

radx_status radx_read_nrrd(const char *path, radx_image **out)
{
    *out = NULL;
    nrrd_scan scan;
    nrrd_layout layout;
    radx_image *image = NULL;
    radx_status status = scan_header(path, &scan);
    if (status == RADX_OK) {
        pthread_mutex_lock(&teem_lock);
        status = image_from_header(path, &scan, &layout, &image);
        pthread_mutex_unlock(&teem_lock);
    }
    if (status == RADX_OK) status = read_data(path, &scan, &layout, image);
    free_scan(&scan);
    if (status != RADX_OK) {
        radx_image_free(image);
        return status;
    }
    *out = image;
    return RADX_OK;
}
