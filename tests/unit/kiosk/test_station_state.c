/*
 * The state file of kiosk/station_state.h: what is written is read back
 * the same; a missing file is the initial state; a damaged, cut-short,
 * foreign or newer file is refused with a reason and the initial state;
 * a named pipe in its place is refused at once instead of hanging.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/station_state.h"
#include "tests/unit/unit.h"

static char dir[100];
static char path[160];

static int
setup(void **state)
{
    (void)state;
    if (unit_tmpdir(dir, sizeof dir, "dauys-test-state") < 0)
        return -1;
    snprintf(path, sizeof path, "%s/state", dir);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    return unit_rmtree(dir);
}

static void
put(const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static const char good[] =
    "dauys-state/1\n"
    "package demo-2026-almaly-district-7 "
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
    "voting open 2026-03-15\n"
    "opened 1773558000\n"
    "closed 0\n"
    "sessions 17\n"
    "stencils 3\n"
    "pin-failures 6\n"
    "pin-lockouts 2\n"
    "pin-locked-until 1773559000\n";

static void
test_missing_file_is_the_initial_state(void **state)
{
    (void)state;
    struct station_state st;
    char *why = NULL;
    assert_int_equal(station_state_read(path, &st, &why), 1);
    assert_false(st.voting_open);
    assert_int_equal(st.sessions, 0);
    assert_string_equal(st.package_id, "");
}

static void
test_round_trip(void **state)
{
    (void)state;
    struct station_state st, back;
    station_state_init(&st);
    snprintf(st.package_id, sizeof st.package_id, "x-1");
    memset(st.package_hash, 'a', 64);
    st.package_hash[64] = '\0';
    st.voting_open = true;
    snprintf(st.open_day, sizeof st.open_day, "2026-03-15");
    st.opened_at = 1773558000;
    st.sessions = 123456789012ull;
    st.stencils = 4;
    st.pin_failures = 7;
    st.pin_lockouts = 3;
    st.pin_locked_until = 1773559999;
    unit_ok(station_state_write(path, &st, unit_why()));
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    char *why = NULL;
    assert_int_equal(station_state_read(path, &back, &why), 0);
    assert_memory_equal(&st, &back, sizeof st);
    /* Closed, nothing loaded. */
    station_state_init(&st);
    unit_ok(station_state_write(path, &st, unit_why()));
    assert_int_equal(station_state_read(path, &back, &why), 0);
    assert_memory_equal(&st, &back, sizeof st);
    /* The hand-written example of docs/appliance.md reads. */
    put(good);
    assert_int_equal(station_state_read(path, &back, &why), 0);
    assert_true(back.voting_open);
    assert_string_equal(back.open_day, "2026-03-15");
    assert_int_equal(back.sessions, 17);
    assert_int_equal(back.pin_lockouts, 2);
}

/* Each damaged file is refused with REASON in the message. */
static void
refused(const char *text, const char *reason)
{
    struct station_state st;
    char *why = NULL;
    put(text);
    assert_int_equal(station_state_read(path, &st, &why), -1);
    assert_non_null(why);
    if (strstr(why, reason) == NULL)
        fail_msg("'%s' lacks '%s'", why, reason);
    assert_non_null(strstr(why, "is damaged"));
    free(why);
    assert_false(st.voting_open);
    assert_int_equal(st.sessions, 0);
}

static void
test_damaged_files_are_refused(void **state)
{
    (void)state;
    char buf[sizeof good + 64];
    refused("", "empty");
    refused("garbage\n", "not a dauys state file");
    refused("dauys-state/2\n", "dauys-state/2");
    /* Cut short in the middle of a line. */
    snprintf(buf, sizeof buf, "%.*s", (int)sizeof good - 8, good);
    refused(buf, "incomplete");
    /* A whole line lost. */
    const char *cut = strstr(good, "sessions");
    snprintf(buf, sizeof buf, "%.*s%s", (int)(cut - good), good,
             strchr(cut, '\n') + 1);
    refused(buf, "'sessions' is missing");
    snprintf(buf, sizeof buf, "%ssessions 1\n", good);
    refused(buf, "repeats 'sessions'");
    snprintf(buf, sizeof buf, "%sfoo 1\n", good);
    refused(buf, "not a known");
    char *bad = strdup(good);
    memcpy(strstr(bad, "sessions 17"), "sessions -7", 11);
    refused(bad, "'sessions' has a bad value");
    free(bad);
    bad = strdup(good);
    memcpy(strstr(bad, "open 2026-03-15"), "open 2026-3-155", 15);
    refused(bad, "'voting' has a bad value");
    free(bad);
    /* A NUL byte inside. */
    memcpy(buf, good, sizeof good);
    buf[20] = '\0';
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fwrite(buf, 1, sizeof good - 1, f);
    fclose(f);
    struct station_state st;
    char *why = NULL;
    assert_int_equal(station_state_read(path, &st, &why), -1);
    assert_non_null(strstr(why, "not a text file"));
    free(why);
}

static void
test_fifo_is_refused_without_blocking(void **state)
{
    (void)state;
    struct station_state st;
    char *why = NULL;
    assert_int_equal(mkfifo(path, 0600), 0);
    alarm(5); /* a hang fails the test instead of stopping it */
    assert_int_equal(station_state_read(path, &st, &why), -1);
    alarm(0);
    assert_non_null(strstr(why, "named pipe"));
    free(why);
    unlink(path);
}

UNIT_MAIN(NULL, NULL, UNIT_FRESH(test_missing_file_is_the_initial_state),
          UNIT_FRESH(test_round_trip),
          UNIT_FRESH(test_damaged_files_are_refused),
          UNIT_FRESH(test_fifo_is_refused_without_blocking))
