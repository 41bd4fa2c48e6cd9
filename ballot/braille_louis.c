/*
 * liblouis calls (see braille_louis.h). Text goes in and out through
 * liblouis's dotsIO mode, in which a cell is LOU_DOTS plus its dot bits,
 * so that no display table is involved: what is embossed is exactly the
 * dots the translation table gives. The virtual dots 9..F that tables use
 * to tell characters apart are not physical and are dropped; dots 7 and 8
 * would be, and are refused.
 *
 * A character a table does not know comes out of liblouis as an escape
 * ("\x049b/") written in Braille; to name it instead, a text whose
 * translation changes when undefined characters are skipped is looked at
 * one character at a time.
 */
#include "ballot/braille_louis.h"

#include <liblouis.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/utf8.h"
#include "accessibility/xalloc.h"

#define PHYSICAL_DOTS 0x3F /* dots 1-6 */
#define EIGHT_DOTS 0xC0    /* dots 7-8 */

/* kk.utb's Kazakh letters with their six physical dots, as kk.utb defines
 * them (less its virtual dot 9), read back by these rules. */
static const char *const kk_back_rules[] = {
    "nofor always \\x04d9 345",   /* ә */
    "nofor always \\x0493 12456", /* ғ */
    "nofor always \\x049b 1456",  /* қ */
    "nofor always \\x04a3 146",   /* ң */
    "nofor always \\x04e9 126",   /* ө */
    "nofor always \\x04b1 346",   /* ұ */
    "nofor always \\x04af 34",    /* ү */
    "nofor always \\x04bb 1236",  /* һ */
    "nofor always \\x0456 13456", /* і */
};

const char *
braille_louis_table(const char *lang)
{
    if (lang == NULL)
        return NULL;
    if (strcmp(lang, "ru") == 0)
        return "ru-litbrl.ctb";
    if (strcmp(lang, "kk") == 0)
        return "kk.utb";
    return NULL;
}

/* Whether kk.utb has the back rules: 1 yes, -1 refused, 0 not tried. */
static int kk_back;

/*
 * Returns LANG's table, loaded, or NULL with *WHY. For kk the back rules
 * are added first: liblouis accepts new rules only before the table is
 * first used (it is then "finalized"). When another part of the process
 * used kk.utb first, they are refused: translation still works, and
 * BACK (the caller translates back) makes that an error.
 */
static const char *
table_ready(const char *lang, int back, char **why)
{
    const char *table = braille_louis_table(lang);
    if (table == NULL) {
        *why = xasprintf("no Braille table for the language '%s' (kk or ru)",
                         lang != NULL ? lang : "");
        return NULL;
    }
    if (strcmp(lang, "kk") == 0 && kk_back == 0) {
        /* A refusal is answered here, not logged by liblouis. */
        lou_setLogLevel(LOU_LOG_OFF);
        kk_back = 1;
        for (size_t i = 0; i < sizeof kk_back_rules / sizeof *kk_back_rules;
             i++)
            if (!lou_compileString(table, kk_back_rules[i]))
                kk_back = -1;
    }
    lou_setLogLevel(LOU_LOG_ERROR);
    if (lou_getTable(table) == NULL) {
        *why = xasprintf("liblouis cannot load the Braille table %s (is "
                         "liblouis-data installed?)",
                         table);
        return NULL;
    }
    if (back && strcmp(lang, "kk") == 0 && kk_back < 0) {
        *why = xasprintf("%s was used before dauys could add the rules that "
                         "read Kazakh letters back; cannot translate back",
                         table);
        return NULL;
    }
    return table;
}

int
braille_louis_ready(const char *lang, char **why)
{
    return table_ready(lang, 0, why) != NULL ? 0 : -1;
}

/* Decodes TEXT into a new widechar array (*N of them); -1 on invalid
 * UTF-8 or a code point liblouis cannot hold, with *WHY. */
static int
widen(const char *text, widechar **out, int *n, char **why)
{
    size_t len = strlen(text);
    widechar *w = xmalloc((len + 1) * sizeof *w);
    size_t k = 0;
    for (size_t at = 0; at < len;) {
        uint32_t cp;
        int step = utf8_decode(text + at, len - at, &cp);
        if (step < 0 || (widechar)cp != cp) {
            free(w);
            *why = xasprintf("the text is not valid UTF-8 at byte %zu", at);
            return -1;
        }
        w[k++] = (widechar)cp;
        at += (size_t)step;
    }
    if (k > (size_t)(INT32_MAX / 8)) {
        free(w);
        *why = xstrdup("the text is too long to translate to Braille");
        return -1;
    }
    *out = w;
    *n = (int)k;
    return 0;
}

/* Forward translation of the N characters IN with MODE; returns the cell
 * count, or -1. *OUT is new (the caller frees). */
static int
forward(const char *table, const widechar *in, int n, int mode, widechar **out)
{
    /* liblouis never needs more than a few cells a character here: an
     * escaped undefined character takes eight. */
    int cap = 10 * n + 16;
    widechar *o = xmalloc((size_t)cap * sizeof *o);
    int in_len = n, out_len = cap;
    if (!lou_translateString(table, in, &in_len, o, &out_len, NULL, NULL,
                             mode | dotsIO) ||
        in_len != n) {
        free(o);
        return -1;
    }
    *out = o;
    return out_len;
}

int
braille_louis_translate(const char *lang, const char *text, uint8_t **cells,
                        size_t *n, char **why)
{
    const char *table = table_ready(lang, 0, why);
    if (table == NULL)
        return -1;
    widechar *in = NULL, *out = NULL, *strict = NULL;
    int n_in, rc = -1;
    if (widen(text, &in, &n_in, why) != 0)
        return -1;
    int n_out = forward(table, in, n_in, 0, &out);
    int n_strict = forward(table, in, n_in, noUndefined, &strict);
    if (n_out < 0 || n_strict < 0) {
        *why = xasprintf("liblouis could not translate '%s' with %s", text,
                         table);
        goto done;
    }
    if (n_out != n_strict ||
        memcmp(out, strict, (size_t)n_out * sizeof *out) != 0) {
        /* Find the first character the table does not know. */
        for (int i = 0; i < n_in; i++) {
            widechar *one = NULL;
            int k = forward(table, in + i, 1, noUndefined, &one);
            free(one);
            if (k == 0) {
                char u[5] = {0};
                utf8_encode(in[i], u);
                *why = xasprintf("the Braille table %s has no cell for '%s' "
                                 "(U+%04X) in '%s'",
                                 table, u, (unsigned)in[i], text);
                goto done;
            }
        }
        *why = xasprintf("the Braille table %s does not know every "
                         "character of '%s'",
                         table, text);
        goto done;
    }
    uint8_t *c = xmalloc((size_t)n_out + 1);
    for (int i = 0; i < n_out; i++) {
        if (!(out[i] & LOU_DOTS) || (out[i] & EIGHT_DOTS)) {
            free(c);
            *why = xasprintf("the Braille table %s gives '%s' a cell that "
                             "is not six-dot Braille",
                             table, text);
            goto done;
        }
        c[i] = (uint8_t)(out[i] & PHYSICAL_DOTS);
    }
    *cells = c;
    *n = (size_t)n_out;
    rc = 0;
done:
    free(in);
    free(out);
    free(strict);
    return rc;
}

int
braille_louis_back(const char *lang, const uint8_t *cells, size_t n,
                   char **text, char **why)
{
    const char *table = table_ready(lang, 1, why);
    if (table == NULL)
        return -1;
    if (n > (size_t)(INT32_MAX / 8)) {
        *why = xstrdup("too many Braille cells to translate back");
        return -1;
    }
    widechar *in = xmalloc((n + 1) * sizeof *in);
    for (size_t i = 0; i < n; i++)
        in[i] = LOU_DOTS | (cells[i] & PHYSICAL_DOTS);
    int cap = 4 * (int)n + 16;
    widechar *out = xmalloc((size_t)cap * sizeof *out);
    int in_len = (int)n, out_len = cap, rc = -1;
    if (!lou_backTranslateString(table, in, &in_len, out, &out_len, NULL, NULL,
                                 dotsIO)) {
        *why = xasprintf("liblouis could not translate %zu cells back with "
                         "%s",
                         n, table);
        goto done;
    }
    char *s = xmalloc(4 * (size_t)out_len + 1);
    size_t len = 0;
    for (int i = 0; i < out_len; i++) {
        size_t k = utf8_encode(out[i], s + len);
        if (k == 0)
            k = utf8_encode(0xFFFD, s + len);
        len += k;
    }
    s[len] = '\0';
    *text = s;
    rc = 0;
done:
    free(in);
    free(out);
    return rc;
}
