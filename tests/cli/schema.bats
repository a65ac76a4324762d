#!/usr/bin/env bats
# docs/schema/COMMAND.schema.json (JSON Schema 2020-12): every command's
# --format json output validates against its schema (python3-jsonschema),
# on runs other than those the schemas were generated from
# (scripts/gen_schemas.py); a document without a required key does not;
# `flatcost help --schema COMMAND` prints the file.

bats_require_minimum_version 1.5.0

load helpers

B=tests/cli/fixtures-budget

setup() {
	cd_repo
	make_out
	python3 -c 'import jsonschema' 2>/dev/null || skip "python3-jsonschema is not installed (scripts/deps.sh)"
}

# valid COMMAND FILE: FILE validates against COMMAND's schema
valid() {
	python3 - "docs/schema/$1.schema.json" "$2" <<'PY'
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
errors = list(Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))))
for e in errors:
    print("%s: %s" % ("/".join(map(str, e.absolute_path)), e.message))
sys.exit(1 if errors else 0)
PY
}

# out COMMAND ARGS...: the command's JSON into $OUT/COMMAND.json (exit 0 or 1)
out() {
	local c=$1
	run --separate-stderr fc "$@" --format json -o "$OUT/$c.json"
	[ "$status" -le 1 ]
}

@test "every command's JSON validates against its schema" {
	out simulate scenarios/content-optimizer.yaml --trials 30
	valid simulate "$OUT/simulate.json"
	out simulate scenarios/classifier-api.yaml --deterministic
	valid simulate "$OUT/simulate.json"
	out sweep scenarios/classifier-api.yaml --users 100:10000:4 --trials 10
	valid sweep "$OUT/sweep.json"
	out check $B/ok/base.yaml $B/over.yaml
	valid check "$OUT/check.json"
	out check $B/increase/base --trials 40
	cp "$OUT/check.json" "$OUT/base.json"
	out check $B/increase/cand --base "$OUT/base.json" --trials 40
	valid check "$OUT/check.json"
	out diff scenarios/classifier-api.yaml scenarios/classifier-api.yaml --trials 30
	valid diff "$OUT/diff.json"
	out compare scenarios/classifier-api.yaml --deterministic
	valid compare "$OUT/compare.json"
	out sensitivity scenarios/classifier-api.yaml --trials 40
	valid sensitivity "$OUT/sensitivity.json"
	# data has no -o; it exits 1 when an entry is stale
	fc data hardware --format json >"$OUT/data.json" || [ $? -eq 1 ]
	valid data "$OUT/data.json"
	out tokens README.md man/flatcost.1 --tokenizer cl100k_base
	valid tokens "$OUT/tokens.json"
}

@test "a document without a required key, or with a wrong type, does not validate" {
	out check $B/ok/base.yaml
	jq 'del(.status)' "$OUT/check.json" >"$OUT/x.json"
	run valid check "$OUT/x.json"
	[ "$status" -eq 1 ]
	grep -q "'status' is a required property" <<<"$output"
	jq '.passed = "three"' "$OUT/check.json" >"$OUT/x.json"
	run valid check "$OUT/x.json"
	[ "$status" -eq 1 ]
	# a new key is allowed: consumers are not broken by additions
	jq '.latency = {"p95": 1}' "$OUT/check.json" >"$OUT/x.json"
	valid check "$OUT/x.json"
	# format_version is pinned
	jq '.format_version = 99' "$OUT/check.json" >"$OUT/x.json"
	run valid check "$OUT/x.json"
	[ "$status" -eq 1 ]
}

@test "help --schema COMMAND prints the schema; a command without JSON has none" {
	run --separate-stderr fc help --schema check
	expect_status 0
	[ "$output" = "$(cat docs/schema/check.schema.json)" ]
	run --separate-stderr fc help --schema validate
	expect_status 2
	run --separate-stderr fc help --schema nosuch
	expect_status 2
	grep -q "no such command 'nosuch'" <<<"$stderr"
	# every schema is one of a command
	for f in docs/schema/*.schema.json; do
		c=$(basename "$f" .schema.json)
		fc help "$c" >/dev/null
	done
}
