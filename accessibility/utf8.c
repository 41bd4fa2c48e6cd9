/*
 * Strict UTF-8 after RFC 3629: the lead byte fixes the length, every
 * continuation byte is 10xxxxxx, and the decoded value must need exactly
 * that length and be a Unicode scalar value.
 */
#include "accessibility/utf8.h"

int
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (len == 0)
        return -1;
    const unsigned char *u = (const unsigned char *)s;
    unsigned char c = u[0];
    int n;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        n = 2;
        v = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3;
        v = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4;
        v = c & 0x07;
    } else {
        return -1;
    }
    if (len < (size_t)n)
        return -1;
    for (int i = 1; i < n; i++) {
        if ((u[i] & 0xc0) != 0x80)
            return -1;
        v = v << 6 | (u[i] & 0x3f);
    }
    if (v < min[n] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return -1;
    *cp = v;
    return n;
}

size_t
utf8_decode_shown(const char *s, size_t len, uint32_t *cp)
{
    int n = utf8_decode(s, len, cp);
    if (n > 0)
        return (size_t)n;
    *cp = 0xfffd;
    return 1;
}

size_t
utf8_encode(uint32_t cp, char out[4])
{
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}
