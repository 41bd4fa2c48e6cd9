/*
 * Staff login and the staff menu.
 *
 * The PIN screen is a masked entry (kiosk/entry.h): digits are dots on
 * screen and never spoken; each is acknowledged with the same neutral
 * words, so a listener learns only how many digits were typed. Wrong PINs
 * feed the guard in the context (staff.h); while login is locked the
 * remaining time is shown and, on any key, spoken. The menu is a table of
 * options by id, where later features hang their staff screens; leaving it
 * logs the staff member out.
 */
#include <stdio.h>
#include <stdlib.h>

#include "accessibility/readout.h"
#include "accessibility/xalloc.h"
#include "kiosk/entry.h"
#include "kiosk/report.h"
#include "kiosk/screen.h"
#include "kiosk/services_call.h"
#include "kiosk/staff.h"

enum login_notice {
    LOGIN_NONE,
    LOGIN_WRONG,
    LOGIN_LOCKED,
    LOGIN_UNLOCKED,
    LOGIN_NO_PIN,
};

struct login {
    struct entry pin; /* masked: shown as dots, never spoken */
    enum login_notice notice;
    unsigned left;   /* attempts left before a lockout */
    unsigned lock_s; /* length of the lockout just started */
    bool was_locked;
};

static void
login_notice_text(const struct login *l, const struct ctx *c, char *buf,
                  size_t size)
{
    char num[16];
    const char *args[1] = {num};
    buf[0] = '\0';
    switch (l->notice) {
    case LOGIN_WRONG:
        snprintf(num, sizeof num, "%u", l->left);
        i18n_format(buf, size,
                    T(c, "Wrong PIN. Attempts left before login is locked: "
                         "{1}."),
                    1, args);
        break;
    case LOGIN_LOCKED:
        snprintf(num, sizeof num, "%u", l->lock_s);
        i18n_format(buf, size,
                    i18n_ntext(c->i18n, c->lang,
                               "Wrong PIN. Login is locked for {1} second.",
                               "Wrong PIN. Login is locked for {1} seconds.",
                               l->lock_s),
                    1, args);
        break;
    case LOGIN_UNLOCKED:
        snprintf(buf, size, "%s", T(c, "You can enter the PIN again."));
        break;
    case LOGIN_NO_PIN:
        snprintf(buf, size, "%s",
                 T(c, "No staff PIN is set on this terminal. Set one with "
                      "the command: dauys staff passwd"));
        break;
    case LOGIN_NONE:
        break;
    }
}

static void
login_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct login *l = s->state;
    char buf[VIEW_TEXT_MAX], num[16];
    view_title(v, "%s", T(c, "Staff login"));
    view_add(v, VIEW_TEXT, "%s",
             T(c, "Enter the staff PIN with the digit keys and press Enter. "
                  "Escape cancels."));
    entry_view(&l->pin, v, NULL);
    unsigned left = staff_guard_remaining(c->guard, c->now_ms);
    if (left > 0) {
        snprintf(num, sizeof num, "%u", left);
        const char *args[] = {num};
        i18n_format(buf, sizeof buf,
                    i18n_ntext(c->i18n, c->lang,
                               "Login is locked. Try again in {1} second.",
                               "Login is locked. Try again in {1} seconds.",
                               left),
                    1, args);
        view_add(v, VIEW_TEXT, "%s", buf)->quiet = true;
    }
    login_notice_text(l, c, buf, sizeof buf);
    view_notice(v, "%s", buf);
    view_hint(v, "%s", T(c, "Enter: log in   Escape: cancel"));
}

static void
login_key(struct screen *s, const struct ctx *c, const struct key *k,
          struct fx_list *fx)
{
    struct login *l = s->state;
    unsigned left = staff_guard_remaining(c->guard, c->now_ms);
    if (k->action == ACTION_BACK) {
        entry_clear(&l->pin);
        fx_add(fx, FX_POP);
        return;
    }
    if (left > 0) {
        char num[16], buf[256];
        l->was_locked = true;
        snprintf(num, sizeof num, "%u", left);
        const char *args[] = {num};
        fx_say(
            fx, (int)c->lang,
            i18n_format(buf, sizeof buf,
                        i18n_ntext(c->i18n, c->lang,
                                   "Login is locked. Try again in {1} second.",
                                   "Login is locked. Try again in {1} seconds.",
                                   left),
                        1, args));
        return;
    }
    switch (entry_key(&l->pin, c, k, fx)) {
    case ENTRY_CHANGED:
    case ENTRY_FULL:
        return;
    case ENTRY_EMPTY: /* Delete with nothing typed: cancel */
        entry_clear(&l->pin);
        fx_add(fx, FX_POP);
        return;
    case ENTRY_IGNORED:
        break;
    }
    if (k->action != ACTION_SELECT)
        return;
    if (c->staff_verify == NULL) {
        l->notice = LOGIN_NO_PIN;
        entry_clear(&l->pin);
        return;
    }
    int role = c->staff_verify(c->staff_verify_ctx, l->pin.text);
    entry_clear(&l->pin);
    if (role >= 0 && role < STAFF_ROLES) {
        staff_guard_success(c->guard);
        fx_audit(fx, "staff login role=%s",
                 staff_role_name((enum staff_role)role));
        fx_replace(fx, screen_staff_menu_new(role));
        return;
    }
    fx_audit(fx, "staff login failed");
    unsigned lock = staff_guard_fail(c->guard, c->now_ms);
    if (lock > 0) {
        l->notice = LOGIN_LOCKED;
        l->lock_s = lock;
        l->was_locked = true;
        fx_audit(fx, "staff login locked for %u s", lock);
    } else {
        l->notice = LOGIN_WRONG;
        l->left = STAFF_FAILURES_BEFORE_LOCK - c->guard->failures;
    }
}

/* The countdown is redrawn every second; when it ends, say so. */
static void
login_tick(struct screen *s, const struct ctx *c, struct fx_list *fx)
{
    struct login *l = s->state;
    (void)fx;
    if (staff_guard_remaining(c->guard, c->now_ms) > 0) {
        l->was_locked = true;
    } else if (l->was_locked) {
        l->was_locked = false;
        l->notice = LOGIN_UNLOCKED;
    }
}

static uint64_t
login_deadline(const struct screen *s, const struct ctx *c)
{
    const struct login *l = s->state;
    uint64_t until = c->guard->locked_until;
    if (until > c->now_ms) {
        uint64_t rem = (until - c->now_ms) % 1000;
        return c->now_ms + (rem != 0 ? rem : 1000);
    }
    return l->was_locked ? c->now_ms : 0;
}

static const struct screen_ops login_ops = {
    .name = "staff-login",
    .help = N_("This screen is for staff. Enter the staff PIN and press "
               "Enter, or press Escape to go back."),
    .staff = true,
    /* The PIN is a number: a keypad's digit keys type it, Back and Delete
     * reach login_key(). */
    .number_entry = true,
    .view = login_view,
    .key = login_key,
    .tick = login_tick,
    .deadline = login_deadline,
    .state_size = sizeof(struct login),
};

struct screen *
screen_staff_login_new(void)
{
    struct login *l = xcalloc(1, sizeof *l);
    entry_init(&l->pin, ENTRY_DIGITS, STAFF_PIN_MAX, 0);
    l->pin.masked = true;
    return screen_new(&login_ops, l);
}

enum staff_option {
    STAFF_ELECTION,
    STAFF_CHECK,
    STAFF_CLOSING,
    STAFF_GUIDE,
    STAFF_APPLICATIONS,
    STAFF_SELFTEST,
    STAFF_SWITCHES,
    STAFF_CONFIGURE,
    STAFF_RETURN,
    STAFF_QUIT,
};

/* Who may do what: the roles (bits) each option is offered to. */
#define ROLE(r) STAFF_ROLE_BIT(STAFF_##r)
static const struct {
    int id;
    const char *text;
    unsigned roles;
    enum kiosk_mode mode; /* offered when the terminal's mode has it */
} staff_options[] = {
    {STAFF_ELECTION, N_("Election package and voting"),
     ROLE(COMMISSION_MEMBER) | ROLE(TECHNICIAN), MODE_VOTING},
    {STAFF_APPLICATIONS, N_("Applications"),
     ROLE(CENTRE_WORKER) | ROLE(TECHNICIAN), MODE_SERVICES},
    {STAFF_SELFTEST, N_("Self-test"), ROLE(TECHNICIAN), MODE_BOTH},
    {STAFF_CONFIGURE, N_("New terminal configuration from the stick"),
     ROLE(TECHNICIAN), MODE_BOTH},
    {STAFF_RETURN, N_("Return to the kiosk"), STAFF_ROLES_ALL, MODE_BOTH},
    {STAFF_QUIT, N_("Quit kiosk"), ROLE(TECHNICIAN), MODE_BOTH},
};
#undef ROLE

struct menu {
    int role; /* enum staff_role of the staff member logged in */
};

void
screen_staff_status(const struct ctx *c, struct view *v)
{
    char buf[VIEW_TEXT_MAX], num[24];
    if (c->station_notice != NULL) {
        const char *args[] = {
            c->station_notice_args[0] ? c->station_notice_args[0] : "",
            c->station_notice_args[1] ? c->station_notice_args[1] : ""};
        view_add(v, VIEW_TEXT, "%s",
                 i18n_format(buf, sizeof buf, T(c, c->station_notice), 2,
                             args));
    }
    if (!c->audit_known) {
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "The audit log cannot be read. Call the technician."));
        return;
    }
    if (c->audit_seq == 0) {
        view_add(v, VIEW_TEXT, "%s", T(c, "Audit log: no entries yet."));
        return;
    }
    snprintf(num, sizeof num, "%llu", (unsigned long long)c->audit_seq);
    const char *tmpl = i18n_ntext(c->i18n, c->lang,
                                  "Audit log: {1} entry, last {2}.",
                                  "Audit log: {1} entries, last {2}.",
                                  (unsigned long)c->audit_seq);
    const char *args[] = {num, c->audit_hash};
    struct view_item *it = view_add(v, VIEW_TEXT, "%s",
                                    i18n_format(buf, sizeof buf, tmpl, 2,
                                                args));
    /* Heard one character at a time, as staff compare it with paper. */
    char *spelled = readout_digits(c->audit_hash, 0);
    const char *said[] = {num, spelled};
    if (it != NULL)
        i18n_format(it->say, sizeof it->say, tmpl, 2, said);
    free(spelled);
}

static const struct menu_item staff_paper[] = {
    {STAFF_CHECK, N_("Check this terminal")},
    {STAFF_CLOSING, N_("Close-of-day report")},
    {STAFF_GUIDE, N_("Staff guide")},
};

static void
menu_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct menu *m = s->state;
    view_title(v, "%s", T(c, "Staff menu"));
    if (c->terminal_id != NULL) {
        const char *loc = c->lang == LANG_KK ? c->location_kk : c->location_ru;
        view_add(v, VIEW_TEXT, "%s: %s, %s", T(c, "Terminal"), c->terminal_id,
                 loc != NULL ? loc : "");
    }
    screen_staff_status(c, v);
    for (size_t i = 0; i < sizeof staff_options / sizeof staff_options[0];
         i++) {
        if ((staff_options[i].roles & STAFF_ROLE_BIT(m->role)) &&
            (staff_options[i].mode & c->mode))
            view_option(v, staff_options[i].id, "%s",
                        T(c, staff_options[i].text));
    }
    /* The test of the switch jack, where switches are configured. */
    if (keyprofile_mode(c->keypad) != KEYPROFILE_KEYS &&
        m->role == STAFF_TECHNICIAN)
        view_option(v, STAFF_SWITCHES, "%s", T(c, "Test the switches"));
    /* The day's paper, after the entries whose places staff already know. */
    SCREEN_MENU(c, v, staff_paper);
    view_hint(v, "%s", T(c, "Enter: choose   Escape: back to the kiosk"));
}

/* Back, or Return to the kiosk: the staff member logs out. */
static void
menu_logout(struct fx_list *fx)
{
    fx_audit(fx, "staff logout");
    fx_add(fx, FX_POP);
}

static void
menu_back(struct screen *s, const struct ctx *c, const struct key *k,
          struct fx_list *fx)
{
    (void)s;
    (void)c;
    (void)k;
    menu_logout(fx);
}

static void
menu_choose(struct screen *s, const struct ctx *c, int id, struct fx_list *fx)
{
    (void)s;
    switch ((enum staff_option)id) {
    case STAFF_ELECTION:
        fx_push(fx, screen_station_menu_new());
        break;
    case STAFF_CHECK:
        fx_audit(fx, "check started");
        fx_push(fx, screen_check_new(c));
        break;
    case STAFF_CLOSING:
        fx_push(fx, screen_station_report_path_new(REPORT_CLOSING, NULL));
        break;
    case STAFF_GUIDE:
        fx_push(fx, screen_station_guide_new());
        break;
    case STAFF_APPLICATIONS: {
        /* The list asks the store for its rows once it is on top. */
        struct services_call *first = NULL;
        fx_push(fx, screen_applications_new(&first));
        fx_services(fx, first);
        break;
    }
    case STAFF_SELFTEST:
        fx_audit(fx, "self-test");
        fx_add(fx, FX_SELFTEST);
        break;
    case STAFF_SWITCHES:
        fx_audit(fx, "switch test");
        fx_push(fx, screen_switch_check_new(true));
        break;
    case STAFF_CONFIGURE:
        fx_add(fx, FX_CONFIGURE);
        break;
    case STAFF_RETURN:
        menu_logout(fx);
        break;
    case STAFF_QUIT:
        fx_audit(fx, "staff quit the kiosk");
        fx_add(fx, FX_QUIT);
        break;
    }
}

static const struct screen_ops menu_ops = {
    .name = "staff-menu",
    .help = N_("Staff menu. Choose an action with the Up and Down keys and "
               "press Enter. Escape returns to the kiosk."),
    .staff = true,
    .view = menu_view,
    .choose = menu_choose,
    .back = menu_back,
    .state_size = sizeof(struct menu),
};

struct screen *
screen_staff_menu_new(int role)
{
    struct menu *m = xcalloc(1, sizeof *m);
    m->role = role >= 0 && role < STAFF_ROLES ? role : STAFF_CENTRE_WORKER;
    return screen_new(&menu_ops, m);
}
