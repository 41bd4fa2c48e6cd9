/*
 * The voter's session (see flow.h). Choices are one byte per option of
 * every ballot in one block, so that wiping the session is one
 * sodium_memzero over one allocation; the cursors live in a second block
 * wiped the same way, because the window a voter lingers on says as much
 * as the one chosen.
 */
#include "ballot/flow.h"

#include <stdlib.h>

#include <sodium.h>

#include "accessibility/xalloc.h"

struct flow {
    const struct election *e;
    size_t ballot;        /* current ballot */
    size_t *cursor;       /* focused option per ballot */
    unsigned char *marks; /* one byte per option, ballots one after another */
    size_t *first;        /* index into marks of each ballot's first option */
    size_t n_marks;
};

struct flow *
flow_new(const struct election *e)
{
    struct flow *f = xcalloc(1, sizeof *f);
    f->e = e;
    size_t nb = e->n_ballots > 0 ? e->n_ballots : 1;
    f->cursor = xcalloc(nb, sizeof *f->cursor);
    f->first = xcalloc(nb, sizeof *f->first);
    for (size_t i = 0; i < e->n_ballots; i++) {
        f->first[i] = f->n_marks;
        f->n_marks += e->ballots[i].n_options;
    }
    f->marks = xcalloc(f->n_marks > 0 ? f->n_marks : 1, 1);
    return f;
}

void
flow_wipe(struct flow *f)
{
    size_t nb = f->e->n_ballots > 0 ? f->e->n_ballots : 1;
    sodium_memzero(f->marks, f->n_marks > 0 ? f->n_marks : 1);
    sodium_memzero(f->cursor, nb * sizeof *f->cursor);
    f->ballot = 0;
}

void
flow_free(struct flow *f)
{
    if (f == NULL)
        return;
    flow_wipe(f);
    free(f->marks);
    free(f->cursor);
    free(f->first);
    sodium_memzero(f, sizeof *f);
    free(f);
}

const struct election *
flow_election(const struct flow *f)
{
    return f->e;
}

size_t
flow_n_ballots(const struct flow *f)
{
    return f->e->n_ballots;
}

size_t
flow_ballot_index(const struct flow *f)
{
    return f->ballot;
}

const struct election_ballot *
flow_ballot(const struct flow *f)
{
    return f->ballot < f->e->n_ballots ? &f->e->ballots[f->ballot] : NULL;
}

int
flow_goto_ballot(struct flow *f, size_t i)
{
    if (i >= f->e->n_ballots)
        return FLOW_INVALID;
    f->ballot = i;
    return FLOW_OK;
}

size_t
flow_cursor(const struct flow *f)
{
    return f->e->n_ballots > 0 ? f->cursor[f->ballot] : 0;
}

bool
flow_move(struct flow *f, int dir)
{
    const struct election_ballot *b = flow_ballot(f);
    if (b == NULL)
        return false;
    size_t *c = &f->cursor[f->ballot];
    if (dir < 0 && *c > 0) {
        (*c)--;
        return true;
    }
    if (dir > 0 && *c + 1 < b->n_options) {
        (*c)++;
        return true;
    }
    return false;
}

bool
flow_focus(struct flow *f, size_t i)
{
    const struct election_ballot *b = flow_ballot(f);
    if (b == NULL || i >= b->n_options)
        return false;
    f->cursor[f->ballot] = i;
    return true;
}

static bool
flow_valid(const struct flow *f, size_t b, size_t opt)
{
    return b < f->e->n_ballots && opt < f->e->ballots[b].n_options;
}

bool
flow_is_chosen(const struct flow *f, size_t b, size_t opt)
{
    return flow_valid(f, b, opt) && f->marks[f->first[b] + opt] != 0;
}

size_t
flow_n_chosen(const struct flow *f, size_t b)
{
    if (b >= f->e->n_ballots)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < f->e->ballots[b].n_options; i++)
        n += f->marks[f->first[b] + i] != 0;
    return n;
}

size_t
flow_remaining(const struct flow *f, size_t b)
{
    if (b >= f->e->n_ballots)
        return 0;
    size_t max = (size_t)f->e->ballots[b].max_marks;
    size_t n = flow_n_chosen(f, b);
    return n < max ? max - n : 0;
}

int
flow_choose(struct flow *f, size_t b, size_t opt)
{
    if (!flow_valid(f, b, opt))
        return FLOW_INVALID;
    if (f->marks[f->first[b] + opt])
        return FLOW_OK;
    if (flow_remaining(f, b) == 0)
        return FLOW_FULL;
    f->marks[f->first[b] + opt] = 1;
    return FLOW_OK;
}

int
flow_unchoose(struct flow *f, size_t b, size_t opt)
{
    if (!flow_valid(f, b, opt))
        return FLOW_INVALID;
    f->marks[f->first[b] + opt] = 0;
    return FLOW_OK;
}

long
flow_chosen_at(const struct flow *f, size_t b, size_t k)
{
    if (b >= f->e->n_ballots)
        return -1;
    for (size_t i = 0; i < f->e->ballots[b].n_options; i++) {
        if (f->marks[f->first[b] + i] && k-- == 0)
            return (long)i;
    }
    return -1;
}

int
flow_guidance(const struct flow *f, size_t b, size_t opt,
              struct flow_guidance *g)
{
    if (!flow_valid(f, b, opt))
        return FLOW_INVALID;
    const struct election_ballot *bal = &f->e->ballots[b];
    const struct election_option *o = &bal->options[opt];
    g->window = o->position;
    g->n_windows = (int)bal->n_options;
    g->corner = bal->corner_cut;
    /* Ballots print the square beside the name; a box whose centre is in
     * the left half of the paper is left of the text. */
    g->side = o->box.x_mm + o->box.w_mm / 2 < bal->paper_w_mm / 2
                  ? FLOW_SIDE_LEFT
                  : FLOW_SIDE_RIGHT;
    g->against_all = o->against_all;
    g->n_cells = braille_number((unsigned long)o->position, g->cells,
                                sizeof g->cells);
    return FLOW_OK;
}
