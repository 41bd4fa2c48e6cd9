/*
 * Braille translation through liblouis: the tables of each language,
 * numbers always uncontracted, Braille patterns copied, the Kazakh letters
 * that kk.utb must know, and backward translation back to the text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "accessibility/louis.h"
#include "tests/unit/unit.h"

/* TEXT translated by louis_braille() as Unicode Braille (caller frees). */
static char *
braille(enum lang lang, bool contracted, const char *text)
{
    unsigned char *cells;
    size_t n;
    char *why = NULL;
    if (louis_braille(lang, contracted, text, &cells, &n, &why) < 0)
        fail_msg("%s", why);
    char *u = louis_unicode(cells, n);
    free(cells);
    return u;
}

/* TEXT translated with TABLE alone (caller frees). */
static char *
table(const char *tbl, const char *text)
{
    unsigned char *cells;
    size_t n;
    char *why = NULL;
    if (louis_translate(tbl, text, &cells, &n, &why) < 0)
        fail_msg("%s", why);
    char *u = louis_unicode(cells, n);
    free(cells);
    return u;
}

static void
test_tables_per_language(void **state)
{
    (void)state;
    assert_string_equal(louis_table(LANG_KK, false), "kk.utb");
    assert_string_equal(louis_table(LANG_KK, true), "kk.utb");
    assert_string_equal(louis_table(LANG_RU, false), "ru-litbrl.ctb");
    assert_string_equal(louis_table(LANG_RU, true), "ru-ru-g1.ctb");
    assert_string_equal(louis_table(LANG_EN, false), "en-ueb-g1.ctb");
    assert_string_equal(louis_table(LANG_EN, true), "en-ueb-g2.ctb");
}

static void
test_russian_text(void **state)
{
    (void)state;
    /* о к н о, number sign 3, и з, number sign 7. */
    char *s = braille(LANG_RU, false, "Окно 3 из 7");
    assert_string_equal(s, "⠕⠅⠝⠕⠀⠼⠉⠀⠊⠵⠀⠼⠛");
    free(s);
    /* Contracted: "из" becomes one sign, the numbers do not change. */
    s = braille(LANG_RU, true, "Окно 3 из 7");
    assert_string_equal(s, "⠕⠅⠣⠀⠼⠉⠀⠤⠀⠼⠛");
    free(s);
}

static void
test_numbers_stay_uncontracted(void **state)
{
    (void)state;
    /* Grade 2 contracts "the" and "in" even next to a digit; a word with
     * a digit is read uncontracted whatever the setting. */
    char *g2 = table("en-ueb-g2.ctb", "the3");
    assert_string_equal(g2, "⠮⠼⠉");
    free(g2);
    char *s = braille(LANG_EN, true, "the3 in2");
    assert_string_equal(s, "⠞⠓⠑⠼⠉⠀⠊⠝⠼⠃");
    free(s);
    /* The words without digits around them are still contracted. */
    s = braille(LANG_EN, true, "Window 3 of 7, the number");
    assert_string_equal(s, "⠠⠺⠔⠙⠪⠀⠼⠉⠀⠷⠀⠼⠛⠂⠀⠮⠀⠝⠥⠍⠃⠻");
    free(s);
    /* Russian: "окно3" keeps its н and о. */
    s = braille(LANG_RU, true, "окно3");
    assert_string_equal(s, "⠕⠅⠝⠕⠼⠉");
    free(s);
    /* An application number, grouped as on the screen. */
    s = braille(LANG_KK, true, "123 456 789");
    assert_string_equal(s, "⠼⠁⠃⠉⠀⠼⠙⠑⠋⠀⠼⠛⠓⠊");
    free(s);
}

static void
test_patterns_copied(void **state)
{
    (void)state;
    char *s = braille(LANG_EN, true, "Braille ⠼⠉: the");
    assert_string_equal(s, "⠠⠃⠗⠇⠀⠼⠉⠒⠀⠮");
    free(s);
    s = braille(LANG_KK, false, "⠼⠉");
    assert_string_equal(s, "⠼⠉");
    free(s);
}

static void
test_kazakh_letters(void **state)
{
    (void)state;
    /* Each of the nine letters of Kazakh that Russian lacks is one
     * non-blank cell in kk.utb (docs/braille.md); an unknown letter would
     * come out as liblouis's escape, several cells long. */
    static const char *const letters[] = {"ә", "ғ", "қ", "ң", "ө",
                                          "ұ", "ү", "һ", "і"};
    static const unsigned char dots[] = {0x1c, 0x3b, 0x39, 0x29, 0x23,
                                         0x2c, 0x0c, 0x27, 0x3d};
    for (size_t i = 0; i < sizeof letters / sizeof letters[0]; i++) {
        unsigned char *cells;
        size_t n;
        char *why = NULL;
        assert_int_equal(louis_braille(LANG_KK, false, letters[i], &cells, &n,
                                       &why),
                         0);
        assert_int_equal(n, 1);
        assert_int_equal(cells[0], dots[i]);
        free(cells);
    }
}

static void
test_back_translation_round_trip(void **state)
{
    (void)state;
    static const struct {
        enum lang lang;
        bool contracted;
        const char *text;
    } cases[] = {
        /* Russian Braille marks no capitals: lower case comes back. */
        {LANG_RU, false, "окно 3 из 7. ваш номер 123 456 789"},
        {LANG_EN, false, "Window 3 of 7"},
        {LANG_EN, true, "Window 3 of 7, the number 123 456 789"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned char *cells;
        size_t n;
        char *why = NULL, *text = NULL;
        assert_int_equal(louis_braille(cases[i].lang, cases[i].contracted,
                                       cases[i].text, &cells, &n, &why),
                         0);
        assert_int_equal(louis_back(louis_table(cases[i].lang,
                                                cases[i].contracted),
                                    cells, n, &text, &why),
                         0);
        assert_string_equal(text, cases[i].text);
        free(text);
        free(cells);
    }
}

static void
test_errors(void **state)
{
    (void)state;
    unsigned char *cells = (unsigned char *)"x";
    size_t n = 9;
    char *why = NULL;
    assert_int_equal(louis_translate("no-such-table.ctb", "a", &cells, &n,
                                     &why),
                     -1);
    assert_null(cells);
    assert_non_null(strstr(why, "no-such-table.ctb"));
    free(why);
    why = NULL;
    assert_int_equal(louis_braille(LANG_RU, false, "a\xff", &cells, &n, &why),
                     -1);
    assert_non_null(strstr(why, "UTF-8"));
    free(why);
    /* Empty text: no cells, no error. */
    assert_int_equal(louis_braille(LANG_RU, true, "  ", &cells, &n, &why), 0);
    assert_int_equal(n, 0);
    assert_null(cells);
}

static void
test_dots_and_unicode(void **state)
{
    (void)state;
    char d[9];
    louis_dots(0x3c, d);
    assert_string_equal(d, "3456");
    louis_dots(0, d);
    assert_string_equal(d, "");
    louis_dots(0xff, d);
    assert_string_equal(d, "12345678");
    const unsigned char cells[] = {0x01, 0x00, 0xff};
    char *u = louis_unicode(cells, 3);
    assert_string_equal(u, "⠁⠀⣿");
    free(u);
}

static int
teardown(void **state)
{
    (void)state;
    louis_cleanup();
    return 0;
}

UNIT_MAIN(NULL, teardown, cmocka_unit_test(test_tables_per_language),
          cmocka_unit_test(test_russian_text),
          cmocka_unit_test(test_numbers_stay_uncontracted),
          cmocka_unit_test(test_patterns_copied),
          cmocka_unit_test(test_kazakh_letters),
          cmocka_unit_test(test_back_translation_round_trip),
          cmocka_unit_test(test_errors),
          cmocka_unit_test(test_dots_and_unicode))
