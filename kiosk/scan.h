/*
 * Switch scanning: how a visitor with two switches (Move and Select) or
 * one switch reaches every option of every screen and every action the
 * app offers on all of them.
 *
 * While a switch profile is in force (keyprofile_mode()), the app adds
 * the items below to the options of the screen on view: on a screen where
 * a number is typed first the digits 1 2 3 4 5 6 7 8 9 0, "Delete" and
 * "Done", on a screen with sections (ballots) "Next section" and
 * "Previous section", then, on every screen, repeat, help, louder, quieter, language
 * and back. Move (ACTION_NEXT) takes the focus to the next option, round
 * in a ring; in one-switch mode the app moves it by itself (app.h). Each
 * item the focus reaches is shown and read like any option. Select on one
 * of these items becomes the key it stands for (scan_item_key()), which
 * then takes the ordinary path through the app: a digit is typed into the
 * field, "Done" confirms it, "Back" goes back.
 *
 * The items carry ids no screen uses (all below SCAN_ID_FIRST, negative),
 * so that the focus is kept on them by id like on any option.
 */
#ifndef DAUYS_KIOSK_SCAN_H
#define DAUYS_KIOSK_SCAN_H

#include <stdbool.h>

#include "accessibility/action.h"
#include "kiosk/screen.h"

#define SCAN_ID_FIRST (-1000)
#define SCAN_ID_DIGIT(d) (SCAN_ID_FIRST - (d)) /* d: 0..9 */
#define SCAN_ID_DELETE (SCAN_ID_FIRST - 10)
#define SCAN_ID_DONE (SCAN_ID_FIRST - 11)
#define SCAN_ID_NEXT_SECTION (SCAN_ID_FIRST - 12)
#define SCAN_ID_PREV_SECTION (SCAN_ID_FIRST - 13)
#define SCAN_ID_REPEAT (SCAN_ID_FIRST - 20)
#define SCAN_ID_HELP (SCAN_ID_FIRST - 21)
#define SCAN_ID_LOUDER (SCAN_ID_FIRST - 22)
#define SCAN_ID_QUIETER (SCAN_ID_FIRST - 23)
#define SCAN_ID_LANGUAGE (SCAN_ID_FIRST - 24)
#define SCAN_ID_BACK (SCAN_ID_FIRST - 25)
#define SCAN_ID_LAST SCAN_ID_BACK

/* Appends the scanning items to V, translated through C: the digits,
 * Delete and Done first when NUMBER (a number is being typed), next and
 * previous section when SECTIONS (screen_ops.sections), then the actions
 * of every screen. */
void scan_view(const struct ctx *c, struct view *v, bool number, bool sections);

/* True when ID is one of the items scan_view() adds. */
bool scan_is_item(int id);

/* Fills *K with the key the item ID stands for (a digit, Delete, Select
 * for Done, repeat, help, volume, language, back), named NAME; returns
 * false, *K untouched, when ID is not a scanning item. */
bool scan_item_key(int id, const char *name, struct key *k);

#endif
