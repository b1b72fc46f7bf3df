/* A progress line on stderr for long work: "done/total, rate/s, ETA",
 * redrawn in place when stderr is a terminal; silent otherwise. */
#ifndef RADX_CLI_PROGRESS_H
#define RADX_CLI_PROGRESS_H

typedef struct radx_progress {
    const char *unit;        /* "cases" */
    long total, done;
    double start, last_draw;
    int enabled;
} radx_progress;

double radx_now(void);
void radx_progress_start(radx_progress *p, const char *unit, long total);
/* Count `n` more done; redraws at most 10 times a second. Not thread-safe:
 * call from one thread (e.g. inside an omp critical section). */
void radx_progress_add(radx_progress *p, long n);
/* Clear the line (when drawn). */
void radx_progress_finish(radx_progress *p);

#endif
