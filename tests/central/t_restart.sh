# The server stops (immediately, as a crash) and comes back twice while
# kiosks submit and dauys-sync sends; a kiosk is offline (no dauys-sync)
# while it takes applications, then comes back; a kiosk whose CA does not
# verify the server sends nothing and acknowledges nothing; a status set
# centrally reaches the kiosk. Every announced application ends in
# PostgreSQL exactly once with its hash; nothing personal in clear.
. "$ROOT/tests/central/lib.sh"
central_setup
kiosk 1 ALM-01 k1
kiosk 2 ALM-01 k2
KIOSK_CA=$PG_BADCA kiosk 3 AST-02 k3
trap 'sync_stop; pg_stop' EXIT
submit 1 1 10
submit 2 1 20
# Slow commits, so that the restarts fall in the middle of a push.
pg_sql -c "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS
    \$\$ BEGIN PERFORM pg_sleep(0.01); RETURN NULL; END \$\$;
    CREATE CONSTRAINT TRIGGER slow AFTER INSERT ON dauys.applications
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow()"
sync_start 1
submit 1 200 11 150 &
submit 2 150 21 0 # kiosk 2 offline: no dauys-sync yet
sleep 0.5
pg_restart 1 || fail "the server did not come back"
sleep 0.5
pg_restart 0.5 || fail "the server did not come back"
while [ "$(cat k1.numbers | wc -l)" -lt 201 ]; do sleep 0.2; done
wait_held 201 20
grep -v "applications to send\|still to send" k1.sync.log | grep -q "sync: " ||
    fail "dauys-sync did not notice the restarts: $(cat k1.sync.log)"

# Kiosk 2 comes back online.
sync_start 2
wait_held 352 20
sleep 1.5
sync_stop
kiosks_done 1 2

# Kiosk 3 has the wrong CA: its dauys-sync refuses the server.
submit 3 5 30
if "$DAUYS" sync --once --config k3.conf 2>k3.err; then
    fail "dauys-sync used a server whose certificate does not verify"
fi
grep -q "certificate verify failed" k3.err || fail "$(cat k3.err)"
n=$(sqlite3 k3/dauys.db "SELECT count(*) FROM applications WHERE acked_at IS NULL")
[ "$n" = 5 ] || fail "kiosk 3 marked applications as sent"
[ "$(pg_sql -c "SELECT count(*) FROM dauys.applications WHERE centre = 'AST-02'")" = 0 ] ||
    fail "kiosk 3's applications arrived"

# A status set by a case worker reaches the kiosk.
num=$(head -1 k1.numbers)
central status "$num" in-review >/dev/null || fail "status"
"$DAUYS" sync --once --config k1.conf 2>>k1.sync.log || fail "sync --once"
"$DAUYS" services status "$num" --config k1.conf | grep -q in-review ||
    fail "the status did not come back: $("$DAUYS" services status "$num" --config k1.conf)"

# Staff actions on kiosk 1 (a PIN, an export) reach the central copy of
# its audit trail, line for line, and only once however often it is sent.
printf '482913\n482913\n' | "$DAUYS" staff passwd --data-dir k1 >/dev/null 2>&1 ||
    fail "staff passwd"
printf '482913\n' >pin
mkdir stick
"$DAUYS" services export --config k1.conf --pin-file pin --out stick 2>/dev/null ||
    fail "services export"
[ -s k1/audit.log ] || fail "no audit entries on kiosk 1"
"$DAUYS" sync --once --config k1.conf 2>>k1.sync.log || fail "sync --once"
"$DAUYS" sync --once --config k1.conf 2>>k1.sync.log || fail "sync --once"
pg_sql -c "SELECT line FROM dauys.audit WHERE centre = 'ALM-01' AND terminal = 'k1' ORDER BY seq" >audit.central
cmp -s k1/audit.log audit.central || {
    diff k1/audit.log audit.central | head >&2
    fail "the central audit trail differs from the kiosk's"
}
# The stick export imports as a no-op: dauys-sync sent it all already.
central import stick/*.jsonl >out || fail "import of the stick"
grep -q " 0 new, 201 already held, 0 in conflict" out || fail "$(cat out)"
no_clear iins "$W"/k1 "$W"/k2 "$W"/k3 "$PG_DIR/data"
