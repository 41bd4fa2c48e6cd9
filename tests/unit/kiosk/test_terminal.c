/*
 * The signed terminal configuration (kiosk/terminal.h): parsing and
 * validation, the signature, installing with no rollback and the roll
 * forward after a crash; and, through the headless driver, the kiosk that
 * is not configured and the staff menus by role.
 *
 * Each test signs its own terminal.json with a fresh provisioning key in
 * a scratch folder; PIN hashes use Argon2id at the smallest memory the
 * format accepts (8 MiB), so that the tests stay fast.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accessibility/xalloc.h"
#include "ballot/package.h"
#include "kiosk/terminal.h"
#include "tests/unit/kiosk/driver.h"
#include "tests/unit/unit.h"

struct fixture {
    char dir[256];
    char data[300], stick[300], secret[300], pub[300];
    unsigned char key[32];
    char hash_a[crypto_pwhash_STRBYTES], hash_b[crypto_pwhash_STRBYTES];
    char election_key[45];
};

static struct fixture *F;

static int
setup(void **state)
{
    (void)state;
    F = xcalloc(1, sizeof *F);
    if (sodium_init() < 0 ||
        unit_tmpdir(F->dir, sizeof F->dir, "dauys-test-terminal") < 0)
        return -1;
    snprintf(F->data, sizeof F->data, "%s/data", F->dir);
    snprintf(F->stick, sizeof F->stick, "%s/stick", F->dir);
    snprintf(F->secret, sizeof F->secret, "%s/p.key", F->dir);
    snprintf(F->pub, sizeof F->pub, "%s/p.pub", F->dir);
    mkdir(F->data, 0700);
    mkdir(F->stick, 0755);
    char *why = NULL;
    if (package_keygen(F->secret, F->pub, &why) < 0)
        return -1;
    unsigned char(*keys)[32] = NULL;
    size_t n = 0;
    if (terminal_read_keys(F->pub, &keys, &n, &why) < 0)
        return -1;
    memcpy(F->key, keys[0], 32);
    free(keys);
    if (crypto_pwhash_str(F->hash_a, "111111", 6, 1, 8192 * 1024) != 0 ||
        crypto_pwhash_str(F->hash_b, "222222", 6, 1, 8192 * 1024) != 0)
        return -1;
    unsigned char ek[32];
    randombytes_buf(ek, sizeof ek);
    sodium_bin2base64(F->election_key, sizeof F->election_key, ek, 32,
                      sodium_base64_VARIANT_ORIGINAL);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    unit_rmtree(F->dir);
    free(F);
    return 0;
}

/* A valid voting terminal.json with SERIAL; EXTRA is spliced in before
 * the closing brace (",\"key\": …") and DROP names a key to leave out. */
static char *
doc(long long serial, const char *extra, const char *drop)
{
    char *parts[16];
    int n = 0;
    parts[n++] = xasprintf("\"format\": \"dauys-terminal/1\"");
    parts[n++] = xasprintf("\"serial\": %lld", serial);
    parts[n++] = xasprintf("\"terminal_id\": \"ALM-PS-0412\"");
    parts[n++] = xasprintf("\"location\": {\"kk\": \"Алматы, №12 учаске\", "
                           "\"ru\": \"Алматы, участок №12\"}");
    parts[n++] = xasprintf("\"mode\": \"voting\"");
    parts[n++] = xasprintf("\"default_language\": \"kk+ru\"");
    parts[n++] = xasprintf("\"staff\": {\"commission-member\": \"%s\", "
                           "\"technician\": \"%s\"}",
                           F->hash_a, F->hash_b);
    parts[n++] = xasprintf("\"election_public_keys\": [\"%s\"]",
                           F->election_key);
    parts[n++] = xasprintf("\"printer\": \"none\"");
    parts[n++] = xasprintf("\"idle\": {\"warning_s\": 180, \"grace_s\": 30}");
    char *all = xstrdup("{");
    for (int i = 0; i < n; i++) {
        if (drop == NULL || strncmp(parts[i] + 1, drop, strlen(drop)) != 0 ||
            parts[i][1 + strlen(drop)] != '"') {
            char *next = xasprintf("%s%s%s", all, all[1] ? ", " : "", parts[i]);
            free(all);
            all = next;
        }
        free(parts[i]);
    }
    char *done = xasprintf("%s%s}\n", all, extra != NULL ? extra : "");
    free(all);
    return done;
}

/* Writes TEXT as DIR/terminal.json and signs it with SECRET. */
static void
put(const char *dir, const char *text, const char *secret)
{
    char *path = xasprintf("%s/terminal.json", dir);
    char *spath = xasprintf("%s/terminal.json.sig", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    char *sig = NULL, *why = NULL;
    assert_int_equal(package_sign_data(secret, text, strlen(text), &sig, &why),
                     0);
    f = fopen(spath, "w");
    assert_non_null(f);
    fputs(sig, f);
    fclose(f);
    free(sig);
    free(path);
    free(spath);
}

static const unsigned char (*keys(void))[32]
{
    return (const unsigned char(*)[32]) & F->key;
}

/* Loads the stick; returns the reason of a refusal (caller frees), or
 * NULL when accepted. */
static char *
load_why(struct terminal *t)
{
    char *why = NULL;
    if (terminal_load(F->stick, keys(), 1, t, NULL, NULL, NULL, &why) == 0)
        return NULL;
    assert_non_null(why);
    return why;
}

static void
refused_with(const char *text, const char *expect)
{
    struct terminal t;
    put(F->stick, text, F->secret);
    char *why = load_why(&t);
    assert_non_null(why);
    if (strstr(why, expect) == NULL)
        fail_msg("expected '%s' in: %s", expect, why);
    free(why);
}

static void
test_valid(void **state)
{
    (void)state;
    char *text = doc(7, NULL, NULL);
    put(F->stick, text, F->secret);
    struct terminal t;
    char *why = load_why(&t);
    if (why != NULL)
        fail_msg("refused: %s", why);
    assert_int_equal(t.serial, 7);
    assert_string_equal(t.id, "ALM-PS-0412");
    assert_string_equal(t.location_ru, "Алматы, участок №12");
    assert_int_equal(t.mode, MODE_VOTING);
    assert_int_equal(t.language, TERMINAL_LANG_BOTH);
    assert_string_equal(t.pin_hash[STAFF_COMMISSION_MEMBER], F->hash_a);
    assert_string_equal(t.pin_hash[STAFF_CENTRE_WORKER], "");
    assert_int_equal(t.n_election_keys, 1);
    struct config c;
    config_defaults(&c);
    c.mode = MODE_BOTH;
    terminal_apply(&t, &c);
    assert_int_equal(c.mode, MODE_VOTING);
    assert_string_equal(c.centre, "ALM-PS-0412");
    assert_int_equal(c.n_public_keys, 1);
    assert_string_equal(c.printer, "");
    free(text);
}

/* A services terminal (the seed of the fuzzer, made by hand): the
 * centre's key reaches the configuration decoded. */
static void
test_services_apply(void **state)
{
    (void)state;
    FILE *f = fopen("tests/fuzz/terminal/valid-services.json", "r");
    assert_non_null(f);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    struct terminal t;
    char *why = NULL;
    if (terminal_parse(buf, n, "valid-services.json", &t, &why) < 0)
        fail_msg("refused: %s", why);
    assert_int_equal(t.mode, MODE_SERVICES);
    assert_int_equal(t.retention_days, 30);
    struct config c;
    config_defaults(&c);
    terminal_apply(&t, &c);
    assert_true(c.has_centre_key);
    assert_string_equal(c.terminal, "AST-C-7");
    assert_string_equal(c.printer, "pdf:/tmp");
    assert_int_equal(c.retention_days, 30);
    assert_int_equal(c.n_public_keys, 0);
    assert_int_equal(c.idle_warning_s, 120);
}

static void
test_bad_signature(void **state)
{
    (void)state;
    char *text = doc(1, NULL, NULL);
    put(F->stick, text, F->secret);
    /* Changed after signing: one byte of the serial. */
    char *path = xasprintf("%s/terminal.json", F->stick);
    text[strstr(text, "\"serial\": 1") - text + 10] = '2';
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    struct terminal t;
    char *why = load_why(&t);
    assert_non_null(strstr(why, "the signature does not match"));
    free(why);
    free(path);
    free(text);
}

static void
test_wrong_key(void **state)
{
    (void)state;
    char *other = xasprintf("%s/o.key", F->dir),
         *opub = xasprintf("%s/o.pub", F->dir);
    char *why = NULL;
    assert_int_equal(package_keygen(other, opub, &why), 0);
    char *text = doc(1, NULL, NULL);
    put(F->stick, text, other);
    struct terminal t;
    why = load_why(&t);
    assert_non_null(strstr(why, "signed with another key"));
    free(why);
    free(text);
    free(other);
    free(opub);
}

static void
test_missing_and_unknown(void **state)
{
    (void)state;
    char *text = doc(1, NULL, "idle");
    refused_with(text, "idle: required key is missing");
    free(text);
    text = doc(1, NULL, "serial");
    refused_with(text, "serial: required key is missing");
    free(text);
    text = doc(1, ", \"printr\": \"none\"", NULL);
    refused_with(text, "printr: unknown key");
    free(text);
    text = doc(1, ", \"serial\": 2", NULL);
    refused_with(text, "duplicate");
    free(text);
    /* A key holding CSI (U+009B) is echoed without it. */
    text = doc(1, ", \"a\\u009b2Jb\": 1", NULL);
    put(F->stick, text, F->secret);
    struct terminal t0;
    char *w = load_why(&t0);
    assert_non_null(strstr(w, "a??2Jb: unknown key"));
    assert_null(strstr(w, "\xc2\x9b"));
    free(w);
    free(text);
    text = doc(0, NULL, NULL);
    refused_with(text, "serial: is 0");
    free(text);
    /* A missing signature file. */
    text = doc(1, NULL, NULL);
    put(F->stick, text, F->secret);
    char *sig = xasprintf("%s/terminal.json.sig", F->stick);
    unlink(sig);
    struct terminal t;
    char *why = load_why(&t);
    assert_non_null(strstr(why, "not signed"));
    free(why);
    free(sig);
    free(text);
}

static void
test_bad_pin_hash(void **state)
{
    (void)state;
    char *why = NULL;
    assert_int_equal(terminal_check_pin_hash(F->hash_a, &why), 0);
    assert_int_equal(terminal_check_pin_hash("123456", &why), -1);
    assert_non_null(strstr(why, "not an Argon2id hash"));
    free(why);
    /* Memory beyond what the terminal accepts. */
    assert_int_equal(
        terminal_check_pin_hash("$argon2id$v=19$m=1048576,t=2,p=1$"
                                "c29tZXNhbHRzb21lc2FsdA$Y4bBQ6HzZ6JTs23T6n6/"
                                "6u9+fMCLA5/iFyxRAcb9YJ0",
                                &why),
        -1);
    assert_non_null(strstr(why, "m=1048576"));
    free(why);
    /* Argon2i is not Argon2id. */
    assert_int_equal(terminal_check_pin_hash(
                         "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA"
                         "$Y4bBQ6HzZ6JTs23T6n6/6u9+fMCLA5/iFyxRAcb9YJ0",
                         &why),
                     -1);
    free(why);
    /* p=4 (argon2-cffi's default) is read. */
    assert_int_equal(terminal_check_pin_hash(
                         "$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHRzb21lc2Fs"
                         "dA$Y4bBQ6HzZ6JTs23T6n6/6u9+fMCLA5/iFyxRAcb9YJ0",
                         &why),
                     0);
    char *text = doc(1, NULL, NULL);
    char *p = strstr(text, F->hash_b);
    memcpy(p, "654321\"}", 8); /* a PIN in place of its hash */
    memmove(p + 8, p + strlen(F->hash_b) + 2,
            strlen(p + strlen(F->hash_b) + 2) + 1);
    refused_with(text, "staff.technician: is not an Argon2id hash");
    free(text);
}

static void
test_mode_rules(void **state)
{
    (void)state;
    char *text = doc(1, ", \"centre_public_key\": \"x\"", NULL);
    refused_with(text, "centre_public_key: mode is \"voting\"");
    free(text);
    text = doc(1, NULL, "election_public_keys");
    refused_with(text, "election_public_keys: required key is missing");
    free(text);
}

static void
test_rollback(void **state)
{
    (void)state;
    struct terminal t;
    enum terminal_outcome o;
    char *why = NULL;
    char *two = doc(2, NULL, NULL);
    put(F->stick, two, F->secret);
    assert_int_equal(terminal_accept(F->data, F->stick, keys(), 1, &t, &o,
                                     &why),
                     0);
    assert_int_equal(o, TERMINAL_INSTALLED);
    /* The same again: a no-op. */
    assert_int_equal(terminal_accept(F->data, F->stick, keys(), 1, &t, &o,
                                     &why),
                     0);
    assert_int_equal(o, TERMINAL_SAME);
    /* Older: refused, the one in force untouched. */
    char *one = doc(1, NULL, NULL);
    put(F->stick, one, F->secret);
    assert_int_equal(terminal_accept(F->data, F->stick, keys(), 1, &t, &o,
                                     &why),
                     -1);
    assert_non_null(strstr(why, "serial 1 is older than serial 2"));
    free(why);
    why = NULL;
    /* The same serial with other contents: refused. */
    char *other = doc(2, NULL, NULL);
    *strstr(other, "0412") = '9';
    put(F->stick, other, F->secret);
    assert_int_equal(terminal_accept(F->data, F->stick, keys(), 1, &t, &o,
                                     &why),
                     -1);
    assert_non_null(strstr(why, "already accepted with other contents"));
    free(why);
    why = NULL;
    assert_int_equal(terminal_load_accepted(F->data, keys(), 1, &t, &why), 0);
    assert_int_equal(t.serial, 2);
    assert_string_equal(t.id, "ALM-PS-0412");
    /* Even without terminal.json, terminal.serial remembers serial 2. */
    char *path = xasprintf("%s/terminal.json", F->data);
    unlink(path);
    put(F->stick, one, F->secret);
    assert_int_equal(terminal_accept(F->data, F->stick, keys(), 1, &t, &o,
                                     &why),
                     -1);
    free(why);
    why = NULL;
    /* Newer: installed. */
    char *three = doc(3, NULL, NULL);
    put(F->stick, three, F->secret);
    assert_int_equal(terminal_accept(F->data, F->stick, keys(), 1, &t, &o,
                                     &why),
                     0);
    long long hi = 0;
    char hh[65];
    assert_int_equal(terminal_highest_serial(F->data, &hi, hh, &why), 0);
    assert_int_equal(hi, 3);
    assert_string_equal(hh, t.hash);
    /* What is in force is damaged: the same stick installs it again, and
     * only the same bytes. */
    char *sig = xasprintf("%s/terminal.json.sig", F->data);
    FILE *f = fopen(sig, "w");
    fputs("garbage\n", f);
    fclose(f);
    assert_int_equal(terminal_load_accepted(F->data, keys(), 1, &t, &why), -1);
    free(why);
    why = NULL;
    char *three_b = doc(3, NULL, NULL);
    *strstr(three_b, "0412") = '8';
    put(F->stick, three_b, F->secret);
    assert_int_equal(terminal_accept(F->data, F->stick, keys(), 1, &t, &o,
                                     &why),
                     -1);
    free(why);
    why = NULL;
    put(F->stick, three, F->secret);
    assert_int_equal(terminal_accept(F->data, F->stick, keys(), 1, &t, &o,
                                     &why),
                     0);
    assert_int_equal(o, TERMINAL_INSTALLED);
    assert_int_equal(terminal_load_accepted(F->data, keys(), 1, &t, &why), 0);
    assert_int_equal(t.serial, 3);
    free(three_b);
    free(sig);
    free(path);
    free(one);
    free(two);
    free(three);
    free(other);
}

/* A crash between the two renames of an install: the next start finishes
 * it (the new signature is in place, the new terminal.json staged). */
static void
test_roll_forward(void **state)
{
    (void)state;
    struct terminal t;
    enum terminal_outcome o;
    char *why = NULL;
    char *two = doc(2, NULL, NULL), *three = doc(3, NULL, NULL);
    put(F->stick, two, F->secret);
    assert_int_equal(terminal_accept(F->data, F->stick, keys(), 1, &t, &o,
                                     &why),
                     0);
    put(F->stick, three, F->secret);
    char *cmd = xasprintf("cp %s/terminal.json.sig %s/terminal.json.sig && "
                          "cp %s/terminal.json %s/terminal.json.new",
                          F->stick, F->data, F->stick, F->data);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(terminal_load_accepted(F->data, keys(), 1, &t, &why), 0);
    assert_int_equal(t.serial, 3);
    char *staged = xasprintf("%s/terminal.json.new", F->data);
    assert_int_not_equal(access(staged, F_OK), 0);
    free(staged);
    free(cmd);
    free(two);
    free(three);
}

static void
test_fifo_refused(void **state)
{
    (void)state;
    char *path = xasprintf("%s/terminal.json", F->stick);
    unlink(path);
    assert_int_equal(mkfifo(path, 0600), 0);
    struct terminal t;
    char *why = load_why(&t);
    assert_non_null(strstr(why, "not a regular file"));
    free(why);
    unlink(path);
    free(path);
}

static void
test_find(void **state)
{
    (void)state;
    char found[PATH_MAX], *why = NULL;
    char *media = xasprintf("%s/media", F->dir);
    char *sub = xasprintf("%s/media/STICK", F->dir);
    mkdir(media, 0755);
    assert_int_equal(terminal_find(media, found, &why), -1);
    assert_non_null(strstr(why, "no terminal.json"));
    free(why);
    mkdir(sub, 0755);
    char *text = doc(1, NULL, NULL);
    put(sub, text, F->secret);
    assert_int_equal(terminal_find(media, found, &why), 0);
    assert_string_equal(found, sub);
    free(text);
    free(media);
    free(sub);
}

static struct driver *
start(bool unconfigured)
{
    struct driver_options o = {
        .mode = MODE_BOTH,
        .first_lang = -1,
        .pin = "999999",
        .role_pins = {"111111", "222222", NULL},
        .unconfigured = unconfigured,
    };
    return driver_new(&o);
}

static void
test_unconfigured_kiosk(void **state)
{
    (void)state;
    struct driver *d = start(true);
    assert_true(
        driver_shows(d, "Бұл терминал бапталмаған: баптау флешкасын салыңыз."));
    assert_true(driver_shows(
        d, "Этот терминал не настроен: вставьте флешку с настройкой."));
    assert_true(driver_said(d, -1, "Этот терминал не настроен"));
    /* No staff login: no PIN exists. */
    driver_press(d, TERM_KEY_F10, 0);
    assert_false(driver_shows(d, "PIN"));
    assert_true(driver_shows(d, "Этот терминал не настроен"));
    /* Back stays; Enter asks to configure from the stick. */
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_shows(d, "Этот терминал не настроен"));
    driver_enter(d);
    assert_int_equal(driver_count(d, FX_CONFIGURE), 1);
    driver_free(d);
}

/* The outcome of a new configuration starts the kiosk again by itself,
 * or at once on Enter; a refusal never does. */
static void
test_configured_restarts(void **state)
{
    (void)state;
    struct driver *d = start(true);
    const char *lines[] = {"The terminal is configured."};
    app_open(d->app, screen_configured_new("T", lines, 1, d->now + 5000),
             d->now, &d->out);
    driver_wait_until(d, d->now + 4000);
    assert_int_equal(driver_count(d, FX_RESTART), 0);
    driver_wait_until(d, d->now + 1500);
    assert_int_equal(driver_count(d, FX_RESTART), 1);
    app_open(d->app, screen_configured_new("T", lines, 1, d->now + 5000),
             d->now, &d->out);
    driver_enter(d);
    assert_int_equal(driver_count(d, FX_RESTART), 1);
    app_open(d->app, screen_configured_new("T", lines, 1, 0), d->now, &d->out);
    driver_wait_until(d, d->now + 60000);
    assert_int_equal(driver_count(d, FX_RESTART), 0);
    driver_enter(d);
    assert_int_equal(driver_count(d, FX_RESTART), 0);
    driver_free(d);
}

static void
test_roles(void **state)
{
    (void)state;
    struct driver *d = start(false);
    driver_enter(d); /* Қазақша */
    driver_press(d, TERM_KEY_F10, 0);
    driver_type(d, "111111"); /* commission member */
    driver_enter(d);
    assert_true(driver_shows(d, "Сайлау пакеті және дауыс беру"));
    assert_false(driver_shows(d, "Өтініштер"));
    assert_false(driver_shows(d, "Киоскіні жабу"));
    assert_true(
        driver_has_fx(d, FX_AUDIT, "staff login role=commission-member"));
    driver_press(d, TERM_KEY_ESCAPE, 0);
    driver_press(d, TERM_KEY_F10, 0);
    driver_type(d, "222222"); /* centre worker */
    driver_enter(d);
    assert_true(driver_shows(d, "Өтініштер"));
    assert_false(driver_shows(d, "Сайлау пакеті және дауыс беру"));
    driver_press(d, TERM_KEY_ESCAPE, 0);
    driver_press(d, TERM_KEY_F10, 0);
    driver_type(d, "999999"); /* technician */
    driver_enter(d);
    assert_true(driver_shows(d, "Өтініштер"));
    assert_true(driver_shows(d, "Сайлау пакеті және дауыс беру"));
    assert_true(driver_shows(d, "Киоскіні жабу"));
    driver_free(d);
}

UNIT_MAIN(NULL, NULL, UNIT_FRESH(test_valid), UNIT_FRESH(test_services_apply),
          UNIT_FRESH(test_bad_signature), UNIT_FRESH(test_wrong_key),
          UNIT_FRESH(test_missing_and_unknown), UNIT_FRESH(test_bad_pin_hash),
          UNIT_FRESH(test_mode_rules), UNIT_FRESH(test_rollback),
          UNIT_FRESH(test_roll_forward), UNIT_FRESH(test_fifo_refused),
          UNIT_FRESH(test_find), UNIT_FRESH(test_unconfigured_kiosk),
          UNIT_FRESH(test_configured_restarts), UNIT_FRESH(test_roles))
