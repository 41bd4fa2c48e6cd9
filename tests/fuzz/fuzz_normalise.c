/*
 * Fuzzes the speech rules parser and the normaliser: the input is a rules
 * file, then (after a line "----") a text to normalise. The rules are
 * either refused with a message that names the file, or loaded; loaded
 * rules then normalise the text and a few fixed texts full of numbers,
 * dates, phone numbers and Roman numerals, in the language the first
 * byte picks, without reading or writing out of bounds (ASan, UBSan) and
 * without a leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/normalise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const langs[] = {"kk", "ru", "en"};
    static const char *const fixed[] = {
        "3-терезе 2026-12-02 09:23 +7 701 234 56 78 II топ № 5 400 АЕК",
        "из 7, 1 отметка, через 21 секунду, группа II, 3-я, 2000-го года",
        "123456789 0 00 1234567890123 99:99 31.13.2026 + 7 I II III IV XL",
        "",
    };
    if (size == 0)
        return 0;
    const char *lang = langs[data[0] % 3];
    const char *rules = (const char *)data + 1;
    size_t rlen = size - 1;
    const char *text = NULL;
    size_t tlen = 0;
    const char *sep = memmem(rules, rlen, "\n----\n", 6);
    if (sep != NULL) {
        text = sep + 6;
        tlen = rlen - (size_t)(text - rules);
        rlen = (size_t)(sep - rules) + 1;
    }
    struct normaliser *n = normalise_new();
    char *why = NULL;
    if (normalise_parse(n, lang, "fuzz.rules", rules, rlen, &why) < 0) {
        if (why == NULL || strncmp(why, "fuzz.rules", 10) != 0)
            abort();
        free(why);
        normalise_free(n);
        return 0;
    }
    if (why != NULL)
        abort();
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        free(normalise_apply(n, lang, fixed[i]));
    if (text != NULL) {
        char *t = malloc(tlen + 1);
        if (t == NULL)
            abort();
        memcpy(t, text, tlen);
        t[tlen] = '\0';
        free(normalise_apply(n, lang, t));
        free(t);
    }
    normalise_free(n);
    return 0;
}
