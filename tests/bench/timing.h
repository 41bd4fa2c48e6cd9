/*
 * What every benchmark measures with: a monotonic clock in milliseconds and
 * the median (or another percentile) of a set of runs (the median, not the
 * mean, so that one run disturbed by the machine does not move the figure). bench.mk links
 * timing.c into every benchmark program.
 */
#ifndef DAUYS_TESTS_BENCH_TIMING_H
#define DAUYS_TESTS_BENCH_TIMING_H

#include <stddef.h>

/* Returns the monotonic clock in milliseconds; exits if it cannot be read
 * (a benchmark without a clock has nothing to say). */
double bench_now_ms(void);

/* Sorts the N (at least 1) times T in place and returns their median. */
double bench_median(double *t, size_t n);

/* Sorts the N (at least 1) times T in place and returns the one PCT
 * percent of the way up (0 to 99: 99 is the p99 latency). */
double bench_percentile(double *t, size_t n, unsigned pct);

#endif
