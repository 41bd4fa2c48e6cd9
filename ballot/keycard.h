/*
 * The keypad card: for a keypad profile, one 1:1 sheet with the Braille
 * and large-print instruction card (what the kiosk is, and that any key
 * starts the spoken instructions, in Kazakh and Russian), a tactile label
 * for every function key at the profile's key pitch, and a legend of the
 * symbols with their Braille words (layout: keycard_layout.h). Written as
 * SVG with the named layers `cut` (card outline and labels, to cut),
 * `emboss` (its groups `braille` and `symbols`, to raise) and `print`, as
 * PDF (exact page size, for swell paper) or PNG (300 dpi preview), through
 * the stencils' sheet code (sheet.h).
 */
#ifndef DAUYS_BALLOT_KEYCARD_H
#define DAUYS_BALLOT_KEYCARD_H

#include "accessibility/keyprofile.h"

/*
 * Writes the sheet for profile P, called NAME in print, to OUT_PATH in the
 * format its extension names (.svg, .pdf, .png); the file appears only
 * complete. Returns 0, or -1 and sets *WHY (the caller frees): an unknown
 * extension, a profile without function keys, a text liblouis cannot
 * translate, or the reason a write failed.
 */
int keycard_write(const struct keyprofile *p, const char *name,
                  const char *out_path, char **why);

#endif
