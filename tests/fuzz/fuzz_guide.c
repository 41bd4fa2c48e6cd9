/*
 * Fuzzes the staff guide parser (kiosk/report.c): any bytes are either
 * refused with a message that names the guide, or parsed into lines that
 * start with a title, each a valid C string of the input's bytes, with the
 * short version starting at a line that exists (or at 0).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct report *r = NULL;
    char *why = NULL;
    if (report_guide_parse("fuzz", (const char *)data, size, &r, &why) < 0) {
        if (why == NULL || r != NULL || strncmp(why, "fuzz:", 5) != 0)
            abort();
        free(why);
        return 0;
    }
    if (why != NULL || r->n == 0 || r->lines[0].style != REPORT_TITLE ||
        r->short_from > r->n)
        abort();
    size_t total = 0;
    for (size_t i = 0; i < r->n; i++)
        total += strlen(r->lines[i].text);
    if (total > size)
        abort();
    report_free(r);
    return 0;
}
