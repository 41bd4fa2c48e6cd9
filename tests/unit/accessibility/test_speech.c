/*
 * The speech queue: what it was asked to say may be a voter's choice, so
 * every text is wiped before its memory is freed, whether it was spoken,
 * purged by a key (barge-in) or still queued when the queue is freed. An
 * utterance of spans reaches the engine as spans, in order, each in its
 * language and normalised, and the log has one "say" line per span with
 * exactly the text the engine receives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "accessibility/normalise.h"
#include "accessibility/speech.h"
#include "tests/unit/unit.h"
#include "tests/unit/free_hook.h"

static void
test_texts_are_wiped_before_free(void **state)
{
    (void)state;
    static const char secret[] = "You chose window 4: Bolashaq Joly party";
    char *why = NULL;
    free_hook_reset();
    free_hook_watch_string(secret);
    struct speech *sp = speech_new(speech_none_engine(), NULL, &why);
    assert_non_null(sp);
    for (int i = 0; i < 20; i++)
        speech_say(sp, "en", secret);
    speech_stop(sp); /* barge-in: the queue is purged */
    for (int i = 0; i < 20; i++)
        speech_say(sp, "en", secret);
    speech_free(sp); /* freed with texts still queued */
    size_t frees = free_hook_frees(), hits = free_hook_hits();
    if (hits != 0)
        print_error("freed unwiped: %s\n", free_hook_first_hit());
    free_hook_reset();
    assert_true(frees >= 40);
    assert_int_equal(hits, 0);
}

/* An engine that writes down what it is given, as "lang:text" lines, and
 * reports the voice "v-LANG" for each span. */
struct capture {
    char got[2048];
    size_t n;
};

static int
capture_speak(void *self, struct speech_utterance *u, const atomic_int *cancel)
{
    struct capture *c = self;
    (void)cancel;
    for (size_t i = 0; i < u->n_spans; i++) {
        c->n += (size_t)snprintf(c->got + c->n, sizeof c->got - c->n, "%s:%s\n",
                                 u->spans[i].lang, u->spans[i].text);
        snprintf(u->spans[i].voice, sizeof u->spans[i].voice, "v-%s",
                 u->spans[i].lang);
    }
    return 0;
}

static void
capture_free(void *self)
{
    (void)self;
}

static const struct speech_engine_ops capture_ops = {
    .name = "capture",
    .speak = capture_speak,
    .free = capture_free,
};

static void
test_spans_reach_engine_and_log_in_order(void **state)
{
    (void)state;
    char dir[256], log[300];
    unit_ok(unit_tmpdir(dir, sizeof dir, "speech"));
    /* The tree's rules: "3" is said "три", and the log must say so too. */
    unit_ok(normalise_init("data/speech", unit_why()));
    snprintf(log, sizeof log, "%s/log", dir);
    struct capture cap = {0};
    struct speech *sp = speech_new((struct speech_engine){.ops = &capture_ops,
                                                          .self = &cap},
                                   log, unit_why());
    assert_non_null(sp);
    const struct speech_part parts[] = {
        {"ru", "Окно 3:\tпартия «"},
        {"kk", " \n"},           /* nothing but white space: dropped */
        {"kk", " Ауыл еңбегі "}, /* white space at the ends: trimmed */
        {"ru", "»."},
    };
    speech_say_spans(sp, parts, 4);
    speech_say_spans(sp, parts + 1, 1); /* nothing left: not queued */
    while (!speech_idle(sp))
        ;
    speech_free(sp);
    assert_string_equal(cap.got, "ru:Окно три:\tпартия «\n"
                                 "kk:Ауыл еңбегі\n"
                                 "ru:».\n");
    FILE *f = fopen(log, "r");
    assert_non_null(f);
    char all[2048];
    size_t n = fread(all, 1, sizeof all - 1, f);
    all[n] = '\0';
    fclose(f);
    assert_string_equal(all, "say\tru\tОкно три: партия «\n"
                             "say\tkk\tАуыл еңбегі\n"
                             "say\tru\t».\n"
                             "voice\tru\tv-ru\tОкно три: партия «\n"
                             "voice\tkk\tv-kk\tАуыл еңбегі\n"
                             "voice\tru\tv-ru\t».\n");
    unit_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_texts_are_wiped_before_free),
        cmocka_unit_test(test_spans_reach_engine_and_log_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
