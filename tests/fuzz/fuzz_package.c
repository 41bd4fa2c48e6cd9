/*
 * Fuzzes the election-package parser and validator: any bytes must give
 * either a valid election or a report, never a crash, a leak or undefined
 * behaviour. A valid result must also satisfy the invariants the rest of
 * the program relies on (positions contiguous, against-all last, boxes on
 * the paper), so the fuzzer checks those too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ballot/election.h"
#include "ballot/package.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_invariants(const struct election *e)
{
    if (e->n_ballots < 1 || e->n_ballots > 8 || strlen(e->hash) != 64)
        abort();
    for (size_t i = 0; i < e->n_ballots; i++) {
        const struct election_ballot *b = &e->ballots[i];
        if (b->n_options < 1 || b->n_options > 64 || b->max_marks < 1 ||
            (size_t)b->max_marks > b->n_options ||
            b->title.s[ELECTION_KK] == NULL ||
            b->title.s[ELECTION_RU] == NULL ||
            election_find_ballot(e, b->id) != b)
            abort();
        for (size_t j = 0; j < b->n_options; j++) {
            const struct election_option *o = &b->options[j];
            if (o->position != (int)j + 1 ||
                (o->against_all && j + 1 != b->n_options) ||
                o->label.s[ELECTION_KK] == NULL ||
                o->box.x_mm + o->box.w_mm > b->paper_w_mm ||
                o->box.y_mm + o->box.h_mm > b->paper_h_mm)
                abort();
        }
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct election *e = NULL;
    char *why = NULL;
    if (package_parse((const char *)data, size, &e, &why) == 0) {
        if (why != NULL)
            abort();
        check_invariants(e);
        election_free(e);
    } else {
        if (why == NULL || e != NULL)
            abort();
        free(why);
    }
    return 0;
}
