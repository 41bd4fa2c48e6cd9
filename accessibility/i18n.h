/*
 * Translations: the three languages of dauys and their message catalogues.
 *
 * Catalogues are gettext .po files compiled with msgfmt into .mo files. They
 * are read here rather than through libc's gettext() because the kiosk
 * switches language at every key press of `l` and shows kk and ru on the
 * same screen: libc's gettext keeps one global language, depends on locales
 * being generated for kk_KZ and ru_RU, and caches per process. Loading the
 * three .mo files into one object gives lookups with no global state, so
 * tests can ask for any language at any time. The message ids are the
 * English texts; a missing translation falls back to the id.
 *
 * Messages with a count have plural forms the gettext way: the catalogue
 * entry has a msgid_plural and msgstr[0..N-1], and the catalogue's header
 * says which form a count takes ("Plural-Forms: nplurals=3; plural=...;",
 * a C expression over n). Russian has three forms (1 минута, 2 минуты,
 * 5 минут), English two, Kazakh one (the noun after a numeral stays
 * singular: 5 минут is «5 минут», as in «5 терезе»).
 */
#ifndef DAUYS_ACCESSIBILITY_I18N_H
#define DAUYS_ACCESSIBILITY_I18N_H

#include <stdbool.h>
#include <stddef.h>

enum lang { LANG_KK = 0, LANG_RU, LANG_EN, LANG_COUNT };

/* Marks a string for extraction by xgettext without translating it. */
#define N_(s) s

/* "kk", "ru", "en". */
const char *lang_code(enum lang lang);

/* The language's own name as a visitor would recognise it ("Қазақша"). */
const char *lang_native_name(enum lang lang);

/* Sets *lang from CODE ("kk", "ru", "en"); returns 0 or -1 if unknown. */
int lang_from_code(const char *code, enum lang *lang);

struct i18n;

/*
 * Loads LOCALEDIR/<code>/LC_MESSAGES/dauys.mo for every language. A missing
 * or malformed catalogue is an error: returns NULL and fills *why (caller
 * frees). The caller frees the result with i18n_free().
 */
struct i18n *i18n_new(const char *localedir, char **why);

/* An object with no catalogues: every lookup returns the message id. */
struct i18n *i18n_new_empty(void);

void i18n_free(struct i18n *t);

/* Returns the translation of MSGID in LANG, or MSGID itself; the result
 * lives as long as T. */
const char *i18n_text(const struct i18n *t, enum lang lang, const char *msgid);

/*
 * Fills OUT (of SIZE bytes, terminated when SIZE > 0) from TEMPLATE,
 * replacing "{1}".."{9}" with ARGS[0..N-1]. Translated templates are never
 * given to printf: a translator's typo must not become a format-string bug.
 * A text that does not fit ends before the first character that does not
 * fit whole. Returns OUT.
 */
char *i18n_format(char *out, size_t size, const char *tmpl, size_t n,
                  const char *const *args);

/*
 * Returns the plural form of MSGID (singular) and MSGID_PLURAL for the
 * count N in LANG: the catalogue's msgstr[i] where i is the value of its
 * Plural-Forms rule for N; without a translation (or with a rule that
 * picks a form the entry lacks), MSGID when N is 1 and MSGID_PLURAL
 * otherwise, as gettext does. The result lives as long as T. Extracted by
 * xgettext with the keyword i18n_ntext:3,4.
 */
const char *i18n_ntext(const struct i18n *t, enum lang lang, const char *msgid,
                       const char *msgid_plural, unsigned long n);

/*
 * Evaluates the gettext plural rule RULE ("nplurals=3; plural=(n%10==1 &&
 * n%100!=11 ? 0 : ...);", the value of a Plural-Forms header) for the
 * count N. Returns the form's index (0..nplurals-1), or -1 when RULE is
 * malformed (a syntax error, division by zero, an index out of range).
 * The grammar is gettext's: n, decimal numbers, ( ), ! * / % + - < > <= >=
 * == != && || and ?: with C's precedence.
 */
int i18n_plural_index(const char *rule, unsigned long n);

/* Number of messages in LANG's catalogue (header excluded). */
unsigned int i18n_count(const struct i18n *t, enum lang lang);

#endif
