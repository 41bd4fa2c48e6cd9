/*
 * Home: what the kiosk offers, according to --mode: voting assistance, the
 * social-services catalogue, or both; and, always last, the keypad
 * tutorial. Back returns to the welcome screen.
 *
 * With a keypad configured, the tutorial is also offered before the home
 * menu: right after the language, a short screen asks whether the visitor
 * wants to learn the keys first (the welcome says so in one sentence).
 * Learning them leaves the tutorial onto the home menu.
 */
#include "kiosk/screen.h"

enum home_option { HOME_VOTING, HOME_SERVICES, HOME_TUTORIAL };

static void
home_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    (void)s;
    view_title(v, "%s", T(c, "What would you like to do?"));
    if (c->mode & MODE_VOTING)
        view_option(v, HOME_VOTING, "%s", T(c, "Voting assistance"));
    if (c->mode & MODE_SERVICES)
        view_option(v, HOME_SERVICES, "%s", T(c, "Social services"));
    view_option(v, HOME_TUTORIAL, "%s", T(c, "Learn the keys"));
    view_hint(v, "%s", T(c, "{select}: choose   {back}: back   {help}: help"));
}

static void
home_choose(struct screen *s, const struct ctx *c, int id, struct fx_list *fx)
{
    (void)s;
    switch ((enum home_option)id) {
    case HOME_TUTORIAL:
        fx_push(fx, screen_tutorial_new());
        break;
    case HOME_VOTING:
        if (c->election != NULL && c->voting_open) {
            fx_push(fx, screen_vote_new());
        } else {
            const char *lines[] = {
                T(c, "Voting assistance is not open on this terminal now. "
                     "Please ask a member of the election commission.")};
            fx_push(fx,
                    screen_message_new(T(c, "Voting assistance"), lines, 1));
        }
        break;
    case HOME_SERVICES:
        fx_push(fx, screen_services_new());
        break;
    }
}

static void
home_back(struct screen *s, const struct ctx *c, const struct key *k,
          struct fx_list *fx)
{
    (void)s;
    (void)k;
    (void)c;
    fx_replace(fx, screen_welcome_new());
}

static const struct screen_ops home_ops = {
    .name = "home",
    .help = N_("Choose what you came for with {up} and {down} and press "
               "{select}. {back} goes back to the choice of language. The "
               "last entry, Learn the keys, names every key as you press it."),
    .view = home_view,
    .choose = home_choose,
    .back = home_back,
};

struct screen *
screen_home_new(void)
{
    return screen_new(&home_ops, NULL);
}

enum offer_option { OFFER_LEARN, OFFER_MENU };

static void
offer_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    (void)s;
    view_title(v, "%s", T(c, "Would you like to learn the keys first?"));
    view_option(v, OFFER_LEARN, "%s", T(c, "Learn the keys"));
    view_option(v, OFFER_MENU, "%s", T(c, "Go on to the menu"));
    view_hint(v, "%s", T(c, "{select}: choose   {back}: back   {help}: help"));
}

static void
offer_choose(struct screen *s, const struct ctx *c, int id, struct fx_list *fx)
{
    (void)s;
    (void)c;
    fx_replace(fx, screen_home_new());
    if (id == OFFER_LEARN)
        fx_push(fx, screen_tutorial_new());
}

static const struct screen_ops offer_ops = {
    .name = "keys-offer",
    .help = N_("The lesson names each key you press and says what it does; "
               "no key acts during it. {help} twice ends it and opens the "
               "menu. {back} goes back to the choice of language."),
    .view = offer_view,
    .choose = offer_choose,
    .back = home_back,
};

struct screen *
screen_keys_offer_new(void)
{
    return screen_new(&offer_ops, NULL);
}
