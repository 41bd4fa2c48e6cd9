/*
 * Layout: wrapping by display width, the focused option always visible,
 * and no row wider than the screen at any size down to 1x1. The title has
 * the whole width beside the test-mode marker; the hint, the review's
 * list of options and a package text of 2000 code points show whole or
 * say that there is more, never cut silently.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "accessibility/bigtext.h"
#include "kiosk/layout.h"

static void
make_view(struct view *v, int n_options)
{
    memset(v, 0, sizeof *v);
    view_reset(v, LANG_KK);
    view_title(v, "Бюллетень: Алматы қаласы № 12 сайлау округі");
    view_add(v, VIEW_TEXT,
             "Әр кандидаттың аты-жөні мен туған жылы "
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
    int sizes[][2] = {{80, 24}, {40, 10},  {20, 5}, {1, 1},
                      {2, 30},  {200, 60}, {39, 9}};
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
    layout_build(&v, 20, 5, "TEST MODE", "Экран тым кішкентай / Окно мало", &l);
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

/* The grid of large characters at text SIZE on a COLS x ROWS terminal,
 * as the kiosk's tty picks it (tty_fit_size): the half-block fonts. */
static void
mag_grid(int cols, int rows, int size, int *lcols, int *lrows)
{
    struct bigtext *bt = NULL;
    char *why = NULL;
    if (bigtext_new(NULL, BIGTEXT_HALF, &bt, &why) < 0) {
        fprintf(stderr, "large fonts: %s\n", why);
        free(why);
        fail();
    }
    *lcols = cols / (int)bigtext_char_cols(bt, size);
    *lrows = rows / (int)bigtext_char_rows(bt, size);
    bigtext_free(bt);
    /* The tty draws at this size (not a smaller one). */
    assert_true(*lcols >= LAYOUT_MAG_MIN_COLS && *lrows >= LAYOUT_MAG_MIN_ROWS);
}

/* The guidance screen as the voter's screen builds it: the window's
 * number and the sentence are its essential message. */
static void
make_guide(struct view *v)
{
    memset(v, 0, sizeof *v);
    view_reset(v, LANG_KK);
    view_title(v, "Белгіні қайда қою керек: 3-терезе");
    view_add(v, VIEW_TEXT, "СЫНАҚ ПАКЕТІ")->quiet = true;
    struct view_item *it = view_add(v, VIEW_BIG, "3");
    it->quiet = true;
    it->essential = true;
    view_add(v, VIEW_TEXT, "Жоғарыдан санағанда 7 терезенің 3-терезесі.")
        ->essential = true;
    view_option(v, 1, "Келесі бюллетень");
    view_option(v, 2, "Тізімге оралу");
    view_option(v, 3, "Терезе жанындағы Брайль нөмірі: ⠼⠉, нүктелер 3456 14.");
    view_option(v, 4,
                "Белгіні сол терезенің ішіне, атаудың оң жағындағы бос "
                "шаршыға қойыңыз.");
    view_hint(v, "R: қайталау   Enter: таңдау   Escape: артқа");
}

/* True when a row of L has ROLE and contains TEXT. */
static bool
mag_has(const struct layout *l, enum layout_role role, const char *text)
{
    for (int y = 0; y < l->height; y++)
        if (l->rows[y].role == role && strstr(l->rows[y].text, text) != NULL)
            return true;
    return false;
}

/* Sizes 3-4 keep the essentials: at 80x24 and text size 4 (6 x 2 large
 * characters) the guidance shows the window number with the focused
 * option, whichever option has the focus; with a few more rows the title
 * and the whole sentence too; nothing wider than the grid. */
static void
test_magnified_keeps_the_window_number(void **state)
{
    (void)state;
    static struct view v;
    make_guide(&v);
    int screens[][3] = {{80, 24, 4},  {80, 24, 3},  {80, 24, 2},  {200, 60, 4},
                        {200, 60, 3}, {120, 40, 4}, {240, 120, 3}};
    for (size_t s = 0; s < sizeof screens / sizeof screens[0]; s++) {
        int cols, rows;
        mag_grid(screens[s][0], screens[s][1], screens[s][2], &cols, &rows);
        for (size_t f = 1; f <= 4; f++) {
            view_focus_rank(&v, f);
            struct layout l;
            layout_build_magnified(&v, cols, rows, &l);
            assert_true(mag_has(&l, ROLE_BIG, "3"));
            assert_true(mag_has(&l, ROLE_SELECTED, ">"));
            for (int y = 0; y < l.height; y++)
                assert_true(layout_width(l.rows[y].text) <= cols);
            assert_int_equal(l.rows[0].role == ROLE_TITLE, rows >= 3);
            if (rows >= 8) /* room for the sentence, wrapped whole */
                assert_true(mag_has(&l, ROLE_TEXT, "3-терезесі"));
            layout_free(&l);
        }
    }
    /* Without the flag only the focused option would be there. */
    int cols, rows;
    mag_grid(80, 24, 4, &cols, &rows);
    v.items[1].essential = false;
    v.items[2].essential = false;
    view_focus_rank(&v, 1);
    struct layout l;
    layout_build_magnified(&v, cols, rows, &l);
    assert_false(mag_has(&l, ROLE_BIG, "3"));
    layout_free(&l);
}

/* Kazakh and Russian side by side, as on the welcome screen. */
static const char both_hints[] =
    "Enter: таңдау   F1: анықтама   R: қайталау  |  "
    "Enter: выбрать   F1: справка   R: повтор";
static const char marker_both[] =
    "TEST MODE · СЫНАҚ РЕЖИМІ · NO SOUND · ДЫБЫС ЖОҚ";

/* The row with role ROLE whose text contains TEXT, or -1. */
static int
find_row(const struct layout *l, enum layout_role role, const char *text)
{
    for (int y = 0; y < l->height; y++)
        if (l->rows[y].role == role && strstr(l->rows[y].text, text) != NULL)
            return y;
    return -1;
}

static int
count_role(const struct layout *l, enum layout_role role)
{
    int n = 0;
    for (int y = 0; y < l->height; y++)
        n += l->rows[y].role == role;
    return n;
}

/* The marker has a row of its own, so the title gets the whole width: a
 * 60-column title is one row beside the longest marker. */
static void
test_title_has_whole_width_beside_marker(void **state)
{
    (void)state;
    static struct view v;
    make_view(&v, 3);
    view_title(&v, "СЫНАҚ ПАКЕТІ · Аудандық мәслихат депутаттарын сайлау");
    assert_true(layout_width(v.title) > 80 - layout_width(marker_both) - 1);
    v.test_mode = true;
    v.no_audio = true;
    struct layout l;
    layout_build(&v, 80, 24, marker_both, "small", &l);
    assert_int_equal(l.rows[0].role, ROLE_TITLE);
    assert_string_equal(l.rows[0].text, v.title);
    assert_int_equal(l.rows[1].role, ROLE_MARKER);
    assert_string_equal(l.rows[1].text, marker_both);
    assert_int_equal(l.rows[2].role, ROLE_BLANK);
    layout_free(&l);

    /* A title that needs three rows is two, the second ending in "…";
     * a marker wider than the screen wraps, it is never wider. */
    view_title(&v, "%s %s %s", v.items[0].text, v.items[0].text,
               v.items[0].text);
    layout_build(&v, 40, 12, marker_both, "small", &l);
    assert_int_equal(l.rows[0].role, ROLE_TITLE);
    assert_int_equal(l.rows[1].role, ROLE_TITLE);
    assert_non_null(strstr(l.rows[1].text, "…"));
    assert_int_equal(l.rows[2].role, ROLE_MARKER);
    for (int y = 0; y < l.height; y++)
        assert_true(layout_width(l.rows[y].text) <= 40);
    layout_free(&l);
}

/* The welcome screen's hint in kk and ru is wider than 80 columns: it
 * takes two rows, broken between the languages, and every key shows. */
static void
test_hint_wraps_between_languages(void **state)
{
    (void)state;
    static struct view v;
    make_view(&v, 3);
    view_hint(&v, "%s", both_hints);
    assert_true(layout_width(both_hints) > 80);
    struct layout l;
    layout_build(&v, 80, 24, "TEST MODE", "small", &l);
    assert_int_equal(l.rows[22].role, ROLE_HINT);
    assert_string_equal(l.rows[22].text,
                        "Enter: таңдау   F1: анықтама   R: қайталау");
    assert_int_equal(l.rows[23].role, ROLE_HINT);
    assert_string_equal(l.rows[23].text,
                        "Enter: выбрать   F1: справка   R: повтор");
    layout_free(&l);

    /* One language at 40 columns breaks between keys, not inside one. */
    view_hint(&v, "%s", "Enter: выбрать   Escape: назад   F1: справка");
    layout_build(&v, 40, 24, "TEST MODE", "small", &l);
    assert_string_equal(l.rows[22].text, "Enter: выбрать   Escape: назад");
    assert_string_equal(l.rows[23].text, "F1: справка");
    layout_free(&l);

    /* At 40x10 both languages need three rows and get two: the second
     * ends in "…", and the body keeps its rows. */
    view_hint(&v, "%s", both_hints);
    view_focus_rank(&v, 1);
    layout_build(&v, 40, 10, "TEST MODE", "small", &l);
    assert_int_equal(count_role(&l, ROLE_HINT), 2);
    assert_int_equal(l.rows[9].role, ROLE_HINT);
    assert_non_null(strstr(l.rows[9].text, "…"));
    assert_true(find_row(&l, ROLE_SELECTED, "▶ 1.") >= 0);
    layout_free(&l);
}

/* Like the voting flow's review: a paragraph, each ballot's choice with
 * its guidance, then "Change ballot N" for each ballot and "Finish". */
static void
make_review(struct view *v, int n_ballots)
{
    memset(v, 0, sizeof *v);
    view_reset(v, LANG_KK);
    view_title(v, "СЫНАҚ ПАКЕТІ · Шолу");
    view_add(v, VIEW_TEXT,
             "Әр бюллетеньде белгіні қайда қою керегі "
             "осында. Өзгерту үшін бюллетеньді таңдаңыз "
             "немесе аяқтаңыз.");
    for (int b = 1; b <= n_ballots; b++) {
        view_add(v, VIEW_TEXT,
                 "%d-бюллетень: Аудандық мәслихат депутатын № 7 Алмалы бір "
                 "мандатты сайлау округі бойынша сайлауға арналған сайлау "
                 "бюллетені",
                 b);
        view_add(v, VIEW_TEXT,
                 "Трафаретті бюллетеньдің үстіне оның кесілген "
                 "бұрышы бюллетеньдің кесілген бұрышына, "
                 "жоғарғы оң жаққа дәл келетіндей етіп "
                 "қойыңыз.");
        view_add(v, VIEW_TEXT,
                 "Жоғарыдан 7 терезенің 3-терезесі, Брайль "
                 "⠼⠉: Бекмұхамбетов Нұрлан Асқарұлы.");
    }
    for (int b = 1; b <= n_ballots; b++)
        view_option(v, b, "%d-бюллетеньді өзгерту", b);
    view_option(v, 0, "Аяқтау");
    view_hint(v, "Enter: таңдау   Escape: артқа");
    v->test_mode = true;
}

/* At 80x24 the review's text is taller than the screen: every option
 * still shows, whichever has the focus, and a row says that there is more
 * text above. */
static void
test_review_shows_every_option(void **state)
{
    (void)state;
    static struct view v;
    make_review(&v, 3);
    for (size_t rank = 1; rank <= 4; rank++) {
        view_focus_rank(&v, rank);
        struct layout l;
        layout_build(&v, 80, 24, "TEST MODE · СЫНАҚ РЕЖИМІ", "small", &l);
        for (int b = 1; b <= 3; b++) {
            char want[64];
            snprintf(want, sizeof want, "%d-бюллетеньді өзгерту", b);
            assert_true(find_row(&l, ROLE_OPTION, want) >= 0 ||
                        find_row(&l, ROLE_SELECTED, want) >= 0);
        }
        assert_true(find_row(&l, ROLE_OPTION, "Аяқтау") >= 0 ||
                    find_row(&l, ROLE_SELECTED, "Аяқтау") >= 0);
        assert_int_equal(count_role(&l, ROLE_SELECTED), 1);
        /* The text above is scrolled away, and that shows. */
        int up = find_row(&l, ROLE_MORE, "▲");
        assert_int_equal(up, 3); /* title, marker, blank, then "▲ …" */
        assert_int_equal(find_row(&l, ROLE_MORE, "▼"), -1);
        assert_int_equal(l.rows[23].role, ROLE_HINT);
        layout_free(&l);
    }
}

/* A list longer than the screen: the focused option's neighbours show,
 * with "▲ …" and "▼ …" where options are hidden. */
static void
test_long_list_shows_neighbours(void **state)
{
    (void)state;
    static struct view v;
    make_view(&v, 40);
    struct layout l;
    for (size_t rank = 1; rank <= 40; rank++) {
        view_focus_rank(&v, rank);
        layout_build(&v, 80, 24, "TEST MODE", "small", &l);
        char want[16];
        snprintf(want, sizeof want, "▶ %zu.", rank);
        int y = find_row(&l, ROLE_SELECTED, want);
        assert_true(y >= 0);
        if (rank > 1)
            assert_int_equal(l.rows[y - 1].role, ROLE_OPTION);
        if (rank < 40)
            assert_int_equal(l.rows[y + 1].role, ROLE_OPTION);
        /* An indicator exactly when something is hidden there. */
        bool up = find_row(&l, ROLE_MORE, "▲ …") >= 0;
        bool down = find_row(&l, ROLE_MORE, "▼ …") >= 0;
        assert_int_equal(up, find_row(&l, ROLE_TEXT, "Әр кандидаттың") < 0);
        assert_int_equal(down,
                         rank < 40 && find_row(&l, ROLE_OPTION, "40. ") < 0);
        if (rank == 1)
            assert_true(!up && down);
        if (rank == 40)
            assert_true(up && !down);
        layout_free(&l);
    }
}

/* Words of 7 letters of 4 bytes each (U+1D400..), 2000 code points with
 * the spaces: the longest text an election package may hold, in as many
 * bytes as it can take. */
static void
long_text(char *buf, size_t size)
{
    size_t o = 0;
    for (int w = 0; w < 250; w++) {
        for (int c = 0; c < 7; c++) {
            assert_true(o + 5 < size);
            unsigned cp = 0x1D400 + (unsigned)((w + c) % 26);
            buf[o++] = (char)(0xF0 | cp >> 18);
            buf[o++] = (char)(0x80 | (cp >> 12 & 0x3F));
            buf[o++] = (char)(0x80 | (cp >> 6 & 0x3F));
            buf[o++] = (char)(0x80 | (cp & 0x3F));
        }
        if (w < 249)
            buf[o++] = ' ';
    }
    buf[o] = '\0';
}

/* Every row of ROLE joined with spaces. */
static void
join_rows(const struct layout *l, enum layout_role role, char *out, size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (int y = 0; y < l->height; y++) {
        if (l->rows[y].role != role)
            continue;
        int n = snprintf(out + o, size - o, "%s%s", o > 0 ? " " : "",
                         l->rows[y].text);
        assert_true(n >= 0 && (size_t)n < size - o);
        o += (size_t)n;
    }
}

/* A text of 2000 code points is wrapped whole, even where a line of the
 * screen holds more bytes than a row (400 columns of 4-byte letters); on
 * a smaller screen it is scrolled, and the rows that do not fit are
 * announced by "▼ …". */
static void
test_package_text_is_never_cut_silently(void **state)
{
    (void)state;
    static struct view v;
    static char text[VIEW_TEXT_MAX], joined[2 * VIEW_TEXT_MAX];
    long_text(text, sizeof text);
    memset(&v, 0, sizeof v);
    view_reset(&v, LANG_KK);
    view_title(&v, "Кандидат");
    view_add(&v, VIEW_TEXT, "%s", text);
    assert_false(v.cut);
    assert_string_equal(v.items[0].text, text);

    struct layout l;
    layout_build(&v, 400, 60, "TEST MODE", "small", &l);
    join_rows(&l, ROLE_TEXT, joined, sizeof joined);
    assert_string_equal(joined, text);
    for (int y = 0; y < l.height; y++)
        assert_true(layout_width(l.rows[y].text) <= 400);
    layout_free(&l);

    /* The same text as an option, focused. */
    view_reset(&v, LANG_KK);
    view_title(&v, "Кандидат");
    view_option(&v, 1, "%s", text);
    view_focus_rank(&v, 1);
    layout_build(&v, 400, 60, "TEST MODE", "small", &l);
    assert_int_equal(count_role(&l, ROLE_SELECTED), 8);
    layout_free(&l);

    /* At 80x24 it does not fit: the rows shown are its beginning, and
     * the last row of the body says there is more. */
    layout_build(&v, 80, 24, "TEST MODE", "small", &l);
    assert_int_equal(strncmp(l.rows[2].text, "▶ ", strlen("▶ ")), 0);
    assert_int_equal(strncmp(l.rows[2].text + strlen("▶ "), text,
                             strlen(l.rows[2].text) - strlen("▶ ")),
                     0);
    assert_int_equal(l.rows[22].role, ROLE_MORE);
    assert_string_equal(l.rows[22].text, "▼ …");
    layout_free(&l);

    /* As a title: two rows, the second ending in "…". */
    view_title(&v, "%s", text);
    layout_build(&v, 80, 24, "TEST MODE", "small", &l);
    assert_int_equal(l.rows[1].role, ROLE_TITLE);
    assert_non_null(strstr(l.rows[1].text, "…"));
    assert_int_equal(l.rows[2].role, ROLE_BLANK);
    layout_free(&l);
}

/* Every size from the minimum up, every focus: no row wider than the
 * screen, the focused option shown, the title first and the hint last. */
static void
test_every_size_keeps_focus_and_hint(void **state)
{
    (void)state;
    static struct view v;
    make_review(&v, 3);
    view_hint(&v, "%s", both_hints);
    view_notice(&v, "%s", v.items[1].text);
    v.no_audio = true;
    for (int rows = LAYOUT_MIN_ROWS; rows <= 30; rows += 5) {
        for (int cols = LAYOUT_MIN_COLS; cols <= 120; cols += 20) {
            for (size_t rank = 1; rank <= 4; rank++) {
                view_focus_rank(&v, rank);
                struct layout l;
                layout_build(&v, cols, rows, marker_both, "small", &l);
                assert_int_equal(l.rows[0].role, ROLE_TITLE);
                assert_int_equal(l.rows[rows - 1].role, ROLE_HINT);
                assert_int_equal(count_role(&l, ROLE_SELECTED), 1);
                for (int y = 0; y < rows; y++)
                    assert_true(layout_width(l.rows[y].text) <= cols);
                layout_free(&l);
            }
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
        cmocka_unit_test(test_magnified_keeps_the_window_number),
        cmocka_unit_test(test_title_has_whole_width_beside_marker),
        cmocka_unit_test(test_hint_wraps_between_languages),
        cmocka_unit_test(test_review_shows_every_option),
        cmocka_unit_test(test_long_list_shows_neighbours),
        cmocka_unit_test(test_package_text_is_never_cut_silently),
        cmocka_unit_test(test_every_size_keeps_focus_and_hint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
