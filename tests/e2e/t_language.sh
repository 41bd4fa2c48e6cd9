#!/bin/sh
# Languages as a visitor meets them: the welcome screen greets in Kazakh
# and Russian at once, on screen and in two voices; choosing Русский
# opens the home screen in Russian; `l` changes the language at any time
# (screen text and voice); `--lang ru` starts in Russian only.
. "$(dirname "$0")/lib.sh"

kk_hello='Сәлеметсіз бе! Жоғары, Төмен — жылжу'
ru_hello='Здравствуйте! Вверх, Вниз — перемещение'

# --- the welcome screen speaks both languages --------------------------------
kiosk_start --demo
assert_screen_has "$kk_hello"
assert_screen_has "$ru_hello"
assert_screen_has 'Қазақша'
assert_screen_has 'Русский'
assert_screen_has 'English'
assert_screen_has 'TEST MODE'
assert_log_has "^say${TAB}kk${TAB}$kk_hello"
assert_log_has "^say${TAB}ru${TAB}$ru_hello"
# Each language's option is read in its own voice.
press Down
said_since ru "Русский\$" ||
    fail "moving to Русский did not read it in the Russian voice"

# --- choosing Русский --------------------------------------------------------
press Enter
assert_screen_has 'Что Вы хотите сделать?'
assert_screen_has 'Помощь в голосовании'
assert_screen_has 'Социальные услуги'
assert_screen_lacks "$kk_hello"
said_since ru "Что Вы хотите сделать?\$" ||
    fail "the home screen was not read in Russian"
said_since ru "один из трёх\$" ||
    fail "the focused item's position was not read in Russian"
said_since kk "" &&
    fail "Kazakh speech after choosing Русский"

# --- `l` switches the language at run time: ru -> en -> kk --------------------
# press_l FROM TO TITLE ITEM: on the home screen in FROM (titled
# $home_title), `l` shows TITLE and ITEM instead, reads TITLE in TO and
# says nothing more in FROM.
press_l() {
    press l
    assert_screen_has "$3"
    assert_screen_has "$4"
    wait_screen_lacks "$home_title"
    said_since "$2" "$3\$" || fail "after l the screen was not read in $2"
    said_since "$1" "" && fail "$1 speech after l"
    home_title=$3
}
home_title='Что Вы хотите сделать?'
press_l ru en 'What would you like to do?' 'Voting assistance'
press_l en kk 'Не істегіңіз келеді?' 'Дауыс беруге көмек'

# The focus survives the change of language.
screen | grep -q '▶ Дауыс беруге көмек' ||
    fail "the focus moved when the language changed"

# --- on the welcome screen, `l` moves the choice with the language -----------
press Escape
assert_screen_has "$kk_hello"
screen | grep -q '▶ Қазақша' || fail "Escape did not return to the welcome"
press l
screen | grep -q '▶ Русский' ||
    fail "l on the welcome screen did not move the choice to Русский"

# --- --lang ru: Russian only -------------------------------------------------
kiosk_start --demo --lang ru
assert_screen_has "$ru_hello"
assert_screen_lacks "$kk_hello"
screen | grep -q '▶ Русский' || fail "--lang ru does not focus Русский"
assert_screen_has 'ТЕСТОВЫЙ РЕЖИМ'
assert_log_has "^say${TAB}ru${TAB}$ru_hello"
assert_log_lacks "$kk_hello"
assert_log_has "^say${TAB}ru${TAB}два из трёх\$"
press Enter
assert_screen_has 'Что Вы хотите сделать?'

# --lang en, for good measure, and the English greeting alone.
kiosk_start --demo --lang en
assert_screen_has 'Hello! Up, Down move, Enter chooses the language.'
assert_screen_lacks "$ru_hello"
assert_log_has "^say${TAB}en${TAB}Hello! Up, Down move,"
assert_log_lacks "$ru_hello"
exit 0
