/*
 * The speech queue: what it was asked to say may be a voter's choice, so
 * every text is wiped before its memory is freed, whether it was spoken,
 * purged by a key (barge-in) or still queued when the queue is freed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "accessibility/speech.h"
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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_texts_are_wiped_before_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
