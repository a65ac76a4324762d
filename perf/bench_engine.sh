#!/bin/sh
# bench_engine.sh: what `flatcost bench` measures on a real llama.cpp
# engine on this machine (tests/engine/server.mjs, node-llama-cpp, one
# thread, 4 sequences) serving two synthetic models written by
# `flatcost synth-model`: 32 MB and 207 MB at q4_0.  Prints figures and
# whether the physics the simulator assumes shows in them; asserts
# nothing (timings on a shared machine are for a benchmark, not a test):
#
#   - decode is bandwidth-bound: the 32 MB model decodes several times
#     faster than the 207 MB one (6.5x the bytes; expect >= 3x);
#   - batching: aggregate output tok/s at concurrency 4 is at least that
#     at 1 (the weights are read once a step for every sequence).
#
#   - harness overhead: the CPU time of `flatcost bench` itself
#     (user + system, from /usr/bin/time) over its wall time, driving 64
#     concurrent streams: against the 32 MB model (expect < 5% of one
#     core), and against tests/engine/faults.mjs, which streams far faster
#     than any CPU engine (its cost per streamed token is the figure).
#
#   perf/bench_engine.sh [FLATCOST]
set -u
cd "$(dirname "$0")/.." || exit 2
fc=${1:-./flatcost}
case $fc in /*) ;; *) fc=$(pwd)/$fc;; esac
command -v node >/dev/null || { echo "bench_engine: no node; skipped"; exit 0; }
sh tests/engine/setup.sh || { echo "bench_engine: engine set-up failed; skipped"; exit 0; }
tmp=$(mktemp -d) || exit 2
pids=""
trap 'for p in $pids; do kill $p 2>/dev/null; done; rm -rf "$tmp"' EXIT INT TERM

"$fc" synth-model --layers 14 --embd 512 --ff 1536 --heads 8 --vocab 8192 \
    --quant q4_0 -o "$tmp/small.gguf" >/dev/null || exit 1
"$fc" synth-model --layers 26 --embd 1024 --ff 2816 --heads 16 --vocab 16384 \
    --quant q4_0 -o "$tmp/large.gguf" >/dev/null || exit 1
for m in small large; do
	node tests/engine/server.mjs --model "$tmp/$m.gguf" --name $m --sequences 4 \
	    --threads 1 --context 512 --port-file "$tmp/$m.port" >"$tmp/$m.log" 2>&1 &
	pids="$pids $!"
done
for m in small large; do
	i=0
	while [ ! -s "$tmp/$m.port" ]; do
		i=$((i + 1))
		[ $i -gt 600 ] && { echo "bench_engine: the $m server did not start"; cat "$tmp/$m.log"; exit 1; }
		sleep 0.1
	done
done

# run MODEL: the JSON report of concurrency 1,2,4, 8 requests a level
run() {
	"$fc" bench --url "http://127.0.0.1:$(cat "$tmp/$1.port")" --api ollama \
	    --model "$1" --concurrency 1,2,4 --requests 8 --input-tokens 16 \
	    --output-tokens 32 --warmup 1 --format json
}
run small >"$tmp/small.json" || exit 1
run large >"$tmp/large.json" || exit 1
printf '%-6s %5s %12s %12s %12s\n' model conc "decode tok/s" "output tok/s" "TTFT p50 s"
for m in small large; do
	jq -r --arg m $m '.levels[] | [$m, .concurrency, (.decode_tok_s * 100 | round / 100),
	    (.output_tok_s * 100 | round / 100), (.ttft_s.p50 * 1000 | round / 1000)] | @tsv' \
	    "$tmp/$m.json" | awk -F'\t' '{ printf "%-6s %5s %12s %12s %12s\n", $1, $2, $3, $4, $5 }'
done
jq -nr --slurpfile s "$tmp/small.json" --slurpfile l "$tmp/large.json" '
	($s[0].levels[0].decode_tok_s / $l[0].levels[0].decode_tok_s) as $r |
	($l[0].levels[-1].output_tok_s / $l[0].levels[0].output_tok_s) as $b |
	"single-stream decode, 32 MB / 207 MB model: \($r * 100 | round / 100)x (bandwidth-bound: expect >= 3x): \(if $r >= 3 then "holds" else "DOES NOT HOLD" end)",
	"aggregate output, concurrency 4 / 1 (207 MB): \($b * 100 | round / 100)x (expect >= 1): \(if $b >= 1 then "holds" else "DOES NOT HOLD" end)"'

# harness overhead at concurrency 64: bench's own CPU over its wall time
node tests/engine/faults.mjs --port-file "$tmp/faults.port" >"$tmp/faults.log" 2>&1 &
pids="$pids $!"
i=0
while [ ! -s "$tmp/faults.port" ]; do
	i=$((i + 1))
	[ $i -gt 600 ] && { echo "bench_engine: the faults server did not start"; exit 1; }
	sleep 0.1
done
# overhead URL MODEL ARGS...: prints "cpu_s wall_s tokens"
overhead() {
	u=$1 m=$2
	shift 2
	/usr/bin/time -f '%U %S %e' -o "$tmp/time" "$fc" bench --url "$u" --api ollama \
	    --model "$m" --concurrency 64 --input-tokens 16 --warmup 0 --format json \
	    "$@" >"$tmp/ov.json" 2>/dev/null || return 1
	awk '{ printf "%s %s ", $1 + $2, $3 }' "$tmp/time"
	jq -r '[.levels[0] | .output_tokens_mean * .completed] | add' "$tmp/ov.json"
}
if [ -x /usr/bin/time ]; then
	set -- $(overhead "http://127.0.0.1:$(cat "$tmp/small.port")" small --requests 64 --output-tokens 32)
	awk -v c="$1" -v w="$2" -v t="$3" 'BEGIN {
	    p = 100 * c / w
	    printf "harness overhead, 64 streams on the 32 MB model: %.2f%% of one core (%.0f tokens in %.1f s; expect < 5%%): %s\n", p, t, w, p < 5 ? "holds" : "DOES NOT HOLD" }'
	set -- $(overhead "http://127.0.0.1:$(cat "$tmp/faults.port")" ok --duration 5 --output-tokens 64)
	awk -v c="$1" -v w="$2" -v t="$3" 'BEGIN {
	    printf "harness cost per streamed token, 64 streams from faults.mjs: %.1f us of CPU (%.0f tok/s: %.1f%% of one core)\n", 1e6 * c / t, t / w, 100 * c / w }'
else
	echo "harness overhead: no /usr/bin/time; skipped"
fi
