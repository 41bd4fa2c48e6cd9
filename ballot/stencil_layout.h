/*
 * Where everything on a ballot stencil goes, in millimetres from the
 * paper's top-left corner: the windows (each box grown by the margin), the
 * Braille and large-print number beside each window, and one block with
 * the QR code and the printed title and hash. The layout is computed once
 * and drawn by stencil.c into SVG, PDF or PNG, so the three formats agree
 * to the micrometre. Text is measured with sheet.h (the same fonts the
 * drawing uses); nothing is drawn here.
 *
 * Rules (docs/stencil.md):
 * - windows stay on the paper, out of the cut corner, and keep at least
 *   STENCIL_MIN_BRIDGE_MM of card between each other;
 * - a window's label goes on the side facing the middle of the paper (the
 *   left for the usual ballot, boxes at the right), else on the other side;
 *   labels keep STENCIL_CLEARANCE_MM from other windows and labels and
 *   STENCIL_EDGE_MM from the paper's edges and the cut;
 * - the QR/title block takes the topmost, then leftmost free place.
 */
#ifndef DAUYS_BALLOT_STENCIL_LAYOUT_H
#define DAUYS_BALLOT_STENCIL_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "ballot/braille.h"
#include "ballot/election.h"
#include "ballot/sheet.h"

#define STENCIL_DEFAULT_MARGIN_MM 2.0
#define STENCIL_MAX_MARGIN_MM 10.0
#define STENCIL_CORNER_CUT_MM 10.0  /* legs of the 45-degree corner cut */
#define STENCIL_MIN_BRIDGE_MM 1.0   /* card left between two windows */
#define STENCIL_CLEARANCE_MM 1.0    /* around labels and the QR block */
#define STENCIL_EDGE_MM 3.0         /* printing kept off the edges */
#define STENCIL_LABEL_GAP_MM 2.0    /* window edge to Braille dots */
#define STENCIL_NUMBER_GAP_MM 3.0   /* Braille dots to print number */
#define STENCIL_NUMBER_SIZE_MM 10.0 /* em of the print number */
#define STENCIL_TEXT_SIZE_MM 4.0    /* em of title, id and hash lines */
#define STENCIL_LINE_PITCH_MM 5.5

/* The QR code has a fixed version, large enough for the longest payload
 * (`dauys-election:` + 64 + 1 + 64 + 1 + 64 characters at level M), so that
 * the layout does not depend on the election's id; each module is exactly
 * five pixels of the 300 dpi PNG. */
#define STENCIL_QR_VERSION 10
#define STENCIL_QR_MODULES 57
#define STENCIL_QR_QUIET 4
#define STENCIL_QR_MODULE_MM (5 * 25.4 / 300)

/* The most text lines in the QR/title block: two for each title, the
 * ballot id, the hash. */
#define STENCIL_MAX_TEXTS 6

struct stencil_rect {
    double x, y, w, h;
};

enum stencil_side { STENCIL_LEFT, STENCIL_RIGHT };

struct stencil_window {
    const struct election_option *option;
    struct stencil_rect cut;   /* the hole: the box grown by the margin */
    enum stencil_side side;    /* where its label is */
    struct stencil_rect label; /* Braille and print together */
    uint8_t cells[BRAILLE_NUMBER_MAX_CELLS];
    size_t n_cells;
    double dot1_x, dot1_y;     /* centre of dot 1 of the first cell */
    char number[24];           /* the position in print */
    double number_x, number_y; /* start of the print number's baseline */
};

struct stencil_text {
    char *text; /* UTF-8, shortened with "…" when it did not fit */
    enum sheet_font font;
    double size;  /* em, mm */
    double x, y;  /* start of the baseline */
    double width; /* advance width, mm */
};

struct stencil_layout {
    double paper_w, paper_h;
    enum corner_cut corner;
    double corner_cut; /* legs of the cut, 0 when there is none */
    size_t n_windows;
    struct stencil_window *windows;
    struct stencil_rect qr; /* the QR code with its quiet zone */
    size_t n_texts;
    struct stencil_text texts[STENCIL_MAX_TEXTS];
};

/*
 * Lays out the stencil of ballot B with MARGIN_MM around every box. E gives
 * the hash and the test flag for the printed lines; when E is NULL the
 * lines are measured with a placeholder hash (the layout is then the one
 * stencil_check() judges). On success returns 0 and sets *OUT, which the
 * caller frees with stencil_layout_free(); it points into B, which must
 * outlive it. On failure returns -1 and sets *WHY to every problem, one per
 * line, naming windows by position and option id (the caller frees).
 */
int stencil_layout_new(const struct election *e,
                       const struct election_ballot *b, double margin_mm,
                       struct stencil_layout **out, char **why);

/* Frees a layout. NULL is a no-op. */
void stencil_layout_free(struct stencil_layout *l);

#endif
