/*
 * Catalogue parsing (see catalogue.h and docs/services.md) with inih, the
 * INI reader of the configuration file.
 *
 * inih splits each "key = value" line and trims both sides; the handler
 * checks the key and the value and files them under the current entry. The
 * reader that feeds inih its lines does what inih cannot. It counts them,
 * so that every problem names its line (this inih gives the handler no
 * line number). It refuses a line with a NUL byte, a line longer than
 * inih's buffer (which inih would split in two) and a line holding \r, \v
 * or \f, which inih takes for blank space and would trim away unseen. And
 * it reads the [category ID] and [service ID] lines itself: inih calls the
 * handler only for keys, so an entry without any would go unnoticed, and
 * it keeps 49 bytes of a section name and ignores what follows its ']'.
 *
 * inih's defaults are not the catalogue's format: ';' comments, inline
 * comments after " ;" (a Russian text may hold one), a byte-order mark,
 * lines of 200 bytes. Debian's libinih has these settings as variables;
 * catalogue_parse() sets them for the catalogue and restores them before
 * it returns. Two more extras are kept out by hand: continuation lines
 * (the reader hands over every line without its leading blanks) and
 * "key: value" (the handler refuses it).
 *
 * A second pass over the entries checks what can only be known at the end
 * (required texts, categories that exist and are used). Errors are
 * collected up to a limit so that a broken file gives a useful list, not
 * thousands of lines.
 */
#include "services/catalogue.h"

#include <assert.h>
#include <ini.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/textfile.h"
#include "accessibility/utf8.h"
#include "accessibility/xalloc.h"

#define ERRORS_MAX 20

static const char *const field_keys[CATALOGUE_FIELDS] = {
    "title", "about", "who", "bring", "time", "where",
};

struct catalogue {
    struct catalogue_category cats[CATALOGUE_CATEGORIES_MAX];
    size_t n_cats;
    struct catalogue_service svcs[CATALOGUE_SERVICES_MAX];
    int svc_line[CATALOGUE_SERVICES_MAX];
    int cat_line[CATALOGUE_CATEGORIES_MAX];
    char svc_cat[CATALOGUE_SERVICES_MAX][CATALOGUE_ID_MAX + 1];
    int svc_cat_line[CATALOGUE_SERVICES_MAX];
    size_t n_svcs;
};

enum section { SEC_NONE, SEC_CATEGORY, SEC_SERVICE, SEC_BAD };

struct parse {
    struct catalogue *c;
    const char *name;
    const char *text; /* the whole input, LEN bytes, not NUL-terminated */
    size_t len;
    size_t pos;      /* where the next line starts */
    const char *cur; /* the line inih has, trimmed, in TEXT; NULL: none */
    size_t cur_len;
    int line;
    enum section sec;
    char entry[CATALOGUE_ID_MAX + 16]; /* "category 'x'" or "service 'x'" */
    char *errors;
    int n_errors;
};

static void parse_error(struct parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
parse_error(struct parse *p, const char *fmt, ...)
{
    if (++p->n_errors > ERRORS_MAX)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    char *all;
    if (p->n_errors == ERRORS_MAX)
        all = xasprintf("%s\n%s:%d: too many problems; the rest are not "
                        "listed",
                        p->errors ? p->errors : "", p->name, p->line);
    else
        all = xasprintf("%s%s%s:%d: %s%s%s", p->errors ? p->errors : "",
                        p->errors ? "\n" : "", p->name, p->line,
                        p->entry[0] ? p->entry : "", p->entry[0] ? ": " : "",
                        msg);
    free(p->errors);
    free(msg);
    p->errors = all;
}

/* Whether HAVE, an id already defined, is ID (LEN bytes, not terminated). */
static bool
id_is(const char *have, const char *id, size_t len)
{
    return strlen(have) == len && memcmp(have, id, len) == 0;
}

static bool
id_ok(const char *s, size_t len)
{
    if (len == 0 || len > CATALOGUE_ID_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '-'))
            return false;
    }
    return true;
}

/* Checks that LEN bytes at S are UTF-8 without control characters;
 * returns NULL or a description of the first problem. */
static const char *
text_problem(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        int n = utf8_decode(s + i, len - i, &cp);
        if (n < 0)
            return "is not valid UTF-8";
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 ||
            cp == 0x2029)
            return "contains a control character";
        i += (size_t)n;
    }
    return NULL;
}

static const char *
trim(const char *s, size_t *len)
{
    while (*len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        (*len)--;
    }
    while (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
        (*len)--;
    return s;
}

static void
parse_header(struct parse *p, const char *s, size_t len)
{
    struct catalogue *c = p->c;
    p->sec = SEC_BAD;
    p->entry[0] = '\0';
    if (len < 2 || s[len - 1] != ']') {
        parse_error(p, "a section line must end with ']'");
        return;
    }
    s++;
    len -= 2;
    s = trim(s, &len);
    const char *sp = memchr(s, ' ', len);
    size_t kw = sp ? (size_t)(sp - s) : len;
    size_t idlen = sp ? len - kw - 1 : 0;
    const char *id = sp ? sp + 1 : s + len;
    id = trim(id, &idlen);
    bool is_cat = kw == 8 && memcmp(s, "category", 8) == 0;
    bool is_svc = kw == 7 && memcmp(s, "service", 7) == 0;
    if (!is_cat && !is_svc) {
        parse_error(p, "a section is [category ID] or [service ID]");
        return;
    }
    if (!id_ok(id, idlen)) {
        parse_error(p, "an id is 1 to %d characters of a-z, 0-9 and '-'",
                    CATALOGUE_ID_MAX);
        return;
    }
    snprintf(p->entry, sizeof p->entry, "%s '%.*s'",
             is_cat ? "category" : "service", (int)idlen, id);
    if (is_cat) {
        for (size_t i = 0; i < c->n_cats; i++)
            if (id_is(c->cats[i].id, id, idlen)) {
                parse_error(p, "defined twice (first on line %d)",
                            c->cat_line[i]);
                return;
            }
        if (c->n_cats == CATALOGUE_CATEGORIES_MAX) {
            parse_error(p, "more than %d categories", CATALOGUE_CATEGORIES_MAX);
            return;
        }
        struct catalogue_category *cat = &c->cats[c->n_cats];
        memcpy(cat->id, id, idlen);
        cat->id[idlen] = '\0';
        c->cat_line[c->n_cats++] = p->line;
        p->sec = SEC_CATEGORY;
        return;
    }
    for (size_t i = 0; i < c->n_svcs; i++)
        if (id_is(c->svcs[i].id, id, idlen)) {
            parse_error(p, "defined twice (first on line %d)", c->svc_line[i]);
            return;
        }
    if (c->n_svcs == CATALOGUE_SERVICES_MAX) {
        parse_error(p, "more than %d services", CATALOGUE_SERVICES_MAX);
        return;
    }
    struct catalogue_service *svc = &c->svcs[c->n_svcs];
    memcpy(svc->id, id, idlen);
    svc->id[idlen] = '\0';
    c->svc_line[c->n_svcs++] = p->line;
    p->sec = SEC_SERVICE;
}

/* Splits "field.lang" into a field index and a language. */
static int
parse_field(const char *key, size_t len, bool service, int *field,
            enum lang *lang)
{
    const char *dot = memchr(key, '.', len);
    if (dot == NULL)
        return -1;
    size_t flen = (size_t)(dot - key), llen = len - flen - 1;
    char code[3];
    if (llen != 2)
        return -1;
    memcpy(code, dot + 1, 2);
    code[2] = '\0';
    if (lang_from_code(code, lang) < 0)
        return -1;
    for (int f = 0; f < CATALOGUE_FIELDS; f++) {
        if (!service && f != CATALOGUE_TITLE)
            break;
        if (strlen(field_keys[f]) == flen &&
            memcmp(field_keys[f], key, flen) == 0) {
            *field = f;
            return 0;
        }
    }
    return -1;
}

/* Files KEY = VAL (KLEN and VLEN bytes, trimmed) under the current entry. */
static void
parse_pair(struct parse *p, const char *key, size_t klen, const char *val,
           size_t vlen)
{
    struct catalogue *c = p->c;
    if (p->sec == SEC_BAD)
        return;
    if (p->sec == SEC_NONE) {
        parse_error(p, "'%.*s' is outside any [category] or [service]",
                    (int)(klen > 40 ? 40 : klen), key);
        return;
    }
    if (vlen == 0) {
        parse_error(p, "'%.*s' has no value", (int)(klen > 40 ? 40 : klen),
                    key);
        return;
    }
    if (vlen > CATALOGUE_TEXT_MAX) {
        parse_error(p, "'%.*s' is longer than %d bytes",
                    (int)(klen > 40 ? 40 : klen), key, CATALOGUE_TEXT_MAX);
        return;
    }
    bool svc = p->sec == SEC_SERVICE;
    if (svc && klen == 8 && memcmp(key, "category", 8) == 0) {
        size_t i = c->n_svcs - 1;
        if (c->svc_cat[i][0] != '\0') {
            parse_error(p, "'category' is given twice");
            return;
        }
        if (!id_ok(val, vlen)) {
            parse_error(p, "the category must be the id of a [category]");
            return;
        }
        memcpy(c->svc_cat[i], val, vlen);
        c->svc_cat[i][vlen] = '\0';
        c->svc_cat_line[i] = p->line;
        return;
    }
    int field;
    enum lang lang;
    if (parse_field(key, klen, svc, &field, &lang) < 0) {
        parse_error(p, "unknown key '%.*s'%s", (int)(klen > 40 ? 40 : klen),
                    key,
                    svc ? " (keys: category, and title, about, who, bring, "
                          "time, where followed by .kk, .ru or .en)"
                        : " (keys: title.kk, title.ru, title.en)");
        return;
    }
    const char *problem = text_problem(val, vlen);
    if (problem != NULL) {
        parse_error(p, "'%.*s' %s", (int)klen, key, problem);
        return;
    }
    char **slot = svc ? &c->svcs[c->n_svcs - 1].text[field][lang]
                      : &c->cats[c->n_cats - 1].title[lang];
    if (*slot != NULL) {
        parse_error(p, "'%.*s' is given twice", (int)klen, key);
        return;
    }
    *slot = xstrndup(val, vlen);
}

/*
 * inih's handler: called for each line the reader handed over, with the
 * part before its first '=' or ':' as NAME and the rest as VALUE (NULL:
 * neither is there), both trimmed. SECTION is always "": the reader keeps
 * the section lines. Returns 1 (go on) always; problems are collected.
 */
static int
parse_handler(void *user, const char *section, const char *name,
              const char *value)
{
    struct parse *p = user;
    (void)section;
    assert(p->cur != NULL);
    /* inih splits at a ':' too; in the catalogue a key is followed by '='
     * ("title.kk: text" is refused, as it always was). */
    const char *eq = memchr(p->cur, '=', p->cur_len);
    if (value == NULL || eq == NULL ||
        memchr(p->cur, ':', (size_t)(eq - p->cur)) != NULL) {
        parse_error(p, "not a 'key = value' line or a [section]");
        return 1;
    }
    parse_pair(p, name, strlen(name), value, strlen(value));
    return 1;
}

/*
 * inih's reader: puts the next line of the input into STR (NUM bytes, a
 * NUL included) without its end of line and the blank space around it, or
 * returns NULL at the end. A line that is blank, a comment, a section or
 * refused reaches inih empty, so inih sees only the lines meant as
 * "key = value".
 */
static char *
parse_reader(char *str, int num, void *stream)
{
    struct parse *p = stream;
    if (p->pos >= p->len)
        return NULL;
    assert(num > 0);
    const char *s = p->text + p->pos;
    const char *nl = memchr(s, '\n', p->len - p->pos);
    size_t l = nl ? (size_t)(nl - s) : p->len - p->pos;
    p->pos += l + (nl != NULL);
    p->line++;
    p->cur = NULL;
    str[0] = '\0';
    if (l > 0 && s[l - 1] == '\r')
        l--;
    if (memchr(s, '\0', l) != NULL) {
        parse_error(p, "contains a NUL byte");
        return str;
    }
    size_t whole = l;
    s = trim(s, &l);
    if (l == 0 || s[0] == '#')
        return str;
    if (s[0] == '[') {
        parse_header(p, s, l);
        return str;
    }
    if (whole > (size_t)num - 1) {
        parse_error(p, "the line is longer than %d bytes", num - 1);
        return str;
    }
    for (size_t i = 0; i < l; i++) {
        if (s[i] == '\r' || s[i] == '\v' || s[i] == '\f') {
            parse_error(p, "contains a control character (a carriage "
                           "return, vertical tab or form feed)");
            return str;
        }
    }
    memcpy(str, s, l);
    str[l] = '\0';
    p->cur = s;
    p->cur_len = l;
    return str;
}

/*
 * inih's settings (variables in Debian's libinih) for the catalogue: long
 * lines, comments only at the start of a line and only with '#', no inline
 * comments, no byte-order mark, and a line without '=' handed to the
 * handler, so that each one is reported. (Continuation lines need not be
 * turned off: the reader hands over no line that starts with a blank.)
 */
struct dialect {
    int max_line; /* inih's line buffer, a line and its NUL */
    bool no_value;
    bool inline_comments;
    bool bom;
    char *comment_prefixes;
};

static char hash_prefix[] = "#";

/* Puts D's settings into inih and inih's old settings into D, so that a
 * second call restores them. */
static void
dialect_swap(struct dialect *d)
{
    struct dialect old = {
        .max_line = ini_max_line,
        .no_value = ini_allow_no_value,
        .inline_comments = ini_allow_inline_comments,
        .bom = ini_allow_bom,
        .comment_prefixes = ini_start_comment_prefixes,
    };
    ini_max_line = d->max_line;
    ini_allow_no_value = d->no_value;
    ini_allow_inline_comments = d->inline_comments;
    ini_allow_bom = d->bom;
    ini_start_comment_prefixes = d->comment_prefixes;
    *d = old;
}

/* Checks what is only known at the end of the file. */
static void
parse_finish(struct parse *p)
{
    struct catalogue *c = p->c;
    for (size_t i = 0; i < c->n_cats; i++) {
        p->line = c->cat_line[i];
        snprintf(p->entry, sizeof p->entry, "category '%s'", c->cats[i].id);
        for (int l = 0; l < LANG_COUNT; l++)
            if (c->cats[i].title[l] == NULL)
                parse_error(p, "title.%s is missing", lang_code((enum lang)l));
    }
    for (size_t i = 0; i < c->n_svcs; i++) {
        struct catalogue_service *s = &c->svcs[i];
        p->line = c->svc_line[i];
        snprintf(p->entry, sizeof p->entry, "service '%s'", s->id);
        for (int f = 0; f < CATALOGUE_FIELDS; f++) {
            if (f == CATALOGUE_TIME) {
                int have = 0;
                for (int l = 0; l < LANG_COUNT; l++)
                    have += s->text[f][l] != NULL;
                if (have != 0 && have != LANG_COUNT)
                    parse_error(p, "time is given in some languages but "
                                   "not in all of kk, ru and en");
                continue;
            }
            for (int l = 0; l < LANG_COUNT; l++)
                if (s->text[f][l] == NULL)
                    parse_error(p, "%s.%s is missing", field_keys[f],
                                lang_code((enum lang)l));
        }
        if (c->svc_cat[i][0] == '\0') {
            parse_error(p, "'category' is missing");
            continue;
        }
        size_t k = 0;
        while (k < c->n_cats && strcmp(c->cats[k].id, c->svc_cat[i]) != 0)
            k++;
        if (k == c->n_cats) {
            p->line = c->svc_cat_line[i];
            parse_error(p, "category '%s' is not defined", c->svc_cat[i]);
            continue;
        }
        s->category = k;
        c->cats[k].n_services++;
    }
    p->entry[0] = '\0';
    for (size_t i = 0; i < c->n_cats; i++) {
        if (c->cats[i].n_services == 0) {
            p->line = c->cat_line[i];
            snprintf(p->entry, sizeof p->entry, "category '%s'", c->cats[i].id);
            parse_error(p, "has no services");
        }
    }
    p->entry[0] = '\0';
    if (c->n_svcs == 0) {
        p->line = 1;
        parse_error(p, "the catalogue has no [service] entries");
    }
}

int
catalogue_parse(const char *name, const char *text, size_t len,
                struct catalogue **out, char **why)
{
    struct parse p = {.c = xcalloc(1, sizeof(struct catalogue)),
                      .name = name,
                      .text = text,
                      .len = len};
    *out = NULL;
    if (len > CATALOGUE_FILE_MAX) {
        p.line = 1;
        parse_error(&p, "the file is larger than %u bytes", CATALOGUE_FILE_MAX);
    } else {
        struct dialect d = {.max_line = CATALOGUE_LINE_MAX + 1,
                            .no_value = true,
                            .comment_prefixes = hash_prefix};
        dialect_swap(&d);
        int rc = ini_parse_stream(parse_reader, &p, parse_handler, &p);
        dialect_swap(&d);
        /* The handler never fails and the reader hands over no section,
         * so inih has nothing of its own to report. */
        if (rc != 0 && p.n_errors == 0)
            parse_error(&p, "cannot be read (inih error %d)", rc);
    }
    if (p.n_errors == 0)
        parse_finish(&p);
    if (p.n_errors > 0) {
        *why = p.errors;
        catalogue_free(p.c);
        return -1;
    }
    *out = p.c;
    return 0;
}

int
catalogue_load(const char *path, struct catalogue **out, char **why)
{
    char *text = NULL;
    size_t n;
    if (textfile_read(path, "service catalogue", CATALOGUE_FILE_MAX, &text, &n,
                      why) < 0)
        return -1;
    int rc = catalogue_parse(path, text, n, out, why);
    free(text);
    return rc;
}

void
catalogue_free(struct catalogue *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n_cats; i++)
        for (int l = 0; l < LANG_COUNT; l++)
            free(c->cats[i].title[l]);
    for (size_t i = 0; i < c->n_svcs; i++)
        for (int f = 0; f < CATALOGUE_FIELDS; f++)
            for (int l = 0; l < LANG_COUNT; l++)
                free(c->svcs[i].text[f][l]);
    free(c);
}

size_t
catalogue_n_categories(const struct catalogue *c)
{
    return c->n_cats;
}

size_t
catalogue_n_services(const struct catalogue *c)
{
    return c->n_svcs;
}

const struct catalogue_category *
catalogue_category(const struct catalogue *c, size_t i)
{
    return i < c->n_cats ? &c->cats[i] : NULL;
}

const struct catalogue_service *
catalogue_service(const struct catalogue *c, size_t i)
{
    return i < c->n_svcs ? &c->svcs[i] : NULL;
}

const struct catalogue_service *
catalogue_find(const struct catalogue *c, const char *id)
{
    for (size_t i = 0; i < c->n_svcs; i++)
        if (strcmp(c->svcs[i].id, id) == 0)
            return &c->svcs[i];
    return NULL;
}

const char *
catalogue_text(const struct catalogue_service *s, enum catalogue_field field,
               enum lang lang)
{
    const char *t = s->text[field][lang];
    return t != NULL ? t : "";
}
