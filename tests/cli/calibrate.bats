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
	# 120 actions a weekday over 40 users; no day-to-day spread, and the
	# user-to-user spread of 1 to 5 actions a day (sample sd 1.4322 over
	# the mean 3) at 40 users: cv 0.47741 / sqrt(40) = 0.07549
	grep -q '^  requests_per_user_per_day: {dist: lognormal, mean: 3, cv: 0.07549} ' "$OUT/s.yaml"
	grep -q '^  chaining: 2 ' "$OUT/s.yaml"
	# the busiest 4 users make 5 of the 15 actions of each group of 5: 4x5/120
	grep -q '^  top10_share: 0.1667 ' "$OUT/s.yaml"
	# 5 busy weekdays of 7: 30.4375 x 5 / 7
	grep -q '^days_per_month: 21.74 ' "$OUT/s.yaml"
	# next month's mean: every weekday has the same users, so no
	# day-to-day spread; the cv is the standard error's, 81.59 / 1096.67 /
	# sqrt(4800); output tokens never vary: a constant
	grep -q '^  input_tokens: {dist: lognormal, mean: 1096.67, cv: 0.001074} ' "$OUT/s.yaml"
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
	# read once: standard input, a pipe and a FIFO get both back-tests, the same as the file
	run --separate-stderr fc calibrate "$OUT/w.csv" --api-price openai/gpt-4o -o "$OUT/file.yaml"
	expect_status 0
	want=$(grep 'sample' <<< "$stderr")
	[[ "$want" == *"out of sample (fit on the first 3/4, test on the last 1/4): logged API bill"* ]]
	run --separate-stderr fc calibrate - --api-price openai/gpt-4o -o "$OUT/in.yaml" < "$OUT/w.csv"
	expect_status 0
	[ "$(grep 'sample' <<< "$stderr")" = "$want" ]
	diff <(sed 1d "$OUT/in.yaml") <(sed 1d "$OUT/file.yaml")
	run --separate-stderr bash -c "cat '$OUT/w.csv.gz' | '$FLATCOST' calibrate /dev/stdin --api-price openai/gpt-4o -o '$OUT/pipe.yaml'"
	expect_status 0
	[ "$(grep 'sample' <<< "$stderr")" = "$want" ]
	mkfifo "$OUT/fifo"
	cat "$OUT/w.csv" > "$OUT/fifo" &
	run --separate-stderr fc calibrate "$OUT/fifo" --api-price openai/gpt-4o -o "$OUT/fifo.yaml"
	expect_status 0
	[ "$(grep 'sample' <<< "$stderr")" = "$want" ]
	diff <(sed 1d "$OUT/fifo.yaml") <(sed 1d "$OUT/file.yaml")
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
	# top10_share is not identified: a documented prior, drawn in each trial
	[[ "$stderr" == *"workload.top10_share = {dist: pert, min: 0.1, mode: 0.3, max: 0.7}, a documented prior drawn in each trial (the log names no users)"* ]]
	grep -q '^  top10_share: {dist: pert, min: 0.1, mode: 0.3, max: 0.7}   # not identified (the log names no users): a prior, not the log' "$OUT/s.yaml"
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
		grep -q '^  input_tokens: {dist: lognormal, mean: 991, cv: ' "$OUT/$f.yaml"
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
	# a directory cannot be read: said so, never "empty"
	mkdir "$OUT/logdir"
	bad_input "$OUT/logdir" --api-price openai/gpt-4o
	[[ "$stderr" == *"logdir: error: cannot read: Is a directory"* ]]
	[[ "$stderr" != *"empty file"* ]]
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
	# a log that does not exist is the user's mistake (exit 2), as a
	# missing scenario is (flatcost(1), EXIT STATUS)
	bad_input "$OUT/nonesuch.csv"
	[[ "$stderr" == *"nonesuch.csv: error: cannot open: No such file or directory"* ]]
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

@test "gzip read exactly: truncated, corrupt or with trailing data is an error at FILE:LINE" {
	weekday_log "$OUT/w.csv"
	gzip -c "$OUT/w.csv" > "$OUT/w.csv.gz"
	head -c 20000 "$OUT/w.csv.gz" > "$OUT/cut.csv.gz"
	bad_input "$OUT/cut.csv.gz" --api-price openai/gpt-4o
	[[ "$stderr" == *"cut.csv.gz:"*": error: truncated gzip data: the file ends inside a compressed member"* ]]
	# no source line shown from a compressed file
	[[ "$stderr" != *" | "* ]]
	{ cat "$OUT/w.csv.gz"; echo garbage; } > "$OUT/trail.csv.gz"
	bad_input "$OUT/trail.csv.gz" --api-price openai/gpt-4o
	[[ "$stderr" == *"trail.csv.gz:4802:1: error: trailing data after the gzip data"* ]]
	# a wrong CRC in the trailer: the data check fails at the end
	size=$(stat -c %s "$OUT/w.csv.gz")
	{ head -c $((size - 8)) "$OUT/w.csv.gz"; printf 'XXXX'; tail -c 4 "$OUT/w.csv.gz"; } > "$OUT/crc.csv.gz"
	bad_input "$OUT/crc.csv.gz" --api-price openai/gpt-4o
	[[ "$stderr" == *"crc.csv.gz:4802:1: error: corrupt gzip data (incorrect data check"* ]]
	# two members back to back are one log (as gzip -d reads them)
	{ gzip -c <(head -2401 "$OUT/w.csv"); gzip -c <(tail -n +2402 "$OUT/w.csv"); } > "$OUT/two.csv.gz"
	fc calibrate "$OUT/two.csv.gz" --api-price openai/gpt-4o -o "$OUT/two.yaml" 2>/dev/null
	grep -q '4800 rows read, 4800 calls' "$OUT/two.yaml"
}

@test "rows read exactly: short and long rows, impossible dates and offsets, hex numbers, JSON types" {
	hdr='ts,user,in,out'
	ok='2024-05-01T10:00:00Z,a,100,10'
	check() {   # check NAME LINE MESSAGE: the file's error
		bad_input "$OUT/$1" --api-price openai/gpt-4o
		[[ "$stderr" == *"$1:$2:1: error: $3"* ]] || { echo "$stderr"; return 1; }
	}
	printf '%s\n%s\n2024-05-01T10:00:00Z,a,100\n' "$hdr" "$ok" > "$OUT/short.csv"
	check short.csv 3 "3 fields, the header has 4 (a short row)"
	printf '%s\n%s\n%s,7\n' "$hdr" "$ok" "$ok" > "$OUT/long.csv"
	check long.csv 3 "5 fields, the header has 4 (a long row)"
	for ts in 2024-02-30T10:00:00Z 2023-02-29 2024-04-31 2024-05-01T10:00:00+99:99 \
	    2024-05-01T10:00:00+24:00 2024-05-01T10:00:00+05:60 2024-05-01T10:00:00. 0x6632 \
	    ' 1714557600' inf; do
		printf '%s\n%s\n"%s",a,1,1\n' "$hdr" "$ok" "$ts" > "$OUT/ts.csv"
		check ts.csv 3 "'ts': expected a time"
	done
	# leap days that exist, offsets in range
	printf '%s\n2024-02-29T10:00:00+05:30,a,1,1\n2000-02-29,a,1,1\n2024-05-01T10:00:00-0800,a,1,1\n' \
	    "$hdr" > "$OUT/leap.csv"
	fc calibrate "$OUT/leap.csv" --api-price openai/gpt-4o -o "$OUT/leap.yaml" 2>/dev/null
	for n in 0x10 1e 1,000 +5 -1 nan ' 12'; do
		printf '%s\n%s\n2024-05-01,a,"%s",1\n' "$hdr" "$ok" "$n" > "$OUT/n.csv"
		check n.csv 3 "'in': expected a number of tokens >= 0"
	done
	printf '%s\n%s\n2024-05-01,a,1.5e3,.5\n' "$hdr" "$ok" > "$OUT/num.csv"
	fc calibrate "$OUT/num.csv" --api-price openai/gpt-4o -o "$OUT/num.yaml" 2>/dev/null
	rec='{"ts":"2024-05-01T10:00:00Z","user":"a","prompt_tokens":1,"completion_tokens":1}'
	for v in '"prompt_tokens":[100]' '"prompt_tokens":true' '"prompt_tokens":{"n":1}' \
	    '"prompt_tokens":-3' '"user":{"id":1}' '"user":[1]' '"user":2.5' '"ts":true'; do
		printf '%s\n%s\n' "$rec" "${rec%\}},$v}" > "$OUT/t.jsonl"
		check t.jsonl 2 "'"
		[[ "$stderr" == *"expected"*", got "* ]]
	done
	# numbers and whole-number ids are fine; null is absent
	printf '%s\n{"ts":1714557600,"user":7,"prompt_tokens":1.5,"completion_tokens":1,"trace_id":null}\n' \
	    "$rec" > "$OUT/okj.jsonl"
	fc calibrate "$OUT/okj.jsonl" --api-price openai/gpt-4o -o "$OUT/okj.yaml" 2>/dev/null
	grep -q '^users: 2 ' "$OUT/okj.yaml"
}

@test "bounded work: a gzip bomb of zeros or of one endless field or record stops at once" {
	# 200 MB of zeros, a 200 MB field, a 200 MB JSON string: refused in the first megabytes
	head -c 200000000 /dev/zero | gzip -1 > "$OUT/zeros.gz"
	bad_input "$OUT/zeros.gz" --api-price openai/gpt-4o
	[[ "$stderr" == *"zeros.gz:1:1: error: a NUL byte: binary data"* ]]
	head -c 200000000 /dev/zero | tr '\0' a | gzip -1 > "$OUT/field.gz"
	bad_input "$OUT/field.gz" --api-price openai/gpt-4o
	[[ "$stderr" == *"field.gz:1:1: error: a CSV field over 16 MiB"*"RESOURCE LIMITS"* ]]
	{ printf '{"a": "'; head -c 200000000 /dev/zero | tr '\0' a; } | gzip -1 > "$OUT/rec.gz"
	bad_input "$OUT/rec.gz" --api-price openai/gpt-4o
	[[ "$stderr" == *"rec.gz:1:1: error: a JSON record over 64 MiB"* ]]
	{ printf '{"a": '; head -c 100000 /dev/zero | tr '\0' '['; } > "$OUT/deep.json"
	bad_input "$OUT/deep.json" --api-price openai/gpt-4o
	[[ "$stderr" == *"deep.json:1:1: error: invalid JSON: nested more than 64 deep"* ]]
}

# usage_page N: one OpenAI usage page on one line with N hourly buckets
usage_page() {
	awk -v n="$1" -v t0="$2" 'BEGIN { printf "{\"object\":\"page\",\"data\":["
	  for (i = 0; i < n; i++) printf "%s{\"object\":\"bucket\",\"start_time\":%d,\"end_time\":%d,\"results\":[{\"object\":\"organization.usage.completions.result\",\"input_tokens\":1000,\"output_tokens\":500,\"input_cached_tokens\":0,\"num_model_requests\":5,\"project_id\":null,\"user_id\":null,\"api_key_id\":null,\"model\":null,\"batch\":null}]}", i ? "," : "", t0 + 3600 * i, t0 + 3600 * (i + 1)
	  printf "],\"has_more\":false,\"next_page\":null}\n" }'
}

@test "JSON Lines whatever the first line's length; a JSON array of pages" {
	# two pages of 4,000 hourly buckets each: the first line is over 1 MiB
	{ usage_page 4000 1714521600; usage_page 4000 1728921600; } > "$OUT/pages.jsonl"
	[ "$(head -1 "$OUT/pages.jsonl" | wc -c)" -gt 1048576 ]
	run --separate-stderr fc calibrate "$OUT/pages.jsonl" --users 10 --api-price openai/gpt-4o -o "$OUT/p.yaml"
	expect_status 0
	grep -q '8000 rows read, 40000 calls' "$OUT/p.yaml"
	# the same pages as a JSON array, pretty or not
	{ echo '['; usage_page 4000 1714521600; echo ','; usage_page 4000 1728921600; echo ']'; } > "$OUT/pages.json"
	fc calibrate "$OUT/pages.json" --users 10 --api-price openai/gpt-4o -o "$OUT/a.yaml" 2>/dev/null
	diff <(sed 1d "$OUT/a.yaml") <(sed 1d "$OUT/p.yaml")
	# a broken line of JSON Lines is that line's error
	{ usage_page 2 1714521600; echo '{"object":"page","data":['; usage_page 2 1714621600; } > "$OUT/broken.jsonl"
	bad_input "$OUT/broken.jsonl" --users 10 --api-price openai/gpt-4o
	[[ "$stderr" == *"broken.jsonl:2:1: error: invalid JSON: the line ends inside a record"* ]]
	printf '[{"ts":"2024-05-01","in":1,"out":2},\n{"ts":"2024-05-01","in":1,"out":2}' > "$OUT/open.json"
	bad_input "$OUT/open.json" --api-price openai/gpt-4o
	[[ "$stderr" == *"open.json:2:1: error: invalid JSON: the file ends inside the record"* || \
	   "$stderr" == *"open.json:2:1: error: invalid JSON: the file ends inside the top-level array"* ]]
}

@test "standard input given twice, a log given twice, a malformed user prices.yaml" {
	printf 'ts,user,in,out\n2024-05-01,a,1,2\n' > "$OUT/one.csv"
	run --separate-stderr fc calibrate - - --api-price openai/gpt-4o -o "$OUT/s.yaml" < "$OUT/one.csv"
	expect_status 2
	[[ "$stderr" == *"standard input given twice"* ]]
	refute test -e "$OUT/s.yaml"
	weekday_log "$OUT/w.csv"
	gzip -c "$OUT/w.csv" > "$OUT/w.csv.gz"
	run --separate-stderr fc calibrate "$OUT/w.csv" "$OUT/w.csv.gz" --api-price openai/gpt-4o -o "$OUT/s.yaml"
	expect_status 0
	[[ "$stderr" == *"w.csv and $OUT/w.csv.gz: the same log given twice (plain and gzipped)? its calls are counted twice"* ]]
	run --separate-stderr fc calibrate "$OUT/w.csv" "$OUT/w.csv" --api-price openai/gpt-4o -o "$OUT/s2.yaml"
	[[ "$stderr" == *"the same log given twice? its calls are counted twice"* ]]
	mkdir -p "$OUT/ud"
	printf 'prices: [\n' > "$OUT/ud/prices.yaml"
	rm -f "$OUT/s.yaml"
	FLATCOST_USER_DATA="$OUT/ud" bad_input "$OUT/one.csv" --api-price openai/gpt-4o
	[[ "$stderr" == *"prices.yaml:2:1: error: YAML syntax error"* ]]
}

@test "LiteLLM request_tags and session_id samples: a session_id column is the trace, a tag by --columns trace=request_tags.KEY" {
	# request_tags as LiteLLM's docs show them (jobID:..., taskName:...):
	# no trace id among them, so chaining is not identified by default
	run --separate-stderr fc calibrate "$F/litellm-spendlogs-tags.jsonl" --api-price openai/gpt-4o-mini -o "$OUT/t.yaml"
	expect_status 0
	grep -q '(litellm format)' "$OUT/t.yaml"
	[[ "$stderr" == *"workload.chaining = 1 (no trace ids on most calls)"* ]]
	# the job id tag as the trace: two jobs of two calls
	run --separate-stderr fc calibrate "$F/litellm-spendlogs-tags.jsonl" --api-price openai/gpt-4o-mini \
	    --columns trace=request_tags.jobID -o "$OUT/j.yaml"
	expect_status 0
	grep -q '^  chaining: 2 ' "$OUT/j.yaml"
	grep -q '^users: 2 ' "$OUT/j.yaml"
	# a tag no row has is refused, nothing written
	bad_input "$F/litellm-spendlogs-tags.jsonl" --api-price openai/gpt-4o-mini --columns trace=request_tags.nonesuch
	[[ "$stderr" == *"litellm-spendlogs-tags.jsonl: error: no row has a value at 'request_tags.nonesuch' (given as --columns trace=request_tags.nonesuch)"* ]]
	# the newer schema's session_id column (LiteLLM's litellm_trace_id), CSV export
	run --separate-stderr fc calibrate "$F/litellm-spendlogs-session.csv" --api-price openai/gpt-4o-mini -o "$OUT/ses.yaml"
	expect_status 0
	grep -q '^  chaining: 2 ' "$OUT/ses.yaml"
	fc validate "$OUT/ses.yaml"
	# --log-format csv on it reads it as a plain CSV, the same columns
	run --separate-stderr fc calibrate "$F/litellm-spendlogs-session.csv" --log-format csv --api-price openai/gpt-4o-mini -o "$OUT/c.yaml"
	expect_status 0
	grep -q '(csv format)' "$OUT/c.yaml"
	# and --log-format openai-usage is refused for it (never a usage page)
	bad_input "$F/litellm-spendlogs-session.csv" --log-format openai-usage --users 2 --api-price openai/gpt-4o-mini
	[[ "$stderr" == *"--log-format openai-usage: this log is not JSON (CSV?), which that format never is"* ]]
}

@test "trace ids inside JSON cells: LiteLLM metadata.trace_id and session_id, --columns dotted paths, a column no row has" {
	weekday_log "$OUT/w.csv"
	fc calibrate "$OUT/w.csv" --api-price openai/gpt-4o -o "$OUT/plain.yaml" 2>/dev/null
	grep -q '^  chaining: 2 ' "$OUT/plain.yaml"
	# LiteLLM's spend-log columns, the trace id inside the metadata JSON cell
	awk -F, 'NR == 1 { print "request_id,startTime,user,prompt_tokens,completion_tokens,metadata"; next }
	  { printf "r%d,%s,%s,%s,%s,\"{\"\"user_api_key\"\": \"\"k\"\", \"\"trace_id\"\": \"\"%s\"\"}\"\n", NR, $1, $2, $3, $4, $5 }' \
	    "$OUT/w.csv" > "$OUT/lite.csv"
	run --separate-stderr fc calibrate "$OUT/lite.csv" --api-price openai/gpt-4o -o "$OUT/lite.yaml"
	expect_status 0
	grep -q '(litellm format)' "$OUT/lite.yaml"
	grep -q '^  chaining: 2 ' "$OUT/lite.yaml"
	# newer LiteLLM: session_id; JSON Lines with metadata as a JSON string
	awk -F, 'NR > 1 { printf "{\"request_id\":\"r%d\",\"spend\":0,\"startTime\":%s,\"user\":\"%s\",\"prompt_tokens\":%s,\"completion_tokens\":%s,\"metadata\":\"{\\\"session_id\\\": \\\"%s\\\"}\"}\n", NR, $1, $2, $3, $4, $5 }' \
	    "$OUT/w.csv" > "$OUT/lite.jsonl"
	run --separate-stderr fc calibrate "$OUT/lite.jsonl" --api-price openai/gpt-4o -o "$OUT/litej.yaml"
	expect_status 0
	grep -q '^  chaining: 2 ' "$OUT/litej.yaml"
	# --columns: a dotted path into a JSON cell
	sed '1s/metadata$/meta/; s/"trace_id"/"action"/' "$OUT/lite.csv" > "$OUT/meta.csv"
	fc calibrate "$OUT/meta.csv" --api-price openai/gpt-4o --columns trace=meta.action -o "$OUT/m.yaml" 2>/dev/null
	grep -q '^  chaining: 2 ' "$OUT/m.yaml"
	# a column no header has, a path no row has: refused
	bad_input "$OUT/w.csv" --api-price openai/gpt-4o --columns trace=no_such_column
	[[ "$stderr" == *"w.csv:1:1: error: no column named 'no_such_column' (given as --columns trace=no_such_column)"* ]]
	bad_input "$OUT/meta.csv" --api-price openai/gpt-4o --columns trace=meta.nonesuch
	[[ "$stderr" == *"meta.csv: error: no row has a value at 'meta.nonesuch' (given as --columns trace=meta.nonesuch)"* ]]
	bad_input "$OUT/w.csv" --api-price openai/gpt-4o --columns trace=user_id.x
	[[ "$stderr" == *"w.csv:2:1: error: 'user_id': not JSON, expected a JSON object for --columns trace=user_id.x"* ]]
}

@test "a fit the placeholder hardware cannot hold is still written: on the cheapest catalog server that holds it, or with the flat section commented out" {
	weekday_log "$OUT/w.csv"
	awk -F, 'NR == 1 { print; next } { $3 = 300000; print }' OFS=, "$OUT/w.csv" > "$OUT/long.csv"
	run --separate-stderr fc calibrate "$OUT/long.csv" --api-price openai/gpt-4o -o "$OUT/s.yaml"
	expect_status 0
	[[ "$stderr" == *"does not fit flat.model qwen2.5-7b-q4_k_m on the placeholder hetzner/gex44: flat.hardware is "*"give --hardware/--model"* ]]
	[[ "$stderr" != *"a bug"* && "$stderr" != *"/tmp/"* ]]
	[[ "$stderr" == *"out of sample (fit on the first 3/4"* ]]
	! grep -q 'hardware: hetzner/gex44' "$OUT/s.yaml"
	fc validate "$OUT/s.yaml"
	# no catalog server holds 2M-token prompts: still written, the flat
	# section commented out, both back-tests run (they price the API only)
	awk -F, 'NR == 1 { print; next } { $3 = 2000000; print }' OFS=, "$OUT/w.csv" > "$OUT/huge.csv"
	run --separate-stderr fc calibrate "$OUT/huge.csv" --api-price openai/gpt-4o -o "$OUT/h.json" --format json
	expect_status 0
	jq -e '.flat_hardware == null and .backtests.in_sample.ran and .backtests.out_of_sample.ran' "$OUT/h.json"
	jq -r .scenario "$OUT/h.json" > "$OUT/h.yaml"
	[[ "$stderr" == *"does not fit flat.model qwen2.5-7b-q4_k_m on any catalog server: the scenario is written with its flat section commented out"*"give --hardware/--model"* ]]
	[[ "$stderr" != *"a bug"* && "$stderr" != *"/tmp/"* && "$stderr" != *"inline"* ]]
	[[ "$stderr" == *"in sample: logged API bill USD 24009.60"*"out of sample (fit on the first 3/4"* ]]
	grep -q '^# flat:$' "$OUT/h.yaml"
	grep -q '^#   hardware: hetzner/gex44$' "$OUT/h.yaml"
	! grep -q '^flat:' "$OUT/h.yaml"
	run fc validate "$OUT/h.yaml"
	expect_status 2
	[[ "$output" == *"missing required key 'flat'"* ]]
	# given hardware is never replaced: the error names the fitted scenario
	rm "$OUT/s.yaml"
	bad_input "$OUT/long.csv" --api-price openai/gpt-4o --hardware hetzner/gex44 --model qwen2.5-7b-q4_k_m
	[[ "$stderr" == *"the fitted scenario:"*"does not fit"*"give --hardware/--model for a flat architecture that holds the fitted workload"* ]]
}

@test "--log-format applies to every input: one it can never be is refused" {
	weekday_log "$OUT/w.csv"
	printf '{"ts":"2024-05-01","user":"a","in":1,"out":2}\n' > "$OUT/j.jsonl"
	bad_input "$OUT/w.csv" "$OUT/j.jsonl" --log-format csv --api-price openai/gpt-4o
	[[ "$stderr" == *"j.jsonl: error: --log-format csv: this log is JSON, which that format never is"* ]]
	bad_input "$OUT/w.csv" --log-format openai-usage --users 5 --api-price openai/gpt-4o
	[[ "$stderr" == *"w.csv: error: --log-format openai-usage: this log is not JSON (CSV?)"* ]]
	fc calibrate "$OUT/w.csv" --log-format csv --api-price openai/gpt-4o -o "$OUT/s.yaml" 2>/dev/null
}

@test "--tz: the diurnal shape in an IANA zone, daylight saving time included" {
	# 14:00 UTC every day of 2024-03-04 to 2024-03-17: 09:00 in New York
	# before 10 March (EST), 10:00 after (EDT)
	awk 'BEGIN { print "ts,user,in,out"; for (d = 0; d < 14; d++) for (u = 0; u < 30; u++)
	  printf "%d,u%d,100,10\n", 1709560800 + d * 86400 + u, u }' > "$OUT/dst.csv"
	fc calibrate "$OUT/dst.csv" --api-price openai/gpt-4o --tz America/New_York -o "$OUT/ny.yaml" 2>/dev/null
	# 6 days at 09:00, 8 at 10:00, of 14: weights 24 x 6/14 and 24 x 8/14
	grep -q '^  diurnal: \[0.000, 0.000, 0.000, 0.000, 0.000, 0.000, 0.000, 0.000, 0.000, 10.286, 13.714, 0.000, .*America/New_York, 00:00 first' "$OUT/ny.yaml"
	grep -q 'busiest hour of day (America/New_York)' "$OUT/ny.yaml"
	fc calibrate "$OUT/dst.csv" --api-price openai/gpt-4o -o "$OUT/utc.yaml" 2>/dev/null
	grep -q '^  diurnal: \[0.000, 0.000, 0.000, 0.000, 0.000, 0.000, 0.000, 0.000, 0.000, 0.000, 0.000, 0.000, 0.000, 0.000, 24.000, .*UTC, 00:00 first' "$OUT/utc.yaml"
	bad_input "$OUT/dst.csv" --api-price openai/gpt-4o --tz Mars/Olympus
	[[ "$stderr" == *"--tz: expected an IANA time zone such as Europe/Berlin"*"got 'Mars/Olympus'"* ]]
	bad_input "$OUT/dst.csv" --api-price openai/gpt-4o --tz ../../etc/passwd
}

@test "--format json: every estimate with its interval and evidence, what was not identified, the back-tests" {
	weekday_log "$OUT/w.csv"
	run --separate-stderr fc calibrate "$OUT/w.csv" --api-price openai/gpt-4o --format json -o "$OUT/f.json"
	expect_status 0
	j="$OUT/f.json"
	[ "$(jq -r '.calls' "$j")" = 4800 ]
	[ "$(jq -r '.estimates.users.value' "$j")" = 40 ]
	[ "$(jq -r '.estimates."workload.chaining".value' "$j")" = 2 ]
	[ "$(jq -r '.estimates."workload.input_tokens".lo90 < .estimates."workload.input_tokens".value' "$j")" = true ]
	[ "$(jq -r '.estimates."workload.top10_share".evidence' "$j")" = "share of calls by the busiest tenth of users" ]
	[ "$(jq -r '.estimates."workload.batch_share".identified' "$j")" = false ]
	[ "$(jq -r '.estimates."workload.batch_share".why' "$j")" = "no batch column" ]
	jq -e '.not_identified | index("workload.batch_share") != null' "$j"
	[ "$(jq -r '.backtests.in_sample.verdict' "$j")" = inside ]
	jq -e '.backtests.out_of_sample.ran' "$j"
	# the scenario it carries is the one --format yaml writes
	fc calibrate "$OUT/w.csv" --api-price openai/gpt-4o -o "$OUT/s.yaml" 2>/dev/null
	diff <(jq -j '.scenario' "$j") "$OUT/s.yaml"
	rm "$OUT/s.yaml"
	bad_input "$OUT/w.csv" --format xml --api-price openai/gpt-4o
}

@test "the API's own call latency from start and end times (LiteLLM, Langfuse samples); an end before its start is refused" {
	fc calibrate "$F/litellm-spendlogs.csv" --api-price openai/gpt-4o-mini -o "$OUT/l.yaml" 2>/dev/null
	# 14:27:12.563246 to 14:27:12.572709
	grep -q '^# API call latency (end - start of one call): 0.009463 s$' "$OUT/l.yaml"
	fc calibrate "$F/langfuse-observations.jsonl" --format json -o "$OUT/f.json" 2>/dev/null
	# the three generations: 0.811, 1.449 and 0.191 s (the span is no call)
	[ "$(jq -r '.api_call_latency_s.calls' "$OUT/f.json")" = 3 ]
	[ "$(jq -r '.api_call_latency_s.value * 1000 | round' "$OUT/f.json")" = "$(jq -sr '[.[] | select(.type == "GENERATION") | ((.end_time | sub(" "; "T") | sub("\\.[0-9]+$"; "Z") | fromdate) - (.start_time | sub(" "; "T") | sub("\\.[0-9]+$"; "Z") | fromdate) + ((.end_time | capture("\\.(?<f>[0-9]+)$").f | tonumber) - (.start_time | capture("\\.(?<f>[0-9]+)$").f | tonumber)) / 1e6)] | add / length * 1000 | round' "$F/langfuse-observations.jsonl")" ]
	printf 'ts,in,out,end_time\n2024-05-01T10:00:02Z,1,2,2024-05-01T10:00:01Z\n' > "$OUT/neg.csv"
	bad_input "$OUT/neg.csv" --api-price openai/gpt-4o
	[[ "$stderr" == *"neg.csv:2:1: error: the call ends before it starts"* ]]
}

@test "the overlap of a trace's calls from start and end times, as workload.chaining_overlap and in JSON" {
	# t1: 0-10 s and 5-15 s: (20 - 15) / (20 - 10) = 0.5; t2: three calls
	# at once, 0-4 s: 1; t3: one after another: 0; mean 0.5
	printf 'ts,user,in,out,trace,end_time\n' > "$OUT/ov.csv"
	for row in 0,10,t1 5,15,t1 100,104,t2 100,104,t2 100,104,t2 200,201,t3 202,203,t3; do
		IFS=, read -r s e t <<< "$row"
		echo "$((1714557600 + s)),u1,100,10,$t,$((1714557600 + e))" >> "$OUT/ov.csv"
	done
	fc calibrate "$OUT/ov.csv" --api-price openai/gpt-4o --format json -o "$OUT/ov.json" 2>/dev/null
	[ "$(jq -r '.estimates."workload.chaining_overlap".value' "$OUT/ov.json")" = 0.5 ]
	[ "$(jq -r '.estimates."workload.chaining_overlap".traces' "$OUT/ov.json")" = 3 ]
	jq -j '.scenario' "$OUT/ov.json" | grep -q '^  chaining_overlap: 0.5   # how much'
	# the written scenario loads, and its action latency uses the overlap
	jq -j '.scenario' "$OUT/ov.json" >"$OUT/ov.yaml"
	fc validate "$OUT/ov.yaml"
	# without end times: not identified, and no comment
	cut -d, -f1-5 "$OUT/ov.csv" > "$OUT/noend.csv"
	fc calibrate "$OUT/noend.csv" --api-price openai/gpt-4o --format json -o "$OUT/n.json" 2>/dev/null
	[ "$(jq -r '.estimates."workload.chaining_overlap".identified' "$OUT/n.json")" = false ]
	refute grep -q chaining_overlap <(jq -j '.scenario' "$OUT/n.json")
}

@test "the API's own P50 and P95 call latency into the scenario (api.latency_p50_s / p95_s), shown beside the flat fleet's" {
	# 20 single calls of 1, 2, ..., 20 s: the 10th and 19th by rank, from a
	# histogram of 100 bins a decade (within 2.3%, above)
	printf 'ts,user,in,out,end_time\n' > "$OUT/lat.csv"
	for i in $(seq 1 20); do
		echo "$((1714557600 + 100 * i)),u$((i % 3)),100,10,$((1714557600 + 100 * i + i))" >> "$OUT/lat.csv"
	done
	fc calibrate "$OUT/lat.csv" --api-price openai/gpt-4o --format json -o "$OUT/lat.json" 2>/dev/null
	jq -e '.api_call_latency_s.calls == 20 and .api_call_latency_s.value == 10.5
	    and .api_call_latency_s.p50 >= 10 and .api_call_latency_s.p50 <= 10.24
	    and .api_call_latency_s.p95 >= 19 and .api_call_latency_s.p95 <= 19.44' "$OUT/lat.json"
	jq -j '.scenario' "$OUT/lat.json" > "$OUT/lat.yaml"
	p50=$(jq -r '.api_call_latency_s.p50' "$OUT/lat.json")
	grep -q "^  latency_p50_s: $(printf '%.4g' "$p50")   # the API's own call latency, end - start of 20 single calls in the log$" "$OUT/lat.yaml"
	grep -q '^  latency_p95_s: 19\.' "$OUT/lat.yaml"
	# simulate shows what users feel before (the API) and after (flat)
	run --separate-stderr fc simulate "$OUT/lat.yaml" --deterministic
	[ "$status" -eq 0 ]
	[[ "$output" == *"a call on the API (its log)"*"P50 10.2 s, P95 19"* ]]
	[[ "$output" == *"a call, peak hour"* ]]
	run --separate-stderr fc simulate "$OUT/lat.yaml" --deterministic --format json
	jq -e --argjson p50 "$(printf %.4g "$p50")" '.latency.api.p50_s == $p50 and .latency.api.p95_s > 19
	    and (.latency.call.p95_s | type) == "number"' <<<"$output"
	# fewer than 20 timed calls: no keys, the reason in a comment
	head -6 "$OUT/lat.csv" > "$OUT/few.csv"
	fc calibrate "$OUT/few.csv" --api-price openai/gpt-4o -o "$OUT/few.yaml" 2>/dev/null
	grep -q '^  # latency_p50_s, latency_p95_s not identified (5 single calls with end times; 20 needed for a P95)$' "$OUT/few.yaml"
	refute grep -q '^  latency_p' "$OUT/few.yaml"
	# no end times: not identified, and simulate prints no API latency
	cut -d, -f1-4 "$OUT/lat.csv" > "$OUT/noend.csv"
	fc calibrate "$OUT/noend.csv" --api-price openai/gpt-4o -o "$OUT/noend.yaml" 2>/dev/null
	grep -q '^  # latency_p50_s, latency_p95_s not identified (no end times of single calls)$' "$OUT/noend.yaml"
	run --separate-stderr fc simulate "$OUT/noend.yaml" --deterministic --format json
	jq -e '.latency.api == null' <<<"$output"
}
