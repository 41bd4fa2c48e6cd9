#!/bin/sh
# The eleven volume levels through the real kiosk, as a visitor sets them
# with the quieter and louder keys (VVSG 2.0 7.1-K, docs/speech.md): each
# key says the level ("Громкость шесть из десяти"), and the same answer
# recorded by the WAV sink of --speech-wav at each level, 0 to 10, is 8 dB
# louder than at the level below (8 +- 1 dB for the upper six steps), never
# reaches full scale at level 10, and is not silence at level 0. The ends
# say that they are the ends.
. "$(dirname "$0")/lib.sh"
E2E_TIMEOUT=${E2E_TIMEOUT:-20}

wav=$E2E_DIR/wav
mkdir -p "$wav"
kiosk_start --demo --speech espeak --speech-wav "$wav"
press Down
press Enter # Русский
assert_screen_has 'Что Вы хотите сделать?'

# The WAV file of the utterance that starts at the Nth `say` line.
wav_at() {
    set -- "$wav"/"$(printf '%06d' "$1")"-*.wav
    [ -f "$1" ] && echo "$1"
}

# True when the WAV file $1 is finished (its header patched).
wav_done() {
    size=$(od -An -tu4 -j40 -N4 "$1" 2>/dev/null | tr -d ' ')
    [ "${size:-0}" -gt 0 ]
}

# Presses 1 (the focus goes to the first option, which is read) and waits
# for its answer to be recorded; prints that WAV file.
answer() {
    press 1
    wait_log_since "^say${TAB}ru${TAB}Помощь в голосовании"
    line=$(grep -c "^say$TAB" "$E2E_LOG")
    line=$((line - $(log_since | grep -c "^say$TAB") + 1))
    f=$(wav_at "$line") || fail "no WAV file for say line $line"
    e2e_until "" wav_done "$f" || fail "$f was not finished"
    echo "$f"
}

for i in 1 2 3 4 5; do
    press -
done
said_since ru 'Громкость ноль из десяти$' ||
    fail "level 0 was not said: $(log_since)"
press -
said_since ru 'Это самая низкая громкость$' ||
    fail "the quietest end was not said: $(log_since)"

level=0
: >"$E2E_DIR/levels"
while :; do
    f=$(answer) || exit 1
    stat=$(sox "$f" -n stat 2>&1) || fail "sox cannot read '$f': $stat"
    echo "$stat" | awk -v l="$level" '
        /RMS +amplitude/ { r = $3 } /Maximum amplitude/ { p = $3 }
        END { if (r == "" || p == "") exit 1; print l, r, p }' \
        >>"$E2E_DIR/levels" || fail "no RMS for level $level in $f: $stat"
    [ "$level" -lt 10 ] || break
    press +
    level=$((level + 1))
done
said_since ru 'Громкость десять из десяти$' ||
    fail "level 10 was not said: $(log_since)"
press +
said_since ru 'Это самая высокая громкость$' ||
    fail "the loudest end was not said: $(log_since)"

awk '
    { l = $1; r[l] = $2; p[l] = $3 }
    END {
        if (r[0] <= 0) { print "level 0 is silence"; exit 1 }
        # Below 0 dBFS with 1 dB to spare (0.891): espeak-ng clipping
        # inside holds its peaks just under full scale.
        if (p[10] >= 0.891) { print "level 10 clips: peak " p[10]; exit 1 }
        for (l = 1; l <= 10; l++) {
            d = 20 * log(r[l] / r[l - 1]) / log(10)
            printf "volume %d -> %d: %+.2f dB\n", l - 1, l, d
            if (l > 4 && (d < 7 || d > 9)) { print "not 8 +- 1 dB"; exit 1 }
        }
    }' "$E2E_DIR/levels" >"$E2E_DIR/steps" ||
    fail "volume steps: $(cat "$E2E_DIR/steps")"
send C-c
assert_exit 0 "Ctrl-C"
