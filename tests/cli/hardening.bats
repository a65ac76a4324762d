#!/usr/bin/env bats
# Hardening: whatever flatcost is fed or whatever happens around
# it, it never crashes, hangs, leaks or leaves a half-written file.
#
#   - I/O failures: output to /dev/full, to a directory without write
#     permission, into a missing directory, onto a directory; standard
#     output that cannot be written; an unreadable scenario or budget.
#     Each is a clear error and exit 3, no file left behind, and a file
#     that existed before is left as it was.  Devices and pipes given as
#     -o are written in place, never replaced; a symbolic link stays.
#   - Signals: SIGINT and SIGTERM during a long sweep, a long simulate and
#     a benchmark: after saying so, SIGINT kills the process (130, so a
#     shell loop around it stops too) and SIGTERM ends it with exit 3, as
#     any runtime failure; the old output is untouched.
#   - Allocation failures (scripts/oom.sh, a sample of n here; `make
#     check-oom` runs a denser one on the ASan build): the n-th allocation
#     fails for validate, simulate, sweep and check: "out of memory",
#     exit 3, no signal, no sanitizer report, no file left.
#   - Determinism: simulate, sweep and diff print the same bytes for
#     --threads 1, 2, 3, 8 and 16 and across two runs.
#   - Regressions of the crashes the fuzzers found (tests/fuzz/regress/
#     holds their inputs for the fuzz targets).
#
# Under `make check-asan` FLATCOST is the ASan+UBSan build, so every test
# here is also a leak and undefined-behaviour check.  Run as root, the
# permission tests drop to nobody with setpriv (root reads and writes
# everything), or are skipped when that is not possible.

bats_require_minimum_version 1.5.0

load helpers

SC=scenarios/content-optimizer.yaml
E=tests/engine

setup() {
	cd_repo
	make_out
}

# No sanitizer report, no signal other than the one expected.
clean_stderr() {
	if grep -E 'Sanitizer|runtime error:' <<<"$stderr"; then
		echo "sanitizer report: $stderr"
		return 1
	fi
}

# The output directory holds exactly the files named (sorted), nothing
# else: no temporary file is left behind.
only_files() {
	local got want
	got=$(cd "$OUT" && ls -A | tr '\n' ' ')
	want="$*"
	[ -n "$want" ] && want="$want "
	if [ "$got" != "$want" ]; then
		echo "files in $OUT: '$got', expected '$want'"
		return 1
	fi
}

# Runs a command as an unprivileged user when we are root (permissions do
# not apply to root); skips the test when that cannot be done.
as_user() {
	if [ "$(id -u)" -ne 0 ]; then
		"$@"
		return
	fi
	command -v setpriv >/dev/null || skip "root, and no setpriv to drop privileges"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

need_unprivileged_access() {
	if [ "$(id -u)" -eq 0 ]; then
		command -v setpriv >/dev/null || skip "root, and no setpriv to drop privileges"
		setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$SC" ||
			skip "the checkout is not readable by nobody"
		setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$FLATCOST" ||
			skip "$FLATCOST is not executable by nobody"
		chmod 755 "$BATS_TEST_TMPDIR" "$OUT"
	fi
}

# A pipe given as -o is written in place.  The /dev/full tests run only
# once this holds: a flatcost that renamed its temporary file over the
# path would replace /dev/full itself when run as root.
devices_written_in_place() {
	local f=$BATS_TEST_TMPDIR/fifo
	[ -p "$f" ] || mkfifo "$f"
	timeout 60 cat "$f" >"$f.out" &
	local reader=$!
	timeout 60 "$FLATCOST" simulate "$SC" --deterministic -o "$f" >/dev/null 2>&1
	local rc=$?
	if [ ! -p "$f" ]; then
		kill "$reader" 2>/dev/null
		wait "$reader"
		return 1
	fi
	# a flatcost that failed before opening the pipe leaves the reader waiting
	[ "$rc" -eq 0 ] || { : >"$f" & }
	wait "$reader"
	[ "$rc" -eq 0 ] && grep -q '^Breakeven' "$f.out"
}

# ---- I/O failures ----

@test "-o to a pipe writes into it and leaves it a pipe" {
	devices_written_in_place
	[ -p "$BATS_TEST_TMPDIR/fifo" ]
}

@test "-o to a symbolic link replaces the file it names and keeps the link" {
	# (so that -o /dev/stdout, a link, is never renamed over as root)
	echo "old report" >"$OUT/target.txt"
	ln -s target.txt "$OUT/link.txt"
	run --separate-stderr "$FLATCOST" simulate "$SC" --deterministic -o "$OUT/link.txt"
	expect_status 0
	[ -L "$OUT/link.txt" ]
	grep -q '^Breakeven' "$OUT/target.txt"
	only_files link.txt target.txt
}

@test "-o /dev/full: exit 3 and a clear error, for every command that writes files" {
	devices_written_in_place || skip "-o replaces a pipe: not risking /dev/full"
	[ -c /dev/full ] || skip "no /dev/full"
	for args in "simulate $SC --deterministic" "sweep $SC --users 10:1000:3 --deterministic" \
	    "check $SC --deterministic" "diff $SC $SC --deterministic"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$FLATCOST" $args -o /dev/full
		expect_status 3
		[ "$(sans_data_warnings)" = "flatcost: cannot write /dev/full: No space left on device" ]
		[ -c /dev/full ]
	done
	run --separate-stderr "$FLATCOST" check "$SC" --deterministic --junit /dev/full
	expect_status 3
	grep -q "cannot write /dev/full" <<<"$stderr"
	[ -c /dev/full ]
}

@test "standard output that cannot be written (/dev/full): exit 3, for every command" {
	[ -c /dev/full ] || skip "no /dev/full"
	for args in "validate $SC" "simulate $SC --deterministic" "simulate $SC --trials 100 --format json" \
	    "sweep $SC --users 10:1000:3 --deterministic" "check $SC --deterministic" \
	    "diff $SC $SC --deterministic" "data" "data prices --format json" "help" "help simulate" "--version"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$FLATCOST" $args
		[ "$status" -eq 0 ] || { echo "$args: exit $status: $stderr"; return 1; }
		# shellcheck disable=SC2086
		run --separate-stderr sh -c '"$0" "$@" >/dev/full' "$FLATCOST" $args
		if [ "$status" -ne 3 ] || ! grep -q "cannot write to standard output" <<<"$stderr"; then
			echo "$args >/dev/full: exit $status: $stderr"
			return 1
		fi
	done
}

@test "-o into a missing directory: exit 3, nothing created" {
	run --separate-stderr "$FLATCOST" simulate "$SC" --deterministic -o "$OUT/missing/report.txt"
	expect_status 3
	[ "$(sans_data_warnings)" = "flatcost: cannot write $OUT/missing/report.txt: No such file or directory" ]
	[ -z "$output" ]
	only_files
	run --separate-stderr "$FLATCOST" sweep "$SC" --users 10:1000:3 --deterministic \
	    -o "$OUT/missing/sweep.csv"
	expect_status 3
	run --separate-stderr "$FLATCOST" check "$SC" --deterministic --junit "$OUT/missing/j.xml"
	expect_status 3
	only_files
}

@test "-o naming a directory: exit 3, the directory untouched" {
	mkdir "$OUT/dir"
	run --separate-stderr "$FLATCOST" simulate "$SC" --deterministic -o "$OUT/dir"
	expect_status 3
	[ "$(sans_data_warnings)" = "flatcost: cannot write $OUT/dir: Is a directory" ]
	[ -d "$OUT/dir" ]
	only_files dir
}

@test "-o into a directory without write permission: exit 3, the old file left as it was" {
	need_unprivileged_access
	mkdir "$OUT/ro"
	echo "old report" >"$OUT/ro/report.txt"
	chmod 755 "$OUT/ro"
	chmod 644 "$OUT/ro/report.txt"
	chmod 555 "$OUT/ro"
	for args in "simulate $SC --deterministic" "sweep $SC --users 10:1000:3 --deterministic" \
	    "check $SC --deterministic" "diff $SC $SC --deterministic"; do
		# shellcheck disable=SC2086
		run --separate-stderr as_user "$FLATCOST" $args -o "$OUT/ro/report.txt"
		expect_status 3
		# grep: a coverage build, run as nobody, adds gcov's own complaints
		grep -qx "flatcost: cannot write $OUT/ro/report.txt: Permission denied" <<<"$stderr"
		[ "$(cat "$OUT/ro/report.txt")" = "old report" ]
		[ "$(ls -A "$OUT/ro")" = report.txt ]
	done
	chmod 755 "$OUT/ro"
}

@test "an unreadable scenario or budget: exit 3 and the reason" {
	need_unprivileged_access
	cp "$SC" "$OUT/s.yaml"
	cp tests/cli/fixtures-budget/budgets/budgets.yaml "$OUT/b.yaml"
	chmod 000 "$OUT/s.yaml" "$OUT/b.yaml"
	for args in "validate $OUT/s.yaml" "simulate $OUT/s.yaml --deterministic" \
	    "sweep $OUT/s.yaml --users 10:1000:3 --deterministic" "check $OUT/s.yaml --deterministic" \
	    "diff $SC $OUT/s.yaml --deterministic"; do
		# shellcheck disable=SC2086
		run --separate-stderr as_user "$FLATCOST" $args
		expect_status 3
		grep -qx "$OUT/s.yaml: error: cannot open: Permission denied" <<<"$stderr"
		[ -z "$output" ]
	done
	run --separate-stderr as_user "$FLATCOST" check "$SC" --deterministic --budget "$OUT/b.yaml"
	expect_status 3
	grep -qx "$OUT/b.yaml: error: cannot open: Permission denied" <<<"$stderr"
	chmod 644 "$OUT/s.yaml" "$OUT/b.yaml"
}

@test "a failed run leaves an existing output file as it was" {
	echo "old report" >"$OUT/report.txt"
	# invalid input: exit 2, nothing written
	run --separate-stderr "$FLATCOST" simulate "$SC" --deterministic --set users=-1 -o "$OUT/report.txt"
	expect_status 2
	# out of memory while writing (the last allocations are the report's)
	run --separate-stderr env FLATCOST_FAIL_ALLOC=1 "$FLATCOST" simulate "$SC" --deterministic \
	    -o "$OUT/report.txt"
	expect_status 3
	[ "$stderr" = "flatcost: out of memory" ]
	[ "$(cat "$OUT/report.txt")" = "old report" ]
	only_files report.txt
}

# ---- signals ----

# Starts flatcost in the background (exec'd directly, so that the signal
# reaches it and not a subshell), sends it a signal once it has run a
# while, and sets status and stderr from its end.  A flatcost that
# ignored the signal is killed after 60 s, and the test fails.
signal_after() {
	local sig=$1 delay=$2 i
	shift 2
	"$FLATCOST" "$@" >"$BATS_TEST_TMPDIR/sig.out" 2>"$BATS_TEST_TMPDIR/sig.err" &
	local pid=$!
	sleep "$delay"
	if ! kill -"$sig" "$pid"; then
		echo "flatcost ended before SIG$sig: $(cat "$BATS_TEST_TMPDIR/sig.err")"
		return 1
	fi
	for i in $(seq 600); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid"
		wait "$pid"
		echo "flatcost ignored SIG$sig"
		return 1
	fi
	status=0
	wait "$pid" || status=$?
	stderr=$(cat "$BATS_TEST_TMPDIR/sig.err")
}

LONG_SWEEP="sweep $SC --users 10:100000:300 --trials 200000 --threads 1 --format json"

@test "SIGINT during a long sweep: exit 130, the old output left as it was" {
	echo "old report" >"$OUT/report.txt"
	signal_after INT 1 $LONG_SWEEP -o "$OUT/report.txt"
	expect_status 130
	[ "$(sans_data_warnings)" = "flatcost: interrupted" ]
	[ "$(cat "$OUT/report.txt")" = "old report" ]
	only_files report.txt
}

@test "SIGTERM during a long sweep: exit 3, the old output left as it was" {
	echo "old report" >"$OUT/report.txt"
	signal_after TERM 1 $LONG_SWEEP -o "$OUT/report.txt"
	expect_status 3
	[ "$(sans_data_warnings)" = "flatcost: terminated (SIGTERM); nothing written" ]
	[ "$(cat "$OUT/report.txt")" = "old report" ]
	only_files report.txt
}

@test "SIGINT and SIGTERM during a long simulate: no output file at all" {
	signal_after INT 1 simulate "$SC" --trials 5000000 --threads 1 -o "$OUT/r.json" \
	    --format json
	expect_status 130
	only_files
	signal_after TERM 1 simulate "$SC" --trials 5000000 --threads 1 -o "$OUT/r.json" \
	    --format json
	expect_status 3
	only_files
}

start_faults() {
	command -v node >/dev/null || skip "no node for the fake server"
	node $E/faults.mjs --port-file "$BATS_TEST_TMPDIR/port" >/dev/null 2>&1 &
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

@test "SIGINT and SIGTERM during a benchmark that stalls: the old profile left as it was" {
	start_faults
	echo "old profile" >"$OUT/profile.yaml"
	echo "old report" >"$OUT/report.json"
	for sig in INT TERM; do
		signal_after $sig 2 bench --url "http://127.0.0.1:$PORT" --api ollama \
		    --model stall-after-0 --concurrency 1 --requests 4 --output-tokens 8 --like qwen2.5-7b \
		    --profile "$OUT/profile.yaml" -o "$OUT/report.json" --format json
		if [ $sig = INT ]; then expect_status 130; else expect_status 3; fi
		grep -q "interrupted\|terminated" <<<"$stderr"
		[ "$(cat "$OUT/profile.yaml")" = "old profile" ]
		[ "$(cat "$OUT/report.json")" = "old report" ]
		only_files profile.yaml report.json
	done
}

@test "SIGINT during a benchmark that has results: a complete report marked partial" {
	start_faults
	signal_after INT 3 bench --url "http://127.0.0.1:$PORT" --api openai \
	    --model ok --concurrency 1 --requests 1000 --output-tokens 50 \
	    -o "$OUT/report.json" --format json
	expect_status 130
	# the report is there (3 s of a fast model give results), whole, and
	# says it is partial
	[ -s "$OUT/report.json" ]
	jq -e '.partial == true and (.levels | length) > 0' "$OUT/report.json" >/dev/null
	# and no temporary file left beside it
	refute grep -q tmp <(ls -A "$OUT")
}

# ---- allocation failures ----
# A sample: every allocation among the last 60 of each run, and every
# 700th before them (most are the bundled data's YAML nodes).  `make
# check-oom` takes all of the last 400 and every 35th before them.

@test "out of memory at the n-th allocation: validate" {
	run sh scripts/oom.sh -s 700 -t 60 "$FLATCOST" validate "$SC"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "out of memory at the n-th allocation: simulate" {
	run sh scripts/oom.sh -s 700 -t 60 "$FLATCOST" simulate "$SC" --threads 1 --trials 100 \
	    -o @OUT@
	echo "$output"
	[ "$status" -eq 0 ]
}

# The first allocations of a command with --set keep its text for quoting
# in diagnostics; their failure was once ignored (found by `make check-oom
# OOM_STEP=1` on sweep --vary, whose points each add their --set line).
@test "out of memory at the n-th allocation: simulate --set, from the first" {
	run sh scripts/oom.sh -s 700 -t 20 "$FLATCOST" simulate "$SC" --set users=500 \
	    --deterministic -o @OUT@
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "out of memory at the n-th allocation: sweep" {
	run sh scripts/oom.sh -s 700 -t 60 "$FLATCOST" sweep "$SC" --users 10:10000:5 --threads 1 \
	    --trials 100 --format csv -o @OUT@
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "out of memory at the n-th allocation: check" {
	run sh scripts/oom.sh -s 700 -t 60 "$FLATCOST" check "$SC" \
	    --budget tests/cli/fixtures-budget/budgets/budgets.yaml --threads 1 --trials 100 \
	    --junit @OUT@
	echo "$output"
	[ "$status" -eq 0 ]
}

# ---- determinism ----

# The same bytes for every thread count and for two runs.
same_for_threads() {
	local t ref="$BATS_TEST_TMPDIR/ref" got="$BATS_TEST_TMPDIR/got"
	"$@" --threads 1 >"$ref" || return 1
	[ -s "$ref" ] || return 1
	for t in 1 2 3 8 16; do
		"$@" --threads $t >"$got" || return 1
		if ! cmp -s "$ref" "$got"; then
			echo "--threads $t differs from --threads 1: $*"
			diff "$ref" "$got" | head -20
			return 1
		fi
	done
}

@test "simulate prints the same bytes for 1, 2, 3, 8 and 16 threads and twice" {
	same_for_threads "$FLATCOST" simulate "$SC" --trials 3000 --format json
	same_for_threads "$FLATCOST" simulate "$SC" --trials 3000
	same_for_threads "$FLATCOST" simulate scenarios/support-chatbot.yaml --trials 2000 --months 3 \
	    --format csv
}

@test "sweep prints the same bytes for 1, 2, 3, 8 and 16 threads and twice" {
	same_for_threads "$FLATCOST" sweep "$SC" --users 10:100000:6 --trials 1000 --format json
	same_for_threads "$FLATCOST" sweep "$SC" --vary workload.input_tokens=500:2000:3 --trials 500
}

@test "diff prints the same bytes for 1, 2, 3, 8 and 16 threads and twice" {
	same_for_threads "$FLATCOST" diff "$SC" scenarios/classifier-api.yaml --trials 2000 --format json
	same_for_threads "$FLATCOST" diff "$SC" "$SC" --set workload.input_tokens=1500 --trials 2000
}

# ---- regressions of fuzzer finds (inputs in tests/fuzz/regress/) ----

@test "fuzz regression: a geometric --concurrency step that overflows a long" {
	# model/benchstat.c multiplied past LONG_MAX (UBSan under check-asan)
	run --separate-stderr "$FLATCOST" bench --url http://127.0.0.1:9 --model x \
	    --concurrency '1-64*6666666666666666662,2-4+9223372036854775807'
	clean_stderr
	expect_status 3
	grep -q "cannot connect" <<<"$stderr"
}

@test "fuzz regression: an empty scenario loads its defaults without undefined behaviour" {
	# model/scenario.c set_defaults() formed s + NONE before checking it
	: >"$OUT/empty.yaml"
	run --separate-stderr "$FLATCOST" validate "$OUT/empty.yaml"
	clean_stderr
	expect_status 2
	grep -q "empty file" <<<"$stderr"
}
