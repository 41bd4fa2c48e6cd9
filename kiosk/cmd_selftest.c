/*
 * `dauys selftest [--config FILE] [--data-dir DIR]`: prints the self-test
 * report; exit status 1 when a check failed.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "accessibility/speech_espeak.h"
#include "accessibility/xalloc.h"
#include "kiosk/cmd.h"
#include "kiosk/options.h"
#include "kiosk/selftest.h"

int
cmd_selftest(int argc, char **argv)
{
    const char *config = NULL, *data = NULL;
    const struct cmd_option opts[] = {
        {"config", &config, NULL},
        {"data-dir", &data, NULL},
        {NULL, NULL, NULL},
    };
    static const struct cmd_syntax syn = {
        "dauys selftest",
        "usage: dauys selftest [--config FILE] [--data-dir DIR]\n"
        "Checks terminal, colours, fonts, speech, keypad, printer,\ndata "
        "directory, translations and staff PIN.\n",
        false, true};
    int prc = cmd_options(argc, argv, 1, opts, &syn);
    if (prc != 0)
        return prc > 0 ? EXIT_OK : EXIT_USAGE;
    struct config cfg;
    char *why = NULL;
    if (options_config(&cfg, config, false, &why) < 0) {
        fprintf(stderr, "dauys: %s\n", why);
        free(why);
        return EXIT_INVALID;
    }
    char dir[PATH_MAX];
    bool have_dir = options_data_dir(&cfg, data, false, dir, &why) == 0;
    free(why);
    why = NULL;
    struct i18n *i18n = i18n_new(options_localedir(), &why);
    free(why);
    /* Speech: start the engine the kiosk would use and see whether it
     * reaches the audio device. */
    char *lexicon = xasprintf("%s/lexicon", options_datadir());
    struct speech_espeak_options eo = {.audio = true, .lexicon_dir = lexicon};
    struct speech_engine engine = {0};
    char *audio_why = NULL;
    bool audio_ok = false;
    if (speech_espeak_engine_new(&eo, &engine, &audio_why) == 0) {
        audio_ok = speech_espeak_audio_ok(engine, &audio_why);
        engine.ops->free(engine.self);
    }
    free(lexicon);
    struct winsize ws = {0};
    bool tty = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0;
    struct selftest_env env = {
        .cfg = &cfg,
        .data_dir = have_dir ? dir : NULL,
        .i18n = i18n,
        .lang = LANG_EN,
        .speech = "espeak-ng",
        .audio_ok = audio_ok,
        .audio_why = audio_why,
        .colors = -1,
        .cols = tty ? ws.ws_col : 0,
        .rows = tty ? ws.ws_row : 0,
    };
    char **lines;
    int n;
    int failed = selftest_run(&env, &lines, &n);
    for (int i = 0; i < n; i++) {
        puts(lines[i]);
        free(lines[i]);
    }
    free(lines);
    i18n_free(i18n);
    free(audio_why);
    printf("%d check(s) failed\n", failed);
    return failed ? EXIT_INVALID : EXIT_OK;
}
