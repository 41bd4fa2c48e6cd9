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
"$build/bench/speech_bench"
"$build/bench/kiosk_bench" "$build/dauys"
"$build/bench/services_bench"
sh tests/bench/central_bench.sh "$build"
