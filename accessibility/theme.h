/*
 * Colour themes whose contrast is measured, not assumed. A theme names the
 * colours it wants for each role on the screen; a palette models what the
 * terminal will really show for a wanted colour (exact through init_color,
 * or the nearest entry of the xterm 8-, 16- or 256-colour palette); the
 * WCAG 2.x contrast ratio is computed from the colours shown. The unit test
 * asserts every theme's worst ratio on every palette, so a theme that looks
 * fine in true colour but collapses on an 8-colour console is caught.
 *
 * Colour is never the only signal: the screen also marks the selected item
 * with a symbol and reverse video, and notices with a word or symbol. No
 * curses here: the kiosk's tty code maps roles to colour pairs.
 */
#ifndef DAUYS_ACCESSIBILITY_THEME_H
#define DAUYS_ACCESSIBILITY_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rgb {
    uint8_t r, g, b;
};

/* The roles of text on the screen; each has its own foreground and
 * background. THEME_SELECTED holds the colours as finally seen: the screen
 * may draw it with A_REVERSE on the swapped pair, which shows the same two
 * colours and so the same contrast. */
enum theme_role {
    THEME_NORMAL,   /* body text and items */
    THEME_HEADING,  /* screen title */
    THEME_SELECTED, /* the focused item */
    THEME_NOTICE,   /* warnings and errors */
    THEME_HINT,     /* the key-hint line */
    THEME_TESTMODE, /* the visible "test mode" marker */
    THEME_ROLES
};

struct theme_pair {
    struct rgb fg, bg;
};

struct theme {
    const char *name; /* stable identifier: "default", "white-on-black" ... */
    struct theme_pair role[THEME_ROLES];
    /* Required worst-case contrast where the palette shows true black
     * (#000000) and true white (#ffffff), and where it does not (the xterm
     * 8-colour palette, whose white is #e5e5e5). */
    double min_ratio;
    double min_ratio_limited;
};

enum theme_palette_kind {
    THEME_PALETTE_TRUE, /* can_change_color: init_color shows the colour */
    THEME_PALETTE_8,    /* ANSI 0-7, xterm defaults */
    THEME_PALETTE_16,   /* ANSI 0-15, xterm defaults */
    THEME_PALETTE_256   /* xterm 256: 16 + 6x6x6 cube + 24 greys */
};

/*
 * What a terminal shows. For THEME_PALETTE_TRUE the list is empty and a
 * colour is shown as init_color can express it (0..1000 per channel).
 * Otherwise colour[i] is the RGB value assumed for colour number i:
 *   0 #000000  1 #cd0000  2 #00cd00  3 #cdcd00
 *   4 #0000ee  5 #cd00cd  6 #00cdcd  7 #e5e5e5
 *   8 #7f7f7f  9 #ff0000 10 #00ff00 11 #ffff00
 *  12 #5c5cff 13 #ff00ff 14 #00ffff 15 #ffffff
 * (xterm's defaults, which the Linux console's bright colours follow
 * closely); 16..231 the cube with levels 0,95,135,175,215,255 and
 * 232..255 greys 8,18,...,238.
 */
struct theme_palette {
    enum theme_palette_kind kind;
    int count;
    struct rgb colour[256];
};

/* Fills P with the palette of KIND (see above). */
void theme_palette_init(struct theme_palette *p, enum theme_palette_kind kind);

/* Picks the palette a terminal offers: true colour when it can change
 * colours and has at least 16 colour slots for the themes' roles, else the
 * largest of 256/16/8 that COLORS allows. */
enum theme_palette_kind theme_palette_pick(int colors, bool can_change);

/* WCAG 2.x relative luminance (0 black .. 1 white) of an sRGB colour. */
double theme_luminance(struct rgb c);

/* WCAG 2.x contrast ratio (1..21) of two colours, in either order. */
double theme_contrast(struct rgb a, struct rgb b);

/* The colour number of P nearest to WANTED by the redmean perceptual
 * distance; -1 for a true-colour palette, where every colour is shown. */
int theme_nearest(const struct theme_palette *p, struct rgb wanted);

/* The colour the terminal shows for WANTED under P. */
struct rgb theme_shown(const struct theme_palette *p, struct rgb wanted);

/* A channel value 0..255 as a curses init_color level 0..1000. */
short theme_curses_level(uint8_t v);

/* The worst contrast ratio across T's roles, each role's foreground against
 * its background, both as shown under P. */
double theme_min_contrast(const struct theme *t, const struct theme_palette *p);

/* The ratio T must reach under P: min_ratio where P shows true black and
 * true white, else min_ratio_limited. */
double theme_required(const struct theme *t, const struct theme_palette *p);

/* The built-in themes, in cycling order; index 0 is the default; NULL when
 * I >= theme_count(). The returned pointers are to static constant data:
 * never freed. */
size_t theme_count(void);
const struct theme *theme_at(size_t i);

/* The theme called NAME, or NULL when there is none. */
const struct theme *theme_find(const char *name);

/* The theme after T in cycling order (wrapping to the first); the first
 * theme when T is NULL or not a built-in theme. */
const struct theme *theme_next(const struct theme *t);

#endif
