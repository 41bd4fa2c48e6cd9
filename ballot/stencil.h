/*
 * Braille ballot stencils: a 1:1 sheet laid over one paper ballot, with
 * the ballot's corner cut, a window over every box, each window's number in
 * Braille and in large print beside it, and the ballot title, the package
 * hash and a QR code (`dauys-election:<id>:<hash>:<ballot id>`) that tie
 * the sheet to the exact package. Written as SVG (named groups for a laser
 * cutter or an embosser), PDF (exact paper size, for swell paper) or PNG
 * (300 dpi preview). The layout rules are in stencil_layout.h and
 * docs/stencil.md.
 */
#ifndef DAUYS_BALLOT_STENCIL_H
#define DAUYS_BALLOT_STENCIL_H

#include "ballot/election.h"

#include "ballot/sheet.h"

enum stencil_format {
    STENCIL_SVG = SHEET_SVG,
    STENCIL_PDF = SHEET_PDF,
    STENCIL_PNG = SHEET_PNG,
};

/* The resolution of PNG stencils. */
#define STENCIL_PNG_DPI SHEET_PNG_DPI

/*
 * Finds the format of PATH from its extension (".svg", ".pdf" or ".png",
 * in any case). Returns 0 and sets *FORMAT, or -1 and sets *WHY (the
 * caller frees) saying which extensions are known.
 */
int stencil_format_of(const char *path, enum stencil_format *format,
                      char **why);

/*
 * Checks that the stencil of ballot B can be made with MARGIN_MM of extra
 * opening around every box: every window on the paper and out of the cut
 * corner, windows apart from each other, and room for every window's
 * Braille and print number and for the QR/title block. Returns 0, or -1
 * and sets *WHY (the caller frees) to one line per problem, naming windows
 * by position and option id and saying what to change.
 */
int stencil_check(const struct election_ballot *b, double margin_mm,
                  char **why);

/*
 * Returns the text of the stencil's QR code,
 * `dauys-election:<election id>:<package hash>:<ballot id>`. The caller
 * frees it.
 */
char *stencil_qr_text(const struct election *e,
                      const struct election_ballot *b);

/*
 * Writes the stencil of ballot B (one of E's ballots) to OUT_PATH in the
 * format its extension names. The file is written beside OUT_PATH under a
 * temporary name and renamed over OUT_PATH only when complete, so a failed
 * run leaves no partial file. Returns 0, or -1 and sets *WHY (the caller
 * frees): a refused layout (as stencil_check() says), an unknown extension
 * or the system's reason for a failed write.
 */
int stencil_write(const struct election *e, const struct election_ballot *b,
                  double margin_mm, const char *out_path, char **why);

#endif
