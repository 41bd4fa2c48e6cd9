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
};

int cmd_run(int argc, char **argv);
int cmd_staff(int argc, char **argv);
int cmd_selftest(int argc, char **argv);
int cmd_election(int argc, char **argv);
int cmd_stencil(int argc, char **argv);
int cmd_services(int argc, char **argv);
int cmd_audit(int argc, char **argv);

#endif
