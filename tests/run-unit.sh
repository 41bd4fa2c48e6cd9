#!/bin/sh
# Runs cmocka unit-test binaries with TAP output and appends one line per
# test case ("PASS name" or "FAIL name") to the results file ($1).
# Exits non-zero if any test failed.
results=$1; shift
mkdir -p "$(dirname "$results")"
status=0
for t in "$@"; do
    name=$(basename "$t")
    out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1)
    rc=$?
    printf '%s\n' "$out" | sed -n "s/^ok [0-9]* - \(.*\)/PASS $name:\1/p" >>"$results"
    printf '%s\n' "$out" | sed -n "s/^not ok [0-9]* - \(.*\)/FAIL $name:\1/p" >>"$results"
    if [ $rc -ne 0 ]; then
        printf '%s\n' "$out" >&2
        if ! printf '%s\n' "$out" | grep -q '^not ok'; then
            echo "FAIL $name:(crashed, exit $rc)" >>"$results"
        fi
        echo "unit: $name FAILED" >&2
        status=1
    else
        echo "unit: $name ok ($(printf '%s\n' "$out" | grep -c '^ok'))"
    fi
done
exit $status
