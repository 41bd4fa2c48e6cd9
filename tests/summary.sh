#!/bin/sh
# Prints the closing line of `make check` from the results file and fails
# when any test failed or nothing ran.
results=$1
passed=$(grep -c '^PASS ' "$results" 2>/dev/null)
failed=$(grep -c '^FAIL ' "$results" 2>/dev/null)
grep '^FAIL ' "$results" 2>/dev/null | sed 's/^/  /'
echo "${passed:-0} passed, ${failed:-0} failed"
[ "${failed:-0}" -eq 0 ] && [ "${passed:-0}" -gt 0 ]
