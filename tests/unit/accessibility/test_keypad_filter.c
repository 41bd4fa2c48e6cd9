/*
 * The keypad filter on recorded event sequences, as libinput delivers them
 * from a numeric keypad (evdev codes, monotonic ms): press and release,
 * a key held down, auto-repeat, accidental double presses with the window
 * at its bounds, several keys at once, unplug while a key is down, replug,
 * a device missing at start. Each sequence is fed in order and the events
 * that come out are compared with what a visitor would experience.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/input-event-codes.h>

#include "accessibility/keypad_filter.h"
#include "tests/unit/unit.h"

#define P(t, c)                                                                \
    {                                                                          \
        KEYPAD_IN_KEY, c, true, t                                              \
    }
#define R(t, c)                                                                \
    {                                                                          \
        KEYPAD_IN_KEY, c, false, t                                             \
    }
#define ADDED                                                                  \
    {                                                                          \
        KEYPAD_IN_ADDED, 0, false, 0                                           \
    }
#define REMOVED                                                                \
    {                                                                          \
        KEYPAD_IN_REMOVED, 0, false, 0                                         \
    }

struct fixture {
    struct keyprofile *profile;
};

static int
setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    char *why = NULL;
    if (keyprofile_load("data/keypad/numpad.profile", &fx->profile, &why)) {
        fprintf(stderr, "%s\n", why);
        free(why);
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;
    keyprofile_free(fx->profile);
    free(fx);
    return 0;
}

/* What came out of one sequence, as one letter an event: the action's
 * identifier for keys, "LOST" and "BACK", separated by spaces. */
static char out[512];

static void
run(void **state, unsigned window, const struct keypad_input *in, size_t n)
{
    struct fixture *fx = *state;
    struct keypad_filter *f = keypad_filter_new(fx->profile, window);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        struct keypad_event ev;
        if (!keypad_filter_feed(f, &in[i], &ev))
            continue;
        const char *s = ev.kind == KEYPAD_EVENT_LOST ? "LOST"
                        : ev.kind == KEYPAD_EVENT_BACK
                            ? "BACK"
                            : action_id(ev.key.action);
        if (ev.kind == KEYPAD_EVENT_KEY)
            assert_int_equal(ev.time_ms, in[i].time_ms);
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s",
                 out[0] ? " " : "", s);
    }
    keypad_filter_free(f);
}

#define RUN(w, ...)                                                            \
    do {                                                                       \
        const struct keypad_input seq_[] = {__VA_ARGS__};                      \
        run(state, (w), seq_, sizeof seq_ / sizeof seq_[0]);                   \
    } while (0)

static void
test_press_acts_release_does_not(void **state)
{
    RUN(150, ADDED, P(1000, KEY_KP8), R(1080, KEY_KP8), P(1500, KEY_KP2),
        R(1590, KEY_KP2), P(2000, KEY_KPENTER), R(2100, KEY_KPENTER));
    assert_string_equal(out, "up down select");
}

static void
test_held_key_acts_once(void **state)
{
    /* Held for three seconds; a source that repeats (value 2 in evdev, or
     * a second press without release) must not act again. */
    RUN(150, ADDED, P(1000, KEY_KP2), P(1500, KEY_KP2), P(1533, KEY_KP2),
        P(2000, KEY_KP2), R(4000, KEY_KP2), P(4500, KEY_KP2), R(4600, KEY_KP2));
    assert_string_equal(out, "down down");
}

static void
test_double_press_rejected_within_window(void **state)
{
    /* Released at 1080, pressed again 60 ms later: a bounce. */
    RUN(150, ADDED, P(1000, KEY_KP5), R(1080, KEY_KP5), P(1140, KEY_KP5),
        R(1200, KEY_KP5));
    assert_string_equal(out, "select");
    /* 149 ms is inside a 150 ms window, 150 ms is outside. */
    RUN(150, ADDED, P(1000, KEY_KP5), R(1100, KEY_KP5), P(1249, KEY_KP5),
        R(1300, KEY_KP5), P(1450, KEY_KP5), R(1500, KEY_KP5));
    assert_string_equal(out, "select select");
    /* A trembling burst acts once: the window restarts at every release. */
    RUN(150, ADDED, P(1000, KEY_KP2), R(1050, KEY_KP2), P(1120, KEY_KP2),
        R(1160, KEY_KP2), P(1240, KEY_KP2), R(1290, KEY_KP2), P(1380, KEY_KP2),
        R(1400, KEY_KP2));
    assert_string_equal(out, "down");
}

static void
test_other_key_never_rejected(void **state)
{
    RUN(500, ADDED, P(1000, KEY_KP8), R(1050, KEY_KP8), P(1060, KEY_KP2),
        R(1100, KEY_KP2), P(1110, KEY_KP8), R(1150, KEY_KP8));
    assert_string_equal(out, "up down");
}

static void
test_window_bounds(void **state)
{
    /* 0 turns rejection off. */
    RUN(0, ADDED, P(1000, KEY_KP8), R(1010, KEY_KP8), P(1011, KEY_KP8),
        R(1020, KEY_KP8));
    assert_string_equal(out, "up up");
    /* Above 500 ms is clamped to 500. */
    RUN(900, ADDED, P(1000, KEY_KP8), R(1010, KEY_KP8), P(1509, KEY_KP8),
        R(1520, KEY_KP8), P(2020, KEY_KP8), R(2030, KEY_KP8));
    assert_string_equal(out, "up up");
}

static void
test_two_keys_at_once_each_act_alone(void **state)
{
    RUN(150, ADDED, P(1000, KEY_KP8), P(1010, KEY_KP2), R(1100, KEY_KP8),
        R(1110, KEY_KP2));
    assert_string_equal(out, "up down");
}

static void
test_unplug_and_replug(void **state)
{
    /* Unplugged while 6 is held: lost once, the held key forgotten; keys
     * while gone are ignored; replugged: back, and 6 acts again at once
     * (the double-press window does not survive an unplug). */
    RUN(150, ADDED, P(1000, KEY_KP6), REMOVED, REMOVED, P(1100, KEY_KP6),
        R(1200, KEY_KP6), ADDED, R(1300, KEY_KP6), P(1310, KEY_KP6),
        R(1400, KEY_KP6), REMOVED, ADDED, P(1500, KEY_KP4));
    assert_string_equal(out, "right LOST BACK right LOST BACK left");
}

static void
test_missing_at_start_then_plugged(void **state)
{
    RUN(150, REMOVED, P(1000, KEY_KP8), ADDED, P(2000, KEY_KP8));
    assert_string_equal(out, "LOST BACK up");
    /* Present at start: no notice. */
    RUN(150, ADDED, ADDED, P(2000, KEY_KP9));
    assert_string_equal(out, "help");
}

static void
test_unbound_and_unknown_keys(void **state)
{
    /* Num Lock and a code beyond KEY_MAX: Num Lock comes out as "none"
     * (so the tutorial can name it), the out-of-range code not at all;
     * F10 on a keypad does nothing. */
    RUN(150, ADDED, P(1000, KEY_NUMLOCK), R(1001, KEY_NUMLOCK), P(1002, 0x7fff),
        P(1003, KEY_F10));
    assert_string_equal(out, "none none");
}

static void
test_names_reach_the_event(void **state)
{
    struct fixture *fx = *state;
    struct keypad_filter *f = keypad_filter_new(fx->profile, 150);
    struct keypad_event ev;
    struct keypad_input in[] = {ADDED, P(1000, KEY_KP0)};
    assert_false(keypad_filter_feed(f, &in[0], &ev));
    assert_true(keypad_filter_present(f));
    assert_true(keypad_filter_feed(f, &in[1], &ev));
    assert_int_equal(ev.kind, KEYPAD_EVENT_KEY);
    assert_int_equal(ev.key.action, ACTION_PAUSE);
    assert_int_equal(ev.code, KEY_KP0);
    assert_string_equal(ev.key.name, "Keypad 0");
    keypad_filter_free(f);
}

UNIT_MAIN(setup, teardown, cmocka_unit_test(test_press_acts_release_does_not),
          cmocka_unit_test(test_held_key_acts_once),
          cmocka_unit_test(test_double_press_rejected_within_window),
          cmocka_unit_test(test_other_key_never_rejected),
          cmocka_unit_test(test_window_bounds),
          cmocka_unit_test(test_two_keys_at_once_each_act_alone),
          cmocka_unit_test(test_unplug_and_replug),
          cmocka_unit_test(test_missing_at_start_then_plugged),
          cmocka_unit_test(test_unbound_and_unknown_keys),
          cmocka_unit_test(test_names_reach_the_event))
