#!/usr/bin/env bats
# Resource limits, provisioned fleets, growth and payback.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	cd_repo
	CO=scenarios/content-optimizer.yaml
}

@test "limits: diff refuses trials whose samples pass 4 GiB, naming the memory" {
	run --separate-stderr fc diff "$CO" "$CO" --trials 10000000
	expect_status 2
	# (figures + 2) x 8 bytes a trial, both sides: over 5 GB whatever the figure count
	[[ "$stderr" =~ "10,000,000 trials would take "([5-9]\.[0-9])" GB of memory" ]]
	[[ "$stderr" == *"over the limit of 4.3 GB (4 GiB): use at most"* ]]
}

@test "limits: sweep counts every point's trials against the memory limit" {
	run --separate-stderr fc sweep "$CO" --users 1:1000000:200 --trials 5000000
	expect_status 2
	[[ "$stderr" == *"5,000,000 trials would take"*"over the limit of 4.3 GB"* ]]
}

@test "limits: --des refuses a day of more than 5,000,000 calls, at once" {
	SECONDS=0
	run --separate-stderr fc simulate "$CO" --deterministic --des --users 2000000
	expect_status 2
	[[ "$stderr" == *"--des simulates every call of a day: 61,850,921 calls at 2,000,000 users, over the limit of 5,000,000 calls a day"* ]]
	[ "$output" = "" ]
}

@test "limits: a fleet past 4e9 parallel calls is refused by name, not 'out of range'" {
	run --separate-stderr fc simulate "$CO" --set flat.hardware=hetzner/cx43 \
	    --set flat.slo.p95_latency_s=600 --users 1e10 --trials 100
	expect_status 3
	[[ "$stderr" == *"the fleet would need more than 4,000,000,000 parallel calls"* ]]
}

@test "limits: 1e10 users on a GPU fleet run (a trial's cost does not grow with users)" {
	run --separate-stderr fc simulate "$CO" --users 1e10 --trials 200 --format json
	expect_status 0
	jq -e ".users.p50 == 1e10" <<<"$output"
	# 8.3e6 GEX44s at 0.814/0.481 (1.2e7 at the Dec 2023 0.70/0.30)
	jq -e '.flat.servers.p50 > 5e6' <<<"$output"
}

# --- provisioned fleet ---

@test "fixed fleet: overflow is priced at the fallback API, and the output says fixed" {
	run --separate-stderr fc simulate "$CO" --deterministic --set flat.fixed_servers=2 --format json
	expect_status 0
	[ "$(jq -r '.flat.fleet' <<<"$output")" = fixed ]
	[ "$(jq '.flat.servers' <<<"$output")" = 2 ]
	# the fallback API (gpt-4o, as the API) takes the overflow and, of the
	# rest, the quality share: llm x (ov + (1 - ov) fb)
	jq -e '.flat.overflow_share > 0.1 and
	    (.flat.fallback_cost - .api.llm_cost * (.flat.overflow_share +
	     (1 - .flat.overflow_share) * .flat.fallback_share) | fabs) < 1e-6 * .flat.fallback_cost' <<<"$output"
	jq -e '.flat.server_cost == 2 * 211.6' <<<"$output"
	run --separate-stderr fc simulate "$CO" --deterministic --set flat.fixed_servers=2
	[[ "$output" == *"fleet"*"fixed at 2 (flat.fixed_servers)"* ]]
}

@test "fixed fleet far over its capacity: overflow = 1 - slots / (call time x call rate)" {
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml --deterministic \
	    --set flat.fixed_servers=1 --set workload.peak_to_mean=1 --users 1000000 --format json
	expect_status 0
	# 1e6 users x 30 calls a day: every hour overloaded, the server
	# completes slots / E[S] calls a second and the rest overflows
	jq -e '(1 - .capacity.slots / (.capacity.call_latency_s * 1e6 * 30 / 86400)) as $x |
	    (.flat.overflow_share - $x | fabs) < 1e-9' <<<"$output"
}

@test "fixed fleet in Monte Carlo: the same fleet in every trial, the overflow varies" {
	# 5 GEX44s at 0.814/0.481: P95 overflow 7% (6 overflow 0.5% at P95)
	run --separate-stderr fc simulate "$CO" --set flat.fixed_servers=5 --trials 400 --format json
	expect_status 0
	jq -e '.flat.servers.p5 == 5 and .flat.servers.p99 == 5' <<<"$output"
	jq -e '.flat.overflow_share.p95 > .flat.overflow_share.p5' <<<"$output"
	jq -e '.flat.overflow_share.p95 > 0.01' <<<"$output"
	# sized per trial by default: the fleet moves with the draws
	run --separate-stderr fc simulate "$CO" --trials 400 --format json
	jq -e '.flat.fleet == "sized" and .flat.servers.p5 < .flat.servers.p95' <<<"$output"
}

@test "max_servers caps the sized fleet, and load above it overflows" {
	# capped at 5 (the sized fleet's P5-P99 is 3-15 GEX44s at 0.814/0.481)
	run --separate-stderr fc simulate "$CO" --set flat.max_servers=5 --trials 400 --format json
	expect_status 0
	jq -e '.flat.fleet == "capped" and .flat.servers.p99 <= 5 and .flat.servers.p5 < 5' <<<"$output"
	local capped sized
	capped=$(jq '.flat.overflow_share.p95' <<<"$output")
	sized=$(fc simulate "$CO" --trials 400 --format json | jq '.flat.overflow_share.p95')
	python3 -c "import sys; assert float(sys.argv[1]) > float(sys.argv[2]) + 0.01" "$capped" "$sized"
}

@test "fixed_servers and max_servers exclude each other" {
	run --separate-stderr fc simulate "$CO" --set flat.fixed_servers=3 --set flat.max_servers=5
	expect_status 2
	[[ "$stderr" == *"--set:2:"*"flat.max_servers caps a sized fleet; flat.fixed_servers fixes it"* ]]
}

# --- growth and payback ---

@test "payback against a hand sum: \$6,750 API, \$563.60 flat, 19,000 net one-time" {
	# basic.yaml: API $6,750.00 a month (its header), flat $563.60 (the
	# golden: one GEX44 $211.60, fixed $14.50, fallback $337.50042 with
	# an overflow of 6.5e-8); one-time flat $20,000, API $1,000:
	# cumulative savings 6,186.39958 m - 19,000 = -12,813.6004,
	# -6,627.2008, -440.8013, 5,745.5983, 11,931.9979
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml --deterministic --months 5 \
	    --set flat.one_time=20000 --set api.one_time=1000 --format json
	expect_status 0
	[ "$(jq '.payback_month' <<<"$output")" = 4 ]
	jq -e '[.months[].cumulative.savings] as $c | [-12813.6004, -6627.2008, -440.8013, 5745.5983, 11931.9979] as $h |
	    [range(5) | ($c[.] - $h[.] | fabs) < 1e-3] | all' <<<"$output"
	jq -e '.one_time.flat == 20000 and .one_time.api == 1000' <<<"$output"
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml --deterministic --months 3 \
	    --set flat.one_time=20000 --set api.one_time=1000 --format json
	[ "$(jq '.payback_month' <<<"$output")" = null ]
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml --deterministic --months 3 \
	    --set flat.one_time=20000 --set api.one_time=1000
	[[ "$output" == *"Payback: none within 3 months"* ]]
	[[ "$output" == *"    3       1,000       \$6,750         \$564       1       \$6,186         -\$441"* ]]
}

@test "growth: users x (1 + g)^(m - 1), rounded to whole users; a list by month" {
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml --deterministic --months 5 \
	    --set users=1234 --set user_growth_per_month=0.2 --format json
	expect_status 0
	# 1234 x 1.2^k = 1480.8, 1776.96, 2132.352, 2558.8224 (two GEX44s at
	# 0.814/0.481 serve up to about 2,400 users: 0.07 a month no longer
	# grew the fleet within 5 months)
	[ "$(jq -c '[.months[].users]' <<<"$output")" = '[1234,1481,1777,2132,2559]' ]
	# each month's fleet follows its users; the API cost is per call
	jq -e '[.months[] | (.api.monthly_cost - .users * 6.75 | fabs) < 1e-6] | all' <<<"$output"
	jq -e '.months[4].flat.servers > .months[0].flat.servers' <<<"$output"
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml --deterministic --months 5 \
	    --set 'users=[100, 250, 400]' --format json
	expect_status 0
	[ "$(jq -c '[.months[].users]' <<<"$output")" = '[100,250,400,400,400]' ]
}

@test "growth drawn once per trial: each month's users lie in the draws' range" {
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml --months 3 --trials 300 \
	    --set 'user_growth_per_month={dist: uniform, min: 0.04, max: 0.1}' --format json
	expect_status 0
	# 1000 x 1.04^2 = 1081.6, 1000 x 1.1^2 = 1210
	jq -e '.months[0].users.sd == 0 and .months[2].users.p5 >= 1082 and
	    .months[2].users.p99 <= 1210 and .months[2].users.sd > 0' <<<"$output"
	jq -e '.p_payback_within_months >= 0 and .p_payback_within_months <= 1 and
	    .payback_month.p50 >= 1' <<<"$output"
}

@test "context growth by cohort tenure: the month's input is the mean over cohorts" {
	# 1,000 users join in month 1 and 1,000 in month 2: in month 2 the
	# mean tenure is 0.5 months, in month 3 1.5: 1,000 + 200 x tenure
	local m want
	for m in 2 3; do
		want=$([ "$m" = 2 ] && echo 1100 || echo 1300)
		run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml --deterministic \
		    --set 'users=[1000, 2000]' --set workload.context_growth_per_month=200 \
		    --set simulation.months=$m --format json
		expect_status 0
		jq -e --argjson w "$want" '(.workload.input_tokens / .workload.calls - $w | fabs) < 1e-6' <<<"$output"
	done
	# 500 users lost in month 3 leave the newest cohort: 1,000 with a
	# tenure of 2, 500 of 1: 1,000 + 200 x 2,500 / 1,500
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml --deterministic \
	    --set 'users=[1000, 2000, 1500]' --set workload.context_growth_per_month=200 \
	    --set simulation.months=3 --format json
	expect_status 0
	jq -e '(.workload.input_tokens / .workload.calls - (1000 + 200 * 2500 / 1500) | fabs) < 1e-6' <<<"$output"
}

@test "users: a fractional list entry, --months with --des are refused" {
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml --set 'users=[100, 250.5]'
	expect_status 2
	[[ "$stderr" == *"--set:1:"*"users by month: expected a whole number of users"* ]]
	# --months with --plot draws the payback timeline (tests/cli/report.bats)
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml --months 3 --des
	expect_status 2
	[[ "$stderr" == *"--months prints a row per month, and --des shows one month"* ]]
}

@test "--months in Monte Carlo: the same bytes for any thread count" {
	local a b
	a=$(fc simulate tests/cli/fixtures/uncertain.yaml --months 4 --trials 300 --threads 1 \
	    --set 'user_growth_per_month={dist: normal, mean: 0.1, sd: 0.05}' --format json)
	b=$(fc simulate tests/cli/fixtures/uncertain.yaml --months 4 --trials 300 --threads 2 \
	    --set 'user_growth_per_month={dist: normal, mean: 0.1, sd: 0.05}' --format json)
	[ "$a" = "$b" ]
	jq -e '.months | length == 4' <<<"$a"
}

# --- honest ranges: a trial's draws in every month ---

# honest.yaml with only the input $1 uncertain (the others fixed at
# about their means), or with $1 fixed at $2; prints the payback JSON
honest_run() {
	local key=$1 val=$2 k sets=()
	local -A base=([user_growth_per_month]=0.12 [workload.requests_per_user_per_day]=30
	    [flat.one_time]=12000 [flat.fallback.share]=0.08)
	for k in "${!base[@]}"; do
		[ "$k" = "$key" ] && [ -z "$val" ] && continue
		sets+=(--set "$k=${base[$k]}")
	done
	[ -n "$val" ] && sets+=(--set "$key=$val")
	fc simulate tests/cli/fixtures/honest.yaml --months 48 --trials 400 "${sets[@]}" \
	    $([ -n "$val" ] && echo --deterministic) --format json 2>/dev/null
}

@test "payback's P5-P95 brackets the runs with each uncertain input fixed at its P10 and P90" {
	# P10 and P90 of "A to B" (a lognormal with 90% interval A..B):
	# exp(mu -+ 1.28155 s); of the uniform 0.08..0.16: 0.088, 0.152
	local key lo hi mc a b
	while read -r key lo hi; do
		mc=$(honest_run "$key" "")
		a=$(honest_run "$key" "$lo" | jq '.payback_month')
		b=$(honest_run "$key" "$hi" | jq '.payback_month')
		echo "$key: P10 -> $a, P90 -> $b, $(jq -c '.payback_month' <<<"$mc")" >&2
		[ "$a" != "$b" ]
		jq -e --argjson a "$a" --argjson b "$b" '.p_payback_within_months == 1 and
		    .payback_month.p5 <= ([$a, $b] | min) and .payback_month.p95 >= ([$a, $b] | max)' <<<"$mc"
	done <<-EOF
	flat.fallback.share 0.036992 0.162196
	user_growth_per_month 0.088 0.152
	workload.requests_per_user_per_day 21.8738 41.1452
	flat.one_time 8636.44 14820.9
	EOF
}
