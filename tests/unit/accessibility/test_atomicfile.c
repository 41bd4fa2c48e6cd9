/*
 * Atomic file replacement as a reader after a crash would see it: the
 * target holds the old content or the new one, whole, with the mode asked
 * for, and no temporary file is left in the folder.
 *
 * Fault injection, SQLite style: the library calls the helper makes
 * (mkostemp, fchmod, fdopen, write, fwrite, fflush, fsync, fclose,
 * rename, renameat2, open, close) are wrapped at link time (-Wl,--wrap=..., see
 * TEST_LDFLAGS in the Makefile); the wrappers fail the Nth call with EIO,
 * and the test loops over N until a write succeeds untouched. Every
 * failure must be reported, leave no temporary file, and leave the old
 * content unless the rename had already happened. The wrappers also keep
 * a trace of the steps (temporary file made, file fsync'd, renamed,
 * folder fsync'd) so that a helper that skips the folder's fsync fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "accessibility/atomicfile.h"
#include "tests/unit/unit.h"

static char dir[256], target[300];

/* The fault plan: fail call number fail_at (counting from 1) among the
 * wrapped calls whose name starts with fail_only ("" for all). */
static int fail_at;
static const char *fail_only = "";
static int calls;
static bool injected;
static char trace[64];

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

int __real_mkostemp(char *tmpl, int flags);
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

int __real_fchmod(int fd, mode_t mode);
int __wrap_fchmod(int fd, mode_t mode);
int
__wrap_fchmod(int fd, mode_t mode)
{
    return fault("fchmod") ? -1 : __real_fchmod(fd, mode);
}

FILE *__real_fdopen(int fd, const char *mode);
FILE *__wrap_fdopen(int fd, const char *mode);
FILE *
__wrap_fdopen(int fd, const char *mode)
{
    return fault("fdopen") ? NULL : __real_fdopen(fd, mode);
}

size_t __real_fwrite(const void *p, size_t size, size_t n, FILE *f);
size_t __wrap_fwrite(const void *p, size_t size, size_t n, FILE *f);
size_t
__wrap_fwrite(const void *p, size_t size, size_t n, FILE *f)
{
    return fault("fwrite") ? 0 : __real_fwrite(p, size, n, f);
}

ssize_t __real_write(int fd, const void *p, size_t n);
ssize_t __wrap_write(int fd, const void *p, size_t n);
ssize_t
__wrap_write(int fd, const void *p, size_t n)
{
    /* A short write first, then the failure: the helper must go on after
     * the one and stop at the other. */
    if (fault("write"))
        return -1;
    return __real_write(fd, p, n > 4096 ? 4096 : n);
}

int __real_fflush(FILE *f);
int __wrap_fflush(FILE *f);
int
__wrap_fflush(FILE *f)
{
    return fault("fflush") ? EOF : __real_fflush(f);
}

int __real_fsync(int fd);
int __wrap_fsync(int fd);
int
__wrap_fsync(int fd)
{
    if (fault("fsync"))
        return -1;
    struct stat st;
    int rc = __real_fsync(fd);
    if (rc == 0 && fstat(fd, &st) == 0)
        trace_add(S_ISDIR(st.st_mode) ? 'D' : 'F');
    return rc;
}

/* A failed fclose() or close() still releases the file, as the real ones
 * do on EIO. */
int __real_fclose(FILE *f);
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

int __real_close(int fd);
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

int __real_open(const char *path, int flags, ...);
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

int __real_rename(const char *from, const char *to);
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
                     unsigned flags);
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

static void
plan(int n, const char *only)
{
    fail_at = n;
    fail_only = only;
    calls = 0;
    injected = false;
    trace[0] = '\0';
}

static int
setup(void **state)
{
    (void)state;
    if (unit_tmpdir(dir, sizeof dir, "dauys-atomic") < 0)
        return -1;
    snprintf(target, sizeof target, "%s/election.json", dir);
    plan(0, "");
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    plan(0, "");
    return unit_rmtree(dir);
}

/* Writes TEXT to the target directly (the "old" content). */
static void
put(const char *text)
{
    FILE *f = fopen(target, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* Returns the target's content (static buffer), or NULL if it is gone. */
static const char *
content(void)
{
    static char buf[32768];
    FILE *f = fopen(target, "r");
    if (f == NULL)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    assert_int_equal(ferror(f), 0);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* The number of entries in the folder other than the target. */
static int
strays(void)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
            strcmp(e->d_name, "election.json") != 0)
            n++;
    }
    closedir(d);
    return n;
}

/* The new content: larger than a stdio buffer, so that it is written in
 * several pieces. */
static char *
new_text(void)
{
    size_t len = 20000;
    char *s = malloc(len + 1);
    assert_non_null(s);
    for (size_t i = 0; i < len; i++)
        s[i] = (char)('a' + i % 26);
    s[len - 1] = '\n';
    s[len] = '\0';
    return s;
}

static void
test_write_replaces_the_whole_file_with_its_mode(void **state)
{
    (void)state;
    put("old\n");
    char *text = new_text();
    char *why = NULL;
    mode_t old_mask = umask(077);
    plan(0, "");
    int rc = atomicfile_write(target, text, strlen(text), 0644, 0, &why);
    umask(old_mask);
    if (rc != 0)
        fail_msg("atomicfile_write: %s", why);
    assert_string_equal(content(), text);
    struct stat st;
    assert_int_equal(stat(target, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    assert_int_equal(strays(), 0);
    /* Made, fsync'd, renamed, and then the folder fsync'd. */
    const char *t = strchr(trace, 'T'), *f = strchr(trace, 'F'),
               *r = strchr(trace, 'R'), *d = strrchr(trace, 'D');
    if (t == NULL || f == NULL || r == NULL || d == NULL || !(t < f) ||
        !(f < r) || !(r < d))
        fail_msg("the steps were '%s', not T..F..R..D", trace);
    free(text);
}

/* Runs one write of TEXT in the given FORM (0: atomicfile_write, 1: the
 * streaming form in pieces). Returns its result and fills *WHY. */
static int
write_in_form(int form, const char *text, char **why)
{
    if (form == 0)
        return atomicfile_write(target, text, strlen(text), 0600, 0, why);
    struct atomicfile *af = NULL;
    int rc = atomicfile_open(target, 0600, 0, &af, why);
    if (rc < 0)
        return rc;
    FILE *f = atomicfile_stream(af);
    for (const char *p = text; *p != '\0'; p += strcspn(p, "\n") + 1) {
        size_t n = strcspn(p, "\n") + 1;
        if (fwrite(p, 1, n, f) != n) {
            if (asprintf(why, "%s: the caller's write failed", target) < 0)
                *why = NULL;
            atomicfile_abort(af);
            return -EIO;
        }
        if (p[n - 1] == '\0')
            break;
    }
    return atomicfile_commit(af, why);
}

static void
test_every_failure_leaves_the_old_file_and_no_temporary(void **state)
{
    (void)state;
    char *text = new_text();
    for (int form = 0; form < 2; form++) {
        int n;
        for (n = 1; n < 100; n++) {
            put("old\n");
            char *why = NULL;
            plan(n, "");
            int rc = write_in_form(form, text, &why);
            bool renamed = strchr(trace, 'R') != NULL;
            bool hit = injected;
            plan(0, "");
            if (!hit) {
                /* Every call went through: the end of the loop. */
                if (rc != 0)
                    fail_msg("form %d: %s", form, why);
                assert_string_equal(content(), text);
                break;
            }
            if (rc == 0)
                fail_msg("form %d: failure %d was not reported", form, n);
            assert_true(rc < 0);
            assert_non_null(why);
            assert_non_null(strstr(why, target));
            if (strays() != 0)
                fail_msg("form %d: failure %d left a temporary file (%s)",
                         form, n, why);
            const char *now = content();
            assert_non_null(now);
            /* Before the rename the old content stays; after it (only the
             * folder's fsync can fail then) the new one is whole. */
            if (renamed)
                assert_string_equal(now, text);
            else if (strcmp(now, "old\n") != 0)
                fail_msg("form %d: failure %d changed the file (%s)", form,
                         n, why);
            free(why);
        }
        /* At least: mkostemp fchmod fdopen (write or fwrite) fflush fsync
         * fclose rename open fsync close. */
        assert_true(n > 11);
    }
    free(text);
}

static void
test_failed_fsync_keeps_the_old_file(void **state)
{
    (void)state;
    put("old\n");
    char *text = new_text(), *why = NULL;
    plan(1, "fsync");
    int rc = atomicfile_write(target, text, strlen(text), 0600, 0, &why);
    assert_true(injected);
    plan(0, "");
    assert_int_equal(rc, -EIO);
    assert_non_null(strstr(why, "cannot write"));
    assert_string_equal(content(), "old\n");
    assert_int_equal(strays(), 0);
    free(why);
    free(text);
}

static void
test_failed_write_keeps_the_old_file(void **state)
{
    (void)state;
    put("old\n");
    char *text = new_text(), *why = NULL;
    plan(2, "write");
    int rc = atomicfile_write(target, text, strlen(text), 0600, 0, &why);
    assert_true(injected);
    plan(0, "");
    assert_true(rc < 0);
    assert_string_equal(content(), "old\n");
    assert_int_equal(strays(), 0);
    free(why);
    free(text);
}

static void
test_noreplace_keeps_an_existing_file(void **state)
{
    (void)state;
    char *why = NULL;
    assert_int_equal(atomicfile_write(target, "key\n", 4, 0600,
                                      ATOMICFILE_NOREPLACE, &why),
                     0);
    assert_string_equal(content(), "key\n");
    assert_int_equal(atomicfile_write(target, "other\n", 6, 0600,
                                      ATOMICFILE_NOREPLACE, &why),
                     -EEXIST);
    assert_non_null(strstr(why, "already exists"));
    free(why);
    assert_string_equal(content(), "key\n");
    assert_int_equal(strays(), 0);
}

static void
test_abort_keeps_the_old_file(void **state)
{
    (void)state;
    put("old\n");
    struct atomicfile *af = NULL;
    char *why = NULL;
    assert_int_equal(atomicfile_open(target, 0600, 0, &af, &why), 0);
    assert_string_equal(atomicfile_path(af), target);
    assert_int_equal(fputs("half", atomicfile_stream(af)) >= 0, 1);
    assert_int_equal(strays(), 1);
    atomicfile_abort(af);
    atomicfile_abort(NULL);
    assert_string_equal(content(), "old\n");
    assert_int_equal(strays(), 0);
}

static void
test_missing_folder_is_named(void **state)
{
    (void)state;
    char path[400], *why = NULL;
    snprintf(path, sizeof path, "%s/no-such-folder/x.json", dir);
    assert_int_equal(atomicfile_write(path, "x", 1, 0600, 0, &why), -ENOENT);
    assert_non_null(strstr(why, path));
    free(why);
    snprintf(path, sizeof path, "%s/", dir);
    assert_int_equal(atomicfile_write(path, "x", 1, 0600, 0, &why), -EISDIR);
    free(why);
    assert_int_equal(strays(), 0);
}

UNIT_MAIN(NULL, NULL,
          UNIT_FRESH(test_write_replaces_the_whole_file_with_its_mode),
          UNIT_FRESH(test_every_failure_leaves_the_old_file_and_no_temporary),
          UNIT_FRESH(test_failed_fsync_keeps_the_old_file),
          UNIT_FRESH(test_failed_write_keeps_the_old_file),
          UNIT_FRESH(test_noreplace_keeps_an_existing_file),
          UNIT_FRESH(test_abort_keeps_the_old_file),
          UNIT_FRESH(test_missing_folder_is_named))
