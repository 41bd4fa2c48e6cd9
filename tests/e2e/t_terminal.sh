#!/bin/sh
# The signed terminal configuration (docs/terminal-config.md) on the
# command line and at the kiosk.
#
# CLI: keygen, sign (PINs by --pin, hashed), verify, show; every refusal a
# staff laptop meets (wrong key, changed after signing, a PIN in the file,
# an unknown key) exits 1 and says why.
# Kiosk: with [kiosk] require_terminal_config = yes (what --kiosk implies;
# --kiosk itself refuses the speech log) and no accepted configuration,
# the only screen says in Kazakh and in Russian that the terminal is not
# configured, and F10 opens nothing. A configuration in the media folder
# signed with another key is refused; the right one is accepted, the kiosk
# starts again with it, and the commission member's PIN opens a staff menu
# with the election only. The data folder then holds the configuration,
# and an older serial is refused.
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/../.." && pwd)
key=$top/images/test-provision.key
pub=$top/images/test-provision.pub

# --- the command line --------------------------------------------------
"$DAUYS" terminal keygen --secret other.key --public other.pub >out 2>&1 ||
    fail "keygen: $(cat out)"
[ "$(stat -c %a other.key)" = 600 ] || fail "the secret key is not 0600"
ek=$(cat other.pub)
source_json() { # source_json SERIAL MODE
    cat <<EOS
{
  "format": "dauys-terminal/1",
  "serial": $1,
  "terminal_id": "ALM-PS-0412",
  "location": {"kk": "Алматы, №12 учаске", "ru": "Алматы, участок №12"},
  "mode": "$2",
  "default_language": "kk+ru",
  "staff": {"commission-member": null, "technician": null},
  "election_public_keys": ["$ek"],
  "printer": "none",
  "idle": {"warning_s": 180, "grace_s": 30}
}
EOS
}
source_json 2 voting >src.json
"$DAUYS" terminal sign src.json --secret "$key" --out cfg2 \
    --pin commission-member=111111 --pin technician=222222 >out 2>&1 ||
    fail "sign: $(cat out)"
grep -q '111111\|222222' cfg2/terminal.json && fail "a PIN is in the file"
grep -q '"commission-member": "\$argon2id\$v=19\$' cfg2/terminal.json ||
    fail "no Argon2id hash in the file: $(cat cfg2/terminal.json)"
"$DAUYS" terminal verify cfg2 --public "$pub" >out 2>&1 ||
    fail "verify refused what sign wrote: $(cat out)"
grep -q '^serial: 2$' out || fail "verify does not print the serial"
"$DAUYS" terminal show cfg2 >out 2>&1 || fail "show: $(cat out)"
grep -q '^staff commission-member: PIN set' out || fail "show: $(cat out)"
"$DAUYS" terminal verify cfg2 --public other.pub >out 2>&1
[ $? -eq 1 ] || fail "verify accepted a configuration under another key"
grep -q 'signature does not match' out || fail "wrong key: $(cat out)"
mkdir -p changed && cp cfg2/* changed/ &&
    sed -i 's/ALM-PS-0412/ALM-PS-0413/' changed/terminal.json
"$DAUYS" terminal verify changed --public "$pub" >out 2>&1
[ $? -eq 1 ] || fail "verify accepted a configuration changed after signing"
source_json 3 voting | sed 's/"printer"/"printr"/' >bad.json
"$DAUYS" terminal sign bad.json --secret "$key" --out bad \
    --pin commission-member=111111 --pin technician=222222 >out 2>&1
[ $? -eq 1 ] || fail "sign signed an unknown key"
grep -q 'printr: unknown key' out || fail "unknown key: $(cat out)"
[ ! -e bad/terminal.json.sig ] || fail "a refused source was signed"
source_json 3 voting | sed 's/"technician": null/"technician": "654321"/' \
    >pin.json
"$DAUYS" terminal sign pin.json --secret "$key" --out pin \
    --pin commission-member=111111 >out 2>&1
[ $? -eq 1 ] || fail "sign took a PIN in place of its hash"
grep -q 'staff.technician: is not an Argon2id hash' out ||
    fail "PIN in the file: $(cat out)"
source_json 1 voting >src1.json
"$DAUYS" terminal sign src1.json --secret "$key" --out cfg1 \
    --pin commission-member=111111 --pin technician=222222 >out 2>&1 ||
    fail "sign serial 1: $(cat out)"

# Another tool: a file written by hand on one line without a final
# newline, signed with OpenSSL (the bytes as they are; Ed25519 is
# deterministic, so dauys's own signature of them is the same).
{ printf '\060\056\002\001\000\060\005\006\003\053\145\160\004\042\004\040'
    base64 -d "$key"; } | openssl pkey -inform DER -out prov.pem ||
    fail "openssl cannot read the test key"
mkdir ext
h=$(sed -n 's/.*"technician": "\([^"]*\)".*/\1/p' cfg2/terminal.json)
printf '{"format":"dauys-terminal/1","serial":5,"terminal_id":"AST-C-7","location":{"kk":"Астана","ru":"Астана"},"mode":"services","default_language":"ru","staff":{"technician":"%s"},"centre_public_key":"%s","printer":"pdf:/tmp","retention_days":30,"idle":{"warning_s":120,"grace_s":20}}' \
    "$h" "$ek" >ext/terminal.json
openssl pkeyutl -sign -rawin -inkey prov.pem -in ext/terminal.json \
    -out sig.bin || fail "openssl cannot sign"
base64 -w0 sig.bin >ext/terminal.json.sig
"$DAUYS" terminal verify ext --public "$pub" >out 2>&1 ||
    fail "an OpenSSL-signed configuration was refused: $(cat out)"
grep -q '^mode: services$' out || fail "verify ext: $(cat out)"

# --- the kiosk ---------------------------------------------------------
mkdir data media && chmod 700 data
cat >kiosk.conf <<EOC
[kiosk]
require_terminal_config = yes
provision_key = $pub
EOC
# --kiosk (no speech log there) requires a configuration by itself, and
# the provisioning key: without it the kiosk does not start.
printf '[kiosk]\nprovision_key = %s/none.pub\n' "$PWD" >nokey.conf
"$DAUYS" run --kiosk --speech none --config nokey.conf --data-dir data \
    </dev/null >out 2>&1
[ $? -eq 3 ] || fail "--kiosk without a provisioning key did not exit 3"
grep -q 'provisioning key' out || fail "no provisioning key: $(cat out)"
printf '[kiosk]\nprovision_key = %s\n' "$pub" >plain.conf
kiosk_start --no-log --kiosk --config plain.conf --data-dir data \
    --media-dir media
assert_screen_has "Бұл терминал бапталмаған"
assert_screen_has "Этот терминал не настроен"
kill "$(kiosk_pid)"
assert_exit 0 "SIGTERM"

kiosk_start --config kiosk.conf --data-dir data --media-dir media
wait_log "Бұл терминал бапталмаған: баптау флешкасын салыңыз"
wait_log "Этот терминал не настроен: вставьте флешку с настройкой"
assert_screen_has "Бұл терминал бапталмаған"
assert_screen_has "Этот терминал не настроен"
assert_screen_has "Настроить с флешки"
# No staff login on an unconfigured terminal.
send F10
sleep 0.3
assert_screen_lacks "PIN"
assert_screen_has "Этот терминал не настроен"
# Nothing on the stick yet; then one signed with another key.
press Down Enter
assert_screen_has "Настройка не найдена"
press Escape
mkdir media/stick
source_json 2 voting >src.json
"$DAUYS" terminal sign src.json --secret other.key --out media/stick \
    --pin commission-member=111111 --pin technician=222222 >out 2>&1 ||
    fail "sign with the other key: $(cat out)"
press Enter
assert_screen_has "Настройка не принята"
[ ! -e data/terminal.json ] || fail "a refused configuration was installed"
press Escape
cp cfg2/* media/stick/
press Enter
assert_screen_has "Терминал настроен"
assert_screen_has "ALM-PS-0412"
cmp -s data/terminal.json cfg2/terminal.json ||
    fail "the data folder does not hold the accepted configuration"
[ "$(cut -d" " -f1 data/terminal.serial)" = 2 ] || fail "terminal.serial is not 2"
# Start the kiosk: it starts again, configured (the welcome screen).
log_mark
send Enter
wait_log_since "Сәлеметсіз"
send F10
wait_log_since "Қызметкердің кіруі"
for d in 1 1 1 1 1 1; do send "$d"; done
press Enter
assert_screen_has "ALM-PS-0412"
assert_screen_has "Алматы, №12 учаске"
# The commission member sees the election, not the technician's items.
assert_screen_has "Сайлау пакеті және дауыс беру"
assert_screen_lacks "Киоскіні жабу"
assert_screen_lacks "Флешкадан терминалдың жаңа баптауы"
grep -q "staff login role=commission-member" data/audit.log ||
    fail "the audit log lacks the role of the login"
kill "$(kiosk_pid)"
assert_exit 0 "SIGTERM"

# Started again, the kiosk is configured from its data folder. The
# technician may load a new configuration: an older serial is refused, the
# same one again changes nothing.
cp cfg1/* media/stick/
kiosk_start --config kiosk.conf --data-dir data --media-dir media
wait_log "Сәлеметсіз"
press F10
for d in 2 2 2 2 2 2; do send "$d"; done
press Enter
assert_screen_has "Киоскіні жабу"
assert_screen_has "Флешкадан терминалдың жаңа баптауы"
press Down Down Enter
assert_screen_has "Баптау қабылданбады"
assert_screen_has "serial 1 is older than serial 2"
cmp -s data/terminal.json cfg2/terminal.json ||
    fail "a refused configuration changed the one in force"
press Escape
cp cfg2/* media/stick/
press Enter
assert_screen_has "Бұл баптау қазірдің өзінде қолданыста"
press Escape
kill "$(kiosk_pid)"
assert_exit 0 "SIGTERM"

# A services terminal: the centre's key comes with the configuration (the
# store seals applications to it; without it a services terminal would
# not start), the centre worker's PIN opens the applications.
ck=$(cat "$DAUYS_DATADIR/demo/centre-demo.pub")
mkdir sdata smedia && chmod 700 sdata
sed -e "s|\"election_public_keys\": \[\"$ek\"\],|\"centre_public_key\": \"$ck\", \"retention_days\": 365,|" \
    -e 's/"mode": "voting"/"mode": "services"/' \
    -e 's/"commission-member": null/"centre-worker": null/' src1.json >srv.json
"$DAUYS" terminal sign srv.json --secret "$key" --out smedia \
    --pin centre-worker=333333 --pin technician=222222 >out 2>&1 ||
    fail "sign a services configuration: $(cat out)"
kiosk_start --config kiosk.conf --data-dir sdata --media-dir smedia
press Enter
assert_screen_has "Терминал бапталды"
log_mark
send Enter
wait_log_since "Сәлеметсіз"
[ -s sdata/dauys.db ] || fail "the services terminal opened no database"
press F10
for d in 3 3 3 3 3 3; do send "$d"; done
press Enter
assert_screen_has "▶ Өтініштер"
assert_screen_lacks "Сайлау пакеті"

# A configuration with another centre key: the store refuses it (its
# applications are sealed to the first key), but a configured terminal
# still starts, without taking applications, so that its technician can
# mend it from the stick; a kiosk that exited here would be restarted by
# systemd for ever and never read the stick again.
mkdir other-centre && "$DAUYS" central keygen --out other-centre >out 2>&1 ||
    fail "central keygen: $(cat out)"
ck2=$(cat other-centre/centre.pub)
sed -e "s|\"$ck\"|\"$ck2\"|" -e 's/"serial": 1/"serial": 5/' srv.json >srv2.json
grep -q '"serial": 5' srv2.json || fail "srv2.json has no serial 5"
rm -f smedia/*
"$DAUYS" terminal sign srv2.json --secret "$key" --out smedia \
    --pin centre-worker=333333 --pin technician=222222 >out 2>&1 ||
    fail "sign the second services configuration: $(cat out)"
press Escape
press F10
for d in 2 2 2 2 2 2; do send "$d"; done
press Enter
assert_screen_has "Флешкадан терминалдың жаңа баптауы"
press Down Down Enter
assert_screen_has "Терминал бапталды"
log_mark
send Enter
wait_log_since "Сәлеметсіз"
kiosk_alive || fail "a configured services terminal with another centre key did not start"
# The technician puts the right key back (a higher serial again).
sed -e 's/"serial": 1/"serial": 6/' srv.json >srv3.json
rm -f smedia/*
"$DAUYS" terminal sign srv3.json --secret "$key" --out smedia \
    --pin centre-worker=333333 --pin technician=222222 >out 2>&1 ||
    fail "sign the third services configuration: $(cat out)"
press F10
for d in 2 2 2 2 2 2; do send "$d"; done
press Enter
press Down Down Enter
assert_screen_has "Терминал бапталды"
log_mark
send Enter
wait_log_since "Сәлеметсіз"
press F10
for d in 3 3 3 3 3 3; do send "$d"; done
press Enter
assert_screen_has "▶ Өтініштер"
kill "$(kiosk_pid)"
assert_exit 0 "SIGTERM"
