/*
 * Braille numbers, as they are embossed beside the windows of a ballot
 * stencil: the number sign (dots 3-4-5-6) followed by one cell per digit,
 * the digits written with the letters a..j of the first decade (1 = a,
 * 2 = b, ..., 9 = i, 0 = j). This is the same in Kazakh and Russian Braille,
 * so one pattern serves both languages.
 *
 * A cell is a byte whose bit (d - 1) is set when dot d is raised, dots
 * numbered 1-2-3 down the left column and 4-5-6 down the right one; this is
 * also the low byte of the cell's Unicode code point (U+2800 + cell). The
 * module is pure: it computes patterns, descriptions and geometry, and draws
 * nothing.
 */
#ifndef DAUYS_BALLOT_BRAILLE_H
#define DAUYS_BALLOT_BRAILLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Standard cell geometry (the sizes used for stencils and signage). */
#define BRAILLE_DOT_DIAMETER_MM 1.5 /* diameter of one dot */
#define BRAILLE_DOT_PITCH_MM 2.5    /* between dot centres in one cell */
#define BRAILLE_CELL_PITCH_MM 6.0   /* between corresponding dots of cells */

/* Width and height of one cell's dots, outer edge to outer edge. */
#define BRAILLE_CELL_WIDTH_MM (BRAILLE_DOT_PITCH_MM + BRAILLE_DOT_DIAMETER_MM)
#define BRAILLE_CELL_HEIGHT_MM                                                 \
    (2 * BRAILLE_DOT_PITCH_MM + BRAILLE_DOT_DIAMETER_MM)

/* The number sign, dots 3-4-5-6 (U+283C). */
#define BRAILLE_NUMBER_SIGN 0x3C

/* The most cells braille_number() writes: the sign and the 20 digits of
 * the largest 64-bit number. */
#define BRAILLE_NUMBER_MAX_CELLS 21

/* Returns the cell of the decimal digit D (0..9), or 0 (no dot) for any
 * other value. */
uint8_t braille_digit(int digit);

/*
 * Writes the cells of N (number sign, then its decimal digits) into CELLS,
 * which has room for CAP cells, and returns how many it wrote. Returns 0
 * and writes nothing when CAP is too small.
 */
size_t braille_number(unsigned long n, uint8_t *cells, size_t cap);

/* Returns whether dot DOT (1..6) is raised in CELL; false for any other
 * dot number. */
bool braille_has_dot(uint8_t cell, int dot);

/*
 * Gives the centre of dot DOT (1..6) relative to the centre of dot 1 of its
 * cell, in millimetres, x to the right and y downwards. Returns -1 for a
 * dot number outside 1..6 and leaves X and Y untouched.
 */
int braille_dot_offset_mm(int dot, double *x, double *y);

/*
 * Returns the N cells as a UTF-8 string of Unicode Braille patterns
 * (U+2800..U+283F), for screens and documents. The caller frees it.
 */
char *braille_to_unicode(const uint8_t *cells, size_t n);

/*
 * Returns the raised dots of the N cells as text, one group of dot numbers
 * per cell separated by spaces: the number 12 gives "3456 1 12". A cell
 * without dots gives "0". This is what the kiosk reads out when it
 * describes a window's Braille label. The caller frees it.
 */
char *braille_describe_dots(const uint8_t *cells, size_t n);

#endif
