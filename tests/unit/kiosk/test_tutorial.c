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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/input-event-codes.h>

#include "accessibility/keymap.h"
#include "kiosk/app.h"

struct driver {
    struct i18n *i18n;
    struct keyprofile *profile;
    struct app *app;
    struct fx_list out;
    uint64_t now;
};

static struct driver *
driver_new(int first_lang, bool keypad)
{
    struct driver *d = calloc(1, sizeof *d);
    char *why = NULL;
    d->i18n = i18n_new("build/locale", &why);
    if (d->i18n == NULL) {
        fprintf(stderr, "catalogues: %s (run make first)\n", why);
        free(why);
        d->i18n = i18n_new_empty();
    }
    if (keypad && keyprofile_load("data/keypad/numpad.profile", &d->profile,
                                  &why) != 0) {
        fprintf(stderr, "%s\n", why);
        free(why);
        fail();
    }
    d->now = 1000000;
    struct app_options o = {
        .i18n = d->i18n,
        .mode = MODE_BOTH,
        .first_lang = first_lang,
        .lockout_base_s = 30,
        .keypad = d->profile,
    };
    d->app = app_new(&o);
    app_start(d->app, d->now, &d->out);
    return d;
}

static void
driver_free(struct driver *d)
{
    app_free(d->app);
    fx_list_free(&d->out);
    keyprofile_free(d->profile);
    i18n_free(d->i18n);
    free(d);
}

static void
press_key(struct driver *d, const struct key *k)
{
    fx_clear(&d->out);
    d->now += 400;
    app_key(d->app, k, d->now, &d->out);
}

static void
press(struct driver *d, enum term_key tk, unsigned cp)
{
    struct key k = keymap_keyboard(tk, cp);
    press_key(d, &k);
}

/* A key of the tactile numpad, as the keypad filter passes it on. */
static void
pad(struct driver *d, unsigned code)
{
    struct keyprofile *p = d->profile;
    struct key k = keyprofile_key(p, code);
    press_key(d, &k);
}

static bool
said(const struct driver *d, int lang, const char *text)
{
    for (size_t i = 0; i < d->out.n; i++) {
        const struct fx *f = &d->out.v[i];
        if (f->kind == FX_SAY && (lang < 0 || f->lang == lang) &&
            strstr(f->text, text) != NULL)
            return true;
    }
    return false;
}

static int
count(const struct driver *d, enum fx_kind kind)
{
    int n = 0;
    for (size_t i = 0; i < d->out.n; i++)
        n += d->out.v[i].kind == kind;
    return n;
}

static bool
shows(const struct driver *d, const char *text)
{
    const struct view *v = app_view(d->app);
    if (strstr(v->title, text) || strstr(v->notice, text))
        return true;
    for (size_t i = 0; i < v->n_items; i++)
        if (strstr(v->items[i].text, text))
            return true;
    return false;
}

static const char *
focused(const struct driver *d)
{
    const struct view *v = app_view(d->app);
    return v->focus >= 0 ? v->items[v->focus].text : "";
}

/* Welcome (language already fixed) → home → the tutorial entry. */
static void
open_tutorial(struct driver *d)
{
    press(d, TERM_KEY_ENTER, 0);
    press(d, TERM_KEY_DOWN, 0);
    press(d, TERM_KEY_DOWN, 0);
    assert_true(said(d, -1, "3"));
    press(d, TERM_KEY_ENTER, 0);
}

static void
test_found_on_home_and_introduced(void **state)
{
    (void)state;
    struct driver *d = driver_new(LANG_EN, false);
    press(d, TERM_KEY_ENTER, 0);
    assert_true(shows(d, "Learn the keys"));
    /* The home screen says how many entries there are: 1 of 3. */
    assert_true(said(d, LANG_EN, "1 of 3"));
    press(d, TERM_KEY_DOWN, 0);
    press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(focused(d), "Learn the keys");
    assert_true(said(d, LANG_EN, "3 of 3"));
    press(d, TERM_KEY_ENTER, 0);
    assert_true(shows(d, "Learn the keys"));
    assert_true(said(d, LANG_EN, "Learn the keys"));
    assert_true(said(d, LANG_EN, "Press any key to hear its name"));
    assert_true(said(d, LANG_EN, "Press Help twice to leave"));
    /* No keypad configured: no layout. */
    assert_false(shows(d, "The keypad, row by row"));
    driver_free(d);
}

static void
test_keys_are_named_not_acted_on(void **state)
{
    (void)state;
    struct driver *d = driver_new(LANG_EN, false);
    open_tutorial(d);
    press(d, TERM_KEY_UP, 0);
    assert_int_equal(d->out.v[0].kind, FX_STOP);
    assert_true(said(d, LANG_EN, "Up arrow: previous item"));
    assert_true(shows(d, "Up arrow: previous item"));
    press(d, TERM_KEY_CHAR, 'l');
    assert_true(said(d, LANG_EN, "Letter L: next language"));
    assert_int_equal(app_lang(d->app), LANG_EN);
    press(d, TERM_KEY_CHAR, '+');
    assert_true(said(d, LANG_EN, "Plus: louder"));
    assert_int_equal(app_volume(d->app), 50);
    assert_int_equal(count(d, FX_VOLUME), 0);
    press(d, TERM_KEY_CHAR, '>');
    assert_int_equal(app_rate(d->app), 100);
    /* Space is named and still stops speech; it does not pause it. */
    press(d, TERM_KEY_CHAR, ' ');
    assert_int_equal(count(d, FX_STOP), 1);
    assert_int_equal(count(d, FX_PAUSE), 0);
    assert_true(said(d, LANG_EN, "Space: pause or resume speech"));
    press(d, TERM_KEY_F10, 0);
    assert_true(said(d, LANG_EN, "F10: staff login"));
    assert_false(shows(d, "Staff login"));
    press(d, TERM_KEY_ESCAPE, 0);
    assert_true(said(d, LANG_EN, "Escape: go back or cancel"));
    /* Backspace and the digits are the app's nowhere here: they neither
     * leave nor move a focus, they are named. */
    press(d, TERM_KEY_BACKSPACE, 0);
    assert_true(said(d, LANG_EN, "Backspace: "));
    assert_true(shows(d, "Learn the keys"));
    press(d, TERM_KEY_CHAR, '3');
    assert_true(said(d, LANG_EN, "Digit key: "));
    assert_true(shows(d, "Learn the keys"));
    press(d, TERM_KEY_ENTER, 0);
    assert_true(said(d, LANG_EN, "Enter: choose or confirm"));
    assert_true(shows(d, "Learn the keys"));
    /* The same key twice is answered twice. */
    press(d, TERM_KEY_ENTER, 0);
    assert_true(said(d, LANG_EN, "Enter: choose or confirm"));
    driver_free(d);
}

static void
test_help_twice_leaves(void **state)
{
    (void)state;
    struct driver *d = driver_new(LANG_EN, false);
    open_tutorial(d);
    press(d, TERM_KEY_F1, 0);
    assert_true(said(d, LANG_EN, "F1: help for this screen. Press Help "
                                 "again to leave the tutorial."));
    assert_true(shows(d, "Press Help again"));
    assert_true(shows(d, "Learn the keys"));
    /* Another key in between starts the count again. */
    press(d, TERM_KEY_DOWN, 0);
    assert_false(shows(d, "Press Help again"));
    press(d, TERM_KEY_CHAR, '?');
    assert_true(said(d, LANG_EN, "Question mark: help for this screen"));
    press(d, TERM_KEY_F1, 0);
    assert_true(shows(d, "What would you like to do?"));
    assert_true(said(d, LANG_EN, "What would you like to do?"));
    assert_string_equal(focused(d), "Learn the keys");
    /* Outside the tutorial Help is help again. */
    press(d, TERM_KEY_F1, 0);
    assert_true(shows(d, "Help"));
    driver_free(d);
}

static void
test_keypad_layout_and_keys(void **state)
{
    (void)state;
    struct driver *d = driver_new(LANG_EN, true);
    /* The numpad moves and chooses like the arrows and Enter. */
    pad(d, KEY_KP5);
    assert_true(shows(d, "What would you like to do?"));
    pad(d, KEY_KP2);
    pad(d, KEY_KP2);
    assert_string_equal(focused(d), "Learn the keys");
    pad(d, KEY_KPENTER);
    assert_true(shows(d, "The keypad, row by row:"));
    assert_true(said(d, LANG_EN, "The keypad, row by row:"));
    assert_true(shows(d, "Keypad 8: previous item"));
    assert_true(said(d, LANG_EN, "Keypad 5: choose or confirm"));
    assert_true(said(d, LANG_EN, "Keypad 9: help for this screen"));
    assert_true(said(d, LANG_EN, "Keypad 0: pause or resume speech"));
    assert_false(said(d, -1, "staff"));
    pad(d, KEY_KP4);
    assert_true(said(d, LANG_EN, "Keypad 4: previous section"));
    pad(d, KEY_NUMLOCK);
    assert_true(said(d, LANG_EN, "Num Lock: does nothing here"));
    pad(d, KEY_KP9);
    pad(d, KEY_KP9);
    assert_true(shows(d, "What would you like to do?"));
    driver_free(d);
}

static void
test_kazakh_and_russian(void **state)
{
    (void)state;
    struct driver *d = driver_new(LANG_KK, true);
    open_tutorial(d);
    assert_true(shows(d, "Пернелерді үйрену"));
    assert_true(said(d, LANG_KK, "Пернетақта, қатар бойынша:"));
    pad(d, KEY_KP8);
    assert_true(said(d, LANG_KK, "Сандық пернетақтаның 8 пернесі: алдыңғы "
                                 "тармақ"));
    pad(d, KEY_KP9);
    assert_true(said(d, LANG_KK, "Анықтаманы тағы бір рет басыңыз"));
    driver_free(d);
    d = driver_new(LANG_RU, true);
    open_tutorial(d);
    assert_true(shows(d, "Изучить клавиши"));
    press(d, TERM_KEY_CHAR, 'l');
    assert_true(said(d, LANG_RU, "Буква L: следующий язык"));
    assert_true(shows(d, "Буква L: следующий язык"));
    pad(d, KEY_KP1);
    assert_true(said(d, LANG_RU, "Клавиша 1 на цифровой клавиатуре: "
                                 "следующий язык"));
    driver_free(d);
}

static void
test_notice_shown_spoken_until_next_key(void **state)
{
    (void)state;
    struct driver *d = driver_new(LANG_RU, true);
    fx_clear(&d->out);
    app_notice(d->app,
               "The keypad is not connected. Please ask a member of staff "
               "for help.",
               true, d->now, &d->out);
    assert_int_equal(d->out.v[0].kind, FX_STOP);
    assert_true(said(d, LANG_RU, "Клавиатура не подключена"));
    assert_true(shows(d, "Клавиатура не подключена"));
    /* The screen under it is still there. */
    assert_string_equal(focused(d), "Русский");
    press(d, TERM_KEY_DOWN, 0);
    assert_false(shows(d, "Клавиатура не подключена"));
    fx_clear(&d->out);
    app_notice(d->app, "The keypad is connected again.", false, d->now,
               &d->out);
    assert_int_equal(count(d, FX_STOP), 0);
    assert_true(said(d, LANG_RU, "Клавиатура снова подключена."));
    driver_free(d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found_on_home_and_introduced),
        cmocka_unit_test(test_keys_are_named_not_acted_on),
        cmocka_unit_test(test_help_twice_leaves),
        cmocka_unit_test(test_keypad_layout_and_keys),
        cmocka_unit_test(test_kazakh_and_russian),
        cmocka_unit_test(test_notice_shown_spoken_until_next_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
