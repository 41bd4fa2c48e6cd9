/*
 * The applications database (SQLite).
 *
 * Durability first: WAL with synchronous=FULL, so that an application is
 * on disk when store_submit() returns 0, and only then may its number be
 * announced. Every change is one IMMEDIATE transaction: it is applied
 * whole or not at all, and a full disk or a locked database comes back as
 * its own error code so the visitor can be told what to do. The schema is
 * versioned with PRAGMA user_version and migrated at open; PRAGMA
 * integrity_check runs at open and a damaged file is refused with a
 * message for staff. The file is created with mode 0600.
 *
 * Personal data (IIN, phone, name, disability group) is sealed to the
 * centre's public key with libsodium sealed boxes (crypto_box_seal) before
 * it is written: the kiosk holds no key that can open what it stored, so a
 * copy of the data partition yields nothing personal. The kiosk therefore
 * finds applications by number only; IIN search and duplicate detection
 * are the central server's (docs/central.md). Staff notes are sealed the
 * same way. The fingerprint of the centre key is recorded in the database
 * at the first open; a different key, or none, is refused at open with a
 * message naming both fingerprints, never silently replaced.
 *
 * The outbox: every application is also kept as its canonical outbox
 * record (docs/central.md, "Record format"; the sealed data, the
 * non-personal fields and a SHA-256 content hash), made once when it is
 * stored and never changed, with a sequence number that is never reused
 * and the time the central server acknowledged it. Retention deletes only
 * acknowledged applications, and measures their age from the newest
 * application rather than from a clock that may run ahead.
 *
 * Schema version 4 encrypted the personal columns with XChaCha20-Poly1305
 * under a key file next to the database (services.key). The migration to
 * version 5 decrypts them with that key, seals them to the centre key,
 * drops the old columns and then overwrites and removes the key file.
 *
 * Every staff action (status change, IIN override, export) is appended to
 * the one staff audit trail (accessibility/audit.h, store_options.
 * audit_log) inside its transaction, before the COMMIT: an action the
 * trail cannot hold is not saved, and one whose COMMIT then fails gets a
 * second entry saying it was not saved. The entries hold the staff role,
 * the action and the application number, never personal data. Schema
 * version 3 kept them in an `audit` table with a keyed hash chain; the
 * migration to version 4 moves them to the trail, after an entry saying
 * whether that chain still verified, and drops the table.
 */
#ifndef DAUYS_SERVICES_STORE_H
#define DAUYS_SERVICES_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "services/application.h"

#define STORE_SCHEMA_VERSION 5
#define STORE_CENTRE_KEY_LEN 32  /* X25519 public key */
#define STORE_FINGERPRINT_LEN 20 /* "1a2b:3c4d:5e6f:7a8b" and NUL */

enum store_error {
    STORE_OK = 0,
    STORE_ERROR = -1,    /* any other failure (see *why) */
    STORE_FULL = -2,     /* the disk or the database is full */
    STORE_BUSY = -3,     /* the database is locked by another process */
    STORE_INVALID = -4,  /* the input was refused (see *why) */
    STORE_DAMAGED = -5,  /* integrity check failed at open */
    STORE_READONLY = -6, /* the data directory or file cannot be written */
    STORE_KEY = -7,      /* the centre key is missing or not this
                          * database's (see *why) */
};

struct store_options {
    const char *path; /* database file */
    /* The centre's public key (STORE_CENTRE_KEY_LEN bytes); NULL: refused
     * with STORE_KEY, since nothing could be sealed. */
    const unsigned char *centre_key;
    const char *terminal;  /* terminal id in outbox records; NULL or "":
                           * each application's centre */
    const char *key_path;  /* the key file of schema version 4: read only
                           * to migrate, then overwritten and removed;
                           * NULL: none. Never created. */
    const char *audit_log; /* the staff audit trail (audit_path()); NULL:
                            * staff actions are refused */
    const char *vfs;       /* SQLite VFS name, NULL: the default (tests) */
    int busy_ms;           /* wait this long for a lock; 0: 2000 */
    bool bulk;             /* synchronous=OFF: only to fill benchmark
                            * databases, never for visitors */
};

/* One application as the kiosk can read it: APP holds the service, the
 * IIN flag, the contact method and the languages; its IIN, phone and name
 * are empty and its group GROUP_UNKNOWN, since they are sealed. */
struct store_row {
    char number[APPLICATION_NUMBER_LEN + 1];
    char centre[33];
    int64_t created_at; /* Unix seconds */
    enum app_status status;
    int64_t status_changed_at; /* Unix seconds */
    bool iin_override;         /* staff accepted a flagged IIN */
    int64_t seq;               /* outbox sequence number */
    int64_t acked_at;          /* when the centre acknowledged it; 0: not */
    struct application app;
};

/* A search: every field that is set must match. */
struct store_query {
    const char *number; /* NULL: any */
    int64_t from, to;   /* created_at range, 0: open */
    int status;         /* enum app_status, or -1: any */
    unsigned limit;     /* 0: no limit */
};

struct store;

/*
 * Opens (creating when missing) the database and the key, migrates the
 * schema and checks integrity. Returns 0 and *out (close with
 * store_close()), or a negative enum store_error with *why (caller frees)
 * saying what is wrong and what staff should do.
 */
int store_open(const struct store_options *o, struct store **out, char **why);

/* Writes the fingerprint of the centre key KEY into OUT:
 * the first 8 bytes of its SHA-256 in four groups of hex digits. */
void store_key_fingerprint(const unsigned char key[STORE_CENTRE_KEY_LEN],
                           char out[STORE_FINGERPRINT_LEN]);

/* Closes S. NULL is a no-op. */
void store_close(struct store *s);

/*
 * Stores A (checked with application_check()) for CENTRE at NOW (Unix
 * seconds) under a new random number, written into NUMBER. Returns 0 only
 * after the transaction has committed durably; otherwise a negative enum
 * store_error with *why, and nothing was written.
 */
int store_submit(struct store *s, const struct application *a,
                 const char *centre, int64_t now,
                 char number[APPLICATION_NUMBER_LEN + 1], char **why);

/*
 * Looks up NUMBER without decrypting anything: fills *status, *changed_at
 * and SERVICE (CATALOGUE_ID_MAX + 1 bytes). Returns 0, 1 when there is no
 * such application, or a negative enum store_error with *why.
 */
int store_status(struct store *s, const char *number, enum app_status *status,
                 int64_t *changed_at, char *service, char **why);

/* Calls FN for each matching row, newest first; the row is wiped after
 * each call. FN returns non-zero to stop. Returns 0 or an error. */
typedef int (*store_row_fn)(void *ctx, const struct store_row *row);
int store_list(struct store *s, const struct store_query *q, store_row_fn fn,
               void *ctx, char **why);

/*
 * Sets NUMBER's status with an optional NOTE (stored encrypted) by STAFF
 * (a role name) at NOW. Returns 0, 1 when there is no such application, or
 * an error; nothing is half-written.
 */
int store_set_status(struct store *s, const char *number,
                     enum app_status status, const char *note,
                     const char *staff, int64_t now, char **why);

/* Records that STAFF accepted NUMBER's flagged IIN. Returns 0, 1 when
 * there is no such flagged application, or an error. */
int store_accept_iin(struct store *s, const char *number, const char *staff,
                     int64_t now, char **why);

/*
 * Deletes the applications the central server has acknowledged and that
 * were created more than DAYS days before the reference time, with their
 * history; *deleted says how many. The reference time is NOW, or the
 * creation time of the newest application when NOW is later than that:
 * a clock that runs ahead never deletes anything on its own, and an
 * application not yet acknowledged is never deleted. Returns 0 or an
 * error.
 */
int store_retention(struct store *s, unsigned days, int64_t now, long *deleted,
                    char **why);

/*
 * Writes every application still on the kiosk (acknowledged or not) to
 * OUT as outbox records with their content hash, one per line, oldest
 * first (docs/central.md, "Record format"); *count says how many. Nothing
 * in it is personal in clear. Returns 0 or an error.
 */
int store_export_outbox(struct store *s, FILE *out, long *count, char **why);

/* Calls FN for each application not yet acknowledged by the central
 * server, in the order they were stored (oldest first), at most LIMIT (0:
 * all), starting after sequence number AFTER. RECORD is the canonical
 * outbox record with its content hash (NUL-terminated, valid during the
 * call). FN returns non-zero to stop. Returns 0 or a negative enum
 * store_error with *why. */
typedef int (*store_outbox_fn)(void *ctx, int64_t seq, const char *number,
                               const char *record);
int store_outbox(struct store *s, int64_t after, unsigned limit,
                 store_outbox_fn fn, void *ctx, char **why);

/* Marks the N applications NUMBERS as acknowledged by the central server
 * at ACKED_AT (Unix seconds), in one transaction. Unknown numbers and
 * ones already acknowledged are left as they are. Returns 0 or an
 * error. */
int store_outbox_acked(struct store *s, const char *const *numbers, size_t n,
                       int64_t acked_at, char **why);

/* Applies a status that the central server holds for NUMBER when
 * CHANGED_AT is newer than the local one. Returns 0, 1 when there is no
 * such application, or an error. */
int store_apply_central_status(struct store *s, const char *number,
                               enum app_status status, int64_t changed_at,
                               char **why);

/* Number of applications not yet acknowledged, or -1. */
long store_outbox_pending(struct store *s);

/* The value of PRAGMA NAME on the store's own connection, as text, in
 * OUT (SIZE bytes): for tests and the self-test to check the settings the
 * durability promises rest on. Returns 0 or -1. */
int store_pragma(struct store *s, const char *name, char *out, size_t size);

/* Records in the audit trail that STAFF exported the applications at
 * NOW. Returns 0, or STORE_ERROR with *why: then do not export. */
int store_audit_export(struct store *s, const char *staff, int64_t now,
                       char **why);

/*
 * Counts the applications created in [FROM, TO) (Unix seconds; TO 0: no
 * end) by service, without decrypting anything: calls FN once per service
 * that has any, in the order of the service ids, with its count. FN
 * returns non-zero to stop. Returns 0 or a negative enum store_error with
 * *WHY (the caller frees).
 */
typedef int (*store_count_fn)(void *ctx, const char *service, long n);
int store_count_by_service(struct store *s, int64_t from, int64_t to,
                           store_count_fn fn, void *ctx, char **why);

/* Number of applications. */
long store_count(struct store *s);

#endif
