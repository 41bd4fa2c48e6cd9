/*
 * `dauys run`: starts the kiosk. Everything that can fail (options,
 * configuration, data directory, translations, speech log) is checked
 * before the terminal is taken over, so that an error is printed on a
 * normal terminal and nothing is left half set up.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "accessibility/keypad.h"
#include "accessibility/normalise.h"
#include "accessibility/speech.h"
#include "accessibility/speech_espeak.h"
#include "accessibility/speech_mixer.h"
#include "accessibility/xalloc.h"
#include "kiosk/app.h"
#include "kiosk/cmd.h"
#include "kiosk/configure.h"
#include "kiosk/log.h"
#include "kiosk/loop.h"
#include "kiosk/media.h"
#include "kiosk/options.h"
#include "kiosk/selftest.h"
#include "kiosk/services_run.h"
#include "kiosk/staff.h"
#include "kiosk/station.h"
#include "kiosk/terminal.h"
#include "kiosk/tty.h"

#define DEMO_PIN "123456"

static const char run_usage[] =
    "usage: dauys [run] [OPTIONS]\n"
    "Starts the kiosk on this terminal.\n\n"
    "  --demo               bundled demo data (the demo election package\n"
    "                       loaded, voting open), in a fresh directory under\n"
    "                       $XDG_STATE_HOME/dauys-demo (staff PIN " DEMO_PIN
    ")\n"
    "  --config FILE        configuration (default " CONFIG_DEFAULT_PATH ")\n"
    "  --data-dir DIR       database, loaded package, audit log, state\n"
    "  --media-dir DIR      where USB sticks appear (default " MEDIA_DEFAULT_DIR
    ")\n"
    "  --mode MODE          voting, services or both\n"
    "  --kiosk              production: Ctrl-C, Ctrl-Z, Ctrl-\\ do nothing;\n"
    "                       only staff can quit; test hooks are refused\n"
    "  --lang LANG          language of the first screen: kk, ru or en\n"
    "                       (default: kk and ru are offered together)\n"
    "  --speech ENGINE      espeak (default) or none\n"
    "  --speech-log FILE    test hook: append every utterance to FILE\n"
    "  --speech-wav DIR     test hook: also write each utterance to a WAV\n"
    "                       file in DIR (refused with --kiosk)\n"
    "  --keypad DEVICE|none the tactile keypad's input device, read through\n"
    "                       libinput (default: [keypad] device)\n"
    "  --keypad-test FIFO   test hook: read evdev key events for the keypad\n"
    "                       (its [keypad] profile) from the named pipe FIFO,\n"
    "                       lines 'CODE down|up [+MS]' (refused with --kiosk)\n"
    "  --idle-test W:G      test hook: idle warning after W s, session\n"
    "                       wiped G s later (refused with --kiosk)\n"
    "  --help               this text\n";

struct run_args {
    bool demo, kiosk;
    const char *config, *data_dir, *media_dir, *mode, *lang, *speech,
        *speech_log, *speech_wav, *keypad, *idle_test, *keypad_test;
};

static int
run_parse(int argc, char **argv, struct run_args *a)
{
    const struct cmd_option opts[] = {
        {"demo", NULL, &a->demo},
        {"config", &a->config, NULL},
        {"data-dir", &a->data_dir, NULL},
        {"media-dir", &a->media_dir, NULL},
        {"mode", &a->mode, NULL},
        {"kiosk", NULL, &a->kiosk},
        {"lang", &a->lang, NULL},
        {"speech", &a->speech, NULL},
        {"speech-log", &a->speech_log, NULL},
        {"speech-wav", &a->speech_wav, NULL},
        {"idle-test", &a->idle_test, NULL},
        {"keypad", &a->keypad, NULL},
        {"keypad-test", &a->keypad_test, NULL},
        {NULL, NULL, NULL},
    };
    static const struct cmd_syntax syn = {"dauys", run_usage, true, false};
    int prc = cmd_options(argc, argv, 1, opts, &syn);
    if (prc != 0)
        return prc > 0 ? -2 : -1;
    if (a->kiosk && (a->speech_log != NULL || a->speech_wav != NULL ||
                     a->idle_test != NULL || a->keypad_test != NULL)) {
        fprintf(stderr,
                "dauys: --%s is a test hook and is refused with "
                "--kiosk\n",
                a->speech_log != NULL   ? "speech-log"
                : a->speech_wav != NULL ? "speech-wav"
                : a->idle_test != NULL  ? "idle-test"
                                        : "keypad-test");
        return -1;
    }
    return 0;
}

/* Reads the number of seconds whose digits start *S and moves *S past them.
 * Returns 0 (never a valid number of seconds here), leaving *S, when *S
 * starts with no digit or the number does not fit in an unsigned. */
static unsigned
run_seconds(const char **s)
{
    if (**s < '0' || **s > '9')
        return 0;
    char *end;
    errno = 0;
    unsigned long v = strtoul(*s, &end, 10);
    if (errno != 0 || v > UINT_MAX)
        return 0;
    *s = end;
    return (unsigned)v;
}

/* The staff PIN hashes by role: from the terminal configuration, or the
 * one PIN file of `dauys staff passwd` (a technician's). */
struct run_pin {
    char *hash[STAFF_ROLES];
};

/* Sets the mixer to [speech] calibration_db, once; without one, to 0 dB
 * and unmuted (a card starts muted or at its lowest step, and nothing
 * else on the appliance sets it: left alone, the kiosk would be silent
 * after boot). A card that cannot be set is logged for staff, not fatal:
 * the kiosk still speaks, and a missing card is shown as NO SOUND anyway. */
static void
run_calibrate(const struct config *cfg)
{
    char *set = NULL, *why = NULL;
    if (!cfg->calibrated) {
        if (speech_mixer_set_unity(NULL, &set, &why) == 0) {
            log_info("volume: no calibration_db: mixer %s, unmuted (levels "
                     "not at a known sound level)",
                     set);
            free(set);
        } else {
            log_warn("volume: no calibration_db, and the mixer cannot be "
                     "set: %s",
                     why);
            free(why);
        }
        return;
    }
    if (speech_mixer_set_db(NULL, cfg->calibration_db, &set, &why) == 0) {
        log_info("volume calibrated: mixer %s (level 10 = 100 dB SPL)", set);
        free(set);
    } else {
        log_warn("volume NOT calibrated: %s", why);
        free(why);
    }
}

static int
run_verify(void *ctx, const char *pin)
{
    struct run_pin *p = ctx;
    for (int r = 0; r < STAFF_ROLES; r++)
        if (p->hash[r] != NULL && staff_pin_verify(p->hash[r], pin))
            return r;
    return -1;
}

static bool
run_has_pin(const struct run_pin *p)
{
    for (int r = 0; r < STAFF_ROLES; r++)
        if (p->hash[r] != NULL)
            return true;
    return false;
}

/*
 * Reads the terminal configuration DATA_DIR accepted and lays it over CFG
 * (docs/terminal-config.md). *T is filled and *CONFIGURED set when there
 * is one. REQUIRED (--kiosk, or [kiosk] require_terminal_config): the
 * provisioning key must be there, and without an accepted configuration
 * the kiosk offers only configuring. Outside it, a configuration is used
 * when one was accepted and the key is there. Returns 0, or -1 after
 * saying why on stderr; *KEYS (the caller frees) holds the provisioning
 * keys when they were read.
 */
static int
run_terminal(struct config *cfg, const char *data_dir, bool required,
             struct terminal *t, bool *configured, unsigned char (**keys)[32],
             size_t *n_keys)
{
    char *why = NULL;
    *configured = false;
    if (!required && access(cfg->provision_key, F_OK) != 0)
        return 0;
    if (terminal_read_keys(cfg->provision_key, keys, n_keys, &why) < 0) {
        fprintf(stderr,
                "dauys: the provisioning key (which signs terminal "
                "configurations; installed by make image): %s\n",
                why);
        free(why);
        return -1;
    }
    int r = terminal_load_accepted(data_dir,
                                   (const unsigned char(*)[32]) * keys, *n_keys,
                                   t, &why);
    if (r < 0) {
        log_warn("the accepted terminal configuration is refused: %s", why);
        fprintf(stderr,
                "dauys: warning: the accepted terminal configuration is "
                "refused (insert the configuration stick again):\n%s\n",
                why);
        free(why);
        return 0;
    }
    if (r == 0) {
        terminal_apply(t, cfg);
        *configured = true;
        log_info("terminal configuration %s serial %lld in force", t->id,
                 t->serial);
    }
    return 0;
}

struct run_selftest {
    struct config *cfg;
    const char *data_dir;
    const struct i18n *i18n;
    struct app *app;
    struct tty *tty;
    struct speech *sp;
    struct speech_engine engine;
    bool espeak;
    struct keypad *keypad;
};

static bool
run_audio_ok(void *ctx)
{
    struct run_selftest *s = ctx;
    return s->espeak && speech_espeak_audio_ok(s->engine, NULL);
}

static int
run_selftest_cb(void *ctx, char ***lines, int *n)
{
    struct run_selftest *s = ctx;
    bool can_change;
    char *audio_why = NULL;
    bool audio_ok = s->espeak && speech_espeak_audio_ok(s->engine, &audio_why);
    if (!s->espeak)
        audio_why = xstrdup("speech is off (--speech none)");
    struct selftest_env env = {
        .cfg = s->cfg,
        .data_dir = s->data_dir,
        .i18n = s->i18n,
        .lang = app_lang(s->app),
        .speech = speech_engine_name(s->sp),
        .audio_ok = audio_ok,
        .audio_why = audio_why,
        .colors = tty_colors(s->tty, &can_change),
    };
    if (s->keypad != NULL) {
        env.keypad_live = keypad_present(s->keypad) ? 1 : -1;
        env.keypad_detail = keypad_problem(s->keypad);
    }
    tty_size(s->tty, &env.cols, &env.rows);
    selftest_run(&env, lines, n);
    free(audio_why);
    return 0;
}

/*
 * Puts the election package in force at start: in --demo the bundled demo
 * package, with voting open; otherwise the package staff loaded earlier
 * (verified again), with voting closed until staff open it. A saved
 * package that no longer verifies is refused with a warning, and the
 * kiosk starts without one.
 */
static int
run_election(struct station *station, struct app *app, bool demo)
{
    struct election *e = NULL;
    char *why = NULL;
    if (demo) {
        char *dir = xasprintf("%s/demo/election", options_datadir());
        int r = station_load(station, dir, false, &e, &why);
        if (r < 0) {
            fprintf(stderr, "dauys: the demo package: %s\n", why);
            free(why);
            free(dir);
            return -1;
        }
        free(dir);
        app_set_election(app, e);
        app_set_voting(app, true);
        return 0;
    }
    int r = station_load_saved(station, &e, &why);
    if (r < 0) {
        log_warn("the saved election package is refused: %s", why);
        fprintf(stderr,
                "dauys: warning: the saved election package is "
                "refused:\n%s\n",
                why);
        free(why);
    } else if (r == 0) {
        log_info("election package %s in force", e->id);
        app_set_election(app, e);
    }
    return 0;
}

int
cmd_run(int argc, char **argv)
{
    struct run_args a = {0};
    struct config cfg;
    char data_dir[PATH_MAX];
    char *why = NULL;
    struct i18n *i18n = NULL;
    struct speech *sp = NULL;
    struct app *app = NULL;
    struct tty *tty = NULL;
    struct run_pin pin = {0};
    struct station *station = NULL;
    struct keyprofile *profile = NULL;
    struct keypad *keypad = NULL;
    struct braille *braille = NULL;
    struct services_run *svc = NULL;
    struct terminal term;
    bool configured = false, restart = false;
    unsigned char(*pkeys)[32] = NULL;
    size_t n_pkeys = 0;
    enum kiosk_mode mode_arg = MODE_BOTH;
    int rc = EXIT_INVALID;

    int prc = run_parse(argc, argv, &a);
    if (prc == -2)
        return EXIT_OK;
    if (prc < 0)
        return EXIT_USAGE;
    if (options_config(&cfg, a.config, a.demo, &why) < 0) {
        fprintf(stderr, "dauys: %s\n", why);
        goto out;
    }
    if (a.mode != NULL) {
        if (strcmp(a.mode, "voting") == 0)
            cfg.mode = mode_arg = MODE_VOTING;
        else if (strcmp(a.mode, "services") == 0)
            cfg.mode = mode_arg = MODE_SERVICES;
        else if (strcmp(a.mode, "both") == 0)
            cfg.mode = mode_arg = MODE_BOTH;
        else {
            fprintf(stderr,
                    "dauys: --mode must be voting, services or "
                    "both, not '%s'\n",
                    a.mode);
            rc = EXIT_USAGE;
            goto out;
        }
    }
    enum lang first = LANG_KK;
    if (a.lang != NULL && lang_from_code(a.lang, &first) < 0) {
        fprintf(stderr, "dauys: --lang must be kk, ru or en, not '%s'\n",
                a.lang);
        rc = EXIT_USAGE;
        goto out;
    }
    bool espeak = a.speech == NULL || strcmp(a.speech, "espeak") == 0;
    if (!espeak && strcmp(a.speech, "none") != 0) {
        fprintf(stderr, "dauys: --speech must be espeak or none, not '%s'\n",
                a.speech);
        rc = EXIT_USAGE;
        goto out;
    }
    if (!espeak && a.speech_wav != NULL) {
        fprintf(stderr, "dauys: --speech-wav needs --speech espeak\n");
        rc = EXIT_USAGE;
        goto out;
    }
    if (a.idle_test != NULL) {
        const char *s = a.idle_test;
        unsigned w = run_seconds(&s), g = 0;
        if (w != 0 && *s == ':') {
            s++;
            g = run_seconds(&s);
        }
        if (w == 0 || g == 0 || *s != '\0') {
            fprintf(stderr,
                    "dauys: --idle-test must be WARNING:GRACE in "
                    "seconds, e.g. 3:5, not '%s'\n",
                    a.idle_test);
            rc = EXIT_USAGE;
            goto out;
        }
        cfg.idle_warning_s = w;
        cfg.idle_grace_s = g;
    }
    if (a.keypad != NULL)
        snprintf(cfg.keypad_device, sizeof cfg.keypad_device, "%s",
                 strcmp(a.keypad, "none") == 0 ? "" : a.keypad);
    if (a.keypad_test != NULL && a.keypad != NULL) {
        fprintf(stderr, "dauys: --keypad-test replaces the keypad device; "
                        "give it without --keypad\n");
        rc = EXIT_USAGE;
        goto out;
    }
    struct stat fifo;
    if (a.keypad_test != NULL &&
        (stat(a.keypad_test, &fifo) != 0 || !S_ISFIFO(fifo.st_mode))) {
        fprintf(stderr,
                "dauys: --keypad-test: %s is not a named pipe "
                "(make one with mkfifo)\n",
                a.keypad_test);
        rc = EXIT_USAGE;
        goto out;
    }
    if (cfg.keypad_device[0] != '\0' || a.keypad_test != NULL) {
        char path[PATH_MAX];
        options_keypad_profile(&cfg, path);
        if (keyprofile_load(path, &profile, &why) < 0) {
            fprintf(stderr, "dauys: %s\n", why);
            goto out;
        }
    }
    if (options_data_dir(&cfg, a.data_dir, a.demo, data_dir, &why) < 0) {
        fprintf(stderr, "dauys: %s\n", why);
        rc = EXIT_ENVIRONMENT;
        goto out;
    }
    i18n = i18n_new(options_localedir(), &why);
    if (i18n == NULL) {
        fprintf(stderr, "dauys: %s\n", why);
        rc = EXIT_ENVIRONMENT;
        goto out;
    }
    bool required = (a.kiosk && !a.demo) || cfg.require_terminal_config;
    if (run_terminal(&cfg, data_dir, required, &term, &configured, &pkeys,
                     &n_pkeys) < 0) {
        rc = EXIT_ENVIRONMENT;
        goto out;
    }
    if (configured && a.mode != NULL)
        cfg.mode = mode_arg;
    int r = 0;
    if (configured) {
        for (int i = 0; i < STAFF_ROLES; i++)
            if (term.pin_hash[i][0] != '\0')
                pin.hash[i] = xstrdup(term.pin_hash[i]);
    } else if (!required) {
        char *pin_path = staff_pin_path(data_dir, "admin");
        r = staff_pin_read(pin_path, &pin.hash[STAFF_TECHNICIAN], &why);
        if (r == 1 && a.demo) {
            if (staff_pin_write(pin_path, DEMO_PIN, &why) == 0)
                r = staff_pin_read(pin_path, &pin.hash[STAFF_TECHNICIAN], &why);
            else
                r = -1;
        }
        free(pin_path);
    }
    if (r < 0) {
        fprintf(stderr, "dauys: %s\n", why);
        goto out;
    }
    if (configured && a.lang == NULL && term.language >= 0)
        first = (enum lang)term.language;
    bool unconfigured = required && !configured;

    /* Voting state must never reach a core dump or another process: no
     * kiosk runs without that. */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        fprintf(stderr,
                "dauys: cannot keep voting state out of core "
                "dumps (prctl PR_SET_DUMPABLE): %s\n",
                strerror(errno));
        rc = EXIT_ENVIRONMENT;
        goto out;
    }
    /* With the speech log (a test hook) and stderr redirected, log lines
     * are copied to stderr as well, so a test can read all the kiosk
     * logs. */
    log_open(a.speech_log != NULL && !isatty(STDERR_FILENO));
    if (loop_signals_init(&why) < 0) {
        fprintf(stderr, "dauys: %s\n", why);
        rc = EXIT_ENVIRONMENT;
        goto out;
    }
    struct speech_engine engine = speech_none_engine();
    if (espeak) {
        char *lexicon = xasprintf("%s/lexicon", options_datadir());
        struct speech_espeak_options eo = {
            .wav_dir = a.speech_wav,
            .audio = true,
            .lexicon_dir = lexicon,
        };
        r = speech_espeak_engine_new(&eo, &engine, &why);
        free(lexicon);
        if (r < 0) {
            fprintf(stderr, "dauys: speech: %s\n", why);
            rc = EXIT_ENVIRONMENT;
            goto out;
        }
        run_calibrate(&cfg);
    }
    /* The spoken forms of numbers, dates and abbreviations: bad or missing
     * rules are said at start, not discovered as digits read aloud. */
    char *rules = xasprintf("%s/speech", options_datadir());
    r = normalise_init(rules, &why);
    free(rules);
    if (r < 0) {
        fprintf(stderr, "dauys: speech rules: %s\n", why);
        engine.ops->free(engine.self);
        rc = EXIT_ENVIRONMENT;
        goto out;
    }
    sp = speech_new(engine, a.speech_log, &why);
    if (sp == NULL) {
        fprintf(stderr, "dauys: %s\n", why);
        rc = EXIT_ENVIRONMENT;
        goto out;
    }
    if ((cfg.mode & MODE_SERVICES) && !unconfigured) {
        /* Without a tactile keypad the visitor types on a keyboard. */
        bool keyboard = profile == NULL ||
                        strcmp(cfg.keypad_profile, "keyboard") == 0;
        svc = services_start(&cfg, data_dir, a.demo, keyboard, i18n);
        /* A missing or changed centre key is never worked around: a
         * services terminal set up by hand does not start; one that also
         * assists voters, or one that runs a signed terminal
         * configuration, starts without taking applications and says so
         * here, in the log and on the staff console. The configured one
         * must start: its technician mends it with a new configuration
         * from the stick, which a kiosk that exits at once (and is
         * restarted by systemd every few seconds) could never read. */
        int serr = services_store_error(svc);
        if (serr == STORE_KEY || serr == STORE_READONLY) {
            fprintf(stderr, "dauys: %s\n", services_problem(svc));
            if (cfg.mode == MODE_SERVICES && !configured) {
                rc = EXIT_ENVIRONMENT;
                goto out;
            }
            fprintf(stderr, "%s",
                    cfg.mode & MODE_VOTING
                        ? "dauys: voting assistance starts; applications "
                          "are not taken\n"
                        : "dauys: the catalogue is shown; applications are "
                          "not taken until a technician loads a new "
                          "terminal configuration from the stick\n");
        }
    }
    tty = tty_open(&why);
    if (tty == NULL) {
        fprintf(stderr, "dauys: %s\n", why);
        rc = EXIT_ENVIRONMENT;
        goto out;
    }
    struct app_options ao = {
        .i18n = i18n,
        .mode = cfg.mode,
        .first_lang = a.lang != NULL || (configured && term.language >= 0)
                          ? (int)first
                          : -1,
        .test_mode = a.speech_log != NULL || a.speech_wav != NULL ||
                     a.idle_test != NULL || a.keypad_test != NULL,
        .lockout_base_s = cfg.staff_lockout_s,
        .staff_verify = run_has_pin(&pin) ? run_verify : NULL,
        .staff_verify_ctx = &pin,
        .idle_warning_s = cfg.idle_warning_s,
        .idle_grace_s = cfg.idle_grace_s,
        .max_text_size = tty_max_text_size(tty),
        .keypad = profile,
        .scan_interval_ms = cfg.scan_interval_s * 1000,
        .svc = svc != NULL ? services_get(svc) : NULL,
        .unconfigured = unconfigured,
        .terminal_id = configured ? term.id : NULL,
        .location_kk = configured ? term.location_kk : NULL,
        .location_ru = configured ? term.location_ru : NULL,
        .volume = cfg.volume,
    };
    station = station_new(data_dir, &cfg, a.demo);
    station_set_media(station,
                      a.media_dir != NULL ? a.media_dir : MEDIA_DEFAULT_DIR,
                      MEDIA_DEFAULT_SOCKET);
    services_set_media(svc,
                       a.media_dir != NULL ? a.media_dir : MEDIA_DEFAULT_DIR,
                       MEDIA_DEFAULT_SOCKET);
    ao.audit = station_audit_port;
    ao.audit_head = station_audit_head;
    ao.audit_ctx = station;
    app = app_new(&ao);
    station_set_services(station, svc != NULL ? services_get(svc) : NULL);
    app_set_practice(app, station_practice(station));
    if (run_election(station, app, a.demo) < 0)
        goto out;
    station_started(station, a.config != NULL ? a.config
                             : !a.demo && access(CONFIG_DEFAULT_PATH, F_OK) == 0
                                 ? CONFIG_DEFAULT_PATH
                                 : NULL);
    (void)station_restore(station, app, (int64_t)time(NULL), loop_now());
    if (profile != NULL) {
        struct keypad_options ko = {
            .device = cfg.keypad_device,
            .profile = profile,
            .double_press_ms = cfg.keypad_double_press_ms,
            .test_fifo = a.keypad_test,
        };
        keypad = keypad_open(&ko, &why);
        if (keypad == NULL) {
            tty_close(tty);
            tty = NULL;
            fprintf(stderr, "dauys: %s\n", why);
            rc = EXIT_ENVIRONMENT;
            goto out;
        }
    }
    if (cfg.braille) {
        struct braille_options bo = {
            .host = cfg.braille_host,
            .contracted = cfg.braille_contracted,
        };
        braille = braille_open(&bo, &why);
        if (braille == NULL) {
            tty_close(tty);
            tty = NULL;
            fprintf(stderr, "dauys: %s\n", why);
            rc = EXIT_ENVIRONMENT;
            goto out;
        }
    }
    /* A full or read-only data partition: said at start, for staff. */
    char *detail = NULL;
    const char *data_problem = services_data_check(data_dir, &detail);
    if (data_problem != NULL) {
        log_error("data directory: %s", detail);
        free(detail);
    }
    log_info("kiosk started (mode %d%s%s)", (int)cfg.mode,
             a.kiosk ? ", kiosk" : "", unconfigured ? ", not configured" : "");
    struct configure conf = {
        .data_dir = data_dir,
        .media_dir = a.media_dir != NULL ? a.media_dir : MEDIA_DEFAULT_DIR,
        .keys = (const unsigned char(*)[32])pkeys,
        .n_keys = n_pkeys,
    };
    struct run_selftest st = {&cfg, data_dir, i18n,   app,   tty,
                              sp,   engine,   espeak, keypad};
    struct loop_options lo = {
        .kiosk = a.kiosk,
        .selftest = run_selftest_cb,
        .selftest_ctx = &st,
        .audio_ok = espeak ? run_audio_ok : NULL,
        .audio_ctx = &st,
        .station = station_effect,
        .station_ctx = station,
        .configure = configure_effect,
        .configure_ctx = &conf,
        .restart = &restart,
        .keypad = keypad,
        .braille = braille,
        .start_notice = data_problem,
    };
    if (loop_run(&lo, app, tty, sp, &why) < 0) {
        tty_close(tty);
        tty = NULL;
        fprintf(stderr, "dauys: %s\n", why);
        goto out;
    }
    log_info(restart ? "kiosk starts again with its new configuration"
                     : "kiosk stopped");
    rc = restart ? EXIT_RESTART : EXIT_OK;
out:
    tty_close(tty);
    keypad_close(keypad);
    braille_close(braille);
    app_free(app);
    station_free(station);
    keyprofile_free(profile);
    services_stop(svc);
    speech_free(sp);
    i18n_free(i18n);
    for (int i = 0; i < STAFF_ROLES; i++)
        free(pin.hash[i]);
    free(pkeys);
    free(why);
    return rc;
}
