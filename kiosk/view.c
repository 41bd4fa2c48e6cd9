/*
 * Building view models. Text that does not fit its buffer is cut at a
 * UTF-8 character boundary, never in the middle of a letter.
 */
#include "kiosk/view.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void
view_vformat(char *dst, size_t size, const char *fmt, va_list ap)
{
    int n = vsnprintf(dst, size, fmt, ap);
    if (n >= 0 && (size_t)n >= size) {
        size_t end = size - 1;
        while (end > 0 && ((unsigned char)dst[end] & 0xC0) == 0x80)
            end--;
        dst[end] = '\0';
    }
}

void
view_reset(struct view *v, enum lang lang)
{
    bool test_mode = v->test_mode, no_audio = v->no_audio;
    memset(v, 0, sizeof *v);
    v->lang = lang;
    v->title_lang = -1;
    v->focus = -1;
    v->test_mode = test_mode;
    v->no_audio = no_audio;
}

void
view_title(struct view *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    view_vformat(v->title, sizeof v->title, fmt, ap);
    va_end(ap);
}

struct view_item *
view_add(struct view *v, enum view_kind kind, const char *fmt, ...)
{
    if (v->n_items >= VIEW_ITEMS_MAX)
        return NULL;
    struct view_item *it = &v->items[v->n_items++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->lang = -1;
    va_list ap;
    va_start(ap, fmt);
    view_vformat(it->text, sizeof it->text, fmt, ap);
    va_end(ap);
    if (kind == VIEW_OPTION && v->focus < 0)
        v->focus = (int)(v->n_items - 1);
    return it;
}

void
view_notice(struct view *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    view_vformat(v->notice, sizeof v->notice, fmt, ap);
    va_end(ap);
}

void
view_hint(struct view *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    view_vformat(v->hint, sizeof v->hint, fmt, ap);
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
