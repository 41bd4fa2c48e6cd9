/*
 * The normaliser: rules files read into one flat table per language, and
 * three passes over the text, each writing a new string (see normalise.h).
 *
 * A rules file is a few hundred lines, so a rule is found by a linear scan:
 * a span has a handful of numbers and words to look up, and the scans cost
 * microseconds. Every working string may hold a voter's choice and is
 * wiped before it is freed. Word boundaries, case folding and UTF-8
 * decoding are the lexicon's (lexicon_is_word_char, lexicon_fold), so the
 * lexicon and the normaliser agree on what a word is.
 */
#include "accessibility/normalise.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/i18n.h"
#include "accessibility/lexicon.h"
#include "accessibility/utf8.h"
#include "accessibility/xalloc.h"

#define NORM_MAX_FIELDS 8
#define NORM_MAX_VALUE 999999999L
#define NORM_FILE_MAX (1u << 20)

enum ncase { NC_NOM, NC_GEN, NC_DAT, NC_ACC, NC_INS, NC_PREP, NC_COUNT };
enum ngender { NG_M, NG_F, NG_N, NG_COUNT };

enum rkind {
    R_CARD,
    R_ORD,
    R_ENDING,
    R_SCALE,
    R_UNIT,
    R_WORD,
    R_NOUN,
    R_PREP,
    R_ROMAN,
    R_SUFFIX,
    R_ORDSUFFIX,
    R_MONTH,
    R_FORMAT,
    R_SAY,
    R_COUNT_
};

static const char *const kind_names[R_COUNT_] = {
    "card", "ord",   "ending", "scale",     "unit",  "word",   "noun",
    "prep", "roman", "suffix", "ordsuffix", "month", "format", "say"};
static const char *const case_names[NC_COUNT] = {"nom", "gen", "dat",
                                                 "acc", "ins", "prep"};
static const char *const gender_names[NG_COUNT] = {"m", "f", "n"};

/* One line of a rules file. KEY is the word, symbol, class or name the
 * rule is found by (NULL for numbers); F are its forms (by gender for
 * card, ord and ending; by plural form for scale and unit; the forms of a
 * noun). */
struct rule {
    enum rkind kind;
    long value;
    int gender, ncase; /* -1: not given */
    bool ord;          /* roman: ordinal (else cardinal) */
    char *key;
    char *f[NORM_MAX_FIELDS];
    int nf;
};

struct nlang {
    struct rule *r;
    size_t n, cap;
    char *plural;    /* gettext plural rule */
    int digits;      /* runs of this many digits are read one by one */
    bool scale_one;  /* "one hundred" (en), not "жүз" (kk, ru) */
    bool hyphen_ord; /* N-word is an ordinal (kk) */
    bool loaded;
};

static const char *const lang_codes[] = {"kk", "ru", "en"};
#define NORM_LANGS 3

struct normaliser {
    struct nlang lang[NORM_LANGS];
};

/* --- a growing string, wiped when freed ---------------------------------- */

struct sbuf {
    char *s;
    size_t n, cap;
};

static void
sb_putn(struct sbuf *b, const char *s, size_t len)
{
    if (b->n + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + len + 1)
            cap *= 2;
        char *ns = xmalloc(cap);
        if (b->s != NULL) {
            memcpy(ns, b->s, b->n);
            sodium_memzero(b->s, b->cap);
            free(b->s);
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, len);
    b->n += len;
    b->s[b->n] = '\0';
}

static void
sb_puts(struct sbuf *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

/* Appends a space unless the text is empty or already ends with one. */
static void
sb_space(struct sbuf *b)
{
    if (b->n > 0 && b->s[b->n - 1] != ' ')
        sb_putn(b, " ", 1);
}

static char *
sb_take(struct sbuf *b)
{
    if (b->s == NULL)
        return xstrdup("");
    return b->s;
}

static void
wipe_free(char *s)
{
    if (s != NULL) {
        sodium_memzero(s, strlen(s));
        free(s);
    }
}

/* --- characters ----------------------------------------------------------- */

/* The code point at S[I] (LEN bytes in all) and its length in *K; an
 * invalid byte is itself, one byte long. */
static uint32_t
cp_at(const char *s, size_t len, size_t i, size_t *k)
{
    uint32_t cp;
    int r = utf8_decode(s + i, len - i, &cp);
    if (r <= 0) {
        *k = 1;
        return (unsigned char)s[i];
    }
    *k = (size_t)r;
    return cp;
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool
is_letter(uint32_t cp)
{
    return lexicon_is_word_char(cp) && !(cp >= '0' && cp <= '9');
}

/* The start of the code point that ends at S[I-1]. */
static size_t
cp_back(const char *s, size_t i)
{
    size_t j = i - 1;
    while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80)
        j--;
    return j;
}

/* Whether the code point before S[I] is a letter or digit. */
static bool
word_before(const char *s, size_t len, size_t i)
{
    if (i == 0)
        return false;
    size_t k, j = cp_back(s, i);
    return lexicon_is_word_char(cp_at(s, len, j, &k));
}

/* The end of the word (letters only) that starts at S[I]. */
static size_t
letters_end(const char *s, size_t len, size_t i)
{
    while (i < len) {
        size_t k;
        if (!is_letter(cp_at(s, len, i, &k)))
            break;
        i += k;
    }
    return i;
}

/* Whether S[A..B) equals the UTF-8 WORD, folding case. */
static bool
same_word(const char *s, size_t a, size_t b, const char *word)
{
    size_t wl = strlen(word), i = a, j = 0;
    while (i < b && j < wl) {
        size_t k1, k2;
        uint32_t c1 = cp_at(s, b, i, &k1), c2 = cp_at(word, wl, j, &k2);
        if (lexicon_fold(c1) != lexicon_fold(c2))
            return false;
        i += k1;
        j += k2;
    }
    return i == b && j == wl;
}

/* --- rules lookups -------------------------------------------------------- */

static const struct rule *
find_num(const struct nlang *L, enum rkind kind, long value, int ncase)
{
    const struct rule *nom = NULL;
    for (size_t i = 0; i < L->n; i++) {
        const struct rule *r = &L->r[i];
        if (r->kind != kind || r->value != value)
            continue;
        if (r->ncase == ncase || (r->ncase < 0 && ncase == NC_NOM))
            return r;
        if (r->ncase == NC_NOM || r->ncase < 0)
            nom = r;
    }
    return nom;
}

/* A rule of KIND whose key is S[A..B) (folded), or NULL. */
static const struct rule *
find_key(const struct nlang *L, enum rkind kind, const char *s, size_t a,
         size_t b)
{
    for (size_t i = 0; i < L->n; i++) {
        const struct rule *r = &L->r[i];
        if (r->kind != kind)
            continue;
        if (kind == R_NOUN) {
            if (same_word(s, a, b, r->key))
                return r;
            for (int f = 0; f < r->nf; f++)
                if (same_word(s, a, b, r->f[f]))
                    return r;
        } else if (same_word(s, a, b, r->key)) {
            return r;
        }
    }
    return NULL;
}

static const char *
find_say(const struct nlang *L, enum rkind kind, const char *key)
{
    for (size_t i = 0; i < L->n; i++)
        if (L->r[i].kind == kind && strcmp(L->r[i].key, key) == 0)
            return L->r[i].f[0];
    return NULL;
}

static const char *
form_by_gender(const struct rule *r, int g)
{
    if (g > 0 && g < r->nf && r->f[g][0] != '\0')
        return r->f[g];
    return r->f[0];
}

static int
plural_form(const struct nlang *L, unsigned long n, int nf)
{
    int i = i18n_plural_index(L->plural, n);
    if (i < 0)
        i = n == 1 ? 0 : 1;
    return i < nf ? i : nf - 1;
}

/* --- numbers as words ----------------------------------------------------- */

/* One word of a number: a card entry, or a scale word with its count. */
struct atom {
    long value;
    long count; /* a scale's multiplier; 0 for a card */
    int gender;
    int group; /* the atoms of one scale group share a group number */
};

#define ATOMS_MAX 16

struct atoms {
    struct atom a[ATOMS_MAX];
    int n;
};

static void
atom_push(struct atoms *as, long value, long count, int gender, int group)
{
    if (as->n < ATOMS_MAX)
        as->a[as->n++] = (struct atom){value, count, gender, group};
}

static void
atoms_under_1000(const struct nlang *L, struct atoms *as, long x, int g,
                 int group)
{
    long h = x / 100, r = x % 100;
    if (h > 0) {
        if (find_num(L, R_CARD, h * 100, NC_NOM) != NULL)
            atom_push(as, h * 100, 0, g, group);
        else {
            if (h > 1 || L->scale_one)
                atom_push(as, h, 0, g, group);
            atom_push(as, 100, h, g, group);
        }
    }
    if (r == 0)
        return;
    if (find_num(L, R_CARD, r, NC_NOM) != NULL || r < 10) {
        atom_push(as, r, 0, g, group);
    } else {
        atom_push(as, r / 10 * 10, 0, g, group);
        if (r % 10 != 0)
            atom_push(as, r % 10, 0, g, group);
    }
}

/* The gender of the scale word VALUE (a Russian тысяча is feminine). */
static int
scale_gender(const struct nlang *L, long value)
{
    const struct rule *r = find_num(L, R_SCALE, value, NC_NOM);
    return r != NULL && r->gender >= 0 ? r->gender : NG_M;
}

static void
atoms_of(const struct nlang *L, struct atoms *as, long v, int g)
{
    if (v == 0) {
        atom_push(as, 0, 0, g, 0);
        return;
    }
    static const long scales[] = {1000000, 1000};
    int group = 1;
    for (int s = 0; s < 2; s++) {
        long k = v / scales[s] % 1000;
        if (k == 0)
            continue;
        if (k > 1 || L->scale_one)
            atoms_under_1000(L, as, k, scale_gender(L, scales[s]), group);
        atom_push(as, scales[s], k, NG_M, group);
        group++;
    }
    atoms_under_1000(L, as, v % 1000, g, group);
}

/* The ordinal of VALUE in gender G and case C, or NULL when the rules have
 * none. Written into OUT (SIZE bytes). */
static const char *
ordinal_word(const struct nlang *L, long value, int g, int c, char *out,
             size_t size)
{
    const struct rule *o = find_num(L, R_ORD, value, NC_NOM);
    if (o == NULL)
        return NULL;
    if (o->nf < 2)
        return o->f[0];
    /* A stem and a declension class: the ending comes from the table. */
    const struct rule *e = NULL;
    for (size_t i = 0; i < L->n; i++) {
        const struct rule *r = &L->r[i];
        if (r->kind == R_ENDING && strcmp(r->key, o->f[1]) == 0) {
            if (r->ncase == c) {
                e = r;
                break;
            }
            if (r->ncase == NC_NOM && e == NULL)
                e = r;
        }
    }
    snprintf(out, size, "%s%s", o->f[0], e ? form_by_gender(e, g) : "");
    return out;
}

/* Appends V (0..NORM_MAX_VALUE) as words: a cardinal, or an ordinal when
 * ORD, in gender G and case C (ignored where the rules have no forms). */
static void
say_number(const struct nlang *L, struct sbuf *b, long v, int g, int c,
           bool ord)
{
    struct atoms as = {.n = 0};
    atoms_of(L, &as, v, g);
    int last = as.n - 1;
    int skip_group = -1;
    char word[256];
    const char *ordw = NULL;
    if (ord) {
        const struct atom *a = &as.a[last];
        if (a->count > 1 && (ordw = ordinal_word(L, a->value * a->count, g, c,
                                                 word, sizeof word)) != NULL)
            skip_group = a->group; /* двухтысячный: one word */
        else
            ordw = ordinal_word(L, a->value, g, c, word, sizeof word);
    }
    for (int i = 0; i < as.n; i++) {
        const struct atom *a = &as.a[i];
        if (i == last && ordw != NULL) {
            sb_space(b);
            sb_puts(b, ordw);
            break;
        }
        if (a->group == skip_group)
            continue;
        /* In an ordinal the words before the last stay nominative. */
        int cc = ord ? NC_NOM : c;
        const struct rule *r = find_num(L, a->count ? R_SCALE : R_CARD,
                                        a->value, cc);
        sb_space(b);
        if (r == NULL) {
            char digits[24];
            snprintf(digits, sizeof digits, "%ld",
                     a->count ? a->count : a->value);
            sb_puts(b, digits);
        } else if (a->count) {
            sb_puts(b, r->f[plural_form(L, (unsigned long)a->count, r->nf)]);
        } else {
            sb_puts(b, form_by_gender(r, a->gender));
        }
    }
}

/* Appends the digits S[A..B) one by one as words, separated by spaces. */
static void
say_digits(const struct nlang *L, struct sbuf *b, const char *s, size_t a,
           size_t e)
{
    for (size_t i = a; i < e; i++) {
        const struct rule *r = find_num(L, R_CARD, s[i] - '0', NC_NOM);
        sb_space(b);
        if (r != NULL)
            sb_puts(b, r->f[0]);
        else
            sb_putn(b, s + i, 1);
    }
}

/* --- pass 1: dates, times, phone numbers ---------------------------------- */

/* Reads exactly N digits at S[I] into *v. */
static bool
digits_n(const char *s, size_t len, size_t i, int n, long *v)
{
    *v = 0;
    for (int k = 0; k < n; k++) {
        if (i + (size_t)k >= len || !is_digit(s[i + (size_t)k]))
            return false;
        *v = *v * 10 + (s[i + (size_t)k] - '0');
    }
    return i + (size_t)n >= len || !is_digit(s[i + (size_t)n]);
}

/* Fills the template of format NAME with the fields of a date and time
 * (see docs/speech.md). Returns false when the language has no such
 * format. */
static bool
say_format(const struct nlang *L, struct sbuf *b, const char *name,
           const long f[5])
{
    const char *t = find_say(L, R_FORMAT, name);
    if (t == NULL)
        return false;
    static const char fields[] = "YMDhm";
    for (const char *p = t; *p != '\0'; p++) {
        const char *close = p[0] == '{' ? strchr(p, '}') : NULL;
        const char *fc = close ? strchr(fields, p[1]) : NULL;
        if (fc == NULL || p[1] == '\0') {
            sb_putn(b, p, 1);
            continue;
        }
        long v = f[fc - fields];
        char num[24];
        if (p[2] == '}' && p[1] == 'M') {
            const struct rule *m = find_num(L, R_MONTH, v, NC_NOM);
            sb_puts(b, m ? m->f[0] : "");
        } else if (p[2] == '}') {
            snprintf(num, sizeof num, "%ld", v);
            sb_puts(b, num);
        } else if (p[2] == 'm' && p[3] == '}' && p[1] == 'm') {
            snprintf(num, sizeof num, "%02ld", v);
            sb_puts(b, num);
        } else if (p[2] == ':') {
            /* {h:час|часа|часов}: the plural form for the field. */
            const char *forms[NORM_MAX_FIELDS];
            size_t lens[NORM_MAX_FIELDS];
            int nf = 0;
            const char *q = p + 3;
            while (q <= close && nf < NORM_MAX_FIELDS) {
                size_t l = strcspn(q, "|}");
                forms[nf] = q;
                lens[nf++] = l;
                q += l + 1;
                if (q[-1] == '}')
                    break;
            }
            if (nf > 0) {
                int i = plural_form(L, (unsigned long)v, nf);
                sb_putn(b, forms[i], lens[i]);
            }
        } else {
            sb_putn(b, p, (size_t)(close - p) + 1);
        }
        p = close;
    }
    return true;
}

/* Tries a date (YYYY-MM-DD or DD.MM.YYYY), optionally followed by a time,
 * or a time (H:MM or HH:MM) at S[I]; appends its words and returns the
 * length read, or 0. */
static size_t
date_time(const struct nlang *L, struct sbuf *b, const char *s, size_t len,
          size_t i)
{
    long f[5] = {0}, a, c;
    size_t at = 0;
    bool date = false;
    if (digits_n(s, len, i, 4, &a) && s[i + 4] == '-' &&
        digits_n(s, len, i + 5, 2, &f[1]) && s[i + 7] == '-' &&
        digits_n(s, len, i + 8, 2, &f[2])) {
        f[0] = a;
        at = i + 10;
        date = true;
    } else if (digits_n(s, len, i, 2, &f[2]) && s[i + 2] == '.' &&
               digits_n(s, len, i + 3, 2, &f[1]) && s[i + 5] == '.' &&
               digits_n(s, len, i + 6, 4, &f[0])) {
        at = i + 10;
        date = true;
    }
    if (date && (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31))
        return 0;
    size_t t = date ? at : i;
    if (date && t + 1 < len && (s[t] == ' ' || s[t] == 'T'))
        t++;
    bool time = false;
    int hl = t < len && is_digit(s[t]) && t + 1 < len && is_digit(s[t + 1]) ? 2
                                                                            : 1;
    if (t < len && digits_n(s, len, t, hl, &a) && s[t + (size_t)hl] == ':' &&
        digits_n(s, len, t + (size_t)hl + 1, 2, &c) && a <= 23 && c <= 59 &&
        (t + (size_t)hl + 3 >= len || s[t + (size_t)hl + 3] != ':')) {
        f[3] = a;
        f[4] = c;
        time = true;
        at = t + (size_t)hl + 3;
    }
    if (!date && !time)
        return 0;
    size_t start = b->n;
    bool ok = true;
    if (date)
        ok = say_format(L, b, "date", f);
    if (ok && date && time)
        sb_puts(b, ", ");
    if (ok && time)
        ok = say_format(L, b, f[4] == 0 ? "time0" : "time", f) ||
             (f[4] == 0 && say_format(L, b, "time", f));
    if (!ok) {
        b->n = start;
        if (b->s != NULL)
            b->s[start] = '\0';
        return 0;
    }
    return at - i;
}

/* A phone number at S[I] ('+' then digits): "plus" in the language, the
 * country code as a number and each further group digit by digit, the
 * way readout.c reads numbers to be checked. Returns the length read. */
static size_t
phone(const struct nlang *L, struct sbuf *b, const char *s, size_t len,
      size_t i)
{
    const char *plus = find_say(L, R_SAY, "plus");
    if (plus == NULL || s[i] != '+' || i + 1 >= len || !is_digit(s[i + 1]))
        return 0;
    size_t j = i + 1;
    while (j < len && j < i + 4 && is_digit(s[j]))
        j++;
    sb_puts(b, plus);
    sb_putn(b, " ", 1);
    sb_putn(b, s + i + 1, j - i - 1);
    for (;;) {
        size_t k = j;
        while (k < len && k < j + 2 &&
               (s[k] == ' ' || s[k] == '-' || s[k] == '(' || s[k] == ')'))
            k++;
        if (k == j || k >= len || !is_digit(s[k]))
            break;
        sb_puts(b, ",");
        for (j = k; j < len && is_digit(s[j]); j++) {
            sb_putn(b, " ", 1);
            sb_putn(b, s + j, 1);
        }
        if (j < len && s[j] == ')')
            j++;
    }
    return j - i;
}

static char *
pass_dates(const struct nlang *L, const char *s)
{
    struct sbuf b = {0};
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        size_t used = 0;
        if (!word_before(s, len, i) && (is_digit(s[i]) || s[i] == '+'))
            used = is_digit(s[i]) ? date_time(L, &b, s, len, i)
                                  : phone(L, &b, s, len, i);
        if (used > 0) {
            i += used;
            continue;
        }
        sb_putn(&b, s + i, 1);
        i++;
    }
    return sb_take(&b);
}

/* --- pass 2: words and Roman numerals -------------------------------------- */

/* The value of the Roman numeral S[A..B) (I V X L, 1..49; the Kazakh І
 * typed for I counts too), or 0. */
static long
roman_value(const char *s, size_t a, size_t e)
{
    long v = 0, prev = 1000;
    int run = 0;
    for (size_t i = a; i < e;) {
        size_t k;
        uint32_t cp = cp_at(s, e, i, &k);
        long d = cp == 'I' || cp == 0x406 ? 1
                 : cp == 'V'              ? 5
                 : cp == 'X'              ? 10
                 : cp == 'L'              ? 50
                                          : 0;
        if (d == 0)
            return 0;
        run = d == prev ? run + 1 : 1;
        if (run > 3)
            return 0;
        if (d > prev) {
            if (prev != 1 && prev != 10)
                return 0;
            v += d - 2 * prev;
        } else {
            v += d;
        }
        prev = d;
        i += k;
    }
    return v > 0 && v < 50 ? v : 0;
}

/* The next word after S[I], skipping spaces: its bounds in *A, *E. */
static bool
next_word(const char *s, size_t len, size_t i, size_t *a, size_t *e)
{
    while (i < len && s[i] == ' ')
        i++;
    *a = i;
    *e = letters_end(s, len, i);
    return *e > *a;
}

/* The word before S[I], skipping spaces: its bounds in *A, *E. */
static bool
prev_word(const char *s, size_t len, size_t i, size_t *a, size_t *e)
{
    while (i > 0 && s[i - 1] == ' ')
        i--;
    *e = i;
    while (i > 0) {
        size_t k, j = cp_back(s, i);
        if (!is_letter(cp_at(s, len, j, &k)))
            break;
        i = j;
    }
    *a = i;
    return *e > *a;
}

static void
say_roman(const struct nlang *L, struct sbuf *b, const struct rule *r, long v)
{
    say_number(L, b, v, r->gender < 0 ? NG_M : r->gender,
               r->ncase < 0 ? NC_NOM : r->ncase, r->ord);
}

static bool
is_unit(const struct nlang *L, const char *key)
{
    for (size_t n = 0; n < L->n; n++)
        if (L->r[n].kind == R_UNIT && strcmp(L->r[n].key, key) == 0)
            return true;
    return false;
}

/* A word rule at S[I]: the longest key that matches there on word
 * boundaries (case matters: abbreviations are capitals). */
static const struct rule *
word_at(const struct nlang *L, const char *s, size_t len, size_t i)
{
    const struct rule *best = NULL;
    size_t best_len = 0;
    for (size_t n = 0; n < L->n; n++) {
        const struct rule *r = &L->r[n];
        size_t kl = r->kind == R_WORD ? strlen(r->key) : 0;
        if (kl == 0 || kl <= best_len || i + kl > len ||
            memcmp(s + i, r->key, kl) != 0)
            continue;
        size_t k;
        bool first_word = lexicon_is_word_char(cp_at(r->key, kl, 0, &k));
        bool last_word = lexicon_is_word_char(
            cp_at(r->key, kl, cp_back(r->key, kl), &k));
        if (first_word && word_before(s, len, i))
            continue;
        if (last_word && i + kl < len &&
            lexicon_is_word_char(cp_at(s, len, i + kl, &k)))
            continue;
        /* "400 МРП": a unit after a number is left to the number pass,
         * which gives it the plural form the number asks for. */
        size_t d = i > 0 && s[i - 1] == ' ' ? i - 1 : i;
        if (d > 0 && is_digit(s[d - 1]) && is_unit(L, r->key))
            continue;
        best = r;
        best_len = kl;
    }
    return best;
}

static char *
pass_words(const struct nlang *L, const char *s)
{
    struct sbuf b = {0};
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        const struct rule *w = word_at(L, s, len, i);
        if (w != NULL) {
            size_t kl = strlen(w->key), k;
            sb_puts(&b, w->f[0]);
            if (i + kl < len && lexicon_is_word_char(cp_at(s, len, i + kl, &k)))
                sb_putn(&b, " ", 1);
            i += kl;
            continue;
        }
        size_t a, e, k;
        if (!word_before(s, len, i) && is_letter(cp_at(s, len, i, &k))) {
            e = letters_end(s, len, i);
            long v = roman_value(s, i, e);
            const struct rule *r;
            size_t na, ne;
            /* II группа: the numeral before its word. */
            if (v > 0 && next_word(s, len, e, &na, &ne) &&
                (r = find_key(L, R_ROMAN, s, na, ne)) != NULL) {
                say_roman(L, &b, r, v);
                i = e;
                continue;
            }
            /* group I: after it; an ordinal goes before the word. */
            if (v > 0 && prev_word(s, len, i, &a, &na) &&
                (r = find_key(L, R_ROMAN, s, a, na)) != NULL && !r->ord) {
                say_roman(L, &b, r, v);
                i = e;
                continue;
            }
            long nv;
            if (next_word(s, len, e, &na, &ne) &&
                (nv = roman_value(s, na, ne)) > 0 &&
                (r = find_key(L, R_ROMAN, s, i, e)) != NULL && r->ord &&
                (ne >= len || !lexicon_is_word_char(cp_at(s, len, ne, &k)))) {
                say_roman(L, &b, r, nv);
                sb_putn(&b, " ", 1);
                sb_putn(&b, s + i, e - i);
                i = ne;
                continue;
            }
            sb_putn(&b, s + i, e - i);
            i = e;
            continue;
        }
        sb_putn(&b, s + i, 1);
        i++;
    }
    return sb_take(&b);
}

/* --- pass 3: numbers -------------------------------------------------------- */

/* The gender of the noun after S[I] (skipping spaces), or -1. */
static int
noun_gender(const struct nlang *L, const char *s, size_t len, size_t i)
{
    size_t a, e;
    if (!next_word(s, len, i, &a, &e))
        return -1;
    const struct rule *n = find_key(L, R_NOUN, s, a, e);
    return n ? n->gender : -1;
}

/* The case a preposition before S[I] asks for, or NC_NOM. */
static int
prep_case(const struct nlang *L, const char *s, size_t len, size_t i)
{
    size_t a, e;
    if (!prev_word(s, len, i, &a, &e))
        return NC_NOM;
    const struct rule *p = find_key(L, R_PREP, s, a, e);
    return p ? p->ncase : NC_NOM;
}

/* A unit after S[I] (one optional space): "%", "МРП". */
static const struct rule *
unit_after(const struct nlang *L, const char *s, size_t len, size_t i,
           size_t *end)
{
    size_t j = i < len && s[i] == ' ' ? i + 1 : i;
    for (size_t n = 0; n < L->n; n++) {
        const struct rule *r = &L->r[n];
        size_t kl = r->kind == R_UNIT ? strlen(r->key) : 0, k;
        if (kl == 0 || j + kl > len || memcmp(s + j, r->key, kl) != 0)
            continue;
        if (j + kl < len && lexicon_is_word_char(cp_at(s, len, j + kl, &k)) &&
            lexicon_is_word_char(cp_at(r->key, kl, cp_back(r->key, kl), &k)))
            continue;
        *end = j + kl;
        return r;
    }
    return NULL;
}

static char *
pass_numbers(const struct nlang *L, const char *s)
{
    struct sbuf b = {0};
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        if (!is_digit(s[i])) {
            sb_putn(&b, s + i, 1);
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && is_digit(s[j]))
            j++;
        bool glued = word_before(s, len, i);
        if ((int)(j - i) >= L->digits || (j - i > 1 && s[i] == '0') ||
            j - i > 9) {
            if (glued)
                sb_space(&b);
            say_digits(L, &b, s, i, j);
            i = j;
            continue;
        }
        long v = strtol(s + i, NULL, 10);
        int g = noun_gender(L, s, len, j), c = prep_case(L, s, len, i);
        bool ord = false;
        size_t next = j, k;
        /* A suffix: «3-терезе», «3-ке», «3-ші», "3-я", "3rd". */
        size_t sa = j < len && s[j] == '-' ? j + 1 : j;
        size_t se = letters_end(s, len, sa);
        const struct rule *suf = NULL, *ordsuf = NULL;
        if (se > sa) {
            ordsuf = find_key(L, R_ORDSUFFIX, s, sa, se);
            suf = sa > j ? find_key(L, R_SUFFIX, s, sa, se) : NULL;
        }
        size_t uend = 0;
        const struct rule *unit = se > sa ? NULL
                                          : unit_after(L, s, len, j, &uend);
        if (glued)
            sb_space(&b);
        if (ordsuf != NULL) {
            int ng = noun_gender(L, s, len, se);
            g = ng >= 0 ? ng : ordsuf->gender >= 0 ? ordsuf->gender : NG_M;
            c = ordsuf->ncase >= 0 ? ordsuf->ncase : NC_NOM;
            ord = true;
            next = se;
        } else if (suf != NULL) {
            say_number(L, &b, v, NG_M, NC_NOM, false);
            sb_putn(&b, s + sa, se - sa);
            i = se;
            continue;
        } else if (sa > j && L->hyphen_ord) {
            ord = true;
            c = NC_NOM;
            next = sa; /* the word follows after a space */
        } else if (unit != NULL) {
            say_number(L, &b, v, unit->gender < 0 ? NG_M : unit->gender, c,
                       false);
            sb_putn(&b, " ", 1);
            sb_puts(&b, unit->f[plural_form(L, (unsigned long)v, unit->nf)]);
            i = uend;
            continue;
        }
        say_number(L, &b, v, g < 0 ? NG_M : g, c, ord);
        if ((next == sa && sa > j) ||
            (next < len && is_letter(cp_at(s, len, next, &k))))
            sb_putn(&b, " ", 1);
        i = next;
    }
    return sb_take(&b);
}

/* --- loading rules -------------------------------------------------------- */

static void
rule_clear(struct rule *r)
{
    free(r->key);
    for (int i = 0; i < r->nf; i++)
        free(r->f[i]);
}

static void
nlang_clear(struct nlang *L)
{
    for (size_t i = 0; i < L->n; i++)
        rule_clear(&L->r[i]);
    free(L->r);
    free(L->plural);
    memset(L, 0, sizeof *L);
}

static int
name_index(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

static bool
parse_value(const char *s, long *v)
{
    if (!is_digit(s[0]) || strlen(s) > 10)
        return false;
    char *end;
    errno = 0;
    *v = strtol(s, &end, 10);
    return *end == '\0' && errno == 0 && *v <= NORM_MAX_VALUE;
}

/* Checks a field: valid UTF-8, no control characters, not empty. */
static bool
field_ok(const char *s)
{
    size_t len = strlen(s);
    if (len == 0)
        return false;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int k = utf8_decode(s + i, len - i, &cp);
        if (k <= 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
            return false;
        i += (size_t)k;
    }
    return true;
}

/* Checks the template of a date or time format: only {Y} {M} {D} {h} {m}
 * {mm} and {X:form|form...}. */
static bool
template_ok(const char *t)
{
    for (const char *p = strchr(t, '{'); p != NULL; p = strchr(p + 1, '{')) {
        const char *close = strchr(p, '}');
        if (close == NULL || strchr("YMDhm", p[1]) == NULL || p[1] == '\0')
            return false;
        if (p[2] == '}' || (p[1] == 'm' && p[2] == 'm' && p[3] == '}'))
            continue;
        if (p[2] != ':' || p[1] == 'M' || close == p + 3 ||
            memchr(p + 1, '{', (size_t)(close - p - 1)) != NULL)
            return false;
    }
    return true;
}

/* Parses one line's FIELDS (N of them, the kind first) into *R. */
static const char *
parse_rule(struct nlang *L, char **fl, int n, struct rule *r)
{
    int kind = name_index(kind_names, R_COUNT_, fl[0]);
    *r = (struct rule){.kind = (enum rkind)kind, .gender = -1, .ncase = -1};
    if (strcmp(fl[0], "plural") == 0) {
        if (n != 2)
            return "plural takes one rule";
        for (unsigned long k = 0; k <= 200; k++)
            if (i18n_plural_index(fl[1], k) < 0)
                return "the plural rule is not a valid gettext plural rule";
        free(L->plural);
        L->plural = xstrdup(fl[1]);
        return "";
    }
    if (strcmp(fl[0], "option") == 0) {
        long v;
        if (n == 2 && strcmp(fl[1], "scale-one") == 0)
            L->scale_one = true;
        else if (n == 2 && strcmp(fl[1], "hyphen-ordinal") == 0)
            L->hyphen_ord = true;
        else if (n == 3 && strcmp(fl[1], "digits") == 0 &&
                 parse_value(fl[2], &v) && v >= 2 && v <= 10)
            L->digits = (int)v;
        else
            return "unknown option (scale-one, hyphen-ordinal, digits N)";
        return "";
    }
    if (kind < 0)
        return "unknown kind of rule";
    int i = 1;
    bool numeric = kind == R_CARD || kind == R_ORD || kind == R_SCALE ||
                   kind == R_MONTH;
    if (numeric) {
        if (i >= n || !parse_value(fl[i], &r->value))
            return "the rule needs a number (0 to 999999999)";
        i++;
    } else {
        if (i >= n)
            return "the rule needs a key";
        r->key = xstrdup(fl[i++]);
    }
    /* Optional gender and case words. */
    if (kind != R_WORD && kind != R_FORMAT && kind != R_SAY &&
        kind != R_MONTH && kind != R_ORD) {
        if (kind == R_ROMAN && i < n) {
            if (strcmp(fl[i], "ord") != 0 && strcmp(fl[i], "card") != 0)
                return "roman takes ord or card";
            r->ord = strcmp(fl[i++], "ord") == 0;
        }
        if (i < n && name_index(gender_names, NG_COUNT, fl[i]) >= 0)
            r->gender = name_index(gender_names, NG_COUNT, fl[i++]);
        if (i < n && name_index(case_names, NC_COUNT, fl[i]) >= 0)
            r->ncase = name_index(case_names, NC_COUNT, fl[i++]);
    }
    if (kind == R_PREP && r->ncase < 0)
        return "prep needs a case (nom gen dat acc ins prep)";
    if (kind == R_NOUN && r->gender < 0)
        return "noun needs a gender (m f n)";
    if ((kind == R_ROMAN || kind == R_SUFFIX || kind == R_ORDSUFFIX ||
         kind == R_PREP) &&
        i != n)
        return "too many fields";
    if (kind == R_MONTH && (r->value < 1 || r->value > 12))
        return "a month is 1 to 12";
    if (kind == R_FORMAT && strcmp(r->key, "date") != 0 &&
        strcmp(r->key, "time") != 0 && strcmp(r->key, "time0") != 0)
        return "format is date, time or time0";
    if (kind == R_FORMAT && i < n && !template_ok(fl[i]))
        return "a template has only {Y} {M} {D} {h} {m} {mm} and "
               "{X:form|form}";
    if (kind == R_SAY && strcmp(r->key, "plus") != 0)
        return "say knows only plus";
    for (; i < n; i++)
        r->f[r->nf++] = xstrdup(fl[i]);
    bool needs = kind != R_ROMAN && kind != R_SUFFIX && kind != R_ORDSUFFIX &&
                 kind != R_PREP && kind != R_NOUN;
    if (needs && r->nf == 0)
        return "the rule needs a form";
    if (kind == R_ORD && r->nf > 2)
        return "ord takes a word, or a stem and a class";
    if ((kind == R_WORD || kind == R_MONTH || kind == R_FORMAT ||
         kind == R_SAY) &&
        r->nf != 1)
        return "the rule takes exactly one form";
    if (kind == R_ENDING && r->ncase < 0)
        return "ending needs a case";
    return NULL;
}

int
normalise_parse(struct normaliser *nz, const char *lang, const char *name,
                const char *text, size_t size, char **why)
{
    int li = name_index(lang_codes, NORM_LANGS, lang);
    if (li < 0) {
        *why = xasprintf("%s: unknown language \"%s\"", name, lang);
        return -1;
    }
    struct nlang L = {.digits = 5};
    char *copy = xmalloc(size + 1);
    memcpy(copy, text, size);
    copy[size] = '\0';
    if (memchr(text, '\0', size) != NULL) {
        *why = xasprintf("%s: the file contains a NUL byte", name);
        goto fail;
    }
    unsigned long lineno = 0;
    for (char *line = copy, *nl; line != NULL; line = nl) {
        nl = strchr(line, '\n');
        if (nl != NULL)
            *nl++ = '\0';
        lineno++;
        size_t ll = strlen(line);
        if (ll > 0 && line[ll - 1] == '\r')
            line[--ll] = '\0';
        if (ll == 0 || line[0] == '#')
            continue;
        char *fl[NORM_MAX_FIELDS + 4];
        int n = 0;
        for (char *p = line; p != NULL && n < NORM_MAX_FIELDS + 4; n++) {
            fl[n] = p;
            p = strchr(p, '\t');
            if (p != NULL)
                *p++ = '\0';
        }
        const char *bad = NULL;
        if (n > NORM_MAX_FIELDS + 2)
            bad = "too many fields";
        for (int k = 0; k < n && bad == NULL; k++)
            if (!field_ok(fl[k]))
                bad = "a field is empty, not UTF-8, or holds a control "
                      "character (fields are separated by single tabs)";
        struct rule r = {0};
        if (bad == NULL)
            bad = parse_rule(&L, fl, n, &r);
        if (bad != NULL && bad[0] == '\0')
            continue; /* a setting, not a rule */
        if (bad != NULL) {
            rule_clear(&r);
            *why = xasprintf("%s:%lu: %s", name, lineno, bad);
            goto fail;
        }
        if (L.n == L.cap) {
            L.cap = L.cap ? 2 * L.cap : 64;
            L.r = xrealloc(L.r, L.cap * sizeof *L.r);
        }
        L.r[L.n++] = r;
    }
    for (long d = 0; d <= 9; d++) {
        if (find_num(&L, R_CARD, d, NC_NOM) == NULL) {
            *why = xasprintf("%s: the digit %ld has no card rule", name, d);
            goto fail;
        }
    }
    if (L.plural == NULL)
        L.plural = xstrdup("nplurals=2; plural=(n != 1);");
    L.loaded = true;
    free(copy);
    nlang_clear(&nz->lang[li]);
    nz->lang[li] = L;
    return 0;

fail:
    free(copy);
    nlang_clear(&L);
    return -1;
}

struct normaliser *
normalise_new(void)
{
    return xcalloc(1, sizeof(struct normaliser));
}

void
normalise_free(struct normaliser *nz)
{
    if (nz == NULL)
        return;
    for (int i = 0; i < NORM_LANGS; i++)
        nlang_clear(&nz->lang[i]);
    free(nz);
}

static int
load_file(struct normaliser *nz, const char *dir, const char *lang, char **why)
{
    char *path = xasprintf("%s/%s.rules", dir, lang);
    FILE *f = fopen(path, "rbe");
    int rc = -1;
    char *buf = NULL;
    if (f == NULL) {
        *why = xasprintf("cannot open the speech rules %s: %s", path,
                         strerror(errno));
        goto out;
    }
    buf = xmalloc(NORM_FILE_MAX);
    size_t n = fread(buf, 1, NORM_FILE_MAX, f);
    int err = ferror(f);
    if (fclose(f) != 0 || err) {
        *why = xasprintf("cannot read the speech rules %s", path);
        goto out;
    }
    if (n == NORM_FILE_MAX) {
        *why = xasprintf("%s: the file is too large", path);
        goto out;
    }
    rc = normalise_parse(nz, lang, path, buf, n, why);
out:
    free(buf);
    free(path);
    return rc;
}

struct normaliser *
normalise_load(const char *dir, char **why)
{
    struct normaliser *nz = normalise_new();
    for (int i = 0; i < NORM_LANGS; i++) {
        if (load_file(nz, dir, lang_codes[i], why) < 0) {
            normalise_free(nz);
            return NULL;
        }
    }
    return nz;
}

char *
normalise_apply(const struct normaliser *nz, const char *lang, const char *text)
{
    int li = name_index(lang_codes, NORM_LANGS, lang);
    if (nz == NULL || li < 0 || !nz->lang[li].loaded)
        return xstrdup(text);
    const struct nlang *L = &nz->lang[li];
    char *a = pass_dates(L, text);
    char *b = pass_words(L, a);
    wipe_free(a);
    char *c = pass_numbers(L, b);
    wipe_free(b);
    return c;
}

/* --- the process default -------------------------------------------------- */

static struct normaliser *default_nz;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static char *
default_dir(void)
{
    const char *d = getenv("DAUYS_DATADIR");
    return xasprintf("%s/speech",
                     d != NULL && d[0] != '\0' ? d : DAUYS_DATADIR);
}

static void
default_load(void)
{
    if (default_nz != NULL)
        return;
    char *dir = default_dir(), *why = NULL;
    default_nz = normalise_load(dir, &why);
    free(why);
    free(dir);
}

int
normalise_init(const char *dir, char **why)
{
    char *d = dir != NULL ? xstrdup(dir) : default_dir();
    struct normaliser *nz = normalise_load(d, why);
    free(d);
    if (nz == NULL)
        return -1;
    normalise_free(default_nz);
    default_nz = nz;
    return 0;
}

char *
normalise_text(const char *lang, const char *text)
{
    pthread_once(&default_once, default_load);
    return normalise_apply(default_nz, lang, text);
}
