/*
 * Layout: wrapping by display width, the focused option always visible,
 * and no row wider than the screen at any size down to 1x1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kiosk/layout.h"

static void
make_view(struct view *v, int n_options)
{
    memset(v, 0, sizeof *v);
    view_reset(v, LANG_KK);
    view_title(v, "Бюллетень: Алматы қаласы № 12 сайлау округі");
    view_add(v, VIEW_TEXT, "Әр кандидаттың аты-жөні мен туған жылы "
                           "оқылады. Қалаған кандидатты таңдаңыз.");
    for (int i = 0; i < n_options; i++)
        view_add(v, VIEW_OPTION, "%d. Қайыржан Ұлықбекұлы Ғабитов %d", i + 1,
                 i);
    view_notice(v, "Сынақ бюллетені");
    view_hint(v, "Enter: таңдау   Escape: артқа   F1: анықтама");
}

static void
test_rows_never_wider_than_screen(void **state)
{
    (void)state;
    static struct view v;
    make_view(&v, 20);
    v.test_mode = true;
    int sizes[][2] = {{80, 24}, {40, 10}, {20, 5}, {1, 1}, {2, 30},
                      {200, 60}, {39, 9}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        struct layout l;
        layout_build(&v, sizes[s][0], sizes[s][1], "TEST MODE",
                     "Экран тым кішкентай / Окно слишком маленькое", &l);
        assert_int_equal(l.height, sizes[s][1]);
        for (int y = 0; y < l.height; y++)
            assert_true(layout_width(l.rows[y].text) <= sizes[s][0]);
        layout_free(&l);
    }
}

static void
test_too_small_message(void **state)
{
    (void)state;
    static struct view v;
    make_view(&v, 3);
    struct layout l;
    layout_build(&v, 20, 5, "TEST MODE", "Экран тым кішкентай / Окно мало",
                 &l);
    assert_true(l.too_small);
    assert_non_null(strstr(l.rows[0].text, "Экран"));
    layout_free(&l);
}

static void
test_focus_stays_visible(void **state)
{
    (void)state;
    static struct view v;
    make_view(&v, 40);
    view_focus_rank(&v, 37);
    struct layout l;
    layout_build(&v, 80, 24, "TEST MODE", "small", &l);
    int found = 0;
    for (int y = 0; y < l.height; y++)
        if (l.rows[y].role == ROLE_SELECTED &&
            strstr(l.rows[y].text, "▶ 37.") != NULL)
            found = 1;
    assert_true(found);
    assert_int_equal(l.rows[l.height - 1].role, ROLE_HINT);
    layout_free(&l);
}

static int wrapped;
static void
count_line(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    (void)line;
    assert_true(len <= 10 * 2); /* at most 10 Cyrillic letters of 2 bytes */
    wrapped++;
}

static void
test_wrap_at_spaces_by_cells(void **state)
{
    (void)state;
    wrapped = 0;
    assert_int_equal(layout_width("Әә Ққ"), 5);
    layout_wrap("Қазақстан Республикасы сайлау", 10, count_line, NULL);
    assert_int_equal(wrapped, 3); /* Қазақстан / Республика / сы сайлау */
}

/* Magnified text: a handful of large characters per row; the focused
 * option is always on screen, marked with ">", nothing wider than the
 * screen, whatever option has the focus. */
static void
test_magnified_keeps_focus_visible(void **state)
{
    (void)state;
    static struct view v;
    make_view(&v, 12);
    int sizes[][2] = {{6, 2}, {10, 3}, {13, 4}, {20, 6}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        for (int f = 0; f < 12; f++) {
            view_focus_rank(&v, (size_t)f + 1);
            struct layout l;
            layout_build_magnified(&v, sizes[s][0], sizes[s][1], &l);
            bool seen = false;
            for (int y = 0; y < l.height; y++) {
                assert_true(layout_width(l.rows[y].text) <= sizes[s][0]);
                if (l.rows[y].role == ROLE_SELECTED) {
                    seen = true;
                    assert_true(l.rows[y].text[0] == '>' ||
                                l.rows[y].text[0] == ' ');
                }
            }
            assert_true(seen);
            /* A title row only where there is room for it. */
            assert_int_equal(l.rows[0].role == ROLE_TITLE, sizes[s][1] >= 3);
            layout_free(&l);
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_never_wider_than_screen),
        cmocka_unit_test(test_too_small_message),
        cmocka_unit_test(test_focus_stays_visible),
        cmocka_unit_test(test_wrap_at_spaces_by_cells),
        cmocka_unit_test(test_magnified_keeps_focus_visible),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
