/*
 * The terminal without a configuration, and the outcome of configuring.
 *
 * An appliance that has accepted no signed terminal configuration
 * (docs/terminal-config.md) has no staff accounts, so it must offer
 * nothing a visitor could use to set a PIN or reach a staff screen: this
 * screen is all there is. It says, in Kazakh and in Russian at once (the
 * kiosk cannot know who is reading), that the terminal is not configured
 * and the configuration stick must be inserted, and offers one action in
 * each language: read the stick. Anyone may press it, because only a
 * configuration signed with the provisioning key is ever accepted
 * (FX_CONFIGURE, carried out by kiosk/configure.c). Back does nothing.
 */
#include <stdlib.h>

#include "accessibility/xalloc.h"
#include "kiosk/screen.h"

static const char *const unconf_text = N_(
    "This terminal is not configured: insert the configuration stick.");
static const char *const unconf_action = N_("Configure from the stick");

static void
unconf_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    (void)s;
    view_title(v, "%s · %s", TL(c, LANG_KK, "Not configured"),
               TL(c, LANG_RU, "Not configured"));
    /* Each half in its own voice. */
    v->title_lang = LANG_KK;
    view_mark_title(v, TL(c, LANG_RU, "Not configured"), LANG_RU);
    view_add(v, VIEW_TEXT, "%s", TL(c, LANG_KK, unconf_text))->lang = LANG_KK;
    view_add(v, VIEW_TEXT, "%s", TL(c, LANG_RU, unconf_text))->lang = LANG_RU;
    view_option(v, LANG_KK, "%s", TL(c, LANG_KK, unconf_action))
        ->lang = LANG_KK;
    view_option(v, LANG_RU, "%s", TL(c, LANG_RU, unconf_action))
        ->lang = LANG_RU;
    v->initial = c->lang == LANG_RU ? LANG_RU : LANG_KK;
    static const char *const hint = N_("{select}: choose   {repeat}: repeat");
    view_hint(v, "%s  |  %s", TL(c, LANG_KK, hint), TL(c, LANG_RU, hint));
}

static void
unconf_choose(struct screen *s, const struct ctx *c, int id, struct fx_list *fx)
{
    (void)s;
    (void)c;
    /* The outcome is shown in the language of the option chosen. */
    fx_add(fx, FX_SET_LANG)->value = id == LANG_RU ? LANG_RU : LANG_KK;
    fx_add(fx, FX_CONFIGURE);
}

static void
unconf_back(struct screen *s, const struct ctx *c, const struct key *k,
            struct fx_list *fx)
{
    (void)s;
    (void)c;
    (void)k;
    (void)fx;
}

static const struct screen_ops unconf_ops = {
    .name = "unconfigured",
    .help = N_("This terminal has no configuration yet. Staff insert the "
               "configuration stick and press Enter."),
    .view = unconf_view,
    .choose = unconf_choose,
    .back = unconf_back,
};

struct screen *
screen_unconfigured_new(void)
{
    return screen_new(&unconf_ops, NULL);
}

#define CONFIGURED_LINES_MAX 32

struct configured {
    char *title;
    char *lines[CONFIGURED_LINES_MAX];
    int n;
    bool restart;
    uint64_t restart_at_ms;
    bool restarted; /* FX_RESTART was asked for */
};

enum { CONFIGURED_START = 1 };

static void
configured_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct configured *m = s->state;
    view_title(v, "%s", m->title);
    for (int i = 0; i < m->n; i++)
        view_add(v, VIEW_TEXT, "%s", m->lines[i]);
    if (m->restart) {
        view_option(v, CONFIGURED_START, "%s", T(c, "Start the kiosk"));
        view_hint(v, "%s",
                  T(c, "{select}: start the kiosk   {repeat}: repeat"));
    } else {
        view_hint(v, "%s", T(c, "{select} or {back}: back   {repeat}: repeat"));
    }
}

static void
configured_choose(struct screen *s, const struct ctx *c, int id,
                  struct fx_list *fx)
{
    const struct configured *m = s->state;
    (void)c;
    if (m->restart && id == CONFIGURED_START)
        fx_add(fx, FX_RESTART);
    else if (!m->restart)
        fx_add(fx, FX_POP);
}

/* With a new configuration in force, there is no going back to the old. */
static void
configured_back(struct screen *s, const struct ctx *c, const struct key *k,
                struct fx_list *fx)
{
    const struct configured *m = s->state;
    (void)c;
    (void)k;
    if (!m->restart)
        fx_add(fx, FX_POP);
}

static void
configured_release(void *state)
{
    struct configured *m = state;
    free(m->title);
    for (int i = 0; i < m->n; i++)
        free(m->lines[i]);
}

/* A new configuration starts by itself shortly, so that nothing is left
 * waiting for a key. */
static void
configured_tick(struct screen *s, const struct ctx *c, struct fx_list *fx)
{
    struct configured *m = s->state;
    if (m->restart && !m->restarted && c->now_ms >= m->restart_at_ms) {
        m->restarted = true;
        fx_add(fx, FX_RESTART);
    }
}

static uint64_t
configured_deadline(const struct screen *s, const struct ctx *c)
{
    const struct configured *m = s->state;
    (void)c;
    return m->restart && !m->restarted ? m->restart_at_ms : 0;
}

static const struct screen_ops configured_ops = {
    .name = "configured",
    .help = N_("The outcome of reading the configuration stick."),
    .view = configured_view,
    .choose = configured_choose,
    .back = configured_back,
    .tick = configured_tick,
    .deadline = configured_deadline,
    .release = configured_release,
};

struct screen *
screen_configured_new(const char *title, const char *const *lines, int n,
                      uint64_t restart_at_ms)
{
    bool restart = restart_at_ms != 0;
    struct configured *m = xcalloc(1, sizeof *m);
    m->title = xstrdup(title);
    for (int i = 0; i < n && i < CONFIGURED_LINES_MAX; i++)
        m->lines[m->n++] = xstrdup(lines[i]);
    m->restart = restart;
    m->restart_at_ms = restart_at_ms;
    return screen_new(&configured_ops, m);
}
