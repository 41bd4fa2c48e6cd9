/*
 * Removable media: scanning lists packages (id, date, hash; a broken one
 * with its problem) and terminal configurations, skips FIFOs, links and
 * hidden entries without blocking; writing goes through the spool, to a
 * folder directly or through the real stick helper (build/dauys-media
 * "serve --no-mount", fed a connection on a socket made here), and a job
 * stays in the spool until the copy is confirmed: a stick that is gone
 * mid-write loses nothing, the next flush sends it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "kiosk/config.h"
#include "kiosk/media.h"
#include "kiosk/services.h"
#include "kiosk/services_run.h"
#include "tests/unit/kiosk/media_helper.h"
#include "tests/unit/unit.h"

static char dir[100];

static int
setup(void **state)
{
    (void)state;
    return unit_tmpdir(dir, sizeof dir, "dauys-test-media");
}

static int
teardown(void **state)
{
    (void)state;
    return unit_rmtree(dir);
}

static void
put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *
slurp(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void
copy(const char *from, const char *to)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
    assert_int_equal(system(cmd), 0);
}

static void
test_no_stick(void **state)
{
    (void)state;
    char p[200];
    struct media_list l;
    snprintf(p, sizeof p, "%s/none", dir);
    assert_int_equal(media_scan(p, &l, NULL), 1);
    assert_int_equal(l.n, 0);
    assert_false(media_present(p));
    snprintf(p, sizeof p, "%s/empty", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    assert_int_equal(media_scan(p, &l, NULL), 1);
    assert_false(media_present(p));
}

static void
test_scan_lists_packages_and_configurations(void **state)
{
    (void)state;
    char p[300], stick[200];
    snprintf(stick, sizeof stick, "%s/stick", dir);
    assert_int_equal(mkdir(stick, 0700), 0);
    snprintf(p, sizeof p, "%s/demo", stick);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/demo/election.json", stick);
    copy("data/demo/election/election.json", p);
    snprintf(p, sizeof p, "%s/demo/election.json.sig", stick);
    copy("data/demo/election/election.json.sig", p);
    snprintf(p, sizeof p, "%s/broken", stick);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/broken/election.json", stick);
    put(p, "{\"format\": \"dauys-election/1\"");
    /* A FIFO named election.json must not block the scan. */
    snprintf(p, sizeof p, "%s/fifo", stick);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/fifo/election.json", stick);
    assert_int_equal(mkfifo(p, 0600), 0);
    /* Links and hidden folders are not followed. */
    snprintf(p, sizeof p, "%s/link", stick);
    assert_int_equal(symlink("demo", p), 0);
    snprintf(p, sizeof p, "%s/.hidden", stick);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/.hidden/election.json", stick);
    copy("data/demo/election/election.json", p);
    /* A name with a control character (C1 CSI) is not listed. */
    snprintf(p, sizeof p,
             "%s/evil\xc2\x9b"
             "2J",
             stick);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p,
             "%s/evil\xc2\x9b"
             "2J/election.json",
             stick);
    copy("data/demo/election/election.json", p);
    snprintf(p, sizeof p, "%s/terminal-7.json", stick);
    put(p, "{\"format\": \"dauys-terminal/1\", \"terminal\": \"7\"}\n");
    snprintf(p, sizeof p, "%s/notes.json", stick);
    put(p, "{\"format\": \"something else\"}");

    struct media_list l;
    assert_int_equal(media_scan(stick, &l, unit_why()), 0);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.v[0].kind, MEDIA_TERMINAL);
    assert_string_equal(l.v[0].name, "terminal-7.json");
    assert_int_equal(strlen(l.v[0].hash), 64);
    assert_int_equal(l.v[1].kind, MEDIA_PACKAGE);
    assert_string_equal(l.v[1].name, "broken");
    assert_null(l.v[1].id);
    assert_non_null(strstr(l.v[1].problem, "election.json"));
    assert_int_equal(l.v[2].kind, MEDIA_PACKAGE);
    assert_string_equal(l.v[2].name, "demo");
    assert_string_equal(l.v[2].id, "demo-2026-almaly-district-7");
    assert_string_equal(l.v[2].date, "2026-03-15");
    assert_null(l.v[2].problem);
    snprintf(p, sizeof p, "%s/demo", stick);
    assert_string_equal(l.v[2].path, p);
    /* The hash is the SHA-256 of election.json, as the package's. */
    FILE *f = popen("sha256sum data/demo/election/election.json", "r");
    char want[65] = "";
    assert_non_null(f);
    assert_int_equal(fscanf(f, "%64s", want), 1);
    pclose(f);
    assert_string_equal(l.v[2].hash, want);
    media_list_free(&l);

    /* A package at the stick's top is named ".". */
    snprintf(p, sizeof p, "%s/election.json", stick);
    copy("data/demo/election/election.json", p);
    assert_int_equal(media_scan(stick, &l, unit_why()), 0);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.v[1].name, ".");
    assert_string_equal(l.v[1].path, stick);
    media_list_free(&l);
}

/* Makes a committed job in SPOOL with two files; returns 0. */
static void
make_job(const char *spool, const char *name, const char *text)
{
    char *why = NULL;
    char *job = media_job_begin(spool, name, &why);
    assert_non_null(job);
    char p[400];
    snprintf(p, sizeof p, "%s/out", job);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/out/%s.txt", job, name);
    put(p, text);
    snprintf(p, sizeof p, "%s/top.txt", job);
    put(p, text);
    /* Not committed: never sent. */
    assert_int_equal(media_job_commit(job, &why), 0);
    free(job);
}

static void
test_flush_direct(void **state)
{
    (void)state;
    char spool[200], stick[200], p[300];
    snprintf(spool, sizeof spool, "%s/spool", dir);
    snprintf(stick, sizeof stick, "%s/stick", dir);
    assert_int_equal(mkdir(stick, 0700), 0);
    snprintf(p, sizeof p, "%s/already-there", stick);
    put(p, "x");
    char *why = NULL;
    char *pending = media_job_begin(spool, "pending", &why);
    assert_non_null(pending);
    make_job(spool, "stencils", "one");
    make_job(spool, "report", "two");
    struct media_report r;
    assert_int_equal(media_flush(spool, NULL, stick, &r, &why), MEDIA_OK);
    assert_int_equal(r.jobs_sent, 2);
    assert_int_equal(r.jobs_left, 0);
    assert_int_equal(r.files, 4);
    assert_int_equal(r.bytes, 12);
    snprintf(p, sizeof p, "%s/out/stencils.txt", stick);
    assert_string_equal(slurp(p), "one");
    snprintf(p, sizeof p, "%s/out/report.txt", stick);
    assert_string_equal(slurp(p), "two");
    /* The later job wins the shared name: jobs go oldest first. */
    snprintf(p, sizeof p, "%s/top.txt", stick);
    assert_string_equal(slurp(p), "two");
    snprintf(p, sizeof p, "%s/top.txt.part", stick);
    assert_int_equal(access(p, F_OK), -1);
    /* The uncommitted job is neither sent nor removed. */
    assert_int_equal(access(pending, F_OK), 0);
    media_job_abandon(pending);
    assert_int_equal(access(pending, F_OK), -1);
    free(pending);
}

static void
test_flush_without_stick_keeps_the_job(void **state)
{
    (void)state;
    char spool[200], stick[200], p[300];
    snprintf(spool, sizeof spool, "%s/spool", dir);
    snprintf(stick, sizeof stick, "%s/stick", dir);
    make_job(spool, "stencils", "one");
    struct media_report r;
    char *why = NULL;
    assert_int_equal(media_flush(spool, NULL, stick, &r, &why), MEDIA_NOMEDIA);
    assert_int_equal(r.jobs_sent, 0);
    assert_int_equal(r.jobs_left, 1);
    free(why);
    why = NULL;
    assert_int_equal(mkdir(stick, 0700), 0);
    snprintf(p, sizeof p, "%s/x", stick);
    put(p, "x");
    assert_int_equal(media_flush(spool, NULL, stick, &r, &why), MEDIA_OK);
    assert_int_equal(r.jobs_sent, 1);
    snprintf(p, sizeof p, "%s/out/stencils.txt", stick);
    assert_string_equal(slurp(p), "one");
}

static void
test_flush_through_the_helper(void **state)
{
    (void)state;
    char spool[200], stick[200], sock[200], p[300];
    snprintf(spool, sizeof spool, "%s/spool", dir);
    snprintf(stick, sizeof stick, "%s/stick", dir);
    snprintf(sock, sizeof sock, "%s/media.sock", dir);
    assert_int_equal(mkdir(stick, 0700), 0);
    make_job(spool, "stencils", "hello");
    pid_t pid = media_helper_start(sock, stick, 1);
    struct media_report r;
    char *why = NULL;
    assert_int_equal(media_flush(spool, sock, "/nonexistent", &r, &why),
                     MEDIA_OK);
    assert_int_equal(media_helper_wait(pid), 0);
    assert_int_equal(r.jobs_sent, 1);
    assert_int_equal(r.files, 2);
    assert_int_equal(r.bytes, 10);
    snprintf(p, sizeof p, "%s/out/stencils.txt", stick);
    assert_string_equal(slurp(p), "hello");
    snprintf(p, sizeof p, "%s/top.txt", stick);
    assert_string_equal(slurp(p), "hello");
    snprintf(p, sizeof p, "%s/top.txt.part", stick);
    assert_int_equal(access(p, F_OK), -1);
}

static void
test_helper_stick_gone_keeps_the_job(void **state)
{
    (void)state;
    char spool[200], stick[200], sock[200], p[300];
    snprintf(spool, sizeof spool, "%s/spool", dir);
    snprintf(stick, sizeof stick, "%s/stick", dir);
    snprintf(sock, sizeof sock, "%s/media.sock", dir);
    make_job(spool, "stencils", "hello");
    /* The stick went away: its directory is not there. */
    pid_t pid = media_helper_start(sock, stick, 1);
    struct media_report r;
    char *why = NULL;
    assert_int_equal(media_flush(spool, sock, NULL, &r, &why), MEDIA_GONE);
    assert_int_not_equal(media_helper_wait(pid), 0);
    assert_non_null(why);
    free(why);
    why = NULL;
    assert_int_equal(r.jobs_left, 1);
    /* Back again: the same job is sent. */
    assert_int_equal(mkdir(stick, 0700), 0);
    pid = media_helper_start(sock, stick, 1);
    assert_int_equal(media_flush(spool, sock, NULL, &r, &why), MEDIA_OK);
    assert_int_equal(media_helper_wait(pid), 0);
    assert_int_equal(r.jobs_sent, 1);
    assert_int_equal(r.jobs_left, 0);
    snprintf(p, sizeof p, "%s/out/stencils.txt", stick);
    assert_string_equal(slurp(p), "hello");
}

static void
test_helper_refuses_bad_names(void **state)
{
    (void)state;
    char spool[200], stick[200], sock[200], p[400];
    snprintf(spool, sizeof spool, "%s/spool", dir);
    snprintf(stick, sizeof stick, "%s/stick", dir);
    snprintf(sock, sizeof sock, "%s/media.sock", dir);
    assert_int_equal(mkdir(stick, 0700), 0);
    char *why = NULL;
    char *job = media_job_begin(spool, "odd", &why);
    assert_non_null(job);
    snprintf(p, sizeof p, "%s/a name;with spaces", job);
    put(p, "x");
    assert_int_equal(media_job_commit(job, &why), 0);
    free(job);
    pid_t pid = media_helper_start(sock, stick, 1);
    struct media_report r;
    assert_int_equal(media_flush(spool, sock, NULL, &r, &why), MEDIA_FAILED);
    assert_non_null(strstr(why, "not an allowed name"));
    free(why);
    assert_int_not_equal(media_helper_wait(pid), 0);
    assert_int_equal(r.jobs_left, 1);
    /* Bad job names are refused before anything is made. */
    why = NULL;
    assert_null(media_job_begin(spool, "../x", &why));
    free(why);
}

/* The staff's export of the sealed outbox onto the stick goes through
 * the helper too (the kiosk's view of the stick is read-only): the records
 * and the manifest land on the "stick", nothing in the kiosk's view or
 * the data folder; with the stick gone the export stays in the spool and
 * the reason says so. */
static void
test_export_through_the_helper(void **state)
{
    (void)state;
    char data[200], view[200], real[200], sock[200], p[700];
    snprintf(data, sizeof data, "%s/data", dir);
    snprintf(view, sizeof view, "%s/view", dir);
    snprintf(real, sizeof real, "%s/real", dir);
    snprintf(sock, sizeof sock, "%s/media.sock", dir);
    assert_int_equal(mkdir(data, 0700), 0);
    assert_int_equal(mkdir(view, 0500), 0);
    struct config cfg;
    config_defaults(&cfg);
    cfg.mode = MODE_SERVICES;
    snprintf(cfg.centre, sizeof cfg.centre, "ALM-09");
    unsigned char sk[crypto_box_SECRETKEYBYTES];
    crypto_box_keypair(cfg.centre_public_key, sk);
    cfg.has_centre_key = true;
    setenv("DAUYS_DATADIR", "data", 1);
    struct services_run *r = services_start(&cfg, data, false, true, NULL);
    assert_null(services_problem(r));
    services_set_media(r, view, sock);
    const struct services *sv = services_get(r);
    char *path = NULL, *why = NULL;
    long count = -1;
    /* The stick is gone: the export is kept, and the reason says so. */
    pid_t pid = media_helper_start(sock, real, 1);
    assert_int_not_equal(sv->ops->export_outbox(sv->ops_ctx, view, &path,
                                                &count, &why),
                         0);
    assert_int_not_equal(media_helper_wait(pid), 0);
    assert_non_null(strstr(why, "kept on this terminal"));
    free(why);
    why = NULL;
    snprintf(p, sizeof p, "test $(ls %s/spool | wc -l) = 1", data);
    assert_int_equal(system(p), 0);
    /* Back: the kept export and the new one reach the stick. */
    assert_int_equal(mkdir(real, 0700), 0);
    pid = media_helper_start(sock, real, 2);
    assert_int_equal(sv->ops->export_outbox(sv->ops_ctx, view, &path, &count,
                                            &why),
                     0);
    assert_int_equal(media_helper_wait(pid), 0);
    assert_int_equal(count, 0);
    assert_int_equal(strncmp(path, view, strlen(view)), 0);
    free(path);
    snprintf(p, sizeof p,
             "test $(ls %s/outbox-ALM-09-*.manifest | wc -l) -ge 1 && "
             "test $(ls %s/outbox-ALM-09-*.jsonl | wc -l) -ge 1",
             real, real);
    assert_int_equal(system(p), 0);
    snprintf(p, sizeof p, "test -z \"$(ls %s)\" && test -z \"$(ls %s/spool)\"",
             view, data);
    assert_int_equal(system(p), 0);
    /* Only the top folder of the stick. */
    snprintf(p, sizeof p, "%s/sub", view);
    assert_int_equal(sv->ops->export_outbox(sv->ops_ctx, p, &path, &count,
                                            &why),
                     STORE_INVALID);
    assert_non_null(strstr(why, "top folder of the USB stick"));
    free(why);
    services_stop(r);
}

UNIT_MAIN(NULL, NULL, UNIT_FRESH(test_no_stick),
          UNIT_FRESH(test_scan_lists_packages_and_configurations),
          UNIT_FRESH(test_flush_direct),
          UNIT_FRESH(test_flush_without_stick_keeps_the_job),
          UNIT_FRESH(test_flush_through_the_helper),
          UNIT_FRESH(test_helper_stick_gone_keeps_the_job),
          UNIT_FRESH(test_helper_refuses_bad_names),
          UNIT_FRESH(test_export_through_the_helper))
