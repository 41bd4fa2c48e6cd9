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
    "Hello! {up}, {down} move, {select} chooses the language.");
/* With a keypad, one sentence more: how to learn its keys. */
static const char *const keys_sentence = N_("Then, a lesson on the keys.");

/* True when a keypad (not switches) is configured. */
static bool
welcome_keypad(const struct ctx *c)
{
    return c->keypad != NULL && keyprofile_mode(c->keypad) == KEYPROFILE_KEYS;
}

static void
welcome_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    (void)s;
    view_title(v, "%s", "Дауыс · Dauys");
    /* The name is Kazakh: its Cyrillic form is read by the Kazakh voice
     * whatever the language; with --lang the rest is in that one. */
    v->title_lang = c->lang_fixed ? -1 : LANG_KK;
    view_mark_title(v, "Дауыс", LANG_KK);
    bool pad = welcome_keypad(c);
    if (c->lang_fixed) {
        view_add(v, VIEW_TEXT, "%s%s%s", T(c, greeting), pad ? " " : "",
                 pad ? T(c, keys_sentence) : "");
    } else {
        for (int l = LANG_KK; l <= LANG_RU; l++)
            view_add(v, VIEW_TEXT, "%s%s%s", TL(c, l, greeting), pad ? " " : "",
                     pad ? TL(c, l, keys_sentence) : "")
                ->lang = l;
    }
    for (int l = 0; l < LANG_COUNT; l++)
        view_option(v, l, "%s", lang_native_name((enum lang)l))->lang = l;
    v->initial = (int)c->lang;
    static const char *const hint = N_(
        "{select}: choose   {help}: help   {repeat}: repeat");
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
    if (id >= 0) {
        fx_add(fx, FX_SET_LANG)->value = id;
        fx_replace(fx, welcome_keypad(c) ? screen_keys_offer_new()
                                         : screen_home_new());
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
    .help = N_("This is the start. Choose the language of the kiosk: Kazakh, "
               "Russian or English. You can change it later at any time with "
               "the {language} key."),
    .view = welcome_view,
    .choose = welcome_choose,
    .back = welcome_back,
};

struct screen *
screen_welcome_new(void)
{
    return screen_new(&welcome_ops, NULL);
}
