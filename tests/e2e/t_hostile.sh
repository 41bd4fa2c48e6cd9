#!/bin/sh
# Hostile input. A named pipe called election.json (or .sig, or a
# configuration) is refused at once by `election verify`, `election hash`,
# `stencil`, `selftest --config` and the staff's load screen, instead of
# hanging them. Error messages that echo an argument write its control
# characters visibly: a C1 character (U+009B is CSI on the Linux console),
# ESC and bytes that are not UTF-8 never reach standard error raw. A
# configuration line of any length is one line: a key after a long comment
# is not applied. `dauys audit verify` exits 1, with a clear message, when
# a line is edited, a line is deleted or the end is cut off (even in the
# middle of a line), and refuses a named pipe as its head at once.
. "$(dirname "$0")/lib.sh"
E2E_COLS=100
E2E_ROWS=40

# run SECONDS COMMAND...: runs COMMAND with a time limit; its output in
# out and err, its status in $rc (124: it hung).
run() {
    t=$1
    shift
    timeout "$t" "$@" >out 2>err
    rc=$?
}

"$DAUYS" election keygen --secret k.key --public k.pub >out 2>&1 ||
    fail "keygen: $(cat out)"
mkdir fifo sigfifo || fail "mkdir"
mkfifo fifo/election.json || fail "mkfifo"
cp "$DAUYS_DATADIR/demo/election/election.json" sigfifo/
mkfifo sigfifo/election.json.sig || fail "mkfifo"

for cmd in "election verify fifo --public k.pub" "election hash fifo" \
    "stencil fifo --ballot party-list --out s.svg" \
    "election verify sigfifo --public k.pub"; do
    # shellcheck disable=SC2086
    run 10 "$DAUYS" $cmd
    [ $rc = 124 ] && fail "dauys $cmd hangs on a named pipe"
    [ $rc = 1 ] || fail "dauys $cmd: exit $rc: $(cat err)"
    grep -q "named pipe" err || fail "dauys $cmd does not say why: $(cat err)"
done
mkfifo fifo.conf || fail "mkfifo"
run 10 "$DAUYS" selftest --config fifo.conf --data-dir .
[ $rc = 124 ] && fail "selftest hangs on a named pipe as configuration"
grep -q "named pipe" err || fail "selftest --config FIFO: $(cat err)"

# C1 and other controls in an echoed argument are shown, not sent.
csi=$(printf '\302\233')
esc=$(printf '\033')
run 10 "$DAUYS" --mode "x${csi}2J${esc}[31m$(printf '\377')"
[ $rc = 2 ] || fail "--mode: exit $rc"
grep -q "$csi" err && fail "a raw U+009B reached standard error: $(od -c err)"
grep -q "$esc" err && fail "a raw ESC reached standard error"
LC_ALL=C grep -q "$(printf '\377')" err && fail "a raw 0xff reached standard error"
grep -qF 'not '"'"'x\u009b2J\u001b[31m\xff'"'" err ||
    fail "the value is not shown escaped: $(cat err)"
run 10 "$DAUYS" election verify "dir${csi}" --public k.pub
grep -q "$csi" err && fail "a raw U+009B in election verify's message"
grep -qF 'dir\u009b' err || fail "election verify: $(cat err)"

# A key after 199 characters of comment is not applied.
pad=$(printf '%0199d' 0)
printf '[kiosk]\n# %s mode = services\nmode = voting\n' "$pad" >long.conf
run 10 "$DAUYS" selftest --config long.conf --data-dir .
grep -q "long.conf" err && fail "the long comment was read as lines: $(cat err)"
printf '[kiosk]\ncentre = %s%s\ncolour = red\n' "$pad" "$pad" >long.conf
run 10 "$DAUYS" selftest --config long.conf --data-dir .
grep -q "long.conf:2: the line is longer than 199 characters" err ||
    fail "a long line is not named by its number: $(cat err)"
grep -q "long.conf:3: unknown key 'colour'" err ||
    fail "the line after a long one lost its number: $(cat err)"

# The staff's load screen refuses the pipe and stays responsive.
pin=654321
mkdir data && chmod 700 data || fail "mkdir"
printf '%s\n' "$pin" | "$DAUYS" staff passwd --data-dir data >out 2>&1 ||
    fail "staff passwd failed: $(cat out)"
printf '[election]\npublic_key = %s\n' "$(cat k.pub)" >kiosk.conf
kiosk_start --data-dir data --config kiosk.conf --lang en
press F10
send -l "$pin"
press Enter
assert_screen_has 'Staff menu'
press Enter
press Enter
assert_screen_has 'Type the directory'
send -l "$PWD/fifo"
assert_screen_has "$PWD/fifo"
press Enter
assert_screen_has 'The package was refused:'
assert_screen_has 'named pipe'
press Escape
assert_screen_has 'No package is loaded.'

# The audit log: every kind of break exits 1 with a clear message.
press Escape
press Escape
kill -9 "$(kiosk_pid)"
n=$(wc -l <data/audit.log)
[ "$n" -ge 3 ] || fail "too few audit entries: $(cat data/audit.log)"
"$DAUYS" audit verify --data-dir data --config kiosk.conf >out 2>&1 ||
    fail "audit verify: $(cat out)"
cp data/audit.log good.log
# check WHAT MESSAGE: audit verify exits 1 and says MESSAGE.
check() {
    run 10 "$DAUYS" audit verify --data-dir data --config kiosk.conf
    [ $rc = 1 ] || fail "$1: audit verify exit $rc: $(cat out err)"
    grep -q "$2" err || fail "$1: audit verify says: $(cat err)"
    cp good.log data/audit.log
}
sed -i '3s/package refused/package loaded/' data/audit.log
check "an edited line" "line 3 of .* was edited"
sed -i '2d' data/audit.log
check "a deleted line" "line 2 of .* holds entry 3 where entry 2 belongs"
head -n "$((n - 1))" good.log >data/audit.log
check "the last line cut off" "the end was cut off"
truncate -s -20 data/audit.log
check "the end cut in a line" "line $n of .* is incomplete"
# A named pipe in place of the head: refused at once, not waited on.
mv data/audit.log.head head.keep
mkfifo data/audit.log.head || fail "mkfifo"
run 10 "$DAUYS" audit verify --data-dir data --config kiosk.conf
[ $rc = 124 ] && fail "audit verify hangs on a named pipe"
[ $rc = 3 ] || fail "audit verify with a pipe as head: exit $rc: $(cat err)"
grep -q "named pipe" err || fail "audit verify: $(cat err)"
exit 0
