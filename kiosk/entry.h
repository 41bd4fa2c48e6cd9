/*
 * The entry model: the one typed field every screen uses (like tmux's
 * prompt.c), for an IIN, a phone number, a PIN, an application number, a
 * name or a folder.
 *
 * An entry holds digits only or any text, up to a maximum number of
 * characters (code points, not bytes). It takes the keys a field takes —
 * digits (the keypad's number-entry keys arrive as digits too), typed
 * characters, Delete — echoes each in speech, and deletes whole code
 * points. A masked entry (a PIN) is shown as dots and never spoken: each
 * digit is acknowledged with "digit entered". For reading back, digits are
 * grouped (3 for an IIN: "061 211 600 012"). Everything it held is wiped
 * when it is cleared. The struct is plain data inside a screen's state;
 * the screen decides what Enter and Back mean.
 */
#ifndef DAUYS_KIOSK_ENTRY_H
#define DAUYS_KIOSK_ENTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "kiosk/screen.h"

/* Longest field, in bytes (a folder path or a name). */
#define ENTRY_BYTES_MAX 1024

enum entry_kind {
    ENTRY_DIGITS, /* 0-9 only */
    ENTRY_TEXT,   /* any printable character */
};

struct entry {
    enum entry_kind kind;
    size_t max;       /* at most this many characters */
    size_t group;     /* digits are shown and read in groups of this; 0: not */
    bool masked;      /* shown as dots, never spoken */
    bool slots;       /* a fixed-length number: "_" shows each digit to come */
    size_t max_bytes; /* at most this many bytes of UTF-8 (a field stored
                         in a fixed buffer); 0: ENTRY_BYTES_MAX - 1 */
    size_t count;     /* characters in text */
    size_t len;       /* bytes in text */
    char text[ENTRY_BYTES_MAX];
};

/* What entry_key() did with a key. */
enum entry_result {
    ENTRY_IGNORED, /* not a field key: the screen acts on it */
    ENTRY_CHANGED, /* a character was added or deleted (and echoed) */
    ENTRY_FULL,    /* a character was refused: the field is full */
    ENTRY_EMPTY,   /* Delete on an empty field: the screen decides */
};

/* Sets E up empty as a field of KIND for MAX characters (and at most
 * ENTRY_BYTES_MAX - 1 bytes), digits grouped by GROUP (0: not). */
void entry_init(struct entry *e, enum entry_kind kind, size_t max,
                size_t group);

/* Replaces the text by TEXT, cut to what E may hold (a letter is never
 * split); characters E does not take are left out. */
void entry_set(struct entry *e, const char *text);

/* Wipes the text; the settings stay. */
void entry_clear(struct entry *e);

/* True when E holds as many characters as it may. */
bool entry_full(const struct entry *e);

/*
 * Takes key K for E: a digit (or, in a text field, a character) is added
 * and echoed in FX (the digit, the letter, "space", or "digit entered"
 * when masked); Delete removes the last character and says so. Every other
 * key is ENTRY_IGNORED. The translations come from C.
 */
enum entry_result entry_key(struct entry *e, const struct ctx *c,
                            const struct key *k, struct fx_list *fx);

/* Writes how E is shown into OUT: dots when masked, digits in groups, "_"
 * for the digits still to come of a fixed-length number. */
void entry_show(const struct entry *e, char *out, size_t size);

/* Writes how E is read back into OUT: digit by digit in groups
 * ("0 6 1, 2 1 1…"), the text as it is, or nothing when masked. */
void entry_say(const struct entry *e, char *out, size_t size);

/* Appends E to V as a VIEW_ENTRY item (shown as entry_show, read as
 * entry_say, or EMPTY_SAY when nothing is typed yet) and returns it. */
struct view_item *entry_view(const struct entry *e, struct view *v,
                             const char *empty_say);

#endif
