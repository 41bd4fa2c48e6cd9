/*
 * The service catalogue: the bundled file is complete and easy to read,
 * and every kind of mistake in a replaced file is refused with the entry
 * and the line named.
 */
#include <ini.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "services/catalogue.h"
#include "tests/unit/unit.h"

static const char good[] = "# a comment\n"
                           "[category c1]\n"
                           "title.kk = Санат\n"
                           "title.ru = Категория\n"
                           "title.en = Category\n"
                           "\n"
                           "[service s1]\n"
                           "category = c1\n"
                           "title.kk = Қ\ntitle.ru = Р\ntitle.en = E\n"
                           "about.kk = a\nabout.ru = a\nabout.en = a\n"
                           "who.kk = w\nwho.ru = w\nwho.en = w\n"
                           "bring.kk = b\nbring.ru = b\nbring.en = b\n"
                           "where.kk = x\nwhere.ru = x\nwhere.en = x\n";

/* Parses TEXT; returns the error text (caller frees) or NULL on success. */
static char *
parse_err(const char *text)
{
    struct catalogue *c = NULL;
    char *why = NULL;
    int rc = catalogue_parse("cat.txt", text, strlen(text), &c, &why);
    if (rc == 0) {
        assert_non_null(c);
        assert_null(why);
        catalogue_free(c);
        return NULL;
    }
    assert_null(c);
    assert_non_null(why);
    return why;
}

static void
expect_error(const char *text, const char *needle)
{
    char *why = parse_err(text);
    if (why == NULL)
        fail_msg("accepted, expected an error containing '%s'", needle);
    if (strstr(why, needle) == NULL)
        fail_msg("error '%s' lacks '%s'", why, needle);
    free(why);
}

static void
test_bundled_catalogue_is_complete(void **state)
{
    (void)state;
    struct catalogue *c = NULL;
    unit_ok(catalogue_load("data/services/catalogue.txt", &c, unit_why()));
    assert_true(catalogue_n_services(c) >= 14);
    assert_true(catalogue_n_categories(c) >= 5);
    static const char *const needed[] = {
        "aids-orthopaedic",    "aids-hearing",         "aids-vision",
        "aids-mobility",       "aids-hygiene",         "sign-language",
        "personal-assistant",  "sanatorium",           "social-home",
        "social-day-care",     "social-residential",   "invataxi",
        "employment",          "legal-consultation",   "education-quota",
        "allowances",          "establish-disability", "portal-help",
        "centre-consultation",
    };
    for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++) {
        const struct catalogue_service *s = catalogue_find(c, needed[i]);
        if (s == NULL)
            fail_msg("service %s is missing", needed[i]);
        for (int l = 0; l < LANG_COUNT; l++) {
            for (int f = 0; f < CATALOGUE_FIELDS; f++) {
                const char *t = catalogue_text(s, f, (enum lang)l);
                if (f != CATALOGUE_TIME)
                    assert_true(t[0] != '\0');
                /* Easy read: no sentence longer than about 25 words. */
                int words = 0;
                for (const char *p = t; *p; p++) {
                    if (*p == ' ')
                        words++;
                    if (*p == '.' || *p == ':')
                        words = 0;
                    if (words > 25)
                        fail_msg("%s: a sentence of more than 25 words",
                                 needed[i]);
                }
            }
        }
    }
    /* The personal assistant's known duration is there in every language. */
    const struct catalogue_service *pa = catalogue_find(c,
                                                        "personal-assistant");
    assert_non_null(strstr(catalogue_text(pa, CATALOGUE_TIME, LANG_RU), "10"));
    assert_non_null(strstr(catalogue_text(pa, CATALOGUE_TIME, LANG_KK), "10"));
    const struct catalogue_category *cat = catalogue_category(c, pa->category);
    assert_string_equal(cat->id, "care");
    assert_null(catalogue_find(c, "no-such"));
    catalogue_free(c);
}

static void
test_minimal_catalogue_parses(void **state)
{
    (void)state;
    struct catalogue *c = NULL;
    char *why = NULL;
    assert_int_equal(catalogue_parse("x", good, strlen(good), &c, &why), 0);
    assert_int_equal(catalogue_n_services(c), 1);
    const struct catalogue_service *s = catalogue_service(c, 0);
    assert_string_equal(catalogue_text(s, CATALOGUE_TITLE, LANG_KK), "Қ");
    assert_string_equal(catalogue_text(s, CATALOGUE_TIME, LANG_KK), "");
    assert_int_equal(catalogue_category(c, 0)->n_services, 1);
    assert_string_equal(catalogue_category(c, 0)->title[LANG_RU], "Категория");
    assert_null(catalogue_service(c, 1));
    catalogue_free(c);
    catalogue_free(NULL);
}

static void
test_crlf_and_blank_space_are_accepted(void **state)
{
    (void)state;
    char buf[2048];
    size_t o = 0;
    for (const char *p = good; *p; p++) {
        if (*p == '\n')
            buf[o++] = '\r';
        buf[o++] = *p;
    }
    buf[o] = '\0';
    char *why = parse_err(buf);
    if (why != NULL)
        fail_msg("%s", why);
}

static void
test_errors_name_entry_and_line(void **state)
{
    (void)state;
    char buf[4096];
    /* A missing text is reported at the service's header line. */
    snprintf(buf, sizeof buf, "%s", good);
    *strstr(buf, "who.ru") = 'x';
    expect_error(buf, "cat.txt:16: service 's1': unknown key 'xho.ru'");
    snprintf(buf, sizeof buf, "%s", good);
    char *w = strstr(buf, "where.en = x\n");
    *w = '\0';
    expect_error(buf, "cat.txt:7: service 's1': where.en is missing");
    /* An unknown category is reported where it is named. */
    snprintf(buf, sizeof buf, "%s", good);
    memcpy(strstr(buf, "category = c1"), "category = c2", 13);
    expect_error(buf, "cat.txt:8: service 's1': category 'c2' is not "
                      "defined");
    /* Duplicates. */
    snprintf(buf, sizeof buf, "%s[service s1]\n", good);
    expect_error(buf, "service 's1': defined twice (first on line 7)");
    snprintf(buf, sizeof buf, "%stitle.kk = again\n", good);
    expect_error(buf, "cat.txt:24: service 's1': 'title.kk' is given twice");
    snprintf(buf, sizeof buf, "%s[category c1]\n", good);
    expect_error(buf, "category 'c1': defined twice");
    /* An unused category. */
    snprintf(buf, sizeof buf,
             "%s[category c9]\ntitle.kk = a\ntitle.ru = b\ntitle.en = c\n",
             good);
    expect_error(buf, "cat.txt:24: category 'c9': has no services");
    /* A category without a title. */
    snprintf(buf, sizeof buf, "%s", good);
    memcpy(strstr(buf, "title.en = Category"), "# itle", 6);
    expect_error(buf, "cat.txt:2: category 'c1': title.en is missing");
    /* time in some languages only. */
    snprintf(buf, sizeof buf, "%stime.kk = 1 күн\n", good);
    expect_error(buf, "service 's1': time is given in some languages");
}

static void
test_malformed_lines_are_refused(void **state)
{
    (void)state;
    expect_error("", "no [service] entries");
    expect_error("# only a comment\n", "no [service] entries");
    expect_error("title.kk = x\n", "cat.txt:1: 'title.kk' is outside");
    expect_error("[category c1\n", "cat.txt:1: a section line must end");
    expect_error("[thing x]\n", "a section is [category ID] or [service ID]");
    expect_error("[service Bad_Id]\n", "an id is 1 to 32 characters");
    expect_error("[service "
                 "a23456789012345678901234567890123]\n",
                 "an id is 1 to 32");
    expect_error("[category c]\njust words\n",
                 "cat.txt:2: category 'c': not a 'key = value' line");
    expect_error("[category c]\ntitle.kk =\n", "'title.kk' has no value");
    expect_error("[category c]\nabout.kk = x\n", "unknown key 'about.kk'");
    expect_error("[category c]\ntitle.de = x\n", "unknown key 'title.de'");
    expect_error("[category c]\ntitle.kk = a\xff\n",
                 "'title.kk' is not valid UTF-8");
    expect_error("[category c]\ntitle.kk = a\xc0\xaf\n", "is not valid UTF-8");
    expect_error("[category c]\ntitle.kk = a\tb\n",
                 "'title.kk' contains a control character");
    expect_error("[category c]\ntitle.kk = a\x1b[31m\n",
                 "contains a control character");
    expect_error("[service s]\ncategory = c\ncategory = c\n",
                 "cat.txt:3: service 's': 'category' is given twice");
    char big[1024];
    memset(big, 'a', sizeof big);
    memcpy(big, "[category c]\ntitle.kk = ", 24);
    big[sizeof big - 1] = '\0';
    expect_error(big, "'title.kk' is longer than 600 bytes");
    /* NUL bytes inside the text. */
    struct catalogue *c = NULL;
    char *why = unit_refused(
        catalogue_parse("n", "[category c]\0x\n", 15, &c, unit_why()));
    assert_non_null(strstr(why, "n:1: contains a NUL byte"));
    free(why);
}

/* GOOD with the first FROM replaced by TO (static buffer). */
static const char *
good_with(const char *from, const char *to)
{
    static char buf[8192];
    const char *at = strstr(good, from);
    assert_non_null(at);
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - good), good, to,
             at + strlen(from));
    return buf;
}

/*
 * The catalogue is read with inih, whose own format is wider. None of its
 * extras may change what a catalogue says: a ';' in a text is text, not a
 * comment; an indented line is a line of its own, not more of the one
 * before; an entry without keys is still an entry. What the format never
 * allowed stays refused: ';' comments, "key: value", a byte-order mark, a
 * form feed or vertical tab (blank space to inih).
 */
static void
test_inih_extras_do_not_apply(void **state)
{
    (void)state;
    struct catalogue *c = NULL;
    char *why = NULL;
    const char *text = good_with("about.ru = a", "about.ru = a ; b");
    assert_int_equal(catalogue_parse("x", text, strlen(text), &c, &why), 0);
    assert_string_equal(catalogue_text(catalogue_service(c, 0), CATALOGUE_ABOUT,
                                       LANG_RU),
                        "a ; b");
    catalogue_free(c);

    char indented[4096];
    size_t o = 0;
    for (const char *p = good; *p; p++) {
        if (p == good || p[-1] == '\n')
            o += (size_t)snprintf(indented + o, sizeof indented - o, " \t ");
        indented[o++] = *p;
    }
    indented[o] = '\0';
    assert_int_equal(catalogue_parse("x", indented, strlen(indented), &c, &why),
                     0);
    assert_string_equal(catalogue_text(catalogue_service(c, 0), CATALOGUE_TITLE,
                                       LANG_EN),
                        "E");
    catalogue_free(c);

    char buf[4096];
    snprintf(buf, sizeof buf, "%s[service s2]\n", good);
    expect_error(buf, "cat.txt:24: service 's2': title.kk is missing");
    snprintf(buf, sizeof buf, "%s; a comment\n", good);
    expect_error(buf, "cat.txt:24: service 's1': not a 'key = value' line");
    expect_error(good_with("title.en = E", "title.en: E"),
                 "cat.txt:11: service 's1': not a 'key = value' line");
    expect_error(good_with("title.en = E", "title.en: E = mc2"),
                 "cat.txt:11: service 's1': not a 'key = value' line");
    snprintf(buf, sizeof buf, "\xef\xbb\xbf%s", good);
    expect_error(buf, "cat.txt:1: not a 'key = value' line");
    snprintf(buf, sizeof buf, "%s\f\n", good);
    expect_error(buf, "cat.txt:24: service 's1': contains a control "
                      "character");
    expect_error(good_with("where.en = x", "where.en = x\v"),
                 "cat.txt:23: service 's1': contains a control character");
}

/* GOOD followed by a line of LEN bytes, "about.kk =aaa…", then NEXT. The
 * caller frees. */
static char *
good_with_line(size_t len, const char *next)
{
    size_t n = strlen(good);
    char *text = malloc(n + len + strlen(next) + 2);
    assert_non_null(text);
    memcpy(text, good, n);
    memset(text + n, 'a', len);
    memcpy(text + n, "about.kk =", 10);
    text[n + len] = '\n';
    strcpy(text + n + len + 1, next);
    return text;
}

/*
 * A line longer than inih's buffer is one error on its own line. inih
 * would read it as several lines (the rest of it judged as lines of their
 * own, every later line numbered wrong); the reader refuses it whole.
 * Comments may be longer: inih never sees them.
 */
static void
test_long_lines_are_refused_whole(void **state)
{
    (void)state;
    char *text = good_with_line(CATALOGUE_LINE_MAX + 1, "garbage\n");
    char *why = parse_err(text);
    assert_non_null(why);
    char want[256];
    snprintf(want, sizeof want,
             "cat.txt:24: service 's1': the line is longer than %d bytes\n"
             "cat.txt:25: service 's1': not a 'key = value' line or a "
             "[section]",
             CATALOGUE_LINE_MAX);
    assert_string_equal(why, want);
    free(why);
    free(text);

    /* At the limit, the line is read and its text is too long. */
    text = good_with_line(CATALOGUE_LINE_MAX, "");
    expect_error(text, "cat.txt:24: service 's1': 'about.kk' is longer than "
                       "600 bytes");
    free(text);

    text = good_with_line(CATALOGUE_LINE_MAX + 100, "");
    memcpy(text + strlen(good), "# a long comment", 16);
    why = parse_err(text);
    if (why != NULL)
        fail_msg("%s", why);
    free(text);
}

/* The configuration is read with inih's own settings: the catalogue puts
 * back every one it changed, whatever they were. */
static void
test_inih_settings_are_restored(void **state)
{
    (void)state;
    static char prefixes[] = ";";
    int max_line = ini_max_line;
    bool no_value = ini_allow_no_value, inline_c = ini_allow_inline_comments;
    bool bom = ini_allow_bom;
    char *start = ini_start_comment_prefixes;
    for (int round = 0; round < 2; round++) {
        ini_max_line = 321 + round;
        ini_allow_no_value = round;
        ini_allow_inline_comments = !round;
        ini_allow_bom = !round;
        ini_start_comment_prefixes = round ? prefixes : start;
        free(parse_err(good));
        free(parse_err("garbage\n"));
        assert_int_equal(ini_max_line, 321 + round);
        assert_true(ini_allow_no_value == (bool)round);
        assert_true(ini_allow_inline_comments == !round);
        assert_true(ini_allow_bom == !round);
        assert_ptr_equal(ini_start_comment_prefixes, round ? prefixes : start);
    }
    ini_max_line = max_line;
    ini_allow_no_value = no_value;
    ini_allow_inline_comments = inline_c;
    ini_allow_bom = bom;
    ini_start_comment_prefixes = start;
}

static void
test_error_list_is_bounded(void **state)
{
    (void)state;
    size_t n = 500 * 8 + 1;
    char *text = malloc(n);
    text[0] = '\0';
    for (int i = 0; i < 500; i++)
        strcat(text, "garbage\n");
    char *why = parse_err(text);
    assert_non_null(why);
    assert_non_null(strstr(why, "too many problems"));
    int lines = 1;
    for (char *p = why; *p; p++)
        lines += *p == '\n';
    assert_true(lines <= 21);
    free(why);
    free(text);
}

static void
test_missing_file(void **state)
{
    (void)state;
    struct catalogue *c = NULL;
    char *why = unit_refused(
        catalogue_load("/nonexistent/cat.txt", &c, unit_why()));
    assert_non_null(strstr(why, "cannot read the service catalogue "
                                "/nonexistent/cat.txt"));
    free(why);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_bundled_catalogue_is_complete),
          cmocka_unit_test(test_minimal_catalogue_parses),
          cmocka_unit_test(test_crlf_and_blank_space_are_accepted),
          cmocka_unit_test(test_errors_name_entry_and_line),
          cmocka_unit_test(test_malformed_lines_are_refused),
          cmocka_unit_test(test_inih_extras_do_not_apply),
          cmocka_unit_test(test_long_lines_are_refused_whole),
          cmocka_unit_test(test_inih_settings_are_restored),
          cmocka_unit_test(test_error_list_is_bounded),
          cmocka_unit_test(test_missing_file))
