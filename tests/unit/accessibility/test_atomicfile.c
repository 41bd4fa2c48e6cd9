/*
 * Atomic file replacement as a reader after a crash would see it: the
 * target holds the old content or the new one, whole, with the mode asked
 * for, and no temporary file is left in the folder.
 *
 * Fault injection, SQLite style: the library calls the helper makes
 * (mkostemp, fchmod, fdopen, write, fwrite, fflush, fsync, fclose,
 * rename, renameat2, open, close) are wrapped at link time by the shared
 * wrappers of fault.c (-Wl,--wrap=..., see TEST_LDFLAGS in the Makefile);
 * they fail the Nth call with EIO, write at most 4096 bytes at a time,
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
#include "tests/unit/accessibility/fault.h"
#include "tests/unit/unit.h"

static char dir[256], target[300];

static int
setup(void **state)
{
    fault_plan(0, "");
    if (unit_tmpdir(dir, sizeof dir, "dauys-atomic") < 0)
        return -1;
    snprintf(target, sizeof target, "%s/election.json", dir);
    *state = dir;
    return 0;
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
    fault_plan(0, "");
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
    const char *steps = fault_trace();
    const char *t = strchr(steps, 'T'), *f = strchr(steps, 'F'),
               *r = strchr(steps, 'R'), *d = strrchr(steps, 'D');
    if (t == NULL || f == NULL || r == NULL || d == NULL || !(t < f) ||
        !(f < r) || !(r < d))
        fail_msg("the steps were '%s', not T..F..R..D", steps);
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
            fault_plan(n, "");
            int rc = write_in_form(form, text, &why);
            bool renamed = strchr(fault_trace(), 'R') != NULL;
            bool hit = fault_injected();
            fault_plan(0, "");
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
                fail_msg("form %d: failure %d left a temporary file (%s)", form,
                         n, why);
            const char *now = content();
            assert_non_null(now);
            /* Before the rename the old content stays; after it (only the
             * folder's fsync can fail then) the new one is whole. */
            if (renamed)
                assert_string_equal(now, text);
            else if (strcmp(now, "old\n") != 0)
                fail_msg("form %d: failure %d changed the file (%s)", form, n,
                         why);
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
    fault_plan(1, "fsync");
    int rc = atomicfile_write(target, text, strlen(text), 0600, 0, &why);
    assert_true(fault_injected());
    fault_plan(0, "");
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
    fault_plan(2, "write");
    int rc = atomicfile_write(target, text, strlen(text), 0600, 0, &why);
    assert_true(fault_injected());
    fault_plan(0, "");
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
          FAULT_FRESH(test_write_replaces_the_whole_file_with_its_mode),
          FAULT_FRESH(test_every_failure_leaves_the_old_file_and_no_temporary),
          FAULT_FRESH(test_failed_fsync_keeps_the_old_file),
          FAULT_FRESH(test_failed_write_keeps_the_old_file),
          FAULT_FRESH(test_noreplace_keeps_an_existing_file),
          FAULT_FRESH(test_abort_keeps_the_old_file),
          FAULT_FRESH(test_missing_folder_is_named))
