#!/usr/bin/env bats
# The library's names (docs/architecture.md, "Names"): every symbol
# libflatcost.a exports starts with fc_, no static function of model/ is
# named like a public one, and no name scripts/rename-symbols.sh renamed
# is back in the sources.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	cd_repo
}

@test "names: every symbol libflatcost.a exports starts with fc_" {
	[ -f build/libflatcost.a ] || skip "build/libflatcost.a is not built"
	command -v nm >/dev/null || skip "nm is not installed"
	local syms
	syms=$(nm -g --defined-only build/libflatcost.a | awk '$2 ~ /^[TDRB]$/ { print $3 }')
	[ "$(wc -l <<<"$syms")" -ge 200 ]
	run grep -v '^fc_' <<<"$syms"
	[ -z "$output" ] || { echo "exported without fc_: $output"; return 1; }
}

@test "names: no static function of model/ carries the public prefix" {
	run bash -c 'grep -Hn -A1 "^static " model/*.c | grep -E "^model/[a-z_0-9]+\.c-[0-9]+-fc_[a-z0-9_]+\("'
	[ -z "$output" ] || { echo "static with fc_: $output"; return 1; }
	# the pattern finds one
	run bash -c 'printf "static int\nfc_x(void)\n" >"$1/y.c" && grep -Hn -A1 "^static " "$1/y.c" |
	    grep -cE "^[^:]*-[0-9]+-fc_[a-z0-9_]+\("' _ "$BATS_TEST_TMPDIR"
	[ "$output" = 1 ]
}

@test "names: no name scripts/rename-symbols.sh renamed is back" {
	scripts/rename-symbols.sh --check
	# and the check fails on one, which the script then renames, once (the
	# old name is spelt in two pieces here, or this file would hold it)
	local r=$BATS_TEST_TMPDIR/repo old=fc_flat_ new=fc_breakeven_flat_
	old=${old}cheaper new=${new}cheaper
	mkdir -p "$r/scripts" "$r/model"
	cp scripts/rename-symbols.sh "$r/scripts/"
	printf 'int %s(void);\n' "$old" >"$r/model/x.h"
	run "$r/scripts/rename-symbols.sh" --check
	[ "$status" -eq 1 ]
	[[ "$output" == *"$old is still in use (now $new)"* ]]
	"$r/scripts/rename-symbols.sh"
	[ "$(cat "$r/model/x.h")" = "int $new(void);" ]
	run "$r/scripts/rename-symbols.sh"
	[[ "$output" == *"0 names renamed"* ]]
	[ "$(cat "$r/model/x.h")" = "int $new(void);" ]
}
