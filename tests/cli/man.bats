#!/usr/bin/env bats
# The man pages against the code: mandoc -Tlint clean; every long option
# of a command's option table (as the binary dumps it: `flatcost help
# --complete options CMD`) documented under that command's subsection of
# flatcost.1, or in its own page for bench and synth-model, and in the
# command's SYNOPSIS, which names no option the table lacks; every key of
# model/scenario.c rows[] in its section of flatcost-scenario.5, with the
# same default.  Adding an option or a key without documenting it fails
# here.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	cd_repo
}

# Commands with a page of their own instead of a subsection of flatcost.1.
OWN_PAGE="bench synth-model"

# commands: the names `flatcost help` lists.
commands() {
	"$FLATCOST" help | awk '/^commands:/ { f = 1; next }
	    f && /^  [a-z]/ { print $1 } f && NF == 0 { exit }'
}

# options CMD: the long options of CMD's option table, "help" left out, as
# the binary dumps them.  Fails when the dump fails or has no --help (every
# table has it), so a broken dump cannot make these tests pass vacuously.
options() {
	local opts
	opts=$("$FLATCOST" help --complete options "$1") || {
		echo "$1: flatcost help --complete options failed" >&2
		return 1
	}
	if ! grep -qx -- --help <<<"$opts"; then
		echo "$1: no --help in its option table" >&2
		return 1
	fi
	sed -n 's/^--//p' <<<"$opts" | grep -vx help || true
}

# subsection PAGE NAME: the text of `.Ss NAME` up to the next .Ss or .Sh.
subsection() {
	awk -v n="$2" '$0 == ".Ss " n { f = 1; next } f && /^\.S[hs] / { exit } f' "$1"
}

# documented TEXT OPT: whether TEXT has `Fl -OPT` or `\-\-OPT`, OPT whole.
documented() {
	grep -Eq -- '(Fl -|\\-\\-)'"$2"'([^A-Za-z0-9_-]|$)' <<<"$1"
}

# undocumented_in PAGE CMD [SUBSECTION]: prints CMD's long options missing
# from PAGE (from its SUBSECTION when given); fails when any is.
undocumented_in() {
	local page=$1 cmd=$2 text opts o missing=0
	opts=$(options "$cmd") || return 1
	if [ -n "${3-}" ]; then
		text=$(subsection "$page" "$3")
		if [ -z "$text" ]; then
			echo "$page: no .Ss $3"
			return 1
		fi
	else
		text=$(cat "$page")
	fi
	for o in $opts; do
		if ! documented "$text" "$o"; then
			echo "$page: $cmd --$o is not documented${3:+ under .Ss $3}"
			missing=1
		fi
	done
	return "$missing"
}

# rows: model/scenario.c rows[] as "SECTION KEY TYPE DEFAULT", SECTION "-"
# for the top level.
rows() {
	awk '/^static const struct srow rows\[\]/, /^};/' model/scenario.c |
	    sed -nE 's/^[[:space:]]*\{ "([a-z0-9_.]*)", "([a-z0-9_]+)", (FT_[A-Z]+), [^,]+, [^,]+, [^,]+, [^,]+, ([^,]+),.*/\1 \2 \3 \4/p' |
	    sed -E 's/^ /- /'
}

# key_section SECTION: the .Ss of flatcost-scenario.5 that documents it.
key_section() {
	case $1 in
	-) echo "Top level" ;;
	*) echo "${1%%.*}" ;;
	esac
}

@test "mandoc -Tlint -Wwarning is clean on every man page" {
	local p out n=0 bad=0
	command -v mandoc >/dev/null || skip "mandoc is not installed (apt-get install mandoc)"
	for p in man/*.1 man/*.5; do
		[ -f "$p" ] || continue
		n=$((n + 1))
		if ! out=$(mandoc -Tlint -Wwarning "$p" 2>&1) || [ -n "$out" ]; then
			echo "$p:"
			echo "$out"
			bad=1
		fi
	done
	[ "$n" -ge 2 ]
	[ "$bad" -eq 0 ]
}

@test "flatcost help lists the commands, and help CMD and CMD --help work for each" {
	local c cmds
	cmds=$(commands)
	grep -qx simulate <<<"$cmds"
	grep -qx validate <<<"$cmds"
	for c in $cmds; do
		run "$FLATCOST" help "$c"
		if [ "$status" -ne 0 ] || ! grep -q "^usage: flatcost $c" <<<"$output"; then
			echo "flatcost help $c: status $status, output: $output"
			return 1
		fi
		[ "$c" = help ] && continue
		run "$FLATCOST" "$c" --help
		if [ "$status" -ne 0 ] || ! grep -q "^usage: flatcost $c" <<<"$output"; then
			echo "flatcost $c --help: status $status, output: $output"
			return 1
		fi
	done
}

@test "every command is in the SYNOPSIS of flatcost.1 and has its own subsection" {
	local c synopsis bad=0
	synopsis=$(awk '/^\.Sh SYNOPSIS/ { f = 1; next } f && /^\.Sh / { exit } f' man/flatcost.1)
	for c in $(commands); do
		if ! grep -qx "\.Cm $c" <<<"$synopsis"; then
			echo "man/flatcost.1: $c is not in the SYNOPSIS"
			bad=1
		fi
		if [ -z "$(subsection man/flatcost.1 "$c")" ]; then
			echo "man/flatcost.1: no .Ss $c"
			bad=1
		fi
	done
	[ "$bad" -eq 0 ]
}

@test "every long option of every command is documented under it in flatcost.1" {
	local c bad=0 n=0
	for c in $(commands); do
		case " $OWN_PAGE " in *" $c "*) continue ;; esac
		n=$((n + 1))
		undocumented_in man/flatcost.1 "$c" "$c" || bad=1
	done
	[ "$n" -ge 7 ]
	[ "$bad" -eq 0 ]
}

@test "bench options are documented in flatcost-bench.1" {
	[ -f man/flatcost-bench.1 ] || skip "man/flatcost-bench.1 is not written yet"
	undocumented_in man/flatcost-bench.1 bench
}

@test "synth-model options are documented in flatcost-synth-model.1" {
	[ -f man/flatcost-synth-model.1 ] || skip "man/flatcost-synth-model.1 is not written yet"
	undocumented_in man/flatcost-synth-model.1 synth-model
}

@test "bench and synth-model in flatcost.1 point to their own pages" {
	local c
	for c in $OWN_PAGE; do
		grep -qx "\.Xr flatcost-$c 1 \." <<<"$(subsection man/flatcost.1 "$c")"
	done
}

@test "the option check fails when an option loses its documentation" {
	local page="$BATS_TEST_TMPDIR/flatcost.1"
	undocumented_in man/flatcost.1 sweep sweep
	# the only documentation of sweep --plot-script is its .It line
	sed '/^\.It Fl -plot-script /d' man/flatcost.1 >"$page"
	run undocumented_in "$page" sweep sweep
	[ "$status" -ne 0 ]
	[[ "$output" == *"sweep --plot-script is not documented"* ]]
	# and a prefix does not stand for the option: --plot stays documented
	[[ "$output" != *"sweep --plot is not"* ]]
}

@test "every key of model/scenario.c rows[] is in its section of flatcost-scenario.5" {
	local sec key type def text path n=0 bad=0
	while read -r sec key type def; do
		n=$((n + 1))
		path=$key
		[ "$sec" = - ] || path=$sec.$key
		text=$(subsection man/flatcost-scenario.5 "$(key_section "$sec")")
		if ! grep -Eq "^\.It Ic $key([^A-Za-z0-9_]|\$)" <<<"$text"; then
			echo "man/flatcost-scenario.5: $path is not under .Ss $(key_section "$sec")"
			bad=1
		fi
	done < <(rows)
	[ "$n" -ge 40 ]
	[ "$bad" -eq 0 ]
}

@test "flatcost-scenario.5 gives each key the type, default and requiredness of rows[]" {
	local sec key type def line where bad=0
	while read -r sec key type def; do
		line=$(subsection man/flatcost-scenario.5 "$(key_section "$sec")" |
		    grep -E "^\.It Ic $key([^A-Za-z0-9_]|\$)" | head -1)
		where="man/flatcost-scenario.5: $key ($line)"
		if [ "$def" = REQ ]; then
			if [[ "$line" != *required* ]]; then
				echo "$where: should say required"
				bad=1
			fi
			continue
		fi
		case $type in
		FT_NUM | FT_INT) ;;
		*) continue ;;
		esac
		if ! grep -Eq "default $def([^0-9.]|\$)" <<<"$line"; then
			echo "$where: should say default $def"
			bad=1
		fi
		if [ "$type" = FT_INT ] && [[ "$line" != *integer* ]]; then
			echo "$where: should say integer"
			bad=1
		fi
		if [ "$type" = FT_NUM ] && [[ "$line" != *number* ]]; then
			echo "$where: should say number"
			bad=1
		fi
	done < <(rows)
	[ "$bad" -eq 0 ]
}

# in_usage CMD: prints CMD's long options missing from its synopsis (the
# usage of cmd/flatcost.c that `flatcost help CMD` prints); fails when any
# is.  --output is shown as -o FILE, --help by `flatcost help CMD` itself.
in_usage() {
	local cmd=$1 text opts o missing=0
	opts=$(options "$cmd") || return 1
	text=$("$FLATCOST" help "$cmd" | sed '/^$/,$d')
	for o in $opts; do
		[ "$o" = output ] && grep -q -- '-o FILE' <<<"$text" && continue
		if ! grep -Eq -- "--$o"'([^A-Za-z0-9_-]|$)' <<<"$text"; then
			echo "flatcost help $cmd: --$o is not in the synopsis"
			missing=1
		fi
	done
	return "$missing"
}

# in_own_synopsis CMD: the same for a command with a page of its own,
# whose SYNOPSIS there is the full one (`help CMD` points to the page).
in_own_synopsis() {
	local cmd=$1 text opts o missing=0
	opts=$(options "$cmd") || return 1
	text=$(sed -n '/^\.Sh SYNOPSIS/,/^\.Sh [A-RT-Z]/p' "man/flatcost-$cmd.1")
	for o in $opts; do
		[ "$o" = output ] && grep -q 'Fl o Ar' <<<"$text" && continue
		if ! documented "$text" "$o"; then
			echo "flatcost-$cmd.1: --$o is not in the SYNOPSIS"
			missing=1
		fi
	done
	return "$missing"
}

@test "every long option of every command is in its synopsis (flatcost help CMD)" {
	local c bad=0 n=0
	for c in $(commands); do
		n=$((n + 1))
		case " $OWN_PAGE " in
		*" $c "*) in_own_synopsis "$c" || bad=1 ;;
		*) in_usage "$c" || bad=1 ;;
		esac
	done
	[ "$n" -ge 10 ]
	[ "$bad" -eq 0 ]
}

@test "the synopsis check fails when an option is left out of a usage" {
	# a usage without --strict-data, as a fake flatcost that prints it
	local fake="$BATS_TEST_TMPDIR/flatcost"
	printf '#!/bin/sh\n"%s" "$@" | sed "s/ \\[--strict-data\\]//"\n' "$FLATCOST" >"$fake"
	chmod +x "$fake"
	in_usage simulate
	FLATCOST=$fake run in_usage simulate
	[ "$status" -ne 0 ]
	[[ "$output" == *"flatcost help simulate: --strict-data is not in the synopsis"* ]]
}

# synopsis_block PAGE CMD: the lines of PAGE's SYNOPSIS for CMD, from each
# `.Cm CMD` (or `.Cm CMD SUBCOMMAND`) to the next `.Nm`: every form.
synopsis_block() {
	awk -v c="$2" '/^\.Sh SYNOPSIS/ { s = 1; next } s && /^\.Sh / { exit }
	    s && /^\.Nm/ { f = 0; next }
	    s && ($0 == ".Cm " c || index($0, ".Cm " c " ") == 1) { f = 1; next } f' "$1"
}

# synopsis_drift PAGE CMD: prints CMD's options missing from PAGE's
# SYNOPSIS and the options it shows that the table lacks; fails when any.
synopsis_drift() {
	local page=$1 cmd=$2 text opts o bad=0
	opts=$(options "$cmd") || return 1
	text=$(synopsis_block "$page" "$cmd")
	if [ -z "$text" ]; then
		echo "$page: no SYNOPSIS for $cmd"
		return 1
	fi
	for o in $opts; do
		[ "$o" = output ] && grep -q '^\.\(Op \)\?Fl o ' <<<"$text" && continue
		if ! grep -Eq -- "Fl -$o"'([^A-Za-z0-9_-]|$)' <<<"$text"; then
			echo "$page: $cmd --$o is not in the SYNOPSIS"
			bad=1
		fi
	done
	for o in $(grep -oE -- 'Fl -[a-z0-9-]+' <<<"$text" | sed 's/^Fl -//' | sort -u); do
		if ! grep -qx -- "$o" <<<"$opts"; then
			echo "$page: the SYNOPSIS of $cmd shows --$o, which it does not take"
			bad=1
		fi
	done
	return "$bad"
}

@test "the SYNOPSIS of every command is its option table" {
	local c bad=0 n=0
	for c in $(commands); do
		n=$((n + 1))
		case " $OWN_PAGE " in
		*" $c "*) synopsis_drift "man/flatcost-$c.1" "$c" || bad=1 ;;
		*) synopsis_drift man/flatcost.1 "$c" || bad=1 ;;
		esac
	done
	[ "$n" -ge 10 ]
	[ "$bad" -eq 0 ]
}

@test "the SYNOPSIS check fails on an option the table lacks or a missing one" {
	local page="$BATS_TEST_TMPDIR/flatcost.1"
	synopsis_drift man/flatcost.1 diff
	sed -e '/^\.Cm diff$/a .Op Fl -bogus' -e '/^\.Op Fl -fail-above/d' man/flatcost.1 >"$page"
	run synopsis_drift "$page" diff
	[ "$status" -ne 0 ]
	[[ "$output" == *"diff --fail-above is not in the SYNOPSIS"* ]]
	[[ "$output" == *"the SYNOPSIS of diff shows --bogus"* ]]
}

@test "help CMD lists every option of the table with a line of help" {
	local c o bad=0 text
	for c in $(commands); do
		text=$("$FLATCOST" help "$c" | sed -n '/^options:$/,/^$/p')
		for o in $(options "$c") help; do
			if ! grep -Eq -- "^  (-[a-z], |    )--$o( [^ ]+)?( +[^ ]|$)" <<<"$text"; then
				echo "flatcost help $c: no line for --$o"
				bad=1
			fi
		done
	done
	[ "$bad" -eq 0 ]
	# an option's line has its placeholder and its help
	"$FLATCOST" help simulate | grep -qE -- '^      --trials N +Monte Carlo trials'
	"$FLATCOST" help sweep | grep -qE -- '^  -o, --output FILE +write the report'
}
