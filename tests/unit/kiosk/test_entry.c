/*
 * The entry model: digits or text up to a number of characters, echo in
 * speech (never for a masked PIN), deletion by code point, grouping and
 * slots for reading back and showing, wiping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kiosk/entry.h"
#include "tests/unit/unit.h"

static struct ctx ctx;

static int
setup(void **state)
{
    (void)state;
    memset(&ctx, 0, sizeof ctx);
    ctx.i18n = i18n_new_empty();
    ctx.lang = LANG_EN;
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    i18n_free((struct i18n *)ctx.i18n);
    return 0;
}

static enum entry_result
press(struct entry *e, enum action a, unsigned cp, struct fx_list *fx)
{
    struct key k = {.action = a, .codepoint = cp, .name = "key"};
    fx_clear(fx);
    return entry_key(e, &ctx, &k, fx);
}

static const char *
said(const struct fx_list *fx)
{
    for (size_t i = 0; i < fx->n; i++)
        if (fx->v[i].kind == FX_SAY)
            return fx->v[i].text;
    return "";
}

static void
test_digits_up_to_max(void **state)
{
    (void)state;
    struct entry e;
    struct fx_list fx = {0};
    entry_init(&e, ENTRY_DIGITS, 3, 0);
    assert_int_equal(press(&e, ACTION_DIGIT, '4', &fx), ENTRY_CHANGED);
    assert_string_equal(said(&fx), "4");
    assert_int_equal(press(&e, ACTION_CHAR, 'x', &fx), ENTRY_IGNORED);
    press(&e, ACTION_DIGIT, '5', &fx);
    press(&e, ACTION_DIGIT, '6', &fx);
    assert_true(entry_full(&e));
    assert_int_equal(press(&e, ACTION_DIGIT, '7', &fx), ENTRY_FULL);
    assert_string_equal(e.text, "456");
    assert_int_equal(press(&e, ACTION_DELETE, 0, &fx), ENTRY_CHANGED);
    assert_string_equal(said(&fx), "digit deleted");
    assert_string_equal(e.text, "45");
    press(&e, ACTION_DELETE, 0, &fx);
    press(&e, ACTION_DELETE, 0, &fx);
    assert_int_equal(press(&e, ACTION_DELETE, 0, &fx), ENTRY_EMPTY);
    assert_int_equal(press(&e, ACTION_SELECT, 0, &fx), ENTRY_IGNORED);
    fx_list_free(&fx);
}

static void
test_text_deletes_whole_letters(void **state)
{
    (void)state;
    struct entry e;
    struct fx_list fx = {0};
    entry_init(&e, ENTRY_TEXT, 4, 0);
    press(&e, ACTION_CHAR, 0x49B, &fx); /* қ */
    press(&e, ACTION_CHAR, ' ', &fx);
    assert_string_equal(said(&fx), "space");
    press(&e, ACTION_CHAR, 0x1F600, &fx);
    assert_int_equal(e.count, 3);
    assert_string_equal(e.text, "қ 😀");
    press(&e, ACTION_DELETE, 0, &fx);
    assert_string_equal(e.text, "қ ");
    press(&e, ACTION_DELETE, 0, &fx);
    press(&e, ACTION_DELETE, 0, &fx);
    assert_string_equal(e.text, "");
    assert_int_equal(e.len, 0);
    /* A count of characters, not bytes: four Kazakh letters fit. */
    for (int i = 0; i < 4; i++)
        assert_int_equal(press(&e, ACTION_CHAR, 0x4E9, &fx), ENTRY_CHANGED);
    assert_int_equal(press(&e, ACTION_CHAR, 'a', &fx), ENTRY_FULL);
    fx_list_free(&fx);
}

/* Control characters never enter a text field: C0, DEL, and C1 (U+009B
 * is CSI on the Linux console), typed or set. */
static void
test_text_refuses_controls(void **state)
{
    (void)state;
    struct entry e;
    struct fx_list fx = {0};
    entry_init(&e, ENTRY_TEXT, 20, 0);
    static const unsigned controls[] = {0x1b, 0x7f, 0x80, 0x9b, 0x9f};
    for (size_t i = 0; i < sizeof controls / sizeof controls[0]; i++)
        assert_int_equal(press(&e, ACTION_CHAR, controls[i], &fx),
                         ENTRY_IGNORED);
    assert_int_equal(e.count, 0);
    press(&e, ACTION_CHAR, 0xA0, &fx); /* no-break space is text */
    assert_int_equal(e.count, 1);
    entry_set(&e, "/a\xc2\x9b"
                  "b\x1b[c");
    assert_string_equal(e.text, "/ab[c");
    entry_clear(&e);
    fx_list_free(&fx);
}

static void
test_masked_never_spoken(void **state)
{
    (void)state;
    struct entry e;
    struct fx_list fx = {0};
    entry_init(&e, ENTRY_DIGITS, 8, 0);
    e.masked = true;
    press(&e, ACTION_DIGIT, '1', &fx);
    assert_string_equal(said(&fx), "digit entered");
    press(&e, ACTION_DIGIT, '2', &fx);
    char out[64];
    entry_show(&e, out, sizeof out);
    assert_string_equal(out, "●●");
    entry_say(&e, out, sizeof out);
    assert_string_equal(out, "");
    static struct view v;
    view_reset(&v, LANG_EN);
    struct view_item *it = entry_view(&e, &v, "Nothing entered yet.");
    assert_true(it->quiet);
    assert_null(strstr(it->text, "12"));
    assert_null(strstr(it->say, "1"));
    fx_list_free(&fx);
}

static void
test_grouped_slots_and_readback(void **state)
{
    (void)state;
    struct entry e;
    entry_init(&e, ENTRY_DIGITS, 12, 3);
    e.slots = true;
    entry_set(&e, "0612a11");
    assert_string_equal(e.text, "061211");
    char out[64];
    entry_show(&e, out, sizeof out);
    assert_string_equal(out, "061 211 ___ ___");
    entry_say(&e, out, sizeof out);
    assert_non_null(strchr(out, ','));
    entry_set(&e, "0612116000129");
    assert_int_equal(e.count, 12);
    entry_clear(&e);
    for (size_t i = 0; i < sizeof e.text; i++)
        assert_int_equal(e.text[i], 0);
}

UNIT_MAIN(setup, teardown, cmocka_unit_test(test_digits_up_to_max),
          cmocka_unit_test(test_text_deletes_whole_letters),
          cmocka_unit_test(test_masked_never_spoken),
          cmocka_unit_test(test_grouped_slots_and_readback),
          cmocka_unit_test(test_text_refuses_controls))
