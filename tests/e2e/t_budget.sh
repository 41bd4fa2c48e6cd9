#!/bin/sh
# How long a voter listens, measured on the real speech: the demo session
# (practice skipped, three ballots, one choice each, the review, finish) in
# Kazakh and in Russian, at the normal rate (100 %), with every utterance
# written to a WAV file (--speech-wav) and heard to its end before the
# next key. The durations (soxi -D) are summed per screen and must stay
# within the budgets of issue 11:
#   - at most 10 s of speech before the first option of any voter screen;
#   - at most 15 s for the voting introduction (the whole start screen);
#   - at most 5 s from a key that moves the focus to the end of the
#     option's announcement (the last utterance up to its last sound: the
#     silence espeak-ng leaves after it, about 0.5 s, is not counted);
#   - at most 300 s for the whole session.
# The review's items are summaries (a ballot, its choice by name, its
# window): they are measured ("review-item") but, in Kazakh at 100 %, a
# candidate's full name with the ballot and window takes about 5.5 s, so
# the 5 s applies to the ballots' windows and the menus.
# A referendum's question is the package's own text and the answers mean
# nothing without it: it is read before them and not counted in the 10 s
# (the figures show it).
# The figures of every screen are written to budget-LANG.txt (and shown
# when a budget is exceeded). An utterance is one or more spans, each a
# `say` line of the speech log; its WAV file is NNNNNN-LANG.wav, N the
# number of the `say` line of its first span (docs/speech.md). Speech has
# ended when every span has its `voice` line (written once spoken).
. "$(dirname "$0")/lib.sh"
E2E_COLS=100
E2E_ROWS=40
E2E_TIMEOUT=${E2E_TIMEOUT:-20}

BEFORE_MAX=10
INTRO_MAX=15
OPTION_MAX=5
SESSION_MAX=300

wav=$E2E_DIR/wav
mkdir data && chmod 700 data || fail "mkdir"

say_count() {
    grep -c "^say$TAB" "$E2E_LOG" 2>/dev/null || echo 0
}

wav_count() {
    find "$wav" -name '*.wav' | wc -l | tr -d ' '
}

voice_count() {
    grep -c "^voice$TAB" "$E2E_LOG" 2>/dev/null || echo 0
}

# The WAV file of the utterance whose first span is `say` line N, or
# nothing when line N continues an utterance.
wav_at() {
    set -- "$wav"/"$(printf '%06d' "$1")"-*.wav
    [ -f "$1" ] && echo "$1"
}

# The number of the `say` line that starts the utterance holding line N.
utterance_of() {
    i=$1
    while [ "$i" -gt 0 ] && [ -z "$(wav_at "$i")" ]; do
        i=$((i - 1))
    done
    [ "$i" -gt 0 ] || fail "no WAV file for the utterance of line $1"
    echo "$i"
}

# True when every span logged so far was spoken (its `voice` line) and
# the last WAV file is complete (its header is patched at the end).
speech_done() {
    n=$(say_count)
    [ "$n" -gt 0 ] && [ "$(voice_count)" -ge "$n" ] || return 1
    set -- "$(wav_at "$(utterance_of "$n")")"
    size=$(od -An -tu4 -j40 -N4 "$1" | tr -d ' ')
    [ "${size:-0}" -gt 0 ]
}

wait_speech() {
    e2e_until "" speech_done ||
        fail "speech did not end: $(say_count) spans, $(voice_count) spoken, $(wav_count) WAV files"
    # Nothing more is coming: the same count a moment later.
    n0=$(say_count)
    sleep 0.2
    [ "$(say_count)" -eq "$n0" ] || wait_speech
}

# The summed duration, in seconds, of the utterances that start at `say`
# lines FROM..TO.
durations() {
    i=$1
    while [ "$i" -le "$2" ]; do
        f=$(wav_at "$i")
        if [ -n "$f" ]; then
            soxi -D "$f" || fail "utterance $i is not a sound file"
        fi
        i=$((i + 1))
    done | awk '{ s += $1 } END { printf "%.2f\n", s + 0 }'
}

# The duration of the WAV file $1 up to its last sound.
audible() {
    # Normalised first: at the default volume level speech peaks far
    # below 1 % of full scale (docs/speech.md, volume levels).
    sox "$1" "$E2E_DIR/trim.wav" norm reverse silence 1 0.01 1% reverse ||
        fail "sox cannot trim $1"
    soxi -D "$E2E_DIR/trim.wav"
}

le() {
    awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'
}

over=""

# step NAME KIND OPTION_REGEX [KEYS...]: presses KEYS (none: the screen
# the kiosk starts on), waits until everything said in reply was heard and
# measures it. KIND is "screen" (a new screen: the speech before the first
# utterance matching OPTION_REGEX must fit BEFORE_MAX; "intro" also keeps
# the whole reply within INTRO_MAX; "question" does not count utterances
# matching $QUESTION), "focus" (a key moving the focus: the whole reply, to
# its last sound, within OPTION_MAX) or "-" (measured, no budget).
step() {
    name=$1 kind=$2 re=$3
    shift 3
    from=1
    if [ $# -gt 0 ]; then
        from=$(($(say_count) + 1))
        press "$@"
    fi
    wait_speech
    to=$(say_count)
    [ "$to" -ge "$from" ] || fail "$name: nothing was said"
    total=$(durations "$from" "$to")
    before=-
    if [ "$kind" != focus ] && [ "$kind" != - ]; then
        k=$(sed -n "/^say$TAB/p" "$E2E_LOG" | sed -n "${from},${to}p" |
            grep -n -m1 -E -- "$re" | cut -d: -f1)
        [ -n "$k" ] || fail "$name: no option matching '$re' was said"
        first=$(utterance_of $((from + k - 1)))
        before=$(durations "$from" $((first - 1)))
        if [ "$kind" = question ]; then
            q=$(sed -n "/^say$TAB/p" "$E2E_LOG" | sed -n "${from},${to}p" |
                grep -n -m1 -E -- "$QUESTION" | cut -d: -f1)
            [ -n "$q" ] && [ "$q" -lt "$k" ] ||
                fail "$name: the question was not read before the answers"
            qs=$(utterance_of $((from + q - 1)))
            qd=$(durations "$qs" "$qs")
            before=$(awk -v b="$before" -v q="$qd" \
                'BEGIN { printf "%.2f\n", b - q }')
        fi
        le "$before" $BEFORE_MAX ||
            over="$over $name:${before}s-before-the-first-option"
    fi
    case $kind in
    intro) le "$total" $INTRO_MAX || over="$over $name:${total}s" ;;
    focus)
        lastu=$(utterance_of "$to")
        heard=0
        if [ "$lastu" -gt "$from" ]; then
            heard=$(durations "$from" $((lastu - 1)))
        fi
        last=$(audible "$(wav_at "$lastu")")
        heard=$(awk -v a="$heard" -v b="$last" \
            'BEGIN { printf "%.2f\n", a + b }')
        before="($heard)"
        le "$heard" $OPTION_MAX || over="$over $name:${heard}s"
        ;;
    esac
    printf '%-12s %-6s before %6s s  total %6s s\n' "$name" "$kind" \
        "$before" "$total" >>"$report"
}

# session LANG OPTION-REGEXES...: one whole session in LANG.
session() {
    lang=$1
    report=$E2E_DIR/budget-$lang.txt
    : >"$report"
    rm -rf "$wav"
    mkdir "$wav" || fail "mkdir $wav"
    over=""
    kiosk_start --demo --data-dir data --lang "$lang" --speech espeak \
        --speech-wav "$wav"
    step welcome screen "$2"
    step home screen "$3" Enter
    step intro intro "$4" Enter
    step down focus - Down                   # start voting
    step ballot1 screen "$5" Enter
    step down focus - Down                   # window 2
    step option1 screen "$6" Enter
    step confirm1 screen "$7" Enter
    step guide1 screen "$8" Enter
    step ballot2 screen "$9" Enter
    step down focus - Down
    step down focus - Down                   # window 3
    step option2 screen "$6" Enter
    step confirm2 screen "$7" Enter
    step guide2 screen "$8" Enter
    step ballot3 question "${10}" Enter
    step option3 screen "$6" Enter
    step confirm3 screen "$7" Enter
    step guide3 screen "${11}" Enter
    step review screen "${12}" Enter
    step review-item - - Down
    step review-item - - Down
    step down focus - Down                   # finish
    step finish screen "${13}" Enter
    all=$(durations 1 "$(say_count)")
    printf '%-12s %-6s %15s total %6s s\n' session - "" "$all" >>"$report"
    le "$all" $SESSION_MAX || over="$over session:${all}s"
    press Enter                              # yes, finish
    kiosk_alive || fail "the kiosk died"
    if [ -n "$over" ]; then
        cat "$report" >&2
        fail "$lang: over budget:$over"
    fi
}

QUESTION=референдум
session kk 'Қазақша' 'Дауыс беруге көмек' 'Жаттығу бюллетені' \
    'Болашақ жолы' 'Осыны таңдау' 'Иә, бұл менің таңдауым' \
    'Келесі бюллетень' 'Ахметов' 'Иә([.,]|$)' \
    'Барлық бюллетеньдерді шолу' \
    'бірінші бюллетень: ' 'Иә, аяқтау'
session ru 'Русский' 'Помощь в голосовании' 'Учебный бюллетень' \
    'Болашақ жолы' 'Выбрать' 'Да, это мой выбор' 'Следующий бюллетень' \
    'Ахметов' 'Да([.,]|$)' 'Проверить все бюллетени' \
    'Бюллетень один: ' 'Да, завершить'
exit 0
