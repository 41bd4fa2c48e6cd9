/*
 * The keyboard profile as a table: terminal key or character → action and
 * spoken key name. Digits carry their value; printable characters that are
 * not bound become ACTION_CHAR for name entry.
 */
#include "accessibility/keymap.h"

#include "accessibility/i18n.h"

struct binding {
    enum term_key tk;
    unsigned int cp;
    enum action action;
    const char *name;
};

static const struct binding bindings[] = {
    {TERM_KEY_UP, 0, ACTION_UP, N_("Up arrow")},
    {TERM_KEY_DOWN, 0, ACTION_DOWN, N_("Down arrow")},
    {TERM_KEY_LEFT, 0, ACTION_LEFT, N_("Left arrow")},
    {TERM_KEY_RIGHT, 0, ACTION_RIGHT, N_("Right arrow")},
    {TERM_KEY_ENTER, 0, ACTION_SELECT, N_("Enter")},
    {TERM_KEY_ESCAPE, 0, ACTION_BACK, N_("Escape")},
    {TERM_KEY_BACKSPACE, 0, ACTION_DELETE, N_("Backspace")},
    {TERM_KEY_F1, 0, ACTION_HELP, N_("F1")},
    {TERM_KEY_F2, 0, ACTION_REPEAT, N_("F2")},
    {TERM_KEY_F10, 0, ACTION_STAFF, N_("F10")},
    {TERM_KEY_CHAR, '?', ACTION_HELP, N_("Question mark")},
    {TERM_KEY_CHAR, 'r', ACTION_REPEAT, N_("Letter R")},
    {TERM_KEY_CHAR, 'R', ACTION_REPEAT, N_("Letter R")},
    {TERM_KEY_CHAR, '+', ACTION_VOLUME_UP, N_("Plus")},
    {TERM_KEY_CHAR, '=', ACTION_VOLUME_UP, N_("Plus")},
    {TERM_KEY_CHAR, '-', ACTION_VOLUME_DOWN, N_("Minus")},
    {TERM_KEY_CHAR, '>', ACTION_FASTER, N_("Greater-than")},
    {TERM_KEY_CHAR, '<', ACTION_SLOWER, N_("Less-than")},
    {TERM_KEY_CHAR, 'l', ACTION_LANGUAGE, N_("Letter L")},
    {TERM_KEY_CHAR, 'L', ACTION_LANGUAGE, N_("Letter L")},
    {TERM_KEY_CHAR, ' ', ACTION_PAUSE, N_("Space")},
    {TERM_KEY_CHAR, 't', ACTION_THEME, N_("Letter T")},
    {TERM_KEY_CHAR, 'T', ACTION_THEME, N_("Letter T")},
    {TERM_KEY_CHAR, 'z', ACTION_TEXT_SIZE, N_("Letter Z")},
    {TERM_KEY_CHAR, 'Z', ACTION_TEXT_SIZE, N_("Letter Z")},
    {TERM_KEY_CHAR, 'b', ACTION_CURTAIN, N_("Letter B")},
    {TERM_KEY_CHAR, 'B', ACTION_CURTAIN, N_("Letter B")},
    {TERM_KEY_CHAR, '\r', ACTION_SELECT, N_("Enter")},
    {TERM_KEY_CHAR, '\n', ACTION_SELECT, N_("Enter")},
    {TERM_KEY_CHAR, 0x1b, ACTION_BACK, N_("Escape")},
    {TERM_KEY_CHAR, 0x7f, ACTION_DELETE, N_("Backspace")},
    {TERM_KEY_CHAR, 0x08, ACTION_DELETE, N_("Backspace")},
};

struct key
keymap_keyboard(enum term_key tk, unsigned int cp)
{
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
        const struct binding *b = &bindings[i];
        if (b->tk == tk && (tk != TERM_KEY_CHAR || b->cp == cp))
            return (struct key){.action = b->action,
                                .codepoint = cp,
                                .name = b->name};
    }
    if (tk == TERM_KEY_CHAR && cp >= '0' && cp <= '9')
        return (struct key){.action = ACTION_DIGIT,
                            .codepoint = cp,
                            .name = N_("Digit key")};
    if (tk == TERM_KEY_CHAR && cp >= 0x20 && cp != 0x7f)
        return (struct key){.action = ACTION_CHAR,
                            .codepoint = cp,
                            .name = N_("Letter key")};
    return (struct key){.action = ACTION_NONE,
                        .codepoint = cp,
                        .name = N_("This key")};
}

const char *
keymap_label(enum action action)
{
    switch (action) {
    /* Short: "Up and Down move", the welcome's first sentence. */
    case ACTION_UP:
        return N_("Up");
    case ACTION_DOWN:
        return N_("Down");
    case ACTION_LEFT:
        return N_("Left");
    case ACTION_RIGHT:
        return N_("Right");
    case ACTION_SELECT:
        return "Enter";
    case ACTION_BACK:
        return "Escape";
    case ACTION_DELETE:
        return "Backspace";
    case ACTION_HELP:
        return "F1";
    case ACTION_REPEAT:
        return "R";
    case ACTION_VOLUME_UP:
        return N_("Plus");
    case ACTION_VOLUME_DOWN:
        return N_("Minus");
    case ACTION_FASTER:
        return N_("Greater-than");
    case ACTION_SLOWER:
        return N_("Less-than");
    case ACTION_LANGUAGE:
        return "L";
    case ACTION_PAUSE:
        return N_("Space");
    case ACTION_THEME:
        return "T";
    case ACTION_TEXT_SIZE:
        return "Z";
    case ACTION_CURTAIN:
        return "B";
    case ACTION_STAFF:
        return "F10";
    default:
        return NULL;
    }
}
