/*
 * Screens: pure state machines.
 *
 * A screen is an opaque state plus a table of functions. key() and tick()
 * take an event and append effects; view() describes the screen as a view
 * model. None of them performs I/O or reads a clock: the time comes in the
 * context. A screen lists its options by id (view_option); the app owns the
 * focus, moves it with Up, Down and the digits 1-9, says "n of m" and
 * "end of list", and hands key() the focused id in `key->option` (or
 * choose() the chosen id, on Enter). Back
 * (and Delete, outside a typed field) is the app's too: it calls back(),
 * or closes the screen when there is none. A typed field is an entry
 * (kiosk/entry.h). The context also carries what screens may read (translations,
 * language, mode) and the few things they share across screens (the staff
 * login guard), so that screens hold no global state.
 */
#ifndef DAUYS_KIOSK_SCREEN_H
#define DAUYS_KIOSK_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accessibility/action.h"
#include "accessibility/i18n.h"
#include "ballot/election.h"
#include "accessibility/keyprofile.h"
#include "kiosk/fx.h"
#include "kiosk/mode.h"
#include "kiosk/staff.h"
#include "kiosk/view.h"

struct report_check;
struct services;
struct services_call;

struct ctx {
    const struct i18n *i18n;
    enum lang lang;
    uint64_t now_ms;
    enum kiosk_mode mode;
    bool lang_fixed; /* --lang given: first screen in one language */
    struct staff_guard *guard;
    staff_verify_fn staff_verify; /* NULL: no staff PIN is set */
    void *staff_verify_ctx;
    const struct election *election; /* the loaded package, or NULL */
    const struct election *practice; /* the practice ballot, or NULL */
    bool voting_open;                /* staff opened voting assistance today */
    const struct keyprofile *keypad; /* the tactile keypad's profile; NULL:
                                        no keypad configured */
    const struct services *svc;      /* Ten Qogam services (services.h) */
    /* For staff: what the station found at start (a message id with {1}
     * and {2} filled from notice_args), or NULL. */
    const char *station_notice;
    const char *station_notice_args[2];
    /* The audit trail's head, on staff screens: entries and the first
     * hex digits of the last hash; audit_seq 0 with audit_known: empty. */
    bool audit_known;
    uint64_t audit_seq;
    char audit_hash[8];
    /* From the terminal configuration (kiosk/terminal.h); NULL: none. */
    const char *terminal_id, *location_kk, *location_ru;
};

/* Translates MSGID into the context's language. */
#define T(c, msgid) i18n_text((c)->i18n, (c)->lang, (msgid))
/* Translates MSGID into language L. */
#define TL(c, l, msgid) i18n_text((c)->i18n, (l), (msgid))

struct screen;

struct screen_ops {
    const char *name;
    /* Message id of the help text for this screen. */
    const char *help;
    /* Staff screens are closed when a visitor session ends. */
    bool staff;
    /* Holds a voter's session: closed (and wiped) when staff press F10. */
    bool session;
    /* Printable characters reach key() as ACTION_CHAR or ACTION_DIGIT
     * instead of acting as global keys (R, L, +, Space…): text fields. */
    bool text_entry;
    /* A number is typed here: keys with a number-entry action (a keypad's
     * digit keys, its '.') reach key() as that action (digit, delete)
     * instead of their usual one (up, back, curtain…). */
    bool number_entry;
    /* Every key goes to key(), none is acted on by the app (help, repeat,
     * volume, language, staff login…): the keypad tutorial. */
    bool all_keys;
    void (*view)(const struct screen *s, const struct ctx *c, struct view *v);
    /* Optional: every key the app does not handle itself (Enter goes to
     * choose() when there is one); k->option is the focused
     * option's id (-1: none). Up, Down and 1-9 move the focus and never
     * reach key() while the view has options, except in a typed field;
     * Back and Delete reach it only in a typed field. */
    void (*key)(struct screen *s, const struct ctx *c, const struct key *k,
                struct fx_list *fx);
    /* Optional: Enter (ACTION_SELECT) on option ID (-1: none) goes here
     * instead of key(); a screen whose only key is the choice of an option
     * needs no key(). */
    void (*choose)(struct screen *s, const struct ctx *c, int id,
                   struct fx_list *fx);
    /* Optional: the answer to an FX_SERVICES call this screen returned,
     * carried out through the services port (services_call.h). The app
     * frees CALL afterwards. */
    void (*reply)(struct screen *s, const struct ctx *c,
                  struct services_call *call, struct fx_list *fx);
    /* Optional: Back (Escape, Backspace, the keypad's back key) outside a
     * typed field, with k->option the focused option. NULL: the screen is
     * closed (FX_POP). */
    void (*back)(struct screen *s, const struct ctx *c, const struct key *k,
                 struct fx_list *fx);
    /* Optional: called when the time passes deadline(). */
    void (*tick)(struct screen *s, const struct ctx *c, struct fx_list *fx);
    /* Optional: next monotonic ms at which tick() is wanted, 0: none. */
    uint64_t (*deadline)(const struct screen *s, const struct ctx *c);
    /* Optional: like text_entry, but only while it returns true (a screen
     * that asks for a name at one step only). */
    bool (*typing)(const struct screen *s);
    /* Optional: like number_entry, but only while it returns true (a
     * screen that asks for an IIN at one step and a choice at another). */
    bool (*numbering)(const struct screen *s);
    /* Optional: true while Left and Right move between sections (ballots,
     * pages) here: switch scanning (kiosk/scan.h) then offers "next
     * section" and "previous section" as items. */
    bool (*sections)(const struct screen *s);
    /* Optional: frees what the state owns (not the state itself), wiping
     * anything personal first. */
    void (*release)(void *state);
    /* The size of the state: screen_free() zeroes that many bytes before it
     * frees the state, which may hold personal data. 0: no state, or one
     * that holds nothing to wipe. */
    size_t state_size;
};

struct screen {
    const struct screen_ops *ops;
    void *state;
    /* The app's: the focused option's id and whether the visitor (or an
     * FX_FOCUS) has placed it; until then the view's `initial` is used. */
    int focus_id;
    int focus_rank; /* its 1-based rank, kept when the option goes away */
    bool focus_placed;
};

/* Returns a new screen of OPS owning STATE; the caller frees it with
 * screen_free(). */
struct screen *screen_new(const struct screen_ops *ops, void *state);

/* Frees S and its state (ops->release, then the state wiped and freed).
 * NULL is a no-op. */
void screen_free(struct screen *s);

/* An option of a fixed menu: the screen's id for it and its message id
 * (N_()). */
struct menu_item {
    int id;
    const char *label;
};

/* Appends the N options of ITEMS to V, each label translated into C's
 * language. */
void screen_menu(const struct ctx *c, struct view *v,
                 const struct menu_item *items, size_t n);
#define SCREEN_MENU(c, v, items)                                               \
    screen_menu((c), (v), (items), sizeof(items) / sizeof(items)[0])

/* A choose() for screens that only show something: Enter closes them. */
void screen_choose_close(struct screen *s, const struct ctx *c, int id,
                         struct fx_list *fx);

/* The screens every kiosk has. Each returns a new screen the caller owns. */
struct screen *screen_welcome_new(void);
struct screen *screen_home_new(void);
/* With a keypad: after the language, before the home menu, the offer to
 * learn the keys (the tutorial) or go on to the menu. */
struct screen *screen_keys_offer_new(void);
/* A message with a title and paragraphs (message ids already translated
 * or plain text); Enter or Back closes it. Texts are copied. */
/* Adds to V, for staff, what the station found at start (C's notice)
 * and the audit trail's head: "Audit log: N entries, last 1a2b3c4". */
void screen_staff_status(const struct ctx *c, struct view *v);

struct screen *screen_message_new(const char *title, const char *const *lines,
                                  int n_lines);
struct screen *screen_staff_login_new(void);
/* The keypad tutorial: each key is named and described, never acted on;
 * Help twice leaves. */
struct screen *screen_tutorial_new(void);
struct screen *screen_staff_menu_new(int role);

/* "This terminal is not configured: insert the configuration stick", in
 * kk and ru, with its one action: configure from the stick
 * (FX_CONFIGURE). */
struct screen *screen_unconfigured_new(void);

/* The outcome of configuring: LINES (copied) and, when RESTART_AT_MS is
 * not 0 (a new configuration is in force), the option that starts the
 * kiosk with it (FX_RESTART), which also happens by itself at
 * RESTART_AT_MS; else Back returns. */
struct screen *screen_configured_new(const char *title,
                                     const char *const *lines, int n,
                                     uint64_t restart_at_ms);
/* The switch check (screen_switch.c): press either switch, then Move and
 * Select twice each; a friendly word for the other switch; Escape skips.
 * STAFF: the staff menu's test of the switch jack, which stays open at the
 * end. */
struct screen *screen_switch_check_new(bool staff);
/* The voter's screens over ctx->election (screen_vote.c). */
struct screen *screen_vote_new(void);
/* Staff screens for the election package (screen_station.c). */
struct screen *screen_station_menu_new(void);
struct screen *screen_station_info_new(void);
/* The QR code of TEXT drawn with half blocks, with TEXT printed below. */
struct screen *screen_station_qr_new(const char *text);
struct screen *screen_station_speech_test_new(void);
/* A line of text typed on the keyboard; Enter emits an effect of KIND
 * with the text (FX_LOAD_PACKAGE, FX_WRITE_STENCILS) and closes. INITIAL
 * is copied. */
/* The packages and terminal configurations on the USB stick (copied from
 * L): choosing a valid package loads it (FX_LOAD_PACKAGE with its
 * directory); "Type a folder" opens the typed entry instead. */
struct media_list;
struct screen *screen_station_media_new(const struct media_list *l);
struct screen *screen_station_path_new(const char *title, const char *prompt,
                                       const char *initial, enum fx_kind kind);
/* A folder typed on the keyboard for a report's PDF: Enter emits
 * FX_REPORT of KIND (enum report_kind) with the folder and a copy of
 * CHECK (NULL: none). */
struct screen *screen_station_report_path_new(int kind,
                                              const struct report_check *check);
/* The staff guide: print the short version, or write both PDFs into a
 * folder. */
struct screen *screen_station_guide_new(void);
/* "Check this terminal" (screen_check.c): the keys of C's keypad, the
 * headphones, the printer, then the opening report. */
struct screen *screen_check_new(const struct ctx *c);
/* Ten Qogam services (screen_services.c, screen_apply.c,
 * screen_applications.c). */
struct screen *screen_services_new(void);
struct screen *screen_category_new(size_t index);
struct screen *screen_service_new(const char *id);
struct screen *screen_apply_new(const char *service_id);
struct screen *screen_status_new(void);
/* Staff screens over the store. Each does no I/O when made: *FIRST gets
 * the FX_SERVICES call (services_call.h) that fills it; push the screen,
 * then return the call after it (fx_services), so that its answer comes to
 * the new screen. */
struct screen *screen_applications_new(struct services_call **first);
struct screen *screen_application_new(const char *number,
                                      struct services_call **first);

#endif
