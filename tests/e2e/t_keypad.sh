#!/bin/sh
# The tactile keypad, as far as a machine without /dev/input allows: a
# keypad profile that binds the staff key is refused before the terminal
# is taken over, naming file and line; a keypad that is missing at start
# leaves the kiosk working on the terminal keyboard, with a notice shown
# and spoken (kk, then ru) after the greeting; `dauys selftest` reports
# the profile and why the device fails. Then the keypad tutorial, offered
# after the language (a keypad is configured) before the home menu, with
# the terminal keyboard: the layout of the numpad is shown and read, every
# key is named and described without acting (language, staff key,
# Escape), and Help twice leaves onto the home menu.
. "$(dirname "$0")/lib.sh"

# --- a profile with the staff key is refused ---------------------------------------
cat >bad.profile <<'EOF2'
KEY_KP8 up
KEY_KP2 down
KEY_KP5 select
KEY_KP7 back
KEY_KP9 help
KEY_F10 repeat
EOF2
cat >bad.conf <<EOF2
[keypad]
device = /nonexistent/usb-keypad-event-kbd
profile = $PWD/bad.profile
EOF2
"$DAUYS" run --demo --speech none --config bad.conf >out 2>err
st=$?
[ $st -eq 1 ] || fail "a profile with KEY_F10 was accepted (exit $st)"
grep -q "bad.profile:6: KEY_F10 is the staff key" err ||
    fail "the refusal does not name the line: $(cat err)"

cat >pad.conf <<'EOF2'
[keypad]
device = /nonexistent/usb-keypad-event-kbd
profile = numpad
double_press_ms = 200
EOF2

# --- selftest reports the keypad -------------------------------------------------------
"$DAUYS" selftest --config pad.conf >st.out 2>&1
grep -q "OK   keypad profile: .*numpad.profile (17 keys)" st.out ||
    fail "selftest does not report the profile: $(cat st.out)"
grep -q "FAIL keypad: cannot open /nonexistent/usb-keypad-event-kbd: No such file or directory" st.out ||
    fail "selftest does not say why the keypad fails: $(cat st.out)"

# --- missing at start: notice after the greeting, the keyboard still works ----------
kiosk_start --demo --config pad.conf
notice_kk='Пернетақта қосылмаған. Қызметкерден көмек сұраңыз.'
assert_screen_has "$notice_kk"
wait_log "^say${TAB}kk${TAB}$notice_kk\$"
# The greeting was not cut off: the notice comes after it, with no stop.
grep -n . "$E2E_LOG" | grep -q "^[0-9]*:stop" &&
    fail "the notice cut the greeting off: $(cat "$E2E_LOG")"
head -n 1 "$E2E_LOG" | grep -q "Дауыс" || fail "the greeting was not first"
# The keypad is missing: the texts name the keyboard's keys, not its own.
assert_screen_has 'Enter: таңдау   F1: анықтама   R: қайталау'
assert_log_lacks 'сегіз, екі'
press Down
assert_screen_has '▶ Русский'
wait_screen_lacks "$notice_kk"
kiosk_alive || fail "the kiosk died"

kiosk_start --demo --config pad.conf --lang ru
notice_ru='Клавиатура не подключена. Попросите помощи у сотрудника.'
assert_screen_has "$notice_ru"
wait_log "^say${TAB}ru${TAB}$notice_ru\$"

# --- the tutorial, offered after the language, before the home menu ------------
press Enter
assert_screen_has 'Хотите сначала изучить клавиши?'
assert_screen_has '▶ Изучить клавиши'
wait_log_since "^say${TAB}ru${TAB}один из двух\$"
press Enter
assert_screen_has 'Изучить клавиши'
assert_screen_has 'Клавиатура по рядам:'
wait_log_since "^say${TAB}ru${TAB}Клавиатура по рядам:\$"
# Each digit key also says what it does while a number is typed.
wait_log_since "^say${TAB}ru${TAB}Клавиша восемь на цифровой клавиатуре: предыдущий пункт; при наборе числа: набирает свою цифру\$"
wait_log_since "^say${TAB}ru${TAB}Клавиша пять на цифровой клавиатуре: выбрать или подтвердить; при наборе числа: набирает свою цифру\$"
log_since | grep -qi 'сотрудник' && fail "the keypad layout names staff"

press Up
wait_log_since "^say${TAB}ru${TAB}Стрелка вверх: предыдущий пункт\$"
assert_screen_has 'Стрелка вверх: предыдущий пункт'
press l
wait_spans_since ru Буква en L ru ': следующий язык'
assert_screen_has 'Буква L: следующий язык'
assert_screen_has 'Изучить клавиши'
press F10
wait_spans_since en 'F ten' ru ': вход сотрудника'
assert_screen_lacks 'Вход для сотрудников'
press Escape
wait_spans_since en Escape ru ': назад или отмена'
assert_screen_has 'Изучить клавиши'
press F1
# Help named by the key of the input the visitor used: F1 here.
wait_spans_since en 'F one' ru ': справка по этому экрану. Чтобы выйти из обучения, нажмите' en 'F one' ru 'ещё раз.'
assert_screen_has 'нажмите F1 ещё раз'
press F1
assert_screen_has 'Что Вы хотите сделать?'
wait_log_since "^say${TAB}ru${TAB}Что Вы хотите сделать\\?\$"
assert_screen_has '▶ Помощь в голосовании'
kiosk_alive || fail "the kiosk died"
exit 0
