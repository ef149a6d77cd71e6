#!/usr/bin/env bash
# Runs Lumen's side-by-side benchmarks and writes bench/RESULTS.md:
#   1. the in-process benchmarks of each part of the cost (go test -bench in
#      internal/flush: recording, encoding, flushing per exporter, the whole
#      invocation per configuration),
#   2. the driver, which builds every variant of cmd/ and measures them
#      against the fake Runtime API, the real emulator (when `make tools`
#      installed it), cold starts, package init, binary sizes, payload
#      scaling and profiles.
# Takes about 10 minutes on 2 cores (at most 15). Extra arguments go to the
# driver (e.g. -quick for a few invocations of everything, -rounds, -n).
set -euo pipefail
cd "$(dirname "$0")"

work="$(mktemp -d "${TMPDIR:-/tmp}/lumen-bench-XXXXXX")"
trap 'rm -rf "$work"' EXIT

export LUMEN_TOOLS="${LUMEN_TOOLS:-$(cd .. && pwd)/.tools/bin}"
export CGO_ENABLED=0

benchtime=2000x
count=6
for a in "$@"; do
	if [ "$a" = "-quick" ]; then benchtime=20x; count=1; fi
done

echo "in-process benchmarks (internal/flush)…" >&2
go test -run '^$' -bench . -benchmem -benchtime "$benchtime" -count "$count" ./internal/flush | tee "$work/flush.txt" >&2

go run ./driver -work "$work" -flush "$work/flush.txt" -out RESULTS.md "$@"
