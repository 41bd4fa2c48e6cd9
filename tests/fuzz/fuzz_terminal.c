/*
 * Fuzzes the terminal configuration's parser and validator
 * (kiosk/terminal.h): any bytes must give either a configuration or a
 * report, never a crash, a leak or undefined behaviour; an accepted one
 * must satisfy what the kiosk relies on (a serial in range, an id, idle
 * times in range, the keys its mode needs, a PIN hash for some role).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/terminal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct terminal t;
    char *why = NULL;
    if (terminal_parse((const char *)data, size, "terminal.json", &t, &why) ==
        0) {
        bool any = false;
        for (int r = 0; r < STAFF_ROLES; r++)
            any = any || t.pin_hash[r][0] != '\0';
        if (why != NULL || t.serial < 1 || t.serial > TERMINAL_SERIAL_MAX ||
            t.id[0] == '\0' || !any || t.idle_warning_s < 120 ||
            t.idle_warning_s > 300 || t.idle_grace_s < 20 ||
            t.idle_grace_s > 45 || strlen(t.hash) != 64 ||
            ((t.mode & MODE_VOTING) && t.n_election_keys == 0) ||
            ((t.mode & MODE_SERVICES) && t.centre_public_key[0] == '\0'))
            abort();
    } else if (why == NULL) {
        abort();
    }
    free(why);
    return 0;
}
