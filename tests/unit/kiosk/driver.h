/*
 * The headless driver: the whole app (screen stack, help, speech settings,
 * idle timeout) fed keys without a terminal, a speech engine or real time.
 * Keys go in through the keyboard profile (or a keypad profile, or by
 * action); what comes out is read back: the effects of the last key (the
 * FX_SAY texts and the rest), the view model, and a transcript of
 * everything the app said since the driver started it.
 *
 * Every kiosk unit test and the kiosk benchmark drive the app through this
 * one file (the Makefile links every tests/unit/kiosk/ file that is not a
 * test_*.c into them). It depends on the app's public header only, and not
 * on cmocka: a setup that cannot work (a profile that does not load) is
 * told on stderr and aborts, and every query returns a value for the test
 * to assert on.
 *
 * The clock is injected: it starts at 1,000,000 ms and each key moves it
 * by key_ms, so that idle timeouts and lockouts are tested without waiting.
 * The struct is open on purpose: tests read `app` (app_lang(), app_view()),
 * `out` (the effects of the last key) and `now`, and may move `now` or
 * call the app themselves with `out`.
 */
#ifndef DAUYS_TESTS_UNIT_KIOSK_DRIVER_H
#define DAUYS_TESTS_UNIT_KIOSK_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accessibility/action.h"
#include "accessibility/keymap.h"
#include "kiosk/app.h"
#include "kiosk/layout.h"

/* How the app is set up. A zero field takes the default given beside it,
 * except first_lang, which every caller sets (0 is LANG_KK). */
struct driver_options {
    enum kiosk_mode mode;       /* 0: MODE_BOTH */
    int first_lang;             /* enum lang, or -1: the welcome offers kk+ru */
    const char *pin;            /* the right staff PIN; NULL: none is set */
    const char *keypad;         /* path of a key profile to load; NULL: none */
    const struct services *svc; /* NULL: services not set up */
    /* 0: no idle timeout */
    unsigned idle_warning_s, idle_grace_s;
    int max_text_size;         /* 0: text size 1 only */
    const char *localedir;     /* NULL: "build/locale" (run from the tree) */
    unsigned key_ms;           /* clock step per key; 0: 100 */
    unsigned scan_interval_ms; /* one-switch scanning; 0: the app's 2000 */
    /* Further PINs by role (enum staff_role); PIN itself opens the
     * technician's menu. */
    const char *role_pins[STAFF_ROLES];
    bool unconfigured; /* app_options.unconfigured */
    int volume;        /* [speech] volume, 1..10; 0: the default */
};

struct driver {
    struct app *app;
    struct i18n *i18n;
    struct keyprofile *keypad; /* NULL unless options.keypad was given */
    struct fx_list out;        /* effects of the last key, tick or start */
    uint64_t now;              /* the injected clock, monotonic ms */
    unsigned key_ms;
    const char *pin;
    int role; /* the role PIN opens: STAFF_TECHNICIAN */
    const char *role_pins[STAFF_ROLES];
    /* The transcript: every FX_SAY text, each followed by a newline. */
    char *spoken;
    size_t spoken_len, spoken_cap;
};

/*
 * Returns a new driver with the app started at the welcome screen; `out`
 * holds the announcement of that screen. Catalogues that do not load are
 * replaced by an empty set (msgids, i.e. English), with a message on
 * stderr; a keypad profile that does not load aborts. The caller frees the
 * driver with driver_free(). O's strings and svc must outlive the driver.
 */
struct driver *driver_new(const struct driver_options *o);

/* Frees D, its app and what the driver loaded; the transcript is wiped
 * first, since it may hold a voter's choice. NULL is a no-op. */
void driver_free(struct driver *d);

/* Keys. Each drops the effects of earlier keys, moves the clock by key_ms,
 * hands one key to the app and adds what it said to the transcript. */

/* Presses the key K (from any profile). */
void driver_key(struct driver *d, const struct key *k);
/* Presses the terminal key TK (CP: the code point of TERM_KEY_CHAR). */
void driver_press(struct driver *d, enum term_key tk, unsigned cp);
/* Presses the character CP on the keyboard. */
void driver_char(struct driver *d, unsigned cp);
/* Presses Enter. */
void driver_enter(struct driver *d);
/* Types the UTF-8 string S, one key per code point (aborts on a byte that
 * is not UTF-8). */
void driver_type(struct driver *d, const char *s);
/* Types S, then presses Enter (a PIN, an IIN, a path). */
void driver_enter_text(struct driver *d, const char *s);
/* Presses the key with evdev CODE on the loaded keypad (aborts when the
 * driver has no keypad). */
void driver_pad(struct driver *d, unsigned code);

/*
 * The first terminal key (special keys, then the characters from space to
 * '~') whose keyboard action is ACTION, in *K. Returns false, *K
 * untouched, when no key of the keyboard profile has that action.
 */
bool driver_key_for(enum action action, struct key *k);
/* Presses the keyboard key of ACTION (see driver_key_for()); returns false
 * and presses nothing when there is none. */
bool driver_action(struct driver *d, enum action action);

/* Lets time pass until MS: the app gets every tick it asks for on the way,
 * each at its deadline; `out` holds what they did. */
void driver_wait_until(struct driver *d, uint64_t ms);

/* Shows and speaks the notice MSGID (app_notice()) at the current time;
 * `out` holds only its effects. */
void driver_notice(struct driver *d, const char *msgid, bool interrupt);

/* The effects of the last key. */

/* True when an FX_SAY of the last key contains TEXT, in LANG (-1: any). */
bool driver_said(const struct driver *d, int lang, const char *text);
/* The text of the last FX_SAY of the last key, or "" when it said nothing.
 * Valid until the next key. */
const char *driver_last_said(const struct driver *d);
/* How many effects of KIND the last key had. */
int driver_count(const struct driver *d, enum fx_kind kind);
/* True when the last key had an effect of KIND whose text is TEXT (NULL:
 * any text). */
bool driver_has_fx(const struct driver *d, enum fx_kind kind, const char *text);

/* The transcript: everything said since driver_new(), through the
 * driver's calls (not the app calls a test makes itself). */

/* A mark in the transcript: what is said after it is "since the mark". */
size_t driver_mark(const struct driver *d);
/* Every FX_SAY text since MARK, in order, each followed by a newline.
 * Valid until the next key. */
const char *driver_spoken_since(const struct driver *d, size_t mark);
/* True when some text said since MARK contains TEXT. */
bool driver_said_since(const struct driver *d, size_t mark, const char *text);

/* The view model now. */

/* True when the title, the notice or some item contains TEXT. */
bool driver_shows(const struct driver *d, const char *text);
/* The text of the focused item, or "" when none has the focus. */
const char *driver_focused(const struct driver *d);
/* The first VIEW_BIG item (the application number), or NULL. */
const struct view_item *driver_big(const struct driver *d);
/* The index in the view of the first option whose text contains TEXT, or
 * -1 when none does. */
int driver_option(const struct driver *d, const char *text);
/* Moves the focus with Up or Down to the option driver_option() finds;
 * returns false when there is none or the keys cannot reach it. */
bool driver_focus(struct driver *d, const char *text);

/* The view on a terminal. */

/* Lays the view out at COLS x ROWS into *L, with the row of the TEST MODE
 * marker when MARKER (whatever the app's test mode), as the terminal
 * would show it. The caller frees *L with layout_free(). */
void driver_layout(const struct driver *d, int cols, int rows, bool marker,
                   struct layout *l);
/* True when some row of driver_layout() contains TEXT. */
bool driver_laid_out(const struct driver *d, int cols, int rows, bool marker,
                     const char *text);

/* The same queries on effects and views that did not come through a
 * driver: tests that drive one screen by itself use them. */

/* True when an FX_SAY in L contains TEXT, in LANG (-1: any). */
bool driver_fx_said(const struct fx_list *l, int lang, const char *text);
/* The NTH (from 0) effect of KIND in L, or NULL. */
struct fx *driver_fx_nth(const struct fx_list *l, enum fx_kind kind, int nth);
/* True when V's title, notice or some item contains TEXT. */
bool driver_view_shows(const struct view *v, const char *text);

#endif
