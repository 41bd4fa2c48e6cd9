/*
 * Configuration: the spec's example parses; unknown keys, bad values and
 * junk lines are all reported with their line numbers, in one pass, and a
 * failed parse leaves the configuration unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kiosk/config.h"
#include "tests/unit/unit.h"

static void
test_spec_example_parses(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    char *why = NULL;
    const char *text =
        "[kiosk]\nmode = voting                 # voting | services | both\n"
        "centre = ALM-01\nidle_warning_s = 120\nidle_grace_s = 45\n\n"
        "[speech]\nrate = 150\nvolume = 50\ncalibration_db = -12.5\n"
        "[keypad]\ndevice = /dev/input/by-id/usb-kbd-event-kbd\n"
        "profile = numpad\n"
        "[election]\npublic_key = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
        "public_key = AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n"
        "[services]\ndatabase = /var/lib/dauys/dauys.db\n"
        "retention_days = 1095\nprinter = pdf:/tmp/receipts\n"
        "centre_public_key = AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=\n"
        "[kiosk]\nterminal = ALM-01-K2\n";
    assert_false(c.has_centre_key);
    assert_int_equal(config_parse(&c, "t.conf", text, &why), 0);
    assert_null(why);
    assert_int_equal(c.mode, MODE_VOTING);
    assert_string_equal(c.centre, "ALM-01");
    assert_int_equal(c.idle_warning_s, 120);
    assert_int_equal(c.rate, 150);
    assert_int_equal(c.volume, 5);
    assert_true(c.calibrated);
    assert_true(c.calibration_db == -12.5);
    assert_int_equal(c.n_public_keys, 2);
    assert_int_equal(c.public_keys[1][0], 1);
    assert_string_equal(c.printer, "pdf:/tmp/receipts");
    assert_true(c.has_centre_key);
    assert_int_equal(c.centre_public_key[31], 2);
    assert_string_equal(c.terminal, "ALM-01-K2");
}

static void
test_every_problem_named_with_line(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    char *why = NULL;
    const char *text = "[kiosk]\n"
                       "mode = everything\n"
                       "colour = red\n"
                       "idle_grace_s = 10\n"
                       "[speech]\n"
                       "rate = 110\n"
                       "[election]\n"
                       "public_key = not-base64\n"
                       "[nonsense]\n"
                       "x = 1\n"
                       "[services]\n"
                       "centre_public_key = AAAA\n";
    assert_int_equal(config_parse(&c, "t.conf", text, &why), -1);
    assert_non_null(why);
    assert_non_null(strstr(why, "t.conf:2: mode must be"));
    assert_non_null(strstr(why, "t.conf:3: unknown key 'colour' in [kiosk]"));
    assert_non_null(strstr(why, "t.conf:4: idle_grace_s must be a number "
                                "from 20 to 45"));
    assert_non_null(strstr(why, "t.conf:6: rate must be a number from 50 "
                                "to 200 in steps of 25"));
    assert_non_null(strstr(why, "t.conf:8: public_key must be 32 bytes"));
    assert_non_null(strstr(why, "t.conf:10: unknown key 'x' in [nonsense]"));
    assert_non_null(strstr(why, "t.conf:12: centre_public_key must be the "
                                "centre's 32-byte public key"));
    assert_false(c.has_centre_key);
    /* nothing half-applied */
    assert_int_equal(c.mode, MODE_BOTH);
    free(why);
}

static void
test_junk_line(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    char *why = NULL;
    assert_int_equal(config_parse(&c, "t.conf", "[kiosk]\n\nthis is junk\n",
                                  &why),
                     -1);
    assert_non_null(strstr(why, "t.conf:3:"));
    free(why);
}

static void
test_missing_file(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    char *why = NULL;
    assert_int_equal(config_load(&c, "/nonexistent/dauys.conf", &why), -1);
    assert_non_null(strstr(why, "/nonexistent/dauys.conf"));
    free(why);
}

static void
test_keypad_section(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    assert_int_equal(c.keypad_double_press_ms, 150);
    assert_string_equal(c.keypad_profile, "numpad");
    char *why = NULL;
    assert_int_equal(config_parse(&c, "t.conf",
                                  "[keypad]\nprofile = /etc/dauys/my.profile\n"
                                  "double_press_ms = 0\n",
                                  &why),
                     0);
    assert_string_equal(c.keypad_profile, "/etc/dauys/my.profile");
    assert_int_equal(c.keypad_double_press_ms, 0);
    assert_int_equal(config_parse(&c, "t.conf",
                                  "[keypad]\nprofile = ../numpad\n"
                                  "double_press_ms = 501\n",
                                  &why),
                     -1);
    assert_non_null(strstr(why, "t.conf:2: profile must be a profile name"));
    assert_non_null(strstr(why, "t.conf:3: double_press_ms must be a number "
                                "from 0 to 500"));
    free(why);
}

/* [speech] volume is a percent in steps of 10, as specs/cli.md has it,
 * each step one of the levels (50: level 5, the default; 0, the quietest
 * level, is no place to start a session); any other
 * number is refused with what to write, not rounded; calibration_db is a
 * signed number of dB, absent by default. */
static void
test_volume_level_and_calibration(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    assert_int_equal(c.volume, 5);
    assert_false(c.calibrated);
    char *why = NULL;
    assert_int_equal(config_parse(&c, "t.conf", "[speech]\nvolume = 50\n",
                                  &why),
                     0);
    assert_int_equal(c.volume, 5);
    assert_int_equal(config_parse(&c, "t.conf", "[speech]\nvolume = 70\n",
                                  &why),
                     0);
    assert_int_equal(c.volume, 7);
    assert_int_equal(config_parse(&c, "t.conf",
                                  "[speech]\nvolume = 100\n"
                                  "calibration_db = 3\n",
                                  &why),
                     0);
    assert_int_equal(c.volume, 10);
    assert_true(c.calibrated && c.calibration_db == 3);
    assert_int_equal(config_parse(&c, "t.conf",
                                  "[speech]\nvolume = 5\n"
                                  "calibration_db = -1,5\n"
                                  "[speech]\nvolume = 0\n"
                                  "calibration_db = -101\n",
                                  &why),
                     -1);
    assert_non_null(strstr(why, "t.conf:2: volume must be a percent from 10 "
                                "to 100 in steps of 10 (the levels, 8 dB "
                                "apart, docs/speech.md), not '5'; 50 (60 dB "
                                "SPL) is the default"));
    assert_non_null(strstr(why, "t.conf:3: calibration_db must be the mixer "
                                "setting in dB"));
    assert_non_null(strstr(why, "t.conf:5: volume must be a percent from 10 "
                                "to 100 in steps of 10"));
    assert_non_null(strstr(why, "t.conf:6: calibration_db must be"));
    /* Nothing half-applied. */
    assert_int_equal(c.volume, 10);
    assert_true(c.calibration_db == 3);
    free(why);
}

/* One-switch scanning's pace: default 2 s, 1-10 s, a clear refusal. */
static void
test_scan_interval(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    assert_int_equal(c.scan_interval_s, 2);
    char *why = NULL;
    assert_int_equal(config_parse(&c, "t.conf",
                                  "[keypad]\nscan_interval_s = 1\n", &why),
                     0);
    assert_int_equal(c.scan_interval_s, 1);
    assert_int_equal(config_parse(&c, "t.conf",
                                  "[keypad]\nscan_interval_s = 10\n", &why),
                     0);
    assert_int_equal(c.scan_interval_s, 10);
    const char *bad[] = {"0", "11", "1.5", "two", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[64];
        snprintf(text, sizeof text, "[keypad]\nscan_interval_s = %s\n", bad[i]);
        assert_int_equal(config_parse(&c, "t.conf", text, &why), -1);
        assert_non_null(strstr(why, "t.conf:2: scan_interval_s must be a "
                                    "whole number of seconds from 1 to 10"));
        free(why);
        why = NULL;
    }
    assert_int_equal(c.scan_interval_s, 10);
}

static void
test_braille_section(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    assert_false(c.braille);
    assert_false(c.braille_contracted);
    assert_string_equal(c.braille_host, "");
    char *why = NULL;
    assert_int_equal(config_parse(&c, "t.conf",
                                  "[braille]\nenabled = yes\n"
                                  "contracted = yes\nhost = 127.0.0.1:3\n",
                                  &why),
                     0);
    assert_true(c.braille);
    assert_true(c.braille_contracted);
    assert_string_equal(c.braille_host, "127.0.0.1:3");
    assert_int_equal(config_parse(&c, "t.conf", "[braille]\nenabled = on\n",
                                  &why),
                     -1);
    assert_non_null(strstr(why, "t.conf:2: enabled must be yes or no, not "
                                "'on'"));
    free(why);
}

static void
test_sync_section(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    assert_string_equal(c.sync_conninfo, "");
    assert_int_equal(c.sync_interval_s, 1);
    assert_int_equal(c.sync_batch, 500);
    assert_int_equal(c.sync_status_s, 60);
    char *why = NULL;
    assert_int_equal(
        config_parse(&c, "t.conf",
                     "[sync]\nconninfo = host=c.example dbname=dauys "
                     "user=t1 password=a#b\nca_file = /etc/dauys/ca.pem\n"
                     "interval_s = 5\nbatch = 100\nstatus_interval_s = 30\n",
                     &why),
        0);
    assert_string_equal(c.sync_conninfo,
                        "host=c.example dbname=dauys user=t1 password=a#b");
    assert_string_equal(c.sync_ca, "/etc/dauys/ca.pem");
    assert_int_equal(c.sync_interval_s, 5);
    assert_int_equal(c.sync_batch, 100);
    assert_int_equal(c.sync_status_s, 30);
    assert_int_equal(config_parse(&c, "t.conf", "[sync]\nbatch = 5000\n", &why),
                     -1);
    assert_non_null(strstr(why, "batch must be a number from 1 to 1000"));
    free(why);
    assert_int_equal(c.sync_batch, 100); /* left unchanged */
}

/* A long comment is one line: what follows it on the line is never read
 * as a line of its own (it used to be split after 199 characters, and a
 * key hidden there was applied). */
static void
test_long_lines_are_one_line(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    char *why = NULL;
    char text[2048], pad[400];
    memset(pad, 'x', 250);
    pad[250] = '\0';
    /* 199 characters of comment, then what looks like a key. */
    snprintf(text, sizeof text,
             "[kiosk]\n"
             "# %.197s mode = services\n"
             "idle_warning_s = 200   # %s mode = voting\n"
             "   ; %s\n"
             "centre = C-1\n",
             pad, pad, pad);
    assert_int_equal(config_parse(&c, "t.conf", text, &why), 0);
    assert_int_equal(c.mode, MODE_BOTH);
    assert_int_equal(c.idle_warning_s, 200);
    assert_string_equal(c.centre, "C-1");

    /* A long value is refused on its own line, and the lines after it keep
     * their numbers. */
    config_defaults(&c);
    snprintf(text, sizeof text,
             "[kiosk]\n"
             "\n"
             "centre = %s\n"
             "mode = voting\n"
             "colour = red\n",
             pad);
    assert_int_equal(config_parse(&c, "t.conf", text, &why), -1);
    assert_non_null(strstr(why, "t.conf:3: the line is longer than 199 "
                                "characters"));
    assert_non_null(strstr(why, "t.conf:5: unknown key 'colour'"));
    assert_null(strstr(why, "t.conf:4"));
    assert_null(strstr(why, "t.conf:6"));
    assert_int_equal(c.mode, MODE_BOTH); /* nothing half-applied */
    free(why);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_volume_level_and_calibration),
          cmocka_unit_test(test_scan_interval),
          cmocka_unit_test(test_spec_example_parses),
          cmocka_unit_test(test_every_problem_named_with_line),
          cmocka_unit_test(test_junk_line), cmocka_unit_test(test_missing_file),
          cmocka_unit_test(test_keypad_section),
          cmocka_unit_test(test_braille_section),
          cmocka_unit_test(test_sync_section),
          cmocka_unit_test(test_long_lines_are_one_line))
