#!/usr/bin/env bash
# Runs examples/hello under the real AWS Lambda Runtime Interface Emulator
# (classic mode, unprivileged, 127.0.0.1 only) and invokes it a few times,
# printing each request and answer. Everything it starts is stopped on exit,
# on failure and on Ctrl-C.
#
# Usage: bash scripts/demo.sh        (or: make demo)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${REPO_ROOT}/.build/hello"
LOG="${BUILD_DIR}/rie.log"
TOOLS_BIN="${LUMEN_TOOLS:-${REPO_ROOT}/.tools/bin}"

if [[ -t 1 ]]; then
	say() { printf '\033[1m%s\033[0m\n' "$*"; }
else
	say() { printf '%s\n' "$*"; }
fi
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

rie_pid=""
cleanup() {
	local status=$?
	trap - EXIT INT TERM
	if [[ -n "${rie_pid}" ]] && kill -0 "${rie_pid}" 2>/dev/null; then
		# The emulator stops the function's process when it shuts down.
		kill -TERM "${rie_pid}" 2>/dev/null || true
		wait "${rie_pid}" 2>/dev/null || true
		say "emulator stopped"
	fi
	exit "${status}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools -----------------------------------------------------------------
RIE="${TOOLS_BIN}/aws-lambda-rie"
if [[ ! -x "${RIE}" ]]; then
	RIE="$(command -v aws-lambda-rie || true)"
fi
[[ -n "${RIE}" && -x "${RIE}" ]] || die "aws-lambda-rie is not installed; run: make tools-demo"
command -v curl >/dev/null || die "curl is needed"
command -v go >/dev/null || die "go is needed"
have_jq=false
command -v jq >/dev/null && have_jq=true

# --- build -----------------------------------------------------------------
mkdir -p "${BUILD_DIR}"
say "building examples/hello as ${BUILD_DIR#"${REPO_ROOT}"/}/bootstrap"
# examples/ is a Go module of its own (its replace directive points at this
# repository), built from its folder.
(cd "${REPO_ROOT}/examples" && CGO_ENABLED=0 go build -trimpath -o "${BUILD_DIR}/bootstrap" ./hello)

# --- start the emulator on free loopback ports --------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
random_free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		port_free "${p}" && { echo "${p}"; return; }
	done
}

started=false
for attempt in 1 2 3 4 5; do
	invoke_port="$(random_free_port)"
	api_port="$(random_free_port)"
	[[ "${invoke_port}" != "${api_port}" ]] || continue
	# Classic mode: AWS_LAMBDA_MAX_CONCURRENCY must be unset, or the
	# emulator switches to its managed-instances mode (root only).
	metrics_port="$(random_free_port)"
	# Telemetry for a local run: trace trees on the console, JSON logs (as
	# with Lambda's JSON log format), metrics on a local /metrics endpoint.
	env -u AWS_LAMBDA_MAX_CONCURRENCY -u AWS_LAMBDA_RUNTIME_API \
		AWS_LAMBDA_FUNCTION_NAME=hello AWS_LAMBDA_FUNCTION_TIMEOUT=10 \
		OTEL_TRACES_EXPORTER=console AWS_LAMBDA_LOG_FORMAT=JSON \
		LUMEN_METRICS_EXPORTER=prometheus LUMEN_METRICS_ADDR="127.0.0.1:${metrics_port}" \
		"${RIE}" --runtime-interface-emulator-address "127.0.0.1:${invoke_port}" \
		--runtime-api-address "127.0.0.1:${api_port}" \
		"${BUILD_DIR}/bootstrap" >"${LOG}" 2>&1 &
	rie_pid=$!
	# Poll until it listens (any HTTP answer), or it exits (port taken).
	for _ in $(seq 1 250); do
		if ! kill -0 "${rie_pid}" 2>/dev/null; then break; fi
		if curl -s -o /dev/null "http://127.0.0.1:${invoke_port}/"; then
			started=true
			break
		fi
		sleep 0.02
	done
	${started} && break
	kill -TERM "${rie_pid}" 2>/dev/null || true
	wait "${rie_pid}" 2>/dev/null || true
	rie_pid=""
	say "emulator did not start (attempt ${attempt}); retrying on other ports"
done
${started} || { cat "${LOG}" >&2; die "the emulator did not start"; }
URL="http://127.0.0.1:${invoke_port}/2015-03-31/functions/function/invocations"
say "emulator (classic mode) listening on 127.0.0.1:${invoke_port}, Runtime API on 127.0.0.1:${api_port} (pid ${rie_pid})"
echo

# --- invoke ------------------------------------------------------------------
pretty() { if ${have_jq} && jq . >/dev/null 2>&1 <<<"$1"; then jq . <<<"$1"; else printf '%s\n' "$1"; fi; }

n=0
invoke() {
	local payload="$1" out status body
	n=$((n + 1))
	say "── invocation ${n} ──────────────────────────────────────────"
	printf '→ POST /2015-03-31/functions/function/invocations\n'
	pretty "${payload}" | sed 's/^/  /'
	out="$(curl -s -X POST -H 'Content-Type: application/json' --data-binary "${payload}" \
		-w $'\n%{http_code}' "${URL}")" || die "invoke failed; emulator log: ${LOG}"
	status="${out##*$'\n'}"
	body="${out%$'\n'*}"
	if [[ "${body}" == *'"errorType"'* ]]; then
		# The emulator answers function errors with HTTP 200 and no
		# X-Amz-Function-Error header: the error document is the only sign.
		printf '← HTTP %s (function error)\n' "${status}"
	else
		printf '← HTTP %s\n' "${status}"
	fi
	pretty "${body}" | sed 's/^/  /'
	echo
}

invoke '{"name":"Ada"}'
invoke '{"name":"Grace"}'
invoke '{"name":""}'
invoke '{"name":42}'
invoke '{"name":"Linus"}'

say "── traces: one tree per invocation, with its phases (console exporter) ──"
grep -E '^(trace |[├└│ ]+─)' "${LOG}" | sed 's/^/  /' || true
echo
say "── logs: JSON lines correlated with the request and the trace ───────"
grep -E '^\{"timestamp"' "${LOG}" | while IFS= read -r line; do
	if ${have_jq}; then
		jq -c '{level, message, requestId, trace_id, span_id, cold_start, errorType}' <<<"${line}" 2>/dev/null || printf '%s\n' "${line}"
	else
		printf '%s\n' "${line}"
	fi
done | sed 's/^/  /'
echo
say "── metrics: http://127.0.0.1:${metrics_port}/metrics (faas_* series) ──"
curl -s "http://127.0.0.1:${metrics_port}/metrics" | grep -E '^faas_(invocations|errors|coldstarts|timeouts)_total|^faas_invoke_duration_seconds_(count|sum)|^faas_phase_duration_seconds_count' | sed 's/^/  /' || true
echo
say "── emulator log: one START/END/REPORT per invocation ─────────────"
grep -E '^(START|END|REPORT)' "${LOG}" | sed 's/^/  /' || true
echo
say "full emulator log: ${LOG#"${REPO_ROOT}"/}"
say "In Lambda, the same function sends spans to X-Ray (active tracing) or OTLP, metrics as EMF to CloudWatch, logs to CloudWatch Logs."
