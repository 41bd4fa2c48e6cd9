# Helpers of the switch scenarios (t_switch*.sh), sourced after lib.sh:
# the kiosk reads its switches from a named pipe through the keypad test
# hook (--keypad-test), which joins the real path right after libinput
# (profile, key filter, app).
#
# switch_start PROFILE [RUN OPTIONS...]: starts the demo kiosk with the
# keypad profile PROFILE (two-switch, one-switch) and [keypad]
# scan_interval_s = $SCAN_INTERVAL (default 2).
# sw KEY: one press of the switch that sends evdev KEY (down, then up 60 ms
# later; each press 400 ms after the previous release, so that the key
# filter never takes it for a bounce), then waits for the kiosk's answer.
# raw LINES...: writes lines to the pipe as they are.
# move, sel: the Move (KEY_SPACE) and Select (KEY_ENTER) switches.
# pick TEXT: presses Move until the focused item starts with TEXT, then
# Select. pickx TEXT: the same, for an item that is exactly TEXT.
# wait_pick TEXT: one switch: waits until the focus comes to an item that
# starts with TEXT (scanning by itself), then presses the switch.
SCAN_INTERVAL=${SCAN_INTERVAL:-2}

switch_start() {
    profile=$1
    shift
    rm -f sw.fifo
    mkfifo sw.fifo || fail "mkfifo"
    printf '[keypad]\nprofile = %s\nscan_interval_s = %s\n' "$profile" \
        "$SCAN_INTERVAL" >switch.conf
    kiosk_start --demo --config switch.conf --keypad-test sw.fifo "$@"
}

raw() {
    printf '%s\n' "$@" >sw.fifo || fail "cannot write to the switch pipe"
}

sw() {
    log_mark
    raw "$1 down +400" "$1 up +60"
    e2e_until "" log_grew || fail "no speech after the switch $1"
    wait_stable
}

move() {
    sw KEY_SPACE
}

sel() {
    sw KEY_ENTER
}

focus_on() {
    screen | grep -q "^▶ $1"
}

focus_is() {
    screen | grep -q "^▶ $1 *\$"
}

e2e_pick() {
    sw_left=60
    while ! "$1" "$2"; do
        move
        sw_left=$((sw_left - 1))
        [ $sw_left -gt 0 ] || fail "Move never reached '$2'"
    done
    sel
}

pick() {
    e2e_pick focus_on "$1"
}

pickx() {
    e2e_pick focus_is "$1"
}

# digits DIGITS: types a number by scanning, digit by digit.
digits() {
    sw_rest=$1
    while [ -n "$sw_rest" ]; do
        sw_d=${sw_rest%"${sw_rest#?}"}
        sw_rest=${sw_rest#?}
        pickx "$sw_d"
    done
}

wait_pick() {
    e2e_until 60 focus_on "$1" || fail "the focus never came to '$1'"
    sw KEY_SPACE
}

wait_pickx() {
    e2e_until 60 focus_is "$1" || fail "the focus never came to '$1'"
    sw KEY_SPACE
}

# wait_digits DIGITS: one switch: types a number as the focus passes.
wait_digits() {
    sw_rest=$1
    while [ -n "$sw_rest" ]; do
        sw_d=${sw_rest%"${sw_rest#?}"}
        sw_rest=${sw_rest#?}
        wait_pickx "$sw_d"
    done
}
