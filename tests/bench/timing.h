/*
 * What every benchmark measures with: a monotonic clock in milliseconds and
 * the median of a set of runs (the median, not the mean, so that one run
 * disturbed by the machine does not move the figure). bench.mk links
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

#endif
