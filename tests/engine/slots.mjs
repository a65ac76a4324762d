// slots.mjs: a fake inference server with N slots, for flatcost bench's
// load tests.  No model: it streams fake tokens ("tok ") in the Ollama
// (NDJSON) and OpenAI-compatible (SSE) formats, for any model name, but
// generates for at most --slots requests at once; the others wait in a
// FIFO queue (headers sent, no token) until a slot frees, as llama-server
// does with --parallel N.  --slots 1 is a server that serializes.
//
// Each request: --prefill-ms before its first token, then one token every
// --tok-ms, on an absolute schedule from the moment a slot takes it.  The log (--log FILE) gets one line per change of the number
// of streams generating, "inflight N", and the highest at the end of each
// request, "max N": what the server really ran, to compare with bench's
// streams_in_flight_max.
//
//   node slots.mjs [--slots N] [--tok-ms MS] [--prefill-ms MS] [--log FILE]
//                  [--port 0] [--port-file FILE]
import http from "node:http";
import fs from "node:fs";

let port = 0, portFile = null, slots = 1, tokMs = 10, prefillMs = 5, logFile = null;
for (let i = 2; i < process.argv.length; i++) {
    const a = process.argv[i];
    if (a === "--port") port = Number(process.argv[++i]);
    else if (a === "--port-file") portFile = process.argv[++i];
    else if (a === "--slots") slots = Number(process.argv[++i]);
    else if (a === "--tok-ms") tokMs = Number(process.argv[++i]);
    else if (a === "--prefill-ms") prefillMs = Number(process.argv[++i]);
    else if (a === "--log") logFile = process.argv[++i];
}

let running = 0, maxRunning = 0;
const queue = [];
const log = (s) => { if (logFile) fs.appendFileSync(logFile, s + "\n"); };

function acquire() {
    if (running < slots) {
        running++;
        maxRunning = Math.max(maxRunning, running);
        log(`inflight ${running}`);
        return Promise.resolve();
    }
    return new Promise((r) => queue.push(r));
}

function release() {
    const next = queue.shift();
    if (next) {
        log(`inflight ${running}`);       // the slot passes on at once
        next();
    } else {
        running--;
        log(`inflight ${running}`);
    }
    log(`max ${maxRunning}`);
}

function json(res, status, obj) {
    res.writeHead(status, {"Content-Type": "application/json"});
    res.end(JSON.stringify(obj));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function stream(req, res, body, api, chat) {
    const model = body.model;
    const n = api === "ollama" ? (body.options?.num_predict ?? 16) : (body.max_tokens ?? 16);
    const promptText = chat ? (body.messages ?? []).map((m) => m.content).join("\n") : String(body.prompt ?? "");
    const promptTokens = promptText.length + 1;
    let closed = false;
    res.on("close", () => { closed = true; });
    res.writeHead(200, {"Content-Type": api === "ollama" ? "application/x-ndjson" : "text/event-stream"});
    res.flushHeaders();
    await acquire();
    try {
        const piece = (t) => api === "ollama"
            ? JSON.stringify(chat ? {model, message: {role: "assistant", content: t}, done: false}
                : {model, response: t, done: false}) + "\n"
            : `data: ${JSON.stringify(chat ? {model, choices: [{index: 0, delta: {content: t}, finish_reason: null}]}
                : {model, choices: [{index: 0, text: t, finish_reason: null}]})}\n\n`;
        // on an absolute schedule (prefill, then a token every tokMs), so
        // that late timers on a loaded machine do not add up
        const t0 = process.hrtime.bigint(), start = performance.now();
        await sleep(prefillMs);
        const t1 = process.hrtime.bigint();
        for (let i = 0; i < n && !closed; i++) {
            const due = start + prefillMs + i * tokMs - performance.now();
            if (due > 0) await sleep(due);
            res.write(piece("tok "));
        }
        if (closed) return;
        const t2 = process.hrtime.bigint();
        if (api === "ollama") {
            const fin = {model, done: true, done_reason: "length", total_duration: Number(t2 - t0),
                load_duration: 0, prompt_eval_count: promptTokens, prompt_eval_duration: Number(t1 - t0),
                eval_count: n, eval_duration: Number(t2 - t1)};
            if (chat) fin.message = {role: "assistant", content: ""}; else fin.response = "";
            res.end(JSON.stringify(fin) + "\n");
        } else {
            res.write(`data: ${JSON.stringify({model, choices: [{index: 0, text: "", finish_reason: "length"}]})}\n\n`);
            if (body.stream_options?.include_usage)
                res.write(`data: ${JSON.stringify({model, choices: [], usage: {prompt_tokens: promptTokens,
                    completion_tokens: n, total_tokens: promptTokens + n}})}\n\n`);
            res.end("data: [DONE]\n\n");
        }
    } finally {
        release();
    }
}

const server = http.createServer((req, res) => {
    let b = "";
    req.on("data", (c) => { b += c; });
    req.on("end", async () => {
        let body = {};
        try { body = b ? JSON.parse(b) : {}; } catch { return json(res, 400, {error: "bad JSON"}); }
        const url = new URL(req.url, "http://x");
        switch (`${req.method} ${url.pathname}`) {
        case "GET /api/version": return json(res, 200, {version: "0.0.0-slots"});
        case "GET /api/tags": return json(res, 200, {models: []});
        case "POST /api/show": return json(res, 200, {details: {}, model_info: {}});
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
    console.log(`slots server (${slots} slots) on 127.0.0.1:${p}`);
});
for (const s of ["SIGINT", "SIGTERM"]) process.on(s, () => process.exit(0));
