/*
 * Ten Qogam: browsing the catalogue and checking a status.
 *
 * The services screen lists the catalogue's categories and a status check;
 * a category lists its services; a service is read in full (what it is,
 * who can get it, what to bring, how long, where) and offers to apply.
 * Every text is a view item, so everything shown is also read. The status
 * check takes the 9 digits on the keypad, or the text of the receipt's QR
 * code from a scanner that types like a keyboard; the Damm check digit
 * catches a mistyped digit before the database is asked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "accessibility/readout.h"
#include "accessibility/utf8.h"
#include "accessibility/xalloc.h"
#include "kiosk/screen.h"
#include "kiosk/services.h"
#include "services/damm.h"

const char *
services_title(const struct services *sv, const char *id, enum lang lang)
{
    const struct catalogue_service *s =
        sv != NULL && sv->catalogue != NULL ? catalogue_find(sv->catalogue, id)
                                            : NULL;
    return s != NULL ? catalogue_text(s, CATALOGUE_TITLE, lang) : id;
}

static const struct catalogue *
cat_of(const struct ctx *c)
{
    return c->svc != NULL ? c->svc->catalogue : NULL;
}

/* --- the services menu -------------------------------------------------- */

struct svc_menu {
    int sel;
};

static int
menu_n(const struct ctx *c)
{
    const struct catalogue *cat = cat_of(c);
    return (cat != NULL ? (int)catalogue_n_categories(cat) : 0) + 1;
}

static void
svc_menu_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct svc_menu *m = s->state;
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
        view_add(v, VIEW_OPTION, "%s",
                 catalogue_category(cat, i)->title[c->lang]);
    view_add(v, VIEW_OPTION, "%s",
             T(c, "Check the status of an application"));
    view_focus_rank(v, (size_t)m->sel);
    view_hint(v, "%s", T(c, "Enter: choose   Escape: back   F1: help"));
}

static void
svc_menu_key(struct screen *s, const struct ctx *c, const struct key *k,
             struct fx_list *fx)
{
    struct svc_menu *m = s->state;
    int n = menu_n(c);
    if (screen_menu_key(&m->sel, n, k))
        return;
    if (k->action == ACTION_BACK || k->action == ACTION_DELETE) {
        fx_add(fx, FX_POP);
        return;
    }
    if (k->action != ACTION_SELECT)
        return;
    if (m->sel == n) {
        fx_push(fx, screen_status_new());
        return;
    }
    fx_push(fx, screen_category_new((size_t)(m->sel - 1)));
}

static const struct screen_ops svc_menu_ops = {
    .name = "services",
    .help = N_("Social services of the Ten Qogam centre. Choose a group of "
               "services with Up and Down and press Enter. The last item "
               "checks the status of an application you have made."),
    .view = svc_menu_view,
    .key = svc_menu_key,
};

struct screen *
screen_services_new(void)
{
    struct svc_menu *m = xcalloc(1, sizeof *m);
    m->sel = 1;
    return screen_new(&svc_menu_ops, m);
}

/* --- a category ---------------------------------------------------------- */

struct category {
    size_t index;
    int sel;
};

/* The catalogue index of the RANK-th (1-based) service of category CI. */
static const struct catalogue_service *
category_service(const struct catalogue *cat, size_t ci, int rank)
{
    int r = 0;
    for (size_t i = 0; i < catalogue_n_services(cat); i++) {
        const struct catalogue_service *s = catalogue_service(cat, i);
        if (s->category == ci && ++r == rank)
            return s;
    }
    return NULL;
}

static void
category_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct category *g = s->state;
    const struct catalogue *cat = cat_of(c);
    if (cat == NULL)
        return;
    view_title(v, "%s", catalogue_category(cat, g->index)->title[c->lang]);
    for (int r = 1;; r++) {
        const struct catalogue_service *sv =
            category_service(cat, g->index, r);
        if (sv == NULL)
            break;
        view_add(v, VIEW_OPTION, "%s",
                 catalogue_text(sv, CATALOGUE_TITLE, c->lang));
    }
    view_focus_rank(v, (size_t)g->sel);
    view_hint(v, "%s", T(c, "Enter: hear about it   Escape: back"));
}

static void
category_key(struct screen *s, const struct ctx *c, const struct key *k,
             struct fx_list *fx)
{
    struct category *g = s->state;
    const struct catalogue *cat = cat_of(c);
    int n = cat ? (int)catalogue_category(cat, g->index)->n_services : 0;
    if (screen_menu_key(&g->sel, n, k))
        return;
    if (k->action == ACTION_BACK || k->action == ACTION_DELETE) {
        fx_add(fx, FX_POP);
        return;
    }
    if (k->action == ACTION_SELECT && cat != NULL) {
        const struct catalogue_service *sv =
            category_service(cat, g->index, g->sel);
        if (sv != NULL)
            fx_push(fx, screen_service_new(sv->id));
    }
}

static const struct screen_ops category_ops = {
    .name = "category",
    .help = N_("The services in this group. Choose one with Up and Down and "
               "press Enter to hear all about it."),
    .view = category_view,
    .key = category_key,
};

struct screen *
screen_category_new(size_t index)
{
    struct category *g = xcalloc(1, sizeof *g);
    g->index = index;
    g->sel = 1;
    return screen_new(&category_ops, g);
}

/* --- one service ---------------------------------------------------------- */

struct service {
    char id[CATALOGUE_ID_MAX + 1];
    int sel;
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
    view_add(v, VIEW_OPTION, "%s", T(c, "Apply for this service"));
    view_add(v, VIEW_OPTION, "%s", T(c, "Back to the list"));
    view_focus_rank(v, (size_t)sv->sel);
    view_hint(v, "%s", T(c, "Enter: choose   R: read again   Escape: back"));
}

static void
service_key(struct screen *s, const struct ctx *c, const struct key *k,
            struct fx_list *fx)
{
    struct service *sv = s->state;
    if (screen_menu_key(&sv->sel, 2, k))
        return;
    if (k->action == ACTION_BACK || k->action == ACTION_DELETE ||
        (k->action == ACTION_SELECT && sv->sel == 2)) {
        fx_add(fx, FX_POP);
        return;
    }
    if (k->action != ACTION_SELECT)
        return;
    if (c->svc == NULL || c->svc->ops == NULL || c->svc->problem != NULL) {
        const char *lines[] = {
            T(c, "Applications cannot be taken on this terminal now. "
                 "Please ask a member of staff: they will take your "
                 "application.")};
        if (c->svc != NULL && c->svc->problem != NULL)
            fx_log(fx, "applications unavailable: %s", c->svc->problem);
        fx_push(fx, screen_message_new(T(c, "Apply for this service"), lines,
                                       1));
        return;
    }
    fx_push(fx, screen_apply_new(sv->id));
}

static const struct screen_ops service_ops = {
    .name = "service",
    .help = N_("All about one service: what it is, who can get it, what to "
               "bring, how long it takes and where. R reads it again. "
               "Choose Apply for this service to make an application."),
    .view = service_view,
    .key = service_key,
};

struct screen *
screen_service_new(const char *id)
{
    struct service *sv = xcalloc(1, sizeof *sv);
    snprintf(sv->id, sizeof sv->id, "%s", id);
    sv->sel = 1;
    return screen_new(&service_ops, sv);
}

/* --- status check --------------------------------------------------------- */

#define STATUS_INPUT_MAX 80

enum status_notice {
    SN_NONE,
    SN_SHORT,
    SN_DAMM,
    SN_NOT_FOUND,
    SN_ERROR,
    SN_QR,
};

struct status {
    char input[STATUS_INPUT_MAX + 1]; /* digits, or scanned QR text */
    size_t len;
    enum status_notice notice;
    bool found;
    char number[APPLICATION_NUMBER_LEN + 1];
    enum app_status st;
    int64_t changed_at;
    char service[CATALOGUE_ID_MAX + 1];
    int sel; /* in the result: 1 check another, 2 back */
};

static void
status_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct status *t = s->state;
    char buf[VIEW_TEXT_MAX], when[40];
    if (t->found) {
        view_title(v, "%s", T(c, "Status of your application"));
        char *g = readout_grouped(t->number, 3), *r = readout_digits(t->number,
                                                                     3);
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
        view_add(v, VIEW_OPTION, "%s", T(c, "Check another number"));
        view_add(v, VIEW_OPTION, "%s", T(c, "Back"));
        view_focus_rank(v, (size_t)t->sel);
        view_hint(v, "%s", T(c, "Enter: choose   Escape: back"));
        return;
    }
    view_title(v, "%s", T(c, "Check the status of an application"));
    view_add(v, VIEW_TEXT, "%s",
             T(c, "Type the 9 digits of your application number and press "
                  "Enter, or hold the receipt's QR code to the scanner."));
    bool digits = strspn(t->input, "0123456789") == t->len;
    char *g = digits ? readout_grouped(t->input, 3) : xstrdup(t->input);
    struct view_item *it = view_add(v, VIEW_ENTRY, "%s", g);
    free(g);
    if (t->len == 0)
        snprintf(it->say, sizeof it->say, "%s", T(c, "Nothing entered yet."));
    else if (digits) {
        char *r = readout_digits(t->input, 3);
        snprintf(it->say, sizeof it->say, "%s", r);
        free(r);
    }
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
              T(c, "Digits: type   Backspace: delete   Enter: check   "
                   "Escape: back"));
}

static void
status_clear(struct status *t)
{
    sodium_memzero(t->input, sizeof t->input);
    t->len = 0;
}

/* Takes the number from the input (9 digits, or "dauys-application:
 * CENTRE:NUMBER"); returns false with a notice when it cannot. */
static bool
status_number(struct status *t, const struct ctx *c, char *number)
{
    const char *n = t->input;
    static const char prefix[] = "dauys-application:";
    if (strncmp(t->input, prefix, sizeof prefix - 1) == 0) {
        const char *centre = t->input + sizeof prefix - 1;
        const char *colon = strrchr(centre, ':');
        const char *want = c->svc != NULL && c->svc->centre != NULL
                               ? c->svc->centre
                               : "";
        if (colon == NULL || (size_t)(colon - centre) != strlen(want) ||
            strncmp(centre, want, strlen(want)) != 0) {
            t->notice = SN_QR;
            return false;
        }
        n = colon + 1;
    } else if (strspn(t->input, "0123456789") != t->len) {
        t->notice = SN_QR;
        return false;
    }
    if (strlen(n) != APPLICATION_NUMBER_LEN ||
        strspn(n, "0123456789") != APPLICATION_NUMBER_LEN) {
        t->notice = SN_SHORT;
        return false;
    }
    if (!damm_valid(n)) {
        t->notice = SN_DAMM;
        return false;
    }
    memcpy(number, n, APPLICATION_NUMBER_LEN + 1);
    return true;
}

static void
status_key(struct screen *s, const struct ctx *c, const struct key *k,
           struct fx_list *fx)
{
    struct status *t = s->state;
    if (t->found) {
        if (screen_menu_key(&t->sel, 2, k))
            return;
        bool again = k->action == ACTION_SELECT && t->sel == 1;
        if (k->action == ACTION_SELECT || k->action == ACTION_BACK ||
            k->action == ACTION_DELETE) {
            t->found = false;
            status_clear(t);
            if (!again)
                fx_add(fx, FX_POP);
        }
        return;
    }
    char buf[8];
    switch (k->action) {
    case ACTION_DIGIT:
    case ACTION_CHAR: {
        size_t n = k->action == ACTION_DIGIT ? 1
                                             : utf8_encode(k->codepoint, buf);
        if (k->action == ACTION_DIGIT)
            buf[0] = (char)k->codepoint;
        if (n == 0 || t->len + n > STATUS_INPUT_MAX)
            return;
        memcpy(t->input + t->len, buf, n);
        t->len += n;
        t->input[t->len] = '\0';
        t->notice = SN_NONE;
        if (k->action == ACTION_DIGIT) {
            buf[1] = '\0';
            fx_say(fx, (int)c->lang, buf);
        }
        return;
    }
    case ACTION_DELETE:
        if (t->len == 0) {
            fx_add(fx, FX_POP);
            return;
        }
        while (t->len > 0 && (t->input[t->len - 1] & 0xc0) == 0x80)
            t->len--;
        t->input[--t->len] = '\0';
        t->notice = SN_NONE;
        fx_say(fx, (int)c->lang, T(c, "digit deleted"));
        return;
    case ACTION_BACK:
        status_clear(t);
        fx_add(fx, FX_POP);
        return;
    case ACTION_SELECT:
        break;
    default:
        return;
    }
    char number[APPLICATION_NUMBER_LEN + 1];
    if (!status_number(t, c, number)) {
        status_clear(t);
        return;
    }
    status_clear(t);
    if (c->svc == NULL || c->svc->ops == NULL) {
        t->notice = SN_ERROR;
        return;
    }
    char *why = NULL;
    int rc = c->svc->ops->status(c->svc->ops_ctx, number, &t->st,
                                 &t->changed_at, t->service, &why);
    if (rc == 0) {
        t->found = true;
        t->sel = 1;
        memcpy(t->number, number, sizeof number);
        t->notice = SN_NONE;
    } else if (rc == 1) {
        t->notice = SN_NOT_FOUND;
    } else {
        t->notice = SN_ERROR;
        fx_log(fx, "status check failed: %s", why ? why : "?");
    }
    free(why);
}

static bool
status_text_entry(const struct screen *s)
{
    const struct status *t = s->state;
    return !t->found;
}

static const struct screen_ops status_ops = {
    .name = "status",
    .help = N_("Type the 9 digits of the application number printed on "
               "your receipt and press Enter to hear its status. Backspace "
               "deletes a digit."),
    .view = status_view,
    .key = status_key,
    .typing = status_text_entry,
    .numbering = status_text_entry,
};

struct screen *
screen_status_new(void)
{
    return screen_new(&status_ops, xcalloc(1, sizeof(struct status)));
}
