// faults.mjs: a server that misbehaves on purpose, for flatcost bench's
// fault tests.  No model: it streams fake tokens ("tok ") in the Ollama
// (NDJSON) and OpenAI-compatible (SSE) formats, and the model name asks
// for the fault:
//
//   ok                 behaves: N tokens, one every 2 ms, exact counts
//   auth               behaves only with "Authorization: Bearer sekrit", else 401
//   http500 / http429 / http400   that status with a JSON error body
//   stall-after-K      K good requests, then headers and 2 tokens, then silence
//   trickle-after-K    K good requests, then 2 tokens, then a keep-alive byte
//                      (an SSE comment, NDJSON blanks) every 100 ms, forever
//   malformed-after-K  K good requests, then a record that is not JSON
//   truncated-after-K  K good requests, then the connection closes mid-stream
//   die-after-K        K good requests, then the process exits mid-stream
//   zero               a complete reply with no token: eval_count 0
//   huge               N tokens, but counts of 1e300 in the final record
//   any path under /big/   a 17 MB reply (an oversized discovery reply)
//   endless-after-K    K good requests, then valid tokens, one every 2 ms,
//                      that never end (the output limit ignored)
//   crawl-after-K      K good requests, then valid tokens, one every 300 ms
//                      (within the limit, but a request takes N x 300 ms)
//   anything else      404 "model not found" (an unknown model)
//
//   node faults.mjs [--port 0] [--port-file FILE]
import http from "node:http";
import fs from "node:fs";

let port = 0, portFile = null;
for (let i = 2; i < process.argv.length; i++) {
    if (process.argv[i] === "--port") port = Number(process.argv[++i]);
    else if (process.argv[i] === "--port-file") portFile = process.argv[++i];
}

const served = {};   // good requests so far, per endpoint and model name

function json(res, status, obj, headers = {}) {
    const s = JSON.stringify(obj);
    res.writeHead(status, {"Content-Type": "application/json", ...headers});
    res.end(s);
}

function fault(model, key) {
    const m = /^([a-z0-9]+)(?:-after-(\d+))?$/.exec(model ?? "");
    if (!m) return {kind: "unknown"};
    const known = ["ok", "auth", "http500", "http429", "http400", "stall", "trickle", "malformed", "truncated", "die", "zero", "huge", "endless", "crawl"];
    if (!known.includes(m[1])) return {kind: "unknown"};
    const after = m[2] === undefined ? 0 : Number(m[2]);
    const n = served[key] ?? 0;
    if (m[1] === "zero" || m[1] === "huge") return {kind: m[1]};
    if (m[1] === "ok" || m[1] === "auth" || n < after) return {kind: m[1] === "auth" ? "auth" : "ok"};
    return {kind: m[1]};
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function stream(req, res, body, api, chat) {
    const model = body.model;
    const key = `${req.url} ${model}`;
    const f = fault(model, key);
    if (f.kind === "unknown")
        return api === "ollama"
            ? json(res, 404, {error: `model "${model}" not found, try pulling it first`})
            : json(res, 404, {error: {code: 404, message: `The model \`${model}\` does not exist`, type: "invalid_request_error"}});
    if (f.kind === "auth" && req.headers.authorization !== "Bearer sekrit")
        return json(res, 401, {error: "unauthorized (on purpose)"});
    if (f.kind === "http500") return json(res, 500, {error: "internal failure (on purpose)"});
    if (f.kind === "http429") return json(res, 429, {error: "too many requests (on purpose)"}, {"Retry-After": "1"});
    if (f.kind === "http400") return json(res, 400, {error: "bad request (on purpose)"});
    const n = f.kind === "zero" ? 0 : api === "ollama" ? (body.options?.num_predict ?? 16) : (body.max_tokens ?? 16);
    const count = f.kind === "huge" ? 1e300 : n, promptCount = (p) => f.kind === "huge" ? 1e300 : p;
    const promptText = chat ? (body.messages ?? []).map((m) => m.content).join("\n") : String(body.prompt ?? "");
    const promptTokens = promptText.length + 1;      // one token per character, plus BOS
    let closed = false;
    res.on("close", () => { closed = true; });
    res.writeHead(200, {"Content-Type": api === "ollama" ? "application/x-ndjson" : "text/event-stream"});
    const piece = (t) => api === "ollama"
        ? JSON.stringify(chat ? {model, message: {role: "assistant", content: t}, done: false}
            : {model, response: t, done: false}) + "\n"
        : `data: ${JSON.stringify(chat ? {model, choices: [{index: 0, delta: {content: t}, finish_reason: null}]}
            : {model, choices: [{index: 0, text: t, finish_reason: null}]})}\n\n`;
    const t0 = process.hrtime.bigint();
    await sleep(5);                                   // "prefill"
    const t1 = process.hrtime.bigint();
    const limit = f.kind === "endless" ? Infinity : n;
    for (let i = 0; i < limit && !closed; i++) {
        if (f.kind === "stall" && i === 2) return;     // never another byte
        if (f.kind === "trickle" && i === 2) {
            const t = setInterval(() => { if (closed) clearInterval(t); else res.write(api === "ollama" ? " " : ":\n"); }, 100);
            return;
        }
        if (f.kind === "malformed" && i === 2) { res.write(api === "ollama" ? "{\"response\": \"tok\", done: fals\n" : "data: {\"choices\": [{\"text\": tok}\n\n"); continue; }
        if (f.kind === "truncated" && i === 2) { res.socket.destroy(); return; }
        if (f.kind === "die" && i === 2) { res.socket.destroy(); process.exit(3); }
        res.write(piece("tok "));
        await sleep(f.kind === "crawl" ? 300 : 2);
    }
    if (closed) return;
    const t2 = process.hrtime.bigint();
    served[key] = (served[key] ?? 0) + 1;
    if (api === "ollama") {
        const fin = {model, done: true, done_reason: "length", total_duration: Number(t2 - t0),
            load_duration: 0, prompt_eval_count: promptCount(promptTokens), prompt_eval_duration: Number(t1 - t0),
            eval_count: count, eval_duration: Number(t2 - t1)};
        if (chat) fin.message = {role: "assistant", content: ""}; else fin.response = "";
        res.end(JSON.stringify(fin) + "\n");
    } else {
        res.write(`data: ${JSON.stringify({model, choices: [{index: 0, text: "", finish_reason: "length"}]})}\n\n`);
        if (body.stream_options?.include_usage)
            res.write(`data: ${JSON.stringify({model, choices: [], usage: {prompt_tokens: promptCount(promptTokens),
                completion_tokens: count, total_tokens: promptCount(promptTokens) + count}})}\n\n`);
        res.end("data: [DONE]\n\n");
    }
}

const server = http.createServer((req, res) => {
    let b = "";
    req.on("data", (c) => { b += c; });
    req.on("end", async () => {
        let body = {};
        try { body = b ? JSON.parse(b) : {}; } catch { return json(res, 400, {error: "bad JSON"}); }
        const url = new URL(req.url, "http://x");
        if (url.pathname.startsWith("/big/")) {
            res.writeHead(200, {"Content-Type": "application/json"});
            return res.end("[" + "0,".repeat(17 << 19) + "0]");
        }
        switch (`${req.method} ${url.pathname}`) {
        case "GET /api/version": return json(res, 200, {version: "0.0.0-faults"});
        case "GET /api/tags": return json(res, 200, {models: []});
        case "POST /api/show":
            // the model check is left to the generate call, as with a
            // server that loads models lazily
            return json(res, 200, {details: {}, model_info: {}});
        case "GET /v1/models": return json(res, 200, {object: "list", data: []});
        case "POST /api/generate": return stream(req, res, body, "ollama", false);
        case "POST /api/chat": return stream(req, res, body, "ollama", true);
        case "POST /v1/completions": return stream(req, res, body, "openai", false);
        case "POST /v1/chat/completions": return stream(req, res, body, "openai", true);
        default: return json(res, 404, {error: "no route"});
        }
    });
});
server.listen(port, "127.0.0.1", () => {
    const p = server.address().port;
    if (portFile) { fs.writeFileSync(portFile + ".tmp", `${p}\n`); fs.renameSync(portFile + ".tmp", portFile); }
    console.log(`faults server on 127.0.0.1:${p}`);
});
for (const s of ["SIGINT", "SIGTERM"]) process.on(s, () => process.exit(0));
