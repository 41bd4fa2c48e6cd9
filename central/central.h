/*
 * The central PostgreSQL of Ten Qogam applications (docs/central.md), one
 * libpq connection at a time: its schema and roles, the idempotent push of
 * outbox records that dauys-sync and the stick import share, the status
 * changes that go back to the kiosks, and the case workers' side (export
 * with the centre key, status, find by IIN through a keyed hash).
 *
 * Every function that changes data does it in one transaction and returns
 * 0 only after the server answered its COMMIT; a connection lost before
 * that answer leaves the caller not knowing, and the next push of the same
 * records is a no-op (ON CONFLICT (centre, number) DO NOTHING), so
 * retrying is always safe. A record with a known (centre, number) but
 * another content_hash is never written over: it goes to the conflicts
 * table, whole, for a case worker to look at.
 */
#ifndef DAUYS_CENTRAL_CENTRAL_H
#define DAUYS_CENTRAL_CENTRAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "central/record.h"

#define CENTRAL_SCHEMA_VERSION 2
#define CENTRAL_BATCH_MAX 1000

struct central;

/*
 * Connects with CONNINFO (a libpq connection string; "" takes libpq's
 * PG* environment). With CA_FILE, TLS is forced to sslmode=verify-full
 * against that CA whatever CONNINFO says. Returns 0 and *out (close with
 * central_close()), or -1 with *why (caller frees).
 */
int central_connect(const char *conninfo, const char *ca_file,
                    const char *application, struct central **out, char **why);

/* Closes C. NULL is a no-op. */
void central_close(struct central *c);

/* True while the connection is usable. */
bool central_ok(const struct central *c);

/*
 * Creates or migrates the schema `dauys` to CENTRAL_SCHEMA_VERSION and
 * (re)applies the roles dauys_terminal and dauys_caseworker, the grants
 * and the row-level security policies. Needs a role that may create
 * roles. Idempotent. *version_before says what it found (0: nothing).
 */
int central_init(struct central *c, int *version_before, char **why);

/*
 * Creates the login role NAME for terminal TERMINAL of CENTRE (member of
 * dauys_terminal; it can insert that terminal's applications and read
 * its centre's statuses, nothing else), or, when CENTRE is NULL, a case
 * worker (member of dauys_caseworker). PASSWORD NULL: no password (client
 * certificate authentication). Returns 0 or -1 with *why.
 */
int central_add_role(struct central *c, const char *name, const char *centre,
                     const char *terminal, const char *password, char **why);

struct central_push_result {
    size_t inserted;   /* new rows */
    size_t duplicates; /* already there with the same content hash */
    size_t conflicts;  /* already there with another hash: kept aside */
};

/*
 * Inserts the N records RECS (at most CENTRAL_BATCH_MAX) in one
 * transaction with one multi-row INSERT … ON CONFLICT DO NOTHING, and
 * records conflicts. Returns 0 once the COMMIT has returned: every record
 * is then held centrally (as a row or a conflict) and may be marked sent.
 * Returns -1 with *why otherwise (nothing can be assumed written).
 */
int central_push(struct central *c, const struct central_record *recs, size_t n,
                 struct central_push_result *res, char **why);

/*
 * The last sequence number of TERMINAL of CENTRE's staff audit trail that
 * the central database holds (0: none), into *seq. Returns 0 or -1.
 */
int central_audit_head(struct central *c, const char *centre,
                       const char *terminal, int64_t *seq, char **why);

/*
 * Stores the N audit lines LINES (without newline; each begins with its
 * sequence number, accessibility/audit.h) of TERMINAL of CENTRE in one
 * transaction; lines already held are left as they are. Returns 0 after
 * the COMMIT or -1 with *why.
 */
int central_push_audit(struct central *c, const char *centre,
                       const char *terminal, const char *const *lines, size_t n,
                       char **why);

/* A status set centrally: SEQ grows with every change. */
typedef int (*central_status_fn)(void *ctx, int64_t seq, const char *number,
                                 const char *status, int64_t changed_at);

/*
 * Calls FN for every status change with a sequence number above AFTER
 * that the connected role may see (a terminal: its centre's), oldest
 * first, at most LIMIT. Returns the number of rows or -1 with *why.
 */
int central_pull_status(struct central *c, int64_t after, unsigned limit,
                        central_status_fn fn, void *ctx, char **why);

/*
 * Sets NUMBER's status (of CENTRE, or of the one centre that has that
 * number when CENTRE is NULL) to STATUS now. Returns 0, 1 when there is
 * no such application, 2 when CENTRE is NULL and several centres have
 * that number, or -1 with *why.
 */
int central_set_status(struct central *c, const char *centre,
                       const char *number, const char *status, char **why);

/*
 * Computes the keyed IIN hash of every application that has none yet,
 * opening its sealed data with the centre key pair. *indexed counts them;
 * rows that do not open with this key are left (counted in *foreign).
 */
int central_index(struct central *c, const unsigned char pk[CENTRAL_KEY_BYTES],
                  const unsigned char sk[CENTRAL_KEY_BYTES], long *indexed,
                  long *foreign, char **why);

/*
 * Writes every application of CENTRE (NULL: all) that opens with the key
 * pair to OUT as CSV or JSON, with the columns of docs/services.md and
 * `terminal` and `duplicates` (other applications of the same IIN for the
 * same service), the records kept in `conflicts` included and marked.
 * Indexes first. *skipped counts rows sealed to another key. Returns 0 or
 * -1 with *why.
 */
int central_export(struct central *c, const char *centre,
                   const unsigned char pk[CENTRAL_KEY_BYTES],
                   const unsigned char sk[CENTRAL_KEY_BYTES], FILE *out,
                   bool json, long *skipped, char **why);

/*
 * Writes to OUT one line per group of applications that share an IIN
 * (by its keyed hash) and a service: "service S: CENTRE:NUMBER …", never
 * the IIN. Only indexed rows count (central_index()). Returns the number
 * of groups or -1 with *why.
 */
int central_duplicates(struct central *c, FILE *out, char **why);

/*
 * Writes to OUT the applications whose IIN is IIN (one line each: centre,
 * number, service, status, created), after indexing, and marks the
 * services applied for more than once. Returns the number found or -1.
 */
int central_find_iin(struct central *c, const char *iin,
                     const unsigned char pk[CENTRAL_KEY_BYTES],
                     const unsigned char sk[CENTRAL_KEY_BYTES], FILE *out,
                     char **why);

#endif
