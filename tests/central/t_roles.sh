# Roles and row-level security: a terminal's role inserts its own
# centre's and terminal's records and reads its centre's statuses, and is
# refused everything else (another centre's rows, another terminal's
# records, the sealed column, hashes, conflicts, status changes); a server
# whose certificate does not verify against the configured CA is refused.
. "$ROOT/tests/central/lib.sh"
central_setup
terminal_role t_alm_k1 ALM-01 k1
ALM=$TCONN
terminal_role t_ast_k1 AST-02 k1
AST=$TCONN
gen alm.jsonl ALM-01 k1 50 1000 iins
gen ast.jsonl AST-02 k1 50 3000 iins
gen alm_k2.jsonl ALM-01 k2 5 7000 iins

# Each terminal pushes its own records (the push dauys-sync makes).
"$DAUYS" central import alm.jsonl --db "$ALM" --ca "$PG_CA" >/dev/null ||
    fail "a terminal cannot push its own records"
"$DAUYS" central import ast.jsonl --db "$AST" --ca "$PG_CA" >/dev/null ||
    fail "a terminal cannot push its own records"
# … but not another centre's, nor another terminal's of its centre.
if "$DAUYS" central import ast.jsonl --db "$ALM" --ca "$PG_CA" >/dev/null 2>&1; then
    # The rows exist already: the push is a no-op, so try new ones.
    :
fi
gen ast_new.jsonl AST-02 k1 3 8000
if "$DAUYS" central import ast_new.jsonl --db "$ALM" --ca "$PG_CA" 2>err; then
    fail "a terminal inserted another centre's records"
fi
grep -q "row-level security" err || fail "$(cat err)"
if "$DAUYS" central import alm_k2.jsonl --db "$ALM" --ca "$PG_CA" 2>err; then
    fail "a terminal inserted another terminal's records"
fi
held_once alm.jsonl ast.jsonl

tsql() {
    PGSSLMODE=verify-full PGSSLROOTCERT=$PG_CA "$PG_BIN/psql" -X -q -At \
        -v ON_ERROR_STOP=1 "$ALM" -c "$1" 2>"$W/sqlerr"
}
refused() {
    if tsql "$1" >"$W/sqlout"; then
        fail "a terminal role could run: $1 ($(head -c 200 "$W/sqlout"))"
    fi
    grep -q "permission denied" "$W/sqlerr" || fail "$1: $(cat "$W/sqlerr")"
}
n=$(tsql "SELECT count(*) FROM dauys.applications") || fail "$(cat sqlerr)"
[ "$n" = 50 ] || fail "the terminal sees $n rows, not its centre's 50"
n=$(tsql "SELECT count(*) FROM dauys.applications WHERE centre = 'AST-02'")
[ "$n" = 0 ] || fail "the terminal sees another centre's rows"
tsql "SELECT number, status, status_changed_at FROM dauys.applications LIMIT 1" >/dev/null ||
    fail "the terminal cannot read its centre's statuses"
refused "SELECT sealed FROM dauys.applications"
refused "SELECT * FROM dauys.applications"
refused "SELECT iin_hash FROM dauys.applications"
refused "SELECT content_hash FROM dauys.applications"
refused "SELECT * FROM dauys.conflicts"
refused "SELECT * FROM dauys.status_changes"
refused "SELECT line FROM dauys.audit"
refused "UPDATE dauys.applications SET status = 'done'"
refused "DELETE FROM dauys.applications"
# The conflict check answers only for the caller's own centre.
n=$(tsql "SELECT count(*) FROM dauys.push_conflicts(ARRAY['AST-02'], ARRAY['$(sed -n 's/.*"number":"\([0-9]*\)".*/\1/p' ast.jsonl | head -1)'], ARRAY['k1'], ARRAY['$(printf '0%.0s' $(seq 64))'], ARRAY['x'])")
[ "$n" = 0 ] || fail "the conflict check looked at another centre"

# A status set centrally comes back to the centre's terminals only.
num=$(sed -n 's/.*"number":"\([0-9]*\)".*/\1/p' alm.jsonl | head -1)
central status "$num" done >/dev/null || fail status
[ "$(tsql "SELECT status FROM dauys.applications WHERE status_seq > 0")" = done ] ||
    fail "the status change is not visible to the centre's terminal"

# A server certificate that does not verify is refused.
if "$DAUYS" central import alm.jsonl --db "$ALM" --ca "$PG_BADCA" 2>err; then
    fail "a server whose certificate does not verify was used"
fi
grep -q "certificate verify failed" err || fail "$(cat err)"
# … also when the connection string asks for less.
if "$DAUYS" central import alm.jsonl --db "$ALM sslmode=require" --ca "$PG_BADCA" 2>err; then
    fail "sslmode in the connection string weakened the check"
fi
grep -q "certificate verify failed" err || fail "$(cat err)"
no_clear iins "$W" "$PG_DIR/data"
