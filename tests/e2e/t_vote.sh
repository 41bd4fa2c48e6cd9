#!/bin/sh
# A voter's session at the demo kiosk, driven only by keys, in Kazakh and
# in Russian: the test package is announced; the ballots are read window
# by window, each by its name, then its number; a chosen candidate's
# guidance (window number counted from the top, then, item by item, the
# Braille dots, where the mark goes and the cut corner) is on screen and
# in the speech log; the review names it; finishing returns to the
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
assert_screen_has 'Бұл сынақ пакеті, нағыз сайлау емес.'
wait_log "^say${TAB}kk${TAB}СЫНАҚ ПАКЕТІ · Дауыс беруге көмек\$"
wait_log "^say${TAB}kk${TAB}Трафаретті кесілген бұрыштарын беттестіріп"
assert_log_lacks "Пернелер: Жоғары және Төмен"
press Down
assert_screen_has '▶ Дауыс беруді бастау'
press Enter
assert_screen_has '3 бюллетеньнің 1-бюллетені'
wait_log_since "^say${TAB}kk${TAB}«Болашақ жолы» партиясы, бірінші терезе\\.\$"
press Right                      # the district ballot
assert_screen_has '3 бюллетеньнің 2-бюллетені'
press Down
press Down
wait_log_since "^say${TAB}kk${TAB}Бекмұхамбетов Нұрлан Асқарұлы, үшінші терезе\\.\$"
press Enter                      # the window: details shown
assert_screen_has '1968'
press Enter                      # choose this
assert_screen_has 'Бұл сіздің таңдауыңыз ба?'
press Enter                      # yes
assert_screen_has 'Белгіні қайда қою керек: 3-терезе'
assert_screen_has 'жоғарғы оң жақта'
assert_screen_has '⠼⠉'
wait_log_since "^say${TAB}kk${TAB}Жоғарыдан санағанда жеті терезенің үшінші терезесі\\.\$"
# Repeat (R) reads the current item again.
press r
wait_log_since "^say${TAB}kk${TAB}Келесі бюллетень\$"
press Down
press Down                       # the Braille number
wait_log_since "^say${TAB}kk${TAB}.*нүктелер үш төрт бес алты, бір төрт\\.\$"
press Down
press Down                       # the stencil
wait_log_since "^say${TAB}kk${TAB}.*кесілген бұрыштарын жоғарғы оң жақта"
press 1
press Enter                      # next ballot: the referendum
assert_screen_has '3 бюллетеньнің 3-бюллетені'
wait_log_since "^say${TAB}kk${TAB}Алмалы ауданының жергілікті референдумы"
wait_log_since "^say${TAB}kk${TAB}Жауап: Иә, бірінші терезе\\.\$"
press Right                      # the review
assert_screen_has 'Шолу'
press Down
wait_log_since "^say${TAB}kk${TAB}екінші бюллетень: Бекмұхамбетов Нұрлан Асқарұлы, үшінші терезе\\.\$"
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
wait_log_since "^say${TAB}ru${TAB}Габду́ллин Тиму́р Мара́тович, окно четыре\\.\$"
assert_screen_has '▶ Окно 4: Габдуллин Тимур Маратович'
press Enter
press Enter
press Enter
assert_screen_has 'Где ставить отметку: окно 4'
assert_screen_has 'вверху справа'
assert_screen_has '⠼⠙'
wait_log_since "^say${TAB}ru${TAB}Окно четыре из семи, считая сверху\\.\$"
press Down
press Down
wait_log_since "^say${TAB}ru${TAB}.*точки три четыре пять шесть, один четыре пять\\.\$"
press Down
wait_log_since "^say${TAB}ru${TAB}Поставьте отметку внутри этого окна, в пустом квадрате справа от имени\\.\$"
press 2
press Enter                      # back to the list: chosen is marked
assert_screen_has '✓ выбрано'
press Up                         # a second choice on a one-mark ballot
press Enter
press Enter
wait_log_since "^say${TAB}ru${TAB}Не выбрано: в этом бюллетене можно сделать один выбор, и Вы его уже сделали"
assert_screen_has 'Не выбрано'
kiosk_alive || fail "the kiosk died"
exit 0
