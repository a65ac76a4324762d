#!/usr/bin/env bats
# Resource limits (issue 18 item 9), provisioned fleets, growth and payback
# (issue 12 items 4 and 5).

bats_require_minimum_version 1.5.0

load helpers

setup() {
	cd_repo
	CO=scenarios/content-optimizer.yaml
}

@test "limits: diff refuses trials whose samples pass 4 GiB, naming the memory" {
	run --separate-stderr fc diff "$CO" "$CO" --trials 10000000
	expect_status 2
	[[ "$stderr" == *"10,000,000 trials would take 5.8 GB of memory"* ]]
	[[ "$stderr" == *"over the limit of 4.3 GB (4 GiB): use at most"* ]]
}

@test "limits: sweep counts every point's trials against the memory limit" {
	run --separate-stderr fc sweep "$CO" --users 1:1000000:200 --trials 5000000
	expect_status 2
	[[ "$stderr" == *"5,000,000 trials would take"*"over the limit of 4.3 GB"* ]]
}

@test "limits: --des refuses a day of more than 5,000,000 calls, at once" {
	SECONDS=0
	run --separate-stderr fc simulate "$CO" --deterministic --des --users 2000000
	expect_status 2
	[[ "$stderr" == *"--des simulates every call of a day: 61,850,921 calls at 2,000,000 users, over the limit of 5,000,000 calls a day"* ]]
	[ "$output" = "" ]
}

@test "limits: a fleet past 4e9 parallel calls is refused by name, not 'out of range'" {
	run --separate-stderr fc simulate "$CO" --set flat.hardware=hetzner/cx43 \
	    --set flat.slo.p95_latency_s=600 --users 1e10 --trials 100
	expect_status 3
	[[ "$stderr" == *"the fleet would need more than 4,000,000,000 parallel calls"* ]]
}

@test "limits: 1e10 users on a GPU fleet run (a trial's cost does not grow with users)" {
	run --separate-stderr fc simulate "$CO" --users 1e10 --trials 200 --format json
	expect_status 0
	jq -e ".users.p50 == 1e10" <<<"$output"
	jq -e '.flat.servers.p50 > 1e7' <<<"$output"
}
