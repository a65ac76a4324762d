#!/usr/bin/env bats
# `flatcost compare`: every hardware x model option on common
# random numbers.  Each option's figures equal `simulate --set
# flat.hardware=H --set flat.model=M` with the same seed, so the top option
# and its cost are the minimum over separate simulate runs; non-viable
# options say why (memory, SLO impossible, no server count); the same
# bytes for any thread count; every format; the chart rendered by the
# real gnuplot (PNG not blank, SVG that parses); bad input.
#
# Scenario: scenarios/content-optimizer.yaml at 400 trials (quick), its
# model qwen2.5-7b-q4_k_m unless --model says otherwise.

bats_require_minimum_version 1.5.0

load helpers

SC=scenarios/content-optimizer.yaml
GPUS=hetzner/gex44,gpu/runpod-a5000,cloud-gpu/runpod-l4,cloud-gpu/lambda-a10,cloud-gpu/runpod-rtx4090,hetzner/gex130

setup() {
	cd_repo
	make_out
}

need_gnuplot() {
	command -v gnuplot >/dev/null || skip "gnuplot is not installed (apt-get install gnuplot-nox)"
}

# cmp_json ARGS...: compare's JSON in $OUT/c.json
cmp_json() {
	"$FLATCOST" compare "$SC" --trials 400 --format json "$@" >"$OUT/c.json"
}

# sim_p50 HW MODEL [ARGS...]: simulate's flat.monthly_cost P50 for that pair
sim_p50() {
	local hw=$1 m=$2
	shift 2
	"$FLATCOST" simulate "$SC" --trials 400 --format json --set "flat.hardware=$hw" \
	    --set "flat.model=$m" "$@" | jq -r '.flat.monthly_cost | if type == "object" then .p50 else . end'
}

@test "the top option and its cost are the minimum over separate simulate runs" {
	cmp_json --hardware "$GPUS"
	best_hw= best=
	for hw in ${GPUS//,/ }; do
		v=$(sim_p50 "$hw" qwen2.5-7b-q4_k_m)
		# every option equals its own simulate run, trial for trial
		got=$(jq -r --arg h "$hw" '.options[] | select(.hardware == $h) | .flat.monthly_cost.p50' "$OUT/c.json")
		[ "$got" = "$v" ] || { echo "$hw: compare $got, simulate $v"; return 1; }
		if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $v < $best else 1)"; then
			best=$v best_hw=$hw
		fi
	done
	[ "$(jq -r '.options[0].rank' "$OUT/c.json")" = 1 ]
	[ "$(jq -r '.options[0].hardware' "$OUT/c.json")" = "$best_hw" ]
	[ "$(jq -r '.options[0].flat.monthly_cost.p50' "$OUT/c.json")" = "$best" ]
}

@test "--deterministic: the top option is the minimum over simulate --deterministic" {
	cmp_json --hardware "$GPUS" --model qwen2.5-3b-q4_k_m --deterministic
	best=
	for hw in ${GPUS//,/ }; do
		v=$(sim_p50 "$hw" qwen2.5-3b-q4_k_m --deterministic)
		if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $v < $best else 1)"; then
			best=$v
		fi
	done
	[ "$(jq -r '.mode' "$OUT/c.json")" = deterministic ]
	[ "$(jq -r '.options[0].flat.monthly_cost' "$OUT/c.json")" = "$best" ]
}

@test "the API is an option, with simulate's API cost, ranked by api.monthly_cost" {
	cmp_json --hardware hetzner/gex44
	api=$("$FLATCOST" simulate "$SC" --trials 400 --format json | jq -r '.api.monthly_cost.p50')
	[ "$(jq -r '.options[] | select(.kind == "api") | .model' "$OUT/c.json")" = openai/gpt-4o ]
	[ "$(jq -r '.options[] | select(.kind == "api") | .api.monthly_cost.p50' "$OUT/c.json")" = "$api" ]
	# gpt-4o costs far more than one GEX44: ranked second
	[ "$(jq -r '.options[] | select(.kind == "api") | .rank' "$OUT/c.json")" = 2 ]
}

@test "non-viable options say why: memory, SLO impossible, no server count" {
	cmp_json --hardware hetzner/cx23,hetzner/cx43,hetzner/cx53 --model qwen2.5-3b-q4_k_m,qwen2.5-7b-q4_k_m
	reason() {
		jq -r --arg h "$1" --arg m "$2" \
		    '.options[] | select(.hardware == $h and .model == $m) | "\(.viable) \(.reason)"' "$OUT/c.json"
	}
	[[ "$(reason hetzner/cx23 qwen2.5-7b-q4_k_m)" == "false does not fit: 4.68 GB of weights + "*" GB of KV cache + OS overhead need more than the 4 GB of RAM" ]]
	[[ "$(reason hetzner/cx43 qwen2.5-7b-q4_k_m)" == "false SLO impossible: one call alone takes "*" s, over the 60 s SLO" ]]
	[[ "$(reason hetzner/cx53 qwen2.5-3b-q4_k_m)" == "false no server count meets the SLO: a call on a busy server takes "*" s at P95, over the 60 s SLO" ]]
	# a non-viable option has no figures and no rank
	[ "$(jq -r '[.options[] | select(.viable == false) | .rank] | unique | .[0]' "$OUT/c.json")" = null ]
	[ "$(jq -r '[.options[] | select(.viable == false) | has("flat")] | any' "$OUT/c.json")" = false ]
	# the table lists them apart
	run "$FLATCOST" compare "$SC" --trials 100 --hardware hetzner/cx23 --model qwen2.5-7b-q4_k_m
	expect_status 0
	[[ "$output" == *"Not viable (1):"*"hetzner/cx23 qwen2.5-7b-q4_k_m: does not fit"* ]]
}

@test "the same bytes for any thread count, in every format" {
	for f in json csv table md; do
		for t in 1 2 5; do
			"$FLATCOST" compare "$SC" --trials 300 --hardware "$GPUS" --model qwen2.5-7b \
			    --threads "$t" --format "$f" -o "$OUT/t$t.$f" 2>/dev/null
		done
		cmp "$OUT/t1.$f" "$OUT/t2.$f"
		cmp "$OUT/t1.$f" "$OUT/t5.$f"
	done
}

@test "--model: a family prefix expands to its quantizations; all is every model" {
	cmp_json --hardware gpu/runpod-a5000 --model qwen2.5-7b
	[ "$(jq -r '[.options[] | select(.kind == "flat") | .model] | join(" ")' "$OUT/c.json" | tr ' ' '\n' | sort | tr '\n' ' ')" = \
	    "qwen2.5-7b-f16 qwen2.5-7b-q4_0 qwen2.5-7b-q4_k_m qwen2.5-7b-q8_0 " ]
	cmp_json --hardware gpu/runpod-a5000 --model qwen2.5 --deterministic
	[ "$(jq '[.options[] | select(.kind == "flat")] | length' "$OUT/c.json")" = 12 ]
	cmp_json --hardware gpu/runpod-a5000 --model all --deterministic
	n=$("$FLATCOST" data models --format json | jq '.models | length')
	[ "$(jq '[.options[] | select(.kind == "flat")] | length' "$OUT/c.json")" = $((n * 4)) ]
}

@test "several models with one fallback share: a warning on stderr and in JSON; one model: none" {
	run --separate-stderr "$FLATCOST" compare "$SC" --trials 100 --hardware gpu/runpod-a5000 \
	    --model qwen2.5-3b-q4_k_m,qwen2.5-7b-q4_k_m --format json
	expect_status 0
	[[ "$stderr" == *"warning: every model has the same quality-fallback share"* ]]
	[ "$(jq '[.warnings[] | select(.kind == "fallback_share")] | length' <<<"$output")" = 1 ]
	run --separate-stderr "$FLATCOST" compare "$SC" --trials 100 --hardware gpu/runpod-a5000 --format json
	expect_status 0
	[ -z "$(sans_data_warnings)" ]
	[ "$(jq '[.warnings[] | select(.kind == "fallback_share")] | length' <<<"$output")" = 0 ]
}

@test "--rank-by FIGURE@pNN ranks by that statistic; savings highest first" {
	cmp_json --hardware "$GPUS" --rank-by flat.monthly_cost@p95
	[ "$(jq -r '.ranked_by.percentile' "$OUT/c.json")" = p95 ]
	jq -e '[.options[] | select(.rank != null) | .flat.monthly_cost.p95 // .api.monthly_cost.p95] as $v
	    | $v == ($v | sort)' "$OUT/c.json"
	jq -e '[.options[] | select(.rank != null) | .rank_value] as $v | $v == ($v | sort)' "$OUT/c.json"
	cmp_json --hardware "$GPUS" --rank-by savings.monthly
	[ "$(jq -r '.ranked_by.order' "$OUT/c.json")" = "highest first" ]
	jq -e '[.options[] | select(.rank != null) | .rank_value] as $v | $v == ($v | sort | reverse)' "$OUT/c.json"
	# the API has no savings counterpart: unranked
	[ "$(jq -r '.options[] | select(.kind == "api") | .rank' "$OUT/c.json")" = null ]
}

@test "--rank-by breakeven_users: by the means' breakeven, options without one last, said" {
	cmp_json --hardware "$GPUS" --model qwen2.5-3b-q4_k_m,qwen2.5-7b-q4_k_m --rank-by breakeven_users@p5
	[ "$(jq -r '.ranked_by.figure' "$OUT/c.json")" = breakeven_users ]
	[ "$(jq -r '.ranked_by.percentile' "$OUT/c.json")" = "at the means" ]
	[[ "$(jq -r '.ranked_by.order' "$OUT/c.json")" == "lowest first; options without one"* ]]
	# some ranks, in the order of the breakeven; the ranked ones first
	[ "$(jq '[.options[] | select(.rank != null)] | length' "$OUT/c.json")" -ge 2 ]
	jq -e '[.options[] | select(.rank != null) | .breakeven_users] as $v | $v == ($v | sort)
	    and ($v | all(. != null))' "$OUT/c.json"
	jq -e '[.options[] | select(.rank != null) | .rank] as $r | $r == [range(1; ($r | length) + 1)]' "$OUT/c.json"
	jq -e '[.options[] | select(.viable) | .rank != null] as $v | $v == ($v | sort | reverse)' "$OUT/c.json"
	jq -e '[.options[] | select(.viable and .rank == null and .kind == "flat")] | all(.breakeven_users == null)' "$OUT/c.json"
	run --separate-stderr "$FLATCOST" compare "$SC" --trials 200 --hardware "$GPUS" --rank-by breakeven_users
	expect_status 0
	[[ "$output" == *"Ranked by breakeven_users at the means, lowest first; options without one (none up to 10,000,000 users) last, unranked"* ]]
}

@test "--rank-by call_latency_p95_s, compare's own JSON key, is capacity.call_latency_s@p95" {
	cmp_json --hardware "$GPUS" --rank-by call_latency_p95_s
	[ "$(jq -r '.ranked_by.figure + " " + .ranked_by.percentile' "$OUT/c.json")" = "capacity.call_latency_s p95" ]
	jq -e '[.options[] | select(.rank != null) | .call_latency_p95_s] as $v | $v == ($v | sort) and ($v | length) >= 2' "$OUT/c.json"
	jq -e '[.options[] | select(.rank != null) | .rank_value == .call_latency_p95_s] | all' "$OUT/c.json"
	bad_input "$SC" --rank-by call_latency_p95_s@p50
	[[ "$stderr" == *"call_latency_p95_s is already a P95"* ]]
}

@test "racing: options beyond the leader stop after 250 trials, counted; those kept equal --no-race and simulate" {
	local m=qwen2.5-3b-q4_k_m,qwen2.5-7b-q4_k_m,llama-3.1-8b-q4_k_m
	"$FLATCOST" compare "$SC" --trials 2000 --format json --hardware "$GPUS" --model "$m" \
	    >"$OUT/r.json" 2>"$OUT/r.err"
	"$FLATCOST" compare "$SC" --trials 2000 --format json --hardware "$GPUS" --model "$m" \
	    --no-race >"$OUT/f.json"
	n=$(jq '.race.raced_out' "$OUT/r.json")
	[ "$n" -ge 1 ]
	[ "$(jq '[.options[] | select(.raced_out)] | length' "$OUT/r.json")" = "$n" ]
	grep -q "flatcost: $n of 19 options raced out after the first 250 trials" "$OUT/r.err"
	[ "$(jq '.race.raced_out' "$OUT/f.json")" = 0 ]
	[ "$(jq -r '.race.enabled' "$OUT/f.json")" = false ]
	# raced out: no figures, no rank; never the best of the full run
	jq -e '[.options[] | select(.raced_out) | (.rank == null and .flat == null)] | all' "$OUT/r.json"
	jq -e --slurpfile f "$OUT/f.json" '[.options[] | select(.raced_out) | .model as $m | .hardware as $h
	    | $f[0].options[] | select(.model == $m and .hardware == $h) | .rank > 1] | all' "$OUT/r.json"
	# every option kept: the same figures as without racing, and the same leader
	jq -e --slurpfile f "$OUT/f.json" '[.options[] | select(.viable and (.raced_out | not)) | . as $o
	    | $f[0].options[] | select(.model == $o.model and .hardware == $o.hardware)
	    | (.flat == $o.flat and .api == $o.api and .breakeven_users == $o.breakeven_users)] | all' "$OUT/r.json"
	[ "$(jq -c '.options[0] | [.hardware, .model]' "$OUT/r.json")" = "$(jq -c '.options[0] | [.hardware, .model]' "$OUT/f.json")" ]
	# the leader's cost is simulate's
	hw=$(jq -r '.options[0].hardware' "$OUT/r.json")
	mo=$(jq -r '.options[0].model' "$OUT/r.json")
	v=$("$FLATCOST" simulate "$SC" --trials 2000 --format json --set "flat.hardware=$hw" \
	    --set "flat.model=$mo" | jq -r '.flat.monthly_cost.p50')
	[ "$(jq -r '.options[0].flat.monthly_cost.p50' "$OUT/r.json")" = "$v" ]
	# the table says it; the same bytes for any thread count
	run --separate-stderr "$FLATCOST" compare "$SC" --trials 2000 --hardware "$GPUS" --model "$m" --threads 1
	expect_status 0
	[[ "$output" == *"$n options raced out: on the first 250 trials their ranked statistic was worse than the leader's"* ]]
	"$FLATCOST" compare "$SC" --trials 2000 --format json --hardware "$GPUS" --model "$m" \
	    --threads 3 2>/dev/null | cmp - "$OUT/r.json"
}

@test "table, csv and md: one row per option" {
	run --separate-stderr "$FLATCOST" compare "$SC" --trials 200 --hardware "$GPUS"
	expect_status 0
	[[ "$output" == *"Content optimizer: 5,000 users, month 1, Monte Carlo, 200 trials, seed 42"* ]]
	[[ "$output" == *"Ranked by flat.monthly_cost p50, lowest first"* ]]
	echo "$output" | grep -Eq '^ +1  '
	echo "$output" | grep -q 'api  *openai/gpt-4o'
	"$FLATCOST" compare "$SC" --trials 200 --hardware "$GPUS" --format csv -o "$OUT/c.csv"
	head -1 "$OUT/c.csv" | grep -q '^"rank","hardware","model","viable","flat.servers.p50","monthly_cost.p50"'
	[ "$(wc -l <"$OUT/c.csv")" = 8 ]
	"$FLATCOST" compare "$SC" --trials 200 --hardware "$GPUS" --format md -o "$OUT/c.md"
	grep -q '^| # | Hardware | Model |' "$OUT/c.md"
	[ "$(grep -c '^| [0-9-]' "$OUT/c.md")" = 7 ]
}

@test "--plot FILE.png: a 1600x900 PNG that is not blank; FILE.svg parses" {
	need_gnuplot
	run --separate-stderr "$FLATCOST" compare "$SC" --trials 300 --hardware "$GPUS" \
	    --plot "$OUT/c.png" -o "$OUT/c.txt"
	expect_status 0
	[ -z "$(sans_data_warnings)" ]
	python3 tests/cli/fixtures-sweep/png_check.py "$OUT/c.png" 1600 900
	command -v xmllint >/dev/null || skip "xmllint is not installed (apt-get install libxml2-utils)"
	"$FLATCOST" compare "$SC" --trials 300 --hardware "$GPUS" --plot "$OUT/c.svg" >/dev/null
	xmllint --noout "$OUT/c.svg"
	grep -q 'Pareto front' "$OUT/c.svg"
	grep -q 'hetzner/gex44 qwen2.5-7b-q4_k_m' "$OUT/c.svg"
}

# bad_input ARGS...: exit 2, nothing on stdout, no -o file, an error.
bad_input() {
	run --separate-stderr "$FLATCOST" compare "$@" -o "$OUT/report.txt"
	expect_status 2
	[ -z "$output" ]
	[ -n "$stderr" ]
	[ ! -e "$OUT/report.txt" ]
}

@test "bad input: exit 2, the cause named, nothing written" {
	bad_input "$SC" --hardware hetzner/gex45
	[[ "$stderr" == *"--hardware: unknown hardware 'hetzner/gex45' (did you mean 'hetzner/gex44'?)"* ]]
	bad_input "$SC" --model qwen9
	[[ "$stderr" == *"--model: unknown model 'qwen9'"* ]]
	bad_input "$SC" --rank-by flat.monthly_cots
	[[ "$stderr" == *"unknown figure 'flat.monthly_cots' (did you mean 'flat.monthly_cost'?)"* ]]
	bad_input "$SC" --rank-by flat.monthly_cost@p42
	[[ "$stderr" == *"expected @mean, @p5, @p50, @p95 or @p99"* ]]
	bad_input "$SC" --deterministic --plot "$OUT/c.png"
	bad_input "$SC" --format xml
	bad_input "$SC" --trials 0
	bad_input
	bad_input tests/cli/fixtures/missing.yaml
}

@test "help lists compare and shows its synopsis" {
	run "$FLATCOST" help
	[[ "$output" == *"compare "*"ranked"* ]]
	run "$FLATCOST" compare --help
	expect_status 0
	[[ "$output" == *"usage: flatcost compare SCENARIO [--hardware all|ID,...] [--model all|ID,...]"* ]]
}

@test "flat.fallback.share_by_model: each model its own share, as simulate draws it; no warning" {
	BM=tests/cli/fixtures/compare-by-model.yaml
	run --separate-stderr "$FLATCOST" compare "$BM" --trials 400 --hardware gpu/runpod-a5000 \
	    --model qwen2.5-3b-q4_k_m,qwen2.5-7b-q4_k_m,llama-3.1-8b-q4_k_m,qwen2.5-7b-q8_0 --format json
	expect_status 0
	[ -z "$(sans_data_warnings)" ]
	echo "$output" >"$OUT/c.json"
	[ "$(jq '[.warnings[] | select(.kind == "fallback_share")] | length' "$OUT/c.json")" = 0 ]
	for m in qwen2.5-3b-q4_k_m qwen2.5-7b-q4_k_m llama-3.1-8b-q4_k_m qwen2.5-7b-q8_0; do
		"$FLATCOST" simulate "$BM" --trials 400 --format json --set flat.hardware=gpu/runpod-a5000 \
		    --set "flat.model=$m" >"$OUT/s.json"
		want=$(jq -r '.flat.monthly_cost.p50' "$OUT/s.json")
		got=$(jq -r --arg m "$m" '.options[] | select(.model == $m) | .flat.monthly_cost.p50' "$OUT/c.json")
		[ "$got" = "$want" ] || { echo "$m: compare $got, simulate $want"; return 1; }
		fb=$(jq -r '.flat.fallback_share.mean' "$OUT/s.json")
		case $m in
		qwen2.5-7b-q4_k_m) python3 -c "import sys; sys.exit(0 if abs($fb - 0.05) < 1e-12 else 1)" ;;   # MODEL-QUANT entry
		llama-3.1-8b-q4_k_m) python3 -c "import sys; sys.exit(0 if abs($fb - 0.06) < 1e-12 else 1)" ;; # month 1 of its schedule
		qwen2.5-3b-q4_k_m) python3 -c "import sys; sys.exit(0 if 0.10 <= $fb <= 0.16 else 1)" ;;
		qwen2.5-7b-q8_0) python3 -c "import sys; sys.exit(0 if 0.02 <= $fb <= 0.08 else 1)" ;; # flat.fallback.share
		esac
	done
	# the 3B model's worse answers cost more API fallback than the 7B's: it does not win
	[ "$(jq -r '.options[0].model' "$OUT/c.json")" != qwen2.5-3b-q4_k_m ]
	# a model the mapping does not name falls back to flat.fallback.share, and
	# two models sharing it draw the warning again
	run --separate-stderr "$FLATCOST" compare "$BM" --trials 100 --hardware gpu/runpod-a5000 \
	    --model qwen2.5-7b-q8_0,mistral-7b-q4_k_m
	expect_status 0
	[[ "$stderr" == *"every compared model has the same quality-fallback share"* ]]
}

@test "share_by_model: an unknown model is an error with the place and a suggestion" {
	run --separate-stderr "$FLATCOST" validate tests/cli/fixtures/compare-by-model.yaml
	expect_status 0
	run --separate-stderr "$FLATCOST" compare "$SC" --set 'flat.fallback.share_by_model={qwen2.5-7c: 0.1}'
	expect_status 2
	[[ "$stderr" == *"--set:1:"*"unknown model 'qwen2.5-7c' (did you mean"* ]]
	run --separate-stderr "$FLATCOST" simulate "$SC" --set 'flat.fallback.share_by_model=0.1'
	expect_status 2
	[[ "$stderr" == *"'share_by_model' must be a mapping of model ids to fallback shares"* ]]
	run --separate-stderr "$FLATCOST" simulate "$SC" --set 'flat.fallback.share_by_model={qwen2.5-7b: 1.5}'
	expect_status 2
	[[ "$stderr" == *"a share from 0 to 1"* ]]
}

@test "a profile with a run-to-run spread: its speed drawn per trial, as simulate draws it" {
	# a bench --repeat profile (decode_tok_s_sd, prefill_tok_s_sd); compare
	# lists the scenario's own hardware beside the catalog's
	cp tests/fuzz/corpus/profile/bench-repeat-context-slo "$OUT/profile.yaml"
	grep -v '_sd:\|repeat:' "$OUT/profile.yaml" >"$OUT/p0.yaml"
	for p in profile p0; do
		printf '%s\n' 'flatcost: 1' 'name: spread' 'users: 100' \
		    'workload: {requests_per_user_per_day: 10, input_tokens: 32, output_tokens: 8}' \
		    'api: {price: openai/gpt-4o-mini}' \
		    "flat: {hardware: ./$p.yaml, model: qwen2.5-3b-q4_0, slo: {p95_latency_s: 60}}" \
		    >"$OUT/$p-sc.yaml"
		(cd "$OUT" && "$FLATCOST" compare "$p-sc.yaml" --model qwen2.5-3b-q4_0 \
		    --trials 300 --format json) >"$OUT/$p-c.json"
		(cd "$OUT" && "$FLATCOST" simulate "$p-sc.yaml" --trials 300 --format json) >"$OUT/$p-s.json"
		got=$(jq -c --arg p "$p" '.options[] | select(.hardware | endswith($p + ".yaml")) | .capacity.call_latency_s' "$OUT/$p-c.json")
		want=$(jq -c '.capacity.call_latency_s' "$OUT/$p-s.json")
		[ -n "$got" ] && [ "$got" = "$want" ] || { echo "$p: compare $got, simulate $want"; return 1; }
	done
	# the spread widens the latency's distribution
	python3 -c "import sys; sys.exit(0 if $(jq '.capacity.call_latency_s.sd' "$OUT/profile-s.json") > 3 * $(jq '.capacity.call_latency_s.sd' "$OUT/p0-s.json") else 1)"
}

@test "the latency column is simulate's peak-hour call P95 at the option's fleet (latency.call.p95_s)" {
	local hw got want
	cmp_json --hardware hetzner/gex44,cloud-gpu/runpod-rtx4090 --model qwen2.5-7b-q4_k_m --deterministic
	for hw in hetzner/gex44 cloud-gpu/runpod-rtx4090; do
		got=$(jq -r --arg h "$hw" '.options[] | select(.hardware == $h) | .latency.call.p95_s' "$OUT/c.json")
		want=$("$FLATCOST" simulate "$SC" --deterministic --format json --set "flat.hardware=$hw" \
		    --set flat.model=qwen2.5-7b-q4_k_m | jq -r '.latency.call.p95_s')
		[ -n "$got" ] && [ "$got" = "$want" ] || { echo "$hw: compare $got, simulate $want"; return 1; }
	done
	# with trials: the trials' mean, as simulate's table prints it
	cmp_json --hardware hetzner/gex44 --model qwen2.5-7b-q4_k_m
	got=$(jq -r '.options[] | select(.hardware == "hetzner/gex44") | .latency.call.p95_s.mean' "$OUT/c.json")
	want=$("$FLATCOST" simulate "$SC" --trials 400 --format json --set flat.hardware=hetzner/gex44 \
	    --set flat.model=qwen2.5-7b-q4_k_m | jq -r '.latency.call.p95_s.mean')
	[ "$got" = "$want" ]
	"$FLATCOST" compare "$SC" --hardware hetzner/gex44 --model qwen2.5-7b-q4_k_m --trials 400 >"$OUT/t"
	grep -q "Latency P95" "$OUT/t"
	python3 - "$OUT/t" "$want" <<'PY'
import sys
text = open(sys.argv[1]).read()
want = float(sys.argv[2])
ok = any(("%.3g" % want) in line or ("%.1f" % want) in line for line in text.splitlines() if "gex44" in line)
sys.exit(0 if ok else 1)
PY
}
