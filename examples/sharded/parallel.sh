#!/bin/bash
# A sweep split into N shards run by GNU parallel, then merged into the
# output the whole run would have written (byte for byte).
#
#   examples/sharded/parallel.sh SCENARIO N OUT [SWEEP OPTIONS...] [-- MERGE OPTIONS...]
#
# e.g. examples/sharded/parallel.sh scenarios/content-optimizer.yaml 8 grid.csv \
#          --users 100:1000000:40 --vary 'flat.hardware=[hetzner/gex44, hetzner/ccx33]' \
#          -- --format csv
#
# Locally: every shard on this machine, as many at a time as it has cores
# (JOBS overrides: GNU parallel's -j), each with --threads 1 unless the
# options say otherwise.  Across machines: set SSHLOGIN to GNU parallel's
# --sshlogin list, e.g.
#   SSHLOGIN='4/alice@node1,4/alice@node2' examples/sharded/parallel.sh ...
# Each machine needs flatcost on its PATH (or FLATCOST naming it there),
# the same bundled data, and the scenario at the same path relative to
# the home directory as here relative to this one (--workdir .), with any
# hardware profile it names; the parts come back with --return.
# FLATCOST names the binary (default: flatcost on the PATH).
set -euo pipefail
if [ $# -lt 3 ]; then
	echo "usage: $0 SCENARIO N OUT [SWEEP OPTIONS...] [-- MERGE OPTIONS...]" >&2
	exit 2
fi
scenario=$1 n=$2 out=$3
shift 3
sweep=() merge=()
while [ $# -gt 0 ]; do
	if [ "$1" = -- ]; then
		shift
		merge=("$@")
		break
	fi
	sweep+=("$1")
	shift
done
case " ${sweep[*]-} " in
*" --threads "*|*" --threads="*) ;;
*) sweep+=(--threads 1) ;;  # parallel runs one shard per core already
esac
: "${FLATCOST:=flatcost}"
# the parts go to the current directory (the scenario's path, as given,
# is part of the report), and are removed once merged
part="flatcost-part-$$-{}.json"
trap 'rm -f flatcost-part-$$-*.json' EXIT
remote=()
if [ -n "${SSHLOGIN:-}" ]; then
	remote=(--sshlogin "$SSHLOGIN" --workdir . --return "$part" --cleanup)
fi
# -q: the options reach flatcost as they are (lists hold spaces and brackets)
seq 1 "$n" | parallel --will-cite -q -j "${JOBS:-100%}" --halt now,fail=1 \
	${remote[@]+"${remote[@]}"} \
	"$FLATCOST" sweep "$scenario" "${sweep[@]}" --shard "{}/$n" -o "$part"
"$FLATCOST" merge flatcost-part-$$-*.json ${merge[@]+"${merge[@]}"} -o "$out"
