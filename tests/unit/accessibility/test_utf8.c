/*
 * UTF-8: the strict decoder refuses what the shown decoder reads as U+FFFD,
 * one byte at a time, so that displayed text never stalls on a bad byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

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

/* Controls are shown, never acted on: C1 (U+009B is CSI on the Linux
 * console), C0 but newline and tab, DEL, and bytes that are not UTF-8. */
static void
test_escape_shows_controls(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain Қазақ text\n\tok", "plain Қазақ text\n\tok"},
        {"a\xc2\x9b"
         "31mb",
         "a\\u009b31mb"},
        {"\xc2\x80\xc2\x9f\xc2\xa0", "\\u0080\\u009f\xc2\xa0"},
        {"\x1b[2J\r\x7f", "\\u001b[2J\\u000d\\u007f"},
        {"bad \xff\x9b end", "bad \\xff\\x9b end"},
    };
    char out[128];
    size_t used;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = utf8_escape(cases[i].in, strlen(cases[i].in), 1, out, &used);
        assert_string_equal(out, cases[i].out);
        assert_int_equal(n, strlen(cases[i].out));
        assert_int_equal(used, strlen(cases[i].in));
    }
    /* Written in pieces: a sequence cut in two waits for its end. */
    size_t n = utf8_escape("x\xc2", 2, 0, out, &used);
    assert_string_equal(out, "x");
    assert_int_equal(n, 1);
    assert_int_equal(used, 1);
    utf8_escape("\xc2", 1, 1, out, &used);
    assert_string_equal(out, "\\xc2");
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_valid_letters_decode_alike),
          cmocka_unit_test(test_invalid_bytes_are_replacement_characters),
          cmocka_unit_test(test_escape_shows_controls))
