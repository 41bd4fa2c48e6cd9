/*
 * 1:1 sheets: what every tactile document dauys draws shares (the ballot
 * stencils of stencil.c, the keypad labels and Braille instruction card of
 * keycard.c). A sheet is one page in millimetres, drawn twice over: as SVG
 * text that the document writes itself, because a laser cutter's or an
 * embosser's software needs named groups (`cut`, `braille`, `emboss`,
 * `print`) and millimetre units that cairo's SVG surface cannot name; and
 * through cairo for PDF (page size in points, 1:1) and PNG (300 dpi, 8-bit
 * grayscale).
 *
 * Numbers in SVG are formatted from integers of micrometres, so that a
 * comma-decimal locale (ru_RU, kk_KZ) cannot change the file. Text is
 * measured and drawn with cairo's toy font API and the DejaVu fonts, so
 * that the layout and the drawing agree. Files are written through the one
 * atomic write (accessibility/atomicfile.h): complete or not at all.
 */
#ifndef DAUYS_BALLOT_SHEET_H
#define DAUYS_BALLOT_SHEET_H

#include <cairo.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum sheet_format { SHEET_SVG, SHEET_PDF, SHEET_PNG };

/* The resolution of PNG sheets. */
#define SHEET_PNG_DPI 300
#define SHEET_PT_PER_MM (72.0 / 25.4)
#define SHEET_PX_PER_MM (SHEET_PNG_DPI / 25.4)

/*
 * Finds the format of PATH from its extension (".svg", ".pdf" or ".png",
 * in any case). Returns 0 and sets *FORMAT, or -1 and sets *WHY (the
 * caller frees) saying which extensions are known; WHAT names the document
 * in that message ("stencil").
 */
int sheet_format_of(const char *path, const char *what,
                    enum sheet_format *format, char **why);

/* Formats MM with at most three decimals into BUF, independent of the
 * locale; returns BUF. */
const char *sheet_num(char buf[32], double mm);

/* Writes S to F with the five XML special characters escaped. */
void sheet_xml_text(FILE *f, const char *s);

enum sheet_font {
    SHEET_FONT_SANS,      /* DejaVu Sans */
    SHEET_FONT_SANS_BOLD, /* DejaVu Sans Bold */
    SHEET_FONT_MONO_BOLD, /* DejaVu Sans Mono Bold */
};

/* Returns the fontconfig family of FONT ("DejaVu Sans" or "DejaVu Sans
 * Mono"), a static string. */
const char *sheet_font_family(enum sheet_font font);

/* Returns whether FONT is bold. */
int sheet_font_bold(enum sheet_font font);

/* Selects FONT at SIZE (em, in CR's user units) on CR. */
void sheet_font_select(cairo_t *cr, enum sheet_font font, double size);

/* A cairo context for measuring text in millimetres, without hinting. */
struct sheet_measure {
    cairo_surface_t *surface;
    cairo_t *cr;
};

/* Opens M. Returns 0, or -1 with *WHY (the caller frees); M is then
 * closed already. */
int sheet_measure_open(struct sheet_measure *m, char **why);

/* Closes M. */
void sheet_measure_close(struct sheet_measure *m);

/* Measures TEXT in FONT at SIZE mm; the extents come back in mm. */
void sheet_measure_text(struct sheet_measure *m, enum sheet_font font,
                        double size, const char *text,
                        cairo_text_extents_t *ext);

/* The advance width of TEXT in FONT at SIZE mm, in mm. */
double sheet_text_width(struct sheet_measure *m, enum sheet_font font,
                        double size, const char *text);

/*
 * How ink and paper are painted. On colour surfaces (PDF) they are black
 * and white. The PNG is an A8 surface, which cairo writes as 8-bit
 * grayscale with the coverage as the gray value: there the paper is full
 * coverage (white) and ink takes coverage away (DEST_OUT), which gives the
 * same picture in a third of the bytes and time of an RGB image.
 */
struct sheet_paint {
    int coverage; /* an A8 surface */
};

enum sheet_paint_what { SHEET_INK, SHEET_PAPER };

/* Sets CR's source and operator to paint WHAT on the surface P describes. */
void sheet_paint_set(cairo_t *cr, const struct sheet_paint *p,
                     enum sheet_paint_what what);

/*
 * Writes the raised dots of the N Braille cells (ballot/braille.h) as SVG
 * circles, the centre of dot 1 of the first cell at X, Y (mm), one cell
 * every BRAILLE_CELL_PITCH_MM to the right.
 */
void sheet_braille_svg(FILE *f, const uint8_t *cells, size_t n, double x,
                       double y);

/* Adds the same dots to CR's path as circles; the caller fills. */
void sheet_braille_path(cairo_t *cr, const uint8_t *cells, size_t n, double x,
                        double y);

/* One page to write: its size, the PDF's title, and how to draw it. */
struct sheet_page {
    double w_mm, h_mm;
    const char *title; /* PDF metadata */
    /* Writes the whole SVG document to F; returns 0, or -1 on a write
     * error (ferror). */
    int (*svg)(FILE *f, void *arg);
    /* Draws the page on CR, whose user units are millimetres, painting
     * with sheet_paint_set(cr, P, ...). */
    void (*draw)(cairo_t *cr, const struct sheet_paint *p, void *arg);
    void *arg;
};

/*
 * Writes PAGE to OUT_PATH in the format its extension names (WHAT names
 * the document in messages). The file is written beside OUT_PATH under a
 * temporary name, mode 0644 (a public document), and renamed over
 * OUT_PATH only when complete, so a failed run leaves no partial file.
 * Returns 0, or -1 and sets *WHY (the caller frees): an unknown extension,
 * cairo's reason or the system's reason for a failed write.
 */
int sheet_write(const char *out_path, const char *what,
                const struct sheet_page *page, char **why);

#endif
