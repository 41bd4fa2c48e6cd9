/*
 * liblouis behind the kiosk's languages (see louis.h). Text goes in as
 * UTF-8 and is decoded into liblouis's widechar (4 bytes in Debian's
 * build; a 2-byte build gets U+FFFD for what it cannot hold); cells come
 * out with the dotsIO|ucBrl modes as Unicode Braille patterns, whose low
 * byte is the cell.
 */
#include "accessibility/louis.h"

#include <liblouis/liblouis.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/utf8.h"
#include "accessibility/xalloc.h"

#define LOUIS_PATTERN 0x2800u

/* The last complaint of liblouis, for *why. */
static char louis_last[256];

static void
louis_log(logLevels level, const char *message)
{
    (void)level;
    snprintf(louis_last, sizeof louis_last, "%s", message);
}

static void
louis_init(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    lou_registerLogCallback(louis_log);
    lou_setLogLevel(LOU_LOG_ERROR);
}

const char *
louis_table(enum lang lang, bool contracted)
{
    switch (lang) {
    case LANG_RU:
        return contracted ? "ru-ru-g1.ctb" : "ru-litbrl.ctb";
    case LANG_EN:
        return contracted ? "en-ueb-g2.ctb" : "en-ueb-g1.ctb";
    case LANG_KK:
    default:
        return "kk.utb";
    }
}

/* Decodes TEXT into a new widechar array (*N code points); -1 when TEXT
 * is not valid UTF-8. */
static int
louis_decode(const char *text, widechar **out, int *n)
{
    size_t len = strlen(text);
    widechar *w = xcalloc(len + 1, sizeof *w);
    int k = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int b = utf8_decode(text + i, len - i, &cp);
        if (b < 0) {
            free(w);
            return -1;
        }
        if (sizeof(widechar) < 4 && cp > 0xffff)
            cp = 0xfffd;
        w[k++] = (widechar)cp;
        i += (size_t)b;
    }
    *out = w;
    *n = k;
    return 0;
}

/* Checks that TABLE compiles; -1 with *why when not. */
static int
louis_check_table(const char *table, char **why)
{
    louis_init();
    louis_last[0] = '\0';
    if (lou_getTable(table) == NULL) {
        *why = xasprintf("cannot load the Braille table %s%s%s", table,
                         louis_last[0] ? ": " : "", louis_last);
        return -1;
    }
    return 0;
}

/* Translates the code points IN[0..N) with TABLE, appending the cells to
 * *CELLS (capacity *CAP, length *LEN). */
static int
louis_run(const char *table, const widechar *in, int n, unsigned char **cells,
          size_t *len, size_t *cap, char **why)
{
    if (n == 0)
        return 0;
    int size = n * 4 + 16;
    for (;;) {
        widechar *out = xcalloc((size_t)size, sizeof *out);
        int inlen = n, outlen = size;
        louis_last[0] = '\0';
        if (!lou_translateString(table, in, &inlen, out, &outlen, NULL, NULL,
                                 dotsIO | ucBrl)) {
            free(out);
            *why = xasprintf("Braille translation with %s failed%s%s", table,
                             louis_last[0] ? ": " : "", louis_last);
            return -1;
        }
        if (inlen < n && outlen >= size) {
            /* The output filled the buffer before the input ended. */
            free(out);
            size *= 2;
            continue;
        }
        if (*len + (size_t)outlen > *cap) {
            *cap = (*len + (size_t)outlen) * 2;
            *cells = xrealloc(*cells, *cap);
        }
        for (int i = 0; i < outlen; i++)
            (*cells)[(*len)++] = (unsigned char)(out[i] & 0xff);
        free(out);
        return 0;
    }
}

int
louis_translate(const char *table, const char *text, unsigned char **cells,
                size_t *n, char **why)
{
    widechar *in;
    int len;
    *cells = NULL;
    *n = 0;
    if (louis_check_table(table, why) < 0)
        return -1;
    if (louis_decode(text, &in, &len) < 0) {
        *why = xstrdup("the text to translate into Braille is not valid "
                       "UTF-8");
        return -1;
    }
    size_t cap = 0;
    int rc = louis_run(table, in, len, cells, n, &cap, why);
    free(in);
    if (rc < 0 || *n == 0) {
        free(*cells);
        *cells = NULL;
        if (rc == 0)
            *n = 0;
    }
    return rc;
}

static bool
louis_is_pattern(widechar c)
{
    return c >= LOUIS_PATTERN && c <= LOUIS_PATTERN + 0xff;
}

/* The class of the word IN[0..N): 1 when it holds a digit or a Braille
 * pattern (translated uncontracted, patterns copied), else 0. */
static int
louis_word_class(const widechar *in, int n)
{
    for (int i = 0; i < n; i++)
        if ((in[i] >= '0' && in[i] <= '9') || louis_is_pattern(in[i]))
            return 1;
    return 0;
}

/* Translates a segment of class 1 uncontracted, copying Braille
 * patterns as they are. */
static int
louis_literal(const char *table, const widechar *in, int n,
              unsigned char **cells, size_t *len, size_t *cap, char **why)
{
    int start = 0;
    for (int i = 0; i <= n; i++) {
        if (i < n && !louis_is_pattern(in[i]))
            continue;
        if (louis_run(table, in + start, i - start, cells, len, cap, why) < 0)
            return -1;
        if (i < n) {
            if (*len + 1 > *cap) {
                *cap = (*len + 1) * 2;
                *cells = xrealloc(*cells, *cap);
            }
            (*cells)[(*len)++] = (unsigned char)(in[i] - LOUIS_PATTERN);
        }
        start = i + 1;
    }
    return 0;
}

int
louis_braille(enum lang lang, bool contracted, const char *text,
              unsigned char **cells, size_t *n, char **why)
{
    const char *plain = louis_table(lang, false);
    const char *chosen = louis_table(lang, contracted);
    widechar *in;
    int len;
    *cells = NULL;
    *n = 0;
    if (louis_check_table(plain, why) < 0 || louis_check_table(chosen, why) < 0)
        return -1;
    if (louis_decode(text, &in, &len) < 0) {
        *why = xstrdup("the text to translate into Braille is not valid "
                       "UTF-8");
        return -1;
    }
    /* Segments of consecutive words of one class, with the spaces between
     * them; one blank cell between segments. */
    size_t cap = 0;
    int rc = 0, i = 0, seg = -1, seg_end = 0, cls = -1;
    while (rc == 0) {
        while (i < len && in[i] == ' ')
            i++;
        int w = i;
        while (w < len && in[w] != ' ')
            w++;
        int c = i < len ? louis_word_class(in + i, w - i) : -1;
        if (seg >= 0 && c != cls) {
            if (*n > 0) {
                if (*n + 1 > cap) {
                    cap = (*n + 1) * 2;
                    *cells = xrealloc(*cells, cap);
                }
                (*cells)[(*n)++] = 0;
            }
            if (cls == 1)
                rc = louis_literal(plain, in + seg, seg_end - seg, cells, n,
                                   &cap, why);
            else
                rc = louis_run(chosen, in + seg, seg_end - seg, cells, n, &cap,
                               why);
            seg = -1;
        }
        if (i == len)
            break;
        if (seg < 0) {
            seg = i;
            cls = c;
        }
        seg_end = w;
        i = w;
    }
    free(in);
    if (rc < 0 || *n == 0) {
        free(*cells);
        *cells = NULL;
        *n = 0;
    }
    return rc;
}

int
louis_back(const char *table, const unsigned char *cells, size_t n, char **text,
           char **why)
{
    *text = NULL;
    if (louis_check_table(table, why) < 0)
        return -1;
    widechar *in = xcalloc(n + 1, sizeof *in);
    for (size_t i = 0; i < n; i++)
        in[i] = (widechar)(LOU_DOTS | cells[i]);
    int size = (int)n * 8 + 16;
    widechar *out = xcalloc((size_t)size, sizeof *out);
    int inlen = (int)n, outlen = size;
    louis_last[0] = '\0';
    if (!lou_backTranslateString(table, in, &inlen, out, &outlen, NULL, NULL,
                                 dotsIO)) {
        *why = xasprintf("Braille back-translation with %s failed%s%s", table,
                         louis_last[0] ? ": " : "", louis_last);
        free(in);
        free(out);
        return -1;
    }
    char *s = xmalloc((size_t)outlen * 4 + 1);
    size_t k = 0;
    for (int i = 0; i < outlen; i++) {
        size_t b = utf8_encode((uint32_t)out[i], s + k);
        k += b ? b : utf8_encode(0xfffd, s + k);
    }
    s[k] = '\0';
    free(in);
    free(out);
    *text = s;
    return 0;
}

char *
louis_unicode(const unsigned char *cells, size_t n)
{
    char *s = xmalloc(n * 3 + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += utf8_encode(LOUIS_PATTERN + cells[i], s + k);
    s[k] = '\0';
    return s;
}

void
louis_dots(unsigned char cell, char out[9])
{
    int k = 0;
    for (int d = 0; d < 8; d++)
        if (cell & (1u << d))
            out[k++] = (char)('1' + d);
    out[k] = '\0';
}

void
louis_cleanup(void)
{
    lou_free();
}
