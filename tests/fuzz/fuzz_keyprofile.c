/*
 * Fuzzes the keypad profile parser: any bytes are either refused with a
 * message that names the file, or parsed into a profile that binds the
 * required actions, never the staff action or the staff key, and whose
 * every binding and every key code can be looked up.
 */
#include <linux/input-event-codes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/keyprofile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct keyprofile *p = NULL;
    char *why = NULL;
    if (keyprofile_parse("fuzz.profile", (const char *)data, size, &p, &why) <
        0) {
        if (why == NULL || p != NULL || strncmp(why, "fuzz.profile", 12) != 0)
            abort();
        free(why);
        return 0;
    }
    bool seen[ACTION_COUNT] = {0};
    for (size_t i = 0; i < keyprofile_count(p); i++) {
        unsigned code;
        struct key k = keyprofile_binding(p, i, &code);
        if (code == KEY_F10 || k.action == ACTION_STAFF ||
            k.action == ACTION_CHAR || keyprofile_code_name(code) == NULL)
            abort();
        seen[k.action] = true;
    }
    if (!seen[ACTION_UP] || !seen[ACTION_DOWN] || !seen[ACTION_SELECT] ||
        !seen[ACTION_BACK] || !seen[ACTION_HELP])
        abort();
    for (unsigned c = 0; c < KEY_CNT + 8; c++)
        if (keyprofile_key(p, c).action == ACTION_STAFF ||
            keyprofile_key(p, c).name == NULL)
            abort();
    keyprofile_free(p);
    return 0;
}
