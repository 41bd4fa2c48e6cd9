#!/bin/sh
# Runs every end-to-end scenario tests/e2e/t_*.sh against a built dauys
# binary and appends "PASS e2e:<name>" or "FAIL e2e:<name>" to RESULTS.
#
# usage: sh tests/e2e/run.sh RESULTS DAUYS_BINARY
#
# Each scenario is a POSIX sh script run with DAUYS (the binary's absolute
# path), DAUYS_DATADIR and DAUYS_LOCALEDIR in the environment, in a fresh
# empty directory that is also its TMPDIR, under a time limit
# (E2E_SCRIPT_TIMEOUT seconds, default 120; a script that needs longer,
# such as one-switch scanning at its real pace, says so on a line
# "# e2e-timeout: SECONDS"). Scenarios that drive the
# kiosk in tmux get tmux servers of their own (socket names starting with
# E2E_TMUX_SOCKET), which are killed here after the script, whatever
# happened to it. A failing script's output is printed; the exit status is
# non-zero if any failed.
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 RESULTS DAUYS_BINARY" >&2
    exit 2
fi
results=$1
bin=$2
case $bin in
/*) ;;
*) bin=$PWD/$bin ;;
esac
[ -x "$bin" ] || { echo "e2e: $bin is not an executable" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
: "${DAUYS_DATADIR:=$root/data}"
: "${DAUYS_LOCALEDIR:=$(cd "$(dirname "$bin")" && pwd)/locale}"
export DAUYS_DATADIR DAUYS_LOCALEDIR
limit=${E2E_SCRIPT_TIMEOUT:-120}
mkdir -p "$(dirname "$results")"

command -v tmux >/dev/null 2>&1 || {
    echo "e2e: tmux is not installed (sh scripts/deps.sh)" >&2
    echo "FAIL e2e:tmux-missing" >>"$results"
    exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/dauys-e2e.XXXXXX") || exit 1
status=0
for t in "$here"/t_*.sh; do
    [ -f "$t" ] || continue
    name=$(basename "$t" .sh)
    name=${name#t_}
    # E2E_ONLY="vote services": run only the scenarios named.
    case " ${E2E_ONLY:-$name} " in *" $name "*) ;; *) continue ;; esac
    dir=$work/$name
    mkdir "$dir" || exit 1
    sock=dauys-e2e-$$-$name
    start=$(date +%s)
    own=$(sed -n 's/^# e2e-timeout: *\([0-9][0-9]*\)$/\1/p' "$t" | head -n 1)
    [ -n "$own" ] && [ "$own" -gt "$limit" ] || own=$limit
    (
        cd "$dir" &&
            DAUYS=$bin TMPDIR=$dir E2E_TMUX_SOCKET=$sock \
                XDG_STATE_HOME=$dir/.state \
                timeout -k 5 "$own" sh "$t"
    ) >"$work/$name.out" 2>&1
    rc=$?
    for s in "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"-*; do
        [ -e "$s" ] || continue
        tmux -S "$s" kill-server >/dev/null 2>&1
        rm -f "$s"
    done
    secs=$(($(date +%s) - start))
    if [ $rc -eq 0 ]; then
        echo "PASS e2e:$name" >>"$results"
        echo "e2e: $name ok (${secs} s)"
    else
        echo "FAIL e2e:$name" >>"$results"
        [ $rc -eq 124 ] && echo "e2e: $name timed out after $own s" >&2
        sed 's/^/    /' "$work/$name.out" >&2
        echo "e2e: $name FAILED (exit $rc, ${secs} s)" >&2
        status=1
    fi
done
if [ $status -eq 0 ]; then
    rm -rf "$work"
else
    echo "e2e: the failing scenarios' directories are kept in $work" >&2
fi
exit $status
