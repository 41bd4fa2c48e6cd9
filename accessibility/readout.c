/*
 * Digit-by-digit readout. Commas between groups make espeak-ng pause, and
 * single characters separated by spaces are always read as one digit each
 * in kk, ru and en ("0 6 1" is never "sixty-one").
 */
#include "accessibility/readout.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "accessibility/xalloc.h"

/*
 * Returns a newly allocated copy of the ASCII letters and digits of DIGITS
 * with ", " (SPOKEN) or " " (shown) before each group of GROUP, and, when
 * SPOKEN, a space between the characters inside a group. The caller frees.
 */
static char *
readout_join(const char *digits, size_t group, bool spoken)
{
    char *out = xmalloc(strlen(digits) * 3 + 1);
    size_t o = 0, k = 0;
    for (const char *p = digits; *p != '\0'; p++) {
        if (!isalnum((unsigned char)*p))
            continue;
        bool starts_group = k > 0 && group > 0 && k % group == 0;
        if (starts_group && spoken)
            out[o++] = ',';
        if (starts_group || (k > 0 && spoken))
            out[o++] = ' ';
        out[o++] = *p;
        k++;
    }
    out[o] = '\0';
    return out;
}

char *
readout_digits(const char *digits, size_t group)
{
    return readout_join(digits, group, true);
}

char *
readout_grouped(const char *digits, size_t group)
{
    return readout_join(digits, group, false);
}
