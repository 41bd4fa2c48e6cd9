/*
 * Keypad profile parsing and lookup (see keyprofile.h). The table of known
 * keys pairs the evdev name with the code from <linux/input-event-codes.h>
 * and the key's spoken name; it covers a numeric keypad and the keys of a
 * full keyboard that a profile may sensibly use. A parsed profile is a
 * small array in file order, looked up linearly: a keypad has about
 * twenty keys.
 */
#include "accessibility/keyprofile.h"

#include <linux/input-event-codes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/decimal.h"
#include "accessibility/i18n.h"
#include "accessibility/textfile.h"
#include "accessibility/xalloc.h"

#define KEYPROFILE_MAX_ERRORS 20
#define KEYPROFILE_MAX_LINE 256

struct known_key {
    const char *id;
    const char *name; /* message id */
    unsigned code;
    char digit; /* '0'..'9', or 0 */
};

#define K(c, n)                                                                \
    {                                                                          \
#c, n, c, 0                                                            \
    }
#define D(c, n, d)                                                             \
    {                                                                          \
#c, n, c, d                                                            \
    }
static const struct known_key known[] = {
    /* The numeric keypad, row by row. */
    K(KEY_NUMLOCK, N_("Num Lock")),
    K(KEY_KPSLASH, N_("Keypad slash")),
    K(KEY_KPASTERISK, N_("Keypad star")),
    K(KEY_KPMINUS, N_("Keypad minus")),
    D(KEY_KP7, N_("Keypad 7"), '7'),
    D(KEY_KP8, N_("Keypad 8"), '8'),
    D(KEY_KP9, N_("Keypad 9"), '9'),
    K(KEY_KPPLUS, N_("Keypad plus")),
    D(KEY_KP4, N_("Keypad 4"), '4'),
    D(KEY_KP5, N_("Keypad 5"), '5'),
    D(KEY_KP6, N_("Keypad 6"), '6'),
    D(KEY_KP1, N_("Keypad 1"), '1'),
    D(KEY_KP2, N_("Keypad 2"), '2'),
    D(KEY_KP3, N_("Keypad 3"), '3'),
    K(KEY_KPENTER, N_("Keypad Enter")),
    D(KEY_KP0, N_("Keypad 0"), '0'),
    K(KEY_KPDOT, N_("Keypad dot")),
    K(KEY_KPEQUAL, N_("Keypad equals")),
    K(KEY_KPCOMMA, N_("Keypad comma")),
    /* A full keyboard. */
    K(KEY_ESC, N_("Escape")),
    D(KEY_1, N_("Digit key"), '1'),
    D(KEY_2, N_("Digit key"), '2'),
    D(KEY_3, N_("Digit key"), '3'),
    D(KEY_4, N_("Digit key"), '4'),
    D(KEY_5, N_("Digit key"), '5'),
    D(KEY_6, N_("Digit key"), '6'),
    D(KEY_7, N_("Digit key"), '7'),
    D(KEY_8, N_("Digit key"), '8'),
    D(KEY_9, N_("Digit key"), '9'),
    D(KEY_0, N_("Digit key"), '0'),
    K(KEY_MINUS, N_("Minus")),
    K(KEY_EQUAL, N_("Plus")),
    K(KEY_BACKSPACE, N_("Backspace")),
    K(KEY_TAB, N_("Tab")),
    K(KEY_ENTER, N_("Enter")),
    K(KEY_SPACE, N_("Space")),
    K(KEY_COMMA, N_("Less-than")),
    K(KEY_DOT, N_("Greater-than")),
    K(KEY_SLASH, N_("Question mark")),
    K(KEY_R, N_("Letter R")),
    K(KEY_L, N_("Letter L")),
    K(KEY_T, N_("Letter T")),
    K(KEY_Z, N_("Letter Z")),
    K(KEY_B, N_("Letter B")),
    K(KEY_UP, N_("Up arrow")),
    K(KEY_DOWN, N_("Down arrow")),
    K(KEY_LEFT, N_("Left arrow")),
    K(KEY_RIGHT, N_("Right arrow")),
    K(KEY_HOME, N_("Home")),
    K(KEY_END, N_("End")),
    K(KEY_PAGEUP, N_("Page Up")),
    K(KEY_PAGEDOWN, N_("Page Down")),
    K(KEY_INSERT, N_("Insert")),
    K(KEY_DELETE, N_("Delete")),
    K(KEY_F1, N_("F1")),
    K(KEY_F2, N_("F2")),
    K(KEY_F3, N_("F3")),
    K(KEY_F4, N_("F4")),
    K(KEY_F5, N_("F5")),
    K(KEY_F6, N_("F6")),
    K(KEY_F7, N_("F7")),
    K(KEY_F8, N_("F8")),
    K(KEY_F9, N_("F9")),
    K(KEY_F10, N_("F10")),
    K(KEY_F11, N_("F11")),
    K(KEY_F12, N_("F12")),
    K(KEY_VOLUMEUP, N_("Volume up key")),
    K(KEY_VOLUMEDOWN, N_("Volume down key")),
    K(KEY_PLAYPAUSE, N_("Play-pause key")),
    K(KEY_HELP, N_("Help key")),
};
#undef K
#undef D
#define N_KNOWN (sizeof known / sizeof known[0])

/* Actions a visitor needs on every keypad. */
static const enum action required[] = {ACTION_UP, ACTION_DOWN, ACTION_SELECT,
                                       ACTION_BACK, ACTION_HELP};

struct binding {
    unsigned code;
    enum action action;
    unsigned line;
    enum action entry; /* in number entry; ACTION_NONE: as `action` */
};

struct keyprofile {
    struct binding *v;
    size_t n;
    double pitch_mm;     /* 0: not given */
    unsigned pitch_line; /* where it was given */
    enum keyprofile_mode mode;
};

struct parse {
    const char *name;
    unsigned line;
    unsigned mode_line; /* the line of the mode declaration; 0: none */
    char *errors;
    int n_errors;
};

static const struct known_key *
known_by_code(unsigned code)
{
    for (size_t i = 0; i < N_KNOWN; i++)
        if (known[i].code == code)
            return &known[i];
    return NULL;
}

int
keyprofile_code(const char *name)
{
    for (size_t i = 0; i < N_KNOWN; i++)
        if (strcmp(known[i].id, name) == 0)
            return (int)known[i].code;
    return -1;
}

const char *
keyprofile_code_name(unsigned code)
{
    const struct known_key *k = known_by_code(code);
    return k != NULL ? k->id : NULL;
}

static void parse_error(struct parse *p, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
parse_error(struct parse *p, unsigned line, const char *fmt, ...)
{
    if (++p->n_errors > KEYPROFILE_MAX_ERRORS) {
        if (p->n_errors == KEYPROFILE_MAX_ERRORS + 1) {
            char *all = xasprintf("%s\n%s: more errors follow", p->errors,
                                  p->name);
            free(p->errors);
            p->errors = all;
        }
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    char where[32] = "";
    if (line > 0)
        snprintf(where, sizeof where, ":%u", line);
    char *all = xasprintf("%s%s%s%s: %s", p->errors ? p->errors : "",
                          p->errors ? "\n" : "", p->name, where, msg);
    free(p->errors);
    free(msg);
    p->errors = all;
}

/* Copies the next blank-separated token of LINE (from *POS) into TOK. */
static bool
next_token(const char *line, size_t *pos, char *tok, size_t size)
{
    size_t i = *pos + strspn(line + *pos, " \t");
    size_t n = strcspn(line + i, " \t");
    if (n == 0)
        return false;
    if (n >= size)
        n = size - 1;
    memcpy(tok, line + i, n);
    tok[n] = '\0';
    *pos = i + strcspn(line + i, " \t");
    return true;
}

static bool
printable_ascii(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            return false;
    return true;
}

/* The `pitch_mm VALUE` line. */
static void
parse_pitch(struct parse *p, struct keyprofile *kp, const char *value)
{
    double mm;
    if (kp->pitch_line != 0) {
        parse_error(p, p->line, "pitch_mm is already given on line %u",
                    kp->pitch_line);
        return;
    }
    if (decimal_parse(value, &mm) != 0 || mm < KEYPROFILE_MIN_PITCH_MM ||
        mm > KEYPROFILE_MAX_PITCH_MM) {
        parse_error(p, p->line,
                    "pitch_mm must be millimetres from %g to %g "
                    "(like 19.05), not '%s'",
                    KEYPROFILE_MIN_PITCH_MM, KEYPROFILE_MAX_PITCH_MM,
                    printable_ascii(value) ? value : "?");
        return;
    }
    kp->pitch_mm = mm;
    kp->pitch_line = p->line;
}

static const struct {
    const char *id;
    enum keyprofile_mode mode;
} modes[] = {
    {"keys", KEYPROFILE_KEYS},
    {"two-switch", KEYPROFILE_TWO_SWITCH},
    {"one-switch", KEYPROFILE_ONE_SWITCH},
};

/* The line "mode NAME": the kind of device the profile is for. */
static void
parse_mode(struct parse *p, struct keyprofile *kp, const char *line, size_t pos)
{
    char name[KEYPROFILE_MAX_LINE], extra[KEYPROFILE_MAX_LINE];
    if (!next_token(line, &pos, name, sizeof name) ||
        next_token(line, &pos, extra, sizeof extra)) {
        parse_error(p, p->line,
                    "expected 'mode keys', 'mode two-switch' "
                    "or 'mode one-switch'");
        return;
    }
    if (p->mode_line != 0) {
        parse_error(p, p->line, "the mode is already given on line %u",
                    p->mode_line);
        return;
    }
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        if (strcmp(modes[i].id, name) == 0) {
            kp->mode = modes[i].mode;
            p->mode_line = p->line;
            return;
        }
    }
    parse_error(p, p->line,
                "unknown mode '%s' (keys, two-switch or "
                "one-switch)",
                printable_ascii(name) ? name : "?");
}

static void
parse_line(struct parse *p, struct keyprofile *kp, char *line)
{
    /* A '#' at the start or after blank space begins a comment. */
    for (char *h = strchr(line, '#'); h != NULL; h = strchr(h + 1, '#')) {
        if (h == line || h[-1] == ' ' || h[-1] == '\t') {
            *h = '\0';
            break;
        }
    }
    char key[KEYPROFILE_MAX_LINE], act[KEYPROFILE_MAX_LINE],
        ent[KEYPROFILE_MAX_LINE], extra[KEYPROFILE_MAX_LINE];
    size_t pos = 0;
    if (!next_token(line, &pos, key, sizeof key))
        return;
    if (strcmp(key, "mode") == 0) {
        parse_mode(p, kp, line, pos);
        return;
    }
    if (!next_token(line, &pos, act, sizeof act)) {
        parse_error(p, p->line, "expected 'KEY_NAME action', found only '%s'",
                    printable_ascii(key) ? key : "?");
        return;
    }
    bool has_ent = next_token(line, &pos, ent, sizeof ent);
    if (has_ent && next_token(line, &pos, extra, sizeof extra)) {
        parse_error(p, p->line,
                    "expected 'KEY_NAME action "
                    "[number-entry-action]', found more after "
                    "'%s'",
                    printable_ascii(ent) ? ent : "?");
        return;
    }
    if (strcmp(key, "pitch_mm") == 0) {
        if (has_ent)
            parse_error(p, p->line,
                        "expected 'pitch_mm MILLIMETRES', found "
                        "more after '%s'",
                        printable_ascii(act) ? act : "?");
        else
            parse_pitch(p, kp, act);
        return;
    }
    if (!has_ent)
        strcpy(ent, "none");
    if (!printable_ascii(key) || !printable_ascii(act) ||
        !printable_ascii(ent)) {
        parse_error(p, p->line, "key names and actions are plain ASCII");
        return;
    }
    int code = keyprofile_code(key);
    enum action a = action_from_id(act);
    bool bad = false;
    if (code < 0) {
        parse_error(p, p->line,
                    "unknown key name '%s' (use evdev names "
                    "such as KEY_KP8)",
                    key);
        bad = true;
    } else if (code == KEY_F10) {
        parse_error(p, p->line,
                    "KEY_F10 is the staff key and is never part "
                    "of a keypad profile");
        bad = true;
    }
    if (a == ACTION_NONE && strcmp(act, "none") != 0) {
        parse_error(p, p->line,
                    "unknown action '%s' (up, down, left, right, "
                    "select, back, delete, help, repeat, "
                    "volume-up, volume-down, faster, slower, "
                    "language, pause, theme, text-size, "
                    "curtain, digit, next, none)",
                    act);
        bad = true;
    } else if (a == ACTION_STAFF) {
        parse_error(p, p->line, "the staff action is never on a keypad");
        bad = true;
    } else if (a == ACTION_CHAR) {
        parse_error(p, p->line,
                    "a keypad cannot type letters: 'char' is "
                    "not a keypad action");
        bad = true;
    } else if (a == ACTION_DIGIT && code >= 0 &&
               known_by_code((unsigned)code)->digit == 0) {
        parse_error(p, p->line,
                    "'digit' needs a digit key, and %s is not "
                    "one",
                    key);
        bad = true;
    }
    /* While a number is typed only digits and the keys that confirm,
     * delete or leave make sense. */
    enum action e = action_from_id(ent);
    if (strcmp(ent, "none") != 0 && !(e == ACTION_DIGIT || e == ACTION_DELETE ||
                                      e == ACTION_SELECT || e == ACTION_BACK)) {
        parse_error(p, p->line,
                    "the number-entry action must be digit, "
                    "delete, select or back, not '%s'",
                    ent);
        bad = true;
    } else if (e == ACTION_DIGIT && code >= 0 &&
               known_by_code((unsigned)code)->digit == 0) {
        parse_error(p, p->line,
                    "'digit' needs a digit key, and %s is not "
                    "one",
                    key);
        bad = true;
    }
    if (bad)
        return;
    for (size_t i = 0; i < kp->n; i++) {
        if (kp->v[i].code == (unsigned)code) {
            parse_error(p, p->line, "%s is already bound on line %u", key,
                        kp->v[i].line);
            return;
        }
    }
    kp->v = xrealloc(kp->v, (kp->n + 1) * sizeof *kp->v);
    kp->v[kp->n++] = (struct binding){(unsigned)code, a, p->line, e};
}

/* Checks the bindings against the profile's mode: a keypad needs the keys
 * that move, choose, go back and leave the tutorial; a two-switch profile
 * has Move (next) and Select only, a one-switch profile Select only, and
 * neither has number-entry actions (digits are scanned). */
static void
check_mode(struct parse *p, const struct keyprofile *kp)
{
    static const enum action two[] = {ACTION_NEXT, ACTION_SELECT};
    static const enum action one[] = {ACTION_SELECT};
    const enum action *need = required;
    size_t n_need = sizeof required / sizeof required[0];
    const char *mode = "keys";
    if (kp->mode == KEYPROFILE_TWO_SWITCH) {
        need = two;
        n_need = 2;
        mode = "two-switch";
    } else if (kp->mode == KEYPROFILE_ONE_SWITCH) {
        need = one;
        n_need = 1;
        mode = "one-switch";
    }
    for (size_t i = 0; i < kp->n; i++) {
        const struct binding *b = &kp->v[i];
        if (kp->mode == KEYPROFILE_KEYS) {
            if (b->action == ACTION_NEXT)
                parse_error(p, b->line,
                            "'next' is the Move switch of a "
                            "switch profile: add the line "
                            "'mode two-switch'");
            continue;
        }
        bool ok = b->action == ACTION_NONE || b->action == ACTION_SELECT ||
                  (b->action == ACTION_NEXT &&
                   kp->mode == KEYPROFILE_TWO_SWITCH);
        if (!ok)
            parse_error(p, b->line, "a %s profile binds only %s, not '%s'",
                        mode,
                        kp->mode == KEYPROFILE_TWO_SWITCH ? "next and select"
                                                          : "select",
                        action_id(b->action));
        else if (b->entry != ACTION_NONE)
            parse_error(p, b->line,
                        "a %s profile has no number-entry "
                        "actions: digits are scanned",
                        mode);
    }
    for (size_t r = 0; r < n_need; r++) {
        bool found = false;
        for (size_t i = 0; i < kp->n && !found; i++)
            found = kp->v[i].action == need[r];
        if (!found)
            parse_error(p, 0,
                        "the profile binds no key to '%s', which "
                        "every %s needs",
                        action_id(need[r]),
                        kp->mode == KEYPROFILE_KEYS ? "keypad"
                                                    : "switch profile");
    }
}

int
keyprofile_parse(const char *name, const char *text, size_t len,
                 struct keyprofile **out, char **why)
{
    struct parse p = {.name = name};
    struct keyprofile *kp = xcalloc(1, sizeof *kp);
    int rc = -1;
    if (len > KEYPROFILE_MAX_BYTES) {
        parse_error(&p, 0, "larger than %d bytes", KEYPROFILE_MAX_BYTES);
        goto out;
    }
    size_t at = 0;
    while (at < len) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl != NULL ? (size_t)(nl - text) : len;
        size_t n = end - at;
        p.line++;
        if (n > 0 && text[at + n - 1] == '\r')
            n--;
        size_t lead = 0;
        while (lead < n && (text[at + lead] == ' ' || text[at + lead] == '\t'))
            lead++;
        if (memchr(text + at, '\0', n) != NULL) {
            parse_error(&p, p.line, "the line contains a NUL byte");
        } else if (lead < n && text[at + lead] == '#') {
            /* A comment line, of any length: nothing to read. */
        } else if (n >= KEYPROFILE_MAX_LINE) {
            parse_error(&p, p.line, "the line is longer than %d characters",
                        KEYPROFILE_MAX_LINE - 1);
        } else {
            char line[KEYPROFILE_MAX_LINE];
            memcpy(line, text + at, n);
            line[n] = '\0';
            parse_line(&p, kp, line);
        }
        at = end + 1;
    }
    check_mode(&p, kp);
    if (p.errors == NULL) {
        *out = kp;
        kp = NULL;
        rc = 0;
    }
out:
    keyprofile_free(kp);
    if (rc < 0)
        *why = p.errors;
    return rc;
}

int
keyprofile_load(const char *path, struct keyprofile **out, char **why)
{
    char *text = NULL;
    size_t n;
    if (textfile_read(path, "keypad profile", KEYPROFILE_MAX_BYTES, &text, &n,
                      why) < 0)
        return -1;
    int rc = keyprofile_parse(path, text, n, out, why);
    free(text);
    return rc;
}

void
keyprofile_free(struct keyprofile *p)
{
    if (p == NULL)
        return;
    free(p->v);
    free(p);
}

struct key
keyprofile_key(const struct keyprofile *p, unsigned code)
{
    const struct known_key *k = known_by_code(code);
    struct key out = {.action = ACTION_NONE,
                      .name = k != NULL ? k->name : N_("This key"),
                      .source = KEY_SOURCE_KEYPAD};
    for (size_t i = 0; p != NULL && i < p->n; i++) {
        if (p->v[i].code == code) {
            out.action = p->v[i].action;
            break;
        }
    }
    for (size_t i = 0; p != NULL && i < p->n; i++) {
        if (p->v[i].code == code && p->v[i].entry != ACTION_NONE) {
            out.entry = p->v[i].entry;
            if (out.entry == ACTION_DIGIT && k != NULL)
                out.entry_digit = (unsigned char)k->digit;
        }
    }
    if (out.action == ACTION_STAFF)
        out.action = ACTION_NONE;
    /* Only a digit carries its character: screens that take text treat
     * any key with a printable code point as typed. */
    if (out.action == ACTION_DIGIT && k != NULL)
        out.codepoint = (unsigned char)k->digit;
    return out;
}

/* The short name of the key CODE (keyprofile_label()). */
static const char *
known_label(unsigned code)
{
    static const char *const digits[] = {"0", "1", "2", "3", "4",
                                         "5", "6", "7", "8", "9"};
    const struct known_key *k = known_by_code(code);
    if (k == NULL)
        return N_("This key");
    if (k->digit != 0)
        return digits[k->digit - '0'];
    switch (code) {
    case KEY_KPENTER:
    case KEY_ENTER:
        return "Enter";
    case KEY_KPDOT:
        return N_("Dot");
    case KEY_KPCOMMA:
        return N_("Comma");
    case KEY_KPSLASH:
        return N_("Slash");
    case KEY_KPASTERISK:
        return N_("Star");
    case KEY_KPPLUS:
        return N_("Plus");
    case KEY_KPMINUS:
        return N_("Minus");
    case KEY_UP:
        return N_("Up");
    case KEY_DOWN:
        return N_("Down");
    case KEY_LEFT:
        return N_("Left");
    case KEY_RIGHT:
        return N_("Right");
    case KEY_ESC:
        return "Escape";
    case KEY_R:
        return "R";
    case KEY_L:
        return "L";
    case KEY_T:
        return "T";
    case KEY_Z:
        return "Z";
    case KEY_B:
        return "B";
    default:
        return k->name;
    }
}

const char *
keyprofile_label(const struct keyprofile *p, enum action action, bool entry)
{
    for (size_t i = 0; p != NULL && i < p->n; i++) {
        enum action a = p->v[i].action;
        if (entry && p->v[i].entry != ACTION_NONE)
            a = p->v[i].entry;
        if (a == action && a != ACTION_NONE)
            return known_label(p->v[i].code);
    }
    return NULL;
}

double
keyprofile_pitch_mm(const struct keyprofile *p)
{
    return p != NULL && p->pitch_mm > 0 ? p->pitch_mm
                                        : KEYPROFILE_DEFAULT_PITCH_MM;
}

enum keyprofile_mode
keyprofile_mode(const struct keyprofile *p)
{
    return p != NULL ? p->mode : KEYPROFILE_KEYS;
}

size_t
keyprofile_count(const struct keyprofile *p)
{
    return p != NULL ? p->n : 0;
}

struct key
keyprofile_binding(const struct keyprofile *p, size_t i, unsigned *code)
{
    *code = p->v[i].code;
    return keyprofile_key(p, p->v[i].code);
}
