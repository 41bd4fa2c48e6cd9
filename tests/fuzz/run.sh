#!/bin/sh
# Runs every fuzzer for $2 seconds on its seed corpus (tests/fuzz/<name>/)
# and records PASS/FAIL in the results file $1.
results=$1; secs=$2
status=0
for bin in build-fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    corpus=build-fuzz/corpus-$name
    mkdir -p "$corpus"
    seeds=tests/fuzz/${name#fuzz_}
    [ -d "$seeds" ] || seeds=
    if "$bin" -max_total_time="$secs" -max_len=65536 -print_final_stats=0 \
        "$corpus" $seeds >build-fuzz/$name.log 2>&1; then
        echo "PASS fuzz:$name" >>"$results"
        echo "fuzz: $name ok (${secs}s)"
    else
        echo "FAIL fuzz:$name" >>"$results"
        tail -40 build-fuzz/$name.log >&2
        status=1
    fi
done
exit $status
