#!/bin/sh
# Staff check the terminal and make the reports: "Check this terminal"
# lists the keys of the keypad (the numpad profile, its keys sent through
# the keypad test pipe), names and ticks each press, and the keypad's Back
# pressed twice goes on with a key missing; the sound test plays a chime
# and a sentence in Kazakh and in Russian; the printer's test line is
# printed (printer = pdf:DIR); the opening report is printed and written
# as PDF into a folder, and says which key was not pressed and that the
# terminal is not ready. Then two voter sessions, voting closed, and the
# close-of-day report: printed, written as PDF, shown and spoken; read
# back with pdftotext it has the terminal, the short package hash, two
# sessions, the opening and closing times and the audit head that
# `dauys audit verify` prints. The staff guide is written as two PDFs of
# two pages each. The close-of-day report's title is spoken in Kazakh.
# e2e-timeout: 180
. "$(dirname "$0")/lib.sh"
E2E_COLS=100
E2E_ROWS=45

staff_pin_set 654321
mkdir printer stick || fail "mkdir"
cat >kiosk.conf <<EOF2
[kiosk]
centre = ALM-07
[services]
printer = pdf:$PWD/printer
centre_public_key = $(cat "$DAUYS_DATADIR/demo/centre-demo.pub")
[keypad]
profile = numpad
double_press_ms = 0
EOF2
rm -f kp.fifo
mkfifo kp.fifo || fail "mkfifo"

kp() {
    log_mark
    printf '%s\n' "$1 down +150" "$1 up +40" >kp.fifo ||
        fail "cannot write to the keypad pipe"
    e2e_until "" log_grew || fail "no speech after the key $1"
    wait_stable
}

# focus TEXT: moves the focus down (then up) to the option TEXT, as the
# menus differ by role and mode.
focus() {
    for key in Down Up; do
        i=0
        while [ $i -lt 15 ]; do
            screen | grep -qF "▶ $1" && return 0
            press $key
            i=$((i + 1))
        done
    done
    fail "no option '$1' on the screen"
}

login() {
    press F10
    send -l 654321
    press Enter
    assert_screen_has 'Staff menu'
}

kiosk_start --demo --data-dir data --config kiosk.conf --keypad-test kp.fifo \
    --lang en
hash=$("$DAUYS" election hash "$DAUYS_DATADIR/demo/election") || fail "hash"
short=$(printf '%s' "$hash" | cut -c1-7)

# --- two voter sessions (a practice is not one) ------------------------------
# vote: from the welcome screen (past the lesson on the keys, offered
# first with a keypad) to the voter's start screen, then Start voting
# (counted); the staff's F10 ends the session.
vote() {
    press Enter
    assert_screen_has 'Would you like to learn the keys first?'
    focus 'Go on to the menu'
    press Enter
    press Enter
    assert_screen_has 'Start voting'
    press Down
    press Enter
}
vote
login
press Escape
vote
login

# --- the readiness check ----------------------------------------------------
# The staff menu: the day's paper comes after Quit.
focus 'Check this terminal'
press Enter
assert_screen_has 'Check this terminal: the keys'
assert_screen_has 'Keys pressed: 0 of 17'
assert_screen_has 'Still to press: Keypad slash, Keypad star'
for k in KEY_KPSLASH KEY_KPASTERISK KEY_KPMINUS KEY_KP7 KEY_KP8 KEY_KP9 \
    KEY_KPPLUS KEY_KP4 KEY_KP5 KEY_KP6 KEY_KP1 KEY_KP2 KEY_KP3 KEY_KPENTER \
    KEY_KP0 KEY_KPDOT; do
    kp $k
done
said_since en 'Keypad dot. Keys pressed: sixteen of seventeen' ||
    fail "the last key was not named with the count: $(log_since)"
assert_screen_has 'Still to press: Backspace'
assert_screen_has 'Keypad dot'
# The keypad's Back pressed twice in a row goes on (the first press, in
# the loop above, was followed by other keys).
kp KEY_KP7
said_since en 'Keypad seven. Keys pressed: sixteen of seventeen. Press Back' ||
    fail "Back twice was not explained: $(log_since)"
kp KEY_KP7
assert_screen_has 'Check this terminal: the headphones'

press Enter
wait_log_since "^say${TAB}snd${TAB}"
wait_log_since "^say${TAB}kk${TAB}Бұл"
wait_log_since "^say${TAB}ru${TAB}Это"
press Down
press Enter
assert_screen_has 'Check this terminal: the result'
assert_screen_has 'Keys not pressed: Backspace'
assert_screen_has "hash $short."
press Enter
e2e_until "" ls printer/printer-test-ALM-07-*.pdf >/dev/null 2>&1 ||
    fail "no printer test line was printed"
pdftotext printer/printer-test-ALM-07-*.pdf - | grep -q 'Әә Ғғ Ққ' ||
    fail "the test line lacks the Kazakh letters"
assert_screen_has 'Yes, the test line came out'
press Enter
assert_screen_has 'The test line was printed.'
press Enter
assert_screen_has 'Type the folder to write the report into'
send -l "$PWD/stick"
press Enter
assert_screen_has 'Printed on the receipt printer.'
assert_screen_has "Written to $PWD/stick/opening-ALM-07-"
pdftotext -layout stick/opening-ALM-07-*.pdf opening.txt ||
    fail "no opening report PDF"
for want in 'Opening report' 'Terminal: ALM-07' 'Keypad keys pressed: 16 of 17' \
    'Keys not pressed: Backspace' "Package hash: $short" \
    'Printer test line printed: yes' 'Result: the terminal is NOT ready.'; do
    grep -qF "$want" opening.txt ||
        fail "the opening report lacks '$want': $(cat opening.txt)"
done
ls printer/opening-ALM-07-*.pdf >/dev/null 2>&1 ||
    fail "the opening report was not printed"

# --- close voting, then the close-of-day report ----------------------------------
press Enter
press Escape
assert_screen_has 'Staff menu'
focus 'Election package and voting'
press Enter
focus 'Close voting assistance'
press Enter
assert_screen_has 'Voting assistance is closed.'
press Escape
focus 'Close-of-day report'
press Enter
assert_screen_has 'Type the folder to write the report into'
send -l "$PWD/stick"
press Enter
assert_screen_has 'Close-of-day report'
assert_screen_has 'Voter sessions served: 2'
wait_log_since "^say${TAB}en${TAB}Voting assistance — .*Voter sessions served: two"
f=$(ls stick/close-of-day-ALM-07-*.pdf) || fail "no close-of-day PDF"
pdftotext -layout "$f" closing.txt || fail "pdftotext"
head=$("$DAUYS" audit verify --data-dir data | sed -n 's/^head: //p')
seq=${head% *}
ahash=$(printf '%s' "${head#* }" | cut -c1-7)
for want in 'Close-of-day report' 'Terminal: ALM-07' "Package hash: $short" \
    'Voter sessions served: 2' 'Stencils written: 0' 'Opened: ' 'Closed: ' \
    'Applications in all: 0' "Audit head: $seq $ahash"; do
    grep -qF "$want" closing.txt ||
        fail "the close-of-day report lacks '$want': $(cat closing.txt)"
done
ls printer/close-of-day-ALM-07-*.pdf >/dev/null 2>&1 ||
    fail "the close-of-day report was not printed"

# --- in Kazakh: the same report, shown, spoken and written in kk -----------------
press Enter
assert_screen_has 'Staff menu'
press l
assert_screen_has 'Күн соңындағы есеп'
press Enter
send -l "$PWD/stick-kk"
log_mark
send Enter
wait_log_since "^say${TAB}kk${TAB}.*Қызмет көрсетілген сайлаушы сеанстары: екі"
f=$(ls stick-kk/close-of-day-ALM-07-*.pdf) || fail "no Kazakh close-of-day PDF"
pdftotext -layout "$f" - | grep -q 'Қызмет көрсетілген сайлаушы сеанстары: 2' ||
    fail "the Kazakh report lacks the count: $(pdftotext "$f" -)"

# --- the staff guide as PDF, two pages in each language --------------------------
press Enter
focus 'Қызметкер нұсқаулығы'
press Enter
press Down
press Enter
send -l "$PWD/guide"
press Enter
assert_screen_has "$PWD/guide/staff-guide-ru.pdf"
for l in kk ru; do
    g=$(ls guide/staff-guide-$l.pdf) || fail "no $l guide"
    pdfinfo "$g" | grep -q '^Pages: *2$' ||
        fail "the $l guide is not two pages: $(pdfinfo "$g" | grep Pages)"
done
pdftotext guide/staff-guide-kk.pdf - | grep -q 'Орталық сайлау комиссиясы' ||
    fail "the Kazakh guide lacks its text"
pdftotext guide/staff-guide-ru.pdf - | grep -q 'Центральная избирательная комиссия' ||
    fail "the Russian guide lacks its text"

# --- the short guide on the receipt printer ----------------------------------
press Escape
press Up
press Enter
e2e_until "" ls printer/staff-guide-kk.pdf >/dev/null 2>&1 ||
    fail "the short guide was not printed"

# --- the same report on a staff laptop: dauys report close-of-day --------------
# --demo saves no package: without the package the state is for, the times
# come from the audit trail and the counts are not known.
"$DAUYS" report close-of-day --config kiosk.conf --data-dir data --lang en \
    --out cli.pdf >out 2>&1 || fail "report close-of-day: $(cat out)"
head=$("$DAUYS" audit verify --data-dir data | sed -n 's/^head: //p')
pdftotext -layout cli.pdf cli.txt || fail "pdftotext"
for want in 'Terminal: ALM-07' 'Closed: ' 'Voter sessions served: not known' \
    'Applications in all: 0' \
    "Audit head: ${head% *} $(printf '%s' "${head#* }" | cut -c1-7)"; do
    grep -qF "$want" cli.txt || fail "the CLI report lacks '$want': $(cat cli.txt)"
done
# With the package saved as staff load it and its key trusted: the times
# and counts are the kiosk's kept state, as on its own report.
mkdir data/election || fail "mkdir"
cp "$DAUYS_DATADIR/demo/election/election.json" \
    "$DAUYS_DATADIR/demo/election/election.json.sig" data/election/ ||
    fail "copy the package"
{
    cat kiosk.conf
    printf '[election]\npublic_key = %s\n' "$(cat "$DAUYS_DATADIR/demo/demo.pub")"
} >laptop.conf
"$DAUYS" report close-of-day --config laptop.conf --data-dir data --lang en \
    --out kept.pdf >out 2>&1 || fail "report close-of-day: $(cat out)"
pdftotext -layout kept.pdf kept.txt || fail "pdftotext"
for want in "Package hash: $short" 'Opened: ' 'Closed: ' \
    'Voter sessions served: 2' 'Stencils written: 0'; do
    grep -qF "$want" kept.txt ||
        fail "the report from the kept state lacks '$want': $(cat kept.txt)"
done
"$DAUYS" report close-of-day --data-dir data >out 2>&1
[ $? -eq 2 ] || fail "report close-of-day without --out was not a usage error"
grep -q -- '--out FILE.pdf is required' out || fail "no reason: $(cat out)"

# --- the guides as the build renders them: two pages each ---------------------
for l in kk ru; do
    "$DAUYS" report guide "$DAUYS_DATADIR/guide/staff-guide.$l.md" \
        --out g-$l.pdf >out 2>&1 || fail "report guide $l: $(cat out)"
    pdfinfo g-$l.pdf | grep -q '^Pages: *2$' ||
        fail "the $l guide is not two pages"
done
printf 'no title\n' >bad.md
"$DAUYS" report guide bad.md --out bad.pdf >out 2>&1
[ $? -eq 1 ] || fail "a guide without a title was accepted"
grep -q 'must start with a title' out || fail "no reason: $(cat out)"
