#!/bin/sh
# The command line contract (specs/cli.md) without a terminal: usage
# errors exit 2, configuration errors exit 1 and name the line, a missing
# data directory exits 3 and nothing is created, --help lists the
# commands, `staff passwd` checks the PIN and writes a 0600 Argon2id file,
# `selftest` prints a report and fails here (no audio device).
set -u
: "${DAUYS:?DAUYS must name the dauys binary}"
: "${DAUYS_DATADIR:?DAUYS_DATADIR must name the data folder}"
export DAUYS_DATADIR
export XDG_STATE_HOME="$PWD/state"

fail() {
    echo "t_cli: FAIL: $*" >&2
    exit 1
}

# expect STATUS CMD...: runs CMD (stdin from /dev/null, output in out and
# err) and checks its exit status.
expect() {
    want=$1
    shift
    "$@" >out 2>err </dev/null
    got=$?
    [ "$got" -eq "$want" ] || {
        cat out err >&2
        fail "'$*' exited $got, expected $want"
    }
}

# has FILE REGEX: FILE has a line matching REGEX (grep -E).
has() {
    grep -qE -- "$2" "$1" || {
        cat "$1" >&2
        fail "$1 lacks '$2'"
    }
}

mkdir data || fail "mkdir"
chmod 700 data

# --- usage errors: 2, with a message ---------------------------------------------------
expect 2 "$DAUYS" --no-such-option
has err 'no-such-option'
expect 2 "$DAUYS" run --data-dir data --frobnicate
has err 'frobnicate'
expect 2 "$DAUYS" no-such-command
has err 'no-such-command'
expect 2 "$DAUYS" run --data-dir data --mode sideways
has err '--mode'
has err 'sideways'
expect 2 "$DAUYS" run --data-dir data --lang de
has err '--lang'
has err "'de'"
expect 2 "$DAUYS" run --data-dir data unexpected-argument
has err 'unexpected-argument'
expect 2 "$DAUYS" run --data-dir
expect 2 "$DAUYS" run --kiosk --speech-log x.log --data-dir data
has err 'speech-log'
[ ! -e x.log ] || fail "a refused speech log was created"

# --- configuration errors: 1, naming the line --------------------------------------------
# config_refused FILE LINE [KEY]: `run` refuses the configuration FILE,
# written from standard input, with status 1 and a message naming FILE at
# LINE (a regex) and KEY.
config_refused() {
    cat >"$1"
    expect 1 "$DAUYS" run --config "$1" --data-dir data
    has err "$(printf '%s' "$1" | sed 's/\./\\./g'):$2:"
    [ -z "${3-}" ] || has err "$3"
}

config_refused unknown.conf 3 colour <<'EOF'
[kiosk]
mode = both
colour = purple
EOF

config_refused badvalue.conf 5 volume <<'EOF'
# comment
[speech]

rate = 100
volume = loud
EOF

# The volume is a percent in steps of 10 (specs/cli.md), each step a
# level; a number between the steps is refused, not rounded.
config_refused percent.conf 2 'volume must be a percent from 10 to 100 in steps of 10' <<'EOF'
[speech]
volume = 75
calibration_db = -12.5
EOF

config_refused range.conf 2 idle_warning_s <<'EOF'
[kiosk]
idle_warning_s = 5
EOF

config_refused section.conf '[34]' <<'EOF'
[kiosk]
mode = voting
[nonsense]
x = 1
EOF

expect 1 "$DAUYS" run --config no-such.conf --data-dir data
has err 'no-such\.conf'

# A good configuration gets past the configuration: without a terminal
# the kiosk stops with 3 (environment) and says why.
config_refused centrekey.conf 2 centre_public_key <<'EOF'
[services]
centre_public_key = not-a-key
EOF

cat >good.conf <<EOF
[kiosk]
mode = services   # a comment after the value
centre = ALM-01
[speech]
rate = 125
[staff]
lockout_s = 5
[services]
centre_public_key = $(cat "$DAUYS_DATADIR/demo/centre-demo.pub")
EOF
expect 3 "$DAUYS" run --config good.conf --data-dir data --speech none
has err 'terminal'

# A services terminal without the centre's key does not start (D2): the
# key is never made up, and the message says what to do.
grep -v centre_public_key good.conf >nokey.conf
mkdir nokeydata && chmod 700 nokeydata
expect 3 "$DAUYS" run --config nokey.conf --data-dir nokeydata --speech none
has err 'no centre public key is configured'
has err 'centre_public_key'
[ ! -e nokeydata/services.key ] || fail "a key was made"

# --- a missing data directory: 3, and nothing created ------------------------------------
expect 3 "$DAUYS" run --data-dir missing/deeper --speech none
has err 'missing/deeper'
[ ! -e missing ] || fail "run created the missing data directory"
expect 3 "$DAUYS" staff passwd --data-dir missing
[ ! -e missing ] || fail "staff passwd created the missing data directory"
: >not-a-dir
expect 3 "$DAUYS" run --data-dir not-a-dir --speech none
has err 'not a directory'
[ ! -e state ] || fail "a run without --demo created \$XDG_STATE_HOME files"

# --- help --------------------------------------------------------------------------------
expect 0 "$DAUYS" --help
for c in run election stencil keypad-card staff selftest; do
    has out "^  $c "
done
expect 0 "$DAUYS" run --help
has out '--speech-log'
has out '--kiosk'

# --- staff passwd ---------------------------------------------------------------------------
printf '1234\n' | "$DAUYS" staff passwd --data-dir data >out 2>err
st=$?
[ $st -eq 1 ] || fail "a 4-digit PIN: exit $st, expected 1"
has err '6'
[ ! -e data/staff-admin.pin ] || fail "a 4-digit PIN was written"
printf '12345a\n' | "$DAUYS" staff passwd --data-dir data >out 2>err
[ $? -eq 1 ] || fail "a PIN with a letter was accepted"
expect 1 "$DAUYS" staff passwd --data-dir data
printf '654321\n' | "$DAUYS" staff passwd --data-dir data >out 2>err ||
    fail "a 6-digit PIN was refused: $(cat err)"
[ "$(stat -c %a data/staff-admin.pin)" = 600 ] ||
    fail "the PIN file's mode is $(stat -c %a data/staff-admin.pin)"
grep -q '^\$argon2id\$' data/staff-admin.pin ||
    fail "the PIN file is not an Argon2id hash: $(cat data/staff-admin.pin)"
grep -q 654321 data/staff-admin.pin && fail "the PIN is stored in clear"
printf '111111\n' | "$DAUYS" staff passwd --role clerk --data-dir data \
    >out 2>err || fail "--role clerk was refused: $(cat err)"
[ -f data/staff-clerk.pin ] || fail "--role clerk wrote no staff-clerk.pin"
printf '111111\n' | "$DAUYS" staff passwd --role 'Bad/Role' --data-dir data \
    >out 2>err
[ $? -eq 2 ] || fail "a bad role name was not a usage error"
expect 2 "$DAUYS" staff frobnicate

# --- selftest ----------------------------------------------------------------------------------
expect 1 "$DAUYS" selftest --data-dir data
has out 'speech'
has out '^FAIL '
has out 'staff PIN'
has out 'data directory'
exit 0
