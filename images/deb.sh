#!/bin/sh
# Builds the dauys Debian package from this tree: copies the files git
# knows (tracked and untracked, not ignored) into OUT/src/dauys-VERSION so
# that dpkg-buildpackage, which writes its results next to the source
# directory, never litters the tree or its parent, builds a binary package
# there and moves the results into OUT. SOURCE_DATE_EPOCH, when unset, is the changelog's date, so two
# builds of the same tree give the same .deb.
#
# usage: images/deb.sh OUT       result: OUT/dauys_VERSION_ARCH.deb
set -eu

out=${1:?usage: images/deb.sh OUT}
top=$(cd "$(dirname "$0")/.." && pwd)
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
mkdir -p "$out"
out=$(cd "$out" && pwd)
src="$out/src/dauys-$version"
rm -rf "$out/src" "$out"/dauys_* "$out"/dauys-dbgsym_*
mkdir -p "$src"
cd "$top"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z -c -o --exclude-standard | xargs -0 sh -c '
        for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
        tar --null -T - -cf - | tar -C "$src" -xf -
else
    tar --exclude=./build --exclude='./build-*' -cf - . | tar -C "$src" -xf -
fi
cd "$src"
echo "  DEB     $out/dauys_${version}_$(dpkg-architecture -qDEB_HOST_ARCH).deb"
if ! dpkg-buildpackage -b -uc -us >"$out/build.log" 2>&1; then
    tail -n 40 "$out/build.log" >&2
    echo "dauys: the package build failed; the whole log is $out/build.log" >&2
    exit 1
fi
mv "$out/src"/dauys_* "$out"/
rm -rf "$out/src"
