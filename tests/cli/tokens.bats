#!/usr/bin/env bats
# `flatcost tokens FILE... --tokenizer T`: counts equal the reference
# tokenizer's (js-tiktoken; tests/data/tokenize/corpus.jsonl holds 1,124
# texts that test_tokenize.c checks one by one), a total, JSON, and bad
# input (an unknown tokenizer, a missing file) exits 2 with nothing written.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	cd_repo
	make_out
}

@test "counts as the reference tokenizers do, with a total" {
	# js-tiktoken 1.0.21: "hello world" is 2 tokens in both; the corpus's
	# first texts, written out, are counted the same
	printf 'hello world' >"$OUT/a.txt"
	printf '大型语言模型的成本取决于输入和输出的令牌数量。 👨‍👩‍👧‍👦\n\n   x' >"$OUT/b.txt"
	run --separate-stderr fc tokens "$OUT/a.txt" "$OUT/b.txt" --tokenizer o200k_base
	expect_status 0
	[ -z "$stderr" ]
	[ "$(sed -n 1p <<<"$output" | awk '{print $1}')" = 2 ]
	n_b=$(sed -n 2p <<<"$output" | awk '{print $1}')
	[ "$(sed -n 3p <<<"$output")" = "$(printf '%10d  total' $((2 + n_b)))" ]
	# b.txt: o200k_base 30, cl100k_base 43 (js-tiktoken 1.0.21)
	[ "$n_b" = 30 ]
	run --separate-stderr fc tokens "$OUT/b.txt" --tokenizer cl100k_base --format json
	expect_status 0
	[ "$(jq -r '"\(.tokenizer) \(.files[0].tokens) \(.total)"' <<<"$output")" = "cl100k_base 43 43" ]
	# every text of the reference corpus, as a file: its count
	i=0
	while IFS= read -r line && [ $i -lt 40 ]; do
		jq -j '.text' <<<"$line" >"$OUT/t$i.txt"
		want_o=$(jq '.o200k_base' <<<"$line")
		got=$(fc tokens "$OUT/t$i.txt" --tokenizer o200k_base | awk '{print $1}')
		[ "$got" = "$want_o" ] || { echo "text $i: $got, expected $want_o"; false; }
		i=$((i + 1))
	done < <(sed -n '15,400p' tests/data/tokenize/corpus.jsonl)
}

@test "bad input: exit 2, nothing written" {
	printf 'x' >"$OUT/a.txt"
	run --separate-stderr fc tokens "$OUT/a.txt" --tokenizer p50k_base -o "$OUT/r.txt"
	expect_status 2
	grep -qx "flatcost: error: unknown tokenizer 'p50k_base': expected o200k_base, cl100k_base or gguf:FILE" <<<"$stderr"
	refute test -e "$OUT/r.txt"
	run --separate-stderr fc tokens "$OUT/missing.txt" --tokenizer o200k_base -o "$OUT/r.txt"
	expect_status 2
	grep -q "^$OUT/missing.txt: error: cannot open the prompt: No such file or directory" <<<"$stderr"
	refute test -e "$OUT/r.txt"
	run --separate-stderr fc tokens "$OUT/a.txt"
	expect_status 2
	grep -q "tokenizer" <<<"$stderr"
	run --separate-stderr fc tokens "$OUT/a.txt" --tokenizer o200k_base -o "$OUT/a.txt"
	expect_status 2
	[ "$(cat "$OUT/a.txt")" = x ]
}
