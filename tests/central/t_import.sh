# A stick export imported twice: every record once, with its hash; a
# changed record refuses its whole file; a conflicting record (same
# number, other content) is kept aside, not written over; export and find
# open the sealed data with the centre key; nothing personal in clear.
. "$ROOT/tests/central/lib.sh"
central_setup
gen stick.jsonl ALM-01 k1 700 1000 iins
gen stick2.jsonl ALM-01 k2 300 5000 iins
central import stick.jsonl stick2.jsonl >out1 || fail "first import"
grep -q "1000 records read: 1000 new, 0 already held, 0 in conflict" out1 ||
    fail "first import: $(cat out1)"
central import stick.jsonl stick2.jsonl >out2 || fail "second import"
grep -q "1000 records read: 0 new, 1000 already held, 0 in conflict" out2 ||
    fail "second import: $(cat out2)"
held_once stick.jsonl stick2.jsonl

# A record changed after it left the kiosk: the file is refused whole.
head -3 stick.jsonl >bad.jsonl
"$GEN" keys/centre.pub ALM-01 k1 1 9000 >>bad.jsonl
sed -i '2s/"status":"received"/"status":"done"/' bad.jsonl
manifest bad.jsonl
if central import bad.jsonl 2>err; then fail "a changed record was taken"; fi
grep -q "bad.jsonl:2: record .*content_hash does not match" err ||
    fail "the refusal does not name the line: $(cat err)"
n=$(pg_sql -c "SELECT count(*) FROM dauys.applications WHERE number LIKE '0000900%'")
[ "$n" = 0 ] || fail "a file with a bad record was half imported"

# The same number with other content: a conflict, kept whole.
gen conflict.jsonl ALM-01 k9 1 1000
central import conflict.jsonl >out3 || fail "conflict import"
grep -q "0 new, 0 already held, 1 in conflict" out3 || fail "$(cat out3)"
held_once stick.jsonl stick2.jsonl
[ "$(pg_sql -c 'SELECT count(*) FROM dauys.conflicts')" = 1 ] ||
    fail "the conflict was not kept"

# A manifest that does not match the file refuses it, and so does none.
head -4 stick.jsonl >short.jsonl
manifest short.jsonl
head -3 stick.jsonl >short.jsonl
if central import short.jsonl 2>err; then fail "manifest ignored"; fi
grep -q "says 4 records" err || fail "$(cat err)"
rm short.manifest
if central import short.jsonl 2>err; then fail "no manifest, yet taken"; fi
grep -q "has no manifest" err || fail "$(cat err)"

# Export decrypts for case workers; find uses the keyed hash.
central export --key keys/centre.key --format csv --out export.csv ||
    fail export
[ "$(wc -l <export.csv)" = 1002 ] || fail "export has $(wc -l <export.csv) lines"
# The conflicting record is exported too, marked, not lost.
[ "$(grep -c ',k9,CONFLICT: this number is held with other content$' export.csv)" = 1 ] ||
    fail "the conflict is not in the export"
head -1 export.csv | grep -q "^number,centre,created_at,service,status,status_changed_at,iin,iin_flagged,phone,name,disability_group,contact,contact_language,ui_language" ||
    fail "export columns: $(head -1 export.csv)"
central export --key keys/centre.key --format json |
    python3 -c 'import json, sys
d = json.load(sys.stdin)
assert len(d) == 1001, len(d)
assert list(d[0])[:3] == ["number", "centre", "created_at"], list(d[0])
assert d[0]["iin_flagged"] is False' || fail "the JSON export"
iin=$(sed -n 3p iins)
grep -q ",$iin,0,+7" export.csv || fail "the export does not show the IIN"
central find --iin "$iin" --key keys/centre.key >found || fail find
[ "$(wc -l <found)" = 1 ] || fail "find: $(cat found)"
hashes=$(pg_sql -c "SELECT count(*) FROM dauys.applications WHERE iin_hash IS NOT NULL")
[ "$hashes" = 1000 ] || fail "only $hashes IIN hashes"
# The IIN hash is keyed: it is not a plain hash of the IIN.
plain=$(printf '%s' "$iin" | sha256sum | cut -d' ' -f1)
[ "$(pg_sql -c "SELECT count(*) FROM dauys.applications WHERE iin_hash = '$plain'")" = 0 ] ||
    fail "the IIN hash is unkeyed"
rm -f export.csv found

# The same visitors apply again at another centre: duplicates (the same
# IIN, the same service) are reported centrally, by numbers only.
gen dup.jsonl AST-02 k1 2 1000 iins
central import dup.jsonl --key keys/centre.key >out4 || fail "import --key"
[ "$(grep -c '^duplicate: service ' out4)" = 2 ] || fail "$(cat out4)"
grep -q "^duplicate: service personal-assistant: ALM-01:[0-9]* AST-02:[0-9]*$" out4 ||
    fail "$(cat out4)"
grep -q "^2 groups of applications by one IIN for one service" out4 ||
    fail "$(cat out4)"
grep -qF "$iin" out4 && fail "the duplicate report shows the IIN"
central find --iin "$iin" --key keys/centre.key >found || fail find
[ "$(grep -c 'DUPLICATE (same service)' found)" = 2 ] || fail "$(cat found)"
rm -f found out4
no_clear iins "$W" "$PG_DIR/data"
