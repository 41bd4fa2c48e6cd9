#!/bin/sh
# Two-switch scanning, with the switches fed through the keypad test hook
# (--keypad-test, a named pipe of evdev key events that joins the real
# path after libinput): the switch check before the session (either
# switch, Move twice, Select twice, a friendly word for the other switch,
# a bounce and a held switch that act once); then a whole voter session in
# Russian on the demo package and an application in Kazakh, the IIN and
# the phone typed digit by digit, with Move and Select only. The hook is
# refused with --kiosk, and a bad line of the pipe is logged, not fatal.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/switch_lib.sh"
E2E_COLS=100
E2E_ROWS=40

# --- the hook is a test hook ---------------------------------------------
mkfifo p.fifo
"$DAUYS" run --demo --kiosk --keypad-test p.fifo >out 2>err
[ $? -eq 2 ] || [ $? -ne 0 ] || fail "--keypad-test was accepted with --kiosk"
grep -q -- "--keypad-test is a test hook and is refused with --kiosk" err ||
    fail "the refusal does not say why: $(cat err)"
"$DAUYS" run --demo --keypad-test out >out2 2>err
grep -q "is not a named pipe" err || fail "a plain file was accepted: $(cat err)"

# --- the switch check ------------------------------------------------------
switch_start two-switch
assert_screen_has 'Ауыстырғыштарды тексеру'
wait_log "^say${TAB}ru${TAB}Нажмите любой переключатель\\.\$"
move
said_since ru 'Это был переключатель «Дальше»' || fail "Move not named: $(log_since)"
wait_log_since "^say${TAB}ru${TAB}Теперь нажмите «Дальше» два раза"
sel                                   # the other switch: a friendly word
said_since ru 'Это был «Выбор», ничего страшного' ||
    fail "no friendly word for the other switch: $(log_since)"
log_since | grep -qi 'ошибк' && fail "the other switch was called an error"
move
# A bounce: down, up, down again 20 ms later: one press.
log_mark
raw "KEY_SPACE down +400" "KEY_SPACE up +30" "KEY_SPACE down +20" \
    "KEY_SPACE up +30"
wait_log_since "^say${TAB}ru${TAB}Хорошо, это «Дальше»"
wait_log_since "^say${TAB}ru${TAB}Теперь нажмите «Выбор» два раза"
# A held switch (repeats while down) acts once.
log_mark
raw "KEY_ENTER down +400" "KEY_ENTER down +500" "KEY_ENTER down +30" \
    "KEY_ENTER up +500"
wait_log_since "^say${TAB}ru${TAB}«Выбор»\\. Ещё раз\\.\$"
sleep 0.3
log_since | grep -q "Хорошо, это «Выбор»" && fail "a held switch acted twice"
sel
said_since ru 'Хорошо, это «Выбор»' || fail "Select not confirmed: $(log_since)"
assert_screen_has '▶ Қазақша'
wait_log_since "^say${TAB}kk${TAB}Сәлеметсіз бе!"

# --- a voter session in Russian ------------------------------------------
move
assert_screen_has '▶ Русский'
said_since kk 'Русский' || true
sel
assert_screen_has 'Что Вы хотите сделать?'
pick 'Помощь в голосовании'
pick 'Начать голосование'
assert_screen_has 'Бюллетень 1 из 3'
# Move goes round the options, then the actions of every screen.
move
wait_log_since "^say${TAB}ru${TAB}», окно два\\.\$"
pick 'Окно 3'
pick 'Выбрать это'
pick 'Да, это мой выбор'
assert_screen_has 'Где ставить отметку: окно 3'
wait_log_since "^say${TAB}ru${TAB}Окно три из семи, считая сверху\\.\$"
pick 'Следующий бюллетень'
assert_screen_has 'Бюллетень 2 из 3'
pick 'Окно 4'
pick 'Выбрать это'
pick 'Да, это мой выбор'
assert_screen_has 'Где ставить отметку: окно 4'
pick 'Следующий бюллетень'
assert_screen_has 'Бюллетень 3 из 3'
# The ring's "next section" skips a ballot, as Right does.
pick 'Следующий раздел'
assert_screen_has 'Проверка'
wait_log_since "^say${TAB}ru${TAB}Бюллетень один: Партия «\$"
# The ring's own actions: louder, then repeat reads the screen again.
pick 'Громче'
wait_log_since "^say${TAB}ru${TAB}Громкость шесть из десяти\$"
sel
wait_log_since "^say${TAB}ru${TAB}Громкость семь из десяти\$"
pick 'Повторить экран'
wait_log_since "^say${TAB}ru${TAB}Проверка\$"
pick 'Завершить'
pick 'Да'
assert_screen_has 'Ауыстырғыштарды тексеру'   # the next visitor's check
kiosk_alive || fail "the kiosk died"

# --- an application in Kazakh, the IIN typed by scanning ----------------
switch_start two-switch
move
move
move
sel
sel
assert_screen_has '▶ Қазақша'
sel
pick 'Әлеуметтік қызметтер'
pick 'Емделу және жол жүру'
pick 'Инватакси'
pick 'Осы қызметке өтініш беру'
assert_screen_has 'Сіздің ЖСН'
digits 0612116000
pick 'Соңғы санды өшіру'
wait_log_since "өшірілді"
digits 012
assert_screen_has '061 211 600 012'
wait_log_since "^say${TAB}kk${TAB}Сіз тердіңіз: нөл алты бір, екі бір бір, алты нөл нөл, нөл бір екі\\."
pick 'Дайын'
assert_screen_has 'Телефон нөміріңіз'
digits 7011234567
pick 'Дайын'
assert_screen_has 'Мүгедектік тобыңыз'
pick 'II топ'
assert_screen_has 'Қызметкерлер сізбен қалай байланыссын?'
sel
sel
assert_screen_has 'Сіздің келісіміңіз'
pick 'Келісімімді беремін'
assert_screen_has 'Өтінішіңізді тексеріңіз'
sel
assert_screen_has 'Өтінішіңіз сақталды'
wait_log "^say${TAB}kk${TAB}.*нөміріңіз"
kiosk_alive || fail "the kiosk died"

# --- the hook: a bad line is logged, the kiosk goes on --------------------
raw "KEY_NOPE down"
sleep 0.3
kiosk_alive || fail "a bad line of the pipe stopped the kiosk"
exit 0
