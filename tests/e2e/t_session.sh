#!/bin/sh
# One visitor's session and the next: settings change with spoken
# confirmation (volume, speed, theme, text size), the privacy curtain
# hides the screen while speech goes on, the visitor walks away, the idle
# warning is spoken and shown with its countdown, the session is wiped,
# and the next visitor starts with every default. Idle times are shortened
# with the --idle-test hook (the configured range is 120-300 s).
. "$(dirname "$0")/lib.sh"

kiosk_start --demo --idle-test 2:3
press Down
press Enter # Русский
assert_screen_has 'Что Вы хотите сделать?'

log_mark
press +
wait_log_since "^say${TAB}ru${TAB}Громкость шесть из десяти\$"
press '>'
wait_log_since "^say${TAB}ru${TAB}Быстрее\$"
before=$(tm capture-pane -e -p -t k | grep 'Социальные услуги')
press t
wait_log_since "^say${TAB}ru${TAB}Белый текст на чёрном\$"
press t
wait_log_since "^say${TAB}ru${TAB}Чёрный текст на белом\$"
# The colours really change (escape sequences of the same row differ; on
# an 8-colour terminal the standard theme and white on black coincide).
after=$(tm capture-pane -e -p -t k | grep 'Социальные услуги')
[ -n "$after" ] && [ "$before" != "$after" ] ||
    fail "the theme key did not change the colours on screen"
press z
wait_log_since "^say${TAB}ru${TAB}Размер текста два\$"
# At size 2 the words are drawn with block characters, a few per row.
assert_screen_has '█'
assert_screen_lacks 'Что Вы хотите сделать?'
press z z z
wait_log_since "^say${TAB}ru${TAB}Размер текста один\$"
assert_screen_has 'Что Вы хотите сделать?'

# The curtain: nothing of the screen shows, speech goes on.
press b
assert_screen_has 'Экран скрыт для конфиденциальности'
assert_screen_lacks 'Помощь в голосовании'
log_mark
press Down
wait_log_since "^say${TAB}ru${TAB}два из трёх\$"
assert_screen_lacks 'Социальные услуги'
press b
assert_screen_has 'Социальные услуги'

# The visitor leaves: after 2 s the warning, spoken and shown.
log_mark
wait_log_since "^say${TAB}ru${TAB}Вы ещё здесь\\?\$" 6
assert_screen_has 'Вы ещё здесь?'
assert_screen_has 'Любая клавиша: продолжить'
# 3 s later: wiped; the welcome screen greets in kk and ru again.
wait_log_since "^say${TAB}kk${TAB}Сәлеметсіз бе!" 8
assert_screen_has 'Сәлеметсіз бе!'
assert_screen_has 'Здравствуйте!'

# The next visitor: Kazakh, and every setting back to its default.
press Enter
assert_screen_has 'Не істегіңіз келеді?'
log_mark
press +
wait_log_since "^say${TAB}kk${TAB}Дыбыс деңгейі: он ішінен алты\$"
press t
wait_log_since "^say${TAB}kk${TAB}Қара түстегі ақ мәтін\$"
press z
wait_log_since "^say${TAB}kk${TAB}Мәтін өлшемі екі\$"
kiosk_alive || fail "the kiosk died"
exit 0
