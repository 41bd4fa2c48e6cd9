/*
 * Numbers that must be heard one digit at a time: IINs, phone numbers,
 * application numbers, package hashes, PINs never (those are not spoken).
 * The one helper every screen uses, so that all of them are read the same
 * way: digits separated by spaces, groups by a comma and a pause.
 */
#ifndef DAUYS_ACCESSIBILITY_READOUT_H
#define DAUYS_ACCESSIBILITY_READOUT_H

#include <stddef.h>

/*
 * Returns a newly allocated text for the synthesiser that reads DIGITS one
 * character at a time in groups of GROUP (0: no grouping), e.g. "061211" in
 * threes -> "0 6 1, 2 1 1". Characters other than ASCII letters and digits
 * are dropped. The caller frees (wipe it first when the number is personal).
 */
char *readout_digits(const char *digits, size_t group);

/*
 * Returns a newly allocated text for the screen: DIGITS split into groups of
 * GROUP separated by one space ("061 211 600 012"). The caller frees.
 */
char *readout_grouped(const char *digits, size_t group);

#endif
