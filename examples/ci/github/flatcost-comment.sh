#!/bin/sh
# flatcost-comment.sh FILE: post FILE (flatcost check --format md, whose
# first line is the hidden marker <!-- flatcost-check -->) as the pull
# request's flatcost comment with the gh CLI: update the comment that
# carries the marker, leave it alone when its text is the same, or create
# it.  Environment: GH_REPO (owner/name), PR_NUMBER, GH_TOKEN (gh reads it).
set -eu
file=$1
marker=$(head -n 1 "$file")
case "$marker" in
"<!--"*"-->") ;;
*) echo "flatcost-comment: $file does not start with a marker line" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# every page of the comments, as one list
gh api --paginate "repos/$GH_REPO/issues/$PR_NUMBER/comments" | jq -s 'add // []' >"$tmp/all.json"
id=$(jq -r --arg m "$marker" '[.[] | select(.body | startswith($m))][0].id // empty' "$tmp/all.json")
if [ -z "$id" ]; then
	gh api -X POST "repos/$GH_REPO/issues/$PR_NUMBER/comments" -F "body=@$file" >/dev/null
	echo "flatcost-comment: created"
	exit 0
fi
jq -j --argjson id "$id" '.[] | select(.id == $id) | .body' "$tmp/all.json" >"$tmp/old.md"
if cmp -s "$tmp/old.md" "$file"; then
	echo "flatcost-comment: unchanged, comment $id left alone"
	exit 0
fi
gh api -X PATCH "repos/$GH_REPO/issues/comments/$id" -F "body=@$file" >/dev/null
echo "flatcost-comment: updated comment $id"
