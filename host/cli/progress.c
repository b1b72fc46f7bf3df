#include "cli/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double radx_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void radx_progress_start(radx_progress *p, const char *unit, long total)
{
    p->unit = unit;
    p->total = total;
    p->done = 0;
    p->start = radx_now();
    p->last_draw = 0.0;
    p->enabled = isatty(fileno(stderr));
}

static void draw(radx_progress *p, double now)
{
    double elapsed = now - p->start;
    double rate = elapsed > 0 ? (double)p->done / elapsed : 0.0;
    long eta = rate > 0 ? (long)((double)(p->total - p->done) / rate + 0.5) : 0;
    fprintf(stderr, "\r%ld/%ld %s  %.1f %s/s  ETA %ld:%02ld:%02ld   ", p->done, p->total, p->unit,
            rate, p->unit, eta / 3600, eta / 60 % 60, eta % 60);
    fflush(stderr);
    p->last_draw = now;
}

void radx_progress_add(radx_progress *p, long n)
{
    p->done += n;
    if (!p->enabled) return;
    double now = radx_now();
    if (now - p->last_draw >= 0.1 || p->done == p->total) draw(p, now);
}

void radx_progress_finish(radx_progress *p)
{
    if (p->enabled) fprintf(stderr, "\r%*s\r", 70, "");
}
