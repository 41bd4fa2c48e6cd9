/*
 * Ten Qogam: applying for a service, one step at a time.
 *
 * Steps: IIN → phone → name (only when a keyboard is attached; never
 * required) → disability group → how to be contacted → in which language
 * → consent → review → submit. One screen holds the whole application, so
 * Escape goes back a step without losing anything; every step has its own
 * title, so arriving at a step reads it whole. The IIN, the phone number
 * and the name are entries (entry.h): digits are echoed one by one as
 * they are typed and read back in groups through readout.c. The choices
 * are options with ids; arriving at a step puts the focus on what was
 * chosen there before.
 *
 * The IIN's check digit is verified; a failing number (or a business
 * number, 5th digit 4-6) asks to re-enter, and after the second failure
 * the visitor may continue with the number flagged for staff: never a
 * dead end. Sending returns an FX_SERVICES SUBMIT call; the number is
 * announced only when its answer (reply()) says the application is
 * stored. Then this screen gives way to the saved screen (largest text,
 * groups of three, QR code) and asks for the receipt with a PRINT call,
 * whose answer comes to the saved screen: a printer that fails changes
 * what the screen says about the receipt, never whether the number is
 * shown and said. Everything personal is wiped with sodium_memzero when
 * the application is stored, and when the screen is freed: when the
 * visitor finishes, cancels, or the idle timeout ends the session.
 */
#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/readout.h"
#include "accessibility/xalloc.h"
#include "kiosk/entry.h"
#include "kiosk/qrtext.h"
#include "kiosk/screen.h"
#include "kiosk/services.h"
#include "kiosk/services_call.h"

enum step {
    STEP_IIN,
    STEP_IIN_FAILED,
    STEP_PHONE,
    STEP_NAME,
    STEP_GROUP,
    STEP_CONTACT,
    STEP_CONTACT_LANG,
    STEP_CONSENT,
    STEP_REVIEW,
};

/* Option ids; a choice among values is its base plus the value. */
enum apply_option {
    OPT_IIN_AGAIN,
    OPT_IIN_CONTINUE,
    OPT_AGREE,
    OPT_DISAGREE,
    OPT_SEND,
    OPT_CHANGE,
    OPT_CANCEL,
    OPT_READ_AGAIN,    /* consent: read it again (the first focus) */
    OPT_GROUP = 100,   /* + enum disability_group */
    OPT_CONTACT = 200, /* + enum contact_method */
    OPT_LANG = 300,    /* + enum lang */
};

enum notice {
    NOTE_NONE,
    NOTE_IIN_SHORT,
    NOTE_IIN_BUSINESS,
    NOTE_IIN_CHECK,
    NOTE_PHONE,
    NOTE_NAME,
    NOTE_SAVE_FULL,
    NOTE_SAVE_BUSY,
    NOTE_SAVE_ERROR,
    NOTE_TOO_LONG,
};

struct apply {
    struct application a;
    enum step step;
    struct entry iin;   /* 12 digits, shown with "_" for those to come */
    struct entry phone; /* the 10 digits after +7 */
    struct entry name;  /* typed on a keyboard, may stay empty */
    char rejected[IIN_LEN + 1]; /* the last IIN that failed its check */
    int iin_failures;
    enum notice notice;
    const char *name_problem; /* message id, with NOTE_NAME */
};

/* --- readouts ------------------------------------------------------------ */

/* Shows "+7 701 234 56 78"; says "+7, 7 0 1, 2 3 4, 5 6, 7 8". */
static void
phone_text(const char *d, char *show, size_t ssize, char *say, size_t sysize)
{
    static const int groups[] = {3, 3, 2, 2};
    size_t k = 0, n = strlen(d), so, yo;
    so = (size_t)snprintf(show, ssize, "+7");
    yo = (size_t)snprintf(say, sysize, "+7");
    for (int g = 0; g < 4 && k < n; g++) {
        char part[4] = "";
        size_t take = n - k < (size_t)groups[g] ? n - k : (size_t)groups[g];
        memcpy(part, d + k, take);
        part[take] = '\0';
        k += take;
        char *r = readout_digits(part, 0);
        so += (size_t)snprintf(show + so, so < ssize ? ssize - so : 0, " %s",
                               part);
        yo += (size_t)snprintf(say + yo, yo < sysize ? sysize - yo : 0, ", %s",
                               r);
        sodium_memzero(r, strlen(r));
        free(r);
    }
}

/* Frees a readout of personal digits, wiped first. */
static void
readout_free(char *r)
{
    if (r != NULL)
        sodium_memzero(r, strlen(r));
    free(r);
}

/* --- steps ---------------------------------------------------------------- */

static enum step
step_next(const struct ctx *c, enum step s)
{
    switch (s) {
    case STEP_IIN:
    case STEP_IIN_FAILED:
        return STEP_PHONE;
    case STEP_PHONE:
        return c->svc != NULL && c->svc->keyboard ? STEP_NAME : STEP_GROUP;
    case STEP_NAME:
        return STEP_GROUP;
    case STEP_GROUP:
        return STEP_CONTACT;
    case STEP_CONTACT:
        return STEP_CONTACT_LANG;
    case STEP_CONTACT_LANG:
        return STEP_CONSENT;
    case STEP_CONSENT:
    case STEP_REVIEW:
        return STEP_REVIEW;
    }
    return STEP_REVIEW;
}

static enum step
step_prev(const struct ctx *c, enum step s)
{
    switch (s) {
    case STEP_PHONE:
        return STEP_IIN;
    case STEP_NAME:
        return STEP_PHONE;
    case STEP_GROUP:
        return c->svc != NULL && c->svc->keyboard ? STEP_NAME : STEP_PHONE;
    case STEP_CONTACT:
        return STEP_GROUP;
    case STEP_CONTACT_LANG:
        return STEP_CONTACT;
    case STEP_CONSENT:
        return STEP_CONTACT_LANG;
    case STEP_REVIEW:
        return STEP_CONSENT;
    default:
        return STEP_IIN;
    }
}

/* The option focused on arriving at step S: what was chosen there before,
 * else the first; -1 for a step without options. */
static int
step_focus(const struct apply *p, enum step s)
{
    switch (s) {
    case STEP_IIN_FAILED:
        return OPT_IIN_AGAIN;
    case STEP_GROUP:
        return OPT_GROUP + (int)p->a.group;
    case STEP_CONTACT:
        return OPT_CONTACT + (int)p->a.contact;
    case STEP_CONTACT_LANG:
        return OPT_LANG + (int)p->a.contact_lang;
    case STEP_CONSENT:
        /* Never "I agree": an Enter meant to stop the reading gives no
         * consent. */
        return OPT_READ_AGAIN;
    case STEP_REVIEW:
        return OPT_SEND;
    default:
        return -1;
    }
}

/* Opens step S; the entries keep what was typed before. */
static void
step_enter(struct apply *p, enum step s, struct fx_list *fx)
{
    p->notice = NOTE_NONE;
    p->step = s;
    int id = step_focus(p, s);
    if (id >= 0)
        fx_focus(fx, id);
}

static const char *
notice_text(const struct apply *p, const struct ctx *c)
{
    switch (p->notice) {
    case NOTE_IIN_SHORT:
        return T(c, "An IIN has 12 digits. Please type all of them.");
    case NOTE_IIN_BUSINESS:
        return T(c, "This looks like a business number (BIN): its fifth "
                    "digit is 4, 5 or 6. Please type your personal IIN.");
    case NOTE_IIN_CHECK:
        return T(c, "This IIN does not pass the check: a digit may be "
                    "wrong. Please type it again.");
    case NOTE_PHONE:
        return T(c, "After +7 a phone number has 10 digits.");
    case NOTE_NAME:
        return T(c, p->name_problem);
    case NOTE_TOO_LONG:
        return T(c, "No more characters fit.");
    case NOTE_SAVE_FULL:
        return T(c, "The application could not be saved: the terminal's "
                    "storage is full. Nothing was saved. Please tell a "
                    "member of staff; they can take your application.");
    case NOTE_SAVE_BUSY:
        return T(c,
                 "The application could not be saved because the terminal is "
                 "busy. Nothing was saved. Press {select} to try again in a "
                 "minute, or ask a member of staff.");
    case NOTE_SAVE_ERROR:
        return T(c, "The application could not be saved because of a fault "
                    "in the terminal. Nothing was saved. Please ask a member "
                    "of staff; they can take your application.");
    case NOTE_NONE:
        break;
    }
    return "";
}

/* --- views ---------------------------------------------------------------- */

static void
apply_view_iin(const struct apply *p, const struct ctx *c, struct view *v)
{
    view_title(v, "%s", T(c, "Your IIN"));
    view_add(v, VIEW_TEXT, "%s",
             T(c, "Type the 12 digits of your individual identification number "
                  "(IIN) and press {select}. {delete} deletes a digit."));
    entry_view(&p->iin, v, T(c, "Nothing entered yet."));
    view_hint(v, "%s",
              T(c, "Digits: type   {delete}: delete   {select}: next   {back}: "
                   "back"));
}

static void
apply_view_phone(const struct apply *p, const struct ctx *c, struct view *v)
{
    char show[64], say[256];
    view_title(v, "%s", T(c, "Your phone number"));
    view_add(v, VIEW_TEXT, "%s",
             T(c, "Type the 10 digits of your phone number after +7 and press "
                  "{select}. Staff will use it to contact you."));
    phone_text(p->phone.text, show, sizeof show, say, sizeof say);
    struct view_item *it = view_add(v, VIEW_ENTRY, "%s", show);
    if (it != NULL)
        snprintf(it->say, sizeof it->say, "%s",
                 p->phone.count == 0 ? T(c, "Nothing entered yet.") : say);
    sodium_memzero(say, sizeof say);
    sodium_memzero(show, sizeof show);
    view_hint(v, "%s",
              T(c, "Digits: type   {delete}: delete   {select}: next   {back}: "
                   "back"));
}

static void
apply_view_name(const struct apply *p, const struct ctx *c, struct view *v)
{
    view_title(v, "%s", T(c, "Your name (you may skip this)"));
    view_add(v, VIEW_TEXT, "%s",
             T(c, "You may type your name on the keyboard. It is not required: "
                  "press {select} to continue without it."));
    entry_view(&p->name, v, T(c, "Nothing entered yet."));
    view_hint(v, "%s",
              T(c,
                "Letters: type   {delete}: delete   {select}: next   {back}: "
                "back"));
}

/* What the visitor agrees to, paragraph by paragraph; NULL stands for
 * how long it is kept, which has a number in it. */
static const char *const consent_text[] = {
    N_("What is stored: your IIN, your phone number, your name if you typed "
       "it, the service, your disability group and how to contact you."),
    N_("Why: so that the centre's staff can deal with your application and "
       "contact you about it."),
    NULL,
    N_("Who sees it: the staff of this Ten Qogam centre, and the department "
       "of employment and social programmes if your application is sent "
       "there."),
    N_("Your IIN, phone number and name are stored encrypted. Nothing is "
       "stored if you do not agree."),
};

#define N_CONSENT (sizeof consent_text / sizeof *consent_text)

/* Paragraph I of the consent text, in BUF when it needs formatting. */
static const char *
consent_paragraph(const struct ctx *c, size_t i, char *buf, size_t size)
{
    char days[16];
    snprintf(days, sizeof days, "%u",
             c->svc != NULL ? c->svc->retention_days : 0);
    const char *args[] = {days};
    return consent_text[i] != NULL
               ? T(c, consent_text[i])
               : i18n_format(buf, size,
                             i18n_ntext(c->i18n, c->lang,
                                        "For how long: {1} day. Then it is "
                                        "deleted.",
                                        "For how long: {1} days. Then it is "
                                        "deleted.",
                                        c->svc != NULL ? c->svc->retention_days
                                                       : 0),
                             1, args);
}

/* The consent: the focus starts on "Read again", so that consent is given
 * only by moving to "I give my consent" and choosing it. */
static void
apply_view_consent(const struct ctx *c, struct view *v)
{
    char buf[VIEW_TEXT_MAX];
    view_title(v, "%s", T(c, "Your consent"));
    for (size_t i = 0; i < N_CONSENT; i++)
        view_add(v, VIEW_TEXT, "%s", consent_paragraph(c, i, buf, sizeof buf));
    view_option(v, OPT_READ_AGAIN, "%s", T(c, "Read again"));
    view_option(v, OPT_AGREE, "%s", T(c, "I give my consent"));
    view_option(v, OPT_DISAGREE, "%s",
                T(c, "I do not give my consent: cancel the application"));
}

static void
apply_view_review(const struct apply *p, const struct ctx *c, struct view *v)
{
    char buf[VIEW_TEXT_MAX], say[VIEW_TEXT_MAX], show[64];
    struct view_item *it;
    const char *args[2];
    view_title(v, "%s", T(c, "Check your application"));
    args[0] = services_title(c->svc, p->a.service, c->lang);
    view_add(v, VIEW_TEXT, "%s",
             i18n_format(buf, sizeof buf, T(c, "Service: {1}"), 1, args));
    char *g = readout_grouped(p->a.iin, 3), *r = readout_digits(p->a.iin, 3);
    args[0] = g;
    it = view_add(v, VIEW_TEXT, "%s",
                  i18n_format(buf, sizeof buf, T(c, "IIN: {1}"), 1, args));
    args[0] = r;
    if (it != NULL)
        i18n_format(it->say, sizeof it->say, T(c, "IIN: {1}"), 1, args);
    readout_free(g);
    readout_free(r);
    if (p->a.iin_flagged)
        view_add(v, VIEW_TEXT, "%s", T(c, "Staff will confirm the IIN."));
    phone_text(p->a.phone, show, sizeof show, say, sizeof say);
    args[0] = show;
    it = view_add(v, VIEW_TEXT, "%s",
                  i18n_format(buf, sizeof buf, T(c, "Phone: {1}"), 1, args));
    args[0] = say;
    if (it != NULL)
        i18n_format(it->say, sizeof it->say, T(c, "Phone: {1}"), 1, args);
    if (p->a.name[0] != '\0') {
        args[0] = p->a.name;
        view_add(v, VIEW_TEXT, "%s",
                 i18n_format(buf, sizeof buf, T(c, "Name: {1}"), 1, args));
    }
    args[0] = T(c, application_group_name(p->a.group));
    view_add(v, VIEW_TEXT, "%s",
             i18n_format(buf, sizeof buf, T(c, "Disability group: {1}"), 1,
                         args));
    args[0] = T(c, application_contact_name(p->a.contact));
    args[1] = lang_native_name(p->a.contact_lang);
    view_add(v, VIEW_TEXT, "%s",
             i18n_format(buf, sizeof buf, T(c, "Contact: {1}, in {2}"), 2,
                         args));
    view_option(v, OPT_SEND, "%s", T(c, "Send the application"));
    view_option(v, OPT_CHANGE, "%s", T(c, "Go back and change something"));
    view_option(v, OPT_CANCEL, "%s", T(c, "Cancel the application"));
    sodium_memzero(buf, sizeof buf);
    sodium_memzero(say, sizeof say);
    sodium_memzero(show, sizeof show);
}

static void
apply_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct apply *p = s->state;
    switch (p->step) {
    case STEP_IIN:
        apply_view_iin(p, c, v);
        break;
    case STEP_IIN_FAILED:
        view_title(v, "%s", T(c, "The IIN did not pass the check"));
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "The IIN still does not pass the check. You can type "
                      "it again, or continue: a member of staff will "
                      "confirm the number."));
        view_option(v, OPT_IIN_AGAIN, "%s", T(c, "Type the IIN again"));
        view_option(v, OPT_IIN_CONTINUE, "%s",
                    T(c, "Continue; staff will confirm the number"));
        break;
    case STEP_PHONE:
        apply_view_phone(p, c, v);
        break;
    case STEP_NAME:
        apply_view_name(p, c, v);
        break;
    case STEP_GROUP:
        view_title(v, "%s", T(c, "Your disability group"));
        for (int g = 0; g < GROUP_COUNT; g++)
            view_option(v, OPT_GROUP + g, "%s",
                        T(c, application_group_name((enum disability_group)g)));
        break;
    case STEP_CONTACT:
        view_title(v, "%s", T(c, "How should staff contact you?"));
        for (int m = 0; m < CONTACT_COUNT; m++)
            view_option(v, OPT_CONTACT + m, "%s",
                        T(c, application_contact_name((enum contact_method)m)));
        break;
    case STEP_CONTACT_LANG:
        view_title(v, "%s", T(c, "In which language?"));
        for (int l = 0; l < LANG_COUNT; l++)
            view_option(v, OPT_LANG + l, "%s", lang_native_name((enum lang)l));
        break;
    case STEP_CONSENT:
        apply_view_consent(c, v);
        break;
    case STEP_REVIEW:
        apply_view_review(p, c, v);
        break;
    }
    if (step_focus(p, p->step) >= 0) {
        v->initial = step_focus(p, p->step);
        view_hint(v, "%s", T(c, "{select}: choose   {back}: back"));
    }
    view_notice(v, "%s", notice_text(p, c));
}

/* --- keys ------------------------------------------------------------------- */

/* Back: one step back, keeping everything entered; from the first step
 * the application is closed (and wiped when freed). */
static void
apply_back(struct screen *s, const struct ctx *c, const struct key *k,
           struct fx_list *fx)
{
    (void)k;
    struct apply *p = s->state;
    if (p->step == STEP_IIN) {
        fx_add(fx, FX_POP);
        return;
    }
    step_enter(p, p->step == STEP_IIN_FAILED ? STEP_IIN : step_prev(c, p->step),
               fx);
}

static void
apply_iin_enter(struct apply *p, const struct ctx *c, struct fx_list *fx)
{
    if (p->iin.count < IIN_LEN) {
        p->notice = NOTE_IIN_SHORT;
        return;
    }
    enum iin_result r = iin_check(p->iin.text);
    if (r == IIN_OK) {
        memcpy(p->a.iin, p->iin.text, IIN_LEN + 1);
        p->a.iin_flagged = false;
        p->iin_failures = 0;
        step_enter(p, step_next(c, STEP_IIN), fx);
        return;
    }
    memcpy(p->rejected, p->iin.text, IIN_LEN + 1);
    entry_clear(&p->iin);
    if (++p->iin_failures >= 2) {
        step_enter(p, STEP_IIN_FAILED, fx);
        return;
    }
    p->notice = r == IIN_BUSINESS ? NOTE_IIN_BUSINESS : NOTE_IIN_CHECK;
}

/* Enter in a field: checks it and goes on. */
static void
apply_field_enter(struct apply *p, const struct ctx *c, struct fx_list *fx)
{
    switch (p->step) {
    case STEP_IIN:
        apply_iin_enter(p, c, fx);
        return;
    case STEP_PHONE:
        if (p->phone.count != APPLICATION_PHONE_LEN) {
            p->notice = NOTE_PHONE;
            return;
        }
        memcpy(p->a.phone, p->phone.text, APPLICATION_PHONE_LEN + 1);
        step_enter(p, step_next(c, STEP_PHONE), fx);
        return;
    case STEP_NAME:
        p->name_problem = application_name_problem(p->name.text);
        if (p->name_problem != NULL) {
            p->notice = NOTE_NAME;
            return;
        }
        assert(p->name.len <= APPLICATION_NAME_MAX); /* its max_bytes */
        memcpy(p->a.name, p->name.text, p->name.len + 1);
        step_enter(p, step_next(c, STEP_NAME), fx);
        return;
    default:
        return;
    }
}

/* Says the whole number once the field holding it is full. */
static void
apply_typed(const struct apply *p, const struct ctx *c, struct fx_list *fx)
{
    char say[256], show[64], buf[512];
    if (p->step == STEP_PHONE)
        phone_text(p->phone.text, show, sizeof show, say, sizeof say);
    else
        entry_say(&p->iin, say, sizeof say);
    const char *args[] = {say};
    fx_say(fx, (int)c->lang,
           i18n_format(buf, sizeof buf,
                       T(c, "You typed {1}. Press {select} if it is right."), 1,
                       args));
    sodium_memzero(say, sizeof say);
    sodium_memzero(show, sizeof show);
    sodium_memzero(buf, sizeof buf);
}

static void
apply_field_key(struct screen *s, const struct ctx *c, const struct key *k,
                struct fx_list *fx)
{
    struct apply *p = s->state;
    struct entry *e = p->step == STEP_IIN     ? &p->iin
                      : p->step == STEP_PHONE ? &p->phone
                                              : &p->name;
    if (k->action == ACTION_BACK) {
        apply_back(s, c, k, fx);
        return;
    }
    switch (entry_key(e, c, k, fx)) {
    case ENTRY_CHANGED:
        p->notice = NOTE_NONE;
        if (k->action != ACTION_DELETE && e->kind == ENTRY_DIGITS &&
            entry_full(e))
            apply_typed(p, c, fx);
        return;
    case ENTRY_FULL:
        p->notice = NOTE_TOO_LONG;
        return;
    case ENTRY_EMPTY: /* Delete on an empty field goes back too */
        apply_back(s, c, k, fx);
        return;
    case ENTRY_IGNORED:
        if (k->action == ACTION_SELECT)
            apply_field_enter(p, c, fx);
        return;
    }
}

/* Sends the application: the answer comes to apply_reply(). */
static void
apply_submit(struct apply *p, const struct ctx *c, struct fx_list *fx)
{
    p->a.ui_lang = c->lang;
    struct services_call *call = services_call_new(SERVICES_SUBMIT);
    call->app = p->a;
    fx_services(fx, call);
}

static void
apply_cancelled(const struct ctx *c, const char *why, struct fx_list *fx)
{
    const char *lines[] = {T(c, why)};
    fx_replace(fx, screen_message_new(T(c, "Application cancelled"), lines, 1));
}

static void
apply_choose(struct apply *p, const struct ctx *c, int id, struct fx_list *fx)
{
    if (id >= OPT_GROUP && id < OPT_GROUP + GROUP_COUNT &&
        p->step == STEP_GROUP) {
        p->a.group = (enum disability_group)(id - OPT_GROUP);
    } else if (id >= OPT_CONTACT && id < OPT_CONTACT + CONTACT_COUNT &&
               p->step == STEP_CONTACT) {
        p->a.contact = (enum contact_method)(id - OPT_CONTACT);
    } else if (id >= OPT_LANG && id < OPT_LANG + LANG_COUNT &&
               p->step == STEP_CONTACT_LANG) {
        p->a.contact_lang = (enum lang)(id - OPT_LANG);
    } else {
        switch ((enum apply_option)id) {
        case OPT_IIN_AGAIN:
            p->iin_failures = 1; /* one more try, then this choice again */
            step_enter(p, STEP_IIN, fx);
            return;
        case OPT_IIN_CONTINUE:
            memcpy(p->a.iin, p->rejected, IIN_LEN + 1);
            p->a.iin_flagged = true;
            fx_log(fx, "application: IIN flagged for staff");
            break;
        case OPT_READ_AGAIN: {
            char buf[VIEW_TEXT_MAX];
            for (size_t i = 0; i < N_CONSENT; i++)
                fx_say(fx, (int)c->lang,
                       consent_paragraph(c, i, buf, sizeof buf));
            return;
        }
        case OPT_AGREE:
            break;
        case OPT_DISAGREE:
            apply_cancelled(c,
                            N_("You did not agree, so nothing was stored. "
                               "The application is cancelled."),
                            fx);
            return;
        case OPT_SEND:
            apply_submit(p, c, fx);
            return;
        case OPT_CHANGE:
            step_enter(p, step_prev(c, STEP_REVIEW), fx);
            return;
        case OPT_CANCEL:
            apply_cancelled(c,
                            N_("Nothing was stored. The application is "
                               "cancelled."),
                            fx);
            return;
        default:
            return;
        }
    }
    step_enter(p, step_next(c, p->step), fx);
}

static void
apply_key(struct screen *s, const struct ctx *c, const struct key *k,
          struct fx_list *fx)
{
    struct apply *p = s->state;
    switch (p->step) {
    case STEP_IIN:
    case STEP_PHONE:
    case STEP_NAME:
        apply_field_key(s, c, k, fx);
        return;
    default:
        if (k->action == ACTION_SELECT)
            apply_choose(p, c, k->option, fx);
        return;
    }
}

static struct screen *submitted_new(const struct ctx *c,
                                    const struct services_call *call,
                                    struct fx_list *fx);

/* The store's answer to SUBMIT: a notice when nothing was saved; else the
 * saved screen replaces this one, and the receipt is asked for. */
static void
apply_reply(struct screen *s, const struct ctx *c, struct services_call *call,
            struct fx_list *fx)
{
    struct apply *p = s->state;
    if (call->op != SERVICES_SUBMIT)
        return;
    if (call->rc != 0) {
        p->notice = call->rc == STORE_FULL   ? NOTE_SAVE_FULL
                    : call->rc == STORE_BUSY ? NOTE_SAVE_BUSY
                                             : NOTE_SAVE_ERROR;
        fx_log(fx, "application not saved: %s",
               call->why != NULL ? call->why : "?");
        return;
    }
    fx_log(fx, "application saved");
    struct screen *saved = submitted_new(c, call, fx);
    application_wipe(&p->a);
    entry_clear(&p->iin);
    entry_clear(&p->phone);
    entry_clear(&p->name);
    sodium_memzero(p->rejected, sizeof p->rejected);
    /* In this order: the saved screen is on top when the printer's answer
     * comes back. */
    fx_replace(fx, saved);
    struct services_call *print = services_call_new(SERVICES_PRINT);
    memcpy(print->number, call->number, sizeof print->number);
    snprintf(print->centre, sizeof print->centre, "%s",
             c->svc != NULL && c->svc->centre != NULL ? c->svc->centre : "");
    snprintf(print->service, sizeof print->service, "%s",
             services_title(c->svc, call->app.service, c->lang));
    print->lang = c->lang;
    print->created_at = call->created_at;
    fx_services(fx, print);
}

static bool
apply_text_entry(const struct screen *s)
{
    const struct apply *p = s->state;
    return p->step == STEP_NAME;
}

static bool
apply_number_entry(const struct screen *s)
{
    const struct apply *p = s->state;
    return p->step == STEP_IIN || p->step == STEP_PHONE;
}

static const struct screen_ops apply_ops = {
    .name = "apply",
    .help = N_("Applying for a service, one step at a time. {back} goes back "
               "one step and keeps what you entered. Digits are read back to "
               "you. Nothing is stored until you send the application at the "
               "end."),
    .view = apply_view,
    .key = apply_key,
    .reply = apply_reply,
    .back = apply_back,
    .typing = apply_text_entry,
    .numbering = apply_number_entry,
    .state_size = sizeof(struct apply),
};

struct screen *
screen_apply_new(const char *service_id)
{
    struct apply *p = xcalloc(1, sizeof *p);
    snprintf(p->a.service, sizeof p->a.service, "%s", service_id);
    p->a.group = GROUP_UNKNOWN;
    p->a.contact = CONTACT_CALL;
    entry_init(&p->iin, ENTRY_DIGITS, IIN_LEN, 3);
    p->iin.slots = true;
    entry_init(&p->phone, ENTRY_DIGITS, APPLICATION_PHONE_LEN, 0);
    entry_init(&p->name, ENTRY_TEXT, APPLICATION_NAME_MAX, 0);
    p->name.max_bytes = APPLICATION_NAME_MAX;
    p->step = STEP_IIN;
    return screen_new(&apply_ops, p);
}

/* --- after submission: the number ----------------------------------------- */

enum saved_option { SAVED_AGAIN, SAVED_FINISH };

struct submitted {
    char number[APPLICATION_NUMBER_LEN + 1];
    struct qrtext qr; /* application_qr_text; no lines when it failed */
    /* The receipt: asked for after the number is shown and spoken. */
    enum { RECEIPT_PRINTING, RECEIPT_PRINTED, RECEIPT_FAILED } receipt;
};

static void
submitted_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct submitted *d = s->state;
    char *g = readout_grouped(d->number, 3), *r = readout_digits(d->number, 3);
    view_title(v, "%s", T(c, "Your application is saved"));
    view_add(v, VIEW_TEXT, "%s", T(c, "Your application number is:"));
    struct view_item *it = view_add(v, VIEW_BIG, "%s", g);
    if (it != NULL)
        snprintf(it->say, sizeof it->say, "%s", r);
    if (d->receipt == RECEIPT_PRINTING) {
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "Your receipt with this number is being printed."));
    } else if (d->receipt == RECEIPT_PRINTED) {
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "Your receipt with this number is printed. Please "
                      "take it from the printer."));
    } else {
        const char *args[] = {r};
        it = view_add(v, VIEW_TEXT, "%s",
                      T(c, "The receipt could not be printed. Please write "
                           "the number down, or ask a member of staff to "
                           "write it for you."));
        if (it != NULL)
            i18n_format(it->say, sizeof it->say,
                        T(c, "The receipt could not be printed. Please write "
                             "the number down, or ask a member of staff to "
                             "write it for you. The number is {1}."),
                        1, args);
        view_notice(v, "%s",
                    T(c, "Staff: the receipt printer is not working."));
    }
    /* The options before the QR code, so that the number and the focus
     * stay on a small screen whatever becomes of the code below them. */
    view_option(v, SAVED_AGAIN, "%s", T(c, "Hear the number again"));
    view_option(v, SAVED_FINISH, "%s", T(c, "Finish"));
    v->initial = SAVED_FINISH;
    view_add(v, VIEW_TEXT, "%s",
             T(c, "With this number you can check the status of your "
                  "application here or at the centre."));
    for (int i = 0; i < d->qr.n_lines; i++)
        view_add(v, VIEW_BLOCK, "%s", d->qr.lines[i]);
    view_hint(v, "%s", T(c, "{select}: choose   {repeat}: repeat"));
    free(g);
    free(r);
}

static void
submitted_key(struct screen *s, const struct ctx *c, const struct key *k,
              struct fx_list *fx)
{
    const struct submitted *d = s->state;
    if (k->action != ACTION_SELECT)
        return;
    switch ((enum saved_option)k->option) {
    case SAVED_AGAIN: {
        char *r = readout_digits(d->number, 3);
        const char *args[] = {r};
        char buf[256];
        fx_say(fx, (int)c->lang,
               i18n_format(buf, sizeof buf,
                           T(c, "Your application number is {1}."), 1, args));
        free(r);
        return;
    }
    case SAVED_FINISH:
        fx_add(fx, FX_HOME);
        return;
    }
}

static void
submitted_back(struct screen *s, const struct ctx *c, const struct key *k,
               struct fx_list *fx)
{
    (void)k;
    (void)s;
    (void)c;
    fx_add(fx, FX_HOME);
}

/* The printer's answer, which comes after the number was shown and
 * spoken: the screen says whether the receipt came out, and a printer
 * fault is told to the visitor (with the number again), to staff (the
 * notice) and to the log. The application stays saved either way. */
static void
submitted_reply(struct screen *s, const struct ctx *c,
                struct services_call *call, struct fx_list *fx)
{
    struct submitted *d = s->state;
    if (call->op != SERVICES_PRINT)
        return;
    d->receipt = call->rc == 0 ? RECEIPT_PRINTED : RECEIPT_FAILED;
    if (d->receipt == RECEIPT_PRINTED) {
        fx_say(fx, (int)c->lang,
               T(c, "Your receipt with this number is printed. Please "
                    "take it from the printer."));
        return;
    }
    char *r = readout_digits(d->number, 3), buf[512];
    const char *args[] = {r};
    fx_say(fx, (int)c->lang,
           i18n_format(buf, sizeof buf,
                       T(c, "The receipt could not be printed. Please write "
                            "the number down, or ask a member of staff to "
                            "write it for you. The number is {1}."),
                       1, args));
    free(r);
    fx_log(fx, "receipt not printed: %s",
           call->why != NULL ? call->why : "no printer");
}

static void
submitted_release(void *state)
{
    struct submitted *d = state;
    qrtext_free(&d->qr);
}

static const struct screen_ops submitted_ops = {
    .name = "submitted",
    .help = N_("Your application is saved. The number is shown in large "
               "digits and as a QR code. Choose Hear the number again, or "
               "Finish to end your visit."),
    .view = submitted_view,
    .key = submitted_key,
    .reply = submitted_reply,
    .back = submitted_back,
    .release = submitted_release,
    .state_size = sizeof(struct submitted),
};

/* The saved screen for the number in CALL (a stored SUBMIT), with its QR
 * code drawn once; the caller owns it. */
static struct screen *
submitted_new(const struct ctx *c, const struct services_call *call,
              struct fx_list *fx)
{
    struct submitted *d = xcalloc(1, sizeof *d);
    char text[128], *why = NULL;
    memcpy(d->number, call->number, sizeof d->number);
    if (application_qr_text(c->svc != NULL && c->svc->centre != NULL
                                ? c->svc->centre
                                : "",
                            d->number, text, sizeof text) < 0)
        fx_log(fx, "no QR code on the saved screen: the centre's name is "
                   "too long");
    else if (qrtext_make(text, &d->qr, &why) < 0)
        fx_log(fx, "no QR code on the saved screen: %s", why);
    free(why);
    return screen_new(&submitted_ops, d);
}
