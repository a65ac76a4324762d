#!/bin/sh
# scripts/completions.sh [--check] [BINARY]: puts `BINARY help --completions`
# (default ./flatcost), the option lists and option values generated from
# the commands' option tables, between the "# BEGIN generated" and
# "# END generated" lines of completions/flatcost.bash and
# completions/_flatcost.  With --check, changes nothing and fails (exit 1,
# with a diff) when a file is not what it would write.
set -eu
check=0
if [ "${1-}" = --check ]; then
	check=1
	shift
fi
bin=${1:-./flatcost}
gen=$(mktemp)
trap 'rm -f "$gen" "$gen.new"' EXIT
"$bin" help --completions >"$gen"
rc=0
for f in completions/flatcost.bash completions/_flatcost; do
	if ! grep -qx '# BEGIN generated' "$f" || ! grep -qx '# END generated' "$f"; then
		echo "$f: no '# BEGIN generated' / '# END generated' lines" >&2
		exit 2
	fi
	awk -v gen="$gen" '
		$0 == "# BEGIN generated" { print; while ((getline l < gen) > 0) print l; skip = 1; next }
		$0 == "# END generated" { skip = 0 }
		!skip { print }' "$f" >"$gen.new"
	if [ "$check" = 1 ]; then
		diff -u "$f" "$gen.new" || { echo "$f is not current: run scripts/completions.sh" >&2; rc=1; }
	else
		cat "$gen.new" >"$f"
	fi
done
exit "$rc"
