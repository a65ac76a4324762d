#!/usr/bin/env bats
# Hardware without a real price: a profile (as bench writes it without
# --monthly-price: "monthly_price: 0.00  # fill in") or an inline entry
# priced 0 is an error in simulate, sweep, compare and check, naming the
# key to fill in; --allow-free-hardware (a machine you own) runs it and
# says so on stderr and in the JSON warnings.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	cd_repo
	make_out
	# a profile as bench writes it when no price was given
	cat >"$OUT/free.yaml" <<'YAML'
# Hardware profile measured by flatcost bench
name: "bench: http://127.0.0.1:8080"
kind: cpu
ram_gb: 16.0
vram_gb: 0
# monthly_price is not known to bench: fill in what this server costs (USD / month)
monthly_price: 0.00
hourly_price: 0.0000
mem_bandwidth_gbs: 40.00
compute_gflops: 400.00
efficiency: {decode: 1.000, prefill: 1.000}
as_of: 2026-11-01
source: "test"
throughput: []
YAML
	printf '%s\n' 'flatcost: 1' 'name: free' 'users: 100' \
	    'workload: {requests_per_user_per_day: 10, input_tokens: 200, output_tokens: 100}' \
	    'api: {price: openai/gpt-4o-mini}' \
	    'flat: {hardware: ./free.yaml, model: qwen2.5-3b-q4_k_m}' \
	    'simulation: {trials: 50, seed: 1}' >"$OUT/s.yaml"
	# the same, inline
	printf '%s\n' 'flatcost: 1' 'name: inline' 'users: 100' \
	    'workload: {requests_per_user_per_day: 10, input_tokens: 200, output_tokens: 100}' \
	    'api: {price: openai/gpt-4o-mini}' \
	    'flat:' \
	    '  hardware: {name: my box, ram_gb: 16, monthly_price: 0, mem_bandwidth_gbs: 40, compute_gflops: 400}' \
	    '  model: qwen2.5-3b-q4_k_m' \
	    'simulation: {trials: 50, seed: 1}' >"$OUT/i.yaml"
}

@test "simulate: a profile priced 0 is an error naming monthly_price and the file" {
	run --separate-stderr fc simulate "$OUT/s.yaml" --deterministic
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	grep -q "free.yaml:[0-9]*:[0-9]*: error: flat.hardware 'bench: http://127.0.0.1:8080' has no price (monthly_price is 0): fill in monthly_price" <<<"$stderr"
	grep -q -- "--allow-free-hardware" <<<"$stderr"
}

@test "simulate: an inline entry priced 0 is an error at its line" {
	run --separate-stderr fc simulate "$OUT/i.yaml" --deterministic
	[ "$status" -eq 2 ]
	grep -q "i.yaml:7:[0-9]*: error: flat.hardware 'my box' has no price (monthly_price is 0)" <<<"$stderr"
}

@test "--allow-free-hardware: runs, and says so on stderr and in the JSON" {
	run --separate-stderr fc simulate "$OUT/s.yaml" --deterministic \
	    --allow-free-hardware --format json
	[ "$status" -eq 0 ]
	grep -q -- "--allow-free-hardware: flat.hardware 'bench: http://127.0.0.1:8080' costs 0" <<<"$stderr"
	jq -e '[.warnings[] | select(.kind == "free_hardware")] | length == 1' <<<"$output"
	run --separate-stderr fc simulate "$OUT/i.yaml" --deterministic --allow-free-hardware
	[ "$status" -eq 0 ]
	grep -q "costs 0 (a machine you own)" <<<"$stderr"
}

@test "sweep, compare and check refuse it too; each takes --allow-free-hardware" {
	run --separate-stderr fc sweep "$OUT/s.yaml" --users 10:100:2 --deterministic
	[ "$status" -eq 2 ]
	grep -q "has no price (monthly_price is 0)" <<<"$stderr"
	run --separate-stderr fc sweep "$OUT/s.yaml" --users 10:100:2 --deterministic \
	    --allow-free-hardware
	[ "$status" -eq 0 ]
	run --separate-stderr fc compare "$OUT/s.yaml" --deterministic
	[ "$status" -eq 2 ]
	grep -q "has no price (monthly_price is 0)" <<<"$stderr"
	run --separate-stderr fc compare "$OUT/s.yaml" --deterministic --allow-free-hardware
	[ "$status" -eq 0 ]
	run --separate-stderr fc check "$OUT/s.yaml" --deterministic
	[ "$status" -eq 2 ]
	grep -q "has no price (monthly_price is 0)" <<<"$stderr"
	run --separate-stderr fc check "$OUT/s.yaml" --deterministic --allow-free-hardware
	[ "$status" -ne 2 ]
	# a catalog entry is data: its price is the data's concern
	run --separate-stderr fc simulate scenarios/support-chatbot.yaml --deterministic
	[ "$status" -eq 0 ]
}

@test "a priced profile runs without the option" {
	sed -i 's/^monthly_price: 0.00/monthly_price: 40.00/' "$OUT/free.yaml"
	run --separate-stderr fc simulate "$OUT/s.yaml" --deterministic
	[ "$status" -eq 0 ]
	! grep -q "allow-free-hardware" <<<"$stderr"
}
