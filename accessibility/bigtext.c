/*
 * Large text from console-font bitmaps. Layout runs in two steps, as NeoMutt
 * splits recalc from repaint: the text is decoded and word-wrapped into
 * lines of characters knowing only that every character is the same number
 * of cells wide (the fonts are monospaced), then each line is drawn row by
 * row by concatenating the glyphs' cell strings.
 *
 * A glyph's cell strings are computed once and cached by glyph index (the
 * CyrAsia fonts have 256 glyphs), so drawing a screen is string copies
 * only; this keeps the size-4 redraw well inside the 15 ms render budget.
 */
#include "accessibility/bigtext.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/psf.h"
#include "accessibility/utf8.h"
#include "accessibility/xalloc.h"

#define BIGTEXT_FACES (BIGTEXT_MAX_SIZE - 1)

static const char *const bigtext_files[BIGTEXT_FACES] = {
    "CyrAsia-TerminusBold14.psf.gz",
    "CyrAsia-TerminusBold18x10.psf.gz",
    "CyrAsia-TerminusBold24x12.psf.gz",
};

/* Indexed by the set pixels: 1 top left, 2 top right, 4 bottom left,
 * 8 bottom right. */
static const char *const bigtext_quadrant[16] = {
    " ", "▘", "▝", "▀", "▖", "▌", "▞", "▛",
    "▗", "▚", "▐", "▜", "▄", "▙", "▟", "█",
};

struct bigtext_glyph {
    char *text;    /* the rows, one after another, no separators */
    uint16_t *end; /* end[r]: offset in TEXT just past row r */
};

struct bigtext_face {
    struct psf_font *font;
    size_t cols, rows;
    struct bigtext_glyph *cache; /* one per glyph index, filled on use */
};

struct bigtext {
    enum bigtext_cells cells;
    struct bigtext_face face[BIGTEXT_FACES];
};

/* A run of code points that forms one line of text. */
struct bigtext_run {
    const uint32_t *cp;
    size_t n;
};

int
bigtext_new(const char *dir, enum bigtext_cells cells, struct bigtext **out,
            char **why)
{
    struct bigtext *bt = xcalloc(1, sizeof *bt);
    char *path = NULL, *inner = NULL;
    int rc = -1;
    *out = NULL;
    if (why != NULL)
        *why = NULL;
    bt->cells = cells;
    if (dir == NULL)
        dir = BIGTEXT_FONT_DIR;
    for (int i = 0; i < BIGTEXT_FACES; i++) {
        struct bigtext_face *f = &bt->face[i];
        free(path);
        path = xasprintf("%s/%s", dir, bigtext_files[i]);
        if (psf_load(path, &f->font, &inner) < 0) {
            if (why != NULL)
                *why = xasprintf("text size %d: %s", i + 2, inner);
            goto done;
        }
        struct psf_size sz = psf_size(f->font);
        f->cols = cells == BIGTEXT_QUAD ? (sz.width + 1) / 2 : sz.width;
        f->rows = (sz.height + 1) / 2;
        f->cache = xcalloc(sz.count, sizeof *f->cache);
    }
    *out = bt;
    bt = NULL;
    rc = 0;
done:
    free(inner);
    free(path);
    bigtext_free(bt);
    return rc;
}

void
bigtext_free(struct bigtext *bt)
{
    if (bt == NULL)
        return;
    for (int i = 0; i < BIGTEXT_FACES; i++) {
        struct bigtext_face *f = &bt->face[i];
        if (f->cache != NULL) {
            unsigned n = psf_size(f->font).count;
            for (unsigned g = 0; g < n; g++) {
                free(f->cache[g].text);
                free(f->cache[g].end);
            }
            free(f->cache);
        }
        psf_free(f->font);
    }
    free(bt);
}

const char *
bigtext_font_file(int size)
{
    if (size <= BIGTEXT_MIN_SIZE || size > BIGTEXT_MAX_SIZE)
        return NULL;
    return bigtext_files[size - 2];
}

size_t
bigtext_char_cols(const struct bigtext *bt, int size)
{
    if (size == BIGTEXT_MIN_SIZE)
        return 1;
    if (bt == NULL || size < BIGTEXT_MIN_SIZE || size > BIGTEXT_MAX_SIZE)
        return 0;
    return bt->face[size - 2].cols;
}

size_t
bigtext_char_rows(const struct bigtext *bt, int size)
{
    if (size == BIGTEXT_MIN_SIZE)
        return 1;
    if (bt == NULL || size < BIGTEXT_MIN_SIZE || size > BIGTEXT_MAX_SIZE)
        return 0;
    return bt->face[size - 2].rows;
}

static bool
bigtext_px(const struct psf_font *font, const uint8_t *bm, unsigned x,
           unsigned y)
{
    struct psf_size sz = psf_size(font);
    if (x >= sz.width || y >= sz.height)
        return false;
    return psf_pixel(font, bm, x, y);
}

static const struct bigtext_glyph *
bigtext_glyph(struct bigtext *bt, struct bigtext_face *f, uint32_t cp)
{
    int i = psf_index(f->font, cp);
    unsigned g = i < 0 ? psf_fallback_index(f->font) : (unsigned)i;
    struct bigtext_glyph *gl = &f->cache[g];
    if (gl->text != NULL)
        return gl;
    const uint8_t *bm = psf_bitmap(f->font, g);
    gl->text = xmalloc(f->rows * f->cols * 3 + 1);
    gl->end = xmalloc(f->rows * sizeof *gl->end);
    size_t o = 0;
    unsigned step = bt->cells == BIGTEXT_QUAD ? 2 : 1;
    for (unsigned r = 0; r < f->rows; r++) {
        for (unsigned c = 0; c < f->cols; c++) {
            unsigned x = c * step, y = r * 2, m = 0;
            m |= bigtext_px(f->font, bm, x, y) ? 1u : 0u;
            m |= bigtext_px(f->font, bm, x, y + 1) ? 4u : 0u;
            if (step == 2) {
                m |= bigtext_px(f->font, bm, x + 1, y) ? 2u : 0u;
                m |= bigtext_px(f->font, bm, x + 1, y + 1) ? 8u : 0u;
            } else {
                m |= (m & 1u) << 1 | (m & 4u) << 1;
            }
            const char *s = bigtext_quadrant[m];
            size_t n = strlen(s);
            memcpy(gl->text + o, s, n);
            o += n;
        }
        gl->end[r] = (uint16_t)o;
    }
    gl->text[o] = '\0';
    return gl;
}

/* Code points of TEXT as shown: invalid bytes become U+FFFD, tabs spaces,
 * other control characters (but '\n') are dropped, and at sizes 2-4 so are
 * combining marks, which the console fonts cannot stack. */
static uint32_t *
bigtext_decode(const char *text, int size, size_t *n)
{
    size_t len = strlen(text), k = 0;
    uint32_t *cp = xmalloc((len + 1) * sizeof *cp);
    for (size_t at = 0; at < len;) {
        uint32_t c;
        at += utf8_decode_shown(text + at, len - at, &c);
        if (c == '\t')
            c = ' ';
        if ((c < 0x20 && c != '\n') || (c >= 0x7f && c < 0xa0))
            continue;
        if (size > BIGTEXT_MIN_SIZE && c >= 0x300 && c <= 0x36f)
            continue;
        cp[k++] = c;
    }
    *n = k;
    return cp;
}

static size_t
bigtext_cp_width(uint32_t c, size_t cols)
{
    if (cols == 1 && c >= 0x300 && c <= 0x36f)
        return 0;
    return cols;
}

static void
bigtext_emit(struct bigtext_run **runs, size_t *nrun, size_t *cap,
             const uint32_t *cp, size_t n)
{
    if (*nrun == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *runs = xrealloc(*runs, *cap * sizeof **runs);
    }
    (*runs)[*nrun].cp = cp;
    (*runs)[*nrun].n = n;
    (*nrun)++;
}

/* Wraps the code points into runs of at most WIDTH cells, each character
 * COLS cells wide. Runs point into LINEBUF, which holds each line's
 * characters with single spaces between words. */
static struct bigtext_run *
bigtext_wrap(const uint32_t *cp, size_t n, size_t cols, size_t width,
             uint32_t *linebuf, size_t *nrun)
{
    struct bigtext_run *runs = NULL;
    size_t cap = 0, o = 0, i = 0;
    *nrun = 0;
    while (i <= n) {
        size_t start = o, lw = 0;
        while (i < n && cp[i] != '\n') {
            if (cp[i] == ' ') {
                i++;
                continue;
            }
            size_t ws = i, ww = 0;
            while (i < n && cp[i] != ' ' && cp[i] != '\n')
                ww += bigtext_cp_width(cp[i++], cols);
            if (lw > 0 && lw + cols + ww <= width) {
                linebuf[o++] = ' ';
                lw += cols;
            } else if (lw > 0) {
                bigtext_emit(&runs, nrun, &cap, linebuf + start, o - start);
                start = o;
                lw = 0;
            }
            for (size_t k = ws; k < i; k++) {
                size_t w = bigtext_cp_width(cp[k], cols);
                if (lw + w > width) {
                    bigtext_emit(&runs, nrun, &cap, linebuf + start, o - start);
                    start = o;
                    lw = 0;
                }
                linebuf[o++] = cp[k];
                lw += w;
            }
        }
        bigtext_emit(&runs, nrun, &cap, linebuf + start, o - start);
        i++;
    }
    return runs;
}

static void
bigtext_push(struct bigtext_lines *out, size_t *cap, char *line, size_t cells)
{
    if (out->count == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        out->line = xrealloc(out->line, *cap * sizeof *out->line);
        out->cells = xrealloc(out->cells, *cap * sizeof *out->cells);
    }
    out->line[out->count] = line;
    out->cells[out->count] = cells;
    out->count++;
}

static void
bigtext_draw_small(struct bigtext_lines *out, size_t *cap,
                   const struct bigtext_run *run)
{
    char *s = xmalloc(run->n * 4 + 1);
    size_t o = 0, cells = 0;
    for (size_t k = 0; k < run->n; k++) {
        o += utf8_encode(run->cp[k], s + o);
        cells += bigtext_cp_width(run->cp[k], 1);
    }
    s[o] = '\0';
    bigtext_push(out, cap, s, cells);
}

static void
bigtext_draw_big(struct bigtext *bt, struct bigtext_face *f,
                 struct bigtext_lines *out, size_t *cap,
                 const struct bigtext_run *run)
{
    /* A false positive of the check: GL is an array of pointers, so sizeof
     * *gl, the size of one pointer, is what is meant. */
    /* NOLINTNEXTLINE(bugprone-sizeof-expression) */
    const struct bigtext_glyph **gl = xmalloc((run->n + 1) * sizeof *gl);
    for (size_t k = 0; k < run->n; k++)
        gl[k] = bigtext_glyph(bt, f, run->cp[k]);
    for (size_t r = 0; r < f->rows; r++) {
        size_t len = 0;
        for (size_t k = 0; k < run->n; k++)
            len += gl[k]->end[r] - (r > 0 ? gl[k]->end[r - 1] : 0u);
        char *s = xmalloc(len + 1), *p = s;
        for (size_t k = 0; k < run->n; k++) {
            size_t from = r > 0 ? gl[k]->end[r - 1] : 0u;
            memcpy(p, gl[k]->text + from, gl[k]->end[r] - from);
            p += gl[k]->end[r] - from;
        }
        *p = '\0';
        bigtext_push(out, cap, s, run->n * f->cols);
    }
    free(gl);
}

int
bigtext_layout(struct bigtext *bt, int size, const char *text, size_t width,
               struct bigtext_lines *out, char **why)
{
    uint32_t *cp = NULL, *linebuf = NULL;
    struct bigtext_run *runs = NULL;
    size_t n = 0, nrun = 0, cap = 0;
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (why != NULL)
        *why = NULL;
    if (size < BIGTEXT_MIN_SIZE || size > BIGTEXT_MAX_SIZE ||
        (size > BIGTEXT_MIN_SIZE && bt == NULL)) {
        if (why != NULL)
            *why = xasprintf("text size %d is not available", size);
        goto done;
    }
    size_t cols = bigtext_char_cols(bt, size);
    if (width < cols) {
        if (why != NULL)
            *why = xasprintf("%zu cells are too narrow for text size %d "
                             "(one letter takes %zu)",
                             width, size, cols);
        goto done;
    }
    out->rows_per_line = bigtext_char_rows(bt, size);
    cp = bigtext_decode(text, size, &n);
    if (n == 0) {
        rc = 0;
        goto done;
    }
    linebuf = xmalloc((n + 1) * sizeof *linebuf);
    runs = bigtext_wrap(cp, n, cols, width, linebuf, &nrun);
    for (size_t i = 0; i < nrun; i++) {
        if (size == BIGTEXT_MIN_SIZE)
            bigtext_draw_small(out, &cap, &runs[i]);
        else
            bigtext_draw_big(bt, &bt->face[size - 2], out, &cap, &runs[i]);
    }
    rc = 0;
done:
    free(runs);
    free(linebuf);
    free(cp);
    return rc;
}

void
bigtext_lines_free(struct bigtext_lines *lines)
{
    if (lines == NULL)
        return;
    /* The lines may show a voter's choice. */
    for (size_t i = 0; i < lines->count; i++)
        xfree_wiped(lines->line[i]);
    free(lines->line);
    free(lines->cells);
    memset(lines, 0, sizeof *lines);
}
