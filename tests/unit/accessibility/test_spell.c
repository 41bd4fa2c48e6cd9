/*
 * Spelling mode: names of letters in kk, ru and en, for every letter of
 * the Kazakh alphabet, and the separators the synthesiser pauses on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "accessibility/speech_spell.h"
#include "tests/unit/unit.h"

/* What speech_spell() says for a text in a language. */
static const struct {
    const char *in, *lang, *want;
} spelled[] = {
    /* Kazakh names, in Kazakh. */
    {"Әлия", "kk", "ә, эл, и, я"},
    {"Бақыт", "kk", "бе, а, қа, ы, те"},
    {"Ұлы Үй", "kk", "ұ, эл, ы. ү, қысқа и"},
    {"Ғ Ң Һ І", "kk", "ғе. ың. һа. і"},
    /* Kazakh names, in Russian. */
    {"Бақыт", "ru", "бэ, а, ка казахское, ы, тэ"},
    {"Ёлкин-Щукин", "ru", "ё, эль, ка, и, эн, дефис, ща, у, ка, и, эн"},
    {"ЪЬ", "ru", "твёрдый знак, мягкий знак"},
    {"Әә", "ru", "а казахское, а казахское"},
    /* English and Latin letters. */
    {"Ten Qogam", "en", "tee, ee, en. cue, oh, jee, ay, em"},
    {"Bob", "ru", "бэ, о, бэ"},
    {"Ә", "en", "ae"},
    /* An unknown language falls back to English names. */
    {"Б", "de", "be"},
    /* Digits, punctuation and bytes that are not UTF-8. */
    {"Ан 2", "kk", "а, эн. 2"},
    {"О'Нил.", "ru", "о, апостроф, эн, и, эль"},
    {"  А, Б!  ", "kk", "а. бе"},
    {"", "kk", ""},
    {"...", "kk", ""},
    {"\xff"
     "А\xc3",
     "kk", "а"},
    /* Letters of other scripts pass through. */
    {"Aλ", "en", "ay, λ"},
};

static void
test_names_and_separators(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof spelled / sizeof spelled[0]; i++) {
        char *got = speech_spell(spelled[i].in, spelled[i].lang);
        if (strcmp(got, spelled[i].want) != 0)
            fail_msg("\"%s\" in %s: \"%s\", expected \"%s\"", spelled[i].in,
                     spelled[i].lang, got, spelled[i].want);
        free(got);
    }
}

static void
test_every_kazakh_letter_has_names(void **state)
{
    (void)state;
    static const char *const upper[] = {
        "А", "Ә", "Б", "В", "Г", "Ғ", "Д", "Е", "Ё", "Ж", "З", "И", "Й", "К",
        "Қ", "Л", "М", "Н", "Ң", "О", "Ө", "П", "Р", "С", "Т", "У", "Ұ", "Ү",
        "Ф", "Х", "Һ", "Ц", "Ч", "Ш", "Щ", "Ъ", "Ы", "І", "Ь", "Э", "Ю", "Я",
    };
    static const char *const langs[] = {"kk", "ru", "en"};
    assert_int_equal(sizeof upper / sizeof upper[0], 42);
    for (size_t l = 0; l < 3; l++) {
        for (size_t i = 0; i < 42; i++) {
            char *s = speech_spell(upper[i], langs[l]);
            /* A name, never the capital letter itself, and one name only. */
            assert_true(s[0] != '\0');
            assert_null(strstr(s, upper[i]));
            assert_null(strchr(s, ','));
            if (l == 2)
                for (const char *p = s; *p != '\0'; p++)
                    assert_true((unsigned char)*p < 0x80);
            free(s);
        }
    }
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_names_and_separators),
          cmocka_unit_test(test_every_kazakh_letter_has_names))
