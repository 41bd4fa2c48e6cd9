# dauys keypad profile "numpad": a USB numeric keypad with a tactile 5.
# Format: docs/keypad.md. One binding a line: evdev key name, action, and
# optionally what the key does while a number is typed (an IIN, a phone or
# application number): there the digit keys type their digits, '.' deletes
# the last digit (on an empty field: back), Enter confirms.
# Listed row by row, as the keypad tutorial reads them.
#
#   Num Lock   /  slower    *  faster    -  quieter
#   7  back    8  up        9  help      +  louder
#   4  left    5  select    6  right     +
#   1  language 2 down      3  repeat    Enter select
#   0  pause (wide key)     .  curtain   Enter
#
# Num Lock is left unbound: many keypads toggle it in hardware, and a key
# that changes what the others send must not be an action. A keypad has
# fewer keys than there are actions: the privacy curtain is on '.' because
# a blind voter needs it to keep the ballot secret; the colour theme and
# the text size are not on the numpad (docs/keypad.md).

# Centre to centre of neighbouring keys, for the tactile labels of
# `dauys keypad-card` (the usual 3/4 inch).
pitch_mm        19.05

KEY_KPSLASH     slower
KEY_KPASTERISK  faster
KEY_KPMINUS     volume-down
KEY_KP7         back        digit
KEY_KP8         up          digit
KEY_KP9         help        digit
KEY_KPPLUS      volume-up
KEY_KP4         left        digit
KEY_KP5         select      digit
KEY_KP6         right       digit
KEY_KP1         language    digit
KEY_KP2         down        digit
KEY_KP3         repeat      digit
KEY_KPENTER     select
KEY_KP0         pause       digit
KEY_KPDOT       curtain     delete
# Some keypads have a Backspace key above the Num Lock row.
KEY_BACKSPACE   delete
