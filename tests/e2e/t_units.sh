#!/bin/sh
# The appliance's units keep VT switching locked while systemd restarts a
# crashed kiosk: the lock is held by dauys-vtlock.service (oneshot,
# RemainAfterExit, "unlock" only in its ExecStop), which dauys.service
# requires and comes after; dauys.service itself never unlocks (it used to,
# in ExecStopPost, which runs on every restart: about a second unlocked),
# and the lock unit is not tied to the kiosk's restarts (no PartOf= or
# BindsTo=). systemd-analyze verify accepts both units. What only the image
# test shows (images/image-test.py): the lock unit stays active through a
# kill -9 and Alt+F2 during the restart does nothing.
. "$(dirname "$0")/lib.sh"

root=$(cd "$DAUYS_DATADIR/.." && pwd)
kiosk=$root/debian/dauys.service
lock=$root/debian/dauys.dauys-vtlock.service
[ -f "$kiosk" ] || fail "no $kiosk"
[ -f "$lock" ] || fail "no $lock: the lock has no unit of its own"

# key FILE KEY: the values of KEY= in FILE, one a line.
key() {
    sed -n "s/^$2=//p" "$1"
}

key "$kiosk" ExecStopPost | grep -q unlock &&
    fail "dauys.service unlocks VT switching in ExecStopPost (on every restart)"
grep -E '^Exec[A-Za-z]*=' "$kiosk" | grep -q 'dauys-vtlock' &&
    fail "dauys.service runs dauys-vtlock itself: $(grep vtlock "$kiosk")"
key "$kiosk" Requires | grep -qw dauys-vtlock.service ||
    fail "dauys.service does not require dauys-vtlock.service"
key "$kiosk" After | grep -qw dauys-vtlock.service ||
    fail "dauys.service does not start after dauys-vtlock.service"

[ "$(key "$lock" Type)" = oneshot ] || fail "the lock unit is not oneshot"
[ "$(key "$lock" RemainAfterExit)" = yes ] ||
    fail "the lock unit does not remain active after locking"
key "$lock" ExecStart | grep -q 'dauys-vtlock lock /dev/tty1' ||
    fail "the lock unit does not lock: $(key "$lock" ExecStart)"
key "$lock" ExecStop | grep -q 'dauys-vtlock unlock /dev/tty1' ||
    fail "the lock unit does not unlock on its stop"
grep -qE '^(PartOf|BindsTo|PropagatesStopTo|StopPropagatedFrom)=.*dauys\.service' "$lock" &&
    fail "the lock unit follows the kiosk's stops and restarts"
grep -q 'dh_installsystemd --name=dauys-vtlock' "$root/debian/rules" ||
    fail "debian/rules does not install dauys-vtlock.service"

if command -v systemd-analyze >/dev/null 2>&1; then
    mkdir units || fail "mkdir"
    cp "$kiosk" units/dauys.service
    cp "$lock" units/dauys-vtlock.service
    # The programs the units name, as this tree built them.
    bin=$(dirname "$DAUYS")
    sed -i "s#/usr/libexec/dauys/dauys-vtlock#$bin/dauys-vtlock#;
        s#/usr/bin/dauys#$DAUYS#; s#/usr/bin/setfont#/bin/true#;
        s#/usr/bin/setvtrgb#/bin/true#" units/*.service
    SYSTEMD_LOG_LEVEL=warning systemd-analyze verify \
        units/dauys-vtlock.service units/dauys.service >out 2>&1
    grep -v "man dauys(1)" out | grep -q . &&
        fail "systemd-analyze verify: $(cat out)"
fi
exit 0
