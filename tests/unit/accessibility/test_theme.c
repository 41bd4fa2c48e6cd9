/*
 * Themes: the WCAG formula against published values, every built-in theme's
 * worst contrast on every palette a terminal may offer, and a low-contrast
 * theme that the same check rejects (so the check can fail).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "accessibility/theme.h"
#include "tests/unit/unit.h"

static const struct rgb black = {0, 0, 0};
static const struct rgb white = {255, 255, 255};

static void
test_wcag_known_values(void **state)
{
    (void)state;
    assert_float_equal(theme_luminance(black), 0.0, 1e-9);
    assert_float_equal(theme_luminance(white), 1.0, 1e-9);
    assert_float_equal(theme_contrast(black, white), 21.0, 1e-9);
    assert_float_equal(theme_contrast(white, black), 21.0, 1e-9);
    /* #777777 on white is the classic "just fails AA": 4.48:1. */
    struct rgb g77 = {0x77, 0x77, 0x77};
    assert_float_equal(theme_contrast(g77, white), 4.48, 0.005);
    /* #767676 is the lightest grey that passes 4.5:1 (4.54). */
    struct rgb g76 = {0x76, 0x76, 0x76};
    assert_float_equal(theme_contrast(g76, white), 4.54, 0.005);
    /* Pure primaries: red 0.2126, green 0.7152, blue 0.0722. */
    assert_float_equal(theme_luminance((struct rgb){255, 0, 0}), 0.2126, 1e-9);
    assert_float_equal(theme_luminance((struct rgb){0, 255, 0}), 0.7152, 1e-9);
    assert_float_equal(theme_luminance((struct rgb){0, 0, 255}), 0.0722, 1e-9);
    /* Yellow on black 19.56:1, blue on white 8.59:1. */
    assert_float_equal(theme_contrast((struct rgb){255, 255, 0}, black), 19.56,
                       0.01);
    assert_float_equal(theme_contrast((struct rgb){0, 0, 255}, white), 8.59,
                       0.01);
    /* The linear segment below 0.04045: #0a0a0a is 10/255/12.92. */
    assert_float_equal(theme_luminance((struct rgb){10, 10, 10}),
                       10.0 / 255.0 / 12.92, 1e-12);
    assert_float_equal(theme_contrast(g77, g77), 1.0, 1e-12);
}

static void
test_palettes(void **state)
{
    (void)state;
    struct theme_palette p;
    theme_palette_init(&p, THEME_PALETTE_8);
    assert_int_equal(p.count, 8);
    assert_int_equal(theme_nearest(&p, white), 7);
    struct rgb w = theme_shown(&p, white);
    assert_int_equal(w.r, 0xe5);
    assert_int_equal(theme_nearest(&p, (struct rgb){0x0a, 0x1a, 0x40}), 0);
    assert_int_equal(theme_nearest(&p, (struct rgb){250, 20, 10}), 1);

    theme_palette_init(&p, THEME_PALETTE_16);
    assert_int_equal(theme_nearest(&p, white), 15);
    assert_int_equal(theme_nearest(&p, black), 0);
    assert_int_equal(theme_nearest(&p, (struct rgb){250, 250, 10}), 11);

    theme_palette_init(&p, THEME_PALETTE_256);
    assert_int_equal(theme_nearest(&p, (struct rgb){0, 0, 95}), 17);
    assert_int_equal(theme_nearest(&p, (struct rgb){128, 128, 128}), 244);

    theme_palette_init(&p, THEME_PALETTE_TRUE);
    assert_int_equal(theme_nearest(&p, white), -1);
    for (int v = 0; v < 256; v++) {
        struct rgb c = {(uint8_t)v, (uint8_t)(255 - v), (uint8_t)(v / 2)};
        struct rgb s = theme_shown(&p, c);
        assert_memory_equal(&s, &c, sizeof c);
    }
    assert_int_equal(theme_curses_level(255), 1000);
    assert_int_equal(theme_curses_level(0), 0);

    assert_int_equal(theme_palette_pick(256, true), THEME_PALETTE_TRUE);
    assert_int_equal(theme_palette_pick(256, false), THEME_PALETTE_256);
    assert_int_equal(theme_palette_pick(16, false), THEME_PALETTE_16);
    assert_int_equal(theme_palette_pick(8, true), THEME_PALETTE_8);
}

static void
test_every_theme_meets_its_ratio(void **state)
{
    (void)state;
    static const enum theme_palette_kind kinds[] = {THEME_PALETTE_TRUE,
                                                    THEME_PALETTE_256,
                                                    THEME_PALETTE_16,
                                                    THEME_PALETTE_8};
    assert_true(theme_count() >= 4);
    for (size_t i = 0; i < theme_count(); i++) {
        const struct theme *t = theme_at(i);
        assert_non_null(t);
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            struct theme_palette p;
            theme_palette_init(&p, kinds[k]);
            double ratio = theme_min_contrast(t, &p);
            double need = theme_required(t, &p);
            if (ratio < need)
                fail_msg("theme %s on palette %d: %.2f < %.2f", t->name,
                         (int)kinds[k], ratio, need);
        }
    }
}

static void
test_issue_thresholds(void **state)
{
    (void)state;
    struct theme_palette tc, p16, p8;
    theme_palette_init(&tc, THEME_PALETTE_TRUE);
    theme_palette_init(&p16, THEME_PALETTE_16);
    theme_palette_init(&p8, THEME_PALETTE_8);
    const struct theme *d = theme_find("default");
    assert_non_null(d);
    assert_ptr_equal(d, theme_at(0));
    assert_true(theme_min_contrast(d, &tc) >= 10.0);
    assert_true(theme_min_contrast(d, &p16) >= 10.0);
    assert_true(theme_min_contrast(d, &p8) >= 10.0);
    static const char *const bw[] = {"white-on-black", "black-on-white"};
    for (int i = 0; i < 2; i++) {
        const struct theme *t = theme_find(bw[i]);
        assert_non_null(t);
        assert_float_equal(theme_min_contrast(t, &tc), 21.0, 1e-9);
        assert_float_equal(theme_min_contrast(t, &p16), 21.0, 1e-9);
        assert_true(theme_required(t, &p16) >= 20.0);
        /* Only #e5e5e5 white on 8 colours: 20:1 is out of reach there. */
        assert_true(theme_min_contrast(t, &p8) < 20.0);
        assert_true(theme_min_contrast(t, &p8) >= 15.0);
    }
    const struct theme *y = theme_find("yellow-on-black");
    assert_non_null(y);
    assert_true(theme_min_contrast(y, &tc) >= 15.0);
    assert_true(theme_min_contrast(y, &p16) >= 15.0);
    assert_true(theme_min_contrast(y, &p8) >= 10.0);
}

static void
test_low_contrast_theme_fails(void **state)
{
    (void)state;
    struct theme grey = *theme_at(0);
    grey.name = "grey-on-grey";
    grey.role[THEME_HINT].fg = (struct rgb){0x99, 0x99, 0x99};
    grey.role[THEME_HINT].bg = (struct rgb){0x44, 0x44, 0x44};
    struct theme_palette tc, p8;
    theme_palette_init(&tc, THEME_PALETTE_TRUE);
    theme_palette_init(&p8, THEME_PALETTE_8);
    assert_true(theme_min_contrast(&grey, &tc) < theme_required(&grey, &tc));
    assert_true(theme_min_contrast(&grey, &tc) < 10.0);

    /* White on xterm blue looks fine but is only 9.4:1 as shown, and
     * 7.5:1 with the 8-colour white. */
    struct theme blue = *theme_at(0);
    for (int r = 0; r < THEME_ROLES; r++) {
        blue.role[r].fg = white;
        blue.role[r].bg = (struct rgb){0, 0, 0xee};
    }
    double on8 = theme_min_contrast(&blue, &p8);
    assert_true(on8 < 10.0);
    assert_float_equal(on8, 7.47, 0.01);
}

static void
test_lookup_and_cycle(void **state)
{
    (void)state;
    assert_null(theme_find("no-such-theme"));
    assert_null(theme_find(NULL));
    assert_null(theme_at(theme_count()));
    const struct theme *t = theme_at(0);
    for (size_t i = 0; i < theme_count(); i++) {
        assert_ptr_equal(theme_find(t->name), t);
        t = theme_next(t);
    }
    assert_ptr_equal(t, theme_at(0));
    assert_ptr_equal(theme_next(NULL), theme_at(0));
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_wcag_known_values),
          cmocka_unit_test(test_palettes),
          cmocka_unit_test(test_every_theme_meets_its_ratio),
          cmocka_unit_test(test_issue_thresholds),
          cmocka_unit_test(test_low_contrast_theme_fails),
          cmocka_unit_test(test_lookup_and_cycle))
