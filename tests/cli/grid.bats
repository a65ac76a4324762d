#!/usr/bin/env bats
# Grid sweeps and sharded runs: several --vary, YAML
# lists with references and inline maps, the cross product with a --users
# range, vary.KEY columns, the breakeven along the users per combination;
# --shard K/N parts, `flatcost merge` giving the whole run's bytes in every
# format, its refusals (missing, duplicate, mismatched parts), --resume
# after a killed run, the GNU parallel example with 4 local shards, and
# the Slurm script run as its array tasks would be.
#
# Fixture: tests/cli/fixtures-sweep/sweep.yaml (200 trials, seed 7).

bats_require_minimum_version 1.5.0

load helpers

SC=tests/cli/fixtures-sweep/sweep.yaml
GRID=(--users 10:1000:3 --vary 'flat.hardware=[hetzner/gex44, hetzner/ccx33]'
    --vary workload.input_tokens=500:1000:2 --trials 60)

setup() {
	cd_repo
	make_out
}

jq_true() {
	local got
	got=$(jq "$1" "$2")
	if [ "$got" != true ]; then
		echo "jq '$1' on $2 gave: $got"
		return 1
	fi
}

# shards N DIR ARGS...: runs the N shards of the sweep of $SC into DIR/pK.json
shards() {
	local n=$1 dir=$2 k
	shift 2
	mkdir -p "$dir"
	for k in $(seq 1 "$n"); do
		fc sweep "$SC" "$@" --shard "$k/$n" -o "$dir/p$k.json" --threads 1
	done
}

# same_as_whole DIR ARGS...: merge of DIR/p*.json equals the whole run, every format
same_as_whole() {
	local dir=$1 f
	shift
	for f in table json csv md; do
		fc sweep "$SC" "$@" --format "$f" >"$dir/whole.$f"
		fc merge "$dir"/p*.json --format "$f" -o "$dir/merged.$f"
		cmp "$dir/whole.$f" "$dir/merged.$f"
	done
}

@test "grid: the cross product, last axis fastest, users last; vary.KEY columns in CSV and JSON" {
	fc sweep "$SC" "${GRID[@]}" --format json >"$OUT/g.json"
	jq_true '(.points | length) == 12 and .sweep.points == 12' "$OUT/g.json"
	jq_true '[.sweep.axes[].key] == ["flat.hardware", "workload.input_tokens", "users"]' "$OUT/g.json"
	jq_true '[.points[] | [."vary.flat.hardware", ."vary.workload.input_tokens", ."vary.users"]][0:4]
	    == [["hetzner/gex44", 500, 10], ["hetzner/gex44", 500, 100],
	        ["hetzner/gex44", 500, 1000], ["hetzner/gex44", 1000, 10]]' "$OUT/g.json"
	jq_true '.points[11] | ."vary.flat.hardware" == "hetzner/ccx33" and ."vary.users" == 1000' "$OUT/g.json"
	fc sweep "$SC" "${GRID[@]}" --format csv >"$OUT/g.csv"
	[ "$(head -1 "$OUT/g.csv" | cut -d, -f1-4)" = '"vary.flat.hardware","vary.workload.input_tokens","vary.users","revenue.mean"' ]
	[ "$(wc -l <"$OUT/g.csv")" -eq 13 ]
	[ "$(sed -n 2p "$OUT/g.csv" | cut -d, -f1-3)" = '"hetzner/gex44","500","10"' ]
	# the table and Markdown show the varied keys as columns; no progress
	# line when stderr is not a terminal
	run --separate-stderr fc sweep "$SC" "${GRID[@]}"
	expect_status 0
	[ -z "$(sans_data_warnings)" ]
	[[ "$output" == *"monthly cost over a grid of 12 points"* ]]
	[[ "$output" == *"flat.hardware workload.input_tokens Users"* ]]
	[[ "$output" == *"hetzner/ccx33                  1000 1,000"* ]]
	run fc sweep "$SC" "${GRID[@]}" --format md
	[[ "$output" == *"| flat.hardware | workload.input_tokens | Users | API P5 |"* ]]
	[[ "$output" == *"| hetzner/gex44 | 500 | 10 |"* ]]
}

@test "grid: every point equals simulate with its --set values and --users (common random numbers)" {
	fc sweep "$SC" "${GRID[@]}" --format json >"$OUT/g.json"
	fc simulate "$SC" --trials 60 --users 100 --set flat.hardware=hetzner/ccx33 \
	    --set workload.input_tokens=1000 --format json >"$OUT/s.json"
	# point 10: ccx33, 1000 tokens, 100 users
	[ "$(jq -c '.points[10] | [.api.monthly_cost, .flat.monthly_cost, .flat.servers]' "$OUT/g.json")" = \
	  "$(jq -c '[.api.monthly_cost, .flat.monthly_cost, .flat.servers]' "$OUT/s.json")" ]
}

@test "grid: the breakeven along the users at each combination, as a one-axis sweep there finds it" {
	fc sweep "$SC" "${GRID[@]}" --format json >"$OUT/g.json"
	jq_true '(.breakeven | length) == 4 and .breakeven[1].at == {"flat.hardware": "hetzner/gex44", "workload.input_tokens": 1000}' "$OUT/g.json"
	fc sweep "$SC" --users 10:1000:3 --trials 60 --set workload.input_tokens=1000 --format json >"$OUT/one.json"
	[ "$(jq -c '.breakeven[1] | del(.at)' "$OUT/g.json")" = "$(jq -c '.breakeven' "$OUT/one.json")" ]
	# every point of a combination carries its breakeven users
	jq_true '[.points[3:6][].breakeven_users] | unique | length == 1' "$OUT/g.json"
	run fc sweep "$SC" "${GRID[@]}"
	[[ "$output" == *"At flat.hardware=hetzner/gex44, workload.input_tokens=1000"*"flat is cheaper for good from"* ]]
	[[ "$output" == *"At flat.hardware=hetzner/ccx33, workload.input_tokens=500"*"the API stays cheaper"* ]]
}

@test "lists: references and inline maps, as --set reads them; breakeven users per point without a users axis" {
	fc sweep "$SC" --users 300 --deterministic --vary 'api.price=[openai/gpt-4o, {input: 1, output: 4}]' \
	    --vary workload.chaining=1:2:2 --format json >"$OUT/l.json"
	jq_true '[.points[]."vary.api.price"] == ["openai/gpt-4o", "openai/gpt-4o", "{input: 1, output: 4}", "{input: 1, output: 4}"]' "$OUT/l.json"
	jq_true '.breakeven == null and ([.points[].breakeven_users] | all(. > 0))' "$OUT/l.json"
	fc simulate "$SC" --deterministic --users 300 --set 'api.price={input: 1, output: 4}' \
	    --set workload.chaining=2 --format json >"$OUT/s.json"
	[ "$(jq -c '.points[3] | [.api.monthly_cost, .flat.monthly_cost, .breakeven_users]' "$OUT/l.json")" = \
	  "$(jq -c '[.api.monthly_cost, .flat.monthly_cost, .breakeven.first]' "$OUT/s.json")" ]
	# quoted elements stay quoted; a single list is a grid of one axis
	run fc sweep "$SC" --deterministic --users 300 --vary 'flat.hardware=["hetzner/gex44"]'
	expect_status 0
	[[ "$output" == *'"hetzner/gex44"'* ]]
}

@test "grid: the same bytes for any --threads, in a report and in a part" {
	fc sweep "$SC" "${GRID[@]}" --format json --threads 1 >"$OUT/t1.json"
	fc sweep "$SC" "${GRID[@]}" --format json --threads 3 >"$OUT/t3.json"
	cmp "$OUT/t1.json" "$OUT/t3.json"
	# a part too
	fc sweep "$SC" "${GRID[@]}" --shard 2/3 --threads 1 -o "$OUT/p1.json"
	fc sweep "$SC" "${GRID[@]}" --shard 2/3 --threads 3 -o "$OUT/p3.json"
	cmp "$OUT/p1.json" "$OUT/p3.json"
}

@test "grid: bad input exits 2 naming what is wrong, nothing written" {
	bad() {
		run --separate-stderr fc sweep "$SC" "$@" -o "$OUT/r.txt"
		expect_status 2
		[ ! -e "$OUT/r.txt" ]
	}
	bad --users 300 --vary 'users=[1, 2]'
	[[ "$stderr" == *"user counts take FROM:TO:STEPS, not a list"* ]]
	bad --users 300 --vary 'flat.hardware=[]'
	[[ "$stderr" == *"a YAML list of 1 to 1000 values"* ]]
	bad --users 300 --vary 'flat.hardware=[a, [b'
	[[ "$stderr" == *"--vary:1:"* ]]
	bad --users 300 --vary 'flat.hardware=[hetzner/gex44, hetzner/gex44]'
	[[ "$stderr" == *"'hetzner/gex44' is listed twice"* ]]
	bad --users 300 --vary 'flat.hardware=[hetzner/gex44, hetzner/nosuch]'
	[[ "$stderr" == *"unknown hardware 'hetzner/nosuch'"* ]]
	[[ "$stderr" == *"the point flat.hardware=hetzner/nosuch is not valid"* ]]
	bad --users 10:100:3 --vary workload.chaining=1:2:2 --vary workload.chaining=1:3:2
	[[ "$stderr" == *"given twice"* ]]
	bad --users 10:100:3 --vary workload.chaining=1:2:2 --plot "$OUT/c.png"
	[[ "$stderr" == *"--plot charts one axis"* ]]
	bad --vary workload.input_tokens=100:1000:1000 --vary workload.chaining=1:2:200 --deterministic
	[[ "$stderr" == *"more than 100000 points"* ]]
	bad --users 10:100 --shard 0/3
	bad --users 10:100 --shard 4/3
	bad --users 10:100 --shard 1/x
	bad --users 10:100 --resume
	[[ "$stderr" == *"--resume needs --shard K/N and -o PART"* ]]
	bad --users 10:100 --shard 1/2 --format csv
	[[ "$stderr" == *"give --format to flatcost merge"* ]]
}

@test "--shard 2/3: the part holds exactly its points, the run's identity and the whole point list" {
	fc sweep "$SC" --users 10:1000:8 --shard 2/3 -o "$OUT/p.json"
	jq_true '[.results[].i] == [1, 4, 7]' "$OUT/p.json"
	jq_true '.shard == {"k": 2, "n": 3} and (.points | length) == 8' "$OUT/p.json"
	jq_true '.options.seed == 7 and .options.trials == 200 and .options.users == "10:1000:8"' "$OUT/p.json"
	jq_true '(.scenario.hash | startswith("fnv1a64:")) and .scenario.file == "'"$SC"'"' "$OUT/p.json"
	[ "$(jq -r .scenario.text "$OUT/p.json")" = "$(cat "$SC")" ]
	# the breakeven searches along the users go by combination: c mod N
	fc sweep "$SC" "${GRID[@]}" --shard 2/3 -o "$OUT/g.json"
	jq_true '[.results[].i] == [1, 4, 7, 10] and [.breakevens[].c] == [1]' "$OUT/g.json"
	jq_true '.breakevens[0] | (.lasting | length) == 60 and .breakeven_trials == 60' "$OUT/g.json"
	jq_true '(.breakevens | length) == 0' "$OUT/p.json"
	fc sweep "$SC" --users 10:1000:8 --shard 1/3 -o "$OUT/p1.json"
	jq_true '[.breakevens[].c] == [0]' "$OUT/p1.json"
	jq_true '.flatcost_part == 2 and (.flatcost_version | length) > 0' "$OUT/p.json"
}

@test "merge of 3 parts equals the whole run byte for byte in every format" {
	shards 3 "$OUT/a" --users 10:1000:8
	same_as_whole "$OUT/a" --users 10:1000:8
	# a --vary axis: the trials' crossings come from the parts
	shards 3 "$OUT/b" --vary workload.input_tokens=500:2000:4 --users 300 --trials 40
	same_as_whole "$OUT/b" --vary workload.input_tokens=500:2000:4 --users 300 --trials 40
	# a grid with a users axis, and one deterministic
	shards 3 "$OUT/c" "${GRID[@]}"
	same_as_whole "$OUT/c" "${GRID[@]}"
	shards 3 "$OUT/d" --users 10:1000:4 --vary workload.chaining=1:2:2 --deterministic
	same_as_whole "$OUT/d" --users 10:1000:4 --vary workload.chaining=1:2:2 --deterministic
}

@test "merge --plot-script: the chart's data equals the whole run's" {
	command -v gnuplot >/dev/null || skip "gnuplot is not installed"
	shards 2 "$OUT/a" --users 10:1000:5
	fc sweep "$SC" --users 10:1000:5 --plot "$OUT/w.png" --plot-script "$OUT/w" >/dev/null
	fc merge "$OUT"/a/p*.json --plot "$OUT/m.png" --plot-script "$OUT/m" >/dev/null
	cmp "$OUT/w/w.dat" "$OUT/m/m.dat"
	[ -s "$OUT/m.png" ]
}

@test "merge refuses missing, duplicated and mismatched parts: exit 2, naming them" {
	shards 3 "$OUT/a" --users 10:1000:5
	run --separate-stderr fc merge "$OUT/a/p1.json" "$OUT/a/p2.json" -o "$OUT/m.txt"
	expect_status 2
	[[ "$stderr" == *"shard 3/3 is missing"* ]]
	run --separate-stderr fc merge "$OUT"/a/p*.json "$OUT/a/p2.json" -o "$OUT/m.txt"
	expect_status 2
	[[ "$stderr" == *"shard 2/3 given twice"* ]]
	fc sweep "$SC" --users 10:1000:5 --seed 8 --shard 2/3 -o "$OUT/seed.json"
	run --separate-stderr fc merge "$OUT/a/p1.json" "$OUT/seed.json" "$OUT/a/p3.json" -o "$OUT/m.txt"
	expect_status 2
	[[ "$stderr" == *"seed.json: a different run from $OUT/a/p1.json: option seed is 8, 7 there"* ]]
	sed 's/^users: 500/users: 501/' "$SC" >"$OUT/other.yaml"
	fc sweep "$OUT/other.yaml" --users 10:1000:5 --shard 2/3 -o "$OUT/other.json"
	run --separate-stderr fc merge "$OUT/a/p1.json" "$OUT/other.json" "$OUT/a/p3.json" -o "$OUT/m.txt"
	expect_status 2
	[[ "$stderr" == *"the scenario differs"* ]]
	fc sweep "$SC" --users 10:1000:5 --shard 2/4 -o "$OUT/n4.json"
	run --separate-stderr fc merge "$OUT/a/p1.json" "$OUT/n4.json" -o "$OUT/m.txt"
	expect_status 2
	[[ "$stderr" == *"4 shards, 3 there"* ]]
	# a part that lacks points (a run killed before its end)
	jq -c 'del(.results[1:])' "$OUT/a/p1.json" >"$OUT/cut.json"
	run --separate-stderr fc merge "$OUT/cut.json" "$OUT/a/p2.json" "$OUT/a/p3.json" -o "$OUT/m.txt"
	expect_status 2
	[[ "$stderr" == *"cut.json (shard 1/3) lacks 1 of its points (the first: point 3): rerun that shard with --resume"* ]]
	jq -c '.breakevens = []' "$OUT/a/p1.json" >"$OUT/nobe.json"
	run --separate-stderr fc merge "$OUT/nobe.json" "$OUT/a/p2.json" "$OUT/a/p3.json" -o "$OUT/m.txt"
	expect_status 2
	[[ "$stderr" == *"nobe.json (shard 1/3) lacks the breakeven of combination 0"* ]]
	echo '{"flatcost_part": 9}' >"$OUT/bad.json"
	run --separate-stderr fc merge "$OUT/bad.json" -o "$OUT/m.txt"
	expect_status 2
	[[ "$stderr" == *"not a flatcost sweep part"* ]]
	run --separate-stderr fc merge -o "$OUT/m.txt"
	expect_status 2
	[ ! -e "$OUT/m.txt" ]
}

@test "--resume: skips the points the part holds, after checking it is this run's" {
	shards 3 "$OUT/a" --users 10:1000:8
	jq -c 'del(.results[1:])' "$OUT/a/p2.json" >"$OUT/r.json"
	fc sweep "$SC" --users 10:1000:8 --shard 2/3 -o "$OUT/r.json" --resume --threads 2
	cmp "$OUT/r.json" "$OUT/a/p2.json"
	# another run's part is not resumed, nor overwritten
	cp "$OUT/a/p2.json" "$OUT/keep.json"
	run --separate-stderr fc sweep "$SC" --users 10:1000:8 --trials 50 --shard 2/3 -o "$OUT/a/p2.json" --resume
	expect_status 2
	[[ "$stderr" == *"option trials is 200, 50 there"* ]]
	run --separate-stderr fc sweep "$SC" --users 10:1000:8 --shard 1/3 -o "$OUT/a/p2.json" --resume
	expect_status 2
	[[ "$stderr" == *"is shard 2/3, not 1/3"* ]]
	cmp "$OUT/keep.json" "$OUT/a/p2.json"
	# no part yet: --resume runs everything
	fc sweep "$SC" --users 10:1000:8 --shard 3/3 -o "$OUT/new.json" --resume
	cmp "$OUT/new.json" "$OUT/a/p3.json"
}

@test "--resume after a killed run: the saved points stay, the merge is the whole run" {
	local args=(--users 10:100000:15 --trials 5000 --vary workload.chaining=1:2:2)
	"$FLATCOST" sweep "$SC" "${args[@]}" --shard 1/1 -o "$OUT/k.json" --threads 1 &
	local pid=$! i
	# kill it once it has saved a part (every 2 s), or let it finish
	for i in $(seq 1 600); do
		[ -e "$OUT/k.json" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" || true
	[ -e "$OUT/k.json" ]
	jq_true '(.results | length) >= 1' "$OUT/k.json"
	fc sweep "$SC" "${args[@]}" --shard 1/1 -o "$OUT/k.json" --resume
	jq_true '(.results | length) == 30' "$OUT/k.json"
	fc sweep "$SC" "${args[@]}" --format json >"$OUT/whole.json"
	fc merge "$OUT/k.json" --format json -o "$OUT/merged.json"
	cmp "$OUT/whole.json" "$OUT/merged.json"
}

@test "examples/sharded/parallel.sh: 4 local shards under GNU parallel give the whole run" {
	command -v parallel >/dev/null || skip "GNU parallel is not installed (apt-get install parallel)"
	local sc=$PWD/$SC ex=$PWD/examples/sharded/parallel.sh
	# the parts go to the current directory: the test's own
	cd "$OUT"
	FLATCOST="$FLATCOST" bash "$ex" "$sc" 4 par.json \
	    --users 10:1000:6 --vary 'flat.hardware=[hetzner/gex44, hetzner/ccx33]' -- --format json
	fc sweep "$sc" --users 10:1000:6 --vary 'flat.hardware=[hetzner/gex44, hetzner/ccx33]' \
	    --format json >whole.json
	cmp whole.json par.json
	# the parts are gone once merged
	[ "$(ls)" = "$(printf 'par.json\nwhole.json')" ]
}

@test "examples/sharded/slurm.sbatch: array tasks 1-3 (as Slurm starts them) merge into the whole run" {
	local sc=$PWD/$SC ex=$PWD/examples/sharded/slurm.sbatch k
	cd "$OUT"
	for k in 3 1 2; do
		SLURM_ARRAY_TASK_ID=$k N=3 SLURM_CPUS_PER_TASK=1 FLATCOST="$FLATCOST" \
		    timeout 60 bash "$ex" "$sc" --users 10:1000:5 --vary workload.chaining=1:2:2
	done
	# a requeued task resumes: its part stays the same
	cp parts/part-2.json before.json
	SLURM_ARRAY_TASK_ID=2 N=3 FLATCOST="$FLATCOST" timeout 60 bash "$ex" "$sc" \
	    --users 10:1000:5 --vary workload.chaining=1:2:2
	cmp before.json parts/part-2.json
	fc merge parts/part-*.json --format md -o merged.md
	fc sweep "$sc" --users 10:1000:5 --vary workload.chaining=1:2:2 --format md >whole.md
	cmp whole.md merged.md
	run bash "$ex" "$sc"
	[ "$status" -ne 0 ]
	[[ "$output" == *"set N to the array size"* ]]
}

@test "help lists merge and shows its synopsis" {
	run fc help
	[[ "$output" == *"merge "*"sharded sweep"* ]]
	run fc merge --help
	expect_status 0
	[[ "$output" == *"usage: flatcost merge PART..."* ]]
}

@test "out of memory at the n-th allocation: a grid with a list, a shard, and merge" {
	run sh scripts/oom.sh -s 300 -t 40 "$FLATCOST" sweep "$SC" --users 10:1000:3 --trials 20 \
	    --threads 1 --vary 'api.price=[openai/gpt-4o, {input: 1, output: 4}]' \
	    --format csv -o @OUT@
	echo "$output"
	[ "$status" -eq 0 ]
	run sh scripts/oom.sh -s 300 -t 40 "$FLATCOST" sweep "$SC" --users 10:1000:3 --trials 20 \
	    --threads 1 --vary workload.chaining=1:2:2 --shard 2/3 -o @OUT@
	echo "$output"
	[ "$status" -eq 0 ]
	shards 2 "$OUT/a" --users 10:1000:3 --trials 20 --vary workload.chaining=1:2:2
	run sh scripts/oom.sh -s 300 -t 40 "$FLATCOST" merge "$OUT/a/p1.json" "$OUT/a/p2.json" \
	    --format json -o @OUT@
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "merge without the scenario file: the text in the parts is enough" {
	mkdir -p "$OUT/run"
	cp "$SC" "$OUT/run/s.yaml"
	cd "$OUT/run"
	local k
	for k in 1 2; do
		fc sweep s.yaml --users 10:1000:4 --vary workload.chaining=1:2:2 --shard "$k/2" -o "p$k.json"
	done
	fc sweep s.yaml --users 10:1000:4 --vary workload.chaining=1:2:2 --format json >whole.json
	# the scenario changed (or is gone) since the shards ran
	echo "# edited" >>s.yaml
	fc merge p1.json p2.json --format json -o m1.json
	cmp whole.json m1.json
	rm s.yaml
	fc merge p1.json p2.json --format json -o m2.json
	cmp whole.json m2.json
	# no temporary scenario is left behind
	[ "$(ls -a | grep -c flatcost-merge)" -eq 0 ]
}

@test "merge writes no scenario file: its folder gone and TMPDIR unwritable, it still merges" {
	mkdir -p "$OUT/run/sub"
	cp "$SC" "$OUT/run/sub/s.yaml"
	cd "$OUT/run"
	local k
	for k in 1 2; do
		fc sweep sub/s.yaml --users 10:1000:4 --shard "$k/2" -o "p$k.json"
	done
	fc sweep sub/s.yaml --users 10:1000:4 --format json >whole.json
	rm -r sub
	TMPDIR="$OUT/none" fc merge p1.json p2.json --format json -o m.json
	cmp whole.json m.json
	[ ! -e sub ] && [ ! -e "$OUT/none" ]
}

@test "parts computed with other data files do not merge: exit 2, saying so" {
	cp -r data "$OUT/data"
	sed -i '/^  gpt-4o:/,/output:/ s/^    input: 2.50$/    input: 2.60/' "$OUT/data/prices.yaml"
	refute cmp -s data/prices.yaml "$OUT/data/prices.yaml"
	shards 2 "$OUT/a" --users 10:1000:3
	FLATCOST_DATA="$OUT/data" fc sweep "$SC" --users 10:1000:3 --shard 2/2 -o "$OUT/other.json"
	run --separate-stderr fc merge "$OUT/a/p1.json" "$OUT/other.json" -o "$OUT/m.txt"
	expect_status 2
	[[ "$stderr" == *"other.json: a different run from $OUT/a/p1.json: the scenario resolves to other inputs"* ]]
	# every part from the other data: merging here would mix the two
	FLATCOST_DATA="$OUT/data" fc sweep "$SC" --users 10:1000:3 --shard 1/2 -o "$OUT/other1.json"
	run --separate-stderr fc merge "$OUT/other1.json" "$OUT/other.json" -o "$OUT/m.txt"
	expect_status 2
	[[ "$stderr" == *"resolves here to other inputs than in the shards"* ]]
	[ ! -e "$OUT/m.txt" ]
	FLATCOST_DATA="$OUT/data" fc merge "$OUT/other1.json" "$OUT/other.json" -o "$OUT/m.txt"
}

@test "merge keeps the run's --currency, data warnings and data flags: the whole run's bytes" {
	local args=(--users 10:1000:3 --vary 'flat.hardware=[hetzner/gex44, hetzner/ccx33]' --trials 40
	    --currency EUR --no-user-data)
	shards 2 "$OUT/e" "${args[@]}"
	jq_true '.options.currency == "EUR" and .options.no_user_data == true' "$OUT/e/p1.json"
	fc sweep "$SC" "${args[@]}" --format json >"$OUT/whole.json"
	run --separate-stderr fc merge "$OUT"/e/p*.json --format json -o "$OUT/merged.json"
	expect_status 0
	[[ "$stderr" == *"money figures in EUR"* ]]
	cmp "$OUT/whole.json" "$OUT/merged.json"
	jq_true '.currency.code == "EUR" and (.warnings | length) > 0' "$OUT/merged.json"
	fc sweep "$SC" "${args[@]}" >"$OUT/whole.txt"
	fc merge "$OUT"/e/p*.json -o "$OUT/merged.txt"
	cmp "$OUT/whole.txt" "$OUT/merged.txt"
	grep -q 'EUR' "$OUT/merged.txt"
}

@test "grid: non-viable points starred with the reason, in the whole run and the merge alike" {
	local args=(--set flat.hardware=hetzner/cx43 --vary 'flat.slo.p95_latency_s=[60, 600]'
	    --users 100:1000:2)
	run --separate-stderr fc sweep scenarios/content-optimizer.yaml "${args[@]}" --deterministic
	expect_status 0
	echo "$output" | grep -Eq '^ +60 +100 .* API\*$'
	echo "$output" | grep -Eq '^ +600 +1,000 .* flat$'
	[[ "$output" == *"* flat is not viable at the starred points, so never cheaper there; at flat.slo.p95_latency_s=60, users=100:"* ]]
	[[ "$output" == *"one call alone takes 210 s on hetzner/cx43, over the SLO of 60 s"* ]]
	mkdir -p "$OUT/v"
	fc sweep scenarios/content-optimizer.yaml "${args[@]}" --trials 30 --shard 1/2 -o "$OUT/v/p1.json"
	fc sweep scenarios/content-optimizer.yaml "${args[@]}" --trials 30 --shard 2/2 -o "$OUT/v/p2.json"
	fc sweep scenarios/content-optimizer.yaml "${args[@]}" --trials 30 --format md >"$OUT/whole.md"
	fc merge "$OUT"/v/p*.json --format md -o "$OUT/merged.md"
	cmp "$OUT/whole.md" "$OUT/merged.md"
	grep -q '^| 60\\\* | 100 |' "$OUT/merged.md"
}

@test "a grid's invalid point: the diagnostic points into --vary, one line per varied axis" {
	run --separate-stderr fc sweep tests/cli/fixtures/basic.yaml --deterministic \
	    --vary 'workload.input_tokens=[100, 200]' --vary 'flat.slots=[2, 2500.5]'
	expect_status 2
	[[ "$stderr" == *"--vary:2:12: error: 'slots' must be a whole number, got 2500.5"* ]]
	[[ "$stderr" == *"    2 | flat.slots=2500.5"* ]]
	[[ "$stderr" == *"--vary: the point workload.input_tokens=100, flat.slots=2500.5 is not valid"* ]]
	[[ "$stderr" != *"--set"* ]]
}

# Tampered parts.

# refused PART... : merge of the parts exits 2, prints the rest to match
merge_refused() {
	run --separate-stderr fc merge "$@" -o "$OUT/m.txt"
	expect_status 2
	[ ! -e "$OUT/m.txt" ]
}

@test "merge and --resume refuse a part whose figures, indices, trials or month were edited, naming it" {
	shards 3 "$OUT/a" --users 10:1000:5
	local p2="$OUT/a/p2.json" p3="$OUT/a/p3.json"
	# a JSON tool's rewrite of the same values (10.0 as 10) is no edit
	jq -c . "$OUT/a/p1.json" >"$OUT/same.json"
	fc merge "$OUT/same.json" "$p2" "$p3" -o "$OUT/m.txt"
	rm "$OUT/m.txt"
	jq -c '.results[0].figures[0][0] += 1' "$OUT/a/p1.json" >"$OUT/fig.json"
	merge_refused "$OUT/fig.json" "$p2" "$p3"
	grep -qx "flatcost: $OUT/fig.json: the results of point 0 do not match their hash (the part was edited or damaged: figures, index, month or trials): rerun shard 1/3" <<<"$stderr"
	jq -c '.results[0].i = 3 | .results[1].i = 0' "$OUT/a/p1.json" >"$OUT/swap.json"
	merge_refused "$OUT/swap.json" "$p2" "$p3"
	grep -q "swap.json: the results of point 3 do not match their hash" <<<"$stderr"
	jq -c '.breakevens[0].lasting |= .[0:10] | .breakevens[0].breakeven_trials = 10' \
	    "$OUT/a/p1.json" >"$OUT/cut.json"
	merge_refused "$OUT/cut.json" "$p2" "$p3"
	grep -qx "flatcost: $OUT/cut.json: the breakeven of combination 0 does not match its hash (the part was edited or damaged: figures, index or trials): rerun shard 1/3" <<<"$stderr"
	jq -c '.results[1].month = 3' "$OUT/a/p1.json" >"$OUT/month.json"
	merge_refused "$OUT/month.json" "$p2" "$p3"
	grep -q "month.json: the results of point 3 do not match their hash" <<<"$stderr"
	# the options a part holds are part of every entry's hash
	jq -c '.options.trials = 100' "$OUT/a/p1.json" >"$OUT/opt.json"
	merge_refused "$OUT/opt.json"
	grep -q "opt.json: the results of point 0 do not match their hash" <<<"$stderr"
	# --resume keeps nothing from an edited part
	cp "$OUT/fig.json" "$OUT/r.json"
	run --separate-stderr fc sweep "$SC" --users 10:1000:5 --shard 1/3 -o "$OUT/r.json" --resume
	expect_status 2
	grep -q "r.json: the results of point 0 do not match their hash" <<<"$stderr"
	cmp "$OUT/fig.json" "$OUT/r.json"
}

@test "a part whose scenario text does not match its own hash says so, also as the first part" {
	shards 2 "$OUT/a" --users 10:1000:3
	jq -c '.scenario.text += "# edited\n"' "$OUT/a/p1.json" >"$OUT/t.json"
	merge_refused "$OUT/t.json" "$OUT/a/p2.json"
	grep -q "^flatcost: $OUT/t.json: its scenario text does not match its own hash (fnv1a64:[0-9a-f]\{16\} written, fnv1a64:[0-9a-f]\{16\} read: the part was edited or damaged)$" <<<"$stderr"
	[[ "$stderr" != *"resolves"* ]]
	merge_refused "$OUT/a/p2.json" "$OUT/t.json"
	grep -q "t.json: its scenario text does not match its own hash" <<<"$stderr"
}

@test "merge DIR says it is a directory" {
	merge_refused "$OUT"
	grep -qx "flatcost: cannot read $OUT: it is a directory (expected a part that sweep --shard K/N -o PART wrote)" <<<"$stderr"
}

@test "merge reads its parts one at a time: 40 parts peak as 2 do (memory O(points), not parts x points)" {
	[ -x /usr/bin/time ] || skip "no /usr/bin/time"
	local args=(--users 10:100000:1000 --deterministic) k rss2 rss40
	mkdir -p "$OUT/s" "$OUT/t"
	for k in $(seq 1 40); do
		fc sweep "$SC" "${args[@]}" --threads 1 --shard "$k/40" -o "$OUT/s/p$k.json" 2>/dev/null
	done
	for k in 1 2; do
		fc sweep "$SC" "${args[@]}" --threads 1 --shard "$k/2" -o "$OUT/t/p$k.json" 2>/dev/null
	done
	# under AddressSanitizer (check-asan), freed memory waits in its
	# quarantine: off here, or every part read would count as held
	local asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
	ASAN_OPTIONS=$asan /usr/bin/time -f %M "$FLATCOST" merge "$OUT"/s/p*.json --format json \
	    -o "$OUT/m40.json" 2>"$OUT/r40"
	ASAN_OPTIONS=$asan /usr/bin/time -f %M "$FLATCOST" merge "$OUT"/t/p*.json --format json \
	    -o "$OUT/m2.json" 2>"$OUT/r2"
	cmp "$OUT/m40.json" "$OUT/m2.json"
	rss40=$(tail -1 "$OUT/r40")
	rss2=$(tail -1 "$OUT/r2")
	echo "peak RSS: 40 parts $rss40 KB, 2 parts $rss2 KB"
	# every part holds the whole point list (1,000 points) and the
	# scenario: the 40 held at once took about 6 MB more than 2 when all
	# were read before merging; read one at a time, they take no more
	[ "$rss40" -lt $((rss2 + 2048)) ]
}
