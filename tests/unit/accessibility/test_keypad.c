/*
 * The keypad's libinput side, as far as this machine allows: it has no
 * /dev/input and no uinput, so a real key cannot be pressed here (the
 * appliance image test does that). What can be checked: a missing or
 * unusable device does not stop the kiosk but is reported as lost with a
 * reason that names it, the retry timer wakes the loop's poll() and keeps
 * retrying without repeating the "lost" event, and probing explains.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <poll.h>
#include <time.h>

#include "accessibility/keypad.h"
#include "tests/unit/unit.h"

static struct keyprofile *
numpad(void)
{
    struct keyprofile *p = NULL;
    char *why = NULL;
    if (keyprofile_load("data/keypad/numpad.profile", &p, &why) != 0) {
        fprintf(stderr, "%s\n", why);
        free(why);
        fail();
    }
    return p;
}

static void
test_missing_device_starts_lost(void **state)
{
    (void)state;
    struct keyprofile *p = numpad();
    struct keypad_options o = {
        .device = "/nonexistent/keypad-event-kbd",
        .profile = p,
        .double_press_ms = 150,
        .retry_ms = 20,
    };
    char *why = NULL;
    struct keypad *kp = keypad_open(&o, &why);
    assert_non_null(kp);
    assert_false(keypad_present(kp));
    assert_non_null(strstr(keypad_problem(kp), "/nonexistent/keypad"));
    assert_non_null(strstr(keypad_problem(kp), "No such file"));
    struct keypad_event ev;
    assert_true(keypad_next(kp, &ev));
    assert_int_equal(ev.kind, KEYPAD_EVENT_LOST);
    assert_false(keypad_next(kp, &ev));

    /* The retry timer makes the descriptor readable; a failed retry is
     * silent (still lost, no second notice). */
    for (int i = 0; i < 3; i++) {
        struct pollfd pfd = {.fd = keypad_fd(kp), .events = POLLIN};
        assert_int_equal(poll(&pfd, 1, 2000), 1);
        keypad_dispatch(kp);
        assert_false(keypad_next(kp, &ev));
        assert_false(keypad_present(kp));
    }
    keypad_close(kp);
    keyprofile_free(p);
}

static void
test_not_an_input_device(void **state)
{
    (void)state;
    struct keyprofile *p = numpad();
    struct keypad_options o = {.device = "/dev/null", .profile = p};
    char *why = NULL;
    struct keypad *kp = keypad_open(&o, &why);
    assert_non_null(kp);
    struct keypad_event ev;
    assert_true(keypad_next(kp, &ev));
    assert_int_equal(ev.kind, KEYPAD_EVENT_LOST);
    assert_non_null(strstr(keypad_problem(kp), "/dev/null is not an input"));
    keypad_close(kp);
    keyprofile_free(p);
}

static void
test_probe_explains(void **state)
{
    (void)state;
    char *name = NULL, *why = NULL;
    assert_int_equal(keypad_probe("/nonexistent/kbd", &name, &why), -1);
    assert_null(name);
    assert_non_null(strstr(why, "/nonexistent/kbd"));
    free(why);
}

UNIT_MAIN(NULL, NULL,
          cmocka_unit_test(test_missing_device_starts_lost),
          cmocka_unit_test(test_not_an_input_device),
          cmocka_unit_test(test_probe_explains))
