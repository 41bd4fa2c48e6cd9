/*
 * Word wrapping by display width and the arrangement of a screen: the
 * title on the first rows, the test-mode marker on a row of its own below
 * it (at the right), the body below, the notice and the key hint on the
 * last rows. Wide characters count two cells, combining marks none,
 * invalid UTF-8 one cell per byte so that malformed text can never make a
 * row wider than the screen.
 *
 * Nothing is cut silently. A text longer than a row's bytes goes on to the
 * next row like a text wider than the screen; a title, marker, notice or
 * hint that needs more rows than it is given ends in "…"; a body taller
 * than its rows is scrolled so that the focused option and its neighbours
 * show (the whole list of options when it fits), and a row "▲ …" or "▼ …"
 * says that there is more above or below. The key hint is broken between
 * languages ("  |  ") or between keys (two or more spaces) before it is
 * broken between words, so that a key and what it does stay together.
 */
#include "kiosk/layout.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <sodium.h>

#include "accessibility/utf8.h"
#include "accessibility/xalloc.h"

/* Rows of the body kept for the body however small the screen (the other
 * parts give up rows down to one each first). */
#define BODY_MIN_ROWS 3

static const char more_above[] = "▲ …", more_below[] = "▼ …";
static const char ellipsis[] = "…";

/* Decodes one UTF-8 character at S (NUL-terminated); returns its length
 * (1 for an invalid byte, shown as U+FFFD). */
static size_t
utf8_next(const char *s, wchar_t *wc)
{
    if ((unsigned char)s[0] < 0x80) {
        *wc = (unsigned char)s[0];
        return 1;
    }
    /* utf8_decode stops at the first byte that is not a continuation
     * byte, so it never reads past the NUL. */
    uint32_t cp;
    int n = utf8_decode(s, 4, &cp);
    if (n < 0) {
        *wc = 0xFFFD;
        return 1;
    }
    *wc = (wchar_t)cp;
    return (size_t)n;
}

static int
char_width(wchar_t wc)
{
    if (wc < 0x20 || wc == 0x7f)
        return 1;
    int w = wcwidth(wc);
    /* wcwidth() knows nothing in the C locale; Cyrillic is one cell. */
    return w < 0 ? 1 : w;
}

int
layout_width(const char *s)
{
    int w = 0;
    wchar_t wc;
    while (*s != '\0') {
        s += utf8_next(s, &wc);
        w += char_width(wc);
    }
    return w;
}

/* Kinds of places to break a line, from the least to the most preferred
 * (only hints rank them; other text breaks at the last space). */
enum wrap_break { BRK_WORD, BRK_KEY, BRK_LANG, BRK_COUNT };

/* The kind of break at Q, the first space of a run of spaces. */
static enum wrap_break
wrap_break_at(const char *q)
{
    size_t run = strspn(q, " ");
    if (run < 2)
        return BRK_WORD;
    if (q[run] == '|' && (q[run + 1] == ' ' || q[run + 1] == '\0'))
        return BRK_LANG;
    return BRK_KEY;
}

/* Splits TEXT like layout_wrap() into lines of at most WIDTH cells and MAX
 * bytes; RANKED (hints) prefers the most preferred kind of break in a line
 * to the last one, and drops the "|" between languages at a break. */
static int
wrap_text(const char *text, int width, size_t max, bool ranked,
          void (*emit)(void *ctx, const char *line, size_t len), void *ctx)
{
    int count = 0;
    if (width < 1)
        width = 1;
    if (max < 4)
        max = 4;
    const char *p = text;
    while (*p != '\0') {
        if (*p == '\n') {
            emit(ctx, p, 0);
            count++;
            p++;
            continue;
        }
        /* Take as many characters as fit; remember where to break. */
        const char *q = p, *brk[BRK_COUNT] = {NULL, NULL, NULL};
        int w = 0;
        wchar_t wc;
        while (*q != '\0' && *q != '\n') {
            size_t n = utf8_next(q, &wc);
            int cw = char_width(wc);
            if (w + cw > width || (size_t)(q - p) + n > max)
                break;
            if (wc == ' ' && q > p && (!ranked || q[-1] != ' '))
                brk[ranked ? wrap_break_at(q) : BRK_WORD] = q;
            w += cw;
            q += n;
        }
        const char *end = q;
        if (*q != '\0' && *q != '\n') {
            if (*q == ' ' && q > p && (!ranked || q[-1] != ' '))
                brk[ranked ? wrap_break_at(q) : BRK_WORD] = q;
            for (int k = BRK_COUNT - 1; k >= 0; k--) {
                if (brk[k] != NULL) {
                    end = brk[k];
                    break;
                }
            }
        }
        if (end == p) /* a character wider than the screen */
            end = p + utf8_next(p, &wc);
        size_t len = (size_t)(end - p);
        while (len > 0 && p[len - 1] == ' ')
            len--;
        emit(ctx, p, len);
        count++;
        p = end;
        while (*p == ' ')
            p++;
        if (ranked && *p == '|' && (p[1] == ' ' || p[1] == '\0')) {
            p++;
            while (*p == ' ')
                p++;
        }
        if (*p == '\n')
            p++;
    }
    return count;
}

int
layout_wrap(const char *text, int width,
            void (*emit)(void *ctx, const char *line, size_t len), void *ctx)
{
    return wrap_text(text, width, SIZE_MAX, false, emit, ctx);
}

/* The bytes of the longest prefix of S that fits in COLS cells and MAX
 * bytes. */
static size_t
layout_prefix(const char *s, int cols, size_t max)
{
    int w = 0;
    size_t len = 0;
    wchar_t wc;
    while (s[len] != '\0') {
        size_t n = utf8_next(s + len, &wc);
        w += char_width(wc);
        if (w > cols || len + n > max)
            break;
        len += n;
    }
    return len;
}

struct rows {
    struct layout_row *v;
    int n, cap;
    enum layout_role role;
    const char *prefix;
    const char *cont; /* prefix of continuation lines */
    bool first;
};

/* Wipes and frees R's rows: they may show a voter's choice. */
static void
rows_free(struct rows *r)
{
    if (r->v != NULL)
        sodium_memzero(r->v, (size_t)r->cap * sizeof *r->v);
    free(r->v);
    r->v = NULL;
}

/* Appends a row of ROLE: the PL bytes of PRE, then the LEN bytes of TEXT,
 * cut to what a row holds (the callers make sure that it fits: see
 * rows_wrap_as). */
static void
rows_add_2(struct rows *r, enum layout_role role, const char *pre, size_t pl,
           const char *text, size_t len)
{
    if (r->n == r->cap) {
        /* Not realloc: the old rows are wiped before they are freed. */
        int cap = r->cap ? r->cap * 2 : 8;
        struct layout_row *v = xcalloc((size_t)cap, sizeof *v);
        if (r->n > 0)
            memcpy(v, r->v, (size_t)r->n * sizeof *v);
        rows_free(r);
        r->v = v;
        r->cap = cap;
    }
    struct layout_row *row = &r->v[r->n++];
    row->role = role;
    if (pl >= sizeof row->text)
        pl = sizeof row->text - 1;
    if (len >= sizeof row->text - pl)
        len = sizeof row->text - pl - 1;
    memcpy(row->text, pre, pl);
    memcpy(row->text + pl, text, len);
    row->text[pl + len] = '\0';
}

static void
rows_add(struct rows *r, enum layout_role role, const char *text, size_t len)
{
    rows_add_2(r, role, "", 0, text, len);
}

static void
rows_emit(void *ctx, const char *line, size_t len)
{
    struct rows *r = ctx;
    const char *pre = r->first ? r->prefix : r->cont;
    rows_add_2(r, r->role, pre, strlen(pre), line, len);
    r->first = false;
}

/* Appends TEXT wrapped to WIDTH cells as rows of ROLE, the first starting
 * with PREFIX and the others with CONT. A line never holds more bytes than
 * a row, so a text is never cut here. RANKED: see wrap_text(). */
static void
rows_wrap_as(struct rows *r, enum layout_role role, const char *text, int width,
             const char *prefix, const char *cont, bool ranked)
{
    r->role = role;
    r->prefix = prefix;
    r->cont = cont;
    r->first = true;
    size_t pl = strlen(prefix), cl = strlen(cont);
    size_t max = LAYOUT_ROW_MAX - 1 - (pl > cl ? pl : cl);
    int pw = layout_width(prefix), cw = layout_width(cont);
    wrap_text(text, width - (pw > cw ? pw : cw), max, ranked, rows_emit, r);
}

static void
rows_wrap(struct rows *r, enum layout_role role, const char *text, int width,
          const char *prefix, const char *cont)
{
    rows_wrap_as(r, role, text, width, prefix, cont, false);
}

/* Keeps the first KEEP (>= 1) rows of R; when rows were dropped, the last
 * row kept ends in "…" within COLS cells, so that a cut shows. */
static void
rows_keep(struct rows *r, int keep, int cols)
{
    if (r->n <= keep)
        return;
    r->n = keep;
    struct layout_row *row = &r->v[keep - 1];
    size_t elen = sizeof ellipsis - 1;
    size_t len = layout_prefix(row->text, cols - 1,
                               sizeof row->text - 1 - elen);
    while (len > 0 && row->text[len - 1] == ' ')
        len--;
    memcpy(row->text + len, ellipsis, elen + 1);
}

static void
layout_alloc(struct layout *out, int cols, int rows)
{
    out->width = cols;
    out->height = rows;
    out->rows = xcalloc((size_t)(rows > 0 ? rows : 1), sizeof *out->rows);
}

/* Copies the rows FROM..FROM+N of R into OUT starting at row AT. */
static void
layout_place(struct layout *out, int at, const struct rows *r, int from, int n)
{
    for (int i = 0; i < n && at + i < out->height && from + i < r->n; i++)
        out->rows[at + i] = r->v[from + i];
}

/* The rows of the body that should be on screen, from the most wanted to
 * the least: the whole run of options around the focus, the focused option
 * with the options next to it, the focused option alone. FIRST..LAST are
 * row numbers in the body; -1: nothing is focused. */
struct body_focus {
    int first[3], last[3];
};

/* Appends the items of V to R, wrapped to COLS, and fills F. Normal layout
 * separates paragraphs with blank rows and marks the selection "▶ ";
 * magnified layout (MAG) saves every row and marks it ">", which the
 * console fonts have, and leaves out the items SKIP marks (NULL: none). */
static void
layout_body(struct rows *r, const struct view *v, int cols, bool mag,
            const bool *skip, struct body_focus *f)
{
    const char *mark = mag ? ">" : "▶ ", *entry = mag ? ">" : "> ",
               *indent = mag ? " " : "  ";
    int item_first[VIEW_ITEMS_MAX], item_last[VIEW_ITEMS_MAX];
    size_t n_items = v->n_items < VIEW_ITEMS_MAX ? v->n_items : VIEW_ITEMS_MAX;
    for (size_t i = 0; i < n_items; i++) {
        const struct view_item *it = &v->items[i];
        bool sel = (int)i == v->focus;
        item_first[i] = r->n;
        item_last[i] = r->n - 1;
        if (skip != NULL && skip[i])
            continue;
        if (!mag && i > 0 &&
            (it->kind != VIEW_OPTION || v->items[i - 1].kind != VIEW_OPTION) &&
            (it->kind != VIEW_BLOCK || v->items[i - 1].kind != VIEW_BLOCK))
            rows_add(r, ROLE_BLANK, "", 0);
        item_first[i] = r->n;
        switch (it->kind) {
        case VIEW_OPTION:
            rows_wrap(r, sel ? ROLE_SELECTED : ROLE_OPTION, it->text, cols,
                      sel ? mark : indent, indent);
            break;
        case VIEW_BIG:
            rows_wrap(r, ROLE_BIG, it->text, cols, "", "");
            break;
        case VIEW_ENTRY:
            rows_wrap(r, ROLE_ENTRY, it->text[0] ? it->text : " ", cols, entry,
                      indent);
            break;
        case VIEW_TEXT:
            rows_wrap(r, ROLE_TEXT, it->text, cols, "", "");
            break;
        case VIEW_BLOCK:
            /* A QR code's row: never wrapped (the code would not scan). */
            rows_add(r, ROLE_TEXT, it->text,
                     layout_prefix(it->text, cols, LAYOUT_ROW_MAX - 1));
            break;
        }
        item_last[i] = r->n - 1;
    }
    for (int k = 0; k < 3; k++)
        f->first[k] = f->last[k] = -1;
    if (v->focus < 0 || (size_t)v->focus >= n_items)
        return;
    size_t fi = (size_t)v->focus, lo = fi, hi = fi;
    while (lo > 0 && v->items[lo - 1].kind == VIEW_OPTION &&
           v->items[fi].kind == VIEW_OPTION)
        lo--;
    while (hi + 1 < n_items && v->items[hi + 1].kind == VIEW_OPTION &&
           v->items[fi].kind == VIEW_OPTION)
        hi++;
    f->first[0] = item_first[lo];
    f->last[0] = item_last[hi];
    f->first[1] = item_first[lo < fi ? fi - 1 : fi];
    f->last[1] = item_last[hi > fi ? fi + 1 : fi];
    f->first[2] = item_first[fi];
    f->last[2] = item_last[fi];
}

/* The first body row to show in SPAN rows so that the most wanted rows of
 * F that fit are visible (and as much as possible above them). */
static int
layout_offset(const struct rows *r, const struct body_focus *f, int span)
{
    if (r->n <= span || f->first[2] < 0)
        return 0;
    int k = 0;
    while (k < 2 && f->last[k] - f->first[k] + 1 > span)
        k++;
    int offset = 0;
    if (f->last[k] >= offset + span)
        offset = f->last[k] - span + 1;
    if (f->first[k] < offset)
        offset = f->first[k];
    return offset;
}

/* Places the body rows R in AVAIL rows of OUT from row TOP, scrolled to
 * the focus (F); the first row says "▲ …" when rows above are hidden and
 * the last "▼ …" when rows below are. */
static void
layout_place_scrolled(struct layout *out, int top, int avail,
                      const struct rows *r, const struct body_focus *f)
{
    if (avail < 1)
        return;
    if (r->n <= avail) {
        layout_place(out, top, r, 0, r->n);
        return;
    }
    /* Each indicator takes a row from the body, which may move the
     * offset: add them one at a time until none is missing (at most two
     * rounds, as an indicator, once shown, keeps its row). */
    bool up = false, down = false;
    int offset, span;
    for (;;) {
        span = avail - up - down;
        offset = layout_offset(r, f, span);
        if (!up && offset > 0 && span > 1)
            up = true;
        else if (!down && offset + span < r->n && span > 1)
            down = true;
        else
            break;
    }
    layout_place(out, top + up, r, offset, span);
    if (up) {
        struct layout_row *m = &out->rows[top];
        m->role = offset > 0 ? ROLE_MORE : ROLE_BLANK;
        snprintf(m->text, sizeof m->text, "%s", offset > 0 ? more_above : "");
    }
    if (down) {
        struct layout_row *m = &out->rows[top + up + span];
        bool more = offset + span < r->n;
        m->role = more ? ROLE_MORE : ROLE_BLANK;
        snprintf(m->text, sizeof m->text, "%s", more ? more_below : "");
    }
}

void
layout_build(const struct view *v, int cols, int rows, const char *marker,
             const char *too_small, struct layout *out)
{
    memset(out, 0, sizeof *out);
    layout_alloc(out, cols, rows);
    struct rows r = {0};
    if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS) {
        out->too_small = 1;
        rows_wrap(&r, ROLE_NOTICE, too_small, cols, "", "");
        layout_place(out, 0, &r, 0, r.n);
        rows_free(&r);
        return;
    }

    /* The title, with the whole width: the marker has a row of its own
     * below it, at the right. */
    struct rows t = {0}, m = {0}, b = {0}, h = {0};
    rows_wrap(&t, ROLE_TITLE, v->title, cols, "", "");
    if (t.n == 0)
        rows_add(&t, ROLE_TITLE, "", 0);
    if (v->test_mode || v->no_audio)
        rows_wrap(&m, ROLE_MARKER, marker, cols, "", "");
    if (v->notice[0] != '\0')
        rows_wrap(&b, ROLE_NOTICE, v->notice, cols, "! ", "  ");
    rows_wrap_as(&h, ROLE_HINT, v->hint, cols, "", "", true);
    if (h.n == 0) /* the last row stays the hint's */
        rows_add(&h, ROLE_BLANK, "", 0);

    /* Each part gets the rows it needs up to its share; on a small screen
     * the largest gives up a row, down to one each, until the body has
     * BODY_MIN_ROWS. */
    struct {
        struct rows *r;
        int max, n;
    } part[] = {{&t, 2, 0},
                {&m, 2, 0},
                {&b, 3, 0},
                {&h, rows >= 20 ? 3 : 2, 0}};
    size_t n_parts = sizeof part / sizeof part[0];
    int used = 1 + (b.n > 0); /* blank rows below the title, above a notice */
    for (size_t i = 0; i < n_parts; i++) {
        part[i].n = part[i].r->n < part[i].max ? part[i].r->n : part[i].max;
        used += part[i].n;
    }
    while (rows - used < BODY_MIN_ROWS) {
        size_t big = 0;
        for (size_t i = 1; i < n_parts; i++)
            if (part[i].n > part[big].n)
                big = i;
        if (part[big].n <= 1)
            break;
        part[big].n--;
        used--;
    }
    for (size_t i = 0; i < n_parts; i++)
        rows_keep(part[i].r, part[i].n, cols);

    layout_place(out, 0, &t, 0, t.n);
    layout_place(out, t.n, &m, 0, m.n);
    int hint_top = rows - h.n;
    layout_place(out, hint_top, &h, 0, h.n);
    int bottom = hint_top - b.n;
    layout_place(out, bottom, &b, 0, b.n);
    int top = t.n + m.n + 1;
    rows_free(&t);
    rows_free(&m);
    rows_free(&b);
    rows_free(&h);

    /* The body, scrolled so that the focused option is visible. */
    struct body_focus f;
    layout_body(&r, v, cols, false, NULL, &f);
    layout_place_scrolled(out, top, bottom - top - (b.n > 0 ? 1 : 0), &r, &f);
    rows_free(&r);
}

/* Wraps item IT to COLS into R, as the magnified body would. */
static void
layout_mag_item(struct rows *r, const struct view_item *it, int cols)
{
    rows_wrap(r, it->kind == VIEW_BIG ? ROLE_BIG : ROLE_TEXT, it->text, cols,
              "", "");
}

void
layout_build_magnified(const struct view *v, int cols, int rows,
                       struct layout *out)
{
    memset(out, 0, sizeof *out);
    layout_alloc(out, cols, rows);
    int top = 0;
    if (rows >= 3) {
        struct rows t = {0};
        rows_wrap(&t, ROLE_TITLE, v->title, cols, "", "");
        rows_keep(&t, 1, cols);
        layout_place(out, 0, &t, 0, 1);
        rows_free(&t);
        top = 1;
    }
    /* The essential items, in order, each whole, while they leave a row
     * for the focused option; then the rest, scrolled to the focus. */
    bool shown[VIEW_ITEMS_MAX] = {false};
    size_t n_items = v->n_items < VIEW_ITEMS_MAX ? v->n_items : VIEW_ITEMS_MAX;
    int keep = v->focus >= 0 && (size_t)v->focus < n_items ? 1 : 0;
    for (size_t i = 0; i < n_items; i++) {
        const struct view_item *it = &v->items[i];
        if (!it->essential || it->kind == VIEW_OPTION)
            continue;
        struct rows e = {0};
        layout_mag_item(&e, it, cols);
        if (e.n <= rows - top - keep) {
            layout_place(out, top, &e, 0, e.n);
            top += e.n;
            shown[i] = true;
        }
        rows_free(&e);
        if (!shown[i])
            break;
    }
    struct rows r = {0};
    if (v->notice[0] != '\0')
        rows_wrap(&r, ROLE_NOTICE, v->notice, cols, "! ", "  ");
    struct body_focus f;
    layout_body(&r, v, cols, true, shown, &f);
    int avail = rows - top;
    if (avail > 0) {
        int offset = layout_offset(&r, &f, avail);
        layout_place(out, top, &r, offset, avail);
    }
    rows_free(&r);
}

void
layout_free(struct layout *l)
{
    if (l->rows != NULL)
        sodium_memzero(l->rows, (size_t)l->height * sizeof *l->rows);
    free(l->rows);
    l->rows = NULL;
}
