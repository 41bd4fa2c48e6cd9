#!/bin/sh
# Runs the central scenarios tests/central/t_*.sh, each against a throwaway
# PostgreSQL it starts itself (tests/central/pg.sh), and appends
# "PASS central:<name>" or "FAIL central:<name>" to RESULTS.
#
# usage: sh tests/central/run.sh RESULTS BUILD_DIR
#
# Each script runs in a fresh folder (also its TMPDIR) with DAUYS (the
# binary), GEN (the record writer), ROOT (the source tree) in the
# environment, under a time limit of 60 s. CENTRAL_ONLY="import rls"
# runs only those.
set -u
results=$1
build=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ -x "$build/dauys" ] || { echo "central: no $build/dauys" >&2; exit 2; }
[ -x /usr/lib/postgresql/15/bin/initdb ] || {
    echo "central: PostgreSQL 15 is not installed (sh scripts/deps.sh)" >&2
    echo "FAIL central:postgresql-missing" >>"$results"
    exit 1
}
work=$(mktemp -d "${TMPDIR:-/tmp}/dauys-central.XXXXXX") || exit 1
chmod 0755 "$work"
status=0
for t in "$here"/t_*.sh; do
    name=$(basename "$t" .sh)
    name=${name#t_}
    case " ${CENTRAL_ONLY:-$name} " in *" $name "*) ;; *) continue ;; esac
    dir=$work/$name
    mkdir "$dir" || exit 1
    start=$(date +%s)
    (cd "$dir" && DAUYS=$build/dauys GEN=$build/tests/central-gen \
        SUBMIT=$build/tests/central-submit ROOT=$root \
        TMPDIR=$dir timeout -k 5 60 sh "$t") >"$work/$name.out" 2>&1
    rc=$?
    # A script killed by the time limit leaves its server running.
    if [ -f "$dir/pg/data/postmaster.pid" ]; then
        if [ "$(id -u)" -eq 0 ]; then
            runuser -u nobody -- /usr/lib/postgresql/15/bin/pg_ctl \
                -D "$dir/pg/data" -m immediate stop >/dev/null 2>&1
        else
            /usr/lib/postgresql/15/bin/pg_ctl -D "$dir/pg/data" -m immediate \
                stop >/dev/null 2>&1
        fi
    fi
    secs=$(($(date +%s) - start))
    if [ $rc -eq 0 ]; then
        echo "PASS central:$name" >>"$results"
        echo "central: $name ok (${secs} s)"
    else
        echo "FAIL central:$name" >>"$results"
        sed 's/^/    /' "$work/$name.out" >&2
        echo "central: $name FAILED (exit $rc, ${secs} s)" >&2
        status=1
    fi
done
rm -rf "$work"
exit $status
