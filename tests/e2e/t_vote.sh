#!/bin/sh
# A voter's session at the demo kiosk, driven only by keys, in Kazakh and
# in Russian: the test package is announced; the ballots are read window
# by window; a chosen candidate's guidance (window number counted from
# the top, cut corner, Braille dots, where the mark goes) is on screen and
# in the speech log; the review reads it back; finishing returns to the
# welcome screen and a new session starts with nothing chosen.
. "$(dirname "$0")/lib.sh"
E2E_COLS=100
E2E_ROWS=40

mkdir data && chmod 700 data || fail "mkdir"

# --- Kazakh ---------------------------------------------------------------
kiosk_start --demo --data-dir data --lang kk
press Enter                      # welcome: Қазақша
press Enter                      # home: voting assistance
assert_screen_has 'СЫНАҚ ПАКЕТІ · Дауыс беруге көмек'
wait_log "^say${TAB}kk${TAB}Бұл сынақ пакеті, нағыз сайлау емес\\.\$"
wait_log "^say${TAB}kk${TAB}Пернелер: Жоғары және Төмен"
press Down
assert_screen_has '▶ Дауыс беруді бастау'
press Enter
assert_screen_has '3 бюллетеньнің 1-бюллетені'
wait_log_since "^say${TAB}kk${TAB}жеті терезенің бірінші терезесі: «Болашақ жолы» партиясы\\.\$"
press Right                      # the district ballot
assert_screen_has '3 бюллетеньнің 2-бюллетені'
press Down
press Down
wait_log_since "^say${TAB}kk${TAB}жеті терезенің үшінші терезесі: Бекмұхамбетов"
press Enter                      # the window: details
assert_screen_has '1968'
press Enter                      # choose this
assert_screen_has 'Бұл сіздің таңдауыңыз ба?'
press Enter                      # yes
assert_screen_has 'Белгіні қайда қою керек: 3-терезе'
assert_screen_has 'жоғарғы оң жаққа'
assert_screen_has '⠼⠉'
wait_log_since "^say${TAB}kk${TAB}Терезелерді жоғарыдан бастап санаңыз: сіздікі — жеті терезенің үшінші терезесі\\.\$"
wait_log_since "^say${TAB}kk${TAB}.*нүктелер үш төрт бес алты, бір төрт\\.\$"
wait_log_since "^say${TAB}kk${TAB}.*кесілген бұрышы.*жоғарғы оң жаққа"
# Repeat (R) reads the current item again.
press r
wait_log_since "^say${TAB}kk${TAB}Келесі бюллетень\$"
press Enter                      # next ballot: the referendum
assert_screen_has '3 бюллетеньнің 3-бюллетені'
wait_log_since "^say${TAB}kk${TAB}екі терезенің бірінші терезесі: Жауап: Иә\\.\$"
press Right                      # the review
assert_screen_has 'Шолу'
wait_log_since "^say${TAB}kk${TAB}Жоғарыдан жеті терезенің үшінші терезесі, Брайль нүктелері үш төрт бес алты, бір төрт: Бекмұхамбетов"
press Down
press Down
press Down
assert_screen_has '▶ Аяқтау'
press Enter
press Enter                      # yes, finish
assert_screen_has 'Сәлеметсіз бе'
kiosk_alive || fail "the kiosk died"

# --- Russian, a new session: nothing chosen -------------------------------
kiosk_start --demo --data-dir data --lang ru
press Enter
press Enter
assert_screen_has 'ТЕСТОВЫЙ ПАКЕТ · Помощь в голосовании'
press Down
press Enter
assert_screen_has 'Бюллетень 1 из 3'
assert_screen_lacks '✓'
press Right
press Down
press Down
press Down
wait_log_since "^say${TAB}ru${TAB}Окно четыре из семи: Габду́ллин Тиму́р Мара́тович\\.\$"
assert_screen_has '▶ Окно 4: Габдуллин Тимур Маратович'
press Enter
press Enter
press Enter
assert_screen_has 'Где ставить отметку: окно 4'
assert_screen_has 'вверху справа'
assert_screen_has '⠼⠙'
wait_log_since "^say${TAB}ru${TAB}Считайте окна сверху: ваше — окно четыре из семи\\.\$"
wait_log_since "^say${TAB}ru${TAB}.*точки три четыре пять шесть, один четыре пять\\.\$"
wait_log_since "^say${TAB}ru${TAB}Поставьте отметку внутри этого окна: оно открывает пустой квадрат справа от имени\\.\$"
press Down
press Enter                      # back to the list: chosen is marked
assert_screen_has '✓ выбрано'
press Up                         # a second choice on a one-mark ballot
press Enter
press Enter
wait_log_since "^say${TAB}ru${TAB}Не выбрано: в этом бюллетене можно сделать один выбор, и вы его уже сделали"
assert_screen_has 'Не выбрано'
kiosk_alive || fail "the kiosk died"
exit 0
