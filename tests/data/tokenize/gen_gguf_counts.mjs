// Writes tests/data/tokenize/gguf_counts.jsonl: for each text of
// corpus.jsonl (same order), its token count by llama.cpp (through
// node-llama-cpp, tests/engine/node_modules) for the GGUF vocabularies of
// this directory: Qwen2.5's BPE with its pretokenizer (tokenizer.ggml.pre
// qwen2) and with gpt-2's and qwen35's (the same file with "gpt-2",
// "qwen35"), cl100k_base's BPE with llama3's ("llama-bpe"), and Mistral
// 7B's SentencePiece BPE.  llama_tokenize with add_special false and
// parse_special false (node-llama-cpp's model.tokenize(text)): the text's
// own tokens, no BOS.  Run once, from the repository root:
//
//   node tests/data/tokenize/gen_gguf_counts.mjs
import fs from 'fs';
import os from 'os';
import zlib from 'zlib';
import { createRequire } from 'module';

const require = createRequire(new URL('../../engine/', import.meta.url));
const { getLlama } = await import(require.resolve('node-llama-cpp'));

// The GGUF buf with tokenizer.ggml.pre's value replaced by pre.
function withPre(buf, pre) {
  const key = Buffer.from('tokenizer.ggml.pre');
  const at = buf.indexOf(key);
  const vlenAt = at + key.length + 4;          // after the key, its type (u32)
  const vlen = Number(buf.readBigUInt64LE(vlenAt));
  const v = Buffer.from(pre);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(v.length));
  return Buffer.concat([buf.subarray(0, vlenAt), len, v, buf.subarray(vlenAt + 8 + vlen)]);
}

const dir = fs.mkdtempSync(`${os.tmpdir()}/gguf-counts-`);
const qwen = zlib.gunzipSync(fs.readFileSync('tests/data/tokenize/qwen2_5.gguf.gz'));
const files = {
  qwen2: withPre(qwen, 'qwen2'),
  gpt2: withPre(qwen, 'gpt-2'),
  qwen35: withPre(qwen, 'qwen35'),
  llama3: zlib.gunzipSync(fs.readFileSync('tests/data/tokenize/cl100k.gguf.gz')),
  mistral: zlib.gunzipSync(fs.readFileSync('tests/data/tokenize/mistral7b.gguf.gz')),
};
const llama = await getLlama({ gpu: false, build: 'never' });
const models = {};
for (const [k, b] of Object.entries(files)) {
  fs.writeFileSync(`${dir}/${k}.gguf`, b);
  models[k] = await llama.loadModel({ modelPath: `${dir}/${k}.gguf`, vocabOnly: true });
}
const texts = fs.readFileSync('tests/data/tokenize/corpus.jsonl', 'utf8').split('\n')
  .filter(Boolean).map((l) => JSON.parse(l).text);
const out = texts.map((text) => JSON.stringify(Object.fromEntries(
  Object.entries(models).map(([k, m]) => [k, m.tokenize(text).length]))));
fs.writeFileSync('tests/data/tokenize/gguf_counts.jsonl', out.join('\n') + '\n');
fs.rmSync(dir, { recursive: true });
console.error(`${texts.length} texts`);
