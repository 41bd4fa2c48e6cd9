/*
 * Text normalisation: tables of written text and the words a listener
 * must hear, in Kazakh, Russian and English, with the rules shipped in
 * data/speech; the rules parser's refusals; and espeak-ng's own phonemes
 * for a sample, to show that the synthesiser pronounces the normalised
 * ordinal as a word and not the digit it was given.
 */
#include <espeak-ng/speak_lib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/normalise.h"
#include "tests/unit/unit.h"

struct row {
    const char *text, *spoken;
};

static const struct row kk_rows[] = {
    {"3-терезе", "үшінші терезе"},
    {"2-бюллетень", "екінші бюллетень"},
    {"1-терезе", "бірінші терезе"},
    {"10-терезе", "оныншы терезе"},
    {"16-терезе", "он алтыншы терезе"},
    {"21-терезе", "жиырма бірінші терезе"},
    {"40-терезе", "қырқыншы терезе"},
    {"99-терезе", "тоқсан тоғызыншы терезе"},
    {"100-терезе", "жүзінші терезе"},
    {"Белгіні қайда қою керек: 3-терезе",
     "Белгіні қайда қою керек: үшінші терезе"},
    {"7 терезенің 3-терезесі: Болашақ жолы.",
     "жеті терезенің үшінші терезесі: Болашақ жолы."},
    {"3 бюллетеньнің 2-бюллетені", "үш бюллетеньнің екінші бюллетені"},
    {"3-ші", "үшінші"},
    {"3-ке дейін", "үшке дейін"},
    {"5-тен", "бестен"},
    {"I топ", "бірінші топ"},
    {"II топ", "екінші топ"},
    {"III топ", "үшінші топ"},
    {"\xd0\x86 топ", "бірінші топ"}, /* the Kazakh letter І typed for I */
    {"Мен келісемін", "Мен келісемін"},
    {"№ 5", "нөмір бес"},
    {"№5", "нөмір бес"},
    {"+7 701 234 56 78",
     "плюс жеті, жеті нөл бір, екі үш төрт, бес алты, жеті сегіз"},
    {"+7, 7 0 1", "плюс жеті, жеті нөл бір"},
    {"2026-12-02 09:23",
     "екі мың жиырма алтыншы жылғы екінші желтоқсан, тоғыз сағат жиырма "
     "үш минут"},
    {"02.12.2026", "екі мың жиырма алтыншы жылғы екінші желтоқсан"},
    {"07:00", "жеті сағат"},
    {"400 АЕК", "төрт жүз айлық есептік көрсеткіш"},
    {"ЖСН", "же-эс-эн"},
    {"ЖСН-ді", "же-эс-эн-ді"},
    {"ЖСНІ", "ЖСНІ"},
    {"061211600012", "нөл алты бір екі бір бір алты нөл нөл нөл бір екі"},
    {"2026", "екі мың жиырма алты"},
    {"1000", "мың"},
    {"115", "жүз он бес"},
    {"50 %", "елу пайыз"},
    {"0", "нөл"},
};

static const struct row ru_rows[] = {
    {"из 7", "из семи"},
    {"3 из 7", "три из семи"},
    {"Окно 3 из 7", "Окно три из семи"},
    {"1 отметка", "одна отметка"},
    {"2 отметки", "две отметки"},
    {"5 отметок", "пять отметок"},
    {"21 отметка", "двадцать одна отметка"},
    {"22 отметки", "двадцать две отметки"},
    {"11 отметок", "одиннадцать отметок"},
    {"1 окно", "одно окно"},
    {"2 окна", "два окна"},
    {"1 бюллетень", "один бюллетень"},
    {"из 1", "из одного"},
    {"из 2 отметок", "из двух отметок"},
    {"из 21", "из двадцати одного"},
    {"из 100", "из ста"},
    {"из 345", "из трёхсот сорока пяти"},
    {"через 1 секунду", "через одну секунду"},
    {"через 3 секунды", "через три секунды"},
    {"через 30 секунд", "через тридцать секунд"},
    {"Бюллетень 2 из 3", "Бюллетень два из трёх"},
    {"Считайте окна сверху: ваше — окно 3 из 8.",
     "Считайте окна сверху: ваше — окно три из восьми."},
    {"3-я группа", "третья группа"},
    {"2-е окно", "второе окно"},
    {"5-й", "пятый"},
    {"I группа", "первая группа"},
    {"II группа", "вторая группа"},
    {"группа II", "вторая группа"},
    {"Группа инвалидности: III группа", "Группа инвалидности: третья группа"},
    {"для II группы", "для второй группы"},
    {"В 9 утра", "В девять утра"},
    {"№ 12", "номер двенадцать"},
    {"+7 701 234 56 78",
     "плюс семь, семь ноль один, два три четыре, пять шесть, семь восемь"},
    {"2026-12-02 09:23",
     "второе декабря две тысячи двадцать шестого года, девять часов "
     "двадцать три минуты"},
    {"01.03.2024", "первое марта две тысячи двадцать четвёртого года"},
    {"2000-01-01", "первое января двухтысячного года"},
    {"21:01", "двадцать один час одна минута"},
    {"12:00", "двенадцать часов"},
    {"400 МРП", "четыреста месячных расчётных показателей"},
    {"1 МРП", "один месячный расчётный показатель"},
    {"МРП", "месячный расчётный показатель"},
    {"ИИН", "и-и-эн"},
    {"Громкость 50 %", "Громкость пятьдесят процентов"},
    {"2 тысячи", "две тысячи"},
    {"1000", "тысяча"},
    {"21000", "двадцать одна тысяча"},
    {"2000000", "два ноль ноль ноль ноль ноль ноль"},
    {"1234567", "один два три четыре пять шесть семь"},
    {"123456", "сто двадцать три тысячи четыреста пятьдесят шесть"},
    {"0 6 1, 2 1 1", "ноль шесть один, два один один"},
};

static const struct row en_rows[] = {
    {"Window 3 of 7", "Window three of seven"},
    {"Group II", "Group two"},
    {"I agree", "I agree"},
    {"3rd", "third"},
    {"21st window", "twenty first window"},
    {"115", "one hundred fifteen"},
    {"1000", "one thousand"},
    {"№ 5", "number five"},
    {"+7 701", "plus seven, seven zero one"},
    {"2026-12-02 09:23",
     "December second, two thousand twenty six, nine twenty three"},
    {"09:05", "nine zero five"},
    {"100%", "one hundred percent"},
};

static struct normaliser *nz;

static int
setup(void **state)
{
    (void)state;
    char *why = NULL;
    nz = normalise_load("data/speech", &why);
    if (nz == NULL)
        fprintf(stderr, "%s\n", why);
    free(why);
    return nz == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
    (void)state;
    normalise_free(nz);
    return 0;
}

static void
check_table(const char *lang, const struct row *rows, size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        char *got = normalise_apply(nz, lang, rows[i].text);
        if (strcmp(got, rows[i].spoken) != 0) {
            fprintf(stderr, "%s: \"%s\"\n  want \"%s\"\n  got  \"%s\"\n", lang,
                    rows[i].text, rows[i].spoken, got);
            bad++;
        }
        free(got);
    }
    assert_int_equal(bad, 0);
}

static void
test_kazakh(void **state)
{
    (void)state;
    check_table("kk", kk_rows, sizeof kk_rows / sizeof *kk_rows);
}

static void
test_russian(void **state)
{
    (void)state;
    check_table("ru", ru_rows, sizeof ru_rows / sizeof *ru_rows);
}

static void
test_english(void **state)
{
    (void)state;
    check_table("en", en_rows, sizeof en_rows / sizeof *en_rows);
}

/* Every ordinal from 1 to 100 before a noun becomes words, with no digit
 * or hyphen left, and differs from the cardinal. */
static void
test_kazakh_ordinals_1_to_100(void **state)
{
    (void)state;
    for (int k = 1; k <= 100; k++) {
        char in[32], card[32];
        snprintf(in, sizeof in, "%d-терезе", k);
        snprintf(card, sizeof card, "%d терезе", k);
        char *o = normalise_apply(nz, "kk", in);
        char *c = normalise_apply(nz, "kk", card);
        assert_null(strpbrk(o, "0123456789-"));
        assert_string_not_equal(o, c);
        assert_non_null(strstr(o, " терезе"));
        free(o);
        free(c);
    }
}

/* An unknown language, and a normaliser without rules, copy the text. */
static void
test_without_rules(void **state)
{
    (void)state;
    struct normaliser *empty = normalise_new();
    char *a = normalise_apply(empty, "kk", "3-терезе");
    char *b = normalise_apply(nz, "de", "3-терезе");
    assert_string_equal(a, "3-терезе");
    assert_string_equal(b, "3-терезе");
    free(a);
    free(b);
    normalise_free(empty);
    normalise_free(NULL);
}

static void
check_refused(const char *text, const char *reason)
{
    char *why = NULL;
    struct normaliser *n = normalise_new();
    size_t len = strlen(text);
    assert_int_equal(normalise_parse(n, "ru", "t.rules", text, len, &why), -1);
    assert_non_null(why);
    if (strstr(why, reason) == NULL)
        fail_msg("\"%s\" refused with \"%s\", want \"%s\"", text, why, reason);
    free(why);
    normalise_free(n);
}

#define DIGITS                                                                 \
    "card\t0\tн\ncard\t1\tо\ncard\t2\tд\ncard\t3\tт\ncard\t4\tч\n"        \
    "card\t5\tп\ncard\t6\tш\ncard\t7\tс\ncard\t8\tв\ncard\t9\tд\n"

static void
test_parser_refuses(void **state)
{
    (void)state;
    check_refused("bogus\t1\n" DIGITS, "t.rules:1: unknown kind");
    check_refused(DIGITS "card\tx\tодин\n", "t.rules:11: the rule needs a "
                                            "number");
    check_refused(DIGITS "word\t№\n", "t.rules:11: the rule needs a form");
    check_refused(DIGITS "word\t\tномер\n", "t.rules:11: a field is empty");
    check_refused(DIGITS "prep\tиз\n", "needs a case");
    check_refused(DIGITS "noun\tокно\n", "needs a gender");
    check_refused(DIGITS "month\t13\tх\n", "a month is 1 to 12");
    check_refused(DIGITS "format\tdate\t{Q}\n", "a template has only");
    check_refused(DIGITS "plural\tnplurals=2; plural=n/0;\n",
                  "not a valid gettext plural rule");
    check_refused(DIGITS "option\tdigits\t1\n", "unknown option");
    check_refused("card\t1\tодин\n", "the digit 0 has no card rule");
    check_refused(DIGITS "word\t\xff\tх\n", "not UTF-8");

    /* A refused file leaves the rules as they were. */
    struct normaliser *n = normalise_new();
    char *why = NULL;
    const char good[] = DIGITS "word\t№\tномер\n";
    assert_int_equal(normalise_parse(n, "ru", "t", good, sizeof good - 1, &why),
                     0);
    const char bad[] = DIGITS "word\t№\n";
    assert_int_equal(normalise_parse(n, "ru", "t", bad, sizeof bad - 1, &why),
                     -1);
    free(why);
    char *o = normalise_apply(n, "ru", "№ 7");
    assert_string_equal(o, "номер с");
    free(o);
    normalise_free(n);
}

static void
test_load_names_the_file(void **state)
{
    (void)state;
    char *why = NULL;
    assert_null(normalise_load("/nonexistent", &why));
    assert_non_null(strstr(why, "/nonexistent/kk.rules"));
    free(why);
}

/* The phonemes espeak-ng makes of TEXT in VOICE (ASCII, as espeak-ng -x),
 * into OUT. */
static void
phonemes(const char *voice, const char *text, char *out, size_t size)
{
    assert_int_equal(espeak_SetVoiceByName(voice), EE_OK);
    const void *p = text;
    out[0] = '\0';
    while (p != NULL) {
        const char *ph = espeak_TextToPhonemes(&p, espeakCHARS_UTF8, 0);
        if (ph != NULL && strlen(out) + strlen(ph) + 2 < size) {
            strcat(out, ph);
            strcat(out, " ");
        }
    }
}

/* espeak-ng reads «3-терезе» with the cardinal үш; the normalised text
 * is read with the ordinal үшінші, the same phonemes as the word alone,
 * and has no digit or symbol left. Likewise "из 7" and "№ 5". */
static void
test_espeak_phonemes(void **state)
{
    (void)state;
    if (espeak_Initialize(AUDIO_OUTPUT_RETRIEVAL, 0, NULL, 0) < 0)
        fail_msg("espeak-ng cannot start");
    static const struct {
        const char *voice, *raw, *word;
    } rows[] = {
        {"kk", "3-терезе", "үшінші"},  {"kk", "2-бюллетень", "екінші"},
        {"kk", "I топ", "бірінші"},    {"kk", "+7", "плюс жеті"},
        {"ru", "из 7", "семи"},        {"ru", "1 отметка", "одна"},
        {"ru", "II группа", "вторая"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char raw[512], norm[512], word[256];
        char *text = normalise_apply(nz, rows[i].voice, rows[i].raw);
        assert_null(strpbrk(text, "0123456789+"));
        assert_null(strstr(text, "№"));
        phonemes(rows[i].voice, rows[i].raw, raw, sizeof raw);
        phonemes(rows[i].voice, text, norm, sizeof norm);
        phonemes(rows[i].voice, rows[i].word, word, sizeof word);
        /* Strip the trailing space of the word's phonemes. */
        word[strcspn(word, " ")] = '\0';
        if (strstr(norm, word) == NULL || strstr(raw, word) != NULL)
            fail_msg("%s \"%s\": raw [%s], normalised \"%s\" [%s], word "
                     "[%s]",
                     rows[i].voice, rows[i].raw, raw, text, norm, word);
        free(text);
    }
    /* Ends espeak-ng's own thread, so that valgrind sees no leak; in
     * retrieval mode this returns (docs/speech.md: synchronous mode
     * would block). */
    assert_int_equal(espeak_Terminate(), EE_OK);
}

/* normalise_text() finds the rules through $DAUYS_DATADIR. */
static void
test_default_rules(void **state)
{
    (void)state;
    setenv("DAUYS_DATADIR", "data", 1);
    char *o = normalise_text("kk", "3-терезе");
    assert_string_equal(o, "үшінші терезе");
    free(o);
    char *why = NULL;
    assert_int_equal(normalise_init("/nonexistent", &why), -1);
    free(why);
    o = normalise_text("ru", "из 7");
    assert_string_equal(o, "из семи");
    free(o);
}

UNIT_MAIN(setup, teardown, cmocka_unit_test(test_kazakh),
          cmocka_unit_test(test_russian), cmocka_unit_test(test_english),
          cmocka_unit_test(test_kazakh_ordinals_1_to_100),
          cmocka_unit_test(test_without_rules),
          cmocka_unit_test(test_parser_refuses),
          cmocka_unit_test(test_load_names_the_file),
          cmocka_unit_test(test_espeak_phonemes),
          cmocka_unit_test(test_default_rules))
