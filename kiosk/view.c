/*
 * Building view models. Text that does not fit its buffer is cut at a
 * UTF-8 character boundary, never in the middle of a letter, and ends in
 * "…" so that nobody mistakes it for the whole text; the view remembers
 * that something was cut.
 */
#include "kiosk/view.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#define VIEW_ELLIPSIS "\xe2\x80\xa6"

/* Returns the length of the UTF-8 sequence that lead byte C starts. */
static size_t
view_seq_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        return 2;
    if ((c & 0xF0) == 0xE0)
        return 3;
    if ((c & 0xF8) == 0xF0)
        return 4;
    return 1;
}

/* Formats into DST; returns false when the text had to be cut. */
static bool
view_vformat(char *dst, size_t size, const char *fmt, va_list ap)
{
    int n = vsnprintf(dst, size, fmt, ap);
    if (n < 0) {
        dst[0] = '\0';
        return false;
    }
    if ((size_t)n < size)
        return true;
    /* vsnprintf kept SIZE - 1 bytes. Room for the ellipsis first, then back
     * to the start of the letter that would be split. */
    size_t end = size - 1;
    size_t room = sizeof VIEW_ELLIPSIS - 1;
    end = end > room ? end - room : 0;
    size_t lead = end;
    while (lead > 0 && ((unsigned char)dst[lead] & 0xC0) == 0x80)
        lead--;
    if (lead + view_seq_len((unsigned char)dst[lead]) > end)
        end = lead;
    if (end + room < size)
        memcpy(dst + end, VIEW_ELLIPSIS, room);
    else
        room = 0;
    dst[end + room] = '\0';
    return false;
}

bool
view_format(char *dst, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool whole = view_vformat(dst, size, fmt, ap);
    va_end(ap);
    return whole;
}

void
view_reset(struct view *v, enum lang lang)
{
    bool test_mode = v->test_mode, no_audio = v->no_audio;
    view_wipe(v);
    v->lang = lang;
    v->title_lang = -1;
    v->focus = -1;
    v->initial = -1;
    v->cut = false;
    v->own_position = false;
    v->curtain = false;
    v->theme = 0;
    v->text_size = 0;
    v->test_mode = test_mode;
    v->no_audio = no_audio;
}

void
view_wipe(struct view *v)
{
    for (size_t i = 0; i < v->n_items && i < VIEW_ITEMS_MAX; i++)
        sodium_memzero(&v->items[i], sizeof v->items[i]);
    v->n_items = 0;
    sodium_memzero(v->title, sizeof v->title);
    sodium_memzero(v->notice, sizeof v->notice);
    sodium_memzero(v->hint, sizeof v->hint);
}

void
view_title(struct view *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (!view_vformat(v->title, sizeof v->title, fmt, ap))
        v->cut = true;
    va_end(ap);
}

static struct view_item *
view_vappend(struct view *v, enum view_kind kind, int id, const char *fmt,
             va_list ap)
{
    if (v->n_items >= VIEW_ITEMS_MAX) {
        v->cut = true;
        return NULL;
    }
    struct view_item *it = &v->items[v->n_items++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->lang = -1;
    it->id = id;
    if (!view_vformat(it->text, sizeof it->text, fmt, ap))
        v->cut = true;
    return it;
}

struct view_item *
view_add(struct view *v, enum view_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct view_item *it = view_vappend(v, kind, -1, fmt, ap);
    va_end(ap);
    return it;
}

struct view_item *
view_option(struct view *v, int id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct view_item *it = view_vappend(v, VIEW_OPTION, id, fmt, ap);
    va_end(ap);
    return it;
}

/* Formats FMT with AP into the line DST of SIZE bytes, marking V cut when
 * the text does not fit. */
static void
view_line(struct view *v, char *dst, size_t size, const char *fmt, va_list ap)
{
    if (!view_vformat(dst, size, fmt, ap))
        v->cut = true;
}

void
view_notice(struct view *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    view_line(v, v->notice, sizeof v->notice, fmt, ap);
    va_end(ap);
}

void
view_hint(struct view *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    view_line(v, v->hint, sizeof v->hint, fmt, ap);
    va_end(ap);
}

size_t
view_option_count(const struct view *v)
{
    size_t n = 0;
    for (size_t i = 0; i < v->n_items; i++)
        n += v->items[i].kind == VIEW_OPTION;
    return n;
}

size_t
view_option_rank(const struct view *v, int index)
{
    if (index < 0 || (size_t)index >= v->n_items ||
        v->items[index].kind != VIEW_OPTION)
        return 0;
    size_t rank = 0;
    for (int i = 0; i <= index; i++)
        rank += v->items[i].kind == VIEW_OPTION;
    return rank;
}

bool
view_move_focus(struct view *v, int dir)
{
    for (int i = v->focus + (dir > 0 ? 1 : -1);
         i >= 0 && (size_t)i < v->n_items; i += dir > 0 ? 1 : -1) {
        if (v->items[i].kind == VIEW_OPTION) {
            v->focus = i;
            return true;
        }
    }
    return false;
}

int
view_focus_rank(struct view *v, size_t rank)
{
    size_t r = 0;
    for (size_t i = 0; i < v->n_items; i++) {
        if (v->items[i].kind == VIEW_OPTION && ++r == rank) {
            v->focus = (int)i;
            return (int)i;
        }
    }
    return -1;
}

int
view_find_option(const struct view *v, int id)
{
    for (size_t i = 0; i < v->n_items; i++) {
        if (v->items[i].kind == VIEW_OPTION && v->items[i].id == id)
            return (int)i;
    }
    return -1;
}
