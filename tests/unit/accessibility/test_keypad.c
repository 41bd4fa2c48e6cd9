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
#include <sys/stat.h>
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

/* The test hook's lines: names and numbers, down and up, +MS after the
 * previous event, the read time otherwise (never going back), and clear
 * refusals. */
static void
test_test_lines(void **state)
{
    (void)state;
    uint64_t last = 0;
    struct keypad_input in;
    char *why = NULL;
    assert_int_equal(keypad_test_parse("KEY_SPACE down", 5000, &last, &in,
                                       &why),
                     1);
    assert_int_equal(in.kind, KEYPAD_IN_KEY);
    assert_int_equal(in.code, 57);
    assert_true(in.pressed);
    assert_int_equal(in.time_ms, 5000);
    assert_int_equal(keypad_test_parse("28 up +40", 9000, &last, &in, &why), 1);
    assert_int_equal(in.code, 28);
    assert_false(in.pressed);
    assert_int_equal(in.time_ms, 5040);
    /* Read earlier than the last event's time: it does not go back. */
    assert_int_equal(keypad_test_parse("KEY_ENTER down", 5010, &last, &in,
                                       &why),
                     1);
    assert_int_equal(in.time_ms, 5040);
    assert_int_equal(keypad_test_parse("   ", 1, &last, &in, &why), 0);
    assert_int_equal(keypad_test_parse("# a comment", 1, &last, &in, &why), 0);
    const char *bad[][2] = {
        {"KEY_NOPE down", "unknown key 'KEY_NOPE'"},
        {"KEY_SPACE pressed", "'pressed' must be 'down' or 'up'"},
        {"KEY_SPACE", "is not 'CODE down|up [+MS]'"},
        {"KEY_SPACE down 40", "'40' must be +MS"},
        {"KEY_SPACE down +x", "'+x' must be +MS"},
        {"KEY_SPACE down +1 more", "is not 'CODE down|up [+MS]'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(keypad_test_parse(bad[i][0], 1, &last, &in, &why), -1);
        if (strstr(why, bad[i][1]) == NULL)
            fail_msg("'%s': %s", bad[i][0], why);
        free(why);
        why = NULL;
    }
}

/* The hook itself: a named pipe's lines become keys of the profile,
 * through the filter (a bounce acts once); a plain file is refused. */
static void
test_test_pipe(void **state)
{
    (void)state;
    struct keyprofile *p = NULL;
    char *why = NULL;
    assert_int_equal(keyprofile_load("data/keypad/two-switch.profile", &p,
                                     &why),
                     0);
    char dir[200], path[256];
    assert_int_equal(unit_tmpdir(dir, sizeof dir, "keypad-test"), 0);
    snprintf(path, sizeof path, "%s/sw.fifo", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    struct keypad_options o = {.profile = p,
                               .double_press_ms = 150,
                               .test_fifo = path};
    struct keypad *kp = keypad_open(&o, &why);
    assert_non_null(kp);
    assert_true(keypad_present(kp));
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("KEY_SPACE down\nKEY_SPACE up +30\nKEY_SPACE down +20\n"
          "KEY_SPACE up +30\nKEY_ENTER down +400\nKEY_NOPE up\n",
          f);
    fclose(f);
    struct pollfd pfd = {.fd = keypad_fd(kp), .events = POLLIN};
    assert_int_equal(poll(&pfd, 1, 2000), 1);
    keypad_dispatch(kp);
    struct keypad_event ev;
    assert_true(keypad_next(kp, &ev));
    assert_int_equal(ev.key.action, ACTION_NEXT);
    assert_true(keypad_next(kp, &ev)); /* the bounce did not act */
    assert_int_equal(ev.key.action, ACTION_SELECT);
    assert_false(keypad_next(kp, &ev));
    const char *w = keypad_warning(kp);
    assert_non_null(w);
    assert_non_null(strstr(w, "unknown key 'KEY_NOPE'"));
    assert_null(keypad_warning(kp));
    keypad_close(kp);

    snprintf(path, sizeof path, "%s/plain", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    assert_null(keypad_open(&o, &why));
    assert_non_null(strstr(why, "is not a named pipe"));
    free(why);
    keyprofile_free(p);
    unit_rmtree(dir);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_test_lines),
          cmocka_unit_test(test_test_pipe),
          cmocka_unit_test(test_missing_device_starts_lost),
          cmocka_unit_test(test_not_an_input_device),
          cmocka_unit_test(test_probe_explains))
