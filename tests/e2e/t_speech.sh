#!/bin/sh
# Speech through espeak-ng, as a visitor hears it: every utterance of the
# speech log becomes real speech (a WAV file per utterance that sox finds
# non-silent and of a length that fits the text), in the voice of its
# language; a key press cuts speech off ("stop") and the next utterance
# follows at once. In a Russian session a Kazakh party name is a Kazakh
# span spoken by the Kazakh voice, as the engine reports ("voice" lines),
# every span by the voice of its language, and no Russian span holds a
# Kazakh letter. Without an audio device the kiosk keeps working and
# shows staff the NO SOUND marker; --speech-wav is refused with --kiosk.
. "$(dirname "$0")/lib.sh"

wav=$E2E_DIR/wav
mkdir -p "$wav"
kiosk_start --demo --speech espeak --speech-wav "$wav"
assert_screen_has 'Сәлеметсіз бе!'
wait_log "^say${TAB}ru${TAB}Здравствуйте!"

# Each utterance has its WAV file, named with the number of the `say` line
# of the speech log that starts it and with that span's language.
kk_line=$(grep "^say$TAB" "$E2E_LOG" | grep -n -m1 "Сәлеметсіз бе!" | cut -d: -f1)
ru_line=$(grep "^say$TAB" "$E2E_LOG" | grep -n -m1 "Здравствуйте!" | cut -d: -f1)
kk_wav=$wav/$(printf '%06d' "$kk_line")-kk.wav
ru_wav=$wav/$(printf '%06d' "$ru_line")-ru.wav
n=0
while [ "$n" -lt 100 ] && ! [ -s "$ru_wav" ] ||
    [ "$(od -An -tu4 -j40 -N4 "$ru_wav" 2>/dev/null | tr -d ' ')" = 0 ]; do
    [ "$n" -lt 100 ] || break
    n=$((n + 1))
    sleep 0.1
done
ls "$kk_wav" "$ru_wav" >/dev/null ||
    fail "no WAV files for the greeting: $(ls "$wav")"

# Speech, not silence: the Kazakh and Russian greetings are each a
# sentence of a dozen words, 3 to 20 s at the normal rate, at the default
# volume level 5: 40 dB below level 10 (whose RMS amplitude is about 0.035),
# so an RMS amplitude of about 0.0004, never 0.
for f in "$kk_wav" "$ru_wav"; do
    len=$(soxi -D "$f") || fail "$f is not a sound file"
    awk -v l="$len" 'BEGIN { exit !(l > 3 && l < 20) }' ||
        fail "$f lasts $len s; a greeting should last 3-20 s"
    rms=$(sox "$f" -n stat 2>&1 | awk '/RMS +amplitude/ { print $3 }')
    awk -v r="$rms" 'BEGIN { exit !(r > 0.0002 && r < 0.002) }' ||
        fail "$f is not at the default level (RMS amplitude $rms)"
done

# A key cuts speech off and its answer is spoken next.
log_mark
press Down
wait_log_since "^say${TAB}ru${TAB}Русский\$"
log_since | head -1 | grep -q '^stop$' ||
    fail "the key press did not stop speech first: $(log_since | head -3)"
last=$(ls "$wav" | tail -1)
case $last in *-ru.wav | *-kk.wav) ;; *) fail "unexpected file $last" ;; esac

# No audio device on this machine (no /proc/asound card): staff see it.
if ! grep -q '^ *[0-9]' /proc/asound/cards 2>/dev/null; then
    assert_screen_has 'NO SOUND'
fi
send C-c
assert_exit 0 "Ctrl-C"

# A Russian voter on the first ballot: the party's Kazakh name is spoken
# by the Kazakh voice.
kiosk_start --demo --speech espeak --lang ru
press Enter                      # welcome: Русский
press Enter                      # home: voting assistance
press Down
press Enter                      # start voting
assert_screen_has 'Бюллетень 1 из 3'
wait_log "^say${TAB}kk${TAB}Болашақ жолы\$"
wait_log "^voice${TAB}kk${TAB}kk${TAB}Болашақ жолы\$" 20
assert_log_has "^voice${TAB}ru${TAB}ru${TAB}"
# Every span spoken so far by the voice of its language...
bad=$(awk -F "$TAB" '$1 == "voice" && $3 != $2 && index($3, $2 "-") != 1' \
    "$E2E_LOG")
[ -z "$bad" ] || fail "spans spoken by another language's voice: $bad"
# ...and no Kazakh letter handed to the Russian voice.
assert_log_lacks "^say${TAB}ru${TAB}.*[ӘәҒғҚқҢңӨөҰұҮүҺһІі]"
send C-c
assert_exit 0 "Ctrl-C"

# The WAV hook is a test hook: refused in production.
if "$DAUYS" run --kiosk --speech-wav "$wav" >out.txt 2>&1; then
    fail "--speech-wav was accepted with --kiosk"
fi
grep -q -- '--speech-wav is a test hook' out.txt ||
    fail "no clear message for --speech-wav with --kiosk: $(cat out.txt)"
