#!/bin/sh
# e2e-timeout: 240
# The refreshable Braille display, through a BRLTTY of the test's own
# (Virtual driver, its display socket in this folder, BrlAPI on a
# loopback port of its own, never the system's) and a small fake display
# (braille_display.py) that records the cells BRLTTY sends and presses the
# display's keys. A voter in Kazakh: the display shows the focused option,
# its routing key chooses it, the guidance screen is read line by line
# (window 3 of 7, numbers uncontracted) and a routing key goes on to the
# next ballot. A visitor in Russian: the saved screen's application
# number is on the display, in uncontracted digits. In between BRLTTY
# stops and comes back: the kiosk goes on, says so, and shows the screen
# again.
. "$(dirname "$0")/lib.sh"
E2E_COLS=100
E2E_ROWS=40
here=$(cd "$(dirname "$0")" && pwd)
command -v brltty >/dev/null 2>&1 || fail "brltty is not installed (sh scripts/deps.sh)"

# A port of our own: BrlAPI listens on 4101 + brl_n.
brl_n=$(( ($$ % 400) + 100 ))
BRL_PID=
DISPLAY_PID=
# brl_stop: stops BRLTTY and the fake display.
brl_stop() {
    if [ -n "$BRL_PID" ]; then
        kill "$BRL_PID" 2>/dev/null
        wait "$BRL_PID" 2>/dev/null
    fi
    [ -n "$DISPLAY_PID" ] && kill "$DISPLAY_PID" 2>/dev/null
    BRL_PID=
    DISPLAY_PID=
    rm -f "$PWD/vr.sock"
}
trap 'brl_stop; e2e_cleanup' EXIT

# brl_start: BRLTTY with the Virtual driver and the fake display (40 cells).
brl_start() {
    rm -f vr.sock
    [ -p keys ] || mkfifo keys || fail "mkfifo"
    brltty -n -e -q -b vr -d "server:$PWD/vr.sock" -x no -s no \
        -A "auth=none,host=127.0.0.1:$brl_n" -f /dev/null -P "$PWD/brltty.pid" \
        -W "$PWD" -U "$PWD" >>brltty.log 2>&1 &
    BRL_PID=$!
    i=100
    while [ ! -S vr.sock ] && [ $i -gt 0 ]; do sleep 0.05; i=$((i - 1)); done
    [ -S vr.sock ] || fail "brltty did not start: $(cat brltty.log)"
    python3 "$here/braille_display.py" "$PWD/vr.sock" 40 keys cells.txt &
    DISPLAY_PID=$!
    # BrlAPI serves once the display is there, which BRLTTY greets with
    # its first cells.
    i=100
    while [ $i -gt 0 ] && [ ! -s cells.txt ]; do
        sleep 0.05
        i=$((i - 1))
    done
    [ $i -gt 0 ] || fail "BRLTTY never wrote to the display"
    sleep 0.5
}

# shown: what the display shows now, without the blank cells at its end.
shown() {
    tail -n 1 cells.txt 2>/dev/null | sed 's/⠀*$//'
}

# wait_shown CELLS: waits until the display shows CELLS.
wait_shown() {
    i=$(e2e_polls)
    while [ $i -gt 0 ]; do
        [ "$(shown)" = "$1" ] && return 0
        sleep 0.05
        i=$((i - 1))
    done
    fail "the display shows '$(shown)', not '$1'"
}

# brl KEY...: presses a key of the display (a Virtual driver command) and
# waits until the kiosk has reacted (the screen and display settle).
brl() {
    before=$(wc -l <cells.txt 2>/dev/null || echo 0)
    echo "$*" >keys
    i=20
    while [ $i -gt 0 ] && [ "$(wc -l <cells.txt)" = "$before" ]; do
        sleep 0.05
        i=$((i - 1))
    done
    wait_stable
    sleep 0.2
}

# read_screen: pans right until the display stops changing and writes
# everything it showed, joined, to screen.txt.
read_screen() {
    shown >windows.txt
    k=0
    while [ $k -lt 60 ]; do
        prev=$(shown)
        brl FWinRt
        now=$(shown)
        [ "$now" = "$prev" ] && break
        # (the end of the screen: the last window shown once more)
        [ "$k" -gt 0 ] && [ "$now" = "$(tail -n 1 windows.txt)" ] && break
        echo "$now" >>windows.txt
        k=$((k + 1))
    done
    tr -d '\n' <windows.txt >screen.txt
}

# digits_braille NUMBER: NUMBER in groups of three, each with the number
# sign, in uncontracted literary digits (dots 1, 12, 14...).
digits_braille() {
    echo "$1" | sed 's/\(...\)/⠼\1⠀/g; s/⠀$//' |
        sed 's/1/⠁/g; s/2/⠃/g; s/3/⠉/g; s/4/⠙/g; s/5/⠑/g; s/6/⠋/g;
             s/7/⠛/g; s/8/⠓/g; s/9/⠊/g; s/0/⠚/g'
}

cat >brl.conf <<EOF
[braille]
enabled = yes
contracted = yes
host = 127.0.0.1:$brl_n
EOF

brl_start
mkdir data && chmod 700 data || fail "mkdir"
kiosk_start --demo --data-dir data --lang kk --config brl.conf
# The welcome screen's focused option, Қазақша: қ is dots 1456 in kk.utb.
wait_shown '⠹⠁⠵⠁⠹⠱⠁'
# Line down moves the display and the kiosk's focus together.
brl LnDn
assert_screen_has '▶ Русский'
wait_log "^say${TAB}ru${TAB}Русский\$"
brl LnUp
assert_screen_has '▶ Қазақша'
# A routing key on the option chooses it.
brl Route 2
assert_screen_has 'Дауыс беруге көмек'

# The voter's flow with the terminal's keys, to the guidance screen.
press Enter
assert_screen_has 'СЫНАҚ ПАКЕТІ · Дауыс беруге көмек'
press Down
press Enter
assert_screen_has '3 бюллетеньнің 1-бюллетені'
press Right
press Down
press Down
press Enter
press Enter
press Enter
assert_screen_has 'Белгіні қайда қою керек: 3-терезе'
focused=$(shown)
[ -n "$focused" ] || fail "the display is blank on the guidance screen"
# Read the whole screen from its first line, panning display-width by
# display-width (a pan at the end of a line goes on to the next).
brl Top
read_screen
# "… 7 терезенің 3-терезесі": 7 and 3 with the number sign, uncontracted,
# 7 before 3 (window 3 of 7).
grep -q '⠼⠛⠀⠞⠑⠗⠑⠵⠑⠝⠽⠩⠀⠼⠉⠤⠞⠑⠗⠑⠵⠑⠎⠽' screen.txt ||
    fail "the window number is not on the display: $(cat screen.txt)"
# The embossed number is shown as it is embossed (number sign, 3), then
# its dots ("нүктелер").
grep -q '⠼⠉⠂⠀⠝⠌⠅⠞⠑⠇⠑⠗' screen.txt ||
    fail "the embossed number is not on the display: $(cat screen.txt)"
# Panning across the options moved the focus with the display: Home
# shows the option focused now, the one the screen marks (the guidance's
# last: how to lay the stencil).
brl Home
[ "$(shown)" != "$focused" ] || fail "panning did not move the focus"
assert_screen_has '▶ Трафаретті бюллетеньге'
# Back to "Келесі бюллетень" by lines; its routing key goes on to the
# next ballot.
k=0
while [ $k -lt 15 ] && [ "$(shown)" != "$focused" ]; do
    brl LnUp
    k=$((k + 1))
done
wait_shown "$focused"
assert_screen_has '▶ Келесі бюллетень'
brl Route 1
assert_screen_has '3 бюллетеньнің 3-бюллетені'
kiosk_alive || fail "the kiosk died"

# --- BRLTTY restarts: the kiosk goes on and shows the screen again -------
brl_stop
wait_log "Брайль дисплейі қосылмаған"
kiosk_alive || fail "the kiosk stopped with BRLTTY"
rm -f cells.txt
brl_start
E2E_TIMEOUT=10 wait_log "Брайль дисплейі қайта қосылды"
i=100
while [ $i -gt 0 ] && [ -z "$(shown)" ]; do sleep 0.05; i=$((i - 1)); done
[ -n "$(shown)" ] || fail "the display stayed blank after BRLTTY came back"

# --- a visitor in Russian: the application number on the saved screen -----
mkdir sdata receipts && chmod 700 sdata || fail "mkdir"
cat >brl.conf <<EOF
[braille]
enabled = yes
contracted = yes
host = 127.0.0.1:$brl_n
[kiosk]
mode = services
centre = ALM-07
[services]
printer = pdf:$PWD/receipts
centre_public_key = $(cat "$DAUYS_DATADIR/demo/centre-demo.pub")
EOF
kiosk_start --data-dir sdata --config brl.conf --lang ru
press Enter
press Enter
assert_screen_has 'Социальные услуги'
press 3
press Enter
press Down
press Enter
assert_screen_has 'Инватакси'
press Enter
for d in 0 6 1 2 1 1 6 0 0 0 1 2; do press "$d"; done
press Enter
assert_screen_has 'Ваш номер телефона'
for d in 7 0 1 1 2 3 4 5 6 7; do press "$d"; done
press Enter
assert_screen_has 'Ваше имя'
press A
press Enter
press 2
press Enter
press Down
press Enter
press Enter
assert_screen_has 'Ваше согласие'
press Down                       # the first focus is "Read again"
assert_screen_has '▶ Даю согласие'
press Enter
assert_screen_has 'Проверьте заявку'
press Enter
assert_screen_has 'Ваша заявка сохранена'
# The number, from the receipt the kiosk printed (speech reads it as
# words).
i=50
while [ $i -gt 0 ] && [ -z "$(ls receipts)" ]; do sleep 0.1; i=$((i - 1)); done
number=$(ls receipts | sed -n 's/^receipt-\([0-9]\{9\}\)\.pdf$/\1/p' | tail -n 1)
[ ${#number} -eq 9 ] || fail "no 9-digit number was read"
want=$(digits_braille "$number")
brl Top
read_screen
grep -qx "$want" windows.txt ||
    fail "the number $number ($want) is not on the display: $(cat windows.txt)"
kiosk_alive || fail "the kiosk died"
