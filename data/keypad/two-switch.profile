# dauys keypad profile "two-switch": two switches (two large buttons, a
# sip-and-puff, the two jacks of a USB switch interface). Move goes to the
# next item of the screen, then to repeat, help, louder, quieter, language
# and back, round in a ring; each item is read and shown as it gets the
# focus. Select chooses the item. Numbers are typed digit by digit: the
# ring then offers 1 2 3 4 5 6 7 8 9 0, Delete and Done. Format and
# scanning: docs/keypad.md.
#
# USB switch interfaces send ordinary key codes; most can be set to
# Space/Enter, and many send 1/2 out of the box. Both pairs are bound, so
# that either setting works: the first jack moves, the second selects.
mode two-switch

KEY_SPACE       next
KEY_1           next
KEY_ENTER       select
KEY_2           select
