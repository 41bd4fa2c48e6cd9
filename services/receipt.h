/*
 * Receipts: the application number on paper, with a QR code whose text is
 * "dauys-application:<centre>:<number>".
 *
 * One drawing with cairo serves both outputs. For `printer = pdf:DIR` it
 * goes to a PDF page 80 mm wide (DIR/receipt-<number>.pdf, written to a
 * temporary file and renamed). For an ESC/POS thermal printer it is drawn
 * on a 576-dot-wide 1-bit image and sent as raster graphics (GS v 0), so
 * Kazakh letters print whatever code pages the printer has.
 */
#ifndef DAUYS_SERVICES_RECEIPT_H
#define DAUYS_SERVICES_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include "accessibility/i18n.h"

#define RECEIPT_DOTS 576        /* 72 mm printable at 203 dpi */
#define RECEIPT_TIMEOUT_MS 4000 /* longest wait for a printer */

/* What a receipt shows; the printer lays it out. */
struct receipt {
    const char *number; /* 9 digits */
    const char *centre;
    const char *service; /* title in the visitor's language */
    enum lang lang;
    int64_t created_at; /* Unix seconds */
};

/*
 * Prints R on PRINTER: "pdf:DIR" or the path of an ESC/POS device. Texts
 * come from I18N in R's language. Returns 0, or -1 with *why (caller
 * frees) when there is no printer (PRINTER empty) or it fails. With
 * PATH not NULL, the PDF's path is returned there (caller frees).
 */
int receipt_print(const char *printer, const struct receipt *r,
                  const struct i18n *i18n, char **path, char **why);

/* The same, waiting for a device at most TIMEOUT_MS in all (receipt_print:
 * RECEIPT_TIMEOUT_MS): the device is written without blocking, so a
 * printer that is missing, out of paper or stuck is an error after at
 * most that long, never a frozen kiosk. */
int receipt_print_within(const char *printer, const struct receipt *r,
                         const struct i18n *i18n, int timeout_ms, char **path,
                         char **why);

/*
 * Renders R as the ESC/POS byte stream a printer is sent; *out (caller
 * frees) and *len. Returns 0 or -1 with *why.
 */
int receipt_escpos(const struct receipt *r, const struct i18n *i18n,
                   unsigned char **out, size_t *len, char **why);

/*
 * Encodes ROWS rows of a RECEIPT_DOTS-wide RGB24 image (DATA, STRIDE bytes
 * a row, as cairo draws it) as ESC/POS: initialise, raster bands (GS v 0,
 * dark pixels printed), feed and cut. *OUT (the caller frees) and *LEN.
 * Every printout (receipts, the kiosk's reports) goes through it, so
 * Kazakh letters print on any ESC/POS printer. Returns 0.
 */
int receipt_raster(const unsigned char *data, int stride, int rows,
                   unsigned char **out, size_t *len);

/*
 * Sends LEN BYTES to the ESC/POS printer device DEV without ever blocking:
 * the device is opened and written with O_NONBLOCK, and poll() waits for
 * it at most TIMEOUT_MS in all. A printer that is not there, out of paper
 * or stuck is an error after at most that long, never a frozen kiosk.
 * Returns 0, or -1 with *WHY (the caller frees) naming the device and the
 * fault.
 */
int receipt_send(const char *dev, const unsigned char *bytes, size_t len,
                 int timeout_ms, char **why);

#endif
