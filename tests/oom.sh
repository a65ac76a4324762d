#!/bin/sh
# The allocation-failure cases: validate, simulate, sweep and check on a
# bundled scenario, each through scripts/oom.sh (see there).
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
status=0
# shellcheck disable=SC2086
{
sh scripts/oom.sh $opts "$fc" validate $sc || status=1
sh scripts/oom.sh $opts "$fc" simulate $sc --threads 1 --trials 200 -o @OUT@ || status=1
sh scripts/oom.sh $opts "$fc" simulate $sc --deterministic --months 3 --format json -o @OUT@ || status=1
sh scripts/oom.sh $opts "$fc" sweep $sc --users 10:10000:6 --threads 1 --trials 100 --format csv -o @OUT@ || status=1
sh scripts/oom.sh $opts "$fc" sweep $sc --vary workload.input_tokens=500:2000:3 --deterministic -o @OUT@ || status=1
sh scripts/oom.sh $opts "$fc" check tests/cli/fixtures-budget/ok/base.yaml --threads 1 --trials 200 --junit @OUT@ || status=1
sh scripts/oom.sh $opts "$fc" check $sc --budget tests/cli/fixtures-budget/budgets/budgets.yaml --deterministic --format json -o @OUT@ || status=1
}
exit $status
