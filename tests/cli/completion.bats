#!/usr/bin/env bats
# Shell completion: completions/flatcost.bash sourced
# into bash completes commands, options, --set keys and the catalog's
# references; its option lists and the zsh file's are the commands'
# getopt_long tables (read from the C, as man.bats does).

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

# long options of command $1 from its getopt_long table, and -o when it
# takes an output
table_options() {
	local f="cmd/cmd_${1//-/_}.c"
	sed -nE 's/^[[:space:]]*\{[[:space:]]*"([A-Za-z0-9_-]+)",[[:space:]]*(no|required|optional)_argument.*/--\1/p' "$f"
	grep -qE '"output",[[:space:]]*required_argument' "$f" && echo -o
	grep -qE '"help",[[:space:]]*no_argument' "$f" || echo --help
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

@test "completion: the bash and zsh option lists are the commands' option tables" {
	local c want got
	for c in $("$FLATCOST" help --complete commands); do
		grep -q "struct option" "cmd/cmd_${c//-/_}.c" 2>/dev/null || continue
		want=$(table_options "$c" | sort -u)
		got=$(complete_line "flatcost $c -" | sort -u)
		diff -u <(echo "$want") <(echo "$got") || { echo "bash: $c"; return 1; }
		got=$(awk -v c="$c" '$1 == c ")" || $1 == c")" { f = 1 } f { print } f && /;;/ { exit }' \
		    completions/_flatcost | grep -oE -- '(^|[[:space:](])-[-a-z0-9]+' |
		    tr -d ' \t(' | sort -u)
		diff -u <(echo "$want") <(echo "$got") || { echo "zsh: $c"; return 1; }
	done
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
