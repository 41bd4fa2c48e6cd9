/*
 * Ten Qogam: browsing the catalogue and checking a status.
 *
 * The services screen lists the catalogue's categories and a status check;
 * a category lists its services; a service is read in full (what it is,
 * who can get it, what to bring, how long, where) and offers to apply.
 * Every text is a view item, so everything shown is also read. Options
 * carry ids (a category's or a service's index in the catalogue), so the
 * keys switch on what was chosen, never on a position. The status check
 * takes the 9 digits on the keypad, or the text of the receipt's QR code
 * (application_qr_parse) from a scanner that types like a keyboard, in one
 * entry; the Damm check digit catches a mistyped digit before the store is
 * asked, through an FX_SERVICES call whose answer comes to reply().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/readout.h"
#include "accessibility/xalloc.h"
#include "kiosk/entry.h"
#include "kiosk/screen.h"
#include "kiosk/services.h"
#include "kiosk/services_call.h"
#include "services/damm.h"

const char *
services_title(const struct services *sv, const char *id, enum lang lang)
{
    const struct catalogue_service *s = sv != NULL && sv->catalogue != NULL
                                            ? catalogue_find(sv->catalogue, id)
                                            : NULL;
    return s != NULL ? catalogue_text(s, CATALOGUE_TITLE, lang) : id;
}

static const struct catalogue *
cat_of(const struct ctx *c)
{
    return c->svc != NULL ? c->svc->catalogue : NULL;
}

/* --- the services menu -------------------------------------------------- */

/* A category's option id is MENU_CATEGORY plus its index. */
enum menu_option { MENU_STATUS, MENU_CATEGORY };

static void
svc_menu_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    (void)s;
    const struct catalogue *cat = cat_of(c);
    view_title(v, "%s", T(c, "Social services"));
    if (cat == NULL)
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "The service catalogue is not available on this "
                      "terminal now. Please ask a member of staff."));
    else
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "Choose a group of services to hear what help "
                      "exists and to apply."));
    for (size_t i = 0; cat != NULL && i < catalogue_n_categories(cat); i++)
        view_option(v, MENU_CATEGORY + (int)i, "%s",
                    catalogue_category(cat, i)->title[c->lang]);
    view_option(v, MENU_STATUS, "%s",
                T(c, "Check the status of an application"));
    view_hint(v, "%s", T(c, "{select}: choose   {back}: back   {help}: help"));
}

static void
svc_menu_choose(struct screen *s, const struct ctx *c, int id,
                struct fx_list *fx)
{
    (void)s;
    const struct catalogue *cat = cat_of(c);
    if (id < 0)
        return;
    if (id == MENU_STATUS) {
        fx_push(fx, screen_status_new());
        return;
    }
    size_t i = (size_t)(id - MENU_CATEGORY);
    if (cat != NULL && i < catalogue_n_categories(cat))
        fx_push(fx, screen_category_new(i));
}

static const struct screen_ops svc_menu_ops = {
    .name = "services",
    .help = N_("Social services of the Ten Qogam centre. Choose a group of "
               "services with {up} and {down} and press {select}. The last "
               "item checks the status of an application you have made."),
    .view = svc_menu_view,
    .choose = svc_menu_choose,
};

struct screen *
screen_services_new(void)
{
    return screen_new(&svc_menu_ops, NULL);
}

/* --- a category ---------------------------------------------------------- */

/* A service's option id is its index in the catalogue. */
struct category {
    size_t index;
};

static void
category_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct category *g = s->state;
    const struct catalogue *cat = cat_of(c);
    if (cat == NULL)
        return;
    view_title(v, "%s", catalogue_category(cat, g->index)->title[c->lang]);
    for (size_t i = 0; i < catalogue_n_services(cat); i++) {
        const struct catalogue_service *sv = catalogue_service(cat, i);
        if (sv->category == g->index)
            view_option(v, (int)i, "%s",
                        catalogue_text(sv, CATALOGUE_TITLE, c->lang));
    }
    view_hint(v, "%s", T(c, "{select}: hear about it   {back}: back"));
}

static void
category_choose(struct screen *s, const struct ctx *c, int id,
                struct fx_list *fx)
{
    const struct category *g = s->state;
    const struct catalogue *cat = cat_of(c);
    if (id < 0 || cat == NULL || (size_t)id >= catalogue_n_services(cat))
        return;
    const struct catalogue_service *sv = catalogue_service(cat, (size_t)id);
    if (sv->category == g->index)
        fx_push(fx, screen_service_new(sv->id));
}

static const struct screen_ops category_ops = {
    .name = "category",
    .help = N_("The services in this group. Choose one with {up} and {down} "
               "and press {select} to hear all about it."),
    .view = category_view,
    .choose = category_choose,
};

struct screen *
screen_category_new(size_t index)
{
    struct category *g = xcalloc(1, sizeof *g);
    g->index = index;
    return screen_new(&category_ops, g);
}

/* --- one service ---------------------------------------------------------- */

enum service_option { SERVICE_APPLY, SERVICE_BACK };

static const struct menu_item service_menu[] = {
    {SERVICE_APPLY, N_("Apply for this service")},
    {SERVICE_BACK, N_("Back to the list")},
};

struct service {
    char id[CATALOGUE_ID_MAX + 1];
};

static void
labelled(struct view *v, const struct ctx *c, const char *label,
         const char *text)
{
    if (text[0] != '\0')
        view_add(v, VIEW_TEXT, "%s %s", T(c, label), text);
}

static void
service_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct service *sv = s->state;
    const struct catalogue *cat = cat_of(c);
    const struct catalogue_service *e = cat ? catalogue_find(cat, sv->id)
                                            : NULL;
    if (e == NULL)
        return;
    view_title(v, "%s", catalogue_text(e, CATALOGUE_TITLE, c->lang));
    view_add(v, VIEW_TEXT, "%s", catalogue_text(e, CATALOGUE_ABOUT, c->lang));
    labelled(v, c, N_("Who can get it:"),
             catalogue_text(e, CATALOGUE_WHO, c->lang));
    labelled(v, c, N_("What to bring:"),
             catalogue_text(e, CATALOGUE_BRING, c->lang));
    labelled(v, c, N_("How long it takes:"),
             catalogue_text(e, CATALOGUE_TIME, c->lang));
    labelled(v, c, N_("Where:"), catalogue_text(e, CATALOGUE_WHERE, c->lang));
    SCREEN_MENU(c, v, service_menu);
    view_hint(v, "%s",
              T(c, "{select}: choose   {repeat}: read again   {back}: back"));
}

static void
service_choose(struct screen *s, const struct ctx *c, int id,
               struct fx_list *fx)
{
    const struct service *sv = s->state;
    switch ((enum service_option)id) {
    case SERVICE_BACK:
        fx_add(fx, FX_POP);
        return;
    case SERVICE_APPLY:
        break;
    default:
        return;
    }
    if (c->svc == NULL || c->svc->ops == NULL || c->svc->problem != NULL) {
        const char *lines[] = {
            T(c, "Applications cannot be taken on this terminal now. "
                 "Please ask a member of staff: they will take your "
                 "application.")};
        if (c->svc != NULL && c->svc->problem != NULL)
            fx_log(fx, "applications unavailable: %s", c->svc->problem);
        fx_push(fx,
                screen_message_new(T(c, "Apply for this service"), lines, 1));
        return;
    }
    fx_push(fx, screen_apply_new(sv->id));
}

static const struct screen_ops service_ops = {
    .name = "service",
    .help = N_("All about one service: what it is, who can get it, what to "
               "bring, how long it takes and where. {repeat} reads it again. "
               "Choose Apply for this service to make an application."),
    .view = service_view,
    .choose = service_choose,
};

struct screen *
screen_service_new(const char *id)
{
    struct service *sv = xcalloc(1, sizeof *sv);
    snprintf(sv->id, sizeof sv->id, "%s", id);
    return screen_new(&service_ops, sv);
}

/* --- status check --------------------------------------------------------- */

/* Long enough for a receipt's whole QR text. */
#define STATUS_INPUT_MAX 80

enum status_notice {
    SN_NONE,
    SN_SHORT,
    SN_DAMM,
    SN_NOT_FOUND,
    SN_ERROR,
    SN_QR,
};

enum status_option { STATUS_AGAIN, STATUS_BACK };

static const struct menu_item status_menu[] = {
    {STATUS_AGAIN, N_("Check another number")},
    {STATUS_BACK, N_("Back")},
};

struct status {
    /* Digits typed on the keypad; it becomes a text field when a scanner
     * types a receipt's QR text (a character that is not a digit). */
    struct entry input;
    enum status_notice notice;
    bool found;
    char number[APPLICATION_NUMBER_LEN + 1];
    enum app_status st;
    int64_t changed_at;
    char service[sizeof((struct services_call *)0)->service];
};

static void
status_view_found(const struct status *t, const struct ctx *c, struct view *v)
{
    char buf[VIEW_TEXT_MAX], when[40];
    view_title(v, "%s", T(c, "Status of your application"));
    char *g = readout_grouped(t->number, 3), *r = readout_digits(t->number, 3);
    application_time(t->changed_at, false, when, sizeof when);
    const char *args[] = {g, T(c, application_status_name(t->st)), when,
                          services_title(c->svc, t->service, c->lang)};
    i18n_format(buf, sizeof buf,
                T(c, "Application {1} for {4}. Status: {2}. Last "
                     "change: {3}."),
                4, args);
    struct view_item *it = view_add(v, VIEW_TEXT, "%s", buf);
    args[0] = r;
    i18n_format(it->say, sizeof it->say,
                T(c, "Application {1} for {4}. Status: {2}. Last "
                     "change: {3}."),
                4, args);
    free(g);
    free(r);
    SCREEN_MENU(c, v, status_menu);
    view_hint(v, "%s", T(c, "{select}: choose   {back}: back"));
}

static void
status_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct status *t = s->state;
    if (t->found) {
        status_view_found(t, c, v);
        return;
    }
    view_title(v, "%s", T(c, "Check the status of an application"));
    view_add(v, VIEW_TEXT, "%s",
             T(c, "Type the 9 digits of your application number and press "
                  "{select}, or hold the receipt's QR code to the scanner."));
    /* Digits are shown and read in groups of three, a scanned text as it
     * is. */
    entry_view(&t->input, v, T(c, "Nothing entered yet."));
    switch (t->notice) {
    case SN_SHORT:
        view_notice(v, "%s", T(c, "An application number has 9 digits."));
        break;
    case SN_DAMM:
        view_notice(v, "%s",
                    T(c, "This number is not right: a digit may be wrong or "
                         "two digits swapped. Please check it and type it "
                         "again."));
        break;
    case SN_NOT_FOUND:
        view_notice(v, "%s",
                    T(c, "There is no application with this number on this "
                         "terminal. Please check the number or ask a member "
                         "of staff."));
        break;
    case SN_ERROR:
        view_notice(v, "%s",
                    T(c, "The status cannot be read now. Please ask a member "
                         "of staff."));
        break;
    case SN_QR:
        view_notice(v, "%s",
                    T(c, "This code is not a receipt of this centre."));
        break;
    case SN_NONE:
        break;
    }
    view_hint(v, "%s",
              T(c,
                "Digits: type   {delete}: delete   {select}: check   {back}: "
                "back"));
}

/* Empties the field, which takes digits again. */
static void
status_clear(struct status *t)
{
    entry_init(&t->input, ENTRY_DIGITS, STATUS_INPUT_MAX, 3);
}

/* Takes the number from the input (9 digits, or a receipt's QR text of
 * this centre); returns false with a notice when it cannot. */
static bool
status_number(struct status *t, const struct ctx *c,
              char number[APPLICATION_NUMBER_LEN + 1])
{
    const char *in = t->input.text;
    char centre[64];
    if (t->input.kind == ENTRY_TEXT) {
        const char *want = c->svc != NULL && c->svc->centre != NULL
                               ? c->svc->centre
                               : "";
        int rc = application_qr_parse(in, centre, sizeof centre, number);
        if (rc == -1 || strcmp(centre, want) != 0) {
            t->notice = SN_QR;
            return false;
        }
        if (rc == -2) {
            t->notice = SN_SHORT;
            return false;
        }
    } else if (t->input.count != APPLICATION_NUMBER_LEN) {
        t->notice = SN_SHORT;
        return false;
    } else {
        memcpy(number, in, APPLICATION_NUMBER_LEN + 1);
    }
    if (!damm_valid(number)) {
        t->notice = SN_DAMM;
        return false;
    }
    return true;
}

static void
status_key(struct screen *s, const struct ctx *c, const struct key *k,
           struct fx_list *fx)
{
    struct status *t = s->state;
    if (t->found) {
        if (k->action != ACTION_SELECT)
            return;
        t->found = false;
        if (k->option == STATUS_BACK)
            fx_add(fx, FX_POP);
        return;
    }
    if (k->action == ACTION_BACK) {
        status_clear(t);
        fx_add(fx, FX_POP);
        return;
    }
    /* A character that is not a digit: a scanner is typing a QR text. */
    if (k->action == ACTION_CHAR && t->input.kind == ENTRY_DIGITS)
        t->input.kind = ENTRY_TEXT;
    switch (entry_key(&t->input, c, k, fx)) {
    case ENTRY_CHANGED:
        t->notice = SN_NONE;
        if (t->input.count == 0)
            status_clear(t);
        return;
    case ENTRY_FULL:
        return;
    case ENTRY_EMPTY:
        fx_add(fx, FX_POP);
        return;
    case ENTRY_IGNORED:
        break;
    }
    if (k->action != ACTION_SELECT)
        return;
    char number[APPLICATION_NUMBER_LEN + 1];
    bool ok = status_number(t, c, number);
    status_clear(t);
    if (!ok)
        return;
    struct services_call *call = services_call_new(SERVICES_STATUS);
    memcpy(call->number, number, sizeof number);
    fx_services(fx, call);
}

/* The store's answer to a status call. */
static void
status_reply(struct screen *s, const struct ctx *c, struct services_call *call,
             struct fx_list *fx)
{
    (void)c;
    struct status *t = s->state;
    if (call->op != SERVICES_STATUS)
        return;
    if (call->rc == 0) {
        t->found = true;
        t->notice = SN_NONE;
        memcpy(t->number, call->number, sizeof t->number);
        t->st = call->status;
        t->changed_at = call->changed_at;
        snprintf(t->service, sizeof t->service, "%s", call->service);
        fx_focus(fx, STATUS_AGAIN);
    } else if (call->rc == 1) {
        t->notice = SN_NOT_FOUND;
    } else {
        t->notice = SN_ERROR;
        fx_log(fx, "status check failed: %s",
               call->why != NULL ? call->why : "?");
    }
}

static bool
status_text_entry(const struct screen *s)
{
    const struct status *t = s->state;
    return !t->found;
}

static const struct screen_ops status_ops = {
    .name = "status",
    .help = N_("Type the 9 digits of the application number printed on your "
               "receipt and press {select} to hear its status. {delete} "
               "deletes a digit."),
    .view = status_view,
    .key = status_key,
    .reply = status_reply,
    .typing = status_text_entry,
    .numbering = status_text_entry,
    .state_size = sizeof(struct status),
};

struct screen *
screen_status_new(void)
{
    struct status *t = xcalloc(1, sizeof *t);
    status_clear(t);
    return screen_new(&status_ops, t);
}
