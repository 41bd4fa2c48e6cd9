#!/bin/sh
# dauys election keygen | sign | verify | hash against the real binary:
# the round trip, tampering, invalid content, usage errors, the bundled demo
# package, and interoperability with another Ed25519 implementation
# (OpenSSL) in both directions: a package signed by openssl verifies in
# dauys, a signature made by dauys verifies in openssl, and an openssl
# private key works as a dauys secret key file.
set -u
: "${DAUYS:?DAUYS must name the dauys binary}"
: "${DAUYS_DATADIR:?DAUYS_DATADIR must name the data folder}"
export DAUYS_DATADIR

fail() {
    echo "t_election: FAIL: $*" >&2
    exit 1
}

# expect STATUS CMD...: runs CMD with output in out/err, checks the status.
expect() {
    want=$1; shift
    "$@" >out 2>err
    got=$?
    [ "$got" -eq "$want" ] || {
        cat out err >&2
        fail "'$*' exited $got, expected $want"
    }
}

contains() { # contains FILE TEXT
    grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$1 lacks '$2'"; }
}

demo=$DAUYS_DATADIR/demo/election
mkdir pkg || fail "mkdir"
cp "$demo/election.json" pkg/ || fail "no demo package at $demo"

# --- keygen, sign, verify, hash ---------------------------------------------
expect 0 "$DAUYS" election keygen --secret k.key --public k.pub
[ "$(stat -c %a k.key)" = 600 ] || fail "secret key mode is $(stat -c %a k.key)"
[ "$(wc -c <k.pub)" -eq 45 ] || fail "public key file is not one base64 line"
contains out "public_key = $(cat k.pub)"
cp k.key k.key.before
expect 1 "$DAUYS" election keygen --secret k.key --public k2.pub
contains err "already exists"
cmp -s k.key k.key.before || fail "keygen overwrote an existing secret key"

expect 0 "$DAUYS" election sign pkg --secret k.key
[ -f pkg/election.json.sig ] || fail "no signature written"
[ "$(wc -c <pkg/election.json.sig)" -eq 89 ] || fail "signature is not one base64 line"
expect 0 "$DAUYS" election verify pkg --public k.pub
contains out "id: demo-2026-almaly-district-7"
contains out "test: true"
contains out "date: 2026-03-15"
contains out "ballot 1: party-list, parties, 7 options"
contains out "ballot 2: district-7, candidates, 7 options"
contains out "ballot 3: referendum, referendum, 2 options"

sum=$(sha256sum pkg/election.json | cut -d' ' -f1)
expect 0 "$DAUYS" election hash pkg
[ "$(cat out)" = "$sum" ] || fail "hash '$(cat out)' is not sha256sum's '$sum'"
contains out "$sum"
expect 0 "$DAUYS" election verify pkg --public k.pub
contains out "hash: $sum"
groups=$(printf '%s' "$sum" | sed 's/..../& /g; s/ $//')
contains out "hash in groups: $groups"

# --- tampering, wrong key, invalid content -----------------------------------
cp pkg/election.json good.json
sed 's/"max_marks": 1/"max_marks": 2/' good.json >pkg/election.json
cmp -s good.json pkg/election.json && fail "tampering changed nothing"
expect 1 "$DAUYS" election verify pkg --public k.pub
contains err "election.json.sig: the signature does not match"
contains err "NOT accepted"
[ ! -s out ] || fail "a rejected package printed facts on stdout"
cp good.json pkg/election.json

expect 0 "$DAUYS" election keygen --secret other.key --public other.pub
expect 1 "$DAUYS" election verify pkg --public other.pub
contains err "does not match"
# Several trusted keys: any one of them is enough.
expect 0 "$DAUYS" election verify pkg --public other.pub --public k.pub

cp pkg/election.json.sig good.sig
printf 'not a signature\n' >pkg/election.json.sig
expect 1 "$DAUYS" election verify pkg --public k.pub
contains err "election.json.sig: not a signature"
cp good.sig pkg/election.json.sig

sed 's/"w_mm": 16/"w_mm": 3/; s/"date": "2026-03-15"/"date": "2026-02-30"/' \
    good.json >pkg/election.json
expect 1 "$DAUYS" election sign pkg --secret k.key
contains err "pkg/election.json: ballots[0].options[0].box.w_mm: is 3 mm"
contains err "pkg/election.json: date: \"2026-02-30\" is not a real calendar date"
cmp -s good.sig pkg/election.json.sig || fail "a refused sign touched the signature"
expect 1 "$DAUYS" election verify pkg --public k.pub
contains err "ballots[2].options[1].box.w_mm: is 3 mm"
[ "$(grep -c 'box.w_mm: is 3 mm' err)" -eq 16 ] || fail "not every problem reported"
printf '{\n  "format": "dauys-election/1"\n  "id": "x"\n}\n' >pkg/election.json
expect 1 "$DAUYS" election verify pkg --public k.pub
contains err "pkg/election.json:3:6: JSON syntax error"
cp good.json pkg/election.json

# --- another Ed25519 implementation (OpenSSL) --------------------------------
if command -v openssl >/dev/null 2>&1; then
    openssl genpkey -algorithm ed25519 -out ossl.pem 2>/dev/null ||
        fail "openssl genpkey"
    openssl pkey -in ossl.pem -pubout -outform DER | tail -c 32 | base64 \
        >ossl.pub || fail "openssl public key"
    openssl pkeyutl -sign -rawin -inkey ossl.pem -in pkg/election.json \
        -out sig.bin || fail "openssl pkeyutl -sign"
    base64 -w0 sig.bin >pkg/election.json.sig
    expect 0 "$DAUYS" election verify pkg --public ossl.pub
    contains out "hash: $sum"
    printf '\n' >>pkg/election.json.sig
    expect 0 "$DAUYS" election verify pkg --public ossl.pub
    expect 1 "$DAUYS" election verify pkg --public k.pub

    # The RFC 8032 private key (32-byte seed) is a dauys secret key file.
    openssl pkey -in ossl.pem -outform DER | tail -c 32 | base64 >ossl.key
    rm pkg/election.json.sig
    expect 0 "$DAUYS" election sign pkg --secret ossl.key
    expect 0 "$DAUYS" election verify pkg --public ossl.pub

    # A dauys signature verifies in openssl.
    expect 0 "$DAUYS" election sign pkg --secret k.key
    base64 -d pkg/election.json.sig >dauys.sig || fail "base64 -d"
    { printf '\060\052\060\005\006\003\053\145\160\003\041\000'
      base64 -d k.pub; } >k.der
    openssl pkey -pubin -inform DER -in k.der -out k.pem 2>/dev/null ||
        fail "openssl cannot read the dauys public key"
    openssl pkeyutl -verify -rawin -pubin -inkey k.pem -in pkg/election.json \
        -sigfile dauys.sig >/dev/null || fail "openssl rejects a dauys signature"
else
    fail "openssl is needed for the interoperability check"
fi

# --- the bundled demo and practice packages ---------------------------------
expect 0 "$DAUYS" election verify "$demo" --demo
contains out "test: true"
expect 0 "$DAUYS" election verify "$DAUYS_DATADIR/demo/practice" \
    --public "$DAUYS_DATADIR/demo/demo.pub"
contains out "ballot 1: practice, candidates, 3 options"
expect 1 "$DAUYS" election verify "$demo" --public k.pub

# --- usage errors and missing files ------------------------------------------
expect 2 "$DAUYS" election
expect 2 "$DAUYS" election frobnicate
contains err "unknown subcommand"
expect 2 "$DAUYS" election verify
expect 2 "$DAUYS" election verify pkg
contains err "--public FILE"
expect 2 "$DAUYS" election verify pkg --public
expect 2 "$DAUYS" election verify pkg --public k.pub --colour
expect 2 "$DAUYS" election sign pkg
expect 2 "$DAUYS" election keygen --secret x.key
expect 2 "$DAUYS" election hash pkg pkg
expect 2 "$DAUYS" election hash --demo pkg
expect 0 "$DAUYS" election --help
contains out "usage: dauys election"
expect 0 "$DAUYS" election verify --help
expect 1 "$DAUYS" election hash nowhere
contains err "nowhere/election.json: no such file"
expect 1 "$DAUYS" election verify pkg --public missing.pub
contains err "missing.pub: no such file"
[ ! -e x.key ] || fail "a usage error created a key"
exit 0
