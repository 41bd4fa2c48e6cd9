/*
 * The election model's lifetime and look-ups. The model is built only by
 * package.c, after the whole package has been validated, so every function
 * here can rely on the invariants of election.h (ids unique, positions
 * contiguous); freeing copes with a half-built model as well, because the
 * parser frees what it had built when validation fails.
 */
#include "ballot/election.h"

#include <stdlib.h>
#include <string.h>

static void
election_text_clear(struct election_text *t)
{
    for (int l = 0; l < ELECTION_LANGS; l++) {
        free(t->s[l]);
        t->s[l] = NULL;
    }
}

void
election_option_clear(struct election_option *o)
{
    election_text_clear(&o->label);
    election_text_clear(&o->details);
    election_text_clear(&o->say);
}

static void
election_ballot_clear(struct election_ballot *b)
{
    election_text_clear(&b->title);
    election_text_clear(&b->instructions);
    for (size_t i = 0; i < b->n_options; i++)
        election_option_clear(&b->options[i]);
    free(b->options);
    b->options = NULL;
    b->n_options = 0;
}

void
election_free(struct election *e)
{
    if (e == NULL)
        return;
    election_text_clear(&e->title);
    for (size_t i = 0; i < e->n_ballots; i++)
        election_ballot_clear(&e->ballots[i]);
    free(e->ballots);
    free(e);
}

const struct election_ballot *
election_find_ballot(const struct election *e, const char *id)
{
    if (e == NULL || id == NULL)
        return NULL;
    for (size_t i = 0; i < e->n_ballots; i++) {
        if (strcmp(e->ballots[i].id, id) == 0)
            return &e->ballots[i];
    }
    return NULL;
}
