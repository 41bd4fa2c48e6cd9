/*
 * The view model: what a screen shows and says, as data.
 *
 * A screen fills a struct view from its state; the ncurses renderer draws
 * it and the speech is derived from it (the same strings, the same
 * language), so that nothing is announced that is not also shown. Items
 * are paragraphs of text or choosable options. Options carry an id chosen
 * by the screen (view_option); the app, not the screen, owns the focus:
 * it moves it, keeps it on the same id across re-renders, says "n of m"
 * and hands the screen the focused id with every key. An item may carry
 * its own language (the welcome screen
 * greets in kk and ru at once) and a speech-only override (`say`) for
 * pronunciation. Parts of what an item says may be in other languages
 * (a Kazakh party name inside a Russian sentence): the screen marks them
 * (view_mark()), and the app speaks each part with the voice of its
 * language; parts the screen did not mark but that the item's voice
 * cannot read (Kazakh letters in a Russian text, Cyrillic in an English
 * one) are found by their script (view_foreign()). The struct is fixed-size so that building a view never
 * allocates; a text is as long as the longest text an election package may
 * hold (2000 code points), and a text that is still too long is cut at a
 * letter boundary, ends in "…" and marks the view `cut` (the app logs it).
 */
#ifndef DAUYS_KIOSK_VIEW_H
#define DAUYS_KIOSK_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "accessibility/i18n.h"

/* 2000 code points of up to 4 bytes each (MAX_TEXT_CHARS in ballot/package.c)
 * and the terminating NUL. */
#define VIEW_TEXT_MAX 8004
#define VIEW_TITLE_MAX VIEW_TEXT_MAX
#define VIEW_ITEMS_MAX 80
#define VIEW_MARKS_MAX 8

/* A part of a spoken text in its own language: LEN bytes from OFF. */
struct view_mark {
    size_t off, len;
    int lang; /* enum lang */
};

/* The marks of one text, in order, not overlapping. */
struct view_marks {
    struct view_mark v[VIEW_MARKS_MAX];
    size_t n;
};

enum view_kind {
    VIEW_TEXT,   /* a paragraph */
    VIEW_OPTION, /* an item the visitor can choose */
    VIEW_BIG,    /* a number or code shown in the largest text */
    VIEW_ENTRY,  /* a field being typed into (digits, masked or not) */
    VIEW_BLOCK,  /* a pre-drawn line (a QR code row): never wrapped, never
                    spoken, no space between consecutive blocks */
};

struct view_item {
    enum view_kind kind;
    int lang;                 /* enum lang, or -1: the screen's language */
    bool quiet;               /* shown but not read with the screen */
    bool essential;           /* the message the visitor must not miss
                                   (the guidance's window number): kept
                                   by the magnified layouts (texts), and
                                   said by Repeat before the focused
                                   item (texts and options) */
    int id;                   /* VIEW_OPTION: the screen's id for it */
    char text[VIEW_TEXT_MAX]; /* what is shown */
    char say[VIEW_TEXT_MAX];  /* what is said instead, when not empty */
    struct view_marks marks;  /* parts of the spoken text (say, else
                                   text) in other languages */
};

struct view {
    enum lang lang;
    char title[VIEW_TITLE_MAX];
    int title_lang;                /* enum lang, or -1: the screen's language */
    struct view_marks title_marks; /* parts of the title in other languages */
    struct view_item items[VIEW_ITEMS_MAX];
    size_t n_items;
    int focus;                  /* index into items, or -1: set by the app */
    int initial;                /* option id to focus until the visitor
                                   moves the focus, or -1: the first */
    bool cut;                   /* a text did not fit and was cut */
    char notice[VIEW_TEXT_MAX]; /* a message that needs attention */
    char hint[VIEW_TEXT_MAX];   /* keys to use, shown at the bottom */
    bool test_mode;             /* the TEST MODE marker (speech log on) */
    bool curtain;               /* privacy curtain: hide the content */
    bool no_audio;              /* the NO SOUND marker for staff */
    int theme;                  /* index of the colour theme (theme_at) */
    int text_size;              /* 1..4 (bigtext sizes) */
    bool own_position;          /* options say their position themselves
                                   ("Window 3 of 7"): no "n of m" added */
    bool paused;                /* speech is paused: the PAUSED marker */
};

/* Empties V and sets its language. */
void view_reset(struct view *v, enum lang lang);

/* Sets the title (formatted); returns V's title. */
void view_title(struct view *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends an item of KIND (anything but VIEW_OPTION) with formatted text in
 * the screen's language and returns it (NULL when the view is full), so the
 * caller can set `say`, `lang` or `quiet`. */
struct view_item *view_add(struct view *v, enum view_kind kind, const char *fmt,
                           ...) __attribute__((format(printf, 3, 4)));

/* Appends an option the visitor can choose, known to the screen as ID (any
 * int the screen likes, unique in the view), and returns it like
 * view_add(). */
struct view_item *view_option(struct view *v, int id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Formats into a fixed buffer of SIZE bytes; a text that does not fit is
 * cut at a letter boundary and ends in "…". Returns false when it was cut. */
bool view_format(char *dst, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets the notice (formatted); an empty format clears it. */
void view_notice(struct view *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Sets the hint line (formatted). */
void view_hint(struct view *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Returns the number of options and the 1-based rank of option INDEX among
 * them (0 when INDEX is not an option). */
size_t view_option_count(const struct view *v);
size_t view_option_rank(const struct view *v, int index);

/* Moves the focus to the next (DIR > 0) or previous option; stays put at
 * either end. Returns true when the focus moved. (The app's.) */
bool view_move_focus(struct view *v, int dir);

/* Focuses the option whose rank (1-based) is RANK; returns its index or -1.
 * (The app's.) */
int view_focus_rank(struct view *v, size_t rank);

/* Returns the index of the option with ID, or -1. */
int view_find_option(const struct view *v, int id);

/*
 * Marks the first occurrence of PART in IT's spoken text (`say` when set,
 * else `text`; so set `say` first) after its last mark as spoken in LANG
 * (enum lang; -1: the language of PART's script, view_script_lang() with
 * the item's language as fallback). Returns false, marking nothing, when
 * PART is empty, not found, or IT has VIEW_MARKS_MAX marks.
 */
bool view_mark(const struct view *v, struct view_item *it, const char *part,
               int lang);

/* The same for V's title. */
bool view_mark_title(struct view *v, const char *part, int lang);

/*
 * The language a text is in by its script, for a name the package or the
 * catalogue does not place: LANG_KK when it has a letter only Kazakh has
 * (Ә Ғ Қ Ң Ө Ұ Ү Һ І), else LANG_RU when it has Cyrillic letters, else
 * LANG_EN when it has Latin letters, else FALLBACK.
 */
int view_script_lang(const char *text, int fallback);

/*
 * Finds in the LEN bytes of TEXT from OFF, spoken in LANG, the runs that
 * LANG's voice cannot read and stores them (absolute offsets, their
 * language) in OUT, at most MAX, in order; returns how many. A Kazakh
 * voice reads all Cyrillic but no Latin, a Russian one neither the
 * Kazakh letters nor Latin, an English one no Cyrillic. A word with such
 * letters is a run; a quotation («…») holding one is a run as a whole (a
 * name), and runs in one language separated only by spaces join. A run is
 * Kazakh when it has a Kazakh letter the voice cannot read, else Russian
 * for Cyrillic, else English (Latin). docs/speech.md has the rule.
 */
size_t view_foreign(const char *text, size_t off, size_t len, int lang,
                    struct view_mark *out, size_t max);

/*
 * The keys named in V: every "{ID}" in the title, the notice, the hint and
 * the texts (shown and spoken) of the items, where ID is an action's
 * identifier (action_id(): "{select}", "{back}", "{volume-up}"), is
 * replaced by NAME(ID, LANG, CTX) (LANG: the text's language), the name of the key that does it on the
 * visitor's input; a token NAME answers NULL for, or that would not fit,
 * stays. The marks after a replacement move with the text. Message texts
 * name keys this way only, so that no instruction names a key the
 * visitor's input does not have (docs/keypad.md).
 */
typedef const char *view_key_name_fn(const char *id, int lang, void *ctx);
void view_keys(struct view *v, view_key_name_fn *name, void *ctx);

/* Replaces the key tokens of TEXT (a NUL-terminated string of at most
 * SIZE bytes), in LANG, like view_keys(), moving the marks MARKS (may be NULL). */
void view_keys_text(char *text, size_t size, struct view_marks *marks, int lang,
                    view_key_name_fn *name, void *ctx);

/* Zeroes every text V holds (it may hold a voter's choice). */
void view_wipe(struct view *v);

#endif
