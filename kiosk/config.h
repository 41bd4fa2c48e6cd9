/*
 * The configuration file (specs/cli.md, "Configuration file"): INI syntax,
 * read with inih. Every problem is reported with its line, all of them in
 * one pass; unknown sections and keys are errors, because a mistyped key on
 * an election day must not be silently ignored. Keys beyond the spec's
 * minimum are documented in data/dauys.conf.
 */
#ifndef DAUYS_KIOSK_CONFIG_H
#define DAUYS_KIOSK_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "kiosk/mode.h"

#define CONFIG_KEYS_MAX 8
#define CONFIG_DEFAULT_PATH "/etc/dauys/dauys.conf"
#define CONFIG_CALIBRATION_MIN_DB (-100)
#define CONFIG_CALIBRATION_MAX_DB 30

struct config {
    enum kiosk_mode mode;
    char centre[33];
    char terminal[33];       /* [kiosk] terminal; empty: the centre code */
    unsigned idle_warning_s; /* 120..300 */
    unsigned idle_grace_s;   /* 20..45 */
    char data_dir[PATH_MAX];
    int rate;   /* 50..200 in steps of 25 */
    int volume; /* the level each session starts at, 1..10 */
    /* [speech] calibration_db: the mixer setting (dB) at which volume level
     * 10 is 100 dB SPL at the headphones; set once at start. */
    double calibration_db;
    bool calibrated; /* calibration_db was given */
    char keypad_device[PATH_MAX];
    char keypad_profile[PATH_MAX];   /* a name under <datadir>/keypad, or a
                                      path to a .profile file */
    unsigned keypad_double_press_ms; /* 0..500 */
    unsigned scan_interval_s;        /* 1..10: one-switch scanning's pace */
    unsigned char public_keys[CONFIG_KEYS_MAX][32];
    size_t n_public_keys;
    char database[PATH_MAX]; /* empty: <data_dir>/dauys.db */
    unsigned retention_days;
    char printer[PATH_MAX];
    char catalogue[PATH_MAX]; /* empty: the bundled catalogue */
    char key_file[PATH_MAX];  /* the key file of an older dauys, read once
                               * to migrate; empty: <data_dir>/services.key */
    unsigned char centre_public_key[32]; /* [services] centre_public_key */
    bool has_centre_key;
    unsigned staff_lockout_s;
    /* [kiosk] require_terminal_config: without an accepted signed
     * terminal configuration offer nothing but configuring (--kiosk
     * implies it); [kiosk] provision_key: the key that signs them. */
    bool require_terminal_config;
    char provision_key[PATH_MAX];
    bool braille;             /* [braille] enabled */
    bool braille_contracted;  /* [braille] contracted */
    char braille_host[256];   /* [braille] host; empty: BrlAPI's default */
    char sync_conninfo[1024]; /* [sync] conninfo (libpq); empty: no sync */
    char sync_ca[PATH_MAX];   /* [sync] ca_file: the central CA */
    unsigned sync_interval_s; /* [sync] interval_s: 1..3600 */
    unsigned sync_batch;      /* [sync] batch: 1..1000 rows a push */
    unsigned sync_status_s;   /* [sync] status_interval_s: 10..86400 */
};

/* Fills C with the defaults. */
void config_defaults(struct config *c);

/*
 * Reads PATH over the values already in C. Returns 0, or -1 with *why
 * (caller frees) listing every problem as "PATH:LINE: message". C is left
 * unchanged on error.
 */
int config_load(struct config *c, const char *path, char **why);

/* Parses TEXT (the contents of a file called NAME) the same way. */
int config_parse(struct config *c, const char *name, const char *text,
                 char **why);

#endif
