/*
 * The state file (see station_state.h). One "key value" line each, every
 * key exactly once, in any order, after the format line:
 *
 *   dauys-state/1
 *   package <id> <hash>       or   package -
 *   voting open <YYYY-MM-DD>  or   voting closed
 *   opened <unix seconds>
 *   closed <unix seconds>
 *   sessions <count>
 *   stencils <count>
 *   pin-failures <count>
 *   pin-lockouts <count>
 *   pin-locked-until <unix seconds>
 *
 * Reading is strict: a missing, repeated or unknown key, a bad number, a
 * line without its newline (a write cut short) or trailing bytes make the
 * file damaged, and the caller starts closed and says so. It is read
 * through textfile_read(), which refuses a named pipe without blocking.
 */
#include "kiosk/station_state.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "accessibility/atomicfile.h"
#include "accessibility/textfile.h"
#include "accessibility/xalloc.h"

#define STATE_FILE_MAX 4096

enum state_key {
    KEY_PACKAGE,
    KEY_VOTING,
    KEY_OPENED,
    KEY_CLOSED,
    KEY_SESSIONS,
    KEY_STENCILS,
    KEY_PIN_FAILURES,
    KEY_PIN_LOCKOUTS,
    KEY_PIN_LOCKED_UNTIL,
    KEY_COUNT,
};

static const char *const key_names[KEY_COUNT] = {
    "package",  "voting",       "opened",       "closed",          "sessions",
    "stencils", "pin-failures", "pin-lockouts", "pin-locked-until"};

char *
station_state_path(const char *data_dir)
{
    return xasprintf("%s/state", data_dir);
}

void
station_state_init(struct station_state *st)
{
    memset(st, 0, sizeof *st);
}

void
station_state_day(int64_t now, char today[STATION_STATE_DAY])
{
    time_t t = (time_t)now;
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL ||
        strftime(today, STATION_STATE_DAY, "%Y-%m-%d", &tm) == 0)
        today[0] = '\0';
}

/* Parses the decimal S (digits only, no sign) into *OUT, at most MAX. */
static int
state_number(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (*s == '\0' || (s[0] == '0' && s[1] != '\0'))
        return -1;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned d = (unsigned)(*s - '0');
        if (v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* True when S is a day YYYY-MM-DD (digits in place). */
static bool
state_is_day(const char *s)
{
    static const char shape[] = "dddd-dd-dd";
    if (strlen(s) != sizeof shape - 1)
        return false;
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        bool digit = s[i] >= '0' && s[i] <= '9';
        if (shape[i] == 'd' ? !digit : s[i] != shape[i])
            return false;
    }
    return true;
}

static bool
state_is_hash(const char *s)
{
    if (strlen(s) != 64)
        return false;
    for (size_t i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static bool
state_is_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > STATION_STATE_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '-'))
            return false;
    return true;
}

/* Parses the value V of key K into ST. Returns 0 or -1. */
static int
state_value(enum state_key k, char *v, struct station_state *st)
{
    uint64_t n;
    switch (k) {
    case KEY_PACKAGE: {
        if (strcmp(v, "-") == 0)
            return 0;
        char *sp = strchr(v, ' ');
        if (sp == NULL)
            return -1;
        *sp = '\0';
        if (!state_is_id(v) || !state_is_hash(sp + 1))
            return -1;
        snprintf(st->package_id, sizeof st->package_id, "%s", v);
        snprintf(st->package_hash, sizeof st->package_hash, "%s", sp + 1);
        return 0;
    }
    case KEY_VOTING:
        if (strcmp(v, "closed") == 0)
            return 0;
        if (strncmp(v, "open ", 5) != 0 || !state_is_day(v + 5))
            return -1;
        st->voting_open = true;
        snprintf(st->open_day, sizeof st->open_day, "%s", v + 5);
        return 0;
    case KEY_OPENED:
    case KEY_CLOSED:
    case KEY_PIN_LOCKED_UNTIL:
        if (state_number(v, INT64_MAX, &n) < 0)
            return -1;
        *(k == KEY_OPENED   ? &st->opened_at
          : k == KEY_CLOSED ? &st->closed_at
                            : &st->pin_locked_until) = (int64_t)n;
        return 0;
    case KEY_SESSIONS:
    case KEY_STENCILS:
        if (state_number(v, UINT64_MAX, &n) < 0)
            return -1;
        *(k == KEY_SESSIONS ? &st->sessions : &st->stencils) = n;
        return 0;
    case KEY_PIN_FAILURES:
    case KEY_PIN_LOCKOUTS:
        if (state_number(v, 1000000, &n) < 0)
            return -1;
        *(k == KEY_PIN_FAILURES ? &st->pin_failures
                                : &st->pin_lockouts) = (unsigned)n;
        return 0;
    case KEY_COUNT:
        break;
    }
    return -1;
}

/* Parses the LEN bytes of TEXT into ST. Returns 0 or -1 with *WHY. */
static int
state_parse(char *text, size_t len, struct station_state *st, char **why)
{
    bool seen[KEY_COUNT] = {false};
    size_t at = 0, lineno = 0;
    if (len == 0) {
        *why = xstrdup("it is empty");
        return -1;
    }
    if (memchr(text, '\0', len) != NULL) {
        *why = xstrdup("it is not a text file");
        return -1;
    }
    if (text[len - 1] != '\n') {
        *why = xstrdup("its last line is incomplete (a write was cut short)");
        return -1;
    }
    while (at < len) {
        char *line = text + at;
        char *nl = memchr(line, '\n', len - at);
        *nl = '\0';
        at = (size_t)(nl - text) + 1;
        lineno++;
        if (lineno == 1) {
            if (strcmp(line, STATION_STATE_FORMAT) == 0)
                continue;
            if (strncmp(line, "dauys-state/", 12) == 0)
                *why = xasprintf("it is in the format %s, which this "
                                 "version of dauys does not know",
                                 line);
            else
                *why = xstrdup("it is not a dauys state file (line 1)");
            return -1;
        }
        char *sp = strchr(line, ' ');
        enum state_key k = KEY_COUNT;
        if (sp != NULL) {
            *sp = '\0';
            for (int i = 0; i < KEY_COUNT; i++)
                if (strcmp(line, key_names[i]) == 0)
                    k = (enum state_key)i;
        }
        if (k == KEY_COUNT) {
            *why = xasprintf("line %zu is not a known 'key value' line",
                             lineno);
            return -1;
        }
        if (seen[k]) {
            *why = xasprintf("line %zu repeats '%s'", lineno, key_names[k]);
            return -1;
        }
        seen[k] = true;
        if (state_value(k, sp + 1, st) < 0) {
            *why = xasprintf("line %zu: '%s' has a bad value", lineno,
                             key_names[k]);
            return -1;
        }
    }
    for (int i = 0; i < KEY_COUNT; i++) {
        if (!seen[i]) {
            *why = xasprintf("the line '%s' is missing", key_names[i]);
            return -1;
        }
    }
    if (st->voting_open && st->package_id[0] == '\0') {
        *why = xstrdup("voting is open without a package");
        return -1;
    }
    return 0;
}

int
station_state_read(const char *path, struct station_state *st, char **why)
{
    char *text = NULL, *reason = NULL;
    size_t len;
    station_state_init(st);
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return 1;
    if (textfile_read(path, "state file", STATE_FILE_MAX, &text, &len, why) < 0)
        return -1;
    int rc = 0;
    if (len > STATE_FILE_MAX) {
        reason = xasprintf("it is larger than %d bytes", STATE_FILE_MAX);
        rc = -1;
    } else {
        rc = state_parse(text, len, st, &reason);
    }
    free(text);
    if (rc < 0) {
        station_state_init(st);
        *why = xasprintf("the state file %s is damaged: %s", path, reason);
        free(reason);
    }
    return rc;
}

int
station_state_write(const char *path, const struct station_state *st,
                    char **why)
{
    char package[160], voting[32];
    if (st->package_id[0] != '\0')
        snprintf(package, sizeof package, "%s %s", st->package_id,
                 st->package_hash);
    else
        snprintf(package, sizeof package, "-");
    if (st->voting_open)
        snprintf(voting, sizeof voting, "open %s", st->open_day);
    else
        snprintf(voting, sizeof voting, "closed");
    char *text = xasprintf(STATION_STATE_FORMAT "\n"
                                                "package %s\n"
                                                "voting %s\n"
                                                "opened %" PRId64 "\n"
                                                "closed %" PRId64 "\n"
                                                "sessions %" PRIu64 "\n"
                                                "stencils %" PRIu64 "\n"
                                                "pin-failures %u\n"
                                                "pin-lockouts %u\n"
                                                "pin-locked-until %" PRId64
                                                "\n",
                           package, voting, st->opened_at, st->closed_at,
                           st->sessions, st->stencils, st->pin_failures,
                           st->pin_lockouts, st->pin_locked_until);
    int rc = atomicfile_write(path, text, strlen(text), 0600, 0, why);
    free(text);
    return rc < 0 ? -1 : 0;
}
