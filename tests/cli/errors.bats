#!/usr/bin/env bats
# Malformed scenarios and --set overrides: the exact stderr (file:line:col,
# message, source line, caret, summary), exit status 2 and empty stdout.
#
# Each case is tests/cli/errors/NN-name.yaml with its expected stderr in
# tests/cli/errors/NN-name.err (49-nonexistent has no .yaml on purpose;
# 50-directory.yaml is a directory).  --set cases are set-NN-name.err.
#
# After a deliberate change of wording, regenerate the goldens with
#   FLATCOST_UPDATE_GOLDEN=1 bats tests/cli/errors.bats
# (each rewritten golden fails its test) and read every changed .err with
# `git diff` before committing it; then run the suite again without it.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	cd_repo
}

# expect_golden NAME ARGS...: runs flatcost ARGS and compares its stderr
# with tests/cli/errors/NAME.err.
expect_golden() {
	local golden="tests/cli/errors/$1.err"
	shift
	run --separate-stderr fc "$@"
	update_golden "$golden" "$stderr"
	diff -u "$golden" <(printf '%s\n' "$stderr")
	if [ "$status" -ne 2 ]; then
		echo "exit status $status, expected 2"
		return 1
	fi
	if [ -n "$output" ]; then
		echo "stdout should be empty, got: $output"
		return 1
	fi
}

# validate_golden NAME: `flatcost validate tests/cli/errors/NAME.yaml`.
validate_golden() {
	expect_golden "$1" validate "tests/cli/errors/$1.yaml"
}

@test "01 a string where a number goes" { validate_golden 01-users-string; }
@test "02 a list where a number goes" { validate_golden 02-days-list; }
@test "03 a mapping where a string goes" { validate_golden 03-name-mapping; }
@test "04 negative users" { validate_golden 04-users-negative; }
@test "05 a number too large for a double (1e400)" {
	validate_golden 05-input-tokens-1e400
}
@test "06 users 1e12 is over the limit" { validate_golden 06-users-1e12; }
@test "07 .nan" { validate_golden 07-users-dot-nan; }
@test "08 nan" { validate_golden 08-output-tokens-nan; }
@test "09 .inf" { validate_golden 09-users-dot-inf; }
@test "10 -.inf" { validate_golden 10-input-tokens-minus-inf; }
@test "11 unknown key input_token, with a hint" { validate_golden 11-unknown-key-input-token; }
@test "12 unknown key worklaod, with a hint" { validate_golden 12-unknown-key-worklaod; }
@test "13 unknown key without a hint" { validate_golden 13-unknown-key-no-hint; }
@test "14 duplicate key" { validate_golden 14-duplicate-key; }
@test "15 unresolved price openai/gpt-4x" { validate_golden 15-unknown-price; }
@test "16 unresolved hardware hetzner/cx99" { validate_golden 16-unknown-hardware; }
@test "17 unresolved model qwen2.5-7b-q5" { validate_golden 17-unknown-model; }
@test "18 phi-4-f16 does not fit in a cx23's RAM" { validate_golden 18-model-does-not-fit; }
@test "19 a tab used for indentation" { validate_golden 19-tab-indent; }
@test "20 an empty file" { validate_golden 20-empty; }
@test "21 a file with only comments" { validate_golden 21-only-comments; }
@test "22 binary garbage" { validate_golden 22-binary-garbage; }
@test "23 YAML syntax error: unclosed bracket" {
	validate_golden 23-unclosed-bracket
}
@test "24 a top-level list" { validate_golden 24-top-level-list; }
@test "25 missing users" { validate_golden 25-missing-users; }
@test "26 missing workload" { validate_golden 26-missing-workload; }
@test "27 missing api.price" { validate_golden 27-missing-api-price; }
@test "28 flatcost: 2" { validate_golden 28-schema-version-2; }
@test "29 top10_share 1.5" { validate_golden 29-top10-share-too-big; }
@test "30 cached_input_share -0.1" { validate_golden 30-cached-share-negative; }
@test "31 unknown distribution lognorma, with a hint" { validate_golden 31-dist-unknown-lognorma; }
@test "32 uniform with min > max" { validate_golden 32-uniform-min-gt-max; }
@test "33 lognormal with cv < 0" { validate_golden 33-lognormal-cv-negative; }
@test "34 lognormal with mean 0" { validate_golden 34-lognormal-mean-zero; }
@test "35 triangular with the mode outside min..max" { validate_golden 35-triangular-mode-outside; }
@test "36 distribution missing a parameter" { validate_golden 36-dist-missing-param; }
@test "37 range 60 to 20" { validate_golden 37-range-reversed; }
@test "38 diurnal list of 23" {
	validate_golden 38-diurnal-wrong-length
}
@test "39 fallback share list with 1.5" { validate_golden 39-fallback-share-list-above-1; }
@test "40 YAML anchor" { validate_golden 40-yaml-anchor; }
@test "41 YAML alias" { validate_golden 41-yaml-alias; }
@test "42 more than 20 errors: 20 shown, the rest counted" {
	validate_golden 42-too-many-errors
	[ "$(grep -c ': error: ' <<<"$stderr")" -eq 20 ]
	grep -qx 'flatcost: 5 more errors not shown' <<<"$stderr"
}
@test "43 an empty api section" { validate_golden 43-empty-api-section; }
@test "44 two YAML documents" { validate_golden 44-two-documents; }
@test "45 trials not a whole number" { validate_golden 45-trials-not-whole; }
@test "46 billing hourley, with a hint" { validate_golden 46-billing-typo; }
@test "47 unknown distribution parameter" { validate_golden 47-unknown-dist-param; }
@test "48 inline price without output" { validate_golden 48-inline-price-missing-output; }
@test "49 a file that does not exist" {
	[ ! -e tests/cli/errors/49-nonexistent.yaml ]
	validate_golden 49-nonexistent
}
@test "50 a directory" {
	[ -d tests/cli/errors/50-directory.yaml ]
	expect_golden 50-directory validate tests/cli/errors/50-directory.yaml
}

@test "every case has its golden and every golden its test" {
	local f n
	for f in tests/cli/errors/*.yaml; do
		[ -f "${f%.yaml}.err" ] || [ -f "$f.err" ] || { echo "no golden for $f"; return 1; }
	done
	for f in tests/cli/errors/*.err; do
		n=$(basename "$f" .err)
		grep -q "_golden $n\b" "$BATS_TEST_FILENAME" ||
			{ echo "no test uses $f"; return 1; }
	done
	[ "$(ls tests/cli/errors/*.err | wc -l)" -ge 35 ]
}

@test "validate reports every file and fails if one is bad" {
	run --separate-stderr fc validate tests/cli/fixtures/basic.yaml \
	    tests/cli/errors/04-users-negative.yaml
	[ "$status" -eq 2 ]
	[ "$output" = "tests/cli/fixtures/basic.yaml: ok" ]
	grep -q '^tests/cli/errors/04-users-negative.yaml:2:8: error: ' <<<"$stderr"
}

@test "simulate of a bad scenario prints the same errors and writes nothing" {
	run --separate-stderr fc simulate tests/cli/errors/31-dist-unknown-lognorma.yaml
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	diff -u tests/cli/errors/31-dist-unknown-lognorma.err <(printf '%s\n' "$stderr")
}

# --set: diagnostics point into the pseudo-file "--set", line = the
# override's position (1-based), column within the KEY=VALUE text.

@test "--set unknown key, with a hint" {
	expect_golden set-01-unknown-key simulate tests/cli/fixtures/basic.yaml \
	    --set workload.input_token=900
}
@test "--set unknown key without a hint" {
	expect_golden set-02-unknown-key-no-hint simulate tests/cli/fixtures/basic.yaml \
	    --set colour=blue
}
@test "--set value out of range" {
	expect_golden set-03-out-of-range simulate tests/cli/fixtures/basic.yaml \
	    --set workload.top10_share=2
}
@test "--set malformed value" {
	expect_golden set-04-malformed-value simulate tests/cli/fixtures/basic.yaml \
	    --set users=abc
}
@test "--set YAML syntax error in the value" {
	expect_golden set-05-unclosed-flow simulate tests/cli/fixtures/basic.yaml \
	    --set 'users=[1,'
}
@test "--set without '='" {
	expect_golden set-06-not-key-value simulate tests/cli/fixtures/basic.yaml \
	    --set users
}
@test "--set: the second override's error is on line 2" {
	expect_golden set-07-second-override simulate tests/cli/fixtures/basic.yaml \
	    --set users=2000 --set workload.input_tokens=-1
}
@test "--set a distribution with an unknown name points inside the value" {
	expect_golden set-08-dist-in-value simulate tests/cli/fixtures/basic.yaml \
	    --set 'workload.input_tokens={dist: lognorma, mean: 900, cv: 0.5}'
}

@test "--set users=2000 doubles api.monthly_cost" {
	local one two
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml \
	    --deterministic --format json
	[ "$status" -eq 0 ]
	one=$(jq -r '.api.monthly_cost' <<<"$output")
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml \
	    --deterministic --format json --set users=2000
	[ "$status" -eq 0 ]
	two=$(jq -r '.api.monthly_cost' <<<"$output")
	[ "$one" = 6750 ] || [ "$one" = 6750.0 ]
	[ "$two" = 13500 ] || [ "$two" = 13500.0 ]
	[ "$(jq -r '.users' <<<"$output")" = 2000.0 ] || [ "$(jq -r '.users' <<<"$output")" = 2000 ]
}

@test "--set overrides a nested key and a section the file lacks" {
	run --separate-stderr fc simulate tests/cli/fixtures/basic.yaml \
	    --deterministic --format json --set workload.input_tokens=2000 \
	    --set other_costs.fixed_monthly=100
	[ "$status" -eq 0 ]
	# 900,000 calls x (2,000 x 2.50 + 500 x 10) / 1e6 = 9,000; + 100 other
	[ "$(jq '.api.llm_cost == 9000 and .api.monthly_cost == 9100' <<<"$output")" = true ]
}

# Messages that name the corrected form.
@test "51 a key without ':' is reported on its own line, with the excerpt" {
	validate_golden 51-key-without-colon
}
@test "--set users=1.5k suggests 1500" {
	expect_golden set-09-suffix-k simulate tests/cli/fixtures/basic.yaml --set users=1.5k
}
@test "--set 50% suggests 0.5" {
	expect_golden set-10-percent simulate tests/cli/fixtures/basic.yaml \
	    --set workload.top10_share=50%
}
@test "--set \$12 suggests 12" {
	expect_golden set-11-dollar simulate tests/cli/fixtures/basic.yaml \
	    --set 'other_costs.fixed_monthly=$12'
}
@test "--set 3,000 suggests 3000" {
	expect_golden set-12-thousands simulate tests/cli/fixtures/basic.yaml --set users=3,000
}
@test "--set 20-60 suggests '20 to 60'" {
	expect_golden set-13-dash-range simulate tests/cli/fixtures/basic.yaml \
	    --set workload.input_tokens=20-60
}
@test "--set users= says the value is missing" {
	expect_golden set-14-empty-value simulate tests/cli/fixtures/basic.yaml --set users=
}
@test "--set a model without its quantization suggests one" {
	expect_golden set-15-model-without-quant simulate tests/cli/fixtures/basic.yaml \
	    --set flat.model=qwen2.5-7b
}
@test "--set a model far from its name still gets a suggestion" {
	expect_golden set-16-model-typo simulate tests/cli/fixtures/basic.yaml \
	    --set flat.model=qwen7b-q4_k_m
}
@test "--set users=4.9e-324 is a number, and not a whole one" {
	expect_golden set-17-denormal simulate tests/cli/fixtures/basic.yaml --set users=4.9e-324
}
@test "--vary errors point into --vary, not --set" {
	expect_golden vary-01-point sweep tests/cli/fixtures/basic.yaml --deterministic \
	    --vary flat.slots=1:5000:3
}
@test "percentile: 95 suggests p95" {
	expect_golden budget-01-percentile-95 check tests/cli/fixtures/basic.yaml --deterministic \
	    --budget tests/cli/errors/budget-01-percentile-95.yaml
}
@test "a missing input file exits 2 in every command, in one shape" {
	local b=tests/cli/fixtures/basic.yaml m=tests/cli/errors/49-nonexistent.yaml
	[ ! -e "$m" ]
	for args in "validate $m" "simulate $m" "sweep $m --users 10:1000:3" "compare $m" \
	    "sensitivity $m" "check $m" "check $b --deterministic --budget $m" "diff $b $m" \
	    "report $m -o $OUT/r.html" "merge $m" "data import $m"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$FLATCOST" $args
		[ "$status" -eq 2 ] || { echo "$args: exit $status"; false; }
		grep -qx "$m: error: cannot open: No such file or directory" <<<"$stderr" ||
		    { echo "$args: $stderr"; false; }
		[ -z "$output" ]
	done
	[ ! -e "$OUT/r.html" ]
}

@test "flatcost(1) documents every exit status the commands use" {
	local s
	for s in 0 1 2 3 4 130; do
		sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' man/flatcost.1 | grep -qx "\.It $s"
	done
	# the enum in cli.h is the list
	[ "$(grep -c '^	EXIT_[A-Z]* = [0-9]*,' cmd/cli.h)" -eq 6 ]
}
