#!/usr/bin/env bats
# flatcost bench's load against servers that log what they really run
# (tests/engine/slots.mjs, Node only, no model): one that serializes, and
# ones with N slots.  Aggregate throughput is observed over the span in
# which streams overlapped, never concurrency x the per-stream rate; a
# level that did not overlap as asked says so; a level runs enough
# requests to measure what it names; the SLO search answers from levels
# it measured properly.  What is asserted holds on a loaded machine: the
# server's slots bound what bench may report, whatever the timings.

bats_require_minimum_version 1.5.0

load helpers

E=tests/engine

start_server() {
	local name=$1
	shift
	rm -f "$BATS_FILE_TMPDIR/$name.port" "$BATS_FILE_TMPDIR/$name.slots"
	"$@" --port-file "$BATS_FILE_TMPDIR/$name.port" \
	    --log "$BATS_FILE_TMPDIR/$name.slots" \
	    >"$BATS_FILE_TMPDIR/$name.log" 2>&1 3>&- &
	echo $! >"$BATS_FILE_TMPDIR/$name.pid"
}

wait_server() {
	local i
	for i in $(seq 300); do
		[ -s "$BATS_FILE_TMPDIR/$1.port" ] && return 0
		sleep 0.1
	done
	cat "$BATS_FILE_TMPDIR/$1.log" >&2
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

# the most streams the server ever generated for at once
server_max() {
	sed -n 's/^max //p' "$BATS_FILE_TMPDIR/$1.slots" | sort -n | tail -1
}

setup_file() {
	cd_repo || return 1
	export FLATCOST
	start_server serial node $E/slots.mjs --slots 1 --tok-ms 10
	start_server eight node $E/slots.mjs --slots 8 --tok-ms 10
	start_server twelve node $E/slots.mjs --slots 12 --tok-ms 10
	wait_server serial && wait_server eight && wait_server twelve
}

teardown_file() {
	stop_server serial
	stop_server eight
	stop_server twelve
}

setup() {
	cd_repo
	T=$BATS_TEST_TMPDIR
}

@test "a server that serializes: concurrency 4 reports what one stream gives, and says so" {
	run --separate-stderr "$FLATCOST" bench --url "$(url serial)" --api ollama \
	    --model m --concurrency 1,4 --input-tokens 16 --output-tokens 20 \
	    --warmup 0 --format json
	[ "$status" -eq 0 ]
	[ "$(server_max serial)" -eq 1 ]
	# requests default to 4 x the concurrency (8 at least)
	jq -e '[.levels[].requests] == [8, 16] and
	    .settings.requests_per_level_rule == "max(4 x concurrency, 8)"' <<<"$output"
	jq -e '.levels[1] | .streams_in_flight_max == 1 and
	    .overlapped_as_asked == false and .overlap_s > 0' <<<"$output"
	jq -e '.levels[0] | .streams_in_flight_max == 1 and .overlapped_as_asked' <<<"$output"
	# one stream at a time: the aggregate is about one stream's rate,
	# not 4 x it (the multiplied figure was 4 x the per-stream rate)
	jq -e '(.levels[1].decode_tok_s / .levels[1].stream_tok_s.p50) < 1.5' <<<"$output"
	run --separate-stderr "$FLATCOST" bench --url "$(url serial)" --api openai \
	    --model m --concurrency 4 --input-tokens 16 --output-tokens 20 --warmup 0
	[ "$status" -eq 0 ]
	grep -q "level 4: the server ran at most 1 stream at once (4 asked)" <<<"$output"
}

@test "a server with 8 slots: concurrency 16 reports at most 8 streams, as the server logged" {
	: >"$BATS_FILE_TMPDIR/eight.slots"
	run --separate-stderr "$FLATCOST" bench --url "$(url eight)" --api ollama \
	    --model m --concurrency 8,16 --input-tokens 16 --output-tokens 30 \
	    --warmup 0 --format json
	[ "$status" -eq 0 ]
	[ "$(server_max eight)" -eq 8 ]
	jq -e '[.levels[].requests] == [32, 64]' <<<"$output"
	jq -e '.levels[1] | .streams_in_flight_max == 8 and .overlapped_as_asked == false' <<<"$output"
	# observed: about 8 streams' worth, far from 16 x the stream rate
	jq -e '(.levels[1].decode_tok_s / .levels[1].stream_tok_s.p50) < 10' <<<"$output"
	jq -e '.levels[1].decode_tok_s < 1.3 * .levels[0].decode_tok_s' <<<"$output"
	# concurrency 8 overlapped as asked
	jq -e '.levels[0] | .streams_in_flight_max == 8 and .overlapped_as_asked' <<<"$output"
}

@test "--requests below a level's concurrency is refused before any request" {
	: >"$BATS_FILE_TMPDIR/eight.slots"
	run --separate-stderr "$FLATCOST" bench --url "$(url eight)" --api ollama \
	    --model m --concurrency 1,16 --requests 8
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	grep -q -- "--requests 8 is below concurrency 16" <<<"$stderr"
	[ ! -s "$BATS_FILE_TMPDIR/eight.slots" ]
	# enough requests: it runs
	run --separate-stderr "$FLATCOST" bench --url "$(url eight)" --api ollama \
	    --model m --concurrency 2 --requests 2 --input-tokens 16 \
	    --output-tokens 4 --warmup 0 --format json
	[ "$status" -eq 0 ]
	jq -e '.levels[0].requests == 2 and .settings.requests_per_level_rule == "given"' <<<"$output"
}

@test "--search-slo against 12 slots and e2e 1 s: the level that truly passes, and the first that fails" {
	: >"$BATS_FILE_TMPDIR/twelve.slots"
	# a request takes about 0.6 s in a slot; one that waits for a slot
	# takes twice that and misses e2e <= 1 s
	run --separate-stderr "$FLATCOST" bench --url "$(url twelve)" --api ollama \
	    --model m --input-tokens 16 --output-tokens 60 --warmup 0 \
	    --search-slo --slo e2e=1s --format json -o "$T/s.json"
	[ "$status" -eq 0 ]
	[ "$(server_max twelve)" -le 12 ]
	best=$(jq '.max_concurrency_under_slo' "$T/s.json")
	# 12 slots: 12 streams never wait; well above 12, most requests wait
	[ "$best" -ge 12 ] && [ "$best" -le 14 ]
	jq -e '.slo_search.lower_bound_only == false and
	    .slo_search.stopped_unmeasured == false' "$T/s.json"
	jq -e --argjson b "$best" '.slo_search.first_failure == $b + 1' "$T/s.json"
	# every probe ran at least 4 x its concurrency (or ended once lost)
	jq -e '[.levels[] | select((.ended_early | not) and
	    .requests < 4 * .concurrency)] == []' "$T/s.json"
	# the answer's probe passed with enough requests; the next failed
	jq -e --argjson b "$best" '[.levels[] | select(.concurrency == $b)][0] |
	    .slo_pass and .slo_attainment >= 0.9 and .requests >= 4 * $b' "$T/s.json"
	jq -e --argjson b "$best" '[.levels[] | select(.concurrency == $b + 1)][0] |
	    .slo_pass | not' "$T/s.json"
	# no level ran more streams than the server has slots
	jq -e '[.levels[].streams_in_flight_max] | max <= 12' "$T/s.json"
	"$FLATCOST" bench --url "$(url twelve)" --api ollama --model m \
	    --input-tokens 16 --output-tokens 60 --warmup 0 --search-slo \
	    --slo e2e=1s >"$T/s.txt"
	grep -q "each level ran max(--requests, 4 x its concurrency, 8) requests" "$T/s.txt"
	grep -q "first failing level: " "$T/s.txt"
}

@test "--search-slo: the top of the range is a lower bound only when it passed with enough requests" {
	# 12 slots and a loose SLO with 1-token answers: every level passes
	# up to the top (1024 streams is past 512 in flight: --rate instead)
	run --separate-stderr "$FLATCOST" bench --url "$(url twelve)" --api ollama \
	    --model m --rate 500000 --requests 8 --input-tokens 16 --output-tokens 1 \
	    --warmup 0 --search-slo --slo e2e=30s --format json
	[ "$status" -eq 0 ]
	jq -e '.slo_search.lower_bound_only and .max_rate_under_slo == 1000000' <<<"$output"
	jq -e '[.levels[].requests] | min >= 8' <<<"$output"
}
