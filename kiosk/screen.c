/*
 * What all screens share: construction and destruction. The struct screen
 * is wiped before it is freed: the app keeps the focused option's id in
 * it, and on a voter's screen that id may be a candidate.
 */
#include "kiosk/screen.h"

#include <stdlib.h>

#include <sodium.h>

#include "accessibility/xalloc.h"

struct screen *
screen_new(const struct screen_ops *ops, void *state)
{
    struct screen *s = xcalloc(1, sizeof *s);
    s->ops = ops;
    s->state = state;
    return s;
}

void
screen_free(struct screen *s)
{
    if (s == NULL)
        return;
    if (s->ops->free != NULL)
        s->ops->free(s->state);
    else
        free(s->state);
    sodium_memzero(s, sizeof *s);
    free(s);
}
