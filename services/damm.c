/*
 * Damm's algorithm with the totally anti-symmetric quasigroup of order 10
 * from his thesis: the interim digit starts at 0 and is replaced by
 * table[interim][digit] for every digit; the check digit makes it 0 again.
 */
#include "services/damm.h"

static const unsigned char damm_table[10][10] = {
    {0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
    {4, 2, 0, 6, 8, 7, 1, 3, 5, 9}, {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
    {6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
    {5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
    {9, 4, 3, 8, 6, 1, 7, 2, 0, 5}, {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
};

int
damm_digit(const char *digits)
{
    int interim = 0;
    for (const char *p = digits; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        interim = damm_table[interim][*p - '0'];
    }
    return interim;
}

bool
damm_valid(const char *digits)
{
    return digits[0] != '\0' && damm_digit(digits) == 0;
}
