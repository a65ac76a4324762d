#!/usr/bin/env bats
# flat.model beyond a catalog id, without a server: a GGUF file (written
# by synth-model), a mapping {name, like, quant} or {name, params_b,
# weights_gb, kv_bytes_per_token, active_params_b}; bad ones are errors at
# file:line:col, exit 2.  (The model a bench profile measured is tested
# end to end against the engine in bench.bats.)

bats_require_minimum_version 1.5.0

load helpers

setup() {
	cd_repo
	make_out
	base=('flatcost: 1' 'name: own' 'users: 200'
	    'workload: {requests_per_user_per_day: 10, input_tokens: 300, output_tokens: 100}'
	    'api: {price: openai/gpt-4o-mini}')
}

# scenario FILE FLAT-LINE...: a scenario with those flat lines
scenario() {
	local f=$1
	shift
	printf '%s\n' "${base[@]}" "$@" >"$OUT/$f"
}

@test "a GGUF file: its header gives the model, as a mapping of the same figures would" {
	"$FLATCOST" synth-model --layers 4 --embd 256 --ff 768 --heads 4 \
	    --vocab 1024 --quant q4_0 --name listwise-ft-tiny \
	    -o "$OUT/listwise-ft-tiny.gguf" >"$OUT/synth.txt"
	# "  0.42M parameters, 123456 bytes (0.1 MB)"
	params=$(sed -n 's/^  \([0-9.]*\)M parameters.*/\1/p' "$OUT/synth.txt")
	bytes=$(sed -n 's/.* parameters, \([0-9]*\) bytes.*/\1/p' "$OUT/synth.txt")
	[ -n "$params" ] && [ -n "$bytes" ]
	scenario g.yaml 'flat: {hardware: hetzner/ccx33, model: ./listwise-ft-tiny.gguf}'
	run --separate-stderr fc simulate "$OUT/g.yaml" --deterministic --format json
	[ "$status" -eq 0 ]
	g=$(jq -c '.capacity | [.decode_tok_s, .prefill_tok_s]' <<<"$output")
	# 2 x 4 layers x 4 KV heads x 64 x 2 bytes = 4096 a token
	scenario m.yaml 'flat:' '  hardware: hetzner/ccx33' \
	    "  model: {name: listwise-ft-tiny, params_b: $(jq -n "$params / 1000"), weights_gb: $(jq -n "$bytes / 1e9"), kv_bytes_per_token: 4096}"
	run --separate-stderr fc simulate "$OUT/m.yaml" --deterministic --format json
	[ "$status" -eq 0 ]
	m=$(jq -c '.capacity | [.decode_tok_s, .prefill_tok_s]' <<<"$output")
	# the same to the rounding of the printed parameter count
	jq -e -n --argjson g "$g" --argjson m "$m" '$g[0] > 0 and $g[1] > 0 and
	    ([range(2)] | all(($g[.] - $m[.]) / $m[.] | fabs < 0.01))'
}

@test "a mapping like a catalog model, and one with its own figures" {
	scenario l.yaml 'flat:' '  hardware: hetzner/ccx33' \
	    '  model: {name: listwise-ft-7b, like: qwen2.5-7b, quant: q4_k_m}'
	run --separate-stderr fc simulate "$OUT/l.yaml" --deterministic
	[ "$status" -eq 0 ]
	scenario m.yaml 'flat:' '  hardware: gpu/runpod-a5000' \
	    '  model: {name: moe, params_b: 20.9, active_params_b: 3.6, weights_gb: 12.1, kv_bytes_per_token: 49152}'
	run --separate-stderr fc simulate "$OUT/m.yaml" --deterministic
	[ "$status" -eq 0 ]
	# and by --set
	run --separate-stderr fc simulate "$OUT/l.yaml" --deterministic \
	    --set 'flat.model={name: x, like: qwen2.5-3b, quant: q8_0}'
	[ "$status" -eq 0 ]
}

@test "bad models: errors at their place, exit 2" {
	scenario a.yaml 'flat:' '  hardware: hetzner/ccx33' '  model: {name: x, params_b: 7}'
	run --separate-stderr fc simulate "$OUT/a.yaml" --deterministic
	[ "$status" -eq 2 ]
	grep -q "a.yaml:8:10: error: flat.model as a mapping needs like: MODEL and quant, or params_b, weights_gb and kv_bytes_per_token" <<<"$stderr"
	scenario b.yaml 'flat:' '  hardware: hetzner/ccx33' '  model: {name: x, like: qwen2.5-7b}'
	run --separate-stderr fc simulate "$OUT/b.yaml" --deterministic
	[ "$status" -eq 2 ]
	grep -q "b.yaml:8:10: error: flat.model with like: needs quant" <<<"$stderr"
	scenario c.yaml 'flat:' '  hardware: hetzner/ccx33' '  model: {name: x, like: qwen9, quant: q4_k_m}'
	run --separate-stderr fc simulate "$OUT/c.yaml" --deterministic
	[ "$status" -eq 2 ]
	grep -q "c.yaml:8:26: error: unknown model 'qwen9'" <<<"$stderr"
	scenario d.yaml 'flat: {hardware: hetzner/ccx33, model: ./missing.gguf}'
	run --separate-stderr fc simulate "$OUT/d.yaml" --deterministic
	[ "$status" -eq 2 ]
	grep -q "d.yaml:6:40: error: no GGUF file .*missing.gguf" <<<"$stderr"
	printf 'not a model' >"$OUT/bad.gguf"
	scenario e.yaml 'flat: {hardware: hetzner/ccx33, model: ./bad.gguf}'
	run --separate-stderr fc simulate "$OUT/e.yaml" --deterministic
	[ "$status" -eq 2 ]
	scenario f.yaml 'flat: {hardware: hetzner/ccx33, model: listwise-ft-7b}'
	run --separate-stderr fc simulate "$OUT/f.yaml" --deterministic
	[ "$status" -eq 2 ]
	grep -q "unknown model 'listwise-ft-7b'.*a GGUF file" <<<"$stderr"
	[ -z "$output" ]
}
