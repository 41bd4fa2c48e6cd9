/*
 * Reports and guides (see report.h). The lines are built first, as data,
 * in the staff member's language; one layout function then wraps them at
 * spaces (a word wider than the line, such as a full hash, at a character)
 * and draws them, either on A4 pages with a page break wherever the next
 * line does not fit, or on one long strip of receipt paper whose height a
 * first pass measures.
 */
#include "kiosk/report.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accessibility/atomicfile.h"
#include "accessibility/readout.h"
#include "accessibility/utf8.h"
#include "accessibility/xalloc.h"
#include "services/receipt.h"

#define FONT "DejaVu Sans"
#define A4_W 595.28 /* points */
#define A4_H 841.89
#define A4_MARGIN 56.0
#define STRIP_W (80.0 / 25.4 * 72.0) /* the receipt paper, points */
#define STRIP_MARGIN 12.0

char *
report_short_hash(const char *hash, char out[REPORT_SHORT_HASH + 1])
{
    if (hash == NULL || hash[0] == '\0') {
        snprintf(out, REPORT_SHORT_HASH + 1, "-");
        return out;
    }
    snprintf(out, REPORT_SHORT_HASH + 1, "%.*s", REPORT_SHORT_HASH, hash);
    return out;
}

int64_t
report_day_start(int64_t now)
{
    time_t t = (time_t)now;
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL)
        return now - now % 86400;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    time_t start = mktime(&tm);
    return start == (time_t)-1 ? now - now % 86400 : (int64_t)start;
}

static struct report *
report_new(enum report_kind kind)
{
    struct report *r = xcalloc(1, sizeof *r);
    r->kind = kind;
    return r;
}

static void
report_add(struct report *r, enum report_style style, const char *text)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 32;
        r->lines = xrealloc(r->lines, r->cap * sizeof *r->lines);
    }
    r->lines[r->n].style = style;
    r->lines[r->n].text = xstrdup(text);
    r->lines[r->n].paper = false;
    r->n++;
}

/* Adds the template TMPL (a message id) translated, with its N ARGS. */
static void
report_addf(struct report *r, const struct i18n *t, enum lang lang,
            enum report_style style, const char *tmpl, int n,
            const char *const *args)
{
    char buf[1024];
    i18n_format(buf, sizeof buf, i18n_text(t, lang, tmpl), n, args);
    report_add(r, style, buf);
}

/* Formats T (Unix seconds) in local time, "2026-03-15 08:02". */
static const char *
report_time(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (localtime_r(&tt, &tm) == NULL ||
        strftime(buf, size, "%Y-%m-%d %H:%M", &tm) == 0)
        snprintf(buf, size, "%lld", (long long)t);
    return buf;
}

/* A name for files: the kind, the terminal (letters, digits, '-' and '_'
 * only) and the local time. */
static char *
report_file_name(const char *kind, const char *terminal, int64_t t)
{
    char term[40], when[32];
    size_t n = 0;
    for (const char *p = terminal ? terminal : ""; *p && n + 1 < sizeof term;
         p++) {
        char ch = *p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
        term[n++] = '_';
        if (ok)
            term[n - 1] = ch;
    }
    term[n] = '\0';
    time_t tt = (time_t)t;
    struct tm tm;
    if (localtime_r(&tt, &tm) == NULL ||
        strftime(when, sizeof when, "%Y%m%d-%H%M%S", &tm) == 0)
        snprintf(when, sizeof when, "%lld", (long long)t);
    return n > 0 ? xasprintf("%s-%s-%s", kind, term, when)
                 : xasprintf("%s-%s", kind, when);
}

char *
report_spaced(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = s; *p != '\0' && n + 2 < size; p++) {
        if (n > 0)
            out[n++] = ' ';
        out[n++] = *p;
    }
    if (size > 0)
        out[n < size ? n : size - 1] = '\0';
    return out;
}

/* The short hash of HASH for F: spaced out for the screen. */
static const char *
report_hash_text(const struct report_facts *f, const char *hash, char *buf,
                 size_t size)
{
    char shorth[REPORT_SHORT_HASH + 1];
    report_short_hash(hash, shorth);
    if (!f->spaced_hashes) {
        snprintf(buf, size, "%s", shorth);
        return buf;
    }
    return report_spaced(shorth, buf, size);
}

/* The lines every report starts with: terminal, version, time, package. */
static void
report_head(struct report *r, const struct report_facts *f,
            const struct i18n *t, enum lang lang)
{
    char when[40], shorth[2 * REPORT_SHORT_HASH];
    const char *a[1];
    a[0] = f->terminal != NULL && f->terminal[0] ? f->terminal : "-";
    report_addf(r, t, lang, REPORT_TEXT, N_("Terminal: {1}"), 1, a);
    a[0] = f->version != NULL ? f->version : "-";
    report_addf(r, t, lang, REPORT_TEXT, N_("Software version: {1}"), 1, a);
    a[0] = report_time(f->made_at, when, sizeof when);
    report_addf(r, t, lang, REPORT_TEXT, N_("Made at: {1}"), 1, a);
    if (!f->voting_on && f->package_id == NULL)
        return; /* a Ten Qogam terminal */
    report_add(r, REPORT_HEADING, i18n_text(t, lang, "Election package"));
    if (f->package_id == NULL) {
        report_add(r, REPORT_TEXT, i18n_text(t, lang, "No package is loaded."));
        return;
    }
    a[0] = f->package_id;
    report_addf(r, t, lang, REPORT_TEXT, N_("Package: {1}"), 1, a);
    a[0] = report_hash_text(f, f->package_hash, shorth, sizeof shorth);
    report_addf(r, t, lang, REPORT_BIG, N_("Package hash: {1}"), 1, a);
    if (f->package_hash != NULL) {
        char *g = readout_grouped(f->package_hash, 4);
        a[0] = g;
        report_addf(r, t, lang, REPORT_TEXT, N_("Full hash: {1}"), 1, a);
        r->lines[r->n - 1].paper = true;
        free(g);
    }
    if (f->package_test)
        report_add(r, REPORT_TEXT,
                   i18n_text(t, lang, "TEST PACKAGE: not a real election."));
}

static void
report_audit(struct report *r, const struct report_facts *f,
             const struct i18n *t, enum lang lang)
{
    char num[24], shorth[2 * REPORT_SHORT_HASH];
    const char *a[2];
    report_add(r, REPORT_HEADING, i18n_text(t, lang, "Audit trail"));
    if (f->audit_problem != NULL) {
        a[0] = f->audit_problem;
        report_addf(r, t, lang, REPORT_TEXT,
                    N_("The audit trail cannot be verified: {1}"), 1, a);
        return;
    }
    snprintf(num, sizeof num, "%llu", (unsigned long long)f->audit_seq);
    a[0] = num;
    a[1] = report_hash_text(f, f->audit_hash, shorth, sizeof shorth);
    report_addf(r, t, lang, REPORT_BIG, N_("Audit head: {1} {2}"), 2, a);
    if (f->audit_hash != NULL) {
        char *g = readout_grouped(f->audit_hash, 4);
        a[0] = g;
        report_addf(r, t, lang, REPORT_TEXT, N_("Full hash: {1}"), 1, a);
        r->lines[r->n - 1].paper = true;
        free(g);
    }
}

/* The word for answer A. */
static const char *
report_answer(const struct i18n *t, enum lang lang, enum report_answer a)
{
    switch (a) {
    case REPORT_YES:
        return i18n_text(t, lang, "yes");
    case REPORT_NO:
        return i18n_text(t, lang, "NO");
    case REPORT_NOT_ASKED:
        break;
    }
    return i18n_text(t, lang, "not checked");
}

bool
report_ready(const struct report_facts *f)
{
    const struct report_check *c = f->check;
    if (c == NULL)
        return false;
    if (c->keypad && c->keys_pressed < c->keys_total)
        return false;
    if (c->heard != REPORT_YES)
        return false;
    if (f->printer_configured && c->printed != REPORT_YES)
        return false;
    return !f->voting_on || f->package_id != NULL;
}

static void
report_opening(struct report *r, const struct report_facts *f,
               const struct i18n *t, enum lang lang)
{
    const struct report_check *c = f->check;
    char n1[16], n2[16];
    const char *a[2];
    report_add(r, REPORT_HEADING, i18n_text(t, lang, "Readiness check"));
    if (c == NULL || !c->keypad) {
        report_add(r, REPORT_ITEM,
                   i18n_text(t, lang, "Keypad: no keypad is configured."));
    } else {
        snprintf(n1, sizeof n1, "%u", c->keys_pressed);
        snprintf(n2, sizeof n2, "%u", c->keys_total);
        a[0] = n1;
        a[1] = n2;
        report_addf(r, t, lang, REPORT_ITEM,
                    N_("Keypad keys pressed: {1} of {2}"), 2, a);
        if (c->keys_pressed < c->keys_total) {
            a[0] = c->keys_missing;
            report_addf(r, t, lang, REPORT_ITEM, N_("Keys not pressed: {1}"), 1,
                        a);
        }
    }
    a[0] = report_answer(t, lang, c != NULL ? c->heard : REPORT_NOT_ASKED);
    report_addf(r, t, lang, REPORT_ITEM,
                N_("Chime and sentences in Kazakh and Russian heard in the "
                   "headphones: {1}"),
                1, a);
    if (!f->printer_configured) {
        report_add(r, REPORT_ITEM,
                   i18n_text(t, lang, "Printer: no printer is configured."));
    } else {
        a[0] = report_answer(t, lang,
                             c != NULL ? c->printed : REPORT_NOT_ASKED);
        report_addf(r, t, lang, REPORT_ITEM,
                    N_("Printer test line printed: {1}"), 1, a);
    }
    if (f->printer_problem != NULL) {
        a[0] = f->printer_problem;
        report_addf(r, t, lang, REPORT_ITEM, N_("Printer fault: {1}"), 1, a);
    }
    report_add(r, REPORT_BIG,
               report_ready(f)
                   ? i18n_text(t, lang, "Result: the terminal is ready.")
                   : i18n_text(t, lang, "Result: the terminal is NOT ready."));
}

/* Voting assistance today: the times and the counts. */
static void
report_voting(struct report *r, const struct report_facts *f,
              const struct i18n *t, enum lang lang)
{
    char when[40], num[24];
    const char *a[1];
    report_add(r, REPORT_HEADING, i18n_text(t, lang, "Voting assistance"));
    if (f->opened_at > 0) {
        a[0] = report_time(f->opened_at, when, sizeof when);
        report_addf(r, t, lang, REPORT_TEXT, N_("Opened: {1}"), 1, a);
    } else {
        report_add(r, REPORT_TEXT,
                   i18n_text(t, lang, "Voting assistance was not opened."));
    }
    if (f->closed_at > 0) {
        a[0] = report_time(f->closed_at, when, sizeof when);
        report_addf(r, t, lang, REPORT_TEXT, N_("Closed: {1}"), 1, a);
    } else if (f->opened_at > 0) {
        report_add(r, REPORT_TEXT, i18n_text(t, lang, "Closed: still open."));
    }
    if (f->sessions >= 0) {
        snprintf(num, sizeof num, "%ld", f->sessions);
        a[0] = num;
    } else {
        a[0] = i18n_text(t, lang, "not known");
    }
    report_addf(r, t, lang, REPORT_TEXT, N_("Voter sessions served: {1}"), 1,
                a);
    if (f->stencils >= 0) {
        snprintf(num, sizeof num, "%ld", f->stencils);
        a[0] = num;
    } else {
        a[0] = i18n_text(t, lang, "not known");
    }
    report_addf(r, t, lang, REPORT_TEXT, N_("Stencils written: {1}"), 1, a);
}

static void
report_closing(struct report *r, const struct report_facts *f,
               const struct i18n *t, enum lang lang)
{
    char num[24];
    const char *a[2];
    if (f->voting_on) /* not on a Ten Qogam terminal */
        report_voting(r, f, t, lang);
    report_add(r, REPORT_HEADING,
               i18n_text(t, lang, "Applications taken today"));
    if (!f->services_on) {
        report_add(r, REPORT_TEXT,
                   i18n_text(t, lang,
                             "This terminal does not take applications."));
    } else if (f->services_problem != NULL) {
        a[0] = f->services_problem;
        report_addf(r, t, lang, REPORT_TEXT,
                    N_("The applications cannot be counted: {1}"), 1, a);
    } else {
        long total = 0;
        for (size_t i = 0; i < f->n_counts; i++) {
            snprintf(num, sizeof num, "%ld", f->counts[i].n);
            a[0] = f->counts[i].service;
            a[1] = num;
            report_addf(r, t, lang, REPORT_ITEM, N_("{1}: {2}"), 2, a);
            total += f->counts[i].n;
        }
        snprintf(num, sizeof num, "%ld", total);
        a[0] = num;
        report_addf(r, t, lang, REPORT_TEXT, N_("Applications in all: {1}"), 1,
                    a);
    }
}

struct report *
report_build(const struct report_facts *f, const struct i18n *t, enum lang lang)
{
    static const char *const titles[] = {
        [REPORT_OPENING] = "Opening report",
        [REPORT_CLOSING] = "Close-of-day report",
        [REPORT_PRINTER_TEST] = "Printer test",
        [REPORT_GUIDE] = "Staff guide",
    };
    static const char *const files[] = {
        [REPORT_OPENING] = "opening",
        [REPORT_CLOSING] = "close-of-day",
        [REPORT_PRINTER_TEST] = "printer-test",
        [REPORT_GUIDE] = "staff-guide",
    };
    struct report *r = report_new(f->kind);
    r->name = report_file_name(files[f->kind], f->terminal, f->made_at);
    report_add(r, REPORT_TITLE, i18n_text(t, lang, titles[f->kind]));
    if (f->kind == REPORT_PRINTER_TEST) {
        char when[40];
        const char *a[1];
        a[0] = f->terminal != NULL && f->terminal[0] ? f->terminal : "-";
        report_addf(r, t, lang, REPORT_TEXT, N_("Terminal: {1}"), 1, a);
        a[0] = report_time(f->made_at, when, sizeof when);
        report_addf(r, t, lang, REPORT_TEXT, N_("Made at: {1}"), 1, a);
        /* Every letter of both alphabets that a printer could lose. */
        report_add(r, REPORT_TEXT, "Қазақша: Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі");
        report_add(r, REPORT_TEXT, "Русский: Ёё Йй Щщ Ъъ Ыы Ээ Юю Яя");
        report_add(r, REPORT_TEXT, "0123456789");
        return r;
    }
    report_head(r, f, t, lang);
    if (f->kind == REPORT_OPENING)
        report_opening(r, f, t, lang);
    else
        report_closing(r, f, t, lang);
    report_audit(r, f, t, lang);
    report_add(r, REPORT_TEXT,
               i18n_text(t, lang,
                         "Signature of the commission member: __________"));
    r->lines[r->n - 1].paper = true;
    return r;
}

size_t
report_paragraphs(const struct report *r, char **out, size_t max)
{
    size_t n = 0;
    char *cur = NULL;
    bool headed = false; /* CUR is a heading with no line yet */
    for (size_t i = 1; i < r->n; i++) {
        const struct report_line *l = &r->lines[i];
        if (l->paper)
            continue;
        if (l->style == REPORT_HEADING || cur == NULL) {
            if (cur != NULL) {
                if (n == max)
                    break;
                out[n++] = cur;
            }
            cur = xstrdup(l->text);
            headed = l->style == REPORT_HEADING;
            continue;
        }
        /* "…configured." then "; ": the full stop gives way. */
        size_t len = strlen(cur);
        if (!headed && len > 0 && cur[len - 1] == '.')
            cur[len - 1] = '\0';
        char *more = xasprintf("%s%s%s", cur, headed ? " — " : "; ", l->text);
        free(cur);
        cur = more;
        headed = false;
    }
    if (cur != NULL) {
        if (n < max)
            out[n++] = cur;
        else
            free(cur);
    }
    return n;
}

void
report_free(struct report *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->lines[i].text);
    free(r->lines);
    free(r->name);
    free(r);
}

/* ---- the staff guide ------------------------------------------------- */

int
report_guide_parse(const char *name, const char *text, size_t len,
                   struct report **out, char **why)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = utf8_decode(text + i, len - i, &cp);
        if (n < 0 || cp == 0) {
            *why = xasprintf("%s: not UTF-8 text (byte %zu)", name, i + 1);
            return -1;
        }
        i += (size_t)n;
    }
    struct report *r = report_new(REPORT_GUIDE);
    r->name = xstrdup(name);
    r->short_from = (size_t)-1;
    char *para = NULL;
    size_t para_len = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char *line = xstrndup(p, n);
        p += n + (nl != NULL);
        size_t ll = strlen(line);
        while (ll > 0 && (line[ll - 1] == '\r' || line[ll - 1] == ' '))
            line[--ll] = '\0';
        bool blank = ll == 0;
        bool block = strncmp(line, "#", 1) == 0 ||
                     strncmp(line, "- ", 2) == 0 ||
                     strcmp(line, "<!-- short -->") == 0;
        if ((blank || block) && para != NULL) {
            report_add(r, REPORT_TEXT, para);
            free(para);
            para = NULL;
            para_len = 0;
        }
        if (strcmp(line, "<!-- short -->") == 0)
            r->short_from = r->n;
        else if (strncmp(line, "## ", 3) == 0)
            report_add(r, REPORT_HEADING, line + 3);
        else if (strncmp(line, "# ", 2) == 0)
            report_add(r, REPORT_TITLE, line + 2);
        else if (strncmp(line, "- ", 2) == 0)
            report_add(r, REPORT_ITEM, line + 2);
        else if (!blank) {
            /* A continuation of an item, or a paragraph's line. */
            const char *s = line;
            while (*s == ' ')
                s++;
            if (para == NULL && r->n > 0 &&
                r->lines[r->n - 1].style == REPORT_ITEM && s != line) {
                char *joined = xasprintf("%s %s", r->lines[r->n - 1].text, s);
                free(r->lines[r->n - 1].text);
                r->lines[r->n - 1].text = joined;
            } else {
                size_t sl = strlen(s);
                para = xrealloc(para, para_len + sl + 2);
                if (para_len > 0)
                    para[para_len++] = ' ';
                memcpy(para + para_len, s, sl + 1);
                para_len += sl;
            }
        }
        free(line);
    }
    if (para != NULL)
        report_add(r, REPORT_TEXT, para);
    free(para);
    if (r->n == 0 || r->lines[0].style != REPORT_TITLE) {
        *why = xasprintf("%s: the guide must start with a title line "
                         "(\"# …\")",
                         name);
        report_free(r);
        return -1;
    }
    if (r->short_from == (size_t)-1)
        r->short_from = 0;
    *out = r;
    return 0;
}

/* ---- layout ---------------------------------------------------------- */

struct layout {
    cairo_t *cr;
    double width, margin; /* the text's width and left margin */
    double page_h;        /* 0: one endless strip */
    double y;
    double scale; /* font sizes for the strip are smaller */
    bool draw;
};

static void
layout_font(struct layout *l, enum report_style style, double *size)
{
    static const double sizes[] = {
        [REPORT_TITLE] = 17, [REPORT_HEADING] = 12.5, [REPORT_TEXT] = 10,
        [REPORT_ITEM] = 10,  [REPORT_BIG] = 14,
    };
    bool bold = style == REPORT_TITLE || style == REPORT_HEADING ||
                style == REPORT_BIG;
    *size = sizes[style] * l->scale;
    cairo_select_font_face(l->cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD
                                : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(l->cr, *size);
}

static double
layout_width(struct layout *l, const char *s, size_t n)
{
    char *copy = xstrndup(s, n);
    cairo_text_extents_t ext;
    cairo_text_extents(l->cr, copy, &ext);
    free(copy);
    return ext.x_advance;
}

/* Starts a new line of SIZE; on a full A4 page, a new page first. */
static void
layout_newline(struct layout *l, double size)
{
    if (l->page_h > 0 && l->y + size * 1.3 > l->page_h - A4_MARGIN) {
        if (l->draw) {
            cairo_show_page(l->cr);
            cairo_set_source_rgb(l->cr, 0, 0, 0);
        }
        l->y = A4_MARGIN;
    }
    l->y += size * 1.3;
}

/* Lays TEXT out from X, wrapped at spaces within the width; a word wider
 * than a whole line is broken between characters. */
static void
layout_text(struct layout *l, const char *text, double x, double size)
{
    double width = l->width - (x - l->margin);
    const char *p = text;
    while (*p == ' ')
        p++;
    while (*p != '\0') {
        /* the longest run of whole words that fits */
        size_t fit = 0, at = 0;
        for (;;) {
            size_t word = at;
            while (p[word] == ' ')
                word++;
            size_t next = word + strcspn(p + word, " ");
            if (next == word)
                break;
            if (layout_width(l, p, next) > width)
                break;
            fit = next;
            at = next;
            if (p[at] == '\0')
                break;
        }
        if (fit == 0) { /* one word wider than the line: cut a character */
            size_t n = 0;
            while (p[n] != '\0' && p[n] != ' ') {
                size_t step = 1;
                while ((p[n + step] & 0xC0) == 0x80)
                    step++;
                if (n > 0 && layout_width(l, p, n + step) > width)
                    break;
                n += step;
            }
            fit = n;
        }
        layout_newline(l, size);
        if (l->draw) {
            char *line = xstrndup(p, fit);
            cairo_move_to(l->cr, x, l->y);
            cairo_show_text(l->cr, line);
            free(line);
        }
        p += fit;
        while (*p == ' ')
            p++;
    }
}

/* Lays out R's lines from FROM; returns the height used. */
static double
layout_report(struct layout *l, const struct report *r, size_t from)
{
    for (size_t i = from; i < r->n; i++) {
        const struct report_line *ln = &r->lines[i];
        double size;
        layout_font(l, ln->style, &size);
        if (ln->style == REPORT_HEADING || ln->style == REPORT_BIG)
            l->y += size * 0.5;
        if (ln->style == REPORT_ITEM) {
            double bullet = size * 1.2;
            double y0 = l->y;
            layout_text(l, ln->text, l->margin + bullet, size);
            if (l->draw) {
                /* the bullet beside the item's first line */
                double first = y0 + size * 1.3;
                if (first > l->y)
                    first = l->y;
                cairo_move_to(l->cr, l->margin, first);
                cairo_show_text(l->cr, "•");
            }
        } else {
            layout_text(l, ln->text, l->margin, size);
        }
        l->y += size * (ln->style == REPORT_TITLE ? 0.6 : 0.3);
    }
    return l->y;
}

/* cairo's writer into the stream of an atomicfile. */
static cairo_status_t
report_write(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
                                                : CAIRO_STATUS_WRITE_ERROR;
}

int
report_pdf(const struct report *r, size_t from, const char *path, char **why)
{
    struct atomicfile *af = NULL;
    char *file_why = NULL;
    if (atomicfile_open(path, 0644, 0, &af, &file_why) < 0) {
        *why = file_why;
        return -1;
    }
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(
        report_write, atomicfile_stream(af), A4_W, A4_H);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
                                   r->n > 0 ? r->lines[0].text : "");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "dauys");
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0, 0, 0);
    struct layout l = {
        .cr = cr,
        .width = A4_W - 2 * A4_MARGIN,
        .margin = A4_MARGIN,
        .page_h = A4_H,
        .y = A4_MARGIN - 10,
        .scale = 1.0,
        .draw = true,
    };
    layout_report(&l, r, from);
    cairo_show_page(cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        *why = xasprintf("cannot write %s: %s", path,
                         cairo_status_to_string(st));
        atomicfile_abort(af);
        return -1;
    }
    if (atomicfile_commit(af, why) < 0)
        return -1;
    return 0;
}

int
report_escpos(const struct report *r, size_t from, unsigned char **out,
              size_t *len, char **why)
{
    double scale = RECEIPT_DOTS / STRIP_W;
    /* First pass: measure on a scratch surface. */
    cairo_surface_t *m = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    cairo_t *mcr = cairo_create(m);
    struct layout l = {
        .cr = mcr,
        .width = STRIP_W - 2 * STRIP_MARGIN,
        .margin = STRIP_MARGIN,
        .y = STRIP_MARGIN,
        .scale = 0.8,
    };
    double h = layout_report(&l, r, from) + STRIP_MARGIN;
    cairo_destroy(mcr);
    cairo_surface_destroy(m);
    int rows = (int)(h * scale) + 1;
    if (rows > 60000) {
        *why = xstrdup("the report is too long for the receipt printer");
        return -1;
    }
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
                                                    RECEIPT_DOTS, rows);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    l.cr = cr;
    l.y = STRIP_MARGIN;
    l.draw = true;
    layout_report(&l, r, from);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        *why = xstrdup("cannot draw the report for the printer");
        cairo_surface_destroy(s);
        return -1;
    }
    receipt_raster(cairo_image_surface_get_data(s),
                   cairo_image_surface_get_stride(s), rows, out, len);
    cairo_surface_destroy(s);
    return 0;
}

int
report_print(const char *printer, const struct report *r, size_t from,
             char **path, char **why)
{
    if (printer == NULL || printer[0] == '\0') {
        *why = xstrdup("no receipt printer is configured ([services] "
                       "printer)");
        return -1;
    }
    if (strncmp(printer, "pdf:", 4) == 0) {
        char *file = xasprintf("%s/%s.pdf", printer + 4, r->name);
        int rc = report_pdf(r, from, file, why);
        if (rc == 0 && path != NULL)
            *path = file;
        else
            free(file);
        return rc;
    }
    unsigned char *bytes = NULL;
    size_t len = 0;
    if (report_escpos(r, from, &bytes, &len, why) < 0)
        return -1;
    int rc = receipt_send(printer, bytes, len, RECEIPT_TIMEOUT_MS, why);
    free(bytes);
    return rc;
}
