/*
 * Digit readout: the one helper through which IINs, phone numbers and
 * application numbers are spoken and shown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "accessibility/readout.h"
#include "tests/unit/unit.h"

static void
test_digits_grouped_in_threes(void **state)
{
    (void)state;
    char *s = readout_digits("061211600012", 3);
    assert_string_equal(s, "0 6 1, 2 1 1, 6 0 0, 0 1 2");
    free(s);
}

static void
test_digits_skip_separators(void **state)
{
    (void)state;
    char *s = readout_digits("+7 701-234", 0);
    assert_string_equal(s, "7 7 0 1 2 3 4");
    free(s);
    s = readout_digits("", 4);
    assert_string_equal(s, "");
    free(s);
}

static void
test_grouped_for_screen(void **state)
{
    (void)state;
    char *s = readout_grouped("a1b2c3d4e5", 4);
    assert_string_equal(s, "a1b2 c3d4 e5");
    free(s);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_digits_grouped_in_threes),
          cmocka_unit_test(test_digits_skip_separators),
          cmocka_unit_test(test_grouped_for_screen))
