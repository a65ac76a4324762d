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
	# the tokenizer cache of these runs: theirs, not the user's ~/.cache
	export XDG_CACHE_HOME="$OUT/cache"
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

# rev DIR PROMPT: a revision of the increase fixture whose input tokens
# are PROMPT's (o200k_base) plus the user's 350
rev() {
	mkdir -p "$OUT/$1/prompts"
	printf '%s' "$2" >"$OUT/$1/prompts/system.txt"
	sed 's/^  input_tokens: .*/  input_tokens: {prompt: prompts\/system.txt, tokenizer: o200k_base, plus: {dist: lognormal, mean: 350, cv: 0.5}}/' \
	    tests/cli/fixtures-budget/increase/cand/chat.yaml >"$OUT/$1/chat.yaml"
}

@test "input_tokens from a prompt file: its tokens plus the user's; a longer prompt moves the budget" {
	p='You are a support agent for ACME. Answer briefly, cite the documentation, and never promise refunds.'
	rev base "$p"
	rev cand "$(for i in $(seq 50); do printf '%s ' "$p"; done)"
	n=$(fc tokens "$OUT/base/prompts/system.txt" --tokenizer o200k_base | awk '{print $1}')
	run --separate-stderr fc simulate "$OUT/base/chat.yaml" --deterministic --format json
	expect_status 0
	[ "$(jq -c '.inputs.workload.input_tokens | [.dist, .mean, .shift, .expected]' <<<"$output")" = "[\"lognormal\",350,$n,$((n + 350))]" ]
	# the candidate's prompt is fifty times as long: the API's cost rises past max_pct 10
	run --separate-stderr fc check "$OUT/cand" --base "$OUT/base" --format json
	expect_status 1
	[ "$(jq -r '.scenarios[0].budgets[1] | "\(.kind) \(.figure) \(.status)"' <<<"$output")" = "increase api.llm_cost fail" ]
	run --separate-stderr fc check "$OUT/base" --base "$OUT/base"
	expect_status 0
	# a constant user's part stays a constant
	sed -i 's/plus: {dist: lognormal, mean: 350, cv: 0.5}/plus: 350/' "$OUT/base/chat.yaml"
	run --separate-stderr fc simulate "$OUT/base/chat.yaml" --deterministic --format json
	[ "$(jq '.inputs.workload.input_tokens' <<<"$output")" = "$((n + 350))" ]
}

@test "input_tokens from a prompt: errors at file:line:col, exit 2" {
	rev base 'hello'
	sed -i 's/tokenizer: o200k_base/tokenizer: o200k_bse/' "$OUT/base/chat.yaml"
	run --separate-stderr fc validate "$OUT/base/chat.yaml"
	expect_status 2
	grep -qx "$OUT/base/chat.yaml:8:57: error: unknown tokenizer 'o200k_bse' (did you mean 'o200k_base'?)" <<<"$stderr"
	rev base 'hello'
	sed -i 's/prompts\/system.txt/prompts\/gone.txt/' "$OUT/base/chat.yaml"
	run --separate-stderr fc simulate "$OUT/base/chat.yaml" -o "$OUT/r.txt"
	expect_status 2
	grep -qx "$OUT/base/chat.yaml:8:26: error: $OUT/base/prompts/gone.txt: cannot open the prompt: No such file or directory" <<<"$stderr"
	refute test -e "$OUT/r.txt"
	rev base 'hello'
	sed -i 's/, plus: {dist: lognormal, mean: 350, cv: 0.5}/, plus: -3/' "$OUT/base/chat.yaml"
	run --separate-stderr fc validate "$OUT/base/chat.yaml"
	expect_status 2
	grep -q "chat.yaml:8:75: error: -3 is out of range: expected the user's tokens per call >= 0" <<<"$stderr"
}

# gguf NAME: the test vocabulary NAME (tests/data/tokenize/NAME.gguf.gz)
# as a GGUF file in $OUT
gguf() {
	[ -e "$OUT/$1.gguf" ] || gzip -dc "tests/data/tokenize/$1.gguf.gz" >"$OUT/$1.gguf"
}

@test "--tokenizer gguf:FILE: a model file's own vocabulary counts as llama.cpp does" {
	gguf qwen2_5
	gguf mistral7b
	# node-llama-cpp (llama.cpp): "hello world" is 3 tokens with Mistral 7B's
	# SentencePiece (▁hell o ▁world, no BOS)
	printf 'hello world' >"$OUT/a.txt"
	run --separate-stderr fc tokens "$OUT/a.txt" --tokenizer "gguf:$OUT/mistral7b.gguf" --format json
	expect_status 0
	[ -z "$stderr" ]
	[ "$(jq -r '"\(.tokenizer) \(.total)"' <<<"$output")" = "gguf:$OUT/mistral7b.gguf 3" ]
	# texts of the reference corpus, as files: their counts (gguf_counts.jsonl)
	i=0
	while IFS= read -r line && [ $i -lt 30 ]; do
		want=$(sed -n "$((i + 15))p" tests/data/tokenize/gguf_counts.jsonl)
		jq -j '.text' <<<"$line" >"$OUT/t$i.txt"
		got=$(fc tokens "$OUT/t$i.txt" --tokenizer "gguf:$OUT/qwen2_5.gguf" | awk '{print $1}')
		[ "$got" = "$(jq .qwen2 <<<"$want")" ] || { echo "qwen2 text $i: $got, expected $want"; false; }
		got=$(fc tokens "$OUT/t$i.txt" --tokenizer "gguf:$OUT/mistral7b.gguf" | awk '{print $1}')
		[ "$got" = "$(jq .mistral <<<"$want")" ] || { echo "mistral text $i: $got, expected $want"; false; }
		i=$((i + 1))
	done < <(sed -n '15,400p' tests/data/tokenize/corpus.jsonl)
}

@test "--tokenizer gguf:FILE: no file, not a GGUF, an unknown pretokenizer: exit 2, nothing written" {
	printf 'x' >"$OUT/a.txt"
	run --separate-stderr fc tokens "$OUT/a.txt" --tokenizer "gguf:$OUT/none.gguf" -o "$OUT/r.txt"
	expect_status 2
	grep -qx "$OUT/none.gguf: error: cannot open the GGUF file: No such file or directory" <<<"$stderr"
	refute test -e "$OUT/r.txt"
	run --separate-stderr fc tokens "$OUT/a.txt" --tokenizer "gguf:$OUT/a.txt" -o "$OUT/r.txt"
	expect_status 2
	grep -qx "$OUT/a.txt: error: not a GGUF file (no GGUF magic): expected a model file with its tokenizer" <<<"$stderr"
	refute test -e "$OUT/r.txt"
	gguf qwen2_5
	# the same vocabulary with a pretokenizer not written here
	python3 - "$OUT/qwen2_5.gguf" "$OUT/glm.gguf" <<'PY'
import struct, sys
b = open(sys.argv[1], 'rb').read()
k = b.find(b'tokenizer.ggml.pre') + len('tokenizer.ggml.pre') + 4
n = struct.unpack_from('<Q', b, k)[0]
v = b'chatglm-bpe'
open(sys.argv[2], 'wb').write(b[:k] + struct.pack('<Q', len(v)) + v + b[k + 8 + n:])
PY
	run --separate-stderr fc tokens "$OUT/a.txt" --tokenizer "gguf:$OUT/glm.gguf" -o "$OUT/r.txt"
	expect_status 2
	grep -q "^$OUT/glm.gguf: error: tokenizer.ggml.pre 'chatglm-bpe' is not supported: expected one of llama.cpp's pretokenizers llama3 (llama-bpe, llama-v3, ...), qwen2, qwen35 or gpt-2" <<<"$stderr"
	refute test -e "$OUT/r.txt"
}

@test "input_tokens {prompt, tokenizer: gguf:MODEL}: the model file beside the scenario; errors at the key" {
	rev base 'You are a support agent for ACME. Answer briefly and cite the documentation.'
	gzip -dc tests/data/tokenize/mistral7b.gguf.gz >"$OUT/base/model.gguf"
	sed -i 's/tokenizer: o200k_base/tokenizer: "gguf:model.gguf"/' "$OUT/base/chat.yaml"
	n=$(fc tokens "$OUT/base/prompts/system.txt" --tokenizer "gguf:$OUT/base/model.gguf" | awk '{print $1}')
	no=$(fc tokens "$OUT/base/prompts/system.txt" --tokenizer o200k_base | awk '{print $1}')
	[ "$n" != "$no" ]
	(cd / && fc simulate "$OUT/base/chat.yaml" --deterministic --format json) >"$OUT/r.json"
	[ "$(jq -c '.inputs.workload.input_tokens | [.dist, .shift]' "$OUT/r.json")" = "[\"lognormal\",$n]" ]
	rm "$OUT/base/model.gguf"
	run --separate-stderr fc validate "$OUT/base/chat.yaml"
	expect_status 2
	grep -qx "$OUT/base/chat.yaml:8:57: error: $OUT/base/model.gguf: cannot open the GGUF file: No such file or directory" <<<"$stderr"
}

@test "the parsed rank file is cached under XDG_CACHE_HOME (or ~/.cache), counts unchanged; FLATCOST_NO_CACHE or an unwritable place keeps none" {
	printf 'hello world, counted from the cache' >"$OUT/a.txt"
	want=$(FLATCOST_NO_CACHE=1 XDG_CACHE_HOME="$OUT/none" fc tokens "$OUT/a.txt" --tokenizer o200k_base)
	refute test -e "$OUT/none"
	run --separate-stderr env XDG_CACHE_HOME="$OUT/c" HOME="$OUT/home" "$FLATCOST" tokens "$OUT/a.txt" --tokenizer o200k_base
	expect_status 0
	[ -z "$stderr" ] && [ "$output" = "$want" ]
	test -s "$OUT/c/flatcost/tokenizers/o200k_base.bin"
	refute test -e "$OUT/home"
	# the next run reads it: the same counts
	run --separate-stderr env XDG_CACHE_HOME="$OUT/c" "$FLATCOST" tokens "$OUT/a.txt" --tokenizer o200k_base
	[ "$output" = "$want" ]
	# without XDG_CACHE_HOME: ~/.cache
	run --separate-stderr env -u XDG_CACHE_HOME HOME="$OUT/home" "$FLATCOST" tokens "$OUT/a.txt" --tokenizer cl100k_base
	expect_status 0
	test -s "$OUT/home/.cache/flatcost/tokenizers/cl100k_base.bin"
	# a cache that cannot be written is no error
	printf 'x' >"$OUT/file"
	run --separate-stderr env XDG_CACHE_HOME="$OUT/file" "$FLATCOST" tokens "$OUT/a.txt" --tokenizer o200k_base
	expect_status 0
	[ -z "$stderr" ] && [ "$output" = "$want" ]
}

@test "gguf:FILE out of memory at the n-th allocation: exit 3 and 'out of memory', or the count" {
	gguf mistral7b
	printf 'hello <s> world' >"$OUT/a.txt"
	want=$(fc tokens "$OUT/a.txt" --tokenizer "gguf:$OUT/mistral7b.gguf")
	total=$(FLATCOST_ALLOC_COUNT=1 fc tokens "$OUT/a.txt" --tokenizer "gguf:$OUT/mistral7b.gguf" 2>&1 >/dev/null | sed -n 's/^flatcost: allocations: //p')
	[ "$total" -gt 20 ]
	for n in $(seq 1 "$total"); do
		run --separate-stderr env FLATCOST_FAIL_ALLOC=$n FLATCOST_NO_CACHE=1 "$FLATCOST" tokens "$OUT/a.txt" --tokenizer "gguf:$OUT/mistral7b.gguf"
		if [ "$status" -eq 0 ]; then
			[ "$output" = "$want" ] || { echo "n=$n: $output"; false; }
		else
			[ "$status" -eq 3 ] && [ "$stderr" = "flatcost: out of memory" ] || { echo "n=$n: $status $stderr"; false; }
		fi
	done
}

@test "gguf:FILE: a whole model file, its metadata past the first 8 MB (synth-model's vocabulary, as llama.cpp counts it)" {
	# 700,000 tokens: about 13 MB of tokenizer.ggml.* before the tensors
	fc synth-model --layers 1 --embd 32 --ff 32 --heads 1 --vocab 700000 --quant f16 \
	    -o "$OUT/m.gguf" >/dev/null
	printf 'hello world <t500> abc' >"$OUT/a.txt"
	# node-llama-cpp 3.22.1: 23 tokens (single characters: the synthetic
	# vocabulary merges nothing; no BOS)
	run --separate-stderr fc tokens "$OUT/a.txt" --tokenizer "gguf:$OUT/m.gguf"
	expect_status 0
	[ "$output" = "$(printf '%10d  %s' 23 "$OUT/a.txt")" ]
}
