# Shared helpers for the end-to-end scenarios that drive the kiosk on a
# real terminal. A scenario sources this file (". "$(dirname "$0")/lib.sh"),
# starts the kiosk with kiosk_start, presses keys and asserts on what a
# user would notice: the text on the screen (tmux capture-pane) and what
# was spoken (the --speech-log file, "say<TAB>LANG<TAB>TEXT" and "stop").
#
# The kiosk runs in a detached tmux server of its own (socket names start
# with $E2E_TMUX_SOCKET, set by run.sh, or a unique name), in a window of
# a fixed size (E2E_COLS x E2E_ROWS, default 80x24) without a status line,
# with remain-on-exit. The servers are killed when the scenario exits,
# whatever happened.
# Every wait polls about every 50 ms up to a timeout (E2E_TIMEOUT seconds,
# default 5); nothing sleeps for a fixed long time.
#
# With E2E_STDERR set to a file, the kiosk's standard error (where its
# log lines are copied while the speech log is on) is appended to it.
#
# Helpers: kiosk_start [--no-log] [RUN OPTIONS...], send KEYS..., press KEY
# (send and wait until the kiosk has reacted), screen, wait_stable,
# assert_screen_has TEXT, assert_screen_lacks TEXT, wait_screen_lacks TEXT,
# log_mark, log_since, said_since LANG TEXT, spans_since LANG TEXT...,
# wait_spans_since LANG TEXT..., wait_log REGEX, wait_log_since REGEX,
# assert_log_has REGEX, assert_log_lacks REGEX, resize COLS ROWS, kiosk_pid,
# kiosk_alive, wait_exit (prints the exit status), assert_exit STATUS WHAT,
# fail MESSAGE. Every wait runs on one loop, e2e_until.
set -u
: "${DAUYS:?DAUYS must name the dauys binary}"
: "${DAUYS_DATADIR:?DAUYS_DATADIR must name the data folder}"
export DAUYS_DATADIR
LC_ALL=C.UTF-8
export LC_ALL

E2E_NAME=$(basename "$0" .sh)
E2E_SOCK=${E2E_TMUX_SOCKET:-dauys-e2e-$$-$E2E_NAME}
E2E_TIMEOUT=${E2E_TIMEOUT:-5}
E2E_COLS=${E2E_COLS:-80}
E2E_ROWS=${E2E_ROWS:-24}
E2E_DIR=$PWD
E2E_LOG=$E2E_DIR/speech.log
E2E_MARK=0
E2E_RUN=0
E2E_PID=
TAB=$(printf '\t')
export XDG_STATE_HOME="${XDG_STATE_HOME:-$E2E_DIR/.state}"

# Every kiosk_start gets a tmux server of its own, so that a new kiosk
# never talks to a server that is still shutting down.
tm() {
    tmux -L "$E2E_SOCK-$E2E_RUN" "$@"
}

# e2e_kill SOCKET: kills that tmux server and removes its socket.
e2e_kill() {
    tmux -L "$1" kill-server >/dev/null 2>&1 || return 0
    i=40
    while [ $i -gt 0 ] && tmux -L "$1" has-session >/dev/null 2>&1; do
        sleep 0.05
        i=$((i - 1))
    done
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$1"
}

e2e_cleanup() {
    while [ "$E2E_RUN" -gt 0 ]; do
        e2e_kill "$E2E_SOCK-$E2E_RUN"
        E2E_RUN=$((E2E_RUN - 1))
    done
}
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM HUP

# The number of 50 ms polls in SECONDS (default E2E_TIMEOUT).
e2e_polls() {
    echo $((${1:-$E2E_TIMEOUT} * 20))
}

e2e_tick() {
    sleep 0.05
}

# Quotes $1 for sh.
e2e_quote() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

screen() {
    tm capture-pane -p -t k 2>/dev/null
}

fail() {
    {
        echo "$E2E_NAME: FAIL: $*"
        echo "--- screen (${E2E_COLS}x${E2E_ROWS}) ---"
        screen
        if [ -f "$E2E_LOG" ]; then
            echo "--- speech log (last 15 lines) ---"
            tail -n 15 "$E2E_LOG"
        fi
        echo "---"
    } >&2
    exit 1
}

# e2e_spawn COMMAND...: writes a script that runs COMMAND in the pane, with
# the environment the kiosk needs, and starts it in a new tmux server (the
# previous one is killed).
e2e_spawn() {
    [ "$E2E_RUN" -gt 0 ] && e2e_kill "$E2E_SOCK-$E2E_RUN"
    E2E_RUN=$((E2E_RUN + 1))
    script=$E2E_DIR/pane-$E2E_RUN.sh
    {
        echo "cd $(e2e_quote "$E2E_DIR") || exit 99"
        for v in DAUYS DAUYS_DATADIR DAUYS_LOCALEDIR XDG_STATE_HOME LC_ALL \
            TMPDIR HOME E2E_STDERR; do
            eval "val=\${$v-}"
            [ -n "$val" ] && echo "export $v=$(e2e_quote "$val")"
        done
        printf 'exec'
        for a in "$@"; do
            printf ' %s' "$(e2e_quote "$a")"
        done
        echo
    } >"$script"
    cat >"$E2E_DIR/tmux.conf" <<'EOF'
set -g status off
set -g remain-on-exit on
set -g escape-time 0
set -g history-limit 100
EOF
    tm -f "$E2E_DIR/tmux.conf" new-session -d -s k -x "$E2E_COLS" \
        -y "$E2E_ROWS" "sh $(e2e_quote "$script")" ||
        fail "tmux cannot start"
}

# kiosk_start [--no-log] [OPTIONS...]: starts `dauys run OPTIONS` (with
# --speech none, and --speech-log speech.log unless --no-log) and waits
# until its first screen is drawn. A wrapper shell in the pane records the
# kiosk's pid and, when it ends, its exit status (tmux does not always
# collect a dead pane's status), then keeps the pane open.
kiosk_start() {
    log=1
    if [ "${1-}" = --no-log ]; then
        log=0
        shift
    fi
    rm -f "$E2E_LOG" "$E2E_DIR/kiosk.pid" "$E2E_DIR/kiosk.status"
    E2E_MARK=0
    cat >"$E2E_DIR/kiosk-wrap.sh" <<'WRAP'
sh -c 'echo $$ >kiosk.pid.tmp && mv kiosk.pid.tmp kiosk.pid &&
    if [ -n "${E2E_STDERR-}" ]; then exec "$@" 2>>"$E2E_STDERR"; fi
    exec "$@"' sh "$@"
echo $? >kiosk.status.tmp && mv kiosk.status.tmp kiosk.status
exec cat >/dev/null
WRAP
    if [ $log -eq 1 ]; then
        e2e_spawn sh "$E2E_DIR/kiosk-wrap.sh" "$DAUYS" run --speech none \
            --speech-log "$E2E_LOG" "$@"
    else
        e2e_spawn sh "$E2E_DIR/kiosk-wrap.sh" "$DAUYS" run --speech none "$@"
    fi
    n=$(e2e_polls)
    while [ "$n" -gt 0 ]; do
        if [ -s "$E2E_DIR/kiosk.status" ]; then
            fail "the kiosk exited at start with status" \
                "$(cat "$E2E_DIR/kiosk.status")"
        fi
        if [ -s "$E2E_DIR/kiosk.pid" ] &&
            screen | grep -q '[^[:space:]]' &&
            { [ $log -eq 0 ] || [ -s "$E2E_LOG" ]; }; then
            break
        fi
        n=$((n - 1))
        e2e_tick
    done
    [ "$n" -gt 0 ] || fail "the kiosk drew nothing in $E2E_TIMEOUT s"
    E2E_PID=$(cat "$E2E_DIR/kiosk.pid")
    wait_stable
}

# send KEYS...: tmux send-keys to the kiosk's pane (key names as tmux
# knows them: Up, Down, Enter, Escape, F1, C-c...).
send() {
    tm send-keys -t k "$@" || fail "cannot send keys $*"
}

# send_hex BYTES...: sends raw bytes, e.g. send_hex 03 for Ctrl-C.
send_hex() {
    tm send-keys -t k -H "$@" || fail "cannot send bytes $*"
}

# wait_stable [SECONDS]: waits until two captures 50 ms apart are equal.
wait_stable() {
    n=$(e2e_polls "${1-}")
    prev=$(screen)
    while [ "$n" -gt 0 ]; do
        e2e_tick
        cur=$(screen)
        [ "$cur" = "$prev" ] && return 0
        prev=$cur
        n=$((n - 1))
    done
    fail "the screen did not settle"
}

e2e_log_lines() {
    if [ -f "$E2E_LOG" ]; then
        wc -l <"$E2E_LOG" | tr -d ' '
    else
        echo 0
    fi
}

# log_mark: remembers how long the speech log is now (see log_since).
log_mark() {
    E2E_MARK=$(e2e_log_lines)
}

# log_since: the speech log lines written after the last log_mark.
log_since() {
    [ -f "$E2E_LOG" ] && tail -n "+$((E2E_MARK + 1))" "$E2E_LOG"
}

log_grew() {
    [ "$(e2e_log_lines)" -gt "$E2E_MARK" ]
}

# press KEY...: sends the keys, waits until the kiosk has spoken (or
# stopped speech) in reply, then until the screen settles. The log is
# marked before the keys, so log_since shows what they caused.
press() {
    log_mark
    send "$@"
    e2e_until "" log_grew || fail "no speech-log event after the key(s) $*"
    wait_stable
}

# type_keys TEXT: presses each character of TEXT, one key at a time.
type_keys() {
    t=$1
    while [ -n "$t" ]; do
        rest=${t#?}
        press "${t%"$rest"}"
        t=$rest
    done
}

# staff_pin_set PIN: makes the private folder ./data and sets the staff
# PIN there with `dauys staff passwd`, as an installer would.
staff_pin_set() {
    mkdir data || fail "mkdir data"
    chmod 700 data
    printf '%s\n' "$1" | "$DAUYS" staff passwd --data-dir data >out 2>&1 ||
        fail "staff passwd failed: $(cat out)"
}

# e2e_until SECONDS CMD...: runs CMD about every 50 ms until it succeeds
# (then returns 0) or SECONDS (E2E_TIMEOUT when empty) have passed (then
# returns 1). Every "wait until" below is this loop.
e2e_until() {
    n=$(e2e_polls "$1")
    shift
    while [ "$n" -gt 0 ]; do
        "$@" && return 0
        e2e_tick
        n=$((n - 1))
    done
    return 1
}

screen_shows() {
    screen | grep -qF -- "$1"
}

screen_lacks() {
    ! screen_shows "$1"
}

log_matches() {
    grep -qE -- "$1" "$E2E_LOG" 2>/dev/null
}

log_since_matches() {
    log_since | grep -qE -- "$1"
}

# assert_screen_has TEXT [SECONDS]: waits until TEXT is on the screen.
assert_screen_has() {
    e2e_until "${2-}" screen_shows "$1" ||
        fail "the screen does not show '$1'"
}

# assert_screen_lacks TEXT: TEXT is not on the screen now.
assert_screen_lacks() {
    screen_lacks "$1" || fail "the screen shows '$1'"
}

# wait_screen_lacks TEXT [SECONDS]: waits until TEXT has left the screen.
wait_screen_lacks() {
    e2e_until "${2-}" screen_lacks "$1" ||
        fail "the screen still shows '$1'"
}

# assert_log_has REGEX: some line of the speech log matches (grep -E).
assert_log_has() {
    log_matches "$1" || fail "the speech log has no line matching '$1'"
}

# assert_log_lacks REGEX: no line of the speech log matches.
assert_log_lacks() {
    if log_matches "$1"; then
        fail "the speech log has a line matching '$1':" \
            "$(grep -E -- "$1" "$E2E_LOG" | head -n 3)"
    fi
}

# wait_log REGEX [SECONDS]: waits until a line of the speech log matches.
wait_log() {
    e2e_until "${2-}" log_matches "$1" ||
        fail "nothing matching '$1' was spoken in ${2:-$E2E_TIMEOUT} s"
}

# wait_log_since REGEX [SECONDS]: like wait_log, after the last log_mark.
wait_log_since() {
    e2e_until "${2-}" log_since_matches "$1" ||
        fail "nothing matching '$1' was spoken after the mark in" \
            "${2:-$E2E_TIMEOUT} s"
}

# said_since LANG TEXT: since the last log_mark the kiosk said, in LANG, a
# text that TEXT (a basic regex, '$' to end it) matches from its start.
said_since() {
    log_since | grep -q -- "^say${TAB}$1${TAB}$2"
}

# spans_since LANG TEXT [LANG TEXT]...: since the last log_mark, the kiosk
# said these spans one after the other, each whole (an utterance in several
# languages has one say line per span: "Буква" ru, "L" en, ": следующий
# язык" ru).
spans_since() {
    e2e_want=""
    while [ $# -ge 2 ]; do
        e2e_want="$e2e_want${e2e_want:+
}say${TAB}$1${TAB}$2"
        shift 2
    done
    log_since | grep '^say' | E2E_WANT=$e2e_want awk '
        BEGIN { n = split(ENVIRON["E2E_WANT"], w, "\n") }
        { l[NR] = $0 }
        END {
            for (i = 1; i + n - 1 <= NR; i++) {
                ok = 1
                for (j = 1; j <= n && ok; j++)
                    if (l[i + j - 1] != w[j])
                        ok = 0
                if (ok)
                    exit 0
            }
            exit 1
        }'
}

# wait_spans_since LANG TEXT [LANG TEXT]...: waits until spans_since holds.
wait_spans_since() {
    e2e_until "" spans_since "$@" ||
        fail "the spans '$*' were not spoken after the mark in" \
            "$E2E_TIMEOUT s"
}

window_is() {
    [ "$(tm display -p -t k '#{window_width}x#{window_height}')" = "$1" ]
}

# resize COLS ROWS: resizes the kiosk's window and waits until tmux has.
resize() {
    tm resize-window -t k -x "$1" -y "$2" || fail "cannot resize to $1x$2"
    e2e_until "" window_is "$1x$2" || fail "the window did not become $1x$2"
    E2E_COLS=$1
    E2E_ROWS=$2
}

# kiosk_pid: the process id of the kiosk.
kiosk_pid() {
    echo "$E2E_PID"
}

# kiosk_alive: true while the kiosk runs.
kiosk_alive() {
    [ ! -e "$E2E_DIR/kiosk.status" ] && kill -0 "$E2E_PID" 2>/dev/null
}

# wait_exit [SECONDS]: waits until the kiosk has ended and prints its exit
# status (128+N when killed by signal N).
wait_exit() {
    e2e_until "${1-}" test -s "$E2E_DIR/kiosk.status" ||
        fail "the kiosk did not exit in ${1:-$E2E_TIMEOUT} s"
    cat "$E2E_DIR/kiosk.status"
}

# assert_exit STATUS WHAT: waits until the kiosk has ended and fails unless
# its exit status is STATUS (WHAT names what ended it, for the message).
assert_exit() {
    st=$(wait_exit) || exit 1
    [ "$st" = "$1" ] || fail "$2: exit status $st, expected $1"
}
