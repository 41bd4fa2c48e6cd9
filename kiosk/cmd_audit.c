/*
 * `dauys audit verify [--config FILE] [--data-dir DIR]`: checks the staff
 * audit trail of the data directory, <data-dir>/audit.log, which the
 * polling station and the Ten Qogam services both append to
 * (accessibility/audit.h). It prints the number of entries and the head
 * (the last sequence number and hash), for staff to write down away from
 * the machine, so that a log rewritten together with its head file still
 * shows; a damaged trail is named by its first bad line, with exit status
 * 1. It reads the trail only: it never opens the database.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/audit.h"
#include "kiosk/cmd.h"
#include "kiosk/options.h"

static const char audit_usage[] =
    "usage: dauys audit verify [--config FILE] [--data-dir DIR]\n"
    "Checks that no entry of the staff audit log DIR/audit.log was edited,\n"
    "removed, moved or cut off the end, and prints its head.\n";

int
cmd_audit(int argc, char **argv)
{
    const char *data = NULL, *config = NULL;
    const struct cmd_option opts[] = {
        {"data-dir", &data, NULL},
        {"config", &config, NULL},
        {NULL, NULL, NULL},
    };
    static const struct cmd_syntax syn = {"dauys audit verify", audit_usage,
                                          true, false};
    int vrc = cmd_verb(argc, argv, "verify", opts, &syn);
    if (vrc != CMD_GO_ON)
        return vrc;
    struct config cfg;
    char dir[PATH_MAX];
    char *why = NULL;
    int crc = cmd_config(&cfg, config, data, dir);
    if (crc != EXIT_OK)
        return crc;
    char *path = audit_path(dir);
    struct audit_head head;
    int rc = EXIT_OK;
    int r = audit_verify(path, &head, &why);
    if (r == 0) {
        printf("audit log: %llu entries, none edited or removed\n",
               (unsigned long long)head.seq);
        if (head.seq > 0)
            printf("head: %llu %s\n", (unsigned long long)head.seq, head.hash);
    } else {
        fprintf(stderr, "dauys audit verify: %s\n", why);
        rc = r == AUDIT_DAMAGED ? EXIT_INVALID : EXIT_ENVIRONMENT;
    }
    free(why);
    free(path);
    return rc;
}
