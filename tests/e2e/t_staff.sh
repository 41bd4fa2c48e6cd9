#!/bin/sh
# Staff login at the kiosk, in Kazakh and Russian: F10 opens the PIN
# screen; digits are masked on screen and never spoken; the right PIN
# opens the staff menu (Self-test shows a report, Quit kiosk ends the
# kiosk with status 0); five wrong PINs lock login for lockout_s seconds,
# shown and spoken, keys while locked say the time left, the end of the
# lockout is spoken, and the next lockout is twice as long.
. "$(dirname "$0")/lib.sh"

pin=654321
staff_pin_set "$pin"
cat >staff.conf <<'EOF'
# short lockouts to keep the test fast
[staff]
lockout_s = 2
EOF

now_ms() {
    echo $(($(date +%s%N) / 1000000))
}

# ru_seconds N: "N секунду", "N секунды" or "N секунд", the accusative the
# Russian plural forms of po/ru.po give after "на" and "через".
ru_seconds() {
    if [ $(($1 % 10)) -eq 1 ] && [ $(($1 % 100)) -ne 11 ]; then
        echo "$1 секунду"
    elif [ $(($1 % 10)) -ge 2 ] && [ $(($1 % 10)) -le 4 ] &&
        { [ $(($1 % 100)) -lt 10 ] || [ $(($1 % 100)) -ge 20 ]; }; then
        echo "$1 секунды"
    else
        echo "$1 секунд"
    fi
}

# ru_said N WORDS: how the speech says "N WORDS" (numbers are words in the
# speech log, agreeing with "секунда", feminine, or standing alone).
ru_said() {
    case $1 in
    1) n=одну ;; 2) n=две ;; 3) n=три ;; 4) n=четыре ;; *) n=$1 ;;
    esac
    echo "$n ${2#* }"
}

# ru_number N: the count N (1..4) as the speech says it alone.
ru_number() {
    case $1 in
    1) echo один ;; 2) echo два ;; 3) echo три ;; 4) echo четыре ;;
    *) echo "$1" ;;
    esac
}

# lock_out PIN SECONDS: the wrong PIN locks the entry for SECONDS, on screen
# and spoken (in Russian, in the plural form for SECONDS); the lockout
# begins after Enter is sent, so that $locked_at is a lower bound however
# slow the machine is.
lock_out() {
    type_keys "$1"
    locked_at=$(now_ms)
    press Enter
    wait_spans_since ru Неверный en PIN- ru \
        "код. Вход заблокирован на $(ru_said "$2" "$(ru_seconds "$2")")."
    assert_screen_has "Вход заблокирован на $(ru_seconds "$2")."
}

# wait_unlocked SECONDS WAIT: the end of the lockout is spoken within WAIT
# seconds, and no sooner than SECONDS after $locked_at.
wait_unlocked() {
    log_mark
    e2e_until "$2" spans_since ru 'Можно снова ввести' en PIN- ru 'код.' ||
        fail "the end of the lockout was not spoken in $2 s"
    took=$(($(now_ms) - locked_at))
    [ $took -ge $(($1 * 1000)) ] ||
        fail "the $1 s lockout ended after $took ms"
}

# --- the right PIN, in Kazakh ---------------------------------------------------------
kiosk_start --demo --data-dir data --config staff.conf
press F10
assert_screen_has 'Қызметкердің кіруі'
said_since kk "Қызметкердің кіруі\$" ||
    fail "the PIN screen's title was not spoken"
screen | grep -q '[0-9]' && fail "the empty PIN screen shows a digit"

log_mark
mark=$E2E_MARK
type_keys "$pin"
assert_screen_has '●●●●●●'
assert_screen_lacks '●●●●●●●'
screen | grep -q '[0-9]' && fail "a digit of the PIN is visible on screen"
E2E_MARK=$mark
[ "$(log_since | grep -cxF "say${TAB}kk${TAB}цифр енгізілді")" -eq 6 ] ||
    fail "each digit was not acknowledged with 'цифр енгізілді':" \
        "$(log_since)"
log_since | grep -q '[0-9]' && fail "a digit was spoken: $(log_since)"
# Backspace deletes one digit, also without saying which.
press BSpace
assert_screen_has '●●●●●'
wait_screen_lacks '●●●●●●'
log_since | grep -qxF "say${TAB}kk${TAB}цифр өшірілді" ||
    fail "Backspace was not acknowledged"
type_keys "${pin#?????}"
press Enter
assert_screen_has 'Қызметкер мәзірі'
press Down
assert_screen_has '▶ Өтініштер'
assert_screen_has 'Киоскіні жабу'
assert_log_lacks "$pin"

# Self-test shows its report on screen and reads it.
press Down
assert_screen_has '▶ Өзін-өзі тексеру'
press Enter
assert_screen_has 'Өзін-өзі тексеру'
assert_screen_has 'терминал: '
assert_screen_has 'сөйлеу: '
said_since kk "Өзін-өзі тексеру\$" ||
    fail "the self-test title was not spoken"
# "OK" and the terminal's name are English spans of the Kazakh report.
spans_since en OK kk 'терминал:' ||
    fail "the self-test report was not read"
press Escape
assert_screen_has 'Қызметкер мәзірі'

# Quit kiosk ends the kiosk with status 0 (after the technician's new
# terminal configuration).
press Down
press Down
press Down
assert_screen_has '▶ Киоскіні жабу'
send Enter
assert_exit 0 "Quit kiosk"

# --- wrong PINs and the lockout, in Russian ----------------------------------------------
kiosk_start --demo --data-dir data --config staff.conf --lang ru
press F10
assert_screen_has 'Вход для сотрудников'
i=1
while [ $i -le 4 ]; do
    type_keys 111111
    press Enter
    wait_spans_since ru Неверный en PIN- ru \
        "код. Осталось попыток до блокировки входа: $(ru_number $((5 - i)))."
    assert_screen_has "Осталось попыток до блокировки входа: $((5 - i))."
    i=$((i + 1))
done
lock_out 111111 2
# A key while locked says how long is left, and is not taken as a digit.
press 7
log_since | grep -qE "^say${TAB}ru${TAB}Вход заблокирован. Повторите через ($(ru_said 1 "$(ru_seconds 1)")|$(ru_said 2 "$(ru_seconds 2)"))\\.\$" ||
    fail "a key while locked did not say the time left: $(log_since)"
log_since | grep -q 'цифра введена' && fail "a digit was taken while locked"
assert_screen_has 'Вход заблокирован. Повторите через'
# The right PIN is refused while locked.
type_keys "$pin"
press Enter
assert_screen_lacks 'Меню сотрудника'
# The end of the lockout is spoken, no sooner than 2 s after it began.
wait_unlocked 2 5
assert_screen_has 'Можно снова ввести PIN-код.'
wait_screen_lacks 'Повторите через'

# The next wrong PIN locks again, twice as long.
lock_out 222222 4
wait_unlocked 4 8

# The right PIN now opens the menu; nothing of the PINs was spoken.
type_keys "$pin"
press Enter
assert_screen_has 'Меню сотрудника'
assert_screen_has 'Самопроверка'
assert_log_lacks "$pin"
assert_log_lacks '111111|222222'
assert_log_lacks "^say${TAB}..${TAB}[0-9]\$"
# Escape leaves the staff menu for the kiosk.
press Escape
assert_screen_has 'Здравствуйте!'
kiosk_alive || fail "the kiosk died"
exit 0
