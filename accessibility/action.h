/*
 * Abstract actions: what a key means, independent of which key it is.
 *
 * Every input device (the terminal keyboard, the tactile numpad read through
 * libinput, a scripted test) is translated into these actions by a profile,
 * and only actions reach the screens. Key names and action descriptions
 * (used by key-describe mode and the keypad tutorial) are message ids for
 * the translation catalogues.
 */
#ifndef DAUYS_ACCESSIBILITY_ACTION_H
#define DAUYS_ACCESSIBILITY_ACTION_H

enum action {
    ACTION_NONE = 0,
    ACTION_UP,
    ACTION_DOWN,
    ACTION_LEFT,
    ACTION_RIGHT,
    ACTION_SELECT,
    ACTION_BACK,
    ACTION_DELETE, /* Backspace: deletes a digit in number entry, else back */
    ACTION_HELP,
    ACTION_REPEAT,
    ACTION_VOLUME_UP,
    ACTION_VOLUME_DOWN,
    ACTION_FASTER,
    ACTION_SLOWER,
    ACTION_LANGUAGE,
    ACTION_PAUSE,
    ACTION_THEME,     /* next colour theme */
    ACTION_TEXT_SIZE, /* next text size (1-4, then 1 again) */
    ACTION_CURTAIN,   /* privacy curtain: hide or show the screen */
    ACTION_DIGIT,     /* with a digit 0-9 */
    ACTION_CHAR,      /* a printable character typed on a keyboard (names) */
    ACTION_STAFF,     /* F10: only ever produced by the terminal keyboard */
    ACTION_NEXT,      /* a switch's Move: the next item of the scanning ring */
    ACTION_COUNT
};

/* Where a key came from: the input whose key names the instructions use
 * (kiosk/app.h). */
enum key_source {
    KEY_SOURCE_TERMINAL = 0, /* the terminal keyboard (keymap.h) */
    KEY_SOURCE_KEYPAD,       /* a device with a key profile (keyprofile.h) */
    KEY_SOURCE_OTHER,        /* a Braille display, a test: names unchanged */
};

/*
 * A key after translation: the action, the digit or character it carries,
 * and the name of the physical key (a message id, e.g. "Up arrow") so that
 * key-describe mode can say which key was pressed.
 */
struct key {
    enum action action;
    unsigned int codepoint; /* ACTION_DIGIT: '0'..'9'; ACTION_CHAR: Unicode */
    const char *name;       /* message id of the key's name; never NULL */
    /* What the key does while a number is being typed (a screen with
     * number_entry): a keypad's 8 is "up" elsewhere but the digit 8 there;
     * its digit is then in `entry_digit`. ACTION_NONE: the same as
     * `action`. */
    enum action entry;
    unsigned int entry_digit;
    /* Set by the kiosk's app for the screen: the id of the option that has
     * the focus (view_option), or -1 when the screen shows none. */
    int option;
    enum key_source source;
};

/* Returns the message id that describes what ACTION does ("next item"). */
const char *action_describe(enum action action);

/* Returns the stable English identifier of ACTION ("up", "select"…) used in
 * profile files and logs, or NULL when out of range. */
const char *action_id(enum action action);

/* Returns the action whose identifier is ID, or ACTION_NONE. */
enum action action_from_id(const char *id);

#endif
