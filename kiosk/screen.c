/*
 * What all screens share: construction and destruction, fixed menus and
 * the Enter that closes a screen. The struct screen and the state are
 * wiped before they are freed: the app keeps the focused option's id in
 * the screen, and on a voter's screen that id may be a candidate; the
 * state may hold an IIN, a PIN or a choice.
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
    if (s->ops->release != NULL)
        s->ops->release(s->state);
    if (s->state != NULL && s->ops->state_size > 0)
        sodium_memzero(s->state, s->ops->state_size);
    free(s->state);
    sodium_memzero(s, sizeof *s);
    free(s);
}

void
screen_menu(const struct ctx *c, struct view *v, const struct menu_item *items,
            size_t n)
{
    for (size_t i = 0; i < n; i++)
        view_option(v, items[i].id, "%s", T(c, items[i].label));
}

void
screen_choose_close(struct screen *s, const struct ctx *c, int id,
                    struct fx_list *fx)
{
    (void)s;
    (void)c;
    (void)id;
    fx_add(fx, FX_POP);
}
