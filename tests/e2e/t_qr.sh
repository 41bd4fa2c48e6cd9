#!/bin/sh
# The application number on the saved screen, as a visitor sees it: at
# 100x60 the QR code drawn on the terminal is captured (tmux capture-pane),
# turned into an image (each character cell of ▀ ▄ █ and space is two
# modules, one above the other; drawn is light, blank is dark) and decoded
# with zbarimg to dauys-application:<centre>:<number>; at 80x24 the 9-digit
# number itself is on the screen, whatever happens to the QR code.
E2E_COLS=100
E2E_ROWS=60
. "$(dirname "$0")/lib.sh"

command -v zbarimg >/dev/null 2>&1 ||
    fail "zbarimg is not installed (sh scripts/deps.sh: zbar-tools)"

mkdir data receipts || fail "mkdir"
chmod 700 data
cat >svc.conf <<EOF
[kiosk]
mode = services
centre = ALM-07
[services]
printer = pdf:$PWD/receipts
EOF

# type_keys TEXT: presses each character of TEXT.
type_keys() {
    t=$1
    while [ -n "$t" ]; do
        rest=${t#?}
        press "${t%"$rest"}"
        t=$rest
    done
}

# qr_pgm: the QR code on the screen as a plain PGM on standard output: the
# longest run of rows made only of block characters and spaces, 8 pixels a
# module, in a light margin of 8 modules.
qr_pgm() {
    nbsp=$(printf '\302\240')
    screen | sed 's/█/F/g; s/▀/U/g; s/▄/L/g; s/'"$nbsp"'/ /g' | awk '
        /^[ FUL]*[FUL][ FUL]*$/ {
            if (run == 0) start = NR
            run++
            line[NR] = $0
            if (run > best) { best = run; bstart = start }
            next
        }
        { run = 0 }
        END {
            if (best == 0) exit 1
            left = 100000; right = 0
            for (i = bstart; i < bstart + best; i++) {
                s = line[i]
                match(s, /[FUL]/)
                if (RSTART < left) left = RSTART
                n = length(s)
                while (n > 0 && substr(s, n, 1) == " ") n--
                if (n > right) right = n
            }
            S = 8; B = 8
            w = right - left + 1; h = 2 * best
            printf "P2\n%d %d\n255\n", (w + 2 * B) * S, (h + 2 * B) * S
            for (y = -B; y < h + B; y++) {
                row = ""
                for (x = -B; x < w + B; x++) {
                    v = 255
                    if (y >= 0 && y < h && x >= 0 && x < w) {
                        c = substr(line[bstart + int(y / 2)], left + x, 1)
                        up = c == "F" || c == "U"
                        down = c == "F" || c == "L"
                        v = (y % 2 == 0 ? up : down) ? 255 : 0
                    }
                    for (k = 0; k < S; k++) row = row " " v
                }
                for (k = 0; k < S; k++) print row
            }
        }'
}

kiosk_start --data-dir data --config svc.conf --lang ru
press Enter
press Enter
assert_screen_has 'Социальные услуги'
press 3
press Enter
press Down
press Enter
assert_screen_has 'Инватакси'
press Enter
assert_screen_has 'Ваш ИИН'
type_keys 061211600012
press Enter
assert_screen_has 'Ваш номер телефона'
type_keys 7011234567
press Enter
assert_screen_has 'Ваше имя'
press Enter
for _ in 1 2 3 4; do
    press Enter
done
assert_screen_has 'Проверьте вашу заявку'
press Enter
assert_screen_has 'Ваша заявка сохранена'
number=$(grep -E "^say${TAB}ru${TAB}[0-9] [0-9] [0-9], [0-9] [0-9] [0-9], [0-9] [0-9] [0-9]\$" \
    "$E2E_LOG" | tail -n 1 | cut -f3 | tr -cd '0-9')
[ ${#number} -eq 9 ] || fail "no 9-digit number was read: $(log_since)"
grouped=$(echo "$number" | sed 's/\(...\)\(...\)\(...\)/\1 \2 \3/')

# --- 100x60: the code on the screen scans -----------------------------------
assert_screen_has "$grouped"
qr_pgm >qr.pgm || fail "no QR code on the screen"
qr=$(zbarimg -q --raw qr.pgm 2>/dev/null)
[ "$qr" = "dauys-application:ALM-07:$number" ] ||
    fail "the QR code on the screen reads '$qr'"

# --- 80x24: the number is on the screen --------------------------------------
resize 80 24
wait_stable
assert_screen_has 'Ваша заявка сохранена'
assert_screen_has "$grouped"
assert_screen_has 'Завершить'

send C-c
wait_exit >/dev/null
exit 0
