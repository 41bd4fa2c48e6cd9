/*
 * The refreshable Braille display of the kiosk: the view model as lines of
 * Braille, one line at a time on the display, and the display's keys as
 * kiosk keys.
 *
 * The lines of a view are its title, its notice, its items (options,
 * paragraphs, big numbers, fields; not the QR code's blocks) and its hint,
 * each translated in its own language through louis.h (contracted or not,
 * numbers never). The display shows the focused option (the title when
 * there is none); a new notice is shown at once. The display's keys move
 * among the lines (line up/down), along a line longer than the display
 * (pan left/right, which goes on into the next or previous line), to the
 * first or last line, or back to the focused one. Whenever the display
 * comes to rest on an option the app's focus is moved there (with Up and
 * Down keys, so that speech and screen follow), and a routing key on an
 * option chooses it (focus, then Enter): screen, speech and Braille never
 * disagree about which option is meant.
 *
 * braille_state is the pure part (unit tested); struct braille adds the
 * BrlAPI connection (accessibility/brldisplay.h) for the loop.
 */
#ifndef DAUYS_KIOSK_BRAILLE_H
#define DAUYS_KIOSK_BRAILLE_H

#include <stdbool.h>
#include <stddef.h>

#include "accessibility/action.h"
#include "accessibility/brldisplay.h"
#include "kiosk/view.h"

#define BRAILLE_KEYS_MAX 16

struct braille_state;

/* A new state (no lines yet); free with braille_state_free(). */
struct braille_state *braille_state_new(bool contracted);
void braille_state_free(struct braille_state *st);

/* Takes the view now on screen: rebuilds the lines when it changed and
 * moves to the focused option or a new notice as described above. */
void braille_state_update(struct braille_state *st, const struct view *v);

/* Writes the WIDTH cells to show into CELLS. */
void braille_state_window(const struct braille_state *st, unsigned width,
                          unsigned char *cells);

/* The line shown (0-based index among the view's lines) and the number of
 * lines. */
size_t braille_state_line(const struct braille_state *st);
size_t braille_state_lines(const struct braille_state *st);

/*
 * Carries out display command CMD (ARG: its cell or digit) on a display
 * of WIDTH cells, for the view V last given to braille_state_update().
 * Writes the kiosk keys it causes into KEYS (at most BRAILLE_KEYS_MAX) and
 * returns how many.
 */
size_t braille_state_command(struct braille_state *st, const struct view *v,
                             unsigned width, enum brldisplay_cmd cmd,
                             unsigned arg, struct key *keys);

struct braille_options {
    const char *host; /* BrlAPI host; NULL or "": the default */
    bool contracted;
};

enum braille_event_kind {
    BRAILLE_EVENT_KEY,
    BRAILLE_EVENT_LOST,
    BRAILLE_EVENT_BACK,
};

struct braille_event {
    enum braille_event_kind kind;
    struct key key; /* BRAILLE_EVENT_KEY */
};

struct braille;

/* Opens the display (lost when BRLTTY is not there: retried). NULL with
 * *why (caller frees) only when descriptors cannot be made. Free with
 * braille_close(). */
struct braille *braille_open(const struct braille_options *opt, char **why);
void braille_close(struct braille *b);

/* The descriptor the loop polls. */
int braille_fd(const struct braille *b);

/* Reads what the display sent; call when braille_fd() is readable. */
void braille_dispatch(struct braille *b);

/* Takes the next event for the view V now on screen; false when none. */
bool braille_next(struct braille *b, const struct view *v,
                  struct braille_event *ev);

/* Shows view V (after each refresh of the screen). */
void braille_show(struct braille *b, const struct view *v);

/* Why the display is not reachable, or NULL while it is. */
const char *braille_problem(const struct braille *b);

#endif
