#!/usr/bin/env bats
# `flatcost sweep`: points log- or evenly spaced, the same
# percentiles as `simulate` at every point (each point equals `simulate
# --users X` with the same seed: common random numbers), the breakeven
# across the sweep with its spread over trials, every format, and charts
# rendered by the real gnuplot: PNG signature, size and content, SVG that
# parses, PDF, the kept data file equal to the CSV output, and gnuplot
# missing or failing (exit 3, no chart and no partial file left behind).
# Also `simulate --plot` (the histogram), skipped until simulate has it.
#
# Fixture: tests/cli/fixtures-sweep/sweep.yaml, 200 trials, flat cheaper
# from a few dozen users.  FLATCOST_GNUPLOT names the gnuplot to run.

bats_require_minimum_version 1.5.0

load helpers

F=tests/cli/fixtures-sweep
SC=tests/cli/fixtures-sweep/sweep.yaml

setup() {
	cd_repo
	make_out
}

need_gnuplot() {
	command -v gnuplot >/dev/null || skip "gnuplot is not installed (apt-get install gnuplot-nox)"
}

# sweep_json ARGS...: the sweep's JSON in $OUT/s.json
sweep_json() {
	"$FLATCOST" sweep "$SC" --format json "$@" >"$OUT/s.json"
}
jq_true() {
	local got
	got=$(jq "$1" "$OUT/s.json")
	if [ "$got" != true ]; then
		echo "jq '$1' gave: $got"
		return 1
	fi
}

# bad_input ARGS...: exit 2, nothing on stdout, no -o file, no chart, an error.
bad_input() {
	run --separate-stderr "$FLATCOST" sweep "$@" -o "$OUT/report.txt"
	expect_status 2
	[ -z "$output" ]
	[ -n "$stderr" ]
	[ -z "$(ls "$OUT")" ]
}

@test "table: one row per point, the percentiles and the breakeven" {
	run --separate-stderr "$FLATCOST" sweep "$SC" --users 10:1000:5
	expect_status 0
	[ -z "$(sans_data_warnings)" ]
	[[ "$output" == *"Sweep fixture: monthly cost by users, 10 to 1,000 in 5 log-spaced points, month 1"* ]]
	[[ "$output" == *"200 trials per point, seed 7"* ]]
	[[ "$output" == *"API P5"*"API P50"*"API P95"*"Flat P5"*"Flat P50"*"Flat P95"* ]]
	for u in 10 32 100 316 1,000; do
		echo "$output" | grep -Eq "^ +$u +\\$"
	done
	[[ "$output" == *"flat is cheaper for good from "*" users (to the end of the sweep, 1,000)"* ]]
	[[ "$output" == *"each trial's own lasting breakeven (the 200 of 200 trials that have one):"* ]]
}

@test "points: log-spaced by default, --linear evenly, user counts whole and unique" {
	sweep_json --users 10:1000:3
	jq_true '[.points[].value] == [10, 100, 1000] and .sweep.spacing == "log"'
	sweep_json --users 10:1000:3 --linear
	jq_true '[.points[].value] == [10, 505, 1000] and .sweep.spacing == "linear"'
	# 1..3 in 10 log steps rounds to 1, 2, 3
	sweep_json --users 1:3:10 --deterministic
	jq_true '[.points[].value] == [1, 2, 3] and .sweep.points == 3'
	# 25 points when STEPS is left out
	sweep_json --users 10:1000 --deterministic
	jq_true '(.points | length) == 25'
}

@test "every point equals simulate --users X: the same trials (common random numbers)" {
	sweep_json --users 10:1000:3 --seed 11
	for i in 0 1 2; do
		u=$(jq ".points[$i].value" "$OUT/s.json")
		"$FLATCOST" simulate "$SC" --users "$u" --seed 11 --format json >"$OUT/sim.json"
		for k in api.monthly_cost flat.monthly_cost flat.servers per_user.flat; do
			a=$(jq -c ".points[$i].$k" "$OUT/s.json")
			b=$(jq -c ".$k" "$OUT/sim.json")
			[ "$a" = "$b" ] || { echo "users $u, $k: sweep $a, simulate $b"; return 1; }
		done
	done
	# and smooth: the API's P50 cost rises with the users
	jq_true '[.points[]."api".monthly_cost.p50] | . == sort'
}

@test "--deterministic: every point is the hand arithmetic of simulate --deterministic" {
	sweep_json --users 100:400:2 --deterministic
	jq_true '.mode == "deterministic" and (.breakeven | has("trials") | not)'
	"$FLATCOST" simulate "$SC" --users 400 --deterministic --format json >"$OUT/sim.json"
	[ "$(jq -c '.points[1].api.monthly_cost' "$OUT/s.json")" = "$(jq -c '.api.monthly_cost' "$OUT/sim.json")" ]
	[ "$(jq -c '.points[1].flat.monthly_cost' "$OUT/s.json")" = "$(jq -c '.flat.monthly_cost' "$OUT/sim.json")" ]
}

@test "json: percentiles at every point, the breakeven, its band over trials, the inputs" {
	sweep_json --users 10:3000:8
	jq_true '.sweep == {key: "users", from: 10, to: 3000, steps: 8, points: 8, spacing: "log"}'
	jq_true '[.points[] | .api.monthly_cost | has("mean", "p5", "p50", "p95", "p99")] | all'
	jq_true '[.points[] | .flat.monthly_cost | .p5 <= .p50 and .p50 <= .p95] | all'
	jq_true '.breakeven.basis == "means" and .breakeven.first > 10 and .breakeven.first < 3000'
	jq_true '.breakeven.ranges[0].from == .breakeven.first and .breakeven.ranges[0].to == null'
	jq_true '.breakeven.lasting == .breakeven.first'
	jq_true '.breakeven.trials | .of == "lasting" and .n == 200 and .p5 <= .p50 and .p50 <= .p95'
	jq_true '.breakeven.trials | (.share_within + .share_from_start + .share_none - 1 | fabs) < 1e-9'
	jq_true '.inputs.api.price.id == "openai/gpt-4o" and .seed == 7 and .trials == 200'
}

# The same scenario gave 219 in simulate and 462 in sweep (the
# sweep interpolated between its points); now both run the same search
@test "sweep and simulate report the same breakeven, exact user counts" {
	for sc in scenarios/classifier-api.yaml scenarios/content-optimizer.yaml; do
		"$FLATCOST" simulate "$sc" --deterministic --format json >"$OUT/sim.json"
		for spacing in --log --linear; do
			"$FLATCOST" sweep "$sc" --users 1:20000:7 $spacing --deterministic \
			    --format json >"$OUT/s.json"
			a=$(jq -c '[.breakeven.first, .breakeven.lasting]' "$OUT/s.json")
			b=$(jq -c '[.breakeven.first, .breakeven.lasting]' "$OUT/sim.json")
			[ "$a" = "$b" ] || { echo "$sc $spacing: sweep $a, simulate $b"; return 1; }
		done
		# and the Monte Carlo band is simulate's lasting breakeven over trials
		"$FLATCOST" simulate "$sc" --trials 200 --format json >"$OUT/sim.json"
		"$FLATCOST" sweep "$sc" --users 1:10000000:3 --trials 200 --format json >"$OUT/s.json"
		a=$(jq -c '.breakeven.trials.p50' "$OUT/s.json")
		b=$(jq -c '.breakeven_users.p50' "$OUT/sim.json")
		[ "$a" = "$b" ] || { echo "$sc Monte Carlo: sweep $a, simulate $b"; return 1; }
	done
	# 0.1's classifier-api (tests/cli/fixtures/classifier-0.1.yaml) on the A5000 at its Dec 2023
	# efficiencies (0.60/0.26): flat is first cheaper at 144 (at 150 users flat $341.40,
	# API $351.06), the API again in 171-266, flat for good from 267 (at the catalog's
	# llama-bench efficiencies flat is cheaper for good from 142: no API-again range)
	"$FLATCOST" sweep tests/cli/fixtures/classifier-0.1.yaml --set flat.hardware=./a5000-dec2023.yaml \
	    --users 10:2000:5 --deterministic >"$OUT/t"
	grep -q "flat is cheaper for good from 267 users" "$OUT/t"
	grep -q "cheaper in 144-170, 267-2,000 (the end) users" "$OUT/t"
}

@test "csv and md: one row per point, the same numbers as the JSON" {
	run --separate-stderr "$FLATCOST" sweep "$SC" --users 10:1000:3 --format csv
	expect_status 0
	[ "$(echo "$output" | wc -l)" -eq 4 ]
	[[ "${lines[0]}" == '"users","revenue.mean","revenue.p5",'* ]]
	[[ "${lines[0]}" == *'"api.monthly_cost.p50"'*'"breakeven_users.p95","breakeven_users.p99","p_flat_cheaper"' ]]
	echo "$output" >"$OUT/s.csv"
	sweep_json --users 10:1000:3
	python3 - "$OUT/s.csv" "$OUT/s.json" <<'EOF'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
pts = json.load(open(sys.argv[2]))["points"]
for r, p in zip(rows, pts):
    assert float(r["users"]) == p["value"]
    for k in ("p5", "p50", "p95", "p99", "mean"):
        assert abs(float(r["api.monthly_cost." + k]) - p["api"]["monthly_cost"][k]) <= 1e-6 * abs(p["api"]["monthly_cost"][k])
EOF
	run --separate-stderr "$FLATCOST" sweep "$SC" --users 10:1000:3 --format md
	expect_status 0
	[[ "$output" == *"| Users | API P5 | API P50 | API P95 | Flat P5 | Flat P50 | Flat P95 | Servers P50 | P(flat cheaper) |"* ]]
	[ "$(echo "$output" | grep -c '^| [0-9]')" -eq 3 ]
	[[ "$output" == *"**Breakeven**"* ]]
}

@test "--vary KEY=FROM:TO:STEPS: any scalar, evenly spaced, breakeven users per point" {
	run --separate-stderr "$FLATCOST" sweep "$SC" --vary workload.input_tokens=500:2000:4 --users 300
	expect_status 0
	[[ "$output" == *"monthly cost by workload.input_tokens, 500 to 2000 in 4 evenly spaced points"* ]]
	[[ "$output" == *"Breakeven"*"users P50"* ]]
	sweep_json --vary workload.input_tokens=500:2000:4 --users 300
	jq_true '[.points[].value] == [500, 1000, 1500, 2000] and .sweep.key == "workload.input_tokens"'
	jq_true '[.points[].users.p50] | all(. == 300)'
	# longer prompts cost more on the API, in every point
	jq_true '[.points[].api.monthly_cost.p50] | . == sort'
	# the point equals simulate with --set KEY=VALUE
	"$FLATCOST" simulate "$SC" --users 300 --set workload.input_tokens=1500 --format json >"$OUT/sim.json"
	[ "$(jq -c '.points[2].api.monthly_cost' "$OUT/s.json")" = "$(jq -c '.api.monthly_cost' "$OUT/sim.json")" ]
	# --vary users=... is --users, log-spaced too
	sweep_json --vary users=10:1000:3
	jq_true '[.points[].value] == [10, 100, 1000] and .sweep.key == "users"'
}

@test "--vary with an unknown key: exit 2 and the did-you-mean of --set" {
	bad_input "$SC" --vary workload.input_tokns=500:2000:4
	[[ "$stderr" == *"unknown key 'workload.input_tokns' (did you mean 'workload.input_tokens'?)"* ]]
}

@test "--vary to an invalid value: exit 2 before any work, naming the point" {
	bad_input "$SC" --vary workload.top10_share=0.05:0.5:3
	[[ "$stderr" == *"out of range"* ]]
	[[ "$stderr" == *"the point workload.top10_share=0.05 is not valid"* ]]
	bad_input "$SC" --vary flat.min_servers=1:2:3
	[[ "$stderr" == *"whole number"* ]]
}

@test "bad input: exit 2, nothing written" {
	bad_input "$SC"
	[[ "$stderr" == *"nothing to sweep"* ]]
	bad_input "$SC" --users 100
	bad_input "$SC" --users 100:10
	bad_input "$SC" --users 0:10
	bad_input "$SC" --users 1.5:10
	bad_input "$SC" --users 10:100:1
	bad_input "$SC" --users 10:100:1001
	bad_input "$SC" --users 10:100:x
	bad_input "$SC" --users 10:1e11
	bad_input "$SC" --users 10:abc
	bad_input "$SC" --users 10:100:5:6
	bad_input "$SC" --users 10:100 --vary users=10:100:3
	bad_input "$SC" --vary workload.chaining=1:2
	bad_input "$SC" --vary =1:2:3
	bad_input "$SC" --vary workload.chaining=0:2:3 --log
	bad_input "$SC" --vary workload.chaining=1:2:3 --vary workload.chaining=1:2:3
	bad_input "$SC" --users 10:100 --trials 0
	bad_input "$SC" --users 10:100 --threads x
	bad_input "$SC" --users 10:100 --format xml
	bad_input "$SC" --users 10:100 --nosuch
	bad_input "$SC" --users 10:100 --chart cost
	bad_input "$SC" --users 10:100 --plot-script "$OUT/k"
	bad_input "$SC" --users 10:100 --plot "$OUT/c.gif"
	bad_input "$SC" --users 10:100 --plot "$OUT/c.png" --chart pie
	bad_input "$SC" --users 10:100 --plot "$OUT/c.png" --chart histogram
	bad_input "$SC" --users 10:100 --plot "$OUT/c.png" --chart share --set revenue_per_user=0
	bad_input "$SC" --users 10:100 --set workload.nosuch=1
	bad_input "$F/missing.yaml" --users 10:100
	bad_input "$SC" "$SC" --users 10:100
}

@test "help lists sweep and shows its synopsis" {
	run "$FLATCOST" help
	[[ "$output" == *"sweep "*"breakeven"* ]]
	run "$FLATCOST" help sweep
	expect_status 0
	[[ "$output" == *"usage: flatcost sweep SCENARIO --users FROM:TO[:STEPS] | --vary KEY=FROM:TO:STEPS"* ]]
	run "$FLATCOST" sweep --help
	expect_status 0
}

@test "--plot FILE.png: a 1600x900 PNG that is not blank, and the report as usual" {
	need_gnuplot
	run --separate-stderr "$FLATCOST" sweep "$SC" --users 10:3000:12 --plot "$OUT/cost.png" -o "$OUT/cost.txt"
	expect_status 0
	[ -z "$output" ]
	[ -z "$(sans_data_warnings)" ]
	python3 "$F/png_check.py" "$OUT/cost.png" 1600 900
	grep -q "flat is cheaper for good from" "$OUT/cost.txt"
	[ "$(ls "$OUT" | sort | tr '\n' ' ')" = "cost.png cost.txt " ]
}

@test "--chart per-user, servers, share: PNGs; --deterministic: no bands" {
	need_gnuplot
	for c in per-user servers share; do
		"$FLATCOST" sweep "$SC" --users 10:3000:8 --plot "$OUT/$c.png" --chart "$c" >/dev/null
		python3 "$F/png_check.py" "$OUT/$c.png" 1600 900
	done
	"$FLATCOST" sweep "$SC" --users 10:3000:8 --deterministic --plot "$OUT/det.png" >/dev/null
	python3 "$F/png_check.py" "$OUT/det.png" 1600 900
}

@test "--plot FILE.svg parses (xmllint); FILE.pdf is a PDF" {
	need_gnuplot
	command -v xmllint >/dev/null || skip "xmllint is not installed (apt-get install libxml2-utils)"
	"$FLATCOST" sweep "$SC" --users 10:3000:8 --plot "$OUT/cost.svg" >/dev/null
	xmllint --noout "$OUT/cost.svg"
	grep -q 'width="1600"' "$OUT/cost.svg"
	grep -q 'breakeven' "$OUT/cost.svg"
	"$FLATCOST" sweep "$SC" --users 10:3000:8 --plot "$OUT/cost.PDF" --chart servers >/dev/null
	[ "$(head -c 5 "$OUT/cost.PDF")" = "%PDF-" ]
}

@test "--plot-script DIR: the plotted data equals the CSV output, and the script renders it" {
	need_gnuplot
	for args in "--users 10:3000:8" "--users 10:3000:8 --deterministic" \
	    "--vary workload.input_tokens=500:2000:4 --users 300"; do
		rm -rf "$OUT/k"
		# shellcheck disable=SC2086
		"$FLATCOST" sweep "$SC" $args --plot "$OUT/chart.png" \
		    --plot-script "$OUT/k" --format csv -o "$OUT/chart.csv"
		[ -s "$OUT/k/chart.dat" ]
		[ -s "$OUT/k/chart.gp" ]
		python3 "$F/same_numbers.py" "$OUT/k/chart.dat" "$OUT/chart.csv"
	done
	# the kept script renders the same chart by itself
	(cd "$OUT/k" && gnuplot chart.gp)
	python3 "$F/png_check.py" "$OUT/k/chart.png" 1600 900
}

@test "gnuplot missing: exit 3 before any work, says what to install, writes nothing" {
	echo "old chart" >"$OUT/keep.png"
	run --separate-stderr env FLATCOST_GNUPLOT=/nonexistent/gnuplot "$FLATCOST" sweep "$SC" \
	    --users 10:1000 --plot "$OUT/keep.png" -o "$OUT/report.txt"
	expect_status 3
	[ -z "$output" ]
	[[ "$stderr" == *"cannot find /nonexistent/gnuplot"*"apt-get install gnuplot-nox"* ]]
	[ "$(cat "$OUT/keep.png")" = "old chart" ]
	[ "$(ls "$OUT")" = keep.png ]
	# and not on the PATH (flatcost needs nothing else from it)
	mkdir -p "$BATS_TEST_TMPDIR/emptybin"
	run --separate-stderr env PATH="$BATS_TEST_TMPDIR/emptybin" "$FLATCOST" sweep "$SC" \
	    --users 10:1000 --plot "$OUT/new.png"
	expect_status 3
	[[ "$stderr" == *"cannot find gnuplot"*"apt-get install gnuplot-nox"* ]]
	[ "$(ls "$OUT")" = keep.png ]
}

@test "gnuplot failing: exit 3, its message shown, no partial chart left behind" {
	# a gnuplot that writes half a chart, complains and fails
	cat >"$BATS_TEST_TMPDIR/badplot" <<'EOF'
#!/bin/sh
out=$(sed -n 's/^set output "\(.*\)"$/\1/p')
printf '\211PNG partial' >"$out"
echo "badplot: cannot render" >&2
exit 1
EOF
	chmod +x "$BATS_TEST_TMPDIR/badplot"
	echo "old chart" >"$OUT/keep.png"
	run --separate-stderr env FLATCOST_GNUPLOT="$BATS_TEST_TMPDIR/badplot" "$FLATCOST" sweep "$SC" \
	    --users 10:1000:4 --plot "$OUT/keep.png" --plot-script "$OUT/k" -o "$OUT/report.txt"
	expect_status 3
	[ -z "$output" ]
	[[ "$stderr" == *"badplot: cannot render"* ]]
	[[ "$stderr" == *"failed to draw $OUT/keep.png (exit status 1)"*"apt-get install gnuplot-nox"* ]]
	[ "$(cat "$OUT/keep.png")" = "old chart" ]
	[ "$(ls "$OUT")" = keep.png ]
	# one that succeeds without drawing anything is a failure too
	printf '#!/bin/sh\ncat >/dev/null\n' >"$BATS_TEST_TMPDIR/noplot"
	chmod +x "$BATS_TEST_TMPDIR/noplot"
	run --separate-stderr env FLATCOST_GNUPLOT="$BATS_TEST_TMPDIR/noplot" "$FLATCOST" sweep "$SC" \
	    --users 10:1000:4 --plot "$OUT/new.svg"
	expect_status 3
	[[ "$stderr" == *"wrote nothing"* ]]
	[ "$(ls "$OUT")" = keep.png ]
}

@test "simulate --plot FILE.png: the histogram of monthly cost" {
	need_gnuplot
	run --separate-stderr "$FLATCOST" simulate "$SC" --plot "$OUT/hist.png" -o "$OUT/sim.txt"
	if [[ "$stderr" == *"unrecognized option"* || "$stderr" == *"unknown option"* ]]; then
		skip "simulate has no --plot yet"
	fi
	expect_status 0
	python3 "$F/png_check.py" "$OUT/hist.png" 1600 900
	"$FLATCOST" simulate "$SC" --plot "$OUT/hist.svg" >/dev/null
	xmllint --noout "$OUT/hist.svg"
	grep -q 'median' "$OUT/hist.svg"
	# --deterministic has no spread to draw: exit 2, nothing written
	rm -f "$OUT"/*
	run --separate-stderr "$FLATCOST" simulate "$SC" --deterministic --plot "$OUT/h.png" -o "$OUT/sim.txt"
	expect_status 2
	[ -z "$(ls "$OUT")" ]
	run --separate-stderr env FLATCOST_GNUPLOT=/nonexistent "$FLATCOST" simulate "$SC" --plot "$OUT/h.png"
	expect_status 3
	[[ "$stderr" == *"apt-get install gnuplot-nox"* ]]
	[ -z "$(ls "$OUT")" ]
}

# Sweep rows and charts mark the points where flat cannot serve
@test "non-viable points: starred in the table, never cheaper, ringed on the chart" {
	local set=(--set flat.hardware=hetzner/cx43 --vary flat.slo.p95_latency_s=60:600:4)
	run --separate-stderr "$FLATCOST" sweep scenarios/content-optimizer.yaml "${set[@]}" --deterministic
	expect_status 0
	echo "$output" | grep -Eq '^ +60 .* API\* +n/a$'
	echo "$output" | grep -Eq '^ +600 .* flat +[0-9]+$'
	[[ "$output" == *"* flat is not viable at the starred points, so never cheaper there; at 60:"* ]]
	[[ "$output" == *"one call alone takes 210 s on hetzner/cx43, over the SLO of 60 s"* ]]
	[[ "$output" == *"flat is cheaper for good from 420 (to the end of the sweep, 600)"* ]]
	run --separate-stderr "$FLATCOST" sweep scenarios/content-optimizer.yaml "${set[@]}" --trials 100 --format json
	[ "$(jq '.points[0].flat.viable.mean == 0 and .points[2].flat.viable.mean > 0.5 and .points[3].flat.viable.mean == 1 and .points[0].p_flat_cheaper == 0' <<<"$output")" = true ]
	need_gnuplot
	"$FLATCOST" sweep scenarios/content-optimizer.yaml "${set[@]}" --deterministic --plot "$OUT/nv.png" \
	    --plot-script "$OUT/k" >/dev/null
	grep -q 'title "flat not viable"' "$OUT"/k/*.gp
}
