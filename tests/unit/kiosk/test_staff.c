/*
 * The staff applications screens as pure state machines, driven without
 * the app: keys in (with the focused option's id), FX_SERVICES calls out,
 * answers handed to reply(), the view model read back. The services port
 * given to the screens fails the test if any of its functions is called:
 * every read and write of the store must go out as a call, and the
 * constructors must make none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "accessibility/xalloc.h"
#include "kiosk/screen.h"
#include "kiosk/services_call.h"
#include "tests/unit/kiosk/driver.h"
#include "tests/unit/unit.h"

static int
no_list(void *ctx, const struct store_query *q, store_row_fn fn, void *fctx,
        char **why)
{
    (void)ctx, (void)q, (void)fn, (void)fctx, (void)why;
    fail_msg("a screen read the store itself");
    return -1;
}

static int
no_set_status(void *ctx, const char *number, enum app_status status,
              const char *note, char **why)
{
    (void)ctx, (void)number, (void)status, (void)note, (void)why;
    fail_msg("a screen wrote the store itself");
    return -1;
}

static int
no_accept(void *ctx, const char *number, char **why)
{
    (void)ctx, (void)number, (void)why;
    fail_msg("a screen wrote the store itself");
    return -1;
}

static int
no_export(void *ctx, const char *dir, char **path, long *count, char **why)
{
    (void)ctx, (void)dir, (void)path, (void)count, (void)why;
    fail_msg("a screen exported by itself");
    return -1;
}

static const struct services_ops no_ops = {
    .list = no_list,
    .set_status = no_set_status,
    .accept_iin = no_accept,
    .export_outbox = no_export,
};

struct bench {
    struct i18n *i18n;
    struct services sv;
    struct ctx c;
    struct fx_list fx;
    struct view *v;
};

static struct bench *
bench_new(void)
{
    struct bench *b = xcalloc(1, sizeof *b);
    b->i18n = i18n_new_empty();
    b->sv = (struct services){.centre = "ALM-01", .ops = &no_ops};
    b->c = (struct ctx){.i18n = b->i18n, .lang = LANG_EN, .svc = &b->sv};
    b->v = xcalloc(1, sizeof *b->v);
    return b;
}

static void
bench_free(struct bench *b)
{
    fx_list_free(&b->fx);
    i18n_free(b->i18n);
    free(b->v);
    free(b);
}

/* Builds S's view into B->v. */
static const struct view *
look(struct bench *b, const struct screen *s)
{
    view_reset(b->v, LANG_EN);
    s->ops->view(s, &b->c, b->v);
    return b->v;
}

static bool
shows(struct bench *b, const struct screen *s, const char *text)
{
    return driver_view_shows(look(b, s), text);
}

/* The text of S's option ID, or NULL. */
static const char *
option(struct bench *b, const struct screen *s, int id)
{
    const struct view *v = look(b, s);
    int i = view_find_option(v, id);
    return i >= 0 ? v->items[i].text : NULL;
}

/* Presses a key with ACTION (and CP) on S while option ID has the focus;
 * the effects of earlier keys are dropped. */
static void
key(struct bench *b, struct screen *s, enum action action, unsigned cp, int id)
{
    fx_clear(&b->fx);
    struct key k = {.action = action,
                    .codepoint = cp,
                    .name = "Key",
                    .option = id};
    s->ops->key(s, &b->c, &k, &b->fx);
}

static void
type(struct bench *b, struct screen *s, const char *digits)
{
    for (const char *p = digits; *p; p++)
        key(b, s, ACTION_DIGIT, (unsigned char)*p, -1);
}

static struct fx *
effect(struct bench *b, enum fx_kind kind, int nth)
{
    return driver_fx_nth(&b->fx, kind, nth);
}

static bool
said(struct bench *b, const char *text)
{
    return driver_fx_said(&b->fx, -1, text);
}

/* Takes the one FX_SERVICES call out of the last effects. */
static struct services_call *
asked(struct bench *b)
{
    struct fx *f = effect(b, FX_SERVICES, 0);
    assert_non_null(f);
    assert_null(effect(b, FX_SERVICES, 1));
    struct services_call *call = f->call;
    f->call = NULL;
    return call;
}

/* Answers CALL with RC and the rows of NUMBERS (NULL-terminated; a '*'
 * after a number flags its IIN), hands it to S's reply() and frees it. */
static void
answer(struct bench *b, struct screen *s, struct services_call *call, int rc,
       const char *const *numbers)
{
    call->rc = rc;
    if (rc < 0)
        call->why = xstrdup("the disk is full");
    for (size_t i = 0; numbers != NULL && numbers[i] != NULL; i++) {
        call->rows = xrealloc(call->rows, (i + 1) * sizeof *call->rows);
        struct store_row *r = &call->rows[i];
        memset(r, 0, sizeof *r);
        memcpy(r->number, numbers[i], APPLICATION_NUMBER_LEN);
        r->created_at = 1740000000;
        r->status = STATUS_RECEIVED;
        r->app.iin_flagged = numbers[i][APPLICATION_NUMBER_LEN] == '*';
        call->n_rows = i + 1;
    }
    fx_clear(&b->fx);
    s->ops->reply(s, &b->c, call, &b->fx);
    services_call_free(call);
}

static void
test_list_asks_through_calls(void **state)
{
    (void)state;
    struct bench *b = bench_new();
    struct services_call *call = NULL;
    struct screen *s = screen_applications_new(&call);
    /* Made without I/O: the newest of every status are asked for. */
    assert_non_null(call);
    assert_int_equal(call->op, SERVICES_LIST);
    assert_int_equal(call->q_status, -1);
    assert_int_equal(call->q_limit, 30);
    assert_string_equal(call->q_number, "");
    assert_true(shows(b, s, "No applications found."));
    const char *rows[] = {"123456789", "987654321*", NULL};
    answer(b, s, call, 0, rows);
    assert_int_equal(effect(b, FX_FOCUS, 0)->value, 0);
    assert_non_null(strstr(option(b, s, 0), "123 456 789"));
    assert_null(strstr(option(b, s, 0), "(IIN to confirm)"));
    assert_non_null(strstr(option(b, s, 1), "(IIN to confirm)"));
    assert_false(shows(b, s, "No applications found."));

    /* Eight digits that are no date: nothing is asked, nothing found. */
    type(b, s, "20251340");
    assert_true(said(b, "0"));
    key(b, s, ACTION_SELECT, 0, 0);
    assert_null(effect(b, FX_SERVICES, 0));
    assert_true(said(b, "Found: 0."));
    assert_true(shows(b, s, "That is not a date"));
    assert_null(option(b, s, 0));
    assert_int_equal(effect(b, FX_FOCUS, 0)->value, 30);

    /* A number: asked for, and the field is emptied once asked. */
    type(b, s, "123456780");
    key(b, s, ACTION_DELETE, 0, -1);
    assert_true(said(b, "digit deleted"));
    type(b, s, "9");
    key(b, s, ACTION_SELECT, 0, 30);
    call = asked(b);
    assert_string_equal(call->q_number, "123456789");
    assert_false(shows(b, s, "123456789"));
    assert_false(shows(b, s, "That is not a date"));
    answer(b, s, call, 0, rows);
    assert_true(said(b, "Found: 2."));

    /* A day: the range of that day in Kazakhstan (+05:00). */
    type(b, s, "20250220");
    key(b, s, ACTION_SELECT, 0, 0);
    call = asked(b);
    assert_true(call->q_from == 1739991600); /* 2025-02-19T19:00:00Z */
    assert_true(call->q_from <= 1740000000 && 1740000000 < call->q_to);
    assert_int_equal(call->q_to - call->q_from, 24 * 3600);
    answer(b, s, call, 0, NULL);
    assert_true(said(b, "Found: 0."));

    /* Left and Right ask for one status at a time, round. */
    key(b, s, ACTION_RIGHT, 0, 30);
    call = asked(b);
    assert_int_equal(call->q_status, STATUS_RECEIVED);
    answer(b, s, call, 0, rows);
    assert_true(said(b, "Status shown: Received. Found: 2."));
    key(b, s, ACTION_LEFT, 0, 0);
    call = asked(b);
    assert_int_equal(call->q_status, -1);
    answer(b, s, call, -1, NULL);
    assert_true(said(b, "Status shown: every status. Found: 0."));
    assert_true(shows(b, s,
                      "The applications cannot be read: the disk is "
                      "full"));
    assert_non_null(effect(b, FX_LOG, 0));
    key(b, s, ACTION_RIGHT, 0, 30);
    answer(b, s, asked(b), 0, rows);
    assert_false(shows(b, s, "cannot be read"));

    /* Twelve digits (an IIN) cannot be typed: the kiosk cannot search by
     * IIN, the centre does. */
    type(b, s, "0612116000129");
    key(b, s, ACTION_SELECT, 0, 30);
    call = asked(b);
    assert_string_equal(call->q_number, "061211600");
    answer(b, s, call, 0, rows);

    /* The export first asks for the folder (the USB stick) in the same
     * field as the stencil writer; its answer is shown and said (the
     * store's trail has the export: the screen adds no second entry). */
    key(b, s, ACTION_SELECT, 0, 30);
    struct fx *field = effect(b, FX_PUSH, 0);
    assert_non_null(field);
    assert_string_equal(field->screen->ops->name, "station-path");
    assert_null(effect(b, FX_SERVICES, 0));
    call = services_call_new(SERVICES_EXPORT);
    call->path = xstrdup("/media/stick/outbox-ALM-01-x.jsonl");
    call->count = 2;
    answer(b, s, call, 0, NULL);
    assert_true(shows(b, s,
                      "2 sealed applications written to "
                      "/media/stick/outbox-ALM-01-x.jsonl."));
    assert_true(said(b, "2 sealed applications written to"));
    assert_null(effect(b, FX_AUDIT, 0));

    /* Opening a row pushes its screen, then asks for it: the answer goes
     * to the screen on top. */
    key(b, s, ACTION_SELECT, 0, 1);
    struct fx *push = effect(b, FX_PUSH, 0);
    assert_non_null(push);
    assert_string_equal(push->screen->ops->name, "application");
    assert_true(push < effect(b, FX_SERVICES, 0));
    call = asked(b);
    assert_int_equal(call->op, SERVICES_LIST);
    assert_string_equal(call->q_number, "987654321");
    services_call_free(call);

    /* Back and Delete on an empty field close the list. */
    key(b, s, ACTION_DELETE, 0, 0);
    assert_non_null(effect(b, FX_POP, 0));
    key(b, s, ACTION_BACK, 0, 0);
    assert_non_null(effect(b, FX_POP, 0));
    screen_free(s);
    bench_free(b);
}

static void
test_one_application_changes_through_calls(void **state)
{
    (void)state;
    struct bench *b = bench_new();
    struct services_call *call = NULL;
    struct screen *s = screen_application_new("987654321", &call);
    assert_int_equal(call->op, SERVICES_LIST);
    assert_string_equal(call->q_number, "987654321");
    assert_true(shows(b, s, "Application 987 654 321"));
    assert_null(option(b, s, STATUS_RECEIVED));
    const char *rows[] = {"987654321*", NULL};
    answer(b, s, call, 0, rows);
    assert_false(shows(b, s, "061 211 600 012"));
    assert_true(shows(b, s, "IIN: did not pass the check: confirm it"));
    assert_true(shows(b, s, "only the centre can read them"));
    assert_non_null(option(b, s, STATUS_COUNT)); /* accept the IIN */

    /* A note in Kazakh, a letter deleted whole; then a status. */
    key(b, s, ACTION_CHAR, 'o', STATUS_IN_REVIEW);
    assert_true(said(b, "o"));
    key(b, s, ACTION_CHAR, 'k', STATUS_IN_REVIEW);
    key(b, s, ACTION_CHAR, 0x4D9 /* ә */, STATUS_IN_REVIEW);
    assert_true(shows(b, s, "Note: okә"));
    key(b, s, ACTION_DELETE, 0, STATUS_IN_REVIEW);
    assert_true(shows(b, s, "Note: ok"));
    assert_false(shows(b, s, "Note: ok\xd3"));
    key(b, s, ACTION_SELECT, 0, STATUS_IN_REVIEW);
    call = asked(b);
    assert_int_equal(call->op, SERVICES_SET_STATUS);
    assert_string_equal(call->number, "987654321");
    assert_int_equal(call->status, STATUS_IN_REVIEW);
    assert_string_equal(call->note, "ok");
    assert_null(effect(b, FX_AUDIT, 0));

    /* Refused: said why, nothing audited, the note kept. */
    answer(b, s, call, -1, NULL);
    assert_true(shows(b, s, "Not saved: the disk is full"));
    assert_null(effect(b, FX_AUDIT, 0));
    assert_null(effect(b, FX_SERVICES, 0));
    assert_true(shows(b, s, "Note: ok"));

    /* Saved (the store audits it): the note wiped, the application asked
     * for again. */
    key(b, s, ACTION_SELECT, 0, STATUS_IN_REVIEW);
    answer(b, s, asked(b), 0, NULL);
    assert_true(shows(b, s, "Saved."));
    assert_null(effect(b, FX_AUDIT, 0));
    call = asked(b);
    assert_int_equal(call->op, SERVICES_LIST);
    assert_string_equal(call->q_number, "987654321");
    answer(b, s, call, 0, rows);
    assert_true(shows(b, s, "Note: "));
    assert_false(shows(b, s, "Note: ok"));

    /* The flagged IIN accepted. */
    key(b, s, ACTION_SELECT, 0, STATUS_COUNT);
    call = asked(b);
    assert_int_equal(call->op, SERVICES_ACCEPT_IIN);
    assert_string_equal(call->number, "987654321");
    services_call_free(call);

    /* Back, the Back option and Delete with no note close it. */
    key(b, s, ACTION_SELECT, 0, STATUS_COUNT + 1);
    assert_non_null(effect(b, FX_POP, 0));
    key(b, s, ACTION_DELETE, 0, STATUS_RECEIVED);
    assert_non_null(effect(b, FX_POP, 0));
    key(b, s, ACTION_BACK, 0, STATUS_RECEIVED);
    assert_non_null(effect(b, FX_POP, 0));
    screen_free(s);
    bench_free(b);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_list_asks_through_calls),
          cmocka_unit_test(test_one_application_changes_through_calls))
