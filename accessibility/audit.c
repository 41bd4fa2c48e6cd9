/*
 * The hash-chained audit trail (see audit.h).
 *
 * An append reads only the last line of the log (the tail of the file, at
 * most two line lengths) to learn the sequence number and the hash to
 * chain to; it trusts that line's HASH field and leaves checking the whole
 * chain to audit_verify(), so an edited line never stops the next staff
 * action from being recorded, while an incomplete last line does (nothing
 * can be chained to it; staff are told to call the administrator). All of
 * it happens under an exclusive flock(2) on the open log; a process that
 * waited for the lock while another renamed the log away (a log from
 * before the chain) notices that its descriptor is no longer the file at
 * PATH and opens it again.
 */
#include "accessibility/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "accessibility/atomicfile.h"
#include "accessibility/textfile.h"
#include "accessibility/utf8.h"
#include "accessibility/xalloc.h"

/* The longest line: six fields at their longest, tabs and the newline. */
#define AUDIT_LINE_MAX                                                         \
    (20 + 1 + 20 + 1 + AUDIT_ACTOR_MAX + 1 + AUDIT_ACTION_MAX + 1 +            \
     AUDIT_HASH_HEX + 1 + AUDIT_HASH_HEX + 1)
#define AUDIT_DOMAIN "dauys-audit/1\n"
#define AUDIT_ZEROS                                                            \
    "0000000000000000000000000000000000000000000000000000000000000000"

/* One parsed line; the pointers point into the line. */
struct audit_entry {
    uint64_t seq;
    const char *prev;  /* AUDIT_HASH_HEX hex digits */
    const char *hash;  /* AUDIT_HASH_HEX hex digits */
    size_t hashed_len; /* bytes of the line covered by HASH */
};

char *
audit_path(const char *data_dir)
{
    return xasprintf("%s/audit.log", data_dir);
}

/* Copies IN into OUT (MAX + 1 bytes) as one line of valid UTF-8: control
 * characters become spaces, invalid bytes '?', cut at MAX bytes on a
 * character boundary; an empty result becomes "-". */
static void
audit_clean(const char *in, size_t max, char *out)
{
    size_t len = strlen(in), n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        int k = utf8_decode(in + i, len - i, &cp);
        const char *src = in + i;
        size_t sl = (size_t)k;
        if (k < 0) {
            src = "?";
            sl = 1;
            k = 1;
        } else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 ||
                   cp == 0x2029) {
            /* C0, DEL, C1 and the Unicode line separators. */
            src = " ";
            sl = 1;
        }
        if (n + sl > max)
            break;
        memcpy(out + n, src, sl);
        n += sl;
        i += (size_t)k;
    }
    if (n == 0)
        out[n++] = '-';
    out[n] = '\0';
}

static bool
audit_is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* Parses the N digits at S (1, 2, ...; no leading zero) into *SEQ.
 * Returns 0 or -1. */
static int
audit_parse_seq(const char *s, size_t n, uint64_t *seq)
{
    uint64_t v = 0;
    if (n == 0 || n > 20 || s[0] == '0')
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (d > 9 || v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *seq = v;
    return 0;
}

/* Parses the LEN bytes at LINE (without its newline) into *E. Returns 0,
 * or -1 when it is not an audit entry. */
static int
audit_parse(const char *line, size_t len, struct audit_entry *e)
{
    const char *field[6];
    size_t flen[6], nf = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && line[i] != '\t')
            continue;
        if (nf == 6)
            return -1;
        field[nf] = line + start;
        flen[nf++] = i - start;
        start = i + 1;
    }
    if (nf != 6 || flen[4] != AUDIT_HASH_HEX || flen[5] != AUDIT_HASH_HEX ||
        !audit_is_hex(field[4], AUDIT_HASH_HEX) ||
        !audit_is_hex(field[5], AUDIT_HASH_HEX))
        return -1;
    if (audit_parse_seq(field[0], flen[0], &e->seq) < 0)
        return -1;
    e->prev = field[4];
    e->hash = field[5];
    e->hashed_len = (size_t)(field[5] - line);
    return 0;
}

/* OUT (AUDIT_HASH_HEX + 1 bytes) = the hash of the first LEN bytes of
 * LINE. */
static void
audit_hash(const char *line, size_t len, char out[AUDIT_HASH_HEX + 1])
{
    unsigned char h[AUDIT_HASH_HEX / 2];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)AUDIT_DOMAIN,
                              strlen(AUDIT_DOMAIN));
    crypto_generichash_update(&st, (const unsigned char *)line, len);
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out, AUDIT_HASH_HEX + 1, h, sizeof h);
}

/* True when LINE looks like a line of the log from before the chain:
 * "YYYY-MM-DDTHH:MM:SSZ action". */
static bool
audit_is_legacy(const char *line, size_t len)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ ";
    if (len < sizeof shape - 1)
        return false;
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        bool digit = line[i] >= '0' && line[i] <= '9';
        if (shape[i] == 'd' ? !digit : line[i] != shape[i])
            return false;
    }
    return true;
}

/* Opens PATH for reading, refusing at once anything but a regular file (a
 * named pipe must not hang `dauys audit verify`). Returns the stream, or
 * NULL: with *WHY set when PATH exists but cannot be read, with *WHY
 * untouched (NULL) when it does not exist. */
static FILE *
audit_fopen(const char *path, char **why)
{
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return NULL;
    char *reason = NULL;
    int fd = textfile_open(path, &reason);
    if (fd < 0) {
        *why = xasprintf("cannot read %s: %s", path, reason);
        free(reason);
        return NULL;
    }
    FILE *f = fdopen(fd, "r");
    if (f == NULL) {
        *why = xasprintf("cannot read %s: %s", path, strerror(errno));
        (void)close(fd);
    }
    return f;
}

/* Reads PATH.head into *H. Returns 1 when there is none, 0, AUDIT_ERROR
 * or AUDIT_DAMAGED, with *WHY. */
static int
audit_read_head(const char *path, struct audit_head *h, char **why)
{
    char *hp = xasprintf("%s.head", path);
    char buf[AUDIT_HASH_HEX + 32];
    int rc = 1;
    char *w = NULL;
    FILE *f = audit_fopen(hp, &w);
    if (f == NULL) {
        if (w != NULL) {
            *why = w;
            rc = AUDIT_ERROR;
        }
        goto out;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    bool err = ferror(f) != 0;
    (void)fclose(f);
    if (err) {
        *why = xasprintf("cannot read %s", hp);
        rc = AUDIT_ERROR;
        goto out;
    }
    /* "SEQ HASH\n" */
    char *sp = memchr(buf, ' ', n);
    if (sp == NULL || n != (size_t)(sp - buf) + 1 + AUDIT_HASH_HEX + 1 ||
        buf[n - 1] != '\n' ||
        audit_parse_seq(buf, (size_t)(sp - buf), &h->seq) < 0 ||
        !audit_is_hex(sp + 1, AUDIT_HASH_HEX)) {
        *why = xasprintf("%s is damaged", hp);
        rc = AUDIT_DAMAGED;
        goto out;
    }
    memcpy(h->hash, sp + 1, AUDIT_HASH_HEX);
    h->hash[AUDIT_HASH_HEX] = '\0';
    rc = 0;
out:
    free(hp);
    return rc;
}

int
audit_head_read(const char *path, struct audit_head *head, char **why)
{
    return audit_read_head(path, head, why);
}

/* Reads LEN bytes at OFF of FD into BUF. Returns 0 or an errno value. */
static int
audit_pread(int fd, char *buf, size_t len, off_t off)
{
    while (len > 0) {
        ssize_t r = pread(fd, buf, len, off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r < 0 ? errno : EIO;
        buf += r;
        len -= (size_t)r;
        off += r;
    }
    return 0;
}

/*
 * Renames the log from before the chain, open and locked as FD (SIZE
 * bytes), to PATH.old (or PATH.old.N when taken) and fills *NOTE (the
 * caller frees) with the first entry of the new chain. Returns 0 or
 * AUDIT_ERROR with *WHY.
 */
static int
audit_keep_legacy(int fd, const char *path, off_t size, char **note, char **why)
{
    unsigned char h[AUDIT_HASH_HEX / 2];
    char hex[AUDIT_HASH_HEX + 1], buf[4096];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    for (off_t off = 0; off < size;) {
        size_t n = size - off < (off_t)sizeof buf ? (size_t)(size - off)
                                                  : sizeof buf;
        int err = audit_pread(fd, buf, n, off);
        if (err != 0) {
            *why = xasprintf("cannot read %s: %s", path, strerror(err));
            return AUDIT_ERROR;
        }
        crypto_generichash_update(&st, (const unsigned char *)buf, n);
        off += (off_t)n;
    }
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    for (int i = 1; i < 100; i++) {
        char *old = i == 1 ? xasprintf("%s.old", path)
                           : xasprintf("%s.old.%d", path, i);
        if (renameat2(AT_FDCWD, path, AT_FDCWD, old, RENAME_NOREPLACE) == 0) {
            const char *name = strrchr(old, '/');
            *note = xasprintf("audit: the log from before the hash chain is "
                              "kept as %s (%lld bytes, BLAKE2b-256 %s)",
                              name != NULL ? name + 1 : old, (long long)size,
                              hex);
            free(old);
            return 0;
        }
        int err = errno;
        if (err != EEXIST) {
            *why = xasprintf("cannot rename %s to %s: %s", path, old,
                             strerror(err));
            free(old);
            return AUDIT_ERROR;
        }
        free(old);
    }
    *why = xasprintf("cannot keep the old %s: too many old logs", path);
    return AUDIT_ERROR;
}

/*
 * Opens PATH (creating it) and locks it; returns the descriptor and its
 * size in *SIZE, or -1 with *WHY.
 */
static int
audit_lock(const char *path, off_t *size, char **why)
{
    for (int tries = 0; tries < 20; tries++) {
        int fd = open(path,
                      O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
                      0600);
        if (fd < 0) {
            *why = xasprintf("cannot open the audit log %s: %s", path,
                             strerror(errno));
            return -1;
        }
        int r;
        while ((r = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
            ;
        struct stat a, b;
        if (r != 0 || fstat(fd, &a) != 0) {
            *why = xasprintf("cannot lock the audit log %s: %s", path,
                             strerror(errno));
            (void)close(fd);
            return -1;
        }
        /* Still the file at PATH, not one renamed away meanwhile? */
        if (stat(path, &b) == 0 && a.st_dev == b.st_dev &&
            a.st_ino == b.st_ino) {
            *size = a.st_size;
            return fd;
        }
        (void)close(fd);
    }
    *why = xasprintf("cannot lock the audit log %s: it keeps being replaced",
                     path);
    return -1;
}

/*
 * Reads the last entry of the locked log FD (SIZE > 0 bytes) into *H.
 * Returns 0, 1 when the log is one from before the chain, or
 * AUDIT_ERROR / AUDIT_DAMAGED with *WHY.
 */
static int
audit_last(int fd, const char *path, off_t size, struct audit_head *h,
           char **why)
{
    char buf[2 * AUDIT_LINE_MAX + 1];
    size_t n = size < (off_t)sizeof buf - 1 ? (size_t)size : sizeof buf - 1;
    int err = audit_pread(fd, buf, n, size - (off_t)n);
    if (err != 0) {
        *why = xasprintf("cannot read the audit log %s: %s", path,
                         strerror(err));
        return AUDIT_ERROR;
    }
    buf[n] = '\0';
    if (buf[n - 1] != '\n') {
        *why = xasprintf("the last line of the audit log %s is incomplete; "
                         "nothing more can be recorded until the "
                         "administrator has checked it (dauys audit verify)",
                         path);
        return AUDIT_DAMAGED;
    }
    size_t start = n - 1;
    while (start > 0 && buf[start - 1] != '\n')
        start--;
    struct audit_entry e;
    if ((start > 0 || (off_t)n == size) &&
        audit_parse(buf + start, n - 1 - start, &e) == 0) {
        h->seq = e.seq;
        memcpy(h->hash, e.hash, AUDIT_HASH_HEX);
        h->hash[AUDIT_HASH_HEX] = '\0';
        return 0;
    }
    /* A log from before the chain: its first and last lines have the old
     * shape, and no head was ever written. */
    char first[AUDIT_LINE_MAX];
    size_t fn = size < (off_t)sizeof first ? (size_t)size : sizeof first;
    struct audit_head ignored;
    char *hwhy = NULL;
    if (audit_is_legacy(buf + start, n - 1 - start) &&
        audit_pread(fd, first, fn, 0) == 0 && audit_is_legacy(first, fn) &&
        audit_read_head(path, &ignored, &hwhy) == 1)
        return 1;
    free(hwhy);
    *why = xasprintf("the last line of the audit log %s is not an audit "
                     "entry; nothing more can be recorded until the "
                     "administrator has checked it (dauys audit verify)",
                     path);
    return AUDIT_DAMAGED;
}

/*
 * Appends one entry after *H to the locked log FD, whose size is *SIZE;
 * on success updates *H and *SIZE. A failed or short write is cut back
 * off. Returns 0 or AUDIT_ERROR with *WHY.
 */
static int
audit_write_entry(int fd, const char *path, off_t *size, struct audit_head *h,
                  const char *stamp, const char *actor, const char *action,
                  char **why)
{
    char line[AUDIT_LINE_MAX + 1];
    int n = snprintf(line, sizeof line, "%llu\t%s\t%s\t%s\t%s\t",
                     (unsigned long long)h->seq + 1, stamp, actor, action,
                     h->hash);
    if (n < 0 || (size_t)n + AUDIT_HASH_HEX + 1 >= sizeof line) {
        *why = xasprintf("an audit entry for %s is too long", path);
        return AUDIT_ERROR;
    }
    audit_hash(line, (size_t)n, line + n);
    size_t len = (size_t)n + AUDIT_HASH_HEX;
    line[len++] = '\n';
    ssize_t w;
    while ((w = write(fd, line, len)) < 0 && errno == EINTR)
        ;
    if (w < 0 || (size_t)w != len) {
        int err = w < 0 ? errno : ENOSPC;
        /* Leave no half line that every later append would refuse. */
        if (w > 0)
            (void)ftruncate(fd, *size);
        *why = xasprintf("cannot write to the audit log %s: %s", path,
                         strerror(err));
        return AUDIT_ERROR;
    }
    *size += (off_t)len;
    h->seq++;
    memcpy(h->hash, line + n, AUDIT_HASH_HEX);
    if (fsync(fd) != 0) {
        *why = xasprintf("entry %llu of the audit log %s was written but "
                         "cannot be synced: %s",
                         (unsigned long long)h->seq, path, strerror(errno));
        return AUDIT_ERROR;
    }
    return 0;
}

int
audit_append(const char *path, int64_t now, const char *actor,
             const char *action, struct audit_head *head, char **why)
{
    char who[AUDIT_ACTOR_MAX + 1], what[AUDIT_ACTION_MAX + 1], stamp[32];
    char *note = NULL, *hp = NULL;
    struct audit_head h = {.seq = 0, .hash = AUDIT_ZEROS};
    time_t t = (time_t)now;
    struct tm tm;
    int rc = AUDIT_ERROR, fd = -1;
    off_t size = 0;
    if (sodium_init() < 0) {
        *why = xstrdup("libsodium cannot start");
        return AUDIT_ERROR;
    }
    if (gmtime_r(&t, &tm) == NULL ||
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        *why = xasprintf("the time %lld cannot be written", (long long)now);
        return AUDIT_ERROR;
    }
    audit_clean(actor, AUDIT_ACTOR_MAX, who);
    audit_clean(action, AUDIT_ACTION_MAX, what);
    for (;;) {
        fd = audit_lock(path, &size, why);
        if (fd < 0)
            goto out;
        if (size == 0)
            break;
        int r = audit_last(fd, path, size, &h, why);
        if (r < 0) {
            rc = r;
            goto out;
        }
        if (r == 0)
            break;
        /* The log from before the chain: keep it, start a new one. */
        if (note != NULL) {
            *why = xasprintf("the audit log %s was replaced by another log "
                             "from before the hash chain",
                             path);
            goto out;
        }
        if (audit_keep_legacy(fd, path, size, &note, why) < 0)
            goto out;
        (void)close(fd); /* audit_lock() opens the new log */
    }
    if (note != NULL &&
        audit_write_entry(fd, path, &size, &h, stamp, "dauys", note, why) < 0)
        goto out;
    if (audit_write_entry(fd, path, &size, &h, stamp, who, what, why) < 0)
        goto out;
    /* The head, for audit_verify() to find a cut-off end. */
    hp = xasprintf("%s.head", path);
    char line[AUDIT_HASH_HEX + 32];
    int n = snprintf(line, sizeof line, "%llu %s\n", (unsigned long long)h.seq,
                     h.hash);
    char *hwhy = NULL;
    if (atomicfile_write(hp, line, (size_t)n, 0600, 0, &hwhy) < 0) {
        *why = xasprintf("entry %llu of the audit log was written, but its "
                         "head was not: %s",
                         (unsigned long long)h.seq, hwhy);
        free(hwhy);
        goto out;
    }
    if (head != NULL)
        *head = h;
    rc = 0;
out:
    if (fd >= 0 && close(fd) != 0 && rc == 0) {
        *why = xasprintf("cannot close the audit log %s: %s", path,
                         strerror(errno));
        rc = AUDIT_ERROR;
    }
    free(hp);
    free(note);
    return rc;
}

int
audit_verify(const char *path, struct audit_head *head, char **why)
{
    struct audit_head want = {0}, h = {.seq = 0, .hash = AUDIT_ZEROS};
    char *line = NULL, *hp = xasprintf("%s.head", path);
    size_t cap = 0;
    uint64_t lineno = 0;
    bool reached = false;
    int rc = AUDIT_DAMAGED;
    FILE *f = NULL;
    if (sodium_init() < 0) {
        *why = xstrdup("libsodium cannot start");
        rc = AUDIT_ERROR;
        goto out;
    }
    int hr = audit_read_head(path, &want, why);
    if (hr < 0) {
        rc = hr;
        goto out;
    }
    char *w = NULL;
    f = audit_fopen(path, &w);
    if (f == NULL && w != NULL) {
        *why = w;
        rc = AUDIT_ERROR;
        goto out;
    }
    ssize_t len;
    while (f != NULL && (len = getline(&line, &cap, f)) > 0) {
        struct audit_entry e;
        char hash[AUDIT_HASH_HEX + 1];
        lineno++;
        if (line[len - 1] != '\n') {
            *why = xasprintf("line %llu of %s is incomplete (a write was "
                             "cut short)",
                             (unsigned long long)lineno, path);
            goto out;
        }
        if (audit_parse(line, (size_t)len - 1, &e) < 0) {
            if (lineno == 1 && audit_is_legacy(line, (size_t)len))
                *why = xasprintf("%s is a log from before the hash chain; "
                                 "it cannot be verified (the next staff "
                                 "action keeps it as %s.old and starts the "
                                 "chain)",
                                 path, path);
            else
                *why = xasprintf("line %llu of %s is not an audit entry",
                                 (unsigned long long)lineno, path);
            goto out;
        }
        audit_hash(line, e.hashed_len, hash);
        if (memcmp(hash, e.hash, AUDIT_HASH_HEX) != 0) {
            *why = xasprintf("line %llu of %s (entry %llu) was edited",
                             (unsigned long long)lineno, path,
                             (unsigned long long)e.seq);
            goto out;
        }
        if (e.seq != h.seq + 1) {
            *why = xasprintf("line %llu of %s holds entry %llu where entry "
                             "%llu belongs: lines were removed or moved",
                             (unsigned long long)lineno, path,
                             (unsigned long long)e.seq,
                             (unsigned long long)h.seq + 1);
            goto out;
        }
        if (memcmp(e.prev, h.hash, AUDIT_HASH_HEX) != 0) {
            *why = xasprintf("line %llu of %s (entry %llu) does not follow "
                             "the line before it: lines were removed, "
                             "inserted or moved",
                             (unsigned long long)lineno, path,
                             (unsigned long long)e.seq);
            goto out;
        }
        h.seq = e.seq;
        memcpy(h.hash, hash, AUDIT_HASH_HEX);
        if (hr == 0 && h.seq == want.seq) {
            if (memcmp(h.hash, want.hash, AUDIT_HASH_HEX) != 0) {
                *why = xasprintf("line %llu of %s (entry %llu) is not the "
                                 "entry recorded in %s: the log was "
                                 "rewritten",
                                 (unsigned long long)lineno, path,
                                 (unsigned long long)h.seq, hp);
                goto out;
            }
            reached = true;
        }
    }
    if (f != NULL && ferror(f)) {
        *why = xasprintf("cannot read the audit log %s: %s", path,
                         strerror(errno));
        rc = AUDIT_ERROR;
        goto out;
    }
    if (hr == 0 && !reached) {
        *why = xasprintf("%s ends at entry %llu, but entry %llu was written "
                         "(%s): the end was cut off",
                         path, (unsigned long long)h.seq,
                         (unsigned long long)want.seq, hp);
        goto out;
    }
    /* Without a head only a crash right after the first entry is
     * innocent. */
    if (hr == 1 && h.seq > 1) {
        *why = xasprintf("%s is missing, so a cut-off end of %s cannot be "
                         "ruled out",
                         hp, path);
        goto out;
    }
    if (head != NULL)
        *head = h;
    rc = 0;
out:
    if (f != NULL)
        (void)fclose(f);
    free(line);
    free(hp);
    return rc;
}
