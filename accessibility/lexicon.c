/*
 * The pronunciation lexicon.
 *
 * Entries are kept as arrays of folded code points, sorted by their first
 * code point and, for the same first code point, longest first; applying
 * the lexicon decodes the text once, and at each word start binary-searches
 * the entries that begin with that letter and takes the first one that
 * matches up to a word boundary, which is therefore the longest. A few
 * hundred entries and a sentence cost microseconds, so there is no
 * automaton. Case folding is a small table of our own rather than
 * towlower(), because towlower() depends on the C locale and the kiosk must
 * fold "ЦИК" and "цик" alike whatever the environment says.
 */
#include "accessibility/lexicon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/utf8.h"
#include "accessibility/xalloc.h"

struct lexicon_entry {
    uint32_t *key; /* folded code points */
    size_t len;
    char *spelling;     /* UTF-8 */
    unsigned long line; /* line in the file it came from, 0 if none */
};

struct lexicon {
    struct lexicon_entry *e;
    size_t n, cap;
};

uint32_t
lexicon_fold(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp < 0xc0)
        return cp;
    if (cp <= 0xde)
        return cp == 0xd7 ? cp : cp + 32;
    if (cp >= 0x100 && cp <= 0x17f) {
        /* Latin Extended-A: pairs (upper even, lower odd) except in
         * 0x139..0x148 and 0x179..0x17e, where the upper case is odd. */
        if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e))
            return (cp & 1) ? cp + 1 : cp;
        if (cp == 0x130 || cp == 0x131 || cp == 0x138 || cp == 0x149 ||
            cp == 0x17f)
            return cp;
        if (cp == 0x178)
            return 0xff;
        return cp | 1;
    }
    if (cp >= 0x400 && cp <= 0x40f)
        return cp + 80;
    if (cp >= 0x410 && cp <= 0x42f)
        return cp + 32;
    if ((cp >= 0x460 && cp <= 0x481) || (cp >= 0x48a && cp <= 0x4bf) ||
        (cp >= 0x4d0 && cp <= 0x52f))
        return cp | 1;
    if (cp == 0x4c0)
        return 0x4cf;
    if (cp >= 0x4c1 && cp <= 0x4ce)
        return (cp & 1) ? cp + 1 : cp;
    return cp;
}

bool
lexicon_is_word_char(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
               (cp >= 'A' && cp <= 'Z');
    if (cp < 0xc0 || cp == 0xd7 || cp == 0xf7)
        return false;
    /* Punctuation, symbols, arrows, box drawing, CJK punctuation, BOM and
     * the replacement character are boundaries; other scripts are words. */
    if ((cp >= 0x2000 && cp <= 0x2bff) || (cp >= 0x3000 && cp <= 0x303f) ||
        cp == 0xfeff || cp == 0xfffd)
        return false;
    return true;
}

static bool
lexicon_is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xa0 ||
           cp == 0x202f;
}

struct lexicon *
lexicon_new(void)
{
    return xcalloc(1, sizeof(struct lexicon));
}

void
lexicon_free(struct lexicon *lx)
{
    if (lx == NULL)
        return;
    for (size_t i = 0; i < lx->n; i++) {
        free(lx->e[i].key);
        free(lx->e[i].spelling);
    }
    free(lx->e);
    free(lx);
}

size_t
lexicon_count(const struct lexicon *lx)
{
    return lx->n;
}

/* Orders entries by first code point, then longest first. */
static int
lexicon_cmp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen)
{
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    if (alen != blen)
        return alen > blen ? -1 : 1;
    return memcmp(a, b, alen * sizeof *a) == 0 ? 0 : 1;
}

static const struct lexicon_entry *
lexicon_find(const struct lexicon *lx, const uint32_t *key, size_t len)
{
    for (size_t i = 0; i < lx->n; i++)
        if (lx->e[i].len == len &&
            memcmp(lx->e[i].key, key, len * sizeof *key) == 0)
            return &lx->e[i];
    return NULL;
}

/*
 * Decodes the code point at S (LEN bytes left) of an entry's WHAT ("word"
 * or "spelling") into *CP and returns its length in bytes; returns -1 with
 * *WHY filled when S is not UTF-8 or holds a control character (C0, DEL,
 * C1), which the message calls CONTROL.
 */
static int
lexicon_decode(const char *s, size_t len, const char *what, const char *control,
               uint32_t *cp, char **why)
{
    int k = utf8_decode(s, len, cp);
    if (k < 0) {
        *why = xasprintf("the %s is not valid UTF-8", what);
        return -1;
    }
    if (*cp < 0x20 || *cp == 0x7f || (*cp >= 0x80 && *cp < 0xa0)) {
        *why = xasprintf("the %s contains %s", what, control);
        return -1;
    }
    return k;
}

/*
 * Checks WORD and SPELLING and returns the folded key (caller frees) with
 * its length in *len, or NULL with *why filled.
 */
static uint32_t *
lexicon_make_key(const char *word, const char *spelling, size_t *len,
                 char **why)
{
    size_t wlen = strlen(word);
    uint32_t *key = xmalloc((wlen + 1) * sizeof *key);
    size_t n = 0;
    for (size_t i = 0; i < wlen;) {
        uint32_t cp;
        int k = lexicon_decode(word + i, wlen - i, "word",
                               "a control character", &cp, why);
        if (k < 0)
            goto fail;
        bool lone_space = cp == ' ' && n > 0 && key[n - 1] != ' ';
        if (lexicon_is_space(cp) && !lone_space) {
            *why = xstrdup("words of a phrase must be separated by single "
                           "spaces");
            goto fail;
        }
        key[n++] = lexicon_fold(cp);
        i += (size_t)k;
    }
    if (n == 0) {
        *why = xstrdup("the word is empty");
        goto fail;
    }
    if (!lexicon_is_word_char(key[0]) || !lexicon_is_word_char(key[n - 1])) {
        *why = xasprintf("the word \"%s\" must start and end with a letter "
                         "or a digit",
                         word);
        goto fail;
    }

    size_t slen = strlen(spelling);
    bool visible = false;
    for (size_t i = 0; i < slen;) {
        uint32_t cp;
        int k = lexicon_decode(spelling + i, slen - i, "spelling",
                               "a tab or a control character", &cp, why);
        if (k < 0)
            goto fail;
        if (!lexicon_is_space(cp))
            visible = true;
        i += (size_t)k;
    }
    if (!visible) {
        *why = xasprintf("the spelling of \"%s\" is empty", word);
        goto fail;
    }
    *len = n;
    return key;

fail:
    free(key);
    return NULL;
}

static void
lexicon_insert(struct lexicon *lx, uint32_t *key, size_t len,
               const char *spelling, unsigned long line)
{
    if (lx->n == lx->cap) {
        lx->cap = lx->cap ? lx->cap * 2 : 16;
        lx->e = xrealloc(lx->e, lx->cap * sizeof *lx->e);
    }
    size_t lo = 0, hi = lx->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lexicon_cmp(lx->e[mid].key, lx->e[mid].len, key, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(&lx->e[lo + 1], &lx->e[lo], (lx->n - lo) * sizeof *lx->e);
    lx->e[lo] = (struct lexicon_entry){.key = key,
                                       .len = len,
                                       .spelling = xstrdup(spelling),
                                       .line = line};
    lx->n++;
}

static int
lexicon_add_line(struct lexicon *lx, const char *word, const char *spelling,
                 unsigned long line, char **why)
{
    size_t len;
    uint32_t *key = lexicon_make_key(word, spelling, &len, why);
    if (key == NULL)
        return -1;
    const struct lexicon_entry *dup = lexicon_find(lx, key, len);
    if (dup != NULL) {
        if (dup->line > 0)
            *why = xasprintf("\"%s\" is already on line %lu", word, dup->line);
        else
            *why = xasprintf("\"%s\" is already in the lexicon", word);
        free(key);
        return -1;
    }
    lexicon_insert(lx, key, len, spelling, line);
    return 0;
}

int
lexicon_add(struct lexicon *lx, const char *word, const char *spelling,
            char **why)
{
    return lexicon_add_line(lx, word, spelling, 0, why);
}

int
lexicon_load_file(struct lexicon *lx, const char *path, char **why)
{
    int rc = -1;
    char *line = NULL;
    size_t cap = 0;
    unsigned long lineno = 0;
    struct lexicon *tmp = lexicon_new();
    FILE *f = fopen(path, "re");
    if (f == NULL) {
        *why = xasprintf("cannot open the lexicon %s: %s", path,
                         strerror(errno));
        goto out;
    }
    for (;;) {
        errno = 0;
        ssize_t got = getline(&line, &cap, f);
        if (got < 0) {
            if (ferror(f)) {
                *why = xasprintf("cannot read the lexicon %s: %s", path,
                                 strerror(errno));
                goto out;
            }
            break;
        }
        lineno++;
        size_t len = (size_t)got;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (len > 0 && line[len - 1] == '\r')
            line[--len] = '\0';
        if (strlen(line) != len) {
            *why = xasprintf("%s:%lu: the line contains a NUL byte", path,
                             lineno);
            goto out;
        }
        if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
            continue;
        char *tab = strchr(line, '\t');
        if (tab == NULL) {
            *why = xasprintf("%s:%lu: expected WORD<TAB>SPELLING", path,
                             lineno);
            goto out;
        }
        *tab = '\0';
        if (strchr(tab + 1, '\t') != NULL) {
            *why = xasprintf("%s:%lu: more than one tab; expected "
                             "WORD<TAB>SPELLING",
                             path, lineno);
            goto out;
        }
        char *reason = NULL;
        if (lexicon_add_line(tmp, line, tab + 1, lineno, &reason) < 0) {
            *why = xasprintf("%s:%lu: %s", path, lineno, reason);
            free(reason);
            goto out;
        }
    }
    for (size_t i = 0; i < tmp->n; i++) {
        if (lexicon_find(lx, tmp->e[i].key, tmp->e[i].len) != NULL) {
            *why = xasprintf("%s:%lu: the word is already in the lexicon", path,
                             tmp->e[i].line);
            goto out;
        }
    }
    for (size_t i = 0; i < tmp->n; i++) {
        lexicon_insert(lx, tmp->e[i].key, tmp->e[i].len, tmp->e[i].spelling,
                       tmp->e[i].line);
        tmp->e[i].key = NULL;
    }
    rc = 0;

out:
    /* Only read: closing cannot lose data, and a read error was reported. */
    if (f != NULL)
        (void)fclose(f);
    free(line);
    lexicon_free(tmp);
    return rc;
}

/* A growing output string. */
struct lexicon_buf {
    char *s;
    size_t len, cap;
};

static void
lexicon_buf_add(struct lexicon_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/*
 * If entry E matches the folded text CPS[I..N) up to a word boundary,
 * returns the index after the match; otherwise 0.
 */
static size_t
lexicon_match(const struct lexicon_entry *e, const uint32_t *cps, size_t i,
              size_t n)
{
    size_t j = i;
    for (size_t k = 0; k < e->len; k++) {
        if (j >= n)
            return 0;
        if (e->key[k] == ' ') {
            if (!lexicon_is_space(cps[j]))
                return 0;
            while (j < n && lexicon_is_space(cps[j]))
                j++;
            continue;
        }
        if (cps[j] != e->key[k])
            return 0;
        j++;
    }
    if (j < n && lexicon_is_word_char(cps[j]))
        return 0;
    return j;
}

char *
lexicon_apply(const struct lexicon *lx, const char *text)
{
    size_t tlen = strlen(text);
    struct lexicon_buf out = {0};
    lexicon_buf_add(&out, "", 0);
    if (lx == NULL || lx->n == 0) {
        lexicon_buf_add(&out, text, tlen);
        return out.s;
    }

    uint32_t *cps = xmalloc((tlen + 1) * sizeof *cps);
    size_t *off = xmalloc((tlen + 1) * sizeof *off);
    size_t n = 0;
    for (size_t i = 0; i < tlen;) {
        uint32_t cp;
        off[n] = i;
        i += utf8_decode_shown(text + i, tlen - i, &cp);
        cps[n++] = lexicon_fold(cp);
    }
    off[n] = tlen;

    size_t copied = 0; /* text index up to which bytes are in OUT */
    for (size_t i = 0; i < n;) {
        bool start = lexicon_is_word_char(cps[i]) &&
                     (i == 0 || !lexicon_is_word_char(cps[i - 1]));
        size_t end = 0;
        const struct lexicon_entry *hit = NULL;
        if (start) {
            size_t lo = 0, hi = lx->n;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (lx->e[mid].key[0] < cps[i])
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (size_t e = lo; e < lx->n && lx->e[e].key[0] == cps[i]; e++) {
                end = lexicon_match(&lx->e[e], cps, i, n);
                if (end > 0) {
                    hit = &lx->e[e];
                    break;
                }
            }
        }
        if (hit == NULL) {
            i++;
            continue;
        }
        lexicon_buf_add(&out, text + copied, off[i] - copied);
        lexicon_buf_add(&out, hit->spelling, strlen(hit->spelling));
        copied = off[end];
        i = end;
    }
    lexicon_buf_add(&out, text + copied, tlen - copied);
    free(cps);
    free(off);
    return out.s;
}
