#!/bin/sh
# Builds the appliance disk images from Debian 12 packages and the dauys
# package, without mounting anything (so it also runs in CI containers):
#
#  1. base: mmdebstrap (variant "essential") with images/packages.list and
#     the dependencies of the dauys .deb, written as a tarball. It is kept
#     in a cache ($DAUYS_IMAGE_CACHE, default ~/.cache/dauys-image) under a
#     key made of everything that decides its contents: the package list,
#     the mirrors and their current InRelease files (so a mirror update
#     rebuilds it), SOURCE_DATE_EPOCH and this step of this script. A cache hit is the
#     same tarball a fresh run would make; nothing else is cached.
#  2. root: the base unpacked, the dauys .deb installed with dpkg in a
#     chroot, the files of images/rootfs/ laid over it (lockdown, BRLTTY's
#     configuration), units enabled and masked with `systemctl --root`.
#  3. file systems made from directories: ext4 with `mkfs.ext4 -d` (root,
#     read-only at run time; data, the only persistent writable place, at
#     /var/lib/dauys) and the FAT boot partition with mtools. BIOS boots
#     through syslinux's MBR and `syslinux --install` (mtools), UEFI
#     through systemd-boot as EFI/BOOT/BOOTX64.EFI. Neither boot loader
#     shows a menu or lets the kernel command line be edited.
#  4. disk: an MBR partition table written by sfdisk into a plain file and
#     the partitions copied in with dd.
#
# Two images come out: OUT/dauys.img, the production image, and
# OUT/dauys-test.img, the same root plus the test agent of
# images/test-agent/ (a root service on the second serial port that
# image-test.py talks to). The production root is made first and never
# contains the agent. With SOURCE_DATE_EPOCH set (default: the date in
# debian/changelog) two builds from the same packages give the same bytes.
#
# The provisioning key: the public key that signs terminal configurations
# (docs/terminal-config.md), installed as /etc/dauys/provision.pub.
# dauys.img gets $DAUYS_PROVISION_KEY; without it, the test-only key
# images/test-provision.pub (whose secret half is in the repository), and
# a loud warning. dauys-test.img always gets the test key, so that the
# image test can sign its configurations.
#
# usage: [DAUYS_PROVISION_KEY=FILE] images/build.sh DEBDIR OUT
set -eu

debdir=${1:?usage: images/build.sh DEBDIR OUT}
out=${2:?usage: images/build.sh DEBDIR OUT}
top=$(cd "$(dirname "$0")/.." && pwd)
img="$top/images"
mkdir -p "$out"
out=$(cd "$out" && pwd)
deb=$(ls "$debdir"/dauys_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { echo "dauys: no dauys_*.deb in $debdir (run make deb)" >&2; exit 1; }
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")

: "${SOURCE_DATE_EPOCH:=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Timestamp)}"
export SOURCE_DATE_EPOCH
MIRROR=${DAUYS_MIRROR:-http://deb.debian.org/debian}
SECURITY=${DAUYS_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
SUITE=bookworm
cache=${DAUYS_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dauys-image}
mkdir -p "$cache"
export LC_ALL=C.UTF-8 TZ=UTC MTOOLS_SKIP_CHECK=1

# Fixed identifiers, so that the same inputs give the same image and the
# boot loaders can name the root file system.
DISK_ID=0xda0a5001
ROOT_UUID=da0a5001-0000-4000-8000-000000000002
DATA_UUID=da0a5001-0000-4000-8000-000000000003
HASH_SEED=da0a5001-0000-4000-8000-0000000000ff
ESP_ID=DA0A5001
CMDLINE="root=UUID=$ROOT_UUID ro rootfstype=ext4 console=tty1 console=ttyS0,115200n8 quiet loglevel=3 systemd.show_status=error vt.global_cursor_default=0 panic=10"

step() { echo "  IMAGE   $*"; }
fail() { echo "dauys: image: $*" >&2; exit 1; }

testkey="$img/test-provision.pub"
provkey=${DAUYS_PROVISION_KEY:-}
if [ -z "$provkey" ]; then
    provkey=$testkey
    cat >&2 <<EOW
dauys: image: WARNING: no DAUYS_PROVISION_KEY given: dauys.img trusts the
dauys: image: WARNING: TEST provisioning key images/test-provision.pub, whose
dauys: image: WARNING: secret half is public in the repository. Anyone can
dauys: image: WARNING: configure such a terminal. For real terminals run
dauys: image: WARNING:   make image DAUYS_PROVISION_KEY=/path/provision.pub
EOW
fi
[ -f "$provkey" ] || fail "DAUYS_PROVISION_KEY: no file $provkey"
grep -Eq '^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$' "$provkey" ||
    fail "DAUYS_PROVISION_KEY: $provkey is not an Ed25519 public key file"

# --- 1. base ------------------------------------------------------------
pkgs=$(sed -e 's/#.*//' "$img/packages.list" | tr -s ' \n' '  ')
# The .deb's dependencies by name (alternatives: the first one).
debdeps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
    sed -e 's/|.*//' -e 's/(.*)//' -e 's/ //g' | grep -v '^$' | sort -u |
    tr '\n' ' ')
pkgs="$pkgs $debdeps"
sources="deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY $SUITE-security main"

# The mirrors' current state is part of the key.
release=$(mktemp -d)
trap 'rm -rf "$release"' EXIT
i=0
for url in "$MIRROR/dists/$SUITE/InRelease" \
           "$MIRROR/dists/$SUITE-updates/InRelease" \
           "$SECURITY/dists/$SUITE-security/InRelease"; do
    i=$((i + 1))
    /usr/lib/apt/apt-helper -o APT::Sandbox::User=root \
        download-file "$url" "$release/$i" >/dev/null ||
        fail "cannot fetch $url (set DAUYS_MIRROR to a reachable mirror)"
done
key=$( { echo "$pkgs"; echo "$sources"; echo "$SOURCE_DATE_EPOCH";
         mmdebstrap --version; cat "$release"/*;
         sed -n '/^# --- 1. base/,/^# --- 2. root/p' "$img/build.sh"; } |
       sha256sum | cut -c1-16)
base="$cache/base-$key.tar"
if [ -f "$base" ]; then
    step "base (cached) $base"
else
    step "base mmdebstrap $SUITE -> $base (several minutes)"
    # Documentation, manuals and other languages' messages are left out
    # (dauys's own catalogues stay); a kiosk has no use for them.
    # The base runs no hooks that mount: --skip=chroot/mount.
    rm -rf "$base.tmp"
    if ! mmdebstrap --variant=essential --mode=root --format=tar \
        --skip=chroot/mount \
        --include="$pkgs" \
        --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/doc/*' \
        --dpkgopt='path-include=/usr/share/doc/*/copyright' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --dpkgopt='path-include=/usr/share/locale/*/LC_MESSAGES/dauys.mo' \
        --dpkgopt='path-exclude=/usr/share/info/*' \
        "$SUITE" "$base.tmp" "$sources" >"$out/mmdebstrap.log" 2>&1; then
        tail -n 30 "$out/mmdebstrap.log" >&2
        fail "mmdebstrap failed; the whole log is $out/mmdebstrap.log"
    fi
    mv "$base.tmp" "$base"
fi

# --- 2. root ------------------------------------------------------------
root="$out/root"
step "root $root"
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" --numeric-owner -xpf "$base"
cp "$deb" "$root/tmp/dauys.deb"
# dpkg runs the maintainer scripts in a chroot; nothing is mounted.
chroot "$root" dpkg -i /tmp/dauys.deb >"$out/dpkg.log" 2>&1 ||
    { cat "$out/dpkg.log" >&2; fail "installing $deb failed"; }
rm -f "$root/tmp/dauys.deb"
# /var/log is a tmpfs at run time; dpkg's log would only date the build.
rm -rf "$root/var/log/"*
cp -R "$img/rootfs/." "$root/"
install -D -m 0644 "$provkey" "$root/etc/dauys/provision.pub"
: >"$root/etc/machine-id"
# BRLTTY's API admits the dauys user only (etc/brltty.conf), not a key
# file: the one brltty's postinst made is random (the image would differ at
# every build) and would be the same secret on every stick.
rm -f "$root/etc/brlapi.key"
# Root has no password: no one logs in, on any terminal.
sed -i 's/^root:[^:]*:/root:*:/' "$root/etc/shadow"
# The kiosk on tty1; no getty anywhere (the generator would add one on the
# serial console), no Ctrl-Alt-Del, no debug shell, no rescue shells.
systemctl --root="$root" enable dauys.service >/dev/null 2>&1 ||
    fail "cannot enable dauys.service"
# dauys-sync: enabled, but its ExecCondition (`dauys sync --check`) skips
# it unless the configuration says services mode and [sync].
systemctl --root="$root" enable dauys-sync.service >/dev/null 2>&1 ||
    fail "cannot enable dauys-sync.service"
# Its network: systemd-networkd, under the same condition (rootfs drop-in),
# so a voting-only terminal never brings an interface up.
systemctl --root="$root" enable systemd-networkd.service >/dev/null 2>&1 ||
    fail "cannot enable systemd-networkd.service"
systemctl --root="$root" set-default multi-user.target >/dev/null 2>&1
# BRLTTY (sysinit.target) for the Braille display, without a screen driver.
systemctl --root="$root" enable brltty.service >/dev/null 2>&1 ||
    fail "cannot enable brltty.service"
mkdir -p "$root/etc/systemd/system-generators"
ln -sf /dev/null "$root/etc/systemd/system-generators/systemd-getty-generator"
for u in getty@.service serial-getty@.service autovt@.service \
         console-getty.service container-getty@.service getty.target \
         ctrl-alt-del.target debug-shell.service rescue.service \
         emergency.service rescue.target emergency.target \
         systemd-firstboot.service; do
    ln -sf /dev/null "$root/etc/systemd/system/$u"
done
# The root file system is mounted read-only; what the boot needs to write
# lives in memory (fstab: /tmp, /var/tmp; journald: volatile).
# State directories of services that cannot create them on a read-only
# root (logind: linger).
rm -rf "$root/var/log/journal"
mkdir -p "$root/var/lib/systemd/linger"
# The kernel and initrd go to the boot partition, not the root.
kver=$(ls "$root/boot" | sed -n 's/^vmlinuz-//p' | sort -V | tail -n 1)
[ -n "$kver" ] || fail "no kernel in the root"
mkdir -p "$out/boot"
cp "$root/boot/vmlinuz-$kver" "$out/boot/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$out/boot/initrd.img"
dauys_uid=$(awk -F: '$1 == "dauys" {print $3 ":" $4}' "$root/etc/passwd")
[ -n "$dauys_uid" ] || fail "the dauys user was not created"

# Every file dated SOURCE_DATE_EPOCH at the latest.
clamp() {
    find "$@" -newermt "@$SOURCE_DATE_EPOCH" -print0 |
        xargs -0 -r touch -h -d "@$SOURCE_DATE_EPOCH"
}

# --- 3. file systems ----------------------------------------------------
export E2FSPROGS_FAKE_TIME="$SOURCE_DATE_EPOCH"
mib() { du -s --block-size=1M "$1" | cut -f1; }
mkext4() { # mkext4 FILE SIZE_MIB LABEL UUID DIR [OPTS]
    rm -f "$1"
    truncate -s "${2}M" "$1"
    mkfs.ext4 -q -F -L "$3" -U "$4" -d "$5" -m 0 \
        -E "hash_seed=$HASH_SEED,root_owner=${6:-0:0},lazy_itable_init=0" \
        -O ^has_journal "$1" ||
        fail "mkfs.ext4 $1 failed"
    ext4_dates "$1"
}

# mkfs.ext4 -d (e2fsprogs 1.47.0) copies each file's atime and ctime from
# the build machine, where they are the time of the build; set both to
# SOURCE_DATE_EPOCH in every inode in use (populate_fs allocates them in
# order from 11; 2 is the root directory).
ext4_dates() {
    used=$(dumpe2fs -h "$1" 2>/dev/null |
        awk -F: '/^Inode count/ {c = $2} /^Free inodes/ {f = $2} END {print c - f}')
    [ -n "$used" ] || fail "dumpe2fs $1 failed"
    awk -v n="$used" -v t="@$SOURCE_DATE_EPOCH" 'BEGIN {
        for (i = 2; i <= n + 11; i++) {
            if (i > 2 && i < 11) continue
            print "sif <" i "> atime " t
            print "sif <" i "> ctime " t
        }
    }' >"$out/ext4-dates.cmd"
    debugfs -w -f "$out/ext4-dates.cmd" "$1" >/dev/null 2>&1 ||
        fail "debugfs $1 failed"
    rm -f "$out/ext4-dates.cmd"
    e2fsck -fn "$1" >/dev/null 2>&1 || fail "$1 is inconsistent after dating"
}

# The root is read-only at run time: no journal needed.
rootsize=$(( $(mib "$root") * 115 / 100 + 64 ))

# Data: the kiosk's only writable place, journaled, owned by dauys, 0700.
datadir="$out/data-root"
rm -rf "$datadir"
mkdir -p "$datadir"
chmod 0700 "$datadir"
clamp "$datadir"
rm -f "$out/data.ext4"
truncate -s 128M "$out/data.ext4"
mkfs.ext4 -q -F -L dauys-data -U "$DATA_UUID" -d "$datadir" -m 0 \
    -E "hash_seed=$HASH_SEED,root_owner=$dauys_uid,lazy_itable_init=0,lazy_journal_init=0" \
    "$out/data.ext4" || fail "mkfs.ext4 data failed"
ext4_dates "$out/data.ext4"

# Boot: FAT with the kernel, syslinux (BIOS) and systemd-boot (UEFI).
bootmib=$(( ( $(stat -c %s "$out/boot/vmlinuz") + $(stat -c %s "$out/boot/initrd.img") ) / 1048576 + 16 ))
[ "$bootmib" -ge 64 ] || bootmib=64
mkboot() { # mkboot FILE
    rm -f "$1"
    # mkfs.fat dates the volume label with the clock: give it the date.
    faketime "@$SOURCE_DATE_EPOCH" \
        mkfs.fat -C -F 32 -i "$ESP_ID" -n DAUYS-BOOT -h 2048 "$1" \
        $((bootmib * 1024)) >/dev/null || fail "mkfs.fat failed"
    mmd -i "$1" ::/EFI ::/EFI/BOOT ::/loader ::/loader/entries ::/syslinux
    cfg="$out/bootcfg"
    rm -rf "$cfg"
    mkdir -p "$cfg"
    cat >"$cfg/syslinux.cfg" <<EOC
# No prompt, no escape to a prompt, no edited command line.
DEFAULT dauys
PROMPT 0
TIMEOUT 0
NOESCAPE 1
ALLOWOPTIONS 0
LABEL dauys
    LINUX /vmlinuz
    INITRD /initrd.img
    APPEND $CMDLINE
EOC
    printf 'default dauys.conf\ntimeout 0\neditor no\nauto-entries no\nauto-firmware no\n' \
        >"$cfg/loader.conf"
    printf 'title dauys\nlinux /vmlinuz\ninitrd /initrd.img\noptions %s\n' "$CMDLINE" \
        >"$cfg/dauys.conf"
    cp /usr/lib/systemd/boot/efi/systemd-bootx64.efi "$cfg/BOOTX64.EFI"
    cp "$out/boot/vmlinuz" "$out/boot/initrd.img" "$cfg/"
    clamp "$cfg"
    mcopy -m -i "$1" "$cfg/vmlinuz" "$cfg/initrd.img" ::/
    mcopy -m -i "$1" "$cfg/syslinux.cfg" ::/syslinux/
    mcopy -m -i "$1" "$cfg/BOOTX64.EFI" ::/EFI/BOOT/
    mcopy -m -i "$1" "$cfg/loader.conf" ::/loader/
    mcopy -m -i "$1" "$cfg/dauys.conf" ::/loader/entries/
    # syslinux stamps ldlinux.sys with the clock: give it the date.
    faketime "@$SOURCE_DATE_EPOCH" \
        syslinux --install --directory /syslinux "$1" || fail "syslinux failed"
    rm -rf "$cfg"
}

# --- 4. disks -----------------------------------------------------------
mkdisk() { # mkdisk OUTFILE ROOT_EXT4
    boot_start=2048
    boot_sz=$((bootmib * 2048))
    root_start=$((boot_start + boot_sz))
    root_sz=$(( $(stat -c %s "$2") / 512 ))
    data_start=$((root_start + root_sz))
    data_sz=$(( $(stat -c %s "$out/data.ext4") / 512 ))
    total=$((data_start + data_sz + 2048))
    rm -f "$1.tmp"
    truncate -s $((total * 512)) "$1.tmp"
    sfdisk -q --no-reread --no-tell-kernel "$1.tmp" >/dev/null <<EOC ||
label: dos
label-id: $DISK_ID
unit: sectors

start=$boot_start, size=$boot_sz, type=ef, bootable
start=$root_start, size=$root_sz, type=83
start=$data_start, size=$data_sz, type=83
EOC
        fail "sfdisk failed"
    dd if=/usr/lib/syslinux/mbr/mbr.bin of="$1.tmp" bs=440 count=1 conv=notrunc status=none
    dd if="$out/boot.fat" of="$1.tmp" bs=512 seek=$boot_start conv=notrunc,sparse status=none
    dd if="$2" of="$1.tmp" bs=512 seek=$root_start conv=notrunc,sparse status=none
    dd if="$out/data.ext4" of="$1.tmp" bs=512 seek=$data_start conv=notrunc,sparse status=none
    mv "$1.tmp" "$1"
}

mkboot "$out/boot.fat"

step "dauys.img (production)"
clamp "$root"
mkext4 "$out/root.ext4" "$rootsize" dauys-root "$ROOT_UUID" "$root"
mkdisk "$out/dauys.img" "$out/root.ext4"

step "dauys-test.img (production + test agent, test provisioning key)"
install -m 0644 "$testkey" "$root/etc/dauys/provision.pub"
install -D -m 0755 "$img/test-agent/agent.sh" "$root/usr/lib/dauys-test/agent.sh"
install -D -m 0644 "$img/test-agent/dauys-test-agent.service" \
    "$root/etc/systemd/system/dauys-test-agent.service"
mkdir -p "$root/etc/systemd/system/sysinit.target.wants"
ln -sf ../dauys-test-agent.service \
    "$root/etc/systemd/system/sysinit.target.wants/dauys-test-agent.service"
clamp "$root"
mkext4 "$out/root-test.ext4" "$rootsize" dauys-root "$ROOT_UUID" "$root"
mkdisk "$out/dauys-test.img" "$out/root-test.ext4"
rm -rf "$root/usr/lib/dauys-test" \
    "$root/etc/systemd/system/dauys-test-agent.service" \
    "$root/etc/systemd/system/sysinit.target.wants/dauys-test-agent.service"

rm -f "$out/root.ext4" "$out/root-test.ext4" "$out/boot.fat" "$out/data.ext4"
rm -rf "$datadir" "$root"
(cd "$out" && sha256sum dauys.img dauys-test.img >SHA256SUMS)
step "done: $(cat "$out/SHA256SUMS" | tr '\n' ' ')"
