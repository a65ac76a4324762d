#!/usr/bin/env bats
# examples/ci/: the GitHub Actions job's comment step (gh CLI) and the
# GitLab job's note step (curl on GitLab's API), run against a recorded fake
# of both APIs on loopback (fixtures-ci/fake_api.py): the first run creates
# the marked comment, a run with the same Markdown leaves it alone, a run
# with a changed one updates it in place; an unrelated comment is never
# touched.  gh is not installed here: fixtures-ci/gh makes the same HTTP
# requests that `gh api` makes, so the script under test is unchanged.

bats_require_minimum_version 1.5.0

load helpers

B=tests/cli/fixtures-budget

setup() {
	cd_repo
	make_out
	python3 "$BATS_TEST_DIRNAME/fixtures-ci/fake_api.py" "$OUT/port" "$OUT/log" &
	SERVER=$!
	for _ in $(seq 50); do [ -s "$OUT/port" ] && break; sleep 0.1; done
	PORT=$(cat "$OUT/port")
	: >"$OUT/log"
	# two summaries: the same budgets passing, then failing
	fc check $B/ok/base.yaml --format md -o "$OUT/pass.md" 2>/dev/null
	fc check $B/over.yaml --format md -o "$OUT/fail.md" 2>/dev/null || true
}

teardown() {
	kill "$SERVER" 2>/dev/null || true
}

@test "GitHub: the marked comment is created, left alone, then updated in place" {
	export PATH="$BATS_TEST_DIRNAME/fixtures-ci:$PATH" FAKE_GH_API="http://127.0.0.1:$PORT"
	export GH_TOKEN=ghp-test GH_REPO=acme/app PR_NUMBER=7
	[ "$(head -1 "$OUT/pass.md")" = "<!-- flatcost-check -->" ]
	run sh examples/ci/github/flatcost-comment.sh "$OUT/pass.md"
	expect_status 0
	[ "$output" = "flatcost-comment: created" ]
	run sh examples/ci/github/flatcost-comment.sh "$OUT/pass.md"
	[ "$output" = "flatcost-comment: unchanged, comment 100 left alone" ]
	run sh examples/ci/github/flatcost-comment.sh "$OUT/fail.md"
	[ "$output" = "flatcost-comment: updated comment 100" ]
	[ "$(cat "$OUT/log")" = "GET /repos/acme/app/issues/7/comments
POST /repos/acme/app/issues/7/comments
GET /repos/acme/app/issues/7/comments
GET /repos/acme/app/issues/7/comments
PATCH /repos/acme/app/issues/comments/100" ]
	# the comment now holds the new summary, byte for byte
	curl -fsS -H "Authorization: token ghp-test" "$FAKE_GH_API/repos/acme/app/issues/7/comments" >"$OUT/c.json"
	jq -j '.[] | select(.id == 100) | .body' "$OUT/c.json" >"$OUT/now.md"
	cmp "$OUT/now.md" "$OUT/fail.md"
	[ "$(jq -r '.[] | select(.id == 11) | .body' "$OUT/c.json")" = "Looks good to me." ]
	# a bad token fails the step
	GH_TOKEN=wrong run sh examples/ci/github/flatcost-comment.sh "$OUT/pass.md"
	[ "$status" -ne 0 ]
}

@test "GitLab: the marked note is created, left alone, then updated in place" {
	export CI_API_V4_URL="http://127.0.0.1:$PORT/api/v4" CI_PROJECT_ID=42
	export CI_MERGE_REQUEST_IID=3 GITLAB_TOKEN=glpat-test
	run sh examples/ci/gitlab/flatcost-note.sh "$OUT/pass.md"
	expect_status 0
	[ "$output" = "flatcost-note: created" ]
	run sh examples/ci/gitlab/flatcost-note.sh "$OUT/pass.md"
	[ "$output" = "flatcost-note: unchanged, note 100 left alone" ]
	run sh examples/ci/gitlab/flatcost-note.sh "$OUT/fail.md"
	[ "$output" = "flatcost-note: updated note 100" ]
	[ "$(grep -c '^GET /api/v4/projects/42/merge_requests/3/notes$' "$OUT/log")" -eq 3 ]
	[ "$(grep -v '^GET' "$OUT/log")" = "POST /api/v4/projects/42/merge_requests/3/notes
PUT /api/v4/projects/42/merge_requests/3/notes/100" ]
	curl -fsS -H "PRIVATE-TOKEN: glpat-test" "$CI_API_V4_URL/projects/42/merge_requests/3/notes" >"$OUT/n.json"
	jq -j '.[] | select(.id == 100) | .body' "$OUT/n.json" >"$OUT/now.md"
	cmp "$OUT/now.md" "$OUT/fail.md"
	GITLAB_TOKEN=wrong run sh examples/ci/gitlab/flatcost-note.sh "$OUT/pass.md"
	[ "$status" -ne 0 ]
	# a file without the marker is refused
	tail -n +2 "$OUT/pass.md" >"$OUT/nomark.md"
	run sh examples/ci/gitlab/flatcost-note.sh "$OUT/nomark.md"
	expect_status 2
}

@test "the example workflows run check --base and the comment scripts" {
	python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml is not installed"
	grep -q 'flatcost check "$SCENARIOS" --base ".flatcost-base/$SCENARIOS"' examples/ci/github/flatcost.yml
	grep -q 'sh .github/flatcost-comment.sh flatcost-summary.md' examples/ci/github/flatcost.yml
	grep -q 'sh ci/flatcost-note.sh flatcost-summary.md' examples/ci/gitlab/.gitlab-ci.yml
	python3 -c 'import sys, yaml; [yaml.safe_load(open(f)) for f in sys.argv[1:]]' \
	    examples/ci/github/flatcost.yml examples/ci/gitlab/.gitlab-ci.yml
}
