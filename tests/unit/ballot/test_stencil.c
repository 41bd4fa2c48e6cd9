/*
 * Ballot stencils: what the commission would notice. Every window is cut
 * exactly over its box (checked by reading back our own SVG), the PDF page
 * is the paper's size, the PNG has 300 dpi and Braille dots where the layout
 * put them, refusals name the option and leave no file behind, and titles
 * are XML-escaped. Ballots are built in memory, as package.c would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cairo.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accessibility/xalloc.h"
#include "ballot/braille.h"
#include "ballot/stencil.h"
#include "ballot/stencil_layout.h"
#include "tests/unit/unit.h"

#define MAX_OPTIONS 64

/* Fontconfig keeps its configuration, loaded on first use of a font, for
 * the life of the process and has LeakSanitizer report it; the stencil code
 * itself must leak nothing. Read by LeakSanitizer in sanitized builds. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

struct fixture {
    struct election e;
    struct election_ballot b;
    struct election_option o[MAX_OPTIONS];
    char dir[64];
};

/* A ballot of N options with BOX_MM square boxes at X_MM, the first at
 * TOP_MM and then every PITCH_MM, on a W x H paper. */
static void
ballot_init(struct fixture *fx, size_t n, double w, double h,
            enum corner_cut corner, double x_mm, double top_mm, double pitch_mm,
            double box_mm)
{
    memset(&fx->e, 0, sizeof fx->e);
    memset(&fx->b, 0, sizeof fx->b);
    memset(fx->o, 0, sizeof fx->o);
    strcpy(fx->e.id, "2026-maslikhat-district-12");
    strcpy(fx->e.hash, "0123456789abcdef0123456789abcdef"
                       "0123456789abcdef0123456789abcdef");
    strcpy(fx->e.date, "2026-03-15");
    fx->e.n_ballots = 1;
    fx->e.ballots = &fx->b;
    strcpy(fx->b.id, "district-12");
    fx->b.title.s[ELECTION_KK] = (char *)"Аудандық мәслихат депутаттығына "
                                         "кандидаттар, № 12 округ";
    fx->b.title.s[ELECTION_RU] = (char *)"Кандидаты в депутаты районного "
                                         "маслихата, округ № 12";
    fx->b.max_marks = 1;
    fx->b.paper_w_mm = w;
    fx->b.paper_h_mm = h;
    fx->b.corner_cut = corner;
    fx->b.n_options = n;
    fx->b.options = fx->o;
    for (size_t i = 0; i < n; i++) {
        (void)snprintf(fx->o[i].id, sizeof fx->o[i].id, "c%02zu", i + 1);
        fx->o[i].position = (int)i + 1;
        fx->o[i].box = (struct election_box){x_mm,
                                             top_mm + (double)i * pitch_mm,
                                             box_mm, box_mm};
    }
}

/* The usual A4 single-mandate ballot: 16 candidates, boxes at the right. */
static void
ballot_a4_16(struct fixture *fx)
{
    ballot_init(fx, 16, 210, 297, CORNER_TOP_RIGHT, 180, 40, 15, 10);
}

static int
setup(void **state)
{
    struct fixture *fx = xcalloc(1, sizeof *fx);
    const char *tmp = getenv("TMPDIR");
    (void)snprintf(fx->dir, sizeof fx->dir, "%s/stencil-XXXXXX",
                   tmp != NULL && strlen(tmp) < 40 ? tmp : "/tmp");
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;
    DIR *d = opendir(fx->dir);
    if (d != NULL) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (de->d_name[0] == '.')
                continue;
            char *p = xasprintf("%s/%s", fx->dir, de->d_name);
            (void)unlink(p);
            free(p);
        }
        closedir(d);
    }
    (void)rmdir(fx->dir);
    free(fx);
    return 0;
}

static char *
path_in(const struct fixture *fx, const char *name)
{
    return xasprintf("%s/%s", fx->dir, name);
}

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap + 1);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = xrealloc(buf, cap + 1);
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}

static size_t
files_in(const struct fixture *fx)
{
    size_t n = 0;
    DIR *d = opendir(fx->dir);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        n += de->d_name[0] != '.';
    closedir(d);
    return n;
}

/* Reads the number in attribute NAME of the element starting at EL. */
static double
attr(const char *el, const char *name)
{
    char *key = xasprintf(" %s=\"", name);
    const char *end = strchr(el, '>');
    const char *p = strstr(el, key);
    assert_non_null(p);
    assert_true(end == NULL || p < end);
    double v = strtod(p + strlen(key), NULL);
    free(key);
    return v;
}

static void
test_typical_ballot_is_accepted(void **state)
{
    struct fixture *fx = *state;
    ballot_a4_16(fx);
    char *why = NULL;
    assert_int_equal(stencil_check(&fx->b, 2, &why), 0);
    assert_null(why);
    /* A5, four parties, boxes 14 x 10 at x 122 as in the package spec. */
    ballot_init(fx, 4, 148, 210, CORNER_TOP_RIGHT, 122, 38, 20, 12);
    assert_int_equal(stencil_check(&fx->b, STENCIL_DEFAULT_MARGIN_MM, &why), 0);
    assert_null(why);
}

static void
test_layout_keeps_labels_off_windows(void **state)
{
    struct fixture *fx = *state;
    ballot_a4_16(fx);
    struct stencil_layout *l = NULL;
    char *why = NULL;
    assert_int_equal(stencil_layout_new(&fx->e, &fx->b, 2, &l, &why), 0);
    assert_int_equal(l->n_windows, 16);
    for (size_t i = 0; i < l->n_windows; i++) {
        const struct stencil_window *w = &l->windows[i];
        /* Boxes are at the right, so labels face the middle: the left. */
        assert_int_equal(w->side, STENCIL_LEFT);
        assert_true(w->label.x + w->label.w <= w->cut.x);
        assert_true(w->label.x >= STENCIL_EDGE_MM);
        for (size_t j = 0; j < l->n_windows; j++) {
            const struct stencil_rect *o = &l->windows[j].cut;
            int apart = w->label.x + w->label.w <= o->x ||
                        o->x + o->w <= w->label.x ||
                        w->label.y + w->label.h <= o->y ||
                        o->y + o->h <= w->label.y;
            assert_true(apart);
        }
        /* The Braille cells sit beside the window, centred on it. */
        double braille_mid = w->dot1_y + BRAILLE_DOT_PITCH_MM;
        assert_true(fabs(braille_mid - (w->cut.y + w->cut.h / 2)) < 0.01);
    }
    /* The QR block is on the paper and clear of every window. */
    assert_true(l->qr.x >= STENCIL_EDGE_MM && l->qr.y >= STENCIL_EDGE_MM);
    assert_true(l->qr.x + l->qr.w <= 210 - STENCIL_EDGE_MM);
    for (size_t j = 0; j < l->n_windows; j++) {
        const struct stencil_rect *o = &l->windows[j].cut;
        assert_true(l->qr.x + l->qr.w <= o->x || o->x + o->w <= l->qr.x ||
                    l->qr.y + l->qr.h <= o->y || o->y + o->h <= l->qr.y);
    }
    assert_true(l->n_texts >= 3);
    stencil_layout_free(l);
}

static void
test_window_leaving_paper_is_refused(void **state)
{
    struct fixture *fx = *state;
    ballot_init(fx, 3, 148, 210, CORNER_NONE, 122, 40, 20, 10);
    fx->o[2].box.x_mm = 137; /* box ends at 147 mm, window at 149 mm */
    char *why = unit_refused(stencil_check(&fx->b, 2, unit_why()));
    assert_non_null(why);
    assert_non_null(strstr(why, "window 3 (option c03) leaves the paper"));
    assert_non_null(strstr(why, "--margin-mm"));
    assert_null(strstr(why, "window 1"));
    free(why);
    why = NULL;
    /* Without a margin the same ballot fits. */
    assert_int_equal(stencil_check(&fx->b, 0, &why), 0);
}

static void
test_overlapping_windows_are_refused(void **state)
{
    struct fixture *fx = *state;
    /* Boxes 3 mm apart: windows with 2 mm margins overlap by 1 mm. */
    ballot_init(fx, 4, 148, 210, CORNER_TOP_RIGHT, 122, 40, 13, 10);
    char *why = unit_refused(stencil_check(&fx->b, 2, unit_why()));
    assert_non_null(strstr(why, "windows 1 (option c01) and 2 (option c02) "
                                "overlap"));
    assert_non_null(strstr(why, "windows 3 (option c03) and 4 (option c04) "
                                "overlap"));
    free(why);
    why = NULL;
    /* 4.5 mm apart: they would not overlap but leave 0.5 mm of card. */
    ballot_init(fx, 2, 148, 210, CORNER_TOP_RIGHT, 122, 40, 14.5, 10);
    assert_int_equal(stencil_check(&fx->b, 2, &why), -1);
    assert_non_null(strstr(why, "windows 1 (option c01) and 2 (option c02) "
                                "leave only 0.5 mm"));
    free(why);
    why = NULL;
    /* 5 mm apart: exactly the 1 mm bridge, accepted. */
    ballot_init(fx, 2, 148, 210, CORNER_TOP_RIGHT, 122, 40, 15, 10);
    assert_int_equal(stencil_check(&fx->b, 2, &why), 0);
}

static void
test_window_in_cut_corner_is_refused(void **state)
{
    struct fixture *fx = *state;
    ballot_init(fx, 2, 148, 210, CORNER_TOP_RIGHT, 136, 4, 30, 8);
    char *why = unit_refused(stencil_check(&fx->b, 2, unit_why()));
    assert_non_null(strstr(why, "window 1 (option c01) reaches into the cut "
                                "top-right corner"));
    free(why);
    why = NULL;
    fx->b.corner_cut = CORNER_NONE;
    assert_int_equal(stencil_check(&fx->b, 2, &why), 0);
    /* The mirror case. */
    ballot_init(fx, 2, 148, 210, CORNER_TOP_LEFT, 4, 4, 30, 8);
    assert_int_equal(stencil_check(&fx->b, 2, &why), -1);
    assert_non_null(strstr(why, "top-left corner"));
    free(why);
}

static void
test_label_without_room_is_refused(void **state)
{
    struct fixture *fx = *state;
    /* A 40 mm box on a 60 mm wide paper: 8 mm on either side, too little
     * for the Braille cells and the number. */
    ballot_init(fx, 3, 60, 210, CORNER_NONE, 10, 20, 50, 40);
    char *why = unit_refused(stencil_check(&fx->b, 0, unit_why()));
    assert_non_null(strstr(why, "no room for the Braille and large-print "
                                "number of window 1 (option c01)"));
    assert_non_null(strstr(why, "window 3 (option c03)"));
    free(why);
}

static void
test_labels_alternate_when_rows_are_tight(void **state)
{
    struct fixture *fx = *state;
    /* 4 mm boxes 5 mm apart, no margin: one side cannot take every label,
     * the middle of the paper leaves room on both. */
    ballot_init(fx, 6, 148, 210, CORNER_NONE, 70, 60, 5, 4);
    struct stencil_layout *l = NULL;
    char *why = NULL;
    assert_int_equal(stencil_layout_new(&fx->e, &fx->b, 0, &l, &why), 0);
    assert_int_not_equal(l->windows[0].side, l->windows[1].side);
    stencil_layout_free(l);
}

static void
test_bad_margin_is_refused(void **state)
{
    struct fixture *fx = *state;
    ballot_a4_16(fx);
    char *why = unit_refused(stencil_check(&fx->b, -1, unit_why()));
    assert_non_null(strstr(why, "margin"));
    free(why);
    why = NULL;
    assert_int_equal(stencil_check(&fx->b, NAN, &why), -1);
    free(why);
    why = NULL;
    assert_int_equal(stencil_check(&fx->b, STENCIL_MAX_MARGIN_MM + 1, &why),
                     -1);
    free(why);
}

static void
test_svg_windows_over_boxes(void **state)
{
    struct fixture *fx = *state;
    ballot_a4_16(fx);
    fx->o[3].box.x_mm = 176.35; /* not a whole number */
    fx->o[3].box.w_mm = 12.7;
    char *out = path_in(fx, "s.svg");
    char *why = NULL;
    const double margin = 1.75;
    assert_int_equal(stencil_write(&fx->e, &fx->b, margin, out, &why), 0);
    assert_null(why);
    char *svg = slurp(out, NULL);
    assert_non_null(strstr(svg, "width=\"210mm\" height=\"297mm\" "
                                "viewBox=\"0 0 210 297\""));
    for (size_t i = 0; i < fx->b.n_options; i++) {
        char *key = xasprintf("<rect id=\"window-%zu\" ", i + 1);
        const char *el = strstr(svg, key);
        assert_non_null(el);
        const struct election_box *b = &fx->o[i].box;
        assert_true(fabs(attr(el, "x") - (b->x_mm - margin)) < 0.1);
        assert_true(fabs(attr(el, "y") - (b->y_mm - margin)) < 0.1);
        assert_true(fabs(attr(el, "width") - (b->w_mm + 2 * margin)) < 0.1);
        assert_true(fabs(attr(el, "height") - (b->h_mm + 2 * margin)) < 0.1);
        free(key);
        /* As many dots as the Braille number has. */
        uint8_t cells[BRAILLE_NUMBER_MAX_CELLS];
        size_t n = braille_number(i + 1, cells, sizeof cells);
        int dots = 0;
        for (size_t c = 0; c < n; c++)
            for (int d = 1; d <= 6; d++)
                dots += braille_has_dot(cells[c], d);
        key = xasprintf("<g id=\"braille-%zu\">", i + 1);
        el = strstr(svg, key);
        assert_non_null(el);
        const char *end = strstr(el, "</g>");
        int circles = 0;
        for (const char *p = el; (p = strstr(p, "<circle")) != NULL && p < end;
             p++)
            circles++;
        assert_int_equal(circles, dots);
        free(key);
    }
    /* The windows are cut lines: they are inside the cut group. */
    const char *cut = strstr(svg, "<g id=\"cut\"");
    assert_non_null(cut);
    assert_true(strstr(svg, "<rect id=\"window-1\"") > cut);
    assert_true(strstr(svg, "<rect id=\"window-16\"") < strstr(cut, "</g>"));
    assert_non_null(strstr(svg, "<g id=\"braille\""));
    assert_non_null(strstr(svg, "<g id=\"print\""));
    assert_non_null(strstr(svg, "<g id=\"qr\""));
    /* The outline has the 10 mm top-right cut. */
    assert_non_null(strstr(svg, "d=\"M 0 0 H 200 L 210 10 V 297 H 0 Z\""));
    /* The hash in print, grouped as the terminal shows it. */
    assert_non_null(strstr(svg, "SHA-256 0123 4567"));
    assert_non_null(strstr(svg, ">16</text>"));
    free(svg);
    free(out);
}

static void
test_svg_text_is_escaped(void **state)
{
    struct fixture *fx = *state;
    ballot_a4_16(fx);
    fx->b.title.s[ELECTION_KK] = (char *)"«Нұр & Отан» <партия> \"1\"";
    char *out = path_in(fx, "escaped.svg");
    char *why = NULL;
    assert_int_equal(stencil_write(&fx->e, &fx->b, 2, out, &why), 0);
    char *svg = slurp(out, NULL);
    assert_non_null(
        strstr(svg, "«Нұр &amp; Отан» &lt;партия&gt; &quot;1&quot;"));
    assert_null(strstr(svg, "<партия>"));
    assert_null(strstr(svg, "& "));
    free(svg);
    free(out);
}

static void
test_long_title_is_shortened(void **state)
{
    struct fixture *fx = *state;
    ballot_a4_16(fx);
    char *long_title = xmalloc(2001);
    for (size_t i = 0; i < 1000; i++)
        memcpy(long_title + 2 * i, "Ә", 2);
    long_title[2000] = '\0';
    fx->b.title.s[ELECTION_KK] = long_title;
    struct stencil_layout *l = NULL;
    char *why = NULL;
    assert_int_equal(stencil_layout_new(&fx->e, &fx->b, 2, &l, &why), 0);
    const char *t = l->texts[0].text;
    size_t len = strlen(t);
    assert_true(len > 3 && len < 400);
    assert_string_equal(t + len - 3, "…");
    assert_true(l->texts[0].width <= 210);
    stencil_layout_free(l);
    free(long_title);

    /* Words wrap onto a second line before anything is cut. */
    ballot_init(fx, 4, 148, 210, CORNER_TOP_RIGHT, 118, 49, 22, 14);
    fx->b.title.s[ELECTION_KK] =
        (char *)"Аудандық мәслихат депутатын № 7 Алмалы бір мандатты "
                "сайлау округі бойынша сайлауға арналған сайлау бюллетені";
    assert_int_equal(stencil_layout_new(&fx->e, &fx->b, 2, &l, &why), 0);
    assert_true(l->n_texts == 5 || l->n_texts == 6);
    assert_true(strncmp(fx->b.title.s[ELECTION_KK], l->texts[0].text,
                        strlen(l->texts[0].text)) == 0);
    assert_true(strlen(l->texts[0].text) > 10);
    assert_int_equal(fx->b.title.s[ELECTION_KK][strlen(l->texts[0].text)], ' ');
    assert_true(l->texts[0].width <= 148 - 2 * STENCIL_EDGE_MM);
    stencil_layout_free(l);
}

static void
test_pdf_page_is_paper_size(void **state)
{
    struct fixture *fx = *state;
    ballot_init(fx, 4, 148, 210, CORNER_TOP_LEFT, 122, 38, 20, 12);
    char *out = path_in(fx, "s.pdf");
    char *why = NULL;
    assert_int_equal(stencil_write(&fx->e, &fx->b, 2, out, &why), 0);
    size_t len;
    char *pdf = slurp(out, &len);
    assert_memory_equal(pdf, "%PDF-", 5);
    /* The PDF holds binary streams: search all of it, not up to a NUL. */
    const char *mb = memmem(pdf, len, "/MediaBox [", 11);
    assert_non_null(mb);
    double x0, y0, x1, y1;
    assert_int_equal(sscanf(mb, "/MediaBox [ %lf %lf %lf %lf", &x0, &y0, &x1,
                            &y1),
                     4);
    assert_true(fabs(x1 - x0 - 148 / 25.4 * 72) < 0.01);
    assert_true(fabs(y1 - y0 - 210 / 25.4 * 72) < 0.01);
    free(pdf);
    free(out);
}

static void
test_png_is_300_dpi_with_dots(void **state)
{
    struct fixture *fx = *state;
    ballot_a4_16(fx);
    char *out = path_in(fx, "s.PNG");
    char *why = NULL;
    assert_int_equal(stencil_write(&fx->e, &fx->b, 2, out, &why), 0);
    cairo_surface_t *s = cairo_image_surface_create_from_png(out);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(s),
                     (int)lround(210 / 25.4 * 300));
    assert_int_equal(cairo_image_surface_get_height(s),
                     (int)lround(297 / 25.4 * 300));
    struct stencil_layout *l = NULL;
    assert_int_equal(stencil_layout_new(&fx->e, &fx->b, 2, &l, &why), 0);
    cairo_surface_flush(s);
    const unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    double k = 300 / 25.4;
    for (size_t i = 0; i < l->n_windows; i++) {
        const struct stencil_window *w = &l->windows[i];
        /* Dot 3 of the number sign is raised: black at its centre. */
        int x = (int)(w->dot1_x * k), y = (int)((w->dot1_y + 5) * k);
        uint32_t p;
        memcpy(&p, px + y * stride + 4 * x, 4);
        assert_int_equal(p & 0xFFFFFF, 0x000000);
        /* Dot 1 of the number sign is not: white. */
        x = (int)(w->dot1_x * k);
        y = (int)(w->dot1_y * k);
        memcpy(&p, px + y * stride + 4 * x, 4);
        assert_int_equal(p & 0xFFFFFF, 0xFFFFFF);
        /* The middle of the window is open. */
        x = (int)((w->cut.x + w->cut.w / 2) * k);
        y = (int)((w->cut.y + w->cut.h / 2) * k);
        memcpy(&p, px + y * stride + 4 * x, 4);
        assert_int_equal(p & 0xFFFFFF, 0xFFFFFF);
    }
    stencil_layout_free(l);
    cairo_surface_destroy(s);
    free(out);
}

static void
test_unknown_extension_writes_nothing(void **state)
{
    struct fixture *fx = *state;
    ballot_a4_16(fx);
    char *out = path_in(fx, "stencil.jpg");
    char *why = unit_refused(stencil_write(&fx->e, &fx->b, 2, out, unit_why()));
    assert_non_null(strstr(why, ".svg"));
    assert_non_null(strstr(why, ".pdf"));
    assert_non_null(strstr(why, ".png"));
    free(why);
    why = NULL;
    enum stencil_format f;
    assert_int_equal(stencil_format_of("dir.svg/stencil", &f, &why), -1);
    free(why);
    assert_int_equal(files_in(fx), 0);
    free(out);
}

static void
test_refused_stencil_keeps_old_file(void **state)
{
    struct fixture *fx = *state;
    ballot_init(fx, 4, 148, 210, CORNER_TOP_RIGHT, 122, 40, 13, 10);
    char *out = path_in(fx, "old.svg");
    FILE *f = fopen(out, "w");
    assert_non_null(f);
    fputs("previous stencil\n", f);
    fclose(f);
    char *why = unit_refused(stencil_write(&fx->e, &fx->b, 2, out, unit_why()));
    assert_non_null(strstr(why, "overlap"));
    free(why);
    char *text = slurp(out, NULL);
    assert_string_equal(text, "previous stencil\n");
    free(text);
    assert_int_equal(files_in(fx), 1);
    free(out);
}

static void
test_missing_folder_is_reported(void **state)
{
    struct fixture *fx = *state;
    ballot_a4_16(fx);
    char *out = path_in(fx, "no/such/folder/s.png");
    char *why = unit_refused(stencil_write(&fx->e, &fx->b, 2, out, unit_why()));
    assert_non_null(strstr(why, "no/such/folder/s.png"));
    assert_non_null(strstr(why, "No such file"));
    free(why);
    free(out);
}

static void
test_qr_text(void **state)
{
    struct fixture *fx = *state;
    ballot_a4_16(fx);
    char *s = stencil_qr_text(&fx->e, &fx->b);
    assert_string_equal(s, "dauys-election:2026-maslikhat-district-12:"
                           "0123456789abcdef0123456789abcdef"
                           "0123456789abcdef0123456789abcdef:district-12");
    free(s);
    /* The longest ids still fit the fixed QR version. */
    memset(fx->e.id, 'a', 64);
    fx->e.id[64] = '\0';
    memset(fx->b.id, 'b', 64);
    fx->b.id[64] = '\0';
    char *out = path_in(fx, "long.png");
    char *why = NULL;
    assert_int_equal(stencil_write(&fx->e, &fx->b, 2, out, &why), 0);
    free(out);
}

UNIT_MAIN(NULL, NULL, UNIT_FRESH(test_typical_ballot_is_accepted),
          UNIT_FRESH(test_layout_keeps_labels_off_windows),
          UNIT_FRESH(test_window_leaving_paper_is_refused),
          UNIT_FRESH(test_overlapping_windows_are_refused),
          UNIT_FRESH(test_window_in_cut_corner_is_refused),
          UNIT_FRESH(test_label_without_room_is_refused),
          UNIT_FRESH(test_labels_alternate_when_rows_are_tight),
          UNIT_FRESH(test_bad_margin_is_refused),
          UNIT_FRESH(test_svg_windows_over_boxes),
          UNIT_FRESH(test_svg_text_is_escaped),
          UNIT_FRESH(test_long_title_is_shortened),
          UNIT_FRESH(test_pdf_page_is_paper_size),
          UNIT_FRESH(test_png_is_300_dpi_with_dots),
          UNIT_FRESH(test_unknown_extension_writes_nothing),
          UNIT_FRESH(test_refused_stencil_keeps_old_file),
          UNIT_FRESH(test_missing_folder_is_reported), UNIT_FRESH(test_qr_text))
