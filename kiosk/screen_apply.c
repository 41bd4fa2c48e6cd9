/*
 * Ten Qogam: applying for a service, one step at a time.
 *
 * Steps: IIN → phone → name (only when a keyboard is attached; never
 * required) → disability group → how to be contacted → in which language
 * → consent → review → submit. One screen holds the whole application, so
 * Escape goes back a step without losing anything; every step has its own
 * title, so arriving at a step reads it whole. Digits are echoed one by
 * one as they are typed and read back in groups through readout.c.
 *
 * The IIN's check digit is verified; a failing number (or a business
 * number, 5th digit 4-6) asks to re-enter, and after the second failure
 * the visitor may continue with the number flagged for staff: never a
 * dead end. Submitting calls the store through the context; the number is
 * announced only when it returned success, on the receipt screen (largest
 * text, groups of three, QR code). Everything personal is wiped with
 * sodium_memzero when the screen is freed: when the visitor finishes,
 * cancels, or the idle timeout ends the session.
 */
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/readout.h"
#include "accessibility/utf8.h"
#include "accessibility/xalloc.h"
#include "kiosk/screen.h"
#include "kiosk/services.h"

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
    char entry[IIN_LEN + 1]; /* digits being typed (IIN or phone) */
    size_t len;
    char rejected[IIN_LEN + 1]; /* the last IIN that failed its check */
    int iin_failures;
    bool iin_done;
    enum notice notice;
    const char *name_problem; /* message id, with NOTE_NAME */
    int sel;                  /* focused option on choice steps */
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
        yo += (size_t)snprintf(say + yo, yo < sysize ? sysize - yo : 0,
                               ", %s", r);
        free(r);
    }
}

/* "061 211 600 012" with underscores for digits still to come. */
static void
iin_text(const char *d, char *show, size_t size)
{
    char full[IIN_LEN + 1];
    size_t n = strlen(d);
    memcpy(full, d, n);
    memset(full + n, '_', IIN_LEN - n);
    full[IIN_LEN] = '\0';
    size_t o = 0;
    for (int i = 0; i < IIN_LEN && o + 2 < size; i++) {
        if (i > 0 && i % 3 == 0)
            show[o++] = ' ';
        show[o++] = full[i];
    }
    show[o] = '\0';
}

static const char *
say_digits(const char *d, size_t group, char *out, size_t size)
{
    char *r = readout_digits(d, group);
    snprintf(out, size, "%s", r);
    sodium_memzero(r, strlen(r));
    free(r);
    return out;
}

/* --- steps ---------------------------------------------------------------- */

static enum step
step_next(const struct apply *p, const struct ctx *c, enum step s)
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
    (void)p;
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

/* Opens step S with what was entered before. */
static void
step_enter(struct apply *p, enum step s)
{
    sodium_memzero(p->entry, sizeof p->entry);
    p->len = 0;
    p->notice = NOTE_NONE;
    p->step = s;
    p->sel = 1;
    switch (s) {
    case STEP_IIN:
        if (p->iin_done && !p->a.iin_flagged) {
            memcpy(p->entry, p->a.iin, IIN_LEN + 1);
            p->len = IIN_LEN;
        }
        break;
    case STEP_PHONE:
        p->len = strlen(p->a.phone);
        memcpy(p->entry, p->a.phone, p->len + 1);
        break;
    case STEP_GROUP:
        p->sel = (int)p->a.group + 1;
        break;
    case STEP_CONTACT:
        p->sel = (int)p->a.contact + 1;
        break;
    case STEP_CONTACT_LANG:
        p->sel = (int)p->a.contact_lang + 1;
        break;
    default:
        break;
    }
}

static int
step_options(enum step s)
{
    switch (s) {
    case STEP_IIN_FAILED:
        return 2;
    case STEP_GROUP:
        return GROUP_COUNT;
    case STEP_CONTACT:
        return CONTACT_COUNT;
    case STEP_CONTACT_LANG:
        return LANG_COUNT;
    case STEP_CONSENT:
        return 2;
    case STEP_REVIEW:
        return 3;
    default:
        return 0;
    }
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
        return T(c, "The application could not be saved because the "
                    "terminal is busy. Nothing was saved. Press Enter to try "
                    "again in a minute, or ask a member of staff.");
    case NOTE_SAVE_ERROR:
        return T(c, "The application could not be saved because of a fault "
                    "in the terminal. Nothing was saved. Please ask a member "
                    "of staff; they can take your application.");
    case NOTE_NONE:
        break;
    }
    return "";
}

static void
apply_view_iin(const struct apply *p, const struct ctx *c, struct view *v)
{
    char show[64], say[VIEW_TEXT_MAX];
    view_title(v, "%s", T(c, "Your IIN"));
    view_add(v, VIEW_TEXT, "%s",
             T(c, "Type the 12 digits of your individual identification "
                  "number (IIN) and press Enter. Backspace deletes a "
                  "digit."));
    iin_text(p->entry, show, sizeof show);
    struct view_item *it = view_add(v, VIEW_ENTRY, "%s", show);
    if (p->len == 0)
        snprintf(it->say, sizeof it->say, "%s", T(c, "Nothing entered yet."));
    else
        snprintf(it->say, sizeof it->say, "%s",
                 say_digits(p->entry, 3, say, sizeof say));
    sodium_memzero(say, sizeof say);
    sodium_memzero(show, sizeof show);
    view_hint(v, "%s",
              T(c, "Digits: type   Backspace: delete   Enter: next   "
                   "Escape: back"));
}

static void
apply_view_phone(const struct apply *p, const struct ctx *c, struct view *v)
{
    char show[64], say[256];
    view_title(v, "%s", T(c, "Your phone number"));
    view_add(v, VIEW_TEXT, "%s",
             T(c, "Type the 10 digits of your phone number after +7 and "
                  "press Enter. Staff will use it to contact you."));
    phone_text(p->entry, show, sizeof show, say, sizeof say);
    struct view_item *it = view_add(v, VIEW_ENTRY, "%s", show);
    snprintf(it->say, sizeof it->say, "%s",
             p->len == 0 ? T(c, "Nothing entered yet.") : say);
    sodium_memzero(say, sizeof say);
    sodium_memzero(show, sizeof show);
    view_hint(v, "%s",
              T(c, "Digits: type   Backspace: delete   Enter: next   "
                   "Escape: back"));
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
    iin_text(p->a.iin, show, sizeof show);
    args[0] = show;
    it = view_add(v, VIEW_TEXT, "%s",
                  i18n_format(buf, sizeof buf, T(c, "IIN: {1}"), 1, args));
    args[0] = say_digits(p->a.iin, 3, say, sizeof say);
    i18n_format(it->say, sizeof it->say, T(c, "IIN: {1}"), 1, args);
    if (p->a.iin_flagged)
        view_add(v, VIEW_TEXT, "%s", T(c, "Staff will confirm the IIN."));
    phone_text(p->a.phone, show, sizeof show, say, sizeof say);
    args[0] = show;
    it = view_add(v, VIEW_TEXT, "%s",
                  i18n_format(buf, sizeof buf, T(c, "Phone: {1}"), 1, args));
    args[0] = say;
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
    view_add(v, VIEW_OPTION, "%s", T(c, "Send the application"));
    view_add(v, VIEW_OPTION, "%s", T(c, "Go back and change something"));
    view_add(v, VIEW_OPTION, "%s", T(c, "Cancel the application"));
    sodium_memzero(buf, sizeof buf);
    sodium_memzero(say, sizeof say);
    sodium_memzero(show, sizeof show);
}

static void
apply_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct apply *p = s->state;
    char buf[VIEW_TEXT_MAX];
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
        view_add(v, VIEW_OPTION, "%s", T(c, "Type the IIN again"));
        view_add(v, VIEW_OPTION, "%s",
                 T(c, "Continue; staff will confirm the number"));
        break;
    case STEP_PHONE:
        apply_view_phone(p, c, v);
        break;
    case STEP_NAME: {
        view_title(v, "%s", T(c, "Your name (you may skip this)"));
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "You may type your name on the keyboard. It is not "
                      "required: press Enter to continue without it."));
        struct view_item *it = view_add(v, VIEW_ENTRY, "%s", p->a.name);
        if (p->a.name[0] == '\0')
            snprintf(it->say, sizeof it->say, "%s",
                     T(c, "Nothing entered yet."));
        view_hint(v, "%s",
                  T(c, "Letters: type   Backspace: delete   Enter: next   "
                       "Escape: back"));
        break;
    }
    case STEP_GROUP:
        view_title(v, "%s", T(c, "Your disability group"));
        for (int g = 0; g < GROUP_COUNT; g++)
            view_add(v, VIEW_OPTION, "%s",
                     T(c, application_group_name((enum disability_group)g)));
        break;
    case STEP_CONTACT:
        view_title(v, "%s", T(c, "How should staff contact you?"));
        for (int m = 0; m < CONTACT_COUNT; m++)
            view_add(v, VIEW_OPTION, "%s",
                     T(c, application_contact_name((enum contact_method)m)));
        break;
    case STEP_CONTACT_LANG:
        view_title(v, "%s", T(c, "In which language?"));
        for (int l = 0; l < LANG_COUNT; l++)
            view_add(v, VIEW_OPTION, "%s", lang_native_name((enum lang)l));
        break;
    case STEP_CONSENT: {
        char days[16];
        snprintf(days, sizeof days, "%u",
                 c->svc != NULL ? c->svc->retention_days : 0);
        const char *args[] = {days};
        view_title(v, "%s", T(c, "Your consent"));
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "What is stored: your IIN, your phone number, your "
                      "name if you typed it, the service, your disability "
                      "group and how to contact you."));
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "Why: so that the centre's staff can deal with your "
                      "application and contact you about it."));
        view_add(v, VIEW_TEXT, "%s",
                 i18n_format(buf, sizeof buf,
                             T(c, "For how long: {1} days. Then it is "
                                  "deleted."),
                             1, args));
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "Who sees it: the staff of this Ten Qogam centre, and "
                      "the department of employment and social programmes "
                      "if your application is sent there."));
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "Your IIN, phone number and name are stored "
                      "encrypted. Nothing is stored if you do not agree."));
        view_add(v, VIEW_OPTION, "%s", T(c, "I agree"));
        view_add(v, VIEW_OPTION, "%s",
                 T(c, "I do not agree: cancel the application"));
        break;
    }
    case STEP_REVIEW:
        apply_view_review(p, c, v);
        break;
    }
    if (step_options(p->step) > 0) {
        view_focus_rank(v, (size_t)p->sel);
        view_hint(v, "%s", T(c, "Enter: choose   Escape: back"));
    }
    view_notice(v, "%s", notice_text(p, c));
}

/* --- keys ------------------------------------------------------------------- */

static void
apply_digit(struct apply *p, const struct ctx *c, const struct key *k,
            size_t max, struct fx_list *fx)
{
    if (p->len >= max) {
        p->notice = NOTE_TOO_LONG;
        return;
    }
    p->entry[p->len++] = (char)k->codepoint;
    p->entry[p->len] = '\0';
    p->notice = NOTE_NONE;
    char d[2] = {(char)k->codepoint, '\0'};
    fx_say(fx, (int)c->lang, d);
    if (p->len == max) {
        char say[256], buf[512];
        const char *args[1];
        if (p->step == STEP_PHONE) {
            char show[64];
            phone_text(p->entry, show, sizeof show, say, sizeof say);
            sodium_memzero(show, sizeof show);
        } else {
            say_digits(p->entry, 3, say, sizeof say);
        }
        args[0] = say;
        fx_say(fx, (int)c->lang,
               i18n_format(buf, sizeof buf,
                           T(c, "You typed {1}. Press Enter if it is "
                                "right."),
                           1, args));
        sodium_memzero(say, sizeof say);
        sodium_memzero(buf, sizeof buf);
    }
}

static void
apply_iin_enter(struct apply *p, const struct ctx *c)
{
    (void)c;
    if (p->len < IIN_LEN) {
        p->notice = NOTE_IIN_SHORT;
        return;
    }
    enum iin_result r = iin_check(p->entry);
    if (r == IIN_OK) {
        memcpy(p->a.iin, p->entry, IIN_LEN + 1);
        p->a.iin_flagged = false;
        p->iin_done = true;
        p->iin_failures = 0;
        step_enter(p, step_next(p, c, STEP_IIN));
        return;
    }
    memcpy(p->rejected, p->entry, IIN_LEN + 1);
    sodium_memzero(p->entry, sizeof p->entry);
    p->len = 0;
    if (++p->iin_failures >= 2) {
        step_enter(p, STEP_IIN_FAILED);
        return;
    }
    p->notice = r == IIN_BUSINESS ? NOTE_IIN_BUSINESS : NOTE_IIN_CHECK;
}

static void
apply_name_char(struct apply *p, const struct ctx *c, const struct key *k,
                struct fx_list *fx)
{
    char u[5] = "";
    size_t n = utf8_encode(k->codepoint, u);
    size_t len = strlen(p->a.name);
    if (n == 0)
        return;
    if (len + n > APPLICATION_NAME_MAX) {
        p->notice = NOTE_TOO_LONG;
        return;
    }
    memcpy(p->a.name + len, u, n);
    p->a.name[len + n] = '\0';
    p->notice = NOTE_NONE;
    fx_say(fx, (int)c->lang, k->codepoint == ' ' ? T(c, "space") : u);
}

/* Removes the last character (code point) of the name. */
static bool
name_delete(char *name)
{
    size_t len = strlen(name);
    if (len == 0)
        return false;
    while (len > 0 && (name[len - 1] & 0xc0) == 0x80)
        name[--len] = '\0';
    if (len > 0)
        name[--len] = '\0';
    return true;
}

static void apply_submit(struct apply *p, const struct ctx *c,
                         struct fx_list *fx);

static void
apply_choose(struct apply *p, const struct ctx *c, struct fx_list *fx)
{
    switch (p->step) {
    case STEP_IIN_FAILED:
        if (p->sel == 1) {
            p->iin_failures = 1; /* one more try, then this choice again */
            step_enter(p, STEP_IIN);
            return;
        }
        memcpy(p->a.iin, p->rejected, IIN_LEN + 1);
        p->a.iin_flagged = true;
        p->iin_done = true;
        fx_log(fx, "application: IIN flagged for staff");
        step_enter(p, step_next(p, c, STEP_IIN));
        return;
    case STEP_GROUP:
        p->a.group = (enum disability_group)(p->sel - 1);
        break;
    case STEP_CONTACT:
        p->a.contact = (enum contact_method)(p->sel - 1);
        break;
    case STEP_CONTACT_LANG:
        p->a.contact_lang = (enum lang)(p->sel - 1);
        break;
    case STEP_CONSENT:
        if (p->sel == 2) {
            const char *lines[] = {
                T(c, "You did not agree, so nothing was stored. The "
                     "application is cancelled.")};
            fx_replace(fx, screen_message_new(T(c, "Application cancelled"),
                                              lines, 1));
            return;
        }
        break;
    case STEP_REVIEW:
        if (p->sel == 1) {
            apply_submit(p, c, fx);
        } else if (p->sel == 2) {
            step_enter(p, step_prev(c, STEP_REVIEW));
        } else {
            const char *lines[] = {
                T(c, "Nothing was stored. The application is cancelled.")};
            fx_replace(fx, screen_message_new(T(c, "Application cancelled"),
                                              lines, 1));
        }
        return;
    default:
        return;
    }
    step_enter(p, step_next(p, c, p->step));
}

static void
apply_key(struct screen *s, const struct ctx *c, const struct key *k,
          struct fx_list *fx)
{
    struct apply *p = s->state;
    int n = step_options(p->step);
    if (n > 0 && screen_menu_key(&p->sel, n, k))
        return;
    if (k->action == ACTION_BACK ||
        (k->action == ACTION_DELETE &&
         ((p->step != STEP_IIN && p->step != STEP_PHONE &&
           p->step != STEP_NAME) ||
          (p->step == STEP_NAME ? p->a.name[0] == '\0' : p->len == 0)))) {
        if (p->step == STEP_IIN) {
            fx_add(fx, FX_POP); /* the screen is freed and wiped */
            return;
        }
        if (p->step == STEP_PHONE) {
            /* keep what was typed, complete or not */
            memcpy(p->a.phone, p->entry, p->len + 1);
        }
        step_enter(p, p->step == STEP_IIN_FAILED ? STEP_IIN
                                                 : step_prev(c, p->step));
        return;
    }
    switch (p->step) {
    case STEP_IIN:
    case STEP_PHONE: {
        size_t max = p->step == STEP_IIN ? IIN_LEN : APPLICATION_PHONE_LEN;
        if (k->action == ACTION_DIGIT) {
            apply_digit(p, c, k, max, fx);
        } else if (k->action == ACTION_DELETE) {
            p->entry[--p->len] = '\0';
            p->notice = NOTE_NONE;
            fx_say(fx, (int)c->lang, T(c, "digit deleted"));
        } else if (k->action == ACTION_SELECT) {
            if (p->step == STEP_IIN) {
                apply_iin_enter(p, c);
            } else if (p->len != APPLICATION_PHONE_LEN) {
                p->notice = NOTE_PHONE;
            } else {
                memcpy(p->a.phone, p->entry, p->len + 1);
                step_enter(p, step_next(p, c, STEP_PHONE));
            }
        }
        return;
    }
    case STEP_NAME:
        if (k->action == ACTION_CHAR || k->action == ACTION_DIGIT) {
            apply_name_char(p, c, k, fx);
        } else if (k->action == ACTION_DELETE) {
            name_delete(p->a.name);
            p->notice = NOTE_NONE;
            fx_say(fx, (int)c->lang, T(c, "deleted"));
        } else if (k->action == ACTION_SELECT) {
            p->name_problem = application_name_problem(p->a.name);
            if (p->name_problem != NULL)
                p->notice = NOTE_NAME;
            else
                step_enter(p, step_next(p, c, STEP_NAME));
        }
        return;
    default:
        if (k->action == ACTION_SELECT)
            apply_choose(p, c, fx);
        return;
    }
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

static void
apply_free(void *state)
{
    struct apply *p = state;
    sodium_memzero(p, sizeof *p);
    free(p);
}

static const struct screen_ops apply_ops = {
    .name = "apply",
    .help = N_("Applying for a service, one step at a time. Escape goes "
               "back one step and keeps what you entered. Digits are read "
               "back to you. Nothing is stored until you send the "
               "application at the end."),
    .view = apply_view,
    .key = apply_key,
    .typing = apply_text_entry,
    .numbering = apply_number_entry,
    .free = apply_free,
};

struct screen *
screen_apply_new(const char *service_id)
{
    struct apply *p = xcalloc(1, sizeof *p);
    snprintf(p->a.service, sizeof p->a.service, "%s", service_id);
    p->a.group = GROUP_UNKNOWN;
    p->a.contact = CONTACT_CALL;
    step_enter(p, STEP_IIN);
    return screen_new(&apply_ops, p);
}

/* --- after submission: the number ----------------------------------------- */

struct submitted {
    char number[APPLICATION_NUMBER_LEN + 1];
    char centre[64];
    bool printed;
    int sel;
};

/* Appends the QR code of TEXT as rows of half blocks (two modules a
 * character cell, a quiet zone of two modules), shown but not read. */
static void
qr_rows(struct view *v, const char *text)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (q == NULL)
        return;
    int w = q->width, m = 2, size = w + 2 * m;
    for (int y = 0; y < size; y += 2) {
        char row[VIEW_TEXT_MAX];
        size_t o = 0;
        for (int x = 0; x < size && o + 4 < sizeof row; x++) {
            bool top = false, bottom = false;
            int mx = x - m, my = y - m;
            if (mx >= 0 && mx < w && my >= 0 && my < w)
                top = q->data[my * w + mx] & 1;
            if (mx >= 0 && mx < w && my + 1 >= 0 && my + 1 < w)
                bottom = q->data[(my + 1) * w + mx] & 1;
            /* Light modules are drawn, dark ones left blank, so that on
             * the kiosk's dark background the code reads as dark on
             * light. No-break spaces keep the row from wrapping. */
            const char *cell = !top && !bottom  ? "█"
                               : !top           ? "▀"
                               : !bottom        ? "▄"
                                                : "\u00a0";
            size_t cl = strlen(cell);
            memcpy(row + o, cell, cl);
            o += cl;
        }
        row[o] = '\0';
        struct view_item *it = view_add(v, VIEW_TEXT, "%s", row);
        if (it != NULL)
            it->quiet = true;
    }
    QRcode_free(q);
}

static void
submitted_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct submitted *d = s->state;
    char *g = readout_grouped(d->number, 3), *r = readout_digits(d->number, 3);
    char qr[128];
    view_title(v, "%s", T(c, "Your application is saved"));
    view_add(v, VIEW_TEXT, "%s", T(c, "Your application number is:"));
    struct view_item *it = view_add(v, VIEW_BIG, "%s", g);
    snprintf(it->say, sizeof it->say, "%s", r);
    if (d->printed) {
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "Your receipt with this number is printed. Please "
                      "take it from the printer."));
    } else {
        const char *args[] = {r};
        char buf[VIEW_TEXT_MAX];
        it = view_add(v, VIEW_TEXT, "%s",
                      T(c, "The receipt could not be printed. Please write "
                           "the number down, or ask a member of staff to "
                           "write it for you."));
        i18n_format(it->say, sizeof it->say,
                    T(c, "The receipt could not be printed. Please write the "
                         "number down, or ask a member of staff to write it "
                         "for you. The number is {1}."),
                    1, args);
        (void)buf;
        view_notice(v, "%s",
                    T(c, "Staff: the receipt printer is not working."));
    }
    view_add(v, VIEW_TEXT, "%s",
             T(c, "With this number you can check the status of your "
                  "application here or at the centre."));
    snprintf(qr, sizeof qr, "dauys-application:%s:%s", d->centre, d->number);
    qr_rows(v, qr);
    view_add(v, VIEW_OPTION, "%s", T(c, "Hear the number again"));
    view_add(v, VIEW_OPTION, "%s", T(c, "Finish"));
    view_focus_rank(v, (size_t)d->sel);
    view_hint(v, "%s", T(c, "Enter: choose   R: repeat"));
    free(g);
    free(r);
}

static void
submitted_key(struct screen *s, const struct ctx *c, const struct key *k,
              struct fx_list *fx)
{
    struct submitted *d = s->state;
    if (screen_menu_key(&d->sel, 2, k))
        return;
    if (k->action == ACTION_SELECT && d->sel == 1) {
        char *r = readout_digits(d->number, 3);
        const char *args[] = {r};
        char buf[256];
        fx_say(fx, (int)c->lang,
               i18n_format(buf, sizeof buf,
                           T(c, "Your application number is {1}."), 1,
                           args));
        free(r);
        return;
    }
    if (k->action == ACTION_SELECT || k->action == ACTION_BACK)
        fx_add(fx, FX_HOME);
}

static const struct screen_ops submitted_ops = {
    .name = "submitted",
    .help = N_("Your application is saved. The number is shown in large "
               "digits and as a QR code. Choose Hear the number again, or "
               "Finish to end your visit."),
    .view = submitted_view,
    .key = submitted_key,
};

/* Sends the application; on success replaces this screen with the number
 * and prints the receipt. */
static void
apply_submit(struct apply *p, const struct ctx *c, struct fx_list *fx)
{
    char number[APPLICATION_NUMBER_LEN + 1] = "", *why = NULL;
    int64_t created = 0;
    p->a.ui_lang = c->lang;
    if (c->svc == NULL || c->svc->ops == NULL) {
        p->notice = NOTE_SAVE_ERROR;
        return;
    }
    int rc = c->svc->ops->submit(c->svc->ops_ctx, &p->a, number, &created,
                                 &why);
    if (rc != 0) {
        p->notice = rc == STORE_FULL   ? NOTE_SAVE_FULL
                    : rc == STORE_BUSY ? NOTE_SAVE_BUSY
                                       : NOTE_SAVE_ERROR;
        fx_log(fx, "application not saved: %s", why ? why : "?");
        free(why);
        return;
    }
    fx_log(fx, "application saved");
    struct submitted *d = xcalloc(1, sizeof *d);
    memcpy(d->number, number, sizeof number);
    snprintf(d->centre, sizeof d->centre, "%s",
             c->svc->centre ? c->svc->centre : "");
    d->sel = 2;
    struct receipt r = {
        .number = number,
        .centre = d->centre,
        .service = services_title(c->svc, p->a.service, c->lang),
        .lang = c->lang,
        .created_at = created,
    };
    d->printed = c->svc->ops->print != NULL &&
                 c->svc->ops->print(c->svc->ops_ctx, &r, &why) == 0;
    if (!d->printed) {
        fx_log(fx, "receipt not printed: %s", why ? why : "no printer");
        free(why);
    }
    application_wipe(&p->a);
    fx_replace(fx, screen_new(&submitted_ops, d));
}
