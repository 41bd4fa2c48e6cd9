# Shared by tests/central/t_*.sh: a server (pg.sh), a centre key, the
# schema, and the checks every scenario ends with.
. "$ROOT/tests/central/pg.sh"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# central_setup: a server, centre.key/centre.pub in ./keys, the schema.
central_setup() {
    W=$(pwd)
    pg_start "$W" || fail "the server did not start"
    mkdir -p "$W/keys"
    "$DAUYS" central keygen --out "$W/keys" >/dev/null || fail keygen
    PUB=$(cat "$W/keys/centre.pub")
    "$DAUYS" central init --db "$PG_SU" --ca "$PG_CA" >/dev/null || fail init
    # The names the test kiosks and records use, looked for in clear too.
    printf 'Сәуле Тестова\nАйгүл Тестова\n' >"$W/iins"
}

# central: dauys central VERB … as the superuser.
central() {
    verb=$1
    shift
    "$DAUYS" central "$verb" "$@" --db "$PG_SU" --ca "$PG_CA"
}

# terminal_role ROLE CENTRE TERMINAL: makes the role; its conninfo in TCONN.
terminal_role() {
    printf 'pw-%s\n' "$1" >"$W/$1.pw"
    central add-terminal "$1" --centre "$2" --terminal "$3" \
        --password-file "$W/$1.pw" >/dev/null || fail "add-terminal $1"
    TCONN="host=127.0.0.1 port=$PG_PORT dbname=postgres user=$1 password=pw-$1"
}

# held_once FILE…: every record of the files is in PostgreSQL exactly once
# with its content hash, and nothing else is.
held_once() {
    cat "$@" | sed 's/.*"centre":"\([^"]*\)".*"number":"\([0-9]*\)".*"content_hash":"\([0-9a-f]*\)".*/\1|\2|\3/' |
        sort >"$W/expected"
    pg_sql -c "SELECT centre || '|' || number || '|' || content_hash FROM dauys.applications ORDER BY 1" |
        sort >"$W/held"
    sort -u "$W/expected" | cmp -s - "$W/expected" || fail "the records repeat a number"
    cmp -s "$W/expected" "$W/held" || {
        diff "$W/expected" "$W/held" | head >&2
        fail "PostgreSQL does not hold each record exactly once"
    }
}

# no_clear IINS DIR…: none of the IINs, phones or names (one a line in IINS) is
# in clear in any file under DIR…, nor in any table of the database.
no_clear() {
    list=$1
    shift
    [ -s "$list" ] || fail "no IINs to look for"
    if grep -rlaFf "$list" --exclude="$(basename "$list")" "$@" >/dev/null 2>&1; then
        grep -rlaFf "$list" --exclude="$(basename "$list")" "$@" | head >&2
        fail "personal data in clear on disk"
    fi
    pg_sql -c "COPY (SELECT a::text FROM dauys.applications a UNION ALL
               SELECT c::text FROM dauys.conflicts c) TO STDOUT" >"$W/dump"
    if grep -qaFf "$list" "$W/dump"; then
        fail "personal data in clear in PostgreSQL"
    fi
}

# gen FILE.jsonl CENTRE TERMINAL COUNT FIRST [IINS]: records as a kiosk's
# stick export, with the manifest the kiosk writes beside them.
gen() {
    f=$1
    shift
    "$GEN" "$W/keys/centre.pub" "$@" >"$f" || fail "central-gen"
    manifest "$f"
}

manifest() {
    printf '{"v":1,"file":"%s","centre":"X","count":%s,"sha256":"%s","exported_at":0}\n' \
        "$(basename "$1")" "$(wc -l <"$1")" "$(sha256sum "$1" | cut -d' ' -f1)" \
        >"${1%.jsonl}.manifest"
}

# kiosk K CENTRE TERMINAL: a kiosk data folder kK with its configuration
# (services mode, the centre key, [sync] as the terminal's role).
kiosk() {
    terminal_role "t_$1" "$2" "$3"
    mkdir -p "$W/k$1"
    cat >"$W/k$1.conf" <<CONF
[kiosk]
mode = services
centre = $2
terminal = $3
data_dir = $W/k$1
[services]
centre_public_key = $PUB
[sync]
conninfo = $TCONN
ca_file = ${KIOSK_CA:-$PG_CA}
interval_s = 1
batch = ${KIOSK_BATCH:-20}
status_interval_s = 10
CONF
}

# submit K COUNT SEED [RATE]: kiosk K takes COUNT applications; the numbers
# announced go to kK.numbers.
submit() {
    "$SUBMIT" "$W/k$1/dauys.db" "$W/keys/centre.pub" \
        "$(sed -n 's/^centre = //p' "$W/k$1.conf")" \
        "$(sed -n 's/^terminal = //p' "$W/k$1.conf")" "$2" "$3" "$W/iins" \
        "${4:-0}" >>"$W/k$1.numbers" || fail "kiosk $1 could not take an application"
}

# sync_start K: dauys-sync of kiosk K in the background (pid in kK.sync).
sync_start() {
    "${DAUYS%/*}/dauys-sync" --config "$W/k$1.conf" >>"$W/k$1.sync.log" 2>&1 &
    echo $! >"$W/k$1.sync"
}

sync_stop() {
    for f in "$W"/k*.sync; do
        [ -f "$f" ] || continue
        kill "$(cat "$f")" 2>/dev/null
        wait "$(cat "$f")" 2>/dev/null
        rm -f "$f"
    done
}

# kiosks_done K…: every application the kiosks announced is in
# PostgreSQL exactly once with the kiosk's content hash, none is missing
# or extra, and every kiosk holds it as acknowledged.
kiosks_done() {
    : >"$W/records"
    for k in "$@"; do
        sqlite3 "$W/k$k/dauys.db" \
            "SELECT centre || '|' || number || '|' || content_hash FROM applications" \
            >>"$W/records" || fail "cannot read kiosk $k"
        sqlite3 "$W/k$k/dauys.db" "SELECT number FROM applications" |
            sort >"$W/k$k.stored"
        sort "$W/k$k.numbers" | comm -23 - "$W/k$k.stored" | grep -q . &&
            fail "kiosk $k lost an application it announced"
        n=$(sqlite3 "$W/k$k/dauys.db" "SELECT count(*) FROM applications WHERE acked_at IS NULL")
        [ "$n" = 0 ] || fail "kiosk $k has $n applications not acknowledged"
    done
    sort "$W/records" >"$W/expected"
    pg_sql -c "SELECT centre || '|' || number || '|' || content_hash FROM dauys.applications" |
        sort >"$W/held"
    cmp -s "$W/expected" "$W/held" || {
        diff "$W/expected" "$W/held" | head >&2
        fail "PostgreSQL does not hold each announced application exactly once"
    }
}

# wait_held N [SECONDS]: waits until PostgreSQL holds N applications.
wait_held() {
    i=0
    while [ "$(pg_sql -c 'SELECT count(*) FROM dauys.applications')" != "$1" ]; do
        i=$((i + 1))
        [ $i -gt $((${2:-20} * 5)) ] && fail "PostgreSQL holds $(pg_sql -c 'SELECT count(*) FROM dauys.applications') of $1"
        sleep 0.2
    done
}
