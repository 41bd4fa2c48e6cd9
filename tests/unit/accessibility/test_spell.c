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

static void
assert_spelled(const char *in, const char *lang, const char *want)
{
    char *got = speech_spell(in, lang);
    assert_string_equal(got, want);
    free(got);
}

static void
test_kazakh_names(void **state)
{
    (void)state;
    assert_spelled("Әлия", "kk", "ә, эл, и, я");
    assert_spelled("Бақыт", "kk", "бе, а, қа, ы, те");
    assert_spelled("Ұлы Үй", "kk", "ұ, эл, ы. ү, қысқа и");
    assert_spelled("Ғ Ң Һ І", "kk", "ғе. ың. һа. і");
}

static void
test_russian_names(void **state)
{
    (void)state;
    assert_spelled("Бақыт", "ru", "бэ, а, ка казахское, ы, тэ");
    assert_spelled("Ёлкин-Щукин", "ru",
                   "ё, эль, ка, и, эн, дефис, ща, у, ка, и, эн");
    assert_spelled("ЪЬ", "ru", "твёрдый знак, мягкий знак");
    assert_spelled("Әә", "ru", "а казахское, а казахское");
}

static void
test_english_and_latin(void **state)
{
    (void)state;
    assert_spelled("Ten Qogam", "en", "tee, ee, en. cue, oh, jee, ay, em");
    assert_spelled("Bob", "ru", "бэ, о, бэ");
    assert_spelled("Ә", "en", "ae");
    /* An unknown language falls back to English names. */
    assert_spelled("Б", "de", "be");
}

static void
test_digits_punctuation_and_junk(void **state)
{
    (void)state;
    assert_spelled("Ан 2", "kk", "а, эн. 2");
    assert_spelled("О'Нил.", "ru", "о, апостроф, эн, и, эль");
    assert_spelled("  А, Б!  ", "kk", "а. бе");
    assert_spelled("", "kk", "");
    assert_spelled("...", "kk", "");
    assert_spelled("\xff" "А\xc3", "kk", "а");
    /* Letters of other scripts pass through. */
    assert_spelled("Aλ", "en", "ay, λ");
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

UNIT_MAIN(NULL, NULL,
          cmocka_unit_test(test_kazakh_names),
          cmocka_unit_test(test_russian_names),
          cmocka_unit_test(test_english_and_latin),
          cmocka_unit_test(test_digits_punctuation_and_junk),
          cmocka_unit_test(test_every_kazakh_letter_has_names))
