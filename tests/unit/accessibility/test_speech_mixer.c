/*
 * The calibration mixer: a card that is not there is refused with its name
 * (the PCM name "plughw:N,D" read as the card "hw:N"), and nothing is
 * returned as set, calibrated or not. The build machines have no sound card, so setting a
 * real control is checked on the appliance (docs/speech.md, calibration).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "accessibility/speech_mixer.h"
#include "tests/unit/unit.h"

static void
test_missing_card_named(void **state)
{
    (void)state;
    const char *devices[] = {"hw:29,0", "plughw:29,0", "hw:29"};
    for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
        char *set = NULL, *why = NULL;
        assert_int_equal(speech_mixer_set_db(devices[i], -12.5, &set, &why),
                         -1);
        assert_null(set);
        assert_non_null(why);
        if (strstr(why, "cannot open the mixer of \"hw:29\"") == NULL)
            fail_msg("%s: %s", devices[i], why);
        free(why);
    }
}

/* Without a calibration the kiosk still sets the mixer (0 dB, unmuted):
 * the same card lookup, the same refusal of a card that is not there. */
static void
test_unity_missing_card_named(void **state)
{
    (void)state;
    char *set = NULL, *why = NULL;
    assert_int_equal(speech_mixer_set_unity("plughw:29,0", &set, &why), -1);
    assert_null(set);
    assert_non_null(why);
    if (strstr(why, "cannot open the mixer of \"hw:29\"") == NULL)
        fail_msg("%s", why);
    free(why);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_missing_card_named),
          cmocka_unit_test(test_unity_missing_card_named))
