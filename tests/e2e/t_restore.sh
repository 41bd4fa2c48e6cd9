#!/bin/sh
# The terminal is left as it was found however the kiosk ends: SIGTERM,
# SIGHUP, Ctrl-C, and crashes (SIGSEGV, SIGABRT, SIGBUS). A wrapper shell in
# the tmux pane records `stty -g` before and after the kiosk and its exit
# status; afterwards the pane must be back on the normal screen
# (alternate screen off) with the cursor visible, the kiosk's text gone.
# The wrapper then waits (cat) so that the pane stays alive: tmux hides
# the cursor of a dead pane.
. "$(dirname "$0")/lib.sh"

cat >wrapper.sh <<'EOF'
stty -g >before
sh -c 'echo $$ >pid; exec "$@"' sh "$DAUYS" run --demo --speech none
echo $? >status
stty -g >after
echo WRAPPER-DONE
exec cat >/dev/null
EOF

# ends_cleanly HOW WANT_STATUS: starts the kiosk in the wrapper, ends it
# (HOW is a signal name, or "ctrl-c"), checks the status and the terminal.
ends_cleanly() {
    rm -f before after status pid
    e2e_spawn sh "$E2E_DIR/wrapper.sh"
    assert_screen_has 'Сәлеметсіз бе!'
    [ -s pid ] || fail "$1: the wrapper recorded no pid"
    pid=$(cat pid)
    [ "$(tm display -p -t k '#{alternate_on}')" = 1 ] ||
        fail "$1: the kiosk does not use the alternate screen"
    if [ "$1" = ctrl-c ]; then
        send_hex 03
    else
        kill -s "$1" "$pid" || fail "$1: cannot signal the kiosk"
    fi
    assert_screen_has WRAPPER-DONE
    [ -s status ] && [ -s after ] || fail "$1: the wrapper did not finish"
    [ "$(cat status)" = "$2" ] ||
        fail "$1: exit status $(cat status), expected $2"
    [ "$(cat after)" = "$(cat before)" ] ||
        fail "$1: the terminal modes changed: before $(cat before)," \
            "after $(cat after)"
    [ "$(tm display -p -t k '#{alternate_on}')" = 0 ] ||
        fail "$1: the terminal is left on the alternate screen"
    [ "$(tm display -p -t k '#{cursor_flag}')" = 1 ] ||
        fail "$1: the cursor is left hidden"
    assert_screen_lacks 'Сәлеметсіз бе!'
    assert_screen_lacks 'TEST MODE'
}

ends_cleanly TERM 0
ends_cleanly HUP 0
ends_cleanly ctrl-c 0
ends_cleanly SEGV $((128 + 11))
ends_cleanly ABRT $((128 + 6))
ends_cleanly BUS $((128 + 7))
exit 0
