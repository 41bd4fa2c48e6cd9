#!/bin/sh
# Resizing the terminal under the kiosk: too small a window shows the
# "too small" message in Kazakh and Russian instead of a broken screen;
# growing it again brings the whole screen back; 1x1 and a rapid series
# of sizes do not crash it, and it still answers keys afterwards.
. "$(dirname "$0")/lib.sh"

kk_small='Терезе тым'
ru_small='слишком маленькое'

# whole_home: the Russian home screen is drawn completely.
whole_home() {
    assert_screen_has 'Что Вы хотите сделать?'
    assert_screen_has '▶ Помощь в голосовании'
    assert_screen_has 'Социальные услуги'
    assert_screen_has 'Enter: выбрать   Escape: назад   F1: справка'
    assert_screen_has 'TEST MODE'
    wait_screen_lacks "$ru_small"
    assert_screen_lacks "$kk_small"
}

kiosk_start --demo
press Down
press Enter
whole_home
pid=$(kiosk_pid)

# --- too small -------------------------------------------------------------------
resize 20 5
assert_screen_has "$kk_small"
assert_screen_has "$ru_small"
wait_screen_lacks 'Что Вы хотите сделать?'
kiosk_alive || fail "the kiosk died at 20x5"

# Keys still work while too small: Down moves the focus underneath.
press Down
assert_screen_has "$ru_small"

# --- back to normal --------------------------------------------------------------
resize 80 24
assert_screen_has '▶ Социальные услуги'
press Up
whole_home

# --- 1x1 -------------------------------------------------------------------------
resize 1 1
wait_stable
kiosk_alive || fail "the kiosk died at 1x1"
resize 80 24
whole_home

# --- a rapid series of sizes, without waiting in between ---------------------------
for size in 30x10 2x2 120x40 10x3 79x23 1x1 200x60 40x12 5x50 81x25; do
    tm resize-window -t k -x "${size%x*}" -y "${size#*x}" ||
        fail "cannot resize to $size"
done
resize 80 24
kiosk_alive || fail "the kiosk died during the rapid resizes"
[ "$(kiosk_pid)" = "$pid" ] || fail "the kiosk was restarted"
whole_home

# A wide window: still whole, and the marker is at the right edge.
resize 132 43
assert_screen_has 'Что Вы хотите сделать?'
screen | grep -q ' TEST MODE · ТЕСТОВЫЙ РЕЖИМ$' ||
    fail "the test-mode marker is not at the right edge at 132 columns"

# It still answers keys with speech and on screen.
press l
assert_screen_has 'What would you like to do?'
said_since en "What would you like to do?\$" ||
    fail "no English speech after the resizes"
kiosk_alive || fail "the kiosk died"
exit 0
