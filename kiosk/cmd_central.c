/*
 * `dauys central …`: the central side of Ten Qogam applications
 * (docs/central.md), run by the centre's administrators and case workers
 * on their own machines, never on a kiosk:
 *
 *   keygen --out DIR            the centre key pair (centre.key, centre.pub)
 *   init                        schema, migrations, roles, row-level security
 *   add-terminal ROLE --centre C --terminal T [--password-file F]
 *   add-caseworker ROLE [--password-file F]
 *   import FILE…                stick exports (JSON lines), idempotently
 *   export --key FILE           decrypted applications, CSV or JSON
 *   status NUMBER STATUS        a case worker's decision
 *   find --iin IIN --key FILE   applications of one IIN, duplicates marked
 *
 * The database is named by --db CONNINFO (a libpq connection string; by
 * default libpq's PG* environment) and --ca FILE forces sslmode=
 * verify-full against that CA. The PostgreSQL work is in central/; this
 * file reads arguments and files and words the results.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accessibility/atomicfile.h"
#include "accessibility/xalloc.h"
#include "central/central.h"
#include "kiosk/cmd.h"
#include "services/application.h"
#include "services/iin.h"

static const char central_usage[] =
    "usage: dauys central keygen --out DIR\n"
    "       dauys central init [--db CONNINFO] [--ca FILE]\n"
    "       dauys central add-terminal ROLE --centre CODE --terminal ID\n"
    "                             [--password-file FILE] [--db …] [--ca …]\n"
    "       dauys central add-caseworker ROLE [--password-file FILE] …\n"
    "       dauys central import FILE… [--key FILE] [--db CONNINFO] "
    "[--ca FILE]\n"
    "       dauys central export --key FILE [--centre CODE]\n"
    "                             [--format csv|json] [--out FILE] …\n"
    "       dauys central status NUMBER STATUS [--centre CODE] …\n"
    "       dauys central find --iin IIN --key FILE …\n"
    "The central PostgreSQL of Ten Qogam applications (docs/central.md).\n"
    "--db is a libpq connection string (default: the PG* environment);\n"
    "--ca FILE requires TLS with sslmode=verify-full against that CA.\n"
    "keygen writes DIR/centre.key (secret, 0600) and DIR/centre.pub (for\n"
    "the kiosks' [services] centre_public_key). add-terminal prints the\n"
    "password it made when no --password-file is given. export and find\n"
    "need the centre's secret key (--key centre.key); import with --key\n"
    "lists the applications of one IIN for one service (duplicates).\n";

struct central_args {
    const char *db, *ca, *out, *key, *centre, *terminal, *password_file,
        *format, *iin;
};

static int
central_parse(int argc, char **argv, struct central_args *a)
{
    const struct cmd_option opts[] = {
        {"db", &a->db, NULL},
        {"ca", &a->ca, NULL},
        {"out", &a->out, NULL},
        {"key", &a->key, NULL},
        {"centre", &a->centre, NULL},
        {"terminal", &a->terminal, NULL},
        {"password-file", &a->password_file, NULL},
        {"format", &a->format, NULL},
        {"iin", &a->iin, NULL},
        {NULL, NULL, NULL},
    };
    char who[64];
    snprintf(who, sizeof who, "dauys central %s", argv[1]);
    const struct cmd_syntax syn = {who, central_usage, true, true};
    return cmd_options(argc, argv, 2, opts, &syn);
}

static int
central_open(const struct central_args *a, struct central **c)
{
    char *why = NULL;
    if (central_connect(a->db != NULL ? a->db : "", a->ca, "dauys central", c,
                        &why) < 0) {
        fprintf(stderr, "dauys: %s\n", why);
        free(why);
        return EXIT_ENVIRONMENT;
    }
    return EXIT_OK;
}

/* Writes KEY (32 bytes) in base64 and a newline to DIR/NAME with MODE. */
static int
write_key(const char *dir, const char *name, const unsigned char *key,
          mode_t mode)
{
    char path[PATH_MAX],
        b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL) + 1],
        *why = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    sodium_bin2base64(b64, sizeof b64 - 1, key, 32,
                      sodium_base64_VARIANT_ORIGINAL);
    size_t end = strlen(b64);
    b64[end] = '\n';
    b64[end + 1] = '\0';
    int rc = atomicfile_write(path, b64, strlen(b64), mode,
                              ATOMICFILE_NOREPLACE, &why);
    sodium_memzero(b64, sizeof b64);
    if (rc < 0) {
        fprintf(stderr, "dauys central keygen: %s%s\n", why,
                rc == -EEXIST ? " (a centre key is never replaced: move "
                                "the old one away first)"
                              : "");
        free(why);
        return -1;
    }
    return 0;
}

static int
central_keygen(const struct central_args *a)
{
    if (a->out == NULL) {
        fprintf(stderr, "dauys central keygen: give --out DIR\n");
        return EXIT_USAGE;
    }
    unsigned char pk[32], sk[32];
    crypto_box_keypair(pk, sk);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/centre.pub", a->out);
    if (access(path, F_OK) == 0) {
        fprintf(stderr,
                "dauys central keygen: %s exists; a centre key is never "
                "replaced (move the old pair away first)\n",
                path);
        return EXIT_INVALID;
    }
    int rc = write_key(a->out, "centre.key", sk, 0600);
    sodium_memzero(sk, sizeof sk);
    if (rc < 0 || write_key(a->out, "centre.pub", pk, 0644) < 0)
        return EXIT_ENVIRONMENT;
    char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, pk, 32, sodium_base64_VARIANT_ORIGINAL);
    printf("secret key: %s/centre.key (keep it off the kiosks; back it up)\n"
           "kiosk configuration: [services] centre_public_key = %s\n",
           a->out, b64);
    return EXIT_OK;
}

/* Reads the secret key file and derives its public key. */
static int
read_keys(const struct central_args *a, unsigned char pk[32],
          unsigned char sk[32])
{
    char *why = NULL;
    if (a->key == NULL) {
        fprintf(stderr, "dauys central: give the centre's secret key with "
                        "--key centre.key\n");
        return EXIT_USAGE;
    }
    if (central_key_read(a->key, true, sk, &why) < 0) {
        fprintf(stderr, "dauys central: %s\n", why);
        free(why);
        return EXIT_INVALID;
    }
    crypto_scalarmult_base(pk, sk);
    return EXIT_OK;
}

static int
central_do_init(const struct central_args *a)
{
    struct central *c = NULL;
    char *why = NULL;
    int before, rc = central_open(a, &c);
    if (rc != EXIT_OK)
        return rc;
    if (central_init(c, &before, &why) < 0) {
        fprintf(stderr, "dauys central init: %s\n", why);
        rc = EXIT_ENVIRONMENT;
    } else if (before == CENTRAL_SCHEMA_VERSION) {
        printf("central database: schema version %d, roles and policies "
               "applied again\n",
               before);
    } else {
        printf("central database: schema version %d (was %d), roles "
               "dauys_terminal and dauys_caseworker, row-level security\n",
               CENTRAL_SCHEMA_VERSION, before);
    }
    free(why);
    central_close(c);
    return rc;
}

static int
central_add(const struct central_args *a, const char *role, bool terminal)
{
    if (terminal && (a->centre == NULL || a->terminal == NULL)) {
        fprintf(stderr, "dauys central add-terminal: give --centre CODE and "
                        "--terminal ID\n");
        return EXIT_USAGE;
    }
    char pw[128] = "", *why = NULL;
    bool made = false;
    if (a->password_file != NULL) {
        FILE *f = fopen(a->password_file, "re");
        if (f == NULL || fgets(pw, sizeof pw, f) == NULL) {
            fprintf(stderr, "dauys central: cannot read a password from %s\n",
                    a->password_file);
            if (f != NULL)
                (void)fclose(f); /* only read */
            return EXIT_INVALID;
        }
        (void)fclose(f); /* only read */
        pw[strcspn(pw, "\r\n")] = '\0';
    } else {
        unsigned char raw[18];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2base64(pw, sizeof pw, raw, sizeof raw,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        made = true;
    }
    struct central *c = NULL;
    int rc = central_open(a, &c);
    if (rc == EXIT_OK &&
        central_add_role(c, role, terminal ? a->centre : NULL,
                         terminal ? a->terminal : NULL, pw, &why) < 0) {
        fprintf(stderr, "dauys central: %s\n", why);
        rc = EXIT_INVALID;
    } else if (rc == EXIT_OK) {
        if (terminal)
            printf("role %s: terminal %s of %s\n", role, a->terminal,
                   a->centre);
        else
            printf("role %s: case worker\n", role);
        if (made)
            printf("password: %s\n", pw);
    }
    sodium_memzero(pw, sizeof pw);
    free(why);
    central_close(c);
    return rc;
}

/* Checks the manifest that the kiosk wrote beside FILE (outbox-….jsonl
 * and outbox-….manifest): the file's name, its number of records and its
 * SHA-256. A file without one was cut off on its way (the kiosk writes the
 * manifest last) and is refused. */
static int
check_manifest(const char *file, long lines, const char *sha_hex)
{
    char path[PATH_MAX];
    size_t n = strlen(file);
    if (n > 6 && strcmp(file + n - 6, ".jsonl") == 0)
        n -= 6;
    snprintf(path, sizeof path, "%.*s.manifest", (int)n, file);
    json_error_t err;
    json_t *m = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (m == NULL && access(path, F_OK) != 0) {
        fprintf(stderr,
                "dauys central import: %s has no manifest %s: the copy "
                "was cut off; export it from the kiosk again\n",
                file, path);
        return -1;
    }
    json_t *count = json_object_get(m, "count");
    json_t *sha = json_object_get(m, "sha256");
    json_t *name = json_object_get(m, "file");
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    int rc = 0;
    if (!json_is_object(m) || !json_is_integer(count) || !json_is_string(sha)) {
        fprintf(stderr,
                "dauys central import: %s is not a manifest "
                "(count and sha256)\n",
                path);
        rc = -1;
    } else if (json_is_string(name) &&
               strcmp(json_string_value(name), base) != 0) {
        fprintf(stderr,
                "dauys central import: %s is the manifest of %s, "
                "not of %s\n",
                path, json_string_value(name), base);
        rc = -1;
    } else if (json_integer_value(count) != lines) {
        fprintf(stderr,
                "dauys central import: %s says %lld records, %s has %ld: "
                "the copy is incomplete; copy it from the kiosk again\n",
                path, (long long)json_integer_value(count), file, lines);
        rc = -1;
    } else if (strcmp(json_string_value(sha), sha_hex) != 0) {
        fprintf(stderr,
                "dauys central import: %s does not match the SHA-256 in %s: "
                "the file was changed or damaged; copy it again\n",
                file, path);
        rc = -1;
    }
    json_decref(m);
    return rc;
}

struct import_total {
    long lines, inserted, duplicates, conflicts;
};

/* Imports one stick file: every line is checked first, so a file with a
 * bad record imports nothing; then batches of 500, each one transaction. */
static int
import_file(struct central *c, const char *file, struct import_total *t)
{
    FILE *f = fopen(file, "re");
    if (f == NULL) {
        fprintf(stderr, "dauys central import: cannot read %s: %s\n", file,
                strerror(errno));
        return EXIT_ENVIRONMENT;
    }
    char *line = NULL, *why = NULL;
    size_t cap = 0;
    ssize_t len;
    long n = 0, bad = 0;
    crypto_hash_sha256_state sha;
    crypto_hash_sha256_init(&sha);
    while ((len = getline(&line, &cap, f)) > 0) {
        crypto_hash_sha256_update(&sha, (unsigned char *)line, (size_t)len);
        n++;
        line[strcspn(line, "\r\n")] = '\0';
        struct central_record r;
        if (central_record_parse(line, &r, &why) < 0) {
            if (bad++ < 20)
                fprintf(stderr, "dauys central import: %s:%ld: %s\n", file, n,
                        why);
            free(why);
            why = NULL;
            continue;
        }
        central_record_free(&r);
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[2 * sizeof h + 1];
    crypto_hash_sha256_final(&sha, h);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    int rc = EXIT_OK;
    if (ferror(f)) {
        fprintf(stderr, "dauys central import: cannot read %s\n", file);
        rc = EXIT_ENVIRONMENT;
    } else if (bad > 0) {
        fprintf(stderr,
                "dauys central import: %s: %ld of %ld records refused; "
                "nothing imported from it\n",
                file, bad, n);
        rc = EXIT_INVALID;
    } else if (check_manifest(file, n, hex) < 0) {
        rc = EXIT_INVALID;
    }
    if (rc != EXIT_OK) {
        free(line);
        (void)fclose(f); /* only read */
        return rc;
    }
    rewind(f);
    struct central_record batch[500];
    size_t k = 0;
    bool more = true;
    while (more) {
        more = getline(&line, &cap, f) > 0;
        if (more) {
            line[strcspn(line, "\r\n")] = '\0';
            if (central_record_parse(line, &batch[k], &why) < 0) {
                fprintf(stderr,
                        "dauys central import: %s changed while "
                        "being read\n",
                        file);
                free(why);
                rc = EXIT_INVALID;
                break;
            }
            k++;
        }
        if (k == 500 || (!more && k > 0)) {
            struct central_push_result res;
            if (central_push(c, batch, k, &res, &why) < 0) {
                fprintf(stderr,
                        "dauys central import: %s: %s (the records "
                        "before were imported; import the file "
                        "again)\n",
                        file, why);
                free(why);
                rc = EXIT_ENVIRONMENT;
                more = false;
            } else {
                t->inserted += (long)res.inserted;
                t->duplicates += (long)res.duplicates;
                t->conflicts += (long)res.conflicts;
            }
            for (size_t i = 0; i < k; i++)
                central_record_free(&batch[i]);
            k = 0;
        }
    }
    for (size_t i = 0; i < k; i++)
        central_record_free(&batch[i]);
    t->lines += n;
    free(line);
    (void)fclose(f); /* only read */
    return rc;
}

/* With --key: computes the IIN hashes of what is new and lists the
 * applications of one IIN for one service (numbers only). */
static int
import_duplicates(const struct central_args *a, struct central *c)
{
    unsigned char pk[32], sk[32];
    char *why = NULL;
    long indexed, foreign;
    int rc = read_keys(a, pk, sk);
    if (rc != EXIT_OK)
        return rc;
    int n = -1;
    if (central_index(c, pk, sk, &indexed, &foreign, &why) == 0)
        n = central_duplicates(c, stdout, &why);
    sodium_memzero(sk, sizeof sk);
    if (n < 0) {
        fprintf(stderr, "dauys central import: %s\n", why);
        free(why);
        return EXIT_ENVIRONMENT;
    }
    printf("%d groups of applications by one IIN for one service%s\n", n,
           foreign > 0 ? " (some applications are sealed to another key)" : "");
    return EXIT_OK;
}

static int
central_import(const struct central_args *a, int argc, char **argv)
{
    if (optind >= argc) {
        fprintf(stderr, "dauys central import: give the exported file(s)\n");
        return EXIT_USAGE;
    }
    struct central *c = NULL;
    int rc = central_open(a, &c);
    if (rc != EXIT_OK)
        return rc;
    struct import_total t = {0};
    for (int i = optind; i < argc && rc == EXIT_OK; i++)
        rc = import_file(c, argv[i], &t);
    if (rc == EXIT_OK)
        printf("%ld records read: %ld new, %ld already held, %ld in conflict "
               "(kept in dauys.conflicts, not written over)\n",
               t.lines, t.inserted, t.duplicates, t.conflicts);
    if (rc == EXIT_OK && a->key != NULL)
        rc = import_duplicates(a, c);
    central_close(c);
    return rc;
}

static int
central_do_export(const struct central_args *a)
{
    bool json = a->format != NULL && strcmp(a->format, "json") == 0;
    if (a->format != NULL && !json && strcmp(a->format, "csv") != 0) {
        fprintf(stderr,
                "dauys central export: --format must be csv or json, "
                "not '%s'\n",
                a->format);
        return EXIT_USAGE;
    }
    unsigned char pk[32], sk[32];
    int rc = read_keys(a, pk, sk);
    if (rc != EXIT_OK)
        return rc;
    struct central *c = NULL;
    struct atomicfile *out = NULL;
    char *why = NULL;
    long skipped = 0;
    rc = central_open(a, &c);
    if (rc != EXIT_OK)
        goto out;
    rc = EXIT_ENVIRONMENT;
    if (a->out != NULL && atomicfile_open(a->out, 0600, 0, &out, &why) < 0)
        goto fail;
    if (central_export(c, a->centre, pk, sk,
                       out != NULL ? atomicfile_stream(out) : stdout, json,
                       &skipped, &why) < 0)
        goto fail;
    if (out != NULL) {
        int cr = atomicfile_commit(out, &why);
        out = NULL;
        if (cr < 0)
            goto fail;
    }
    if (skipped > 0)
        fprintf(stderr,
                "dauys central export: %ld applications are sealed to "
                "another centre key and were left out\n",
                skipped);
    rc = EXIT_OK;
    goto out;
fail:
    fprintf(stderr, "dauys central export: %s\n", why);
out:
    atomicfile_abort(out);
    sodium_memzero(sk, sizeof sk);
    free(why);
    central_close(c);
    return rc;
}

static int
central_do_status(const struct central_args *a, int argc, char **argv)
{
    if (argc - optind != 2) {
        fprintf(stderr, "dauys central status: give NUMBER and STATUS\n%s",
                central_usage);
        return EXIT_USAGE;
    }
    const char *number = argv[optind], *status = argv[optind + 1];
    if (!application_number_ok(number)) {
        fprintf(stderr,
                "dauys central status: '%s' is not an application number "
                "(9 digits with a check digit)\n",
                number);
        return EXIT_INVALID;
    }
    if (application_status_from_id(status) < 0) {
        fprintf(stderr,
                "dauys central status: '%s' is not a status: received, "
                "in-review, forwarded, done or rejected\n",
                status);
        return EXIT_INVALID;
    }
    struct central *c = NULL;
    char *why = NULL;
    int rc = central_open(a, &c);
    if (rc != EXIT_OK)
        return rc;
    int r = central_set_status(c, a->centre, number, status, &why);
    if (r == 0) {
        printf("%s: %s\n", number, status);
    } else if (r == 1) {
        fprintf(stderr, "dauys central status: no application %s%s%s\n", number,
                a->centre ? " at " : "", a->centre ? a->centre : "");
        rc = EXIT_INVALID;
    } else if (r == 2) {
        fprintf(stderr,
                "dauys central status: several centres have an "
                "application %s; say which with --centre CODE\n",
                number);
        rc = EXIT_INVALID;
    } else {
        fprintf(stderr, "dauys central status: %s\n", why);
        rc = EXIT_ENVIRONMENT;
    }
    free(why);
    central_close(c);
    return rc;
}

static int
central_find(const struct central_args *a)
{
    if (a->iin == NULL || strlen(a->iin) != 12 ||
        strspn(a->iin, "0123456789") != 12) {
        fprintf(stderr, "dauys central find: give --iin and 12 digits\n");
        return EXIT_USAGE;
    }
    unsigned char pk[32], sk[32];
    int rc = read_keys(a, pk, sk);
    if (rc != EXIT_OK)
        return rc;
    struct central *c = NULL;
    char *why = NULL;
    rc = central_open(a, &c);
    if (rc == EXIT_OK) {
        int n = central_find_iin(c, a->iin, pk, sk, stdout, &why);
        if (n < 0) {
            fprintf(stderr, "dauys central find: %s\n", why);
            rc = EXIT_ENVIRONMENT;
        } else if (n == 0) {
            fprintf(stderr, "dauys central find: no application with this "
                            "IIN\n");
            rc = EXIT_INVALID;
        }
    }
    sodium_memzero(sk, sizeof sk);
    free(why);
    central_close(c);
    return rc;
}

int
cmd_central(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(central_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    static const char *const verbs[] = {
        "keygen", "init",   "add-terminal", "add-caseworker",
        "import", "export", "status",       "find",
    };
    bool known = false;
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        known = known || strcmp(argv[1], verbs[i]) == 0;
    if (!known) {
        fprintf(stderr, "dauys central: unknown command '%s'\n%s", argv[1],
                central_usage);
        return EXIT_USAGE;
    }
    struct central_args a = {0};
    int prc = central_parse(argc, argv, &a);
    if (prc != 0)
        return prc > 0 ? EXIT_OK : EXIT_USAGE;
    if (sodium_init() < 0) {
        fprintf(stderr, "dauys: libsodium cannot start\n");
        return EXIT_ENVIRONMENT;
    }
    const char *verb = argv[1];
    bool operands = strcmp(verb, "import") == 0 ||
                    strcmp(verb, "status") == 0 ||
                    strcmp(verb, "add-terminal") == 0 ||
                    strcmp(verb, "add-caseworker") == 0;
    if (!operands && optind < argc) {
        fprintf(stderr, "dauys central %s: unexpected argument '%s'\n", verb,
                argv[optind]);
        return EXIT_USAGE;
    }
    if (strcmp(verb, "keygen") == 0)
        return central_keygen(&a);
    if (strcmp(verb, "init") == 0)
        return central_do_init(&a);
    if (strcmp(verb, "add-terminal") == 0 ||
        strcmp(verb, "add-caseworker") == 0) {
        if (argc - optind != 1) {
            fprintf(stderr, "dauys central %s: give one ROLE name\n", verb);
            return EXIT_USAGE;
        }
        return central_add(&a, argv[optind], strcmp(verb, "add-terminal") == 0);
    }
    if (strcmp(verb, "import") == 0)
        return central_import(&a, argc, argv);
    if (strcmp(verb, "export") == 0)
        return central_do_export(&a);
    if (strcmp(verb, "status") == 0)
        return central_do_status(&a, argc, argv);
    return central_find(&a);
}
