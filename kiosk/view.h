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
 * pronunciation. The struct is fixed-size so that building a view never
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
    int lang;                   /* enum lang, or -1: the screen's language */
    bool quiet;                 /* shown but not read with the screen */
    bool essential;             /* the message the visitor must not miss
                                   (the guidance's window number): kept
                                   by the magnified layouts */
    int id;                     /* VIEW_OPTION: the screen's id for it */
    char text[VIEW_TEXT_MAX];   /* what is shown */
    char say[VIEW_TEXT_MAX];    /* what is said instead, when not empty */
};

struct view {
    enum lang lang;
    char title[VIEW_TITLE_MAX];
    int title_lang;             /* enum lang, or -1: the screen's language */
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
};

/* Empties V and sets its language. */
void view_reset(struct view *v, enum lang lang);

/* Sets the title (formatted); returns V's title. */
void view_title(struct view *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends an item of KIND (anything but VIEW_OPTION) with formatted text in
 * the screen's language and returns it (NULL when the view is full), so the
 * caller can set `say`, `lang` or `quiet`. */
struct view_item *view_add(struct view *v, enum view_kind kind,
                           const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

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

/* Zeroes every text V holds (it may hold a voter's choice). */
void view_wipe(struct view *v);

#endif
