/*
 * Switch scanning as a state machine: recorded switch sequences (presses
 * and releases with their times, held switches, bounces) go through the
 * real key filter and profile into the app, and what the visitor hears
 * and sees comes out: the switch check, the ring of a screen's options and
 * the app's actions, digits typed by scanning, the help overlay, and
 * one-switch auto-scan that never moves while speech is busy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/input-event-codes.h>

#include "accessibility/keypad_filter.h"
#include "tests/unit/kiosk/driver.h"
#include "tests/unit/unit.h"

struct rig {
    struct driver *d;
    struct keypad_filter *f;
    uint64_t t; /* the switches' own clock (event times), ms */
};

static void
rig_start(struct rig *r, const char *profile, unsigned interval_ms)
{
    struct driver_options o = {.first_lang = LANG_EN,
                               .keypad = profile,
                               .pin = "123456",
                               .scan_interval_ms = interval_ms};
    r->d = driver_new(&o);
    r->f = keypad_filter_new(r->d->keypad, 150);
    struct keypad_input in = {.kind = KEYPAD_IN_ADDED};
    struct keypad_event ev;
    keypad_filter_feed(r->f, &in, &ev);
    r->t = 10000;
}

static void
rig_free(struct rig *r)
{
    keypad_filter_free(r->f);
    driver_free(r->d);
}

/* One recorded event AFTER ms after the previous one; returns true when
 * it reached the app as a key. */
static bool
rig_event(struct rig *r, unsigned code, bool pressed, unsigned after)
{
    r->t += after;
    struct keypad_input in = {.kind = KEYPAD_IN_KEY,
                              .code = code,
                              .pressed = pressed,
                              .time_ms = r->t};
    struct keypad_event ev;
    if (!keypad_filter_feed(r->f, &in, &ev))
        return false;
    assert_int_equal(ev.kind, KEYPAD_EVENT_KEY);
    driver_key(r->d, &ev.key);
    return true;
}

/* A clean press: down 400 ms after the last event, up 60 ms later. */
static void
rig_press(struct rig *r, unsigned code)
{
    assert_true(rig_event(r, code, true, 400));
    assert_false(rig_event(r, code, false, 60));
}

#define MOVE KEY_SPACE
#define SELECT KEY_ENTER

/* The switch check, then the ring on the welcome screen. */
static void
test_two_switch_check_and_ring(void **state)
{
    (void)state;
    struct rig r;
    rig_start(&r, "data/keypad/two-switch.profile", 0);
    struct driver *d = r.d;
    assert_true(driver_shows(d, "Check the switches"));
    assert_true(driver_said(d, -1, "Press either switch."));
    rig_press(&r, MOVE);
    assert_true(driver_said(d, -1, "That was the Move switch."));
    assert_true(driver_said(d, -1, "Now press the Move switch twice."));
    /* The other switch: a friendly word, and the step goes on. */
    rig_press(&r, SELECT);
    assert_true(driver_said(d, -1, "That was Select, which is fine."));
    rig_press(&r, MOVE);
    assert_true(driver_said(d, -1, "Move. Once more."));
    /* A bounce 20 ms after the release does not count. */
    assert_false(rig_event(&r, MOVE, true, 20));
    assert_false(rig_event(&r, MOVE, false, 20));
    assert_true(driver_shows(d, "Move. Once more."));
    rig_press(&r, MOVE);
    assert_true(driver_said(d, -1, "Good, that is Move."));
    assert_true(driver_said(d, -1, "Now press the Select switch twice."));
    /* A held switch (repeats while down) acts once. */
    assert_true(rig_event(&r, SELECT, true, 400));
    assert_false(rig_event(&r, SELECT, true, 500));
    assert_false(rig_event(&r, SELECT, true, 30));
    assert_false(rig_event(&r, SELECT, false, 500));
    assert_true(driver_shows(d, "Select. Once more."));
    size_t mark = driver_mark(d);
    rig_press(&r, SELECT);
    assert_true(driver_said_since(d, mark,
                                  "The switches work. Let us "
                                  "begin."));
    assert_true(driver_shows(d, "Dauys"));
    assert_string_equal(driver_focused(d), "English");

    /* Move: the options, then the app's actions, round in a ring. */
    const char *ring[] = {"Repeat the screen",
                          "Help",
                          "Louder",
                          "Quieter",
                          "Change the language",
                          "Back",
                          "Қазақша",
                          "Русский",
                          "English"};
    for (size_t i = 0; i < sizeof ring / sizeof ring[0]; i++) {
        rig_press(&r, MOVE);
        assert_string_equal(driver_focused(d), ring[i]);
        assert_true(driver_said(d, -1, ring[i]));
    }
    /* Select on an action acts as its key; the focus stays. */
    rig_press(&r, MOVE);
    rig_press(&r, MOVE);
    rig_press(&r, MOVE);
    assert_string_equal(driver_focused(d), "Louder");
    rig_press(&r, SELECT);
    assert_true(driver_said(d, -1, "Volume 6 of 10"));
    assert_int_equal(app_volume(d->app), 6);
    assert_string_equal(driver_focused(d), "Louder");
    /* Repeat reads the whole screen, not the word. */
    for (int i = 0; i < 7; i++)
        rig_press(&r, MOVE);
    assert_string_equal(driver_focused(d), "Repeat the screen");
    mark = driver_mark(d);
    rig_press(&r, SELECT);
    assert_true(driver_said_since(d, mark, "Hello!"));
    /* Help opens on Back, which closes it. */
    rig_press(&r, MOVE);
    rig_press(&r, SELECT);
    assert_true(driver_shows(d, "With two switches: Move goes to the next "
                                "item"));
    assert_string_equal(driver_focused(d), "Back");
    rig_press(&r, MOVE); /* round the help overlay's ring */
    assert_string_equal(driver_focused(d), "Repeat the screen");
    for (int i = 0; i < 5; i++)
        rig_press(&r, MOVE);
    assert_string_equal(driver_focused(d), "Back");
    rig_press(&r, SELECT);
    assert_false(driver_shows(d, "With two switches"));
    assert_string_equal(driver_focused(d), "Help");
    /* Choosing a language option works as Enter does. */
    for (int i = 0; i < 6; i++)
        rig_press(&r, MOVE);
    assert_string_equal(driver_focused(d), "Русский");
    rig_press(&r, SELECT);
    assert_int_equal(app_lang(d->app), LANG_RU);
    rig_free(&r);
}

/* A number typed by scanning (the staff PIN): digits 1-9 then 0, Delete,
 * Done; the focus stays on a typed digit. */
static void
test_two_switch_number(void **state)
{
    (void)state;
    struct rig r;
    rig_start(&r, "data/keypad/two-switch.profile", 0);
    struct driver *d = r.d;
    driver_press(d, TERM_KEY_ESCAPE, 0); /* an assistant skips the check */
    assert_true(driver_shows(d, "Dauys"));
    driver_press(d, TERM_KEY_F10, 0);
    assert_true(driver_shows(d, "Staff login"));
    assert_string_equal(driver_focused(d), "1");
    rig_press(&r, SELECT);
    rig_press(&r, SELECT); /* 1 1 */
    assert_string_equal(driver_focused(d), "1");
    rig_press(&r, MOVE);
    rig_press(&r, MOVE);
    rig_press(&r, MOVE);
    rig_press(&r, MOVE);
    rig_press(&r, MOVE);
    rig_press(&r, MOVE);
    rig_press(&r, MOVE);
    rig_press(&r, MOVE);
    rig_press(&r, MOVE);
    rig_press(&r, MOVE);
    assert_string_equal(driver_focused(d), "Delete the last digit");
    rig_press(&r, SELECT); /* 1 */
    for (int i = 0; i < 9; i++)
        rig_press(&r, MOVE);
    assert_string_equal(driver_focused(d), "2");
    for (int digit = 2; digit <= 6; digit++) {
        rig_press(&r, SELECT);
        if (digit < 6)
            rig_press(&r, MOVE);
    }
    while (strcmp(driver_focused(d), "Done: confirm the number") != 0)
        rig_press(&r, MOVE);
    rig_press(&r, SELECT);
    assert_true(driver_shows(d, "Staff menu"));
    assert_true(driver_shows(d, "Test the switches"));
    /* The staff's test of the switch jack: the same steps. */
    while (strcmp(driver_focused(d), "Test the switches") != 0)
        rig_press(&r, MOVE);
    rig_press(&r, SELECT);
    assert_true(driver_shows(d, "Switch test"));
    rig_press(&r, SELECT);
    rig_press(&r, MOVE);
    rig_press(&r, MOVE);
    rig_press(&r, SELECT);
    rig_press(&r, SELECT);
    assert_true(driver_shows(d, "The switches work. Press Escape"));
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_shows(d, "Staff menu"));
    rig_free(&r);
}

/* One switch: the focus moves by itself the interval after speech went
 * quiet, never while it speaks; the switch chooses. */
static void
test_one_switch_auto_scan(void **state)
{
    (void)state;
    struct rig r;
    rig_start(&r, "data/keypad/one-switch.profile", 1000);
    struct driver *d = r.d;
    assert_true(driver_said(d, -1, "Press the switch."));
    rig_press(&r, KEY_SPACE);
    assert_true(driver_said(d, -1, "Now press the switch twice."));
    rig_press(&r, KEY_SPACE);
    rig_press(&r, KEY_ENTER); /* any of its keys */
    assert_string_equal(driver_focused(d), "English");
    /* Still speaking: no move, however long. */
    driver_wait_until(d, d->now + 10000);
    assert_string_equal(driver_focused(d), "English");
    app_speech_idle(d->app, true, d->now);
    driver_wait_until(d, d->now + 999);
    assert_string_equal(driver_focused(d), "English");
    driver_wait_until(d, d->now + 1);
    assert_string_equal(driver_focused(d), "Repeat the screen");
    assert_true(driver_said(d, -1, "Repeat the screen"));
    /* The item is being read: it stays until speech is idle again. */
    driver_wait_until(d, d->now + 5000);
    assert_string_equal(driver_focused(d), "Repeat the screen");
    app_speech_idle(d->app, false, d->now);
    app_speech_idle(d->app, true, d->now);
    driver_wait_until(d, d->now + 1000);
    assert_string_equal(driver_focused(d), "Help");
    for (int i = 0; i < 5; i++) {
        app_speech_idle(d->app, true, d->now);
        driver_wait_until(d, d->now + 1000);
    }
    assert_string_equal(driver_focused(d), "Қазақша");
    app_speech_idle(d->app, true, d->now);
    driver_wait_until(d, d->now + 1000);
    assert_string_equal(driver_focused(d), "Русский");
    rig_press(&r, KEY_SPACE);
    assert_int_equal(app_lang(d->app), LANG_RU);
    assert_true(driver_said(d, LANG_RU, "Что Вы хотите сделать?"));
    rig_free(&r);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_two_switch_check_and_ring),
          cmocka_unit_test(test_two_switch_number),
          cmocka_unit_test(test_one_switch_auto_scan))
