/*
 * The keypad tutorial and the keypad's way into the app, driven headless
 * like test_app.c: keys from the terminal keyboard profile and from the
 * numpad profile (as the keypad filter hands them over) in, utterances and
 * the view model out. Checks that the tutorial is found on the home screen,
 * names and describes every key without acting on it (not even Help once,
 * language, volume or the staff key), is left with Help twice, reads the
 * keypad's layout, speaks kk and ru; and that keypad notices are shown and
 * spoken until the next key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <linux/input-event-codes.h>

#include "tests/unit/kiosk/driver.h"
#include "tests/unit/unit.h"

/* The app with the numpad's profile when KEYPAD; keys 400 ms apart. */
static struct driver *
start(int first_lang, bool keypad)
{
    return driver_new(&(struct driver_options){
        .mode = MODE_BOTH,
        .first_lang = first_lang,
        .keypad = keypad ? "data/keypad/numpad.profile" : NULL,
        .key_ms = 400,
    });
}

/* Welcome (language already fixed) → home → the tutorial entry; with a
 * keypad, welcome → the offer to learn the keys, whose first entry it is. */
static void
open_tutorial(struct driver *d)
{
    driver_enter(d);
    if (d->keypad == NULL) {
        driver_press(d, TERM_KEY_DOWN, 0);
        driver_press(d, TERM_KEY_DOWN, 0);
        assert_true(driver_said(d, -1, "3"));
    } else {
        assert_true(driver_said(d, -1, "1"));
    }
    driver_enter(d);
}

static void
test_found_on_home_and_introduced(void **state)
{
    (void)state;
    struct driver *d = start(LANG_EN, false);
    driver_enter(d);
    assert_true(driver_shows(d, "Learn the keys"));
    /* The home screen says how many entries there are: 1 of 3. */
    assert_true(driver_said(d, LANG_EN, "1 of 3"));
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_focused(d), "Learn the keys");
    assert_true(driver_said(d, LANG_EN, "3 of 3"));
    driver_enter(d);
    assert_true(driver_shows(d, "Learn the keys"));
    assert_true(driver_said(d, LANG_EN, "Learn the keys"));
    assert_true(driver_said(d, LANG_EN, "Press any key to hear its name"));
    /* Help named by the key of the input: F1 on the keyboard. */
    assert_true(driver_said(d, LANG_EN, "Press F1 twice to leave"));
    /* No keypad configured: no layout. */
    assert_false(driver_shows(d, "The keypad, row by row"));
    driver_free(d);
}

static void
test_keys_are_named_not_acted_on(void **state)
{
    (void)state;
    struct driver *d = start(LANG_EN, false);
    open_tutorial(d);
    driver_press(d, TERM_KEY_UP, 0);
    assert_int_equal(d->out.v[0].kind, FX_STOP);
    assert_true(driver_said(d, LANG_EN, "Up arrow: previous item"));
    assert_true(driver_shows(d, "Up arrow: previous item"));
    driver_press(d, TERM_KEY_CHAR, 'l');
    assert_true(driver_said(d, LANG_EN, "Letter L: next language"));
    assert_int_equal(app_lang(d->app), LANG_EN);
    driver_press(d, TERM_KEY_CHAR, '+');
    assert_true(driver_said(d, LANG_EN, "Plus: louder"));
    assert_int_equal(app_volume(d->app), 5);
    assert_int_equal(driver_count(d, FX_VOLUME), 0);
    driver_press(d, TERM_KEY_CHAR, '>');
    assert_int_equal(app_rate(d->app), 100);
    /* Space is named and still stops speech; it does not pause it. */
    driver_press(d, TERM_KEY_CHAR, ' ');
    assert_int_equal(driver_count(d, FX_STOP), 1);
    assert_false(app_view(d->app)->paused);
    assert_true(driver_said(d, LANG_EN, "Space: pause or resume speech"));
    driver_press(d, TERM_KEY_F10, 0);
    assert_true(driver_said(d, LANG_EN, "F10: staff login"));
    assert_false(driver_shows(d, "Staff login"));
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_said(d, LANG_EN, "Escape: go back or cancel"));
    /* Backspace and the digits are the app's nowhere here: they neither
     * leave nor move a focus, they are named. */
    driver_press(d, TERM_KEY_BACKSPACE, 0);
    assert_true(driver_said(d, LANG_EN, "Backspace: "));
    assert_true(driver_shows(d, "Learn the keys"));
    driver_press(d, TERM_KEY_CHAR, '3');
    assert_true(driver_said(d, LANG_EN, "Digit key: "));
    assert_true(driver_shows(d, "Learn the keys"));
    driver_press(d, TERM_KEY_ENTER, 0);
    assert_true(driver_said(d, LANG_EN, "Enter: choose or confirm"));
    assert_true(driver_shows(d, "Learn the keys"));
    /* The same key twice is answered twice. */
    driver_enter(d);
    assert_true(driver_said(d, LANG_EN, "Enter: choose or confirm"));
    driver_free(d);
}

static void
test_help_twice_leaves(void **state)
{
    (void)state;
    struct driver *d = start(LANG_EN, false);
    open_tutorial(d);
    driver_press(d, TERM_KEY_F1, 0);
    assert_true(driver_said(d, LANG_EN,
                            "F1: help for this screen. Press F1 "
                            "again to leave the tutorial."));
    assert_true(driver_shows(d, "Press F1 again"));
    assert_true(driver_shows(d, "Learn the keys"));
    /* Another key in between starts the count again. */
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_false(driver_shows(d, "Press F1 again"));
    driver_press(d, TERM_KEY_CHAR, '?');
    assert_true(driver_said(d, LANG_EN, "Question mark: help for this screen"));
    driver_press(d, TERM_KEY_F1, 0);
    assert_true(driver_shows(d, "What would you like to do?"));
    assert_true(driver_said(d, LANG_EN, "What would you like to do?"));
    assert_string_equal(driver_focused(d), "Learn the keys");
    /* Outside the tutorial Help is help again. */
    driver_press(d, TERM_KEY_F1, 0);
    assert_true(driver_shows(d, "Help"));
    driver_free(d);
}

static void
test_keypad_layout_and_keys(void **state)
{
    (void)state;
    struct driver *d = start(LANG_EN, true);
    /* The welcome says how to learn the keys; after the language the
     * lesson is offered first, before the home menu. */
    assert_true(driver_said(d, LANG_EN, "Then, a lesson on the keys."));
    /* The numpad moves and chooses like the arrows and Enter. */
    driver_pad(d, KEY_KP5);
    assert_true(driver_shows(d, "Would you like to learn the keys first?"));
    assert_string_equal(driver_focused(d), "Learn the keys");
    driver_pad(d, KEY_KP2);
    assert_string_equal(driver_focused(d), "Go on to the menu");
    driver_pad(d, KEY_KP8);
    driver_pad(d, KEY_KPENTER);
    assert_true(driver_shows(d, "The keypad, row by row:"));
    assert_true(driver_said(d, LANG_EN, "The keypad, row by row:"));
    assert_true(driver_shows(d, "Keypad 8: previous item"));
    assert_true(driver_said(d, LANG_EN, "Keypad 5: choose or confirm"));
    assert_true(driver_said(d, LANG_EN, "Keypad 9: help for this screen"));
    assert_true(driver_said(d, LANG_EN, "Keypad 0: pause or resume speech"));
    assert_false(driver_said(d, -1, "staff"));
    driver_pad(d, KEY_KP4);
    assert_true(driver_said(d, LANG_EN, "Keypad 4: previous section"));
    driver_pad(d, KEY_NUMLOCK);
    assert_true(driver_said(d, LANG_EN, "Num Lock: does nothing here"));
    driver_pad(d, KEY_KP9);
    driver_pad(d, KEY_KP9);
    assert_true(driver_shows(d, "What would you like to do?"));
    driver_free(d);
}

static void
test_kazakh_and_russian(void **state)
{
    (void)state;
    struct driver *d = start(LANG_KK, true);
    open_tutorial(d);
    assert_true(driver_shows(d, "Пернелерді үйрену"));
    assert_true(driver_said(d, LANG_KK, "Пернетақта, қатар бойынша:"));
    driver_pad(d, KEY_KP8);
    assert_true(driver_said(d, LANG_KK,
                            "Сандық пернетақтаның 8 пернесі: алдыңғы "
                            "тармақ"));
    driver_pad(d, KEY_KP9);
    assert_true(driver_said(d, LANG_KK, "9 пернесін тағы бір рет басыңыз"));
    driver_free(d);
    d = start(LANG_RU, true);
    open_tutorial(d);
    assert_true(driver_shows(d, "Изучить клавиши"));
    driver_press(d, TERM_KEY_CHAR, 'l');
    assert_true(driver_said(d, LANG_RU, "Буква L: следующий язык"));
    assert_true(driver_shows(d, "Буква L: следующий язык"));
    driver_pad(d, KEY_KP1);
    assert_true(driver_said(d, LANG_RU,
                            "Клавиша 1 на цифровой клавиатуре: "
                            "следующий язык"));
    driver_free(d);
}

static void
test_notice_shown_spoken_until_next_key(void **state)
{
    (void)state;
    struct driver *d = start(LANG_RU, true);
    driver_notice(d,
                  "The keypad is not connected. Please ask a member of staff "
                  "for help.",
                  true);
    assert_int_equal(d->out.v[0].kind, FX_STOP);
    assert_true(driver_said(d, LANG_RU, "Клавиатура не подключена"));
    assert_true(driver_shows(d, "Клавиатура не подключена"));
    /* The screen under it is still there. */
    assert_string_equal(driver_focused(d), "Русский");
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_false(driver_shows(d, "Клавиатура не подключена"));
    driver_notice(d, "The keypad is connected again.", false);
    assert_int_equal(driver_count(d, FX_STOP), 0);
    assert_true(driver_said(d, LANG_RU, "Клавиатура снова подключена."));
    driver_free(d);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_found_on_home_and_introduced),
          cmocka_unit_test(test_keys_are_named_not_acted_on),
          cmocka_unit_test(test_help_twice_leaves),
          cmocka_unit_test(test_keypad_layout_and_keys),
          cmocka_unit_test(test_kazakh_and_russian),
          cmocka_unit_test(test_notice_shown_spoken_until_next_key))
