/*
 * `dauys services status NUMBER` and `dauys services export [--out DIR]
 * [--pin-file FILE]` (specs/cli.md).
 *
 * Status prints what a visitor may hear at the kiosk (no personal data),
 * so it needs no PIN. Export writes the sealed outbox, the same records
 * dauys-sync sends: personal data in them is sealed to the centre and no
 * kiosk can open it, so nothing personal is ever written in clear. It
 * still needs the staff PIN (it is a staff action in the audit trail),
 * asked on the terminal without echo or read from the first line of
 * --pin-file. With --out DIR it writes the records file and its manifest
 * into DIR (a USB stick) through atomicfile, so a failed export never
 * leaves half a file; without, the records go to standard output. Both
 * commands open an existing database only; they never create one.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "accessibility/atomicfile.h"
#include "accessibility/audit.h"
#include "accessibility/xalloc.h"
#include "kiosk/cmd.h"
#include "kiosk/options.h"
#include "kiosk/services_run.h"
#include "kiosk/staff.h"
#include "kiosk/terminal.h"
#include "services/damm.h"

static const char services_usage[] =
    "usage: dauys services status NUMBER [--config FILE] [--data-dir DIR]\n"
    "       dauys services export [--out DIR] [--pin-file FILE]\n"
    "                             [--config FILE] [--data-dir DIR]\n"
    "status prints the status of application NUMBER (9 digits) and when it\n"
    "last changed. export writes every application on this kiosk as sealed\n"
    "outbox records (personal data sealed to the centre, one JSON record a\n"
    "line) into the folder DIR, with a manifest (count, SHA-256), or to\n"
    "standard output; `dauys central import` loads them. It needs the staff\n"
    "PIN, asked on the terminal or read from the first line of --pin-file.\n";

struct svc_args {
    const char *config, *data_dir, *out, *pin_file, *format;
};

static int
svc_parse(int argc, char **argv, struct svc_args *a)
{
    const struct cmd_option opts[] = {
        {"config", &a->config, NULL}, {"data-dir", &a->data_dir, NULL},
        {"out", &a->out, NULL},       {"pin-file", &a->pin_file, NULL},
        {"format", &a->format, NULL}, {NULL, NULL, NULL},
    };
    static const struct cmd_syntax syn = {"dauys services", services_usage,
                                          true, true};
    return cmd_options(argc, argv, 2, opts, &syn);
}

/* Opens the configured database, which must exist. */
static int
svc_open(const struct svc_args *a, struct config *cfg, char *data_dir,
         struct store **st)
{
    char db[PATH_MAX], key[PATH_MAX], cat[PATH_MAX], *why = NULL;
    int crc = cmd_config(cfg, a->config, a->data_dir, data_dir);
    if (crc != EXIT_OK)
        return crc;
    if (services_paths(cfg, data_dir, db, key, cat) < 0) {
        fprintf(stderr, "dauys: a services path is too long\n");
        return EXIT_INVALID;
    }
    if (access(db, F_OK) != 0) {
        fprintf(stderr, "dauys: there is no applications database at %s\n", db);
        return EXIT_ENVIRONMENT;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "dauys: libsodium cannot start\n");
        return EXIT_ENVIRONMENT;
    }
    char *audit = audit_path(data_dir);
    struct store_options so = {
        .path = db,
        .centre_key = cfg->has_centre_key ? cfg->centre_public_key : NULL,
        .terminal = cfg->terminal,
        .key_path = key,
        .audit_log = audit,
    };
    int rc = store_open(&so, st, &why);
    free(audit);
    if (rc < 0) {
        fprintf(stderr, "dauys: %s\n", why);
        free(why);
        return rc == STORE_DAMAGED ? EXIT_INVALID : EXIT_ENVIRONMENT;
    }
    return EXIT_OK;
}

static int
svc_status(int argc, char **argv)
{
    struct svc_args a = {0};
    int prc = svc_parse(argc, argv, &a);
    if (prc != 0)
        return prc > 0 ? EXIT_OK : EXIT_USAGE;
    if (optind != argc - 1 || a.format != NULL || a.out != NULL ||
        a.pin_file != NULL) {
        fprintf(stderr,
                "dauys services status: give one application "
                "number (and at most --config and --data-dir)\n%s",
                services_usage);
        return EXIT_USAGE;
    }
    const char *number = argv[optind];
    if (strlen(number) != APPLICATION_NUMBER_LEN ||
        strspn(number, "0123456789") != APPLICATION_NUMBER_LEN) {
        fprintf(stderr, "dauys services status: '%s' is not 9 digits\n",
                number);
        return EXIT_INVALID;
    }
    if (!damm_valid(number)) {
        fprintf(stderr,
                "dauys services status: %s is not an application "
                "number (its check digit is wrong: a digit is "
                "mistyped or two are swapped)\n",
                number);
        return EXIT_INVALID;
    }
    struct config cfg;
    char dir[PATH_MAX], service[CATALOGUE_ID_MAX + 1], when[40], *why = NULL;
    struct store *st = NULL;
    int rc = svc_open(&a, &cfg, dir, &st);
    if (rc != EXIT_OK)
        return rc;
    enum app_status status;
    int64_t changed;
    int r = store_status(st, number, &status, &changed, service, &why);
    if (r == 0) {
        printf("%s: %s (since %s), service %s\n", number,
               application_status_id(status),
               application_time(changed, true, when, sizeof when), service);
        rc = EXIT_OK;
    } else if (r == 1) {
        fprintf(stderr, "dauys services status: no application %s\n", number);
        rc = EXIT_INVALID;
    } else {
        fprintf(stderr, "dauys: %s\n", why);
        rc = EXIT_ENVIRONMENT;
    }
    free(why);
    store_close(st);
    return rc;
}

/* Reads the PIN from the first line of PATH, or from the terminal. */
static int
svc_read_pin(const char *path, char *pin, size_t size)
{
    FILE *f;
    bool tty = false;
    struct termios old, noecho;
    if (path != NULL) {
        f = fopen(path, "re");
        if (f == NULL) {
            fprintf(stderr, "dauys: cannot read %s: %s\n", path,
                    strerror(errno));
            return -1;
        }
    } else {
        f = fopen("/dev/tty", "r+e");
        if (f == NULL) {
            fprintf(stderr, "dauys services export: no terminal to ask the "
                            "staff PIN on; use --pin-file FILE\n");
            return -1;
        }
        tty = true;
        fputs("Staff PIN: ", f);
        if (fflush(f) != 0) {
            fprintf(stderr,
                    "dauys services export: cannot ask for the staff "
                    "PIN on the terminal: %s\n",
                    strerror(errno));
            (void)fclose(f); /* the failure is reported just above */
            return -1;
        }
        tcgetattr(fileno(f), &old);
        noecho = old;
        noecho.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fileno(f), TCSAFLUSH, &noecho);
    }
    char *r = fgets(pin, (int)size, f);
    if (tty) {
        tcsetattr(fileno(f), TCSAFLUSH, &old);
        fputc('\n', f);
    }
    /* F was only read, but for the newline after the PIN on the terminal:
     * closing cannot lose anything that matters. */
    (void)fclose(f);
    if (r == NULL) {
        fprintf(stderr, "dauys services export: no PIN given\n");
        return -1;
    }
    pin[strcspn(pin, "\r\n")] = '\0';
    return 0;
}

static int
svc_export(int argc, char **argv)
{
    struct svc_args a = {0};
    int prc = svc_parse(argc, argv, &a);
    if (prc != 0)
        return prc > 0 ? EXIT_OK : EXIT_USAGE;
    if (optind != argc) {
        fprintf(stderr, "dauys services export: unexpected argument '%s'\n",
                argv[optind]);
        return EXIT_USAGE;
    }
    if (a.format != NULL) {
        fprintf(stderr,
                "dauys services export: there is no --format any more: the "
                "kiosk writes sealed outbox records only, never a clear "
                "CSV or JSON; the centre makes those with dauys central "
                "export\n");
        return EXIT_USAGE;
    }
    struct config cfg;
    char dir[PATH_MAX], pin[64] = "", *hash = NULL, *why = NULL;
    struct store *st = NULL;
    int rc = svc_open(&a, &cfg, dir, &st);
    if (rc != EXIT_OK)
        return rc;
    rc = EXIT_INVALID;
    /* With a terminal configuration, the centre worker's PIN (else the
     * technician's) from it; otherwise the PIN of dauys staff passwd. */
    struct terminal t;
    unsigned char(*keys)[32] = NULL;
    size_t n_keys = 0;
    int r = 1;
    if (access(cfg.provision_key, R_OK) == 0 &&
        terminal_read_keys(cfg.provision_key, &keys, &n_keys, NULL) == 0 &&
        terminal_load_accepted(dir, (const unsigned char(*)[32])keys, n_keys,
                               &t, NULL) == 0) {
        int role = t.pin_hash[STAFF_CENTRE_WORKER][0] != '\0'
                       ? STAFF_CENTRE_WORKER
                       : STAFF_TECHNICIAN;
        if (t.pin_hash[role][0] != '\0') {
            hash = xstrdup(t.pin_hash[role]);
            r = 0;
        }
    } else {
        char *pin_path = staff_pin_path(dir, "admin");
        r = staff_pin_read(pin_path, &hash, &why);
        free(pin_path);
    }
    free(keys);
    if (r != 0) {
        fprintf(stderr, "dauys: %s\n",
                r > 0 ? "no staff PIN is set; set one with: dauys staff "
                        "passwd"
                      : why);
        goto out;
    }
    if (svc_read_pin(a.pin_file, pin, sizeof pin) < 0)
        goto out;
    if (!staff_pin_verify(hash, pin)) {
        fprintf(stderr, "dauys services export: wrong staff PIN\n");
        goto out;
    }
    long deleted = 0;
    if (store_audit_export(st, "admin", (int64_t)time(NULL), &why) < 0 ||
        store_retention(st, cfg.retention_days, (int64_t)time(NULL), &deleted,
                        &why) < 0) {
        fprintf(stderr, "dauys: %s\n", why);
        rc = EXIT_ENVIRONMENT;
        goto out;
    }
    long count = 0;
    if (a.out != NULL) {
        char *path = NULL;
        int e = services_export(st, a.out, cfg.centre, &path, &count, &why);
        if (e < 0) {
            fprintf(stderr, "dauys services export: %s\n", why);
            rc = e == STORE_INVALID ? EXIT_INVALID : EXIT_ENVIRONMENT;
            goto out;
        }
        fprintf(stderr, "dauys: %ld applications written to %s\n", count, path);
        free(path);
    } else if (store_export_outbox(st, stdout, &count, &why) < 0) {
        fprintf(stderr, "dauys: %s\n", why);
        rc = EXIT_ENVIRONMENT;
        goto out;
    }
    rc = EXIT_OK;
out:
    sodium_memzero(pin, sizeof pin);
    free(hash);
    free(why);
    store_close(st);
    return rc;
}

int
cmd_services(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(services_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], "status") == 0)
        return svc_status(argc, argv);
    if (strcmp(argv[1], "export") == 0)
        return svc_export(argc, argv);
    fprintf(stderr, "dauys services: unknown command '%s'\n%s", argv[1],
            services_usage);
    return EXIT_USAGE;
}
