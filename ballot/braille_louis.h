/*
 * Text to Braille cells and back, through liblouis, for what dauys
 * embosses (the keypad card's instruction text and key words). Six-dot,
 * uncontracted (literary) Braille: Russian with ru-litbrl.ctb, Kazakh with
 * kk.utb. Cells are bytes as in ballot/braille.h (bit d-1 = dot d).
 *
 * Russian literary Braille writes no capital sign, so the back-translation
 * of a cell line gives the text in lower case. kk.utb (liblouis 3.24)
 * translates all nine Kazakh letters (ә ғ қ ң ө ұ ү һ і) forwards, but
 * marks their cells with the virtual dot 9, which is not embossed; from
 * their six physical dots its back-translation gives other characters
 * (қ 1456 comes back as '#'). So the first Kazakh call adds to kk.utb, for
 * this process, backward-only rules that read those nine cells as the
 * letters kk.utb itself writes them with: no Braille pattern is made up
 * here. The added rules affect every user of kk.utb in the process, which
 * only makes its back-translation correct. Not thread-safe.
 */
#ifndef DAUYS_BALLOT_BRAILLE_LOUIS_H
#define DAUYS_BALLOT_BRAILLE_LOUIS_H

#include <stddef.h>
#include <stdint.h>

/* The liblouis table used for LANG ("kk" or "ru"), or NULL for a language
 * without one. A static string. */
const char *braille_louis_table(const char *lang);

/* Loads LANG's table (for kk with its back rules). Returns 0, or -1 with
 * *WHY (the caller frees): no table for LANG, or liblouis cannot load it
 * (liblouis-data missing). */
int braille_louis_ready(const char *lang, char **why);

/*
 * Translates the UTF-8 TEXT of language LANG to six-dot cells. A space is
 * the blank cell 0. Returns 0 with *CELLS (the caller frees) and *N set;
 * or -1 with *WHY (the caller frees): a language without a table, a table
 * liblouis cannot load, invalid UTF-8, a character the table does not
 * know (named with its code point) or a cell that needs dots 7 or 8.
 */
int braille_louis_translate(const char *lang, const char *text, uint8_t **cells,
                            size_t *n, char **why);

/*
 * Translates the N six-dot CELLS of language LANG back to text. Returns 0
 * with *TEXT (UTF-8, the caller frees), or -1 with *WHY (the caller
 * frees).
 */
int braille_louis_back(const char *lang, const uint8_t *cells, size_t n,
                       char **text, char **why);

#endif
