#!/bin/sh
# Keys named from the visitor's input, Repeat and Pause, by ear and by eye,
# in Kazakh and in Russian. With the numpad (its keys written to the
# keypad test hook, which joins the real path after libinput): the welcome
# names 8, 2 and 5 and says that a lesson on the keys comes next, the lesson is offered
# before the home menu, help names the numpad's keys; a whole voter's
# path to the guidance screen, where Repeat (3) says the window as a
# Kazakh ordinal, then Pause (0) says «Үзіліс» / «Пауза» and shows the
# marker, and a navigation key resumes and acts. The whole speech log of
# each numpad session is then searched for a key the numpad does not have
# (Escape, F1, F2, the arrows, Space, R, L, B). With the keyboard the same
# texts name the keyboard's keys (Enter, F1, Escape, R), and r on the
# Russian guidance screen says the window, the Braille dots, the side of
# the box and the focused item.
. "$(dirname "$0")/lib.sh"
E2E_COLS=80
E2E_ROWS=24

# pad KEY: one press of the numpad key KEY (an evdev name) through the
# test hook, then waits for the kiosk's answer.
pad() {
    log_mark
    printf '%s\n' "$1 down +400" "$1 up +60" >kp.fifo ||
        fail "cannot write to the keypad pipe"
    e2e_until "" log_grew || fail "no speech after the keypad key $1"
    wait_stable
}

# no_foreign_keys: no line of the speech log names a key the numpad lacks.
# Key names are Latin and spoken as English spans ("Escape", "F one"), or
# Kazakh and Russian words (arrows, Space).
no_foreign_keys() {
    bad=$(grep -E "^say${TAB}" "$E2E_LOG" | grep -E \
        "${TAB}(Escape|F one|F two|F1|F2|R|L|B|ar|el|bee)\$|Escape|[Сс]трелк|көрсеткі|Вверх и Вниз|Жоғары және Төмен|Пробел|Бос орын|больше и меньше|үлкен және кіші|\\{" |
        head -n 3)
    [ -z "$bad" ] || fail "a numpad session named a key it lacks: $bad"
}

printf '[keypad]\nprofile = numpad\n' >pad.conf

# --- numpad, Kazakh --------------------------------------------------------------
rm -f kp.fifo
mkfifo kp.fifo || fail "mkfifo"
kiosk_start --demo --config pad.conf --keypad-test kp.fifo --lang kk
wait_log "^say${TAB}kk${TAB}.*сегіз, екі — жылжу, бес — тілді таңдау\\."
wait_log "Сосын пернелер сабағы\\.\$"
assert_screen_has '5: таңдау   9: анықтама   3: қайталау'
pad KEY_KP5                      # Қазақша: the lesson is offered first
assert_screen_has 'Алдымен пернелерді үйренгіңіз келе ме?'
assert_screen_has '▶ Пернелерді үйрену'
pad KEY_KP9                      # help names the numpad's keys
assert_screen_has '8 және 2 — тармақтар арасында жылжу. 5 — таңдау.'
wait_log_since "бес — таңдау\\. жеті — артқа\\."
wait_log_since "нөл — үзіліс"
wait_log_since "Нүкте — экранды жасыру немесе көрсету"
pad KEY_KP7                      # closes help
pad KEY_KP2
pad KEY_KP5                      # go on to the menu
assert_screen_has 'Не істегіңіз келеді?'
pad KEY_KP5                      # voting assistance
assert_screen_has 'Дауыс беруге көмек'
pad KEY_KP2
pad KEY_KP5                      # start voting
assert_screen_has '3 бюллетеньнің 1-бюллетені'
assert_screen_has '5: ашу   4/6: бюллетеньдер   7: артқа'
pad KEY_KP6                      # the district ballot
pad KEY_KP2
pad KEY_KP2                      # window 3
pad KEY_KP5                      # open it
pad KEY_KP5                      # choose this
pad KEY_KP5                      # yes
assert_screen_has 'Белгіні қайда қою керек: 3-терезе'
assert_screen_has '3: қайталау   5: таңдау   7: артқа'
sleep 2.1                        # a first press of Repeat, not a second
pad KEY_KP3                      # Repeat: the window, as an ordinal
wait_log_since "^say${TAB}kk${TAB}Жоғарыдан санағанда жеті терезенің үшінші терезесі\\.\$"
wait_log_since "нүктелер үш төрт бес алты, бір төрт\\.\$"
wait_log_since "^say${TAB}kk${TAB}Белгіні сол терезенің ішіне, .*шаршыға қойыңыз\\.\$"
log_since | grep -q "Белгіні қайда қою керек: үшінші терезе" &&
    fail "one press of Repeat read the whole screen"
pad KEY_KP3                      # twice within 2 s: the whole screen
wait_log_since "^say${TAB}kk${TAB}Белгіні қайда қою керек: үшінші терезе\$"
pad KEY_KP0                      # pause
wait_log_since "^say${TAB}kk${TAB}Үзіліс\$"
assert_screen_has 'ҮЗІЛІС'
pad KEY_KP2                      # resumes and moves
wait_screen_lacks 'ҮЗІЛІС'
wait_log_since "^say${TAB}kk${TAB}Тізімге оралу\$"
pad KEY_KPDOT                    # the curtain names the numpad's dot
wait_log_since "Экранды көрсету үшін Нүкте пернесін басыңыз\\.\$"
pad KEY_KPDOT
no_foreign_keys
kiosk_alive || fail "the kiosk died"

# --- numpad, Russian ---------------------------------------------------------------
rm -f kp.fifo
mkfifo kp.fifo || fail "mkfifo"
kiosk_start --demo --config pad.conf --keypad-test kp.fifo --lang ru
wait_log "^say${TAB}ru${TAB}.*восемь, два — перемещение, пять — выбор языка\\."
wait_log "Затем урок клавиш\\.\$"
assert_screen_has '5: выбрать   9: справка   3: повторить'
pad KEY_KP9                      # help
wait_log_since "три — повторить главное и пункт, на котором Вы находитесь"
wait_log_since "ноль — пауза; любая клавиша продолжает\\."
wait_log_since "семь — закрыть справку\\.\$"
pad KEY_KP7
pad KEY_KP5                      # Русский: the lesson is offered
assert_screen_has 'Хотите сначала изучить клавиши?'
pad KEY_KP5                      # learn the keys
assert_screen_has 'Клавиатура по рядам:'
pad KEY_KP9
wait_log_since "Чтобы выйти из обучения, нажмите девять ещё раз\\.\$"
pad KEY_KP9                      # leaves onto the home menu
assert_screen_has 'Что Вы хотите сделать?'
pad KEY_KP0                      # pause
wait_log_since "^say${TAB}ru${TAB}Пауза\$"
assert_screen_has 'ПАУЗА'
pad KEY_KP0                      # the pause key resumes and says where
wait_screen_lacks 'ПАУЗА'
wait_log_since "^say${TAB}ru${TAB}Помощь в голосовании\$"
pad KEY_KP2
pad KEY_KP5                      # social services
assert_screen_has '5: выбрать   7: назад   9: справка'
pad KEY_KP9                      # help names the numpad's keys
wait_log_since "Выберите группу услуг: восемь и два — перемещение, пять — выбор\\."
pad KEY_KP7
pad KEY_KP5                      # the first group
pad KEY_KP5                      # its first service
pad KEY_KP9
wait_log_since "три читает ещё раз\\."
pad KEY_KP7
no_foreign_keys
kiosk_alive || fail "the kiosk died"

# --- keyboard, Kazakh and Russian --------------------------------------------------
kiosk_start --demo --lang kk
wait_spans_since kk 'Сәлеметсіз бе! Жоғары, Төмен — жылжу,' en Enter kk '— тілді таңдау.'
assert_screen_has 'Enter: таңдау   F1: анықтама   R: қайталау'
assert_log_lacks 'пернелер сабағы'
press Enter                      # no keypad: the home menu at once
assert_screen_has 'Не істегіңіз келеді?'
press F1
wait_log_since "^say${TAB}en${TAB}Escape\$"
assert_screen_has 'F1'
press Escape
press ' '
wait_log_since "^say${TAB}kk${TAB}Үзіліс\$"
assert_screen_has 'ҮЗІЛІС'
kiosk_start --demo --lang ru
wait_spans_since ru 'Здравствуйте! Вверх, Вниз — перемещение,' en Enter ru '— выбор языка.'
assert_screen_has 'Enter: выбрать   F1: справка   R: повторить'
press F1
wait_spans_since en R ru '— повторить главное и пункт, на котором Вы находитесь; дважды за две секунды — прочитать весь экран.'
press Escape
press Enter                      # Русский
press Enter                      # voting assistance
press Down
press Enter                      # start voting
press Right
press Down
press Down
press Down
press Enter                      # window 4
press Enter                      # choose this
press Enter                      # yes
assert_screen_has 'Где ставить отметку: окно 4'
assert_screen_has 'R: повторить   Enter: выбрать   Escape: назад'
press Down                       # the focus on "Back to the list"
sleep 2.1
press r                          # the window, the dots, the side, the focus
wait_log_since "^say${TAB}ru${TAB}Окно четыре из семи, считая сверху\\.\$"
wait_log_since "точки три четыре пять шесть, один четыре пять\\.\$"
wait_log_since "^say${TAB}ru${TAB}Поставьте отметку внутри этого окна"
wait_log_since "^say${TAB}ru${TAB}Вернуться к списку\$"
kiosk_alive || fail "the kiosk died"
exit 0
