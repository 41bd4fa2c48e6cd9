/*
 * The applications database (see store.h).
 *
 * Migrations are a list of SQL scripts; script i takes the schema from
 * version i to i + 1 and runs in the same transaction as the new
 * user_version, so a crash mid-migration leaves the old version. Every
 * write is BEGIN IMMEDIATE ... COMMIT; on any error the transaction is
 * rolled back before returning. The migration to version 5 is a script,
 * a step in C (store_seal_v4(): decrypt with the old key, seal to the
 * centre) and a second script that drops the old columns.
 *
 * Outbox records are built here, byte for byte in the canonical form of
 * docs/central.md, by a small JSON writer into a fixed buffer that is
 * wiped after use (jansson would leave copies of personal data in freed
 * memory).
 */
#include "services/store.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "accessibility/atomicfile.h"
#include "accessibility/audit.h"
#include "accessibility/xalloc.h"
#include "services/damm.h"

#define KEY_LEN 32
#define NONCE_LEN crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_LEN crypto_aead_xchacha20poly1305_ietf_ABYTES
#define FIELD_MAX 512
#define RECORD_MAX 4096 /* an outbox record with its hash */

struct store {
    sqlite3 *db;
    char *path;
    char *audit_log; /* NULL: staff actions are refused */
    char *terminal;  /* NULL: each application's centre */
    char *key_path;  /* the key file of schema version 4, or NULL */
    unsigned char centre_key[STORE_CENTRE_KEY_LEN];
    /* Only while migrating from version 4 or older, from key_path: */
    bool have_legacy;
    unsigned char enc_key[KEY_LEN];
    unsigned char audit_key[KEY_LEN]; /* checks the audit table of schema
                                       * version 3 when it is moved */
};

/* A JSON text being written into a fixed buffer; OVER is set when it did
 * not fit. */
struct jbuf {
    char *p;
    size_t n, cap;
    bool over;
};

static void
jbuf_raw(struct jbuf *b, const char *v, size_t len)
{
    if (b->over || len >= b->cap - b->n) {
        b->over = true;
        return;
    }
    memcpy(b->p + b->n, v, len);
    b->n += len;
    b->p[b->n] = '\0';
}

static void
jbuf_lit(struct jbuf *b, const char *v)
{
    jbuf_raw(b, v, strlen(v));
}

/* Appends V as a JSON string: quoted, with '"', '\\' and control
 * characters escaped, UTF-8 kept as it is. */
static void
jbuf_str(struct jbuf *b, const char *v)
{
    jbuf_raw(b, "\"", 1);
    for (const unsigned char *c = (const unsigned char *)v; *c; c++) {
        char esc[8];
        if (*c == '"' || *c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*c;
            jbuf_raw(b, esc, 2);
        } else if (*c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", *c);
            jbuf_raw(b, esc, 6);
        } else {
            jbuf_raw(b, (const char *)c, 1);
        }
    }
    jbuf_raw(b, "\"", 1);
}

static void
jbuf_int(struct jbuf *b, int64_t v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%lld", (long long)v);
    jbuf_raw(b, t, (size_t)n);
}

static const char *const migrations[STORE_SCHEMA_VERSION] = {
    /* 0 -> 1: applications */
    "CREATE TABLE applications ("
    " id INTEGER PRIMARY KEY,"
    " number TEXT NOT NULL UNIQUE CHECK (length(number) = 9),"
    " centre TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " service TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('received', 'in-review',"
    "   'forwarded', 'done', 'rejected')),"
    " status_changed_at INTEGER NOT NULL,"
    " iin BLOB NOT NULL,"
    " iin_hash BLOB NOT NULL,"
    " iin_flagged INTEGER NOT NULL CHECK (iin_flagged IN (0, 1)),"
    " phone BLOB NOT NULL,"
    " name BLOB,"
    " disability_group TEXT NOT NULL,"
    " contact TEXT NOT NULL,"
    " contact_language TEXT NOT NULL,"
    " ui_language TEXT NOT NULL);"
    "CREATE INDEX applications_iin_hash ON applications (iin_hash);"
    "CREATE INDEX applications_created ON applications (created_at);",
    /* 1 -> 2: staff actions on an application */
    "ALTER TABLE applications ADD COLUMN iin_override INTEGER NOT NULL"
    " DEFAULT 0 CHECK (iin_override IN (0, 1));"
    "CREATE TABLE changes ("
    " id INTEGER PRIMARY KEY,"
    " application INTEGER NOT NULL REFERENCES applications (id)"
    "   ON DELETE CASCADE,"
    " kind TEXT NOT NULL CHECK (kind IN ('status', 'iin-override')),"
    " status TEXT NOT NULL,"
    " note BLOB,"
    " staff TEXT NOT NULL,"
    " changed_at INTEGER NOT NULL);"
    "CREATE INDEX changes_application ON changes (application);",
    /* 2 -> 3: the hash-chained audit log of staff actions */
    "CREATE TABLE audit ("
    " seq INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " staff TEXT NOT NULL,"
    " action TEXT NOT NULL,"
    " subject TEXT NOT NULL,"
    " hash BLOB NOT NULL);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    /* 3 -> 4: the audit entries moved to the one audit trail (see
     * store_move_audit(), which runs first) */
    "DROP TABLE audit;",
    /* 4 -> 5: the outbox columns, then store_seal_v4(), then
     * migration_5_post */
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "ALTER TABLE applications ADD COLUMN seq INTEGER;"
    "ALTER TABLE applications ADD COLUMN record TEXT;"
    "ALTER TABLE applications ADD COLUMN content_hash TEXT;"
    "ALTER TABLE applications ADD COLUMN acked_at INTEGER;",
};

/* The end of the migration to version 5: the personal columns go. */
static const char migration_5_post[] =
    "DROP INDEX IF EXISTS applications_iin_hash;"
    "ALTER TABLE applications DROP COLUMN iin;"
    "ALTER TABLE applications DROP COLUMN iin_hash;"
    "ALTER TABLE applications DROP COLUMN phone;"
    "ALTER TABLE applications DROP COLUMN name;"
    "ALTER TABLE applications DROP COLUMN disability_group;"
    "CREATE UNIQUE INDEX applications_seq ON applications (seq);"
    "CREATE INDEX applications_pending ON applications (seq)"
    " WHERE acked_at IS NULL;";

/* Maps a SQLite result code to an enum store_error and fills *why. */
static int
store_fail(struct store *s, int rc, const char *what, char **why)
{
    int e = rc & 0xff;
    const char *msg = s != NULL && s->db != NULL ? sqlite3_errmsg(s->db)
                                                 : sqlite3_errstr(rc);
    *why = xasprintf("%s: %s", what, msg);
    if (e == SQLITE_FULL)
        return STORE_FULL;
    if (e == SQLITE_BUSY || e == SQLITE_LOCKED)
        return STORE_BUSY;
    if (e == SQLITE_IOERR && errno == ENOSPC)
        return STORE_FULL;
    return STORE_ERROR;
}

static int
store_exec(struct store *s, const char *sql, const char *what, char **why)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : store_fail(s, rc, what, why);
}

static void
store_rollback(struct store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/*
 * Reads the key file of schema version 4 (PATH) into KEY; it is never
 * created. Returns 0, 1 when there is no such file, or STORE_ERROR with
 * *WHY.
 */
static int
store_legacy_key(const char *path, unsigned char key[KEY_LEN], char **why)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT)
        return 1;
    if (fd < 0) {
        *why = xasprintf("cannot read the key file %s: %s", path,
                         strerror(errno));
        return STORE_ERROR;
    }
    struct stat st;
    int rc = STORE_ERROR;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        *why = xasprintf("the key file %s is not a regular file", path);
        goto out;
    }
    if (st.st_size != KEY_LEN || read(fd, key, KEY_LEN) != KEY_LEN) {
        *why = xasprintf("the key file %s must hold exactly %d bytes", path,
                         KEY_LEN);
        goto out;
    }
    rc = 0;
out:
    close(fd);
    return rc;
}

/* Overwrites the old key file PATH with zeros, syncs it and removes it.
 * Best effort after the migration committed: a failure is left for the
 * next open, which tries again. */
static void
store_remove_legacy_key(const char *path)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return;
    static const unsigned char zero[KEY_LEN];
    if (write(fd, zero, sizeof zero) == (ssize_t)sizeof zero &&
        fsync(fd) == 0) {
        close(fd);
        unlink(path);
        return;
    }
    close(fd);
}

/* Appends ACTION by STAFF at NOW to the audit trail. Returns 0 or
 * STORE_ERROR with *WHY. */
static int
store_audit(struct store *s, const char *staff, const char *action, int64_t now,
            char **why)
{
    char *awhy = NULL;
    if (s->audit_log == NULL) {
        *why = xstrdup("no audit log is configured, so no staff action can "
                       "be recorded");
        return STORE_ERROR;
    }
    if (audit_append(s->audit_log, now, staff, action, NULL, &awhy) < 0) {
        *why = xasprintf("nothing was changed, because the audit log cannot "
                         "be written: %s",
                         awhy);
        free(awhy);
        return STORE_ERROR;
    }
    return 0;
}

/* After a failed COMMIT: records that the action the trail already holds
 * was not saved. Best effort: if this fails too, the caller's *why
 * already tells staff that the change was not saved. */
static void
store_audit_undone(struct store *s, const char *staff, const char *action,
                   int64_t now)
{
    char *text = xasprintf("%s: not saved", action), *ignored = NULL;
    if (store_audit(s, staff, text, now, &ignored) < 0)
        free(ignored);
    free(text);
}

/* The keyed hash of an entry of the audit table of schema version 3:
 * BLAKE2b over the previous hash and the entry's fields. */
static void
store_legacy_audit_hash(const struct store *s, const unsigned char prev[32],
                        sqlite3_int64 seq, int64_t at, const char *staff,
                        const char *action, const char *subject,
                        unsigned char out[32])
{
    char text[512];
    int n = snprintf(text, sizeof text, "%lld\t%lld\t%s\t%s\t%s",
                     (long long)seq, (long long)at, staff, action, subject);
    crypto_generichash_state st;
    crypto_generichash_init(&st, s->audit_key, KEY_LEN, 32);
    crypto_generichash_update(&st, prev, 32);
    crypto_generichash_update(&st, (const unsigned char *)text,
                              (size_t)(n < (int)sizeof text
                                           ? n
                                           : (int)sizeof text - 1));
    crypto_generichash_final(&st, out, 32);
}

/*
 * Part of the migration from version 3: moves the entries of the audit
 * table to the audit trail, in order, after an entry saying whether their
 * keyed chain still verified (the trail's own chain cannot vouch for what
 * happened before). Returns 0 or an enum store_error with *WHY; the
 * caller's transaction then drops the table. A crash before the COMMIT
 * moves them again at the next open (the trail then holds them twice).
 */
static int
store_move_audit(struct store *s, char **why)
{
    sqlite3_stmt *st = NULL;
    unsigned char prev[32] = {0}, hash[32];
    sqlite3_int64 expect = 1;
    char *verdict = NULL;
    int64_t now = (int64_t)time(NULL);
    long n = 0;
    int rc = sqlite3_prepare_v2(s->db, "SELECT count(*) FROM audit", -1, &st,
                                NULL);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    else
        return store_fail(s, sqlite3_errcode(s->db),
                          "cannot read the old audit entries", why);
    sqlite3_finalize(st);
    st = NULL;
    if (n == 0)
        return 0;
    /* First pass: does the old chain verify? */
    rc = sqlite3_prepare_v2(s->db,
                            "SELECT seq, at, staff, action, subject, hash "
                            "FROM audit ORDER BY seq",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto sqlfail;
    if (!s->have_legacy)
        verdict = xstrdup("could not be checked, because the key file is "
                          "missing");
    while (verdict == NULL && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 seq = sqlite3_column_int64(st, 0);
        const char *staff = (const char *)sqlite3_column_text(st, 2);
        const char *action = (const char *)sqlite3_column_text(st, 3);
        const char *subject = (const char *)sqlite3_column_text(st, 4);
        if (seq != expect) {
            verdict = xasprintf("entry %lld was removed", (long long)expect);
            break;
        }
        store_legacy_audit_hash(s, prev, seq, sqlite3_column_int64(st, 1),
                                staff ? staff : "", action ? action : "",
                                subject ? subject : "", hash);
        if (sqlite3_column_bytes(st, 5) != 32 ||
            sodium_memcmp(hash, sqlite3_column_blob(st, 5), 32) != 0) {
            verdict = xasprintf("entry %lld was edited, or an entry before "
                                "it was removed",
                                (long long)seq);
            break;
        }
        memcpy(prev, hash, 32);
        expect++;
    }
    if (verdict == NULL && rc != SQLITE_DONE)
        goto sqlfail;
    sqlite3_finalize(st);
    st = NULL;
    char *head = xasprintf("services: %ld audit entries moved here from the "
                           "database; their keyed hash chain %s%s",
                           n, verdict ? "did NOT verify: " : "verified",
                           verdict ? verdict : "");
    rc = store_audit(s, "dauys", head, now, why);
    free(head);
    if (rc < 0)
        goto out;
    /* Second pass: the entries themselves. */
    rc = sqlite3_prepare_v2(s->db,
                            "SELECT seq, at, staff, action, subject "
                            "FROM audit ORDER BY seq",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto sqlfail;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char when[32];
        time_t at = (time_t)sqlite3_column_int64(st, 1);
        struct tm tm;
        if (gmtime_r(&at, &tm) == NULL ||
            strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
            snprintf(when, sizeof when, "%lld", (long long)at);
        const char *staff = (const char *)sqlite3_column_text(st, 2);
        const char *action = (const char *)sqlite3_column_text(st, 3);
        const char *subject = (const char *)sqlite3_column_text(st, 4);
        char *text = xasprintf("services (database entry %lld of %s): %s %s",
                               (long long)sqlite3_column_int64(st, 0), when,
                               action ? action : "", subject ? subject : "");
        int r = store_audit(s, staff ? staff : "", text, now, why);
        free(text);
        if (r < 0) {
            rc = r;
            goto out;
        }
    }
    if (rc != SQLITE_DONE)
        goto sqlfail;
    rc = 0;
    goto out;
sqlfail:
    rc = store_fail(s, rc, "cannot read the old audit entries", why);
out:
    sqlite3_finalize(st);
    free(verdict);
    return rc;
}

/* Decrypts BLOB (schema version 4) into OUT (SIZE bytes, NUL-terminated).
 * Returns 0 or -1. */
static int
store_open_field(const struct store *s, const char *column, const char *number,
                 const unsigned char *blob, size_t len, char *out, size_t size)
{
    char ad[64];
    int adlen = snprintf(ad, sizeof ad, "%s:%s", column, number);
    unsigned long long plen = 0;
    if (blob == NULL || len < NONCE_LEN + TAG_LEN ||
        len - NONCE_LEN - TAG_LEN >= size)
        return -1;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            (unsigned char *)out, &plen, NULL, blob + NONCE_LEN,
            len - NONCE_LEN, (const unsigned char *)ad,
            (unsigned long long)adlen, blob, s->enc_key) != 0)
        return -1;
    out[plen] = '\0';
    return 0;
}

/*
 * Seals the personal fields to the centre key: the JSON object of
 * docs/central.md ("Sealed personal data") sealed with crypto_box_seal,
 * in standard base64 into OUT (SIZE bytes). PHONE is the 10 digits after
 * +7; NAME may be empty (null). Returns 0, or -1 when it does not fit.
 */
static int
store_seal_personal(const struct store *s, const char *iin, const char *phone,
                    const char *name, const char *group, char *out, size_t size)
{
    char plain[1024], phone7[16];
    unsigned char sealed[1024 + crypto_box_SEALBYTES];
    struct jbuf b = {plain, 0, sizeof plain, false};
    int rc = -1;
    plain[0] = '\0';
    snprintf(phone7, sizeof phone7, "+7%s", phone);
    jbuf_lit(&b, "{\"iin\":");
    jbuf_str(&b, iin);
    jbuf_lit(&b, ",\"phone\":");
    jbuf_str(&b, phone7);
    jbuf_lit(&b, ",\"name\":");
    if (name[0] != '\0')
        jbuf_str(&b, name);
    else
        jbuf_lit(&b, "null");
    jbuf_lit(&b, ",\"disability_group\":");
    jbuf_str(&b, group);
    jbuf_lit(&b, "}");
    if (b.over ||
        sodium_base64_ENCODED_LEN(b.n + crypto_box_SEALBYTES,
                                  sodium_base64_VARIANT_ORIGINAL) > size)
        goto out;
    if (crypto_box_seal(sealed, (const unsigned char *)plain, b.n,
                        s->centre_key) != 0)
        goto out;
    sodium_bin2base64(out, size, sealed, b.n + crypto_box_SEALBYTES,
                      sodium_base64_VARIANT_ORIGINAL);
    rc = 0;
out:
    sodium_memzero(plain, sizeof plain);
    sodium_memzero(phone7, sizeof phone7);
    sodium_memzero(sealed, sizeof sealed);
    return rc;
}

/* The non-personal fields of an outbox record. */
struct outrec {
    const char *centre, *terminal, *number, *service, *status, *contact,
        *contact_lang, *ui_lang, *sealed;
    int64_t created_at, status_changed_at;
    bool iin_flagged;
};

/*
 * Writes R as the canonical outbox record without its content hash into
 * OUT (SIZE bytes) and the lowercase hex SHA-256 of that text into HASH.
 * Returns 0, or -1 when it does not fit.
 */
static int
store_record(const struct outrec *r, char *out, size_t size, char hash[65])
{
    struct jbuf b = {out, 0, size, false};
    unsigned char h[crypto_hash_sha256_BYTES];
    out[0] = '\0';
    jbuf_lit(&b, "{\"v\":1,\"centre\":");
    jbuf_str(&b, r->centre);
    jbuf_lit(&b, ",\"terminal\":");
    jbuf_str(&b, r->terminal);
    jbuf_lit(&b, ",\"number\":");
    jbuf_str(&b, r->number);
    jbuf_lit(&b, ",\"created_at\":");
    jbuf_int(&b, r->created_at);
    jbuf_lit(&b, ",\"service\":");
    jbuf_str(&b, r->service);
    jbuf_lit(&b, ",\"status\":");
    jbuf_str(&b, r->status);
    jbuf_lit(&b, ",\"status_changed_at\":");
    jbuf_int(&b, r->status_changed_at);
    jbuf_lit(&b, r->iin_flagged ? ",\"iin_flagged\":true"
                                : ",\"iin_flagged\":false");
    jbuf_lit(&b, ",\"contact\":");
    jbuf_str(&b, r->contact);
    jbuf_lit(&b, ",\"contact_language\":");
    jbuf_str(&b, r->contact_lang);
    jbuf_lit(&b, ",\"ui_language\":");
    jbuf_str(&b, r->ui_lang);
    jbuf_lit(&b, ",\"sealed\":");
    jbuf_str(&b, r->sealed);
    jbuf_lit(&b, "}");
    if (b.over)
        return -1;
    crypto_hash_sha256(h, (const unsigned char *)out, b.n);
    sodium_bin2hex(hash, 65, h, sizeof h);
    return 0;
}

/* Appends the content hash to RECORD (as built by store_record()) in
 * OUT: the record as sent. Returns 0, or -1 when it does not fit. */
static int
store_record_with_hash(const char *record, const char *hash, char *out,
                       size_t size)
{
    size_t n = strlen(record);
    if (n < 2 || record[n - 1] != '}')
        return -1;
    int w = snprintf(out, size, "%.*s,\"content_hash\":\"%s\"}", (int)(n - 1),
                     record, hash);
    return w < 0 || (size_t)w >= size ? -1 : 0;
}

/* The terminal id of outbox records for an application of CENTRE. */
static const char *
store_terminal(const struct store *s, const char *centre)
{
    return s->terminal != NULL ? s->terminal : centre;
}

/* Reads the integer meta value KEY into *V (0 when absent). Part of the
 * caller's transaction. Returns an SQLite code. */
static int
store_meta_int(struct store *s, const char *key, int64_t *v)
{
    sqlite3_stmt *st = NULL;
    *v = 0;
    int rc = sqlite3_prepare_v2(
        s->db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?", -1, &st,
        NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Sets the meta value KEY to the text V. Returns an SQLite code. */
static int
store_meta_set(struct store *s, const char *key, const char *v)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(
        s->db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", -1,
        &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, v, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int
store_meta_set_int(struct store *s, const char *key, int64_t v)
{
    char t[24];
    snprintf(t, sizeof t, "%lld", (long long)v);
    return store_meta_set(s, key, t);
}

/* Seals the staff note of change ID of NUMBER (old key) to the centre.
 * Returns an SQLite code, or -1 when it does not decrypt. */
static int
store_reseal_note(struct store *s, sqlite3_int64 id, const char *number,
                  const unsigned char *blob, size_t len)
{
    char note[FIELD_MAX];
    unsigned char sealed[FIELD_MAX + crypto_box_SEALBYTES];
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (store_open_field(s, "note", number, blob, len, note, sizeof note) < 0)
        goto out;
    size_t n = strlen(note);
    crypto_box_seal(sealed, (const unsigned char *)note, n, s->centre_key);
    rc = sqlite3_prepare_v2(s->db, "UPDATE changes SET note = ? WHERE id = ?",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto out;
    sqlite3_bind_blob(st, 1, sealed, (int)(n + crypto_box_SEALBYTES),
                      SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    rc = sqlite3_step(st);
    rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
out:
    sqlite3_finalize(st);
    sodium_memzero(note, sizeof note);
    sodium_memzero(sealed, sizeof sealed);
    return rc;
}

/*
 * The C step of the migration to version 5 (see store.h): every
 * application of version 4 is decrypted with the old key, sealed to the
 * centre key and given its outbox record and sequence number; staff notes
 * are sealed the same way. Part of the migration's transaction. Returns 0
 * or an enum store_error with *WHY; nothing is changed on error.
 */
static int
store_seal_v4(struct store *s, char **why)
{
    sqlite3_stmt *st = NULL, *up = NULL;
    char iin[64], phone[64], name[FIELD_MAX], sealed[2048];
    char record[RECORD_MAX], hash[65], number[APPLICATION_NUMBER_LEN + 1] = "";
    int64_t seq = 0;
    long n = 0;
    int rc = sqlite3_prepare_v2(
        s->db,
        "SELECT (SELECT count(*) FROM applications) + (SELECT count(*) "
        "FROM changes WHERE note IS NOT NULL)",
        -1, &st, NULL);
    if (rc != SQLITE_OK || (rc = sqlite3_step(st)) != SQLITE_ROW)
        goto sqlfail;
    n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (n > 0 && !s->have_legacy) {
        *why = xasprintf(
            "the applications database %s holds applications encrypted "
            "under the key file %s of an older dauys, and that file is "
            "missing: they cannot be sealed to the centre. Nothing was "
            "changed and no new key was made. Staff: put the key file back "
            "from this terminal's backup and start again",
            s->path, s->key_path != NULL ? s->key_path : "services.key");
        return STORE_KEY;
    }
    rc = sqlite3_prepare_v2(
        s->db,
        "SELECT id, number, centre, created_at, service, status, "
        "status_changed_at, iin, iin_flagged, phone, name, "
        "disability_group, contact, contact_language, ui_language "
        "FROM applications ORDER BY id",
        -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto sqlfail;
    rc = sqlite3_prepare_v2(s->db,
                            "UPDATE applications SET seq = ?, record = ?, "
                            "content_hash = ? WHERE id = ?",
                            -1, &up, NULL);
    if (rc != SQLITE_OK)
        goto sqlfail;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 1);
        snprintf(number, sizeof number, "%s", t ? t : "");
        name[0] = '\0';
        if (store_open_field(s, "iin", number, sqlite3_column_blob(st, 7),
                             (size_t)sqlite3_column_bytes(st, 7), iin,
                             sizeof iin) < 0 ||
            store_open_field(s, "phone", number, sqlite3_column_blob(st, 9),
                             (size_t)sqlite3_column_bytes(st, 9), phone,
                             sizeof phone) < 0 ||
            (sqlite3_column_type(st, 10) != SQLITE_NULL &&
             store_open_field(s, "name", number, sqlite3_column_blob(st, 10),
                              (size_t)sqlite3_column_bytes(st, 10), name,
                              sizeof name) < 0)) {
            *why = xasprintf("application %s cannot be decrypted with the "
                             "key file %s: the file does not belong to this "
                             "database. Nothing was changed. Staff: put back "
                             "this terminal's own key file from its backup",
                             number, s->key_path);
            rc = STORE_KEY;
            goto out;
        }
        const char *group = (const char *)sqlite3_column_text(st, 11);
        if (store_seal_personal(s, iin, phone, name, group ? group : "", sealed,
                                sizeof sealed) < 0) {
            *why = xasprintf("application %s cannot be sealed", number);
            rc = STORE_ERROR;
            goto out;
        }
        const char *centre = (const char *)sqlite3_column_text(st, 2);
        struct outrec r = {
            .centre = centre ? centre : "",
            .terminal = store_terminal(s, centre ? centre : ""),
            .number = number,
            .created_at = sqlite3_column_int64(st, 3),
            .service = (const char *)sqlite3_column_text(st, 4),
            .status = (const char *)sqlite3_column_text(st, 5),
            .status_changed_at = sqlite3_column_int64(st, 6),
            .iin_flagged = sqlite3_column_int(st, 8) != 0,
            .contact = (const char *)sqlite3_column_text(st, 12),
            .contact_lang = (const char *)sqlite3_column_text(st, 13),
            .ui_lang = (const char *)sqlite3_column_text(st, 14),
            .sealed = sealed,
        };
        if (r.service == NULL || r.status == NULL || r.contact == NULL ||
            r.contact_lang == NULL || r.ui_lang == NULL ||
            store_record(&r, record, sizeof record, hash) < 0) {
            *why = xasprintf("application %s cannot be made into an outbox "
                             "record",
                             number);
            rc = STORE_ERROR;
            goto out;
        }
        sqlite3_reset(up);
        sqlite3_bind_int64(up, 1, ++seq);
        sqlite3_bind_text(up, 2, record, -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 3, hash, -1, SQLITE_STATIC);
        sqlite3_bind_int64(up, 4, sqlite3_column_int64(st, 0));
        if ((rc = sqlite3_step(up)) != SQLITE_DONE)
            goto sqlfail;
    }
    if (rc != SQLITE_DONE)
        goto sqlfail;
    sqlite3_finalize(st);
    st = NULL;
    rc = sqlite3_prepare_v2(
        s->db,
        "SELECT c.id, a.number, c.note FROM changes c JOIN applications a "
        "ON a.id = c.application WHERE c.note IS NOT NULL",
        -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto sqlfail;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 1);
        snprintf(number, sizeof number, "%s", t ? t : "");
        int r = store_reseal_note(s, sqlite3_column_int64(st, 0), number,
                                  sqlite3_column_blob(st, 2),
                                  (size_t)sqlite3_column_bytes(st, 2));
        if (r == -1) {
            *why = xasprintf("a staff note on application %s cannot be "
                             "decrypted with the key file %s. Nothing was "
                             "changed",
                             number, s->key_path);
            rc = STORE_KEY;
            goto out;
        }
        if (r != SQLITE_OK) {
            rc = r;
            goto sqlfail;
        }
    }
    if (rc != SQLITE_DONE)
        goto sqlfail;
    rc = store_meta_set_int(s, "next_seq", seq + 1);
    if (rc != SQLITE_OK)
        goto sqlfail;
    rc = 0;
    goto out;
sqlfail:
    rc = store_fail(s, rc, "cannot seal the applications to the centre", why);
out:
    sqlite3_finalize(st);
    sqlite3_finalize(up);
    sodium_memzero(iin, sizeof iin);
    sodium_memzero(phone, sizeof phone);
    sodium_memzero(name, sizeof name);
    sodium_memzero(sealed, sizeof sealed);
    sodium_memzero(record, sizeof record);
    return rc;
}

void
store_key_fingerprint(const unsigned char key[STORE_CENTRE_KEY_LEN],
                      char out[STORE_FINGERPRINT_LEN])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, key, STORE_CENTRE_KEY_LEN);
    snprintf(out, STORE_FINGERPRINT_LEN, "%02x%02x:%02x%02x:%02x%02x:%02x%02x",
             h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]);
}

/*
 * Checks the centre key against the fingerprint the database recorded at
 * its first open, recording it when there is none. Part of the
 * migration's transaction. Returns 0, or STORE_KEY or an error with *WHY.
 */
static int
store_check_key(struct store *s, char **why)
{
    char mine[STORE_FINGERPRINT_LEN], theirs[STORE_FINGERPRINT_LEN] = "";
    sqlite3_stmt *st = NULL;
    store_key_fingerprint(s->centre_key, mine);
    int rc = sqlite3_prepare_v2(
        s->db, "SELECT value FROM meta WHERE key = 'centre_key_fingerprint'",
        -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto sqlfail;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        snprintf(theirs, sizeof theirs, "%s", t ? t : "");
    } else if (rc != SQLITE_DONE) {
        goto sqlfail;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (theirs[0] == '\0') {
        rc = store_meta_set(s, "centre_key_fingerprint", mine);
        return rc == SQLITE_OK
                   ? 0
                   : store_fail(s, rc, "cannot record the centre key", why);
    }
    if (strcmp(mine, theirs) == 0)
        return 0;
    *why = xasprintf(
        "the centre public key in the configuration (fingerprint %s) is not "
        "the one the applications in %s are sealed to (fingerprint %s). "
        "Nothing was changed and no application can be taken. Staff: put "
        "back [services] centre_public_key with fingerprint %s. If the "
        "centre has really changed its key, the administrator first sends "
        "every application to the centre, then moves the database aside "
        "(docs/services.md, \"Changing the centre key\")",
        mine, s->path, theirs, theirs);
    return STORE_KEY;
sqlfail:
    rc = store_fail(s, rc, "cannot read the centre key's fingerprint", why);
    sqlite3_finalize(st);
    return rc;
}

/* Runs the migrations from the file's version to STORE_SCHEMA_VERSION and
 * checks the centre key, in one transaction. */
static int
store_migrate(struct store *s, char **why)
{
    int rc = store_exec(s, "BEGIN IMMEDIATE", "cannot start the migration",
                        why);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version < 0) {
        rc = store_fail(s, sqlite3_errcode(s->db),
                        "cannot read the schema version", why);
        goto fail;
    }
    if (version > STORE_SCHEMA_VERSION) {
        *why = xasprintf("the database %s has schema version %d, newer than "
                         "this dauys knows (%d); use a newer dauys",
                         s->path, version, STORE_SCHEMA_VERSION);
        rc = STORE_ERROR;
        goto fail;
    }
    if (version < STORE_SCHEMA_VERSION && s->key_path != NULL) {
        unsigned char master[KEY_LEN];
        rc = store_legacy_key(s->key_path, master, why);
        if (rc < 0)
            goto fail;
        if (rc == 0) {
            crypto_kdf_derive_from_key(s->enc_key, KEY_LEN, 1, "dauysapp",
                                       master);
            crypto_kdf_derive_from_key(s->audit_key, KEY_LEN, 3, "dauysapp",
                                       master);
            s->have_legacy = true;
        }
        sodium_memzero(master, sizeof master);
    }
    for (int v = version; v < STORE_SCHEMA_VERSION; v++) {
        if (v == 3 && (rc = store_move_audit(s, why)) < 0)
            goto fail;
        rc = store_exec(s, migrations[v], "cannot migrate the schema", why);
        if (rc < 0)
            goto fail;
        if (v == 4 && ((rc = store_seal_v4(s, why)) < 0 ||
                       (rc = store_exec(s, migration_5_post,
                                        "cannot migrate the schema", why)) < 0))
            goto fail;
    }
    rc = store_check_key(s, why);
    if (rc < 0)
        goto fail;
    if (version < STORE_SCHEMA_VERSION) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
                 STORE_SCHEMA_VERSION);
        rc = store_exec(s, sql, "cannot set the schema version", why);
        if (rc < 0)
            goto fail;
    }
    rc = store_exec(s, "COMMIT", "cannot finish the migration", why);
    if (rc < 0)
        goto fail;
    sodium_memzero(s->enc_key, sizeof s->enc_key);
    sodium_memzero(s->audit_key, sizeof s->audit_key);
    s->have_legacy = false;
    if (version < STORE_SCHEMA_VERSION)
        /* The old ciphertexts in the log go with the key. */
        sqlite3_exec(s->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL,
                     NULL);
    /* Also after a crash between the COMMIT and the removal. */
    if (s->key_path != NULL)
        store_remove_legacy_key(s->key_path);
    return 0;
fail:
    store_rollback(s);
    sodium_memzero(s->enc_key, sizeof s->enc_key);
    sodium_memzero(s->audit_key, sizeof s->audit_key);
    s->have_legacy = false;
    return rc;
}

static int
store_integrity(struct store *s, char **why)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA integrity_check(5)", -1, &st,
                                NULL);
    if (rc != SQLITE_OK)
        goto damaged;
    char *report = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(st, 0);
        if (line != NULL && strcmp(line, "ok") == 0)
            continue;
        char *r = xasprintf("%s%s%s", report ? report : "", report ? "; " : "",
                            line ? line : "?");
        free(report);
        report = r;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE && report == NULL)
        return 0;
    *why = xasprintf("the applications database %s is damaged (%s). Nothing "
                     "was changed. Staff: stop the kiosk, keep the file for "
                     "the administrator and restore the last backup",
                     s->path, report ? report : sqlite3_errmsg(s->db));
    free(report);
    return STORE_DAMAGED;
damaged:
    sqlite3_finalize(st);
    *why = xasprintf("the applications database %s cannot be checked (%s). "
                     "Staff: stop the kiosk, keep the file for the "
                     "administrator and restore the last backup",
                     s->path, sqlite3_errmsg(s->db));
    return STORE_DAMAGED;
}

/*
 * Says whether the folder of PATH, or PATH itself, cannot be written
 * (a read-only mount, or permissions), filling *WHY with a message that
 * names it as such. Returns STORE_READONLY, or 0 when both can be
 * written.
 */
static int
store_readonly(const char *path, char **why)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL)
        snprintf(dir, strlen(dir) + 1, ".");
    else if (slash == dir)
        slash[1] = '\0';
    else
        *slash = '\0';
    struct statvfs vfs;
    const char *what = NULL;
    if (statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_RDONLY) != 0)
        what = "is on a file system mounted read-only";
    else if (access(dir, W_OK) != 0 && errno != ENOENT)
        what = "cannot be written by dauys (its permissions)";
    else if (access(path, W_OK) != 0 && errno != ENOENT)
        what = "holds a database file that dauys cannot write (its "
               "permissions)";
    int rc = 0;
    if (what != NULL) {
        *why = xasprintf(
            "the data directory %s %s, so no application can be saved. "
            "Nothing was lost: the applications already saved are intact. "
            "Staff: do not restore a backup; ask the administrator to make "
            "the data directory writable again (a read-only mount often "
            "follows a disk error)",
            dir, what);
        rc = STORE_READONLY;
    }
    free(dir);
    return rc;
}

int
store_open(const struct store_options *o, struct store **out, char **why)
{
    struct store *s = xcalloc(1, sizeof *s);
    int rc;
    *out = NULL;
    s->path = xstrdup(o->path);
    s->audit_log = o->audit_log != NULL ? xstrdup(o->audit_log) : NULL;
    s->terminal = o->terminal != NULL && o->terminal[0] != '\0'
                      ? xstrdup(o->terminal)
                      : NULL;
    s->key_path = o->key_path != NULL ? xstrdup(o->key_path) : NULL;
    if (o->centre_key == NULL) {
        *why = xstrdup(
            "no centre public key is configured ([services] "
            "centre_public_key): personal data could not be sealed, so no "
            "application is taken. Staff: put the centre's public key "
            "(centre.pub, from the administrator) in the configuration and "
            "start again");
        rc = STORE_KEY;
        goto fail;
    }
    memcpy(s->centre_key, o->centre_key, STORE_CENTRE_KEY_LEN);

    /* Create the file ourselves so that it is 0600 from the start; SQLite
     * gives its -wal and -shm files the same mode. */
    int fd = open(o->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        int e = errno;
        if ((e == EROFS || e == EACCES || e == EPERM) &&
            (rc = store_readonly(o->path, why)) < 0)
            goto fail;
        *why = xasprintf("cannot open the applications database %s: %s",
                         o->path, strerror(e));
        rc = e == ENOSPC ? STORE_FULL : STORE_ERROR;
        goto fail;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        ((st.st_mode & 077) != 0 && fchmod(fd, 0600) != 0)) {
        *why = xasprintf("the applications database %s is not a regular "
                         "file of mode 0600",
                         o->path);
        close(fd);
        rc = STORE_ERROR;
        goto fail;
    }
    close(fd);
    /* WAL needs the folder too (the -wal and -shm files): say so, rather
     * than let SQLite's "unable to open" read as a damaged file. */
    if ((rc = store_readonly(o->path, why)) < 0)
        goto fail;
    rc = sqlite3_open_v2(o->path, &s->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, o->vfs);
    if (rc != SQLITE_OK) {
        rc = store_fail(s, rc, "cannot open the applications database", why);
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, o->busy_ms > 0 ? o->busy_ms : 2000);
    rc = store_integrity(s, why);
    if (rc < 0)
        goto fail;
    sqlite3_stmt *jm = NULL;
    const char *mode = NULL;
    if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &jm, NULL) ==
            SQLITE_OK &&
        sqlite3_step(jm) == SQLITE_ROW)
        mode = (const char *)sqlite3_column_text(jm, 0);
    bool wal = mode != NULL && strcmp(mode, "wal") == 0;
    sqlite3_finalize(jm);
    if (!wal) {
        rc = store_fail(s, sqlite3_errcode(s->db),
                        "cannot switch the database to WAL", why);
        goto fail;
    }
    rc = store_exec(s,
                    o->bulk ? "PRAGMA synchronous = OFF; PRAGMA foreign_keys "
                              "= ON; PRAGMA secure_delete = ON"
                            : "PRAGMA synchronous = FULL; PRAGMA foreign_keys "
                              "= ON; PRAGMA secure_delete = ON",
                    "cannot set up the database", why);
    if (rc < 0)
        goto fail;
    rc = store_migrate(s, why);
    if (rc < 0)
        goto fail;
    *out = s;
    return 0;
fail:
    store_close(s);
    return rc;
}

void
store_close(struct store *s)
{
    if (s == NULL)
        return;
    if (s->db != NULL)
        sqlite3_close(s->db);
    sodium_memzero(s->enc_key, sizeof s->enc_key);
    sodium_memzero(s->audit_key, sizeof s->audit_key);
    free(s->path);
    free(s->audit_log);
    free(s->terminal);
    free(s->key_path);
    free(s);
}

int
store_pragma(struct store *s, const char *name, char *out, size_t size)
{
    sqlite3_stmt *st = NULL;
    char sql[64];
    int rc = -1;
    if (strspn(name, "abcdefghijklmnopqrstuvwxyz_") != strlen(name))
        return -1;
    snprintf(sql, sizeof sql, "PRAGMA %s", name);
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        snprintf(out, size, "%s", t ? t : "");
        rc = 0;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Fills NUMBER with 8 random digits and their Damm check digit. */
static void
store_new_number(char number[APPLICATION_NUMBER_LEN + 1])
{
    snprintf(number, APPLICATION_NUMBER_LEN + 1, "%08u",
             (unsigned)randombytes_uniform(100000000));
    number[8] = (char)('0' + damm_digit(number));
    number[9] = '\0';
}

int
store_submit(struct store *s, const struct application *a, const char *centre,
             int64_t now, char number[APPLICATION_NUMBER_LEN + 1], char **why)
{
    sqlite3_stmt *find = NULL, *ins = NULL;
    char sealed[2048], record[RECORD_MAX], hash[65];
    int64_t seq = 0;
    int rc;
    if (application_check(a, why) < 0)
        return STORE_INVALID;
    rc = store_exec(s, "BEGIN IMMEDIATE", "cannot start saving", why);
    if (rc < 0)
        return rc;
    rc = sqlite3_prepare_v2(s->db,
                            "SELECT 1 FROM applications WHERE number = ?", -1,
                            &find, NULL);
    if (rc != SQLITE_OK)
        goto sqlfail;
    int tries = 0;
    do {
        if (++tries > 50) {
            *why = xstrdup("cannot find a free application number");
            rc = STORE_ERROR;
            goto fail;
        }
        store_new_number(number);
        sqlite3_reset(find);
        sqlite3_bind_text(find, 1, number, -1, SQLITE_STATIC);
        rc = sqlite3_step(find);
    } while (rc == SQLITE_ROW);
    if (rc != SQLITE_DONE)
        goto sqlfail;
    if ((rc = store_meta_int(s, "next_seq", &seq)) != SQLITE_OK)
        goto sqlfail;
    if (seq < 1)
        seq = 1;
    if (store_seal_personal(s, a->iin, a->phone, a->name,
                            application_group_id(a->group), sealed,
                            sizeof sealed) < 0) {
        *why = xstrdup("the application cannot be sealed");
        rc = STORE_ERROR;
        goto fail;
    }
    struct outrec r = {
        .centre = centre,
        .terminal = store_terminal(s, centre),
        .number = number,
        .created_at = now,
        .service = a->service,
        .status = application_status_id(STATUS_RECEIVED),
        .status_changed_at = now,
        .iin_flagged = a->iin_flagged,
        .contact = application_contact_id(a->contact),
        .contact_lang = lang_code(a->contact_lang),
        .ui_lang = lang_code(a->ui_lang),
        .sealed = sealed,
    };
    if (store_record(&r, record, sizeof record, hash) < 0) {
        *why = xstrdup("the application is too long for its outbox record");
        rc = STORE_INVALID;
        goto fail;
    }
    rc = sqlite3_prepare_v2(
        s->db,
        "INSERT INTO applications (number, centre, created_at, service, "
        "status, status_changed_at, iin_flagged, contact, contact_language, "
        "ui_language, seq, record, content_hash) "
        "VALUES (?, ?, ?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, ?)",
        -1, &ins, NULL);
    if (rc != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_text(ins, 1, number, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, centre, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 3, now);
    sqlite3_bind_text(ins, 4, a->service, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 5, now);
    sqlite3_bind_int(ins, 6, a->iin_flagged ? 1 : 0);
    sqlite3_bind_text(ins, 7, application_contact_id(a->contact), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(ins, 8, lang_code(a->contact_lang), -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 9, lang_code(a->ui_lang), -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 10, seq);
    sqlite3_bind_text(ins, 11, record, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 12, hash, -1, SQLITE_STATIC);
    rc = sqlite3_step(ins);
    if (rc != SQLITE_DONE)
        goto sqlfail;
    if ((rc = store_meta_set_int(s, "next_seq", seq + 1)) != SQLITE_OK)
        goto sqlfail;
    sqlite3_finalize(find);
    sqlite3_finalize(ins);
    find = ins = NULL;
    rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        goto sqlfail;
    rc = 0;
    goto out;
sqlfail:
    rc = store_fail(s, rc, "the application could not be saved", why);
fail:
    sqlite3_finalize(find);
    sqlite3_finalize(ins);
    store_rollback(s);
    number[0] = '\0';
out:
    sodium_memzero(sealed, sizeof sealed);
    sodium_memzero(record, sizeof record);
    return rc;
}

int
store_status(struct store *s, const char *number, enum app_status *status,
             int64_t *changed_at, char *service, char **why)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT status, status_changed_at, service "
                                "FROM applications WHERE number = ?",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_finalize(st);
        return 1;
    }
    if (rc != SQLITE_ROW)
        goto fail;
    int stv = application_status_from_id(
        (const char *)sqlite3_column_text(st, 0));
    *status = stv < 0 ? STATUS_RECEIVED : (enum app_status)stv;
    *changed_at = sqlite3_column_int64(st, 1);
    snprintf(service, CATALOGUE_ID_MAX + 1, "%s",
             (const char *)sqlite3_column_text(st, 2));
    sqlite3_finalize(st);
    return 0;
fail:
    rc = store_fail(s, rc, "cannot look up the application", why);
    sqlite3_finalize(st);
    return rc;
}

static int
id_index(const char *id, const char *(*name)(int), int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(name(i), id) == 0)
            return i;
    return -1;
}

static const char *
contact_id_i(int i)
{
    return application_contact_id((enum contact_method)i);
}

static const char *
lang_id_i(int i)
{
    return lang_code((enum lang)i);
}

/* Fills R from the current row of ST (the columns of store_list). */
static void
store_read_row(sqlite3_stmt *st, struct store_row *r)
{
    memset(r, 0, sizeof *r);
    const char *t = (const char *)sqlite3_column_text(st, 0);
    snprintf(r->number, sizeof r->number, "%s", t ? t : "");
    t = (const char *)sqlite3_column_text(st, 1);
    snprintf(r->centre, sizeof r->centre, "%s", t ? t : "");
    r->created_at = sqlite3_column_int64(st, 2);
    t = (const char *)sqlite3_column_text(st, 3);
    snprintf(r->app.service, sizeof r->app.service, "%s", t ? t : "");
    int v = application_status_from_id(
        (const char *)sqlite3_column_text(st, 4));
    r->status = v < 0 ? STATUS_RECEIVED : (enum app_status)v;
    r->status_changed_at = sqlite3_column_int64(st, 5);
    r->app.iin_flagged = sqlite3_column_int(st, 6) != 0;
    r->app.group = GROUP_UNKNOWN;
    t = (const char *)sqlite3_column_text(st, 7);
    v = id_index(t ? t : "", contact_id_i, CONTACT_COUNT);
    r->app.contact = v < 0 ? CONTACT_VISIT : (enum contact_method)v;
    t = (const char *)sqlite3_column_text(st, 8);
    v = id_index(t ? t : "", lang_id_i, LANG_COUNT);
    r->app.contact_lang = v < 0 ? LANG_KK : (enum lang)v;
    t = (const char *)sqlite3_column_text(st, 9);
    v = id_index(t ? t : "", lang_id_i, LANG_COUNT);
    r->app.ui_lang = v < 0 ? LANG_KK : (enum lang)v;
    r->iin_override = sqlite3_column_int(st, 10) != 0;
    r->seq = sqlite3_column_int64(st, 11);
    r->acked_at = sqlite3_column_int64(st, 12);
}

int
store_list(struct store *s, const struct store_query *q, store_row_fn fn,
           void *ctx, char **why)
{
    char sql[1024];
    struct store_row row;
    sqlite3_stmt *st = NULL;
    int n = snprintf(sql, sizeof sql,
                     "SELECT number, centre, created_at, service, status, "
                     "status_changed_at, iin_flagged, contact, "
                     "contact_language, ui_language, iin_override, seq, "
                     "acked_at FROM applications WHERE 1");
    if (q->number != NULL)
        n += snprintf(sql + n, sizeof sql - (size_t)n, " AND number = ?1");
    if (q->from != 0)
        n += snprintf(sql + n, sizeof sql - (size_t)n, " AND created_at >= ?3");
    if (q->to != 0)
        n += snprintf(sql + n, sizeof sql - (size_t)n, " AND created_at < ?4");
    if (q->status >= 0)
        n += snprintf(sql + n, sizeof sql - (size_t)n, " AND status = ?5");
    n += snprintf(sql + n, sizeof sql - (size_t)n,
                  " ORDER BY created_at DESC, id DESC");
    if (q->limit > 0)
        snprintf(sql + n, sizeof sql - (size_t)n, " LIMIT %u", q->limit);
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    if (q->number != NULL)
        sqlite3_bind_text(st, 1, q->number, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, q->from);
    sqlite3_bind_int64(st, 4, q->to);
    if (q->status >= 0)
        sqlite3_bind_text(st, 5, application_status_id(q->status), -1,
                          SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_read_row(st, &row);
        int stop = fn(ctx, &row);
        sodium_memzero(&row, sizeof row);
        if (stop)
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    return 0;
fail:
    rc = store_fail(s, rc, "cannot read the applications", why);
    sqlite3_finalize(st);
    return rc;
}

/* Appends a row to `changes` for application ID; part of the caller's
 * transaction. */
static int
store_change(struct store *s, sqlite3_int64 id, const char *number,
             const char *kind, const char *status, const char *note,
             const char *staff, int64_t now)
{
    unsigned char ct[FIELD_MAX + crypto_box_SEALBYTES];
    sqlite3_stmt *st = NULL;
    (void)number;
    int rc = sqlite3_prepare_v2(
        s->db,
        "INSERT INTO changes (application, kind, status, note, staff, "
        "changed_at) VALUES (?, ?, ?, ?, ?, ?)",
        -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
    if (note != NULL && note[0] != '\0') {
        /* A note may be personal: sealed to the centre like the rest. */
        size_t len = strlen(note);
        if (len > FIELD_MAX)
            len = FIELD_MAX;
        crypto_box_seal(ct, (const unsigned char *)note, len, s->centre_key);
        sqlite3_bind_blob(st, 4, ct, (int)(len + crypto_box_SEALBYTES),
                          SQLITE_TRANSIENT);
    } else {
        sqlite3_bind_null(st, 4);
    }
    sqlite3_bind_text(st, 5, staff, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, now);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    sodium_memzero(ct, sizeof ct);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int
store_audit_export(struct store *s, const char *staff, int64_t now, char **why)
{
    return store_audit(s, staff, "services: all applications exported", now,
                       why);
}

/* Shared by set_status and accept_iin: one transaction that finds the
 * application, runs UPDATE (with ?1 = status or unused, ?2 = now, ?3 =
 * id) and records the change. */
static int
store_update(struct store *s, const char *number, const char *update,
             const char *where_extra, const char *kind, const char *status,
             const char *note, const char *staff, int64_t now, char **why)
{
    sqlite3_stmt *st = NULL;
    char sql[256];
    int rc = store_exec(s, "BEGIN IMMEDIATE", "cannot start the change", why);
    if (rc < 0)
        return rc;
    snprintf(sql, sizeof sql,
             "SELECT id, status FROM applications WHERE number = ?%s",
             where_extra);
    rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_finalize(st);
        store_rollback(s);
        return 1;
    }
    if (rc != SQLITE_ROW)
        goto sqlfail;
    sqlite3_int64 id = sqlite3_column_int64(st, 0);
    char current[16];
    snprintf(current, sizeof current, "%s",
             (const char *)sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    st = NULL;
    rc = sqlite3_prepare_v2(s->db, update, -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto sqlfail;
    if (sqlite3_bind_parameter_count(st) >= 3) {
        sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, now);
        sqlite3_bind_int64(st, 3, id);
    } else {
        sqlite3_bind_int64(st, 1, id);
    }
    rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        goto sqlfail;
    sqlite3_finalize(st);
    st = NULL;
    rc = store_change(s, id, number, kind, status ? status : current, note,
                      staff, now);
    if (rc != SQLITE_OK)
        goto sqlfail;
    /* The trail first: an action it does not hold is never saved. */
    char action[80];
    snprintf(action, sizeof action, "services: application %s: %s%s%s", number,
             kind, status ? ":" : "", status ? status : "");
    int arc = store_audit(s, staff, action, now, why);
    if (arc < 0) {
        store_rollback(s);
        return arc;
    }
    rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        rc = store_fail(s, rc, "the change could not be saved", why);
        store_rollback(s);
        store_audit_undone(s, staff, action, now);
        return rc;
    }
    return 0;
sqlfail:
    rc = store_fail(s, rc, "the change could not be saved", why);
    sqlite3_finalize(st);
    store_rollback(s);
    return rc;
}

int
store_set_status(struct store *s, const char *number, enum app_status status,
                 const char *note, const char *staff, int64_t now, char **why)
{
    if ((unsigned)status >= STATUS_COUNT) {
        *why = xstrdup("unknown status");
        return STORE_INVALID;
    }
    if (note != NULL && strlen(note) > 400) {
        *why = xstrdup("the note is longer than 400 bytes");
        return STORE_INVALID;
    }
    return store_update(s, number,
                        "UPDATE applications SET status = ?1, "
                        "status_changed_at = ?2 WHERE id = ?3",
                        "", "status", application_status_id(status), note,
                        staff, now, why);
}

int
store_accept_iin(struct store *s, const char *number, const char *staff,
                 int64_t now, char **why)
{
    return store_update(s, number,
                        "UPDATE applications SET iin_override = 1 "
                        "WHERE id = ?1",
                        " AND iin_flagged = 1", "iin-override", NULL,
                        "IIN accepted by staff", staff, now, why);
}

int
store_retention(struct store *s, unsigned days, int64_t now, long *deleted,
                char **why)
{
    sqlite3_stmt *st = NULL;
    *deleted = 0;
    /* Measured from the newest application when the clock is later: a
     * clock that jumped ahead deletes nothing by itself. */
    int rc = sqlite3_prepare_v2(
        s->db,
        "DELETE FROM applications WHERE acked_at IS NOT NULL AND "
        "created_at < min(?1, coalesce((SELECT max(created_at) FROM "
        "applications), ?1)) - ?2",
        -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, (int64_t)days * 86400);
    rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        goto fail;
    *deleted = sqlite3_changes(s->db);
    sqlite3_finalize(st);
    return 0;
fail:
    rc = store_fail(s, rc, "old applications could not be deleted", why);
    sqlite3_finalize(st);
    return rc;
}

/* Calls FN for each outbox record of the query SQL (columns seq, number,
 * record, content_hash; ?1 after, ?2 limit), with its hash appended. */
static int
store_records(struct store *s, const char *sql, int64_t after, unsigned limit,
              store_outbox_fn fn, void *ctx, char **why)
{
    sqlite3_stmt *st = NULL;
    char line[RECORD_MAX + 100];
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, limit > 0 ? (sqlite3_int64)limit : -1);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *number = (const char *)sqlite3_column_text(st, 1);
        const char *record = (const char *)sqlite3_column_text(st, 2);
        const char *hash = (const char *)sqlite3_column_text(st, 3);
        if (number == NULL || record == NULL || hash == NULL ||
            store_record_with_hash(record, hash, line, sizeof line) < 0) {
            *why = xasprintf("application %s has no outbox record",
                             number ? number : "?");
            sqlite3_finalize(st);
            return STORE_ERROR;
        }
        if (fn(ctx, sqlite3_column_int64(st, 0), number, line))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    return 0;
fail:
    rc = store_fail(s, rc, "cannot read the outbox", why);
    sqlite3_finalize(st);
    return rc;
}

int
store_outbox(struct store *s, int64_t after, unsigned limit, store_outbox_fn fn,
             void *ctx, char **why)
{
    return store_records(s,
                         "SELECT seq, number, record, content_hash FROM "
                         "applications WHERE acked_at IS NULL AND seq > ?1 "
                         "ORDER BY seq LIMIT ?2",
                         after, limit, fn, ctx, why);
}

int
store_outbox_acked(struct store *s, const char *const *numbers, size_t n,
                   int64_t acked_at, char **why)
{
    sqlite3_stmt *st = NULL;
    int rc = store_exec(s, "BEGIN IMMEDIATE", "cannot start the change", why);
    if (rc < 0)
        return rc;
    rc = sqlite3_prepare_v2(s->db,
                            "UPDATE applications SET acked_at = ? WHERE "
                            "number = ? AND acked_at IS NULL",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, acked_at);
        sqlite3_bind_text(st, 2, numbers[i], -1, SQLITE_STATIC);
        if ((rc = sqlite3_step(st)) != SQLITE_DONE)
            goto fail;
    }
    sqlite3_finalize(st);
    st = NULL;
    rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    return 0;
fail:
    rc = store_fail(s, rc, "the acknowledgements could not be saved", why);
    sqlite3_finalize(st);
    store_rollback(s);
    return rc;
}

int
store_apply_central_status(struct store *s, const char *number,
                           enum app_status status, int64_t changed_at,
                           char **why)
{
    sqlite3_stmt *st = NULL;
    if ((unsigned)status >= STATUS_COUNT) {
        *why = xstrdup("unknown status");
        return STORE_INVALID;
    }
    int rc = store_exec(s, "BEGIN IMMEDIATE", "cannot start the change", why);
    if (rc < 0)
        return rc;
    rc = sqlite3_prepare_v2(s->db,
                            "SELECT id, status_changed_at FROM applications "
                            "WHERE number = ?",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_finalize(st);
        store_rollback(s);
        return 1;
    }
    if (rc != SQLITE_ROW)
        goto fail;
    sqlite3_int64 id = sqlite3_column_int64(st, 0);
    int64_t local = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    st = NULL;
    if (changed_at > local) {
        rc = sqlite3_prepare_v2(s->db,
                                "UPDATE applications SET status = ?, "
                                "status_changed_at = ? WHERE id = ?",
                                -1, &st, NULL);
        if (rc != SQLITE_OK)
            goto fail;
        sqlite3_bind_text(st, 1, application_status_id(status), -1,
                          SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, changed_at);
        sqlite3_bind_int64(st, 3, id);
        if ((rc = sqlite3_step(st)) != SQLITE_DONE)
            goto fail;
        sqlite3_finalize(st);
        st = NULL;
        rc = store_change(s, id, number, "status",
                          application_status_id(status), NULL, "centre",
                          changed_at);
        if (rc != SQLITE_OK)
            goto fail;
    }
    rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    return 0;
fail:
    rc = store_fail(s, rc, "the central status could not be saved", why);
    sqlite3_finalize(st);
    store_rollback(s);
    return rc;
}

long
store_outbox_pending(struct store *s)
{
    sqlite3_stmt *st = NULL;
    long n = -1;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT count(*) FROM applications WHERE acked_at "
                           "IS NULL",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

struct export
{
    FILE *out;
    long n;
};

static int
export_line(void *ctx, int64_t seq, const char *number, const char *record)
{
    struct export *e = ctx;
    (void)seq;
    (void)number;
    if (fputs(record, e->out) == EOF || fputc('\n', e->out) == EOF)
        return 1;
    e->n++;
    return 0;
}

int
store_export_outbox(struct store *s, FILE *out, long *count, char **why)
{
    struct export e = {.out = out};
    *count = 0;
    /* One read transaction: the file is one moment of the store. */
    int rc = store_exec(s, "BEGIN", "cannot start the export", why);
    if (rc < 0)
        return rc;
    rc = store_records(s,
                       "SELECT seq, number, record, content_hash FROM "
                       "applications WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                       0, 0, export_line, &e, why);
    store_rollback(s);
    if (rc < 0)
        return rc;
    if (fflush(out) != 0 || ferror(out)) {
        *why = xasprintf("cannot write the export: %s", strerror(errno));
        return STORE_ERROR;
    }
    *count = e.n;
    return 0;
}

int
store_count_by_service(struct store *s, int64_t from, int64_t to,
                       store_count_fn fn, void *ctx, char **why)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT service, count(*) FROM applications "
                                "WHERE created_at >= ? AND created_at < ? "
                                "GROUP BY service ORDER BY service",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to > 0 ? to : INT64_MAX);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *service = (const char *)sqlite3_column_text(st, 0);
        if (fn(ctx, service != NULL ? service : "",
               (long)sqlite3_column_int64(st, 1)) != 0)
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    return 0;
fail:
    rc = store_fail(s, rc, "cannot count the applications", why);
    sqlite3_finalize(st);
    return rc;
}

long
store_count(struct store *s)
{
    sqlite3_stmt *st = NULL;
    long n = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM applications", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}
