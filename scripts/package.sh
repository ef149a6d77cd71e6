#!/usr/bin/env bash
# Builds the function deploy/template.yaml deploys as Lambda deployment
# packages for the provided.al2023 runtime, one per architecture:
#
#   .build/package/arm64/bootstrap.zip    (Architectures: [arm64])
#   .build/package/x86_64/bootstrap.zip   (Architectures: [x86_64])
#
# The main package is the template's Metadata "LumenPackage" (a package of
# the examples module), built the way Lambda wants it: a static binary named
# bootstrap, without aws-lambda-go's RPC mode (-tags lambda.norpc), trimmed
# paths and no symbol tables.
#
# Usage: bash scripts/package.sh [OUT_DIR]   (or: make package)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-${REPO_ROOT}/.build/package}"
TEMPLATE="${REPO_ROOT}/deploy/template.yaml"

command -v go >/dev/null || { echo "package: go is needed" >&2; exit 1; }
pkg="$(sed -n 's/^[[:space:]]*LumenPackage:[[:space:]]*\([^[:space:]#]*\).*/\1/p' "${TEMPLATE}" | sort -u)"
[[ -n "${pkg}" && "$(wc -l <<<"${pkg}")" == 1 ]] ||
	{ echo "package: want one LumenPackage in ${TEMPLATE}, found: ${pkg:-none}" >&2; exit 1; }

mkdir -p "${OUT}"
OUT="$(cd "${OUT}" && pwd)"
for arch in arm64 x86_64; do
	case "${arch}" in
	arm64) goarch=arm64 ;;
	x86_64) goarch=amd64 ;;
	esac
	mkdir -p "${OUT}/${arch}"
	(cd "${REPO_ROOT}/examples" && CGO_ENABLED=0 GOOS=linux GOARCH="${goarch}" \
		go build -trimpath -ldflags='-s -w' -tags lambda.norpc -o "${OUT}/${arch}/bootstrap" "${pkg}")
	(cd "${REPO_ROOT}" && go run scripts/zipbootstrap.go "${OUT}/${arch}/bootstrap.zip" "${OUT}/${arch}/bootstrap")
	rm "${OUT}/${arch}/bootstrap"
	printf 'package: %s (%s) -> %s\n' "${pkg}" "${arch}" "${OUT}/${arch}/bootstrap.zip"
done
