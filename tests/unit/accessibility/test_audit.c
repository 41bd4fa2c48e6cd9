/*
 * The staff audit trail as an auditor holding the file would check it:
 * entries are one line each, in order, with UTC times, and nothing a
 * caller passes can break a line; audit_verify() names the first line
 * that was edited, removed, moved, forged without chaining, or cut off the
 * end (through the head file), and a log from before the chain is kept
 * aside with its hash at the first append. Several processes appending at
 * once never interleave.
 *
 * Fault injection: open, flock, pread, write, fsync and close are wrapped
 * at link time by the shared wrappers of fault.c (TEST_LDFLAGS in the
 * Makefile); the test fails the Nth call
 * (a write is cut short instead, as on a full disk) and loops over N.
 * After every failure the log still verifies and the next append works.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "accessibility/audit.h"
#include "tests/unit/accessibility/fault.h"
#include "tests/unit/unit.h"

#define NOW 1773558131 /* 2026-03-15T07:02:11Z */

static char dir[256], logp[300], headp[310];

static ino_t log_ino; /* the log's inode, to see its fsync */

static int
setup(void **state)
{
    fault_plan(0, "");
    log_ino = 0;
    if (unit_tmpdir(dir, sizeof dir, "dauys-audit") < 0 || sodium_init() < 0)
        return -1;
    char *p = audit_path(dir);
    snprintf(logp, sizeof logp, "%s", p);
    snprintf(headp, sizeof headp, "%s.head", p);
    free(p);
    *state = dir;
    return 0;
}

static void
append_ok(int64_t now, const char *actor, const char *action)
{
    char *why = NULL;
    if (audit_append(logp, now, actor, action, NULL, &why) != 0)
        fail_msg("audit_append: %s", why);
}

/* Reads the file PATH into a static buffer (NULL when missing). */
static char *
slurp(const char *path)
{
    static char buf[65536];
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void
spill(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

/* The log as an array of lines (the caller frees each and the array). */
static char **
lines_of(size_t *n)
{
    char *text = strdup(slurp(logp));
    char **l = calloc(256, sizeof *l);
    size_t k = 0;
    for (char *p = text; *p != '\0' && k < 256;) {
        size_t len = strcspn(p, "\n");
        l[k++] = strndup(p, len + (p[len] == '\n'));
        p += len + (p[len] == '\n');
    }
    free(text);
    *n = k;
    return l;
}

static void
write_lines(char **l, size_t n)
{
    FILE *f = fopen(logp, "w");
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        if (l[i] != NULL)
            fputs(l[i], f);
    assert_int_equal(fclose(f), 0);
}

static void
free_lines(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

/* Verifies and expects damage named by WANT. */
static void
expect_damaged(const char *want)
{
    char *why = NULL;
    assert_int_equal(audit_verify(logp, NULL, &why), AUDIT_DAMAGED);
    if (strstr(why, want) == NULL)
        fail_msg("audit_verify said '%s', not '%s'", why, want);
    free(why);
}

static void
three_entries(void)
{
    append_ok(NOW, "kiosk", "staff login");
    append_ok(NOW + 60, "kiosk", "package loaded id=demo hash=ab12");
    append_ok(NOW + 120, "admin",
              "services: application 123456789 status "
              "in-review");
}

static void
test_entries_are_lines_in_order(void **state)
{
    (void)state;
    struct audit_head h;
    char *why = NULL;
    append_ok(NOW, "kiosk", "staff login");
    struct stat st;
    assert_int_equal(stat(logp, &st), 0);
    log_ino = st.st_ino;
    fault_plan(0, "");
    assert_int_equal(audit_append(logp, NOW + 60, "admin",
                                  "services: applications exported", &h, &why),
                     0);
    /* The line itself was synced, not only the head beside it. */
    assert_true(fault_synced(log_ino));
    assert_int_equal(h.seq, 2);
    assert_int_equal(st.st_mode & 0777, 0600);
    size_t n;
    char **l = lines_of(&n);
    assert_int_equal(n, 2);
    char want[200];
    int k = snprintf(want, sizeof want,
                     "1\t2026-03-15T07:02:11Z\tkiosk\tstaff login\t%064d\t", 0);
    assert_int_equal(strncmp(l[0], want, (size_t)k), 0);
    assert_int_equal(strlen(l[0]), (size_t)k + 64 + 1);
    assert_int_equal(strncmp(l[1], "2\t2026-03-15T07:03:11Z\tadmin\t", 29), 0);
    /* Line 2's PREV is line 1's HASH, and the head is line 2's. */
    assert_int_equal(memcmp(l[1] + strlen(l[1]) - 130, l[0] + k, 64), 0);
    assert_int_equal(memcmp(l[1] + strlen(l[1]) - 65, h.hash, 64), 0);
    char head[100];
    snprintf(head, sizeof head, "2 %s\n", h.hash);
    assert_string_equal(slurp(headp), head);
    struct audit_head v;
    assert_int_equal(audit_verify(logp, &v, &why), 0);
    assert_int_equal(v.seq, 2);
    assert_string_equal(v.hash, h.hash);
    free_lines(l, n);
}

static void
test_an_empty_log_verifies(void **state)
{
    (void)state;
    struct audit_head h;
    char *why = NULL;
    assert_int_equal(audit_verify(logp, &h, &why), 0);
    assert_int_equal(h.seq, 0);
}

static void
test_actions_cannot_break_a_line(void **state)
{
    (void)state;
    char big[2000];
    memset(big, 'x', sizeof big);
    /* "Әлия" near the cut, so that the cut would fall inside a letter. */
    memcpy(big + AUDIT_ACTION_MAX - 3, "Әлия", strlen("Әлия"));
    big[sizeof big - 1] = '\0';
    append_ok(NOW, "ad\tmin\n",
              "line one\nsecond line\ttab \x1b[31mred "
              "\xff\xfe bad \xc2\x85 nel Қазақ");
    append_ok(NOW, "", big);
    size_t n;
    char **l = lines_of(&n);
    assert_int_equal(n, 2);
    assert_non_null(strstr(l[0], "\tad min \tline one second line tab  "
                                 "[31mred ?? bad   nel Қазақ\t"));
    char *action = strchr(strchr(strchr(l[1], '\t') + 1, '\t') + 1, '\t');
    assert_int_equal(strncmp(strchr(l[1], '\t') + 21, "\t-\t", 3), 0);
    size_t alen = strcspn(action + 1, "\t");
    assert_true(alen <= AUDIT_ACTION_MAX);
    assert_true(alen >= AUDIT_ACTION_MAX - 3);
    char *why = NULL;
    assert_int_equal(audit_verify(logp, NULL, &why), 0);
    free_lines(l, n);
}

static void
test_edited_line_is_named(void **state)
{
    (void)state;
    three_entries();
    size_t n;
    char **l = lines_of(&n);
    char *p = strstr(l[1], "ab12");
    p[0] = 'c';
    write_lines(l, n);
    expect_damaged("line 2 of");
    expect_damaged("was edited");
    free_lines(l, n);
}

static void
test_removed_line_is_named(void **state)
{
    (void)state;
    three_entries();
    size_t n;
    char **l = lines_of(&n);
    free(l[1]);
    l[1] = NULL;
    write_lines(l, n);
    expect_damaged("line 2 of");
    expect_damaged("holds entry 3 where entry 2 belongs");
    free_lines(l, n);
}

static void
test_moved_line_is_named(void **state)
{
    (void)state;
    three_entries();
    size_t n;
    char **l = lines_of(&n);
    char *t = l[1];
    l[1] = l[2];
    l[2] = t;
    write_lines(l, n);
    expect_damaged("line 2 of");
    expect_damaged("removed or moved");
    free_lines(l, n);
}

/* A line forged with a right hash over its own text, which does not name
 * the line before it: only the chain shows it. */
static void
test_forged_line_that_does_not_chain_is_named(void **state)
{
    (void)state;
    three_entries();
    size_t n;
    char **l = lines_of(&n);
    char forged[512], hex[65];
    unsigned char h[32];
    int k = snprintf(forged, sizeof forged,
                     "2\t2026-03-15T07:03:11Z\tkiosk\tpackage loaded "
                     "id=other\t%064d\t",
                     0);
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, (const unsigned char *)"dauys-audit/1\n",
                              14);
    crypto_generichash_update(&st, (const unsigned char *)forged, (size_t)k);
    crypto_generichash_final(&st, h, 32);
    sodium_bin2hex(hex, sizeof hex, h, 32);
    snprintf(forged + k, sizeof forged - (size_t)k, "%s\n", hex);
    free(l[1]);
    l[1] = strdup(forged);
    write_lines(l, n);
    expect_damaged("line 2 of");
    expect_damaged("does not follow the line before it");
    free_lines(l, n);
}

static void
test_cut_off_end_is_found(void **state)
{
    (void)state;
    three_entries();
    size_t n;
    char **l = lines_of(&n);
    write_lines(l, 2);
    expect_damaged("ends at entry 2, but entry 3 was written");
    /* Without the head file, more than one entry cannot be vouched for. */
    assert_int_equal(unlink(headp), 0);
    expect_damaged(".head is missing");
    free_lines(l, n);
}

static void
test_rewritten_log_does_not_reach_the_head(void **state)
{
    (void)state;
    three_entries();
    char *head = strdup(slurp(headp));
    assert_int_equal(unlink(logp), 0);
    assert_int_equal(unlink(headp), 0);
    append_ok(NOW, "kiosk", "staff login");
    append_ok(NOW, "kiosk", "staff login");
    append_ok(NOW, "kiosk", "staff login");
    spill(headp, head);
    expect_damaged("line 3 of");
    expect_damaged("is not the entry recorded in");
    free(head);
}

static void
test_incomplete_last_line_stops_appends(void **state)
{
    (void)state;
    three_entries();
    FILE *f = fopen(logp, "a");
    assert_non_null(f);
    fputs("4\t2026-03-15T07:0", f);
    fclose(f);
    char *before = strdup(slurp(logp)), *why = NULL;
    expect_damaged("line 4 of");
    assert_int_equal(audit_append(logp, NOW, "kiosk", "staff login", NULL,
                                  &why),
                     AUDIT_DAMAGED);
    assert_non_null(strstr(why, "incomplete"));
    free(why);
    assert_string_equal(slurp(logp), before);
    free(before);
}

static void
test_garbage_last_line_stops_appends(void **state)
{
    (void)state;
    three_entries();
    FILE *f = fopen(logp, "a");
    assert_non_null(f);
    fputs("nonsense\n", f);
    fclose(f);
    char *why = NULL;
    assert_int_equal(audit_append(logp, NOW, "kiosk", "staff login", NULL,
                                  &why),
                     AUDIT_DAMAGED);
    assert_non_null(strstr(why, "not an audit entry"));
    free(why);
    expect_damaged("line 4 of");
}

static void
test_log_from_before_the_chain_is_kept(void **state)
{
    (void)state;
    const char *old = "2026-03-14T07:00:00Z staff login\n"
                      "2026-03-14T07:01:00Z voting assistance opened\n";
    spill(logp, old);
    expect_damaged("from before the hash chain");
    append_ok(NOW, "kiosk", "staff login");
    char oldp[320];
    snprintf(oldp, sizeof oldp, "%s.old", logp);
    assert_string_equal(slurp(oldp), old);
    unsigned char h[32];
    char hex[65], want[200];
    crypto_generichash(h, 32, (const unsigned char *)old, strlen(old), NULL, 0);
    sodium_bin2hex(hex, sizeof hex, h, 32);
    snprintf(want, sizeof want,
             "\tdauys\taudit: the log from before the hash chain is kept as "
             "audit.log.old (%zu bytes, BLAKE2b-256 %s)\t",
             strlen(old), hex);
    size_t n;
    char **l = lines_of(&n);
    assert_int_equal(n, 2);
    assert_non_null(strstr(l[0], want));
    assert_non_null(strstr(l[1], "\tkiosk\tstaff login\t"));
    struct audit_head v;
    char *why = NULL;
    assert_int_equal(audit_verify(logp, &v, &why), 0);
    assert_int_equal(v.seq, 2);
    free_lines(l, n);
    /* A second old log does not overwrite the first one kept. */
    spill(logp, old);
    assert_int_equal(unlink(headp), 0);
    append_ok(NOW, "kiosk", "staff login");
    snprintf(oldp, sizeof oldp, "%s.old.2", logp);
    assert_string_equal(slurp(oldp), old);
}

static void
test_processes_appending_at_once_never_interleave(void **state)
{
    (void)state;
    enum { KIDS = 4, EACH = 25 };
    pid_t pid[KIDS];
    for (int k = 0; k < KIDS; k++) {
        pid[k] = fork();
        assert_true(pid[k] >= 0);
        if (pid[k] == 0) {
            for (int i = 0; i < EACH; i++) {
                char action[64], *why = NULL;
                snprintf(action, sizeof action, "process %d action %d", k, i);
                if (audit_append(logp, NOW + i, "kiosk", action, NULL, &why) !=
                    0)
                    _exit(1);
            }
            _exit(0);
        }
    }
    for (int k = 0; k < KIDS; k++) {
        int status = 0;
        assert_int_equal(waitpid(pid[k], &status, 0), pid[k]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    struct audit_head v;
    char *why = NULL;
    if (audit_verify(logp, &v, &why) != 0)
        fail_msg("audit_verify: %s", why);
    assert_int_equal(v.seq, KIDS * EACH);
}

static void
test_every_failure_leaves_a_log_that_verifies(void **state)
{
    (void)state;
    int n;
    uint64_t want = 0;
    for (n = 1; n < 100; n++) {
        char *why = NULL;
        struct audit_head v;
        fault_plan(n, "");
        int rc = audit_append(logp, NOW, "kiosk", "staff login", NULL, &why);
        bool hit = fault_injected();
        fault_plan(0, "");
        if (!hit) {
            if (rc != 0)
                fail_msg("append %d: %s", n, why);
            break;
        }
        if (rc == 0)
            fail_msg("failure %d was not reported", n);
        assert_non_null(why);
        free(why);
        why = NULL;
        /* The chain is whole (the failed entry is in it or not)... */
        if (audit_verify(logp, &v, &why) != 0)
            fail_msg("after failure %d: %s", n, why);
        assert_true(v.seq == want || v.seq == want + 1);
        /* ... and the next staff action is recorded. */
        append_ok(NOW, "kiosk", "staff logout");
        if (audit_verify(logp, &v, &why) != 0)
            fail_msg("after failure %d and an append: %s", n, why);
        want = v.seq;
    }
    /* open flock pread write fsync (head: open? write fsync open fsync
     * close) close: at least eight calls were failed in turn. */
    assert_true(n > 8);
}

UNIT_MAIN(NULL, NULL, FAULT_FRESH(test_entries_are_lines_in_order),
          FAULT_FRESH(test_an_empty_log_verifies),
          FAULT_FRESH(test_actions_cannot_break_a_line),
          FAULT_FRESH(test_edited_line_is_named),
          FAULT_FRESH(test_removed_line_is_named),
          FAULT_FRESH(test_moved_line_is_named),
          FAULT_FRESH(test_forged_line_that_does_not_chain_is_named),
          FAULT_FRESH(test_cut_off_end_is_found),
          FAULT_FRESH(test_rewritten_log_does_not_reach_the_head),
          FAULT_FRESH(test_incomplete_last_line_stops_appends),
          FAULT_FRESH(test_garbage_last_line_stops_appends),
          FAULT_FRESH(test_log_from_before_the_chain_is_kept),
          FAULT_FRESH(test_processes_appending_at_once_never_interleave),
          FAULT_FRESH(test_every_failure_leaves_a_log_that_verifies))
