/*
 * Text to Braille cells and back through liblouis, in the languages of the
 * kiosk: the one wrapper that the Braille display (and anything else that
 * writes Braille) uses, so that every Braille text is made the same way.
 *
 * A cell is one byte: bit 0 is dot 1 … bit 7 is dot 8, the layout of
 * BrlAPI and of Unicode Braille patterns (U+2800 + cell). The tables:
 *
 *   kk  kk.utb                     (uncontracted; no contracted kk table
 *                                   exists, so `contracted` changes
 *                                   nothing)
 *   ru  ru-litbrl.ctb             uncontracted literary Braille
 *       ru-ru-g1.ctb              contracted (partial contractions)
 *   en  en-ueb-g1.ctb             Unified English Braille, grade 1
 *       en-ueb-g2.ctb             grade 2 (contracted)
 *
 * louis_braille() translates a kiosk text: a word that holds a digit
 * (a window number, an application number, "3-терезе") is always
 * translated with the uncontracted table, so numbers read the same in
 * either grade; Braille patterns already in the text (the screens spell a
 * window's embossed number as "⠼⠉") are copied as they are.
 *
 * liblouis writes its complaints to standard error by default, which the
 * kiosk's terminal would show: the wrapper routes them into the *why of
 * the call that failed. liblouis is not thread-safe; call it from one
 * thread.
 */
#ifndef DAUYS_ACCESSIBILITY_LOUIS_H
#define DAUYS_ACCESSIBILITY_LOUIS_H

#include <stdbool.h>
#include <stddef.h>

#include "accessibility/i18n.h"

/* The liblouis table list for LANG, uncontracted or CONTRACTED. Static. */
const char *louis_table(enum lang lang, bool contracted);

/*
 * Translates the UTF-8 TEXT with TABLE (a liblouis table list) into cells.
 * Returns 0 with *CELLS (caller frees; NULL when *N is 0) and *N, or -1
 * with *why (caller frees) when the table cannot be compiled or the text
 * is not valid UTF-8.
 */
int louis_translate(const char *table, const char *text, unsigned char **cells,
                    size_t *n, char **why);

/*
 * Translates TEXT for a reader of LANG, contracted or not, with numbers
 * and Braille patterns as described above. Returns like
 * louis_translate().
 */
int louis_braille(enum lang lang, bool contracted, const char *text,
                  unsigned char **cells, size_t *n, char **why);

/*
 * Translates N CELLS back into text with TABLE (backward translation).
 * Returns 0 with *TEXT (UTF-8, caller frees), or -1 with *why. Tables that
 * liblouis marks forward-only (kk.utb, ru-ru-g1.ctb) give no useful text.
 */
int louis_back(const char *table, const unsigned char *cells, size_t n,
               char **text, char **why);

/* Returns N CELLS as Unicode Braille patterns in UTF-8 (caller frees). */
char *louis_unicode(const unsigned char *cells, size_t n);

/* Writes the dots of CELL as digits ("1245"; "" for a blank cell). */
void louis_dots(unsigned char cell, char out[9]);

/* Frees liblouis's compiled tables (at exit; valgrind). */
void louis_cleanup(void);

#endif
