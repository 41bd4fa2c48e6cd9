/*
 * The self-test: checks of terminal, colours, fonts, speech, keypad,
 * printer, data directory, translations and staff PIN, as report lines
 * ("OK …", "WARN …", "FAIL …"). Used by `dauys selftest` and by the staff
 * menu.
 */
#ifndef DAUYS_KIOSK_SELFTEST_H
#define DAUYS_KIOSK_SELFTEST_H

#include <stdbool.h>

#include "accessibility/i18n.h"
#include "kiosk/config.h"

struct selftest_env {
    const struct config *cfg;
    const char *data_dir;    /* NULL: not resolved */
    const struct i18n *i18n; /* NULL: translations failed to load */
    enum lang lang;
    const char *speech;        /* engine name */
    bool audio_ok;             /* the audio device works */
    const char *audio_why;     /* why not, when known; may be NULL */
    int colors;                /* colours the terminal shows; -1 unknown */
    int cols, rows;            /* terminal size; 0 unknown */
    int keypad_live;           /* 0: probe the configured device; 1: the
                                 running kiosk reads it; -1: it has lost it */
    const char *keypad_detail; /* keypad_live -1: why */
};

/*
 * Runs every check. Fills *lines (N_LINES entries, each and the array
 * freed by the caller). Returns the number of failed checks.
 */
int selftest_run(const struct selftest_env *env, char ***lines, int *n_lines);

#endif
