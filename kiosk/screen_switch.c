/*
 * The switch check: before each session with switches (and from the
 * staff menu, as a test of the switch jack) the visitor finds out which
 * switch is which. "Press either switch", then Move twice, then Select
 * twice (with one switch: the switch twice). Pressing the other switch is
 * answered with a friendly word that names it and says which one is
 * wanted, never with an error. Escape (an assistant's keyboard, or the
 * staff key) skips it. Every key reaches this screen (all_keys), so
 * nothing else acts while the switches are tried.
 *
 * Before a session nobody has chosen a language yet: unless --lang fixed
 * one, every text is shown and said in Kazakh and in Russian, as on the
 * welcome screen.
 */
#include "kiosk/screen.h"

#include <stdio.h>

#include "accessibility/xalloc.h"

enum switch_step { STEP_ANY, STEP_MOVE, STEP_SELECT, STEP_DONE };

struct switch_check {
    bool staff; /* the staff test: stays open at the end */
    enum switch_step step;
    int count;          /* presses of the wanted switch in this step */
    const char *answer; /* message id: the answer to the last press */
};

static bool
check_one_switch(const struct ctx *c)
{
    return keyprofile_mode(c->keypad) == KEYPROFILE_ONE_SWITCH;
}

/* The instruction of the current step (a message id). */
static const char *
check_prompt(const struct switch_check *w, const struct ctx *c)
{
    bool one = check_one_switch(c);
    switch (w->step) {
    case STEP_ANY:
        return one ? N_("Press the switch.") : N_("Press either switch.");
    case STEP_MOVE:
        return N_("Now press the Move switch twice. Move goes to the next "
                  "item.");
    case STEP_SELECT:
        return one ? N_("Now press the switch twice. It chooses the item "
                        "you hear.")
                   : N_("Now press the Select switch twice. Select chooses "
                        "the item you hear.");
    case STEP_DONE:
        break;
    }
    return w->staff ? N_("The switches work. Press Escape to go back.")
                    : N_("The switches work. Let us begin.");
}

/* Whether texts go out in kk and ru together (no language chosen yet). */
static bool
check_both(const struct switch_check *w, const struct ctx *c)
{
    return !w->staff && !c->lang_fixed;
}

static void
check_text(const struct switch_check *w, const struct ctx *c, struct view *v,
           const char *msgid)
{
    if (!check_both(w, c)) {
        view_add(v, VIEW_TEXT, "%s", T(c, msgid));
        return;
    }
    view_add(v, VIEW_TEXT, "%s", TL(c, LANG_KK, msgid))->lang = LANG_KK;
    view_add(v, VIEW_TEXT, "%s", TL(c, LANG_RU, msgid))->lang = LANG_RU;
}

static void
check_say(const struct switch_check *w, const struct ctx *c, struct fx_list *fx,
          const char *msgid)
{
    if (!check_both(w, c)) {
        fx_say(fx, (int)c->lang, T(c, msgid));
        return;
    }
    fx_say(fx, LANG_KK, TL(c, LANG_KK, msgid));
    fx_say(fx, LANG_RU, TL(c, LANG_RU, msgid));
}

static void
check_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct switch_check *w = s->state;
    static const char *const title = N_("Check the switches");
    if (check_both(w, c)) {
        view_title(v, "%s · %s", TL(c, LANG_KK, title), TL(c, LANG_RU, title));
        v->title_lang = LANG_KK;
    } else {
        view_title(v, "%s", T(c, w->staff ? N_("Switch test") : title));
    }
    if (w->answer != NULL)
        check_text(w, c, v, w->answer);
    check_text(w, c, v, check_prompt(w, c));
    static const char *const hint = N_("Escape: skip");
    if (check_both(w, c))
        view_hint(v, "%s  |  %s", TL(c, LANG_KK, hint), TL(c, LANG_RU, hint));
    else
        view_hint(v, "%s", T(c, hint));
}

/* Moves on to STEP and announces it. */
static void
check_step(struct switch_check *w, const struct ctx *c, enum switch_step step,
           struct fx_list *fx)
{
    w->step = step;
    w->count = 0;
    if (step == STEP_DONE && !w->staff) {
        check_say(w, c, fx, check_prompt(w, c));
        fx_add(fx, FX_POP);
        return;
    }
    if (step == STEP_DONE)
        fx_log(fx, "staff switch test: both switches work");
    check_say(w, c, fx, check_prompt(w, c));
}

static void
check_key(struct screen *s, const struct ctx *c, const struct key *k,
          struct fx_list *fx)
{
    struct switch_check *w = s->state;
    /* A keyboard's Down counts as Move, so that the check can be shown
     * and tried without switches. */
    bool move = k->action == ACTION_NEXT || k->action == ACTION_DOWN;
    bool select = k->action == ACTION_SELECT;
    if (k->action == ACTION_BACK || k->action == ACTION_STAFF ||
        (w->step == STEP_DONE && w->staff)) {
        if (w->step != STEP_DONE)
            fx_log(fx, "switch check skipped");
        fx_add(fx, FX_POP);
        return;
    }
    w->answer = NULL;
    if (!move && !select) {
        w->answer = N_("That key is not a switch.");
        check_say(w, c, fx, w->answer);
        check_say(w, c, fx, check_prompt(w, c));
        return;
    }
    switch (w->step) {
    case STEP_ANY:
        w->answer = move                  ? N_("That was the Move switch.")
                    : check_one_switch(c) ? N_("That was the switch.")
                                          : N_("That was the Select switch.");
        check_say(w, c, fx, w->answer);
        check_step(w, c, check_one_switch(c) ? STEP_SELECT : STEP_MOVE, fx);
        return;
    case STEP_MOVE:
    case STEP_SELECT: {
        bool right = w->step == STEP_MOVE ? move : select;
        if (!right) {
            w->count = 0;
            w->answer = w->step == STEP_MOVE
                            ? N_("That was Select, which is fine. Now "
                                 "please find Move.")
                            : N_("That was Move, which is fine. Now please "
                                 "find Select.");
            check_say(w, c, fx, w->answer);
            return;
        }
        if (++w->count < 2) {
            w->answer = w->step == STEP_MOVE ? N_("Move. Once more.")
                                             : N_("Select. Once more.");
            check_say(w, c, fx, w->answer);
            return;
        }
        w->answer = w->step == STEP_MOVE ? N_("Good, that is Move.")
                                         : N_("Good, that is Select.");
        if (check_one_switch(c))
            w->answer = N_("Good, the switch works.");
        check_say(w, c, fx, w->answer);
        check_step(w, c, w->step == STEP_MOVE ? STEP_SELECT : STEP_DONE, fx);
        return;
    }
    case STEP_DONE:
        return;
    }
}

static const struct screen_ops check_ops = {
    .name = "switch-check",
    .help = N_("A short check of the switches: press either switch, then "
               "Move twice, then Select twice. Escape skips it."),
    .all_keys = true,
    .view = check_view,
    .key = check_key,
    .state_size = sizeof(struct switch_check),
};

static const struct screen_ops staff_check_ops = {
    .name = "switch-test",
    .help = N_("A short check of the switches: press either switch, then "
               "Move twice, then Select twice. Escape skips it."),
    .all_keys = true,
    .staff = true,
    .view = check_view,
    .key = check_key,
    .state_size = sizeof(struct switch_check),
};

struct screen *
screen_switch_check_new(bool staff)
{
    struct switch_check *w = xcalloc(1, sizeof *w);
    w->staff = staff;
    return screen_new(staff ? &staff_check_ops : &check_ops, w);
}
