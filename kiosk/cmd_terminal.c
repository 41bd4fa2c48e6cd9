/*
 * `dauys terminal`: the staff laptop's tools for signed terminal
 * configurations (docs/terminal-config.md), thin wrappers over
 * kiosk/terminal.h so that the command line and the kiosk accept exactly
 * the same configurations.
 *
 *   keygen  the provisioning key pair (Ed25519, as `dauys election keygen`)
 *   sign    a source JSON the staff edit -> DIR/terminal.json and its .sig;
 *           staff PINs given with --pin ROLE=PIN or asked on the terminal
 *           are hashed (Argon2id) and never written anywhere
 *   verify  validate DIR and check its signature (exit 0 or 1)
 *   show    print what DIR configures, without checking the signature
 *
 * A PIN given with --pin is wiped from the argument list at once (so it no
 * longer shows in /proc/PID/cmdline), but it may stay in a shell's history:
 * asking on the terminal is the safer way, and the default.
 */
#include "kiosk/cmd.h"

#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "accessibility/atomicfile.h"
#include "accessibility/xalloc.h"
#include "ballot/package.h"
#include "kiosk/options.h"
#include "kiosk/terminal.h"

#define ARGS_MAX 16

static void
terminal_usage(FILE *f)
{
    fprintf(
        f,
        "usage: dauys terminal keygen --secret FILE --public FILE\n"
        "       dauys terminal sign SOURCE --secret FILE --out DIR "
        "[--pin ROLE=PIN]...\n"
        "       dauys terminal verify DIR [--public FILE]... [--config FILE]\n"
        "       dauys terminal show DIR\n"
        "\n"
        "  keygen  make the provisioning key pair (Ed25519); the secret key "
        "file\n"
        "          gets mode 0600 and is never overwritten; build the image "
        "with\n"
        "          make image DAUYS_PROVISION_KEY=the public file\n"
        "  sign    read SOURCE (terminal.json as staff edit it: a role's PIN "
        "hash\n"
        "          may be null, meaning 'ask'), hash the PINs (Argon2id; "
        "asked\n"
        "          twice on the terminal, or --pin ROLE=PIN), validate, and "
        "write\n"
        "          DIR/terminal.json and DIR/terminal.json.sig\n"
        "  verify  validate DIR/terminal.json and check its signature "
        "against\n"
        "          every --public FILE, else the configuration's "
        "provision_key\n"
        "          (" TERMINAL_PROVISION_KEY ")\n"
        "  show    print what DIR/terminal.json configures (the signature is "
        "not\n"
        "          checked)\n"
        "\n"
        "Roles: commission-member, centre-worker, technician.\n"
        "Exit status: 0 ok, 1 invalid or refused, 2 usage error, 3 "
        "environment.\n");
}

struct targs {
    const char *secret, *out, *config;
    const char *publics[ARGS_MAX];
    size_t n_publics;
    char *pins[ARGS_MAX]; /* ROLE=PIN, pointing into argv (wiped later) */
    size_t n_pins;
    const char *pos[2];
    size_t n_pos;
};

static int usage_error(const char *sub, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
usage_error(const char *sub, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "dauys terminal %s: ", sub);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'dauys terminal --help'.\n");
    return EXIT_USAGE;
}

/* Parses `--opt VALUE` (and --opt=VALUE) options named in ALLOWED (a
 * string of words such as " secret public "), and positionals. */
static int
parse_args(const char *sub, int argc, char **argv, const char *allowed,
           size_t max_pos, struct targs *a, bool *help)
{
    for (int i = 1; i < argc; i++) {
        char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            *help = true;
            continue;
        }
        if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            if (a->n_pos >= max_pos)
                return usage_error(sub, "unexpected argument '%s'", arg);
            a->pos[a->n_pos++] = arg;
            continue;
        }
        char name[32];
        size_t nl = strcspn(arg + 2, "=");
        if (nl >= sizeof name - 2)
            return usage_error(sub, "unknown option '%.40s'", arg);
        snprintf(name, sizeof name, " %.*s ", (int)nl, arg + 2);
        if (strstr(allowed, name) == NULL)
            return usage_error(sub, "unknown option '%.*s'", (int)nl + 2, arg);
        char *value;
        if (arg[2 + nl] == '=')
            value = arg + 3 + nl;
        else if (i + 1 < argc)
            value = argv[++i];
        else
            return usage_error(sub, "--%.*s needs a value", (int)nl, arg + 2);
        if (value[0] == '\0')
            return usage_error(sub, "--%.*s needs a value", (int)nl, arg + 2);
        if (strcmp(name, " secret ") == 0 || strcmp(name, " out ") == 0 ||
            strcmp(name, " config ") == 0) {
            const char **slot = name[1] == 's'   ? &a->secret
                                : name[1] == 'o' ? &a->out
                                                 : &a->config;
            if (*slot != NULL)
                return usage_error(sub, "--%.*s given twice", (int)nl, arg + 2);
            *slot = value;
        } else if (strcmp(name, " public ") == 0) {
            if (a->n_publics == ARGS_MAX)
                return usage_error(sub, "too many --public");
            a->publics[a->n_publics++] = value;
        } else if (strcmp(name, " pin ") == 0) {
            if (a->n_pins == ARGS_MAX)
                return usage_error(sub, "too many --pin");
            a->pins[a->n_pins++] = value;
        }
    }
    return 0;
}

static void
print_problems(char *why)
{
    if (why != NULL)
        fprintf(stderr, "%s\n", why);
    free(why);
}

static int
terminal_keygen(struct targs *a)
{
    if (a->n_pos > 0)
        return usage_error("keygen", "unexpected argument '%s'", a->pos[0]);
    if (a->secret == NULL || a->n_publics != 1)
        return usage_error("keygen", "needs --secret FILE and one --public "
                                     "FILE");
    char *why = NULL;
    if (package_keygen(a->secret, a->publics[0], &why) < 0) {
        print_problems(why);
        return EXIT_INVALID;
    }
    printf("secret key: %s (mode 0600; keep it on the provisioning laptop "
           "only)\n"
           "public key: %s\n"
           "build the appliance with: make image DAUYS_PROVISION_KEY=%s\n",
           a->secret, a->publics[0], a->publics[0]);
    return EXIT_OK;
}

/* Reads one line without echo from the terminal into BUF. */
static int
read_secret_line(const char *prompt, char *buf, size_t size)
{
    struct termios old, noecho;
    fputs(prompt, stderr);
    if (tcgetattr(STDIN_FILENO, &old) != 0)
        return -1;
    noecho = old;
    noecho.c_lflag &= ~(tcflag_t)ECHO;
    (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &noecho);
    char *r = fgets(buf, (int)size, stdin);
    (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    if (r == NULL)
        return -1;
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

/* Hashes PIN into OUT after checking it; -1 with a message on stderr. */
static int
hash_pin(const char *role, const char *pin, char out[crypto_pwhash_STRBYTES])
{
    char *why = NULL;
    if (staff_pin_check(pin, &why) < 0) {
        fprintf(stderr, "dauys terminal sign: the PIN of %s: %s\n", role, why);
        free(why);
        return -1;
    }
    if (crypto_pwhash_str(out, pin, strlen(pin),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        fprintf(stderr, "dauys terminal sign: not enough memory to hash a "
                        "PIN\n");
        return -1;
    }
    return 0;
}

/* Sets the PIN hashes of the staff object: --pin first, then every role
 * left null, asked on the terminal. PINS receives the PINs (to refuse two
 * roles with one PIN); the caller wipes them. */
static int
fill_pins(json_t *staff, struct targs *a, char pins[STAFF_ROLES][64])
{
    for (size_t i = 0; i < a->n_pins; i++) {
        char *eq = strchr(a->pins[i], '=');
        enum staff_role r;
        if (eq == NULL) {
            fprintf(stderr, "dauys terminal sign: --pin takes ROLE=PIN\n");
            return EXIT_USAGE;
        }
        *eq = '\0';
        if (staff_role_from_name(a->pins[i], &r) < 0) {
            fprintf(stderr,
                    "dauys terminal sign: --pin: unknown role '%.32s' "
                    "(commission-member, centre-worker, technician)\n",
                    a->pins[i]);
            return EXIT_USAGE;
        }
        snprintf(pins[r], 64, "%s", eq + 1);
        /* Out of /proc/PID/cmdline from now on. */
        sodium_memzero(eq + 1, strlen(eq + 1));
    }
    for (int r = 0; r < STAFF_ROLES; r++) {
        const char *name = staff_role_name((enum staff_role)r);
        json_t *v = json_object_get(staff, name);
        if (pins[r][0] == '\0' && json_is_null(v)) {
            char prompt[96], again[64];
            if (!isatty(STDIN_FILENO)) {
                fprintf(stderr,
                        "dauys terminal sign: staff.%s is null: give its PIN "
                        "with --pin %s=PIN or sign on a terminal, where it "
                        "is asked\n",
                        name, name);
                return EXIT_INVALID;
            }
            snprintf(prompt, sizeof prompt, "PIN of %s (6-16 digits): ", name);
            int rr = read_secret_line(prompt, pins[r], 64);
            if (rr == 0)
                rr = read_secret_line("Repeat the PIN: ", again, sizeof again);
            if (rr < 0 || strcmp(pins[r], again) != 0) {
                sodium_memzero(again, sizeof again);
                fprintf(stderr,
                        "dauys terminal sign: the PINs of %s differ "
                        "or none was given; nothing was written\n",
                        name);
                return EXIT_INVALID;
            }
            sodium_memzero(again, sizeof again);
        }
        if (pins[r][0] == '\0')
            continue;
        for (int o = 0; o < r; o++) {
            if (strcmp(pins[o], pins[r]) == 0) {
                fprintf(stderr,
                        "dauys terminal sign: %s and %s have the same PIN; "
                        "each role needs its own\n",
                        staff_role_name((enum staff_role)o), name);
                return EXIT_INVALID;
            }
        }
        char hash[crypto_pwhash_STRBYTES];
        if (hash_pin(name, pins[r], hash) < 0)
            return EXIT_INVALID;
        json_object_set_new(staff, name, json_string(hash));
    }
    return EXIT_OK;
}

static int
terminal_sign(struct targs *a)
{
    if (a->n_pos != 1)
        return usage_error("sign", "needs one SOURCE file");
    if (a->secret == NULL || a->out == NULL)
        return usage_error("sign", "needs --secret FILE and --out DIR");
    if (sodium_init() < 0) {
        fprintf(stderr, "dauys: libsodium cannot start\n");
        return EXIT_ENVIRONMENT;
    }
    struct stat sst;
    if (stat(a->pos[0], &sst) != 0 || !S_ISREG(sst.st_mode) ||
        sst.st_size > (off_t)TERMINAL_MAX_BYTES) {
        fprintf(stderr, "%s: not a regular file of at most %zu bytes\n",
                a->pos[0], TERMINAL_MAX_BYTES);
        return EXIT_INVALID;
    }
    json_error_t err;
    json_t *root = json_load_file(a->pos[0], JSON_REJECT_DUPLICATES, &err);
    if (root == NULL) {
        fprintf(stderr, "%s:%d:%d: %s\n", a->pos[0], err.line, err.column,
                err.text);
        return EXIT_INVALID;
    }
    char pins[STAFF_ROLES][64] = {{0}};
    char *text = NULL, *why = NULL, *sig = NULL;
    int rc = EXIT_INVALID;
    json_t *staff = json_object_get(root, "staff");
    if (!json_is_object(staff)) {
        if (staff == NULL && a->n_pins > 0) {
            staff = json_object();
            json_object_set_new(root, "staff", staff);
        } else {
            fprintf(stderr,
                    "%s: staff: must be an object of role: PIN hash "
                    "(or null, to be asked)\n",
                    a->pos[0]);
            goto out;
        }
    }
    rc = fill_pins(staff, a, pins);
    if (rc != EXIT_OK)
        goto out;
    rc = EXIT_INVALID;
    text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (text == NULL) {
        fprintf(stderr, "dauys terminal sign: cannot write JSON\n");
        goto out;
    }
    char *full = xasprintf("%s\n", text);
    free(text);
    text = full;
    struct terminal t;
    if (terminal_parse(text, strlen(text), a->pos[0], &t, &why) < 0) {
        print_problems(why);
        fprintf(stderr, "dauys terminal sign: nothing was signed\n");
        goto out;
    }
    if (package_sign_data(a->secret, text, strlen(text), &sig, &why) < 0) {
        print_problems(why);
        goto out;
    }
    struct stat st;
    if (stat(a->out, &st) != 0 && mkdir(a->out, 0755) != 0) {
        fprintf(stderr, "dauys terminal sign: cannot make %s\n", a->out);
        goto out;
    }
    char *jpath = xasprintf("%s/%s", a->out, TERMINAL_JSON);
    char *spath = xasprintf("%s/%s", a->out, TERMINAL_SIG);
    int wr = atomicfile_write(jpath, text, strlen(text), 0644, 0, &why);
    if (wr == 0)
        wr = atomicfile_write(spath, sig, strlen(sig), 0644, 0, &why);
    if (wr < 0) {
        print_problems(why);
    } else {
        printf("signed: %s\n%s\nserial: %lld\nterminal: %s\nhash: %s\n", jpath,
               spath, t.serial, t.id, t.hash);
        rc = EXIT_OK;
    }
    free(jpath);
    free(spath);
out:
    sodium_memzero(pins, sizeof pins);
    json_decref(root);
    free(text);
    free(sig);
    return rc;
}

static void
print_terminal(const char *dir, const struct terminal *t)
{
    printf("configuration: %s\n"
           "serial: %lld\n"
           "terminal: %s\n"
           "location kk: %s\n"
           "location ru: %s\n"
           "mode: %s\n"
           "default language: %s\n",
           dir, t->serial, t->id, t->location_kk, t->location_ru,
           terminal_mode_name(t->mode),
           t->language == TERMINAL_LANG_KK   ? "kk"
           : t->language == TERMINAL_LANG_RU ? "ru"
                                             : "kk+ru");
    for (int r = 0; r < STAFF_ROLES; r++)
        printf("staff %s: %s\n", staff_role_name((enum staff_role)r),
               t->pin_hash[r][0] != '\0' ? "PIN set (Argon2id)" : "none");
    for (size_t i = 0; i < t->n_election_keys; i++) {
        char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
        sodium_bin2base64(b64, sizeof b64, t->election_keys[i], 32,
                          sodium_base64_VARIANT_ORIGINAL);
        printf("election key: %s\n", b64);
    }
    if (t->centre_public_key[0] != '\0')
        printf("centre key: %s\n", t->centre_public_key);
    printf("printer: %s\n", t->printer);
    if (t->retention_days > 0)
        printf("retention: %u days\n", t->retention_days);
    printf("idle: warning after %u s, session wiped %u s later\n"
           "hash: %s\n",
           t->idle_warning_s, t->idle_grace_s, t->hash);
}

static int
terminal_verify(struct targs *a)
{
    if (a->n_pos != 1)
        return usage_error("verify", "needs one configuration directory");
    unsigned char(*keys)[32] = NULL;
    size_t n = 0;
    char *why = NULL;
    int rc = EXIT_INVALID;
    for (size_t i = 0; i < a->n_publics; i++) {
        unsigned char(*more)[32] = NULL;
        size_t m = 0;
        if (terminal_read_keys(a->publics[i], &more, &m, &why) < 0) {
            print_problems(why);
            goto out;
        }
        keys = xrealloc(keys, (n + m) * sizeof *keys);
        memcpy(keys + n, more, m * sizeof *more);
        n += m;
        free(more);
    }
    if (n == 0) {
        struct config cfg;
        if (options_config(&cfg, a->config, false, &why) < 0) {
            fprintf(stderr, "dauys terminal verify: %s\n", why);
            free(why);
            goto out;
        }
        if (terminal_read_keys(cfg.provision_key, &keys, &n, &why) < 0) {
            print_problems(why);
            fprintf(stderr, "dauys terminal verify: give the provisioning "
                            "key with --public FILE\n");
            rc = EXIT_USAGE;
            goto out;
        }
    }
    struct terminal t;
    if (terminal_load(a->pos[0], (const unsigned char(*)[32])keys, n, &t, NULL,
                      NULL, NULL, &why) < 0) {
        print_problems(why);
        fprintf(stderr, "dauys terminal verify: %s was NOT accepted\n",
                a->pos[0]);
        goto out;
    }
    print_terminal(a->pos[0], &t);
    printf("accepted: valid, signed by a trusted provisioning key\n");
    rc = EXIT_OK;
out:
    free(keys);
    return rc;
}

static int
terminal_show(struct targs *a)
{
    if (a->n_pos != 1)
        return usage_error("show", "needs one configuration directory");
    struct terminal t;
    char *why = NULL;
    if (terminal_read(a->pos[0], &t, &why) < 0) {
        print_problems(why);
        return EXIT_INVALID;
    }
    print_terminal(a->pos[0], &t);
    printf("signature: not checked (dauys terminal verify checks it)\n");
    return EXIT_OK;
}

int
cmd_terminal(int argc, char **argv)
{
    static const struct {
        const char *name;
        const char *allowed;
        size_t max_pos;
        int (*fn)(struct targs *a);
    } subs[] = {
        {"keygen", " secret public ", 0, terminal_keygen},
        {"sign", " secret out pin ", 1, terminal_sign},
        {"verify", " public config ", 1, terminal_verify},
        {"show", " ", 1, terminal_show},
    };
    if (argc < 2) {
        terminal_usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        terminal_usage(stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        if (strcmp(argv[1], subs[i].name) != 0)
            continue;
        struct targs a = {0};
        bool help = false;
        int rc = parse_args(subs[i].name, argc - 1, argv + 1, subs[i].allowed,
                            subs[i].max_pos, &a, &help);
        if (rc == 0 && help)
            terminal_usage(stdout);
        else if (rc == 0)
            rc = subs[i].fn(&a);
        return rc;
    }
    fprintf(stderr,
            "dauys terminal: unknown subcommand '%s'\n"
            "Try 'dauys terminal --help'.\n",
            argv[1]);
    return EXIT_USAGE;
}
