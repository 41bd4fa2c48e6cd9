/*
 * UTF-8: the strict decoder refuses what the shown decoder reads as U+FFFD,
 * one byte at a time, so that displayed text never stalls on a bad byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "accessibility/utf8.h"
#include "tests/unit/unit.h"

static void
test_valid_letters_decode_alike(void **state)
{
    (void)state;
    const char *s = "\xd3\x98"; /* Ә */
    uint32_t a = 0, b = 0;
    assert_int_equal(utf8_decode(s, 2, &a), 2);
    assert_int_equal(utf8_decode_shown(s, 2, &b), 2);
    assert_int_equal(a, 0x04d8);
    assert_int_equal(b, 0x04d8);
}

static void
test_invalid_bytes_are_replacement_characters(void **state)
{
    (void)state;
    /* an overlong '/', a lone continuation byte, a cut-off letter */
    static const char *const bad[] = {"\xc0\xaf", "\x80", "\xd3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t cp = 0;
        size_t len = i == 0 ? 2 : 1;
        assert_int_equal(utf8_decode(bad[i], len, &cp), -1);
        assert_int_equal(utf8_decode_shown(bad[i], len, &cp), 1);
        assert_int_equal(cp, 0xfffd);
    }
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_valid_letters_decode_alike),
          cmocka_unit_test(test_invalid_bytes_are_replacement_characters))
