#!/usr/bin/env bash
# Installs the project's pinned developer tools into <repo>/.tools/bin.
#
# Idempotent: a tool is skipped when its binary already exists and `go version -m`
# reports the pinned module version. To add a tool, write one install_<name>
# function that calls install_go_tool and list it in main.
#
# Usage: bash scripts/install-tools.sh
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_BIN="${REPO_ROOT}/.tools/bin"

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

# install_rie installs the AWS Lambda Runtime Interface Emulator used by internal/rie.
install_rie() {
	install_go_tool aws-lambda-rie \
		github.com/aws/aws-lambda-runtime-interface-emulator \
		github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie \
		v0.0.0-20261030222936-bef5c4ba774d
}

main() {
	command -v go >/dev/null || { log "go is not on PATH"; exit 1; }
	install_rie
}

main "$@"
