/*
 * Drawing the keypad card (see keycard.h): the layout drawn as SVG by hand
 * and through cairo for PDF and PNG, as the stencils are (sheet.h).
 *
 * The SVG's top-level groups are Inkscape layers too, so that the cutter's
 * or the embosser's software shows them by name: `cut` (red hairlines),
 * `emboss` with `braille` (dots) and `symbols` (filled shapes and raised
 * lines), and `print`. Every Braille line carries its cells as Unicode
 * Braille in data-braille and its language in data-lang (the card's
 * paragraph also its text in data-text), and every label and symbol the
 * evdev key and the action it stands for, so that a program can check the
 * sheet without reading dots.
 */
#include "ballot/keycard.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/xalloc.h"
#include "ballot/braille.h"
#include "ballot/keycard_layout.h"
#include "ballot/sheet.h"
#include "ballot/tactile.h"

#define HAIRLINE_MM 0.1 /* cut lines in SVG */
#define LINE_MM 0.3     /* printed outlines in PDF and PNG */
#define KEY_LINE_MM 0.2 /* the keypad's key outlines, in print */

struct page {
    const struct keycard_layout *l;
    const char *name;
};

/* The card's outline with its top-right corner cut, as SVG path data. */
static void
svg_card_outline(FILE *f, const struct keycard_layout *l)
{
    char a[32], b[32], c[32], d[32], e[32], g[32];
    const struct keycard_rect *r = &l->card;
    fprintf(f, "M %s %s H %s L %s %s V %s H %s Z", sheet_num(a, r->x),
            sheet_num(b, r->y), sheet_num(c, r->x + r->w - l->corner_cut),
            sheet_num(d, r->x + r->w), sheet_num(e, r->y + l->corner_cut),
            sheet_num(g, r->y + r->h), sheet_num(a, r->x));
}

static void
svg_rect(FILE *f, const char *attrs, const struct keycard_rect *r)
{
    char a[32], b[32], c[32], d[32];
    fprintf(f, "<rect %s x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\"/>", attrs,
            sheet_num(a, r->x), sheet_num(b, r->y), sheet_num(c, r->w),
            sheet_num(d, r->h));
}

static void
svg_symbol(FILE *f, const char *id, const char *key,
           const struct tactile_symbol *s)
{
    char a[32], b[32];
    fprintf(f, "    <g id=\"%s\" data-action=\"%s\" data-shape=\"%s\"", id,
            action_id(s->action), s->shape);
    if (key != NULL)
        fprintf(f, " data-key=\"%s\"", key);
    fprintf(f, " data-cx=\"%s\" data-cy=\"%s\">", sheet_num(a, s->cx),
            sheet_num(b, s->cy));
    for (size_t i = 0; i < s->n_paths; i++) {
        const struct tactile_path *p = &s->paths[i];
        fputs("<path d=\"", f);
        for (size_t k = 0; k < p->n; k++)
            fprintf(f, "%s%s %s", k == 0 ? "M" : " L", sheet_num(a, p->x[k]),
                    sheet_num(b, p->y[k]));
        fputs(p->closed ? " Z\"" : "\"", f);
        if (p->fill)
            fputs("/>", f);
        else
            fputs(" fill=\"none\"/>", f);
    }
    fputs("</g>\n", f);
}

static void
svg_braille(FILE *f, const struct keycard_braille *b)
{
    char *u = braille_to_unicode(b->cells, b->n);
    fprintf(f, "      <g id=\"%s\" data-lang=\"%s\" data-braille=\"%s\">",
            b->id, b->lang, u);
    free(u);
    sheet_braille_svg(f, b->cells, b->n, b->x, b->y);
    fputs("</g>\n", f);
}

static int
page_svg(FILE *f, void *arg)
{
    const struct page *pg = arg;
    const struct keycard_layout *l = pg->l;
    char a[32], b[32], c[32], d[32];
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" "
            "xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" "
            "version=\"1.1\" width=\"%smm\" height=\"%smm\" "
            "viewBox=\"0 0 %s %s\">\n",
            sheet_num(a, l->page_w), sheet_num(b, l->page_h),
            sheet_num(c, l->page_w), sheet_num(d, l->page_h));
    fputs("  <title>dauys keypad card: ", f);
    sheet_xml_text(f, pg->name);
    fprintf(f, "</title>\n  <desc>dauys keypad card, 1:1, units: mm. Profile ");
    sheet_xml_text(f, pg->name);
    fprintf(f,
            ", key pitch %s mm. Layers: cut (card outline with its "
            "top-right corner cut, and one label per function key, to cut "
            "through), emboss (groups braille: Braille dots, and symbols: "
            "tactile key symbols, to raise), print (large print and notes)."
            "</desc>\n",
            sheet_num(a, l->pitch));

    fprintf(f,
            "  <g id=\"cut\" inkscape:groupmode=\"layer\" "
            "inkscape:label=\"cut\" fill=\"none\" stroke=\"#ff0000\" "
            "stroke-width=\"%s\">\n    <path id=\"card-outline\" d=\"",
            sheet_num(a, HAIRLINE_MM));
    svg_card_outline(f, l);
    fputs("\"/>\n", f);
    for (size_t i = 0; i < l->n_labels; i++) {
        const struct keycard_label *lb = &l->labels[i];
        char attrs[128];
        (void)snprintf(attrs, sizeof attrs,
                       "id=\"label-%s\" data-key=\"%s\" data-action=\"%s\"",
                       lb->key_id, lb->key_id, action_id(lb->symbol.action));
        fputs("    ", f);
        svg_rect(f, attrs, &lb->cut);
        fputc('\n', f);
    }
    fputs("  </g>\n", f);

    fputs("  <g id=\"emboss\" inkscape:groupmode=\"layer\" "
          "inkscape:label=\"emboss\" fill=\"#000000\" stroke=\"none\">\n"
          "    <g id=\"braille\">\n",
          f);
    for (size_t k = 0; k < KEYCARD_N_LANGS; k++) {
        char *all = NULL;
        for (size_t i = 0; i < l->card_count[k]; i++) {
            const struct keycard_braille
                *bl = &l->braille[l->card_first[k] + i];
            char *u = braille_to_unicode(bl->cells, bl->n);
            char *t = all == NULL ? xstrdup(u)
                                  : xasprintf("%s\u2800%s", all, u);
            free(all);
            free(u);
            all = t;
        }
        fprintf(f,
                "     <g id=\"braille-card-%s\" data-lang=\"%s\" "
                "data-braille=\"%s\" data-text=\"",
                keycard_langs[k], keycard_langs[k], all != NULL ? all : "");
        free(all);
        sheet_xml_text(f, l->card_text[k]);
        fputs("\">\n", f);
        for (size_t i = 0; i < l->card_count[k]; i++)
            svg_braille(f, &l->braille[l->card_first[k] + i]);
        fputs("     </g>\n", f);
    }
    for (size_t r = 0; r < l->n_rows; r++) {
        for (size_t k = 0; k < KEYCARD_N_LANGS; k++)
            svg_braille(f, &l->braille[l->rows[r].braille[k]]);
    }
    fprintf(f,
            "    </g>\n    <g id=\"symbols\" stroke=\"#000000\" "
            "stroke-width=\"%s\" stroke-linecap=\"round\" "
            "stroke-linejoin=\"round\">\n",
            sheet_num(a, TACTILE_LINE_MM));
    for (size_t i = 0; i < l->n_labels; i++) {
        char id[64];
        (void)snprintf(id, sizeof id, "symbol-%s", l->labels[i].key_id);
        svg_symbol(f, id, l->labels[i].key_id, &l->labels[i].symbol);
    }
    for (size_t r = 0; r < l->n_rows; r++) {
        char id[64];
        (void)snprintf(id, sizeof id, "legend-symbol-%s",
                       action_id(l->rows[r].action));
        svg_symbol(f, id, NULL, &l->rows[r].symbol);
    }
    fputs("    </g>\n  </g>\n", f);

    fprintf(f,
            "  <g id=\"print\" inkscape:groupmode=\"layer\" "
            "inkscape:label=\"print\" fill=\"#000000\" stroke=\"none\">\n"
            "    <g id=\"keypad-keys\" fill=\"none\" stroke=\"#808080\" "
            "stroke-width=\"%s\">",
            sheet_num(a, KEY_LINE_MM));
    for (size_t i = 0; i < l->n_pad_keys; i++)
        svg_rect(f, "", &l->pad_keys[i]);
    for (size_t i = 0; i < l->n_labels; i++)
        if (!l->labels[i].on_keypad)
            svg_rect(f, "", &l->labels[i].cell);
    fputs("</g>\n", f);
    for (size_t i = 0; i < l->n_texts; i++) {
        const struct keycard_text *t = &l->texts[i];
        fprintf(f,
                "    <text id=\"text-%zu\" x=\"%s\" y=\"%s\" "
                "font-family=\"%s\" font-size=\"%s\" font-weight=\"%s\">",
                i + 1, sheet_num(a, t->x), sheet_num(b, t->y),
                sheet_font_family(t->font), sheet_num(c, t->size),
                sheet_font_bold(t->font) ? "bold" : "normal");
        sheet_xml_text(f, t->text);
        fputs("</text>\n", f);
    }
    fprintf(f,
            "    <path id=\"scale-50mm\" d=\"M %s %s h 50\" fill=\"none\" "
            "stroke=\"#000000\" stroke-width=\"%s\"/>\n  </g>\n</svg>\n",
            sheet_num(a, l->scale_x), sheet_num(b, l->scale_y),
            sheet_num(c, LINE_MM));
    return ferror(f) ? -1 : 0;
}

static void
cairo_symbol(cairo_t *cr, const struct tactile_symbol *s)
{
    for (size_t i = 0; i < s->n_paths; i++) {
        const struct tactile_path *p = &s->paths[i];
        cairo_new_path(cr);
        for (size_t k = 0; k < p->n; k++)
            cairo_line_to(cr, p->x[k], p->y[k]);
        if (p->closed)
            cairo_close_path(cr);
        if (p->fill)
            cairo_fill(cr);
        else
            cairo_stroke(cr);
    }
}

static void
page_draw(cairo_t *cr, const struct sheet_paint *p, void *arg)
{
    const struct page *pg = arg;
    const struct keycard_layout *l = pg->l;
    sheet_paint_set(cr, p, SHEET_INK);
    cairo_set_line_width(cr, LINE_MM);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    const struct keycard_rect *r = &l->card;
    cairo_move_to(cr, r->x, r->y);
    cairo_line_to(cr, r->x + r->w - l->corner_cut, r->y);
    cairo_line_to(cr, r->x + r->w, r->y + l->corner_cut);
    cairo_line_to(cr, r->x + r->w, r->y + r->h);
    cairo_line_to(cr, r->x, r->y + r->h);
    cairo_close_path(cr);
    cairo_stroke(cr);
    for (size_t i = 0; i < l->n_labels; i++) {
        const struct keycard_rect *c = &l->labels[i].cut;
        cairo_rectangle(cr, c->x, c->y, c->w, c->h);
    }
    cairo_stroke(cr);

    /* The keys, lighter, so that the labels stand out. */
    cairo_save(cr);
    if (p->coverage)
        cairo_set_source_rgba(cr, 0, 0, 0, 0.5);
    else
        cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_set_line_width(cr, KEY_LINE_MM);
    for (size_t i = 0; i < l->n_pad_keys; i++) {
        const struct keycard_rect *c = &l->pad_keys[i];
        cairo_rectangle(cr, c->x, c->y, c->w, c->h);
    }
    for (size_t i = 0; i < l->n_labels; i++) {
        const struct keycard_rect *c = &l->labels[i].cell;
        if (!l->labels[i].on_keypad)
            cairo_rectangle(cr, c->x, c->y, c->w, c->h);
    }
    cairo_stroke(cr);
    cairo_restore(cr);

    for (size_t i = 0; i < l->n_braille; i++)
        sheet_braille_path(cr, l->braille[i].cells, l->braille[i].n,
                           l->braille[i].x, l->braille[i].y);
    cairo_fill(cr);

    cairo_save(cr);
    cairo_set_line_width(cr, TACTILE_LINE_MM);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t i = 0; i < l->n_labels; i++)
        cairo_symbol(cr, &l->labels[i].symbol);
    for (size_t i = 0; i < l->n_rows; i++)
        cairo_symbol(cr, &l->rows[i].symbol);
    cairo_restore(cr);

    for (size_t i = 0; i < l->n_texts; i++) {
        const struct keycard_text *t = &l->texts[i];
        sheet_font_select(cr, t->font, t->size);
        cairo_move_to(cr, t->x, t->y);
        cairo_show_text(cr, t->text);
    }
    cairo_new_path(cr);
    cairo_move_to(cr, l->scale_x, l->scale_y);
    cairo_line_to(cr, l->scale_x + 50, l->scale_y);
    cairo_stroke(cr);
}

int
keycard_write(const struct keyprofile *p, const char *name,
              const char *out_path, char **why)
{
    enum sheet_format format;
    struct keycard_layout *l = NULL;
    if (sheet_format_of(out_path, "keypad card", &format, why) != 0)
        return -1;
    if (keycard_layout_new(p, name, &l, why) != 0)
        return -1;
    struct page pg = {l, name};
    char *title = xasprintf("dauys keypad card: %s", name);
    struct sheet_page page = {l->page_w, l->page_h, title,
                              page_svg,  page_draw, &pg};
    int rc = sheet_write(out_path, "keypad card", &page, why);
    free(title);
    keycard_layout_free(l);
    return rc;
}
