/*
 * The effect list: a growable array. Texts are wiped when cleared because
 * a spoken text may carry an IIN being read back.
 */
#include "kiosk/fx.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "accessibility/xalloc.h"
#include "kiosk/screen.h"
#include "kiosk/services_call.h"

struct fx *
fx_add(struct fx_list *l, enum fx_kind kind)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    struct fx *f = &l->v[l->n++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    return f;
}

void
fx_say(struct fx_list *l, int lang, const char *text)
{
    if (text == NULL || text[0] == '\0')
        return;
    struct fx *f = fx_add(l, FX_SAY);
    f->lang = lang;
    f->text = xstrdup(text);
}

void
fx_push(struct fx_list *l, struct screen *s)
{
    fx_add(l, FX_PUSH)->screen = s;
}

void
fx_replace(struct fx_list *l, struct screen *s)
{
    fx_add(l, FX_REPLACE)->screen = s;
}

void
fx_services(struct fx_list *l, struct services_call *call)
{
    fx_add(l, FX_SERVICES)->call = call;
}

void
fx_focus(struct fx_list *l, int id)
{
    fx_add(l, FX_FOCUS)->value = id;
}

/* Appends an effect of KIND whose text is FMT formatted with AP. */
static void
fx_vtext(struct fx_list *l, enum fx_kind kind, const char *fmt, va_list ap)
{
    char *s = xvasprintf(fmt, ap);
    fx_add(l, kind)->text = s;
}

void
fx_log(struct fx_list *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fx_vtext(l, FX_LOG, fmt, ap);
    va_end(ap);
}

void
fx_audit(struct fx_list *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fx_vtext(l, FX_AUDIT, fmt, ap);
    va_end(ap);
}

struct fx
fx_take(struct fx_list *l, size_t i)
{
    struct fx f = l->v[i];
    memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof *l->v);
    l->n--;
    return f;
}

void
fx_clear(struct fx_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        xfree_wiped(l->v[i].text);
        screen_free(l->v[i].screen);
        services_call_free(l->v[i].call);
    }
    /* A focus effect on a voter's screen names the chosen window. */
    if (l->n > 0)
        sodium_memzero(l->v, l->n * sizeof *l->v);
    l->n = 0;
}

void
fx_list_free(struct fx_list *l)
{
    fx_clear(l);
    free(l->v);
    l->v = NULL;
    l->cap = 0;
}
