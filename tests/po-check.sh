#!/bin/sh
# Every message the sources use must have a Kazakh and a Russian
# translation (not empty, not fuzzy): msgcmp compares each catalogue with
# the template extracted from the sources. English is checked for
# presence only (an empty English translation falls back to the id).
results=$1; pot=$2
status=0
for l in kk ru; do
    if out=$(msgcmp po/$l.po "$pot" 2>&1); then
        echo "PASS po:$l complete" >>"$results"
        echo "po: $l complete"
    else
        echo "FAIL po:$l complete" >>"$results"
        printf '%s\n' "$out" | head -20 >&2
        echo "po: $l lacks translations; run 'make po-update' and translate" >&2
        status=1
    fi
done
if out=$(msgcmp --use-untranslated po/en.po "$pot" 2>&1); then
    echo "PASS po:en present" >>"$results"
else
    echo "FAIL po:en present" >>"$results"
    printf '%s\n' "$out" | head -20 >&2
    status=1
fi
exit $status
