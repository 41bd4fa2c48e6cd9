/*
 * The Braille display (see braille.h). The lines are rebuilt only when
 * the view's texts change (a 64-bit FNV-1a hash of what the lines are
 * made of); otherwise the reader keeps the place they panned to, and only
 * a moved focus brings the display back to the focused option.
 */
#include "kiosk/braille.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/louis.h"
#include "accessibility/xalloc.h"
#include "kiosk/log.h"

struct braille_line {
    unsigned char *cells;
    size_t n;
    int item; /* index into the view's items, or -1 (title, notice, hint) */
    bool notice;
};

struct braille_state {
    bool contracted;
    struct braille_line *lines;
    size_t n_lines;
    uint64_t hash;
    uint64_t notice_hash; /* of the last non-empty notice shown */
    int focus;            /* the view's focus at the last update */
    size_t line;          /* the line shown */
    size_t off;           /* its first cell shown */
};

static uint64_t
braille_fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

static uint64_t
braille_fnv_str(uint64_t h, const char *s)
{
    return braille_fnv(h, s, strlen(s) + 1);
}

static uint64_t
braille_hash(const struct view *v)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    int lang = (int)v->lang;
    h = braille_fnv(h, &lang, sizeof lang);
    h = braille_fnv(h, &v->title_lang, sizeof v->title_lang);
    h = braille_fnv_str(h, v->title);
    h = braille_fnv_str(h, v->notice);
    h = braille_fnv_str(h, v->hint);
    for (size_t i = 0; i < v->n_items; i++) {
        const struct view_item *it = &v->items[i];
        h = braille_fnv(h, &it->kind, sizeof it->kind);
        h = braille_fnv(h, &it->lang, sizeof it->lang);
        h = braille_fnv(h, &it->id, sizeof it->id);
        h = braille_fnv_str(h, it->text);
    }
    return h;
}

struct braille_state *
braille_state_new(bool contracted)
{
    struct braille_state *st = xcalloc(1, sizeof *st);
    st->contracted = contracted;
    st->focus = -1;
    return st;
}

static void
braille_state_clear(struct braille_state *st)
{
    /* The lines may hold a voter's choice (the review screen). */
    for (size_t i = 0; st->lines != NULL && i < st->n_lines; i++) {
        if (st->lines[i].cells != NULL)
            sodium_memzero(st->lines[i].cells, st->lines[i].n);
        free(st->lines[i].cells);
    }
    free(st->lines);
    st->lines = NULL;
    st->n_lines = 0;
}

void
braille_state_free(struct braille_state *st)
{
    if (st == NULL)
        return;
    braille_state_clear(st);
    free(st);
}

/* Appends TEXT in LANG as a line (uncontracted when LITERAL). */
static void
braille_add(struct braille_state *st, const struct view *v, const char *text,
            int lang, bool literal, int item, bool notice)
{
    if (text[0] == '\0')
        return;
    struct braille_line *l = &st->lines[st->n_lines++];
    char *why = NULL;
    enum lang lg = lang >= 0 && lang < LANG_COUNT ? (enum lang)lang : v->lang;
    memset(l, 0, sizeof *l);
    l->item = item;
    l->notice = notice;
    if (louis_braille(lg, st->contracted && !literal, text, &l->cells, &l->n,
                      &why) < 0) {
        log_warn("braille: %s", why);
        free(why);
    }
}

static void
braille_build(struct braille_state *st, const struct view *v)
{
    braille_state_clear(st);
    st->lines = xcalloc(v->n_items + 3, sizeof *st->lines);
    braille_add(st, v, v->title, v->title_lang, false, -1, false);
    braille_add(st, v, v->notice, -1, false, -1, true);
    for (size_t i = 0; i < v->n_items; i++) {
        const struct view_item *it = &v->items[i];
        if (it->kind == VIEW_BLOCK)
            continue;
        braille_add(st, v, it->text, it->lang,
                    it->kind == VIEW_BIG || it->kind == VIEW_ENTRY, (int)i,
                    false);
    }
    braille_add(st, v, v->hint, -1, false, -1, false);
}

/* The line of item ITEM, or -1. */
static int
braille_line_of(const struct braille_state *st, int item)
{
    for (size_t i = 0; i < st->n_lines; i++)
        if (item >= 0 && st->lines[i].item == item)
            return (int)i;
    return -1;
}

void
braille_state_update(struct braille_state *st, const struct view *v)
{
    uint64_t h = braille_hash(v);
    int fl;
    if (h != st->hash || st->lines == NULL) {
        braille_build(st, v);
        st->hash = h;
        st->off = 0;
        uint64_t nh = braille_fnv_str(UINT64_C(0xcbf29ce484222325), v->notice);
        fl = braille_line_of(st, v->focus);
        st->line = fl >= 0 ? (size_t)fl : 0;
        if (v->notice[0] != '\0' && nh != st->notice_hash) {
            for (size_t i = 0; i < st->n_lines; i++)
                if (st->lines[i].notice)
                    st->line = i;
        }
        st->notice_hash = v->notice[0] != '\0' ? nh : 0;
    } else if (v->focus != st->focus &&
               (fl = braille_line_of(st, v->focus)) >= 0) {
        st->line = (size_t)fl;
        st->off = 0;
    }
    st->focus = v->focus;
}

void
braille_state_window(const struct braille_state *st, unsigned width,
                     unsigned char *cells)
{
    memset(cells, 0, width);
    if (st->line >= st->n_lines)
        return;
    const struct braille_line *l = &st->lines[st->line];
    if (st->off < l->n) {
        size_t k = l->n - st->off < width ? l->n - st->off : width;
        memcpy(cells, l->cells + st->off, k);
    }
}

size_t
braille_state_line(const struct braille_state *st)
{
    return st->line;
}

size_t
braille_state_lines(const struct braille_state *st)
{
    return st->n_lines;
}

static struct key
braille_key(enum action action, unsigned codepoint)
{
    struct key k = {
        .action = action,
        .codepoint = codepoint,
        .name = N_("A key of the Braille display"),
        .entry = ACTION_NONE,
        .option = -1,
        .source = KEY_SOURCE_OTHER,
    };
    return k;
}

/* Up or Down keys that move the focus of V to option ITEM; returns how
 * many were written to KEYS (at most MAX). */
static size_t
braille_focus_keys(const struct view *v, int item, struct key *keys, size_t max)
{
    if (item < 0 || (size_t)item >= v->n_items ||
        v->items[item].kind != VIEW_OPTION || v->focus < 0)
        return 0;
    size_t from = view_option_rank(v, v->focus);
    size_t to = view_option_rank(v, item);
    size_t n = 0;
    while (from != to && n < max) {
        keys[n++] = braille_key(to > from ? ACTION_DOWN : ACTION_UP, 0);
        from += to > from ? 1 : (size_t)-1;
    }
    return n;
}

/* Shows line LINE from cell OFF; when it is an option, the focus
 * follows. */
static size_t
braille_go(struct braille_state *st, const struct view *v, size_t line,
           size_t off, struct key *keys)
{
    if (line >= st->n_lines)
        return 0;
    st->line = line;
    st->off = off;
    return braille_focus_keys(v, st->lines[line].item, keys, BRAILLE_KEYS_MAX);
}

size_t
braille_state_command(struct braille_state *st, const struct view *v,
                      unsigned width, enum brldisplay_cmd cmd, unsigned arg,
                      struct key *keys)
{
    size_t n, len;
    int fl;
    if (width == 0)
        width = 1;
    len = st->line < st->n_lines ? st->lines[st->line].n : 0;
    switch (cmd) {
    case BRLDISPLAY_LINE_UP:
        return st->line > 0 ? braille_go(st, v, st->line - 1, 0, keys) : 0;
    case BRLDISPLAY_LINE_DOWN:
        return braille_go(st, v, st->line + 1, 0, keys);
    case BRLDISPLAY_PAN_RIGHT:
        if (st->off + width < len) {
            st->off += width;
            return 0;
        }
        return braille_go(st, v, st->line + 1, 0, keys);
    case BRLDISPLAY_PAN_LEFT:
        if (st->off > 0) {
            st->off = st->off > width ? st->off - width : 0;
            return 0;
        }
        if (st->line == 0)
            return 0;
        len = st->lines[st->line - 1].n;
        return braille_go(st, v, st->line - 1,
                          len > 0 ? (len - 1) / width * width : 0, keys);
    case BRLDISPLAY_TOP:
        return braille_go(st, v, 0, 0, keys);
    case BRLDISPLAY_BOTTOM:
        return st->n_lines > 0 ? braille_go(st, v, st->n_lines - 1, 0, keys)
                               : 0;
    case BRLDISPLAY_HOME:
        fl = braille_line_of(st, v->focus);
        st->line = fl >= 0 ? (size_t)fl : 0;
        st->off = 0;
        return 0;
    case BRLDISPLAY_ROUTE:
        if (st->line >= st->n_lines || st->lines[st->line].item < 0 ||
            v->items[st->lines[st->line].item].kind != VIEW_OPTION)
            return 0;
        n = braille_focus_keys(v, st->lines[st->line].item, keys,
                               BRAILLE_KEYS_MAX - 1);
        keys[n++] = braille_key(ACTION_SELECT, 0);
        return n;
    case BRLDISPLAY_SELECT:
        keys[0] = braille_key(ACTION_SELECT, 0);
        return 1;
    case BRLDISPLAY_BACK:
        keys[0] = braille_key(ACTION_BACK, 0);
        return 1;
    case BRLDISPLAY_DELETE:
        keys[0] = braille_key(ACTION_DELETE, 0);
        return 1;
    case BRLDISPLAY_HELP:
        keys[0] = braille_key(ACTION_HELP, 0);
        return 1;
    case BRLDISPLAY_DIGIT:
        keys[0] = braille_key(ACTION_DIGIT, '0' + (arg % 10));
        return 1;
    }
    return 0;
}

/* --- the display ---------------------------------------------------------- */

struct braille {
    struct brldisplay *d;
    struct braille_state *st;
    struct key keys[BRAILLE_KEYS_MAX];
    size_t n_keys, next_key;
};

struct braille *
braille_open(const struct braille_options *opt, char **why)
{
    struct brldisplay_options o = {.host = opt->host};
    struct brldisplay *d = brldisplay_open(&o, why);
    if (d == NULL)
        return NULL;
    struct braille *b = xcalloc(1, sizeof *b);
    b->d = d;
    b->st = braille_state_new(opt->contracted);
    return b;
}

void
braille_close(struct braille *b)
{
    if (b == NULL)
        return;
    brldisplay_close(b->d);
    braille_state_free(b->st);
    free(b);
}

int
braille_fd(const struct braille *b)
{
    return brldisplay_fd(b->d);
}

void
braille_dispatch(struct braille *b)
{
    brldisplay_dispatch(b->d);
}

bool
braille_next(struct braille *b, const struct view *v, struct braille_event *ev)
{
    struct brldisplay_event de;
    for (;;) {
        if (b->next_key < b->n_keys) {
            ev->kind = BRAILLE_EVENT_KEY;
            ev->key = b->keys[b->next_key++];
            return true;
        }
        if (!brldisplay_next(b->d, &de))
            return false;
        switch (de.kind) {
        case BRLDISPLAY_EVENT_LOST:
            ev->kind = BRAILLE_EVENT_LOST;
            return true;
        case BRLDISPLAY_EVENT_BACK:
            ev->kind = BRAILLE_EVENT_BACK;
            return true;
        case BRLDISPLAY_EVENT_KEY:
            braille_state_update(b->st, v);
            b->n_keys = braille_state_command(b->st, v, brldisplay_width(b->d),
                                              de.cmd, de.arg, b->keys);
            b->next_key = 0;
            break;
        }
    }
}

void
braille_show(struct braille *b, const struct view *v)
{
    unsigned w = brldisplay_width(b->d);
    braille_state_update(b->st, v);
    if (w == 0)
        return;
    unsigned char *cells = xmalloc(w);
    braille_state_window(b->st, w, cells);
    brldisplay_write(b->d, cells, w);
    sodium_memzero(cells, w);
    free(cells);
}

const char *
braille_problem(const struct braille *b)
{
    return brldisplay_problem(b->d);
}
