/*
 * What every unit test binary shares: its main(). A test file lists its
 * cases once, in UNIT_MAIN, and cmocka runs them as one group named
 * "tests" (the name tests/run-unit.sh reports under).
 */
#ifndef DAUYS_TESTS_UNIT_UNIT_H
#define DAUYS_TESTS_UNIT_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Defines main(): runs the cmocka_unit_test() entries that follow as one
 * group, with SETUP and TEARDOWN around it (NULL: none), and returns the
 * number of failed tests. */
#define UNIT_MAIN(setup, teardown, ...)                                    \
    int main(void)                                                         \
    {                                                                      \
        const struct CMUnitTest tests[] = {__VA_ARGS__};                   \
        return cmocka_run_group_tests(tests, setup, teardown);             \
    }

/* A cmocka test case F run between the file's own setup() and teardown(),
 * for files whose every test starts from a fresh fixture. */
#define UNIT_FRESH(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

#endif
