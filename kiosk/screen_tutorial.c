/*
 * The keypad tutorial: "press any key to hear what it does". Every key
 * reaches this screen (screen_ops.all_keys), so none acts: not Help, not
 * the language key, not the staff key. Each press is answered with the
 * key's spoken name and what it does elsewhere, spoken and shown; the
 * descriptions are the ones help's key-describe mode uses
 * (action_describe()). Help pressed twice in a row leaves; the first Help
 * says so. When a tactile keypad is configured its whole layout is shown
 * and read on arrival, row by row as its profile lists it.
 *
 * With switches (a switch profile) it teaches scanning instead: how Move
 * and Select (or the one switch) reach every item, the actions that come
 * after the items of each screen, and how numbers are typed; each switch
 * press is named, and Select (the switch) twice in a row leaves.
 *
 * Reached from the home screen, whose last entry it is: a blind visitor
 * hears "… 1 of 3" on arriving there and finds it by going down; it comes
 * after the choice of language so that it speaks the visitor's language.
 */
#include "kiosk/screen.h"

#include <stdio.h>

#include "accessibility/xalloc.h"

struct tutorial {
    bool pressed;       /* a key has been pressed */
    const char *name;   /* message id of the last key's name */
    enum action action; /* what it does */
    enum action entry;  /* what it does in number entry */
    bool help_once;     /* the last key was the leave key: one more
                              leaves */
};

/* The key that, pressed twice in a row, leaves: Help, or with switches
 * Select. */
static enum action
tutorial_leave_key(const struct ctx *c)
{
    return keyprofile_mode(c->keypad) == KEYPROFILE_KEYS ? ACTION_HELP
                                                         : ACTION_SELECT;
}

/* Writes "NAME: what it does" for one key into BUF, and what it does
 * while a number is typed when that differs. */
static void
tutorial_describe(const struct ctx *c, const char *name, enum action action,
                  enum action entry, char *buf, size_t size)
{
    const char *args[] = {T(c, name), T(c, action_describe(action))};
    char key[VIEW_TEXT_MAX];
    i18n_format(key, sizeof key, T(c, "{1}: {2}"), 2, args);
    if (entry == ACTION_NONE) {
        snprintf(buf, size, "%s", key);
        return;
    }
    const char *args2[] = {key, T(c, entry == ACTION_DIGIT
                                         ? N_("types its digit")
                                         : action_describe(entry))};
    i18n_format(buf, size, T(c, "{1}; in number entry: {2}"), 2, args2);
}

/* Writes what the last key press answers into BUF. */
static void
tutorial_answer(const struct tutorial *t, const struct ctx *c, char *buf,
                size_t size)
{
    char key[VIEW_TEXT_MAX];
    tutorial_describe(c, t->name, t->action, t->entry, key, sizeof key);
    const char *args[] = {key};
    const char
        *again = keyprofile_mode(c->keypad) == KEYPROFILE_KEYS
                     ? N_("{1}. Press {help} again to leave the tutorial.")
                     : N_("{1}. Press Select again to leave the "
                          "tutorial.");
    i18n_format(buf, size, t->help_once ? T(c, again) : "{1}", 1, args);
}

static void
tutorial_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct tutorial *t = s->state;
    view_title(v, "%s", T(c, "Learn the keys"));
    if (t->pressed) {
        char buf[VIEW_TEXT_MAX];
        tutorial_answer(t, c, buf, sizeof buf);
        view_add(v, VIEW_TEXT, "%s", buf);
    }
    enum keyprofile_mode mode = keyprofile_mode(c->keypad);
    if (mode == KEYPROFILE_TWO_SWITCH) {
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "You use two switches. Move goes to the next item "
                      "and reads it; Select chooses the item you hear. "
                      "After the items of each screen come: repeat the "
                      "screen, help, louder, quieter, change the language "
                      "and back, and then the first item again."));
    } else if (mode == KEYPROFILE_ONE_SWITCH) {
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "You use one switch. The items of each screen are "
                      "read one after another, each a short while after "
                      "the one before; press the switch when you hear the "
                      "one you want. After the items of each screen come: "
                      "repeat the screen, help, louder, quieter, change the "
                      "language and back, and then the first item again."));
    }
    if (mode != KEYPROFILE_KEYS) {
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "To type a number, choose its digits one by one from "
                      "1 2 3 4 5 6 7 8 9 0; then choose Done. Delete takes "
                      "the last digit away."));
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "Press a switch now to hear its name. Press Select "
                      "twice to leave."));
    } else {
        view_add(v, VIEW_TEXT, "%s",
                 T(c,
                   "Press any key to hear its name and what it does. Here keys "
                   "do nothing else. Press {help} twice to leave."));
    }
    size_t n = keyprofile_count(c->keypad);
    if (n > 0)
        view_add(v, VIEW_TEXT, "%s", T(c, "The keypad, row by row:"));
    for (size_t i = 0; i < n; i++) {
        unsigned code;
        struct key k = keyprofile_binding(c->keypad, i, &code);
        char buf[VIEW_TEXT_MAX];
        tutorial_describe(c, k.name, k.action, k.entry, buf, sizeof buf);
        view_add(v, VIEW_TEXT, "%s", buf);
    }
    view_hint(v, "%s",
              T(c, mode == KEYPROFILE_KEYS
                       ? N_("Any key: hear what it does   {help} twice: leave")
                       : N_("A switch: hear what it does   Select twice: "
                            "leave")));
}

static void
tutorial_key(struct screen *s, const struct ctx *c, const struct key *k,
             struct fx_list *fx)
{
    struct tutorial *t = s->state;
    if (k->action == tutorial_leave_key(c) && t->help_once) {
        fx_add(fx, FX_POP);
        return;
    }
    t->pressed = true;
    t->name = k->name;
    t->action = k->action;
    t->entry = k->entry;
    t->help_once = k->action == tutorial_leave_key(c);
    char buf[VIEW_TEXT_MAX];
    tutorial_answer(t, c, buf, sizeof buf);
    fx_say(fx, (int)c->lang, buf);
}

static const struct screen_ops tutorial_ops = {
    .name = "tutorial",
    .help = N_("Press any key to hear its name and what it does. Press "
               "{help} twice to leave."),
    .all_keys = true,
    .view = tutorial_view,
    .key = tutorial_key,
};

struct screen *
screen_tutorial_new(void)
{
    return screen_new(&tutorial_ops, xcalloc(1, sizeof(struct tutorial)));
}
