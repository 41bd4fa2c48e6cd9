/*
 * Large text for low-vision users: text sizes 2-4 draw each character from
 * a Terminus console font (the CyrAsia set, which has every Kazakh letter)
 * as a block of terminal cells made of Unicode block characters. Size 1 is
 * the terminal's own font. Text is word-wrapped to the width of the screen
 * so nothing ever scrolls sideways; the caller scrolls vertically by whole
 * items and uses the returned height to keep the focused item in view.
 *
 * Two cell mappings:
 *   BIGTEXT_HALF  one font pixel wide, two tall per cell: ' ' ▀ ▄ █. The
 *                 pixels come out square, so letters keep their shape, and
 *                 the Linux console can show them with a FullCyrAsia font.
 *   BIGTEXT_QUAD  two by two pixels per cell with the quadrant characters
 *                 ▘▝▖▗▌▐▚▞▛▜▙▟ as well: half as wide (letters look tall and
 *                 narrow), for terminal emulators whose font has quadrants.
 *
 * Sizes: 2 = TerminusBold14 (8x14), 3 = TerminusBold18x10, 4 =
 * TerminusBold24x12; capital letters 10, 12 and 15 pixels high, i.e. 5, 6
 * and 7.5 terminal rows. docs/accessibility-seeing.md has the measurements.
 */
#ifndef DAUYS_ACCESSIBILITY_BIGTEXT_H
#define DAUYS_ACCESSIBILITY_BIGTEXT_H

#include <stddef.h>

#define BIGTEXT_FONT_DIR "/usr/share/consolefonts"
#define BIGTEXT_MIN_SIZE 1
#define BIGTEXT_MAX_SIZE 4

enum bigtext_cells {
    BIGTEXT_HALF,
    BIGTEXT_QUAD,
};

struct bigtext;

/* The laid-out text: COUNT terminal rows, each a NUL-terminated UTF-8
 * string LINE[i] that takes CELLS[i] <= width terminal cells. One line of
 * text takes ROWS_PER_LINE rows (1 at size 1). */
struct bigtext_lines {
    size_t count;
    char **line;
    size_t *cells;
    size_t rows_per_line;
};

/*
 * Loads the fonts for sizes 2-4 from DIR (BIGTEXT_FONT_DIR when NULL) for
 * the cell mapping CELLS. Returns 0 and sets *OUT, which the caller frees
 * with bigtext_free(); or -1 with *WHY naming the missing or damaged font
 * file (the caller frees *WHY).
 */
int bigtext_new(const char *dir, enum bigtext_cells cells, struct bigtext **out,
                char **why);

/* Releases BT and its glyph cache; NULL is a no-op. */
void bigtext_free(struct bigtext *bt);

/* The font file name (without directory) used for SIZE; NULL for size 1
 * or a size out of range. */
const char *bigtext_font_file(int size);

/* Terminal cells one character takes at SIZE, across and down (1 and 1 at
 * size 1); 0 for a size out of range. */
size_t bigtext_char_cols(const struct bigtext *bt, int size);
size_t bigtext_char_rows(const struct bigtext *bt, int size);

/*
 * Lays out the UTF-8 TEXT at SIZE in WIDTH terminal cells: words are kept
 * whole where they fit and wrapped at spaces, a word wider than WIDTH is
 * broken, '\n' starts a new line. At size 1 every character takes one cell
 * (BT may be NULL); at sizes 2-4 the rows are block characters. Invalid
 * UTF-8 shows as U+FFFD, characters the font lacks as '?'. On success
 * returns 0 and fills *OUT, which the caller releases with
 * bigtext_lines_free(); returns -1 with *WHY when SIZE is out of range or
 * WIDTH cannot hold one character.
 */
int bigtext_layout(struct bigtext *bt, int size, const char *text, size_t width,
                   struct bigtext_lines *out, char **why);

/* Releases what bigtext_layout() put in LINES and zeroes it. */
void bigtext_lines_free(struct bigtext_lines *lines);

#endif
