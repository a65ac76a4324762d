#!/usr/bin/env bats
# `flatcost sensitivity`: one dominant input found and named,
# the rows of JSON inputs[] sorted by share and summing to 1, the same
# bytes for any thread count, every format, null figures (breakeven)
# reported and ranked, figures that are not available, and the tornado
# chart rendered by the real gnuplot (PNG size and content, SVG that
# parses, PDF).  The estimators' accuracy against closed forms is
# tests/unit/test_sensitivity.c's.
#
# Fixture: tests/cli/fixtures-sensitivity/dominant.yaml, 1,000 trials,
# requests per user per day spanning a factor of 10, everything else a
# few percent.

bats_require_minimum_version 1.5.0

load helpers

F=tests/cli/fixtures-sensitivity
SC=tests/cli/fixtures-sensitivity/dominant.yaml
PNG=tests/cli/fixtures-sweep/png_check.py
REST="(interactions and randomness)"

setup() {
	cd_repo
	make_out
}

need_gnuplot() {
	command -v gnuplot >/dev/null || skip "gnuplot is not installed (apt-get install gnuplot-nox)"
}

# jq_true FILE FILTER: FILTER gives true on FILE.
jq_true() {
	local got
	got=$(jq "$2" "$1")
	if [ "$got" != true ]; then
		echo "jq '$2' gave: $got"
		return 1
	fi
}

# bad_input ARGS...: exit 2, nothing on stdout, no -o file, an error.
bad_input() {
	run --separate-stderr fc sensitivity "$@" -o "$OUT/report.txt"
	expect_status 2
	[ -z "$output" ]
	[ -n "$stderr" ]
	[ -z "$(ls "$OUT")" ]
}

@test "table: the dominant input first, with nearly all the variance, and named for knowing" {
	run --separate-stderr fc sensitivity "$SC"
	expect_status 0
	[ -z "$(sans_data_warnings)" ]
	[[ "$output" == *"Dominant input fixture: what drives API total (api.monthly_cost), 2,000 users, month 1"* ]]
	[[ "$output" == *"1000 trials, seed 11"* ]]
	# the first row of the table is the requests, at over 95%
	row=$(echo "$output" | grep -A1 '^  Input' | tail -1)
	[[ "$row" == "  workload.requests_per_user_per_day "* ]]
	share=$(echo "$row" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /%$/) { print $i + 0; exit } }')
	[ "${share%.*}" -ge 95 ]
	[[ "$output" == *"$REST"* ]]
	[[ "$output" == *"knowing workload.requests_per_user_per_day exactly narrows the P5-P95 width most"* ]]
	# the estimator and the standard error's method are named
	[[ "$output" == *"binned conditional-mean estimator"* ]]
	[[ "$output" == *"bootstrap over the trials (200 resamples, seed 11)"* ]]
}

@test "json: inputs[] sorted by share with every member, the rest row, rows summing to 1" {
	fc sensitivity "$SC" --format json >"$OUT/s.json"
	jq_true "$OUT/s.json" '.figure.key == "api.monthly_cost" and .figure.trials_used == 1000
	    and .figure.null_trials == 0 and .method.scale == "values"'
	jq_true "$OUT/s.json" '.inputs[0].key == "workload.requests_per_user_per_day"
	    and .inputs[0].share > 0.95 and .inputs[0].rank_corr > 0.95
	    and .inputs[0].high > .inputs[0].low'
	jq_true "$OUT/s.json" '[.inputs[] | has("key", "share", "share_se", "low", "high", "rank_corr")]
	    | all'
	jq_true "$OUT/s.json" '.inputs[-1].key == "(interactions and randomness)"
	    and .inputs[-1].low == null and .inputs[-1].rank_corr == null'
	jq_true "$OUT/s.json" '[.inputs[:-1][].share] as $s | $s == ($s | sort | reverse)'
	jq_true "$OUT/s.json" '([.inputs[].share] | add) - 1 | fabs < 1e-9'
	jq_true "$OUT/s.json" '[.inputs[:-1][].share_se] | all(. > 0 and . < 0.05)'
	jq_true "$OUT/s.json" '.method.share | test("binned conditional-mean estimator")'
	jq_true "$OUT/s.json" '.method.share_se | test("bootstrap")'
	jq_true "$OUT/s.json" '.value_of_information.best == "workload.requests_per_user_per_day"
	    and .value_of_information.width_if_known < .value_of_information.width / 2'
	# constants are not inputs
	jq_true "$OUT/s.json" '[.inputs[].key] | index("workload.input_tokens") == null'
}

@test "the rows sum to 1 for every figure, and for a scenario with many inputs" {
	for f in api.monthly_cost flat.monthly_cost savings.monthly per_user.flat; do
		fc sensitivity scenarios/content-optimizer.yaml --trials 1000 --figure "$f" \
		    --format json >"$OUT/$f.json"
		jq_true "$OUT/$f.json" '([.inputs[].share] | add) - 1 | fabs < 1e-9'
		jq_true "$OUT/$f.json" ".figure.key == \"$f\""
	done
}

@test "the same bytes for any thread count, every format" {
	for fmt in table json csv md; do
		fc sensitivity "$SC" --format "$fmt" --threads 1 >"$OUT/t1.$fmt"
		fc sensitivity "$SC" --format "$fmt" --threads 2 >"$OUT/t2.$fmt"
		fc sensitivity "$SC" --format "$fmt" --threads 5 >"$OUT/t5.$fmt"
		cmp "$OUT/t1.$fmt" "$OUT/t2.$fmt"
		cmp "$OUT/t1.$fmt" "$OUT/t5.$fmt"
	done
	# another seed, other trials: other numbers
	fc sensitivity "$SC" --format json --seed 12 >"$OUT/s12.json"
	refute cmp -s "$OUT/t1.json" "$OUT/s12.json"
}

@test "csv and md: one row per input and the rest, the same numbers as JSON" {
	fc sensitivity "$SC" --format csv >"$OUT/s.csv"
	fc sensitivity "$SC" --format json >"$OUT/s.json"
	head -1 "$OUT/s.csv" | grep -qx '"figure","key","unit","share","share_se","low","high","rank_corr","p10","p90","width_if_known"'
	[ "$(wc -l <"$OUT/s.csv")" -eq $(($(jq '.inputs | length' "$OUT/s.json") + 1)) ]
	tail -1 "$OUT/s.csv" | grep -q '^"api.monthly_cost","(interactions and randomness)",'
	first=$(sed -n 2p "$OUT/s.csv" | cut -d, -f4 | tr -d '"')
	# the CSV's 10 significant digits against JSON's exact double
	jq_true "$OUT/s.json" "(.inputs[0].share - $first) | fabs < 1e-9"

	fc sensitivity "$SC" --format md >"$OUT/s.md"
	grep -q '^### Dominant input fixture: what drives API total' "$OUT/s.md"
	grep -q '^| `workload.requests_per_user_per_day` |' "$OUT/s.md"
	grep -q '^| (interactions and randomness) |' "$OUT/s.md"
}

@test "-o FILE: the report in the file, nothing on stdout" {
	run --separate-stderr fc sensitivity "$SC" --format json -o "$OUT/s.json"
	expect_status 0
	[ -z "$output" ]
	jq -e '.inputs | length > 1' "$OUT/s.json" >/dev/null
}

@test "breakeven_users: the null trials reported, the indices on ranks, said in the output" {
	# the A5000 at its Dec 2023 efficiencies (0.60/0.26): 2,316 of the
	# 10,000 trials find no breakeven (at the catalog's llama-bench ones
	# every trial does); every trial's breakeven is searched
	fc sensitivity scenarios/support-chatbot.yaml --figure breakeven_users --format json \
	    --set flat.hardware=../tests/cli/fixtures/a5000-dec2023.yaml >"$OUT/b.json"
	jq_true "$OUT/b.json" '.figure.null_trials > 0 and .figure.null_share > 0
	    and .figure.trials_used == 10000 and .method.scale == "ranks"'
	jq_true "$OUT/b.json" '.method.nulls | test("ranked above every value")'
	jq_true "$OUT/b.json" '([.inputs[].share] | add) - 1 | fabs < 1e-9'
	run --separate-stderr fc sensitivity scenarios/support-chatbot.yaml --figure breakeven_users \
	    --set flat.hardware=../tests/cli/fixtures/a5000-dec2023.yaml
	expect_status 0
	[[ "$output" == *$'\n10000 trials, seed 7: P5 '* ]]
	[[ "$output" == *"have no breakeven_users (null): ranked above every value"* ]]
	[[ "$output" != *"first 200"* && "$output" != *"First 200"* ]]
	# a breakeven that every trial reaches: no nulls, values
	fc sensitivity "$SC" --figure breakeven_users --format json >"$OUT/d.json"
	jq_true "$OUT/d.json" '.figure.null_trials == 0 and .method.scale == "values"'
}

@test "payback_month: the months' payback per trial, nulls past --months censored" {
	# the flat architecture's one-time cost makes the payback month vary
	fc sensitivity "$SC" --figure payback_month --set flat.one_time=30000 --format json >"$OUT/p.json"
	jq_true "$OUT/p.json" '([.inputs[].share] | add) - 1 | fabs < 1e-9'
	jq_true "$OUT/p.json" '.figure.key == "payback_month" and .figure.months_searched == 36'
	jq_true "$OUT/p.json" '.figure.p50 >= 1 and .figure.p95 <= 36'
	# one month searched: most trials do not pay back in it (null, ranked above)
	fc sensitivity "$SC" --figure payback_month --months 1 --set flat.one_time=30000 \
	    --format json >"$OUT/q.json"
	jq_true "$OUT/q.json" '.figure.null_trials > 0 and .method.scale == "ranks"'
	rm "$OUT/p.json" "$OUT/q.json"
	bad_input "$SC" --months 12
	[[ "$stderr" == *"--months is the horizon of --figure payback_month"* ]]
}

@test "bad input: exit 2, nothing written, the error says what was expected" {
	bad_input "$SC" --figure api.montly_cost
	[[ "$stderr" == *"unknown figure 'api.montly_cost'; expected a figure key"* ]]
	bad_input "$SC" --format xml
	[[ "$stderr" == *"--format: expected table, json, csv or md, got 'xml'"* ]]
	bad_input "$SC" --trials 0
	bad_input "$SC" --users 1.5
	bad_input "$SC" --deterministic
	bad_input "$SC" --plot "$OUT/chart.gif"
	bad_input
	bad_input "$SC" "$SC"
	bad_input "$F/missing.yaml"
	# too few trials to bin
	bad_input "$SC" --trials 10
	[[ "$stderr" == *"needs at least 20 trials, got 10"* ]]
}

@test "no uncertain input, or a figure that never varies: exit 2 with the reason" {
	bad_input "$SC" --set 'workload.requests_per_user_per_day=20' \
	    --set 'workload.output_tokens=500' --set 'flat.fallback.share=0.05'
	[[ "$stderr" == *"no uncertain input: every number is a constant"* ]]
	bad_input "$SC" --figure users
	[[ "$stderr" == *"users has the same value in every trial"* ]]
}

@test "--users N fixes the users: not an input then; a distribution of users is one" {
	fc sensitivity "$SC" --set 'users=1000 to 3000' --format json >"$OUT/u.json"
	jq_true "$OUT/u.json" '[.inputs[].key] | index("users") != null'
	jq_true "$OUT/u.json" '.inputs[] | select(.key == "users") | .unit == "users"'
	fc sensitivity "$SC" --set 'users=1000 to 3000' --users 1500 --format json >"$OUT/f.json"
	jq_true "$OUT/f.json" '([.inputs[].key] | index("users") == null) and .users == 1500'
}

@test "help lists sensitivity and shows its synopsis" {
	run "$FLATCOST" help
	[[ "$output" == *"sensitivity "*"which uncertain input drives"* ]]
	run "$FLATCOST" help sensitivity
	expect_status 0
	[[ "$output" == *"usage: flatcost sensitivity SCENARIO [--figure KEY]"* ]]
	run "$FLATCOST" sensitivity --help
	expect_status 0
}

@test "--plot FILE.png: a 1600x900 tornado that is not blank, and the report as usual" {
	need_gnuplot
	run --separate-stderr fc sensitivity "$SC" --plot "$OUT/t.png" -o "$OUT/t.txt"
	expect_status 0
	[ -z "$output" ]
	[ -z "$(sans_data_warnings)" ]
	python3 "$PNG" "$OUT/t.png" 1600 900
	grep -q "what drives API total" "$OUT/t.txt"
	[ "$(ls "$OUT" | sort | tr '\n' ' ')" = "t.png t.txt " ]
	# nulls drawn at the "none" line
	fc sensitivity scenarios/support-chatbot.yaml --figure breakeven_users \
	    --plot "$OUT/b.png" >/dev/null
	python3 "$PNG" "$OUT/b.png" 1600 900
}

@test "--plot FILE.svg parses (xmllint), bars labelled with range and units; FILE.pdf is a PDF" {
	need_gnuplot
	command -v xmllint >/dev/null || skip "xmllint is not installed (apt-get install libxml2-utils)"
	fc sensitivity "$SC" --plot "$OUT/t.svg" >/dev/null
	xmllint --noout "$OUT/t.svg"
	grep -q 'width="1600"' "$OUT/t.svg"
	grep -q 'workload.requests_per_user_per_day' "$OUT/t.svg"
	grep -q 'requests/user/day' "$OUT/t.svg"
	grep -q 'input near its P90' "$OUT/t.svg"
	# a share input's range in percent: % kept in the tic labels
	grep -q '4.16% to 5.79%' "$OUT/t.svg"
	fc sensitivity "$SC" --plot "$OUT/t.pdf" >/dev/null
	[ "$(head -c 5 "$OUT/t.pdf")" = "%PDF-" ]
}

@test "gnuplot missing or failing: exit 3, no chart, no report" {
	run --separate-stderr env FLATCOST_GNUPLOT=/nonexistent/gnuplot "$FLATCOST" sensitivity \
	    "$SC" --plot "$OUT/t.png" -o "$OUT/t.txt"
	expect_status 3
	[[ "$stderr" == *"cannot find /nonexistent/gnuplot"* ]]
	[ -z "$(ls "$OUT")" ]
	printf '#!/bin/sh\ncat >/dev/null\necho "badplot: no" >&2\nexit 1\n' >"$BATS_TEST_TMPDIR/badplot"
	chmod +x "$BATS_TEST_TMPDIR/badplot"
	run --separate-stderr env FLATCOST_GNUPLOT="$BATS_TEST_TMPDIR/badplot" "$FLATCOST" \
	    sensitivity "$SC" --plot "$OUT/t.png"
	expect_status 3
	[ -z "$output" ]
	[[ "$stderr" == *"badplot: no"* ]]
	[ -z "$(ls "$OUT")" ]
}

# A sample as hardening.bats takes (`make check-oom` takes more): every
# allocation among the last 60 and every 700th before them.
@test "out of memory at the n-th allocation: a clean failure, nothing left behind" {
	[ -z "${FLATCOST_REAL:-}" ] || skip "under valgrind: make check-oom runs this on the ASan build"
	run sh scripts/oom.sh -s 700 -t 60 "$FLATCOST" sensitivity "$SC" --threads 1 --trials 100 \
	    --format json -o @OUT@
	echo "$output"
	[ "$status" -eq 0 ]
}
