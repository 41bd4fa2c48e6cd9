/*
 * Braille number cells. The digit table is the first decade of the Braille
 * alphabet (a..j), which Kazakh and Russian Braille share with Louis
 * Braille's original code; a digit only means a digit after the number
 * sign. Everything here is a table look-up or a short loop over bytes: no
 * state, no locale, no drawing.
 */
#include "ballot/braille.h"

#include <assert.h>

#include "accessibility/xalloc.h"

static const uint8_t braille_digits[10] = {
    0x1A, /* 0 = j: dots 2-4-5 */
    0x01, /* 1 = a: dot 1 */
    0x03, /* 2 = b: dots 1-2 */
    0x09, /* 3 = c: dots 1-4 */
    0x19, /* 4 = d: dots 1-4-5 */
    0x11, /* 5 = e: dots 1-5 */
    0x0B, /* 6 = f: dots 1-2-4 */
    0x1B, /* 7 = g: dots 1-2-4-5 */
    0x13, /* 8 = h: dots 1-2-5 */
    0x0A, /* 9 = i: dots 2-4 */
};

uint8_t
braille_digit(int digit)
{
    if (digit < 0 || digit > 9)
        return 0;
    return braille_digits[digit];
}

size_t
braille_number(unsigned long n, uint8_t *cells, size_t cap)
{
    uint8_t digits[BRAILLE_NUMBER_MAX_CELLS - 1];
    size_t nd = 0;
    do {
        assert(nd < sizeof digits);
        digits[nd++] = braille_digit((int)(n % 10));
        n /= 10;
    } while (n > 0);
    if (cap < nd + 1)
        return 0;
    cells[0] = BRAILLE_NUMBER_SIGN;
    for (size_t i = 0; i < nd; i++)
        cells[1 + i] = digits[nd - 1 - i];
    return nd + 1;
}

bool
braille_has_dot(uint8_t cell, int dot)
{
    if (dot < 1 || dot > 6)
        return false;
    return (cell >> (dot - 1)) & 1u;
}

int
braille_dot_offset_mm(int dot, double *x, double *y)
{
    if (dot < 1 || dot > 6)
        return -1;
    *x = dot <= 3 ? 0.0 : BRAILLE_DOT_PITCH_MM;
    *y = (double)((dot - 1) % 3) * BRAILLE_DOT_PITCH_MM;
    return 0;
}

char *
braille_to_unicode(const uint8_t *cells, size_t n)
{
    /* Every pattern U+2800..U+28FF is three bytes in UTF-8. */
    char *s = xmalloc(3 * n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned cp = 0x2800u + cells[i];
        s[3 * i] = (char)(0xE0 | (cp >> 12));
        s[3 * i + 1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[3 * i + 2] = (char)(0x80 | (cp & 0x3F));
    }
    s[3 * n] = '\0';
    return s;
}

char *
braille_describe_dots(const uint8_t *cells, size_t n)
{
    /* At most six digits and one separator per cell. */
    char *s = xmalloc(7 * n + 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            s[len++] = ' ';
        size_t start = len;
        for (int dot = 1; dot <= 6; dot++) {
            if (braille_has_dot(cells[i], dot))
                s[len++] = (char)('0' + dot);
        }
        if (len == start)
            s[len++] = '0';
    }
    s[len] = '\0';
    return s;
}
