/* Shared helpers for radx tests (cmocka). */
#ifndef RADX_TESTUTIL_H
#define RADX_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* 1 if |a-b| <= max(abs_tol, rel_tol*max(|a|,|b|)), both NaN, or equal infinities. */
int radx_test_close(double a, double b, double rel_tol, double abs_tol);

/* Fail the test with a message naming `what` if a and b are not close. */
#define assert_close(what, a, b, rel, abs_)                                          \
    do {                                                                             \
        double _a = (a), _b = (b);                                                   \
        if (!radx_test_close(_a, _b, (rel), (abs_)))                                 \
            fail_msg("%s: got %.17g, expected %.17g (rel %.3g)", (what), _a, _b,     \
                     (_b != 0 ? (_a - _b) / _b : _a - _b));                          \
    } while (0)

/* Assert that `haystack` contains `needle`, printing both if not. */
#define assert_contains(haystack, needle)                                            \
    do {                                                                             \
        const char *_h = (haystack), *_n = (needle);                                 \
        if (!_h || !strstr(_h, _n))                                                  \
            fail_msg("expected \"%s\" in \"%s\"", _n, _h ? _h : "(null)");           \
    } while (0)

/* Read a whole file into a NUL-terminated buffer (caller frees); NULL on error. */
char *radx_test_read_file(const char *path, size_t *length);

/* Write `text` to a new temporary file with the given suffix; returns its
 * path in a static-per-call malloc'd string (caller frees). */
char *radx_test_temp_file(const char *suffix, const char *text);

/* Pin the OpenCL feature reduction to the host (RADX_CL_REDUCE=host): tests
 * that compare OpenCL results bit for bit with the CPU path need it, since on a
 * GPU AUTO reduces on the device, which agrees only within 1e-9
 * (tests/test_cl_reduce.c). Call first thing in main(). */
void radx_test_pin_host_reduction(void);

#endif
