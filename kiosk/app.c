/*
 * The application state machine (see app.h).
 *
 * Navigation effects (push, pop, replace, home, language) returned by a
 * screen are carried out here, in order, before the view is rebuilt; the
 * other effects go out to the loop. After every event the new view is
 * compared with the previous one to decide what to say: a new screen (or
 * language) is read whole, a moved focus reads the focused option, a new
 * notice is read at once. Help is an overlay owned by the app, not a
 * screen, so it works the same on every screen, including staff screens.
 *
 * Pause is the app's state, not the speech queue's: the key stops speech
 * and says one word, so that a paused kiosk is never silent without
 * saying why; resuming does not replay the utterance that was cut (the
 * pause key says the screen's essentials instead, like Repeat).
 */
#include "kiosk/app.h"

#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "accessibility/keymap.h"
#include "accessibility/speech.h"
#include "accessibility/theme.h"
#include "accessibility/xalloc.h"
#include "kiosk/scan.h"
#include "kiosk/services_call.h"
#include "kiosk/station_state.h"

#define APP_STACK_MAX 16
/* Repeat pressed twice within this reads the whole screen. */
#define APP_REPEAT_TWICE_MS 2000
/* Read on idle: this long after the last key and the end of speech, the
 * prompt is said once more. */
#define APP_REREAD_MS 20000
/* Speech longer than this, ten minutes (a paused or stuck engine), no
 * longer holds the idle timeout: a session is never kept open for ever. */
#define APP_SPEAKING_MAX_MS 600000u

enum help_state { HELP_OFF, HELP_SHOWN, HELP_DESCRIBE };

static const int rate_steps[] = {50, 75, 100, 125, 150, 175, 200};
#define N_RATES (int)(sizeof rate_steps / sizeof rate_steps[0])

struct app {
    struct app_options opt;
    struct screen *stack[APP_STACK_MAX];
    int depth;
    enum lang lang;
    int rate_step;
    int volume;
    enum help_state help;
    struct staff_guard guard;
    unsigned generation; /* changes whenever the top screen changes */
    unsigned shown_generation;
    struct view view; /* what is on screen now */
    /* What app_refresh() compares with: the previous view's language,
     * title, notice and focused option (not a copy of the whole view, which
     * is large and may hold a voter's choice). */
    struct {
        enum lang lang;
        bool cut;
        int focus_id; /* -1 with no focus */
        char title[VIEW_TITLE_MAX];
        char notice[VIEW_TEXT_MAX];
    } shown;
    uint64_t now;
    bool no_audio;
    int theme;           /* index into theme_at() */
    int text_size;       /* 1..opt.max_text_size */
    bool curtain;        /* the privacy curtain is down */
    uint64_t last_input; /* monotonic ms of the last key (or session start) */
    uint64_t warned_at;  /* the idle warning is shown since; 0: not shown */
    bool warned_10s;     /* the last-10-seconds notice was given */
    unsigned idle_shown; /* seconds left as the countdown shows them */
    struct election *election; /* the package in force, or NULL */
    struct election *practice;
    bool voting_open;
    const char *station_notice; /* message id, or NULL */
    char *station_args[2];
    const char *notice; /* app_notice(): message id until the next key */
    /* Scanning: the focus on the help overlay, and since when speech has
     * been idle (0: speaking, or not known to be idle). */
    struct screen overlay;
    uint64_t idle_since;
    /* The idle timeout and read on idle count from the later of the last
     * key and the end of speech, as app_speech_idle() reports it. */
    uint64_t speaking_since; /* when it started */
    uint64_t quiet_since;    /* when it last ended; 0: never reported */
    /* Repeat pressed at (0: the last key was not Repeat): a second Repeat
     * within APP_REPEAT_TWICE_MS reads the whole screen. */
    uint64_t repeat_at;
    /* Pause: speech is silent and the PAUSED marker shows since
     * paused_at; the idle timer stands still meanwhile (app_quiet_from()). */
    uint64_t paused_at;
    bool paused;
    bool speaking;    /* speech is queued or being said */
    bool reread;      /* the prompt was said again since the key */
    bool keypad_lost; /* the configured keypad is not connected */
    /* The input the visitor used last: its keys are the ones instructions
     * name (app_key_name()). */
    enum key_source input;
};

/* The spoken and shown names of the themes, by theme identifier. */
static const struct {
    const char *id, *name;
} theme_names[] = {
    {"default", N_("Standard colours")},
    {"white-on-black", N_("White text on black")},
    {"black-on-white", N_("Black text on white")},
    {"yellow-on-black", N_("Yellow text on black")},
};

static const char *
app_theme_name(const struct app *a)
{
    const struct theme *t = theme_at((size_t)a->theme);
    for (size_t i = 0;
         t != NULL && i < sizeof theme_names / sizeof theme_names[0]; i++) {
        if (strcmp(theme_names[i].id, t->name) == 0)
            return i18n_text(a->opt.i18n, a->lang, theme_names[i].name);
    }
    return t != NULL ? t->name : "?";
}

static void
app_ctx(const struct app *a, struct ctx *c)
{
    memset(c, 0, sizeof *c);
    c->i18n = a->opt.i18n;
    c->lang = a->lang;
    c->now_ms = a->now;
    c->mode = a->opt.mode;
    c->lang_fixed = a->opt.first_lang >= 0;
    c->guard = (struct staff_guard *)&a->guard;
    c->staff_verify = a->opt.staff_verify;
    c->staff_verify_ctx = a->opt.staff_verify_ctx;
    c->election = a->election;
    c->practice = a->practice;
    c->voting_open = a->voting_open;
    c->keypad = a->opt.keypad;
    c->svc = a->opt.svc;
    c->station_notice = a->station_notice;
    c->station_notice_args[0] = a->station_args[0];
    c->station_notice_args[1] = a->station_args[1];
    const struct screen *top = a->depth > 0 ? a->stack[a->depth - 1] : NULL;
    if (top != NULL && top->ops->staff && a->opt.audit_head != NULL)
        c->audit_known = a->opt.audit_head(a->opt.audit_ctx, &c->audit_seq,
                                           c->audit_hash) == 0;
    c->terminal_id = a->opt.terminal_id;
    c->location_kk = a->opt.location_kk;
    c->location_ru = a->opt.location_ru;
}

static struct screen *
app_top(const struct app *a)
{
    return a->depth > 0 ? a->stack[a->depth - 1] : NULL;
}

/* True while a switch profile is in force: the app scans. */
static bool
app_scanning(const struct app *a)
{
    return keyprofile_mode(a->opt.keypad) != KEYPROFILE_KEYS;
}

/* True when a number is typed on S now (its digits are scanned). */
static bool
app_numbering(const struct screen *s)
{
    return s != NULL && (s->ops->number_entry ||
                         (s->ops->numbering != NULL && s->ops->numbering(s)));
}

const char *
app_text(const struct app *a, const char *msgid)
{
    return i18n_text(a->opt.i18n, a->lang, msgid);
}

const char *
app_text_in(const struct app *a, enum lang lang, const char *msgid)
{
    return i18n_text(a->opt.i18n, lang, msgid);
}

static const char *app_key_name(const char *id, int lang, void *ctx);

const char *
app_keys_text(const struct app *a, const char *msgid, char *buf, size_t size)
{
    snprintf(buf, size, "%s", app_text(a, msgid));
    view_keys_text(buf, size, NULL, (int)a->lang, app_key_name, (void *)a);
    return buf;
}

const struct i18n *
app_i18n(const struct app *a)
{
    return a->opt.i18n;
}

static void app_place_focus(struct screen *s, struct view *v);
static const char *app_key_name_screen(const char *id, int lang, void *ctx);

/* Builds the help overlay for the top screen. */
static void
app_help_view(struct app *a, const struct ctx *c, struct view *v)
{
    const struct screen *s = app_top(a);
    view_reset(v, a->lang);
    if (a->help == HELP_DESCRIBE) {
        view_title(v, "%s", T(c, "Key description"));
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "Press any key to hear its name and what it does. "
                      "The key will not act."));
        return;
    }
    view_title(v, "%s", T(c, "Help"));
    if (s != NULL && s->ops->help != NULL) {
        struct view_item *it = view_add(v, VIEW_TEXT, "%s", T(c, s->ops->help));
        if (it != NULL)
            view_keys_text(it->text, sizeof it->text, &it->marks, (int)a->lang,
                           app_key_name_screen, a);
    }
    view_add(v, VIEW_TEXT, "%s",
             T(c,
               "{up} and {down} move between items. {select} chooses. {back} "
               "goes back. {repeat} repeats the main message and the item "
               "you are on; pressed twice within two seconds, the whole "
               "screen. {language} changes the language. {volume-up} and "
               "{volume-down} change the volume; {faster} and {slower} the "
               "speed of speech. {pause} pauses speech; any key goes on. "
               "{curtain} hides or shows the screen."));
    if (a->opt.keypad != NULL && app_scanning(a)) {
        view_add(v, VIEW_TEXT, "%s",
                 T(c, keyprofile_mode(a->opt.keypad) == KEYPROFILE_TWO_SWITCH
                          ? N_("With two switches: Move goes to the next "
                               "item, Select chooses the item you hear. "
                               "After the items of the screen come repeat, "
                               "help, louder, quieter, language and back. "
                               "Choose Back to close help.")
                          : N_("With one switch: the items are read one "
                               "after another; press the switch when you "
                               "hear the one you want. After the items of "
                               "the screen come repeat, help, louder, "
                               "quieter, language and back. Choose Back to "
                               "close help.")));
        scan_view(c, v, false, false);
        app_place_focus(&a->overlay, v);
        return;
    }
    view_add(v, VIEW_TEXT, "%s",
             T(c, "Press {help} again, then any key, to hear what that key "
                  "does. {back} closes help."));
}

/* Seconds left before an idle session is wiped (rounded up). */
static unsigned
app_idle_left_s(const struct app *a)
{
    uint64_t end = a->warned_at + (uint64_t)a->opt.idle_grace_s * 1000;
    return a->now >= end ? 0 : (unsigned)((end - a->now + 999) / 1000);
}

/* The inactivity warning, an overlay like help. */
static void
app_idle_view(const struct app *a, const struct ctx *c, struct view *v)
{
    char n[16], buf[VIEW_TEXT_MAX];
    view_reset(v, a->lang);
    view_title(v, "%s", T(c, "Are you still here?"));
    snprintf(n, sizeof n, "%u", app_idle_left_s(a));
    const char *args[] = {n};
    i18n_format(buf, sizeof buf,
                i18n_ntext(c->i18n, c->lang,
                           "No key has been pressed for a while. Press any "
                           "key to go on. Otherwise, in {1} second, "
                           "everything entered is erased and the kiosk "
                           "starts again for the next visitor.",
                           "No key has been pressed for a while. Press any "
                           "key to go on. Otherwise, in {1} seconds, "
                           "everything entered is erased and the kiosk "
                           "starts again for the next visitor.",
                           app_idle_left_s(a)),
                1, args);
    view_add(v, VIEW_TEXT, "%s", buf);
    view_add(v, VIEW_BIG, "%s", n)->quiet = true;
    if (a->warned_10s)
        view_notice(v, "%s", T(c, "Ten seconds left. Press any key to go on."));
    view_hint(v, "%s", T(c, "Any key: go on"));
}

/* Puts V's focus on S's option: the one the visitor (or an FX_FOCUS) chose
 * while it is still there, else the option at the same rank, else the
 * view's initial option, else the first. */
static void
app_place_focus(struct screen *s, struct view *v)
{
    /* A screen never places the focus itself. */
    assert(v->focus < 0);
    size_t n = view_option_count(v);
    if (n == 0)
        return;
    int i = -1;
    if (s->focus_placed) {
        i = view_find_option(v, s->focus_id);
        if (i < 0)
            i = view_focus_rank(v, (size_t)s->focus_rank < n
                                       ? (size_t)s->focus_rank
                                       : n);
    } else if (v->initial >= 0) {
        i = view_find_option(v, v->initial);
    }
    if (i < 0)
        i = view_focus_rank(v, 1);
    v->focus = i;
    s->focus_id = v->items[i].id;
    s->focus_rank = (int)view_option_rank(v, i);
}

/* The input whose keys instructions name: the keypad's profile when the
 * visitor used the keypad last (or has not pressed a key yet and a keypad
 * is configured), else the terminal keyboard. Switch profiles have no
 * keys to name: the keyboard's. */
static const struct keyprofile *
app_input_profile(const struct app *a)
{
    if (a->opt.keypad == NULL || app_scanning(a) ||
        a->input != KEY_SOURCE_KEYPAD)
        return NULL;
    return a->opt.keypad;
}

/* The name of the key that does ACTION on the active input, in LANG.
 * ENTRY: a number is being typed, where the keypad's keys type digits, so
 * Enter selects there and the delete key (which goes back on an empty
 * field) is also back; an action no key does there is named by the key
 * that does it elsewhere. */
static const char *
app_key_label(const struct app *a, enum action action, int lang, bool entry)
{
    const struct keyprofile *p = app_input_profile(a);
    const char *label = NULL;
    if (p != NULL) {
        label = keyprofile_label(p, action, entry);
        if (label == NULL && entry && action == ACTION_BACK)
            label = keyprofile_label(p, ACTION_DELETE, true);
        if (label == NULL && entry)
            label = keyprofile_label(p, action, false);
    }
    if (label == NULL)
        label = keymap_label(action);
    return label != NULL ? app_text_in(a, (enum lang)lang, label) : NULL;
}

/* view_key_name_fn for what is on screen: number entry while the top
 * screen takes a number and no overlay is over it. */
static const char *
app_key_name(const char *id, int lang, void *ctx)
{
    const struct app *a = ctx;
    enum action action = action_from_id(id);
    if (action == ACTION_NONE)
        return NULL;
    return app_key_label(a, action, lang,
                         a->help == HELP_OFF && a->warned_at == 0 &&
                             app_numbering(app_top(a)));
}

/* view_key_name_fn for a screen's own help text shown in the help
 * overlay: it tells how the screen works, so in number entry while the
 * screen takes a number (the overlay's own texts are app_key_name()'s). */
static const char *
app_key_name_screen(const char *id, int lang, void *ctx)
{
    const struct app *a = ctx;
    enum action action = action_from_id(id);
    if (action == ACTION_NONE)
        return NULL;
    return app_key_label(a, action, lang, app_numbering(app_top(a)));
}

/* Puts the PAUSED marker first in V: a word in the largest text, kept by
 * the magnified layouts, not read (the pause key says it once). */
static void
app_pause_marker(const struct app *a, struct view *v)
{
    if (v->n_items >= VIEW_ITEMS_MAX)
        return;
    memmove(&v->items[1], &v->items[0], v->n_items * sizeof v->items[0]);
    v->n_items++;
    if (v->focus >= 0)
        v->focus++;
    struct view_item *it = &v->items[0];
    memset(it, 0, sizeof *it);
    it->kind = VIEW_BIG;
    it->lang = -1;
    it->quiet = true;
    it->essential = true;
    it->id = -1;
    snprintf(it->text, sizeof it->text, "%s", app_text(a, "PAUSED"));
}

static void
app_build_view(struct app *a, struct view *v)
{
    struct ctx c;
    app_ctx(a, &c);
    if (a->warned_at != 0) {
        app_idle_view(a, &c, v);
    } else if (a->help != HELP_OFF) {
        app_help_view(a, &c, v);
    } else {
        view_reset(v, a->lang);
        struct screen *s = app_top(a);
        if (s != NULL) {
            s->ops->view(s, &c, v);
            if (app_scanning(a) && !s->ops->all_keys)
                scan_view(&c, v, app_numbering(s),
                          s->ops->sections != NULL && s->ops->sections(s));
            app_place_focus(s, v);
        }
    }
    v->lang = a->lang;
    v->test_mode = a->opt.test_mode;
    v->no_audio = a->no_audio;
    v->theme = a->theme;
    v->text_size = a->text_size;
    v->curtain = a->curtain;
    if (a->notice != NULL) {
        size_t len = strlen(v->notice);
        snprintf(v->notice + len, sizeof v->notice - len, "%s%s",
                 len > 0 ? " " : "", app_text(a, a->notice));
    }
    v->paused = a->paused;
    if (a->paused)
        app_pause_marker(a, v);
    view_keys(v, app_key_name, a);
}

static int
item_lang(const struct view *v, const struct view_item *it)
{
    return it->lang >= 0 ? it->lang : (int)v->lang;
}

/* Says TEXT in LANG, the parts MARKS (may be NULL) names in their own
 * languages: one utterance of spans (fx_say_spans()). */
static void
say_text(struct fx_list *out, int lang, const char *text,
         const struct view_marks *marks)
{
    struct fx_span spans[VIEW_MARKS_MAX];
    size_t n = marks != NULL ? marks->n : 0;
    for (size_t i = 0; i < n; i++)
        spans[i] = (struct fx_span){marks->v[i].off, marks->v[i].len,
                                    marks->v[i].lang};
    fx_say_spans(out, lang, text, spans, n);
}

static void
say_item(const struct app *a, const struct view *v, const struct view_item *it,
         bool with_position, int index, struct fx_list *out)
{
    int lang = item_lang(v, it);
    say_text(out, lang, it->say[0] != '\0' ? it->say : it->text, &it->marks);
    if (with_position && it->kind == VIEW_OPTION && !v->own_position) {
        /* In the item's language: a list of languages reads each entry
         * and its place in that entry's language. */
        char r[16], n[16], buf[128];
        snprintf(r, sizeof r, "%zu", view_option_rank(v, index));
        snprintf(n, sizeof n, "%zu", view_option_count(v));
        const char *args[] = {r, n};
        i18n_format(buf, sizeof buf,
                    app_text_in(a, (enum lang)lang, "{1} of {2}"), 2, args);
        say_text(out, lang, buf, NULL);
    }
}

/* Reads the whole view: title, notice, texts, then the focused option. */
static void
app_say_all(const struct app *a, const struct view *v, struct fx_list *out)
{
    say_text(out, v->title_lang >= 0 ? v->title_lang : (int)v->lang, v->title,
             &v->title_marks);
    say_text(out, (int)v->lang, v->notice, NULL);
    for (size_t i = 0; i < v->n_items; i++) {
        const struct view_item *it = &v->items[i];
        if (it->kind != VIEW_OPTION && it->kind != VIEW_BLOCK && !it->quiet)
            say_item(a, v, it, false, (int)i, out);
    }
    if (v->focus >= 0)
        say_item(a, v, &v->items[v->focus], true, v->focus, out);
}

/* Repeat pressed twice: the whole screen, every item in order (options
 * too, the focused one with its position), after the title and notice. */
static void
app_say_screen(const struct app *a, const struct view *v, struct fx_list *out)
{
    say_text(out, v->title_lang >= 0 ? v->title_lang : (int)v->lang, v->title,
             &v->title_marks);
    say_text(out, (int)v->lang, v->notice, NULL);
    for (size_t i = 0; i < v->n_items; i++) {
        const struct view_item *it = &v->items[i];
        if (it->kind != VIEW_BLOCK && !it->quiet)
            say_item(a, v, it, (int)i == v->focus, (int)i, out);
    }
}

/* Repeat: the screen's essential message and the focused item. The
 * essential message is the notice and the items the screen marked
 * essential (on the guidance screen: the window's number and count, the
 * Braille dots, the side of the box), or the title when it marked none. */
static void
app_say_essentials(const struct app *a, const struct view *v,
                   struct fx_list *out)
{
    say_text(out, (int)v->lang, v->notice, NULL);
    bool any = false;
    for (size_t i = 0; i < v->n_items; i++) {
        const struct view_item *it = &v->items[i];
        if (it->essential && (int)i != v->focus) {
            any = true;
            if (!it->quiet && it->kind != VIEW_BLOCK)
                say_item(a, v, it, false, (int)i, out);
        }
    }
    if (!any)
        say_text(out, v->title_lang >= 0 ? v->title_lang : (int)v->lang,
                 v->title, &v->title_marks);
    if (v->focus >= 0)
        say_item(a, v, &v->items[v->focus], true, v->focus, out);
}

/* Copies TEXT into the SIZE bytes of DST, wiping what DST held beyond it
 * (a title may name a voter's choice). */
static void
app_remember(char *dst, size_t size, const char *text)
{
    size_t old = strnlen(dst, size), n = strnlen(text, size - 1);
    memcpy(dst, text, n);
    if (old > n)
        sodium_memzero(dst + n, old - n);
    dst[n] = '\0';
}

/* Records what is on screen for the next app_refresh() to compare with. */
static void
app_note_shown(struct app *a)
{
    const struct view *v = &a->view;
    a->shown.lang = v->lang;
    a->shown.cut = v->cut;
    a->shown.focus_id = v->focus >= 0 ? v->items[v->focus].id : INT_MIN;
    app_remember(a->shown.title, sizeof a->shown.title, v->title);
    app_remember(a->shown.notice, sizeof a->shown.notice, v->notice);
}

/* Rebuilds the view and appends what changed to OUT as speech. */
static void
app_refresh(struct app *a, bool force_all, struct fx_list *out)
{
    app_build_view(a, &a->view);
    const struct view *v = &a->view;
    int focus_id = v->focus >= 0 ? v->items[v->focus].id : INT_MIN;
    if (v->cut && !a->shown.cut) {
        const struct screen *s = app_top(a);
        fx_log(out,
               "a text on screen %s was too long to show whole and "
               "ends in \"...\"",
               s != NULL ? s->ops->name : "?");
    }
    if (force_all || a->generation != a->shown_generation ||
        a->shown.lang != v->lang || strcmp(a->shown.title, v->title) != 0) {
        a->shown_generation = a->generation;
        app_say_all(a, v, out);
    } else {
        if (v->notice[0] != '\0' && strcmp(a->shown.notice, v->notice) != 0)
            say_text(out, (int)v->lang, v->notice, NULL);
        /* The focus is read when it moved to another option, not when the
         * same option only moved on screen. */
        if (v->focus >= 0 && focus_id != a->shown.focus_id)
            say_item(a, v, &v->items[v->focus], true, v->focus, out);
    }
    app_note_shown(a);
}

/* Rebuilds the view without speaking (a new theme, help closed): what is
 * on screen now is what the next refresh compares with. */
static void
app_rebuild(struct app *a)
{
    app_build_view(a, &a->view);
    app_note_shown(a);
}

static void
app_pop(struct app *a)
{
    if (a->depth > 0) {
        screen_free(a->stack[--a->depth]);
        a->stack[a->depth] = NULL;
        a->generation++;
    }
}

static void
app_push(struct app *a, struct screen *s)
{
    if (a->depth == APP_STACK_MAX) {
        screen_free(s);
        return;
    }
    a->stack[a->depth++] = s;
    a->generation++;
}

/* The volume level each session starts at. */
static int
app_volume_start(const struct app *a)
{
    int v = a->opt.volume;
    return v >= SPEECH_VOLUME_MIN + 1 && v <= SPEECH_VOLUME_MAX
               ? v
               : SPEECH_VOLUME_DEFAULT;
}

/* Ends the visitor's session: every screen is freed (and wiped), the
 * settings return to their defaults and the welcome screen opens. */
static void
app_home(struct app *a)
{
    while (a->depth > 0)
        app_pop(a);
    a->lang = a->opt.first_lang >= 0 ? (enum lang)a->opt.first_lang : LANG_KK;
    a->rate_step = 2;
    a->volume = app_volume_start(a);
    a->help = HELP_OFF;
    a->theme = 0;
    a->text_size = 1;
    a->curtain = false;
    a->warned_at = 0;
    a->warned_10s = false;
    a->paused = false;
    a->repeat_at = 0;
    a->input = a->opt.keypad != NULL && !a->keypad_lost ? KEY_SOURCE_KEYPAD
                                                        : KEY_SOURCE_TERMINAL;
    a->last_input = a->now;
    a->reread = false;
    if (a->opt.unconfigured) {
        app_push(a, screen_unconfigured_new());
        return;
    }
    app_push(a, screen_welcome_new());
    /* Each visitor with switches first finds out which is which. */
    if (app_scanning(a))
        app_push(a, screen_switch_check_new(false));
}

/* Records the staff action ACTION: through the audit port at once, or as
 * an FX_AUDIT for the loop. */
static void
app_audit(struct app *a, const char *action, struct fx_list *out)
{
    if (a->opt.audit != NULL)
        a->opt.audit(a->opt.audit_ctx, action);
    else
        fx_add(out, FX_AUDIT)->text = xstrdup(action);
}

/*
 * Staff open (OPEN) or close voting assistance. A real package opens only
 * on its election date (the terminal's local date); a test package on any
 * day. The change goes out as FX_VOTING, for the station to keep it.
 */
static void
app_voting(struct app *a, bool open, struct fx_list *out)
{
    char today[STATION_STATE_DAY];
    if (open && a->election == NULL)
        return;
    if (open && !a->election->test) {
        station_state_day((int64_t)time(NULL), today);
        if (strcmp(today, a->election->date) != 0) {
            char line[VIEW_TEXT_MAX], *action;
            const char *args[] = {a->election->date, today};
            i18n_format(line, sizeof line,
                        i18n_text(a->opt.i18n, a->lang,
                                  "Voting assistance can be opened only on "
                                  "the election day, {1}. Today is {2}."),
                        2, args);
            const char *lines[] = {line};
            app_push(a, screen_message_new(i18n_text(a->opt.i18n, a->lang,
                                                     "Open voting assistance"),
                                           lines, 1));
            action = xasprintf("voting assistance not opened: the package "
                               "is for %s, today is %s",
                               a->election->date, today);
            app_audit(a, action, out);
            free(action);
            return;
        }
    }
    a->voting_open = open;
    app_audit(a, open ? "voting assistance opened" : "voting assistance closed",
              out);
    fx_add(out, FX_VOTING)->value = open ? 1 : 0;
}

static void app_apply(struct app *a, struct fx_list *fx, struct fx_list *out);

/* Runs CALL through the services port, hands the answer to the screen on
 * top (still the one that asked: no key came in between) and frees CALL;
 * the screen's effects go through app_apply() into OUT. */
static void
app_run_call(struct app *a, struct services_call *call, struct fx_list *out)
{
    services_call_run(a->opt.svc, call);
    struct screen *s = app_top(a);
    if (s != NULL && s->ops->reply != NULL) {
        struct fx_list more = {0};
        struct ctx c;
        app_ctx(a, &c);
        s->ops->reply(s, &c, call, &more);
        app_apply(a, &more, out);
        fx_list_free(&more);
    }
    services_call_free(call);
}

/* Carries out navigation effects in FX and moves the others to OUT. */
static void
app_apply(struct app *a, struct fx_list *fx, struct fx_list *out)
{
    for (size_t i = 0; i < fx->n; i++) {
        struct fx *f = &fx->v[i];
        switch (f->kind) {
        case FX_PUSH:
            app_push(a, f->screen);
            f->screen = NULL;
            break;
        case FX_REPLACE:
            app_pop(a);
            app_push(a, f->screen);
            f->screen = NULL;
            break;
        case FX_POP:
            app_pop(a);
            if (a->depth == 0)
                app_push(a, a->opt.unconfigured ? screen_unconfigured_new()
                                                : screen_welcome_new());
            break;
        case FX_HOME:
            app_home(a);
            fx_add(out, FX_HOME);
            fx_add(out, FX_RATE)->value = rate_steps[a->rate_step];
            fx_add(out, FX_VOLUME)->value = a->volume;
            break;
        case FX_SERVICES: {
            /* The screen that asked is on top: nothing is pushed before a
             * call's effects are carried out, as they come in order. */
            struct services_call *call = f->call;
            f->call = NULL;
            if (call->op == SERVICES_PRINT) {
                /* A printer may be slow or stuck: the loop prints once
                 * the number is shown and spoken (app_services()). */
                fx_add(out, FX_SERVICES)->call = call;
                break;
            }
            app_run_call(a, call, out);
            break;
        }
        case FX_EXPORT_OUTBOX: {
            /* From the folder field, which has just closed: the call goes
             * to the screen that opened it, as any FX_SERVICES would. */
            struct fx_list more = {0};
            struct services_call *call = services_call_new(SERVICES_EXPORT);
            snprintf(call->dir, sizeof call->dir, "%s",
                     f->text != NULL ? f->text : "");
            fx_services(&more, call);
            app_apply(a, &more, out);
            fx_list_free(&more);
            break;
        }
        case FX_FOCUS:
            if (a->depth > 0) {
                a->stack[a->depth - 1]->focus_id = f->value;
                a->stack[a->depth - 1]->focus_placed = true;
            }
            break;
        case FX_SET_LANG:
            if (f->value >= 0 && f->value < LANG_COUNT)
                a->lang = (enum lang)f->value;
            break;
        case FX_VOTING:
            app_voting(a, f->value != 0, out);
            break;
        case FX_AUDIT:
            if (a->opt.audit != NULL) {
                a->opt.audit(a->opt.audit_ctx, f->text);
                break;
            }
            fx_add(out, FX_AUDIT)->text = f->text;
            f->text = NULL;
            break;
        case FX_SAY:
            if (f->text != NULL && strchr(f->text, '{') != NULL) {
                /* A screen's own utterance naming keys (the tutorial's
                 * answer): named from the visitor's input, its spans found
                 * again by script. */
                char buf[VIEW_TEXT_MAX];
                snprintf(buf, sizeof buf, "%s", f->text);
                view_keys_text(buf, sizeof buf, NULL, f->lang, app_key_name, a);
                fx_say(out, f->lang, buf);
                sodium_memzero(buf, sizeof buf);
                break;
            }
            /* fall through */
        default: {
            struct fx *o = fx_add(out, f->kind);
            *o = *f;
            f->text = NULL;
            f->spans = NULL;
            f->screen = NULL;
            f->check = NULL;
            break;
        }
        }
    }
    fx_clear(fx);
}

struct app *
app_new(const struct app_options *opt)
{
    struct app *a = xcalloc(1, sizeof *a);
    a->opt = *opt;
    a->guard.lockout_base_s = opt->lockout_base_s ? opt->lockout_base_s : 30;
    a->lang = opt->first_lang >= 0 ? (enum lang)opt->first_lang : LANG_KK;
    a->rate_step = 2;
    a->volume = app_volume_start(a);
    a->text_size = 1;
    a->input = opt->keypad != NULL ? KEY_SOURCE_KEYPAD : KEY_SOURCE_TERMINAL;
    if (a->opt.max_text_size < 1)
        a->opt.max_text_size = 1;
    view_reset(&a->view, a->lang);
    return a;
}

void
app_free(struct app *a)
{
    if (a == NULL)
        return;
    while (a->depth > 0)
        app_pop(a);
    election_free(a->election);
    election_free(a->practice);
    free(a->station_args[0]);
    free(a->station_args[1]);
    sodium_memzero(a, sizeof *a);
    free(a);
}

void
app_set_election(struct app *a, struct election *e)
{
    election_free(a->election);
    a->election = e;
    a->voting_open = false;
}

void
app_set_practice(struct app *a, struct election *e)
{
    election_free(a->practice);
    a->practice = e;
}

void
app_set_voting(struct app *a, bool open)
{
    a->voting_open = open && a->election != NULL;
}

const struct staff_guard *
app_guard(const struct app *a)
{
    return &a->guard;
}

void
app_set_guard(struct app *a, const struct staff_guard *g)
{
    unsigned base = a->guard.lockout_base_s;
    a->guard = *g;
    a->guard.lockout_base_s = base;
}

void
app_set_station_notice(struct app *a, const char *msgid, const char *arg1,
                       const char *arg2)
{
    free(a->station_args[0]);
    free(a->station_args[1]);
    a->station_notice = msgid;
    a->station_args[0] = arg1 != NULL ? xstrdup(arg1) : NULL;
    a->station_args[1] = arg2 != NULL ? xstrdup(arg2) : NULL;
}

const struct election *
app_election(const struct app *a)
{
    return a->election;
}

bool
app_voting_open(const struct app *a)
{
    return a->voting_open;
}

void
app_start(struct app *a, uint64_t now_ms, struct fx_list *out)
{
    a->now = now_ms;
    app_home(a);
    fx_add(out, FX_RATE)->value = rate_steps[a->rate_step];
    fx_add(out, FX_VOLUME)->value = a->volume;
    app_refresh(a, true, out);
}

static void
app_say_setting(struct app *a, const char *tmpl, int value, struct fx_list *out)
{
    char num[16], buf[128];
    snprintf(num, sizeof num, "%d", value);
    const char *args[] = {num};
    i18n_format(buf, sizeof buf, app_text(a, tmpl), 1, args);
    fx_say(out, (int)a->lang, buf);
}

/* Handles the keys that mean the same on every screen. Returns true when
 * KEY was one of them. */
static bool
app_global_key(struct app *a, const struct key *k, struct fx_list *out)
{
    switch (k->action) {
    case ACTION_HELP:
        a->help = a->help == HELP_OFF ? HELP_SHOWN : HELP_DESCRIBE;
        /* Help opens on Back, which closes it. */
        a->overlay.focus_id = SCAN_ID_BACK;
        a->overlay.focus_placed = true;
        a->generation++;
        app_refresh(a, true, out);
        return true;
    case ACTION_REPEAT: {
        if (a->help == HELP_OFF)
            app_rebuild(a);
        const struct view *v = &a->view;
        bool twice = a->repeat_at != 0 &&
                     a->now - a->repeat_at <= APP_REPEAT_TWICE_MS;
        /* A third press is a first one again. */
        a->repeat_at = twice ? 0 : a->now;
        if (twice)
            app_say_screen(a, v, out);
        else if (v->focus < 0)
            app_say_all(a, v, out);
        else
            app_say_essentials(a, v, out);
        return true;
    }
    case ACTION_VOLUME_UP:
    case ACTION_VOLUME_DOWN: {
        /* One level, 8 dB; the level is said at the new volume. */
        int level = a->volume + (k->action == ACTION_VOLUME_UP ? 1 : -1);
        if (level < SPEECH_VOLUME_MIN || level > SPEECH_VOLUME_MAX) {
            fx_say(out, (int)a->lang,
                   k->action == ACTION_VOLUME_UP
                       ? app_text(a, "This is the loudest volume")
                       : app_text(a, "This is the quietest volume"));
            return true;
        }
        a->volume = level;
        fx_add(out, FX_VOLUME)->value = level;
        char num[16], max[16], buf[128];
        snprintf(num, sizeof num, "%d", level);
        snprintf(max, sizeof max, "%d", SPEECH_VOLUME_MAX);
        const char *args[] = {num, max};
        i18n_format(buf, sizeof buf, app_text(a, N_("Volume {1} of {2}")), 2,
                    args);
        fx_say(out, (int)a->lang, buf);
        return true;
    }
    case ACTION_FASTER:
    case ACTION_SLOWER: {
        int step = a->rate_step + (k->action == ACTION_FASTER ? 1 : -1);
        if (step < 0 || step >= N_RATES) {
            fx_say(out, (int)a->lang,
                   k->action == ACTION_FASTER
                       ? app_text(a, "This is the fastest speed")
                       : app_text(a, "This is the slowest speed"));
            return true;
        }
        a->rate_step = step;
        fx_add(out, FX_RATE)->value = rate_steps[step];
        fx_say(out, (int)a->lang,
               k->action == ACTION_FASTER ? app_text(a, "Faster")
                                          : app_text(a, "Slower"));
        return true;
    }
    case ACTION_LANGUAGE:
        a->lang = (enum lang)((a->lang + 1) % LANG_COUNT);
        app_refresh(a, true, out);
        return true;
    case ACTION_PAUSE:
        /* Any key resumes: app_key_inner(), before this. */
        a->paused = true;
        a->paused_at = a->now;
        app_rebuild(a);
        fx_say(out, (int)a->lang, app_text(a, "Paused"));
        return true;
    case ACTION_THEME:
        a->theme = (a->theme + 1) % (int)theme_count();
        app_rebuild(a);
        fx_say(out, (int)a->lang, app_theme_name(a));
        return true;
    case ACTION_TEXT_SIZE:
        if (a->opt.max_text_size <= 1) {
            fx_say(out, (int)a->lang,
                   app_text(a, "Large text is not available on this "
                               "terminal"));
            return true;
        }
        a->text_size = a->text_size % a->opt.max_text_size + 1;
        app_rebuild(a);
        app_say_setting(a, N_("Text size {1}"), a->text_size, out);
        return true;
    case ACTION_CURTAIN:
        a->curtain = !a->curtain;
        app_rebuild(a);
        {
            char buf[512];
            fx_say(out, (int)a->lang,
                   a->curtain ? app_keys_text(
                                    a,
                                    N_("The screen is hidden. Speech goes on. "
                                       "Press {curtain} to show the screen."),
                                    buf, sizeof buf)
                              : app_text(a, "The screen is shown again."));
        }
        return true;
    case ACTION_STAFF: {
        /* Not configured: no PIN exists, nothing opens. */
        if (a->opt.unconfigured)
            return true;
        /* Staff never see a voter's session: it ends (and is wiped)
         * before the PIN screen opens. */
        for (int i = 0; i < a->depth; i++) {
            if (a->stack[i]->ops->session) {
                app_home(a);
                fx_add(out, FX_HOME);
                fx_add(out, FX_RATE)->value = rate_steps[a->rate_step];
                fx_add(out, FX_VOLUME)->value = a->volume;
                fx_add(out, FX_LOG)->text = xstrdup(
                    "visitor session ended by staff");
                break;
            }
        }
        struct screen *top = app_top(a);
        a->help = HELP_OFF;
        if (top == NULL || !top->ops->staff)
            app_push(a, screen_staff_login_new());
        app_refresh(a, true, out);
        return true;
    }
    default:
        return false;
    }
}

/* True when S is taking typed text or a number now: Back and Delete are
 * then the field's. */
static bool
app_in_field(const struct screen *s)
{
    return s != NULL && (s->ops->text_entry || s->ops->number_entry ||
                         (s->ops->typing != NULL && s->ops->typing(s)) ||
                         (s->ops->numbering != NULL && s->ops->numbering(s)));
}

/* Moves the focus among the options of the view on screen for Up, Down
 * and (outside a typed field) the digits 1-9; at either end of the list the
 * visitor hears that the list ends instead of silence. Returns true when K
 * was such a key. */
static bool
app_focus_key(struct app *a, struct screen *s, const struct key *k, bool field,
              struct fx_list *out)
{
    struct view *v = &a->view;
    size_t n = view_option_count(v);
    if (n == 0 || v->focus < 0)
        return false;
    if (k->action == ACTION_UP || k->action == ACTION_DOWN) {
        if (!view_move_focus(v, k->action == ACTION_DOWN ? 1 : -1)) {
            fx_say(out, (int)a->lang,
                   app_text(a, k->action == ACTION_DOWN ? N_("End of list")
                                                        : N_("Top of list")));
            return true;
        }
    } else if (k->action == ACTION_DIGIT && !field) {
        size_t rank = k->codepoint >= '1' && k->codepoint <= '9'
                          ? (size_t)(k->codepoint - '0')
                          : 0;
        if (rank == 0 || rank > n || view_focus_rank(v, rank) < 0)
            return true;
    } else {
        return false;
    }
    s->focus_id = v->items[v->focus].id;
    s->focus_rank = (int)view_option_rank(v, v->focus);
    s->focus_placed = true;
    /* Forget the old focus, so that the refresh reads the new one. */
    a->shown.focus_id = INT_MIN;
    app_refresh(a, false, out);
    return true;
}

/* Moves the scanning focus to the next option of the view on screen,
 * round in a ring, and reads it. */
static void
app_scan_next(struct app *a, struct fx_list *out)
{
    struct view *v = &a->view;
    struct screen *holder = a->help != HELP_OFF ? &a->overlay : app_top(a);
    if (holder == NULL || v->focus < 0 || a->help == HELP_DESCRIBE) {
        app_refresh(a, false, out);
        return;
    }
    int was = v->items[v->focus].id;
    if (!view_move_focus(v, 1))
        view_focus_rank(v, 1);
    holder->focus_id = v->items[v->focus].id;
    holder->focus_rank = (int)view_option_rank(v, v->focus);
    holder->focus_placed = true;
    if (holder->focus_id == was) {
        /* A ring of one: read it again. */
        say_item(a, v, &v->items[v->focus], true, v->focus, out);
        return;
    }
    a->shown.focus_id = INT_MIN;
    app_refresh(a, false, out);
}

/* After an event: speech is busy when OUT says something, else idle from
 * now if it was idle (one-switch scanning waits from there). */
static void
app_scan_note(struct app *a, const struct fx_list *out)
{
    for (size_t i = 0; i < out->n; i++) {
        if (out->v[i].kind == FX_SAY && out->v[i].text != NULL &&
            out->v[i].text[0] != '\0') {
            a->idle_since = 0;
            return;
        }
    }
    if (a->idle_since != 0)
        a->idle_since = a->now;
}

static void app_key_inner(struct app *a, const struct key *k,
                          struct fx_list *out);

void
app_key(struct app *a, const struct key *k, uint64_t now_ms,
        struct fx_list *out)
{
    struct staff_guard before = a->guard;
    a->now = now_ms;
    app_key_inner(a, k, out);
    app_scan_note(a, out);
    /* A wrong or right PIN changed the guard: the station keeps it. */
    if (before.failures != a->guard.failures ||
        before.lockouts != a->guard.lockouts ||
        before.locked_until != a->guard.locked_until)
        fx_add(out, FX_GUARD);
}

static void
app_key_inner(struct app *a, const struct key *k, struct fx_list *out)
{
    uint64_t now_ms = a->now;
    a->last_input = now_ms;
    a->reread = false;
    a->notice = NULL;
    if (k->source != KEY_SOURCE_OTHER)
        a->input = k->source;
    if (k->action != ACTION_REPEAT)
        a->repeat_at = 0;
    const struct screen *top = app_top(a);
    bool all_keys = top != NULL && top->ops->all_keys && a->help == HELP_OFF;
    fx_add(out, FX_STOP);
    if (a->paused) {
        /* Any key resumes; the pause key only resumes and says where the
         * visitor is, any other goes on to act. */
        a->paused = false;
        app_rebuild(a);
        if (k->action == ACTION_PAUSE && !all_keys) {
            app_say_essentials(a, &a->view, out);
            return;
        }
    }
    if (a->warned_at != 0) {
        /* The visitor is back: the key only ends the warning. */
        a->warned_at = 0;
        a->warned_10s = false;
        a->generation++;
        app_refresh(a, true, out);
        return;
    }

    if (a->help == HELP_DESCRIBE) {
        char buf[VIEW_TEXT_MAX];
        const char *args[] = {app_text(a, k->name),
                              app_text(a, action_describe(k->action))};
        i18n_format(buf, sizeof buf, app_text(a, "{1}: {2}"), 2, args);
        a->help = HELP_OFF;
        app_rebuild(a);
        a->shown_generation = a->generation;
        fx_say(out, (int)a->lang, buf);
        return;
    }
    /* Scanning: Move moves the focus; Select on an item the app added acts
     * as the key it stands for. */
    bool scan_item = false;
    struct key scan_key;
    if (app_scanning(a) && !all_keys) {
        if (k->action == ACTION_NEXT) {
            if (a->help == HELP_OFF)
                app_rebuild(a);
            app_scan_next(a, out);
            return;
        }
        if (a->view.focus >= 0 &&
            scan_is_item(a->view.items[a->view.focus].id)) {
            scan_item = true;
            if (k->action == ACTION_SELECT &&
                scan_item_key(a->view.items[a->view.focus].id, k->name,
                              &scan_key)) {
                k = &scan_key;
                if (k->action == ACTION_REPEAT) {
                    /* The whole screen, not the word "Repeat". */
                    app_say_all(a, &a->view, out);
                    return;
                }
            }
        }
    }
    struct key entry_key;
    if (top != NULL &&
        (top->ops->number_entry ||
         (top->ops->numbering != NULL && top->ops->numbering(top))) &&
        a->help == HELP_OFF && k->entry != ACTION_NONE) {
        entry_key = *k;
        entry_key.action = k->entry;
        entry_key.codepoint = k->entry == ACTION_DIGIT ? k->entry_digit : 0;
        k = &entry_key;
    }
    bool typed = top != NULL &&
                 (top->ops->text_entry ||
                  (top->ops->typing != NULL && top->ops->typing(top))) &&
                 a->help == HELP_OFF &&
                 (k->action == ACTION_CHAR || k->action == ACTION_DIGIT ||
                  (k->codepoint >= 0x20 && k->codepoint < 0x7f));
    struct key typed_key = *k;
    if (typed && k->action != ACTION_DIGIT) {
        typed_key.action = ACTION_CHAR;
        k = &typed_key;
    }
    if (!typed && !all_keys && app_global_key(a, k, out))
        return;
    if (a->help == HELP_SHOWN) {
        a->help = HELP_OFF;
        a->generation++;
        if (k->action == ACTION_BACK || k->action == ACTION_SELECT ||
            k->action == ACTION_DELETE) {
            app_refresh(a, true, out);
            return;
        }
        /* The key acts on the screen under help, with its options. */
        app_rebuild(a);
    }

    struct screen *s = app_top(a);
    bool field = app_in_field(s);
    if (!all_keys && app_focus_key(a, s, k, field, out))
        return;
    struct key chosen = *k;
    chosen.option = a->view.focus >= 0 && !scan_item
                        ? a->view.items[a->view.focus].id
                        : -1;
    struct fx_list fx = {0};
    struct ctx c;
    app_ctx(a, &c);
    if (!all_keys && !field &&
        (k->action == ACTION_BACK || k->action == ACTION_DELETE)) {
        if (s->ops->back != NULL)
            s->ops->back(s, &c, &chosen, &fx);
        else
            fx_add(&fx, FX_POP);
    } else if (k->action == ACTION_SELECT && s->ops->choose != NULL) {
        s->ops->choose(s, &c, chosen.option, &fx);
    } else if (s->ops->key != NULL) {
        s->ops->key(s, &c, &chosen, &fx);
    }
    sodium_memzero(&chosen, sizeof chosen);
    app_apply(a, &fx, out);
    fx_list_free(&fx);
    app_refresh(a, false, out);
}

/* True when a visitor has started something the idle timeout must end:
 * any screen beyond the first welcome screen, or a changed setting. */
static bool
app_session_active(const struct app *a)
{
    const struct screen *s = app_top(a);
    enum lang first = a->opt.first_lang >= 0 ? (enum lang)a->opt.first_lang
                                             : LANG_KK;
    return a->depth > 1 || s == NULL || strcmp(s->ops->name, "welcome") != 0 ||
           a->rate_step != 2 || a->volume != app_volume_start(a) ||
           a->theme != 0 || a->text_size != 1 || a->curtain || a->paused ||
           a->lang != first || a->help != HELP_OFF;
}

/* Where the idle timeout and read on idle count from: the later of the
 * last key and the end of speech; while paused, the end of the longest
 * pause the timer waits for (idle_warning_s + idle_grace_s after the pause
 * key, the time an idle session is kept anyway): then it runs again. */
static uint64_t
app_quiet_from(const struct app *a)
{
    if (a->paused)
        return a->paused_at +
               ((uint64_t)a->opt.idle_warning_s + a->opt.idle_grace_s) * 1000;
    return a->quiet_since > a->last_input ? a->quiet_since : a->last_input;
}

/* The next moment the idle timeout needs a tick, 0: none. While speech
 * goes on the warning waits for its end (a long review read at half speed
 * is not cut off), but never more than APP_SPEAKING_MAX_MS. */
static uint64_t
app_idle_deadline(const struct app *a)
{
    if (a->opt.idle_warning_s == 0 || !app_session_active(a))
        return 0;
    if (a->warned_at == 0) {
        uint64_t d = app_quiet_from(a) + (uint64_t)a->opt.idle_warning_s * 1000;
        if (a->speaking && a->speaking_since + APP_SPEAKING_MAX_MS > d)
            d = a->speaking_since + APP_SPEAKING_MAX_MS;
        return d;
    }
    /* When the countdown on screen must show one second less. */
    uint64_t end = a->warned_at + (uint64_t)a->opt.idle_grace_s * 1000;
    return a->idle_shown > 1 ? end - (uint64_t)(a->idle_shown - 1) * 1000 : end;
}

/* When the prompt is read once more (read on idle); 0: not now (said
 * already since the last key, speech going on or paused, the idle warning
 * shown, or no visitor's session: an untouched welcome screen stays
 * quiet). */
static uint64_t
app_reread_deadline(const struct app *a)
{
    if (a->reread || a->speaking || a->paused || a->warned_at != 0 ||
        !app_session_active(a))
        return 0;
    return app_quiet_from(a) + APP_REREAD_MS;
}

/* Carries out the idle timeout at A->now: warns, counts down, or wipes the
 * session. Returns true when it acted. */
static bool
app_idle_tick(struct app *a, struct fx_list *out)
{
    uint64_t d = app_idle_deadline(a);
    if (d == 0 || d > a->now)
        return false;
    if (a->warned_at == 0) {
        a->warned_at = a->now;
        a->idle_shown = a->opt.idle_grace_s;
        /* The warning speaks: the pause is over. */
        a->paused = false;
        a->generation++;
        fx_add(out, FX_STOP);
        app_refresh(a, true, out);
        return true;
    }
    if (app_idle_left_s(a) == 0) {
        fx_add(out, FX_STOP);
        fx_log(out, "visitor session ended after %u s without a key",
               a->opt.idle_warning_s + a->opt.idle_grace_s);
        app_home(a);
        fx_add(out, FX_HOME);
        fx_add(out, FX_RATE)->value = rate_steps[a->rate_step];
        fx_add(out, FX_VOLUME)->value = a->volume;
        app_refresh(a, true, out);
        return true;
    }
    a->idle_shown = app_idle_left_s(a);
    if (a->idle_shown <= 10)
        a->warned_10s = true;
    app_refresh(a, false, out);
    return true;
}

/* When one-switch scanning moves the focus on next; 0: not now (another
 * mode, speech not idle, nothing to scan, a screen that takes every key,
 * or an overlay other than help). */
static uint64_t
app_scan_deadline(const struct app *a)
{
    const struct screen *s = app_top(a);
    if (keyprofile_mode(a->opt.keypad) != KEYPROFILE_ONE_SWITCH ||
        a->idle_since == 0 || a->warned_at != 0 || a->paused || s == NULL ||
        s->ops->all_keys || a->help == HELP_DESCRIBE || a->view.focus < 0)
        return 0;
    return a->idle_since +
           (a->opt.scan_interval_ms ? a->opt.scan_interval_ms : 2000);
}

void
app_speech_idle(struct app *a, bool idle, uint64_t now_ms)
{
    if (!idle)
        a->idle_since = 0;
    else if (a->idle_since == 0)
        a->idle_since = now_ms;
    if (!idle && !a->speaking) {
        a->speaking = true;
        a->speaking_since = now_ms;
    } else if (idle && a->speaking) {
        a->speaking = false;
        a->quiet_since = now_ms;
    }
}

static void app_tick_inner(struct app *a, struct fx_list *out);

void
app_services(struct app *a, struct services_call *call, uint64_t now_ms,
             struct fx_list *out)
{
    (void)now_ms;
    /* Run as the app runs every call: the answer goes to the screen on
     * top, which is still the one that asked (no key came in between). */
    app_run_call(a, call, out);
    app_refresh(a, false, out);
}

void
app_tick(struct app *a, uint64_t now_ms, struct fx_list *out)
{
    a->now = now_ms;
    size_t before = out->n;
    app_tick_inner(a, out);
    if (out->n > before)
        app_scan_note(a, out);
}

static void
app_tick_inner(struct app *a, struct fx_list *out)
{
    uint64_t now_ms = a->now;
    if (app_idle_tick(a, out))
        return;
    uint64_t reread = app_reread_deadline(a);
    if (reread != 0 && reread <= now_ms) {
        /* Read on idle: what the repeat key says, once. */
        a->reread = true;
        struct key k = {.action = ACTION_REPEAT, .name = "", .option = -1};
        app_global_key(a, &k, out);
        return;
    }
    uint64_t scan = app_scan_deadline(a);
    if (scan != 0 && scan <= now_ms) {
        app_scan_next(a, out);
        return;
    }
    struct screen *s = app_top(a);
    if (s == NULL || s->ops->tick == NULL || s->ops->deadline == NULL)
        return;
    struct ctx c;
    app_ctx(a, &c);
    uint64_t d = s->ops->deadline(s, &c);
    if (d == 0 || d > now_ms)
        return;
    struct fx_list fx = {0};
    s->ops->tick(s, &c, &fx);
    app_apply(a, &fx, out);
    fx_list_free(&fx);
    app_refresh(a, false, out);
}

uint64_t
app_deadline(const struct app *a)
{
    uint64_t idle = app_idle_deadline(a);
    uint64_t more[] = {app_scan_deadline(a), app_reread_deadline(a)};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
        if (more[i] != 0 && (idle == 0 || more[i] < idle))
            idle = more[i];
    const struct screen *s = app_top(a);
    if (s == NULL || s->ops->deadline == NULL || a->help != HELP_OFF ||
        a->warned_at != 0)
        return idle;
    struct ctx c;
    app_ctx(a, &c);
    uint64_t d = s->ops->deadline(s, &c);
    return d == 0 || (idle != 0 && idle < d) ? idle : d;
}

void
app_open(struct app *a, struct screen *s, uint64_t now_ms, struct fx_list *out)
{
    a->now = now_ms;
    a->help = HELP_OFF;
    app_push(a, s);
    app_refresh(a, true, out);
}

void
app_show_message(struct app *a, const char *title, const char *const *lines,
                 int n, uint64_t now_ms, struct fx_list *out)
{
    app_open(a, screen_message_new(title, lines, n), now_ms, out);
}

void
app_notice(struct app *a, const char *msgid, bool interrupt, uint64_t now_ms,
           struct fx_list *out)
{
    a->now = now_ms;
    a->notice = msgid;
    if (interrupt)
        fx_add(out, FX_STOP);
    app_refresh(a, false, out);
}

void
app_keypad_connected(struct app *a, bool connected)
{
    a->keypad_lost = !connected;
    if (!connected && a->input == KEY_SOURCE_KEYPAD)
        a->input = KEY_SOURCE_TERMINAL;
}

const struct view *
app_view(const struct app *a)
{
    return &a->view;
}

void
app_set_no_audio(struct app *a, bool no_audio)
{
    a->no_audio = no_audio;
    a->view.no_audio = no_audio;
}

enum lang
app_lang(const struct app *a)
{
    return a->lang;
}

int
app_rate(const struct app *a)
{
    return rate_steps[a->rate_step];
}

int
app_volume(const struct app *a)
{
    return a->volume;
}
