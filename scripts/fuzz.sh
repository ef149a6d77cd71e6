#!/usr/bin/env bash
# Runs every fuzz target in the repository for FUZZTIME each: `make fuzz`.
#
#   scripts/fuzz.sh [FUZZTIME] [DIR...]
#
# FUZZTIME is a go test -fuzztime value (default 20s). Without DIRs every
# folder whose tests declare a Fuzz function is searched (nested modules
# included); the targets themselves are listed by `go test -list '^Fuzz'`.
# All targets run even when one fails; the exit status is non-zero if any
# did. A failing input is kept under the package's testdata/fuzz/ folder,
# where it becomes a regression seed for `go test`.
set -euo pipefail

FUZZTIME="${1:-20s}"
shift || true
GO="${GO:-go}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "$#" -gt 0 ]; then
	dirs=("$@")
else
	mapfile -t dirs < <(grep -rlE --include='*_test.go' \
		--exclude-dir=.git --exclude-dir=.tools --exclude-dir=.build --exclude-dir=testdata --exclude-dir=vendor \
		'^func Fuzz[A-Z0-9_]' . | xargs -r -n1 dirname | sort -u)
fi
if [ "${#dirs[@]}" -eq 0 ]; then
	echo "fuzz: no fuzz targets found" >&2
	exit 1
fi

ran=0
failed=()
for dir in "${dirs[@]}"; do
	mapfile -t targets < <(cd "$dir" && "$GO" test -list '^Fuzz' . | grep -E '^Fuzz' || true)
	for target in "${targets[@]}"; do
		echo "== fuzz ${dir#./} ${target} for ${FUZZTIME}"
		ran=$((ran + 1))
		if ! (cd "$dir" && "$GO" test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" .); then
			failed+=("${dir#./} ${target}")
		fi
	done
done

echo "fuzz: ran ${ran} targets for ${FUZZTIME} each"
if [ "${#failed[@]}" -gt 0 ]; then
	printf 'fuzz: FAILED %s\n' "${failed[@]}" >&2
	exit 1
fi
