/*
 * Election packages: the one gate through which an election definition
 * enters a terminal. The design follows from "clear errors, no silent
 * fixes": validation never stops at the first problem but walks the whole
 * document and collects one line per problem (struct problems), each naming
 * the file and a JSON path, so that a commission fixes everything in one
 * round instead of one error per USB-stick trip. The model is filled while
 * validating and thrown away if anything was wrong; callers see either a
 * complete, valid election or nothing.
 *
 * Bounded work on hostile input: the file is at most 1 MiB, at most
 * PROBLEMS_SHOWN problems are spelled out, and entries beyond the format's
 * limits (8 ballots, 64 options) are validated in a scratch structure and
 * discarded, so that memory and the quadratic uniqueness and overlap checks
 * stay small whatever the file holds.
 *
 * Signing and verification use the exact bytes that were validated (read
 * once), so nothing can change between the check and the use. Keys and
 * signatures are standard base64 so that a commission can produce them with
 * any RFC 8032 implementation (docs/election-package.md shows openssl).
 */
#include "ballot/package.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accessibility/atomicfile.h"
#include "accessibility/xalloc.h"

#define PACKAGE_FORMAT "dauys-election/1"
#define PACKAGE_JSON "election.json"
#define PACKAGE_SIG "election.json.sig"
#define MAX_BALLOTS 8
#define MAX_OPTIONS 64
#define MAX_ID_CHARS 64
#define MAX_TEXT_CHARS 2000
#define PAPER_MIN_MM 50.0
#define PAPER_MAX_MM 420.0
#define BOX_MIN_MM 4.0
#define BOX_MAX_MM 40.0
#define PROBLEMS_SHOWN 100
#define PATH_LEN 256
#define SHOWN_LEN 48
#define SIG_BYTES crypto_sign_BYTES
#define KEYFILE_MAX_BYTES ((size_t)64 * 1024)
#define SIGFILE_MAX_BYTES 1024

static const char *const lang_codes[ELECTION_LANGS] = {"kk", "ru", "en"};

/* ---- collecting problems ------------------------------------------------ */

struct problems {
    const char *file; /* how lines name election.json */
    char *buf;
    size_t len, cap;
    size_t count;
};

static void
problems_append(struct problems *p, const char *line)
{
    size_t n = strlen(line);
    size_t need = p->len + n + 2;
    if (need > p->cap) {
        p->cap = need * 2;
        p->buf = xrealloc(p->buf, p->cap);
    }
    if (p->len > 0)
        p->buf[p->len++] = '\n';
    memcpy(p->buf + p->len, line, n);
    p->len += n;
    p->buf[p->len] = '\0';
}

/* Adds LINE, already complete with its file name, as one problem. */
static void
problems_line(struct problems *p, const char *line)
{
    p->count++;
    if (p->count <= PROBLEMS_SHOWN)
        problems_append(p, line);
}

static void problem(struct problems *p, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adds "FILE: PATH: message" (or "FILE: message" when PATH is NULL). */
static void
problem(struct problems *p, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    char *line = path != NULL && path[0] != '\0'
                     ? xasprintf("%s: %s: %s", p->file, path, msg)
                     : xasprintf("%s: %s", p->file, msg);
    problems_line(p, line);
    free(line);
    free(msg);
}

/* Returns the collected text (the caller frees), or NULL if none. */
static char *
problems_take(struct problems *p)
{
    if (p->count > PROBLEMS_SHOWN) {
        char *more = xasprintf("%s: %zu more problems not shown", p->file,
                               p->count - PROBLEMS_SHOWN);
        problems_append(p, more);
        free(more);
    }
    char *s = p->buf;
    p->buf = NULL;
    p->len = p->cap = 0;
    return s;
}

static void
set_why(char **why, char *text)
{
    if (why != NULL)
        *why = text;
    else
        free(text);
}

static void set_whyf(char **why, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_whyf(char **why, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    set_why(why, s);
}

/*
 * Copies S into OUT (SHOWN_LEN bytes) for a message: at most about 40
 * bytes, cut on a UTF-8 boundary, control characters as '?', so that a
 * hostile key or value can neither flood nor break the one-line report.
 */
static void
shown(const char *s, char out[SHOWN_LEN])
{
    size_t n = 0;
    const unsigned char *u = (const unsigned char *)s;
    while (u[n] != '\0' && n < SHOWN_LEN - 8)
        n++;
    bool cut = u[n] != '\0';
    while (cut && n > 0 && (u[n] & 0xC0) == 0x80)
        n--;
    for (size_t i = 0; i < n; i++) {
        if (u[i] < 0x20 || u[i] == 0x7F)
            out[i] = '?';
        else
            out[i] = s[i];
    }
    if (cut) {
        memcpy(out + n, "...", 4);
    } else {
        out[n] = '\0';
    }
}

/* Paths stay far below PATH_LEN (keys are shortened by shown()); a path
 * that would not fit all the same ends in "..." rather than being cut
 * silently. */
static void
path_fit(char dst[PATH_LEN], int n)
{
    if (n < 0 || n >= PATH_LEN)
        memcpy(dst + PATH_LEN - 4, "...", 4);
}

static void
path_key(char dst[PATH_LEN], const char *base, const char *key)
{
    char k[SHOWN_LEN];
    shown(key, k);
    bool plain = k[0] != '\0';
    for (const char *c = k; *c != '\0'; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
            plain = false;
    }
    const char *sep = base[0] != '\0' && plain ? "." : "";
    if (plain)
        path_fit(dst, snprintf(dst, PATH_LEN, "%s%s%s", base, sep, k));
    else
        path_fit(dst, snprintf(dst, PATH_LEN, "%s[\"%s\"]", base, k));
}

static void
path_index(char dst[PATH_LEN], const char *base, size_t i)
{
    path_fit(dst, snprintf(dst, PATH_LEN, "%s[%zu]", base, i));
}

static const char *
json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a number with a fraction";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "something else";
}

/* ---- generic field checks ------------------------------------------------ */

/* Reports every key of OBJ that is not in the NULL-terminated ALLOWED. */
static void
check_keys(struct problems *p, const char *path, json_t *obj,
           const char *const *allowed, const char *allowed_text)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        bool known = false;
        for (size_t i = 0; allowed[i] != NULL; i++) {
            if (strcmp(key, allowed[i]) == 0)
                known = true;
        }
        if (!known) {
            char at[PATH_LEN];
            path_key(at, path, key);
            problem(p, at, "unknown key (allowed here: %s)", allowed_text);
        }
    }
}

static bool
want_type(struct problems *p, const char *path, const json_t *v, bool ok,
          const char *what)
{
    if (!ok)
        problem(p, path, "must be %s, not %s", what, json_kind(v));
    return ok;
}

/* The JSON types a field may have, as a set for field(). */
#define JSON_TYPE(t) (1u << (t))
#define WANT_STRING JSON_TYPE(JSON_STRING)
#define WANT_INTEGER JSON_TYPE(JSON_INTEGER)
#define WANT_NUMBER (JSON_TYPE(JSON_INTEGER) | JSON_TYPE(JSON_REAL))
#define WANT_BOOL (JSON_TYPE(JSON_TRUE) | JSON_TYPE(JSON_FALSE))
#define WANT_OBJECT JSON_TYPE(JSON_OBJECT)
#define WANT_ARRAY JSON_TYPE(JSON_ARRAY)

/*
 * Fills AT with the path of OBJ[KEY] and returns the field when it is there
 * and of one of the types in WANT. Otherwise returns NULL, having reported
 * it when it is missing and REQUIRED, or when it is not WHAT.
 */
static json_t *
field(struct problems *p, const char *path, json_t *obj, const char *key,
      bool required, unsigned want, const char *what, char at[PATH_LEN])
{
    path_key(at, path, key);
    json_t *v = json_object_get(obj, key);
    if (v == NULL) {
        if (required)
            problem(p, at, "required key is missing");
        return NULL;
    }
    if (!want_type(p, at, v, (want & JSON_TYPE(json_typeof(v))) != 0, what))
        return NULL;
    return v;
}

/* Checks an id (1-64 of a-z 0-9 -) and copies it into OUT; "" if bad. */
static bool
get_id(struct problems *p, const char *path, json_t *obj, char out[65])
{
    char at[PATH_LEN];
    out[0] = '\0';
    json_t *v = field(p, path, obj, "id", true, WANT_STRING,
                      "a string of a-z, 0-9, -", at);
    if (v == NULL)
        return false;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n == 0) {
        problem(p, at, "is empty; an id has 1-%d characters of a-z, 0-9, -",
                MAX_ID_CHARS);
        return false;
    }
    if (n > MAX_ID_CHARS) {
        problem(p, at, "is %zu characters long; at most %d", n, MAX_ID_CHARS);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            if (c >= 0x21 && c < 0x7F)
                problem(p, at,
                        "contains '%c'; only a-z, 0-9 and - are "
                        "allowed",
                        c);
            else
                problem(p, at,
                        "contains byte 0x%02x; only a-z, 0-9 and - "
                        "are allowed",
                        c);
            return false;
        }
    }
    memcpy(out, s, n + 1);
    return true;
}

static bool
get_integer(struct problems *p, const char *path, json_t *obj, const char *key,
            long long *out)
{
    char at[PATH_LEN];
    json_t *v = field(p, path, obj, key, true, WANT_INTEGER, "an integer", at);
    if (v == NULL)
        return false;
    *out = (long long)json_integer_value(v);
    return true;
}

/* Reads a number (integer or not) and checks MIN <= x <= MAX. */
static bool
get_mm(struct problems *p, const char *path, json_t *obj, const char *key,
       double min, double max, double *out)
{
    char at[PATH_LEN];
    json_t *v = field(p, path, obj, key, true, WANT_NUMBER,
                      "a number of millimetres", at);
    if (v == NULL)
        return false;
    double x = json_number_value(v);
    if (x < min || x > max) {
        if (max > 1e9)
            problem(p, at, "is %g mm; must be at least %g mm", x, min);
        else
            problem(p, at, "is %g mm; must be %g-%g mm", x, min, max);
        return false;
    }
    *out = x;
    return true;
}

static bool
get_bool(struct problems *p, const char *path, json_t *obj, const char *key,
         bool required, bool *out)
{
    char at[PATH_LEN];
    json_t *v = field(p, path, obj, key, required, WANT_BOOL, "true or false",
                      at);
    if (v == NULL)
        return false;
    *out = json_is_true(v);
    return true;
}

static bool
get_object(struct problems *p, const char *path, json_t *obj, const char *key,
           bool required, json_t **out, char at[PATH_LEN])
{
    *out = field(p, path, obj, key, required, WANT_OBJECT, "an object", at);
    return *out != NULL;
}

/* ---- texts ------------------------------------------------------------- */

/*
 * True when CP shows nothing by itself: Unicode's White_Space characters
 * and its Default_Ignorable_Code_Point characters (zero-width spaces and
 * joiners, direction marks and embeddings, the soft hyphen, the word
 * joiner and invisible operators, variation selectors, the byte order
 * mark, Hangul fillers, tags). A text made of these only is empty to the
 * eye, and the voice reads nothing.
 */
static bool
invisible(unsigned long cp)
{
    static const unsigned long ranges[][2] = {
        {0x0009, 0x000D},   {0x0020, 0x0020},   {0x0085, 0x0085},
        {0x00A0, 0x00A0},   {0x00AD, 0x00AD},   {0x034F, 0x034F},
        {0x061C, 0x061C},   {0x115F, 0x1160},   {0x1680, 0x1680},
        {0x17B4, 0x17B5},   {0x180B, 0x180F},   {0x2000, 0x200F},
        {0x2028, 0x202F},   {0x205F, 0x206F},   {0x3000, 0x3000},
        {0x3164, 0x3164},   {0xFE00, 0xFE0F},   {0xFEFF, 0xFEFF},
        {0xFFA0, 0xFFA0},   {0xFFF0, 0xFFF8},   {0x1BCA0, 0x1BCA3},
        {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (cp >= ranges[i][0] && cp <= ranges[i][1])
            return true;
    return false;
}

/*
 * Checks one text: valid UTF-8, at most MAX_TEXT_CHARS code points, no
 * control character but newline (C0, DEL and C1 are control characters),
 * not empty, and at least one visible character (not only spaces and
 * invisible characters, see invisible()).
 */
static bool
check_string(struct problems *p, const char *path, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t chars = 0;
    bool blank = true, spaces = true;
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        unsigned long cp;
        size_t len;
        if (c < 0x80) {
            cp = c;
            len = 1;
        } else if (c >= 0xC2 && c <= 0xDF) {
            cp = c & 0x1Fu;
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            cp = c & 0x0Fu;
            len = 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            cp = c & 0x07u;
            len = 4;
        } else {
            problem(p, path, "is not valid UTF-8 (byte %zu)", i);
            return false;
        }
        if (i + len > n) {
            problem(p, path, "is not valid UTF-8 (byte %zu)", i);
            return false;
        }
        for (size_t k = 1; k < len; k++) {
            if ((u[i + k] & 0xC0) != 0x80) {
                problem(p, path, "is not valid UTF-8 (byte %zu)", i + k);
                return false;
            }
            cp = (cp << 6) | (u[i + k] & 0x3Fu);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            problem(p, path, "is not valid UTF-8 (byte %zu)", i);
            return false;
        }
        chars++;
        if ((cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp <= 0x9F)) {
            problem(p, path,
                    "contains the control character U+%04lX at "
                    "character %zu; only newline is allowed",
                    cp, chars);
            return false;
        }
        if (!invisible(cp))
            blank = false;
        if (cp != ' ' && cp != '\n' && cp != 0xA0)
            spaces = false;
        i += len;
    }
    if (chars > MAX_TEXT_CHARS) {
        problem(p, path, "is %zu characters long; at most %d", chars,
                MAX_TEXT_CHARS);
        return false;
    }
    if (spaces) {
        problem(p, path, "is empty");
        return false;
    }
    if (blank) {
        problem(p, path,
                "has no visible character (only spaces or invisible "
                "characters such as zero-width spaces)");
        return false;
    }
    return true;
}

/*
 * Reads the text object OBJ[KEY] into OUT. NEED_KK_RU: kk and ru must be
 * present (for `title`, `label`, and for `instructions`, `details` when
 * they are present at all). REQUIRED: the object itself must be present.
 */
static void
get_text(struct problems *p, const char *path, json_t *obj, const char *key,
         bool required, bool need_kk_ru, struct election_text *out)
{
    char at[PATH_LEN];
    json_t *t;
    if (!get_object(p, path, obj, key, required, &t, at))
        return;
    const char *lang;
    json_t *v;
    json_object_foreach(t, lang, v) {
        char lat[PATH_LEN];
        path_key(lat, at, lang);
        int l = -1;
        for (int i = 0; i < ELECTION_LANGS; i++) {
            if (strcmp(lang, lang_codes[i]) == 0)
                l = i;
        }
        if (l < 0) {
            problem(p, lat, "unknown language (allowed: kk, ru, en)");
            continue;
        }
        if (!want_type(p, lat, v, json_is_string(v), "a string"))
            continue;
        const char *s = json_string_value(v);
        if (check_string(p, lat, s, json_string_length(v)))
            out->s[l] = xstrdup(s);
    }
    if (need_kk_ru) {
        for (int l = ELECTION_KK; l <= ELECTION_RU; l++) {
            if (json_object_get(t, lang_codes[l]) == NULL) {
                char lat[PATH_LEN];
                path_key(lat, at, lang_codes[l]);
                problem(p, lat, "required text is missing");
            }
        }
    }
}

/* ---- date ---------------------------------------------------------------- */

static int
days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

/* The number written by the N decimal digits at S, which the caller has
 * checked are digits: no conversion function is needed, and none can fail. */
static int
date_digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static void
get_date(struct problems *p, json_t *root, char out[11])
{
    char at[PATH_LEN];
    json_t *v = field(p, "", root, "date", true, WANT_STRING,
                      "a date YYYY-MM-DD", at);
    if (v == NULL)
        return;
    const char *s = json_string_value(v);
    bool form = json_string_length(v) == 10 && s[4] == '-' && s[7] == '-';
    for (int i = 0; form && i < 10; i++) {
        if (i != 4 && i != 7 && !(s[i] >= '0' && s[i] <= '9'))
            form = false;
    }
    char sh[SHOWN_LEN];
    shown(s, sh);
    if (!form) {
        problem(p, "date", "\"%s\" is not written YYYY-MM-DD", sh);
        return;
    }
    int year = date_digits(s, 4), month = date_digits(s + 5, 2),
        day = date_digits(s + 8, 2);
    if (year < 1 || month < 1 || month > 12) {
        problem(p, "date", "\"%s\" is not a real calendar date", sh);
        return;
    }
    int max = days_in_month(year, month);
    if (day < 1 || day > max) {
        problem(p, "date",
                "\"%s\" is not a real calendar date (%.7s has "
                "%d days)",
                sh, s, max);
        return;
    }
    memcpy(out, s, 11);
}

/* ---- options and ballots -------------------------------------------------- */

static const char *const option_keys[] = {"id",      "position", "label",
                                          "details", "say",      "against_all",
                                          "box",     NULL};
static const char *const box_keys[] = {"x_mm", "y_mm", "w_mm", "h_mm", NULL};
static const char *const ballot_keys[] = {"id",           "kind",      "title",
                                          "instructions", "max_marks", "paper",
                                          "options",      NULL};
static const char *const paper_keys[] = {"width_mm", "height_mm", "corner_cut",
                                         NULL};
static const char *const election_keys[] = {"format", "id",      "test", "date",
                                            "title",  "ballots", NULL};

/* Parses option INDEX at PATH into O; returns whether its box is valid. */
static bool
parse_option(struct problems *p, const char *path, json_t *v, size_t index,
             struct election_option *o)
{
    if (!want_type(p, path, v, json_is_object(v), "an object"))
        return false;
    check_keys(p, path, v, option_keys,
               "id, position, label, details, say, against_all, box");
    get_id(p, path, v, o->id);
    long long pos;
    if (get_integer(p, path, v, "position", &pos)) {
        char at[PATH_LEN];
        path_key(at, path, "position");
        if (pos != (long long)index + 1)
            problem(p, at,
                    "is %lld; must be %zu (the option's place in the "
                    "list, counting from 1)",
                    pos, index + 1);
        o->position = (int)index + 1;
    }
    get_text(p, path, v, "label", true, true, &o->label);
    get_text(p, path, v, "details", false, true, &o->details);
    get_text(p, path, v, "say", false, false, &o->say);
    get_bool(p, path, v, "against_all", false, &o->against_all);

    char at[PATH_LEN];
    json_t *box;
    if (!get_object(p, path, v, "box", true, &box, at))
        return false;
    check_keys(p, at, box, box_keys, "x_mm, y_mm, w_mm, h_mm");
    bool ok = get_mm(p, at, box, "x_mm", 0, 1e12, &o->box.x_mm);
    ok = get_mm(p, at, box, "y_mm", 0, 1e12, &o->box.y_mm) && ok;
    ok = get_mm(p, at, box, "w_mm", BOX_MIN_MM, BOX_MAX_MM, &o->box.w_mm) && ok;
    ok = get_mm(p, at, box, "h_mm", BOX_MIN_MM, BOX_MAX_MM, &o->box.h_mm) && ok;
    return ok;
}

/* One allowed string of an enumerated field and its value. */
struct enum_name {
    const char *name;
    int value;
};

/* The allowed strings of the enumerated fields; each list ends in NULL. */
static const struct enum_name ballot_kind_names[] = {
    {"candidates", BALLOT_CANDIDATES},
    {"parties", BALLOT_PARTIES},
    {"referendum", BALLOT_REFERENDUM},
    {NULL, 0},
};
static const struct enum_name corner_cut_names[] = {
    {"top-left", CORNER_TOP_LEFT},
    {"top-right", CORNER_TOP_RIGHT},
    {"none", CORNER_NONE},
    {NULL, 0},
};

/*
 * Reads the required string field KEY of OBJ at PATH, which must be one of
 * NAMES (a list ending in NULL); stores its value in *OUT and returns true,
 * or reports what is wrong (listing the allowed strings) and returns false.
 */
static bool
parse_enum(struct problems *p, const char *path, json_t *obj, const char *key,
           const struct enum_name *names, int *out)
{
    char at[PATH_LEN], allowed[160] = "";
    path_key(at, path, key);
    for (size_t i = 0; names[i].name != NULL; i++) {
        size_t len = strlen(allowed);
        snprintf(allowed + len, sizeof allowed - len, "%s\"%s\"",
                 i == 0                      ? ""
                 : names[i + 1].name == NULL ? " or "
                                             : ", ",
                 names[i].name);
    }
    json_t *f = field(p, path, obj, key, true, WANT_STRING, allowed, at);
    if (f == NULL)
        return false;
    const char *s = json_string_value(f);
    for (size_t i = 0; names[i].name != NULL; i++) {
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].value;
            return true;
        }
    }
    char sh[SHOWN_LEN];
    shown(s, sh);
    problem(p, at, "is \"%s\"; must be %s", sh, allowed);
    return false;
}

static void
parse_paper(struct problems *p, const char *path, json_t *v,
            struct election_ballot *b, bool *ok)
{
    char at[PATH_LEN];
    json_t *paper;
    *ok = false;
    if (!get_object(p, path, v, "paper", true, &paper, at))
        return;
    check_keys(p, at, paper, paper_keys, "width_mm, height_mm, corner_cut");
    bool w = get_mm(p, at, paper, "width_mm", PAPER_MIN_MM, PAPER_MAX_MM,
                    &b->paper_w_mm);
    bool h = get_mm(p, at, paper, "height_mm", PAPER_MIN_MM, PAPER_MAX_MM,
                    &b->paper_h_mm);
    *ok = w && h;
    int cut;
    if (parse_enum(p, at, paper, "corner_cut", corner_cut_names, &cut))
        b->corner_cut = (enum corner_cut)cut;
}

/* The checks that span the options of one ballot. */
static void
check_options(struct problems *p, const char *opath,
              const struct election_ballot *b, const bool *box_ok,
              bool paper_ok)
{
    size_t n = b->n_options, against = 0;
    for (size_t i = 0; i < n; i++) {
        const struct election_option *o = &b->options[i];
        char at[PATH_LEN], sub[PATH_LEN];
        path_index(at, opath, i);
        if (o->against_all) {
            against++;
            if (i + 1 != n) {
                path_key(sub, at, "against_all");
                problem(p, sub,
                        "the \"against all\" option must be the "
                        "last one");
            }
        }
        for (size_t j = 0; j < i && o->id[0] != '\0'; j++) {
            if (strcmp(b->options[j].id, o->id) == 0) {
                path_key(sub, at, "id");
                problem(p, sub, "\"%s\" is also the id of %s[%zu]", o->id,
                        opath, j);
                break;
            }
        }
        if (!box_ok[i])
            continue;
        path_key(sub, at, "box");
        const struct election_box *x = &o->box;
        if (paper_ok && x->x_mm + x->w_mm > b->paper_w_mm)
            problem(p, sub,
                    "reaches %g mm from the left edge, beyond the "
                    "paper's width of %g mm",
                    x->x_mm + x->w_mm, b->paper_w_mm);
        if (paper_ok && x->y_mm + x->h_mm > b->paper_h_mm)
            problem(p, sub,
                    "reaches %g mm from the top edge, beyond the "
                    "paper's height of %g mm",
                    x->y_mm + x->h_mm, b->paper_h_mm);
        for (size_t j = 0; j < i; j++) {
            const struct election_box *y = &b->options[j].box;
            if (box_ok[j] && x->x_mm < y->x_mm + y->w_mm &&
                y->x_mm < x->x_mm + x->w_mm && x->y_mm < y->y_mm + y->h_mm &&
                y->y_mm < x->y_mm + x->h_mm)
                problem(p, sub, "overlaps %s[%zu].box", opath, j);
        }
    }
    if (against > 1)
        problem(p, opath, "%zu options are \"against all\"; at most one",
                against);
}

static void
parse_ballot(struct problems *p, const char *path, json_t *v,
             struct election_ballot *b)
{
    if (!want_type(p, path, v, json_is_object(v), "an object"))
        return;
    check_keys(p, path, v, ballot_keys,
               "id, kind, title, instructions, max_marks, paper, options");
    get_id(p, path, v, b->id);
    int kind;
    if (parse_enum(p, path, v, "kind", ballot_kind_names, &kind))
        b->kind = (enum ballot_kind)kind;
    get_text(p, path, v, "title", true, true, &b->title);
    get_text(p, path, v, "instructions", false, true, &b->instructions);
    bool paper_ok;
    parse_paper(p, path, v, b, &paper_ok);

    char opath[PATH_LEN];
    json_t *opts = field(p, path, v, "options", true, WANT_ARRAY, "an array",
                         opath);
    size_t n = 0;
    if (opts != NULL) {
        n = json_array_size(opts);
        if (n < 1 || n > MAX_OPTIONS)
            problem(p, opath, "has %zu options; a ballot has 1-%d", n,
                    MAX_OPTIONS);
        size_t kept = n < MAX_OPTIONS ? n : MAX_OPTIONS;
        b->options = xcalloc(kept, sizeof *b->options);
        b->n_options = kept;
        bool box_ok[MAX_OPTIONS];
        for (size_t i = 0; i < n; i++) {
            char at[PATH_LEN];
            path_index(at, opath, i);
            json_t *ov = json_array_get(opts, i);
            if (i < kept) {
                box_ok[i] = parse_option(p, at, ov, i, &b->options[i]);
            } else {
                struct election_option scratch = {0};
                parse_option(p, at, ov, i, &scratch);
                election_option_clear(&scratch);
            }
        }
        check_options(p, opath, b, box_ok, paper_ok);
    }

    long long marks;
    if (get_integer(p, path, v, "max_marks", &marks)) {
        char at[PATH_LEN];
        path_key(at, path, "max_marks");
        if (marks < 1 || (n > 0 && (unsigned long long)marks > n))
            problem(p, at,
                    "is %lld; must be from 1 to the number of "
                    "options (%zu)",
                    marks, n);
        else
            b->max_marks = (int)marks;
    }
}

static void
parse_ballots(struct problems *p, json_t *root, struct election *e)
{
    char bpath[PATH_LEN];
    json_t *v = field(p, "", root, "ballots", true, WANT_ARRAY, "an array",
                      bpath);
    if (v == NULL)
        return;
    size_t n = json_array_size(v);
    if (n < 1 || n > MAX_BALLOTS)
        problem(p, bpath, "has %zu ballots; a package has 1-%d", n,
                MAX_BALLOTS);
    size_t kept = n < MAX_BALLOTS ? n : MAX_BALLOTS;
    e->ballots = xcalloc(kept, sizeof *e->ballots);
    e->n_ballots = kept;
    for (size_t i = 0; i < n; i++) {
        char at[PATH_LEN];
        path_index(at, "ballots", i);
        json_t *bv = json_array_get(v, i);
        if (i < kept) {
            parse_ballot(p, at, bv, &e->ballots[i]);
            continue;
        }
        struct election *scratch = xcalloc(1, sizeof *scratch);
        scratch->ballots = xcalloc(1, sizeof *scratch->ballots);
        scratch->n_ballots = 1;
        parse_ballot(p, at, bv, &scratch->ballots[0]);
        election_free(scratch);
    }
    for (size_t i = 0; i < kept; i++) {
        for (size_t j = 0; j < i && e->ballots[i].id[0] != '\0'; j++) {
            if (strcmp(e->ballots[i].id, e->ballots[j].id) == 0) {
                char at[PATH_LEN];
                path_index(at, "ballots", i);
                char sub[PATH_LEN];
                path_key(sub, at, "id");
                problem(p, sub, "\"%s\" is also the id of ballots[%zu]",
                        e->ballots[i].id, j);
                break;
            }
        }
    }
}

/* ---- the document --------------------------------------------------------- */

static int
package_sodium(char **why)
{
    if (sodium_init() < 0) {
        set_whyf(why, "libsodium could not be initialised");
        return -1;
    }
    return 0;
}

static void
sha256_hex(const char *data, size_t len, char hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)data, len);
    sodium_bin2hex(hex, 65, h, sizeof h);
}

static void
syntax_problem(struct problems *p, const json_error_t *err)
{
    char text[JSON_ERROR_TEXT_LENGTH];
    size_t n = 0;
    for (const char *c = err->text; *c != '\0' && n + 1 < sizeof text; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7F)
            text[n++] = '?';
        else
            text[n++] = *c;
    }
    text[n] = '\0';
    const char *kind = json_error_code(err) == json_error_invalid_utf8
                           ? "invalid UTF-8"
                           : "JSON syntax error";
    char *line = err->line > 0 ? xasprintf("%s:%d:%d: %s: %s", p->file,
                                           err->line, err->column, kind, text)
                               : xasprintf("%s: %s: %s", p->file, kind, text);
    problems_line(p, line);
    free(line);
}

/*
 * Parses and validates LEN bytes, adding every problem to P. Returns the
 * election (hash set) when no problem was found, otherwise NULL.
 */
static struct election *
parse_collect(struct problems *p, const char *json, size_t len)
{
    size_t before = p->count;
    json_error_t err;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
    if (root == NULL) {
        syntax_problem(p, &err);
        return NULL;
    }
    struct election *e = xcalloc(1, sizeof *e);
    if (!json_is_object(root)) {
        problem(p, NULL, "the document must be a JSON object, not %s",
                json_kind(root));
        goto done;
    }
    check_keys(p, "", root, election_keys,
               "format, id, test, date, title, ballots");
    char at[PATH_LEN];
    json_t *f = field(p, "", root, "format", true, WANT_STRING,
                      "the string \"" PACKAGE_FORMAT "\"", at);
    if (f != NULL) {
        if (strcmp(json_string_value(f), PACKAGE_FORMAT) != 0) {
            char sh[SHOWN_LEN];
            shown(json_string_value(f), sh);
            problem(p, "format", "is \"%s\"; this terminal reads \"%s\"", sh,
                    PACKAGE_FORMAT);
        }
    }
    get_id(p, "", root, e->id);
    get_bool(p, "", root, "test", true, &e->test);
    get_date(p, root, e->date);
    get_text(p, "", root, "title", true, true, &e->title);
    parse_ballots(p, root, e);
    sha256_hex(json, len, e->hash);

done:
    json_decref(root);
    if (p->count != before) {
        election_free(e);
        return NULL;
    }
    return e;
}

static int
parse_named(const char *name, const char *json, size_t len,
            struct election **out, char **why)
{
    if (package_sodium(why) < 0)
        return -1;
    struct problems p = {.file = name};
    struct election *e = parse_collect(&p, json, len);
    if (e == NULL) {
        set_why(why, problems_take(&p));
        return -1;
    }
    free(p.buf);
    *out = e;
    return 0;
}

int
package_parse(const char *json, size_t len, struct election **out, char **why)
{
    return parse_named(PACKAGE_JSON, json, len, out, why);
}

/* ---- files ---------------------------------------------------------------- */

/*
 * Reads the regular file PATH, at most MAX bytes, into a new buffer (NUL
 * appended, not counted in *LEN) that the caller frees.
 */
static int
read_file(const char *path, size_t max, char **buf, size_t *len, char **why)
{
    int rc = -1;
    char *b = NULL;
    /* O_NONBLOCK: a named pipe in place of the file must not hang the
     * open; anything but a regular file is refused below, unread. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT)
            set_whyf(why, "%s: no such file", path);
        else
            set_whyf(why, "%s: cannot open: %s", path, strerror(errno));
        goto out;
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        set_whyf(why, "%s: cannot stat: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        set_whyf(why, "%s: %s", path,
                 S_ISFIFO(st.st_mode) ? "a named pipe, not a regular file"
                                      : "not a regular file");
        goto out;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    if ((unsigned long long)st.st_size > max) {
        set_whyf(why, "%s: %lld bytes; at most %zu are allowed", path,
                 (long long)st.st_size, max);
        goto out;
    }
    /* One byte more than allowed, to notice a file that grows meanwhile. */
    b = xmalloc(max + 2);
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, b + n, max + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            set_whyf(why, "%s: cannot read: %s", path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max) {
            set_whyf(why, "%s: more than %zu bytes; too large", path, max);
            goto out;
        }
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    b = NULL;
    rc = 0;
out:
    free(b);
    if (fd >= 0)
        close(fd);
    return rc;
}

/* atomicfile_write() for the callers here, whose WHY may be NULL. */
static int
write_atomic(const char *path, const char *data, size_t len, mode_t mode,
             unsigned flags, char **why)
{
    char *w = NULL;
    int rc = atomicfile_write(path, data, len, mode, flags, &w);
    if (rc < 0)
        set_why(why, w);
    return rc;
}

int
package_read(const char *dir, struct election **out, char **why)
{
    char *path = xasprintf("%s/%s", dir, PACKAGE_JSON);
    char *buf = NULL;
    size_t len;
    int rc = read_file(path, PACKAGE_MAX_BYTES, &buf, &len, why);
    if (rc == 0)
        rc = parse_named(path, buf, len, out, why);
    free(buf);
    free(path);
    return rc;
}

int
package_hash_file(const char *dir, char hex[65], char **why)
{
    if (package_sodium(why) < 0)
        return -1;
    char *path = xasprintf("%s/%s", dir, PACKAGE_JSON);
    char *buf = NULL;
    size_t len;
    int rc = read_file(path, PACKAGE_MAX_BYTES, &buf, &len, why);
    if (rc == 0)
        sha256_hex(buf, len, hex);
    free(buf);
    free(path);
    return rc;
}

/* ---- keys ------------------------------------------------------------------ */

/* Narrows [*S, *E) to exclude surrounding spaces, tabs, CR and LF. */
static void
trim(const char **s, const char **e)
{
    while (*s < *e && strchr(" \t\r\n", **s) != NULL)
        (*s)++;
    while (*e > *s && strchr(" \t\r\n", (*e)[-1]) != NULL)
        (*e)--;
}

/*
 * Decodes the standard base64 in [S, E) into at most MAX bytes of BIN.
 * Returns the number of bytes, or -1 if it is not exactly base64.
 */
static long
base64_decode(const char *s, const char *e, unsigned char *bin, size_t max)
{
    size_t n;
    const char *end;
    if (sodium_base642bin(bin, max, s, (size_t)(e - s), NULL, &n, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != e)
        return -1;
    return (long)n;
}

int
package_parse_public_key(const char *base64_line,
                         unsigned char key[PACKAGE_KEY_BYTES], char **why)
{
    if (package_sodium(why) < 0)
        return -1;
    const char *s = base64_line, *e = s + strlen(s);
    trim(&s, &e);
    unsigned char bin[crypto_sign_SECRETKEYBYTES];
    long n = base64_decode(s, e, bin, sizeof bin);
    if (n == PACKAGE_KEY_BYTES) {
        memcpy(key, bin, PACKAGE_KEY_BYTES);
        return 0;
    }
    if (n == (long)sizeof bin)
        set_whyf(why, "not a public key: this is 64 bytes (a signature or "
                      "a secret key?); a public key is 32 bytes");
    else if (n >= 0)
        set_whyf(why,
                 "not a public key: %ld bytes; an Ed25519 public key "
                 "is 32 bytes",
                 n);
    else
        set_whyf(why, "not a public key: expected 44 characters of standard "
                      "base64 (32 bytes)");
    sodium_memzero(bin, sizeof bin);
    return -1;
}

int
package_read_public_keys(const char *path,
                         unsigned char (**keys)[PACKAGE_KEY_BYTES],
                         size_t *n_keys, char **why)
{
    char *buf = NULL;
    size_t len;
    if (read_file(path, KEYFILE_MAX_BYTES, &buf, &len, why) < 0)
        return -1;
    struct problems p = {.file = path};
    unsigned char(*list)[PACKAGE_KEY_BYTES] = NULL;
    size_t n = 0, lineno = 0;
    const char *end = buf + len;
    for (const char *line = buf; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *le = nl != NULL ? nl : end;
        lineno++;
        const char *s = line, *e = le;
        trim(&s, &e);
        line = nl != NULL ? nl + 1 : end;
        if (s == e || *s == '#')
            continue;
        char *one = xstrndup(s, (size_t)(e - s));
        unsigned char key[PACKAGE_KEY_BYTES];
        char *err = NULL;
        if (memchr(s, '\0', (size_t)(e - s)) == NULL &&
            package_parse_public_key(one, key, &err) == 0) {
            list = xrealloc(list, (n + 1) * sizeof *list);
            memcpy(list[n++], key, PACKAGE_KEY_BYTES);
        } else {
            char *l = xasprintf("%s:%zu: %s", path, lineno,
                                err != NULL ? err : "not a public key");
            problems_line(&p, l);
            free(l);
        }
        free(err);
        free(one);
    }
    free(buf);
    if (p.count == 0 && n == 0) {
        char *l = xasprintf("%s: holds no public key", path);
        problems_line(&p, l);
        free(l);
    }
    if (p.count > 0) {
        free(list);
        set_why(why, problems_take(&p));
        return -1;
    }
    *keys = list;
    *n_keys = n;
    return 0;
}

/* Reads a secret key file into the 64-byte libsodium secret key SK. */
static int
read_secret_key(const char *path, unsigned char sk[crypto_sign_SECRETKEYBYTES],
                char **why)
{
    int rc = -1;
    char *buf = NULL;
    size_t len = 0;
    unsigned char bin[crypto_sign_SECRETKEYBYTES];
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    if (read_file(path, KEYFILE_MAX_BYTES, &buf, &len, why) < 0)
        goto out;
    const char *s = buf, *e = buf + len;
    trim(&s, &e);
    long n = base64_decode(s, e, bin, sizeof bin);
    if (n == crypto_sign_SEEDBYTES) {
        crypto_sign_seed_keypair(pk, sk, bin);
    } else if (n == crypto_sign_SECRETKEYBYTES) {
        crypto_sign_seed_keypair(pk, sk, bin);
        if (sodium_memcmp(sk, bin, sizeof bin) != 0) {
            set_whyf(why,
                     "%s: damaged secret key: its public half does not "
                     "belong to its seed",
                     path);
            goto out;
        }
    } else {
        set_whyf(why,
                 "%s: not a secret key: expected one line of standard "
                 "base64 holding a 32-byte Ed25519 seed",
                 path);
        goto out;
    }
    rc = 0;
out:
    sodium_memzero(bin, sizeof bin);
    if (rc < 0)
        sodium_memzero(sk, crypto_sign_SECRETKEYBYTES);
    if (buf != NULL) {
        sodium_memzero(buf, len);
        free(buf);
    }
    return rc;
}

/* Encodes BIN as one line of standard base64 and a newline; caller frees. */
static char *
base64_line(const unsigned char *bin, size_t n)
{
    size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *s = xmalloc(cap + 1);
    sodium_bin2base64(s, cap, bin, n, sodium_base64_VARIANT_ORIGINAL);
    size_t l = strlen(s);
    s[l] = '\n';
    s[l + 1] = '\0';
    return s;
}

int
package_keygen(const char *secret_path, const char *public_path, char **why)
{
    int rc = -1;
    bool created = false;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    char *sline = NULL, *pline = NULL;
    if (package_sodium(why) < 0)
        goto out;
    if (strcmp(secret_path, public_path) == 0) {
        set_whyf(why, "the secret and the public key must go to different "
                      "files");
        goto out;
    }
    crypto_sign_keypair(pk, sk);
    sline = base64_line(sk, crypto_sign_SEEDBYTES);
    pline = base64_line(pk, sizeof pk);

    char *w = NULL;
    int wr = atomicfile_write(secret_path, sline, strlen(sline), 0600,
                              ATOMICFILE_NOREPLACE, &w);
    if (wr == -EEXIST) {
        free(w);
        set_whyf(why,
                 "%s: already exists; refusing to overwrite a secret "
                 "key (move it away first)",
                 secret_path);
        goto out;
    }
    if (wr < 0) {
        set_why(why, w);
        goto out;
    }
    created = true;
    struct stat ss, ps;
    if (stat(secret_path, &ss) == 0 && stat(public_path, &ps) == 0 &&
        ss.st_dev == ps.st_dev && ss.st_ino == ps.st_ino) {
        set_whyf(why, "the secret and the public key must go to different "
                      "files");
        goto out;
    }
    if (write_atomic(public_path, pline, strlen(pline), 0644, 0, why) < 0)
        goto out;
    rc = 0;
out:
    if (rc < 0 && created)
        unlink(secret_path);
    sodium_memzero(sk, sizeof sk);
    if (sline != NULL) {
        sodium_memzero(sline, strlen(sline));
        free(sline);
    }
    free(pline);
    return rc;
}

/*
 * Decodes the LEN bytes of BUF, the text of the signature file PATH (named
 * in messages), into SIG: standard base64 of 64 bytes, optionally followed
 * by one newline, nothing else.
 */
static int
decode_signature(const char *path, const char *buf, size_t len,
                 unsigned char sig[SIG_BYTES], char **why)
{
    size_t n = len > 0 && buf[len - 1] == '\n' ? len - 1 : len;
    if (n == 0) {
        set_whyf(why,
                 "%s: empty; expected the signature as one line of "
                 "standard base64",
                 path);
        return -1;
    }
    if (memchr(buf, '\r', len) != NULL) {
        set_whyf(why,
                 "%s: has a carriage return (Windows line ending); the "
                 "file must hold one line of base64 and at most one \\n",
                 path);
        return -1;
    }
    unsigned char bin[SIG_BYTES + 1];
    if (memchr(buf, '\0', len) != NULL ||
        base64_decode(buf, buf + n, bin, sizeof bin) != SIG_BYTES) {
        set_whyf(why,
                 "%s: not a signature: expected one line of standard "
                 "base64 (88 characters, 64 bytes), optionally followed by "
                 "a newline",
                 path);
        return -1;
    }
    memcpy(sig, bin, SIG_BYTES);
    return 0;
}

/* Reads and decodes DIR/election.json.sig into SIG (decode_signature()).
 * When RAW is not NULL, *RAW and *RAW_LEN get the file's bytes as read
 * (the caller frees *RAW). */
static int
read_signature(const char *dir, unsigned char sig[SIG_BYTES], char **raw,
               size_t *raw_len, char **why)
{
    char *path = xasprintf("%s/%s", dir, PACKAGE_SIG);
    char *buf = NULL;
    size_t len;
    int rc = read_file(path, SIGFILE_MAX_BYTES, &buf, &len, why);
    if (rc == 0)
        rc = decode_signature(path, buf, len, sig, why);
    if (rc == 0 && raw != NULL) {
        *raw = buf;
        *raw_len = len;
        buf = NULL;
    }
    free(buf);
    free(path);
    return rc;
}

/* Checks the signature of DIR over the bytes JSON[0..LEN). When RAW is
 * not NULL, *RAW and *RAW_LEN are the signature file's bytes as read (the
 * caller frees *RAW, also on failure; NULL when it could not be read). */
static int
verify_bytes(const char *dir, const char *json, size_t len,
             const unsigned char (*keys)[PACKAGE_KEY_BYTES], size_t n_keys,
             char **raw, size_t *raw_len, char **why)
{
    unsigned char sig[SIG_BYTES];
    if (read_signature(dir, sig, raw, raw_len, why) < 0)
        return -1;
    if (n_keys == 0) {
        set_whyf(why,
                 "%s/%s: no trusted public key is configured, so no "
                 "signature can be accepted",
                 dir, PACKAGE_SIG);
        return -1;
    }
    for (size_t i = 0; i < n_keys; i++) {
        if (crypto_sign_verify_detached(sig, (const unsigned char *)json, len,
                                        keys[i]) == 0)
            return 0;
    }
    set_whyf(why,
             "%s/%s: the signature does not match %s under %s "
             "trusted key%s (changed after signing, or signed with another "
             "key)",
             dir, PACKAGE_SIG, PACKAGE_JSON, n_keys == 1 ? "the" : "any of the",
             n_keys == 1 ? "" : "s");
    return -1;
}

int
package_verify_signature(const char *dir,
                         const unsigned char (*keys)[PACKAGE_KEY_BYTES],
                         size_t n_keys, char **why)
{
    if (package_sodium(why) < 0)
        return -1;
    char *path = xasprintf("%s/%s", dir, PACKAGE_JSON);
    char *buf = NULL;
    size_t len;
    int rc = read_file(path, PACKAGE_MAX_BYTES, &buf, &len, why);
    if (rc == 0)
        rc = verify_bytes(dir, buf, len, keys, n_keys, NULL, NULL, why);
    free(buf);
    free(path);
    return rc;
}

int
package_load_bytes(const char *dir,
                   const unsigned char (*keys)[PACKAGE_KEY_BYTES],
                   size_t n_keys, struct election **out,
                   struct package_bytes *bytes, char **why)
{
    if (package_sodium(why) < 0)
        return -1;
    int rc = -1;
    char *path = xasprintf("%s/%s", dir, PACKAGE_JSON);
    char *buf = NULL, *sig = NULL;
    size_t len, sig_len = 0;
    if (read_file(path, PACKAGE_MAX_BYTES, &buf, &len, why) < 0)
        goto out;
    struct problems p = {.file = path};
    char *sig_why = NULL;
    if (verify_bytes(dir, buf, len, keys, n_keys, bytes != NULL ? &sig : NULL,
                     &sig_len, &sig_why) < 0) {
        problems_line(&p, sig_why);
        free(sig_why);
    }
    struct election *e = parse_collect(&p, buf, len);
    if (p.count > 0) {
        election_free(e);
        set_why(why, problems_take(&p));
        goto out;
    }
    free(p.buf);
    *out = e;
    if (bytes != NULL) {
        bytes->json = buf;
        bytes->json_len = len;
        bytes->sig = sig;
        bytes->sig_len = sig_len;
        buf = NULL;
        sig = NULL;
    }
    rc = 0;
out:
    free(buf);
    free(sig);
    free(path);
    return rc;
}

int
package_load(const char *dir, const unsigned char (*keys)[PACKAGE_KEY_BYTES],
             size_t n_keys, struct election **out, char **why)
{
    return package_load_bytes(dir, keys, n_keys, out, NULL, why);
}

void
package_bytes_free(struct package_bytes *b)
{
    if (b == NULL)
        return;
    free(b->json);
    free(b->sig);
    b->json = NULL;
    b->sig = NULL;
    b->json_len = b->sig_len = 0;
}

int
package_sign(const char *dir, const char *secret_path, char **why)
{
    int rc = -1;
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    unsigned char sig[SIG_BYTES];
    char *path = xasprintf("%s/%s", dir, PACKAGE_JSON);
    char *sig_path = xasprintf("%s/%s", dir, PACKAGE_SIG);
    char *buf = NULL, *line = NULL;
    size_t len;
    if (package_sodium(why) < 0)
        goto out;
    if (read_file(path, PACKAGE_MAX_BYTES, &buf, &len, why) < 0)
        goto out;
    struct problems p = {.file = path};
    struct election *e = parse_collect(&p, buf, len);
    if (e == NULL) {
        set_why(why, problems_take(&p));
        goto out;
    }
    election_free(e);
    if (read_secret_key(secret_path, sk, why) < 0)
        goto out;
    crypto_sign_detached(sig, NULL, (const unsigned char *)buf, len, sk);
    line = base64_line(sig, sizeof sig);
    if (write_atomic(sig_path, line, strlen(line), 0644, 0, why) < 0)
        goto out;
    rc = 0;
out:
    sodium_memzero(sk, sizeof sk);
    free(line);
    free(buf);
    free(sig_path);
    free(path);
    return rc;
}

int
package_sign_data(const char *secret_path, const char *data, size_t len,
                  char **sig_line, char **why)
{
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    unsigned char sig[SIG_BYTES];
    if (package_sodium(why) < 0 || read_secret_key(secret_path, sk, why) < 0)
        return -1;
    crypto_sign_detached(sig, NULL, (const unsigned char *)data, len, sk);
    sodium_memzero(sk, sizeof sk);
    *sig_line = base64_line(sig, sizeof sig);
    return 0;
}

int
package_verify_data(const char *sig_path, const char *sig_text, size_t sig_len,
                    const char *data, size_t len, const char *data_name,
                    const unsigned char (*keys)[PACKAGE_KEY_BYTES],
                    size_t n_keys, char **why)
{
    unsigned char sig[SIG_BYTES];
    if (package_sodium(why) < 0 ||
        decode_signature(sig_path, sig_text, sig_len, sig, why) < 0)
        return -1;
    if (n_keys == 0) {
        set_whyf(why,
                 "%s: no trusted public key is configured, so no signature "
                 "can be accepted",
                 sig_path);
        return -1;
    }
    for (size_t i = 0; i < n_keys; i++) {
        if (crypto_sign_verify_detached(sig, (const unsigned char *)data, len,
                                        keys[i]) == 0)
            return 0;
    }
    set_whyf(why,
             "%s: the signature does not match %s under %s trusted key%s "
             "(changed after signing, or signed with another key)",
             sig_path, data_name, n_keys == 1 ? "the" : "any of the",
             n_keys == 1 ? "" : "s");
    return -1;
}
