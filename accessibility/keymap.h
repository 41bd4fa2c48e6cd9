/*
 * The terminal keyboard profile: which terminal key means which action
 * (specs/cli.md, "Keys on a terminal keyboard"). The terminal layer turns
 * what the terminal sends into a term_key; this table turns it into an
 * action with the key's spoken name. The tactile numpad has its own
 * profile and never produces ACTION_STAFF.
 */
#ifndef DAUYS_ACCESSIBILITY_KEYMAP_H
#define DAUYS_ACCESSIBILITY_KEYMAP_H

#include <stdbool.h>

#include "accessibility/action.h"

enum term_key {
    TERM_KEY_CHAR, /* a character, with its code point */
    TERM_KEY_UP,
    TERM_KEY_DOWN,
    TERM_KEY_LEFT,
    TERM_KEY_RIGHT,
    TERM_KEY_ENTER,
    TERM_KEY_ESCAPE,
    TERM_KEY_BACKSPACE,
    TERM_KEY_F1,
    TERM_KEY_F2,
    TERM_KEY_F10,
    TERM_KEY_OTHER, /* any other function or editing key */
};

/*
 * Translates a terminal key (CP: the code point of TERM_KEY_CHAR) into a
 * key with its action and name. KIOSK: in kiosk mode the control
 * characters that would stop or suspend a program do nothing.
 */
struct key keymap_keyboard(enum term_key tk, unsigned int cp);

/*
 * The short name of the terminal key that does ACTION, as instructions
 * and hints name it ("Up", "Enter", "Escape", "F1", "R"): a message id (letters
 * and F-keys are not translated), or NULL when no key does ACTION. Where
 * two keys do the same, the one docs and help name: F1 (not '?'), R (not
 * F2), Escape (not Backspace).
 */
const char *keymap_label(enum action action);

#endif
