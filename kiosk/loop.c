/*
 * The event loop (see loop.h).
 *
 * Signals never do work: SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP and
 * SIGWINCH are blocked and read from a signalfd. Crash signals (SIGSEGV,
 * SIGBUS, SIGFPE, SIGILL, SIGABRT) get a handler that only restores the
 * terminal with async-signal-safe calls and re-raises the signal with its
 * default action, so the crash still produces its exit status.
 *
 * Barge-in happens first: when a key arrives the app's first effect is
 * FX_STOP, carried out before anything else the key causes.
 *
 * Keypad keys take the same path into the app as terminal keys. The
 * keypad's profile cannot contain the staff key or action (keyprofile.h)
 * and the keypad filter never produces it; the loop drops it once more,
 * so a visitor's keypad never reaches staff functions. A lost or returned
 * keypad becomes a notice that the app shows and speaks, and a log line.
 * The Braille display is the same: its keys become kiosk keys, its loss
 * and return notices; it shows the view after every render.
 */
#include "kiosk/loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "accessibility/xalloc.h"
#include "kiosk/log.h"
#include "kiosk/services_call.h"

#define LOOP_LATER_MAX 4 /* receipts to print after one event */

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

static void
loop_crash_handler(int sig)
{
    tty_emergency_restore();
    /* Die of SIG, as without the handler; if that cannot be arranged, exit
     * with the status a shell would show for it (nothing can be logged from
     * here). */
    if (signal(sig, SIG_DFL) == SIG_ERR || raise(sig) != 0)
        _exit(128 + sig);
}

static void
loop_blocked(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGQUIT);
    sigaddset(set, SIGTSTP);
    sigaddset(set, SIGWINCH);
}

int
loop_signals_init(char **why)
{
    sigset_t set;
    loop_blocked(&set);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0) {
        *why = xasprintf("cannot block signals: %s", strerror(errno));
        return -1;
    }
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
        *why = xasprintf("cannot ignore SIGPIPE: %s", strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0];
         i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = loop_crash_handler;
        sa.sa_flags = SA_RESETHAND | SA_NODEFER;
        sigemptyset(&sa.sa_mask);
        if (sigaction(crash_signals[i], &sa, NULL) != 0) {
            *why = xasprintf("cannot install a crash handler: %s",
                             strerror(errno));
            return -1;
        }
    }
    return 0;
}

uint64_t
loop_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
loop_arm(int tfd, uint64_t deadline_ms)
{
    struct itimerspec its;
    memset(&its, 0, sizeof its);
    if (deadline_ms != 0) {
        /* An absolute time of 0 would disarm; use at least 1 ns. */
        its.it_value.tv_sec = (time_t)(deadline_ms / 1000);
        its.it_value.tv_nsec = (long)(deadline_ms % 1000) * 1000000 + 1;
    }
    timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

struct loop {
    const struct loop_options *opt;
    struct app *app;
    struct tty *tty;
    struct speech *sp;
    bool quit;
    bool no_audio;
};

/* Asks whether speech reaches the audio device and, when that changed,
 * tells the app (the NO SOUND marker) and the log. */
static void
loop_audio(struct loop *l)
{
    bool ok = l->opt->audio_ok == NULL || l->opt->audio_ok(l->opt->audio_ctx);
    if (ok == !l->no_audio)
        return;
    l->no_audio = !ok;
    app_set_no_audio(l->app, l->no_audio);
    if (l->no_audio)
        log_warn("speech: no audio device; the kiosk goes on without sound");
    else
        log_info("speech: the audio device works again");
}

static void
loop_render(struct loop *l)
{
    char marker[256];
    const char *tr = app_text(l->app, "TEST MODE");
    const char *mute = app_text(l->app, "NO SOUND");
    const struct view *v = app_view(l->app);
    /* Always readable by whoever runs the test, whatever the language. */
    bool tr_t = strcmp(tr, "TEST MODE") != 0;
    bool tr_m = strcmp(mute, "NO SOUND") != 0;
    snprintf(marker, sizeof marker, "%s%s%s%s%s%s%s",
             v->test_mode ? "TEST MODE" : "", v->test_mode && tr_t ? " · " : "",
             v->test_mode && tr_t ? tr : "",
             v->test_mode && v->no_audio ? " · " : "",
             v->no_audio ? "NO SOUND" : "", v->no_audio && tr_m ? " · " : "",
             v->no_audio && tr_m ? mute : "");
    /* Shown in kk and ru whatever the language: whoever stands at a
     * shrunken window may not have chosen one yet. */
    static const char *const small = N_(
        "The window is too small. Please make it larger.");
    char too_small[512];
    snprintf(too_small, sizeof too_small, "%s / %s",
             app_text_in(l->app, LANG_KK, small),
             app_text_in(l->app, LANG_RU, small));
    char curtain[512];
    app_keys_text(l->app,
                  N_("The screen is hidden for privacy. Speech goes on. "
                     "Press {curtain} to show it."),
                  curtain, sizeof curtain);
    const struct tty_texts tx = {
        .marker = marker,
        .too_small = too_small,
        .curtain = curtain,
    };
    tty_render(l->tty, v, &tx);
    if (l->opt->braille != NULL)
        braille_show(l->opt->braille, v);
}

static void
loop_selftest(struct loop *l, struct fx_list *out)
{
    char **lines = NULL;
    int n = 0;
    if (l->opt->selftest == NULL ||
        l->opt->selftest(l->opt->selftest_ctx, &lines, &n) < 0)
        return;
    app_show_message(l->app, app_text(l->app, "Self-test"),
                     (const char *const *)lines, n, loop_now(), out);
    for (int i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

/* Hands the spans of the FX_SAY F to the speech queue as one utterance. */
static void
loop_say(struct loop *l, const struct fx *f)
{
    struct speech_part *parts = xcalloc(f->n_spans, sizeof *parts);
    char **texts = xcalloc(f->n_spans, sizeof *texts);
    for (size_t i = 0; i < f->n_spans; i++) {
        const struct fx_span *s = &f->spans[i];
        texts[i] = xstrndup(f->text + s->off, s->len);
        parts[i] = (struct speech_part){s->lang == FX_LANG_CHIME
                                            ? SPEECH_CHIME
                                            : lang_code((enum lang)s->lang),
                                        texts[i]};
    }
    speech_say_spans(l->sp, parts, f->n_spans);
    /* The texts may be a voter's choice. */
    for (size_t i = 0; i < f->n_spans; i++)
        xfree_wiped(texts[i]);
    free(texts);
    free(parts);
}

/* Carries out the effects in OUT, in order, then empties it. New effects
 * that a self-test report adds are carried out in the same pass. */
static void
loop_effects(struct loop *l, struct fx_list *out)
{
    struct services_call *later[LOOP_LATER_MAX];
    size_t n_later = 0;
    for (size_t i = 0; i < out->n; i++) {
        struct fx *f = &out->v[i];
        switch (f->kind) {
        case FX_STOP:
            speech_stop(l->sp);
            break;
        case FX_SAY:
            loop_say(l, f);
            break;
        case FX_RATE:
            speech_set_rate(l->sp, f->value);
            break;
        case FX_VOLUME:
            speech_set_volume(l->sp, f->value);
            break;
        case FX_LOG:
            log_info("%s", f->text);
            break;
        case FX_QUIT:
            l->quit = true;
            break;
        case FX_RESTART:
            if (l->opt->restart != NULL) {
                *l->opt->restart = true;
                l->quit = true;
            }
            break;
        case FX_CONFIGURE:
            if (l->opt->configure != NULL) {
                struct fx copy = *f;
                l->opt->configure(l->opt->configure_ctx, &copy, l->app,
                                  loop_now(), out);
            }
            break;
        case FX_SELFTEST:
            loop_selftest(l, out);
            break;
        case FX_LOAD_PACKAGE:
        case FX_WRITE_STENCILS:
        case FX_MEDIA_LOAD:
        case FX_AUDIT:
        case FX_VOTING:
        case FX_VOTER_SESSION:
        case FX_GUARD:
        case FX_REPORT:
        case FX_PRINT_TEST:
        case FX_GUIDE:
            if (l->opt->station != NULL) {
                /* The handler may append to OUT, which moves its entries. */
                struct fx copy = *f;
                l->opt->station(l->opt->station_ctx, &copy, l->app, loop_now(),
                                out);
            }
            break;
        case FX_SERVICES:
            /* A receipt to print: after everything else is said and
             * shown (app_services()). */
            if (f->call != NULL && n_later < LOOP_LATER_MAX) {
                later[n_later++] = f->call;
                f->call = NULL;
            }
            break;
        default:
            break;
        }
    }
    fx_clear(out);
    for (size_t i = 0; i < n_later && !l->quit; i++) {
        struct fx_list more = {0};
        loop_render(l);
        app_services(l->app, later[i], loop_now(), &more);
        later[i] = NULL;
        loop_effects(l, &more);
        fx_list_free(&more);
    }
    for (size_t i = 0; i < n_later; i++)
        services_call_free(later[i]);
}

/* Reads the keypad and carries out what its events cause. AT_START: the
 * first reading, whose notice must not cut off the greeting. */
static void
loop_keypad(struct loop *l, bool at_start, struct fx_list *out)
{
    struct keypad *kp = l->opt->keypad;
    struct keypad_event ev;
    if (kp == NULL)
        return;
    keypad_dispatch(kp);
    while (!l->quit && keypad_next(kp, &ev)) {
        switch (ev.kind) {
        case KEYPAD_EVENT_KEY:
            if (ev.key.action != ACTION_STAFF)
                app_key(l->app, &ev.key, loop_now(), out);
            break;
        case KEYPAD_EVENT_LOST:
            log_warn("keypad: %s", keypad_problem(kp));
            app_keypad_connected(l->app, false);
            app_notice(l->app,
                       N_("The keypad is not connected. Please ask a member "
                          "of staff for help."),
                       !at_start, loop_now(), out);
            break;
        case KEYPAD_EVENT_BACK:
            log_info("keypad: connected again");
            app_keypad_connected(l->app, true);
            app_notice(l->app, N_("The keypad is connected again."), !at_start,
                       loop_now(), out);
            break;
        }
        loop_effects(l, out);
    }
    const char *warning = keypad_warning(kp);
    if (warning != NULL)
        log_warn("%s", warning);
}

/* Reads the Braille display like the keypad (loop_keypad). */
static void
loop_braille(struct loop *l, bool at_start, struct fx_list *out)
{
    struct braille *b = l->opt->braille;
    struct braille_event ev;
    if (b == NULL)
        return;
    braille_dispatch(b);
    while (!l->quit && braille_next(b, app_view(l->app), &ev)) {
        switch (ev.kind) {
        case BRAILLE_EVENT_KEY:
            app_key(l->app, &ev.key, loop_now(), out);
            break;
        case BRAILLE_EVENT_LOST:
            log_warn("braille: %s", braille_problem(b));
            app_notice(l->app,
                       N_("The Braille display is not connected. Please "
                          "ask a member of staff for help."),
                       !at_start, loop_now(), out);
            break;
        case BRAILLE_EVENT_BACK:
            log_info("braille: connected again");
            app_notice(l->app, N_("The Braille display is connected again."),
                       !at_start, loop_now(), out);
            break;
        }
        loop_effects(l, out);
    }
}

static void
loop_signal(struct loop *l, int sfd)
{
    struct signalfd_siginfo si;
    while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
        switch (si.ssi_signo) {
        case SIGWINCH:
            tty_resize(l->tty);
            break;
        case SIGTERM:
        case SIGHUP:
            log_info("stopping on signal %u", si.ssi_signo);
            l->quit = true;
            break;
        case SIGINT:
        case SIGQUIT:
            if (!l->opt->kiosk)
                l->quit = true;
            break;
        default:
            break;
        }
    }
}

int
loop_run(const struct loop_options *opt, struct app *app, struct tty *tty,
         struct speech *sp, char **why)
{
    struct loop l = {.opt = opt, .app = app, .tty = tty, .sp = sp};
    struct fx_list out = {0};
    sigset_t set;
    loop_blocked(&set);
    int sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    int rc = -1;
    if (sfd < 0 || tfd < 0) {
        *why = xasprintf("cannot create the loop's descriptors: %s",
                         strerror(errno));
        goto out;
    }

    loop_audio(&l);
    /* A keypad missing at start: the greeting names the keyboard's keys. */
    if (opt->keypad != NULL)
        app_keypad_connected(app, keypad_present(opt->keypad));
    app_start(app, loop_now(), &out);
    if (opt->start_notice != NULL)
        app_notice(app, opt->start_notice, false, loop_now(), &out);
    loop_effects(&l, &out);
    loop_keypad(&l, true, &out);
    loop_braille(&l, true, &out);
    loop_render(&l);
    while (!l.quit) {
        /* One-switch scanning waits for speech to go quiet. */
        app_speech_idle(app, speech_idle(sp), loop_now());
        loop_arm(tfd, app_deadline(app));
        struct pollfd fds[6] = {
            {.fd = tty_fd(tty), .events = POLLIN},
            {.fd = sfd, .events = POLLIN},
            {.fd = tfd, .events = POLLIN},
            {.fd = speech_fd(sp), .events = POLLIN},
            /* poll() skips a negative descriptor. */
            {.fd = opt->keypad ? keypad_fd(opt->keypad) : -1, .events = POLLIN},
            {.fd = opt->braille ? braille_fd(opt->braille) : -1,
             .events = POLLIN},
        };
        if (poll(fds, 6, -1) < 0) {
            if (errno == EINTR)
                continue;
            *why = xasprintf("poll failed: %s", strerror(errno));
            goto out;
        }
        if (fds[0].revents & (POLLHUP | POLLERR)) {
            log_warn("the terminal went away");
            break;
        }
        if (fds[1].revents & POLLIN)
            loop_signal(&l, sfd);
        if (fds[0].revents & POLLIN) {
            struct key k;
            bool ctrl_quit;
            while (!l.quit && tty_read_key(tty, &k, &ctrl_quit)) {
                if (ctrl_quit && !opt->kiosk) {
                    l.quit = true;
                    break;
                }
                app_key(app, &k, loop_now(), &out);
                loop_effects(&l, &out);
            }
        }
        if (!l.quit && (fds[4].revents & POLLIN))
            loop_keypad(&l, false, &out);
        if (!l.quit && (fds[5].revents & POLLIN))
            loop_braille(&l, false, &out);
        if (fds[2].revents & POLLIN) {
            uint64_t n;
            if (read(tfd, &n, sizeof n) < 0 && errno != EAGAIN)
                log_warn("timer read failed: %s", strerror(errno));
            app_tick(app, loop_now(), &out);
            loop_effects(&l, &out);
        }
        if (fds[3].revents & POLLIN) {
            unsigned ev = speech_take_events(sp);
            if (ev &
                ((1u << SPEECH_EVENT_AUDIO_ERROR) | (1u << SPEECH_EVENT_DONE)))
                loop_audio(&l);
        }
        if (!l.quit)
            loop_render(&l);
    }
    rc = 0;
out:
    fx_list_free(&out);
    if (sfd >= 0)
        close(sfd);
    if (tfd >= 0)
        close(tfd);
    return rc;
}
