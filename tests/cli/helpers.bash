# Helpers shared by the CLI suites, loaded by each with `load helpers`.
# Not a suite itself: tests/run.sh and make check-valgrind run *.bats only.
# What one suite alone needs stays in that suite.

# cd_repo: into the repository root, where the suites' relative paths
# (scenarios/, data/, tests/cli/...) start; FLATCOST, the binary under
# test, defaults to ./flatcost there.
# Data warnings depend on today and on the user data directory: every
# suite runs on 2026-11-27 (SOURCE_DATE_EPOCH) with no user data unless a
# test sets FLATCOST_USER_DATA itself; caches (parsed tokenizers) go in
# the suite's own folder, never in the user's ~/.cache.
cd_repo() {
	cd "$BATS_TEST_DIRNAME/../.." || return 1
	: "${FLATCOST:=$PWD/flatcost}"
	export SOURCE_DATE_EPOCH=1795737600
	export FLATCOST_USER_DATA="$BATS_TEST_TMPDIR/no-user-data"
	export XDG_CACHE_HOME="$BATS_FILE_TMPDIR/cache"
}

# make_out: OUT, an empty folder for the test's outputs (bats keeps its own
# files in BATS_TEST_TMPDIR: outputs go in a folder of their own).
make_out() {
	OUT=$BATS_TEST_TMPDIR/out
	mkdir -p "$OUT"
}

# fc ARGS...: the binary under test, stopped after $FLATCOST_TIMEOUT seconds
# (default 60; SIGKILL 5 s later) so that a hang fails the test (status 124)
# instead of stalling the suite.
fc() {
	timeout -k 5 "${FLATCOST_TIMEOUT:-60}" "$FLATCOST" "$@"
}

# refute CMD...: fails when CMD succeeds (a bare `! CMD` does not fail a
# bats test: errexit ignores negated commands).
refute() {
	if "$@"; then
		echo "should have failed: $*"
		return 1
	fi
}

# expect_status N: the last `run` exited with N.
expect_status() {
	if [ "$status" -ne "$1" ]; then
		echo "exit status $status, expected $1"
		echo "stdout: $output"
		echo "stderr: $stderr"
		return 1
	fi
}

# sans_data_warnings: $stderr without the data warnings about stale or
# retiring bundled entries (flatcost: warning: ID (ROLE): ...; the roles
# of cli_data_check and compare's compare.hardware), which
# fixtures built on the bundled data get by design.
sans_data_warnings() {
	grep -Ev '^flatcost: warning: [^ ]+ \((api\.price|flat\.fallback\.api|flat\.hardware|api\.route|compare\.hardware)\): ' <<<"$stderr" || true
}

# update_golden FILE TEXT: with FLATCOST_UPDATE_GOLDEN set, writes TEXT to
# the golden FILE and fails the test (a golden that was just rewritten has
# compared against itself: a person reads the diff, then runs the suite
# again without the variable).  Without it, does nothing.
update_golden() {
	[ -n "${FLATCOST_UPDATE_GOLDEN:-}" ] || return 0
	printf '%s\n' "$2" >"$1"
	echo "golden $1 rewritten: review it with git diff, then rerun without FLATCOST_UPDATE_GOLDEN"
	return 1
}
