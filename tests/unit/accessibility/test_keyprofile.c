/*
 * Keypad profiles: the bundled profiles load and bind what docs/keypad.md
 * says; every validation rule refuses what it should, naming file and
 * line; lookups of unbound and unknown keys.
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
#include "accessibility/keyprofile.h"
#include "tests/unit/unit.h"

static struct keyprofile *
load_ok(const char *path)
{
    struct keyprofile *p = NULL;
    char *why = NULL;
    if (keyprofile_load(path, &p, &why) != 0) {
        fprintf(stderr, "%s\n", why);
        free(why);
        fail();
    }
    return p;
}

/* Parses TEXT, expects failure, returns the message (caller frees). */
static char *
parse_bad(const char *text)
{
    struct keyprofile *p = NULL;
    char *why = NULL;
    assert_int_equal(keyprofile_parse("t.profile", text, strlen(text), &p,
                                      &why),
                     -1);
    assert_null(p);
    assert_non_null(why);
    return why;
}

static void
expect_error(const char *text, const char *where, const char *what)
{
    char *why = parse_bad(text);
    if (strstr(why, where) == NULL || strstr(why, what) == NULL) {
        fprintf(stderr, "expected '%s' and '%s' in:\n%s\n", where, what, why);
        free(why);
        fail();
    }
    free(why);
}

#define MINIMAL                                                                \
    "KEY_KP8 up\nKEY_KP2 down\nKEY_KP5 select\nKEY_KP7 back\nKEY_KP9 help\n"

static void
test_numpad_layout(void **state)
{
    (void)state;
    struct keyprofile *p = load_ok("data/keypad/numpad.profile");
    static const struct {
        unsigned code;
        enum action action;
    } want[] = {
        {KEY_KP8, ACTION_UP},
        {KEY_KP2, ACTION_DOWN},
        {KEY_KP4, ACTION_LEFT},
        {KEY_KP6, ACTION_RIGHT},
        {KEY_KP5, ACTION_SELECT},
        {KEY_KPENTER, ACTION_SELECT},
        {KEY_KP7, ACTION_BACK},
        {KEY_KP9, ACTION_HELP},
        {KEY_KP3, ACTION_REPEAT},
        {KEY_KPPLUS, ACTION_VOLUME_UP},
        {KEY_KPMINUS, ACTION_VOLUME_DOWN},
        {KEY_KPASTERISK, ACTION_FASTER},
        {KEY_KPSLASH, ACTION_SLOWER},
        {KEY_KP1, ACTION_LANGUAGE},
        {KEY_KP0, ACTION_PAUSE},
        {KEY_KPDOT, ACTION_CURTAIN},
        {KEY_BACKSPACE, ACTION_DELETE},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct key k = keyprofile_key(p, want[i].code);
        assert_int_equal(k.action, want[i].action);
    }
    struct key k = keyprofile_key(p, KEY_KP8);
    assert_string_equal(k.name, "Keypad 8");
    /* Not a digit here: no code point that a text field would type. */
    assert_int_equal(k.codepoint, 0);
    /* Num Lock is unbound but still named for the tutorial. */
    k = keyprofile_key(p, KEY_NUMLOCK);
    assert_int_equal(k.action, ACTION_NONE);
    assert_string_equal(k.name, "Num Lock");
    /* Every action a visitor needs is on the keypad; staff never is. */
    for (unsigned c = 0; c < KEY_CNT; c++)
        assert_int_not_equal(keyprofile_key(p, c).action, ACTION_STAFF);
    assert_int_equal(keyprofile_key(p, KEY_F10).action, ACTION_NONE);
    /* File order is kept: the first binding is the top row's slash. */
    unsigned code;
    keyprofile_binding(p, 0, &code);
    assert_int_equal(code, KEY_KPSLASH);
    assert_int_equal(keyprofile_count(p), 17);
    keyprofile_free(p);
}

static void
test_keyboard_profile(void **state)
{
    (void)state;
    struct keyprofile *p = load_ok("data/keypad/keyboard.profile");
    assert_int_equal(keyprofile_key(p, KEY_UP).action, ACTION_UP);
    assert_int_equal(keyprofile_key(p, KEY_F1).action, ACTION_HELP);
    struct key k = keyprofile_key(p, KEY_7);
    assert_int_equal(k.action, ACTION_DIGIT);
    assert_int_equal(k.codepoint, '7');
    assert_int_equal(keyprofile_key(p, KEY_F10).action, ACTION_NONE);
    assert_int_equal(keyprofile_key(p, KEY_Z).action, ACTION_TEXT_SIZE);
    assert_int_equal(keyprofile_key(p, KEY_B).action, ACTION_CURTAIN);
    keyprofile_free(p);
}

static void
test_comments_blank_lines_crlf(void **state)
{
    (void)state;
    const char *text = "# a profile\r\n\r\n   \nKEY_KP8 up # arrow\r\n"
                       "KEY_KP2\tdown\nKEY_KP5 select\nKEY_KP7 back\n"
                       "KEY_KP9 help\nKEY_NUMLOCK none";
    struct keyprofile *p = NULL;
    char *why = NULL;
    assert_int_equal(keyprofile_parse("c", text, strlen(text), &p, &why), 0);
    assert_int_equal(keyprofile_count(p), 6);
    assert_int_equal(keyprofile_key(p, KEY_KP2).action, ACTION_DOWN);
    keyprofile_free(p);
}

static void
test_staff_key_and_action_refused(void **state)
{
    (void)state;
    expect_error(MINIMAL "KEY_F10 repeat\n",
                 "t.profile:6:", "KEY_F10 is the staff key");
    expect_error(MINIMAL "KEY_KP0 staff\n",
                 "t.profile:6:", "staff action is never on a keypad");
}

static void
test_each_rule_names_its_line(void **state)
{
    (void)state;
    expect_error(MINIMAL "KEY_KP99 up\n",
                 "t.profile:6:", "unknown key name 'KEY_KP99'");
    expect_error(MINIMAL "KEY_KP0 jump\n",
                 "t.profile:6:", "unknown action 'jump'");
    expect_error(MINIMAL "KEY_KP0\n", "t.profile:6:", "found only");
    expect_error(MINIMAL "KEY_KP0 up digit back\n",
                 "t.profile:6:", "found more");
    expect_error(MINIMAL "KEY_KP0 pause down\n", "t.profile:6:",
                 "number-entry action must be digit, delete, select or back");
    expect_error(MINIMAL "KEY_KPDOT pause digit\n", "t.profile:6:",
                 "'digit' needs a digit key, and KEY_KPDOT is not");
    expect_error(MINIMAL "KEY_KP8 down\n",
                 "t.profile:6:", "KEY_KP8 is already bound on line 1");
    expect_error(MINIMAL "KEY_KPENTER digit\n",
                 "t.profile:6:", "'digit' needs a digit key");
    expect_error(MINIMAL "KEY_KP0 char\n",
                 "t.profile:6:", "cannot type letters");
    expect_error(MINIMAL "KEY_KP0 pause\xc3\xa9\n",
                 "t.profile:6:", "plain ASCII");
    char big[400];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char *text = malloc(strlen(MINIMAL) + sizeof big + 32);
    sprintf(text, "%s%s\n", MINIMAL, big);
    expect_error(text, "t.profile:6:", "longer than");
    /* A comment of any length is one line, and the next keeps its number. */
    sprintf(text, "%s# %s\nKEY_KP0 jump\n", MINIMAL, big);
    expect_error(text, "t.profile:7:", "unknown action 'jump'");
    char *cwhy = NULL;
    struct keyprofile *kp = NULL;
    assert_int_equal(keyprofile_parse("t.profile", text, strlen(text), &kp,
                                      &cwhy),
                     -1);
    assert_null(strstr(cwhy, "longer than"));
    free(cwhy);
    free(text);
    const char nul[] = MINIMAL "KEY_KP0 \0pause\n";
    struct keyprofile *p = NULL;
    char *why = NULL;
    assert_int_equal(keyprofile_parse("t.profile", nul, sizeof nul - 1, &p,
                                      &why),
                     -1);
    assert_non_null(strstr(why, "t.profile:6: the line contains a NUL"));
    free(why);
}

static void
test_required_actions_and_all_errors(void **state)
{
    (void)state;
    char *why = parse_bad("KEY_KP8 up\nKEY_KP2 bogus\nKEY_F10 help\n");
    /* Every problem at once: two bad lines and four missing actions. */
    assert_non_null(strstr(why, "t.profile:2: unknown action"));
    assert_non_null(strstr(why, "t.profile:3: KEY_F10"));
    assert_non_null(strstr(why, "binds no key to 'down'"));
    assert_non_null(strstr(why, "binds no key to 'select'"));
    assert_non_null(strstr(why, "binds no key to 'back'"));
    assert_non_null(strstr(why, "binds no key to 'help'"));
    assert_null(strstr(why, "binds no key to 'up'"));
    free(why);
    why = parse_bad("");
    assert_non_null(strstr(why, "binds no key to 'up'"));
    free(why);
}

/* Switch profiles: the bundled ones load with their mode; a two-switch
 * profile binds next and select only, a one-switch profile select only;
 * next needs the mode; the mode is given once and known. */
static void
test_switch_profiles(void **state)
{
    (void)state;
    struct keyprofile *p = load_ok("data/keypad/two-switch.profile");
    assert_int_equal(keyprofile_mode(p), KEYPROFILE_TWO_SWITCH);
    assert_int_equal(keyprofile_key(p, KEY_SPACE).action, ACTION_NEXT);
    assert_int_equal(keyprofile_key(p, KEY_ENTER).action, ACTION_SELECT);
    assert_int_equal(keyprofile_key(p, KEY_1).action, ACTION_NEXT);
    assert_int_equal(keyprofile_key(p, KEY_2).action, ACTION_SELECT);
    assert_int_equal(keyprofile_key(p, KEY_2).codepoint, 0);
    keyprofile_free(p);
    p = load_ok("data/keypad/one-switch.profile");
    assert_int_equal(keyprofile_mode(p), KEYPROFILE_ONE_SWITCH);
    assert_int_equal(keyprofile_key(p, KEY_SPACE).action, ACTION_SELECT);
    keyprofile_free(p);
    p = load_ok("data/keypad/numpad.profile");
    assert_int_equal(keyprofile_mode(p), KEYPROFILE_KEYS);
    keyprofile_free(p);
    assert_int_equal(keyprofile_mode(NULL), KEYPROFILE_KEYS);

    /* Two switches are enough: no up, down, back or help needed. */
    const char *two = "mode two-switch\nKEY_SPACE next\nKEY_ENTER select\n";
    struct keyprofile *q = NULL;
    char *why = NULL;
    assert_int_equal(keyprofile_parse("t.profile", two, strlen(two), &q, &why),
                     0);
    assert_int_equal(keyprofile_mode(q), KEYPROFILE_TWO_SWITCH);
    keyprofile_free(q);
    expect_error("mode two-switch\nKEY_SPACE next\n", "t.profile",
                 "binds no key to 'select', which every switch profile");
    expect_error("mode two-switch\nKEY_SPACE next\nKEY_ENTER select\n"
                 "KEY_ESC back\n",
                 "t.profile:4",
                 "a two-switch profile binds only next and "
                 "select, not 'back'");
    expect_error("mode one-switch\nKEY_SPACE select\nKEY_1 next\n",
                 "t.profile:3", "a one-switch profile binds only select");
    expect_error("mode one-switch\nKEY_1 select digit\n", "t.profile:2",
                 "no number-entry actions");
    expect_error(MINIMAL "KEY_SPACE next\n", "t.profile:6",
                 "add the line 'mode two-switch'");
    expect_error("mode two-switch\nmode one-switch\nKEY_SPACE select\n",
                 "t.profile:2", "the mode is already given on line 1");
    expect_error("mode three-switch\n" MINIMAL, "t.profile:1",
                 "unknown mode 'three-switch'");
    expect_error("mode\n" MINIMAL, "t.profile:1", "expected 'mode keys'");
    /* The ordinary rule still holds for an ordinary profile. */
    expect_error("mode keys\nKEY_SPACE select\n", "t.profile",
                 "binds no key to 'up', which every keypad needs");
}

static void
test_missing_file(void **state)
{
    (void)state;
    struct keyprofile *p = NULL;
    char *why = unit_refused(
        keyprofile_load("data/keypad/nope.profile", &p, unit_why()));
    assert_non_null(strstr(why, "data/keypad/nope.profile"));
    free(why);
}

static void
test_names_and_codes(void **state)
{
    (void)state;
    assert_int_equal(keyprofile_code("KEY_KPENTER"), KEY_KPENTER);
    assert_int_equal(keyprofile_code("KEY_NOPE"), -1);
    assert_string_equal(keyprofile_code_name(KEY_KP5), "KEY_KP5");
    assert_null(keyprofile_code_name(0x2fe));
    struct key k = keyprofile_key(NULL, 0x2fe);
    assert_int_equal(k.action, ACTION_NONE);
    assert_string_equal(k.name, "This key");
}

/* The third column: what a key does while a number is typed. The keypad's
 * 8 moves up elsewhere and types 8 there; '.' deletes a digit. */
static void
test_number_entry_actions(void **state)
{
    (void)state;
    const char *text = MINIMAL "KEY_KP3 repeat digit\nKEY_KPDOT curtain "
                               "delete\nKEY_KP0 pause\n";
    struct keyprofile *p = NULL;
    char *why = NULL;
    assert_int_equal(keyprofile_parse("t.profile", text, strlen(text), &p,
                                      &why),
                     0);
    struct key k = keyprofile_key(p, (unsigned)keyprofile_code("KEY_KP3"));
    assert_int_equal(k.action, ACTION_REPEAT);
    assert_int_equal(k.entry, ACTION_DIGIT);
    assert_int_equal(k.entry_digit, '3');
    assert_int_equal(k.codepoint, 0);
    k = keyprofile_key(p, (unsigned)keyprofile_code("KEY_KPDOT"));
    assert_int_equal(k.action, ACTION_CURTAIN);
    assert_int_equal(k.entry, ACTION_DELETE);
    k = keyprofile_key(p, (unsigned)keyprofile_code("KEY_KP0"));
    assert_int_equal(k.entry, ACTION_NONE);
    keyprofile_free(p);
}

/* The key pitch: the numpad's, the default, and every refusal. */
static void
test_pitch(void **state)
{
    (void)state;
    struct keyprofile *p = load_ok("data/keypad/numpad.profile");
    assert_true(keyprofile_pitch_mm(p) == 19.05);
    keyprofile_free(p);
    char *why = NULL;
    const char plain[] = MINIMAL;
    assert_int_equal(keyprofile_parse("t.profile", plain, strlen(plain), &p,
                                      &why),
                     0);
    assert_true(keyprofile_pitch_mm(p) == KEYPROFILE_DEFAULT_PITCH_MM);
    assert_int_equal(keyprofile_count(p), 5);
    keyprofile_free(p);
    const char small[] = "pitch_mm 18.5 # a compact keypad\n" MINIMAL;
    assert_int_equal(keyprofile_parse("t.profile", small, strlen(small), &p,
                                      &why),
                     0);
    assert_true(keyprofile_pitch_mm(p) == 18.5);
    assert_int_equal(keyprofile_count(p), 5);
    keyprofile_free(p);
    assert_true(keyprofile_pitch_mm(NULL) == KEYPROFILE_DEFAULT_PITCH_MM);
    expect_error(MINIMAL "pitch_mm 19,05\n", "t.profile:6:",
                 "pitch_mm must be millimetres from 12 to 40 (like 19.05), "
                 "not '19,05'");
    expect_error(MINIMAL "pitch_mm 50\n", "t.profile:6:", "not '50'");
    expect_error(MINIMAL "pitch_mm 11.9\n", "t.profile:6:", "not '11.9'");
    expect_error(MINIMAL "pitch_mm\n", "t.profile:6:", "found only");
    expect_error(MINIMAL "pitch_mm 19 mm\n",
                 "t.profile:6:", "expected 'pitch_mm MILLIMETRES'");
    expect_error("pitch_mm 19\n" MINIMAL "pitch_mm 18\n",
                 "t.profile:7:", "pitch_mm is already given on line 1");
}

/* The short names instructions use (keyprofile_label(), keymap_label()):
 * the first key of the profile that does the action, in number entry the
 * one that does it there; the keyboard's by its usual key. */
static void
test_labels(void **state)
{
    (void)state;
    struct keyprofile *p = load_ok("data/keypad/numpad.profile");
    assert_string_equal(keyprofile_label(p, ACTION_SELECT, false), "5");
    assert_string_equal(keyprofile_label(p, ACTION_SELECT, true), "Enter");
    assert_string_equal(keyprofile_label(p, ACTION_UP, false), "8");
    assert_null(keyprofile_label(p, ACTION_UP, true));
    assert_string_equal(keyprofile_label(p, ACTION_BACK, false), "7");
    assert_null(keyprofile_label(p, ACTION_BACK, true));
    assert_string_equal(keyprofile_label(p, ACTION_DELETE, true), "Dot");
    assert_string_equal(keyprofile_label(p, ACTION_CURTAIN, false), "Dot");
    assert_string_equal(keyprofile_label(p, ACTION_PAUSE, false), "0");
    assert_string_equal(keyprofile_label(p, ACTION_HELP, false), "9");
    assert_string_equal(keyprofile_label(p, ACTION_FASTER, false), "Star");
    assert_string_equal(keyprofile_label(p, ACTION_SLOWER, false), "Slash");
    assert_string_equal(keyprofile_label(p, ACTION_VOLUME_UP, false), "Plus");
    assert_null(keyprofile_label(p, ACTION_THEME, false));
    assert_null(keyprofile_label(NULL, ACTION_SELECT, false));
    keyprofile_free(p);
    p = load_ok("data/keypad/keyboard.profile");
    assert_string_equal(keyprofile_label(p, ACTION_UP, false), "Up");
    assert_string_equal(keyprofile_label(p, ACTION_HELP, false), "F1");
    assert_string_equal(keyprofile_label(p, ACTION_BACK, false), "Escape");
    assert_string_equal(keyprofile_label(p, ACTION_CURTAIN, false), "B");
    keyprofile_free(p);
    assert_string_equal(keymap_label(ACTION_SELECT), "Enter");
    assert_string_equal(keymap_label(ACTION_HELP), "F1");
    assert_string_equal(keymap_label(ACTION_REPEAT), "R");
    assert_string_equal(keymap_label(ACTION_DOWN), "Down");
    assert_null(keymap_label(ACTION_NEXT));
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_pitch),
          cmocka_unit_test(test_labels), cmocka_unit_test(test_numpad_layout),
          cmocka_unit_test(test_keyboard_profile),
          cmocka_unit_test(test_comments_blank_lines_crlf),
          cmocka_unit_test(test_staff_key_and_action_refused),
          cmocka_unit_test(test_each_rule_names_its_line),
          cmocka_unit_test(test_number_entry_actions),
          cmocka_unit_test(test_required_actions_and_all_errors),
          cmocka_unit_test(test_switch_profiles),
          cmocka_unit_test(test_missing_file),
          cmocka_unit_test(test_names_and_codes))
