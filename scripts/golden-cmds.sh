#!/bin/sh
# Record a fixed set of command lines' stdout, stderr and exit status, one
# file per line, so that two builds can be compared byte for byte:
#
#   scripts/golden-cmds.sh OLD-BINARY /tmp/before
#   scripts/golden-cmds.sh ./flatcost /tmp/after
#   diff -r /tmp/before /tmp/after
#
# Run from the repository root. The date, the user data directory and HOME
# are fixed so that the output does not depend on the day or the machine.
set -u
bin=${1:?usage: golden-cmds.sh BINARY OUTDIR}
out=${2:?usage: golden-cmds.sh BINARY OUTDIR}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
mkdir -p "$out"
work=${TMPDIR:-/tmp}/flatcost-golden-work
export SOURCE_DATE_EPOCH=1796774400 LC_ALL=C TZ=UTC
export FLATCOST_DATA=data
unset XDG_DATA_HOME FLATCOST_FAIL_ALLOC FLATCOST_ALLOC_COUNT
n=0
cmds() {
	S="scenarios/support-chatbot.yaml scenarios/classifier-api.yaml scenarios/content-optimizer.yaml"
	F="tests/cli/fixtures/basic.yaml tests/cli/fixtures/classifier-0.1.yaml tests/cli/fixtures/compare-by-model.yaml tests/cli/fixtures/route.yaml tests/cli/fixtures/uncertain.yaml"
	for s in $S $F; do
		for f in table json csv md; do
			echo "simulate $s --trials 200 --seed 7 --format $f"
		done
		echo "simulate $s --deterministic"
		echo "simulate $s --deterministic --currency EUR --format json"
		echo "simulate $s --trials 100 --months 6 --users 5000"
		echo "sweep $s --users 100:100000:6 --trials 100 --seed 3"
		echo "sweep $s --users 100:100000:4 --trials 50 --format json"
		echo "sweep $s --users 100:100000:4 --deterministic --format csv"
		echo "compare $s --trials 100 --seed 5"
		echo "compare $s --trials 100 --format json"
		echo "sensitivity $s --trials 200 --seed 2"
		echo "sensitivity $s --trials 200 --format json"
		echo "check $s --trials 100"
		echo "validate $s"
	done
	echo "sweep scenarios/support-chatbot.yaml --vary workload.input_tokens=200:2000:3 --users 1000 --trials 50"
	echo "sweep scenarios/support-chatbot.yaml --users 100:1000 --log --deterministic --format md"
	echo "sensitivity tests/cli/fixtures-sensitivity/dominant.yaml --trials 300 --format csv"
	echo "sensitivity tests/cli/fixtures-sensitivity/dominant.yaml --trials 300 --format md"
	echo "compare tests/cli/fixtures/compare-by-model.yaml --trials 100 --format csv"
	echo "compare tests/cli/fixtures/compare-by-model.yaml --trials 100 --format md"
	echo "compare tests/cli/fixtures/compare-by-model.yaml --trials 100 --rank-by monthly_cost@p90"
	echo "diff scenarios/support-chatbot.yaml scenarios/classifier-api.yaml --trials 100"
	echo "diff scenarios/support-chatbot.yaml scenarios/classifier-api.yaml --trials 100 --format json"
	echo "diff scenarios/support-chatbot.yaml scenarios/classifier-api.yaml --deterministic --format md"
	echo "diff tests/cli/fixtures/basic.yaml tests/cli/fixtures/uncertain.yaml --trials 100 --fail-above 1"
	echo "diff tests/cli/fixtures/basic.yaml tests/cli/fixtures/basic.yaml --deterministic"
	echo "diff tests/cli/fixtures/basic.yaml MISSING.yaml"
	for b in tests/cli/fixtures-budget/budgets/*.yaml; do
		echo "check tests/cli/fixtures-budget/ok/base.yaml --budget $b --trials 100"
	done
	for s in tests/cli/fixtures-budget/*.yaml tests/cli/fixtures-budget/ok/*.yaml; do
		echo "check $s --trials 100 --format json"
		echo "check $s --trials 100 --format md"
	done
	for e in tests/cli/errors/*.yaml; do
		echo "validate $e"
		echo "simulate $e"
	done
	for c in prices hardware models; do
		echo "data $c"
		echo "data $c --format json"
		echo "data $c --no-user-data"
	done
	echo "data"
	for f in tests/cli/fixtures-data/*.json; do
		echo "data import $f --as-of 2026-01-01"
	done
	echo "data import tests/cli/fixtures-data/hetzner-pricing.json --from hetzner-pricing --as-of 2026-01-01 --usd-per-eur 1.1"
	echo "data import MISSING.json"
	echo "data import"
	echo "data bogus"
	echo "simulate MISSING.yaml"
	echo "simulate"
	echo "simulate scenarios/support-chatbot.yaml --trials x"
	echo "simulate scenarios/support-chatbot.yaml --bogus"
	echo "simulate scenarios/support-chatbot.yaml --format xml"
	echo "sweep scenarios/support-chatbot.yaml"
	echo "sweep MISSING.yaml --users 1:10"
	echo "compare MISSING.yaml"
	echo "compare scenarios/support-chatbot.yaml --rank-by nonsense"
	echo "sensitivity MISSING.yaml"
	echo "sensitivity scenarios/support-chatbot.yaml --figure nonsense"
	echo "check MISSING.yaml"
	echo "check"
	echo "validate MISSING.yaml"
	echo "validate"
	echo "bogus-command"
	echo "synth-model --layers 2 --embd 64 --ff 128 --heads 2 --vocab 400 -o -"
	echo "synth-model --layers 2 --embd 64 --ff 128 --heads 2 --kv-heads 1 --head-dim 32 --vocab 400 --context 512 --quant q8_0 --seed 9 --name tiny -o -"
	echo "synth-model --layers 2 --embd 64 --ff 128 --heads 2 --vocab 400 --quant f16 -o -"
	echo "synth-model --layers 2 --embd 64 --ff 128 --heads 2 --vocab 400 --quant q5"
	echo "synth-model --layers 2 --embd 64 --ff 128 --heads 2 --vocab 400"
	echo "synth-model --layers 0 --embd 64 --ff 128 --heads 2 --vocab 400 -o -"
	echo "synth-model --layers 2 --embd 65 --ff 128 --heads 2 --vocab 400 -o -"
	echo "synth-model --like nosuchmodel -o -"
	echo "synth-model --like qwen2.5-0.5b --layers 1 --vocab 400 -o -"
	echo "synth-model --layers 2 -o -"
	echo "synth-model --bogus"
	echo "synth-model extra -o -"
	echo "help"
	for c in simulate sweep check diff compare sensitivity validate data report merge calibrate bench synth-model; do
		echo "help $c"
	done
}
cmds > "$out/commands.txt"
while IFS= read -r line; do
	n=$((n + 1))
	f=$(printf '%s/%03d' "$out" "$n")
	rm -rf "$work" && mkdir -p "$work/user" "$work/home"
	# shellcheck disable=SC2086
	FLATCOST_USER_DATA=$work/user HOME=$work/home "$bin" $line >"$f.out" 2>"$f.err" </dev/null
	echo "$?" >"$f.rc"
done < "$out/commands.txt"
rm -rf "$work"
echo "golden-cmds: $n command lines into $out"
