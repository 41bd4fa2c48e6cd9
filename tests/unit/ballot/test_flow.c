/*
 * The voter's session: ballot and window cursors, choices up to
 * max_marks (refused beyond, never silently), taking a choice back, the
 * guidance for a window, the wipe that leaves nothing chosen, and the
 * free that hands back only wiped memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ballot/flow.h"
#include "ballot/package.h"
#include "tests/unit/free_hook.h"
#include "tests/unit/unit.h"

/* The package around BALLOTS (a list of ballot objects). */
#define PACKAGE(ballots)                                                       \
    "{\"format\":\"dauys-election/1\",\"id\":\"t\",\"test\":true,"             \
    "\"date\":\"2026-03-15\",\"title\":{\"kk\":\"a\",\"ru\":\"a\"},"           \
    "\"ballots\":[" ballots "]}"

/* The demo's shape: boxes right, top-right cut. */
#define BALLOT_ONE                                                             \
    "{\"id\":\"one\",\"kind\":\"parties\","                                    \
    "\"title\":{\"kk\":\"b\",\"ru\":\"b\"},"                                   \
    "\"max_marks\":1,\"paper\":{\"width_mm\":148,\"height_mm\":210,"           \
    "\"corner_cut\":\"top-right\"},\"options\":["                              \
    "{\"id\":\"p1\",\"position\":1,\"label\":{\"kk\":\"P1\",\"ru\":\"P1\"},"   \
    "\"box\":{\"x_mm\":118,\"y_mm\":40,\"w_mm\":14,\"h_mm\":10}},"             \
    "{\"id\":\"p2\",\"position\":2,\"label\":{\"kk\":\"P2\",\"ru\":\"P2\"},"   \
    "\"box\":{\"x_mm\":118,\"y_mm\":60,\"w_mm\":14,\"h_mm\":10}},"             \
    "{\"id\":\"aa\",\"position\":3,\"against_all\":true,"                      \
    "\"label\":{\"kk\":\"AA\",\"ru\":\"AA\"},"                                 \
    "\"box\":{\"x_mm\":118,\"y_mm\":80,\"w_mm\":14,\"h_mm\":10}}]}"

/* A two-mark ballot with boxes at the left and no corner cut. */
#define BALLOT_TWO                                                             \
    "{\"id\":\"two\",\"kind\":\"candidates\","                                 \
    "\"title\":{\"kk\":\"c\",\"ru\":\"c\"},"                                   \
    "\"max_marks\":2,\"paper\":{\"width_mm\":148,\"height_mm\":210,"           \
    "\"corner_cut\":\"none\"},\"options\":["                                   \
    "{\"id\":\"c1\",\"position\":1,\"label\":{\"kk\":\"C1\",\"ru\":\"C1\"},"   \
    "\"box\":{\"x_mm\":10,\"y_mm\":40,\"w_mm\":14,\"h_mm\":10}},"              \
    "{\"id\":\"c2\",\"position\":2,\"label\":{\"kk\":\"C2\",\"ru\":\"C2\"},"   \
    "\"box\":{\"x_mm\":10,\"y_mm\":60,\"w_mm\":14,\"h_mm\":10}},"              \
    "{\"id\":\"c3\",\"position\":3,\"label\":{\"kk\":\"C3\",\"ru\":\"C3\"},"   \
    "\"box\":{\"x_mm\":10,\"y_mm\":80,\"w_mm\":14,\"h_mm\":10}},"              \
    "{\"id\":\"c4\",\"position\":4,\"label\":{\"kk\":\"C4\",\"ru\":\"C4\"},"   \
    "\"box\":{\"x_mm\":10,\"y_mm\":100,\"w_mm\":14,\"h_mm\":10}}]}"

static const char two_ballots[] = PACKAGE(BALLOT_ONE "," BALLOT_TWO);

/* One ballot, so that no block of a flow has a reason to hold anything
 * but zeros once it is wiped (two ballots would need an offset). */
static const char one_ballot[] = PACKAGE(BALLOT_TWO);

static struct election *
parse(const char *json)
{
    struct election *e = NULL;
    unit_ok(package_parse(json, strlen(json), &e, unit_why()));
    return e;
}

static void
test_cursor_stays_within_the_ballot(void **state)
{
    (void)state;
    struct election *e = parse(two_ballots);
    struct flow *f = flow_new(e);
    assert_int_equal(flow_n_ballots(f), 2);
    assert_int_equal(flow_ballot_index(f), 0);
    assert_int_equal(flow_cursor(f), 0);
    assert_false(flow_move(f, -1));
    assert_true(flow_move(f, 1));
    assert_true(flow_move(f, 1));
    assert_false(flow_move(f, 1));
    assert_int_equal(flow_cursor(f), 2);
    /* Each ballot keeps its own cursor. */
    assert_int_equal(flow_goto_ballot(f, 1), FLOW_OK);
    assert_int_equal(flow_cursor(f), 0);
    assert_string_equal(flow_ballot(f)->id, "two");
    assert_int_equal(flow_goto_ballot(f, 2), FLOW_INVALID);
    assert_int_equal(flow_ballot_index(f), 1);
    assert_true(flow_focus(f, 3));
    assert_false(flow_focus(f, 4));
    assert_int_equal(flow_goto_ballot(f, 0), FLOW_OK);
    assert_int_equal(flow_cursor(f), 2);
    flow_free(f);
    election_free(e);
}

static void
test_one_mark_ballot_refuses_a_second(void **state)
{
    (void)state;
    struct election *e = parse(two_ballots);
    struct flow *f = flow_new(e);
    assert_int_equal(flow_remaining(f, 0), 1);
    assert_int_equal(flow_choose(f, 0, 1), FLOW_OK);
    assert_true(flow_is_chosen(f, 0, 1));
    assert_int_equal(flow_remaining(f, 0), 0);
    assert_int_equal(flow_choose(f, 0, 1), FLOW_OK); /* again: no change */
    assert_int_equal(flow_choose(f, 0, 0), FLOW_FULL);
    assert_false(flow_is_chosen(f, 0, 0));
    assert_int_equal(flow_n_chosen(f, 0), 1);
    /* Changing: take the choice back, choose another. */
    assert_int_equal(flow_unchoose(f, 0, 1), FLOW_OK);
    assert_int_equal(flow_choose(f, 0, 2), FLOW_OK);
    assert_int_equal(flow_chosen_at(f, 0, 0), 2);
    assert_int_equal(flow_chosen_at(f, 0, 1), -1);
    /* The other ballot is untouched. */
    assert_int_equal(flow_n_chosen(f, 1), 0);
    assert_int_equal(flow_choose(f, 5, 0), FLOW_INVALID);
    assert_int_equal(flow_choose(f, 0, 3), FLOW_INVALID);
    flow_free(f);
    election_free(e);
}

static void
test_two_marks_counted_down_then_refused(void **state)
{
    (void)state;
    struct election *e = parse(two_ballots);
    struct flow *f = flow_new(e);
    assert_int_equal(flow_remaining(f, 1), 2);
    assert_int_equal(flow_choose(f, 1, 3), FLOW_OK);
    assert_int_equal(flow_remaining(f, 1), 1);
    assert_int_equal(flow_choose(f, 1, 0), FLOW_OK);
    assert_int_equal(flow_remaining(f, 1), 0);
    assert_int_equal(flow_choose(f, 1, 2), FLOW_FULL);
    /* Paper order, not the order of choosing. */
    assert_int_equal(flow_chosen_at(f, 1, 0), 0);
    assert_int_equal(flow_chosen_at(f, 1, 1), 3);
    assert_int_equal(flow_unchoose(f, 1, 0), FLOW_OK);
    assert_int_equal(flow_remaining(f, 1), 1);
    assert_int_equal(flow_choose(f, 1, 2), FLOW_OK);
    flow_free(f);
    election_free(e);
}

static void
test_guidance_for_a_window(void **state)
{
    (void)state;
    struct election *e = parse(two_ballots);
    struct flow *f = flow_new(e);
    struct flow_guidance g;
    assert_int_equal(flow_guidance(f, 0, 2, &g), FLOW_OK);
    assert_int_equal(g.window, 3);
    assert_int_equal(g.n_windows, 3);
    assert_int_equal(g.corner, CORNER_TOP_RIGHT);
    assert_int_equal(g.side, FLOW_SIDE_RIGHT);
    assert_true(g.against_all);
    assert_int_equal(g.n_cells, 2);
    assert_int_equal(g.cells[0], BRAILLE_NUMBER_SIGN);
    assert_int_equal(g.cells[1], braille_digit(3));
    assert_int_equal(flow_guidance(f, 1, 3, &g), FLOW_OK);
    assert_int_equal(g.window, 4);
    assert_int_equal(g.n_windows, 4);
    assert_int_equal(g.corner, CORNER_NONE);
    assert_int_equal(g.side, FLOW_SIDE_LEFT);
    assert_false(g.against_all);
    assert_int_equal(flow_guidance(f, 1, 4, &g), FLOW_INVALID);
    flow_free(f);
    election_free(e);
}

static void
test_wipe_forgets_everything(void **state)
{
    (void)state;
    struct election *e = parse(two_ballots);
    struct flow *f = flow_new(e);
    flow_choose(f, 0, 1);
    flow_choose(f, 1, 2);
    flow_goto_ballot(f, 1);
    flow_focus(f, 2);
    flow_wipe(f);
    assert_int_equal(flow_ballot_index(f), 0);
    assert_int_equal(flow_cursor(f), 0);
    for (size_t b = 0; b < 2; b++) {
        assert_int_equal(flow_n_chosen(f, b), 0);
        assert_int_equal(flow_remaining(f, b), (size_t)e->ballots[b].max_marks);
    }
    flow_goto_ballot(f, 1);
    assert_int_equal(flow_cursor(f), 0);
    flow_free(f);
    flow_free(NULL);
    election_free(e);
}

/* flow_free() gives no choice and no cursor back to the allocator: every
 * block it frees is zero throughout, seen through the free() wrapper
 * (tests/unit/free_hook.h). */
static void
test_free_hands_back_only_zeros(void **state)
{
    (void)state;
    struct election *e = parse(one_ballot);
    struct flow *f = flow_new(e);
    assert_int_equal(flow_choose(f, 0, 0), FLOW_OK);
    assert_int_equal(flow_choose(f, 0, 2), FLOW_OK);
    assert_true(flow_focus(f, 3));
    /* The hook sees a block that is not zero (volatile: the compiler may
     * not leave out a block that is freed unread). */
    free_hook_reset();
    free_hook_start();
    unsigned char *volatile control = calloc(1, 16);
    assert_non_null(control);
    control[15] = 1;
    free(control);
    assert_int_equal(free_hook_dirty(), 1);
    free_hook_reset();

    free_hook_start();
    flow_free(f);
    size_t frees = free_hook_frees(), dirty = free_hook_dirty();
    free_hook_reset();
    assert_true(frees > 0);
    assert_int_equal(dirty, 0);
    election_free(e);
}

static void
test_demo_package_guidance(void **state)
{
    (void)state;
    struct election *e = NULL;
    unit_ok(package_read("data/demo/election", &e, unit_why()));
    struct flow *f = flow_new(e);
    struct flow_guidance g;
    /* district-7, the fourth candidate: window 4 of 7, number sign + d. */
    assert_int_equal(flow_guidance(f, 1, 3, &g), FLOW_OK);
    assert_int_equal(g.window, 4);
    assert_int_equal(g.n_windows, 7);
    assert_int_equal(g.corner, CORNER_TOP_RIGHT);
    assert_int_equal(g.side, FLOW_SIDE_RIGHT);
    assert_int_equal(g.cells[1], braille_digit(4));
    flow_free(f);
    election_free(e);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_cursor_stays_within_the_ballot),
          cmocka_unit_test(test_one_mark_ballot_refuses_a_second),
          cmocka_unit_test(test_two_marks_counted_down_then_refused),
          cmocka_unit_test(test_guidance_for_a_window),
          cmocka_unit_test(test_wipe_forgets_everything),
          cmocka_unit_test(test_free_hands_back_only_zeros),
          cmocka_unit_test(test_demo_package_guidance))
