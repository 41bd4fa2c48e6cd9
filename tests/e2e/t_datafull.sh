#!/bin/sh
# A full data partition: the kiosk starts, says at once (shown and spoken,
# in Russian and in Kazakh) that applications cannot be taken while voting
# assistance works, still offers voting assistance, tells a visitor who
# chooses "Apply" to ask staff, and shows staff the reason on the
# Applications screen. The full partition is a 512 KiB tmpfs mounted over
# ./data in a mount namespace of the kiosk's own (unshare -m), which
# vanishes with it: nothing is left mounted. Without the privilege for
# that (not root), the scenario says it is skipped.
. "$(dirname "$0")/lib.sh"
E2E_COLS=100
E2E_ROWS=30

if ! unshare -m true 2>/dev/null; then
    echo "t_datafull: skipped: no mount namespace here (needs root)"
    exit 0
fi
pin=246810
staff_pin_set "$pin"
cp -a data data.seed || fail "cp"
printf '[kiosk]\nmode = both\n' >both.conf
real=$DAUYS
cat >full-dauys.sh <<EOF
#!/bin/sh
exec unshare -m sh -c 'mount --make-rprivate / &&
    mount -t tmpfs -o size=512k,mode=0700 tmpfs "$PWD/data" &&
    cp -a "$PWD/data.seed/." "$PWD/data/" &&
    { dd if=/dev/zero of="$PWD/data/filler" bs=4k 2>/dev/null; true; } &&
    exec "\$0" "\$@"' "$real" "\$@"
EOF
chmod +x full-dauys.sh
DAUYS=$PWD/full-dauys.sh

kiosk_start --data-dir data --config both.conf --lang ru
assert_screen_has 'Раздел данных заполнен: на этом терминале заявки не'
wait_log "^say${TAB}ru${TAB}Раздел данных заполнен: на этом терминале заявки не принимаются. Помощь в голосовании работает."
findmnt "$PWD/data" >/dev/null 2>&1 && fail "the test's tmpfs is visible outside"
press Enter
assert_screen_has '▶ Помощь в голосовании'
# A visitor who chooses Apply is told to ask staff.
press Down
press Enter
assert_screen_has 'Социальные услуги'
press 3
press Enter
press Down
press Enter
assert_screen_has '▶ Подать заявку на эту услугу'
press Enter
assert_screen_has 'Этот терминал сейчас не может принимать заявки. Обратитесь к'
wait_log_since "^say${TAB}ru${TAB}Этот терминал сейчас не может принимать заявки."
# Staff see why on the Applications screen.
press F10
send -l "$pin"
press Enter
assert_screen_has 'Меню сотрудника'
press Down
press Enter
assert_screen_has 'Раздел данных заполнен: на этом терминале заявки не'
wait_log_since "^say${TAB}ru${TAB}Раздел данных заполнен"

# In Kazakh, said at start too.
kiosk_start --data-dir data --config both.conf --lang kk
assert_screen_has 'Деректер бөлімі толып қалды: бұл терминалда өтініштер'
wait_log "^say${TAB}kk${TAB}Деректер бөлімі толып қалды"
exit 0
