/*
 * Staff PIN storage and the lockout arithmetic (see staff.h). Argon2id with
 * libsodium's "interactive" limits: a wrong guess costs about a tenth of a
 * second and 64 MiB, which together with the lockout makes guessing a
 * six-digit PIN at the kiosk impractical.
 */
#include "kiosk/staff.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accessibility/atomicfile.h"
#include "accessibility/textfile.h"
#include "accessibility/xalloc.h"

#define LOCKOUT_MAX_S STAFF_LOCKOUT_MAX_S

int
staff_pin_check(const char *pin, char **why)
{
    size_t n = strlen(pin);
    for (size_t i = 0; i < n; i++) {
        if (pin[i] < '0' || pin[i] > '9') {
            *why = xstrdup("a PIN has digits only");
            return -1;
        }
    }
    if (n < STAFF_PIN_MIN || n > STAFF_PIN_MAX) {
        *why = xasprintf("a PIN has %d to %d digits", STAFF_PIN_MIN,
                         STAFF_PIN_MAX);
        return -1;
    }
    return 0;
}

char *
staff_pin_path(const char *data_dir, const char *role)
{
    return xasprintf("%s/staff-%s.pin", data_dir, role);
}

int
staff_pin_write(const char *path, const char *pin, char **why)
{
    char hash[crypto_pwhash_STRBYTES];
    if (staff_pin_check(pin, why) < 0)
        return -1;
    if (crypto_pwhash_str(hash, pin, strlen(pin),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        *why = xstrdup("not enough memory to hash the PIN");
        return -1;
    }
    size_t len = strlen(hash);
    hash[len] = '\n';
    int rc = 0;
    if (atomicfile_write(path, hash, len + 1, 0600, 0, why) < 0)
        rc = -1;
    sodium_memzero(hash, sizeof hash);
    return rc;
}

int
staff_pin_read(const char *path, char **hash, char **why)
{
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return 1;
    char *text = NULL;
    size_t n;
    if (textfile_read(path, "staff PIN file", crypto_pwhash_STRBYTES, &text, &n,
                      why) < 0)
        return -1;
    char buf[crypto_pwhash_STRBYTES + 2];
    memcpy(buf, text, n);
    free(text);
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    if (strncmp(buf, crypto_pwhash_STRPREFIX,
                strlen(crypto_pwhash_STRPREFIX)) != 0) {
        *why = xasprintf("%s is not a PIN file; set the PIN again with "
                         "`dauys staff passwd`",
                         path);
        return -1;
    }
    *hash = xstrdup(buf);
    return 0;
}

bool
staff_pin_verify(const char *hash, const char *pin)
{
    return crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
}

static const char *const role_names[STAFF_ROLES] = {
    "commission-member",
    "centre-worker",
    "technician",
};

const char *
staff_role_name(enum staff_role r)
{
    return r >= 0 && r < STAFF_ROLES ? role_names[r] : "?";
}

int
staff_role_from_name(const char *name, enum staff_role *r)
{
    for (int i = 0; i < STAFF_ROLES; i++) {
        if (strcmp(name, role_names[i]) == 0) {
            *r = (enum staff_role)i;
            return 0;
        }
    }
    return -1;
}

unsigned
staff_guard_remaining(const struct staff_guard *g, uint64_t now_ms)
{
    if (g->locked_until <= now_ms)
        return 0;
    return (unsigned)((g->locked_until - now_ms + 999) / 1000);
}

unsigned
staff_guard_fail(struct staff_guard *g, uint64_t now_ms)
{
    g->failures++;
    if (g->failures < STAFF_FAILURES_BEFORE_LOCK)
        return 0;
    unsigned secs = g->lockout_base_s;
    for (unsigned i = 0; i < g->lockouts && secs < LOCKOUT_MAX_S; i++)
        secs *= 2;
    if (secs > LOCKOUT_MAX_S)
        secs = LOCKOUT_MAX_S;
    g->lockouts++;
    g->locked_until = now_ms + (uint64_t)secs * 1000;
    return secs;
}

void
staff_guard_success(struct staff_guard *g)
{
    g->failures = 0;
    g->lockouts = 0;
    g->locked_until = 0;
}
