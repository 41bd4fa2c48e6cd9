/*
 * The polling station's I/O (see station.h). Copies are written through
 * atomicfile, so a power cut never leaves a half-written election.json in
 * the data directory; a saved package is verified again at every start,
 * so a tampered copy (or a new package beside the old signature, after a
 * power cut between the two files) is refused like any other.
 */
#include "kiosk/station.h"

#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "accessibility/atomicfile.h"
#include "accessibility/audit.h"
#include "accessibility/textfile.h"
#include "accessibility/xalloc.h"
#include "ballot/package.h"
#include "ballot/stencil.h"
#include "ballot/stencil_layout.h"
#include "kiosk/log.h"
#include "kiosk/media.h"
#include "kiosk/options.h"
#include "kiosk/report.h"
#include "kiosk/services.h"
#include "kiosk/staff.h"
#include "kiosk/station_state.h"

struct station {
    char *data_dir;
    char *audit_log;
    char *state_path;
    struct station_state st; /* in force, as last written */
    bool demo;
    void (*after_verify)(void *ctx); /* test seam: station_set_load_hook() */
    void *after_verify_ctx;
    char terminal[33]; /* the terminal id, else the centre code */
    char printer[PATH_MAX];
    bool services_mode;
    bool voting_mode;
    const struct services *svc; /* NULL: no applications here */
    char *printer_problem;      /* the last printer test failed: why */
    unsigned char (*keys)[PACKAGE_KEY_BYTES];
    size_t n_keys;
    unsigned char (*demo_key)[PACKAGE_KEY_BYTES]; /* for practice only */
    size_t n_demo;
    char *media_dir;    /* where the USB stick is mounted (media.h) */
    char *media_socket; /* the stick helper's socket */
    char *spool;        /* <data-dir>/spool: writes waiting for the stick */
};

/* The practice ballot when the bundled one cannot be read: three made-up
 * candidates, marked as a test. */
static const char practice_sample[] =
    "{\"format\":\"dauys-election/1\",\"id\":\"practice-sample\","
    "\"test\":true,\"date\":\"2026-01-01\","
    "\"title\":{\"kk\":\"Жаттығу бюллетені\",\"ru\":\"Учебный бюллетень\","
    "\"en\":\"Practice ballot\"},\"ballots\":[{\"id\":\"practice\","
    "\"kind\":\"candidates\",\"title\":{\"kk\":\"Жаттығу бюллетені\","
    "\"ru\":\"Учебный бюллетень\",\"en\":\"Practice ballot\"},"
    "\"max_marks\":1,\"paper\":{\"width_mm\":148,\"height_mm\":210,"
    "\"corner_cut\":\"top-right\"},\"options\":["
    "{\"id\":\"a\",\"position\":1,\"label\":{\"kk\":\"Алма\","
    "\"ru\":\"Яблоко\",\"en\":\"Apple\"},"
    "\"box\":{\"x_mm\":118,\"y_mm\":60,\"w_mm\":16,\"h_mm\":14}},"
    "{\"id\":\"b\",\"position\":2,\"label\":{\"kk\":\"Алмұрт\","
    "\"ru\":\"Груша\",\"en\":\"Pear\"},"
    "\"box\":{\"x_mm\":118,\"y_mm\":90,\"w_mm\":16,\"h_mm\":14}},"
    "{\"id\":\"c\",\"position\":3,\"label\":{\"kk\":\"Өрік\","
    "\"ru\":\"Абрикос\",\"en\":\"Apricot\"},"
    "\"box\":{\"x_mm\":118,\"y_mm\":120,\"w_mm\":16,\"h_mm\":14}}]}]}";

static void
station_add_keys(unsigned char (**keys)[PACKAGE_KEY_BYTES], size_t *n,
                 const unsigned char (*more)[PACKAGE_KEY_BYTES], size_t m)
{
    if (m == 0)
        return;
    *keys = xrealloc(*keys, (*n + m) * sizeof **keys);
    memcpy(*keys + *n, more, m * sizeof *more);
    *n += m;
}

struct station *
station_new(const char *data_dir, const struct config *cfg, bool demo)
{
    struct station *s = xcalloc(1, sizeof *s);
    s->data_dir = xstrdup(data_dir);
    s->audit_log = audit_path(data_dir);
    s->media_dir = xstrdup(MEDIA_DEFAULT_DIR);
    s->media_socket = xstrdup(MEDIA_DEFAULT_SOCKET);
    s->spool = xasprintf("%s/spool", data_dir);
    s->state_path = station_state_path(data_dir);
    s->demo = demo;
    station_state_init(&s->st);
    /* The terminal id (the signed terminal configuration's, applied to
     * CFG), else the centre code. */
    snprintf(s->terminal, sizeof s->terminal, "%s",
             cfg->terminal[0] != '\0' ? cfg->terminal : cfg->centre);
    snprintf(s->printer, sizeof s->printer, "%s", cfg->printer);
    s->services_mode = (cfg->mode & MODE_SERVICES) != 0;
    s->voting_mode = (cfg->mode & MODE_VOTING) != 0;
    station_add_keys(&s->keys, &s->n_keys,
                     (const unsigned char(*)[PACKAGE_KEY_BYTES])
                         cfg->public_keys,
                     cfg->n_public_keys);
    char *path = xasprintf("%s/demo/demo.pub", options_datadir());
    char *why = NULL;
    if (package_read_public_keys(path, &s->demo_key, &s->n_demo, &why) < 0) {
        log_warn("practice: %s", why);
        free(why);
        s->demo_key = NULL;
        s->n_demo = 0;
    }
    free(path);
    if (demo)
        station_add_keys(&s->keys, &s->n_keys,
                         (const unsigned char(*)[PACKAGE_KEY_BYTES])s->demo_key,
                         s->n_demo);
    return s;
}

void
station_free(struct station *s)
{
    if (s == NULL)
        return;
    free(s->data_dir);
    free(s->audit_log);
    free(s->media_dir);
    free(s->media_socket);
    free(s->spool);
    free(s->state_path);
    free(s->keys);
    free(s->demo_key);
    free(s->printer_problem);
    free(s);
}

void
station_set_media(struct station *s, const char *dir, const char *socket)
{
    free(s->media_dir);
    free(s->media_socket);
    s->media_dir = xstrdup(dir);
    s->media_socket = xstrdup(socket);
}

size_t
station_n_keys(const struct station *s)
{
    return s->n_keys;
}

/* Copies the verified bytes B (election.json and its signature) into the
 * data directory: never a second read of the folder they came from. */
static int
station_save(struct station *s, const struct package_bytes *b, char **why)
{
    char *to_dir = xasprintf("%s/election", s->data_dir);
    char *json = xasprintf("%s/election.json", to_dir);
    char *sig = xasprintf("%s/election.json.sig", to_dir);
    int rc = -1;
    if (mkdir(to_dir, 0700) != 0 && errno != EEXIST) {
        *why = xasprintf("%s: %s", to_dir, strerror(errno));
        goto out;
    }
    if (atomicfile_write(json, b->json, b->json_len, 0600, 0, why) < 0 ||
        atomicfile_write(sig, b->sig, b->sig_len, 0600, 0, why) < 0)
        goto out;
    rc = 0;
out:
    free(sig);
    free(json);
    free(to_dir);
    return rc;
}

void
station_set_load_hook(struct station *s, void (*fn)(void *ctx), void *ctx)
{
    s->after_verify = fn;
    s->after_verify_ctx = ctx;
}

int
station_load(struct station *s, const char *dir, bool save,
             struct election **out, char **why)
{
    struct election *e = NULL;
    if (s->n_keys == 0) {
        *why = xstrdup("no trusted key: add [election] public_key to the "
                       "configuration");
        return -1;
    }
    struct package_bytes bytes = {0};
    if (package_load_bytes(dir,
                           (const unsigned char(*)[PACKAGE_KEY_BYTES])s->keys,
                           s->n_keys, &e, save ? &bytes : NULL, why) < 0)
        return -1;
    if (s->after_verify != NULL)
        s->after_verify(s->after_verify_ctx);
    int rc = save ? station_save(s, &bytes, why) : 0;
    package_bytes_free(&bytes);
    if (rc < 0) {
        election_free(e);
        return -1;
    }
    *out = e;
    return 0;
}

int
station_load_saved(struct station *s, struct election **out, char **why)
{
    char *dir = xasprintf("%s/election", s->data_dir);
    char *json = xasprintf("%s/election.json", dir);
    int rc = 1;
    if (access(json, F_OK) == 0)
        rc = station_load(s, dir, false, out, why);
    free(json);
    free(dir);
    return rc;
}

struct election *
station_practice(const struct station *s)
{
    struct election *e = NULL;
    char *why = NULL;
    char *dir = xasprintf("%s/demo/practice", options_datadir());
    if (s->n_demo == 0 ||
        package_load(dir,
                     (const unsigned char(*)[PACKAGE_KEY_BYTES])s->demo_key,
                     s->n_demo, &e, &why) < 0) {
        log_warn("practice package %s not used: %s", dir,
                 why ? why : "no demo key");
        free(why);
        why = NULL;
        if (package_parse(practice_sample, sizeof practice_sample - 1, &e,
                          &why) < 0) {
            /* The sample is part of the program; tests keep it valid. */
            log_error("built-in practice sample: %s", why);
            abort();
        }
    }
    free(dir);
    return e;
}

void
station_audit(struct station *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    char *why = NULL;
    if (audit_append(s->audit_log, (int64_t)time(NULL), "kiosk", msg, NULL,
                     &why) < 0) {
        log_error("audit: %s", why);
        free(why);
    }
    log_info("audit: %s", msg);
    free(msg);
}

/* Shows TITLE and LINES (each a paragraph) to staff. */
static void
station_show(struct app *app, const char *title, char **lines, int n,
             uint64_t now_ms, struct fx_list *out)
{
    app_show_message(app, title, (const char *const *)lines, n, now_ms, out);
}

/* Splits WHY into lines after HEAD and TAIL, then shows them. */
static void
station_show_why(struct app *app, const char *title, const char *head,
                 const char *why, const char *tail, uint64_t now_ms,
                 struct fx_list *out)
{
    char *lines[32];
    int n = 0;
    lines[n++] = xstrdup(head);
    for (const char *p = why; *p != '\0' && n < 30;) {
        size_t len = strcspn(p, "\n");
        lines[n++] = xstrndup(p, len);
        p += len;
        if (*p == '\n')
            p++;
    }
    lines[n++] = xstrdup(tail);
    station_show(app, title, lines, n, now_ms, out);
    for (int i = 0; i < n; i++)
        free(lines[i]);
}

/* Writes the state in force; a failure is logged and put in the audit
 * trail with WHAT (what was to be kept). Returns 0 or -1 with *WHY (when
 * WHY is not NULL; the caller frees). */
static int
station_keep(struct station *s, const char *what, char **why)
{
    char *w = NULL;
    if (station_state_write(s->state_path, &s->st, &w) == 0)
        return 0;
    log_error("state: %s not saved: %s", what, w);
    station_audit(s, "state not saved (%s): %s", what, w);
    if (why != NULL)
        *why = w;
    else
        free(w);
    return -1;
}

/* The login guard of APP at NOW_MS into the state (wall-clock seconds). */
static void
station_take_guard(struct station *s, const struct app *app, uint64_t now_ms)
{
    const struct staff_guard *g = app_guard(app);
    s->st.pin_failures = g->failures;
    s->st.pin_lockouts = g->lockouts;
    s->st.pin_locked_until = g->locked_until > now_ms
                                 ? (int64_t)time(NULL) +
                                       (int64_t)((g->locked_until - now_ms +
                                                  999) /
                                                 1000)
                                 : 0;
}

int
station_restore(struct station *s, struct app *app, int64_t now,
                uint64_t now_ms)
{
    char *why = NULL, today[STATION_STATE_DAY];
    const struct election *e = app_election(app);
    struct station_state old;
    int r = station_state_read(s->state_path, &old, &why);
    station_state_day(now, today);
    if (r < 0) {
        log_error("%s", why);
        station_audit(s, "state damaged, voting assistance closed: %s", why);
        app_set_station_notice(
            app,
            N_("The saved state of this terminal could not be read, so "
               "voting assistance is closed and the counts start again: {1}"),
            why, NULL);
        free(why);
        station_state_init(&old);
    }
    /* The login guard: the power button does not reset it. */
    struct staff_guard g = *app_guard(app);
    g.failures = old.pin_failures;
    g.lockouts = old.pin_lockouts;
    g.locked_until = 0;
    if (old.pin_locked_until > now) {
        int64_t left = old.pin_locked_until - now;
        if (left > (int64_t)STAFF_LOCKOUT_MAX_S) /* the clock went back */
            left = STAFF_LOCKOUT_MAX_S;
        g.locked_until = now_ms + (uint64_t)left * 1000;
    }
    app_set_guard(app, &g);
    s->st = old;
    bool same = e != NULL && strcmp(old.package_hash, e->hash) == 0;
    if (e == NULL) {
        s->st.package_id[0] = s->st.package_hash[0] = '\0';
    } else if (!same) {
        /* Another package than the state's: its counts start at zero. */
        station_state_init(&s->st);
        s->st.pin_failures = old.pin_failures;
        s->st.pin_lockouts = old.pin_lockouts;
        s->st.pin_locked_until = old.pin_locked_until;
        snprintf(s->st.package_id, sizeof s->st.package_id, "%s", e->id);
        snprintf(s->st.package_hash, sizeof s->st.package_hash, "%s", e->hash);
    }
    if (s->demo) {
        /* --demo opens its test package at every start. */
        if (app_voting_open(app) && !s->st.voting_open) {
            s->st.voting_open = true;
            snprintf(s->st.open_day, sizeof s->st.open_day, "%s", today);
            s->st.opened_at = now;
            s->st.closed_at = 0;
        }
    } else if (old.voting_open && !same) {
        s->st.voting_open = false;
        s->st.closed_at = now;
        station_audit(s,
                      "voting assistance closed at start: the package it was "
                      "opened with (%s) is not in force",
                      old.package_id);
        app_set_station_notice(
            app,
            N_("Voting assistance was open with package {1}, which is not "
               "in force now, so it is closed."),
            old.package_id, NULL);
    } else if (old.voting_open && strcmp(old.open_day, today) != 0) {
        s->st.voting_open = false;
        s->st.closed_at = now;
        station_audit(s,
                      "voting assistance closed at start: it was opened for "
                      "%s, today is %s",
                      old.open_day, today);
        app_set_station_notice(
            app,
            N_("Voting assistance was opened for {1}, and the terminal "
               "started again on {2}, so it is closed."),
            old.open_day, today);
    } else if (old.voting_open) {
        app_set_voting(app, true);
        station_audit(s,
                      "voting assistance open again after a restart "
                      "(opened for %s)",
                      old.open_day);
        app_set_station_notice(app,
                               N_("The terminal started again; voting "
                                  "assistance stays open for {1}."),
                               old.open_day, NULL);
    }
    return station_keep(s, "the state at start", NULL);
}

void
station_started(struct station *s, const char *config_path)
{
    char hex[65] = "";
    char *text = NULL, *why = NULL;
    size_t len;
    if (config_path != NULL &&
        textfile_read(config_path, "configuration", (size_t)1 << 16, &text,
                      &len, &why) == 0) {
        unsigned char h[32];
        crypto_generichash(h, sizeof h, (const unsigned char *)text, len, NULL,
                           0);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    }
    free(text);
    free(why);
    if (config_path == NULL)
        station_audit(s, "kiosk started version=%s config=defaults%s",
                      DAUYS_VERSION, s->demo ? " demo" : "");
    else
        station_audit(s, "kiosk started version=%s config=%s blake2b=%.16s",
                      DAUYS_VERSION, config_path, hex[0] ? hex : "unread");
}

/* FX_VOTING: keeps what the app did; an opening that cannot be kept is
 * undone and staff are told. */
static void
station_do_voting(struct station *s, bool open, struct app *app,
                  uint64_t now_ms, struct fx_list *out)
{
    const struct election *e = app_election(app);
    int64_t now = (int64_t)time(NULL);
    struct station_state before = s->st;
    char *why = NULL;
    if (open) {
        s->st.voting_open = true;
        station_state_day(now, s->st.open_day);
        if (s->st.opened_at == 0)
            s->st.opened_at = now;
        s->st.closed_at = 0;
        if (e != NULL) {
            snprintf(s->st.package_id, sizeof s->st.package_id, "%s", e->id);
            snprintf(s->st.package_hash, sizeof s->st.package_hash, "%s",
                     e->hash);
        }
    } else {
        s->st.voting_open = false;
        s->st.open_day[0] = '\0';
        s->st.closed_at = now;
    }
    if (station_keep(s, open ? "voting opened" : "voting closed", &why) == 0)
        return;
    const char *title = app_text(app, open ? "Open voting assistance"
                                           : "Close voting assistance");
    if (open) {
        s->st = before;
        app_set_voting(app, false);
        station_audit(s, "voting assistance closed again: the state could "
                         "not be saved");
        station_show_why(app, title,
                         app_text(app, "Voting assistance was not opened: "
                                       "this terminal cannot save its state."),
                         why, app_text(app, "Call the technician."), now_ms,
                         out);
    } else {
        station_show_why(app, title,
                         app_text(app, "Voting assistance is closed, but this "
                                       "terminal cannot save that: after a "
                                       "restart, close it again."),
                         why, app_text(app, "Call the technician."), now_ms,
                         out);
    }
    free(why);
}

void
station_audit_port(void *ctx, const char *action)
{
    station_audit(ctx, "%s", action);
}

int
station_audit_head(void *ctx, uint64_t *seq, char hash[8])
{
    struct station *s = ctx;
    struct audit_head h;
    char *why = NULL;
    int r = audit_head_read(s->audit_log, &h, &why);
    free(why);
    if (r < 0)
        return -1;
    *seq = r == 1 ? 0 : h.seq;
    snprintf(hash, 8, "%.7s", r == 1 ? "" : h.hash);
    return 0;
}

const struct station_state *
station_state_now(const struct station *s)
{
    return &s->st;
}

int64_t
station_opened_at(const struct station *s)
{
    return s->st.opened_at;
}

int64_t
station_closed_at(const struct station *s)
{
    return s->st.closed_at;
}

uint64_t
station_sessions(const struct station *s)
{
    return s->st.sessions;
}

uint64_t
station_stencils(const struct station *s)
{
    return s->st.stencils;
}

int
station_write_stencils(const struct election *e, const char *dir, char ***lines,
                       int *n_lines)
{
    static const char *const ext[] = {"svg", "pdf", "png"};
    int failures = 0, n = 0;
    char **l = xcalloc(e->n_ballots * 3 + 1, sizeof *l);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        l[n++] = xasprintf("%s: %s", dir, strerror(errno));
        *lines = l;
        *n_lines = n;
        return e->n_ballots > 0 ? (int)e->n_ballots : 1;
    }
    for (size_t b = 0; b < e->n_ballots; b++) {
        for (size_t x = 0; x < 3; x++) {
            char *path = xasprintf("%s/%s.%s", dir, e->ballots[b].id, ext[x]);
            char *why = NULL;
            if (stencil_write(e, &e->ballots[b], STENCIL_DEFAULT_MARGIN_MM,
                              path, &why) < 0) {
                l[n++] = xasprintf("%s: %s", path, why);
                failures++;
                free(why);
                free(path);
                break;
            }
            l[n++] = path;
        }
    }
    *lines = l;
    *n_lines = n;
    return failures;
}

static void
station_do_load(struct station *s, const char *dir, struct app *app,
                uint64_t now_ms, struct fx_list *out)
{
    struct election *e = NULL;
    char *why = NULL;
    const char *title = app_text(app, "Load election package");
    if (station_load(s, dir, true, &e, &why) < 0) {
        station_audit(s, "package refused dir=%s", dir);
        station_show_why(app, title, app_text(app, "The package was refused:"),
                         why,
                         app_election(app) != NULL
                             ? app_text(app, "The package loaded before "
                                             "stays in force.")
                             : app_text(app, "No package is loaded."),
                         now_ms, out);
        free(why);
        return;
    }
    station_audit(s, "package loaded id=%s hash=%s test=%s dir=%s", e->id,
                  e->hash, e->test ? "true" : "false", dir);
    /* Loading closes voting; another package starts its counts again. */
    if (strcmp(s->st.package_hash, e->hash) != 0) {
        struct station_state fresh;
        station_state_init(&fresh);
        fresh.pin_failures = s->st.pin_failures;
        fresh.pin_lockouts = s->st.pin_lockouts;
        fresh.pin_locked_until = s->st.pin_locked_until;
        s->st = fresh;
        snprintf(s->st.package_id, sizeof s->st.package_id, "%s", e->id);
        snprintf(s->st.package_hash, sizeof s->st.package_hash, "%s", e->hash);
    }
    if (s->st.voting_open) {
        s->st.voting_open = false;
        s->st.open_day[0] = '\0';
        s->st.closed_at = (int64_t)time(NULL);
    }
    (void)station_keep(s, "package loaded", NULL);
    char id[128], *lines[2];
    const char *args[] = {e->id};
    i18n_format(id, sizeof id,
                app_text(app, "Package {1} is loaded. Voting assistance is "
                              "closed until you open it."),
                1, args);
    int n = 0;
    lines[n++] = id;
    if (e->test)
        lines[n++] = (char *)app_text(app, "This is a test package.");
    size_t mlen = strlen(s->media_dir);
    if (strncmp(dir, s->media_dir, mlen) == 0 &&
        (dir[mlen] == '\0' || dir[mlen] == '/'))
        lines[n++] = (char *)app_text(app, "The package is copied onto this "
                                           "terminal. You can remove the USB "
                                           "stick now.");
    app_set_election(app, e);
    station_show(app, title, lines, n, now_ms, out);
}

/* FX_MEDIA_LOAD: the list of what is on the stick, or the typed folder. */
static void
station_do_media_load(struct station *s, struct app *app, uint64_t now_ms,
                      struct fx_list *out)
{
    struct media_list l;
    char *why = NULL;
    int rc = media_scan(s->media_dir, &l, &why);
    if (rc == 0) {
        station_audit(s, "stick listed items=%zu", l.n);
        app_open(app, screen_station_media_new(&l), now_ms, out);
        media_list_free(&l);
        return;
    }
    if (rc < 0) {
        /* A stick pulled while it was read, or a damaged one. */
        station_audit(s, "stick unreadable");
        log_warn("media: %s", why);
        free(why);
    }
    app_open(app,
             screen_station_path_new(
                 app_text(app, "Load election package"),
                 app_text(app, "No USB stick is inserted. Type the "
                               "directory that holds election.json and "
                               "election.json.sig, then press Enter, or "
                               "insert the stick and come back."),
                 "", FX_LOAD_PACKAGE),
             now_ms, out);
}

/* Shows the outcome of a flush of the spool onto the stick. */
static void
station_show_flush(struct station *s, const char *title, enum media_error rc,
                   const struct media_report *r, const char *why,
                   struct app *app, uint64_t now_ms, struct fx_list *out)
{
    char buf[256], num[32];
    char *lines[3];
    int n = 0;
    if (rc == MEDIA_OK) {
        station_audit(s, "stick written jobs=%d files=%lld bytes=%lld",
                      r->jobs_sent, r->files, r->bytes);
        snprintf(num, sizeof num, "%lld", r->files);
        const char *a[] = {num};
        lines[n++] = xstrdup(i18n_format(
            buf, sizeof buf,
            app_text(app, "{1} file(s) written to the USB stick. You can "
                          "remove the stick now."),
            1, a));
    } else {
        station_audit(s, "stick write failed code=%d jobs_left=%d", (int)rc,
                      r->jobs_left);
        log_warn("media: %s", why != NULL ? why : "");
        const char *head =
            rc == MEDIA_NOMEDIA ? N_("No USB stick is inserted.")
            : rc == MEDIA_GONE
                ? N_("The USB stick was removed or failed before the copy "
                     "finished.")
            : rc == MEDIA_NOSPACE ? N_("The USB stick is full.")
                                  : N_("The files could not be written to "
                                       "the USB stick.");
        lines[n++] = xstrdup(app_text(app, head));
        if (rc == MEDIA_FAILED && why != NULL)
            lines[n++] = xstrdup(why);
        lines[n++] = xstrdup(
            app_text(app,
                     "Nothing is lost: the files are kept on this terminal. "
                     "Insert a stick and choose Write stencils again to copy "
                     "them."));
    }
    station_show(app, title, lines, n, now_ms, out);
    for (int i = 0; i < n; i++)
        free(lines[i]);
}

/* Stencils onto the stick: made in a spool job, then handed over. */
static void
station_stencils_to_stick(struct station *s, const struct election *e,
                          struct app *app, uint64_t now_ms, struct fx_list *out)
{
    const char *title = app_text(app, "Write stencils");
    char *why = NULL;
    char *job = media_job_begin(s->spool, "stencils", &why);
    if (job == NULL) {
        station_show_why(app, title,
                         app_text(app, "The stencils could not be made:"), why,
                         "", now_ms, out);
        free(why);
        return;
    }
    char *sub = xasprintf("%s/stencils-%s", job, e->id);
    char **lines = NULL;
    int n = 0;
    int failed = station_write_stencils(e, sub, &lines, &n);
    for (int i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    free(sub);
    if (failed || media_job_commit(job, &why) < 0) {
        media_job_abandon(job);
        free(job);
        station_audit(s, "stencils failed id=%s", e->id);
        station_show_why(app, title,
                         app_text(app, "The stencils could not be made:"),
                         why ? why : "", "", now_ms, out);
        free(why);
        return;
    }
    free(job);
    station_audit(s, "stencils made id=%s", e->id);
    struct media_report r;
    enum media_error rc = media_flush(s->spool, s->media_socket, s->media_dir,
                                      &r, &why);
    station_show_flush(s, title, rc, &r, why, app, now_ms, out);
    free(why);
}

static void
station_do_stencils(struct station *s, const char *dir, struct app *app,
                    uint64_t now_ms, struct fx_list *out)
{
    const struct election *e = app_election(app);
    const char *title = app_text(app, "Write stencils");
    if (e == NULL) {
        char *line = (char *)app_text(app, "No package is loaded.");
        station_show(app, title, &line, 1, now_ms, out);
        return;
    }
    if (dir == NULL) {
        if (media_present(s->media_dir)) {
            station_stencils_to_stick(s, e, app, now_ms, out);
            return;
        }
        app_open(app,
                 screen_station_path_new(
                     app_text(app, "Write stencils"),
                     app_text(app, "No USB stick is inserted. Type the "
                                   "directory to write the stencils of every "
                                   "ballot into (SVG, PDF and PNG), then "
                                   "press Enter, or insert the stick and "
                                   "come back."),
                     "", FX_WRITE_STENCILS),
                 now_ms, out);
        return;
    }
    char **lines = NULL;
    int n = 0;
    int failed = station_write_stencils(e, dir, &lines, &n);
    station_audit(s, "stencils written id=%s dir=%s failures=%d", e->id, dir,
                  failed);
    /* Each ballot stops at its first failure: the rest were written
     * (all three files). */
    if ((size_t)failed < e->n_ballots)
        s->st.stencils += (uint64_t)(e->n_ballots - (size_t)failed);
    (void)station_keep(s, "stencils written", NULL);
    char **all = xcalloc((size_t)n + 1, sizeof *all);
    all[0] = xstrdup(failed ? app_text(app, "Some stencils could not be "
                                            "written:")
                            : app_text(app, "Stencils written:"));
    for (int i = 0; i < n; i++)
        all[i + 1] = lines[i];
    station_show(app, title, all, n + 1, now_ms, out);
    for (int i = 0; i <= n; i++)
        free(all[i]);
    free(all);
    free(lines);
}

void
station_set_services(struct station *s, const struct services *svc)
{
    s->svc = svc;
}

/* The applications of the day counted by service, titled for the report. */
struct station_counts {
    const struct services *svc;
    enum lang lang;
    struct report_count *v;
    size_t n;
};

static int
station_count_one(void *ctx, const char *service, long n)
{
    struct station_counts *c = ctx;
    c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
    c->v[c->n].service = xstrdup(services_title(c->svc, service, c->lang));
    c->v[c->n].n = n;
    c->n++;
    return 0;
}

/* Writes the PDF of R onto the stick at DIR (under the media directory,
 * REL below it) through the spool and the helper: the job stays on the
 * terminal until the helper confirms the copy. */
static int
station_report_to_stick(struct station *s, const struct report *r,
                        const char *dir, const char *rel, size_t from,
                        char **path, char **why)
{
    char *dest = rel[0] != '\0' ? xasprintf("%s/%s.pdf", rel, r->name)
                                : xasprintf("%s.pdf", r->name);
    bool ok = media_path_ok(dest);
    free(dest);
    if (!ok) {
        *why = xasprintf("%s: a folder on the USB stick may have letters, "
                         "digits, '.', '_' and '-' only, at most 3 levels",
                         dir);
        return -1;
    }
    char *job = media_job_begin(s->spool, "report", why);
    if (job == NULL)
        return -1;
    char *sub = xstrdup(job);
    for (const char *p = rel; *p != '\0';) {
        size_t len = strcspn(p, "/");
        char *next = xasprintf("%s/%.*s", sub, (int)len, p);
        free(sub);
        sub = next;
        (void)mkdir(sub, 0700);
        p += len;
        while (*p == '/')
            p++;
    }
    char *file = xasprintf("%s/%s.pdf", sub, r->name);
    int rc = report_pdf(r, from, file, why);
    free(file);
    free(sub);
    if (rc < 0 || media_job_commit(job, why) < 0) {
        media_job_abandon(job);
        free(job);
        return -1;
    }
    free(job);
    struct media_report mr;
    enum media_error me = media_flush(s->spool, s->media_socket, s->media_dir,
                                      &mr, why);
    /* A report carries the audit head, read after the report's own entry
     * (which names it): a "stick written" entry now would leave the paper
     * one entry behind `dauys audit verify`, and truncation could no longer
     * be checked against it. Only a failed copy is audited here. */
    if (me != MEDIA_OK) {
        station_audit(s, "stick write failed jobs=%d files=%lld jobs_left=%d",
                      mr.jobs_sent, mr.files, mr.jobs_left);
        char *w = xasprintf("%s (kept on this terminal; it is copied with "
                            "the next write to a stick)",
                            *why != NULL ? *why : "the stick helper failed");
        free(*why);
        *why = w;
        return -1;
    }
    *path = xasprintf("%s/%s.pdf", dir, r->name);
    return 0;
}

/* Writes the PDF of R into DIR (created when missing); *PATH on success
 * (the caller frees). A folder on the USB stick is written through the
 * stick helper when there is one (the kiosk's view of the stick is
 * read-only). */
static int
station_report_pdf(struct station *s, const struct report *r, const char *dir,
                   size_t from, char **path, char **why)
{
    size_t mlen = strlen(s->media_dir);
    struct stat st;
    if (strncmp(dir, s->media_dir, mlen) == 0 &&
        (dir[mlen] == '\0' || dir[mlen] == '/') &&
        stat(s->media_socket, &st) == 0 && S_ISSOCK(st.st_mode)) {
        const char *rel = dir + mlen;
        while (*rel == '/')
            rel++;
        char *trimmed = xstrdup(rel);
        size_t tl = strlen(trimmed);
        while (tl > 0 && trimmed[tl - 1] == '/')
            trimmed[--tl] = '\0';
        int rc = station_report_to_stick(s, r, dir, trimmed, from, path, why);
        free(trimmed);
        return rc;
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        *why = xasprintf("%s: %s", dir, strerror(errno));
        return -1;
    }
    char *file = xasprintf("%s/%s.pdf", dir, r->name);
    if (report_pdf(r, from, file, why) < 0) {
        free(file);
        return -1;
    }
    *path = file;
    return 0;
}

/* The outcome of printing (RC, WHY) as a sentence (the caller frees). */
static char *
station_print_line(struct app *app, bool printer, int rc, const char *why)
{
    char buf[1024];
    const char *a[] = {why};
    if (!printer)
        return xstrdup(app_text(app, "No receipt printer is configured: "
                                     "nothing was printed."));
    if (rc == 0)
        return xstrdup(app_text(app, "Printed on the receipt printer."));
    i18n_format(buf, sizeof buf,
                app_text(app, "The printer failed: {1}. Check the paper and "
                              "the cable."),
                1, a);
    return xstrdup(buf);
}

/* The outcome of writing a PDF (RC, PATH or WHY) as a sentence (the
 * caller frees). */
static char *
station_pdf_line(struct app *app, int rc, const char *path, const char *why)
{
    char buf[1024];
    const char *a[] = {rc == 0 ? path : why};
    i18n_format(buf, sizeof buf,
                rc == 0 ? app_text(app, "Written to {1}.")
                        : app_text(app, "The PDF could not be written: {1}."),
                1, a);
    return xstrdup(buf);
}

/* Makes the report F asks for (value: enum report_kind, text: the folder),
 * prints it, writes its PDF and shows it to staff. */
static void
station_do_report(struct station *s, const struct fx *f, struct app *app,
                  uint64_t now_ms, struct fx_list *out)
{
    enum report_kind kind = f->value == REPORT_OPENING ? REPORT_OPENING
                                                       : REPORT_CLOSING;
    const char *what = kind == REPORT_OPENING ? "opening report"
                                              : "close-of-day report";
    int64_t now = (int64_t)time(NULL);
    const struct election *e = app_election(app);
    enum lang lang = app_lang(app);
    /* Recorded first, so that the head printed is the trail's last
     * entry, this one included. */
    station_audit(s, "%s sessions=%llu stencils=%llu", what,
                  (unsigned long long)s->st.sessions,
                  (unsigned long long)s->st.stencils);
    struct report_facts facts = {
        .kind = kind,
        .terminal = s->terminal,
        .version = DAUYS_VERSION,
        .made_at = now,
        .package_id = e != NULL ? e->id : NULL,
        .package_hash = e != NULL ? e->hash : NULL,
        .package_test = e != NULL && e->test,
        /* The persisted state (kiosk/station_state.h): a restart keeps
         * the day's times and counts. */
        .opened_at = station_opened_at(s),
        .closed_at = station_closed_at(s),
        .sessions = (long)station_sessions(s),
        .stencils = (long)station_stencils(s),
        .voting_on = s->voting_mode,
        .services_on = s->services_mode,
        .check = f->check,
        .printer_problem = s->printer_problem,
        .printer_configured = s->printer[0] != '\0',
    };
    struct station_counts counts = {.svc = s->svc, .lang = lang};
    char *count_why = NULL;
    if (s->services_mode) {
        if (s->svc == NULL || s->svc->ops == NULL || s->svc->ops->count == NULL)
            count_why = xstrdup(s->svc != NULL && s->svc->problem != NULL
                                    ? s->svc->problem
                                    : "the applications database is not "
                                      "open");
        else if (s->svc->ops->count(s->svc->ops_ctx, report_day_start(now), 0,
                                    station_count_one, &counts,
                                    &count_why) < 0 &&
                 count_why == NULL)
            count_why = xstrdup("cannot count the applications");
    }
    facts.counts = counts.v;
    facts.n_counts = counts.n;
    facts.services_problem = count_why;
    struct audit_head head = {0};
    char *audit_why = NULL;
    if (audit_verify(s->audit_log, &head, &audit_why) == 0) {
        facts.audit_seq = head.seq;
        facts.audit_hash = head.hash;
    } else {
        facts.audit_problem = audit_why;
    }
    struct report *r = report_build(&facts, app_i18n(app), lang);
    char *print_why = NULL, *pdf_why = NULL, *path = NULL;
    int prc = -1;
    if (s->printer[0] != '\0') {
        prc = report_print(s->printer, r, 0, NULL, &print_why);
        if (prc < 0)
            log_error("%s not printed: %s", what, print_why);
    }
    int pdf_rc = station_report_pdf(s, r, f->text, 0, &path, &pdf_why);
    /* Logged, not audited: the trail's head stays the one on paper. */
    log_info("%s: audit head %llu %.7s, printed %s, pdf %s", what,
             (unsigned long long)head.seq, head.hash, prc == 0 ? "yes" : "no",
             pdf_rc == 0 ? path : "failed");
    char *lines[32];
    int n = 0;
    lines[n++] = station_print_line(app, s->printer[0] != '\0', prc, print_why);
    lines[n++] = station_pdf_line(app, pdf_rc, path, pdf_why);
    facts.spaced_hashes = true;
    struct report *shown = report_build(&facts, app_i18n(app), lang);
    n += (int)report_paragraphs(shown, lines + n, (size_t)(32 - n));
    report_free(shown);
    station_show(app, r->lines[0].text, lines, n, now_ms, out);
    for (int i = 0; i < n; i++)
        free(lines[i]);
    for (size_t i = 0; i < counts.n; i++)
        free((char *)counts.v[i].service);
    free(counts.v);
    free(count_why);
    free(audit_why);
    free(print_why);
    free(pdf_why);
    free(path);
    report_free(r);
}

/* Prints the test line; a fault is shown at once and kept for the
 * opening report. */
static void
station_do_print_test(struct station *s, struct app *app, uint64_t now_ms,
                      struct fx_list *out)
{
    struct report_facts facts = {
        .kind = REPORT_PRINTER_TEST,
        .terminal = s->terminal,
        .made_at = (int64_t)time(NULL),
    };
    struct report *r = report_build(&facts, app_i18n(app), app_lang(app));
    char *why = NULL;
    int rc = report_print(s->printer, r, 0, NULL, &why);
    report_free(r);
    free(s->printer_problem);
    s->printer_problem = NULL;
    if (s->printer[0] == '\0') {
        /* Said at once; the report says there is no printer. */
        free(why);
        char *line = station_print_line(app, false, rc, NULL);
        station_show(app, app_text(app, "Printer test"), &line, 1, now_ms, out);
        free(line);
        return;
    }
    if (rc == 0) {
        station_audit(s, "printer test line printed");
        return;
    }
    station_audit(s, "printer test failed");
    log_error("printer test: %s", why);
    s->printer_problem = why;
    char *line = station_print_line(app, s->printer[0] != '\0', rc, why);
    station_show(app, app_text(app, "Printer test"), &line, 1, now_ms, out);
    free(line);
}

/* Reads the whole file PATH (at most LIMIT bytes) into *BUF. */
static int
station_read(const char *path, size_t limit, char **buf, size_t *len,
             char **why)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        *why = xasprintf("%s: %s", path, strerror(errno));
        return -1;
    }
    char *b = xmalloc(limit + 1);
    size_t n = fread(b, 1, limit + 1, f);
    int err = ferror(f);
    (void)fclose(f); /* only read: ERR says whether reading failed */
    if (err || n > limit) {
        *why = xasprintf("%s: %s", path,
                         err ? "cannot be read" : "is too large");
        free(b);
        return -1;
    }
    *buf = b;
    *len = n;
    return 0;
}

/* The staff guide in LANG (kk or ru), parsed from the installed file. */
static struct report *
station_guide(enum lang lang, char **why)
{
    char *path = xasprintf("%s/guide/staff-guide.%s.md", options_datadir(),
                           lang == LANG_KK ? "kk" : "ru");
    char *text = NULL;
    size_t len = 0;
    struct report *r = NULL;
    if (station_read(path, REPORT_GUIDE_MAX, &text, &len, why) == 0 &&
        report_guide_parse(lang == LANG_KK ? "staff-guide-kk"
                                           : "staff-guide-ru",
                           text, len, &r, why) < 0)
        r = NULL;
    free(text);
    free(path);
    return r;
}

/* Prints the short guide (value 0) or writes both guides as PDF into the
 * folder (value 1). */
static void
station_do_guide(struct station *s, const struct fx *f, struct app *app,
                 uint64_t now_ms, struct fx_list *out)
{
    char *lines[4];
    int n = 0;
    const char *title = app_text(app, "Staff guide");
    if (f->value == 0) {
        char *why = NULL;
        enum lang lang = app_lang(app) == LANG_KK ? LANG_KK : LANG_RU;
        struct report *r = station_guide(lang, &why);
        int rc = r != NULL
                     ? report_print(s->printer, r, r->short_from, NULL, &why)
                     : -1;
        station_audit(s, "staff guide printed=%s", rc == 0 ? "yes" : "no");
        if (r == NULL) {
            char buf[1024];
            const char *a[] = {why};
            i18n_format(buf, sizeof buf,
                        app_text(app, "The staff guide cannot be read: {1}"), 1,
                        a);
            lines[n++] = xstrdup(buf);
        } else {
            lines[n++] = station_print_line(app, s->printer[0] != '\0', rc,
                                            why);
        }
        free(why);
        report_free(r);
    } else {
        static const enum lang langs[] = {LANG_KK, LANG_RU};
        for (size_t i = 0; i < 2; i++) {
            char *why = NULL, *path = NULL;
            struct report *r = station_guide(langs[i], &why);
            int rc = r != NULL
                         ? station_report_pdf(s, r, f->text, 0, &path, &why)
                         : -1;
            station_audit(s, "staff guide %s pdf=%s",
                          langs[i] == LANG_KK ? "kk" : "ru",
                          rc == 0 ? path : "failed");
            lines[n++] = station_pdf_line(app, rc, path, why);
            free(why);
            free(path);
            report_free(r);
        }
    }
    station_show(app, title, lines, n, now_ms, out);
    for (int i = 0; i < n; i++)
        free(lines[i]);
}

void
station_effect(void *ctx, const struct fx *f, struct app *app, uint64_t now_ms,
               struct fx_list *out)
{
    struct station *s = ctx;
    switch (f->kind) {
    case FX_REPORT:
        station_do_report(s, f, app, now_ms, out);
        break;
    case FX_PRINT_TEST:
        station_do_print_test(s, app, now_ms, out);
        break;
    case FX_GUIDE:
        station_do_guide(s, f, app, now_ms, out);
        break;
    case FX_LOAD_PACKAGE:
        station_do_load(s, f->text, app, now_ms, out);
        break;
    case FX_WRITE_STENCILS:
        station_do_stencils(s, f->text, app, now_ms, out);
        break;
    case FX_MEDIA_LOAD:
        station_do_media_load(s, app, now_ms, out);
        break;
    case FX_AUDIT:
        station_audit(s, "%s", f->text);
        break;
    case FX_VOTING:
        station_do_voting(s, f->value != 0, app, now_ms, out);
        break;
    case FX_VOTER_SESSION:
        /* A count only: the time of the session goes nowhere. */
        s->st.sessions++;
        (void)station_keep(s, "voter sessions", NULL);
        break;
    case FX_GUARD:
        station_take_guard(s, app, now_ms);
        (void)station_keep(s, "the login lockout", NULL);
        break;
    default:
        break;
    }
}
