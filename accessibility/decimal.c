/*
 * Decimal numbers, locale-independent (see decimal.h).
 */
#include "accessibility/decimal.h"

#include <stdbool.h>

int
decimal_parse(const char *s, double *out)
{
    double v = 0, scale = 1;
    bool point = false, digits = false;
    for (const char *p = s; *p != '\0'; p++) {
        if (*p >= '0' && *p <= '9') {
            if (point) {
                scale /= 10;
                v += (*p - '0') * scale;
            } else {
                v = v * 10 + (*p - '0');
            }
            digits = true;
            if (v > 1e6)
                return -1;
        } else if (*p == '.' && !point) {
            point = true;
        } else {
            return -1;
        }
    }
    if (!digits)
        return -1;
    *out = v;
    return 0;
}
