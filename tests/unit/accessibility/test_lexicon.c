/*
 * The pronunciation lexicon: whole-word, case-insensitive replacement in
 * Cyrillic and Latin, longest phrase first, and file errors that name the
 * file and the line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "accessibility/lexicon.h"
#include "tests/unit/unit.h"

static struct lexicon *
make(void)
{
    struct lexicon *lx = lexicon_new();
    char *why = NULL;
    assert_int_equal(lexicon_add(lx, "ЦИК", "цэ-и-ка", &why), 0);
    assert_int_equal(lexicon_add(lx, "Ten Qogam", "Тең қоғам", &why), 0);
    assert_int_equal(lexicon_add(lx, "Ten", "тен", &why), 0);
    assert_int_equal(lexicon_add(lx, "ҚР", "қа-эр", &why), 0);
    assert_int_equal(lexicon_add(lx, "ИИН", "и-и-эн", &why), 0);
    assert_null(why);
    return lx;
}

static void
assert_applied(const struct lexicon *lx, const char *in, const char *want)
{
    char *got = lexicon_apply(lx, in);
    assert_string_equal(got, want);
    free(got);
}

static void
test_whole_words_case_insensitive(void **state)
{
    (void)state;
    struct lexicon *lx = make();
    assert_applied(lx, "ЦИК объявил", "цэ-и-ка объявил");
    assert_applied(lx, "решение цик.", "решение цэ-и-ка.");
    assert_applied(lx, "Цик-тің шешімі", "цэ-и-ка-тің шешімі");
    /* Not inside a longer word. */
    assert_applied(lx, "ЦИКЛ и ациклический", "ЦИКЛ и ациклический");
    /* Kazakh letters fold too: ҚР, қр, Қр. */
    assert_applied(lx, "қр мен ҚР және Қр", "қа-эр мен қа-эр және қа-эр");
    assert_applied(lx, "ваш иин: 061211600012", "ваш и-и-эн: 061211600012");
    lexicon_free(lx);
}

static void
test_longest_phrase_wins(void **state)
{
    (void)state;
    struct lexicon *lx = make();
    assert_applied(lx, "Welcome to TEN  QOGAM!", "Welcome to Тең қоғам!");
    assert_applied(lx, "Ten\nQogam centre", "Тең қоғам centre");
    assert_applied(lx, "Ten centres", "тен centres");
    assert_applied(lx, "Tenge", "Tenge");
    lexicon_free(lx);
}

static void
test_text_without_entries_unchanged(void **state)
{
    (void)state;
    struct lexicon *lx = make();
    assert_applied(lx, "", "");
    assert_applied(lx, "Сәлеметсіз бе", "Сәлеметсіз бе");
    /* Invalid UTF-8 is copied as it is and breaks words. */
    assert_applied(lx,
                   "\xff"
                   "ЦИК\xfe",
                   "\xff"
                   "цэ-и-ка\xfe");
    lexicon_free(lx);
    struct lexicon *empty = lexicon_new();
    assert_applied(empty, "ЦИК", "ЦИК");
    assert_int_equal(lexicon_count(empty), 0);
    lexicon_free(empty);
    assert_applied(NULL, "ЦИК", "ЦИК");
}

static void
test_fold(void **state)
{
    (void)state;
    static const unsigned int pairs[][2] = {
        {'A', 'a'},     {0xc4, 0xe4},   {0x11e, 0x11f}, {0x15e, 0x15f},
        {0x410, 0x430}, {0x42f, 0x44f}, {0x401, 0x451}, {0x406, 0x456},
        {0x4d8, 0x4d9}, {0x492, 0x493}, {0x49a, 0x49b}, {0x4a2, 0x4a3},
        {0x4e8, 0x4e9}, {0x4b0, 0x4b1}, {0x4ae, 0x4af}, {0x4ba, 0x4bb},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        assert_int_equal(lexicon_fold(pairs[i][0]), pairs[i][1]);
        assert_int_equal(lexicon_fold(pairs[i][1]), pairs[i][1]);
    }
    assert_int_equal(lexicon_fold(0xd7), 0xd7);
    assert_true(lexicon_is_word_char(0x4d9));
    assert_false(lexicon_is_word_char('-'));
    assert_false(lexicon_is_word_char(0x2014));
}

static void
test_bad_entries_refused(void **state)
{
    (void)state;
    struct lexicon *lx = make();
    /* word, spelling, the start of the reason */
    static const char *bad[][3] = {
        {"", "x", "the word is empty"},
        {"ЦИК.", "x", "the word \"ЦИК.\" must start and end"},
        {" ЦИК", "x", "words of a phrase must be separated"},
        {"a  b", "x", "words of a phrase must be separated"},
        {"a\tb", "x", "the word contains a control character"},
        {"word", "", "the spelling of \"word\" is empty"},
        {"word", "  ", "the spelling of \"word\" is empty"},
        {"word", "a\tb", "the spelling contains a tab or a control"},
        {"\xff", "x", "the word is not valid UTF-8"},
        {"word", "\xc3", "the spelling is not valid UTF-8"},
        {"цик", "dup", "\"цик\" is already in the lexicon"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *why = NULL;
        assert_int_equal(lexicon_add(lx, bad[i][0], bad[i][1], &why), -1);
        assert_non_null(why);
        if (strncmp(why, bad[i][2], strlen(bad[i][2])) != 0)
            fail_msg("got \"%s\", want it to start with \"%s\"", why,
                     bad[i][2]);
        free(why);
    }
    assert_int_equal(lexicon_count(lx), 5);
    lexicon_free(lx);
}

static char *
write_tmp(const char *content)
{
    char *path = strdup("/tmp/dauys-lexicon-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(content, f);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void
test_load_file(void **state)
{
    (void)state;
    char *path = write_tmp("# comment\n\nЦИК\tцэ-и-ка\r\nОСК\tо-эс-ка\n"
                           "Ten Qogam\tТең қоғам");
    struct lexicon *lx = lexicon_new();
    char *why = NULL;
    assert_int_equal(lexicon_load_file(lx, path, &why), 0);
    assert_null(why);
    assert_int_equal(lexicon_count(lx), 3);
    assert_applied(lx, "ОСК и ЦИК", "о-эс-ка и цэ-и-ка");
    lexicon_free(lx);
    unlink(path);
    free(path);
}

static void
expect_load_error(const char *content, const char *want)
{
    char *path = write_tmp(content);
    struct lexicon *lx = lexicon_new();
    assert_int_equal(lexicon_add(lx, "keep", "kept", NULL), 0);
    char *why = NULL;
    assert_int_equal(lexicon_load_file(lx, path, &why), -1);
    assert_non_null(why);
    char *prefix = NULL;
    assert_true(asprintf(&prefix, "%s:%s", path, want) > 0);
    if (strncmp(why, prefix, strlen(prefix)) != 0)
        fail_msg("got \"%s\", want it to start with \"%s\"", why, prefix);
    /* Nothing of the bad file was kept. */
    assert_int_equal(lexicon_count(lx), 1);
    free(prefix);
    free(why);
    lexicon_free(lx);
    unlink(path);
    free(path);
}

static void
test_load_errors_name_line(void **state)
{
    (void)state;
    expect_load_error("ЦИК\tцэ-и-ка\nno tab here\n", "2: expected");
    expect_load_error("a\tb\tc\n", "1: more than one tab");
    expect_load_error("# c\nЦИК\tx\n\nцик\ty\n",
                      "4: \"цик\" is already on line 2");
    expect_load_error("ok\tfine\n\xd0\tx\n", "2: the word is not valid");
    expect_load_error("ok\t\n", "1: the spelling of \"ok\" is empty");
    expect_load_error("x\ty\nkeep\tz\n", "2: the word is already");

    struct lexicon *lx = lexicon_new();
    char *why = NULL;
    assert_int_equal(lexicon_load_file(lx, "/nonexistent/kk.txt", &why), -1);
    assert_non_null(strstr(why, "/nonexistent/kk.txt"));
    free(why);
    lexicon_free(lx);
}

static void
test_shipped_lexicons_load(void **state)
{
    (void)state;
    static const char *langs[] = {"kk", "ru", "en"};
    for (size_t i = 0; i < 3; i++) {
        char path[64];
        snprintf(path, sizeof path, "data/lexicon/%s.txt", langs[i]);
        struct lexicon *lx = lexicon_new();
        char *why = NULL;
        if (lexicon_load_file(lx, path, &why) != 0)
            fail_msg("%s", why);
        assert_true(lexicon_count(lx) >= 4);
        lexicon_free(lx);
    }
    struct lexicon *kk = lexicon_new();
    assert_int_equal(lexicon_load_file(kk, "data/lexicon/kk.txt", NULL), 0);
    assert_applied(kk, "ЖСН енгізіңіз", "же-эс-эн енгізіңіз");
    lexicon_free(kk);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_whole_words_case_insensitive),
          cmocka_unit_test(test_longest_phrase_wins),
          cmocka_unit_test(test_text_without_entries_unchanged),
          cmocka_unit_test(test_fold),
          cmocka_unit_test(test_bad_entries_refused),
          cmocka_unit_test(test_load_file),
          cmocka_unit_test(test_load_errors_name_line),
          cmocka_unit_test(test_shipped_lexicons_load))
