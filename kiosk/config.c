/*
 * Configuration parsing. inih calls the handler once per key; a reader
 * that counts lines gives the handler the line it is on, so each problem
 * names its line. Values are checked against the ranges of specs/cli.md.
 */
#include "kiosk/config.h"

#include <errno.h>
#include <stdarg.h>
#include <ini.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/decimal.h"
#include "accessibility/speech.h"
#include "accessibility/textfile.h"
#include "accessibility/xalloc.h"

#define CONFIG_FILE_MAX ((size_t)1 << 16)

struct parse {
    struct config cfg;
    const char *name;
    const char *text; /* remaining input */
    int line;
    char *errors;
};

static void parse_error(struct parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
parse_error(struct parse *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    char *all = xasprintf("%s%s%s:%d: %s", p->errors ? p->errors : "",
                          p->errors ? "\n" : "", p->name, p->line, msg);
    free(p->errors);
    free(msg);
    p->errors = all;
}

/*
 * Hands inih the next line of the text, whole: a line is never split, so
 * the rest of a long line is never read as a line of its own, and every
 * error names the line it is on. "key = value   # comment", as in
 * specs/cli.md: a '#' after blank space starts a comment (inih itself only
 * knows ';' there), which is cut before the length is checked, so a long
 * comment is fine. A line longer than inih's buffer is refused as such.
 */
static char *
parse_reader(char *str, int num, void *stream)
{
    struct parse *p = stream;
    if (*p->text == '\0' || num < 2)
        return NULL;
    size_t len = strcspn(p->text, "\n");
    const char *line = p->text;
    p->text += len;
    if (*p->text == '\n')
        p->text++;
    p->line++;
    size_t keep = len;
    for (size_t i = 0; i < len; i++) {
        if (line[i] == '#' &&
            (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
            keep = i;
            break;
        }
    }
    /* A whole-line comment, of any length: inih sees ';' and skips it. */
    size_t lead = strspn(line, " \t");
    if (lead < len && (line[lead] == '#' || line[lead] == ';')) {
        snprintf(str, (size_t)num, ";");
        return str;
    }
    while (keep > 0 && (line[keep - 1] == ' ' || line[keep - 1] == '\t' ||
                        line[keep - 1] == '\r'))
        keep--;
    if (keep > (size_t)num - 1) {
        parse_error(p, "the line is longer than %d characters", num - 1);
        str[0] = '\0';
        return str;
    }
    memcpy(str, line, keep);
    str[keep] = '\0';
    return str;
}

static int
parse_uint(struct parse *p, const char *key, const char *value, long lo,
           long hi, long step, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || v < lo || v > hi ||
        (step > 1 && (v - lo) % step != 0)) {
        if (step > 1)
            parse_error(p,
                        "%s must be a number from %ld to %ld in steps of "
                        "%ld, not '%s'",
                        key, lo, hi, step, value);
        else
            parse_error(p, "%s must be a number from %ld to %ld, not '%s'", key,
                        lo, hi, value);
        return -1;
    }
    *out = v;
    return 0;
}

static void
parse_string(struct parse *p, const char *key, const char *value, char *dst,
             size_t size)
{
    if (strlen(value) >= size) {
        parse_error(p, "%s is too long (at most %zu characters)", key,
                    size - 1);
        return;
    }
    memcpy(dst, value, strlen(value) + 1);
}

static void
parse_bool(struct parse *p, const char *key, const char *value, bool *out)
{
    if (strcmp(value, "yes") == 0)
        *out = true;
    else if (strcmp(value, "no") == 0)
        *out = false;
    else
        parse_error(p, "%s must be yes or no, not '%s'", key, value);
}

/* [speech] volume: the level each session starts at, written as
 * specs/cli.md has it, a percent from 0 to 100 in steps of 10: the
 * eleven steps are the eleven levels of docs/speech.md (50 is level 5,
 * 60 dB SPL, the default; 100 is level 10, 100 dB SPL). 0, level 0 (20 dB
 * SPL), is the quietest a voter may turn it down to, too quiet for a
 * session to start at. Any other number is refused with what to write,
 * never rounded. */
static void
parse_volume(struct parse *p, const char *value)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    bool number = errno == 0 && end != value && *end == '\0';
    if (number && v >= 10 && v <= 10L * SPEECH_VOLUME_MAX && v % 10 == 0) {
        p->cfg.volume = (int)(v / 10);
    } else {
        parse_error(p,
                    "volume must be a percent from 10 to %d in steps of 10 "
                    "(the levels, 8 dB apart, docs/speech.md), not '%s'; "
                    "%d (%d dB SPL) is the default",
                    10 * SPEECH_VOLUME_MAX, value, 10 * SPEECH_VOLUME_DEFAULT,
                    speech_volume_spl(SPEECH_VOLUME_DEFAULT));
    }
}

/* [speech] calibration_db: the mixer setting, in dB, at which level 10
 * gives 100 dB SPL at the headphones ("-12.5", "0", "3"). */
static void
parse_calibration(struct parse *p, const char *value)
{
    double db;
    bool minus = value[0] == '-';
    if (decimal_parse(value + (minus ? 1 : 0), &db) != 0 ||
        (minus ? -db : db) < CONFIG_CALIBRATION_MIN_DB ||
        (minus ? -db : db) > CONFIG_CALIBRATION_MAX_DB) {
        parse_error(p,
                    "calibration_db must be the mixer setting in dB, from "
                    "%d to %d (such as -12.5), measured as docs/speech.md "
                    "says, not '%s'",
                    CONFIG_CALIBRATION_MIN_DB, CONFIG_CALIBRATION_MAX_DB,
                    value);
        return;
    }
    p->cfg.calibration_db = minus ? -db : db;
    p->cfg.calibrated = true;
}

static void
parse_key(struct parse *p, const char *value)
{
    struct config *c = &p->cfg;
    unsigned char key[32];
    size_t len = 0;
    if (c->n_public_keys == CONFIG_KEYS_MAX) {
        parse_error(p, "at most %d public_key lines", CONFIG_KEYS_MAX);
        return;
    }
    if (sodium_base642bin(key, sizeof key, value, strlen(value), NULL, &len,
                          NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        len != sizeof key) {
        parse_error(p, "public_key must be 32 bytes in standard base64 "
                       "(44 characters ending in '=')");
        return;
    }
    memcpy(c->public_keys[c->n_public_keys++], key, sizeof key);
}

static int
parse_handler(void *user, const char *section, const char *name,
              const char *value)
{
    struct parse *p = user;
    struct config *c = &p->cfg;
    long v;
#define IS(s, k) (strcmp(section, s) == 0 && strcmp(name, k) == 0)
    if (IS("kiosk", "mode")) {
        if (strcmp(value, "voting") == 0)
            c->mode = MODE_VOTING;
        else if (strcmp(value, "services") == 0)
            c->mode = MODE_SERVICES;
        else if (strcmp(value, "both") == 0)
            c->mode = MODE_BOTH;
        else
            parse_error(p, "mode must be voting, services or both, not '%s'",
                        value);
    } else if (IS("kiosk", "centre")) {
        parse_string(p, name, value, c->centre, sizeof c->centre);
    } else if (IS("kiosk", "terminal")) {
        parse_string(p, name, value, c->terminal, sizeof c->terminal);
    } else if (IS("kiosk", "idle_warning_s")) {
        if (parse_uint(p, name, value, 120, 300, 1, &v) == 0)
            c->idle_warning_s = (unsigned)v;
    } else if (IS("kiosk", "idle_grace_s")) {
        if (parse_uint(p, name, value, 20, 45, 1, &v) == 0)
            c->idle_grace_s = (unsigned)v;
    } else if (IS("kiosk", "require_terminal_config")) {
        parse_bool(p, name, value, &c->require_terminal_config);
    } else if (IS("kiosk", "provision_key")) {
        parse_string(p, name, value, c->provision_key, sizeof c->provision_key);
    } else if (IS("kiosk", "data_dir")) {
        parse_string(p, name, value, c->data_dir, sizeof c->data_dir);
    } else if (IS("speech", "rate")) {
        if (parse_uint(p, name, value, 50, 200, 25, &v) == 0)
            c->rate = (int)v;
    } else if (IS("speech", "volume")) {
        parse_volume(p, value);
    } else if (IS("speech", "calibration_db")) {
        parse_calibration(p, value);
    } else if (IS("keypad", "device")) {
        parse_string(p, name, value, c->keypad_device, sizeof c->keypad_device);
    } else if (IS("keypad", "profile")) {
        if (value[0] != '/' &&
            (value[0] == '\0' || strlen(value) > 32 ||
             value[strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789_-")] !=
                 '\0'))
            parse_error(p,
                        "profile must be a profile name such as numpad or "
                        "keyboard, or the absolute path of a .profile "
                        "file, not '%s'",
                        value);
        else
            parse_string(p, name, value, c->keypad_profile,
                         sizeof c->keypad_profile);
    } else if (IS("keypad", "double_press_ms")) {
        if (parse_uint(p, name, value, 0, 500, 1, &v) == 0)
            c->keypad_double_press_ms = (unsigned)v;
    } else if (IS("keypad", "scan_interval_s")) {
        char *end;
        errno = 0;
        long n = strtol(value, &end, 10);
        if (errno != 0 || end == value || *end != '\0' || n < 1 || n > 10)
            parse_error(p,
                        "scan_interval_s must be a whole number of "
                        "seconds from 1 to 10 (how long one-switch "
                        "scanning waits on an item after reading it), "
                        "not '%s'",
                        value);
        else
            c->scan_interval_s = (unsigned)n;
    } else if (IS("election", "public_key")) {
        parse_key(p, value);
    } else if (IS("services", "database")) {
        parse_string(p, name, value, c->database, sizeof c->database);
    } else if (IS("services", "retention_days")) {
        if (parse_uint(p, name, value, 1, 36500, 1, &v) == 0)
            c->retention_days = (unsigned)v;
    } else if (IS("services", "printer")) {
        parse_string(p, name, value, c->printer, sizeof c->printer);
    } else if (IS("services", "catalogue")) {
        parse_string(p, name, value, c->catalogue, sizeof c->catalogue);
    } else if (IS("services", "key_file")) {
        parse_string(p, name, value, c->key_file, sizeof c->key_file);
    } else if (IS("services", "centre_public_key")) {
        size_t len = 0;
        if (sodium_base642bin(c->centre_public_key, sizeof c->centre_public_key,
                              value, strlen(value), NULL, &len, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0 ||
            len != sizeof c->centre_public_key) {
            c->has_centre_key = false;
            parse_error(p, "centre_public_key must be the centre's 32-byte "
                           "public key in standard base64 (44 characters "
                           "ending in '=', the contents of centre.pub)");
        } else {
            c->has_centre_key = true;
        }
    } else if (IS("staff", "lockout_s")) {
        if (parse_uint(p, name, value, 1, 3600, 1, &v) == 0)
            c->staff_lockout_s = (unsigned)v;
    } else if (IS("braille", "enabled")) {
        parse_bool(p, name, value, &c->braille);
    } else if (IS("braille", "contracted")) {
        parse_bool(p, name, value, &c->braille_contracted);
    } else if (IS("braille", "host")) {
        parse_string(p, name, value, c->braille_host, sizeof c->braille_host);
    } else if (IS("sync", "conninfo")) {
        parse_string(p, name, value, c->sync_conninfo, sizeof c->sync_conninfo);
    } else if (IS("sync", "ca_file")) {
        parse_string(p, name, value, c->sync_ca, sizeof c->sync_ca);
    } else if (IS("sync", "interval_s")) {
        if (parse_uint(p, name, value, 1, 3600, 1, &v) == 0)
            c->sync_interval_s = (unsigned)v;
    } else if (IS("sync", "batch")) {
        if (parse_uint(p, name, value, 1, 1000, 1, &v) == 0)
            c->sync_batch = (unsigned)v;
    } else if (IS("sync", "status_interval_s")) {
        if (parse_uint(p, name, value, 10, 86400, 1, &v) == 0)
            c->sync_status_s = (unsigned)v;
    } else if (name == NULL || name[0] == '\0') {
        parse_error(p, "unknown section [%s]", section);
    } else if (section[0] == '\0') {
        parse_error(p, "'%s' is outside any [section]", name);
    } else {
        parse_error(p, "unknown key '%s' in [%s]", name, section);
    }
#undef IS
    return 1;
}

void
config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    c->mode = MODE_BOTH;
    snprintf(c->centre, sizeof c->centre, "DEMO-01");
    c->idle_warning_s = 180;
    c->idle_grace_s = 30;
    snprintf(c->data_dir, sizeof c->data_dir, "/var/lib/dauys");
    c->rate = 100;
    c->volume = SPEECH_VOLUME_DEFAULT;
    snprintf(c->keypad_profile, sizeof c->keypad_profile, "numpad");
    c->keypad_double_press_ms = 150;
    c->scan_interval_s = 2;
    c->retention_days = 1095;
    c->staff_lockout_s = 30;
    c->sync_interval_s = 1;
    c->sync_batch = 500;
    c->sync_status_s = 60;
    snprintf(c->provision_key, sizeof c->provision_key,
             "/etc/dauys/provision.pub");
}

int
config_parse(struct config *c, const char *name, const char *text, char **why)
{
    struct parse p = {.cfg = *c, .name = name, .text = text};
    int rc = ini_parse_stream(parse_reader, &p, parse_handler, &p);
    if (rc > 0 && p.errors == NULL) {
        p.line = rc;
        parse_error(&p, "not a 'key = value' line or a [section]");
    } else if (rc < 0 && p.errors == NULL) {
        parse_error(&p, "cannot be parsed");
    }
    if (p.errors != NULL) {
        *why = p.errors;
        return -1;
    }
    *c = p.cfg;
    return 0;
}

int
config_load(struct config *c, const char *path, char **why)
{
    char *text = NULL, *reason = NULL;
    size_t n;
    if (textfile_read(path, "configuration", CONFIG_FILE_MAX, &text, &n,
                      &reason) < 0) {
        *why = reason;
        return -1;
    }
    if (n > CONFIG_FILE_MAX) {
        *why = xasprintf("cannot read the configuration %s: larger than "
                         "64 KiB",
                         path);
        free(text);
        return -1;
    }
    if (memchr(text, '\0', n) != NULL) {
        *why = xasprintf("%s is not a text file", path);
        free(text);
        return -1;
    }
    char *z = xmalloc(n + 1);
    memcpy(z, text, n);
    z[n] = '\0';
    free(text);
    int rc = config_parse(c, path, z, why);
    free(z);
    return rc;
}
