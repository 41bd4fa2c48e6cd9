/*
 * The Ten Qogam service catalogue: categories and services with their
 * easy-read texts in kk, ru and en, read from a text file that staff may
 * replace without rebuilding (format: docs/services.md).
 *
 * The format is INI, one "key = value" a line under [category ID] and
 * [service ID] entries, read with inih like the configuration. Every
 * mistake is reported with the file's name, the line and the entry it
 * belongs to, all mistakes in one pass, and the whole file is refused when
 * any is found, so a half-valid catalogue never reaches a visitor. The
 * parser works from memory and depends only on accessibility/ and inih, so
 * it is fuzzed alone. A loaded catalogue is read-only.
 */
#ifndef DAUYS_SERVICES_CATALOGUE_H
#define DAUYS_SERVICES_CATALOGUE_H

#include <stddef.h>

#include "accessibility/i18n.h"

#define CATALOGUE_ID_MAX 32     /* bytes of an entry's id */
#define CATALOGUE_TEXT_MAX 600  /* bytes of one text */
#define CATALOGUE_LINE_MAX 4096 /* bytes of a line (comments: any) */
#define CATALOGUE_FILE_MAX (1u << 20)
#define CATALOGUE_CATEGORIES_MAX 32
#define CATALOGUE_SERVICES_MAX 256

/* The texts of a service. TIME is optional (not every duration is known);
 * the others are required in every language. */
enum catalogue_field {
    CATALOGUE_TITLE,
    CATALOGUE_ABOUT, /* what it is, in short sentences */
    CATALOGUE_WHO,   /* who can get it */
    CATALOGUE_BRING, /* what to bring */
    CATALOGUE_TIME,  /* how long it usually takes */
    CATALOGUE_WHERE, /* where it is delivered */
    CATALOGUE_FIELDS
};

struct catalogue_category {
    char id[CATALOGUE_ID_MAX + 1];
    char *title[LANG_COUNT];
    size_t n_services;
};

struct catalogue_service {
    char id[CATALOGUE_ID_MAX + 1];
    size_t category;                          /* index into the categories */
    char *text[CATALOGUE_FIELDS][LANG_COUNT]; /* NULL: absent (TIME only) */
};

struct catalogue;

/*
 * Parses the LEN bytes at TEXT (the contents of a file called NAME, used
 * in messages). Returns 0 and a new catalogue in *OUT (the caller frees it
 * with catalogue_free()), or -1 with *why (caller frees) listing every
 * problem as "NAME:LINE: entry 'ID': message", one a line.
 *
 * inih's settings are process-wide in Debian's libinih; this sets them for
 * the catalogue and restores them before it returns, so no other thread
 * may parse INI text meanwhile.
 */
int catalogue_parse(const char *name, const char *text, size_t len,
                    struct catalogue **out, char **why);

/* Reads and parses the file PATH the same way. */
int catalogue_load(const char *path, struct catalogue **out, char **why);

/* Frees C. NULL is a no-op. */
void catalogue_free(struct catalogue *c);

size_t catalogue_n_categories(const struct catalogue *c);
size_t catalogue_n_services(const struct catalogue *c);

/* The I-th category or service in file order; pointers live as long as
 * C. */
const struct catalogue_category *catalogue_category(const struct catalogue *c,
                                                    size_t i);
const struct catalogue_service *catalogue_service(const struct catalogue *c,
                                                  size_t i);

/* The service whose id is ID, or NULL. */
const struct catalogue_service *catalogue_find(const struct catalogue *c,
                                               const char *id);

/* The text FIELD of S in LANG, or "" when it is absent. */
const char *catalogue_text(const struct catalogue_service *s,
                           enum catalogue_field field, enum lang lang);

#endif
