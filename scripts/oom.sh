#!/bin/sh
# Allocation-failure injection (as SQLite's OOM tests and curl's memdebug):
# runs a flatcost command once to count its allocations, then again with
# the n-th allocation failing (FLATCOST_FAIL_ALLOC=n), for every n in the
# last TAIL allocations and every STEP-th n before them.  Each run that
# hits the failure must end with "out of memory" on stderr and a non-zero
# exit status below 128: no signal, no sanitizer report (run it on the
# ASan build, build-asan/flatcost, and leaks are caught too), and no file
# left behind in the output directory.
#
#   scripts/oom.sh [-s STEP] [-t TAIL] [-j JOBS] FLATCOST ARGS...
#
# In ARGS, @OUT@ stands for a file in a fresh directory (the -o file).
# Only flatcost's own allocations (fc_malloc and friends) are injected:
# libyaml, jansson and GSL call malloc directly.
set -u
step=0 tail=300 jobs=1
while getopts s:t:j: o; do
	case $o in
	s) step=$OPTARG;;
	t) tail=$OPTARG;;
	j) jobs=$OPTARG;;
	*) echo "usage: scripts/oom.sh [-s STEP] [-t TAIL] [-j JOBS] FLATCOST ARGS..." >&2; exit 2;;
	esac
done
shift $((OPTIND - 1))

if [ "${OOM_ONE:-}" ]; then
	# one run: $OOM_ONE is n; prints nothing when it passes
	n=$OOM_ONE
	dir=$(mktemp -d) || exit 2
	cmd=""
	for a in "$@"; do
		[ "$a" = @OUT@ ] && a=$dir/out
		cmd="$cmd '$a'"
	done
	eval "FLATCOST_FAIL_ALLOC=$n FLATCOST_ALLOC_COUNT=1 $cmd" >/dev/null 2>"$dir.err"
	rc=$?
	count=$(sed -n 's/^flatcost: allocations: //p' "$dir.err" | tail -1)
	bad=""
	if [ "$rc" -ge 128 ]; then
		bad="died of signal $((rc - 128))"
	elif grep -q -E 'Sanitizer|runtime error:|LeakSanitizer' "$dir.err"; then
		bad="sanitizer report"
	elif [ -z "$count" ]; then
		bad="no allocation count printed (exit $rc)"
	elif [ "$count" -ge "$n" ]; then
		if [ "$rc" -eq 0 ]; then
			bad="allocation $n failed but the command succeeded"
		elif ! grep -q 'out of memory' "$dir.err"; then
			bad="exit $rc without 'out of memory'"
		elif [ "$rc" -ne 3 ]; then
			bad="exit $rc, expected 3 (runtime failure)"
		fi
	fi
	if [ -z "$bad" ] && [ -n "$(ls -A "$dir")" ]; then
		bad="left $(ls -A "$dir" | tr '\n' ' ')"
	fi
	if [ -n "$bad" ]; then
		echo "oom: FAIL at allocation $n: $bad"
		sed 's/^/  | /' "$dir.err" | head -40
	fi
	rm -rf "$dir" "$dir.err"
	exit 0
fi

# count the allocations of a run that succeeds
dir=$(mktemp -d) || exit 2
cmd=""
for a in "$@"; do
	[ "$a" = @OUT@ ] && a=$dir/out
	cmd="$cmd '$a'"
done
eval "FLATCOST_ALLOC_COUNT=1 $cmd" >/dev/null 2>"$dir.err"
rc=$?
total=$(sed -n 's/^flatcost: allocations: //p' "$dir.err" | tail -1)
rm -rf "$dir" "$dir.err"
shift 0
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] || [ -z "$total" ]; then
	echo "oom: the command fails without injection (exit $rc): $*"
	exit 1
fi
[ "$step" -gt 0 ] || step=$(( (total - tail) / 100 + 1 ))
[ "$step" -gt 0 ] || step=1
first_tail=$((total - tail + 1))
[ "$first_tail" -ge 1 ] || first_tail=1
ns=$( { n=1; while [ "$n" -lt "$first_tail" ]; do echo $n; n=$((n + step)); done
	n=$first_tail; while [ "$n" -le "$total" ]; do echo $n; n=$((n + 1)); done; } )
runs=$(echo "$ns" | wc -l | tr -d ' ')
out=$(echo "$ns" | xargs -P "$jobs" -I{} env OOM_ONE={} sh "$0" "$@")
fails=$(echo "$out" | grep -c '^oom: FAIL')
[ -n "$out" ] && echo "$out"
shown=$(echo "$*" | sed "s,^[^ ]*/,,")
echo "oom: $shown: $total allocations, $runs runs (all of the last $tail, every $step before), $fails failed"
[ "$fails" -eq 0 ]
