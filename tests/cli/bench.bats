#!/usr/bin/env bats
# flatcost bench and synth-model against a real llama.cpp engine:
# tests/engine/server.mjs serves two synthetic models written by
# `flatcost synth-model` through node-llama-cpp on 127.0.0.1 (Ollama and
# OpenAI-compatible endpoints), and tests/engine/faults.mjs misbehaves on
# purpose.  Nothing is downloaded but the npm packages (once).
#
# What is asserted is what is stable on any machine: exact token counts,
# the shape of the reports and profiles, never a tok/s.  How the figures
# compare (the 32 MB model decodes faster than the 207 MB one, batching
# raises aggregate output) depends on the machine's load: that is
# perf/bench_engine.sh's to print (`make perf`), not a test's to assert.

bats_require_minimum_version 1.5.0

load helpers

E=tests/engine

# start_server NAME CMD...: runs CMD in the background with --port-file;
# fd 3 is closed so that bats does not wait for it.
start_server() {
	local name=$1
	shift
	rm -f "$BATS_FILE_TMPDIR/$name.port"
	"$@" --port-file "$BATS_FILE_TMPDIR/$name.port" \
	    >"$BATS_FILE_TMPDIR/$name.log" 2>&1 3>&- &
	echo $! >"$BATS_FILE_TMPDIR/$name.pid"
}

# wait_server NAME: until its port file appears (60 s at most).
wait_server() {
	local i
	for i in $(seq 600); do
		[ -s "$BATS_FILE_TMPDIR/$1.port" ] && return 0
		if ! kill -0 "$(cat "$BATS_FILE_TMPDIR/$1.pid")" 2>/dev/null; then
			echo "server $1 died:" >&2
			cat "$BATS_FILE_TMPDIR/$1.log" >&2
			return 1
		fi
		sleep 0.1
	done
	echo "server $1 did not start" >&2
	return 1
}

stop_server() {
	local f=$BATS_FILE_TMPDIR/$1.pid
	if [ -f "$f" ]; then
		kill "$(cat "$f")" 2>/dev/null || true
		rm -f "$f"
	fi
}

url() {
	echo "http://127.0.0.1:$(cat "$BATS_FILE_TMPDIR/$1.port")"
}

setup_file() {
	cd_repo || return 1
	export FLATCOST
	sh $E/setup.sh || return 1
	# 14 x 512 (ff 1536, vocab 8192): 56M parameters, 32 MB at q4_0;
	# 26 x 1024 (ff 2816, vocab 16384): 368M parameters, 207 MB at q4_0
	"$FLATCOST" synth-model --layers 14 --embd 512 --ff 1536 --heads 8 \
	    --vocab 8192 --quant q4_0 -o "$BATS_FILE_TMPDIR/small.gguf" >/dev/null || return 1
	"$FLATCOST" synth-model --layers 26 --embd 1024 --ff 2816 --heads 16 \
	    --vocab 16384 --quant q4_0 -o "$BATS_FILE_TMPDIR/large.gguf" >/dev/null || return 1
	# one thread: on a 2-core machine two threads collapse on small models
	start_server small node $E/server.mjs --model "$BATS_FILE_TMPDIR/small.gguf" \
	    --name small --sequences 4 --threads 1 --context 512
	start_server large node $E/server.mjs --model "$BATS_FILE_TMPDIR/large.gguf" \
	    --name large --sequences 4 --threads 1 --context 512
	start_server faults node $E/faults.mjs
	wait_server faults && wait_server small && wait_server large
}

teardown_file() {
	stop_server small
	stop_server large
	stop_server faults
	stop_server dying
	stop_server ft
}

setup() {
	cd_repo
	T=$BATS_TEST_TMPDIR
}

# usage_error ARGS...: exit 2, nothing on stdout, a message on stderr.
usage_error() {
	run --separate-stderr "$FLATCOST" "$@"
	if [ "$status" -ne 2 ]; then
		echo "flatcost $*: exit status $status, expected 2 ($stderr)"
		return 1
	fi
	if [ -n "$output" ]; then
		echo "flatcost $*: stdout should be empty, got: $output"
		return 1
	fi
	[ -n "$stderr" ]
}

# runtime_error PATTERN ARGS...: exit 3 with PATTERN in stderr.
runtime_error() {
	local pat=$1
	shift
	run --separate-stderr "$FLATCOST" "$@"
	if [ "$status" -ne 3 ]; then
		echo "flatcost $*: exit status $status, expected 3 ($stderr)"
		return 1
	fi
	if ! grep -q -- "$pat" <<<"$stderr"; then
		echo "stderr lacks '$pat': $stderr"
		return 1
	fi
}

# fast: a short run against the misbehaving server's well-behaved model
FAST=(--concurrency 1,2 --requests 4 --input-tokens 24 --output-tokens 8 --warmup 0)

# ---- synth-model ----

@test "synth-model writes a GGUF v3 llama model whose size it reports" {
	run "$FLATCOST" synth-model --layers 2 --embd 64 --ff 128 --heads 4 \
	    --kv-heads 2 --vocab 400 --quant q8_0 -o "$T/m.gguf"
	[ "$status" -eq 0 ]
	[ "$(head -c 4 "$T/m.gguf")" = GGUF ]
	# version 3, little-endian
	[ "$(od -An -tu4 -j4 -N4 "$T/m.gguf" | tr -d ' ')" = 3 ]
	size=$(stat -c %s "$T/m.gguf")
	grep -q "$size bytes" <<<"$output"
	grep -q "heads 4/2, head size 16, vocab 400" <<<"$output"
	# the same seed writes the same bytes
	"$FLATCOST" synth-model --layers 2 --embd 64 --ff 128 --heads 4 \
	    --kv-heads 2 --vocab 400 --quant q8_0 -o "$T/m2.gguf" >/dev/null
	cmp "$T/m.gguf" "$T/m2.gguf"
}

@test "synth-model --like takes the catalogue shape; options override it" {
	run "$FLATCOST" synth-model --like qwen2.5-3b --layers 1 --vocab 1000 \
	    --quant q4_0 -o "$T/q.gguf"
	[ "$status" -eq 0 ]
	grep -q "1 layers, embd 2048, ff 11008, heads 16/2, head size 128, vocab 1000, context 32768" <<<"$output"
	[ -s "$T/q.gguf" ]
}

@test "synth-model: usage errors write nothing" {
	usage_error synth-model --like qwen2.5-3x -o "$T/x.gguf"
	grep -q "unknown model 'qwen2.5-3x' (did you mean 'qwen2.5-3b'?)" <<<"$stderr"
	usage_error synth-model --like qwen2.5-3b --quant q5_1 -o "$T/x.gguf"
	usage_error synth-model --layers 2 --embd 100 --ff 128 --heads 4 --vocab 400 -o "$T/x.gguf"
	grep -q "needs embd divisible by 32" <<<"$stderr"
	usage_error synth-model --layers 2 --embd 64 --ff 128 --heads 4 --vocab 10 -o "$T/x.gguf"
	usage_error synth-model --layers 2 --embd 64 --ff 128 --heads 4 -o "$T/x.gguf"
	usage_error synth-model --layers x2 --embd 64 --ff 128 --heads 4 --vocab 400 -o "$T/x.gguf"
	usage_error synth-model --like qwen2.5-3b
	[ ! -e "$T/x.gguf" ]
}

# ---- the real engine ----

@test "ollama /api/generate: exact token counts, server figures beside client ones" {
	run --separate-stderr "$FLATCOST" bench --url "$(url small)" --api ollama \
	    --model small --concurrency 1 --requests 3 --input-tokens 40 \
	    --output-tokens 12 --format json
	[ "$status" -eq 0 ]
	[ "$(jq -r '.levels[0] | "\(.completed) \(.errors) \(.partial)"' <<<"$output")" = "3 0 false" ]
	[ "$(jq -r '.levels[0].input_tokens_mean == 40' <<<"$output")" = true ]
	[ "$(jq -r '.levels[0].input_tokens_source' <<<"$output")" = server ]
	[ "$(jq -r '.levels[0].output_tokens_mean == 12' <<<"$output")" = true ]
	[ "$(jq -r '.levels[0].output_tokens_source' <<<"$output")" = server ]
	# one stream piece a token: 11 gaps per request, client-side
	[ "$(jq -r '.levels[0].itl_s.n' <<<"$output")" = 33 ]
	[ "$(jq -r '.levels[0].ttft_s.p50 > 0 and .levels[0].tpot_s.p99 > 0' <<<"$output")" = true ]
	[ "$(jq -r '.levels[0].server.prefill_tok_s > 0 and .levels[0].server.decode_tok_s_per_stream > 0' <<<"$output")" = true ]
	[ "$(jq -r '.server.engine' <<<"$output")" = "ollama 0.0.0 (flatcost test engine, node-llama-cpp 3.22.1)" ]
	[ "$(jq -r '.server.params_b * 1e9 | round' <<<"$output")" = 56113664 ]
}

@test "openai /v1/completions and both chat endpoints: exact counts through templates" {
	run --separate-stderr "$FLATCOST" bench --url "$(url small)" --api openai \
	    --model small --concurrency 1 --requests 2 --input-tokens 30 \
	    --output-tokens 10 --format json
	[ "$status" -eq 0 ]
	[ "$(jq -r '.server | "\(.endpoint) \(.engine)"' <<<"$output")" = "/v1/completions llama.cpp (node-llama-cpp 3.22.1)" ]
	[ "$(jq -r '.levels[0] | "\(.completed) \(.input_tokens_mean) \(.output_tokens_mean)"' <<<"$output")" = "2 30 10" ]
	[ "$(jq -r '.levels[0].server.prefill_tok_s > 0' <<<"$output")" = true ]
	for api in openai ollama; do
		run --separate-stderr "$FLATCOST" bench --url "$(url small)" --api $api \
		    --endpoint chat --model small --concurrency 1 --requests 2 \
		    --input-tokens 50 --output-tokens 6 --format json
		[ "$status" -eq 0 ]
		[ "$(jq -r '.levels[0] | "\(.input_tokens_mean) \(.output_tokens_mean)"' <<<"$output")" = "50 6" ]
	done
}

@test "profile: simulate reads the measured figures back (the loop)" {
	run --separate-stderr "$FLATCOST" bench --url "$(url small)" --api ollama \
	    --model small --model-id qwen2.5-3b-q4_0 --concurrency 1,2 --requests 3 \
	    --input-tokens 32 --output-tokens 16 --monthly-price 40 \
	    --profile "$T/profile.yaml" --format json -o "$T/report.json"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# it says where the profile went
	grep -qxF "flatcost: wrote the hardware profile $T/profile.yaml (flatcost simulate reads it as flat.hardware: $T/profile.yaml)" <<<"$stderr"
	grep -q '^  - model: "qwen2.5-3b-q4_0"$' "$T/profile.yaml"
	grep -q '^monthly_price: 40.00$' "$T/profile.yaml"
	grep -q '^vcpu: [0-9]' "$T/profile.yaml"          # loopback: host facts
	grep -q '^mem_bandwidth_basis: estimated$' "$T/profile.yaml"
	dec1=$(sed -n 's/^    decode_tok_s: {1: \([0-9.]*\),.*/\1/p' "$T/profile.yaml")
	pre=$(sed -n 's/^    prefill_tok_s: \([0-9.]*\)$/\1/p' "$T/profile.yaml")
	[ -n "$dec1" ] && [ -n "$pre" ]
	# the report's level 1 is the profile's curve point
	[ "$(jq -r ".levels[0].decode_tok_s * 100 | round" "$T/report.json")" = \
	    "$(jq -n "$dec1 * 100 | round")" ]
	# the engine's 4 sequences ran both streams of level 2 at once, and the
	# aggregate is what was received while they overlapped
	jq -e '.levels[1] | .streams_in_flight_max == 2 and .overlapped_as_asked
	    and .overlap_s > 0 and .decode_tok_s > 0' "$T/report.json"
	cat >"$T/scenario.yaml" <<-EOF
	flatcost: 1
	name: measured here
	users: 100
	revenue_per_user: 10
	days_per_month: 30
	workload:
	  requests_per_user_per_day: 10
	  top10_share: 0.3
	  chaining: 1
	  input_tokens: 32
	  output_tokens: 16
	  peak_to_mean: 2
	api:
	  price: openai/gpt-4o-mini
	flat:
	  hardware: ./profile.yaml
	  model: qwen2.5-3b-q4_0
	  target_utilization: 0.7
	  slo: {p95_latency_s: 60}
	EOF
	run --separate-stderr timeout 60 "$FLATCOST" simulate "$T/scenario.yaml" \
	    --deterministic --format json
	[ "$status" -eq 0 ]
	[ "$(jq -r '.capacity.basis' <<<"$output")" = measured ]
	# measured at the scenario's own context (32 + 16 / 2): corrected by 1
	grep -q '^    context_tokens: 40$' "$T/profile.yaml"
	[ "$(jq -r '.capacity.label' <<<"$output")" = "measured, context-corrected" ]
	[ "$(jq -r ".capacity.decode_tok_s - $dec1 | fabs < 1e-6" <<<"$output")" = true ]
	[ "$(jq -r ".capacity.prefill_tok_s - $pre | fabs < 1e-6" <<<"$output")" = true ]
}

# Your own model, end to end.  synth-model writes a
# custom-named GGUF, the engine serves it under that name, bench reads its
# shape (--gguf) into the profile, and the scenario from the profile's own
# header line (no catalog entry) simulates on the measured throughput.
@test "your own model: a custom GGUF served, benched, and simulated from the profile's header line" {
	"$FLATCOST" synth-model --layers 4 --embd 256 --ff 768 --heads 4 \
	    --vocab 1024 --quant q4_0 --name listwise-ft-7b \
	    -o "$T/listwise-ft-7b.gguf" >/dev/null
	start_server ft node $E/server.mjs --model "$T/listwise-ft-7b.gguf" \
	    --name listwise-ft-7b --sequences 2 --threads 1 --context 256
	wait_server ft
	run --separate-stderr "$FLATCOST" bench --url "$(url ft)" --api ollama \
	    --model listwise-ft-7b --gguf "$T/listwise-ft-7b.gguf" \
	    --concurrency 1,2 --input-tokens 16 --output-tokens 16 --warmup 0 \
	    --monthly-price 40 --profile "$T/ft.yaml" -o "$T/r.txt"
	[ "$status" -eq 0 ]
	# the OpenAI-compatible path: llama-server names its file at /props,
	# and on this machine its header gives the shape without --gguf
	run --separate-stderr "$FLATCOST" bench --url "$(url ft)" --api openai \
	    --model listwise-ft-7b --concurrency 1 --input-tokens 16 \
	    --output-tokens 8 --warmup 0 --monthly-price 40 --profile "$T/ft2.yaml" \
	    -o "$T/r2.txt"
	stop_server ft
	[ "$status" -eq 0 ]
	grep -q "the model's shape from .*listwise-ft-7b.gguf" <<<"$stderr"
	grep -q '^    kv_bytes_per_token: 4096$' "$T/ft2.yaml"
	# the header names the model the profile measured, with its shape:
	# 2 x 4 layers x 4 KV heads x 64 x 2 bytes
	grep -q '^# Use it from a scenario with  flat: {hardware: ./FILE.yaml, model: listwise-ft-7b}$' "$T/ft.yaml"
	grep -q '^    kv_bytes_per_token: 4096$' "$T/ft.yaml"
	grep -q '^    quant: q4_0$' "$T/ft.yaml"
	flat=$(sed -n 's/^# Use it from a scenario with  \(flat: .*\)$/\1/p' "$T/ft.yaml")
	printf '%s\n' 'flatcost: 1' 'name: own model' 'users: 50' \
	    'workload: {requests_per_user_per_day: 10, input_tokens: 16, output_tokens: 16}' \
	    'api: {price: openai/gpt-4o-mini}' "${flat/FILE.yaml/ft.yaml}" >"$T/own.yaml"
	run --separate-stderr "$FLATCOST" simulate "$T/own.yaml" --deterministic --format json
	[ "$status" -eq 0 ]
	jq -e '.capacity.basis == "measured"' <<<"$output"
	# the name alone, without the profile that measured it, is unknown
	sed -i 's|hardware: ./ft.yaml|hardware: hetzner/cx43|' "$T/own.yaml"
	run --separate-stderr "$FLATCOST" simulate "$T/own.yaml" --deterministic
	[ "$status" -eq 2 ]
	grep -q "unknown model 'listwise-ft-7b'" <<<"$stderr"
	# the GGUF file itself is a model too
	printf '%s\n' 'flatcost: 1' 'name: own file' 'users: 50' \
	    'workload: {requests_per_user_per_day: 10, input_tokens: 16, output_tokens: 16}' \
	    'api: {price: openai/gpt-4o-mini}' \
	    'flat: {hardware: ./ft.yaml, model: ./listwise-ft-7b.gguf}' >"$T/file.yaml"
	run --separate-stderr "$FLATCOST" simulate "$T/file.yaml" --deterministic --format json
	[ "$status" -eq 0 ]
	jq -e '.capacity.basis == "measured"' <<<"$output"
}

# --repeat N runs each level N times; the spread of the
# runs and the t interval of their mean.  Widths are compared relative to
# the spread each run saw (a timing comparison would be flaky): the
# interval's half-width is t(0.975, N-1) sd / sqrt(N), which narrows from
# 8.98 sd at N = 2 to 1.59 sd at N = 4.
@test "--repeat: run-to-run spread and the interval of the mean, into the profile" {
	run --separate-stderr "$FLATCOST" bench --url "$(url small)" --api ollama \
	    --model small --model-id qwen2.5-3b-q4_0 --concurrency 1 --requests 2 \
	    --repeat 4 --input-tokens 32 --output-tokens 8 --monthly-price 40 \
	    --profile "$T/profile.yaml" --format json -o "$T/r4.json"
	[ "$status" -eq 0 ]
	jq -e '.levels[0] | .runs == 4 and .completed == 8 and .decode_tok_s_sd > 0
	    and .decode_tok_s_ci95[0] < .decode_tok_s_ci95[1]
	    and .prefill_tok_s_sd >= 0 and (.ttft_p50_s_ci95 | length) == 2' "$T/r4.json"
	w4=$(jq '.levels[0] | (.decode_tok_s_ci95[1] - .decode_tok_s_ci95[0]) / 2 / .decode_tok_s_sd' "$T/r4.json")
	[ "$(jq -n "$w4 - 3.182446 / 2 | fabs < 1e-4")" = true ]
	# a fresh run falls within the recorded spread: the 99.9% prediction
	# interval of one more run, mean +- t(0.9995, 3) sd sqrt(1 + 1/4)
	run --separate-stderr "$FLATCOST" bench --url "$(url small)" --api ollama \
	    --model small --concurrency 1 --requests 2 --input-tokens 32 \
	    --output-tokens 8 --format json
	[ "$status" -eq 0 ]
	fresh=$(jq '.levels[0].decode_tok_s' <<<"$output")
	jq -e --argjson f "$fresh" '.levels[0] | ((.decode_tok_s_ci95[0] + .decode_tok_s_ci95[1]) / 2) as $m |
	    ($f - $m | fabs) <= 12.924 * .decode_tok_s_sd * 1.118' "$T/r4.json"
	# the profile records the spread, and simulate reads it back
	grep -q '^    repeat: 4$' "$T/profile.yaml"
	grep -q '^    decode_tok_s_sd: {1: [0-9.]*}$' "$T/profile.yaml"
	grep -q '^    prefill_tok_s_sd: [0-9.]*$' "$T/profile.yaml"
	printf '%s\n' 'flatcost: 1' 'name: repeated' 'users: 100' \
	    'workload: {requests_per_user_per_day: 10, input_tokens: 32, output_tokens: 8}' \
	    'api: {price: openai/gpt-4o-mini}' \
	    'flat: {hardware: ./profile.yaml, model: qwen2.5-3b-q4_0, slo: {p95_latency_s: 60}}' \
	    >"$T/scenario.yaml"
	run --separate-stderr "$FLATCOST" simulate "$T/scenario.yaml" --deterministic --format json
	[ "$status" -eq 0 ]
	[ "$(jq -r '.capacity.basis' <<<"$output")" = measured ]
	# item 3: the Monte Carlo draws the server's speed per trial with the
	# recorded spread, so decode has percentiles, the same for any --threads
	"$FLATCOST" simulate "$T/scenario.yaml" --trials 200 --threads 1 --format json >"$T/mc1.json"
	"$FLATCOST" simulate "$T/scenario.yaml" --trials 200 --threads 3 --format json >"$T/mc3.json"
	cmp "$T/mc1.json" "$T/mc3.json"
	jq -e '.capacity | .run_to_run_cv.decode > 0 and .decode_tok_s.p5 < .decode_tok_s.p95' "$T/mc1.json"
	# cost per million tokens from the given price (730 hours a month)
	jq -e '.levels[0] | (.cost_per_mtok_usd.output - 40 / (730 * 3600) / .output_tok_s * 1e6 | fabs) < 1e-6' "$T/r4.json"
	run --separate-stderr "$FLATCOST" bench --url "$(url faults)" --api ollama \
	    --model ok --concurrency 1 --requests 2 --repeat 2 --input-tokens 24 \
	    --output-tokens 8 --warmup 0 --format json
	[ "$status" -eq 0 ]
	w2=$(jq '.levels[0] | (.decode_tok_s_ci95[1] - .decode_tok_s_ci95[0]) / 2 / .decode_tok_s_sd' <<<"$output")
	[ "$(jq -n "$w2 - 12.7062 / 1.41421 | fabs < 1e-3 and $w2 > $w4")" = true ]
	# one run: no spread to report
	run --separate-stderr "$FLATCOST" bench --url "$(url faults)" --api ollama \
	    --model ok "${FAST[@]}" --format json
	[ "$(jq -r '.levels[0] | "\(.runs) \(.decode_tok_s_sd) \(.decode_tok_s_ci95) \(.cost_per_mtok_usd)"' <<<"$output")" = "1 null null null" ]
	usage_error bench --url http://127.0.0.1:1 --model m --repeat 0
}

# A context curve.  On the llama.cpp engine decode slows
# as the prompt grows (every token attends to the whole context): about
# 545 tok/s at 32 tokens and 209 at 1,024 on a 6-layer model.  Here 16
# against 480 tokens (1.3-1.7x apart on this engine), each level 4
# requests of 24 tokens; a machine loaded by other jobs is the one way
# this comparison of timings can fail.
@test "context curve: --input-tokens LIST, by_context in the profile, simulate interpolates" {
	run --separate-stderr "$FLATCOST" bench --url "$(url small)" --api ollama \
	    --model small --model-id qwen2.5-3b-q4_0 --concurrency 1 --requests 4 \
	    --input-tokens 16,480 --output-tokens 24 --monthly-price 40 \
	    --profile "$T/profile.yaml" --format json -o "$T/r.json"
	[ "$status" -eq 0 ]
	jq -e '[.levels[] | .input_tokens] == [16, 480] and .settings.input_tokens_list == [16, 480]' "$T/r.json"
	short=$(jq '.levels[0].decode_tok_s' "$T/r.json")
	long=$(jq '.levels[1].decode_tok_s' "$T/r.json")
	[ "$(jq -n "$long < $short")" = true ]
	grep -q '^    by_context:$' "$T/profile.yaml"
	grep -q '^      - context_tokens: 28$' "$T/profile.yaml"
	grep -q '^      - context_tokens: 492$' "$T/profile.yaml"
	# simulate reads the curve: decode at a long prompt is the measured one
	for inp in 16 480 250; do
		printf '%s\n' 'flatcost: 1' 'name: curve' 'users: 100' \
		    "workload: {requests_per_user_per_day: 10, input_tokens: $inp, output_tokens: 24}" \
		    'api: {price: openai/gpt-4o-mini}' \
		    'flat: {hardware: ./profile.yaml, model: qwen2.5-3b-q4_0, slo: {p95_latency_s: 60}}' \
		    >"$T/s$inp.yaml"
		"$FLATCOST" simulate "$T/s$inp.yaml" --deterministic --format json >"$T/o$inp.json"
	done
	[ "$(jq -r '.capacity.label' "$T/o16.json")" = "measured context curve" ]
	[ "$(jq -n --slurpfile a "$T/o16.json" "\$a[0].capacity.decode_tok_s - $short | fabs < 0.006")" = true ]
	[ "$(jq -n --slurpfile a "$T/o480.json" "\$a[0].capacity.decode_tok_s - $long | fabs < 0.006")" = true ]
	# halfway between the lengths, halfway between the rates
	[ "$(jq -n --slurpfile a "$T/o250.json" "\$a[0].capacity.decode_tok_s - ($short + ($long - $short) * (262 - 28) / (492 - 28)) | fabs < 0.006")" = true ]
	usage_error bench --url http://127.0.0.1:1 --model m --input-tokens 16,x
}

# --search-slo.  The engine serves 4 sequences at once:
# a fifth request waits for a whole answer (48 tokens), far beyond a TTFT
# bound of 150 ms that the first four meet with room to spare, so the
# answer is structural (4), not a matter of timing noise.
@test "--search-slo: the highest concurrency within the SLO; twice it fails" {
	# the objective is three times the engine's own single-stream TTFT
	# (at least 150 ms), so that one stream meets it on a loaded machine too
	local t1 slo
	"$FLATCOST" bench --url "$(url small)" --api ollama --model small --concurrency 1 \
	    --requests 4 --input-tokens 16 --output-tokens 8 --format json -o "$T/one.json"
	t1=$(jq '.levels[0].ttft_s.p90' "$T/one.json")
	slo=$(jq -n --argjson t "$t1" '[150, ($t * 3000 | ceil)] | max')
	run --separate-stderr "$FLATCOST" bench --url "$(url small)" --api ollama \
	    --model small --model-id qwen2.5-3b-q4_0 --requests 6 --input-tokens 16 \
	    --output-tokens 48 --search-slo --slo ttft=${slo}ms --attainment 0.9 \
	    --monthly-price 40 --profile "$T/profile.yaml" --format json -o "$T/s.json"
	[ "$status" -eq 0 ]
	best=$(jq '.max_concurrency_under_slo' "$T/s.json")
	[ "$best" -ge 1 ]
	[ "$(jq -r '.max_rate_under_slo' "$T/s.json")" = null ]
	# the answer's own probe met the SLO; the first failure is best + 1
	jq -e --argjson b "$best" '[.levels[] | select(.concurrency == $b)][0] |
	    .slo_pass and .slo_attainment >= 0.9' "$T/s.json"
	jq -e --argjson b "$best" '.slo_search.first_failure == $b + 1 and
	    .slo_search.attainment == 0.9' "$T/s.json"
	# a fresh run at twice the answer misses the SLO (4 x its requests)
	run --separate-stderr "$FLATCOST" bench --url "$(url small)" --api ollama \
	    --model small --input-tokens 16 --output-tokens 48 \
	    --concurrency $((2 * best)) --slo ttft=${slo}ms --format json
	[ "$status" -eq 0 ]
	jq -e '.levels[0].slo_attainment < 0.9' <<<"$output"
	# the profile records the answer with its SLO
	grep -q "^    slo_search: {attainment: 0.9, max_concurrency: $best, ttft_s: [0-9.]*}$" "$T/profile.yaml"
	# simulate reports it, and beside its own sizing when the SLO is its own
	printf '%s\n' 'flatcost: 1' 'name: searched' 'users: 100' \
	    'workload: {requests_per_user_per_day: 10, input_tokens: 16, output_tokens: 48}' \
	    'api: {price: openai/gpt-4o-mini}' \
	    'flat: {hardware: ./profile.yaml, model: qwen2.5-3b-q4_0, slo: {p95_latency_s: 2}}' \
	    >"$T/scenario.yaml"
	"$FLATCOST" simulate "$T/scenario.yaml" --deterministic --format json >"$T/o.json"
	jq -e --argjson b "$best" --argjson s "$slo" '.capacity.measured_slo_search |
	    .max_concurrency == $b and .same_slo_as_scenario == false and
	    (.ttft_s - $s / 1000 | fabs) < 1e-9' "$T/o.json"
	sed -i "s/^    slo_search: .*/    slo_search: {attainment: 0.95, max_concurrency: $best, e2e_s: 2}/" "$T/profile.yaml"
	"$FLATCOST" simulate "$T/scenario.yaml" --deterministic --format json >"$T/o.json"
	jq -e '.capacity.measured_slo_search.same_slo_as_scenario' "$T/o.json"
	"$FLATCOST" simulate "$T/scenario.yaml" --deterministic | grep -q "measured within the SLO .* $best parallel (bench --search-slo)"
	usage_error bench --url http://127.0.0.1:1 --model m --search-slo
	usage_error bench --url http://127.0.0.1:1 --model m --search-slo --slo e2e=1s --duration 5
	usage_error bench --url http://127.0.0.1:1 --model m --attainment 1.5
}

@test "--search-slo, open loop: a rate bracketed and bisected, early end when lost" {
	# the misbehaving server's "ok" model never saturates: the search
	# doubles up to its limit and says the answer is a lower bound; with
	# an SLO no request can meet, every probe ends at its first miss
	run --separate-stderr "$FLATCOST" bench --url "$(url faults)" --api ollama \
	    --model ok --rate 500000 --requests 4 --input-tokens 16 --output-tokens 4 \
	    --warmup 0 --search-slo --slo e2e=10s --format json
	[ "$status" -eq 0 ]
	jq -e '.max_rate_under_slo == 1000000 and .slo_search.lower_bound_only and
	    .max_concurrency_under_slo == null' <<<"$output"
	run --separate-stderr "$FLATCOST" bench --url "$(url faults)" --api ollama \
	    --model ok --rate 64 --requests 4 --input-tokens 16 --output-tokens 4 \
	    --warmup 0 --search-slo --slo ttft=1ms --format json
	[ "$status" -eq 0 ]
	jq -e '.max_rate_under_slo == null and ([.levels[] | .ended_early] | all)
	    and ([.levels[] | .completed] | max) < 4 and
	    ([.levels[] | .rate] == [64, 32, 16, 8, 4])' <<<"$output"
	grep -q "no request rate tried met the SLO" <<<"$("$FLATCOST" bench --url "$(url faults)" \
	    --api ollama --model ok --rate 64 --requests 4 --input-tokens 16 \
	    --output-tokens 4 --warmup 0 --search-slo --slo ttft=1ms)"
}

# Realistic load.  faults.mjs answers with exactly the
# tokens asked for, so the drawn lengths show in the counts.
@test "realistic load: drawn lengths, gamma arrivals, shared prefix, --from-scenario, turns" {
	b=(--url "$(url faults)" --api ollama --model ok --warmup 0 --format json)
	"$FLATCOST" bench "${b[@]}" --concurrency 2 --requests 16 --input-tokens 64~0.5 \
	    --output-tokens 8~0.5 --shared-prefix 0.5 >"$T/a.json"
	"$FLATCOST" bench "${b[@]}" --concurrency 2 --requests 16 --input-tokens 64~0.5 \
	    --output-tokens 8~0.5 --shared-prefix 0.5 >"$T/b.json"
	"$FLATCOST" bench "${b[@]}" --concurrency 2 --requests 16 --input-tokens 64~0.5 \
	    --output-tokens 8~0.5 --seed 2 >"$T/c.json"
	# drawn per request, reproducible from the seed
	jq -e '.levels[0] | .output_tokens_mean != 8 and .output_tokens_mean > 2 and
	    .output_tokens_mean < 32 and .input_tokens_mean != 64' "$T/a.json"
	[ "$(jq -c '.levels[0] | [.output_tokens_mean, .input_tokens_mean]' "$T/a.json")" = \
	    "$(jq -c '.levels[0] | [.output_tokens_mean, .input_tokens_mean]' "$T/b.json")" ]
	[ "$(jq -c '.levels[0].output_tokens_mean' "$T/a.json")" != \
	    "$(jq -c '.levels[0].output_tokens_mean' "$T/c.json")" ]
	jq -e '.settings | .input_cv == 0.5 and .output_cv == 0.5 and .shared_prefix == 0.5' "$T/a.json"
	# gamma arrivals (bursty) in open loop
	"$FLATCOST" bench "${b[@]}" --rate 100 --arrival-cv 3 --requests 12 \
	    --input-tokens 16 --output-tokens 4 >"$T/g.json"
	jq -e '.settings.arrival_cv == 3 and .levels[0].completed == 12' "$T/g.json"
	# a scenario's lengths, CVs and cache share
	"$FLATCOST" bench "${b[@]}" --concurrency 2 --requests 4 \
	    --from-scenario scenarios/support-chatbot.yaml >"$T/s.json"
	jq -e '.settings | .input_tokens == 2500 and .output_tokens == 250 and
	    .input_cv == 0.4 and .output_cv == 0.8 and .shared_prefix == 0.45 and
	    .from_scenario.chaining_not_replayed == 2.5' "$T/s.json"
	# multi-turn: each turn resends the conversation so far (faults.mjs
	# counts a token a character): turns of 32, 64, 96 tokens
	"$FLATCOST" bench "${b[@]}" --concurrency 2 --requests 12 --input-tokens 32 \
	    --output-tokens 4 --turns 3 >"$T/t.json"
	jq -e '.settings.turns == 3 and .levels[0].completed == 12 and
	    (.levels[0].input_tokens_mean - 64 | fabs) < 1' "$T/t.json"
	usage_error bench --url http://127.0.0.1:1 --model m --turns 2 --rate 1
	usage_error bench --url http://127.0.0.1:1 --model m --input-tokens 800~x
	usage_error bench --url http://127.0.0.1:1 --model m --output-tokens 0~1
	usage_error bench --url http://127.0.0.1:1 --model m --arrival-cv 2
	usage_error bench --url http://127.0.0.1:1 --model m --shared-prefix 1
	usage_error bench --url http://127.0.0.1:1 --model m \
	    --from-scenario scenarios/support-chatbot.yaml --input-tokens 5
}

@test "the engine: an unknown model fails at discovery, nothing written" {
	runtime_error "does not know model 'nosuch'" bench --url "$(url small)" \
	    --api ollama --model nosuch -o "$T/r.txt" --profile "$T/p.yaml"
	[ ! -e "$T/r.txt" ] && [ ! -e "$T/p.yaml" ]
}

# ---- formats, modes, options (the well-behaved fake model) ----

@test "formats: table, csv (one row a level), md" {
	run --separate-stderr "$FLATCOST" bench --url "$(url faults)" --api ollama \
	    --model ok "${FAST[@]}" --slo ttft=2s,tpot=200ms
	[ "$status" -eq 0 ]
	grep -q "TTFT p50/p90/p99 ms" <<<"$output"
	grep -q "^goodput: .* requests/s at level" <<<"$output"
	run --separate-stderr "$FLATCOST" bench --url "$(url faults)" --api openai \
	    --model ok "${FAST[@]}" --format csv -o "$T/r.csv"
	[ "$status" -eq 0 ]
	[ "$(wc -l <"$T/r.csv")" -eq 3 ]
	head -1 "$T/r.csv" | grep -q '^"model","mode","concurrency","rate","requests","completed","errors"'
	sed -n 2p "$T/r.csv" | grep -q '^"ok","closed-loop",1,,4,4,0,0,'
	run --separate-stderr "$FLATCOST" bench --url "$(url faults)" --api openai \
	    --model ok "${FAST[@]}" --format md
	[ "$status" -eq 0 ]
	grep -q '^| level | reqs | err |' <<<"$output"
	grep -q '^| 2 | 4 | 0 |' <<<"$output"
}

@test "open-loop Poisson rate and --duration" {
	run --separate-stderr "$FLATCOST" bench --url "$(url faults)" --api ollama \
	    --model ok --rate 20,40 --requests 10 --input-tokens 16 \
	    --output-tokens 4 --warmup 0 --format json
	[ "$status" -eq 0 ]
	[ "$(jq -r '.settings.mode' <<<"$output")" = open-loop ]
	[ "$(jq -r '[.levels[] | "\(.rate) \(.completed) \(.concurrency)"] | join(",")' <<<"$output")" = "20 10 null,40 10 null" ]
	run --separate-stderr "$FLATCOST" bench --url "$(url faults)" --api ollama \
	    --model ok --concurrency 2 --duration 0.5 --input-tokens 16 \
	    --output-tokens 4 --warmup 0 --format json
	[ "$status" -eq 0 ]
	[ "$(jq -r '.levels[0].completed >= 2 and .settings.duration_s == 0.5' <<<"$output")" = true ]
}

@test "goodput under an SLO: none when no level meets it" {
	run --separate-stderr "$FLATCOST" bench --url "$(url faults)" --api ollama \
	    --model ok "${FAST[@]}" --slo ttft=1ms,tpot=1ms --format json
	[ "$status" -eq 0 ]
	[ "$(jq -r '.levels[0].slo_attainment == 0' <<<"$output")" = true ]
	[ "$(jq -r '.goodput' <<<"$output")" = null ]
	run --separate-stderr "$FLATCOST" bench --url "$(url faults)" --api ollama \
	    --model ok "${FAST[@]}" --slo ttft=5s,tpot=1s,e2e=10s --format json
	[ "$(jq -r '.levels[0].slo_attainment == 1' <<<"$output")" = true ]
	[ "$(jq -r '.goodput.goodput_rps > 0' <<<"$output")" = true ]
}

@test "bench: usage errors exit 2 before any request" {
	usage_error bench
	usage_error bench --url http://127.0.0.1:1
	usage_error bench --url ftp://x --model m
	usage_error bench --url http://127.0.0.1:1 --model m --concurrency 0
	usage_error bench --url http://127.0.0.1:1 --model m --concurrency 1-4*1
	usage_error bench --url http://127.0.0.1:1 --model m --concurrency 1 --rate 2
	usage_error bench --url http://127.0.0.1:1 --model m --requests 5 --duration 2
	usage_error bench --url http://127.0.0.1:1 --model m --slo ttft=fast
	usage_error bench --url http://127.0.0.1:1 --model m --format xml
	usage_error bench --url http://127.0.0.1:1 --model m --input-tokens 12x
	usage_error bench --url http://127.0.0.1:1 --model m --timeout 0
	usage_error bench --url http://127.0.0.1:1 --model m --api vllm
	usage_error bench --url http://127.0.0.1:1 --model m --concurrency 2,4 --profile "$T/p.yaml"
	grep -q "needs concurrency 1" <<<"$stderr"
	usage_error bench --url http://127.0.0.1:1 --model m --rate 1 --profile "$T/p.yaml"
	usage_error bench --url http://10.0.0.1:1 --model m --profile "$T/p.yaml"
	grep -q "give --ram-gb" <<<"$stderr"
	usage_error bench --probe --quant q3
	[ ! -e "$T/p.yaml" ]
	# the option table: values, ranges, unknown and valueless options
	usage_error bench --url http://127.0.0.1:1 --model m --timeout
	grep -q "option '--timeout' needs a value" <<<"$stderr"
	usage_error bench --url http://127.0.0.1:1 --model m --bogus
	grep -q "unknown option '--bogus'" <<<"$stderr"
	usage_error bench --url http://127.0.0.1:1 --model m --probe=1
	grep -q "takes no value" <<<"$stderr"
	usage_error bench --url http://127.0.0.1:1 --model m --warmup 1001
	grep -q -- "--warmup: 1001 is out of range (0 to 1000)" <<<"$stderr"
	usage_error bench --url http://127.0.0.1:1 --model m --hourly-price -1
	usage_error bench --url http://127.0.0.1:1 --model m -x
	grep -q "unknown option '-x'" <<<"$stderr"
	run "$FLATCOST" bench --help
	[ "$status" -eq 0 ]
	grep -q -- "--request-timeout S" <<<"$output"
}

# ---- faults: a clear cause, partial results kept, exit 3, bounded time ----

@test "fault: connection refused" {
	start_server gone node $E/faults.mjs
	wait_server gone
	u=$(url gone)
	stop_server gone
	sleep 0.2
	runtime_error "cannot connect to $u" bench --url "$u" --api ollama \
	    --model ok -o "$T/r.json"
	[ ! -e "$T/r.json" ]
}

@test "fault: HTTP 500, 429, 400 and an unknown model" {
	runtime_error "server error at .*/api/generate (HTTP 500: internal failure" \
	    bench --url "$(url faults)" --api ollama --model http500 "${FAST[@]}" -o "$T/r.json"
	[ ! -e "$T/r.json" ]
	runtime_error "rate limited by the server (HTTP 429" \
	    bench --url "$(url faults)" --api openai --model http429 "${FAST[@]}"
	runtime_error "request refused by .*/v1/chat/completions (HTTP 400" \
	    bench --url "$(url faults)" --api openai --endpoint chat --model http400 "${FAST[@]}"
	runtime_error "does not know model 'mystery' (HTTP 404" \
	    bench --url "$(url faults)" --api openai --model mystery "${FAST[@]}"
}

@test "--api-key-env sends the key as a bearer token" {
	runtime_error "request refused by .* (HTTP 401: unauthorized" \
	    bench --url "$(url faults)" --api openai --model auth "${FAST[@]}"
	FC_TEST_KEY=sekrit run --separate-stderr "$FLATCOST" bench --url "$(url faults)" \
	    --api openai --model auth "${FAST[@]}" --api-key-env FC_TEST_KEY --format json
	[ "$status" -eq 0 ]
	[ "$(jq -r '.levels[0].completed' <<<"$output")" = 4 ]
	usage_error bench --url "$(url faults)" --model auth --api-key-env FC_UNSET_VAR_X
}

# partial_after FAULT PATTERN API [ARGS...]: the fault strikes after 4 good
# requests (2 calibrate the prompt, 2 are measured); the report keeps those
# two.  ARGS are more bench options.
partial_after() {
	local t0 t1
	t0=$(date +%s)
	runtime_error "$2" bench --url "$(url faults)" --api "$3" --model "$1-after-4" \
	    "${FAST[@]}" --timeout 1 --format json -o "$T/r.json" --profile "$T/p.yaml" \
	    --model-id x --params-b 1 --weights-gb 1 "${@:4}"
	t1=$(date +%s)
	[ $((t1 - t0)) -lt 15 ]
	grep -q "results so far are marked partial" <<<"$stderr"
	[ "$(jq -r '"\(.partial) \(.levels[0].completed) \(.levels[0].partial)"' "$T/r.json")" = "true 2 true" ]
	[ "$(jq -r '.stop_reason' "$T/r.json")" != null ]
	# the profile is written from what was measured, and says it is partial
	grep -q '^# PARTIAL: ' "$T/p.yaml"
	grep -q 'PARTIAL: ' "$T/p.yaml"
}

@test "fault: a stream that stalls (bounded by --timeout)" {
	partial_after stall "no data from .* for 1 s (the stream stalled)" ollama
}

@test "fault: a stream that trickles keep-alive bytes but no token" {
	partial_after trickle "for 1 s (the stream stalled)" openai
}

# Tokens count as activity, so --timeout alone never ends a
# stream that goes on forever; bench stops reading at twice the requested
# output tokens, and every request has a total deadline.
@test "fault: an endless stream (the output limit ignored), both APIs" {
	partial_after endless "ignored the output limit: more than 16 pieces of text for 8 requested tokens" ollama
	partial_after endless "ignored the output limit: more than 16 pieces" openai
	runtime_error "ignored the output limit" bench --url "$(url faults)" \
	    --api openai --endpoint chat --model endless-after-4 "${FAST[@]}"
}

@test "fault: a stream slower than --request-timeout, both APIs" {
	# 8 tokens 300 ms apart: never silent for --timeout 1, but 2.4 s long
	partial_after crawl "took longer than 1 s (--request-timeout; " ollama --request-timeout 1
	partial_after crawl "took longer than 1 s (--request-timeout; " openai --request-timeout 1
}

@test "an endless stream under a huge output limit: the deadline ends it, memory stays flat" {
	[ -x /usr/bin/time ] || skip "no /usr/bin/time"
	run --separate-stderr /usr/bin/time -f 'maxrss_kb=%M' "$FLATCOST" bench \
	    --url "$(url faults)" --api ollama --model endless-after-2 --concurrency 1 \
	    --requests 1 --input-tokens 24 --output-tokens 1000000 --warmup 0 \
	    --request-timeout 3
	[ "$status" -eq 3 ]
	grep -q "took longer than 3 s (--request-timeout; [0-9]* pieces received)" <<<"$stderr"
	rss=$(sed -n 's/^maxrss_kb=//p' <<<"$stderr")
	# about 12 MB in practice; the unbounded harness grew past 400 MB a minute
	[ "$rss" -lt 65536 ]
	# the default deadline is said in the message and the JSON settings
	run --separate-stderr "$FLATCOST" bench --url "$(url faults)" --api ollama \
	    --model ok "${FAST[@]}" --format json
	[ "$status" -eq 0 ]
	[ "$(jq -r '"\(.settings.request_timeout_s) \(.settings.request_timeout_default)"' <<<"$output")" = "68 true" ]
	usage_error bench --url "$(url faults)" --model ok --request-timeout 0
	usage_error bench --url "$(url faults)" --model ok --request-timeout x
}

@test "fault: malformed JSON in the stream" {
	partial_after malformed "malformed JSON in stream record 3" openai
}

@test "fault: the connection drops mid-stream" {
	partial_after truncated "lost mid-stream" ollama
}

@test "fault: the server dies mid-run" {
	start_server dying node $E/faults.mjs
	wait_server dying
	runtime_error "lost mid-stream" bench --url "$(url dying)" --api ollama \
	    --model die-after-4 "${FAST[@]}" --format json -o "$T/r.json"
	stop_server dying
	[ "$(jq -r '"\(.partial) \(.levels[0].completed)"' "$T/r.json")" = "true 2" ]
}

@test "SIGINT stops the load and keeps the partial results (exit 130)" {
	"$FLATCOST" bench --url "$(url faults)" --api ollama --model ok \
	    --concurrency 2 --duration 30 --input-tokens 16 --output-tokens 4 \
	    --warmup 0 --format json -o "$T/r.json" 2>"$T/err" 3>&- &
	pid=$!
	sleep 1.5
	kill -INT $pid
	st=0
	wait $pid || st=$?
	[ "$st" -eq 130 ]
	grep -q "interrupted" "$T/err"
	[ "$(jq -r '"\(.partial) \(.stop_reason) \(.levels[0].completed > 0)"' "$T/r.json")" = "true interrupted true" ]
}

# ---- probe ----

@test "probe: bandwidth, arithmetic and roofline predictions for the catalogue" {
	run --separate-stderr "$FLATCOST" bench --probe --probe-mb 64 --format json
	[ "$status" -eq 0 ]
	[ "$(jq -r '.probe.mem_bandwidth_gbs > 0 and .probe.compute_gflops > 0' <<<"$output")" = true ]
	[ "$(jq -r '.probe.predictions | length > 0' <<<"$output")" = true ]
	# the roofline: decode = bandwidth / bytes per token, prefill = FLOPS / 2N
	[ "$(jq -r '.probe as $p | .probe.predictions[0] | (.prefill_tok_s - $p.compute_gflops / (2 * .params_b)) | fabs < 1e-6' <<<"$output")" = true ]
	run --separate-stderr "$FLATCOST" bench --probe --probe-mb 64 --quant q8_0
	[ "$status" -eq 0 ]
	grep -q "roofline prediction" <<<"$output"
	grep -q "q8_0 weights" <<<"$output"
}

@test "probe next to a measurement: predicted and measured side by side" {
	run --separate-stderr "$FLATCOST" bench --probe --probe-mb 64 --url "$(url small)" \
	    --api ollama --model small --model-id qwen2.5-3b-q4_0 --concurrency 1 \
	    --requests 2 --input-tokens 16 --output-tokens 8 --profile "$T/p.yaml"
	[ "$status" -eq 0 ]
	grep -q "small\|qwen2.5-3b-q4_0 (measured here): predicted decode .* measured decode" <<<"$output"
	grep -q '^mem_bandwidth_basis: measured$' "$T/p.yaml"
	grep -q '^compute_basis: measured$' "$T/p.yaml"
	run --separate-stderr "$FLATCOST" bench --probe --probe-mb 64 --compare "$T/p.yaml"
	[ "$status" -eq 0 ]
	grep -q "measured decode" <<<"$output"
}

# ---- the man pages document every long option ----

@test "man pages: mandoc-clean and list every long option" {
	for p in bench synth-model; do
		page=man/flatcost-$p.1
		[ -f "$page" ]
		if command -v mandoc >/dev/null; then
			run mandoc -Tlint -Wwarning "$page"
			[ "$status" -eq 0 ]
		fi
	done
	for o in $(sed -n 's/^	{ "\([a-z0-9-]*\)", *[a-z_]*_argument.*/\1/p' cmd/cmd_bench.c); do
		grep -q -- "^\.Fl -*$o\b\|Fl $o\b\|Fl -$o\b" man/flatcost-bench.1 || { echo "bench --$o undocumented"; false; }
	done
	for o in $(sed -n 's/^	{ "\([a-z0-9-]*\)", *[a-z_]*_argument.*/\1/p' cmd/cmd_synth_model.c); do
		grep -q -- "Fl -*$o\b" man/flatcost-synth-model.1 || { echo "synth-model --$o undocumented"; false; }
	done
}

# ---- the real llama-server (optional: cached build) ----

@test "llama-server: the OpenAI-compatible path against the server users run" {
	bin=${FLATCOST_LLAMA_SERVER:-$HOME/.cache/flatcost/llama-server}
	[ -x "$bin" ] || skip "no llama-server at $bin (see tests/engine/build-llama-server.sh)"
	rm -f "$T/ls.log"
	port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
	"$bin" -m "$BATS_FILE_TMPDIR/small.gguf" --host 127.0.0.1 --port "$port" \
	    -t 1 -np 4 -c 2048 --no-webui >"$T/ls.log" 2>&1 3>&- &
	pid=$!
	for i in $(seq 300); do
		curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
		sleep 0.1
	done
	run --separate-stderr "$FLATCOST" bench --url "http://127.0.0.1:$port" --api openai \
	    --model small --concurrency 1,2 --requests 3 --input-tokens 24 \
	    --output-tokens 8 --format json
	out1=$output
	# the chat template costs tokens of its own: ask for more than that
	run --separate-stderr "$FLATCOST" bench --url "http://127.0.0.1:$port" --api openai \
	    --endpoint chat --model small --concurrency 1 --requests 2 --input-tokens 100 \
	    --output-tokens 8 --format json
	kill $pid
	[ "$status" -eq 0 ]
	[ "$(jq -r '.levels[0] | "\(.input_tokens_mean) \(.output_tokens_mean)"' <<<"$output")" = "100 8" ]
	output=$out1
	[ "$(jq -r '.server.engine' <<<"$output")" != "OpenAI-compatible server" ]
	[ "$(jq -r '.server.params_b * 1e9 | round' <<<"$output")" = 56113664 ]
	[ "$(jq -r '.levels[0] | "\(.input_tokens_mean) \(.output_tokens_mean)"' <<<"$output")" = "24 8" ]
	[ "$(jq -r '.levels[0].server.prefill_tok_s > 0' <<<"$output")" = true ]
	[ "$(jq -r '.levels[1].completed' <<<"$output")" = 3 ]
}
