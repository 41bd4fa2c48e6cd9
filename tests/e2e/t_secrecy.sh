#!/bin/sh
# Secrecy, proven: a complete voting session at the demo kiosk chooses a
# known candidate (district-7, window 5: c05, Жумабаева / Жұмабаева /
# Zhumabayeva), is interrupted by staff once, runs to the end and is
# finished; then every file the program could have written (its data
# directory under XDG_STATE_HOME, TMPDIR, HOME, everything below this
# test's directory) and everything it logged (its log lines, copied to
# standard error while the speech log is on, captured here) is searched
# for the candidate's id, label, window and Braille number. Any hit
# fails. The speech log is excluded: it is a test hook, refused with
# --kiosk.
. "$(dirname "$0")/lib.sh"
E2E_COLS=100
E2E_ROWS=40
mkdir home .state tmp || fail "mkdir"
HOME=$PWD/home
TMPDIR=$PWD/tmp
E2E_STDERR=$PWD/kiosk.stderr
export HOME TMPDIR E2E_STDERR
: >"$E2E_STDERR"

# choose_candidate: from the home screen, through the district ballot to
# the guidance of window 5.
choose_candidate() {
    press Enter                  # home: voting assistance
    press Down
    press Enter                  # start voting
    press Right                  # the district ballot
    press Down
    press Down
    press Down
    press Down
    assert_screen_has '▶ Окно 5: Жумабаева Айгерим Кайратовна'
    press Enter
    press Enter
    press Enter
    assert_screen_has 'Где ставить отметку: окно 5'
    wait_log_since "^say${TAB}ru${TAB}Окно пять из семи, считая сверху\\.\$"
}

kiosk_start --demo --lang ru
press Enter                      # welcome: Русский
choose_candidate
# Staff interrupt: the session ends before the PIN screen opens.
press F10
assert_screen_has 'Вход для сотрудников'
press Escape
assert_screen_has 'Здравствуйте!'
press Enter
choose_candidate
press Enter                      # next ballot
press Right                      # review
assert_screen_has 'Проверка'
press Down                       # ballot 2
wait_log_since "^say${TAB}ru${TAB}Бюллетень два: Жумабаева Айгерим Кайратовна, окно пять\\.\$"
press Down
press Down
press Enter                      # finish
press Enter                      # yes
assert_screen_has 'Здравствуйте!'
# The same in Kazakh (L: ru -> en -> kk), then staff quit the kiosk.
press l
press l
assert_screen_has '▶ Қазақша'
press Enter
press Enter
press Down
press Enter
press Right
press Down
press Down
press Down
press Down
press Enter
press Enter
press Enter
assert_screen_has 'Белгіні қайда қою керек: 5-терезе'
press F10
send -l 123456
press Enter
# The session ended and the settings (language) were reset with it.
assert_screen_has 'Меню сотрудника'
press Down
press Down
press Down
press Down
press Down
assert_screen_has '▶ Закрыть киоск'
send Enter
assert_exit 0 "Close kiosk"

# The capture works: the kiosk's log lines are there.
grep -q 'kiosk started' "$E2E_STDERR" ||
    fail "the kiosk's log was not captured: $(cat "$E2E_STDERR")"
grep -q 'kiosk stopped' "$E2E_STDERR" ||
    fail "the kiosk's last log line was not captured"
[ -d .state/dauys-demo ] || fail "the demo data directory is not under XDG_STATE_HOME"

# What identifies the choice: id, labels, say texts, the window and its
# Braille number, in every language the session used.
cat >patterns <<'EOF2'
c05
Жумабаева
Жұмабаева
Zhumabayeva
Айгерим
Айгерім
Кайратовна
Қайратқызы
окно 5
Окно 5
5-терезе
window 5
Window 5
⠼⠑
3 4 5 6, 1 5
3456 15
EOF2
found=0
files=$(find . -type f ! -name speech.log ! -name patterns ! -path './qr*' |
    sort)
[ -n "$files" ] || fail "no files to search"
# (Whole words: an audit line's hex hash may contain "c05".)
for f in $files; do
    if grep -qwF -f patterns "$f"; then
        echo "secrecy: $f contains: $(grep -owF -f patterns "$f" | sort -u |
            tr '\n' ' ')" >&2
        found=1
    fi
done
[ $found -eq 0 ] || fail "the voter's choice was written to a file"
# The speech log did hear it (so the search is not vacuous).
grep -qF 'Жумабаева' speech.log || fail "the choice never reached speech"
exit 0
