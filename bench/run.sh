#!/usr/bin/env bash
# Runs Lumen's side-by-side benchmarks and writes bench/RESULTS.md:
#   1. the exporter flush benchmarks (go test -bench in internal/flush),
#   2. the driver, which builds every variant of cmd/ and measures them
#      against the fake Runtime API, the real emulator (when `make tools`
#      installed it), cold starts, binary sizes, payload scaling and profiles.
# Takes about 6 minutes on 2 cores (at most 10). Extra arguments go to the driver
# (e.g. -quick for a few invocations of everything, -rounds, -n).
set -euo pipefail
cd "$(dirname "$0")"

work="$(mktemp -d "${TMPDIR:-/tmp}/lumen-bench-XXXXXX")"
trap 'rm -rf "$work"' EXIT

export LUMEN_TOOLS="${LUMEN_TOOLS:-$(cd .. && pwd)/.tools/bin}"
export CGO_ENABLED=0

benchtime=1s
count=5
for a in "$@"; do
	if [ "$a" = "-quick" ]; then benchtime=20x; count=1; fi
done

echo "flush benchmarks…" >&2
go test -run '^$' -bench . -benchmem -benchtime "$benchtime" -count "$count" ./internal/flush | tee "$work/flush.txt" >&2

go run ./driver -work "$work" -flush "$work/flush.txt" -out RESULTS.md "$@"
