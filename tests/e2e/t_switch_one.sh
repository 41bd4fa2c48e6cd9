#!/bin/sh
# One-switch scanning at the fastest pace ([keypad] scan_interval_s = 1),
# the switch fed through the keypad test hook: the check (the switch,
# then twice), then a whole voter session in Russian on the demo package
# with nothing but waiting and pressing the switch when the wanted item
# has the focus. The focus moves by itself only once speech is idle, one
# interval after the item was read: the speech log shows each item read
# whole before the next, at least a second apart.
. "$(dirname "$0")/lib.sh"
SCAN_INTERVAL=1
. "$(dirname "$0")/switch_lib.sh"
E2E_COLS=100
E2E_ROWS=40

switch_start one-switch
wait_log "^say${TAB}ru${TAB}Нажмите переключатель\\.\$"
sw KEY_SPACE
wait_log_since "^say${TAB}ru${TAB}Теперь нажмите переключатель два раза"
sw KEY_ENTER                     # any of its keys
sw KEY_1
wait_log_since "^say${TAB}ru${TAB}Переключатели работают\\. Начнём\\.\$"
assert_screen_has '▶ Қазақша'
# Nothing pressed: the focus moves on by itself.
log_mark
wait_log_since "^say${TAB}ru${TAB}Русский\$"
t0=$(date +%s%N)
wait_log_since "^say${TAB}en${TAB}English\$"
t1=$(date +%s%N)
[ $(((t1 - t0) / 1000000)) -ge 900 ] ||
    fail "the focus moved on after $(((t1 - t0) / 1000000)) ms, not 1 s"
wait_pick 'Русский'
assert_screen_has 'Что Вы хотите сделать?'
wait_pick 'Помощь в голосовании'
wait_pick 'Начать голосование'
assert_screen_has 'Бюллетень 1 из 3'
wait_pick 'Окно 2'
wait_pick 'Выбрать это'
wait_pick 'Да, это мой выбор'
assert_screen_has 'Где ставить отметку: окно 2'
wait_pick 'Следующий бюллетень'
assert_screen_has 'Бюллетень 2 из 3'
wait_pick 'Следующий раздел'
assert_screen_has 'Бюллетень 3 из 3'
wait_pick 'Следующий раздел'
assert_screen_has 'Проверка'
wait_pick 'Завершить'
wait_pick 'Да'
assert_screen_has 'Проверка переключателей'
kiosk_alive || fail "the kiosk died"
exit 0
