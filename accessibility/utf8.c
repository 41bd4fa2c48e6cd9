/*
 * Strict UTF-8 after RFC 3629: the lead byte fixes the length, every
 * continuation byte is 10xxxxxx, and the decoded value must need exactly
 * that length and be a Unicode scalar value.
 */
#include "accessibility/utf8.h"

#include <string.h>

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

/* True when the N bytes at S (N < the sequence's length) could still begin
 * a valid sequence: a lead byte and continuation bytes so far. */
static int
utf8_prefix(const unsigned char *s, size_t n)
{
    size_t need = s[0] >= 0xC2 && s[0] <= 0xDF   ? 2
                  : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
                  : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
                                                 : 0;
    if (need == 0 || n >= need)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return 1;
}

size_t
utf8_escape(const char *in, size_t len, int final, char *out, size_t *used)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0, o = 0;
    while (i < len) {
        uint32_t cp;
        int k = utf8_decode(in + i, len - i, &cp);
        if (k < 0) {
            if (!final && utf8_prefix((const unsigned char *)in + i, len - i))
                break;
            unsigned char b = (unsigned char)in[i];
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[b >> 4];
            out[o++] = hex[b & 15];
            i++;
            continue;
        }
        if ((cp < 0x20 && cp != '\n' && cp != '\t') ||
            (cp >= 0x7f && cp <= 0x9f)) {
            memcpy(out + o, "\\u00", 4);
            out[o + 4] = hex[cp >> 4];
            out[o + 5] = hex[cp & 15];
            o += 6;
        } else {
            memcpy(out + o, in + i, (size_t)k);
            o += (size_t)k;
        }
        i += (size_t)k;
    }
    out[o] = '\0';
    *used = i;
    return o;
}
