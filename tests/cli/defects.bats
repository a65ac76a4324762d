#!/usr/bin/env bats
# Regression tests for issue 18 "Defects": one or more per item, named
# after it.  Each failed on the code before its fix.

bats_require_minimum_version 1.5.0

load helpers

SC=scenarios/content-optimizer.yaml

setup() {
	cd_repo
	make_out
}

# --- item 1: memory safety of the --set text ---

@test "18.1: two 8,200-character --set values: no overflow, the error quotes the second" {
	local a b
	a=$(printf 'users=%08200d' 0)
	b=$(printf 'users=9%08200d' 0)
	run --separate-stderr fc simulate "$SC" --deterministic --set "$a" --set "$b"
	expect_status 2
	[[ "$stderr" == *"--set:2:7: error:"* ]]
	# the excerpt of line 2 is shown: the text was kept whole
	[[ "$stderr" == *"    2 | users=9000"* ]]
	[ -z "$output" ]
}

@test "18.1: sixty-four long --set values load" {
	local args=() i
	for i in $(seq 64); do
		args+=(--set "name=$(printf 'x%.0s' $(seq 300))")
	done
	run --separate-stderr fc simulate "$SC" --deterministic "${args[@]}"
	expect_status 0
	[[ "$output" == xxxxxxxx* ]]
}

# --- item 3: an output that is an input, or another output ---

@test "18.3: simulate -o SCENARIO is refused, exit 2, the scenario unchanged" {
	cp "$SC" "$OUT/s.yaml"
	run --separate-stderr fc simulate "$OUT/s.yaml" --deterministic -o "$OUT/s.yaml"
	expect_status 2
	[ "$stderr" = "flatcost: cannot write $OUT/s.yaml: it is the input $OUT/s.yaml; nothing written" ]
	cmp "$SC" "$OUT/s.yaml"
}

@test "18.3: the input reached through a hard link, a symbolic link or another spelling" {
	cp "$SC" "$OUT/s.yaml"
	ln "$OUT/s.yaml" "$OUT/hard.yaml"
	ln -s s.yaml "$OUT/soft.yaml"
	for o in "$OUT/hard.yaml" "$OUT/soft.yaml" "$OUT/../out/./s.yaml"; do
		run --separate-stderr fc simulate "$OUT/s.yaml" --deterministic -o "$o"
		expect_status 2
		[[ "$stderr" == *"cannot write $o: it is the input $OUT/s.yaml"* ]]
		cmp "$SC" "$OUT/s.yaml"
	done
	[ -L "$OUT/soft.yaml" ]
}

@test "18.3: sweep -o, diff -o, check --junit, check --budget onto an input" {
	cp "$SC" "$OUT/s.yaml"
	cp tests/cli/fixtures-budget/budgets/budgets.yaml "$OUT/b.yaml"
	run --separate-stderr fc sweep "$OUT/s.yaml" --users 100:1000:3 --deterministic -o "$OUT/s.yaml"
	expect_status 2
	run --separate-stderr fc diff "$SC" "$OUT/s.yaml" --deterministic -o "$OUT/s.yaml"
	expect_status 2
	run --separate-stderr fc check "$OUT/s.yaml" --deterministic --junit "$OUT/s.yaml"
	expect_status 2
	run --separate-stderr fc check "$OUT" --deterministic -o "$OUT/s.yaml"
	expect_status 2
	cmp "$SC" "$OUT/s.yaml"
	run --separate-stderr fc check "$OUT/s.yaml" --deterministic --budget "$OUT/b.yaml" -o "$OUT/b.yaml"
	expect_status 2
	[[ "$stderr" == *"it is the input $OUT/b.yaml"* ]]
}

@test "18.3: two outputs on one file: --plot and -o, --plot-script's data and -o" {
	run --separate-stderr fc sweep "$SC" --users 100:1000:3 --deterministic \
	    --plot "$OUT/x.png" -o "$OUT/x.png"
	expect_status 2
	[[ "$stderr" == *"it is also the output"* ]]
	run --separate-stderr fc sweep "$SC" --users 100:1000:3 --deterministic \
	    --plot "$OUT/min.png" --plot-script "$OUT" -o "$OUT/min.dat"
	expect_status 2
	[[ "$stderr" == *"cannot write $OUT/min.dat: it is also the output $OUT/min.dat; nothing written"* ]]
	run --separate-stderr fc simulate "$SC" --plot "$OUT/h.png" -o "$OUT/h.png"
	expect_status 2
	[ "$(ls "$OUT")" = "" ]
	# devices are not files to protect
	run --separate-stderr fc check "$SC" --deterministic -o /dev/null --junit /dev/null
	expect_status 0
}

# --- item 4: mode, hard links, dangling and looping links ---

@test "18.4: a replaced output keeps its mode" {
	for m in 600 640 755 444; do
		echo old >"$OUT/r.txt"
		chmod "$m" "$OUT/r.txt"
		run fc simulate "$SC" --deterministic -o "$OUT/r.txt"
		expect_status 0
		[ "$(stat -c %a "$OUT/r.txt")" = "$m" ]
		grep -q "Content optimizer" "$OUT/r.txt"
		rm -f "$OUT/r.txt"
	done
	# a new one follows the umask
	(umask 027 && fc simulate "$SC" --deterministic -o "$OUT/new.txt")
	[ "$(stat -c %a "$OUT/new.txt")" = 640 ]
}

@test "18.4: a replaced output keeps its hard links" {
	echo old >"$OUT/r.txt"
	ln "$OUT/r.txt" "$OUT/other.txt"
	run fc simulate "$SC" --deterministic -o "$OUT/r.txt"
	expect_status 0
	[ "$(stat -c %i "$OUT/r.txt")" = "$(stat -c %i "$OUT/other.txt")" ]
	[ "$(stat -c %h "$OUT/r.txt")" = 2 ]
	cmp "$OUT/r.txt" "$OUT/other.txt"
	grep -q "Content optimizer" "$OUT/other.txt"
	[ "$(ls "$OUT" | wc -l)" = 2 ]
}

@test "18.4: a dangling or looping -o symbolic link is not replaced" {
	ln -s missing.txt "$OUT/dangling"
	run --separate-stderr fc simulate "$SC" --deterministic -o "$OUT/dangling"
	expect_status 3
	[ "$(sans_data_warnings)" = "flatcost: cannot write $OUT/dangling: it is a symbolic link to missing.txt, which does not exist" ]
	[ -L "$OUT/dangling" ]
	ln -s loop2 "$OUT/loop1"
	ln -s loop1 "$OUT/loop2"
	run --separate-stderr fc simulate "$SC" --deterministic -o "$OUT/loop1"
	expect_status 3
	[[ "$stderr" == *"cannot write $OUT/loop1: Too many levels of symbolic links"* ]]
	[ -L "$OUT/loop1" ]
	[ "$(ls "$OUT" | wc -l)" = 3 ]
}

# --- item 5: charts ---

# slowplot: a gnuplot that writes a complete PNG, then keeps writing it
# for a while (as a real one drawing a big chart would).
make_slowplot() {
	cat >"$BATS_TEST_TMPDIR/slowplot" <<'SH'
#!/bin/sh
out=$(sed -n "s/^set output [\"']\(.*\)[\"']\$/\1/p")
for i in 1 2 3 4 5 6 7 8 9 10; do
	printf '\211PNG\r\n\032\n....\000\000\000\000IEND\256B`\202' >"$out"
	sleep 0.5
done
SH
	chmod +x "$BATS_TEST_TMPDIR/slowplot"
}

@test "18.5: SIGTERM or SIGINT while gnuplot runs leaves no temporary chart behind" {
	make_slowplot
	for sig in TERM INT; do
		FLATCOST_GNUPLOT="$BATS_TEST_TMPDIR/slowplot" "$FLATCOST" simulate "$SC" \
		    --trials 200 --plot "$OUT/chart.png" -o "$OUT/r.txt" 2>"$BATS_TEST_TMPDIR/err" &
		local pid=$! i
		for i in $(seq 100); do
			ls "$OUT" | grep -q 'chart.png.tmp' && break
			sleep 0.1
		done
		ls "$OUT" | grep -q 'chart.png.tmp'
		kill -"$sig" "$pid"
		wait "$pid" || true
		# the fake gnuplot would write again within 0.5 s if it lived
		sleep 1.5
		[ "$(ls "$OUT")" = "" ]
	done
}

@test "18.5: a truncated chart with exit status 0 does not replace a good one" {
	cat >"$BATS_TEST_TMPDIR/fullplot" <<'SH'
#!/bin/sh
out=$(sed -n "s/^set output [\"']\(.*\)[\"']\$/\1/p")
printf '\211PNG\r\n\032\n\000\000\000\rIHDR truncated by a full disk' >"$out"
exit 0
SH
	chmod +x "$BATS_TEST_TMPDIR/fullplot"
	echo "good chart" >"$OUT/c.png"
	run --separate-stderr env FLATCOST_GNUPLOT="$BATS_TEST_TMPDIR/fullplot" "$FLATCOST" \
	    sweep "$SC" --users 100:1000:3 --deterministic --plot "$OUT/c.png" -o "$OUT/r.txt"
	expect_status 3
	[[ "$stderr" == *"wrote a truncated chart for $OUT/c.png"* ]]
	[ "$(cat "$OUT/c.png")" = "good chart" ]
	[ "$(ls "$OUT")" = c.png ]
	# an SVG without its end tag, a PDF without %%EOF
	for ext in svg pdf; do
		run --separate-stderr env FLATCOST_GNUPLOT="$BATS_TEST_TMPDIR/fullplot" "$FLATCOST" \
		    sweep "$SC" --users 100:1000:3 --deterministic --plot "$OUT/c.$ext"
		expect_status 3
		[ "$(ls "$OUT")" = c.png ]
	done
}

@test "18.5: the chart is written only after the report" {
	run --separate-stderr fc sweep "$SC" --users 100:1000:3 --deterministic \
	    --plot "$OUT/c.png" -o "$OUT/missing-dir/r.txt"
	expect_status 3
	[ "$(ls "$OUT")" = "" ]
	run --separate-stderr fc simulate "$SC" --trials 50 --plot "$OUT/h.png" \
	    -o "$OUT/missing-dir/r.txt"
	expect_status 3
	[ "$(ls "$OUT")" = "" ]
	# and both when all is well: a real gnuplot's PNG passes the check
	run fc simulate "$SC" --trials 50 --plot "$OUT/h.png" -o "$OUT/r.txt"
	expect_status 0
	[ -s "$OUT/h.png" ] && [ -s "$OUT/r.txt" ]
	run fc sweep "$SC" --users 100:1000:3 --plot "$OUT/c.svg" -o "$OUT/r2.txt"
	expect_status 0
	run fc sweep "$SC" --users 100:1000:3 --plot "$OUT/c.pdf" -o "$OUT/r3.txt"
	expect_status 0
}

# --- item 6: reading ---

@test "18.6: a scenario through a pipe, <(...) or a FIFO reads whole" {
	run --separate-stderr fc simulate <(cat "$SC") --deterministic
	expect_status 0
	[[ "$output" == "Content optimizer: 5,000 users"* ]]
	run --separate-stderr bash -c 'cat "$1" | "$2" simulate /dev/stdin --deterministic' _ "$SC" "$FLATCOST"
	expect_status 0
	[[ "$output" == "Content optimizer: 5,000 users"* ]]
	mkfifo "$OUT/f.yaml"
	cat "$SC" >"$OUT/f.yaml" &
	run --separate-stderr fc validate "$OUT/f.yaml"
	expect_status 0
	wait
}

@test "18.6: check DIR skips a FIFO named *.yaml instead of waiting on it" {
	cp "$SC" "$OUT/a.yaml"
	mkfifo "$OUT/b.yaml"
	FLATCOST_TIMEOUT=20 run --separate-stderr fc check "$OUT" --deterministic -o "$OUT/r.txt"
	expect_status 0
	[[ "$stderr" == *"flatcost: warning: $OUT/b.yaml: skipped: not a regular file"* ]]
	grep -q "1 scenario without a budget" "$OUT/r.txt"
}

@test "18.6: a UTF-8 byte-order mark is accepted; bad bytes are reported where they are" {
	printf '\357\273\277' >"$OUT/bom.yaml"
	cat "$SC" >>"$OUT/bom.yaml"
	run --separate-stderr fc simulate "$OUT/bom.yaml" --deterministic
	expect_status 0
	{ head -c 200 "$SC"; printf 'x: "\377"\n'; } >"$OUT/bad.yaml"
	run --separate-stderr fc validate "$OUT/bad.yaml"
	expect_status 2
	[[ "$stderr" != *"bad.yaml:1:1:"* ]]
	[[ "$stderr" == *"bad.yaml:"[0-9]*":"[0-9]*": error: not a text file: invalid leading UTF-8 octet"* ]]
	printf 'name: x\nusers: 1\0000\n' >"$OUT/nul.yaml"
	run --separate-stderr fc validate "$OUT/nul.yaml"
	expect_status 2
	[[ "$stderr" == "nul.yaml:2:9: error: not a text file: control characters are not allowed"* ]] ||
	    [[ "$stderr" == "$OUT/nul.yaml:2:9: error: not a text file: control characters are not allowed"* ]]
}

# --- item 7: many keys ---

@test "18.7: a mapping of 250,000 keys validates (it took more than 300 s)" {
	awk 'BEGIN { print "flatcost: 1"; for (i = 0; i < 250000; i++) printf "k%d: 1\n", i }' \
	    >"$OUT/many.yaml"
	run --separate-stderr fc validate "$OUT/many.yaml"
	expect_status 2
	[[ "$stderr" == *"flatcost: 250"[0-9][0-9][0-9]" errors in $OUT/many.yaml"* ]]
}

# --- item 11: consistency ---

@test "18.11: users is a count: a fractional constant is an error, a distribution is not" {
	run --separate-stderr fc simulate "$SC" --deterministic --set users=2000.5
	expect_status 2
	[ "$stderr" = "--set:1:7: error: users is a count: expected a whole number, got 2000.5 (did you mean 2001?)
    1 | users=2000.5
      |       ^~~~~~
flatcost: 1 error in --set" ]
	run --separate-stderr fc simulate "$SC" --deterministic --set 'users={dist: uniform, min: 1000.5, max: 2000.5}'
	expect_status 0
}

@test "18.11: --seed and --threads have the file's and the engine's limits" {
	run --separate-stderr fc simulate "$SC" --trials 10 --seed 9007199254740991
	expect_status 0
	run --separate-stderr fc simulate "$SC" --trials 10 --seed 9007199254740992
	expect_status 2
	[[ "$stderr" == "flatcost simulate: --seed: 9007199254740992 is out of range (0 to 9007199254740991)"* ]]
	run --separate-stderr fc simulate "$SC" --trials 10 --threads 256
	expect_status 0
	run --separate-stderr fc simulate "$SC" --trials 10 --threads 257
	expect_status 2
	[[ "$stderr" == "flatcost simulate: --threads: 257 is out of range (1 to 256)"* ]]
}

@test "18.11: JSON numbers read back to the bit, in their shortest form, no denormals" {
	fc simulate "$SC" --deterministic --format json >"$OUT/d.json"
	fc simulate "$SC" --trials 200 --format json >"$OUT/r.json"
	fc sweep "$SC" --users 100:100000:4 --trials 50 --format json >"$OUT/s.json"
	python3 - "$OUT/d.json" "$OUT/r.json" "$OUT/s.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
# savings = api - flat and share = savings / api, as cost.c computes them:
# exact only when every printed number is the double itself (%.10g was not)
assert d["savings"]["monthly"] == d["api"]["monthly_cost"] - d["flat"]["monthly_cost"], d["savings"]
assert d["savings"]["share"] == d["savings"]["monthly"] / d["api"]["monthly_cost"], d["savings"]
def digits(t):
    return t.lower().lstrip('-').split('e')[0].replace('.', '').lstrip('0').rstrip('0')
toks = []
for path in sys.argv[1:]:
    # every number token as written (none inside strings: dates, messages)
    json.load(open(path), parse_float=lambda s: toks.append(s) or float(s),
              parse_int=lambda s: toks.append(s) or int(s))
n = 0
for tok in toks:
    v = float(tok)
    n += 1
    assert v == 0 or abs(v) >= 2.2250738585072014e-308, tok
    if '.' in tok or 'e' in tok.lower():
        assert digits(tok) == digits(repr(v)), (tok, repr(v))
assert n > 100, n
PY
}

@test "18.11: the table's savings share is the JSON's savings.share" {
	local share pct
	share=$(fc simulate "$SC" --trials 500 --format json | jq '.savings.share.mean')
	pct=$(fc simulate "$SC" --trials 500 | sed -n 's/.*Flat saves .*(\(-\?[0-9.]*\)% of API).*/\1/p')
	[ -n "$pct" ]
	[ "$(python3 -c "print('%.1f' % (100 * $share))")" = "$pct" ]
}

# --- item 14: install ---

@test "18.14: make install PREFIX=... runs from anywhere with its own data" {
	local p=$BATS_TEST_TMPDIR/inst
	# under check-valgrind FLATCOST is a wrapper: install the binary itself
	run make -s install PREFIX="$p" BIN="${FLATCOST_REAL:-$FLATCOST}"
	expect_status 0
	[ -x "$p/bin/flatcost" ]
	[ -f "$p/share/flatcost/data/prices.yaml" ]
	[ -f "$p/share/bash-completion/completions/flatcost" ]
	[ -f "$p/share/zsh/site-functions/_flatcost" ]
	cp "$SC" "$OUT/s.yaml"
	cd "$OUT"
	run --separate-stderr env -u FLATCOST_DATA "$p/bin/flatcost" simulate s.yaml --deterministic
	expect_status 0
	[[ "$output" == "Content optimizer: 5,000 users"* ]]
	# the data it read is the installed copy: break it and see the error
	echo "broken: [" >>"$p/share/flatcost/data/prices.yaml"
	run --separate-stderr env -u FLATCOST_DATA "$p/bin/flatcost" simulate s.yaml --deterministic
	expect_status 2
	[[ "$stderr" == *"$p/bin/../share/flatcost/data/prices.yaml"* ]]
}

# --- item 10: bench messages and exit statuses ---

start_faults() {
	command -v node >/dev/null || skip "no node for the fake server"
	node tests/engine/faults.mjs --port-file "$BATS_TEST_TMPDIR/port" >/dev/null 2>&1 &
	FAULTS=$!
	local i
	for i in $(seq 100); do
		[ -s "$BATS_TEST_TMPDIR/port" ] && break
		sleep 0.1
	done
	PORT=$(cat "$BATS_TEST_TMPDIR/port")
}

teardown() {
	if [ -n "${FAULTS:-}" ]; then
		kill "$FAULTS" 2>/dev/null
		wait "$FAULTS" 2>/dev/null
	fi
	return 0
}

@test "18.10: a malformed --url is a usage error (exit 2)" {
	run --separate-stderr fc bench --url 'http://[::1' --model x
	expect_status 2
	[[ "$stderr" == "flatcost bench: --url: 'http://[::1' is not a valid URL (Bad IPv6 address)"* ]]
}

@test "18.10: an oversized discovery reply is said so, not 'cannot connect'" {
	start_faults
	run --separate-stderr fc bench --url "http://127.0.0.1:$PORT/big" --api ollama --model ok \
	    --requests 1 --concurrency 1 --output-tokens 4 -o "$OUT/r.txt"
	expect_status 3
	[[ "$stderr" == *"http://127.0.0.1:$PORT/big sent a reply larger than 16 MiB"* ]]
	[[ "$stderr" != *"cannot connect"* ]]
}

@test "18.10: replies without a token measure nothing: exit 3, nothing written" {
	start_faults
	for api in ollama openai; do
		run --separate-stderr fc bench --url "http://127.0.0.1:$PORT" --api $api --model zero \
		    --requests 2 --concurrency 1 --output-tokens 4 --like qwen2.5-7b \
		    --profile "$OUT/p.yaml" -o "$OUT/r.txt"
		expect_status 3
		[[ "$stderr" == *"bench: no reply carried an output token: nothing measured, nothing written"* ]]
		[ "$(ls "$OUT")" = "" ]
	done
}

@test "18.10: a --profile that cannot be written is a failure after the report" {
	start_faults
	# one token a reply gives no decode rate at concurrency 1
	run --separate-stderr fc bench --url "http://127.0.0.1:$PORT" --api ollama --model ok \
	    --requests 2 --concurrency 1 --output-tokens 1 --like qwen2.5-7b \
	    --profile "$OUT/p.yaml" -o "$OUT/r.txt"
	expect_status 3
	[[ "$stderr" == *"bench: $OUT/p.yaml not written: no measurement at concurrency 1"* ]]
	[ -s "$OUT/r.txt" ]
	[ ! -e "$OUT/p.yaml" ]
}

@test "18.10: implausible server counts are not printed as figures" {
	start_faults
	for api in ollama openai; do
		run --separate-stderr fc bench --url "http://127.0.0.1:$PORT" --api $api --model huge \
		    --requests 2 --concurrency 1 --output-tokens 6 --format json
		expect_status 0
		[[ "$output" != *"e+300"* && "$output" != *"e300"* ]]
		[ "$(jq '.levels[0].output_tokens_mean' <<<"$output")" = 6 ]
		run --separate-stderr fc bench --url "http://127.0.0.1:$PORT" --api $api --model huge \
		    --requests 2 --concurrency 1 --output-tokens 6
		expect_status 0
		refute grep -q '[0-9]\{30\}' <<<"$output"
	done
}

# --- item 12: chart axes and key ---

@test "18.12: the x axis spans the data; with --linear the key sits below the plot" {
	mkdir "$OUT/s"
	run --separate-stderr fc sweep "$SC" --users 100:200000:5 --deterministic \
	    --plot "$OUT/log.png" --plot-script "$OUT/s"
	expect_status 0
	grep -qx 'set xrange \[100:200000\]' "$OUT/s/log.gp"
	grep -qx 'set logscale x 10' "$OUT/s/log.gp"
	run --separate-stderr fc sweep "$SC" --users 100:200000:5 --linear --deterministic \
	    --plot "$OUT/lin.png" --plot-script "$OUT/s"
	expect_status 0
	grep -qx 'set xrange \[100:200000\]' "$OUT/s/lin.gp"
	grep -q '^set key horizontal center bottom at screen' "$OUT/s/lin.gp"
	grep -qx 'set rmargin 6' "$OUT/s/lin.gp"
	# gnuplot drew both
	[ "$(head -c 4 "$OUT/lin.png" | od -An -c | tr -d ' ')" = '211PNG' ]
}

# --- issue 27 (defects found by attack); items 1-7 are in data.bats and grid.bats ---

@test "27.8: sweep --vary simulation.trials or simulation.seed is refused: not a model input" {
	run --separate-stderr fc sweep "$SC" --vary simulation.trials=1:20:2
	expect_status 2
	grep -qx "flatcost sweep: --vary simulation.trials: not a model input (every point runs the run's trials); give --trials N to change it for the whole sweep" <<<"$stderr"
	run --separate-stderr fc sweep "$SC" --vary 'simulation.seed=[1, 2]' --users 100
	expect_status 2
	grep -q -- "--vary simulation.seed: not a model input" <<<"$stderr"
	[ -z "$output" ]
}

@test "27.10: the compare man page defines its breakeven as the lasting one" {
	local page
	page=$(mandoc -T ascii -O width=200 man/flatcost.1 | sed -e 's/.\x08//g' -n -e '/^   compare/,/^   diff/p' | tr -s ' \n' ' ')
	[[ "$page" == *"the breakeven: the lasting one, the smallest user count from which the option stays cheaper than api.price"* ]]
	[[ "$page" != *"the first user count at which the option costs no more"* ]]
}

@test "27.11: flat.fixed_servers out of range says the limit" {
	run --separate-stderr fc simulate "$SC" --deterministic --set flat.fixed_servers=2e8
	expect_status 2
	grep -q "'fixed_servers' is 2e+08, out of range: expected a number of servers from 0 to 100000000 (0: sized per trial)" <<<"$stderr"
}

@test "27.11: calls of 0 tokens: no API cost to save, not a 0.0% share" {
	sed -e 's/^  input_tokens: .*/  input_tokens: 0/' -e 's/^  output_tokens: .*/  output_tokens: 0/' \
	    tests/cli/fixtures/basic.yaml >"$OUT/zero.yaml"
	run --separate-stderr fc simulate "$OUT/zero.yaml" --deterministic
	expect_status 0
	grep -q "Flat saves .* (no API cost to save: the calls cost \$0 on the API)$" <<<"$output"
	[[ "$output" != *"% of API)"* ]]
}

@test "27.12: --set name=A: B hints to quote the value" {
	run --separate-stderr fc simulate "$SC" --deterministic --set 'name=Listwise: AI search'
	expect_status 2
	grep -qF "'name' must be a string, not a mapping (a ': ' in a value starts a mapping: quote the value, as in --set 'name=\"A: B\"')" <<<"$stderr"
}

@test "27.12: with trials the report's fleet is the mean, not a rounded count under 'figures are means'" {
	run --separate-stderr fc simulate "$SC" --trials 300
	expect_status 0
	grep -q "figures are means" <<<"$output"
	local servers line
	servers=$(fc simulate "$SC" --trials 300 --format json 2>/dev/null | jq '.flat.servers.mean')
	line=$(grep '^  Servers  ' <<<"$output")
	[[ "$line" == *"$(printf '%.2f' "$servers") x hetzner/gex44 (mean)"* ]]
	# deterministic: a whole count, as before
	run --separate-stderr fc simulate "$SC" --deterministic
	grep -q '^  Servers  .* [0-9]* x hetzner/gex44$' <<<"$output"
}

@test "27.12: help lists every option a command takes (simulate --currency, sensitivity --months, data flags)" {
	local c o
	for c in simulate sweep sensitivity compare check diff merge; do
		run fc help "$c"
		for o in $(grep -o '{ "[a-z-]*", \(required\|no\|optional\)_argument' "cmd/cmd_$c.c" |
		    sed 's/{ "\([a-z-]*\)".*/\1/' | grep -vx 'help\|output'); do
			grep -q -- "--$o\b" <<<"$output" || { echo "help $c lacks --$o"; return 1; }
		done
	done
}

@test "27.12: calibrate without --hardware does not warn about the placeholder server's price date" {
	run --separate-stderr fc calibrate tests/cli/fixtures-calibrate/litellm-spendlogs.csv \
	    --api-price openai/gpt-4o -o "$BATS_TEST_TMPDIR/cal.yaml"
	[ "$status" -eq 0 ]
	grep -q "placeholders for the flat architecture" <<<"$stderr"
	refute grep -q "(flat.hardware): the price dated" <<<"$stderr"
	# a server the user chose is still checked
	run --separate-stderr fc calibrate tests/cli/fixtures-calibrate/litellm-spendlogs.csv \
	    --api-price openai/gpt-4o --hardware hetzner/gex44 --model qwen2.5-7b-q4_k_m \
	    -o "$BATS_TEST_TMPDIR/cal2.yaml"
	[ "$status" -eq 0 ]
	grep -q "hetzner/gex44 (flat.hardware): the price dated" <<<"$stderr"
}
