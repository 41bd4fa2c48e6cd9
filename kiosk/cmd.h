/*
 * The subcommands of the dauys binary, one file each (cmd_<name>.c), in the
 * manner of git and tmux. Each takes the arguments after its own name
 * (argv[0] is the command's name) and returns the exit status of
 * specs/cli.md: 0 success, 1 invalid input or failed check, 2 usage error,
 * 3 missing environment. Only main.c exits.
 */
#ifndef DAUYS_KIOSK_CMD_H
#define DAUYS_KIOSK_CMD_H

enum {
    EXIT_OK = 0,
    EXIT_INVALID = 1,
    EXIT_USAGE = 2,
    EXIT_ENVIRONMENT = 3,
    /* Not an exit status: cmd_run() asks main() to start the kiosk again
     * (execv of the same program and arguments) with the terminal
     * configuration staff just installed. */
    EXIT_RESTART = 100,
};

#include <stdbool.h>

/* A long option of a subcommand: --NAME VALUE stores VALUE in *value, or,
 * when value is NULL, --NAME alone sets *flag. A table of them ends with
 * {NULL}. */
struct cmd_option {
    const char *name;
    const char **value;
    bool *flag;
};

/* How a subcommand is called, for its errors and --help. */
struct cmd_syntax {
    const char *who;     /* what its errors begin with: "dauys staff passwd" */
    const char *usage;   /* printed on stdout for --help */
    bool usage_on_error; /* usage also follows an error, on stderr */
    bool operands;       /* arguments that are not options are the command's
                            (optind is the first); false: refused */
};

/* Parses argv[FIRST..] with the options of OPTS (at most 16) and --help.
 * Returns 0 when every option was stored, 1 when --help printed the usage,
 * -1 after saying on stderr what was wrong. The values point into ARGV. */
int cmd_options(int argc, char **argv, int first, const struct cmd_option *opts,
                const struct cmd_syntax *syn);

/* What cmd_verb() returns when the command should go on. */
#define CMD_GO_ON (-1)

/* Parses "dauys ARGV[0] VERB [options]", a subcommand with one verb: no
 * verb prints SYN's usage on stderr, --help on stdout, another verb is
 * refused, then the options from argv[2] are read with cmd_options().
 * Returns CMD_GO_ON when they were all stored, or else the exit status to
 * return. */
int cmd_verb(int argc, char **argv, const char *verb,
             const struct cmd_option *opts, const struct cmd_syntax *syn);

struct config;

/* Reads the configuration (--config PATH, or the default) into CFG and
 * resolves the data directory (--data-dir GIVEN, or the configured one)
 * into DIR, PATH_MAX bytes, as options_config() and options_data_dir()
 * outside demo mode, saying on stderr what failed. Returns EXIT_OK,
 * EXIT_INVALID (the configuration) or EXIT_ENVIRONMENT (the folder). */
int cmd_config(struct config *cfg, const char *path, const char *given,
               char *dir);

int cmd_run(int argc, char **argv);
int cmd_staff(int argc, char **argv);
int cmd_selftest(int argc, char **argv);
int cmd_election(int argc, char **argv);
int cmd_stencil(int argc, char **argv);
int cmd_keypad_card(int argc, char **argv);
int cmd_services(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_central(int argc, char **argv);
int cmd_sync(int argc, char **argv);
int cmd_terminal(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
