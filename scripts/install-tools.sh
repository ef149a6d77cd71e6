#!/usr/bin/env bash
# Installs the project's pinned developer tools into $LUMEN_TOOLS (default
# <repo>/.tools/bin): only the ones named, so that `make demo` installs the
# emulator alone and `make test` everything.
#
# Idempotent: a tool is skipped when its binary already exists and `go version -m`
# reports the pinned module version. To add a tool, write one install_<name>
# function that calls install_go_tool and list it in main.
#
# Usage: bash scripts/install-tools.sh [rie] [collector] [prometheus]   (default: all)
#   rie         the AWS Lambda Runtime Interface Emulator (make demo, make test)
#   collector   an OpenTelemetry Collector built with the builder (make test)
#   prometheus  Debian's prometheus and prometheus-pushgateway (make test)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_BIN="${LUMEN_TOOLS:-${REPO_ROOT}/.tools/bin}"

log() { printf 'install-tools: %s\n' "$*" >&2; }

# installed_version BINARY MODULE prints the version of MODULE that BINARY was
# built from (the "mod" line of `go version -m`), or nothing.
installed_version() {
	local bin="$1" module="$2"
	[[ -x "${bin}" ]] || return 0
	go version -m "${bin}" 2>/dev/null |
		awk -v m="${module}" '$1 == "mod" && $2 == m { print $3 }'
}

# install_go_tool NAME MODULE PACKAGE VERSION installs PACKAGE@VERSION as
# ${TOOLS_BIN}/NAME unless that binary already reports MODULE at VERSION.
install_go_tool() {
	local name="$1" module="$2" package="$3" version="$4"
	local bin="${TOOLS_BIN}/${name}"
	local have
	have="$(installed_version "${bin}" "${module}")"
	if [[ "${have}" == "${version}" ]]; then
		log "${name} ${version} already installed"
		return 0
	fi
	log "installing ${name} ${version} (found: ${have:-none})"
	mkdir -p "${TOOLS_BIN}"
	# Run outside the repository so the project's go.mod is neither read nor changed.
	(cd / && GOBIN="${TOOLS_BIN}" go install "${package}@${version}")
	have="$(installed_version "${bin}" "${module}")"
	if [[ "${have}" != "${version}" ]]; then
		log "${name}: expected ${module} ${version}, binary reports '${have}'"
		return 1
	fi
	log "${name} ${version} installed at ${bin}"
}

# install_rie installs the AWS Lambda Runtime Interface Emulator used by the integration tests.
install_rie() {
	install_go_tool aws-lambda-rie \
		github.com/aws/aws-lambda-runtime-interface-emulator \
		github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie \
		v0.0.0-20261030222936-bef5c4ba774d
}

# install_collector builds an OpenTelemetry Collector (core components, see
# tools/otelcol/builder-config.yaml) with the official builder.
install_collector() {
	local version=v0.165.0
	install_go_tool builder go.opentelemetry.io/collector/cmd/builder \
		go.opentelemetry.io/collector/cmd/builder "${version}"
	local bin="${TOOLS_BIN}/otelcol-lumen" config="${REPO_ROOT}/tools/otelcol/builder-config.yaml"
	local stamp="${TOOLS_BIN}/.otelcol-lumen.sha256"
	local want
	want="$(sha256sum "${config}" | cut -d' ' -f1)"
	if [[ -x "${bin}" && -f "${stamp}" && "$(cat "${stamp}")" == "${want}" ]]; then
		log "otelcol-lumen already built from ${config}"
		return 0
	fi
	log "building otelcol-lumen with builder ${version}"
	local work
	work="$(mktemp -d)"
	cp "${config}" "${work}/builder-config.yaml"
	(cd "${work}" && "${TOOLS_BIN}/builder" --config builder-config.yaml >"${work}/build.log" 2>&1) || {
		tail -n 40 "${work}/build.log" >&2
		rm -rf "${work}"
		return 1
	}
	mv "${work}/otelcol-lumen-build/otelcol-lumen" "${bin}"
	echo "${want}" >"${stamp}"
	rm -rf "${work}"
	log "otelcol-lumen installed at ${bin}"
}

# install_prometheus installs Debian's prometheus (with promtool) and
# prometheus-pushgateway when they are missing. Their services are not started.
install_prometheus() {
	if command -v prometheus >/dev/null && command -v promtool >/dev/null &&
		command -v prometheus-pushgateway >/dev/null; then
		log "prometheus and prometheus-pushgateway already installed"
		return 0
	fi
	local sudo=""
	if [[ "$(id -u)" != 0 ]]; then
		command -v sudo >/dev/null || { log "installing prometheus needs root or sudo"; return 1; }
		sudo="sudo"
	fi
	log "installing Debian packages prometheus and prometheus-pushgateway"
	${sudo} apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive ${sudo} apt-get install -y -qq --no-install-recommends \
		prometheus prometheus-pushgateway >&2
}

main() {
	command -v go >/dev/null || { log "go is not on PATH"; exit 1; }
	local what=("$@")
	[[ ${#what[@]} -gt 0 ]] || what=(rie collector prometheus)
	for w in "${what[@]}"; do
		case "${w}" in
		rie | collector | prometheus) "install_${w}" ;;
		*) log "unknown tool '${w}' (known: rie collector prometheus)"; exit 2 ;;
		esac
	done
}

main "$@"
