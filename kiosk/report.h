/*
 * The kiosk's paper: the opening report (the readiness check), the
 * close-of-day report and the staff guide, as lines of text that one
 * layout draws on an A4 PDF page and on the 80 mm receipt printer.
 *
 * report_build() is pure: the caller fills a struct report_facts (where
 * the facts come from is the caller's business: the station keeps the
 * day's times and counters, the store counts applications, the audit
 * trail gives its head) and gets back the report's lines in one language,
 * the same lines the staff screen shows and speaks. Rendering is cairo:
 * report_pdf() writes A4 pages through atomicfile (a cut power leaves the
 * old file or none, never half of one), report_escpos() draws the lines
 * 72 mm wide and encodes them as ESC/POS raster (services/receipt.h), so
 * Kazakh letters print on any printer. report_print() sends a report to
 * the configured printer ("pdf:DIR" or an ESC/POS device).
 *
 * The staff guides (docs/staff-guide.kk.md, .ru.md) are parsed by
 * report_guide_parse() from a small subset of Markdown: "# " a title,
 * "## " a heading, "- " an item, other lines a paragraph (lines joined up
 * to a blank line); a line "<!-- short -->" starts the short version, the
 * part printed on the receipt printer.
 *
 * A package and an audit head are named everywhere by their short hash,
 * the first REPORT_SHORT_HASH hex digits (report_short_hash()).
 */
#ifndef DAUYS_KIOSK_REPORT_H
#define DAUYS_KIOSK_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accessibility/i18n.h"

#define REPORT_SHORT_HASH 7      /* hex digits of a short hash */
#define REPORT_SERVICE_MAX 33    /* bytes of a service id, with the NUL */
#define REPORT_KEY_NAMES_MAX 512 /* bytes of the names of keys not pressed */
#define REPORT_GUIDE_MAX 262144  /* bytes of a staff guide's text */

enum report_kind {
    REPORT_OPENING, /* the readiness check's result */
    REPORT_CLOSING, /* the close-of-day report */
    REPORT_PRINTER_TEST,
    REPORT_GUIDE, /* a staff guide */
};

/* An answer staff gave in the readiness check. */
enum report_answer {
    REPORT_NOT_ASKED = 0,
    REPORT_YES,
    REPORT_NO,
};

/* The readiness check as staff did it (kiosk/screen_check.c). Plain data:
 * it is copied and freed with free(). */
struct report_check {
    bool keypad;           /* a tactile keypad profile is in force */
    unsigned keys_total;   /* keys of its profile */
    unsigned keys_pressed; /* of those, pressed during the check */
    /* The names of the keys not pressed, translated, joined by ", " (cut
     * at a character when too long). */
    char keys_missing[REPORT_KEY_NAMES_MAX];
    enum report_answer heard;   /* the chime and both sentences */
    enum report_answer printed; /* the printer's test line came out */
};

/* Applications taken for one service. */
struct report_count {
    const char *service; /* its title (or id) */
    long n;
};

/* What a report says. Strings are borrowed; NULL or 0 where noted means
 * "not known" or "none". */
struct report_facts {
    enum report_kind kind;
    const char *terminal; /* terminal id (the configuration's centre code) */
    const char *version;  /* software version */
    int64_t made_at;      /* Unix seconds */
    /* The election package in force; NULL: none. */
    const char *package_id;
    const char *package_hash; /* hex */
    bool package_test;
    /* Voting assistance today (Unix seconds; 0: not opened / not closed). */
    int64_t opened_at, closed_at;
    long sessions;  /* voter sessions served; -1: not known */
    long stencils;  /* ballots whose stencils were written; -1: not known */
    bool voting_on; /* this terminal assists voters: the opening report
                       needs a package to find it ready */
    /* Applications taken today, by service. */
    bool services_on; /* this terminal takes applications */
    const struct report_count *counts;
    size_t n_counts;
    const char *services_problem; /* the counts could not be read: why */
    /* The audit trail's head, or the reason it could not be verified. */
    uint64_t audit_seq;
    const char *audit_hash; /* hex; NULL: not known */
    const char *audit_problem;
    /* REPORT_OPENING: the check, and why the printer test failed. */
    const struct report_check *check;
    const char *printer_problem;
    bool printer_configured;
    /* For the screen and speech: short hashes with a space between
     * characters, so that they are read one by one; the paper has them
     * whole. */
    bool spaced_hashes;
};

enum report_style {
    REPORT_TITLE,
    REPORT_HEADING,
    REPORT_TEXT,
    REPORT_ITEM, /* an item of a list */
    REPORT_BIG,  /* a short hash, large */
};

struct report_line {
    enum report_style style;
    char *text;
    bool paper; /* on paper only, not shown or spoken (a full hash, the
                   signature line) */
};

struct report {
    enum report_kind kind;
    struct report_line *lines;
    size_t n, cap;
    size_t short_from; /* guides: the short version starts at this line */
    char *name;        /* the file name for its PDF, without ".pdf" */
};

/* Writes the first REPORT_SHORT_HASH characters of HASH (or "-" when HASH
 * is NULL or empty) into OUT. Returns OUT. */
char *report_short_hash(const char *hash, char out[REPORT_SHORT_HASH + 1]);

/* Writes S into OUT (SIZE bytes) with a space between characters, so that
 * speech reads a hash character by character ("5 0 a 6"). S is ASCII.
 * Returns OUT. */
char *report_spaced(const char *s, char *out, size_t size);

/* The start of the local day of NOW (Unix seconds): "today" for the
 * applications and the voting times a close-of-day report counts. */
int64_t report_day_start(int64_t now);

/*
 * Builds the report F describes, in LANG (texts from I18N). Returns a new
 * report the caller frees with report_free(). Never NULL.
 */
struct report *report_build(const struct report_facts *f,
                            const struct i18n *i18n, enum lang lang);

/* True when the check F->check found the terminal ready: every key of the
 * keypad pressed (or no keypad), the sound heard, the test line printed (or
 * no printer configured), and a package loaded where voters are assisted
 * (F->voting_on). */
bool report_ready(const struct report_facts *f);

/*
 * R's lines for the screen (the paper-only ones left out, the title too)
 * as at most MAX paragraphs, one a section: the lines before the first
 * heading, then each heading with its lines ("Heading — line; line; …"),
 * so that a report fits on 80x24 and reads as a few sentences. Fills OUT
 * with new strings (the caller frees each) and returns their number.
 */
size_t report_paragraphs(const struct report *r, char **out, size_t max);

/* Frees R. NULL is a no-op. */
void report_free(struct report *r);

/*
 * Parses the LEN bytes of TEXT, a staff guide (see the top of this file)
 * called NAME (the report's name). Returns 0 and *OUT (the caller frees),
 * or -1 with *WHY (the caller frees) when the text has no title or is not
 * UTF-8.
 */
int report_guide_parse(const char *name, const char *text, size_t len,
                       struct report **out, char **why);

/*
 * Writes R as an A4 PDF at PATH (replacing it atomically). FROM is the
 * first line drawn (0: all). Returns 0, or -1 with *WHY (the caller
 * frees).
 */
int report_pdf(const struct report *r, size_t from, const char *path,
               char **why);

/*
 * Draws R's lines from FROM on the 72 mm receipt paper and encodes them as
 * ESC/POS: *OUT (the caller frees) and *LEN. Returns 0, or -1 with *WHY.
 */
int report_escpos(const struct report *r, size_t from, unsigned char **out,
                  size_t *len, char **why);

/*
 * Prints R's lines from FROM on PRINTER: "pdf:DIR" writes DIR/<name>.pdf
 * (its path in *PATH when PATH is not NULL; the caller frees), any other
 * value is an ESC/POS device. Returns 0, or -1 with *WHY (the caller frees)
 * when no printer is configured (PRINTER empty) or it fails.
 */
int report_print(const char *printer, const struct report *r, size_t from,
                 char **path, char **why);

#endif
