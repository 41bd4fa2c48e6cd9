#!/bin/sh
# Ten Qogam applications end to end, driven only by keys, in Russian and
# Kazakh: browsing the catalogue by ear; an application with a wrong IIN
# (heard and refused), then a right one; the number is announced only
# after saving, read in groups of three, and shown at 80x24; the receipt
# PDF's QR code, and the one drawn on the terminal (captured at 100x60),
# decode to dauys-application:<centre>:<number>; a second application
# whose IIN fails twice goes on flagged for staff; the status check at the
# kiosk; staff set a status at the console, where the IIN is not shown
# (sealed), and export the sealed outbox to a folder (the USB stick): no
# CSV is left anywhere; `dauys services status` reports the status and
# `dauys services export` (PIN from a file) writes the sealed records and
# a manifest whose count and SHA-256 match, and the demo centre's secret
# key opens them; `dauys audit verify` finds the staff actions (kiosk and
# database alike) intact in the one audit trail and then an edited entry;
# no file of the data directory, the receipts or the stick holds the IIN,
# the phone or the name in clear, and no key that could open them exists.
. "$(dirname "$0")/lib.sh"

pin=246810
staff_pin_set "$pin"
mkdir receipts || fail "mkdir"
cat >svc.conf <<EOF
[kiosk]
mode = services
centre = ALM-07
[services]
printer = pdf:$PWD/receipts
retention_days = 30
centre_public_key = $(cat "$DAUYS_DATADIR/demo/centre-demo.pub")
EOF

# The speech log has numbers as words (normalised): digit words in kk, ru
# and en, for reading a number back.
digit_words='ноль один два три четыре пять шесть семь восемь девять
нөл бір екі үш төрт бес алты жеті сегіз тоғыз
zero one two three four five six seven eight nine'

# number_said: the 9 digits of the last number read in groups of three
# ("один два три, четыре пять шесть, семь восемь девять").
number_said() {
    DIGIT_WORDS=$digit_words awk -F "$TAB" '
        BEGIN {
            n = split(ENVIRON["DIGIT_WORDS"], w, /[ \n]/)
            for (i = 1; i <= n; i++)
                d[w[i]] = (i - 1) % 10
        }
        $1 == "say" {
            t = $3
            if (gsub(/, /, " ", t) != 2)
                next
            k = split(t, p, " ")
            if (k != 9)
                next
            s = ""
            for (i = 1; i <= k; i++) {
                if (!(p[i] in d))
                    next
                s = s d[p[i]]
            }
            last = s
        }
        END { print last }' "$E2E_LOG"
}

# ru_digits DIGITS: the 9 digits as the Russian speech says them.
ru_digits() {
    echo "$1" | sed 's/\(...\)\(...\)\(...\)/\1, \2, \3/; s/\([0-9]\)\([0-9]\)/\1 \2/g; s/\([0-9]\)\([0-9]\)/\1 \2/g' |
        sed 's/0/ноль/g; s/1/один/g; s/2/два/g; s/3/три/g; s/4/четыре/g;
             s/5/пять/g; s/6/шесть/g; s/7/семь/g; s/8/восемь/g; s/9/девять/g'
}

# screen_qr_pgm: the QR code on the screen as a plain PGM on standard
# output: the longest run of rows made only of block characters and
# spaces, each cell two modules (▀ ▄ █ and space; drawn is light, blank is
# dark), 8 pixels a module, in a light margin of 8 modules.
screen_qr_pgm() {
    nbsp=$(printf '\302\240')
    screen | sed 's/█/F/g; s/▀/U/g; s/▄/L/g; s/'"$nbsp"'/ /g' | awk '
        /^[ FUL]*[FUL][ FUL]*$/ {
            if (run == 0) start = NR
            run++
            line[NR] = $0
            if (run > best) { best = run; bstart = start }
            next
        }
        { run = 0 }
        END {
            if (best == 0) exit 1
            left = 100000; right = 0
            for (i = bstart; i < bstart + best; i++) {
                s = line[i]
                match(s, /[FUL]/)
                if (RSTART < left) left = RSTART
                n = length(s)
                while (n > 0 && substr(s, n, 1) == " ") n--
                if (n > right) right = n
            }
            S = 8; B = 8
            w = right - left + 1; h = 2 * best
            printf "P2\n%d %d\n255\n", (w + 2 * B) * S, (h + 2 * B) * S
            for (y = -B; y < h + B; y++) {
                row = ""
                for (x = -B; x < w + B; x++) {
                    v = 255
                    if (y >= 0 && y < h && x >= 0 && x < w) {
                        c = substr(line[bstart + int(y / 2)], left + x, 1)
                        up = c == "F" || c == "U"
                        down = c == "F" || c == "L"
                        v = (y % 2 == 0 ? up : down) ? 255 : 0
                    }
                    for (k = 0; k < S; k++) row = row " " v
                }
                for (k = 0; k < S; k++) print row
            }
        }'
}

kiosk_start --data-dir data --config svc.conf --lang ru
press Enter
press Enter
assert_screen_has 'Социальные услуги'
log_since | grep -q "^say${TAB}ru${TAB}Технические средства реабилитации" ||
    fail "the categories were not read: $(log_since)"

# --- browse: Treatment and travel -> Invataxi, read in full ---------------
press 3
press Enter
assert_screen_has 'Лечение и поездки'
press Down
press Enter
assert_screen_has 'Инватакси'
log_since | grep -q "Специальное такси возит вас бесплатно" ||
    fail "the service was not read: $(log_since)"
log_since | grep -q "^say${TAB}ru${TAB}Кто может получить:" ||
    fail "who can get it was not read"
press Enter
assert_screen_has 'Ваш ИИН'

# --- a wrong IIN is heard and refused, then the right one ----------------
log_mark
type_keys 061211600013
wait_log_since "^say${TAB}ru${TAB}Вы набрали: ноль шесть один, два один один, шесть ноль ноль, ноль один три"
assert_screen_has '061 211 600 013'
press Enter
wait_log_since "^say${TAB}ru${TAB}Этот и-и-эн не проходит проверку"
assert_screen_has 'не проходит проверку'
type_keys 061211600012
press Enter
assert_screen_has 'Ваш номер телефона'
type_keys 701123
press BSpace
log_since | grep -q "^say${TAB}ru${TAB}цифра удалена" ||
    fail "Backspace was not acknowledged"
type_keys 34567
wait_log_since "^say${TAB}ru${TAB}Вы набрали: плюс семь, семь ноль один, один два три, четыре пять, шесть семь"
press Enter
# A keyboard is attached: the name is asked; letters that are keys
# elsewhere (l, r, space) are typed.
assert_screen_has 'Ваше имя'
type_keys 'Ali Lr'
assert_screen_has 'Ali Lr'
press Enter
assert_screen_has 'Ваша группа инвалидности'
press 2
press Enter
assert_screen_has 'Как сотрудникам связаться с Вами?'
press Down
press Enter
press Enter
# Consent: read in full, accepted with an explicit choice.
assert_screen_has 'Ваше согласие'
log_since | grep -q "^say${TAB}ru${TAB}Что хранится: Ваш и-и-эн" ||
    fail "the consent text was not read"
log_since | grep -q "Как долго: тридцать дней" || fail "the retention was not said"
log_since | grep -q "^say${TAB}ru${TAB}Кто видит:" || fail "who sees it"
[ -z "$(ls receipts)" ] || fail "a receipt before the application was sent"
# The first focus is "Read again": an Enter there gives no consent.
assert_screen_has '▶ Прочитать ещё раз'
press Enter
wait_log_since "^say${TAB}ru${TAB}Что хранится:"
assert_screen_has 'Ваше согласие'
press Down
assert_screen_has '▶ Даю согласие'
press Enter
assert_screen_has 'Проверьте заявку'
log_since | grep -q "^say${TAB}ru${TAB}и-и-эн: ноль шесть один, два один один, шесть ноль ноль, ноль один два\$" ||
    fail "the IIN was not read back in groups: $(log_since)"
press Enter
assert_screen_has 'Ваша заявка сохранена'
number=$(number_said)
[ ${#number} -eq 9 ] || fail "no 9-digit number was read: $(log_since)"
log_since | grep -q "Квитанция с этим номером напечатана" ||
    fail "the receipt was not announced"

# The receipt PDF's QR code decodes to the centre and the number.
pdf=receipts/receipt-$number.pdf
[ -f "$pdf" ] || fail "no receipt $pdf"
pdftoppm -r 300 -gray -singlefile "$pdf" page >/dev/null 2>&1 ||
    fail "pdftoppm cannot read $pdf"
qr=$(zbarimg -q --raw page.pgm 2>/dev/null)
[ "$qr" = "dauys-application:ALM-07:$number" ] ||
    fail "the receipt's QR code reads '$qr'"

# The saved screen: at 80x24 the number is on it, and at 100x60 the QR
# code drawn on the terminal scans to the same text as the receipt's.
assert_screen_has "$(echo "$number" | sed 's/\(...\)\(...\)\(...\)/\1 \2 \3/')"
resize 100 60
wait_stable
screen_qr_pgm >screen.pgm || fail "no QR code on the screen at 100x60"
qr=$(zbarimg -q --raw screen.pgm 2>/dev/null)
[ "$qr" = "dauys-application:ALM-07:$number" ] ||
    fail "the QR code on the screen reads '$qr'"
resize 80 24
wait_stable
assert_screen_has '▶ Завершить'

# Finish ends the session.
press Enter
assert_screen_has 'Здравствуйте'

# --- a second application in Kazakh: the IIN fails twice -> flagged --------
press Enter
press l
press l
press Enter
press Enter
press Enter
press Enter
assert_screen_has 'Сіздің ЖСН'
type_keys 990540000123
press Enter
wait_log_since "^say${TAB}kk${TAB}Бұл ұйымның нөміріне \\(бе-эс-эн\\) ұқсайды"
type_keys 061211600013
press Enter
assert_screen_has 'ЖСН тексеруден өтпеді'
press Down
press Enter
assert_screen_has 'Телефон нөміріңіз'
type_keys 7771234567
press Enter
press Enter
for _ in 1 2 3; do
    press Enter
done
assert_screen_has 'Сіздің келісіміңіз'
press Down                       # from "Read again" to the consent
press Enter
assert_screen_has 'Өтінішіңізді тексеріңіз'
log_since | grep -q "же-эс-эн-ді қызметкер растайды" ||
    fail "the flag was not said: $(log_since)"
press Enter
assert_screen_has 'Өтінішіңіз сақталды'
flagged=$(number_said)
[ ${#flagged} -eq 9 ] && [ "$flagged" != "$number" ] ||
    fail "no second number"
press Enter

# --- status check at the kiosk by number -----------------------------------
press Enter
press Enter
press 7
assert_screen_has '▶ Проверить статус заявки'
press Enter
type_keys "$number"
press Enter
assert_screen_has 'Статус Вашей заявки'
wait_log_since "^say${TAB}ru${TAB}Заявка $(ru_digits "$number") на услугу «Инватакси». Статус: Принята"

# --- staff set a status at the console --------------------------------------
press F10
type_keys "$pin"
press Enter
assert_screen_has 'Меню сотрудника'
# A services terminal: Applications is the first item.
assert_screen_has '▶ Заявки'
press Enter
assert_screen_has 'Заявки'
type_keys "$number"
press Enter
press Enter
assert_screen_has 'ИИН, телефон, имя и группа инвалидности'
assert_screen_has 'Центр ещё не получил заявку'
assert_screen_lacks '061 211 600 012'
press Down
send o k
assert_screen_has 'Примечание: ok'
press Enter
assert_screen_has 'Сохранено.'
press Escape
# The export: the folder of the stick, typed in the stencil writer's field.
mkdir stick || fail "mkdir"
assert_screen_has 'Выгрузить запечатанные заявки на USB-флешку'
press Down
assert_screen_has '▶ Выгрузить запечатанные заявки'
press Enter
assert_screen_has 'Наберите папку USB-флешки'
send -l "$PWD/stick"
assert_screen_has 'stick'
press Enter
wait_log_since "^say${TAB}ru${TAB}Запечатанных заявок записано"
assert_screen_has 'Запечатанных заявок записано: 2'
ls stick/outbox-ALM-07-*.jsonl stick/outbox-ALM-07-*.manifest >/dev/null ||
    fail "the stick lacks the export: $(ls stick)"
press Escape
press Escape
send C-c
wait_exit >/dev/null
# D3: no CSV, nor anything else exported, is left in the data directory.
find data -name '*.csv' -o -name 'export*' | grep -q . &&
    fail "an export was left in the data directory: $(ls data)"

# --- the command line ---------------------------------------------------------
out=$("$DAUYS" services status "$number" --data-dir data --config svc.conf) ||
    fail "services status failed: $out"
case $out in
"$number: in-review (since "*"+05:00), service invataxi") ;;
*) fail "services status printed: $out" ;;
esac
"$DAUYS" services status 123456789 --data-dir data --config svc.conf \
    >/dev/null 2>err && fail "a wrong check digit was accepted"
grep -q "check digit is wrong" err || fail "no check-digit message: $(cat err)"
printf '%s\n' "$pin" >pinfile
mkdir stick2 || fail "mkdir"
"$DAUYS" services export --out stick2 --pin-file pinfile \
    --data-dir data --config svc.conf 2>err || fail "export failed: $(cat err)"
grep -q "2 applications written to stick2/outbox-ALM-07-" err ||
    fail "export said: $(cat err)"
rec=$(ls stick2/*.jsonl) && man=$(ls stick2/*.manifest) || fail "no export files"
[ "$(stat -c %a "$rec")" = 600 ] || fail "$rec is not 0600"
[ "$(wc -l <"$rec")" = 2 ] || fail "not two records: $(cat "$rec")"
grep -q "\"count\":2," "$man" || fail "manifest count: $(cat "$man")"
grep -q "\"sha256\":\"$(sha256sum "$rec" | cut -d' ' -f1)\"" "$man" ||
    fail "manifest hash: $(cat "$man")"
grep -q "^{\"v\":1,\"centre\":\"ALM-07\",\"terminal\":\"ALM-07\",\"number\":\"$number\"," "$rec" ||
    fail "the record of $number: $(cat "$rec")"
grep -q "\"number\":\"$flagged\",.*\"iin_flagged\":true," "$rec" ||
    fail "the flagged record: $(cat "$rec")"
# The demo centre's secret key opens the sealed data (libsodium itself).
python3 - "$rec" "$DAUYS_DATADIR/demo/centre-demo.pub" \
    "$DAUYS_DATADIR/demo/centre-demo.key" >opened <<'PY' || fail "cannot open the sealed data"
import base64, ctypes, ctypes.util, json, sys
na = ctypes.CDLL(ctypes.util.find_library("sodium"))
assert na.sodium_init() >= 0
pk = base64.b64decode(open(sys.argv[2]).read())
sk = base64.b64decode(open(sys.argv[3]).read())
for line in open(sys.argv[1]):
    sealed = base64.b64decode(json.loads(line)["sealed"])
    out = ctypes.create_string_buffer(len(sealed) - 48)
    if na.crypto_box_seal_open(out, sealed, ctypes.c_ulonglong(len(sealed)), pk, sk) != 0:
        sys.exit(1)
    print(out.raw.decode())
PY
grep -qx '{"iin":"061211600012","phone":"+77011234567","name":"Ali Lr","disability_group":"II"}' opened ||
    fail "the sealed data: $(cat opened)"
grep -qx '{"iin":"061211600013","phone":"+77771234567","name":null,"disability_group":"unknown"}' opened ||
    fail "the flagged sealed data: $(cat opened)"
printf '000000\n' >badpin
"$DAUYS" services export --pin-file badpin --data-dir data \
    --config svc.conf >/dev/null 2>err && fail "a wrong PIN exported"
grep -q "wrong staff PIN" err || fail "no wrong-PIN message"
"$DAUYS" services export --pin-file pinfile --data-dir data \
    --config svc.conf >export.jsonl || fail "export to standard output failed"
grep -q "\"number\":\"$number\"" export.jsonl || fail "export lacks $number"
"$DAUYS" services export --format csv --pin-file pinfile --data-dir data \
    --config svc.conf >/dev/null 2>err && fail "a CSV export was accepted"
grep -q "never a clear CSV" err || fail "the CSV refusal said: $(cat err)"

# The staff actions are in the one audit trail; an edited entry is found.
out=$("$DAUYS" audit verify --data-dir data --config svc.conf) ||
    fail "audit verify failed: $out"
n=$(wc -l <data/audit.log)
echo "$out" | grep -qx "audit log: $n entries, none edited or removed" ||
    fail "audit verify printed: $out"
grep -q "${TAB}admin${TAB}services: application $number: status:in-review${TAB}" data/audit.log ||
    fail "the status change is not in the audit log: $(cat data/audit.log)"
[ "$(grep -c "${TAB}admin${TAB}services: all applications exported${TAB}" data/audit.log)" = 3 ] ||
    fail "the three exports are not in the audit log: $(cat data/audit.log)"
grep -q "${TAB}kiosk${TAB}staff login role=technician${TAB}" data/audit.log ||
    fail "the staff login is not in the audit log: $(cat data/audit.log)"
grep -q "061211600012\|7011234567" data/audit.log &&
    fail "the audit log holds personal data"
line=$(grep -n "status:in-review" data/audit.log | cut -d: -f1)
sed -i "${line}s/: status:in-review/: status:done/" data/audit.log
"$DAUYS" audit verify --data-dir data --config svc.conf >/dev/null 2>err &&
    fail "an edited audit entry was not found"
grep -q "line $line of .* was edited" err || fail "audit verify: $(cat err)"

# No file of the data directory, the receipts or the sticks holds the
# IIN, the phone or the name in clear; the kiosk holds no key to open them.
for f in data/dauys.db data/dauys.db-wal; do
    [ -f "$f" ] || continue
    [ "$(stat -c %a "$f")" = 600 ] || fail "$f is not 0600"
done
find data receipts stick stick2 -type f | while read -r f; do
    for secret in 061211600012 061211600013 7011234567 7771234567 'Ali Lr'; do
        grep -aqF "$secret" "$f" && fail "$f holds '$secret' in clear"
    done
done
[ -e data/services.key ] && fail "a key file was made on the kiosk"
assert_log_lacks "$pin"

# --- --demo: the bundled catalogue and a demo database ----------------------
kiosk_start --demo --lang en
press Enter
press Down
press Enter
assert_screen_has 'Technical aids for rehabilitation'
[ -f "$XDG_STATE_HOME/dauys-demo/dauys.db" ] || fail "no demo database"
[ -d "$XDG_STATE_HOME/dauys-demo/receipts" ] || fail "no demo receipts folder"
send C-c
wait_exit >/dev/null
exit 0
