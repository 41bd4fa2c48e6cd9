/*
 * Word wrapping by display width and the arrangement of a screen: title on
 * the first row (with the test-mode marker at its right), the body below,
 * the notice and the key hint on the last rows. Wide characters count two
 * cells, combining marks none, invalid UTF-8 one cell per byte so that
 * malformed text can never make a row wider than the screen.
 */
#include "kiosk/layout.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "accessibility/xalloc.h"

/* Decodes one UTF-8 character at S; returns its length (1 for invalid). */
static size_t
utf8_next(const char *s, wchar_t *wc)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len;
    unsigned int c;
    if (u[0] < 0x80) {
        *wc = u[0];
        return 1;
    } else if ((u[0] & 0xE0) == 0xC0) {
        len = 2;
        c = u[0] & 0x1F;
    } else if ((u[0] & 0xF0) == 0xE0) {
        len = 3;
        c = u[0] & 0x0F;
    } else if ((u[0] & 0xF8) == 0xF0) {
        len = 4;
        c = u[0] & 0x07;
    } else {
        *wc = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            *wc = 0xFFFD;
            return 1;
        }
        c = (c << 6) | (u[i] & 0x3F);
    }
    *wc = (wchar_t)c;
    return len;
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

int
layout_wrap(const char *text, int width,
            void (*emit)(void *ctx, const char *line, size_t len), void *ctx)
{
    int count = 0;
    if (width < 1)
        width = 1;
    const char *p = text;
    while (*p != '\0') {
        if (*p == '\n') {
            emit(ctx, p, 0);
            count++;
            p++;
            continue;
        }
        /* Take as many characters as fit; remember the last space. */
        const char *q = p, *brk = NULL;
        int w = 0;
        wchar_t wc;
        while (*q != '\0' && *q != '\n') {
            size_t n = utf8_next(q, &wc);
            int cw = char_width(wc);
            if (w + cw > width)
                break;
            if (wc == ' ')
                brk = q;
            w += cw;
            q += n;
        }
        const char *end = q;
        if (*q != '\0' && *q != '\n' && *q != ' ' && brk != NULL && brk > p)
            end = brk;
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
        if (*p == '\n')
            p++;
    }
    return count;
}

/* The bytes of the longest prefix of S that fits in COLS cells. */
static size_t
layout_prefix(const char *s, int cols)
{
    int w = 0;
    size_t len = 0;
    wchar_t wc;
    while (s[len] != '\0') {
        size_t n = utf8_next(s + len, &wc);
        w += char_width(wc);
        if (w > cols)
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

static void
rows_add(struct rows *r, enum layout_role role, const char *text, size_t len)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->v = xrealloc(r->v, (size_t)r->cap * sizeof *r->v);
    }
    struct layout_row *row = &r->v[r->n++];
    row->role = role;
    if (len >= sizeof row->text)
        len = sizeof row->text - 1;
    memcpy(row->text, text, len);
    row->text[len] = '\0';
}

static void
rows_emit(void *ctx, const char *line, size_t len)
{
    struct rows *r = ctx;
    char buf[LAYOUT_ROW_MAX];
    const char *pre = r->first ? r->prefix : r->cont;
    size_t pl = strlen(pre);
    if (pl + len >= sizeof buf)
        len = sizeof buf - pl - 1;
    memcpy(buf, pre, pl);
    memcpy(buf + pl, line, len);
    rows_add(r, r->role, buf, pl + len);
    r->first = false;
}

static void
rows_wrap(struct rows *r, enum layout_role role, const char *text, int width,
          const char *prefix, const char *cont)
{
    r->role = role;
    r->prefix = prefix;
    r->cont = cont;
    r->first = true;
    layout_wrap(text, width - layout_width(prefix), rows_emit, r);
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
layout_place(struct layout *out, int at, const struct rows *r, int from,
             int n)
{
    for (int i = 0; i < n && at + i < out->height && from + i < r->n; i++)
        out->rows[at + i] = r->v[from + i];
}

/* Appends the items of V to R, wrapped to COLS, and sets the first and
 * last row of the focused option (-1: none). Normal layout separates
 * paragraphs with blank rows and marks the selection "▶ "; magnified
 * layout (MAG) saves every row and marks it ">", which the console fonts
 * have. */
static void
layout_body(struct rows *r, const struct view *v, int cols, bool mag,
            int *focus_first, int *focus_last)
{
    const char *mark = mag ? ">" : "▶ ", *entry = mag ? ">" : "> ",
               *indent = mag ? " " : "  ";
    *focus_first = *focus_last = -1;
    for (size_t i = 0; i < v->n_items; i++) {
        const struct view_item *it = &v->items[i];
        bool sel = (int)i == v->focus;
        if (!mag && i > 0 &&
            (it->kind != VIEW_OPTION || v->items[i - 1].kind != VIEW_OPTION) &&
            (it->kind != VIEW_BLOCK || v->items[i - 1].kind != VIEW_BLOCK))
            rows_add(r, ROLE_BLANK, "", 0);
        if (sel)
            *focus_first = r->n;
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
            rows_add(r, ROLE_TEXT, it->text, layout_prefix(it->text, cols));
            break;
        }
        if (sel)
            *focus_last = r->n - 1;
    }
}

/* Places the rows of R from ROW TOP on, scrolled so that rows
 * FOCUS_FIRST..FOCUS_LAST (-1: none) are visible in AVAIL rows. */
static void
layout_place_scrolled(struct layout *out, int top, int avail,
                      const struct rows *r, int focus_first, int focus_last)
{
    if (avail < 1)
        avail = 1;
    int offset = 0;
    if (r->n > avail && focus_first >= 0) {
        if (focus_last - offset >= avail)
            offset = focus_last - avail + 1;
        if (focus_first < offset)
            offset = focus_first;
    }
    layout_place(out, top, r, offset,
                 r->n - offset < avail ? r->n - offset : avail);
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
        free(r.v);
        return;
    }

    /* The title row, with the marker at the right when in test mode. */
    bool show_marker = v->test_mode || v->no_audio;
    int mw = show_marker ? layout_width(marker) + 1 : 0;
    struct rows t = {0};
    rows_wrap(&t, ROLE_TITLE, v->title, cols - mw, "", "");
    int title_rows = t.n > 0 ? t.n : 1;
    if (title_rows > 2)
        title_rows = 2;
    layout_place(out, 0, &t, 0, title_rows);
    if (show_marker) {
        struct layout_row *m = &out->rows[title_rows];
        m->role = ROLE_MARKER;
        snprintf(m->text, sizeof m->text, "%s", marker);
        title_rows++;
    }
    free(t.v);

    /* The bottom: notice, then the hint on the last row. */
    struct rows b = {0};
    if (v->notice[0] != '\0')
        rows_wrap(&b, ROLE_NOTICE, v->notice, cols, "! ", "  ");
    if (b.n > 3)
        b.n = 3;
    int hint_row = rows - 1;
    int bottom = hint_row - b.n;
    layout_place(out, bottom, &b, 0, b.n);
    free(b.v);
    struct rows h = {0};
    rows_wrap(&h, ROLE_HINT, v->hint, cols, "", "");
    layout_place(out, hint_row, &h, 0, 1);
    free(h.v);

    /* The body, scrolled so that the focused option is visible. */
    int focus_first, focus_last;
    layout_body(&r, v, cols, false, &focus_first, &focus_last);
    int top = title_rows + 1;
    layout_place_scrolled(out, top, bottom - top - (b.n > 0 ? 1 : 0), &r,
                          focus_first, focus_last);
    free(r.v);
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
        layout_place(out, 0, &t, 0, 1);
        free(t.v);
        top = 1;
    }
    struct rows r = {0};
    if (v->notice[0] != '\0')
        rows_wrap(&r, ROLE_NOTICE, v->notice, cols, "! ", "  ");
    int focus_first, focus_last;
    layout_body(&r, v, cols, true, &focus_first, &focus_last);
    layout_place_scrolled(out, top, rows - top, &r, focus_first, focus_last);
    free(r.v);
}

void
layout_free(struct layout *l)
{
    free(l->rows);
    l->rows = NULL;
}
