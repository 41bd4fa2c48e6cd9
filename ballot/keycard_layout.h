/*
 * Where everything on the keypad card sheet goes, in millimetres from the
 * page's top-left corner. One page, at least A3 landscape (it grows when a
 * profile has more keys than fit), holds three parts:
 *
 * - the instruction card (KEYCARD_CARD_W_MM wide, A5 landscape or taller,
 *   its top-right corner cut off so that a hand finds which way is up):
 *   for Kazakh, then Russian, the text in six-dot Braille (liblouis), then
 *   the same text in large print;
 * - below it the key labels: one label per function key of the profile,
 *   cut to the size of a key top, with the key's tactile symbol
 *   (ballot/tactile.h), each at its key's place on a numeric keypad at the
 *   profile's key pitch, so that the sheet laid over the keypad puts every
 *   label on its key. Keys that are not on a numeric keypad follow to the
 *   right, one column of KEYCARD_GRID_ROWS keys after another;
 * - to the right, the legend: each action's symbol again, its Braille word
 *   in Kazakh and in Russian, and in print the words and its keys.
 *
 * Text is measured with sheet.h; nothing is drawn here.
 */
#ifndef DAUYS_BALLOT_KEYCARD_LAYOUT_H
#define DAUYS_BALLOT_KEYCARD_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "accessibility/keyprofile.h"
#include "ballot/sheet.h"
#include "ballot/tactile.h"

#define KEYCARD_PAGE_MIN_W_MM 420.0 /* A3 landscape */
#define KEYCARD_PAGE_MIN_H_MM 297.0
#define KEYCARD_MARGIN_MM 10.0  /* page edges and between the parts */
#define KEYCARD_CARD_W_MM 210.0 /* A5 landscape */
#define KEYCARD_CARD_MIN_H_MM 148.0
#define KEYCARD_CARD_PAD_MM 10.0 /* card edge to its text */
#define KEYCARD_CORNER_CUT_MM 10.0
#define KEYCARD_BRAILLE_LINE_MM 10.0 /* Braille line pitch */
#define KEYCARD_PRINT_SIZE_MM 6.5    /* large print, about 18 pt */
#define KEYCARD_PRINT_LINE_MM 8.5
#define KEYCARD_SMALL_SIZE_MM 3.5  /* staff notes */
#define KEYCARD_LABEL_INSET_MM 3.2 /* key cell edge to label edge */
#define KEYCARD_SYMBOL_MM 9.0      /* symbol on a label */
#define KEYCARD_GRID_ROWS 5        /* rows of a numeric keypad */
#define KEYCARD_PAD_KEYS 17        /* keys of a numeric keypad */
#define KEYCARD_LEGEND_ROW_MM 11.0
#define KEYCARD_LEGEND_SYMBOL_MM 8.0

/* The languages of the card, in the order they appear. */
#define KEYCARD_N_LANGS 2
extern const char *const keycard_langs[KEYCARD_N_LANGS]; /* "kk", "ru" */

struct keycard_rect {
    double x, y, w, h;
};

/* A line of Braille cells. */
struct keycard_braille {
    char id[48];      /* its SVG id: "braille-card-kk-1" */
    const char *lang; /* "kk" or "ru" */
    uint8_t *cells;
    size_t n;
    double x, y; /* centre of dot 1 of the first cell */
};

struct keycard_text {
    char *text; /* UTF-8 */
    enum sheet_font font;
    double size; /* em, mm */
    double x, y; /* start of the baseline */
};

/* One key's label. */
struct keycard_label {
    unsigned code;            /* evdev */
    const char *key_id;       /* "KEY_KP8" */
    int on_keypad;            /* at its numeric keypad place */
    struct keycard_rect cell; /* the key's pitch cell */
    struct keycard_rect cut;  /* the label */
    struct tactile_symbol symbol;
};

/* One legend row: an action with its symbol and words. */
struct keycard_row {
    enum action action;
    struct tactile_symbol symbol;
    size_t braille[KEYCARD_N_LANGS]; /* indices into layout->braille */
};

struct keycard_layout {
    double page_w, page_h;
    double pitch; /* mm, from the profile */
    struct keycard_rect card;
    double corner_cut;
    /* The card's text in each language, as given. */
    const char *card_text[KEYCARD_N_LANGS];
    /* The card's Braille lines: [first[k], first[k] + count[k]) are
     * language k's. */
    size_t card_first[KEYCARD_N_LANGS], card_count[KEYCARD_N_LANGS];
    size_t n_braille;
    struct keycard_braille *braille;
    size_t n_texts;
    struct keycard_text *texts;
    struct keycard_rect grid; /* the pitch cells of the numeric keypad */
    /* Every key of the numeric keypad, bound or not, for the print
     * outline (none when no label is on the keypad). */
    size_t n_pad_keys;
    struct keycard_rect pad_keys[KEYCARD_PAD_KEYS];
    size_t n_labels;
    struct keycard_label *labels;
    size_t n_rows;
    struct keycard_row *rows;
    double scale_x, scale_y; /* start of the 50 mm scale bar */
};

/*
 * The card's text in LANG ("kk" or "ru"): what the kiosk is and that any
 * key starts the spoken instructions. A static string; NULL for another
 * language.
 */
const char *keycard_card_text(const char *lang);

/* The word for ACTION in LANG, as embossed in the legend; NULL for an
 * action without a symbol or another language. */
const char *keycard_word(enum action action, const char *lang);

/*
 * Lays out the sheet for the keypad profile P, called NAME in print. On
 * success returns 0 and sets *OUT (the caller frees it with
 * keycard_layout_free()). On failure returns -1 and sets *WHY (the caller
 * frees): a profile with no function key, or a text liblouis cannot
 * translate.
 */
int keycard_layout_new(const struct keyprofile *p, const char *name,
                       struct keycard_layout **out, char **why);

/* Frees a layout. NULL is a no-op. */
void keycard_layout_free(struct keycard_layout *l);

#endif
