/*
 * Large text: real CyrAsia fonts, known glyph patterns in both cell
 * mappings, word wrapping that never exceeds the width and breaks at
 * spaces, and sizes that grow.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "accessibility/bigtext.h"
#include "accessibility/utf8.h"
#include "tests/unit/unit.h"

struct fixture {
    struct bigtext *half, *quad;
};

static int
setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    char *why = NULL;
    if (fx == NULL)
        return -1;
    if (bigtext_new(NULL, BIGTEXT_HALF, &fx->half, &why) < 0 ||
        bigtext_new(NULL, BIGTEXT_QUAD, &fx->quad, &why) < 0) {
        fprintf(stderr, "%s\n", why);
        free(why);
        return -1;
    }
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;
    bigtext_free(fx->half);
    bigtext_free(fx->quad);
    free(fx);
    return 0;
}

static size_t
count_cells(const char *s)
{
    size_t n = 0, len = strlen(s);
    for (size_t at = 0; at < len;) {
        uint32_t cp;
        int used = utf8_decode(s + at, len - at, &cp);
        assert_true(used > 0);
        at += (size_t)used;
        n++;
    }
    return n;
}

static void
test_known_glyph_half(void **state)
{
    struct fixture *fx = *state;
    struct bigtext_lines l;
    char *why = NULL;
    /* Т in TerminusBold14: bar on pixel row 2, stem in columns 3-4 down to
     * row 11; one cell is one pixel wide and two tall. */
    static const char *const want[] = {
        "        ", "▀▀▀██▀▀▀", "   ██   ", "   ██   ",
        "   ██   ", "   ██   ", "        ",
    };
    assert_int_equal(bigtext_layout(fx->half, 2, "Т", 80, &l, &why), 0);
    assert_int_equal(l.rows_per_line, 7);
    assert_int_equal(l.count, 7);
    for (size_t i = 0; i < 7; i++) {
        assert_string_equal(l.line[i], want[i]);
        assert_int_equal(l.cells[i], 8);
    }
    bigtext_lines_free(&l);
    assert_int_equal(l.count, 0);
    assert_null(l.line);
}

static void
test_known_glyph_quad(void **state)
{
    struct fixture *fx = *state;
    struct bigtext_lines l;
    char *why = NULL;
    /* The same Т with two pixels across a cell: the stem's columns 3 and
     * 4 fall in two different cells, right and left halves. */
    static const char *const want[] = {
        "    ", "▀▜▛▀", " ▐▌ ", " ▐▌ ", " ▐▌ ", " ▐▌ ", "    ",
    };
    assert_int_equal(bigtext_layout(fx->quad, 2, "Т", 80, &l, &why), 0);
    assert_int_equal(l.count, 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(l.line[i], want[i]);
    bigtext_lines_free(&l);
    /* I: serifs of four pixels (columns 2-5) on rows 2 and 11. */
    assert_int_equal(bigtext_layout(fx->quad, 2, "I", 80, &l, &why), 0);
    assert_string_equal(l.line[1], " ▜▛ ");
    assert_string_equal(l.line[5], " ▟▙ ");
    bigtext_lines_free(&l);
}

static void
test_size_one_wraps_at_spaces(void **state)
{
    (void)state;
    struct bigtext_lines l;
    char *why = NULL;
    assert_int_equal(bigtext_layout(NULL, 1, "hello world this  is long text",
                                    10, &l, &why),
                     0);
    static const char *const want[] = {"hello", "world this", "is long",
                                       "text"};
    assert_int_equal(l.count, 4);
    assert_int_equal(l.rows_per_line, 1);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(l.line[i], want[i]);
    bigtext_lines_free(&l);

    /* A word longer than the width is broken; '\n' forces a line. */
    assert_int_equal(bigtext_layout(NULL, 1, "Қазақстан\nӘ ә", 4, &l, &why), 0);
    static const char *const want2[] = {"Қаза", "қста", "н", "Ә ә"};
    assert_int_equal(l.count, 4);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(l.line[i], want2[i]);
    assert_int_equal(l.cells[0], 4);
    bigtext_lines_free(&l);

    assert_int_equal(bigtext_layout(NULL, 1, "", 10, &l, &why), 0);
    assert_int_equal(l.count, 0);
    bigtext_lines_free(&l);
}

static void
test_big_wraps_at_spaces(void **state)
{
    struct fixture *fx = *state;
    struct bigtext_lines all, one, two;
    char *why = NULL;
    /* 21 cells hold two 8-cell letters, not "ӘЖ Қ" (3 letters + space). */
    assert_int_equal(bigtext_layout(fx->half, 2, "ӘЖ Қ", 21, &all, &why), 0);
    assert_int_equal(bigtext_layout(fx->half, 2, "ӘЖ", 21, &one, &why), 0);
    assert_int_equal(bigtext_layout(fx->half, 2, "Қ", 21, &two, &why), 0);
    assert_int_equal(all.count, 14);
    for (size_t r = 0; r < 7; r++) {
        assert_string_equal(all.line[r], one.line[r]);
        assert_string_equal(all.line[7 + r], two.line[r]);
    }
    bigtext_lines_free(&all);
    bigtext_lines_free(&one);
    bigtext_lines_free(&two);
    /* 32 cells hold all four characters on one line of text. */
    assert_int_equal(bigtext_layout(fx->half, 2, "ӘЖ Қ", 32, &all, &why), 0);
    assert_int_equal(all.count, 7);
    assert_int_equal(all.cells[0], 32);
    bigtext_lines_free(&all);
}

static void
test_never_wider_than_width(void **state)
{
    struct fixture *fx = *state;
    static const char text[] =
        "Сайлау учаскесі № 12. Бюллетеньде 16 кандидат бар; "
        "Бәріне қарсы соңғы жолда. Выборы в маслихат: Жоқ / Нет, "
        "Иә / Да. Өтініш нөмірі 2026-000123 Һ Ұ Ү Ғ Ң І "
        "averyveryverylongwordwithoutanyspaceatallthatmustbreak";
    struct bigtext *sets[] = {fx->half, fx->quad};
    for (int s = 0; s < 2; s++) {
        for (int size = 1; size <= 4; size++) {
            size_t cols = bigtext_char_cols(sets[s], size);
            for (size_t width = cols; width <= 100; width++) {
                struct bigtext_lines l;
                char *why = NULL;
                assert_int_equal(bigtext_layout(sets[s], size, text, width, &l,
                                                &why),
                                 0);
                assert_true(l.count > 0);
                assert_int_equal(l.count % l.rows_per_line, 0);
                for (size_t i = 0; i < l.count; i++) {
                    size_t n = count_cells(l.line[i]);
                    assert_int_equal(n, l.cells[i]);
                    if (n > width)
                        fail_msg("size %d width %zu line %zu: %zu cells", size,
                                 width, i, n);
                }
                bigtext_lines_free(&l);
            }
        }
    }
}

static void
test_sizes_grow(void **state)
{
    struct fixture *fx = *state;
    struct bigtext *sets[] = {fx->half, fx->quad};
    for (int s = 0; s < 2; s++) {
        size_t prev_rows = 0, prev_cols = 0;
        for (int size = 1; size <= 4; size++) {
            struct bigtext_lines l;
            char *why = NULL;
            assert_int_equal(bigtext_layout(sets[s], size, "Ә", 200, &l, &why),
                             0);
            assert_true(l.count > prev_rows);
            assert_true(l.cells[0] > prev_cols);
            assert_int_equal(l.count, bigtext_char_rows(sets[s], size));
            prev_rows = l.count;
            prev_cols = l.cells[0];
            bigtext_lines_free(&l);
        }
    }
    assert_int_equal(bigtext_char_rows(fx->half, 2), 7);
    assert_int_equal(bigtext_char_rows(fx->half, 3), 9);
    assert_int_equal(bigtext_char_rows(fx->half, 4), 12);
    assert_int_equal(bigtext_char_cols(fx->quad, 4), 6);
}

static void
test_bad_requests(void **state)
{
    struct fixture *fx = *state;
    struct bigtext_lines l;
    char *why = NULL;
    assert_int_equal(bigtext_layout(fx->half, 5, "a", 80, &l, &why), -1);
    assert_non_null(why);
    free(why);
    assert_int_equal(bigtext_layout(fx->half, 0, "a", 80, &l, &why), -1);
    free(why);
    assert_int_equal(bigtext_layout(NULL, 3, "a", 80, &l, &why), -1);
    free(why);
    assert_int_equal(bigtext_layout(fx->half, 4, "a", 11, &l, &why), -1);
    assert_non_null(strstr(why, "narrow"));
    free(why);
    assert_int_equal(bigtext_layout(fx->half, 1, "a", 0, &l, &why), -1);
    free(why);
    assert_null(bigtext_font_file(1));
    assert_string_equal(bigtext_font_file(4),
                        "CyrAsia-TerminusBold24x12.psf.gz");
}

static void
test_invalid_utf8_and_missing_glyphs(void **state)
{
    struct fixture *fx = *state;
    struct bigtext_lines l, q;
    char *why = NULL;
    assert_int_equal(bigtext_layout(NULL, 1, "a\xff\tb", 10, &l, &why), 0);
    assert_string_equal(l.line[0], "a\xef\xbf\xbd b");
    bigtext_lines_free(&l);
    /* A character the font lacks draws as '?', a broken byte as the
     * font's replacement glyph (a diamond in Terminus). */
    assert_int_equal(bigtext_layout(fx->half, 2, "中\xc3", 80, &l, &why), 0);
    assert_int_equal(bigtext_layout(fx->half, 2, "?\xef\xbf\xbd", 80, &q, &why),
                     0);
    assert_string_not_equal(l.line[3], "                ");
    assert_int_equal(l.count, q.count);
    for (size_t i = 0; i < l.count; i++)
        assert_string_equal(l.line[i], q.line[i]);
    bigtext_lines_free(&l);
    bigtext_lines_free(&q);
}

static void
test_missing_font_dir(void **state)
{
    (void)state;
    struct bigtext *bt = NULL;
    char *why = NULL;
    assert_int_equal(bigtext_new("/nonexistent", BIGTEXT_HALF, &bt, &why), -1);
    assert_null(bt);
    assert_non_null(strstr(why, "CyrAsia-TerminusBold14.psf.gz"));
    free(why);
    bigtext_free(NULL);
}

UNIT_MAIN(setup, teardown, cmocka_unit_test(test_known_glyph_half),
          cmocka_unit_test(test_known_glyph_quad),
          cmocka_unit_test(test_size_one_wraps_at_spaces),
          cmocka_unit_test(test_big_wraps_at_spaces),
          cmocka_unit_test(test_never_wider_than_width),
          cmocka_unit_test(test_sizes_grow),
          cmocka_unit_test(test_bad_requests),
          cmocka_unit_test(test_invalid_utf8_and_missing_glyphs),
          cmocka_unit_test(test_missing_font_dir))
