/*
 * The polling station's I/O: the practice ballot falls back to the
 * built-in sample when the bundled one is missing; only packages signed by
 * a trusted key load (the demo key only in demo mode); a loaded package is
 * saved and loads again; the audit trail gets one chained line per
 * action (UTC time, actor "kiosk"), mode 0600, that verifies.
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

#include "accessibility/audit.h"
#include "kiosk/config.h"
#include "kiosk/station.h"
#include "tests/unit/unit.h"

static char dir[100];

static int
setup(void **state)
{
    (void)state;
    if (unit_tmpdir(dir, sizeof dir, "dauys-test-station") < 0)
        return -1;
    setenv("DAUYS_DATADIR", "data", 1);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    return unit_rmtree(dir);
}

static void
test_practice_bundled_or_built_in(void **state)
{
    (void)state;
    struct config cfg;
    config_defaults(&cfg);
    struct station *s = station_new(dir, &cfg, false);
    struct election *e = station_practice(s);
    assert_string_equal(e->ballots[0].id, "practice");
    assert_true(e->test);
    assert_int_equal(e->ballots[0].n_options, 3);
    election_free(e);
    station_free(s);
    setenv("DAUYS_DATADIR", "/nonexistent", 1);
    s = station_new(dir, &cfg, false);
    e = station_practice(s);
    assert_string_equal(e->id, "practice-sample");
    assert_true(e->test);
    assert_int_equal(e->ballots[0].n_options, 3);
    election_free(e);
    station_free(s);
    setenv("DAUYS_DATADIR", "data", 1);
}

static void
test_demo_key_only_in_demo_mode(void **state)
{
    (void)state;
    struct config cfg;
    config_defaults(&cfg);
    struct election *e = NULL;
    char *why = NULL;
    struct station *s = station_new(dir, &cfg, false);
    assert_int_equal(station_n_keys(s), 0);
    assert_int_equal(station_load(s, "data/demo/election", true, &e, &why), -1);
    assert_non_null(strstr(why, "no trusted key"));
    assert_null(e);
    free(why);
    why = NULL;
    assert_int_equal(station_load_saved(s, &e, &why), 1);
    station_free(s);

    s = station_new(dir, &cfg, true);
    assert_int_equal(station_n_keys(s), 1);
    assert_int_equal(station_load(s, "data/demo/election", true, &e, &why), 0);
    assert_string_equal(e->id, "demo-2026-almaly-district-7");
    election_free(e);
    e = NULL;
    /* Saved in the data directory, and loaded again from there. */
    assert_int_equal(station_load_saved(s, &e, &why), 0);
    assert_string_equal(e->id, "demo-2026-almaly-district-7");
    election_free(e);
    e = NULL;
    station_free(s);
    /* Outside demo mode the saved copy is refused: its key is not
     * trusted. */
    s = station_new(dir, &cfg, false);
    assert_int_equal(station_load_saved(s, &e, &why), -1);
    assert_null(e);
    free(why);
    station_free(s);
}

static void
test_audit_lines(void **state)
{
    (void)state;
    struct config cfg;
    config_defaults(&cfg);
    struct station *s = station_new(dir, &cfg, false);
    station_audit(s, "staff login");
    station_audit(s, "voting assistance %s", "opened");
    station_free(s);
    char path[128], line[512];
    snprintf(path, sizeof path, "%s/audit.log", dir);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    /* "1<TAB>2026-03-15T07:00:00Z<TAB>kiosk<TAB>staff login<TAB>…" */
    assert_non_null(fgets(line, sizeof line, f));
    assert_int_equal(strncmp(line, "1\t", 2), 0);
    assert_int_equal(line[12], 'T');
    assert_int_equal(line[21], 'Z');
    assert_int_equal(strncmp(line + 22, "\tkiosk\tstaff login\t", 19), 0);
    assert_non_null(fgets(line, sizeof line, f));
    assert_int_equal(strncmp(line, "2\t", 2), 0);
    assert_int_equal(strncmp(line + 22, "\tkiosk\tvoting assistance opened\t",
                             32),
                     0);
    assert_null(fgets(line, sizeof line, f));
    fclose(f);
    /* The station writes the one chained trail. */
    struct audit_head h;
    char *why = NULL;
    assert_int_equal(audit_verify(path, &h, &why), 0);
    assert_int_equal(h.seq, 2);
}

UNIT_MAIN(setup, teardown, cmocka_unit_test(test_practice_bundled_or_built_in),
          cmocka_unit_test(test_demo_key_only_in_demo_mode),
          cmocka_unit_test(test_audit_lines))
