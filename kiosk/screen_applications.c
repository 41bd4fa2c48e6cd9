/*
 * Staff console for Ten Qogam applications: the newest applications,
 * search by number or day (typed digits, an entry), one status at a time
 * (Left and Right), one application with its status changed (with a typed
 * note) or its flagged IIN accepted, and the export of the sealed outbox
 * into a folder staff type (the USB stick), through the same folder field
 * as the stencil writer. The kiosk cannot read the personal data it took
 * (it is sealed to the centre), so searching by IIN and finding the same
 * person twice are the central server's work (docs/central.md).
 *
 * Neither screen touches the store: each asks with an FX_SERVICES call
 * (services_call.h) and acts on the answer in its reply(). A screen is
 * made without I/O and hands back the call that fills it; whoever pushes
 * it returns that call right after the push, so the answer comes to the
 * new screen before anything is said. Options carry ids: a row of the list
 * is known by its place in the list, which is reloaded whole.
 *
 * Nothing here holds personal data: the store hands out numbers, dates,
 * statuses and the service only. These screens are staff screens: the end of a visitor
 * session closes them.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accessibility/readout.h"
#include "accessibility/xalloc.h"
#include "kiosk/entry.h"
#include "kiosk/screen.h"
#include "kiosk/services_call.h"

#define LIST_MAX 30
#define NOTE_MAX 200 /* characters */
#define DATE_LEN 8   /* YYYYMMDD */

struct list_row {
    char number[APPLICATION_NUMBER_LEN + 1];
    int64_t created_at;
    enum app_status status;
    bool flagged, accepted;
};

/* The list's options: rows 0..n-1 by their place, then the export. */
enum apps_option { APPS_EXPORT = LIST_MAX };

/* What a list call was for: what to say when it is answered. */
enum apps_tag { APPS_OPEN, APPS_FILTER, APPS_SEARCH };

struct apps {
    struct list_row rows[LIST_MAX];
    int n;
    struct entry search; /* number or day */
    int status;          /* the list shows only this status; -1: every status */
    char *message;       /* result of the last action, shown as the notice */
};

/* The day DIGITS (YYYYMMDD, Kazakhstan time, +05:00) as [*from, *to) in
 * Unix seconds. Returns false when it is not a real date. */
static bool
apps_day(const char *digits, int64_t *from, int64_t *to)
{
    int y = 0, m = 0, d = 0;
    for (int i = 0; i < DATE_LEN; i++) {
        int v = digits[i] - '0';
        if (i < 4)
            y = y * 10 + v;
        else if (i < 6)
            m = m * 10 + v;
        else
            d = d * 10 + v;
    }
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 2000 || m < 1 || m > 12 || d < 1 || d > days[m - 1] ||
        (m == 2 && d == 29 && !leap))
        return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    *from = (int64_t)timegm(&tm) - (int64_t)5 * 3600;
    *to = *from + (int64_t)24 * 3600;
    return true;
}

static void
apps_message(struct apps *a, char *msg)
{
    free(a->message);
    a->message = msg;
}

static bool
apps_port(const struct ctx *c)
{
    return c->svc != NULL && c->svc->ops != NULL;
}

/* Returns a LIST call for A's status and typed digits (9: a number, 8: a
 * day), tagged TAG; NULL when 8 digits are not a date. */
static struct services_call *
apps_query(const struct apps *a, enum apps_tag tag)
{
    struct services_call *call = services_call_new(SERVICES_LIST);
    call->tag = (int)tag;
    call->q_status = a->status;
    call->q_limit = LIST_MAX;
    const char *typed = a->search.text; /* digits: one byte each */
    if (a->search.count == APPLICATION_NUMBER_LEN) {
        memcpy(call->q_number, typed, APPLICATION_NUMBER_LEN);
    } else if (a->search.count == DATE_LEN &&
               !apps_day(typed, &call->q_from, &call->q_to)) {
        services_call_free(call);
        return NULL;
    }
    return call;
}

/* Says what the list now holds, as TAG asked, and focuses its first
 * option, as after every reload. */
static void
apps_shown(const struct apps *a, const struct ctx *c, enum apps_tag tag,
           struct fx_list *fx)
{
    char num[16], buf[256];
    snprintf(num, sizeof num, "%d", a->n);
    if (tag == APPS_FILTER) {
        const char *args[] = {a->status < 0
                                  ? T(c, "every status")
                                  : T(c, application_status_name(
                                             (enum app_status)a->status)),
                              num};
        fx_say(fx, (int)c->lang,
               i18n_format(buf, sizeof buf,
                           T(c, "Status shown: {1}. Found: {2}."), 2, args));
    } else if (tag == APPS_SEARCH) {
        const char *args[] = {num};
        fx_say(fx, (int)c->lang,
               i18n_format(buf, sizeof buf, T(c, "Found: {1}."), 1, args));
    }
    fx_focus(fx, a->n > 0 ? 0 : APPS_EXPORT);
}

/* Reloads the list for TAG: returns the call, or, when the typed day is
 * not a date, shows an empty list at once. */
static void
apps_reload(struct apps *a, const struct ctx *c, enum apps_tag tag,
            struct fx_list *fx)
{
    apps_message(a, NULL);
    a->n = 0;
    struct services_call *call = apps_query(a, tag);
    if (call != NULL) {
        fx_services(fx, call);
    } else {
        apps_message(a, xstrdup(T(c, "That is not a date. Type it as "
                                     "year, month, day: 8 digits.")));
        apps_shown(a, c, tag, fx);
    }
}

static void
apps_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct apps *a = s->state;
    char when[40], buf[VIEW_TEXT_MAX];
    view_title(v, "%s", T(c, "Applications"));
    if (!apps_port(c)) {
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "Applications cannot be taken on this terminal now."));
        if (c->svc != NULL && c->svc->problem != NULL)
            view_add(v, VIEW_TEXT, "%s", c->svc->problem);
        view_hint(v, "%s", T(c, "Escape: back"));
        return;
    }
    view_add(v, VIEW_TEXT, "%s",
             T(c, "Type a 9-digit application number or a date as 8 digits "
                  "(year, month, day) and press Enter to search; Enter with "
                  "nothing typed shows the newest. Left and Right show only "
                  "one status. Up and Down choose an application. Searching "
                  "by IIN is done at the centre."));
    view_add(v, VIEW_TEXT, "%s: %s", T(c, "Status shown"),
             a->status < 0
                 ? T(c, "every status")
                 : T(c, application_status_name((enum app_status)a->status)));
    struct view_item *it = entry_view(&a->search, v, NULL);
    if (it != NULL)
        it->quiet = a->search.count == 0;
    if (a->n == 0)
        view_add(v, VIEW_TEXT, "%s", T(c, "No applications found."));
    for (int i = 0; i < a->n; i++) {
        const struct list_row *l = &a->rows[i];
        char *g = readout_grouped(l->number, 3);
        application_time(l->created_at, false, when, sizeof when);
        snprintf(buf, sizeof buf, "%s  %s  %s%s", g, when,
                 T(c, application_status_name(l->status)),
                 l->flagged && !l->accepted ? T(c, "  (IIN to confirm)") : "");
        view_option(v, i, "%s", buf);
        free(g);
    }
    view_option(v, APPS_EXPORT, "%s",
                T(c, "Export the sealed applications to a USB stick"));
    view_notice(v, "%s", a->message ? a->message : "");
    view_hint(v, "%s", T(c, "Digits: search   Enter: open   Escape: back"));
}

static void
apps_key(struct screen *s, const struct ctx *c, const struct key *k,
         struct fx_list *fx)
{
    struct apps *a = s->state;
    if (k->action == ACTION_BACK) {
        fx_add(fx, FX_POP);
        return;
    }
    switch (entry_key(&a->search, c, k, fx)) {
    case ENTRY_CHANGED:
    case ENTRY_FULL:
        return;
    case ENTRY_EMPTY: /* Delete with nothing typed: back */
        fx_add(fx, FX_POP);
        return;
    case ENTRY_IGNORED:
        break;
    }
    if (k->action == ACTION_LEFT || k->action == ACTION_RIGHT) {
        /* -1 (every status), then each status, round. */
        int span = STATUS_COUNT + 1;
        int step = k->action == ACTION_RIGHT ? 1 : span - 1;
        a->status = (a->status + 1 + step) % span - 1;
        apps_reload(a, c, APPS_FILTER, fx);
        return;
    }
    if (k->action != ACTION_SELECT || !apps_port(c))
        return;
    if (a->search.count > 0) {
        apps_reload(a, c, APPS_SEARCH, fx);
        entry_clear(&a->search); /* the call holds its own copy */
        return;
    }
    if (k->option == APPS_EXPORT) {
        fx_push(fx, screen_station_path_new(
                        T(c, "Export the sealed applications"),
                        T(c, "Type the directory of the USB stick to write "
                             "the sealed applications into, and press "
                             "Enter. Personal data in them can be read only "
                             "at the centre."),
                        "", FX_EXPORT_OUTBOX));
    } else if (k->option >= 0 && k->option < a->n) {
        struct services_call *first = NULL;
        fx_push(fx, screen_application_new(a->rows[k->option].number, &first));
        fx_services(fx, first);
    }
}

/* Keeps the rows of a LIST answer, without their personal fields. */
static void
apps_rows(struct apps *a, const struct services_call *call)
{
    a->n = 0;
    for (size_t i = 0; i < call->n_rows && a->n < LIST_MAX; i++) {
        const struct store_row *r = &call->rows[i];
        struct list_row *l = &a->rows[a->n++];
        memcpy(l->number, r->number, sizeof l->number);
        l->created_at = r->created_at;
        l->status = r->status;
        l->flagged = r->app.iin_flagged;
        l->accepted = r->iin_override;
    }
}

static void
apps_reply(struct screen *s, const struct ctx *c, struct services_call *call,
           struct fx_list *fx)
{
    struct apps *a = s->state;
    const char *why = call->why != NULL ? call->why : "?";
    if (call->op == SERVICES_EXPORT) {
        if (call->rc == 0) {
            /* The store's trail holds the export: no second entry. */
            char num[24];
            snprintf(num, sizeof num, "%ld", call->count);
            const char *args[] = {num, call->path ? call->path : "?"};
            char buf[VIEW_TEXT_MAX];
            apps_message(a, xstrdup(i18n_format(
                                buf, sizeof buf,
                                T(c, "{1} sealed applications written to "
                                     "{2}."),
                                2, args)));
            fx_say(fx, (int)c->lang, a->message);
        } else {
            apps_message(a,
                         xasprintf("%s: %s", T(c, "The export failed"), why));
            fx_audit(fx, "services: export failed: %s", why);
        }
        return;
    }
    if (call->op != SERVICES_LIST)
        return;
    a->n = 0;
    if (call->rc >= 0) {
        apps_rows(a, call);
    } else if (apps_port(c)) {
        /* Without a port the view says why already. */
        apps_message(a,
                     xasprintf("%s: %s",
                               T(c, "The applications cannot be read"), why));
        fx_log(fx, "services: applications cannot be read: %s", why);
    }
    apps_shown(a, c, (enum apps_tag)call->tag, fx);
}

static void
apps_release(void *state)
{
    struct apps *a = state;
    free(a->message);
}

static const struct screen_ops apps_ops = {
    .name = "applications",
    .help = N_("Staff: the applications on this terminal, newest first. "
               "Type digits to search by number or date (8 digits), Left "
               "and Right to show one status, Enter to open an application "
               "or to export the sealed applications to a USB stick."),
    .staff = true,
    /* The search is a number: digits type, Back and Delete reach
     * apps_key(); Up and Down still choose an application. */
    .number_entry = true,
    .view = apps_view,
    .key = apps_key,
    .reply = apps_reply,
    .release = apps_release,
    .state_size = sizeof(struct apps),
};

struct screen *
screen_applications_new(struct services_call **first)
{
    struct apps *a = xcalloc(1, sizeof *a);
    a->status = -1;
    entry_init(&a->search, ENTRY_DIGITS, APPLICATION_NUMBER_LEN, 0);
    *first = apps_query(a, APPS_OPEN); /* nothing typed: never NULL */
    return screen_new(&apps_ops, a);
}

/* --- one application ------------------------------------------------------ */

/* The options: one per status (the status is the id), then these. */
enum one_option { ONE_ACCEPT = STATUS_COUNT, ONE_BACK };

struct one {
    char number[APPLICATION_NUMBER_LEN + 1];
    struct store_row row; /* no personal data: it is sealed */
    bool loaded;
    struct entry note;
    char *message;
};

/* Returns the LIST call that (re)loads O. */
static struct services_call *
one_query(const struct one *o)
{
    struct services_call *call = services_call_new(SERVICES_LIST);
    snprintf(call->q_number, sizeof call->q_number, "%s", o->number);
    return call;
}

static bool
one_can_accept(const struct one *o)
{
    return o->row.app.iin_flagged && !o->row.iin_override;
}

static void
one_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct one *o = s->state;
    const struct store_row *r = &o->row;
    char buf[VIEW_TEXT_MAX], when[40], changed[40];
    char *g = readout_grouped(o->number, 3);
    view_title(v, "%s %s", T(c, "Application"), g);
    free(g);
    if (!o->loaded) {
        view_notice(v, "%s", o->message ? o->message : "");
        return;
    }
    application_time(r->created_at, false, when, sizeof when);
    application_time(r->status_changed_at, false, changed, sizeof changed);
    view_add(v, VIEW_TEXT, "%s: %s", T(c, "Made"), when);
    view_add(v, VIEW_TEXT, "%s: %s", T(c, "Service"),
             services_title(c->svc, r->app.service, c->lang));
    view_add(v, VIEW_TEXT, "%s: %s (%s)", T(c, "Status"),
             T(c, application_status_name(r->status)), changed);
    if (r->app.iin_flagged)
        view_add(v, VIEW_TEXT, "%s",
                 r->iin_override ? T(c, "IIN: accepted by staff")
                                 : T(c, "IIN: did not pass the check: "
                                        "confirm it with the visitor's "
                                        "document"));
    view_add(v, VIEW_TEXT, "%s",
             T(c, "IIN, phone, name and disability group are sealed: only "
                  "the centre can read them."));
    if (r->acked_at != 0) {
        char acked[40];
        application_time(r->acked_at, false, acked, sizeof acked);
        view_add(v, VIEW_TEXT, "%s: %s", T(c, "Received by the centre"), acked);
    } else {
        view_add(v, VIEW_TEXT, "%s", T(c, "Not yet received by the centre"));
    }
    view_add(v, VIEW_TEXT, "%s: %s, %s", T(c, "Contact"),
             T(c, application_contact_name(r->app.contact)),
             lang_native_name(r->app.contact_lang));
    char note[ENTRY_BYTES_MAX * 2];
    entry_show(&o->note, note, sizeof note);
    view_add(v, VIEW_ENTRY, "%s: %s", T(c, "Note"), note);
    sodium_memzero(note, sizeof note);
    for (int i = 0; i < STATUS_COUNT; i++) {
        snprintf(buf, sizeof buf, "%s: %s", T(c, "Set the status"),
                 T(c, application_status_name((enum app_status)i)));
        view_option(v, i, "%s", buf);
    }
    if (one_can_accept(o))
        view_option(v, ONE_ACCEPT, "%s",
                    T(c, "Accept this IIN (staff override)"));
    view_option(v, ONE_BACK, "%s", T(c, "Back"));
    view_notice(v, "%s", o->message ? o->message : "");
    view_hint(v, "%s", T(c, "Type a note   Enter: choose   Escape: back"));
}

static void
one_key(struct screen *s, const struct ctx *c, const struct key *k,
        struct fx_list *fx)
{
    struct one *o = s->state;
    if (k->action == ACTION_BACK) {
        fx_add(fx, FX_POP);
        return;
    }
    switch (entry_key(&o->note, c, k, fx)) {
    case ENTRY_CHANGED:
    case ENTRY_FULL:
        return;
    case ENTRY_EMPTY: /* Delete with no note: back */
        fx_add(fx, FX_POP);
        return;
    case ENTRY_IGNORED:
        break;
    }
    if (k->action != ACTION_SELECT)
        return;
    if (k->option == ONE_BACK) {
        fx_add(fx, FX_POP);
        return;
    }
    if (!o->loaded)
        return;
    struct services_call *call;
    if (k->option >= 0 && k->option < STATUS_COUNT) {
        call = services_call_new(SERVICES_SET_STATUS);
        call->status = (enum app_status)k->option;
        /* Cut at a letter when a note of wide characters is too long. */
        view_format(call->note, sizeof call->note, "%s", o->note.text);
    } else if (k->option == ONE_ACCEPT && one_can_accept(o)) {
        call = services_call_new(SERVICES_ACCEPT_IIN);
    } else {
        return;
    }
    snprintf(call->number, sizeof call->number, "%s", o->number);
    fx_services(fx, call);
}

static void
one_reply(struct screen *s, const struct ctx *c, struct services_call *call,
          struct fx_list *fx)
{
    struct one *o = s->state;
    const char *why = call->why != NULL ? call->why : "?";
    if (call->op == SERVICES_LIST) {
        sodium_memzero(&o->row, sizeof o->row);
        o->loaded = false;
        if (call->rc < 0) {
            free(o->message);
            o->message = xasprintf("%s: %s",
                                   T(c, "The applications cannot be read"),
                                   why);
        } else if (call->n_rows > 0) {
            o->row = call->rows[0];
            o->loaded = true;
        }
        return;
    }
    /* A change that was stored is in the store's audit trail already. */
    free(o->message);
    o->message = call->rc == 0 ? xstrdup(T(c, "Saved."))
                               : xasprintf("%s: %s", T(c, "Not saved"), why);
    if (call->rc == 0) {
        entry_clear(&o->note);
        sodium_memzero(&o->row, sizeof o->row);
        o->loaded = false;
        fx_services(fx, one_query(o));
    }
}

static void
one_release(void *state)
{
    struct one *o = state;
    free(o->message);
}

static const struct screen_ops one_ops = {
    .name = "application",
    .help = N_("Staff: one application. Type a note if you wish, then "
               "choose the new status and press Enter. Every change is "
               "recorded; the note is sealed for the centre."),
    .staff = true,
    .view = one_view,
    .key = one_key,
    .reply = one_reply,
    .text_entry = true,
    .release = one_release,
    .state_size = sizeof(struct one),
};

struct screen *
screen_application_new(const char *number, struct services_call **first)
{
    struct one *o = xcalloc(1, sizeof *o);
    snprintf(o->number, sizeof o->number, "%s", number);
    entry_init(&o->note, ENTRY_TEXT, NOTE_MAX, 0);
    *first = one_query(o);
    return screen_new(&one_ops, o);
}
