/*
 * The benchmarks' clock and median; see timing.h.
 */
#include "tests/bench/timing.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

double
bench_now_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
        perror("clock_gettime");
        exit(1);
    }
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double
bench_median(double *t, size_t n)
{
    return bench_percentile(t, n, 50);
}

double
bench_percentile(double *t, size_t n, unsigned pct)
{
    qsort(t, n, sizeof t[0], cmp_double);
    return t[n * pct / 100];
}
