/*
 * The application: the screen stack and everything that works the same on
 * every screen (help and key-describe, repeat, language, volume, rate,
 * pause, staff login), as one pure state machine.
 *
 * The event loop feeds it keys and ticks with the current time and carries
 * out the effects it returns (speech, quit…); the headless driver in the
 * unit tests does the same without a terminal. Speech is derived from the
 * view model: when a key changes the screen the whole screen is read, when
 * it moves the focus the focused option is read with its position, and a
 * new notice is read at once. Every key first stops speech (barge-in).
 *
 * Texts name keys as "{action}" tokens (view_keys()); the app fills them
 * with the keys of the input the visitor used last (struct key's source:
 * the keypad's profile or the terminal keyboard). Repeat says the view's
 * essential items (or its title) and the focused item; twice within 2 s
 * the whole view, every item in order. Pause stops speech, says one word and shows the PAUSED
 * marker; any key resumes (the pause key says where the visitor is, any
 * other also acts), and the idle timer stands still meanwhile for up to
 * idle_warning_s + idle_grace_s.
 *
 * With a switch profile (keyprofile_mode()) the app scans: it adds the
 * items of kiosk/scan.h to every screen's options, Move (ACTION_NEXT)
 * moves the focus round the ring, Select on an added item acts as the key
 * it stands for, and in one-switch mode the focus moves by itself. Each
 * visitor's session then begins with the switch check
 * (screen_switch_check_new()).
 */
#ifndef DAUYS_KIOSK_APP_H
#define DAUYS_KIOSK_APP_H

#include "kiosk/screen.h"

struct app_options {
    const struct i18n *i18n;
    enum kiosk_mode mode;
    int first_lang;          /* enum lang from --lang, or -1: offer kk+ru */
    bool test_mode;          /* the speech log is on: show TEST MODE */
    unsigned lockout_base_s; /* first staff-login lockout, seconds */
    staff_verify_fn staff_verify; /* NULL: no PIN set */
    /* Inactivity: after IDLE_WARNING_S without a key, counted from the
     * end of speech (app_speech_idle()), a visitor's session gets a spoken
     * warning, and IDLE_GRACE_S later it is wiped and the welcome screen
     * returns. 0: no idle timeout. Independently, 20 s after the last key
     * and the end of speech the prompt is read once more (once per key). */
    unsigned idle_warning_s, idle_grace_s;
    int max_text_size; /* largest text size the terminal can show */
    void *staff_verify_ctx;
    const struct keyprofile *keypad; /* NULL: no keypad configured */
    /* One-switch scanning: the focus moves on this long after speech has
     * gone quiet (kiosk/scan.h); 0: 2000. */
    unsigned scan_interval_ms;
    const struct services *svc; /* NULL: services not set up */
    /* The audit port. AUDIT appends a staff action to the trail at once,
     * before the screen is read again (NULL: FX_AUDIT goes out to the
     * loop instead); AUDIT_HEAD reads the trail's head for the staff
     * screens (returns 0 with *SEQ and the first 7 hex digits of the last
     * hash in HASH, or -1 when it cannot be read). */
    void (*audit)(void *ctx, const char *action);
    int (*audit_head)(void *ctx, uint64_t *seq, char hash[8]);
    void *audit_ctx;
    /* No accepted terminal configuration where one is required: the only
     * screen is "not configured: insert the configuration stick"
     * (screen_unconfigured_new()); F10 opens nothing. */
    bool unconfigured;
    /* The terminal's id and location (kk, ru) for the staff menu; NULL:
     * not from a terminal configuration. */
    const char *terminal_id, *location_kk, *location_ru;
    /* The volume level (1..10) each session starts at; 0: the default,
     * SPEECH_VOLUME_DEFAULT. */
    int volume;
};

struct app;

/* Returns a new app (no screen yet: call app_start()). The caller frees it
 * with app_free(); OPT's pointers must outlive the app. */
struct app *app_new(const struct app_options *opt);
void app_free(struct app *a);

/* Opens the welcome screen and appends its announcement to OUT. */
void app_start(struct app *a, uint64_t now_ms, struct fx_list *out);

/* Handles one key at NOW_MS; appends I/O effects (FX_STOP first) to OUT. */
void app_key(struct app *a, const struct key *k, uint64_t now_ms,
             struct fx_list *out);

/* Tells the app whether speech is IDLE (nothing queued or being said) at
 * NOW_MS. One-switch scanning moves the focus on only once speech has been
 * idle for the scan interval, so that it never moves while an item is
 * still being read; the idle timeout and read on idle count from the end
 * of speech. The loop calls it after every event. */
void app_speech_idle(struct app *a, bool idle, uint64_t now_ms);

/*
 * Carries out CALL, an FX_SERVICES that app_key() and the others handed
 * out instead of running (printing a receipt, which may take seconds or
 * fail), and hands its answer to the screen on top; appends what that
 * says and changes to OUT. The loop calls it once the effects before it
 * are carried out and the screen is drawn, so that the number is shown
 * and spoken before the printer is tried. Takes CALL (frees it).
 */
struct services_call;
void app_services(struct app *a, struct services_call *call, uint64_t now_ms,
                  struct fx_list *out);

/* Lets time pass: calls the screen's tick when its deadline has come. */
void app_tick(struct app *a, uint64_t now_ms, struct fx_list *out);

/* The next monotonic ms at which app_tick() is wanted; 0: none. */
uint64_t app_deadline(const struct app *a);

/* Opens screen S on top (the app owns it from now on) and reads it. */
void app_open(struct app *a, struct screen *s, uint64_t now_ms,
              struct fx_list *out);

/* Opens a message screen on top (e.g. the self-test report). */
void app_show_message(struct app *a, const char *title,
                      const char *const *lines, int n, uint64_t now_ms,
                      struct fx_list *out);

/* Shows the notice MSGID (a message id, e.g. that the keypad was lost)
 * above the current screen until the next key, and speaks it: at once
 * when INTERRUPT (speech is stopped first), else after what is being
 * said (at start, so that the greeting is not cut off). */
void app_notice(struct app *a, const char *msgid, bool interrupt,
                uint64_t now_ms, struct fx_list *out);

/* Tells the app whether the configured keypad is CONNECTED. While it is
 * not, instructions name the keyboard's keys (the keypad's again once it
 * is back and the visitor presses one of its keys, or for the next
 * visitor). */
void app_keypad_connected(struct app *a, bool connected);

/* The view of what is on screen now. Valid until the next call. */
const struct view *app_view(const struct app *a);

/* The current language and speech settings. */
enum lang app_lang(const struct app *a);

/* Shows (or hides) the NO SOUND marker: speech does not reach the audio
 * device, which staff must see; a voter hears nothing either way. */
void app_set_no_audio(struct app *a, bool no_audio);
int app_rate(const struct app *a);
/* The volume level, 0..10 (accessibility/speech.h). */
int app_volume(const struct app *a);

/* Translates MSGID in the current language (for the loop's own texts). */
const char *app_text(const struct app *a, const char *msgid);

/* Puts election package E in force (the app owns it from now on and frees
 * the previous one; NULL unloads). Voting assistance is closed until staff
 * open it. */
void app_set_election(struct app *a, struct election *e);
/* The practice package (owned by the app from now on). */
void app_set_practice(struct app *a, struct election *e);
/* Opens or closes voting assistance. */
void app_set_voting(struct app *a, bool open);

/* The staff-login guard, to keep it across a restart. */
const struct staff_guard *app_guard(const struct app *a);
void app_set_guard(struct app *a, const struct staff_guard *g);

/* Shows staff, on the staff menus, what the station found at start:
 * MSGID (a message id, NULL: nothing) with {1} and {2} filled from ARG1
 * and ARG2 (copied; may be NULL). */
void app_set_station_notice(struct app *a, const char *msgid, const char *arg1,
                            const char *arg2);
const struct election *app_election(const struct app *a);
bool app_voting_open(const struct app *a);

/* Translates MSGID into the SIZE bytes of BUF in the current language,
 * its key tokens ("{curtain}", view_keys()) named from the visitor's
 * input, and returns BUF. */
const char *app_keys_text(const struct app *a, const char *msgid, char *buf,
                          size_t size);

/* The translations the app speaks with (for reports made outside a
 * screen). */
const struct i18n *app_i18n(const struct app *a);

/* Translates MSGID in language LANG. */
const char *app_text_in(const struct app *a, enum lang lang, const char *msgid);

#endif
