/*
 * Receipts: the PDF and the ESC/POS raster both carry a QR code that a
 * real decoder (zbarimg) reads as dauys-application:<centre>:<number>;
 * no printer, and a printer that cannot be opened, are errors with a
 * reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "services/receipt.h"
#include "tests/unit/unit.h"

/* Fontconfig keeps its configuration, loaded on first use of a font, for
 * the life of the process and has LeakSanitizer report it; the receipt
 * code itself must leak nothing. Read by LeakSanitizer in sanitized
 * builds. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static const struct receipt sample = {
    .number = "123456782",
    .centre = "ALM-01",
    .service = "Инватакси",
    .lang = LANG_KK,
    .created_at = 1740000000,
};

/* Runs CMD and returns its first line of output (static buffer). */
static const char *
run(const char *cmd)
{
    static char line[512];
    line[0] = '\0';
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    if (fgets(line, sizeof line, p) == NULL)
        line[0] = '\0';
    pclose(p);
    line[strcspn(line, "\n")] = '\0';
    return line;
}

static void
test_pdf_qr_decodes(void **state)
{
    (void)state;
    char dir[] = "/tmp/dauys-receipt-XXXXXX", cmd[512];
    assert_non_null(mkdtemp(dir));
    struct i18n *t = i18n_new_empty();
    char *path = NULL, *why = NULL, printer[64];
    snprintf(printer, sizeof printer, "pdf:%s", dir);
    if (receipt_print(printer, &sample, t, &path, &why) != 0)
        fail_msg("%s", why);
    char want[300];
    snprintf(want, sizeof want, "%s/receipt-123456782.pdf", dir);
    assert_string_equal(path, want);
    snprintf(cmd, sizeof cmd,
             "pdftoppm -r 300 -gray -singlefile %s %s/page && "
             "zbarimg -q --raw %s/page.pgm 2>/dev/null",
             path, dir, dir);
    assert_string_equal(run(cmd), "dauys-application:ALM-01:123456782");
    snprintf(cmd, sizeof cmd, "pdftotext %s - | tr '\\n' ' '", path);
    assert_non_null(strstr(run(cmd), "123 456 782"));
    free(path);
    assert_int_equal(unit_rmtree(dir), 0);
    i18n_free(t);
}

static void
test_escpos_raster_qr_decodes(void **state)
{
    (void)state;
    struct i18n *t = i18n_new_empty();
    unsigned char *b = NULL;
    size_t len = 0;
    char *why = NULL;
    assert_int_equal(receipt_escpos(&sample, t, &b, &len, &why), 0);
    assert_int_equal(b[0], 0x1b);
    assert_int_equal(b[1], 0x40);
    /* Bands of GS v 0; turn them into one PBM and decode it. */
    char pbm[] = "/tmp/dauys-escpos-XXXXXX";
    int fd = mkstemp(pbm);
    FILE *f = fdopen(fd, "wb");
    size_t o = 2, rows = 0;
    unsigned char *img = malloc(len);
    size_t il = 0;
    while (o + 8 <= len && b[o] == 0x1d && b[o + 1] == 0x76) {
        size_t w = b[o + 4] | (size_t)b[o + 5] << 8;
        size_t h = b[o + 6] | (size_t)b[o + 7] << 8;
        assert_int_equal(w, RECEIPT_DOTS / 8);
        o += 8;
        memcpy(img + il, b + o, w * h);
        il += w * h;
        o += w * h;
        rows += h;
    }
    assert_true(rows > 300);
    /* feed and cut follow the image */
    assert_int_equal(len - o, 7);
    assert_int_equal(b[o + 3], 0x1d);
    assert_int_equal(b[o + 4], 0x56);
    fprintf(f, "P4\n%d %zu\n", RECEIPT_DOTS, rows);
    fwrite(img, 1, il, f);
    fclose(f);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "zbarimg -q --raw %s 2>/dev/null", pbm);
    assert_string_equal(run(cmd), "dauys-application:ALM-01:123456782");
    unlink(pbm);
    free(img);
    free(b);
    i18n_free(t);
}

static void
test_printer_errors(void **state)
{
    (void)state;
    struct i18n *t = i18n_new_empty();
    /* Each printer that cannot print, and what the error says. */
    static const struct {
        const char *printer, *why;
    } refused[] = {
        {"", "no receipt printer is configured"},
        {"/nonexistent/lp0", "cannot open the receipt printer"},
        {"pdf:/nonexistent", "cannot write the receipt"},
    };
    char *why = NULL;
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        why = NULL;
        assert_int_equal(receipt_print(refused[i].printer, &sample, t, NULL,
                                       &why),
                         -1);
        if (strstr(why, refused[i].why) == NULL)
            fail_msg("printer '%s': '%s' lacks '%s'", refused[i].printer, why,
                     refused[i].why);
        free(why);
    }
    /* A device that is a plain file receives the ESC/POS stream. */
    char dev[] = "/tmp/dauys-lp-XXXXXX";
    int fd = mkstemp(dev);
    close(fd);
    why = NULL;
    assert_int_equal(receipt_print(dev, &sample, t, NULL, &why), 0);
    struct stat st;
    assert_int_equal(stat(dev, &st), 0);
    assert_true(st.st_size > 10000);
    unlink(dev);
    i18n_free(t);
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* D5: a printer that does not take the receipt (a FIFO whose reader
 * stopped reading, as a paper-out USB printer does; a FIFO nobody reads,
 * as an unplugged one) is an error within the timeout, never a wait
 * without end. A test process killed by the alarm fails the test. */
static void
test_stuck_printer_never_blocks(void **state)
{
    (void)state;
    struct i18n *t = i18n_new_empty();
    char dir[256], fifo[300], *why = NULL;
    assert_int_equal(unit_tmpdir(dir, sizeof dir, "dauys-lp"), 0);
    snprintf(fifo, sizeof fifo, "%s/lp0", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    alarm(20);
    /* Nobody reads: not connected, at once. */
    double t0 = now_s();
    assert_int_equal(receipt_print_within(fifo, &sample, t, 300, NULL, &why),
                     -1);
    assert_non_null(strstr(why, "not connected"));
    free(why);
    why = NULL;
    assert_true(now_s() - t0 < 1.0);
    /* A reader that takes nothing: the pipe fills, then the timeout. */
    int rd = open(fifo, O_RDONLY | O_NONBLOCK);
    assert_true(rd >= 0);
    int wr = open(fifo, O_WRONLY | O_NONBLOCK);
    assert_true(wr >= 0);
    static const char fill[4096];
    while (write(wr, fill, sizeof fill) > 0)
        ;
    t0 = now_s();
    assert_int_equal(receipt_print_within(fifo, &sample, t, 300, NULL, &why),
                     -1);
    double took = now_s() - t0;
    if (strstr(why, "did not take the receipt in time") == NULL)
        fail_msg("a stuck printer: %s", why);
    free(why);
    why = NULL;
    assert_true(took >= 0.25 && took < 2.0);
    /* The default timeout is a few seconds, not forever. */
    assert_true(RECEIPT_TIMEOUT_MS > 0 && RECEIPT_TIMEOUT_MS <= 5000);
    alarm(0);
    close(wr);
    close(rd);
    unlink(fifo);
    unit_rmtree(dir);
    i18n_free(t);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_pdf_qr_decodes),
          cmocka_unit_test(test_escpos_raster_qr_decodes),
          cmocka_unit_test(test_printer_errors),
          cmocka_unit_test(test_stuck_printer_never_blocks))
