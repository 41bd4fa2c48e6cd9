/*
 * The keypad's pure half: a recorded sequence of device events (key press
 * and release with their times, device added, device removed) in, actions
 * and "keypad lost" / "keypad back" events out. No I/O and no clock: the
 * times come with the events, so the rules below are unit-tested on
 * recorded sequences; accessibility/keypad.c feeds it from libinput.
 *
 * Rules:
 * - A key acts when it is pressed, never when it is released.
 * - Auto-repeat is ignored: libinput reports no repeats, but a press of a
 *   key that is already down (a repeat from another source, or a missed
 *   release) never acts again. A key held down acts once.
 * - Accidental double presses are rejected: a press of the same key that
 *   comes less than double_press_ms (0..500; 0: off) after that key was
 *   released does not act. The window restarts at every release of the
 *   key, rejected presses included, so a trembling hand's burst of presses
 *   acts once. Another key is never rejected.
 * - Keys never need to be pressed together: each press acts alone,
 *   whatever else is held.
 * - Device removed: "lost" (once), and every key counts as released
 *   without acting. Device added after a loss: "back". The first "added"
 *   after start is silent; a "removed" before any "added" (the device was
 *   missing at start) reports "lost". Keys while the device is not present
 *   are ignored, as are releases of keys never seen pressed.
 * - ACTION_STAFF is never produced, whatever the profile says.
 */
#ifndef DAUYS_ACCESSIBILITY_KEYPAD_FILTER_H
#define DAUYS_ACCESSIBILITY_KEYPAD_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "accessibility/action.h"
#include "accessibility/keyprofile.h"

#define KEYPAD_DOUBLE_PRESS_MAX_MS 500
#define KEYPAD_DOUBLE_PRESS_DEFAULT_MS 150

enum keypad_input_kind {
    KEYPAD_IN_KEY,     /* code, pressed, time_ms */
    KEYPAD_IN_ADDED,   /* the device is there and readable */
    KEYPAD_IN_REMOVED, /* unplugged, failed, or could not be opened */
};

struct keypad_input {
    enum keypad_input_kind kind;
    unsigned code;    /* evdev key code */
    bool pressed;     /* true: press; false: release */
    uint64_t time_ms; /* monotonic */
};

enum keypad_event_kind {
    KEYPAD_EVENT_KEY,  /* key: act on it */
    KEYPAD_EVENT_LOST, /* the keypad went away or is missing */
    KEYPAD_EVENT_BACK, /* the keypad is back */
};

struct keypad_event {
    enum keypad_event_kind kind;
    struct key key;   /* KEYPAD_EVENT_KEY */
    unsigned code;    /* KEYPAD_EVENT_KEY: evdev code */
    uint64_t time_ms; /* KEYPAD_EVENT_KEY: time of the press */
};

struct keypad_filter;

/*
 * Returns a new filter that translates with PROFILE (borrowed; must
 * outlive the filter) and rejects double presses within DOUBLE_PRESS_MS
 * (clamped to 0..KEYPAD_DOUBLE_PRESS_MAX_MS). The caller frees it with
 * keypad_filter_free().
 */
struct keypad_filter *keypad_filter_new(const struct keyprofile *profile,
                                        unsigned double_press_ms);

/* Frees F. NULL is a no-op. */
void keypad_filter_free(struct keypad_filter *f);

/* Feeds one input. Returns true and fills *EV when it causes an event. */
bool keypad_filter_feed(struct keypad_filter *f, const struct keypad_input *in,
                        struct keypad_event *ev);

/* True while the device is present (added and not removed since). */
bool keypad_filter_present(const struct keypad_filter *f);

#endif
