#!/bin/sh
# Runs every test suite and ends with one line, `N passed, N failed`,
# summed over all of them (a run in which no test ran shows as such).
#   tests/run.sh [--unit-only|--cli-only] BUILD_DIR [UNIT_TEST_BINARIES...]
# FLATCOST names the binary under test (default: ./flatcost); CLI_SUITES,
# when set, the bats files to run instead of all of tests/cli/*.bats;
# CLI_JOBS, how many suites run at once (default 1); with more than one,
# the suites that time a live server or signals (CLI_ALONE, default
# bench.bats, bench_load.bats and hardening.bats) still run alone, after
# the others.
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

# suite B: bats runs the suite B into $runs/NAME.log and its status into
# $runs/NAME.rc.
suite() {
	n=$(basename "$1")
	bats --tap "$1" >"$runs/$n.log" 2>&1
	echo $? >"$runs/$n.rc"
}

# count B: adds suite B's counts (from its log) to the totals, printing its
# line and, when a test failed, what it said.
count() {
	n=$(basename "$1")
	cp "$runs/$n.log" "$log"
	rc=$(cat "$runs/$n.rc")
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
	echo "cli $n: $p passed, $f failed, $s skipped"
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

if [ "$mode" != unit ]; then
	runs=$(mktemp -d) || exit 1
	trap 'rm -f "$log"; rm -rf "$runs"' EXIT
	export runs
	alone=" ${CLI_ALONE-bench.bats bench_load.bats hardening.bats} "
	if [ "${CLI_JOBS:-1}" -gt 1 ]; then
		# that many suites at once, counted in order after
		for b in ${CLI_SUITES:-tests/cli/*.bats}; do
			case "$alone" in *" $(basename "$b") "*) continue;; esac
			[ -f "$b" ] && printf '%s\n' "$b"
		done | xargs -P "$CLI_JOBS" -I{} sh -c \
		    'n=$(basename "$1"); bats --tap "$1" >"$runs/$n.log" 2>&1; echo $? >"$runs/$n.rc"' \
		    sh {}
		for b in ${CLI_SUITES:-tests/cli/*.bats}; do
			case "$alone" in *" $(basename "$b") "*) [ -f "$b" ] && suite "$b";; esac
		done
	fi
	for b in ${CLI_SUITES:-tests/cli/*.bats}; do
		[ -f "$b" ] || continue
		[ "${CLI_JOBS:-1}" -gt 1 ] || suite "$b"
		count "$b"
	done
fi

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
