#!/usr/bin/env bats
# Shell completion: completions/flatcost.bash sourced into bash completes
# commands, options, option values, --set keys and the catalog's
# references; its option lists and the zsh file's are generated from the
# commands' option tables, which the binary dumps (`flatcost help
# --completions`, `flatcost help --complete options CMD`).

bats_require_minimum_version 1.5.0

load helpers

setup() {
	cd_repo
	BIN_DIR=$BATS_TEST_TMPDIR/bin
	mkdir -p "$BIN_DIR"
	ln -sf "$FLATCOST" "$BIN_DIR/flatcost"
}

# complete LINE: the completions bash offers at the end of LINE.
complete_line() {
	PATH="$BIN_DIR:$PATH" bash -c '
		source completions/flatcost.bash
		COMP_LINE=$1 COMP_POINT=${#1}
		COMP_WORDS=($1) COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		[[ $1 == *" " ]] && COMP_WORDS+=("") && COMP_CWORD=${#COMP_WORDS[@]}
		_flatcost
		printf "%s\n" "${COMPREPLY[@]}"' _ "$1"
}

# the options of command $1 from its option table, as the binary dumps it
table_options() {
	"$FLATCOST" help --complete options "$1"
}

@test "completion: the bash file is registered for flatcost" {
	run bash -c 'source completions/flatcost.bash && complete -p flatcost'
	expect_status 0
	[ "$output" = "complete -F _flatcost flatcost" ]
}

@test "completion: commands" {
	run complete_line "flatcost s"
	expect_status 0
	[ "$output" = "sensitivity
simulate
sweep
synth-model" ]
	run complete_line "flatcost "
	[ "$(grep -c . <<<"$output")" -ge 9 ]
	grep -qx validate <<<"$output"
	run complete_line "flatcost help di"
	[ "$output" = "diff" ]
}

@test "completion: options of a command" {
	run complete_line "flatcost simulate scenarios/content-optimizer.yaml --de"
	[ "$output" = "--des
--deterministic" ]
	run complete_line "flatcost sweep --plot-s"
	[ "$output" = "--plot-script" ]
	run complete_line "flatcost sweep --chart "
	[ "$output" = "cost
per-user
servers
share" ]
}

@test "completion: scenario files, --set keys and references" {
	run complete_line "flatcost validate scenarios/support"
	[ "$output" = "scenarios/support-chatbot.yaml" ]
	run complete_line "flatcost simulate x.yaml --set workload.input_t"
	[ "$output" = "workload.input_tokens=" ]
	run complete_line "flatcost simulate x.yaml --set flat.hardware=hetzner/cx2"
	# bash replaces what follows the '=' of the word
	[ "$output" = "hetzner/cx23" ] || [ "$output" = "flat.hardware=hetzner/cx23" ]
	run complete_line "flatcost simulate x.yaml --set api.price=openai/gpt-4o-m"
	grep -q "openai/gpt-4o-mini" <<<"$output"
	run complete_line "flatcost simulate x.yaml --set flat.model=qwen2.5-7b-q4_k"
	grep -q "qwen2.5-7b-q4_k_m" <<<"$output"
}

@test "completion: the generated parts of the bash and zsh files are current" {
	scripts/completions.sh --check "$FLATCOST"
	# and the check fails on a file that is not
	mkdir -p "$BATS_TEST_TMPDIR/repo/completions"
	sed 's/--no-race //' completions/flatcost.bash >"$BATS_TEST_TMPDIR/repo/completions/flatcost.bash"
	cp completions/_flatcost "$BATS_TEST_TMPDIR/repo/completions/"
	local script=$PWD/scripts/completions.sh
	run bash -c 'cd "$1" && "$2" --check "$3"' _ "$BATS_TEST_TMPDIR/repo" "$script" "$FLATCOST"
	[ "$status" -eq 1 ]
	[[ "$output" == *"completions/flatcost.bash is not current"* ]]
}

@test "completion: the bash and zsh option lists are the commands' option tables" {
	local c want got
	for c in $("$FLATCOST" help --complete commands); do
		want=$(table_options "$c" | sort -u)
		[ -n "$want" ] || { echo "no options for $c"; return 1; }
		got=$(complete_line "flatcost $c -" | sort -u)
		diff -u <(echo "$want") <(echo "$got") || { echo "bash: $c"; return 1; }
		got=$(bash -c 'source completions/flatcost.bash; _flatcost_opts "$1"' _ "$c" |
		    tr -s ' \t\n' '\n' | grep . | sort -u)
		diff -u <(echo "$want") <(echo "$got") || { echo "zsh: $c"; return 1; }
	done
	# the lists are the tables': sweep's has --shard and -o, simulate's --currency
	grep -qx -- --shard <<<"$(table_options sweep)"
	grep -qx -- -o <<<"$(table_options sweep)"
	grep -qx -- --currency <<<"$(table_options simulate)"
}

@test "completion: an option's values come from its table entry" {
	run complete_line "flatcost report x.yaml --format "
	[ "$output" = "html
md" ]
	run complete_line "flatcost tokens x.txt --tokenizer o2"
	[ "$output" = "o200k_base" ]
	run complete_line "flatcost calibrate x.csv --log-format lit"
	[ "$output" = "litellm" ]
	run complete_line "flatcost sweep x.yaml --plot-script tests/cli/fixtures-sw"
	[ "$output" = "tests/cli/fixtures-sweep" ]
}

@test "completion: the references come from the binary's catalog" {
	run "$FLATCOST" help --complete hardware
	expect_status 0
	grep -qx hetzner/cx33 <<<"$output"
	run "$FLATCOST" help --complete keys
	grep -qx flat.hardware <<<"$output"
	grep -qx users <<<"$output"
	if command -v zsh >/dev/null; then
		zsh -n completions/_flatcost
	fi
}
