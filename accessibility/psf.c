/*
 * PSF reader. Both formats are a header, the glyph bitmaps, then an
 * optional Unicode table listing, glyph by glyph, the characters each glyph
 * draws:
 *   PSF1: magic 36 04, mode, height; 256 glyphs (512 with PSF1_MODE512),
 *         8 pixels wide; with PSF1_MODEHASTAB the table holds UCS-2 little
 *         endian values per glyph, 0xFFFE starting combining sequences and
 *         0xFFFF ending the glyph's entry.
 *   PSF2: magic 72 b5 4a 86, then seven 32-bit little-endian fields
 *         (version, header size, flags, glyph count, bytes per glyph,
 *         height, width); with flag 1 the table holds UTF-8 per glyph,
 *         0xFE starting sequences and 0xFF ending the entry.
 * Sequences (a base letter plus combining marks) are skipped: text is drawn
 * one code point per glyph. The table is turned into a sorted array of
 * (code point, glyph) so a look-up is a binary search.
 *
 * Every header field is bounded before use, the glyph area must lie inside
 * the data, the table must have one terminated entry per glyph with valid
 * code points, and a gzip file may inflate to at most PSF_MAX_FILE bytes.
 */
#include "accessibility/psf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "accessibility/utf8.h"
#include "accessibility/xalloc.h"

#define PSF1_MAGIC0 0x36
#define PSF1_MAGIC1 0x04
#define PSF1_MODE512 0x01
#define PSF1_MODEHASTAB 0x02
#define PSF1_MODESEQ 0x04
#define PSF1_SEPARATOR 0xffff
#define PSF1_STARTSEQ 0xfffe

#define PSF2_HEADER 32
#define PSF2_HAS_UNICODE_TABLE 0x01
#define PSF2_SEPARATOR 0xff
#define PSF2_STARTSEQ 0xfe

#define PSF_MAX_WIDTH 64
#define PSF_MAX_HEIGHT 128
#define PSF_MAX_GLYPHS 65536
#define PSF_MAX_FILE (8u << 20)

struct psf_map {
    uint32_t cp;
    uint32_t index;
};

struct psf_font {
    unsigned width, height, row_bytes, count;
    size_t glyph_bytes;
    uint8_t *glyphs;
    struct psf_map *map;
    size_t nmap;
    bool has_table;
    unsigned fallback;
};

static void
psf_why(char **why, char *msg)
{
    if (why != NULL)
        *why = msg;
    else
        free(msg);
}

static uint32_t
psf_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static void
psf_map_add(struct psf_font *f, size_t *cap, uint32_t cp, uint32_t index)
{
    if (f->nmap == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        f->map = xrealloc(f->map, *cap * sizeof *f->map);
    }
    f->map[f->nmap].cp = cp;
    f->map[f->nmap].index = index;
    f->nmap++;
}

/* Orders by code point, then by glyph so that for a code point listed
 * twice the first glyph in the file wins, as the kernel does. */
static int
psf_map_cmp(const void *a, const void *b)
{
    const struct psf_map *x = a, *y = b;
    if (x->cp != y->cp)
        return x->cp < y->cp ? -1 : 1;
    if (x->index != y->index)
        return x->index < y->index ? -1 : 1;
    return 0;
}

static void
psf_map_finish(struct psf_font *f)
{
    if (f->nmap == 0)
        return;
    qsort(f->map, f->nmap, sizeof *f->map, psf_map_cmp);
    size_t o = 1;
    for (size_t i = 1; i < f->nmap; i++)
        if (f->map[i].cp != f->map[o - 1].cp)
            f->map[o++] = f->map[i];
    f->nmap = o;
}

static int
psf_table1(struct psf_font *f, const uint8_t *p, size_t len, char **why)
{
    size_t cap = 0, at = 0;
    for (unsigned g = 0; g < f->count; g++) {
        bool in_seq = false;
        for (;;) {
            if (len - at < 2) {
                psf_why(why, xasprintf("Unicode table ends after %u of %u "
                                       "glyphs",
                                       g, f->count));
                return -1;
            }
            uint32_t v = (uint32_t)p[at] | (uint32_t)p[at + 1] << 8;
            at += 2;
            if (v == PSF1_SEPARATOR)
                break;
            if (v == PSF1_STARTSEQ) {
                in_seq = true;
                continue;
            }
            if (v >= 0xd800 && v <= 0xdfff) {
                psf_why(why, xasprintf("Unicode table: surrogate U+%04X for "
                                       "glyph %u",
                                       (unsigned)v, g));
                return -1;
            }
            if (!in_seq)
                psf_map_add(f, &cap, v, g);
        }
    }
    return 0;
}

static int
psf_table2(struct psf_font *f, const uint8_t *p, size_t len, char **why)
{
    size_t cap = 0, at = 0;
    for (unsigned g = 0; g < f->count; g++) {
        bool in_seq = false;
        for (;;) {
            if (at >= len) {
                psf_why(why, xasprintf("Unicode table ends after %u of %u "
                                       "glyphs",
                                       g, f->count));
                return -1;
            }
            if (p[at] == PSF2_SEPARATOR) {
                at++;
                break;
            }
            if (p[at] == PSF2_STARTSEQ) {
                at++;
                in_seq = true;
                continue;
            }
            uint32_t cp;
            int n = utf8_decode((const char *)p + at, len - at, &cp);
            if (n < 0) {
                psf_why(why, xasprintf("Unicode table: invalid UTF-8 at byte "
                                       "%zu (glyph %u)",
                                       at, g));
                return -1;
            }
            at += (size_t)n;
            if (!in_seq)
                psf_map_add(f, &cap, cp, g);
        }
    }
    return 0;
}

static int
psf_header1(struct psf_font *f, const uint8_t *p, size_t len, size_t *start,
            char **why)
{
    if (len < 4) {
        psf_why(why, xasprintf("PSF1 header is cut short (%zu bytes)", len));
        return -1;
    }
    uint8_t mode = p[2];
    if (mode & ~(PSF1_MODE512 | PSF1_MODEHASTAB | PSF1_MODESEQ)) {
        psf_why(why, xasprintf("PSF1 mode 0x%02x has unknown bits", mode));
        return -1;
    }
    if (p[3] == 0 || p[3] > PSF_MAX_HEIGHT) {
        psf_why(why, xasprintf("PSF1 glyph height %u is out of range 1..%u",
                               p[3], PSF_MAX_HEIGHT));
        return -1;
    }
    f->width = 8;
    f->height = p[3];
    f->count = mode & PSF1_MODE512 ? 512 : 256;
    f->glyph_bytes = f->height;
    f->has_table = (mode & (PSF1_MODEHASTAB | PSF1_MODESEQ)) != 0;
    *start = 4;
    return 0;
}

static int
psf_header2(struct psf_font *f, const uint8_t *p, size_t len, size_t *start,
            char **why)
{
    if (len < PSF2_HEADER) {
        psf_why(why, xasprintf("PSF2 header is cut short (%zu bytes)", len));
        return -1;
    }
    uint32_t version = psf_u32(p + 4), header = psf_u32(p + 8);
    uint32_t flags = psf_u32(p + 12), count = psf_u32(p + 16);
    uint32_t charsize = psf_u32(p + 20), height = psf_u32(p + 24);
    uint32_t width = psf_u32(p + 28);
    if (version != 0) {
        psf_why(why, xasprintf("PSF2 version %u is not 0", (unsigned)version));
        return -1;
    }
    if (header < PSF2_HEADER || header > len) {
        psf_why(why, xasprintf("PSF2 header size %u is out of range 32..%zu",
                               (unsigned)header, len));
        return -1;
    }
    if (flags & ~(uint32_t)PSF2_HAS_UNICODE_TABLE) {
        psf_why(why, xasprintf("PSF2 flags 0x%x have unknown bits",
                               (unsigned)flags));
        return -1;
    }
    if (width == 0 || width > PSF_MAX_WIDTH || height == 0 ||
        height > PSF_MAX_HEIGHT) {
        psf_why(why, xasprintf("PSF2 glyph size %ux%u is out of range (at "
                               "most %ux%u)",
                               (unsigned)width, (unsigned)height, PSF_MAX_WIDTH,
                               PSF_MAX_HEIGHT));
        return -1;
    }
    if (charsize != height * ((width + 7) / 8)) {
        psf_why(why,
                xasprintf("PSF2 glyph takes %u bytes, %ux%u needs %u",
                          (unsigned)charsize, (unsigned)width, (unsigned)height,
                          (unsigned)(height * ((width + 7) / 8))));
        return -1;
    }
    if (count == 0 || count > PSF_MAX_GLYPHS) {
        psf_why(why, xasprintf("PSF2 glyph count %u is out of range 1..%u",
                               (unsigned)count, PSF_MAX_GLYPHS));
        return -1;
    }
    f->width = width;
    f->height = height;
    f->count = count;
    f->glyph_bytes = charsize;
    f->has_table = (flags & PSF2_HAS_UNICODE_TABLE) != 0;
    *start = header;
    return 0;
}

static unsigned
psf_pick_fallback(const struct psf_font *f)
{
    int i = psf_index(f, '?');
    if (i < 0)
        i = psf_index(f, 0xfffd);
    return i < 0 ? 0 : (unsigned)i;
}

int
psf_parse(const void *data, size_t len, struct psf_font **out, char **why)
{
    const uint8_t *p = data;
    struct psf_font *f = xcalloc(1, sizeof *f);
    size_t start = 0;
    int rc = -1;
    *out = NULL;
    if (why != NULL)
        *why = NULL;

    if (len >= 2 && p[0] == PSF1_MAGIC0 && p[1] == PSF1_MAGIC1) {
        if (psf_header1(f, p, len, &start, why) < 0)
            goto done;
    } else if (len >= 4 && psf_u32(p) == 0x864ab572) {
        if (psf_header2(f, p, len, &start, why) < 0)
            goto done;
    } else {
        psf_why(why, xasprintf("not a PSF1 or PSF2 font (bad magic number)"));
        goto done;
    }
    f->row_bytes = (f->width + 7) / 8;
    size_t area = (size_t)f->count * f->glyph_bytes;
    if (start > len || area > len - start) {
        psf_why(why, xasprintf("font is cut short: %u glyphs of %zu bytes "
                               "need %zu bytes after the header, %zu present",
                               f->count, f->glyph_bytes, area,
                               start > len ? 0 : len - start));
        goto done;
    }
    f->glyphs = xmalloc(area);
    memcpy(f->glyphs, p + start, area);
    if (f->has_table) {
        const uint8_t *t = p + start + area;
        size_t tlen = len - start - area;
        int trc = p[0] == PSF1_MAGIC0 ? psf_table1(f, t, tlen, why)
                                      : psf_table2(f, t, tlen, why);
        if (trc < 0)
            goto done;
        psf_map_finish(f);
    }
    f->fallback = psf_pick_fallback(f);
    *out = f;
    f = NULL;
    rc = 0;
done:
    psf_free(f);
    return rc;
}

int
psf_load(const char *path, struct psf_font **out, char **why)
{
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    char *inner = NULL;
    int rc = -1;
    *out = NULL;
    if (why != NULL)
        *why = NULL;

    errno = 0;
    gzFile gz = gzopen(path, "rb");
    if (gz == NULL) {
        psf_why(why, xasprintf("%s: cannot open font: %s", path,
                               errno ? strerror(errno) : "out of memory"));
        goto done;
    }
    for (;;) {
        if (cap - len < 65536) {
            cap = cap ? cap * 2 : 65536;
            buf = xrealloc(buf, cap);
        }
        int n = gzread(gz, buf + len, 65536);
        if (n < 0) {
            int err;
            const char *msg = gzerror(gz, &err);
            psf_why(why, xasprintf("%s: cannot read font: %s", path,
                                   err == Z_ERRNO ? strerror(errno) : msg));
            goto done;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len > PSF_MAX_FILE) {
            psf_why(why, xasprintf("%s: font is larger than %u bytes", path,
                                   PSF_MAX_FILE));
            goto done;
        }
    }
    if (psf_parse(buf, len, out, &inner) < 0) {
        psf_why(why, xasprintf("%s: %s", path, inner));
        goto done;
    }
    rc = 0;
done:
    if (gz != NULL && gzclose(gz) != Z_OK && rc == 0) {
        psf_free(*out);
        *out = NULL;
        psf_why(why, xasprintf("%s: cannot read font (gzip error)", path));
        rc = -1;
    }
    free(inner);
    free(buf);
    return rc;
}

void
psf_free(struct psf_font *font)
{
    if (font == NULL)
        return;
    free(font->glyphs);
    free(font->map);
    free(font);
}

struct psf_size
psf_size(const struct psf_font *font)
{
    return (struct psf_size){font->width, font->height, font->row_bytes,
                             font->count};
}

int
psf_index(const struct psf_font *font, uint32_t cp)
{
    if (!font->has_table)
        return cp < font->count ? (int)cp : -1;
    size_t lo = 0, hi = font->nmap;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (font->map[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < font->nmap && font->map[lo].cp == cp)
        return (int)font->map[lo].index;
    return -1;
}

unsigned
psf_fallback_index(const struct psf_font *font)
{
    return font->fallback;
}

const uint8_t *
psf_bitmap(const struct psf_font *font, unsigned index)
{
    return font->glyphs + (size_t)index * font->glyph_bytes;
}

const uint8_t *
psf_glyph(const struct psf_font *font, uint32_t cp)
{
    int i = psf_index(font, cp);
    return psf_bitmap(font, i < 0 ? font->fallback : (unsigned)i);
}

bool
psf_pixel(const struct psf_font *font, const uint8_t *bitmap, unsigned x,
          unsigned y)
{
    return (bitmap[y * font->row_bytes + x / 8] >> (7 - x % 8)) & 1;
}
