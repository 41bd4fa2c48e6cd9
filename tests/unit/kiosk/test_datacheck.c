/*
 * A full or read-only data partition: services_data_check() says which,
 * services_start() then leaves applications unavailable with that reason
 * (the staff's Applications screen shows it, translated), and a healthy
 * directory passes and keeps no probe file. The full and read-only file
 * systems are a tiny tmpfs mounted in a mount namespace of this test's own
 * (unshare), which vanishes with the process: nothing to clean up on the
 * machine. Without the privilege to do that (not root) those cases are
 * skipped and say so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "kiosk/config.h"
#include "kiosk/services_run.h"
#include "tests/unit/unit.h"

static char dir[100];
static int own_ns = -1; /* 1: a private mount namespace, 0: none */

static int
setup(void **state)
{
    (void)state;
    if (unit_tmpdir(dir, sizeof dir, "dauys-test-datacheck") < 0)
        return -1;
    if (own_ns < 0)
        own_ns = unshare(CLONE_NEWNS) == 0 &&
                 mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    if (own_ns == 1)
        umount2(dir, MNT_DETACH);
    return unit_rmtree(dir);
}

/* Mounts a 256 KiB tmpfs on DIR (in this test's namespace). */
static void
tiny_fs(void)
{
    if (own_ns != 1)
        skip();
    assert_int_equal(mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV,
                           "size=256k,mode=0700"),
                     0);
}

/* Fills DIR's file system until it is full. */
static void
fill(void)
{
    char p[200], buf[4096] = {0};
    snprintf(p, sizeof p, "%s/filler", dir);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    while (write(fd, buf, sizeof buf) > 0) {
    }
    assert_int_equal(errno, ENOSPC);
    close(fd);
}

static void
test_healthy(void **state)
{
    (void)state;
    char *detail = NULL, p[200];
    assert_null(services_data_check(dir, &detail));
    assert_null(detail);
    snprintf(p, sizeof p, "%s/.space-probe", dir);
    assert_int_equal(access(p, F_OK), -1);
}

static void
test_full(void **state)
{
    (void)state;
    tiny_fs();
    char *detail = NULL;
    assert_null(services_data_check(dir, &detail));
    fill();
    assert_ptr_equal(services_data_check(dir, &detail), services_data_full);
    assert_non_null(strstr(detail, "No space left"));
    free(detail);

    /* Applications are unavailable, with the reason, and nothing else
     * stops: the catalogue is there for visitors to read. */
    struct config cfg;
    config_defaults(&cfg);
    setenv("DAUYS_DATADIR", "data", 1);
    struct services_run *r = services_start(&cfg, dir, false, true, NULL);
    assert_string_equal(services_problem(r), services_data_full);
    const struct services *sv = services_get(r);
    assert_string_equal(sv->problem, services_data_full);
    assert_non_null(sv->catalogue);
    services_stop(r);
}

static void
test_read_only(void **state)
{
    (void)state;
    tiny_fs();
    assert_int_equal(mount(NULL, dir, NULL, MS_REMOUNT | MS_RDONLY, NULL), 0);
    char *detail = NULL;
    assert_ptr_equal(services_data_check(dir, &detail), services_data_readonly);
    assert_non_null(strstr(detail, "read-only"));
    free(detail);
}

UNIT_MAIN(NULL, NULL, UNIT_FRESH(test_healthy), UNIT_FRESH(test_full),
          UNIT_FRESH(test_read_only))
