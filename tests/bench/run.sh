#!/bin/sh
# Builds and runs every benchmark; each prints `BENCH <name> <value> <unit>`
# lines (specs/cli.md). $1 is the build folder (absolute, as `make bench`
# gives it). Add a line below for every new benchmark.
set -eu
build=${1:?usage: run.sh BUILD_DIR}
cd "$(dirname "$0")/../.."
make -s --no-print-directory -f tests/bench/bench.mk BUILD="$build" >&2

"$build/bench/package_bench"
"$build/bench/stencil_bench"
# The kiosk's key-to-audio (through the real binary) is printed beside the
# queue-level figure, key_to_audio_p99 of speech_bench.
kiosk=$("$build/bench/kiosk_bench" "$build/dauys" key-to-audio)
"$build/bench/speech_bench" >"$build/bench/speech.out"
awk -v k="$kiosk" '{ print } /^BENCH key_to_audio_p99 / { print k }' \
    "$build/bench/speech.out"
"$build/bench/kiosk_bench" "$build/dauys"
"$build/bench/services_bench"
sh tests/bench/central_bench.sh "$build"
