/*
 * The polling station's I/O: the practice ballot falls back to the
 * built-in sample when the bundled one is missing; only packages signed by
 * a trusted key load (the demo key only in demo mode); a loaded package is
 * saved and loads again; the audit trail gets one chained line per
 * action (UTC time, actor "kiosk"), mode 0600, that verifies. The copy
 * kept is the bytes that were verified, even when the folder is swapped
 * meanwhile. The state survives a restart: voting stays open the same day
 * and comes back closed on another day or from a damaged state file (and
 * staff are told), and the login lockout survives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "accessibility/audit.h"
#include "ballot/package.h"
#include "kiosk/config.h"
#include "kiosk/report.h"
#include "kiosk/services.h"
#include "kiosk/station.h"
#include "tests/unit/kiosk/driver.h"
#include "tests/unit/kiosk/media_helper.h"
#include "tests/unit/unit.h"

/* Fontconfig keeps its configuration for the life of the process. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

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

/* Each of the later tests starts from an empty data directory. */
static int
fresh(void **state)
{
    (void)state;
    if (unit_rmtree(dir) < 0)
        return -1;
    return unit_tmpdir(dir, sizeof dir, "dauys-test-station");
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

/* Reads the whole file PATH into a new string. */
static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *b = malloc(1 << 21);
    assert_non_null(b);
    *len = fread(b, 1, (1 << 21) - 1, f);
    b[*len] = '\0';
    fclose(f);
    return b;
}

static void
spit(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* The hook: puts the other (validly signed) package in place. */
static void
swap_package(void *ctx)
{
    const char *d = ctx;
    char from[200], to[200];
    snprintf(from, sizeof from, "%s/other/election.json", d);
    snprintf(to, sizeof to, "%s/pkg/election.json", d);
    assert_int_equal(rename(from, to), 0);
    snprintf(from, sizeof from, "%s/other/election.json.sig", d);
    snprintf(to, sizeof to, "%s/pkg/election.json.sig", d);
    assert_int_equal(rename(from, to), 0);
}

static void
test_copy_is_the_verified_bytes(void **state)
{
    (void)state;
    char pkg[160], other[160], p[200];
    size_t len, olen;
    snprintf(pkg, sizeof pkg, "%s/pkg", dir);
    snprintf(other, sizeof other, "%s/other", dir);
    assert_int_equal(mkdir(pkg, 0700), 0);
    assert_int_equal(mkdir(other, 0700), 0);
    char *json = slurp("data/demo/election/election.json", &len);
    char *sig = slurp("data/demo/election/election.json.sig", &olen);
    snprintf(p, sizeof p, "%s/election.json", pkg);
    spit(p, json, len);
    snprintf(p, sizeof p, "%s/election.json.sig", pkg);
    spit(p, sig, olen);
    free(sig);
    /* Another package, signed with the same (trusted) key. */
    char *changed = strdup(json);
    char *at = strstr(changed, "Ахметов");
    assert_non_null(at);
    memcpy(at, "Бхметов", strlen("Бхметов"));
    snprintf(p, sizeof p, "%s/election.json", other);
    spit(p, changed, len);
    unit_ok(package_sign(other, "data/demo/demo.key", unit_why()));
    free(changed);

    struct config cfg;
    config_defaults(&cfg);
    struct station *s = station_new(dir, &cfg, true);
    station_set_load_hook(s, swap_package, dir);
    struct election *e = NULL;
    char *why = NULL;
    assert_int_equal(station_load(s, pkg, true, &e, &why), 0);
    station_free(s);
    /* What was verified is what is kept, not what is in the folder now. */
    snprintf(p, sizeof p, "%s/election/election.json", dir);
    char *kept = slurp(p, &olen);
    assert_int_equal(olen, len);
    assert_memory_equal(kept, json, len);
    free(kept);
    snprintf(p, sizeof p, "%s/election.json", pkg);
    kept = slurp(p, &olen);
    assert_memory_not_equal(kept, json, len);
    free(kept);
    free(json);
    char hash[65];
    unit_ok(package_hash_file("data/demo/election", hash, unit_why()));
    assert_string_equal(e->hash, hash);
    election_free(e);
}

/* A station trusting the demo key outside demo mode, its package loaded
 * on D's app. */
static struct station *
station_with_package(struct driver *d, bool load)
{
    struct config cfg;
    config_defaults(&cfg);
    unsigned char(*keys)[PACKAGE_KEY_BYTES] = NULL;
    size_t n = 0;
    unit_ok(
        package_read_public_keys("data/demo/demo.pub", &keys, &n, unit_why()));
    memcpy(cfg.public_keys[0], keys[0], 32);
    cfg.n_public_keys = 1;
    free(keys);
    struct station *s = station_new(dir, &cfg, false);
    struct election *e = NULL;
    char *why = NULL;
    int r = load ? station_load(s, "data/demo/election", true, &e, &why)
                 : station_load_saved(s, &e, &why);
    if (r != 0)
        fail_msg("load: %s", why ? why : "none saved");
    /* A real package: open only on its date. */
    e->test = false;
    app_set_election(d->app, e);
    return s;
}

static struct driver *
new_driver(void)
{
    struct driver_options o = {.first_lang = LANG_EN, .pin = "246810"};
    return driver_new(&o);
}

static void
effect(struct station *s, struct driver *d, enum fx_kind kind, int value)
{
    struct fx f = {.kind = kind, .value = value};
    struct fx_list out = {0};
    station_effect(s, &f, d->app, d->now, &out);
    fx_list_free(&out);
}

static bool
audit_has(const char *text)
{
    char p[160];
    size_t len;
    snprintf(p, sizeof p, "%s/audit.log", dir);
    char *log = slurp(p, &len);
    bool has = strstr(log, text) != NULL;
    free(log);
    return has;
}

/* Now: the station opens voting by the system's clock. */
static int64_t
election_noon(void)
{
    return (int64_t)time(NULL);
}

static void
test_voting_stays_open_the_same_day(void **state)
{
    (void)state;
    int64_t noon = election_noon();
    struct driver *d = new_driver();
    struct station *s = station_with_package(d, true);
    assert_int_equal(station_restore(s, d->app, noon, d->now), 0);
    assert_false(app_voting_open(d->app));
    app_set_voting(d->app, true);
    effect(s, d, FX_VOTING, 1);
    effect(s, d, FX_VOTER_SESSION, 0);
    effect(s, d, FX_VOTER_SESSION, 0);
    assert_int_equal(station_sessions(s), 2);
    assert_true(station_opened_at(s) > 0);
    station_free(s);
    driver_free(d);

    /* The crash: a new kiosk on the same day finds voting open. */
    d = new_driver();
    s = station_with_package(d, false);
    assert_int_equal(station_restore(s, d->app, noon + 1, d->now), 0);
    assert_true(app_voting_open(d->app));
    assert_int_equal(station_sessions(s), 2);
    assert_true(audit_has("voting assistance open again after a restart"));
    effect(s, d, FX_VOTING, 0);
    assert_true(station_closed_at(s) > 0);
    station_free(s);
    driver_free(d);

    /* Closed stays closed. */
    d = new_driver();
    s = station_with_package(d, false);
    assert_int_equal(station_restore(s, d->app, noon + 2, d->now), 0);
    assert_false(app_voting_open(d->app));
    assert_int_equal(station_sessions(s), 2);
    station_free(s);
    driver_free(d);
}

static void
test_another_day_comes_back_closed_and_says_why(void **state)
{
    (void)state;
    int64_t noon = election_noon();
    struct driver *d = new_driver();
    struct station *s = station_with_package(d, true);
    assert_int_equal(station_restore(s, d->app, noon, d->now), 0);
    app_set_voting(d->app, true);
    effect(s, d, FX_VOTING, 1);
    station_free(s);
    driver_free(d);

    d = new_driver();
    s = station_with_package(d, false);
    assert_int_equal(station_restore(s, d->app, noon + 86400, d->now), 0);
    assert_false(app_voting_open(d->app));
    assert_false(station_state_now(s)->voting_open);
    char day[STATION_STATE_DAY], next[STATION_STATE_DAY], text[200];
    station_state_day(noon, day);
    station_state_day(noon + 86400, next);
    snprintf(text, sizeof text,
             "voting assistance closed at start: it was opened for %s, "
             "today is %s",
             day, next);
    assert_true(audit_has(text));
    /* Staff see why on the staff menu. */
    driver_press(d, TERM_KEY_F10, 0);
    driver_enter_text(d, "246810");
    snprintf(text, sizeof text,
             "Voting assistance was opened for %s, and the terminal started "
             "again on %s, so it is closed.",
             day, next);
    assert_true(driver_shows(d, text));
    station_free(s);
    driver_free(d);
}

static void
test_damaged_state_starts_closed_and_says_so(void **state)
{
    (void)state;
    struct driver *d = new_driver();
    struct station *s = station_with_package(d, true);
    char p[160];
    snprintf(p, sizeof p, "%s/state", dir);
    const char cut[] = "dauys-state/1\nvoting open 2026-03-15\nsess";
    spit(p, cut, sizeof cut - 1);
    assert_int_equal(station_restore(s, d->app, election_noon(), d->now), 0);
    assert_false(app_voting_open(d->app));
    assert_true(audit_has("state damaged, voting assistance closed"));
    driver_press(d, TERM_KEY_F10, 0);
    driver_enter_text(d, "246810");
    assert_true(driver_shows(d, "The saved state of this terminal could not "
                                "be read"));
    station_free(s);
    driver_free(d);
    /* The state was written again whole. */
    struct station_state st;
    char *why = NULL;
    assert_int_equal(station_state_read(p, &st, &why), 0);
}

static void
test_login_lockout_survives_a_restart(void **state)
{
    (void)state;
    struct driver *d = new_driver();
    struct station *s = station_with_package(d, true);
    assert_int_equal(station_restore(s, d->app, election_noon(), d->now), 0);
    driver_press(d, TERM_KEY_F10, 0);
    for (int i = 0; i < 5; i++)
        driver_enter_text(d, "111111");
    assert_true(driver_has_fx(d, FX_GUARD, NULL));
    assert_true(app_guard(d->app)->locked_until > d->now);
    effect(s, d, FX_GUARD, 0);
    station_free(s);
    driver_free(d);

    /* The power button: a new kiosk, a new monotonic clock. */
    d = new_driver();
    d->now += 5000000;
    s = station_with_package(d, false);
    assert_int_equal(station_restore(s, d->app, (int64_t)time(NULL), d->now),
                     0);
    const struct staff_guard *g = app_guard(d->app);
    assert_int_equal(g->failures, 5);
    assert_int_equal(g->lockouts, 1);
    assert_true(g->locked_until > d->now + 25000);
    assert_true(g->locked_until <= d->now + 31000);
    driver_press(d, TERM_KEY_F10, 0);
    assert_true(driver_shows(d, "Login is locked."));
    station_free(s);
    driver_free(d);
}

static void
test_real_package_opens_only_on_its_date(void **state)
{
    (void)state;
    struct driver *d = new_driver();
    struct station *s = station_with_package(d, true);
    driver_press(d, TERM_KEY_F10, 0);
    driver_enter_text(d, "246810");
    driver_enter(d); /* Election package and voting */
    assert_true(driver_focus(d, "Open voting assistance"));
    driver_enter(d);
    /* Today is not 2026-03-15 on the machine running the tests. */
    assert_false(app_voting_open(d->app));
    assert_true(driver_shows(d, "can be opened only on the election day, "
                                "2026-03-15"));
    assert_false(driver_has_fx(d, FX_VOTING, NULL));
    station_free(s);
    driver_free(d);
}

/* Voting is not opened when its state cannot be kept: a restart would
 * silently close it. */
static void
test_opening_that_cannot_be_kept_is_undone(void **state)
{
    (void)state;
    struct driver *d = new_driver();
    struct station *s = station_with_package(d, true);
    char p[160];
    snprintf(p, sizeof p, "%s/state", dir);
    assert_int_equal(mkdir(p, 0700), 0); /* no file can replace a folder */
    assert_int_equal(station_restore(s, d->app, election_noon(), d->now), -1);
    app_set_voting(d->app, true);
    struct fx f = {.kind = FX_VOTING, .value = 1};
    struct fx_list out = {0};
    station_effect(s, &f, d->app, d->now, &out);
    fx_list_free(&out);
    assert_false(app_voting_open(d->app));
    assert_true(driver_view_shows(app_view(d->app),
                                  "Voting assistance was not opened"));
    assert_true(audit_has("voting assistance closed again"));
    station_free(s);
    driver_free(d);
}

/* Carries out one effect of KIND with VALUE, TEXT and CHECK on the
 * station, its outcome in D's effects. */
static void
effect_on(struct station *s, struct driver *d, enum fx_kind kind, int value,
          const char *text, struct report_check *check)
{
    struct fx f = {.kind = kind,
                   .value = value,
                   .text = (char *)text,
                   .check = check};
    fx_clear(&d->out);
    station_effect(s, &f, d->app, d->now, &d->out);
}

/* The text of the one PDF in FOLDER whose name starts with PREFIX, through
 * pdftotext (the caller frees). */
static char *
pdf_text(const char *folder, const char *prefix)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd,
             "pdftotext -layout %s/%s*.pdf - | tr -s ' \\n' ' '", folder,
             prefix);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *out = calloc(1, 65536);
    assert_non_null(out);
    size_t n = fread(out, 1, 65535, p);
    out[n] = '\0';
    pclose(p);
    return out;
}

/* The day's counters come from the effects; the close-of-day report is
 * printed, written into the folder, shown, and has the counts and the
 * audit head that the trail verifies to. */
static void
test_close_of_day_report(void **state)
{
    (void)state;
    char data[200], printer[200], stick[200], text[300];
    snprintf(data, sizeof data, "%s/close", dir);
    snprintf(printer, sizeof printer, "%s/printer", dir);
    snprintf(stick, sizeof stick, "%s/stick", dir);
    assert_int_equal(mkdir(data, 0700), 0);
    assert_int_equal(mkdir(printer, 0700), 0);
    struct config cfg;
    config_defaults(&cfg);
    cfg.mode = MODE_VOTING;
    snprintf(cfg.centre, sizeof cfg.centre, "ALM-09");
    snprintf(cfg.printer, sizeof cfg.printer, "pdf:%s", printer);
    struct station *s = station_new(data, &cfg, true);
    struct driver *d = driver_new(&(struct driver_options){
        .first_lang = LANG_EN,
    });
    struct election *e = NULL;
    char *why = NULL;
    if (station_load(s, "data/demo/election", false, &e, &why) < 0)
        fail_msg("%s", why);
    app_set_election(d->app, e);
    effect_on(s, d, FX_VOTING, 1, NULL, NULL);
    for (int i = 0; i < 3; i++)
        effect_on(s, d, FX_VOTER_SESSION, 0, NULL, NULL);
    effect_on(s, d, FX_WRITE_STENCILS, 0, stick, NULL);
    effect_on(s, d, FX_VOTING, 0, NULL, NULL);
    assert_int_equal(station_sessions(s), 3);
    assert_int_equal(station_stencils(s), e->n_ballots);
    assert_true(station_opened_at(s) > 0);
    assert_true(station_closed_at(s) >= station_opened_at(s));

    effect_on(s, d, FX_REPORT, REPORT_CLOSING, stick, NULL);
    assert_true(driver_shows(d, "Close-of-day report"));
    assert_true(driver_shows(d, "Printed on the receipt printer."));
    assert_true(driver_shows(d, "Voter sessions served: 3"));
    /* The whole report fits on 80x24, a paragraph a section. */
    assert_true(driver_laid_out(d, 80, 24, true, "Printed on the receipt"));
    assert_true(driver_laid_out(d, 80, 24, true, "Audit trail — Audit head:"));
    assert_true(driver_laid_out(d, 80, 24, true, "Enter or Escape: back"));
    char *path = audit_path(data);
    struct audit_head head;
    assert_int_equal(audit_verify(path, &head, &why), 0);
    free(path);
    char *paper = pdf_text(stick, "close-of-day-ALM-09-");
    snprintf(text, sizeof text, "Audit head: %llu %.7s",
             (unsigned long long)head.seq, head.hash);
    assert_non_null(strstr(paper, text));
    assert_non_null(strstr(paper, "Voter sessions served: 3"));
    snprintf(text, sizeof text, "Stencils written: %zu", e->n_ballots);
    assert_non_null(strstr(paper, text));
    assert_non_null(strstr(paper, "This terminal does not take applications."));
    snprintf(text, sizeof text, "Package hash: %.7s", e->hash);
    assert_non_null(strstr(paper, text));
    free(paper);
    paper = pdf_text(printer, "close-of-day-ALM-09-");
    assert_non_null(strstr(paper, "Voter sessions served: 3"));
    free(paper);
    driver_free(d);
    station_free(s);
}

/* The close-of-day report reads the kept state, not the memory of one
 * run: a restart in the middle of the day loses no session, no stencil
 * and not the time voting opened. */
static void
test_report_counts_survive_a_restart(void **state)
{
    (void)state;
    char stick[200], text[300];
    snprintf(stick, sizeof stick, "%s/stick", dir);
    struct driver *d = new_driver();
    struct station *s = station_with_package(d, true);
    assert_int_equal(station_restore(s, d->app, election_noon(), d->now), 0);
    app_set_voting(d->app, true);
    effect(s, d, FX_VOTING, 1);
    effect(s, d, FX_VOTER_SESSION, 0);
    effect(s, d, FX_VOTER_SESSION, 0);
    effect_on(s, d, FX_WRITE_STENCILS, 0, stick, NULL);
    int64_t opened = station_opened_at(s);
    size_t ballots = app_election(d->app)->n_ballots;
    station_free(s);
    driver_free(d);

    /* The power cut; then a session more, closing, and the report. */
    d = new_driver();
    s = station_with_package(d, false);
    assert_int_equal(station_restore(s, d->app, election_noon(), d->now), 0);
    assert_int_equal(station_opened_at(s), opened);
    effect(s, d, FX_VOTER_SESSION, 0);
    effect(s, d, FX_VOTING, 0);
    effect_on(s, d, FX_REPORT, REPORT_CLOSING, stick, NULL);
    assert_true(driver_shows(d, "Voter sessions served: 3"));
    snprintf(text, sizeof text, "Stencils written: %zu", ballots);
    assert_true(driver_shows(d, text));
    assert_true(audit_has("close-of-day report sessions=3"));
    char *paper = pdf_text(stick, "close-of-day-");
    assert_non_null(strstr(paper, "Voter sessions served: 3"));
    assert_non_null(strstr(paper, text));
    free(paper);
    station_free(s);
    driver_free(d);
}

/* A printer that fails: the test says why at once, and the opening
 * report carries the fault and the check. */
static void
test_printer_fault_in_opening_report(void **state)
{
    (void)state;
    char data[200], stick[200];
    snprintf(data, sizeof data, "%s/fault", dir);
    snprintf(stick, sizeof stick, "%s/stick2", dir);
    assert_int_equal(mkdir(data, 0700), 0);
    struct config cfg;
    config_defaults(&cfg);
    snprintf(cfg.centre, sizeof cfg.centre, "ALM-09");
    snprintf(cfg.printer, sizeof cfg.printer, "/nonexistent/lp0");
    struct station *s = station_new(data, &cfg, true);
    struct driver *d = driver_new(&(struct driver_options){
        .first_lang = LANG_EN,
    });
    effect_on(s, d, FX_PRINT_TEST, 0, NULL, NULL);
    assert_true(driver_shows(d, "The printer failed: cannot open the "
                                "receipt printer /nonexistent/lp0"));
    struct report_check *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->keypad = true;
    c->keys_total = 17;
    c->keys_pressed = 17;
    c->heard = REPORT_YES;
    c->printed = REPORT_NO;
    effect_on(s, d, FX_REPORT, REPORT_OPENING, stick, c);
    free(c);
    assert_true(driver_shows(d, "The printer failed"));
    char *paper = pdf_text(stick, "opening-ALM-09-");
    assert_non_null(strstr(paper, "Keypad keys pressed: 17 of 17"));
    assert_non_null(strstr(paper, "Printer test line printed: NO"));
    assert_non_null(strstr(paper, "Printer fault: cannot open the receipt "
                                  "printer /nonexistent/lp0"));
    assert_non_null(strstr(paper, "Result: the terminal is NOT ready."));
    free(paper);
    /* A folder that cannot be made: the reason is shown. */
    effect_on(s, d, FX_REPORT, REPORT_CLOSING, "/proc/dauys-no", NULL);
    assert_true(
        driver_shows(d, "The PDF could not be written: /proc/dauys-no"));
    driver_free(d);
    station_free(s);
}

/* The staff guide: written in both languages; a guide that cannot be read
 * is said as such, not as a printer fault. */
static void
test_guide(void **state)
{
    (void)state;
    char data[200], out[200], path[300];
    snprintf(data, sizeof data, "%s/guide-data", dir);
    snprintf(out, sizeof out, "%s/guide", dir);
    assert_int_equal(mkdir(data, 0700), 0);
    struct config cfg;
    config_defaults(&cfg);
    struct station *s = station_new(data, &cfg, false);
    struct driver *d = driver_new(&(struct driver_options){
        .first_lang = LANG_EN,
    });
    effect_on(s, d, FX_GUIDE, 1, out, NULL);
    snprintf(path, sizeof path, "Written to %s/staff-guide-kk.pdf.", out);
    assert_true(driver_shows(d, path));
    snprintf(path, sizeof path, "%s/staff-guide-ru.pdf", out);
    assert_int_equal(access(path, R_OK), 0);
    setenv("DAUYS_DATADIR", "/nonexistent", 1);
    effect_on(s, d, FX_GUIDE, 0, NULL, NULL);
    setenv("DAUYS_DATADIR", "data", 1);
    assert_true(driver_shows(d, "The staff guide cannot be read: "
                                "/nonexistent/guide/staff-guide.ru.md"));
    assert_false(driver_shows(d, "printer failed"));
    driver_free(d);
    station_free(s);
}

/* The store's counts, as a fake port answers them: the range asked for
 * is kept to check that it is today's. */
static int64_t counted_from, counted_to;

static int
fake_count(void *ctx, int64_t from, int64_t to, store_count_fn fn, void *fctx,
           char **why)
{
    (void)ctx;
    (void)why;
    counted_from = from;
    counted_to = to;
    fn(fctx, "invataxi", 4);
    fn(fctx, "retired-service", 1);
    return 0;
}

static int
failing_count(void *ctx, int64_t from, int64_t to, store_count_fn fn,
              void *fctx, char **why)
{
    (void)ctx;
    (void)from;
    (void)to;
    (void)fn;
    (void)fctx;
    *why = strdup("database is locked");
    return STORE_BUSY;
}

/* Applications by service: titled from the catalogue (an id it no longer
 * has, by its id), counted from the start of today; a store that fails is
 * said in the report, which is made all the same. */
static void
test_applications_by_service(void **state)
{
    (void)state;
    char data[200], stick[200];
    snprintf(data, sizeof data, "%s/apps", dir);
    snprintf(stick, sizeof stick, "%s/stick-apps", dir);
    assert_int_equal(mkdir(data, 0700), 0);
    struct catalogue *cat = NULL;
    char *why = NULL;
    if (catalogue_load("data/services/catalogue.txt", &cat, &why) < 0)
        fail_msg("%s", why);
    struct services_ops ops = {.count = fake_count};
    struct services svc = {.catalogue = cat, .centre = "ALM-09", .ops = &ops};
    struct config cfg;
    config_defaults(&cfg);
    cfg.mode = MODE_SERVICES;
    snprintf(cfg.centre, sizeof cfg.centre, "ALM-09");
    struct station *s = station_new(data, &cfg, false);
    station_set_services(s, &svc);
    struct driver *d = driver_new(&(struct driver_options){
        .first_lang = LANG_EN,
    });
    effect_on(s, d, FX_REPORT, REPORT_CLOSING, stick, NULL);
    assert_true(driver_shows(d, "Invataxi: 4"));
    assert_true(driver_shows(d, "retired-service: 1"));
    assert_true(driver_shows(d, "Applications in all: 5"));
    assert_false(driver_shows(d, "Voter sessions"));
    int64_t now = (int64_t)time(NULL);
    assert_true(counted_from <= now && now - counted_from < 86400 + 3600);
    assert_int_equal(counted_to, 0);
    char *paper = pdf_text(stick, "close-of-day-ALM-09-");
    assert_non_null(strstr(paper, "Invataxi: 4"));
    free(paper);
    ops.count = failing_count;
    effect_on(s, d, FX_REPORT, REPORT_CLOSING, stick, NULL);
    assert_true(driver_shows(d, "The applications cannot be counted: "
                                "database is locked"));
    assert_true(driver_shows(d, "Written to"));
    driver_free(d);
    station_free(s);
    catalogue_free(cat);
}

/* A report for a folder on the USB stick goes through the stick helper
 * (the kiosk's view of the stick is read-only): the real helper, in its
 * test mode, puts it on the "stick" (another folder); when the stick is
 * gone the PDF stays in the spool, the screen says so, and the next write
 * takes it along. */
static void
test_report_onto_the_stick(void **state)
{
    (void)state;
    char data[200], view[200], real[200], sock[200], p[400];
    snprintf(data, sizeof data, "%s/onto", dir);
    snprintf(view, sizeof view, "%s/media", dir);
    snprintf(real, sizeof real, "%s/real-stick", dir);
    snprintf(sock, sizeof sock, "%s/media.sock", dir);
    assert_int_equal(mkdir(data, 0700), 0);
    assert_int_equal(mkdir(view, 0500), 0);
    struct config cfg;
    config_defaults(&cfg);
    cfg.mode = MODE_VOTING;
    snprintf(cfg.centre, sizeof cfg.centre, "ALM-09");
    struct station *s = station_new(data, &cfg, true);
    station_set_media(s, view, sock);
    struct driver *d = driver_new(&(struct driver_options){
        .first_lang = LANG_EN,
    });
    char folder[300];
    snprintf(folder, sizeof folder, "%s/reports", view);
    /* The stick is gone: nothing reaches it, the PDF is kept. */
    pid_t pid = media_helper_start(sock, real, 1);
    effect_on(s, d, FX_REPORT, REPORT_CLOSING, folder, NULL);
    assert_int_not_equal(media_helper_wait(pid), 0);
    assert_true(driver_shows(d, "The PDF could not be written"));
    assert_true(driver_shows(d, "kept on this terminal"));
    snprintf(p, sizeof p, "test $(ls %s/spool | wc -l) = 1", data);
    assert_int_equal(system(p), 0);
    /* Back: the kept report and the new one land on the stick. */
    assert_int_equal(mkdir(real, 0700), 0);
    pid = media_helper_start(sock, real, 2);
    effect_on(s, d, FX_REPORT, REPORT_OPENING, folder, NULL);
    assert_int_equal(media_helper_wait(pid), 0);
    assert_true(driver_shows(d, "Written to"));
    snprintf(p, sizeof p, "%s/reports", real);
    char *paper = pdf_text(p, "close-of-day-ALM-09-");
    assert_non_null(strstr(paper, "Close-of-day report"));
    free(paper);
    paper = pdf_text(p, "opening-ALM-09-");
    assert_non_null(strstr(paper, "ALM-09"));
    free(paper);
    snprintf(p, sizeof p, "test -z \"$(ls %s/spool)\"", data);
    assert_int_equal(system(p), 0);
    /* Nothing was written into the kiosk's (read-only) view. */
    snprintf(p, sizeof p, "test -z \"$(ls %s)\"", view);
    assert_int_equal(system(p), 0);
    /* A folder name the helper would refuse is refused at once. */
    snprintf(folder, sizeof folder, "%s/my reports", view);
    effect_on(s, d, FX_REPORT, REPORT_CLOSING, folder, NULL);
    assert_true(driver_shows(d, "letters, digits"));
    driver_free(d);
    station_free(s);
}

UNIT_MAIN(
    setup, teardown, cmocka_unit_test(test_practice_bundled_or_built_in),
    cmocka_unit_test(test_report_onto_the_stick),
    cmocka_unit_test(test_demo_key_only_in_demo_mode),
    cmocka_unit_test(test_audit_lines),
    cmocka_unit_test(test_applications_by_service),
    cmocka_unit_test(test_guide), cmocka_unit_test(test_close_of_day_report),
    cmocka_unit_test(test_printer_fault_in_opening_report),
    cmocka_unit_test_setup_teardown(test_copy_is_the_verified_bytes, fresh,
                                    NULL),
    cmocka_unit_test_setup_teardown(test_voting_stays_open_the_same_day, fresh,
                                    NULL),
    cmocka_unit_test_setup_teardown(
        test_another_day_comes_back_closed_and_says_why, fresh, NULL),
    cmocka_unit_test_setup_teardown(
        test_damaged_state_starts_closed_and_says_so, fresh, NULL),
    cmocka_unit_test_setup_teardown(test_login_lockout_survives_a_restart,
                                    fresh, NULL),
    cmocka_unit_test_setup_teardown(test_real_package_opens_only_on_its_date,
                                    fresh, NULL),
    cmocka_unit_test_setup_teardown(test_opening_that_cannot_be_kept_is_undone,
                                    fresh, NULL),
    cmocka_unit_test_setup_teardown(test_report_counts_survive_a_restart, fresh,
                                    NULL))
