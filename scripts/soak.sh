#!/usr/bin/env bash
# The soak and the long fault matrix: `make soak`.
#
#   scripts/soak.sh [INVOCATIONS]
#
# Sends INVOCATIONS invocations (default 50000) through the real Lambda
# Runtime Interface Emulator to each of two functions at once, 100,000 in
# all by default: one exporting traces, metrics and logs over OTLP to a real
# OpenTelemetry Collector, one with Lambda's defaults (spans to the X-Ray
# daemon, EMF metrics and logs on stdout). The test (TestSoak in
# internal/faulte2e) asserts that goroutines, heap and resident memory, read
# from the function's own metrics, stay flat (the bounds are documented
# there), and that with healthy backends nothing is dropped: every span, log
# line and invocation count arrives. Then it runs the whole fault matrix
# twice more, under the default flush strategy (adaptive) and with a flush
# after every invocation (LUMEN_FLUSH_STRATEGY=end), with its measurements
# printed (median latency healthy and faulty, recovery time, SIGTERM exit
# times).
#
# About five minutes for the soak and two for each matrix on a busy 2-core
# machine; `go test -timeout` bounds them at 15, 10 and 10 minutes. It needs the
# tools `make tools` installs; a missing one fails it (CI=true).
set -euo pipefail

INVOCATIONS="${1:-${LUMEN_SOAK_INVOCATIONS:-50000}}"
GO="${GO:-go}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "== soak: ${INVOCATIONS} invocations per function"
LUMEN_SOAK=1 LUMEN_SOAK_INVOCATIONS="$INVOCATIONS" CI="${CI:-true}" \
	"$GO" test -count=1 -timeout 15m -run '^TestSoak$' -v ./internal/faulte2e/

echo "== the fault matrix, measured under the default flush strategy (the tables come last)"
CI="${CI:-true}" "$GO" test -count=1 -timeout 10m -v ./internal/faulte2e/

echo "== the fault matrix, measured with LUMEN_FLUSH_STRATEGY=end (a flush after every invocation)"
FAULTE2E_FLUSH_STRATEGY=end CI="${CI:-true}" "$GO" test -count=1 -timeout 10m -v ./internal/faulte2e/
