#!/bin/sh
# USB sticks at the polling station (a folder stands in for the stick, as
# on a dev machine: --media-dir): the staff's "Load election package" lists
# what is on the stick (packages with id, election date and the first 7
# hex digits of the hash, a broken package with its problem, terminal
# configurations) instead of asking for a path; choosing a package loads it
# and says the stick can be removed. "Write stencils" writes onto the stick
# through the spool and says when it can be removed; a write that fails
# keeps the files on the terminal (data/spool) and the next write sends
# them too. Without a stick the typed folder is offered.
. "$(dirname "$0")/lib.sh"
E2E_COLS=100
E2E_ROWS=40

pin=654321
mkdir data && chmod 700 data || fail "mkdir"
printf '%s\n' "$pin" | "$DAUYS" staff passwd --data-dir data >out 2>&1 ||
    fail "staff passwd failed: $(cat out)"
"$DAUYS" election keygen --secret k.key --public k.pub >out 2>&1 ||
    fail "keygen: $(cat out)"
mkdir -p stick/pkg stick/broken || fail "mkdir"
cp "$DAUYS_DATADIR/demo/election/election.json" stick/pkg/
"$DAUYS" election sign stick/pkg --secret k.key >out 2>&1 ||
    fail "sign: $(cat out)"
echo '{"format": "dauys-election/1"' >stick/broken/election.json
echo '{"format": "dauys-terminal/1"}' >stick/terminal-7.json
short=$("$DAUYS" election hash stick/pkg | cut -c1-7) || fail "hash"
tshort=$(sha256sum stick/terminal-7.json | cut -c1-7)
printf '[election]\npublic_key = %s\n' "$(cat k.pub)" >kiosk.conf

staff_menu() {
    press F10
    send -l "$pin"
    press Enter
    assert_screen_has 'Staff menu'
    press Enter
    assert_screen_has 'Election package and voting'
}

kiosk_start --data-dir data --config kiosk.conf --lang en \
    --media-dir "$PWD/stick"
staff_menu
assert_screen_has '▶ Load election package'
press Enter
assert_screen_has 'On the USB stick'
assert_screen_has "Terminal configuration terminal-7.json, hash $tshort."
assert_screen_has 'Folder broken: not a valid election package'
assert_screen_has "Package demo-2026-almaly-district-7, election date 2026-03-15, hash $short"
assert_screen_has 'Type a folder instead'
assert_screen_lacks 'Type the directory'
# The broken one says why and loads nothing.
assert_screen_has '▶ Folder broken'
press Enter
wait_log_since "^say${TAB}en${TAB}This folder is not a valid election package."
press Down
assert_screen_has '▶ Package demo'
# The hash is read one character at a time (digits as words).
spelled=$(echo "$short" | sed 's/./& /g; s/ $//' | sed 's/0/zero/g; s/1/one/g;
    s/2/two/g; s/3/three/g; s/4/four/g; s/5/five/g; s/6/six/g; s/7/seven/g;
    s/8/eight/g; s/9/nine/g')
wait_log_since "^say${TAB}en${TAB}Package demo-.*almaly-district-.*, election date March fifteenth, two thousand twenty six, hash $spelled\$"
press Enter
assert_screen_has 'Package demo-2026-almaly-district-7 is loaded.'
assert_screen_has 'You can remove the USB stick now.'
wait_log_since "^say${TAB}en${TAB}.*You can remove the USB stick now."
cmp -s stick/pkg/election.json data/election/election.json ||
    fail "the package was not copied onto the terminal"
press Escape

# Stencils onto the stick, through the spool.
press Down
press Down
press Down
press Down
assert_screen_has '▶ Write stencils'
press Enter
assert_screen_has 'file(s) written to the USB stick. You can remove the stick now.' 30
wait_log_since "^say${TAB}en${TAB}nine file.s. written to the USB stick. You can remove the stick now."
for b in party-list district-7 referendum; do
    for x in svg pdf png; do
        [ -s "stick/stencils-demo-2026-almaly-district-7/$b.$x" ] ||
            fail "no $b.$x on the stick"
    done
done
[ -z "$(ls data/spool)" ] || fail "the spool was not emptied: $(ls data/spool)"
ls stick/stencils-demo-2026-almaly-district-7 | grep -q '\.part$' &&
    fail "a .part file was left on the stick"
press Escape

# A write that fails keeps the files on the terminal: the stick's folder
# is in the way (a file of that name).
rm -rf stick/stencils-demo-2026-almaly-district-7
echo x >stick/stencils-demo-2026-almaly-district-7
press Enter
assert_screen_has 'The files could not be written to the USB stick.' 30
assert_screen_has 'Nothing is lost: the files are kept on this terminal.'
[ "$(ls data/spool | wc -l)" = 1 ] || fail "the job is not in the spool"
press Escape
# Removed and put back: the next write sends the kept job and the new one.
rm -rf stick
press Enter
assert_screen_has 'No USB stick is inserted. Type the directory'
press Escape
mkdir -p stick && echo '{}' >stick/other.json
press Enter
assert_screen_has '18 file(s) written to the USB stick.' 30
[ -z "$(ls data/spool)" ] || fail "the spool was not emptied: $(ls data/spool)"
[ -s stick/stencils-demo-2026-almaly-district-7/referendum.pdf ] ||
    fail "the stencils are not on the stick"
press Escape
press Escape

# No stick: the typed folder, as before.
rm -rf stick
press Enter
press Enter
assert_screen_has 'No USB stick is inserted. Type the directory that holds'

for e in 'stick listed items=3' 'stick written jobs=1 files=9' \
    'stick write failed' 'stick written jobs=2 files=18'; do
    grep -qF "$e" data/audit.log 2>/dev/null ||
        fail "the audit log lacks '$e': $(cat data/audit.log)"
done
exit 0
