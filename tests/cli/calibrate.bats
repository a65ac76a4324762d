#!/usr/bin/env bats
# `flatcost calibrate LOG...`: a scenario fitted from usage logs.  A
# generated weekday log with exact answers (40 users, 3 actions per user
# per weekday on average, 2 calls per trace, no weekend traffic) is
# recovered exactly; the written scenario validates and simulates; the real
# samples of each format (fixtures-calibrate/README.md) are read; bad input
# exits 2 with FILE:LINE and nothing written.

bats_require_minimum_version 1.5.0

load helpers

F=tests/cli/fixtures-calibrate

setup() {
	cd_repo
	make_out
}

# weekday_log FILE: 4 weeks from Monday 2024-05-06, weekdays only; user u
# starts u%5+1 actions a day at (9+a):00 plus u minutes, each 2 calls of
# one trace; 1000, 1100 or 1200 input tokens, 200 output; one call in 10
# rejected in the shadow run.  Calls: 20 days x 120 actions x 2 = 4800.
weekday_log() {
	awk 'BEGIN { print "time,user_id,prompt_tokens,completion_tokens,trace_id,accepted"
	  t0 = 1714953600
	  for (d = 0; d < 28; d++) { if (d % 7 >= 5) continue
	    for (u = 0; u < 40; u++) for (a = 0; a < u % 5 + 1; a++) {
	      ts = t0 + d * 86400 + (9 + a) * 3600 + u * 60
	      for (c = 0; c < 2; c++)
	        printf "%d,u%d,%d,200,t%d-%d-%d,%d\n", ts + c, u, 1000 + 100 * (u % 3), d, u, a, (u + a + c) % 10 != 0 } } }' > "$1"
}

# two_model_log FILE: weekday_log with a model column: action a of user u
# on gpt-4o-mini when (u + a) % 4 == 0 (1200 of the 4800 calls), else on
# LiteLLM's openai/gpt-4o.
two_model_log() {
	weekday_log "$1.one"
	awk -F, 'NR == 1 { print $0 ",model"; next }
	  { split($5, t, "-"); print $0 "," ((t[2] + t[3]) % 4 == 0 ? "gpt-4o-mini" : "openai/gpt-4o") }' \
	    "$1.one" > "$1"
	rm "$1.one"
}

# bad_input ARGS...: exit 2, nothing on stdout or in -o FILE, an error on stderr.
bad_input() {
	run --separate-stderr fc calibrate "$@" -o "$OUT/s.yaml"
	expect_status 2
	[ -z "$output" ]
	[ -n "$stderr" ]
	refute test -e "$OUT/s.yaml"
}

@test "a weekday log: exact users, rpud, chaining, top10, days, tokens, Beta fallback" {
	weekday_log "$OUT/w.csv"
	run --separate-stderr fc calibrate "$OUT/w.csv" --api-price openai/gpt-4o \
	    --hardware hetzner/gex44 --model qwen2.5-7b-q4_k_m -o "$OUT/s.yaml"
	expect_status 0
	grep -q '^users: 40 ' "$OUT/s.yaml"
	# 120 actions a weekday over 40 users; no day-to-day spread: a constant
	grep -q '^  requests_per_user_per_day: 3 ' "$OUT/s.yaml"
	grep -q '^  chaining: 2 ' "$OUT/s.yaml"
	# the busiest 4 users make 5 of the 15 actions of each group of 5: 4x5/120
	grep -q '^  top10_share: 0.1667 ' "$OUT/s.yaml"
	# 5 busy weekdays of 7: 30.4375 x 5 / 7
	grep -q '^days_per_month: 21.74 ' "$OUT/s.yaml"
	grep -q '^  input_tokens: 1096.67 ' "$OUT/s.yaml"
	grep -q '^  output_tokens: 200 ' "$OUT/s.yaml"
	# actions start at 9:00 to 13:00 UTC; 9:00 has 8x the mean hour
	grep -q '^  peak_to_mean: 8 ' "$OUT/s.yaml"
	grep -q '^  diurnal: \[0.000, ' "$OUT/s.yaml"
	# 480 of 4800 calls rejected: Beta(481, 4321)
	grep -q 'fallback: {share: {dist: beta, a: 481, b: 4321}}' "$OUT/s.yaml"
	# every key line carries its evidence
	[ "$(grep -c '^  [a-z_]*: .*#' "$OUT/s.yaml")" -ge 13 ]
	# what the log could not identify, on stderr
	[[ "$stderr" == *"workload.cached_input_share = 0 (no cached-token column)"* ]]
	[[ "$stderr" == *"workload.batch_share = 0 (no batch column)"* ]]
	[[ "$stderr" == *"context_growth_per_month = 0 (the log spans fewer than 61 days)"* ]]
	# both back-tests
	[[ "$stderr" == *"in sample: logged API bill USD "*" over 26 days; fitted scenario P5-P95 USD"* ]]
	[[ "$stderr" == *"out of sample (fit on the first 3/4, test on the last 1/4): logged API bill USD "*" over 7 days"* ]]
	# the scenario validates and simulates
	fc validate "$OUT/s.yaml"
	fc simulate "$OUT/s.yaml" --deterministic >/dev/null
}

@test "the logged bill: 4800 calls of 1096.67 in and 200 out at gpt-4o's 2.50/10.00 per Mtok" {
	weekday_log "$OUT/w.csv"
	run --separate-stderr fc calibrate "$OUT/w.csv" --api-price openai/gpt-4o -o "$OUT/s.yaml"
	expect_status 0
	# 4800 x (1096.667 x 2.5 + 200 x 10) / 1e6 = 22.76
	[[ "$stderr" == *"logged API bill USD 22.76 over 26 days"* ]]
}

@test "same log and seed: byte-identical scenario and back-tests for any --threads" {
	weekday_log "$OUT/w.csv"
	fc calibrate "$OUT/w.csv" --api-price openai/gpt-4o --threads 1 -o "$OUT/a.yaml" 2>"$OUT/a.err"
	fc calibrate "$OUT/w.csv" --api-price openai/gpt-4o --threads 3 -o "$OUT/b.yaml" 2>"$OUT/b.err"
	cmp "$OUT/a.yaml" "$OUT/b.yaml"
	cmp "$OUT/a.err" "$OUT/b.err"
}

@test "gzip, stdin, --since/--until and --columns" {
	weekday_log "$OUT/w.csv"
	gzip -c "$OUT/w.csv" > "$OUT/w.csv.gz"
	fc calibrate "$OUT/w.csv.gz" --api-price openai/gpt-4o -o "$OUT/gz.yaml" 2>/dev/null
	fc calibrate "$OUT/w.csv" --api-price openai/gpt-4o -o "$OUT/plain.yaml" 2>/dev/null
	diff <(sed 1d "$OUT/gz.yaml") <(sed 1d "$OUT/plain.yaml")
	run --separate-stderr fc calibrate - --api-price openai/gpt-4o -o "$OUT/in.yaml" < "$OUT/w.csv"
	expect_status 0
	[[ "$stderr" == *"out of sample: not run (a log read from standard input cannot be read twice)"* ]]
	# the first week only: 5 days x 240 calls
	fc calibrate "$OUT/w.csv" --api-price openai/gpt-4o --since 2024-05-06 --until 2024-05-12 \
	    -o "$OUT/wk.yaml" 2>/dev/null
	grep -q '1200 calls' "$OUT/wk.yaml"
	# other column names, mapped
	sed '1s/.*/when,who,tin,tout,action,ok/' "$OUT/w.csv" > "$OUT/renamed.csv"
	bad_input "$OUT/renamed.csv" --api-price openai/gpt-4o
	[[ "$stderr" == *"renamed.csv:1:1: error: no ts column (expected one of ts, timestamp, time...; name it with --columns ts=COLUMN)"* ]]
	fc calibrate "$OUT/renamed.csv" --api-price openai/gpt-4o \
	    --columns ts=when,user=who,in=tin,out=tout,trace=action -o "$OUT/r.yaml" 2>/dev/null
	diff <(sed 1d "$OUT/r.yaml") <(sed 1d "$OUT/plain.yaml")
}

@test "OpenAI usage API sample: totals and shares; users need --users" {
	bad_input "$F/openai-usage-completions.json" --api-price openai/gpt-4o
	[[ "$stderr" == *"the log names no users (openai-usage format): give --users N"* ]]
	run --separate-stderr fc calibrate "$F/openai-usage-completions.json" --users 5 \
	    --api-price openai/gpt-4o -o "$OUT/s.yaml"
	expect_status 0
	grep -q '^users: 5   # given with --users' "$OUT/s.yaml"
	# 5 requests, 1000 input (800 cached) and 500 output tokens
	grep -q '^  input_tokens: 200 ' "$OUT/s.yaml"
	grep -q '^  output_tokens: 100 ' "$OUT/s.yaml"
	grep -q '^  cached_input_share: 0.8 ' "$OUT/s.yaml"
	[[ "$stderr" == *"workload.top10_share = 0.1 (the log names no users)"* ]]
	[[ "$stderr" == *"workload.input_cv = 0.5 (only aggregated rows: no per-call spread)"* ]]
	fc validate "$OUT/s.yaml"
}

@test "LiteLLM samples (JSON payload, CSV export): end_user is the user, spend summed" {
	for f in litellm-gcs-payload.json litellm-spendlogs.csv; do
		# gpt-3.5-turbo has no bundled price: it must be given
		bad_input "$F/$f"
		[[ "$stderr" == *"the log's most used model has no bundled price: give --api-price"* ]]
		run --separate-stderr fc calibrate "$F/$f" --api-price openai/gpt-4o-mini -o "$OUT/$f.yaml"
		expect_status 0
		grep -q '^# Fitted by flatcost calibrate from .* (litellm format)' "$OUT/$f.yaml"
		grep -q '^users: 1 ' "$OUT/$f.yaml"
		grep -q '^  input_tokens: 10 ' "$OUT/$f.yaml"
		grep -q '^  output_tokens: 20 ' "$OUT/$f.yaml"
		grep -q '^# model gpt-3.5-turbo: 100.0% of calls' "$OUT/$f.yaml"
		[[ "$stderr" == *"spend column sums to USD 5.5e-05"* ]]
		fc validate "$OUT/$f.yaml"
	done
}

@test "Langfuse samples (JSONL, CSV with a JSON cell): generations only, chaining from traces" {
	for f in langfuse-observations.jsonl langfuse-observations.csv; do
		run --separate-stderr fc calibrate "$F/$f" -o "$OUT/$f.yaml"
		expect_status 0
		# the price of the most used model, said on stderr
		[[ "$stderr" == *"--api-price not given: using openai/gpt-4o, the bundled price of the log's most used model"* ]]
		grep -q '^  price: openai/gpt-4o$' "$OUT/$f.yaml"
		grep -q '(langfuse format)' "$OUT/$f.yaml"
		grep -q '3 calls' "$OUT/$f.yaml"
		grep -q '^users: 2 ' "$OUT/$f.yaml"
		# 3 generations in 2 traces
		grep -q '^  chaining: 1.5 ' "$OUT/$f.yaml"
		grep -q '^  input_tokens: 991 ' "$OUT/$f.yaml"
		grep -q '^# model gpt-4o: 66.7% of calls' "$OUT/$f.yaml"
		fc validate "$OUT/$f.yaml"
	done
}

@test "a malformed row: FILE:LINE, exit 2, nothing written; --skip-bad counts it" {
	weekday_log "$OUT/w.csv"
	sed '101s/,200,/,lots,/' "$OUT/w.csv" > "$OUT/bad.csv"
	echo 'keep me' > "$OUT/s.yaml"
	run --separate-stderr fc calibrate "$OUT/bad.csv" --api-price openai/gpt-4o -o "$OUT/s.yaml"
	expect_status 2
	[[ "$stderr" == *"bad.csv:101:1: error: 'completion_tokens': expected a number of tokens >= 0, got 'lots'"* ]]
	[ "$(cat "$OUT/s.yaml")" = "keep me" ]
	rm "$OUT/s.yaml"
	run --separate-stderr fc calibrate "$OUT/bad.csv" --api-price openai/gpt-4o --skip-bad 1 -o "$OUT/s.yaml"
	expect_status 0
	grep -q '4799 calls, 1 bad rows skipped' "$OUT/s.yaml"
}

@test "no usable row, unreadable and unknown input: errors, never an empty scenario" {
	printf 'ts,in,out\n' > "$OUT/empty.csv"
	bad_input "$OUT/empty.csv" --api-price openai/gpt-4o
	[[ "$stderr" == *"no usable row in the log: nothing to fit"* ]]
	: > "$OUT/zero.csv"
	bad_input "$OUT/zero.csv" --api-price openai/gpt-4o
	[[ "$stderr" == *"zero.csv: error: empty file: no usable row"* ]]
	printf '{"a": 1\n' > "$OUT/broken.json"
	bad_input "$OUT/broken.json" --api-price openai/gpt-4o
	[[ "$stderr" == *"broken.json"*"error: invalid JSON"* ]]
	printf 'ts,in,out\n2024-05-01,1,2\n' > "$OUT/one.csv"
	bad_input "$OUT/one.csv" --api-price openai/nonesuch
	[[ "$stderr" == *"--api-price: unknown price 'openai/nonesuch'"* ]]
	bad_input "$OUT/one.csv" --log-format xml
	bad_input "$OUT/one.csv" --columns when
	bad_input "$OUT/one.csv" --columns tz=when
	bad_input "$OUT/one.csv" --since yesterday
	bad_input "$OUT/one.csv" --since 2024-05-02 --until 2024-05-01
	run --separate-stderr fc calibrate "$OUT/nonesuch.csv" -o "$OUT/s.yaml"
	expect_status 3
	refute test -e "$OUT/s.yaml"
}

@test "two models: api.route with each model's share, the bill at each model's price, the routed API back-tested" {
	two_model_log "$OUT/m.csv"
	run --separate-stderr fc calibrate "$OUT/m.csv" -o "$OUT/s.yaml"
	expect_status 0
	# the plain API the breakeven is measured against: the most used model
	grep -q '^  price: openai/gpt-4o$' "$OUT/s.yaml"
	grep -q '^  route:   # one tier per model of the log' "$OUT/s.yaml"
	grep -q '^    - {price: openai/gpt-4o, share: 0.75}   # openai/gpt-4o: 3600 of 4800 calls$' "$OUT/s.yaml"
	grep -q '^    - {price: openai/gpt-4o-mini}   # gpt-4o-mini: 1200 of 4800 calls$' "$OUT/s.yaml"
	grep -q '^# model gpt-4o-mini: 25.0% of calls' "$OUT/s.yaml"
	# 3600 gpt-4o calls at 2.50/10.00 per Mtok (17.08) and 1200 gpt-4o-mini
	# calls at 0.15/0.60 (0.3408), not 22.76 at gpt-4o's price alone
	[[ "$stderr" == *"back-tests at api.route (each call at its model's price, against the fitted scenario's routed API)"* ]]
	[[ "$stderr" == *"in sample: logged API bill USD 17.42 over 26 days; fitted scenario P5-P95 USD "*"): inside"* ]]
	[[ "$stderr" == *"out of sample (fit on the first 3/4, test on the last 1/4): logged API bill USD "*" over 7 days"* ]]
	fc validate "$OUT/s.yaml"
	run fc simulate "$OUT/s.yaml" --deterministic
	expect_status 0
	[[ "$output" == *"Routed API"* ]]
	fc simulate "$OUT/s.yaml" --deterministic --format json > "$OUT/s.json"
	[ "$(jq '.api_routed.llm_cost > 0 and .api_routed.llm_cost < .api.llm_cost' "$OUT/s.json")" = true ]
}

@test "two models, one without a bundled price: no route, said in the scenario and on stderr" {
	two_model_log "$OUT/m.csv"
	sed 's/,gpt-4o-mini$/,gpt-3.5-turbo/' "$OUT/m.csv" > "$OUT/n.csv"
	run --separate-stderr fc calibrate "$OUT/n.csv" -o "$OUT/s.yaml"
	expect_status 0
	[[ "$stderr" == *"warning: no api.route written: model gpt-3.5-turbo has no bundled price"* ]]
	grep -q '^  # no api.route: model gpt-3.5-turbo has no bundled price' "$OUT/s.yaml"
	refute grep -q '^  route:' "$OUT/s.yaml"
	grep -q '^# model gpt-3.5-turbo: 25.0% of calls' "$OUT/s.yaml"
	# the whole log at the one price, as without a model column
	[[ "$stderr" == *"back-tests at openai/gpt-4o:"* ]]
	[[ "$stderr" == *"logged API bill USD 22.76 over 26 days"* ]]
	fc validate "$OUT/s.yaml"
}
