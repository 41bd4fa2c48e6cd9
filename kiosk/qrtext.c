/*
 * QR codes as half-block text (see qrtext.h). Line y covers module rows
 * 2y and 2y+1; a cell shows its upper module with ▀, its lower one with
 * ▄, both with █ and neither with a space.
 */
#include "kiosk/qrtext.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "accessibility/xalloc.h"

/* Whether the module at X, Y (quiet zone included) is light. */
static int
qrtext_light(const QRcode *qr, int x, int y)
{
    x -= QRTEXT_QUIET;
    y -= QRTEXT_QUIET;
    if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
        return 1;
    return !(qr->data[y * qr->width + x] & 1);
}

int
qrtext_make(const char *text, struct qrtext *q, char **why)
{
    memset(q, 0, sizeof *q);
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_L, QR_MODE_8, 1);
    if (qr == NULL) {
        *why = xasprintf("cannot make the QR code: %s", strerror(errno));
        return -1;
    }
    int m = qr->width + 2 * QRTEXT_QUIET;
    q->modules = m;
    q->n_lines = (m + 1) / 2;
    q->lines = xcalloc((size_t)q->n_lines, sizeof *q->lines);
    static const char *const cell[4] = {" ", "▄", "▀", "█"};
    for (int l = 0; l < q->n_lines; l++) {
        char *s = xmalloc((size_t)m * 3 + 1);
        size_t o = 0;
        for (int x = 0; x < m; x++) {
            int up = qrtext_light(qr, x, 2 * l);
            int down = 2 * l + 1 < m ? qrtext_light(qr, x, 2 * l + 1) : 0;
            const char *c = cell[up * 2 + down];
            size_t n = strlen(c);
            memcpy(s + o, c, n);
            o += n;
        }
        s[o] = '\0';
        q->lines[l] = s;
    }
    QRcode_free(qr);
    return 0;
}

void
qrtext_free(struct qrtext *q)
{
    for (int i = 0; i < q->n_lines; i++)
        free(q->lines[i]);
    free(q->lines);
    memset(q, 0, sizeof *q);
}
