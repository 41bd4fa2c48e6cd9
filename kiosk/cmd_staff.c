/*
 * `dauys staff passwd [--role ROLE] [--data-dir DIR] [--config FILE]`: sets
 * a staff PIN. On a terminal the PIN is asked twice without echo; from a
 * pipe it is read from the first line of standard input (for set-up
 * scripts). The PIN never appears in arguments, logs or the environment.
 */
#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "accessibility/xalloc.h"
#include "kiosk/cmd.h"
#include "kiosk/log.h"
#include "kiosk/options.h"
#include "kiosk/staff.h"

static const char staff_usage[] =
    "usage: dauys staff passwd [--role ROLE] [--data-dir DIR] "
    "[--config FILE]\n"
    "Sets the staff PIN (6 to 16 digits) of ROLE (default admin), stored as\n"
    "an Argon2id hash in DIR/staff-ROLE.pin (mode 0600). The PIN is asked\n"
    "twice on a terminal, or read from the first line of standard input.\n"
    "The kiosk reads the admin PIN (a technician's) only without a signed\n"
    "terminal configuration, whose PINs replace it (dauys terminal sign).\n";

/* Reads one line into BUF without echo when stdin is a terminal. */
static int
staff_read_line(const char *prompt, char *buf, size_t size)
{
    struct termios old, noecho;
    bool tty = isatty(STDIN_FILENO);
    if (tty) {
        fputs(prompt, stderr);
        tcgetattr(STDIN_FILENO, &old);
        noecho = old;
        noecho.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &noecho);
    }
    char *r = fgets(buf, (int)size, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (r == NULL)
        return -1;
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

static bool
staff_role_ok(const char *role)
{
    size_t n = strlen(role);
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((role[i] >= 'a' && role[i] <= 'z') ||
              (role[i] >= '0' && role[i] <= '9') || role[i] == '-'))
            return false;
    return true;
}

int
cmd_staff(int argc, char **argv)
{
    const char *role = "admin", *data = NULL, *config = NULL;
    const struct cmd_option opts[] = {
        {"role", &role, NULL},
        {"data-dir", &data, NULL},
        {"config", &config, NULL},
        {NULL, NULL, NULL},
    };
    static const struct cmd_syntax syn = {"dauys staff passwd", staff_usage,
                                          true, false};
    int vrc = cmd_verb(argc, argv, "passwd", opts, &syn);
    if (vrc != CMD_GO_ON)
        return vrc;
    if (!staff_role_ok(role)) {
        fprintf(stderr, "dauys staff passwd: a role is 1-32 characters of "
                        "a-z, 0-9 and '-'\n");
        return EXIT_USAGE;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "dauys: libsodium cannot start\n");
        return EXIT_ENVIRONMENT;
    }
    struct config cfg;
    char dir[PATH_MAX];
    char *why = NULL;
    int crc = cmd_config(&cfg, config, data, dir);
    if (crc != EXIT_OK)
        return crc;
    char pin[64], again[64];
    int rc = EXIT_INVALID;
    if (staff_read_line("New staff PIN (6-16 digits): ", pin, sizeof pin) < 0) {
        fprintf(stderr, "dauys staff passwd: no PIN given\n");
        goto out;
    }
    if (staff_pin_check(pin, &why) < 0) {
        fprintf(stderr, "dauys staff passwd: %s\n", why);
        goto out;
    }
    if (isatty(STDIN_FILENO)) {
        if (staff_read_line("Repeat the PIN: ", again, sizeof again) < 0 ||
            strcmp(pin, again) != 0) {
            fprintf(stderr, "dauys staff passwd: the PINs differ; nothing "
                            "was changed\n");
            goto out;
        }
    }
    char *path = staff_pin_path(dir, role);
    if (staff_pin_write(path, pin, &why) < 0) {
        fprintf(stderr, "dauys staff passwd: %s\n", why);
        free(path);
        goto out;
    }
    printf("staff PIN for '%s' written to %s\n", role, path);
    log_open(0);
    log_info("staff PIN changed for role %s", role);
    free(path);
    rc = EXIT_OK;
out:
    sodium_memzero(pin, sizeof pin);
    sodium_memzero(again, sizeof again);
    free(why);
    return rc;
}
