/*
 * The signed terminal configuration (terminal.h, docs/terminal-config.md).
 *
 * It follows the election package's habits: terminal.json is read once,
 * the signature is checked over exactly those bytes, and validation walks
 * the whole document collecting one line per problem (file, JSON path,
 * what is wrong), so that a technician fixes everything in one round. Any
 * unknown key is an error. The bytes that were verified are the ones
 * installed: nothing reads the stick a second time.
 *
 * Installing two files atomically: terminal.json.sig and terminal.json
 * are first written in full beside their targets under staging names
 * (terminal.json.sig.new, terminal.json.new; each through the one atomic
 * write), then renamed, signature first. A crash between the two renames
 * leaves the new signature beside the old terminal.json; at the next start
 * terminal_load_accepted() finds the staging terminal.json.new, which
 * verifies with the signature in place, and finishes the rename (roll
 * forward). terminal.serial is written last; the serial of the accepted
 * terminal.json counts too, so a crash before it loses nothing.
 */
#include "kiosk/terminal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accessibility/atomicfile.h"
#include "accessibility/xalloc.h"
#include "ballot/package.h"

#define PROBLEMS_SHOWN 50
#define SIG_MAX_BYTES 1024
#define SERIAL_MAX_BYTES 128

/* ---- problems ------------------------------------------------------------ */

struct problems {
    const char *file;
    char *buf;
    size_t count;
};

static void
problems_line(struct problems *p, const char *line)
{
    p->count++;
    if (p->count > PROBLEMS_SHOWN)
        return;
    char *all = xasprintf("%s%s%s", p->buf ? p->buf : "", p->buf ? "\n" : "",
                          line);
    free(p->buf);
    p->buf = all;
}

static void problem(struct problems *p, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adds "FILE: PATH: message", or "FILE: message" when PATH is NULL. */
static void
problem(struct problems *p, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    char *line = path != NULL ? xasprintf("%s: %s: %s", p->file, path, msg)
                              : xasprintf("%s: %s", p->file, msg);
    problems_line(p, line);
    free(line);
    free(msg);
}

/* Hands the collected lines to *WHY (or frees them). */
static void
problems_give(struct problems *p, char **why)
{
    if (p->count > PROBLEMS_SHOWN) {
        char *more = xasprintf("%s: %zu more problems not shown", p->file,
                               p->count - PROBLEMS_SHOWN);
        problems_line(p, more);
        free(more);
    }
    if (why != NULL)
        *why = p->buf;
    else
        free(p->buf);
    p->buf = NULL;
}

static void set_whyf(char **why, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_whyf(char **why, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    if (why != NULL)
        *why = s;
    else
        free(s);
}

/* True when the bytes at S begin a control character: C0, DEL, or C1
 * (U+0080-U+009F, which the Linux console takes as escape sequences). */
static bool
control_at(const unsigned char *s)
{
    return s[0] < 0x20 || s[0] == 0x7F ||
           (s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F);
}

/* A key or value for a message: at most 40 bytes, controls as '?'. */
static void
shown(const char *s, char out[48])
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;
    while (u[n] != '\0' && n < 40) {
        if (control_at(u + n)) {
            out[n] = '?';
            if (u[n] == 0xC2 && n + 1 < 40)
                out[++n] = '?';
            else if (u[n] == 0xC2)
                break; /* cut before half a control character */
        } else {
            out[n] = s[n];
        }
        n++;
    }
    while (u[n] != '\0' && n > 0 && (u[n] & 0xC0) == 0x80)
        n--; /* cut on a character boundary */
    memcpy(out + n, u[n] != '\0' ? "..." : "", u[n] != '\0' ? 4 : 1);
}

static const char *
json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a number with a fraction";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "something else";
}

/* ---- field checks -------------------------------------------------------- */

/* Reports every key of OBJ (at PATH, "" for the top) not in ALLOWED. */
static void
check_keys(struct problems *p, const char *path, json_t *obj,
           const char *const *allowed, const char *allowed_text)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        bool known = false;
        for (size_t i = 0; allowed[i] != NULL; i++)
            known = known || strcmp(key, allowed[i]) == 0;
        if (!known) {
            char k[48], at[128];
            shown(key, k);
            snprintf(at, sizeof at, "%s%s%s", path, path[0] ? "." : "", k);
            problem(p, at, "unknown key (allowed here: %s)", allowed_text);
        }
    }
}

/* OBJ[KEY] when present; a missing key is reported when REQUIRED. */
static json_t *
get(struct problems *p, json_t *obj, const char *key, bool required)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL && required)
        problem(p, key, "required key is missing");
    return v;
}

/*
 * Checks a text of 1..MAX characters: no control character (C0, DEL, C1),
 * not blank. Copies it into OUT (SIZE bytes). jansson has checked UTF-8.
 */
static bool
check_text(struct problems *p, const char *at, json_t *v, size_t max, char *out,
           size_t size)
{
    if (!json_is_string(v)) {
        problem(p, at, "must be a string, not %s", json_kind(v));
        return false;
    }
    const unsigned char *s = (const unsigned char *)json_string_value(v);
    size_t len = json_string_length(v), chars = 0;
    bool blank = true;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if ((c & 0xC0) != 0x80)
            chars++;
        if (c < 0x20 || c == 0x7F || c == 0 ||
            (c == 0xC2 && i + 1 < len && s[i + 1] >= 0x80 &&
             s[i + 1] <= 0x9F)) {
            problem(p, at, "contains a control character");
            return false;
        }
        if (c != ' ' && !(c == 0xC2 && i + 1 < len && s[i + 1] == 0xA0) &&
            !(c == 0xA0 && i > 0 && s[i - 1] == 0xC2))
            blank = false;
    }
    if (blank) {
        problem(p, at, "is empty or blank");
        return false;
    }
    if (chars > max || len >= size) {
        problem(p, at, "is %zu characters long; at most %zu", chars, max);
        return false;
    }
    memcpy(out, s, len + 1);
    return true;
}

static bool
get_uint(struct problems *p, json_t *obj, const char *path, const char *key,
         long long lo, long long hi, long long *out)
{
    char at[64];
    snprintf(at, sizeof at, "%s%s%s", path, path[0] ? "." : "", key);
    json_t *v = json_object_get(obj, key);
    if (v == NULL) {
        problem(p, at, "required key is missing");
        return false;
    }
    if (!json_is_integer(v)) {
        problem(p, at, "must be an integer, not %s", json_kind(v));
        return false;
    }
    long long x = (long long)json_integer_value(v);
    if (x < lo || x > hi) {
        problem(p, at, "is %lld; must be %lld-%lld", x, lo, hi);
        return false;
    }
    *out = x;
    return true;
}

/* Decodes standard base64 of exactly 32 bytes. */
static bool
key32(const char *s, size_t len, unsigned char out[32])
{
    unsigned char bin[33];
    size_t n;
    const char *end;
    return len == 44 &&
           sodium_base642bin(bin, sizeof bin, s, len, NULL, &n, &end,
                             sodium_base64_VARIANT_ORIGINAL) == 0 &&
           end == s + len && n == 32 && (memcpy(out, bin, 32), true);
}

/* Decodes unpadded standard base64 (as in a PHC string); -1 if not. */
static long
b64_nopad(const char *s, size_t len)
{
    unsigned char bin[128];
    size_t n;
    const char *end;
    if (sodium_base642bin(bin, sizeof bin, s, len, NULL, &n, &end,
                          sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 ||
        end != s + len)
        return -1;
    return (long)n;
}

/* Reads a decimal of 1-9 digits without a leading zero at *AT, then the
 * text AFTER; moves *AT past both. */
static bool
pin_param(const char **at, const char *after, unsigned long *out)
{
    const char *p = *at;
    unsigned long v = 0;
    size_t n = 0;
    while (p[n] >= '0' && p[n] <= '9' && n < 10) {
        v = v * 10 + (unsigned long)(p[n] - '0');
        n++;
    }
    if (n == 0 || n > 9 || (p[0] == '0' && n > 1) ||
        strncmp(p + n, after, strlen(after)) != 0)
        return false;
    *out = v;
    *at = p + n + strlen(after);
    return true;
}

int
terminal_check_pin_hash(const char *hash, char **why)
{
    static const char prefix[] = "$argon2id$v=19$m=";
    unsigned long m, t, pl;
    if (strncmp(hash, prefix, sizeof prefix - 1) != 0) {
        set_whyf(why, "is not an Argon2id hash string (it must begin "
                      "with $argon2id$v=19$; a PIN itself never goes into "
                      "the file)");
        return -1;
    }
    const char *params = hash + sizeof prefix - 1, *at = params;
    if (!pin_param(&at, ",t=", &m) || !pin_param(&at, ",p=", &t) ||
        !pin_param(&at, "$", &pl)) {
        set_whyf(why, "is not an Argon2id hash string of the form "
                      "$argon2id$v=19$m=M,t=T,p=P$SALT$HASH");
        return -1;
    }
    if (m < 8192 || m > 262144 || t < 1 || t > 10 || pl < 1 || pl > 4) {
        set_whyf(why,
                 "has m=%lu,t=%lu,p=%lu; this terminal accepts m 8192-262144 "
                 "(KiB), t 1-10, p 1-4",
                 m, t, pl);
        return -1;
    }
    const char *salt = at;
    const char *dollar = strchr(salt, '$');
    long ns = dollar != NULL ? b64_nopad(salt, (size_t)(dollar - salt)) : -1;
    long nh = dollar != NULL ? b64_nopad(dollar + 1, strlen(dollar + 1)) : -1;
    if (ns < 8 || ns > 32 || nh < 16 || nh > 32) {
        set_whyf(why, "has a salt or hash that is not unpadded base64 of "
                      "8-32 (salt) and 16-32 (hash) bytes");
        return -1;
    }
    if (strlen(hash) >= crypto_pwhash_STRBYTES ||
        crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                       crypto_pwhash_MEMLIMIT_INTERACTIVE) <
            0) {
        set_whyf(why, "is not an Argon2id hash string libsodium can read");
        return -1;
    }
    return 0;
}

/* ---- the document -------------------------------------------------------- */

static const char *const top_keys[] = {
    "format",
    "serial",
    "terminal_id",
    "location",
    "mode",
    "default_language",
    "staff",
    "election_public_keys",
    "centre_public_key",
    "printer",
    "retention_days",
    "idle",
    NULL,
};
#define TOP_KEYS_TEXT                                                          \
    "format, serial, terminal_id, location, mode, default_language, staff, "   \
    "election_public_keys, centre_public_key, printer, retention_days, idle"

static void
parse_location(struct problems *p, json_t *root, struct terminal *t)
{
    json_t *loc = get(p, root, "location", true);
    if (loc == NULL)
        return;
    if (!json_is_object(loc)) {
        problem(p, "location",
                "must be an object {\"kk\": …, \"ru\": …}, not %s",
                json_kind(loc));
        return;
    }
    static const char *const keys[] = {"kk", "ru", NULL};
    check_keys(p, "location", loc, keys, "kk, ru");
    json_t *kk = json_object_get(loc, "kk"), *ru = json_object_get(loc, "ru");
    if (kk == NULL)
        problem(p, "location.kk", "required key is missing");
    else
        check_text(p, "location.kk", kk, TERMINAL_LOCATION_MAX, t->location_kk,
                   sizeof t->location_kk);
    if (ru == NULL)
        problem(p, "location.ru", "required key is missing");
    else
        check_text(p, "location.ru", ru, TERMINAL_LOCATION_MAX, t->location_ru,
                   sizeof t->location_ru);
}

/* A string field whose value must be one of the NULL-terminated WORDS;
 * returns its index, or -1. */
static int
get_word(struct problems *p, json_t *root, const char *key,
         const char *const *words, const char *words_text)
{
    json_t *v = get(p, root, key, true);
    if (v == NULL)
        return -1;
    if (json_is_string(v)) {
        for (int i = 0; words[i] != NULL; i++)
            if (strcmp(json_string_value(v), words[i]) == 0 &&
                strlen(words[i]) == json_string_length(v))
                return i;
    }
    char sh[48];
    shown(json_is_string(v) ? json_string_value(v) : json_kind(v), sh);
    problem(p, key, "must be one of %s, not %s%s%s", words_text,
            json_is_string(v) ? "\"" : "", sh, json_is_string(v) ? "\"" : "");
    return -1;
}

static void
parse_staff(struct problems *p, json_t *root, struct terminal *t)
{
    json_t *staff = get(p, root, "staff", true);
    if (staff == NULL)
        return;
    if (!json_is_object(staff)) {
        problem(p, "staff", "must be an object of role: PIN hash, not %s",
                json_kind(staff));
        return;
    }
    const char *key;
    json_t *v;
    size_t n = 0;
    json_object_foreach(staff, key, v) {
        char k[48], at[96];
        shown(key, k);
        snprintf(at, sizeof at, "staff.%s", k);
        enum staff_role r;
        if (staff_role_from_name(key, &r) < 0 || strlen(key) != strlen(k)) {
            problem(p, at,
                    "unknown role (roles: commission-member, centre-worker, "
                    "technician)");
            continue;
        }
        if (!json_is_string(v)) {
            problem(p, at, "must be the PIN's Argon2id hash string, not %s",
                    json_kind(v));
            continue;
        }
        char *reason = NULL;
        if (terminal_check_pin_hash(json_string_value(v), &reason) < 0 ||
            strlen(json_string_value(v)) != json_string_length(v)) {
            problem(p, at, "%s", reason != NULL ? reason : "contains NUL");
            free(reason);
            continue;
        }
        for (int o = 0; o < STAFF_ROLES; o++) {
            if (strcmp(t->pin_hash[o], json_string_value(v)) == 0)
                problem(p, at,
                        "is the same hash as staff.%s (copied?); each "
                        "role has its own PIN",
                        staff_role_name((enum staff_role)o));
        }
        snprintf(t->pin_hash[r], sizeof t->pin_hash[r], "%s",
                 json_string_value(v));
        n++;
    }
    if (n == 0 && json_object_size(staff) == 0)
        problem(p, "staff", "has no account; at least one role needs a PIN");
}

/* The rules that tie fields to the mode (done once the rest is read). */
static void
check_mode(struct problems *p, json_t *root, struct terminal *t)
{
    bool voting = t->mode & MODE_VOTING, services = t->mode & MODE_SERVICES;
    const char *mode = terminal_mode_name(t->mode);
    bool tech = t->pin_hash[STAFF_TECHNICIAN][0] != '\0';
    if (!voting && t->pin_hash[STAFF_COMMISSION_MEMBER][0] != '\0')
        problem(p, "staff.commission-member",
                "mode is \"%s\": a commission member has nothing to do on "
                "this terminal",
                mode);
    if (!services && t->pin_hash[STAFF_CENTRE_WORKER][0] != '\0')
        problem(p, "staff.centre-worker",
                "mode is \"%s\": a centre worker has nothing to do on this "
                "terminal",
                mode);
    if (voting && !tech && t->pin_hash[STAFF_COMMISSION_MEMBER][0] == '\0')
        problem(p, "staff",
                "mode is \"%s\": a commission-member or technician account "
                "is needed to load packages and open voting",
                mode);
    if (services && !tech && t->pin_hash[STAFF_CENTRE_WORKER][0] == '\0')
        problem(p, "staff",
                "mode is \"%s\": a centre-worker or technician account is "
                "needed for the applications",
                mode);

    json_t *keys = json_object_get(root, "election_public_keys");
    if (voting && keys == NULL)
        problem(p, "election_public_keys",
                "required key is missing (mode \"%s\" loads election "
                "packages)",
                mode);
    if (!voting && keys != NULL)
        problem(p, "election_public_keys",
                "mode is \"%s\": leave it out (no election packages here)",
                mode);
    if (keys != NULL && !json_is_array(keys)) {
        problem(p, "election_public_keys",
                "must be an array of base64 keys, not %s", json_kind(keys));
    } else if (keys != NULL && voting) {
        size_t n = json_array_size(keys);
        if (n == 0 || n > TERMINAL_KEYS_MAX)
            problem(p, "election_public_keys", "has %zu keys; 1-%d", n,
                    TERMINAL_KEYS_MAX);
        for (size_t i = 0; i < n && i < TERMINAL_KEYS_MAX; i++) {
            json_t *k = json_array_get(keys, i);
            char at[64];
            snprintf(at, sizeof at, "election_public_keys[%zu]", i);
            unsigned char bin[32];
            if (!json_is_string(k) ||
                !key32(json_string_value(k), json_string_length(k), bin)) {
                problem(p, at,
                        "must be an Ed25519 public key: 32 bytes in "
                        "standard base64 (44 characters ending in '=')");
                continue;
            }
            bool dup = false;
            for (size_t j = 0; j < t->n_election_keys; j++)
                dup = dup || memcmp(t->election_keys[j], bin, 32) == 0;
            if (dup)
                problem(p, at, "is listed twice");
            else
                memcpy(t->election_keys[t->n_election_keys++], bin, 32);
        }
    }

    json_t *centre = json_object_get(root, "centre_public_key");
    if (services && centre == NULL)
        problem(p, "centre_public_key",
                "required key is missing (mode \"%s\" takes applications, "
                "sealed to the centre's key)",
                mode);
    if (!services && centre != NULL)
        problem(p, "centre_public_key",
                "mode is \"%s\": leave it out (no applications here)", mode);
    if (centre != NULL && services) {
        unsigned char bin[32];
        if (!json_is_string(centre) ||
            !key32(json_string_value(centre), json_string_length(centre), bin))
            problem(p, "centre_public_key",
                    "must be an X25519 public key: 32 bytes in standard "
                    "base64 (44 characters ending in '=')");
        else
            snprintf(t->centre_public_key, sizeof t->centre_public_key, "%s",
                     json_string_value(centre));
    }

    json_t *ret = json_object_get(root, "retention_days");
    if (!services && ret != NULL)
        problem(p, "retention_days",
                "mode is \"%s\": leave it out (no applications here)", mode);
    long long days;
    if (services && get_uint(p, root, "", "retention_days", 1, 36500, &days))
        t->retention_days = (unsigned)days;
}

static void
parse_printer(struct problems *p, json_t *root, struct terminal *t)
{
    json_t *v = get(p, root, "printer", true);
    if (v == NULL)
        return;
    if (!json_is_string(v)) {
        problem(p, "printer", "must be a string, not %s", json_kind(v));
        return;
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    bool ok = strlen(s) == n && n <= TERMINAL_PRINTER_MAX &&
              (strcmp(s, "none") == 0 || strncmp(s, "/dev/", 5) == 0 ||
               strncmp(s, "pdf:/", 5) == 0);
    for (size_t i = 0; ok && i < n; i++)
        ok = s[i] != ' ' && !control_at((const unsigned char *)s + i);
    if (!ok || strstr(s, "/../") != NULL) {
        problem(p, "printer",
                "must be \"none\", a device such as \"/dev/usb/lp0\" or "
                "\"pdf:/absolute/folder\" (at most %d bytes, no spaces)",
                TERMINAL_PRINTER_MAX);
        return;
    }
    memcpy(t->printer, s, n + 1);
}

static void
parse_idle(struct problems *p, json_t *root, struct terminal *t)
{
    json_t *idle = get(p, root, "idle", true);
    if (idle == NULL)
        return;
    if (!json_is_object(idle)) {
        problem(p, "idle", "must be an object, not %s", json_kind(idle));
        return;
    }
    static const char *const keys[] = {"warning_s", "grace_s", NULL};
    check_keys(p, "idle", idle, keys, "warning_s, grace_s");
    long long w, g;
    if (get_uint(p, idle, "idle", "warning_s", 120, 300, &w))
        t->idle_warning_s = (unsigned)w;
    if (get_uint(p, idle, "idle", "grace_s", 20, 45, &g))
        t->idle_grace_s = (unsigned)g;
}

static void
parse_root(struct problems *p, json_t *root, struct terminal *t)
{
    check_keys(p, "", root, top_keys, TOP_KEYS_TEXT);
    json_t *f = get(p, root, "format", true);
    if (f != NULL && (!json_is_string(f) ||
                      strcmp(json_string_value(f), TERMINAL_FORMAT) != 0)) {
        char sh[48];
        shown(json_is_string(f) ? json_string_value(f) : json_kind(f), sh);
        problem(p, "format", "is %s; this terminal reads \"%s\"", sh,
                TERMINAL_FORMAT);
    }
    long long serial;
    if (get_uint(p, root, "", "serial", 1, TERMINAL_SERIAL_MAX, &serial))
        t->serial = serial;
    json_t *id = get(p, root, "terminal_id", true);
    if (id != NULL) {
        const char *s = json_is_string(id) ? json_string_value(id) : "";
        size_t n = json_is_string(id) ? json_string_length(id) : 0;
        bool ok = n >= 1 && n <= TERMINAL_ID_MAX && strlen(s) == n;
        for (size_t i = 0; ok && i < n; i++)
            ok = (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
                 (s[i] >= '0' && s[i] <= '9') || s[i] == '-';
        if (ok)
            memcpy(t->id, s, n + 1);
        else
            problem(p, "terminal_id",
                    "must be 1-%d characters of A-Z, a-z, 0-9 and -",
                    TERMINAL_ID_MAX);
    }
    parse_location(p, root, t);
    static const char *const modes[] = {"voting", "services", "both", NULL};
    int m = get_word(p, root, "mode", modes,
                     "\"voting\", \"services\", \"both\"");
    static const char *const langs[] = {"kk", "ru", "kk+ru", NULL};
    int l = get_word(p, root, "default_language", langs,
                     "\"kk\", \"ru\", \"kk+ru\"");
    t->language = l == 0   ? TERMINAL_LANG_KK
                  : l == 1 ? TERMINAL_LANG_RU
                           : TERMINAL_LANG_BOTH;
    parse_staff(p, root, t);
    parse_printer(p, root, t);
    parse_idle(p, root, t);
    if (m >= 0) {
        t->mode = m == 0 ? MODE_VOTING : m == 1 ? MODE_SERVICES : MODE_BOTH;
        check_mode(p, root, t);
    }
}

int
terminal_parse(const char *json, size_t len, const char *name,
               struct terminal *out, char **why)
{
    struct problems p = {.file = name};
    if (sodium_init() < 0) {
        set_whyf(why, "libsodium could not be initialised");
        return -1;
    }
    memset(out, 0, sizeof *out);
    if (len > TERMINAL_MAX_BYTES) {
        set_whyf(why, "%s: %zu bytes; at most %zu are allowed", name, len,
                 TERMINAL_MAX_BYTES);
        return -1;
    }
    json_error_t err;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
    if (root == NULL) {
        char text[sizeof err.text];
        snprintf(text, sizeof text, "%s", err.text);
        for (unsigned char *c = (unsigned char *)text; *c != '\0'; c++)
            if (control_at(c)) {
                if (*c == 0xC2)
                    *c++ = '?';
                *c = '?';
            }
        set_whyf(why, "%s:%d:%d: %s: %s", name, err.line, err.column,
                 json_error_code(&err) == json_error_invalid_utf8
                     ? "invalid UTF-8"
                     : "JSON syntax error",
                 text);
        return -1;
    }
    if (!json_is_object(root))
        problem(&p, NULL, "the document must be a JSON object, not %s",
                json_kind(root));
    else
        parse_root(&p, root, out);
    json_decref(root);
    if (p.count > 0) {
        problems_give(&p, why);
        return -1;
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)json, len);
    sodium_bin2hex(out->hash, sizeof out->hash, h, sizeof h);
    return 0;
}

/* ---- files --------------------------------------------------------------- */

/*
 * Reads the regular file PATH, at most MAX bytes, into a new buffer (NUL
 * appended). Opened without blocking, so a FIFO or a device never hangs
 * the kiosk; anything but a regular file is refused. 1: PATH is missing.
 */
static int
read_small(const char *path, size_t max, char **buf, size_t *len, char **why)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT)
            return 1;
        set_whyf(why, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    char *b = NULL;
    size_t n = 0;
    int rc = -1;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        set_whyf(why, "%s: not a regular file", path);
        goto out;
    }
    b = xmalloc(max + 2);
    for (;;) {
        ssize_t r = read(fd, b + n, max + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            set_whyf(why, "%s: cannot read: %s", path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max) {
            set_whyf(why, "%s: larger than %zu bytes", path, max);
            goto out;
        }
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    b = NULL;
    rc = 0;
out:
    free(b);
    close(fd);
    return rc;
}

int
terminal_read_keys(const char *path, unsigned char (**keys)[32], size_t *n,
                   char **why)
{
    return package_read_public_keys(path, keys, n, why);
}

/*
 * Reads the pair in DIR (terminal.json named JSON_NAME, signature named
 * SIG_NAME) and checks it. 1 when terminal.json is missing.
 */
static int
load_pair(const char *dir, const char *json_name, const char *sig_name,
          const unsigned char (*keys)[32], size_t n_keys, struct terminal *out,
          char **bytes, size_t *n_bytes, char **sig, char **why)
{
    char *jpath = xasprintf("%s/%s", dir, json_name);
    char *spath = xasprintf("%s/%s", dir, sig_name);
    char *jbuf = NULL, *sbuf = NULL;
    size_t jlen = 0, slen = 0;
    struct problems p = {.file = jpath};
    int rc = read_small(jpath, TERMINAL_MAX_BYTES, &jbuf, &jlen, why);
    if (rc == 1)
        set_whyf(why, "%s: no such file", jpath);
    if (rc != 0)
        goto out;
    rc = -1;
    char *w = NULL;
    int sr = read_small(spath, SIG_MAX_BYTES, &sbuf, &slen, &w);
    if (sr == 1)
        w = xasprintf("%s: no such file (the configuration is not signed)",
                      spath);
    if (sr == 0 && package_verify_data(spath, sbuf, slen, jbuf, jlen, json_name,
                                       keys, n_keys, &w) == 0)
        sr = 2; /* verified */
    if (sr != 2) {
        problems_line(&p, w);
        free(w);
    }
    char *cw = NULL;
    if (terminal_parse(jbuf, jlen, jpath, out, &cw) < 0) {
        char *all = xasprintf("%s%s%s", p.buf ? p.buf : "", p.buf ? "\n" : "",
                              cw);
        free(p.buf);
        p.buf = all;
        p.count++;
        free(cw);
    }
    if (p.count > 0) {
        if (why != NULL)
            *why = p.buf;
        else
            free(p.buf);
        p.buf = NULL;
        goto out;
    }
    if (bytes != NULL) {
        *bytes = jbuf;
        *n_bytes = jlen;
        *sig = sbuf;
        jbuf = sbuf = NULL;
    }
    rc = 0;
out:
    free(p.buf);
    free(jbuf);
    free(sbuf);
    free(jpath);
    free(spath);
    return rc;
}

int
terminal_load(const char *dir, const unsigned char (*keys)[32], size_t n_keys,
              struct terminal *out, char **bytes, size_t *n_bytes, char **sig,
              char **why)
{
    int rc = load_pair(dir, TERMINAL_JSON, TERMINAL_SIG, keys, n_keys, out,
                       bytes, n_bytes, sig, why);
    return rc == 0 ? 0 : -1;
}

int
terminal_read(const char *dir, struct terminal *out, char **why)
{
    char *path = xasprintf("%s/%s", dir, TERMINAL_JSON);
    char *buf = NULL;
    size_t len = 0;
    int rc = read_small(path, TERMINAL_MAX_BYTES, &buf, &len, why);
    if (rc == 1)
        set_whyf(why, "%s: no such file", path);
    if (rc == 0)
        rc = terminal_parse(buf, len, path, out, why);
    free(buf);
    free(path);
    return rc == 0 ? 0 : -1;
}

int
terminal_highest_serial(const char *data_dir, long long *serial, char hash[65],
                        char **why)
{
    char *path = xasprintf("%s/%s", data_dir, TERMINAL_SERIAL_FILE);
    char *buf = NULL;
    size_t len;
    *serial = 0;
    if (hash != NULL)
        hash[0] = '\0';
    int rc = read_small(path, SERIAL_MAX_BYTES, &buf, &len, why);
    if (rc == 0) {
        char *end;
        errno = 0;
        long long v = strtoll(buf, &end, 10);
        size_t hl = *end == ' ' ? strspn(end + 1, "0123456789abcdef") : 0;
        bool hashed = hl == 64 && (end[65] == '\n' || end[65] == '\0');
        if (errno != 0 || end == buf || buf[0] < '1' || buf[0] > '9' ||
            (*end != '\n' && *end != '\0' && !hashed) || v < 1 ||
            v > TERMINAL_SERIAL_MAX) {
            set_whyf(why,
                     "%s: damaged (not a serial number); the terminal "
                     "cannot tell which configuration is newest",
                     path);
            rc = -1;
        } else {
            *serial = v;
            if (hashed && hash != NULL)
                snprintf(hash, 65, "%.64s", end + 1);
        }
    } else if (rc == 1) {
        rc = 0;
    }
    free(buf);
    free(path);
    return rc;
}

/* Renames FROM to TO in DATA_DIR; -1 with *WHY. */
static int
rename_in(const char *data_dir, const char *from, const char *to, char **why)
{
    char *a = xasprintf("%s/%s", data_dir, from);
    char *b = xasprintf("%s/%s", data_dir, to);
    int rc = rename(a, b);
    if (rc < 0)
        set_whyf(why, "cannot rename %s to %s: %s", a, b, strerror(errno));
    free(a);
    free(b);
    return rc;
}

static void
sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd); /* best effort: the renames are done */
        close(fd);
    }
}

static void
unlink_in(const char *data_dir, const char *name)
{
    char *a = xasprintf("%s/%s", data_dir, name);
    (void)unlink(a); /* a leftover staging file; absent is fine */
    free(a);
}

/* Finishes or discards an install that a crash interrupted. */
static void
roll_forward(const char *data_dir, const unsigned char (*keys)[32],
             size_t n_keys)
{
    struct terminal t;
    char *path = xasprintf("%s/%s.new", data_dir, TERMINAL_JSON);
    bool staged = access(path, F_OK) == 0;
    free(path);
    if (!staged)
        return;
    /* Crashed between the renames: the new signature is in place. */
    if (load_pair(data_dir, TERMINAL_JSON ".new", TERMINAL_SIG, keys, n_keys,
                  &t, NULL, NULL, NULL, NULL) == 0 ||
        /* Crashed before them: both staged. */
        (load_pair(data_dir, TERMINAL_JSON ".new", TERMINAL_SIG ".new", keys,
                   n_keys, &t, NULL, NULL, NULL, NULL) == 0 &&
         rename_in(data_dir, TERMINAL_SIG ".new", TERMINAL_SIG, NULL) == 0)) {
        if (rename_in(data_dir, TERMINAL_JSON ".new", TERMINAL_JSON, NULL) ==
            0) {
            sync_dir(data_dir);
            return;
        }
    }
    unlink_in(data_dir, TERMINAL_JSON ".new");
    unlink_in(data_dir, TERMINAL_SIG ".new");
}

int
terminal_load_accepted(const char *data_dir, const unsigned char (*keys)[32],
                       size_t n_keys, struct terminal *out, char **why)
{
    roll_forward(data_dir, keys, n_keys);
    int rc = load_pair(data_dir, TERMINAL_JSON, TERMINAL_SIG, keys, n_keys, out,
                       NULL, NULL, NULL, why);
    if (rc == 1 && why != NULL) {
        free(*why);
        *why = NULL;
    }
    return rc;
}

int
terminal_accept(const char *data_dir, const char *dir,
                const unsigned char (*keys)[32], size_t n_keys,
                struct terminal *out, enum terminal_outcome *outcome,
                char **why)
{
    struct terminal t, cur;
    char *bytes = NULL, *sig = NULL, *w = NULL;
    size_t n = 0;
    int rc = -1;
    long long highest = 0;
    if (terminal_load(dir, keys, n_keys, &t, &bytes, &n, &sig, why) < 0)
        return -1;
    char highest_hash[65];
    if (terminal_highest_serial(data_dir, &highest, highest_hash, why) < 0)
        goto out;
    int cr = terminal_load_accepted(data_dir, keys, n_keys, &cur, NULL);
    if (cr == 0 && cur.serial > highest)
        highest = cur.serial;
    if (cr == 0 && cur.serial == t.serial && strcmp(cur.hash, t.hash) == 0) {
        *out = t;
        *outcome = TERMINAL_SAME;
        rc = 0;
        goto out;
    }
    if (t.serial < highest) {
        set_whyf(why,
                 "%s/%s: serial %lld is older than serial %lld, which this "
                 "terminal has already accepted; an old configuration is "
                 "never taken back (sign the new one with a serial above "
                 "%lld)",
                 dir, TERMINAL_JSON, t.serial, highest, highest);
        goto out;
    }
    /* The one accepted last, while what is in force is damaged or gone:
     * the same bytes may be installed again. */
    bool again = t.serial == highest && cr != 0 &&
                 strcmp(highest_hash, t.hash) == 0;
    if (t.serial == highest && !again) {
        set_whyf(why,
                 "%s/%s: serial %lld was already accepted with other "
                 "contents; a changed configuration needs a higher serial "
                 "(above %lld)",
                 dir, TERMINAL_JSON, t.serial, highest);
        goto out;
    }
    char *jnew = xasprintf("%s/%s.new", data_dir, TERMINAL_JSON);
    char *snew = xasprintf("%s/%s.new", data_dir, TERMINAL_SIG);
    int wr = atomicfile_write(snew, sig, strlen(sig), 0600, 0, &w);
    if (wr == 0)
        wr = atomicfile_write(jnew, bytes, n, 0600, 0, &w);
    free(jnew);
    free(snew);
    if (wr < 0 ||
        rename_in(data_dir, TERMINAL_SIG ".new", TERMINAL_SIG, &w) < 0 ||
        rename_in(data_dir, TERMINAL_JSON ".new", TERMINAL_JSON, &w) < 0) {
        set_whyf(why, "the configuration could not be saved: %s", w);
        unlink_in(data_dir, TERMINAL_JSON ".new");
        unlink_in(data_dir, TERMINAL_SIG ".new");
        goto out;
    }
    sync_dir(data_dir);
    char line[96];
    int ln = snprintf(line, sizeof line, "%lld %s\n", t.serial, t.hash);
    char *spath = xasprintf("%s/%s", data_dir, TERMINAL_SERIAL_FILE);
    free(w);
    w = NULL;
    wr = atomicfile_write(spath, line, (size_t)ln, 0600, 0, &w);
    free(spath);
    if (wr < 0) {
        /* terminal.json holds the serial too: in force, but say so. */
        set_whyf(why,
                 "the configuration is in force, but the serial could "
                 "not be recorded: %s",
                 w);
        goto out;
    }
    *out = t;
    *outcome = TERMINAL_INSTALLED;
    rc = 0;
out:
    free(w);
    free(bytes);
    free(sig);
    return rc;
}

int
terminal_find(const char *media, char *found, char **why)
{
    struct stat st;
    char *path = xasprintf("%s/%s", media, TERMINAL_JSON);
    bool here = lstat(path, &st) == 0;
    free(path);
    if (here) {
        snprintf(found, PATH_MAX, "%s", media);
        return 0;
    }
    DIR *d = opendir(media);
    if (d == NULL) {
        set_whyf(why, "no stick: %s cannot be read (%s)", media,
                 strerror(errno));
        return -1;
    }
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        bool plain = e->d_name[0] != '.';
        for (const unsigned char *c = (const unsigned char *)e->d_name;
             plain && *c != '\0'; c++)
            plain = !control_at(c);
        if (!plain) /* hidden, or a name that would garble a message */
            continue;
        char *sub = xasprintf("%s/%s/%s", media, e->d_name, TERMINAL_JSON);
        if (lstat(sub, &st) == 0) {
            if (n++ == 0)
                snprintf(found, PATH_MAX, "%s/%s", media, e->d_name);
        }
        free(sub);
    }
    closedir(d);
    if (n == 1)
        return 0;
    if (n == 0)
        set_whyf(why, "no %s on the stick (looked in %s and its folders)",
                 TERMINAL_JSON, media);
    else
        set_whyf(why, "%d folders in %s hold a %s; leave only one", n, media,
                 TERMINAL_JSON);
    return -1;
}

void
terminal_apply(const struct terminal *t, struct config *c)
{
    c->mode = t->mode;
    snprintf(c->centre, sizeof c->centre, "%s", t->id);
    snprintf(c->terminal, sizeof c->terminal, "%s", t->id);
    c->idle_warning_s = t->idle_warning_s;
    c->idle_grace_s = t->idle_grace_s;
    snprintf(c->printer, sizeof c->printer, "%s",
             strcmp(t->printer, "none") == 0 ? "" : t->printer);
    if (t->retention_days > 0)
        c->retention_days = t->retention_days;
    memcpy(c->public_keys, t->election_keys, sizeof t->election_keys);
    c->n_public_keys = t->n_election_keys;
    c->has_centre_key = t->centre_public_key[0] != '\0' &&
                        key32(t->centre_public_key,
                              strlen(t->centre_public_key),
                              c->centre_public_key);
}

const char *
terminal_mode_name(enum kiosk_mode m)
{
    return m == MODE_VOTING     ? "voting"
           : m == MODE_SERVICES ? "services"
                                : "both";
}
