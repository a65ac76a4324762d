#!/usr/bin/env bats
# Honest ranges: bounds hold for draws (truncate), growth by phase, and
# the ranges that reach every figure.

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

# --- growth by phase (item 4) ---

@test "growth that stops: {rate, until_month}, a list by month, a users list then growth" {
	run --separate-stderr fc simulate "$BASIC" --deterministic --months 7 \
	    --set 'user_growth_per_month={rate: 0.1, until_month: 4}' --format json
	expect_status 0
	# 1000 x 1.1^(m - 1) up to month 4, then 1331 for good
	[ "$(jq -c '[.months[].users]' <<<"$output")" = '[1000,1100,1210,1331,1331,1331,1331]' ]
	jq -e '.inputs.growth_until_month == 4' <<<"$output"
	run --separate-stderr fc simulate "$BASIC" --deterministic --months 6 \
	    --set 'user_growth_per_month=[0.5, 0.2, 0.05]' --format json
	expect_status 0
	# entry k grows month k into k + 1; the last holds: 1800 x 1.05^k
	[ "$(jq -c '[.months[].users]' <<<"$output")" = '[1000,1500,1800,1890,1985,2084]' ]
	jq -e '.inputs.user_growth_by_month == [0.5, 0.2, 0.05]' <<<"$output"
	# the users list, then growth from its last month (300 x 1.1^k, rounded once)
	run --separate-stderr fc simulate "$BASIC" --deterministic --months 7 \
	    --set 'users=[100, 200, 300]' --set user_growth_per_month=0.1 --format json
	expect_status 0
	[ "$(jq -c '[.months[].users]' <<<"$output")" = '[100,200,300,330,363,399,439]' ]
}

@test "an uncertain growth that stops: every trial's users hold from month until_month" {
	run --separate-stderr fc simulate "$BASIC" --months 8 --trials 300 \
	    --set 'user_growth_per_month={rate: {dist: uniform, min: 0.05, max: 0.2}, until_month: 5}' --format json
	expect_status 0
	jq -e '.months[4].users.sd > 0 and .months[4].users.p5 >= 1215 and .months[4].users.p99 <= 2074' <<<"$output"
	jq -e '.months[7].users == .months[4].users' <<<"$output"
}

@test "growth: a distribution in a list, a bad until_month, an unknown key are refused" {
	run --separate-stderr fc simulate "$BASIC" --set 'user_growth_per_month=[0.1, {dist: uniform, min: 0, max: 0.1}]'
	expect_status 2
	[[ "$stderr" == *"--set:1:29: error: a growth list takes numbers; for an uncertain growth that stops, write {rate: R, until_month: N}"* ]]
	run --separate-stderr fc simulate "$BASIC" --set 'user_growth_per_month={rate: 0.1, until_month: 2.5}'
	expect_status 2
	[[ "$stderr" == *"until_month: expected a whole month from 1, the last month that grows"* ]]
	run --separate-stderr fc simulate "$BASIC" --set 'user_growth_per_month={rate: 0.1, until: 4}'
	expect_status 2
	[[ "$stderr" == *"unknown key 'until' in user_growth_per_month (expected rate and until_month)"* ]]
	run --separate-stderr fc simulate "$BASIC" --set 'user_growth_per_month=[0.1, -1]'
	expect_status 2
	[[ "$stderr" == *"expected a monthly growth rate above -1"* ]]
}

# --- sensitivity sees each trial's own draws (items 1 and 6) ---

@test "sensitivity of payback_month: a wide fallback share ranks above a narrow one" {
	local wide narrow
	wide=$(fc sensitivity tests/cli/fixtures/honest.yaml --figure payback_month --months 48 \
	    --trials 1000 --set 'flat.fallback.share="0.02 to 0.20"' --format json 2>/dev/null |
	    jq '.inputs[] | select(.key == "flat.fallback.share") | .share')
	narrow=$(fc sensitivity tests/cli/fixtures/honest.yaml --figure payback_month --months 48 \
	    --trials 1000 --set 'flat.fallback.share="0.07 to 0.09"' --format json 2>/dev/null |
	    jq '.inputs[] | select(.key == "flat.fallback.share") | .share')
	echo "wide $wide, narrow $narrow" >&2
	# before: the months drew the share again, and its share was about -1% either way
	jq -en --argjson w "$wide" --argjson n "$narrow" '$w > 0.04 and $w > $n + 0.04'
}

# --- API price paths (item 3) ---

@test "api.price_factor multiplies every API price (the API, the fallback), and is a drawn input" {
	run --separate-stderr fc simulate "$BASIC" --deterministic --set flat.fallback.share=0.1 --format json
	expect_status 0
	local api fb
	api=$(jq '.api.llm_cost' <<<"$output")
	fb=$(jq '.flat.fallback_cost' <<<"$output")
	run --separate-stderr fc simulate "$BASIC" --deterministic --set flat.fallback.share=0.1 \
	    --set api.price_factor=0.7 --format json
	expect_status 0
	jq -e --argjson a "$api" --argjson f "$fb" '(.api.llm_cost - 0.7 * $a | fabs) < 1e-6 and
	    (.flat.fallback_cost - 0.7 * $f | fabs) < 1e-6 and .inputs.api.price_factor == 0.7' <<<"$output"
	run --separate-stderr fc simulate "$BASIC" --set api.price_factor=0
	expect_status 2
	[[ "$stderr" == *"a multiplier > 0 of every API price"* ]]
	# an uncertain factor is ranked by sensitivity with the other draws
	run --separate-stderr fc sensitivity tests/cli/fixtures/honest.yaml --figure payback_month \
	    --months 48 --trials 500 --set 'api.price_factor="0.4 to 1.1"' --format json
	expect_status 0
	jq -e '.inputs[0].key == "api.price_factor" and .inputs[0].share > 0.3' <<<"$output"
}

@test "a --months horizon past the API model's shutdown warns (shutdown_in_horizon), names the successor, fails --strict-data" {
	local day
	day=$(date -u -d 2026-06-01 +%s)
	SOURCE_DATE_EPOCH=$day run --separate-stderr fc simulate "$BASIC" --deterministic --months 12 --format json
	expect_status 0
	[[ "$stderr" == *"warning: openai/gpt-4o (api.price): the model shuts down on 2027-01-14, and api.price_changes has no change by then: months 8 to 12 of the 12 simulated are priced at a model that no longer serves"* ]]
	# the API's price and the fallback's (basic.yaml names its fallback API)
	jq -e '[.warnings[] | select(.kind == "shutdown_in_horizon")] | length == 2 and
	    .[0].id == "openai/gpt-4o" and .[0].days == 227' <<<"$output"
	# a horizon that ends before the shutdown: no warning
	SOURCE_DATE_EPOCH=$day run --separate-stderr fc simulate "$BASIC" --deterministic --months 6 --format json
	expect_status 0
	jq -e '[.warnings[] | select(.kind == "shutdown_in_horizon")] | length == 0' <<<"$output"
	# the successor, where the data names one
	SOURCE_DATE_EPOCH=$day run --separate-stderr fc simulate "$BASIC" --deterministic --months 12 \
	    --set api.price=anthropic/claude-sonnet-4.5 --set flat.fallback.share=0
	expect_status 0
	[[ "$stderr" == *"anthropic/claude-sonnet-4.5 (api.price): the model shuts down on 2026-11-30, and api.price_changes has no change by then: months 6 to 12 of the 12 simulated are priced at a model that no longer serves; the provider names anthropic/claude-sonnet-5 as its successor: add {on: 2026-11-30, to: anthropic/claude-sonnet-5} to api.price_changes"* ]]
	# --strict-data: an error (on fresh hardware data, so that nothing else counts)
	day=$(date -u -d 2026-10-01 +%s)
	SOURCE_DATE_EPOCH=$day run --separate-stderr fc simulate "$BASIC" --deterministic --months 12 \
	    --strict-data --set flat.hardware=gpu/runpod-a5000
	expect_status 4
	[[ "$stderr" == *"--strict-data: the 12-month horizon runs past 2 model shutdowns in $BASIC"* ]]
	SOURCE_DATE_EPOCH=$day run --separate-stderr fc simulate "$BASIC" --deterministic --months 3 \
	    --strict-data --set flat.hardware=gpu/runpod-a5000
	expect_status 0
}

@test "sensitivity lists api.route's drawn tier shares" {
	run --separate-stderr fc sensitivity tests/cli/fixtures/route.yaml --figure api_routed.monthly_cost \
	    --set 'api.route=[{price: openai/gpt-4o-mini, share: {dist: uniform, min: 0.5, max: 0.9}}, {price: openai/gpt-4o}]' \
	    --trials 500 --format json
	expect_status 0
	jq -e '.inputs[0].key == "api.route[1].share" and .inputs[0].share > 0.9' <<<"$output"
	jq -e '[.inputs[].key | select(startswith("api.route["))] | length == 1' <<<"$output"
}

@test "sensitivity lists a measured profile's drawn server speed (flat.hardware)" {
	local d=$BATS_TEST_TMPDIR
	cp tests/fuzz/corpus/profile/bench-repeat-context-slo "$d/profile.yaml"
	printf '%s\n' 'flatcost: 1' 'name: spread' 'users: 2000' \
	    'workload: {requests_per_user_per_day: 200, input_tokens: 32, output_tokens: 8}' \
	    'api: {price: openai/gpt-4o-mini}' \
	    "flat: {hardware: ./profile.yaml, model: qwen2.5-3b-q4_0, slo: {p95_latency_s: 60}}" \
	    >"$d/sc.yaml"
	run --separate-stderr bash -c "cd '$d' && '$FLATCOST' sensitivity sc.yaml --figure latency.call_p95_s \
	    --trials 400 --set 'workload.output_tokens=\"4 to 16\"' --format json"
	expect_status 0
	jq -e '[.inputs[] | select(.key == "flat.hardware")] | length == 1 and
	    .[0].unit == "speed / mean" and .[0].p10 < 1 and .[0].p90 > 1' <<<"$output"
	# without the spread the row is not listed
	grep -v '_sd:\|repeat:' "$d/profile.yaml" >"$d/p0.yaml"
	sed -i 's#./profile.yaml#./p0.yaml#' "$d/sc.yaml"
	run --separate-stderr bash -c "cd '$d' && '$FLATCOST' sensitivity sc.yaml --figure latency.call_p95_s \
	    --trials 400 --set 'workload.output_tokens=\"4 to 16\"' --format json"
	expect_status 0
	jq -e '[.inputs[] | select(.key == "flat.hardware")] | length == 0' <<<"$output"
}

# --- hardware numbers as distributions (item 2) ---

@test "a hardware profile's monthly_price \"197 to 358\": the mean at --deterministic, the range in trials" {
	local F=tests/cli/fixtures/hw-price-range.yaml
	run --separate-stderr fc simulate "$F" --deterministic --format json
	expect_status 0
	# the lognormal with 5% at 197 and 95% at 358: sigma = ln(358/197) / (2 x 1.644854),
	# mean = sqrt(197 x 358) x exp(sigma^2 / 2) = 269.98 USD/month
	jq -e '((358 / 197 | log) / (2 * 1.6448536269514722)) as $s
	    | (((197 * 358) | sqrt) * ($s * $s / 2 | exp)) as $m
	    | (.inputs.flat.hardware.monthly_price - $m | fabs < 1e-6)
	      and (.flat.servers == 2) and (.flat.server_cost - 2 * $m | fabs < 1e-6)
	      and (.inputs.flat.hardware.monthly_price_dist.dist == "lognormal")' <<<"$output"
	# the same scenario at the catalog's constant price has no spread in the server cost
	run --separate-stderr fc simulate "$BASIC" --trials 2000 --format json
	expect_status 0
	jq -e '.flat.server_cost.p5 == .flat.server_cost.p95' <<<"$output"
	# two servers: the trials' P5-P95 is two prices' 90% range
	run --separate-stderr fc simulate "$F" --trials 2000 --format json
	expect_status 0
	jq -e '.flat.servers.p5 == 2 and .flat.servers.p95 == 2
	    and (.flat.server_cost.p5 / 2 | . > 190 and . < 205)
	    and (.flat.server_cost.p95 / 2 | . > 345 and . < 372)' <<<"$output"
	# hourly_price as a {dist: ...} mapping, billing hourly: the autoscaled bill follows it
	run --separate-stderr fc simulate "$BASIC" --trials 2000 --format json \
	    --set 'flat.billing=hourly'
	expect_status 0
	local fixed_p5 fixed_p95
	fixed_p5=$(jq '.flat.server_cost.p5' <<<"$output")
	fixed_p95=$(jq '.flat.server_cost.p95' <<<"$output")
	d=$(mktemp -d)
	sed 's/^hourly_price: .*/hourly_price: {dist: uniform, min: 0.2, max: 0.4}/' \
	    tests/cli/fixtures/gex44-price-range.yaml >"$d/gex44-price-range.yaml"
	cp "$F" "$d/sc.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --trials 2000 --format json --set 'flat.billing=hourly'
	expect_status 0
	jq -e --argjson a "$fixed_p5" --argjson b "$fixed_p95" \
	    '.inputs.flat.hardware.hourly_price_dist.dist == "uniform"
	    and (.flat.server_cost.p95 - .flat.server_cost.p5) > 3 * ($b - $a)' <<<"$output"
	rm -rf "$d"
}

@test "a wide server price ranks first for the flat cost, and the bytes are the same for any --threads" {
	local F=tests/cli/fixtures/hw-price-range.yaml
	run --separate-stderr fc sensitivity "$F" --figure flat.monthly_cost --trials 2000 --format json
	expect_status 0
	jq -e '.inputs[0].key == "flat.hardware.monthly_price" and .inputs[0].share > 0.8' <<<"$output"
	run --separate-stderr fc simulate "$F" --trials 3000 --months 6 --threads 1 --format json
	expect_status 0
	one=$output
	run --separate-stderr fc simulate "$F" --trials 3000 --months 6 --threads 4 --format json
	expect_status 0
	[ "$one" = "$output" ]
	run --separate-stderr fc sensitivity "$F" --figure flat.monthly_cost --trials 2000 --threads 3 --format json
	expect_status 0
	a=$output
	run --separate-stderr fc sensitivity "$F" --figure flat.monthly_cost --trials 2000 --threads 1 --format json
	[ "$a" = "$output" ]
}

@test "efficiency: {decode: \"0.4 to 0.7\"} gives a decode-rate range in trials, its mean at --deterministic" {
	d=$(mktemp -d)
	cp tests/cli/fixtures/a5000-spec-sc.yaml "$d/sc.yaml"
	{ cat tests/cli/fixtures/a5000-spec-sheet.yaml
	  echo 'efficiency: {decode: "0.4 to 0.7", prefill: 0.26}'; } >"$d/a5000-spec-sheet.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --trials 2000 --format json
	expect_status 0
	# the roofline's decode is proportional to the efficiency: its P95 / P5 is 0.7 / 0.4
	jq -e '(.capacity.decode_tok_s.p95 / .capacity.decode_tok_s.p5 | . > 1.6 and . < 1.9)
	    and .capacity.prefill_tok_s.p5 == .capacity.prefill_tok_s.p95
	    and .capacity.efficiency.basis == "given"
	    and (.capacity.efficiency.decode.p5 - 0.4 | fabs < 1e-9)
	    and (.capacity.efficiency.decode.p95 - 0.7 | fabs < 1e-9)' <<<"$output"
	[[ "$stderr" != *"default efficiency is uncertain"* ]]
	# --deterministic: the decode rate at the mean efficiency, as if it were given as a number
	run --separate-stderr fc simulate "$d/sc.yaml" --deterministic --format json
	expect_status 0
	mean=$(jq '.capacity.efficiency.decode.mean' <<<"$output")
	a=$(jq '.capacity.decode_tok_s' <<<"$output")
	sed -i "s/^efficiency: .*/efficiency: {decode: $mean, prefill: 0.26}/" "$d/a5000-spec-sheet.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --deterministic --format json
	expect_status 0
	[ "$(jq '.capacity.decode_tok_s' <<<"$output")" = "$a" ]
	jq -e '.capacity.efficiency == null' <<<"$output"
	rm -rf "$d"
}

@test "a spec-sheet GPU gets the class's measured spread as its efficiency range (stderr, JSON), the deterministic run its median" {
	local F=tests/cli/fixtures/a5000-spec-sc.yaml
	run --separate-stderr fc simulate "$F" --trials 2000 --format json
	expect_status 0
	# the bundled GPU entries with measured efficiency: RTX 4090 (0.642, 0.694), L40S
	# (0.662, 0.268, listed twice, counted once), H100 (0.36, 0.173, listed three times,
	# counted once), GEX130 (0.689, 0.255)
	[[ "$stderr" == *"note: hardware '"*"a5000-spec-sheet.yaml': its default efficiency is uncertain, as wide as the 4 measured GPU entries' spread (decode 0.36 to 0.689, prefill 0.173 to 0.694): each trial draws decode 0.462 to 0.885 and prefill 0.119 to 0.479 (90%, lognormal of mean 0.652 and 0.262)"* ]]
	jq -e '.capacity.basis == "roofline" and .capacity.label == "roofline, default efficiency"
	    and (.capacity.efficiency.basis | startswith("class default"))
	    and .capacity.efficiency.decode.mean == 0.652 and .capacity.efficiency.prefill.mean == 0.2615
	    and (.capacity.efficiency.decode.p95 / .capacity.efficiency.decode.p5 - 0.689 / 0.36 | fabs < 1e-9)
	    and (.capacity.efficiency.prefill.p95 / .capacity.efficiency.prefill.p5 - 0.694 / 0.173 | fabs < 1e-9)
	    and .capacity.decode_tok_s.p5 < .capacity.decode_tok_s.p95' <<<"$output"
	# --deterministic keeps the class median: the same decode rate as the efficiency given as numbers
	run --separate-stderr fc simulate "$F" --deterministic --format json
	expect_status 0
	a=$(jq -c '[.capacity.decode_tok_s, .capacity.prefill_tok_s, .flat.monthly_cost]' <<<"$output")
	d=$(mktemp -d)
	cp "$F" "$d/sc.yaml"
	{ cat tests/cli/fixtures/a5000-spec-sheet.yaml; echo 'efficiency: {decode: 0.652, prefill: 0.2615}'; } \
	    >"$d/a5000-spec-sheet.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --deterministic --format json
	expect_status 0
	[ "$(jq -c '[.capacity.decode_tok_s, .capacity.prefill_tok_s, .flat.monthly_cost]' <<<"$output")" = "$a" ]
	rm -rf "$d"
	# sensitivity lists the efficiency draws; the same bytes for any --threads
	run --separate-stderr fc sensitivity "$F" --figure flat.monthly_cost --trials 2000 --threads 1 --format json
	expect_status 0
	jq -e '[.inputs[].key] | index("flat.hardware.efficiency.decode") != null
	    and index("flat.hardware.efficiency.prefill") != null' <<<"$output"
	a=$output
	run --separate-stderr fc sensitivity "$F" --figure flat.monthly_cost --trials 2000 --threads 4 --format json
	[ "$a" = "$output" ]
}

@test "a spec-sheet GPU that says memory: hbm takes the measured HBM GPUs' efficiency; gddr the GDDR ones'; a bad memory is an error at the key" {
	d=$(mktemp -d)
	cp tests/cli/fixtures/a5000-spec-sc.yaml "$d/sc.yaml"
	# the A5000's spec sheet relabelled as an A100 SXM (2,039 GB/s, HBM2e)
	sed 's/^mem_bandwidth_gbs: .*/mem_bandwidth_gbs: 2039\nmemory: hbm/' \
	    tests/cli/fixtures/a5000-spec-sheet.yaml >"$d/a5000-spec-sheet.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --deterministic --format json
	expect_status 0
	# the bundled HBM GPU measured is the H100 PCIe (0.36, 0.173), one entry: no spread
	[[ "$stderr" == *"takes the gpu (hbm) class default from data, decode 0.36 and prefill 0.173 of the spec sheet (the median of 1 HBM GPU entry) (roofline, default efficiency)"* ]]
	[[ "$stderr" != *"its default efficiency is uncertain"* ]]
	jq -e '.capacity.label == "roofline, default efficiency" and .capacity.efficiency == null' <<<"$output"
	sed -i 's/^memory: hbm/memory: gddr/' "$d/a5000-spec-sheet.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --deterministic --format json
	expect_status 0
	[[ "$stderr" == *"takes the gpu (gddr) class default from data, decode 0.662 and prefill 0.268 of the spec sheet (the median of 3 GDDR GPU entries)"* ]]
	sed -i 's/^memory: gddr/memory: hbm3/' "$d/a5000-spec-sheet.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --deterministic
	expect_status 2
	[[ "$stderr" == *"a5000-spec-sheet.yaml:12:9: error: unknown memory 'hbm3' (did you mean 'hbm'?)"* ]]
	rm -rf "$d"
}

@test "a spec-sheet GPU that says tensor_rate takes the prefill of the measured GPUs of that rate; a bad rate is an error at the key" {
	d=$(mktemp -d)
	cp tests/cli/fixtures/a5000-spec-sc.yaml "$d/sc.yaml"
	sed 's/^mem_bandwidth_gbs: .*/mem_bandwidth_gbs: 768\nmemory: gddr/' \
	    tests/cli/fixtures/a5000-spec-sheet.yaml >"$d/a5000-spec-sheet.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --deterministic --format json
	expect_status 0
	[[ "$stderr" != *"tensor_rate"* ]]
	p0=$(jq '.capacity.prefill_tok_s' <<<"$output")
	d0=$(jq '.capacity.decode_tok_s' <<<"$output")
	# a GeForce datasheet's rate (FP32 accumulate, half): the RTX 4090's 0.694, not 0.268
	printf 'tensor_rate: half\n' >>"$d/a5000-spec-sheet.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --deterministic --format json
	expect_status 0
	[[ "$stderr" == *"decode 0.662 and prefill 0.694 of the spec sheet"* ]]
	[[ "$stderr" == *"tensor_rate half: its prefill default 0.694 is the median of the 1 measured GDDR GPU entry of that tensor rate"* ]]
	jq -e --argjson p0 "$p0" --argjson d0 "$d0" \
	    '(.capacity.prefill_tok_s / $p0 - 0.694 / 0.268 | fabs) < 1e-3 and .capacity.decode_tok_s == $d0' <<<"$output"
	sed -i 's/^tensor_rate: half/tensor_rate: full/' "$d/a5000-spec-sheet.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --deterministic
	expect_status 0
	[[ "$stderr" == *"tensor_rate full: its prefill default 0.262 is the median of the 2 measured GDDR GPU entries of that tensor rate"* ]]
	sed -i 's/^tensor_rate: full/tensor_rate: halve/' "$d/a5000-spec-sheet.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --deterministic
	expect_status 2
	[[ "$stderr" == *"a5000-spec-sheet.yaml:16:14: error: unknown tensor_rate 'halve' (did you mean 'half'?)"* ]]
	rm -rf "$d"
}

@test "a spec-sheet GDDR GPU with arch and board_power_w takes the prefill its power pays for; sm_count and boost_clock_mhz cap its decode; bad values are errors at the key" {
	d=$(mktemp -d)
	cp tests/cli/fixtures/a5000-spec-sc.yaml "$d/sc.yaml"
	sed 's/^mem_bandwidth_gbs: .*/mem_bandwidth_gbs: 768\nmemory: gddr/' \
	    tests/cli/fixtures/a5000-spec-sheet.yaml >"$d/a5000-spec-sheet.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --deterministic --format json
	expect_status 0
	p0=$(jq '.capacity.prefill_tok_s' <<<"$output")
	d0=$(jq '.capacity.decode_tok_s' <<<"$output")
	jq -e '.inputs.flat.hardware.efficiency_rules == null' <<<"$output"
	# the RTX A5000 (GA102, 230 W): 0.185 TFLOP/s a W, 42.55 TFLOP/s of its 111.1
	printf 'arch: ampere\nboard_power_w: 230\n' >>"$d/a5000-spec-sheet.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --deterministic --format json
	expect_status 0
	[[ "$stderr" == *"arch ampere, memory gddr, board_power_w 230: its prefill default 0.383 of compute_gflops is the 0.185 TFLOP/s a watt that published ampere GPUs sustain"* ]]
	jq -e --argjson p0 "$p0" --argjson d0 "$d0" \
	    '(.capacity.prefill_tok_s / $p0 - (0.185 * 230000 / 111100) / 0.268 | fabs) < 1e-3
	    and .capacity.decode_tok_s == $d0
	    and .inputs.flat.hardware.efficiency_rules == ["prefill from board power"]
	    and .inputs.flat.hardware.arch == "ampere" and .inputs.flat.hardware.board_power_w == 230' <<<"$output"
	# 64 SMs at 1695 MHz: 4.10 x 108.5 = 444.8 GB/s of 768, 0.579 (under the 0.652 of every GPU)
	printf 'sm_count: 64\nboost_clock_mhz: 1695\n' >>"$d/a5000-spec-sheet.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --deterministic --format json
	expect_status 0
	# the warning names the class medians, the notes what the rules made of them
	[[ "$stderr" == *"decode 0.662 and prefill 0.268 of the spec sheet (the median of 3 GDDR GPU entries)"* ]]
	[[ "$stderr" == *"sm_count 64 at boost_clock_mhz 1695: its SMs stream at most 445 GB/s of 4-bit weights (4.1 bytes an SM a clock), 0.579 of its bandwidth: its decode default is 0.579"* ]]
	jq -e '.inputs.flat.hardware.efficiency_rules == ["prefill from board power", "decode under the SMs'"'"' bound"]
	    and (.inputs.flat.hardware.eta_decode - 4.10 * 64 * 1.695 / 768 | fabs) < 1e-9
	    and .inputs.flat.hardware.sm_count == 64' <<<"$output"
	sed -i 's/^arch: ampere/arch: pascal/' "$d/a5000-spec-sheet.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --deterministic
	expect_status 2
	[[ "$stderr" == *"a5000-spec-sheet.yaml:16:7: error: 'arch' must be unknown, volta, turing, ampere, ada, hopper or blackwell"* ]]
	sed -i 's/^arch: pascal/arch: ampere/; s/^sm_count: 64/sm_count: 0/' "$d/a5000-spec-sheet.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --deterministic
	expect_status 2
	[[ "$stderr" == *"a5000-spec-sheet.yaml:18:11: error: 'sm_count' is 0, out of range: expected a whole number of streaming multiprocessors >= 1"* ]]
	rm -rf "$d"
}

@test "a hardware number's distribution is checked against the key's bound, at the profile's file:line:col" {
	d=$(mktemp -d)
	cp tests/cli/fixtures/hw-price-range.yaml "$d/sc.yaml"
	sed 's/^monthly_price: .*/monthly_price: {dist: normal, mean: 100, sd: 100}/' \
	    tests/cli/fixtures/gex44-price-range.yaml >"$d/gex44-price-range.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --trials 100
	expect_status 2
	[[ "$stderr" == *"gex44-price-range.yaml:8:16: error: monthly_price: 15.9% of the normal's draws fall below the bound 0 (expected USD per month >= 0)"* ]]
	sed 's/^  decode: .*/  decode: "0.5 to 1.4"/' tests/cli/fixtures/gex44-price-range.yaml \
	    >"$d/gex44-price-range.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --trials 100
	expect_status 2
	[[ "$stderr" == *"gex44-price-range.yaml:18:11: error: efficiency.decode: 28.4% of the lognormal's draws fall above the bound 1 (expected an efficiency in (0, 1])"* ]]
	[ -z "$output" ]
	rm -rf "$d"
}

@test "compare draws an option's uncertain server price in each trial, beside the same server at its constant price" {
	run --separate-stderr fc compare tests/cli/fixtures/hw-price-range.yaml --trials 1000 --format json
	expect_status 0
	# the same trials for both: the range option's cost is the constant one's plus two servers'
	# price difference (mean 269.98 - 211.60), and only its spread has the price's range
	jq -e '[.options[] | select(.viable and .kind == "flat") | {key: .hardware, value: .flat.monthly_cost}]
	    | from_entries as $o | $o["hetzner/gex44"] as $a
	    | ($o | to_entries | map(select(.key | endswith("gex44-price-range.yaml")))[0].value) as $b
	    | ($b.mean - $a.mean - 2 * (269.98141801895906 - 211.60) | fabs < 15)
	      and ($b.p95 - $b.p5) > 3 * ($a.p95 - $a.p5)' <<<"$output"
}

@test "setup_price: paid once for each server the fleet adds, in the months' cumulative savings; a distribution is drawn once a trial" {
	d=$(mktemp -d)
	cp tests/cli/fixtures/hw-price-range.yaml "$d/sc.yaml"
	sed 's/^monthly_price: .*/monthly_price: 211.60/' tests/cli/fixtures/gex44-price-range.yaml \
	    >"$d/gex44-price-range.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --deterministic --months 4 \
	    --set 'user_growth_per_month=0.5' --format json
	expect_status 0
	without=$(jq -c '[.months[] | .cumulative.savings]' <<<"$output")
	servers=$(jq -c '[.months[] | .flat.servers]' <<<"$output")
	[ "$servers" = '[2,3,4,5]' ]
	echo 'setup_price: 90.85' >>"$d/gex44-price-range.yaml"
	run --separate-stderr fc simulate "$d/sc.yaml" --deterministic --months 4 \
	    --set 'user_growth_per_month=0.5' --format json
	expect_status 0
	# 2 servers in month 1, then one more each month: 181.70, then 90.85 a month
	jq -e --argjson w "$without" '[.months[] | .cumulative.savings] as $c
	    | ($c[0] - ($w[0] - 181.70) | fabs < 1e-6) and ($c[1] - ($w[1] - 272.55) | fabs < 1e-6)
	      and ($c[3] - ($w[3] - 454.25) | fabs < 1e-6)
	      and .inputs.flat.hardware.setup_price == 90.85' <<<"$output"
	# the monthly savings are those of the months, without the one-time fees
	sed -i 's/^setup_price: .*/setup_price: "50 to 150"/' "$d/gex44-price-range.yaml"
	# sensitivity lists the draw (a month's savings do not depend on it)
	run --separate-stderr fc sensitivity "$d/sc.yaml" --trials 1000 --figure savings.monthly --format json
	expect_status 0
	jq -e '[.inputs[].key] | index("flat.hardware.setup_price") != null' <<<"$output"
	run --separate-stderr fc simulate "$d/sc.yaml" --trials 1000 --months 4 \
	    --set 'user_growth_per_month=0.5' --format json
	expect_status 0
	jq -e '.inputs.flat.hardware.setup_price_dist.dist == "lognormal"
	    and (.months[0].savings.monthly.mean - .months[0].cumulative.savings.mean - 2 * .inputs.flat.hardware.setup_price | fabs < 10)' <<<"$output"
	rm -rf "$d"
}

@test "inline hardware takes the same distributions" {
	run --separate-stderr fc simulate "$BASIC" --trials 1000 --format json --set 'flat.hardware={name: box, kind: gpu,
	    ram_gb: 64, vram_gb: 20, monthly_price: "197 to 358", mem_bandwidth_gbs: 280, compute_gflops: 76700,
	    efficiency: {decode: "0.5 to 0.7", prefill: 0.3}}'
	expect_status 0
	jq -e '.inputs.flat.hardware.monthly_price_dist.dist == "lognormal" and .capacity.efficiency.basis == "given"
	    and (.capacity.decode_tok_s.p95 / .capacity.decode_tok_s.p5 | . > 1.25 and . < 1.55)
	    and .flat.server_cost.p95 > 1.6 * .flat.server_cost.p5' <<<"$output"
}
