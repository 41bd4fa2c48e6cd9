# dauys keypad profile "one-switch": a single switch. The focus moves by
# itself through the items of the screen and then repeat, help, louder,
# quieter, language and back, every [keypad] scan_interval_s seconds
# (default 2, 1-10) after the item has been read out, never while it is
# still being spoken; the switch chooses the item that has the focus.
# Numbers are typed digit by digit (1 2 3 4 5 6 7 8 9 0, Delete, Done).
# Format and scanning: docs/keypad.md.
#
# A switch interface's jack usually sends Space or Enter (or 1); every one
# of them selects, so whichever jack the switch is plugged into works.
mode one-switch

KEY_SPACE       select
KEY_ENTER       select
KEY_1           select
