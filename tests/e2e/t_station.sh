#!/bin/sh
# The election commission at the kiosk (no --demo): only packages signed
# with a key of the configuration are loaded; a tampered or unsigned
# package is refused with its reasons and the package in force stays; the
# package information shows the id, date, ballots, test flag and the hash
# in groups of four (read aloud on request) and a QR code that zbarimg
# decodes to dauys-election:<id>:<hash>; voting is opened and closed for
# the day; the loaded package is loaded again at the next start, with
# voting still open; the
# speech test speaks kk and ru; stencils are written for every ballot;
# every staff action is in the chained audit log, which `dauys audit
# verify` checks, and a cut-off end is found.
. "$(dirname "$0")/lib.sh"
E2E_COLS=100
E2E_ROWS=45

pin=654321
mkdir data && chmod 700 data || fail "mkdir"
printf '%s\n' "$pin" | "$DAUYS" staff passwd --data-dir data >out 2>&1 ||
    fail "staff passwd failed: $(cat out)"
"$DAUYS" election keygen --secret k.key --public k.pub >out 2>&1 ||
    fail "keygen: $(cat out)"
mkdir good bad unsigned || fail "mkdir"
# A real package for today: a real package opens only on its date.
today=$(date +%F)
sed "s/\"test\": true/\"test\": false/; s/\"date\": \"2026-03-15\"/\"date\": \"$today\"/" \
    "$DAUYS_DATADIR/demo/election/election.json" >good/election.json
grep -q "\"date\": \"$today\"" good/election.json || fail "the date was not set"
"$DAUYS" election sign good --secret k.key >out 2>&1 || fail "sign: $(cat out)"
# Tampered: one candidate renamed after signing.
sed 's/Ахметов Ерлан/Ахметов Ерлaн/' good/election.json >bad/election.json
cp good/election.json.sig bad/
cp good/election.json unsigned/
# The demo package is signed with the demo key, which is not trusted here.
cp -r "$DAUYS_DATADIR/demo/election" demo-signed
hash=$("$DAUYS" election hash good) || fail "hash"
printf '[election]\npublic_key = %s\n' "$(cat k.pub)" >kiosk.conf

type_text() {
    send -l "$1"
    assert_screen_has "$1"
}

staff_menu() {
    press F10
    send -l "$pin"
    press Enter
    assert_screen_has 'Staff menu'
    press Enter
    assert_screen_has 'Election package and voting'
}

# start_at_station: starts the kiosk, finds voting assistance not open on
# this terminal, and goes to the staff's election menu.
start_at_station() {
    kiosk_start --data-dir data --config kiosk.conf --lang en \
        --media-dir "$PWD/no-stick"
    press Enter
    press Enter
    assert_screen_has 'not open on this terminal'
    press Escape
    staff_menu
}

# load DIR: Load election package, type DIR, Enter.
load() {
    assert_screen_has '▶ Load election package'
    press Enter
    assert_screen_has 'Type the directory'
    type_text "$PWD/$1"
    press Enter
}

start_at_station
assert_screen_has 'No package is loaded.'

load unsigned
assert_screen_has 'The package was refused:'
assert_screen_has 'election.json.sig'
assert_screen_has 'No package is loaded.'
wait_log_since "^say${TAB}en${TAB}The package was refused:\$"
press Escape
load bad
assert_screen_has 'The package was refused:'
assert_screen_has 'signature'
press Escape
load good
assert_screen_has 'Package demo-2026-almaly-district-7 is loaded.'
press Escape
# A refused package now leaves the good one in force.
load demo-signed
assert_screen_has 'The package was refused:'
assert_screen_has 'The package loaded before stays in force.'
press Escape

# Package information.
press Down
press Enter
assert_screen_has 'Identifier: demo-2026-almaly-district-7'
assert_screen_has "Date: $today"
assert_screen_has 'A real election package, not a test.'
assert_screen_has 'Ballots: 3'
assert_screen_has '2. district-7: 7 windows, up to 1 mark(s)'
g1=$(echo "$hash" | cut -c1-4)
g2=$(echo "$hash" | cut -c5-8)
assert_screen_has "$g1 $g2 "
log_since | grep -q "$g1" && fail "the hash was read without being asked for"
press Enter                      # read the hash aloud
spoken=$(echo "$hash" | cut -c1-8 | sed 's/./& /g; s/^\(.......\) /\1, /; s/ $//')
# Digits are words in the speech log (normalised).
spoken=$(echo "$spoken" | sed 's/0/zero/g; s/1/one/g; s/2/two/g; s/3/three/g;
    s/4/four/g; s/5/five/g; s/6/six/g; s/7/seven/g; s/8/eight/g; s/9/nine/g')
wait_log_since "^say${TAB}en${TAB}$spoken"
press Down
press Enter                      # the QR code
assert_screen_has "dauys-election:demo-2026-almaly-district-7:$(echo "$hash" | cut -c1-40)"
# Rebuild the picture from the half blocks: light modules are drawn.
screen | grep -E '^[█▀▄ ]+$' | grep -E '[█▀▄]' |
    sed 's/█/LL/g; s/▀/LD/g; s/▄/DL/g; s/ /DD/g' >qr.txt
[ "$(wc -l <qr.txt)" -ge 20 ] || fail "no QR code on screen"
awk -v s=4 '
{ n = length($0) / 2
  for (r = 0; r < 2; r++) { row = ""
    for (i = 0; i < n; i++) { c = substr($0, 2 * i + 1 + r, 1)
      b = (c == "L") ? "0" : "1"
      for (k = 0; k < s; k++) row = row b " " }
    rows[++m] = row } }
END { w = n * s + 16 * s; h = m * s + 16 * s
  print "P1"; print w, h
  blank = ""; for (i = 0; i < w; i++) blank = blank "0 "
  for (i = 0; i < 8 * s; i++) print blank
  pad = ""; for (i = 0; i < 8 * s; i++) pad = pad "0 "
  for (j = 1; j <= m; j++) for (k = 0; k < s; k++) print pad rows[j] pad
  for (i = 0; i < 8 * s; i++) print blank }' qr.txt >qr.pbm
zbarimg -q --raw qr.pbm >qr.out 2>qr.err || fail "zbarimg: $(cat qr.err)"
[ "$(cat qr.out)" = "dauys-election:demo-2026-almaly-district-7:$hash" ] ||
    fail "the QR code says '$(cat qr.out)'"
press Escape
press Escape
assert_screen_has 'Voting assistance is closed.'

# Open voting; the voter's entry now opens the ballots.
press Down
assert_screen_has '▶ Open voting assistance'
press Enter
assert_screen_has 'Voting assistance is open.'
assert_screen_has '▶ Close voting assistance'
# Speech test in kk and ru.
press Down
press Enter
wait_log_since "^say${TAB}kk${TAB}Бұл сөйлеу тексерісі"
wait_log_since "^say${TAB}ru${TAB}Это проверка речи"
press Escape
# Stencils for every ballot.
press Down
press Enter
type_text "$PWD/stencils"
press Enter
assert_screen_has 'Stencils written:' 20
for b in party-list district-7 referendum; do
    for x in svg pdf png; do
        [ -s "stencils/$b.$x" ] || fail "no stencils/$b.$x"
    done
done
press Escape
press Escape
press Escape
assert_screen_has '▶ Voting assistance'
press Enter
assert_screen_has 'Voting assistance'
assert_screen_has 'Start voting'
assert_screen_lacks 'TEST PACKAGE'
send F10
assert_screen_has 'Staff login'
send Escape

# The next start loads the saved package again, with voting still open
# (the same day: tests/e2e/t_restart.sh has the rest).
kiosk_start --data-dir data --config kiosk.conf --lang en
press Enter
press Enter
assert_screen_has 'Start voting'
staff_menu
assert_screen_has 'Voting assistance is open.'
press Down
press Enter
assert_screen_has 'Identifier: demo-2026-almaly-district-7'
cmp -s good/election.json data/election/election.json ||
    fail "the loaded package was not saved in the data directory"

# The audit log has every staff action and nothing of a voter.
for e in 'staff login' 'package refused' \
    "package loaded id=demo-2026-almaly-district-7 hash=$hash test=false" \
    'voting assistance opened' 'speech test' 'stencils written'; do
    grep -qF "$e" data/audit.log 2>/dev/null ||
        fail "the audit log lacks '$e': $(cat data/audit.log)"
done
grep -qw 'Ахметов\|c01' data/audit.log && fail "the audit log names a candidate"
# One chained line per action: sequence, UTC time, actor, action, hashes.
grep -qE "^1${TAB}[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z${TAB}kiosk${TAB}kiosk started version=[^${TAB}]* config=kiosk.conf blake2b=[0-9a-f]{16}${TAB}0{64}${TAB}[0-9a-f]{64}\$" data/audit.log ||
    fail "the first audit line is not a chained entry: $(head -n 3 data/audit.log)"
grep -qE "^2${TAB}[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z${TAB}kiosk${TAB}staff login role=technician${TAB}[0-9a-f]{64}${TAB}[0-9a-f]{64}\$" data/audit.log ||
    fail "the second audit line is not the login: $(head -n 3 data/audit.log)"
[ "$(stat -c %a data/audit.log)" = 600 ] || fail "audit.log is not 0600"
out=$("$DAUYS" audit verify --data-dir data --config kiosk.conf) ||
    fail "audit verify failed: $out"
n=$(wc -l <data/audit.log)
echo "$out" | grep -qx "audit log: $n entries, none edited or removed" ||
    fail "audit verify printed: $out"
echo "$out" | grep -qE "^head: $n [0-9a-f]{64}\$" || fail "no head: $out"
# Cutting off the last line shows.
head -n "$((n - 1))" data/audit.log >cut && cat cut >data/audit.log
"$DAUYS" audit verify --data-dir data --config kiosk.conf >/dev/null 2>err &&
    fail "a cut-off audit log verified"
grep -q "the end was cut off" err || fail "audit verify: $(cat err)"
exit 0
