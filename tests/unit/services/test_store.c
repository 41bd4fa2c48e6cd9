/*
 * The applications database: durability and encryption as a visitor and
 * staff would notice them. Fault injection (a VFS that fails the Nth
 * write or sync, looped over N) proves that no failure leaves half an
 * application or a damaged file; a lock held by another process gives
 * STORE_BUSY; a child killed with SIGKILL during hundreds of submissions
 * loses no application whose number it had announced.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "accessibility/audit.h"
#include "services/damm.h"
#include "services/store.h"
#include "tests/unit/unit.h"

#define NOW 1740000000 /* 2025-02-19 */

static char dir[256], db[300], key[300], trail[300];
/* The centre's key pair: the kiosk gets the public half only. */
static unsigned char centre_pk[crypto_box_PUBLICKEYBYTES],
    centre_sk[crypto_box_SECRETKEYBYTES];

static int
setup(void **state)
{
    (void)state;
    if (unit_tmpdir(dir, sizeof dir, "dauys-store") < 0 || sodium_init() < 0)
        return -1;
    crypto_box_keypair(centre_pk, centre_sk);
    snprintf(db, sizeof db, "%s/app.db", dir);
    snprintf(key, sizeof key, "%s/app.key", dir);
    snprintf(trail, sizeof trail, "%s/audit.log", dir);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    return unit_rmtree(dir);
}

static struct store *
open_ok(const char *vfs)
{
    struct store *s = NULL;
    char *why = NULL;
    struct store_options o = {.path = db,
                              .centre_key = centre_pk,
                              .key_path = key,
                              .audit_log = trail,
                              .vfs = vfs};
    if (store_open(&o, &s, &why) != 0)
        fail_msg("store_open: %s", why);
    return s;
}

static void make_version_4(int n, char numbers[][10]);
static int schema_version_and_audit_table(int *tables);

static struct application
sample(int i)
{
    struct application a;
    memset(&a, 0, sizeof a);
    snprintf(a.service, sizeof a.service, "invataxi");
    snprintf(a.iin, sizeof a.iin, "%s", "061211600012");
    snprintf(a.phone, sizeof a.phone, "70112%05d",
             (i % 100000 + 100000) % 100000);
    snprintf(a.name, sizeof a.name, "%s", i % 2 ? "Әлия Сейітова" : "");
    a.group = GROUP_II;
    a.contact = CONTACT_SMS;
    a.contact_lang = LANG_KK;
    a.ui_lang = LANG_RU;
    return a;
}

static void
submit_ok(struct store *s, int i, char number[10])
{
    struct application a = sample(i);
    char *why = NULL;
    int rc = store_submit(s, &a, "ALM-01", NOW + i, number, &why);
    if (rc != 0)
        fail_msg("store_submit: %d %s", rc, why);
}

/* True when the LEN bytes of NEEDLE occur in the file PATH. */
static bool
file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return false;
    static char buf[1 << 22];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return memmem(buf, n, needle, strlen(needle)) != NULL;
}

static mode_t
mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 0777;
}

static void
test_submit_status_and_reopen(void **state)
{
    (void)state;
    struct store *s = open_ok(NULL);
    char n1[10], n2[10];
    submit_ok(s, 1, n1);
    submit_ok(s, 2, n2);
    assert_true(application_number_ok(n1));
    assert_true(damm_valid(n1));
    assert_string_not_equal(n1, n2);
    store_close(s);
    s = open_ok(NULL);
    enum app_status st;
    int64_t when;
    char svc[40];
    char *why = NULL;
    assert_int_equal(store_status(s, n1, &st, &when, svc, &why), 0);
    assert_int_equal(st, STATUS_RECEIVED);
    assert_int_equal(when, NOW + 1);
    assert_string_equal(svc, "invataxi");
    assert_int_equal(store_status(s, "000000000", &st, &when, svc, &why), 1);
    assert_int_equal(store_count(s), 2);
    store_close(s);
    assert_int_equal(mode_of(db), 0600);
    /* No key that could open anything is made on the kiosk. */
    assert_int_equal(access(key, F_OK), -1);
    char wal[320];
    snprintf(wal, sizeof wal, "%s-wal", db);
    /* Neither the IIN, the phone nor the name is in the files in clear. */
    assert_false(file_has(db, "061211600012"));
    assert_false(file_has(wal, "061211600012"));
    assert_false(file_has(db, "7011200001"));
    assert_false(file_has(wal, "7011200001"));
    assert_false(file_has(db, "Сейітова"));
    assert_false(file_has(wal, "Сейітова"));
    assert_true(file_has(db, n1) || file_has(wal, n1));
}

/* Every setting the store's promises rest on, on its own connection:
 * WAL (a second process reads while the kiosk writes), synchronous=FULL
 * (a commit is on disk), foreign keys (history goes with its
 * application), secure_delete (deleted rows are overwritten), and the
 * schema version. */
static void
test_pragmas(void **state)
{
    (void)state;
    struct store *s = open_ok(NULL);
    static const struct {
        const char *name, *want;
    } want[] = {
        {"journal_mode", "wal"}, {"synchronous", "2"},  {"foreign_keys", "1"},
        {"secure_delete", "1"},  {"user_version", "5"},
    };
    char got[32];
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(store_pragma(s, want[i].name, got, sizeof got), 0);
        if (strcmp(got, want[i].want) != 0)
            fail_msg("PRAGMA %s is %s, not %s", want[i].name, got,
                     want[i].want);
    }
    assert_int_equal(store_pragma(s, "x; DROP TABLE meta", got, sizeof got),
                     -1);
    store_close(s);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(h);
}

static void
test_invalid_input_refused(void **state)
{
    (void)state;
    struct store *s = open_ok(NULL);
    char number[10], *why = NULL;
    struct application a = sample(1);
    a.iin[11] = '3'; /* wrong check digit, not flagged */
    assert_int_equal(store_submit(s, &a, "C", NOW, number, &why),
                     STORE_INVALID);
    assert_non_null(strstr(why, "IIN"));
    free(why);
    why = NULL;
    a.iin_flagged = true; /* flagged for staff: accepted */
    assert_int_equal(store_submit(s, &a, "C", NOW, number, &why), 0);
    a = sample(1);
    snprintf(a.phone, sizeof a.phone, "70112");
    assert_int_equal(store_submit(s, &a, "C", NOW, number, &why),
                     STORE_INVALID);
    free(why);
    why = NULL;
    a = sample(1);
    snprintf(a.name, sizeof a.name, "Bad\x1b[2Jname");
    assert_int_equal(store_submit(s, &a, "C", NOW, number, &why),
                     STORE_INVALID);
    free(why);
    why = NULL;
    a = sample(1);
    snprintf(a.name, sizeof a.name, "Bad\xff");
    assert_int_equal(store_submit(s, &a, "C", NOW, number, &why),
                     STORE_INVALID);
    free(why);
    assert_int_equal(store_count(s), 1);
    store_close(s);
}

struct collect {
    int n;
    char numbers[16][10];
    struct store_row last;
};

static int
collect_row(void *ctx, const struct store_row *r)
{
    struct collect *c = ctx;
    if (c->n < 16)
        memcpy(c->numbers[c->n], r->number, 10);
    c->n++;
    c->last = *r;
    return 0;
}

static void
test_search_status_change_and_override(void **state)
{
    (void)state;
    struct store *s = open_ok(NULL);
    char n1[10], n2[10], n3[10], *why = NULL;
    submit_ok(s, 1, n1);
    submit_ok(s, 2, n2);
    struct application a = sample(3);
    snprintf(a.iin, sizeof a.iin, "791028302728");
    assert_int_equal(store_submit(s, &a, "ALM-01", NOW + 3, n3, &why), 0);
    struct collect c = {0};
    struct store_query q = {.status = -1};
    assert_int_equal(store_list(s, &q, collect_row, &c, &why), 0);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.numbers[0], n3); /* newest first */
    memset(&c, 0, sizeof c);
    q = (struct store_query){.number = n3, .status = -1};
    assert_int_equal(store_list(s, &q, collect_row, &c, &why), 0);
    assert_int_equal(c.n, 1);
    /* The kiosk cannot read what it sealed. */
    assert_string_equal(c.last.app.iin, "");
    assert_string_equal(c.last.app.phone, "");
    assert_string_equal(c.last.app.name, "");
    assert_int_equal(c.last.app.group, GROUP_UNKNOWN);
    assert_string_equal(c.last.app.service, "invataxi");
    assert_int_equal(c.last.app.contact, CONTACT_SMS);
    assert_int_equal(c.last.app.ui_lang, LANG_RU);
    /* Status change with a note, then search by status and by date. */
    assert_int_equal(store_set_status(s, n1, STATUS_FORWARDED,
                                      "sent to the department", "admin",
                                      NOW + 100, &why),
                     0);
    enum app_status st;
    int64_t when;
    char svc[40];
    assert_int_equal(store_status(s, n1, &st, &when, svc, &why), 0);
    assert_int_equal(st, STATUS_FORWARDED);
    assert_int_equal(when, NOW + 100);
    assert_int_equal(store_set_status(s, "123456789", STATUS_DONE, NULL,
                                      "admin", NOW, &why),
                     1);
    memset(&c, 0, sizeof c);
    q = (struct store_query){.status = STATUS_FORWARDED};
    assert_int_equal(store_list(s, &q, collect_row, &c, &why), 0);
    assert_int_equal(c.n, 1);
    memset(&c, 0, sizeof c);
    q = (struct store_query){.from = NOW + 2, .to = NOW + 3, .status = -1};
    assert_int_equal(store_list(s, &q, collect_row, &c, &why), 0);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.numbers[0], n2);
    /* Only a flagged IIN can be accepted. */
    assert_int_equal(store_accept_iin(s, n1, "admin", NOW, &why), 1);
    a = sample(4);
    a.iin[11] = '9';
    a.iin_flagged = true;
    char n4[10];
    assert_int_equal(store_submit(s, &a, "ALM-01", NOW + 4, n4, &why), 0);
    assert_int_equal(store_accept_iin(s, n4, "admin", NOW + 5, &why), 0);
    memset(&c, 0, sizeof c);
    q = (struct store_query){.number = n4, .status = -1};
    assert_int_equal(store_list(s, &q, collect_row, &c, &why), 0);
    assert_true(c.last.iin_override);
    assert_true(c.last.app.iin_flagged);
    store_close(s);
}

/* D13: retention deletes only what the centre acknowledged, and a clock
 * far ahead of the newest application deletes nothing by itself. */
static void
test_retention(void **state)
{
    (void)state;
    struct store *s = open_ok(NULL);
    char n[5][10], *why = NULL;
    for (int i = 0; i < 5; i++)
        submit_ok(s, i * 86400, n[i]); /* created NOW + i days */
    long deleted;
    /* The appliance's clock ran 1,100 days ahead: nothing goes. */
    assert_int_equal(store_retention(s, 1095, NOW + 1100 * 86400, &deleted,
                                     &why),
                     0);
    assert_int_equal(deleted, 0);
    /* Old enough, but not acknowledged: nothing goes. */
    assert_int_equal(store_retention(s, 3, NOW + 4 * 86400, &deleted, &why), 0);
    assert_int_equal(deleted, 0);
    assert_int_equal(store_count(s), 5);
    const char *acked[] = {n[0], n[2], n[3], n[4]};
    assert_int_equal(store_outbox_acked(s, acked, 4, NOW + 5 * 86400, &why), 0);
    /* Days 0 and 1 are more than 3 days older than the newest (day 4);
     * day 1 is not acknowledged. A clock ahead changes nothing. */
    assert_int_equal(store_retention(s, 3, NOW + 1100 * 86400, &deleted, &why),
                     0);
    assert_int_equal(deleted, 1);
    assert_int_equal(store_count(s), 4);
    enum app_status st;
    int64_t when;
    char svc[40];
    assert_int_equal(store_status(s, n[0], &st, &when, svc, &why), 1);
    assert_int_equal(store_status(s, n[1], &st, &when, svc, &why), 0);
    store_close(s);
}

/* Opens the sealed member of the outbox record RECORD with the centre's
 * secret key into OUT (SIZE bytes). */
static void
unseal(const char *record, char *out, size_t size)
{
    json_error_t err;
    json_t *j = json_loads(record, 0, &err);
    if (j == NULL)
        fail_msg("record is not JSON: %s: %s", err.text, record);
    const char *b64 = json_string_value(json_object_get(j, "sealed"));
    assert_non_null(b64);
    unsigned char bin[2048];
    size_t len = 0;
    assert_int_equal(sodium_base642bin(bin, sizeof bin, b64, strlen(b64), NULL,
                                       &len, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    assert_true(len > crypto_box_SEALBYTES &&
                len - crypto_box_SEALBYTES < size);
    assert_int_equal(crypto_box_seal_open((unsigned char *)out, bin, len,
                                          centre_pk, centre_sk),
                     0);
    out[len - crypto_box_SEALBYTES] = '\0';
    json_decref(j);
}

struct outbox {
    int n;
    int64_t seqs[64];
    char numbers[64][10];
    char records[64][4096];
    int stop_after; /* 0: never */
};

static int
outbox_row(void *ctx, int64_t seq, const char *number, const char *record)
{
    struct outbox *o = ctx;
    if (o->n < 64) {
        o->seqs[o->n] = seq;
        snprintf(o->numbers[o->n], 10, "%s", number);
        snprintf(o->records[o->n], 4096, "%s", record);
    }
    o->n++;
    return o->stop_after > 0 && o->n >= o->stop_after;
}

/* Checks the canonical form and the content hash of RECORD (contract in
 * docs/central.md). */
static void
check_record(const char *record)
{
    const char *h = strstr(record, ",\"content_hash\":\"");
    assert_non_null(h);
    char body[4096];
    size_t n = (size_t)(h - record);
    memcpy(body, record, n);
    body[n] = '}';
    body[n + 1] = '\0';
    unsigned char d[32];
    char hex[65];
    crypto_hash_sha256(d, (const unsigned char *)body, n + 1);
    sodium_bin2hex(hex, sizeof hex, d, sizeof d);
    assert_memory_equal(h + 17, hex, 64);
    assert_string_equal(h + 17 + 64, "\"}");
    const char *head = "{\"v\":1,\"centre\":\"ALM-01\",\"terminal\":\"";
    assert_int_equal(strncmp(record, head, strlen(head)), 0);
}

static void
test_outbox_sealed_records(void **state)
{
    (void)state;
    struct store *s = open_ok(NULL);
    char n[5][10], *why = NULL, plain[1024];
    for (int i = 0; i < 5; i++)
        submit_ok(s, i + 1, n[i]);
    assert_int_equal(store_outbox_pending(s), 5);
    struct outbox o = {0};
    assert_int_equal(store_outbox(s, 0, 0, outbox_row, &o, &why), 0);
    assert_int_equal(o.n, 5);
    for (int i = 0; i < 5; i++) {
        assert_string_equal(o.numbers[i], n[i]); /* oldest first */
        assert_int_equal(o.seqs[i], i + 1);
        check_record(o.records[i]);
    }
    char want[512];
    snprintf(want, sizeof want,
             "{\"v\":1,\"centre\":\"ALM-01\",\"terminal\":\"ALM-01\","
             "\"number\":\"%s\",\"created_at\":%d,\"service\":\"invataxi\","
             "\"status\":\"received\",\"status_changed_at\":%d,"
             "\"iin_flagged\":false,\"contact\":\"sms\","
             "\"contact_language\":\"kk\",\"ui_language\":\"ru\","
             "\"sealed\":\"",
             n[0], NOW + 1, NOW + 1);
    assert_int_equal(strncmp(o.records[0], want, strlen(want)), 0);
    unseal(o.records[0], plain, sizeof plain);
    assert_string_equal(plain, "{\"iin\":\"061211600012\",\"phone\":"
                               "\"+77011200001\",\"name\":\"Әлия "
                               "Сейітова\",\"disability_group\":\"II\"}");
    unseal(o.records[1], plain, sizeof plain);
    assert_string_equal(plain, "{\"iin\":\"061211600012\",\"phone\":"
                               "\"+77011200002\",\"name\":null,"
                               "\"disability_group\":\"II\"}");
    /* Paging: after a sequence number, at most a limit, stop early. */
    memset(&o, 0, sizeof o);
    assert_int_equal(store_outbox(s, 2, 2, outbox_row, &o, &why), 0);
    assert_int_equal(o.n, 2);
    assert_string_equal(o.numbers[0], n[2]);
    memset(&o, 0, sizeof o);
    o.stop_after = 1;
    assert_int_equal(store_outbox(s, 0, 0, outbox_row, &o, &why), 0);
    assert_int_equal(o.n, 1);
    /* Acknowledged ones leave the outbox; unknown numbers are ignored. */
    const char *acked[] = {n[0], n[2], "123456789"};
    assert_int_equal(store_outbox_acked(s, acked, 3, NOW + 50, &why), 0);
    assert_int_equal(store_outbox_pending(s), 3);
    memset(&o, 0, sizeof o);
    assert_int_equal(store_outbox(s, 0, 0, outbox_row, &o, &why), 0);
    assert_int_equal(o.n, 3);
    assert_string_equal(o.numbers[0], n[1]);
    /* The record never changes, whatever happens to the row. */
    char first[4096];
    snprintf(first, sizeof first, "%s", o.records[0]);
    assert_int_equal(store_set_status(s, n[1], STATUS_DONE, "a note", "admin",
                                      NOW + 60, &why),
                     0);
    memset(&o, 0, sizeof o);
    assert_int_equal(store_outbox(s, 0, 1, outbox_row, &o, &why), 0);
    assert_string_equal(o.records[0], first);
    /* A status from the centre applies only when newer. */
    enum app_status st;
    int64_t when;
    char svc[40];
    assert_int_equal(store_apply_central_status(s, n[0], STATUS_FORWARDED,
                                                NOW + 70, &why),
                     0);
    assert_int_equal(store_status(s, n[0], &st, &when, svc, &why), 0);
    assert_int_equal(st, STATUS_FORWARDED);
    assert_int_equal(when, NOW + 70);
    assert_int_equal(store_apply_central_status(s, n[0], STATUS_REJECTED,
                                                NOW + 69, &why),
                     0);
    assert_int_equal(store_status(s, n[0], &st, &when, svc, &why), 0);
    assert_int_equal(st, STATUS_FORWARDED);
    assert_int_equal(store_apply_central_status(s, "123456789", STATUS_DONE,
                                                NOW, &why),
                     1);
    /* The export holds every record still here, acknowledged or not. */
    char *buf = NULL;
    size_t len = 0;
    long count = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(store_export_outbox(s, f, &count, &why), 0);
    fclose(f);
    assert_int_equal(count, 5);
    int lines = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        check_record(line);
        lines++;
    }
    assert_int_equal(lines, 5);
    free(buf);
    store_close(s);
    /* The sequence survives a reopen and is never reused. */
    s = open_ok(NULL);
    char n6[10];
    submit_ok(s, 6, n6);
    memset(&o, 0, sizeof o);
    assert_int_equal(store_outbox(s, 5, 0, outbox_row, &o, &why), 0);
    assert_int_equal(o.n, 1);
    assert_int_equal(o.seqs[0], 6);
    store_close(s);
}

/* dauys-sync opens the same database while the kiosk has it open (WAL and
 * the busy timeout): what one writes the other reads, both ways. */
static void
test_second_process_reads_the_outbox(void **state)
{
    (void)state;
    struct store *kiosk = open_ok(NULL), *sync = open_ok(NULL);
    char n[10], *why = NULL;
    submit_ok(kiosk, 1, n);
    struct outbox o = {0};
    assert_int_equal(store_outbox(sync, 0, 0, outbox_row, &o, &why), 0);
    assert_int_equal(o.n, 1);
    assert_string_equal(o.numbers[0], n);
    const char *acked[] = {n};
    assert_int_equal(store_outbox_acked(sync, acked, 1, NOW + 9, &why), 0);
    assert_int_equal(store_apply_central_status(sync, n, STATUS_IN_REVIEW,
                                                NOW + 10, &why),
                     0);
    assert_int_equal(store_outbox_pending(kiosk), 0);
    enum app_status st;
    int64_t when;
    char svc[40];
    assert_int_equal(store_status(kiosk, n, &st, &when, svc, &why), 0);
    assert_int_equal(st, STATUS_IN_REVIEW);
    store_close(sync);
    store_close(kiosk);
}

static void
test_centre_key_missing_or_changed_is_refused(void **state)
{
    (void)state;
    struct store *s = open_ok(NULL);
    char n[10], *why = NULL, mine[STORE_FINGERPRINT_LEN],
                theirs[STORE_FINGERPRINT_LEN];
    submit_ok(s, 1, n);
    store_close(s);
    /* No centre key: refused, never made up. */
    struct store_options o = {.path = db, .audit_log = trail};
    assert_int_equal(store_open(&o, &s, &why), STORE_KEY);
    assert_non_null(strstr(why, "centre_public_key"));
    free(why);
    why = NULL;
    /* Another centre key: refused, naming both fingerprints. */
    unsigned char other[32], other_sk[32];
    crypto_box_keypair(other, other_sk);
    o.centre_key = other;
    assert_int_equal(store_open(&o, &s, &why), STORE_KEY);
    store_key_fingerprint(other, mine);
    store_key_fingerprint(centre_pk, theirs);
    assert_non_null(strstr(why, mine));
    assert_non_null(strstr(why, theirs));
    assert_non_null(strstr(why, "Staff:"));
    free(why);
    why = NULL;
    assert_null(s);
    /* The right one still opens, and nothing was lost. */
    s = open_ok(NULL);
    assert_int_equal(store_count(s), 1);
    store_close(s);
}

/* Every byte of the file PATH, or NULL when it cannot be read; *LEN. */
static unsigned char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    unsigned char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (*len == cap) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t n = fread(buf + *len, 1, cap - *len, f);
        if (n == 0)
            break;
        *len += n;
    }
    fclose(f);
    return buf;
}

/* Fails when any file in the folder D (not below) holds NEEDLE. */
static void
assert_no_file_holds(const char *d, const char *needle)
{
    DIR *dh = opendir(d);
    assert_non_null(dh);
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        char path[600];
        size_t len = 0;
        snprintf(path, sizeof path, "%s/%s", d, e->d_name);
        struct stat st;
        if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        unsigned char *buf = slurp(path, &len);
        if (buf != NULL && memmem(buf, len, needle, strlen(needle)) != NULL)
            fail_msg("%s holds '%s' in clear", path, needle);
        free(buf);
    }
    closedir(dh);
}

/* Nothing personal in clear in any file the store writes: the database,
 * its -wal and -shm, the audit trail; with a status change and a note,
 * across a migration from version 4 and a retention run. */
static void
test_no_personal_data_in_any_file(void **state)
{
    (void)state;
    char old[2][10], n[10], *why = NULL;
    make_version_4(2, old);
    struct store *s = open_ok(NULL);
    for (int i = 0; i < 40; i++) {
        struct application a = sample(i);
        snprintf(a.iin, sizeof a.iin, "%s", "791028302728");
        snprintf(a.phone, sizeof a.phone, "7059876543");
        snprintf(a.name, sizeof a.name, "Гүлназ Жақсыбекова");
        assert_int_equal(store_submit(s, &a, "ALM-01", NOW + i, n, &why), 0);
    }
    assert_int_equal(store_set_status(s, n, STATUS_DONE, "Жақсыбекова", "admin",
                                      NOW + 100, &why),
                     0);
    const char *all[] = {n};
    assert_int_equal(store_outbox_acked(s, all, 1, NOW + 200, &why), 0);
    long deleted;
    assert_int_equal(store_retention(s, 1, NOW + 3 * 86400, &deleted, &why), 0);
    /* Checked while open (the -wal and -shm exist) and after closing. */
    for (int round = 0; round < 2; round++) {
        const char *needles[] = {"791028302728", "7059876543", "Жақсыбекова",
                                 "061211600012", "7011200001", "Сейітова",
                                 "called back"};
        for (size_t i = 0; i < sizeof needles / sizeof *needles; i++)
            assert_no_file_holds(dir, needles[i]);
        if (round == 0)
            store_close(s);
    }
}

static void
test_migration_from_version_4_seals_and_removes_the_key(void **state)
{
    (void)state;
    char n[3][10], *why = NULL, plain[1024];
    make_version_4(3, n);
    /* Without the old key file the old rows cannot be sealed: refused,
     * the database untouched, no new key made. */
    char moved[320];
    snprintf(moved, sizeof moved, "%s.kept", key);
    assert_int_equal(rename(key, moved), 0);
    struct store *s = NULL;
    struct store_options o = {.path = db,
                              .centre_key = centre_pk,
                              .key_path = key,
                              .audit_log = trail};
    assert_int_equal(store_open(&o, &s, &why), STORE_KEY);
    assert_non_null(strstr(why, "missing"));
    free(why);
    why = NULL;
    assert_int_equal(access(key, F_OK), -1);
    int tables;
    assert_int_equal(schema_version_and_audit_table(&tables), 4);
    assert_int_equal(rename(moved, key), 0);
    /* With it: sealed to the centre, the key file gone. */
    s = open_ok(NULL);
    assert_int_equal(schema_version_and_audit_table(&tables), 5);
    assert_int_equal(access(key, F_OK), -1);
    assert_int_equal(store_outbox_pending(s), 3);
    struct outbox ob = {0};
    assert_int_equal(store_outbox(s, 0, 0, outbox_row, &ob, &why), 0);
    assert_int_equal(ob.n, 3);
    assert_string_equal(ob.numbers[0], n[0]);
    check_record(ob.records[0]);
    unseal(ob.records[0], plain, sizeof plain);
    assert_string_equal(plain, "{\"iin\":\"061211600012\",\"phone\":"
                               "\"+77011200001\",\"name\":\"Әлия "
                               "Сейітова\",\"disability_group\":\"II\"}");
    char n4[10];
    submit_ok(s, 9, n4);
    memset(&ob, 0, sizeof ob);
    assert_int_equal(store_outbox(s, 3, 0, outbox_row, &ob, &why), 0);
    assert_int_equal(ob.n, 1);
    assert_int_equal(ob.seqs[0], 4);
    store_close(s);
    /* The note is sealed to the centre too. */
    sqlite3 *h;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT note FROM changes WHERE "
                                        "note IS NOT NULL",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    unsigned char note[64];
    int len = sqlite3_column_bytes(st, 0);
    assert_int_equal(len, (int)(strlen("called back") + crypto_box_SEALBYTES));
    assert_int_equal(crypto_box_seal_open(note, sqlite3_column_blob(st, 0),
                                          (unsigned long long)len, centre_pk,
                                          centre_sk),
                     0);
    assert_memory_equal(note, "called back", strlen("called back"));
    sqlite3_finalize(st);
    sqlite3_close(h);
}

static void
test_damaged_and_newer_database(void **state)
{
    (void)state;
    struct store *s = open_ok(NULL);
    char n[10], *why = NULL;
    for (int i = 0; i < 40; i++)
        submit_ok(s, i, n);
    store_close(s);
    /* A newer schema is refused. */
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h,
                                  "PRAGMA wal_checkpoint(TRUNCATE);"
                                  "PRAGMA user_version = 99",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    struct store_options o = {.path = db,
                              .centre_key = centre_pk,
                              .key_path = key};
    assert_int_equal(store_open(&o, &s, &why), STORE_ERROR);
    assert_non_null(strstr(why, "newer than this dauys"));
    free(why);
    why = NULL;
    /* Garbage over the second page: damaged, with a message for staff. */
    int fd = open(db, O_WRONLY);
    char junk[4096];
    memset(junk, 0x5a, sizeof junk);
    assert_int_equal(pwrite(fd, junk, sizeof junk, 4096), (ssize_t)4096);
    close(fd);
    assert_int_equal(store_open(&o, &s, &why), STORE_DAMAGED);
    assert_non_null(strstr(why, "restore the last backup"));
    free(why);
}

static void
test_migration_from_version_1(void **state)
{
    (void)state;
    sqlite3 *h;
    int fd = open(db, O_CREAT | O_WRONLY, 0600);
    close(fd);
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(h,
                     "CREATE TABLE applications (id INTEGER PRIMARY KEY,"
                     " number TEXT NOT NULL UNIQUE, centre TEXT NOT NULL,"
                     " created_at INTEGER NOT NULL, service TEXT NOT NULL,"
                     " status TEXT NOT NULL, status_changed_at INTEGER NOT"
                     " NULL, iin BLOB NOT NULL, iin_hash BLOB NOT NULL,"
                     " iin_flagged INTEGER NOT NULL, phone BLOB NOT NULL,"
                     " name BLOB, disability_group TEXT NOT NULL,"
                     " contact TEXT NOT NULL, contact_language TEXT NOT NULL,"
                     " ui_language TEXT NOT NULL);"
                     "PRAGMA user_version = 1",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(h);
    struct store *s = open_ok(NULL);
    char n[10], *why = NULL;
    submit_ok(s, 1, n);
    assert_int_equal(store_set_status(s, n, STATUS_DONE, "ok", "admin", NOW,
                                      &why),
                     0);
    store_close(s);
}

/* The number of lines of the audit trail that contain NEEDLE. */
static int
trail_count(const char *needle)
{
    FILE *f = fopen(trail, "r");
    if (f == NULL)
        return 0;
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, f) != NULL)
        n += strstr(line, needle) != NULL;
    fclose(f);
    return n;
}

/* The number of entries in the trail, which must verify. */
static uint64_t
trail_entries(void)
{
    struct audit_head h;
    char *why = NULL;
    if (audit_verify(trail, &h, &why) != 0)
        fail_msg("audit_verify: %s", why);
    return h.seq;
}

static void
test_staff_actions_are_in_the_audit_trail(void **state)
{
    (void)state;
    struct store *s = open_ok(NULL);
    char n1[10], *why = NULL, want[128];
    submit_ok(s, 1, n1);
    assert_int_equal(trail_entries(), 0);
    assert_int_equal(store_set_status(s, n1, STATUS_IN_REVIEW, "a", "admin",
                                      NOW + 1, &why),
                     0);
    assert_int_equal(store_set_status(s, n1, STATUS_DONE, NULL, "admin",
                                      NOW + 2, &why),
                     0);
    assert_int_equal(store_audit_export(s, "admin", NOW + 3, &why), 0);
    /* A refused action leaves no entry. */
    assert_int_equal(store_set_status(s, "123456789", STATUS_DONE, NULL,
                                      "admin", NOW, &why),
                     1);
    assert_int_equal(store_accept_iin(s, n1, "admin", NOW, &why), 1);
    store_close(s);
    assert_int_equal(trail_entries(), 3);
    snprintf(want, sizeof want,
             "\tadmin\tservices: application %s: status:in-review\t", n1);
    assert_int_equal(trail_count(want), 1);
    snprintf(want, sizeof want,
             "\tadmin\tservices: application %s: status:done\t", n1);
    assert_int_equal(trail_count(want), 1);
    assert_int_equal(trail_count("\tadmin\tservices: all applications "
                                 "exported\t"),
                     1);
    /* Never personal data. */
    assert_false(file_has(trail, "061211600012"));
    assert_false(file_has(trail, "7011200001"));
    assert_int_equal(mode_of(trail), 0600);
}

static void
test_action_the_trail_cannot_hold_is_not_saved(void **state)
{
    (void)state;
    char n1[10], *why = NULL, svc[40], missing[320];
    enum app_status st;
    int64_t when;
    snprintf(missing, sizeof missing, "%s/no-such-folder/audit.log", dir);
    struct store *s = NULL;
    for (int i = 0; i < 2; i++) {
        struct store_options o = {.path = db,
                                  .centre_key = centre_pk,
                                  .key_path = key,
                                  .audit_log = i == 0 ? missing : NULL};
        assert_int_equal(store_open(&o, &s, &why), 0);
        submit_ok(s, i, n1);
        assert_int_equal(store_set_status(s, n1, STATUS_DONE, NULL, "admin",
                                          NOW + 5, &why),
                         STORE_ERROR);
        assert_non_null(strstr(why, "audit log"));
        free(why);
        why = NULL;
        assert_int_equal(store_status(s, n1, &st, &when, svc, &why), 0);
        assert_int_equal(st, STATUS_RECEIVED);
        assert_int_equal(store_audit_export(s, "admin", NOW, &why),
                         STORE_ERROR);
        free(why);
        why = NULL;
        store_close(s);
    }
}

/* Encrypts PLAIN as schema version 4 did, for COLUMN of NUMBER under
 * ENC, into OUT; returns its length. */
static size_t
legacy_seal(const unsigned char enc[32], const char *column, const char *number,
            const char *plain, unsigned char *out)
{
    char ad[64];
    int adlen = snprintf(ad, sizeof ad, "%s:%s", column, number);
    unsigned long long clen = 0;
    randombytes_buf(out, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        out + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen,
        (const unsigned char *)plain, strlen(plain), (const unsigned char *)ad,
        (unsigned long long)adlen, NULL, out, enc);
    return crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + (size_t)clen;
}

/* Makes DB a database of schema version 4, as the previous dauys left it,
 * with the key file KEY and N applications of sample(i) numbered into
 * NUMBERS (the first with a staff note "called back"). */
static void
make_version_4(int n, char numbers[][10])
{
    unsigned char master[32], enc[32], ct[3][600];
    char side[320];
    unlink(db);
    snprintf(side, sizeof side, "%s-wal", db);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db);
    unlink(side);
    randombytes_buf(master, sizeof master);
    int fd = open(key, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, master, 32), 32);
    close(fd);
    crypto_kdf_derive_from_key(enc, 32, 1, "dauysapp", master);
    fd = open(db, O_CREAT | O_WRONLY, 0600);
    close(fd);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(
            h,
            "CREATE TABLE applications (id INTEGER PRIMARY KEY,"
            " number TEXT NOT NULL UNIQUE CHECK (length(number) = 9),"
            " centre TEXT NOT NULL, created_at INTEGER NOT NULL,"
            " service TEXT NOT NULL, status TEXT NOT NULL,"
            " status_changed_at INTEGER NOT NULL, iin BLOB NOT NULL,"
            " iin_hash BLOB NOT NULL, iin_flagged INTEGER NOT NULL,"
            " phone BLOB NOT NULL, name BLOB, disability_group TEXT NOT NULL,"
            " contact TEXT NOT NULL, contact_language TEXT NOT NULL,"
            " ui_language TEXT NOT NULL);"
            "CREATE INDEX applications_iin_hash ON applications (iin_hash);"
            "CREATE INDEX applications_created ON applications (created_at);"
            "ALTER TABLE applications ADD COLUMN iin_override INTEGER NOT NULL"
            " DEFAULT 0;"
            "CREATE TABLE changes (id INTEGER PRIMARY KEY,"
            " application INTEGER NOT NULL REFERENCES applications (id)"
            "   ON DELETE CASCADE, kind TEXT NOT NULL, status TEXT NOT NULL,"
            " note BLOB, staff TEXT NOT NULL, changed_at INTEGER NOT NULL);"
            "PRAGMA user_version = 4",
            NULL, NULL, NULL),
        SQLITE_OK);
    for (int i = 0; i < n; i++) {
        struct application a = sample(i + 1);
        snprintf(numbers[i], 10, "%08d", 10000000 + i);
        numbers[i][8] = (char)('0' + damm_digit(numbers[i]));
        numbers[i][9] = '\0';
        size_t il = legacy_seal(enc, "iin", numbers[i], a.iin, ct[0]);
        size_t pl = legacy_seal(enc, "phone", numbers[i], a.phone, ct[1]);
        size_t nl = a.name[0]
                        ? legacy_seal(enc, "name", numbers[i], a.name, ct[2])
                        : 0;
        sqlite3_stmt *st = NULL;
        assert_int_equal(
            sqlite3_prepare_v2(
                h,
                "INSERT INTO applications (number, centre, created_at, "
                "service, status, status_changed_at, iin, iin_hash, "
                "iin_flagged, phone, name, disability_group, contact, "
                "contact_language, ui_language) VALUES (?, 'ALM-01', ?, "
                "'invataxi', 'received', ?, ?, x'00', 0, ?, ?, 'II', 'sms', "
                "'kk', 'ru')",
                -1, &st, NULL),
            SQLITE_OK);
        sqlite3_bind_text(st, 1, numbers[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, NOW + i);
        sqlite3_bind_int64(st, 3, NOW + i);
        sqlite3_bind_blob(st, 4, ct[0], (int)il, SQLITE_STATIC);
        sqlite3_bind_blob(st, 5, ct[1], (int)pl, SQLITE_STATIC);
        if (nl > 0)
            sqlite3_bind_blob(st, 6, ct[2], (int)nl, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 6);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
        if (i == 0) {
            size_t cl = legacy_seal(enc, "note", numbers[i], "called back",
                                    ct[0]);
            assert_int_equal(
                sqlite3_prepare_v2(h,
                                   "INSERT INTO changes (application, kind, "
                                   "status, note, staff, changed_at) VALUES "
                                   "(1, 'status', 'received', ?, 'admin', 1)",
                                   -1, &st, NULL),
                SQLITE_OK);
            sqlite3_bind_blob(st, 1, ct[0], (int)cl, SQLITE_STATIC);
            assert_int_equal(sqlite3_step(st), SQLITE_DONE);
            sqlite3_finalize(st);
        }
    }
    sqlite3_close(h);
    sodium_memzero(master, sizeof master);
    sodium_memzero(enc, sizeof enc);
}

/* The keyed hash of the audit table of schema version 3. */
static void
legacy_hash(const unsigned char akey[32], const unsigned char prev[32],
            const char *text, unsigned char out[32])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, akey, 32, 32);
    crypto_generichash_update(&st, prev, 32);
    crypto_generichash_update(&st, (const unsigned char *)text, strlen(text));
    crypto_generichash_final(&st, out, 32);
}

/* Turns the database back into version 3 with an audit table of three
 * entries about NUMBER, the second one edited when TAMPER. */
static void
make_version_3(const char *number, bool tamper)
{
    unsigned char master[32], akey[32], prev[32] = {0}, hash[32];
    FILE *kf = fopen(key, "rb");
    assert_non_null(kf);
    assert_int_equal(fread(master, 1, 32, kf), 32);
    fclose(kf);
    crypto_kdf_derive_from_key(akey, 32, 3, "dauysapp", master);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(h,
                     "CREATE TABLE audit (seq INTEGER PRIMARY KEY,"
                     " at INTEGER NOT NULL, staff TEXT NOT NULL,"
                     " action TEXT NOT NULL, subject TEXT NOT NULL,"
                     " hash BLOB NOT NULL);"
                     "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
                     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
                     "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
                     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
                     "PRAGMA user_version = 3",
                     NULL, NULL, NULL),
        SQLITE_OK);
    static const char *const actions[] = {"status:in-review", "status:done",
                                          "export"};
    for (int i = 0; i < 3; i++) {
        const char *subject = i == 2 ? "all" : number;
        char text[256];
        snprintf(text, sizeof text, "%d\t%lld\tadmin\t%s\t%s", i + 1,
                 (long long)(NOW + i), actions[i], subject);
        legacy_hash(akey, prev, text, hash);
        memcpy(prev, hash, 32);
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(h,
                                            "INSERT INTO audit VALUES "
                                            "(?, ?, 'admin', ?, ?, ?)",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_int(st, 1, i + 1);
        sqlite3_bind_int64(st, 2, NOW + i);
        sqlite3_bind_text(st, 3,
                          tamper && i == 1 ? "status:rejected" : actions[i], -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 4, subject, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 5, hash, 32, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    sodium_memzero(master, sizeof master);
    sodium_memzero(akey, sizeof akey);
}

static int
schema_version_and_audit_table(int *tables)
{
    sqlite3 *h;
    sqlite3_stmt *st = NULL;
    int v = -1;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT (SELECT count(*) FROM "
                                        "sqlite_master WHERE name = "
                                        "'audit'), user_version FROM "
                                        "pragma_user_version",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    *tables = sqlite3_column_int(st, 0);
    v = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

static void
test_migration_moves_the_audit_table_to_the_trail(void **state)
{
    (void)state;
    struct store *s;
    char n1[1][10], want[160];
    make_version_4(1, n1);
    int tables = -1;
    assert_int_equal(schema_version_and_audit_table(&tables), 4);
    assert_int_equal(tables, 0);
    make_version_3(n1[0], false);
    s = open_ok(NULL);
    store_close(s);
    assert_int_equal(schema_version_and_audit_table(&tables), 5);
    assert_int_equal(tables, 0);
    assert_int_equal(trail_entries(), 4);
    assert_int_equal(trail_count("\tdauys\tservices: 3 audit entries moved "
                                 "here from the database; their keyed hash "
                                 "chain verified\t"),
                     1);
    snprintf(want, sizeof want,
             "\tadmin\tservices (database entry 2 of "
             "2025-02-19T21:20:01Z): status:done %s\t",
             n1[0]);
    assert_int_equal(trail_count(want), 1);
    assert_int_equal(trail_count("\tadmin\tservices (database entry 3 of "
                                 "2025-02-19T21:20:02Z): export all\t"),
                     1);
    /* An edited entry is moved too, after a first entry that says so. */
    make_version_4(1, n1);
    make_version_3(n1[0], true);
    s = open_ok(NULL);
    store_close(s);
    assert_int_equal(trail_entries(), 8);
    assert_int_equal(trail_count("their keyed hash chain did NOT verify: "
                                 "entry 2 was edited"),
                     1);
    assert_int_equal(trail_count(": status:rejected "), 1);
    /* Without a trail to move them to, the old database is refused. */
    make_version_4(1, n1);
    make_version_3(n1[0], false);
    struct store_options o = {.path = db,
                              .centre_key = centre_pk,
                              .key_path = key};
    char *why = NULL;
    assert_true(store_open(&o, &s, &why) < 0);
    assert_non_null(strstr(why, "no audit log"));
    free(why);
    assert_int_equal(schema_version_and_audit_table(&tables), 3);
    assert_int_equal(tables, 1);
}

/* --- fault injection: a VFS that fails the Nth write, sync or truncate */

static sqlite3_vfs *base_vfs;
static sqlite3_vfs fault_vfs;
static int fault_at;    /* fail the fault_at-th operation; 0: never */
static int fault_ops;   /* operations so far */
static bool fault_hit;  /* a fault was injected */
static int fault_syncs; /* xSync calls that reached the file */

struct fault_file {
    sqlite3_file base;
    sqlite3_file *real;
};

static bool
fault_now(void)
{
    if (fault_at == 0)
        return false;
    if (++fault_ops == fault_at) {
        fault_hit = true;
        return true;
    }
    return false;
}

#define REAL(f) (((struct fault_file *)(f))->real)

static int
ff_close(sqlite3_file *f)
{
    return REAL(f)->pMethods->xClose(REAL(f));
}
static int
ff_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
    return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int
ff_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    if (fault_now())
        return SQLITE_FULL;
    return REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int
ff_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    if (fault_now())
        return SQLITE_IOERR_TRUNCATE;
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int
ff_sync(sqlite3_file *f, int flags)
{
    if (fault_now())
        return SQLITE_IOERR_FSYNC;
    fault_syncs++;
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int
ff_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int
ff_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int
ff_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int
ff_check(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int
ff_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int
ff_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int
ff_device(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int
ff_shm_map(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, pp);
}
static int
ff_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void
ff_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int
ff_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static const sqlite3_io_methods fault_io = {
    2,         ff_close,   ff_read,     ff_write,       ff_truncate,  ff_sync,
    ff_size,   ff_lock,    ff_unlock,   ff_check,       ff_control,   ff_sector,
    ff_device, ff_shm_map, ff_shm_lock, ff_shm_barrier, ff_shm_unmap, NULL,
    NULL,
};

static int
fault_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags,
           int *out)
{
    (void)v;
    struct fault_file *ff = (struct fault_file *)f;
    ff->real = (sqlite3_file *)(ff + 1);
    int rc = base_vfs->xOpen(base_vfs, name, ff->real, flags, out);
    f->pMethods = rc == SQLITE_OK ? &fault_io : NULL;
    return rc;
}

static void
fault_register(void)
{
    if (base_vfs != NULL)
        return;
    base_vfs = sqlite3_vfs_find(NULL);
    fault_vfs = *base_vfs;
    fault_vfs.zName = "fault";
    fault_vfs.szOsFile = (int)sizeof(struct fault_file) + base_vfs->szOsFile;
    fault_vfs.xOpen = fault_open;
    fault_vfs.iVersion = 1; /* no xSetSystemCall: the base's are not ours */
    assert_int_equal(sqlite3_vfs_register(&fault_vfs, 0), SQLITE_OK);
}

static void
test_fault_injection_every_write(void **state)
{
    (void)state;
    fault_register();
    struct store *s = open_ok(NULL);
    char n[10], *why = NULL;
    for (int i = 0; i < 3; i++)
        submit_ok(s, i, n);
    store_close(s);
    long expect = 3;
    int failures = 0;
    for (int at = 1; at < 200; at++) {
        s = open_ok("fault");
        fault_ops = 0;
        fault_hit = false;
        fault_at = at;
        struct application a = sample(at);
        char number[10];
        int rc = store_submit(s, &a, "ALM-01", NOW, number, &why);
        bool hit = fault_hit;
        fault_at = 0;
        if (rc == 0) {
            expect++;
        } else {
            failures++;
            assert_true(rc == STORE_FULL || rc == STORE_ERROR ||
                        rc == STORE_BUSY);
            assert_string_equal(number, "");
            free(why);
            why = NULL;
            /* The same connection recovers and stores the next one. */
            submit_ok(s, at + 1000, number);
            expect++;
        }
        store_close(s);
        /* Reopened normally: the integrity check passes and exactly the
         * acknowledged applications are there. */
        s = open_ok(NULL);
        assert_int_equal(store_count(s), expect);
        store_close(s);
        if (!hit)
            break; /* the submission needs fewer operations than AT */
    }
    assert_true(failures >= 2);
}

/* A status change that fails at any write or sync of the database: the
 * trail holds the change only if it was saved, or with a second entry
 * saying it was not. */
static void
test_fault_injection_status_change(void **state)
{
    (void)state;
    fault_register();
    char *why = NULL, n[10], svc[40], done[96], undone[128];
    int failures = 0;
    for (int at = 1; at < 200; at++) {
        struct store *s = open_ok(NULL);
        submit_ok(s, at, n);
        store_close(s);
        snprintf(done, sizeof done, "services: application %s: status:done", n);
        snprintf(undone, sizeof undone, "%s: not saved", done);
        uint64_t before = trail_entries();
        s = open_ok("fault");
        fault_ops = 0;
        fault_hit = false;
        fault_at = at;
        int rc = store_set_status(s, n, STATUS_DONE, "note", "admin", NOW,
                                  &why);
        bool hit = fault_hit;
        fault_at = 0;
        store_close(s);
        s = open_ok(NULL);
        enum app_status st;
        int64_t when;
        assert_int_equal(store_status(s, n, &st, &when, svc, &why), 0);
        store_close(s);
        uint64_t added = trail_entries() - before;
        if (rc == 0) {
            assert_int_equal(st, STATUS_DONE);
            assert_int_equal(added, 1);
            assert_int_equal(trail_count(done), 1);
        } else {
            failures++;
            free(why);
            why = NULL;
            assert_int_equal(st, STATUS_RECEIVED);
            /* Failed before the trail, or recorded and then undone. */
            assert_true(added == 0 || added == 2);
            assert_int_equal(trail_count(done), added == 2 ? 2 : 0);
            assert_int_equal(trail_count(undone), added == 2 ? 1 : 0);
        }
        if (!hit)
            break;
    }
    assert_true(failures >= 2);
}

/* Durability, measured rather than assumed: every commit that lets a
 * number be announced (store_submit() returning 0) reached the disk
 * through an xSync of the file system, counted by the fault VFS; and so
 * did a staff change and a central acknowledgement. With synchronous=OFF
 * or NORMAL (WAL) no commit syncs, and this test fails. */
static void
test_every_announced_commit_is_synced(void **state)
{
    (void)state;
    fault_register();
    struct store *s = open_ok("fault");
    char n[10], *why = NULL;
    for (int i = 0; i < 20; i++) {
        fault_syncs = 0;
        submit_ok(s, i, n);
        if (fault_syncs < 1)
            fail_msg("application %d was announced without a sync", i);
    }
    fault_syncs = 0;
    assert_int_equal(store_set_status(s, n, STATUS_DONE, NULL, "admin",
                                      NOW + 50, &why),
                     0);
    assert_true(fault_syncs >= 1);
    fault_syncs = 0;
    const char *acked[] = {n};
    assert_int_equal(store_outbox_acked(s, acked, 1, NOW + 60, &why), 0);
    assert_true(fault_syncs >= 1);
    store_close(s);
}

/* D10: a data directory the kiosk cannot write (a read-only mount, or
 * its permissions) is named as such, never as a damaged database whose
 * backup should be restored (which would lose applications). Run as an
 * unprivileged user in a child, since root writes anywhere. */
static void
test_read_only_data_directory_is_named(void **state)
{
    (void)state;
    char ro[320], rodb[340], n[10];
    snprintf(ro, sizeof ro, "%s/ro", dir);
    snprintf(rodb, sizeof rodb, "%s/app.db", ro);
    assert_int_equal(mkdir(ro, 0700), 0);
    struct store *s = NULL;
    char *why = NULL;
    struct store_options o = {.path = rodb,
                              .centre_key = centre_pk,
                              .audit_log = trail};
    assert_int_equal(store_open(&o, &s, &why), 0);
    submit_ok(s, 1, n);
    store_close(s);
    if (geteuid() != 0) {
        /* Not root: the folder's mode alone makes it read-only. */
        assert_int_equal(chmod(ro, 0500), 0);
    } else {
        assert_int_equal(chmod(dir, 0755), 0);
        assert_int_equal(chown(ro, 65534, 65534), 0);
        assert_int_equal(chown(rodb, 65534, 65534), 0);
        assert_int_equal(chmod(ro, 0500), 0);
    }
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(2);
        int rc = store_open(&o, &s, &why);
        if (rc == 0)
            store_close(s);
        dprintf(fds[1], "%d %s", rc, rc < 0 ? why : "");
        _exit(0);
    }
    close(fds[1]);
    char msg[2048] = "";
    ssize_t got = read(fds[0], msg, sizeof msg - 1);
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    chmod(ro, 0700);
    assert_true(got > 0);
    msg[got] = '\0';
    if (atoi(msg) != STORE_READONLY)
        fail_msg("a read-only data directory gave: %s", msg);
    assert_non_null(strstr(msg, ro));
    assert_non_null(strstr(msg, "Nothing was lost"));
    assert_null(strstr(msg, "restore the last backup"));
    assert_null(strstr(msg, "damaged"));
}

static void
test_locked_database_is_busy(void **state)
{
    (void)state;
    struct store *s = NULL;
    char *why = NULL, number[10];
    struct store_options o = {.path = db,
                              .centre_key = centre_pk,
                              .key_path = key,
                              .busy_ms = 50};
    assert_int_equal(store_open(&o, &s, &why), 0);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL),
                     SQLITE_OK);
    struct application a = sample(1);
    assert_int_equal(store_submit(s, &a, "C", NOW, number, &why), STORE_BUSY);
    free(why);
    why = NULL;
    sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(h);
    assert_int_equal(store_submit(s, &a, "C", NOW, number, &why), 0);
    assert_int_equal(store_count(s), 1);
    store_close(s);
}

/* A child submits as fast as it can and writes each number to a pipe
 * right after store_submit() returned 0 (the moment it would announce
 * it); the parent kills it with SIGKILL at a random moment. Every number
 * read from the pipe must be in the database. */
static void
test_sigkill_loses_nothing_announced(void **state)
{
    (void)state;
    long announced_total = 0;
    srand((unsigned)time(NULL));
    for (int round = 0; round < 12; round++) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            struct store *s = NULL;
            char *why = NULL, number[10];
            struct store_options o = {.path = db,
                                      .centre_key = centre_pk,
                                      .key_path = key};
            if (store_open(&o, &s, &why) != 0)
                _exit(2);
            for (int i = 0;; i++) {
                struct application a = sample(i);
                if (store_submit(s, &a, "C", NOW, number, &why) != 0)
                    _exit(3);
                if (write(fds[1], number, 9) != 9)
                    _exit(4);
            }
        }
        close(fds[1]);
        usleep((useconds_t)(20000 + rand() % 150000));
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        assert_true(WIFSIGNALED(status));
        char numbers[8192 * 9];
        size_t got = 0;
        ssize_t r;
        while ((r = read(fds[0], numbers + got, sizeof numbers - got)) > 0)
            got += (size_t)r;
        close(fds[0]);
        struct store *s = open_ok(NULL);
        for (size_t i = 0; i + 9 <= got; i += 9) {
            char number[10], svc[40], *why = NULL;
            memcpy(number, numbers + i, 9);
            number[9] = '\0';
            enum app_status st;
            int64_t when;
            if (store_status(s, number, &st, &when, svc, &why) != 0)
                fail_msg("announced %s is lost after SIGKILL", number);
            announced_total++;
        }
        store_close(s);
    }
    printf("sigkill: %ld announced applications survived 12 kills\n",
           announced_total);
    assert_true(announced_total >= 100);
}

struct counted {
    char service[8][40];
    long n[8];
    int k;
};

static int
count_cb(void *ctx, const char *service, long n)
{
    struct counted *c = ctx;
    assert_true(c->k < 8);
    snprintf(c->service[c->k], sizeof c->service[c->k], "%s", service);
    c->n[c->k++] = n;
    return 0;
}

/* Counting by service reads no personal column: the counts are right for
 * the time range, in the order of the service ids. */
static void
test_count_by_service(void **state)
{
    (void)state;
    struct store *s = open_ok(NULL);
    char number[10], *why = NULL;
    static const char *const services[] = {"invataxi",      "sign-language",
                                           "invataxi",      "invataxi",
                                           "sign-language", "prosthesis"};
    for (int i = 0; i < 6; i++) {
        struct application a = sample(i);
        snprintf(a.service, sizeof a.service, "%s", services[i]);
        if (store_submit(s, &a, "ALM-01", NOW + i * 100, number, &why) != 0)
            fail_msg("store_submit: %s", why);
    }
    struct counted c = {0};
    assert_int_equal(store_count_by_service(s, 0, 0, count_cb, &c, &why), 0);
    assert_int_equal(c.k, 3);
    assert_string_equal(c.service[0], "invataxi");
    assert_int_equal(c.n[0], 3);
    assert_string_equal(c.service[1], "prosthesis");
    assert_int_equal(c.n[1], 1);
    assert_string_equal(c.service[2], "sign-language");
    assert_int_equal(c.n[2], 2);
    /* From the second to before the fifth: 1, 2, 3. */
    memset(&c, 0, sizeof c);
    assert_int_equal(store_count_by_service(s, NOW + 100, NOW + 400, count_cb,
                                            &c, &why),
                     0);
    assert_int_equal(c.k, 2);
    assert_string_equal(c.service[0], "invataxi");
    assert_int_equal(c.n[0], 2);
    assert_string_equal(c.service[1], "sign-language");
    assert_int_equal(c.n[1], 1);
    store_close(s);
}

static int
setup_sodium(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

UNIT_MAIN(setup_sodium, NULL, UNIT_FRESH(test_submit_status_and_reopen),
          UNIT_FRESH(test_count_by_service), UNIT_FRESH(test_pragmas),
          UNIT_FRESH(test_invalid_input_refused),
          UNIT_FRESH(test_search_status_change_and_override),
          UNIT_FRESH(test_retention), UNIT_FRESH(test_outbox_sealed_records),
          UNIT_FRESH(test_second_process_reads_the_outbox),
          UNIT_FRESH(test_centre_key_missing_or_changed_is_refused),
          UNIT_FRESH(test_no_personal_data_in_any_file),
          UNIT_FRESH(test_migration_from_version_4_seals_and_removes_the_key),
          UNIT_FRESH(test_damaged_and_newer_database),
          UNIT_FRESH(test_migration_from_version_1),
          UNIT_FRESH(test_staff_actions_are_in_the_audit_trail),
          UNIT_FRESH(test_action_the_trail_cannot_hold_is_not_saved),
          UNIT_FRESH(test_migration_moves_the_audit_table_to_the_trail),
          UNIT_FRESH(test_fault_injection_every_write),
          UNIT_FRESH(test_fault_injection_status_change),
          UNIT_FRESH(test_every_announced_commit_is_synced),
          UNIT_FRESH(test_read_only_data_directory_is_named),
          UNIT_FRESH(test_locked_database_is_busy),
          UNIT_FRESH(test_sigkill_loses_nothing_announced))
