/*
 * Receipt rendering and output (see receipt.h). The layout works in
 * points on a page 80 mm wide; the raster output scales it to dots.
 */
#include "services/receipt.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accessibility/atomicfile.h"
#include "accessibility/readout.h"
#include "accessibility/xalloc.h"
#include "services/application.h"

#define PAGE_W (80.0 / 25.4 * 72.0) /* points */
#define PAGE_H (150.0 / 25.4 * 72.0)
#define MARGIN 12.0
#define FONT "DejaVu Sans"

/* Draws TEXT wrapped at spaces to the page width, from *Y; advances *Y. */
static void
draw_wrapped(cairo_t *cr, const char *text, double size, bool bold, bool centre,
             double *y)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD
                                : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    double width = PAGE_W - 2 * MARGIN;
    char *copy = xstrdup(text), *line = xmalloc(strlen(text) + 1);
    char *p = copy;
    while (*p != '\0') {
        line[0] = '\0';
        char *word_end = p;
        /* take as many words as fit */
        for (;;) {
            char *sp = strchr(word_end, ' ');
            size_t upto = sp ? (size_t)(sp - p) : strlen(p);
            char save = p[upto];
            p[upto] = '\0';
            cairo_text_extents_t ext;
            cairo_text_extents(cr, p, &ext);
            p[upto] = save;
            if (ext.x_advance > width && line[0] != '\0')
                break;
            memcpy(line, p, upto);
            line[upto] = '\0';
            word_end = sp ? sp + 1 : p + upto;
            if (sp == NULL)
                break;
        }
        if (line[0] == '\0') { /* one word wider than the page */
            size_t upto = strcspn(p, " ");
            memcpy(line, p, upto);
            line[upto] = '\0';
            word_end = p + upto + (p[upto] == ' ');
        }
        cairo_text_extents_t ext;
        cairo_text_extents(cr, line, &ext);
        *y += size * 1.25;
        cairo_move_to(cr, centre ? (PAGE_W - ext.x_advance) / 2 : MARGIN, *y);
        cairo_show_text(cr, line);
        p = word_end;
    }
    *y += size * 0.4;
    free(copy);
    free(line);
}

static int
draw_qr(cairo_t *cr, const char *text, double *y, char **why)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (q == NULL) {
        *why = xasprintf("cannot make the QR code: %s", strerror(errno));
        return -1;
    }
    int quiet = 4, n = q->width + 2 * quiet;
    double module = (PAGE_W * 0.6) / n;
    double x0 = (PAGE_W - module * n) / 2, y0 = *y + 6;
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int my = 0; my < q->width; my++)
        for (int mx = 0; mx < q->width; mx++)
            if (q->data[my * q->width + mx] & 1)
                cairo_rectangle(cr, x0 + (mx + quiet) * module,
                                y0 + (my + quiet) * module, module, module);
    cairo_fill(cr);
    *y = y0 + n * module;
    QRcode_free(q);
    return 0;
}

/* Draws the whole receipt on CR (in points); returns the height used. */
static double
receipt_draw(cairo_t *cr, const struct receipt *r, const struct i18n *t,
             char **why, int *rc)
{
    char buf[512], when[40], qr[128];
    double y = MARGIN;
    const char *args[1];
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    draw_wrapped(cr, i18n_text(t, r->lang, "Ten Qogam centre"), 11, true, true,
                 &y);
    args[0] = r->centre;
    draw_wrapped(cr,
                 i18n_format(buf, sizeof buf,
                             i18n_text(t, r->lang, "Centre: {1}"), 1, args),
                 9, false, true, &y);
    draw_wrapped(cr, i18n_text(t, r->lang, "Your application number:"), 10,
                 false, true, &y);
    char *g = readout_grouped(r->number, 3);
    draw_wrapped(cr, g, 22, true, true, &y);
    free(g);
    args[0] = r->service;
    draw_wrapped(cr,
                 i18n_format(buf, sizeof buf,
                             i18n_text(t, r->lang, "Service: {1}"), 1, args),
                 9, false, false, &y);
    args[0] = application_time(r->created_at, false, when, sizeof when);
    draw_wrapped(cr,
                 i18n_format(buf, sizeof buf,
                             i18n_text(t, r->lang, "Date: {1}"), 1, args),
                 9, false, false, &y);
    if (application_qr_text(r->centre, r->number, qr, sizeof qr) < 0) {
        *why = xstrdup("the centre's name is too long for the QR code");
        *rc = -1;
    } else {
        *rc = draw_qr(cr, qr, &y, why);
    }
    draw_wrapped(cr,
                 i18n_text(t, r->lang,
                           "Keep this receipt. With this number you can "
                           "check the status of your application at the "
                           "kiosk or at the centre."),
                 8, false, false, &y);
    return y + MARGIN;
}

/* cairo's writer into the stream of an atomicfile. */
static cairo_status_t
receipt_write(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
                                                : CAIRO_STATUS_WRITE_ERROR;
}

static int
receipt_pdf(const char *dir, const struct receipt *r, const struct i18n *t,
            char **path, char **why)
{
    char *final = xasprintf("%s/receipt-%s.pdf", dir, r->number);
    struct atomicfile *af = NULL;
    char *file_why = NULL;
    int rc = -1;
    if (atomicfile_open(final, 0644, 0, &af, &file_why) < 0)
        goto out;
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(
        receipt_write, atomicfile_stream(af), PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(s);
    int drc = 0;
    receipt_draw(cr, r, t, why, &drc);
    cairo_show_page(cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (drc < 0)
        goto out;
    if (st != CAIRO_STATUS_SUCCESS) {
        *why = xasprintf("cannot write the receipt %s: %s", final,
                         cairo_status_to_string(st));
        goto out;
    }
    int c = atomicfile_commit(af, &file_why);
    af = NULL;
    if (c < 0)
        goto out;
    if (path != NULL)
        *path = xstrdup(final);
    rc = 0;
out:
    if (file_why != NULL) {
        *why = xasprintf("cannot write the receipt: %s", file_why);
        free(file_why);
    }
    atomicfile_abort(af);
    free(final);
    return rc;
}

int
receipt_raster(const unsigned char *data, int stride, int rows,
               unsigned char **out, size_t *len)
{
    int wbytes = RECEIPT_DOTS / 8, band = 128;
    size_t cap = 16 + (size_t)rows * (size_t)wbytes +
                 (size_t)(rows / band + 1) * 8 + 16;
    unsigned char *b = xmalloc(cap);
    size_t o = 0;
    b[o++] = 0x1b; /* ESC @: initialise */
    b[o++] = 0x40;
    for (int y0 = 0; y0 < rows; y0 += band) {
        int h = rows - y0 < band ? rows - y0 : band;
        /* GS v 0 m xL xH yL yH: a raster band, 1 bit a dot, MSB left */
        unsigned char head[] = {0x1d,
                                0x76,
                                0x30,
                                0x00,
                                (unsigned char)(wbytes & 0xff),
                                (unsigned char)(wbytes >> 8),
                                (unsigned char)(h & 0xff),
                                (unsigned char)(h >> 8)};
        memcpy(b + o, head, sizeof head);
        o += sizeof head;
        for (int y = y0; y < y0 + h; y++) {
            const uint32_t *px = (const uint32_t *)(data + (size_t)y * stride);
            for (int xb = 0; xb < wbytes; xb++) {
                unsigned char byte = 0;
                for (int bit = 0; bit < 8; bit++) {
                    uint32_t p = px[xb * 8 + bit];
                    unsigned lum = ((p >> 16) & 0xff) * 3 +
                                   ((p >> 8) & 0xff) * 6 + (p & 0xff);
                    if (lum < 128 * 10)
                        byte |= (unsigned char)(0x80 >> bit);
                }
                b[o++] = byte;
            }
        }
    }
    static const unsigned char tail[] = {0x1b, 0x64, 0x04,        /* feed */
                                         0x1d, 0x56, 0x42, 0x00}; /* cut */
    memcpy(b + o, tail, sizeof tail);
    o += sizeof tail;
    *out = b;
    *len = o;
    return 0;
}

int
receipt_escpos(const struct receipt *r, const struct i18n *t,
               unsigned char **out, size_t *len, char **why)
{
    double scale = RECEIPT_DOTS / PAGE_W;
    int hdots = (int)(PAGE_H * scale);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
                                                    RECEIPT_DOTS, hdots);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    int drc = 0;
    double used = receipt_draw(cr, r, t, why, &drc);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (drc < 0 || cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        if (drc == 0)
            *why = xstrdup("cannot draw the receipt");
        cairo_surface_destroy(s);
        return -1;
    }
    int rows = (int)(used * scale);
    if (rows > hdots)
        rows = hdots;
    receipt_raster(cairo_image_surface_get_data(s),
                   cairo_image_surface_get_stride(s), rows, out, len);
    cairo_surface_destroy(s);
    return 0;
}

/* Milliseconds left until DEADLINE (CLOCK_MONOTONIC), at least 0. */
static int
receipt_left_ms(const struct timespec *deadline)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long ms = (long long)(deadline->tv_sec - now.tv_sec) * 1000 +
                   (deadline->tv_nsec - now.tv_nsec) / 1000000;
    return ms < 0 ? 0 : ms > 60000 ? 60000 : (int)ms;
}

int
receipt_send(const char *dev, const unsigned char *bytes, size_t len,
             int timeout_ms, char **why)
{
    int rc = -1;
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    int fd = open(dev, O_WRONLY | O_NOCTTY | O_CLOEXEC | O_APPEND | O_NONBLOCK);
    if (fd < 0) {
        *why = errno == ENXIO
                   ? xasprintf("the receipt printer %s is not connected", dev)
                   : xasprintf("cannot open the receipt printer %s: %s", dev,
                               strerror(errno));
        goto out;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, bytes + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            int left = receipt_left_ms(&deadline);
            int pr = left > 0 ? poll(&p, 1, left) : 0;
            if (pr < 0 && errno == EINTR)
                continue;
            if (pr <= 0 || (p.revents & (POLLERR | POLLHUP)) != 0) {
                *why = xasprintf(
                    "the receipt printer %s %s (out of paper, or stuck)", dev,
                    pr == 0 ? "did not take the receipt in time"
                            : "stopped taking data");
                close(fd);
                goto out;
            }
            continue;
        }
        if (n <= 0) {
            *why = xasprintf("cannot write to the receipt printer %s: %s", dev,
                             n < 0 ? strerror(errno) : "no progress");
            close(fd);
            goto out;
        }
        done += (size_t)n;
    }
    if (close(fd) != 0) {
        *why = xasprintf("the receipt printer %s failed: %s", dev,
                         strerror(errno));
        goto out;
    }
    rc = 0;
out:
    return rc;
}

static int
receipt_device(const char *dev, const struct receipt *r, const struct i18n *t,
               int timeout_ms, char **why)
{
    unsigned char *bytes = NULL;
    size_t len = 0;
    if (receipt_escpos(r, t, &bytes, &len, why) < 0)
        return -1;
    int rc = receipt_send(dev, bytes, len, timeout_ms, why);
    free(bytes);
    return rc;
}

int
receipt_print(const char *printer, const struct receipt *r,
              const struct i18n *i18n, char **path, char **why)
{
    return receipt_print_within(printer, r, i18n, RECEIPT_TIMEOUT_MS, path,
                                why);
}

int
receipt_print_within(const char *printer, const struct receipt *r,
                     const struct i18n *i18n, int timeout_ms, char **path,
                     char **why)
{
    if (printer == NULL || printer[0] == '\0') {
        *why = xstrdup("no receipt printer is configured ([services] "
                       "printer)");
        return -1;
    }
    if (strncmp(printer, "pdf:", 4) == 0)
        return receipt_pdf(printer + 4, r, i18n, path, why);
    return receipt_device(printer, r, i18n, timeout_ms, why);
}
