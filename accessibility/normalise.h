/*
 * Text normalisation: what a span says, written out as words in the span's
 * language before the synthesiser sees it. espeak-ng reads «3-терезе» as
 * a cardinal ("үш терезе"), "из 7" undeclined ("из семь"), "I топ" as the
 * English pronoun, drops «№», reads "+7" in English and "2026-12-02" as
 * three bare numbers. The normaliser turns them into «үшінші терезе», "из
 * семи", «бірінші топ», «нөмір», «плюс жеті» and «екі мың жиырма алтыншы
 * жылғы екінші желтоқсан».
 *
 * The knowledge is data: one rules file per language, data/speech/<lang>
 * .rules (number words, ordinals, Russian case endings and noun genders,
 * months, abbreviations, templates for dates and times; the format is in
 * docs/speech.md, "Normalisation"). The code only knows how numbers are
 * put together (hundreds, thousands, millions; the last word of an
 * ordinal is the ordinal one) and in which order the passes run:
 *
 *   1. dates (2026-12-02, 02.12.2026), times (09:23) and phone numbers
 *      (+7 ...) are rewritten with the language's templates;
 *   2. words: abbreviations and symbols (АЕК, №), Roman numerals next to
 *      a word that takes them (I топ, группа II);
 *   3. numbers: as words, cardinal or ordinal, agreeing in gender with
 *      the noun that follows and in case with the preposition before
 *      (Russian), with the language's suffixes («3-ке» → «үшке»);
 *      long runs of digits (an IIN, an application number) and numbers
 *      with a leading zero are read digit by digit.
 *
 * Normalising is a pure function of the rules and the text: no I/O, no
 * global state except the process default of normalise_text(), which is
 * loaded once. The rules object is read-only after loading and may be
 * used from several threads.
 */
#ifndef DAUYS_ACCESSIBILITY_NORMALISE_H
#define DAUYS_ACCESSIBILITY_NORMALISE_H

#include <stddef.h>

struct normaliser;

/* Returns a normaliser without rules: normalise_apply() copies the text.
 * The caller frees it with normalise_free(). */
struct normaliser *normalise_new(void);

/*
 * Loads DIR/kk.rules, DIR/ru.rules and DIR/en.rules into a new normaliser
 * (the caller frees it with normalise_free()). Returns NULL and fills *why
 * (caller frees) with "FILE:LINE: reason" for the first bad line, or the
 * reason a file cannot be read.
 */
struct normaliser *normalise_load(const char *dir, char **why);

/*
 * Parses the rules TEXT (SIZE bytes, not necessarily NUL-terminated) for
 * the language LANG ("kk", "ru", "en") into N, replacing the rules N had
 * for it. NAME is the file name used in messages. Returns 0, or -1 and
 * fills *why (caller frees) with "NAME:LINE: reason"; N is unchanged then.
 */
int normalise_parse(struct normaliser *n, const char *lang, const char *name,
                    const char *text, size_t size, char **why);

/* Frees N. NULL is a no-op. */
void normalise_free(struct normaliser *n);

/*
 * Returns a newly allocated normalised copy of the UTF-8 TEXT in LANG
 * ("kk", "ru", "en"; another code, or a language without rules: a plain
 * copy). The text may hold a voter's choice (a candidate's name, a window
 * number): the caller wipes it (sodium_memzero) before freeing it, as
 * normalise_apply() wipes its own working copies.
 */
char *normalise_apply(const struct normaliser *n, const char *lang,
                      const char *text);

/*
 * normalise_apply() with the process's default rules: the first call
 * loads them from $DAUYS_DATADIR/speech, or DAUYS_DATADIR/speech (the
 * installed data) when the variable is not set, unless normalise_init()
 * has set them first. If they cannot be loaded the text is copied
 * unchanged (call normalise_init() at start-up to hear why). Returns a
 * newly allocated text; the caller wipes and frees it as above.
 */
char *normalise_text(const char *lang, const char *text);

/*
 * Loads the process's default rules from DIR (NULL: the default folder
 * above) for normalise_text(). Call it once, before any thread uses
 * normalise_text(). Returns 0, or -1 and fills *why (caller frees); the
 * defaults are unchanged then.
 */
int normalise_init(const char *dir, char **why);

#endif
