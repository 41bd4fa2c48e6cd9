/*
 * Letter names for spelling mode.
 *
 * One table for the Cyrillic letters (the 42 of the Kazakh alphabet, which
 * include the 33 Russian ones) and one for the Latin letters, each row with
 * the kk, ru and en names. Kazakh names follow the school alphabet ("бе",
 * "ғе", "қа", "ың"); Russian ones the Russian school names ("бэ", "эль"),
 * with the Kazakh-only letters described ("ка казахское"), since a Russian
 * voice cannot say "қ"; English ones are written so that the English voice
 * says something close to the Kazakh name. Latin letters in kk and ru get
 * the names Russian and Kazakh schools use for them ("цэ", "дубль-вэ").
 */
#include "accessibility/speech_spell.h"

#include <stdint.h>
#include <string.h>

#include "accessibility/lexicon.h"
#include "accessibility/utf8.h"
#include "accessibility/xalloc.h"

struct speech_spell_letter {
    uint32_t cp;         /* lower case */
    const char *name[3]; /* kk, ru, en */
};

static const struct speech_spell_letter speech_spell_cyrillic[] = {
    {0x430, {"а", "а", "a"}},
    {0x4d9, {"ә", "а казахское", "ae"}},
    {0x431, {"бе", "бэ", "be"}},
    {0x432, {"ве", "вэ", "ve"}},
    {0x433, {"ге", "гэ", "ge"}},
    {0x493, {"ғе", "гэ казахское", "ghe"}},
    {0x434, {"де", "дэ", "de"}},
    {0x435, {"е", "е", "ye"}},
    {0x451, {"ё", "ё", "yo"}},
    {0x436, {"же", "жэ", "zhe"}},
    {0x437, {"зе", "зэ", "ze"}},
    {0x438, {"и", "и", "ee"}},
    {0x439, {"қысқа и", "и краткое", "short ee"}},
    {0x43a, {"ка", "ка", "ka"}},
    {0x49b, {"қа", "ка казахское", "qa"}},
    {0x43b, {"эл", "эль", "el"}},
    {0x43c, {"эм", "эм", "em"}},
    {0x43d, {"эн", "эн", "en"}},
    {0x4a3, {"ың", "эн казахское", "eng"}},
    {0x43e, {"о", "о", "o"}},
    {0x4e9, {"ө", "о казахское", "oe"}},
    {0x43f, {"пе", "пэ", "pe"}},
    {0x440, {"эр", "эр", "er"}},
    {0x441, {"эс", "эс", "es"}},
    {0x442, {"те", "тэ", "te"}},
    {0x443, {"у", "у", "oo"}},
    {0x4b1, {"ұ", "у с чертой", "u with stroke"}},
    {0x4af, {"ү", "у прямое", "straight u"}},
    {0x444, {"эф", "эф", "ef"}},
    {0x445, {"ха", "ха", "kha"}},
    {0x4bb, {"һа", "ха казахское", "ha"}},
    {0x446, {"це", "цэ", "tse"}},
    {0x447, {"че", "че", "che"}},
    {0x448, {"ша", "ша", "sha"}},
    {0x449, {"ща", "ща", "shcha"}},
    {0x44a, {"айыру белгісі", "твёрдый знак", "hard sign"}},
    {0x44b, {"ы", "ы", "yeru"}},
    {0x456, {"і", "и с точкой", "dotted i"}},
    {0x44c, {"жіңішкелік белгісі", "мягкий знак", "soft sign"}},
    {0x44d, {"э", "э", "e"}},
    {0x44e, {"ю", "ю", "yu"}},
    {0x44f, {"я", "я", "ya"}},
};

static const struct speech_spell_letter speech_spell_latin[] = {
    {'a', {"а", "а", "ay"}},
    {'b', {"бэ", "бэ", "bee"}},
    {'c', {"цэ", "цэ", "see"}},
    {'d', {"дэ", "дэ", "dee"}},
    {'e', {"е", "е", "ee"}},
    {'f', {"эф", "эф", "ef"}},
    {'g', {"гэ", "гэ", "jee"}},
    {'h', {"аш", "аш", "aitch"}},
    {'i', {"и", "и", "eye"}},
    {'j', {"йот", "йот", "jay"}},
    {'k', {"ка", "ка", "kay"}},
    {'l', {"эль", "эль", "el"}},
    {'m', {"эм", "эм", "em"}},
    {'n', {"эн", "эн", "en"}},
    {'o', {"о", "о", "oh"}},
    {'p', {"пэ", "пэ", "pee"}},
    {'q', {"ку", "ку", "cue"}},
    {'r', {"эр", "эр", "ar"}},
    {'s', {"эс", "эс", "ess"}},
    {'t', {"тэ", "тэ", "tee"}},
    {'u', {"у", "у", "you"}},
    {'v', {"вэ", "вэ", "vee"}},
    {'w', {"дубль-вэ", "дубль-вэ", "double you"}},
    {'x', {"икс", "икс", "ex"}},
    {'y', {"игрек", "игрек", "why"}},
    {'z', {"зэт", "зэт", "zed"}},
};

static const char *const speech_spell_hyphen[3] = {"дефис", "дефис", "hyphen"};
static const char *const speech_spell_apostrophe[3] = {"апостроф", "апостроф",
                                                       "apostrophe"};

static const char *
speech_spell_name(uint32_t cp, size_t lang)
{
    const struct speech_spell_letter *t = speech_spell_cyrillic;
    size_t n = sizeof speech_spell_cyrillic / sizeof speech_spell_cyrillic[0];
    if (cp < 0x80) {
        t = speech_spell_latin;
        n = sizeof speech_spell_latin / sizeof speech_spell_latin[0];
    }
    for (size_t i = 0; i < n; i++)
        if (t[i].cp == cp)
            return t[i].name[lang];
    return NULL;
}

char *
speech_spell(const char *utf8, const char *lang)
{
    size_t li = strcmp(lang, "kk") == 0 ? 0 : strcmp(lang, "ru") == 0 ? 1 : 2;
    size_t len = strlen(utf8);
    size_t cap = len * 8 + 64, o = 0;
    char *out = xmalloc(cap);
    out[0] = '\0';
    /* What separates the next name from the previous one: nothing at the
     * start, ", " within a word, ". " after white space. */
    const char *sep = "";
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int k = utf8_decode(utf8 + i, len - i, &cp);
        if (k < 0) {
            i++;
            continue;
        }
        const char *text = utf8 + i;
        size_t tlen = (size_t)k;
        i += (size_t)k;
        cp = lexicon_fold(cp);
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == 0xa0) {
            if (o > 0)
                sep = ". ";
            continue;
        }
        const char *name = speech_spell_name(cp, li);
        if (cp == '-' || cp == 0x2010 || cp == 0x2011)
            name = speech_spell_hyphen[li];
        else if (cp == '\'' || cp == 0x2019 || cp == 0x2bc)
            name = speech_spell_apostrophe[li];
        if (name != NULL) {
            text = name;
            tlen = strlen(name);
        } else if (!lexicon_is_word_char(cp)) {
            continue;
        }
        size_t need = o + strlen(sep) + tlen + 1;
        if (need > cap) {
            cap = need * 2;
            out = xrealloc(out, cap);
        }
        memcpy(out + o, sep, strlen(sep));
        o += strlen(sep);
        memcpy(out + o, text, tlen);
        o += tlen;
        out[o] = '\0';
        sep = ", ";
    }
    return out;
}
