// Writes tests/data/tokenize/corpus.jsonl: texts and their token counts by
// the reference tokenizers, for tests/unit/test_tokenize.c.  Run once, from
// the repository root, with js-tiktoken (MIT) installed outside the repo:
//
//   mkdir -p /tmp/jt && (cd /tmp/jt && npm install js-tiktoken@1.0.21)
//   NODE_PATH=/tmp/jt/node_modules node tests/data/tokenize/gen_corpus.mjs
//
// The texts are built deterministically (a fixed-seed generator) from the
// repository's own documents and sources (English, C, shell, YAML, roff)
// and from the samples below (CJK, emoji, other scripts, long whitespace,
// contractions), so the same command writes the same file.
import fs from 'fs';
import { createRequire } from 'module';
const require = createRequire(import.meta.url);
const { getEncoding } = require('js-tiktoken');
const enc = { o200k_base: getEncoding('o200k_base'), cl100k_base: getEncoding('cl100k_base') };

let seed = 20261207;
function rnd() {   // mulberry32
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));

function chunks(files, n, minLen, maxLen) {
  // by code points: a slice never splits a surrogate pair
  const texts = files.map((f) => Array.from(fs.readFileSync(f, 'utf8')));
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = pick(texts);
    const len = int(minLen, maxLen);
    const at = int(0, Math.max(0, t.length - len));
    out.push(t.slice(at, at + len).join(''));
  }
  return out;
}

const docs = ['README.md', 'docs/architecture.md', 'docs/ci.md', 'docs/model.md']
  .filter((f) => fs.existsSync(f));
const code = fs.readdirSync('model').filter((f) => f.endsWith('.c') && !f.startsWith('tokenize_unicode'))
  .slice(0, 20).map((f) => 'model/' + f)
  .concat(['Makefile', 'scripts/deps.sh', 'scenarios/support-chatbot.yaml'].filter((f) => fs.existsSync(f)));
const roff = ['man/flatcost.1', 'man/flatcost-scenario.5'];

const cjk = [
  '大型语言模型的成本取决于输入和输出的令牌数量。', '我们每天处理大约五万个客户请求，高峰时段在上午十点。',
  '東京の天気は晴れですが、午後から雨が降るでしょう。', 'このアプリはサーバーを借りてモデルを動かします。',
  '한국어 문장도 토큰으로 나뉩니다. 비용을 계산해 봅시다.', '서버 한 대의 월 비용은 약 백만 원입니다.',
  '機械学習モデルの推論には、GPUメモリが必要です。', '请把系统提示词缩短一半，然后再比较一次。',
  '「こんにちは」と彼は言った。', '第３四半期の売上は１２％増加した。', '价格：每百万个令牌２．５０美元。',
  'カタカナとひらがなと漢字が混ざった文。', '중국어, 일본어, 한국어를 섞어서 씁니다。', '龍鳳呈祥，風調雨順。',
];
const emoji = [
  '👍', '🎉', '🚀', '❤️', '👨‍👩‍👧‍👦', '🏳️‍🌈', '👋🏽', '🇩🇪', '🇯🇵', '🤖', '😂😂😂', '🔥', '✅', '❌', '⚠️',
  '🧑🏿‍💻', '🫠', '☕', '1️⃣', '©️', '™', '👩‍🔬', '🐍', '🦀', '🌍🌎🌏',
];
const other = [
  'Привет, как дела? Это тест токенизатора.', 'Γειά σου Κόσμε! Αυτό είναι ένα κείμενο.',
  'مرحبا بالعالم، هذا اختبار للنص العربي.', 'नमस्ते दुनिया, यह हिंदी पाठ है।', 'สวัสดีชาวโลก นี่คือข้อความภาษาไทย',
  'שלום עולם, זה טקסט בעברית.', 'Ünïcödé àçcéñts: naïve café, Straße, Ærøskøbing.',
  'e\u0301 combining acute, a\u0308 umlaut, n\u0303', 'Zalgo: H\u0335\u0321e\u0336\u0322l\u0334l\u0337o\u0338',
  'ⅫⅣ ½ ¾ ² ³ ١٢٣ ४५६ ๗๘๙', 'ǅungla ǈudi ǋuz (titlecase digraphs)', 'ʰʲʷ ˈstress ˌmark ー々〻',
  'I\'m sure you\'re right; they\'ve said we\'ll see. It\'s HE\'LL and SHE\'S and WE\'RE and I\'D.',
  'don\'t DON\'T Don\'T can\'t o\'clock rock\'n\'roll \'quoted\' \'s \'S',
];
const words = ['the', 'cost', 'per', 'user', 'token', 'GPU', 'server', 'model', 'API', 'month',
  'breakeven', 'Hello', 'WORLD', 'CamelCase', 'snake_case', 'x86_64', 'v1.2.3', '2026-12-07',
  '$0.0025', '100%', 'e-mail', 'https://example.com/a/b?c=d', 'foo/bar/baz', 'C++', 'C#',
  '1234567', '3.14159', '-42', '0x7fff', '(parenthesised)', '"quoted"', '...', '—', '–', '…'];
const spaces = [' ', '  ', '\t', '\n', '\r\n', '\n\n', '   ', '\u00a0', '\u3000', '\u2003', '\v', '\f'];

function mixed() {
  const parts = [];
  const n = int(3, 40);
  for (let i = 0; i < n; i++) {
    const r = rnd();
    parts.push(r < 0.45 ? pick(words) : r < 0.55 ? pick(emoji) : r < 0.65 ? pick(cjk)
      : r < 0.75 ? pick(other) : pick(spaces));
    parts.push(rnd() < 0.7 ? ' ' : pick(spaces));
  }
  return parts.join('');
}

function whitespace() {
  const parts = [];
  const n = int(2, 12);
  for (let i = 0; i < n; i++) {
    const r = rnd();
    if (r < 0.4) parts.push(pick(spaces).repeat(int(1, 300)));
    else if (r < 0.5) parts.push(' '.repeat(int(100, 2000)));
    else if (r < 0.6) parts.push('\t'.repeat(int(1, 40)) + '\n'.repeat(int(1, 10)));
    else parts.push(pick(words));
  }
  return parts.join(rnd() < 0.5 ? '' : ' ');
}

function symbols() {
  const sym = '!@#$%^&*()[]{}<>/\\|;:,.?~`\'"-_=+';
  let s = '';
  const n = int(1, 400);
  for (let i = 0; i < n; i++) s += rnd() < 0.1 ? pick(spaces) : rnd() < 0.05 ? pick(words) : sym[int(0, sym.length - 1)];
  return s;
}

const texts = [
  '', 'a', ' ', '\n', 'hello world', ' hello', 'Hello, World!', '12345678901', '  \n  \n',
  'a'.repeat(5000), ' '.repeat(10000), '\n'.repeat(1000), '🤖'.repeat(300), '汉'.repeat(500),
  ...chunks(docs, 250, 20, 1200),
  ...chunks(code, 250, 20, 1500),
  ...chunks(roff, 60, 20, 800),
];
for (let i = 0; i < 120; i++) texts.push(Array.from({ length: int(1, 8) }, () => pick(cjk)).join(pick(['', ' ', '\n'])));
for (let i = 0; i < 80; i++) texts.push(Array.from({ length: int(1, 30) }, () => pick(emoji)).join(pick(['', ' ', 'x', '\n'])));
for (let i = 0; i < 60; i++) texts.push(Array.from({ length: int(1, 6) }, () => pick(other)).join(' '));
for (let i = 0; i < 150; i++) texts.push(mixed());
for (let i = 0; i < 80; i++) texts.push(whitespace());
for (let i = 0; i < 60; i++) texts.push(symbols());

const out = texts.map((text) => JSON.stringify({
  text,
  o200k_base: enc.o200k_base.encode(text, [], []).length,
  cl100k_base: enc.cl100k_base.encode(text, [], []).length,
}));
fs.writeFileSync('tests/data/tokenize/corpus.jsonl', out.join('\n') + '\n');
console.error(`${texts.length} texts`);
