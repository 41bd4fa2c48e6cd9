/*
 * QR codes drawn with text: two rows of modules per line of half-block
 * characters (▀ ▄ █ and space), so that a terminal shows a code a phone
 * can scan. Light modules are drawn (the terminal's foreground is light
 * on a dark background), dark modules are left blank, and a light quiet
 * zone surrounds the code, as the standard asks. This is the one QR
 * drawer for the screen (the package's code, an application's saved
 * screen): a screen adds each line as a VIEW_BLOCK item, which the layout
 * never wraps and never separates with blank rows, so the code scans.
 */
#ifndef DAUYS_KIOSK_QRTEXT_H
#define DAUYS_KIOSK_QRTEXT_H

/* The quiet zone drawn around the code, in modules. */
#define QRTEXT_QUIET 2

struct qrtext {
    char **lines; /* UTF-8, n_lines of them */
    int n_lines;
    int modules; /* modules per side, quiet zone included */
};

/*
 * Encodes TEXT (8-bit mode, error correction level L, the smallest
 * version that holds it) and fills Q. Returns 0, or -1 with *why (the
 * caller frees) when libqrencode refuses. The caller frees Q's lines with
 * qrtext_free().
 */
int qrtext_make(const char *text, struct qrtext *q, char **why);

/* Frees Q's lines. */
void qrtext_free(struct qrtext *q);

#endif
