/*
 * `dauys election`: the commission's tools for election packages (keygen,
 * sign, verify, hash), thin wrappers over ballot/package.h so that the
 * command line and the kiosk accept exactly the same packages.
 *
 * Output is for people and for scripts at once: `hash` prints the bare hash
 * (it compares with `sha256sum`), `verify` prints one "name: value" line per
 * fact on stdout and, on failure, every problem on stderr, one per line.
 *
 * Which keys `verify` trusts: the files given with --public (repeatable) and,
 * with --demo, the bundled demo key DAUYS_DATADIR/demo/demo.pub; with
 * neither, the [election] public_key lines of the terminal's configuration
 * (/etc/dauys/dauys.conf). No key at all is a usage error.
 */
#include "kiosk/cmd.h"
#include "kiosk/options.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/readout.h"
#include "accessibility/xalloc.h"
#include "ballot/election.h"
#include "ballot/package.h"

enum {
    OPT_SECRET = 1 << 0,
    OPT_PUBLIC = 1 << 1,
    OPT_DEMO = 1 << 2,
};

struct election_args {
    const char *secret;
    const char **publics; /* argc entries at most */
    size_t n_publics;
    bool demo;
    bool help;
    const char *pos[2];
    size_t n_pos;
};

static void
election_usage(FILE *f)
{
    fprintf(f, "usage: dauys election keygen --secret FILE --public FILE\n"
               "       dauys election sign DIR --secret FILE\n"
               "       dauys election verify DIR [--public FILE]... [--demo]\n"
               "       dauys election hash DIR\n"
               "\n"
               "  keygen   make an Ed25519 key pair; the secret key file gets "
               "mode 0600\n"
               "           and is never overwritten\n"
               "  sign     validate DIR/election.json and write "
               "DIR/election.json.sig\n"
               "  verify   validate DIR and check its signature against the "
               "trusted keys:\n"
               "           every --public FILE (one base64 key per line) and, "
               "with --demo,\n"
               "           the bundled demo key; exit 0 if accepted, 1 with "
               "every problem\n"
               "  hash     print the package hash (SHA-256 of "
               "DIR/election.json)\n"
               "\n"
               "Exit status: 0 ok, 1 invalid package or failed check, 2 usage "
               "error.\n");
}

static int usage_error(const char *sub, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints a usage error about subcommand SUB (NULL: none); EXIT_USAGE. */
static int
usage_error(const char *sub, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "dauys election%s%s: ", sub != NULL ? " " : "",
            sub != NULL ? sub : "");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'dauys election --help'.\n");
    return EXIT_USAGE;
}

/*
 * Parses the arguments after the subcommand's name: the options in ALLOWED,
 * `--opt VALUE` or `--opt=VALUE`, `--help`, `--` and up to MAX_POS
 * positional arguments. Returns 0 or EXIT_USAGE after a message.
 */
static int
election_parse_args(const char *sub, int argc, char **argv, unsigned allowed,
                    size_t max_pos, struct election_args *a)
{
    bool options = true;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!options || arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (a->n_pos >= max_pos)
                return usage_error(sub, "unexpected argument '%s'", arg);
            a->pos[a->n_pos++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options = false;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            a->help = true;
            continue;
        }
        if ((allowed & OPT_DEMO) && strcmp(arg, "--demo") == 0) {
            a->demo = true;
            continue;
        }
        const char *name = NULL;
        unsigned which = 0;
        if (strncmp(arg, "--secret", 8) == 0 &&
            (arg[8] == '\0' || arg[8] == '=')) {
            name = "--secret";
            which = OPT_SECRET;
        } else if (strncmp(arg, "--public", 8) == 0 &&
                   (arg[8] == '\0' || arg[8] == '=')) {
            name = "--public";
            which = OPT_PUBLIC;
        }
        if (name == NULL || !(allowed & which))
            return usage_error(sub, "unknown option '%s'", arg);
        const char *value;
        if (arg[8] == '=') {
            value = arg + 9;
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            return usage_error(sub, "%s needs a file name", name);
        }
        if (value[0] == '\0')
            return usage_error(sub, "%s needs a file name", name);
        if (which == OPT_SECRET) {
            if (a->secret != NULL)
                return usage_error(sub, "%s given twice", name);
            a->secret = value;
        } else {
            a->publics[a->n_publics++] = value;
        }
    }
    return 0;
}

/* Prints WHY (one problem a line) on stderr and frees it. */
static void
print_problems(char *why)
{
    if (why != NULL)
        fprintf(stderr, "%s\n", why);
    free(why);
}

static const char *
kind_name(enum ballot_kind k)
{
    switch (k) {
    case BALLOT_CANDIDATES:
        return "candidates";
    case BALLOT_PARTIES:
        return "parties";
    case BALLOT_REFERENDUM:
        return "referendum";
    }
    return "?";
}

static int
election_keygen(const struct election_args *a)
{
    if (a->n_pos > 0)
        return usage_error("keygen", "unexpected argument '%s'", a->pos[0]);
    if (a->secret == NULL || a->n_publics != 1)
        return usage_error("keygen", "%s",
                           "needs --secret FILE and one --public FILE");
    char *why = NULL;
    if (package_keygen(a->secret, a->publics[0], &why) < 0) {
        print_problems(why);
        return EXIT_INVALID;
    }
    unsigned char(*keys)[PACKAGE_KEY_BYTES] = NULL;
    size_t n = 0;
    if (package_read_public_keys(a->publics[0], &keys, &n, &why) < 0) {
        print_problems(why);
        return EXIT_INVALID;
    }
    char b64[sodium_base64_ENCODED_LEN(PACKAGE_KEY_BYTES,
                                       sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, keys[0], PACKAGE_KEY_BYTES,
                      sodium_base64_VARIANT_ORIGINAL);
    free(keys);
    printf("secret key: %s (mode 0600; keep it off the terminals)\n"
           "public key: %s\n"
           "for the terminals' configuration, [election] section:\n"
           "public_key = %s\n",
           a->secret, a->publics[0], b64);
    return EXIT_OK;
}

static int
election_sign(const struct election_args *a)
{
    if (a->n_pos != 1)
        return usage_error("sign", "%s", "needs one package directory");
    if (a->secret == NULL)
        return usage_error("sign", "%s", "needs --secret FILE");
    char *why = NULL;
    if (package_sign(a->pos[0], a->secret, &why) < 0) {
        print_problems(why);
        fprintf(stderr, "dauys election sign: %s was not signed\n", a->pos[0]);
        return EXIT_INVALID;
    }
    char hex[65];
    if (package_hash_file(a->pos[0], hex, &why) < 0) {
        print_problems(why);
        return EXIT_INVALID;
    }
    printf("signed: %s/election.json.sig\nhash: %s\n", a->pos[0], hex);
    return EXIT_OK;
}

/* Adds the keys of the file PATH to *KEYS; returns 0 or -1 (printed). */
static int
add_key_file(const char *path, unsigned char (**keys)[PACKAGE_KEY_BYTES],
             size_t *n)
{
    unsigned char(*more)[PACKAGE_KEY_BYTES] = NULL;
    size_t m = 0;
    char *why = NULL;
    if (package_read_public_keys(path, &more, &m, &why) < 0) {
        print_problems(why);
        return -1;
    }
    *keys = xrealloc(*keys, (*n + m) * sizeof **keys);
    memcpy(*keys + *n, more, m * sizeof *more);
    *n += m;
    free(more);
    return 0;
}

static void
print_election(const char *dir, const struct election *e)
{
    char *groups = readout_grouped(e->hash, 4);
    printf("package: %s\n"
           "accepted: valid, signed by a trusted key\n"
           "id: %s\n"
           "hash: %s\n"
           "hash in groups: %s\n"
           "test: %s\n"
           "date: %s\n"
           "title: %s / %s\n"
           "ballots: %zu\n",
           dir, e->id, e->hash, groups,
           e->test ? "true (a practice or test package)" : "false", e->date,
           e->title.s[ELECTION_KK], e->title.s[ELECTION_RU], e->n_ballots);
    free(groups);
    for (size_t i = 0; i < e->n_ballots; i++) {
        const struct election_ballot *b = &e->ballots[i];
        printf("ballot %zu: %s, %s, %zu option%s\n", i + 1, b->id,
               kind_name(b->kind), b->n_options, b->n_options == 1 ? "" : "s");
    }
}

static int
election_verify(const struct election_args *a)
{
    if (a->n_pos != 1)
        return usage_error("verify", "%s", "needs one package directory");
    int rc = EXIT_INVALID;
    unsigned char(*keys)[PACKAGE_KEY_BYTES] = NULL;
    size_t n = 0;
    char *demo = NULL, *why = NULL;
    struct election *e = NULL;
    for (size_t i = 0; i < a->n_publics; i++) {
        if (add_key_file(a->publics[i], &keys, &n) < 0)
            goto out;
    }
    if (a->demo) {
        demo = xasprintf("%s/demo/demo.pub", options_datadir());
        if (add_key_file(demo, &keys, &n) < 0) {
            rc = EXIT_ENVIRONMENT;
            goto out;
        }
    }
    if (n == 0) {
        /* No key on the command line: trust the terminal's own keys, the
         * [election] public_key lines of its configuration. */
        struct config cfg;
        if (options_config(&cfg, NULL, false, &why) < 0) {
            fprintf(stderr, "dauys election verify: %s\n", why);
            free(why);
            goto out;
        }
        if (cfg.n_public_keys == 0) {
            free(keys);
            return usage_error("verify", "%s",
                               "needs the trusted key: --public FILE, "
                               "--demo for the bundled demo key, or "
                               "[election] public_key in " CONFIG_DEFAULT_PATH);
        }
        keys = xrealloc(keys, cfg.n_public_keys * sizeof *keys);
        memcpy(keys, cfg.public_keys, cfg.n_public_keys * sizeof *keys);
        n = cfg.n_public_keys;
    }
    if (package_load(a->pos[0], (const unsigned char(*)[PACKAGE_KEY_BYTES])keys,
                     n, &e, &why) < 0) {
        print_problems(why);
        fprintf(stderr, "dauys election verify: %s was NOT accepted\n",
                a->pos[0]);
        goto out;
    }
    print_election(a->pos[0], e);
    rc = EXIT_OK;
out:
    election_free(e);
    free(demo);
    free(keys);
    return rc;
}

static int
election_hash(const struct election_args *a)
{
    if (a->n_pos != 1)
        return usage_error("hash", "%s", "needs one package directory");
    char hex[65];
    char *why = NULL;
    if (package_hash_file(a->pos[0], hex, &why) < 0) {
        print_problems(why);
        return EXIT_INVALID;
    }
    printf("%s\n", hex);
    return EXIT_OK;
}

int
cmd_election(int argc, char **argv)
{
    static const struct {
        const char *name;
        unsigned allowed;
        size_t max_pos;
        int (*fn)(const struct election_args *a);
    } subs[] = {
        {"keygen", OPT_SECRET | OPT_PUBLIC, 0, election_keygen},
        {"sign", OPT_SECRET, 1, election_sign},
        {"verify", OPT_PUBLIC | OPT_DEMO, 1, election_verify},
        {"hash", 0, 1, election_hash},
    };
    if (argc < 2) {
        election_usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        election_usage(stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        if (strcmp(argv[1], subs[i].name) != 0)
            continue;
        struct election_args a = {0};
        a.publics = xcalloc((size_t)argc, sizeof *a.publics);
        int rc = election_parse_args(subs[i].name, argc - 1, argv + 1,
                                     subs[i].allowed, subs[i].max_pos, &a);
        if (rc == 0 && a.help) {
            election_usage(stdout);
        } else if (rc == 0) {
            rc = subs[i].fn(&a);
        }
        free(a.publics);
        return rc;
    }
    return usage_error(NULL, "unknown subcommand '%s'", argv[1]);
}
