# Five kiosks (two centres) take applications while their dauys-sync run;
# one dauys-sync is killed with SIGKILL again and again mid-batch and
# started again. Every announced application ends in PostgreSQL exactly
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
for k in 1 2 3 4 5; do sync_start $k; done
for k in 1 2 3 4 5; do submit $k 300 "${k}1" 200 & done
# SIGKILL kiosk 1's dauys-sync while it sends, six times.
for i in 1 2 3 4 5 6; do
    sleep 0.4
    kill -9 "$(cat k1.sync)"
    wait "$(cat k1.sync)" 2>/dev/null
    sync_start 1
done
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
