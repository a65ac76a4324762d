#!/bin/sh
# The allocation-failure cases: validate, simulate, sweep (a grid's shard too),
# compare, check, sensitivity and merge on a bundled scenario, each through
# scripts/oom.sh (see there).
#   tests/oom.sh [-s STEP] [-t TAIL] [-j JOBS] FLATCOST
set -u
opts=""
while getopts s:t:j: o; do
	case $o in
	s|t|j) opts="$opts -$o $OPTARG";;
	*) echo "usage: tests/oom.sh [-s STEP] [-t TAIL] [-j JOBS] FLATCOST" >&2; exit 2;;
	esac
done
shift $((OPTIND - 1))
fc=${1:?usage: tests/oom.sh [-s STEP] [-t TAIL] [-j JOBS] FLATCOST}
cd "$(dirname "$0")/.." || exit 2
sc=scenarios/content-optimizer.yaml
passed=0 failed=0
# one: a command through scripts/oom.sh, counted as one test
one() {
	# shellcheck disable=SC2086
	if sh scripts/oom.sh $opts "$fc" "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
}
one validate $sc
one simulate $sc --threads 1 --trials 200 -o @OUT@
one simulate $sc --deterministic --months 3 --format json -o @OUT@
one simulate $sc --set users=500 --deterministic -o @OUT@
one sweep $sc --users 10:10000:6 --threads 1 --trials 100 --format csv -o @OUT@
one sweep $sc --vary workload.input_tokens=500:2000:3 --deterministic -o @OUT@
one check tests/cli/fixtures-budget/ok/base.yaml --threads 1 --trials 200 --junit @OUT@
one compare $sc --threads 1 --trials 100 --hardware hetzner/gex44,gpu/runpod-a5000,hetzner/cx23 --model qwen2.5-7b,qwen2.5-3b-q4_k_m --set 'api.route=[{price: openai/gpt-4o-mini, share: 0.7}, {price: openai/gpt-4o}]' --set 'flat.fallback.share_by_model={qwen2.5-3b: 0.1}' --format json -o @OUT@
one check $sc --budget tests/cli/fixtures-budget/budgets/budgets.yaml --deterministic --format json -o @OUT@
one sensitivity $sc --threads 1 --trials 200 --format json -o @OUT@
# a grid's shard, and merge of a sharded run's parts (made here first);
# no globbing: the list's brackets go to flatcost as they are
set -f
grid="--vary flat.hardware=[hetzner/gex44,hetzner/ccx33] --users 10:1000:2 --threads 1 --trials 50"
# shellcheck disable=SC2086
one sweep $sc $grid --shard 1/2 -o @OUT@
parts=$(mktemp -d) || exit 2
# shellcheck disable=SC2086
{ "$fc" sweep $sc $grid --shard 1/2 -o "$parts/p1.json" 2>/dev/null &&
    "$fc" sweep $sc $grid --shard 2/2 -o "$parts/p2.json" 2>/dev/null; } ||
    { echo "tests/oom.sh: cannot make the parts for merge" >&2; exit 2; }
one merge "$parts/p1.json" "$parts/p2.json" --format json -o @OUT@
rm -rf "$parts"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
