KEY_KP8 up # c
KEY_KP2	down
KEY_KP5 select
KEY_KP7 back
KEY_KP9 help
KEY_NUMLOCK none