/* Private helpers to record an error message and return its status code. */
#ifndef RADX_CORE_ERROR_H
#define RADX_CORE_ERROR_H

#include "radx/status.h"

/* Format a message into the thread-local buffer and return `status`.
 * Usage: return radx_fail(RADX_ERR_IO, "%s: cannot open: %s", path, strerror(errno)); */
radx_status radx_fail(radx_status status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prefix the current message with "<context>: " (e.g. a file or case name),
 * keeping the status; returns `status` unchanged. */
radx_status radx_fail_context(radx_status status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
