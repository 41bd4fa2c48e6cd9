/*
 * Reports: the lines built from the facts say the counts, times, package
 * and audit head staff must see; the PDF read back with pdftotext says
 * the same; the ESC/POS stream is raster; a staff guide parses into
 * titles, headings, items and paragraphs, and its short version starts at
 * the marker.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kiosk/report.h"
#include "tests/unit/unit.h"

/* Fontconfig keeps its configuration for the life of the process. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static const char hash[] =
    "3f9a2c41d0b7e6f5a4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918a7b6c5";
static const char audit_hash[] =
    "b6e1d0c9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1";

static const struct report_count counts[] = {
    {"Invataxi (invataxi)", 4},
    {"Sign language interpreter (sign-language)", 2},
};

static struct report_facts
closing_facts(void)
{
    struct report_facts f = {
        .kind = REPORT_CLOSING,
        .terminal = "ALM-01",
        .version = "0.1.0",
        .made_at = 1774000000,
        .package_id = "kz-2026-test",
        .package_hash = hash,
        .opened_at = 1773990000,
        .closed_at = 1773999000,
        .sessions = 17,
        .stencils = 3,
        .voting_on = true,
        .services_on = true,
        .counts = counts,
        .n_counts = 2,
        .audit_seq = 42,
        .audit_hash = audit_hash,
    };
    return f;
}

/* The report's lines joined by newlines (the caller frees). */
static char *
joined(const struct report *r)
{
    size_t n = 1;
    for (size_t i = 0; i < r->n; i++)
        n += strlen(r->lines[i].text) + 1;
    char *s = calloc(1, n);
    assert_non_null(s);
    for (size_t i = 0; i < r->n; i++) {
        strcat(s, r->lines[i].text);
        strcat(s, "\n");
    }
    return s;
}

static void
test_short_hash(void **state)
{
    (void)state;
    char out[REPORT_SHORT_HASH + 1];
    assert_string_equal(report_short_hash(hash, out), "3f9a2c4");
    assert_string_equal(report_short_hash(NULL, out), "-");
    assert_string_equal(report_short_hash("ab", out), "ab");
}

static void
test_closing_lines(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    struct i18n *t = i18n_new_empty();
    struct report_facts f = closing_facts();
    struct report *r = report_build(&f, t, LANG_EN);
    char *s = joined(r);
    assert_string_equal(r->lines[0].text, "Close-of-day report");
    assert_non_null(strstr(s, "Terminal: ALM-01\n"));
    assert_non_null(strstr(s, "Package: kz-2026-test\n"));
    assert_non_null(strstr(s, "Package hash: 3f9a2c4\n"));
    assert_non_null(strstr(s, "Opened: 2026-03-20 07:00\n"));
    assert_non_null(strstr(s, "Closed: 2026-03-20 09:30\n"));
    assert_non_null(strstr(s, "Voter sessions served: 17\n"));
    assert_non_null(strstr(s, "Stencils written: 3\n"));
    assert_non_null(strstr(s, "Invataxi (invataxi): 4\n"));
    assert_non_null(strstr(s, "Sign language interpreter (sign-language): "
                              "2\n"));
    assert_non_null(strstr(s, "Applications in all: 6\n"));
    assert_non_null(strstr(s, "Audit head: 42 b6e1d0c\n"));
    assert_string_equal(r->name, "close-of-day-ALM-01-20260320-094640");
    /* On the screen: a paragraph a section, without the full hashes. */
    char *para[16];
    size_t np = report_paragraphs(r, para, 16);
    assert_int_equal(np, 5);
    assert_string_equal(para[0], "Terminal: ALM-01; Software version: 0.1.0; "
                                 "Made at: 2026-03-20 09:46");
    assert_string_equal(para[2],
                        "Voting assistance — Opened: 2026-03-20 07:00; "
                        "Closed: 2026-03-20 09:30; Voter sessions served: 17; "
                        "Stencils written: 3");
    assert_string_equal(para[4], "Audit trail — Audit head: 42 b6e1d0c");
    for (size_t i = 0; i < np; i++) {
        assert_null(strstr(para[i], "Full hash"));
        assert_null(strstr(para[i], ".;"));
        free(para[i]);
    }
    free(s);
    report_free(r);

    /* Nothing opened, nothing counted, no package, a damaged trail. */
    f.opened_at = f.closed_at = 0;
    f.package_id = NULL;
    f.sessions = -1;
    f.services_on = false;
    f.audit_problem = "line 3 was edited";
    r = report_build(&f, t, LANG_EN);
    s = joined(r);
    assert_non_null(strstr(s, "No package is loaded.\n"));
    assert_non_null(strstr(s, "Voting assistance was not opened.\n"));
    assert_non_null(strstr(s, "Voter sessions served: not known\n"));
    assert_non_null(strstr(s, "This terminal does not take applications.\n"));
    assert_non_null(strstr(s, "The audit trail cannot be verified: line 3 "
                              "was edited\n"));
    assert_null(strstr(s, "Audit head"));
    free(s);
    report_free(r);

    /* A Ten Qogam terminal: no package, no voting section. */
    f = closing_facts();
    f.voting_on = false;
    f.package_id = NULL;
    r = report_build(&f, t, LANG_EN);
    s = joined(r);
    assert_null(strstr(s, "Election package"));
    assert_null(strstr(s, "Voter sessions"));
    assert_non_null(strstr(s, "Applications in all: 6\n"));
    free(s);
    report_free(r);
    i18n_free(t);
}

static void
test_opening_ready(void **state)
{
    (void)state;
    struct i18n *t = i18n_new_empty();
    struct report_check c = {
        .keypad = true,
        .keys_total = 19,
        .keys_pressed = 19,
        .heard = REPORT_YES,
        .printed = REPORT_YES,
    };
    struct report_facts f = closing_facts();
    f.kind = REPORT_OPENING;
    f.voting_on = true;
    f.check = &c;
    f.printer_configured = true;
    assert_true(report_ready(&f));
    struct report *r = report_build(&f, t, LANG_EN);
    char *s = joined(r);
    assert_non_null(strstr(s, "Keypad keys pressed: 19 of 19\n"));
    assert_non_null(strstr(s, "Result: the terminal is ready.\n"));
    assert_non_null(strstr(s, "Package hash: 3f9a2c4\n"));
    assert_null(strstr(s, "Voter sessions"));
    free(s);
    report_free(r);

    /* One key missed and the sound not heard: not ready, and why. */
    c.keys_pressed = 18;
    snprintf(c.keys_missing, sizeof c.keys_missing, "Keypad 7");
    c.heard = REPORT_NO;
    assert_false(report_ready(&f));
    r = report_build(&f, t, LANG_EN);
    s = joined(r);
    assert_non_null(strstr(s, "Keys not pressed: Keypad 7\n"));
    assert_non_null(strstr(s, "headphones: NO\n"));
    assert_non_null(strstr(s, "Result: the terminal is NOT ready.\n"));
    free(s);
    report_free(r);

    /* No printer configured: its test is not required. */
    c.keys_pressed = 19;
    c.heard = REPORT_YES;
    c.printed = REPORT_NOT_ASKED;
    f.printer_configured = false;
    assert_true(report_ready(&f));
    f.package_id = NULL;
    assert_false(report_ready(&f));
    /* A Ten Qogam terminal needs no package. */
    f.voting_on = false;
    assert_true(report_ready(&f));
    f.voting_on = true;
    /* On the screen a sentence's full stop gives way to the "; ". */
    c.keypad = false;
    r = report_build(&f, t, LANG_EN);
    char *para[16];
    size_t np = report_paragraphs(r, para, 16);
    bool found = false;
    for (size_t i = 0; i < np; i++) {
        assert_null(strstr(para[i], ".;"));
        found = found || strstr(para[i], "Readiness check — Keypad: no "
                                         "keypad is configured; Chime") != NULL;
        free(para[i]);
    }
    assert_true(found);
    report_free(r);
    i18n_free(t);
}

/* Runs CMD and returns its whole output (the caller frees). */
static char *
run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *out = calloc(1, 65536);
    assert_non_null(out);
    size_t n = fread(out, 1, 65535, p);
    out[n] = '\0';
    pclose(p);
    return out;
}

static void
test_closing_pdf(void **state)
{
    (void)state;
    char dir[256], cmd[700], printer[300];
    assert_int_equal(unit_tmpdir(dir, sizeof dir, "report"), 0);
    setenv("TZ", "UTC", 1);
    struct i18n *t = i18n_new_empty();
    struct report_facts f = closing_facts();
    struct report *r = report_build(&f, t, LANG_EN);
    char *path = NULL, *why = NULL;
    snprintf(printer, sizeof printer, "pdf:%s", dir);
    if (report_print(printer, r, 0, &path, &why) != 0)
        fail_msg("%s", why);
    snprintf(cmd, sizeof cmd, "pdftotext -layout %s - | tr -s ' \\n' ' '",
             path);
    char *text = run(cmd);
    assert_non_null(strstr(text, "Voter sessions served: 17"));
    assert_non_null(strstr(text, "Stencils written: 3"));
    assert_non_null(strstr(text, "Invataxi (invataxi): 4"));
    assert_non_null(strstr(text, "Applications in all: 6"));
    assert_non_null(strstr(text, "Audit head: 42 b6e1d0c"));
    assert_non_null(strstr(text, "Package hash: 3f9a2c4"));
    free(text);
    snprintf(cmd, sizeof cmd, "pdfinfo %s | grep -c '^Pages: *1$'", path);
    text = run(cmd);
    assert_string_equal(text, "1\n");
    free(text);
    /* A page of ink: pdftoppm draws it and the page is not blank. */
    snprintf(cmd, sizeof cmd,
             "pdftoppm -r 30 -gray -singlefile %s %s/p && "
             "test $(tr -d '\\377' < %s/p.pgm | wc -c) -gt 1000 && echo ink",
             path, dir, dir);
    text = run(cmd);
    assert_string_equal(text, "ink\n");
    free(text);
    free(path);
    report_free(r);

    /* A folder that does not exist: the reason names it. */
    r = report_build(&f, t, LANG_EN);
    assert_int_equal(report_print("pdf:/nonexistent/dauys", r, 0, NULL, &why),
                     -1);
    assert_non_null(strstr(why, "/nonexistent/dauys"));
    free(why);
    why = NULL;
    assert_int_equal(report_print("", r, 0, NULL, &why), -1);
    assert_non_null(strstr(why, "no receipt printer"));
    free(why);
    report_free(r);
    i18n_free(t);
    assert_int_equal(unit_rmtree(dir), 0);
}

static void
test_escpos(void **state)
{
    (void)state;
    char dir[256], dev[300];
    assert_int_equal(unit_tmpdir(dir, sizeof dir, "report"), 0);
    struct i18n *t = i18n_new_empty();
    struct report_facts f = closing_facts();
    struct report *r = report_build(&f, t, LANG_KK);
    unsigned char *b = NULL;
    size_t len = 0;
    char *why = NULL;
    if (report_escpos(r, 0, &b, &len, &why) != 0)
        fail_msg("%s", why);
    assert_true(len > 1000);
    assert_int_equal(b[0], 0x1b);
    assert_int_equal(b[1], 0x40);
    assert_int_equal(b[2], 0x1d); /* GS v 0: raster */
    assert_int_equal(b[3], 0x76);
    assert_int_equal(b[len - 3], 0x56); /* cut */
    /* Some dots are black. */
    size_t ink = 0;
    for (size_t i = 10; i + 8 < len; i++)
        ink += b[i] != 0;
    assert_true(ink > 100);
    /* A device file gets the same bytes. */
    snprintf(dev, sizeof dev, "%s/lp0", dir);
    FILE *fp = fopen(dev, "w");
    assert_non_null(fp);
    fclose(fp);
    if (report_print(dev, r, 0, NULL, &why) != 0)
        fail_msg("%s", why);
    fp = fopen(dev, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    assert_int_equal((size_t)ftell(fp), len);
    fclose(fp);
    free(b);
    report_free(r);
    i18n_free(t);
    assert_int_equal(unit_rmtree(dir), 0);
}

static void
test_guide(void **state)
{
    (void)state;
    static const char text[] =
        "# Нұсқаулық\n\nБірінші абзац\nжалғасы.\n\n## Ашу\n- бір\n"
        "  екі\n- үш\n<!-- short -->\n## Кімге қоңырау шалу\nТелефон.\n";
    struct report *r = NULL;
    char *why = NULL;
    if (report_guide_parse("g", text, sizeof text - 1, &r, &why) != 0)
        fail_msg("%s", why);
    assert_int_equal(r->n, 7);
    assert_int_equal(r->lines[0].style, REPORT_TITLE);
    assert_string_equal(r->lines[1].text, "Бірінші абзац жалғасы.");
    assert_int_equal(r->lines[2].style, REPORT_HEADING);
    assert_int_equal(r->lines[3].style, REPORT_ITEM);
    assert_string_equal(r->lines[3].text, "бір екі");
    assert_string_equal(r->lines[4].text, "үш");
    assert_int_equal(r->short_from, 5);
    assert_string_equal(r->lines[5].text, "Кімге қоңырау шалу");
    report_free(r);

    static const char bad[] = "# T\n\xff\n";
    assert_int_equal(report_guide_parse("g", bad, sizeof bad - 1, &r, &why),
                     -1);
    assert_non_null(strstr(why, "UTF-8"));
    free(why);
    why = NULL;
    static const char untitled[] = "text\n";
    assert_int_equal(report_guide_parse("g", untitled, sizeof untitled - 1, &r,
                                        &why),
                     -1);
    assert_non_null(strstr(why, "title"));
    free(why);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_short_hash),
          cmocka_unit_test(test_closing_lines),
          cmocka_unit_test(test_opening_ready),
          cmocka_unit_test(test_closing_pdf), cmocka_unit_test(test_escpos),
          cmocka_unit_test(test_guide))
