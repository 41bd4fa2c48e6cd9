#!/bin/sh
# e2e-timeout: 400
# One switch, auto-scan at 1 s: an application in Kazakh, from the switch
# check to the saved application's number, with the IIN and the phone
# number typed digit by digit as the focus passes over 1 … 9 0, a digit
# deleted, and Done.
. "$(dirname "$0")/lib.sh"
SCAN_INTERVAL=1
. "$(dirname "$0")/switch_lib.sh"
E2E_COLS=100
E2E_ROWS=40
E2E_TIMEOUT=10

switch_start one-switch
sw KEY_SPACE
sw KEY_SPACE
sw KEY_SPACE
wait_log_since "^say${TAB}kk${TAB}Ауыстырғыштар жұмыс істейді\\. Бастайық\\.\$"
wait_pick 'Қазақша'
wait_pick 'Әлеуметтік қызметтер'
wait_pick 'Емделу және жол жүру'
wait_pick 'Инватакси'
wait_pick 'Осы қызметке өтініш беру'
assert_screen_has 'Сіздің ЖСН'
wait_digits 0612116000
wait_pick 'Соңғы санды өшіру'
wait_digits 012
assert_screen_has '061 211 600 012'
wait_log_since "^say${TAB}kk${TAB}Сіз тердіңіз: нөл алты бір, екі бір бір, алты нөл нөл, нөл бір екі\\."
wait_pick 'Дайын'
assert_screen_has 'Телефон нөміріңіз'
wait_digits 7011234567
wait_pick 'Дайын'
assert_screen_has 'Мүгедектік тобыңыз'
wait_pick 'II топ'
assert_screen_has 'Қызметкерлер сізбен қалай байланыссын?'
sw KEY_SPACE
sw KEY_SPACE
assert_screen_has 'Сіздің келісіміңіз'
wait_pick 'Келісімімді беремін'
assert_screen_has 'Өтінішіңізді тексеріңіз'
sw KEY_SPACE
assert_screen_has 'Өтінішіңіз сақталды'
wait_log "^say${TAB}kk${TAB}.*нөміріңіз"
kiosk_alive || fail "the kiosk died"
exit 0
