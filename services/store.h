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
 * Personal data (IIN, phone, name, staff notes) is encrypted at rest with
 * XChaCha20-Poly1305 under a key derived from the key file (32 random
 * bytes, mode 0600, created when missing), bound to its column and
 * application number. IIN search goes through a keyed BLAKE2b hash column,
 * so the IIN itself never appears in the file.
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

#define STORE_SCHEMA_VERSION 4

enum store_error {
    STORE_OK = 0,
    STORE_ERROR = -1,   /* any other failure (see *why) */
    STORE_FULL = -2,    /* the disk or the database is full */
    STORE_BUSY = -3,    /* the database is locked by another process */
    STORE_INVALID = -4, /* the input was refused (see *why) */
    STORE_DAMAGED = -5, /* integrity check failed at open */
};

struct store_options {
    const char *path;      /* database file */
    const char *key_path;  /* key file; created (0600) when missing */
    const char *audit_log; /* the staff audit trail (audit_path()); NULL:
                            * staff actions are refused */
    const char *vfs;       /* SQLite VFS name, NULL: the default (tests) */
    int busy_ms;           /* wait this long for a lock; 0: 2000 */
    bool bulk;             /* synchronous=OFF: only to fill benchmark
                            * databases, never for visitors */
};

/* One application as stored, decrypted. */
struct store_row {
    char number[APPLICATION_NUMBER_LEN + 1];
    char centre[33];
    int64_t created_at; /* Unix seconds */
    enum app_status status;
    int64_t status_changed_at; /* Unix seconds */
    bool iin_override;         /* staff accepted a flagged IIN */
    struct application app;
};

/* A search: every field that is set must match. */
struct store_query {
    const char *number; /* NULL: any */
    const char *iin;    /* NULL: any (matched through the keyed hash) */
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

/* Closes S, wiping its keys. NULL is a no-op. */
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

/* Deletes applications created more than DAYS days before NOW, with their
 * history; *deleted says how many. Returns 0 or an error. */
int store_retention(struct store *s, unsigned days, int64_t now, long *deleted,
                    char **why);

/* Writes every application to OUT as CSV (header line first) or, when
 * JSON, as a JSON array of objects. Returns 0 or an error. */
int store_export(struct store *s, FILE *out, bool json, char **why);

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
