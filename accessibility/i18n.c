/*
 * A reader for GNU .mo catalogues. The file is read whole into memory; its
 * table of original strings is sorted by msgfmt, so a lookup is a binary
 * search. Every offset is checked against the file size when loading, so a
 * truncated or corrupted catalogue is refused instead of read out of bounds.
 *
 * Plural entries are stored by msgfmt as "singular\0plural" and
 * "form0\0form1\0..."; the search compares up to the first NUL, so it
 * finds them by the singular. The header's Plural-Forms rule is checked
 * when the catalogue is loaded (a catalogue whose rule does not evaluate,
 * or picks a form beyond nplurals, is refused) and evaluated again for
 * every lookup with a count: a rule is about 80 characters and
 * re-reading it costs less than a microsecond, so it is never compiled.
 */
#include "accessibility/i18n.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/xalloc.h"

#define MO_MAGIC 0x950412deu
#define MO_MAX_SIZE (16u << 20)

struct mo {
    char *data;
    size_t size;
    uint32_t n;
    uint32_t orig, trans;
    char *plural; /* the Plural-Forms value, NULL: English's rule */
};

#define PLURAL_DEFAULT "nplurals=2; plural=(n != 1);"

struct i18n {
    struct mo mo[LANG_COUNT];
};

static const char *const lang_codes[LANG_COUNT] = {"kk", "ru", "en"};
static const char *const lang_names[LANG_COUNT] = {"Қазақша", "Русский",
                                                   "English"};

const char *
lang_code(enum lang lang)
{
    return (unsigned)lang < LANG_COUNT ? lang_codes[lang] : "kk";
}

const char *
lang_native_name(enum lang lang)
{
    return (unsigned)lang < LANG_COUNT ? lang_names[lang] : "";
}

int
lang_from_code(const char *code, enum lang *lang)
{
    for (int i = 0; i < LANG_COUNT; i++) {
        if (strcmp(code, lang_codes[i]) == 0) {
            *lang = (enum lang)i;
            return 0;
        }
    }
    return -1;
}

static uint32_t
mo_u32(const struct mo *m, size_t off)
{
    uint32_t v;
    memcpy(&v, m->data + off, sizeof v);
    return v;
}

/* Checks that the string described at table offset OFF lies in the file and
 * ends with a NUL. */
static bool
mo_string_ok(const struct mo *m, size_t off)
{
    uint32_t len = mo_u32(m, off), at = mo_u32(m, off + 4);
    return (size_t)at + len < m->size && m->data[at + len] == '\0';
}

/* --- plural rules --------------------------------------------------------- */

/* A recursive-descent evaluator of gettext's plural expressions. */
struct pexpr {
    const char *p;
    unsigned long n;
    bool bad;
};

static unsigned long pexpr_cond(struct pexpr *e);

static void
pexpr_space(struct pexpr *e)
{
    while (*e->p == ' ' || *e->p == '\t' || *e->p == '\n')
        e->p++;
}

/* Consumes the operator OP when it comes next (and "<" not as "<="). */
static bool
pexpr_op(struct pexpr *e, const char *op)
{
    pexpr_space(e);
    size_t len = strlen(op);
    if (strncmp(e->p, op, len) != 0)
        return false;
    if (len == 1 && (op[0] == '<' || op[0] == '>' || op[0] == '!') &&
        e->p[1] == '=')
        return false;
    e->p += len;
    return true;
}

static unsigned long
pexpr_unary(struct pexpr *e)
{
    pexpr_space(e);
    if (pexpr_op(e, "!"))
        return !pexpr_unary(e);
    if (pexpr_op(e, "(")) {
        unsigned long v = pexpr_cond(e);
        if (!pexpr_op(e, ")"))
            e->bad = true;
        return v;
    }
    if (*e->p == 'n') {
        e->p++;
        return e->n;
    }
    if (*e->p >= '0' && *e->p <= '9') {
        unsigned long v = 0;
        while (*e->p >= '0' && *e->p <= '9') {
            if (v > 100000000ul)
                e->bad = true;
            else
                v = v * 10 + (unsigned long)(*e->p - '0');
            e->p++;
        }
        return v;
    }
    e->bad = true;
    return 0;
}

static unsigned long
pexpr_mul(struct pexpr *e)
{
    unsigned long v = pexpr_unary(e);
    for (;;) {
        int op = pexpr_op(e, "*")   ? '*'
                 : pexpr_op(e, "/") ? '/'
                 : pexpr_op(e, "%") ? '%'
                                    : 0;
        if (op == 0 || e->bad)
            return v;
        unsigned long r = pexpr_unary(e);
        if (op == '*')
            v *= r;
        else if (r == 0)
            e->bad = true;
        else
            v = op == '/' ? v / r : v % r;
    }
}

static unsigned long
pexpr_add(struct pexpr *e)
{
    unsigned long v = pexpr_mul(e);
    for (;;) {
        if (e->bad)
            return v;
        if (pexpr_op(e, "+"))
            v += pexpr_mul(e);
        else if (pexpr_op(e, "-"))
            v -= pexpr_mul(e);
        else
            return v;
    }
}

static unsigned long
pexpr_rel(struct pexpr *e)
{
    unsigned long v = pexpr_add(e);
    for (;;) {
        if (e->bad)
            return v;
        if (pexpr_op(e, "<="))
            v = v <= pexpr_add(e);
        else if (pexpr_op(e, ">="))
            v = v >= pexpr_add(e);
        else if (pexpr_op(e, "<"))
            v = v < pexpr_add(e);
        else if (pexpr_op(e, ">"))
            v = v > pexpr_add(e);
        else
            return v;
    }
}

static unsigned long
pexpr_eq(struct pexpr *e)
{
    unsigned long v = pexpr_rel(e);
    for (;;) {
        if (e->bad)
            return v;
        if (pexpr_op(e, "=="))
            v = v == pexpr_rel(e);
        else if (pexpr_op(e, "!="))
            v = v != pexpr_rel(e);
        else
            return v;
    }
}

static unsigned long
pexpr_and(struct pexpr *e)
{
    unsigned long v = pexpr_eq(e);
    while (!e->bad && pexpr_op(e, "&&")) {
        unsigned long r = pexpr_eq(e);
        v = v && r;
    }
    return v;
}

static unsigned long
pexpr_or(struct pexpr *e)
{
    unsigned long v = pexpr_and(e);
    while (!e->bad && pexpr_op(e, "||")) {
        unsigned long r = pexpr_and(e);
        v = v || r;
    }
    return v;
}

/* Nesting is bounded by the length of the rule, which is bounded by the
 * catalogue's size; the header is at most a few hundred bytes in practice
 * and the loader refuses a rule longer than PLURAL_MAX. */
static unsigned long
pexpr_cond(struct pexpr *e)
{
    unsigned long c = pexpr_or(e);
    if (e->bad || !pexpr_op(e, "?"))
        return c;
    unsigned long a = pexpr_cond(e);
    if (!pexpr_op(e, ":")) {
        e->bad = true;
        return 0;
    }
    unsigned long b = pexpr_cond(e);
    return c ? a : b;
}

#define PLURAL_MAX 512

int
i18n_plural_index(const char *rule, unsigned long n)
{
    if (strlen(rule) > PLURAL_MAX)
        return -1;
    const char *np = strstr(rule, "nplurals=");
    const char *pl = strstr(rule, "plural=");
    if (np == NULL || pl == NULL)
        return -1;
    char *end;
    long count = strtol(np + 9, &end, 10);
    if (end == np + 9 || count < 1 || count > 6)
        return -1;
    struct pexpr e = {.p = pl + 7, .n = n};
    unsigned long v = pexpr_cond(&e);
    pexpr_space(&e);
    if (e.bad || (*e.p != ';' && *e.p != '\0') || v >= (unsigned long)count)
        return -1;
    return (int)v;
}

/* Finds the Plural-Forms value in the header of M (the translation of the
 * empty msgid, sorted first) and checks it; none means English's rule. */
static int
mo_plural_load(struct mo *m, const char *path, char **why)
{
    if (m->n == 0 || mo_u32(m, m->orig) != 0)
        return 0;
    const char *h = m->data + mo_u32(m, m->trans + 4);
    const char *pf = strstr(h, "Plural-Forms:");
    if (pf == NULL)
        return 0;
    pf += strlen("Plural-Forms:");
    size_t len = strcspn(pf, "\n");
    m->plural = xmalloc(len + 1);
    memcpy(m->plural, pf, len);
    m->plural[len] = '\0';
    /* A rule must evaluate for every count; these cover the residues
     * that real rules test (n%10, n%100, small n). */
    for (unsigned long k = 0; k <= 200; k++) {
        if (i18n_plural_index(m->plural, k) < 0) {
            *why = xasprintf("%s: the Plural-Forms rule \"%s\" is not a "
                             "valid gettext plural rule",
                             path, m->plural);
            free(m->plural);
            m->plural = NULL;
            return -1;
        }
    }
    return 0;
}

static int
mo_load(struct mo *m, const char *path, char **why)
{
    FILE *f = fopen(path, "rbe");
    if (f == NULL) {
        *why = xasprintf("cannot open the catalogue %s: %s", path,
                         strerror(errno));
        return -1;
    }
    m->data = xmalloc(MO_MAX_SIZE);
    m->size = fread(m->data, 1, MO_MAX_SIZE, f);
    int err = ferror(f);
    if (fclose(f) != 0)
        err = 1;
    if (err || m->size < 28 || m->size == MO_MAX_SIZE ||
        mo_u32(m, 0) != MO_MAGIC) {
        *why = xasprintf("%s is not a valid .mo catalogue; rebuild it with "
                         "msgfmt",
                         path);
        goto fail;
    }
    m->n = mo_u32(m, 8);
    m->orig = mo_u32(m, 12);
    m->trans = mo_u32(m, 16);
    if (m->n > m->size / 16 || m->orig + 8 * (size_t)m->n > m->size ||
        m->trans + 8 * (size_t)m->n > m->size) {
        *why = xasprintf("%s is truncated or corrupted", path);
        goto fail;
    }
    for (uint32_t i = 0; i < m->n; i++) {
        if (!mo_string_ok(m, m->orig + 8u * i) ||
            !mo_string_ok(m, m->trans + 8u * i)) {
            *why = xasprintf("%s is truncated or corrupted", path);
            goto fail;
        }
    }
    if (mo_plural_load(m, path, why) < 0)
        goto fail;
    return 0;

fail:
    free(m->data);
    m->data = NULL;
    return -1;
}

struct i18n *
i18n_new_empty(void)
{
    return xcalloc(1, sizeof(struct i18n));
}

struct i18n *
i18n_new(const char *localedir, char **why)
{
    struct i18n *t = i18n_new_empty();
    for (int i = 0; i < LANG_COUNT; i++) {
        char *path = xasprintf("%s/%s/LC_MESSAGES/dauys.mo", localedir,
                               lang_codes[i]);
        int rc = mo_load(&t->mo[i], path, why);
        free(path);
        if (rc < 0) {
            i18n_free(t);
            return NULL;
        }
    }
    return t;
}

void
i18n_free(struct i18n *t)
{
    if (t == NULL)
        return;
    for (int i = 0; i < LANG_COUNT; i++) {
        free(t->mo[i].data);
        free(t->mo[i].plural);
    }
    free(t);
}

/* Returns the index of MSGID in M's table, or -1. */
static long
mo_find(const struct mo *m, const char *msgid)
{
    if (m->data == NULL)
        return -1;
    uint32_t lo = 0, hi = m->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const char *s = m->data + mo_u32(m, m->orig + 8u * mid + 4);
        int c = strcmp(msgid, s);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

const char *
i18n_text(const struct i18n *t, enum lang lang, const char *msgid)
{
    if ((unsigned)lang >= LANG_COUNT || msgid[0] == '\0')
        return msgid;
    const struct mo *m = &t->mo[lang];
    long i = mo_find(m, msgid);
    if (i < 0)
        return msgid;
    const char *tr = m->data + mo_u32(m, m->trans + 8u * (uint32_t)i + 4);
    return tr[0] != '\0' ? tr : msgid;
}

const char *
i18n_ntext(const struct i18n *t, enum lang lang, const char *msgid,
           const char *msgid_plural, unsigned long n)
{
    const char *fallback = n == 1 ? msgid : msgid_plural;
    if ((unsigned)lang >= LANG_COUNT || msgid[0] == '\0')
        return fallback;
    const struct mo *m = &t->mo[lang];
    long i = mo_find(m, msgid);
    if (i < 0)
        return fallback;
    int form = i18n_plural_index(m->plural ? m->plural : PLURAL_DEFAULT, n);
    if (form < 0)
        return fallback;
    /* The forms are NUL-separated inside the entry's LEN bytes. */
    uint32_t len = mo_u32(m, m->trans + 8u * (uint32_t)i);
    const char *tr = m->data + mo_u32(m, m->trans + 8u * (uint32_t)i + 4);
    const char *end = tr + len;
    for (int k = 0; k < form; k++) {
        tr += strlen(tr) + 1;
        if (tr > end)
            return fallback;
    }
    return tr[0] != '\0' ? tr : fallback;
}

unsigned int
i18n_count(const struct i18n *t, enum lang lang)
{
    const struct mo *m = &t->mo[lang];
    if (m->data == NULL || m->n == 0)
        return 0;
    /* The header is the entry with the empty msgid, sorted first. */
    return m->n - 1;
}

/* The number of bytes of the UTF-8 character that starts with byte C (1
 * for a byte that cannot start one, so that it is kept as it is). */
static size_t
utf8_lead_len(unsigned char c)
{
    if (c >= 0xF0 && c < 0xF8)
        return 4;
    if (c >= 0xE0)
        return c < 0xF0 ? 3 : 1;
    return c >= 0xC0 ? 2 : 1;
}

char *
i18n_format(char *out, size_t size, const char *tmpl, size_t n,
            const char *const *args)
{
    if (size == 0)
        return out;
    size_t o = 0;
    bool cut = false;
    for (const char *p = tmpl; *p != '\0' && !cut; p++) {
        if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}' &&
            (size_t)(p[1] - '1') < n) {
            const char *a = args[p[1] - '1'];
            size_t len = strlen(a);
            if (len > size - 1 - o) {
                len = size - 1 - o;
                cut = true;
            }
            memcpy(out + o, a, len);
            o += len;
            p += 2;
            continue;
        }
        if (o + 1 >= size) {
            cut = true;
            break;
        }
        out[o++] = *p;
    }
    /* Never end inside a UTF-8 sequence: when the text was cut, drop a
     * last character whose bytes did not all fit. Only the O bytes
     * written are looked at. */
    if (cut) {
        size_t lead = o;
        while (lead > 0 && o - lead < 4 &&
               ((unsigned char)out[lead - 1] & 0xC0) == 0x80)
            lead--;
        if (lead > 0 &&
            o - (lead - 1) < utf8_lead_len((unsigned char)out[lead - 1]))
            o = lead - 1;
    }
    out[o] = '\0';
    return out;
}
