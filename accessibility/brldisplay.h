/*
 * A refreshable Braille display, reached through BRLTTY's BrlAPI: BRLTTY
 * drives the hardware (nearly every display on the market), the kiosk is
 * one BrlAPI client that writes whole lines of cells (louis.h makes them)
 * and reads the display's keys as a few abstract commands.
 *
 * The client takes the display at the root of BRLTTY's tty tree, so it
 * gets it whatever virtual terminal BRLTTY follows: on the appliance
 * BRLTTY runs without a screen driver and never reads or takes over the
 * console (docs/braille.md).
 *
 * Like the keypad, losing the display never stops anything: when BRLTTY
 * is not running, restarts, or reports a display of no cells (unplugged),
 * the display is "lost", brldisplay_next() says so once, and the
 * connection is tried again every retry_ms until it works ("back"). The
 * loop polls brldisplay_fd() (an epoll descriptor holding the BrlAPI
 * socket and a timer), calls brldisplay_dispatch() when it is readable and
 * takes events with brldisplay_next().
 */
#ifndef DAUYS_ACCESSIBILITY_BRLDISPLAY_H
#define DAUYS_ACCESSIBILITY_BRLDISPLAY_H

#include <stdbool.h>
#include <stddef.h>

#define BRLDISPLAY_RETRY_MS 1000

/* What a key of the display asks for. */
enum brldisplay_cmd {
    BRLDISPLAY_LINE_UP,   /* previous line */
    BRLDISPLAY_LINE_DOWN, /* next line */
    BRLDISPLAY_PAN_LEFT,  /* the previous display-width of the line */
    BRLDISPLAY_PAN_RIGHT, /* the next display-width of the line */
    BRLDISPLAY_TOP,       /* the first line */
    BRLDISPLAY_BOTTOM,    /* the last line */
    BRLDISPLAY_HOME,      /* back to the focused item */
    BRLDISPLAY_ROUTE,     /* a routing key, arg: its cell (0-based) */
    BRLDISPLAY_SELECT,    /* Enter on the display's keyboard */
    BRLDISPLAY_BACK,      /* Escape */
    BRLDISPLAY_DELETE,    /* Backspace */
    BRLDISPLAY_HELP,
    BRLDISPLAY_DIGIT, /* a digit typed on the display, arg: 0-9 */
};

enum brldisplay_event_kind {
    BRLDISPLAY_EVENT_KEY,
    BRLDISPLAY_EVENT_LOST, /* not reachable (brldisplay_problem() says why) */
    BRLDISPLAY_EVENT_BACK, /* reachable again */
};

struct brldisplay_event {
    enum brldisplay_event_kind kind;
    enum brldisplay_cmd cmd; /* BRLDISPLAY_EVENT_KEY */
    unsigned arg;
};

struct brldisplay_options {
    const char *host;  /* BrlAPI host (":0", "127.0.0.1:1"…); NULL or "":
                          $BRLAPI_HOST, else BrlAPI's default */
    unsigned retry_ms; /* 0: BRLDISPLAY_RETRY_MS */
};

struct brldisplay;

/*
 * Tries to connect. Returns the display (the caller closes it with
 * brldisplay_close()), lost when BRLTTY cannot be reached (the first
 * event says so); or NULL with *why (caller frees) when the descriptors
 * cannot be created at all.
 */
struct brldisplay *brldisplay_open(const struct brldisplay_options *opt,
                                   char **why);

/* Leaves the display and frees D. NULL is a no-op. */
void brldisplay_close(struct brldisplay *d);

/* The descriptor to poll. Valid until brldisplay_close(). */
int brldisplay_fd(const struct brldisplay *d);

/* Reads pending keys, checks the display, retries a lost one when its
 * time has come. Never blocks for long (a local socket). */
void brldisplay_dispatch(struct brldisplay *d);

/* Takes the next event into *EV; false when none is pending. */
bool brldisplay_next(struct brldisplay *d, struct brldisplay_event *ev);

/* The number of cells of the text line; 0 while lost. */
unsigned brldisplay_width(const struct brldisplay *d);

/* True while connected to a display. */
bool brldisplay_present(const struct brldisplay *d);

/* Why the display is not reachable (valid until the next call into D), or
 * NULL while it works. */
const char *brldisplay_problem(const struct brldisplay *d);

/*
 * Shows N CELLS (bit 0 = dot 1) on the display, cut or padded with blank
 * cells to its width. Writes only when they differ from what it shows
 * (after a reconnection, always). A failure makes the display lost.
 */
void brldisplay_write(struct brldisplay *d, const unsigned char *cells,
                      size_t n);

#endif
