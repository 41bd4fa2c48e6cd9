/*
 * QR codes as half-block text: every module of libqrencode's code comes
 * back from the drawn lines (light drawn, dark blank), the quiet zone is
 * light, and a view of block lines is laid out unwrapped, row after row,
 * cut at the screen's edge rather than wrapped. The text an application's
 * code holds is written and read back by one pair of functions, which
 * refuse what is not a receipt's code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include <qrencode.h>
#include <string.h>

#include "services/application.h"
#include "kiosk/layout.h"
#include "kiosk/qrtext.h"
#include "tests/unit/unit.h"

/* Reads back module X, Y (quiet zone included) from the drawn lines:
 * 1 when light. */
static int
module_at(const struct qrtext *q, int x, int y)
{
    const char *s = q->lines[y / 2];
    /* Every cell is one byte (space) or three (the block characters). */
    for (int i = 0; i < x; i++)
        s += *s == ' ' ? 1 : 3;
    bool upper = y % 2 == 0;
    if (*s == ' ')
        return 0;
    if (strncmp(s, "█", 3) == 0)
        return 1;
    if (strncmp(s, "▀", 3) == 0)
        return upper;
    if (strncmp(s, "▄", 3) == 0)
        return !upper;
    fail_msg("unexpected character in line %d", y / 2);
    return -1;
}

static void
test_modules_round_trip(void **state)
{
    (void)state;
    const char *text = "dauys-election:demo-2026-almaly-district-7:"
                       "0123456789abcdef0123456789abcdef0123456789abcdef"
                       "0123456789abcdef";
    struct qrtext q;
    char *why = NULL;
    assert_int_equal(qrtext_make(text, &q, &why), 0);
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_L, QR_MODE_8, 1);
    assert_non_null(qr);
    assert_int_equal(q.modules, qr->width + 2 * QRTEXT_QUIET);
    assert_int_equal(q.n_lines, (q.modules + 1) / 2);
    for (int y = 0; y < q.modules; y++) {
        for (int x = 0; x < q.modules; x++) {
            int qx = x - QRTEXT_QUIET, qy = y - QRTEXT_QUIET;
            int light = 1;
            if (qx >= 0 && qy >= 0 && qx < qr->width && qy < qr->width)
                light = !(qr->data[qy * qr->width + qx] & 1);
            assert_int_equal(module_at(&q, x, y), light);
        }
    }
    QRcode_free(qr);
    qrtext_free(&q);
}

static void
test_blocks_are_laid_out_unwrapped(void **state)
{
    (void)state;
    static struct view v;
    view_reset(&v, LANG_EN);
    view_title(&v, "QR");
    view_add(&v, VIEW_TEXT, "above");
    view_add(&v, VIEW_BLOCK, "█ █ █ █ █ █ █ █ █ █ █ █ █ █ █ █ █ █ █ █ █ █ █");
    view_add(&v, VIEW_BLOCK, "▀ ▀ ▀ ▀ ▀ ▀ ▀ ▀ ▀ ▀ ▀ ▀ ▀ ▀ ▀ ▀ ▀ ▀ ▀ ▀ ▀ ▀ ▀");
    struct layout l;
    layout_build(&v, 40, 12, "TEST MODE", "small", &l);
    /* title, blank, "above", blank, then the two blocks one after the
     * other, each cut at 40 cells. */
    assert_string_equal(l.rows[2].text, "above");
    assert_int_equal(layout_width(l.rows[4].text), 40);
    assert_int_equal(strncmp(l.rows[4].text, "█ █", strlen("█ █")), 0);
    assert_int_equal(strncmp(l.rows[5].text, "▀ ▀", strlen("▀ ▀")), 0);
    assert_string_equal(l.rows[6].text, "");
    layout_free(&l);
}

static void
test_application_qr_round_trip(void **state)
{
    (void)state;
    char text[128], centre[64], number[APPLICATION_NUMBER_LEN + 1];
    assert_int_equal(application_qr_text("ALM-07", "123456782", text,
                                         sizeof text),
                     0);
    assert_string_equal(text, "dauys-application:ALM-07:123456782");
    assert_int_equal(application_qr_parse(text, centre, sizeof centre, number),
                     0);
    assert_string_equal(centre, "ALM-07");
    assert_string_equal(number, "123456782");
    /* The centre is everything up to the last colon, and may be empty. */
    assert_int_equal(application_qr_parse("dauys-application:A:B:123456782",
                                          centre, sizeof centre, number),
                     0);
    assert_string_equal(centre, "A:B");
    assert_int_equal(application_qr_parse("dauys-application::123456782",
                                          centre, sizeof centre, number),
                     0);
    assert_string_equal(centre, "");
    /* Too small a buffer: refused, nothing half written. */
    assert_int_equal(application_qr_text("ALM-07", "123456782", text, 20), -1);
    assert_string_equal(text, "");
}

static void
test_application_qr_refuses(void **state)
{
    (void)state;
    char centre[8], number[APPLICATION_NUMBER_LEN + 1] = "unchanged";
    static const char *const not_ours[] = {
        "",
        "123456782",
        "dauys-application",
        "dauys-application123456782",
        "Dauys-application:ALM-07:123456782",
        "dauys-election:ALM-07:123456782",
        " dauys-application:ALM-07:123456782",
        "xdauys-application:ALM-07:123456782",
        /* A centre longer than the buffer (8 bytes) is not cut. */
        "dauys-application:ALMATY-07:123456782",
    };
    for (size_t i = 0; i < sizeof not_ours / sizeof *not_ours; i++)
        assert_int_equal(application_qr_parse(not_ours[i], centre,
                                              sizeof centre, number),
                         -1);
    static const char *const bad_number[] = {
        "dauys-application:ALM-07:",
        "dauys-application:ALM-07:12345678",
        "dauys-application:ALM-07:1234567820",
        "dauys-application:ALM-07:12345678a",
        "dauys-application:ALM-07: 12345678",
        "dauys-application:ALM-07:123456782\n",
    };
    for (size_t i = 0; i < sizeof bad_number / sizeof *bad_number; i++) {
        centre[0] = '\0';
        assert_int_equal(application_qr_parse(bad_number[i], centre,
                                              sizeof centre, number),
                         -2);
        assert_string_equal(centre, "ALM-07");
    }
    assert_string_equal(number, "unchanged");
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_modules_round_trip),
          cmocka_unit_test(test_blocks_are_laid_out_unwrapped),
          cmocka_unit_test(test_application_qr_round_trip),
          cmocka_unit_test(test_application_qr_refuses))
