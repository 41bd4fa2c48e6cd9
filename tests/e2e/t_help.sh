#!/bin/sh
# Help, key description, repeat and barge-in as a visitor meets them, in
# Russian and in Kazakh: F1 (or ?) shows and reads help for the screen;
# pressed again, the next key is named and described and does not act;
# Escape closes help; r and F2 say the title and the current item again,
# pressed twice within 2 s the whole screen; every key
# cuts the speech off ("stop" in the log) before anything new is said.
. "$(dirname "$0")/lib.sh"

# press_stop KEY: press KEY and check that speech was cut off first.
press_stop() {
    press "$1"
    [ "$(log_since | head -n 1)" = stop ] ||
        fail "key $1: the first speech event is not 'stop' (no barge-in):" \
            "$(log_since | head -n 1)"
}

# said LANG TEXT: the keys since the last mark made the kiosk say TEXT in
# LANG (the whole utterance).
said() {
    log_since | grep -qxF "say${TAB}$1${TAB}$2" ||
        fail "after the last key, '$2' was not spoken in $1"
}

focus_is() {
    screen | grep -qF "▶ $1" || fail "the focus is not on '$1'"
}

kiosk_start --demo
press_stop Down
press_stop Enter
assert_screen_has 'Что Вы хотите сделать?'
focus_is 'Помощь в голосовании'

# --- F1: help for this screen, shown and read ---------------------------------
# Key names in Latin letters are English spans of the Russian utterance.
home_help_ru='Выберите, зачем Вы пришли: Вверх и Вниз — перемещение,'
press_stop F1
assert_screen_has 'Справка'
assert_screen_has 'Выберите, зачем Вы пришли'
assert_screen_has 'Escape — закрыть справку'
said ru 'Справка'
spans_since ru "$home_help_ru" en Enter ru '— выбор.' en Escape ||
    fail "the home screen's help was not read"

# --- F1 again, then Down: described, not acted on ------------------------------
press_stop F1
assert_screen_has 'Описание клавиш'
said ru 'Описание клавиш'
press_stop Down
said ru 'Стрелка вниз: следующий пункт'
assert_screen_has 'Что Вы хотите сделать?'
focus_is 'Помощь в голосовании'
log_since | grep -qF 'Социальные услуги' &&
    fail "Down was described but also moved the focus"
# Keys act again afterwards.
press_stop Down
focus_is 'Социальные услуги'
said ru 'Социальные услуги'
said ru 'два из трёх'

# --- ? is the same as F1; Enter is described and does not choose ---------------
press_stop '?'
assert_screen_has 'Справка'
said ru 'Справка'
press_stop '?'
assert_screen_has 'Описание клавиш'
press_stop Enter
spans_since en Enter ru ': выбрать или подтвердить' ||
    fail "Enter was not described"
assert_screen_has 'Что Вы хотите сделать?'
focus_is 'Социальные услуги'
assert_screen_lacks 'Справка'

# F1 named while describing: it does not open help again.
press_stop F1
press_stop F1
assert_screen_has 'Описание клавиш'
press_stop F1
spans_since en 'F one' || fail "F1 was not described"
assert_screen_has 'Что Вы хотите сделать?'

# --- Escape closes help; the focus is where it was ------------------------------
press_stop F1
assert_screen_has 'Справка'
press_stop Escape
wait_screen_lacks 'Справка'
assert_screen_has 'Что Вы хотите сделать?'
focus_is 'Социальные услуги'

# --- r and F2: where the visitor is and the current item; twice, all --------------
sleep 2.1
press_stop r
said ru 'Что Вы хотите сделать?'
said ru 'Социальные услуги'
said ru 'два из трёх'
[ "$(log_since | grep -c '^say')" -eq 3 ] ||
    fail "r said more than the title and the current item: $(log_since)"
press_stop F2                    # within 2 s: the whole screen (here the same)
said ru 'Что Вы хотите сделать?'
said ru 'Социальные услуги'
sleep 2.1
press_stop F2
said ru 'Социальные услуги'
said ru 'два из трёх'
# The same in the middle of help: the help is read again.
press_stop F1
press_stop r
said ru 'Справка'

# --- the same in Kazakh ----------------------------------------------------------
press_stop Escape
press_stop l
assert_screen_has 'What would you like to do?'
press_stop l
assert_screen_has 'Не істегіңіз келеді?'
press_stop F1
assert_screen_has 'Анықтама'
said kk 'Анықтама'
press_stop F1
assert_screen_has 'Пернені сипаттау'
press_stop Up
said kk 'Жоғары көрсеткісі: алдыңғы тармақ'
focus_is 'Әлеуметтік қызметтер'
press_stop r
said kk 'Әлеуметтік қызметтер'
said kk 'үш ішінен екі'

# The English name, for completeness (kk -> ru -> en).
press_stop l
assert_screen_has 'Что Вы хотите сделать?'
press_stop l
assert_screen_has 'What would you like to do?'
press_stop F1
press_stop F1
press_stop Down
said en 'Down arrow: next item'
focus_is 'Social services'

# Space pauses speech: it cuts it off and says so in one word, and shows
# the PAUSED marker; r then resumes, and says where the visitor is.
press_stop Space
said en 'Paused'
assert_screen_has 'PAUSED'
press_stop r
wait_screen_lacks 'PAUSED'
said en 'What would you like to do?'
said en 'Social services'
kiosk_alive || fail "the kiosk died"
exit 0
