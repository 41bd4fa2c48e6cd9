/*
 * The voter's session over one election: which ballot the voter is on,
 * which window of each ballot has the focus, and which options the voter
 * has chosen, at most max_marks per ballot. It is the only place a choice
 * exists, and it exists only in memory: nothing here logs, stores or
 * prints, and flow_free() (like flow_wipe()) overwrites every choice and
 * every cursor with sodium_memzero before the memory is released.
 *
 * The guidance that tells a voter where to mark is derived here as data
 * (window number counted from the top, number of windows, the corner that
 * is cut, the Braille cells beside the window, which side of the row the
 * box is on), so that the kiosk only has to put it into words. The flow
 * keeps a pointer to the election, which must outlive it.
 */
#ifndef DAUYS_BALLOT_FLOW_H
#define DAUYS_BALLOT_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballot/braille.h"
#include "ballot/election.h"

/* What flow_choose() answers besides 0 (chosen). */
enum flow_result {
    FLOW_OK = 0,
    FLOW_FULL = -1,    /* max_marks already chosen: refused */
    FLOW_INVALID = -2, /* no such ballot or option */
};

/* Where, seen from the row's text, the box that is marked lies. */
enum flow_side { FLOW_SIDE_RIGHT, FLOW_SIDE_LEFT };

/* Everything a voter needs to find and mark one window. */
struct flow_guidance {
    int window;             /* the option's position: 1 is the top window */
    int n_windows;          /* windows on this stencil */
    enum corner_cut corner; /* the corner cut off ballot and stencil */
    enum flow_side side;    /* the box is to this side of the row's text */
    bool against_all;       /* the "against all" row */
    uint8_t cells[BRAILLE_NUMBER_MAX_CELLS]; /* the Braille number */
    size_t n_cells;
};

struct flow;

/*
 * Starts a session over E (not copied: E must outlive the flow), on the
 * first ballot with the focus on its first window and nothing chosen. The
 * caller frees the flow with flow_free().
 */
struct flow *flow_new(const struct election *e);

/* Wipes every choice and cursor, then frees F. NULL is a no-op. */
void flow_free(struct flow *f);

/* Forgets every choice and returns to the first ballot's first window. */
void flow_wipe(struct flow *f);

/* The election, the number of ballots and the current ballot (0-based). */
const struct election *flow_election(const struct flow *f);
size_t flow_n_ballots(const struct flow *f);
size_t flow_ballot_index(const struct flow *f);
const struct election_ballot *flow_ballot(const struct flow *f);

/* Moves to ballot I; returns 0, or FLOW_INVALID (nothing changes). */
int flow_goto_ballot(struct flow *f, size_t i);

/* The focused option of the current ballot (0-based), and moving it by
 * DIR (-1 or +1); returns true when it moved, false at either end. */
size_t flow_cursor(const struct flow *f);
bool flow_move(struct flow *f, int dir);
/* Puts the focus on option I of the current ballot; false if none. */
bool flow_focus(struct flow *f, size_t i);

/* True when option OPT of ballot B is chosen. */
bool flow_is_chosen(const struct flow *f, size_t b, size_t opt);

/*
 * Chooses option OPT of ballot B. Returns FLOW_OK (also when it already
 * was chosen), FLOW_FULL when the ballot's max_marks are already chosen
 * (nothing changes; the voter must be told), or FLOW_INVALID.
 */
int flow_choose(struct flow *f, size_t b, size_t opt);

/* Takes back the choice of option OPT of ballot B (a no-op when it was
 * not chosen). Returns FLOW_OK or FLOW_INVALID. */
int flow_unchoose(struct flow *f, size_t b, size_t opt);

/* How many options of ballot B are chosen, and how many more may be. */
size_t flow_n_chosen(const struct flow *f, size_t b);
size_t flow_remaining(const struct flow *f, size_t b);

/* The K-th chosen option of ballot B in paper order (0-based), or -1. */
long flow_chosen_at(const struct flow *f, size_t b, size_t k);

/* Fills G for option OPT of ballot B; returns 0 or FLOW_INVALID. */
int flow_guidance(const struct flow *f, size_t b, size_t opt,
                  struct flow_guidance *g);

#endif
