/*
 * Braille number cells: the patterns a voter feels beside each stencil
 * window, checked against the Unicode Braille block and the dot numbers
 * printed in Braille primers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "ballot/braille.h"
#include "tests/unit/unit.h"

static void
test_digits_are_first_decade(void **state)
{
    (void)state;
    /* a b c d e f g h i j as dot numbers, for 1 2 3 4 5 6 7 8 9 0. */
    static const char *const dots[10] = {"245", "1",   "12",   "14",  "145",
                                         "15",  "124", "1245", "125", "24"};
    for (int d = 0; d <= 9; d++) {
        uint8_t cell = braille_digit(d);
        char *s = braille_describe_dots(&cell, 1);
        assert_string_equal(s, dots[d]);
        free(s);
    }
    assert_int_equal(braille_digit(10), 0);
    assert_int_equal(braille_digit(-1), 0);
}

static void
test_number_sign_then_digits(void **state)
{
    (void)state;
    uint8_t cells[BRAILLE_NUMBER_MAX_CELLS];
    size_t n = braille_number(12, cells, sizeof cells);
    assert_int_equal(n, 3);
    assert_int_equal(cells[0], BRAILLE_NUMBER_SIGN);
    char *s = braille_describe_dots(cells, n);
    assert_string_equal(s, "3456 1 12");
    free(s);
    s = braille_to_unicode(cells, n);
    assert_string_equal(s, "\u283c\u2801\u2803"); /* ⠼⠁⠃ */
    free(s);
}

static void
test_zero_and_round_numbers(void **state)
{
    (void)state;
    uint8_t cells[BRAILLE_NUMBER_MAX_CELLS];
    size_t n = braille_number(0, cells, sizeof cells);
    assert_int_equal(n, 2);
    char *s = braille_to_unicode(cells, n);
    assert_string_equal(s, "\u283c\u281a"); /* ⠼⠚ */
    free(s);
    n = braille_number(64, cells, sizeof cells);
    s = braille_to_unicode(cells, n);
    assert_string_equal(s, "\u283c\u280b\u2819"); /* ⠼⠋⠙ = #fd */
    free(s);
    n = braille_number(100, cells, sizeof cells);
    s = braille_describe_dots(cells, n);
    assert_string_equal(s, "3456 1 245 245");
    free(s);
}

static void
test_largest_number_fits(void **state)
{
    (void)state;
    uint8_t cells[BRAILLE_NUMBER_MAX_CELLS];
    size_t n = braille_number((unsigned long)-1, cells, sizeof cells);
    assert_true(n >= 2);
    assert_true(n <= BRAILLE_NUMBER_MAX_CELLS);
    assert_int_equal(cells[0], BRAILLE_NUMBER_SIGN);
}

static void
test_too_small_buffer_writes_nothing(void **state)
{
    (void)state;
    uint8_t cells[3] = {0xFF, 0xFF, 0xFF};
    assert_int_equal(braille_number(123, cells, 3), 0);
    assert_int_equal(cells[0], 0xFF);
    assert_int_equal(braille_number(12, cells, 3), 3);
}

static void
test_dot_geometry(void **state)
{
    (void)state;
    double x = -1, y = -1;
    assert_int_equal(braille_dot_offset_mm(1, &x, &y), 0);
    assert_true(x == 0.0 && y == 0.0);
    assert_int_equal(braille_dot_offset_mm(3, &x, &y), 0);
    assert_true(x == 0.0 && y == 2 * BRAILLE_DOT_PITCH_MM);
    assert_int_equal(braille_dot_offset_mm(5, &x, &y), 0);
    assert_true(x == BRAILLE_DOT_PITCH_MM && y == BRAILLE_DOT_PITCH_MM);
    assert_int_equal(braille_dot_offset_mm(7, &x, &y), -1);
    assert_true(x == BRAILLE_DOT_PITCH_MM && y == BRAILLE_DOT_PITCH_MM);
    assert_true(braille_has_dot(BRAILLE_NUMBER_SIGN, 3));
    assert_false(braille_has_dot(BRAILLE_NUMBER_SIGN, 1));
    assert_false(braille_has_dot(0xFF, 7));
    assert_false(braille_has_dot(0xFF, 0));
}

static void
test_empty_cell_described(void **state)
{
    (void)state;
    uint8_t cell = 0;
    char *s = braille_describe_dots(&cell, 1);
    assert_string_equal(s, "0");
    free(s);
    s = braille_describe_dots(NULL, 0);
    assert_string_equal(s, "");
    free(s);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_digits_are_first_decade),
          cmocka_unit_test(test_number_sign_then_digits),
          cmocka_unit_test(test_zero_and_round_numbers),
          cmocka_unit_test(test_largest_number_fits),
          cmocka_unit_test(test_too_small_buffer_writes_nothing),
          cmocka_unit_test(test_dot_geometry),
          cmocka_unit_test(test_empty_cell_described))
