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

void
fx_log(struct fx_list *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    fx_add(l, FX_LOG)->text = s;
}

void
fx_audit(struct fx_list *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    fx_add(l, FX_AUDIT)->text = s;
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
