#!/bin/sh
# Installs the Debian packages dauys needs to build, run and test, and only
# those that are missing. Silent and fast (one dpkg-query) when everything is
# present; uses sudo when not run as root. The list is the single place where
# the project's system dependencies are named. `deps.sh image` adds what
# `make deb`, `make image` and `make image-test` need (docs/appliance.md).
set -eu

PACKAGES="
build-essential pkg-config gettext
libncurses-dev libsodium-dev libjansson-dev libinih-dev libcairo2-dev
libqrencode-dev libsqlite3-dev libespeak-ng-dev espeak-ng-data espeak-ng
libasound2-dev liblouis-dev liblouis-data
libinput-dev libudev-dev libcmocka-dev zlib1g-dev
libbrlapi-dev brltty liblouis-dev liblouis-data python3
clang libclang-rt-14-dev
tmux sox zbar-tools poppler-utils man-db sqlite3
postgresql libpq-dev openssl
console-setup-linux fonts-terminus fonts-dejavu-core
"
IMAGE_PACKAGES="
dpkg-dev debhelper fakeroot mmdebstrap e2fsprogs dosfstools mtools fdisk
syslinux syslinux-common systemd-boot-efi ovmf qemu-system-x86 python3
faketime
"
[ "${1:-}" = image ] && PACKAGES="$PACKAGES $IMAGE_PACKAGES"

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "dauys: installing missing Debian packages:$missing" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || {
        echo "dauys: need root or sudo to install:$missing" >&2
        exit 3
    }
    SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has empty package lists; update once, then install.
if ! $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
