#!/usr/bin/env bats
# `flatcost report`: one self-contained page.  Every number on it equals
# the same number in the --format json of the command it names
# (report_check.py); the HTML is well-formed (xmllint); headless Chromium
# opens it with no request outside the file and no console error, every
# chart rendered with a size, the decision's text, and a screenshot of
# each section (browser.js, over the DevTools pipe: no npm package).
# Markdown writes its charts beside it; bad options exit 2, nothing written.

bats_require_minimum_version 1.5.0

load helpers

SC=scenarios/content-optimizer.yaml

setup() {
	cd_repo
	make_out
}

# One page with every section, made once for the suite.
page() {
	PAGE=$BATS_FILE_TMPDIR/report.html
	[ -s "$PAGE" ] || fc report "$SC" --trials 200 --months 12 --compare --sensitivity \
	    --users 10:20000:6 -o "$PAGE" 2>/dev/null
}

@test "report: every number on the page equals its command's JSON" {
	page
	run python3 tests/cli/report_check.py "$FLATCOST" "$PAGE"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	# each of the five commands supplied numbers
	for src in simulate months sweep sensitivity compare; do
		[[ "$output" == *"$src="* ]]
	done
}

@test "report: the page is well-formed, self-contained, without script" {
	page
	xmllint --noout "$PAGE"
	! grep -qi '<script\|<link\|<img\|src="http\|@import\|url(http' "$PAGE"
	[ "$(grep -c '<svg' "$PAGE")" -eq 4 ]
	grep -q '@media print' "$PAGE"
	grep -q 'seed 42, the same trials for every option' "$PAGE"
	grep -q 'Switch to the flat architecture now.' "$PAGE"
	grep -q 'data-cmd="simulate"' "$PAGE"
	grep -q "flatcost report $SC --trials 200" "$PAGE"
	# assumptions: the file's line, a default, a catalog entry's date
	grep -q '<code>flat.slo_p95_latency_s</code></td><td>60</td><td>scenarios/content-optimizer.yaml:32</td>' "$PAGE"
	grep -q '<code>api.one_time</code></td><td>0</td><td>documented default' "$PAGE"
	grep -q '<code>flat.hardware</code></td><td>hetzner/gex44</td><td>scenarios/content-optimizer.yaml:29; bundled catalog, as of 2024-03-01, efficiency estimated' "$PAGE"
	grep -q 'the price dated 2024-03-01 is' "$PAGE"
}

@test "report: Chromium loads it offline, no console error, charts drawn, a screenshot per section, printed a section a page" {
	command -v chromium >/dev/null || skip "chromium is not installed (scripts/deps.sh installs it)"
	page
	run timeout 60 node tests/cli/browser.js "$PAGE" "$OUT"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	echo "$output" > "$OUT/r.json"
	[ "$(jq '.requests | length' "$OUT/r.json")" -eq 1 ]
	jq -e '.requests[0] | startswith("file://")' "$OUT/r.json"
	jq -e '.errors == []' "$OUT/r.json"
	jq -e '(.svgs | length) == 4 and all(.svgs[]; .[0] > 100 and .[1] > 100)' "$OUT/r.json"
	jq -e '.decision | test("^Switch to the flat architecture now\\. In 200 trials")' "$OUT/r.json"
	# printed, each section after the decision starts a page
	jq -e '.print_breaks == ["avoid", "page", "page", "page", "page", "page", "page"]' "$OUT/r.json"
	jq -e '.pdf_pages >= 7' "$OUT/r.json"
	for s in decision payback cost compare drivers service assumptions; do
		[ "$(stat -c %s "$OUT/$s.png")" -gt 2000 ]
	done
}

@test "report: the same bytes for any thread count" {
	fc report "$SC" --trials 100 --months 6 --threads 1 -o "$OUT/a.html" 2>/dev/null
	fc report "$SC" --trials 100 --months 6 --threads 3 -o "$OUT/b.html" 2>/dev/null
	# the same but for the command line that made it
	[ "$(grep -c -- '--threads' "$OUT/a.html")" -eq 1 ]
	diff <(grep -v -- '--threads' "$OUT/a.html") <(grep -v -- '--threads' "$OUT/b.html")
}

@test "report: a flat architecture that cannot serve says stay on the API" {
	run fc report "$SC" --trials 100 --months 6 --set flat.slo.p95_latency_s=2 -o "$OUT/n.html"
	[ "$status" -eq 0 ]
	grep -q 'Stay on the API.' "$OUT/n.html"
}

@test "report --format md: Markdown with the charts beside it" {
	run fc report "$SC" --trials 100 --months 6 --format md -o "$OUT/r.md"
	[ "$status" -eq 0 ]
	grep -q '^## The decision' "$OUT/r.md"
	grep -q '](r-timeline.svg)' "$OUT/r.md"
	grep -q '](r-cost.svg)' "$OUT/r.md"
	xmllint --noout "$OUT/r-timeline.svg" "$OUT/r-cost.svg"
	[ ! -e "$OUT/r-compare.svg" ]
}

@test "report: bad options exit 2 and write nothing" {
	run fc report "$SC" --deterministic -o "$OUT/x.html"
	[ "$status" -eq 2 ]
	[[ "$output" == *"drop --deterministic"* ]]
	run fc report "$SC" --users 100:10 -o "$OUT/x.html"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--users: expected FROM:TO"* ]]
	run fc report "$SC" --users 10:50: -o "$OUT/x.html"
	[ "$status" -eq 2 ]
	run fc report "$SC" --users 10:50:65 -o "$OUT/x.html"
	[ "$status" -eq 2 ]
	run fc report "$SC" --format pdf -o "$OUT/x.html"
	[ "$status" -eq 2 ]
	run fc report "$SC" --format md
	[ "$status" -eq 2 ]
	# the charts need gnuplot: exit 3 before any work
	run env FLATCOST_GNUPLOT=/nonexistent/gnuplot "$FLATCOST" report "$SC" -o "$OUT/x.html"
	[ "$status" -eq 3 ]
	[[ "$output" == *"cannot find /nonexistent/gnuplot"* ]]
	[ ! -e "$OUT/x.html" ]
}

@test "simulate --months --plot draws the payback timeline; --y-scale log refused below 0" {
	fc simulate "$SC" --trials 100 --months 6 --plot "$OUT/t.svg" --title "Board view" \
	    --subtitle "" >/dev/null 2>&1
	xmllint --noout "$OUT/t.svg"
	grep -q 'Board view' "$OUT/t.svg"
	grep -q 'Monte Carlo, 100 trials, seed 42' "$OUT/t.svg"
	fc simulate "$SC" --trials 100 --months 6 --plot "$OUT/o.svg" --set flat.one_time=50000 \
	    >/dev/null 2>&1
	grep -q "one-time cost of the switch (net of the API's): \$50,000" "$OUT/o.svg"
	grep -q 'payback month, P50 2 (band P5–P95); 100% of trials pay back' "$OUT/o.svg"
	run fc simulate "$SC" --trials 100 --months 6 --plot "$OUT/u.svg" --y-scale log \
	    --set flat.one_time=5000
	[ "$status" -eq 2 ]
	[ ! -e "$OUT/u.svg" ]
	run fc simulate "$SC" --y-scale cubic
	[ "$status" -eq 2 ]
}

@test "sweep and merge --y-scale linear|log, --title, --subtitle; the seed in a footnote" {
	local sc=tests/cli/fixtures-sweep/sweep.yaml
	fc sweep "$sc" --users 10:3000:5 --plot "$OUT/a.png" --plot-script "$OUT/k" >/dev/null 2>&1
	grep -q '^set logscale y' "$OUT/k/a.gp"
	fc sweep "$sc" --users 10:3000:5 --plot "$OUT/b.png" --plot-script "$OUT/k" \
	    --y-scale linear --title "Cost by users" --subtitle "bands: P5-P95" >/dev/null 2>&1
	! grep -q '^set logscale y' "$OUT/k/b.gp"
	grep -q "^set title 'Cost by users'.*'bands: P5-P95'" "$OUT/k/b.gp"
	grep -q "^set label 99 'Monte Carlo, 200 trials per point, seed 7'" "$OUT/k/b.gp"
	! grep -q "^set title.*seed" "$OUT/k/b.gp"
	fc sweep "$sc" --users 10:3000:5 --plot "$OUT/c.png" --plot-script "$OUT/k" \
	    --y-scale log --set workload.requests_per_user_per_day=0.001 >/dev/null 2>&1
	grep -q '^set logscale y' "$OUT/k/c.gp"
	# merge draws the same chart from a sweep's parts
	fc sweep "$sc" --users 10:3000:5 --shard 1/1 -o "$OUT/p1" 2>/dev/null
	fc merge "$OUT/p1" --plot "$OUT/m.png" --plot-script "$OUT/k" --title "Merged" \
	    --y-scale linear >/dev/null 2>&1
	grep -q "^set title 'Merged'" "$OUT/k/m.gp"
	! grep -q '^set logscale y' "$OUT/k/m.gp"
	run fc sweep "$sc" --users 10:3000:5 --y-scale cubic
	[ "$status" -eq 2 ]
	[[ "$output" == *"--y-scale: expected linear or log, got 'cubic'"* ]]
}

@test "report: the routed API's cost by users, every number still equal to its JSON" {
	fc report tests/cli/fixtures/route.yaml --trials 200 --months 6 -o "$OUT/r.html" 2>/dev/null
	grep -q '<th>Routed API, P50</th>' "$OUT/r.html"
	grep -q "No assumption is named" "$OUT/r.html"
	grep -q 'data-key="points.0.api_routed.monthly_cost.p50"' "$OUT/r.html"
	run python3 tests/cli/report_check.py "$FLATCOST" "$OUT/r.html"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "report: a --set input says so" {
	fc report "$SC" --trials 100 --months 3 --set users=900 -o "$OUT/s.html" 2>/dev/null
	grep -q '<code>users</code></td><td>900</td><td>--set on the command line</td>' "$OUT/s.html"
	grep -q 'data-cmd="simulate">flatcost simulate scenarios/content-optimizer.yaml --trials 100 --seed 42 --set users=900<' "$OUT/s.html"
}

@test "report: an imported price names its file, date and source" {
	FLATCOST_USER_DATA=$OUT/ud fc data import tests/cli/fixtures-data/litellm.json \
	    --as-of 2026-11-01 2>/dev/null
	FLATCOST_USER_DATA=$OUT/ud fc report "$SC" --trials 50 --months 3 -o "$OUT/i.html" 2>/dev/null
	grep -q "<code>api.price</code></td><td>openai/gpt-4o</td><td>scenarios/content-optimizer.yaml:26; from $OUT/ud/prices.yaml, as of 2026-11-01; source: tests/cli/fixtures-data/litellm.json (imported by flatcost" "$OUT/i.html"
}

@test "report: a calibrated scenario's inputs name the logs they were fitted from" {
	fc calibrate tests/cli/fixtures-calibrate/litellm-spendlogs.csv --api-price openai/gpt-4o \
	    --trials 100 -o "$OUT/cal.yaml" 2>/dev/null
	fc report "$OUT/cal.yaml" --trials 50 --months 3 -o "$OUT/c.html" 2>/dev/null
	grep -q "<code>workload.requests_per_user_per_day</code></td><td>1</td><td>written by flatcost calibrate from tests/cli/fixtures-calibrate/litellm-spendlogs.csv (litellm format) ($OUT/cal.yaml:" "$OUT/c.html"
}

@test "report: HTML to standard output without -o" {
	run --separate-stderr fc report "$SC" --trials 100 --months 3
	[ "$status" -eq 0 ]
	[[ "$output" == "<!DOCTYPE html>"* ]]
	[[ "$output" == *"</html>" ]]
}

@test "report: the API's own latency from its log beside the flat fleet's, each number equal to its JSON" {
	fc report "$SC" --trials 50 --months 3 --set api.latency_p50_s=2.5 \
	    --set api.latency_p95_s=6.1 -o "$OUT/l.html" 2>/dev/null
	grep -q 'Before, on the API, a call takes P50 <span class="n" data-src="simulate" data-key="latency.api.p50_s" data-v="2.5">2.5 s</span>, P95 <span class="n" data-src="simulate" data-key="latency.api.p95_s" data-v="6.1">6.1 s</span> as its log shows it' "$OUT/l.html"
	run python3 tests/cli/report_check.py "$FLATCOST" "$OUT/l.html"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	# without them the page says nothing of it
	fc report "$SC" --trials 50 --months 3 -o "$OUT/n.html" 2>/dev/null
	refute grep -q 'latency.api' "$OUT/n.html"
}
