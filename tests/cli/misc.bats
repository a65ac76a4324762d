#!/usr/bin/env bats
# The rest of the command line: --version, help, unknown commands, `data`
# (listing, staleness, JSON), the bundled scenarios and usage errors.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	cd_repo
}

# usage_error ARGS...: exit 2, nothing on stdout, a message on stderr.
usage_error() {
	run --separate-stderr fc "$@"
	if [ "$status" -ne 2 ]; then
		echo "flatcost $*: exit status $status, expected 2"
		return 1
	fi
	if [ -n "$output" ]; then
		echo "flatcost $*: stdout should be empty, got: $output"
		return 1
	fi
	[ -n "$stderr" ]
}

# A copy of data/ in $BATS_TEST_TMPDIR/data with every as_of dated today,
# so that staleness does not depend on when the test runs.
stale_copy() {
	local today d
	today=$(date -u +%Y-%m-%d)
	d="$BATS_TEST_TMPDIR/data"
	cp -r data "$d"
	for f in "$d/prices.yaml" "$d/models.yaml" "$d"/hardware/*.yaml; do
		sed -i -E "s/^( *)as_of: [0-9]{4}-[0-9]{2}-[0-9]{2}/\\1as_of: $today/" "$f"
	done
}

@test "--version prints the version" {
	run --separate-stderr fc --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^flatcost\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
	[ -z "$stderr" ]
}

@test "help lists every command with its summary" {
	run --separate-stderr fc help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^flatcost\ [0-9]+\.[0-9]+\.[0-9]+: ]]
	local c
	for c in data help simulate validate; do
		grep -Eq "^  $c +[a-z]" <<<"$output" || { echo "help does not list $c"; return 1; }
	done
	# the table is sorted
	diff <(grep -E '^  [a-z-]+  ' <<<"$output" | awk '{print $1}') \
	    <(grep -E '^  [a-z-]+  ' <<<"$output" | awk '{print $1}' | LC_ALL=C sort)
}

@test "help simulate shows the synopsis with every option" {
	run --separate-stderr fc help simulate
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: flatcost simulate SCENARIO "* ]]
	local o
	for o in --users --trials --seed --threads --months --deterministic --set --format -o; do
		grep -q -- "$o" <<<"$output" || { echo "help simulate lacks $o"; return 1; }
	done
}

@test "simulate --help is help simulate" {
	run --separate-stderr fc simulate --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: flatcost simulate "* ]]
	local a=$output
	run --separate-stderr fc help simulate
	[ "$output" = "$a" ]
}

@test "help of an unknown command exits 2" {
	usage_error help nosuchcommand
	grep -q "nosuchcommand" <<<"$stderr"
}

@test "an unknown command gets a did-you-mean hint and exit 2" {
	usage_error simulat scenarios/content-optimizer.yaml
	[ "$stderr" = "flatcost: unknown command 'simulat' (did you mean 'simulate'?)" ]
	usage_error vaildate
	[ "$stderr" = "flatcost: unknown command 'vaildate' (did you mean 'validate'?)" ]
}

@test "an unknown command without a close match points to help" {
	usage_error frobnicate
	[ "$stderr" = "flatcost: unknown command 'frobnicate'; see 'flatcost help'" ]
}

@test "no command at all exits 2" {
	run fc
	[ "$status" -eq 2 ]
	grep -q 'usage: flatcost COMMAND' <<<"$output"
}

@test "data lists prices, hardware and models" {
	run --separate-stderr fc data
	[ "$status" -eq 0 ]
	grep -q '^API prices' <<<"$output"
	grep -q '^Hardware' <<<"$output"
	grep -q '^Models' <<<"$output"
}

@test "data prices lists every required price" {
	run --separate-stderr fc data prices
	[ "$status" -eq 0 ]
	local p
	for p in openai/gpt-4o openai/gpt-4o-mini openai/gpt-4.1 openai/gpt-4.1-mini \
	    openai/gpt-4.1-nano openai/gpt-5 openai/gpt-5-mini openai/gpt-5-nano \
	    anthropic/claude-sonnet-4.5 anthropic/claude-haiku-4.5 google/gemini-2.5-flash; do
		grep -Eq "^[ !] $p +[0-9]" <<<"$output" || { echo "missing $p"; return 1; }
	done
	refute grep -q '^Hardware' <<<"$output"
	# gpt-4o at OpenAI's list price (data/prices.yaml): 2.50 in, 1.25 cached, 10.00 out
	grep -Eq '^[ !] openai/gpt-4o +2\.500 +1\.250 +10\.000 ' <<<"$output"
}

@test "data hardware lists the Hetzner servers and a GPU" {
	run --separate-stderr fc data hardware
	[ "$status" -eq 0 ]
	local h
	for h in cx23 cx33 cx43 cx53 ccx13 ccx23 ccx33; do
		grep -Eq "^[ !] hetzner/$h +[0-9]" <<<"$output" || { echo "missing hetzner/$h"; return 1; }
	done
	refute grep -q '^API prices' <<<"$output"
	run --separate-stderr fc data hardware --format json
	[ "$status" -eq 0 ]
	[ "$(jq '[.hardware[] | select(.kind == "gpu" and .vram_gb > 0)] | length' <<<"$output")" -ge 1 ]
}

@test "data models lists every required model" {
	run --separate-stderr fc data models
	[ "$status" -eq 0 ]
	local m
	for m in qwen2.5-3b qwen2.5-7b llama-3.1-8b mistral-7b phi-4; do
		grep -Eq "^[ !] $m +[0-9.]+B" <<<"$output" || { echo "missing $m"; return 1; }
	done
	refute grep -q '^Hardware' <<<"$output"
}

@test "data --format json parses and carries dates and sources" {
	run --separate-stderr fc data --format json
	[ "$status" -eq 0 ]
	[ "$(jq '.stale_after_days' <<<"$output")" -eq 180 ]
	[ "$(jq '[.prices, .hardware, .models] | map(length > 0) | all' <<<"$output")" = true ]
	[ "$(jq '[.prices[], .hardware[], .models[]] | map((.as_of | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")) and (.source | length > 0)) | all' <<<"$output")" = true ]
	[ "$(jq '.prices[] | select(.id == "openai/gpt-4o") | .input == 2.5 and .output == 10' <<<"$output")" = true ]
	run --separate-stderr fc data models --format json
	[ "$status" -eq 0 ]
	[ "$(jq 'has("prices") or has("hardware")' <<<"$output")" = false ]
	[ "$(jq '.models | length' <<<"$output")" -ge 5 ]
}

@test "data: no warning when every entry is fresh" {
	stale_copy
	FLATCOST_DATA="$BATS_TEST_TMPDIR/data" run --separate-stderr fc data
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	grep -q '^API prices' <<<"$output"
	grep -q '^  openai/gpt-4o ' <<<"$output"
	refute grep -q '^!' <<<"$output"
}

@test "data: an entry dated 2020-01-01 is marked and warned about" {
	stale_copy
	# date gpt-4o-mini (the as_of after its key) 2020-01-01
	awk '/^  gpt-4o-mini:/ { hit = 1 } hit && /as_of:/ { sub(/as_of: .*/, "as_of: 2020-01-01"); hit = 0 } { print }' \
	    "$BATS_TEST_TMPDIR/data/prices.yaml" >"$BATS_TEST_TMPDIR/p" &&
	    mv "$BATS_TEST_TMPDIR/p" "$BATS_TEST_TMPDIR/data/prices.yaml"
	FLATCOST_DATA="$BATS_TEST_TMPDIR/data" run --separate-stderr fc data prices
	[ "$status" -eq 0 ]
	grep -Eq '^! openai/gpt-4o-mini .* 2020-01-01 [0-9]+d( .*)?$' <<<"$output"
	[ "$(grep -c '^!' <<<"$output")" -eq 1 ]
	[ "$stderr" = "flatcost: warning: 1 entry is older than 180 days (marked !): check the source before you rely on it" ]
	FLATCOST_DATA="$BATS_TEST_TMPDIR/data" run --separate-stderr fc data --format json
	[ "$status" -eq 0 ]
	[ "$(jq -c '[.prices[], .hardware[], .models[]] | map(select(.stale)) | map(.id)' <<<"$output")" = '["openai/gpt-4o-mini"]' ]
	[ -n "$stderr" ]
}

@test "data: FLATCOST_DATA pointing nowhere is an error, not a crash" {
	FLATCOST_DATA="$BATS_TEST_TMPDIR/none" run --separate-stderr fc data
	[ "$status" -eq 2 ] || [ "$status" -eq 3 ]
	[ -n "$stderr" ]
}

@test "every bundled scenario validates" {
	local f n=0
	for f in scenarios/*.yaml; do
		[ -f "$f" ] || continue
		run --separate-stderr fc validate "$f"
		[ "$status" -eq 0 ] || { echo "$f: $stderr"; return 1; }
		[ "$output" = "$f: ok" ]
		n=$((n + 1))
	done
	[ "$n" -ge 1 ] || skip "no scenarios/"
}

@test "every bundled scenario simulates, deterministic and Monte Carlo" {
	local f
	for f in scenarios/*.yaml; do
		[ -f "$f" ] || continue
		run --separate-stderr fc simulate "$f" --deterministic --format json
		[ "$status" -eq 0 ] || { echo "$f: $stderr"; return 1; }
		[ "$(jq '.api.monthly_cost > 0' <<<"$output")" = true ]
		run --separate-stderr fc simulate "$f" --trials 200 --format json
		[ "$status" -eq 0 ] || { echo "$f: $stderr"; return 1; }
	done
}

@test "usage errors exit 2 and print nothing on stdout" {
	local s=tests/cli/fixtures/basic.yaml
	usage_error simulate "$s" --format xml
	grep -q "expected table, json, csv or md, got 'xml'" <<<"$stderr"
	usage_error simulate "$s" --trials abc
	grep -q -- "--trials: 'abc' is not a whole number" <<<"$stderr"
	usage_error simulate "$s" --trials 0
	grep -q -- "--trials: 0 is out of range" <<<"$stderr"
	usage_error simulate "$s" --trials 1e3
	usage_error simulate "$s" --seed -1
	usage_error simulate "$s" --threads 0
	usage_error simulate "$s" --months 0
	usage_error simulate "$s" --months 121
	usage_error simulate "$s" --no-such-option
	usage_error simulate "$s" "$s"
	usage_error simulate
	grep -q 'no scenario file given' <<<"$stderr"
	grep -q '^usage: flatcost simulate SCENARIO' <<<"$stderr"
	usage_error validate
	grep -q 'no scenario file given' <<<"$stderr"
	usage_error data --format xml
	usage_error data bogus
	usage_error data prices models
}

# mc CMD ARGS...: `flatcost CMD` on the fixture with ARGS, with the other
# arguments the command needs (diff a second scenario, sweep a range).
mc() {
	local c=$1 s=tests/cli/fixtures/basic.yaml
	shift
	case $c in
	diff) fc diff "$@" "$s" "$s" ;;
	sweep) fc sweep "$@" "$s" --users 10:100:3 ;;
	*) fc "$c" "$@" "$s" ;;
	esac
}

# mc_usage_error CMD ARGS...: `mc CMD ARGS` exits 2 with nothing on stdout.
mc_usage_error() {
	run --separate-stderr mc "$@"
	if [ "$status" -ne 2 ] || [ -n "$output" ]; then
		echo "flatcost $*: exit status $status, stdout '$output', expected 2 and none"
		return 1
	fi
}

# Only -h and -o are documented short options (flatcost(1)); the others
# are long only, so `-n 5` is an unknown option, not --trials 5.
@test "undocumented short options are unknown options in simulate, sweep, check and diff" {
	local c o shorts
	for c in simulate sweep check diff; do
		shorts="-n5 -S7 -j1 -susers=10 -d -fjson"
		case $c in
		simulate) shorts="$shorts -u10 -m2 -D -Px.png" ;;
		sweep) shorts="$shorts -u10:100:3" ;;
		check) shorts="$shorts -bx.yaml -Jx.xml" ;;
		diff) shorts="$shorts -F5 -gper_user.api" ;;
		esac
		for o in $shorts; do
			run --separate-stderr mc "$c" "$o"
			if [ "$status" -ne 2 ] || [ -n "$output" ] ||
			    ! grep -qx "flatcost $c: unknown option '${o:0:2}'" <<<"$stderr" ||
			    ! grep -q "^usage: flatcost $c " <<<"$stderr"; then
				echo "flatcost $c $o: status $status, stdout '$output', stderr: $stderr"
				return 1
			fi
		done
		# with the value apart, as one would type it
		mc_usage_error "$c" -n 5 --trials 5
	done
	usage_error data -f json
	usage_error data -fjson
	usage_error validate -x tests/cli/fixtures/basic.yaml
}

@test "a bad option is named as typed, once, with the usage" {
	run --separate-stderr fc simulate --bogus=3 tests/cli/fixtures/basic.yaml
	[ "$status" -eq 2 ] && [ -z "$output" ]
	[ "$(head -1 <<<"$stderr")" = "flatcost simulate: unknown option '--bogus'" ]
	grep -q '^usage: flatcost simulate ' <<<"$stderr"
	# the message, then the usage once (as many lines as `help` shows it)
	local n
	n=$("$FLATCOST" help simulate | awk '/^usage:/ { f = 1 } f && NF == 0 { exit } f' | wc -l)
	[ "$n" -ge 3 ]
	[ "$(wc -l <<<"$stderr")" -eq $((n + 1)) ]
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml --trials
	[ "$status" -eq 2 ]
	[ "$(head -1 <<<"$stderr")" = "flatcost simulate: option '--trials' needs a value" ]
	run --separate-stderr fc check tests/cli/fixtures/basic.yaml -o
	[ "$status" -eq 2 ]
	[ "$(head -1 <<<"$stderr")" = "flatcost check: option '-o' needs a value" ]
	run --separate-stderr fc validate -x tests/cli/fixtures/basic.yaml
	[ "$status" -eq 2 ]
	[ "$(head -1 <<<"$stderr")" = "flatcost validate: unknown option '-x'" ]
	run --separate-stderr fc simulate --deterministic=yes tests/cli/fixtures/basic.yaml
	[ "$status" -eq 2 ]
	[ "$(head -1 <<<"$stderr")" = "flatcost simulate: option '--deterministic' takes no value" ]
	run --separate-stderr fc simulate --seed 3 -xq tests/cli/fixtures/basic.yaml
	[ "$status" -eq 2 ]
	[ "$(head -1 <<<"$stderr")" = "flatcost simulate: unknown option '-x'" ]
	run --separate-stderr fc bench --concurrency
	[ "$status" -eq 2 ]
	[ "$(head -1 <<<"$stderr")" = "flatcost bench: option '--concurrency' needs a value" ]
}

@test "the long Monte Carlo options work in simulate, sweep, check and diff" {
	local c j
	for c in simulate sweep check diff; do
		case $c in
		check) j='.scenarios[0]' ;;
		*) j='.' ;;
		esac
		run --separate-stderr mc "$c" --trials 50 --seed 7 --threads 1 --format json
		[ "$status" -eq 0 ] || { echo "$c: status $status: $stderr"; return 1; }
		[ "$(jq -c "$j | [.mode, .trials, .seed]" <<<"$output")" = '["monte-carlo",50,7]' ] ||
		    { echo "$c --trials 50 --seed 7: $output"; return 1; }
		run --separate-stderr mc "$c" --trials=60 --seed=8 --threads=2 --format json
		[ "$status" -eq 0 ]
		[ "$(jq -c "$j | [.trials, .seed]" <<<"$output")" = '[60,8]' ]
		run --separate-stderr mc "$c" --deterministic --format json
		[ "$status" -eq 0 ]
		[ "$(jq -r "$j | .mode" <<<"$output")" = deterministic ] ||
		    { echo "$c --deterministic: $output"; return 1; }
		# --set reaches the scenario loader
		mc_usage_error "$c" --set usrs=5
		grep -qx -- "--set:1:1: error: unknown key 'usrs' (did you mean 'users'?)" <<<"$stderr"
		# and the ranges are checked with the long name in the message
		mc_usage_error "$c" --trials 0
		grep -q -- "^flatcost $c: --trials: 0 is out of range (1 to 10000000)" <<<"$stderr"
		mc_usage_error "$c" --threads 257
		grep -q -- "^flatcost $c: --threads: 257 is out of range (1 to 256)" <<<"$stderr"
		mc_usage_error "$c" --seed -1
		grep -q -- "^flatcost $c: --seed: -1 is out of range" <<<"$stderr"
	done
	run --separate-stderr mc simulate --trials 20 --set users=2000 --format json
	[ "$(jq '.users.mean' <<<"$output")" -eq 2000 ]
	run --separate-stderr mc diff --deterministic --set users=2000 --format json
	[ "$(jq -c '.figures.users | [.base, .candidate]' <<<"$output")" = '[2000,2000]' ]
}

# Every command of the newer analyses once on a small input, with its
# report checked: under `make check-valgrind` (whose suites leave out the
# long simulate, compare, sensitivity, calibrate, data and grid suites)
# these are the runs that put those commands' code under memcheck.
@test "small runs of simulate, compare, sensitivity, calibrate, data import, sweep grid and merge" {
	make_out
	fc simulate scenarios/content-optimizer.yaml --trials 50 --format json -o "$OUT/m.json" 2>/dev/null
	[ "$(jq '.trials' "$OUT/m.json")" = 50 ]
	fc simulate scenarios/support-chatbot.yaml --trials 30 --months 3 --format csv 2>/dev/null |
	    grep -c . | grep -qx 4
	fc simulate scenarios/classifier-api.yaml --trials 40 --des --plot "$OUT/h.png" \
	    -o "$OUT/d.txt" 2>/dev/null
	grep -q "Breakeven" "$OUT/d.txt"
	[ -s "$OUT/h.png" ]
	fc compare scenarios/content-optimizer.yaml --trials 40 --hardware hetzner/gex44,hetzner/cx43 \
	    --model qwen2.5-7b-q4_k_m --format json -o "$OUT/c.json" 2>/dev/null
	[ "$(jq '[.options[] | select(.viable)] | length' "$OUT/c.json")" -ge 2 ]
	fc sensitivity scenarios/content-optimizer.yaml --trials 60 --format json -o "$OUT/s.json" 2>/dev/null
	[ "$(jq '[.inputs[].share] | add | . * 1e6 | round' "$OUT/s.json")" = 1000000 ]
	fc calibrate tests/cli/fixtures-calibrate/litellm-spendlogs.csv --api-price openai/gpt-4o \
	    --trials 50 -o "$OUT/cal.yaml" 2>/dev/null
	fc validate "$OUT/cal.yaml" >/dev/null 2>&1
	FLATCOST_USER_DATA="$OUT/ud" fc data import tests/cli/fixtures-data/litellm.json \
	    --from litellm >/dev/null 2>&1
	[ -s "$OUT/ud/prices.yaml" ]
	fc sweep scenarios/content-optimizer.yaml --users 100:1000:3 --vary workload.chaining=1:2:2 \
	    --trials 40 --format csv -o "$OUT/w.csv" 2>/dev/null
	fc sweep scenarios/content-optimizer.yaml --users 100:1000:3 --vary workload.chaining=1:2:2 \
	    --trials 40 --shard 1/2 -o "$OUT/p1.json" 2>/dev/null
	fc sweep scenarios/content-optimizer.yaml --users 100:1000:3 --vary workload.chaining=1:2:2 \
	    --trials 40 --shard 2/2 -o "$OUT/p2.json" 2>/dev/null
	fc merge "$OUT/p1.json" "$OUT/p2.json" --format csv -o "$OUT/m.csv" 2>/dev/null
	cmp "$OUT/w.csv" "$OUT/m.csv"
}

@test "libcurl is loaded only by the commands that fetch: simulate and validate do not load it" {
	command -v ldd >/dev/null || skip "no ldd"
	LD_DEBUG=libs "$FLATCOST" simulate scenarios/content-optimizer.yaml --deterministic \
	    -o /dev/null 2>"$BATS_TEST_TMPDIR/libs"
	grep -q "libyaml" "$BATS_TEST_TMPDIR/libs"
	! grep -q "libcurl" "$BATS_TEST_TMPDIR/libs"
	LD_DEBUG=libs "$FLATCOST" validate scenarios/content-optimizer.yaml >/dev/null 2>"$BATS_TEST_TMPDIR/libs"
	! grep -q "libcurl" "$BATS_TEST_TMPDIR/libs"
	# bench's --url check goes through libcurl's URL parser, which loads it
	run env LD_DEBUG=libs "$FLATCOST" bench --url 'http://[::1' --model m
	[ "$status" -eq 2 ]
	grep -q "libcurl" <<<"$output"
}
