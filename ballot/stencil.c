/*
 * Drawing stencils. The layout (stencil_layout.c) is computed once and
 * drawn twice over, as every 1:1 sheet is (sheet.h): as SVG text written
 * here by hand, with the named groups `cut`, `braille`, `print` and `qr`;
 * and through cairo for PDF (page size in points, 1:1) and PNG (300 dpi).
 * Every output goes to a temporary file in the target's folder that is
 * synced and renamed into place only when the whole stencil has been
 * written.
 */
#include "ballot/stencil.h"

#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/xalloc.h"
#include "ballot/braille.h"
#include "ballot/sheet.h"
#include "ballot/stencil_layout.h"

#define LINE_MM 0.3     /* printed outlines in PDF and PNG */
#define HAIRLINE_MM 0.1 /* cut lines in SVG */

int
stencil_format_of(const char *path, enum stencil_format *format, char **why)
{
    enum sheet_format f;
    if (sheet_format_of(path, "stencil", &f, why) != 0)
        return -1;
    *format = (enum stencil_format)f;
    return 0;
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
        fprintf(f, "M %s 0 H %s V %s H 0 V %s Z", sheet_num(a, k),
                sheet_num(b, w), sheet_num(c, h), sheet_num(d, k));
        return;
    case CORNER_TOP_RIGHT:
        fprintf(f, "M 0 0 H %s L %s %s V %s H 0 Z", sheet_num(a, w - k),
                sheet_num(b, w), sheet_num(c, k), sheet_num(d, h));
        return;
    case CORNER_NONE:
        break;
    }
    fprintf(f, "M 0 0 H %s V %s H 0 Z", sheet_num(a, w), sheet_num(b, h));
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
    fprintf(s->f, "M%s %sh%sv%sh-%sz", sheet_num(a, s->x0 + x * m),
            sheet_num(b, s->y0 + y * m), sheet_num(c, len * m), sheet_num(d, m),
            sheet_num(e, len * m));
}

static void
svg_text(FILE *f, const char *id, const struct stencil_text *t)
{
    char a[32], b[32], c[32], d[32];
    fprintf(f,
            "    <text id=\"%s\" x=\"%s\" y=\"%s\" font-family=\"%s\" "
            "font-size=\"%s\" font-weight=\"%s\" textLength=\"%s\" "
            "lengthAdjust=\"spacingAndGlyphs\">",
            id, sheet_num(a, t->x), sheet_num(b, t->y),
            sheet_font_family(t->font), sheet_num(c, t->size),
            sheet_font_bold(t->font) ? "bold" : "normal",
            sheet_num(d, t->width));
    sheet_xml_text(f, t->text);
    fputs("</text>\n", f);
}

static int
write_svg(FILE *f, const struct stencil_layout *l, const struct election *e,
          const struct election_ballot *b, double margin_mm, const QRcode *qr)
{
    char a[32], bb[32], c[32], d[32];
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
            "width=\"%smm\" height=\"%smm\" viewBox=\"0 0 %s %s\">\n",
            sheet_num(a, l->paper_w), sheet_num(bb, l->paper_h),
            sheet_num(c, l->paper_w), sheet_num(d, l->paper_h));
    fputs("  <title>", f);
    sheet_xml_text(f, b->title.s[ELECTION_KK] != NULL ? b->title.s[ELECTION_KK]
                                                      : b->id);
    fputs("</title>\n  <desc>dauys ballot stencil, 1:1, units: mm. "
          "Election ",
          f);
    sheet_xml_text(f, e->id);
    fputs(", ballot ", f);
    sheet_xml_text(f, b->id);
    fprintf(f,
            ", package SHA-256 %s, window margin %s mm, corner cut %s. "
            "Groups: cut (paper outline and windows, to cut through), "
            "braille (dots to emboss), print (large print and text), "
            "qr (QR code).</desc>\n",
            e->hash, sheet_num(a, margin_mm), corner_name(l->corner));

    fprintf(f,
            "  <g id=\"cut\" fill=\"none\" stroke=\"#ff0000\" "
            "stroke-width=\"%s\">\n    <path id=\"outline\" d=\"",
            sheet_num(a, HAIRLINE_MM));
    svg_outline(f, l);
    fputs("\"/>\n", f);
    for (size_t i = 0; i < l->n_windows; i++) {
        const struct stencil_window *w = &l->windows[i];
        fprintf(f,
                "    <rect id=\"window-%d\" data-option=\"%s\" x=\"%s\" "
                "y=\"%s\" width=\"%s\" height=\"%s\"/>\n",
                w->option->position, w->option->id, sheet_num(a, w->cut.x),
                sheet_num(bb, w->cut.y), sheet_num(c, w->cut.w),
                sheet_num(d, w->cut.h));
    }
    fputs("  </g>\n", f);

    fprintf(f, "  <g id=\"braille\" fill=\"#000000\" stroke=\"none\">\n");
    for (size_t i = 0; i < l->n_windows; i++) {
        const struct stencil_window *w = &l->windows[i];
        fprintf(f, "    <g id=\"braille-%d\">", w->option->position);
        sheet_braille_svg(f, w->cells, w->n_cells, w->dot1_x, w->dot1_y);
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
                w->option->position, sheet_num(a, w->number_x),
                sheet_num(bb, w->number_y),
                sheet_font_family(SHEET_FONT_SANS_BOLD),
                sheet_num(c, STENCIL_NUMBER_SIZE_MM), w->number);
    }
    for (size_t i = 0; i < l->n_texts; i++) {
        char id[32];
        (void)snprintf(id, sizeof id, "line-%zu", i + 1);
        svg_text(f, id, &l->texts[i]);
    }
    fputs("  </g>\n", f);

    struct svg_qr sq = {f, l->qr.x + STENCIL_QR_QUIET * STENCIL_QR_MODULE_MM,
                        l->qr.y + STENCIL_QR_QUIET * STENCIL_QR_MODULE_MM};
    fprintf(f,
            "  <g id=\"qr\" fill=\"#000000\" stroke=\"none\">\n"
            "    <rect id=\"qr-quiet-zone\" x=\"%s\" y=\"%s\" "
            "width=\"%s\" height=\"%s\" fill=\"#ffffff\"/>\n"
            "    <path id=\"qr-modules\" d=\"",
            sheet_num(a, l->qr.x), sheet_num(bb, l->qr.y),
            sheet_num(c, l->qr.w), sheet_num(d, l->qr.h));
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

/* Draws the stencil on CR, whose user units are millimetres. */
static void
draw_stencil(cairo_t *cr, const struct stencil_layout *l, const QRcode *qr,
             const struct sheet_paint *p)
{
    sheet_paint_set(cr, p, SHEET_INK);
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
        sheet_braille_path(cr, win->cells, win->n_cells, win->dot1_x,
                           win->dot1_y);
    }
    cairo_fill(cr);

    sheet_font_select(cr, SHEET_FONT_SANS_BOLD, STENCIL_NUMBER_SIZE_MM);
    for (size_t i = 0; i < l->n_windows; i++) {
        cairo_move_to(cr, l->windows[i].number_x, l->windows[i].number_y);
        cairo_show_text(cr, l->windows[i].number);
    }
    for (size_t i = 0; i < l->n_texts; i++) {
        const struct stencil_text *t = &l->texts[i];
        sheet_font_select(cr, t->font, t->size);
        cairo_move_to(cr, t->x, t->y);
        cairo_show_text(cr, t->text);
    }

    sheet_paint_set(cr, p, SHEET_PAPER);
    cairo_rectangle(cr, l->qr.x, l->qr.y, l->qr.w, l->qr.h);
    cairo_fill(cr);
    sheet_paint_set(cr, p, SHEET_INK);
    struct cairo_qr cq = {cr, l->qr.x + STENCIL_QR_QUIET * STENCIL_QR_MODULE_MM,
                          l->qr.y + STENCIL_QR_QUIET * STENCIL_QR_MODULE_MM};
    qr_runs(qr, cairo_qr_run, &cq);
    cairo_fill(cr);
}

/* What the sheet's callbacks draw. */
struct stencil_page {
    const struct stencil_layout *l;
    const struct election *e;
    const struct election_ballot *b;
    double margin_mm;
    const QRcode *qr;
};

static int
page_svg(FILE *f, void *arg)
{
    const struct stencil_page *sp = arg;
    return write_svg(f, sp->l, sp->e, sp->b, sp->margin_mm, sp->qr);
}

static void
page_draw(cairo_t *cr, const struct sheet_paint *p, void *arg)
{
    const struct stencil_page *sp = arg;
    draw_stencil(cr, sp->l, sp->qr, p);
}

int
stencil_write(const struct election *e, const struct election_ballot *b,
              double margin_mm, const char *out_path, char **why)
{
    int rc = -1;
    enum stencil_format format;
    struct stencil_layout *l = NULL;
    QRcode *qr = NULL;
    char *payload = NULL, *title = NULL;
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
    title = xasprintf("Stencil %s / %s", e->id, b->id);
    struct stencil_page sp = {l, e, b, margin_mm, qr};
    struct sheet_page page = {l->paper_w, l->paper_h, title,
                              page_svg,   page_draw,  &sp};
    if (sheet_write(out_path, "stencil", &page, why) != 0)
        goto done;
    rc = 0;
done:
    if (qr != NULL)
        QRcode_free(qr);
    free(payload);
    free(title);
    stencil_layout_free(l);
    return rc;
}
