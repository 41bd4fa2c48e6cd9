/*
 * The event loop: one poll() over the terminal, a signalfd, a timerfd,
 * the speech thread's eventfd, the keypad and the Braille display, with one thread of logic. It feeds the app
 * keys and ticks and carries out the effects the app returns.
 */
#ifndef DAUYS_KIOSK_LOOP_H
#define DAUYS_KIOSK_LOOP_H

#include <stdbool.h>

#include "accessibility/keypad.h"
#include "accessibility/speech.h"
#include "kiosk/app.h"
#include "kiosk/braille.h"
#include "kiosk/tty.h"

/* Produces the self-test report lines (translated); the caller frees
 * each line and the array. */
typedef int (*loop_selftest_fn)(void *ctx, char ***lines, int *n);

/* Carries out FX_LOAD_PACKAGE, FX_WRITE_STENCILS, FX_AUDIT, FX_VOTING,
 * FX_VOTER_SESSION, FX_GUARD, FX_REPORT, FX_PRINT_TEST and FX_GUIDE (the
 * I/O of the polling station and of the staff's paper, kiosk/station.h);
 * may open a screen on APP. */
typedef void (*loop_station_fn)(void *ctx, const struct fx *f, struct app *app,
                                uint64_t now_ms, struct fx_list *out);

struct loop_options {
    bool kiosk; /* Ctrl-C, Ctrl-\, SIGINT do nothing */
    loop_selftest_fn selftest;
    void *selftest_ctx;
    /* Says whether speech reaches the audio device (NULL: always). Asked at
     * start and whenever the speech thread reports; while it answers false
     * the screen shows a NO SOUND marker for staff and the log says so. */
    bool (*audio_ok)(void *ctx);
    void *audio_ctx;
    loop_station_fn station; /* NULL: those effects are dropped */
    void *station_ctx;
    /* Carries out FX_CONFIGURE (kiosk/configure.h); NULL: dropped. */
    loop_station_fn configure;
    void *configure_ctx;
    /* Set when FX_RESTART ended the loop: the kiosk is to start again with
     * its new configuration. NULL: FX_RESTART is dropped. */
    bool *restart;
    struct keypad *keypad;   /* the tactile keypad, or NULL: none */
    struct braille *braille; /* the Braille display, or NULL: none */
    /* A message id shown and spoken at start until the first key (the
     * data partition cannot take data), or NULL. */
    const char *start_notice;
};

/* The loop's clock: monotonic milliseconds, as the app is given them. */
uint64_t loop_now(void);

/*
 * Blocks the signals the loop reads from its signalfd and installs the
 * crash handlers. Call before starting any thread so that every thread
 * inherits the mask. Returns 0 or -1 with *why.
 */
int loop_signals_init(char **why);

/*
 * Runs until staff quit, SIGTERM or SIGHUP (or, outside kiosk mode,
 * Ctrl-C, Ctrl-\ or SIGINT). Returns 0, or -1 with *why on a system error.
 */
int loop_run(const struct loop_options *opt, struct app *app, struct tty *tty,
             struct speech *sp, char **why);

#endif
