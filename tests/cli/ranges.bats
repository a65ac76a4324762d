#!/usr/bin/env bats
# Honest ranges: bounds hold for draws (truncate), growth by phase, and
# the ranges that reach every figure (issue 23).

bats_require_minimum_version 1.5.0

load helpers

setup() {
	cd_repo
	BASIC=tests/cli/fixtures/basic.yaml
}

@test "a distribution crossing its key's bound is refused with the key, the bound and the share outside" {
	run --separate-stderr fc simulate "$BASIC" --months 3 \
	    --set 'user_growth_per_month={dist: normal, mean: -0.9, sd: 0.5}'
	expect_status 2
	[[ "$stderr" == *"--set:1:23: error: user_growth_per_month: 42.1% of the normal's draws fall below the bound -1 (expected a monthly growth rate above -1"*"'truncate: true'"* ]]
	run --separate-stderr fc simulate "$BASIC" --set 'flat.fallback.share="0.1 to 0.9"'
	expect_status 2
	[[ "$stderr" == *"error: flat.fallback.share: 3.57% of the lognormal's draws fall above the bound 1 (expected a share from 0 to 1)"* ]]
	run --separate-stderr fc simulate "$BASIC" --set 'workload.output_tokens={dist: normal, mean: 100, sd: 60}'
	expect_status 2
	[[ "$stderr" == *"error: workload.output_tokens: 4.78% of the normal's draws fall below the bound 0"* ]]
	# a tail too thin to matter (under 0.01%) is kept
	run --separate-stderr fc simulate "$BASIC" --trials 100 \
	    --set 'workload.output_tokens={dist: normal, mean: 100, sd: 26}'
	expect_status 0
	# truncate applies to unbounded tails only
	run --separate-stderr fc simulate "$BASIC" --trials 100 \
	    --set 'workload.output_tokens={dist: uniform, min: 1, max: 2, truncate: true}'
	expect_status 2
	[[ "$stderr" == *"truncate applies to a normal or a lognormal"* ]]
}

@test "truncate: true draws within the bound, says the share truncated, and its mean is the truncated one" {
	run --separate-stderr fc simulate "$BASIC" --months 3 --trials 2000 \
	    --set 'user_growth_per_month={dist: normal, mean: -0.9, sd: 0.5, truncate: true}' --format json
	expect_status 0
	[[ "$stderr" == *"note: user_growth_per_month: draws truncated to the range: 42.1% of the normal's mass lies outside it"* ]]
	jq -e '.inputs.user_growth_per_month.truncated | (. - 0.420740) | fabs < 1e-6' <<<"$output"
	# no trial loses every user from month 2 (before: 42% clamped to -1)
	jq -e '.months[1].users.p5 > 0 and .months[1].users.p5 < 300' <<<"$output"
	# the truncated normal's mean: -0.9 + 0.5 phi(-0.2) / (1 - Phi(-0.2))
	# = -0.9 + 0.5 x 0.391043 / 0.579260 = -0.562463
	jq -e '.inputs.user_growth_per_month.expected | (. + 0.562463) | fabs < 1e-6' <<<"$output"
}
