/*
 * IIN validation: the examples of reference/context.md, the business
 * number rule, lengths and characters, birth-date digits never refused,
 * and an exhaustive sweep of a million 11-digit prefixes against an
 * independent statement of the rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "services/iin.h"
#include "tests/unit/unit.h"

static void
test_reference_examples(void **state)
{
    (void)state;
    assert_int_equal(iin_check("061211600012"), IIN_OK);
    assert_int_equal(iin_check("791028302728"), IIN_OK);
    /* 821214240092 can never be valid: no 12th digit matches. */
    for (char d = '0'; d <= '9'; d++) {
        char s[] = "821214240092";
        s[11] = d;
        assert_int_not_equal(iin_check(s), IIN_OK);
    }
    assert_int_equal(iin_check_digit("82121424009"), -1);
    assert_int_equal(iin_check("821214240092"), IIN_NEVER_ISSUED);
    assert_int_equal(iin_check("061211600013"), IIN_CHECK);
    assert_int_equal(iin_check("791028302729"), IIN_CHECK);
}

static void
test_business_number_by_fifth_digit(void **state)
{
    (void)state;
    for (char d = '0'; d <= '9'; d++) {
        char s[] = "061211600012";
        s[4] = d;
        enum iin_result r = iin_check(s);
        if (d >= '4' && d <= '6')
            assert_int_equal(r, IIN_BUSINESS);
        else
            assert_int_not_equal(r, IIN_BUSINESS);
    }
}

static void
test_lengths_and_characters(void **state)
{
    (void)state;
    assert_int_equal(iin_check(""), IIN_LENGTH);
    assert_int_equal(iin_check("06121160001"), IIN_LENGTH);
    assert_int_equal(iin_check("0612116000120"), IIN_LENGTH);
    assert_int_equal(iin_check("06121160001a"), IIN_NOT_DIGITS);
    assert_int_equal(iin_check("06121 600012"), IIN_NOT_DIGITS);
    assert_int_equal(iin_check("+61211600012"), IIN_NOT_DIGITS);
}

/* The rule as context.md states it, written out separately. */
static int
reference_digit(const char *d)
{
    int s = 0;
    for (int i = 1; i <= 11; i++)
        s += (d[i - 1] - '0') * i;
    if (s % 11 != 10)
        return s % 11;
    static const int w[] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
    s = 0;
    for (int i = 0; i < 11; i++)
        s += (d[i] - '0') * w[i];
    return s % 11 == 10 ? -1 : s % 11;
}

static void
test_exhaustive_million_prefixes(void **state)
{
    (void)state;
    /* Prefix 99133 (a 13th month: birth-date digits are never checked),
     * then every value of digits 6..11. */
    char s[13] = "991330000000";
    long never = 0;
    for (long n = 0; n < 1000000; n++) {
        snprintf(s + 5, 7, "%06ld", n);
        int ref = reference_digit(s);
        assert_int_equal(iin_check_digit(s), ref);
        never += ref < 0;
        int ok = 0;
        for (char d = '0'; d <= '9'; d++) {
            s[11] = d;
            s[12] = '\0';
            enum iin_result r = iin_check(s);
            if (r == IIN_OK)
                ok++;
            else
                assert_int_equal(r, ref < 0 ? IIN_NEVER_ISSUED : IIN_CHECK);
        }
        assert_int_equal(ok, ref < 0 ? 0 : 1);
        s[11] = '\0';
    }
    /* About 1 in 121 prefixes can never be issued. */
    assert_true(never > 5000 && never < 12000);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_reference_examples),
          cmocka_unit_test(test_business_number_by_fifth_digit),
          cmocka_unit_test(test_lengths_and_characters),
          cmocka_unit_test(test_exhaustive_million_prefixes))
