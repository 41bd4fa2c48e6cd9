/*
 * The keypad filter (see keypad_filter.h). State per key code: whether it
 * is down and when it was last released; codes beyond KEY_MAX are ignored.
 */
#include "accessibility/keypad_filter.h"

#include <linux/input-event-codes.h>
#include <stdlib.h>

#include "accessibility/xalloc.h"

enum presence { PRESENCE_INITIAL, PRESENCE_PRESENT, PRESENCE_LOST };

struct key_state {
    bool down;
    bool released;        /* released_at is valid */
    uint64_t released_at; /* ms */
};

struct keypad_filter {
    const struct keyprofile *profile;
    unsigned window_ms;
    enum presence presence;
    struct key_state keys[KEY_CNT];
};

struct keypad_filter *
keypad_filter_new(const struct keyprofile *profile, unsigned double_press_ms)
{
    struct keypad_filter *f = xcalloc(1, sizeof *f);
    f->profile = profile;
    f->window_ms = double_press_ms > KEYPAD_DOUBLE_PRESS_MAX_MS
                       ? KEYPAD_DOUBLE_PRESS_MAX_MS
                       : double_press_ms;
    f->presence = PRESENCE_INITIAL;
    return f;
}

void
keypad_filter_free(struct keypad_filter *f)
{
    free(f);
}

static void
filter_forget_keys(struct keypad_filter *f)
{
    for (size_t i = 0; i < KEY_CNT; i++)
        f->keys[i] = (struct key_state){0};
}

static bool
filter_key(struct keypad_filter *f, const struct keypad_input *in,
           struct keypad_event *ev)
{
    if (f->presence != PRESENCE_PRESENT || in->code >= KEY_CNT)
        return false;
    struct key_state *k = &f->keys[in->code];
    if (!in->pressed) {
        if (!k->down)
            return false;
        k->down = false;
        k->released = true;
        k->released_at = in->time_ms;
        return false;
    }
    if (k->down)
        return false; /* a repeat or a missed release: never acts twice */
    k->down = true;
    if (k->released && in->time_ms >= k->released_at &&
        in->time_ms - k->released_at < f->window_ms)
        return false; /* an accidental double press */
    ev->kind = KEYPAD_EVENT_KEY;
    ev->key = keyprofile_key(f->profile, in->code);
    if (ev->key.action == ACTION_STAFF)
        ev->key.action = ACTION_NONE;
    ev->code = in->code;
    ev->time_ms = in->time_ms;
    return true;
}

bool
keypad_filter_feed(struct keypad_filter *f, const struct keypad_input *in,
                   struct keypad_event *ev)
{
    switch (in->kind) {
    case KEYPAD_IN_KEY:
        return filter_key(f, in, ev);
    case KEYPAD_IN_ADDED: {
        bool back = f->presence == PRESENCE_LOST;
        f->presence = PRESENCE_PRESENT;
        if (back)
            *ev = (struct keypad_event){.kind = KEYPAD_EVENT_BACK};
        return back;
    }
    case KEYPAD_IN_REMOVED: {
        bool lost = f->presence != PRESENCE_LOST;
        f->presence = PRESENCE_LOST;
        filter_forget_keys(f);
        if (lost)
            *ev = (struct keypad_event){.kind = KEYPAD_EVENT_LOST};
        return lost;
    }
    default:
        return false;
    }
}

bool
keypad_filter_present(const struct keypad_filter *f)
{
    return f->presence == PRESENCE_PRESENT;
}
