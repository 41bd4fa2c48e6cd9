/*
 * What every unit test binary shares: its main() and its scratch folders.
 * A test file lists its cases once, in UNIT_MAIN, and cmocka runs them as
 * one group named "tests" (the name tests/run-unit.sh reports under).
 * Tests that write files do so in a folder of their own under $TMPDIR,
 * made and removed here (tests/unit/unit.c is linked into every test).
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

/* Makes a new empty folder $TMPDIR/NAME-XXXXXX ($TMPDIR unset: /tmp) and
 * writes its path to DIR, which has SIZE bytes. Returns 0, or -1 when the
 * path does not fit or the folder cannot be made. */
int unit_tmpdir(char *dir, size_t size, const char *name);

/* The char **why of a load under test, for the two calls below: a test
 * passes unit_why() as the loader's last argument and the loader's result
 * to unit_ok() or unit_refused() right away, e.g.
 *     unit_ok(psf_load(path, &font, unit_why()));
 * Each call starts a new, empty reason. */
char **unit_why(void);

/* Fails the test with the reason unit_why() received when RC is negative
 * (the load under test failed). */
void unit_ok(int rc);

/* Fails the test unless RC is -1 (the load under test refused); returns
 * the reason unit_why() received, which the caller frees. */
char *unit_refused(int rc);

/* Removes DIR and everything below it (links are removed, not followed).
 * Returns 0, or -1 when something could not be removed. */
int unit_rmtree(const char *dir);

#endif
