#!/bin/sh
# TEST IMAGE ONLY. Reads one command a line from the serial port given as
# $1 and answers with its output, then a line "@@END <status>". The
# harness (images/image-test.py) sends keys through the QEMU monitor and
# asks this agent what happened inside. Commands:
#   hello               "ready" once the system has finished booting
#   status              dauys.service's state, main PID, its user, command
#                       line, terminal and restart count
#   screen              tty1's size (rows cols) and its text, base64 of
#                       /dev/vcsu1 (UTF-32 cells)
#   vt                  the active virtual terminal
#   kill9               kill -9 of dauys's main process
#   vtlock              dauys-vtlock.service's state and since when it is
#                       active (the VT lock's holder; a restart of dauys
#                       must not stop it)
#   mode kiosk|speech [KEYPAD]
#                       restart dauys as in production, or with the test
#                       hooks (speech log on the third serial port, no
#                       --kiosk, optional --keypad KEYPAD)
#   lockdown            the lockdown facts: sysctl values, masked units,
#                       running gettys, listening sockets, root's mount
#                       options, core pattern, failed units
#   bootid              this boot's id (a reboot changes it)
#   journal             this boot's journal (for failure reports)
#   sound               the sound cards, the codec's output amplifiers
#                       (mute and gain as the card has them) and the
#                       playback streams' state
#   inputs              the input devices by id (to find the USB keyboard)
#   efi                 whether the system booted through UEFI
#   media               the USB stick: the mount at /run/dauys/media (source,
#                       type, options), its listing as the kiosk's user, the
#                       dauys-media units, write requests running, the spool
#   pin PIN             sets the staff PIN on the data partition
#   testconf            a configuration that also trusts the demo election
#                       key and does not require a signed terminal
#                       configuration (the staff PIN file is used), used by
#                       "mode speech" (the test's package is the demo one)
#   untestconf          removes that configuration: "mode speech" runs the
#                       image's own (a signed terminal configuration needed)
#   audit               `dauys audit verify` of the data partition, as the
#                       kiosk's user (its "head: SEQ HASH" line), then each
#                       entry of the trail as "entry SEQ HASH ACTION" (the
#                       trail holds no personal data)
#   fill | unfill       fills the data partition with a file (df after) /
#                       removes that file
#   data                the data partition's mount (type, options) and df
#   braille             BRLTTY: installed version, unit state, command line,
#                       the screen driver it started, the console devices it
#                       has open, its API socket, and whether the kiosk's
#                       user (inside dauys's namespaces) and another user
#                       get past the API's authentication (brltty-clip)
set -u
port=$1
stty -F "$port" raw -echo 115200 || exit 1
exec <"$port" >"$port" 2>&1

status() {
    systemctl show -p ActiveState -p SubState -p MainPID -p NRestarts \
        dauys.service
    pid=$(systemctl show -p MainPID --value dauys.service)
    if [ "$pid" != 0 ] && [ -d "/proc/$pid" ]; then
        echo "User=$(stat -c %U "/proc/$pid")"
        echo "Cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline")"
        echo "Tty=$(readlink "/proc/$pid/fd/0")"
        echo "CapEff=$(awk '/^CapEff/ {print $2}' "/proc/$pid/status")"
        echo "NoNewPrivs=$(awk '/^NoNewPrivs/ {print $2}' "/proc/$pid/status")"
        echo "Seccomp=$(awk '/^Seccomp:/ {print $2}' "/proc/$pid/status")"
    fi
}

mode() {
    d=/run/systemd/system/dauys.service.d
    mkdir -p "$d"
    case "$1" in
    kiosk) rm -f "$d/test.conf" ;;
    speech)
        kp=""
        [ -n "${2:-}" ] && kp="--keypad $2"
        cf=""
        [ -f /run/dauys-test/dauys.conf ] && cf="--config /run/dauys-test/dauys.conf"
        cat >"$d/test.conf" <<EOC
[Service]
ExecStart=
ExecStart=/usr/bin/dauys run --speech-log /dev/ttyS2 $cf $kp
SupplementaryGroups=dialout
DeviceAllow=/dev/ttyS2 rw
EOC
        ;;
    *) echo "mode: kiosk or speech"; return 1 ;;
    esac
    systemctl daemon-reload && systemctl restart dauys.service
}

lockdown() {
    echo "sysrq=$(cat /proc/sys/kernel/sysrq)"
    echo "core_pattern=$(cat /proc/sys/kernel/core_pattern)"
    for u in ctrl-alt-del.target getty@tty1.service getty@tty2.service \
             serial-getty@ttyS0.service autovt@tty2.service \
             debug-shell.service; do
        echo "unit $u $(systemctl is-enabled "$u" 2>/dev/null) $(systemctl is-active "$u" 2>/dev/null)"
    done
    echo "gettys=$(systemctl list-units --no-legend --state=active 'getty@*' 'serial-getty@*' 'autovt@*' 'console-getty*' | wc -l)"
    # Listening TCP/UDP sockets (state 0A = LISTEN; UDP: any bound socket).
    echo "tcp_listen=$(cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == "0A"' | wc -l)"
    echo "udp_bound=$(cat /proc/net/udp /proc/net/udp6 2>/dev/null | awk 'NR > 1 && $2 !~ /^local/' | wc -l)"
    # Interfaces other than lo that are up (IFF_UP), and whether the
    # network's units run: neither on a kiosk without [sync].
    up=0
    for i in /sys/class/net/*; do
        [ "${i##*/}" = lo ] && continue
        [ $(($(cat "$i/flags") & 1)) -eq 1 ] && up=$((up + 1))
    done
    echo "links_up=$up"
    echo "networkd=$(systemctl is-active systemd-networkd.service 2>/dev/null)"
    echo "sync=$(systemctl is-active dauys-sync.service 2>/dev/null)"
    echo "root_opts=$(awk '$2 == "/" {print $4}' /proc/mounts | tail -n 1)"
    echo "data_mount=$(awk '$2 == "/var/lib/dauys" {print $3 " " $4}' /proc/mounts)"
    echo "data_dir=$(stat -c '%a %U' /var/lib/dauys)"
    echo "journal=$(ls -d /var/log/journal/* 2>/dev/null | wc -l) persistent"
    echo "root_passwd=$(awk -F: '$1 == "root" {print $2}' /etc/shadow)"
    echo "dauys_shell=$(awk -F: '$1 == "dauys" {print $7}' /etc/passwd)"
    echo "failed=$(systemctl list-units --no-legend --state=failed | awk '{print $2}' | tr '\n' ' ')"
}

braille() {
    echo "installed=$(dpkg-query -W -f='${Version}' brltty 2>/dev/null)"
    echo "enabled=$(systemctl is-enabled brltty.service 2>/dev/null)"
    echo "active=$(systemctl is-active brltty.service 2>/dev/null)"
    bp=$(systemctl show -p MainPID --value brltty.service)
    if [ "$bp" != 0 ] && [ -d "/proc/$bp" ]; then
        echo "cmdline=$(tr '\0' ' ' <"/proc/$bp/cmdline")"
        # A screen driver reads the console: /dev/vcs*, /dev/tty<N>,
        # /dev/console would be open.
        echo "console_fds=$(ls -l "/proc/$bp/fd" 2>/dev/null |
            grep -oE '/dev/(vcs[a-z]*[0-9]*|tty[0-9]+|console)$' |
            sort -u | tr '\n' ' ')"
    fi
    echo "screen_driver=$(journalctl -b -u brltty.service -o cat --no-pager |
        sed -n 's/^Screen Driver: //p' | tail -n 1)"
    echo "socket=$(stat -c '%F' /var/lib/BrlAPI/0 2>&1)"
    # Inside the kiosk's mount and network namespaces (ProtectSystem,
    # PrivateNetwork), with its user and groups.
    kp=$(systemctl show -p MainPID --value dauys.service)
    if [ "$kp" != 0 ] && [ -d "/proc/$kp" ]; then
        uid=$(awk '/^Uid:/ {print $2}' "/proc/$kp/status")
        gid=$(awk '/^Gid:/ {print $2}' "/proc/$kp/status")
        groups=$(awk '/^Groups:/ {$1 = ""; print}' "/proc/$kp/status" |
            tr -s ' ' ',' | sed 's/^,//; s/,$//')
        gopt=--clear-groups
        [ -n "$groups" ] && gopt="--groups=$groups"
        nsenter -t "$kp" -m -n setpriv --reuid="$uid" --regid="$gid" \
            "$gopt" timeout 20 brltty-clip -g >/dev/null 2>&1
        echo "kiosk_api=$?"
    fi
    setpriv --reuid=nobody --regid=nogroup --clear-groups \
        timeout 20 brltty-clip -g >/dev/null 2>&1
    echo "other_api=$?"
}

while IFS= read -r line; do
    line=$(printf '%s' "$line" | tr -d '\r')
    set -- $line
    [ $# -gt 0 ] || continue
    [ $# -gt 1 ] || continue
    id=$1
    cmd=$2
    shift 2
    rc=0
    case "$cmd" in
    hello)
        systemctl is-system-running --wait >/dev/null 2>&1
        echo "ready $(systemctl is-system-running)" ;;
    status) status || rc=$? ;;
    screen)
        head -c 4 /dev/vcsa1 | od -An -tu1 | awk '{print "size " $1 " " $2}'
        base64 -w 0 /dev/vcsu1 || rc=$?
        echo ;;
    vt) cat /sys/class/tty/tty0/active ;;
    kill9)
        pid=$(systemctl show -p MainPID --value dauys.service)
        if [ "$pid" = 0 ]; then echo "no pid"; rc=1; else kill -9 "$pid"; echo "killed $pid"; fi ;;
    mode) mode "$@" || rc=$? ;;
    lockdown) lockdown ;;
    vtlock)
        systemctl show -p ActiveState -p ActiveEnterTimestampMonotonic \
            dauys-vtlock.service ;;
    bootid) cat /proc/sys/kernel/random/boot_id ;;
    inputs) ls /dev/input/by-id/ 2>/dev/null ;;
    braille) braille ;;
    efi) if [ -d /sys/firmware/efi ]; then echo efi=1; else echo efi=0; fi ;;
    media)
        echo "mount=$(awk '$2 == "/run/dauys/media" {print $1 " " $3 " " $4}' /proc/mounts)"
        echo "list=$(setpriv --reuid=dauys --regid=dauys --clear-groups ls -R /run/dauys/media 2>&1 | tr '\n' ' ')"
        echo "units=$(systemctl list-units --no-legend --all 'dauys-media*' | awk '{print $1 ":" $3 ":" $4}' | tr '\n' ' ')"
        echo "writing=$(systemctl list-units --no-legend --state=active,activating 'dauys-media-write@*' | wc -l)"
        echo "spool=$(ls /var/lib/dauys/spool 2>/dev/null | tr '\n' ' ')" ;;
    fill)
        dd if=/dev/zero of=/var/lib/dauys/filler bs=1M 2>/dev/null
        sync
        df -k /var/lib/dauys | tail -n 1 ;;
    unfill) rm -f /var/lib/dauys/filler; sync ;;
    data)
        echo "mount=$(awk '$2 == "/var/lib/dauys" {print $3 " " $4}' /proc/mounts)"
        echo "df=$(df -k /var/lib/dauys | tail -n 1)"
        # What the kiosk sees: its mount namespace, its user.
        kp=$(systemctl show -p MainPID --value dauys.service)
        if [ "$kp" != 0 ] && [ -d "/proc/$kp" ]; then
            echo "kiosk_mount=$(awk '$5 == "/var/lib/dauys" || $5 == "/" {print $5 " " $6}' "/proc/$kp/mountinfo" | tr '\n' ';')"
            echo "kiosk_write=$(nsenter -t "$kp" -m setpriv --reuid=dauys --regid=dauys --clear-groups sh -c 'echo x >/var/lib/dauys/.agent-probe && rm -f /var/lib/dauys/.agent-probe && echo yes' 2>&1)"
        fi ;;
    writing) systemctl list-units --no-legend --state=active,activating 'dauys-media-write@*' | wc -l ;;
    pin)
        printf '%s\n' "$1" | setpriv --reuid=dauys --regid=dauys --clear-groups \
            dauys staff passwd --data-dir /var/lib/dauys || rc=$? ;;
    testconf)
        mkdir -p /run/dauys-test
        { sed 's/^\(require_terminal_config *=\).*/\1 no/' /etc/dauys/dauys.conf
          printf '[election]\npublic_key = %s\n' "$(grep -v '^#' /usr/share/dauys/demo/demo.pub | head -n 1)"
        } >/run/dauys-test/dauys.conf
        chmod 0644 /run/dauys-test/dauys.conf ;;
    sound)
        cat /proc/asound/cards
        grep -h -A2 -i "amp-out\|^node" /proc/asound/card*/codec#* 2>/dev/null | grep -i "node\|amp-out vals"
        for f in /proc/asound/card*/pcm*p/sub*/status; do echo "$f: $(tr '\n' ' ' <"$f")"; done ;;
    untestconf) rm -f /run/dauys-test/dauys.conf ;;
    audit)
        setpriv --reuid=dauys --regid=dauys --clear-groups \
            dauys audit verify --data-dir /var/lib/dauys 2>&1 || rc=$?
        awk -F '\t' '{print "entry " $1 " " $6 " " $4}' /var/lib/dauys/audit.log ;;
    journal) journalctl -b --no-pager -o short-monotonic | tail -n 400 ;;
    *) echo "unknown command $cmd"; rc=1 ;;
    esac
    echo "@@END $rc $id"
done
