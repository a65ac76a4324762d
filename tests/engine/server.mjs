// server.mjs: a small inference server for flatcost's bench tests.  It
// exposes the Ollama endpoints (/api/generate, /api/chat, /api/show,
// /api/tags, /api/version; NDJSON streams) and the OpenAI-compatible ones
// (/v1/models, /v1/completions, /v1/chat/completions, /props; SSE streams
// with stream_options.include_usage and llama.cpp's `timings`) on top of
// node-llama-cpp: one context with N sequences, so concurrent requests are
// batched the way llama-server batches its slots.  CPU only, nothing is
// built or downloaded.
//
//   node server.mjs --model FILE.gguf [--name NAME] [--sequences 4]
//       [--threads 1] [--context 2048] [--port 0] [--port-file FILE]
//
// With --port 0 the kernel picks a free port; it is written to
// --port-file (and printed) once the model is loaded.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import {getLlama} from "node-llama-cpp";

const args = {model: null, name: null, sequences: 4, threads: 1, context: 2048,
    port: 0, portFile: null, host: "127.0.0.1"};
for (let i = 2; i < process.argv.length; i++) {
    const a = process.argv[i], v = process.argv[i + 1];
    switch (a) {
    case "--model": args.model = v; i++; break;
    case "--name": args.name = v; i++; break;
    case "--sequences": args.sequences = Number(v); i++; break;
    case "--threads": args.threads = Number(v); i++; break;
    case "--context": args.context = Number(v); i++; break;
    case "--port": args.port = Number(v); i++; break;
    case "--port-file": args.portFile = v; i++; break;
    default:
        console.error(`server.mjs: unknown argument ${a}`);
        process.exit(2);
    }
}
if (!args.model) {
    console.error("server.mjs: --model FILE.gguf is required");
    process.exit(2);
}
const name = args.name ?? path.basename(args.model).replace(/\.gguf$/, "");
const pkg = JSON.parse(fs.readFileSync(new URL("./node_modules/node-llama-cpp/package.json",
    import.meta.url), "utf8"));
const engine = `node-llama-cpp ${pkg.version}`;

const llama = await getLlama({gpu: false, build: "never", logLevel: "error"});
const model = await llama.loadModel({modelPath: args.model});
const context = await model.createContext({sequences: args.sequences,
    contextSize: args.context, threads: args.threads});
const nParams = countParams(model.fileInfo);
const fileSize = fs.statSync(args.model).size;
const quant = (model.fileInsights?.ggufFileInfo?.metadata?.general?.file_type ?? "");

function countParams(info) {
    let n = 0;
    for (const t of info.fullTensorInfo ?? info.tensorInfo ?? [])
        n += t.dimensions.reduce((a, b) => a * Number(b), 1);
    return n;
}

// A pool of sequences: a request waits for a free one.
const free = [];
for (let i = 0; i < args.sequences; i++) free.push(context.getSequence());
const waiters = [];
function acquire() {
    if (free.length > 0) return Promise.resolve(free.pop());
    return new Promise((resolve) => waiters.push(resolve));
}
async function release(seq) {
    await seq.clearHistory();
    const w = waiters.shift();
    if (w) w(seq); else free.push(seq);
}

// Generates up to maxTokens tokens after prompt tokens; calls onToken(text)
// for each.  Returns counts and durations in nanoseconds.
async function generate(tokens, maxTokens, ignoreEos, isClosed, onToken) {
    const seq = await acquire();
    const t0 = process.hrtime.bigint();
    let tFirst = t0, n = 0, reason = "length";
    const out = [];
    try {
        for await (const tok of seq.evaluate(tokens, {temperature: 0, yieldEogToken: true})) {
            if (n === 0) tFirst = process.hrtime.bigint();
            if (!ignoreEos && model.isEogToken(tok)) { reason = "stop"; break; }
            const text = model.detokenize([tok], false, out.slice(-4));
            out.push(tok);
            n++;
            onToken(text);
            if (n >= maxTokens || isClosed()) break;
        }
    } finally {
        await release(seq);
    }
    const tEnd = process.hrtime.bigint();
    return {promptTokens: tokens.length, evalCount: n, reason,
        promptNs: Number(tFirst - t0), evalNs: Number(tEnd - tFirst), totalNs: Number(tEnd - t0)};
}

// The error for a request that cannot fit, or null.
function tooLong(tokens, maxTokens) {
    if (tokens.length + maxTokens <= context.contextSize) return null;
    return `prompt of ${tokens.length} tokens plus ${maxTokens} to generate exceeds the context of ${context.contextSize}`;
}

function chatPrompt(messages) {
    let s = "";
    for (const m of messages ?? [])
        s += `<|${m.role}|>\n${typeof m.content === "string" ? m.content : ""}\n`;
    return s + "<|assistant|>\n";
}

function tokenize(text) {
    const t = model.tokenize(text);
    return model.tokens.bos != null ? [model.tokens.bos, ...t] : t;
}

function readBody(req) {
    return new Promise((resolve, reject) => {
        let b = "";
        req.setEncoding("utf8");
        req.on("data", (c) => { b += c; });
        req.on("end", () => resolve(b));
        req.on("error", reject);
    });
}

function json(res, status, obj) {
    const s = JSON.stringify(obj);
    res.writeHead(status, {"Content-Type": "application/json", "Content-Length": Buffer.byteLength(s)});
    res.end(s);
}

function sizeLabel(n) {
    return n >= 1e9 ? `${(n / 1e9).toFixed(1)}B` : `${(n / 1e6).toFixed(1)}M`;
}

const quantName = {0: "F32", 1: "F16", 2: "Q4_0", 7: "Q8_0"}[quant] ?? String(quant);

async function ollama(req, res, body, chat) {
    if (body.model !== name)
        return json(res, 404, {error: `model "${body.model}" not found, try pulling it first`});
    const opts = body.options ?? {};
    const maxTokens = opts.num_predict > 0 ? opts.num_predict : 128;
    const text = chat ? chatPrompt(body.messages) : String(body.prompt ?? "");
    const tokens = tokenize(text);
    const err = tooLong(tokens, maxTokens);
    if (err) return json(res, 400, {error: err});
    const stream = body.stream !== false;
    let closed = false;
    res.on("close", () => { closed = true; });
    if (stream)
        res.writeHead(200, {"Content-Type": "application/x-ndjson"});
    let all = "";
    const created = () => new Date().toISOString();
    const r = await generate(tokens, maxTokens, !!opts.ignore_eos, () => closed, (piece) => {
        all += piece;
        if (stream && !closed)
            res.write(JSON.stringify(chat
                ? {model: name, created_at: created(), message: {role: "assistant", content: piece}, done: false}
                : {model: name, created_at: created(), response: piece, done: false}) + "\n");
    });
    const fin = {model: name, created_at: created(), done: true, done_reason: r.reason,
        total_duration: r.totalNs, load_duration: 0, prompt_eval_count: r.promptTokens,
        prompt_eval_duration: r.promptNs, eval_count: r.evalCount, eval_duration: r.evalNs};
    if (chat) fin.message = {role: "assistant", content: stream ? "" : all};
    else fin.response = stream ? "" : all;
    if (closed) return;
    if (stream) res.end(JSON.stringify(fin) + "\n");
    else json(res, 200, fin);
}

async function openai(req, res, body, chat) {
    if (body.model !== undefined && body.model !== name)
        return json(res, 404, {error: {code: 404, message: `The model \`${body.model}\` does not exist`,
            type: "invalid_request_error"}});
    const maxTokens = body.max_tokens > 0 ? body.max_tokens : (body.n_predict > 0 ? body.n_predict : 128);
    const text = chat ? chatPrompt(body.messages) : String(body.prompt ?? "");
    const tokens = tokenize(text);
    const err = tooLong(tokens, maxTokens);
    if (err) return json(res, 400, {error: {code: 400, message: err, type: "invalid_request_error"}});
    const stream = !!body.stream;
    const id = `cmpl-${Date.now()}`, created = Math.floor(Date.now() / 1000);
    const object = chat ? "chat.completion.chunk" : "text_completion";
    let closed = false, all = "", first = true;
    res.on("close", () => { closed = true; });
    if (stream)
        res.writeHead(200, {"Content-Type": "text/event-stream", "Cache-Control": "no-cache"});
    const choice = (piece, finish) => chat
        ? {index: 0, delta: finish ? {} : (first ? {role: "assistant", content: piece} : {content: piece}), finish_reason: finish}
        : {index: 0, text: piece, logprobs: null, finish_reason: finish};
    const send = (obj) => { if (!closed) res.write(`data: ${JSON.stringify(obj)}\n\n`); };
    const r = await generate(tokens, maxTokens, !!body.ignore_eos, () => closed, (piece) => {
        all += piece;
        if (stream) send({id, object, created, model: name, choices: [choice(piece, null)]});
        first = false;
    });
    const usage = {prompt_tokens: r.promptTokens, completion_tokens: r.evalCount,
        total_tokens: r.promptTokens + r.evalCount};
    const timings = {prompt_n: r.promptTokens, prompt_ms: r.promptNs / 1e6,
        prompt_per_second: r.promptTokens / (r.promptNs / 1e9),
        predicted_n: r.evalCount, predicted_ms: r.evalNs / 1e6,
        predicted_per_token_ms: r.evalCount ? r.evalNs / 1e6 / r.evalCount : 0,
        predicted_per_second: r.evalNs ? r.evalCount / (r.evalNs / 1e9) : 0};
    if (closed) return;
    if (!stream) {
        const c = chat ? {index: 0, message: {role: "assistant", content: all}, finish_reason: r.reason}
            : {index: 0, text: all, finish_reason: r.reason};
        return json(res, 200, {id, object: chat ? "chat.completion" : "text_completion", created,
            model: name, choices: [c], usage, timings});
    }
    send({id, object, created, model: name, choices: [choice("", r.reason)], timings});
    if (body.stream_options?.include_usage)
        send({id, object, created, model: name, choices: [], usage, timings});
    res.end("data: [DONE]\n\n");
}

const server = http.createServer(async (req, res) => {
    try {
        const url = new URL(req.url, "http://x");
        const body = req.method === "POST" ? JSON.parse((await readBody(req)) || "{}") : {};
        res.setHeader("Server", `flatcost-test-engine (${engine})`);
        switch (`${req.method} ${url.pathname}`) {
        case "GET /api/version":
            return json(res, 200, {version: `0.0.0 (flatcost test engine, ${engine})`});
        case "GET /api/tags":
            return json(res, 200, {models: [{name, model: name, size: fileSize,
                details: {format: "gguf", family: "llama", parameter_size: sizeLabel(nParams),
                    quantization_level: quantName}}]});
        case "POST /api/show":
            if ((body.model ?? body.name) !== name)
                return json(res, 404, {error: `model '${body.model ?? body.name}' not found`});
            return json(res, 200, {
                parameters: `num_thread ${args.threads}\nnum_parallel ${args.sequences}`,
                details: {format: "gguf", family: "llama", parameter_size: sizeLabel(nParams),
                    quantization_level: quantName},
                model_info: {"general.architecture": "llama", "general.parameter_count": nParams}});
        case "POST /api/generate": return await ollama(req, res, body, false);
        case "POST /api/chat": return await ollama(req, res, body, true);
        case "GET /v1/models":
            return json(res, 200, {object: "list", data: [{id: name, object: "model",
                created: Math.floor(Date.now() / 1000), owned_by: "llamacpp",
                meta: {n_params: nParams, size: fileSize, n_ctx_train: model.trainContextSize}}]});
        case "GET /props":
            return json(res, 200, {build_info: engine, model_path: args.model,
                total_slots: args.sequences, n_threads: args.threads});
        case "POST /v1/completions": return await openai(req, res, body, false);
        case "POST /v1/chat/completions": return await openai(req, res, body, true);
        default:
            return json(res, 404, {error: `no route for ${req.method} ${url.pathname}`});
        }
    } catch (e) {
        if (!res.headersSent) json(res, 400, {error: String(e.message ?? e)});
        else res.destroy();
    }
});
server.keepAliveTimeout = 60000;
server.listen(args.port, args.host, () => {
    const port = server.address().port;
    if (args.portFile) fs.writeFileSync(args.portFile + ".tmp", `${port}\n`);
    if (args.portFile) fs.renameSync(args.portFile + ".tmp", args.portFile);
    console.log(`listening on ${args.host}:${port} (${name}, ${engine}, ${args.sequences} sequences, ${args.threads} threads)`);
});
for (const s of ["SIGINT", "SIGTERM"])
    process.on(s, () => process.exit(0));
