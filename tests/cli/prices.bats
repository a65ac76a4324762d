#!/usr/bin/env bats
# API price paths: api.price_factor, price_changes on
# api, flat.fallback and api.route tiers, and the warning of a run that
# crosses a model's shutdown.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	cd_repo
	make_out
	PP=tests/cli/fixtures/pricepath.yaml
}

# months' API (or flat) monthly cost of a deterministic run, one a line
det_months() {
	local fig=$1
	shift
	fc simulate "$PP" --deterministic --format json "$@" 2>/dev/null |
	    jq -r ".months[] | .$fig.monthly_cost"
}

@test "a price change at month M moves exactly the months from M (hand arithmetic)" {
	# 900,000 calls x (1,000 x 2.50 + 500 x 10.00) / 1e6 = $6,750; at half
	# the prices from month 4: $3,375
	run det_months api --months 6 --set 'api.price_changes=[{month: 4, to: {input: 1.25, output: 5}}]'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '6750\n6750\n6750\n3375\n3375\n3375')" ]
	# the flat architecture keeps its own fallback price: unchanged
	a=$(det_months flat --months 6)
	b=$(det_months flat --months 6 --set 'api.price_changes=[{month: 4, to: {input: 1.25, output: 5}}]')
	[ "$a" = "$b" ]
	# the fallback's own path: 5% of 900,000 calls x (1,000 x 0.15 + 500 x
	# 0.60) / 1e6 = $20.25 a month, doubled from month 3: +$20.25 exactly
	run det_months flat --months 4 --set 'flat.fallback.price_changes=[{month: 3, to: {input: 0.30, output: 1.20}}]'
	[ "$status" -eq 0 ]
	mapfile -t f <<<"$output"
	mapfile -t g <<<"$a"
	awk -v a="${f[0]}" -v b="${g[0]}" 'BEGIN { exit !(a == b) }'
	awk -v a="${f[1]}" -v b="${g[1]}" 'BEGIN { exit !(a == b) }'
	awk -v a="${f[2]}" -v b="${g[2]}" 'BEGIN { d = a - b - 20.25; exit !(d < 1e-6 && d > -1e-6) }'
	awk -v a="${f[3]}" -v b="${g[3]}" 'BEGIN { d = a - b - 20.25; exit !(d < 1e-6 && d > -1e-6) }'
}

@test "a change on a date takes effect from the month the date falls in (month 1 starts today)" {
	# today is 2026-11-27 (helpers.bash): 2027-01-14 is 48 days on, month 2
	run det_months api --months 3 --set 'api.price_changes=[{on: 2027-01-14, to: {input: 1.25, output: 5}}]'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '6750\n3375\n3375')" ]
	# a past date: from month 1
	run det_months api --months 2 --set 'api.price_changes=[{on: 2026-01-01, to: {input: 1.25, output: 5}}]'
	[ "$output" = "$(printf '3375\n3375')" ]
}

@test "a weighted 'to' list: one price drawn per trial with the weights, kept in every month" {
	local to='[{month: 2, to: [{price: {input: 1.25, output: 5}, weight: 0.25}, {price: {input: 5, output: 20}, weight: 0.75}]}]'
	run --separate-stderr fc simulate "$PP" --months 3 --trials 2000 --set "api.price_changes=$to" --format json
	[ "$status" -eq 0 ]
	j=$(jq -c '.months' <<<"$output")
	# month 1 at the scenario's price; months 2 and 3 at $3,375 (a quarter
	# of the trials) or $13,500: the mean 0.25 x 3,375 + 0.75 x 13,500 =
	# $10,968.75 (sd of the mean over 2,000 trials: $98), the P5 the cheap
	# price and the P50 the dear one, the same in both months (a trial
	# keeps its pick)
	jq -e '.[0].api.monthly_cost.p95 < 6800' <<<"$j"
	jq -e 'all(.[1:][]; .api.monthly_cost | (.mean > 10968.75 - 400 and .mean < 10968.75 + 400
	    and .p5 < 3400 and .p50 > 13400))' <<<"$j"
	jq -e '(.[1].api.monthly_cost.mean - .[2].api.monthly_cost.mean) | fabs < 5' <<<"$j"
	# at the means: the weighted mean of the costs
	run det_months api --months 2 --set "api.price_changes=$to"
	[ "$output" = "$(printf '6750\n10968.75')" ]
	# a weight of 0.9 for the dear price moves the mean: the draw follows the weights
	run --separate-stderr fc simulate "$PP" --months 2 --trials 2000 --format json --set \
	    'api.price_changes=[{month: 2, to: [{price: {input: 1.25, output: 5}, weight: 0.1}, {price: {input: 5, output: 20}, weight: 0.9}]}]'
	jq -e '.months[1].api.monthly_cost.mean | . > 12487.5 - 300 and . < 12487.5 + 300' <<<"$output"
}

@test "api.price_factor: a number scales every API price; a distribution's payback range brackets its P10 and P90" {
	run det_months api --months 1 --set api.price_factor=0.8
	[ "$output" = "5400" ]
	# P10 and P90 of "0.6 to 1.4" (a lognormal with that 90% interval)
	a=$(fc simulate "$PP" --months 24 --deterministic --set flat.one_time=30000 \
	    --set api.price_factor=0.658854 --format json 2>/dev/null | jq '.payback_month')
	b=$(fc simulate "$PP" --months 24 --deterministic --set flat.one_time=30000 \
	    --set api.price_factor=1.27494 --format json 2>/dev/null | jq '.payback_month')
	mc=$(fc simulate "$PP" --months 24 --set flat.one_time=30000 \
	    --set 'api.price_factor="0.6 to 1.4"' --format json 2>/dev/null)
	echo "P10 -> $a, P90 -> $b, $(jq -c '.payback_month' <<<"$mc")" >&2
	[ "$a" != "$b" ]
	jq -e --argjson a "$a" --argjson b "$b" '.p_payback_within_months == 1 and
	    .payback_month.p5 <= ([$a, $b] | min) and .payback_month.p95 >= ([$a, $b] | max)' <<<"$mc"
	# with the factor fixed, the payback has no spread from it
	c=$(fc simulate "$PP" --months 24 --set flat.one_time=30000 --format json 2>/dev/null)
	jq -e '.payback_month.p5 == .payback_month.p95' <<<"$c"
}

@test "a --months run past the API model's shutdown warns (text and JSON), naming the successor; --strict-data refuses" {
	# gpt-4o-mini shuts down on 2027-01-14: month 2 from 2026-11-27
	run --separate-stderr fc simulate "$PP" --months 6 --deterministic --format json \
	    --set api.price=openai/gpt-4o-mini
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"openai/gpt-4o-mini (api.price): the model shuts down on 2027-01-14, and api.price_changes has no change by then: months 2 to 6 of the 6 simulated are priced at a model that no longer serves"* ]]
	jq -e '[.warnings[] | select(.kind == "shutdown_in_horizon")] | length == 1 and
	    .[0].id == "openai/gpt-4o-mini" and .[0].role == "api.price" and .[0].date == "2027-01-14"' <<<"$output"
	# a successor in the bundled data is named: Google's for gemini-2.5-flash
	run --separate-stderr fc simulate "$PP" --months 3 --deterministic --format json \
	    --set api.price=google/gemini-2.5-flash
	jq -e '.warnings[] | select(.kind == "shutdown_in_horizon") | .successor == "google/gemini-3.5-flash-lite"' <<<"$output"
	[[ "$stderr" == *"add {on: 2026-12-01, to: google/gemini-3.5-flash-lite} to api.price_changes"* ]]
	# a successor in the data is named (a user data file adds one here)
	mkdir -p "$BATS_TEST_TMPDIR/ud"
	cat >"$BATS_TEST_TMPDIR/ud/prices.yaml" <<-'Y'
	acme:
	  old:
	    input: 1
	    output: 2
	    shutdown: 2027-02-01
	    successor: acme/new
	    as_of: 2026-11-01
	    source: test
	  new:
	    input: 1
	    output: 2
	    as_of: 2026-11-01
	    source: test
	Y
	run --separate-stderr env FLATCOST_USER_DATA="$BATS_TEST_TMPDIR/ud" "$FLATCOST" simulate "$PP" \
	    --months 6 --deterministic --format json --set api.price=acme/old
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"the provider names acme/new as its successor: add {on: 2027-02-01, to: acme/new} to api.price_changes"* ]]
	jq -e '.warnings[] | select(.kind == "shutdown_in_horizon") | .successor == "acme/new"' <<<"$output"
	# a change by the shutdown silences it; a run that ends before it has none
	run --separate-stderr fc simulate "$PP" --months 6 --deterministic --format json \
	    --set api.price=openai/gpt-4o-mini --set 'api.price_changes=[{on: 2027-01-14, to: openai/gpt-5.4-mini}]'
	[ "$status" -eq 0 ]
	jq -e '[.warnings[] | select(.kind == "shutdown_in_horizon")] | length == 0' <<<"$output"
	run --separate-stderr fc simulate "$PP" --months 1 --deterministic --format json \
	    --set api.price=openai/gpt-4o-mini
	jq -e '[.warnings[] | select(.kind == "shutdown_in_horizon")] | length == 0' <<<"$output"
	# the fallback API and a route tier follow the same rule
	run --separate-stderr fc simulate "$PP" --months 6 --deterministic --format json \
	    --set 'flat.fallback.api=openai/gpt-4o-mini' \
	    --set 'api.route=[{price: openai/gpt-4.1-mini, share: 0.5}, {price: openai/gpt-5.4-mini}]'
	[ "$status" -eq 0 ]
	jq -e '[.warnings[] | select(.kind == "shutdown_in_horizon") | .role] | sort == ["api.route", "flat.fallback.api"]' <<<"$output"
	run --separate-stderr fc simulate "$PP" --months 6 --deterministic --format json \
	    --set 'api.route=[{price: openai/gpt-4.1-mini, share: 0.5, price_changes: [{month: 2, to: openai/gpt-5.4-nano}]}, {price: openai/gpt-5.4-mini}]'
	jq -e '[.warnings[] | select(.kind == "shutdown_in_horizon")] | length == 0' <<<"$output"
	# a change to a model already shut down (gpt-4.1-nano, 2026-10-23) is one too
	run --separate-stderr fc simulate "$PP" --months 6 --deterministic --format json \
	    --set 'api.price_changes=[{month: 3, to: openai/gpt-4.1-nano}]'
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"openai/gpt-4.1-nano (api.price): the model shuts down on 2026-10-23, and api.price_changes has no change by then: months 3 to 6"* ]]
	# --strict-data: an error, nothing written
	run --separate-stderr fc simulate "$PP" --months 6 --deterministic --strict-data \
	    --set api.price=openai/gpt-4o-mini -o "$OUT/r.json" --format json
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"--strict-data"* ]]
	[ ! -e "$OUT/r.json" ]
}

@test "price paths: bad changes are refused at file:line with the expected form" {
	local bad
	while IFS='|' read -r bad want; do
		run --separate-stderr fc simulate "$PP" --months 3 --set "$bad"
		echo "$bad -> $status: $stderr" >&2
		[ "$status" -eq 2 ]
		[[ "$stderr" == *"--set:1:"* ]]
		[[ "$stderr" == *"$want"* ]]
	done <<-'EOF'
	api.price_changes=[{month: 2, to: [{price: {input: 1, output: 2}, weight: 0.5}, {price: {input: 2, output: 4}, weight: 0.4}]}]|sum to 0.9
	api.price_changes=[{month: 2, on: 2027-01-01, to: {input: 1, output: 2}}]|either month
	api.price_changes=[{month: 0, to: {input: 1, output: 2}}]|month: expected
	api.price_changes=[{on: 2027-02-30, to: {input: 1, output: 2}}]|on: expected
	api.price_changes=[{month: 2}]|needs 'to'
	api.price_changes=[{month: 2, to: openai/gpt-9}]|unknown API price
	api.price_changes=[{month: 2, to: {input: 1, output: 2}}, {month: 2, to: {input: 1, output: 2}}]|two price changes in month 2
	api.price_factor=0|api.price_factor
	EOF
	# the fallback's own changes need its own price
	sed 's/^  fallback: .*/  fallback: {share: 0.05, price_changes: [{month: 2, to: {input: 1, output: 2}}]}/' \
	    "$PP" >"$BATS_TEST_TMPDIR/fb.yaml"
	run --separate-stderr fc simulate "$BATS_TEST_TMPDIR/fb.yaml" --months 3
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"fb.yaml:"*"flat.fallback.price_changes needs flat.fallback.api"* ]]
}

# --- price bases ---

@test "every bundled hardware price says its basis and date; RunPod's pods and serverless workers are separate entries" {
	run --separate-stderr fc data hardware --format json
	[ "$status" -eq 0 ]
	jq -e 'all(.hardware[]; (.price_basis | IN("monthly", "on-demand", "spot", "serverless", "reserved"))
	    and (.price_as_of | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")))' <<<"$output"
	jq -e '[.hardware[] | select(.id | startswith("hetzner/")) | .price_basis] | all(. == "monthly")' <<<"$output"
	jq -e '.hardware[] | select(.id == "cloud-gpu/runpod-rtx4090") | .price_basis == "serverless" and .hourly_price == 0.756' <<<"$output"
	jq -e '.hardware[] | select(.id == "cloud-gpu/runpod-rtx4090-pod") | .price_basis == "on-demand" and .hourly_price == 0.34' <<<"$output"
	jq -e '.hardware[] | select(.id == "gpu/runpod-a5000") | .price_basis == "on-demand" and .hourly_price == 0.27' <<<"$output"
	jq -e '.hardware[] | select(.id == "gpu/runpod-a5000-serverless") | .price_basis == "serverless"' <<<"$output"
	# each GPU says which FP16 tensor rate its compute_gflops is: GeForce's half
	# (FP32 accumulate), the workstation and datacenter cards' full
	jq -e '.hardware[] | select(.id == "cloud-gpu/runpod-rtx4090") | .tensor_rate == "half"' <<<"$output"
	jq -e '.hardware[] | select(.id == "hetzner/gex130") | .tensor_rate == "full"' <<<"$output"
	jq -e '[.hardware[] | select(.memory == "gddr" or .memory == "hbm") | .tensor_rate != "unknown"] | all' <<<"$output"
	jq -e '.hardware[] | select(.id == "cloud-gpu/runpod-h100-pod") | .price_basis == "on-demand" and .hourly_price == 2.89' <<<"$output"
	# an unknown basis is refused at its line
	mkdir -p "$BATS_TEST_TMPDIR/ud/hardware"
	sed -n '/^runpod-a5000:/,/^  throughput/p' data/hardware/gpu.yaml |
	    sed 's/^runpod-a5000:/mine:/; s/price_basis: on-demand/price_basis: hourly/' \
	    >"$BATS_TEST_TMPDIR/ud/hardware/gpu.yaml"
	run --separate-stderr env FLATCOST_USER_DATA="$BATS_TEST_TMPDIR/ud" "$FLATCOST" data hardware
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"gpu.yaml:12:16: error: gpu/mine: price_basis 'hourly': expected monthly, on-demand, spot, serverless or reserved"* ]]
}

@test "compare ranks like with like: the scenario's hardware's basis by default, said; --price-basis all; a listed server on another basis is refused" {
	run --separate-stderr fc compare "$PP" --deterministic --format json --set flat.hardware=gpu/runpod-a5000
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"hardware priced on-demand, the basis of the scenario's gpu/runpod-a5000"* ]]
	jq -e '.price_basis == "on-demand"' <<<"$output"
	ids=$(jq -r '[.options[] | select(.hardware | contains("/")) | .hardware] | unique | join(" ")' <<<"$output")
	echo "$ids" >&2
	[[ " $ids " == *" cloud-gpu/runpod-rtx4090-pod "* ]]
	[[ " $ids " != *" cloud-gpu/runpod-rtx4090 "* ]]
	[[ " $ids " != *" hetzner/"* ]]
	run --separate-stderr fc compare "$PP" --deterministic --format json --set flat.hardware=gpu/runpod-a5000 --price-basis all
	[ "$status" -eq 0 ]
	jq -e '.price_basis == "all" and ([.options[] | select(.hardware == "cloud-gpu/runpod-rtx4090")] | length > 0)' <<<"$output"
	run --separate-stderr fc compare "$PP" --deterministic --price-basis serverless --set flat.hardware=gpu/runpod-a5000
	[ "$status" -eq 0 ]
	[[ "$output" == *"Hardware priced serverless"* ]]
	[[ "$output" != *"runpod-rtx4090-pod"* ]]
	# a list is compared as listed, with a warning when its bases differ;
	# with --price-basis, a listed server on another basis is an error
	run --separate-stderr fc compare "$PP" --deterministic --set flat.hardware=gpu/runpod-a5000 \
	    --hardware gpu/runpod-a5000,cloud-gpu/runpod-rtx4090
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"cloud-gpu/runpod-rtx4090 (compare.hardware): priced serverless, unlike gpu/runpod-a5000 (on-demand): the servers listed are priced on different bases"* ]]
	run --separate-stderr fc compare "$PP" --deterministic --set flat.hardware=gpu/runpod-a5000 \
	    --hardware gpu/runpod-a5000,cloud-gpu/runpod-rtx4090 --format json
	jq -e '[.warnings[] | select(.kind == "price_basis")] | length == 1' <<<"$output"
	run --separate-stderr fc compare "$PP" --deterministic --set flat.hardware=gpu/runpod-a5000 \
	    --hardware gpu/runpod-a5000,cloud-gpu/runpod-rtx4090-pod
	[ "$status" -eq 0 ]
	[[ "$stderr" != *"different bases"* ]]
	run --separate-stderr fc compare "$PP" --deterministic --set flat.hardware=gpu/runpod-a5000 \
	    --hardware gpu/runpod-a5000,cloud-gpu/runpod-rtx4090 --price-basis on-demand
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"cloud-gpu/runpod-rtx4090 is priced serverless, not on-demand as --price-basis asks"* ]]
	run --separate-stderr fc compare "$PP" --deterministic --price-basis hourly
	[ "$status" -eq 2 ]
}
