#!/bin/sh
# Starts a throwaway PostgreSQL (tests/central/pg.sh, fsync on, TLS),
# makes the schema and one terminal role per simulated kiosk, and runs
# central_bench (see its header). BENCH_CENTRAL_KIOSKS (50),
# BENCH_CENTRAL_PER (20000 a kiosk), BENCH_CENTRAL_NAIVE (400 a kiosk) and
# BENCH_CENTRAL_WINDOW (20 s of steady load) shorten a run.
set -eu
build=${1:?usage: central_bench.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
kiosks=${BENCH_CENTRAL_KIOSKS:-50}
W=$(mktemp -d "${TMPDIR:-/tmp}/dauys-central-bench.XXXXXX")
PG_FSYNC=on
. "$ROOT/tests/central/pg.sh"
pg_start "$W" >&2
trap 'pg_stop; rm -rf "$W"' EXIT
mkdir "$W/keys"
"$build/dauys" central keygen --out "$W/keys" >/dev/null
"$build/dauys" central init --db "$PG_SU" --ca "$PG_CA" >/dev/null
k=1
while [ $k -le "$kiosks" ]; do
    printf 'pw-t_b%d\n' $k >"$W/pw"
    pg_sql -c "CREATE ROLE t_b$k LOGIN PASSWORD 'pw-t_b$k' IN ROLE dauys_terminal;
               INSERT INTO dauys.terminals VALUES ('t_b$k', 'B$(printf %02d $k)', 'k$k')"
    k=$((k + 1))
done
"$build/bench/central_bench" "host=127.0.0.1 port=$PG_PORT dbname=postgres" \
    "$PG_CA" "$W/keys/centre.pub" "$kiosks" "${BENCH_CENTRAL_PER:-20000}" \
    "${BENCH_CENTRAL_NAIVE:-400}" "${BENCH_CENTRAL_WINDOW:-20}"
