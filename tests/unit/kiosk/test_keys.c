/*
 * Keys named from the visitor's input, and pause with a state, driven
 * headless. Every instruction, hint and help text names its keys with
 * "{action}" tokens that the app fills from the input the visitor used
 * last: the numpad's profile ("5", "9") or the terminal keyboard ("Enter",
 * "F1"). A walk through the visitor's screens with the numpad, in kk and
 * ru, fails on any key the numpad does not have. Pause says one word,
 * shows PAUSED, is ended by any key (which also acts), and holds the idle
 * timer for up to idle_warning_s + idle_grace_s.
 */
#include <linux/input-event-codes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kiosk/layout.h"
#include "tests/unit/kiosk/driver.h"
#include "tests/unit/unit.h"

static struct driver *
start(int first_lang, bool keypad)
{
    return driver_new(&(struct driver_options){
        .mode = MODE_BOTH,
        .first_lang = first_lang,
        .keypad = keypad ? "data/keypad/numpad.profile" : NULL,
        .idle_warning_s = 180,
        .idle_grace_s = 30,
        .max_text_size = 4,
    });
}

/* Names of keys the numpad does not have, as kk, ru and en texts would
 * say them (whole words where a letter could be part of a word). */
static const char *const not_on_numpad[] = {
    "Escape",
    "F1",
    "F2",
    "стрелк",
    "Стрелк",
    "көрсеткі",
    "arrow",
    "Пробел",
    "Бос орын",
    "Space",
    " R ",
    " R:",
    "R —",
    " L ",
    "L пернес",
    " B ",
    "клавишей L",
    "больше и меньше",
    "үлкен және кіші",
    "Greater",
    "Вверх и Вниз",
    "Жоғары және Төмен",
    "{",
};

/* Fails when TEXT names a key the numpad does not have (or a token was
 * left unnamed). */
static void
assert_numpad_only(const char *text, const char *where)
{
    for (size_t i = 0; i < sizeof not_on_numpad / sizeof not_on_numpad[0];
         i++) {
        if (strstr(text, not_on_numpad[i]) != NULL)
            fail_msg("%s names \"%s\", which the numpad does not have:\n%s",
                     where, not_on_numpad[i], text);
    }
}

/* Everything said, the hint and help on the screen now, and help's key
 * description, with the numpad: none names a key it does not have. */
static void
check_screen(struct driver *d, const char *where)
{
    size_t mark = driver_mark(d);
    driver_pad(d, KEY_KP3); /* repeat */
    driver_pad(d, KEY_KP3); /* twice: the whole screen */
    assert_numpad_only(app_view(d->app)->hint, where);
    driver_pad(d, KEY_KP9); /* help */
    assert_true(driver_shows(d, "9"));
    driver_pad(d, KEY_KP7); /* close help */
    assert_numpad_only(driver_spoken_since(d, mark), where);
}

/* With the numpad, in kk and ru: the welcome, the offer of the lesson,
 * home, voting's start screen, the services, the curtain; every text said
 * and every hint names numpad keys only, and the numpad's own names. */
static void
test_numpad_names_only_its_keys(void **state)
{
    (void)state;
    for (int lang = LANG_KK; lang <= LANG_RU; lang++) {
        struct driver *d = start(lang, true);
        size_t mark = 0;
        const char *said = driver_spoken_since(d, mark);
        assert_numpad_only(said, "welcome");
        /* "5 — таңдау" / "5 — выбор": the numpad's keys by their digits. */
        assert_non_null(strstr(said, lang == LANG_KK ? "5 — тілді таңдау"
                                                     : "5 — выбор языка"));
        assert_non_null(strstr(said, lang == LANG_KK ? "8, 2 — жылжу"
                                                     : "8, 2 — перемещение"));
        assert_non_null(strstr(app_view(d->app)->hint,
                               lang == LANG_KK ? "9: анықтама" : "9: справка"));
        check_screen(d, "welcome");
        driver_pad(d, KEY_KP5); /* the language: the offer of the lesson */
        check_screen(d, "the offer to learn the keys");
        driver_pad(d, KEY_KP2);
        driver_pad(d, KEY_KP5); /* go on to the menu */
        check_screen(d, "home");
        driver_pad(d, KEY_KP2); /* Social services */
        driver_pad(d, KEY_KP5);
        check_screen(d, "services");
        driver_pad(d, KEY_KPDOT); /* the curtain */
        assert_numpad_only(driver_last_said(d), "curtain");
        assert_non_null(
            strstr(driver_last_said(d), lang == LANG_KK ? "Нүкте" : "Точка"));
        driver_pad(d, KEY_KPDOT);
        driver_pad(d, KEY_KP0); /* pause */
        assert_numpad_only(driver_spoken_since(d, 0), "pause");
        driver_free(d);
    }
}

/* The keys named follow the input used last: the keyboard's names after
 * a keyboard key, the numpad's after a numpad key. Without a keypad, the
 * keyboard's from the start. */
static void
test_names_follow_the_input_used_last(void **state)
{
    (void)state;
    struct driver *d = start(LANG_RU, true);
    assert_string_equal(app_view(d->app)->hint,
                        "5: выбрать   9: справка   3: повторить");
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(app_view(d->app)->hint,
                        "Enter: выбрать   F1: справка   R: повторить");
    driver_press(d, TERM_KEY_F1, 0);
    assert_true(driver_said(d, LANG_RU,
                            "Вверх и Вниз — "
                            "переход между пунктами"));
    assert_true(driver_said(d, LANG_RU, "Escape — закрыть справку"));
    driver_pad(d, KEY_KP7); /* closes help: the numpad again */
    driver_pad(d, KEY_KP9);
    assert_true(driver_said(d, LANG_RU, "8 и 2 — переход между пунктами"));
    assert_true(driver_said(d, LANG_RU, "3 — повторить главное"));
    assert_true(driver_said(d, LANG_RU, "0 — пауза"));
    assert_true(driver_said(d, LANG_RU, "Точка — скрыть или показать"));
    assert_true(driver_said(d, LANG_RU, "7 — закрыть справку"));
    driver_free(d);

    /* The keypad unplugged: the keyboard's names until it is back and
     * used. */
    d = start(LANG_RU, true);
    app_keypad_connected(d->app, false);
    driver_notice(d,
                  "The keypad is not connected. Please ask a member of "
                  "staff for help.",
                  true);
    assert_string_equal(app_view(d->app)->hint,
                        "Enter: выбрать   F1: справка   R: повторить");
    app_keypad_connected(d->app, true);
    driver_pad(d, KEY_KP2);
    assert_string_equal(app_view(d->app)->hint,
                        "5: выбрать   9: справка   3: повторить");
    driver_free(d);

    d = start(LANG_KK, false);
    assert_true(driver_said(d, LANG_KK, "Enter — тілді таңдау"));
    assert_string_equal(app_view(d->app)->hint,
                        "Enter: таңдау   F1: анықтама   R: қайталау");
    /* No keypad: no offer of the lesson, the home menu at once. */
    driver_enter(d);
    assert_true(driver_shows(d, "Не істегіңіз келеді?"));
    driver_free(d);
}

/* True when the view laid out in the largest text at 80x24 (6 x 2 large
 * characters) shows TEXT. */
static bool
magnified_shows(const struct driver *d, const char *text)
{
    struct layout l;
    layout_build_magnified(app_view(d->app), 6, 2, &l);
    bool found = false;
    for (int y = 0; y < l.height; y++)
        found = found || strstr(l.rows[y].text, text) != NULL;
    layout_free(&l);
    return found;
}

/* Pause: one word, the PAUSED marker (on the 80x24 layout and the
 * magnified one), silence; a navigation key resumes and acts; the pause
 * key resumes and says where the visitor is. */
static void
test_pause_says_shows_and_any_key_resumes(void **state)
{
    (void)state;
    struct driver *d = start(LANG_RU, true);
    driver_pad(d, KEY_KP0);
    assert_int_equal(d->out.v[0].kind, FX_STOP);
    assert_string_equal(driver_last_said(d), "Пауза");
    assert_int_equal(driver_count(d, FX_SAY), 1);
    assert_true(app_view(d->app)->paused);
    assert_true(driver_shows(d, "ПАУЗА"));
    assert_true(driver_laid_out(d, 80, 24, true, "ПАУЗА"));
    /* The largest text: 80x24 cells at size 4 leave 6 x 2 large
     * characters (docs/accessibility-seeing.md); the marker is kept. */
    assert_true(magnified_shows(d, "ПАУЗА"));
    /* Down resumes and moves: the marker goes, the next language is
     * read. */
    driver_pad(d, KEY_KP2);
    assert_false(app_view(d->app)->paused);
    assert_false(driver_shows(d, "ПАУЗА"));
    assert_string_equal(driver_focused(d), "English");
    assert_true(driver_said(d, LANG_EN, "English"));
    /* The pause key resumes and says the essentials and the focus. */
    driver_pad(d, KEY_KP0);
    assert_true(app_view(d->app)->paused);
    driver_pad(d, KEY_KP0);
    assert_false(app_view(d->app)->paused);
    assert_false(driver_said(d, -1, "Пауза"));
    assert_true(driver_said(d, LANG_EN, "English"));
    assert_string_equal(driver_focused(d), "English");
    driver_free(d);

    d = start(LANG_KK, false);
    driver_char(d, ' ');
    assert_string_equal(driver_last_said(d), "Үзіліс");
    assert_true(driver_shows(d, "ҮЗІЛІС"));
    assert_true(driver_laid_out(d, 80, 24, true, "ҮЗІЛІС"));
    assert_true(magnified_shows(d, "ҮЗІЛІС"));
    /* Enter resumes and chooses. */
    driver_enter(d);
    assert_false(app_view(d->app)->paused);
    assert_true(driver_shows(d, "Не істегіңіз келеді?"));
    driver_free(d);
}

/* While paused the idle timer waits for up to idle_warning_s +
 * idle_grace_s (210 s here), and nothing is read on idle; then it runs as
 * usual: the warning after idle_warning_s more, which ends the pause. */
static void
test_pause_holds_the_idle_timer(void **state)
{
    (void)state;
    struct driver *d = start(LANG_EN, false);
    driver_enter(d); /* home: a session */
    driver_char(d, ' ');
    uint64_t paused = d->now;
    /* Paused means silent: nothing read on idle, however long. */
    size_t mark = driver_mark(d);
    driver_wait_until(d, paused + 180 * 1000 + 1000);
    assert_string_equal(driver_spoken_since(d, mark), "");
    assert_false(driver_shows(d, "Are you still here?"));
    assert_true(app_view(d->app)->paused);
    driver_wait_until(d, paused + (210 + 180) * 1000 - 1);
    assert_false(driver_shows(d, "Are you still here?"));
    assert_string_equal(driver_spoken_since(d, mark), "");
    driver_wait_until(d, paused + (210 + 180) * 1000);
    assert_true(driver_shows(d, "Are you still here?"));
    assert_false(app_view(d->app)->paused);
    driver_free(d);

    /* Not paused: the warning comes after idle_warning_s as before. */
    d = start(LANG_EN, false);
    driver_enter(d);
    uint64_t at = d->now;
    driver_wait_until(d, at + 180 * 1000);
    assert_true(driver_shows(d, "Are you still here?"));
    driver_free(d);

    /* A key after a pause starts the usual idle time from that key. */
    d = start(LANG_EN, false);
    driver_enter(d);
    driver_char(d, ' ');
    driver_press(d, TERM_KEY_DOWN, 0);
    at = d->now;
    driver_wait_until(d, at + 180 * 1000 - 1);
    assert_false(driver_shows(d, "Are you still here?"));
    driver_wait_until(d, at + 180 * 1000);
    assert_true(driver_shows(d, "Are you still here?"));
    driver_free(d);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_numpad_names_only_its_keys),
          cmocka_unit_test(test_names_follow_the_input_used_last),
          cmocka_unit_test(test_pause_says_shows_and_any_key_resumes),
          cmocka_unit_test(test_pause_holds_the_idle_timer))
