/*
 * Keypad profiles: which physical key of a device read through libinput
 * means which action. Profiles are data, not code: one text file per
 * profile (data/keypad/<name>.profile), one binding a line, keys named by
 * their Linux evdev names (KEY_KP8) and actions by their identifiers
 * (action_id(): up, select, help…). The spoken name of each key ("Keypad
 * 8") comes from a table here, as a message id, so that it is translated
 * like every other text.
 *
 * File format, ASCII, at most 64 KiB:
 *
 *     # a comment; also after blank space at the end of a line
 *     pitch_mm  19.05
 *     KEY_KP8   up
 *
 * The optional `pitch_mm` line gives the distance between the centres of
 * neighbouring keys, in millimetres (digits and at most one '.', whatever
 * the locale; KEYPROFILE_MIN_PITCH_MM to KEYPROFILE_MAX_PITCH_MM, at most
 * once); without it the pitch is KEYPROFILE_DEFAULT_PITCH_MM, the 19.05 mm
 * (3/4 inch) of standard keyboards and numeric keypads. Only the tactile
 * labels of `dauys keypad-card` use it.
 *
 * Rules (every violation is reported as "FILE:LINE: reason", all in one
 * pass): the key name is a known evdev key name; the action is a known
 * identifier other than "staff" and "char"; "digit" only on a key that
 * carries a digit (KEY_0…KEY_9, KEY_KP0…KEY_KP9); KEY_F10, the staff key,
 * is never bound, whatever the action, so that a voter's keypad can never
 * reach staff functions; a key is bound once; and the profile binds at
 * least one key to each of up, down, select, back and help, without which
 * a visitor could not move, choose, go back or leave the keypad tutorial.
 *
 * Switches: a line "mode two-switch" or "mode one-switch" (at most one;
 * "mode keys" is the default) declares a profile for a switch interface
 * (a two-button box, a sip-and-puff, the jacks of a USB switch
 * interface). A two-switch profile binds only "next" (Move) and "select",
 * each at least once; a one-switch profile only "select" (the focus moves
 * by itself, kiosk/scan.h); neither has number-entry actions, and the
 * up/down/select/back/help rule is not theirs. "next" belongs to a
 * two-switch profile only. Other lines that are not "KEY action" (a
 * future "pitch_mm"-style setting) are added the same way: a lower-case
 * first word that is not a key name.
 */
#ifndef DAUYS_ACCESSIBILITY_KEYPROFILE_H
#define DAUYS_ACCESSIBILITY_KEYPROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "accessibility/action.h"

#define KEYPROFILE_MAX_BYTES 65536
#define KEYPROFILE_DEFAULT_PITCH_MM 19.05
#define KEYPROFILE_MIN_PITCH_MM 12.0
#define KEYPROFILE_MAX_PITCH_MM 40.0

struct keyprofile;

/* What kind of device a profile is for (its "mode" line). */
enum keyprofile_mode {
    KEYPROFILE_KEYS = 0,   /* a keypad or keyboard: one key per action */
    KEYPROFILE_TWO_SWITCH, /* Move (next) and Select: scanning by hand */
    KEYPROFILE_ONE_SWITCH, /* Select only: the focus moves by itself */
};

/*
 * Parses the LEN bytes of TEXT, the contents of a file called NAME (used in
 * messages only). Returns 0 and a new profile in *OUT, which the caller
 * frees with keyprofile_free(); or -1 with *why (caller frees) listing the
 * problems, one "NAME:LINE: reason" a line, and *OUT untouched.
 */
int keyprofile_parse(const char *name, const char *text, size_t len,
                     struct keyprofile **out, char **why);

/* Reads and parses the file at PATH like keyprofile_parse(). */
int keyprofile_load(const char *path, struct keyprofile **out, char **why);

/* Frees P. NULL is a no-op. */
void keyprofile_free(struct keyprofile *p);

/*
 * Translates the evdev key CODE. A bound key gets its action; any other
 * key ACTION_NONE. The name is always the key's spoken name (a message id;
 * "This key" for a key without one). A key bound to "digit" has its digit
 * in codepoint ('0'…'9'); every other key has 0, so that a screen taking
 * text never mistakes an arrow on the keypad for a typed character. Never
 * returns ACTION_STAFF.
 */
struct key keyprofile_key(const struct keyprofile *p, unsigned code);

/* The mode of P (KEYPROFILE_KEYS for NULL: no keypad). */
enum keyprofile_mode keyprofile_mode(const struct keyprofile *p);

/* The number of bindings, and the I-th in file order (its evdev code in
 * *CODE). The order is the file's, so a layout is read row by row. */
size_t keyprofile_count(const struct keyprofile *p);
struct key keyprofile_binding(const struct keyprofile *p, size_t i,
                              unsigned *code);

/*
 * The short name of P's key that does ACTION, as instructions and hints
 * name it: a keypad digit by its digit ("5"), Enter as "Enter", the other
 * keys by their names without "Keypad" ("Dot", "Plus"); a message id
 * (digits and Latin names are not translated). ENTRY: what the key does
 * while a number is typed (a key bound "select digit" types its digit
 * there, so Enter is the select key). The first such binding in file
 * order; NULL when P (or no key of it) does ACTION.
 */
const char *keyprofile_label(const struct keyprofile *p, enum action action,
                             bool entry);

/* The key pitch in millimetres: the profile's `pitch_mm`, or
 * KEYPROFILE_DEFAULT_PITCH_MM when it has none (or P is NULL). */
double keyprofile_pitch_mm(const struct keyprofile *p);

/* The evdev code of the key called NAME ("KEY_KP8"), or -1 when the name
 * is not one this module knows. */
int keyprofile_code(const char *name);

/* The evdev name of CODE ("KEY_KP8"), or NULL when unknown. Static. */
const char *keyprofile_code_name(unsigned code);

#endif
