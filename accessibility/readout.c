/*
 * Digit-by-digit readout. Commas between groups make espeak-ng pause, and
 * single characters separated by spaces are always read as one digit each
 * in kk, ru and en ("0 6 1" is never "sixty-one").
 */
#include "accessibility/readout.h"

#include <ctype.h>
#include <string.h>

#include "accessibility/xalloc.h"

char *
readout_digits(const char *digits, size_t group)
{
    size_t len = strlen(digits);
    char *out = xmalloc(len * 3 + 1);
    size_t o = 0, k = 0;
    for (const char *p = digits; *p != '\0'; p++) {
        if (!isalnum((unsigned char)*p))
            continue;
        if (k > 0)
            out[o++] = group > 0 && k % group == 0 ? ',' : ' ';
        if (k > 0 && group > 0 && k % group == 0)
            out[o++] = ' ';
        out[o++] = *p;
        k++;
    }
    out[o] = '\0';
    return out;
}

char *
readout_grouped(const char *digits, size_t group)
{
    size_t len = strlen(digits);
    char *out = xmalloc(len * 2 + 1);
    size_t o = 0, k = 0;
    for (const char *p = digits; *p != '\0'; p++) {
        if (!isalnum((unsigned char)*p))
            continue;
        if (k > 0 && group > 0 && k % group == 0)
            out[o++] = ' ';
        out[o++] = *p;
        k++;
    }
    out[o] = '\0';
    return out;
}
