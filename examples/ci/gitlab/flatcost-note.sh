#!/bin/sh
# flatcost-note.sh FILE: post FILE (flatcost check --format md, whose first
# line is the hidden marker <!-- flatcost-check -->) as the merge request's
# flatcost note through GitLab's REST API: update the note that carries the
# marker, leave it alone when its text is the same, or create it.
# Environment (GitLab CI sets the first three): CI_API_V4_URL,
# CI_PROJECT_ID, CI_MERGE_REQUEST_IID, and GITLAB_TOKEN, a token with the
# api scope (a project access token stored as a masked CI/CD variable).
set -eu
file=$1
marker=$(head -n 1 "$file")
case "$marker" in
"<!--"*"-->") ;;
*) echo "flatcost-note: $file does not start with a marker line" >&2; exit 2 ;;
esac
api="$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
req() {   # req METHOD URL [JSON-BODY-FILE]
	if [ $# -eq 3 ]; then
		curl -fsS -X "$1" -H "PRIVATE-TOKEN: $GITLAB_TOKEN" \
		    -H "Content-Type: application/json" --data-binary "@$3" "$2"
	else
		curl -fsS -X "$1" -H "PRIVATE-TOKEN: $GITLAB_TOKEN" "$2"
	fi
}
# every page of notes, 100 at a time
page=1
: >"$tmp/pages"
while :; do
	req GET "$api?per_page=100&page=$page" >"$tmp/page.json"
	cat "$tmp/page.json" >>"$tmp/pages"
	[ "$(jq length "$tmp/page.json")" -lt 100 ] && break
	page=$((page + 1))
done
jq -s 'add // []' "$tmp/pages" >"$tmp/all.json"
id=$(jq -r --arg m "$marker" '[.[] | select(.body | startswith($m))][0].id // empty' "$tmp/all.json")
jq -Rs '{body: .}' "$file" >"$tmp/body.json"
if [ -z "$id" ]; then
	req POST "$api" "$tmp/body.json" >/dev/null
	echo "flatcost-note: created"
	exit 0
fi
jq -j --argjson id "$id" '.[] | select(.id == $id) | .body' "$tmp/all.json" >"$tmp/old.md"
if cmp -s "$tmp/old.md" "$file"; then
	echo "flatcost-note: unchanged, note $id left alone"
	exit 0
fi
req PUT "$api/$id" "$tmp/body.json" >/dev/null
echo "flatcost-note: updated note $id"
