/*
 * The effect list: a growable array. Texts are wiped when cleared because
 * a spoken text may carry an IIN being read back.
 */
#include "kiosk/fx.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "accessibility/xalloc.h"
#include "kiosk/screen.h"
#include "kiosk/services_call.h"
#include "kiosk/view.h"

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
    fx_say_spans(l, lang, text, NULL, 0);
}

/* True when the LEN bytes at S hold a letter or a digit (any byte of a
 * multibyte UTF-8 character counts as a letter: our texts hold no other
 * non-ASCII symbols than quotes, dashes and the ellipsis, checked below). */
static bool
fx_has_word(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c))
            return true;
        if (c >= 0x80) {
            /* « » — – … ’ “ ” · № are not words. */
            static const char *const marks[] = {"«", "»", "—", "–", "…",
                                                "’", "“", "”", "·", "\xc2\xa0"};
            bool mark = false;
            for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++) {
                size_t ml = strlen(marks[k]);
                if (i + ml <= len && memcmp(s + i, marks[k], ml) == 0) {
                    i += ml - 1;
                    mark = true;
                    break;
                }
            }
            if (!mark)
                return true;
        }
    }
    return false;
}

/* Appends the span (OFF, LEN, LANG) to F, joining it to the last span when
 * both are in the same language or this one has no word. */
static void
fx_span_add(struct fx *f, size_t off, size_t len, int lang)
{
    if (len == 0)
        return;
    struct fx_span *last = f->n_spans > 0 ? &f->spans[f->n_spans - 1] : NULL;
    if (last != NULL &&
        (last->lang == lang || !fx_has_word(f->text + off, len))) {
        last->len = off + len - last->off;
        return;
    }
    /* A first span without words takes the language of the next one. */
    if (last != NULL && !fx_has_word(f->text + last->off, last->len)) {
        last->len = off + len - last->off;
        last->lang = lang;
        return;
    }
    if (f->spans == NULL || f->n_spans == f->spans_cap) {
        f->spans_cap = f->spans_cap > 0 ? f->spans_cap * 2 : 8;
        f->spans = xrealloc(f->spans, f->spans_cap * sizeof *f->spans);
    }
    f->spans[f->n_spans++] = (struct fx_span){off, len, lang};
}

/* Appends the spans of the LEN bytes of F's text from OFF, in LANG: LANG
 * itself, except the runs its voice cannot read, which are spoken in the
 * language of their script (view_foreign()). */
static void
fx_segment(struct fx *f, size_t off, size_t len, int lang)
{
    struct view_mark runs[64];
    size_t k = view_foreign(f->text, off, len, lang, runs, 64);
    size_t at = off;
    for (size_t i = 0; i < k; i++) {
        fx_span_add(f, at, runs[i].off - at, lang);
        fx_span_add(f, runs[i].off, runs[i].len, runs[i].lang);
        at = runs[i].off + runs[i].len;
    }
    fx_span_add(f, at, off + len - at, lang);
}

void
fx_say_spans(struct fx_list *l, int lang, const char *text,
             const struct fx_span *marks, size_t n)
{
    if (text == NULL || text[0] == '\0')
        return;
    struct fx *f = fx_add(l, FX_SAY);
    f->text = xstrdup(text);
    size_t total = strlen(text);
    /* Grown as needed by fx_span_add(). */
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        size_t off = marks[i].off < at ? at : marks[i].off;
        if (off > total)
            off = total;
        size_t end = marks[i].off + marks[i].len;
        if (end > total)
            end = total;
        if (end <= off)
            continue;
        fx_segment(f, at, off - at, lang);
        fx_segment(f, off, end - off, marks[i].lang);
        at = end;
    }
    fx_segment(f, at, total - at, lang);
    f->lang = lang;
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
fx_chime(struct fx_list *l)
{
    struct fx *f = fx_add(l, FX_SAY);
    f->text = xstrdup("♪");
    f->lang = FX_LANG_CHIME;
    f->spans = xcalloc(1, sizeof *f->spans);
    f->spans[0] = (struct fx_span){0, strlen(f->text), FX_LANG_CHIME};
    f->n_spans = f->spans_cap = 1;
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
        free(l->v[i].spans);
        screen_free(l->v[i].screen);
        services_call_free(l->v[i].call);
        free(l->v[i].check);
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
