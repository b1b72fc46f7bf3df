/* radx — status codes and the thread-local error message.
 *
 * Every library call returns a radx_status. On failure the library also
 * stores a human-readable message (naming the file, case, key or value at
 * fault) in a thread-local buffer that radx_last_error() returns. The
 * library never prints and never exits: the caller decides what to show. */
#ifndef RADX_STATUS_H
#define RADX_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum radx_status {
    RADX_OK = 0,
    RADX_ERR_IO,          /* file missing, unreadable or unwritable */
    RADX_ERR_FORMAT,      /* file content malformed or of an unsupported kind */
    RADX_ERR_PARAM,       /* unknown setting, wrong type or impossible value */
    RADX_ERR_GEOMETRY,    /* image and mask do not share a grid */
    RADX_ERR_ROI,         /* empty ROI, label absent, ROI too small */
    RADX_ERR_LIMIT,       /* a documented size limit would be exceeded */
    RADX_ERR_NOMEM,       /* allocation failed */
    RADX_ERR_NUMERIC,     /* a computation has no defined result */
    RADX_ERR_UNSUPPORTED, /* valid request that radx does not implement */
    RADX_ERR_DEVICE,      /* OpenCL device or kernel failure */
    RADX_ERR_INTERNAL     /* a bug: an invariant was broken */
} radx_status;

/* Short stable name of a status code, e.g. "RADX_ERR_PARAM". */
const char *radx_status_name(radx_status status);

/* The message of the last failure on this thread ("" if none). */
const char *radx_last_error(void);

/* Forget the last message of this thread. */
void radx_clear_error(void);

#ifdef __cplusplus
}
#endif
#endif
