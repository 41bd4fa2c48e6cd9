/*
 * Tactile symbols for function keys, as ADA 707.6.3.2 describes them for
 * keypads (a raised circle to enter, arrows, a raised X to cancel, plus and
 * minus to add and take away), extended to every kiosk action that a
 * keypad profile may bind. A symbol is a few raised shapes: filled polygons
 * and raised lines TACTILE_LINE_MM wide, with arcs already cut into short
 * segments, so that SVG, PDF and PNG draw exactly the same points. Pure
 * geometry: nothing is drawn here.
 */
#ifndef DAUYS_BALLOT_TACTILE_H
#define DAUYS_BALLOT_TACTILE_H

#include <stddef.h>

#include "accessibility/action.h"

#define TACTILE_LINE_MM 1.0   /* width of a raised line */
#define TACTILE_MAX_PATHS 4   /* shapes of one symbol */
#define TACTILE_MAX_POINTS 40 /* corners of one shape */

struct tactile_path {
    int fill;   /* 1: a filled polygon; 0: a raised line through the points */
    int closed; /* a line that returns to its first point */
    size_t n;
    double x[TACTILE_MAX_POINTS], y[TACTILE_MAX_POINTS]; /* mm */
};

struct tactile_symbol {
    enum action action;
    const char *shape;   /* what it is, in English: "circle", "arrow-up" */
    double cx, cy, size; /* centre and side of its square, mm */
    size_t n_paths;
    struct tactile_path paths[TACTILE_MAX_PATHS];
};

/*
 * Makes the symbol of ACTION centred at CX, CY (mm, y downwards) inside a
 * square of side SIZE mm; the raised lines stay inside the square. Returns
 * 0, or -1 for an action that is no function (none, digit, char, staff)
 * or has no symbol yet, with *OUT untouched.
 */
int tactile_symbol(enum action action, double cx, double cy, double size,
                   struct tactile_symbol *out);

#endif
