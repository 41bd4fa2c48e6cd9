#!/bin/sh
# --kiosk: Ctrl-C, Ctrl-Z and Ctrl-\ (as keys, and SIGINT, SIGQUIT, SIGTSTP
# as signals) do nothing, only staff can quit, and the speech-log test
# hook is refused. Without --kiosk, Ctrl-C quits cleanly with status 0.
# With --kiosk there is no speech log, so everything is checked on the
# screen.
. "$(dirname "$0")/lib.sh"

# --- the test hook is refused in production ------------------------------------------
"$DAUYS" run --demo --kiosk --speech none --speech-log hook.log >out 2>err
st=$?
[ $st -eq 2 ] || fail "--kiosk --speech-log exited $st, expected 2"
grep -q -- '--speech-log' err || fail "the refusal does not name --speech-log: $(cat err)"
grep -qi 'kiosk' err || fail "the refusal does not mention --kiosk: $(cat err)"
[ ! -e hook.log ] || fail "the refused speech log was created"
"$DAUYS" run --speech-log hook.log --kiosk --demo >out 2>err
[ $? -eq 2 ] || fail "--speech-log before --kiosk was not refused"

# --- --kiosk: the control keys do nothing -----------------------------------------------
kiosk_start --no-log --demo --kiosk
assert_screen_has 'Сәлеметсіз бе!'
assert_screen_lacks 'TEST MODE'
screen | grep -q '▶ Қазақша' || fail "the welcome does not focus Қазақша"
pid=$(kiosk_pid)
before=$(screen)
send_hex 03
send_hex 1a
send_hex 1c
wait_stable
[ "$(screen)" = "$before" ] || fail "a control key changed the screen"
# Keys are read in order: once Down has moved the focus, the control keys
# before it have been read too.
send Down
assert_screen_has '▶ Русский'
kiosk_alive || fail "Ctrl-C, Ctrl-Z or Ctrl-\\ stopped the kiosk"
[ "$(kiosk_pid)" = "$pid" ] || fail "the kiosk was restarted"
[ "$(ps -o stat= -p "$pid" | cut -c1)" != T ] ||
    fail "Ctrl-Z suspended the kiosk"

# The same as signals (someone at a keyboard with a cooked terminal).
kill -INT "$pid"
kill -QUIT "$pid"
kill -TSTP "$pid"
send Up
assert_screen_has '▶ Қазақша'
kiosk_alive || fail "SIGINT, SIGQUIT or SIGTSTP stopped the kiosk"
[ "$(ps -o stat= -p "$pid" | cut -c1)" != T ] ||
    fail "SIGTSTP suspended the kiosk"

# Only staff can quit: F10, the PIN, Quit kiosk.
send F10
assert_screen_has 'Қызметкердің кіруі'
send 1 2 3 4 5 6 Enter
assert_screen_has 'Қызметкер мәзірі'
send Down Down Down Down Down
assert_screen_has '▶ Киоскіні жабу'
send Enter
assert_exit 0 "Quit kiosk"

# SIGTERM (the service manager stopping it) still ends a --kiosk kiosk.
kiosk_start --no-log --demo --kiosk
kill -TERM "$(kiosk_pid)"
assert_exit 0 "SIGTERM with --kiosk"

# --- without --kiosk, Ctrl-C quits cleanly ------------------------------------------------
kiosk_start --demo
press Down
send_hex 03
assert_exit 0 "Ctrl-C without --kiosk"
exit 0
