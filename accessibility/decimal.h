/*
 * Decimal numbers as people type them in files and on command lines:
 * digits with at most one '.', the same on every locale, so that a
 * commission's script or a keypad profile never depends on whether the
 * machine expects "1,5".
 */
#ifndef DAUYS_ACCESSIBILITY_DECIMAL_H
#define DAUYS_ACCESSIBILITY_DECIMAL_H

/* Parses S ("2", "19.05"): digits and at most one '.', at least one digit,
 * at most a million. Returns 0 and the value in *OUT, or -1 and leaves
 * *OUT untouched. */
int decimal_parse(const char *s, double *out);

#endif
