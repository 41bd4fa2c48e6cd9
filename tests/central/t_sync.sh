# Five kiosks (two centres) take applications while their dauys-sync run;
# one dauys-sync is killed with SIGKILL again and again mid-batch and
# started again. Commits are slowed (a deferred trigger sleeps at COMMIT)
# so that the kills land between the server's COMMIT and the kiosk's
# acknowledgement, and the test checks that at least one did. Every announced application ends in PostgreSQL exactly
# once with its content hash, every kiosk holds them as acknowledged, and
# no IIN or phone is in clear in any kiosk file or in PostgreSQL.
. "$ROOT/tests/central/lib.sh"
central_setup
kiosk 1 ALM-01 k1
kiosk 2 ALM-01 k2
kiosk 3 ALM-01 k3
kiosk 4 AST-02 k4
kiosk 5 AST-02 k5
trap 'sync_stop; pg_stop' EXIT
for k in 1 2 3 4 5; do submit $k 1 "${k}0"; done
pg_sql -c "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS
    \$\$ BEGIN PERFORM pg_sleep(0.01); RETURN NULL; END \$\$;
    CREATE CONSTRAINT TRIGGER slow AFTER INSERT ON dauys.applications
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow()"
for k in 1 2 3 4 5; do sync_start $k; done
for k in 1 2 3 4 5; do submit $k 300 "${k}1" 200 & done
# SIGKILL kiosk 1's dauys-sync while it sends, six times; after each, see
# whether PostgreSQL holds applications that kiosk 1 has not marked sent.
window=0
for i in 1 2 3 4 5 6; do
    sleep 0.4
    kill -9 "$(cat k1.sync)"
    wait "$(cat k1.sync)" 2>/dev/null
    sleep 0.3
    held=$(pg_sql -c "SELECT count(*) FROM dauys.applications WHERE terminal = 'k1'")
    acked=$(sqlite3 k1/dauys.db "SELECT count(*) FROM applications WHERE acked_at IS NOT NULL")
    [ "$held" -gt "$acked" ] && window=$((window + 1))
    sync_start 1
done
[ $window -gt 0 ] || fail "no kill fell between a COMMIT and its acknowledgement"
echo "kills between COMMIT and acknowledgement: $window of 6" 
wait_jobs() { for j in $(jobs -p); do wait "$j" 2>/dev/null; done; }
while [ "$(cat k*.numbers | wc -l)" -lt 1505 ]; do
    sleep 0.2
done
wait_held 1505 20
sleep 1.5 # the last acknowledgements
sync_stop
kiosks_done 1 2 3 4 5
grep -q "sync:" k1.sync.log || fail "dauys-sync said nothing"
no_clear iins "$W"/k1 "$W"/k2 "$W"/k3 "$W"/k4 "$W"/k5 "$PG_DIR/data"
