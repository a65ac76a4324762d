#!/bin/sh
# Runs every test suite and ends with one line, `N passed, N failed`,
# summed over all of them (a run in which no test ran shows as such).
#   tests/run.sh [--unit-only|--cli-only] BUILD_DIR [UNIT_TEST_BINARIES...]
# FLATCOST names the binary under test (default: ./flatcost); CLI_SUITES,
# when set, the bats files to run instead of all of tests/cli/*.bats.
mode=all
case "$1" in --unit-only) mode=unit; shift;; --cli-only) mode=cli; shift;; esac
build=$1; shift
: "${FLATCOST:=$(pwd)/flatcost}"
export FLATCOST
passed=0 failed=0 skipped=0
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT

if [ "$mode" != cli ]; then
	for t in "$@"; do
		name=$(basename "$t")
		"$t" >"$log" 2>&1
		rc=$?
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
		p=${p:-0} f=${f:-0}
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1   # crashed, or failed outside a test
		fi
		if [ "$f" -ne 0 ]; then
			cat "$log"
		fi
		echo "unit $name: $p passed, $f failed"
		passed=$((passed + p)) failed=$((failed + f))
	done
fi

if [ "$mode" != unit ]; then
	for b in ${CLI_SUITES:-tests/cli/*.bats}; do
		[ -f "$b" ] || continue
		bats --tap "$b" >"$log" 2>&1
		rc=$?
		p=$(grep -c '^ok ' "$log")
		s=$(grep -c '^ok .* # skip' "$log")
		f=$(grep -c '^not ok ' "$log")
		p=$((p - s))
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
		fi
		if [ "$f" -ne 0 ]; then
			grep -v '^ok ' "$log"
		fi
		echo "cli $(basename "$b"): $p passed, $f failed, $s skipped"
		passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	done
fi

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
