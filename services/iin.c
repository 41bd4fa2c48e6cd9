/*
 * IIN check digit: s = sum of d_i * i for i = 1..11, mod 11; when s is 10,
 * again with the weights 3,4,5,6,7,8,9,10,11,1,2; when that is 10 too, the
 * number was never issued.
 */
#include "services/iin.h"

#include <string.h>

int
iin_check_digit(const char *digits)
{
    static const int w2[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
    int s = 0;
    for (int i = 0; i < 11; i++)
        s += (digits[i] - '0') * (i + 1);
    s %= 11;
    if (s != 10)
        return s;
    s = 0;
    for (int i = 0; i < 11; i++)
        s += (digits[i] - '0') * w2[i];
    s %= 11;
    return s == 10 ? -1 : s;
}

enum iin_result
iin_check(const char *s)
{
    if (strlen(s) != IIN_LEN)
        return IIN_LENGTH;
    for (int i = 0; i < IIN_LEN; i++)
        if (s[i] < '0' || s[i] > '9')
            return IIN_NOT_DIGITS;
    if (s[4] >= '4' && s[4] <= '6')
        return IIN_BUSINESS;
    int d = iin_check_digit(s);
    if (d < 0)
        return IIN_NEVER_ISSUED;
    return d == s[11] - '0' ? IIN_OK : IIN_CHECK;
}
