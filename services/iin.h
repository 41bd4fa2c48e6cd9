/*
 * The individual identification number (ИИН / ЖСН): 12 digits, the last a
 * check digit (reference/context.md). Pure functions, no state.
 *
 * Digits 1-6 are often the birth date and digit 7 the century and sex, but
 * that link is not guaranteed, so they are never a reason to refuse. A 5th
 * digit of 4, 5 or 6 means a business number (БИН) was typed instead: it is
 * reported as such, before the check digit, so the visitor hears why.
 */
#ifndef DAUYS_SERVICES_IIN_H
#define DAUYS_SERVICES_IIN_H

#define IIN_LEN 12

enum iin_result {
    IIN_OK = 0,
    IIN_LENGTH,       /* not exactly 12 characters */
    IIN_NOT_DIGITS,   /* a character other than 0-9 */
    IIN_BUSINESS,     /* 5th digit 4, 5 or 6: a business number */
    IIN_CHECK,        /* the 12th digit does not match */
    IIN_NEVER_ISSUED, /* no 12th digit can match these 11 digits */
};

/*
 * Returns the check digit (0-9) for the 11 digits at DIGITS, or -1 when
 * both weightings give 10 (such a number is never issued). DIGITS must be
 * 11 ASCII digits.
 */
int iin_check_digit(const char *digits);

/* Checks the NUL-terminated string S as an IIN. */
enum iin_result iin_check(const char *s);

#endif
