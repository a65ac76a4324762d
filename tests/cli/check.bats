#!/usr/bin/env bats
# `flatcost check`: budgets from a scenario's budget: section or --budget
# FILE, every exit status (0 pass or warn, 1 a budget failed, 2 bad input
# with nothing written, 3 an output that cannot be written, with no partial
# file), a value exactly at its limit, JUnit XML (xmllint), Markdown and
# JSON.  Fixtures: tests/cli/fixtures-budget/; their limits sit far from the
# model's values, except `users` and `revenue`, which sit exactly at theirs,
# so the tests do not move when the cost model does.

bats_require_minimum_version 1.5.0

load helpers

F=tests/cli/fixtures-budget

setup() {
	cd_repo
	make_out
}

# bad_input ARGS...: exit 2, nothing on stdout, -o and --junit files not
# created, an error on stderr.
bad_input() {
	run --separate-stderr "$FLATCOST" check "$@" -o "$OUT/report.txt" --junit "$OUT/junit.xml"
	expect_status 2
	[ -z "$output" ]
	[ -n "$stderr" ]
	refute test -e "$OUT/report.txt"
	refute test -e "$OUT/junit.xml"
	[ -z "$(ls "$OUT")" ]
}

# xpath EXPR FILE: the value of an XPath expression.
xpath() {
	xmllint --xpath "$1" "$2"
}

@test "every budget passes: exit 0, one row per budget, nothing on stderr" {
	run --separate-stderr "$FLATCOST" check $F/ok/base.yaml
	expect_status 0
	[ -z "$(sans_data_warnings)" ]
	[ "$(grep -c ' pass$' <<<"$output")" -eq 9 ]
	grep -q '^SCENARIO  *FIGURE  *AT  *VALUE  *LIMIT  *STATUS$' <<<"$output"
	grep -q "^$F/ok/base.yaml  *per_user.flat  *p95 .* pass$" <<<"$output"
	grep -q "^$F/ok/base.yaml  *flat.servers  *p50 .*50,000  pass$" <<<"$output"
	[ "$(tail -1 <<<"$output")" = "9 budgets: 9 passed, 0 warned, 0 failed" ]
}

@test "a value exactly at its limit passes (Monte Carlo mean and deterministic)" {
	run --separate-stderr "$FLATCOST" check $F/ok/base.yaml --format json
	expect_status 0
	[ "$(jq -r '.scenarios[0].budgets[] | select(.figure == "users") | "\(.value) \(.limit) \(.status)"' <<<"$output")" = "5000 5000 pass" ]
	[ "$(jq -r '.scenarios[0].budgets[] | select(.figure == "revenue") | "\(.value) \(.warn) \(.fail) \(.status)"' <<<"$output")" = "100000 100000 100000 pass" ]
	run --separate-stderr "$FLATCOST" check $F/ok/base.yaml --format json --deterministic
	expect_status 0
	[ "$(jq -r '.scenarios[0].mode' <<<"$output")" = deterministic ]
	[ "$(jq -r '.scenarios[0].budgets[] | select(.figure == "users") | "\(.value) \(.status)"' <<<"$output")" = "5000 pass" ]
	[ "$(jq -r '.status' <<<"$output")" = pass ]
}

@test "one over its limit fails: exit 1, the budget's file:line:col on stderr" {
	# 5001 users: users is 1 over its limit, and revenue 20 USD over
	run --separate-stderr "$FLATCOST" check $F/ok/base.yaml --set users=5001
	expect_status 1
	grep -q "^$F/ok/base.yaml  *users  *mean  *5,001  *5,000  fail$" <<<"$output"
	grep -qx "$F/ok/base.yaml:26:3: error: users at mean is 5,001, over the fail limit 5,000" <<<"$stderr"
	grep -qx "$F/ok/base.yaml:27:3: error: revenue at mean is \\\$100,020.00, over the fail limit \\\$100,000.00" <<<"$stderr"
	grep -qx "flatcost: 2 of 9 budgets failed" <<<"$stderr"
}

@test "failed budgets: exit 1, rows marked fail, the table is still written" {
	run --separate-stderr "$FLATCOST" check $F/over.yaml -o "$OUT/report.txt"
	expect_status 1
	[ -z "$output" ]
	[ "$(grep -c ' fail$' "$OUT/report.txt")" -eq 2 ]
	[ "$(tail -1 "$OUT/report.txt")" = "3 budgets: 1 passed, 0 warned, 2 failed" ]
	grep -qx "$F/over.yaml:20:3: error: per_user.flat at p95 is .*, over the fail limit \\\$0.0010" <<<"$stderr"
	grep -qx "flatcost: 2 of 3 budgets failed" <<<"$stderr"
}

@test "warnings: exit 0, rows marked warn, warnings on stderr" {
	run --separate-stderr "$FLATCOST" check $F/warn.yaml
	expect_status 0
	[ "$(grep -c ' warn$' <<<"$output")" -eq 2 ]
	[ "$(sans_data_warnings | grep -c ': warning: ')" -eq 2 ]
	grep -q "^$F/warn.yaml:20:3: warning: per_user.flat at p95 is .*, over the warn limit \\\$0.0010$" <<<"$stderr"
	refute grep -q error <<<"$stderr"
}

@test "a scenario without a budget: a warning, not a failure" {
	run --separate-stderr "$FLATCOST" check $F/ok/nobudget.yaml
	expect_status 0
	grep -qx "flatcost: warning: $F/ok/nobudget.yaml: no budget to check" <<<"$stderr"
	[ "$output" = "0 budgets: 0 passed, 0 warned, 0 failed; 1 scenario without a budget" ]
}

@test "several scenarios, and a directory for its YAML files: one failure fails the run" {
	run --separate-stderr "$FLATCOST" check $F/ok
	expect_status 0
	[ "$(grep -c ' pass$' <<<"$output")" -eq 9 ]
	grep -q "nobudget.yaml: no budget" <<<"$stderr"
	run --separate-stderr "$FLATCOST" check $F/ok/ $F/warn.yaml $F/over.yaml
	expect_status 1
	[ "$(tail -1 <<<"$output")" = "14 budgets: 10 passed, 2 warned, 2 failed; 1 scenario without a budget" ]
}

@test "--budget FILE replaces the scenarios' own budgets" {
	run --separate-stderr "$FLATCOST" check $F/ok/base.yaml $F/ok/nobudget.yaml --budget $F/budgets/budgets.yaml
	expect_status 0
	[ -z "$(sans_data_warnings)" ]
	[ "$(grep -c ' pass$' <<<"$output")" -eq 4 ]
	run --separate-stderr "$FLATCOST" check $F/ok/base.yaml --budget $F/budgets/budgets-fail.yaml
	expect_status 1
	grep -q "^$F/budgets/budgets-fail.yaml:1:1: error: per_user.flat at p95 .* in $F/ok/base.yaml$" <<<"$stderr"
}

@test "bad budget files: file:line:col errors, exit 2, nothing written" {
	bad_input $F/ok/base.yaml --budget $F/budgets/bad-unknown.yaml
	grep -qx "$F/budgets/bad-unknown.yaml:1:1: error: unknown figure 'per_user.flta' in budget (did you mean 'per_user.flat'?)" <<<"$stderr"
	grep -qx "flatcost: 1 error in $F/budgets/bad-unknown.yaml" <<<"$stderr"
	bad_input $F/ok/base.yaml --budget $F/budgets/bad-warn-above-fail.yaml
	grep -qx "$F/budgets/bad-warn-above-fail.yaml:1:34: error: warn limit 0.6 for 'per_user.flat' is above its fail limit 0.5" <<<"$stderr"
	bad_input $F/ok/base.yaml --budget $F/budgets/bad-percentile.yaml
	grep -qx "$F/budgets/bad-percentile.yaml:1:40: error: unknown percentile 'p96' (did you mean 'p95'?)" <<<"$stderr"
	bad_input $F/ok/base.yaml --budget $F/budgets/bad-nolimit.yaml
	grep -qx "$F/budgets/bad-nolimit.yaml:1:16: error: budget for 'per_user.flat' has no limit: give 'fail', 'warn' or both" <<<"$stderr"
	bad_input $F/ok/base.yaml --budget $F/budgets/bad-key.yaml
	grep -qx "$F/budgets/bad-key.yaml:1:17: error: unknown key 'fial' in per_user.flat (did you mean 'fail'?)" <<<"$stderr"
	bad_input $F/ok/base.yaml --budget $F/budgets/bad-wrapped.yaml
	grep -qx "$F/budgets/bad-wrapped.yaml:1:1: error: a budget file has its limits at the top level: remove 'budget:' and unindent what it holds" <<<"$stderr"
	bad_input $F/ok/base.yaml --budget $F/budgets/bad-value.yaml
	grep -qx "flatcost: 2 errors in $F/budgets/bad-value.yaml" <<<"$stderr"
	bad_input $F/ok/base.yaml --budget $F/budgets/missing.yaml
	grep -qx "$F/budgets/missing.yaml: error: cannot open: No such file or directory" <<<"$stderr"
}

@test "the exact stderr of a bad budget: location, source line, caret" {
	run --separate-stderr "$FLATCOST" check $F/ok/base.yaml --budget $F/budgets/bad-percentile.yaml
	expect_status 2
	[ "$(sans_data_warnings)" = "$F/budgets/bad-percentile.yaml:1:40: error: unknown percentile 'p96' (did you mean 'p95'?)
    1 | per_user.flat: {fail: 0.5, percentile: p96}
      |                                        ^~~
flatcost: 1 error in $F/budgets/bad-percentile.yaml" ]
}

@test "a bad budget: section in a scenario: exit 2, every file's errors, nothing written" {
	bad_input $F/bad-scenario.yaml $F/ok/base.yaml
	grep -qx "$F/bad-scenario.yaml:21:3: error: unknown figure 'flat.monthly_cot' in budget (did you mean 'flat.monthly_cost'?)" <<<"$stderr"
	bad_input $F/ok/base.yaml $F/missing.yaml
	bad_input $F/ok/base.yaml $F/bad-scenario.yaml $F/missing.yaml
	[ "$(grep -c ': error: ' <<<"$stderr")" -eq 2 ]
}

@test "usage errors: exit 2, nothing written" {
	bad_input
	grep -q "no scenario file given" <<<"$stderr"
	bad_input $F/ok/base.yaml --format csv
	bad_input $F/ok/base.yaml --trials 0
	bad_input $F/ok/base.yaml --trials 12x
	bad_input $F/ok/base.yaml --seed -1
	bad_input $F/ok/base.yaml --threads 0
	bad_input $F/ok/base.yaml --bogus
	bad_input $F/ok/base.yaml --set nonsense=1
	bad_input "$OUT"    # an empty directory
	grep -q "no .yaml files" <<<"$stderr"
}

@test "--junit into a missing directory: exit 3, no partial file, nothing on stdout" {
	run --separate-stderr "$FLATCOST" check $F/ok/base.yaml --junit "$OUT/no/such/dir/junit.xml" -o "$OUT/report.txt"
	expect_status 3
	[ -z "$output" ]
	grep -qx "flatcost: cannot write $OUT/no/such/dir/junit.xml: No such file or directory" <<<"$stderr"
	[ -z "$(ls -A "$OUT")" ]
	# and the other way round: the JUnit file is not left behind either
	run --separate-stderr "$FLATCOST" check $F/over.yaml --junit "$OUT/junit.xml" -o "$OUT/no/report.txt"
	expect_status 3
	[ -z "$(ls -A "$OUT")" ]
}

@test "JUnit XML: well-formed, one testcase per budget, failures with figure and limit" {
	run --separate-stderr "$FLATCOST" check $F/ok/base.yaml $F/over.yaml $F/warn.yaml $F/ok/nobudget.yaml --junit "$OUT/junit.xml"
	expect_status 1
	xmllint --noout "$OUT/junit.xml"
	[ "$(xpath 'string(/testsuites/testsuite/@name)' "$OUT/junit.xml")" = flatcost ]
	[ "$(xpath 'count(//testcase)' "$OUT/junit.xml")" -eq 15 ]
	[ "$(xpath 'string(/testsuites/testsuite/@tests)' "$OUT/junit.xml")" -eq 15 ]
	[ "$(xpath 'string(/testsuites/@tests)' "$OUT/junit.xml")" -eq 15 ]
	[ "$(xpath 'count(//testcase/failure)' "$OUT/junit.xml")" -eq 2 ]
	[ "$(xpath 'string(/testsuites/testsuite/@failures)' "$OUT/junit.xml")" -eq 2 ]
	[ "$(xpath 'count(//testcase/skipped)' "$OUT/junit.xml")" -eq 1 ]
	[ "$(xpath 'string(/testsuites/testsuite/@skipped)' "$OUT/junit.xml")" -eq 1 ]
	[ "$(xpath "count(//testcase[@classname='$F/ok/base.yaml'])" "$OUT/junit.xml")" -eq 9 ]
	[ "$(xpath "count(//testcase[@classname='$F/over.yaml'][@name='per_user.flat@p95']/failure)" "$OUT/junit.xml")" -eq 1 ]
	msg=$(xpath "string(//testcase[@classname='$F/over.yaml'][@name='users@mean']/failure/@message)" "$OUT/junit.xml")
	[ "$msg" = "users at mean is 5,000, over the fail limit 4,999" ]
	body=$(xpath "string(//testcase[@classname='$F/over.yaml'][@name='users@mean']/failure)" "$OUT/junit.xml")
	grep -qx "figure: users" <<<"$body"
	grep -qx "limit: 4999 (4,999); it fails when the value is above it" <<<"$body"
	grep -qx "budget: $F/over.yaml:22:3" <<<"$body"
	[ "$(xpath "string(//testcase[@name='users@mean'][@classname='$F/over.yaml']/@line)" "$OUT/junit.xml")" = 22 ]
	# a warning is a passing testcase that says so
	[ "$(xpath "count(//testcase[@classname='$F/warn.yaml']/failure)" "$OUT/junit.xml")" -eq 0 ]
	xpath "string(//testcase[@classname='$F/warn.yaml'][1]/system-out)" "$OUT/junit.xml" | grep -q '^warning: '
}

@test "JUnit XML escapes names: & < > quotes in the scenario's path and name" {
	local dir="$OUT/a&b<c>\"q'"
	mkdir -p "$dir"
	sed 's/^name: .*/name: Tom \& Jerry <"x"> '"'"'y'"'"'/' $F/over.yaml >"$dir/s&1.yaml"
	run --separate-stderr "$FLATCOST" check "$dir/s&1.yaml" --junit "$OUT/junit.xml"
	expect_status 1
	xmllint --noout "$OUT/junit.xml"
	[ "$(xpath 'count(//testcase/failure)' "$OUT/junit.xml")" -eq 2 ]
	[ "$(xpath 'string(//testcase[1]/@classname)' "$OUT/junit.xml")" = "$dir/s&1.yaml" ]
	xpath 'string(//testcase[1]/failure)' "$OUT/junit.xml" | grep -qF "scenario: Tom & Jerry <\"x\"> 'y'"
}

@test "--format md: a summary for a pull-request comment" {
	run --separate-stderr "$FLATCOST" check $F/ok/base.yaml $F/over.yaml $F/ok/nobudget.yaml --format md -o "$OUT/summary.md"
	expect_status 1
	[ -z "$output" ]
	# a hidden marker first, so that a CI step finds and updates its own comment
	[ "$(head -1 "$OUT/summary.md")" = "<!-- flatcost-check -->" ]
	[ "$(sed -n 2p "$OUT/summary.md")" = "### flatcost budgets: ❌ failed" ]
	grep -qx "12 budgets: 10 passed, 0 warned, 2 failed." "$OUT/summary.md"
	grep -qx "| Scenario | Figure | Percentile | Value | Limit | Status |" "$OUT/summary.md"
	[ "$(grep -c '^| .* | ❌ fail |$' "$OUT/summary.md")" -eq 2 ]
	[ "$(grep -c '^| .* | ✅ pass |$' "$OUT/summary.md")" -eq 10 ]
	grep -qx '| Budget test, over budget | `users` | mean | 5,000 | 4,999 | ❌ fail |' "$OUT/summary.md"
	grep -qx -e "- $F/ok/nobudget.yaml has no budget" "$OUT/summary.md"
	grep -q "^<sub>Monte Carlo, 300 trials, seed 7\. " "$OUT/summary.md"
	run --separate-stderr "$FLATCOST" check $F/warn.yaml --format md
	expect_status 0
	[ "$(sed -n 2p <<<"$output")" = "### flatcost budgets: ⚠️ passed with warnings" ]
}

@test "--format json: counts, every budget with value, limits, status and location" {
	run --separate-stderr "$FLATCOST" check $F/over.yaml $F/warn.yaml $F/ok/nobudget.yaml --format json
	expect_status 1
	[ "$(jq -r '"\(.status) \(.budgets) \(.passed) \(.warned) \(.failed)"' <<<"$output")" = "fail 5 1 2 2" ]
	[ "$(jq -r '.scenarios | length' <<<"$output")" -eq 3 ]
	[ "$(jq -r '.scenarios[0] | "\(.file) \(.mode) \(.trials) \(.seed) \(.month)"' <<<"$output")" = "$F/over.yaml monte-carlo 300 7 1" ]
	[ "$(jq -r '.scenarios[0].budgets[0] | "\(.figure) \(.percentile) \(.limit) \(.warn) \(.fail) \(.status) \(.location) \(.unit)"' <<<"$output")" = "per_user.flat p95 0.001 0.0005 0.001 fail $F/over.yaml:20:3 USD/month" ]
	[ "$(jq -r '.scenarios[0].budgets[0].value > 0.001' <<<"$output")" = true ]
	[ "$(jq -r '.scenarios[1].budgets | map(.status) | join(",")' <<<"$output")" = "warn,warn" ]
	[ "$(jq -r '.scenarios[1].budgets[0].fail' <<<"$output")" = null ]
	[ "$(jq -r '.scenarios[2] | "\(.budgets | length) \(.warning)"' <<<"$output")" = "0 no budget" ]
}

@test "the same bytes whatever the thread count; --seed and --trials override the scenario" {
	run --separate-stderr "$FLATCOST" check $F/ok/base.yaml --format json --threads 1
	one=$output
	run --separate-stderr "$FLATCOST" check $F/ok/base.yaml --format json --threads 4
	[ "$one" = "$output" ]
	run --separate-stderr "$FLATCOST" check $F/ok/base.yaml --format json --seed 9 --trials 100
	expect_status 0
	[ "$(jq -r '.scenarios[0] | "\(.trials) \(.seed)"' <<<"$output")" = "100 9" ]
}

@test "help and the synopsis" {
	run --separate-stderr "$FLATCOST" check --help
	expect_status 0
	grep -q "^usage: flatcost check SCENARIO\.\.\. \[--base DIR|FILE\.json\] \[--budget FILE\] \[--junit FILE\]" <<<"$output"
	run --separate-stderr "$FLATCOST" help
	grep -q "^  check  " <<<"$output"
}

# A budget on the breakeven checks the lasting one, from the same
# search as simulate (0.1's classifier-api with the A5000 at its Dec 2023
# efficiencies, 0.60/0.26: first cheaper at 144, for good from 267; at the
# catalog's llama-bench ones flat is cheaper for good from 142)
@test "a budget on breakeven_users: the lasting breakeven, as simulate reports it" {
	printf 'breakeven_users: 266\n' >"$OUT/b1.yaml"
	printf 'breakeven_users: 267\n' >"$OUT/b2.yaml"
	local old=(--set flat.hardware=./a5000-dec2023.yaml)
	run --separate-stderr "$FLATCOST" check tests/cli/fixtures/classifier-0.1.yaml "${old[@]}" --deterministic --budget "$OUT/b1.yaml"
	expect_status 1
	[[ "$output" == *"breakeven_users"* ]]
	run --separate-stderr "$FLATCOST" check tests/cli/fixtures/classifier-0.1.yaml "${old[@]}" --deterministic --budget "$OUT/b2.yaml"
	expect_status 0
	# A flat architecture that cannot serve has no breakeven: the budget fails
	run --separate-stderr "$FLATCOST" check scenarios/content-optimizer.yaml --deterministic \
	    --set flat.hardware=hetzner/cx43 --budget "$OUT/b2.yaml"
	expect_status 1
}

@test "--strict-data: exit 4 (not 2) with each entry refused, its date and the command that refreshes it" {
	run --separate-stderr "$FLATCOST" check $F/ok/base.yaml --strict-data -o "$OUT/r.txt" --junit "$OUT/j.xml"
	expect_status 4
	[ -z "$output" ]
	[ -z "$(ls -A "$OUT")" ]
	grep -qx "flatcost: --strict-data: 2 data warnings for $F/ok/base.yaml" <<<"$stderr"
	grep -qx "flatcost: refused openai/gpt-4o (api.price): shuts down on 2027-01-14: choose another model or refresh the data if it changed: flatcost data import https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json" <<<"$stderr"
	grep -qx "flatcost: refused hetzner/gex44 (flat.hardware): dated 2024-03-01, 1001 days old: refresh it with: HCLOUD_TOKEN=... flatcost data import https://api.hetzner.cloud/v1/pricing --from hetzner-pricing" <<<"$stderr"
	# invalid input wins over refused data: exit 2, whatever the order
	sed 's/^users: 5000/userz: 5000/' $F/ok/base.yaml >"$OUT/typo.yaml"
	run --separate-stderr "$FLATCOST" check $F/ok/base.yaml "$OUT/typo.yaml" --strict-data
	expect_status 2
	grep -q "typo.yaml:6:1: error: unknown key 'userz'" <<<"$stderr"
	rm "$OUT/typo.yaml"
	# an entry imported into the user data directory is read again by `data update`
	mkdir -p "$OUT/user"
	printf 'openai:\n  gpt-4o:\n    input: 1\n    output: 2\n    as_of: 2025-01-01\n    source: "a test"\n' >"$OUT/user/prices.yaml"
	FLATCOST_USER_DATA="$OUT/user" run --separate-stderr "$FLATCOST" check $F/ok/base.yaml --strict-data --deterministic
	expect_status 4
	grep -qx "flatcost: refused openai/gpt-4o (api.price): dated 2025-01-01, 695 days old: refresh it with: flatcost data update" <<<"$stderr"
}

I=tests/cli/fixtures-budget/increase

@test "--base DIR: increase budgets on the change, on the same trials and seed as the base" {
	run --separate-stderr "$FLATCOST" check $I/cand --base $I/base --format json -o "$OUT/c.json" --junit "$OUT/j.xml"
	expect_status 1
	j="$OUT/c.json"
	[ "$(jq -r '"\(.status) \(.budgets) \(.passed) \(.warned) \(.failed) \(.skipped) \(.base)"' "$j")" = "fail 4 2 1 1 1 $I/base" ]
	grep -qx "$I/cand/chat.yaml:19:7: error: api.llm_cost at p95 went from \$54,852.39 to \$60,553.99, +\$5,701.61 (+10.39%), over the fail increase limit +10%" <<<"$stderr"
	grep -qx "$I/cand/new.yaml:16:13: note: the increase of api.monthly_cost at p95 is not checked: no scenario of that name in the base (new in this change)" <<<"$stderr"
	# the base's figures are simulate's of the base on the candidate's trials and seed
	run --separate-stderr "$FLATCOST" simulate $I/base/chat.yaml --format json
	base_p95=$(jq '.api.llm_cost.p95' <<<"$output")
	run --separate-stderr "$FLATCOST" simulate $I/cand/chat.yaml --format json
	cand_p95=$(jq '.api.llm_cost.p95' <<<"$output")
	r=$(jq -c '.scenarios[0].budgets[1]' "$j")
	[ "$(jq -r '"\(.kind) \(.figure) \(.percentile) \(.status) \(.limit) \(.limit_unit)"' <<<"$r")" = "increase api.llm_cost p95 fail 10 percent" ]
	[ "$(jq '.base' <<<"$r")" = "$base_p95" ]
	[ "$(jq '.candidate' <<<"$r")" = "$cand_p95" ]
	[ "$(jq '(.change - (.candidate - .base)) | fabs < 1e-9' <<<"$r")" = true ]
	[ "$(jq '(.change_pct - 100 * .change / .base) | fabs < 1e-9' <<<"$r")" = true ]
	# the mean rises 16.86% (16.67% at the means): over warn_pct 15, under max_pct 20
	[ "$(jq -r '.scenarios[0].budgets[2] | "\(.status) \(.change_pct * 100 | round)"' "$j")" = "warn 1686" ]
	# max_usd: per user the rise is a dollar, far under $100
	[ "$(jq -r '.scenarios[0].budgets[3] | "\(.status) \(.limit_unit) \(.limit)"' "$j")" = "pass USD/month 100" ]
	# a scenario new in the change has no base: not checked, and said so
	[ "$(jq -r '.scenarios[1].budgets[0] | "\(.status) \(.reason)"' "$j")" = "skipped no scenario of that name in the base (new in this change)" ]
	# JUnit: base, candidate and change in the failure; the new scenario's budget skipped
	xmllint --noout "$OUT/j.xml"
	[ "$(xpath 'count(//testcase/failure)' "$OUT/j.xml")" -eq 1 ]
	[ "$(xpath 'count(//testcase/skipped)' "$OUT/j.xml")" -eq 1 ]
	body=$(xpath 'string(//testcase[@name="increase:api.llm_cost@p95"]/failure)' "$OUT/j.xml")
	grep -qx "base value: 54852.38524 (\$54,852.39)" <<<"$body"
	grep -qx "candidate value: 60553.99175 (\$60,553.99)" <<<"$body"
	grep -qx "change: +5701.606505 (+\$5,701.61), +10.39%" <<<"$body"
	# Markdown: base, candidate and change columns
	run --separate-stderr "$FLATCOST" check $I/cand --base $I/base --format md
	expect_status 1
	grep -qx '| Increase test | `api.llm_cost` | p95 | $54,852.39 | $60,553.99 | +$5,701.61 (+10.39%) | +10% | ❌ fail |' <<<"$output"
	# deterministic: exactly 500 x 2.50 / (1000 x 2.50 + 500 x 10.00) = 16.67%
	run --separate-stderr "$FLATCOST" check $I/cand/chat.yaml --base $I/base --deterministic --format json
	[ "$(jq '.scenarios[0].budgets[1].change_pct * 1e6 | round' <<<"$output")" = 16666667 ]
}

@test "--base: a scenario against itself changes by exactly zero (common random numbers)" {
	run --separate-stderr "$FLATCOST" check $I/cand/chat.yaml --base $I/cand --format json
	expect_status 0
	[ "$(jq -c '[.scenarios[0].budgets[] | select(.kind == "increase") | .change, .change_pct] | unique' <<<"$output")" = "[0]" ]
}

@test "--base FILE.json: a saved check is the base; the same trials are required" {
	run --separate-stderr "$FLATCOST" check $I/base --format json -o "$OUT/base.json"
	expect_status 0
	run --separate-stderr "$FLATCOST" check $I/cand --base $I/base --format json
	from_dir=$(jq -c '[.scenarios[].budgets[] | del(.location)]' <<<"$output")
	run --separate-stderr "$FLATCOST" check $I/cand --base "$OUT/base.json" --format json
	expect_status 1
	[ "$(jq -c '[.scenarios[].budgets[] | del(.location)]' <<<"$output")" = "$from_dir" ]
	# other trials than the base's: refused, nothing written
	run --separate-stderr "$FLATCOST" check $I/cand --base "$OUT/base.json" --trials 100 -o "$OUT/r.txt"
	expect_status 2
	grep -qx "flatcost: $OUT/base.json ($I/base/chat.yaml): the base ran 200 trials, seed 7, month 1, $I/cand/chat.yaml runs 100 trials, seed 7, month 1: the change is measured on the same trials (give --trials and --seed, or check the base again)" <<<"$stderr"
	refute test -e "$OUT/r.txt"
	# not a check's JSON, or not JSON at all
	echo '{"a": 1}' >"$OUT/other.json"
	run --separate-stderr "$FLATCOST" check $I/cand --base "$OUT/other.json"
	expect_status 2
	grep -q "not the JSON of flatcost check" <<<"$stderr"
	printf '{"scenarios": [\n' >"$OUT/cut.json"
	run --separate-stderr "$FLATCOST" check $I/cand --base "$OUT/cut.json"
	expect_status 2
	grep -q "^flatcost: $OUT/cut.json:2:0: error: " <<<"$stderr"
	run --separate-stderr "$FLATCOST" check $I/cand --base "$OUT/missing"
	expect_status 2
}

@test "increase budgets: errors at file:line:col" {
	for b in "{figure: per_user.apii, max_pct: 10}|unknown figure 'per_user.apii' in increase (did you mean 'per_user.api'?)" \
	    "{figure: per_user.api}|increase of 'per_user.api' has no limit: give max_pct, max_usd, warn_pct or warn_usd" \
	    "{figure: flat.servers, max_usd: 5}|'flat.servers' is not a figure in USD: bound its increase with max_pct or warn_pct" \
	    "{figure: per_user.api, max_pct: 5, warn_pct: 10}|warn_pct 10 for 'per_user.api' is above its max_pct 5" \
	    "{figure: per_user.api, max_pct: -1}|'max_pct' is -1, out of range: expected a percent >= 0, such as 10 for 10%" \
	    "{figure: per_user.api, max_pct: 5, percentile: p90}|unknown percentile 'p90' (did you mean 'p50'?)" \
	    "[{figure: per_user.api, max_pct: 5}, {figure: per_user.api, max_pct: 9}]|a second increase budget for 'per_user.api' at p95" \
	    "7|increase must be {figure, percentile, max_pct, max_usd} or a list of them, not a scalar"; do
		printf 'increase: %s\n' "${b%%|*}" >"$OUT/b.yaml"
		run --separate-stderr "$FLATCOST" check $I/cand/chat.yaml --budget "$OUT/b.yaml" -o "$OUT/r.txt"
		expect_status 2
		grep -q "^$OUT/b.yaml:1:[0-9]*: error: ${b#*|}" <<<"$stderr"
		refute test -e "$OUT/r.txt"
	done
}
