#!/bin/sh
# Runs the libFuzzer targets built by `make fuzz-build` (build-fuzz/fuzz/).
#
#   scripts/fuzz.sh [-t SECONDS] [-j JOBS] [BUILD_DIR] [TARGET...]
#
# For each target (all of them by default; TARGET is a name such as
# scenario or fuzz_scenario): first the regression inputs in
# tests/fuzz/regress/<name>/ are replayed (each once: every crash the
# fuzzers ever found stays fixed), then, when SECONDS > 0, the target
# fuzzes for SECONDS seconds from its seeds (tests/fuzz/corpus/<name>/ and
# the test and scenario files named below), JOBS targets at a time.  The
# corpus grown so far is kept in BUILD_DIR/corpus/<name>/, logs in
# BUILD_DIR/fuzz-logs/, and a crashing input in BUILD_DIR/artifacts/<name>/
# (copy it into tests/fuzz/regress/<name>/ once fixed).  One line per
# target gives runs, coverage (libFuzzer's cov: edges and ft: features)
# and the corpus size; the exit status is non-zero when any target failed.
set -u
seconds=30 jobs=1
while getopts t:j: o; do
	case $o in
	t) seconds=$OPTARG;;
	j) jobs=$OPTARG;;
	*) echo "usage: scripts/fuzz.sh [-t SECONDS] [-j JOBS] [BUILD_DIR] [TARGET...]" >&2; exit 2;;
	esac
done
shift $((OPTIND - 1))
build=${1:-build-fuzz}
[ $# -gt 0 ] && shift
cd "$(dirname "$0")/.." || exit 2

# Seeds besides tests/fuzz/corpus/<name>/.
seeds() {
	case $1 in
	scenario) echo scenarios tests/cli/fixtures tests/cli/errors tests/cli/fixtures-budget \
	    tests/cli/fixtures-budget/ok tests/cli/fixtures-sweep;;
	budget) echo tests/cli/fixtures-budget/budgets;;
	esac
}

dict() {
	case $1 in
	scenario|set|budget|profile|cmdline) echo "-dict=tests/fuzz/yaml.dict";;
	stream) echo "-dict=tests/fuzz/stream.dict";;
	server) echo "-dict=tests/fuzz/server.dict";;
	esac
}

# run_one NAME: replay, then fuzz; prints one line; exit status 0 when clean.
run_one() {
	name=$1
	bin=$build/fuzz/fuzz_$name
	log=$build/fuzz-logs/$name.log
	art=$build/artifacts/$name/
	mkdir -p "$build/fuzz-logs" "$art" "$build/corpus/$name"
	if [ ! -x "$bin" ]; then
		echo "fuzz $name: FAILED: $bin is missing (make fuzz-build)"
		return 1
	fi
	reg=tests/fuzz/regress/$name
	if [ -d "$reg" ] && [ -n "$(ls "$reg")" ]; then
		if ! "$bin" -runs=1 -close_fd_mask=3 "$reg"/* >"$log.regress" 2>&1; then
			echo "fuzz $name: FAILED: a regression input crashes again (see $log.regress)"
			return 1
		fi
		nreg=$(ls "$reg" | wc -l | tr -d ' ')
	else
		nreg=0
	fi
	if [ "$seconds" -eq 0 ]; then
		echo "fuzz $name: $nreg regression inputs replayed, OK"
		return 0
	fi
	dirs=""
	for d in "tests/fuzz/corpus/$name" $(seeds "$name"); do
		[ -d "$d" ] && dirs="$dirs $d"
	done
	# -timeout: an input that takes 20 s is a hang; -rss_limit_mb: a
	# runaway allocation; -close_fd_mask=3: the commands' own output
	# (libFuzzer and the sanitizers still report on their own stderr)
	# shellcheck disable=SC2046,SC2086
	"$bin" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
	    -close_fd_mask=3 -print_final_stats=1 -artifact_prefix="$art" \
	    $(dict "$name") "$build/corpus/$name" $dirs >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
	if [ "$rc" -ne 0 ]; then
		echo "fuzz $name: FAILED after ${runs:-?} runs: $(grep -m1 -E 'ERROR|SUMMARY|Test unit written' "$log") (log: $log)"
		ls "$art" | sed 's/^/  artifact: /'
		return 1
	fi
	echo "fuzz $name: ${runs:-?} runs in ${seconds} s, cov ${cov:-?} ft ${ft:-?}, corpus ${corp:-?}, $nreg regressions, OK"
	return 0
}

if [ "${FUZZ_ONE:-}" ]; then
	run_one "$FUZZ_ONE"
	exit $?
fi

if [ $# -gt 0 ]; then
	targets=$(for t in "$@"; do echo "${t#fuzz_}"; done)
else
	targets=$(ls "$build"/fuzz/fuzz_* 2>/dev/null | sed 's,.*/fuzz_,,')
	[ -n "$targets" ] || { echo "fuzz: no targets in $build/fuzz (make fuzz-build)"; exit 1; }
fi
out=$(mktemp) || exit 2
trap 'rm -f "$out"' EXIT
# JOBS targets at a time; each prints its own line
echo "$targets" | FUZZ_ONE= xargs -P "$jobs" -I{} env FUZZ_ONE={} \
    sh scripts/fuzz.sh -t "$seconds" "$build" | tee "$out"
failed=$(grep -c 'FAILED' "$out")
total=$(echo "$targets" | wc -l | tr -d ' ')
echo "fuzz: $((total - failed)) of $total targets clean"
[ "$failed" -eq 0 ]
