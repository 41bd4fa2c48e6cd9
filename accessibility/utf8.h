/*
 * The two UTF-8 operations the text code needs, strict: overlong forms,
 * surrogates and values above U+10FFFF are invalid. Callers decide what an
 * invalid byte means (a font is refused; displayed text shows U+FFFD).
 */
#ifndef DAUYS_ACCESSIBILITY_UTF8_H
#define DAUYS_ACCESSIBILITY_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes the code point at the start of the LEN bytes at S into *CP and
 * returns the number of bytes it takes (1..4), or -1 when those bytes do
 * not start a valid UTF-8 sequence (including LEN == 0).
 */
int utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Writes CP (a valid scalar value) as UTF-8 to OUT and returns the number
 * of bytes written (1..4); 0 when CP is not a valid scalar value. */
size_t utf8_encode(uint32_t cp, char out[4]);

#endif
