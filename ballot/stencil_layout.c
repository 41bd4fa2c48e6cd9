/*
 * Stencil layout. Three passes over the ballot, each stricter than the
 * last: the windows (the box grown by the margin) must fit on the paper and
 * apart from each other; only then is each window's number label placed,
 * in position order, on its preferred side or else the other; only then is
 * the QR/title block placed in the first free spot, scanning the candidate
 * corners that the obstacles create (the classic bottom-left packing
 * candidates, ordered top to bottom, left to right). Each pass reports every
 * problem it finds, so a commission fixes its package in one round.
 *
 * Distances between rectangles are measured as the larger of the horizontal
 * and vertical gaps: two rectangles are "at least d apart" when one of the
 * gaps is at least d. The cut corner is a 45-degree triangle; clearances to
 * it are measured perpendicular to the cut line.
 */
#include "ballot/stencil_layout.h"

#include <assert.h>
#include <cairo.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/readout.h"
#include "accessibility/xalloc.h"
#include "ballot/sheet.h"

/* Rounding of millimetre values read from JSON must not refuse a layout
 * that is exactly at a limit. */
#define EPS 1e-6

/* The narrowest text column beside the QR code. */
#define MIN_TEXT_COLUMN_MM 40.0
#define QR_TEXT_GAP_MM 3.0
#define PX_MM (25.4 / 300)

/* Appends one line to the growing problem list *ACC. */
static void __attribute__((format(printf, 2, 3)))
problem(char **acc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *line = xvasprintf(fmt, ap);
    va_end(ap);
    char *joined = *acc == NULL ? line : xasprintf("%s\n%s", *acc, line);
    if (*acc != NULL) {
        free(*acc);
        free(line);
    }
    *acc = joined;
}

/* The larger of the horizontal and vertical gaps between A and B; negative
 * when they overlap. */
static double
rect_gap(const struct stencil_rect *a, const struct stencil_rect *b)
{
    double dx = fmax(a->x - (b->x + b->w), b->x - (a->x + a->w));
    double dy = fmax(a->y - (b->y + b->h), b->y - (a->y + a->h));
    return fmax(dx, dy);
}

/* Distance from R to the cut line, positive when R is clear of the cut
 * triangle; +INFINITY when the paper has no cut. */
static double
cut_distance(const struct stencil_layout *l, const struct stencil_rect *r)
{
    switch (l->corner) {
    case CORNER_TOP_LEFT:
        return (r->x + r->y - l->corner_cut) / sqrt(2.0);
    case CORNER_TOP_RIGHT:
        return ((l->paper_w - l->corner_cut) - (r->x + r->w - r->y)) /
               sqrt(2.0);
    case CORNER_NONE:
        break;
    }
    return INFINITY;
}

static const char *
side_name(enum stencil_side s)
{
    return s == STENCIL_LEFT ? "left" : "right";
}

static int
check_windows(struct stencil_layout *l, double margin, char **acc)
{
    int bad = 0;
    for (size_t i = 0; i < l->n_windows; i++) {
        const struct stencil_window *w = &l->windows[i];
        const struct stencil_rect *r = &w->cut;
        if (r->x < -EPS || r->y < -EPS || r->x + r->w > l->paper_w + EPS ||
            r->y + r->h > l->paper_h + EPS) {
            problem(acc,
                    "window %d (option %s) leaves the paper: with a %g mm "
                    "margin it spans x %g..%g mm, y %g..%g mm, but the paper "
                    "is %g x %g mm; move the box or use a smaller "
                    "--margin-mm",
                    w->option->position, w->option->id, margin, r->x,
                    r->x + r->w, r->y, r->y + r->h, l->paper_w, l->paper_h);
            bad = 1;
        } else if (cut_distance(l, r) < -EPS) {
            problem(acc,
                    "window %d (option %s) reaches into the cut %s corner "
                    "(the cut takes %g mm off each edge); move the box or "
                    "use a smaller --margin-mm",
                    w->option->position, w->option->id,
                    l->corner == CORNER_TOP_LEFT ? "top-left" : "top-right",
                    l->corner_cut);
            bad = 1;
        }
    }
    for (size_t i = 0; i < l->n_windows; i++) {
        for (size_t j = i + 1; j < l->n_windows; j++) {
            const struct stencil_window *a = &l->windows[i];
            const struct stencil_window *b = &l->windows[j];
            double gap = rect_gap(&a->cut, &b->cut);
            if (gap >= STENCIL_MIN_BRIDGE_MM - EPS)
                continue;
            if (gap <= EPS)
                problem(acc,
                        "windows %d (option %s) and %d (option %s) overlap "
                        "with a %g mm margin; space the boxes further apart "
                        "or use a smaller --margin-mm",
                        a->option->position, a->option->id, b->option->position,
                        b->option->id, margin);
            else
                problem(acc,
                        "windows %d (option %s) and %d (option %s) leave "
                        "only %.2g mm of card between them with a %g mm "
                        "margin (at least %g mm is needed to hold the "
                        "stencil together); space the boxes further apart "
                        "or use a smaller --margin-mm",
                        a->option->position, a->option->id, b->option->position,
                        b->option->id, gap, margin, STENCIL_MIN_BRIDGE_MM);
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

/* Whether R may hold printing: on the paper with its edge kept, clear of
 * the cut, of every window and of the first N_LABELS labels. */
static int
rect_free(const struct stencil_layout *l, const struct stencil_rect *r,
          size_t n_labels)
{
    if (r->x < STENCIL_EDGE_MM - EPS || r->y < STENCIL_EDGE_MM - EPS ||
        r->x + r->w > l->paper_w - STENCIL_EDGE_MM + EPS ||
        r->y + r->h > l->paper_h - STENCIL_EDGE_MM + EPS)
        return 0;
    if (cut_distance(l, r) < STENCIL_EDGE_MM - EPS)
        return 0;
    for (size_t i = 0; i < l->n_windows; i++) {
        if (rect_gap(r, &l->windows[i].cut) < STENCIL_CLEARANCE_MM - EPS)
            return 0;
    }
    for (size_t i = 0; i < n_labels; i++) {
        if (rect_gap(r, &l->windows[i].label) < STENCIL_CLEARANCE_MM - EPS)
            return 0;
    }
    return 1;
}

/* Puts the label of window W on SIDE: fills its rectangle, dot and number
 * positions. */
static void
label_on_side(struct stencil_window *w, enum stencil_side side,
              const cairo_text_extents_t *num)
{
    double bw = (double)(w->n_cells - 1) * BRAILLE_CELL_PITCH_MM +
                BRAILLE_CELL_WIDTH_MM;
    double bh = BRAILLE_CELL_HEIGHT_MM;
    double lh = fmax(bh, num->height);
    double cy = w->cut.y + w->cut.h / 2;
    double bx, nx;
    if (side == STENCIL_LEFT) {
        bx = w->cut.x - STENCIL_LABEL_GAP_MM - bw;
        nx = bx - STENCIL_NUMBER_GAP_MM - num->width;
        w->label = (struct stencil_rect){nx, cy - lh / 2, bx + bw - nx, lh};
    } else {
        bx = w->cut.x + w->cut.w + STENCIL_LABEL_GAP_MM;
        nx = bx + bw + STENCIL_NUMBER_GAP_MM;
        w->label = (struct stencil_rect){bx, cy - lh / 2, nx + num->width - bx,
                                         lh};
    }
    w->side = side;
    w->dot1_x = bx + BRAILLE_DOT_DIAMETER_MM / 2;
    w->dot1_y = cy - bh / 2 + BRAILLE_DOT_DIAMETER_MM / 2;
    w->number_x = nx - num->x_bearing;
    w->number_y = cy - (num->y_bearing + num->height / 2);
}

static int
place_labels(struct stencil_layout *l, struct sheet_measure *m, char **acc)
{
    int bad = 0;
    for (size_t i = 0; i < l->n_windows; i++) {
        struct stencil_window *w = &l->windows[i];
        cairo_text_extents_t num;
        sheet_measure_text(m, SHEET_FONT_SANS_BOLD, STENCIL_NUMBER_SIZE_MM,
                           w->number, &num);
        enum stencil_side first = w->cut.x + w->cut.w / 2 > l->paper_w / 2
                                      ? STENCIL_LEFT
                                      : STENCIL_RIGHT;
        enum stencil_side second = first == STENCIL_LEFT ? STENCIL_RIGHT
                                                         : STENCIL_LEFT;
        label_on_side(w, first, &num);
        if (rect_free(l, &w->label, i))
            continue;
        label_on_side(w, second, &num);
        if (rect_free(l, &w->label, i))
            continue;
        problem(acc,
                "no room for the Braille and large-print number of window "
                "%d (option %s): it needs %.0f x %.0f mm beside the window, "
                "%g mm from the paper's edges and %g mm from other windows "
                "and labels, on the %s or the %s; space the boxes further "
                "apart or use a smaller --margin-mm",
                w->option->position, w->option->id, w->label.w, w->label.h,
                STENCIL_EDGE_MM, STENCIL_CLEARANCE_MM, side_name(first),
                side_name(second));
        /* Keep a zero-size label so later windows are judged on their own. */
        w->label = (struct stencil_rect){-1e6, -1e6, 0, 0};
        bad = 1;
    }
    return bad ? -1 : 0;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Adds V to the candidate list when a block of size LEN starting at V lies
 * within 0..LIMIT. */
static void
candidate(double *list, size_t *n, double v, double len, double limit)
{
    if (v >= STENCIL_EDGE_MM - EPS && v + len <= limit - STENCIL_EDGE_MM + EPS)
        list[(*n)++] = v;
}

/* Finds the topmost, then leftmost free place for a W x H block; returns 0
 * and sets *AT, or -1. */
static int
place_block(const struct stencil_layout *l, double w, double h,
            struct stencil_rect *at)
{
    size_t cap = 4 * l->n_windows * 2 + 8;
    double *xs = xmalloc(cap * sizeof *xs);
    double *ys = xmalloc(cap * sizeof *ys);
    size_t nx = 0, ny = 0;
    double cut_off = l->corner_cut + STENCIL_EDGE_MM * (sqrt(2.0) - 1);
    candidate(xs, &nx, STENCIL_EDGE_MM, w, l->paper_w);
    candidate(xs, &nx, l->paper_w - STENCIL_EDGE_MM - w, w, l->paper_w);
    candidate(ys, &ny, STENCIL_EDGE_MM, h, l->paper_h);
    candidate(ys, &ny, l->paper_h - STENCIL_EDGE_MM - h, h, l->paper_h);
    candidate(xs, &nx, cut_off, w, l->paper_w);
    candidate(xs, &nx, l->paper_w - cut_off - w, w, l->paper_w);
    candidate(ys, &ny, cut_off, h, l->paper_h);
    for (size_t i = 0; i < l->n_windows; i++) {
        const struct stencil_rect *o[2] = {&l->windows[i].cut,
                                           &l->windows[i].label};
        for (int k = 0; k < 2; k++) {
            double c = STENCIL_CLEARANCE_MM;
            candidate(xs, &nx, o[k]->x + o[k]->w + c, w, l->paper_w);
            candidate(xs, &nx, o[k]->x - c - w, w, l->paper_w);
            candidate(ys, &ny, o[k]->y + o[k]->h + c, h, l->paper_h);
            candidate(ys, &ny, o[k]->y - c - h, h, l->paper_h);
        }
    }
    assert(nx <= cap && ny <= cap);
    qsort(xs, nx, sizeof *xs, cmp_double);
    qsort(ys, ny, sizeof *ys, cmp_double);
    int rc = -1;
    for (size_t j = 0; j < ny && rc != 0; j++) {
        for (size_t i = 0; i < nx; i++) {
            struct stencil_rect r = {xs[i], ys[j], w, h};
            if (rect_free(l, &r, l->n_windows)) {
                *at = r;
                rc = 0;
                break;
            }
        }
    }
    free(xs);
    free(ys);
    return rc;
}

/* Returns TEXT shortened at a character boundary, with "…", so that it is
 * at most MAX_W wide; TEXT itself (copied) when it fits. The caller frees. */
static char *
fit_text(struct sheet_measure *m, enum sheet_font font, double size,
         const char *text, double max_w)
{
    if (sheet_text_width(m, font, size, text) <= max_w + EPS)
        return xstrdup(text);
    size_t len = strlen(text);
    /* Binary search on the byte length of the kept prefix, moved back to
     * a UTF-8 character start. */
    size_t lo = 0, hi = len;
    char *best = xstrdup("…");
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        size_t cut = mid;
        while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
            cut--;
        size_t keep = cut;
        while (keep > 0 && text[keep - 1] == ' ')
            keep--;
        char *candidate_text = xasprintf("%.*s…", (int)keep, text);
        if (sheet_text_width(m, font, size, candidate_text) <= max_w + EPS) {
            free(best);
            best = candidate_text;
            lo = mid;
        } else {
            free(candidate_text);
            hi = mid - 1;
        }
    }
    return best;
}

/* Replaces each newline and tab in S by a space, in place. */
static void
flatten_lines(char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '\n' || *s == '\r' || *s == '\t')
            *s = ' ';
    }
}

/*
 * Splits TEXT into at most two lines no wider than MAX_W: the first ends at
 * the last space that lets it fit, the second holds the rest, shortened
 * with "…" if need be. A first word too long for a line is shortened
 * instead. Fills OUT (the caller frees each) and returns the line count.
 */
static size_t
wrap_two(struct sheet_measure *m, enum sheet_font font, double size,
         const char *text, double max_w, char *out[2])
{
    if (sheet_text_width(m, font, size, text) <= max_w + EPS) {
        out[0] = xstrdup(text);
        return 1;
    }
    size_t n_spaces = 0;
    for (const char *p = text; *p != '\0'; p++)
        n_spaces += *p == ' ';
    size_t *spaces = xmalloc((n_spaces + 1) * sizeof *spaces);
    n_spaces = 0;
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == ' ' && p > text)
            spaces[n_spaces++] = (size_t)(p - text);
    }
    /* Binary search for the last space whose prefix fits. */
    size_t lo = 0, hi = n_spaces; /* answer in [0, hi), 0 = none */
    size_t best = 0;
    int found = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        char *first = xstrndup(text, spaces[mid]);
        if (sheet_text_width(m, font, size, first) <= max_w + EPS) {
            best = mid;
            found = 1;
            lo = mid + 1;
        } else {
            hi = mid;
        }
        free(first);
    }
    if (!found) {
        free(spaces);
        out[0] = fit_text(m, font, size, text, max_w);
        return 1;
    }
    out[0] = xstrndup(text, spaces[best]);
    const char *rest = text + spaces[best];
    while (*rest == ' ')
        rest++;
    out[1] = fit_text(m, font, size, rest, max_w);
    free(spaces);
    return 2;
}

/* The lines of the QR/title block for a text column MAX_W wide. */
struct info_lines {
    size_t n;
    char *text[STENCIL_MAX_TEXTS];
    enum sheet_font font[STENCIL_MAX_TEXTS];
};

static void
info_lines_clear(struct info_lines *il)
{
    for (size_t i = 0; i < il->n; i++)
        free(il->text[i]);
    il->n = 0;
}

/* Fills IL from the titles (two lines each at most), the id line and the
 * hash line; the caller clears it. */
static void
info_lines_make(struct info_lines *il, struct sheet_measure *m,
                char *const *titles, size_t n_titles, const char *id_line,
                const char *hash_line, double max_w)
{
    il->n = 0;
    for (size_t i = 0; i < n_titles; i++) {
        char *parts[2];
        size_t k = wrap_two(m, SHEET_FONT_SANS_BOLD, STENCIL_TEXT_SIZE_MM,
                            titles[i], max_w, parts);
        for (size_t j = 0; j < k; j++) {
            il->font[il->n] = SHEET_FONT_SANS_BOLD;
            il->text[il->n++] = parts[j];
        }
    }
    il->font[il->n] = SHEET_FONT_SANS;
    il->text[il->n++] = fit_text(m, SHEET_FONT_SANS, STENCIL_TEXT_SIZE_MM,
                                 id_line, max_w);
    il->font[il->n] = SHEET_FONT_MONO_BOLD;
    il->text[il->n++] = xstrdup(hash_line);
}

static int
place_info(struct stencil_layout *l, const struct election *e,
           const struct election_ballot *b, struct sheet_measure *m, char **acc)
{
    int rc = -1;
    char *titles[2];
    size_t n_titles = 0;
    static const enum election_lang langs[2] = {ELECTION_KK, ELECTION_RU};
    for (size_t i = 0; i < 2; i++) {
        if (b->title.s[langs[i]] == NULL || b->title.s[langs[i]][0] == '\0')
            continue;
        titles[n_titles] = xstrdup(b->title.s[langs[i]]);
        flatten_lines(titles[n_titles++]);
    }
    char *id_line = e != NULL && e->test ? xasprintf("%s  ТЕСТ / TEST", b->id)
                                         : xstrdup(b->id);
    char hash8[9] = "00000000";
    if (e != NULL)
        memcpy(hash8, e->hash, 8);
    char *grouped = readout_grouped(hash8, 4);
    char *hash_line = xasprintf("SHA-256 %s", grouped);
    free(grouped);

    double q = (STENCIL_QR_MODULES + 2 * STENCIL_QR_QUIET) *
               STENCIL_QR_MODULE_MM;
    double need = sheet_text_width(m, SHEET_FONT_SANS, STENCIL_TEXT_SIZE_MM,
                                   id_line);
    double hash_w = sheet_text_width(m, SHEET_FONT_MONO_BOLD,
                                     STENCIL_TEXT_SIZE_MM, hash_line);
    need = fmax(need, hash_w);
    for (size_t i = 0; i < n_titles; i++)
        need = fmax(need, sheet_text_width(m, SHEET_FONT_SANS_BOLD,
                                           STENCIL_TEXT_SIZE_MM, titles[i]));
    double min_t = fmax(MIN_TEXT_COLUMN_MM, hash_w);
    double max_t = l->paper_w - 2 * STENCIL_EDGE_MM;
    /* Slack so that the QR code can be moved onto the 300 dpi pixel grid
     * inside its block. */
    double slack = PX_MM;
    struct stencil_rect at = {0};
    struct info_lines il = {0};
    double text_h = 0;
    int horizontal = 0, found = 0;
    double t = fmin(fmax(need, min_t), max_t);
    for (;;) {
        info_lines_clear(&il);
        info_lines_make(&il, m, titles, n_titles, id_line, hash_line, t);
        text_h = (double)il.n * STENCIL_LINE_PITCH_MM;
        if (place_block(l, q + slack + QR_TEXT_GAP_MM + t,
                        fmax(q + slack, text_h), &at) == 0) {
            horizontal = 1;
            found = 1;
        } else if (place_block(l, fmax(q + slack, t),
                               q + slack + QR_TEXT_GAP_MM + text_h, &at) == 0) {
            found = 1;
        }
        if (found || t <= min_t + EPS)
            break;
        t = fmax(t - 10, min_t);
    }
    if (!found) {
        problem(acc,
                "no room for the QR code and the printed title and hash: "
                "they need a free area of %.0f x %.0f mm (or %.0f x %.0f mm) "
                "away from the windows and their labels",
                q + QR_TEXT_GAP_MM + min_t, fmax(q, text_h), fmax(q, min_t),
                q + QR_TEXT_GAP_MM + text_h);
        goto done;
    }
    l->qr = (struct stencil_rect){ceil(at.x / PX_MM - EPS) * PX_MM,
                                  ceil(at.y / PX_MM - EPS) * PX_MM, q, q};
    double tx, ty;
    if (horizontal) {
        tx = at.x + slack + q + QR_TEXT_GAP_MM;
        ty = at.y + (fmax(q + slack, text_h) - text_h) / 2;
    } else {
        tx = at.x;
        ty = at.y + q + slack + QR_TEXT_GAP_MM;
    }
    for (size_t i = 0; i < il.n; i++) {
        struct stencil_text *line = &l->texts[i];
        line->font = il.font[i];
        line->size = STENCIL_TEXT_SIZE_MM;
        line->text = il.text[i];
        il.text[i] = NULL;
        line->width = sheet_text_width(m, line->font, line->size, line->text);
        line->x = tx;
        line->y = ty + ((double)i + 0.78) * STENCIL_LINE_PITCH_MM;
    }
    l->n_texts = il.n;
    il.n = 0;
    rc = 0;
done:
    info_lines_clear(&il);
    for (size_t i = 0; i < n_titles; i++)
        free(titles[i]);
    free(id_line);
    free(hash_line);
    return rc;
}

int
stencil_layout_new(const struct election *e, const struct election_ballot *b,
                   double margin_mm, struct stencil_layout **out, char **why)
{
    char *acc = NULL;
    struct sheet_measure m = {0};
    int have_measure = 0;
    struct stencil_layout *l = xcalloc(1, sizeof *l);
    if (!isfinite(margin_mm) || margin_mm < 0 ||
        margin_mm > STENCIL_MAX_MARGIN_MM) {
        problem(&acc,
                "the margin must be a number of millimetres from 0 to "
                "%g, not %g",
                STENCIL_MAX_MARGIN_MM, margin_mm);
        goto fail;
    }
    if (b->n_options == 0) {
        problem(&acc, "ballot %s has no options, so there is nothing to cut",
                b->id);
        goto fail;
    }
    l->paper_w = b->paper_w_mm;
    l->paper_h = b->paper_h_mm;
    l->corner = b->corner_cut;
    l->corner_cut = b->corner_cut == CORNER_NONE ? 0 : STENCIL_CORNER_CUT_MM;
    l->n_windows = b->n_options;
    l->windows = xcalloc(b->n_options, sizeof *l->windows);
    for (size_t i = 0; i < b->n_options; i++) {
        struct stencil_window *w = &l->windows[i];
        const struct election_box *box = &b->options[i].box;
        w->option = &b->options[i];
        w->cut = (struct stencil_rect){box->x_mm - margin_mm,
                                       box->y_mm - margin_mm,
                                       box->w_mm + 2 * margin_mm,
                                       box->h_mm + 2 * margin_mm};
        unsigned long pos = w->option->position > 0
                                ? (unsigned long)w->option->position
                                : 0;
        w->n_cells = braille_number(pos, w->cells, sizeof w->cells);
        (void)snprintf(w->number, sizeof w->number, "%lu", pos);
    }
    if (check_windows(l, margin_mm, &acc) != 0)
        goto fail;
    if (sheet_measure_open(&m, &acc) != 0)
        goto fail;
    have_measure = 1;
    if (place_labels(l, &m, &acc) != 0)
        goto fail;
    if (place_info(l, e, b, &m, &acc) != 0)
        goto fail;
    sheet_measure_close(&m);
    *out = l;
    return 0;
fail:
    if (have_measure)
        sheet_measure_close(&m);
    stencil_layout_free(l);
    *why = acc;
    return -1;
}

void
stencil_layout_free(struct stencil_layout *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n_texts; i++)
        free(l->texts[i].text);
    free(l->windows);
    free(l);
}
