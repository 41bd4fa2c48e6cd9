/*
 * A reader for GNU .mo catalogues. The file is read whole into memory; its
 * table of original strings is sorted by msgfmt, so a lookup is a binary
 * search. Every offset is checked against the file size when loading, so a
 * truncated or corrupted catalogue is refused instead of read out of bounds.
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
};

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
    for (int i = 0; i < LANG_COUNT; i++)
        free(t->mo[i].data);
    free(t);
}

const char *
i18n_text(const struct i18n *t, enum lang lang, const char *msgid)
{
    if ((unsigned)lang >= LANG_COUNT || msgid[0] == '\0')
        return msgid;
    const struct mo *m = &t->mo[lang];
    if (m->data == NULL)
        return msgid;
    uint32_t lo = 0, hi = m->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const char *s = m->data + mo_u32(m, m->orig + 8u * mid + 4);
        int c = strcmp(msgid, s);
        if (c == 0) {
            const char *tr = m->data + mo_u32(m, m->trans + 8u * mid + 4);
            return tr[0] != '\0' ? tr : msgid;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return msgid;
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
