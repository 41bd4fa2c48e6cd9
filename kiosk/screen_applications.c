/*
 * Staff console for Ten Qogam applications: the newest applications,
 * search by number or IIN (typed digits), one application in full with
 * its status changed (with a typed note) or its flagged IIN accepted, and
 * a CSV export into the data directory.
 *
 * The list keeps no personal data, only numbers, dates and statuses; the
 * one application that is open holds its decrypted fields and wipes them
 * when closed. These screens are staff screens: the end of a visitor
 * session closes them.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accessibility/readout.h"
#include "accessibility/utf8.h"
#include "accessibility/xalloc.h"
#include "kiosk/screen.h"
#include "kiosk/services.h"

#define LIST_MAX 30
#define NOTE_MAX 200

struct list_row {
    char number[APPLICATION_NUMBER_LEN + 1];
    int64_t created_at;
    enum app_status status;
    bool flagged, accepted;
};

struct apps {
    struct list_row rows[LIST_MAX];
    int n;
    char search[IIN_LEN + 1];
    size_t len;
    int sel;
    int status;    /* the list shows only this status; -1: every status */
    char *message; /* result of the last action, shown as the notice */
};

#define DATE_LEN 8 /* YYYYMMDD */

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
    *from = (int64_t)timegm(&tm) - 5 * 3600;
    *to = *from + 24 * 3600;
    return true;
}

static int
apps_collect(void *ctx, const struct store_row *r)
{
    struct apps *a = ctx;
    if (a->n >= LIST_MAX)
        return 1;
    struct list_row *l = &a->rows[a->n++];
    memcpy(l->number, r->number, sizeof l->number);
    l->created_at = r->created_at;
    l->status = r->status;
    l->flagged = r->app.iin_flagged;
    l->accepted = r->iin_override;
    return 0;
}

static void
apps_message(struct apps *a, char *msg)
{
    free(a->message);
    a->message = msg;
}

/* Reloads the list: the newest, or those matching the search digits. */
static void
apps_load(struct apps *a, const struct ctx *c, struct fx_list *fx)
{
    struct store_query q = {.status = a->status, .limit = LIST_MAX};
    char *why = NULL;
    a->n = 0;
    a->sel = 1;
    if (c->svc == NULL || c->svc->ops == NULL)
        return;
    if (a->len == APPLICATION_NUMBER_LEN)
        q.number = a->search;
    else if (a->len == IIN_LEN)
        q.iin = a->search;
    else if (a->len == DATE_LEN && !apps_day(a->search, &q.from, &q.to)) {
        apps_message(a, xstrdup(T(c, "That is not a date. Type it as "
                                     "year, month, day: 8 digits.")));
        return;
    }
    if (c->svc->ops->list(c->svc->ops_ctx, &q, apps_collect, a, &why) < 0) {
        apps_message(a, xasprintf("%s: %s",
                                  T(c, "The applications cannot be read"),
                                  why ? why : "?"));
        if (fx != NULL)
            fx_log(fx, "services: applications cannot be read: %s",
                   why ? why : "?");
    }
    free(why);
}

static int
apps_options(const struct apps *a, const struct ctx *c)
{
    return a->n + (c->svc != NULL && c->svc->ops != NULL ? 1 : 0);
}

static void
apps_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct apps *a = s->state;
    char when[40], buf[VIEW_TEXT_MAX];
    view_title(v, "%s", T(c, "Applications"));
    if (c->svc == NULL || c->svc->ops == NULL) {
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "Applications cannot be taken on this terminal now."));
        if (c->svc != NULL && c->svc->problem != NULL)
            view_add(v, VIEW_TEXT, "%s", c->svc->problem);
        view_hint(v, "%s", T(c, "Escape: back"));
        return;
    }
    view_add(v, VIEW_TEXT, "%s",
             T(c, "Type a 9-digit application number, a 12-digit IIN or a "
                  "date as 8 digits (year, month, day) and press Enter to "
                  "search; Enter with nothing typed shows the newest. Left "
                  "and Right show only one status. Up and Down choose an "
                  "application."));
    view_add(v, VIEW_TEXT, "%s: %s", T(c, "Status shown"),
             a->status < 0
                 ? T(c, "every status")
                 : T(c, application_status_name((enum app_status)a->status)));
    view_add(v, VIEW_ENTRY, "%s", a->search)->quiet = a->len == 0;
    if (a->n == 0)
        view_add(v, VIEW_TEXT, "%s", T(c, "No applications found."));
    for (int i = 0; i < a->n; i++) {
        const struct list_row *l = &a->rows[i];
        char *g = readout_grouped(l->number, 3);
        application_time(l->created_at, false, when, sizeof when);
        snprintf(buf, sizeof buf, "%s  %s  %s%s", g, when,
                 T(c, application_status_name(l->status)),
                 l->flagged && !l->accepted ? T(c, "  (IIN to confirm)")
                                            : "");
        view_add(v, VIEW_OPTION, "%s", buf);
        free(g);
    }
    view_add(v, VIEW_OPTION, "%s", T(c, "Export all applications to a CSV "
                                        "file"));
    view_focus_rank(v, (size_t)a->sel);
    view_notice(v, "%s", a->message ? a->message : "");
    view_hint(v, "%s",
              T(c, "Digits: search   Enter: open   Escape: back"));
}

static void
apps_key(struct screen *s, const struct ctx *c, const struct key *k,
         struct fx_list *fx)
{
    struct apps *a = s->state;
    int n = apps_options(a, c);
    if (k->action == ACTION_DIGIT) {
        if (a->len < IIN_LEN) {
            a->search[a->len++] = (char)k->codepoint;
            a->search[a->len] = '\0';
            char d[2] = {(char)k->codepoint, '\0'};
            fx_say(fx, (int)c->lang, d);
        }
        return;
    }
    if (k->action == ACTION_DELETE && a->len > 0) {
        a->search[--a->len] = '\0';
        fx_say(fx, (int)c->lang, T(c, "digit deleted"));
        return;
    }
    if (k->action == ACTION_UP || k->action == ACTION_DOWN) {
        screen_menu_key(&a->sel, n, k);
        return;
    }
    if (k->action == ACTION_LEFT || k->action == ACTION_RIGHT) {
        /* -1 (every status), then each status, round. */
        int span = STATUS_COUNT + 1;
        int step = k->action == ACTION_RIGHT ? 1 : span - 1;
        a->status = (a->status + 1 + step) % span - 1;
        apps_message(a, NULL);
        apps_load(a, c, fx);
        char num[16], buf[256];
        snprintf(num, sizeof num, "%d", a->n);
        const char *args[] = {
            a->status < 0 ? T(c, "every status")
                          : T(c, application_status_name(
                                     (enum app_status)a->status)),
            num};
        fx_say(fx, (int)c->lang,
               i18n_format(buf, sizeof buf,
                           T(c, "Status shown: {1}. Found: {2}."), 2, args));
        return;
    }
    if (k->action == ACTION_BACK || k->action == ACTION_DELETE) {
        fx_add(fx, FX_POP);
        return;
    }
    if (k->action != ACTION_SELECT || c->svc == NULL || c->svc->ops == NULL)
        return;
    if (a->len > 0) {
        apps_message(a, NULL);
        apps_load(a, c, fx);
        sodium_memzero(a->search, sizeof a->search);
        a->len = 0;
        char num[16];
        snprintf(num, sizeof num, "%d", a->n);
        const char *args[] = {num};
        char buf[128];
        fx_say(fx, (int)c->lang,
               i18n_format(buf, sizeof buf, T(c, "Found: {1}."), 1, args));
        return;
    }
    if (a->sel == n) {
        char *path = NULL, *why = NULL;
        if (c->svc->ops->export_csv(c->svc->ops_ctx, &path, &why) == 0) {
            apps_message(a, xasprintf("%s %s", T(c, "Exported to"), path));
            fx_audit(fx, "services: applications exported");
        } else {
            apps_message(a, xasprintf("%s: %s", T(c, "The export failed"),
                                      why ? why : "?"));
            fx_audit(fx, "services: export failed: %s", why ? why : "?");
        }
        free(path);
        free(why);
        return;
    }
    if (a->sel >= 1 && a->sel <= a->n) {
        fx_push(fx, screen_application_new(c, a->rows[a->sel - 1].number));
    }
}

static void
apps_free(void *state)
{
    struct apps *a = state;
    free(a->message);
    sodium_memzero(a, sizeof *a);
    free(a);
}

static const struct screen_ops apps_ops = {
    .name = "applications",
    .help = N_("Staff: the applications on this terminal, newest first. "
               "Type digits to search by number, IIN or date (8 digits), "
               "Left and Right to show one status, Enter to open an "
               "application or to export."),
    .staff = true,
    .view = apps_view,
    .key = apps_key,
    .free = apps_free,
};

struct screen *
screen_applications_new(const struct ctx *c)
{
    struct apps *a = xcalloc(1, sizeof *a);
    a->status = -1;
    apps_load(a, c, NULL);
    return screen_new(&apps_ops, a);
}

/* --- one application ------------------------------------------------------ */

struct one {
    struct store_row row;
    bool loaded;
    char note[NOTE_MAX + 1];
    int sel;
    char *message;
};

static int
one_collect(void *ctx, const struct store_row *r)
{
    struct one *o = ctx;
    o->row = *r;
    o->loaded = true;
    return 1;
}

static void
one_load(struct one *o, const struct ctx *c, const char *number)
{
    struct store_query q = {.number = number, .status = -1};
    char *why = NULL;
    o->loaded = false;
    if (c->svc->ops->list(c->svc->ops_ctx, &q, one_collect, o, &why) < 0) {
        free(o->message);
        o->message = xasprintf("%s: %s",
                               T(c, "The applications cannot be read"),
                               why ? why : "?");
    }
    free(why);
}

static bool
one_can_accept(const struct one *o)
{
    return o->row.app.iin_flagged && !o->row.iin_override;
}

static int
one_options(const struct one *o)
{
    return STATUS_COUNT + (one_can_accept(o) ? 1 : 0) + 1;
}

static void
one_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct one *o = s->state;
    const struct store_row *r = &o->row;
    char buf[VIEW_TEXT_MAX], when[40], changed[40];
    char *g = readout_grouped(r->number, 3);
    view_title(v, "%s %s", T(c, "Application"), g);
    free(g);
    if (!o->loaded) {
        view_notice(v, "%s", o->message ? o->message : "");
        return;
    }
    application_time(r->created_at, false, when, sizeof when);
    application_time(r->status_changed_at, false, changed, sizeof changed);
    view_add(v, VIEW_TEXT, "%s: %s", T(c, "Made"), when);
    view_add(v, VIEW_TEXT, "%s: %s",
             T(c, "Service"), services_title(c->svc, r->app.service, c->lang));
    view_add(v, VIEW_TEXT, "%s: %s (%s)", T(c, "Status"),
             T(c, application_status_name(r->status)), changed);
    g = readout_grouped(r->app.iin, 3);
    view_add(v, VIEW_TEXT, "%s: %s%s", T(c, "IIN"), g,
             !r->app.iin_flagged ? ""
             : r->iin_override   ? T(c, "  (accepted by staff)")
                                 : T(c, "  (did not pass the check: "
                                        "confirm it)"));
    free(g);
    view_add(v, VIEW_TEXT, "%s: +7 %s", T(c, "Phone"), r->app.phone);
    if (r->app.name[0] != '\0')
        view_add(v, VIEW_TEXT, "%s: %s", T(c, "Name"), r->app.name);
    view_add(v, VIEW_TEXT, "%s: %s", T(c, "Disability group"),
             T(c, application_group_name(r->app.group)));
    view_add(v, VIEW_TEXT, "%s: %s, %s", T(c, "Contact"),
             T(c, application_contact_name(r->app.contact)),
             lang_native_name(r->app.contact_lang));
    view_add(v, VIEW_ENTRY, "%s: %s", T(c, "Note"), o->note);
    for (int i = 0; i < STATUS_COUNT; i++) {
        snprintf(buf, sizeof buf, "%s: %s", T(c, "Set the status"),
                 T(c, application_status_name((enum app_status)i)));
        view_add(v, VIEW_OPTION, "%s", buf);
    }
    if (one_can_accept(o))
        view_add(v, VIEW_OPTION, "%s", T(c, "Accept this IIN (staff "
                                            "override)"));
    view_add(v, VIEW_OPTION, "%s", T(c, "Back"));
    view_focus_rank(v, (size_t)o->sel);
    view_notice(v, "%s", o->message ? o->message : "");
    view_hint(v, "%s",
              T(c, "Type a note   Enter: choose   Escape: back"));
}

static void
one_key(struct screen *s, const struct ctx *c, const struct key *k,
        struct fx_list *fx)
{
    struct one *o = s->state;
    int n = one_options(o);
    size_t len = strlen(o->note);
    if (k->action == ACTION_CHAR || k->action == ACTION_DIGIT) {
        char u[5] = "";
        size_t ul = utf8_encode(k->codepoint, u);
        if (ul > 0 && len + ul <= NOTE_MAX) {
            memcpy(o->note + len, u, ul);
            o->note[len + ul] = '\0';
        }
        return;
    }
    if (k->action == ACTION_DELETE && len > 0) {
        while (len > 0 && (o->note[len - 1] & 0xc0) == 0x80)
            o->note[--len] = '\0';
        if (len > 0)
            o->note[--len] = '\0';
        return;
    }
    if (k->action == ACTION_UP || k->action == ACTION_DOWN) {
        screen_menu_key(&o->sel, n, k);
        return;
    }
    if (k->action == ACTION_BACK || k->action == ACTION_DELETE ||
        (k->action == ACTION_SELECT && o->sel == n)) {
        fx_add(fx, FX_POP);
        return;
    }
    if (k->action != ACTION_SELECT || !o->loaded)
        return;
    char number[APPLICATION_NUMBER_LEN + 1], *why = NULL;
    memcpy(number, o->row.number, sizeof number);
    int rc;
    if (o->sel <= STATUS_COUNT) {
        enum app_status st = (enum app_status)(o->sel - 1);
        rc = c->svc->ops->set_status(c->svc->ops_ctx, number, st, o->note,
                                     &why);
        if (rc == 0)
            fx_audit(fx, "services: application status set to %s",
                   application_status_id(st));
    } else {
        rc = c->svc->ops->accept_iin(c->svc->ops_ctx, number, &why);
        if (rc == 0)
            fx_audit(fx, "services: flagged IIN accepted");
    }
    free(o->message);
    o->message = rc == 0 ? xstrdup(T(c, "Saved."))
                         : xasprintf("%s: %s", T(c, "Not saved"),
                                     why ? why : "?");
    free(why);
    if (rc == 0) {
        sodium_memzero(o->note, sizeof o->note);
        sodium_memzero(&o->row, sizeof o->row);
        one_load(o, c, number);
        if (o->sel > one_options(o))
            o->sel = one_options(o);
    }
}

static void
one_free(void *state)
{
    struct one *o = state;
    free(o->message);
    sodium_memzero(o, sizeof *o);
    free(o);
}

static const struct screen_ops one_ops = {
    .name = "application",
    .help = N_("Staff: one application in full. Type a note if you wish, "
               "then choose the new status and press Enter. Every change is "
               "recorded."),
    .staff = true,
    .view = one_view,
    .key = one_key,
    .text_entry = true,
    .free = one_free,
};

struct screen *
screen_application_new(const struct ctx *c, const char *number)
{
    struct one *o = xcalloc(1, sizeof *o);
    o->sel = 1;
    snprintf(o->row.number, sizeof o->row.number, "%s", number);
    one_load(o, c, number);
    return screen_new(&one_ops, o);
}
