/*
 * The polling station's state that must survive a crash or a power cut:
 * which package is in force, whether voting assistance is open and for
 * which day, when it was opened and closed, how many voter sessions were
 * served (a count only: nothing about a session) and stencils written,
 * and the staff-login guard (wrong PINs in a row, lockouts, until when
 * login is locked). It lives in <data-dir>/state, a small versioned text
 * file (docs/appliance.md), replaced whole through atomicfile (temporary
 * file, fsync, rename, fsync of the folder) after every change, so that a
 * power cut leaves the old state or the new one, never half of each.
 *
 * This file is the format only: reading, writing and the rules that need
 * no clock of their own. kiosk/station.c keeps the state in force and
 * writes it when staff or voters change it.
 */
#ifndef DAUYS_KIOSK_STATION_STATE_H
#define DAUYS_KIOSK_STATION_STATE_H

#include <stdbool.h>
#include <stdint.h>

#define STATION_STATE_FORMAT "dauys-state/1"
#define STATION_STATE_ID_MAX 64 /* bytes of a package id */
#define STATION_STATE_DAY 11    /* "YYYY-MM-DD" and its NUL */

struct station_state {
    char package_id[STATION_STATE_ID_MAX + 1]; /* "": none loaded */
    char package_hash[65];                     /* SHA-256 hex; "": none */
    bool voting_open;
    char open_day[STATION_STATE_DAY]; /* the local day it was opened for */
    int64_t opened_at;                /* Unix seconds; 0: never opened */
    int64_t closed_at;                /* Unix seconds; 0: not closed since */
    uint64_t sessions;                /* voter sessions started */
    uint64_t stencils;                /* ballots whose stencils were written */
    unsigned pin_failures;            /* wrong staff PINs in a row */
    unsigned pin_lockouts;            /* lockouts since the last right PIN */
    int64_t pin_locked_until;         /* Unix seconds; 0: not locked */
};

/* Returns "<DATA_DIR>/state". The caller frees it. */
char *station_state_path(const char *data_dir);

/* Fills ST with the state of a terminal that has never run: nothing
 * loaded, voting closed, counters at zero, login not locked. */
void station_state_init(struct station_state *st);

/*
 * Reads the state file PATH into *ST. Returns 0; 1 when there is no file
 * (*ST is then the initial state); or -1 with *WHY (the caller frees)
 * saying what is wrong with the file (unreadable, not a state file, a
 * newer format, a damaged or missing line), *ST then the initial state.
 * Anything but a regular file is refused without being opened for long
 * (a FIFO never blocks).
 */
int station_state_read(const char *path, struct station_state *st, char **why);

/* Replaces the state file PATH with ST, atomically and durably (fsync of
 * the file and of its folder). Returns 0, or -1 with *WHY. */
int station_state_write(const char *path, const struct station_state *st,
                        char **why);

/* Writes TODAY (STATION_STATE_DAY bytes): the local date at NOW (Unix
 * seconds) as YYYY-MM-DD. */
void station_state_day(int64_t now, char today[STATION_STATE_DAY]);

#endif
