/*
 * The Damm check digit: the published example, and exhaustively over all
 * 5-digit numbers (with their check digit): every
 * single-digit error and every adjacent transposition is detected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "services/damm.h"
#include "tests/unit/unit.h"

static void
test_known_values(void **state)
{
    (void)state;
    assert_int_equal(damm_digit("572"), 4); /* Damm's example: 5724 */
    assert_true(damm_valid("5724"));
    assert_false(damm_valid("5723"));
    assert_int_equal(damm_digit(""), 0);
    assert_false(damm_valid(""));
    assert_int_equal(damm_digit("12a"), -1);
    assert_false(damm_valid("57 24"));
}

static void
test_every_single_error_and_transposition_detected(void **state)
{
    (void)state;
    char s[8];
    for (long n = 0; n < 100000; n++) {
        snprintf(s, sizeof s, "%05ld", n);
        int c = damm_digit(s);
        assert_true(c >= 0 && c <= 9);
        s[5] = (char)('0' + c);
        s[6] = '\0';
        assert_true(damm_valid(s));
        for (int i = 0; i < 6; i++) {
            char keep = s[i];
            for (char d = '0'; d <= '9'; d++) {
                if (d == keep)
                    continue;
                s[i] = d;
                assert_false(damm_valid(s));
            }
            s[i] = keep;
        }
        for (int i = 0; i < 5; i++) {
            if (s[i] == s[i + 1])
                continue;
            char t = s[i];
            s[i] = s[i + 1];
            s[i + 1] = t;
            assert_false(damm_valid(s));
            s[i + 1] = s[i];
            s[i] = t;
        }
    }
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_known_values),
          cmocka_unit_test(test_every_single_error_and_transposition_detected))
