// browser.js PAGE.html OUTDIR: opens PAGE in headless Chromium over the
// DevTools protocol (--remote-debugging-pipe: no npm package, no port) and
// prints one JSON object: every request the page made, console errors and
// exceptions, each SVG's rendered size, the decision's text, and a
// screenshot of each section (OUTDIR/ID.png), and the page count when
// printed to PDF.  Used by tests/cli/report.bats.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [page, outdir] = process.argv.slice(2);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'flatcost-chromium-'));
const chrome = spawn(process.env.CHROMIUM || 'chromium', [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--hide-scrollbars', '--remote-debugging-pipe', '--user-data-dir=' + profile,
  '--window-size=1200,900', 'about:blank',
], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
const tx = chrome.stdio[3], rx = chrome.stdio[4];
let id = 0, buf = '';
const waiting = new Map(), events = [];
let onEvent = null;
rx.on('data', (d) => {
  buf += d.toString();
  let i;
  while ((i = buf.indexOf('\0')) >= 0) {
    const m = JSON.parse(buf.slice(0, i));
    buf = buf.slice(i + 1);
    if (m.id && waiting.has(m.id)) {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.error) w.reject(new Error(JSON.stringify(m.error))); else w.resolve(m.result);
    } else if (m.method) {
      events.push(m);
      if (onEvent) onEvent(m);
    }
  }
});
function send(method, params, sessionId) {
  return new Promise((resolve, reject) => {
    const m = { id: ++id, method, params: params || {} };
    if (sessionId) m.sessionId = sessionId;
    waiting.set(m.id, { resolve, reject });
    tx.write(JSON.stringify(m) + '\0');
  });
}
const timer = setTimeout(() => { console.error('browser.js: timed out'); finish(2); }, 30000);
function finish(code) {
  clearTimeout(timer);
  const done = () => {
    try { fs.rmSync(profile, { recursive: true, force: true }); } catch (e) { /* best effort */ }
    process.exit(code);
  };
  if (chrome.exitCode !== null || chrome.signalCode !== null) return done();
  chrome.on('exit', done);
  try { chrome.kill('SIGKILL'); } catch (e) { done(); }
}

(async () => {
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId: s } = await send('Target.attachToTarget', { targetId, flatten: true });
  for (const d of ['Page', 'Network', 'Runtime', 'Log'])
    await send(d + '.enable', {}, s);
  const loaded = new Promise((resolve) => {
    onEvent = (m) => { if (m.method === 'Page.loadEventFired' && m.sessionId === s) resolve(); };
  });
  await send('Page.navigate', { url: 'file://' + path.resolve(page) }, s);
  await loaded;
  const ev = await send('Runtime.evaluate', { returnByValue: true, expression: `(() => ({
    svgs: Array.from(document.querySelectorAll('svg')).map(e => {
      const r = e.getBoundingClientRect(); return [r.width, r.height]; }),
    decision: (document.querySelector('.decision') || {}).textContent || '',
    sections: Array.from(document.querySelectorAll('section')).map(e => {
      const r = e.getBoundingClientRect();
      return { id: e.id, x: r.x, y: r.y + window.scrollY, width: r.width, height: r.height }; }),
  }))()` }, s);
  const r = ev.result.value;
  for (const sec of r.sections) {
    const shot = await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true,
      clip: { x: sec.x, y: sec.y, width: sec.width, height: Math.min(sec.height, 4000), scale: 1 } }, s);
    fs.writeFileSync(path.join(outdir, sec.id + '.png'), Buffer.from(shot.data, 'base64'));
  }
  // the print stylesheet: where each section breaks when printed
  await send('Emulation.setEmulatedMedia', { media: 'print' }, s);
  const pb = await send('Runtime.evaluate', { returnByValue: true, expression:
    `Array.from(document.querySelectorAll('section')).map(e => getComputedStyle(e).breakBefore)` }, s);
  r.print_breaks = pb.result.value;
  // printed to PDF with the page's print stylesheet: its page count
  const pdf = await send('Page.printToPDF', { printBackground: false }, s);
  r.pdf_pages = (Buffer.from(pdf.data, 'base64').toString('latin1')
    .match(/\/Type\s*\/Page[^s]/g) || []).length;
  r.requests = events.filter(m => m.method === 'Network.requestWillBeSent')
    .map(m => m.params.request.url);
  r.errors = events.filter(m => (m.method === 'Runtime.consoleAPICalled' && m.params.type === 'error') ||
    m.method === 'Runtime.exceptionThrown' ||
    (m.method === 'Log.entryAdded' && m.params.entry.level === 'error'))
    .map(m => JSON.stringify(m.params).slice(0, 300));
  process.stdout.write(JSON.stringify(r) + '\n');
  finish(0);
})().catch((e) => { console.error('browser.js: ' + e.message); finish(2); });
