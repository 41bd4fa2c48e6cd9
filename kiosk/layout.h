/*
 * Layout: from a view model to the rows of a terminal of a given size,
 * without ncurses, so that it can be unit-tested (the NeoMutt split of
 * recalc() from repaint()). Text is wrapped at word boundaries by display
 * width, never scrolled sideways and never cut silently; when the body is
 * taller than the screen, it is scrolled vertically so that the focused
 * option and its neighbours are visible, and a row at the top or bottom
 * shows that there is more. The selected option is marked with a symbol
 * as well as by colour and reverse video, so colour is never the only
 * signal.
 */
#ifndef DAUYS_KIOSK_LAYOUT_H
#define DAUYS_KIOSK_LAYOUT_H

#include <stddef.h>

#include "kiosk/view.h"

#define LAYOUT_MIN_COLS 40
#define LAYOUT_MIN_ROWS 10
#define LAYOUT_ROW_MAX 1024 /* bytes of one row; longer lines wrap */

enum layout_role {
    ROLE_BLANK,
    ROLE_TITLE,
    ROLE_TEXT,
    ROLE_OPTION,
    ROLE_SELECTED,
    ROLE_BIG,
    ROLE_ENTRY,
    ROLE_NOTICE,
    ROLE_HINT,
    ROLE_MARKER, /* TEST MODE */
    ROLE_MORE,   /* "▲ …" / "▼ …": the body goes on above or below */
};

struct layout_row {
    enum layout_role role;
    char text[LAYOUT_ROW_MAX];
};

struct layout {
    struct layout_row *rows; /* exactly `height` rows */
    int width, height;
    int too_small; /* the terminal is smaller than the minimum */
};

/*
 * Lays out V for a terminal of COLS x ROWS: the title (up to two rows),
 * the marker on a row of its own below it when V is in test mode or has
 * no sound, a blank row, the body, and at the bottom the notice (up to
 * three rows) and the hint (up to three rows, two below 20 rows), each
 * ending in "…" when it needs more. On a small screen these give up rows,
 * down to one each, to leave the body at least three. MARKER is the
 * translated text of the marker and TOO_SMALL the message shown when the
 * terminal is smaller than LAYOUT_MIN_COLS x LAYOUT_MIN_ROWS. The caller
 * frees OUT's rows with layout_free().
 */
void layout_build(const struct view *v, int cols, int rows, const char *marker,
                  const char *too_small, struct layout *out);

/*
 * Lays out V for magnified text, COLS x ROWS counted in large characters
 * (a few of each even on a big screen): the title on one row when there
 * are at least three (ending in "…" when longer), then the essential items
 * (view_item.essential, in order, each wrapped whole, as long as a row is
 * left for the focused option), then the notice and the other items
 * without blank rows or hint, scrolled so that the focused option (and its
 * neighbours when they fit) is visible. The selected
 * option is marked with ">" (the console fonts have no "▶"). There is no
 * minimum size; the caller picks a text size that leaves at least
 * LAYOUT_MAG_MIN_COLS x LAYOUT_MAG_MIN_ROWS. The caller frees OUT's rows.
 */
#define LAYOUT_MAG_MIN_COLS 6
#define LAYOUT_MAG_MIN_ROWS 2
void layout_build_magnified(const struct view *v, int cols, int rows,
                            struct layout *out);

void layout_free(struct layout *l);

/* Display width of a UTF-8 string in terminal cells. */
int layout_width(const char *s);

/*
 * Splits the UTF-8 TEXT into lines of at most WIDTH cells at spaces
 * (breaking longer words). Calls EMIT for each line. Returns the count.
 */
int layout_wrap(const char *text, int width,
                void (*emit)(void *ctx, const char *line, size_t len),
                void *ctx);

#endif
