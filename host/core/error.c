#include "core/error.h"

#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { RADX_ERROR_CAPACITY = 2048 };

static _Thread_local char error_buffer[RADX_ERROR_CAPACITY];

const char *radx_status_name(radx_status status)
{
    switch (status) {
    case RADX_OK: return "RADX_OK";
    case RADX_ERR_IO: return "RADX_ERR_IO";
    case RADX_ERR_FORMAT: return "RADX_ERR_FORMAT";
    case RADX_ERR_PARAM: return "RADX_ERR_PARAM";
    case RADX_ERR_GEOMETRY: return "RADX_ERR_GEOMETRY";
    case RADX_ERR_ROI: return "RADX_ERR_ROI";
    case RADX_ERR_LIMIT: return "RADX_ERR_LIMIT";
    case RADX_ERR_NOMEM: return "RADX_ERR_NOMEM";
    case RADX_ERR_NUMERIC: return "RADX_ERR_NUMERIC";
    case RADX_ERR_UNSUPPORTED: return "RADX_ERR_UNSUPPORTED";
    case RADX_ERR_DEVICE: return "RADX_ERR_DEVICE";
    case RADX_ERR_INTERNAL: return "RADX_ERR_INTERNAL";
    }
    return "RADX_ERR_UNKNOWN";
}

const char *radx_last_error(void) { return error_buffer; }

void radx_clear_error(void) { error_buffer[0] = '\0'; }

radx_status radx_fail(radx_status status, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vsnprintf(error_buffer, sizeof error_buffer, fmt, args);
    va_end(args);
    return status;
}

radx_status radx_fail_context(radx_status status, const char *fmt, ...)
{
    char prefix[512];
    char previous[RADX_ERROR_CAPACITY];
    va_list args;
    va_start(args, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, args);
    va_end(args);
    memcpy(previous, error_buffer, sizeof previous);
    snprintf(error_buffer, sizeof error_buffer, "%.511s: %.1500s", prefix, previous);
    return status;
}

/* GSL's default error handler aborts the process; radx checks GSL's return
 * codes instead, so that the library never exits. Installed when the
 * library is loaded (it lives here because every program that links radx
 * links this file); it affects the whole process. */
__attribute__((constructor)) static void radx_gsl_errors_as_codes(void)
{
    gsl_set_error_handler_off();
}
