/*
 * 1:1 sheets (see sheet.h): the helpers the stencils and the keypad card
 * share, moved here from stencil.c and stencil_layout.c so that both draw
 * Braille, text and pages the same way.
 */
#include "ballot/sheet.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accessibility/atomicfile.h"
#include "accessibility/xalloc.h"
#include "ballot/braille.h"

/* Text is measured at this many times its size so that font metrics are
 * not rounded to tiny pixel sizes. */
#define MEASURE_SCALE 100.0

int
sheet_format_of(const char *path, const char *what, enum sheet_format *format,
                char **why)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot != NULL && (slash == NULL || dot > slash)) {
        if (strcasecmp(dot, ".svg") == 0) {
            *format = SHEET_SVG;
            return 0;
        }
        if (strcasecmp(dot, ".pdf") == 0) {
            *format = SHEET_PDF;
            return 0;
        }
        if (strcasecmp(dot, ".png") == 0) {
            *format = SHEET_PNG;
            return 0;
        }
    }
    *why = xasprintf("%s: unknown %s format; the file name must end in "
                     ".svg (laser cutter, embosser), .pdf (swell paper) or "
                     ".png (preview)",
                     path, what);
    return -1;
}

const char *
sheet_num(char buf[32], double v)
{
    long long u = llround(v * 1000);
    const char *sign = u < 0 ? "-" : "";
    if (u < 0)
        u = -u;
    if (u % 1000 == 0) {
        (void)snprintf(buf, 32, "%s%lld", sign, u / 1000);
        return buf;
    }
    (void)snprintf(buf, 32, "%s%lld.%03lld", sign, u / 1000, u % 1000);
    size_t len = strlen(buf);
    while (buf[len - 1] == '0')
        buf[--len] = '\0';
    return buf;
}

void
sheet_xml_text(FILE *f, const char *s)
{
    static const char special[] = "&<>\"'";
    static const char *const entity[] = {"&amp;", "&lt;", "&gt;", "&quot;",
                                         "&apos;"};
    for (; *s != '\0'; s++) {
        const char *c = strchr(special, *s);
        if (c != NULL)
            fputs(entity[c - special], f);
        else
            fputc(*s, f);
    }
}

const char *
sheet_font_family(enum sheet_font font)
{
    return font == SHEET_FONT_MONO_BOLD ? "DejaVu Sans Mono" : "DejaVu Sans";
}

int
sheet_font_bold(enum sheet_font font)
{
    return font != SHEET_FONT_SANS;
}

void
sheet_font_select(cairo_t *cr, enum sheet_font font, double size)
{
    cairo_select_font_face(cr, sheet_font_family(font), CAIRO_FONT_SLANT_NORMAL,
                           sheet_font_bold(font) ? CAIRO_FONT_WEIGHT_BOLD
                                                 : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

int
sheet_measure_open(struct sheet_measure *m, char **why)
{
    m->surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    m->cr = cairo_create(m->surface);
    if (cairo_status(m->cr) != CAIRO_STATUS_SUCCESS) {
        *why = xasprintf("cannot measure text: %s",
                         cairo_status_to_string(cairo_status(m->cr)));
        cairo_destroy(m->cr);
        cairo_surface_destroy(m->surface);
        return -1;
    }
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_set_font_options(m->cr, fo);
    cairo_font_options_destroy(fo);
    return 0;
}

void
sheet_measure_close(struct sheet_measure *m)
{
    cairo_destroy(m->cr);
    cairo_surface_destroy(m->surface);
}

void
sheet_measure_text(struct sheet_measure *m, enum sheet_font font, double size,
                   const char *text, cairo_text_extents_t *ext)
{
    sheet_font_select(m->cr, font, size * MEASURE_SCALE);
    cairo_text_extents(m->cr, text, ext);
    ext->x_bearing /= MEASURE_SCALE;
    ext->y_bearing /= MEASURE_SCALE;
    ext->width /= MEASURE_SCALE;
    ext->height /= MEASURE_SCALE;
    ext->x_advance /= MEASURE_SCALE;
    ext->y_advance /= MEASURE_SCALE;
}

double
sheet_text_width(struct sheet_measure *m, enum sheet_font font, double size,
                 const char *text)
{
    cairo_text_extents_t ext;
    sheet_measure_text(m, font, size, text, &ext);
    return ext.x_advance;
}

void
sheet_paint_set(cairo_t *cr, const struct sheet_paint *p,
                enum sheet_paint_what what)
{
    if (p->coverage) {
        cairo_set_operator(cr, what == SHEET_INK ? CAIRO_OPERATOR_DEST_OUT
                                                 : CAIRO_OPERATOR_OVER);
        cairo_set_source_rgba(cr, 0, 0, 0, 1);
    } else {
        double gray = what == SHEET_INK ? 0 : 1;
        cairo_set_source_rgb(cr, gray, gray, gray);
    }
}

void
sheet_braille_svg(FILE *f, const uint8_t *cells, size_t n, double x, double y)
{
    char a[32], b[32], c[32];
    for (size_t k = 0; k < n; k++) {
        for (int dot = 1; dot <= 6; dot++) {
            double dx, dy;
            if (!braille_has_dot(cells[k], dot) ||
                braille_dot_offset_mm(dot, &dx, &dy) != 0)
                continue;
            fprintf(f, "<circle cx=\"%s\" cy=\"%s\" r=\"%s\"/>",
                    sheet_num(a, x + (double)k * BRAILLE_CELL_PITCH_MM + dx),
                    sheet_num(b, y + dy),
                    sheet_num(c, BRAILLE_DOT_DIAMETER_MM / 2));
        }
    }
}

void
sheet_braille_path(cairo_t *cr, const uint8_t *cells, size_t n, double x,
                   double y)
{
    for (size_t k = 0; k < n; k++) {
        for (int dot = 1; dot <= 6; dot++) {
            double dx, dy;
            if (!braille_has_dot(cells[k], dot) ||
                braille_dot_offset_mm(dot, &dx, &dy) != 0)
                continue;
            cairo_new_sub_path(cr);
            cairo_arc(cr, x + (double)k * BRAILLE_CELL_PITCH_MM + dx, y + dy,
                      BRAILLE_DOT_DIAMETER_MM / 2, 0, 2 * M_PI);
        }
    }
}

static cairo_status_t
stream_write(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
                                                : CAIRO_STATUS_WRITE_ERROR;
}

/* Returns 0 when cairo drew the FORMAT file, or -1 with *why filled. */
static int
drawn(cairo_status_t st, const char *format, char **why)
{
    if (st == CAIRO_STATUS_SUCCESS)
        return 0;
    *why = xasprintf("cannot draw the %s: %s", format,
                     cairo_status_to_string(st));
    return -1;
}

/* Text drawn without hinted metrics, as it was measured. */
static void
unhinted(cairo_t *cr)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
}

static int
write_pdf(FILE *f, const struct sheet_page *pg, char **why)
{
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(
        stream_write, f, pg->w_mm * SHEET_PT_PER_MM,
        pg->h_mm * SHEET_PT_PER_MM);
    cairo_t *cr = cairo_create(s);
    if (pg->title != NULL)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, pg->title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "dauys");
    cairo_scale(cr, SHEET_PT_PER_MM, SHEET_PT_PER_MM);
    unhinted(cr);
    pg->draw(cr, &(struct sheet_paint){0}, pg->arg);
    cairo_show_page(cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    int rc = drawn(st, "PDF", why);
    cairo_surface_destroy(s);
    return rc;
}

static int
write_png(FILE *f, const struct sheet_page *pg, char **why)
{
    int wpx = (int)lround(pg->w_mm * SHEET_PX_PER_MM);
    int hpx = (int)lround(pg->h_mm * SHEET_PX_PER_MM);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, wpx, hpx);
    cairo_t *cr = cairo_create(s);
    struct sheet_paint p = {1};
    sheet_paint_set(cr, &p, SHEET_PAPER);
    cairo_paint(cr);
    cairo_scale(cr, SHEET_PX_PER_MM, SHEET_PX_PER_MM);
    unhinted(cr);
    pg->draw(cr, &p, pg->arg);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_write_to_png_stream(s, stream_write, f);
    int rc = drawn(st, "PNG", why);
    cairo_surface_destroy(s);
    return rc;
}

int
sheet_write(const char *out_path, const char *what,
            const struct sheet_page *page, char **why)
{
    enum sheet_format format;
    struct atomicfile *af = NULL;
    if (sheet_format_of(out_path, what, &format, why) != 0)
        return -1;
    /* A sheet is a public document. */
    if (atomicfile_open(out_path, 0644, 0, &af, why) < 0)
        return -1;
    FILE *f = atomicfile_stream(af);
    int rc = -1;
    switch (format) {
    case SHEET_SVG:
        rc = page->svg(f, page->arg);
        if (rc != 0)
            *why = xasprintf("%s: write failed: %s", out_path, strerror(errno));
        break;
    case SHEET_PDF:
        rc = write_pdf(f, page, why);
        break;
    case SHEET_PNG:
        rc = write_png(f, page, why);
        break;
    }
    if (rc != 0) {
        atomicfile_abort(af);
        return -1;
    }
    return atomicfile_commit(af, why) < 0 ? -1 : 0;
}
