/*
 * The terminal: the only part of dauys that knows ncurses (tty.c is the one
 * file that includes <curses.h>). It reads keys as term_keys, draws a
 * layout, follows size changes, and restores the terminal on every exit
 * path, including from a crash-signal handler.
 */
#ifndef DAUYS_KIOSK_TTY_H
#define DAUYS_KIOSK_TTY_H

#include <stdbool.h>

#include "accessibility/action.h"
#include "kiosk/view.h"

struct tty;

/*
 * Takes over the terminal on standard input and output: saves its termios
 * (for tty_emergency_restore()), enters the alternate screen, raw mode (so
 * Ctrl-C, Ctrl-Z and Ctrl-\ arrive as characters, never as signals), hides
 * the cursor. Returns NULL with *why (caller frees) when stdin/stdout is
 * not a terminal or curses cannot start.
 */
struct tty *tty_open(char **why);

/* Restores the terminal and frees T. Idempotent; NULL is a no-op. */
void tty_close(struct tty *t);

/* The file descriptor to poll for input. */
int tty_fd(const struct tty *t);

/*
 * Reads one pending key. Returns 1 and fills *k, 0 when no key is
 * pending. Control characters Ctrl-C, Ctrl-Z and Ctrl-\ are returned as
 * ACTION_NONE keys; *ctrl_quit is set for Ctrl-C and Ctrl-\ so that the
 * loop can quit outside --kiosk.
 */
int tty_read_key(struct tty *t, struct key *k, bool *ctrl_quit);

/* Follows a change of the terminal's size (after SIGWINCH). */
void tty_resize(struct tty *t);

/* Size in cells. */
void tty_size(const struct tty *t, int *cols, int *rows);

/* Texts the terminal shows that are not part of a view (translated). */
struct tty_texts {
    const char *marker;    /* TEST MODE / NO SOUND marker, top right */
    const char *too_small; /* the terminal is smaller than the minimum */
    const char *curtain;   /* shown instead of the screen behind the
                              privacy curtain */
};

/*
 * Draws V in its theme (v->theme) and text size (v->text_size; sizes 2-4
 * drawn with the large console-font glyphs, falling back to the largest
 * size that leaves LAYOUT_MAG_MIN_COLS x LAYOUT_MAG_MIN_ROWS characters).
 * Behind the curtain (v->curtain) only TX->curtain is shown.
 */
void tty_render(struct tty *t, const struct view *v,
                const struct tty_texts *tx);

/* The largest text size this terminal can show: 4 when the large console
 * fonts loaded, else 1 (tty_open() logs why). */
int tty_max_text_size(const struct tty *t);

/* Number of colours the terminal shows, and whether it can redefine them. */
int tty_colors(const struct tty *t, bool *can_change);

/*
 * Async-signal-safe: puts the terminal back as tty_open() found it (normal
 * screen, visible cursor, saved termios). For crash-signal handlers.
 */
void tty_emergency_restore(void);

#endif
