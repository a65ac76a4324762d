#!/bin/sh
# Line and branch coverage of model/ and cmd/ by the test suites (the
# unit tests and the CLI tests of `make check`), with gcc --coverage in
# BUILD_DIR (default build-cov/) and gcovr.
#
#   scripts/coverage.sh [-o DIR] [BUILD_DIR]
#
# Prints one line per directory (lines and branches, unreachable branches
# excluded), the files of model/ under 90% of lines or 80% of branches
# (the aim), and with -o DIR an HTML report in DIR.  Exits non-zero only
# when the build fails; failing tests are `make check`'s to report.
set -u
html=""
while getopts o: o; do
	case $o in
	o) html=$OPTARG;;
	*) echo "usage: scripts/coverage.sh [-o DIR] [BUILD_DIR]" >&2; exit 2;;
	esac
done
shift $((OPTIND - 1))
b=${1:-build-cov}
cd "$(dirname "$0")/.." || exit 2
command -v gcovr >/dev/null || { echo "coverage: gcovr is not installed (scripts/deps.sh)"; exit 2; }

# atomic counters: the Monte Carlo threads update them at once
vars="B=$b BIN=$b/flatcost OPT=-O0\ -g\ --coverage\ -fprofile-update=atomic LDFLAGS=--coverage"
find "$b" -name '*.gcda' -delete 2>/dev/null
eval make -s $vars all >/dev/null || { echo "coverage: the build failed"; exit 2; }
log=$(mktemp) || exit 2
trap 'rm -f "$log"' EXIT
eval make -s $vars check >"$log" 2>&1
echo "coverage: test run: $(grep -E "^[0-9]+ passed, [0-9]+ failed" "$log" | tail -1)"
grep -E "^(unit|cli) .*[1-9][0-9]* failed" "$log" | sed "s/^/coverage:   /"

opts="-r . --object-directory $b --exclude-unreachable-branches"
summary() {
	# gcovr -s prints "lines: 91.2% (1234 out of 1353)" and "branches: ..."
	# shellcheck disable=SC2086
	gcovr $opts --filter "$1/" -s --txt /dev/null 2>/dev/null |
	    sed -n 's/^\(lines\|branches\): \(.*\)/\1 \2/p' | tr '\n' ' '
}
echo "coverage: model/: $(summary model)"
echo "coverage: cmd/:   $(summary cmd)"

# the files of model/ under the aim
# shellcheck disable=SC2086
gcovr $opts --filter model/ --csv 2>/dev/null | awk -F, 'NR > 1 && $2 > 0 {
	l = $3 / $2 * 100; br = $5 > 0 ? $6 / $5 * 100 : 100
	if (l < 90 || br < 80)
		printf "coverage:   under the aim: %-20s lines %5.1f%%  branches %5.1f%%\n", $1, l, br
}'
if [ -n "$html" ]; then
	mkdir -p "$html"
	# shellcheck disable=SC2086
	gcovr $opts --filter model/ --filter cmd/ --html-details "$html/index.html" 2>/dev/null &&
	    echo "coverage: HTML report in $html/index.html"
fi
exit 0
