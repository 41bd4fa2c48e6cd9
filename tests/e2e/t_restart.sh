#!/bin/sh
# State that survives (no --demo): staff load a real package for today and
# open voting; `kill -9` of the kiosk and a new start find voting still
# open, and staff are told it stayed open; five wrong PINs lock login, and
# the lock is still there after another kill -9 (the power button does not
# reset it); a package for another day cannot be opened; a damaged state
# file starts the kiosk with voting closed and staff see why; the audit
# log verifies throughout and shows its head on the staff menu.
. "$(dirname "$0")/lib.sh"
E2E_COLS=100
E2E_ROWS=40

pin=654321
today=$(date +%F)
mkdir data && chmod 700 data || fail "mkdir"
printf '%s\n' "$pin" | "$DAUYS" staff passwd --data-dir data >out 2>&1 ||
    fail "staff passwd failed: $(cat out)"
"$DAUYS" election keygen --secret k.key --public k.pub >out 2>&1 ||
    fail "keygen: $(cat out)"
mkdir today other || fail "mkdir"
sed "s/\"test\": true/\"test\": false/; s/\"date\": \"2026-03-15\"/\"date\": \"$today\"/" \
    "$DAUYS_DATADIR/demo/election/election.json" >today/election.json
sed 's/"test": true/"test": false/; s/"date": "2026-03-15"/"date": "2001-01-01"/' \
    "$DAUYS_DATADIR/demo/election/election.json" >other/election.json
"$DAUYS" election sign today --secret k.key >out 2>&1 || fail "sign: $(cat out)"
"$DAUYS" election sign other --secret k.key >out 2>&1 || fail "sign: $(cat out)"
printf '[election]\npublic_key = %s\n' "$(cat k.pub)" >kiosk.conf

staff_menu() {
    press F10
    send -l "$pin"
    press Enter
    assert_screen_has 'Staff menu'
}

load() {
    assert_screen_has '▶ Load election package'
    press Enter
    assert_screen_has 'Type the directory'
    send -l "$PWD/$1"
    assert_screen_has "$PWD/$1"
    press Enter
}

start() {
    kiosk_start --data-dir data --config kiosk.conf --lang en
}

# A package for another day is loaded but cannot be opened.
start
staff_menu
assert_screen_has 'Audit log: 2 entries, last '
press Enter
load other
assert_screen_has 'Package demo-2026-almaly-district-7 is loaded.'
press Escape
press Down
press Down
assert_screen_has '▶ Open voting assistance'
press Enter
assert_screen_has 'can be opened only on the election day, 2001-01-01'
assert_screen_has "Today is $today."
press Escape
assert_screen_has 'Voting assistance is closed.'

# Today's package opens.
press Up
press Up
load today
assert_screen_has 'Package demo-2026-almaly-district-7 is loaded.'
press Escape
press Down
press Down
press Enter
assert_screen_has 'Voting assistance is open.'
grep -qx "voting open $today" data/state || fail "the state file: $(cat data/state)"
press Escape
press Escape
# A voter starts a session: counted, nothing else kept.
press Enter
assert_screen_has '▶ Voting assistance'
press Enter
assert_screen_has 'Start voting'
press Down
assert_screen_has '▶ Start voting'
press Enter
grep -qx 'sessions 1' data/state || fail "the session was not counted: $(cat data/state)"

# The crash.
kill -9 "$(kiosk_pid)"
assert_exit 137 'kill -9'
start
press Enter
press Enter
assert_screen_has 'Start voting'
assert_screen_lacks 'not open on this terminal'
staff_menu
assert_screen_has "The terminal started again; voting assistance stays open for $today."
n=$(wc -l <data/audit.log)
assert_screen_has "Audit log: $((n)) entries, last $(tail -n 1 data/audit.log | cut -f6 | cut -c1-7)."
# By ear too: the notice and the head are read with the menu.
wait_log "^say${TAB}en${TAB}The terminal started again; voting assistance stays open for "
wait_log "^say${TAB}en${TAB}Audit log: .* entries, last [a-z]* [a-z]* [a-z]* [a-z]* [a-z]* [a-z]* [a-z]*\.\$"
press Escape

# Five wrong PINs lock login; the power button does not unlock it.
press F10
i=0
while [ $i -lt 5 ]; do
    send -l 111111
    press Enter
    i=$((i + 1))
done
assert_screen_has 'Login is locked for 30 seconds'
grep -qx 'pin-failures 5' data/state || fail "the lockout was not kept: $(cat data/state)"
kill -9 "$(kiosk_pid)"
assert_exit 137 'kill -9'
start
press F10
send -l "$pin"
press Enter
assert_screen_has 'Login is locked. Try again in'
assert_screen_lacks 'Staff menu'
press Escape

# A damaged state file: closed, and staff are told.
kill -9 "$(kiosk_pid)"
assert_exit 137 'kill -9'
printf 'dauys-state/1\nvoting open %s\nsessi' "$today" >data/state
"$DAUYS" selftest --data-dir data --config kiosk.conf >out 2>&1
grep -q "^FAIL saved state: the state file .*state is damaged: its last line is incomplete" out ||
    fail "selftest does not name the damaged state: $(cat out)"
start
press Enter
press Enter
assert_screen_has 'not open on this terminal'
press Escape
staff_menu
assert_screen_has 'The saved state of this terminal could not be read'
grep -q "state damaged, voting assistance closed" data/audit.log ||
    fail "the damaged state is not in the audit log"
"$DAUYS" audit verify --data-dir data --config kiosk.conf >out 2>&1 ||
    fail "audit verify: $(cat out)"
exit 0
