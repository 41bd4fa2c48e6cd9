/*
 * The staff audit trail: one append-only text file, <data-dir>/audit.log,
 * one line per staff action, each line chained to the one before by a
 * BLAKE2b-256 hash. The polling station and the Ten Qogam services write
 * to the same trail through audit_append(); `dauys audit verify` checks it
 * with audit_verify().
 *
 * A line is six fields separated by a tab and ends with a newline:
 *
 *   SEQ  TIME  ACTOR  ACTION  PREV  HASH
 *
 * SEQ counts from 1 without gaps; TIME is UTC ("2026-03-15T07:02:11Z");
 * ACTOR is who acted (a staff role such as "admin", or "kiosk" for what
 * the staff console reports); ACTION says what was done; PREV is the HASH
 * of the line before (64 zeros on the first line); HASH, in lower-case
 * hex, is the unkeyed BLAKE2b-256 of "dauys-audit/1\n" followed by the
 * line up to and including the tab before HASH. So an edited line no
 * longer matches its HASH, and a removed, inserted or moved line breaks
 * SEQ or PREV on the line after it. The hash is unkeyed so that anyone
 * with a copy can check it; it proves order and integrity relative to a
 * head kept elsewhere. ACTOR and ACTION are the caller's words: never
 * voter data, never personal data. Control characters (tab and newline
 * included) become spaces and bytes that are not UTF-8 become '?', so an
 * action is always one line; they are cut, on a character boundary, at
 * AUDIT_ACTOR_MAX and AUDIT_ACTION_MAX bytes.
 *
 * Appending takes an exclusive flock(2) on the log, so the kiosk and a
 * command such as `dauys services export` never interleave; the line is
 * written with O_APPEND in one write(2) and fsync'd (a failed or short
 * write is cut back off). The head, "SEQ HASH", is then written to
 * <log>.head through atomicfile, and audit_verify() checks that the log
 * still reaches it: cutting lines off the end shows, unless the head file
 * is rewritten as well. Against that, staff note the head that
 * `dauys audit verify` prints.
 *
 * A log from before the chain (lines "TIME action", written by dauys
 * 0.1) is renamed to <log>.old at the first append, and the new chain
 * starts with an entry giving that file's size and BLAKE2b-256.
 */
#ifndef DAUYS_ACCESSIBILITY_AUDIT_H
#define DAUYS_ACCESSIBILITY_AUDIT_H

#include <stdint.h>

#define AUDIT_HASH_HEX 64    /* hex digits of a hash */
#define AUDIT_ACTOR_MAX 32   /* bytes of ACTOR kept */
#define AUDIT_ACTION_MAX 480 /* bytes of ACTION kept */

enum audit_error {
    AUDIT_ERROR = -1,   /* the log cannot be read or written (see *why) */
    AUDIT_DAMAGED = -2, /* a line was edited, removed, inserted, moved or
                         * cut off, or is incomplete (see *why) */
};

/* The last entry of a log. */
struct audit_head {
    uint64_t seq;                  /* entries in the log; 0: none */
    char hash[AUDIT_HASH_HEX + 1]; /* the last HASH; zeros when none */
};

/* Returns "<DATA_DIR>/audit.log", the trail of a data directory. The
 * caller frees it. */
char *audit_path(const char *data_dir);

/*
 * Appends the action ACTION by ACTOR at NOW (Unix seconds) to the log
 * PATH (created with mode 0600 when missing) and records the new head.
 * Returns 0, with *HEAD (when not NULL) the new last entry, once the line
 * is on disk. Otherwise returns AUDIT_ERROR, or AUDIT_DAMAGED when the
 * last line is incomplete or not an audit entry (nothing is appended
 * then), with *WHY (the caller frees). After a failure the line may still
 * be in the log (when only its fsync or the head failed): a caller that
 * abandons the action should append that it did.
 */
int audit_append(const char *path, int64_t now, const char *actor,
                 const char *action, struct audit_head *head, char **why);

/*
 * Reads the head recorded for the log PATH (in PATH.head) into *HEAD,
 * without reading the log. Returns 0, 1 when there is none (an empty
 * log), or AUDIT_ERROR / AUDIT_DAMAGED with *WHY (the caller frees).
 */
int audit_head_read(const char *path, struct audit_head *head, char **why);

/*
 * Checks the whole chain of the log PATH and that it reaches the head
 * recorded in PATH.head. Returns 0 with *HEAD (when not NULL); a missing
 * log with no head is an empty one. Otherwise returns AUDIT_DAMAGED with
 * *WHY naming the first bad line, or AUDIT_ERROR when the log cannot be
 * read; the caller frees *WHY.
 */
int audit_verify(const char *path, struct audit_head *head, char **why);

#endif
