/*
 * `dauys report close-of-day|guide`: the kiosk's paper, made on a staff
 * laptop or by the build.
 *
 * close-of-day writes the close-of-day report (kiosk/report.h) of a data
 * directory as PDF, from what the directory holds: the terminal id (the
 * configuration file's [kiosk] terminal, else its centre code), the saved
 * election package (verified with the configuration's keys), the times
 * voting assistance was opened and closed and the voter sessions and
 * stencils as the kiosk keeps them in <data-dir>/state for that package
 * (without a readable state for it: the times as the audit trail records
 * them today and the counts "not known"), the applications of the day
 * counted by service (without decrypting anything, with the
 * configuration's centre key as the store asks; a missing database is
 * none), and the audit trail's head. It reads only: it never creates a
 * database and adds nothing to the audit trail.
 *
 * guide renders a staff guide (data/guide/staff-guide.*.md, the markup of
 * report.h) as PDF; the build makes the installed PDFs with it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "accessibility/audit.h"
#include "accessibility/textfile.h"
#include "accessibility/xalloc.h"
#include "kiosk/cmd.h"
#include "kiosk/config.h"
#include "kiosk/options.h"
#include "kiosk/report.h"
#include "kiosk/services_run.h"
#include "kiosk/station.h"
#include "kiosk/station_state.h"
#include "services/store.h"

static const char report_usage[] =
    "usage: dauys report close-of-day [--config FILE] [--data-dir DIR]\n"
    "                                 [--lang kk|ru|en] --out FILE.pdf\n"
    "       dauys report guide FILE.md [--short] --out FILE.pdf\n"
    "close-of-day writes the close-of-day report of the data directory as\n"
    "PDF: terminal, package and short hash, voting opened and closed, voter\n"
    "sessions and stencils (as the kiosk keeps them in DIR/state),\n"
    "applications of the day by service and the audit head. guide renders\n"
    "a staff guide (--short: its short version).\n";

/* Scans the audit trail PATH for today's "voting assistance opened" and
 * "closed" entries (from DAY_START on): the first opening and the last
 * closing after the last opening. */
static void
report_voting_times(const char *path, int64_t day_start, int64_t *opened,
                    int64_t *closed)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        char *fields[4] = {0};
        char *p = line;
        for (int i = 0; i < 4 && p != NULL; i++) {
            fields[i] = p;
            p = strchr(p, '\t');
            if (p != NULL)
                *p++ = '\0';
        }
        if (fields[3] == NULL)
            continue;
        struct tm tm = {0};
        const char *end = strptime(fields[1], "%Y-%m-%dT%H:%M:%SZ", &tm);
        if (end == NULL || *end != '\0')
            continue;
        int64_t t = (int64_t)timegm(&tm);
        if (t < day_start)
            continue;
        if (strcmp(fields[3], "voting assistance opened") == 0) {
            if (*opened == 0)
                *opened = t;
            *closed = 0;
        } else if (strcmp(fields[3], "voting assistance closed") == 0) {
            *closed = t;
        }
    }
    free(line);
    (void)fclose(f);
}

struct report_counts {
    struct report_count *v;
    size_t n;
};

static int
report_count_one(void *ctx, const char *service, long n)
{
    struct report_counts *c = ctx;
    c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
    c->v[c->n].service = xstrdup(service);
    c->v[c->n].n = n;
    c->n++;
    return 0;
}

static int
report_close_of_day(int argc, char **argv)
{
    const char *data = NULL, *config = NULL, *out = NULL, *lang_code = NULL;
    const struct cmd_option opts[] = {
        {"data-dir", &data, NULL}, {"config", &config, NULL},
        {"out", &out, NULL},       {"lang", &lang_code, NULL},
        {NULL, NULL, NULL},
    };
    static const struct cmd_syntax syn = {"dauys report close-of-day",
                                          report_usage, true, false};
    int orc = cmd_options(argc, argv, 2, opts, &syn);
    if (orc != 0)
        return orc > 0 ? EXIT_OK : EXIT_USAGE;
    if (out == NULL) {
        fprintf(stderr,
                "dauys report close-of-day: --out FILE.pdf is "
                "required\n%s",
                report_usage);
        return EXIT_USAGE;
    }
    enum lang lang = LANG_RU;
    if (lang_code != NULL && lang_from_code(lang_code, &lang) < 0) {
        fprintf(stderr, "dauys report close-of-day: --lang must be kk, ru "
                        "or en\n");
        return EXIT_USAGE;
    }
    struct config cfg;
    char dir[PATH_MAX];
    int crc = cmd_config(&cfg, config, data, dir);
    if (crc != EXIT_OK)
        return crc;
    char *why = NULL;
    struct i18n *i18n = i18n_new(options_localedir(), &why);
    if (i18n == NULL) {
        fprintf(stderr, "dauys report close-of-day: %s\n", why);
        free(why);
        return EXIT_ENVIRONMENT;
    }
    int64_t now = (int64_t)time(NULL);
    struct report_facts facts = {
        .kind = REPORT_CLOSING,
        .terminal = cfg.terminal[0] != '\0' ? cfg.terminal : cfg.centre,
        .version = DAUYS_VERSION,
        .made_at = now,
        .sessions = -1,
        .stencils = -1,
        .voting_on = (cfg.mode & MODE_VOTING) != 0,
        .services_on = (cfg.mode & MODE_SERVICES) != 0,
    };
    struct station *st = station_new(dir, &cfg, false);
    struct election *e = NULL;
    int rc = EXIT_OK;
    if (station_load_saved(st, &e, &why) < 0) {
        fprintf(stderr,
                "dauys report close-of-day: warning: the saved election "
                "package is refused:\n%s\n",
                why);
        free(why);
        why = NULL;
    }
    if (e != NULL) {
        facts.package_id = e->id;
        facts.package_hash = e->hash;
        facts.package_test = e->test;
    }
    /* The state the kiosk keeps (kiosk/station_state.h) is what its own
     * report reads; without it (or when it is for another package), the
     * times from the audit trail and the counts not known. */
    char *state = station_state_path(dir);
    struct station_state kept;
    char *state_why = NULL;
    int sr = station_state_read(state, &kept, &state_why);
    if (sr < 0) {
        fprintf(stderr,
                "dauys report close-of-day: warning: the saved state is not "
                "used: %s\n",
                state_why);
        free(state_why);
    }
    free(state);
    char *audit = audit_path(dir);
    if (sr == 0 && e != NULL && strcmp(kept.package_hash, e->hash) == 0) {
        facts.opened_at = kept.opened_at;
        facts.closed_at = kept.closed_at;
        facts.sessions = (long)kept.sessions;
        facts.stencils = (long)kept.stencils;
    } else {
        report_voting_times(audit, report_day_start(now), &facts.opened_at,
                            &facts.closed_at);
    }
    struct audit_head head = {0};
    char *audit_why = NULL;
    if (audit_verify(audit, &head, &audit_why) == 0) {
        facts.audit_seq = head.seq;
        facts.audit_hash = head.hash;
    } else {
        facts.audit_problem = audit_why;
    }
    struct report_counts counts = {0};
    char *count_why = NULL;
    char db[PATH_MAX], key[PATH_MAX], cat[PATH_MAX];
    if (facts.services_on && services_paths(&cfg, dir, db, key, cat) == 0 &&
        access(db, F_OK) == 0) {
        struct store_options so = {
            .path = db,
            .centre_key = cfg.has_centre_key ? cfg.centre_public_key : NULL,
            .terminal = cfg.terminal,
            .key_path = key,
        };
        struct store *store = NULL;
        if (store_open(&so, &store, &count_why) == 0) {
            if (store_count_by_service(store, report_day_start(now), 0,
                                       report_count_one, &counts,
                                       &count_why) == 0) {
                free(count_why);
                count_why = NULL;
            }
            store_close(store);
        }
    }
    facts.counts = counts.v;
    facts.n_counts = counts.n;
    facts.services_problem = count_why;
    struct report *r = report_build(&facts, i18n, lang);
    if (report_pdf(r, 0, out, &why) < 0) {
        fprintf(stderr, "dauys report close-of-day: %s\n", why);
        free(why);
        rc = EXIT_ENVIRONMENT;
    } else {
        printf("%s\n", out);
    }
    report_free(r);
    for (size_t i = 0; i < counts.n; i++)
        free((char *)counts.v[i].service);
    free(counts.v);
    free(count_why);
    free(audit_why);
    free(audit);
    election_free(e);
    station_free(st);
    i18n_free(i18n);
    return rc;
}

static int
report_guide(int argc, char **argv)
{
    const char *out = NULL;
    bool short_only = false;
    const struct cmd_option opts[] = {
        {"out", &out, NULL},
        {"short", NULL, &short_only},
        {NULL, NULL, NULL},
    };
    static const struct cmd_syntax syn = {"dauys report guide", report_usage,
                                          true, true};
    int orc = cmd_options(argc, argv, 2, opts, &syn);
    if (orc != 0)
        return orc > 0 ? EXIT_OK : EXIT_USAGE;
    if (out == NULL || optind != argc - 1) {
        fprintf(stderr,
                "dauys report guide: give one FILE.md and --out "
                "FILE.pdf\n%s",
                report_usage);
        return EXIT_USAGE;
    }
    const char *in = argv[optind];
    char *text = NULL, *why = NULL;
    size_t len = 0;
    if (textfile_read(in, "staff guide", REPORT_GUIDE_MAX, &text, &len, &why) <
        0) {
        fprintf(stderr, "dauys report guide: %s\n", why);
        free(why);
        return EXIT_INVALID;
    }
    if (len > REPORT_GUIDE_MAX) {
        fprintf(stderr, "dauys report guide: %s is larger than %d bytes\n", in,
                REPORT_GUIDE_MAX);
        free(text);
        return EXIT_INVALID;
    }
    struct report *r = NULL;
    int rc = EXIT_OK;
    if (report_guide_parse(in, text, len, &r, &why) < 0) {
        fprintf(stderr, "dauys report guide: %s\n", why);
        rc = EXIT_INVALID;
    } else if (report_pdf(r, short_only ? r->short_from : 0, out, &why) < 0) {
        fprintf(stderr, "dauys report guide: %s\n", why);
        rc = EXIT_ENVIRONMENT;
    }
    free(why);
    free(text);
    report_free(r);
    return rc;
}

int
cmd_report(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "close-of-day") == 0)
        return report_close_of_day(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "guide") == 0)
        return report_guide(argc, argv);
    if (argc >= 2 &&
        (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(report_usage, stdout);
        return EXIT_OK;
    }
    if (argc >= 2)
        fprintf(stderr, "dauys report: unknown report '%s'\n", argv[1]);
    fputs(report_usage, stderr);
    return EXIT_USAGE;
}
