/*
 * The tactile keypad, read through libinput's path backend from one
 * configured device (`[keypad] device`, `--keypad`), independently of the
 * terminal. The device is grabbed (EVIOCGRAB), so its keys never also
 * reach the console as typed characters: whatever the terminal does with
 * keys, a visitor's keypad only ever produces the actions of its profile,
 * and no profile can name the staff key.
 *
 * The loop polls keypad_fd() (one epoll descriptor holding libinput's
 * descriptor and a retry timer), calls keypad_dispatch() when it is
 * readable, then takes events with keypad_next() until it answers false.
 * The translation (profile, auto-repeat, double presses, lost/back) is the
 * pure keypad_filter; this file only moves libinput's events into it.
 *
 * Unplugging and failures: a DEVICE_REMOVED event or a failed dispatch
 * makes the keypad "lost"; from then on the device path is opened again
 * every retry_ms until it works, and the keypad is "back". A device that is
 * missing or unreadable at start is not an error: the keypad starts lost
 * (keypad_next() reports it first) and is retried the same way. Configure
 * a stable path (/dev/input/by-id/…-event-kbd) so that a replugged keypad
 * that gets a new eventN is found again.
 *
 * The test hook (`dauys run --keypad-test FIFO`, refused with --kiosk):
 * build machines have no /dev/input and no /dev/uinput, so instead of a
 * device the keypad may read evdev key events as lines from a named pipe,
 * and they join the real path right where libinput's would (profile,
 * filter, app). A line is "CODE down" or "CODE up", CODE an evdev name
 * (KEY_SPACE) or number (57), optionally followed by "+MS": the event
 * happens MS milliseconds after the previous one of the pipe (to record
 * bounces and holds exactly); without it, when the line is read. Blank
 * lines and lines starting with '#' are skipped; a bad line is reported
 * (keypad_warning()) and skipped.
 */
#ifndef DAUYS_ACCESSIBILITY_KEYPAD_H
#define DAUYS_ACCESSIBILITY_KEYPAD_H

#include <stdbool.h>

#include "accessibility/keypad_filter.h"
#include "accessibility/keyprofile.h"

#define KEYPAD_RETRY_MS 1000

struct keypad_options {
    const char *device;               /* the evdev node to read */
    const struct keyprofile *profile; /* borrowed; outlives the keypad */
    unsigned double_press_ms;         /* 0..500 */
    unsigned retry_ms;                /* 0: KEYPAD_RETRY_MS */
    const char *test_fifo; /* the test hook: read this named pipe instead
                              of DEVICE (see above) */
};

struct keypad;

/*
 * Creates the libinput context and tries to open the device. Returns the
 * keypad (the caller closes it with keypad_close()), lost when the device
 * could not be opened (keypad_problem() says why); or NULL with *why
 * (caller frees) when libinput or the descriptors cannot be created at all.
 */
struct keypad *keypad_open(const struct keypad_options *opt, char **why);

/* Closes the device and frees KP. NULL is a no-op. */
void keypad_close(struct keypad *kp);

/* The descriptor to poll for input. Valid until keypad_close(). */
int keypad_fd(const struct keypad *kp);

/* Reads what is pending on the device and retries a lost device when its
 * time has come. Never blocks. */
void keypad_dispatch(struct keypad *kp);

/* Takes the next event into *EV; false when none is pending. */
bool keypad_next(struct keypad *kp, struct keypad_event *ev);

/* True while the device is open and working. */
bool keypad_present(const struct keypad *kp);

/* Why the device is not working (static until the next call into KP), or
 * NULL while it works. */
const char *keypad_problem(const struct keypad *kp);

/* The message about the last bad line of the test pipe since the previous
 * call (static until the next call into KP), or NULL. */
const char *keypad_warning(struct keypad *kp);

/*
 * Parses one LINE of the test pipe (without its newline) read at NOW_MS;
 * *LAST_MS is the time of the pipe's previous event, updated. Returns 1
 * with the key event in *IN, 0 for a blank or comment line, or -1 with
 * *WHY (caller frees).
 */
int keypad_test_parse(const char *line, uint64_t now_ms, uint64_t *last_ms,
                      struct keypad_input *in, char **why);

/*
 * Checks DEVICE without grabbing it (for `dauys selftest`): opens it
 * through libinput and checks that it has keys. Returns 0 and the
 * device's name in *NAME, or -1 with *why; the caller frees both.
 */
int keypad_probe(const char *device, char **name, char **why);

#endif
