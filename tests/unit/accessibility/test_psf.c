/*
 * PSF fonts: the real CyrAsia Terminus fonts load and have a real glyph for
 * every Kazakh letter; damaged fonts (cut short anywhere, bad header
 * fields, bad Unicode table, broken gzip) are refused with a message;
 * small hand-made PSF1 and PSF2 fonts pin down the Unicode table rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "accessibility/psf.h"
#include "tests/unit/unit.h"

#define FONTDIR "/usr/share/consolefonts/"

static const char *const fonts[] = {
    FONTDIR "CyrAsia-TerminusBold14.psf.gz",
    FONTDIR "CyrAsia-TerminusBold16.psf.gz",
    FONTDIR "CyrAsia-TerminusBold18x10.psf.gz",
    FONTDIR "CyrAsia-TerminusBold24x12.psf.gz",
    FONTDIR "CyrAsia-TerminusBold28x14.psf.gz",
    FONTDIR "CyrAsia-TerminusBold32x16.psf.gz",
};

/* Ә Ғ Қ Ң Ө Ұ Ү Һ І and ә ғ қ ң ө ұ ү һ і. */
static const uint32_t kazakh[] = {
    0x04d8, 0x0492, 0x049a, 0x04a2, 0x04e8, 0x04b0, 0x04ae, 0x04ba, 0x0406,
    0x04d9, 0x0493, 0x049b, 0x04a3, 0x04e9, 0x04b1, 0x04af, 0x04bb, 0x0456,
};

static uint8_t *
gunzip(const char *path, size_t *len)
{
    gzFile gz = gzopen(path, "rb");
    assert_non_null(gz);
    size_t cap = 1 << 16;
    uint8_t *buf = malloc(cap);
    assert_non_null(buf);
    *len = 0;
    int n;
    while ((n = gzread(gz, buf + *len, (unsigned)(cap - *len))) > 0) {
        *len += (size_t)n;
        if (*len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    assert_int_equal(n, 0);
    assert_int_equal(gzclose(gz), Z_OK);
    return buf;
}

static void
refused(const void *data, size_t len, const char *what)
{
    struct psf_font *f = (struct psf_font *)1;
    char *why = NULL;
    if (psf_parse(data, len, &f, &why) == 0)
        fail_msg("%s: damaged font was accepted", what);
    assert_null(f);
    assert_non_null(why);
    assert_true(strlen(why) > 0);
    free(why);
}

static void
test_real_fonts_have_kazakh(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof fonts / sizeof fonts[0]; i++) {
        struct psf_font *f = NULL;
        unit_ok(psf_load(fonts[i], &f, unit_why()));
        assert_true(psf_size(f).count >= 256);
        unsigned fb = psf_fallback_index(f);
        assert_int_equal(psf_index(f, '?'), (int)fb);
        for (size_t k = 0; k < sizeof kazakh / sizeof kazakh[0]; k++) {
            int g = psf_index(f, kazakh[k]);
            if (g < 0 || (unsigned)g == fb)
                fail_msg("%s: no glyph for U+%04X", fonts[i],
                         (unsigned)kazakh[k]);
            assert_ptr_not_equal(psf_glyph(f, kazakh[k]), psf_glyph(f, '?'));
        }
        /* Russian and Latin too, and a CJK character falls back to '?'. */
        assert_true(psf_index(f, 0x0416) >= 0);
        assert_true(psf_index(f, 'W') >= 0);
        assert_int_equal(psf_index(f, 0x4e2d), -1);
        assert_ptr_equal(psf_glyph(f, 0x4e2d), psf_glyph(f, '?'));
        psf_free(f);
    }
}

static void
test_glyph_bitmap(void **state)
{
    (void)state;
    struct psf_font *f = NULL;
    unit_ok(psf_load(fonts[0], &f, unit_why()));
    assert_int_equal(psf_size(f).width, 8);
    assert_int_equal(psf_size(f).height, 14);
    assert_int_equal(psf_size(f).row_bytes, 1);
    /* Т: a full bar on row 2, a two-pixel stem in columns 3-4 below. */
    const uint8_t *t = psf_glyph(f, 0x0422);
    assert_int_equal(t[0], 0x00);
    assert_int_equal(t[2], 0xff);
    for (int y = 3; y <= 11; y++)
        assert_int_equal(t[y], 0x18);
    assert_int_equal(t[12], 0x00);
    assert_true(psf_pixel(f, t, 3, 5));
    assert_false(psf_pixel(f, t, 2, 5));
    psf_free(f);
}

static void
test_missing_file(void **state)
{
    (void)state;
    struct psf_font *f = NULL;
    char *why = unit_refused(
        psf_load("/nonexistent/font.psf.gz", &f, unit_why()));
    assert_null(f);
    assert_non_null(strstr(why, "/nonexistent/font.psf.gz"));
    free(why);
}

static void
test_every_truncation_refused(void **state)
{
    (void)state;
    /* Bold14 is PSF1, Bold24x12 PSF2: both formats, cut at every byte. */
    static const int which[] = {0, 3};
    for (int w = 0; w < 2; w++) {
        size_t len;
        uint8_t *data = gunzip(fonts[which[w]], &len);
        struct psf_font *f = NULL;
        char *why = NULL;
        assert_int_equal(psf_parse(data, len, &f, &why), 0);
        psf_free(f);
        for (size_t cut = 0; cut < len; cut++) {
            char what[128];
            snprintf(what, sizeof what, "%s cut at %zu", fonts[which[w]], cut);
            refused(data, cut, what);
        }
        free(data);
    }
}

static void
put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void
test_bad_headers_refused(void **state)
{
    (void)state;
    size_t len;
    uint8_t *orig = gunzip(fonts[3], &len);
    uint8_t *d = malloc(len);
    assert_non_null(d);
    static const struct {
        size_t at;
        uint32_t value;
        const char *what;
    } bad[] = {
        {0, 0x12345678, "magic"},
        {4, 1, "version"},
        {8, 16, "header size below 32"},
        {8, 0x7fffffff, "header size past the end"},
        {12, 0x80, "unknown flag"},
        {16, 0, "no glyphs"},
        {16, 0xffffffff, "4 billion glyphs"},
        {16, 4000, "more glyphs than data"},
        {20, 47, "glyph size mismatch"},
        {24, 0, "height 0"},
        {24, 0x10000, "huge height"},
        {28, 0, "width 0"},
        {28, 0x10000, "huge width"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memcpy(d, orig, len);
        put32(d + bad[i].at, bad[i].value);
        refused(d, len, bad[i].what);
    }
    /* A bad UTF-8 byte in the Unicode table (just after the glyphs). */
    memcpy(d, orig, len);
    size_t table = 32 + 256 * 24 * 2;
    d[table] = 0xc0;
    refused(d, len, "invalid UTF-8");
    /* A table that never ends its last entry. */
    memcpy(d, orig, len);
    for (size_t k = table; k < len; k++)
        if (d[k] == 0xff)
            d[k] = 'x';
    refused(d, len, "unterminated table");
    free(d);
    free(orig);
}

static void
test_broken_gzip_refused(void **state)
{
    (void)state;
    FILE *in = fopen(fonts[0], "rb");
    assert_non_null(in);
    uint8_t gz[1 << 16];
    size_t n = fread(gz, 1, sizeof gz, in);
    fclose(in);
    assert_true(n > 100);
    char path[] = "/tmp/dauys-test-psf-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, gz, n / 2), (ssize_t)(n / 2));
    assert_int_equal(close(fd), 0);
    struct psf_font *f = NULL;
    char *why = unit_refused(psf_load(path, &f, unit_why()));
    assert_null(f);
    assert_non_null(strstr(why, path));
    free(why);
    assert_int_equal(unlink(path), 0);
}

static void
test_psf1_table(void **state)
{
    (void)state;
    /* 256 glyphs of height 2 with a table: glyph 1 is 'A' and U+0410,
     * glyph 2 is U+00C5 and the sequence A + U+030A, then 'B'; glyph 3
     * lists 'A' again (the first glyph wins); the rest are empty. */
    uint8_t buf[4 + 512 + 600];
    size_t o = 0;
    buf[o++] = 0x36;
    buf[o++] = 0x04;
    buf[o++] = 0x02;
    buf[o++] = 2;
    memset(buf + o, 0, 512);
    buf[o + 2] = 0xaa;
    o += 512;
    static const uint16_t table[] = {
        0xffff,                                 /* glyph 0 */
        'A',    0x0410, 0xffff,                 /* glyph 1 */
        0x00c5, 0xfffe, 'A',    0x030a, 0xffff, /* glyph 2 */
        'A',    0xffff,                         /* glyph 3 */
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        buf[o++] = (uint8_t)table[i];
        buf[o++] = (uint8_t)(table[i] >> 8);
    }
    for (int g = 4; g < 256; g++) {
        buf[o++] = 0xff;
        buf[o++] = 0xff;
    }
    struct psf_font *f = NULL;
    unit_ok(psf_parse(buf, o, &f, unit_why()));
    assert_int_equal(psf_size(f).width, 8);
    assert_int_equal(psf_index(f, 'A'), 1);
    assert_int_equal(psf_index(f, 0x0410), 1);
    assert_int_equal(psf_index(f, 0x00c5), 2);
    assert_int_equal(psf_index(f, 0x030a), -1);
    assert_int_equal(psf_index(f, '?'), -1);
    assert_int_equal(psf_fallback_index(f), 0);
    assert_int_equal(psf_glyph(f, 'A')[0], 0xaa);
    psf_free(f);
    /* A surrogate in the table is refused. */
    buf[4 + 512] = 0x00;
    buf[4 + 512 + 1] = 0xd8;
    refused(buf, o, "surrogate");
}

static void
test_psf2_without_table(void **state)
{
    (void)state;
    /* 3 glyphs of 9x2 (2 bytes a row); code points map to themselves. */
    uint8_t buf[32 + 3 * 4];
    memset(buf, 0, sizeof buf);
    put32(buf, 0x864ab572);
    put32(buf + 8, 32);
    put32(buf + 16, 3);
    put32(buf + 20, 4);
    put32(buf + 24, 2);
    put32(buf + 28, 9);
    buf[32 + 2 * 4 + 1] = 0x80; /* glyph 2, row 0, pixel 8 */
    struct psf_font *f = NULL;
    unit_ok(psf_parse(buf, sizeof buf, &f, unit_why()));
    assert_int_equal(psf_size(f).row_bytes, 2);
    assert_int_equal(psf_index(f, 2), 2);
    assert_int_equal(psf_index(f, 3), -1);
    assert_true(psf_pixel(f, psf_glyph(f, 2), 8, 0));
    assert_false(psf_pixel(f, psf_glyph(f, 2), 7, 0));
    psf_free(f);
    psf_free(NULL);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_real_fonts_have_kazakh),
          cmocka_unit_test(test_glyph_bitmap),
          cmocka_unit_test(test_missing_file),
          cmocka_unit_test(test_every_truncation_refused),
          cmocka_unit_test(test_bad_headers_refused),
          cmocka_unit_test(test_broken_gzip_refused),
          cmocka_unit_test(test_psf1_table),
          cmocka_unit_test(test_psf2_without_table))
