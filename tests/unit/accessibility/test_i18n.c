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
#include "tests/unit/unit.h"

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

#define RU_RULE                                                                \
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "    \
    "(n%100<10 || n%100>=20) ? 1 : 2);"

/* The rules of po/ru.po, po/kk.po and po/en.po, and malformed ones. */
static void
test_plural_rules(void **state)
{
    (void)state;
    static const struct {
        unsigned long n;
        int form;
    } ru[] = {{0, 2},   {1, 0},   {2, 1},   {4, 1},   {5, 2},  {11, 2},
              {12, 2},  {14, 2},  {21, 0},  {22, 1},  {25, 2}, {101, 0},
              {111, 2}, {112, 2}, {122, 1}, {1000, 2}};
    for (size_t i = 0; i < sizeof ru / sizeof *ru; i++)
        assert_int_equal(i18n_plural_index(RU_RULE, ru[i].n), ru[i].form);
    assert_int_equal(i18n_plural_index("nplurals=1; plural=0;", 5), 0);
    assert_int_equal(i18n_plural_index("nplurals=2; plural=(n != 1);", 1), 0);
    assert_int_equal(i18n_plural_index("nplurals=2; plural=(n != 1);", 0), 1);
    static const char *const bad[] = {
        "nplurals=2; plural=n/0;",
        "nplurals=2; plural=(n != 1;",
        "nplurals=2; plural=n+;",
        "nplurals=2; plural=n ? 1;",
        "nplurals=2; plural=2;",
        "plural=0;",
        "nplurals=0; plural=0;",
        "nplurals=2; plural=n x 1;",
        "nplurals=2;",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(i18n_plural_index(bad[i], 1), -1);
}

/* Writes PO for LANG under DIR and compiles it with msgfmt (without its
 * checks when CHECK is false: a bad rule must reach the reader). */
static void
write_catalogue_checked(const char *dir, const char *lang, const char *po,
                        bool check)
{
    char path[512], cmd[1200];
    snprintf(path, sizeof path, "%s/%s/LC_MESSAGES", dir, lang);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", path);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/%s.po", dir, lang);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(po, f);
    assert_int_equal(fclose(f), 0);
    snprintf(cmd, sizeof cmd,
             "msgfmt %s -o '%s/%s/LC_MESSAGES/dauys.mo' '%s' 2>/dev/null",
             check ? "--check" : "", dir, lang, path);
    assert_int_equal(system(cmd), 0);
}

static void
write_catalogue(const char *dir, const char *lang, const char *po)
{
    write_catalogue_checked(dir, lang, po, true);
}

#define PO_HEAD(rule)                                                           \
    "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n" \
    "\"Plural-Forms: " rule "\\n\"\n\n"
#define PO_DAYS "msgid \"{1} day\"\nmsgid_plural \"{1} days\"\n"

/* i18n_ntext() picks the catalogue's form for the count; a language
 * without the entry falls back to the English singular or plural. */
static void
test_plural_lookups(void **state)
{
    (void)state;
    char dir[256];
    assert_int_equal(unit_tmpdir(dir, sizeof dir, "i18n"), 0);
    write_catalogue(dir, "ru",
                    PO_HEAD(RU_RULE) PO_DAYS "msgstr[0] \"{1} день\"\n"
                                             "msgstr[1] \"{1} дня\"\n"
                                             "msgstr[2] \"{1} дней\"\n\n"
                                             "msgid \"Finish\"\n"
                                             "msgstr \"Завершить\"\n");
    write_catalogue(dir, "kk",
                    PO_HEAD("nplurals=1; plural=0;") PO_DAYS
                    "msgstr[0] \"{1} күн\"\n");
    write_catalogue(dir, "en", PO_HEAD("nplurals=2; plural=(n != 1);"));
    char *why = NULL;
    struct i18n *t = i18n_new(dir, &why);
    if (t == NULL)
        fail_msg("%s", why);
    assert_string_equal(i18n_ntext(t, LANG_RU, "{1} day", "{1} days", 1),
                        "{1} день");
    assert_string_equal(i18n_ntext(t, LANG_RU, "{1} day", "{1} days", 3),
                        "{1} дня");
    assert_string_equal(i18n_ntext(t, LANG_RU, "{1} day", "{1} days", 11),
                        "{1} дней");
    assert_string_equal(i18n_ntext(t, LANG_RU, "{1} day", "{1} days", 21),
                        "{1} день");
    assert_string_equal(i18n_ntext(t, LANG_KK, "{1} day", "{1} days", 5),
                        "{1} күн");
    assert_string_equal(i18n_ntext(t, LANG_EN, "{1} day", "{1} days", 1),
                        "{1} day");
    assert_string_equal(i18n_ntext(t, LANG_EN, "{1} day", "{1} days", 2),
                        "{1} days");
    assert_string_equal(i18n_text(t, LANG_RU, "Finish"), "Завершить");
    i18n_free(t);

    /* A catalogue whose rule does not evaluate is refused. */
    write_catalogue_checked(dir, "en", PO_HEAD("nplurals=2; plural=(n != 1;"),
                            false);
    assert_null(i18n_new(dir, &why));
    assert_non_null(strstr(why, "Plural-Forms"));
    free(why);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_exact_fit_is_whole),
        cmocka_unit_test(test_cut_never_ends_inside_a_letter),
        cmocka_unit_test(test_lookups_without_catalogues),
        cmocka_unit_test(test_plural_rules),
        cmocka_unit_test(test_plural_lookups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
