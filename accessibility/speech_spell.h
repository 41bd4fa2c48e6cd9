/*
 * Spelling mode: a name read letter by letter, for a voter who wants to be
 * sure which candidate a window belongs to. Each letter is replaced by its
 * name in the language of the speech (Б is "бе" in Kazakh, "бэ" in Russian),
 * letters are separated by commas so that the synthesiser pauses between
 * them, and words by a full stop (a longer pause).
 */
#ifndef DAUYS_ACCESSIBILITY_SPEECH_SPELL_H
#define DAUYS_ACCESSIBILITY_SPEECH_SPELL_H

/*
 * Returns a newly allocated text for the synthesiser that spells the UTF-8
 * text UTF8 in LANG ("kk", "ru"; any other value gives English letter
 * names). All 42 letters of the Kazakh Cyrillic alphabet have names in kk,
 * ru and en, and so have the Latin letters; digits stay digits, hyphens and
 * apostrophes are named, other punctuation and invalid UTF-8 are skipped,
 * letters of other scripts are passed through. Case is ignored. The caller
 * frees.
 */
char *speech_spell(const char *utf8, const char *lang);

#endif
