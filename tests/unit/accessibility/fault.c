/*
 * The wrapped library calls of the storage tests (fault.h). The __real_
 * symbols are weak: a test that does not pass -Wl,--wrap=<call> never
 * calls the wrapper, and its link needs no __real_<call>.
 */
#include "tests/unit/accessibility/fault.h"
#include "tests/unit/unit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WEAK __attribute__((weak))

static int fail_at;
static const char *fail_only = "";
static int calls;
static bool injected;
static char trace[64];
static ino_t synced[16];
static size_t n_synced;

void
fault_plan(int n, const char *only)
{
    fail_at = n;
    fail_only = only;
    calls = 0;
    injected = false;
    trace[0] = '\0';
    n_synced = 0;
}

int
fault_teardown(void **state)
{
    fault_plan(0, "");
    return unit_rmtree(*state);
}

bool
fault_injected(void)
{
    return injected;
}

const char *
fault_trace(void)
{
    return trace;
}

bool
fault_synced(ino_t ino)
{
    for (size_t i = 0; i < n_synced; i++)
        if (synced[i] == ino)
            return true;
    return false;
}

static void
trace_add(char step)
{
    size_t n = strlen(trace);
    if (n + 1 < sizeof trace) {
        trace[n] = step;
        trace[n + 1] = '\0';
    }
}

/* True when this call (to NAME) is the one to fail; sets errno. */
static bool
fault(const char *name)
{
    if (fail_at <= 0 || strncmp(name, fail_only, strlen(fail_only)) != 0)
        return false;
    if (++calls != fail_at)
        return false;
    injected = true;
    errno = EIO;
    return true;
}

/* The wrapper of a call that only fails: TYPE __wrap_NAME PARAMS returns
 * FAILED (errno EIO) when the plan says so, else calls the real one. */
#define FAULT_SIMPLE(type, name, params, args, failed)                         \
    type __real_##name params WEAK;                                            \
    type __wrap_##name params;                                                 \
    type __wrap_##name params                                                  \
    {                                                                          \
        return fault(#name) ? failed : __real_##name args;                     \
    }

FAULT_SIMPLE(int, fchmod, (int fd, mode_t mode), (fd, mode), -1)
FAULT_SIMPLE(FILE *, fdopen, (int fd, const char *mode), (fd, mode), NULL)
FAULT_SIMPLE(size_t, fwrite, (const void *p, size_t size, size_t n, FILE *f),
             (p, size, n, f), 0)
FAULT_SIMPLE(int, fflush, (FILE * f), (f), EOF)
FAULT_SIMPLE(int, flock, (int fd, int op), (fd, op), -1)
FAULT_SIMPLE(ssize_t, pread, (int fd, void *buf, size_t n, off_t off),
             (fd, buf, n, off), -1)

int __real_mkostemp(char *tmpl, int flags) WEAK;
int __wrap_mkostemp(char *tmpl, int flags);
int
__wrap_mkostemp(char *tmpl, int flags)
{
    if (fault("mkostemp"))
        return -1;
    int fd = __real_mkostemp(tmpl, flags);
    if (fd >= 0)
        trace_add('T');
    return fd;
}

ssize_t __real_write(int fd, const void *p, size_t n) WEAK;
ssize_t __wrap_write(int fd, const void *p, size_t n);
ssize_t
__wrap_write(int fd, const void *p, size_t n)
{
    if (!fault("write"))
        return __real_write(fd, p, n > 4096 ? 4096 : n);
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && (fl & O_APPEND) && n > 1)
        return __real_write(fd, p, n / 2);
    errno = EIO;
    return -1;
}

int __real_fsync(int fd) WEAK;
int __wrap_fsync(int fd);
int
__wrap_fsync(int fd)
{
    if (fault("fsync"))
        return -1;
    struct stat st;
    int rc = __real_fsync(fd);
    if (rc == 0 && fstat(fd, &st) == 0) {
        trace_add(S_ISDIR(st.st_mode) ? 'D' : 'F');
        if (n_synced < sizeof synced / sizeof synced[0])
            synced[n_synced++] = st.st_ino;
    }
    return rc;
}

int __real_fclose(FILE *f) WEAK;
int __wrap_fclose(FILE *f);
int
__wrap_fclose(FILE *f)
{
    bool fail = fault("fclose");
    int rc = __real_fclose(f);
    if (fail) {
        errno = EIO;
        return EOF;
    }
    return rc;
}

int __real_close(int fd) WEAK;
int __wrap_close(int fd);
int
__wrap_close(int fd)
{
    bool fail = fault("close");
    int rc = __real_close(fd);
    if (fail) {
        errno = EIO;
        return -1;
    }
    return rc;
}

int __real_open(const char *path, int flags, ...) WEAK;
int __wrap_open(const char *path, int flags, ...);
int
__wrap_open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    return fault("open") ? -1 : __real_open(path, flags, mode);
}

int __real_rename(const char *from, const char *to) WEAK;
int __wrap_rename(const char *from, const char *to);
int
__wrap_rename(const char *from, const char *to)
{
    if (fault("rename"))
        return -1;
    int rc = __real_rename(from, to);
    if (rc == 0)
        trace_add('R');
    return rc;
}

int __real_renameat2(int fromfd, const char *from, int tofd, const char *to,
                     unsigned flags) WEAK;
int __wrap_renameat2(int fromfd, const char *from, int tofd, const char *to,
                     unsigned flags);
int
__wrap_renameat2(int fromfd, const char *from, int tofd, const char *to,
                 unsigned flags)
{
    if (fault("renameat2"))
        return -1;
    int rc = __real_renameat2(fromfd, from, tofd, to, flags);
    if (rc == 0)
        trace_add('R');
    return rc;
}
