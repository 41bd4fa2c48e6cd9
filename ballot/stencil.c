/*
 * Drawing stencils. The layout (stencil_layout.c) is computed once and
 * drawn twice over: as SVG text written here by hand, because a laser
 * cutter's or an embosser's software needs named groups (`cut`, `braille`,
 * `print`, `qr`) and millimetre units that cairo's SVG surface cannot name;
 * and through cairo for PDF (page size in points, 1:1) and PNG (300 dpi).
 *
 * Numbers in the SVG are formatted from integers of micrometres so that a
 * comma-decimal locale (ru_RU, kk_KZ) cannot change the file. Every output
 * goes to a temporary file in the target's folder that is synced and
 * renamed into place only when the whole stencil has been written.
 */
#include "ballot/stencil.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accessibility/atomicfile.h"
#include "accessibility/xalloc.h"
#include "ballot/braille.h"
#include "ballot/stencil_layout.h"

#define PT_PER_MM (72.0 / 25.4)
#define PX_PER_MM (STENCIL_PNG_DPI / 25.4)
#define LINE_MM 0.3     /* printed outlines in PDF and PNG */
#define HAIRLINE_MM 0.1 /* cut lines in SVG */

int
stencil_format_of(const char *path, enum stencil_format *format, char **why)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot != NULL && (slash == NULL || dot > slash)) {
        if (strcasecmp(dot, ".svg") == 0) {
            *format = STENCIL_SVG;
            return 0;
        }
        if (strcasecmp(dot, ".pdf") == 0) {
            *format = STENCIL_PDF;
            return 0;
        }
        if (strcasecmp(dot, ".png") == 0) {
            *format = STENCIL_PNG;
            return 0;
        }
    }
    *why = xasprintf("%s: unknown stencil format; the file name must end in "
                     ".svg (laser cutter, embosser), .pdf (swell paper) or "
                     ".png (preview)",
                     path);
    return -1;
}

int
stencil_check(const struct election_ballot *b, double margin_mm, char **why)
{
    struct stencil_layout *l = NULL;
    if (stencil_layout_new(NULL, b, margin_mm, &l, why) != 0)
        return -1;
    stencil_layout_free(l);
    return 0;
}

char *
stencil_qr_text(const struct election *e, const struct election_ballot *b)
{
    return xasprintf("dauys-election:%s:%s:%s", e->id, e->hash, b->id);
}

/* Formats V (mm) with at most three decimals, independent of the locale. */
static const char *
num(char buf[32], double v)
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

/* Writes S with the five XML special characters escaped. */
static void
xml_text(FILE *f, const char *s)
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

static const char *
corner_name(enum corner_cut c)
{
    switch (c) {
    case CORNER_TOP_LEFT:
        return "top-left";
    case CORNER_TOP_RIGHT:
        return "top-right";
    case CORNER_NONE:
        break;
    }
    return "none";
}

/* The paper outline as SVG path data, clockwise from the top-left. */
static void
svg_outline(FILE *f, const struct stencil_layout *l)
{
    char a[32], b[32], c[32], d[32];
    double w = l->paper_w, h = l->paper_h, k = l->corner_cut;
    switch (l->corner) {
    case CORNER_TOP_LEFT:
        fprintf(f, "M %s 0 H %s V %s H 0 V %s Z", num(a, k), num(b, w),
                num(c, h), num(d, k));
        return;
    case CORNER_TOP_RIGHT:
        fprintf(f, "M 0 0 H %s L %s %s V %s H 0 Z", num(a, w - k), num(b, w),
                num(c, k), num(d, h));
        return;
    case CORNER_NONE:
        break;
    }
    fprintf(f, "M 0 0 H %s V %s H 0 Z", num(a, w), num(b, h));
}

/* Calls EMIT for every horizontal run of dark modules of QR: column,
 * row and length in modules. */
static void
qr_runs(const QRcode *qr, void (*emit)(void *, int, int, int), void *arg)
{
    for (int y = 0; y < qr->width; y++) {
        int x = 0;
        while (x < qr->width) {
            if (!(qr->data[y * qr->width + x] & 1)) {
                x++;
                continue;
            }
            int start = x;
            while (x < qr->width && (qr->data[y * qr->width + x] & 1))
                x++;
            emit(arg, start, y, x - start);
        }
    }
}

struct svg_qr {
    FILE *f;
    double x0, y0;
};

static void
svg_qr_run(void *arg, int x, int y, int len)
{
    struct svg_qr *s = arg;
    char a[32], b[32], c[32], d[32], e[32];
    double m = STENCIL_QR_MODULE_MM;
    fprintf(s->f, "M%s %sh%sv%sh-%sz", num(a, s->x0 + x * m),
            num(b, s->y0 + y * m), num(c, len * m), num(d, m),
            num(e, len * m));
}

static void
svg_text(FILE *f, const char *id, const struct stencil_text *t)
{
    char a[32], b[32], c[32], d[32];
    fprintf(f,
            "    <text id=\"%s\" x=\"%s\" y=\"%s\" font-family=\"%s\" "
            "font-size=\"%s\" font-weight=\"%s\" textLength=\"%s\" "
            "lengthAdjust=\"spacingAndGlyphs\">",
            id, num(a, t->x), num(b, t->y), stencil_font_family(t->font),
            num(c, t->size), stencil_font_bold(t->font) ? "bold" : "normal",
            num(d, t->width));
    xml_text(f, t->text);
    fputs("</text>\n", f);
}

static int
write_svg(FILE *f, const struct stencil_layout *l, const struct election *e,
          const struct election_ballot *b, double margin_mm,
          const QRcode *qr)
{
    char a[32], bb[32], c[32], d[32];
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
               "width=\"%smm\" height=\"%smm\" viewBox=\"0 0 %s %s\">\n",
            num(a, l->paper_w), num(bb, l->paper_h), num(c, l->paper_w),
            num(d, l->paper_h));
    fputs("  <title>", f);
    xml_text(f, b->title.s[ELECTION_KK] != NULL ? b->title.s[ELECTION_KK]
                                                : b->id);
    fputs("</title>\n  <desc>dauys ballot stencil, 1:1, units: mm. "
          "Election ",
          f);
    xml_text(f, e->id);
    fputs(", ballot ", f);
    xml_text(f, b->id);
    fprintf(f, ", package SHA-256 %s, window margin %s mm, corner cut %s. "
               "Groups: cut (paper outline and windows, to cut through), "
               "braille (dots to emboss), print (large print and text), "
               "qr (QR code).</desc>\n",
            e->hash, num(a, margin_mm), corner_name(l->corner));

    fprintf(f, "  <g id=\"cut\" fill=\"none\" stroke=\"#ff0000\" "
               "stroke-width=\"%s\">\n    <path id=\"outline\" d=\"",
            num(a, HAIRLINE_MM));
    svg_outline(f, l);
    fputs("\"/>\n", f);
    for (size_t i = 0; i < l->n_windows; i++) {
        const struct stencil_window *w = &l->windows[i];
        fprintf(f,
                "    <rect id=\"window-%d\" data-option=\"%s\" x=\"%s\" "
                "y=\"%s\" width=\"%s\" height=\"%s\"/>\n",
                w->option->position, w->option->id, num(a, w->cut.x),
                num(bb, w->cut.y), num(c, w->cut.w), num(d, w->cut.h));
    }
    fputs("  </g>\n", f);

    fprintf(f, "  <g id=\"braille\" fill=\"#000000\" stroke=\"none\">\n");
    for (size_t i = 0; i < l->n_windows; i++) {
        const struct stencil_window *w = &l->windows[i];
        fprintf(f, "    <g id=\"braille-%d\">", w->option->position);
        for (size_t k = 0; k < w->n_cells; k++) {
            for (int dot = 1; dot <= 6; dot++) {
                double dx, dy;
                if (!braille_has_dot(w->cells[k], dot) ||
                    braille_dot_offset_mm(dot, &dx, &dy) != 0)
                    continue;
                fprintf(f, "<circle cx=\"%s\" cy=\"%s\" r=\"%s\"/>",
                        num(a, w->dot1_x + (double)k * BRAILLE_CELL_PITCH_MM +
                                   dx),
                        num(bb, w->dot1_y + dy),
                        num(c, BRAILLE_DOT_DIAMETER_MM / 2));
            }
        }
        fputs("</g>\n", f);
    }
    fputs("  </g>\n", f);

    fputs("  <g id=\"print\" fill=\"#000000\" stroke=\"none\">\n", f);
    for (size_t i = 0; i < l->n_windows; i++) {
        const struct stencil_window *w = &l->windows[i];
        fprintf(f,
                "    <text id=\"number-%d\" x=\"%s\" y=\"%s\" "
                "font-family=\"%s\" font-size=\"%s\" "
                "font-weight=\"bold\">%s</text>\n",
                w->option->position, num(a, w->number_x),
                num(bb, w->number_y),
                stencil_font_family(STENCIL_FONT_SANS_BOLD),
                num(c, STENCIL_NUMBER_SIZE_MM), w->number);
    }
    for (size_t i = 0; i < l->n_texts; i++) {
        char id[32];
        (void)snprintf(id, sizeof id, "line-%zu", i + 1);
        svg_text(f, id, &l->texts[i]);
    }
    fputs("  </g>\n", f);

    struct svg_qr sq = {f, l->qr.x + STENCIL_QR_QUIET * STENCIL_QR_MODULE_MM,
                        l->qr.y + STENCIL_QR_QUIET * STENCIL_QR_MODULE_MM};
    fprintf(f, "  <g id=\"qr\" fill=\"#000000\" stroke=\"none\">\n"
               "    <rect id=\"qr-quiet-zone\" x=\"%s\" y=\"%s\" "
               "width=\"%s\" height=\"%s\" fill=\"#ffffff\"/>\n"
               "    <path id=\"qr-modules\" d=\"",
            num(a, l->qr.x), num(bb, l->qr.y), num(c, l->qr.w),
            num(d, l->qr.h));
    qr_runs(qr, svg_qr_run, &sq);
    fputs("\"/>\n  </g>\n</svg>\n", f);
    return ferror(f) ? -1 : 0;
}

struct cairo_qr {
    cairo_t *cr;
    double x0, y0;
};

static void
cairo_qr_run(void *arg, int x, int y, int len)
{
    struct cairo_qr *s = arg;
    double m = STENCIL_QR_MODULE_MM;
    cairo_rectangle(s->cr, s->x0 + x * m, s->y0 + y * m, len * m, m);
}

static void
cairo_font(cairo_t *cr, enum stencil_font font, double size)
{
    cairo_select_font_face(cr, stencil_font_family(font),
                           CAIRO_FONT_SLANT_NORMAL,
                           stencil_font_bold(font) ? CAIRO_FONT_WEIGHT_BOLD
                                                   : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

/*
 * How ink and paper are painted. On colour surfaces (PDF) they are black
 * and white. The PNG is an A8 surface, which cairo writes as 8-bit
 * grayscale with the coverage as the gray value: there the paper is full
 * coverage (white) and ink takes coverage away (DEST_OUT), which gives the
 * same picture in a third of the bytes and time of an RGB image.
 */
struct paint {
    int coverage; /* an A8 surface */
};

enum paint_what { PAINT_INK, PAINT_PAPER };

static void
paint_set(cairo_t *cr, const struct paint *p, enum paint_what what)
{
    if (p->coverage) {
        cairo_set_operator(cr, what == PAINT_INK ? CAIRO_OPERATOR_DEST_OUT
                                                 : CAIRO_OPERATOR_OVER);
        cairo_set_source_rgba(cr, 0, 0, 0, 1);
    } else {
        double gray = what == PAINT_INK ? 0 : 1;
        cairo_set_source_rgb(cr, gray, gray, gray);
    }
}

/* Draws the stencil on CR, whose user units are millimetres. */
static void
draw_stencil(cairo_t *cr, const struct stencil_layout *l, const QRcode *qr,
             const struct paint *p)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);

    paint_set(cr, p, PAINT_INK);
    cairo_set_line_width(cr, LINE_MM);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    double w = l->paper_w, h = l->paper_h, k = l->corner_cut;
    double half = LINE_MM / 2; /* keep the outline's ink on the page */
    switch (l->corner) {
    case CORNER_TOP_LEFT:
        cairo_move_to(cr, k, half);
        cairo_line_to(cr, w - half, half);
        cairo_line_to(cr, w - half, h - half);
        cairo_line_to(cr, half, h - half);
        cairo_line_to(cr, half, k);
        break;
    case CORNER_TOP_RIGHT:
        cairo_move_to(cr, half, half);
        cairo_line_to(cr, w - k, half);
        cairo_line_to(cr, w - half, k);
        cairo_line_to(cr, w - half, h - half);
        cairo_line_to(cr, half, h - half);
        break;
    case CORNER_NONE:
        cairo_rectangle(cr, half, half, w - LINE_MM, h - LINE_MM);
        break;
    }
    cairo_close_path(cr);
    cairo_stroke(cr);

    for (size_t i = 0; i < l->n_windows; i++) {
        const struct stencil_rect *r = &l->windows[i].cut;
        cairo_rectangle(cr, r->x, r->y, r->w, r->h);
    }
    cairo_stroke(cr);

    for (size_t i = 0; i < l->n_windows; i++) {
        const struct stencil_window *win = &l->windows[i];
        for (size_t c = 0; c < win->n_cells; c++) {
            for (int dot = 1; dot <= 6; dot++) {
                double dx, dy;
                if (!braille_has_dot(win->cells[c], dot) ||
                    braille_dot_offset_mm(dot, &dx, &dy) != 0)
                    continue;
                double cx = win->dot1_x + (double)c * BRAILLE_CELL_PITCH_MM + dx;
                double cy = win->dot1_y + dy;
                cairo_new_sub_path(cr);
                cairo_arc(cr, cx, cy, BRAILLE_DOT_DIAMETER_MM / 2, 0,
                          2 * M_PI);
            }
        }
    }
    cairo_fill(cr);

    cairo_font(cr, STENCIL_FONT_SANS_BOLD, STENCIL_NUMBER_SIZE_MM);
    for (size_t i = 0; i < l->n_windows; i++) {
        cairo_move_to(cr, l->windows[i].number_x, l->windows[i].number_y);
        cairo_show_text(cr, l->windows[i].number);
    }
    for (size_t i = 0; i < l->n_texts; i++) {
        const struct stencil_text *t = &l->texts[i];
        cairo_font(cr, t->font, t->size);
        cairo_move_to(cr, t->x, t->y);
        cairo_show_text(cr, t->text);
    }

    paint_set(cr, p, PAINT_PAPER);
    cairo_rectangle(cr, l->qr.x, l->qr.y, l->qr.w, l->qr.h);
    cairo_fill(cr);
    paint_set(cr, p, PAINT_INK);
    struct cairo_qr cq = {cr,
                          l->qr.x + STENCIL_QR_QUIET * STENCIL_QR_MODULE_MM,
                          l->qr.y + STENCIL_QR_QUIET * STENCIL_QR_MODULE_MM};
    qr_runs(qr, cairo_qr_run, &cq);
    cairo_fill(cr);
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

static int
write_pdf(FILE *f, const struct stencil_layout *l, const struct election *e,
          const struct election_ballot *b, const QRcode *qr, char **why)
{
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(
        stream_write, f, l->paper_w * PT_PER_MM, l->paper_h * PT_PER_MM);
    cairo_t *cr = cairo_create(s);
    char *title = xasprintf("Stencil %s / %s", e->id, b->id);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "dauys");
    cairo_scale(cr, PT_PER_MM, PT_PER_MM);
    draw_stencil(cr, l, qr, &(struct paint){0});
    cairo_show_page(cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    int rc = drawn(st, "PDF", why);
    cairo_surface_destroy(s);
    free(title);
    return rc;
}

static int
write_png(FILE *f, const struct stencil_layout *l, const QRcode *qr,
          char **why)
{
    int wpx = (int)lround(l->paper_w * PX_PER_MM);
    int hpx = (int)lround(l->paper_h * PX_PER_MM);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, wpx, hpx);
    cairo_t *cr = cairo_create(s);
    struct paint p = {1};
    paint_set(cr, &p, PAINT_PAPER);
    cairo_paint(cr);
    cairo_scale(cr, PX_PER_MM, PX_PER_MM);
    draw_stencil(cr, l, qr, &p);
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
stencil_write(const struct election *e, const struct election_ballot *b,
              double margin_mm, const char *out_path, char **why)
{
    int rc = -1;
    enum stencil_format format;
    struct stencil_layout *l = NULL;
    QRcode *qr = NULL;
    char *payload = NULL;
    struct atomicfile *af = NULL;
    if (stencil_format_of(out_path, &format, why) != 0)
        goto done;
    if (stencil_layout_new(e, b, margin_mm, &l, why) != 0)
        goto done;
    payload = stencil_qr_text(e, b);
    qr = QRcode_encodeString(payload, STENCIL_QR_VERSION, QR_ECLEVEL_M,
                             QR_MODE_8, 1);
    if (qr == NULL) {
        *why = xasprintf("cannot make the QR code: %s", strerror(errno));
        goto done;
    }
    if (qr->width != STENCIL_QR_MODULES) {
        *why = xasprintf("cannot make the QR code: %zu characters do not "
                         "fit a version %d code",
                         strlen(payload), STENCIL_QR_VERSION);
        goto done;
    }
    /* A stencil is a public document. */
    if (atomicfile_open(out_path, 0644, 0, &af, why) < 0)
        goto done;
    FILE *f = atomicfile_stream(af);
    switch (format) {
    case STENCIL_SVG:
        if (write_svg(f, l, e, b, margin_mm, qr) != 0) {
            *why = xasprintf("%s: write failed: %s", out_path,
                             strerror(errno));
            goto done;
        }
        break;
    case STENCIL_PDF:
        if (write_pdf(f, l, e, b, qr, why) != 0)
            goto done;
        break;
    case STENCIL_PNG:
        if (write_png(f, l, qr, why) != 0)
            goto done;
        break;
    }
    int committed = atomicfile_commit(af, why);
    af = NULL;
    if (committed < 0)
        goto done;
    rc = 0;
done:
    atomicfile_abort(af);
    if (qr != NULL)
        QRcode_free(qr);
    free(payload);
    stencil_layout_free(l);
    return rc;
}
