/*
 * The Damm check digit (H. M. Damm, 2004), used for application numbers:
 * it detects every single-digit error and every transposition of two
 * adjacent digits, which is what happens when a number is read aloud,
 * written down and typed back on a keypad. Pure functions, no state.
 */
#ifndef DAUYS_SERVICES_DAMM_H
#define DAUYS_SERVICES_DAMM_H

#include <stdbool.h>

/* Returns the check digit (0-9) of the ASCII digits at DIGITS, or -1 when
 * DIGITS contains anything else. An empty string has check digit 0. */
int damm_digit(const char *digits);

/* True when DIGITS is non-empty, all digits, and ends in its check digit. */
bool damm_valid(const char *digits);

#endif
