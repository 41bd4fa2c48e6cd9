/*
 * The view model: options by id, and texts that do not fit cut at a letter
 * boundary with "…", never in the middle of a letter, and never silently.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "accessibility/utf8.h"
#include "kiosk/view.h"
#include "tests/unit/unit.h"

/* True when S is valid UTF-8 from start to end. */
static bool
valid_utf8(const char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        uint32_t cp;
        int step = utf8_decode(s + i, n - i, &cp);
        if (step <= 0)
            return false;
        i += (size_t)step;
    }
    return true;
}

static void
test_long_title_cut_at_a_letter(void **state)
{
    (void)state;
    static struct view v;
    view_reset(&v, LANG_KK);
    /* Two-byte letters, an odd number of ASCII bytes first: every length
     * of cut lands once in the middle of a letter. */
    for (size_t pad = 0; pad < 4; pad++) {
        static char big[VIEW_TITLE_MAX * 2];
        memset(big, 'a', pad);
        size_t o = pad;
        while (o + 3 < sizeof big) {
            memcpy(big + o, "қ", 2);
            o += 2;
        }
        big[o] = '\0';
        view_reset(&v, LANG_KK);
        view_title(&v, "%s", big);
        assert_true(valid_utf8(v.title));
        assert_true(v.cut);
        size_t len = strlen(v.title);
        assert_true(len < VIEW_TITLE_MAX);
        assert_string_equal(v.title + len - 3, "…");
    }
}

static void
test_package_text_fits_whole(void **state)
{
    (void)state;
    static struct view v;
    static char text[2000 * 4 + 1];
    /* 2000 code points of the longest UTF-8 form. */
    for (int i = 0; i < 2000; i++)
        memcpy(text + i * 4, "😀", 4);
    text[8000] = '\0';
    view_reset(&v, LANG_RU);
    struct view_item *it = view_add(&v, VIEW_TEXT, "%s", text);
    assert_non_null(it);
    assert_string_equal(it->text, text);
    assert_false(v.cut);
    view_format(it->say, sizeof it->say, "%s%s", text, "x");
    assert_true(valid_utf8(it->say));
    assert_true(v.cut == false); /* view_format alone does not mark */
}

static void
test_options_carry_ids(void **state)
{
    (void)state;
    static struct view v;
    view_reset(&v, LANG_KK);
    view_add(&v, VIEW_TEXT, "intro");
    view_option(&v, 42, "first");
    view_option(&v, 7, "second");
    assert_int_equal(v.focus, -1); /* the app places the focus */
    assert_int_equal(view_option_count(&v), 2);
    assert_int_equal(view_find_option(&v, 7), 2);
    assert_int_equal(view_find_option(&v, 3), -1);
    assert_int_equal(v.items[view_find_option(&v, 42)].id, 42);
}

static void
test_wipe_leaves_nothing(void **state)
{
    (void)state;
    static struct view v;
    view_reset(&v, LANG_KK);
    view_option(&v, 1, "Secret candidate");
    snprintf(v.items[0].say, sizeof v.items[0].say, "Secret candidate");
    size_t n = v.n_items;
    view_reset(&v, LANG_KK);
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = (const unsigned char *)&v.items[i];
        for (size_t b = 0; b < sizeof v.items[i]; b++)
            assert_int_equal(p[b], 0);
    }
}

/* A key name for view_keys(): "select" is "Enter" (English) or "5"
 * (otherwise), "back" has none. */
static const char *
name_of(const char *id, int lang, void *ctx)
{
    (void)ctx;
    if (strcmp(id, "select") == 0)
        return lang == LANG_EN ? "Enter" : "5";
    return NULL;
}

/* Key tokens are replaced in every text, each in its language; a token
 * without a name, a placeholder ({1}) and a lone brace stay; marks after
 * a replacement move with their text. */
static void
test_key_tokens_named(void **state)
{
    (void)state;
    static struct view v;
    view_reset(&v, LANG_RU);
    view_title(&v, "{select}: title");
    struct view_item *it = view_add(
        &v, VIEW_TEXT, "Press {select} for «Болашақ» {back} {1} {");
    assert_true(view_mark(&v, it, "«Болашақ»", LANG_KK));
    size_t off = it->marks.v[0].off;
    view_option(&v, 1, "{select}")->lang = LANG_EN;
    view_hint(&v, "{select}: choose");
    view_keys(&v, name_of, NULL);
    assert_string_equal(v.title, "5: title");
    assert_string_equal(v.items[0].text, "Press 5 for «Болашақ» {back} {1} {");
    assert_int_equal(v.items[0].marks.v[0].off, off - strlen("{select}") + 1);
    assert_memory_equal(v.items[0].text + v.items[0].marks.v[0].off,
                        "«Болашақ»", strlen("«Болашақ»"));
    assert_string_equal(v.items[1].text, "Enter");
    assert_string_equal(v.hint, "5: choose");
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_long_title_cut_at_a_letter),
          cmocka_unit_test(test_key_tokens_named),
          cmocka_unit_test(test_package_text_fits_whole),
          cmocka_unit_test(test_options_carry_ids),
          cmocka_unit_test(test_wipe_leaves_nothing))
