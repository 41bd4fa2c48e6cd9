/*
 * Welcome: the first screen of every visit. It greets in Kazakh and in
 * Russian at once (each text in its own voice), because the kiosk cannot
 * know which language the visitor reads, and offers kk, ru and en. With
 * --lang the greeting is in that language only. Until the visitor moves
 * the focus, it follows the language chosen with `l`. Back does nothing:
 * this is the start.
 */
#include "kiosk/screen.h"

static const char *const greeting = N_(
    "Hello! Choose your language with the Up and Down keys, then press "
    "Enter.");

static void
welcome_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    (void)s;
    view_title(v, "%s", "Дауыс · Dauys");
    /* The name is Kazakh: its Cyrillic form is read by the Kazakh voice
     * whatever the language; with --lang the rest is in that one. */
    v->title_lang = c->lang_fixed ? -1 : LANG_KK;
    view_mark_title(v, "Дауыс", LANG_KK);
    if (c->lang_fixed) {
        view_add(v, VIEW_TEXT, "%s", T(c, greeting));
    } else {
        view_add(v, VIEW_TEXT, "%s", TL(c, LANG_KK, greeting))->lang = LANG_KK;
        view_add(v, VIEW_TEXT, "%s", TL(c, LANG_RU, greeting))->lang = LANG_RU;
    }
    for (int l = 0; l < LANG_COUNT; l++)
        view_option(v, l, "%s", lang_native_name((enum lang)l))->lang = l;
    v->initial = (int)c->lang;
    static const char *const hint = N_("Enter: choose   F1: help   R: repeat");
    if (c->lang_fixed)
        view_hint(v, "%s", T(c, hint));
    else
        view_hint(v, "%s  |  %s", TL(c, LANG_KK, hint), TL(c, LANG_RU, hint));
}

static void
welcome_choose(struct screen *s, const struct ctx *c, int id,
               struct fx_list *fx)
{
    (void)s;
    (void)c;
    if (id >= 0) {
        fx_add(fx, FX_SET_LANG)->value = id;
        fx_replace(fx, screen_home_new());
    }
}

static void
welcome_back(struct screen *s, const struct ctx *c, const struct key *k,
             struct fx_list *fx)
{
    (void)s;
    (void)k;
    (void)c;
    (void)fx;
}

static const struct screen_ops welcome_ops = {
    .name = "welcome",
    .help = N_("This is the start. Choose the language of the kiosk: "
               "Kazakh, Russian or English. You can change it later at any "
               "time with the L key."),
    .view = welcome_view,
    .choose = welcome_choose,
    .back = welcome_back,
};

struct screen *
screen_welcome_new(void)
{
    return screen_new(&welcome_ops, NULL);
}
