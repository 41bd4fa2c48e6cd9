/*
 * `dauys sync`: dauys-sync, the one process of a Ten Qogam kiosk with a
 * network (docs/central.md). It runs beside the kiosk under its own unit,
 * opens the same SQLite store (WAL lets it read while the kiosk writes),
 * and in a loop:
 *
 *   1. reads up to [sync] batch records of the outbox (store_outbox);
 *   2. pushes them in one transaction (central_push: one multi-row
 *      INSERT … ON CONFLICT (centre, number) DO NOTHING, conflicts kept
 *      aside centrally);
 *   3. only after the server's COMMIT has returned, marks them
 *      acknowledged (store_outbox_acked).
 *
 * A crash or a kill between 2 and 3 leaves them unacknowledged; the next
 * push of the same records is a no-op centrally and acknowledges them,
 * so every application arrives exactly once. When the outbox is empty it
 * waits [sync] interval_s; every [sync] status_interval_s it pulls the
 * statuses case workers set (central_pull_status) into the store
 * (store_apply_central_status), and it sends the new lines of the staff
 * audit trail (audit.log: staff roles and actions, never personal data).
 * Any failure (no network, a server
 * restarting, a certificate that does not verify) closes the connection
 * and waits 1, 2, 4 … 60 seconds (with jitter) before trying again.
 * TLS is always sslmode=verify-full against [sync] ca_file. SIGTERM and
 * SIGINT stop it between two steps.
 *
 * `--once` pushes until the outbox is empty, pulls the statuses once and
 * exits (0, or 1 when something could not be sent); `--check` exits 0
 * when this kiosk should run dauys-sync (services mode, [sync] conninfo
 * and ca_file set) and 1 otherwise: the unit's ExecCondition.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "accessibility/audit.h"
#include "accessibility/xalloc.h"
#include "central/central.h"
#include "kiosk/cmd.h"
#include "kiosk/config.h"
#include "kiosk/log.h"
#include "kiosk/services_run.h"
#include "kiosk/terminal.h"
#include "services/store.h"

static const char sync_usage[] =
    "usage: dauys sync [--config FILE] [--data-dir DIR] [--once] [--check]\n"
    "dauys-sync: pushes this kiosk's applications to the central database\n"
    "of [sync] conninfo (TLS, verified against [sync] ca_file) and pulls\n"
    "their statuses back. --once: until the outbox is empty, then exit.\n"
    "--check: exit 0 when this kiosk should run it (services mode and\n"
    "[sync] configured), 1 when not.\n";

static volatile sig_atomic_t sync_stop;

static void
sync_signal(int sig)
{
    (void)sig;
    sync_stop = 1;
}

struct sync_batch {
    struct central_record recs[CENTRAL_BATCH_MAX];
    size_t n;
    int64_t last_seq;
    long refused;
};

static int
sync_collect(void *ctx, int64_t seq, const char *number, const char *record)
{
    struct sync_batch *b = ctx;
    char *why = NULL;
    b->last_seq = seq;
    if (central_record_parse(record, &b->recs[b->n], &why) < 0) {
        /* Cannot happen with this kiosk's own store; the record stays
         * unacknowledged and is tried again at the next start. */
        log_error("sync: application %s is not sent: %s", number, why);
        free(why);
        b->refused++;
        return 0;
    }
    b->n++;
    return 0;
}

static void
sync_batch_free(struct sync_batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        central_record_free(&b->recs[i]);
    b->n = 0;
}

/* Sleeps S seconds unless a signal asks to stop. */
static void
sync_sleep(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (!sync_stop && nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

struct sync {
    struct store *store;
    struct central *central;
    const struct config *cfg;
    int64_t after;        /* outbox cursor of this run */
    int64_t status_after; /* status sequence pulled so far */
    time_t next_status;
    char *audit_path;     /* the kiosk's staff audit trail */
    const char *terminal; /* [kiosk] terminal, or the centre code */
    int64_t audit_done;   /* its last line held centrally; -1: ask */
    off_t audit_size;     /* its size when it was last sent whole */
};

/* Pushes LINES[0..N) and frees them; 0 or -1 (logged). */
static int
sync_audit_batch(struct sync *s, char **lines, size_t n)
{
    char *why = NULL;
    int rc = 0;
    if (n > 0 && central_push_audit(s->central, s->cfg->centre, s->terminal,
                                    (const char *const *)lines, n, &why) < 0) {
        log_error("sync: %s", why);
        free(why);
        rc = -1;
    } else if (n > 0) {
        s->audit_done = strtoll(lines[n - 1], NULL, 10);
    }
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    return rc;
}

/* Sends the lines of the staff audit trail that the central database does
 * not hold yet (its entries name staff roles and actions, never personal
 * data). A line still being written (no newline yet) waits for the next
 * round. Returns 0 or -1. */
static int
sync_audit(struct sync *s)
{
    struct stat st;
    char *why = NULL;
    if (stat(s->audit_path, &st) != 0 ||
        (st.st_size == s->audit_size && s->audit_done >= 0))
        return 0;
    if (s->audit_done < 0 &&
        central_audit_head(s->central, s->cfg->centre, s->terminal,
                           &s->audit_done, &why) < 0) {
        log_error("sync: %s", why);
        free(why);
        return -1;
    }
    FILE *f = fopen(s->audit_path, "re");
    if (f == NULL)
        return 0;
    char *line = NULL, *batch[500];
    size_t cap = 0, n = 0;
    ssize_t len;
    int rc = 0;
    while (rc == 0 && (len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] != '\n')
            break;
        line[len - 1] = '\0';
        if (strtoll(line, NULL, 10) <= s->audit_done)
            continue;
        batch[n++] = xstrdup(line);
        if (n == 500) {
            rc = sync_audit_batch(s, batch, n);
            n = 0;
        }
    }
    if (rc == 0)
        rc = sync_audit_batch(s, batch, n);
    else
        for (size_t i = 0; i < n; i++)
            free(batch[i]);
    free(line);
    (void)fclose(f); /* only read */
    if (rc == 0)
        s->audit_size = st.st_size;
    return rc;
}

static int
sync_apply_status(void *ctx, int64_t seq, const char *number,
                  const char *status, int64_t changed_at)
{
    struct sync *s = ctx;
    char *why = NULL;
    int st = application_status_from_id(status);
    if (seq > s->status_after)
        s->status_after = seq;
    if (st < 0)
        return 0;
    if (store_apply_central_status(s->store, number, (enum app_status)st,
                                   changed_at, &why) < 0) {
        log_warn("sync: status of %s not applied: %s", number, why);
        free(why);
    }
    return 0;
}

/* Pushes one batch. Returns the number sent (0: the outbox is empty) or
 * -1 after logging why (the connection is then closed). */
static long
sync_push(struct sync *s, struct sync_batch *b)
{
    char *why = NULL;
    b->n = 0;
    int64_t from = s->after;
    b->last_seq = from;
    if (store_outbox(s->store, s->after, s->cfg->sync_batch, sync_collect, b,
                     &why) < 0) {
        log_error("sync: cannot read the outbox: %s", why);
        free(why);
        sync_batch_free(b);
        return -1;
    }
    if (b->n == 0) {
        if (b->last_seq > from)
            s->after = b->last_seq; /* only refused records were read */
        return 0;
    }
    struct central_push_result res;
    if (central_push(s->central, b->recs, b->n, &res, &why) < 0) {
        log_error("sync: %s", why);
        free(why);
        sync_batch_free(b);
        return -1;
    }
    /* The server has committed: now, and only now, acknowledge. */
    const char **numbers = xmalloc(b->n * sizeof *numbers);
    for (size_t i = 0; i < b->n; i++)
        numbers[i] = b->recs[i].number;
    long sent = (long)b->n;
    if (store_outbox_acked(s->store, numbers, b->n, (int64_t)time(NULL), &why) <
        0) {
        /* Sent but not marked: the next push is a no-op centrally. */
        log_error("sync: sent but not marked as sent: %s", why);
        free(why);
        sent = -1;
    } else {
        s->after = b->last_seq;
        if (res.conflicts > 0)
            log_error("sync: %zu applications conflict with different ones "
                      "of the same number held centrally (kept aside there "
                      "for case workers)",
                      res.conflicts);
    }
    free(numbers);
    sync_batch_free(b);
    return sent;
}

static int
sync_pull(struct sync *s)
{
    char *why = NULL;
    int n;
    /* Sequence numbers are drawn before their transactions commit, so one
     * may become visible after a higher one was read: the last 100 are
     * read again (applying a status is idempotent: only a newer one
     * changes anything). */
    int64_t from = s->status_after > 100 ? s->status_after - 100 : 0;
    do {
        n = central_pull_status(s->central, from, 1000, sync_apply_status, s,
                                &why);
        from = s->status_after;
    } while (n == 1000 && !sync_stop);
    if (n < 0) {
        log_error("sync: %s", why);
        free(why);
        return -1;
    }
    return 0;
}

static int
sync_open_store(const struct config *cfg, const char *dir, struct store **st)
{
    char db[PATH_MAX], key[PATH_MAX], cat[PATH_MAX], *why = NULL;
    if (services_paths(cfg, dir, db, key, cat) < 0) {
        fprintf(stderr, "dauys sync: a services path is too long\n");
        return EXIT_INVALID;
    }
    if (access(db, F_OK) != 0) {
        fprintf(stderr,
                "dauys sync: there is no applications database at %s "
                "(the kiosk makes it at its first start)\n",
                db);
        return EXIT_ENVIRONMENT;
    }
    char *audit = audit_path(dir);
    struct store_options so = {
        .path = db,
        .centre_key = cfg->has_centre_key ? cfg->centre_public_key : NULL,
        .terminal = cfg->terminal,
        .audit_log = audit,
        .busy_ms = 10000,
    };
    int rc = store_open(&so, st, &why);
    free(audit);
    if (rc < 0) {
        fprintf(stderr, "dauys sync: %s\n", why);
        free(why);
        return rc == STORE_DAMAGED ? EXIT_INVALID : EXIT_ENVIRONMENT;
    }
    return EXIT_OK;
}

/* On the appliance the accepted signed terminal configuration says the
 * mode, the centre, the terminal id and the centre key, as it does for the
 * kiosk (cmd_run.c): laid over CFG when there is one that verifies. */
static void
sync_terminal_config(struct config *cfg, const char *dir)
{
    unsigned char(*keys)[32] = NULL;
    size_t n = 0;
    struct terminal t;
    char *why = NULL;
    if (access(cfg->provision_key, R_OK) == 0 &&
        terminal_read_keys(cfg->provision_key, &keys, &n, &why) == 0 &&
        terminal_load_accepted(dir, (const unsigned char(*)[32])keys, n, &t,
                               &why) == 0)
        terminal_apply(&t, cfg);
    else if (why != NULL)
        fprintf(stderr,
                "dauys sync: the terminal configuration is not "
                "used: %s\n",
                why);
    free(why);
    free(keys);
}

int
cmd_sync(int argc, char **argv)
{
    const char *config = NULL, *data = NULL;
    bool once = false, check = false;
    const struct cmd_option opts[] = {
        {"config", &config, NULL}, {"data-dir", &data, NULL},
        {"once", NULL, &once},     {"check", NULL, &check},
        {NULL, NULL, NULL},
    };
    static const struct cmd_syntax syn = {"dauys sync", sync_usage, true,
                                          false};
    int prc = cmd_options(argc, argv, 1, opts, &syn);
    if (prc != 0)
        return prc > 0 ? EXIT_OK : EXIT_USAGE;
    struct config cfg;
    char dir[PATH_MAX];
    int rc = cmd_config(&cfg, config, data, dir);
    if (rc != EXIT_OK)
        return rc;
    sync_terminal_config(&cfg, dir);
    if (cfg.mode == MODE_VOTING || cfg.sync_conninfo[0] == '\0' ||
        cfg.sync_ca[0] == '\0') {
        fprintf(check ? stdout : stderr, "dauys sync: %s: nothing to send\n",
                cfg.mode == MODE_VOTING ? "a voting-only terminal (mode = "
                                          "voting)"
                                        : "[sync] conninfo and ca_file are "
                                          "not both set");
        return check ? 1 : EXIT_INVALID;
    }
    if (check)
        return EXIT_OK;
    if (sodium_init() < 0) {
        fprintf(stderr, "dauys: libsodium cannot start\n");
        return EXIT_ENVIRONMENT;
    }
    struct sync s = {.cfg = &cfg,
                     .audit_path = audit_path(dir),
                     .terminal = cfg.terminal[0] ? cfg.terminal : cfg.centre,
                     .audit_done = -1};
    rc = sync_open_store(&cfg, dir, &s.store);
    if (rc != EXIT_OK) {
        free(s.audit_path);
        return rc;
    }
    log_open(1);
    struct sigaction sa = {0};
    sa.sa_handler = sync_signal;
    sigemptyset(&sa.sa_mask);
    /* These cannot fail with valid signal numbers and a handler. */
    (void)sigaction(SIGTERM, &sa, NULL);
    (void)sigaction(SIGINT, &sa, NULL);
    (void)signal(SIGPIPE, SIG_IGN);
    struct sync_batch *b = xmalloc(sizeof *b);
    memset(b, 0, sizeof *b);
    log_info("sync: %ld applications to send", store_outbox_pending(s.store));
    double backoff = 0;
    rc = EXIT_OK;
    while (!sync_stop) {
        char *why = NULL;
        if (s.central == NULL &&
            central_connect(cfg.sync_conninfo, cfg.sync_ca, "dauys-sync",
                            &s.central, &why) < 0) {
            log_error("sync: %s", why);
            free(why);
            goto failed;
        }
        long sent = sync_push(&s, b);
        if (sent < 0)
            goto failed;
        backoff = 0;
        if (sent > 0)
            continue;
        time_t now = time(NULL);
        if (sync_audit(&s) < 0)
            goto failed;
        if (once || now >= s.next_status) {
            if (sync_pull(&s) < 0)
                goto failed;
            s.next_status = now + (time_t)cfg.sync_status_s;
        }
        if (once)
            break;
        sync_sleep(cfg.sync_interval_s);
        continue;
    failed:
        central_close(s.central);
        s.central = NULL;
        s.after = 0; /* read again whatever was not acknowledged */
        s.audit_done = -1;
        if (once) {
            rc = EXIT_ENVIRONMENT;
            break;
        }
        backoff = backoff == 0 ? 1 : (backoff * 2 > 60 ? 60 : backoff * 2);
        sync_sleep(backoff * (0.75 + randombytes_uniform(500) / 1000.0));
    }
    long pending = store_outbox_pending(s.store);
    log_info("sync: stopped, %ld applications still to send", pending);
    if (once && rc == EXIT_OK && pending > 0)
        rc = EXIT_INVALID; /* refused records remain */
    free(b);
    free(s.audit_path);
    central_close(s.central);
    store_close(s.store);
    log_close();
    return rc;
}
