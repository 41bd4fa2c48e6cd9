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
const char *i18n_text(const struct i18n *t, enum lang lang,
                      const char *msgid);

/*
 * Fills OUT (of SIZE bytes, terminated when SIZE > 0) from TEMPLATE,
 * replacing "{1}".."{9}" with ARGS[0..N-1]. Translated templates are never
 * given to printf: a translator's typo must not become a format-string bug.
 * A text that does not fit ends before the first character that does not
 * fit whole. Returns OUT.
 */
char *i18n_format(char *out, size_t size, const char *tmpl, size_t n,
                  const char *const *args);

/* Number of messages in LANG's catalogue (header excluded). */
unsigned int i18n_count(const struct i18n *t, enum lang lang);

#endif
