/*
 * dauys: the entry point. Dispatches to a subcommand (cmd_*.c); with no
 * subcommand, or with options only, starts the kiosk (`dauys run`). Called
 * as dauys-sync (a link to the binary), it is `dauys sync`, so that the
 * sync process has its own name. This is the only place that calls exit().
 *
 * Messages on standard error echo what they were given (a path, an option's
 * value, a key of a package), and a console acts on control characters: a
 * C1 character such as U+009B is CSI on the Linux console. So standard
 * error is, from the start, a stream that writes every control character
 * but newline and tab, and every byte that is not UTF-8, as visible text
 * (utf8_escape()): the one place every message passes, whoever prints it.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accessibility/utf8.h"
#include "kiosk/cmd.h"

/* The stderr filter: what is left of an incomplete UTF-8 sequence. */
static struct {
    char carry[4];
    size_t n;
} err_filter;

/* Writes LEN bytes to file descriptor 2, whole. */
static void
err_write_all(const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(STDERR_FILENO, buf, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* nowhere left to say it */
        buf += w;
        len -= (size_t)w;
    }
}

/* Escapes and writes the carried bytes and BUF; FINAL flushes all. */
static void
err_filter_put(const char *buf, size_t size, int final)
{
    char in[512 + 4], out[UTF8_ESCAPED_MAX(512 + 4)];
    while (size > 0 || (final && err_filter.n > 0)) {
        size_t take = size < 512 ? size : 512;
        memcpy(in, err_filter.carry, err_filter.n);
        memcpy(in + err_filter.n, buf, take);
        size_t len = err_filter.n + take, used;
        size_t o = utf8_escape(in, len, final && take == size, out, &used);
        err_write_all(out, o);
        err_filter.n = len - used;
        memcpy(err_filter.carry, in + used, err_filter.n);
        buf += take;
        size -= take;
    }
}

static ssize_t
err_filter_write(void *cookie, const char *buf, size_t size)
{
    (void)cookie;
    err_filter_put(buf, size, 0);
    return (ssize_t)size;
}

static void
err_filter_flush(void)
{
    (void)fflush(stderr);
    err_filter_put("", 0, 1);
}

/* Replaces stderr by the filter (unbuffered, like stderr). Left as it was
 * when the stream cannot be made. */
static void
err_filter_install(void)
{
    cookie_io_functions_t io = {.write = err_filter_write};
    FILE *f = fopencookie(NULL, "w", io);
    if (f == NULL)
        return;
    (void)setvbuf(f, NULL, _IONBF, 0);
    stderr = f;
    (void)atexit(err_filter_flush);
}

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"run", cmd_run, "start the kiosk on this terminal (the default)"},
    {"election", cmd_election,
     "keygen | sign | verify | hash: election packages"},
    {"stencil", cmd_stencil, "write the Braille stencil of one ballot"},
    {"keypad-card", cmd_keypad_card,
     "write the tactile key labels and Braille card"},
    {"services", cmd_services, "status | export: Ten Qogam applications"},
    {"audit", cmd_audit, "verify: check the staff audit log"},
    {"report", cmd_report, "close-of-day | guide: reports and staff guides"},
    {"sync", cmd_sync, "dauys-sync: send applications to the centre"},
    {"central", cmd_central,
     "init | import | export | status | find …: the central database"},
    {"staff", cmd_staff, "passwd: set a staff PIN"},
    {"terminal", cmd_terminal,
     "keygen | sign | verify | show: signed terminal configurations"},
    {"selftest", cmd_selftest, "check the terminal, speech and data"},
};

static void
usage(FILE *f)
{
    fprintf(f, "usage: dauys [run] [OPTIONS]\n"
               "       dauys COMMAND [ARGS]\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nRun `dauys COMMAND --help` for a command's options, "
               "`man dauys` for everything.\n");
}

int
main(int argc, char **argv)
{
    err_filter_install();
    /* A locale the environment names but the system lacks leaves the C
     * locale, which the fallback below replaces. */
    (void)setlocale(LC_ALL, "");
    /* ncursesw and wcwidth() need a UTF-8 character type; a service
     * started without LANG gets the C locale, so fall back to C.UTF-8. */
    if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0 &&
        setlocale(LC_CTYPE, "C.UTF-8") == NULL)
        fprintf(stderr, "dauys: no UTF-8 locale (C.UTF-8 is not installed): "
                        "text may not show correctly\n");
    const char *base = strrchr(argv[0], '/');
    if (strcmp(base != NULL ? base + 1 : argv[0], "dauys-sync") == 0)
        exit(cmd_sync(argc, argv));
    if (argc >= 2 &&
        (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
         strcmp(argv[1], "help") == 0)) {
        usage(stdout);
        char run[] = "run", help[] = "--help";
        char *args[] = {run, help, NULL};
        return cmd_run(2, args);
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("dauys %s\n", DAUYS_VERSION);
        return EXIT_OK;
    }
    int rc = -1;
    if (argc < 2 || argv[1][0] == '-')
        rc = cmd_run(argc, argv);
    for (size_t i = 0; rc < 0 && i < sizeof commands / sizeof commands[0];
         i++) {
        if (strcmp(argv[1], commands[i].name) == 0)
            rc = commands[i].fn(argc - 1, argv + 1);
    }
    if (rc == EXIT_RESTART) {
        /* The kiosk with its new terminal configuration: the same program
         * and arguments, everything set up afresh. */
        execv("/proc/self/exe", argv);
        fprintf(stderr, "dauys: cannot start again: %s\n", strerror(errno));
        exit(EXIT_ENVIRONMENT);
    }
    if (rc >= 0)
        exit(rc);
    fprintf(stderr, "dauys: unknown command '%s'\n", argv[1]);
    usage(stderr);
    exit(EXIT_USAGE);
}
