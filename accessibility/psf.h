/*
 * PC Screen Fonts (the Linux console's bitmap fonts, PSF1 and PSF2), read
 * from memory or from a file that may be gzip-compressed. Large text is
 * drawn from these glyphs, so the font file is untrusted input: every size
 * and offset is checked and a damaged font is refused with a reason.
 *
 * A glyph is HEIGHT rows of ROW_BYTES bytes each, most significant bit
 * leftmost, as in the file.
 */
#ifndef DAUYS_ACCESSIBILITY_PSF_H
#define DAUYS_ACCESSIBILITY_PSF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct psf_font;

/*
 * Parses LEN bytes of an uncompressed PSF1 or PSF2 font at DATA. On success
 * returns 0 and sets *OUT to a font the caller frees with psf_free(); the
 * font keeps its own copy of the data. On failure returns -1 and sets *WHY
 * (if WHY is not NULL) to a message the caller frees.
 */
int psf_parse(const void *data, size_t len, struct psf_font **out, char **why);

/*
 * Loads the font file PATH, gzip-compressed (.psf.gz) or not, and parses
 * it as psf_parse() does; the message in *WHY names the file.
 */
int psf_load(const char *path, struct psf_font **out, char **why);

/* Releases FONT; NULL is a no-op. */
void psf_free(struct psf_font *font);

/* A font's geometry. */
struct psf_size {
    unsigned width, height; /* of a glyph, in pixels */
    unsigned row_bytes;     /* of a glyph row */
    unsigned count;         /* glyphs in the font */
};

/* The geometry of FONT. */
struct psf_size psf_size(const struct psf_font *font);

/* The glyph index for code point CP: through the font's Unicode table when
 * it has one, else CP itself for CP below the glyph count; -1 when the font
 * has no glyph for CP. */
int psf_index(const struct psf_font *font, uint32_t cp);

/* The index of the glyph drawn for characters the font lacks: '?' when the
 * font has it, else U+FFFD, else glyph 0. */
unsigned psf_fallback_index(const struct psf_font *font);

/* The bitmap of glyph INDEX (which must be below the glyph count), owned by
 * the font. */
const uint8_t *psf_bitmap(const struct psf_font *font, unsigned index);

/* The bitmap for code point CP, the fallback glyph's when the font has no
 * glyph for CP; owned by the font. */
const uint8_t *psf_glyph(const struct psf_font *font, uint32_t cp);

/* Whether pixel (X, Y) of BITMAP is set; X < width, Y < height. */
bool psf_pixel(const struct psf_font *font, const uint8_t *bitmap, unsigned x,
               unsigned y);

#endif
