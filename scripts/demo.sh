#!/usr/bin/env bash
# Runs examples/hello under the real AWS Lambda Runtime Interface Emulator
# (127.0.0.1 only) and invokes it a few times, printing each request and
# answer, then the telemetry the invocations produced. Everything it starts
# is stopped on exit, on failure and on Ctrl-C.
#
# As root, the emulator runs in its managed-instances mode (in a private
# mount namespace that vanishes with it, as the integration tests run it),
# which serves a real Lambda Telemetry API: the function runs with
# LUMEN_PLATFORM_TELEMETRY=true and the demo shows Lambda's own report of
# each invocation as faas_* platform metrics. Otherwise it runs in classic
# mode, unprivileged, whose Telemetry API is a stub, and says so.
#
# Usage: bash scripts/demo.sh        (or: make demo)
#        LUMEN_DEMO_MODE=classic bash scripts/demo.sh   (classic mode even as root)
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

# --- mode ------------------------------------------------------------------
# why_classic says why the demo runs in classic mode, where Lambda's own
# report of an invocation (the Telemetry API) is not available.
mode="${LUMEN_DEMO_MODE:-auto}"
why_classic=""
case "${mode}" in
auto)
	if [[ "$(id -u)" -ne 0 ]]; then
		why_classic="the demo does not run as root, which managed-instances mode needs"
	elif ! command -v unshare >/dev/null; then
		why_classic="unshare (util-linux), which managed-instances mode needs, is not installed"
	else
		mode=managed
	fi
	;;
classic) why_classic="LUMEN_DEMO_MODE=classic asks for it" ;;
managed) ;;
*) die "LUMEN_DEMO_MODE must be auto, classic or managed, not ${mode}" ;;
esac
[[ "${mode}" == managed ]] || mode=classic
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

# managed_script runs inside a private mount namespace: a tmpfs on /var
# hides the host's /var from this process tree only, and the bootstrap is
# bind-mounted at the one path managed-instances mode executes.
# shellcheck disable=SC2016 # expanded by the inner shell
managed_script='set -eu
boot="$1"; rie="$2"; shift 2
mount -t tmpfs -o mode=0755,size=16m lumen-demo /var
mkdir -p /var/task /var/runtime
: > /var/task/bootstrap
mount --bind "$boot" /var/task/bootstrap
cd /var/task
exec "$rie" "$@"'

# start_emulator starts the emulator in ${mode} on the given ports, in the
# background, with telemetry for a local run: trace trees on the console,
# JSON logs (as with Lambda's JSON log format), metrics on a local /metrics
# endpoint; in managed-instances mode also Lambda's platform telemetry, and
# the metrics on the console at every flush (the last at SIGTERM, after
# Lambda's report of the last invocation).
start_emulator() {
	local invoke_port="$1" api_port="$2" metrics_port="$3"
	local flags=(--runtime-interface-emulator-address "127.0.0.1:${invoke_port}" --runtime-api-address "127.0.0.1:${api_port}")
	local common=(AWS_LAMBDA_FUNCTION_NAME=hello AWS_LAMBDA_FUNCTION_TIMEOUT=10
		OTEL_TRACES_EXPORTER=console AWS_LAMBDA_LOG_FORMAT=JSON LUMEN_METRICS_ADDR="127.0.0.1:${metrics_port}")
	if [[ "${mode}" == managed ]]; then
		# AWS_LAMBDA_MAX_CONCURRENCY selects managed-instances mode.
		env -u AWS_LAMBDA_RUNTIME_API "${common[@]}" AWS_LAMBDA_MAX_CONCURRENCY=1 \
			LUMEN_PLATFORM_TELEMETRY=true LUMEN_METRICS_EXPORTER=prometheus,console \
			unshare -m --propagation private sh -c "${managed_script}" sh "${BUILD_DIR}/bootstrap" "${RIE}" "${flags[@]}" \
			>"${LOG}" 2>&1 &
	else
		# Classic mode: AWS_LAMBDA_MAX_CONCURRENCY must be unset, or the
		# emulator switches to its managed-instances mode (root only).
		env -u AWS_LAMBDA_MAX_CONCURRENCY -u AWS_LAMBDA_RUNTIME_API "${common[@]}" LUMEN_METRICS_EXPORTER=prometheus \
			"${RIE}" "${flags[@]}" "${BUILD_DIR}/bootstrap" >"${LOG}" 2>&1 &
	fi
	rie_pid=$!
}

started=false
for attempt in 1 2 3 4 5; do
	invoke_port="$(random_free_port)"
	api_port="$(random_free_port)"
	[[ "${invoke_port}" != "${api_port}" ]] || continue
	metrics_port="$(random_free_port)"
	start_emulator "${invoke_port}" "${api_port}" "${metrics_port}"
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
	if [[ "${mode}" == managed ]] && grep -qE 'not permitted|unshare failed|mount:' "${LOG}"; then
		why_classic="managed-instances mode could not start ($(grep -m1 -E 'not permitted|unshare failed|mount:' "${LOG}"))"
		mode=classic
		say "managed-instances mode could not start; running in classic mode"
		continue
	fi
	say "emulator did not start (attempt ${attempt}); retrying on other ports"
done
${started} || { cat "${LOG}" >&2; die "the emulator did not start"; }
URL="http://127.0.0.1:${invoke_port}/2015-03-31/functions/function/invocations"
mode_name="classic mode"
[[ "${mode}" == managed ]] && mode_name="managed-instances mode, Telemetry API on"
say "emulator (${mode_name}) listening on 127.0.0.1:${invoke_port}, Runtime API on 127.0.0.1:${api_port} (pid ${rie_pid})"
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
	# Managed-instances mode answers 400 Runtime.Unavailable until the
	# runtime waits for an event again (it flushes first): send it again.
	for _ in $(seq 1 500); do
		out="$(curl -s -X POST -H 'Content-Type: application/json' --data-binary "${payload}" \
			-w $'\n%{http_code}' "${URL}")" || die "invoke failed; emulator log: ${LOG}"
		status="${out##*$'\n'}"
		body="${out%$'\n'*}"
		[[ "${status}" == 400 && "${body}" == *Runtime.Unavailable* ]] || break
		sleep 0.01
	done
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

# Scrape the runtime's /metrics now: the process ends with the emulator.
scraped="$(curl -s "http://127.0.0.1:${metrics_port}/metrics" || true)"
if [[ "${mode}" == managed ]]; then
	# Lambda reports an invocation after it: the report of the last one
	# leaves with the runtime's final flush, at SIGTERM.
	kill -TERM "${rie_pid}" 2>/dev/null || true
	wait "${rie_pid}" 2>/dev/null || true
	rie_pid=""
	say "emulator stopped: SIGTERM made the runtime flush Lambda's report of the last invocation"
	echo
fi

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
grep -E '^faas_(invocations|errors|coldstarts|timeouts)_total|^faas_invoke_duration_seconds_(count|sum)|^faas_phase_duration_seconds_count' <<<"${scraped}" | sed 's/^/  /' || true
echo
say "── platform metrics: what Lambda itself reported of each invocation ──"
if [[ "${mode}" == managed ]]; then
	# The last values the console exporter wrote: those of the final flush.
	grep -E '^faas_(invocation_status_total|(platform_duration|response_latency|response_duration|billed_duration|platform_init_duration)_seconds_(count|sum)|mem_usage_bytes_(count|sum)|billed_gb_seconds_total|estimated_cost_usd_total)[{ ]' "${LOG}" |
		awk '{ key = $0; sub(/ [^ ]+$/, "", key); last[key] = $0 } END { for (k in last) print last[k] }' | sort | sed 's/^/  /' || true
	echo "  (managed-instances reports carry the duration and the status; Lambda's other functions also report memory and billed duration: faas_mem_usage_bytes, faas_billed_gb_seconds_total, faas_estimated_cost_usd_total)"
	echo "  (no cold start is counted: Lambda Managed Instances initialise an environment ahead of its invocations, AWS_LAMBDA_INITIALIZATION_TYPE=lambda-managed-instances, as provisioned concurrency does; LUMEN_DEMO_MODE=classic shows an on-demand cold start)"
else
	root_hint=""
	[[ "$(id -u)" -eq 0 ]] || root_hint="; as root (sudo make demo) it runs in managed-instances mode, with LUMEN_PLATFORM_TELEMETRY=true"
	echo "  none: the emulator runs in classic mode, whose Telemetry API only answers Telemetry.NotSupported, because ${why_classic}${root_hint}"
fi
echo
say "── emulator log: one START/END/REPORT per invocation ─────────────"
grep -E '^(START|END|REPORT)' "${LOG}" | sed 's/^/  /' || true
echo
say "full emulator log: ${LOG#"${REPO_ROOT}"/}"
say "In Lambda, the same function sends spans to X-Ray (active tracing) or OTLP, metrics as EMF to CloudWatch, logs to CloudWatch Logs."
