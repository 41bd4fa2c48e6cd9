/*
 * Staff login and the staff menu.
 *
 * The PIN screen masks digits on screen and never speaks them: each digit
 * is acknowledged with the same neutral words, so a listener learns only
 * how many digits were typed. Wrong PINs feed the guard in the context
 * (staff.h); while login is locked the remaining time is shown and, on any
 * key, spoken. The menu is where later features hang their staff screens.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "accessibility/xalloc.h"
#include "kiosk/screen.h"
#include "kiosk/staff.h"

enum login_notice {
    LOGIN_NONE,
    LOGIN_WRONG,
    LOGIN_LOCKED,
    LOGIN_UNLOCKED,
    LOGIN_NO_PIN,
};

struct login {
    char pin[STAFF_PIN_MAX + 1];
    size_t len;
    enum login_notice notice;
    unsigned left;      /* attempts left before a lockout */
    unsigned lock_s;    /* length of the lockout just started */
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
                    T(c, "Wrong PIN. Login is locked for {1} seconds."), 1,
                    args);
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
    char mask[STAFF_PIN_MAX * 4 + 1] = "";
    for (size_t i = 0; i < l->len; i++)
        strcat(mask, "●");
    view_add(v, VIEW_ENTRY, "%s", mask)->quiet = true;
    unsigned left = staff_guard_remaining(c->guard, c->now_ms);
    if (left > 0) {
        snprintf(num, sizeof num, "%u", left);
        const char *args[] = {num};
        i18n_format(buf, sizeof buf,
                    T(c, "Login is locked. Try again in {1} seconds."), 1,
                    args);
        view_add(v, VIEW_TEXT, "%s", buf)->quiet = true;
    }
    login_notice_text(l, c, buf, sizeof buf);
    view_notice(v, "%s", buf);
    view_hint(v, "%s", T(c, "Enter: log in   Escape: cancel"));
}

static void
login_wipe(struct login *l)
{
    sodium_memzero(l->pin, sizeof l->pin);
    l->len = 0;
}

static void
login_key(struct screen *s, const struct ctx *c, const struct key *k,
          struct fx_list *fx)
{
    struct login *l = s->state;
    unsigned left = staff_guard_remaining(c->guard, c->now_ms);
    if (k->action == ACTION_BACK) {
        login_wipe(l);
        fx_add(fx, FX_POP);
        return;
    }
    if (left > 0) {
        char num[16], buf[256];
        l->was_locked = true;
        snprintf(num, sizeof num, "%u", left);
        const char *args[] = {num};
        fx_say(fx, (int)c->lang,
               i18n_format(buf, sizeof buf,
                           T(c, "Login is locked. Try again in {1} seconds."),
                           1, args));
        return;
    }
    switch (k->action) {
    case ACTION_DIGIT:
        if (l->len < STAFF_PIN_MAX) {
            l->pin[l->len++] = (char)k->codepoint;
            fx_say(fx, (int)c->lang, T(c, "digit entered"));
        }
        return;
    case ACTION_DELETE:
        if (l->len > 0) {
            l->pin[--l->len] = '\0';
            fx_say(fx, (int)c->lang, T(c, "digit deleted"));
        } else {
            login_wipe(l);
            fx_add(fx, FX_POP);
        }
        return;
    case ACTION_SELECT:
        break;
    default:
        return;
    }
    if (c->staff_verify == NULL) {
        l->notice = LOGIN_NO_PIN;
        login_wipe(l);
        return;
    }
    bool ok = c->staff_verify(c->staff_verify_ctx, l->pin);
    login_wipe(l);
    if (ok) {
        staff_guard_success(c->guard);
        fx_audit(fx, "staff login");
        fx_replace(fx, screen_staff_menu_new());
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

static void
login_free(void *state)
{
    struct login *l = state;
    login_wipe(l);
    free(l);
}

static const struct screen_ops login_ops = {
    .name = "staff-login",
    .help = N_("This screen is for staff. Enter the staff PIN and press "
               "Enter, or press Escape to go back."),
    .staff = true,
    .view = login_view,
    .key = login_key,
    .tick = login_tick,
    .deadline = login_deadline,
    .free = login_free,
};

struct screen *
screen_staff_login_new(void)
{
    return screen_new(&login_ops, xcalloc(1, sizeof(struct login)));
}

struct staff_menu {
    int sel;
};

enum staff_entry {
    STAFF_ELECTION,
    STAFF_APPLICATIONS,
    STAFF_SELFTEST,
    STAFF_RETURN,
    STAFF_QUIT,
    STAFF_N
};

static const char *const staff_entries[STAFF_N] = {
    N_("Election package and voting"),
    N_("Applications"),
    N_("Self-test"),
    N_("Return to the kiosk"),
    N_("Quit kiosk"),
};

static void
menu_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct staff_menu *m = s->state;
    view_title(v, "%s", T(c, "Staff menu"));
    for (int i = 0; i < STAFF_N; i++)
        view_add(v, VIEW_OPTION, "%s", T(c, staff_entries[i]));
    view_focus_rank(v, (size_t)m->sel);
    view_hint(v, "%s", T(c, "Enter: choose   Escape: back to the kiosk"));
}

static void
menu_key(struct screen *s, const struct ctx *c, const struct key *k,
         struct fx_list *fx)
{
    struct staff_menu *m = s->state;
    if (screen_menu_key(&m->sel, STAFF_N, k))
        return;
    if (k->action == ACTION_BACK) {
        fx_audit(fx, "staff logout");
        fx_add(fx, FX_POP);
        return;
    }
    if (k->action != ACTION_SELECT)
        return;
    switch ((enum staff_entry)(m->sel - 1)) {
    case STAFF_ELECTION:
        fx_push(fx, screen_station_menu_new());
        break;
    case STAFF_APPLICATIONS:
        fx_push(fx, screen_applications_new(c));
        break;
    case STAFF_SELFTEST:
        fx_add(fx, FX_SELFTEST);
        break;
    case STAFF_RETURN:
        fx_audit(fx, "staff logout");
        fx_add(fx, FX_POP);
        break;
    case STAFF_QUIT:
        fx_audit(fx, "staff quit the kiosk");
        fx_add(fx, FX_QUIT);
        break;
    case STAFF_N:
        break;
    }
}

static const struct screen_ops menu_ops = {
    .name = "staff-menu",
    .help = N_("Staff menu. Choose an action with the Up and Down keys and "
               "press Enter. Escape returns to the kiosk."),
    .staff = true,
    .view = menu_view,
    .key = menu_key,
};

struct screen *
screen_staff_menu_new(void)
{
    struct staff_menu *m = xcalloc(1, sizeof *m);
    m->sel = 1;
    return screen_new(&menu_ops, m);
}
