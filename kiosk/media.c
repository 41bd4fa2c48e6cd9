/*
 * Removable media: scanning a stick and writing to it through a spool
 * (the contract is in media.h). Scanning opens directories with
 * O_NOFOLLOW and files only after fstat() says they are regular and small;
 * a FIFO or a device on a stick is skipped, never opened for reading.
 *
 * The spool: <spool>/.new-<time>-<name>/ while the kiosk fills a job,
 * renamed to <spool>/<time>-<name>/ when complete (so a crash never sends
 * half a job), removed once the stick has it. Names sort by time, so the
 * oldest job goes first.
 */
#include "kiosk/media.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "accessibility/xalloc.h"
#include "ballot/package.h"

#define MEDIA_FILE_MAX ((size_t)1024 * 1024)
#define MEDIA_JOB_FILES 256
#define MEDIA_DEPTH 4
#define MEDIA_ANSWER_SECONDS 120

/* ---- reading -------------------------------------------------------- */

bool
media_present(const char *dir)
{
    struct stat a, b;
    char *parent = xasprintf("%s/..", dir);
    bool mounted = stat(dir, &a) == 0 && S_ISDIR(a.st_mode) &&
                   stat(parent, &b) == 0 && a.st_dev != b.st_dev;
    free(parent);
    if (mounted)
        return true;
    DIR *d = opendir(dir);
    if (d == NULL)
        return false;
    bool any = false;
    struct dirent *e;
    while (!any && (e = readdir(d)) != NULL)
        any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return any;
}

/* Reads NAME under directory DFD, a regular file of at most
 * MEDIA_FILE_MAX bytes, without following links or blocking on a FIFO.
 * Returns the bytes (the caller frees) and *LEN, or NULL. */
static char *
media_read_small(int dfd, const char *name, size_t *len)
{
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (size_t)st.st_size > MEDIA_FILE_MAX) {
        close(fd);
        return NULL;
    }
    char *buf = xmalloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (got != (size_t)st.st_size) {
        free(buf);
        return NULL;
    }
    buf[got] = '\0';
    *len = got;
    return buf;
}

static void
media_hex(const char *buf, size_t len, char hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)buf, len);
    sodium_bin2hex(hex, 65, h, sizeof h);
}

/* Whether NAME can be shown and spoken: no C0 or C1 control, no DEL (a
 * name from a stick reaches the console and the speech). */
static bool
media_printable(const char *name)
{
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        if (*c < 0x20 || *c == 0x7f)
            return false;
        if (c[0] == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f)
            return false;
    }
    return true;
}

static struct media_item *
media_add(struct media_list *l, enum media_kind kind, const char *top,
          const char *rel)
{
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    struct media_item *it = &l->v[l->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->name = xstrdup(rel);
    it->path = strcmp(rel, ".") == 0 ? xstrdup(top)
                                     : xasprintf("%s/%s", top, rel);
    return it;
}

/* Looks at directory DFD (REL under TOP) for a package and configurations. */
static void
media_scan_dir(int dfd, const char *top, const char *rel, struct media_list *l)
{
    size_t len;
    char *json = media_read_small(dfd, "election.json", &len);
    if (json != NULL) {
        struct media_item *it = media_add(l, MEDIA_PACKAGE, top, rel);
        struct election *e = NULL;
        char *why = NULL;
        media_hex(json, len, it->hash);
        if (package_parse(json, len, &e, &why) == 0) {
            it->id = xstrdup(e->id);
            it->date = xstrdup(e->date);
            election_free(e);
        } else {
            size_t first = strcspn(why, "\n");
            it->problem = xstrndup(why, first);
            free(why);
        }
        free(json);
    }
    /* A dup shares the offset: start from the beginning. */
    DIR *d = fdopendir(dup(dfd));
    if (d == NULL)
        return;
    rewinddir(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n < 6 || !media_printable(e->d_name) ||
            strcmp(e->d_name + n - 5, ".json") != 0 ||
            strcmp(e->d_name, "election.json") == 0)
            continue;
        char *buf = media_read_small(dfd, e->d_name, &len);
        if (buf == NULL)
            continue;
        json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, NULL);
        const char *fmt = json_string_value(json_object_get(root, "format"));
        if (fmt != NULL && strcmp(fmt, "dauys-terminal/1") == 0) {
            char *r = strcmp(rel, ".") == 0
                          ? xstrdup(e->d_name)
                          : xasprintf("%s/%s", rel, e->d_name);
            struct media_item *it = media_add(l, MEDIA_TERMINAL, top, r);
            media_hex(buf, len, it->hash);
            free(r);
        }
        json_decref(root);
        free(buf);
    }
    closedir(d);
}

static int
media_cmp(const void *a, const void *b)
{
    const struct media_item *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind == MEDIA_TERMINAL ? -1 : 1;
    return strcmp(x->name, y->name);
}

int
media_scan(const char *dir, struct media_list *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (!media_present(dir))
        return 1;
    int top = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (top < 0) {
        if (why != NULL)
            *why = xasprintf("cannot read %s: %s", dir, strerror(errno));
        return -1;
    }
    media_scan_dir(top, dir, ".", out);
    DIR *d = fdopendir(dup(top));
    if (d == NULL) {
        if (why != NULL)
            *why = xasprintf("cannot read %s: %s", dir, strerror(errno));
        close(top);
        return -1;
    }
    rewinddir(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !media_printable(e->d_name))
            continue;
        int sub = openat(top, e->d_name,
                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0)
            continue;
        media_scan_dir(sub, dir, e->d_name, out);
        close(sub);
    }
    closedir(d);
    close(top);
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, media_cmp);
    return 0;
}

void
media_list_free(struct media_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].path);
        free(l->v[i].name);
        free(l->v[i].id);
        free(l->v[i].date);
        free(l->v[i].problem);
    }
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* ---- the spool ------------------------------------------------------ */

bool
media_path_ok(const char *path)
{
    size_t len = strlen(path);
    int depth = 1;
    if (len == 0 || len > 200)
        return false;
    for (const char *c = path; *c != '\0'; c++) {
        if ((c == path || c[-1] == '/') && (*c == '.' || *c == '/'))
            return false;
        if (*c == '/') {
            if (++depth > 4 || c[1] == '\0')
                return false;
            continue;
        }
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-'))
            return false;
    }
    return true;
}

static bool
media_name_ok(const char *name)
{
    if (name[0] == '\0' || name[0] == '.' || strlen(name) > 64)
        return false;
    for (const char *c = name; *c != '\0'; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-'))
            return false;
    return true;
}

char *
media_job_begin(const char *spool, const char *name, char **why)
{
    if (!media_name_ok(name)) {
        *why = xasprintf("'%s' is not a job name", name);
        return NULL;
    }
    if (mkdir(spool, 0700) != 0 && errno != EEXIST) {
        *why = xasprintf("cannot create the spool %s: %s", spool,
                         strerror(errno));
        return NULL;
    }
    struct timeval tv;
    gettimeofday(&tv, NULL);
    for (int attempt = 0; attempt < 100; attempt++) {
        char *dir = xasprintf("%s/.new-%010lld%06ld%02d-%s", spool,
                              (long long)tv.tv_sec, (long)tv.tv_usec, attempt,
                              name);
        if (mkdir(dir, 0700) == 0)
            return dir;
        int e = errno;
        free(dir);
        if (e != EEXIST) {
            *why = xasprintf("cannot make a job in %s: %s", spool, strerror(e));
            return NULL;
        }
    }
    *why = xasprintf("cannot make a job in %s", spool);
    return NULL;
}

static int
media_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int
media_job_commit(const char *dir, char **why)
{
    const char *slash = strrchr(dir, '/');
    if (slash == NULL || strncmp(slash + 1, ".new-", 5) != 0) {
        *why = xasprintf("%s is not an uncommitted job", dir);
        return -1;
    }
    char *spool = xstrndup(dir, (size_t)(slash - dir));
    char *done = xasprintf("%s/%s", spool, slash + 6);
    int rc = 0;
    /* The files on disk first, then the name that makes the job visible. */
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || syncfs(fd) != 0 || rename(dir, done) != 0 ||
        media_sync_dir(spool) != 0) {
        *why = xasprintf("cannot commit the job %s: %s", dir, strerror(errno));
        rc = -1;
    }
    if (fd >= 0)
        close(fd);
    free(spool);
    free(done);
    return rc;
}

/* Removes DIR and everything under it (no links followed). */
static void
media_rmtree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *p = xasprintf("%s/%s", dir, e->d_name);
            struct stat st;
            if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
                media_rmtree(p);
            else
                unlink(p);
            free(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

void
media_job_abandon(const char *dir)
{
    media_rmtree(dir);
}

/* ---- sending -------------------------------------------------------- */

struct media_files {
    char **rel; /* paths relative to the job */
    size_t n;
};

static int
media_collect(const char *job, const char *rel, int depth,
              struct media_files *f)
{
    char *dir = rel[0] ? xasprintf("%s/%s", job, rel) : xstrdup(job);
    DIR *d = opendir(dir);
    int rc = 0;
    if (d == NULL) {
        free(dir);
        return -1;
    }
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *r = rel[0] ? xasprintf("%s/%s", rel, e->d_name)
                         : xstrdup(e->d_name);
        char *p = xasprintf("%s/%s", job, r);
        struct stat st;
        bool ok = lstat(p, &st) == 0;
        if (ok && S_ISDIR(st.st_mode) && depth < MEDIA_DEPTH)
            rc = media_collect(job, r, depth + 1, f);
        else if (ok && S_ISREG(st.st_mode) && f->n < MEDIA_JOB_FILES) {
            f->rel = xrealloc(f->rel, (f->n + 1) * sizeof *f->rel);
            f->rel[f->n++] = r;
            r = NULL;
        } else
            rc = -1; /* gone, a link, a device, too deep or too many */
        free(p);
        free(r);
    }
    closedir(d);
    free(dir);
    return rc;
}

static void
media_files_free(struct media_files *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->rel[i]);
    free(f->rel);
}

static int
media_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum media_error
media_code(const char *code)
{
    if (strcmp(code, "NOMEDIA") == 0)
        return MEDIA_NOMEDIA;
    if (strcmp(code, "GONE") == 0)
        return MEDIA_GONE;
    if (strcmp(code, "NOSPACE") == 0)
        return MEDIA_NOSPACE;
    return MEDIA_FAILED;
}

static enum media_error
media_errno(int e)
{
    switch (e) {
    case ENOSPC:
    case EDQUOT:
        return MEDIA_NOSPACE;
    case EIO:
    case ENODEV:
    case ENXIO:
    case ENOENT:
    case EROFS:
        return MEDIA_GONE;
    default:
        return MEDIA_FAILED;
    }
}

/* Sends one message with at most one descriptor FD (-1: none). */
static int
media_sendmsg(int sock, const char *text, int fd)
{
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = {(void *)text, strlen(text)};
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (fd >= 0) {
        memset(&ctl, 0, sizeof ctl);
        msg.msg_control = ctl.buf;
        msg.msg_controllen = sizeof ctl.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof fd);
    }
    return sendmsg(sock, &msg, MSG_NOSIGNAL) == (ssize_t)iov.iov_len ? 0 : -1;
}

/* Reads the helper's answer on SOCK: MEDIA_OK with *BYTES, or an error
 * with *WHY. */
static enum media_error
media_answer(int sock, long long *bytes, char **why)
{
    char ans[512];
    ssize_t n = recv(sock, ans, sizeof ans - 1, 0);
    if (n <= 0) {
        *why = n == 0 ? xstrdup("the stick helper stopped without an answer")
                      : xasprintf("no answer from the stick helper: %s",
                                  strerror(errno));
        return MEDIA_FAILED;
    }
    ans[n] = '\0';
    if (strncmp(ans, "OK ", 3) == 0) {
        /* "OK <files> <bytes>" */
        char *end;
        (void)strtoll(ans + 3, &end, 10);
        *bytes = strtoll(end, NULL, 10);
        return MEDIA_OK;
    }
    if (strncmp(ans, "ERR ", 4) == 0) {
        char code[16];
        size_t len = strcspn(ans + 4, " ");
        snprintf(code, sizeof code, "%.*s", (int)len, ans + 4);
        const char *text = ans + 4 + len;
        *why = xstrdup(text[0] == ' ' ? text + 1 : text);
        return media_code(code);
    }
    *why = xasprintf("the stick helper said: %.200s", ans);
    return MEDIA_FAILED;
}

/* Hands the files F of JOB to the helper at SOCKET. */
static enum media_error
media_send_helper(const char *socket_path, const char *job,
                  const struct media_files *f, long long *bytes, char **why)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(socket_path) >= sizeof sa.sun_path) {
        *why = xasprintf("the socket path %s is too long", socket_path);
        return MEDIA_FAILED;
    }
    memcpy(sa.sun_path, socket_path, strlen(socket_path) + 1);
    int sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (sock < 0 || connect(sock, (struct sockaddr *)&sa, sizeof sa) != 0) {
        *why = xasprintf("the stick helper %s does not answer: %s", socket_path,
                         strerror(errno));
        if (sock >= 0)
            close(sock);
        return MEDIA_FAILED;
    }
    struct timeval tv = {MEDIA_ANSWER_SECONDS, 0};
    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    enum media_error rc = MEDIA_FAILED;
    for (size_t i = 0; i < f->n; i++) {
        char *p = xasprintf("%s/%s", job, f->rel[i]);
        int fd = open(p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        free(p);
        char *msg = xasprintf("PUT %s", f->rel[i]);
        int sent = fd >= 0 ? media_sendmsg(sock, msg, fd) : -1;
        int e = errno;
        free(msg);
        if (fd >= 0)
            close(fd);
        if (sent != 0) {
            /* The helper may have refused and gone: its answer says why. */
            rc = media_answer(sock, bytes, why);
            if (*why == NULL || rc == MEDIA_OK) {
                free(*why);
                rc = MEDIA_FAILED;
                *why = xasprintf("cannot hand %s to the stick helper: %s",
                                 f->rel[i], strerror(e));
            }
            goto out;
        }
    }
    if (media_sendmsg(sock, "DONE", -1) != 0) {
        int e = errno;
        rc = media_answer(sock, bytes, why);
        if (*why == NULL || rc == MEDIA_OK) {
            free(*why);
            rc = MEDIA_FAILED;
            *why = xasprintf("cannot talk to the stick helper: %s",
                             strerror(e));
        }
        goto out;
    }
    rc = media_answer(sock, bytes, why);
out:
    close(sock);
    return rc;
}

/* Copies SRC into DST via DST.part, fsynced, renamed. Returns 0 or -1. */
static int
media_copy_file(const char *src, const char *dst)
{
    char buf[65536];
    char *part = xasprintf("%s.part", dst);
    int in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    int out = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                   0644);
    int rc = -1, e = 0;
    if (in < 0 || out < 0)
        goto out;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto out;
        if (n == 0)
            break;
        for (ssize_t w = 0; w < n;) {
            ssize_t m = write(out, buf + w, (size_t)(n - w));
            if (m < 0 && errno == EINTR)
                continue;
            if (m < 0)
                goto out;
            w += m;
        }
    }
    if (fsync(out) != 0)
        goto out;
    if (close(out) != 0) {
        out = -1;
        goto out;
    }
    out = -1;
    if (rename(part, dst) != 0)
        goto out;
    rc = 0;
out:
    e = errno;
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    if (rc != 0)
        unlink(part);
    free(part);
    errno = e;
    return rc;
}

/* Copies the files F of JOB straight into DIR (no helper). */
static enum media_error
media_send_direct(const char *dir, const char *job, const struct media_files *f,
                  long long *bytes, char **why)
{
    if (!media_present(dir)) {
        *why = xasprintf("no stick at %s", dir);
        return MEDIA_NOMEDIA;
    }
    for (size_t i = 0; i < f->n; i++) {
        char *dst = xasprintf("%s/%s", dir, f->rel[i]);
        for (char *s = strchr(dst + strlen(dir) + 1, '/'); s != NULL;
             s = strchr(s + 1, '/')) {
            *s = '\0';
            if (mkdir(dst, 0755) != 0 && errno != EEXIST) {
                int e = errno;
                *why = xasprintf("%s: %s", dst, strerror(e));
                free(dst);
                return media_errno(e);
            }
            *s = '/';
        }
        char *src = xasprintf("%s/%s", job, f->rel[i]);
        struct stat st;
        int rc = media_copy_file(src, dst);
        int e = errno;
        if (rc == 0 && stat(dst, &st) == 0)
            *bytes += st.st_size;
        free(src);
        if (rc != 0) {
            *why = xasprintf("%s: %s", dst, strerror(e));
            free(dst);
            return media_errno(e);
        }
        char *slash = strrchr(dst, '/');
        *slash = '\0';
        media_sync_dir(dst);
        free(dst);
    }
    return MEDIA_OK;
}

enum media_error
media_flush(const char *spool, const char *socket, const char *media_dir,
            struct media_report *r, char **why)
{
    memset(r, 0, sizeof *r);
    DIR *d = opendir(spool);
    if (d == NULL) {
        if (errno == ENOENT)
            return MEDIA_OK;
        *why = xasprintf("cannot read the spool %s: %s", spool,
                         strerror(errno));
        return MEDIA_FAILED;
    }
    struct media_files jobs = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        jobs.rel = xrealloc(jobs.rel, (jobs.n + 1) * sizeof *jobs.rel);
        jobs.rel[jobs.n++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (jobs.n > 1)
        qsort(jobs.rel, jobs.n, sizeof *jobs.rel, media_cmp_str);
    struct stat st;
    bool helper = socket != NULL && stat(socket, &st) == 0 &&
                  S_ISSOCK(st.st_mode);
    enum media_error rc = MEDIA_OK;
    size_t i;
    for (i = 0; i < jobs.n && rc == MEDIA_OK; i++) {
        char *job = xasprintf("%s/%s", spool, jobs.rel[i]);
        struct media_files f = {0};
        long long bytes = 0;
        if (media_collect(job, "", 0, &f) != 0) {
            *why = xasprintf("the job %s holds something that is not a "
                             "file",
                             job);
            rc = MEDIA_FAILED;
        } else {
            if (f.n > 1)
                qsort(f.rel, f.n, sizeof *f.rel, media_cmp_str);
            rc = helper ? media_send_helper(socket, job, &f, &bytes, why)
                        : media_send_direct(media_dir, job, &f, &bytes, why);
        }
        if (rc == MEDIA_OK) {
            media_rmtree(job);
            media_sync_dir(spool);
            r->jobs_sent++;
            r->files += (long long)f.n;
            r->bytes += bytes;
        }
        media_files_free(&f);
        free(job);
    }
    r->jobs_left = (int)(jobs.n - (size_t)r->jobs_sent);
    media_files_free(&jobs);
    return rc;
}
