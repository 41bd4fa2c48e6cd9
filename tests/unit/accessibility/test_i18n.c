/*
 * Translations: language codes, lookups without catalogues, and
 * i18n_format's placeholders and cuts. A cut result must be exactly the
 * bytes that fit, ending on a whole UTF-8 character, whatever the output
 * buffer held before the call (the buffers are filled with bytes that
 * would fool a formatter that reads what it never wrote).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "accessibility/i18n.h"
#include "accessibility/utf8.h"

/* Whether S is valid UTF-8 from start to NUL. */
static bool
valid_utf8(const char *s)
{
    size_t len = strlen(s);
    while (len > 0) {
        uint32_t cp;
        int n = utf8_decode(s, len, &cp);
        if (n < 0)
            return false;
        s += n;
        len -= (size_t)n;
    }
    return true;
}

/* Formats into a heap buffer of exactly SIZE bytes, first filled with
 * FILL, and checks the result against WANT. A heap buffer of the exact
 * size lets the address sanitizer see a write past its end. */
static void
check_format(size_t size, unsigned char fill, const char *tmpl, size_t n,
             const char *const *args, const char *want)
{
    char *out = malloc(size);
    assert_non_null(out);
    memset(out, fill, size);
    assert_ptr_equal(i18n_format(out, size, tmpl, n, args), out);
    assert_string_equal(out, want);
    assert_true(valid_utf8(out));
    free(out);
}

static void
test_placeholders(void **state)
{
    (void)state;
    const char *const args[] = {"Алматы", "12"};
    check_format(64, 'x', "{1}, № {2}", 2, args, "Алматы, № 12");
    check_format(64, 'x', "{2}{1}{2}", 2, args, "12Алматы12");
    /* A placeholder without an argument and malformed ones stay as
     * written: a translator's typo shows, it never reads past ARGS. */
    check_format(64, 'x', "{3} {0} {1 {x}", 2, args, "{3} {0} {1 {x}");
    check_format(64, 'x', "end {", 2, args, "end {");
    check_format(64, 'x', "", 2, args, "");
}

/* A text that fits exactly is kept whole: the byte after it in the
 * buffer (never written) must not decide where it ends. */
static void
test_exact_fit_is_whole(void **state)
{
    (void)state;
    const char *const args[] = {"Қ"};
    check_format(6, 0x80, "abcde", 0, NULL, "abcde");
    check_format(6, 0xBF, "abc{1}", 1, args, "abcҚ");
    check_format(4, 0x80, "aҚ", 0, NULL, "aҚ");
    check_format(1, 0x80, "", 0, NULL, "");
}

/* A cut inside a character, in the template or in an argument, drops the
 * whole character, whatever the buffer held. */
static void
test_cut_never_ends_inside_a_letter(void **state)
{
    (void)state;
    const char *const args[] = {"aҚ", "€😀"};
    for (unsigned fill = 0; fill < 256; fill += 0x11) {
        unsigned char f = (unsigned char)fill;
        check_format(4, f, "abҚz", 0, NULL, "ab");  /* 2-byte letter */
        check_format(3, f, "{1}", 1, args, "a");    /* in an argument */
        check_format(3, f, "€", 0, NULL, "");       /* 3 bytes, 2 fit */
        check_format(6, f, "x{2}", 2, args, "x€");  /* 4 bytes, 1 fits */
        check_format(8, f, "x{2}", 2, args, "x€");  /* 4 bytes, 3 fit */
        check_format(9, f, "x{2}", 2, args, "x€😀"); /* exactly */
        check_format(2, f, "Қ", 0, NULL, "");
        check_format(1, f, "abc", 0, NULL, "");
    }
}

static void
test_lookups_without_catalogues(void **state)
{
    (void)state;
    struct i18n *t = i18n_new_empty();
    assert_string_equal(i18n_text(t, LANG_RU, "Finish"), "Finish");
    assert_string_equal(i18n_text(t, LANG_COUNT, "Finish"), "Finish");
    assert_int_equal(i18n_count(t, LANG_KK), 0);
    i18n_free(t);
    i18n_free(NULL);

    enum lang l = LANG_EN;
    assert_int_equal(lang_from_code("ru", &l), 0);
    assert_int_equal(l, LANG_RU);
    assert_int_equal(lang_from_code("de", &l), -1);
    assert_int_equal(l, LANG_RU);
    assert_string_equal(lang_code(LANG_KK), "kk");
    assert_string_equal(lang_native_name(LANG_RU), "Русский");

    char *why = NULL;
    assert_null(i18n_new("/nonexistent-dauys-locale", &why));
    assert_non_null(strstr(why, "cannot open the catalogue"));
    free(why);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_exact_fit_is_whole),
        cmocka_unit_test(test_cut_never_ends_inside_a_letter),
        cmocka_unit_test(test_lookups_without_catalogues),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
