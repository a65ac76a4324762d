#!/usr/bin/env bats
# api.route: the routed API as a third architecture, checked by
# hand (tests/cli/fixtures/route.yaml: $2,308.50 a month), its shares
# uncertain and clipped, its errors, and the commands that know it:
# simulate (a third column), check (budgets on api_routed.*), diff and
# compare.  A scenario without a route reports exactly as before (the
# goldens of simulate.bats).

bats_require_minimum_version 1.5.0

load helpers

RT=tests/cli/fixtures/route.yaml

setup() {
	cd_repo
	make_out
}

@test "hand-checked: 70% gpt-4o-mini, 30% gpt-4o is \$2,308.50 a month, \$2.31 a user" {
	run --separate-stderr "$FLATCOST" simulate "$RT" --deterministic
	expect_status 0
	[[ "$output" == *"USD per month"*"API"*"Flat"*"Routed API"* ]]
	echo "$output" | grep -Eq '^  Total +\$6,750.00 +\$[0-9,.]+ +\$2,308.50$'
	echo "$output" | grep -Eq '^  Per user +\$6.75 +\$[0-9,.]+ +\$2.31$'
	"$FLATCOST" simulate "$RT" --deterministic --format json >"$OUT/r.json"
	# JSON prints the double exactly (shortest round trip): to the cent
	[ "$(jq '.api_routed.monthly_cost * 100 | round' "$OUT/r.json")" = 230850 ]
	[ "$(jq '.api_routed.llm_cost * 100 | round' "$OUT/r.json")" = 230850 ]
	[ "$(jq '.per_user.api_routed * 10000 | round' "$OUT/r.json")" = 23085 ]
	[ "$(jq '.api_routed.shares_clipped' "$OUT/r.json")" = 0 ]
	# api.price stays the plain API: its cost and the breakeven are unchanged
	"$FLATCOST" simulate tests/cli/fixtures/basic.yaml --deterministic --format json >"$OUT/b.json"
	[ "$(jq '.api.monthly_cost' "$OUT/r.json")" = "$(jq '.api.monthly_cost' "$OUT/b.json")" ]
	[ "$(jq '.breakeven_users' "$OUT/r.json")" = "$(jq '.breakeven_users' "$OUT/b.json")" ]
	# csv and md carry the figures too
	"$FLATCOST" simulate "$RT" --deterministic --format csv | grep -q '^"api_routed.monthly_cost","USD/month","2308.5"$'
	"$FLATCOST" simulate "$RT" --deterministic --format md | grep -q '^| Routed API total | \$2,308.50 |$'
}

@test "without a route: no routed figures in any format" {
	for f in json csv md table; do
		run "$FLATCOST" simulate tests/cli/fixtures/basic.yaml --deterministic --format "$f"
		expect_status 0
		[[ "$output" != *"routed"* ]]
		[[ "$output" != *"Routed"* ]]
	done
}

@test "uncertain shares: each trial draws them; over 1 they are clipped, with a warning" {
	run --separate-stderr "$FLATCOST" simulate "$RT" --trials 500 --format json \
	    --set 'api.route=[{price: openai/gpt-4o-mini, share: {dist: uniform, min: 0.5, max: 0.9}}, {price: openai/gpt-4o-mini, share: {dist: uniform, min: 0, max: 0.4}}, {price: openai/gpt-4o}]'
	expect_status 0
	[[ "$stderr" == *"warning: $RT: in "*"% of the trials the shares of api.route summed over 1; they were scaled down to 1 and the last tier took no calls"* ]]
	clipped=$(jq '.api_routed.shares_clipped.mean' <<<"$output")
	# P(U(0.5,0.9) + U(0,0.4) > 1): the sum is triangular on [0.5, 1.3],
	# so (0.3 / 0.4)^2 / 2 = 0.28125
	python3 -c "import sys; sys.exit(0 if 0.22 < $clipped < 0.34 else 1)"
	# gpt-4o takes at most half of the calls ($3,577.50 a month at the
	# mean traffic), a clipped trial none
	jq -e '.api_routed.monthly_cost.p99 < 3577.5 * 1.01 and .api_routed.monthly_cost.p5 > 300' <<<"$output"
	# the same draws for any thread count
	a=$("$FLATCOST" simulate "$RT" --trials 300 --threads 1 --format json --set 'api.route=[{price: openai/gpt-4o-mini, share: {dist: uniform, min: 0.5, max: 0.9}}, {price: openai/gpt-4o}]' 2>/dev/null)
	b=$("$FLATCOST" simulate "$RT" --trials 300 --threads 3 --format json --set 'api.route=[{price: openai/gpt-4o-mini, share: {dist: uniform, min: 0.5, max: 0.9}}, {price: openai/gpt-4o}]' 2>/dev/null)
	[ "$a" = "$b" ]
}

@test "a route leaves every other figure as it was (its draws come last)" {
	"$FLATCOST" simulate tests/cli/fixtures/basic.yaml --trials 300 --format json \
	    --set 'api.route=[{price: openai/gpt-4o-mini, share: {dist: uniform, min: 0.5, max: 0.9}}, {price: openai/gpt-4o}]' |
	    jq 'del(.api_routed, .per_user.api_routed, .data, .warnings)' >"$OUT/with.json"
	"$FLATCOST" simulate tests/cli/fixtures/basic.yaml --trials 300 --format json |
	    jq 'del(.data, .warnings)' >"$OUT/without.json"
	diff "$OUT/without.json" "$OUT/with.json"
}

@test "route errors: shares over 1, a share on the last tier, none on another, bad prices" {
	bad() {
		run --separate-stderr "$FLATCOST" simulate "$RT" --deterministic --set "api.route=$1"
		expect_status 2
		[ -z "$output" ]
		[[ "$stderr" == *"$2"* ]] || { echo "stderr: $stderr"; return 1; }
	}
	bad '[{price: openai/gpt-4o-mini, share: 0.7}, {price: openai/gpt-4.1, share: 0.5}, {price: openai/gpt-4o}]' \
	    "the route's shares sum to 1.2 on average, over 1"
	bad '[{price: openai/gpt-4o-mini, share: 0.7}, {price: openai/gpt-4o, share: 0.3}]' \
	    "the last route tier takes the remainder of the calls: give it no share"
	bad '[{price: openai/gpt-4o-mini}, {price: openai/gpt-4o}]' \
	    "every route tier but the last needs a share"
	bad '[{price: openai/gpt-4o-mimi, share: 0.7}, {price: openai/gpt-4o}]' \
	    "unknown API price 'openai/gpt-4o-mimi' (did you mean 'openai/gpt-4o-mini'?)"
	bad '[{price: openai/gpt-4o-mini, share: 1.7}, {price: openai/gpt-4o}]' "a share from 0 to 1"
	bad '[{price: openai/gpt-4o-mini, shar: 0.7}, {price: openai/gpt-4o}]' "unknown key 'shar' in a route tier"
	bad 'openai/gpt-4o' "'route' must be a list of 1 to 8 model tiers"
	# validate says the same, with the file's place
	sed 's|^    - {price: openai/gpt-4o}$|    - {price: openai/gpt-4.1, share: {dist: uniform, min: 0.2, max: 0.8}}\n&|' "$RT" >"$OUT/over.yaml"
	run --separate-stderr "$FLATCOST" validate "$OUT/over.yaml"
	expect_status 2
	[[ "$stderr" == *"over.yaml:20:5: error: the route's shares sum to 1.2 on average, over 1"* ]]
}

@test "check: a budget on api_routed.monthly_cost passes and fails" {
	run "$FLATCOST" check "$RT" --deterministic
	expect_status 0
	[[ "$output" == *"api_routed.monthly_cost"*"2,308.50"*"pass"* ]]
	sed 's/fail: 2400/fail: 2000/' "$RT" >"$OUT/over.yaml"
	run "$FLATCOST" check "$OUT/over.yaml" --deterministic
	expect_status 1
	[[ "$output" == *"api_routed.monthly_cost"* ]]
}

@test "diff: the routed API's figures change with its shares; absent when neither side routes" {
	sed 's/share: 0.7}/share: 0.9}/' "$RT" >"$OUT/cand.yaml"
	"$FLATCOST" diff "$RT" "$OUT/cand.yaml" --deterministic --format json >"$OUT/d.json"
	# 0.9 x 0.00045 + 0.1 x 0.0075 = 0.001155 a call: $1,039.50
	[ "$(jq '.figures.api_routed.monthly_cost.candidate * 100 | round' "$OUT/d.json")" = 103950 ]
	[ "$(jq '.figures.api_routed.monthly_cost.change.mean * 100 | round' "$OUT/d.json")" = -126900 ]
	[ "$(jq '.figures.api.monthly_cost.change.mean' "$OUT/d.json")" = 0 ]
	run "$FLATCOST" diff tests/cli/fixtures/basic.yaml tests/cli/fixtures/basic.yaml --deterministic
	expect_status 0
	[[ "$output" != *"api_routed"* ]]
}

@test "compare: the routed API is an option with simulate's cost, ranked by api_routed.monthly_cost" {
	"$FLATCOST" compare "$RT" --trials 300 --hardware hetzner/gex44 --format json >"$OUT/c.json"
	want=$("$FLATCOST" simulate "$RT" --trials 300 --format json | jq '.api_routed.monthly_cost.p50')
	[ "$(jq '.options[] | select(.kind == "api_routed") | .api_routed.monthly_cost.p50' "$OUT/c.json")" = "$want" ]
	[ "$(jq -r '.options[] | select(.kind == "api_routed") | .model' "$OUT/c.json")" = "openai/gpt-4o-mini+openai/gpt-4o" ]
	# GEX44 (~$775) < routed (~$2,300) < gpt-4o (~$6,750)
	[ "$(jq -r '[.options[] | .kind] | join(" ")' "$OUT/c.json")" = "flat api_routed api" ]
}
