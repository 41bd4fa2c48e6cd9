/*
 * The entry model (see entry.h). Characters are counted and deleted by
 * code point with utf8_decode(), so a Kazakh letter is never cut in half.
 */
#include "kiosk/entry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "accessibility/readout.h"
#include "accessibility/utf8.h"

#define ENTRY_DOT "\xe2\x97\x8f" /* ● */

void
entry_init(struct entry *e, enum entry_kind kind, size_t max, size_t group)
{
    sodium_memzero(e, sizeof *e);
    e->kind = kind;
    e->max = max;
    e->group = group;
}

void
entry_clear(struct entry *e)
{
    sodium_memzero(e->text, sizeof e->text);
    e->len = 0;
    e->count = 0;
}

bool
entry_full(const struct entry *e)
{
    return e->count >= e->max;
}

/* Adds the UTF-8 character U of N bytes; false when E cannot take it. */
static bool
entry_append(struct entry *e, const char *u, size_t n)
{
    if (entry_full(e) || e->len + n >= sizeof e->text ||
        (e->max_bytes > 0 && e->len + n > e->max_bytes))
        return false;
    memcpy(e->text + e->len, u, n);
    e->len += n;
    e->text[e->len] = '\0';
    e->count++;
    return true;
}

/* False for control characters, which a text field never takes: C0, DEL
 * and C1 (U+0080 to U+009F; U+009B is CSI on the Linux console, and the
 * field's text is shown, spoken and echoed in messages). */
static bool
entry_printable(uint32_t cp)
{
    return cp >= 0x20 && !(cp >= 0x7f && cp <= 0x9f);
}

void
entry_set(struct entry *e, const char *text)
{
    entry_clear(e);
    size_t n = strlen(text), i = 0;
    while (i < n) {
        uint32_t cp;
        int step = utf8_decode(text + i, n - i, &cp);
        if (step <= 0)
            break;
        bool ok = e->kind == ENTRY_TEXT ? entry_printable(cp)
                                        : cp >= '0' && cp <= '9';
        if (ok && !entry_append(e, text + i, (size_t)step))
            break;
        i += (size_t)step;
    }
}

/* Removes the last code point; false when E is empty. */
static bool
entry_delete(struct entry *e)
{
    if (e->len == 0)
        return false;
    size_t end = e->len - 1;
    while (end > 0 && ((unsigned char)e->text[end] & 0xC0) == 0x80)
        end--;
    sodium_memzero(e->text + end, e->len - end);
    e->len = end;
    e->count--;
    return true;
}

enum entry_result
entry_key(struct entry *e, const struct ctx *c, const struct key *k,
          struct fx_list *fx)
{
    char u[5] = "";
    size_t n = 0;
    if (k->action == ACTION_DIGIT && k->codepoint >= '0' &&
        k->codepoint <= '9') {
        u[0] = (char)k->codepoint;
        n = 1;
    } else if (k->action == ACTION_CHAR && e->kind == ENTRY_TEXT &&
               entry_printable(k->codepoint)) {
        n = utf8_encode(k->codepoint, u);
    } else if (k->action == ACTION_DELETE) {
        if (!entry_delete(e))
            return ENTRY_EMPTY;
        fx_say(fx, (int)c->lang,
               e->kind == ENTRY_DIGITS ? T(c, "digit deleted")
                                       : T(c, "deleted"));
        return ENTRY_CHANGED;
    }
    if (n == 0)
        return ENTRY_IGNORED;
    if (!entry_append(e, u, n))
        return ENTRY_FULL;
    if (e->masked)
        fx_say(fx, (int)c->lang, T(c, "digit entered"));
    else
        fx_say(fx, (int)c->lang, k->codepoint == ' ' ? T(c, "space") : u);
    sodium_memzero(u, sizeof u);
    return ENTRY_CHANGED;
}

void
entry_show(const struct entry *e, char *out, size_t size)
{
    size_t o = 0;
    if (size == 0)
        return;
    out[0] = '\0';
    if (e->masked) {
        for (size_t i = 0; i < e->count && o + sizeof ENTRY_DOT <= size; i++)
            o += (size_t)snprintf(out + o, size - o, "%s", ENTRY_DOT);
        return;
    }
    if (e->kind == ENTRY_TEXT || e->group == 0) {
        snprintf(out, size, "%s", e->text);
        if (e->kind == ENTRY_TEXT || !e->slots)
            return;
    }
    size_t total = e->slots ? e->max : e->count;
    for (size_t i = 0; i < total && o + 2 < size; i++) {
        if (e->group > 0 && i > 0 && i % e->group == 0)
            out[o++] = ' ';
        if (i < e->count)
            out[o++] = e->text[i];
        else
            out[o++] = '_';
    }
    out[o] = '\0';
}

void
entry_say(const struct entry *e, char *out, size_t size)
{
    if (size == 0)
        return;
    if (e->masked || e->kind == ENTRY_TEXT) {
        snprintf(out, size, "%s", e->masked ? "" : e->text);
        return;
    }
    char *r = readout_digits(e->text, e->group);
    snprintf(out, size, "%s", r);
    sodium_memzero(r, strlen(r));
    free(r);
}

struct view_item *
entry_view(const struct entry *e, struct view *v, const char *empty_say)
{
    char show[ENTRY_BYTES_MAX * 2];
    entry_show(e, show, sizeof show);
    struct view_item *it = view_add(v, VIEW_ENTRY, "%s", show);
    sodium_memzero(show, sizeof show);
    if (it == NULL)
        return NULL;
    if (e->count == 0 && empty_say != NULL)
        snprintf(it->say, sizeof it->say, "%s", empty_say);
    else if (e->masked)
        it->quiet = true;
    else
        entry_say(e, it->say, sizeof it->say);
    return it;
}
