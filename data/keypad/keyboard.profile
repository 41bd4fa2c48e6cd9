# dauys keypad profile "keyboard": a full USB keyboard read through
# libinput, with the keys of the terminal keyboard (specs/cli.md), except
# F10: staff login is never reachable from a visitor's input device.
# Format: docs/keypad.md. evdev key codes do not know Shift, so '+' is the
# '=' key, '>' the '.' key, '<' the ',' key and '?' the '/' key.

KEY_UP          up
KEY_DOWN        down
KEY_LEFT        left
KEY_RIGHT       right
KEY_ENTER       select
KEY_KPENTER     select
KEY_ESC         back
KEY_BACKSPACE   delete
KEY_F1          help
KEY_SLASH       help
KEY_F2          repeat
KEY_R           repeat
KEY_EQUAL       volume-up
KEY_KPPLUS      volume-up
KEY_MINUS       volume-down
KEY_KPMINUS     volume-down
KEY_DOT         faster
KEY_COMMA       slower
KEY_L           language
KEY_SPACE       pause
KEY_T           theme
KEY_Z           text-size
KEY_B           curtain
KEY_1           digit
KEY_2           digit
KEY_3           digit
KEY_4           digit
KEY_5           digit
KEY_6           digit
KEY_7           digit
KEY_8           digit
KEY_9           digit
KEY_0           digit
