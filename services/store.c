/*
 * The applications database (see store.h).
 *
 * Migrations are a list of SQL scripts; script i takes the schema from
 * version i to i + 1 and runs in the same transaction as the new
 * user_version, so a crash mid-migration leaves the old version. Every
 * write is BEGIN IMMEDIATE ... COMMIT; on any error the transaction is
 * rolled back before returning. Encrypted columns hold nonce || ciphertext
 * with the column name and the application number as associated data, so
 * a value copied to another row or column does not decrypt.
 */
#include "services/store.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

struct store {
    sqlite3 *db;
    char *path;
    char *audit_log; /* NULL: staff actions are refused */
    unsigned char enc_key[KEY_LEN];
    unsigned char hash_key[KEY_LEN];
    unsigned char audit_key[KEY_LEN]; /* checks the audit table of schema
                                       * version 3 when it is moved */
};

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
};

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

/* Reads the key file PATH into KEY, creating it (0600) when missing. */
static int
store_key(const char *path, unsigned char key[KEY_LEN], char **why)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT) {
        /* Whole or not at all: a power cut never leaves a short key. */
        char *w = NULL;
        randombytes_buf(key, KEY_LEN);
        int wr = atomicfile_write(path, key, KEY_LEN, 0600,
                                  ATOMICFILE_NOREPLACE, &w);
        if (wr == 0)
            return 0;
        sodium_memzero(key, KEY_LEN);
        if (wr != -EEXIST) {
            *why = xasprintf("cannot create the key file: %s", w);
            free(w);
            return wr == -ENOSPC ? STORE_FULL : STORE_ERROR;
        }
        /* Another process made it first: use that one. */
        free(w);
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    }
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
    if ((st.st_mode & 077) != 0) {
        *why = xasprintf("the key file %s can be read by others (mode %03o); "
                         "it must be 0600: chmod 600 %s",
                         path, (unsigned)(st.st_mode & 0777), path);
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

/* Runs the migrations from the file's version to STORE_SCHEMA_VERSION. */
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
    for (int v = version; v < STORE_SCHEMA_VERSION; v++) {
        if (v == 3 && (rc = store_move_audit(s, why)) < 0)
            goto fail;
        rc = store_exec(s, migrations[v], "cannot migrate the schema", why);
        if (rc < 0)
            goto fail;
    }
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
    rc = store_exec(s, sql, "cannot set the schema version", why);
    if (rc < 0)
        goto fail;
    rc = store_exec(s, "COMMIT", "cannot finish the migration", why);
    if (rc < 0)
        goto fail;
    return 0;
fail:
    store_rollback(s);
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

int
store_open(const struct store_options *o, struct store **out, char **why)
{
    struct store *s = xcalloc(1, sizeof *s);
    unsigned char master[KEY_LEN];
    int rc;
    *out = NULL;
    s->path = xstrdup(o->path);
    s->audit_log = o->audit_log != NULL ? xstrdup(o->audit_log) : NULL;
    rc = store_key(o->key_path, master, why);
    if (rc < 0)
        goto fail;
    crypto_kdf_derive_from_key(s->enc_key, KEY_LEN, 1, "dauysapp", master);
    crypto_kdf_derive_from_key(s->hash_key, KEY_LEN, 2, "dauysapp", master);
    crypto_kdf_derive_from_key(s->audit_key, KEY_LEN, 3, "dauysapp", master);
    sodium_memzero(master, sizeof master);

    /* Create the file ourselves so that it is 0600 from the start; SQLite
     * gives its -wal and -shm files the same mode. */
    int fd = open(o->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        *why = xasprintf("cannot open the applications database %s: %s",
                         o->path, strerror(errno));
        rc = errno == ENOSPC ? STORE_FULL : STORE_ERROR;
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
                              "= ON"
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
    sodium_memzero(master, sizeof master);
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
    sodium_memzero(s->hash_key, sizeof s->hash_key);
    sodium_memzero(s->audit_key, sizeof s->audit_key);
    free(s->path);
    free(s->audit_log);
    free(s);
}

/* Encrypts LEN bytes of PLAIN for COLUMN of NUMBER into OUT (NONCE_LEN +
 * LEN + TAG_LEN bytes). */
static size_t
store_seal(const struct store *s, const char *column, const char *number,
           const char *plain, size_t len, unsigned char *out)
{
    char ad[64];
    int adlen = snprintf(ad, sizeof ad, "%s:%s", column, number);
    unsigned long long clen = 0;
    randombytes_buf(out, NONCE_LEN);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + NONCE_LEN, &clen,
                                               (const unsigned char *)plain,
                                               len, (const unsigned char *)ad,
                                               (unsigned long long)adlen, NULL,
                                               out, s->enc_key);
    return NONCE_LEN + (size_t)clen;
}

/* Decrypts BLOB into OUT (SIZE bytes, NUL-terminated). Returns 0 or -1. */
static int
store_open_field(const struct store *s, const char *column, const char *number,
                 const unsigned char *blob, size_t len, char *out, size_t size)
{
    char ad[64];
    int adlen = snprintf(ad, sizeof ad, "%s:%s", column, number);
    unsigned long long plen = 0;
    if (len < NONCE_LEN + TAG_LEN || len - NONCE_LEN - TAG_LEN >= size)
        return -1;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            (unsigned char *)out, &plen, NULL, blob + NONCE_LEN,
            len - NONCE_LEN, (const unsigned char *)ad,
            (unsigned long long)adlen, blob, s->enc_key) != 0)
        return -1;
    out[plen] = '\0';
    return 0;
}

static void
store_iin_hash(const struct store *s, const char *iin, unsigned char out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)iin, strlen(iin),
                       s->hash_key, KEY_LEN);
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
    unsigned char iin_ct[FIELD_MAX], phone_ct[FIELD_MAX], name_ct[FIELD_MAX];
    unsigned char hash[32];
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
    rc = sqlite3_prepare_v2(
        s->db,
        "INSERT INTO applications (number, centre, created_at, service, "
        "status, status_changed_at, iin, iin_hash, iin_flagged, phone, name, "
        "disability_group, contact, contact_language, ui_language) "
        "VALUES (?, ?, ?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        -1, &ins, NULL);
    if (rc != SQLITE_OK)
        goto sqlfail;
    size_t il = store_seal(s, "iin", number, a->iin, strlen(a->iin), iin_ct);
    size_t pl = store_seal(s, "phone", number, a->phone, strlen(a->phone),
                           phone_ct);
    size_t nl = a->name[0] != '\0' ? store_seal(s, "name", number, a->name,
                                                strlen(a->name), name_ct)
                                   : 0;
    store_iin_hash(s, a->iin, hash);
    sqlite3_bind_text(ins, 1, number, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, centre, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 3, now);
    sqlite3_bind_text(ins, 4, a->service, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 5, now);
    sqlite3_bind_blob(ins, 6, iin_ct, (int)il, SQLITE_STATIC);
    sqlite3_bind_blob(ins, 7, hash, sizeof hash, SQLITE_STATIC);
    sqlite3_bind_int(ins, 8, a->iin_flagged ? 1 : 0);
    sqlite3_bind_blob(ins, 9, phone_ct, (int)pl, SQLITE_STATIC);
    if (nl > 0)
        sqlite3_bind_blob(ins, 10, name_ct, (int)nl, SQLITE_STATIC);
    else
        sqlite3_bind_null(ins, 10);
    sqlite3_bind_text(ins, 11, application_group_id(a->group), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(ins, 12, application_contact_id(a->contact), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(ins, 13, lang_code(a->contact_lang), -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 14, lang_code(a->ui_lang), -1, SQLITE_STATIC);
    rc = sqlite3_step(ins);
    if (rc != SQLITE_DONE)
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
    sodium_memzero(iin_ct, sizeof iin_ct);
    sodium_memzero(phone_ct, sizeof phone_ct);
    sodium_memzero(name_ct, sizeof name_ct);
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
group_id_i(int i)
{
    return application_group_id((enum disability_group)i);
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
static int
store_read_row(const struct store *s, sqlite3_stmt *st, struct store_row *r)
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
    if (store_open_field(s, "iin", r->number, sqlite3_column_blob(st, 6),
                         (size_t)sqlite3_column_bytes(st, 6), r->app.iin,
                         sizeof r->app.iin) < 0)
        return -1;
    r->app.iin_flagged = sqlite3_column_int(st, 7) != 0;
    if (store_open_field(s, "phone", r->number, sqlite3_column_blob(st, 8),
                         (size_t)sqlite3_column_bytes(st, 8), r->app.phone,
                         sizeof r->app.phone) < 0)
        return -1;
    if (sqlite3_column_type(st, 9) != SQLITE_NULL &&
        store_open_field(s, "name", r->number, sqlite3_column_blob(st, 9),
                         (size_t)sqlite3_column_bytes(st, 9), r->app.name,
                         sizeof r->app.name) < 0)
        return -1;
    t = (const char *)sqlite3_column_text(st, 10);
    v = id_index(t ? t : "", group_id_i, GROUP_COUNT);
    r->app.group = v < 0 ? GROUP_UNKNOWN : (enum disability_group)v;
    t = (const char *)sqlite3_column_text(st, 11);
    v = id_index(t ? t : "", contact_id_i, CONTACT_COUNT);
    r->app.contact = v < 0 ? CONTACT_VISIT : (enum contact_method)v;
    t = (const char *)sqlite3_column_text(st, 12);
    v = id_index(t ? t : "", lang_id_i, LANG_COUNT);
    r->app.contact_lang = v < 0 ? LANG_KK : (enum lang)v;
    t = (const char *)sqlite3_column_text(st, 13);
    v = id_index(t ? t : "", lang_id_i, LANG_COUNT);
    r->app.ui_lang = v < 0 ? LANG_KK : (enum lang)v;
    r->iin_override = sqlite3_column_int(st, 14) != 0;
    return 0;
}

int
store_list(struct store *s, const struct store_query *q, store_row_fn fn,
           void *ctx, char **why)
{
    char sql[1024];
    unsigned char hash[32];
    struct store_row row;
    sqlite3_stmt *st = NULL;
    int n = snprintf(sql, sizeof sql,
                     "SELECT number, centre, created_at, service, status, "
                     "status_changed_at, iin, iin_flagged, phone, name, "
                     "disability_group, contact, contact_language, "
                     "ui_language, iin_override FROM applications WHERE 1");
    if (q->number != NULL)
        n += snprintf(sql + n, sizeof sql - (size_t)n, " AND number = ?1");
    if (q->iin != NULL)
        n += snprintf(sql + n, sizeof sql - (size_t)n, " AND iin_hash = ?2");
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
    if (q->iin != NULL) {
        store_iin_hash(s, q->iin, hash);
        sqlite3_bind_blob(st, 2, hash, sizeof hash, SQLITE_STATIC);
    }
    sqlite3_bind_int64(st, 3, q->from);
    sqlite3_bind_int64(st, 4, q->to);
    if (q->status >= 0)
        sqlite3_bind_text(st, 5, application_status_id(q->status), -1,
                          SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (store_read_row(s, st, &row) < 0) {
            sodium_memzero(&row, sizeof row);
            *why = xasprintf("application %s cannot be decrypted: the key "
                             "file does not belong to this database",
                             row.number);
            sqlite3_finalize(st);
            return STORE_ERROR;
        }
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
    unsigned char ct[FIELD_MAX];
    sqlite3_stmt *st = NULL;
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
        size_t len = strlen(note);
        if (len > FIELD_MAX - NONCE_LEN - TAG_LEN)
            len = FIELD_MAX - NONCE_LEN - TAG_LEN;
        size_t cl = store_seal(s, "note", number, note, len, ct);
        sqlite3_bind_blob(st, 4, ct, (int)cl, SQLITE_TRANSIENT);
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
    int rc = sqlite3_prepare_v2(s->db,
                                "DELETE FROM applications WHERE created_at < ?",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, now - (int64_t)days * 86400);
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

struct export
{
    FILE *out;
    bool json;
    long n;
    int err;
};

static void
csv_field(FILE *f, const char *v, bool last)
{
    if (strpbrk(v, ",\"\r\n") != NULL) {
        fputc('"', f);
        for (const char *p = v; *p; p++) {
            if (*p == '"')
                fputc('"', f);
            fputc(*p, f);
        }
        fputc('"', f);
    } else {
        fputs(v, f);
    }
    fputc(last ? '\n' : ',', f);
}

static int
export_row(void *ctx, const struct store_row *r)
{
    struct export *e = ctx;
    char created[40], changed[40], phone[16];
    application_time(r->created_at, true, created, sizeof created);
    application_time(r->status_changed_at, true, changed, sizeof changed);
    snprintf(phone, sizeof phone, "+7%s", r->app.phone);
    const char *v[14] = {
        r->number,
        r->centre,
        created,
        r->app.service,
        application_status_id(r->status),
        changed,
        r->app.iin,
        r->app.iin_flagged ? "1" : "0",
        phone,
        r->app.name,
        application_group_id(r->app.group),
        application_contact_id(r->app.contact),
        lang_code(r->app.contact_lang),
        lang_code(r->app.ui_lang),
    };
    static const char *const cols[14] = {
        "number",
        "centre",
        "created_at",
        "service",
        "status",
        "status_changed_at",
        "iin",
        "iin_flagged",
        "phone",
        "name",
        "disability_group",
        "contact",
        "contact_language",
        "ui_language",
    };
    if (!e->json) {
        for (int i = 0; i < 14; i++)
            csv_field(e->out, v[i], i == 13);
    } else {
        json_t *o = json_object();
        for (int i = 0; i < 14; i++)
            json_object_set_new(o, cols[i],
                                i == 7 ? json_boolean(r->app.iin_flagged)
                                       : json_string(v[i]));
        char *text = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT);
        json_decref(o);
        if (text == NULL) {
            e->err = 1;
            return 1;
        }
        fprintf(e->out, "%s\n  %s", e->n > 0 ? "," : "", text);
        sodium_memzero(text, strlen(text));
        free(text);
    }
    sodium_memzero(phone, sizeof phone);
    e->n++;
    return ferror(e->out) ? (e->err = 1) : 0;
}

int
store_export(struct store *s, FILE *out, bool json, char **why)
{
    struct export e = {.out = out, .json = json};
    struct store_query q = {.status = -1};
    int rc = store_exec(s, "BEGIN", "cannot start the export", why);
    if (rc < 0)
        return rc;
    if (json)
        fputs("[", out);
    else
        fputs("number,centre,created_at,service,status,status_changed_at,"
              "iin,iin_flagged,phone,name,disability_group,contact,"
              "contact_language,ui_language\n",
              out);
    rc = store_list(s, &q, export_row, &e, why);
    store_rollback(s);
    if (rc < 0)
        return rc;
    if (json)
        fputs(e.n > 0 ? "\n]\n" : "]\n", out);
    if (e.err || fflush(out) != 0 || ferror(out)) {
        *why = xasprintf("cannot write the export: %s", strerror(errno));
        return STORE_ERROR;
    }
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
