#!/bin/sh
# bench_merge.sh: the memory and time of `flatcost merge` over many parts
# (docs/model.md, "Speed targets"): the shards of a 2,000-point grid (user counts x two
# chaining values, 20 trials), one point per shard, merged into the JSON
# report; the peak resident set (/usr/bin/time -v) of the merge against
# that of the whole run in one process.  Merge reads its parts one at a
# time, so its peak should stay near the whole run's, whatever the number
# of parts.  Prints figures; asserts nothing.  Writing 2,000 parts takes a
# few minutes on 2 cores.
#
#   perf/bench_merge.sh [FLATCOST [PARTS]]
set -u
cd "$(dirname "$0")/.." || exit 2
fc=${1:-./flatcost}
n=${2:-2000}
case $fc in /*) ;; *) fc=$(pwd)/$fc;; esac
[ -x /usr/bin/time ] || { echo "bench_merge: no /usr/bin/time; skipped"; exit 0; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
sc=tests/cli/fixtures-sweep/sweep.yaml
args="--users 10:100000:1000 --vary workload.chaining=1:2:2 --trials 20"
export SOURCE_DATE_EPOCH=1795737600
start=$(date +%s)
# shellcheck disable=SC2086
seq 1 "$n" | xargs -P 2 -I K sh -c \
    "\"$fc\" sweep $sc $args --threads 1 --shard K/$n -o \"$tmp/pK.json\" 2>/dev/null" ||
    { echo "bench_merge: a shard failed"; exit 1; }
echo "wrote $n parts in $(( $(date +%s) - start )) s ($(du -sk "$tmp" | cut -f1) KiB)"
peak() {   # peak() LABEL CMD...: runs CMD under /usr/bin/time -v
	label=$1
	shift
	/usr/bin/time -v "$@" 2>"$tmp/time" >/dev/null || { tail -3 "$tmp/time"; return 1; }
	awk -v l="$label" -F': ' '/Maximum resident set size/ { rss = $2 }
	    /Elapsed \(wall clock\)/ { wall = $2 }
	    END { printf "%-28s peak RSS %7.1f MB, wall %s\n", l, rss / 1024, wall }' "$tmp/time"
}
# shellcheck disable=SC2086
peak "whole run (one process)" "$fc" sweep $sc $args --threads 1 --format json -o "$tmp/whole.json"
# the parts in shard order, as a shell glob gives them
peak "merge of $n parts" sh -c "\"$fc\" merge \$(ls \"$tmp\"/p*.json | sort -V) --format json -o \"$tmp/merged.json\""
cmp -s "$tmp/whole.json" "$tmp/merged.json" && echo "merge equals the whole run: yes" ||
    echo "merge equals the whole run: NO"
