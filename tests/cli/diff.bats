#!/usr/bin/env bats
# `flatcost diff BASE CANDIDATE`: the change in every figure on common
# random numbers.  A scenario against itself changes by exactly zero; a
# longer prompt (1500 input tokens instead of 1000) raises the API's cost
# in every trial by 500 x 2.50 / (1000 x 2.50 + 500 x 10.00) = 16.67% of
# its LLM cost; --fail-above gates it (exit 1); bad input exits 2 with
# nothing written, an unwritable output 3.

bats_require_minimum_version 1.5.0

load helpers

F=tests/cli/fixtures-budget

setup() {
	cd_repo
	make_out
}

# bad_input ARGS...: exit 2, nothing on stdout or in -o FILE, an error on stderr.
bad_input() {
	run --separate-stderr "$FLATCOST" diff "$@" -o "$OUT/diff.txt"
	expect_status 2
	[ -z "$output" ]
	[ -n "$stderr" ]
	refute test -e "$OUT/diff.txt"
	[ -z "$(ls -A "$OUT")" ]
}

@test "a scenario against itself: every change exactly zero (JSON)" {
	run --separate-stderr "$FLATCOST" diff $F/ok/base.yaml $F/ok/base.yaml --format json
	expect_status 0
	[ -z "$(sans_data_warnings)" ]
	# every change statistic and relative change of every figure is 0
	[ "$(jq -c '[.. | objects | select(has("change")) | (.change[], .relative)] | unique' <<<"$output")" = "[0]" ]
	[ "$(jq -c '[.. | objects | select(has("change")) | select(.base != .candidate)] | length' <<<"$output")" -eq 0 ]
	[ "$(jq -c '.p_candidate_cheaper' <<<"$output")" = '{"flat.monthly_cost":0,"api.monthly_cost":0}' ]
	# byte for byte: the text of every change is the same zero
	[ "$(grep -A4 '"change": {' <<<"$output" | grep -E '"(mean|p5|p50|p95)":' | sort -u | sed 's/^ *//; s/,$//' | sort -u | tr '\n' ' ')" = '"mean": 0.0 "p5": 0.0 "p50": 0.0 "p95": 0.0 ' ]
}

@test "a scenario against a byte copy of itself: the same JSON but for the file name" {
	cp $F/ok/base.yaml "$OUT/copy.yaml"
	run --separate-stderr "$FLATCOST" diff $F/ok/base.yaml $F/ok/base.yaml --format json
	self=$output
	run --separate-stderr "$FLATCOST" diff $F/ok/base.yaml "$OUT/copy.yaml" --format json
	expect_status 0
	[ "$(sed "s|$OUT/copy.yaml|$F/ok/base.yaml|" <<<"$output")" = "$self" ]
}

@test "a scenario against itself, deterministic: zero; --fail-above 0 passes" {
	run --separate-stderr "$FLATCOST" diff $F/ok/base.yaml $F/ok/base.yaml --format json --deterministic --fail-above 0
	expect_status 0
	[ "$(jq -r '.mode' <<<"$output")" = deterministic ]
	[ "$(jq -c '[.. | objects | select(has("change")) | (.change[], .relative)] | unique' <<<"$output")" = "[0]" ]
	[ "$(jq -c '.gate' <<<"$output")" = '{"figure":"per_user.flat","fail_above_percent":0,"rise_percent":0,"status":"pass"}' ]
	[ "$(jq -r 'has("p_candidate_cheaper")' <<<"$output")" = false ]
}

@test "a longer prompt: the API costs more in every trial (common random numbers)" {
	run --separate-stderr "$FLATCOST" diff $F/ok/base.yaml $F/longer.yaml --format json
	expect_status 0
	[ "$(jq -r '.base.file, .candidate.file, .trials, .seed' <<<"$output" | tr '\n' ' ')" = "$F/ok/base.yaml $F/longer.yaml 300 7 " ]
	[ "$(jq -r '.figures.api.monthly_cost.change.p5 > 0' <<<"$output")" = true ]
	[ "$(jq -r '.figures.api.monthly_cost.change.mean > 0' <<<"$output")" = true ]
	[ "$(jq -r '.p_candidate_cheaper["api.monthly_cost"]' <<<"$output")" = 0 ]
	[ "$(jq -r '.figures.workload.calls.change | [.[]] | unique == [0]' <<<"$output")" = true ]
	[ "$(jq -r '.figures.workload.input_tokens.relative | . > 0.4999 and . < 0.5001' <<<"$output")" = true ]
	[ "$(jq -r '(.figures.api.monthly_cost | .candidate - .base - .change.mean) | . < 1e-3 and . > -1e-3' <<<"$output")" = true ]
}

@test "--fail-above gates a rise of the chosen figure: exit 1 above, 0 at or under" {
	run --separate-stderr "$FLATCOST" diff $F/ok/base.yaml $F/longer.yaml --deterministic --figure api.monthly_cost --fail-above 16.6
	expect_status 1
	grep -qx "flatcost: api.monthly_cost rose by 16.67%, more than the 16.6% allowed by --fail-above" <<<"$stderr"
	grep -q "^  gate: api.monthly_cost changed +16.67%, at most +16.6% allowed: fail$" <<<"$output"
	run --separate-stderr "$FLATCOST" diff $F/ok/base.yaml $F/longer.yaml --deterministic --figure api.monthly_cost --fail-above 16.7%
	expect_status 0
	[ -z "$(sans_data_warnings)" ]
	grep -q "allowed: pass$" <<<"$output"
	run --separate-stderr "$FLATCOST" diff $F/ok/base.yaml $F/longer.yaml --figure api.monthly_cost --fail-above 10 --format json
	expect_status 1
	[ "$(jq -r '.gate.status' <<<"$output")" = fail ]
	# the other way round, the cost falls: no gate trips
	run --separate-stderr "$FLATCOST" diff $F/longer.yaml $F/ok/base.yaml --figure api.monthly_cost --fail-above 0 --format json
	expect_status 0
	[ "$(jq -r '.p_candidate_cheaper["api.monthly_cost"]' <<<"$output")" = 1 ]
}

@test "table: every figure, its interval of change and P(candidate cheaper)" {
	run --separate-stderr "$FLATCOST" diff $F/ok/base.yaml $F/longer.yaml
	expect_status 0
	[ "${lines[0]}" = "base:      Budget test ($F/ok/base.yaml)" ]
	[ "${lines[1]}" = "candidate: Budget test, longer prompt ($F/longer.yaml)" ]
	grep -q "^  FIGURE  *BASE  *CANDIDATE  *CHANGE  *P5 \.\. P95 OF CHANGE  *RELATIVE$" <<<"$output"
	grep -q "^  api.monthly_cost  .* +\\\$.* \.\. +\\\$.*  *+[0-9.]*%$" <<<"$output"
	grep -q "^  users  *5,000  *5,000  *0  *0 \.\. 0  *0.00%$" <<<"$output"
	grep -q "^  P(candidate cheaper): flat [0-9.]*%, API 0.0%$" <<<"$output"
}

@test "--format md: the headline figure, the gate and the changed figures" {
	run --separate-stderr "$FLATCOST" diff $F/ok/base.yaml $F/longer.yaml --format md --figure api.monthly_cost --fail-above 50 -o "$OUT/diff.md"
	expect_status 0
	[ -z "$output" ]
	[ "$(head -1 "$OUT/diff.md")" = "### flatcost diff: Budget test → Budget test, longer prompt" ]
	grep -q '^\*\*`api.monthly_cost`: \$.* → \$.* (+\$.*, +[0-9.]*%)\*\*, P5–P95 of the change +\$.* to +\$.*$' "$OUT/diff.md"
	grep -q '^✅ Gate: `api.monthly_cost` changed +[0-9.]*%, at most +50% allowed\.$' "$OUT/diff.md"
	grep -qx "| Figure | Base | Candidate | Change | P5–P95 of change | Relative |" "$OUT/diff.md"
	grep -q '^| `api.monthly_cost` | ' "$OUT/diff.md"
	refute grep -q '^| `users` | ' "$OUT/diff.md"
	grep -q "^[0-9]* figures unchanged\.$" "$OUT/diff.md"
	# against itself: no rows, every figure unchanged
	run --separate-stderr "$FLATCOST" diff $F/ok/base.yaml $F/ok/base.yaml --format md
	expect_status 0
	[ "$(grep -c '^| `' <<<"$output")" -eq 0 ]
	grep -q "^[0-9]* figures unchanged\.$" <<<"$output"
}

@test "the same bytes whatever the thread count" {
	run --separate-stderr "$FLATCOST" diff $F/ok/base.yaml $F/longer.yaml --format json --threads 1
	one=$output
	run --separate-stderr "$FLATCOST" diff $F/ok/base.yaml $F/longer.yaml --format json --threads 3
	[ "$one" = "$output" ]
}

@test "both run on the base's trials and seed unless given" {
	sed 's/^simulation: .*/simulation: {trials: 200, seed: 8}/' $F/longer.yaml >"$OUT/other.yaml"
	run --separate-stderr "$FLATCOST" diff $F/ok/base.yaml "$OUT/other.yaml" --format json
	expect_status 0
	[ "$(jq -r '"\(.trials) \(.seed)"' <<<"$output")" = "300 7" ]
	grep -qx "flatcost: note: both scenarios run with the base's 300 trials and seed 7" <<<"$stderr"
	run --separate-stderr "$FLATCOST" diff $F/ok/base.yaml "$OUT/other.yaml" --format json --trials 50 --seed 3
	[ "$(jq -r '"\(.trials) \(.seed)"' <<<"$output")" = "50 3" ]
	[ -z "$(sans_data_warnings)" ]
}

@test "bad input: exit 2, both files' errors, nothing written" {
	bad_input $F/ok/base.yaml
	grep -q "expected two scenario files" <<<"$stderr"
	bad_input $F/ok/base.yaml $F/longer.yaml $F/warn.yaml
	bad_input $F/missing.yaml $F/also-missing.yaml
	[ "$(grep -c ': error: cannot open' <<<"$stderr")" -eq 2 ]
	bad_input $F/ok/base.yaml $F/longer.yaml --figure per_user.flta
	grep -q "unknown figure 'per_user.flta' (did you mean 'per_user.flat'?)" <<<"$stderr"
	bad_input $F/ok/base.yaml $F/longer.yaml --fail-above -1
	bad_input $F/ok/base.yaml $F/longer.yaml --fail-above ten
	bad_input $F/ok/base.yaml $F/longer.yaml --format csv
	bad_input $F/ok/base.yaml $F/longer.yaml --trials 0
	bad_input $F/ok/base.yaml $F/longer.yaml --set nonsense=1
}

@test "an output that cannot be written: exit 3, no partial file" {
	run --separate-stderr "$FLATCOST" diff $F/ok/base.yaml $F/longer.yaml -o "$OUT/no/such/diff.json" --format json
	expect_status 3
	[ -z "$output" ]
	grep -qx "flatcost: cannot write $OUT/no/such/diff.json: No such file or directory" <<<"$stderr"
	[ -z "$(ls -A "$OUT")" ]
}

# chatbot T: the support chatbot with T input tokens a call (lognormal, cv 0.5)
chatbot() {
	sed "s/^  input_tokens: .*/  input_tokens: {dist: lognormal, mean: $1, cv: 0.5}/" \
	    scenarios/support-chatbot.yaml >"$OUT/chat$1.yaml"
}

@test "a breakeven over the trials where both have one is labelled so, with each side's own figure" {
	chatbot 1000
	chatbot 5000
	run --separate-stderr "$FLATCOST" simulate "$OUT/chat1000.yaml" --trials 100 --format json
	expect_status 0
	base_p50=$(jq '.breakeven_users.p50' <<<"$output")
	run --separate-stderr "$FLATCOST" simulate "$OUT/chat5000.yaml" --trials 100 --format json
	cand_p50=$(jq '.breakeven_users.p50' <<<"$output")
	run --separate-stderr "$FLATCOST" diff "$OUT/chat1000.yaml" "$OUT/chat5000.yaml" --trials 100 --format json
	expect_status 0
	b=$(jq -c '.figures.breakeven_users' <<<"$output")
	[ "$(jq '.conditional' <<<"$b")" = true ]
	n=$(jq '.trials_both' <<<"$b")
	nb=$(jq '.own.base.trials' <<<"$b")
	nc=$(jq '.own.candidate.trials' <<<"$b")
	# the longer prompt finds a breakeven in fewer trials; both: at most either
	[ "$n" -lt "$nb" ] && [ "$n" -le "$nc" ] && [ "$nc" -lt "$nb" ]
	# each side's own P50 is simulate's, not the conditional one
	[ "$(jq '.own.base.p50' <<<"$b")" = "$base_p50" ]
	[ "$(jq '.own.candidate.p50' <<<"$b")" = "$cand_p50" ]
	[ "$(jq '.base != .own.base.mean' <<<"$b")" = true ]
	# a figure every trial has is not conditional
	[ "$(jq '.figures.api.monthly_cost.conditional' <<<"$output")" = false ]
	run --separate-stderr "$FLATCOST" diff "$OUT/chat1000.yaml" "$OUT/chat5000.yaml" --trials 100
	expect_status 0
	grep -q '^  breakeven_users\* ' <<<"$output"
	grep -qx "  breakeven_users\*: over $n of 100 trials where both have a breakeven; on its own the base's is 64,188 (P50; mean 76,123; over $nb trials), the candidate's 47,653 (P50; mean 65,943; over $nc trials)" <<<"$output"
	run --separate-stderr "$FLATCOST" diff "$OUT/chat1000.yaml" "$OUT/chat5000.yaml" --trials 100 --format md
	grep -q "^- breakeven_users\*: over $n of 100 trials where both have a breakeven" <<<"$output"
	# against itself nothing is conditional
	run --separate-stderr "$FLATCOST" diff "$OUT/chat1000.yaml" "$OUT/chat1000.yaml" --trials 100 --format json
	[ "$(jq '[.. | objects | select(has("conditional")) | .conditional] | any' <<<"$output")" = false ]
	# deterministic: one side without a breakeven has no change, each its own value (the
	# 5,000-token chatbot on the A5000 at its Dec 2023 efficiencies, 0.60/0.26, has none; at
	# the catalog's llama-bench ones, 0.680/0.392, it breaks even at 43,318)
	sed "s#^  hardware: gpu/runpod-a5000#  hardware: $PWD/tests/cli/fixtures/a5000-dec2023.yaml#" \
	    "$OUT/chat5000.yaml" >"$OUT/chat5000-dec2023.yaml"
	run --separate-stderr "$FLATCOST" diff "$OUT/chat1000.yaml" "$OUT/chat5000-dec2023.yaml" --deterministic
	grep -qx "  breakeven_users\*: not in both, so no change; the base's own is 58,880, the candidate's none" <<<"$output"
}
