/*
 * The headless driver (see driver.h). It is the event loop without the
 * loop: the same app_start(), app_key() and app_tick() calls, with an
 * injected clock, and the effects kept for the test instead of carried
 * out. The transcript is grown after each call from the FX_SAY texts the
 * call added, and wiped before it is freed, like every spoken text.
 */
#include "tests/unit/kiosk/driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "accessibility/keyprofile.h"
#include "accessibility/utf8.h"
#include "accessibility/xalloc.h"
#include "kiosk/services_call.h"

static int
driver_verify(void *ctx, const char *pin)
{
    const struct driver *d = ctx;
    if (strcmp(pin, d->pin) == 0)
        return d->role;
    for (int r = 0; r < STAFF_ROLES; r++)
        if (d->role_pins[r] != NULL && strcmp(pin, d->role_pins[r]) == 0)
            return r;
    return -1;
}

/* Appends the FX_SAY texts of out from index FROM to the transcript. */
static void
driver_record(struct driver *d, size_t from)
{
    for (size_t i = from; i < d->out.n; i++) {
        const struct fx *f = &d->out.v[i];
        if (f->kind != FX_SAY || f->text == NULL)
            continue;
        size_t n = strlen(f->text);
        if (d->spoken_len + n + 2 > d->spoken_cap) {
            size_t cap = (d->spoken_cap + n + 2) * 2;
            char *s = xmalloc(cap);
            /* Not realloc(): the old copy is wiped before it is freed. */
            if (d->spoken != NULL) {
                memcpy(s, d->spoken, d->spoken_len);
                sodium_memzero(d->spoken, d->spoken_cap);
                free(d->spoken);
            }
            d->spoken = s;
            d->spoken_cap = cap;
        }
        memcpy(d->spoken + d->spoken_len, f->text, n);
        d->spoken_len += n;
        d->spoken[d->spoken_len++] = '\n';
        d->spoken[d->spoken_len] = '\0';
    }
}

struct driver *
driver_new(const struct driver_options *o)
{
    struct driver *d = xcalloc(1, sizeof *d);
    char *why = NULL;
    const char *localedir = o->localedir ? o->localedir : "build/locale";
    d->i18n = i18n_new(localedir, &why);
    if (d->i18n == NULL) {
        fprintf(stderr, "catalogues: %s (run make first)\n", why);
        free(why);
        d->i18n = i18n_new_empty();
    }
    if (o->keypad != NULL &&
        keyprofile_load(o->keypad, &d->keypad, &why) != 0) {
        fprintf(stderr, "driver: %s\n", why);
        free(why);
        abort();
    }
    d->pin = o->pin;
    d->role = STAFF_TECHNICIAN;
    for (int r = 0; r < STAFF_ROLES; r++)
        d->role_pins[r] = o->role_pins[r];
    d->now = 1000000;
    d->key_ms = o->key_ms ? o->key_ms : 100;
    struct app_options ao = {
        .i18n = d->i18n,
        .mode = o->mode ? o->mode : MODE_BOTH,
        .first_lang = o->first_lang,
        .lockout_base_s = 30,
        .staff_verify = o->pin ? driver_verify : NULL,
        .unconfigured = o->unconfigured,
        .staff_verify_ctx = d,
        .idle_warning_s = o->idle_warning_s,
        .idle_grace_s = o->idle_grace_s,
        .max_text_size = o->max_text_size,
        .keypad = d->keypad,
        .scan_interval_ms = o->scan_interval_ms,
        .svc = o->svc,
        .volume = o->volume,
    };
    d->app = app_new(&ao);
    app_start(d->app, d->now, &d->out);
    driver_record(d, 0);
    return d;
}

void
driver_free(struct driver *d)
{
    if (d == NULL)
        return;
    app_free(d->app);
    fx_list_free(&d->out);
    keyprofile_free(d->keypad);
    i18n_free(d->i18n);
    if (d->spoken != NULL)
        sodium_memzero(d->spoken, d->spoken_cap);
    free(d->spoken);
    free(d);
}

void
driver_key(struct driver *d, const struct key *k)
{
    fx_clear(&d->out);
    d->now += d->key_ms;
    app_key(d->app, k, d->now, &d->out);
    driver_record(d, 0);
    /* As the loop does: a receipt is printed after the rest is said. */
    for (size_t i = 0; i < d->out.n; i++) {
        if (d->out.v[i].kind != FX_SERVICES || d->out.v[i].call == NULL)
            continue;
        struct services_call *call = d->out.v[i].call;
        d->out.v[i].call = NULL;
        size_t from = d->out.n;
        app_services(d->app, call, d->now, &d->out);
        driver_record(d, from);
    }
}

void
driver_press(struct driver *d, enum term_key tk, unsigned cp)
{
    struct key k = keymap_keyboard(tk, cp);
    driver_key(d, &k);
}

void
driver_char(struct driver *d, unsigned cp)
{
    driver_press(d, TERM_KEY_CHAR, cp);
}

void
driver_enter(struct driver *d)
{
    driver_press(d, TERM_KEY_ENTER, 0);
}

void
driver_type(struct driver *d, const char *s)
{
    size_t len = strlen(s);
    while (len > 0) {
        uint32_t cp;
        int n = utf8_decode(s, len, &cp);
        if (n < 0) {
            fprintf(stderr, "driver_type: not UTF-8: %s\n", s);
            abort();
        }
        driver_char(d, cp);
        s += n;
        len -= (size_t)n;
    }
}

void
driver_enter_text(struct driver *d, const char *s)
{
    driver_type(d, s);
    driver_enter(d);
}

void
driver_pad(struct driver *d, unsigned code)
{
    if (d->keypad == NULL) {
        fprintf(stderr, "driver_pad: the driver has no keypad\n");
        abort();
    }
    struct key k = keyprofile_key(d->keypad, code);
    driver_key(d, &k);
}

bool
driver_key_for(enum action action, struct key *k)
{
    static const enum term_key special[] = {
        TERM_KEY_UP,    TERM_KEY_DOWN,   TERM_KEY_LEFT,      TERM_KEY_RIGHT,
        TERM_KEY_ENTER, TERM_KEY_ESCAPE, TERM_KEY_BACKSPACE, TERM_KEY_F1,
        TERM_KEY_F2,    TERM_KEY_F10,    TERM_KEY_OTHER,
    };
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
        struct key c = keymap_keyboard(special[i], 0);
        if (c.action == action) {
            *k = c;
            return true;
        }
    }
    for (unsigned cp = ' '; cp <= '~'; cp++) {
        struct key c = keymap_keyboard(TERM_KEY_CHAR, cp);
        if (c.action == action) {
            *k = c;
            return true;
        }
    }
    return false;
}

bool
driver_action(struct driver *d, enum action action)
{
    struct key k;
    if (!driver_key_for(action, &k))
        return false;
    driver_key(d, &k);
    return true;
}

void
driver_wait_until(struct driver *d, uint64_t ms)
{
    fx_clear(&d->out);
    for (unsigned ticks = 0;; ticks++) {
        uint64_t dl = app_deadline(d->app);
        if (dl == 0 || dl > ms)
            break;
        /* An app whose deadline never moves on would tick forever. */
        if (ticks == 100000) {
            fprintf(stderr,
                    "driver: the app asks for ticks without end "
                    "(deadline %llu)\n",
                    (unsigned long long)dl);
            abort();
        }
        d->now = dl > d->now ? dl : d->now;
        size_t from = d->out.n;
        app_tick(d->app, d->now, &d->out);
        driver_record(d, from);
    }
    d->now = ms;
}

void
driver_notice(struct driver *d, const char *msgid, bool interrupt)
{
    fx_clear(&d->out);
    app_notice(d->app, msgid, interrupt, d->now, &d->out);
    driver_record(d, 0);
}

bool
driver_fx_said(const struct fx_list *l, int lang, const char *text)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct fx *f = &l->v[i];
        if (f->kind == FX_SAY && (lang < 0 || f->lang == lang) &&
            strstr(f->text, text) != NULL)
            return true;
    }
    return false;
}

bool
driver_said(const struct driver *d, int lang, const char *text)
{
    return driver_fx_said(&d->out, lang, text);
}

struct fx *
driver_fx_nth(const struct fx_list *l, enum fx_kind kind, int nth)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].kind == kind && nth-- == 0)
            return &l->v[i];
    return NULL;
}

const char *
driver_last_said(const struct driver *d)
{
    for (size_t i = d->out.n; i > 0; i--) {
        const struct fx *f = &d->out.v[i - 1];
        if (f->kind == FX_SAY)
            return f->text;
    }
    return "";
}

int
driver_count(const struct driver *d, enum fx_kind kind)
{
    int n = 0;
    for (size_t i = 0; i < d->out.n; i++)
        n += d->out.v[i].kind == kind;
    return n;
}

bool
driver_has_fx(const struct driver *d, enum fx_kind kind, const char *text)
{
    for (size_t i = 0; i < d->out.n; i++) {
        const struct fx *f = &d->out.v[i];
        if (f->kind == kind &&
            (text == NULL || (f->text != NULL && strcmp(f->text, text) == 0)))
            return true;
    }
    return false;
}

size_t
driver_mark(const struct driver *d)
{
    return d->spoken_len;
}

const char *
driver_spoken_since(const struct driver *d, size_t mark)
{
    if (d->spoken == NULL || mark >= d->spoken_len)
        return "";
    return d->spoken + mark;
}

bool
driver_said_since(const struct driver *d, size_t mark, const char *text)
{
    return strstr(driver_spoken_since(d, mark), text) != NULL;
}

bool
driver_view_shows(const struct view *v, const char *text)
{
    if (strstr(v->title, text) || strstr(v->notice, text))
        return true;
    for (size_t i = 0; i < v->n_items; i++)
        if (strstr(v->items[i].text, text))
            return true;
    return false;
}

bool
driver_shows(const struct driver *d, const char *text)
{
    return driver_view_shows(app_view(d->app), text);
}

void
driver_layout(const struct driver *d, int cols, int rows, bool marker,
              struct layout *l)
{
    static struct view copy;
    memcpy(&copy, app_view(d->app), sizeof copy);
    copy.test_mode = copy.test_mode || marker;
    layout_build(&copy, cols, rows, "TEST MODE", "too small", l);
}

bool
driver_laid_out(const struct driver *d, int cols, int rows, bool marker,
                const char *text)
{
    struct layout l;
    driver_layout(d, cols, rows, marker, &l);
    bool found = false;
    for (int i = 0; i < l.height && !found; i++)
        found = strstr(l.rows[i].text, text) != NULL;
    layout_free(&l);
    return found;
}

const char *
driver_focused(const struct driver *d)
{
    const struct view *v = app_view(d->app);
    return v->focus >= 0 ? v->items[v->focus].text : "";
}

const struct view_item *
driver_big(const struct driver *d)
{
    const struct view *v = app_view(d->app);
    for (size_t i = 0; i < v->n_items; i++)
        if (v->items[i].kind == VIEW_BIG)
            return &v->items[i];
    return NULL;
}

int
driver_option(const struct driver *d, const char *text)
{
    const struct view *v = app_view(d->app);
    for (size_t i = 0; i < v->n_items; i++)
        if (v->items[i].kind == VIEW_OPTION &&
            strstr(v->items[i].text, text) != NULL)
            return (int)i;
    return -1;
}

bool
driver_focus(struct driver *d, const char *text)
{
    for (int steps = 0; steps < VIEW_ITEMS_MAX; steps++) {
        int want = driver_option(d, text);
        int at = app_view(d->app)->focus;
        if (want < 0)
            return false;
        if (at == want)
            return true;
        driver_press(d, at < want ? TERM_KEY_DOWN : TERM_KEY_UP, 0);
        if (app_view(d->app)->focus == at)
            return false; /* the end of the list, or a screen that moved */
    }
    return false;
}
