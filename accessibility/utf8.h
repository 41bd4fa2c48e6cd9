/*
 * The UTF-8 operations the text code needs, strict: overlong forms,
 * surrogates and values above U+10FFFF are invalid. Callers decide what an
 * invalid byte means: a font or a lexicon is refused (utf8_decode), text
 * that is shown or spoken anyway reads it as U+FFFD (utf8_decode_shown).
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

/*
 * Like utf8_decode() for text that is shown whatever it holds: a byte that
 * does not start a valid sequence decodes as U+FFFD and takes one byte.
 * LEN must not be 0. Returns the number of bytes taken (1..4).
 */
size_t utf8_decode_shown(const char *s, size_t len, uint32_t *cp);

/* Writes CP (a valid scalar value) as UTF-8 to OUT and returns the number
 * of bytes written (1..4); 0 when CP is not a valid scalar value. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* The most bytes utf8_escape() writes for LEN bytes of input. */
#define UTF8_ESCAPED_MAX(len) (6 * (len) + 1)

/*
 * Copies the LEN bytes at IN to OUT (UTF8_ESCAPED_MAX(LEN) bytes) so that
 * a terminal shows them and never acts on them: every control character
 * but newline and tab (C0, DEL, and C1, U+0080 to U+009F, which a Linux
 * console takes as ESC sequences: U+009B is CSI) becomes the six visible
 * characters "\u009b", and a byte that is not UTF-8 becomes "\xff". Unless
 * FINAL, an incomplete UTF-8 sequence at the end is left for the next call
 * (text written in pieces). Sets *USED to the bytes of IN consumed and
 * returns the bytes written (OUT is NUL-terminated, not counted).
 */
size_t utf8_escape(const char *in, size_t len, int final, char *out,
                   size_t *used);

#endif
