/*
 * Text normalisation per language: what a span of speech becomes before
 * the synthesiser sees it (ordinals, numerals, dates, abbreviations; issue
 * 11, item 2). The speech queue calls it on every span it queues, and the
 * speech log records its result, so what a test reads is what is heard.
 *
 * SEAM: this version is the identity; the normalisation helper replaces
 * normalise.c (and this comment) with the real rules. The declaration
 * below is the contract between the two.
 */
#ifndef DAUYS_ACCESSIBILITY_NORMALISE_H
#define DAUYS_ACCESSIBILITY_NORMALISE_H

/* Returns TEXT as it is to be spoken in LANG ("kk", "ru", "en"), newly
 * allocated; the caller frees it with xfree_wiped() (it may hold a
 * voter's choice). */
char *normalise_text(const char *lang, const char *text);

#endif
