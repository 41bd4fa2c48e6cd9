/*
 * Home: what the kiosk offers, according to --mode: voting assistance, the
 * social-services catalogue, or both; and, always last, the keypad
 * tutorial. Escape returns to the welcome screen.
 */
#include "kiosk/screen.h"

#include "accessibility/xalloc.h"

struct home {
    int sel;
};

enum home_entry { HOME_VOTING, HOME_SERVICES, HOME_TUTORIAL };

/* Fills ENTRIES with what the mode offers and returns how many. */
static int
home_entries(const struct ctx *c, enum home_entry entries[3])
{
    int n = 0;
    if (c->mode & MODE_VOTING)
        entries[n++] = HOME_VOTING;
    if (c->mode & MODE_SERVICES)
        entries[n++] = HOME_SERVICES;
    entries[n++] = HOME_TUTORIAL;
    return n;
}

static void
home_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct home *h = s->state;
    enum home_entry e[3];
    int n = home_entries(c, e);
    static const char *const labels[] = {
        [HOME_VOTING] = N_("Voting assistance"),
        [HOME_SERVICES] = N_("Social services"),
        [HOME_TUTORIAL] = N_("Learn the keys"),
    };
    view_title(v, "%s", T(c, "What would you like to do?"));
    for (int i = 0; i < n; i++)
        view_add(v, VIEW_OPTION, "%s", T(c, labels[e[i]]));
    view_focus_rank(v, (size_t)h->sel);
    view_hint(v, "%s", T(c, "Enter: choose   Escape: back   F1: help"));
}

static void
home_key(struct screen *s, const struct ctx *c, const struct key *k,
         struct fx_list *fx)
{
    struct home *h = s->state;
    enum home_entry e[3];
    int n = home_entries(c, e);
    if (screen_menu_key(&h->sel, n, k))
        return;
    if (k->action == ACTION_BACK || k->action == ACTION_DELETE) {
        fx_replace(fx, screen_welcome_new());
        return;
    }
    if (k->action != ACTION_SELECT)
        return;
    if (e[h->sel - 1] == HOME_TUTORIAL) {
        fx_push(fx, screen_tutorial_new());
    } else if (e[h->sel - 1] == HOME_VOTING && c->election != NULL &&
               c->voting_open) {
        fx_push(fx, screen_vote_new());
    } else if (e[h->sel - 1] == HOME_VOTING) {
        const char *lines[] = {
            T(c, "Voting assistance is not open on this terminal now. "
                 "Please ask a member of the election commission.")};
        fx_push(fx, screen_message_new(T(c, "Voting assistance"), lines, 1));
    } else {
        fx_push(fx, screen_services_new());
    }
}

static const struct screen_ops home_ops = {
    .name = "home",
    .help = N_("Choose what you came for with the Up and Down keys and press "
               "Enter. Escape goes back to the choice of language. The last "
               "entry, Learn the keys, names every key as you press it."),
    .view = home_view,
    .key = home_key,
};

struct screen *
screen_home_new(void)
{
    struct home *h = xcalloc(1, sizeof *h);
    h->sel = 1;
    return screen_new(&home_ops, h);
}
