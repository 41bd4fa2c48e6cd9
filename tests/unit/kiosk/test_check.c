/*
 * "Check this terminal" and the staff's reports, driven headless: every key
 * of the numpad profile is named and ticked, all of them go on by
 * themselves, Back pressed twice (or the keyboard's Escape) goes on with
 * the missing keys listed; the sound test is a chime then a sentence in kk
 * and in ru; the printer test and the opening report are effects that
 * carry the check; the close-of-day report is asked for from the staff
 * menu; a voter's session is counted when voting starts (FX_VOTER_SESSION),
 * with nothing else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/input-event-codes.h>

#include "ballot/package.h"
#include "kiosk/report.h"
#include "tests/unit/kiosk/driver.h"
#include "tests/unit/unit.h"

static const unsigned numpad[] = {
    KEY_KPSLASH, KEY_KPASTERISK, KEY_KPMINUS, KEY_KP7,   KEY_KP8,       KEY_KP9,
    KEY_KPPLUS,  KEY_KP4,        KEY_KP5,     KEY_KP6,   KEY_KP1,       KEY_KP2,
    KEY_KP3,     KEY_KPENTER,    KEY_KP0,     KEY_KPDOT, KEY_BACKSPACE,
};
#define N_KEYS (sizeof numpad / sizeof numpad[0])

static struct driver *
start(bool keypad)
{
    return driver_new(&(struct driver_options){
        .mode = MODE_BOTH,
        .first_lang = LANG_EN,
        .pin = "246810",
        .keypad = keypad ? "data/keypad/numpad.profile" : NULL,
        .key_ms = 400,
    });
}

static void
login(struct driver *d)
{
    driver_press(d, TERM_KEY_F10, 0);
    driver_enter_text(d, "246810");
    assert_true(driver_shows(d, "Staff menu"));
}

static void
open_check(struct driver *d)
{
    login(d);
    assert_true(driver_focus(d, "Check this terminal"));
    driver_enter(d);
}

/* The FX_REPORT of the last key, or NULL. */
static const struct fx *
report_fx(const struct driver *d)
{
    for (size_t i = 0; i < d->out.n; i++)
        if (d->out.v[i].kind == FX_REPORT)
            return &d->out.v[i];
    return NULL;
}

static void
test_every_key_named_and_ticked(void **state)
{
    (void)state;
    struct driver *d = start(true);
    open_check(d);
    assert_true(driver_shows(d, "Check this terminal: the keys"));
    assert_true(driver_shows(d, "Keys pressed: 0 of 17"));
    assert_true(driver_said(d, LANG_EN, "Keys pressed: 0 of 17"));
    driver_pad(d, KEY_KP8); /* "up" elsewhere: here only named */
    assert_true(driver_said(d, LANG_EN, "Keypad 8. Keys pressed: 1 of 17."));
    assert_true(driver_shows(d, "Pressed: Keypad 8"));
    /* Pressed again: named again, not counted twice. */
    driver_pad(d, KEY_KP8);
    assert_true(driver_said(d, LANG_EN, "Keypad 8. Keys pressed: 1 of 17."));
    for (size_t i = 0; i < N_KEYS; i++) {
        if (numpad[i] == KEY_KP8)
            continue;
        assert_true(driver_shows(d, "Check this terminal: the keys"));
        driver_pad(d, numpad[i]);
    }
    /* The last key goes on by itself. */
    assert_true(driver_has_fx(d, FX_AUDIT, "check: keys 17 of 17 pressed"));
    assert_true(driver_shows(d, "Check this terminal: the headphones"));
    driver_free(d);
}

static void
test_back_twice_goes_on_with_missing_keys(void **state)
{
    (void)state;
    struct driver *d = start(true);
    open_check(d);
    driver_pad(d, KEY_KP5);
    driver_pad(d, KEY_KP7); /* Back: ticked, and how to go on */
    assert_true(driver_said(d, LANG_EN,
                            "Keypad 7. Keys pressed: 2 of 17. "
                            "Press Back again to go on."));
    assert_true(driver_shows(d, "Check this terminal: the keys"));
    /* Another key in between: Back starts again. */
    driver_pad(d, KEY_KP8);
    driver_pad(d, KEY_KP7);
    assert_true(driver_said(d, LANG_EN,
                            "Keypad 7. Keys pressed: 3 of 17. "
                            "Press Back again to go on."));
    assert_true(driver_shows(d, "Check this terminal: the keys"));
    driver_pad(d, KEY_KP7);
    assert_true(driver_has_fx(d, FX_AUDIT, "check: keys 3 of 17 pressed"));
    assert_true(driver_shows(d, "Check this terminal: the headphones"));
    /* Yes, then the result lists what was not pressed. */
    assert_true(driver_focus(d, "Yes, I heard"));
    driver_enter(d);
    assert_true(driver_shows(d, "Keypad keys pressed: 3 of 17"));
    assert_true(driver_shows(d, "Keys not pressed: Keypad slash, Keypad "
                                "star"));
    driver_free(d);
}

static void
test_keyboard_escape_goes_on(void **state)
{
    (void)state;
    struct driver *d = start(true);
    open_check(d);
    driver_pad(d, KEY_KP1); /* language elsewhere: here only named */
    assert_int_equal(app_lang(d->app), LANG_EN);
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_has_fx(d, FX_AUDIT, "check: keys 1 of 17 pressed"));
    assert_true(driver_shows(d, "Check this terminal: the headphones"));
    /* From here Escape leaves the check. */
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_shows(d, "Staff menu"));
    driver_free(d);
}

static void
test_sound_printer_and_opening_report(void **state)
{
    (void)state;
    struct driver *d = start(false);
    app_set_election(d->app, NULL);
    open_check(d);
    /* No keypad: the check starts with the sound. */
    assert_true(driver_shows(d, "Check this terminal: the headphones"));
    assert_string_equal(driver_focused(d), "Play the chime and the sentences");
    driver_enter(d);
    /* A chime, then kk, then ru, in that order. */
    int chime = -1, kk = -1, ru = -1;
    for (size_t i = 0; i < d->out.n; i++) {
        const struct fx *f = &d->out.v[i];
        if (f->kind != FX_SAY)
            continue;
        if (f->spans[0].lang == FX_LANG_CHIME && chime < 0)
            chime = (int)i;
        else if (f->lang == LANG_KK && kk < 0)
            kk = (int)i;
        else if (f->lang == LANG_RU && ru < 0)
            ru = (int)i;
    }
    assert_true(chime >= 0 && chime < kk && kk < ru);
    assert_non_null(strstr(d->out.v[kk].text, "Бұл"));
    assert_non_null(strstr(d->out.v[ru].text, "Это"));
    assert_true(driver_focus(d, "No, something was missing"));
    driver_enter(d);
    assert_true(driver_has_fx(d, FX_AUDIT, "check: sound heard=no"));
    assert_true(driver_shows(d, "The sound was NOT heard."));
    assert_true(driver_shows(d, "No package is loaded."));
    /* The printer test is an effect; then staff say what came out. */
    assert_string_equal(driver_focused(d), "Print the test line");
    driver_enter(d);
    assert_int_equal(driver_count(d, FX_PRINT_TEST), 1);
    assert_string_equal(driver_focused(d), "Yes, the test line came out");
    driver_enter(d);
    assert_true(driver_shows(d, "The test line was printed."));
    assert_string_equal(driver_focused(d), "Write the opening report");
    driver_enter(d);
    assert_true(driver_shows(d, "Type the folder to write the report"));
    driver_enter_text(d, "/media/stick");
    const struct fx *f = report_fx(d);
    assert_non_null(f);
    assert_int_equal(f->value, REPORT_OPENING);
    assert_string_equal(f->text, "/media/stick");
    assert_non_null(f->check);
    assert_false(f->check->keypad);
    assert_int_equal(f->check->heard, REPORT_NO);
    assert_int_equal(f->check->printed, REPORT_YES);
    driver_free(d);
}

static void
test_close_of_day_and_sessions(void **state)
{
    (void)state;
    struct driver *d = start(false);
    struct election *e = NULL;
    char *why = NULL;
    if (package_read("data/demo/election", &e, &why) < 0)
        fail_msg("%s", why);
    app_set_election(d->app, e);
    app_set_voting(d->app, true);
    driver_enter(d); /* welcome */
    driver_enter(d); /* home: voting assistance */
    assert_int_equal(driver_count(d, FX_VOTER_SESSION), 0);
    assert_true(driver_focus(d, "Start voting"));
    driver_enter(d);
    assert_int_equal(driver_count(d, FX_VOTER_SESSION), 1);
    login(d);
    assert_true(driver_focus(d, "Close-of-day report"));
    driver_enter(d);
    driver_enter_text(d, "/media/stick");
    const struct fx *f = report_fx(d);
    assert_non_null(f);
    assert_int_equal(f->value, REPORT_CLOSING);
    assert_string_equal(f->text, "/media/stick");
    assert_null(f->check);
    /* The check's result shows the package's short hash and says it
     * character by character. */
    assert_true(driver_focus(d, "Check this terminal"));
    driver_enter(d);
    assert_true(driver_focus(d, "Yes, I heard"));
    driver_enter(d);
    char want[64];
    snprintf(want, sizeof want, "hash %.7s.", e->hash);
    assert_true(driver_shows(d, want));
    snprintf(want, sizeof want, "hash %c %c %c", e->hash[0], e->hash[1],
             e->hash[2]);
    assert_true(driver_said(d, LANG_EN, want));
    /* Package information shows the same short hash. */
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_shows(d, "Staff menu"));
    assert_true(driver_focus(d, "Election package and voting"));
    driver_enter(d);
    assert_true(driver_focus(d, "Package information"));
    driver_enter(d);
    snprintf(want, sizeof want, "Short hash: %.7s", e->hash);
    assert_true(driver_shows(d, want));
    snprintf(want, sizeof want, "Short hash: %c %c %c %c", e->hash[0],
             e->hash[1], e->hash[2], e->hash[3]);
    assert_true(driver_said(d, LANG_EN, want));
    driver_free(d);
}

static void
test_guide_menu(void **state)
{
    (void)state;
    struct driver *d = start(false);
    login(d);
    assert_true(driver_focus(d, "Staff guide"));
    driver_enter(d);
    assert_true(driver_focus(d, "Print the short guide"));
    driver_enter(d);
    assert_int_equal(driver_count(d, FX_GUIDE), 1);
    assert_int_equal(d->out.v[0].kind == FX_GUIDE ? d->out.v[0].value : 0, 0);
    assert_true(driver_focus(d, "Write the guide as PDF"));
    driver_enter(d);
    driver_enter_text(d, "/media/stick");
    assert_true(driver_has_fx(d, FX_GUIDE, "/media/stick"));
    driver_free(d);
}

/* In Kazakh on an 80x24 terminal: the keys step, with every key of the
 * numpad still to press, fits with its count and its hint; the names are
 * Kazakh; the sound step is in Kazakh too. */
static void
test_kazakh_at_80x24(void **state)
{
    (void)state;
    struct driver *d = driver_new(&(struct driver_options){
        .mode = MODE_BOTH,
        .first_lang = LANG_KK,
        .pin = "246810",
        .keypad = "data/keypad/numpad.profile",
        .key_ms = 400,
    });
    driver_press(d, TERM_KEY_F10, 0);
    driver_enter_text(d, "246810");
    assert_true(driver_focus(d, "Терминалды тексеру"));
    driver_enter(d);
    assert_true(
        driver_laid_out(d, 80, 24, true, "Басылған пернелер: 17 ішінен 0"));
    assert_true(driver_laid_out(d, 80, 24, true, "Escape: әрі қарай"));
    assert_true(driver_said(d, LANG_KK,
                            "Пернетақтаның әр пернесін бір рет "
                            "басыңыз"));
    driver_pad(d, KEY_KP5);
    assert_true(driver_said(d, LANG_KK, "Басылған пернелер: 17 ішінен 1."));
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(
        driver_laid_out(d, 80, 24, true, "Терминалды тексеру: құлаққап"));
    assert_true(
        driver_laid_out(d, 80, 24, true, "Иә, сигналды және екі сөйлемді"));
    driver_free(d);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_kazakh_at_80x24),
          cmocka_unit_test(test_every_key_named_and_ticked),
          cmocka_unit_test(test_back_twice_goes_on_with_missing_keys),
          cmocka_unit_test(test_keyboard_escape_goes_on),
          cmocka_unit_test(test_sound_printer_and_opening_report),
          cmocka_unit_test(test_close_of_day_and_sessions),
          cmocka_unit_test(test_guide_menu))
