/*
 * Building view models. Text that does not fit its buffer is cut at a
 * UTF-8 character boundary, never in the middle of a letter, and ends in
 * "…" so that nobody mistakes it for the whole text; the view remembers
 * that something was cut.
 */
#include "kiosk/view.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "accessibility/utf8.h"

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
    v->title_marks.n = 0;
    v->focus = -1;
    v->initial = -1;
    v->cut = false;
    v->own_position = false;
    v->paused = false;
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
    v->title_marks.n = 0;
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
         i >= 0 && (size_t)i<v->n_items; i += dir> 0 ? 1 : -1) {
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

/* Script classes of the letters of a text. */
enum view_script {
    VIEW_SCRIPT_NONE = 0,
    VIEW_SCRIPT_LATIN = 1,
    VIEW_SCRIPT_RU = 2, /* Cyrillic letters of the Russian alphabet */
    VIEW_SCRIPT_KK = 4, /* any other Cyrillic letter: Ә Ғ Қ Ң Ө Ұ Ү Һ І */
};

static unsigned int
view_script_of(uint32_t cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
        (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7))
        return VIEW_SCRIPT_LATIN;
    if ((cp >= 0x410 && cp <= 0x44F) || cp == 0x401 || cp == 0x451)
        return VIEW_SCRIPT_RU;
    if (cp >= 0x400 && cp <= 0x52F)
        return VIEW_SCRIPT_KK;
    return VIEW_SCRIPT_NONE;
}

/* The scripts of the LEN bytes at S, a bit set of enum view_script. */
static unsigned int
view_scripts(const char *s, size_t len)
{
    unsigned int k = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += utf8_decode_shown(s + i, len - i, &cp);
        k |= view_script_of(cp);
    }
    return k;
}

int
view_script_lang(const char *text, int fallback)
{
    unsigned int k = view_scripts(text, strlen(text));
    if (k & VIEW_SCRIPT_KK)
        return LANG_KK;
    if (k & VIEW_SCRIPT_RU)
        return LANG_RU;
    if (k & VIEW_SCRIPT_LATIN)
        return LANG_EN;
    return fallback;
}

/* The scripts a voice of LANG cannot read. */
static unsigned int
view_unreadable(int lang)
{
    switch (lang) {
    case LANG_KK:
        return VIEW_SCRIPT_LATIN;
    case LANG_RU:
        return VIEW_SCRIPT_KK | VIEW_SCRIPT_LATIN;
    default:
        return VIEW_SCRIPT_KK | VIEW_SCRIPT_RU;
    }
}

/* The language of a run whose scripts K hold some of BAD: the voice that
 * reads the letters the run's own voice cannot. */
static int
view_run_lang(unsigned int k, unsigned int bad)
{
    k &= bad;
    if (k & VIEW_SCRIPT_KK)
        return LANG_KK;
    if (k & VIEW_SCRIPT_RU)
        return LANG_RU;
    return LANG_EN;
}

/* True when CP ends a word: white space, punctuation other than the
 * hyphen and the apostrophe, quotes and dashes. */
static bool
view_separator(uint32_t cp)
{
    if (cp < 0x80)
        return cp <= ' ' ||
               (cp != '-' && cp != '\'' && !(cp >= '0' && cp <= '9') &&
                !(cp >= 'A' && cp <= 'Z') && !(cp >= 'a' && cp <= 'z'));
    return cp == 0xA0 || cp == 0xAB || cp == 0xBB || cp == 0xB7 ||
           (cp >= 0x2010 && cp <= 0x2027);
}

/* Adds run (OFF, LEN, LANG) to OUT, joining it to the last run when only
 * white space lies between them and the language is the same. */
static size_t
view_run_add(const char *text, struct view_mark *out, size_t n, size_t max,
             size_t off, size_t len, int lang)
{
    if (n > 0) {
        struct view_mark *last = &out[n - 1];
        size_t end = last->off + last->len;
        bool blank = end <= off;
        for (size_t i = end; blank && i < off; i++)
            blank = text[i] == ' ';
        if (blank && last->lang == lang) {
            last->len = off + len - last->off;
            return n;
        }
    }
    if (n < max)
        out[n++] = (struct view_mark){off, len, lang};
    return n;
}

size_t
view_foreign(const char *text, size_t off, size_t len, int lang,
             struct view_mark *out, size_t max)
{
    unsigned int bad = view_unreadable(lang);
    size_t n = 0, end = off + len, quote_end = 0;
    if (bad == 0)
        return 0;
    for (size_t i = off; i < end;) {
        uint32_t cp;
        size_t step = utf8_decode_shown(text + i, end - i, &cp);
        if (cp == 0xAB && i >= quote_end) { /* « */
            size_t q = i + step, j = q;
            while (j < end) {
                uint32_t c2;
                size_t st = utf8_decode_shown(text + j, end - j, &c2);
                if (c2 == 0xBB)
                    break;
                j += st;
            }
            unsigned int k = view_scripts(text + q, j - q);
            if (j < end && (k & bad) != 0) {
                n = view_run_add(text, out, n, max, q, j - q,
                                 view_run_lang(k, bad));
                quote_end = j;
                i = j;
                continue;
            }
        }
        if (view_separator(cp)) {
            i += step;
            continue;
        }
        /* A word ends where its letters change from Latin to Cyrillic or
         * back ("QR-код" is two). */
        size_t w = i;
        unsigned int family = 0;
        while (w < end) {
            uint32_t c2;
            size_t st = utf8_decode_shown(text + w, end - w, &c2);
            if (view_separator(c2))
                break;
            unsigned int f = view_script_of(c2);
            if (f == VIEW_SCRIPT_KK)
                f = VIEW_SCRIPT_RU;
            if (f != 0 && family != 0 && f != family)
                break;
            if (f != 0)
                family = f;
            w += st;
        }
        unsigned int k = view_scripts(text + i, w - i);
        if ((k & bad) != 0)
            n = view_run_add(text, out, n, max, i, w - i,
                             view_run_lang(k, bad));
        i = w;
    }
    return n;
}

/* Marks PART in TEXT after the marks M already has. */
static bool
view_mark_in(const char *text, struct view_marks *m, const char *part, int lang,
             int fallback)
{
    if (part == NULL || part[0] == '\0' || m->n >= VIEW_MARKS_MAX)
        return false;
    size_t from = m->n > 0 ? m->v[m->n - 1].off + m->v[m->n - 1].len : 0;
    const char *at = strstr(text + from, part);
    if (at == NULL)
        return false;
    if (lang < 0)
        lang = view_script_lang(part, fallback);
    m->v[m->n++] = (struct view_mark){(size_t)(at - text), strlen(part), lang};
    return true;
}

bool
view_mark(const struct view *v, struct view_item *it, const char *part,
          int lang)
{
    const char *text = it->say[0] != '\0' ? it->say : it->text;
    return view_mark_in(text, &it->marks, part, lang,
                        it->lang >= 0 ? it->lang : (int)v->lang);
}

bool
view_mark_title(struct view *v, const char *part, int lang)
{
    return view_mark_in(v->title, &v->title_marks, part, lang,
                        v->title_lang >= 0 ? v->title_lang : (int)v->lang);
}

void
view_keys_text(char *text, size_t size, struct view_marks *marks, int lang,
               view_key_name_fn *name, void *ctx)
{
    char id[24];
    size_t i = 0;
    while (text[i] != '\0') {
        if (text[i] != '{') {
            i++;
            continue;
        }
        size_t n = 1;
        while (n < sizeof id && ((text[i + n] >= 'a' && text[i + n] <= 'z') ||
                                 text[i + n] == '-'))
            n++;
        const char *with = NULL;
        if (n > 1 && n < sizeof id && text[i + n] == '}') {
            memcpy(id, text + i + 1, n - 1);
            id[n - 1] = '\0';
            with = name(id, lang, ctx);
        }
        size_t len = strlen(text), wlen = with != NULL ? strlen(with) : 0;
        if (with == NULL || len - (n + 1) + wlen >= size) {
            i++;
            continue;
        }
        memmove(text + i + wlen, text + i + n + 1, len - (i + n + 1) + 1);
        memcpy(text + i, with, wlen);
        for (size_t m = 0; marks != NULL && m < marks->n; m++) {
            if (marks->v[m].off > i)
                marks->v[m].off = marks->v[m].off + wlen - (n + 1);
        }
        i += wlen;
    }
}

void
view_keys(struct view *v, view_key_name_fn *name, void *ctx)
{
    int lang = (int)v->lang;
    view_keys_text(v->title, sizeof v->title, &v->title_marks,
                   v->title_lang >= 0 ? v->title_lang : lang, name, ctx);
    view_keys_text(v->notice, sizeof v->notice, NULL, lang, name, ctx);
    view_keys_text(v->hint, sizeof v->hint, NULL, lang, name, ctx);
    for (size_t i = 0; i < v->n_items && i < VIEW_ITEMS_MAX; i++) {
        struct view_item *it = &v->items[i];
        bool own_say = it->say[0] != '\0';
        int il = it->lang >= 0 ? it->lang : lang;
        view_keys_text(it->text, sizeof it->text, own_say ? NULL : &it->marks,
                       il, name, ctx);
        if (own_say)
            view_keys_text(it->say, sizeof it->say, &it->marks, il, name, ctx);
    }
}
