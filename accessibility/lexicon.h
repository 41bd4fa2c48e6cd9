/*
 * Pronunciation lexicon: words and phrases the synthesiser says wrongly,
 * each with a spelling it says rightly ("ЦИК" -> "цэ-и-ка"). One lexicon per
 * language, loaded from a text file (data/lexicon/<lang>.txt), applied to
 * every utterance just before synthesis; the screen never sees the
 * spellings. Matching is whole-word and case-insensitive for Latin and
 * Cyrillic, Kazakh letters included, independent of the C locale.
 *
 * File format, UTF-8, one entry a line:
 *
 *     # a comment (only at the start of a line)
 *     WORD<TAB>SPELLING
 *
 * WORD is one word or several separated by single spaces; it starts and
 * ends with a letter or digit. SPELLING is any non-empty text without tabs
 * or control characters. Blank lines are ignored. A word may appear only
 * once (case-insensitively).
 */
#ifndef DAUYS_ACCESSIBILITY_LEXICON_H
#define DAUYS_ACCESSIBILITY_LEXICON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lexicon;

/* Returns a new empty lexicon; the caller frees it with lexicon_free(). */
struct lexicon *lexicon_new(void);

/* Frees LX and its entries. NULL is a no-op. */
void lexicon_free(struct lexicon *lx);

/*
 * Adds WORD -> SPELLING (both UTF-8, copied). Returns 0, or -1 and fills
 * *why (caller frees) when the entry breaks the rules of the file format
 * above; LX is unchanged then.
 */
int lexicon_add(struct lexicon *lx, const char *word, const char *spelling,
                char **why);

/*
 * Adds every entry of the file at PATH. Returns 0, or -1 and fills *why
 * (caller frees) with "PATH:LINE: reason" for the first bad line, or the
 * reason the file cannot be read; on failure LX keeps no entry of the file.
 */
int lexicon_load_file(struct lexicon *lx, const char *path, char **why);

/* The number of entries. */
size_t lexicon_count(const struct lexicon *lx);

/*
 * Returns a newly allocated copy of the UTF-8 TEXT in which every whole-word
 * occurrence of an entry is replaced by its spelling (the longest entry
 * wins where several start at the same place; a space inside an entry
 * matches any run of white space). Replacements are not scanned again.
 * Invalid UTF-8 bytes are copied as they are. The caller frees.
 */
char *lexicon_apply(const struct lexicon *lx, const char *text);

/*
 * The lower-case form of the code point CP for Latin (Basic, Latin-1,
 * Extended-A) and Cyrillic (with the Kazakh letters); other code points are
 * returned as they are. Locale-independent.
 */
uint32_t lexicon_fold(uint32_t cp);

/* True when CP is a letter or a digit for the purpose of word boundaries. */
bool lexicon_is_word_char(uint32_t cp);

#endif
